"""Typed results of a live check: what flows from the checks to every renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["fail", "warn", "pass", "error", "skip"]
STATUSES: tuple[Status, ...] = ("fail", "error", "warn", "skip", "pass")  # most urgent first
Protocol = Literal["REST", "HTTP", "ALB", "CloudFront", "FunctionURL"]


@dataclass(frozen=True)
class Finding:
    """One outcome of one check on one resource.

    entry: the knowledge entry id the finding points to (catalog.md), or None when no entry fits
    (a pass, an error reading AWS). fix: what to change, with the real values filled in.
    evidence: log lines or values that back the finding. All of these are redacted on creation.
    """

    check: str
    status: Status
    entry: str | None
    resource: str
    message: str
    fix: str | None = None
    evidence: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Messages, fixes and evidence quote AWS (log lines, state reasons, names): redacted here,
        # once, whichever check built them and whichever format shows them.
        from bot.core.redact import redact

        object.__setattr__(self, "resource", redact(self.resource))
        object.__setattr__(self, "message", redact(self.message))
        object.__setattr__(self, "fix", redact(self.fix) if self.fix else self.fix)
        object.__setattr__(self, "evidence", tuple(redact(line) for line in self.evidence))

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "status": self.status,
            "entry": self.entry,
            "resource": self.resource,
            "message": self.message,
            "fix": self.fix,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class ApiInfo:
    id: str
    name: str
    protocol: Protocol

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "protocol": self.protocol}


@dataclass(frozen=True)
class CheckReport:
    api: ApiInfo
    stages: tuple[str, ...]
    region: str
    findings: tuple[Finding, ...]
    duration: float  # seconds, the whole run
    partial: bool = False  # True when the time budget ran out before every check finished
    aws_calls: int = 0  # AWS API operations made (retries not counted)
    timings: dict[str, float] = field(default_factory=dict)  # check id -> seconds
    since: str = "1h"
    target: str = ""  # what was asked for, in words, when it was not just the API id

    @property
    def failed(self) -> bool:
        return any(finding.status == "fail" for finding in self.findings)

    def by_status(self, status: Status) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.status == status)

    def counts(self) -> dict[str, int]:
        return {status: len(self.by_status(status)) for status in STATUSES}

    def to_json(self) -> dict[str, Any]:
        """The `check --format json` object (a contract: keys may be added, never renamed)."""
        return {
            "api": self.api.to_json(),
            "findings": [finding.to_json() for finding in self.findings],
            "region": self.region,
            "stages": list(self.stages),
            "since": self.since,
            "partial": self.partial,
            "duration": round(self.duration, 3),
            "aws_calls": self.aws_calls,
            "timings": {check: round(seconds, 3) for check, seconds in self.timings.items()},
            "target": self.target or self.api.id,
        }
