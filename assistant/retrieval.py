"""Hybrid retrieval: dense cosine + BM25, fused by reciprocal rank, inside the access rules.

Guidelines are searched in the process's in-memory copy. Notes are searched per request over
only the chunks the reader may see: the store answers which notes those are (the access rule
as a query), Chroma returns their vectors by id, and BM25 ranks their words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from cachetools import LRUCache
from sqlalchemy import Row, Select, func, select

from assistant import access
from assistant.index import NOTE_VECTORS, VectorIndex, search_text
from assistant.ingest import NoteChunk, note_chunks
from assistant.lexical import BM25Index, tokenize
from assistant.store import Note, session_scope

RRF_K = 60
POOL = 30
# Dense ranks count fully, keyword ranks at 0.35: on paraphrased questions the embedder is the
# stronger signal and BM25 mostly breaks ties and rescues rare exact terms. (On the labeled
# questions 0.35 beat 0.2, 0.5 and 0.7 on hit@5 and MRR; see bench/eval_retrieval.py.) A guideline
# chunk is ranked densely twice: as a whole passage, and by its sentence closest to the question.
WEIGHTS = {"dense": 1.0, "sentence": 1.0, "bm25": 0.35}
# Guideline results cover more ground when no section repeats and no document fills the list.
PER_DOCUMENT = 2
# Above this many readable notes a search asks Chroma's filtered query instead of ranking
# them all here (only coordinators and note-reading admins of large programs get there). A
# scan's chunks (1.2-1.5 a note) must fit the note caches (NOTE_CACHE_CHUNKS), or every such
# search would fetch and cut them all again.
SCAN_LIMIT = 5_000


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


def _ranked(scores: np.ndarray, allowed: np.ndarray, n: int) -> list[int]:
    """The ``n`` best of ``allowed`` (ascending positions), best first.

    Scores equal to six decimals keep their order in ``allowed``: ties are not left to the sort,
    so identical chunks (a note written twice word for word) rank the same way every time, the
    one listed first first (notes are listed newest first).
    """
    n = min(n, allowed.size)
    if n <= 0:
        return []
    rounded = np.round(scores[allowed], 6)
    cut = np.partition(rounded, rounded.size - n)[rounded.size - n]  # the n-th best score
    tied = np.flatnonzero(rounded >= cut)  # every chunk that good, ties at the cut included
    best = tied[np.argsort(-rounded[tied], kind="stable")[:n]]
    return [int(i) for i in allowed[best]]


def _fuse(rankings: dict[str, list[int]], similarity: np.ndarray) -> tuple[list[int], dict[int, float]]:
    """Reciprocal-rank fusion; scores are scaled by the weight in play, so kinds compare fairly."""
    total = sum(WEIGHTS[signal] for signal in rankings) or 1.0
    fused: dict[int, float] = {}
    for signal, ranking in rankings.items():
        for rank, i in enumerate(ranking):
            fused[i] = fused.get(i, 0.0) + WEIGHTS[signal] / total / (RRF_K + rank + 1)
    return sorted(fused, key=lambda i: (-fused[i], -similarity[i])), fused


def search_guidelines(
    index: VectorIndex,
    query: str,
    query_vector: np.ndarray,
    k: int,
    filters: Mapping[str, str] | None = None,
    mode: str = "hybrid",
) -> list[Hit]:
    """Top ``k`` guideline chunks, from the in-memory copy, one per section where possible."""
    mirror = index.mirror("guidelines")
    if not mirror.ids:
        return []
    mask = mirror.rows_where(dict(filters or {}))
    allowed = np.flatnonzero(mask)
    similarity = np.full(mask.size, -1.0, dtype=np.float32)
    similarity[allowed] = mirror.vectors[allowed] @ query_vector
    rankings: dict[str, list[int]] = {}
    if mode != "bm25":
        rankings["dense"] = _ranked(similarity, allowed, POOL)
        rankings["sentence"] = _ranked(index.best_sentences(query_vector), allowed, POOL)
    if mode != "dense":
        rankings["bm25"] = [i for i, _ in mirror.bm25().top(query, POOL, mask)]
    ordered, fused = _fuse(rankings, similarity)
    return [
        Hit(
            "guideline", mirror.texts[i], fused[i], float(similarity[i]), dict(mirror.metas[i]), mirror.ids[i]
        )
        for i in _diverse(ordered, mirror.metas, k)
    ]


NoteFields = tuple[str, str, str, str, dt.date, str, dt.datetime]
# Each per-process note cache holds at most this many chunks' worth (as many as the note
# vectors' cache), however many readers and notes the program has: a large program fills it, a
# program of 10k chunks nearly does, so memory stays within 10 % between the two (bench/engines.py
# --scale: +6 % at 340k chunks; with 20,000 it was +20 %, and counted in entries, 512 keyword
# indexes of a few hundred chunks each held ~100 MB more in a large program).
NOTE_CACHE_CHUNKS = NOTE_VECTORS
ChunkCaches = tuple[
    LRUCache[tuple[str, str, int], list[NoteChunk]],
    LRUCache[tuple[str, ...], BM25Index],
    LRUCache[str, list[str]],
]


def chunk_caches(budget: int = NOTE_CACHE_CHUNKS) -> ChunkCaches:
    """Empty caches: note chunks by note version, keyword indexes by reader, tokens by chunk."""
    return (
        LRUCache(budget, getsizeof=lambda cut: max(1, len(cut))),
        LRUCache(budget, getsizeof=lambda keywords: max(1, keywords.size)),
        LRUCache(budget),
    )


_CHUNKS, _KEYWORDS, _WORDS = chunk_caches()
_CACHE_LOCK = threading.Lock()
# Pair tasks' note rankings (rank_chunks): a topics request ranks its pair's notes for each
# suggested topic, and the catalog's topics recur from request to request.
_RANKED: LRUCache[tuple[str, bytes, str, int], list[Hit]] = LRUCache(4096)


def _remember(cache: LRUCache[Any, Any], key: Any, value: Any) -> None:
    """Keep ``value`` unless it alone is larger than the cache's whole budget (then it is just used)."""
    if cache.getsizeof(value) <= cache.maxsize:
        cache[key] = value


