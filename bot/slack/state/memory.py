"""This process's memory: a bounded map with expiry, and the Store on top of it (bot.slack.state.store)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from bot.slack.state.store import Json

V = TypeVar("V")


class ExpiringMap(Generic[V]):
    """A bounded map whose items expire after `ttl` seconds (oldest evicted first when full)."""

    def __init__(self, ttl: float, size: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._size = size
        self._clock = clock
        self._items: OrderedDict[str, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bool, V | None]:
        """(True, value) for a live item, else (False, None)."""
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] < self._clock():
                self._items.pop(key, None)
                return False, None
            return True, item[1]

    def put(self, key: str, value: V, ttl: float | None = None) -> None:
        with self._lock:
            self._put(key, value, ttl)

    def add_if_absent(self, key: str, value: V, ttl: float | None = None) -> bool:
        """Store `key` unless it is live already; True when this call stored it (atomic)."""
        with self._lock:
            item = self._items.get(key)
            if item is not None and item[0] >= self._clock():
                return False
            self._put(key, value, ttl)
            return True

    def keys(self) -> list[str]:
        with self._lock:
            return list(self._items)

    def pop_if(self, key: str, keep: Callable[[V], bool]) -> None:
        """Remove `key` unless `keep(value)` says otherwise (atomic)."""
        with self._lock:
            item = self._items.get(key)
            if item is not None and not keep(item[1]):
                del self._items[key]

    def _put(self, key: str, value: V, ttl: float | None) -> None:
        self._items[key] = (self._clock() + (self._ttl if ttl is None else ttl), value)
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)


class MemoryStore:
    """The Store in this process's memory: bounded (the oldest go first), lost on restart."""

    shared = False

    def __init__(self, size: int = 20000, clock: Callable[[], float] = time.monotonic) -> None:
        self._map: ExpiringMap[object] = ExpiringMap(3600.0, size, clock)
        self._collections: dict[str, ExpiringMap[Json]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def claim(self, key: str, ttl: float) -> bool:
        return self._map.add_if_absent(key, True, ttl)

    def release(self, key: str) -> None:
        self._map.pop_if(key, lambda value: False)

    def lock(self, key: str, owner: str, ttl: float) -> bool:
        return self._map.add_if_absent(key, ("lock", owner), ttl)

    def unlock(self, key: str, owner: str) -> None:
        self._map.pop_if(key, lambda value: value != ("lock", owner))

    def put(self, key: str, value: Json, ttl: float) -> None:
        self._map.put(key, dict(value), ttl)

    def get(self, key: str) -> Json | None:
        found, value = self._map.get(key)
        return dict(value) if found and isinstance(value, dict) else None

    def add(self, collection: str, member: str, value: Json, ttl: float) -> None:
        with self._lock:
            members = self._collections.setdefault(collection, ExpiringMap(ttl, 200, self._clock))
        members.put(member, dict(value), ttl)

    def member(self, collection: str, member: str) -> Json | None:
        with self._lock:
            members = self._collections.get(collection)
        found, value = members.get(member) if members is not None else (False, None)
        return dict(value) if found and value is not None else None

    def members(self, collection: str, limit: int | None = None) -> list[tuple[str, Json]]:
        with self._lock:
            members = self._collections.get(collection)
        if members is None:
            return []
        found = []
        for member in sorted(members.keys(), reverse=True):
            live, value = members.get(member)
            if live and value is not None:
                found.append((member, dict(value)))
            if limit is not None and len(found) >= limit:
                break
        return found
