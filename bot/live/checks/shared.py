"""What several checks need: may a service assume a role, and the `aws lambda add-permission`
command with the real values (arguments quoted for a POSIX shell)."""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING, Any

from bot.live.policy import string_like

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import LambdaTarget


def untrusting(context: CheckContext, role_arn: str, services: tuple[str, ...]) -> tuple[str, ...] | None:
    """The services among `services` the role's trust policy does not let assume it; None when the
    role does not exist. AwsCallError (e.g. a role in another account) is the caller's to report."""
    role = context.role(role_arn)
    if role is None:
        return None
    document = role.get("AssumeRolePolicyDocument") or {}
    trusted: set[str] = set()
    for statement in _as_list(document.get("Statement")):
        if not isinstance(statement, dict) or str(statement.get("Effect", "Allow")) != "Allow":
            continue
        if not any(string_like(str(a).lower(), "sts:assumerole") for a in _as_list(statement.get("Action"))):
            continue
        principal = statement.get("Principal")
        if principal == "*":
            trusted.update(services)
        elif isinstance(principal, dict):
            trusted.update(str(s).lower() for s in _as_list(principal.get("Service")))
    return tuple(service for service in services if service not in trusted)


def trust_fix(role_arn: str, services: tuple[str, ...]) -> str:
    principals = ", ".join(f'"{service}"' for service in services)
    document = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":[' + principals +
                ']},"Action":"sts:AssumeRole"}]}')
    return (f"aws iam update-assume-role-policy --role-name {shlex.quote(role_arn.rsplit('/', 1)[-1])} "
            f"--policy-document {shlex.quote(document)}   (keep any other principal the role already trusts)")


def add_permission_command(target: LambdaTarget, principal: str, source_arn: str, statement_id: str) -> str:
    qualifier = f" --qualifier {shlex.quote(target.qualifier)}" if target.qualifier else ""
    return (f"aws lambda add-permission --region {target.region} --function-name {shlex.quote(target.name)}"
            f"{qualifier} --statement-id {shlex.quote(statement_id)} --action lambda:InvokeFunction "
            f"--principal {principal} --source-arn {shlex.quote(source_arn)}")


def statement_id(*parts: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9-_]+", "-", "-".join(parts)).strip("-")
    return slug[:100] or "badgateway-fix"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
