"""Stopping `badgateway serve` cleanly: SIGTERM or SIGINT stops taking new requests, lets the work
in flight finish for up to BADGATEWAY_SHUTDOWN_TIMEOUT seconds (default 8, inside `docker stop`'s
10), then exits 0. A second signal exits at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Mapping
from typing import Any

from bot.slack.config import ConfigError

DEFAULT_TIMEOUT = 8.0
log = logging.getLogger("badgateway")


def shutdown_timeout(env: Mapping[str, str]) -> float:
    raw = (env.get("BADGATEWAY_SHUTDOWN_TIMEOUT") or "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 600:
        raise ConfigError("BADGATEWAY_SHUTDOWN_TIMEOUT is malformed: expected seconds from 0 to 600")
    return seconds


class StopSignal:
    """SIGTERM / SIGINT set `requested`; the main thread waits on it. A second one exits at once."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.signal_name = ""

    def install(self) -> StopSignal:
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, self._handle)
        return self

    def wait(self) -> None:
        while not self.requested.wait(0.5):
            pass

    def _handle(self, number: int, frame: Any) -> None:
        if self.requested.is_set():
            log.warning("badgateway: second %s: stopping now", signal.Signals(number).name)
            exit_now(1)
        self.signal_name = signal.Signals(number).name
        self.requested.set()


def exit_now(code: int) -> None:
    """Leave without waiting for worker threads (after the drain timed out): flush, then _exit."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def stopped(log: logging.Logger, left: int) -> int:
    if left:
        log.warning("badgateway: stopped with %d piece(s) of work unfinished", left)
        exit_now(0)  # worker threads are not waited for past the grace period
    log.info("badgateway: stopped")
    return 0
