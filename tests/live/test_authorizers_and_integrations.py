"""Lambda authorizers (REST and HTTP APIs), credentials roles, non-proxy integration responses."""

from __future__ import annotations

from tests.live.conftest import ACCOUNT, REGION, Route, World, findings_of
from tests.live.fronts import role

QUEUE_URI = f"arn:aws:apigateway:{REGION}:sqs:path/{ACCOUNT}/orders"


def authorized_rest_api(world: World, **authorizer: object) -> tuple[str, str]:
    fn = world.function("orders")
    auth = world.function("auth")
    api = world.rest_api("shop", [Route("GET", "/orders", fn, authorizer="tokens")],
                         authorizers={"tokens": {"function": auth, **authorizer}})
    world.allow("orders", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api}/*/GET/orders")
    [item] = world.client("apigateway").get_authorizers(restApiId=api)["items"]
    return api, str(item["id"])


def test_authorizer_without_its_own_permission_fails(world: World) -> None:
    api, authorizer = authorized_rest_api(world)
    report = world.check(api)
    [finding] = findings_of(report, "authorizers")
    assert finding.status == "fail" and finding.entry == "lambda-authorizer-error"
    assert finding.resource == f"arn:aws:apigateway:{REGION}::/restapis/{api}/authorizers/{authorizer}"
    source = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api}/authorizers/{authorizer}"
    assert f"--source-arn {source}" in finding.fix and "--function-name auth" in finding.fix
    assert "AuthorizerConfigurationException" in finding.message and "500" in finding.message
    # The authorizer's function is checked like the others, but not for a route's permission.
    assert {f.resource for f in findings_of(report, "invoke_permission")} == {"function orders"}
    assert "function auth" in {f.resource for f in findings_of(report, "function_state")}


def test_authorizer_permission_with_wildcards_passes(world: World) -> None:
    api, _ = authorized_rest_api(world)
    world.allow("auth", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api}/authorizers/*", sid="authorizer")
    [finding] = findings_of(world.check(api), "authorizers")
    assert finding.status == "pass" and "statement authorizer" in finding.message


def test_authorizer_role_apigateway_cannot_assume_fails(world: World) -> None:
    credentials = role(world, "authorizer-role", "lambda.amazonaws.com")
    api, _ = authorized_rest_api(world, credentials=credentials)
    [finding] = findings_of(world.check(api), "authorizers")
    assert finding.status == "fail" and finding.entry == "integration-role-error"
    assert "update-assume-role-policy --role-name authorizer-role" in finding.fix
    assert "apigateway.amazonaws.com" in finding.fix


def test_authorizer_role_that_trusts_api_gateway_passes(world: World) -> None:
    credentials = role(world, "authorizer-role", "apigateway.amazonaws.com")
    api, _ = authorized_rest_api(world, credentials=credentials)
    [finding] = findings_of(world.check(api), "authorizers")
    assert finding.status == "pass" and "authorizer-role" in finding.message


def test_http_api_authorizer_timeout_past_ten_seconds_warns(world: World) -> None:
    fn = world.function("web")
    auth = world.function("auth", timeout=20)
    api = world.http_api("site", [Route("GET", "/", fn, authorizer="la")], authorizers={"la": {"function": auth}})
    findings = findings_of(world.check(api), "authorizers")
    assert [f.status for f in findings] == ["fail", "warn"]
    assert all(f.resource.startswith(f"arn:aws:apigateway:{REGION}::/apis/{api}/authorizers/") for f in findings)
    assert "10 s" in findings[1].message and "--timeout 10" in findings[1].fix


def test_service_integration_role_not_trusting_api_gateway_fails(world: World) -> None:
    credentials = role(world, "sqs-writer", "lambda.amazonaws.com")
    api = world.rest_api("queue", [Route("POST", "/orders", None, integration_type="AWS", uri=QUEUE_URI,
                                         credentials=credentials, responses=[("200", None)])])
    [finding] = findings_of(world.check(api), "service_integrations")
    assert finding.status == "fail" and finding.entry == "integration-role-error"
    assert finding.resource.startswith(f"arn:aws:apigateway:{REGION}::/restapis/{api}/resources/")
    assert finding.resource.endswith("/methods/POST/integration")
    assert "sqs" in finding.message and "sqs-writer" in finding.message


def test_service_integration_role_that_does_not_exist_fails(world: World) -> None:
    api = world.rest_api("queue", [Route("POST", "/orders", None, integration_type="AWS", uri=QUEUE_URI,
                                         credentials=f"arn:aws:iam::{ACCOUNT}:role/gone", responses=[("200", None)])])
    [finding] = findings_of(world.check(api), "service_integrations")
    assert finding.status == "fail" and "does not exist" in finding.message


def test_lambda_with_an_integration_role_needs_no_resource_policy(world: World) -> None:
    fn = world.function("orders")
    credentials = role(world, "invoker", "apigateway.amazonaws.com")
    api = world.rest_api("shop", [Route("GET", "/orders", fn, credentials=credentials)])
    report = world.check(api)
    [permission] = findings_of(report, "invoke_permission")
    assert permission.status == "pass" and "invoker" in permission.message
    [service] = findings_of(report, "service_integrations")
    assert service.status == "pass"


def test_non_proxy_integration_without_responses_fails(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn, integration_type="AWS")])
    [finding] = findings_of(world.check(api), "service_integrations")
    assert finding.status == "fail" and finding.entry == "mapping-template-error"
    assert "No match for output mapping and no default output mapping" in finding.message
    assert f"--rest-api-id {api}" in finding.fix and "--selection-pattern ''" in finding.fix


def test_responses_that_can_never_match_warn(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn, integration_type="AWS",
                                        responses=[("500", "5\\d{2}"), ("400", "(.*")])])
    findings = findings_of(world.check(api), "service_integrations")
    messages = " | ".join(f.message for f in findings)
    assert [f.status for f in findings] == ["warn", "warn", "warn"]
    assert "no default integration response" in messages
    assert "looks like a status code" in messages and "errorMessage" in messages
    assert "not a valid regular expression" in messages


def test_non_proxy_integration_with_a_default_response_passes(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn, integration_type="AWS",
                                        responses=[("200", None), ("404", ".*NotFound.*")])])
    [finding] = findings_of(world.check(api), "service_integrations")
    assert finding.status == "pass"


def test_proxy_integration_with_get_points_at_its_entry(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn, integration_method="GET")])
    [finding] = findings_of(world.check(api, checks=("integration_setup",)), "integration_setup", "fail")
    assert finding.entry == "proxy-integration-method"
    assert finding.resource.endswith("/methods/GET/integration")
