"""An HTTP API writes no execution log: its hops come from the access log (with
$context.integrationErrorMessage) and the function's log, and the trace says what is missing."""

from __future__ import annotations

import json

from tests.trace.conftest import ACCOUNT, LAMBDA_REQUEST, REGION, Route, World, function_run, trace

HTTP_REQUEST = "Jx9Q1gXyoAMEVxw="  # apigw-requestid
GROUP = "/aws/apigateway/orders-http"
FORMAT = json.dumps({"requestId": "$context.requestId", "routeKey": "$context.routeKey", "status": "$context.status",
                     "integrationRequestId": "$context.integration.requestId",
                     "integrationErrorMessage": "$context.integrationErrorMessage",
                     "integrationLatency": "$context.integration.latency"})


def http_shop(world: World) -> str:
    fn = world.function("orders")
    world.client("logs").create_log_group(logGroupName=GROUP)
    return world.http_api("orders-http", [Route("GET", "/orders", fn)],
                          access_log=(f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{GROUP}", FORMAT))


def record(status: int, error: str = "-", lambda_request: str = "-") -> str:
    return json.dumps({"requestId": HTTP_REQUEST, "routeKey": "GET /orders", "status": str(status),
                       "integrationRequestId": lambda_request, "integrationErrorMessage": error,
                       "integrationLatency": "12"})


def test_an_integration_error_message_names_the_cause(world: World) -> None:
    api = http_shop(world)
    world.log(GROUP, [record(500, "The IAM role configured on the integration or API Gateway doesn't have permissions "
                                  "to call the integration. Check the permissions and try again.")])
    [one] = trace(world, HTTP_REQUEST, api).traces
    assert one.api.protocol == "HTTP" and one.stage == "$default"
    assert one.verdict == "missing-invoke-permission" and one.failed_hop == "integration"
    assert one.client_status == 500 and one.hop("function").status == "unknown"


def test_a_success_reads_the_function_through_the_access_log(world: World) -> None:
    api = http_shop(world)
    world.log(GROUP, [record(200, lambda_request=LAMBDA_REQUEST)])
    world.log("/aws/lambda/orders", function_run(LAMBDA_REQUEST, duration=8.0))
    [one] = trace(world, HTTP_REQUEST, api).traces
    assert one.succeeded and {hop.hop: hop.status for hop in one.hops} == {
        "authorizer": "ok", "integration": "ok", "function": "ok", "response": "ok"}
    calls = {s.key: s.values for s in one.hop("integration").facts}["integration_calls"]
    assert calls["route"] == "GET /orders" and calls["function"] == "orders"
