"""The Slack bot's texts (knowledge/texts/slack/): every text in English and Italian with the same
{names}, every id the code asks for is there, every text there is used, and they are read lazily."""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from pathlib import Path

import yaml

from bot.slack.rendering.texts import LANGS, read_texts, texts

from ..conftest import ROOT

FOLDER = ROOT / "knowledge" / "texts" / "slack"
CODE = sorted((ROOT / "bot" / "slack").rglob("*.py"))
ASKING = {"say", "template"}  # (lang, id, ...)


def names(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def code_strings() -> tuple[set[str], set[str]]:
    """(every string constant in bot/slack, the ids passed to say/template as literals)."""
    constants, asked = set(), set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ASKING and len(node.args) >= 2:
                key = node.args[1]
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    asked.add(key.value)
    return constants, asked


def test_every_text_is_in_both_languages_with_the_same_names():
    loaded = texts()
    assert len(loaded) >= 60
    for key, text in loaded.items():
        assert set(text) == set(LANGS), key
        assert all(text[lang].strip() for lang in LANGS), key
        assert names(text["en"]) == names(text["it"]), key
        assert text["en"] != text["it"] or re.fullmatch(r"[{}`/\w\s:.-]*", text["en"]), key  # translated


def test_every_id_asked_for_is_there_and_every_text_is_used():
    constants, asked = code_strings()
    loaded = texts()
    assert asked and not asked - set(loaded), sorted(asked - set(loaded))
    unused = sorted(key for key in loaded if key not in constants)
    assert not unused, f"texts no code uses: {unused}"


def test_ids_are_unique_across_files_and_sections():
    seen: dict[str, str] = {}
    for file in sorted(FOLDER.glob("*.yaml")):
        for section, items in yaml.safe_load(file.read_text(encoding="utf-8")).items():
            for key in items:
                assert key not in seen, f"{key} in {file.name} ({section}) and {seen[key]}"
                seen[key] = f"{file.name} ({section})"
    assert set(seen) == set(texts())


def test_a_text_in_one_language_only_is_refused(tmp_path):
    (tmp_path / "broken.yaml").write_text("part:\n  lonely:\n    en: only English\n", encoding="utf-8")
    from bot.core.kb.knowledge import KnowledgeError

    try:
        read_texts(str(tmp_path))
    except KnowledgeError as exc:
        assert "part.lonely needs en and it" in str(exc)
    else:
        raise AssertionError("a text without Italian was read")


def test_the_texts_ship_with_the_knowledge_base():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"share/badgateway/knowledge/texts/slack" = ["knowledge/texts/slack/*.yaml"]' in pyproject
    assert not any(Path(p).suffix == ".py" for p in map(str, FOLDER.iterdir()))


def test_the_texts_are_read_on_first_use_only():
    """Building the app's modules reads no text; the first `say` does (through the cached reader)."""
    script = ("import sys; import bot.slack.rendering.blocks, bot.slack.rendering.texts as t; "
              "assert not t._texts, 'read at import'; t.say('it', 'busy'); assert t._texts; print('ok')")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
