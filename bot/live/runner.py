"""Run the selected checks against one target (an API, a load balancer, a distribution, a function
URL: bot.live.resolve says which): inventory first, then every AWS read the checks need fetched
concurrently (bounded), then the checks that apply to it, each timed, within a total time budget.

Whatever happens inside a check becomes findings: an AWS error is that resource's `error`
finding, a bug in a check is that check's `error` finding, a check still running when the
budget is spent is a `skip`, and the report says it is partial.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.errors import BadGatewayError, UsageError
from bot.live.aws import AwsCallError, AwsClients, AwsSettings, BudgetExhausted, Hook
from bot.live.checks import REGISTRY, Check
from bot.live.checks.base import BUDGET_SKIP
from bot.live.context import CheckContext, CheckOptions
from bot.live.finding import CheckReport, Finding
from bot.live.inventory import Inventory
from bot.live.resolve import Job, resolve
from bot.live.targets import Target, parse_target

DEFAULT_BUDGET = 25.0  # seconds: Slack users wait for the answer, and so do terminals
DEFAULT_WORKERS = 16

Progress = Callable[[str], None]


@dataclass(frozen=True)
class CheckRequest:
    api_id: str
    stage: str | None = None
    region: str | None = None
    profile: str | None = None
    role_arn: str | None = None
    external_id: str | None = None
    since: timedelta = timedelta(hours=1)
    since_label: str = "1h"
    invoke: bool = False
    inspect_package: bool = False
    budget: float = DEFAULT_BUDGET
    checks: tuple[str, ...] | None = None  # None: every check that is not opt-in (plus the opted-in ones)
    max_workers: int = DEFAULT_WORKERS
    endpoint_url: str | None = None
    hooks: tuple[Hook, ...] = field(default=())


def select_checks(ids: tuple[str, ...] | None, *, invoke: bool, inspect_package: bool) -> list[Check]:
    """The checks to run, in registry order. UsageError for an unknown id or an opt-in not asked for."""
    opted = {"invoke": invoke, "inspect_package": inspect_package}
    if ids is None:
        return [check for check in REGISTRY.values() if check.opt_in is None or opted[check.opt_in]]
    unknown = [name for name in ids if name not in REGISTRY]
    if unknown:
        raise UsageError(f"unknown check {', '.join(unknown)}; known checks: {', '.join(REGISTRY)}")
    chosen = [check for name, check in REGISTRY.items() if name in ids]
    for check in chosen:
        if check.opt_in and not opted[check.opt_in]:
            flag = "--invoke" if check.opt_in == "invoke" else "--inspect-package"
            raise UsageError(f"check '{check.id}' runs only with {flag}")
    return chosen


def run_check(
    request: CheckRequest,
    *,
    aws: AwsClients | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> CheckReport:
    """Check what `request.api_id` names (an API id, URL, load balancer...): one report.

    UsageError when it names several things to check (a custom domain with several mappings,
    a distribution with several origins): `run_targets` checks them all.
    """
    started = time.monotonic()
    target = parse_target(request.api_id)
    aws = aws or clients_for(request, region_of(target, request))
    aws.deadline = started + request.budget
    calls_before = aws.calls
    jobs = resolve_jobs(aws, target, request)
    if len(jobs) > 1:
        listed = "; ".join(job.label for job in jobs[:5])
        raise UsageError(f"{target.label} leads to {len(jobs)} things to check ({listed}): name one of them, or "
                         "run `badgateway check` in a terminal, which checks them all")
    return run_job(jobs[0], request, aws, started=started, calls_before=calls_before, progress=progress, now=now)


def region_of(target: Target, request: CheckRequest) -> str | None:
    if target.region and request.region and target.region != request.region:
        raise UsageError(f"{target.label} is in {target.region}, but --region says {request.region}")
    return target.region or request.region


def clients_for(request: CheckRequest, region: str | None) -> AwsClients:
    return AwsClients(AwsSettings(
        region=region, profile=request.profile, role_arn=request.role_arn,
        external_id=request.external_id, endpoint_url=request.endpoint_url, hooks=request.hooks,
    ))


def resolve_jobs(aws: AwsClients, target: Target, request: CheckRequest) -> list[Job]:
    try:
        return resolve(aws, target, stage=request.stage)
    except BudgetExhausted:
        raise BadGatewayError(f"could not find {target.label} in {aws.region} within the {request.budget:g} s "
                              "budget") from None
    except AwsCallError as exc:  # e.g. sts unreachable
        raise BadGatewayError(f"cannot read {target.label} in {aws.region}: {exc.describe()}") from None


def run_job(
    job: Job,
    request: CheckRequest,
    aws: AwsClients,
    *,
    started: float | None = None,
    calls_before: int = 0,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> CheckReport:
    """Load the job's inventory and run the selected checks that apply to it."""
    started = time.monotonic() if started is None else started
    deadline = started + request.budget
    say = progress or (lambda message: None)
    selected = select_checks(request.checks, invoke=request.invoke, inspect_package=request.inspect_package)
    earlier_calls = 0
    if job.region and job.region != aws.region:  # e.g. a CloudFront origin in another region
        earlier_calls, aws = aws.calls - calls_before, clients_for(request, job.region)
        calls_before = 0
    aws.deadline = deadline
    try:
        inventory = job.load(aws)
    except BudgetExhausted:
        raise BadGatewayError(f"could not read {job.label} in {aws.region} within the {request.budget:g} s budget") from None
    except AwsCallError as exc:
        raise BadGatewayError(f"cannot read {job.label} in {aws.region}: {exc.describe()}") from None
    checks = [check for check in selected if check.applies(inventory)]
    say(f"{inventory.protocol} {inventory.api.name or inventory.api.id}: {len(inventory.routes)} route(s), "
        f"{len(inventory.target_groups)} target group(s), {len(inventory.functions())} function(s), "
        f"stage(s) {', '.join(inventory.stage_names) or 'none'}")
    options = CheckOptions(
        since=request.since, since_label=request.since_label,
        invoke=request.invoke, inspect_package=request.inspect_package,
    )
    context = CheckContext(aws, inventory, options, deadline=deadline, now=now)
    findings, timings, partial = _run_checks(context, checks, request.max_workers, deadline, say)
    findings[:0] = _inventory_findings(inventory)
    return CheckReport(
        api=inventory.api,
        stages=inventory.stage_names,
        region=inventory.region,
        findings=tuple(findings),
        duration=time.monotonic() - started,
        partial=partial,
        aws_calls=earlier_calls + aws.calls - calls_before,
        timings=timings,
        since=request.since_label,
        target=job.label,
    )


