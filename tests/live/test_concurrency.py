"""Check 4, concurrency."""

from __future__ import annotations

from tests.live.conftest import Route, World, findings_of

CHECK = "concurrency"


def test_reserved_concurrency_zero_fails(world: World) -> None:
    fn = world.function("orders")
    world.client("lambda").put_function_concurrency(FunctionName="orders", ReservedConcurrentExecutions=0)
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "fail" and finding.entry == "lambda-throttled"
    assert "delete-function-concurrency --region us-east-1 --function-name orders" in finding.fix


def test_throttles_in_the_window_warn(world: World) -> None:
    fn = world.function("orders")
    world.client("lambda").put_function_concurrency(FunctionName="orders", ReservedConcurrentExecutions=5)
    world.metric("AWS/Lambda", "Throttles", {"FunctionName": "orders"}, 12)
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "warn" and finding.entry == "lambda-throttled"
    assert "12 time(s)" in finding.message and "reserved concurrency of 5" in finding.message


def test_no_limit_no_throttles_passes(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "pass"
