"""The words the validator says: `knowledge/texts/responses/*.yaml`, loaded on first use.

`both(id, ...)` gives a text in every language ({"en": ..., "it": ...}), `one(id, lang, ...)` in
one; `{name}` in a text is filled from the keyword of that name. A value may itself be in every
language (another text, a code sample): each language then gets its own. `variant=` picks one
of the texts under an id (`verdict.label`, variant "rest"). `code(kind, runtime)` writes a fix's
code samples.

The files are parsed once per process, from a parsed copy in the cache folder when one matches
their sizes and modification times: `badgateway diagnose` then never imports yaml for them.
The format is in knowledge/texts/README.md.
"""

from __future__ import annotations

import os

from bot.core.lazy_re import compile_cached
from bot.core.responses.model import LANGS, RUNTIMES

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any

TEXTS_FOLDER = "responses"  # in <knowledge dir>/texts/: every *.yaml there, read as one
# A value filled into a text: the same in every language, or one per language.
Value = str | int | dict[str, str]

_PLACEHOLDER = compile_cached(r"\{([a-z][a-z_]*)\}")
_RUNTIME_NAMES = {"nodejs": "Node.js", "python": "Python", "java": "Java", "go": "Go"}
_loaded: dict[str, Any] = {}
_folders: list[str] = []  # the folder texts_folder() found
_nodes: dict[tuple[str, str], Any] = {}  # (folder, id) -> its text or group, found once
_checked: dict[tuple[str, str], dict[str, str]] = {}  # the same, once known to be a text
_templates: dict[str, tuple[str, ...]] = {}  # text -> its parts: literal, name, literal, ...
_samples: dict[tuple[object, ...], dict[str, str]] = {}  # code()'s answers, bounded below
_SAMPLES_KEPT = 1024


def both(text_id: str, /, *, variant: str | None = None, **values: Value) -> dict[str, str]:
    """The text in every language, its {names} filled in."""
    node = lookup(text_id, variant)
    return {lang: fill(node[lang], lang, values) for lang in LANGS}


def one(text_id: str, lang: str, /, *, variant: str | None = None, **values: Value) -> str:
    """The text in one language (English when `lang` is not one we speak)."""
    lang = lang if lang in LANGS else "en"
    return fill(lookup(text_id, variant)[lang], lang, values)


def variants(text_id: str) -> tuple[str, ...]:
    """The variants an id has (e.g. the keys `payload-v1.key-hint` has a hint for)."""
    node = _walk(text_id)
    return tuple(node) if isinstance(node, dict) else ()


def kind(value: object) -> dict[str, str]:
    """What a JSON value is, with its article: "a string" / "una stringa"."""
    if value is None:
        name = "null"
    elif isinstance(value, bool):
        name = "boolean"
    elif isinstance(value, (int, float)):
        name = "number"
    elif isinstance(value, str):
        name = "string"
    elif isinstance(value, dict):
        name = "object"
    elif isinstance(value, (list, tuple)):
        name = "array"
    else:
        name = "other"
    return both("kind", variant=name)


def code(
    sample: str, runtime: str | None, *, header: str = "X-Header", all_runtimes: bool = False
) -> dict[str, str]:
    """Code sample(s) for one fix: the detected runtime only, else Node.js and Python (and
    Java and Go where the shape differs enough to help)."""
    key = (texts_folder(), sample, runtime, header, all_runtimes)
    if key in _samples:
        return _samples[key]
    if runtime in RUNTIMES:
        chosen = [runtime]
    elif all_runtimes or sample.startswith("full-response"):
        chosen = list(RUNTIMES)
    else:
        chosen = ["nodejs", "python"]
    per_runtime = _walk(f"samples.{sample}")
    written: dict[str, str] = {}
    for lang in LANGS:
        parts = []
        for name in chosen:
            text = per_runtime[name]
            text = text if isinstance(text, str) else text[lang]  # prose in a sample is translated
            parts.append(f"{_RUNTIME_NAMES[name]} `{fill(text, lang, {'header': header})}`")
        written[lang] = "; ".join(parts)
    if len(_samples) >= _SAMPLES_KEPT:  # header names come from the user: keep the cache bounded
        _samples.clear()
    _samples[key] = written
    return written


def fill(template: str, lang: str, values: dict[str, Value]) -> str:
    """Put each value in place of its {name}; the values' own text is never read for names."""
    parts = _templates.get(template)
    if parts is None:
        parts = _templates[template] = tuple(_PLACEHOLDER.split(template))
    if len(parts) == 1:
        return template
    filled = list(parts)
    for index in range(1, len(parts), 2):  # the odd parts are the names
        value = values[parts[index]]
        filled[index] = value[lang] if isinstance(value, dict) else str(value)
    return "".join(filled)


def placeholders(template: str) -> set[str]:
    return set(_PLACEHOLDER.findall(template))


def lookup(text_id: str, variant: str | None = None) -> dict[str, str]:
    """The text with this id ({"en": ..., "it": ...}); KeyError when there is none."""
    folder = texts_folder()
    path = text_id if variant is None else f"{text_id}.{variant}"
    text = _checked.get((folder, path))
    if text is None:
        text = _walk(path)
        if not isinstance(text, dict) or not all(isinstance(text.get(lang), str) for lang in LANGS):
            raise KeyError(f"{path}: not a text in every language")
        _checked[(folder, path)] = text
    return text


def _walk(path: str) -> Any:
    folder = texts_folder()
    found = _nodes.get((folder, path))
    if found is None:
        found = node = texts(folder)
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"no text '{path}' in knowledge/texts/{TEXTS_FOLDER}")
            found = node = node[part]
        _nodes[(folder, path)] = found
    return found


def texts(folder: str | None = None) -> dict[str, Any]:
    """Every text, by section (parsed once per process and folder)."""
    folder = folder or texts_folder()
    if folder not in _loaded:
        _loaded[folder] = _read(folder)
    return _loaded[folder]


def texts_folder() -> str:
    """<knowledge dir>/texts/responses, found on first use (BADGATEWAY_KNOWLEDGE_DIR is read then)."""
    if not _folders:
        from bot.core.kb.knowledge import knowledge_dir

        _folders.append(os.path.join(knowledge_dir(), "texts", TEXTS_FOLDER))
    return _folders[0]


def _read(folder: str) -> dict[str, Any]:
    """The folder's files merged into one mapping; a section lives in one file only."""
    # The knowledge base's reader: a cached copy per folder, valid while the files are unchanged.
    from bot.core.kb.knowledge import KnowledgeError, entry_files, read_documents

    files = entry_files(folder)
    if not files:
        raise KnowledgeError(
            f"{folder}: no texts (*.yaml); the validator's texts ship with the knowledge base"
        )
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for file, document in zip(files, read_documents(files, use_cache=True), strict=True):
        for section, value in document.items():
            if section in merged:
                raise KnowledgeError(f"{file}: section '{section}' is also in {origin[section]}")
            merged[section], origin[section] = value, file
    return merged
