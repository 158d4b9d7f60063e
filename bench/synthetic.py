"""A synthetic program of any size, written straight into a store, and random vectors to index it.

``load(settings, chunks)`` adds pairs of a mentor and an executive (about ``PER_PAIR`` note
chunks each) and their notes to the store in bulk, each note with its outbox row, then drains
the outbox once: the notes reach the index by the product's own path, only faster than one
request at a time. Note texts are cut from the demo program's notes and the benchmark word
lists, so no two pairs read alike.

``use_random_vectors()`` replaces the local embedder, in the process that calls it, with unit
vectors drawn from a generator seeded by each text's hash: indexing costs no model time, and
the same text still gets the same vector, so a note's own text finds it by dense search.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml
from langchain_core.embeddings import Embeddings

from bench.corpus import ACTIONS, MOODS, NAMES, SUBJECTS, VERBS

if TYPE_CHECKING:  # the store and the index are imported by the processes that load
    from assistant.index import VectorIndex
    from assistant.settings import Settings

PER_PAIR = 50  # note chunks per pair
TRANCHE = 20_000  # note chunks written and drained at a time
DIMENSIONS = 384  # as all-MiniLM-L6-v2
VISIBILITIES = ["pair"] * 14 + ["program"] * 3 + ["private"] * 3


class RandomVectors(Embeddings):
    """Unit vectors seeded by each text's hash: no model, and the same text gets the same vector."""

    name = "synthetic-random-384"

    def __init__(self, queries: Embeddings | None = None) -> None:
        self.queries = queries  # embeds queries instead, when given (a real model's cost per search)

    def embed_array(self, texts: list[str]) -> np.ndarray:
        """One random unit vector per text."""
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            out[row] = np.random.default_rng(seed).standard_normal(DIMENSIONS, dtype=np.float32)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Vectors for the index."""
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """The vector of a query (equal to a stored chunk's when the text is equal, unless ``queries``)."""
        if self.queries is not None:
            return self.queries.embed_query(text)
        return self.embed_array([text])[0].tolist()


def use_random_vectors(real_queries: bool = False) -> None:
    """Make the ``local`` embedder of this process the random one.

    With ``real_queries`` a query is embedded by the local model (same dimension), so a search
    costs what it costs in production; dense rankings stay meaningless either way.
    """
    from assistant import embeddings

    def make(_model: str, threads: int) -> RandomVectors:
        return RandomVectors(embeddings.LocalMiniLM(threads) if real_queries else None)

    embeddings.EMBEDDERS["local"] = make
    embeddings._cached.cache_clear()


def user_ids(pair: int) -> tuple[str, str]:
    """The mentor's and the executive's ids of pair number ``pair``."""
    return f"m-{pair:06d}", f"e-{pair:06d}"


def pair_id(pair: int) -> str:
    """The id of pair number ``pair``."""
    return f"p-{pair:06d}"


def token(user_id: str) -> str:
    """A synthetic user's bearer token."""
    return f"bench-{user_id}"


class Writer:
    """Varied note texts: paragraphs of the demo notes mixed with sentences from word lists."""

    def __init__(self, knowledge_dir: Path, seed: int) -> None:
        demo = yaml.safe_load((knowledge_dir / "demo" / "program.yaml").read_text(encoding="utf-8"))
        self.paragraphs = [
            " ".join(p.split())
            for note in demo["notes"]
            for p in str(note["text"]).split("\n\n")
            if len(p.strip()) > 40
        ]
        self.rng = random.Random(seed)

    def sentence(self) -> str:
        """One made-up line about a session."""
        r = self.rng
        return (
            f"We {r.choice(VERBS)} {r.choice(SUBJECTS)} and {r.choice(VERBS)} {r.choice(SUBJECTS)}. "
            f"{r.choice(MOODS)} {r.choice(NAMES)} will {r.choice(ACTIONS)}."
        )

    def note(self) -> str:
        """A note of one to five paragraphs (one chunk, sometimes two or three)."""
        parts = self.rng.sample(self.paragraphs, self.rng.choice((1, 2, 2, 3, 3, 4)))
        parts.insert(self.rng.randrange(len(parts) + 1), self.sentence())
        return "\n\n".join(parts)


@dataclass
class Loaded:
    """What ``load`` put in the store and the index, and how long it took."""

    pairs: int
    notes: int
    chunks: int
    store_s: float
    index_s: float
    guidelines_s: float
    complete: bool  # False when the time budget ran out before ``chunks`` were reached

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON-ready values."""
        return asdict(self)


def load(
    settings: Settings,
    chunks: int,
    budget_s: float = float("inf"),
    seed: int = 16,
    say: Callable[[str], None] = lambda _line: None,
    per_pair: int = PER_PAIR,
    direct: bool = False,
) -> Loaded:
    """Write a program of about ``chunks`` note chunks and index it (guidelines too).

    Tranches of TRANCHE chunks are written and drained in turn; once ``budget_s`` is spent no
    new tranche starts, so the index always holds every note of the store. ``direct`` skips
    the outbox: each tranche's chunks (cut by the product's ``note_chunks``, embedded as the
    drainer embeds them) go to the index in batches as large as Chroma takes, through
    ``VectorIndex.add`` — the same ids, texts, metadata and vectors as a drain leaves, without
    the drainer's per-256-notes look-ups and small upserts.
    """
    from assistant.core import Assistant
    from assistant.documents import split_text
    from assistant.index import owning
    from assistant.store import engine_for

    assistant = Assistant(settings)
    began = time.perf_counter()
    assistant.ingest([assistant.default_guidelines])
    guidelines_s = time.perf_counter() - began
    writer = Writer(settings.knowledge_dir, seed)
    today = dt.date.today()
    loaded = Loaded(0, 0, 0, 0.0, 0.0, guidelines_s, True)
    while loaded.chunks < chunks:
        if time.perf_counter() - began > budget_s:
            loaded.complete = False
            break
        began_tranche = time.perf_counter()
        rows, pairs = [], []
        target = min(chunks, loaded.chunks + TRANCHE)
        while loaded.chunks < target:
            number = loaded.pairs + len(pairs)
            mentor, executive = user_ids(number)
            pairs.append(number)
            in_pair = 0
            while in_pair < per_pair and loaded.chunks < target:
                text = writer.note()
                rows.append(
                    {
                        "id": f"n-{loaded.notes + len(rows):08d}",
                        "pair_id": pair_id(number),
                        "author_id": writer.rng.choice((mentor, executive)),
                        "date": today - dt.timedelta(days=writer.rng.randrange(1, 700)),
                        "visibility": writer.rng.choice(VISIBILITIES),
                        "text": text,
                    }
                )
                cut = len(split_text(text, settings.chunk_chars))
                in_pair += cut
                loaded.chunks += cut
        _write(settings, pairs, rows, outbox=not direct)
        loaded.pairs += len(pairs)
        loaded.notes += len(rows)
        written = time.perf_counter()
        loaded.store_s += written - began_tranche
        with owning(settings, "the benchmark loads this data folder"):
            if direct:
                _index_directly(assistant.index, rows, settings.chunk_chars)
            else:
                assistant.outbox.drain()
        loaded.index_s += time.perf_counter() - written
        rate = loaded.chunks / (loaded.store_s + loaded.index_s)
        say(f"loaded {loaded.chunks} of {chunks} note chunks ({rate:.0f} chunks/s)")
    engine_for(settings.sqlalchemy_url).dispose()  # the store's whole state in its file
    return loaded


def _index_directly(index: VectorIndex, notes: list[dict[str, Any]], chunk_chars: int) -> None:
    """The notes' chunks into the live generation, as the drainer would put them, in large batches."""
    from assistant.index import search_text
    from assistant.ingest import note_chunks
    from assistant.store import Note

    chunks = [chunk for row in notes for chunk in note_chunks(Note(**row), chunk_chars)]
    vectors = index.embed([search_text(text, meta) for _, text, meta in chunks])
    index.add("notes", [c[0] for c in chunks], [c[1] for c in chunks], [c[2] for c in chunks], vectors)


