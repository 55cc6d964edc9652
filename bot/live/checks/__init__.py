"""The registry of live checks: id -> check. Ids double as the names `--checks` accepts."""

from __future__ import annotations

from bot.live.checks.base import Check
from bot.live.checks.concurrency import Concurrency
from bot.live.checks.function_state import FunctionState
from bot.live.checks.integration_setup import IntegrationSetup
from bot.live.checks.invoke import Invoke
from bot.live.checks.invoke_permission import InvokePermission
from bot.live.checks.logging_setup import LoggingSetup
from bot.live.checks.metrics import Metrics
from bot.live.checks.package import Package
from bot.live.checks.recent_logs import RecentLogs
from bot.live.checks.timeouts import Timeouts

# In the order findings are reported.
REGISTRY: dict[str, Check] = {
    check.id: check
    for check in (
        InvokePermission(),
        Timeouts(),
        FunctionState(),
        Concurrency(),
        IntegrationSetup(),
        LoggingSetup(),
        RecentLogs(),
        Metrics(),
        Invoke(),
        Package(),
    )
}

__all__ = ["REGISTRY", "Check"]
