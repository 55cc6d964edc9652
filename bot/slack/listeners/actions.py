"""The reply's buttons: switch English/Italian, other likely causes (feedback: listeners.feedback)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.core.diagnosis import Diagnosis
from bot.core.kb.knowledge import load_knowledge
from bot.slack.listeners.common import acknowledge
from bot.slack.rendering.blocks import (
    ACTION_OTHER_CAUSES,
    ACTION_SWITCH_LANGUAGE,
    render_diagnosis,
    render_other_causes,
    render_plain,
)
from bot.slack.rendering.replies import respond_safely, update_reply
from bot.slack.services import Services
from bot.slack.state.reply_state import ReplyState


def _diagnosis(state: ReplyState, services: Services) -> Diagnosis:
    """The diagnosis behind a button, with its evidence when this process still has it."""
    kept = services.diagnoses.get(state.key)
    diagnosis = kept if kept is not None else state.rebuild(load_knowledge())
    return diagnosis._replace(language=state.language)


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


def register(app: App) -> None:
    app.action(ACTION_SWITCH_LANGUAGE)(ack=acknowledge, lazy=[switch_language])
    app.action(ACTION_OTHER_CAUSES)(ack=acknowledge, lazy=[show_other_causes])
