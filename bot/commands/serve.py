"""`badgateway serve [--http [--port N]]`: run the Slack bot (Socket Mode, or the Events API)."""

from __future__ import annotations

import argparse
import logging
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.slack.hosting.shutdown import StopSignal


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the Slack bot (Socket Mode, or the Events API over HTTP with --http)",
        description="Run the Slack bot. Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN; --http "
        "needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET and serves /slack/events and /healthz. "
        "Exit 2 when a setting is missing or malformed.",
    )
    parser.add_argument("--http", action="store_true",
                        help="serve the Events API and slash commands over HTTP instead of Socket Mode")
    parser.add_argument("--port", type=_port, default=None,
                        help="HTTP port (default: $PORT, else 3000); only with --http")
    parser.add_argument("--host", default="0.0.0.0",
                        help="HTTP address to listen on (default: 0.0.0.0); only with --http")
    parser.set_defaults(run=run)


def _port(value: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise argparse.ArgumentTypeError(f"--port needs a port number from 1 to 65535, not '{value}'")
    return int(value)


def _env_port() -> int:
    from bot.errors import UsageError

    try:
        return _port(os.environ.get("PORT") or "3000")
    except argparse.ArgumentTypeError:
        raise UsageError("PORT is malformed: expected a port number from 1 to 65535") from None


def run(args: argparse.Namespace) -> int:
    from bot.errors import UsageError
    from bot.logs import configure_logging
    from bot.slack.config import load_config
    from bot.slack.hosting.secrets import with_secrets
    from bot.slack.hosting.shutdown import shutdown_timeout

    if not args.http and args.port is not None:
        raise UsageError("--port is for --http; Socket Mode opens no port")
    mode = "http" if args.http else "socket"
    configure_logging(os.environ, default_format="text")
    grace = shutdown_timeout(os.environ)
    # Settings first, before any heavy import; credentials from SSM / Secrets Manager if so named.
    config = load_config(with_secrets(os.environ, mode), mode)
    port = (args.port if args.port is not None else _env_port()) if args.http else 0
    log = logging.getLogger("badgateway")

    from bot.slack.app import build_app
    from bot.slack.hosting.shutdown import StopSignal

    app = build_app(config)
    stop = StopSignal().install()
    if args.http:
        return _serve_http(app, args.host, port, log, stop, grace)
    from bot.slack.hosting.socket_mode import serve_socket_mode

    return serve_socket_mode(app, config.app_token or "", log, stop, grace)


def _serve_http(app: App, host: str, port: int, log: logging.Logger, stop: StopSignal, grace: float) -> int:
    import threading
    import time

    from bot.errors import UsageError
    from bot.slack.hosting.http_server import EVENTS_PATH, make_server
    from bot.slack.hosting.shutdown import stopped

    try:
        server = make_server(app, host, port, log)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    log.info("badgateway: serving the Events API on %s%s", server.url, EVENTS_PATH)
    serving = threading.Thread(target=server.serve_forever, args=(0.2,), name="badgateway-http", daemon=True)
    serving.start()
    stop.wait()
    deadline = time.monotonic() + grace
    server.stopping = True
    server.shutdown()  # no new connections from here on
    log.info("badgateway: %s: stopped listening; finishing the work in flight (up to %gs)",
             stop.signal_name, grace)
    left = server.wait_idle(deadline)  # the requests being answered get their answer
    left += app.listener_runner.listener_executor.wait_idle(deadline)
    server.server_close()
    return stopped(log, left)
