"""Every Lambda authorizer has its own permission for apigateway.amazonaws.com, with a SourceArn
that covers `API_ID/authorizers/AUTHORIZER_ID`. Without it every request to the methods it
guards gets 500 (AuthorizerConfigurationException) -> lambda-authorizer-error."""

from __future__ import annotations

from bot.lint import fixes
from bot.lint.finding import LintFinding
from bot.lint.model.model import Model
from bot.lint.rules.access import API_GATEWAY, refusal
from bot.lint.rules.base import Rule
from bot.lint.rules.invoke_permission import execute_api_prefix


class AuthorizerPermission(Rule):
    id = "authorizer-permission"
    title = "API Gateway may invoke each Lambda authorizer"
    entry = "lambda-authorizer-error"
    severity = "error"
    cfn_lint_id = "E9102"
    description = ("A Lambda authorizer is invoked by API Gateway like an integration and needs its own "
                   "AWS::Lambda::Permission for apigateway.amazonaws.com, with a SourceArn covering "
                   "API_ID/authorizers/AUTHORIZER_ID. Without it every request to the methods it guards gets 500 "
                   "and 'Execution failed due to configuration error: Authorizer error' in the execution log.")

    def check(self, model: Model) -> list[LintFinding]:
        findings = []
        for authorizer in model.authorizers:
            target = authorizer.target
            if target is None or target.function is None:
                continue
            wanted = f"{execute_api_prefix(authorizer.api)}/authorizers/{authorizer.id_text}"
            miss = refusal(model, target, [wanted], API_GATEWAY)
            if miss is None:
                continue
            message = (f"API Gateway may not invoke the authorizer {target.label} of {authorizer.api.label} "
                       f"({authorizer.key}): {miss.why}. Every request it guards gets 500 "
                       "(AuthorizerConfigurationException), before any integration runs.")
            fix, patch = fixes.api_permission(model, target, authorizer.api.key, "authorizers/*", API_GATEWAY,
                                              f"{authorizer.key} authorizer")
            if fixes.written_type(model, authorizer.api.key) == "AWS::Serverless::HttpApi":
                fix = ("SAM gives an HTTP API's Lambda authorizer no permission unless asked: set "
                       "EnableFunctionDefaultPermissions on it")
                patch = (f"{authorizer.api.key}:\n  Properties:\n    Auth:\n      Authorizers:\n"
                         f"        {authorizer.key}:\n          EnableFunctionDefaultPermissions: true")
            findings.append(self.finding(target.function.place, message, fix=fix, patch=patch))
        return findings
