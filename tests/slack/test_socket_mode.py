"""Socket Mode: the handler wired to the app, then end to end against a stand-in WebSocket server.

apps.connections.open (on the stand-in Web API) hands the client the stand-in's ws:// URL, as
Slack hands out wss:// ones.
"""

from __future__ import annotations

import json

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.slack.app import build_app
from bot.slack.config import load_config
from bot.slack.services import Services

from .conftest import (
    APP_TOKEN,
    DM,
    TIMEOUT_LOG,
    bot_env,
    event_body,
    message_event,
    new_event_id,
)
from .websocket_stand_in import FakeSocketModeServer


@pytest.fixture
def socket_bot(fake_slack):
    config = load_config(bot_env(fake_slack), "socket")
    services = Services(config)
    app = build_app(config, services=services)
    return app, services, config


def test_socket_mode_handler_is_wired_to_the_app(socket_bot, fake_slack):
    app, _, config = socket_bot
    handler = SocketModeHandler(app, config.app_token)
    assert handler.app is app and handler.app_token == APP_TOKEN
    assert handler.client.web_client.base_url == fake_slack.api_url  # SLACK_API_URL, for apps.connections.open
    assert handler.handle in handler.client.socket_mode_request_listeners


def test_socket_mode_end_to_end(socket_bot, fake_slack):
    app, services, config = socket_bot
    server = FakeSocketModeServer()
    fake_slack.websocket_url = server.url
    handler = SocketModeHandler(app, config.app_token)
    try:
        handler.connect()
        server.wait_connected()
        [opened] = fake_slack.calls_to("apps.connections.open")
        assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"

        event_id = new_event_id()
        event = message_event(TIMEOUT_LOG, channel=DM, channel_type="im")
        server.send({"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False,
                     "retry_attempt": 0, "retry_reason": "", "payload": event_body(event, event_id)})
        server.wait_ack("env-1")
        assert services.activity.wait_for(event_id) == ["replied"]
        [reply] = fake_slack.calls_to("chat.postMessage")
        assert reply.params["thread_ts"] == event["ts"]
        assert reply.params["metadata"]["event_payload"]["entries"][0] == "function-timeout"

        # Slack redelivers over a new envelope when an ack is late: still one reply.
        server.send({"envelope_id": "env-2", "type": "events_api", "accepts_response_payload": False,
                     "retry_attempt": 1, "retry_reason": "timeout", "payload": event_body(event, event_id)})
        server.wait_ack("env-2")
        assert services.activity.wait_for(event_id, count=2)[1] == "duplicate"

        response_url = f"{fake_slack.url}/response/socket-1"
        server.send({"envelope_id": "env-3", "type": "slash_commands", "accepts_response_payload": True,
                     "payload": {"command": "/502", "text": "help", "user_id": "UALICE01", "team_id": "T0001",
                                 "channel_id": "C1", "response_url": response_url, "api_app_id": "A0001",
                                 "trigger_id": "1"}})
        server.wait_ack("env-3")
        [answer] = fake_slack.wait_for("response_url")
        assert "/502 list" in json.dumps(answer.params["blocks"])
        assert len(fake_slack.calls_to("chat.postMessage")) == 1
    finally:
        # Server side first, so the client's blocking read returns at once instead of timing out.
        handler.client.auto_reconnect_enabled = False
        handler.client.default_auto_reconnect_enabled = False
        server.close()
        handler.close()
