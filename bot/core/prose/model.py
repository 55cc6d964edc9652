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
import struct
from functools import lru_cache

from bot.core.prose.tokens import feature_options, features
from bot.core.record import Record

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from bot.core.prose.table import FeatureTable

NONE = "none"
MODEL_FILE = os.path.join("prose", "model.json")
FORMAT = 2


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
        # Each feature's weights for every class, as float64 in one blob (`packed`): a text's
        # rows are read from it and summed per class with zip and sum, at C speed.
        if "rows" not in artefact:
            artefact = packed(artefact)
        self._index: dict[str, int] | FeatureTable = artefact["index"]  # a dict, or the cached table
        self._rows: bytes | memoryview = artefact["rows"]
        self._row = struct.Struct(f"<{len(self.classes)}d")
        self._read: dict[str, tuple[float, ...]] = {}  # the rows read so far, by feature
        self._none = self.classes.index(NONE) if NONE in self.classes else -1
        self._options = feature_options(self.params)  # the features it was trained on
        self._scaled = self.params.get("norm") == "l2"
        self._floor = int(self.params.get("norm_floor", 1))

    def verdict(
        self, text: str, *, floor: float = 0.05, words: int = 5, words_from: float = 0.0,
        words_against_none: float = 0.0,
    ) -> ProseVerdict:
        """`words_from`, `words_against_none`: the entries less probable than `words_from`, or with
        less than `words_against_none` of their probability and "none"'s together, get no words
        (finding them was a sixth of a paste's diagnosis, and the matcher shows words only for
        the prose matches it believes, see Matcher._rank)."""
        found = features(text, **self._options)
        surface, read = found.surface, self._read.get
        known_rows: list[tuple[float, ...]] = []
        # (word as written, its weights) of each known feature that has a word to show
        shown_words: list[tuple[str, tuple[float, ...]]] = []
        for name in found.names:
            row = read(name) or self._unpack(name)
            if row is None:
                continue
            known_rows.append(row)
            word = surface.get(name)
            if word:
                shown_words.append((word, row))
        known = len(known_rows)
        if self._scaled and known:
            # Each feature counts 1/sqrt(n) in a text of n features, as in training (`row_scale`).
            scale = row_scale(len(found.names), self._floor)
            logits = [intercept + scale * sum(column)
                      for intercept, column in zip(self._intercepts, zip(*known_rows, strict=True), strict=True)]
        else:
            # Per class, its intercept then each feature's weight, added in order (as a loop would).
            logits = [sum(column) for column in zip(self._intercepts, *known_rows, strict=True)]
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

    def _unpack(self, name: str) -> tuple[float, ...] | None:
        """The weights of a known feature, read from the blob once: a long-running bot meets the
        same words again, and reading a row was a third of scoring a paste. At most one row per
        feature of the model is kept (6,266 today)."""
        number = self._index.get(name)
        if number is None:
            return None
        row = self._read[name] = self._row.unpack_from(self._rows, number * self._row.size)
        return row

    def weights_of(self, name: str) -> list[tuple[int, float]]:
        """The (class, weight) pairs of feature `name` that are not zero."""
        number = self._index.get(name)
        if number is None:
            return []
        row = self._row.unpack_from(self._rows, number * self._row.size)
        return [(klass, weight) for klass, weight in enumerate(row) if weight]

    def feature_names(self) -> list[str]:
        return list(self._index)


def row_scale(feature_count: int, floor: int = 1) -> float:
    """The value of each feature of a text with `feature_count` features, with norm "l2": a long
    paste's many words then weigh together no more than a description's, instead of piling up
    into a confident answer. Texts of fewer than `floor` features all get 1/sqrt(floor): a bare
    "502" must not count its one feature in full and sound certain."""
    return 1.0 / math.sqrt(max(feature_count, floor)) if feature_count else 0.0


def _words_for(
    classes: list[int], shown_words: list[tuple[str, tuple[float, ...]]], limit: int
) -> dict[int, tuple[str, ...]]:
    """Per class, the words of the text with the largest positive weight for it, as written."""
    return {
        klass: _distinct_words([(row[klass], word) for word, row in shown_words if row[klass] > 0], limit)
        for klass in classes
    }


def _distinct_words(lifts: list[tuple[float, str]], limit: int) -> tuple[str, ...]:
    lifts.sort(key=lambda pair: -pair[0])
    shown: list[str] = []
    for _, word in lifts:
        if not any(word.lower() in other.lower() or other.lower() in word.lower() for other in shown):
            shown.append(word)
        if len(shown) >= limit:
            break
    return tuple(shown)


PACKED_FORMAT = 4  # of `packed`'s blob and of its cached copy (the rows apart): part of the copies' names


def packed(artefact: dict) -> dict:
    """The artefact with its weights in one blob of float64 rows, one row per feature (zeros
    for the pruned weights) and an index of the rows: as quick to load as the JSON's 36,000
    pairs were slow (20 ms a start), and each row is read only when a text has the feature."""
    if "rows" in artefact:
        return artefact
    width = len(artefact["classes"])
    row = struct.Struct(f"<{width}d")
    blob = bytearray(row.size * len(artefact["features"]))
    index: dict[str, int] = {}
    for number, (name, pairs) in enumerate(artefact["features"].items()):
        weights = [0.0] * width
        for klass, weight in pairs:
            weights[int(klass)] = float(weight)
        row.pack_into(blob, number * row.size, *weights)
        index[name] = number
    rest = {key: value for key, value in artefact.items() if key != "features"}
    return {**rest, "index": index, "rows": bytes(blob)}


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
    from bot.core.kb import cache

    # Parsing the JSON artefact cost more than the rest of the start-up: a parsed copy is kept,
    # and the rows (1 MB) apart from it, mapped rather than read: a paste reads a few of them.
    name, key = f"prose-{PACKED_FORMAT}-{cache.folder_tag(path)}", [path, size, mtime]
    try:
        artefact = cache.read(name, key)
        mapped = _mapped(artefact, cache.map_blob(f"{name}-rows", key)) if artefact is not None else None
        if mapped is None:
            import json  # only when the parsed copy is missing

            with open(path, encoding="utf-8") as handle:
                mapped = packed(json.load(handle))
            artefact, blob = _for_the_cache(mapped)
            cache.write(name, key, artefact)
            cache.write_blob(f"{name}-rows", key, blob)
        return ProseModel(mapped)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _for_the_cache(artefact: dict) -> tuple[dict, bytes]:
    """The packed artefact as the cache keeps it: the small part, and the rows with the feature
    index's table after them (one blob, mapped when read back)."""
    from bot.core.prose import table

    index: dict[str, int] = artefact["index"]
    names = sorted(index, key=index.__getitem__)
    if [index[name] for name in names] != list(range(len(names))):
        raise ValueError("rows are not numbered 0..n-1")
    found, layout = table.build(names)
    rest = {k: v for k, v in artefact.items() if k not in ("index", "rows")}
    return {**rest, "layout": {"rows": len(artefact["rows"]), **layout}}, artefact["rows"] + found


def _mapped(artefact: dict, blob: memoryview | None) -> dict | None:
    """The artefact with rows and index read in place from the cached blob, or None."""
    from bot.core.prose.table import FeatureTable

    if blob is None:
        return None
    try:
        layout = artefact["layout"]
        rows = int(layout["rows"])
        if rows != 8 * len(artefact["classes"]) * int(layout["count"]):
            return None
        index = FeatureTable(blob[rows:], layout)
    except (KeyError, TypeError, ValueError):
        return None
    return {**{k: v for k, v in artefact.items() if k != "layout"}, "rows": blob[:rows], "index": index}
