"""The message shortcut "Diagnose this 502", on any message: diagnose it, answer in its thread.

Where the bot may not post (a channel it is not in, a conversation between other people) the
answer goes to the person who asked alone, through the shortcut's response_url.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.slack.handling.answer import answer_message
from bot.slack.handling.triage import incoming_from_shortcut
from bot.slack.listeners.common import acknowledge
from bot.slack.manifest import SHORTCUT_CALLBACK
from bot.slack.rendering.blocks import SlackMessage
from bot.slack.rendering.replies import respond_safely
from bot.slack.services import Services


def diagnose_shortcut_message(body: dict[str, Any], client: Any, respond: Any, context: BoltContext,
                              logger: logging.Logger, services: Services) -> None:
    def to_the_asker(message: SlackMessage) -> bool:
        return respond_safely(respond, message, logger, response_type="ephemeral", replace_original=False)

    incoming = incoming_from_shortcut(body, bot_user_id=context.bot_user_id)
    answer_message(incoming, services=services, client=client, logger=logger, fallback=to_the_asker)


def register(app: App) -> None:
    app.message_shortcut(SHORTCUT_CALLBACK)(ack=acknowledge, lazy=[diagnose_shortcut_message])
