"""Does a Lambda resource-based policy let API Gateway invoke the function for a given request?

API Gateway calls Lambda with `AWS:SourceArn` = `arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/METHOD/PATH`,
where PATH is the request's concrete path ("users/42", not "users/{id}"), console test invokes
use the stage `test-invoke-stage`, and an HTTP API's `$default` route is `API_ID/STAGE/$default`.
Lambda compares SourceArn with the condition's operator: ArnLike/ArnEquals check each of the six
colon-separated parts with `*` and `?` wildcards (in the resource part `*` spans '/'), StringLike
the whole string, StringEquals exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

API_GATEWAY_PRINCIPAL = "apigateway.amazonaws.com"
ELB_PRINCIPAL = "elasticloadbalancing.amazonaws.com"
INVOKE = "lambda:InvokeFunction"
ANYONE = "*"
TEST_INVOKE_STAGE = "test-invoke-stage"
_API_ID = re.compile(r"^[a-z0-9]{10}$")
_PATH_PARAMETER = re.compile(r"\{[^}/]+\}")


# ---------------------------------------------------------------------------------- wildcards
@lru_cache(maxsize=2048)
def _glob(pattern: str) -> re.Pattern[str]:
    parts = []
    for char in pattern:
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def string_like(pattern: str, value: str) -> bool:
    return _glob(pattern).fullmatch(value) is not None


def arn_like(pattern: str, value: str) -> bool:
    """IAM ArnLike: each of the six colon-separated parts matched on its own."""
    pattern_parts = pattern.split(":", 5)
    value_parts = value.split(":", 5)
    if len(pattern_parts) != 6 or len(value_parts) != 6:
        return False
    return all(string_like(p, v) for p, v in zip(pattern_parts, value_parts, strict=True))


# --------------------------------------------------------------------------------- source ARNs
def source_arn(region: str, account: str, api_id: str, stage: str, method: str, path: str,
               partition: str = "aws") -> str:
    """The SourceArn API Gateway sends for a request (`path` concrete, "/" for the root)."""
    prefix = f"arn:{partition}:execute-api:{region}:{account}:{api_id}/{stage}"
    if path == "$default":
        return f"{prefix}/$default"
    return f"{prefix}/{method}/{path.lstrip('/')}"


def concrete_paths(template: str) -> tuple[str, ...]:
    """Request paths a resource path template stands for: two unlike samples per parameter, so a
    permission written with the literal `{id}` (which never appears in a request) does not pass."""
    if template == "$default" or "{" not in template:
        return (template,)
    samples = []
    for value, greedy in (("42", "a/b"), ("x-sample", "x/y/z")):
        samples.append(
            _PATH_PARAMETER.sub(lambda m, v=value, g=greedy: g if m.group(0).endswith("+}") else v, template)
        )
    return tuple(samples)


def permission_source_arn(region: str, account: str, api_id: str, method: str, path: str,
                          partition: str = "aws") -> str:
    """The SourceArn to grant for one route: every stage (so console tests work too), `*` for
    path parameters and ANY, as SAM writes it."""
    prefix = f"arn:{partition}:execute-api:{region}:{account}:{api_id}/*"
    if path == "$default":
        return f"{prefix}/$default"
    wildcard_path = _PATH_PARAMETER.sub("*", path.lstrip("/"))
    verb = "*" if method in ("ANY", "*") else method
    return f"{prefix}/{verb}/{wildcard_path}"


# ---------------------------------------------------------------------------------- statements
@dataclass(frozen=True)
class Statement:
    sid: str
    effect: str  # Allow | Deny
    for_api_gateway: bool  # principal and action are the ones asked about (API Gateway invoking, by default;
    # the name stays for the callers that build statements: the load balancer and function URL checks ask about others)
    source_arns: tuple[tuple[str, str], ...] | None  # (operator, pattern); None: no SourceArn condition
    source_account: tuple[str, ...] | None
    unsupported_conditions: tuple[str, ...] = ()

    def matches(self, arn: str, account: str) -> bool:
        if not self.for_api_gateway:
            return False
        if self.source_account is not None and account not in self.source_account:
            return False
        if self.source_arns is None:
            return True
        return any(_compare(operator, pattern, arn) for operator, pattern in self.source_arns)


def _compare(operator: str, pattern: str, value: str) -> bool:
    op = operator.lower().replace("forallvalues:", "").replace("foranyvalue:", "")
    if op in ("arnlike", "arnequals"):
        return arn_like(pattern, value)
    if op == "stringlike":
        return string_like(pattern, value)
    if op == "stringequals":
        return pattern == value
    if op == "stringequalsignorecase":
        return pattern.lower() == value.lower()
    return False


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _principal_is(principal: Any, service: str) -> bool:
    """Whether the statement's principal covers `service` (or, for ANYONE, is public)."""
    if principal == "*":
        return True
    if isinstance(principal, dict):
        everyone = "*" in [str(a) for a in _as_list(principal.get("AWS"))]
        if service == ANYONE:
            return everyone
        services = [str(s).lower() for s in _as_list(principal.get("Service"))]
        return service in services or everyone
    return False


