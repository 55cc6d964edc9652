"""/502 help | list | show ENTRY-ID | API-ID [STAGE] [REGION].

Help, list and show answer the user alone. API-ID runs the live checks (bot.slack.handling.live_checks
decides who may) and posts the findings in the channel, with CloudWatch's graph in the thread.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext

from bot.core.knowledge import load_knowledge
from bot.errors import BadGatewayError
from bot.slack.handling.live_checks import (
    RUNNING,
    LiveCheckCaller,
    membership_problem,
    metric_graph,
    refusal,
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
    message = slash_reply(request, language, load_knowledge())
    respond_safely(respond, message, logger, response_type="ephemeral")


def answer_live_check(request: SlashRequest, command: dict[str, Any], respond: Any, client: Any,
                      context: BoltContext, logger: logging.Logger, services: Services, lang: str) -> None:
    def tell(text: str) -> None:
        respond_safely(respond, render_notice(text, lang), logger, response_type="ephemeral")

    user_id, channel_id = str(command.get("user_id") or ""), str(command.get("channel_id") or "")
    caller = LiveCheckCaller(user_id=user_id, channel_id=channel_id,
                             membership=_membership(client, user_id, context, logger))
    refused = refusal(services.config, caller)
    if refused:
        tell(say(lang, refused))
        return
    if not RUNNING.try_start(user_id):
        tell(say(lang, "live_busy"))
        return
    try:
        report = run_live_check(services.config, caller, api_id=str(request.api_id),
                                stage=request.stage, region=request.region)
    except BadGatewayError as exc:  # API not found, no credentials, role not assumable
        tell(say(lang, "live_failed", reason=str(exc)))
        return
    finally:
        RUNNING.finish(user_id)
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


def _membership(client: Any, user_id: str, context: BoltContext, logger: logging.Logger) -> str | None:
    """Why the person does not count as a member of the workspace the bot is installed in (a
    bot.slack.rendering.texts key), or None. The installation's team comes from the authorize result,
    never from the request; anything missing or failing refuses."""
    installation = context.authorize_result
    team = getattr(installation, "team_id", None) if installation is not None else None
    enterprise = getattr(installation, "enterprise_id", None) if installation is not None else None
    if not user_id or not team:
        return "live_unverified"
    try:
        user = client.users_info(user=user_id)["user"]
    except Exception as exc:
        logger.warning("badgateway: users.info failed for a live check: %s", exc)
        return "live_unverified"
    return membership_problem(user, team, enterprise)


def register(app: App) -> None:
    app.command(SLASH_COMMAND)(ack=acknowledge_command, lazy=[answer_command])
