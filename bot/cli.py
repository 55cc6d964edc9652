"""The `badgateway` command line.

Each subcommand lives in `bot/commands/<name>.py` with `register(subparsers)` and `run(args)`.
Command modules import nothing heavy at module level, so `badgateway diagnose` starts fast.
"""

from __future__ import annotations

import importlib
import os
import sys

from bot import __version__
from bot.errors import BadGatewayError

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    import argparse
    from typing import Any

# Command name -> module, in the order of `badgateway --help`. A module not there yet is skipped.
COMMAND_MODULES = {
    "diagnose": "bot.commands.diagnose",
    "validate-response": "bot.commands.validate_response",
    "kb": "bot.commands.kb",
    "check": "bot.commands.check",
    "trace": "bot.commands.trace",
    "lint": "bot.commands.lint",
    "demo": "bot.commands.demo",
    "serve": "bot.commands.serve",
    "feedback": "bot.commands.feedback",
}


# Commands whose plain command lines are read without argparse (bot/commands/quick.py): the
# ones people run in a loop or a pipe, where start-up is most of the time.
QUICK_COMMANDS = {"diagnose"}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with `argv` naming a command, only that command's module is imported."""
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str):  # type: ignore[no-untyped-def]  # one line, exit 2, no usage spam
            self.exit(2, f"badgateway: error: {message}\n")

    parser = _Parser(
        prog="badgateway",
        description="Why API Gateway answers 502 in front of Lambda, and how to fix it.",
    )
    parser.add_argument("--version", action="version", version=f"badgateway {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    wanted = [a for a in (argv or []) if not a.startswith("-")][:1]
    names = wanted if wanted and wanted[0] in COMMAND_MODULES else list(COMMAND_MODULES)
    for module_name in (COMMAND_MODULES[name] for name in names):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    from bot.commands import loaded, pause_collector

    if argv is None:  # the program itself, not a caller in the same process
        argv = sys.argv[1:]
        pause_collector()
    args: Any = _quick_args(argv)
    if args is None:
        parser = build_parser(argv)
        args = parser.parse_args(argv)
    if not getattr(args, "loads_then_collects", False):
        loaded()  # this command calls it itself once its data is loaded
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
    except Exception as exc:
        if os.environ.get("BADGATEWAY_DEBUG"):
            raise
        print(
            f"badgateway: internal error ({type(exc).__name__}: {exc}); "
            "run again with BADGATEWAY_DEBUG=1 for the traceback and report it",
            file=sys.stderr,
        )
        return 70


def _quick_args(argv: list[str]) -> Any:
    """The arguments of a plain `diagnose` line, read without argparse; None for anything else."""
    if not argv or argv[0] not in QUICK_COMMANDS:
        return None
    from types import SimpleNamespace

    from bot.commands import quick

    module = importlib.import_module(COMMAND_MODULES[argv[0]])
    values = quick.parse(module.QUICK, argv)
    return None if values is None else SimpleNamespace(**values)


if __name__ == "__main__":
    raise SystemExit(main())
