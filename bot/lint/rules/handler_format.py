"""A Handler setting that cannot exist for the runtime (a file extension in it, no function
part, the wrong form for Java or .NET) -> handler-not-found (Runtime.HandlerNotFound, 502)."""

from __future__ import annotations

from bot.lint import fixes
from bot.lint.finding import LintFinding
from bot.lint.model.model import Model
from bot.lint.rules.base import Rule
from bot.live.checks.functions.function_state import handler_problem_for


class HandlerFormat(Rule):
    id = "handler-format"
    title = "Each handler has a form its runtime can load"
    entry = "handler-not-found"
    severity = "error"
    cfn_lint_id = "E9107"
    description = ("Python and Node.js handlers are MODULE.FUNCTION without a file extension, Java handlers "
                   "package.Class::method, .NET handlers Assembly::Namespace.Class::Method. Any other form fails "
                   "every invocation with Runtime.HandlerNotFound or Runtime.ImportModuleError (502).")

    def check(self, model: Model) -> list[LintFinding]:
        findings = []
        for function in model.functions:
            if function.runtime is None:
                continue
            problem = handler_problem_for({"Handler": function.handler or "", "Runtime": function.runtime,
                                           "PackageType": function.package_type})
            if not problem:
                continue
            guess = (function.handler or "index").split(".")[0] + ".handler"
            key = "handler" if fixes.is_terraform(model) else "Handler"
            findings.append(self.finding(
                function.place, f"{function.label}: {problem}",
                fix=f"Write the handler as the runtime reads it, e.g. {key}: {guess} (the real file and function)",
                patch=fixes.property_patch(model, function.place.logical_id,
                                           {key: f'"{guess}"' if fixes.is_terraform(model) else guess}),
            ))
        return findings
