"""The knowledge base: one YAML file per failure mode, loaded into typed entries.

Loading is on the start-up path of `badgateway diagnose`, so it uses libyaml when present and
keeps a parsed copy of the files in the user's cache (bot.core.kb.cache, keyed by their names,
sizes and modification times), which loads far faster than YAML parses. The entries' examples
(a third of that copy, and never read by a diagnosis) stay packed in it until first used.
"""

from __future__ import annotations

import os
import sys

from bot.core.record import Record
from bot.errors import BadGatewayError

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    # pathlib costs milliseconds to import; the start-up path uses os.path
    from collections.abc import Iterator
    from pathlib import Path
    from typing import Any

LANGUAGES = ("en", "it")
INTEGRATIONS = ("rest", "http", "alb", "cloudfront", "function-url")


class KnowledgeError(BadGatewayError):
    """An entry file that cannot be loaded; the message names the file."""


class Signature(Record):
    name: str
    literal: str | None
    regex: str | None
    weight: float = 1.0
    unless: str | None = None
    fuzzy: bool = False

    @property
    def pattern(self) -> str:
        return self.literal if self.literal is not None else (self.regex or "")


class Sample(Record):
    language: str
    runtime: str
    kind: str
    caption: dict[str, str]
    code: str  # English comments
    code_it: str | None = None  # the same code with its comments in Italian

    def code_in(self, lang: str) -> str:
        """The code with comments in the reader's language, when the sample has them."""
        return self.code_it if lang == "it" and self.code_it else self.code


class AppliesTo(Record):
    integration: str
    client_status: int
    note: dict[str, str] | None = None


class Reference(Record):
    title: str
    url: str


class Example(Record):
    """A text the tests run against the entry; also what the prose layer learns from."""

    text: str
    source: str  # "written" (by the entry's author) or the https URL the text comes from
    matches: bool  # True: must rank this entry first; False: a near miss that must not


class Entry(Record):
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
    examples: tuple[Example, ...]  # a PackedExamples when loaded with the cache: the same answers
    path: str = ""

    @property
    def examples_match(self) -> tuple[str, ...]:
        return tuple(example.text for example in self.examples if example.matches)

    @property
    def examples_no_match(self) -> tuple[str, ...]:
        return tuple(example.text for example in self.examples if not example.matches)

    def sample_for(self, runtime: str | None) -> Sample | None:
        """The code sample for the runtime the log revealed, else the first one."""
        if not self.samples:
            return None
        if runtime:
            for sample in self.samples:
                if sample.runtime == runtime:
                    return sample
        return self.samples[0]


class KnowledgeBase(Record):
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


def knowledge_dir() -> str:
    """Where the entries are: $BADGATEWAY_KNOWLEDGE_DIR, the source tree, or the installed copy."""
    override = os.environ.get("BADGATEWAY_KNOWLEDGE_DIR")
    if override:
        return override
    shipped = shipped_knowledge_dir()
    if shipped:
        return shipped
    raise BadGatewayError(
        "knowledge base not found: set BADGATEWAY_KNOWLEDGE_DIR to the knowledge/ folder"
    )


def shipped_knowledge_dir() -> str | None:
    """The knowledge base that comes with this code: the source tree's, or the installed copy."""
    core = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # bot/core/kb/ -> bot/core
    source_tree = os.path.join(os.path.dirname(os.path.dirname(core)), "knowledge")
    if os.path.isdir(source_tree):
        return source_tree
    installed = os.path.join(sys.prefix, "share", "badgateway", "knowledge")
    return installed if os.path.isdir(installed) else None


