"""CloudWatch metrics the checks read, and the graph request Slack shows.

All series go into one get_metric_data call (up to 500 queries each), so metrics cost one call
per run, not one per stage or function.
"""

from __future__ import annotations

import json
import math
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.live.aws import AwsClients
    from bot.live.finding import ApiInfo
    from bot.live.inventory import Inventory

# Per stage
STAGE_5XX = "s5xx"
STAGE_LATENCY = "slat"
STAGE_COUNT = "scnt"
# Per function
FUNCTION_THROTTLES = "fthr"
FUNCTION_DURATION = "fdur"
FUNCTION_ERRORS = "ferr"


def period_for(window: timedelta) -> int:
    """One data point for the whole window: a multiple of 60 seconds, as CloudWatch wants."""
    return max(60, math.ceil(window.total_seconds() / 60) * 60)


def query_id(kind: str, index: int) -> str:
    return f"{kind}_{index}"  # ids must start with a lower-case letter


def stage_dimensions(inventory: Inventory, stage: str) -> list[dict[str, str]]:
    return api_stage_dimensions(inventory.api, stage)


def api_stage_dimensions(api: ApiInfo, stage: str) -> list[dict[str, str]]:
    """REST APIs publish metrics by API name, HTTP APIs by API id."""
    if api.protocol == "REST":
        return [{"Name": "ApiName", "Value": api.name}, {"Name": "Stage", "Value": stage}]
    return [{"Name": "ApiId", "Value": api.id}, {"Name": "Stage", "Value": stage}]


def five_xx_metric(inventory: Inventory) -> str:
    return _five_xx_metric(inventory.api)


def _five_xx_metric(api: ApiInfo) -> str:
    return "5XXError" if api.protocol == "REST" else "5xx"


def metric_queries(inventory: Inventory, period: int) -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = []

    def add(kind: str, index: int, namespace: str, metric: str, dimensions: list[dict[str, str]], stat: str) -> None:
        queries.append({
            "Id": query_id(kind, index),
            "MetricStat": {
                "Metric": {"Namespace": namespace, "MetricName": metric, "Dimensions": dimensions},
                "Period": period,
                "Stat": stat,
            },
            "ReturnData": True,
        })

    for index, stage in enumerate(inventory.stages):
        dimensions = stage_dimensions(inventory, stage.name)
        add(STAGE_5XX, index, "AWS/ApiGateway", five_xx_metric(inventory), dimensions, "Sum")
        add(STAGE_LATENCY, index, "AWS/ApiGateway", "IntegrationLatency", dimensions, "Maximum")
        add(STAGE_COUNT, index, "AWS/ApiGateway", "Count", dimensions, "Sum")
    for index, function in enumerate(inventory.functions()):
        dimensions = [{"Name": "FunctionName", "Value": function.name}]
        add(FUNCTION_THROTTLES, index, "AWS/Lambda", "Throttles", dimensions, "Sum")
        add(FUNCTION_DURATION, index, "AWS/Lambda", "Duration", dimensions, "Maximum")
        add(FUNCTION_ERRORS, index, "AWS/Lambda", "Errors", dimensions, "Sum")
    return queries


def metric_widget_request(
    inventory: Inventory, stage: str, window: timedelta, *, width: int = 600, height: int = 300
) -> dict[str, Any]:
    """The GetMetricWidgetImage request for a stage: 5XX count and integration latency over the window.

    Slack shows CloudWatch's own graph: people read a spike faster than a number.
    """
    return metric_widget_request_for(inventory.api, inventory.region, stage, window, width=width, height=height)


def metric_widget_request_for(
    api: ApiInfo, region: str, stage: str, window: timedelta, *, width: int = 600, height: int = 300
) -> dict[str, Any]:
    """metric_widget_request from what a CheckReport carries (no inventory needed)."""
    flat: list[str] = []
    for dimension in api_stage_dimensions(api, stage):
        flat += [dimension["Name"], dimension["Value"]]
    hours = max(1, math.ceil(window.total_seconds() / 3600))
    widget = {
        "title": f"{api.name or api.id} / {stage}: 5XX and integration latency",
        "region": region,
        "width": width,
        "height": height,
        "start": f"-PT{hours}H",
        "end": "P0D",
        "period": 60 if hours <= 3 else 300,
        "view": "timeSeries",
        "stacked": False,
        "metrics": [
            ["AWS/ApiGateway", _five_xx_metric(api), *flat, {"stat": "Sum", "label": "5XX"}],
            ["AWS/ApiGateway", "IntegrationLatency", *flat,
             {"stat": "Maximum", "label": "IntegrationLatency max (ms)", "yAxis": "right"}],
        ],
    }
    return {"MetricWidget": json.dumps(widget), "OutputFormat": "png"}


def fetch_metric_widget_image(aws: AwsClients, request: dict[str, Any]) -> bytes:
    """The PNG bytes of the graph (cloudwatch:GetMetricWidgetImage)."""
    answer = aws.call("cloudwatch", "GetMetricWidgetImage", **request)
    return bytes(answer["MetricWidgetImage"])
