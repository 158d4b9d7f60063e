"""Index writes through a transactional outbox.

A note's change and an ``outbox`` row naming the note commit in one store transaction. The
drainer brings the note's chunks in Chroma in line with the store, then deletes the rows it
handled: whatever crashes when, the store still says which notes to look at, and looking again
is harmless (chunk ids are content hashes, so applying a note twice changes nothing). It runs
after each write, when the server starts and every second while it runs.

Two drainers (two processes on one Chroma server) may handle one note at once and finish in
either order, so each re-reads the note after applying it and applies it again if it changed
meanwhile: the last to finish always leaves the note as the store has it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from assistant.index import VectorIndex
from assistant.ingest import embed_and_add, note_chunks
from assistant.store import Note, OutboxEntry, session_scope

log = logging.getLogger("assistant.outbox")
BATCH = 256  # notes applied per round
ATTEMPTS = 5  # re-applications when a note keeps changing under the drainer


def enqueue(session: Session, note_ids: Sequence[str]) -> None:
    """Ask for these notes to be (re)indexed, in the caller's transaction."""
    session.add_all(OutboxEntry(note_id=note_id) for note_id in note_ids)


class Drainer:
    """Applies the outbox to the index; one round at a time per process."""

    def __init__(self, index: VectorIndex, chunk_chars: int) -> None:
        self.index = index
        self.chunk_chars = chunk_chars
        self.url = index.url
        self.lock = threading.Lock()

    def backlog(self) -> dict[str, Any]:
        """How many notes wait to be indexed, and since when."""
        with session_scope(self.url, write=False) as session:
            waiting, oldest = session.execute(
                select(func.count(func.distinct(OutboxEntry.note_id)), func.min(OutboxEntry.created_at))
            ).one()
        since = oldest.replace(tzinfo=oldest.tzinfo or dt.UTC).isoformat() if oldest else None
        return {"notes": int(waiting), "oldest": since}

    def pending(self) -> bool:
        """Whether any note waits (one cheap query)."""
        with session_scope(self.url, write=False) as session:
            return session.scalar(select(OutboxEntry.id).limit(1)) is not None

    def drain(self, progress: Callable[[int], None] | None = None) -> int:
        """Apply every waiting row; returns how many notes were brought in line.

        A note that cannot be applied stays in the outbox without holding up the others; the
        round then ends with an error naming how many were left.
        """
        done, failed = 0, set[str]()
        while True:
            with self.lock:
                with session_scope(self.url, write=False) as session:
                    rows = session.execute(
                        select(OutboxEntry.id, OutboxEntry.note_id)
                        .where(OutboxEntry.note_id.not_in(failed))
                        .order_by(OutboxEntry.id)
                        .limit(BATCH)
                    ).all()
                if not rows:
                    break
                note_ids = sorted({note_id for _, note_id in rows})
                applied = self._apply_each(note_ids) if failed or not self._applied(note_ids) else note_ids
                failed.update(set(note_ids) - set(applied))
                if not applied:  # nothing goes in (the index is down, most likely): try next round
                    break
                with session_scope(self.url) as session:
                    session.execute(
                        delete(OutboxEntry).where(
                            OutboxEntry.note_id.in_(applied), OutboxEntry.id <= max(i for i, _ in rows)
                        )
                    )
            done += len(applied)
            if progress is not None:
                progress(len(applied))
        if failed:
            raise RuntimeError(f"{len(failed)} notes could not be indexed; they stay in the outbox")
        return done

    def _applied(self, note_ids: Sequence[str]) -> bool:
        try:
            self.apply(note_ids)
        except Exception:  # noqa: BLE001 - retried note by note, to find the ones that fail
            return False
        return True

    def _apply_each(self, note_ids: Sequence[str]) -> list[str]:
        return [note_id for note_id in note_ids if self._applied([note_id])]

    def apply(
        self, note_ids: Sequence[str], generations: Sequence[str] | None = None, reuse: str | None = None
    ) -> None:
        """Make the index hold exactly the current chunks of these notes (none for deleted ones).

        By default the live generation is written, and a generation being rebuilt as well. A
        rebuild with the same embedder takes the vectors it can from the ``reuse`` generation.
        """
        if generations is None:
            state = self.index.state(fresh=True)
            generations = [state.generation, *([state.building] if state.building else [])]
        wanted = self._chunks(note_ids)
        vectors = self.index.note_vectors(list(wanted), reuse) if reuse is not None and wanted else {}
        for _ in range(ATTEMPTS):
            for generation in generations:
                self._apply_to(generation, note_ids, wanted, vectors)
            now = self._chunks(note_ids)
            if now.keys() == wanted.keys():
                return
            wanted = now  # changed while we wrote: apply what the store says now
        log.warning("%d notes kept changing while being indexed; they stay in the outbox", len(note_ids))
        raise RuntimeError("notes kept changing while being indexed")

    def _chunks(self, note_ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        with session_scope(self.url, write=False) as session:
            notes = list(session.scalars(select(Note).where(Note.id.in_(note_ids))))
        return {
            cid: (text, meta) for note in notes for cid, text, meta in note_chunks(note, self.chunk_chars)
        }

    def _apply_to(
        self,
        generation: str,
        note_ids: Sequence[str],
        wanted: dict[str, tuple[str, dict[str, Any]]],
        vectors: dict[str, np.ndarray],
    ) -> None:
        have = set(self.index.ids_where("notes", generation, note_id={"$in": list(note_ids)}))
        fresh = [(cid, text, meta) for cid, (text, meta) in wanted.items() if cid not in have]
        embed_and_add(self.index, "notes", fresh, "Embedding notes", generation, vectors)
        self.index.delete("notes", have - wanted.keys(), generation)


class Background:
    """Drains the outbox every ``seconds`` in a daemon thread (the server's repair loop)."""

    def __init__(self, drainer: Drainer, seconds: float = 1.0) -> None:
        self.drainer = drainer
        self.seconds = seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._failing = False

    def start(self) -> None:
        """Begin draining."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the current round."""
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.drainer.pending():
                    self.drainer.drain()
                if self._failing:
                    log.info("indexing notes works again; the outbox is drained")
                self._failing = False
            except Exception as exc:  # noqa: BLE001 - kept for the next round; said once per failure streak
                if not self._failing:
                    log.warning(
                        "indexing notes failed (%s); retrying every %.0f s", type(exc).__name__, self.seconds
                    )
                self._failing = True
            self._stop.wait(self.seconds)
