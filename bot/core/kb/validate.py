"""`badgateway kb validate`: everything that keeps the knowledge base trustworthy.

Schema, ids (unique, equal to the file name, the whole catalog present), both languages
everywhere, regexes that compile and cannot backtrack catastrophically, every example ranking
as it says, and code samples that are syntactically valid.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.kb.catalog import CATALOG_IDS
from bot.core.kb.knowledge import (
    LANGUAGES,
    KnowledgeBase,
    KnowledgeError,
    _entry_from_document,
    entry_files,
    knowledge_dir,
    parse_entry_file,
)

if TYPE_CHECKING:
    from bot.core.diagnosis import Diagnosis

# Words that describe every 5XX and so identify none.
GENERIC_KEYWORDS = frozenset(
    {"502", "500", "503", "504", "5xx", "error", "errors", "lambda", "api gateway", "api", "gateway",
     "function", "errore", "errori", "funzione", "bad gateway", "internal server error", "aws"}
)
REGEX_TIME_BUDGET = 0.05  # seconds for one adversarial search; a safe regex takes microseconds


def validate_knowledge(directory: str | Path | None = None) -> tuple[list[str], int]:
    """All problems found (empty when valid) and the number of entry files read."""
    path = Path(directory) if directory else Path(knowledge_dir())
    files = [Path(f) for f in entry_files(path)]
    problems: list[str] = []
    documents: list[tuple[Path, dict[str, Any]]] = []
    for file in files:
        try:
            documents.append((file, parse_entry_file(file)))
        except KnowledgeError as exc:
            problems.append(str(exc))
    problems += _schema_problems(path, documents)
    problems += _id_problems(documents)
    entries = []
    for file, document in documents:
        try:
            entries.append(_entry_from_document(document, str(file)))
        except KnowledgeError as exc:
            problems.append(str(exc))
    for file, document in documents:
        problems += [f"{file.name}: {p}" for p in _language_problems(document)]
        problems += [f"{file.name}: {p}" for p in _signature_problems(document)]
        problems += [f"{file.name}: {p}" for p in _sample_problems(document)]
    if entries and len(entries) == len(documents):
        problems += _example_problems(KnowledgeBase(entries=tuple(entries), directory=str(path)))
    problems += none_examples_problems(path)
    return problems, len(files)


NONE_EXAMPLES = ("examples", "none.yaml")  # texts that must give no known cause (not an entry)


def none_examples_problems(path: Path) -> list[str]:
    """Schema problems of knowledge/examples/none.yaml, when the folder has one."""
    file = path.joinpath(*NONE_EXAMPLES)
    if not file.is_file():
        return []
    name = "/".join(NONE_EXAMPLES)
    try:
        document = parse_entry_file(file)
    except KnowledgeError as exc:
        return [str(exc)]
    try:
        import jsonschema
    except ImportError:
        return [f"{name}: schema not checked: install the test extra (pip install 'badgateway[dev]') for jsonschema"]
    schema = json.loads(file.with_name("none.schema.json").read_text(encoding="utf-8"))
    problems = [
        f"{name}: {'/'.join(str(p) for p in error.path) or '(top)'}: {error.message[:300]}"
        for error in sorted(jsonschema.Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.path))
    ]
    texts = [str(item.get("text", "")).strip() for item in document.get("examples") or () if isinstance(item, dict)]
    problems += [f"{name}: the text {text[:60]!r} appears twice" for text in sorted({t for t in texts if texts.count(t) > 1})]
    return problems


def _schema_problems(path: Path, documents: list[tuple[Path, dict[str, Any]]]) -> list[str]:
    try:
        import jsonschema
    except ImportError:
        return ["schema not checked: install the test extra (pip install 'badgateway[dev]') for jsonschema"]
    schema = json.loads((path / "schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for file, document in documents:
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in error.path) or "(top)"
            problems.append(f"{file.name}: {where}: {error.message[:300]}")
    return problems


def _id_problems(documents: list[tuple[Path, dict[str, Any]]]) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    for file, document in documents:
        entry_id = document.get("id")
        if entry_id != file.stem:
            problems.append(f"{file.name}: id '{entry_id}' must equal the file name '{file.stem}'")
        if entry_id in seen:
            problems.append(f"{file.name}: id '{entry_id}' is also used by {seen[entry_id]}")
        seen[str(entry_id)] = file.name
    for catalog_id in CATALOG_IDS:
        if catalog_id not in seen:
            problems.append(f"catalog id '{catalog_id}' has no entry (knowledge/{catalog_id}.yaml)")
    return problems


def _language_problems(document: dict[str, Any]) -> list[str]:
    problems = []
    for key in ("causes", "fix", "keywords"):
        value = document.get(key) or {}
        if isinstance(value, dict) and key != "keywords":
            counts = {lang: len(value.get(lang) or ()) for lang in LANGUAGES}
            if len(set(counts.values())) > 1:
                problems.append(f"{key}: languages differ in length {counts}")
    for lang in LANGUAGES:
        for keyword in (document.get("keywords") or {}).get(lang) or ():
            if str(keyword).lower().strip() in GENERIC_KEYWORDS:
                problems.append(f"keywords.{lang}: '{keyword}' is too generic to identify anything")
            if str(keyword) != str(keyword).lower():
                problems.append(f"keywords.{lang}: '{keyword}' must be lower case")
    return problems


def _signature_problems(document: dict[str, Any]) -> list[str]:
    import re

    from bot.core.matching.matcher import compile_signature_regex

    problems = []
    names: set[str] = set()
    for signature in document.get("signatures") or ():
        if not isinstance(signature, dict):
            continue
        name = signature.get("name", "?")
        if name in names:
            problems.append(f"signature '{name}' appears twice")
        names.add(name)
        for field in ("regex", "unless"):
            pattern = signature.get(field)
            if pattern is None:
                continue
            try:
                compiled = compile_signature_regex(pattern) if field == "regex" else re.compile(pattern)
            except re.error as exc:
                problems.append(f"signature '{name}': {field} does not compile ({exc})")
                continue
            risk = backtracking_risk(pattern)
            if risk:
                problems.append(f"signature '{name}': {field} can backtrack catastrophically ({risk})")
            slow = _slow_on_adversarial_input(compiled, pattern)
            if slow:
                problems.append(f"signature '{name}': {field} is slow on {slow}")
    return problems


def backtracking_risk(pattern: str) -> str | None:
    """A reason when the regex nests unbounded repeats, e.g. (a+)+ or (\\w*\\s?)*."""
    import re._parser as sre_parse  # the stdlib's own parser: no guessing at the syntax

    try:
        parsed = sre_parse.parse(pattern)
    except Exception:
        return None

    def walk(items: Any, inside_repeat: bool) -> str | None:
        for op, value in items:
            name = str(op)
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                _low, high, sub = value
                unbounded = high is sre_parse.MAXREPEAT or high > 100
                if unbounded and inside_repeat and name != "POSSESSIVE_REPEAT":
                    return "an unbounded repeat inside another repeat"
                found = walk(sub, inside_repeat or (unbounded and name != "POSSESSIVE_REPEAT"))
                if found:
                    return found
            elif name == "SUBPATTERN":
                found = walk(value[-1], inside_repeat)
                if found:
                    return found
            elif name == "BRANCH":
                for branch in value[1]:
                    found = walk(branch, inside_repeat)
                    if found:
                        return found
            elif name == "ATOMIC_GROUP":
                found = walk(value, False)
                if found:
                    return found
        return None

    return walk(parsed, False)


def _slow_on_adversarial_input(compiled: Any, pattern: str) -> str | None:
    alphabet = sorted({c for c in pattern.lower() if c.isalnum() or c in " ._-:/"}) or ["a"]
    candidates = {
        "a long run of one character": "a" * 20000,
        "a long run of spaces": "x" + " " * 20000 + "!",
        "the pattern's own characters repeated": "".join(alphabet) * (20000 // len(alphabet)),
    }
    for description, text in candidates.items():
        start = time.perf_counter()
        compiled.search(text)
        if time.perf_counter() - start > REGEX_TIME_BUDGET:
            return description
    return None


def _sample_problems(document: dict[str, Any]) -> list[str]:
    problems = []
    for number, sample in enumerate(document.get("samples") or (), start=1):
        if not isinstance(sample, dict):
            continue
        language = str(sample.get("language"))
        where = f"sample {number} ({language})"
        code = str(sample.get("code", ""))
        code_it = sample.get("code_it")
        error = sample_syntax_error(language, code)
        if error:
            problems.append(f"{where}: {error}")
        if code_it is None:
            if has_comments(language, code):
                problems.append(f"{where}: the code has comments, so it needs code_it (the same code, comments in Italian)")
            continue
        error = sample_syntax_error(language, str(code_it))
        if error:
            problems.append(f"{where}: code_it: {error}")
        if code_without_comments(language, code) != code_without_comments(language, str(code_it)):
            problems.append(f"{where}: code_it must be the same code as code, with only the comments translated")
    return problems


# Where a line comment starts, per sample language ('#' only at the start of a word, as in shell).
COMMENT_MARKERS = {
    "python": ("#",), "shell": ("#",), "yaml": ("#",), "hcl": ("#", "//"),
    "javascript": ("//",), "typescript": ("//",), "java": ("//",), "go": ("//",),
}


def has_comments(language: str, code: str) -> bool:
    markers = COMMENT_MARKERS.get(language, ())
    return any(_comment_start(line, markers) is not None for line in code.splitlines())


def code_without_comments(language: str, code: str) -> list[str]:
    """The code's non-empty lines with their comments cut off: equal for two variants of one program."""
    markers = COMMENT_MARKERS.get(language, ())
    lines = []
    for line in code.splitlines():
        start = _comment_start(line, markers)
        kept = (line if start is None else line[:start]).rstrip()
        if kept.strip():
            lines.append(kept)
    return lines


