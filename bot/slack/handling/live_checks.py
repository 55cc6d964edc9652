"""/502 API-ID [STAGE] [REGION]: who may run the live checks, and running them for Slack.

Live checks read a real AWS account, so they run only where the configuration allows it: the
channel must be in BADGATEWAY_ALLOWED_CHANNELS and the person in BADGATEWAY_ALLOWED_USERS
(`*` allows all); nobody by default. Only for members of the workspace the bot is installed in
(its authorize result, not the request, says which): never for guests, for people from another
organisation (Slack Connect), or when that cannot be told. One check at a time per person (bot.slack.state). A channel can have its own role to assume
(BADGATEWAY_CHANNEL_ROLES), so one bot can serve several AWS accounts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.slack.config import SlackConfig

ANYONE = "*"
# Slack waits for nobody here (the ack went out at once), but the person does.
SLACK_CHECK_BUDGET = 25.0
SLACK_WINDOW = timedelta(hours=1)  # recent logs and metrics: the last hour


@dataclass(frozen=True)
class LiveCheckCaller:
    """Who asked, and where: what the permission decision needs."""

    user_id: str
    channel_id: str
    membership: str | None  # why they are not a member here (a strings key, see membership_problem); None


def refusal(config: SlackConfig, caller: LiveCheckCaller) -> str | None:
    """The key of the sentence that refuses this caller (bot.slack.rendering.texts), or None to go ahead."""
    channels, users = config.allowed_channels, config.allowed_users
    if not channels or not users:
        return "live_disabled"
    if caller.membership:
        return caller.membership
    if ANYONE not in channels and caller.channel_id not in channels:
        return "live_channel_not_allowed"
    if ANYONE not in users and caller.user_id not in users:
        return "live_user_not_allowed"
    return None


def access_for(config: SlackConfig, user_id: str, membership: str | None) -> tuple[str, tuple[str, ...]]:
    """Whether this person may run live checks, for App Home: ("home_live_everywhere", ()),
    ("home_live_in", channels), or the key of why not (as `refusal` says it)."""
    channels, users = config.allowed_channels, config.allowed_users
    if not channels or not users:
        return "live_disabled", ()
    if membership:
        return membership, ()
    if ANYONE not in users and user_id not in users:
        return "live_user_not_allowed", ()
    if ANYONE in channels:
        return "home_live_everywhere", ()
    return "home_live_in", tuple(sorted(channels))


def membership_problem(user: dict[str, Any], installed_team: str | None,
                       installed_enterprise: str | None = None) -> str | None:
    """Why `user` (users.info) does not count as a member of the installation's workspace, or None.

    A member is a full member (not a guest: is_restricted / is_ultra_restricted) of the team the
    bot is installed in, or, on Enterprise Grid, of the same organisation with that team among
    theirs. Anything missing refuses.
    """
    if not installed_team or not isinstance(user, dict) or user.get("deleted") or user.get("is_bot"):
        return "live_unverified"
    if user.get("is_stranger"):
        return "live_external"
    if user.get("is_restricted") or user.get("is_ultra_restricted"):
        return "live_guest"
    if user.get("team_id") and user.get("team_id") == installed_team:
        return None
    grid = user.get("enterprise_user") or {}
    if (installed_enterprise and grid.get("enterprise_id") == installed_enterprise
            and installed_team in (grid.get("teams") or ())):
        return None
    return "live_external"


def membership_of(client: Any, user_id: str, context: Any, logger: logging.Logger) -> str | None:
    """Why the person does not count as a member of the workspace the bot is installed in (a
    bot.slack.rendering.texts key), or None. The installation's team comes from the authorize
    result (Bolt's context), never from the request; anything missing or failing refuses."""
    installation = context.authorize_result if context is not None else None
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


def report_summary(report: Any) -> dict[str, Any]:
    """What App Home lists of a live check: the API, where, and what failed (ids and counts only)."""
    counts = report.counts()
    failing = sorted({f.entry for f in report.by_status("fail") if f.entry})
    return {"api": report.api.id, "region": report.region, "stages": list(report.stages)[:5],
            "fail": counts["fail"], "warn": counts["warn"], "entries": failing[:5]}


def run_live_check(
    config: SlackConfig,
    caller: LiveCheckCaller,
    *,
    api_id: str,
    stage: str | None,
    region: str | None,
    budget: float = SLACK_CHECK_BUDGET,
) -> Any:
    """Run the read-only checks for the caller's channel; a CheckReport. BadGatewayError as for the CLI."""
    from bot.live.runner import CheckRequest, run_check

    role = config.channel_roles.get(caller.channel_id)
    return run_check(CheckRequest(
        api_id=api_id, stage=stage, region=region, role_arn=role,
        external_id=config.external_id if role else None, budget=budget,
        since=SLACK_WINDOW, since_label="1h",
    ))


def metric_graph(
    config: SlackConfig, caller: LiveCheckCaller, report: Any, logger: logging.Logger
) -> bytes | None:
    """CloudWatch's own PNG of 5XX and integration latency for the first stage, or None."""
    if not report.stages:
        return None
    try:
        from bot.live.aws import AwsClients, AwsSettings
        from bot.live.cloudwatch import fetch_metric_widget_image, metric_widget_request_for
        role = config.channel_roles.get(caller.channel_id)
        aws = AwsClients(AwsSettings(
            region=report.region, role_arn=role, external_id=config.external_id if role else None,
        ))
        request = metric_widget_request_for(report.api, report.region, report.stages[0], SLACK_WINDOW)
        return fetch_metric_widget_image(aws, request)
    except Exception as exc:  # noqa: BLE001 - a missing graph never costs the findings
        logger.warning("badgateway: no metric graph for %s: %s", report.api.id, exc)
        return None
