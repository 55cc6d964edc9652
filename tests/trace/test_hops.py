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
