"""Lambda authorizers (REST TOKEN/REQUEST, HTTP API REQUEST): may API Gateway invoke the
authorizer's function -> lambda-authorizer-error; can it assume the authorizer's credentials role
-> integration-role-error; an HTTP API authorizer function allowed to outlive the 10 s API Gateway
waits for it.

Without a credentials role, API Gateway invokes the function as apigateway.amazonaws.com with
SourceArn `arn:aws:execute-api:REGION:ACCOUNT:API_ID/authorizers/AUTHORIZER_ID`; when that is
refused the client gets 500 (`AuthorizerConfigurationException`), which is not a deny (401/403).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.live.checks.base import Check
from bot.live.checks.shared import add_permission_command, statement_id, trust_fix, untrusting
from bot.live.finding import Finding
from bot.live.policy import API_GATEWAY_PRINCIPAL, decide, parse_statements

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import Authorizer, Inventory

HTTP_AUTHORIZER_WAIT_S = 10  # HTTP API quotas: timeout for a Lambda authorizer's response


class Authorizers(Check):
    id = "authorizers"
    title = "Lambda authorizers can be invoked, their roles assumed"
    entry = "lambda-authorizer-error"
    iam_actions = ("apigateway:GET", "lambda:GetPolicy", "lambda:GetFunctionConfiguration", "iam:GetRole")
    needs = frozenset({"policy", "configuration", "roles"})

    def applies(self, inventory: Inventory) -> bool:
        return super().applies(inventory) and bool(inventory.authorizers)

    def run(self, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for authorizer in context.inventory.authorizers:
            if not authorizer.is_lambda:
                findings.append(self.finding("pass", authorizer.arn, f"authorizer {authorizer.name} is "
                                             f"{authorizer.kind}: no Lambda function to check"))
                continue
            findings += self.guarded(authorizer.arn, lambda a=authorizer: self._check(context, a))
        return findings

    def _check(self, context: CheckContext, authorizer: Authorizer) -> list[Finding]:
        if authorizer.function is None:
            return [self.finding("fail", authorizer.arn, f"authorizer {authorizer.name}: {authorizer.problem}")]
        findings = (self._role(context, authorizer) if authorizer.credentials else
                    self._permission(context, authorizer))
        findings += self._timeout(context, authorizer)
        return findings

    def _permission(self, context: CheckContext, authorizer: Authorizer) -> list[Finding]:
        inventory = context.inventory
        function = authorizer.function
        assert function is not None
        wanted = (f"arn:aws:execute-api:{inventory.region}:{inventory.account}:{inventory.api.id}"
                  f"/authorizers/{authorizer.id}")
        decision = decide(parse_statements(context.policy(function)), wanted, inventory.account)
        if decision.allowed:
            return [self.finding("pass", authorizer.arn, f"API Gateway may invoke {function.label} for authorizer "
                                 f"{authorizer.name} (statement {decision.allowed_by})")]
        why = (f"statement {decision.denied_by} denies it" if decision.denied_by else
               f"no statement of its resource-based policy allows apigateway.amazonaws.com with SourceArn {wanted}")
        return [self.finding(
            "fail", authorizer.arn,
            f"API Gateway may not invoke {function.label}, the function of authorizer {authorizer.name}: {why}. "
            "Every request to the routes it protects gets 500 (AuthorizerConfigurationException), before any "
            "integration runs",
            fix=add_permission_command(function, API_GATEWAY_PRINCIPAL, wanted,
                                       statement_id("apigateway", inventory.api.id, "authorizer", authorizer.id)),
            evidence=(wanted,),
        )]

    def _role(self, context: CheckContext, authorizer: Authorizer) -> list[Finding]:
        role = str(authorizer.credentials)
        missing = untrusting(context, role, (API_GATEWAY_PRINCIPAL,))
        if missing is None:
            return [self.finding(
                "fail", authorizer.arn,
                f"authorizer {authorizer.name} invokes its function with role {role}, which does not exist: "
                "requests get 500 (AuthorizerConfigurationException)",
                entry="integration-role-error",
                fix="Point the authorizer at an existing role that trusts apigateway.amazonaws.com and allows "
                    "lambda:InvokeFunction on the function, or remove the credentials to use the function's "
                    "resource-based policy instead.",
            )]
        if missing:
            return [self.finding(
                "fail", authorizer.arn,
                f"authorizer {authorizer.name} invokes its function with role {role}, whose trust policy does not "
                "let apigateway.amazonaws.com assume it ('API Gateway does not have permission to assume the "
                "provided role'): requests get 500",
                entry="integration-role-error", fix=trust_fix(role, (API_GATEWAY_PRINCIPAL,)),
            )]
        return [self.finding("pass", authorizer.arn, f"authorizer {authorizer.name} invokes its function with role "
                             f"{role}, which API Gateway may assume (its policy must allow lambda:InvokeFunction)")]

    def _timeout(self, context: CheckContext, authorizer: Authorizer) -> list[Finding]:
        if context.inventory.protocol != "HTTP" or authorizer.function is None:
            return []
        timeout = int(context.configuration(authorizer.function).get("Timeout", 3))
        if timeout <= HTTP_AUTHORIZER_WAIT_S:
            return []
        return [self.finding(
            "warn", authorizer.arn,
            f"{authorizer.function.label} may run {timeout} s, but an HTTP API waits at most "
            f"{HTTP_AUTHORIZER_WAIT_S} s for a Lambda authorizer: a slower answer fails the request",
            fix=(f"Make the authorizer answer fast (cache keys, no cold network calls), and cap it: aws lambda "
                 f"update-function-configuration --region {authorizer.function.region} --function-name "
                 f"{authorizer.function.name} --timeout {HTTP_AUTHORIZER_WAIT_S}"),
        )]
