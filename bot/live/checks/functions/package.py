"""`--inspect-package` (opt-in): download each function's deployment package (size cap) and check
that the runtime can read its files (644 files, 755 directories and executables ->
package-permission-denied) and that the handler's file and function exist (-> handler-not-found)."""

from __future__ import annotations

import ast
import io
import ipaddress
import re
import stat
import urllib.parse
import urllib.request
import zipfile
from typing import TYPE_CHECKING, Any

from bot.live.checks.base import Check, PerTargetCheck, function_resource
from bot.live.finding import Finding
from bot.live.inventory import LambdaTarget

if TYPE_CHECKING:
    from bot.live.context import CheckContext

DOWNLOAD_TIMEOUT = 10.0
MAX_LISTED = 5
_EXECUTABLE_NAMES = ("bootstrap",)


class PackageTooLarge(Exception):
    pass


class Package(PerTargetCheck):
    id = "package"
    title = "Deployment package: file modes, handler file and function"
    entry = "package-permission-denied"
    iam_actions = ("lambda:GetFunction",)
    needs = frozenset({"code"})
    opt_in = "inspect_package"

    def check_target(self, context: CheckContext, target: LambdaTarget) -> list[Finding]:
        resource = function_resource(target.label)
        answer = context.function_code(target)
        configuration = answer.get("Configuration") or {}
        if configuration.get("PackageType") == "Image":
            return [self.finding("skip", resource, "a container image: no zip package to inspect")]
        location = (answer.get("Code") or {}).get("Location")
        if not location:
            return [self.finding("skip", resource, "Lambda gave no package location to download")]
        cap = context.options.package_size_cap
        try:
            data = download(str(location), cap)
        except PackageTooLarge:
            return [self.finding("skip", resource, f"package larger than the {cap // 1048576} MB inspection cap")]
        except (OSError, ValueError) as exc:
            return [self.finding("error", resource, f"could not download the package: {exc}")]
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            return [self.finding("error", resource, "the package is not a valid zip file")]
        with archive:
            findings = _mode_findings(self, resource, target, archive)
            findings += _handler_findings(self, resource, target, configuration, archive)
        if not findings:
            findings.append(self.finding(
                "pass", resource,
                f"{len(archive.infolist())} file(s) readable by the runtime; handler {configuration.get('Handler')} found",
            ))
        return findings


def download(url: str, cap: int) -> bytes:
    """GET the presigned package URL, at most `cap` bytes. HTTPS only, but plain HTTP on loopback (tests)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and _is_loopback(parts.hostname or "")):
        raise ValueError(f"refusing to download from {parts.scheme}://{parts.hostname}")
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response:
        declared = response.headers.get("Content-Length")
        if declared and int(declared) > cap:
            raise PackageTooLarge()
        data = response.read(cap + 1)
    if len(data) > cap:
        raise PackageTooLarge()
    return bytes(data)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def unreadable_entries(archive: zipfile.ZipFile, handler_file: str | None = None) -> list[str]:
    """Entries the runtime's user (not the owner) cannot read, or enter, or run."""
    problems: list[str] = []
    for info in archive.infolist():
        if info.create_system != 3:  # no Unix modes recorded (e.g. zipped on Windows): Lambda uses defaults
            continue
        mode = info.external_attr >> 16
        permissions = stat.S_IMODE(mode)
        if not mode or not permissions:
            continue
        name = info.filename
        is_directory = name.endswith("/") or stat.S_ISDIR(mode)
        needs = stat.S_IROTH | (stat.S_IXOTH if is_directory or name.rsplit("/", 1)[-1] in _EXECUTABLE_NAMES else 0)
        if permissions & needs != needs:
            problems.append(f"{name} {oct(permissions)[2:]}")
    return problems


