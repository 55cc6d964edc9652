"""What every check reads: the inventory and cached AWS reads, shared across checks and threads.

Each read happens at most once per run (per function, per stage), whichever check asks first and
however many routes use that function: this is what keeps the number of AWS calls at a handful
per distinct function. Errors are cached too, so an AccessDenied is asked once and reported by
every check that needed the answer.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from bot.live.aws import AwsCallError, AwsClients, BudgetExhausted
from bot.live.inventory import Inventory, LambdaTarget, Stage
from bot.live.logs.model import LogRead

T = TypeVar("T")

LOG_READ_WORKERS = 8  # FilterLogEvents fallback: log groups read at once


@dataclass(frozen=True)
class CheckOptions:
    since: timedelta = timedelta(hours=1)
    since_label: str = "1h"
    invoke: bool = False
    inspect_package: bool = False
    package_size_cap: int = 64 * 1024 * 1024  # bytes downloaded at most per deployment package
    max_invokes: int = 20  # test-invoked methods at most with --invoke


@dataclass(frozen=True)
class MetricSeries:
    total: float | None  # Sum statistics summed, Maximum statistics maxed; None: no data points
    points: int


@dataclass(frozen=True)
class MetricsRead:
    series: dict[str, MetricSeries]  # query id -> values
    start: datetime
    end: datetime

    def value(self, query_id: str) -> float | None:
        found = self.series.get(query_id)
        return found.total if found else None


class _Pending:
    __slots__ = ("done", "error", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class CallCache:
    """Compute each key once; concurrent askers wait for the first one's answer (or error)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[Any, ...], _Pending] = {}
        self._local = threading.local()

    def prefetching(self) -> bool:
        return bool(getattr(self._local, "prefetching", False))

    def set_prefetching(self, value: bool) -> None:
        """In a prefetch worker: never wait for a read someone else is making (it would idle a worker)."""
        self._local.prefetching = value

    def get(self, key: tuple[Any, ...], compute: Callable[[], T], deadline: float | None) -> T:
        with self._lock:
            entry = self._entries.get(key)
            owner = entry is None
            if entry is None:
                entry = self._entries[key] = _Pending()
        if not owner and self.prefetching():
            return None  # type: ignore[return-value]
        if owner:
            try:
                entry.value = compute()
            except BudgetExhausted as exc:
                entry.error = exc
                with self._lock:  # not a real answer: let a later run (or nobody) ask again
                    self._entries.pop(key, None)
            except Exception as exc:
                entry.error = exc
            finally:
                entry.done.set()
        else:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not entry.done.wait(timeout):
                raise BudgetExhausted("time budget spent while waiting for an AWS answer")
        if entry.error is not None:
            raise entry.error
        return entry.value  # type: ignore[no-any-return]


