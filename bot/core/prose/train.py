"""Training the prose layer from labelled text: the knowledge files and the real corpus.

What it learns from, each a `Document` with a label (an entry id or "none") and a weight:
- every entry's `examples.match` (its `no_match` near misses say only what it is not, which a
  naive Bayes model cannot use, so they serve as tests);
- each entry's title, causes and keywords, in both languages: the entry's own vocabulary;
- `knowledge/examples/none.yaml`: texts that look related but are no known cause;
- the training part of the real corpus (never its held-out part).
Adding a good example to an entry improves recognition after `badgateway kb build`, with no
code change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.knowledge import KnowledgeBase
from bot.core.prose.model import FORMAT, NONE, ProseModel
from bot.core.prose.tokens import features
from bot.core.prose.view import prose_view


@dataclass(frozen=True)
class Document:
    text: str
    label: str  # an entry id or NONE
    kind: str  # "example", "entry", "none", "corpus": each kind has its weight in the params
    origin: str  # where it comes from, for reports


def knowledge_documents(knowledge: KnowledgeBase, none_examples: Iterable[str] = ()) -> list[Document]:
    documents: list[Document] = []
    for entry in knowledge.entries:
        for number, example in enumerate(e for e in entry.examples if e.matches):
            documents.append(Document(example.text, entry.id, "example", f"{entry.id}#{number + 1}"))
        for lang in entry.title:
            vocabulary = [entry.title[lang], *entry.causes.get(lang, ()), *entry.keywords.get(lang, ())]
            documents.append(Document("\n".join(vocabulary), entry.id, "entry", f"{entry.id}/{lang}"))
    for number, text in enumerate(none_examples):
        documents.append(Document(text, NONE, "none", f"none#{number + 1}"))
    return documents


def corpus_documents(items: Iterable[dict[str, Any]]) -> list[Document]:
    return [
        Document(str(item["text"]), item.get("cause") or NONE, "corpus", str(item["name"]))
        for item in items
    ]


def train(documents: Sequence[Document], params: dict[str, Any]) -> dict[str, Any]:
    """The model artefact (a JSON-ready dict) for these documents and parameters."""
    weights = params["weights"]
    classes = [*sorted({document.label for document in documents} - {NONE}), NONE]
    index = {name: number for number, name in enumerate(classes)}
    counts: dict[str, dict[int, float]] = {}
    frequency: dict[str, int] = {}
    for document in documents:
        weight = float(weights.get(document.kind, 1.0))
        if weight <= 0:
            continue
        label = index[document.label]
        for name in features(prose_view(document.text)).names:
            frequency[name] = frequency.get(name, 0) + 1
            per_class = counts.setdefault(name, {})
            per_class[label] = per_class.get(label, 0.0) + weight
    min_count = int(params.get("min_count", 1))
    kept = {name: per_class for name, per_class in counts.items() if frequency[name] >= min_count}
    totals = [0.0] * len(classes)
    for per_class in kept.values():
        for label, count in per_class.items():
            totals[label] += count
    return {
        "format": FORMAT,
        "params": {key: value for key, value in params.items() if key != "weights"} | {"weights": weights},
        "classes": classes,
        "vocabulary_size": len(kept),
        "totals": [round(total, 3) for total in totals],
        "features": {
            name: [[label, round(count, 3)] for label, count in sorted(per_class.items())]
            for name, per_class in sorted(kept.items())
        },
        "trained_on": _summary(documents),
    }


def build_model(documents: Sequence[Document], params: dict[str, Any]) -> ProseModel:
    return ProseModel(train(documents, params))


def _summary(documents: Sequence[Document]) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    for document in documents:
        kinds[document.kind] = kinds.get(document.kind, 0) + 1
    digest = hashlib.sha256()
    for document in documents:
        digest.update(json.dumps([document.label, document.kind, document.text]).encode())
    return {"documents": kinds, "sha256": digest.hexdigest()}
