"""Metrics: 5XX responses and integration latency per stage over the window (one batched
get_metric_data call for the whole run). Slack also shows CloudWatch's own graph of them:
see bot.live.cloudwatch.metric_widget_request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.live.checks.base import Check
from bot.live.cloudwatch import STAGE_5XX, STAGE_COUNT, STAGE_LATENCY, five_xx_metric, query_id
from bot.live.finding import Finding

if TYPE_CHECKING:
    from bot.live.context import CheckContext

NEAR_TIMEOUT_MS = 500  # integration latency this close to the timeout means requests hit it


class Metrics(Check):
    id = "metrics"
    title = "5XX responses and integration latency in the window"
    entry = None
    iam_actions = ("cloudwatch:GetMetricData", "cloudwatch:GetMetricWidgetImage")
    needs = frozenset({"metrics"})

    def run(self, context: CheckContext) -> list[Finding]:
        inventory = context.inventory
        window = context.options.since_label
        findings: list[Finding] = []
        timeouts = [r.integration.effective_timeout_ms(inventory.protocol) for r in inventory.routes if r.integration]
        integration_ms = min(timeouts) if timeouts else None
        for index, stage in enumerate(inventory.stages):
            resource = f"stage {stage.name}"

            def produce(index: int = index, stage_name: str = stage.name, resource: str = resource) -> list[Finding]:
                metrics = context.metrics()
                errors = metrics.value(query_id(STAGE_5XX, index))
                latency = metrics.value(query_id(STAGE_LATENCY, index))
                count = metrics.value(query_id(STAGE_COUNT, index))
                out: list[Finding] = []
                if errors is None and count is None:
                    return [self.finding("pass", resource, f"no requests recorded on stage {stage_name} in the last {window}")]
                of = f" of {count:,.0f} request(s)" if count else ""
                evidence = tuple(x for x in (
                    f"{five_xx_metric(inventory)} Sum {errors or 0:,.0f}",
                    f"IntegrationLatency Maximum {latency:,.0f} ms" if latency is not None else "",
                ) if x)
                if errors:
                    out.append(self.finding(
                        "warn", resource,
                        f"{errors:,.0f} 5XX response(s){of} on stage {stage_name} in the last {window}; the other "
                        "findings say why",
                        evidence=evidence,
                    ))
                if latency is not None and integration_ms and latency >= integration_ms - NEAR_TIMEOUT_MS:
                    out.append(self.finding(
                        "warn", resource,
                        f"integration latency reached {latency:,.0f} ms on stage {stage_name}, at the "
                        f"{integration_ms:,} ms integration timeout: some requests timed out (504/503)",
                        entry="integration-timeout", evidence=evidence,
                    ))
                if not out:
                    seen = f", integration latency up to {latency:,.0f} ms" if latency is not None else ""
                    out.append(self.finding("pass", resource, f"no 5XX{of} on stage {stage_name} in the last {window}{seen}"))
                return out

            findings += self.guarded(resource, produce)
        return findings
