"""Pieces every listener module uses."""

from __future__ import annotations

from typing import Any


def acknowledge(ack: Any) -> None:
    """Ack at once: Slack wants an answer within 3 seconds; the work runs after, in a lazy listener."""
    ack()
