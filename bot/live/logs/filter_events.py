"""FilterLogEvents, where Logs Insights is denied: one log group, newest part of the window first.

FilterLogEvents pages oldest first, and a page may come back empty with a nextToken while the
search goes on. So the window is read in two slices, the newest sixth first, following each
slice's tokens within a page allowance per group (the call bound); when the allowance runs out
with a token still pending, the read says it is partial instead of claiming nothing was there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.live.aws import AwsCallError, AwsClients
from bot.live.logs.model import LogEvent, LogRead
from bot.live.logs.patterns import filter_terms

MAX_LOG_EVENTS = 1000  # per page
PAGES_PER_GROUP = 2
NEWEST_SLICE = 1 / 6  # of the window, read first


def read_with_filter(aws: AwsClients, group: str, pattern: str | None, start: datetime, end: datetime,
                     *, pages: int = PAGES_PER_GROUP) -> LogRead:
    start_ms, end_ms = int(start.timestamp() * 1000), int(end.timestamp() * 1000)
    split = end_ms - max(1, int((end_ms - start_ms) * NEWEST_SLICE))
    slices = [(split, end_ms), (start_ms, split - 1)] if split > start_ms else [(start_ms, end_ms)]
    events: list[dict[str, Any]] = []
    left = pages
    pending = False
    for slice_start, slice_end in slices:
        token: str | None = None
        while True:
            if left == 0:
                pending = True  # this slice, or the rest of it, was not read
                break
            params: dict[str, Any] = {"logGroupName": group, "startTime": slice_start, "endTime": slice_end,
                                      "limit": MAX_LOG_EVENTS}
            if pattern:
                params["filterPattern"] = pattern
            if token:
                params["nextToken"] = token
            try:
                answer = aws.call("logs", "FilterLogEvents", **params)
            except AwsCallError as exc:
                if exc.not_found:
                    return LogRead(group, exists=False, messages=(), more=False, source="filter")
                raise
            left -= 1
            events += answer.get("events", [])
            token = answer.get("nextToken")
            if not token:
                break
        if pending:
            break
    events.sort(key=lambda event: event.get("timestamp", 0))
    read = tuple(event_of(event) for event in events)
    if pattern:
        # CloudWatch already filtered; the same terms here keep emulators that ignore OR-patterns
        # (moto) from handing every line to the matcher.
        terms = filter_terms(pattern)
        read = tuple(event for event in read if any(term in event.message for term in terms))
    return LogRead(group, True, tuple(event.message for event in read), more=pending, source="filter", events=read)


def event_of(event: dict[str, Any]) -> LogEvent:
    """A FilterLogEvents event: its message, log stream and timestamp."""
    stream, timestamp = event.get("logStreamName"), event.get("timestamp")
    return LogEvent(str(event.get("message", "")), str(stream) if stream else None,
                    int(timestamp) if isinstance(timestamp, (int, float)) else None)
