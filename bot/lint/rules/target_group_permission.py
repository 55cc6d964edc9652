"""An ALB target group of type lambda needs a permission for elasticloadbalancing.amazonaws.com
on the function (or the alias it registers), with the target group as SourceArn when one is
given. Without it the target group cannot register the function, and the ALB answers 502."""

from __future__ import annotations

from bot.lint import fixes
from bot.lint.finding import LintFinding
from bot.lint.model.model import Model
from bot.lint.rules.access import LOAD_BALANCING, refusal
from bot.lint.rules.base import Rule


class TargetGroupPermission(Rule):
    id = "target-group-permission"
    title = "The load balancer may invoke each Lambda target"
    entry = "missing-invoke-permission"
    severity = "error"
    cfn_lint_id = "E9103"
    description = ("A target group of type lambda invokes its function as elasticloadbalancing.amazonaws.com; the "
                   "function (or the alias registered) needs an AWS::Lambda::Permission for that principal whose "
                   "SourceArn, when set, is the target group. Without it registering the target fails, and "
                   "requests get 502 from the load balancer.")

    def check(self, model: Model) -> list[LintFinding]:
        findings = []
        for group in model.target_groups:
            for target in group.targets:
                if target.function is None:
                    continue
                miss = refusal(model, target, [group.arn_text], LOAD_BALANCING)
                if miss is None:
                    continue
                message = (f"the load balancer may not invoke {target.label} for target group {group.place.resource}: "
                           f"{miss.why}. Registering the target fails, and the load balancer answers 502.")
                fix, patch = fixes.target_group_permission(model, target, group.key)
                findings.append(self.finding(group.place, message, fix=fix, patch=patch))
        return findings
