"""What the Slack app must be granted, as the code uses it; deploy/*.yaml must say exactly this.

tests/slack/test_manifests.py holds the manifests to these lists, so a new scope or event is
added in one reviewed place.
"""

from __future__ import annotations

BOT_SCOPES = (
    "app_mentions:read",  # app_mention events
    "channels:history",  # message.channels: messages in opted-in public channels
    "groups:history",  # message.groups: messages in opted-in private channels
    "im:history",  # message.im: direct messages to the bot
    "chat:write",  # replies (chat.postMessage) and the language button (chat.update)
    "commands",  # /502
    "files:read",  # files.info and downloading an uploaded log from url_private
    "files:write",  # /502 API-ID: CloudWatch's graph of 5XX and latency, in the findings' thread
    "users:read",  # users.info with include_locale: the answer language
)
BOT_EVENTS = ("app_mention", "message.channels", "message.groups", "message.im")
SLASH_COMMAND = "/502"
EVENTS_PATH = "/slack/events"
