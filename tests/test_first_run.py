"""What a newcomer meets first: `make try` and `make test` on a fresh clone, and the first mistakes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, run_cli


def test_make_try_shows_each_entry_once() -> None:
    """`make try` diagnoses samples/ and then runs the demo, two processes: two different entries
    in full, not the same 60 lines twice."""
    sample = run_cli("diagnose", "samples/execution-log-malformed.txt")
    demo = run_cli("demo", timeout=300)
    assert sample.returncode == 0 and demo.returncode == 0, demo.stderr.decode()
    out = sample.stdout.decode() + demo.stdout.decode()
    headings = re.findall(r"^.+  \[([a-z0-9-]+)\]$", out, flags=re.MULTILINE)  # an entry shown in full
    assert len(headings) == 2 and len(set(headings)) == 2, headings


def test_kb_validate_on_a_folder_without_schema_json_is_one_line_and_exit_2(tmp_path: Path) -> None:
    shutil.copy(ROOT / "knowledge" / "function-timeout.yaml", tmp_path)
    result = run_cli("kb", "validate", "--dir", str(tmp_path))
    assert result.returncode == 2
    [line] = result.stderr.decode().splitlines()
    assert "schema.json" in line and "Traceback" not in line
    result = run_cli("kb", "validate", "--dir", str(tmp_path / "missing"))
    assert result.returncode == 2 and len(result.stderr.decode().splitlines()) == 1


def test_the_editable_install_is_a_path_entry_not_an_import_finder() -> None:
    """setuptools prints its "Editable installation" warning box for the import-finder kind of
    editable install, on every `make try` and `make test`; a plain path entry prints nothing."""
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])  # the environment running the tests
    finders = list(site.glob("__editable___badgateway*finder.py"))
    paths = list(site.glob("__editable__.badgateway*.pth"))
    if not finders and not paths:
        pytest.skip("badgateway is not installed in editable mode here (`make test` installs it so)")
    assert finders == [], finders
    [pth] = paths
    assert Path(pth.read_text().strip()).resolve() == ROOT.resolve()
