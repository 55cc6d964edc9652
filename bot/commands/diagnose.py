"""`badgateway diagnose [FILE|-]`: what the pasted error text means and how to fix it."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diagnose",
        help="recognise the failure in pasted error text (logs, curl output, a sentence)",
        description="Recognise why API Gateway answered 5XX from pasted text. "
        "Exit 0 when a known cause is found, 1 when none is, 2 on usage or input errors.",
    )
    parser.add_argument("file", nargs="?", default="-", metavar="FILE|-",
                        help="file to read; '-' or nothing for standard input")
    parser.add_argument("--lang", choices=("auto", "en", "it"), default="auto",
                        help="answer language (default: detected from the prose, else English)")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument("--top", type=_positive, default=None, metavar="N",
                        help="list at most N causes (default: all that match)")
    parser.set_defaults(run=run)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--top needs a whole number, not '{value}'") from None
    if number < 1:
        raise argparse.ArgumentTypeError("--top needs a number of 1 or more")
    return number


BIG_FILE_BYTES = 4 * 1024 * 1024  # bot.bigfile.PREFILTER_MIN_BYTES; not imported for small pastes


def _is_big_file(path: str) -> bool:
    try:
        return path != "-" and os.path.isfile(path) and os.path.getsize(path) >= BIG_FILE_BYTES
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    from bot.core.matcher import get_matcher
    from bot.inputs import read_input

    matcher = get_matcher()
    source = None
    if _is_big_file(args.file):  # grep picks the lines worth reading (bot.bigfile)
        from bot.bigfile import read_big_file

        source = read_big_file(args.file, matcher.grep_prefilter())
    source = source or read_input(args.file)
    diagnosis = matcher.diagnose(source.text, lang=args.lang, top=args.top)
    if source.note:
        diagnosis = dataclasses.replace(diagnosis, notes=(*diagnosis.notes, source.note))
    if args.format == "json":
        sys.stdout.write(json.dumps(diagnosis.to_json(), ensure_ascii=False) + "\n")
    else:
        from bot.render.text import render_diagnosis

        sys.stdout.write(render_diagnosis(diagnosis, markdown=args.format == "markdown"))
    return 0 if diagnosis.found else 1
