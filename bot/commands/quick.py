"""The plain command lines of a command that must start fast, read without argparse.

Importing argparse and building a parser was a fifth of `badgateway diagnose`'s start-up
(argparse brings gettext, locale and shutil, and every option added builds a help formatter).
A command declares its options once (`QuickOptions`); `register` gives them to argparse, and
`parse` reads the common forms itself: a positional, `--option value`, `--option=value`. Anything
else (help, `--`, an abbreviation, an unknown option, a bad value) returns None and argparse reads
the line, with its usual messages. tests/test_cli.py checks that both read every form alike.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.record import Record

TYPE_CHECKING = False  # typing costs milliseconds to import: for the type checker only
if TYPE_CHECKING:
    from typing import Any


class QuickOption(Record):
    flag: str  # "--lang"
    dest: str  # "lang"
    default: Any
    choices: tuple[str, ...] | None = None
    convert: Callable[[str], Any] | None = None  # raises ValueError (or argparse's type error)

    def read(self, value: str) -> Any:
        if self.choices is not None and value not in self.choices:
            raise ValueError(value)
        return self.convert(value) if self.convert is not None else value


class QuickOptions(Record):
    command: str
    positional: str  # its dest; it is optional
    positional_default: str
    options: tuple[QuickOption, ...]
    defaults: dict[str, Any]  # set_defaults of the command's parser


def parse(spec: QuickOptions, argv: list[str]) -> dict[str, Any] | None:
    """The namespace argparse would give for `argv` (the command name first), or None."""
    if not argv or argv[0] != spec.command:
        return None
    by_flag = {option.flag: option for option in spec.options}
    values: dict[str, Any] = {option.dest: option.default for option in spec.options}
    positional: str | None = None
    rest = iter(argv[1:])
    for word in rest:
        if word.startswith("-") and word != "-":
            flag, equals, value = word.partition("=")
            option = by_flag.get(flag)
            if option is None:
                return None
            if not equals:
                value = next(rest, None)  # type: ignore[assignment]
                if value is None or (value.startswith("-") and value != "-"):
                    return None
            try:
                values[option.dest] = option.read(value)
            except Exception:  # argparse's own message, from its own reading
                return None
        elif positional is None:
            positional = word
        else:
            return None
    return {"command": spec.command,
            spec.positional: spec.positional_default if positional is None else positional,
            **values, **spec.defaults}
