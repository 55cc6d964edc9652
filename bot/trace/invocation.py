"""Every line one Lambda invocation wrote, not only those that name its request id.

A function's own output (Python's print(), Go's and Java's stdout, Node's process.stdout.write)
carries no request id. An execution environment handles one request at a time, so every event of
its log stream from `START RequestId: <id>` to `END RequestId: <id>` (and the REPORT line after it)
belongs to that request. The id's own lines give the stream and the times; the stream is read
between them (bot.live.logs.stream: no pattern, a page allowance), stopping at the next
invocation's START when there is no END (a timeout or a crash can end one without it).

- span_of (pure): the id's lines -> the stream and times to read, or None when no line says its stream;
- invocation_events (pure): the stream's events -> this invocation's, with the id's lines merged in;
- read_invocation (AWS): both, with every line redacted and the bound applied.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.redact import redact
from bot.live.aws import AwsCallError, AwsClients, BudgetExhausted
from bot.live.logs.model import LogEvent
from bot.trace.lines import MAX_LINE
from bot.trace.model import Invocation
from bot.trace.platform import platform_text

MAX_LINES = 1000  # kept per invocation: the first HEAD_LINES and the last ones
HEAD_LINES = 100
_MARKS = ("START", "END", "REPORT")
_DURATION = re.compile(r"\tDuration: (?P<ms>\d{1,9})(?:\.\d{1,6})? ms")


@dataclass(frozen=True)
class Span:
    stream: str
    start_ms: int
    end_ms: int
    started: bool  # the START line is among the id's lines
    ended: bool  # the END line is
    reported: bool  # the REPORT line is


def mark_of(message: str) -> tuple[str, str] | None:
    """`START RequestId: <id> ...` -> ("START", id); END and REPORT alike (in the JSON log format
    too, bot.trace.platform); None for any other line."""
    message = platform_text(message) or message
    for mark in _MARKS:
        prefix = f"{mark} RequestId: "
        if message.startswith(prefix):
            rest = message[len(prefix):len(prefix) + 100]
            return mark, rest.split(None, 1)[0] if rest.strip() else ""
    return None


def span_of(id_events: tuple[LogEvent, ...], lambda_id: str, window_end_ms: int) -> Span | None:
    stamped = [e for e in id_events if e.stream and e.timestamp is not None]
    if not stamped:
        return None
    marks = {mark: [e for e in stamped if mark_of(e.message) == (mark, lambda_id)] for mark in _MARKS}
    start, end, report = (marks[m][0] if marks[m] else None for m in _MARKS)
    anchor = start or end or report or stamped[0]
    ours = [e for e in stamped if e.stream == anchor.stream]
    first = ours[0].timestamp or 0
    if start is not None:
        begin = start.timestamp or first
    else:  # read back as far as the REPORT line says the invocation ran
        duration = _DURATION.search(platform_text(report.message) or report.message) if report is not None else None
        begin = first - (int(duration.group("ms")) + 1 if duration else 0)
    closing = [e.timestamp or 0 for e in (end, report) if e is not None]
    finish = max(closing) if closing else max(window_end_ms, ours[-1].timestamp or 0)
    return Span(str(anchor.stream), begin, finish, start is not None, end is not None, report is not None)


def invocation_events(stream_events: tuple[LogEvent, ...], id_events: tuple[LogEvent, ...], lambda_id: str,
                      span: Span) -> list[LogEvent]:
    """This invocation's events of the stream, oldest first, and the id's lines the stream read missed."""
    events = list(stream_events)
    marks = [mark_of(e.message) for e in events]
    if span.started:
        begin = next((i for i, m in enumerate(marks) if m == ("START", lambda_id)), 0)
    else:  # after the invocation before it ended
        first = next((i for i, e in enumerate(events) if lambda_id in e.message), len(events))
        begin = max((i + 1 for i, m in enumerate(marks[:first]) if m is not None and m[1] != lambda_id), default=0)
    closing = [i for i, m in enumerate(marks) if m in (("REPORT", lambda_id), ("END", lambda_id))]
    events = events[begin:closing[-1] + 1] if closing and closing[-1] >= begin else events[begin:]
    seen = {(e.timestamp, e.message) for e in events}
    missed = [e for e in id_events if (e.timestamp, e.message) not in seen]
    return sorted(events + missed, key=lambda e: e.timestamp or 0)  # stable: the stream's order for equal times


def next_invocation(lambda_id: str) -> Callable[[LogEvent], bool]:
    """A stop for the stream read: another invocation's START, once this one's lines have begun."""
    begun = False

    def stop(event: LogEvent) -> bool:
        nonlocal begun
        mark = mark_of(event.message)
        if lambda_id in event.message:
            begun = True
        return begun and mark is not None and mark[0] == "START" and mark[1] != lambda_id

    return stop


def read_invocation(aws: AwsClients, group: str, id_events: tuple[LogEvent, ...], lambda_id: str,
                    window_end_ms: int) -> Invocation | None:
    """None when no line of the id says its stream (the id's lines are then all there is)."""
    from bot.live.logs.stream import read_stream

    span = span_of(id_events, lambda_id, window_end_ms)
    if span is None:
        return None
    problem: str | None = None
    more = False
    try:
        read = read_stream(aws, group, span.stream, span.start_ms, span.end_ms, stop=next_invocation(lambda_id))
        events, more = invocation_events(read.events, id_events, lambda_id, span), read.more
    except AwsCallError as exc:
        events, problem = list(id_events), exc.describe()
    except BudgetExhausted as exc:
        events, problem = list(id_events), str(exc)
    left_out = max(0, len(events) - MAX_LINES)
    if left_out:
        events = events[:HEAD_LINES] + events[HEAD_LINES + left_out:]
    lines = tuple(redact(e.message.rstrip("\n"))[:MAX_LINE] for e in events)
    return Invocation(stream=redact(span.stream), lines=lines, started=span.started, ended=span.ended,
                      reported=span.reported, left_out=left_out, more=more,
                      problem=redact(problem) if problem else None)
