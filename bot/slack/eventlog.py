"""One structured log line per piece of work the bot does for Slack, on the `badgateway.events` logger.

Every listener acks at once and does its work in a lazy listener (a worker thread with `serve`,
a second invocation on Lambda). The runners here wrap each lazy listener: they time it, let the
work say what became of it (`note(outcome=..., entries=..., language=...)`), and log one line:

    {"message": "handled", "kind": "dm", "outcome": "replied", "latency_ms": 412,
     "entries": ["function-timeout"], "language": "en", "channel": "D...", "user": "U...", ...}

`kind` is mention, dm, channel, file, command, action, shortcut, home or alarm. `latency_ms` runs from the moment Slack's request arrived. The line holds ids, never text: no
message, no pasted log, no evidence, no token. Deliveries dropped before any work (Slack's
retries, repeats) get a line too, from the middleware, with `log_dropped`.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import BoltRequest
from slack_bolt.lazy_listener.internals import build_runnable_function

events_log = logging.getLogger("badgateway.events")
RECEIVED = "badgateway_received"  # context key: time.time() when the request arrived


def mark_received(context: Any, next: Callable[[], Any]) -> Any:
    """Global middleware: note when the request arrived (kept in the lazy listener's copy)."""
    if context.get(RECEIVED) is None:
        context[RECEIVED] = time.time()
    return next()


@dataclass
class Handled:
    """What one piece of work was and what became of it; filled in while it runs."""

    kind: str
    channel: str | None = None
    user: str | None = None
    delivery: str | None = None  # the Events API event_id
    detail: dict[str, str] = field(default_factory=dict)  # subcommand, action_id
    outcome: str | None = None
    entries: tuple[str, ...] = ()
    language: str | None = None
    started: float = field(default_factory=time.time)  # when Slack's request arrived (wall clock)

    def fields(self) -> dict[str, Any]:
        line: dict[str, Any] = {
            "kind": self.kind,
            "outcome": self.outcome or "done",
            "latency_ms": max(0, round((time.time() - self.started) * 1000)),
            "entries": list(self.entries),
            "language": self.language,
        }
        for key in ("channel", "user", "delivery"):
            if getattr(self, key):
                line[key] = getattr(self, key)
        line.update(self.detail)
        return line


_current: contextvars.ContextVar[Handled | None] = contextvars.ContextVar("badgateway_handled", default=None)


def note(*, outcome: str | None = None, entries: tuple[str, ...] | list[str] | None = None,
         language: str | None = None) -> None:
    """Record what became of the work in progress (no-op outside a logged lazy listener)."""
    handled = _current.get()
    if handled is None:
        return
    if outcome is not None:
        handled.outcome = outcome
    if entries is not None:
        handled.entries = tuple(entries)
    if language is not None:
        handled.language = language


def describe(body: dict[str, Any]) -> Handled:
    """The kind of work a Slack request asks for, with its ids (never its text)."""
    if body.get("type") == "event_callback":
        event = body.get("event") or {}
        if event.get("type") == "app_mention":
            kind = "mention"
        elif event.get("type") == "app_home_opened":
            kind = "home"
        elif event.get("subtype") == "file_share":
            kind = "file"
        elif event.get("channel_type") == "im":
            kind = "dm"
        else:
            kind = "channel"
        return Handled(kind, channel=event.get("channel"), user=event.get("user"),
                       delivery=body.get("event_id"))
    if body.get("command"):
        from bot.slack.handling.slash import parse_slash

        request = parse_slash(str(body.get("text") or ""))
        detail = {"command": str(body["command"]), "subcommand": request.kind}
        entries = (request.entry_id,) if request.kind == "show" and request.entry_id else ()
        return Handled("command", channel=body.get("channel_id"), user=body.get("user_id"),
                       detail=detail, entries=entries)
    if body.get("type") == "message_action":
        return Handled("shortcut", channel=(body.get("channel") or {}).get("id"),
                       user=(body.get("user") or {}).get("id"),
                       detail={"shortcut": str(body.get("callback_id") or "")})
    if body.get("type") == "block_actions":
        actions = body.get("actions") or [{}]
        container = body.get("container") or {}
        return Handled("action", channel=container.get("channel_id"), user=(body.get("user") or {}).get("id"),
                       detail={"action": str(actions[0].get("action_id") or "")})
    return Handled(str(body.get("type") or "request"))


def log_dropped(body: dict[str, Any], outcome: str, **detail: str) -> None:
    handled = describe(body)
    handled.outcome = outcome
    handled.detail.update(detail)
    events_log.info("handled", extra=handled.fields())


def _fill_from_state(handled: Handled, request: BoltRequest) -> None:
    """Buttons carry their reply's entries and language; commands get the user's cached language."""
    if handled.kind == "action":
        from bot.slack.state.reply_state import ReplyState

        state = ReplyState.from_value(((request.body.get("actions") or [{}])[0]).get("value"))
        if state is not None:
            handled.entries = handled.entries or state.entries
            handled.language = handled.language or state.language
    services = request.context.get("services")
    if handled.language is None and handled.user and services is not None:
        handled.language = services.locales.known(handled.user)


def run_logged(function: Callable[..., None], request: BoltRequest, logger: logging.Logger) -> None:
    """Run one lazy listener with its kwargs injected, timed, and log its line."""
    handled = describe(request.body)
    received = request.context.get(RECEIVED)
    if isinstance(received, (int, float)):
        handled.started = float(received)  # latency from Slack's request, not from the work's start
    token = _current.set(handled)

    @functools.wraps(function)
    def observed(*args: Any, **kwargs: Any) -> None:
        try:
            function(*args, **kwargs)
        except Exception:
            handled.outcome = "error"
            raise

    try:
        build_runnable_function(func=observed, logger=logger, request=request)()
    finally:
        _current.reset(token)
        if handled.outcome is None:
            handled.outcome = "replied" if handled.kind in ("command", "action") else "done"
        _fill_from_state(handled, request)
        events_log.info("handled", extra=handled.fields())


def log_alarm(outcome: str, *, alarm: str, state: str, started: float, source: str,
              entries: tuple[str, ...] = ()) -> None:
    """The line of one alarm notification (bot.slack.handling.alarm_runs): its name and state, no text."""
    handled = Handled("alarm", detail={"alarm": alarm[:256], "state": state, "source": source},
                      outcome=outcome, entries=entries, started=started)
    events_log.info("handled", extra=handled.fields())
