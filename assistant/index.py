"""Vector index: Chroma keeps the vectors; the store says which collections are live.

Three collections: guideline chunks, one vector per guideline sentence (so a question can
match a chunk by its best sentence) and note chunks. Guidelines are a few hundred chunks that
rarely change, so each process copies them into memory (vectors, metadata, a BM25 index) and
drops the copy when the ``guidelines`` version row in the store moves on. Notes are never
copied whole: a search asks the store which notes its reader may see and fetches only their
vectors, by id (see ``assistant/retrieval.py``). Chroma keeps no note text: the store has it.

Collection names carry a generation recorded in the store (``index_state``): ``reindex`` fills
a new generation while the current one keeps serving, then swaps the row. Each collection
records the embedder that filled it and the form of the text it embedded (``SEARCH_TEXT``);
opening it with another of either is refused until ``reindex``.

A process that copies the guidelines also saves the copy in the data folder, named by the
generation and guideline version it was read in, so the next process (a one-shot ``ask``) loads
it without opening Chroma at all; a new version names another file, and a write to those
collections removes the saved copies first.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from cachetools import LRUCache
from filelock import FileLock, Timeout
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from assistant.embeddings import Embedder, embedder_name
from assistant.errors import OutOfDate, Unavailable
from assistant.lexical import BM25Index
from assistant.saved import save
from assistant.settings import Settings
from assistant.store import IndexState, session_scope

COLLECTIONS = ("guidelines", "sentences", "notes")
MIRRORED = ("guidelines", "sentences")
# Chroma keeps only the vectors and metadata of these: their text is in the store, which search
# reads anyway. Chroma's full-text index of documents (which nothing queries: keywords are ranked
# by bm25s) was about half of a note write's time, and a confidential note's words stay in one
# place. An index written before keeps its notes' texts, unread, until `reindex`.
TEXT_IN_STORE = ("notes",)
REFRESH_SECONDS = 1.0  # how stale another process's guideline changes may be in this process
NOTE_VECTORS = 10_000  # note vectors kept per process (ids are content hashes: never stale)
# The form of what is embedded (``search_text``). Chunk ids hash the content, not this form, so
# vectors made from an older form would never be replaced: change this with ``search_text`` and
# an index made before is refused until ``reindex`` (which then embeds everything afresh).
# An index that records none was made by the first form.
SEARCH_TEXT = "section"  # the section and what the document is (its title's last part); was "title-section"
FIRST_SEARCH_TEXT = "title-section"
COPIES = "guidelines-copy"  # folder of the data folder where the guidelines' in-memory copies are saved
# Mirrors searched by keyword: their saved copies carry the keyword index, so a process that
# loads one never builds it (nor imports bm25s and SciPy). A copy saved without it is not used.
KEYWORDS = ("guidelines",)


class IndexBusy(Unavailable):
    """Another process owns the embedded index in this data folder."""


def make_client(settings: Settings) -> Any:
    """A Chroma client: a server when ``chroma_url`` is set, else embedded in the data folder."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from chromadb.errors import ChromaError

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
    except (OSError, ValueError, ChromaError) as exc:  # "Could not connect…" is a ValueError
        where = settings.chroma_url or str(settings.index_dir)
        raise Unavailable(
            f"The vector index at {where} cannot be opened ({str(exc).splitlines()[0][:160]}); "
            "check ASSISTANT_HOME or ASSISTANT_CHROMA_URL."
        ) from exc


