"""`badgateway kb build`: the prose model from the knowledge files (and the real corpus's training part).

Inputs, all data:
- `knowledge/*.yaml`: the entries, their examples and vocabulary;
- `knowledge/examples/none.yaml`: texts that must give no known cause;
- `knowledge/prose/params.yaml`: the parameters chosen by cross-validation (benchmarks/accuracy.py);
- in a source checkout, `tests/corpus/real_world.yaml` without the names listed in
  `tests/corpus/heldout.yaml` (the held-out part is never trained on).
Output: `knowledge/prose/model.json`, which a test keeps in step with the inputs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from bot.core.kb.knowledge import KnowledgeBase, load_knowledge
from bot.core.prose.model import MODEL_FILE
from bot.core.prose.train import (
    Document,
    corpus_documents,
    knowledge_documents,
    train,
    training_digest,
)

NONE_FILE = os.path.join("examples", "none.yaml")
PARAMS_FILE = os.path.join("prose", "params.yaml")


def _yaml(path: str | Path) -> Any:
    import yaml  # only when building

    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def none_examples(directory: str) -> list[str]:
    path = os.path.join(directory, NONE_FILE)
    if not os.path.exists(path):
        return []
    document = _yaml(path) or {}
    return [str(item["text"]) for item in document.get("examples") or ()]


def load_params(directory: str) -> dict[str, Any]:
    return dict(_yaml(os.path.join(directory, PARAMS_FILE)))


def corpus_files(directory: str) -> tuple[Path, Path] | None:
    """The real corpus and its held-out list, when the knowledge folder is a source checkout's."""
    root = Path(directory).resolve().parent / "tests" / "corpus"
    corpus, heldout = root / "real_world.yaml", root / "heldout.yaml"
    return (corpus, heldout) if corpus.exists() and heldout.exists() else None


def heldout_names(heldout_file: str | Path) -> set[str]:
    return set((_yaml(heldout_file) or {}).get("names") or ())


def training_corpus(directory: str) -> list[dict[str, Any]]:
    """The corpus items the model may learn from: every item not held out."""
    files = corpus_files(directory)
    if files is None:
        return []
    corpus, heldout = files
    excluded = heldout_names(heldout)
    return [item for item in _yaml(corpus) or () if item["name"] not in excluded]


def training_documents(knowledge: KnowledgeBase, corpus_items: list[dict[str, Any]]) -> list[Document]:
    return knowledge_documents(knowledge, none_examples(knowledge.directory)) + corpus_documents(corpus_items)


def build_artefact(directory: str | None = None) -> tuple[dict[str, Any], str]:
    """The model artefact for the knowledge folder, and the path it belongs at."""
    knowledge = load_knowledge(directory)
    documents = training_documents(knowledge, training_corpus(knowledge.directory))
    artefact = train(documents, load_params(knowledge.directory))
    return artefact, os.path.join(knowledge.directory, MODEL_FILE)


def model_is_current(directory: str | None = None) -> tuple[bool, str]:
    """Whether model.json was trained on exactly today's inputs (no training needed to tell)."""
    knowledge = load_knowledge(directory)
    path = os.path.join(knowledge.directory, MODEL_FILE)
    documents = training_documents(knowledge, training_corpus(knowledge.directory))
    expected = training_digest(documents, load_params(knowledge.directory))
    try:
        with open(path, encoding="utf-8") as handle:
            recorded = json.load(handle)["trained_on"]["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return False, path
    return recorded == expected, path


def serialise(artefact: dict[str, Any]) -> str:
    """Stable text: one feature per line, so a review shows what an example changed."""
    head = {key: value for key, value in artefact.items() if key != "features"}
    lines = ["{", *(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False, sort_keys=True)}," for k, v in head.items())]
    lines.append('"features": {')
    items = list(artefact["features"].items())
    for number, (name, pairs) in enumerate(items):
        comma = "," if number < len(items) - 1 else ""
        lines.append(f"{json.dumps(name, ensure_ascii=False)}: {json.dumps(pairs)}{comma}")
    lines += ["}", "}"]
    return "\n".join(lines) + "\n"
