"""The knowledge base: one YAML file per failure mode, loaded into typed entries.

Loading is on the start-up path of `badgateway diagnose`, so it uses libyaml when present and
keeps a JSON cache of the parsed files (keyed by their names, sizes and modification times):
JSON parses an order of magnitude faster than YAML.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import BadGatewayError

LANGUAGES = ("en", "it")
INTEGRATIONS = ("rest", "http", "alb")


class KnowledgeError(BadGatewayError):
    """An entry file that cannot be loaded; the message names the file."""


@dataclass(frozen=True)
class Signature:
    name: str
    literal: str | None
    regex: str | None
    weight: float = 1.0
    unless: str | None = None
    fuzzy: bool = False

    @property
    def pattern(self) -> str:
        return self.literal if self.literal is not None else (self.regex or "")


@dataclass(frozen=True)
class Sample:
    language: str
    runtime: str
    kind: str
    caption: dict[str, str]
    code: str


@dataclass(frozen=True)
class AppliesTo:
    integration: str
    client_status: int
    note: dict[str, str] | None = None


@dataclass(frozen=True)
class Reference:
    title: str
    url: str


@dataclass(frozen=True)
class Entry:
    id: str
    title: dict[str, str]
    summary: dict[str, str]
    causes: dict[str, tuple[str, ...]]
    fix: dict[str, tuple[str, ...]]
    myth: dict[str, str] | None
    applies_to: tuple[AppliesTo, ...]
    signatures: tuple[Signature, ...]
    keywords: dict[str, tuple[str, ...]]
    samples: tuple[Sample, ...]
    references: tuple[Reference, ...]
    examples_match: tuple[str, ...]
    examples_no_match: tuple[str, ...]
    path: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def sample_for(self, runtime: str | None) -> Sample | None:
        """The code sample for the runtime the log revealed, else the first one."""
        if not self.samples:
            return None
        if runtime:
            for sample in self.samples:
                if sample.runtime == runtime:
                    return sample
        return self.samples[0]


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[Entry, ...]
    directory: str

    def get(self, entry_id: str) -> Entry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        known = ", ".join(e.id for e in self.entries)
        raise BadGatewayError(f"unknown entry id '{entry_id}' (known: {known})")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries)


def knowledge_dir() -> Path:
    """Where the entries are: $BADGATEWAY_KNOWLEDGE_DIR, the source tree, or the installed copy."""
    override = os.environ.get("BADGATEWAY_KNOWLEDGE_DIR")
    if override:
        return Path(override)
    source_tree = Path(__file__).resolve().parents[2] / "knowledge"
    if source_tree.is_dir():
        return source_tree
    installed = Path(sys.prefix) / "share" / "badgateway" / "knowledge"
    if installed.is_dir():
        return installed
    raise BadGatewayError(
        "knowledge base not found: set BADGATEWAY_KNOWLEDGE_DIR to the knowledge/ folder"
    )


def entry_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if not p.name.startswith("_"))


_loaded: dict[str, KnowledgeBase] = {}


def load_knowledge(directory: str | Path | None = None, *, use_cache: bool = True) -> KnowledgeBase:
    """Load every entry in `directory` (default: knowledge_dir()). Loaded once per process."""
    path = Path(directory) if directory is not None else knowledge_dir()
    key = str(path.resolve())
    if use_cache and key in _loaded:
        return _loaded[key]
    files = entry_files(path)
    if not files:
        raise KnowledgeError(f"no knowledge entries (*.yaml) in {path}")
    documents = _read_documents(files, use_cache=use_cache)
    entries = tuple(_entry_from_document(doc, str(file)) for doc, file in zip(documents, files))
    base = KnowledgeBase(entries=entries, directory=str(path))
    _loaded[key] = base
    return base


def _read_documents(files: list[Path], *, use_cache: bool) -> list[dict[str, Any]]:
    fingerprint = hashlib.sha256()
    for file in files:
        stat = file.stat()
        fingerprint.update(f"{file.resolve()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    cache_file = _cache_dir() / f"kb-{fingerprint.hexdigest()[:24]}.json"
    if use_cache:
        try:
            with open(cache_file, encoding="utf-8") as handle:
                cached = json.load(handle)
            if isinstance(cached, list) and len(cached) == len(files):
                return cached
        except (OSError, ValueError):
            pass
    documents = [parse_entry_file(file) for file in files]
    if use_cache:
        _write_cache(cache_file, documents)
    return documents


def parse_entry_file(file: Path) -> dict[str, Any]:
    import yaml  # only when the JSON cache is cold

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(file, encoding="utf-8") as handle:
            document = yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise KnowledgeError(f"{file}:{where} is not valid YAML") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{file}: cannot be read ({exc})") from None
    if not isinstance(document, dict):
        raise KnowledgeError(f"{file}: an entry must be a mapping with id, title, ...")
    return document


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "badgateway"


def _write_cache(cache_file: Path, documents: list[dict[str, Any]]) -> None:
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        for stale in cache_file.parent.glob("kb-*.json"):
            stale.unlink(missing_ok=True)
        temporary = cache_file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, cache_file)
    except OSError:
        pass  # a read-only home (Lambda, containers) just means no cache


def _entry_from_document(doc: dict[str, Any], path: str) -> Entry:
    try:
        examples = doc.get("examples") or {}
        return Entry(
            id=str(doc["id"]),
            title=_text(doc["title"]),
            summary=_text(doc["summary"]),
            causes=_text_list(doc["causes"]),
            fix=_text_list(doc["fix"]),
            myth=_text(doc["myth"]) if doc.get("myth") else None,
            applies_to=tuple(
                AppliesTo(
                    integration=str(item["integration"]),
                    client_status=int(item["client_status"]),
                    note=_text(item["note"]) if item.get("note") else None,
                )
                for item in doc.get("applies_to") or ()
            ),
            signatures=tuple(_signature(item) for item in doc.get("signatures") or ()),
            keywords=_text_list(doc.get("keywords") or {lang: [] for lang in LANGUAGES}),
            samples=tuple(
                Sample(
                    language=str(item["language"]),
                    runtime=str(item.get("runtime", "any")),
                    kind=str(item.get("kind", "code")),
                    caption=_text(item["caption"]),
                    code=str(item["code"]),
                )
                for item in doc.get("samples") or ()
            ),
            references=tuple(
                Reference(title=str(item["title"]), url=str(item["url"]))
                for item in doc.get("references") or ()
            ),
            examples_match=tuple(str(t) for t in examples.get("match") or ()),
            examples_no_match=tuple(str(t) for t in examples.get("no_match") or ()),
            path=path,
            raw=doc,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise KnowledgeError(
            f"{path}: entry is incomplete or malformed ({type(exc).__name__}: {exc}); "
            "run `badgateway kb validate` for details"
        ) from None


def _text(value: Any) -> dict[str, str]:
    return {lang: str(value[lang]) for lang in LANGUAGES}


def _text_list(value: Any) -> dict[str, tuple[str, ...]]:
    return {lang: tuple(str(item) for item in value.get(lang) or ()) for lang in LANGUAGES}


def _signature(item: dict[str, Any]) -> Signature:
    literal = item.get("literal")
    regex = item.get("regex")
    fuzzy_default = literal is not None and len(str(literal)) >= 16
    return Signature(
        name=str(item["name"]),
        literal=str(literal) if literal is not None else None,
        regex=str(regex) if regex is not None else None,
        weight=float(item.get("weight", 1.0)),
        unless=str(item["unless"]) if item.get("unless") else None,
        fuzzy=bool(item.get("fuzzy", fuzzy_default)) and literal is not None,
    )
