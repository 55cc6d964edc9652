"""Target health of each Lambda target group: no function registered (503), not used by any
listener rule, health checks failing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.live.checks.base import Check
from bot.live.finding import Finding

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import TargetGroup, TargetHealth


class TargetHealthCheck(Check):
    id = "target_health"
    title = "Each target group has a registered, healthy function"
    entry = None
    iam_actions = ("elasticloadbalancing:DescribeTargetHealth",)
    protocols = ("ALB",)

    def run(self, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        if not context.inventory.target_groups:
            findings.append(self.finding("warn", context.inventory.api.id,
                                         "no target group with Lambda targets: nothing here invokes a function"))
        for group in context.inventory.target_groups:
            findings += self._group(group)
        return findings

    def _group(self, group: TargetGroup) -> list[Finding]:
        if not group.health:
            return [self.finding(
                "fail", group.arn,
                f"target group {group.name} has no function registered: the load balancer answers 503 for requests "
                "its rules send there",
                fix=f"aws elbv2 register-targets --target-group-arn {group.arn} --targets Id=FUNCTION_ARN "
                    "(after aws lambda add-permission for elasticloadbalancing.amazonaws.com)",
            )]
        return [self._target(group, health) for health in group.health]

    def _target(self, group: TargetGroup, health: TargetHealth) -> Finding:
        detail = " ".join(x for x in (health.reason or "", f"({health.description})" if health.description else "") if x)
        state = health.state
        if state == "unused":
            return self.finding("warn", group.arn, f"target group {group.name} is not used by any listener rule: no "
                                "request reaches its function" + (f" [{detail}]" if detail else ""))
        if state == "unhealthy":
            return self.finding(
                "fail", group.arn,
                f"{health.target} fails the health checks of target group {group.name} ({detail or 'no reason given'}): "
                "the function answers them with errors or too slowly, as it may real requests",
                fix="Read the function's log for the health check requests (HTTP method GET on the health check path), "
                    "or turn health checks off for this Lambda target group: aws elbv2 modify-target-group "
                    f"--target-group-arn {group.arn} --no-health-check-enabled",
            )
        if state in ("draining", "initial"):
            return self.finding("warn", group.arn, f"{health.target} is {state} in target group {group.name}"
                                + (f" ({detail})" if detail else ""))
        checks = "health checks on" if group.health_check_enabled else "health checks off"
        return self.finding("pass", group.arn, f"{health.target} registered in target group {group.name}: {state} "
                            f"({checks})")
