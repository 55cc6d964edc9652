"""The runner: AccessDenied and crashes become findings, throttling is retried, the budget gives
partial results, the number of AWS calls does not grow with routes, secrets are never kept."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bot.errors import BadGatewayError, UsageError
from bot.live.checks import REGISTRY
from bot.live.runner import select_checks
from tests.live.conftest import Route, World, access_denied, aws_response, findings_of


def test_access_denied_is_an_error_finding_and_the_rest_goes_on(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.hooks.append(("before-send.lambda.GetPolicy", access_denied("lambda:GetPolicy")))
    report = world.check(api)
    [error] = findings_of(report, "invoke_permission")
    assert error.status == "error"
    assert "lambda:GetPolicy" in error.message and "iam-policy.json" in (error.fix or "")
    assert findings_of(report, "function_state", "pass")
    assert findings_of(report, "timeouts")


def test_access_denied_on_the_api_is_a_one_line_usage_error(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])

    def denied(request: Any, **_: Any) -> Any:
        return aws_response(403, {"message": "User is not authorized to access this resource"},
                            {"x-amzn-ErrorType": "AccessDeniedException"})

    world.hooks.append(("before-send.apigateway.GetRestApi", denied))
    with pytest.raises(BadGatewayError) as caught:
        world.check(api)
    assert api in str(caught.value) and "us-east-1" in str(caught.value) and "apigateway:GET" in str(caught.value)


def test_throttling_is_retried(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    answered = {"throttled": 0}

    def throttle_twice(request: Any, **_: Any) -> Any:
        if answered["throttled"] < 2:
            answered["throttled"] += 1
            return aws_response(429, {"Type": "User", "message": "Rate exceeded"},
                                {"x-amzn-ErrorType": "TooManyRequestsException"})
        return None

    world.hooks.append(("before-send.lambda.GetFunctionConfiguration", throttle_twice))
    report = world.check(api, checks=("function_state",))
    assert answered["throttled"] == 2
    assert [f.status for f in findings_of(report, "function_state")] == ["pass"]


def test_budget_gives_partial_results(world: World) -> None:
    fns = [world.function(f"fn{i}") for i in range(3)]
    api = world.rest_api("slow", [Route("GET", f"/r{i}", fn) for i, fn in enumerate(fns)])

    def slow(request: Any, **_: Any) -> None:
        time.sleep(2.5)  # every Lambda answer comes after the budget

    world.hooks.append(("before-send.lambda", slow))
    report = world.check(api, budget=2.0, max_workers=2)
    assert report.partial
    assert any(f.status == "skip" for f in report.findings)
    assert findings_of(report, "integration_setup", "pass")  # what needed no slow call is there


def test_a_crashing_check_is_an_error_finding(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])

    def boom(self: Any, context: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(type(REGISTRY["concurrency"]), "run", boom)
    report = world.check(api)
    [finding] = findings_of(report, "concurrency")
    assert finding.status == "error" and "RuntimeError" in finding.message
    assert findings_of(report, "function_state", "pass")


def test_calls_do_not_grow_with_routes(world: World) -> None:
    fns = [world.function(f"fn{i}") for i in range(3)]
    small = world.rest_api("small", [Route("GET", f"/a{i}", fns[i % 3]) for i in range(3)])
    large = world.rest_api("large", [Route(m, f"/b{i}", fns[i % 3]) for i in range(20) for m in ("GET", "POST")])
    calls_small = world.check(small).aws_calls
    calls_large = world.check(large).aws_calls
    assert calls_small == calls_large
    assert calls_large <= 10 + 5 * 3


def test_environment_values_are_never_kept(world: World) -> None:
    fn = world.function("orders", environment={"DB_PASSWORD": "correct-horse-battery-staple"})
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    from bot.live.aws import AwsClients, AwsSettings
    from bot.live.context import CheckContext
    from bot.live.inventory import load_inventory

    aws = AwsClients(AwsSettings(region="us-east-1"))
    context = CheckContext(aws, load_inventory(aws, api))
    [target] = context.inventory.targets()
    assert "Environment" not in context.configuration(target)
    assert "Environment" not in context.function_code(target)["Configuration"]
    assert "correct-horse" not in repr(context._cache._entries)
    report = world.check(api)
    assert "correct-horse" not in json.dumps(report.to_json())


def test_unknown_api_is_a_usage_error(world: World) -> None:
    with pytest.raises(BadGatewayError) as caught:
        world.check("nope123456")
    assert "nope123456" in str(caught.value) and "us-east-1" in str(caught.value)


def test_unknown_stage_names_the_known_ones(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    with pytest.raises(UsageError, match="stages: prod"):
        world.check(api, stage="staging")


def test_stage_option_limits_the_check(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)], stages={"prod": {}, "dev": {}})
    report = world.check(api, stage="dev")
    assert report.stages == ("dev",)
    assert {f.resource for f in findings_of(report, "logging")} == {"stage dev"}


def test_check_selection() -> None:
    assert [c.id for c in select_checks(None, invoke=False, inspect_package=False)] == [
        "invoke_permission", "authorizers", "alb_permission", "timeouts", "function_state", "concurrency",
        "function_url", "integration_setup", "service_integrations", "target_health", "alb_responses",
        "alb_access_logs", "lambda_edge", "cloudfront_origins", "logging", "recent_logs", "metrics"]
    assert [c.id for c in select_checks(("metrics", "timeouts"), invoke=False, inspect_package=False)] == [
        "timeouts", "metrics"]
    with pytest.raises(UsageError, match="unknown check nope"):
        select_checks(("nope",), invoke=False, inspect_package=False)
    with pytest.raises(UsageError, match="--invoke"):
        select_checks(("invoke",), invoke=False, inspect_package=False)


def test_denied_metrics_and_logs_do_not_sink_the_timeouts_check(world: World) -> None:
    fn = world.function("report", timeout=60)
    api = world.rest_api("reports", [Route("POST", "/reports", fn)])

    def denied_json(request: Any, **_: Any) -> Any:
        return aws_response(400, {"__type": "AccessDeniedException", "message": "not authorized"},
                            {"x-amzn-ErrorType": "AccessDeniedException"})

    world.hooks.append(("before-send.logs", denied_json))  # Logs Insights and FilterLogEvents alike
    report = world.check(api, checks=("timeouts", "recent_logs"))
    assert [f.status for f in findings_of(report, "timeouts")] == ["warn"]
    errors = findings_of(report, "recent_logs", "error")
    assert errors and all("logs:FilterLogEvents" in f.message for f in errors)
