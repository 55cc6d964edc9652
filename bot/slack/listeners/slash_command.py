"""/502 help | list | show ENTRY-ID | API-ID [STAGE] [REGION] | trace REQUEST-ID API [STAGE] [REGION].

Help, list and show answer the user alone. API-ID runs the live checks (bot.slack.handling.live_checks
decides who may) and posts the findings in the channel, with CloudWatch's graph in the thread.
trace follows one request through the API's logs, under the same permissions, and posts its hops.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.core.kb.knowledge import load_knowledge
from bot.errors import BadGatewayError
from bot.slack.handling.live_checks import (
    LiveCheckCaller,
    membership_of,
    metric_graph,
    refusal,
    report_summary,
    run_live_check,
)
from bot.slack.handling.slash import SlashRequest, parse_slash, slash_reply
from bot.slack.hosting.work import BUSY
from bot.slack.manifest import SLASH_COMMAND
from bot.slack.rendering.blocks import render_notice
from bot.slack.rendering.replies import post_reply, respond_safely
from bot.slack.rendering.texts import say
from bot.slack.services import Services


def acknowledge_command(ack: Any, command: dict[str, Any], context: BoltContext, services: Services) -> None:
    """Ack at once; a live check says it has started, since it takes several seconds. With every
    worker busy, the ack itself says so (bot.slack.hosting.work), and no work is queued."""
    request = parse_slash(str(command.get("text") or ""))
    if not services.work.has_room():
        context[BUSY] = True
        ack(text=say(services.locales.known(str(command.get("user_id") or "")) or "en", "busy"))
    elif request.kind == "trace" and not request.problem:
        from bot.trace.texts import text

        ack(text=f":mag: {text('en', 'trace_started', request=request.request_id)} / "
                 f"{text('it', 'trace_started', request=request.request_id)}")
    elif request.kind == "live":
        ack(text=f":hourglass_flowing_sand: `{request.api_id}`: checking (read-only)… / "
                 "controllo in corso (sola lettura)…")
    else:
        ack()


def answer_command(command: dict[str, Any], respond: Any, client: Any, context: BoltContext,
                   logger: logging.Logger, services: Services) -> None:
    language = services.locales.language_for(client, command.get("user_id"), logger) or "en"
    request = parse_slash(str(command.get("text") or ""))
    if request.kind == "live":
        answer_live_check(request, command, respond, client, context, logger, services, language)
        return
    if request.kind == "trace" and not request.problem:
        answer_trace(request, command, respond, client, context, logger, services, language)
        return
    message = slash_reply(request, language, load_knowledge())
    respond_safely(respond, message, logger, response_type="ephemeral")


def answer_live_check(request: SlashRequest, command: dict[str, Any], respond: Any, client: Any,
                      context: BoltContext, logger: logging.Logger, services: Services, lang: str) -> None:
    def tell(text: str) -> None:
        respond_safely(respond, render_notice(text, lang), logger, response_type="ephemeral")

    allowed = _live_caller(command, client, context, logger, services, lang, tell)
    if allowed is None:
        return
    caller, owner = allowed
    user_id, channel_id = caller.user_id, caller.channel_id
    try:
        report = run_live_check(services.config, caller, api_id=str(request.api_id),
                                stage=request.stage, region=request.region)
    except BadGatewayError as exc:  # API not found, no credentials, role not assumable
        tell(say(lang, "live_failed", reason=str(exc)))
        return
    finally:
        services.state.finish_live_check(user_id, owner)
    services.state.record_activity(user_id, {"kind": "live", "channel": channel_id, **report_summary(report)})
    from bot.slack.rendering.live_blocks import render_check_report

    message = render_check_report(report)
    ts = post_reply(client, channel=channel_id, thread_ts=None, message=message, plain=message.text,
                    logger=logger)
    if ts is None:  # e.g. the bot is not in the channel: the response_url still reaches it
        respond_safely(respond, message, logger, response_type="in_channel")
        return
    graph = metric_graph(services.config, caller, report, logger)
    if graph:
        try:
            client.files_upload_v2(channel=channel_id, thread_ts=ts, file=graph,
                                   filename=f"{report.api.id}-5xx.png",
                                   title=f"{report.api.name or report.api.id}: 5XX and integration latency")
        except Exception as exc:
            logger.warning("badgateway: metric graph upload failed: %s", exc)


def _live_caller(command: dict[str, Any], client: Any, context: BoltContext, logger: logging.Logger,
                 services: Services, lang: str, tell: Any) -> tuple[LiveCheckCaller, Any] | None:
    """The caller and their live-check lock when they may read AWS from here; else None, told why."""
    user_id, channel_id = str(command.get("user_id") or ""), str(command.get("channel_id") or "")
    caller = LiveCheckCaller(user_id=user_id, channel_id=channel_id,
                             membership=membership_of(client, user_id, context, logger))
    refused = refusal(services.config, caller)
    if refused:
        tell(say(lang, refused))
        return None
    owner = services.state.start_live_check(user_id)  # one at a time, across processes too
    if owner is None:
        tell(say(lang, "live_busy"))
        return None
    return caller, owner


def answer_trace(request: SlashRequest, command: dict[str, Any], respond: Any, client: Any,
                 context: BoltContext, logger: logging.Logger, services: Services, lang: str) -> None:
    from bot.slack.handling.live_trace import run_live_trace
    from bot.slack.rendering.texts import escape
    from bot.slack.rendering.trace_blocks import render_trace
    from bot.trace.texts import text

    def tell(mrkdwn: str) -> None:
        respond_safely(respond, render_notice(mrkdwn, lang), logger, response_type="ephemeral")

    allowed = _live_caller(command, client, context, logger, services, lang, tell)
    if allowed is None:
        return
    caller, owner = allowed
    try:
        result = run_live_trace(services.config, caller, request_id=str(request.request_id),
                                api=str(request.api_id), stage=request.stage, region=request.region)
    except BadGatewayError as exc:  # not found, denied, no credentials
        tell(escape(text(lang, "trace_failed", reason=str(exc))))
        return
    finally:
        services.state.finish_live_check(caller.user_id, owner)
    message = render_trace(result, lang)
    if post_reply(client, channel=caller.channel_id, thread_ts=None, message=message, plain=message.text,
                  logger=logger) is None:
        respond_safely(respond, message, logger, response_type="in_channel")


def register(app: App) -> None:
    app.command(SLASH_COMMAND)(ack=acknowledge_command, lazy=[answer_command])
