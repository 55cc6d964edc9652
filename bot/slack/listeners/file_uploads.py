"""A log file shared in a direct message or an opted-in channel (mentions carry their files)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.slack.handling.answer import answer_message
from bot.slack.handling.triage import (
    incoming_from_event,
    is_direct_message,
    is_from_a_bot,
    is_watched,
    mentions,
)
from bot.slack.listeners.common import acknowledge
from bot.slack.services import Services


def is_file_for_us(event: dict[str, Any], context: BoltContext, services: Services) -> bool:
    if is_from_a_bot(event) or mentions(event, context.bot_user_id):
        return False
    return is_direct_message(event) or is_watched(event, services.config.watch_channels)


def answer_file_upload(body: dict[str, Any], event: dict[str, Any], client: Any, context: BoltContext,
                       logger: logging.Logger, services: Services) -> None:
    incoming = incoming_from_event(event, delivery=str(body.get("event_id") or ""),
                                   bot_user_id=context.bot_user_id, watched=not is_direct_message(event), via="file")
    answer_message(incoming, services=services, client=client, logger=logger)


def register(app: App) -> None:
    app.event({"type": "message", "subtype": "file_share"}, matchers=[is_file_for_us])(
        ack=acknowledge, lazy=[answer_file_upload]
    )
