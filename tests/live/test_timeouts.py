"""Check 2, timeouts: function timeout against integration timeout, durations near the timeout."""

from __future__ import annotations

from tests.live.conftest import Route, World, findings_of

CHECK = "timeouts"


def test_function_longer_than_rest_default_warns_integration_timeout(world: World) -> None:
    fn = world.function("report", timeout=60)
    api = world.rest_api("reports", [Route("POST", "/reports", fn)])  # moto leaves timeoutInMillis unset
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "warn"
    assert finding.entry == "integration-timeout"
    assert "60 s" in finding.message and "29 s" in finding.message and "504" in finding.message
    assert "--function-name report --timeout 28" in finding.fix
    # Regional REST API: the integration timeout can be raised.
    assert "update-integration" in finding.fix and "timeoutInMillis,value=60000" in finding.fix


def test_edge_api_cannot_raise_the_timeout(world: World) -> None:
    fn = world.function("report", timeout=60)
    api = world.rest_api("reports", [Route("POST", "/reports", fn)], endpoint="EDGE")
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert "cannot be raised" in finding.fix


def test_function_that_ran_past_the_integration_timeout_fails(world: World) -> None:
    fn = world.function("report", timeout=60)
    api = world.rest_api("reports", [Route("POST", "/reports", fn)])
    world.metric("AWS/Lambda", "Duration", {"FunctionName": "report"}, 41_000)
    findings = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert findings[0].status == "fail" and findings[0].entry == "integration-timeout"
    assert "41 s" in findings[0].message


def test_http_api_thirty_seconds(world: World) -> None:
    fn = world.function("web", timeout=45)
    api = world.http_api("site", [Route("GET", "/slow", fn)])
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "warn" and "30 s" in finding.message and "503" in finding.message


def test_timeout_within_the_integration_passes(world: World) -> None:
    fn = world.function("quick", timeout=10)
    api = world.rest_api("q", [Route("GET", "/q", fn, timeout_ms=15_000)])
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "pass", finding.message
    assert "15 s" in finding.message


def test_durations_near_the_function_timeout_warn(world: World) -> None:
    fn = world.function("quick", timeout=3)
    api = world.rest_api("q", [Route("GET", "/q", fn)])
    world.metric("AWS/Lambda", "Duration", {"FunctionName": "quick"}, 2_950)
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "warn" and finding.entry == "function-timeout"


def test_task_timed_out_in_the_function_log_fails(world: World) -> None:
    fn = world.function("quick", timeout=3)
    api = world.rest_api("q", [Route("GET", "/q", fn)])
    world.log("/aws/lambda/quick", [
        "START RequestId: 3f1c Version: $LATEST",
        "2024-05-01T10:00:03.021Z 3f1c Task timed out after 3.00 seconds",
        "REPORT RequestId: 3f1c Duration: 3000.00 ms Billed Duration: 3000 ms",
    ])
    [finding] = findings_of(world.check(api, checks=(CHECK,)), CHECK)
    assert finding.status == "fail" and finding.entry == "function-timeout"
    assert any("Task timed out" in line for line in finding.evidence)
