"""Service and non-proxy integrations: the credentials role API Gateway assumes to call a service
(or a function) exists and trusts apigateway.amazonaws.com -> integration-role-error; a REST
non-proxy integration's responses: none at all, no default response, or a selection pattern that
can never match -> mapping-template-error ("No match for output mapping and no default output
mapping": 500).

For a Lambda (AWS) integration the selection pattern is matched against the function's
errorMessage; for an HTTP integration against the backend's status code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.live.checks.base import Check
from bot.live.checks.shared import trust_fix, untrusting
from bot.live.finding import Finding
from bot.live.policy import API_GATEWAY_PRINCIPAL

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import Integration, Inventory, Route

_STATUS_LIKE = re.compile(r"[0-9\\d\[\]{}()|.?*+-]{1,40}")
_CALLER = ("arn:aws:iam::*:user/*",)  # "use the caller's credentials"
MAX_PATTERN_SHOWN = 80


class ServiceIntegrations(Check):
    id = "service_integrations"
    title = "Service and non-proxy integrations: roles, integration responses"
    entry = "mapping-template-error"
    iam_actions = ("apigateway:GET", "iam:GetRole")
    needs = frozenset({"roles"})

    def applies(self, inventory: Inventory) -> bool:
        return super().applies(inventory) and any(_relevant(route.integration) for route in inventory.routes)

    def run(self, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for route in context.inventory.routes:
            if not _relevant(route.integration):
                continue
            resource = context.inventory.integration_arn(route)
            findings += self.guarded(resource, lambda r=route, a=resource: self._check(context, r, a))
        return findings

    def _check(self, context: CheckContext, route: Route, resource: str) -> list[Finding]:
        integration = route.integration
        assert integration is not None
        findings: list[Finding] = []
        if integration.credentials and integration.credentials not in _CALLER:
            findings += self._role(context, route, integration, resource)
        elif integration.service and context.inventory.protocol == "REST":
            findings.append(self.finding(
                "warn", resource,
                f"{route.key} calls {integration.service} with no credentials role: API Gateway needs a role it "
                "can assume, allowed to perform the action, or the call is refused (500)",
                entry="integration-role-error",
                fix="Give the integration an execution role: aws apigateway update-integration ... --patch-operations "
                    "op=replace,path=/credentials,value=arn:aws:iam::ACCOUNT:role/ROLE (a role trusting "
                    "apigateway.amazonaws.com, allowed the action), then create a deployment.",
            ))
        if integration.kind in ("AWS", "HTTP") and context.inventory.protocol == "REST":
            findings += self._responses(context.inventory.api.id, route, integration, resource)
        if not findings:
            findings.append(self.finding("pass", resource, f"{route.key}: {_describe(integration)} set up as it "
                                         "should be"))
        return findings

    def _role(self, context: CheckContext, route: Route, integration: Integration, resource: str) -> list[Finding]:
        role = str(integration.credentials)
        missing = untrusting(context, role, (API_GATEWAY_PRINCIPAL,))
        what = integration.service or ("the function" if integration.is_lambda else "the backend")
        if missing is None:
            return [self.finding(
                "fail", resource, f"{route.key} calls {what} with role {role}, which does not exist: every request "
                "gets 500", entry="integration-role-error",
                fix=f"Create the role (trusting apigateway.amazonaws.com, allowed to call {what}) or point the "
                    "integration's credentials at one that exists, then create a deployment.",
            )]
        if missing:
            return [self.finding(
                "fail", resource,
                f"{route.key} calls {what} with role {role}, whose trust policy does not let apigateway.amazonaws.com "
                "assume it ('API Gateway does not have permission to assume the provided role'): every request "
                "gets 500", entry="integration-role-error", fix=trust_fix(role, (API_GATEWAY_PRINCIPAL,)),
            )]
        return [self.finding(
            "pass", resource,
            f"{route.key} calls {what} with role {role}, which API Gateway may assume (its permissions policy must "
            f"allow the call; 'is not authorized to perform' in the execution log says it does not)",
        )]

    def _responses(self, api_id: str, route: Route, integration: Integration, resource: str) -> list[Finding]:
        responses = integration.responses
        target = "errorMessage" if integration.is_lambda else "the backend's status code"
        if not responses:
            return [self.finding(
                "fail", resource,
                f"{route.key} is a non-proxy integration with no integration response: every answer fails with "
                "'No match for output mapping and no default output mapping' (500)",
                fix=_default_fix(api_id, route),
            )]
        findings: list[Finding] = []
        if not any(not r.selection_pattern for r in responses):
            findings.append(self.finding(
                "warn", resource,
                f"{route.key} has no default integration response (one without a selection pattern): an answer "
                f"whose {target} matches none of the patterns fails with 'No match for output mapping and no "
                "default output mapping' (500)",
                fix=_default_fix(api_id, route),
            ))
        for response in responses:
            problem = _never_matches(response.selection_pattern, integration.is_lambda)
            if problem:
                from bot.core.redact import redact

                shown = redact(response.selection_pattern or "")[:MAX_PATTERN_SHOWN]
                findings.append(self.finding(
                    "warn", resource,
                    f"{route.key}: the integration response for {response.status} can never be chosen: {problem}",
                    evidence=(f"selectionPattern {shown}",),
                    fix=("For a Lambda integration, match the errorMessage, e.g. selectionPattern '.*NotFound.*' "
                         "(and throw errors whose message says so); for HTTP integrations, match the status, e.g. '4\\\\d{2}'."),
                ))
        return findings


def _relevant(integration: Integration | None) -> bool:
    if integration is None:
        return False
    return bool(integration.credentials) or integration.service is not None or integration.kind in ("AWS", "HTTP")


def _never_matches(pattern: str | None, lambda_integration: bool) -> str | None:
    if not pattern:
        return None
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"'{pattern[:MAX_PATTERN_SHOWN]}' is not a valid regular expression ({exc.msg})"
    if lambda_integration and _STATUS_LIKE.fullmatch(pattern) and re.search(r"\d|\\d", pattern):
        return (f"'{pattern}' looks like a status code, but for a Lambda integration the pattern is matched "
                "against the function's errorMessage, which is rarely just a number")
    if not lambda_integration and not re.search(r"\d|\\d|\.", pattern):
        return f"'{pattern}' has no digits: for an HTTP integration it is matched against the status code"
    return None


def _describe(integration: Integration) -> str:
    if integration.service:
        return f"{integration.service} service integration"
    return f"{integration.kind} integration"


def _default_fix(api_id: str, route: Route) -> str:
    return (f"aws apigateway put-integration-response --rest-api-id {api_id} --resource-id {route.resource_id} "
            f"--http-method {route.method} --status-code 200 --selection-pattern ''   (the default response; "
            "add a method response for the status too), then create a deployment")
