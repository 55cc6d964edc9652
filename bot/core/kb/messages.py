"""The product's fixed sentences around the entries, in every supported language.

They are data: knowledge/texts/core/*.yaml (format in knowledge/texts/README.md), read once when
this module is imported, through the knowledge base's cached reader (a parsed copy in the cache
folder while the files are unchanged, so `diagnose` does not import yaml). The names below keep
the shapes the renderers read: NOTHING_FOUND[lang], LABELS[lang][label], STEPS[topic][lang].
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any


LANGS = ("en", "it")
TEXTS_FOLDER = "core"  # in <knowledge dir>/texts/


def read_sections(folder: str) -> dict[str, dict[str, dict[str, str]]]:
    """section -> id -> {"en": ..., "it": ...} for every file of `folder`; a section lives in one file."""
    from bot.core.kb.knowledge import KnowledgeError, entry_files, read_documents

    files = entry_files(folder)
    if not files:
        raise KnowledgeError(f"{folder}: no texts (*.yaml); they ship with the knowledge base")
    sections: dict[str, dict[str, dict[str, str]]] = {}
    for file, document in zip(files, read_documents(files, use_cache=True), strict=True):
        for section, items in (document or {}).items():
            if section in sections:
                raise KnowledgeError(f"{file}: section '{section}' is also in another file")
            for key, text in (items or {}).items():
                if not isinstance(text, dict) or not all(isinstance(text.get(lang), str) for lang in LANGS):
                    raise KnowledgeError(f"{file}: {section}.{key} needs en and it")
            sections[section] = {key: {lang: text[lang] for lang in LANGS} for key, text in items.items()}
    return sections


def _folder() -> str:
    """<knowledge dir>/texts/core; a knowledge folder of one's own without them uses the shipped ones."""
    from bot.core.kb.knowledge import knowledge_dir, shipped_knowledge_dir

    folder = os.path.join(knowledge_dir(), "texts", TEXTS_FOLDER)
    shipped = shipped_knowledge_dir()
    if os.path.isdir(folder) or not shipped:
        return folder
    return os.path.join(shipped, "texts", TEXTS_FOLDER)


def _by_lang(section: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {lang: {key: text[lang] for key, text in section.items()} for lang in LANGS}


_TEXTS: dict[str, Any] = read_sections(_folder())

NOTHING_FOUND = _TEXTS["diagnosis"]["nothing_found"]
OBSERVED = _TEXTS["diagnosis"]["observed"]
DESCRIBED = _TEXTS["diagnosis"]["described"]  # the same, for a response the words name
CONSISTENT = _TEXTS["diagnosis"]["consistent_with"]
CONSISTENT_MORE = _TEXTS["diagnosis"]["consistent_more"]
LABELS = _by_lang(_TEXTS["labels"])
STEPS = _TEXTS["next_steps"]  # topic -> lang -> one step
FRONT_NAMES = _TEXTS["front_names"]  # who answered, as the subject of OBSERVED
INTEGRATION_NAMES = _TEXTS["integration_names"]
SCAN_NOTES = _by_lang(_TEXTS["scan_notes"])  # what `diagnose` says about a big input it streamed

_TOPICS_BY_FRONT = {
    "rest": ("rest", "lambda"),
    "http": ("http", "lambda"),
    "alb": ("alb", "lambda"),
    "cloudfront": ("cloudfront", "lambda"),
    "function-url": ("lambda",),
    "api-gateway": ("rest", "http", "lambda"),  # described: REST or HTTP API not said
}
_DEFAULT_TOPICS = ("rest", "http", "alb", "lambda", "curl")  # no response pasted
_UNKNOWN_FRONT_TOPICS = ("rest", "http", "alb", "lambda")  # a response, from a server not known


def next_steps(front: str | None, lang: str, *, pasted: bool = True) -> tuple[str, ...]:
    """What to collect next, for the front door the response shows (None: no response known).

    `pasted` False: the front door is only described, so the response itself is asked for too."""
    topics = _TOPICS_BY_FRONT.get(front or "", _DEFAULT_TOPICS if front is None else _UNKNOWN_FRONT_TOPICS)
    if not pasted and "curl" not in topics:
        topics = (*topics, "curl")
    return tuple(STEPS[topic][lang] for topic in topics)


def client_statuses(entry, lang: str) -> str:
    """'REST API 500, HTTP API 500' (Italian: 'API REST 500, API HTTP 500') for an entry's applies_to."""
    return ", ".join(
        f"{INTEGRATION_NAMES.get(a.integration, {}).get(lang, a.integration)} {a.client_status}"
        for a in entry.applies_to
    )
