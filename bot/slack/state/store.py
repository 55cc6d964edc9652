"""What the bot remembers between requests, behind one small interface with two implementations.

- `MemoryStore` (bot.slack.state.memory): this process only. Right for one `badgateway serve`.
- `DynamoStore` (bot.slack.state.dynamodb): one DynamoDB table (on-demand, TTL) that every
  process and every Lambda container shares. Used when BADGATEWAY_STATE_TABLE names it.

Four kinds of thing, each under a key the caller builds (bot.slack.state.bot_state names them):
a *claim* ("was this done already?", taken atomically, forgotten after its ttl), a *lock* with an
owner and an expiry, a *value* (a small JSON object) and a *collection* of values by member id,
read newest member first. Everything expires; nothing is ever read back past its ttl.
"""

from __future__ import annotations

from typing import Any, Protocol

Json = dict[str, Any]


class StateError(Exception):
    """The store could not be read or written (one line, for the log)."""


class Store(Protocol):
    shared: bool  # True when every process and container sees the same state

    def claim(self, key: str, ttl: float) -> bool:
        """Take `key` for `ttl` seconds unless it is taken already; True when this call took it."""
        ...

    def release(self, key: str) -> None:
        """Forget a claim (work that did not happen after all)."""
        ...

    def lock(self, key: str, owner: str, ttl: float) -> bool:
        """Hold `key` for `owner` until unlock or `ttl` seconds; False while someone else holds it."""
        ...

    def unlock(self, key: str, owner: str) -> None:
        """Let go of `key`, if `owner` still holds it."""
        ...

    def put(self, key: str, value: Json, ttl: float) -> None: ...

    def get(self, key: str) -> Json | None: ...

    def add(self, collection: str, member: str, value: Json, ttl: float) -> None:
        """Put (or replace) one member of a collection."""
        ...

    def member(self, collection: str, member: str) -> Json | None:
        """One live member of a collection, or None."""
        ...

    def members(self, collection: str, limit: int | None = None) -> list[tuple[str, Json]]:
        """(member, value) of the live members, greatest member id first, at most `limit`."""
        ...
