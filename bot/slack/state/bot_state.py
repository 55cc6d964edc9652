"""What the bot remembers, by name: each memory's key and how long it is kept, over any Store.

| memory                         | key                          | kept        |
|--------------------------------|------------------------------|-------------|
| a delivery (Events API)        | delivery#EVENT_ID            | 1 hour      |
| a slash command or a click     | trigger#TRIGGER_ID           | 15 minutes  |
| a message answered             | answered#CHANNEL:TS          | 1 hour      |
| one live check per person      | live-lock#USER (with owner)  | 90 seconds  |
| an alarm's investigation       | alarm#ALARM_ARN              | the window  |
| the thread of that alarm       | alarm-thread#ALARM_ARN       | 7 days      |
| its OK, said once              | alarm-ok#ALARM_ARN#TS        | 7 days      |
| a person's recent answers      | activity#USER / time-ordered | 30 days     |
| a feedback verdict             | feedback / time-ordered      | 365 days    |

A store that fails (DynamoDB unreachable, access denied) never stops an answer: the failure is
one log line, and the bot goes on as if nothing had been remembered (an answer twice is better
than none).
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from bot.slack.state.store import Json, StateError, Store

log = logging.getLogger("badgateway.state")

DELIVERY_TTL = 3600.0
TRIGGER_TTL = 900.0  # a signed request is good for 5 minutes
ANSWERED_TTL = 3600.0
LIVE_LOCK_TTL = 90.0  # the check's 25 s budget and the reply, with room: a crash frees it anyway
ALARM_THREAD_TTL = 7 * 86400.0
ACTIVITY_TTL = 30 * 86400.0
VERDICT_TTL = 365 * 86400.0
ACTIVITY_SHOWN = 10


@dataclass(frozen=True)
class AlarmThread:
    channel: str
    ts: str
    alarm: str  # the alarm's name
    status: str = ""  # the first message's last line once the checks ran (kept when it says OK)


class BotState:
    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def shared(self) -> bool:
        return self.store.shared

    # -- one answer per request -------------------------------------------------------------------

    def first_delivery(self, event_id: str) -> bool:
        return self._claim(f"delivery#{event_id}", DELIVERY_TTL)

    def first_trigger(self, trigger_id: str) -> bool:
        return self._claim(f"trigger#{trigger_id}", TRIGGER_TTL)

    def first_answer(self, message_key: str) -> bool:
        return self._claim(f"answered#{message_key}", ANSWERED_TTL)

    # -- one live check at a time per person ------------------------------------------------------

    def start_live_check(self, user: str) -> str | None:
        """An owner token when the person has no check running, else None."""
        owner = uuid.uuid4().hex
        try:
            return owner if self.store.lock(f"live-lock#{user}", owner, LIVE_LOCK_TTL) else None
        except StateError as exc:
            log.warning("badgateway: %s; the live check runs without its lock", exc)
            return owner

    def finish_live_check(self, user: str, owner: str) -> None:
        self._quietly(self.store.unlock, f"live-lock#{user}", owner)

    # -- alarms -------------------------------------------------------------------------------------

    def first_alarm(self, alarm_arn: str, window: float) -> bool:
        return self._claim(f"alarm#{alarm_arn}", window)

    def remember_alarm_thread(self, alarm_arn: str, thread: AlarmThread) -> None:
        self._quietly(self.store.put, f"alarm-thread#{alarm_arn}",
                      {"channel": thread.channel, "ts": thread.ts, "alarm": thread.alarm, "status": thread.status},
                      ALARM_THREAD_TTL)

    def alarm_thread(self, alarm_arn: str) -> AlarmThread | None:
        value = self._quietly(self.store.get, f"alarm-thread#{alarm_arn}")
        if not value or not value.get("channel") or not value.get("ts"):
            return None
        return AlarmThread(str(value["channel"]), str(value["ts"]), str(value.get("alarm") or ""),
                           str(value.get("status") or ""))

    def first_alarm_ok(self, alarm_arn: str, thread: AlarmThread) -> bool:
        return self._claim(f"alarm-ok#{alarm_arn}#{thread.ts}", ALARM_THREAD_TTL)

    # -- what App Home shows --------------------------------------------------------------------------

    def record_activity(self, user: str | None, item: Json) -> None:
        """One of the person's diagnoses or live checks (ids, entries, counts: never their text)."""
        if user:
            at = time.time()
            self._quietly(self.store.add, f"activity#{user}", _member(at), {**item, "at": at}, ACTIVITY_TTL)

    def recent_activity(self, user: str, limit: int = ACTIVITY_SHOWN) -> list[Json]:
        found = self._quietly(self.store.members, f"activity#{user}", limit) or []
        return [value for _, value in found]

    # -- feedback -------------------------------------------------------------------------------------

    def record_verdict(self, verdict: Json) -> str | None:
        """Keep one 👍/👎; the member id it is kept under, to add the text to (None: not kept)."""
        at = time.time()
        member = _member(at)
        kept = self._quietly(self.store.add, "feedback", member, {**verdict, "at": at}, VERDICT_TTL)
        return member if kept is not _FAILED else None

    def verdict(self, member: str) -> Json | None:
        return self._quietly(self.store.member, "feedback", member) or None

    def replace_verdict(self, member: str, verdict: Json) -> bool:
        return self._quietly(self.store.add, "feedback", member, verdict, VERDICT_TTL) is not _FAILED

    def verdicts(self) -> list[Json]:
        """Every verdict kept, newest first. StateError when the store cannot be read."""
        return [value for _, value in self.store.members("feedback")]

    # -- failures -------------------------------------------------------------------------------------

    def _claim(self, key: str, ttl: float) -> bool:
        try:
            return self.store.claim(key, ttl)
        except StateError as exc:
            log.warning("badgateway: %s; going on as if it were the first time", exc)
            return True

    def _quietly(self, method: Any, *args: Any) -> Any:
        try:
            return method(*args)
        except StateError as exc:
            log.warning("badgateway: %s", exc)
            return _FAILED


_FAILED: Any = type("Failed", (), {"__bool__": lambda self: False, "__repr__": lambda self: "FAILED"})()


def _member(at: float) -> str:
    """Time-ordered member ids: newest sorts last, so 'greatest first' is 'newest first'."""
    return f"{at:017.6f}#{uuid.uuid4().hex[:8]}"
