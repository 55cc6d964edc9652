"""The registry of lint rules: id -> rule, in the order findings are reported."""

from __future__ import annotations

from bot.lint.rules.alb_access_logs import AlbAccessLogs
from bot.lint.rules.alb_response_headers import AlbResponseHeaders
from bot.lint.rules.authorizer_permission import AuthorizerPermission
from bot.lint.rules.base import Rule
from bot.lint.rules.handler_format import HandlerFormat
from bot.lint.rules.handler_missing import HandlerMissing
from bot.lint.rules.integration_timeout import IntegrationTimeout
from bot.lint.rules.invoke_permission import InvokePermission
from bot.lint.rules.package_modes import PackageFileModes
from bot.lint.rules.proxy_integration_method import ProxyIntegrationMethod
from bot.lint.rules.reserved_concurrency import ReservedConcurrencyZero
from bot.lint.rules.stage_logging import StageLogging
from bot.lint.rules.target_group_permission import TargetGroupPermission

REGISTRY: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        InvokePermission(),
        AuthorizerPermission(),
        TargetGroupPermission(),
        IntegrationTimeout(),
        ProxyIntegrationMethod(),
        ReservedConcurrencyZero(),
        HandlerFormat(),
        HandlerMissing(),
        PackageFileModes(),
        AlbResponseHeaders(),
        StageLogging(),
        AlbAccessLogs(),
    )
}

__all__ = ["REGISTRY", "Rule"]
