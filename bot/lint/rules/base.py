"""The one interface every lint rule implements."""

from __future__ import annotations

from typing import ClassVar

from bot.core.redact import redact
from bot.lint.finding import LintFinding, Severity
from bot.lint.intrinsics import display
from bot.lint.model.model import Model, Place


def _shown(text: str | None) -> str | None:
    """Written back as the template writes it (`${MyApi}`), each line redacted whole."""
    if not text:
        return None
    return "\n".join(redact(line) for line in display(text).split("\n"))


class Rule:
    id: ClassVar[str]  # stable: findings, SARIF ruleIds and the cfn-lint plugin name the rule by it
    title: ClassVar[str]
    entry: ClassVar[str | None]  # the knowledge entry its findings point to (shared/catalog.md)
    severity: ClassVar[Severity]
    cfn_lint_id: ClassVar[str]  # the same rule as a cfn-lint plugin rule (custom ids are E9xxx/W9xxx)
    description: ClassVar[str]  # one paragraph: what the rule checks and why it matters

    def check(self, model: Model) -> list[LintFinding]:
        raise NotImplementedError

    def finding(self, place: Place, message: str, *, fix: str | None = None, patch: str | None = None,
                severity: Severity | None = None, entry: str | object | None = ...) -> LintFinding:
        return LintFinding(
            rule=self.id,
            entry=self.entry if entry is ... else entry,  # type: ignore[arg-type]
            severity=severity or self.severity,
            file=place.file,
            resource=_shown(place.resource) or "",
            message=_shown(message) or "",
            line=place.line,
            fix=_shown(fix),
            patch=_shown(patch),
            title=self.title,
        )
