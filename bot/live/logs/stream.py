"""One log stream, between two times, every event (no filter pattern), oldest first, within a page
allowance: what one Lambda invocation wrote, where its lines carry no request id.

FilterLogEvents with logStreamNames, no pattern. Reading stops early at the first event `stop`
accepts (the next invocation's START line); when the allowance runs out with a token still
pending, the read says so (`more`), instead of claiming the stream ended there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.live.aws import AwsClients
from bot.live.logs.filter_events import event_of
from bot.live.logs.model import LogEvent

PAGE_EVENTS = 1000  # per page
STREAM_PAGES = 3


@dataclass(frozen=True)
class StreamRead:
    events: tuple[LogEvent, ...]  # oldest first, up to and without the event `stop` accepted
    more: bool  # the allowance ran out with events still to read
    stopped: bool  # an event `stop` accepted was reached


def read_stream(aws: AwsClients, group: str, stream: str, start_ms: int, end_ms: int, *,
                stop: Callable[[LogEvent], bool] | None = None, pages: int = STREAM_PAGES) -> StreamRead:
    """AwsCallError and BudgetExhausted are the caller's to tell."""
    events: list[LogEvent] = []
    token: str | None = None
    for _ in range(max(1, pages)):
        params: dict[str, Any] = {"logGroupName": group, "logStreamNames": [stream], "startTime": start_ms,
                                  "endTime": end_ms, "limit": PAGE_EVENTS}
        if token:
            params["nextToken"] = token
        answer = aws.call("logs", "FilterLogEvents", **params)
        page = sorted((event_of(e) for e in answer.get("events", [])), key=lambda e: e.timestamp or 0)
        for event in page:
            if stop is not None and stop(event):
                return StreamRead(tuple(events), more=False, stopped=True)
            events.append(event)
        token = answer.get("nextToken")
        if not token:
            return StreamRead(tuple(events), more=False, stopped=False)
    return StreamRead(tuple(events), more=True, stopped=False)
