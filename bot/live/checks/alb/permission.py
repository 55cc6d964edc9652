"""May the load balancer invoke each function of a Lambda target group? The function's (or
alias's) resource-based policy must allow elasticloadbalancing.amazonaws.com lambda:InvokeFunction
with SourceArn the target group's ARN -> missing-invoke-permission (error_reason LambdaAccessDenied
in the load balancer's access log)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.live.checks.base import Check
from bot.live.checks.shared import add_permission_command, statement_id
from bot.live.finding import Finding
from bot.live.policy import ELB_PRINCIPAL, decide, parse_statements

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import LambdaTarget, TargetGroup


class AlbPermission(Check):
    id = "alb_permission"
    title = "The load balancer may invoke each target function"
    entry = "missing-invoke-permission"
    iam_actions = ("lambda:GetPolicy",)
    needs = frozenset({"policy"})
    protocols = ("ALB",)

    def run(self, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for group in context.inventory.target_groups:
            for target in group.targets:
                findings += self.guarded(group.arn, lambda g=group, t=target: self._check(context, g, t))
        return findings

    def _check(self, context: CheckContext, group: TargetGroup, target: LambdaTarget) -> list[Finding]:
        statements = parse_statements(context.policy(target), principal=ELB_PRINCIPAL)
        decision = decide(statements, group.arn, context.inventory.account)
        if decision.allowed:
            return [self.finding("pass", group.arn, f"target group {group.name} may invoke {target.label} "
                                 f"(statement {decision.allowed_by})")]
        why = (f"statement {decision.denied_by} denies it" if decision.denied_by else
               "no statement of its resource-based policy lets elasticloadbalancing.amazonaws.com invoke it with "
               "this target group as SourceArn")
        return [self.finding(
            "fail", group.arn,
            f"the load balancer may not invoke {target.label} for target group {group.name}: {why}. Requests get "
            "a 5XX from the load balancer, error_reason LambdaAccessDenied in its access log",
            fix=add_permission_command(target, ELB_PRINCIPAL, group.arn, statement_id("elb", group.name)),
            evidence=(group.arn,),
        )]
