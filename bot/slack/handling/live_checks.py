"""/502 API-ID [STAGE] [REGION]: who may run the live checks, and running them for Slack.

Live checks read a real AWS account, so they run only where the configuration allows it: the
channel must be in BADGATEWAY_ALLOWED_CHANNELS and the person in BADGATEWAY_ALLOWED_USERS
(`*` allows all); nobody by default. Only for members of the workspace the bot is installed in
(its authorize result, not the request, says which): never for guests, for people from another
organisation (Slack Connect), or when that cannot be told. One check at a time per person. A channel can have its own role to assume
(BADGATEWAY_CHANNEL_ROLES), so one bot can serve several AWS accounts.
"""

from __future__ import annotations

import logging
import threading
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


class OneCheckPerUser:
    """At most one live check running per person in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[str] = set()

    def try_start(self, user_id: str) -> bool:
        with self._lock:
            if user_id in self._running:
                return False
            self._running.add(user_id)
            return True

    def finish(self, user_id: str) -> None:
        with self._lock:
            self._running.discard(user_id)


RUNNING = OneCheckPerUser()


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
