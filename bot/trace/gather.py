"""From a request id to its log lines: the API and its stages (bot.live's inventory), one query for
the id in the stages' execution and access logs, then one for the integration's request id (the
Lambda request id) in the function's log. The result is a RequestLogs; nothing is judged here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from bot.core.redact import redact
from bot.errors import BadGatewayError
from bot.live.aws import AwsCallError, AwsClients
from bot.live.context import function_log_group, log_group_of, without_secrets
from bot.live.inventory import (
    Inventory,
    LambdaTarget,
    Route,
    Stage,
    parse_function_arn,
    routes_for_path,
)
from bot.trace.invocation import read_invocation
from bot.trace.lines import (
    ExecutionFacts,
    access_record,
    execution_facts,
    execution_line,
    record_text,
)
from bot.trace.logs import GroupRead, insights_literal, read_lines
from bot.trace.model import LogSource, RequestLogs, Setup

Kind = Literal["execution", "access"]


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    label: str  # "the last 1h", for messages


def execution_group(inventory: Inventory, stage: Stage) -> str | None:
    """REST: the stage's execution log group, when execution logging is on for some method."""
    if inventory.protocol != "REST":
        return None
    levels = {stage.logging_level or "OFF", *stage.method_logging.values()}
    return f"API-Gateway-Execution-Logs_{inventory.api.id}/{stage.name}" if levels - {"OFF"} else None


def access_group(stage: Stage) -> str | None:
    return log_group_of(stage.access_log_destination)


def gather(aws: AwsClients, inventory: Inventory, request_id: str, window: Window) -> RequestLogs:
    """BadGatewayError when no log holds the request, or no log could be read."""
    stages = inventory.stages
    if not stages:
        raise BadGatewayError(f"API {inventory.api.id} has no deployed stage: no request reached it")
    groups: dict[str, tuple[Kind, Stage]] = {}  # group -> (execution | access, stage)
    for stage in stages:
        if group := execution_group(inventory, stage):
            groups[group] = ("execution", stage)
        if group := access_group(stage):
            groups[group] = ("access", stage)
    reads = read_lines(aws, tuple(groups), insights_literal(request_id), (request_id,), window.start, window.end)
    found = [(group, kind, stage) for group, (kind, stage) in groups.items() if _holds(reads[group], kind, request_id)]
    if not found:
        raise BadGatewayError(_not_found(inventory, request_id, window, groups, reads))
    stage = found[0][2]
    execution = _source(inventory, stage, "execution", execution_group(inventory, stage), reads, request_id)
    access = _source(inventory, stage, "access", access_group(stage), reads, request_id)
    facts = execution_facts(execution.lines)
    record = next((r for r in map(access_record, access.lines) if r and r.get("requestid") == request_id), {})
    setup = _setup(inventory, stage, facts, record)
    lambda_id = record_text(record, "integrationrequestid", "awsendpointrequestid") or facts.lambda_request_id
    function = _function_source(aws, inventory, setup, lambda_id, window)
    if setup.target is not None:
        setup = _with_configuration(aws, setup)
    return RequestLogs(request_id=request_id, api=inventory.api, region=inventory.region, stage=stage.name,
                       execution=execution, access=access, function=function, integration_request_id=lambda_id,
                       setup=setup, data_trace=stage.data_trace)


def _holds(read: GroupRead, kind: str, request_id: str) -> bool:
    return any(_of_request(line, kind, request_id) for line in read.messages)


def _of_request(line: str, kind: str, request_id: str) -> bool:
    if kind == "execution":
        parsed = execution_line(line)
        return parsed is not None and parsed[0] == request_id
    record = access_record(line)
    return record.get("requestid") == request_id if record else request_id in line


def _source(inventory: Inventory, stage: Stage, kind: Kind, group: str | None, reads: dict[str, GroupRead],
            request_id: str) -> LogSource:
    if group is None:
        none = kind == "execution" and inventory.protocol != "REST"
        return LogSource(kind, None, "none" if none else "off")
    read = reads[group]
    if read.read is None:
        return LogSource(kind, group, "denied", problem=redact(read.problem or ""))
    if not read.exists:
        return LogSource(kind, group, "missing")
    lines = tuple(redact(line) for line in read.messages if _of_request(line, kind, request_id))
    return LogSource(kind, group, "read", lines, partial=read.read.more)