def entry_files(directory: str | Path) -> list[str]:
    """The entry files of a knowledge folder, sorted (files starting with '_' are not entries)."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(
        os.path.join(directory, n) for n in names if n.endswith(".yaml") and not n.startswith("_")
    )


_loaded: dict[str, KnowledgeBase] = {}


def load_knowledge(directory: str | Path | None = None, *, use_cache: bool = True) -> KnowledgeBase:
    """Load every entry in `directory` (default: knowledge_dir()). Loaded once per process."""
    path = os.path.abspath(directory if directory is not None else knowledge_dir())
    if use_cache and path in _loaded:
        return _loaded[path]
    files = entry_files(path)
    if not files:
        raise KnowledgeError(f"no knowledge entries (*.yaml) in {path}")
    documents = read_documents(files, use_cache=use_cache, packed=("examples",))
    entries = tuple(_entry_from_document(doc, file) for doc, file in zip(documents, files, strict=True))
    base = KnowledgeBase(entries=entries, directory=path)
    _loaded[path] = base
    return base


def read_documents(
    files: list[str], *, use_cache: bool = True, packed: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """The parsed YAML documents of `files`, from the cached copy when it is fresh (bot.core.kb.cache).

    `packed`: top-level fields kept as marshal bytes (in the copy and in what is returned), for
    the caller to unpack when it needs them: unpacking thousands of strings costs milliseconds.
    """
    from bot.core.kb import cache

    # The copy is valid for exactly these files at exactly these sizes and modification times.
    key = cache.file_key(files)
    name = f"kb-{'-'.join(packed) + '-' if packed else ''}{cache.folder_tag(os.path.dirname(files[0]) if files else '')}"
    if use_cache:
        cached = cache.read(name, key)
        if isinstance(cached, list):
            return cached
    documents = [parse_entry_file(file) for file in files]
    if packed:
        import marshal

        for document in documents:
            for field in packed:
                if field in document:
                    try:
                        document[field] = marshal.dumps(document[field])
                    except ValueError:  # not plain data (YAML gives only plain data)
                        raise KnowledgeError(f"{field}: not plain data") from None
    if use_cache:
        cache.write(name, key, documents)
    return documents


class PackedExamples:
    """An entry's examples, kept as marshal bytes until first used; then a tuple's answers."""

    __slots__ = ("_examples", "_packed", "_path")

    def __init__(self, packed: bytes, path: str) -> None:
        self._packed, self._path = packed, path
        self._examples: tuple[Example, ...] | None = None

    def unpacked(self) -> tuple[Example, ...]:
        if self._examples is None:
            import marshal

            try:
                self._examples = _examples_of(marshal.loads(self._packed) or {})
            except (KeyError, TypeError, ValueError, AttributeError, EOFError) as exc:
                raise KnowledgeError(
                    f"{self._path}: examples are malformed ({type(exc).__name__}: {exc}); "
                    "run `badgateway kb validate` for details"
                ) from None
        return self._examples

    def __iter__(self) -> Iterator[Example]:
        return iter(self.unpacked())

    def __len__(self) -> int:
        return len(self.unpacked())

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return self.unpacked()[index]

    def __eq__(self, other: object) -> bool:
        mine = self.unpacked()
        return mine == (other.unpacked() if isinstance(other, PackedExamples) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.unpacked())


def _examples_of(examples: dict[str, Any]) -> tuple[Example, ...]:
    return tuple(
        Example(text=str(item["text"]), source=str(item["source"]), matches=kind == "match")
        for kind in ("match", "no_match")
        for item in examples.get(kind) or ()
    )


def parse_entry_file(file: str | Path) -> dict[str, Any]:
    import yaml  # only when the cached copy is stale

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(file, encoding="utf-8") as handle:
            document = yaml.load(handle, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise KnowledgeError(f"{file}:{where} is not valid YAML") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{file}: cannot be read ({exc})") from None
    if not isinstance(document, dict):
        raise KnowledgeError(f"{file}: an entry must be a mapping with id, title, ...")
    return document


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
                    code_it=str(item["code_it"]) if item.get("code_it") else None,
                )
                for item in doc.get("samples") or ()
            ),
            references=tuple(
                Reference(title=str(item["title"]), url=str(item["url"]))
                for item in doc.get("references") or ()
            ),
            examples=(PackedExamples(examples, path) if isinstance(examples, bytes)  # type: ignore[arg-type]
                      else _examples_of(examples)),
            path=path,
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
