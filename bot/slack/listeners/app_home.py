"""App Home's Home tab: published (views.publish) each time the person opens it, and redrawn
when they open an entry or go back to the list."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.core.kb.knowledge import load_knowledge
from bot.slack import eventlog
from bot.slack.handling.live_checks import access_for, membership_of
from bot.slack.listeners.common import acknowledge
from bot.slack.rendering.home import (
    ACTION_HOME,
    ACTION_READ_ENTRY,
    LiveAccess,
    render_home,
    render_home_entry,
)
from bot.slack.rendering.replies import slack_error
from bot.slack.services import Services


def is_the_home_tab(event: dict[str, Any]) -> bool:
    return event.get("tab") == "home"  # the Messages tab is the direct messages' listener's


def publish_home(event: dict[str, Any], client: Any, context: BoltContext, logger: logging.Logger,
                 services: Services) -> None:
    _publish_main(str(event.get("user") or ""), client, context, logger, services)


def back_home(body: dict[str, Any], client: Any, context: BoltContext, logger: logging.Logger,
              services: Services) -> None:
    _publish_main(str((body.get("user") or {}).get("id") or ""), client, context, logger, services)


def read_entry(body: dict[str, Any], action: dict[str, Any], client: Any, context: BoltContext,
               logger: logging.Logger, services: Services) -> None:
    user = str((body.get("user") or {}).get("id") or "")
    entry = next((e for e in load_knowledge().entries if e.id == action.get("value")), None)
    if entry is None:  # not one of ours (or gone since): the list again
        _publish_main(user, client, context, logger, services)
        return
    lang = services.locales.language_for(client, user, logger) or "en"
    eventlog.note(entries=[entry.id], language=lang)
    _publish(client, user, render_home_entry(entry, lang), logger)


def _publish_main(user: str, client: Any, context: BoltContext, logger: logging.Logger,
                  services: Services) -> None:
    if not user:
        return
    lang = services.locales.language_for(client, user, logger) or "en"
    config = services.config
    key, channels = access_for(config, user, membership_of(client, user, context, logger)
                               if config.allowed_channels and config.allowed_users else None)
    live = LiveAccess(key=key, channels=channels, alarm_channel=config.alarm_channel)
    view = render_home(load_knowledge(), lang, activity=services.state.recent_activity(user), live=live)
    eventlog.note(language=lang)
    _publish(client, user, view, logger)


def _publish(client: Any, user: str, view: dict[str, Any], logger: logging.Logger) -> None:
    try:
        client.views_publish(user_id=user, view=view)
        eventlog.note(outcome="replied")
    except Exception as exc:  # e.g. not_enabled: the Home tab is off in the app's settings
        logger.error("badgateway: views.publish for %s failed: %s", user, slack_error(exc))
        eventlog.note(outcome="failed")


def register(app: App) -> None:
    app.event("app_home_opened", matchers=[is_the_home_tab])(ack=acknowledge, lazy=[publish_home])
    app.action(ACTION_READ_ENTRY)(ack=acknowledge, lazy=[read_entry])
    app.action(ACTION_HOME)(ack=acknowledge, lazy=[back_home])
