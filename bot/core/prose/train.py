"""Training the prose layer from labelled text: the knowledge files and the real corpus.

What it learns from, each a `Document` with a label (an entry id or "none") and a weight:
- every entry's `examples.match`, and its `no_match` near misses as "none" (weighted);
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

from bot.core.kb.knowledge import KnowledgeBase, KnowledgeError
from bot.core.prose.model import FORMAT, NONE, ProseModel, row_scale
from bot.core.prose.tokens import feature_options, features
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
        # A near miss is not this entry; most are no cause at all (a deploy-time look-alike), so
        # they may teach "none", with a weight cross-validation chooses (0 leaves them out).
        for number, example in enumerate(e for e in entry.examples if not e.matches):
            documents.append(Document(example.text, NONE, "near_miss", f"{entry.id}!{number + 1}"))
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
    return export(fit(documents, params), params)


@dataclass(frozen=True)
class Fitted:
    """A fitted model before calibration and pruning (cross-validation exports it many ways)."""

    classes: list[str]
    coefficients: Any  # (classes x features) array
    intercepts: Any
    vocabulary: list[str]
    used: list[Document]


def fit(documents: Sequence[Document], params: dict[str, Any]) -> Fitted:
    """Multinomial logistic regression (L2, lbfgs) from scikit-learn, which `kb build` needs and
    nothing else does: `pip install 'badgateway[build]'`.
    """
    try:
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise KnowledgeError(
            "building the prose model needs scikit-learn: pip install 'badgateway[build]'"
        ) from None
    weights = params["weights"]
    used = [d for d in documents if float(weights.get(d.kind, 1.0)) > 0]
    options = feature_options(params)
    rows = [features(prose_view(document.text), **options).names for document in used]
    frequency: dict[str, int] = {}
    for names in rows:
        for name in names:
            frequency[name] = frequency.get(name, 0) + 1
    min_count = int(params.get("min_count", 1))
    vocabulary = sorted(name for name, count in frequency.items() if count >= min_count)
    column = {name: number for number, name in enumerate(vocabulary)}
    scaled = params.get("norm") == "l2"
    floor = int(params.get("norm_floor", 1))
    indices: list[int] = []
    values: list[float] = []
    pointers = [0]
    for names in rows:
        kept = [column[name] for name in names if name in column]
        indices.extend(kept)
        # Scaled by every feature of the text, known or not: scoring sees the same count.
        values.extend([row_scale(len(names), floor) if scaled else 1.0] * len(kept))
        pointers.append(len(indices))
    matrix = csr_matrix((values, indices, pointers), shape=(len(rows), len(vocabulary)))
    labels = [document.label for document in used]
    sample_weight = [float(weights.get(document.kind, 1.0)) for document in used]
    model = LogisticRegression(C=float(params["C"]), max_iter=5000, tol=1e-6)
    model.fit(matrix, labels, sample_weight=sample_weight)
    coefficients, intercepts = model.coef_, model.intercept_
    alpha = params.get("cnb_alpha")
    if alpha is not None:
        share = float(params.get("cnb_weight", 0.5))
        coefficients, intercepts = _with_complement_nb(model, matrix, labels, sample_weight, float(alpha), share)
    return Fitted([str(name) for name in model.classes_], coefficients, intercepts, vocabulary, used)


def _with_complement_nb(model: Any, matrix: Any, labels: list[str], sample_weight: list[float],
                        alpha: float, share: float = 0.5) -> tuple[Any, Any]:
    """The geometric mean of the logistic regression's probabilities and a Complement Naive
    Bayes's (Rennie et al. 2003), Naive Bayes counting `share` (`cnb_weight`):
    softmax((1 - s) (W x + b) + s V x) is still one linear model over
    the same features, so scoring does not change. Naive Bayes learns from word counts per class
    and carries rare words a regularised regression shrinks away: on the prose layer alone,
    cross-validation found the two together ahead of either, but not through the whole matcher
    so far (knowledge/prose/params.yaml). V is centred per feature: a shift common
    to all classes leaves the softmax as it is, and centred weights can be pruned."""
    from sklearn.naive_bayes import ComplementNB

    bayes = ComplementNB(alpha=alpha)
    bayes.fit(matrix, labels, sample_weight=sample_weight)
    assert list(bayes.classes_) == list(model.classes_)
    weights = bayes.feature_log_prob_
    weights = weights - weights.mean(axis=0, keepdims=True)
    return (1.0 - share) * model.coef_ + share * weights, (1.0 - share) * model.intercept_


def export(fitted: Fitted, params: dict[str, Any]) -> dict[str, Any]:
    """The artefact: calibrated (a temperature, a bias toward "none") and pruned.

    The calibration is folded into the weights, so scoring stays a sum and a softmax:
    softmax((w.x + b) / T + bias_none) is the model's probability with weights w/T, b/T.
    """
    temperature = float(params.get("temperature", 1.0))
    none_bias = float(params.get("none_bias", 0.0))
    classes = fitted.classes
    none = classes.index(NONE) if NONE in classes else -1
    prune = float(params.get("prune", 0.001))
    coefficients = fitted.coefficients / temperature
    intercepts = [float(value) / temperature for value in fitted.intercepts]
    if none >= 0:
        intercepts[none] += none_bias
    per_feature: dict[str, list[list[float]]] = {}
    for number, name in enumerate(fitted.vocabulary):
        column = coefficients[:, number]
        pairs = [[klass, round(float(column[klass]), 4)] for klass in range(len(classes))
                 if abs(column[klass]) >= prune]
        if pairs:
            per_feature[name] = pairs
    return {
        "format": FORMAT,
        "params": {key: value for key, value in sorted(params.items())},
        "classes": classes,
        "intercepts": [round(value, 4) for value in intercepts],
        "features": dict(sorted(per_feature.items())),
        "trained_on": _summary(fitted.used, params),
    }


def build_model(documents: Sequence[Document], params: dict[str, Any]) -> ProseModel:
    return ProseModel(train(documents, params))


def _summary(documents: Sequence[Document], params: dict[str, Any]) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    for document in documents:
        kinds[document.kind] = kinds.get(document.kind, 0) + 1
    return {"documents": kinds, "sha256": training_digest(documents, params)}


def training_digest(documents: Sequence[Document], params: dict[str, Any]) -> str:
    """What the model was trained on, as one hash: a model is in step when this still matches."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode())
    for document in documents:
        digest.update(json.dumps([document.label, document.kind, document.text]).encode())
    return digest.hexdigest()
