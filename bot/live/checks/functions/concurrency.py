"""Concurrency: reserved concurrency 0 throttles every call (-> lambda-throttled, fail); throttles
seen in the window -> warn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.live.aws import AwsCallError
from bot.live.checks.base import ALL_PROTOCOLS, Check, function_resource
from bot.live.cloudwatch import FUNCTION_THROTTLES, query_id
from bot.live.finding import Finding
from bot.live.inventory import LambdaTarget

if TYPE_CHECKING:
    from bot.live.context import CheckContext


class Concurrency(Check):
    id = "concurrency"
    title = "Function can run (reserved concurrency, throttles)"
    entry = "lambda-throttled"
    iam_actions = ("lambda:GetFunctionConcurrency", "cloudwatch:GetMetricData")
    needs = frozenset({"concurrency", "metrics"})
    protocols = ALL_PROTOCOLS

    def run(self, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for index, function in enumerate(context.inventory.functions()):
            findings += self.guarded(function_resource(function.label),
                                     lambda f=function, i=index: self._check(context, f, i))
        return findings

    def _check(self, context: CheckContext, function: LambdaTarget, index: int) -> list[Finding]:
        resource = function_resource(function.label)
        reserved = context.reserved_concurrency(function)
        if reserved == 0:
            return [self.finding(
                "fail", resource,
                f"{function.name} has reserved concurrency 0: Lambda throttles every invocation "
                "(TooManyRequestsException), so every request through it fails (API Gateway 500/502, ALB 503)",
                fix=(f"aws lambda delete-function-concurrency --region {function.region} --function-name {function.name}"
                     f"   (or give it room: aws lambda put-function-concurrency --function-name {function.name} "
                     "--reserved-concurrent-executions 10)"),
                evidence=("ReservedConcurrentExecutions 0",),
            )]
        try:
            throttles = context.metrics().value(query_id(FUNCTION_THROTTLES, index))
        except AwsCallError:
            throttles = None  # the metrics check reports why; reserved concurrency was still checked
        if throttles:
            limit = f"its reserved concurrency of {reserved}" if reserved else "the account's concurrency"
            return [self.finding(
                "warn", resource,
                f"{function.name} was throttled {throttles:.0f} time(s) in the last {context.options.since_label}: "
                f"requests beyond {limit} are refused and API Gateway answers 500/502 for them",
                fix=(f"Raise it: aws lambda put-function-concurrency --region {function.region} --function-name "
                     f"{function.name} --reserved-concurrent-executions {max(2 * (reserved or 50), 10)} "
                     "(or ask for a higher account concurrency quota)") if reserved else
                    "Ask for a higher account concurrency quota (Service Quotas, 'Concurrent executions'), "
                    "or reserve concurrency for this function.",
                evidence=(f"Throttles {throttles:.0f}",),
            )]
        detail = f"reserved concurrency {reserved}" if reserved else "no reserved concurrency"
        return [self.finding("pass", resource, f"{detail}, no throttles in the last {context.options.since_label}")]
