"""One CloudWatch Logs Insights query across every log group a check reads.

StartQuery fails as a whole when one log group does not exist ("Log group 'X' does not exist for
account ID ..."): that group is dropped and the query started again, once per missing group.
GetQueryResults is polled a bounded number of times (the call bound) within the time budget; a
query still running by then gives what it found so far, marked as partial.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.live.aws import AwsCallError, AwsClients
from bot.live.logs.model import LogEvent, LogRead
from bot.live.logs.patterns import INSIGHTS_LIMIT, insights_query

MAX_GROUPS = 50  # log groups per query, as Insights allows
POLL_INTERVALS = (0.5, 1.0, 1.5, 2.0, 2.0, 3.0, 3.0, 3.0)  # seconds before each GetQueryResults
_MISSING_GROUP = re.compile(r"[Ll]og group '([^']{1,512})' does not exist")
_DONE = frozenset({"Complete"})
_FAILED = frozenset({"Failed", "Cancelled", "Timeout", "Unknown"})


class InsightsUnavailable(Exception):
    """Insights cannot answer (denied, failed, a missing group it did not name): read group by group."""

    def __init__(self, reason: str, error: AwsCallError | None = None) -> None:
        super().__init__(reason)
        self.error = error


@dataclass(frozen=True)
class QueryPlan:
    groups: tuple[str, ...]
    start: datetime
    end: datetime
    max_polls: int  # GetQueryResults calls at most, per query
    deadline: float | None
    query: str | None = None  # the query string; None: the knowledge base's failure lines (insights_query)


def read_with_insights(aws: AwsClients, plan: QueryPlan, sleep: Callable[[float], None] = time.sleep) -> dict[str, LogRead]:
    """Group -> LogRead for every group of the plan; InsightsUnavailable when the fallback must read them."""
    reads: dict[str, LogRead] = {}
    for offset in range(0, len(plan.groups), MAX_GROUPS):
        chunk = list(plan.groups[offset : offset + MAX_GROUPS])
        reads.update(_one_query(aws, chunk, plan, sleep))
    return reads


def _one_query(aws: AwsClients, groups: list[str], plan: QueryPlan, sleep: Callable[[float], None]) -> dict[str, LogRead]:
    missing: list[str] = []
    query_id: str | None = None
    while groups:
        try:
            answer = aws.call(
                "logs", "StartQuery", logGroupNames=groups, startTime=int(plan.start.timestamp()),
                endTime=int(plan.end.timestamp()), queryString=plan.query or insights_query(), limit=INSIGHTS_LIMIT,
            )
        except AwsCallError as exc:
            named = _MISSING_GROUP.search(exc.aws_message) if exc.not_found else None
            if named and named.group(1) in groups:
                groups.remove(named.group(1))
                missing.append(named.group(1))
                continue
            raise InsightsUnavailable(exc.describe(), exc) from None
        query_id = str(answer["queryId"])
        break
    reads = {group: LogRead(group, exists=False, messages=(), more=False) for group in missing}
    if query_id is None:
        return reads
    rows, complete = _results(aws, query_id, plan, sleep)
    by_group: dict[str, list[tuple[str, LogEvent]]] = {group: [] for group in groups}
    for row in rows:
        fields = {str(f.get("field")): str(f.get("value", "")) for f in row if isinstance(f, dict)}
        group = _group_of(fields.get("@log", ""), groups)
        if group is not None:
            stamp = fields.get("@timestamp", "")
            event = LogEvent(fields.get("@message", ""), fields.get("@logStream") or None, _milliseconds(stamp))
            by_group[group].append((stamp, event))
    full = len(rows) >= INSIGHTS_LIMIT
    for group, found in by_group.items():
        found.sort(key=lambda pair: (pair[0], pair[1].message))  # Insights answers newest first; LogRead is oldest first
        events = tuple(event for _, event in found)
        reads[group] = LogRead(group, exists=True, messages=tuple(e.message for e in events), more=full or not complete,
                               events=events)
    return reads


def _milliseconds(stamp: str) -> int | None:
    """Insights' @timestamp, `2024-05-01 10:00:03.010` (UTC), in milliseconds since the epoch."""
    try:
        moment = datetime.strptime(stamp[:23], "%Y-%m-%d %H:%M:%S.%f")
    except ValueError:
        return None
    return int(moment.replace(tzinfo=UTC).timestamp() * 1000 + 0.5)


def _results(aws: AwsClients, query_id: str, plan: QueryPlan, sleep: Callable[[float], None]) -> tuple[list[list[dict[str, str]]], bool]:
    """(rows, complete): polled until Complete, the poll allowance or the deadline."""
    rows: list[list[dict[str, str]]] = []
    for attempt in range(max(1, plan.max_polls)):
        wait = POLL_INTERVALS[min(attempt, len(POLL_INTERVALS) - 1)]
        if plan.deadline is not None:
            wait = min(wait, max(0.0, plan.deadline - time.monotonic() - 0.2))
        sleep(wait)
        try:
            answer = aws.call("logs", "GetQueryResults", queryId=query_id)
        except AwsCallError as exc:
            raise InsightsUnavailable(exc.describe(), exc) from None
        rows = list(answer.get("results") or [])
        status = str(answer.get("status", ""))
        if status in _DONE:
            return rows, True
        if status in _FAILED:
            raise InsightsUnavailable(f"the Logs Insights query ended {status}")
        if plan.deadline is not None and time.monotonic() >= plan.deadline - 0.3:
            break
    return rows, False


def _group_of(log_field: str, groups: list[str]) -> str | None:
    """@log is ACCOUNT:GROUP (the group name alone for some sources)."""
    name = log_field.split(":", 1)[1] if ":" in log_field and log_field.split(":", 1)[0].isdigit() else log_field
    return name if name in groups else None
