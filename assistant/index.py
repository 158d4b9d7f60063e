"""Vector index: Chroma collections for guidelines, their sentences and notes, mirrored in memory.

Chroma (embedded ``PersistentClient``, or a server by URL) is where vectors, texts and
metadata are kept. Each process also keeps a mirror of every collection in memory: a
matrix of vectors, the metadata columns the access rules need and a BM25 index, so a
filtered hybrid search over 10k chunks costs a couple of milliseconds (a filtered
Chroma query alone measured 18 ms here). Writes go to Chroma first, then to the mirror.
Guideline chunks also have one vector per sentence (the ``sentences`` collection), so a
question can match a chunk by its best sentence as well as by the whole passage.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.access import Column
from assistant.lexical import BM25Index
from assistant.settings import Settings

COLLECTIONS = ("guidelines", "sentences", "notes")
DIM_UNKNOWN = 0
REFRESH_SECONDS = 2.0


def make_client(settings: Settings) -> Any:
    """A Chroma client: a server when ``chroma_url`` is set, else embedded in the data folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
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


def search_text(text: str, meta: Mapping[str, Any]) -> str:
    """What keyword search and embeddings see: headings give a guideline chunk its context.

    A note's title is only its date, which tells an embedder nothing, so notes go in as written.
    """
    if meta.get("kind") == "note":
        return text
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
    """The guideline and note collections, with writes that keep the mirror in step."""

    def __init__(self, settings: Settings, embedder: Embeddings) -> None:
        self.settings = settings
        self.embedder = embedder
        self.client = make_client(settings)
        self.lock = threading.RLock()
        self._collections: dict[str, Any] = {}
        self._mirrors: dict[str, Mirror] = {}
        self._checked: dict[str, float] = {}
        self._sentence_map: SentenceMap | None = None

    def collection(self, name: str) -> Any:
        """The Chroma collection (created on first use, cosine space, our own embeddings)."""
        if name not in self._collections:
            self._collections[name] = self.client.get_or_create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
        return self._collections[name]

    def mirror(self, name: str) -> Mirror:
        """The in-memory copy, loaded on first use and refreshed if another process wrote."""
        with self.lock:
            mirror = self._mirrors.get(name)
            now = time.monotonic()
            if mirror is not None and now - self._checked.get(name, 0.0) < REFRESH_SECONDS:
                return mirror
            self._checked[name] = now
            if mirror is not None and self.collection(name).count() == len(mirror.ids):
                return mirror
            got = self.collection(name).get(include=["documents", "metadatas", "embeddings"])
            vectors = np.asarray(got["embeddings"], dtype=np.float32)
            if vectors.ndim != 2:
                vectors = np.zeros((0, 0), dtype=np.float32)
            mirror = Mirror(
                list(got["ids"]),
                list(got["documents"] or []),
                [dict(m or {}) for m in got["metadatas"] or []],
                vectors,
            )
            self._mirrors[name] = mirror
            return mirror

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
            mirror = self.mirror(name)
            known = set(mirror.ids)
            fresh = [i for i, cid in enumerate(ids) if cid not in known]
            mirror.ids.extend(ids[i] for i in fresh)
            mirror.texts.extend(texts[i] for i in fresh)
            mirror.metas.extend(dict(metas[i]) for i in fresh)
            block = vectors[fresh]
            mirror.vectors = block if mirror.vectors.size == 0 else np.vstack([mirror.vectors, block])
            mirror.changed()

    def delete(self, name: str, ids: Iterable[str]) -> int:
        """Remove chunks by id from Chroma and the mirror; returns how many were removed."""
        doomed = set(ids)
        if not doomed:
            return 0
        self.collection(name).delete(ids=sorted(doomed))
        with self.lock:
            mirror = self.mirror(name)
            keep = [i for i, cid in enumerate(mirror.ids) if cid not in doomed]
            mirror.ids = [mirror.ids[i] for i in keep]
            mirror.texts = [mirror.texts[i] for i in keep]
            mirror.metas = [mirror.metas[i] for i in keep]
            mirror.vectors = mirror.vectors[keep] if mirror.vectors.size else mirror.vectors
            mirror.changed()
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
            for name in COLLECTIONS:
                with contextlib.suppress(Exception):  # a missing collection is fine here
                    self.client.delete_collection(name)
            self._collections.clear()
            self._mirrors.clear()
            self._checked.clear()
            self._sentence_map = None
