"""Reading a template file: YAML with CloudFormation's short-form intrinsics (`!Ref`, `!Sub`...)
or JSON, with the line of every mapping key, within size and shape limits.

Limits: a file over MAX_BYTES, text that is not UTF-8, nesting past MAX_DEPTH and documents that
expand past MAX_NODES (YAML aliases can make a small file huge) are refused with one line.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

from bot.errors import UsageError
from bot.lint.sources import LineMap

MAX_BYTES = 20 * 1024 * 1024  # CloudFormation takes 1 MB; Terraform plans of big stacks run to MBs
MAX_DEPTH = 200
MAX_NODES = 2_000_000

_SHORT_FORMS = ("Ref", "Condition", "GetAtt", "Sub", "Join", "Select", "Split", "If", "Equals", "And",
                "Or", "Not", "FindInMap", "ImportValue", "Base64", "Cidr", "GetAZs", "Transform",
                "ToJsonString", "Length", "ForEach")


@dataclass
class Document:
    path: str
    data: Any
    lines: LineMap


def read_text(path: str, *, explicit: bool = True) -> str | None:
    """The file's text; None for what a folder search should skip (binary, too big)."""
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            if explicit:
                raise UsageError(f"{path}: {size // 1048576} MB is more than the {MAX_BYTES // 1048576} MB lint reads")
            return None
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if b"\x00" in raw[:8192]:
        if explicit:
            raise UsageError(f"{path} is a binary file, not a template")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if explicit:
            raise UsageError(f"{path} is not UTF-8 text") from None
        return None


def parse(path: str, text: str) -> Document:
    """YAML or JSON (JSON is YAML, but json is faster and its errors clearer)."""
    if not text.strip():
        raise UsageError(f"{path} is empty")
    stripped = text.lstrip()
    if stripped[:1] in "{[" and path.lower().endswith((".json", ".template", ".tfplan")):
        return _parse_json(path, text)
    if stripped[:1] in "{[":
        try:
            return _parse_json(path, text)
        except UsageError:
            pass  # a YAML flow mapping, or YAML with a brace first
    return _parse_yaml(path, text)


def _parse_json(path: str, text: str) -> Document:
    lines = LineMap()
    try:
        data = json.loads(text, object_pairs_hook=_JsonLines(text, lines))
    except RecursionError:
        raise UsageError(f"{path}: nested too deeply") from None
    except ValueError as exc:
        raise UsageError(f"{path} is not valid JSON: {exc}") from None
    _check_size(path, data)
    return Document(path, data, lines)


class _JsonLines:
    """json's object hook cannot see positions: find each key's line from one scan of the text
    for `"key": {` (the first place a key opens an object), right for logical ids."""

    _KEY = re.compile(r'"([^"\\\n]{1,255})"[ \t\r\n]*:[ \t\r\n]*\{')

    def __init__(self, text: str, lines: LineMap) -> None:
        self.text = text
        self.lines = lines
        self.index: dict[str, int] | None = None

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        for key, value in pairs:
            if isinstance(value, dict) and ("Type" in value or key in ("Resources", "Properties")):
                line = self._line(key)
                if line:
                    self.lines.record(result, key, line)
        return result

    def _line(self, key: str) -> int | None:
        if self.index is None:
            self.index = {}
            line, position = 1, 0
            for match in self._KEY.finditer(self.text):
                line += self.text.count("\n", position, match.start())
                position = match.start()
                self.index.setdefault(match.group(1), line)
        return self.index.get(key)


def _loader_class() -> type:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    # CloudFormation reads `2010-09-09` as a string, not a date.
    Loader.yaml_implicit_resolvers = {
        first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }

    def construct_mapping(loader: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
        loader.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise yaml.constructor.ConstructorError(None, None, "a mapping key that is not text",
                                                        key_node.start_mark)
            mapping[key] = loader.construct_object(value_node, deep=True)
            loader.line_map.record(mapping, str(key), key_node.start_mark.line + 1)
        return mapping

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)

    def short_form(name: str):  # type: ignore[no-untyped-def]
        def construct(loader: Any, node: Any) -> dict[str, Any]:
            if isinstance(node, yaml.ScalarNode):
                value: Any = loader.construct_scalar(node)
            elif isinstance(node, yaml.SequenceNode):
                value = loader.construct_sequence(node, deep=True)
            else:
                value = construct_mapping(loader, node)
            if name == "GetAtt" and isinstance(value, str):
                value = value.split(".", 1)
            key = name if name in ("Ref", "Condition") else f"Fn::{name}"
            return {key: value}

        return construct

    for name in _SHORT_FORMS:
        Loader.add_constructor(f"!{name}", short_form(name))
    return Loader


_LOADER: type | None = None


def _parse_yaml(path: str, text: str) -> Document:
    import yaml

    global _LOADER
    if _LOADER is None:
        _LOADER = _loader_class()
    loader = _LOADER(text)
    loader.line_map = LineMap()
    try:
        data = loader.get_single_data()
    except RecursionError:
        raise UsageError(f"{path}: nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UsageError(f"{path} is not valid YAML{where}: {problem}") from None
    finally:
        loader.dispose()
    _check_size(path, data)
    return Document(path, data, loader.line_map)


def _check_size(path: str, data: Any) -> None:
    """Count the values the document expands to (shared YAML aliases counted each time they are
    used, without walking them again) and its depth; refuse what no template needs."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(data, 0, False)]
    while stack:
        node, depth, children_done = stack.pop()
        if depth > MAX_DEPTH:
            raise UsageError(f"{path}: nested more than {MAX_DEPTH} levels deep")
        if not isinstance(node, (dict, list)) or id(node) in sizes:
            continue
        children = list(node.values()) if isinstance(node, dict) else node
        if not children_done:
            if id(node) in visiting:
                raise UsageError(f"{path} refers to itself (a recursive YAML alias): refused")
            visiting.add(id(node))
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in children)
            continue
        total = 1 + sum(sizes.get(id(child), 1) for child in children)
        if total > MAX_NODES:
            raise UsageError(f"{path} expands to more than {MAX_NODES:,} values (YAML aliases?): refused")
        sizes[id(node)] = total
