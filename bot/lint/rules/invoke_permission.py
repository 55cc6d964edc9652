"""Every Lambda integration (REST, HTTP API, WebSocket) has a permission for
apigateway.amazonaws.com whose SourceArn really covers its API (by resolved id, not by a
string), stage, method and path, on the same alias or version the integration calls.
-> missing-invoke-permission (500 with 'Invalid permissions on Lambda function')."""

from __future__ import annotations

from bot.lint import fixes
from bot.lint.finding import LintFinding
from bot.lint.intrinsics import PSEUDO, unknown_token
from bot.lint.model.model import Api, Model, Route, Target
from bot.lint.rules.access import API_GATEWAY, refusal
from bot.lint.rules.base import Rule
from bot.live.inventory import HTTP_METHODS
from bot.live.policy import concrete_paths, permission_source_arn, source_arn

MAX_LISTED = 4
ANY_STAGE = unknown_token("stage")


def execute_api_prefix(api: Api) -> str:
    return f"arn:{PSEUDO['AWS::Partition']}:execute-api:{PSEUDO['AWS::Region']}:{PSEUDO['AWS::AccountId']}:{api.id_text}"


def wanted_arns(route: Route) -> list[str]:
    """The SourceArns API Gateway sends for requests to this route, on every stage."""
    api = route.api
    stages = [stage.name for stage in api.stages] or [ANY_STAGE]
    prefix = execute_api_prefix(api)
    wanted = []
    for stage in stages:
        if api.protocol == "WEBSOCKET":
            wanted.append(f"{prefix}/{stage}/{route.path}")
            continue
        methods = ("$default",) if route.path == "$default" else HTTP_METHODS if route.method in ("ANY", "*") else (route.method,)
        for method in methods:
            for path in concrete_paths(route.path):
                wanted.append(source_arn(PSEUDO["AWS::Region"], PSEUDO["AWS::AccountId"], api.id_text, stage, method,
                                         path, partition=PSEUDO["AWS::Partition"]))
    return wanted


def grant_part(route: Route) -> str:
    """The SourceArn resource part to grant, after the API id: every stage, `*` for parameters."""
    if route.api.protocol == "WEBSOCKET":
        return f"*/{route.path}"
    return permission_source_arn("r", "a", "api", route.method, route.path).split(":", 5)[5].split("/", 1)[1]


class InvokePermission(Rule):
    id = "invoke-permission"
    title = "API Gateway may invoke each integration's function"
    entry = "missing-invoke-permission"
    severity = "error"
    cfn_lint_id = "E9101"
    description = ("Every Lambda integration of a REST, HTTP or WebSocket API needs an AWS::Lambda::Permission for "
                   "apigateway.amazonaws.com whose SourceArn covers the API (referenced, not typed as text), its "
                   "stages, methods and paths, on the alias or version the integration calls. Without it API "
                   "Gateway is refused before the code runs and answers 500.")

    def check(self, model: Model) -> list[LintFinding]:
        groups: dict[tuple[int, str | None, str], list[Route]] = {}
        for route in model.lambda_routes():
            target = route.integration.target  # type: ignore[union-attr]
            if target is None or target.function is None:
                continue  # a function of another stack: its permission lives there
            groups.setdefault((id(target.function), target.qualifier, route.api.key), []).append(route)
        findings = []
        for routes in groups.values():
            target: Target = routes[0].integration.target  # type: ignore[union-attr, assignment]
            refused_routes, reason = [], ""
            for route in routes:
                miss = refusal(model, target, wanted_arns(route), API_GATEWAY)
                if miss:
                    refused_routes.append(route)
                    reason = reason or miss.why
            if refused_routes:
                findings.append(self._finding(model, target, refused_routes, reason))
        return findings

    def _finding(self, model: Model, target: Target, routes: list[Route], reason: str) -> LintFinding:
        api = routes[0].api
        keys = sorted({route.key for route in routes})
        listed = ", ".join(keys[:MAX_LISTED]) + (f" and {len(keys) - MAX_LISTED} more" if len(keys) > MAX_LISTED else "")
        status = "500" if api.protocol != "WEBSOCKET" else "a failed connection (500)"
        message = (f"API Gateway may not invoke {target.label} for {listed} of {api.label}: {reason}. "
                   f"Clients get {status} ('Invalid permissions on Lambda function' in the execution log).")
        parts = sorted({grant_part(route) for route in routes})
        part = parts[0] if len(parts) == 1 else "*/*"
        fix, patch = fixes.api_permission(model, target, api.key, part, API_GATEWAY, f"{api.key} invoke")
        existing = [p for p in model.permissions_for(target)
                    if (p.principal or "").lower() == API_GATEWAY and (p.source_arn or p.references)]
        if len(existing) == 1:
            fix, patch = fixes.source_arn_patch(model, existing[0].place.logical_id, api.key, part)
        function = target.function
        if function is not None and not target.qualifier and len(routes) == 1:
            route = routes[0]
            event = fixes.sam_event(model, function, api.key, route.method, route.path, api.protocol == "HTTP")
            if event:
                fix = (f"Give {function.label} an {'HttpApi' if api.protocol == 'HTTP' else 'Api'} event for "
                       f"{route.key} on {api.key}: SAM then writes the permission (a DefinitionBody integration alone does not)")
                patch = event
        place = function.place if function is not None else routes[0].place
        return self.finding(place, message, fix=fix, patch=patch)