@contextlib.contextmanager
def owning(settings: Settings, purpose: str) -> Iterator[None]:
    """Hold the embedded index of a data folder for this process (a no-op with a Chroma server).

    Embedded Chroma is not safe for two writing processes, so the server holds it for its
    lifetime and a CLI command that writes the index takes it for its run; the loser is told
    what to do in one sentence.
    """
    if settings.chroma_url:
        yield
        return
    settings.home.mkdir(parents=True, exist_ok=True)
    # One lock object per process (threads share it and nest): a second object on the same file
    # would be refused by our own holder.
    lock = FileLock(settings.home / "index.lock", is_singleton=True, thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise IndexBusy(
            f"Another process (a running `serve`, most likely) is using the index in {settings.home}; "
            f"{purpose}."
        ) from None
    try:
        yield
    finally:
        lock.release()


def index_owned(settings: Settings) -> bool:
    """Whether another process holds the embedded index of this data folder right now."""
    if settings.chroma_url or not (settings.home / "index.lock").exists():
        return False
    try:
        with owning(settings, ""):
            return False
    except IndexBusy:
        return True


def search_text(text: str, meta: dict[str, Any], keywords: bool = False) -> str:
    """What keyword search and embeddings see: headings give a chunk its context.

    The document's title and the section's heading lead the text ("contextual chunk headers"),
    so a question worded like a heading ("before the first meeting") finds a section whose text
    never says so. The passage shown and cited is ``text`` alone. Change ``SEARCH_TEXT`` with it.
    """
    title = str(meta.get("title") or "")
    if not keywords:  # "Kestrel Borough Council - Handbook for Participants": what the document is, last
        title = re.split(r"\s+[-–—|:]\s+", title)[-1]
    heads = " — ".join(h for h in (title, str(meta.get("section") or "")) if h)
    return f"{heads}\n{text}" if heads else text


@dataclass
class Mirror:
    """In-memory copy of a small collection (guidelines and their sentences)."""

    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    metas: list[dict[str, Any]] = field(default_factory=list)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    _bm25: BM25Index | None = None

    def bm25(self) -> BM25Index:
        """The keyword index, built on first use."""
        if self._bm25 is None:
            self._bm25 = BM25Index([search_text(t, m, keywords=True) for t, m in zip(self.texts, self.metas)])
        return self._bm25

    def rows_where(self, filters: dict[str, str]) -> np.ndarray:
        """Which rows match every ``key=value`` given."""
        mask = np.ones(len(self.ids), dtype=bool)
        for key, value in filters.items():
            mask &= np.fromiter((m.get(key) == value for m in self.metas), dtype=bool, count=len(self.ids))
        return mask


@dataclass(frozen=True)
class State:
    """The index facts kept in the store."""

    generation: str = ""  # "" is the first layout: collections named plainly
    building: str = ""  # a generation being filled by a rebuild (note writes go to both)
    guidelines: str = ""  # changes whenever the guidelines change


@dataclass
class SentenceMap:
    """Which guideline chunk (mirror row) each sentence vector belongs to."""

    owner: np.ndarray
    by_chunk: dict[str, list[int]]


def collection_name(name: str, generation: str) -> str:
    """The Chroma name of one of our collections in a generation."""
    return f"{name}_{generation}" if generation else name


class VectorIndex:
    """Our collections in Chroma, the live generation, and the in-memory guidelines."""

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.url = settings.sqlalchemy_url
        self.lock = threading.RLock()
        self._client: Any = None
        self._collections: dict[str, Any] = {}
        self._state = State()
        self._checked = float("-inf")
        self._mirrors: dict[str, Mirror] = {}
        self._mirrored: State | None = None  # the state the mirrors were loaded in
        self._sentence_map: SentenceMap | None = None
        self._vectors: LRUCache[str, np.ndarray] = LRUCache(NOTE_VECTORS)
        self._vectors_generation = ""

    @property
    def client(self) -> Any:
        """The Chroma client, opened on first use (a command served by saved guidelines never needs it)."""
        with self.lock:
            if self._client is None:
                self._client = make_client(self.settings)
            return self._client

    # The store's record ------------------------------------------------------------

    def state(self, fresh: bool = False) -> State:
        """The live generation and guideline version (read from the store at most every second)."""
        if fresh or time.monotonic() - self._checked >= REFRESH_SECONDS:
            with session_scope(self.url, write=False) as session:
                rows = dict(session.execute(select(IndexState.key, IndexState.value)).all())
            if "generation" not in rows:
                rows["generation"] = self._first_generation()
            self._state = State(rows["generation"], rows.get("building", ""), rows.get("guidelines", ""))
            self._checked = time.monotonic()
        return self._state

    def _first_generation(self) -> str:
        """Name the collections of a store that has none yet (its first look at the index).

        An index made before generations were recorded keeps its plainly named collections;
        a new store gets collections of its own, even on a Chroma server other stores use.
        """
        legacy = "guidelines" in {c.name for c in self.client.list_collections()}
        proposed = "" if legacy else uuid.uuid4().hex[:8]
        # If another process named them first, its name stands.
        with contextlib.suppress(IntegrityError), session_scope(self.url) as session:
            session.add(IndexState(key="generation", value=proposed))
        with session_scope(self.url, write=False) as session:
            return session.scalar(select(IndexState.value).where(IndexState.key == "generation")) or ""

    def _record(self, **values: str) -> None:
        with session_scope(self.url) as session:
            for key, value in values.items():
                row = session.get(IndexState, key)
                if row is None:
                    session.add(IndexState(key=key, value=value))
                else:
                    row.value = value
        self.state(fresh=True)

    def guidelines_changed(self) -> None:
        """Tell every process that the guidelines changed (their copies reload)."""
        self._record(guidelines=uuid.uuid4().hex)

    # Collections -------------------------------------------------------------------

    def collection(self, name: str, generation: str | None = None) -> Any:
        """A Chroma collection of the live generation (or the one given), created on first use."""
        chroma_name = collection_name(name, self.state().generation if generation is None else generation)
        found = self._collections.get(chroma_name)
        if found is None:
            found = self._open(chroma_name)
            self._collections[chroma_name] = found
        return found

    def _open(self, chroma_name: str) -> Any:
        mine = embedder_name(self.embedder)
        collection = self.client.get_or_create_collection(
            chroma_name,
            embedding_function=None,
            metadata={"embedder": mine, "search_text": SEARCH_TEXT},
            configuration={"hnsw": {"space": "cosine"}},
        )
        metadata = collection.metadata or {}
        recorded = metadata.get("embedder")
        if recorded is None:  # made before collections recorded their embedder
            collection.modify(metadata={"embedder": mine, "search_text": SEARCH_TEXT})
        elif recorded != mine:
            raise OutOfDate(
                f"The index was built with the embedder {recorded}, but the settings now choose {mine}; "
                "run `mentor-assistant reindex` to rebuild it with the new one."
            )
        elif metadata.get("search_text", FIRST_SEARCH_TEXT) != SEARCH_TEXT:
            raise OutOfDate(
                "The index was built by a version that embedded passages in another form; "
                "run `mentor-assistant reindex` to rebuild it."
            )
        return collection

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
        generation: str | None = None,
    ) -> None:
        """Store chunks with their vectors (an id already there is overwritten).

        The texts of TEXT_IN_STORE collections are not stored: ``texts`` are ignored for them.
        """
        if name in MIRRORED:
            self._forget_copies()
        collection = self.collection(name, generation)
        step = self.client.get_max_batch_size()
        for start in range(0, len(ids), step):
            end = start + step
            collection.upsert(
                ids=list(ids[start:end]),
                documents=None if name in TEXT_IN_STORE else list(texts[start:end]),
                metadatas=list(metas[start:end]),
                embeddings=vectors[start:end],
            )

    def delete(self, name: str, ids: Iterable[str], generation: str | None = None) -> int:
        """Remove chunks by id; returns how many were asked to go."""
        doomed = sorted(set(ids))
        if doomed and name in MIRRORED:
            self._forget_copies()
        if doomed:
            self.collection(name, generation).delete(ids=doomed)
        return len(doomed)

    def ids_where(self, name: str, generation: str | None = None, **where: Any) -> list[str]:
        """Ids of the chunks whose metadata matches (a Chroma ``where`` of ``key=value`` terms)."""
        terms = [{key: value} for key, value in where.items()]
        found = self.collection(name, generation).get(
            where=terms[0] if len(terms) == 1 else {"$and": terms}, include=[]
        )
        return list(found["ids"])

    def count(self, name: str) -> int:
        """Number of chunks in a collection."""
        return len(self.mirror(name).ids) if name in MIRRORED else int(self.collection(name).count())

    # Rebuilds ----------------------------------------------------------------------

    def begin_rebuild(self) -> str:
        """Start a new generation; note writes from now on go to it as well as to the live one."""
        generation = uuid.uuid4().hex[:8]
        self._record(building=generation)
        return generation

    def finish_rebuild(self, generation: str) -> None:
        """Make a filled generation the live one and drop the older ones."""
        previous = self.state(fresh=True).generation
        self._record(generation=generation, building="", guidelines=uuid.uuid4().hex)
        with self.lock:
            self._collections.clear()
        retired = [collection_name(n, previous) for n in COLLECTIONS]
        if not previous:
            retired.append("changes")  # the change log the first layout kept
        for chroma_name in retired:
            with contextlib.suppress(Exception):  # already gone is fine
                self.client.delete_collection(chroma_name)

    def abandon_rebuild(self, generation: str) -> None:
        """Forget a rebuild that failed; the live generation was never touched."""
        self._record(building="")
        for name in COLLECTIONS:
            with contextlib.suppress(Exception):
                self.client.delete_collection(collection_name(name, generation))

    # Guidelines in memory ----------------------------------------------------------

    def mirror(self, name: str) -> Mirror:
        """The in-memory copy of the guidelines or their sentences, reloaded when they change."""
        if name not in MIRRORED:
            raise ValueError(f"{name!r} is not kept in memory; search it through retrieval.")
        state = self.state()
        with self.lock:
            if self._mirrored is None or (self._mirrored.generation, self._mirrored.guidelines) != (
                state.generation,
                state.guidelines,
            ):
                self._mirrors.clear()
                self._sentence_map = None
                self._mirrored = state
            if name not in self._mirrors:
                saved = self._copy_path(name, state)
                found = self._load_copy(saved) if saved is not None else None
                if found is None:
                    found = self._read_mirror(name, state.generation)
                    if saved is not None:
                        self._save_copy(saved, found)
                self._mirrors[name] = found
            return self._mirrors[name]

    def _read_mirror(self, name: str, generation: str) -> Mirror:
        got = self.collection(name, generation).get(include=["documents", "metadatas", "embeddings"])
        vectors = np.asarray(got["embeddings"], dtype=np.float32)
        return Mirror(
            list(got["ids"]),
            list(got["documents"] or []),
            [dict(m or {}) for m in got["metadatas"] or []],
            vectors if vectors.ndim == 2 else np.zeros((0, 0), dtype=np.float32),
        )

    # Saved copies of the guidelines --------------------------------------------------

    def _copy_path(self, name: str, state: State) -> Path | None:
        """Where the copy of a mirrored collection read in ``state`` is saved (None: not saved).

        Only a recorded guideline version names a copy: that version changes with every write.
        """
        if not state.guidelines:
            return None
        return self.settings.home / COPIES / f"{name}-{state.generation or 'first'}-{state.guidelines}.npz"

    def _load_copy(self, path: Path) -> Mirror | None:
        """A saved copy made with this embedder and text form, if there is one (else Chroma is asked)."""
        name = path.name.partition("-")[0]
        try:
            with np.load(path, allow_pickle=False) as saved:
                header = json.loads(str(saved["header"]))
                vectors = np.asarray(saved["vectors"], dtype=np.float32)
                keywords = {
                    k.removeprefix("keywords_"): saved[k] for k in saved.files if k.startswith("keywords_")
                }
        except (OSError, ValueError, KeyError):  # none yet, or half-written by a process that died
            return None
        made_by = (header.get("embedder"), header.get("search_text", FIRST_SEARCH_TEXT))
        if made_by != (embedder_name(self.embedder), SEARCH_TEXT) or (name in KEYWORDS and not keywords):
            return None
        bm25 = BM25Index.from_arrays(keywords) if keywords else None
        return Mirror(list(header["ids"]), list(header["texts"]), list(header["metas"]), vectors, bm25)

    def _save_copy(self, path: Path, mirror: Mirror) -> None:
        """Save a copy for the next process; a folder that cannot take it only costs it a Chroma read."""
        header = {
            "embedder": embedder_name(self.embedder),
            "search_text": SEARCH_TEXT,
            "ids": mirror.ids,
            "texts": mirror.texts,
            "metas": mirror.metas,
        }
        name = path.name.partition("-")[0]
        arrays: dict[str, Any] = {"header": np.array(json.dumps(header)), "vectors": mirror.vectors}
        if name in KEYWORDS:
            arrays |= {f"keywords_{key}": value for key, value in mirror.bm25().arrays().items()}
        save(path, lambda out: np.savez(out, **arrays), f"{name}-*.npz")

    def _forget_copies(self) -> None:
        """Remove the saved copies: the guidelines are about to change."""
        folder = self.settings.home / COPIES
        with contextlib.suppress(OSError):
            for saved in folder.glob("*.npz"):
                saved.unlink(missing_ok=True)

    def _sentences(self) -> tuple[Mirror, Mirror, SentenceMap]:
        chunks, sentences = self.mirror("guidelines"), self.mirror("sentences")
        with self.lock:
            if self._sentence_map is None:
                rows = {cid: n for n, cid in enumerate(chunks.ids)}
                by_chunk: dict[str, list[int]] = {}
                for n, meta in enumerate(sentences.metas):
                    by_chunk.setdefault(str(meta.get("chunk")), []).append(n)
                owner = np.array([rows.get(str(m.get("chunk")), -1) for m in sentences.metas], dtype=np.int64)
                self._sentence_map = SentenceMap(owner, by_chunk)
            return chunks, sentences, self._sentence_map

    def best_sentences(self, query_vector: np.ndarray) -> np.ndarray:
        """For every guideline chunk, the similarity of its sentence closest to the query."""
        chunks, sentences, mapping = self._sentences()
        best = np.full(len(chunks.ids), -1.0, dtype=np.float32)
        if len(mapping.owner):
            known = mapping.owner >= 0
            np.maximum.at(best, mapping.owner[known], (sentences.vectors @ query_vector)[known])
        return best

    def sentences_of(self, chunk_id: str) -> tuple[list[str], np.ndarray]:
        """A guideline chunk's sentences and their vectors (empty if it has none stored)."""
        _, sentences, mapping = self._sentences()
        rows = mapping.by_chunk.get(chunk_id, [])
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return [sentences.texts[n] for n in rows], sentences.vectors[rows]

    # Notes by id -------------------------------------------------------------------

    def note_vectors(self, ids: Sequence[str], generation: str | None = None) -> dict[str, np.ndarray]:
        """The stored vectors of these note chunks (those not indexed yet are absent).

        The live generation's are cached: an id is a content hash, so its vector never changes
        until a rebuild (which may change the embedder) makes another generation live.
        """
        live = self.state().generation
        cached = generation is None or generation == live
        with self.lock:
            if self._vectors_generation != live:
                self._vectors.clear()
                self._vectors_generation = live
            found = {cid: self._vectors[cid] for cid in ids if cid in self._vectors} if cached else {}
        missing = [cid for cid in ids if cid not in found]
        if missing:
            got = self.collection("notes", generation).get(ids=missing, include=["embeddings"])
            fetched = dict(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
            with self.lock:
                if cached and self._vectors_generation == live:
                    self._vectors.update(fetched)
            found.update(fetched)
        return found
