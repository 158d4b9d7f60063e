"""Vector index: Chroma collections for guidelines, their sentences and notes, mirrored in memory.

Chroma (embedded ``PersistentClient``, or a server by URL) is where vectors, texts and
metadata are kept. Each process also keeps a mirror of every collection in memory: a
matrix of vectors, the metadata columns the access rules need and a BM25 index, so a
filtered hybrid search over 10k chunks costs a couple of milliseconds (a filtered
Chroma query alone measured 18 ms here). Writes go to Chroma first, then to the change
log, then to the mirror; other processes replay the log. Guideline chunks also have one
vector per sentence (the ``sentences`` collection), so a question can match a chunk by its
best sentence as well as by the whole passage.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.access import Column
from assistant.errors import Unavailable
from assistant.lexical import BM25Index
from assistant.settings import Settings

COLLECTIONS = ("guidelines", "sentences", "notes")
LOG = "changes"
DIM_UNKNOWN = 0
REFRESH_SECONDS = 2.0  # how stale another process's writes may be in this process's mirrors


def make_client(settings: Settings) -> Any:
    """A Chroma client: a server when ``chroma_url`` is set, else embedded in the data folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    try:
        if settings.chroma_url:
            from urllib.parse import urlparse

            url = urlparse(settings.chroma_url)
            return chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or 8000,
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    except (OSError, ValueError) as exc:  # Chroma says "Could not connect…" as a ValueError
        where = settings.chroma_url or str(settings.index_dir)
        raise Unavailable(
            f"The vector index at {where} cannot be opened ({str(exc).splitlines()[0][:160]}); "
            "check ASSISTANT_HOME or ASSISTANT_CHROMA_URL."
        ) from exc


def search_text(text: str, meta: Mapping[str, Any]) -> str:
    """What keyword search and embeddings see: headings give a chunk its context."""
    heads = " — ".join(str(meta[k]) for k in ("title", "section") if meta.get(k))
    return f"{heads}\n{text}" if heads else text


@dataclass
class Mirror:
    """In-memory copy of one collection."""

    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    metas: list[dict[str, Any]] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    _bm25: BM25Index | None = None
    _columns: dict[str, Column] = field(default_factory=dict)
    version: int = 0

    def bm25(self) -> BM25Index:
        """The keyword index, rebuilt lazily after writes."""
        if self._bm25 is None:
            self._bm25 = BM25Index([search_text(t, m) for t, m in zip(self.texts, self.metas)])
        return self._bm25

    def column(self, key: str) -> Column:
        """One metadata field for every chunk (for vectorised filters)."""
        if key not in self._columns:
            self._columns[key] = Column.of(str(m.get(key, "")) for m in self.metas)
        return self._columns[key]

    def put(
        self, ids: Sequence[str], texts: Sequence[str], metas: Sequence[Any], vectors: np.ndarray
    ) -> None:
        """Add chunks this copy does not have yet (ids are content hashes: a known id is unchanged)."""
        known = set(self.ids)
        fresh = [i for i, cid in enumerate(ids) if cid not in known]
        if not fresh:
            return
        self.ids.extend(ids[i] for i in fresh)
        self.texts.extend(texts[i] for i in fresh)
        self.metas.extend(dict(metas[i] or {}) for i in fresh)
        block = np.asarray(vectors, dtype=np.float32)[fresh]
        self.vectors = block if self.vectors.size == 0 else np.vstack([self.vectors, block])
        self.changed()

    def drop(self, doomed: set[str]) -> None:
        """Remove chunks by id."""
        keep = [i for i, cid in enumerate(self.ids) if cid not in doomed]
        if len(keep) == len(self.ids):
            return
        self.ids = [self.ids[i] for i in keep]
        self.texts = [self.texts[i] for i in keep]
        self.metas = [self.metas[i] for i in keep]
        self.vectors = self.vectors[keep] if self.vectors.size else self.vectors
        self.changed()

    def changed(self) -> None:
        """Forget derived structures after a write."""
        self._bm25 = None
        self._columns = {}
        self.version += 1


@dataclass
class SentenceMap:
    """Which guideline chunk (mirror row) each sentence vector belongs to."""

    key: tuple[int, int, int, int]
    owner: np.ndarray
    by_chunk: dict[str, list[int]]


