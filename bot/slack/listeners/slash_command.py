"""/502 help | list | show ENTRY-ID | API-ID [STAGE] [REGION]: answered to the user alone."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot.core.knowledge import load_knowledge
from bot.slack.listeners.common import acknowledge
from bot.slack.manifest import SLASH_COMMAND
from bot.slack.replies import respond_safely
from bot.slack.services import Services
from bot.slack.slash import parse_slash, slash_reply


def answer_command(command: dict[str, Any], respond: Any, client: Any, logger: logging.Logger,
                   services: Services) -> None:
    language = services.locales.language_for(client, command.get("user_id"), logger) or "en"
    message = slash_reply(parse_slash(str(command.get("text") or "")), language, load_knowledge())
    respond_safely(respond, message, logger, response_type="ephemeral")


def register(app: App) -> None:
    app.command(SLASH_COMMAND)(ack=acknowledge, lazy=[answer_command])
