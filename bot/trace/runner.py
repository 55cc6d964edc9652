"""`run_trace(TraceRequest)`: the API from what the user gave (bot.live.targets and resolve), the
request's logs (gather), its hops and verdict (verdict). One request id, or the failing requests
of a window on a path (search). Read-only AWS calls only."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.errors import BadGatewayError, UsageError
from bot.live.aws import AwsCallError, AwsClients, AwsSettings, BudgetExhausted
from bot.live.inventory import Inventory
from bot.trace.model import Trace

AROUND = timedelta(minutes=5)  # --at: the window reaches this far either side
TRACE_BUDGET = 60.0  # seconds for the whole trace (a search traces up to 3); no AWS call starts after it
API_KINDS = ("api", "domain", "name")


@dataclass(frozen=True)
class TraceRequest:
    api: str  # an API id or URL (execute-api or custom domain)
    request_id: str | None = None  # None: find the failing requests of the window (on `path`)
    stage: str | None = None
    region: str | None = None
    profile: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    since: timedelta = timedelta(hours=1)
    since_label: str = "1h"
    at: datetime | None = None  # the time of the request, when known
    path: str | None = None
    budget: float = TRACE_BUDGET
    hooks: tuple[tuple[str, Any], ...] = field(default=())


@dataclass(frozen=True)
class TraceResult:
    traces: tuple[Trace, ...]  # newest first
    searched: bool  # found by time and path, not given by id
    window: str
    path: str | None

    @property
    def succeeded(self) -> bool:
        return all(trace.succeeded for trace in self.traces)


def run_trace(request: TraceRequest, now: datetime | None = None) -> TraceResult:
    from bot.live.targets import parse_target
    from bot.trace.gather import gather
    from bot.trace.search import failing_requests
    from bot.trace.verdict import trace_of

    target = parse_target(request.api)
    if target.kind not in API_KINDS:
        raise UsageError(f"trace follows a request through API Gateway: give an API id or URL, not {target.label}")
    aws = AwsClients(AwsSettings(region=request.region or target.region, profile=request.profile,
                                 role_arn=request.role_arn, external_id=request.external_id, hooks=request.hooks))
    aws.deadline = time.monotonic() + request.budget
    window = _window(request, now or datetime.now(UTC))
    try:
        inventory = _inventory(aws, target, request.stage)
        path = request.path or inventory.requested_path
        if request.request_id:
            return TraceResult((trace_of(gather(aws, inventory, request.request_id, window)),), False,
                               window.label, path)
        found = failing_requests(aws, inventory, path, window)
        if not found:
            on = f" on {path}" if path else ""
            raise BadGatewayError(f"no failing (5XX) request{on} in the logs of API {inventory.api.id} in {window.label}")
        traces = tuple(trace_of(gather(aws, inventory, request_id, window)) for request_id in found)
    except BudgetExhausted:
        raise BadGatewayError(f"the trace did not finish within {request.budget:g} s; try again") from None
    except AwsCallError as exc:
        raise BadGatewayError(f"cannot trace in {aws.region}: {exc.describe()}") from None
    return TraceResult(traces, True, window.label, path)


def _inventory(aws: AwsClients, target: Any, stage: str | None) -> Inventory:
    from bot.live.resolve import resolve

    jobs = resolve(aws, target, stage=stage)
    inventory = jobs[0].load(aws)
    if inventory.protocol not in ("REST", "HTTP"):
        raise UsageError(f"{target.label} is not an API Gateway REST or HTTP API: trace reads their logs only")
    return inventory


def _window(request: TraceRequest, now: datetime) -> Any:
    from bot.trace.gather import Window

    if request.at is not None:
        at = request.at if request.at.tzinfo else request.at.replace(tzinfo=UTC)
        return Window(at - AROUND, min(now, at + AROUND), f"the 10 minutes around {at:%Y-%m-%d %H:%M} UTC")
    return Window(now - request.since, now, f"the last {request.since_label}")
