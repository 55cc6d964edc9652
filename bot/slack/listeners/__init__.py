"""The listeners, one small module each; each only wires Slack to the core and the renderer."""

from __future__ import annotations

import re

from slack_bolt import App

from bot.slack.listeners import (
    actions,
    app_home,
    channel_messages,
    direct_messages,
    feedback,
    file_uploads,
    mentions,
    shortcut,
    slash_command,
)
from bot.slack.listeners.common import acknowledge


def register_listeners(app: App) -> None:
    # Order matters: Bolt runs the first listener that matches.
    for module in (mentions, direct_messages, channel_messages, file_uploads, slash_command, shortcut,
                   app_home, actions, feedback):
        module.register(app)
    # Every other event (chatter in channels the bot is in, edits, joins) gets its 200, or Slack
    # would count it as a failure and send it again.
    app.event(re.compile(".*"))(acknowledge)
