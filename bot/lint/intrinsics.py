"""CloudFormation intrinsic functions, resolved as far as a template alone allows.

A value nobody knows before deploy (an API's id, the region, a parameter) becomes a *token* in the
resolved string: `‹MyApi›` is "the physical id of resource MyApi", `‹AWS.Region›` the stack's
region, `‹?Stage›` something only known at deploy time (a parameter, an import, a condition).
Tokens never hold ':' or '/', so a resolved ARN still splits into its parts, and two references
to the same resource resolve to the same text: a SourceArn built with `${MyApi}` covers the API
MyApi, one that spells `MyApi` as text does not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

OPEN, CLOSE = "\u2039", "\u203a"  # ‹ ›
_TOKEN = re.compile(f"{OPEN}([^{CLOSE}]*){CLOSE}")
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
MAX_DEPTH = 40  # aliases point at functions, Subs at resources: never deep in a real template


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()  # `Ref: AWS::NoValue`: the property is left out

PSEUDO = {
    "AWS::Region": f"{OPEN}AWS.Region{CLOSE}",
    "AWS::AccountId": f"{OPEN}AWS.AccountId{CLOSE}",
    "AWS::Partition": f"{OPEN}AWS.Partition{CLOSE}",
    "AWS::StackName": f"{OPEN}AWS.StackName{CLOSE}",
    "AWS::StackId": f"{OPEN}?StackId{CLOSE}",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::NotificationARNs": f"{OPEN}?NotificationARNs{CLOSE}",
}
ADOPTABLE_PSEUDO = frozenset({"AWS.Region", "AWS.AccountId", "AWS.Partition"})


def ref_token(name: str) -> str:
    return f"{OPEN}{_clean(name)}{CLOSE}"


def unknown_token(label: str) -> str:
    return f"{OPEN}?{_clean(label)}{CLOSE}"


def _clean(name: str) -> str:
    return re.sub(r"[:/\s‹›]+", ".", str(name))[:120]


def has_token(text: str) -> bool:
    return OPEN in text


def is_unknown(text: str) -> bool:
    """A value only known at deploy time (a token `‹?…›` somewhere in it)."""
    return f"{OPEN}?" in text


def token_names(text: str) -> list[str]:
    return _TOKEN.findall(text)


def adoptable(segment: str) -> bool:
    """A segment of a resolved ARN whose real value the template does not fix (region, account,
    partition, a parameter): a permission that spells it literally is taken at its word."""
    names = _TOKEN.findall(segment)
    return bool(names) and _TOKEN.sub("", segment) == "" and all(
        name.startswith("?") or name in ADOPTABLE_PSEUDO for name in names
    )


def unknowns_as_wildcards(text: str) -> str:
    """In a permission's pattern, what is unknown until deploy could be anything: `*`."""
    return _TOKEN.sub(lambda m: "*" if m.group(1).startswith("?") else m.group(0), text)


