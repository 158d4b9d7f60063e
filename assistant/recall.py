"""Search results remembered until the index changes.

The pair tasks run the same searches on every request: each suggested topic looks up its
guideline section and the pair's note about it, an agenda or a brief its fixed guidance. A
result depends only on the search and on what the index holds, so it is kept until any
collection changes, in this process or in another one (seen when the mirror refreshes).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping

import numpy as np

from assistant.access import Viewer
from assistant.index import COLLECTIONS, Mirror, VectorIndex
from assistant.retrieval import Hit, search_collection


class SearchCache:
    """``search_collection`` over one index, remembering up to ``size`` results."""

    def __init__(self, index: VectorIndex, size: int = 4096) -> None:
        self.index = index
        self.size = size
        self._results: OrderedDict[Hashable, list[Hit]] = OrderedDict()
        self._mirrors: tuple[Mirror, ...] = ()  # kept alive, so their ids below stay theirs
        self._state: tuple[tuple[int, int], ...] = ()
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
        mirrors = tuple(self.index.mirror(n) for n in COLLECTIONS)
        state = tuple((id(m), m.version) for m in mirrors)
        key = (name, query, k, viewer, tuple(sorted((filters or {}).items())))
        with self._lock:
            if state != self._state:
                self._results.clear()
                self._mirrors, self._state = mirrors, state
            found = self._results.get(key)
        if found is None:
            found = search_collection(self.index, name, query, vector(), k, viewer, filters)
            with self._lock:
                if state == self._state:  # else the index changed meanwhile: do not keep it
                    self._results[key] = found
                    while len(self._results) > self.size:
                        self._results.popitem(last=False)
        return list(found)
