"""The hops of one request, in the order it passes them, one module each behind one interface:

    ENTRIES: frozenset[str]   the knowledge entries that fail at this hop
    read(facts, earlier) -> Hop   what the logs say about this hop (earlier: the hops before it)

A knowledge entry belongs to one hop (ENTRY_HOPS), so a line the matcher explains is told at the
hop where the failure happened, whichever log it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from bot.trace.facts import Facts
from bot.trace.hops import authorizer, function, integration, response
from bot.trace.model import Hop

Reader = Callable[[Facts, tuple[Hop, ...]], Hop]
HOPS: tuple[ModuleType, ...] = (authorizer, integration, function, response)
ENTRY_HOPS: dict[str, str] = {entry: module.__name__.rsplit(".", 1)[1] for module in HOPS for entry in module.ENTRIES}


def read_hops(facts: Facts) -> tuple[Hop, ...]:
    hops: tuple[Hop, ...] = ()
    for module in HOPS:
        hops += (module.read(facts, hops),)
    return hops
