"""Hybrid retrieval: dense cosine + BM25, fused by reciprocal rank, inside the access rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant import access
from assistant.index import Mirror, VectorIndex

RRF_K = 60
POOL = 30
# Dense ranks count fully, keyword ranks at 0.7: on paraphrased questions the embedder is the
# stronger signal and BM25 mostly breaks ties and rescues rare exact terms.
WEIGHTS = {"dense": 1.0, "bm25": 0.7}


@dataclass
class Hit:
    """One retrieved chunk with what a citation needs."""

    kind: str
    text: str
    score: float
    similarity: float
    meta: dict[str, Any] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        """The hit as the CLI and API show it."""
        meta = self.meta
        return {
            "kind": self.kind,
            "source": meta.get("source"),
            "title": meta.get("title"),
            "section": meta.get("section") or None,
            "note_id": meta.get("note_id"),
            "pair_id": meta.get("pair_id"),
            "date": meta.get("date"),
            "score": round(self.score, 6),
            "text": self.text,
        }


def _mask(mirror: Mirror, viewer: access.Viewer | None, filters: Mapping[str, str]) -> np.ndarray:
    size = len(mirror.ids)
    mask = np.ones(size, dtype=bool)
    if viewer is not None:
        mask &= access.note_mask(
            viewer, mirror.column("pair_id"), mirror.column("author_id"), mirror.column("visibility")
        )
    for key, value in filters.items():
        mask &= mirror.column(key) == value
    return mask


def _ranked(scores: np.ndarray, mask: np.ndarray, n: int) -> list[int]:
    allowed = np.flatnonzero(mask)
    if allowed.size == 0:
        return []
    n = min(n, allowed.size)
    picked = allowed[np.argpartition(-scores[allowed], n - 1)[:n]]
    return [int(i) for i in picked[np.argsort(-scores[picked])]]


def search_collection(
    index: VectorIndex,
    name: str,
    query: str,
    query_vector: np.ndarray,
    k: int,
    viewer: access.Viewer | None = None,
    filters: Mapping[str, str] | None = None,
    mode: str = "hybrid",
) -> list[Hit]:
    """Top ``k`` chunks of one collection for a query, fused from dense and keyword ranks."""
    with index.lock:  # a consistent view while another request writes
        return _search_mirror(index.mirror(name), name, query, query_vector, k, viewer, filters, mode)


def _search_mirror(
    mirror: Mirror,
    name: str,
    query: str,
    query_vector: np.ndarray,
    k: int,
    viewer: access.Viewer | None,
    filters: Mapping[str, str] | None,
    mode: str,
) -> list[Hit]:
    if not mirror.ids:
        return []
    mask = _mask(mirror, viewer, filters or {})
    similarity = mirror.vectors @ query_vector
    fused: dict[int, float] = {}
    dense = _ranked(similarity, mask, POOL) if mode != "bm25" else []
    keyword = [i for i, _ in mirror.bm25().top(query, POOL, mask)] if mode != "dense" else []
    for weight, ranking in ((WEIGHTS["dense"], dense), (WEIGHTS["bm25"], keyword)):
        for rank, i in enumerate(ranking):
            fused[i] = fused.get(i, 0.0) + weight / (RRF_K + rank + 1)
    best = sorted(fused, key=lambda i: (-fused[i], -similarity[i]))[:k]
    kind = "note" if name == "notes" else "guideline"
    return [Hit(kind, mirror.texts[i], fused[i], float(similarity[i]), dict(mirror.metas[i])) for i in best]


def search(
    index: VectorIndex,
    query: str,
    k: int = 5,
    viewer: access.Viewer | None = None,
    filters: Mapping[str, str] | None = None,
    mode: str = "hybrid",
) -> list[Hit]:
    """Search guidelines, and the notes ``viewer`` may read when a viewer is given."""
    vector = np.asarray(index.embedder.embed_query(query), dtype=np.float32)
    hits = search_collection(index, "guidelines", query, vector, k, None, filters, mode)
    if viewer is not None and access.note_where(viewer) is not None:
        notes = search_collection(index, "notes", query, vector, k, viewer, filters, mode)
        hits.extend(h for h in notes if access.can_read_note(viewer, h.meta))
    hits.sort(key=lambda h: (-h.score, -h.similarity))
    return hits[:k]
