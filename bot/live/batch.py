"""Several checks in one run: everything a target leads to (a custom domain's mappings, a
distribution's origins), or every API of an account with `check --all`, each within its own time
budget and per-function call bound, a few at a time; and the summary table that comes first."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from bot.errors import BadGatewayError
from bot.live.aws import AwsCallError, AwsClients, BudgetExhausted
from bot.live.finding import CheckReport
from bot.live.resolve import Job, api_or_name
from bot.live.runner import CheckRequest, Progress, clients_for, region_of, resolve_jobs, run_job
from bot.live.targets import Target, parse_target

PARALLEL_CHECKS = 4  # gentle with the account's API rate limits
MAX_APIS = 200  # per region


@dataclass(frozen=True)
class Outcome:
    """One line of the summary: a report, or why there is none."""

    label: str
    region: str
    report: CheckReport | None = None
    problem: str | None = None  # the check could not run (not found, denied, a WebSocket API)
    protocol: str = ""

    def to_json(self) -> dict[str, Any]:
        summary: dict[str, Any] = {"target": self.label, "region": self.region, "protocol": self.protocol}
        if self.report is not None:
            report = self.report
            summary.update(api=report.api.to_json(), counts=report.counts(), failed=report.failed,
                           entries=failing_entries(report), partial=report.partial, aws_calls=report.aws_calls)
        else:
            summary.update(problem=self.problem)
        return summary


@dataclass(frozen=True)
class BatchReport:
    outcomes: tuple[Outcome, ...]
    lookup_calls: int  # AWS calls made to find what to check (listing APIs, resolving a URL)
    duration: float

    @property
    def reports(self) -> tuple[CheckReport, ...]:
        return tuple(o.report for o in self.outcomes if o.report is not None)

    @property
    def failed(self) -> bool:
        return any(report.failed for report in self.reports)

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": [outcome.to_json() for outcome in self.outcomes],
            "reports": [report.to_json() for report in self.reports],
            "lookup_calls": self.lookup_calls,
            "duration": round(self.duration, 3),
        }


def failing_entries(report: CheckReport) -> list[str]:
    return sorted({f.entry for f in report.by_status("fail") if f.entry})


def run_targets(request: CheckRequest, progress: Progress | None = None) -> BatchReport:
    """Everything `request.api_id` leads to, each job in its own run."""
    started = time.monotonic()
    target = parse_target(request.api_id)
    aws = clients_for(request, region_of(target, request))
    aws.deadline = started + request.budget
    jobs = resolve_jobs(aws, target, request)
    if len(jobs) == 1:
        report = run_job(jobs[0], request, aws, started=started, progress=progress)
        return BatchReport((Outcome(jobs[0].label, report.region, report, protocol=report.api.protocol),),
                           0, time.monotonic() - started)
    outcomes = _run_all(jobs, request, aws.region, progress)
    return BatchReport(tuple(outcomes), aws.calls, time.monotonic() - started)


def run_all_apis(request: CheckRequest, regions: tuple[str | None, ...], progress: Progress | None = None) -> BatchReport:
    """`check --all`: every REST and HTTP API of the account in each region."""
    started = time.monotonic()
    outcomes: list[Outcome] = []
    lookups = 0
    for region in regions:
        aws = clients_for(request, region)
        aws.deadline = started + request.budget
        try:
            apis = list_apis(aws)
        except (AwsCallError, BudgetExhausted) as exc:
            problem = exc.describe() if isinstance(exc, AwsCallError) else "time budget spent listing the APIs"
            raise BadGatewayError(f"cannot list the APIs in {aws.region}: {problem}") from None
        lookups += aws.calls
        jobs: list[Job] = []
        for api_id, name, protocol in apis:
            if protocol not in ("REST", "HTTP"):
                outcomes.append(Outcome(f"{api_id} ({name})", aws.region, problem=f"a {protocol} API: not checked",
                                        protocol=protocol))
                continue
            jobs.append(Job(f"{api_id} ({name})", api_or_name(Target("api", api_id, text=api_id)), aws.region))
        outcomes += _run_all(jobs, request, aws.region, progress)
    return BatchReport(tuple(outcomes), lookups, time.monotonic() - started)


def list_apis(aws: AwsClients) -> list[tuple[str, str, str]]:
    """(id, name, protocol) of the region's REST APIs, then its HTTP and WebSocket APIs."""
    found: list[tuple[str, str, str]] = []
    position: str | None = None
    while len(found) < MAX_APIS:
        page = aws.call("apigateway", "GetRestApis", limit=500, **({"position": position} if position else {}))
        found += [(str(i["id"]), str(i.get("name", "")), "REST") for i in page.get("items", [])]
        position = page.get("position")
        if not position:
            break
    token: str | None = None
    while len(found) < 2 * MAX_APIS:
        page = aws.call("apigatewayv2", "GetApis", MaxResults="500", **({"NextToken": token} if token else {}))
        found += [(str(i["ApiId"]), str(i.get("Name", "")), str(i.get("ProtocolType", "HTTP"))) for i in page.get("Items", [])]
        token = page.get("NextToken")
        if not token:
            break
    return found


def _run_all(jobs: list[Job], request: CheckRequest, region: str, progress: Progress | None) -> list[Outcome]:
    def one(job: Job) -> Outcome:
        where = job.region or region
        try:
            aws = clients_for(request, where)
            report = run_job(replace(job, region=None), request, aws, progress=progress)
        except BadGatewayError as exc:  # UsageError included: one bad job does not sink the others
            return Outcome(job.label, where, problem=str(exc))
        return Outcome(job.label, where, report, protocol=report.api.protocol)

    with ThreadPoolExecutor(max_workers=PARALLEL_CHECKS, thread_name_prefix="badgateway-api") as pool:
        return list(pool.map(one, jobs))
