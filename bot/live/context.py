"""What every check reads: the inventory and cached AWS reads, shared across checks and threads.

Each read happens at most once per run (per function, per stage), whichever check asks first and
however many routes use that function: this is what keeps the number of AWS calls at a handful
per distinct function. Errors are cached too, so an AccessDenied is asked once and reported by
every check that needed the answer.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from bot.live.aws import AwsCallError, AwsClients, BudgetExhausted
from bot.live.inventory import Inventory, LambdaTarget, Stage

T = TypeVar("T")

MAX_LOG_EVENTS = 1000  # one page per log group: the call count must not grow with traffic
MAX_LOG_TEXT = 512 * 1024  # what the matcher reads per log group (the newest part)
# Only lines that can reveal a failure: keeps one page of a busy log group useful.
EXECUTION_LOG_FILTER = (
    '?"Execution failed" ?"Lambda execution failed" ?"Lambda invocation failed" ?"status: 50" '
    '?"timed out" ?Malformed ?"Invalid permissions" ?Exception ?"Internal server error"'
)
FUNCTION_LOG_FILTER = (
    '?ERROR ?Error ?error ?"Task timed out" ?Exception ?exception ?Traceback ?"Runtime." ?denied '
    '?"Process exited" ?"signal: killed" ?errorType ?EACCES ?"Unable to import" ?"Cannot find module" '
    '?"is undefined" ?"not a function" ?"Status: timeout"'
)


@dataclass(frozen=True)
class CheckOptions:
    since: timedelta = timedelta(hours=1)
    since_label: str = "1h"
    invoke: bool = False
    inspect_package: bool = False
    package_size_cap: int = 64 * 1024 * 1024  # bytes downloaded at most per deployment package
    max_invokes: int = 20  # test-invoked methods at most with --invoke


@dataclass(frozen=True)
class LogRead:
    group: str
    exists: bool
    messages: tuple[str, ...]  # oldest first
    more: bool  # True when the window held more matching events than one page

    @property
    def text(self) -> str:
        joined = "\n".join(message.rstrip("\n") for message in self.messages)
        return joined[-MAX_LOG_TEXT:]


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
            answer = self.aws.call("lambda", "GetFunctionConfiguration", **params)
            return without_secrets(answer)

        return self._cached(("configuration", target), read)

    def policy(self, target: LambdaTarget) -> dict[str, Any] | None:
        """The resource-based policy of the function, version or alias; None when it has none."""

        def read() -> dict[str, Any] | None:
            params: dict[str, Any] = {"FunctionName": target.arn}
            if target.qualifier:
                params["Qualifier"] = target.qualifier
            try:
                answer = self.aws.call("lambda", "GetPolicy", **params)
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
            answer = self.aws.call("lambda", "GetFunctionConcurrency", FunctionName=function.arn)
            value = answer.get("ReservedConcurrentExecutions")
            return None if value is None else int(value)

        return self._cached(("concurrency", function), read)

    def function_code(self, target: LambdaTarget) -> dict[str, Any]:
        """get_function (for the package location), without `Environment`."""

        def read() -> dict[str, Any]:
            params: dict[str, Any] = {"FunctionName": target.arn}
            if target.qualifier:
                params["Qualifier"] = target.qualifier
            answer = self.aws.call("lambda", "GetFunction", **params)
            if "Configuration" in answer:
                answer = {**answer, "Configuration": without_secrets(answer["Configuration"])}
            return answer

        return self._cached(("code", target), read)

    # ----------------------------------------------------------------------------------- Logs
    def function_log(self, target: LambdaTarget) -> LogRead:
        group = f"/aws/lambda/{target.name}"
        return self._cached(("log", group), lambda: self._read_log(group, FUNCTION_LOG_FILTER))

    def execution_log(self, stage: Stage) -> LogRead | None:
        """REST: the stage's execution log group; HTTP APIs: its access log group, when one is set."""
        if self.inventory.protocol == "REST":
            group = f"API-Gateway-Execution-Logs_{self.inventory.api.id}/{stage.name}"
            return self._cached(("log", group), lambda: self._read_log(group, EXECUTION_LOG_FILTER))
        group = log_group_of(stage.access_log_destination)
        if group is None:
            return None
        return self._cached(("log", group), lambda: self._read_log(group, None))

    def _read_log(self, group: str, pattern: str | None) -> LogRead:
        params: dict[str, Any] = {
            "logGroupName": group,
            "startTime": int(self.start.timestamp() * 1000),
            "endTime": int(self.now.timestamp() * 1000),
            "limit": MAX_LOG_EVENTS,
        }
        if pattern:
            params["filterPattern"] = pattern
        try:
            answer = self.aws.call("logs", "FilterLogEvents", **params)
        except AwsCallError as exc:
            if exc.not_found:
                return LogRead(group, exists=False, messages=(), more=False)
            raise
        events = sorted(answer.get("events", []), key=lambda event: event.get("timestamp", 0))
        messages = [str(event.get("message", "")) for event in events]
        if pattern:
            # CloudWatch already filtered; applying the same terms here keeps emulators that ignore
            # OR-patterns (moto) from handing every line to the matcher.
            terms = filter_terms(pattern)
            messages = [m for m in messages if any(term in m for term in terms)]
        return LogRead(group, True, tuple(messages), more=bool(answer.get("nextToken")))

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


def filter_terms(pattern: str) -> tuple[str, ...]:
    """The terms of an OR filter pattern such as `?ERROR ?"Task timed out"` (case-sensitive, as CloudWatch)."""
    return tuple(quoted or bare for quoted, bare in re.findall(r'\?"([^"]+)"|\?(\S+)', pattern))


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
