"""The 👍/👎 verdicts: what is kept of a click, the text its author may add, and the verdicts as
candidate corpus items (`badgateway feedback export`).

A verdict holds ids only: the answer's entries, its language, who clicked, where. The text of the
message is added only when the person who wrote it asks for it (the button under the thanks),
read again from Slack then, and redacted whole (bot.core.redact) before it is kept.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

MAX_SHARED_TEXT = 20_000  # characters of a shared message kept
_LOG_LINE = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\b\d{2}:\d{2}:\d{2}\b|^\s*(?:START|END|REPORT) RequestId"
    r"|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|^\s*[{\[]|^\s*(?:HTTP/[12]|< |> )"
    r"|\b(?:Error|Exception):", re.IGNORECASE)


def verdict_of(body: dict[str, Any], entries: tuple[str, ...], language: str | None, helpful: bool) -> dict[str, Any]:
    """What is kept of one click: ids, the answer's entries and language; no text."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    return {
        "helpful": helpful,
        "entries": list(entries),
        "language": language,
        "team": (body.get("team") or {}).get("id"),
        "team_domain": (body.get("team") or {}).get("domain"),
        "user": (body.get("user") or {}).get("id"),
        "channel": container.get("channel_id") or (body.get("channel") or {}).get("id"),
        "message_ts": container.get("message_ts"),
        "thread_ts": message.get("thread_ts"),  # the message that was answered (None: an ephemeral reply)
    }


def read_shared_text(client: Any, channel: str, thread_ts: str, user: str,
                     logger: logging.Logger) -> tuple[str | None, str | None]:
    """(redacted text, None) of the answered message when `user` wrote it; else (None, why: a key
    of bot.slack.rendering.texts)."""
    from bot.core.redact import redact
    from bot.slack.handling.triage import message_text, plain_text

    try:
        answer = client.conversations_replies(channel=channel, ts=thread_ts, limit=1, inclusive=True)
        message = next(m for m in answer.get("messages") or () if m.get("ts") == thread_ts)
    except Exception as exc:  # not in the channel any more, the message deleted, no scope
        logger.warning("badgateway: could not read the answered message again: %s", type(exc).__name__)
        return None, "feedback_text_unreadable"
    if message.get("user") != user or message.get("bot_id"):
        return None, "feedback_not_author"
    text = plain_text(message_text(message))[:MAX_SHARED_TEXT]
    redacted = "\n".join(redact(line) for line in text.splitlines())  # whole lines, before any cut
    return (redacted, None) if redacted.strip() else (None, "feedback_text_unreadable")


def corpus_items(verdicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The verdicts that carry a text, as items of tests/corpus/real_world.yaml, oldest first; the
    latest verdict of each person on each answer wins."""
    latest: dict[tuple[Any, Any], dict[str, Any]] = {}
    for verdict in sorted(verdicts, key=lambda v: float(v.get("at") or 0)):
        latest[(verdict.get("message_ts"), verdict.get("user"))] = verdict
    return [corpus_item(v) for v in latest.values() if str(v.get("text") or "").strip()]


def corpus_item(verdict: dict[str, Any]) -> dict[str, Any]:
    entries = [str(e) for e in verdict.get("entries") or ()]
    answered = ", ".join(entries) or "nothing recognised"
    at = float(verdict.get("at") or 0)
    day = time.strftime("%Y-%m-%d", time.gmtime(at))
    if verdict.get("helpful") and entries:
        cause: str | None = entries[0]
        why = (f"Marked helpful in Slack on {day} by the person who asked; the answer was {answered}. "
               "Review the text before adding it: the first cause is the answer's, not yet a thread's.")
    else:
        cause = None
        why = (f"Marked {'helpful' if verdict.get('helpful') else 'not helpful'} in Slack on {day}; the answer "
               f"was {answered}. Set the real cause after review (null: no known cause).")
    text = str(verdict["text"]).strip() + "\n"
    return {
        "name": f"slack-feedback-{day}-{_short(verdict)}",
        "source": _source(verdict),
        "cause": cause,
        "established_by": why,
        "kind": text_kind(text),
        "language": verdict.get("language") if verdict.get("language") in ("en", "it") else "en",
        "text": text,
    }


def text_kind(text: str) -> str:
    """"log", "prose" or "mixed", as the corpus labels texts: by how many lines look like log lines."""
    lines = [line for line in text.splitlines() if line.strip()]
    logs = sum(1 for line in lines if _LOG_LINE.search(line[:2000]))
    if not lines or logs == 0:
        return "prose"
    return "log" if logs == len(lines) else "mixed"


def _source(verdict: dict[str, Any]) -> str:
    """The answered message's permalink (https://DOMAIN.slack.com/archives/CHANNEL/pTS)."""
    domain = str(verdict.get("team_domain") or "app")
    channel = str(verdict.get("channel") or "")
    ts = str(verdict.get("thread_ts") or verdict.get("message_ts") or "").replace(".", "")
    if not re.fullmatch(r"[a-z0-9-]{1,64}", domain) or not channel.isalnum() or not ts.isdigit():
        return "https://slack.com/"
    return f"https://{domain}.slack.com/archives/{channel}/p{ts}"


def _short(verdict: dict[str, Any]) -> str:
    import hashlib

    key = f"{verdict.get('channel')}:{verdict.get('thread_ts')}:{verdict.get('user')}"
    return hashlib.sha256(key.encode()).hexdigest()[:8]
