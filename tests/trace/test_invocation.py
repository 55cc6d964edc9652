"""The function's own lines (Python's print(), stdout), which carry no request id: every line of the
invocation's log stream from its START to its END and REPORT shows up in the trace, and the
function hop's verdict reads them. Against moto's server (FilterLogEvents with logStreamNames)
and the Logs Insights stand-in, on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from bot.live.logs.model import LogEvent
from bot.trace.invocation import HEAD_LINES, MAX_LINES, Span, invocation_events
from tests.live.conftest import aws_response, run_bot
from tests.trace.conftest import (
    LAMBDA_REQUEST,
    REQUEST,
    Shop,
    access,
    function_run,
    make_shop,
    trace,
)

OTHER_LAMBDA = "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
TRACEBACK = ("[ERROR] KeyError: 'orderId'\nTraceback (most recent call last):\n"
             '  File "/var/task/app.py", line 7, in handler\n    order = event["pathParameters"]["orderId"]')
PRINTS = ("loading order 42 for customer c-981", "cart total 118.40 EUR, calling payments")


def denied_insights(request, **_):
    return aws_response(400, {"__type": "AccessDeniedException", "message": "not authorized"},
                        {"x-amzn-ErrorType": "AccessDeniedException"})


@pytest.fixture
def quiet_shop(world) -> Shop:
    """No execution log: the access log links the request to the function, whose lines must say why."""
    return make_shop(world, execution_logging=False)


def seed_crash(shop: Shop, *middle: str) -> None:
    shop.world.log(shop.access_group, [access(REQUEST, 502)])
    shop.world.log(shop.function_group, function_run(LAMBDA_REQUEST, *middle))


def fact(hop, key: str) -> dict | None:
    return next((s.values for s in hop.facts if s.key == key), None)


@pytest.mark.parametrize("insights", [True, False], ids=["insights", "filter-log-events"])
def test_print_lines_between_start_and_end_show_up_and_decide_the_verdict(quiet_shop: Shop, insights: bool) -> None:
    # Another request, in another stream at the same moment, prints too: none of it is this one's.
    quiet_shop.world.log(quiet_shop.function_group, function_run(OTHER_LAMBDA, "loading order 77", TRACEBACK))
    seed_crash(quiet_shop, *PRINTS, TRACEBACK)
    if not insights:
        quiet_shop.world.hooks.append(("before-send.logs.StartQuery", denied_insights))
    [one] = trace(quiet_shop.world, REQUEST, quiet_shop.api).traces
    function = one.hop("function")
    assert function.lines[0].startswith(f"START RequestId: {LAMBDA_REQUEST}")
    assert function.lines[1:4] == (*PRINTS, TRACEBACK)
    assert function.lines[-2:] == (f"END RequestId: {LAMBDA_REQUEST}", function.lines[-1])
    assert function.lines[-1].startswith(f"REPORT RequestId: {LAMBDA_REQUEST}")
    assert not any("order 77" in line or OTHER_LAMBDA in line for line in function.lines)
    # The runtime's own error line names no request id: only the stream's lines hold it.
    assert one.verdict == "unhandled-function-error" and one.failed_hop == "function"
    assert function.status == "failed" and any("KeyError: 'orderId'" in line for line in function.evidence)
    assert fact(function, "function_invocation_lines")["count"] == 6
    assert {s.key for s in function.facts}.isdisjoint({"function_no_start", "function_no_end", "function_lines_unread"})


def test_without_the_stream_the_same_request_has_no_cause(quiet_shop: Shop) -> None:
    """The control: the id's own lines alone (START, END, REPORT) say the function ran fine."""
    seed_crash(quiet_shop, *PRINTS, TRACEBACK)
    quiet_shop.world.hooks.append(("before-send.logs.FilterLogEvents", _denied_with_streams))
    [one] = trace(quiet_shop.world, REQUEST, quiet_shop.api).traces
    function = one.hop("function")
    assert one.verdict is None and function.status == "ok"
    assert not any(line in function.lines for line in PRINTS)
    unread = fact(function, "function_stream_unread")
    assert unread is not None and "logs:FilterLogEvents" in unread["problem"]


def _denied_with_streams(request, **_):
    """FilterLogEvents refused only when it names a log stream (a read of one invocation)."""
    if b"logStreamNames" not in (request.body or b""):
        return None
    return aws_response(400, {"__type": "AccessDeniedException",
                              "message": "User: arn:aws:iam::123456789012:user/t is not authorized to perform: "
                                         "logs:FilterLogEvents"},
                        {"x-amzn-ErrorType": "AccessDeniedException"})


def test_the_invocation_before_it_in_the_same_stream_is_left_out(quiet_shop: Shop) -> None:
    earlier = function_run(OTHER_LAMBDA, "loading order 77", "[ERROR] ValueError: earlier request")
    quiet_shop.world.log(quiet_shop.access_group, [access(REQUEST, 200, integration_status=200)])
    quiet_shop.world.log(quiet_shop.function_group, [*earlier, *function_run(LAMBDA_REQUEST, *PRINTS)])
    [one] = trace(quiet_shop.world, REQUEST, quiet_shop.api).traces
    function = one.hop("function")
    assert function.lines[1:3] == PRINTS and len(function.lines) == 5
    assert one.verdict is None and function.status == "ok"


