from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pytest_configure(config):
    # Every knowledge folder the tests copy gets its parsed copy in the cache (bot.core.kb.cache):
    # they go to a folder of this run's own, never to the developer's ~/.cache.
    folder = tempfile.mkdtemp(prefix="badgateway-test-cache-")
    config._badgateway_cache = folder
    os.environ["XDG_CACHE_HOME"] = folder


def pytest_unconfigure(config):
    folder = getattr(config, "_badgateway_cache", None)
    if folder:
        from bot.core import lazy_re

        lazy_re.save()  # now, not at exit: the folder is removed below
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def knowledge():
    from bot.core.kb.knowledge import load_knowledge

    return load_knowledge(ROOT / "knowledge")


@pytest.fixture(scope="session")
def matcher(knowledge):
    from bot.core.matching.matcher import Matcher

    return Matcher(knowledge)


def run_cli(*args: str, stdin: bytes | str | None = None, timeout: float = 120, env: dict | None = None):
    """Run `python -m bot ARGS` as a user would, in a separate process."""
    if isinstance(stdin, str):
        stdin = stdin.encode()
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=timeout,
        cwd=ROOT,
        env=environment,
    )
