"""A function's code on this machine (a CodeUri folder, a zip, inline code): its files and modes,
and the handler's file and text. What the live `--inspect-package` check reads from the
deployment package, read here before there is one (bot.live.checks.functions.package does the reading
of zips and sources; this adds folders and inline code)."""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from bot.lint.model.model import Code, Function

MAX_FILES = 20_000  # files looked at in one code folder (node_modules can be vast)
MAX_SOURCE = 2 * 1024 * 1024  # bytes of a handler file read
_SKIPPED = frozenset({".git", "__pycache__", ".aws-sam", ".venv", ".pytest_cache"})
INLINE_MODULE = "index"  # CloudFormation ZipFile and SAM InlineCode are written as index.py / index.js


@dataclass(frozen=True)
class HandlerFile:
    expected: str  # what the runtime looks for first
    found: str | None  # the file there is, relative to the code root
    text: str | None  # its source, when found and readable


def handler_module(function: Function) -> tuple[str, str] | None:
    """(file stem relative to the code root, function name) for Python and Node.js handlers."""
    handler, runtime = function.handler or "", function.runtime or ""
    if "." not in handler:
        return None
    if runtime.startswith("python"):
        module, name = handler.rsplit(".", 1)
        return module.replace(".", "/"), name
    if runtime.startswith("nodejs"):
        directory, _, last = handler.rpartition("/")
        stem, name = last.split(".", 1)
        return (f"{directory}/{stem}" if directory else stem), name.split(".")[0]
    return None


def suffixes(function: Function) -> tuple[str, ...]:
    if (function.runtime or "").startswith("python"):
        return (".py", "/__init__.py")
    return (".js", ".mjs", ".cjs")


def find_handler(code: Code, function: Function) -> HandlerFile | None:
    located = handler_module(function)
    if located is None:
        return None
    stem, _ = located
    candidates = [stem + suffix for suffix in suffixes(function)]
    if code.kind == "inline":
        text = code.text or ""
        found = candidates[0] if stem == INLINE_MODULE else None
        return HandlerFile(f"{INLINE_MODULE}{suffixes(function)[0]}" if stem != INLINE_MODULE else candidates[0],
                           found, text if found else None)
    if code.kind == "zip":
        try:
            with zipfile.ZipFile(code.path or "") as archive:
                names = set(archive.namelist())
                found = next((c for c in candidates if c in names), None)
                text = archive.read(found)[:MAX_SOURCE].decode("utf-8", "replace") if found else None
        except (OSError, zipfile.BadZipFile, KeyError):
            return None
        return HandlerFile(candidates[0], found, text)
    root = code.path or ""
    found = next((c for c in candidates if os.path.isfile(os.path.join(root, c))), None)
    text = None
    if found:
        try:
            with open(os.path.join(root, found), "rb") as handle:
                text = handle.read(MAX_SOURCE).decode("utf-8", "replace")
        except OSError:
            text = None
    return HandlerFile(candidates[0], found, text)


def typescript_source(code: Code, function: Function) -> bool:
    """A Node.js handler written in TypeScript and built elsewhere (esbuild, tsc)."""
    located = handler_module(function)
    if located is None or code.kind != "folder" or not code.path:
        return False
    return any(os.path.isfile(os.path.join(code.path, located[0] + s)) for s in (".ts", ".mts", ".cts"))


def unreadable_files(code: Code) -> list[str]:
    """Files the runtime's user (not the owner) cannot read, folders it cannot enter."""
    if code.kind == "zip":
        from bot.live.checks.functions.package import unreadable_entries

        try:
            with zipfile.ZipFile(code.path or "") as archive:
                return unreadable_entries(archive)
        except (OSError, zipfile.BadZipFile):
            return []
    if code.kind != "folder" or not code.path:
        return []
    return list(_unreadable_in_folder(code.path))


def _unreadable_in_folder(root: str) -> Iterator[str]:
    seen = 0
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if name not in _SKIPPED)
        for name in folders + sorted(files):
            seen += 1
            if seen > MAX_FILES:
                return
            path = os.path.join(folder, name)
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                continue
            if stat.S_ISLNK(mode):
                continue
            is_folder = stat.S_ISDIR(mode)
            needs = stat.S_IROTH | (stat.S_IXOTH if is_folder or name == "bootstrap" else 0)
            if stat.S_IMODE(mode) & needs != needs:
                relative = os.path.relpath(path, root) + ("/" if is_folder else "")
                yield f"{relative} {oct(stat.S_IMODE(mode))[2:]}"


def shown_path(path: str | None) -> str:
    """A code path as the user would type it: relative to the working folder when inside it."""
    if not path:
        return ""
    absolute, here = os.path.abspath(path), os.getcwd()
    return os.path.relpath(absolute, here) if absolute.startswith(here + os.sep) else path
