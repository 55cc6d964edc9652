"""`serve --http` under a hostile client: the review's attacks on the HTTP endpoint, on loopback.

Each test is one attack that once got through: a listen backlog of 5, no socket timeout, a
`Content-Length: -1` read to EOF, malformed bodies dropping the connection with a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time

import pytest

from .conftest import DM, SIGNING_SECRET, TIMEOUT_LOG, WAIT


def raw_request(url: str, data: bytes, timeout: float = WAIT) -> bytes:
    """Send bytes as they are (no client library fixing them up) and read the answer to the end."""
    host, port = url.rsplit("//", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(data)
        chunks = []
        while True:
            try:
                chunk = connection.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                break
        return b"".join(chunks)


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return True


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def post(path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode() + body


def signed(body: bytes, content_type: str = "application/json") -> dict[str, str]:
    """Headers signed as Slack signs (v0, HMAC-SHA256 over the raw bytes, which need not be UTF-8)."""
    now = int(time.time())
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:%d:" % now + body, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(now),
            "X-Slack-Signature": f"v0={digest}", "Content-Length": str(len(body)), "Connection": "close"}


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "99999999999999999999"])
def test_a_bad_content_length_is_a_400_not_a_read_to_eof(bot, length):
    request = post("/slack/events", b"{}", {"Content-Length": length, "Content-Type": "application/json"})
    started = time.monotonic()
    answer = raw_request(bot.client.url, request)
    assert status_of(answer) in (400, 413)
    assert time.monotonic() - started < 2  # answered, not waiting for the client to close


@pytest.mark.parametrize("body, content_type", [
    (b"\xff\xfe not utf-8", "application/json"),
    (b"{not json", "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b"payload=%7Bnot%20json", "application/x-www-form-urlencoded"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json"),  # nested past any recursion limit
])
def test_a_malformed_body_is_a_400_and_the_server_goes_on(bot, body, content_type):
    answer = raw_request(bot.client.url, post("/slack/events", body, signed(body, content_type)))
    assert status_of(answer) == 400
    assert bot.client.request("GET", "/healthz").status == 200


def test_a_body_past_the_limit_is_refused_unread(bot):
    body = b"x" * (1024 * 1024 + 1)
    answer = raw_request(bot.client.url, post("/slack/events", body, signed(body)))
    assert status_of(answer) == 413


def test_a_client_still_sending_when_refused_reads_the_413_not_a_reset(bot):
    """CI saw 'connection reset' here: waitress refused before the body was sent, then closed
    with it unread. The channel now lingers: the rest is read and dropped, the answer arrives."""
    body = b"x" * (1024 * 1024 + 1)
    data = post("/slack/events", body, signed(body))
    host, port = bot.client.url.rsplit("//", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=WAIT) as connection:
        connection.sendall(data[:70000])
        time.sleep(0.3)  # the server has answered and closed its side by now
        connection.sendall(data[70000:])
        answer = b"".join(iter(lambda: connection.recv(65536), b""))
    assert status_of(answer) == 413


def test_a_refused_client_that_goes_on_sending_or_holds_on_is_cut_off(bot, monkeypatch):
    from bot.slack.hosting import lingering

    monkeypatch.setattr(lingering, "LINGER", 0.5)
    host, port = bot.client.url.rsplit("//", 1)[1].split(":")
    head = post("/slack/events", b"", {"Content-Length": str(10**9)})
    channels = bot.server._server.active_channels
    with socket.create_connection((host, int(port)), timeout=WAIT) as sender:
        sender.sendall(head)
        started = time.monotonic()
        with pytest.raises(OSError):  # reset once the lingering ends
            while time.monotonic() - started < WAIT:
                sender.sendall(b"x" * 65536)
        assert time.monotonic() - started < 4
    with socket.create_connection((host, int(port)), timeout=WAIT) as holder:
        holder.sendall(head)
        assert status_of(b"".join(iter(lambda: holder.recv(65536), b""))) == 413
        started = time.monotonic()
        while channels and time.monotonic() - started < WAIT:
            time.sleep(0.05)
        assert not channels and time.monotonic() - started < 4


def test_only_post_on_the_events_path(bot):
    assert bot.client.request("GET", "/slack/events").status == 405
    assert bot.client.request("GET", "/elsewhere").status == 404
    assert bot.client.request("POST", "/elsewhere", b"{}").status == 404


def test_half_open_requests_hold_no_worker_and_the_bot_still_answers(bot):
    """200 connections that send half a request and stop: an event is still answered at once."""
    held = []
    try:
        for _ in range(200):
            connection = socket.create_connection(("127.0.0.1", int(bot.client.url.rsplit(":", 1)[1])), timeout=5)
            connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{")
            held.append(connection)
        started = time.monotonic()
        event_id, _ = bot.client.dm(TIMEOUT_LOG)
        assert time.monotonic() - started < 2
        assert bot.outcome(event_id) == ["replied"]
    finally:
        for connection in held:
            connection.close()


def test_300_simultaneous_connections_are_all_answered(bot):
    """The review saw 264 of 300 reset with a backlog of 5."""
    results: list[int] = []
    lock = threading.Lock()

    def health() -> None:
        try:
            status = bot.client.request("GET", "/healthz").status
        except OSError:
            status = 0
        with lock:
            results.append(status)

    threads = [threading.Thread(target=health) for _ in range(300)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    assert results.count(200) == 300


def test_a_signed_event_through_the_raw_socket_is_answered(bot):
    """The same path Slack takes, without a client library: the WSGI server and Bolt's adapter."""
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "legacy"}).encode()
    answer = raw_request(bot.client.url, post("/slack/events", body, signed(body)))
    assert status_of(answer) == 200 and b"c-123" in answer


def test_a_message_event_still_works(bot):
    event_id, _ = bot.client.dm(TIMEOUT_LOG)
    assert bot.outcome(event_id) == ["replied"]
    [reply] = bot.replies(channel=DM)
    assert reply.params["metadata"]["event_payload"]["entries"][0] == "function-timeout"


def test_stopping_closes_connections_and_healthz_says_so(bot):
    import logging

    from bot.slack.hosting.http_server import SlackWsgiApp

    wsgi = SlackWsgiApp(bot.app, logging.getLogger("test"))
    wsgi.stopping = True
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(wsgi({"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1"},
                         start_response))
    assert seen["status"].startswith("503") and body == b"stopping\n"
    assert seen["headers"]["Connection"] == "close"