def _write(settings: Settings, pairs: list[int], notes: list[dict[str, Any]], outbox: bool = True) -> None:
    """Users, pairs and notes in bulk, in one transaction, with every note's outbox row if ``outbox``."""
    from sqlalchemy import insert

    from assistant.outbox import enqueue
    from assistant.program import hash_token
    from assistant.store import Note, Pair, User, session_scope

    now = dt.datetime.now(dt.UTC)
    users, pair_rows = [], []
    for number in pairs:
        mentor, executive = user_ids(number)
        for user_id, role in ((mentor, "mentor"), (executive, "executive")):
            users.append(
                {
                    "id": user_id,
                    "name": f"{role.title()} {number}",
                    "role": role,
                    "token_hash": hash_token(token(user_id)),
                    "created_at": now,
                }
            )
        start = dt.date.today() - dt.timedelta(days=120)
        pair_rows.append(
            {
                "id": pair_id(number),
                "mentor_id": mentor,
                "executive_id": executive,
                "goals": "",
                "start_date": start,
                "created_at": now,
            }
        )
    with session_scope(settings.sqlalchemy_url) as session:
        session.execute(insert(User), users)
        session.execute(insert(Pair), pair_rows)
        session.execute(insert(Note), [{**n, "created_at": now, "updated_at": now} for n in notes])
        if outbox:
            enqueue(session, [n["id"] for n in notes])


