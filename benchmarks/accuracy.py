"""How well diagnosis generalises: k-fold cross-validation on the training part, and the held-out part.

    python benchmarks/accuracy.py              # cross-validated figures on the training part
    python benchmarks/accuracy.py --tune       # choose the prose parameters by cross-validation
    python benchmarks/accuracy.py --heldout    # the shipped model on the held-out part (report only)

Every text is scored by a model that never saw it: in each fold the prose layer is trained on
the other folds (plus the entries' own vocabulary), and the whole matcher (signatures and prose)
answers. The held-out part of the corpus (tests/corpus/heldout.yaml) is never used by --tune.
Figures:
- top-1: the best match is the cause the thread established, or nothing when it established
  that the text is no known cause (`cause: null`);
- none kept: of the "none" texts, the share answered with no match (must stay >= 0.95);
- none precision: of the texts answered with no match, the share that really were none.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.kb.knowledge import load_knowledge  # noqa: E402
from bot.core.kb.validate import example_problems  # noqa: E402
from bot.core.matching.matcher import Matcher, Signals  # noqa: E402
from bot.core.prose.build import (  # noqa: E402
    corpus_files,
    heldout_names,
    load_params,
    none_examples,
    training_corpus,
)
from bot.core.prose.model import NONE, ProseModel  # noqa: E402
from bot.core.prose.train import Document, corpus_documents, export, fit, knowledge_documents  # noqa: E402

FOLDS = 5
SEED = "badgateway-cv-1"
NONE_KEPT_GOAL = 0.95
EXPORTED = ("temperature", "none_bias", "prune")  # applied after fitting: no refit to try them
PRUNES = (0.03,)
FITTING_GRID = ((None, None), (0.5, None), (0.5, 0.1), (0.0, None), (0.0, 0.1))


@dataclass
class Score:
    right: int = 0
    total: int = 0
    none_total: int = 0
    none_kept: int = 0
    answered_none: int = 0
    answered_none_right: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, expected: str | None, got: str | None) -> None:
        self.total += 1
        self.right += expected == got
        if expected is None:
            self.none_total += 1
            self.none_kept += got is None
        if got is None:
            self.answered_none += 1
            self.answered_none_right += expected is None
        if expected != got:
            self.misses.append(f"{name}: expected {expected}, got {got}")

    @property
    def top1(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def kept(self) -> float:
        return self.none_kept / self.none_total if self.none_total else 1.0

    @property
    def none_precision(self) -> float:
        return self.answered_none_right / self.answered_none if self.answered_none else 1.0

    def line(self, label: str) -> str:
        return (f"{label}: top-1 {self.top1:.3f} ({self.right}/{self.total}), none kept {self.kept:.3f} "
                f"({self.none_kept}/{self.none_total}), none precision {self.none_precision:.3f}")


def fold_of(document: Document, folds: int = FOLDS, seed: str = SEED) -> int:
    digest = hashlib.sha256(f"{seed}:{document.kind}:{document.origin}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % folds


class CrossValidation:
    """The folds, with each text's signals computed once and each fold's model trained per setting."""

    def __init__(self, matcher: Matcher, documents: list[Document]) -> None:
        self.matcher = matcher
        self.documents = documents
        self.scored = [d for d in documents if d.kind in ("example", "none", "corpus")]
        self._signals: dict[str, Signals] = {}
        self._fitted: dict[str, Any] = {}

    def signals(self, text: str) -> Signals:
        if text not in self._signals:
            self._signals[text] = self.matcher.signals(text)
        return self._signals[text]

    def run(self, params: dict[str, Any], decisions: Iterable[dict[str, Any]]) -> list[tuple[dict, dict[str, Score]]]:
        """Scores per kind of text for each decision setting, with models trained under `params`.

        A decision setting may change what is done after fitting (EXPORTED: calibration, pruning)
        and the matcher's parameters; the model is fitted once per fold, exported once per
        calibration and pruning.
        """
        decisions = list(decisions)
        results = [(decision, {"corpus": Score(), "example": Score(), "none": Score()}) for decision in decisions]
        for fold in range(FOLDS):
            training = [d for d in self.documents if d.kind == "entry" or fold_of(d) != fold]
            fitted = fit(training, params)
            tested = [d for d in self.scored if fold_of(d) == fold]
            models: dict[tuple, ProseModel] = {}
            verdicts: dict[tuple, list] = {}
            for decision, scores in results:
                key = tuple(decision.get(name, params.get(name)) for name in EXPORTED)
                if key not in models:
                    models[key] = ProseModel(export(fitted, {**params, **dict(zip(EXPORTED, key, strict=True))}))
                    proses = [self.signals(d.text).prose for d in tested]
                    verdicts[key] = [models[key].verdict(prose) if prose else None for prose in proses]
                for document, verdict in zip(tested, verdicts[key], strict=True):
                    expected = None if document.label == NONE else document.label
                    diagnosis = self.matcher.decide(self.signals(document.text), verdict, params=decision)
                    got = diagnosis.best.id if diagnosis.best else None
                    scores[document.kind].add(document.origin, expected, got)
        return results


    def example_problems(self, params: dict[str, Any]) -> list[str]:
        """What kb validate would say with a model built under `params` from every training text
        (as `kb build` builds it): the entries' own examples, and the uninformative texts."""
        key = json.dumps({k: v for k, v in params.items() if k not in EXPORTED and k not in DECISION}, sort_keys=True)
        if key not in self._fitted:
            self._fitted[key] = fit(self.documents, params)
        model = ProseModel(export(self._fitted[key], params))

        def diagnose(text: str):
            signals = self.signals(text)
            verdict = model.verdict(signals.prose) if signals.prose else None
            return self.matcher.decide(signals, verdict, params=params)

        return example_problems(self.matcher.knowledge, diagnose)


