"""The function's timeout against the integration's: REST APIs stop waiting after 29 s (or the
template's TimeoutInMillis), HTTP APIs after 30 s at most. A function allowed to run longer
keeps running, and billing, after the client got 504 (REST) or 503 (HTTP API)
-> integration-timeout."""

from __future__ import annotations

from bot.lint import fixes
from bot.lint.finding import LintFinding
from bot.lint.model.model import Model, Route
from bot.lint.rules.base import Rule
from bot.live.inventory import DEFAULT_REST_TIMEOUT_MS, HTTP_API_MAX_TIMEOUT_MS


def effective_timeout_ms(route: Route) -> int:
    integration = route.integration
    configured = integration.timeout_ms if integration else None
    if route.api.protocol == "HTTP":
        return min(configured or HTTP_API_MAX_TIMEOUT_MS, HTTP_API_MAX_TIMEOUT_MS)
    return configured or DEFAULT_REST_TIMEOUT_MS


class IntegrationTimeout(Rule):
    id = "integration-timeout"
    title = "Function timeout fits the integration timeout"
    entry = "integration-timeout"
    severity = "warning"
    cfn_lint_id = "W9104"
    description = ("API Gateway stops waiting for a Lambda integration after 29 s on REST APIs (or the "
                   "integration's TimeoutInMillis) and 30 s at most on HTTP APIs. A function timeout above that "
                   "lets requests run on after the client got 504 (REST) or 503 (HTTP API).")

    def check(self, model: Model) -> list[LintFinding]:
        tightest: dict[tuple[int, str], Route] = {}
        for route in model.lambda_routes():
            function = route.integration.target.function  # type: ignore[union-attr]
            if function is None:
                continue
            key = (id(function), route.api.key)
            if key not in tightest or effective_timeout_ms(route) < effective_timeout_ms(tightest[key]):
                tightest[key] = route
        findings = []
        for route in tightest.values():
            function = route.integration.target.function  # type: ignore[union-attr]
            assert function is not None
            limit = effective_timeout_ms(route)
            if function.timeout * 1000 <= limit:
                continue
            written = "its Timeout" if function.timeout_written else "the default Timeout"
            origin = (("timeout_milliseconds" if fixes.is_terraform(model) else "TimeoutInMillis") if route.integration and route.integration.timeout_ms else
                      "the REST API default" if route.api.protocol == "REST" else "the HTTP API maximum")
            status = "504" if route.api.protocol == "REST" else "503"
            message = (f"{function.label} may run {function.timeout} s ({written}) but API Gateway stops waiting after "
                       f"{limit / 1000:g} s on {route.key} of {route.api.label} ({origin}): a request running "
                       f"longer gets {status} while the function keeps running")
            seconds = max(1, limit // 1000 - 1)
            fix = (f"Set the function's Timeout to at most {seconds} s, or answer 202 at once and finish the work "
                   "asynchronously (SQS, Step Functions)")
            if route.api.protocol == "REST":
                fix += ("; Regional and private REST APIs may raise TimeoutInMillis past 29 s with a quota increase")
            patch = fixes.property_patch(model, function.place.logical_id,
                                         {"timeout" if fixes.is_terraform(model) else "Timeout": str(seconds)})
            findings.append(self.finding(function.place, message, fix=fix, patch=patch))
        return findings
