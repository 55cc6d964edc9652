"""The prose layer: which failure mode a description is about, learnt from labelled text.

A multinomial logistic regression over the features of `tokens.py` (each feature present or
not), with one class per knowledge entry and one for "none" (texts that look related but are no
known cause), so that "none" is learnt from examples rather than guessed from low scores. It is
trained by `badgateway kb build` (scikit-learn, a build-time tool only) into
`knowledge/prose/model.json`; scoring here is plain Python over the text's own features: a sum
of weights and a softmax. Nothing in it is tuned per case; its parameters are chosen by
cross-validation (benchmarks/accuracy.py).
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache

from bot.core.prose.tokens import feature_options, features

NONE = "none"
MODEL_FILE = os.path.join("prose", "model.json")
FORMAT = 2


@dataclass(frozen=True)
class ProseScore:
    entry: str
    probability: float
    words: tuple[str, ...]  # the words of the text that weighed most for this entry


@dataclass(frozen=True)
class ProseVerdict:
    scores: tuple[ProseScore, ...]  # entries only, most probable first, above `floor`
    none_probability: float
    feature_count: int  # how many known features the text had: 0 means the model saw nothing


class ProseModel:
    """A trained model: per-class intercepts and, per feature, its weights for some classes."""

    def __init__(self, artefact: dict) -> None:
        if artefact.get("format") != FORMAT:
            raise ValueError("unknown prose model format")
        self.classes: list[str] = list(artefact["classes"])
        self.params: dict = dict(artefact["params"])
        self._intercepts: list[float] = [float(value) for value in artefact["intercepts"]]
        # name -> [[class, weight], ...] (small weights pruned at build time)
        self._weights: dict[str, list[list[float]]] = artefact["features"]
        self._none = self.classes.index(NONE) if NONE in self.classes else -1
        self._options = feature_options(self.params)  # the features it was trained on

    def verdict(self, text: str, *, floor: float = 0.05, words: int = 5) -> ProseVerdict:
        found = features(text, **self._options)
        weights = self._weights
        known = [name for name in found.names if name in weights]
        logits = list(self._intercepts)
        for name in known:
            for index, weight in weights[name]:  # class indices are ints in model.json
                logits[index] += weight
        top = max(logits)
        exps = [math.exp(value - top) for value in logits]
        norm = sum(exps)
        probabilities = [value / norm for value in exps]
        likely = [index for index in range(len(self.classes))
                  if index != self._none and probabilities[index] >= floor]
        shown = self._words_for(likely, known, found.surface, words)
        scores = [
            ProseScore(entry=self.classes[index], probability=round(probabilities[index], 4),
                       words=shown[index])
            for index in likely
        ]
        scores.sort(key=lambda score: (-score.probability, score.entry))
        none = probabilities[self._none] if self._none >= 0 else 0.0
        return ProseVerdict(scores=tuple(scores), none_probability=round(none, 4),
                            feature_count=len(known))

    def _words_for(
        self, classes: list[int], known: list[str], surface: dict[str, str], limit: int
    ) -> dict[int, tuple[str, ...]]:
        """Per class, the words of the text with the largest positive weight for it, as written."""
        lifts: dict[int, list[tuple[float, str]]] = {index: [] for index in classes}
        for name in known:
            word = surface.get(name)
            if not word:
                continue
            for klass, weight in self._weights[name]:
                if weight > 0 and klass in lifts:
                    lifts[klass].append((weight, word))
        return {index: _distinct_words(pairs, limit) for index, pairs in lifts.items()}


def _distinct_words(lifts: list[tuple[float, str]], limit: int) -> tuple[str, ...]:
    lifts.sort(key=lambda pair: -pair[0])
    shown: list[str] = []
    for _, word in lifts:
        if not any(word.lower() in other.lower() or other.lower() in word.lower() for other in shown):
            shown.append(word)
        if len(shown) >= limit:
            break
    return tuple(shown)


def load_model(knowledge_directory: str) -> ProseModel | None:
    """The model built for this knowledge directory, or None when it has none (not built yet)."""
    path = os.path.join(knowledge_directory, MODEL_FILE)
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _load(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4)
def _load(path: str, size: int, mtime: int) -> ProseModel | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return ProseModel(json.load(handle))
    except (OSError, ValueError, KeyError, TypeError):
        return None
