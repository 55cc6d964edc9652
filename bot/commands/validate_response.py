"""`badgateway validate-response`: what the client gets when the function returns this JSON."""

from __future__ import annotations

import argparse
import json
import re
import textwrap

# Standard library only underneath: cheap to import when the CLI builds its parser.
from bot.core.responses import (
    INTEGRATIONS,
    LANGS,
    RUNTIMES,
    ResponseVerdict,
    detect_runtime,
    parse_response_text,
    validate_response,
)
from bot.core.responses.texts import one
from bot.inputs import read_input

_HELP = "check a Lambda function's response the way API Gateway (or an ALB) will read it"
_DESCRIPTION = (
    "Read the JSON a Lambda function returned (or an execution-log line quoting it after "
    "'Endpoint response body before transformations:') and tell what the client gets, as AWS "
    "really behaves. Exit 0 when accepted, 1 when rejected, 2 when the input cannot be read."
)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("validate-response", help=_HELP, description=_DESCRIPTION)
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE|-",
        help="file holding the response; '-' or nothing for standard input",
    )
    parser.add_argument(
        "--integration",
        required=True,
        choices=INTEGRATIONS,
        help="rest (REST API proxy), http-v1 / http-v2 (HTTP API payload format), alb",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--lang", choices=LANGS, default="en", help="language of the explanation")
    parser.add_argument(
        "--runtime",
        choices=RUNTIMES,
        default=None,
        help="write fix samples for this runtime (default: guessed from the input)",
    )
    parser.add_argument(
        "--multi-value-headers",
        action="store_true",
        help="ALB only: the target group has multi-value headers turned on",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    source = read_input(args.file)
    payload = parse_response_text(source.text)
    runtime = args.runtime or detect_runtime(source.text)
    verdict = validate_response(
        payload, args.integration, runtime=runtime, alb_multi_value_headers=args.multi_value_headers
    )
    if args.format == "json":
        print(json.dumps(verdict.to_json(args.lang), ensure_ascii=False, indent=2))
    else:
        print(render_text(verdict, args.lang))
    return 0 if verdict.accepted else 1


def render_text(verdict: ResponseVerdict, lang: str = "en") -> str:
    """A terminal-friendly report: the verdict line, then each problem with its path and fix."""
    lines = [verdict.summary(lang)]
    if verdict.entry:
        lines.append(f"{one('report.entry', lang)}: {verdict.entry}")
    if not verdict.problems:
        lines.append(one("report.none", lang))
    for problem in verdict.problems:
        lines.append("")
        lines.append(f"[{one('report.severity', lang, variant=problem.severity)}] {problem.path}")
        lines.extend(
            _wrap(problem.message[lang] if lang in problem.message else problem.message["en"])
        )
        fix = problem.fix.get(lang) or problem.fix["en"]
        intro, *samples = _SAMPLE_SPLIT.split(fix)
        lines.extend(_wrap(f"{one('report.fix', lang)}: {intro}"))
        lines.extend(f"      {sample}" for sample in samples)  # code: one line each, never wrapped
    return "\n".join(lines)


# Fix texts end with "...: Node.js `code`; Python `code`": one sample per line reads better.
_SAMPLE_SPLIT = re.compile(
    r"(?<=:) (?=(?:Node\.js|Python|Java|Go) `)|; (?=(?:Node\.js|Python|Java|Go) `)"
)


def _wrap(text: str) -> list[str]:
    # Code samples stay on one line where possible: wrap only on spaces, never inside words.
    return textwrap.wrap(
        text,
        width=100,
        initial_indent="  ",
        subsequent_indent="    ",
        break_long_words=False,
        break_on_hyphens=False,
    )
