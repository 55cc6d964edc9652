"""@badgateway in a channel: answer in the message's thread."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.slack.handling.answer import answer_message
from bot.slack.handling.triage import incoming_from_event, is_from_a_bot
from bot.slack.listeners.common import acknowledge
from bot.slack.services import Services


def from_a_person(event: dict[str, Any]) -> bool:
    return not is_from_a_bot(event)


def answer_mention(body: dict[str, Any], event: dict[str, Any], client: Any, context: BoltContext,
                   logger: logging.Logger, services: Services) -> None:
    incoming = incoming_from_event(event, delivery=str(body.get("event_id") or ""),
                                   bot_user_id=context.bot_user_id, watched=False, via="mention")
    answer_message(incoming, services=services, client=client, logger=logger)


def register(app: App) -> None:
    app.event("app_mention", matchers=[from_a_person])(ack=acknowledge, lazy=[answer_mention])
