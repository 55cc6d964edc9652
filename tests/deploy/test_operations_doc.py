"""The README's reference table names every setting the code reads and every option."""

from __future__ import annotations

import argparse
import re

from .conftest import ROOT

DOC = (ROOT / "README.md").read_text()


def variables_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        source = path.read_text()
        names.update(re.findall(r'"((?:SLACK|BADGATEWAY)_[A-Z0-9_]+)"', source))
        names.update(re.findall(r'(?:environ|env)\.get\(\s*"([A-Z][A-Z0-9_]+)"', source))
        names.update(re.findall(r'(?:environ|env)\[\s*"([A-Z][A-Z0-9_]+)"\s*\]', source))
        names.update(re.findall(r'_get\(env, "([A-Z][A-Z0-9_]+)"\)', source))
    return names


def options(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        found.update(o for o in action.option_strings if o.startswith("--") and o != "--help")
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= options(sub)
    return found


def test_every_environment_variable_is_in_the_table():
    names = variables_read_by_the_code()
    assert {"SLACK_BOT_TOKEN", "BADGATEWAY_LOG_FORMAT", "PORT", "AWS_ENDPOINT_URL_LAMBDA"} <= names
    missing = sorted(name for name in names if f"`{name}`" not in DOC)
    assert not missing, f"add to the README's reference table: {missing}"


def test_every_command_line_option_is_in_the_table():
    from bot.cli import build_parser

    missing = sorted(option for option in options(build_parser()) if f"`{option}" not in DOC)
    assert not missing, f"add to the README's reference table: {missing}"
