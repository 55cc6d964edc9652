"""Messages in an opted-in channel (BADGATEWAY_WATCH_CHANNELS): answer only sure diagnoses."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.slack.handling.answer import answer_message
from bot.slack.handling.triage import incoming_from_event, is_from_a_bot, is_watched, mentions
from bot.slack.listeners.common import acknowledge
from bot.slack.services import Services


def is_unprompted_watched_message(event: dict[str, Any], context: BoltContext, services: Services) -> bool:
    # A message that mentions the bot is the app_mention listener's to answer.
    return (is_watched(event, services.config.watch_channels) and not is_from_a_bot(event)
            and not mentions(event, context.bot_user_id))


def answer_watched_message(body: dict[str, Any], event: dict[str, Any], client: Any, context: BoltContext,
                           logger: logging.Logger, services: Services) -> None:
    incoming = incoming_from_event(event, delivery=str(body.get("event_id") or ""),
                                   bot_user_id=context.bot_user_id, watched=True, via="channel")
    answer_message(incoming, services=services, client=client, logger=logger)


def register(app: App) -> None:
    app.event({"type": "message", "subtype": None}, matchers=[is_unprompted_watched_message])(
        ack=acknowledge, lazy=[answer_watched_message]
    )