DECISION = ("threshold", "against_none", "agreement_bonus", "none_veto", "veto_proof", "against_none_fitting",
            "threshold_fitting")  # no refit either


def all_documents(knowledge) -> list[Document]:
    return knowledge_documents(knowledge, none_examples(knowledge.directory)) + corpus_documents(
        training_corpus(knowledge.directory)
    )


def cross_validate(params: dict[str, Any]) -> dict[str, Score]:
    knowledge = load_knowledge()
    validation = CrossValidation(Matcher(knowledge, prose=None), all_documents(knowledge))
    return validation.run(params, [params])[0][1]


def tune(base: dict[str, Any], goal: float = NONE_KEPT_GOAL) -> dict[str, Any]:
    """The setting with the best cross-validated corpus top-1 among those keeping `goal` of "none".

    "none" kept counts the corpus's confusers and knowledge/examples/none.yaml together. Where no
    setting reaches the goal, the highest of the floors 0.90, 0.85, 0.80 that some setting reaches
    takes its place: a false cause costs a user more than an honest "no known cause".
    """
    knowledge = load_knowledge()
    validation = CrossValidation(Matcher(knowledge, prose=None), all_documents(knowledge))
    tried: list[tuple[float, float, float, dict]] = []
    # Features and training (a refit each), then calibration and the matcher's decision (cheap).
    # Measured on 2026-12-01 and left out of the grid (no gain beyond a text or two either way):
    # C 1 and 10, balanced class weights, corpus weight 2, entry weight 1, near misses left out,
    # the signatures hit as features; character n-grams [] and [3, 5] were worse or no better.
    # 2026-12-02, left out: features scaled per text (norm "l2", 1/sqrt(n) for n features) with
    # C 20, 40, 100 and norm_floor 1, 30, 60: with no floor a bare "502 error" read as a confident
    # cause, with a floor of 30 "Internal server error" still did (see params.yaml); to try again,
    # add ("l2", 30, 40.0). Concept words (one token for "slow", "hangs", "lento"...) gave the
    # prose layer alone no gain in CV.
    # 2026-12-02 (third session): the prose layer alone, in CV on the training part, ranked
    # better without character n-grams, with C 1, and with Complement Naive Bayes beside the
    # regression (cnb_alpha; a helper's comparison of about twenty learner and feature settings, three
    # fold seeds): those join the grid, and the rule below chooses among them all. Tried beside
    # it and left out: Naive Bayes at a quarter of the mean (cnb_weight 0.25, C 1 and 3, the
    # same decisions and temperatures): the best at the 0.85 floor has top-1 0.624, under the
    # regression's 0.642 there.
    # 2026-12-03 (seventh session): Naive Bayes left the grid (it reached no floor in the three
    # runs it was in: "none" kept 0.75 at most); to try it again, add ([], 1.0, 0.3).
    training_grid = [(None, 1, ngrams, c, base["weights"]["near_miss"], cnb)
                     for ngrams, c, cnb in (([4, 4], 3.0, None), ([4, 4], 1.0, None), ([], 1.0, None),
                                            ([], 3.0, None))]
    # (none_bias, threshold, against_none, none_veto, veto_proof). veto_proof stays 0.8: 0.95 let
    # the veto drop the demo's "Malformed Lambda proxy response" (a test failed): a precise log
    # line must stand.
    # With Complement Naive Bayes the probabilities are sharper than the regression's alone (its
    # log-likelihoods add up over every word): temperatures 2 and 3 and a "none" bias of 2 are
    # tried as well (the first run's best with it kept 0.74 of "none" at most).
    # 2026-12-03: words naming an entry that can give the status the text names ("504 from API
    # Gateway"; a pasted response) may pass a lower gate, (against_none_fitting, threshold_fitting),
    # None: the plain gate's. To keep the grid's time, prune 0.1 left it then (the runs recorded in
    # params.yaml chose 0.03).
    decision_grid = list(itertools.product((-0.5, 0.0, 0.5, 1.0, 2.0), (0.0, 0.2, 0.3), (0.6, 0.7, 0.8, 0.85, 0.9, 0.95),
                                           (0.8, 0.9, 0.95), (0.8,)))
    for norm, floor, char_ngrams, c, near_miss, cnb in training_grid:
        params = {**base, "C": c, "char_ngrams": char_ngrams, "norm": norm, "norm_floor": floor,
                  "cnb_alpha": cnb, "weights": {**base["weights"], "near_miss": near_miss}}
        temperatures = (1.0, 2.0, 3.0) if cnb is not None else (1.0,)
        decisions = [{**params, "none_bias": bias, "threshold": t, "against_none": against, "none_veto": veto,
                      "veto_proof": proof, "prune": prune, "temperature": temperature,
                      "against_none_fitting": against if fit_against is None else fit_against,
                      "threshold_fitting": t if fit_threshold is None else fit_threshold}
                     for bias, t, against, veto, proof in decision_grid for prune in PRUNES
                     for temperature in temperatures for fit_against, fit_threshold in FITTING_GRID]
        for decision, scores in validation.run(params, decisions):
            corpus, none_file = scores["corpus"], scores["none"]
            kept = (corpus.none_kept + none_file.none_kept) / max(1, corpus.none_total + none_file.none_total)
            tried.append((corpus.top1, kept, scores["example"].top1, decision))
        print(f"  {_short(params)}: best top-1 so far {max(t[0] for t in tried):.3f}", flush=True)
    for floor in (0.80, 0.85, 0.88, 0.90, 0.92, 0.95):
        fitting = [t for t in tried if t[1] >= floor]
        if fitting:
            top1, kept, examples, decision = max(fitting, key=lambda t: (t[0], t[1], t[2]))
            print(f"  none kept >= {floor}: top-1 {top1:.3f}, kept {kept:.3f}, examples {examples:.3f}: {_short(decision)}")
    for top1, kept, examples, decision in _frontier(tried):
        print(f"  frontier: none kept {kept:.3f}, top-1 {top1:.3f}, examples {examples:.3f}: {_short(decision)}")
    # The rule: the highest floor some setting reaches, then the best top-1; a setting must also
    # pass kb validate's example check, tried in that order (the 80 best per floor).
    for floor in (goal, 0.90, 0.85, 0.80):
        fitting = sorted((t for t in tried if t[1] >= floor), key=lambda t: (-t[0], -t[1], -t[2]))
        for top1, kept, _examples, decision in fitting[:80]:
            problems = validation.example_problems(decision)
            print(f"  floor {floor}: top-1 {top1:.3f}, kept {kept:.3f}: {len(problems)} kb validate problem(s)"
                  f" {problems[:2]}: {_short(decision)}", flush=True)
            if not problems:
                return decision
    return max(tried, key=lambda t: (t[1], t[0]))[3]


