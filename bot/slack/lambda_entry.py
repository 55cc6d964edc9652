"""AWS Lambda entry point: `bot.slack.lambda_entry.handler` behind a Function URL or API Gateway.

Bolt acks within the first invocation (process_before_response) and runs each listener's work
in a second, asynchronous invocation of the same function (lazy listeners), so the function's
role needs lambda:InvokeFunction on itself.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from slack_bolt.adapter.aws_lambda import SlackRequestHandler

from bot.errors import BadGatewayError
from bot.slack.app import build_app
from bot.slack.config import SlackConfig, load_config
from bot.slack.services import Services

logger = logging.getLogger("badgateway.lambda")
_handler: SlackRequestHandler | None = None


def build_handler(config: SlackConfig, *, services: Services | None = None,
                  lambda_client: Any = None) -> SlackRequestHandler:
    """The Bolt Lambda handler; `lambda_client` replaces boto3's for the lazy invocations."""
    handler = SlackRequestHandler(build_app(config, services=services, process_before_response=True))
    if lambda_client is not None:
        handler.app.listener_runner.lazy_listener_runner.lambda_client = lambda_client
    return handler


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda's entry point; the app is built on the first call and kept while the container lives."""
    global _handler
    if _handler is None:
        logging.getLogger().setLevel(logging.INFO)
        try:
            _handler = build_handler(load_config(os.environ, "lambda"))
        except BadGatewayError as exc:
            # One line in the function's log; Slack sees a failure and the team sees why in the log.
            logger.error("badgateway: %s", exc)
            return {"statusCode": 500, "headers": {"Content-Type": "text/plain"},
                    "body": "badgateway is misconfigured; see the function's log"}
    return _handler.handle(event, context)


def reset() -> None:
    """Forget the built app (tests; a changed environment)."""
    global _handler
    _handler = None
