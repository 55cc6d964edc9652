"""Which Slack messages to answer, and the text to diagnose in them. Pure functions of the event."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from bot.core.diagnosis import Diagnosis

# In an opted-in channel nobody asked: answer only a strong, exact signature, never keywords.
WATCHED_MIN_SCORE = 0.8
WATCHED_MIN_SIMILARITY = 0.95

_ENTITY = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


@dataclass(frozen=True)
class Incoming:
    """A message to answer: where it is, who wrote it, its text and files."""

    delivery: str  # the event_id (or another unique key), for logs and tests
    channel: str
    ts: str
    thread_ts: str  # the thread to answer in
    user: str | None
    text: str  # Slack markup undone, the bot's own mention removed
    file_ids: tuple[str, ...]
    watched: bool  # an unprompted message in an opted-in channel

    @property
    def source_key(self) -> str:
        return f"{self.channel}:{self.ts}"


def incoming_from_event(
    event: dict[str, Any], *, delivery: str, bot_user_id: str | None, watched: bool
) -> Incoming:
    ts = str(event.get("ts") or event.get("event_ts") or "")
    return Incoming(
        delivery=delivery or ts,
        channel=str(event.get("channel") or ""),
        ts=ts,
        thread_ts=str(event.get("thread_ts") or ts),
        user=event.get("user"),
        text=plain_text(str(event.get("text") or ""), bot_user_id),
        file_ids=tuple(str(f["id"]) for f in event.get("files") or () if isinstance(f, dict) and f.get("id")),
        watched=watched,
    )


def plain_text(text: str, bot_user_id: str | None = None) -> str:
    """Slack's message markup undone: `<@BOT>` removed, links and mentions to their text, entities."""

    def entity(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if bot_user_id and target == f"@{bot_user_id}":
            return ""
        return label if label else target

    return html.unescape(_ENTITY.sub(entity, text)).strip()


def is_from_a_bot(event: dict[str, Any]) -> bool:
    """Bots, integrations and apps (ourselves included) are never answered."""
    return bool(event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message"
                or event.get("app_id"))


def mentions(event: dict[str, Any], user_id: str | None) -> bool:
    return bool(user_id) and f"<@{user_id}>" in str(event.get("text") or "")


def is_direct_message(event: dict[str, Any]) -> bool:
    return event.get("channel_type") == "im"


def is_watched(event: dict[str, Any], watch_channels: frozenset[str]) -> bool:
    return event.get("channel_type") in ("channel", "group") and event.get("channel") in watch_channels


def is_high_confidence(diagnosis: Diagnosis) -> bool:
    """Worth an unprompted reply: a strong score carried by an exact error signature."""
    best = diagnosis.best
    return (
        best is not None
        and best.score >= WATCHED_MIN_SCORE
        and any(item.similarity >= WATCHED_MIN_SIMILARITY for item in best.evidence)
    )
