"""Bolt on AWS Lambda: a Function URL or API Gateway event in, Bolt's response out, and each lazy
listener run in a second, asynchronous invocation of the same function.

The same contract as slack_bolt.adapter.aws_lambda, with two differences:
- no boto3 on the ack path: the self-invocation is signed by bot.slack.hosting.lambda_invoke (Bolt's
  adapter imports boto3 on import, a few hundred milliseconds of a cold start);
- the self-invocation is an event of our own (`{"badgateway": "lazy", ...}`), which only a direct
  Invoke can deliver (IAM-protected). Bolt's lazy-only headers arriving from the internet, through
  the Function URL or API Gateway, are removed before dispatch.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.lazy_listener.runner import LazyListenerRunner

from bot.slack import eventlog
from bot.slack.handling.alarms import is_alarm_event

LAZY_EVENT = "lazy"
_LAZY_HEADERS = ("x-slack-bolt-lazy-only", "x-slack-bolt-lazy-function-name")

log = logging.getLogger("badgateway.lambda")


class SelfInvokingLazyRunner(LazyListenerRunner):
    """start(): invoke this function again with the request; run(): the listener, logged."""

    def __init__(self, logger: logging.Logger, lambda_client: Any = None) -> None:
        self.logger = logger
        self.lambda_client = lambda_client  # created on first use (bot.slack.hosting.lambda_invoke)

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        if self.lambda_client is None:
            from bot.slack.hosting.lambda_invoke import lambda_client

            self.lambda_client = lambda_client()
        headers = {key: list(values) for key, values in request.headers.items() if key not in _LAZY_HEADERS}
        headers["x-slack-bolt-lazy-only"] = ["1"]
        headers["x-slack-bolt-lazy-function-name"] = [str(request.lazy_function_name)]
        payload = {"badgateway": LAZY_EVENT, "body": request.raw_body, "headers": headers,
                   "query": {key: list(values) for key, values in (request.query or {}).items()},
                   "received": request.context.get(eventlog.RECEIVED)}
        function_arn = request.context["aws_lambda_invoked_function_arn"]
        try:
            self.lambda_client.invoke(FunctionName=function_arn, InvocationType="Event",
                                      Payload=json.dumps(payload))
        except Exception as exc:
            # Acknowledged, but the work will not happen: say why, once, in the function's log.
            log.error("badgateway: the lazy invocation of %s failed (%s); the function's role needs "
                      "lambda:InvokeFunction on itself", function_arn, exc)
            eventlog.log_dropped(request.body, "invoke-failed")

    def run(self, function: Callable[..., None], request: BoltRequest) -> None:
        eventlog.run_logged(function, request, self.logger)


class LambdaRequestHandler:
    """`handle(event, context)` for Lambda, around a Bolt app built with process_before_response.

    `alarms`, when given, takes the CloudWatch alarm notifications (EventBridge, SNS) that the
    template routes to the same function (bot.slack.handling.alarm_runs)."""

    alarms: Callable[[dict[str, Any]], list[str]] | None = None

    def __init__(self, app: App, *, lambda_client: Any = None,
                 alarms: Callable[[dict[str, Any]], list[str]] | None = None) -> None:
        self.app = app
        self.alarms = alarms
        self.runner = SelfInvokingLazyRunner(app.logger, lambda_client)
        app.listener_runner.lazy_listener_runner = self.runner

    def handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        if not isinstance(event, dict):
            return {"statusCode": 400, "headers": {"Content-Type": "text/plain"}, "body": "not an event"}
        if self.alarms is not None and is_alarm_event(event):
            return {"alarms": self.alarms(event)}  # an asynchronous invocation: nobody reads this but tests
        if event.get("badgateway") == LAZY_EVENT:  # our own second invocation
            received = event.get("received")
            context = {eventlog.RECEIVED: received} if isinstance(received, (int, float)) else {}
            request = BoltRequest(body=str(event.get("body") or ""), query=event.get("query") or {},
                                  headers=event.get("headers") or {}, context=context)
            return to_lambda_response(self.app.dispatch(request))
        method = (event.get("requestContext") or {}).get("http", {}).get("method") \
            or (event.get("requestContext") or {}).get("httpMethod") or event.get("httpMethod")
        if method != "POST":
            return {"statusCode": 404 if method else 400, "headers": {"Content-Type": "text/plain"},
                    "body": "not found" if method else "not an HTTP request"}
        request = to_bolt_request(event)
        request.context["aws_lambda_function_name"] = getattr(context, "function_name", None)
        request.context["aws_lambda_invoked_function_arn"] = getattr(context, "invoked_function_arn", None)
        return to_lambda_response(self.app.dispatch(request))


def to_bolt_request(event: dict[str, Any]) -> BoltRequest:
    """A Function URL (payload 2.0) or API Gateway (1.0 or 2.0) event as Bolt's request."""
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", errors="replace")
    headers: dict[str, list[str]] = {}
    for key, values in (event.get("multiValueHeaders") or {}).items():
        headers[key.lower()] = [str(v) for v in values or ()]
    for key, value in (event.get("headers") or {}).items():
        headers.setdefault(key.lower(), [str(value)])
    for key in _LAZY_HEADERS:  # only our own invocation may ask for the lazy half
        headers.pop(key, None)
    query: dict[str, list[str]] = {}
    for key, values in (event.get("multiValueQueryStringParameters") or {}).items():
        query[key] = [str(v) for v in values or ()]
    for key, value in (event.get("queryStringParameters") or {}).items():
        query.setdefault(key, [str(value)])
    return BoltRequest(body=body, query=query, headers=headers)


def to_lambda_response(response: BoltResponse) -> dict[str, Any]:
    return {"statusCode": response.status, "headers": response.first_headers(), "body": response.body or ""}
