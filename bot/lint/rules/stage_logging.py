"""Logs that say why a request failed: REST and WebSocket stages with execution logging, HTTP API
stages with an access log carrying $context.integrationErrorMessage. Off -> warning."""

from __future__ import annotations

from bot.lint import fixes
from bot.lint.finding import LintFinding
from bot.lint.model.model import Api, Model, Stage
from bot.lint.rules.base import Rule


class StageLogging(Rule):
    id = "stage-logging"
    title = "Stages write the log that says why a request failed"
    entry = None
    severity = "warning"
    cfn_lint_id = "W9111"
    description = ("Without execution logging (REST and WebSocket APIs) or an access log with "
                   "$context.integrationErrorMessage (HTTP APIs, which have no execution log), nobody can read why a "
                   "request got 5XX.")

    def check(self, model: Model) -> list[LintFinding]:
        findings = []
        with_lambda = {id(route.api) for route in model.lambda_routes()}
        for api in model.apis:
            if id(api) not in with_lambda:
                continue
            for stage in api.stages:
                finding = self._stage(model, api, stage)
                if finding:
                    findings.append(finding)
        return findings

    def _stage(self, model: Model, api: Api, stage: Stage) -> LintFinding | None:
        terraform = fixes.is_terraform(model)
        if api.protocol in ("REST", "WEBSOCKET"):
            if (stage.logging_level or "OFF").upper() != "OFF":
                return None
            message = (f"execution logging is off on stage {stage.name} of {api.label}: the log line that "
                       "says why a request got 5XX is not written")
            if terraform:
                fix = ("Add an aws_api_gateway_method_settings with method_path \"*/*\" and settings { logging_level = "
                       "\"ERROR\" } (the account needs a CloudWatch Logs role: aws_api_gateway_account)")
                return self.finding(stage.place, message, fix=fix)
            return self.finding(stage.place, message, patch=_execution_logging_patch(model, api, stage),
                                fix="Set LoggingLevel ERROR (INFO adds more) for every method; the account needs a "
                                    "CloudWatch Logs role for API Gateway (AWS::ApiGateway::Account)")
        if stage.access_log and "integrationErrorMessage" in (stage.access_log_format or ""):
            return None
        if stage.access_log:
            message = (f"the access log of stage {stage.name} of {api.label} leaves out "
                       "$context.integrationErrorMessage, the field that says why the integration failed")
        else:
            message = (f"access logging is off on stage {stage.name} of {api.label}: HTTP APIs have no "
                       "execution log, so only an access log with $context.integrationErrorMessage says why a request "
                       "got 500/503")
        return self.finding(stage.place, message,
                            fix="Send the stage's access log to a log group, with \"integrationErrorMessage\":"
                                "\"$context.integrationErrorMessage\" in its format"
                                + (" (access_log_settings)" if terraform else " (AccessLogSettings)"))


def _execution_logging_patch(model: Model, api: Api, stage: Stage) -> str:
    """Where the setting goes depends on what the user wrote: a Stage, a Deployment's stage, a
    SAM API, or (for SAM's implicit API) the Globals."""
    written = stage.place.logical_id
    kind = fixes.written_type(model, written)
    every_method = "[{ResourcePath: '/*', HttpMethod: '*', LoggingLevel: ERROR}]"
    if api.protocol == "WEBSOCKET":
        return fixes.property_patch(model, written, {"DefaultRouteSettings": "{LoggingLevel: ERROR}"})
    if kind == "AWS::ApiGateway::Deployment":
        return fixes.property_patch(model, written, {"StageDescription": "{LoggingLevel: ERROR}"})
    if kind == "AWS::Serverless::Function":  # the implicit ServerlessRestApi
        return f"Globals:\n  Api:\n    MethodSettings: {every_method}"
    return fixes.property_patch(model, written, {"MethodSettings": every_method})
