"""The app manifests grant exactly what the code uses: no missing scope, none extra."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.slack import manifest

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ["deploy/slack-app-manifest.yaml", "deploy/slack-app-manifest-http.yaml"]


@pytest.mark.parametrize("path", MANIFESTS)
def test_manifest_matches_the_code(path):
    document = yaml.safe_load((ROOT / path).read_text())
    assert sorted(document["oauth_config"]["scopes"]["bot"]) == sorted(manifest.BOT_SCOPES)
    assert "user" not in document["oauth_config"]["scopes"]
    assert sorted(document["settings"]["event_subscriptions"]["bot_events"]) == sorted(manifest.BOT_EVENTS)
    [command] = document["features"]["slash_commands"]
    assert command["command"] == manifest.SLASH_COMMAND
    assert document["settings"]["interactivity"]["is_enabled"] is True  # the reply's buttons
    assert document["features"]["app_home"]["messages_tab_enabled"] is True  # direct messages
    assert document["features"]["app_home"]["messages_tab_read_only_enabled"] is False
    assert document["features"]["app_home"]["home_tab_enabled"] is True  # views.publish on app_home_opened
    # The one shortcut, on messages, under the callback id the listener registers.
    [shortcut] = document["features"]["shortcuts"]
    assert shortcut == {"name": manifest.SHORTCUT_NAME, "type": "message", "callback_id": manifest.SHORTCUT_CALLBACK,
                        "description": shortcut["description"]}
    assert len(shortcut["name"]) <= 24 and len(shortcut["description"]) <= 80


def test_socket_mode_manifest_has_no_urls_and_http_manifest_points_at_the_events_path():
    socket_mode = yaml.safe_load((ROOT / MANIFESTS[0]).read_text())
    http = yaml.safe_load((ROOT / MANIFESTS[1]).read_text())
    assert socket_mode["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in socket_mode["settings"]["event_subscriptions"]
    assert http["settings"]["socket_mode_enabled"] is False
    for url in (http["settings"]["event_subscriptions"]["request_url"],
                http["settings"]["interactivity"]["request_url"],
                http["features"]["slash_commands"][0]["url"]):
        assert url.startswith("https://") and url.endswith(manifest.EVENTS_PATH)


def test_one_listener_module_per_kind_and_a_catch_all_last(bot):
    listeners = bot.app._listeners
    modules = [listener.lazy_functions[0].__module__ for listener in listeners if listener.lazy_functions]
    assert set(modules) == {f"bot.slack.listeners.{name}" for name in (
        "mentions", "direct_messages", "channel_messages", "file_uploads", "slash_command", "shortcut",
        "app_home", "actions", "feedback")}
    # Every other event still gets its 200 (a 404 would make Slack retry it).
    assert listeners[-1].ack_function.__name__ == "acknowledge" and not listeners[-1].lazy_functions


# The Web API methods the bot may call, and the scopes each needs (one of them, by conversation type).
# views.publish needs none; conversations.replies reads a thread's first message back (feedback
# text, with its author's consent) in a channel, a private channel or a direct message.
WEB_API_SCOPES = {"chat_postMessage": {"chat:write"}, "chat_update": {"chat:write"}, "users_info": {"users:read"},
                  "files_info": {"files:read"}, "files_upload_v2": {"files:write"}, "views_publish": set(),
                  "conversations_replies": {"channels:history", "groups:history", "im:history"}}


def test_code_calls_only_web_api_methods_the_scopes_allow():
    pattern = re.compile(r"\.((?:chat|users|files|conversations|reactions|auth|apps|views|pins)_[A-Za-z0-9_]+)\b")
    called = set()
    for path in (ROOT / "bot" / "slack").rglob("*.py"):
        called |= set(pattern.findall(path.read_text()))
    assert called == set(WEB_API_SCOPES), called ^ set(WEB_API_SCOPES)
    needed = set().union(*WEB_API_SCOPES.values())
    assert needed <= set(manifest.BOT_SCOPES)
    # Every scope is for a method called or an event received: none granted for nothing.
    for_events = {"app_mentions:read", "channels:history", "groups:history", "im:history",  # the events
                  "commands"}  # /502 and the message shortcut
    assert set(manifest.BOT_SCOPES) == needed | for_events

