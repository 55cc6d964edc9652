"""An Application Load Balancer in front of Lambda targets writes access logs, whose
error_reason (LambdaInvalidResponse, LambdaUnhandled...) says why it answered 502. Off -> warning."""

from __future__ import annotations

from bot.lint import fixes
from bot.lint.finding import LintFinding
from bot.lint.model.model import Model
from bot.lint.rules.base import Rule


class AlbAccessLogs(Rule):
    id = "alb-access-logs"
    title = "Load balancers in front of Lambda write access logs"
    entry = None
    severity = "warning"
    cfn_lint_id = "W9112"
    description = ("An Application Load Balancer's access log has the error_reason of each 502 (LambdaInvalidResponse, "
                   "LambdaUnhandled, LambdaThrottling...); it is off by default.")

    def check(self, model: Model) -> list[LintFinding]:
        if not any(group.targets for group in model.target_groups):
            return []
        findings = []
        for balancer in model.load_balancers:
            if balancer.access_logs or not balancer.is_application:
                continue
            terraform = fixes.is_terraform(model)
            patch = (fixes.property_patch(model, balancer.place.logical_id, {"access_logs": "{ bucket = \"LOG_BUCKET\", enabled = true }"})
                     if terraform else
                     f"{balancer.place.logical_id}:\n  Properties:\n    LoadBalancerAttributes:\n"
                     "      - Key: access_logs.s3.enabled\n        Value: \"true\"\n"
                     "      - Key: access_logs.s3.bucket\n        Value: !Ref LogBucket")
            findings.append(self.finding(
                balancer.place,
                f"access logging is off on {balancer.place.resource}: the error_reason of its 502s "
                "(LambdaInvalidResponse, LambdaUnhandled...) is not written anywhere",
                fix="Turn on access logs to an S3 bucket the load balancer may write to", patch=patch))
        return findings
