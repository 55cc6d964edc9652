"""The subcommands of `badgateway`, one module each (see bot/cli.py).

The cyclic garbage collector is paused while a command starts: loading the knowledge base and
the prose model makes tens of thousands of objects that live for the whole run, and collecting
them during the load and again at exit was a quarter of `diagnose`'s start-up. A command that
loads such data calls `loaded()` once it has; the CLI resumes collection for every other one.
"""

from __future__ import annotations

import gc

_paused = False


def pause_collector() -> None:
    """Only for the `badgateway` program itself: code calling `main(argv)` keeps its collector."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def loaded() -> None:
    """What exists now lives for the whole run: the collector leaves it alone from here on."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
