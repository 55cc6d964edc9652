"""Typed results of a diagnosis: what flows from the matcher to every renderer."""

from __future__ import annotations

from bot.core.kb.knowledge import Entry
from bot.core.record import Record

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any


class Evidence(Record):
    """One line of the pasted text that matched one signature of an entry (already redacted)."""

    signature: str
    line: str
    line_number: int
    similarity: float  # 1.0 for an exact match, less for a fuzzy one


class Detail(Record):
    """A precise finding about this paste, e.g. what is wrong with a quoted Lambda response."""

    path: str
    severity: str  # "error" | "warning"
    message: dict[str, str]  # per language
    fix: dict[str, str] | None = None


class Observed(Record):
    """What the failing response says by itself: which front door answered, with what."""

    front: str  # "rest" | "http" | "alb" | "cloudfront" | "function-url" | "api-gateway" | "unknown"
    status: int
    error_type: str | None = None  # x-amzn-ErrorType
    request_id: str | None = None
    source: str = "pasted"  # "pasted": a response in the text; "described": named in its words


class Match(Record):
    entry: Entry
    score: float
    evidence: tuple[Evidence, ...]
    keywords: tuple[str, ...] = ()
    details: tuple[Detail, ...] = ()

    @property
    def id(self) -> str:
        return self.entry.id


class Diagnosis(Record):
    language: str  # "en" | "it": the language to answer in
    matches: tuple[Match, ...]  # best first; empty when no known cause was found
    runtime: str | None = None  # "nodejs" | "python" | "java" | "go" when the text reveals it
    notes: tuple[str, ...] = ()  # e.g. "input truncated"
    observed: Observed | None = None  # a pasted HTTP response, when there is one
    consistent_with: tuple[str, ...] = ()  # entries whose status behind that front door fits it

    @property
    def found(self) -> bool:
        return bool(self.matches)

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    def to_json(self, top: int | None = None) -> dict[str, Any]:
        """The `diagnose --format json` object (a contract: keys may be added, never renamed)."""
        matches = self.matches if top is None else self.matches[:top]
        result: dict[str, Any] = {
            "language": self.language,
            "matches": [
                {
                    "id": match.id,
                    "score": match.score,
                    "title": match.entry.title[self.language],
                    "evidence": [item.line for item in match.evidence],
                    "signatures": [item.signature for item in match.evidence],
                    "keywords": list(match.keywords),
                    **(
                        {
                            "details": [
                                {
                                    "path": d.path,
                                    "severity": d.severity,
                                    "message": d.message[self.language],
                                    **({"fix": d.fix[self.language]} if d.fix else {}),
                                }
                                for d in match.details
                            ]
                        }
                        if match.details
                        else {}
                    ),
                }
                for match in matches
            ],
        }
        if self.runtime:
            result["runtime"] = self.runtime
        if self.notes:
            result["notes"] = list(self.notes)
        if self.observed is not None:
            result["observed"] = {
                key: value
                for key, value in (
                    ("front", self.observed.front),
                    ("status", self.observed.status),
                    ("error_type", self.observed.error_type),
                    ("request_id", self.observed.request_id),
                    ("source", self.observed.source),
                )
                if value is not None
            }
            result["consistent_with"] = list(self.consistent_with)
        return result