def _mode_findings(check: Check, resource: str, target: LambdaTarget, archive: zipfile.ZipFile) -> list[Finding]:
    problems = unreadable_entries(archive)
    if not problems:
        return []
    listed = ", ".join(problems[:MAX_LISTED]) + (f" and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else "")
    return [check.finding(
        "fail", resource,
        f"{len(problems)} file(s) in the package of {target.label} cannot be read by the runtime's user: {listed}; "
        "the function fails with EACCES / [Errno 13] Permission denied (502)",
        entry="package-permission-denied",
        fix=("Set 644 on files and 755 on directories and executables before zipping: chmod -R o+rX . "
             f"(and chmod 755 bootstrap), then zip again and aws lambda update-function-code --function-name "
             f"{target.name} --zip-file fileb://package.zip"),
        evidence=tuple(problems[:MAX_LISTED]),
    )]


def _handler_findings(
    check: Check, resource: str, target: LambdaTarget, configuration: dict[str, Any], archive: zipfile.ZipFile
) -> list[Finding]:
    handler = str(configuration.get("Handler") or "")
    runtime = str(configuration.get("Runtime") or "")
    names = set(archive.namelist())
    has_layers = bool(configuration.get("Layers"))
    if runtime.startswith("python") and "." in handler:
        module, function = handler.rsplit(".", 1)
        base = module.replace(".", "/")
        candidates = [f"{base}.py", f"{base}/__init__.py"]
        found = next((c for c in candidates if c in names), None)
        if found is None:
            return [_missing_file(check, resource, target, handler, candidates[0], has_layers,
                                  f"Runtime.ImportModuleError: Unable to import module '{module}'")]
        source = archive.read(found).decode("utf-8", "replace")
        if not python_defines(source, function):
            return [_missing_function(check, resource, target, handler, found,
                                      f"Runtime.HandlerNotFound: Handler '{function}' missing on module '{module}'")]
    elif runtime.startswith("nodejs") and "." in handler:
        module, export = handler.split("/")[-1].split(".", 1)
        directory = handler.rsplit("/", 1)[0] + "/" if "/" in handler else ""
        candidates = [f"{directory}{module}{suffix}" for suffix in (".js", ".mjs", ".cjs")]
        found = next((c for c in candidates if c in names), None)
        if found is None:
            return [_missing_file(check, resource, target, handler, candidates[0], has_layers,
                                  f"Runtime.ImportModuleError: Error: Cannot find module '{module}'")]
        source = archive.read(found).decode("utf-8", "replace")
        if not node_exports(source, export.split(".")[0]):
            return [_missing_function(check, resource, target, handler, found,
                                      f"Runtime.HandlerNotFound: {handler} is undefined or not exported")]
    return []


def _missing_file(check: Check, resource: str, target: LambdaTarget, handler: str, expected: str,
                  has_layers: bool, error: str) -> Finding:
    return check.finding(
        "warn" if has_layers else "fail", resource,
        f"handler {handler} needs {expected} at the root of the package, which is not there"
        + (" (a layer may provide it)" if has_layers else "") + f"; the function fails with {error}",
        entry="handler-not-found",
        fix=(f"Zip the files themselves, not their folder (cd build && zip -r ../package.zip .), or point the handler "
             f"at the real path: aws lambda update-function-configuration --function-name {target.name} --handler PATH.FUNCTION"),
    )


def _missing_function(check: Check, resource: str, target: LambdaTarget, handler: str, file: str, error: str) -> Finding:
    return check.finding(
        "fail", resource,
        f"{file} does not define what handler {handler} names; the function fails with {error}",
        entry="handler-not-found",
        fix=(f"Export the function under that name, or change the handler: aws lambda update-function-configuration "
             f"--function-name {target.name} --handler {handler.rsplit('.', 1)[0]}.REAL_NAME"),
    )


def python_defines(source: str, name: str) -> bool:
    """True when the module defines `name` at top level (or might: star imports, syntax we cannot read)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return True  # a syntax error is another failure (Runtime.UserCodeSyntaxError), not this one
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return True
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*" or (alias.asname or alias.name.split(".")[0]) == name:
                    return True
    return False


def node_exports(source: str, name: str) -> bool:
    """A textual look for an export of `name`; errs towards True (bundled code hides exports)."""
    escaped = re.escape(name)
    patterns = (
        rf"\bexports\.{escaped}\s*=", rf"\bmodule\.exports\.{escaped}\s*=",
        rf"\bexport\s+(?:async\s+)?function\s*\*?\s*{escaped}\b", rf"\bexport\s+(?:const|let|var)\s+{escaped}\b",
        rf"\bexport\s*\{{[^}}]*\b{escaped}\b[^}}]*\}}", rf"\bmodule\.exports\s*=\s*\{{[^}}]*\b{escaped}\b",
        rf"\bexports\[\s*['\"]{escaped}['\"]\s*\]", rf"['\"]{escaped}['\"]\s*:",
        r"__webpack_require__|esbuild|Object\.defineProperty\(exports",
    )
    return any(re.search(pattern, source) for pattern in patterns)