def _filtered(viewer: access.Viewer, filters: Mapping[str, str] | None) -> Select[*NoteFields] | None:
    """The readable notes' fields chunks need, as plain rows (no ORM objects to build)."""
    clause = access.note_clause(viewer)
    if clause is None:
        return None
    fields = (Note.id, Note.pair_id, Note.author_id, Note.visibility, Note.date, Note.text, Note.updated_at)
    query = select(*fields).where(clause)
    for column, value in (filters or {}).items():
        query = query.where(getattr(Note, column) == value)
    return query


def _readable_count(index: VectorIndex, viewer: access.Viewer, filters: Mapping[str, str] | None) -> int:
    query = _filtered(viewer, filters)
    if query is None:
        return 0
    with session_scope(index.url, write=False) as session:
        return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def readable_chunks(
    index: VectorIndex, viewer: access.Viewer, filters: Mapping[str, str] | None = None
) -> list[NoteChunk]:
    """The chunks of every note ``viewer`` may read, found through the store's access rule.

    The cost follows the reader's pairs, not the program: the store's (pair, visibility) index
    picks the notes, and each note's chunks are cut once per version and remembered.
    """
    query = _filtered(viewer, filters)
    if query is None:
        return []
    with session_scope(index.url, write=False) as session:
        # Newest first: of two notes that rank alike, the newer one leads (see _ranked).
        notes = session.execute(query.order_by(Note.date.desc(), Note.updated_at.desc(), Note.id)).all()
    return _cut(notes, index.settings.chunk_chars)


def newest_chunks(notes: Sequence[Row[*tuple[Any, ...]]], chunk_chars: int) -> list[NoteChunk]:
    """The chunks of notes already read through the access rule, in ``readable_chunks``' order.

    Newest first (by date, then last change, then id), so that ties rank as in any search. A
    pair task reads its pair's notes once a request and searches them this way (see ``rank_chunks``).
    """
    ordered = sorted(notes, key=lambda note: note.id)
    ordered.sort(key=lambda note: (note.date, note.updated_at), reverse=True)  # stable: ids stay in order
    return _cut(ordered, chunk_chars)


