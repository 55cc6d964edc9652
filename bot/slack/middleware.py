"""Global middleware: hand the shared services to listeners; drop repeated deliveries.

Slack re-sends an event it thinks we missed (X-Slack-Retry-Num) and, rarely, delivers one twice.
Each event_id is answered once: a repeat is acknowledged (200) and goes no further. Slash
commands, shortcuts and button clicks are never retried by Slack, but a signed request can be
sent again by whoever holds it (its signature is good for 5 minutes): each trigger_id runs once.

Where that is decided depends on what remembers it (bot.slack.state):
- `serve`: before the ack, in the process that does the work, in its memory or the shared table.
- Lambda with the shared table: in the second invocation, which does the work (so the ack never
  waits for DynamoDB or boto3). A retry is handled unless a delivery of it was: an `http_error`
  retry whose first delivery never got that far is answered.
- Lambda without it: every retry is dropped at the ack, since it can land in a container that
  never saw the first delivery (the first was received, or Slack would not retry it as slow).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse

from bot.slack.eventlog import log_dropped
from bot.slack.services import Services

TRIGGERED = ("block_actions", "message_action", "shortcut")  # interactive requests with a trigger_id


def attach_services(services: Services) -> Callable[..., Any]:
    def attach_badgateway_services(context: BoltContext, next: Callable[[], Any]) -> Any:
        context["services"] = services
        return next()

    return attach_badgateway_services


def drop_repeated_deliveries(
    request: BoltRequest, body: dict[str, Any], services: Services, next: Callable[[], Any],
) -> Any:
    in_second_invocation = services.config.mode == "lambda" and services.state.shared
    if request.lazy_only != in_second_invocation:
        return next()  # decided in the other half of this delivery
    state = services.state
    if body.get("command") or body.get("type") in TRIGGERED:
        trigger = str(body.get("trigger_id") or "")
        if trigger and not state.first_trigger(trigger):
            return _dropped(body, services, trigger, "duplicate")
        return next()
    if body.get("type") != "event_callback":
        return next()
    event_id = str(body.get("event_id") or "")
    retry = (request.headers.get("x-slack-retry-num") or [None])[0]
    detail = {"retry": str(retry)} if retry is not None else {}
    if retry is not None and services.config.mode == "lambda" and not state.shared:
        return _dropped(body, services, event_id, "retry-dropped", detail)
    if event_id and not state.first_delivery(event_id):
        return _dropped(body, services, event_id, "duplicate", detail)
    return next()


def _dropped(body: dict[str, Any], services: Services, key: str, outcome: str,
             detail: dict[str, str] | None = None) -> BoltResponse:
    log_dropped(body, outcome, **(detail or {}))
    services.activity.record(key, outcome)
    return BoltResponse(status=200, body="")
