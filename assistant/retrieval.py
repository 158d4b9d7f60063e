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
# Dense ranks count fully, keyword ranks at 0.35: on paraphrased questions the embedder is the
# stronger signal and BM25 mostly breaks ties and rescues rare exact terms. (On the labeled
# questions 0.35 beat 0.2, 0.5 and 0.7 on hit@5 and MRR; see bench/eval_retrieval.py.) A guideline
# chunk is ranked densely twice: as a whole passage, and by its sentence closest to the question.
WEIGHTS = {"dense": 1.0, "sentence": 1.0, "bm25": 0.35}
# Guideline results cover more ground when no section repeats and no document fills the list.
PER_DOCUMENT = 2


@dataclass
class Hit:
    """One retrieved chunk with what a citation needs."""

    kind: str
    text: str
    score: float
    similarity: float
    meta: dict[str, Any] = field(default_factory=dict)
    id: str = ""

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
        mask &= mirror.column(key).isin([value])
    return mask


def _ranked(scores: np.ndarray, allowed: np.ndarray, n: int) -> list[int]:
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
    index.follow()  # outside the lock: catching up with other processes does not hold up searches
    with index.lock:  # a consistent view while another request writes
        mirror = index.mirror(name)
        if not mirror.ids:
            return []
        mask = _mask(mirror, viewer, filters or {})
        allowed = np.flatnonzero(mask)
        if allowed.size == 0:
            return []
        # Only the chunks the viewer may read are scored: a mentor's search touches their pairs' rows.
        vectors = mirror.vectors if allowed.size == mask.size else mirror.vectors[allowed]
        similarity = np.zeros(mask.size, dtype=np.float32)
        similarity[allowed] = vectors @ query_vector
        rankings: dict[str, list[int]] = {}
        if mode != "bm25":
            rankings["dense"] = _ranked(similarity, allowed, POOL)
            if name == "guidelines":
                rankings["sentence"] = _ranked(index.best_sentences(query_vector), allowed, POOL)
        if mode != "dense":
            rankings["bm25"] = [i for i, _ in mirror.bm25().top(query, POOL, mask)]
        # Scores are scaled by the weight in play, so guideline and note hits compare fairly.
        total = sum(WEIGHTS[signal] for signal in rankings)
        fused: dict[int, float] = {}
        for signal, ranking in rankings.items():
            for rank, i in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + WEIGHTS[signal] / total / (RRF_K + rank + 1)
        ordered = sorted(fused, key=lambda i: (-fused[i], -similarity[i]))
        kind = "note" if name == "notes" else "guideline"
        best = _diverse(ordered, mirror.metas, k) if kind == "guideline" else ordered[:k]
        return [
            Hit(kind, mirror.texts[i], fused[i], float(similarity[i]), dict(mirror.metas[i]), mirror.ids[i])
            for i in best
        ]


def _diverse(ordered: list[int], metas: list[dict[str, Any]], k: int) -> list[int]:
    """The best ``k`` chunks, preferring one per section and at most PER_DOCUMENT per document.

    The spread is a preference: when too few chunks qualify (a one-document handbook, or a
    search within one source), the best of the others fill the list, in rank order.
    """
    picked: list[int] = []
    sections: set[tuple[str, str]] = set()
    documents: dict[str, int] = {}
    for i in ordered:
        source = str(metas[i].get("source"))
        section = (source, str(metas[i].get("section")))
        if section in sections or documents.get(source, 0) >= PER_DOCUMENT:
            continue
        picked.append(i)
        sections.add(section)
        documents[source] = documents.get(source, 0) + 1
        if len(picked) == k:
            return picked
    chosen = set(picked)
    chosen.update([i for i in ordered if i not in chosen][: k - len(picked)])
    return [i for i in ordered if i in chosen]


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
