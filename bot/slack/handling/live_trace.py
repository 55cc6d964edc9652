"""/502 trace REQUEST_ID API [STAGE] [REGION]: running a trace for Slack, as the caller's channel
may (the same permissions and role as live checks: bot.slack.handling.live_checks)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.slack.config import SlackConfig
from bot.slack.handling.live_checks import SLACK_CHECK_BUDGET, LiveCheckCaller

TRACE_WINDOW = timedelta(hours=6)  # a request id people paste is often from earlier in the day


def run_live_trace(config: SlackConfig, caller: LiveCheckCaller, *, request_id: str, api: str,
                   stage: str | None, region: str | None) -> Any:
    """A TraceResult; BadGatewayError as for the CLI (not found, denied, no credentials)."""
    from bot.trace.runner import TraceRequest, run_trace

    role = config.channel_roles.get(caller.channel_id)
    return run_trace(TraceRequest(
        api=api, request_id=request_id, stage=stage, region=region, role_arn=role,
        external_id=config.external_id if role else None, since=TRACE_WINDOW, since_label="6h",
        budget=SLACK_CHECK_BUDGET,
    ))