def _comment_start(line: str, markers: tuple[str, ...]) -> int | None:
    """Index of the first comment marker outside quotes, or None."""
    quote = ""
    escaped = False
    for index, char in enumerate(line):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
        else:
            for marker in markers:
                if line.startswith(marker, index) and (
                    marker != "#" or index == 0 or line[index - 1].isspace()
                ):
                    return index
    return None


def sample_syntax_error(language: str, code: str) -> str | None:
    """Why `code` is not valid `language`, or None. JavaScript needs node; shell needs bash."""
    if language == "python":
        try:
            compile(code, "<sample>", "exec")
        except SyntaxError as exc:
            return f"Python does not compile: {exc.msg} (line {exc.lineno})"
    elif language == "json":
        try:
            json.loads(code)
        except ValueError as exc:
            return f"JSON does not parse: {exc}"
    elif language == "yaml":
        import yaml

        class _TagLoader(yaml.SafeLoader):
            """CloudFormation short forms (!Ref, !Sub, !GetAtt...) are valid in templates."""

        _TagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
        try:
            yaml.load(code, Loader=_TagLoader)
        except yaml.YAMLError as exc:
            return f"YAML does not parse: {str(exc).splitlines()[0]}"
    elif language in ("javascript", "typescript") and language == "javascript":
        return _node_check(code)
    elif language == "shell" and shutil.which("bash"):
        result = subprocess.run(["bash", "-n"], input=code, capture_output=True, text=True, timeout=10)
        if result.returncode:
            return f"bash -n: {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else 'error'}"
    elif language == "hcl" and (
        code.count("{") != code.count("}") or code.count("[") != code.count("]")
    ):
        return "HCL braces or brackets are unbalanced"
    return None