def _cut(notes: Sequence[Row[*tuple[Any, ...]]], chunk_chars: int) -> list[NoteChunk]:
    """The notes' chunks, in order; each note is cut once per version and remembered."""
    chunks: list[NoteChunk] = []
    for note in notes:
        key = (note.id, note.updated_at.isoformat(), chunk_chars)
        with _CACHE_LOCK:
            cut = _CHUNKS.get(key)
        if cut is None:
            cut = note_chunks(note, chunk_chars)
            with _CACHE_LOCK:
                _remember(_CHUNKS, key, cut)
        chunks.extend(cut)
    return chunks


def _keywords(chunks: list[NoteChunk]) -> BM25Index:
    """The keyword index over a reader's chunks; each chunk's words are cut once (its id covers them)."""
    key = tuple(cid for cid, _, _ in chunks)
    with _CACHE_LOCK:
        found = _KEYWORDS.get(key)
    if found is None:
        with _CACHE_LOCK:
            words = {cid: w for cid in key if (w := _WORDS.get(cid)) is not None}
        cut = {
            cid: tokenize(search_text(text, meta, keywords=True))
            for cid, text, meta in chunks
            if cid not in words
        }
        found = BM25Index.of_tokens([words[cid] if cid in words else cut[cid] for cid in key])
        with _CACHE_LOCK:
            _remember(_KEYWORDS, key, found)
            _WORDS.update(cut)
    return found


@dataclass
class Gathered:
    """What ranking a reader's notes takes besides the query's vector."""

    chunks: list[NoteChunk]
    vectors: dict[str, np.ndarray]  # by chunk id; a chunk not indexed yet has none
    keywords: list[int] | None  # the keyword ranking (None: not asked for)


def gather_notes(
    index: VectorIndex,
    query: str,
    viewer: access.Viewer,
    filters: Mapping[str, str] | None = None,
    mode: str = "hybrid",
) -> Gathered | None:
    """The chunks ``viewer`` may read, their vectors and their keyword ranking for ``query``.

    None when the reader may see more than SCAN_LIMIT notes: Chroma's filtered query serves them.
    """
    if not access.is_member_view(viewer) and _readable_count(index, viewer, filters) > SCAN_LIMIT:
        return None
    chunks = readable_chunks(index, viewer, filters)
    ids = [cid for cid, _, _ in chunks]
    # In this thread: with the look-up and the query's embedding in threads of their own, first
    # searches in `serve` were no faster at 680k chunks and its memory grew 11-15 % from 10k
    # (6 % without): bench/engines.py --scale, docs/engines.md.
    vectors = index.note_vectors(ids) if mode != "bm25" and ids else {}
    keywords = [i for i, _ in _keywords(chunks).top(query, POOL)] if mode != "dense" and ids else None
    return Gathered(chunks, vectors, keywords)


def rank_chunks(
    index: VectorIndex, query: str, query_vector: np.ndarray, k: int, chunks: list[NoteChunk]
) -> list[Hit]:
    """Top ``k`` of note chunks already read through the access rule (``newest_chunks``), hybrid.

    A pair task searches its pair's notes once per suggested topic or step: the notes are read
    once for the request, and their vectors, cached by id after the first search, are looked up
    here rather than in another thread.
    """
    ids = [cid for cid, _, _ in chunks]
    vectors = index.note_vectors(ids) if ids else {}
    # The ranking is a function of the chunks (ids are content hashes of text and metadata), their
    # vectors and the query: kept while all are the same. Chunks still waiting for their vectors
    # are ranked afresh each time, so they rank by meaning as soon as the vectors arrive.
    key = None
    if len(vectors) == len(ids):
        digest = hashlib.blake2b("\n".join(ids).encode(), digest_size=16).digest()
        key = (index.state().generation, digest, query, k)
        with _CACHE_LOCK:
            found = _RANKED.get(key)
        if found is not None:
            return list(found)
    keywords = [i for i, _ in _keywords(chunks).top(query, POOL)] if ids else None
    hits = _ranked_hits(Gathered(chunks, vectors, keywords), query_vector, k, "hybrid")
    if key is not None:
        with _CACHE_LOCK:
            _RANKED[key] = hits
    return list(hits)