def display(text: str) -> str:
    """Tokens written back the way a template writes them: `${MyApi}`, `${AWS::Region}`."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1).lstrip("?")
        if name.startswith("AWS."):
            name = "AWS::" + name[4:]
        return "${" + name + "}"

    return _TOKEN.sub(one, text)


class Resolver:
    """Resolves intrinsics in one template's values.

    resources: logical id -> resource; parameters: the template's Parameters; `renderers` turn a
    `Ref`/`Fn::GetAtt` to a resource of some type into text (a function's ARN, an alias's ARN).
    """

    def __init__(self, resources: Mapping[str, Any], parameters: Mapping[str, Any] | None = None,
                 mappings: Mapping[str, Any] | None = None) -> None:
        self.resources = resources
        self.parameters = parameters or {}
        self.mappings = mappings or {}

    # ------------------------------------------------------------------------------ values
    def resolve(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            return unknown_token("deep")
        if isinstance(value, dict):
            if len(value) == 1:
                (key, argument), = value.items()
                if key == "Ref" or (isinstance(key, str) and key.startswith("Fn::")):
                    return self._function(key, argument, depth + 1)
            resolved = {k: self.resolve(v, depth + 1) for k, v in value.items()}
            return {k: v for k, v in resolved.items() if v is not NO_VALUE}
        if isinstance(value, list):
            return [item for item in (self.resolve(v, depth + 1) for v in value) if item is not NO_VALUE]
        return value

    def text(self, value: Any) -> str | None:
        """The value as a string (with tokens), or None when it is absent or not a scalar."""
        resolved = self.resolve(value)
        if resolved is None or resolved is NO_VALUE or isinstance(resolved, (dict, list)):
            return None
        if isinstance(resolved, bool):
            return "true" if resolved else "false"
        return str(resolved)

    def number(self, value: Any) -> int | None:
        """An integer setting; a parameter counts with its default (what a plain deploy uses)."""
        if isinstance(value, dict) and set(value) == {"Ref"}:
            parameter = self.parameters.get(str(value["Ref"]))
            if isinstance(parameter, dict):
                value = parameter.get("Default")
        resolved = self.resolve(value)
        if isinstance(resolved, bool):
            return None
        if isinstance(resolved, (int, float)):
            return int(resolved)
        if isinstance(resolved, str) and re.fullmatch(r"-?\d{1,12}", resolved.strip()):
            return int(resolved.strip())
        return None

    def parameter_default(self, name: str) -> Any:
        parameter = self.parameters.get(name)
        return parameter.get("Default") if isinstance(parameter, dict) else None

    # --------------------------------------------------------------------------- functions
    def _function(self, name: str, argument: Any, depth: int) -> Any:
        handler = _FUNCTIONS.get(name)
        if handler is None:
            return unknown_token(name.replace("Fn::", ""))
        return handler(self, argument, depth)

    def ref(self, name: Any, depth: int = 0) -> Any:
        if not isinstance(name, str):
            return unknown_token("Ref")
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in PSEUDO:
            return PSEUDO[name]
        if name in self.parameters:
            return unknown_token(name)
        resource = self.resources.get(name)
        if isinstance(resource, dict):
            return self.render_ref(name, resource, depth)
        return ref_token(name)

    def get_att(self, name: str, attribute: str, depth: int = 0) -> Any:
        resource = self.resources.get(name)
        if isinstance(resource, dict):
            rendered = self.render_get_att(name, resource, attribute, depth)
            if rendered is not None:
                return rendered
        return ref_token(f"{name}.{attribute}")

    # What a Ref or GetAtt returns, by resource type: overridden knowledge lives here.
    def render_ref(self, name: str, resource: dict[str, Any], depth: int) -> str:
        kind = resource.get("Type")
        if kind in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
            return self._qualified_function_arn(name, resource, depth)
        if kind == "AWS::ElasticLoadBalancingV2::TargetGroup":
            return self._target_group_arn(name, resource, depth)
        if kind in ("AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage"):  # Ref gives the stage's name
            stage = self.resolve((resource.get("Properties") or {}).get("StageName"), depth + 1)
            return stage if isinstance(stage, str) else ref_token(name)
        return ref_token(name)

    def render_get_att(self, name: str, resource: dict[str, Any], attribute: str, depth: int) -> str | None:
        kind = resource.get("Type")
        if kind in ("AWS::Lambda::Function", "AWS::Serverless::Function") and attribute == "Arn":
            return function_arn(ref_token(name))
        if attribute in ("RestApiId", "ApiId") and kind in ("AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api",
                                                            "AWS::Serverless::Api", "AWS::Serverless::HttpApi"):
            return ref_token(name)
        if kind == "AWS::ElasticLoadBalancingV2::TargetGroup" and attribute == "TargetGroupArn":
            return self._target_group_arn(name, resource, depth)
        if kind in ("AWS::Lambda::Alias", "AWS::Lambda::Version") and attribute in ("AliasArn", "Arn"):
            return self._qualified_function_arn(name, resource, depth)
        return None

    def _qualified_function_arn(self, name: str, resource: dict[str, Any], depth: int) -> str:
        properties = resource.get("Properties") or {}
        function = self.resolve(properties.get("FunctionName"), depth + 1)
        base = function if isinstance(function, str) and function.startswith("arn:") else function_arn(
            function if isinstance(function, str) else unknown_token("FunctionName"))
        if resource.get("Type") == "AWS::Lambda::Alias":
            alias = self.resolve(properties.get("Name"), depth + 1)
            return f"{base}:{alias if isinstance(alias, str) else ref_token(name)}"
        return f"{base}:{ref_token(name)}"

    def _target_group_arn(self, name: str, resource: dict[str, Any], depth: int) -> str:
        label = self.resolve((resource.get("Properties") or {}).get("Name"), depth + 1)
        middle = f"{label}/" if isinstance(label, str) and not has_token(label) else ""
        return f"arn:{PSEUDO['AWS::Partition']}:elasticloadbalancing:{PSEUDO['AWS::Region']}:" \
               f"{PSEUDO['AWS::AccountId']}:targetgroup/{middle}{ref_token(name)}"


def function_arn(name: str) -> str:
    return (f"arn:{PSEUDO['AWS::Partition']}:lambda:{PSEUDO['AWS::Region']}:{PSEUDO['AWS::AccountId']}"
            f":function:{name}")


# ---------------------------------------------------------------------------- the functions
def _ref(resolver: Resolver, argument: Any, depth: int) -> Any:
    return resolver.ref(argument, depth)


def _get_att(resolver: Resolver, argument: Any, depth: int) -> Any:
    if isinstance(argument, str) and "." in argument:
        argument = argument.split(".", 1)
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str):
        attribute = resolver.resolve(argument[1], depth)
        if isinstance(attribute, str):
            return resolver.get_att(argument[0], attribute, depth)
    return unknown_token("GetAtt")


def _sub(resolver: Resolver, argument: Any, depth: int) -> Any:
    variables: dict[str, Any] = {}
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
        argument, variables = argument
    if not isinstance(argument, str):
        return unknown_token("Sub")

    def one(match: re.Match[str]) -> str:
        inner = match.group(1)
        if inner.startswith("!"):
            return "${" + inner[1:] + "}"  # ${!Literal} is the escape for a literal ${Literal}
        if inner in variables:
            value = resolver.resolve(variables[inner], depth)
        elif "." in inner and not inner.startswith("AWS::"):
            value = resolver.get_att(*inner.split(".", 1), depth)
        else:
            value = resolver.ref(inner, depth)
        if value is NO_VALUE:
            return ""
        if isinstance(value, (dict, list)) or value is None:
            return unknown_token(inner)
        return str(value)

    return _SUB_VARIABLE.sub(one, argument)


def _join(resolver: Resolver, argument: Any, depth: int) -> Any:
    if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)):
        return unknown_token("Join")
    items = resolver.resolve(argument[1], depth)
    if not isinstance(items, list) or not all(isinstance(i, (str, int, float)) for i in items):
        return unknown_token("Join")
    return argument[0].join(str(i) for i in items)


def _select(resolver: Resolver, argument: Any, depth: int) -> Any:
    if not (isinstance(argument, list) and len(argument) == 2):
        return unknown_token("Select")
    index = resolver.number(argument[0])
    items = resolver.resolve(argument[1], depth)
    if index is None or not isinstance(items, list) or not 0 <= index < len(items):
        return unknown_token("Select")
    return items[index]


def _split(resolver: Resolver, argument: Any, depth: int) -> Any:
    if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str) and argument[0]):
        return unknown_token("Split")
    text = resolver.resolve(argument[1], depth)
    if not isinstance(text, str) or is_unknown(text):
        return unknown_token("Split")
    return text.split(argument[0])


def _if(resolver: Resolver, argument: Any, depth: int) -> Any:
    if isinstance(argument, list) and len(argument) == 3:
        when_true, when_false = resolver.resolve(argument[1], depth), resolver.resolve(argument[2], depth)
        if when_true == when_false:
            return when_true
        label = argument[0] if isinstance(argument[0], str) else "If"
        return unknown_token(f"If.{label}")
    return unknown_token("If")


def _find_in_map(resolver: Resolver, argument: Any, depth: int) -> Any:
    if isinstance(argument, list) and len(argument) >= 3:
        keys = [resolver.resolve(k, depth) for k in argument[:3]]
        if all(isinstance(k, str) and not has_token(k) for k in keys):
            level: Any = resolver.mappings
            for key in keys:
                level = level.get(key) if isinstance(level, dict) else None
            if level is not None:
                return resolver.resolve(level, depth)
    return unknown_token("FindInMap")


_FUNCTIONS = {
    "Ref": _ref,
    "Fn::GetAtt": _get_att,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Fn::FindInMap": _find_in_map,
}
