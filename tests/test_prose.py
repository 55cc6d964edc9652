"""The prose layer: its features, its model file kept in step with the data, and learning from data."""

from __future__ import annotations

import math
import shutil
import time

import pytest

from bot.core.kb.knowledge import load_knowledge
from bot.core.matching.matcher import Matcher
from bot.core.prose.build import model_is_current, training_corpus
from bot.core.prose.model import load_model
from bot.core.prose.tokens import features

from .conftest import ROOT


def names(text: str) -> set[str]:
    return set(features(text).names)


@pytest.mark.parametrize("text", ["29 s", "29 seconds", "29000 ms", "30s", "29.5 sec", "30 secondi"])
def test_durations_near_the_integration_timeout_fold_into_one_feature(text):
    assert "dur:28-31s" in names(f"it stops after {text}")


@pytest.mark.parametrize("text", ["3 seconds", "3.00 seconds", "3000 ms", "3s", "3 secondi"])
def test_durations_at_the_default_function_timeout_fold_into_one_feature(text):
    assert "dur:1-4s" in names(f"Task timed out after {text}")


@pytest.mark.parametrize("text", ["6MB", "6 MB", "6291556 bytes", "6 mb"])
def test_sizes_near_the_lambda_payload_limit_fold_into_one_feature(text):
    assert "size:6mb" in names(f"the response is over {text}")


def test_status_codes_error_names_and_phrasings_are_features():
    found = names("API Gateway returns 502 Bad Gateway; errorType Runtime.ImportModuleError and "
                  "TooManyRequestsException; it timed out")
    assert {"status:502", "badgateway", "err:runtime.importmoduleerror",
            "err:toomanyrequestsexception", "timeout"} <= found
    assert "status:443" not in names("connecting to port 443")


def test_quantities_are_found_as_the_plain_pattern_finds_them():
    """tokens._NUMBER_UNIT takes its number possessively and looks ahead for a unit's first letter
    (for speed on logs): on any text it finds exactly what the plain pattern does."""
    import random
    import re

    from bot.core.prose import tokens

    units = tokens._NUMBER_UNIT.pattern.split(" ?(", 1)[1]  # the units and what follows them
    plain = re.compile(r"(?<![\w.])(\d{1,9}(?:[.,]\d{1,3})?) ?(" + units, re.IGNORECASE)
    pieces = ["1", "29", "0", "9", ".", ",", " ", "ms", "s", "sec", "m", "min", "mb", "KB", "GiB",
              "b", "x", "é", "_", "\n", "ſ", "\u212a", "secondi", "mil", "milliseconds", "ミリ秒",
              "毫秒", "秒", "分钟", "3.00 ", "6291556 bytes"]
    rng = random.Random(11)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        expected = [(m.span(), m.groups()) for m in plain.finditer(text)]
        assert [(m.span(), m.groups()) for m in tokens._NUMBER_UNIT.finditer(text)] == expected, text


