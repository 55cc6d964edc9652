"""`badgateway trace` as people run it: a separate process against moto's server (and the Logs
Insights stand-in) on 127.0.0.1; exit codes, the JSON shape, one-line errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.live.conftest import access_denied, run_bot
from tests.trace.conftest import (
    LAMBDA_REQUEST,
    REQUEST,
    Shop,
    access,
    execution,
    function_run,
    started,
    trace,
)

OTHER = "9b8a7c6d-0000-4e2a-8c1d-111111111111"
HOPS = ("authorizer", "integration", "function", "response")


def seed_success(shop: Shop, request: str = REQUEST, lambda_request: str = LAMBDA_REQUEST, minutes_ago: int = 5) -> None:
    shop.world.log(shop.execution_group, [
        *started(request),
        *execution(request, f"Endpoint response headers: {{x-amzn-RequestId={lambda_request}}}",
                   'Endpoint response body before transformations: {"statusCode": 200, "body": "{}"}',
                   "Method completed with status: 200"),
    ], minutes_ago=minutes_ago)
    shop.world.log(shop.access_group, [access(request, 200, lambda_request=lambda_request)], minutes_ago=minutes_ago)
    shop.world.log(shop.function_group, function_run(lambda_request), minutes_ago=minutes_ago)


def seed_permission_failure(shop: Shop, request: str, path: str = "/orders", minutes_ago: int = 5) -> None:
    shop.world.log(shop.execution_group, [
        *started(request, path),
        *execution(request, "Execution failed due to configuration error: Invalid permissions on Lambda function",
                   "Method completed with status: 500"),
    ], minutes_ago=minutes_ago)
    shop.world.log(shop.access_group, [access(request, 500, lambda_request=None, integration_status=None, path=path)],
                   minutes_ago=minutes_ago)


def assert_shape(document: dict) -> None:
    assert isinstance(document["request_id"], str)
    assert [hop["hop"] for hop in document["hops"]] == list(HOPS)
    for hop in document["hops"]:
        assert set(hop) == {"hop", "status", "entry", "evidence", "lines"}  # the contract's four, and the log lines
        assert all(isinstance(line, str) for line in hop["lines"]) and (hop["hop"] == "function" or not hop["lines"])
        assert hop["status"] in ("ok", "failed", "unknown")
        assert hop["entry"] is None or isinstance(hop["entry"], str)
        assert all(isinstance(line, str) for line in hop["evidence"])
    assert document["verdict"] is None or isinstance(document["verdict"], str)


def test_a_successful_request_exits_0(shop: Shop) -> None:
    seed_success(shop)
    done = run_bot("trace", REQUEST, "--api", shop.api)
    assert done.returncode == 0, done.stderr
    assert "request succeeded (200)" in done.stdout and REQUEST in done.stdout


def test_json_has_the_contract_shape_and_a_failure_exits_1(shop: Shop) -> None:
    seed_permission_failure(shop, REQUEST)
    done = run_bot("trace", REQUEST, "--api", shop.api, "--format", "json")
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert_shape(document)
    assert document["request_id"] == REQUEST and document["verdict"] == "missing-invoke-permission"
    hops = {hop["hop"]: hop for hop in document["hops"]}
    assert hops["integration"]["status"] == "failed" and hops["integration"]["entry"] == "missing-invoke-permission"
    assert any("Invalid permissions" in line for line in hops["integration"]["evidence"])


def test_an_execute_api_url_and_italian(shop: Shop) -> None:
    seed_permission_failure(shop, REQUEST)
    url = f"https://{shop.api}.execute-api.us-east-1.amazonaws.com/prod/orders"
    done = run_bot("trace", REQUEST, "--api", url, "--lang", "it")
    assert done.returncode == 1, done.stderr
    assert "Esito: missing-invoke-permission, nel passaggio integrazione" in done.stdout


def test_an_unknown_request_id_exits_2_with_one_line(shop: Shop) -> None:
    seed_success(shop)
    done = run_bot("trace", OTHER, "--api", shop.api)
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert f"request {OTHER} not found" in line and "Traceback" not in done.stderr


def test_bad_input_is_a_usage_error(shop: Shop) -> None:
    for args in (("trace", "not an id!", "--api", shop.api), ("trace", "--api", shop.api),
                 ("trace", REQUEST, "--api", "arn:aws:elasticloadbalancing:nope"), ("trace", REQUEST),
                 ("trace", REQUEST, "--api", shop.api, "--at", "yesterday")):
        done = run_bot(*args)
        assert done.returncode == 2, args
        assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr, (args, done.stderr)


def test_a_time_and_a_path_find_the_failing_requests_newest_first(shop: Shop) -> None:
    seed_success(shop, minutes_ago=6)
    seed_permission_failure(shop, OTHER, minutes_ago=8)
    seed_permission_failure(shop, REQUEST, minutes_ago=4)
    seed_permission_failure(shop, "77777777-0000-4e2a-8c1d-222222222222", path="/users", minutes_ago=3)
    at = (datetime.now(UTC) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    done = run_bot("trace", "--api", shop.api, "--at", at, "--path", "/orders", "--format", "json")
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert_shape(document)
    found = [document["request_id"], *(more["request_id"] for more in document["more"])]
    assert found == [REQUEST, OTHER]  # newest first; not the success, not /users
    assert document["search"]["found"] == 2 and all(more["verdict"] == "missing-invoke-permission"
                                                     for more in document["more"])


def test_a_window_without_failures_exits_2(shop: Shop) -> None:
    seed_success(shop)
    done = run_bot("trace", "--api", shop.api, "--path", "/orders")
    assert done.returncode == 2 and "no failing (5XX) request on /orders" in done.stderr


def test_an_aws_denial_is_one_clear_line(shop: Shop) -> None:
    import pytest

    from bot.errors import BadGatewayError

    seed_success(shop)
    shop.world.hooks.append(("before-send.apigateway.GetRestApi", access_denied("apigateway:GET")))
    with pytest.raises(BadGatewayError) as denied:
        trace(shop.world, REQUEST, shop.api)
    message = str(denied.value)
    assert "\n" not in message and "access denied" in message and "apigateway:GET" in message


def denied(request, **_):
    """AccessDenied as CloudWatch Logs' JSON protocol writes it."""
    from tests.live.conftest import aws_response

    return aws_response(400, {"__type": "AccessDeniedException", "message": "not authorized"},
                        {"x-amzn-ErrorType": "AccessDeniedException"})


def test_denied_logs_are_one_clear_line(shop: Shop) -> None:
    import pytest

    from bot.errors import BadGatewayError

    seed_success(shop)
    shop.world.hooks += [("before-send.logs.StartQuery", denied), ("before-send.logs.FilterLogEvents", denied)]
    with pytest.raises(BadGatewayError) as refused:
        trace(shop.world, REQUEST, shop.api)
    message = str(refused.value)
    assert "\n" not in message and "cannot read the logs" in message and "logs:FilterLogEvents" in message


def test_insights_denied_falls_back_to_filter_log_events(shop: Shop) -> None:
    seed_permission_failure(shop, REQUEST)
    shop.world.hooks.append(("before-send.logs.StartQuery", denied))
    [one] = trace(shop.world, REQUEST, shop.api).traces
    assert one.verdict == "missing-invoke-permission"


def test_no_logging_at_all_exits_2_saying_how_to_turn_it_on(world) -> None:
    from tests.trace.conftest import make_shop

    shop = make_shop(world, execution_logging=False, access_logging=False)
    done = run_bot("trace", REQUEST, "--api", shop.api)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert "writes neither execution nor access logs" in line
    assert f"aws apigateway update-stage --rest-api-id {shop.api} --stage-name prod" in line
