"""The Events API and slash commands over HTTP: POST /slack/events, GET /healthz.

Served by waitress, a production WSGI server, through Bolt's WSGI adapter. waitress reads each
request whole before a worker thread sees it and bounds everything a client controls:
connections (CONNECTION_LIMIT, a backlog of BACKLOG), idle or half-sent requests (closed after
CHANNEL_TIMEOUT seconds), header and body sizes (MAX_BODY: 413 beyond it), and a malformed
request line, header or Content-Length (400); connections it ends early close lingering
(bot.slack.hosting.lingering), so the client reads the answer rather than a reset. A body that
is not UTF-8 or not the JSON or form Slack sends is a 400 too; nothing of it is logged.

Acks are quick (the work runs on bot.slack.hosting.work's queue), so a few request THREADS suffice.
For a graceful stop (bot.commands.serve): `stopping` makes /healthz answer 503 and every reply
close its connection, `shutdown` stops accepting, `wait_idle` waits for the requests being
answered and `server_close` ends the rest.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse

from bot.slack.manifest import EVENTS_PATH

HEALTH_PATH = "/healthz"
MAX_BODY = 1024 * 1024  # Slack's requests are a few kilobytes
MAX_HEADERS = 64 * 1024
THREADS = 8
CONNECTION_LIMIT = 500  # open connections; more wait in the backlog (ulimit -n is often 1024)
BACKLOG = 1024
CHANNEL_TIMEOUT = 30  # seconds a connection may sit idle or half-sent
_PLAIN = {"content-type": ["text/plain; charset=utf-8"]}


class SlackWsgiApp(SlackRequestHandler):
    """Bolt's WSGI adapter with /healthz, a 400 for what is not a Slack request, and a count of
    the requests being answered."""

    def __init__(self, app: App, logger: logging.Logger) -> None:
        super().__init__(app, path=EVENTS_PATH)
        self.logger = logger
        self.stopping = False
        self._active = 0
        self._changed = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = WsgiHttpRequest(environ)
        path, method = request.path, request.method
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            status, text = (503, "stopping\n") if self.stopping else (200, "ok\n")
            response = WsgiHttpResponse(status=status, headers=_PLAIN, body=text)
        elif path == EVENTS_PATH and method == "POST":
            self._begin()
            try:
                response = self._events(request)
            finally:
                self._end()
        elif path == EVENTS_PATH:
            response = WsgiHttpResponse(status=405, headers={**_PLAIN, "allow": ["POST"]}, body="use POST\n")
        else:
            response = WsgiHttpResponse(status=404, headers=_PLAIN, body="not found\n")
        headers = response.get_headers()
        if self.stopping:  # let the load balancer reconnect to a replica that stays
            headers.append(("Connection", "close"))
        start_response(response.status, headers)
        return response.get_body()

    def _events(self, request: WsgiHttpRequest) -> WsgiHttpResponse:
        bolt_response = self.dispatch(request)
        headers = {key: list(values) for key, values in bolt_response.headers.items()}
        return WsgiHttpResponse(status=bolt_response.status, headers=headers, body=bolt_response.body or "")

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        try:
            bolt_request = BoltRequest(body=request.get_body(), query=request.query_string,
                                       headers=request.get_headers())
            if not isinstance(bolt_request.body, dict):
                raise ValueError("not an object")
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            # Not UTF-8, not JSON or a form, JSON that is not an object, nested past reason.
            return BoltResponse(status=400, body="bad request\n", headers={"content-type": "text/plain"})
        try:
            return self.app.dispatch(bolt_request)
        except Exception as exc:  # the body stays out of the log
            self.logger.error("badgateway: dispatch failed: %s", type(exc).__name__)
            return BoltResponse(status=500, body="")

    def _begin(self) -> None:
        with self._changed:
            self._active += 1

    def _end(self) -> None:
        with self._changed:
            self._active -= 1
            self._changed.notify_all()

    def wait_idle(self, deadline: float) -> int:
        """Wait until no request is being answered or `deadline` (time.monotonic()); returns how many are."""
        with self._changed:
            while self._active and (left := deadline - time.monotonic()) > 0:
                self._changed.wait(left)
            return self._active


class SlackHTTPServer:
    """waitress serving SlackWsgiApp on host:port, with the calls `serve` and the tests make."""

    def __init__(self, app: App, host: str, port: int, logger: logging.Logger) -> None:
        from waitress.server import create_server

        self.wsgi = SlackWsgiApp(app, logger)
        self._server = create_server(
            self.wsgi, host=host, port=port, threads=THREADS, connection_limit=CONNECTION_LIMIT,
            backlog=BACKLOG, channel_timeout=CHANNEL_TIMEOUT, cleanup_interval=5,
            max_request_body_size=MAX_BODY, max_request_header_size=MAX_HEADERS,
            expose_tracebacks=False, ident="badgateway", clear_untrusted_proxy_headers=True,
            asyncore_use_poll=True,  # select() fails past 1024 descriptors
        )
        from bot.slack.hosting.lingering import LingeringChannel

        self._server.channel_class = LingeringChannel  # a refused client reads its 413

    @property
    def server_address(self) -> tuple[str, int]:
        return str(self._server.effective_host), int(self._server.effective_port)

    @property
    def url(self) -> str:
        host = self._server.effective_host
        return f"http://{f'[{host}]' if ':' in str(host) else host}:{self._server.effective_port}"

    @property
    def stopping(self) -> bool:
        return self.wsgi.stopping

    @stopping.setter
    def stopping(self, value: bool) -> None:
        self.wsgi.stopping = value

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._server.adj.asyncore_loop_timeout = poll_interval
        self._server.run()

    def shutdown(self) -> None:
        """Stop accepting connections; the ones open are still answered."""
        server = self._server
        if server.accepting:
            server.accepting = False
            server.trigger.pull_trigger(lambda: _stop_listening(server))

    def wait_idle(self, deadline: float) -> int:
        return self.wsgi.wait_idle(deadline)

    def server_close(self) -> None:
        """Close every connection and end the serving loop and its threads."""
        from waitress import wasyncore

        server = self._server
        server.accepting = False
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
        wasyncore.close_all(server._map)


def _stop_listening(server: Any) -> None:
    # In the serving loop's own thread: the listening socket leaves the loop, then closes.
    server.del_channel()
    server.socket.close()


def make_server(app: App, host: str, port: int, logger: logging.Logger | None = None) -> SlackHTTPServer:
    """A server bound to host:port (port 0: any free port), not yet serving."""
    return SlackHTTPServer(app, host, port, logger or logging.getLogger("badgateway.http"))
