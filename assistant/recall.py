"""Guideline search results remembered until the guidelines change.

The pair tasks run the same guideline searches on every request: each suggested topic looks
up its section, an agenda or a brief its fixed guidance. Such a result depends only on the
search and on the guidelines, so it is kept until their version in the store moves on (seen by
every process within a second). Note searches are not kept: they are cheap per request and
must show a note the moment it is written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping

import numpy as np
from cachetools import LRUCache

from assistant.access import Viewer
from assistant.index import VectorIndex
from assistant.retrieval import Hit, search_collection


class SearchCache:
    """``search_collection`` over one index, remembering up to ``size`` guideline results."""

    def __init__(self, index: VectorIndex, size: int = 4096) -> None:
        self.index = index
        self._results: LRUCache[Hashable, list[Hit]] = LRUCache(size)
        self._state: tuple[str, str] | None = None
        self._lock = threading.Lock()

    def search(
        self,
        name: str,
        query: str,
        vector: Callable[[], np.ndarray],
        k: int,
        viewer: Viewer | None = None,
        filters: Mapping[str, str] | None = None,
    ) -> list[Hit]:
        """The top ``k`` hits of one collection, as ``search_collection`` finds them."""
        if name != "guidelines":
            return search_collection(self.index, name, query, vector(), k, viewer, filters)
        live = self.index.state()
        state = (live.generation, live.guidelines)
        key = (query, k, tuple(sorted((filters or {}).items())))
        with self._lock:
            if state != self._state:
                self._results.clear()
                self._state = state
            found = self._results.get(key)
        if found is None:
            found = search_collection(self.index, name, query, vector(), k, viewer, filters)
            with self._lock:
                if state == self._state:  # else the guidelines changed meanwhile: do not keep it
                    self._results[key] = found
        return list(found)
