"""Alarms that diagnose themselves: an alarm of a configured API (or function) goes to ALARM, the
live checks of that API run, and the findings go to BADGATEWAY_ALARM_CHANNEL in one thread, whose
first message says it is back to OK when the alarm is.

At most one investigation per alarm per BADGATEWAY_ALARM_WINDOW_MINUTES (the same change comes
twice when both the EventBridge rule and the SNS subscription are set up; an alarm that flaps
is checked once), remembered in bot.slack.state, shared by every Lambda container. An alarm
without a configured target, or without a channel, runs nothing. Each notification is one line
in the log (kind `alarm`).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from bot.errors import BadGatewayError
from bot.slack import eventlog
from bot.slack.handling.alarms import AlarmChange, AlarmTarget, alarm_changes, target_of
from bot.slack.handling.live_checks import LiveCheckCaller, report_summary, run_live_check
from bot.slack.rendering.alarm_blocks import (
    checked_status,
    checking_status,
    render_alarm,
    render_back_to_ok,
)
from bot.slack.rendering.blocks import render_notice
from bot.slack.rendering.replies import post_reply, update_reply
from bot.slack.rendering.texts import say
from bot.slack.services import Services
from bot.slack.state.bot_state import AlarmThread

log = logging.getLogger("badgateway.alarms")


def handle_alarm_event(event: dict[str, Any], *, services: Services, client: Any) -> list[str]:
    """Every alarm change in a Lambda event (EventBridge or SNS): its outcome, in order."""
    return [investigate(change, services=services, client=client) for change in alarm_changes(event)]


def investigate(change: AlarmChange, *, services: Services, client: Any) -> str:
    """'replied', 'ignored' (not ours to check), 'duplicate' (within the window), 'failed', 'error'."""
    started = time.time()
    outcome, entries = "error", ()
    try:
        outcome, entries = _investigate(change, services, client)
        return outcome
    finally:
        eventlog.log_alarm(outcome, alarm=change.name, state=change.state, started=started,
                           source=change.source, entries=tuple(entries))
        services.activity.record(change.arn, outcome)


def _investigate(change: AlarmChange, services: Services, client: Any) -> tuple[str, tuple[str, ...]]:
    config = services.config
    target = target_of(change, config.alarm_targets)
    if change.state not in ("ALARM", "OK") or target is None:
        return "ignored", ()
    if not config.alarm_channel:
        log.warning("badgateway: alarm %s names API %s, but BADGATEWAY_ALARM_CHANNEL is not set: nothing posted",
                    change.name, target.api_id)
        return "ignored", ()
    if change.state == "OK":
        return _back_to_ok(change, target, services, client), ()
    if not services.state.first_alarm(change.arn, config.alarm_window):
        return "duplicate", ()
    lang, channel = config.alarm_language, config.alarm_channel
    first = render_alarm(change, target, lang, status=checking_status(target, lang))
    ts = post_reply(client, channel=channel, thread_ts=None, message=first, plain=first.text, logger=log)
    if ts is None:  # e.g. not_in_channel: invite the bot to the alarm channel
        return "failed", ()
    thread = AlarmThread(channel=channel, ts=ts, alarm=change.name)
    services.state.remember_alarm_thread(change.arn, thread)
    caller = LiveCheckCaller(user_id="", channel_id=channel, membership=None)  # the channel's role, if any
    try:
        report = run_live_check(config, caller, api_id=target.api_id, stage=target.stage, region=change.region)
    except BadGatewayError as exc:  # the API is gone, no credentials, a stage that is not there
        from bot.core.redact import redact

        notice = render_notice(say(lang, "live_failed", reason=redact(str(exc))), lang)
        post_reply(client, channel=channel, thread_ts=ts, message=notice, plain=notice.text, logger=log)
        return "replied", ()
    from bot.slack.rendering.live_blocks import render_check_report

    findings = render_check_report(report)
    post_reply(client, channel=channel, thread_ts=ts, message=findings, plain=findings.text, logger=log)
    summary = report_summary(report)
    status = checked_status(target, summary, lang)
    services.state.remember_alarm_thread(change.arn, AlarmThread(channel, ts, change.name, status))
    updated = render_alarm(change, target, lang, status=status)
    update_reply(client, channel=channel, ts=ts, message=updated, plain=updated.text, logger=log)
    return "replied", tuple(summary["entries"])


def _back_to_ok(change: AlarmChange, target: AlarmTarget, services: Services, client: Any) -> str:
    thread = services.state.alarm_thread(change.arn)
    if thread is None:  # never investigated (or long ago): nothing to close
        return "ignored"
    if not services.state.first_alarm_ok(change.arn, thread):
        return "duplicate"
    lang = services.config.alarm_language
    note = render_back_to_ok(change, lang)
    posted = post_reply(client, channel=thread.channel, thread_ts=thread.ts, message=note, plain=note.text,
                        logger=log)
    first = render_alarm(change, target, lang, status=thread.status or checking_status(target, lang))
    update_reply(client, channel=thread.channel, ts=thread.ts, message=first, plain=first.text, logger=log)
    return "replied" if posted else "failed"
