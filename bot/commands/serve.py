"""`badgateway serve [--http [--port N]]`: run the Slack bot (Socket Mode, or the Events API)."""

from __future__ import annotations

import argparse
import os


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
    import logging

    from bot.errors import UsageError
    from bot.slack.config import load_config

    if not args.http and args.port is not None:
        raise UsageError("--port is for --http; Socket Mode opens no port")
    config = load_config(os.environ, "http" if args.http else "socket")  # before any heavy import
    port = (args.port if args.port is not None else _env_port()) if args.http else 0
    level = os.environ.get("BADGATEWAY_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(level=level if level in logging.getLevelNamesMapping() else "INFO",
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    log = logging.getLogger("badgateway")

    from bot.slack.app import build_app

    app = build_app(config)
    if args.http:
        from bot.slack.http_server import EVENTS_PATH, make_server

        try:
            server = make_server(app, args.host, port, log)
        except OSError as exc:
            raise UsageError(f"cannot listen on {args.host}:{port}: {exc.strerror or exc}") from None
        log.info("badgateway: serving the Events API on %s%s", server.url, EVENTS_PATH)
        try:
            server.serve_forever()
        finally:
            server.server_close()
        return 0
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    log.info("badgateway: connecting to Slack in Socket Mode")
    SocketModeHandler(app, config.app_token).start()
    return 0