def test_character_ngrams_come_from_whole_words_of_letters_as_the_plain_pattern_finds_them():
    """The words whose n-grams are features are taken from the word loop, not from a second
    regex scan: on any text they are exactly the plain pattern's, in the same order."""
    import random
    import re

    from bot.core.prose import tokens

    letters = re.compile(r"(?<![^\W_])[^\W\d_]{3,40}(?![^\W_])")

    def expected(text: str) -> list[str]:
        lowered = text
        cjk = not text.isascii() and tokens._cjk().search(text) is not None
        if cjk:
            lowered = tokens._cjk().sub(lambda m: f" {m.group(0)} ", lowered)
        lowered = lowered.lower()
        for literal, pattern, replacement in tokens._PHRASES:
            if literal in lowered:
                lowered = pattern.sub(replacement, lowered)
        names: dict[str, None] = {}
        for word in dict.fromkeys(letters.findall(lowered)):
            if word in tokens._STOP or (cjk and tokens._cjk().search(word)):
                continue
            names.update(dict.fromkeys(tokens._char_ngrams(word, (3, 5))))
        return list(names)

    pieces = ["time", "out", "timed out", "Lambda", "l'", "integrazione", "'", "_", "2", "²", "Ⅻ",
              "x" * 41, "abc", "ab", " ", "\n", "-", "APIゲートウェイ", "エラー", "日本", "é", "İ",
              "ß", "the", "and", "bad gateway", "b3JpZ2lu", "naïve", "٣", "rock'n'roll"]
    rng = random.Random(7)
    for _ in range(5_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        got = [name for name in tokens.features(text, char_ngrams=(3, 5)).names if name.startswith("c:")]
        assert got == expected(text), text


def test_ids_hashes_and_timestamps_carry_no_feature():
    found = names("2024-05-20T11:02:44.990Z c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f k1k7gu3ct7 123456789012")
    assert not found


def test_words_fold_plural_and_italian_forms_and_keep_pairs():
    assert {"timeout", "funzion", "funzion_timeout"} <= names("la funzione timeouts")
    assert "funzion" in names("le funzioni")
    assert "integraz" in names("l'integrazione")


def test_japanese_and_chinese_text_gives_character_pairs():
    found = names("APIゲートウェイで502エラーが発生します")
    assert {"status:502", "api", "cjk:エラ", "cjk:発生"} <= found


def test_features_are_linear_time_on_pathological_input():
    for text in ("a" * 1_000_000, "1 " * 500_000, "Aa" * 500_000 + "Exception", "。" * 1_000_000,
                 ("x" * 60 + "Error ") * 15_000):
        started = time.perf_counter()
        features(text)
        assert time.perf_counter() - started < 5.0  # generous: a quadratic pattern takes minutes


def test_the_shipped_model_is_in_step_with_the_knowledge_and_the_training_corpus():
    current, path = model_is_current()
    assert current, f"{path} is stale: run `badgateway kb build` (or `make index`)"


def test_the_model_never_trains_on_the_held_out_part(knowledge):
    import yaml

    heldout = set(yaml.safe_load((ROOT / "tests" / "corpus" / "heldout.yaml").read_text())["names"])
    trained = {item["name"] for item in training_corpus(knowledge.directory)}
    assert heldout and not heldout & trained


def test_a_verdict_names_the_words_that_drove_it(knowledge):
    model = load_model(knowledge.directory)
    assert model is not None
    verdict = model.verdict("Task timed out after 3.00 seconds, the function's timeout is too short")
    assert verdict.scores and verdict.scores[0].entry == "function-timeout"
    assert verdict.scores[0].words


def test_an_example_added_to_an_entry_is_learnt_without_code_changes(tmp_path):
    """Copy the knowledge base, add a made-up phrasing to one entry, rebuild: it is recognised."""
    pytest.importorskip("sklearn")
    import yaml

    from bot.core.prose.build import build_artefact, serialise

    copy = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", copy)
    phrase = "the zorblax flux capacitor quibbles again"
    entry_file = copy / "runtime-exit.yaml"
    document = yaml.safe_load(entry_file.read_text(encoding="utf-8"))
    before = Matcher(load_knowledge(copy, use_cache=False)).diagnose(phrase)
    assert not before.found
    document["examples"]["match"] += [
        {"source": "written", "text": f"{phrase} and the function crashes"},
        {"source": "written", "text": f"whenever {phrase}, the runtime exits with a crash"},
        {"source": "written", "text": f"zorblax {phrase}"},
    ]
    entry_file.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    knowledge = load_knowledge(copy, use_cache=False)
    artefact, path = build_artefact(str(copy))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(serialise(artefact))
    after = Matcher(knowledge, prose=load_model(str(copy))).diagnose(phrase)
    assert after.best is not None and after.best.id == "runtime-exit"
    assert any("zorblax" in word for word in after.best.keywords)


def test_character_ngrams_are_word_bounded_and_only_when_the_model_asks():
    assert not any(name.startswith("c:") for name in names("the lambda timout"))
    typo = set(features("the lambda timout", char_ngrams=(4, 4)).names)
    right = set(features("the lambda timeout", char_ngrams=(4, 4)).names)
    assert {"c:<tim", "c:out>", "c:<lam", "c:bda>"} <= typo
    assert "timout" in typo and "timeout" not in typo  # the stems differ, the n-grams overlap
    assert {"c:<tim", "c:out>"} <= right
    inside = set(features("token IQoJb3JpZ2luX2VjEkLHVu deadbeefcafe", char_ngrams=(4, 4)).names)
    assert {"c:<tok", "c:ken>"} <= inside and not {"c:<jpz", "c:<luxe", "c:<vjek"} & inside
    assert not any(name.startswith("c:") and "。" in name
                   for name in features("APIゲートウェイ。", char_ngrams=(3, 5)).names)


def _toy_documents():
    from bot.core.prose.train import Document

    texts = {
        "function-timeout": ["task timed out after 3 seconds", "the function times out", "timeout at 3s"],
        "payload-too-large": ["response over 6 mb", "payload too large for lambda", "body exceeds 6mb"],
        "none": ["missing authentication token 403", "stack update rate exceeded", "cors preflight 403"],
    }
    return [Document(text, label, "example", f"{label}#{number}")
            for label, items in texts.items() for number, text in enumerate(items)]


def test_calibration_is_folded_into_the_weights():
    """softmax((w.x + b) / T + bias on "none") is what the exported model scores: no runtime cost."""
    pytest.importorskip("sklearn")
    import math

    from bot.core.prose.model import ProseModel
    from bot.core.prose.train import export, fit

    params = {"C": 3.0, "min_count": 1, "prune": 0.0, "weights": {"example": 1.0}}
    fitted = fit(_toy_documents(), params)
    plain = ProseModel(export(fitted, params))
    calibrated = ProseModel(export(fitted, {**params, "temperature": 2.0, "none_bias": 1.5}))
    text = "the function timed out after 3 seconds"
    logits = plain._intercepts[:]
    for name in features(text).names:
        for index, weight in plain.weights_of(name):
            logits[int(index)] += weight
    shifted = [value / 2.0 + (1.5 if plain.classes[i] == "none" else 0.0) for i, value in enumerate(logits)]
    norm = sum(math.exp(value) for value in shifted)
    expected = math.exp(shifted[plain.classes.index("function-timeout")]) / norm
    verdict = calibrated.verdict(text, floor=0.0)
    got = next(score.probability for score in verdict.scores if score.entry == "function-timeout")
    assert got == pytest.approx(expected, abs=2e-3)
    assert verdict.none_probability > plain.verdict(text).none_probability  # the bias moved mass to none


@pytest.mark.parametrize("floor", [1, 12])
def test_a_scaled_model_scores_as_scikit_learn_does(floor):
    """norm l2: each of a text's n features counts 1/sqrt(max(n, norm_floor)), in training and in
    plain-Python scoring alike; a long text's words do not pile up into certainty, and a short
    one's few do not either."""
    pytest.importorskip("sklearn")
    from bot.core.prose.model import ProseModel
    from bot.core.prose.train import export, fit

    params = {"C": 20.0, "min_count": 1, "prune": 0.0, "weights": {"example": 1.0}, "norm": "l2",
              "norm_floor": floor}
    fitted = fit(_toy_documents(), params)
    model = ProseModel(export(fitted, params))
    short = "the function timed out"
    for text in (short, short + " after 3 seconds, every call, since the deploy of the new version"):
        present = features(text).names
        scale = max(len(present), floor) ** -0.5
        # scikit-learn's own coefficients, the text's known features scaled by all it has
        known = [fitted.vocabulary.index(name) for name in present if name in fitted.vocabulary]
        logits = [float(fitted.intercepts[k]) + scale * sum(float(fitted.coefficients[k][j]) for j in known)
                  for k in range(len(fitted.classes))]
        by_hand = [math.exp(value - max(logits)) for value in logits]
        expected = by_hand[model.classes.index("function-timeout")] / sum(by_hand)
        got = next(s.probability for s in model.verdict(text, floor=0.0).scores if s.entry == "function-timeout")
        assert got == pytest.approx(expected, abs=2e-4)
    unscaled = ProseModel(export(fit(_toy_documents(), {**params, "norm": None}), params))
    assert unscaled.verdict(short, floor=0.0).scores != model.verdict(short, floor=0.0).scores


def test_with_complement_nb_the_model_scores_the_geometric_mean_of_both_learners():
    """cnb_alpha: the exported model (one linear model, scored as always) gives the normalised
    geometric mean of scikit-learn's logistic regression and Complement Naive Bayes."""
    pytest.importorskip("sklearn")
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB

    from bot.core.prose.model import ProseModel
    from bot.core.prose.train import export, fit

    params = {"C": 3.0, "min_count": 1, "prune": 0.0, "weights": {"example": 1.0}, "cnb_alpha": 0.3}
    documents = _toy_documents()
    model = ProseModel(export(fit(documents, params), params))
    vocabulary = sorted({name for d in documents for name in features(d.text).names})

    def row(text):
        present = set(features(text).names)
        return csr_matrix([[1.0 if name in present else 0.0 for name in vocabulary]])

    matrix = csr_matrix(np.vstack([row(d.text).toarray() for d in documents]))
    labels = [d.label for d in documents]
    regression = LogisticRegression(C=3.0, max_iter=5000, tol=1e-6).fit(matrix, labels)
    bayes = ComplementNB(alpha=0.3).fit(matrix, labels)
    for text in ("the function timed out", "payload over 6 mb", "missing authentication token"):
        mean = np.sqrt(regression.predict_proba(row(text))[0] * bayes.predict_proba(row(text))[0])
        expected = mean / mean.sum()
        verdict = model.verdict(text, floor=0.0)
        got = {score.entry: score.probability for score in verdict.scores}
        got["none"] = verdict.none_probability
        for number, klass in enumerate(regression.classes_):
            assert got[klass] == pytest.approx(expected[number], abs=2e-4), (text, klass)
    plain = ProseModel(export(fit(documents, {**params, "cnb_alpha": None}), params))
    assert plain.verdict("the function timed out", floor=0.0) != model.verdict("the function timed out", floor=0.0)


def test_a_model_scores_with_the_features_it_was_trained_on():
    pytest.importorskip("sklearn")
    from bot.core.prose.model import ProseModel
    from bot.core.prose.train import train

    params = {"C": 3.0, "min_count": 1, "prune": 0.0, "weights": {"example": 1.0}, "char_ngrams": [4, 4]}
    model = ProseModel(train(_toy_documents(), params))
    assert any(name.startswith("c:") for name in model.feature_names())
    verdict = model.verdict("the functon timedout")  # typos: only the n-grams are shared
    assert verdict.feature_count > 0


@pytest.mark.parametrize("text, token", [
    ("29 segundos", "dur:28-31s"), ("29 Sekunden", "dur:28-31s"), ("30 secondes", "dur:28-31s"),
    ("29秒でタイムアウト", "dur:28-31s"), ("超时 30秒钟", "dur:28-31s"), ("3000 Millisekunden", "dur:1-4s"),
    ("3000 milisegundos", "dur:1-4s"), ("3000ミリ秒", "dur:1-4s"), ("15 minutos", "dur:2-15min"),
    ("15分钟", "dur:2-15min"),
])
def test_durations_in_other_languages_fold_like_seconds(text, token):
    assert token in names(f"API Gateway: {text}")


def _verdict(entry: str, probability: float, none: float):
    from bot.core.prose.model import ProseScore, ProseVerdict

    return ProseVerdict(scores=(ProseScore(entry=entry, probability=probability, words=("timeout",)),),
                        none_probability=none, feature_count=3)


def test_a_prose_match_must_be_far_likelier_than_none(knowledge):
    matcher = Matcher(knowledge, prose=None)
    signals = matcher.signals("our endpoint keeps failing and we do not know why")
    params = {"threshold": 0.3, "against_none": 0.95}
    assert not signals.hits
    unsure = matcher.decide(signals, _verdict("function-timeout", 0.55, 0.40), params=params)
    assert unsure.best is None  # likely, but "none" is nearly as likely: no answer
    sure = matcher.decide(signals, _verdict("function-timeout", 0.55, 0.01), params=params)
    assert sure.best is not None and sure.best.id == "function-timeout" and sure.best.keywords
    low = matcher.decide(signals, _verdict("function-timeout", 0.25, 0.0), params=params)
    assert low.best is None  # under the threshold, however unlikely "none" is


def test_words_that_fit_the_status_described_need_less_against_none(knowledge):
    matcher = Matcher(knowledge, prose=None)
    described = matcher.signals("API Gateway answers 504 after 29 seconds, every time")
    plain = matcher.signals("our endpoint keeps failing after 29 seconds, every time")
    params = {"threshold": 0.3, "against_none": 0.95, "against_none_fitting": 0.6, "threshold_fitting": 0.2}
    verdict = _verdict("integration-timeout", 0.7, 0.2)  # share 0.78: under 0.95, over 0.6
    found = matcher.decide(described, verdict, params=params)
    assert found.observed is not None and found.observed.status == 504
    assert found.best is not None and found.best.id == "integration-timeout"
    assert matcher.decide(plain, verdict, params=params).best is None  # no status named: 0.95 holds
    # An entry that cannot give a 504 behind API Gateway keeps the strict gate.
    assert matcher.decide(described, _verdict("malformed-proxy-response", 0.7, 0.2), params=params).best is None
    # A fitting entry's own probability threshold (0.2) is lower, and still holds.
    assert matcher.decide(described, _verdict("integration-timeout", 0.25, 0.0), params=params).best is not None
    assert matcher.decide(described, _verdict("integration-timeout", 0.15, 0.0), params=params).best is None
    # Absent, both default to the plain gate.
    assert matcher.decide(described, verdict, params={"threshold": 0.3, "against_none": 0.95}).best is None


def test_the_none_veto_drops_a_marker_unless_it_weighs_veto_proof(knowledge):
    matcher = Matcher(knowledge, prose=None)
    signals = matcher.signals("Task timed out after 3.00 seconds")
    strongest = max(h.signature.weight * h.similarity for h in signals.hits["function-timeout"])
    verdict = _verdict("function-timeout", 0.05, 0.90)  # the words say "none" first, far more
    params = {"threshold": 0.3, "against_none": 0.95, "none_veto": 0.9}
    assert matcher.decide(signals, verdict, params={**params, "veto_proof": 1.01}).best is None
    kept = matcher.decide(signals, verdict, params={**params, "veto_proof": strongest})
    assert kept.best is not None and kept.best.id == "function-timeout"
    agreeing = matcher.decide(signals, _verdict("function-timeout", 0.5, 0.45), params={**params, "veto_proof": 1.01})
    assert agreeing.best is not None  # "none" first but not far likelier than the entry: no veto


def test_a_match_from_words_alone_says_no_log_line_proves_it(knowledge):
    import json

    from bot.core.kb.messages import LABELS
    from bot.render.text import render_diagnosis
    from bot.slack.rendering.blocks import render_diagnosis as render_blocks

    matcher = Matcher(knowledge, prose=None)
    params = {"threshold": 0.3, "against_none": 0.95}
    words = matcher.decide(matcher.signals("our endpoint keeps failing"), _verdict("function-timeout", 0.6, 0.01),
                           params=params)
    logged = matcher.decide(matcher.signals("Task timed out after 3.00 seconds"), None, params=params)
    assert words.best.id == logged.best.id == "function-timeout"
    for lang in ("en", "it"):
        said = LABELS[lang]["words_only"]
        assert said in render_diagnosis(words._replace(language=lang))
        assert said in json.dumps(render_blocks(words._replace(language=lang)).blocks, ensure_ascii=False)
        assert said not in render_diagnosis(logged._replace(language=lang))
