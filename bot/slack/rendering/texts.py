"""The sentences the Slack bot says, in English and Italian: knowledge/texts/slack/*.yaml.

Each file holds sections (for the people who edit them); inside a section each text has an id,
unique in the folder, with `en` and `it`. `say(lang, id, **values)` fills `{name}` with the
values, escaped for mrkdwn. The files are read on the first `say`, once per process, through the
knowledge base's cached reader (a parsed copy in the cache folder while the files are unchanged).
The texts of the core (titles, labels) are bot.core.kb.messages'; the format is in
knowledge/texts/README.md.
"""

from __future__ import annotations

import os
import threading

LANGS = ("en", "it")
TEXTS_FOLDER = "slack"  # in <knowledge dir>/texts/

_texts: dict[str, dict[str, str]] = {}
_lock = threading.Lock()


def say(lang: str, key: str, **values: object) -> str:
    """The sentence `key` in `lang` (English when unknown), as mrkdwn, with `values` escaped."""
    written = template(lang, key)
    if not values:
        return written
    # Values are often the user's words: escaped, and without backticks that would end a code span.
    return written.format(**{k: escape(str(v)).replace("`", "'") for k, v in values.items()})


def template(lang: str, key: str) -> str:
    """The sentence `key` in `lang` as written, its {names} not filled in."""
    text = texts()[key]
    return text.get(lang) or text["en"]


def escape(text: str) -> str:
    """Text for a Slack mrkdwn field: &, < and > as entities, so `<!channel>` stays inert."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def texts() -> dict[str, dict[str, str]]:
    """Every text by id: {"en": ..., "it": ...}; read on first use."""
    if not _texts:
        with _lock:
            if not _texts:
                _texts.update(read_texts(texts_folder()))
    return _texts


def texts_folder() -> str:
    from bot.core.kb.knowledge import knowledge_dir

    return os.path.join(knowledge_dir(), "texts", TEXTS_FOLDER)


def read_texts(folder: str) -> dict[str, dict[str, str]]:
    """The folder's files as one mapping of id -> text; an id lives in one section of one file."""
    from bot.core.kb.knowledge import KnowledgeError, entry_files, read_documents

    files = entry_files(folder)
    if not files:
        raise KnowledgeError(f"{folder}: no texts (*.yaml); the Slack texts ship with the knowledge base")
    found: dict[str, dict[str, str]] = {}
    where: dict[str, str] = {}
    for file, document in zip(files, read_documents(files, use_cache=True), strict=True):
        for section, items in (document or {}).items():
            for key, text in (items or {}).items():
                if key in found:
                    raise KnowledgeError(f"{file}: text '{key}' is also in {where[key]}")
                if not isinstance(text, dict) or not all(isinstance(text.get(lang), str) for lang in LANGS):
                    raise KnowledgeError(f"{file}: {section}.{key} needs en and it")
                found[key], where[key] = {lang: text[lang] for lang in LANGS}, f"{file} ({section})"
    return found
