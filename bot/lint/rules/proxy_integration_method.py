"""A Lambda proxy integration (AWS_PROXY) calls Lambda's Invoke API, which takes only POST,
whatever the method's own verb -> proxy-integration-method (500 on every request)."""

from __future__ import annotations

from bot.lint import fixes
from bot.lint.finding import LintFinding
from bot.lint.model.model import Model
from bot.lint.rules.base import Rule


class ProxyIntegrationMethod(Rule):
    id = "proxy-integration-method"
    title = "Lambda proxy integrations call Lambda with POST"
    entry = "proxy-integration-method"
    severity = "error"
    cfn_lint_id = "E9105"
    description = ("An AWS_PROXY integration of a REST or WebSocket API invokes Lambda through its Invoke API, "
                   "which takes only POST: IntegrationHttpMethod (httpMethod in OpenAPI) must be POST whatever "
                   "the method's own verb, or every request fails with 500.")

    def check(self, model: Model) -> list[LintFinding]:
        findings = []
        for route in model.lambda_routes():
            integration = route.integration
            assert integration is not None
            if (route.api.protocol == "HTTP" or integration.kind != "AWS_PROXY"
                    or integration.http_method in (None, "POST")):
                continue
            message = (f"{route.key} of {route.api.label} is a Lambda proxy integration that calls Lambda "
                       f"with {integration.http_method}; Lambda's Invoke API takes only POST, so every request fails (500)")
            terraform = fixes.is_terraform(model)
            key = "integration_http_method" if terraform else "Integration.IntegrationHttpMethod"
            if route.api.protocol == "WEBSOCKET":
                key = "integration_method" if terraform else "IntegrationMethod"
            patch = fixes.property_patch(model, integration.place.logical_id, {key: '"POST"' if terraform else "POST"})
            findings.append(self.finding(integration.place, message,
                                         fix=f"Set {key} to POST (the method's own HttpMethod stays as it is)",
                                         patch=patch))
        return findings