def _node_check(code: str) -> str | None:
    node = shutil.which("node")
    if not node:
        return None  # checked where node exists (CI installs it when it can)
    suffix = ".mjs" if any(token in code for token in ("import ", "export ")) else ".js"
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / f"sample{suffix}"
        file.write_text(code, encoding="utf-8")
        result = subprocess.run([node, "--check", str(file)], capture_output=True, text=True, timeout=30)
    if result.returncode:
        lines = [line for line in result.stderr.splitlines() if "Error" in line]
        return f"node --check: {lines[0] if lines else result.stderr.strip()[:200]}"
    return None


# A bare status or a stock error body names no cause: whatever the model, they must give nothing.
UNINFORMATIVE = ("502", "504", "500", "502 error", "got a 502", "502 Bad Gateway", "Internal server error",
                 '{"message": "Internal server error"}',
                 # A front door and a status that several causes give: naming one would be a guess
                 # (the reply lists them all and what to collect next instead).
                 "API Gateway returns 502", "our ALB answers 502", "API Gateway 500 Internal server error",
                 'HTTP/1.1 502 Bad Gateway\ncontent-type: application/json\n\n{"message": "Internal server error"}')


def _example_problems(knowledge: KnowledgeBase) -> list[str]:
    from bot.core.matching.matcher import Matcher

    return example_problems(knowledge, Matcher(knowledge).diagnose)


def example_problems(knowledge: KnowledgeBase, diagnose: Callable[[str], Diagnosis]) -> list[str]:
    """Each entry's examples ranked as they say, and nothing for UNINFORMATIVE, by `diagnose`
    (the shipped matcher, or a candidate setting that benchmarks/accuracy.py --tune weighs)."""
    problems = []
    for text in UNINFORMATIVE:
        diagnosis = diagnose(text)
        if diagnosis.best:
            problems.append(f"an uninformative text ranks {diagnosis.best.id} first: {text}")
    for entry in knowledge.entries:
        name = Path(entry.path).name
        for number, text in enumerate(entry.examples_match, start=1):
            diagnosis = diagnose(text)
            got = diagnosis.best.id if diagnosis.best else "nothing"
            if got != entry.id:
                scores = ", ".join(f"{m.id} {m.score}" for m in diagnosis.matches[:3]) or "no match"
                problems.append(f"{name}: examples.match[{number}] ranks {got} first ({scores}): {_preview(text)}")
        for number, text in enumerate(entry.examples_no_match, start=1):
            diagnosis = diagnose(text)
            if diagnosis.best and diagnosis.best.id == entry.id:
                problems.append(f"{name}: examples.no_match[{number}] ranks {entry.id} first: {_preview(text)}")
    return problems


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat[:90] + ("…" if len(flat) > 90 else "")
