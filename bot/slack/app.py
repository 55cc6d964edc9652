"""Build the Bolt app: configuration in, listeners registered. Nothing is started here."""

from __future__ import annotations

import logging
import re

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.logs import library_logger, register_secret
from bot.slack.config import ConfigError, SlackConfig
from bot.slack.eventlog import mark_received
from bot.slack.hosting.work import BusyNotices, QueuedLazyRunner
from bot.slack.listeners import register_listeners
from bot.slack.middleware import attach_services, drop_repeated_deliveries
from bot.slack.services import Services

WEB_API_TIMEOUT = 15


def build_web_client(config: SlackConfig) -> WebClient:
    """The Web API client: the bot token, SLACK_API_URL as base, rate limits retried after Retry-After."""
    return WebClient(
        token=config.bot_token,
        base_url=config.api_url,
        timeout=WEB_API_TIMEOUT,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1),
                        RateLimitErrorRetryHandler(max_retry_count=2)],
    )


def build_app(config: SlackConfig, *, services: Services | None = None,
              process_before_response: bool = True, logger: logging.Logger | None = None) -> App:
    """The bot's Bolt app.

    Every ack runs on the request's own thread (process_before_response), whatever the load; the
    work after it runs on the bounded WorkQueue, each piece logged as one line (bot.slack.eventlog).
    The Lambda entry replaces that runner with one that invokes the function again.
    """
    for secret in (config.bot_token, config.app_token, config.signing_secret):
        register_secret(secret)  # masked in every log line, whoever logs it
    services = services or Services(config)
    # Bolt's own loggers, never below INFO (at DEBUG they print request bodies; bot.logs).
    bolt_logger = logger or library_logger("slack_bolt.App")
    # Bolt also reads SLACK_BOT_TOKEN itself and warns that the client's token wins: the same token.
    bolt_logger.addFilter(_same_token_warning)
    try:
        # Bolt checks the token with auth.test here, which also tells it the bot's own user id.
        app = App(
            # Bolt names its listeners' logger after the app and gives it the level of `logger`
            # (INFO): a name of its own, so badgateway's own loggers keep BADGATEWAY_LOG_LEVEL.
            name="badgateway.bolt",
            signing_secret=config.signing_secret or "",
            client=build_web_client(config),  # carries the token
            process_before_response=process_before_response,
            listener_executor=services.work,  # bounded; counts work in flight, for a graceful stop
            request_verification_enabled=config.mode != "socket",  # Socket Mode is authenticated
            logger=bolt_logger,
        )
    except BoltError as exc:
        raise ConfigError(f"SLACK_BOT_TOKEN was refused by the Slack Web API at {config.api_url} "
                          f"(auth.test: {_slack_error(exc)})") from None
    except OSError as exc:
        raise ConfigError(f"cannot reach the Slack Web API at SLACK_API_URL={config.api_url}: {exc}") from None
    finally:
        bolt_logger.removeFilter(_same_token_warning)
    runner = app.listener_runner
    runner.lazy_listener_runner = QueuedLazyRunner(runner.lazy_listener_runner.logger, services.work,
                                                   BusyNotices(app.client))
    app.use(mark_received)
    app.use(attach_services(services))
    app.use(drop_repeated_deliveries)
    register_listeners(app)
    return app


def _same_token_warning(record: logging.LogRecord) -> bool:
    return "`token` will be unused" not in record.getMessage()


def _slack_error(exc: Exception) -> str:
    found = re.search(r"'error': '([^']+)'", str(exc))
    return found.group(1) if found else "rejected"
