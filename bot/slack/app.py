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

from bot.logs import register_secret
from bot.slack.config import ConfigError, SlackConfig
from bot.slack.eventlog import LoggedThreadLazyRunner, mark_received
from bot.slack.listeners import register_listeners
from bot.slack.middleware import attach_services, drop_repeated_deliveries
from bot.slack.services import Services
from bot.slack.shutdown import TrackedExecutor

WEB_API_TIMEOUT = 15
WORKERS = 10  # diagnoses in parallel; each mostly waits on Slack's Web API


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
              process_before_response: bool = False, logger: logging.Logger | None = None) -> App:
    """The bot's Bolt app. `process_before_response` is for AWS Lambda (work in lazy invocations).

    Lazy listeners run in worker threads, each logged as one line (bot.slack.eventlog); the Lambda
    entry replaces that runner with one that invokes the function again.
    """
    for secret in (config.bot_token, config.app_token, config.signing_secret):
        register_secret(secret)  # masked in every log line, whoever logs it
    # Bolt also reads SLACK_BOT_TOKEN itself and warns that the client's token wins: the same token.
    bolt_logger = logger or logging.getLogger("slack_bolt.App")
    bolt_logger.addFilter(_same_token_warning)
    try:
        # Bolt checks the token with auth.test here, which also tells it the bot's own user id.
        app = App(
            name="badgateway",
            signing_secret=config.signing_secret or "",
            client=build_web_client(config),  # carries the token
            process_before_response=process_before_response,
            listener_executor=TrackedExecutor(WORKERS),  # counts work in flight, for a graceful stop
            request_verification_enabled=config.mode != "socket",  # Socket Mode is authenticated
            logger=logger,
        )
    except BoltError as exc:
        raise ConfigError(f"SLACK_BOT_TOKEN was refused by the Slack Web API at {config.api_url} "
                          f"(auth.test: {_slack_error(exc)})") from None
    except OSError as exc:
        raise ConfigError(f"cannot reach the Slack Web API at SLACK_API_URL={config.api_url}: {exc}") from None
    finally:
        bolt_logger.removeFilter(_same_token_warning)
    runner = app.listener_runner
    runner.lazy_listener_runner = LoggedThreadLazyRunner(runner.lazy_listener_runner.logger,
                                                         runner.listener_executor)
    app.use(mark_received)
    app.use(attach_services(services or Services(config)))
    app.use(drop_repeated_deliveries)
    register_listeners(app)
    return app


def _same_token_warning(record: logging.LogRecord) -> bool:
    return "`token` will be unused" not in record.getMessage()


def _slack_error(exc: Exception) -> str:
    found = re.search(r"'error': '([^']+)'", str(exc))
    return found.group(1) if found else "rejected"
