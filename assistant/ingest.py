"""Put guideline documents and session notes into the index, embedding only what changed."""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Row
from tqdm import tqdm

from assistant.documents import (
    LIMITS,
    Chunk,
    Document,
    Limits,
    chunk_document,
    content_id,
    find_documents,
    load_document,
    sentences,
    split_text,
)
from assistant.index import VectorIndex, search_text
from assistant.store import Note

# Texts embedded (then stored) at a time. The embedder batches each step's texts by token
# count, so a larger step pads less (on bench/ingest.py's corpus, 256 spent about a tenth of
# the model's work on padding, 2,048 about 5 %) and still bounds the token arrays.
# A job is cut in at least eight steps (of at least 64 texts) so that its progress bar moves and
# an interrupted run keeps what it stored.
EMBED_STEP = 2048
PROGRESS_STEPS = 8


@dataclass
class IngestReport:
    """What an ingestion run did, counted in documents and chunks."""

    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    unchanged: int = 0
    removed: int = 0
    # Documents whose headings could not be read (a scanned or flat PDF, text without headings):
    # they were cut by page and length, so their citations say less.
    chunked_by_length: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report as the CLI prints it."""
        return asdict(self)


def _progress(total: int, label: str) -> tqdm:
    return tqdm(total=total, desc=label, unit="chunk", disable=total < 200 or not sys.stderr.isatty())


def embed_and_add(
    index: VectorIndex,
    name: str,
    items: list[tuple[str, str, dict[str, Any]]],
    label: str,
    generation: str | None = None,
    known: dict[str, np.ndarray] | None = None,
) -> None:
    """Embed (id, text, metadata) items and store them; ``known`` vectors are reused and filled."""
    known = {} if known is None else known
    step = max(64, min(EMBED_STEP, -(-len(items) // PROGRESS_STEPS)))
    with _progress(len(items), label) as bar:
        for start in range(0, len(items), step):
            batch = items[start : start + step]
            todo = [(cid, text, meta) for cid, text, meta in batch if cid not in known]
            if todo:
                fresh = index.embed([search_text(text, meta) for _, text, meta in todo])
                known.update(zip([cid for cid, _, _ in todo], fresh))
            vectors = np.stack([known[cid] for cid, _, _ in batch]) if batch else np.zeros((0, 0))
            index.add(
                name,
                [i for i, _, _ in batch],
                [t for _, t, _ in batch],
                [m for _, _, m in batch],
                vectors,
                generation,
            )
            bar.update(len(batch))


Loaded = list[tuple[Document, str]]  # each document with the folder it was found in


def read_documents(paths: list[Path], limits: Limits = LIMITS) -> Loaded:
    """Read every guideline file under ``paths`` (each once), refusing the first bad one.

    Nothing is indexed here, so a bad file (or one over ``limits``) changes nothing.
    """
    found = dict.fromkeys((path.resolve(), root.resolve()) for path, root in find_documents(paths))
    return [(load_document(path, root, limits), str(root)) for path, root in found]


def ingest_paths(
    index: VectorIndex,
    paths: list[Path],
    chunk_chars: int,
    documents: Loaded | None = None,
    generation: str | None = None,
    limits: Limits = LIMITS,
) -> IngestReport:
    """Index guideline files and folders; unchanged chunks are kept, stale ones removed.

    ``documents`` are those ``read_documents(paths)`` returned, when the caller read them first;
    ``generation`` is a rebuild's (default: the live one). New chunks are stored before stale
    ones are removed.
    """
    documents = read_documents(paths, limits) if documents is None else documents
    folders = {str(p.resolve()) for p in paths if p.is_dir()}
    stored = index.collection("guidelines", generation).get(include=["metadatas"])
    existing: dict[tuple[str, str], set[str]] = defaultdict(set)
    for cid, meta in zip(stored["ids"], stored["metadatas"] or []):
        existing[(str(meta.get("root")), str(meta.get("source")))].add(cid)
    report = IngestReport(documents=len(documents))
    pending: list[tuple[str, str, dict[str, Any]]] = []
    stale: set[str] = set()
    seen: set[tuple[str, str]] = set()
    for document, root in documents:
        key = (root, document.source)
        seen.add(key)
        chunks: list[Chunk] = chunk_document(document, chunk_chars, root)
        had = existing.get(key, set())
        report.chunks += len(chunks)
        if not document.structured:
            report.chunked_by_length.append(document.source)
        for chunk in chunks:
            if chunk.id in had:
                report.unchanged += 1
                continue
            meta = {
                "kind": "guideline",
                "root": root,
                "source": document.source,
                "title": chunk.title,
                "section": chunk.section or "",
                "audience": ",".join(document.audience),
                "tags": ",".join(document.tags),
            }
            pending.append((chunk.id, chunk.text, meta))
        stale |= had - {c.id for c in chunks}
    for (root, source), ids in existing.items():
        if root in folders and (root, source) not in seen:
            stale |= ids
    embed_and_add(index, "guidelines", pending, "Embedding guidelines", generation)
    report.embedded = len(pending)
    report.removed = index.delete("guidelines", stale, generation)
    _index_sentences(index, generation)
    if generation is None:
        index.guidelines_changed()
    return report


def _index_sentences(index: VectorIndex, generation: str | None) -> None:
    """Give every guideline chunk its sentence vectors, and drop those of removed chunks."""
    chunks = index.collection("guidelines", generation).get(include=["documents", "metadatas"])
    stored = index.collection("sentences", generation).get(include=["metadatas"])
    have = set(stored["ids"])  # by sentence: a run stopped midway leaves some chunks' sentences partly in
    live = set(chunks["ids"])
    index.delete(
        "sentences",
        [sid for sid, m in zip(stored["ids"], stored["metadatas"] or []) if m.get("chunk") not in live],
        generation,
    )
    pending = [
        (
            f"{cid}:{n}",
            sentence,
            {"chunk": cid, "title": meta.get("title", ""), "section": meta.get("section", "")},
        )
        for cid, text, meta in zip(chunks["ids"], chunks["documents"] or [], chunks["metadatas"] or [])
        for n, sentence in enumerate(sentences(text))
        if f"{cid}:{n}" not in have
    ]
    embed_and_add(index, "sentences", pending, "Embedding sentences", generation)


NoteChunk = tuple[str, str, dict[str, Any]]  # id, text, metadata


def note_chunks(note: Note | Row[*tuple[Any, ...]], chunk_chars: int) -> list[NoteChunk]:
    """A note's chunks with the metadata the access rules filter on (from a note or a row of its fields)."""
    meta = {
        "kind": "note",
        "note_id": note.id,
        "pair_id": note.pair_id,
        "author_id": note.author_id,
        "visibility": note.visibility,
        "date": note.date.isoformat(),
        "title": f"Session note {note.date.isoformat()}",
    }
    # The id covers everything stored with the chunk, so a change of date or visibility alone
    # replaces the chunk (its metadata and its embedded title) rather than leaving it stale.
    stamp = [str(meta[key]) for key in sorted(meta)]
    return [
        (content_id(*stamp, str(part), piece), piece, dict(meta))
        for part, piece in enumerate(split_text(note.text, chunk_chars))
    ]
