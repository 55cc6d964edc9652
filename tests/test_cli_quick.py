"""`diagnose`'s plain command lines are read without argparse (bot/commands/quick.py): every form
the quick reader accepts must give exactly argparse's namespace, and the rest goes to argparse."""

from __future__ import annotations

import itertools
import sys

import pytest

from bot.cli import _quick_args, build_parser

POSITIONALS = ([], ["app.log"], ["-"], [""], ["a.log", "b.log"], ["-5"])
OPTIONS = (
    [], ["--lang", "it"], ["--lang=en"], ["--lang", "de"], ["--lang"], ["--format", "json"],
    ["--format=markdown"], ["--format", "xml"], ["--top", "3"], ["--top=1"], ["--top", "0"],
    ["--top", "x"], ["--top", "-1"], ["--form", "json"], ["-h"], ["--"], ["--lang", "--top"],
    ["--lang", "it", "--lang", "en"], ["--lang="],
)


def argparse_reading(argv: list[str]) -> dict | None:
    try:
        return vars(build_parser(argv).parse_args(argv))
    except SystemExit:
        return None


def cases():
    for positional, first, second in itertools.product(POSITIONALS, OPTIONS, OPTIONS[:8]):
        for order in ((*positional, *first, *second), (*first, *positional, *second)):
            yield ["diagnose", *order]


@pytest.mark.parametrize("argv", [*list(cases())[::7], ["diagnose"], ["diagnose", "f", "--top", "2"]])
def test_the_quick_reading_is_argparse_reading(argv, capsys):
    quick = _quick_args(argv)
    if quick is not None:
        assert vars(quick) == argparse_reading(argv)
    capsys.readouterr()


def test_every_form_quick_refuses_is_read_by_argparse_and_the_plain_ones_are_quick(capsys):
    accepted = refused = 0
    for argv in cases():
        quick = _quick_args(argv)
        if quick is None:
            refused += 1
            continue
        accepted += 1
        assert vars(quick) == argparse_reading(argv), argv
    capsys.readouterr()
    assert accepted > 200 and refused > 500  # both paths are exercised
    for plain in (["diagnose"], ["diagnose", "app.log"], ["diagnose", "-", "--format", "json"],
                  ["diagnose", "--lang=it", "app.log", "--top", "2"]):
        assert _quick_args(plain) is not None, plain


def test_other_commands_and_help_go_to_argparse():
    assert _quick_args(["kb", "list"]) is None
    assert _quick_args(["diagnose", "--help"]) is None
    assert _quick_args([]) is None


def test_a_plain_diagnose_does_not_import_argparse(tmp_path):
    import subprocess

    paste = tmp_path / "paste.txt"
    paste.write_text("Task timed out after 3.00 seconds\n")
    code = ("import sys; from bot.cli import main; code = main(['diagnose', sys.argv[1]]); "
            "print('argparse' in sys.modules, file=sys.stderr); raise SystemExit(code)")
    done = subprocess.run([sys.executable, "-c", code, str(paste)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and "function-timeout" in done.stdout
    assert done.stderr.strip() == "False"