def _frontier(tried: list[tuple[float, float, float, dict]]) -> list[tuple[float, float, float, dict]]:
    """The settings no other beats on both top-1 and "none" kept, most "none" kept first."""
    ordered = sorted(tried, key=lambda t: (-t[1], -t[0], -t[2]))
    front, best = [], -1.0
    for entry in ordered:
        if entry[0] > best:
            front.append(entry)
            best = entry[0]
    return front


def _short(params: dict[str, Any]) -> str:
    keys = ("norm", "norm_floor", "C", "cnb_alpha", "min_count", "char_ngrams", "temperature", "prune", "none_bias", "threshold", "against_none",
            "against_none_fitting", "threshold_fitting", "agreement_bonus", "none_veto", "veto_proof")
    return " ".join(f"{k}={params.get(k)}" for k in keys) + f" weights={params['weights']}"


def heldout_score() -> Score:
    """The shipped matcher (model trained on the whole training part) on the held-out texts."""
    import yaml

    knowledge = load_knowledge()
    files = corpus_files(knowledge.directory)
    if files is None:
        raise SystemExit("no corpus beside this knowledge folder")
    corpus, heldout = files
    names = heldout_names(heldout)
    matcher = Matcher(knowledge)
    score = Score()
    for item in yaml.safe_load(corpus.read_text(encoding="utf-8")):
        if item["name"] in names:
            best = matcher.diagnose(item["text"]).best
            score.add(item["name"], item["cause"], best.id if best else None)
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tune", action="store_true", help="choose parameters by cross-validation")
    parser.add_argument("--write", action="store_true", help="with --tune: write them to params.yaml")
    parser.add_argument("--heldout", action="store_true", help="score the held-out part (no tuning)")
    parser.add_argument("--misses", action="store_true", help="list the cross-validation misses")
    args = parser.parse_args()
    knowledge = load_knowledge()
    params = load_params(knowledge.directory)
    if args.heldout:
        print(heldout_score().line("held-out"))
        return 0
    if args.tune:
        params = tune(params)
        print("chosen:", _short(params))
        if args.write:
            write_params(knowledge.directory, params)
    scores = cross_validate(params)
    for kind in ("corpus", "example", "none"):
        print(scores[kind].line(f"{FOLDS}-fold CV, {kind} texts"))
        if args.misses:
            for miss in scores[kind].misses:
                print("   ", miss)
    return 0


