"""The registry of live checks: id -> check. Ids double as the names `--checks` accepts.

Grouped by what they look at: api/ (API Gateway routes, integrations, authorizers, logging),
functions/ (every Lambda function behind any front door), alb/ (load balancers and target groups),
cloudfront/ (distributions and Lambda@Edge), evidence/ (recent logs and metrics).
"""

from __future__ import annotations

from bot.live.checks.alb.access_logs import AlbAccessLogs
from bot.live.checks.alb.permission import AlbPermission
from bot.live.checks.alb.responses import AlbResponses
from bot.live.checks.alb.target_health import TargetHealthCheck
from bot.live.checks.api.authorizers import Authorizers
from bot.live.checks.api.integration_setup import IntegrationSetup
from bot.live.checks.api.invoke import Invoke
from bot.live.checks.api.invoke_permission import InvokePermission
from bot.live.checks.api.logging_setup import LoggingSetup
from bot.live.checks.api.service_integrations import ServiceIntegrations
from bot.live.checks.base import Check
from bot.live.checks.cloudfront.lambda_edge import LambdaEdge
from bot.live.checks.cloudfront.origins import CloudFrontOrigins
from bot.live.checks.evidence.metrics import Metrics
from bot.live.checks.evidence.recent_logs import RecentLogs
from bot.live.checks.functions.concurrency import Concurrency
from bot.live.checks.functions.function_state import FunctionState
from bot.live.checks.functions.function_url import FunctionUrlCheck
from bot.live.checks.functions.package import Package
from bot.live.checks.functions.timeouts import Timeouts

# In the order findings are reported.
REGISTRY: dict[str, Check] = {
    check.id: check
    for check in (
        InvokePermission(),
        Authorizers(),
        AlbPermission(),
        Timeouts(),
        FunctionState(),
        Concurrency(),
        FunctionUrlCheck(),
        IntegrationSetup(),
        ServiceIntegrations(),
        TargetHealthCheck(),
        AlbResponses(),
        AlbAccessLogs(),
        LambdaEdge(),
        CloudFrontOrigins(),
        LoggingSetup(),
        RecentLogs(),
        Metrics(),
        Invoke(),
        Package(),
    )
}

__all__ = ["REGISTRY", "Check"]
