"""Reading the lines that hold one id, from a few log groups: one Logs Insights query across them,
or FilterLogEvents group by group where Insights is denied (bot.live.logs, the live checks' reader).

A group that does not exist, or that the identity may not read, is said so; nothing is guessed.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime

from bot.live.aws import AwsCallError, AwsClients, BudgetExhausted
from bot.live.logs.model import LogEvent, LogRead

MAX_POLLS = 8
_INSIGHTS_SPECIAL = re.compile(r"([.\\^$|?*+()\[\]{}/])")


@dataclass(frozen=True)
class GroupRead:
    group: str
    read: LogRead | None  # None when it could not be read
    problem: str | None = None  # why not (an access denial, a throttle), in AWS's words

    @property
    def exists(self) -> bool:
        return self.read is not None and self.read.exists

    @property
    def messages(self) -> tuple[str, ...]:
        return self.read.messages if self.read is not None else ()

    @property
    def events(self) -> tuple[LogEvent, ...]:
        """The messages with their log stream and timestamp, where the reader gave them."""
        if self.read is None:
            return ()
        return self.read.events or tuple(LogEvent(message) for message in self.read.messages)


def insights_literal(text: str) -> str:
    """`text` as a literal inside Insights' `like /.../`."""
    return _INSIGHTS_SPECIAL.sub(r"\\\1", text)


def query_for(regex: str, limit: int = 1000) -> str:
    return (f"fields @timestamp, @message, @log, @logStream | filter @message like /{regex}/ "
            f"| sort @timestamp desc | limit {limit}")


def read_lines(aws: AwsClients, groups: tuple[str, ...], regex: str, terms: tuple[str, ...],
               start: datetime, end: datetime) -> dict[str, GroupRead]:
    """Group -> what it holds matching `regex` (Insights) or any of `terms` (FilterLogEvents)."""
    from bot.live.logs.filter_events import read_with_filter
    from bot.live.logs.insights import InsightsUnavailable, QueryPlan, read_with_insights

    if not groups:
        return {}
    plan = QueryPlan(groups, start, end, max_polls=MAX_POLLS, deadline=aws.deadline, query=query_for(regex))
    try:
        return {group: GroupRead(group, read) for group, read in read_with_insights(aws, plan).items()}
    except InsightsUnavailable:
        pass
    pattern = " ".join(f'?"{term}"' for term in terms)
    found: dict[str, GroupRead] = {}
    for group in groups:
        try:
            found[group] = GroupRead(group, read_with_filter(aws, group, pattern, start, end))
        except AwsCallError as exc:
            found[group] = GroupRead(group, None, exc.describe())
        except BudgetExhausted as exc:
            found[group] = GroupRead(group, None, str(exc))
    return found


def deadline_in(seconds: float) -> float:
    return time.monotonic() + seconds
