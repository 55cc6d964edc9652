"""`badgateway serve` as a user runs it: a separate process, talking only to the loopback stand-ins."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from ..conftest import ROOT
from .conftest import (
    DM,
    TIMEOUT_LOG,
    WAIT,
    BotClient,
    bot_env,
    event_body,
    message_event,
    new_event_id,
)
from .websocket_stand_in import FakeSocketModeServer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def start():
    processes: list[subprocess.Popen] = []

    def run(*args: str, env: dict[str, str]) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=ROOT,
                                   env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        processes.append(process)
        return process

    yield run
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(client: BotClient, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        try:
            if client.request("GET", "/healthz").status == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.05)
    raise AssertionError("badgateway serve --http did not come up")


def test_serve_http_answers_a_signed_event(fake_slack, start):
    port = free_port()
    process = start("serve", "--http", "--host", "127.0.0.1", "--port", str(port), env=bot_env(fake_slack))
    client = BotClient(f"http://127.0.0.1:{port}", fake_slack)
    wait_until_up(client, process)
    event = message_event(TIMEOUT_LOG, channel=DM, channel_type="im")
    _, response = client.event(event)
    assert response.status == 200
    [reply] = fake_slack.wait_for("chat.postMessage")
    assert reply.params["thread_ts"] == event["ts"]
    assert reply.params["metadata"]["event_payload"]["entries"][0] == "function-timeout"
    assert client.post(b"{}", "application/json", signature="v0=bad").status == 401


def test_serve_socket_mode_answers_over_the_websocket(fake_slack, start):
    server = FakeSocketModeServer()
    fake_slack.websocket_url = server.url
    try:
        start("serve", env=bot_env(fake_slack))
        server.wait_connected()
        event = message_event(TIMEOUT_LOG, channel=DM, channel_type="im")
        server.send({"envelope_id": "env-9", "type": "events_api", "accepts_response_payload": False,
                     "retry_attempt": 0, "retry_reason": "", "payload": event_body(event, new_event_id())})
        server.wait_ack("env-9")
        [reply] = fake_slack.wait_for("chat.postMessage")
        assert json.dumps(reply.params["metadata"]).count("function-timeout") == 1
    finally:
        server.close()


def test_a_refused_app_token_exits_2_with_one_line_naming_it(fake_slack, start):
    """apps.connections.open answers invalid_auth: one line that names SLACK_APP_TOKEN, exit 2."""
    process = start("serve", env=bot_env(fake_slack, SLACK_APP_TOKEN="xapp-1-A0001-9999-notthetoken"))
    assert process.wait(timeout=WAIT * 3) == 2
    lines = [line for line in process.stderr.read().decode().splitlines()
             if "connecting to Slack" not in line]
    assert len(lines) == 1, lines
    assert "SLACK_APP_TOKEN was refused" in lines[0] and "invalid_auth" in lines[0]
    assert "notthetoken" not in lines[0] and "Traceback" not in lines[0]
