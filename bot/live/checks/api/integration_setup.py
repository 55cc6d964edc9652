"""Integration setup: a Lambda proxy integration must call Lambda with POST (-> proxy-integration-method);
non-proxy Lambda integrations explained; routes whose function cannot be resolved on a stage; a
requested URL path no route matches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.live.checks.base import Check
from bot.live.finding import Finding

if TYPE_CHECKING:
    from bot.live.context import CheckContext


class IntegrationSetup(Check):
    id = "integration_setup"
    title = "Integrations are set up to call Lambda"
    entry = None
    iam_actions = ("apigateway:GET",)
    needs = frozenset()

    def run(self, context: CheckContext) -> list[Finding]:
        inventory = context.inventory
        findings: list[Finding] = []
        proxy_ok = 0
        for route in inventory.routes:
            integration = route.integration
            resource = f"route {route.key}"
            if integration is None:
                findings.append(self.finding(
                    "warn", resource, f"{route.key} has no integration: requests to it cannot reach a backend",
                ))
                continue
            if not integration.is_lambda:
                continue  # HTTP, VPC link and mock integrations are not what this checks
            if integration.is_proxy and inventory.protocol == "REST" and (integration.http_method or "POST") != "POST":
                findings.append(self.finding(
                    "fail", inventory.integration_arn(route),
                    f"{route.key} is a Lambda proxy integration that calls Lambda with {integration.http_method}; "
                    "Lambda's Invoke API takes only POST, so every request fails (500)",
                    entry="proxy-integration-method",
                    fix=(f"aws apigateway update-integration --rest-api-id {inventory.api.id} --resource-id "
                         f"{route.resource_id} --http-method {route.method} --patch-operations "
                         "op=replace,path=/httpMethod,value=POST && aws apigateway create-deployment "
                         f"--rest-api-id {inventory.api.id} --stage-name STAGE   (CloudFormation: "
                         "Integration.IntegrationHttpMethod: POST, whatever the method's own verb)"),
                    evidence=(f"integration httpMethod {integration.http_method}",),
                ))
            elif integration.kind == "AWS":
                findings.append(self.finding(
                    "pass", resource,
                    f"{route.key} is a non-proxy Lambda integration: the function's result goes through integration "
                    "responses and mapping templates, so 'Malformed Lambda proxy response' cannot happen here; a "
                    "function error comes back as 200 with the error JSON unless an integration response's "
                    "selection pattern matches errorMessage, and a failing mapping template gives 500",
                ))
            else:
                proxy_ok += 1
        for binding in inventory.bindings:
            if binding.problem:
                findings.append(self.finding(
                    "fail", f"route {binding.route.key} on {binding.stage.name}", binding.problem,
                    fix=(f"Define the stage variable: aws apigateway update-stage --rest-api-id {inventory.api.id} "
                         f"--stage-name {binding.stage.name} --patch-operations op=replace,path=/variables/NAME,value=VALUE"
                         if inventory.protocol == "REST" else
                         f"aws apigatewayv2 update-stage --api-id {inventory.api.id} --stage-name {binding.stage.name} "
                         "--stage-variables NAME=VALUE"),
                ))
        if proxy_ok:
            formats = sorted({r.integration.payload_format or "1.0" for r in inventory.lambda_routes()
                              if r.integration and r.integration.is_proxy})
            detail = f" (payload format {', '.join(formats)})" if inventory.protocol == "HTTP" else " and call Lambda with POST"
            findings.append(self.finding(
                "pass", f"API {inventory.api.id}",
                f"{proxy_ok} route(s) use a Lambda proxy integration{detail}",
            ))
        if not inventory.lambda_routes():
            findings.append(self.finding("skip", f"API {inventory.api.id}", "no route integrates a Lambda function"))
        if inventory.requested_path is not None:
            findings.append(self._path(context))
        return findings

    def _path(self, context: CheckContext) -> Finding:
        from bot.live.inventory import routes_for_path

        inventory = context.inventory
        path = inventory.requested_path or "/"
        if routes_for_path(inventory.routes, path):
            keys = ", ".join(sorted({route.key for route in inventory.routes}))
            return self.finding("pass", f"API {inventory.api.id}", f"the URL's path {path} is served by {keys}")
        answer = ("403 {\"message\":\"Missing Authentication Token\"}" if inventory.protocol == "REST"
                  else "404 {\"message\":\"Not Found\"}")
        return self.finding(
            "warn", f"API {inventory.api.id}",
            f"no route of API {inventory.api.id} matches the URL's path {path}: API Gateway answers {answer} for "
            "it, not a 5XX (the checks below cover every route)",
        )
