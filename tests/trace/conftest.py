"""`badgateway trace` against moto's server on 127.0.0.1, with the stand-in for Logs Insights in
front of it (tests/live/conftest.py's fixtures, reused), seeded with execution, access and
function log lines of the shapes AWS writes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from tests.live import conftest as live
from tests.live.conftest import ACCOUNT, REGION, Route, World

# tests/live's fixtures, here too: moto's server, the Insights stand-in, the loopback guard.
moto_url, stand_in, local_aws, loopback_only, world = live.moto_url, live.stand_in, live.local_aws, \
    live.loopback_only, live.world

REQUEST = "3f1a9c2e-6b1d-4c1e-9a77-0d2f5e8b4c11"
LAMBDA_REQUEST = "5d0c2a1e-7f3b-4e2a-8c1d-9b6e4a2f0c33"
ACCESS_FORMAT = json.dumps({
    "requestId": "$context.requestId", "integrationRequestId": "$context.integration.requestId",
    "status": "$context.status", "integrationStatus": "$context.integration.status",
    "integrationLatency": "$context.integration.latency", "responseLatency": "$context.responseLatency",
    "httpMethod": "$context.httpMethod", "resourcePath": "$context.resourcePath",
})


def execution(request: str, *messages: str) -> list[str]:
    """Execution log events as API Gateway writes them: `(request-id) message`."""
    return [f"({request}) {message}" for message in messages]


def started(request: str, path: str = "/orders", method: str = "GET") -> list[str]:
    return execution(request, f"Extended Request Id: Xk2{request[:6]}=", f"Starting execution for request: {request}",
                     f"HTTP Method: {method}, Resource Path: {path}", "Method request path: {}",
                     "Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/"
                     f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:orders/invocations")


def access(request: str, status: int, *, lambda_request: str | None = LAMBDA_REQUEST, integration_status: int | None = 200,
           latency: int = 42, path: str = "/orders") -> str:
    return json.dumps({"requestId": request, "integrationRequestId": lambda_request or "-",
                       "status": str(status), "integrationStatus": str(integration_status or "-"),
                       "integrationLatency": str(latency), "responseLatency": str(latency + 5),
                       "httpMethod": "GET", "resourcePath": path})


def function_run(lambda_request: str, *middle: str, duration: float = 41.2, memory: int = 128,
                 used: int = 61) -> list[str]:
    return [f"START RequestId: {lambda_request} Version: $LATEST", *middle, f"END RequestId: {lambda_request}",
            f"REPORT RequestId: {lambda_request}\tDuration: {duration:.2f} ms\tBilled Duration: {int(duration) + 1} ms\t"
            f"Memory Size: {memory} MB\tMax Memory Used: {used} MB\t"]


@dataclass
class Shop:
    """A REST API `shop` (stage prod) whose GET /orders calls the function `orders`."""

    world: World
    api: str
    function: str

    @property
    def execution_group(self) -> str:
        return f"API-Gateway-Execution-Logs_{self.api}/prod"

    access_group = "/aws/apigateway/shop-access"
    function_group = "/aws/lambda/orders"


def make_shop(world: World, *, execution_logging: bool = True, access_logging: bool = True,
              timeout: int = 3) -> Shop:
    fn = world.function("orders", timeout=timeout)
    api = world.rest_api("shop", [Route("GET", "/orders", fn)], logging_level="INFO" if execution_logging else None)
    if access_logging:
        world.client("logs").create_log_group(logGroupName=Shop.access_group)
        world.client("apigateway").update_stage(restApiId=api, stageName="prod", patchOperations=[
            {"op": "replace", "path": "/accessLogSettings/destinationArn",
             "value": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{Shop.access_group}"},
            {"op": "replace", "path": "/accessLogSettings/format", "value": ACCESS_FORMAT},
        ])
    return Shop(world, api, fn)


@pytest.fixture
def shop(world: World) -> Shop:
    return make_shop(world)


def trace(world: World, request_id: str | None, api: str, **options: Any) -> Any:
    from bot.trace.runner import TraceRequest, run_trace

    return run_trace(TraceRequest(api=api, request_id=request_id, region=REGION, hooks=tuple(world.hooks), **options))