def _inventory_findings(inventory: Inventory) -> list[Finding]:
    findings = [Finding("inventory", "skip", None, inventory.api.id, note) for note in inventory.notes]
    if inventory.protocol in ("REST", "HTTP") and not inventory.stages:
        findings.insert(0, Finding("inventory", "warn", None, f"API {inventory.api.id}",
                                   "the API has no deployed stage: nothing answers requests yet"))
    return findings


def _run_checks(
    context: CheckContext, checks: list[Check], max_workers: int, deadline: float, say: Progress
) -> tuple[list[Finding], dict[str, float], bool]:
    needs = frozenset().union(*(check.needs for check in checks)) if checks else frozenset()
    # AWS reads on a bounded pool, the checks on their own threads: a check mostly waits for
    # reads, and one that needs none (or whose reads are done) must not queue behind the others.
    reads = ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="badgateway-read")
    runs = ThreadPoolExecutor(max_workers=max(1, len(checks)), thread_name_prefix="badgateway-check")
    try:
        for task in prefetch_tasks(context, needs):
            reads.submit(context.prefetch, task)
        futures: dict[Future[tuple[list[Finding], float]], Check] = {
            runs.submit(_timed, check, context, say): check for check in checks
        }
        wait(futures, timeout=max(0.0, deadline - time.monotonic()))
    finally:
        # Do not wait for stragglers: past the deadline no new AWS call starts anyway.
        reads.shutdown(wait=False, cancel_futures=True)
        runs.shutdown(wait=False, cancel_futures=True)
    findings: list[Finding] = []
    timings: dict[str, float] = {}
    partial = False
    for future, check in futures.items():
        if future.done() and not future.cancelled():
            produced, seconds = future.result()
            findings += produced
            timings[check.id] = seconds
            partial = partial or any(f.status == "skip" and f.message == BUDGET_SKIP for f in produced)
        else:
            partial = True
            findings.append(Finding(check.id, "skip", None, f"API {context.inventory.api.id}",
                                    "not finished within the time budget (raise it with --budget)"))
    return findings, timings, partial


def prefetch_tasks(context: CheckContext, needs: frozenset[str]) -> list[Callable[[], object]]:
    """Every AWS read the selected checks will make, as independent tasks."""
    inventory = context.inventory
    tasks: list[Callable[[], object]] = []
    if needs & {"function_log", "execution_log"}:
        tasks.append(context.log_reads)  # first: a Logs Insights query takes seconds to run
    if "metrics" in needs and (inventory.stages or inventory.targets()):
        tasks.append(context.metrics)
    if "account" in needs and inventory.protocol == "REST":
        tasks.append(context.account_settings)
    for target in inventory.targets():
        if "configuration" in needs:
            tasks.append(lambda t=target: context.configuration(t))
        if "policy" in needs:
            tasks.append(lambda t=target: context.policy(t))
        if "code" in needs:
            tasks.append(lambda t=target: context.function_code(t))
    for function in inventory.functions():
        if "concurrency" in needs:
            tasks.append(lambda f=function: context.reserved_concurrency(f))
    if "roles" in needs:
        for role in credentials_roles(inventory):
            tasks.append(lambda r=role: context.role(r))
    if "tg_attributes" in needs:
        for group in inventory.target_groups:
            tasks.append(lambda g=group.arn: context.target_group_attributes(g))
    if "lb_attributes" in needs:
        for balancer in inventory.load_balancers:
            tasks.append(lambda b=balancer.arn: context.load_balancer_attributes(b))
    return tasks


def credentials_roles(inventory: Inventory) -> tuple[str, ...]:
    """The roles API Gateway assumes for this API: authorizers' and integrations' credentials."""
    roles = [a.credentials for a in inventory.authorizers if a.credentials]
    roles += [r.integration.credentials for r in inventory.routes if r.integration and r.integration.credentials]
    return tuple(dict.fromkeys(role for role in roles if role and ":role/" in role))


def _timed(check: Check, context: CheckContext, say: Progress) -> tuple[list[Finding], float]:
    started = time.monotonic()
    try:
        findings = check.run(context)
    except BudgetExhausted:
        findings = [Finding(check.id, "skip", None, f"API {context.inventory.api.id}", BUDGET_SKIP)]
    except BadGatewayError as exc:
        findings = [Finding(check.id, "error", None, f"API {context.inventory.api.id}", f"could not check: {exc}")]
    except Exception as exc:
        findings = [Finding(check.id, "error", None, f"API {context.inventory.api.id}",
                            f"the check itself failed ({type(exc).__name__}: {exc}); please report it")]
    seconds = time.monotonic() - started
    worst = next((s for s in ("fail", "error", "warn") if any(f.status == s for f in findings)), "pass")
    say(f"  {check.id}: {worst} ({seconds:.1f} s)")
    return findings, seconds
