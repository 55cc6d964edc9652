"""CloudWatch alarm notifications, read: what changed, and which API the bot may check for it.

Two ways in, both to the Lambda function (deploy/template.yaml): an EventBridge rule for "CloudWatch
Alarm State Change" events, and an SNS subscription to a topic the alarms already notify. The
alarm's metric dimensions say what it watches: `ApiId` (HTTP and WebSocket APIs) or `ApiName`
(REST APIs) and `Stage` in AWS/ApiGateway, `FunctionName` in AWS/Lambda. What the bot may check
is configured (BADGATEWAY_ALARM_TARGETS: API ids, and NAME=API_ID for a REST API's or a function's
name); an alarm about anything else leads nowhere. Pure: events in, dataclasses out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

EVENT_DETAIL_TYPE = "CloudWatch Alarm State Change"
STATES = ("ALARM", "OK", "INSUFFICIENT_DATA")
MAX_RECORDS = 10  # SNS delivers one record per invocation; a few more are still read
MAX_METRICS = 10
MAX_DIMENSIONS = 30
_ALARM_ARN = re.compile(r"arn:aws[a-z-]*:cloudwatch:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}):(\d{12}):alarm:.{1,255}")
_REGION = re.compile(r"[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}")
_STAGE = re.compile(r"[A-Za-z0-9_$-]{1,128}")


@dataclass(frozen=True)
class AlarmMetric:
    namespace: str
    name: str
    dimensions: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class AlarmChange:
    """One alarm's change of state, whichever way it came."""

    name: str
    arn: str
    state: str  # ALARM | OK | INSUFFICIENT_DATA
    previous: str | None
    reason: str  # AWS's words (redacted when shown)
    at: str  # when it changed, as AWS wrote it (ISO 8601)
    region: str
    metrics: tuple[AlarmMetric, ...]
    source: str  # "eventbridge" or "sns"


@dataclass(frozen=True)
class AlarmTarget:
    """The API the bot checks for an alarm, and what the alarm watches."""

    api_id: str
    stage: str | None
    namespace: str
    metric: str
    function: str | None = None  # a function's alarm: the API in front of it is checked


def is_alarm_event(event: Any) -> bool:
    """An EventBridge alarm event, or an SNS delivery (which may hold alarm notifications)."""
    if not isinstance(event, dict):
        return False
    if event.get("source") == "aws.cloudwatch" and event.get("detail-type") == EVENT_DETAIL_TYPE:
        return True
    records = event.get("Records")
    return isinstance(records, list) and any(
        isinstance(r, dict) and r.get("EventSource") == "aws:sns" for r in records[:MAX_RECORDS])


def alarm_changes(event: dict[str, Any]) -> list[AlarmChange]:
    """Every alarm change in `event`; what is not one (another SNS message, a malformed one) is skipped."""
    if event.get("source") == "aws.cloudwatch":
        change = _from_eventbridge(event)
        return [change] if change else []
    changes = []
    for record in (event.get("Records") or [])[:MAX_RECORDS]:
        sns = record.get("Sns") if isinstance(record, dict) else None
        if isinstance(sns, dict) and isinstance(sns.get("Message"), str) and len(sns["Message"]) <= 262_144:
            try:
                message = json.loads(sns["Message"])
            except (ValueError, RecursionError):
                continue
            change = _from_sns(message) if isinstance(message, dict) else None
            if change:
                changes.append(change)
    return changes


def target_of(change: AlarmChange, targets: Mapping[str, str]) -> AlarmTarget | None:
    """The configured API this alarm's dimensions point at, or None (nothing runs)."""
    for metric in change.metrics:
        dims = metric.dimensions
        stage = dims.get("Stage") if _STAGE.fullmatch(dims.get("Stage") or "") else None
        if metric.namespace == "AWS/ApiGateway":
            api = targets.get(dims.get("ApiId") or "\0") or targets.get(dims.get("ApiName") or "\0")
            if api:
                return AlarmTarget(api, stage, metric.namespace, metric.name)
        elif metric.namespace == "AWS/Lambda" and dims.get("FunctionName"):
            api = targets.get(dims["FunctionName"])
            if api:
                return AlarmTarget(api, None, metric.namespace, metric.name, function=dims["FunctionName"])
    return None


# -- the two shapes ----------------------------------------------------------------------------


def _from_eventbridge(event: dict[str, Any]) -> AlarmChange | None:
    detail = event.get("detail")
    if not isinstance(detail, dict):
        return None
    arn = next((str(r) for r in event.get("resources") or () if isinstance(r, str)), "")
    state = _dict(detail.get("state"))
    metrics = []
    for item in (_dict(detail.get("configuration")).get("metrics") or [])[:MAX_METRICS]:
        metric = _dict(_dict(_dict(item).get("metricStat")).get("metric"))
        if metric:
            metrics.append(_metric(metric.get("namespace"), metric.get("name"), metric.get("dimensions")))
    return _change(name=detail.get("alarmName"), arn=arn, state=state.get("value"),
                   previous=_dict(detail.get("previousState")).get("value"), reason=state.get("reason"),
                   at=state.get("timestamp") or event.get("time"), region=event.get("region"),
                   metrics=metrics, source="eventbridge")


def _from_sns(message: dict[str, Any]) -> AlarmChange | None:
    trigger = _dict(message.get("Trigger"))
    metrics = []
    if trigger.get("Namespace"):
        metrics.append(_metric(trigger.get("Namespace"), trigger.get("MetricName"), _pairs(trigger.get("Dimensions"))))
    for item in (trigger.get("Metrics") or [])[:MAX_METRICS]:  # metric math: one per metric
        metric = _dict(_dict(_dict(item).get("MetricStat")).get("Metric"))
        if metric:
            metrics.append(_metric(metric.get("Namespace"), metric.get("MetricName"), _pairs(metric.get("Dimensions"))))
    arn = str(message.get("AlarmArn") or "")
    found = _ALARM_ARN.fullmatch(arn)
    return _change(name=message.get("AlarmName"), arn=arn, state=message.get("NewStateValue"),
                   previous=message.get("OldStateValue"), reason=message.get("NewStateReason"),
                   at=message.get("StateChangeTime"), region=found.group(1) if found else None,
                   metrics=metrics, source="sns")


def _change(*, name: Any, arn: str, state: Any, previous: Any, reason: Any, at: Any, region: Any,
            metrics: list[AlarmMetric], source: str) -> AlarmChange | None:
    found = _ALARM_ARN.fullmatch(arn)
    if not isinstance(name, str) or not name or state not in STATES or found is None:
        return None
    if not (isinstance(region, str) and _REGION.fullmatch(region)):
        region = found.group(1)  # the alarm's own region
    return AlarmChange(name=name[:255], arn=arn[:1024], state=state,
                       previous=previous if previous in STATES else None, reason=str(reason or "")[:1024],
                       at=str(at or "")[:40], region=region, metrics=tuple(metrics), source=source)


def _metric(namespace: Any, name: Any, dimensions: Any) -> AlarmMetric:
    dims = {str(k)[:256]: str(v)[:1024] for k, v in list(_dict(dimensions).items())[:MAX_DIMENSIONS]}
    return AlarmMetric(str(namespace or "")[:256], str(name or "")[:256], dims)


def _pairs(items: Any) -> dict[str, Any]:
    """SNS's [{"name": ..., "value": ...}] as a mapping."""
    pairs = items if isinstance(items, list) else []
    return {d.get("name"): d.get("value") for d in pairs[:MAX_DIMENSIONS] if isinstance(d, dict) and d.get("name")}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
