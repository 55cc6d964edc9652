"""AWS Lambda entry point: `bot.slack.hosting.lambda_entry.handler` behind a Function URL or API Gateway.

Bolt acks within the first invocation (process_before_response) and runs each listener's work
in a second, asynchronous invocation of the same function (lazy listeners), so the function's
role needs lambda:InvokeFunction on itself (deploy/template.yaml grants exactly that).

On the first request of a container: logging is set up (JSON lines by default), the Slack
credentials are read (from the environment, or SSM / Secrets Manager: bot.slack.hosting.secrets), and
the app is built; all of it is kept while the container lives. Nothing here imports boto3
unless a credential has to be read from AWS.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from bot.errors import BadGatewayError
from bot.slack.app import build_app
from bot.slack.config import SlackConfig, load_config
from bot.slack.hosting.lambda_adapter import LambdaRequestHandler
from bot.slack.services import Services

logger = logging.getLogger("badgateway.lambda")
_handler: LambdaRequestHandler | None = None


def build_handler(config: SlackConfig, *, services: Services | None = None,
                  lambda_client: Any = None) -> LambdaRequestHandler:
    """The Lambda handler around the bot's app; `lambda_client` replaces ours for the lazy invocations.
    The same function takes the CloudWatch alarm notifications (bot.slack.handling.alarm_runs)."""
    services = services or Services(config)
    app = build_app(config, services=services, process_before_response=True)

    def alarms(event: dict[str, Any]) -> list[str]:
        from bot.slack.handling.alarm_runs import handle_alarm_event

        return handle_alarm_event(event, services=services, client=app.client)

    return LambdaRequestHandler(app, lambda_client=lambda_client, alarms=alarms)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda's entry point; the app is built on the first call and kept while the container lives."""
    global _handler
    if _handler is None:
        try:
            _handler = _build_from_environment()
        except BadGatewayError as exc:
            # One line in the function's log; Slack sees a failure and the team sees why in the log.
            logger.error("badgateway: %s", exc)
            return {"statusCode": 500, "headers": {"Content-Type": "text/plain"},
                    "body": "badgateway is misconfigured; see the function's log"}
    return _handler.handle(event, context)


def _build_from_environment() -> LambdaRequestHandler:
    from bot.logs import configure_logging
    from bot.slack.hosting.secrets import with_secrets

    configure_logging(os.environ, default_format="json")
    return build_handler(load_config(with_secrets(os.environ, "lambda"), "lambda"))


def reset() -> None:
    """Forget the built app (tests; a changed environment)."""
    global _handler
    _handler = None
