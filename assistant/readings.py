"""What each pair's shared notes say, in counts, read once per version of the notes.

Program health reads every shared note's text for topics, action items and signals: with 500
pairs and 15,000 notes that is seconds of regular expressions, far too slow for a dashboard.
A pair's reading depends only on its shared notes (their ids and when they last changed) and
its members' names, so it is kept in this process and redone only for a pair whose notes
changed; the store is first asked for the notes without their text, and texts are loaded only
for those pairs. Nothing here leaves the server but counts, topic ids and dates.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import signals
from assistant.actions import ActionItem, NoteRef, track_actions
from assistant.knowledge import Topic
from assistant.store import Note

# Pairs whose texts are loaded in one query (SQLite allows 32,766 parameters; PostgreSQL more).
TEXT_BATCH = 500
CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class SharedNote:
    """A shared note as health reads it (``text`` is empty until it is needed)."""

    id: str
    date: dt.date
    author_id: str
    text: str = ""


@dataclass(frozen=True)
class Reading:
    """Counts from one pair's shared notes, oldest first: never their text."""

    notes: int
    covered: frozenset[str]
    actions: tuple[ActionItem, ...]
    cancellation_mentions: tuple[int, ...]
    executive_led: int
    one_way_remarks: int
    friction: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Members:
    """Who is in a pair, for reading who leads and who owns an action."""

    mentor_id: str
    mentor_name: str
    executive_id: str
    executive_name: str


def first_name(name: str) -> str:
    """A person's first name, as action items and notes use it."""
    return (name.split() or [""])[0]


def read(notes: Sequence[SharedNote], members: Members, topics: Iterable[Topic]) -> Reading:
    """Read one pair's shared notes (oldest first) into counts."""
    lower = " ".join(n.text for n in notes).lower()
    roles = {members.mentor_id: "mentor", members.executive_id: "executive"}
    executive, mentor = first_name(members.executive_name), first_name(members.mentor_name)
    return Reading(
        notes=len(notes),
        covered=frozenset(t.id for t in topics if t.mentioned_in(lower)),
        actions=tuple(track_actions(NoteRef(n.id, n.date, n.text) for n in notes)),
        cancellation_mentions=tuple(signals.cancellations(n.text) for n in notes),
        executive_led=sum(
            signals.executive_led(n.text, roles.get(n.author_id, ""), executive, mentor) for n in notes
        ),
        one_way_remarks=sum(1 for n in notes if signals.one_way_remarks(n.text)),
        friction=tuple(tuple(signals.friction(n.text)) for n in notes),
    )


class Readings:
    """Readings of every pair's shared notes, kept per version of the notes (one per process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[Hashable, tuple[Hashable, Reading]] = {}

    def for_pairs(
        self,
        session: Session,
        store: str,
        members: dict[str, Members],
        topics: Sequence[Topic],
        today: dt.date,
    ) -> dict[str, Reading]:
        """The reading of each pair in ``members`` over its shared notes dated up to ``today``."""
        rows = session.execute(
            select(Note.id, Note.pair_id, Note.date, Note.author_id, Note.updated_at)
            .where(Note.visibility != "private", Note.date <= today)
            .order_by(Note.date)
        )
        listed: dict[str, list[SharedNote]] = {pair_id: [] for pair_id in members}
        versions: dict[str, list[tuple[str, dt.datetime]]] = {pair_id: [] for pair_id in members}
        for note_id, pair_id, date, author_id, updated_at in rows:
            if pair_id in listed:
                listed[pair_id].append(SharedNote(note_id, date, author_id))
                versions[pair_id].append((note_id, updated_at))
        topic_ids = tuple(t.id for t in topics)
        found: dict[str, Reading] = {}
        missing: dict[str, Hashable] = {}
        with self._lock:
            for pair_id, who in members.items():
                version = (who, topic_ids, tuple(versions[pair_id]))
                kept = self._kept.get((store, pair_id))
                if kept is not None and kept[0] == version:
                    found[pair_id] = kept[1]
                else:
                    missing[pair_id] = version
        texts = self._texts(session, list(missing))
        read_now = {
            pair_id: read(
                [SharedNote(n.id, n.date, n.author_id, texts.get(n.id, "")) for n in listed[pair_id]],
                members[pair_id],
                topics,
            )
            for pair_id in missing
        }
        with self._lock:
            if len(self._kept) + len(read_now) > CACHE_LIMIT:
                self._kept.clear()
            for pair_id, reading in read_now.items():
                self._kept[(store, pair_id)] = (missing[pair_id], reading)
        return {**found, **read_now}

    @staticmethod
    def _texts(session: Session, pair_ids: list[str]) -> dict[str, str]:
        texts: dict[str, str] = {}
        for at in range(0, len(pair_ids), TEXT_BATCH):
            batch = pair_ids[at : at + TEXT_BATCH]
            query = select(Note.id, Note.text).where(Note.pair_id.in_(batch), Note.visibility != "private")
            texts.update({note_id: text for note_id, text in session.execute(query)})
        return texts


READINGS = Readings()