def test_a_timeout_without_end_reads_up_to_the_report_line(quiet_shop: Shop) -> None:
    timed_out = f"2024-05-01T10:00:03.010Z {LAMBDA_REQUEST} Task timed out after 3.00 seconds"
    quiet_shop.world.log(quiet_shop.access_group, [access(REQUEST, 502, latency=3012)])
    report = (f"REPORT RequestId: {LAMBDA_REQUEST}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\t"
              "Memory Size: 128 MB\tMax Memory Used: 70 MB\tStatus: timeout")
    quiet_shop.world.log(quiet_shop.function_group, [f"START RequestId: {LAMBDA_REQUEST} Version: $LATEST", *PRINTS,
                                                     "waiting for payments...", report, timed_out])
    [one] = trace(quiet_shop.world, REQUEST, quiet_shop.api).traces
    function = one.hop("function")
    assert one.verdict == "function-timeout" and one.failed_hop == "function"
    assert function.lines[1:4] == (*PRINTS, "waiting for payments...")
    assert function.lines[-1] == timed_out  # after REPORT, merged in from the id's own lines
    keys = {s.key for s in function.facts}
    assert "function_no_end_report" in keys and "function_no_end" not in keys


def test_a_timeout_without_end_or_report_stops_at_the_next_invocation(quiet_shop: Shop) -> None:
    timed_out = f"2024-05-01T10:00:03.010Z {LAMBDA_REQUEST} Task timed out after 3.00 seconds"
    quiet_shop.world.log(quiet_shop.access_group, [access(REQUEST, 502, latency=3012)])
    quiet_shop.world.log(quiet_shop.function_group, [
        f"START RequestId: {LAMBDA_REQUEST} Version: $LATEST", *PRINTS, timed_out,
        *function_run(OTHER_LAMBDA, "loading order 77"),  # the environment, restarted, serves the next one
    ])
    [one] = trace(quiet_shop.world, REQUEST, quiet_shop.api).traces
    function = one.hop("function")
    assert function.lines[1:] == (*PRINTS, timed_out)
    assert one.verdict == "function-timeout"
    assert "function_no_end" in {s.key for s in function.facts}


@pytest.mark.parametrize("printed, unread", [(MAX_LINES + 500, False), (3500, True)], ids=["kept", "read"])
def test_a_bound_cuts_the_lines_and_says_so(quiet_shop: Shop, printed: int, unread: bool) -> None:
    seed_crash(quiet_shop, *(f"row {n} of the export" for n in range(printed)), TRACEBACK)
    [one] = trace(quiet_shop.world, REQUEST, quiet_shop.api).traces
    function = one.hop("function")
    assert len(function.lines) == MAX_LINES
    assert function.lines[0].startswith("START RequestId:") and function.lines[HEAD_LINES - 1] == f"row {HEAD_LINES - 2} of the export"
    assert function.lines[-2] == f"END RequestId: {LAMBDA_REQUEST}"  # the end is kept
    keys = {s.key for s in function.facts}
    assert "function_lines_left_out" in keys
    assert ("function_lines_unread" in keys) is unread
    if not unread:  # all was read: the verdict still sees the traceback near the end
        assert TRACEBACK in function.lines and one.verdict == "unhandled-function-error"
    done = run_bot("trace", REQUEST, "--api", quiet_shop.api)
    assert done.returncode == 1, done.stderr
    assert "lines in the middle are left out" in done.stdout and "lines not shown here" in done.stdout
    assert len(done.stdout.splitlines()) < 150  # the text shows the first and the last lines only
    document = json.loads(run_bot("trace", REQUEST, "--api", quiet_shop.api, "--format", "json").stdout)
    hop = next(h for h in document["hops"] if h["hop"] == "function")
    assert len(hop["lines"]) == MAX_LINES and any("left out" in words for words in hop["evidence"])


def test_secrets_in_printed_lines_are_redacted(quiet_shop: Shop) -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    seed_crash(quiet_shop, f"config loaded: aws_secret_access_key={secret}", TRACEBACK)
    for output in ("text", "json", "markdown"):
        done = run_bot("trace", REQUEST, "--api", quiet_shop.api, "--format", output)
        assert done.returncode == 1, done.stderr
        assert secret not in done.stdout and "config loaded" in done.stdout and "[REDACTED" in done.stdout


def test_a_logged_response_is_validated_when_the_execution_log_quotes_none(quiet_shop: Shop) -> None:
    seed_crash(quiet_shop, "building the response", "{'statusCode': 200, 'body': {'ok': True}}")
    [one] = trace(quiet_shop.world, REQUEST, quiet_shop.api).traces
    response = one.hop("response")
    assert one.verdict == "malformed-proxy-response" and one.failed_hop == "response"
    assert "response_logged" in {s.key for s in response.facts}
    problems = [s.values for s in response.facts if s.key == "response_problem"]
    assert problems and problems[0]["path"] == "body"


