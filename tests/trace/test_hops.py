"""One request followed hop by hop, for the failures people meet most: each verdict names the
knowledge entry and the hop where the request failed."""

from __future__ import annotations

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


def statuses(result) -> dict[str, str]:
    [one] = result.traces
    return {hop.hop: hop.status for hop in one.hops}


def test_missing_invoke_permission_fails_at_the_integration(shop: Shop) -> None:
    shop.world.log(shop.execution_group, [
        *started(REQUEST),
        *execution(REQUEST, "Execution failed due to configuration error: Invalid permissions on Lambda function",
                   "Method completed with status: 500"),
    ])
    shop.world.log(shop.access_group, [access(REQUEST, 500, lambda_request=None, integration_status=None)])
    result = trace(shop.world, REQUEST, shop.api)
    [one] = result.traces
    assert one.verdict == "missing-invoke-permission" and one.failed_hop == "integration"
    assert statuses(result) == {"authorizer": "ok", "integration": "failed", "function": "unknown",
                                "response": "failed"}
    assert one.client_status == 500 and not one.succeeded
    assert any("Invalid permissions on Lambda function" in line for line in one.hop("integration").evidence)


def test_function_timeout_fails_at_the_function(shop: Shop) -> None:
    timed_out = f"2024-05-01T10:00:03.010Z {LAMBDA_REQUEST} Task timed out after 3.00 seconds"
    shop.world.log(shop.execution_group, [
        *started(REQUEST),
        *execution(REQUEST, "Received response. Status: 200, Integration latency: 3012 ms",
                   f"Endpoint response headers: {{Date=Wed, 01 May 2024 10:00:03 GMT, x-amzn-RequestId={LAMBDA_REQUEST}}}",
                   f"Lambda execution failed with status 200 due to customer function error: {timed_out}. "
                   f"Lambda request id: {LAMBDA_REQUEST}", "Method completed with status: 502"),
    ])
    shop.world.log(shop.access_group, [access(REQUEST, 502, latency=3012)])
    shop.world.log(shop.function_group, function_run(LAMBDA_REQUEST, timed_out, duration=3003.45))
    [one] = trace(shop.world, REQUEST, shop.api).traces
    assert one.verdict == "function-timeout" and one.failed_hop == "function"
    function = one.hop("function")
    words = {s.key: s.values for s in function.facts}
    assert words["function_duration"] == {"ms": "3003.45", "timeout_s": "3", "integration_s": "29"}
    assert words["function_memory"] == {"used": 61, "size": 128}
    assert one.hop("integration").status == "ok"


def test_integration_timeout_fails_at_the_integration(world) -> None:
    from tests.trace.conftest import make_shop

    shop = make_shop(world, timeout=60)
    shop.world.log(shop.execution_group, [
        *started(REQUEST),
        *execution(REQUEST, "Endpoint request timed out", "Method completed with status: 504"),
    ])
    shop.world.log(shop.access_group, [access(REQUEST, 504, integration_status=None, latency=29001)])
    shop.world.log(shop.function_group, function_run(LAMBDA_REQUEST, duration=41250.0))
    [one] = trace(shop.world, REQUEST, shop.api).traces
    assert one.verdict == "integration-timeout" and one.failed_hop == "integration"
    words = {s.key: s.values for s in one.hop("integration").facts}
    assert words["integration_latency"] == {"ms": 29001, "timeout_ms": 29000}
    ran = {s.key: s.values for s in one.hop("function").facts}["function_duration"]
    assert ran == {"ms": "41250", "timeout_s": "60", "integration_s": "29"}  # it ran on after API Gateway gave up


def test_malformed_proxy_response_is_validated(shop: Shop) -> None:
    shop.world.log(shop.execution_group, [
        *started(REQUEST),
        *execution(REQUEST, "Received response. Status: 200, Integration latency: 18 ms",
                   f"Endpoint response headers: {{x-amzn-RequestId={LAMBDA_REQUEST}}}",
                   'Endpoint response body before transformations: {"statusCode": 200, "body": {"ok": true}}',
                   "Execution failed due to configuration error: Malformed Lambda proxy response",
                   "Method completed with status: 502"),
    ])
    shop.world.log(shop.access_group, [access(REQUEST, 502, latency=18)])
    shop.world.log(shop.function_group, function_run(LAMBDA_REQUEST))
    [one] = trace(shop.world, REQUEST, shop.api).traces
    assert one.verdict == "malformed-proxy-response" and one.failed_hop == "response"
    response = one.hop("response")
    problems = [s.values for s in response.facts if s.key == "response_problem"]
    assert problems and problems[0]["path"] == "body"  # the validator's own finding: body is an object
    assert "string" in problems[0]["message"]["en"]
    assert one.hop("function").status == "ok" and one.hop("integration").status == "ok"


def test_a_success_is_ok_at_every_hop(shop: Shop) -> None:
    shop.world.log(shop.execution_group, [
        *started(REQUEST),
        *execution(REQUEST, "Received response. Status: 200, Integration latency: 12 ms",
                   f"Endpoint response headers: {{x-amzn-RequestId={LAMBDA_REQUEST}}}",
                   'Endpoint response body before transformations: {"statusCode": 200, "body": "{}"}',
                   "Successfully completed execution", "Method completed with status: 200"),
    ])
    shop.world.log(shop.access_group, [access(REQUEST, 200, latency=12)])
    shop.world.log(shop.function_group, function_run(LAMBDA_REQUEST, duration=10.5))
    result = trace(shop.world, REQUEST, shop.api)
    [one] = result.traces
    assert one.succeeded and one.verdict is None and result.succeeded
    assert set(statuses(result).values()) == {"ok"}
    assert {s.key for s in one.hop("response").facts} == {"client_got", "response_valid"}


def test_execution_logging_off_makes_hops_unknown_and_says_how_to_turn_it_on(world) -> None:
    from tests.trace.conftest import make_shop

    shop = make_shop(world, execution_logging=False)
    shop.world.log(shop.access_group, [access(REQUEST, 502, lambda_request=None, integration_status=None)])
    [one] = trace(shop.world, REQUEST, shop.api).traces
    integration = one.hop("integration")
    assert integration.status == "unknown"
    because = {s.key: s.values for s in integration.unknown_because}
    assert "execution_off" in because and because["execution_on"]["api"] == shop.api
    assert one.hop("function").status == "unknown"
    assert {s.key for s in one.hop("function").unknown_because} == {"function_unlinked"}
    assert one.hop("response").status == "failed" and one.client_status == 502
    assert not one.succeeded and one.verdict is None
