"""The trace's words (knowledge/texts/trace/): every id the code asks for is there in English and
Italian, both languages fill in the same {names}, and every text there is used."""

from __future__ import annotations

import re
import string
from pathlib import Path

from bot.trace.model import HOP_NAMES
from bot.trace.texts import all_texts, read_folder, text

ROOT = Path(__file__).resolve().parents[2]
SPEAKERS = [*sorted((ROOT / "bot" / "trace").rglob("*.py")), ROOT / "bot/slack/rendering/trace_blocks.py",
            ROOT / "bot/slack/listeners/slash_command.py", ROOT / "bot/slack/handling/slash.py"]
_ASKED = re.compile(r"""Said\(\s*"([a-z_]+)"|\btext\([^,()]+,\s*['"]([a-z_]+)['"]|problem="(trace_[a-z_]+)"|"""
                    r'"(access_on_[a-z]+)"')


def asked() -> set[str]:
    found: set[str] = set()
    for path in SPEAKERS:
        for groups in _ASKED.findall(path.read_text(encoding="utf-8")):
            found.update(group for group in groups if group)
    found.update(f"hop_{hop}" for hop in HOP_NAMES)
    found.update(f"status_{status}" for status in ("ok", "failed", "unknown"))
    return found


def names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_id_the_code_asks_for_is_there_in_both_languages() -> None:
    texts = all_texts()
    missing = asked() - set(texts)
    assert not missing
    for key, value in texts.items():
        assert value["en"].strip() and value["it"].strip(), key
        assert names(value["en"]) == names(value["it"]), key


def test_every_text_is_used() -> None:
    assert set(all_texts()) - asked() == set()


def test_values_in_both_languages_are_filled_per_language() -> None:
    message = {"en": "body must be a string", "it": "body deve essere di tipo stringa"}
    assert text("it", "response_problem", path="body", message=message).endswith("di tipo stringa")
    assert text("xx", "client_got", status=502) == "the client got 502"


def test_a_text_without_italian_is_refused(tmp_path) -> None:
    import pytest

    from bot.core.kb.knowledge import KnowledgeError

    (tmp_path / "a.yaml").write_text("s:\n  k:\n    en: only English\n", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        read_folder(str(tmp_path))
