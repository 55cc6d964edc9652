"""Integration setup: a Lambda proxy integration must call Lambda with POST; non-proxy Lambda
integrations explained; routes whose function cannot be resolved on a stage."""

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
                    "fail", resource,
                    f"{route.key} is a Lambda proxy integration that calls Lambda with {integration.http_method}; "
                    "Lambda's Invoke API takes only POST, so every request fails (500)",
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
        return findings
