"""What reading one log group gave."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

MAX_LOG_TEXT = 512 * 1024  # what the matcher reads per log group (the newest part)


class LogEvent(NamedTuple):
    """One log event with where and when AWS says it was written (None where a source does not say)."""

    message: str
    stream: str | None = None  # logStreamName / @logStream
    timestamp: int | None = None  # milliseconds since the epoch


@dataclass(frozen=True)
class LogRead:
    group: str
    exists: bool
    messages: tuple[str, ...]  # oldest first
    more: bool  # True when the window held more matching events than were read: a partial result
    source: str = "insights"  # insights | filter (FilterLogEvents)
    events: tuple[LogEvent, ...] = ()  # the messages' events, in the same order, where the reader kept them

    @property
    def text(self) -> str:
        joined = "\n".join(message.rstrip("\n") for message in self.messages)
        return joined[-MAX_LOG_TEXT:]
