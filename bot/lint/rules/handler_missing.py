"""For code on this machine (a CodeUri folder or zip, inline code): the handler's file exists
where the runtime looks for it, and defines the function -> handler-not-found."""

from __future__ import annotations

from bot.lint.code import INLINE_MODULE, find_handler, handler_module, shown_path, typescript_source
from bot.lint.finding import LintFinding
from bot.lint.model.model import Function, Model
from bot.lint.rules.base import Rule
from bot.live.checks.functions.function_state import handler_problem_for
from bot.live.checks.functions.package import node_exports, python_defines

# Built code: the handler names what the build writes, not what is in the folder.
BUILT = frozenset({"makefile", "esbuild", "rust-cargolambda", "dotnet", "dotnet7", "go1.x", "java8", "java11"})


class HandlerMissing(Rule):
    id = "handler-missing"
    title = "The handler's file and function exist in the local code"
    entry = "handler-not-found"
    severity = "error"
    cfn_lint_id = "E9108"
    description = ("When the code is on this machine (a CodeUri folder or zip, a CDK asset, a Serverless package, "
                   "inline code), the file the handler names must be at that path from the code's root and define "
                   "the function; otherwise every invocation fails with Runtime.ImportModuleError or "
                   "Runtime.HandlerNotFound (502).")

    def check(self, model: Model) -> list[LintFinding]:
        findings = []
        for function in model.functions:
            code = function.code
            if code is None or function.package_type != "Zip" or (function.build_method or "").lower() in BUILT:
                continue
            if code.kind == "folder" and typescript_source(code, function):
                continue
            if handler_problem_for({"Handler": function.handler or "", "Runtime": function.runtime or ""}):
                continue  # handler-format says what is wrong with it
            located = handler_module(function)
            handler = find_handler(code, function)
            if located is None or handler is None:
                continue
            if handler.found is None:
                findings.append(self._missing_file(model, function, handler.expected, code.kind))
            elif handler.text is not None and not _defines(function, handler.text, located[1]):
                findings.append(self.finding(
                    function.place,
                    f"{handler.found} does not define {located[1]}, which handler {function.handler} names: every "
                    f"invocation fails with Runtime.HandlerNotFound (502)",
                    fix=f"Define {located[1]} in {handler.found} (exported, for Node.js), or point the handler at the "
                        "function that is there",
                ))
        return findings

    def _missing_file(self, model: Model, function: Function, expected: str, kind: str) -> LintFinding:
        where = {"inline": "inline code, which Lambda writes as " + f"{INLINE_MODULE}.py / {INLINE_MODULE}.js",
                 "zip": f"the package {shown_path(function.code.path if function.code else '')}",
                 "folder": f"the code folder {shown_path(function.code.path if function.code else '')}"}[kind]
        layered = " (a layer may provide it)" if function.has_layers else ""
        message = (f"handler {function.handler} needs {expected} at the root of {where}, which is not there{layered}: "
                   "every invocation fails with Runtime.ImportModuleError (502)")
        fix = ("Point the handler at the file as it sits in the code (folders with '/', e.g. src/app.handler), or "
               "point the code at the folder that holds the file")
        if kind == "inline":
            fix = f"Inline code is the file {INLINE_MODULE}: write the handler as {INLINE_MODULE}.FUNCTION"
        return self.finding(function.place, message, fix=fix,
                            severity="warning" if function.has_layers else None)


def _defines(function: Function, source: str, name: str) -> bool:
    if (function.runtime or "").startswith("python"):
        return python_defines(source, name)
    return node_exports(source, name)
