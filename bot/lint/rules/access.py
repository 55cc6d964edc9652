"""Does some permission in the template let a service invoke a function for a given SourceArn?

The same matching as the live check (bot.live.policy: IAM ArnLike, explicit reasons for a miss),
applied to `AWS::Lambda::Permission` resources with resolved SourceArns. What the template does
not fix (region, account, a parameter) is taken from the permission when it spells it; what a
permission leaves to deploy time is a wildcard: lint reports only what is wrong in any account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.lint.intrinsics import (
    OPEN,
    adoptable,
    display,
    function_arn,
    has_token,
    unknowns_as_wildcards,
)
from bot.lint.model.model import Model, Permission, Target
from bot.live.policy import Statement, decide, explain_miss, string_like

ACCOUNT = f"{OPEN}AWS.AccountId\u203a"
_TERRAFORM_ADVICE = re.compile(r"\(use !Ref / \$\{([^}]*)\} in the SourceArn\)")
API_GATEWAY = "apigateway.amazonaws.com"
LOAD_BALANCING = "elasticloadbalancing.amazonaws.com"


@dataclass(frozen=True)
class Refusal:
    wanted: str  # the first SourceArn no permission allows
    why: str  # in the template's terms
    refused: tuple[str, ...]  # every wanted SourceArn refused


def refusal(model: Model, target: Target, wanted: list[str], principal: str) -> Refusal | None:
    """None when every wanted SourceArn is allowed; else what is refused and why."""
    permissions = model.permissions_for(target)
    refused = [arn for arn in wanted if not any(_allows(p, arn, principal) for p in permissions)]
    if not refused:
        return None
    why = _why(model, target, permissions, refused[0], principal)
    if model.source.kind == "terraform":
        why = _TERRAFORM_ADVICE.sub(lambda m: f"(build it from {m.group(1)}.execution_arn)", why)
        why = why.replace("a CloudFormation logical id or a name", "a name")
    return Refusal(refused[0], why, tuple(refused))


def pattern_of(permission: Permission) -> str | None:
    if permission.source_arn:
        return unknowns_as_wildcards(permission.source_arn)
    if permission.references:  # Terraform: known after apply, but we know what it refers to
        return permission.references[0]
    return None


def _statement(permission: Permission, principal: str) -> Statement:
    pattern = pattern_of(permission)
    return Statement(
        sid=permission.place.resource,
        effect="Allow",
        for_api_gateway=_principal_ok(permission, principal) and _action_ok(permission),
        source_arns=(("ArnLike", pattern),) if pattern else None,
        source_account=None,  # a literal account cannot be checked against an account to come
    )


def _allows(permission: Permission, wanted: str, principal: str) -> bool:
    statement = _statement(permission, principal)
    pattern = pattern_of(permission)
    return decide([statement], adopt(wanted, pattern) if pattern else wanted, ACCOUNT).allowed


def _principal_ok(permission: Permission, principal: str) -> bool:
    value = (permission.principal or "").strip().lower()
    return value in (principal, "*") or (has_token(value) and "?" in value)


def _action_ok(permission: Permission) -> bool:
    action = (permission.action or "").strip().lower()
    return string_like(action, "lambda:invokefunction") or ("?" in action and has_token(action))


def adopt(wanted: str, pattern: str) -> str:
    """`wanted` with each segment the template leaves open (region, account, partition, a
    parameter) taken from `pattern`, part by part and, in the resource, path segment by segment."""
    wanted_parts, pattern_parts = wanted.split(":", 5), pattern.split(":", 5)
    if len(wanted_parts) != 6 or len(pattern_parts) != 6:
        return wanted
    for index in range(1, 5):
        if adoptable(wanted_parts[index]):
            wanted_parts[index] = pattern_parts[index]
    wanted_path, pattern_path = wanted_parts[5].split("/"), pattern_parts[5].split("/")
    for index, segment in enumerate(wanted_path):
        if adoptable(segment) and index < len(pattern_path):
            wanted_path[index] = pattern_path[index]
    wanted_parts[5] = "/".join(wanted_path)
    return ":".join(wanted_parts)


def _why(model: Model, target: Target, permissions: list[Permission], wanted: str, principal: str) -> str:
    if not permissions:
        return _no_permission(model, target, principal)
    for_principal = [p for p in permissions if _principal_ok(p, principal) and _action_ok(p)]
    if not for_principal:
        named = ", ".join(f"{p.place.resource} (principal {p.principal}, action {p.action})" for p in permissions[:3])
        return f"no permission lets {principal} call lambda:InvokeFunction: {named}"
    reasons = []
    for permission in for_principal[:3]:
        pattern = pattern_of(permission) or "*"
        reasons.append(f"{permission.place.resource}: {explain(pattern, adopt(wanted, pattern))}")
    return "; ".join(reasons)


def _no_permission(model: Model, target: Target, principal: str) -> str:
    label = target.label
    if target.function is None:
        return f"no permission in this template is for {label}"
    elsewhere = [p for p in model.permissions_on_function(target.function) if p.target and
                 p.target.qualifier != target.qualifier and _principal_ok(p, principal)]
    if elsewhere and target.qualifier:
        return (f"{elsewhere[0].place.resource} is on {elsewhere[0].target.label if elsewhere[0].target else label}, "
                f"but the integration calls {label}: an alias or version has its own resource-based policy "
                "(give the permission the alias ARN as FunctionName)")
    if elsewhere:
        return (f"{elsewhere[0].place.resource} is on {elsewhere[0].target.label if elsewhere[0].target else label}, "
                f"but the integration calls the function itself ({label}), whose policy is separate")
    return f"no AWS::Lambda::Permission lets {principal} invoke {label}, so nothing in its policy allows the call"


def explain(pattern: str, wanted: str) -> str:
    """Why `pattern` does not cover `wanted`, in the template's terms."""
    got_api = pattern.split(":", 5)[-1].split("/", 1)[0]
    want_api = wanted.split(":", 5)[-1].split("/", 1)[0]
    if has_token(got_api) and has_token(want_api) and got_api != want_api and "*" not in got_api:
        return f"its SourceArn is for {display(got_api)}, not {display(want_api)}"
    return display(explain_miss(pattern, wanted)).replace("${MyApi}", display(want_api))


def function_reference(target: Target) -> str:
    """How a template names what the integration calls: `!GetAtt Fn.Arn` or the alias ARN."""
    if target.function is None:
        return target.reference
    base = function_arn(f"{OPEN}{target.function.key}\u203a")
    return f"{base}:{target.qualifier}" if target.qualifier else base
