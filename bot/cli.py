"""The `badgateway` command line.

Each subcommand lives in `bot/commands/<name>.py` with `register(subparsers)` and `run(args)`.
Command modules import nothing heavy at module level, so `badgateway diagnose` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from bot import __version__
from bot.errors import BadGatewayError

# Order is the order of `badgateway --help`. A module that does not exist yet is skipped.
COMMAND_MODULES = (
    "bot.commands.diagnose",
    "bot.commands.validate_response",
    "bot.commands.kb",
    "bot.commands.check",
    "bot.commands.demo",
    "bot.commands.serve",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as argparse does but without usage spam
        self.exit(2, f"badgateway: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="badgateway",
        description="Why API Gateway answers 502 in front of Lambda, and how to fix it.",
    )
    parser.add_argument("--version", action="version", version=f"badgateway {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args))
    except BadGatewayError as exc:
        print(f"badgateway: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("badgateway: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `badgateway diagnose big.log | head`: the reader left; nothing more to say.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
