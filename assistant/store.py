"""Relational store (system of record): users, pairs, sessions, session notes, pulse answers and ratings."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from assistant import migrations
from assistant.errors import Unavailable

ROLES = ("mentor", "executive", "coordinator", "admin")
VISIBILITIES = ("private", "pair", "program")
SESSION_STATUSES = ("planned", "held", "cancelled", "moved")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base for every table."""


class User(Base):
    """A person using the assistant, with one role and a hashed bearer token."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # None: the token does not expire. A revoked token's hash is replaced and this set to then.
    token_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Where reminders are mailed; None: they are shown on the web only.
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)


class WebSession(Base):
    """A signed-in browser: the cookie holds a random id (never the API token), stored hashed."""

    __tablename__ = "web_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class Pair(Base):
    """A mentor and an executive working together."""

    __tablename__ = "pairs"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mentor_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    executive_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    goals: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Meeting(Base):
    """A mentoring session of a pair: planned, held, cancelled or moved (table ``sessions``).

    Named Meeting so it is not confused with a database ``Session``. ``starts_at`` is the
    moment (UTC); ``time_zone`` is the IANA zone it was planned in, so its local date and time
    can be shown and invitations carry it. A moved session points to the one replacing it.
    """

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_pair_starts_at", "pair_id", "starts_at"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pair_id: Mapped[str] = mapped_column(ForeignKey("pairs.id"))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    time_zone: Mapped[str] = mapped_column(String(64))
    minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), index=True)
    planned_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    cancelled_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    moved_to: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class Note(Base):
    """A session note written by a pair member, belonging to one of the pair's sessions.

    ``request_key`` is the client's ``Idempotency-Key``: a retried request finds the note it
    created instead of writing it twice. The (pair, visibility) index serves the access rule:
    a reader's notes are found through it, not by scanning the index.
    """

    __tablename__ = "notes"
    __table_args__ = (
        UniqueConstraint("author_id", "request_key", name="uq_notes_author_request_key"),
        Index("ix_notes_pair_visibility", "pair_id", "visibility"),
        Index("ix_notes_visibility", "visibility"),
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pair_id: Mapped[str] = mapped_column(ForeignKey("pairs.id"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    session_id: Mapped[str | None] = mapped_column(ForeignKey("sessions.id"), nullable=True, index=True)
    visibility: Mapped[str] = mapped_column(String(10), default="pair")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
    request_key: Mapped[str | None] = mapped_column(String(200), nullable=True)


class ReminderSent(Base):
    """A reminder given to one person, keyed by what it is about: the record that it goes out once.

    ``key`` names the reminder (kind, subject, recipient). A run inserts the row before it mails
    (``state`` "sending"), then marks it "sent" (or "shown" when there is no mail to send); the
    key being unique means two runs, or a rerun after a crash, never give the same reminder twice.
    The row holds a subject line and a link, never a note's text.
    """

    __tablename__ = "reminders_sent"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ReminderOptOut(Base):
    """A kind of reminder a person turned off."""

    __tablename__ = "reminder_optouts"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)


class PulseAnswer(Base):
    """A pair member's quick answer after a held session: private to its author.

    One per person and session (the key); answering again replaces it. Coordinators see only
    means over at least the minimum group size (``assistant/pulse.py``).
    """

    __tablename__ = "pulse_answers"
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    usefulness: Mapped[int] = mapped_column(Integer)
    learned: Mapped[str] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class SelfRating(Base):
    """How a pair member rates themselves (1-5) on one program objective at the start or end of a cycle.

    A cycle is a pair: one set of ratings per person, pair and phase (``start``, ``end``); giving
    them again replaces them. Private to the author, like pulse answers (``assistant/ratings.py``).
    """

    __tablename__ = "self_ratings"
    pair_id: Mapped[str] = mapped_column(ForeignKey("pairs.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    phase: Mapped[str] = mapped_column(String(5), primary_key=True)
    objective_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    rating: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class OutboxEntry(Base):
    """A note whose index entries must be brought in line with the store.

    Written in the same transaction as the note's change, so a crash at any point leaves
    either nothing or a change plus this reminder; the drainer (``assistant/outbox.py``)
    applies it to the vector index and deletes it.
    """

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    note_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class IndexState(Base):
    """Facts about the vector index kept in the system of record, one row per key.

    ``collections`` names the Chroma collections in use (a rebuild fills new ones, then swaps
    this row); ``guidelines`` is a version number every process compares with its in-memory
    copy of the guidelines.
    """

    __tablename__ = "index_state"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    # First, so that switching to WAL (which needs the lock) waits for a process migrating meanwhile.
    cursor.execute("PRAGMA busy_timeout=10000")
    # Two processes creating one database at once: the switch to WAL can be refused at once
    # ("database is locked", SQLite's busy handler not called) while the other makes its WAL files.
    for wait in (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 0.0):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or not wait:
                raise
            time.sleep(wait)
    # In WAL mode NORMAL waits for the disk at checkpoints, not at every commit: a crashed
    # process loses nothing committed (only a power cut can lose the last commits).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted note text is overwritten, not left in free pages
    cursor.close()


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """Create (once per URL) an engine, its database brought to the newest schema revision.

    Raises:
        Unavailable: The URL names no usable database, its folder cannot be written, or its
            schema is at a revision this version does not know.
    """
    engine: Engine | None = None
    try:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
        migrations.upgrade(engine)
    except (OSError, SQLAlchemyError, migrations.Error) as exc:
        if engine is not None:
            engine.dispose()  # no pooled connection outlives a failed open
        where = make_url(url).render_as_string(hide_password=True) if "://" in url else repr(url)
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:160]
        raise Unavailable(
            f"The database {where} cannot be opened ({reason}); "
            "check ASSISTANT_HOME or ASSISTANT_DATABASE_URL."
        ) from exc
    return engine


@contextmanager
def session_scope(url: str, write: bool = True) -> Iterator[Session]:
    """A transaction: committed when the block ends, rolled back on error.

    SQLite allows one writer at a time and makes the others sleep and retry, which turns
    concurrent requests into long tail latencies; within one process, transactions on a
    SQLite file that write therefore take turns. Reads (``write=False``) need not wait for
    them: in WAL mode a reader neither blocks a writer nor waits for one, and a writer's
    commit waits for the disk. A read-only session refuses to write. Server databases
    handle their own concurrency.

    Raises:
        Unavailable: The database cannot be reached or written (locked past its timeout,
            read-only, full, gone); one sentence naming the reason, never the statement's data.
    """
    factory = _factory(url)
    turns = write and url.startswith("sqlite")
    guard = _sqlite_lock(url) if turns else contextlib.nullcontext()
    try:
        with guard, factory() as session, session.begin():
            session.info["read_only"] = not write
            yield session
    except OperationalError as exc:
        reason = str(exc.orig or "no reason given").splitlines()[0][:160]
        raise Unavailable(f"The database cannot be used right now ({reason}); nothing was changed.") from exc


@contextmanager
def connection_scope(url: str, write: bool = True) -> Iterator[Connection]:
    """A transaction on a plain connection, for statements that build no ORM objects.

    It takes turns, commits and fails as ``session_scope`` does; without the ORM's session around
    it, reading a pair's notes or storing a chat turn costs a third to a half less CPU. Nothing
    stops a read-only one (``write=False``) from writing: use it for reading.
    """
    turns = write and url.startswith("sqlite")
    guard = _sqlite_lock(url) if turns else contextlib.nullcontext()
    try:
        with guard, engine_for(url).begin() as connection:
            yield connection
    except OperationalError as exc:
        reason = str(exc.orig or "no reason given").splitlines()[0][:160]
        raise Unavailable(f"The database cannot be used right now ({reason}); nothing was changed.") from exc


@event.listens_for(Session, "before_flush")
def _refuse_writes_when_reading(session: Session, _context: object, _instances: object) -> None:
    if session.info.get("read_only") and (session.new or session.dirty or session.deleted):
        raise RuntimeError("a read-only store session cannot write; open it with write=True")


class _PeopleChanges:
    """Counts commits in this process that changed users, pairs or web sessions (see ``people_version``)."""

    count = 0
    lock = threading.Lock()


def people_version() -> int:
    """A number that changes whenever this process commits a change to users or pairs.

    Caches of who a token belongs to, or which pairs a user is in, read it before loading and
    keep an entry only while it is unchanged.
    """
    return _PeopleChanges.count


@event.listens_for(Session, "after_flush")
def _note_people_changes(session: Session, _context: object) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, User | Pair | WebSession) for row in changed):
        session.info["people_changed"] = True


@event.listens_for(Session, "after_commit")
def _count_people_changes(session: Session) -> None:
    if session.info.pop("people_changed", False):
        with _PeopleChanges.lock:
            _PeopleChanges.count += 1


@event.listens_for(Session, "after_rollback")
def _forget_people_changes(session: Session) -> None:
    session.info.pop("people_changed", None)


@lru_cache(maxsize=8)
def _factory(url: str) -> sessionmaker[Session]:
    return sessionmaker(engine_for(url), expire_on_commit=False)


@lru_cache(maxsize=8)
def _sqlite_lock(_url: str) -> threading.RLock:
    return threading.RLock()


class IngestedRoot(Base):
    """A folder or file of guidelines a coordinator ingested, so ``reindex`` can find it again."""

    __tablename__ = "ingested_roots"
    path: Mapped[str] = mapped_column(String(1000), primary_key=True)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class AuditEntry(Base):
    """Which notes fed a response, for whom and when; for a model's turn, which model, tokens, latency."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(40))
    note_ids: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    input_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    output_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latency_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Conversation(Base):
    """A user's chat thread with the assistant."""

    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    pair_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Message(Base):
    """One turn of a conversation."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    content: Mapped[str] = mapped_column(Text)
    task: Mapped[str | None] = mapped_column(String(20), nullable=True)
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
