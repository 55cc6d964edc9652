"""Socket Mode: one outbound WebSocket to Slack, no port opened (`badgateway serve`).

Connect (an app-level token Slack refuses is one line naming SLACK_APP_TOKEN), wait for SIGTERM
or SIGINT, disconnect, and give the work in flight the grace period (bot.slack.hosting.shutdown).
"""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.slack.config import ConfigError
from bot.slack.hosting.shutdown import StopSignal, stopped


def serve_socket_mode(app: App, app_token: str, log: logging.Logger, stop: StopSignal, grace: float) -> int:
    import time

    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    log.info("badgateway: connecting to Slack in Socket Mode")
    handler = SocketModeHandler(app, app_token)
    quiet = _DropRecords("Failed to retrieve WSS URL")  # said below, once, naming the setting
    handler.client.logger.addFilter(quiet)
    try:
        handler.connect()
    except SlackApiError as exc:  # apps.connections.open said no: the app-level token
        error = (exc.response.get("error") if exc.response is not None else None) or "rejected"
        raise ConfigError(f"SLACK_APP_TOKEN was refused by Slack (apps.connections.open: {error}): use an "
                          "app-level token (xapp-...) with connections:write, from Basic Information") from None
    finally:
        handler.client.logger.removeFilter(quiet)
    stop.wait()
    deadline = time.monotonic() + grace
    log.info("badgateway: %s: disconnecting from Slack; finishing the work in flight (up to %gs)",
             stop.signal_name, grace)
    try:
        handler.close()  # no new events from here on
    except Exception as exc:  # a connection already gone is no reason to lose the work in flight
        log.warning("badgateway: closing the Socket Mode connection: %s", exc)
    left = app.listener_runner.listener_executor.wait_idle(deadline)
    return stopped(log, left)


class _DropRecords(logging.Filter):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def filter(self, record: logging.LogRecord) -> bool:
        return self.text not in record.getMessage()
