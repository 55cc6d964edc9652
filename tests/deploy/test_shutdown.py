"""`badgateway serve` stops cleanly on SIGTERM / SIGINT: no new requests, the work in flight
finished (up to BADGATEWAY_SHUTDOWN_TIMEOUT), exit 0. A real process, as a container runs it."""

from __future__ import annotations

import signal
import time

import pytest

from tests.slack.conftest import ALICE, DM, TIMEOUT_LOG, WAIT, BotClient, bot_env, message_event
from tests.slack.test_serve_command import free_port, wait_until_up
from tests.slack.websocket_stand_in import FakeSocketModeServer

SLOW = 2.0  # seconds the stand-in Slack takes to answer users.info: the work is in flight meanwhile


def slow_users_info(seconds: float):
    def reply(call):
        time.sleep(seconds)
        return 200, {}, {"ok": True, "user": {"id": call.params.get("user"), "locale": "en-US"}}

    return reply


def serve_http(start, fake_slack, **env: str):
    port = free_port()
    process = start("serve", "--http", "--host", "127.0.0.1", "--port", str(port),
                    env=bot_env(fake_slack, BADGATEWAY_LOG_FORMAT="json", **env))
    client = BotClient(f"http://127.0.0.1:{port}", fake_slack)
    wait_until_up(client, process)
    return process, client


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_http_finishes_the_work_in_flight_then_exits_0(fake_slack, start, signum):
    fake_slack.script("users.info", slow_users_info(SLOW))
    process, client = serve_http(start, fake_slack)
    _, response = client.event(message_event(TIMEOUT_LOG, channel=DM, channel_type="im", user=ALICE))
    assert response.status == 200
    fake_slack.wait_for("users.info")  # the work has started and waits on Slack
    signalled = time.monotonic()
    process.send_signal(signum)
    time.sleep(0.3)
    with pytest.raises(OSError):  # no new connections while the work finishes
        client.request("GET", "/healthz")
    assert process.wait(timeout=WAIT) == 0
    assert time.monotonic() - signalled >= SLOW - 0.5  # it waited for the work
    [reply] = fake_slack.calls_to("chat.postMessage")  # ... which was done
    assert reply.params["metadata"]["event_payload"]["entries"][0] == "function-timeout"
    stderr = process.stderr.read().decode()
    assert "stopped listening" in stderr and '"badgateway: stopped"' in stderr
    assert "Traceback" not in stderr


def test_work_longer_than_the_grace_period_is_abandoned_and_still_exits_0(fake_slack, start):
    fake_slack.script("users.info", slow_users_info(WAIT))
    process, client = serve_http(start, fake_slack, BADGATEWAY_SHUTDOWN_TIMEOUT="0.5")
    client.event(message_event(TIMEOUT_LOG, channel=DM, channel_type="im", user=ALICE))
    fake_slack.wait_for("users.info")
    signalled = time.monotonic()
    process.terminate()
    assert process.wait(timeout=WAIT) == 0
    assert time.monotonic() - signalled < WAIT - 2
    assert "1 piece(s) of work unfinished" in process.stderr.read().decode()


def test_idle_http_server_stops_at_once(fake_slack, start):
    process, _ = serve_http(start, fake_slack)
    signalled = time.monotonic()
    process.terminate()
    assert process.wait(timeout=WAIT) == 0
    assert time.monotonic() - signalled < 3


def test_socket_mode_disconnects_and_exits_0(fake_slack, start):
    server = FakeSocketModeServer()
    fake_slack.websocket_url = server.url
    try:
        process = start("serve", env=bot_env(fake_slack, BADGATEWAY_LOG_FORMAT="json"))
        server.wait_connected()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=WAIT) == 0
        stderr = process.stderr.read().decode()
        assert "disconnecting from Slack" in stderr and "Traceback" not in stderr
    finally:
        server.close()


@pytest.mark.parametrize("variable, value", [
    ("BADGATEWAY_SHUTDOWN_TIMEOUT", "soon"),
    ("BADGATEWAY_LOG_LEVEL", "LOUD"),
    ("BADGATEWAY_LOG_FORMAT", "xml"),
    ("BADGATEWAY_CHANNEL_ROLES", "C0123456=arn:aws:iam::123:role/short-account"),
    ("BADGATEWAY_ALLOWED_USERS", "**"),
    ("BADGATEWAY_EXTERNAL_ID", "a"),
    ("SLACK_BOT_TOKEN_PARAMETER", "/badgateway/slack-bot-token"),  # set beside SLACK_BOT_TOKEN
])
def test_bad_settings_exit_2_with_one_line_naming_the_variable(fake_slack, variable, value):
    from tests.conftest import run_cli

    result = run_cli("serve", "--http", "--port", "1", env=bot_env(fake_slack, **{variable: value}))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("badgateway: "), lines
    assert variable in lines[0] and "Traceback" not in lines[0]
