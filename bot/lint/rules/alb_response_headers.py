"""An ALB target group's multi-value headers setting and what the handler returns must agree:
with `lambda.multi_value_headers.enabled` the load balancer reads `multiValueHeaders`, without it
`headers`; the other one makes the response malformed (502, LambdaInvalidResponse)
-> malformed-proxy-response. Read where the handler's code is on this machine."""

from __future__ import annotations

import ast
import re

from bot.lint import fixes
from bot.lint.code import find_handler
from bot.lint.finding import LintFinding
from bot.lint.model.model import Model, TargetGroup
from bot.lint.rules.base import Rule

_NODE_HEADERS_KEY = re.compile(r"(?:^|[{,\s])[\"']?headers[\"']?\s*:", re.MULTILINE)
_NODE_MULTI = re.compile(r"\bmultiValueHeaders\b")


def response_keys(source: str, runtime: str) -> tuple[bool, bool]:
    """(returns `headers`, returns `multiValueHeaders`), as far as the source shows."""
    if runtime.startswith("python"):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return False, False
        keys: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                keys |= {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            elif (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store)
                  and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
                keys.add(node.slice.value)
        return "headers" in keys and "statusCode" in keys, "multiValueHeaders" in keys
    if runtime.startswith("nodejs"):
        return bool(_NODE_HEADERS_KEY.search(source)) and "statusCode" in source, bool(_NODE_MULTI.search(source))
    return False, False


class AlbResponseHeaders(Rule):
    id = "alb-response-headers"
    title = "Lambda targets answer with the headers field their target group reads"
    entry = "malformed-proxy-response"
    severity = "error"
    cfn_lint_id = "E9110"
    description = ("With the target group attribute lambda.multi_value_headers.enabled the load balancer expects "
                   "multiValueHeaders in the function's response; without it, headers. A response with the other "
                   "field is not in the expected format: the load balancer answers 502 (LambdaInvalidResponse).")

    def check(self, model: Model) -> list[LintFinding]:
        findings = []
        for group in model.target_groups:
            for target in group.targets:
                function = target.function
                if function is None or function.code is None or not function.runtime:
                    continue
                handler = find_handler(function.code, function)
                if handler is None or handler.text is None:
                    continue
                headers, multi = response_keys(handler.text, function.runtime)
                finding = self._mismatch(model, group, function.label, handler.found or "", headers, multi)
                if finding:
                    findings.append(finding)
        return findings

    def _mismatch(self, model: Model, group: TargetGroup, label: str, file: str, headers: bool,
                  multi: bool) -> LintFinding | None:
        key = "lambda_multi_value_headers_enabled" if fixes.is_terraform(model) else None
        if group.multi_value_headers and headers and not multi:
            message = (f"target group {group.place.resource} has multi-value headers on, but {label} ({file}) returns "
                       "`headers` and never `multiValueHeaders`: the load balancer finds the response malformed (502)")
            fix = "Return multiValueHeaders (each value a list of strings), or turn multi-value headers off"
            value = "false"
        elif not group.multi_value_headers and multi:
            message = (f"{label} ({file}) returns `multiValueHeaders`, but target group {group.place.resource} has "
                       "multi-value headers off (the default): the load balancer rejects the response (502)")
            fix = "Return `headers` with one string per name, or turn multi-value headers on for the target group"
            value = "true"
        else:
            return None
        if key:
            patch = fixes.property_patch(model, group.place.logical_id, {key: value})
        else:
            patch = (f"{group.place.logical_id}:\n  Properties:\n    TargetGroupAttributes:\n"
                     f"      - Key: lambda.multi_value_headers.enabled\n        Value: \"{value}\"")
        return self.finding(group.place, message, fix=fix, patch=patch)
