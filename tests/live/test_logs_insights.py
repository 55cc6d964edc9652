"""Recent logs through one Logs Insights query (the stand-in applies the query's own filter, sort
and limit), and the paginated FilterLogEvents path where Insights is denied."""

from __future__ import annotations

from typing import Any

from tests.live.conftest import Route, World, access_denied, aws_response, findings_of
from tests.live.fronts import CallCounter

MALFORMED = [
    "(5f3a-1) Endpoint response body before transformations: {\"body\": {\"ok\": true}}",
    "(5f3a-1) Execution failed due to configuration error: Malformed Lambda proxy response",
    "(5f3a-1) Method completed with status: 502",
]
TIMED_OUT = "2024-05-01T10:00:03.010Z 5d0c2a1e-0000 Task timed out after 3.00 seconds"


def denied_insights(world: World) -> None:
    def denied(request: Any, **_: Any) -> Any:
        return aws_response(400, {"__type": "AccessDeniedException", "message": "not authorized to perform: logs:StartQuery"},
                            {"x-amzn-ErrorType": "AccessDeniedException"})

    world.hooks.append(("before-send.logs.StartQuery", denied))


def test_one_query_across_the_api_and_function_log_groups(world: World, stand_in: Any) -> None:
    orders, users = world.function("orders"), world.function("users")
    api = world.rest_api("shop", [Route("GET", "/orders", orders), Route("GET", "/users", users)], logging_level="INFO")
    world.log(f"API-Gateway-Execution-Logs_{api}/prod", MALFORMED)
    world.log("/aws/lambda/orders", [TIMED_OUT])
    world.log("/aws/lambda/users", ["[ERROR] Runtime.ImportModuleError: Unable to import module 'app': No module named 'x'"])
    counter = CallCounter(world)
    report = world.check(api, checks=("recent_logs",))
    assert counter.operations.count("logs.StartQuery") == 1 and "logs.FilterLogEvents" not in counter.operations
    [query] = stand_in.query_strings
    assert "| filter @message like /(?i)(" in query and "| sort @timestamp desc" in query and "| limit 1000" in query
    entries = {f.resource: f.entry for f in findings_of(report, "recent_logs", "fail")}
    assert entries == {"stage prod": "malformed-proxy-response", "function orders": "function-timeout",
                       "function users": "import-module-error"}


def test_log_volume_does_not_decide_what_is_found(world: World, stand_in: Any) -> None:
    """3,000 healthy lines after the failure: the server-side filter leaves only the failure."""
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.log("/aws/lambda/orders", [TIMED_OUT], minutes_ago=50)
    healthy = [f"START RequestId: {i:08d}-0000 Version: $LATEST" for i in range(3000)]
    world.log("/aws/lambda/orders", healthy, minutes_ago=10)
    [finding] = findings_of(world.check(api, checks=("recent_logs",)), "recent_logs", "fail")
    assert finding.entry == "function-timeout" and "partial" not in finding.message


def test_newest_lines_first_and_a_full_result_says_partial(world: World, stand_in: Any) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.log("/aws/lambda/orders", ["[ERROR] Runtime.ImportModuleError: Unable to import module 'old'"] * 1100,
              minutes_ago=50)
    world.log("/aws/lambda/orders", [TIMED_OUT] * 50, minutes_ago=5)
    findings = findings_of(world.check(api, checks=("recent_logs",)), "recent_logs", "fail")
    assert findings and all("partial" in f.message for f in findings)
    assert "function-timeout" in {f.entry for f in findings}  # the 50 newest were not crowded out


def test_missing_log_group_is_dropped_and_the_query_started_again(world: World, stand_in: Any) -> None:
    orders, users = world.function("orders"), world.function("users")
    api = world.rest_api("shop", [Route("GET", "/orders", orders), Route("GET", "/users", users)])
    world.log("/aws/lambda/orders", [TIMED_OUT])  # users never logged, prod has no execution log
    counter = CallCounter(world)
    report = world.check(api, checks=("recent_logs",))
    assert counter.operations.count("logs.StartQuery") == 3
    statuses = {f.resource: f.status for f in findings_of(report, "recent_logs")}
    assert statuses == {"stage prod": "skip", "function orders": "fail", "function users": "skip"}


def test_query_still_running_is_polled_then_read(world: World, stand_in: Any) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.log("/aws/lambda/orders", [TIMED_OUT])
    stand_in.polls_before_complete = 2
    counter = CallCounter(world)
    report = world.check(api, checks=("recent_logs",))
    assert counter.operations.count("logs.GetQueryResults") == 3
    assert findings_of(report, "recent_logs", "fail")


def test_query_not_finished_within_its_polls_is_partial_not_a_pass(world: World, stand_in: Any) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.log("/aws/lambda/orders", [TIMED_OUT])
    stand_in.polls_before_complete = 99
    findings = findings_of(world.check(api, checks=("recent_logs",)), "recent_logs")
    assert {f.status for f in findings} == {"skip"}
    assert any("not read to the end" in f.message for f in findings)


def test_insights_denied_falls_back_to_paginated_filter_log_events(world: World, stand_in: Any) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)], logging_level="INFO")
    world.log(f"API-Gateway-Execution-Logs_{api}/prod", MALFORMED)
    world.log("/aws/lambda/orders", [TIMED_OUT])
    denied_insights(world)
    stand_in.empty_first_pages = True  # as AWS may: an empty page with a nextToken
    report = world.check(api, checks=("recent_logs",))
    entries = {f.resource: f.entry for f in findings_of(report, "recent_logs", "fail")}
    assert entries == {"stage prod": "malformed-proxy-response", "function orders": "function-timeout"}
    [fallback] = findings_of(report, "recent_logs", "warn")
    assert fallback.resource == "logs" and "logs:StartQuery" in (fallback.fix or "")


def test_an_empty_page_with_a_token_is_never_a_pass(world: World, stand_in: Any) -> None:
    """The newest slice takes both pages of the allowance (empty, then a token): partial, not pass."""
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.log("/aws/lambda/orders", [TIMED_OUT] * 3, minutes_ago=50)  # only in the older part of the window
    world.log("/aws/lambda/orders", ["[ERROR] x"] * 1500, minutes_ago=2)
    denied_insights(world)
    stand_in.empty_first_pages = True
    findings = findings_of(world.check(api, checks=("recent_logs",)), "recent_logs")
    [function] = [f for f in findings if f.resource == "function orders"]
    assert function.status != "pass" and "partial" in function.message


def test_fallback_reads_newest_first_without_an_empty_page(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.log("/aws/lambda/orders", ["[ERROR] Runtime.ImportModuleError: Unable to import module 'old'"] * 1100,
              minutes_ago=50)
    world.log("/aws/lambda/orders", [TIMED_OUT] * 50, minutes_ago=5)
    denied_insights(world)
    findings = findings_of(world.check(api, checks=("recent_logs",)), "recent_logs", "fail")
    assert "function-timeout" in {f.entry for f in findings}
    assert all("partial" in f.message for f in findings)  # the older 1,100 were not all read


def test_logs_denied_everywhere_is_an_error_per_group_and_the_rest_goes_on(world: World) -> None:
    fn = world.function("orders")
    api = world.rest_api("shop", [Route("GET", "/orders", fn)])
    world.hooks.append(("before-send.logs", access_denied("logs:FilterLogEvents")))
    report = world.check(api, checks=("recent_logs", "function_state"))
    errors = findings_of(report, "recent_logs", "error")
    assert {f.resource for f in errors} == {"stage prod", "function orders"}
    assert findings_of(report, "function_state", "pass")
