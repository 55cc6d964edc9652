"""What the Slack app must be granted, as the code uses it; deploy/*.yaml must say exactly this.

tests/slack/test_manifests.py holds the manifests to these lists, so a new scope or event is
added in one reviewed place. The message shortcut needs `commands` (the slash command has it);
App Home's event and views.publish need no scope of their own; posting an alarm's findings needs
`chat:write` and the bot in that channel.
"""

from __future__ import annotations

BOT_SCOPES = (
    "app_mentions:read",  # app_mention events
    "channels:history",  # message.channels: opted-in public channels; a thread's first message (feedback)
    "groups:history",  # message.groups: opted-in private channels; the same
    "im:history",  # message.im: direct messages to the bot; the same
    "chat:write",  # replies, alarm findings (chat.postMessage), the language button and alarms' OK (chat.update)
    "commands",  # /502, and the message shortcut
    "files:read",  # files.info and downloading an uploaded log from url_private
    "files:write",  # /502 API-ID: CloudWatch's graph of 5XX and latency, in the findings' thread
    "users:read",  # users.info with include_locale: the answer language
)
BOT_EVENTS = ("app_home_opened", "app_mention", "message.channels", "message.groups", "message.im")
SLASH_COMMAND = "/502"
EVENTS_PATH = "/slack/events"
SHORTCUT_CALLBACK = "badgateway_diagnose_message"  # the message shortcut "Diagnose this 502"
SHORTCUT_NAME = "Diagnose this 502"
