"""Typed results of `badgateway lint`: what flows from the rules to every renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")  # most urgent first


@dataclass(frozen=True)
class LintFinding:
    """One problem of one resource.

    resource: the logical id as written (SAM's generated resources are reported on the one the
    user wrote), the CDK construct path, or the Terraform address. fix: what to change, with the
    template's names; patch: the resource to add or the properties to change, in the input's own
    language (CloudFormation YAML, HCL), where one fits.
    """

    rule: str
    entry: str | None
    severity: Severity
    file: str
    resource: str
    message: str
    line: int = 1
    fix: str | None = None
    patch: str | None = None
    title: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "entry": self.entry,
            "severity": self.severity,
            "file": self.file,
            "resource": self.resource,
            "message": self.message,
            "line": self.line,
            "title": self.title,
            "fix": self.fix,
            "patch": self.patch,
        }


@dataclass(frozen=True)
class LintReport:
    findings: tuple[LintFinding, ...]
    files: tuple[str, ...]  # every input read, in order
    notes: tuple[str, ...] = field(default=())  # what the user should know about how lint ran

    @property
    def failed(self) -> bool:
        return any(finding.severity == "error" for finding in self.findings)

    def to_json(self) -> dict[str, Any]:
        """The `lint --format json` object (a contract: keys may be added, never renamed)."""
        return {
            "findings": [finding.to_json() for finding in self.findings],
            "files": list(self.files),
            "notes": list(self.notes),
        }
