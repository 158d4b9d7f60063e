"""A small in-process cache for facts read on every request that change rarely.

Who a token belongs to and which pairs a user is in are read by nearly every API request,
yet users and pairs are only ever added. An entry is dropped as soon as this process commits
a change it may depend on (the ``version`` moves on), and after a couple of seconds in any
case, so a change made by another process (the CLI, another API instance) is seen soon, as
the index mirror's are.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ExpiringCache(Generic[K, V]):
    """At most ``size`` values, each kept for ``seconds`` while ``version()`` is unchanged."""

    def __init__(self, seconds: float, version: Callable[[], int], size: int = 4096) -> None:
        self.seconds = seconds
        self.version = version
        self.size = size
        self._entries: OrderedDict[K, tuple[float, int, V]] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key: K) -> V | None:
        """The cached value if there is a fresh one, without loading anything."""
        now, version = time.monotonic(), self.version()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] < self.seconds and entry[1] == version:
                return entry[2]
        return None

    def get(self, key: K, load: Callable[[], V]) -> V:
        """The cached value, or ``load()``'s; None is not kept, so the next call asks again."""
        now, version = time.monotonic(), self.version()
        found = self.peek(key)
        if found is not None:
            return found
        value = load()  # read after the version: a change committed meanwhile makes this entry stale
        if value is not None:
            with self._lock:
                self._entries[key] = (now, version, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value
