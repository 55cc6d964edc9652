"""The words of a trace, in English and Italian: knowledge/texts/trace/*.yaml, read on first use.

The format is knowledge/texts/README.md's: sections of ids, each with `en` and `it`; `{name}` is
filled by the code, with a value that may itself be in both languages ({"en": ..., "it": ...}).
"""

from __future__ import annotations

import os
import threading
from typing import Any

from bot.trace.model import Said

LANGS = ("en", "it")
_texts: dict[str, dict[str, str]] = {}
_lock = threading.Lock()


def text(lang: str, key: str, **values: Any) -> str:
    """The sentence `key` in `lang` (English when unknown), its {names} filled in."""
    lang = lang if lang in LANGS else "en"
    written = all_texts()[key][lang]
    return written.format(**{name: _in(value, lang) for name, value in values.items()}) if values else written


def said(lang: str, sentence: Said) -> str:
    return text(lang, sentence.key, **sentence.values)


def _in(value: Any, lang: str) -> str:
    """A value to fill in, redacted: names and messages come from AWS (bot.core.redact)."""
    from bot.core.redact import redact

    if isinstance(value, dict) and "en" in value:
        return redact(str(value.get(lang) or value["en"]))
    return "" if value is None else redact(str(value))


def all_texts() -> dict[str, dict[str, str]]:
    if not _texts:
        with _lock:
            if not _texts:
                _texts.update(read_folder(folder()))
    return _texts


def folder() -> str:
    from bot.core.kb.knowledge import knowledge_dir

    return os.path.join(knowledge_dir(), "texts", "trace")


def read_folder(path: str) -> dict[str, dict[str, str]]:
    """Every text of the folder by id; KnowledgeError when one lacks a language or is there twice."""
    from bot.core.kb.knowledge import KnowledgeError, entry_files, read_documents

    files = entry_files(path)
    if not files:
        raise KnowledgeError(f"{path}: no texts (*.yaml); the trace texts ship with the knowledge base")
    found: dict[str, dict[str, str]] = {}
    for file, document in zip(files, read_documents(files, use_cache=True), strict=True):
        for section, items in (document or {}).items():
            for key, value in (items or {}).items():
                if key in found or not isinstance(value, dict) or not all(isinstance(value.get(x), str) for x in LANGS):
                    raise KnowledgeError(f"{file}: {section}.{key} is there twice or lacks en/it")
                found[key] = {lang: value[lang] for lang in LANGS}
    return found
