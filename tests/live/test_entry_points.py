"""Checks that start from what people have: an execute-api URL, a custom domain, a CloudFront
distribution id, a function URL or function ARN."""

from __future__ import annotations

import json

import pytest

from bot.errors import BadGatewayError, UsageError
from tests.live.conftest import ACCOUNT, REGION, Route, World, findings_of, run_bot
from tests.live.fronts import custom_domain, distribution, edge_function, function_url, role


def shop(world: World) -> str:
    orders = world.function("orders")
    users = world.function("users")
    return world.rest_api("shop", [Route("GET", "/orders/{id}", orders), Route("GET", "/users", users)],
                          stages={"prod": {}, "dev": {}})


def test_execute_api_url_gives_api_region_stage_and_route(world: World) -> None:
    api = shop(world)
    report = world.check(f"https://{api}.execute-api.{REGION}.amazonaws.com/prod/orders/42")
    assert report.api.id == api and report.stages == ("prod",)
    assert {f.resource for f in findings_of(report, "invoke_permission")} == {"function orders"}
    [path] = [f for f in findings_of(report, "integration_setup") if "URL's path" in f.message]
    assert path.status == "pass" and "GET /orders/{id}" in path.message


def test_url_path_no_route_matches_says_403_not_5xx(world: World) -> None:
    api = shop(world)
    report = world.check(f"https://{api}.execute-api.{REGION}.amazonaws.com/dev/nothing/here")
    [path] = [f for f in findings_of(report, "integration_setup") if "URL's path" in f.message]
    assert path.status == "warn" and "403" in path.message and "Missing Authentication Token" in path.message
    assert report.stages == ("dev",)


def test_url_with_an_unknown_stage_is_a_usage_error(world: World) -> None:
    api = shop(world)
    with pytest.raises(UsageError, match="stage 'staging'"):
        world.check(f"https://{api}.execute-api.{REGION}.amazonaws.com/staging/orders/1")


def test_url_in_another_region_than_region_option(world: World) -> None:
    from bot.live.runner import CheckRequest, run_check

    with pytest.raises(UsageError, match="eu-west-1"):
        run_check(CheckRequest(api_id="https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod", region=REGION))


def test_http_api_default_stage_url(world: World) -> None:
    fn = world.function("web")
    api = world.http_api("site", [Route("GET", "/pets/{id}", fn), Route("ANY", "$default", fn)])
    report = world.check(f"https://{api}.execute-api.{REGION}.amazonaws.com/pets/7")
    assert report.stages == ("$default",)
    [path] = [f for f in findings_of(report, "integration_setup") if "URL's path" in f.message]
    assert "GET /pets/{id}" in path.message


def test_custom_domain_base_path_mapping(world: World) -> None:
    api = shop(world)
    custom_domain(world, "api.example.com", [(api, "prod", "v1")])
    report = world.check("https://api.example.com/v1/users")
    assert report.api.id == api and report.stages == ("prod",)
    assert {f.resource for f in findings_of(report, "invoke_permission")} == {"function users"}
    assert "api.example.com/v1" in report.target


def test_http_api_custom_domain_mapping(world: World) -> None:
    fn = world.function("web")
    api = world.http_api("site", [Route("GET", "/", fn)], stage="live")
    custom_domain(world, "www.example.com", [(api, "live", "")], http=True)
    report = world.check("www.example.com")
    assert report.api.id == api and report.stages == ("live",)


def test_domain_with_several_mappings_checks_each_with_a_summary_first(world: World) -> None:
    first = shop(world)
    second = world.rest_api("admin", [Route("GET", "/", world.function("admin"))])
    custom_domain(world, "api.example.com", [(first, "prod", "shop"), (second, "prod", "admin")])
    from bot.live.runner import CheckRequest, run_check

    with pytest.raises(UsageError, match="leads to 2 things to check"):
        run_check(CheckRequest(api_id="api.example.com", region=REGION, hooks=tuple(world.hooks)))
    result = run_bot("check", "api.example.com")
    assert result.returncode == 1, result.stderr
    head = result.stdout.splitlines()
    assert head[0].startswith("badgateway check: 2 checked, 2 failing")
    assert head[1].split() == ["verdict", "target", "region", "fail", "warn", "error", "causes"]
    assert first in result.stdout and second in result.stdout
    document = json.loads(run_bot("check", "api.example.com", "--format", "json").stdout)
    assert [row["api"]["id"] for row in document["summary"]] == [first, second]
    assert len(document["reports"]) == 2


