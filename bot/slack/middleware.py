"""Global middleware: hand the shared services to listeners; drop repeated deliveries.

Slack re-sends an event it thinks we missed (X-Slack-Retry-Num) and, rarely, delivers one twice.
Each event_id is answered once: a repeat is acknowledged (200) and goes no further. On Lambda a
retry may land in another container that has not seen the first delivery, so there every retry
is dropped: the first delivery was received, or Slack would not know to retry it as slow.

Slash commands and button clicks are never retried by Slack, but a signed request can be sent
again by whoever holds it (its signature is good for 5 minutes): each trigger_id runs once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse

from bot.slack.eventlog import log_dropped
from bot.slack.services import Services


def attach_services(services: Services) -> Callable[..., Any]:
    def attach_badgateway_services(context: BoltContext, next: Callable[[], Any]) -> Any:
        context["services"] = services
        return next()

    return attach_badgateway_services


def drop_repeated_deliveries(
    request: BoltRequest, body: dict[str, Any], services: Services, next: Callable[[], Any],
) -> Any:
    if request.lazy_only:
        return next()  # the lazy half of a delivery already let through
    if body.get("command") or body.get("type") == "block_actions":
        trigger = str(body.get("trigger_id") or "")
        if trigger and not services.triggers.first(trigger):
            log_dropped(body, "duplicate")
            services.activity.record(trigger, "duplicate")
            return BoltResponse(status=200, body="")
        return next()
    if body.get("type") != "event_callback":
        return next()
    event_id = str(body.get("event_id") or "")
    retry = (request.headers.get("x-slack-retry-num") or [None])[0]
    if retry is not None and services.config.mode == "lambda":
        log_dropped(body, "retry-dropped", retry=str(retry))
        services.activity.record(event_id, "retry-dropped")
        return BoltResponse(status=200, body="")
    if event_id and not services.deliveries.first(event_id):
        log_dropped(body, "duplicate", **({"retry": str(retry)} if retry is not None else {}))
        services.activity.record(event_id, "duplicate")
        return BoltResponse(status=200, body="")
    return next()