class CheckContext:
    def __init__(
        self,
        aws: AwsClients,
        inventory: Inventory,
        options: CheckOptions | None = None,
        *,
        deadline: float | None = None,
        now: datetime | None = None,
    ) -> None:
        self.aws = aws
        self.inventory = inventory
        self.options = options or CheckOptions()
        self.deadline = deadline
        self.now = now or datetime.now(UTC)
        self._cache = CallCache()
        self._fallback_reason: str | None = None
        self._log_errors: dict[str, BaseException] = {}

    @property
    def start(self) -> datetime:
        return self.now - self.options.since

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        return self._cache.get(key, compute, self.deadline)

    def prefetch(self, read: Callable[[], object]) -> None:
        """Make one read ahead of the checks; its answer or error stays in the cache for them."""
        self._cache.set_prefetching(True)
        try:
            read()
        except Exception:
            pass
        finally:
            self._cache.set_prefetching(False)

    # --------------------------------------------------------------------------------- Lambda
    def configuration(self, target: LambdaTarget) -> dict[str, Any]:
        """get_function_configuration for the function, version or alias, without `Environment`."""

        def read() -> dict[str, Any]:
            params: dict[str, Any] = {"FunctionName": target.arn}
            if target.qualifier:
                params["Qualifier"] = target.qualifier
            answer = self.aws.call("lambda", "GetFunctionConfiguration", in_region=target.region, **params)
            return without_secrets(answer)

        return self._cached(("configuration", target), read)

    def policy(self, target: LambdaTarget) -> dict[str, Any] | None:
        """The resource-based policy of the function, version or alias; None when it has none."""

        def read() -> dict[str, Any] | None:
            params: dict[str, Any] = {"FunctionName": target.arn}
            if target.qualifier:
                params["Qualifier"] = target.qualifier
            try:
                answer = self.aws.call("lambda", "GetPolicy", in_region=target.region, **params)
            except AwsCallError as exc:
                if exc.not_found:
                    return None
                raise
            document = json.loads(answer.get("Policy") or "{}")
            return document if isinstance(document, dict) else None

        return self._cached(("policy", target), read)

    def reserved_concurrency(self, target: LambdaTarget) -> int | None:
        """Reserved concurrency of the function (qualifiers share it); None when not set."""
        function = target.function

        def read() -> int | None:
            answer = self.aws.call("lambda", "GetFunctionConcurrency", in_region=function.region,
                                   FunctionName=function.arn)
            value = answer.get("ReservedConcurrentExecutions")
            return None if value is None else int(value)

        return self._cached(("concurrency", function), read)

    def function_code(self, target: LambdaTarget) -> dict[str, Any]:
        """get_function (for the package location), without `Environment`."""

        def read() -> dict[str, Any]:
            params: dict[str, Any] = {"FunctionName": target.arn}
            if target.qualifier:
                params["Qualifier"] = target.qualifier
            answer = self.aws.call("lambda", "GetFunction", in_region=target.region, **params)
            if "Configuration" in answer:
                answer = {**answer, "Configuration": without_secrets(answer["Configuration"])}
            return answer

        return self._cached(("code", target), read)

    # ----------------------------------------------------------------------------------- Logs
    def function_log(self, target: LambdaTarget) -> LogRead:
        return self._log(function_log_group(target))

    def execution_log(self, stage: Stage) -> LogRead | None:
        """REST: the stage's execution log group; HTTP APIs: its access log group, when one is set."""
        group = stage_log_group(self.inventory, stage)
        if group is None:
            return None
        return self._log(group)

    def _log(self, group: str) -> LogRead:
        found = self.log_reads().get(group)
        if found is not None:
            return found
        error = self._log_errors.get(group)
        if error is not None:
            raise error
        return LogRead(group, exists=False, messages=(), more=False)

    def log_reads(self) -> dict[str, LogRead]:
        """Every log group the checks read, in one Logs Insights query (or group by group where denied)."""
        return self._cached(("logs",), self._read_logs)

    @property
    def insights_fallback(self) -> str | None:
        """Why the logs were read with FilterLogEvents instead of Logs Insights (None: they were not)."""
        return self._fallback_reason

    def log_groups(self) -> dict[str, str | None]:
        """Group -> the FilterLogEvents pattern its fallback read uses (None: every line)."""
        from bot.live.logs.patterns import EXECUTION_LOG_FILTER, FUNCTION_LOG_FILTER

        groups: dict[str, str | None] = {}
        for stage in self.inventory.stages:
            group = stage_log_group(self.inventory, stage)
            if group is not None:
                groups[group] = EXECUTION_LOG_FILTER if self.inventory.protocol == "REST" else None
        for function in self.inventory.functions():
            groups[function_log_group(function)] = FUNCTION_LOG_FILTER
        return groups

    def _read_logs(self) -> dict[str, LogRead]:
        from bot.live.logs.insights import InsightsUnavailable, QueryPlan, read_with_insights

        groups = self.log_groups()
        if not groups:
            return {}
        # Polls grow with the function log groups searched, within the per-function call bound.
        polls = min(8, 2 + len(self.inventory.functions()))
        plan = QueryPlan(tuple(groups), self.start, self.now, max_polls=polls,
                         deadline=self.deadline)
        try:
            return read_with_insights(self.aws, plan)
        except InsightsUnavailable as exc:
            self._fallback_reason = str(exc)
        return self._read_each(groups)

    def _read_each(self, groups: dict[str, str | None]) -> dict[str, LogRead]:
        from concurrent.futures import ThreadPoolExecutor

        from bot.live.logs.filter_events import read_with_filter

        def read(item: tuple[str, str | None]) -> tuple[str, LogRead | BaseException]:
            group, pattern = item
            try:
                return group, read_with_filter(self.aws, group, pattern, self.start, self.now)
            except (AwsCallError, BudgetExhausted) as exc:
                return group, exc

        reads: dict[str, LogRead] = {}
        errors: dict[str, BaseException] = {}
        with ThreadPoolExecutor(max_workers=min(LOG_READ_WORKERS, len(groups))) as pool:
            for group, outcome in pool.map(read, groups.items()):
                if isinstance(outcome, LogRead):
                    reads[group] = outcome
                else:
                    errors[group] = outcome
        self._log_errors.update(errors)
        return reads

    # -------------------------------------------------------------------------------- Metrics
    def metrics(self) -> MetricsRead:
        """Every metric the checks read, in one batched get_metric_data call."""
        return self._cached(("metrics",), self._read_metrics)

    def _read_metrics(self) -> MetricsRead:
        from bot.live.cloudwatch import metric_queries, period_for

        queries = metric_queries(self.inventory, period_for(self.options.since))
        series: dict[str, MetricSeries] = {}
        stats = {query["Id"]: query["MetricStat"]["Stat"] for query in queries}
        for offset in range(0, len(queries), 500):  # get_metric_data takes 500 queries per call
            token: str | None = None
            while True:
                params: dict[str, Any] = {
                    "MetricDataQueries": queries[offset : offset + 500],
                    "StartTime": self.start,
                    "EndTime": self.now,
                }
                if token:
                    params["NextToken"] = token
                answer = self.aws.call("cloudwatch", "GetMetricData", **params)
                for result in answer.get("MetricDataResults", []):
                    values = [float(v) for v in result.get("Values", [])]
                    previous = series.get(result["Id"])
                    if previous and previous.total is not None:
                        values.append(previous.total)
                    total: float | None
                    if not values:
                        total = None
                    elif stats.get(result["Id"]) == "Maximum":
                        total = max(values)
                    else:
                        total = sum(values)
                    series[result["Id"]] = MetricSeries(total, len(result.get("Values", [])))
                token = answer.get("NextToken")
                if not token:
                    break
        return MetricsRead(series, self.start, self.now)

    # ---------------------------------------------------------------------------- API Gateway
    def account_settings(self) -> dict[str, Any]:
        """REST: the region's API Gateway account settings (the CloudWatch Logs role)."""
        return self._cached(("account",), lambda: self.aws.call("apigateway", "GetAccount"))

    # ------------------------------------------------------------------------------------ IAM
    def role(self, arn: str) -> dict[str, Any] | None:
        """iam:GetRole for a role ARN (its trust policy decoded); None when the role does not exist."""

        def read() -> dict[str, Any] | None:
            try:
                answer = self.aws.call("iam", "GetRole", RoleName=arn.rsplit("/", 1)[-1])
            except AwsCallError as exc:
                if exc.not_found:
                    return None
                raise
            role = dict(answer.get("Role") or {})
            trust = role.get("AssumeRolePolicyDocument")
            if isinstance(trust, str):  # URL-encoded JSON on the wire; boto3 usually decodes it
                from urllib.parse import unquote

                try:
                    role["AssumeRolePolicyDocument"] = json.loads(unquote(trust))
                except ValueError:
                    role["AssumeRolePolicyDocument"] = {}
            return role

        return self._cached(("role", arn), read)

    # ---------------------------------------------------------------------------- load balancers
    def target_group_attributes(self, arn: str) -> dict[str, str]:
        def read() -> dict[str, str]:
            answer = self.aws.call("elbv2", "DescribeTargetGroupAttributes", TargetGroupArn=arn)
            return {str(a.get("Key")): str(a.get("Value")) for a in answer.get("Attributes", [])}

        return self._cached(("tg-attributes", arn), read)

    def load_balancer_attributes(self, arn: str) -> dict[str, str]:
        def read() -> dict[str, str]:
            answer = self.aws.call("elbv2", "DescribeLoadBalancerAttributes", LoadBalancerArn=arn)
            return {str(a.get("Key")): str(a.get("Value")) for a in answer.get("Attributes", [])}

        return self._cached(("lb-attributes", arn), read)


def without_secrets(configuration: dict[str, Any]) -> dict[str, Any]:
    """A function configuration without environment variables: we never keep their values."""
    cleaned = {key: value for key, value in configuration.items() if key not in ("Environment", "ResponseMetadata")}
    return cleaned


def log_group_of(destination_arn: str | None) -> str | None:
    """arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*] -> NAME."""
    if not destination_arn or ":log-group:" not in destination_arn:
        return None
    name = destination_arn.split(":log-group:", 1)[1]
    return name[:-2] if name.endswith(":*") else name


def function_log_group(target: LambdaTarget) -> str:
    return f"/aws/lambda/{target.name}"


def stage_log_group(inventory: Inventory, stage: Stage) -> str | None:
    """REST: the execution log group; HTTP APIs: the access log group, when the stage writes one."""
    if inventory.protocol == "REST":
        return f"API-Gateway-Execution-Logs_{inventory.api.id}/{stage.name}"
    return log_group_of(stage.access_log_destination)
