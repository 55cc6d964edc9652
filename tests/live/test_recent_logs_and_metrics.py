"""Checks 7 and 8: recent logs read by the matcher, and CloudWatch metrics."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.live.cloudwatch import metric_widget_request
from bot.live.inventory import load_inventory
from tests.live.conftest import REGION, Route, World, findings_of

MALFORMED = [
    "(5f3a-1) Endpoint response body before transformations: {\"body\": {\"ok\": true}}",
    "(5f3a-1) Execution failed due to configuration error: Malformed Lambda proxy response",
    "(5f3a-1) Method completed with status: 502",
]


def test_malformed_responses_in_the_execution_log_fail_with_evidence(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)], logging_level="INFO")
    world.log(f"API-Gateway-Execution-Logs_{api}/prod", MALFORMED * 3)
    report = world.check(api, checks=("recent_logs",))
    [finding] = [f for f in findings_of(report, "recent_logs", "fail") if f.resource == "stage prod"]
    assert finding.entry == "malformed-proxy-response"
    assert any("Malformed Lambda proxy response" in line for line in finding.evidence)


def test_function_log_evidence_is_redacted(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.log("/aws/lambda/orders", [
        "[ERROR] Runtime.ImportModuleError: Unable to import module 'app': No module named 'requests' "
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ])
    report = world.check(api, checks=("recent_logs",))
    [finding] = [f for f in findings_of(report, "recent_logs", "fail") if f.resource == "function orders"]
    assert finding.entry == "import-module-error"
    text = json.dumps(report.to_json())
    assert "wJalrXUtnFEMI" not in text


def test_quiet_logs_pass_and_missing_groups_skip(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.log("/aws/lambda/orders", ["START RequestId: 1 Version: $LATEST", "END RequestId: 1"])
    report = world.check(api, checks=("recent_logs",))
    statuses = {f.resource: f.status for f in findings_of(report, "recent_logs")}
    assert statuses == {"stage prod": "skip", "function orders": "pass"}


def test_old_lines_are_outside_the_window(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.log(f"API-Gateway-Execution-Logs_{api}/prod", MALFORMED, minutes_ago=180)
    report = world.check(api, checks=("recent_logs",), since=timedelta(hours=1))
    assert not findings_of(report, "recent_logs", "fail")
    report = world.check(api, checks=("recent_logs",), since=timedelta(hours=6), since_label="6h")
    assert findings_of(report, "recent_logs", "fail")


def test_http_api_access_log_is_read(world: World) -> None:
    fn = world.function("web")
    group = "/aws/apigateway/site"
    api = world.http_api("site", [Route("GET", "/", fn)],
                         access_log=(f"arn:aws:logs:{REGION}:123456789012:log-group:{group}", "$context.integrationErrorMessage"))
    world.log(group, ['{"status":"500","integrationErrorMessage":"The IAM role configured on the integration or '
                      'API Gateway doesn\'t have permissions to call the integration. Check the permissions and try again."}'])
    report = world.check(api, checks=("recent_logs",))
    failing = findings_of(report, "recent_logs", "fail")
    assert failing and failing[0].resource == "stage $default"


def test_5xx_in_the_window_warn(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.metric("AWS/ApiGateway", "5XXError", {"ApiName": "shop", "Stage": "prod"}, 37)
    world.metric("AWS/ApiGateway", "Count", {"ApiName": "shop", "Stage": "prod"}, 1200)
    world.metric("AWS/ApiGateway", "IntegrationLatency", {"ApiName": "shop", "Stage": "prod"}, 29_010)
    findings = findings_of(world.check(api, checks=("metrics",)), "metrics")
    assert [f.status for f in findings] == ["warn", "warn"]
    assert "37 5XX response(s) of 1,200" in findings[0].message
    assert findings[1].entry == "integration-timeout"


def test_http_api_metrics_use_api_id(world: World) -> None:
    fn = world.function("web")
    api = world.http_api("site", [Route("GET", "/", fn)])
    world.metric("AWS/ApiGateway", "5xx", {"ApiId": api, "Stage": "$default"}, 4)
    [finding] = findings_of(world.check(api, checks=("metrics",)), "metrics")
    assert finding.status == "warn" and "4 5XX" in finding.message


def test_no_traffic_passes(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    [finding] = findings_of(world.check(api, checks=("metrics",)), "metrics")
    assert finding.status == "pass"


def test_metric_widget_request_for_slack(world: World) -> None:
    from bot.live.aws import AwsClients, AwsSettings

    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    inventory = load_inventory(AwsClients(AwsSettings(region=REGION)), api)
    request = metric_widget_request(inventory, "prod", timedelta(hours=3))
    widget = json.loads(request["MetricWidget"])
    assert request["OutputFormat"] == "png"
    assert widget["start"] == "-PT3H" and widget["region"] == REGION
    assert widget["metrics"][0][:6] == ["AWS/ApiGateway", "5XXError", "ApiName", "shop", "Stage", "prod"]


def test_metric_widget_request_from_a_report_names_the_stage_metrics():
    """What /502 asks CloudWatch for (GetMetricWidgetImage), from what a CheckReport carries."""
    import json as _json
    from datetime import timedelta

    from bot.live.cloudwatch import metric_widget_request_for
    from bot.live.finding import ApiInfo

    rest = metric_widget_request_for(ApiInfo("a1b2c3d4e5", "shop", "REST"), "eu-west-1", "prod", timedelta(hours=1))
    widget = _json.loads(rest["MetricWidget"])
    assert rest["OutputFormat"] == "png"
    assert widget["region"] == "eu-west-1"
    assert widget["metrics"][0][:6] == ["AWS/ApiGateway", "5XXError", "ApiName", "shop", "Stage", "prod"]
    http = metric_widget_request_for(ApiInfo("a1b2c3d4e5", "shop", "HTTP"), "eu-west-1", "$default", timedelta(hours=6))
    widget = _json.loads(http["MetricWidget"])
    assert widget["metrics"][0][:6] == ["AWS/ApiGateway", "5xx", "ApiId", "a1b2c3d4e5", "Stage", "$default"]
    assert widget["start"] == "-PT6H"