def search_notes(
    index: VectorIndex,
    query: str,
    query_vector: np.ndarray,
    k: int,
    viewer: access.Viewer,
    filters: Mapping[str, str] | None = None,
    mode: str = "hybrid",
) -> list[Hit]:
    """Top ``k`` note chunks ``viewer`` may read: dense and keyword ranks over just those chunks.

    Vectors come from Chroma by id; a note saved but not indexed yet (its outbox row waits)
    is found by its words until its vectors arrive. A reader who may see more than
    SCAN_LIMIT notes (a coordinator of a very large program) is served by Chroma's filtered
    nearest-neighbour query instead.
    """
    found = gather_notes(index, query, viewer, filters, mode)
    if found is None:
        return _query_index(index, query_vector, k, viewer, filters)
    return _ranked_hits(found, query_vector, k, mode)


def _ranked_hits(found: Gathered, query_vector: np.ndarray, k: int, mode: str) -> list[Hit]:
    """The top ``k`` of gathered chunks: their dense and keyword rankings fused."""
    chunks = found.chunks
    ids = [cid for cid, _, _ in chunks]
    similarity = np.full(len(ids), -1.0, dtype=np.float32)
    rankings: dict[str, list[int]] = {}
    rows = np.array([i for i, cid in enumerate(ids) if cid in found.vectors], dtype=np.int64)
    if mode != "bm25" and rows.size:
        similarity[rows] = np.stack([found.vectors[ids[i]] for i in rows]) @ query_vector
        rankings["dense"] = _ranked(similarity, rows, POOL)
    if found.keywords is not None:
        rankings["bm25"] = found.keywords
    ordered, fused = _fuse(rankings, similarity)
    return [
        Hit("note", chunks[i][1], fused[i], float(similarity[i]), dict(chunks[i][2]), chunks[i][0])
        for i in ordered[:k]
    ]


def _query_index(
    index: VectorIndex,
    query_vector: np.ndarray,
    k: int,
    viewer: access.Viewer,
    filters: Mapping[str, str] | None,
) -> list[Hit]:
    terms = [access.note_where(viewer), *({key: value} for key, value in (filters or {}).items())]
    where = [t for t in terms if t]
    got = index.collection("notes").query(
        query_embeddings=[query_vector.tolist()],
        n_results=max(k, 1),
        where=where[0] if len(where) == 1 else {"$and": where},
        include=["metadatas", "distances"],
    )
    found = list(zip(got["ids"][0], got["metadatas"][0], got["distances"][0]))
    # Chroma keeps no note text: the store gives it, asked through the access rule again.
    query = _filtered(viewer, filters)
    note_ids = sorted({str((meta or {}).get("note_id")) for _, meta, _ in found})
    if query is None or not note_ids:
        return []
    with session_scope(index.url, write=False) as session:
        notes = session.execute(query.where(Note.id.in_(note_ids))).all()
    current = {cid: (text, meta) for cid, text, meta in _cut(notes, index.settings.chunk_chars)}
    hits = []
    for rank, (cid, _, distance) in enumerate(found):
        if cid in current:  # else its note changed or went after Chroma was asked
            text, meta = current[cid]
            hits.append(Hit("note", text, 1.0 / (RRF_K + rank + 1), 1.0 - float(distance), dict(meta), cid))
    return hits


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
    """Top ``k`` chunks of the guidelines, or of the notes ``viewer`` may read."""
    if name == "guidelines":
        return search_guidelines(index, query, query_vector, k, filters, mode)
    if viewer is None:
        raise ValueError("notes are searched for a reader")
    return search_notes(index, query, query_vector, k, viewer, filters, mode)


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
