"""What reading one log group gave."""

from __future__ import annotations

from dataclasses import dataclass

MAX_LOG_TEXT = 512 * 1024  # what the matcher reads per log group (the newest part)


@dataclass(frozen=True)
class LogRead:
    group: str
    exists: bool
    messages: tuple[str, ...]  # oldest first
    more: bool  # True when the window held more matching events than were read: a partial result
    source: str = "insights"  # insights | filter (FilterLogEvents)

    @property
    def text(self) -> str:
        joined = "\n".join(message.rstrip("\n") for message in self.messages)
        return joined[-MAX_LOG_TEXT:]
