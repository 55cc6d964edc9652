"""Which function (and which alias or version of it) a resolved reference names: an integration
URI, a function ARN, a name, `name:alias`."""

from __future__ import annotations

import re

from bot.lint.intrinsics import has_token
from bot.lint.model.model import Function, Target

_INVOCATIONS = re.compile(r"/functions/(?P<fn>.+)/invocations$")


def function_part(reference: str) -> str:
    """The function ARN inside an API Gateway integration URI, or the reference itself."""
    if ":apigateway:" in reference and "/functions/" in reference:
        match = _INVOCATIONS.search(reference)
        if match:
            return match.group("fn")
    return reference


def find_target(reference: str | None, functions: list[Function]) -> Target | None:
    if not reference:
        return None
    text = function_part(reference.strip())
    if text.startswith("arn:"):
        if ":function:" not in text:
            return Target(reference, None)
        text = text.split(":function:", 1)[1]
    name, _, qualifier = text.partition(":")
    qualifier = None if qualifier in ("", "$LATEST") else qualifier
    for function in functions:
        if name in function.names:
            return Target(reference, function, qualifier)
    # Not one of this template's functions: another stack's, a stage variable, a parameter.
    return Target(reference, None, qualifier)


def identity_names(token: str, name: str | None) -> tuple[str, ...]:
    """How a function can be named in resolved text: its token, and its FunctionName when set."""
    names = [token]
    if name and (not has_token(name) or name != token):
        names.append(name)
    return tuple(names)
