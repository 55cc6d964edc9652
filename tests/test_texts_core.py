"""The core's sentences (knowledge/texts/core/): both languages, the same {names}, and used."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from bot.core.kb import messages
from bot.core.kb.knowledge import KnowledgeError

ROOT = Path(__file__).resolve().parents[1]


def names(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def all_texts():
    for section, items in messages.read_sections(messages._folder()).items():
        for key, text in items.items():
            yield f"{section}.{key}", text


@pytest.mark.parametrize("text_id, text", list(all_texts()))
def test_both_languages_fill_in_the_same_names(text_id, text):
    assert text["en"].strip() and text["it"].strip()
    assert names(text["en"]) == names(text["it"]), text_id


def test_every_label_and_step_is_used_by_the_code():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "bot").rglob("*.py"))
    for label in messages.LABELS["en"]:
        assert f"['{label}']" in code or f'["{label}"]' in code, label
    for topic in messages.STEPS:
        assert f'"{topic}"' in Path(messages.__file__).read_text(encoding="utf-8"), topic


def test_a_text_without_italian_is_refused(tmp_path):
    (tmp_path / "broken.yaml").write_text("labels:\n  why:\n    en: Why\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"labels\.why needs en and it"):
        messages.read_sections(str(tmp_path))


def test_a_knowledge_folder_of_ones_own_without_texts_uses_the_shipped_ones(tmp_path):
    import os
    import shutil
    import subprocess
    import sys

    for entry in (ROOT / "knowledge").glob("*.yaml"):
        shutil.copy(entry, tmp_path / entry.name)
    env = {**os.environ, "BADGATEWAY_KNOWLEDGE_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "bot", "diagnose", "-", "--lang", "it"],
                            input="Task timed out after 3.00 seconds", capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Come risolvere" in result.stdout and "[function-timeout]" in result.stdout
