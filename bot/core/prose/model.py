"""The prose layer: which failure mode a description is about, learnt from labelled text.

A multinomial naive Bayes model over the features of `tokens.py` (each feature counted once per
text), with one class per knowledge entry and one for "none" (texts that look related but are
no known cause). It is small, trains in well under a second, and is built from the knowledge
files by `badgateway kb build` into `knowledge/prose/model.json`; nothing in it is hand-tuned
per case. Scores are turned into probabilities with a sharpness chosen by cross-validation, and a
text whose best class is not sure enough (or is "none") is left to the signatures alone.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache

from bot.core.prose.tokens import features

NONE = "none"
MODEL_FILE = os.path.join("prose", "model.json")
FORMAT = 1


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
    """A trained model: feature counts per class and the parameters chosen for them."""

    def __init__(self, artefact: dict) -> None:
        if artefact.get("format") != FORMAT:
            raise ValueError("unknown prose model format")
        self.classes: list[str] = list(artefact["classes"])
        self.params: dict = dict(artefact["params"])
        alpha = float(self.params["alpha"])
        vocabulary = int(artefact["vocabulary_size"])
        totals = artefact["totals"]
        # log P(f|c) = log(n + alpha) - log(N_c + alpha V): split into a per-class base for every
        # feature and a bonus for the features the class has seen, so scoring touches only those.
        self._base = [math.log(alpha) - math.log(total + alpha * vocabulary) for total in totals]
        self._alpha = alpha
        # name -> [[class, count], ...], as loaded: turned into bonuses only for the features a
        # text has, so that loading the model costs no more than reading it.
        self._counts: dict[str, list[list[float]]] = artefact["features"]
        self._none = self.classes.index(NONE) if NONE in self.classes else -1

    def verdict(
        self, text: str, *, floor: float = 0.05, words: int = 5, sharpness: float | None = None
    ) -> ProseVerdict:
        found = features(text)
        counts = self._counts
        known = [name for name in found.names if name in counts]
        if not known:
            return ProseVerdict(scores=(), none_probability=1.0, feature_count=0)
        totals = [base * len(known) for base in self._base]
        bonuses = {name: self._bonus(name) for name in known}
        for name in known:
            for index, bonus in bonuses[name].items():
                totals[index] += bonus
        if sharpness is None:
            sharpness = float(self.params["sharpness"])
        # Averaged per feature, so a long paste is not more certain than a short one.
        logits = [sharpness * total / len(known) for total in totals]
        top = max(logits)
        weights = [math.exp(value - top) for value in logits]
        norm = sum(weights)
        probabilities = [weight / norm for weight in weights]
        scores = [
            ProseScore(
                entry=name,
                probability=round(probabilities[index], 4),
                words=self._words_for(index, bonuses, found.surface, words),
            )
            for index, name in enumerate(self.classes)
            if index != self._none and probabilities[index] >= floor
        ]
        scores.sort(key=lambda score: (-score.probability, score.entry))
        none = probabilities[self._none] if self._none >= 0 else 0.0
        return ProseVerdict(scores=tuple(scores), none_probability=round(none, 4),
                            feature_count=len(known))

    def _bonus(self, name: str) -> dict[int, float]:
        """log((n + alpha) / alpha) per class that has seen feature `name` n times."""
        return {int(index): math.log1p(count / self._alpha) for index, count in self._counts[name]}

    def _words_for(
        self, index: int, bonuses: dict[str, dict[int, float]], surface: dict[str, str], limit: int
    ) -> tuple[str, ...]:
        """The features that raise class `index` most above the average class, as written."""
        lifts: list[tuple[float, str]] = []
        average_base = sum(self._base) / len(self._base)
        for name, bonus in bonuses.items():
            mine = bonus.get(index, 0.0) + self._base[index]
            average = sum(bonus.values()) / len(self._base) + average_base
            if mine - average > 0 and surface.get(name):
                lifts.append((mine - average, surface[name]))
        lifts.sort(key=lambda pair: -pair[0])
        shown: list[str] = []
        for _, word in lifts:
            if word.lower() not in (w.lower() for w in shown):
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