def _action_allows(action: Any, wanted: str) -> bool:
    return any(string_like(str(a).lower(), wanted.lower()) for a in _as_list(action))


def parse_statements(policy: dict[str, Any] | None, principal: str = API_GATEWAY_PRINCIPAL,
                     action: str = INVOKE) -> tuple[Statement, ...]:
    """The policy's statements, each marked with whether it is about `principal` doing `action`."""
    statements: list[Statement] = []
    for index, raw in enumerate(_as_list((policy or {}).get("Statement"))):
        if not isinstance(raw, dict):
            continue
        source_arns: list[tuple[str, str]] = []
        source_account: list[str] = []
        unsupported: list[str] = []
        has_source_arn = False
        for operator, block in (raw.get("Condition") or {}).items():
            if not isinstance(block, dict):
                continue
            for key, values in block.items():
                lowered = key.lower()
                if lowered == "aws:sourcearn":
                    has_source_arn = True
                    source_arns.extend((operator, str(v)) for v in _as_list(values))
                elif lowered == "aws:sourceaccount":
                    source_account.extend(str(v) for v in _as_list(values))
                else:
                    unsupported.append(f"{operator}:{key}")
        statements.append(
            Statement(
                sid=str(raw.get("Sid") or f"#{index + 1}"),
                effect=str(raw.get("Effect", "Allow")),
                for_api_gateway=_principal_is(raw.get("Principal"), principal)
                and _action_allows(raw.get("Action"), action),
                source_arns=tuple(source_arns) if has_source_arn else None,
                source_account=tuple(source_account) if source_account else None,
                unsupported_conditions=tuple(unsupported),
            )
        )
    return tuple(statements)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    allowed_by: str | None = None
    denied_by: str | None = None


def decide(statements: Iterable[Statement], arn: str, account: str) -> Decision:
    """Explicit Deny wins; otherwise any matching Allow allows."""
    allowed_by = None
    for statement in statements:
        if not statement.matches(arn, account):
            continue
        if statement.effect.lower() == "deny":
            return Decision(False, denied_by=statement.sid)
        allowed_by = allowed_by or statement.sid
    return Decision(allowed_by is not None, allowed_by=allowed_by)


# ---------------------------------------------------------------------------------- near misses
def explain_miss(pattern: str, wanted: str, api_name: str = "") -> str:
    """Why the SourceArn pattern `pattern` does not match `wanted`, in the terms people use."""
    pattern_parts = pattern.split(":", 5)
    wanted_parts = wanted.split(":", 5)
    if len(pattern_parts) != 6:
        return f"'{pattern}' is not an ARN"
    labels = ("", "partition", "service", "region", "account")
    for index in (2, 3, 4):
        if not string_like(pattern_parts[index], wanted_parts[index]):
            return (f"it names {labels[index]} '{pattern_parts[index]}', but this API is in "
                    f"{labels[index]} '{wanted_parts[index]}'")
    got = pattern_parts[5].split("/", 3)
    want = wanted_parts[5].split("/", 3)
    api_pattern = got[0]
    if not string_like(api_pattern, want[0]):
        if not _API_ID.match(api_pattern) and "*" not in api_pattern and "?" not in api_pattern:
            named = " (the API's name)" if api_name and api_pattern == api_name else ""
            return (f"it names '{api_pattern}'{named} where the API id '{want[0]}' belongs: a CloudFormation "
                    "logical id or a name, not the id (use !Ref / ${MyApi} in the SourceArn)")
        return f"it is for API '{api_pattern}', not this API '{want[0]}' (was the API re-created?)"
    if len(got) > 1 and len(want) > 1 and "*" not in got[0] and not string_like(got[1], want[1]):
        if want[1] == TEST_INVOKE_STAGE:
            return f"it allows stage '{got[1]}' only, not the console's '{TEST_INVOKE_STAGE}'"
        return f"it allows stage '{got[1]}', not '{want[1]}'"
    if len(got) > 2 and len(want) > 2 and not string_like(got[2], want[2]):
        return f"it allows method '{got[2]}', not '{want[2]}'"
    if "{" in pattern_parts[5]:
        return ("it spells a path parameter literally ('{...}'), but API Gateway sends the request's "
                "real path: use '*' for each parameter")
    if len(got) > 3 and len(want) > 3:
        return f"it allows path '/{got[3]}', not '/{want[3]}'"
    return "its SourceArn does not match"
