"""Application Load Balancers and target groups with Lambda targets, by name, ARN and DNS name."""

from __future__ import annotations

import json

import pytest

from bot.errors import BadGatewayError
from tests.live.conftest import World, findings_of, run_bot
from tests.live.fronts import load_balancer


def test_missing_elb_permission_fails_with_the_target_group_arn(world: World) -> None:
    fn = world.function("web")
    alb = load_balancer(world, "web-alb", {"web-tg": [fn]}, allow=False)
    group = alb["groups"]["web-tg"]
    report = world.check("web-alb")
    assert report.api.protocol == "ALB" and report.api.id == alb["arn"] and report.api.name == "web-alb"
    [finding] = findings_of(report, "alb_permission")
    assert finding.status == "fail" and finding.entry == "missing-invoke-permission"
    assert finding.resource == group
    assert "--principal elasticloadbalancing.amazonaws.com" in finding.fix
    assert f"--source-arn {group}" in finding.fix and "--function-name web" in finding.fix
    assert "LambdaAccessDenied" in finding.message
    # Per-function checks look at target functions too; API Gateway checks are not run.
    assert findings_of(report, "function_state", "pass")
    assert not findings_of(report, "invoke_permission") and not findings_of(report, "logging")


def test_permission_for_the_target_group_passes_by_arn_and_by_target_group_name(world: World) -> None:
    fn = world.function("web")
    alb = load_balancer(world, "web-alb", {"web-tg": [fn]})
    for target in (alb["arn"], "web-tg", alb["groups"]["web-tg"]):
        report = world.check(target)
        assert [f.status for f in findings_of(report, "alb_permission")] == ["pass"], target
    assert world.check("web-tg").api.id == alb["groups"]["web-tg"]


def test_permission_for_another_target_group_fails(world: World) -> None:
    fn = world.function("web")
    alb = load_balancer(world, "web-alb", {"web-tg": [fn]}, allow=False)
    world.client("lambda").add_permission(
        FunctionName="web", StatementId="old", Action="lambda:InvokeFunction",
        Principal="elasticloadbalancing.amazonaws.com",
        SourceArn=alb["groups"]["web-tg"].replace("web-tg/", "old-tg/"))
    [finding] = findings_of(world.check("web-alb"), "alb_permission")
    assert finding.status == "fail"


def test_dns_name_and_url_of_the_load_balancer(world: World) -> None:
    fn = world.function("web")
    alb = load_balancer(world, "web-alb", {"web-tg": [fn]})
    for target in (alb["dns"], f"http://{alb['dns']}/orders"):
        report = world.check(target)
        assert report.api.name == "web-alb", target


def test_empty_target_group_answers_503(world: World) -> None:
    load_balancer(world, "web-alb", {"empty-tg": []})
    [finding] = findings_of(world.check("web-alb"), "target_health")
    assert finding.status == "fail" and "503" in finding.message and "register-targets" in finding.fix


def test_multi_value_headers_checked_against_what_the_function_logs(world: World) -> None:
    fn = world.function("web")
    load_balancer(world, "web-alb", {"web-tg": [fn]})  # multi-value headers off: the default
    response = {"statusCode": 200, "statusDescription": "200 OK", "isBase64Encoded": False,
                "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]}, "body": "ok"}
    world.log("/aws/lambda/web", [f"2024-05-01T10:00:00Z\tINFO\tresponse {json.dumps(response)}"])
    [finding] = findings_of(world.check("web-alb"), "alb_responses")
    assert finding.status == "fail" and finding.entry == "malformed-proxy-response"
    assert "LambdaInvalidResponse" in finding.message
    assert "lambda.multi_value_headers.enabled false" in finding.evidence


def test_multi_value_headers_on_accepts_them(world: World) -> None:
    fn = world.function("web")
    load_balancer(world, "web-alb", {"web-tg": [fn]}, multi_value=True)
    response = {"statusCode": 200, "statusDescription": "200 OK", "isBase64Encoded": False,
                "multiValueHeaders": {"Content-Type": ["text/plain"]}, "body": "ok"}
    world.log("/aws/lambda/web", [json.dumps({"level": "INFO", "message": response})])
    [finding] = findings_of(world.check("web-alb"), "alb_responses")
    assert finding.status == "pass" and "multi-value headers on" in finding.message
    assert "1 response(s)" in finding.message and "1 MB" in finding.message


def test_access_logging_off_warns_and_on_says_where_error_reason_is(world: World) -> None:
    fn = world.function("web")
    load_balancer(world, "web-alb", {"web-tg": [fn]})
    [off] = findings_of(world.check("web-alb"), "alb_access_logs")
    assert off.status == "warn" and "error_reason" in off.message
    assert "access_logs.s3.enabled,Value=true" in off.fix
    fn2 = world.function("api")
    load_balancer(world, "api-alb", {"api-tg": [fn2]}, access_logs=True)
    [on] = findings_of(world.check("api-alb"), "alb_access_logs")
    assert on.status == "pass" and "s3://alb-logs/AWSLogs/" in on.message and "badgateway diagnose" in on.message


def test_function_timeout_lines_of_a_target_function(world: World) -> None:
    fn = world.function("web", timeout=3)
    load_balancer(world, "web-alb", {"web-tg": [fn]})
    world.log("/aws/lambda/web", ["2024-05-01T10:00:03.010Z 5d0c2a1e Task timed out after 3.00 seconds"])
    report = world.check("web-alb")
    [finding] = findings_of(report, "timeouts", "fail")
    assert finding.entry == "function-timeout" and "load balancer answers 502" in finding.message


def test_unknown_name_is_one_line(world: World) -> None:
    with pytest.raises(BadGatewayError, match="'no-such-alb' not found in region us-east-1"):
        world.check("no-such-alb")


def test_json_protocol_alb_and_arns_in_resource(world: World) -> None:
    fn = world.function("web")
    alb = load_balancer(world, "web-alb", {"web-tg": [fn]}, allow=False)
    result = run_bot("check", "web-alb", "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["api"] == {"id": alb["arn"], "name": "web-alb", "protocol": "ALB"}
    by_check = {f["check"]: f for f in document["findings"]}
    assert by_check["alb_permission"]["resource"] == alb["groups"]["web-tg"]
    assert by_check["target_health"]["resource"].startswith("arn:aws:elasticloadbalancing:")
    assert by_check["alb_access_logs"]["resource"] == alb["arn"]
