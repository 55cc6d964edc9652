"""The fuzzy pass's shortcut gives rapidfuzz's own answer: for every fuzzy literal of the
knowledge base, on every text of the corpus and the entries' examples, and on lines made to sit
just above and below the cutoff (a literal with a few characters changed, cut at a line's
start or end, lines shorter than the literal)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz, process

from bot.core.kb.knowledge import load_knowledge
from bot.core.matching.fuzzy import FuzzyLines, Literals
from bot.core.matching.matcher import FUZZY_CUTOFF

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


@pytest.fixture(scope="module")
def literals(knowledge) -> list[str]:
    found = [s.literal.lower() for e in knowledge.entries for s in e.signatures if s.fuzzy and s.literal]
    assert len(found) >= 20
    return found


def _plain(literal: str, lines: list[str]) -> tuple[float, int] | None:
    found = process.extractOne(literal, lines, scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF)
    return None if found is None else (found[1], found[2])


def _candidates(text: str) -> list[str]:
    return [line[:600].lower() for line in text.splitlines() if len(line.strip()) >= 12]


def _same_everywhere(literals: list[str], texts: list[str]) -> tuple[int, int]:
    compared = matched = 0
    for text in texts:
        lines = _candidates(text)
        if not lines:
            continue
        fuzzy = FuzzyLines(lines, Literals(literals), FUZZY_CUTOFF)
        for literal in literals:
            expected = _plain(literal, lines)
            assert fuzzy.best(literal) == expected, (literal, text[:200])
            compared += 1
            matched += expected is not None
    return compared, matched


def test_the_same_answer_on_every_real_text(knowledge, literals):
    corpus = yaml.safe_load((ROOT / "tests" / "corpus" / "real_world.yaml").read_text(encoding="utf-8"))
    texts = [item["text"] for item in corpus]
    texts += [text for entry in knowledge.entries for text in entry.examples_match]
    compared, matched = _same_everywhere(literals, texts)
    assert compared > 50_000 and matched > 100  # the comparison saw real matches, not only misses


def _mutated(literal: str, rng: random.Random) -> str:
    chars = list(literal)
    for _ in range(rng.randint(0, max(1, len(chars) // 6))):
        position = rng.randrange(len(chars))
        action = rng.choice("sdi")
        if action == "s":
            chars[position] = rng.choice("abcdefghijklmnopqrstuvwxyz ")
        elif action == "d" and len(chars) > 1:
            del chars[position]
        else:
            chars.insert(position, rng.choice("abcdefghijklmnopqrstuvwxyz "))
    return "".join(chars)


def test_the_same_answer_near_the_cutoff_and_at_line_edges(literals):
    rng = random.Random(20261202)
    filler = "the request to the api returned an error while the function ran again and again"
    texts = []
    for number in range(400):
        literal = literals[number % len(literals)]  # each literal, the longest too
        variant = _mutated(literal, rng)
        cut = rng.randint(len(variant) * 3 // 4, len(variant))
        lines = [
            variant[-cut:] + " " + filler[: rng.randint(0, 60)],  # the literal's end opens a line
            filler[: rng.randint(0, 60)] + " " + variant[:cut],  # its start closes one
            variant[: rng.randint(12, max(12, len(variant) - 1))],  # a line shorter than it
            literal[: len(literal) - rng.randint(1, 3)],  # ... by a character or three
            filler[: rng.randint(12, len(filler))],
        ]
        rng.shuffle(lines)
        texts.append("\n".join(lines))
        # only a piece of the literal, on a line of its own: the joined lines then score low,
        # and the piece is found as the needle (the short-line screen)
        start = rng.randint(0, len(literal) // 3)
        piece = _mutated(literal[start : start + rng.randint(12, max(12, len(literal) - start - 1))], rng)
        texts.append("\n".join([filler[: rng.randint(12, len(filler))], piece, filler[rng.randint(0, 40):]]))
    _, matched = _same_everywhere(literals, texts)
    assert matched > 300  # most variants still match somewhere: the cutoff's edge was tested