def test_unknown_domain_is_one_line(world: World) -> None:
    with pytest.raises(BadGatewayError, match="not an API Gateway custom domain name"):
        world.check("nope.example.com")


def test_a_distribution_id_of_letters_only_is_still_a_distribution(world: World, monkeypatch) -> None:
    """Ids are random: one with no digit looks like a load balancer name, and is tried as both."""
    import moto.cloudfront.models as cloudfront

    letters = "RGAAHHFRRXOPE"  # the one moto drew when a run of this suite first failed on it
    monkeypatch.setattr(cloudfront, "random_id",
                        lambda uppercase=True, length=13: letters if uppercase else "d111111abcdef8")
    api = shop(world)
    dist = distribution(world, f"{api}.execute-api.{REGION}.amazonaws.com", origin_path="/prod")
    assert dist == letters
    report = world.check(dist)
    assert report.api.id == api and report.stages == ("prod",)


def test_cloudfront_distribution_with_an_api_origin_and_lambda_at_edge(world: World) -> None:
    api = shop(world)
    trusted = role(world, "edge-role", "lambda.amazonaws.com")  # edgelambda.amazonaws.com missing
    version = edge_function(world, "rewrite", trusted, timeout=5)
    dist = distribution(world, f"{api}.execute-api.{REGION}.amazonaws.com", origin_path="/prod",
                        protocol="http-only", edge=[(version, "viewer-request")])
    report = world.check(dist)
    assert report.api.id == api and report.stages == ("prod",)
    [edge] = findings_of(report, "lambda_edge")
    assert edge.status == "fail" and edge.entry == "lambda-edge-error" and edge.resource == version
    assert "edgelambda.amazonaws.com" in edge.message and "503" in edge.message
    [origin] = findings_of(report, "cloudfront_origins")
    assert origin.status == "fail" and "https-only" in origin.fix
    assert origin.resource == f"arn:aws:cloudfront::{ACCOUNT}:distribution/{dist}"


def test_lambda_at_edge_must_be_a_version_in_us_east_1(world: World) -> None:
    trusted = role(world, "edge-role", "lambda.amazonaws.com", "edgelambda.amazonaws.com")
    good = edge_function(world, "headers", trusted)
    elsewhere = edge_function(world, "far", trusted, region="eu-west-1")
    unversioned = good.rsplit(":", 1)[0] + ":$LATEST"
    dist = distribution(world, "static.example.com", edge=[(good, "origin-response"), (elsewhere, "viewer-request"),
                                                          (unversioned, "viewer-response")])
    report = world.check(dist)
    assert report.api.protocol == "CloudFront"
    statuses = {f.resource: f.status for f in findings_of(report, "lambda_edge")}
    assert statuses == {good: "pass", elsewhere: "fail", unversioned: "fail"}
    [origin] = findings_of(report, "cloudfront_origins")
    assert origin.status == "skip"


def test_function_url_found_from_the_url(world: World) -> None:
    fn = world.function("hook")
    url = function_url(world, "hook", public=False)
    report = world.check(url)
    assert report.api.protocol == "FunctionURL" and report.api.name == "hook"
    [finding] = findings_of(report, "function_url")
    assert finding.status == "fail" and finding.entry == "function-url-error" and "403" in finding.message
    assert "--action lambda:InvokeFunctionUrl --principal '*' --function-url-auth-type NONE" in finding.fix
    assert finding.resource == fn
    assert findings_of(report, "function_state", "pass") and findings_of(report, "timeouts")


def test_public_function_url_by_function_arn_passes(world: World) -> None:
    fn = world.function("hook")
    function_url(world, "hook")
    [finding] = findings_of(world.check(fn), "function_url")
    assert finding.status == "pass" and "payload 2.0" in finding.message and "413" in finding.message


def test_function_url_nobody_has_is_one_line(world: World) -> None:
    world.function("hook")
    with pytest.raises(BadGatewayError, match="no function in us-east-1 has the function URL"):
        world.check(f"https://{'a' * 32}.lambda-url.{REGION}.on.aws/")