@dataclass
class Program:
    """What ``load_program`` put in the store."""

    pairs: int
    sessions: int
    notes: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON-ready values."""
        return asdict(self)


COORDINATOR = "coordinator"
STATUSES = ["held"] * 17 + ["cancelled", "cancelled", "moved"]


def load_program(
    settings: Settings, pairs: int = 500, sessions: int = 20_000, seed: int = 16, today: dt.date | None = None
) -> Program:
    """A program of ``pairs`` pairs and ``sessions`` sessions over two years, written straight into a store.

    Each pair meets about every two weeks from its start (a tenth of them stop some months ago,
    so they stall); most held sessions have a note with action items, some ticked off later;
    the last session of a pair still meeting is planned, in the coming three days for some. Every
    user has an email address, and there is one coordinator (``coordinator``, token
    ``bench-coordinator``). Nothing is indexed: the dashboard and reminders read the store.
    """
    from sqlalchemy import insert

    from assistant.core import Assistant
    from assistant.program import hash_token
    from assistant.store import Meeting, Note, Pair, User, engine_for, session_scope

    began = time.perf_counter()
    Assistant(settings)  # creates and migrates the store
    writer = Writer(settings.knowledge_dir, seed)
    rng = writer.rng
    day = today or dt.date.today()
    now = dt.datetime.now(dt.UTC)
    per_pair = sessions // pairs
    users: list[dict[str, Any]] = [
        {
            "id": COORDINATOR,
            "name": "Program Coordinator",
            "role": "coordinator",
            "token_hash": hash_token(token(COORDINATOR)),
            "created_at": now,
            "email": "coordinator@bench.example",
        }
    ]
    pair_rows, meetings, notes = [], [], []
    for number in range(pairs):
        mentor, executive = user_ids(number)
        first = (NAMES[number % len(NAMES)], NAMES[(number + 3) % len(NAMES)])
        for user_id, role, name in ((mentor, "mentor", first[0]), (executive, "executive", first[1])):
            users.append(
                {
                    "id": user_id,
                    "name": f"{name} {role.title()}-{number}",
                    "role": role,
                    "token_hash": hash_token(token(user_id)),
                    "created_at": now,
                    "email": f"{user_id}@bench.example",
                }
            )
        stalls = rng.random() < 0.1
        last = day - dt.timedelta(days=rng.randrange(50, 200) if stalls else rng.randrange(-3, 3))
        start = last - dt.timedelta(days=14 * (per_pair - 1) + rng.randrange(0, 7))
        pair_rows.append(
            {
                "id": pair_id(number),
                "mentor_id": mentor,
                "executive_id": executive,
                "goals": "",
                "start_date": start,
                "created_at": now,
            }
        )
        open_actions: list[str] = []
        for k in range(per_pair):
            when = start + dt.timedelta(days=14 * k + rng.randrange(0, 3))
            starts_at = dt.datetime.combine(when, dt.time(9, 0), tzinfo=dt.UTC)
            status = "planned" if when > day else rng.choice(STATUSES)
            session_id = f"s-{number:06d}-{k:03d}"
            meetings.append(
                {
                    "id": session_id,
                    "pair_id": pair_id(number),
                    "starts_at": starts_at,
                    "time_zone": "Europe/London",
                    "minutes": 45,
                    "status": status,
                    "planned_by": mentor,
                    "cancelled_by": executive if status == "cancelled" else None,
                    "moved_to": None,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if status != "held" or rng.random() < 0.1:
                continue
            lines = [f"- [x] {a}" for a in open_actions if rng.random() < 0.6]
            open_actions = [f"{rng.choice(first)}: {rng.choice(ACTIONS)} {rng.choice(SUBJECTS)}"]
            lines += [f"- [ ] {a}" for a in open_actions]
            notes.append(
                {
                    "id": f"n-{number:06d}-{k:03d}",
                    "pair_id": pair_id(number),
                    "author_id": rng.choice((mentor, executive)),
                    "date": when,
                    "session_id": session_id,
                    "visibility": rng.choice(VISIBILITIES),
                    "text": writer.note() + "\n\n" + "\n".join(lines),
                    "created_at": now,
                    "updated_at": now,
                }
            )
    with session_scope(settings.sqlalchemy_url) as session:
        session.execute(insert(User), users)
        session.execute(insert(Pair), pair_rows)
        session.execute(insert(Meeting), meetings)
        session.execute(insert(Note), notes)
    engine_for(settings.sqlalchemy_url).dispose()
    return Program(len(pair_rows), len(meetings), len(notes), round(time.perf_counter() - began, 2))
