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

import math
import os
from collections.abc import Sequence
from functools import lru_cache

from bot.core.prose.tokens import feature_options, features
from bot.core.record import Record

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any

NONE = "none"
MODEL_FILE = os.path.join("prose", "model.json")
FORMAT = 2
if TYPE_CHECKING:  # [(class index, weight), ...]: lists in model.json, tuples once unpacked
    Weights = Sequence[Sequence[Any]]


class ProseScore(Record):
    entry: str
    probability: float
    words: tuple[str, ...]  # the words of the text that weighed most for this entry


class ProseVerdict(Record):
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
        # name -> [[class, weight], ...] (small weights pruned at build time), or the same packed
        # in a string ("class:weight ...", see `packed`) and unpacked when a text has the feature.
        self._weights: dict[str, Weights | str] = artefact["features"]
        self._none = self.classes.index(NONE) if NONE in self.classes else -1
        self._options = feature_options(self.params)  # the features it was trained on

    def verdict(
        self, text: str, *, floor: float = 0.05, words: int = 5, words_from: float = 0.0,
        words_against_none: float = 0.0,
    ) -> ProseVerdict:
        """`words_from`, `words_against_none`: the entries less probable than `words_from`, or with
        less than `words_against_none` of their probability and "none"'s together, get no words
        (finding them was a sixth of a paste's diagnosis, and the matcher shows words only for
        the prose matches it believes, see Matcher._rank)."""
        found = features(text, **self._options)
        weights, surface = self._weights, found.surface
        logits = list(self._intercepts)
        # (word as written, its weights) of each known feature that has a word to show
        shown_words: list[tuple[str, Weights]] = []
        known = 0
        for name in found.names:
            value = weights.get(name)
            if value is None:
                continue
            pairs: Weights = self._unpack(name) if isinstance(value, str) else value
            known += 1
            for index, weight in pairs:
                logits[index] += weight
            word = surface.get(name)
            if word:
                shown_words.append((word, pairs))
        top = max(logits)
        exps = [math.exp(value - top) for value in logits]
        norm = sum(exps)
        probabilities = [value / norm for value in exps]
        likely = [index for index in range(len(self.classes))
                  if index != self._none and probabilities[index] >= floor]
        none = probabilities[self._none] if self._none >= 0 else 0.0
        shown = _words_for([index for index in likely if probabilities[index] >= words_from
                            and probabilities[index] >= words_against_none * (probabilities[index] + none)],
                           shown_words, words)
        scores = [
            ProseScore(entry=self.classes[index], probability=round(probabilities[index], 4),
                       words=shown.get(index, ()))
            for index in likely
        ]
        scores.sort(key=lambda score: (-score.probability, score.entry))
        return ProseVerdict(scores=tuple(scores), none_probability=round(none, 4),
                            feature_count=known)

    def _unpack(self, name: str) -> Weights:
        value = self._weights[name]
        if isinstance(value, str):
            value = [(int(k), float(w)) for k, w in (pair.split(":") for pair in value.split())]
            self._weights[name] = value
        return value


def _words_for(
    classes: list[int], shown_words: list[tuple[str, Weights]], limit: int
) -> dict[int, tuple[str, ...]]:
    """Per class, the words of the text with the largest positive weight for it, as written."""
    if not classes:
        return {}
    lifts: dict[int, list[tuple[float, str]]] = {index: [] for index in classes}
    for word, pairs in shown_words:
        for klass, weight in pairs:
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


PACKED_FORMAT = 1  # of `packed`'s strings: part of the cached copy's name


def packed(artefact: dict) -> dict:
    """The artefact with each feature's weights in one string: loading tens of thousands of
    small lists cost 20 ms a start, and a text needs the weights of a hundred features at most."""
    features = {
        name: " ".join(f"{int(k)}:{float(w)!r}" for k, w in pairs)
        for name, pairs in artefact["features"].items()
    }
    return {**artefact, "features": features}

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
    from bot.core import cache

    # Parsing the JSON artefact cost more than the rest of the start-up: a parsed copy is kept.
    name, key = f"prose-{PACKED_FORMAT}-{cache.folder_tag(path)}", [path, size, mtime]
    try:
        artefact = cache.read(name, key)
        if artefact is None:
            import json  # only when the parsed copy is missing

            with open(path, encoding="utf-8") as handle:
                artefact = packed(json.load(handle))
            cache.write(name, key, artefact)
        return ProseModel(artefact)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
