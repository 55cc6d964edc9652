"""For code on this machine: every file readable by the runtime's user, every folder enterable
(644 / 755) -> package-permission-denied (EACCES, [Errno 13], 502)."""

from __future__ import annotations

from bot.lint.code import shown_path, unreadable_files
from bot.lint.finding import LintFinding
from bot.lint.model.model import Model
from bot.lint.rules.base import Rule

MAX_LISTED = 5


class PackageFileModes(Rule):
    id = "package-file-modes"
    title = "The runtime can read every file of the local code"
    entry = "package-permission-denied"
    severity = "error"
    cfn_lint_id = "E9109"
    description = ("Lambda runs the code as a user that is not the files' owner: files need o+r (644), folders "
                   "and executables o+rx (755). Packaging keeps the modes on disk, so a file that is 600 locally "
                   "fails in Lambda with EACCES / [Errno 13] Permission denied (502).")

    def check(self, model: Model) -> list[LintFinding]:
        findings = []
        checked: set[str] = set()
        for function in model.functions:
            code = function.code
            if code is None or code.kind == "inline" or not code.path or code.path in checked:
                continue
            checked.add(code.path)
            problems = unreadable_files(code)
            if not problems:
                continue
            listed = ", ".join(problems[:MAX_LISTED]) + (f" and {len(problems) - MAX_LISTED} more"
                                                          if len(problems) > MAX_LISTED else "")
            findings.append(self.finding(
                function.place,
                f"{len(problems)} file(s) of {function.label}'s code in {shown_path(code.path)} cannot be read by the runtime's "
                f"user: {listed}; the function fails with EACCES / [Errno 13] Permission denied (502)",
                fix=f"chmod -R o+rX {shown_path(code.path)} (and chmod 755 on executables such as bootstrap), then package again",
            ))
        return findings
