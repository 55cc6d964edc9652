"""What a reply remembers: its message metadata, and the state its buttons carry.

Slack gives a button click back only the button's value (at most 2,000 characters), so the value
holds enough to redraw the reply without the original text: the entry ids in rank order, their
scores, the runtime and the language. The full diagnosis (with its evidence) is kept in memory
by `DiagnosisStore` under `key` while the process lives.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from bot.core.diagnosis import Diagnosis, Match
from bot.core.kb.knowledge import KnowledgeBase

METADATA_EVENT_TYPE = "badgateway_diagnosis"
MAX_VALUE = 2000  # Slack's limit for a button value
MAX_STATE_ENTRIES = 10


def diagnosis_metadata(diagnosis: Diagnosis) -> dict[str, Any]:
    """Slack message metadata for a diagnosis reply: entry ids in rank order and the language."""
    return {
        "event_type": METADATA_EVENT_TYPE,
        "event_payload": {"entries": [m.id for m in diagnosis.matches], "language": diagnosis.language},
    }


@dataclass(frozen=True)
class ReplyState:
    key: str  # DiagnosisStore key; may be gone (restart, another Lambda container)
    entries: tuple[str, ...]
    scores: tuple[float, ...]
    runtime: str | None
    language: str

    @classmethod
    def of(cls, diagnosis: Diagnosis, key: str, language: str | None = None) -> ReplyState:
        matches = diagnosis.matches[:MAX_STATE_ENTRIES]
        return cls(
            key=key,
            entries=tuple(m.id for m in matches),
            scores=tuple(round(m.score, 3) for m in matches),
            runtime=diagnosis.runtime,
            language=language or diagnosis.language,
        )

    def to_value(self) -> str:
        value = json.dumps(
            {"k": self.key, "e": list(self.entries), "s": list(self.scores), "r": self.runtime,
             "l": self.language},
            separators=(",", ":"),
        )
        if len(value) > MAX_VALUE:  # cannot happen with 10 ids of sane length; stay valid anyway
            return ReplyState(self.key, self.entries[:1], self.scores[:1], self.runtime, self.language).to_value()
        return value

    @classmethod
    def from_value(cls, value: str | None) -> ReplyState | None:
        """The state in a button value, or None when it is not one of ours."""
        try:
            data = json.loads(value or "")
            entries = tuple(str(e) for e in data["e"])
            scores = tuple(float(s) for s in data.get("s") or [0.0] * len(entries))
            language = data["l"] if data.get("l") in ("en", "it") else "en"
            runtime = data.get("r") if isinstance(data.get("r"), str) else None
            return cls(str(data.get("k") or ""), entries, scores, runtime, language)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def rebuild(self, knowledge: KnowledgeBase) -> Diagnosis:
        """A diagnosis with the same causes and ranking, without the evidence (unknown ids skipped)."""
        known = {entry.id: entry for entry in knowledge.entries}
        matches = tuple(
            Match(entry=known[entry_id], score=score, evidence=())
            for entry_id, score in zip(self.entries, self.scores, strict=False)  # a forged value may differ
            if entry_id in known
        )
        return Diagnosis(language=self.language, matches=matches, runtime=self.runtime)


class DiagnosisStore:
    """The latest diagnoses by key, so a button can redraw a reply with its evidence. Bounded."""

    def __init__(self, size: int = 512) -> None:
        self._items: OrderedDict[str, Diagnosis] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def put(self, diagnosis: Diagnosis) -> str:
        key = uuid.uuid4().hex[:12]
        with self._lock:
            self._items[key] = diagnosis
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> Diagnosis | None:
        with self._lock:
            return self._items.get(key)


def feedback_event(body: dict[str, Any], state: ReplyState | None, helpful: bool) -> dict[str, Any]:
    """The structured log record of a helpful / not helpful click."""
    container = body.get("container") or {}
    return {
        "event": "badgateway_feedback",
        "helpful": helpful,
        "entries": list(state.entries) if state else [],
        "language": state.language if state else None,
        "team": (body.get("team") or {}).get("id"),
        "user": (body.get("user") or {}).get("id"),
        "channel": container.get("channel_id") or (body.get("channel") or {}).get("id"),
        "message_ts": container.get("message_ts"),
    }
