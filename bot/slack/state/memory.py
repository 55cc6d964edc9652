"""Small thread-safe memories with an expiry: seen deliveries, answered messages, user locales."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

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

    def put(self, key: str, value: V) -> None:
        with self._lock:
            self._put(key, value)

    def add_if_absent(self, key: str, value: V) -> bool:
        """Store `key` unless it is live already; True when this call stored it (atomic)."""
        with self._lock:
            item = self._items.get(key)
            if item is not None and item[0] >= self._clock():
                return False
            self._put(key, value)
            return True

    def _put(self, key: str, value: V) -> None:
        self._items[key] = (self._clock() + self._ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)


class SeenKeys:
    """'Is this the first time?' for delivery ids and message keys, remembered for `ttl` seconds."""

    def __init__(self, ttl: float = 3600.0, size: int = 10000) -> None:
        self._map: ExpiringMap[bool] = ExpiringMap(ttl, size)

    def first(self, key: str) -> bool:
        return self._map.add_if_absent(key, True)
