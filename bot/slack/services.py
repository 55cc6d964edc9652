"""What the listeners share for the life of the process, handed to them through Bolt's context."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bot.slack.config import SlackConfig
from bot.slack.handling.language import LocaleCache
from bot.slack.hosting.work import WorkQueue
from bot.slack.state.memory import SeenKeys
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
    deliveries: SeenKeys = field(default_factory=SeenKeys)  # event_id of each delivery
    # trigger_id of each /502 and button click: a replayed request (signatures hold 5 minutes) is dropped
    triggers: SeenKeys = field(default_factory=lambda: SeenKeys(ttl=900.0))
    answered: SeenKeys = field(default_factory=SeenKeys)  # channel:ts of each message answered
    locales: LocaleCache = field(default_factory=LocaleCache)
    diagnoses: DiagnosisStore = field(default_factory=DiagnosisStore)
    activity: Activity = field(default_factory=Activity)
    work: WorkQueue = field(default_factory=WorkQueue)  # the work after each ack (bot.slack.hosting.work)

    def __deepcopy__(self, memo: dict[int, Any]) -> Services:
        # Bolt deep-copies the context for lazy listeners; the shared memories must stay shared.
        return self