def _pad(match: re.Match[str], value: str) -> str:
    """The spaces after a rewritten value that keep its line's comment where it was."""
    if not match.group(3):
        return ""
    return " " * max(1, len(match.group(2)) + len(match.group(3)) - len(value))


def write_params(directory: str, params: dict[str, Any]) -> None:
    """Rewrite the values in params.yaml, keeping its comments."""

    path = Path(directory) / "prose" / "params.yaml"
    text = path.read_text(encoding="utf-8")
    flat = {k: v for k, v in params.items() if k != "weights"} | {f"weights.{k}": v for k, v in params["weights"].items()}
    if flat.get("norm") and not re.search(r"(?m)^norm:", text):
        text = re.sub(r"(?m)^(C:.*\n)", r"\1norm: l2              # each feature of a text of n features counts 1/sqrt(n)\n",
                      text, count=1)
    if flat.get("norm_floor", 1) != 1 and not re.search(r"(?m)^norm_floor:", text):
        text = re.sub(r"(?m)^(norm:.*\n)", r"\1norm_floor: 1         # ... and a text counts at least this many features\n",
                      text, count=1)
    if flat.get("cnb_alpha") is not None and not re.search(r"(?m)^cnb_alpha:", text):
        text = re.sub(r"(?m)^(C:.*\n)", r"\1cnb_alpha: 0.3        # Complement Naive Bayes beside the regression, its smoothing\n",
                      text, count=1)
    for key, value in flat.items():
        name = key.split(".")[-1]
        indent = "  " if "." in key else ""
        shown = json.dumps(value) if isinstance(value, list) or value is None else str(value)
        text = re.sub(rf"(?m)^({indent}{name}:[ ]*)(\[[^\]\n]*\]|\S+)( *)",
                      lambda m, v=shown: m.group(1) + v + _pad(m, v), text, count=1)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    raise SystemExit(main())
