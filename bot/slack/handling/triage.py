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
MAX_MESSAGE_TEXT = 256 * 1024  # what a shortcut's message can give, all its parts together
_MAX_DEPTH = 12  # blocks nest a few levels; a deeper payload is not one Slack wrote


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
    via: str = "message"  # mention, dm, channel, file, shortcut: for App Home's history
    once: str = ""  # what makes it answered once (default: the message, channel:ts)

    @property
    def source_key(self) -> str:
        return self.once or f"{self.channel}:{self.ts}"


def incoming_from_event(
    event: dict[str, Any], *, delivery: str, bot_user_id: str | None, watched: bool, via: str = "message"
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
        via=via,
    )


def incoming_from_shortcut(body: dict[str, Any], *, bot_user_id: str | None) -> Incoming:
    """The message a "Diagnose this 502" shortcut was used on; the person who used it is the user.

    Any message: a person's, another app's alert (its text often in attachments or blocks), one
    with files. Each use of the shortcut is answered (its trigger_id, once), whoever wrote it.
    """
    message = body.get("message") or {}
    channel = str((body.get("channel") or {}).get("id") or "")
    ts = str(message.get("ts") or body.get("message_ts") or "")
    files = message.get("files") or ()
    return Incoming(
        delivery=str(body.get("trigger_id") or ts),
        channel=channel,
        ts=ts,
        thread_ts=str(message.get("thread_ts") or ts),
        user=(body.get("user") or {}).get("id"),
        text=plain_text(message_text(message), bot_user_id),
        file_ids=tuple(str(f["id"]) for f in files if isinstance(f, dict) and f.get("id")),
        watched=False,
        via="shortcut",
        once=f"shortcut:{body.get('trigger_id') or ts}",
    )


def message_text(message: dict[str, Any]) -> str:
    """All the text of a message: its text, its attachments (titles, texts, fields) and its blocks
    (sections, fields, context, rich text), each line once, in order, at most MAX_MESSAGE_TEXT."""
    pieces: list[str] = [str(message.get("text") or "")]
    for attachment in message.get("attachments") or ():
        if isinstance(attachment, dict):
            pieces += [str(attachment.get(k) or "") for k in ("pretext", "title", "text")]
            for item in attachment.get("fields") or ():
                if isinstance(item, dict):
                    pieces += [str(item.get("title") or ""), str(item.get("value") or "")]
            _block_texts(attachment.get("blocks"), pieces, 0)
    _block_texts(message.get("blocks"), pieces, 0)
    lines: dict[str, None] = {}
    size = 0
    for line in "\n".join(pieces).splitlines():
        if line.strip() and line not in lines:
            size += len(line) + 1
            if size > MAX_MESSAGE_TEXT:
                break
            lines[line] = None
    return "\n".join(lines)


def _block_texts(node: Any, pieces: list[str], depth: int) -> None:
    """The texts in a block tree, depth-first: text objects, fields, and each paragraph of rich
    text as one line (its inline elements joined)."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            _block_texts(item, pieces, depth + 1)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind in ("rich_text_section", "rich_text_preformatted", "rich_text_quote"):
        pieces.append("".join(_inline(element) for element in node.get("elements") or ()))
    elif kind in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str):
        pieces.append(node["text"])
    else:
        for key in ("text", "fields", "elements"):
            if isinstance(node.get(key), (dict, list)):
                _block_texts(node[key], pieces, depth + 1)


def _inline(element: Any) -> str:
    if not isinstance(element, dict):
        return ""
    if element.get("type") == "text":
        return str(element.get("text") or "")
    if element.get("type") == "link":
        return str(element.get("text") or element.get("url") or "")
    return ""


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
