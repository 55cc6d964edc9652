from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PATTERNS = FIXTURES / "patterns"  # templates that deploy fine, in the shapes of public sample patterns
BROKEN = FIXTURES / "broken"


@pytest.fixture
def lint():
    """lint(path, ...) -> the report, as `badgateway lint` builds it."""
    from bot.lint.engine import lint_paths

    def run(*paths: Path | str, **options):
        return lint_paths([str(p) for p in paths], **options)

    return run


def rules_of(report, severity: str | None = None) -> set[tuple[str, str | None]]:
    return {(f.rule, f.entry) for f in report.findings if severity is None or f.severity == severity}
