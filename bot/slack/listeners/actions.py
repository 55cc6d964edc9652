"""The reply's buttons: switch English/Italian, other likely causes, helpful / not helpful."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from typing import Any

from slack_bolt import App

from bot.core.diagnosis import Diagnosis
from bot.core.knowledge import load_knowledge
from bot.slack.listeners.common import acknowledge
from bot.slack.rendering.blocks import (
    ACTION_HELPFUL,
    ACTION_OTHER_CAUSES,
    ACTION_SWITCH_LANGUAGE,
    render_diagnosis,
    render_notice,
    render_other_causes,
    render_plain,
)
from bot.slack.rendering.replies import respond_safely, update_reply
from bot.slack.rendering.texts import say
from bot.slack.services import Services
from bot.slack.state.reply_state import ReplyState, feedback_event

feedback_log = logging.getLogger("badgateway.feedback")


def _diagnosis(state: ReplyState, services: Services) -> Diagnosis:
    """The diagnosis behind a button, with its evidence when this process still has it."""
    kept = services.diagnoses.get(state.key)
    diagnosis = kept if kept is not None else state.rebuild(load_knowledge())
    return dataclasses.replace(diagnosis, language=state.language)


def switch_language(body: dict[str, Any], action: dict[str, Any], client: Any, logger: logging.Logger,
                    services: Services) -> None:
    state = ReplyState.from_value(action.get("value"))
    container = body.get("container") or {}
    if state is None or not container.get("channel_id") or not container.get("message_ts"):
        return
    diagnosis = _diagnosis(state, services)
    update_reply(client, channel=container["channel_id"], ts=container["message_ts"],
                 message=render_diagnosis(diagnosis, key=state.key), plain=render_plain(diagnosis),
                 logger=logger)


def show_other_causes(action: dict[str, Any], respond: Any, logger: logging.Logger, services: Services) -> None:
    state = ReplyState.from_value(action.get("value"))
    if state is not None:
        respond_safely(respond, render_other_causes(_diagnosis(state, services)), logger,
                       response_type="ephemeral", replace_original=False)


def record_feedback(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
    ack()
    state = ReplyState.from_value(action.get("value"))
    event = feedback_event(body, state, helpful=action.get("action_id") == ACTION_HELPFUL)
    feedback_log.info(json.dumps(event, sort_keys=True))


def thank_for_feedback(action: dict[str, Any], respond: Any, logger: logging.Logger) -> None:
    state = ReplyState.from_value(action.get("value"))
    lang = state.language if state else "en"
    respond_safely(respond, render_notice(say(lang, "feedback_thanks"), lang), logger,
                   response_type="ephemeral", replace_original=False)


def register(app: App) -> None:
    app.action(ACTION_SWITCH_LANGUAGE)(ack=acknowledge, lazy=[switch_language])
    app.action(ACTION_OTHER_CAUSES)(ack=acknowledge, lazy=[show_other_causes])
    app.action(re.compile(r"^badgateway_feedback_"))(ack=record_feedback, lazy=[thank_for_feedback])