def _not_found(inventory: Inventory, request_id: str, window: Window, groups: dict[str, tuple[Kind, Stage]],
               reads: dict[str, GroupRead]) -> str:
    where = f"API {inventory.api.id} ({', '.join(inventory.stage_names)})"
    if not groups:
        stage = inventory.stage_names[0]
        how = (f"aws apigateway update-stage --rest-api-id {inventory.api.id} --stage-name {stage} --patch-operations "
               "op=replace,path=/*/*/logging/loglevel,value=INFO" if inventory.protocol == "REST" else
               f"aws apigatewayv2 update-stage --api-id {inventory.api.id} --stage-name {stage} --access-log-settings "
               "DestinationArn=LOG-GROUP-ARN,Format=FORMAT")
        return f"{where} writes neither execution nor access logs, so no request can be traced: turn logging on ({how})"
    denied = [read.problem for read in reads.values() if read.read is None]
    if denied and len(denied) == len(reads):
        return f"cannot read the logs of {where}: {redact(str(denied[0]))}"
    unread = f"; could not read {len(denied)} of them: {redact(str(denied[0]))}" if denied else ""
    return (f"request {request_id} not found in the logs of {where} in {window.label} "
            f"({', '.join(groups)}{unread}): check the id, --region, --stage, or give a longer --since")


# ------------------------------------------------------------------------------ the route
def _setup(inventory: Inventory, stage: Stage, facts: ExecutionFacts, record: dict[str, str]) -> Setup:
    method = facts.method or record_text(record, "httpmethod")
    path = facts.path or record_text(record, "path", "resourcepath")
    key = record_text(record, "routekey")
    route = _route(inventory, method, path, key)
    if route is None:
        target = _called(facts.function_reference)
        return Setup(target=target)
    binding = next((b for b in inventory.bindings if b.stage.name == stage.name and b.route == route), None)
    target = binding.target if binding is not None else None
    integration = route.integration
    return Setup(
        route=route.key, integration=integration, target=target or _called(facts.function_reference),
        authorizer=inventory.authorizer(route.authorizer_id),
        uses_authorizer=route.authorization in ("CUSTOM", "COGNITO_USER_POOLS", "JWT") or bool(route.authorizer_id),
        integration_timeout_ms=integration.effective_timeout_ms(inventory.protocol) if integration else None,
    )


def _route(inventory: Inventory, method: str | None, path: str | None, key: str | None) -> Route | None:
    if key:
        by_key = next((r for r in inventory.routes if r.key == key), None)
        if by_key is not None:
            return by_key
    if not path:
        return None
    if path.startswith("/") and inventory.protocol == "HTTP" and not routes_for_path(inventory.routes, path):
        path = "/" + path.lstrip("/").split("/", 1)[-1]  # $context.path keeps the stage
    candidates = [r for r in inventory.routes if r.path == path] or list(routes_for_path(inventory.routes, path))
    for route in candidates:
        if method is None or method in route.methods:
            return route
    return None


def _called(reference: str | None) -> LambdaTarget | None:
    if not reference:
        return None
    target, _ = parse_function_arn(reference)
    return target


def _function_source(aws: AwsClients, inventory: Inventory, setup: Setup, lambda_id: str | None,
                     window: Window) -> LogSource:
    if setup.integration is not None and not setup.integration.is_lambda:
        return LogSource("function", None, "none")
    targets = (setup.target.function,) if setup.target is not None else inventory.functions()
    groups = tuple(dict.fromkeys(function_log_group(t) for t in targets))
    if lambda_id is None or not groups:
        return LogSource("function", groups[0] if len(groups) == 1 else None, "unlinked" if lambda_id is None else "none")
    reads = read_lines(aws, groups, insights_literal(lambda_id), (lambda_id,), window.start, window.end)
    holding = [g for g in groups if any(lambda_id in line for line in reads[g].messages)]
    group = holding[0] if holding else groups[0]
    read = reads[group]
    if read.read is None:
        return LogSource("function", group, "denied", problem=redact(read.problem or ""))
    if not read.exists:
        return LogSource("function", group, "missing")
    id_events = tuple(event for event in read.events if lambda_id in event.message)
    invocation = read_invocation(aws, group, id_events, lambda_id, int(window.end.timestamp() * 1000))
    lines = invocation.lines if invocation else tuple(redact(e.message) for e in id_events)
    return LogSource("function", group, "read", lines, partial=read.read.more, invocation=invocation)


def _with_configuration(aws: AwsClients, setup: Setup) -> Setup:
    """The function's timeout and memory (lambda:GetFunctionConfiguration), when readable."""
    target = setup.target
    assert target is not None
    params: dict[str, Any] = {"FunctionName": target.arn}
    if target.qualifier:
        params["Qualifier"] = target.qualifier
    try:
        answer = without_secrets(aws.call("lambda", "GetFunctionConfiguration", in_region=target.region, **params))
    except AwsCallError:
        return setup
    timeout, memory = answer.get("Timeout"), answer.get("MemorySize")
    return replace(setup, function_timeout_s=float(timeout) if timeout else None,
                   function_memory_mb=int(memory) if memory else None)
