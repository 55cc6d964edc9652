"""The Events API and slash commands over HTTP: POST /slack/events, GET /healthz.

A small threaded server from the standard library (no extra dependency). Each request is handed
to Bolt, which verifies its signature, acks and runs the work in its worker threads.

For a graceful stop (bot.commands.serve): `stopping` makes /healthz answer 503 and every reply
close its connection, and `wait_idle` waits for the requests being answered.
"""

from __future__ import annotations

import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from slack_bolt import App, BoltRequest

from bot.slack.manifest import EVENTS_PATH

HEALTH_PATH = "/healthz"
MAX_BODY = 1024 * 1024  # Slack's requests are a few kilobytes


class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: App, logger: logging.Logger) -> None:
        self.app = app
        self.logger = logger
        self.stopping = False
        self._active = 0
        self._changed = threading.Condition()
        super().__init__(address, _Handler)

    def begin_request(self) -> None:
        with self._changed:
            self._active += 1

    def end_request(self) -> None:
        with self._changed:
            self._active -= 1
            self._changed.notify_all()

    def wait_idle(self, deadline: float) -> int:
        """Wait until no request is being answered or `deadline` (time.monotonic()); returns how many are."""
        with self._changed:
            while self._active and (left := deadline - time.monotonic()) > 0:
                self._changed.wait(left)
            return self._active

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: SlackHTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if urlsplit(self.path).path == HEALTH_PATH and self.server.stopping:
            self._reply(503, b"stopping\n", {"Content-Type": "text/plain"})
        elif urlsplit(self.path).path == HEALTH_PATH:
            self._reply(200, b"ok\n", {"Content-Type": "text/plain"})
        else:
            self._reply(404, b"not found\n", {"Content-Type": "text/plain"})

    def do_POST(self) -> None:
        self.server.begin_request()
        try:
            self._post()
        finally:
            self.server.end_request()

    def _post(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if parts.path != EVENTS_PATH:
            self._discard(length)
            self._reply(404, b"not found\n", {"Content-Type": "text/plain"})
            return
        if length > MAX_BODY:
            self.close_connection = True
            self._reply(413, b"too large\n", {"Content-Type": "text/plain"})
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        headers = {key.lower(): [value] for key, value in self.headers.items()}
        request = BoltRequest(body=body, query=parse_qs(parts.query), headers=headers)
        try:
            response = self.server.app.dispatch(request)
        except Exception:
            self.server.logger.exception("badgateway: dispatch failed")
            self._reply(500, b"", {})
            return
        out_headers = {key: values[0] for key, values in response.headers.items() if values}
        self._reply(response.status, (response.body or "").encode("utf-8"), out_headers)

    def _discard(self, length: int) -> None:
        if 0 < length <= MAX_BODY:
            self.rfile.read(length)
        else:
            self.close_connection = True

    def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            if key.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        if self.server.stopping:  # let the load balancer reconnect to a replica that stays
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        self.server.logger.debug("http: " + format, *args)


def make_server(app: App, host: str, port: int, logger: logging.Logger | None = None) -> SlackHTTPServer:
    """A server bound to host:port (port 0: any free port), not yet serving."""
    return SlackHTTPServer((host, port), app, logger or logging.getLogger("badgateway.http"))
