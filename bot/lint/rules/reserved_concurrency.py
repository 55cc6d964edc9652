"""Reserved concurrency 0 throttles every invocation -> lambda-throttled (every request 500/502)."""

from __future__ import annotations

from bot.lint import fixes
from bot.lint.finding import LintFinding
from bot.lint.model.model import Function, Model
from bot.lint.rules.base import Rule


def invoked_functions(model: Model) -> list[Function]:
    """Functions an API route, an authorizer or a target group calls, once each, in order."""
    targets = [r.integration.target for r in model.lambda_routes() if r.integration]
    targets += [a.target for a in model.authorizers] + [t for g in model.target_groups for t in g.targets]
    seen: dict[int, Function] = {}
    for target in targets:
        if target is not None and target.function is not None:
            seen.setdefault(id(target.function), target.function)
    return list(seen.values())


class ReservedConcurrencyZero(Rule):
    id = "reserved-concurrency-zero"
    title = "Functions behind an API or load balancer can run"
    entry = "lambda-throttled"
    severity = "error"
    cfn_lint_id = "E9106"
    description = ("ReservedConcurrentExecutions: 0 stops a function from running at all: Lambda throttles every "
                   "invocation (TooManyRequestsException), so every request through the API or load balancer "
                   "fails with 500/502.")

    def check(self, model: Model) -> list[LintFinding]:
        findings = []
        for function in invoked_functions(model):
            if function.reserved_concurrency != 0:
                continue
            terraform = fixes.is_terraform(model)
            key = "reserved_concurrent_executions" if terraform else "ReservedConcurrentExecutions"
            findings.append(self.finding(
                function.place,
                f"{function.label} has reserved concurrency 0: Lambda throttles every invocation "
                "(TooManyRequestsException), so every request to it fails with 500/502",
                fix=f"Remove {key} (the function then shares the account's concurrency) or set it above 0",
                patch=fixes.property_patch(model, function.place.logical_id, {key: "-1" if terraform else "10"}),
            ))
        return findings