class VectorIndex:
    """The collections, with writes that keep this process's mirrors in step.

    Every write also appends an entry to a change log (a Chroma collection), so other
    processes sharing the index (API instances on one Chroma server) replay what changed
    within REFRESH_SECONDS: added chunks are fetched by id, removed ones dropped.
    """

    def __init__(self, settings: Settings, embedder: Embeddings) -> None:
        self.settings = settings
        self.embedder = embedder
        self.client = make_client(settings)
        self.lock = threading.RLock()
        self._collections: dict[str, Any] = {}
        self._mirrors: dict[str, Mirror] = {}
        self._sentence_map: SentenceMap | None = None
        self._log_id: Any = None  # which change log this process follows (a reset makes a new one)
        self._position = 0  # entries of the log already reflected in the mirrors
        self._checked = float("-inf")

    def collection(self, name: str) -> Any:
        """The Chroma collection (created on first use, cosine space, our own embeddings)."""
        if name not in self._collections:
            self._collections[name] = self.client.get_or_create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
        return self._collections[name]

    def mirror(self, name: str) -> Mirror:
        """The in-memory copy, loaded on first use and kept up to date with other processes' writes."""
        self.follow()
        with self.lock:
            if name not in self._mirrors:
                got = self.collection(name).get(include=["documents", "metadatas", "embeddings"])
                vectors = np.asarray(got["embeddings"], dtype=np.float32)
                self._mirrors[name] = Mirror(
                    list(got["ids"]),
                    list(got["documents"] or []),
                    [dict(m or {}) for m in got["metadatas"] or []],
                    vectors if vectors.ndim == 2 else np.zeros((0, 0), dtype=np.float32),
                )
            return self._mirrors[name]

    def follow(self, force: bool = False) -> None:
        """Replay the change log written since the last look (at most every REFRESH_SECONDS).

        The look at the log and the fetching of added chunks happen outside the lock, so
        searches do not wait for Chroma; only applying the changes does.
        """
        if not force and time.monotonic() - self._checked < REFRESH_SECONDS:
            return  # the common case, decided without the lock
        with self.lock:
            now = time.monotonic()
            if not force and now - self._checked < REFRESH_SECONDS:
                return
            self._checked = now
            seen = (self._log_id, self._position)
            loaded = dict(self._mirrors)
        log = self.client.get_or_create_collection(LOG, embedding_function=None)
        count = log.count()
        if log.id == seen[0] and count <= seen[1]:
            return
        changes, fetched = [], {}
        if log.id == seen[0]:
            entries = log.get(offset=seen[1], limit=count - seen[1], include=["documents"])
            changes = [json.loads(d) for d in entries["documents"] or []]
            for name, mirror in loaded.items():
                mine = [c for c in changes if c["collection"] == name]
                removed = {i for c in mine for i in c["removed"]}
                # An id removed and added again in these changes is fetched too (it is dropped first).
                missing = sorted({i for c in mine for i in c["added"]} - (set(mirror.ids) - removed))
                if missing:
                    fetched[name] = self.collection(name).get(
                        ids=missing, include=["documents", "metadatas", "embeddings"]
                    )
        with self.lock:
            if (self._log_id, self._position) != seen:
                return  # this process moved on meanwhile (a write of its own): the next look catches up
            if log.id != seen[0]:  # first look, or the index was rebuilt elsewhere: start afresh
                self._collections = {LOG: log}
                self._mirrors.clear()
                self._log_id, self._position = log.id, count
                return
            # Only copies that existed at the look are changed; one loaded since is newer already.
            current = {n: m for n, m in loaded.items() if self._mirrors.get(n) is m}
            for change in changes:
                target = current.get(change["collection"])
                if target is not None:
                    target.drop(set(change["removed"]))
            for name, got in fetched.items():
                if name in current and got["ids"]:
                    current[name].put(
                        got["ids"], got["documents"] or [], got["metadatas"] or [], got["embeddings"]
                    )
            self._position = seen[1] + len(changes)

    def _log(self, name: str, added: Sequence[str] = (), removed: Sequence[str] = ()) -> None:
        """Record a write for the other processes, and count it as seen if nothing else came between."""
        self.follow(force=True)
        log = self.collection(LOG)
        change = {"collection": name, "added": list(added), "removed": list(removed)}
        log.add(ids=[uuid.uuid4().hex], documents=[json.dumps(change)], embeddings=[[0.0]])
        if log.count() == self._position + 1:
            self._position += 1

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed texts with the configured embedder."""
        embed_array = getattr(self.embedder, "embed_array", None)
        if embed_array is not None:
            return np.asarray(embed_array(texts), dtype=np.float32)
        return np.asarray(self.embedder.embed_documents(texts), dtype=np.float32).reshape(len(texts), -1)

    def add(
        self,
        name: str,
        ids: Sequence[str],
        texts: Sequence[str],
        metas: Sequence[dict[str, Any]],
        vectors: np.ndarray,
    ) -> None:
        """Store chunks with their vectors in Chroma, then in the mirror."""
        if not ids:
            return
        collection = self.collection(name)
        step = self.client.get_max_batch_size()
        for start in range(0, len(ids), step):
            end = start + step
            collection.upsert(
                ids=list(ids[start:end]),
                documents=list(texts[start:end]),
                metadatas=list(metas[start:end]),
                embeddings=vectors[start:end],
            )
        with self.lock:
            self._log(name, added=ids)
            self.mirror(name).put(ids, texts, metas, vectors)

    def delete(self, name: str, ids: Iterable[str]) -> int:
        """Remove chunks by id from Chroma and the mirror; returns how many were removed."""
        doomed = set(ids)
        if not doomed:
            return 0
        self.collection(name).delete(ids=sorted(doomed))
        with self.lock:
            self._log(name, removed=sorted(doomed))
            self.mirror(name).drop(doomed)
        return len(doomed)

    def _sentences(self) -> tuple[Mirror, SentenceMap]:
        chunks, sentences = self.mirror("guidelines"), self.mirror("sentences")
        key = (id(chunks), chunks.version, id(sentences), sentences.version)
        if self._sentence_map is None or self._sentence_map.key != key:
            rows = {cid: n for n, cid in enumerate(chunks.ids)}
            by_chunk: dict[str, list[int]] = {}
            for n, meta in enumerate(sentences.metas):
                by_chunk.setdefault(str(meta.get("chunk")), []).append(n)
            owner = np.array([rows.get(str(m.get("chunk")), -1) for m in sentences.metas], dtype=np.int64)
            self._sentence_map = SentenceMap(key, owner, by_chunk)
        return sentences, self._sentence_map

    def best_sentences(self, query_vector: np.ndarray) -> np.ndarray:
        """For every guideline chunk, the similarity of its sentence closest to the query."""
        with self.lock:
            sentences, mapping = self._sentences()
            best = np.full(len(self.mirror("guidelines").ids), -1.0, dtype=np.float32)
            if len(mapping.owner):
                known = mapping.owner >= 0
                np.maximum.at(best, mapping.owner[known], (sentences.vectors @ query_vector)[known])
            return best

    def sentences_of(self, chunk_id: str) -> tuple[list[str], np.ndarray]:
        """A guideline chunk's sentences and their vectors (empty if it has none stored)."""
        with self.lock:
            sentences, mapping = self._sentences()
            rows = mapping.by_chunk.get(chunk_id, [])
            return [sentences.texts[n] for n in rows], sentences.vectors[rows] if rows else sentences.vectors[
                :0
            ]

    def ids_where(self, name: str, **equals: str) -> list[str]:
        """Ids of chunks whose metadata matches every ``key=value`` given."""
        mirror = self.mirror(name)
        return [
            cid
            for cid, meta in zip(mirror.ids, mirror.metas)
            if all(meta.get(k) == v for k, v in equals.items())
        ]

    def count(self, name: str) -> int:
        """Number of chunks in a collection."""
        return len(self.mirror(name).ids)

    def reset(self) -> None:
        """Drop every collection (used before a full rebuild)."""
        with self.lock:
            for name in (*COLLECTIONS, LOG):
                with contextlib.suppress(Exception):  # a missing collection is fine here
                    self.client.delete_collection(name)
            self._collections.clear()
            self._mirrors.clear()
            self._sentence_map = None
            self._log_id, self._checked = None, float("-inf")
