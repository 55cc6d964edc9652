"""Function URLs: the auth type against the function's resource-based policy (AuthType NONE needs a
public lambda:InvokeFunctionUrl statement, and, for URLs created from October 2025, a public
lambda:InvokeFunction one too; otherwise everyone gets 403), the invoke mode, and what the URL
expects back (the HTTP API payload format 2.0; requests over 6 MB get 413) -> function-url-error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.live.checks.base import Check
from bot.live.finding import Finding
from bot.live.policy import ANYONE, decide, parse_statements

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import FunctionUrl

BOTH_PERMISSIONS_FROM = "2025-10"  # URLs created from then on need lambda:InvokeFunction as well


class FunctionUrlCheck(Check):
    id = "function_url"
    title = "Function URL: auth type, permissions, response format"
    entry = "function-url-error"
    iam_actions = ("lambda:GetFunctionUrlConfig", "lambda:GetPolicy")
    needs = frozenset({"policy"})
    protocols = ("FunctionURL",)

    def run(self, context: CheckContext) -> list[Finding]:
        inventory = context.inventory
        if not inventory.function_urls:
            return [self.finding("skip", inventory.api.id, "the function has no function URL")]
        findings: list[Finding] = []
        for url in inventory.function_urls:
            findings += self.guarded(url.target.qualified_arn, lambda u=url: self._check(context, u))
        return findings

    def _check(self, context: CheckContext, url: FunctionUrl) -> list[Finding]:
        resource = url.target.qualified_arn
        mode = ("responses stream (RESPONSE_STREAM)" if url.invoke_mode == "RESPONSE_STREAM" else
                "buffered responses, 6 MB at most")
        shape = (f"{url.url} answers with the function's result read as an HTTP API payload 2.0 response "
                 f"({mode}); a request over 6 MB gets 413, a result it cannot read 502")
        if url.auth_type != "NONE":
            return [self.finding("pass", resource, f"{shape}; AuthType {url.auth_type}: callers must sign requests "
                                 "(SigV4) and hold lambda:InvokeFunctionUrl, unsigned ones get 403")]
        policy = context.policy(url.target)
        account = context.inventory.account
        missing: list[str] = []
        for action in ("lambda:InvokeFunctionUrl", "lambda:InvokeFunction"):
            statements = parse_statements(policy, principal=ANYONE, action=action)
            if not decide(statements, url.target.qualified_arn, account).allowed:
                missing.append(action)
        required = ["lambda:InvokeFunctionUrl"]
        if (url.created or "") >= BOTH_PERMISSIONS_FROM:
            required.append("lambda:InvokeFunction")
        absent = [action for action in required if action in missing]
        if absent:
            return [self.finding(
                "fail", resource,
                f"AuthType is NONE but the resource-based policy of {url.target.label} grants {' and '.join(absent)} "
                f"to nobody: every request to {url.url} gets 403 Forbidden",
                fix="\n".join(_public_permission(url, action) for action in absent),
            )]
        note = ""
        if "lambda:InvokeFunction" in missing:
            note = ("; grant lambda:InvokeFunction too (URLs created from October 2025 need both), so a re-created "
                    "URL keeps working")
        return [self.finding("pass", resource, f"{shape}; AuthType NONE and the policy lets anyone call it{note}")]


def _public_permission(url: FunctionUrl, action: str) -> str:
    qualifier = f" --qualifier {url.target.qualifier}" if url.target.qualifier else ""
    if action == "lambda:InvokeFunctionUrl":
        return (f"aws lambda add-permission --region {url.target.region} --function-name {url.target.name}{qualifier} "
                "--statement-id FunctionURLAllowPublicAccess --action lambda:InvokeFunctionUrl --principal '*' "
                "--function-url-auth-type NONE")
    return (f"aws lambda add-permission --region {url.target.region} --function-name {url.target.name}{qualifier} "
            "--statement-id FunctionURLInvokeAllowPublicAccess --action lambda:InvokeFunction --principal '*' "
            "--invoked-via-function-url")
