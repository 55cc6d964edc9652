"""Access logging of each load balancer: its `error_reason` field is what says why the load
balancer answered 5XX for a Lambda target (LambdaInvalidResponse, LambdaUnhandled,
LambdaThrottling, LambdaResponseTooLarge, LambdaAccessDenied...); without access logs it is lost."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from bot.live.checks.base import Check
from bot.live.finding import Finding

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import LoadBalancer


class AlbAccessLogs(Check):
    id = "alb_access_logs"
    title = "Access logs record error_reason"
    entry = None
    iam_actions = ("elasticloadbalancing:DescribeLoadBalancerAttributes",)
    needs = frozenset({"lb_attributes"})
    protocols = ("ALB",)

    def run(self, context: CheckContext) -> list[Finding]:
        balancers = context.inventory.load_balancers
        if not balancers:
            return [self.finding("skip", context.inventory.api.id,
                                 "no load balancer forwards to this target group: no access log to look at")]
        findings: list[Finding] = []
        for balancer in balancers:
            findings += self.guarded(balancer.arn, lambda b=balancer: self._check(context, b))
        return findings

    def _check(self, context: CheckContext, balancer: LoadBalancer) -> list[Finding]:
        attributes = context.load_balancer_attributes(balancer.arn)
        enabled = attributes.get("access_logs.s3.enabled", "false").lower() == "true"
        if not enabled:
            return [self.finding(
                "warn", balancer.arn,
                f"access logging is off on {balancer.name}: the error_reason field that says why the load balancer "
                "answered 5XX for a Lambda target (LambdaInvalidResponse, LambdaUnhandled, LambdaThrottling...) is "
                "not recorded",
                fix=(f"aws elbv2 modify-load-balancer-attributes --region {context.inventory.region} --load-balancer-arn "
                     f"{balancer.arn} --attributes Key=access_logs.s3.enabled,Value=true "
                     "Key=access_logs.s3.bucket,Value=BUCKET   (a bucket whose policy lets Elastic Load Balancing "
                     "write to it)"),
            )]
        bucket = attributes.get("access_logs.s3.bucket", "")
        prefix = attributes.get("access_logs.s3.prefix", "").strip("/")
        where = "/".join(x for x in (bucket, prefix, "AWSLogs", context.inventory.account, "elasticloadbalancing",
                                     context.inventory.region, context.now.strftime("%Y/%m/%d")) if x)
        return [self.finding(
            "pass", balancer.arn,
            f"access logging is on for {balancer.name}; its error_reason field says why a request got 5XX: "
            f"aws s3 cp --recursive {shlex.quote('s3://' + where + '/')} alb-logs/ && zcat alb-logs/*.gz | "
            "badgateway diagnose",
        )]
