"""The one interface every live check implements, and the helpers they share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from bot.live.aws import AwsCallError, BudgetExhausted
from bot.live.finding import Finding, Status

if TYPE_CHECKING:
    from bot.live.context import CheckContext
    from bot.live.inventory import Inventory, LambdaTarget

# What a check reads through the context, so the runner can fetch it ahead, concurrently:
# configuration / policy / code: per function, version or alias; concurrency: per function;
# function_log / execution_log: the one logs read (every group at once); metrics / account: once;
# roles: per credentials or execution role; tg_attributes / lb_attributes: per target group / load balancer.
NEEDS = frozenset(
    {"configuration", "policy", "concurrency", "function_log", "execution_log", "metrics", "account", "code",
     "roles", "tg_attributes", "lb_attributes"}
)
API_PROTOCOLS: tuple[str, ...] = ("REST", "HTTP")
ALL_PROTOCOLS: tuple[str, ...] = ("REST", "HTTP", "ALB", "CloudFront", "FunctionURL")

_UNSET = object()
BUDGET_SKIP = "not checked: the time budget ran out first"


class Check:
    id: ClassVar[str]
    title: ClassVar[str]
    entry: ClassVar[str | None]  # the knowledge entry its failures point to
    iam_actions: ClassVar[tuple[str, ...]]
    needs: ClassVar[frozenset[str]] = frozenset()
    opt_in: ClassVar[str | None] = None  # "invoke" | "inspect_package": runs only when asked for
    protocols: ClassVar[tuple[str, ...]] = API_PROTOCOLS  # what it looks at: api.protocol values

    def applies(self, inventory: Inventory) -> bool:
        """Whether this check has anything to look at in `inventory` (else the runner leaves it out)."""
        return inventory.protocol in self.protocols

    def run(self, context: CheckContext) -> list[Finding]:
        raise NotImplementedError

    # ------------------------------------------------------------------------------ helpers
    def finding(
        self,
        status: Status,
        resource: str,
        message: str,
        *,
        entry: str | object | None = _UNSET,
        fix: str | None = None,
        evidence: tuple[str, ...] = (),
    ) -> Finding:
        if entry is _UNSET:
            entry = self.entry if status in ("fail", "warn") else None
        return Finding(self.id, status, entry, resource, message, fix, evidence)  # type: ignore[arg-type]

    def guarded(self, resource: str, produce: Callable[[], list[Finding]]) -> list[Finding]:
        """Run `produce` for one resource; an AWS error becomes this resource's `error` finding."""
        try:
            return produce()
        except BudgetExhausted:
            return [self.finding("skip", resource, BUDGET_SKIP)]
        except AwsCallError as exc:
            return [error_finding(self.id, resource, exc)]


class PerTargetCheck(Check):
    """A check that looks at each Lambda function, version or alias the API invokes, one by one."""

    protocols = ALL_PROTOCOLS

    def run(self, context: CheckContext) -> list[Finding]:
        findings: list[Finding] = []
        for target in context.inventory.targets():
            findings += self.guarded(
                function_resource(target.label), lambda t=target: self.check_target(context, t)
            )
        return findings

    def check_target(self, context: CheckContext, target: LambdaTarget) -> list[Finding]:
        raise NotImplementedError


def error_finding(check: str, resource: str, exc: AwsCallError) -> Finding:
    if exc.access_denied:
        action = exc.iam_action or f"{exc.service}:{exc.operation}"
        return Finding(
            check, "error", None, resource,
            f"could not check: access denied to {action} ({exc.operation}); the other checks went on",
            fix=f"Allow {action} for the identity running the check (see deploy/iam-policy.json).",
        )
    if exc.not_found:
        return Finding(
            check, "error", None, resource,
            f"could not check: {exc.operation} says it does not exist ({exc.code}); it may be in another "
            "account or region",
        )
    return Finding(check, "error", None, resource, f"could not check: {exc.describe()}")


def function_resource(label: str) -> str:
    return f"function {label}"
