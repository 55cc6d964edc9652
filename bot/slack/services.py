"""What the listeners share for the life of the process, handed to them through Bolt's context."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bot.slack.config import SlackConfig
from bot.slack.handling.language import LocaleCache
from bot.slack.hosting.work import WorkQueue
from bot.slack.state import BotState, open_state
from bot.slack.state.reply_state import DiagnosisStore


class Activity:
    """What became of each piece of work ('replied', 'silent', 'duplicate'...), by delivery id.

    Logged for operators; tests wait on it instead of sleeping.
    """

    def __init__(self, size: int = 1000) -> None:
        self._outcomes: list[tuple[str, str]] = []
        self._size = size
        self._changed = threading.Condition()

    def record(self, key: str, outcome: str) -> None:
        with self._changed:
            self._outcomes.append((key, outcome))
            del self._outcomes[: -self._size]
            self._changed.notify_all()

    def outcomes(self, key: str) -> list[str]:
        with self._changed:
            return [outcome for k, outcome in self._outcomes if k == key]

    def wait_for(self, key: str, count: int = 1, timeout: float = 10.0) -> list[str]:
        """The outcomes of `key` once there are `count` of them (or whatever there is at `timeout`)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [outcome for k, outcome in self._outcomes if k == key]
                left = deadline - time.monotonic()
                if len(found) >= count or left <= 0:
                    return found
                self._changed.wait(left)


@dataclass
class Services:
    config: SlackConfig
    # Deliveries, triggers and messages answered, live-check locks, alarms, App Home's history and
    # feedback verdicts: this process's memory, or the DynamoDB table every process shares.
    state: BotState = None  # type: ignore[assignment]  # set from the config when not given
    locales: LocaleCache = field(default_factory=LocaleCache)
    diagnoses: DiagnosisStore = field(default_factory=DiagnosisStore)
    activity: Activity = field(default_factory=Activity)
    work: WorkQueue = field(default_factory=WorkQueue)  # the work after each ack (bot.slack.hosting.work)

    def __post_init__(self) -> None:
        if self.state is None:
            self.state = open_state(self.config.state_table)

    def __deepcopy__(self, memo: dict[int, Any]) -> Services:
        # Bolt deep-copies the context for lazy listeners; the shared memories must stay shared.
        return self
