"""Logging: without execution logs (REST) or access logs carrying the integration error (HTTP
APIs), nobody can read why a request failed. Off -> warn, with how to turn it on."""

from __future__ import annotations

import json
import re
import shlex
from typing import TYPE_CHECKING

from bot.live.checks.base import Check
from bot.live.finding import Finding
from bot.live.inventory import Stage

if TYPE_CHECKING:
    from bot.live.context import CheckContext

HTTP_ACCESS_LOG_FORMAT = (
    '{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":"$context.status",'
    '"integrationStatus":"$context.integrationStatus","integrationLatency":"$context.integrationLatency",'
    '"integrationErrorMessage":"$context.integrationErrorMessage","errorMessage":"$context.error.message"}'
)


class LoggingSetup(Check):
    id = "logging"
    title = "Logs that say why a request failed are written"
    entry = None
    iam_actions = ("apigateway:GET",)
    needs = frozenset({"account"})

    def run(self, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for stage in context.inventory.stages:
            resource = f"stage {stage.name}"
            if context.inventory.protocol == "REST":
                findings += self.guarded(resource, lambda s=stage, r=resource: self._rest(context, s, r))
            else:
                findings += self._http(context, stage, resource)
        return findings

    def _rest(self, context: CheckContext, stage: Stage, resource: str) -> list[Finding]:
        inventory = context.inventory
        level = (stage.logging_level or "OFF").upper()
        role = context.account_settings().get("cloudwatchRoleArn")
        role_step = (
            "First give API Gateway a CloudWatch Logs role for this region (a role trusting apigateway.amazonaws.com "
            "with the AmazonAPIGatewayPushToCloudWatchLogs managed policy): aws apigateway update-account "
            f"--region {inventory.region} --patch-operations op=replace,path=/cloudwatchRoleArn,"
            f"value=arn:aws:iam::{inventory.account}:role/APIGatewayCloudWatchLogs\n"
        )
        if level == "OFF":
            return [self.finding(
                "warn", resource,
                f"execution logging is off on stage {stage.name}: the log line that says why a request got 5XX "
                f"(API-Gateway-Execution-Logs_{inventory.api.id}/{stage.name}) is not written",
                fix=("" if role else role_step) +
                    f"aws apigateway update-stage --region {inventory.region} --rest-api-id {inventory.api.id} "
                    f"--stage-name {stage.name} --patch-operations op=replace,path=/*/*/logging/loglevel,value=ERROR"
                    "   (INFO adds the request and response bodies' fate; CloudFormation: MethodSettings "
                    "[{ResourcePath: '/*', HttpMethod: '*', LoggingLevel: ERROR}])",
            )]
        if not role:
            return [self.finding(
                "warn", resource,
                f"execution logging is {level} on stage {stage.name}, but the account has no CloudWatch Logs role "
                "for API Gateway in this region, so nothing is delivered",
                fix=role_step.strip(),
            )]
        return [self.finding("pass", resource, f"execution logging {level} on stage {stage.name}")]

    def _http(self, context: CheckContext, stage: Stage, resource: str) -> list[Finding]:
        inventory = context.inventory
        group = access_log_group_name(inventory.api.id, stage.name)
        settings = json.dumps({
            "DestinationArn": f"arn:aws:logs:{inventory.region}:{inventory.account}:log-group:{group}",
            "Format": HTTP_ACCESS_LOG_FORMAT,
        })
        fix = (
            f"aws logs create-log-group --region {inventory.region} --log-group-name {shlex.quote(group)} && "
            f"aws apigatewayv2 update-stage --region {inventory.region} --api-id {inventory.api.id} "
            f"--stage-name {shlex.quote(stage.name)} --access-log-settings {shlex.quote(settings)}"
        )
        if not stage.access_log_destination:
            return [self.finding(
                "warn", resource,
                f"access logging is off on stage {stage.name}: HTTP APIs have no execution log, so only an access "
                "log with $context.integrationErrorMessage says why a request got 500/503",
                fix=fix,
            )]
        if "integrationErrorMessage" not in (stage.access_log_format or ""):
            return [self.finding(
                "warn", resource,
                f"the access log of stage {stage.name} leaves out $context.integrationErrorMessage, the field "
                "that says why the integration failed",
                fix=f"Add \"integrationErrorMessage\":\"$context.integrationErrorMessage\" to the format: {fix}",
            )]
        return [self.finding("pass", resource, f"access logging on stage {stage.name} records the integration error")]


def access_log_group_name(api_id: str, stage: str) -> str:
    """A log group name for a stage's access log: `$` (as in `$default`) is not allowed in one."""
    safe = re.sub(r"[^A-Za-z0-9_./#-]", "", stage) or "default"
    return f"/aws/apigateway/{api_id}/{safe}"