# ------------------------------------------------------------------------- pure slicing
def events(*messages: str, stream: str = "s1", start: int = 1000) -> tuple[LogEvent, ...]:
    return tuple(LogEvent(message, stream, start + i) for i, message in enumerate(messages))


def test_without_start_the_lines_begin_after_the_invocation_before() -> None:
    stream = events(f"REPORT RequestId: {OTHER_LAMBDA}\tDuration: 3.00 ms", "printed by ours",
                    f"{LAMBDA_REQUEST}\tINFO\tlogged by ours", f"END RequestId: {LAMBDA_REQUEST}",
                    f"REPORT RequestId: {LAMBDA_REQUEST}\tDuration: 2.00 ms")
    ids = tuple(e for e in stream if LAMBDA_REQUEST in e.message)
    span = Span("s1", 1000, 1004, started=False, ended=True, reported=True)
    got = [e.message for e in invocation_events(stream, ids, LAMBDA_REQUEST, span)]
    assert got == [e.message for e in stream[1:]]


def test_lines_the_stream_read_missed_are_merged_in_order() -> None:
    stream = events(f"START RequestId: {LAMBDA_REQUEST} Version: 3", "printed", f"END RequestId: {LAMBDA_REQUEST}")
    late = LogEvent(f"{LAMBDA_REQUEST} Task timed out after 3.00 seconds", "s1", 5000)
    span = Span("s1", 1000, 1002, started=True, ended=True, reported=False)
    got = invocation_events(stream, (stream[0], stream[2], late), LAMBDA_REQUEST, span)
    assert [e.message for e in got] == [*(e.message for e in stream), late.message]


def json_run(lambda_request: str, *middle: str, duration: float = 41.2, status: str = "error") -> list[str]:
    """One invocation as Lambda writes it with LoggingConfig.LogFormat JSON (platform events)."""
    def event(kind: str, **record) -> str:
        return json.dumps({"time": "2024-05-01T10:00:00.000Z", "type": kind,
                           "record": {"requestId": lambda_request, **record}})

    return [event("platform.start", version="$LATEST"), *middle, event("platform.runtimeDone", status=status),
            event("platform.report", status=status, metrics={
                "durationMs": duration, "billedDurationMs": int(duration) + 1, "memorySizeMB": 128,
                "maxMemoryUsedMB": 61})]


def test_the_json_log_format_is_split_into_invocations_too(quiet_shop: Shop) -> None:
    error = json.dumps({"timestamp": "2024-05-01T10:00:00Z", "level": "ERROR", "requestId": LAMBDA_REQUEST,
                        "message": {"errorMessage": "'orderId'", "errorType": "KeyError",
                                    "stackTrace": ['  File "/var/task/app.py", line 7, in handler']}})
    quiet_shop.world.log(quiet_shop.function_group, json_run(OTHER_LAMBDA, "loading order 77"))
    quiet_shop.world.log(quiet_shop.access_group, [access(REQUEST, 502)])
    quiet_shop.world.log(quiet_shop.function_group, json_run(LAMBDA_REQUEST, *PRINTS, error))
    [one] = trace(quiet_shop.world, REQUEST, quiet_shop.api).traces
    function = one.hop("function")
    assert '"platform.start"' in function.lines[0] and LAMBDA_REQUEST in function.lines[0]
    assert function.lines[1:3] == PRINTS
    assert '"platform.report"' in function.lines[-1]
    assert not any("order 77" in line or OTHER_LAMBDA in line for line in function.lines)
    assert fact(function, "function_invocation_lines")["count"] == 6
    assert {s.key for s in function.facts}.isdisjoint({"function_no_start", "function_no_end"})
    assert one.verdict == "unhandled-function-error"


def test_platform_events_read_as_their_text_lines() -> None:
    from bot.trace.lines import function_facts
    from bot.trace.platform import platform_text

    start, *_, done, report = json_run(LAMBDA_REQUEST, duration=3003.5, status="timeout")
    assert platform_text(start) == f"START RequestId: {LAMBDA_REQUEST} Version: $LATEST"
    assert platform_text(done) == f"END RequestId: {LAMBDA_REQUEST}"
    assert platform_text(report).startswith(f"REPORT RequestId: {LAMBDA_REQUEST}\tDuration: 3003.50 ms\t")
    facts = function_facts((start, done, report), LAMBDA_REQUEST)
    assert facts.started and facts.ended and facts.duration_ms == 3003.5 and facts.max_memory_mb == 61
    assert facts.report_status == "timeout"
    for other in ("not json {", '{"type": "platform.start"}', '{"type": "platform.initStart", "record": {}}',
                  "x" * 100, '{"record": {"requestId": 5}, "type": "platform.start"}', "[" * 10000):
        assert platform_text(other) is None
