"""`badgateway diagnose [FILE|-]`: what the pasted error text means and how to fix it."""

from __future__ import annotations

import sys

from bot.commands.quick import QuickOption, QuickOptions

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    import argparse


def _positive(value: str) -> int:
    import argparse

    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--top needs a whole number, not '{value}'") from None
    if number < 1:
        raise argparse.ArgumentTypeError("--top needs a number of 1 or more")
    return number


def run(args: argparse.Namespace) -> int:
    from bot.commands import loaded
    from bot.core.matching.matcher import get_matcher
    from bot.inputs import open_input, whole_text

    try:
        matcher = get_matcher()
    finally:
        loaded()  # the knowledge base and the model stay for the whole run (bot/commands/__init__.py)
    big = None
    with open_input(args.file) as opened:
        if opened.complete or opened.is_insights_csv:  # a paste, or rows that span lines
            source = whole_text(opened)
            diagnosis = matcher.diagnose(source.text, lang=args.lang, top=args.top)
            notes: tuple[str, ...] = (source.note,) if source.note else ()
        else:  # a big log: streamed once, only the lines worth matching are matched
            big = _read_big(opened, matcher, show_progress=args.format != "json")
            diagnosis = matcher.diagnose(
                big.text, lang=args.lang, top=args.top, line_numbers=big.line_numbers
            )
            from bot.bigfile import notes as big_notes

            notes = big_notes(big, diagnosis.language)
    if notes:
        diagnosis = diagnosis._replace(notes=(*diagnosis.notes, *notes))
    if args.format == "json":
        import json

        document = diagnosis.to_json()
        if big is not None:
            document["scan"] = {
                "bytes": big.bytes_read, "lines": big.lines, "engine": big.engine,
                "seconds": round(big.seconds, 3), "matched": big.matched,
                **({"error": big.error} if big.error else {}),
            }
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    else:
        from bot.render.text import render_diagnosis

        sys.stdout.write(render_diagnosis(diagnosis, markdown=args.format == "markdown"))
    return 0 if diagnosis.found else 1


def _read_big(opened, matcher, *, show_progress: bool):  # type: ignore[no-untyped-def]
    from bot.bigfile import Progress, read_big
    from bot.errors import UsageError
    from bot.scan.engine import EngineUnavailable

    progress = Progress(opened) if show_progress and Progress.wanted() else None
    try:
        return read_big(opened, matcher, progress=progress)
    except (EngineUnavailable, ValueError) as exc:
        raise UsageError(f"{opened.source}: cannot be scanned ({exc})") from None
    finally:
        if progress is not None:
            progress.clear()


# Read by argparse (register) and, for the plain forms, without it (bot/commands/quick.py).
QUICK = QuickOptions(
    command="diagnose",
    positional="file",
    positional_default="-",
    options=(
        QuickOption("--lang", "lang", "auto", choices=("auto", "en", "it")),
        QuickOption("--format", "format", "text", choices=("text", "markdown", "json")),
        QuickOption("--top", "top", None, convert=_positive),
    ),
    defaults={"run": run, "loads_then_collects": True},
)
_LANG, _FORMAT, _TOP = QUICK.options


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "diagnose",
        help="recognise the failure in pasted error text (logs, curl output, a sentence)",
        description="Recognise why API Gateway answered 5XX from pasted text. "
        "Exit 0 when a known cause is found, 1 when none is, 2 on usage or input errors.",
    )
    parser.add_argument(QUICK.positional, nargs="?", default=QUICK.positional_default, metavar="FILE|-",
                        help="file to read; '-' or nothing for standard input")
    parser.add_argument(_LANG.flag, choices=_LANG.choices, default=_LANG.default,
                        help="answer language (default: detected from the prose, else English)")
    parser.add_argument(_FORMAT.flag, choices=_FORMAT.choices, default=_FORMAT.default)
    parser.add_argument(_TOP.flag, type=_TOP.convert, default=_TOP.default, metavar="N",
                        help="list at most N causes (default: all that match)")
    parser.set_defaults(**QUICK.defaults)
