"""The reply's Helpful / Not helpful buttons, and sharing the message's text with them.

The click is logged at once (one JSON line on `badgateway.feedback`, ids only) and kept as a
verdict (bot.slack.state); the thanks, to the person alone, offers to add the message's text,
redacted, when its author asks (bot.slack.handling.feedback). `badgateway feedback export`
turns the verdicts with a text into candidate corpus items.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt import App

from bot.slack import eventlog
from bot.slack.handling.feedback import read_shared_text, verdict_of
from bot.slack.listeners.common import acknowledge
from bot.slack.rendering.blocks import (
    ACTION_HELPFUL,
    ACTION_SHARE_TEXT,
    render_notice,
    render_thanks,
)
from bot.slack.rendering.replies import respond_safely
from bot.slack.rendering.texts import say
from bot.slack.services import Services
from bot.slack.state.reply_state import ReplyState, feedback_event

feedback_log = logging.getLogger("badgateway.feedback")


def record_feedback(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
    ack()
    state = ReplyState.from_value(action.get("value"))
    event = feedback_event(body, state, helpful=action.get("action_id") == ACTION_HELPFUL)
    feedback_log.info(json.dumps(event, sort_keys=True))


def keep_and_thank(body: dict[str, Any], action: dict[str, Any], respond: Any, logger: logging.Logger,
                   services: Services) -> None:
    state = ReplyState.from_value(action.get("value"))
    lang = state.language if state else "en"
    verdict = verdict_of(body, state.entries if state else (), lang, helpful=action.get("action_id") == ACTION_HELPFUL)
    member = services.state.record_verdict(verdict)
    # Sharing the text is offered where there is a message to read back, and a verdict to add it to.
    share = None
    if member and verdict["thread_ts"] and verdict["channel"]:
        share = json.dumps({"m": member, "c": verdict["channel"], "t": verdict["thread_ts"], "l": lang},
                           separators=(",", ":"))
    respond_safely(respond, render_thanks(lang, share), logger, response_type="ephemeral", replace_original=False)


def share_text(body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, logger: logging.Logger,
               services: Services) -> None:
    try:
        asked = json.loads(str(action.get("value") or ""))
        member, channel, thread_ts = str(asked["m"]), str(asked["c"]), str(asked["t"])
        lang = asked.get("l") if asked.get("l") in ("en", "it") else "en"
    except (ValueError, KeyError, TypeError, AttributeError):
        return  # not a value of ours
    user = str((body.get("user") or {}).get("id") or "")
    lang = services.locales.language_for(client, user, logger) or lang  # who pressed it reads the answer
    verdict = services.state.verdict(member)
    if verdict is None or verdict.get("user") != user:  # only the person who gave the verdict adds to it
        eventlog.note(outcome="silent")
        return
    text, problem = read_shared_text(client, channel, thread_ts, user, logger)
    if text is not None and services.state.replace_verdict(member, {**verdict, "text": text}):
        answer = say(lang, "feedback_shared")
    else:
        answer = say(lang, problem or "feedback_text_unreadable")
    respond_safely(respond, render_notice(answer, lang), logger, response_type="ephemeral", replace_original=False)


def register(app: App) -> None:
    app.action(re.compile(r"^badgateway_feedback_(helpful|not_helpful)$"))(ack=record_feedback,
                                                                          lazy=[keep_and_thank])
    app.action(ACTION_SHARE_TEXT)(ack=acknowledge, lazy=[share_text])
