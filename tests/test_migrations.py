"""Schema migrations on SQLite and PostgreSQL, with data in place.

``OLD`` is the schema ``create_all`` made before migrations existed (the models at commit
159f2df, frozen here): the baseline revision must equal it, and a database made from it must
come to the newest revision with its rows intact.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import pkgutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import IntegrityError

import assistant
from assistant import migrations
from assistant.errors import Unavailable
from assistant.store import (
    AuditEntry,
    Base,
    Conversation,
    IndexState,
    Meeting,
    Message,
    Note,
    OutboxEntry,
    Pair,
    PulseAnswer,
    SelfRating,
    User,
    engine_for,
    session_scope,
)
from tests.engines import fresh_database, postgres_server

OLD = sa.MetaData()
_WHEN = sa.DateTime(timezone=True)
sa.Table(
    "users",
    OLD,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True, index=True),
    sa.Column("created_at", _WHEN, nullable=False),
)
sa.Table(
    "pairs",
    OLD,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("mentor_id", sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("executive_id", sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("goals", sa.Text, nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("created_at", _WHEN, nullable=False),
)
sa.Table(
    "notes",
    OLD,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("pair_id", sa.ForeignKey("pairs.id"), nullable=False, index=True),
    sa.Column("author_id", sa.ForeignKey("users.id"), nullable=False),
    sa.Column("date", sa.Date, nullable=False, index=True),
    sa.Column("visibility", sa.String(10), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", _WHEN, nullable=False),
    sa.Column("updated_at", _WHEN, nullable=False),
)
sa.Table(
    "ingested_roots",
    OLD,
    sa.Column("path", sa.String(1000), primary_key=True),
    sa.Column("added_at", _WHEN, nullable=False),
)
sa.Table(
    "audit_log",
    OLD,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.String(64), nullable=False, index=True),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("note_ids", sa.Text, nullable=False),
    sa.Column("at", _WHEN, nullable=False, index=True),
)
sa.Table(
    "conversations",
    OLD,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("pair_id", sa.String(64), nullable=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("created_at", _WHEN, nullable=False),
)
sa.Table(
    "messages",
    OLD,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.ForeignKey("conversations.id"), nullable=False, index=True),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("task", sa.String(20), nullable=True),
    sa.Column("payload", sa.Text, nullable=True),
    sa.Column("created_at", _WHEN, nullable=False),
)
sa.Table(
    "profiles",
    OLD,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=True, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("department", sa.String(200), nullable=False),
    sa.Column("manager_id", sa.String(64), nullable=True),
    sa.Column("teaches", sa.JSON, nullable=False),
    sa.Column("learns", sa.JSON, nullable=False),
    sa.Column("time_zone", sa.String(64), nullable=False),
    sa.Column("availability", sa.JSON, nullable=False),
    sa.Column("updated_at", _WHEN, nullable=False),
)

NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
ROWS: dict[str, list[dict[str, Any]]] = {
    "users": [
        {"id": "u-mia", "name": "Mia Mentor", "role": "mentor", "token_hash": "a" * 64, "created_at": NOW},
        {"id": "u-eli", "name": "Eli Exec", "role": "executive", "token_hash": "b" * 64, "created_at": NOW},
    ],
    "pairs": [
        {
            "id": "p-1",
            "mentor_id": "u-mia",
            "executive_id": "u-eli",
            "goals": "Learn AI tools",
            "start_date": dt.date(2026, 2, 1),
            "created_at": NOW,
        }
    ],
    "notes": [
        {
            "id": f"n-{n}",
            "pair_id": "p-1",
            "author_id": "u-mia",
            "date": dt.date(2026, 2, n),
            "visibility": visibility,
            "text": f"Session {n}: prompts for the board pack.",
            "created_at": NOW,
            "updated_at": NOW,
        }
        for n, visibility in ((1, "pair"), (2, "private"), (3, "program"))
    ]
    + [  # the executive's note of the first session: the same meeting as n-1
        {
            "id": "n-4",
            "pair_id": "p-1",
            "author_id": "u-eli",
            "date": dt.date(2026, 2, 1),
            "visibility": "pair",
            "text": "Session 1, my side: the board pack timeline.",
            "created_at": NOW,
            "updated_at": NOW,
        }
    ],
    "conversations": [
        {"id": "c-1", "user_id": "u-eli", "pair_id": "p-1", "title": "Prep", "created_at": NOW}
    ],
    "messages": [
        {
            "conversation_id": "c-1",
            "role": "user",
            "content": "What should we cover next?",
            "task": "ask",
            "payload": None,
            "created_at": NOW,
        }
    ],
    "audit_log": [{"user_id": "u-eli", "action": "brief", "note_ids": "n-1,n-3", "at": NOW}],
    "profiles": [
        {
            "id": "u-mia",
            "user_id": "u-mia",
            "name": "Mia Mentor",
            "role": "mentor",
            "department": "Data",
            "manager_id": None,
            "teaches": ["prompting", "python"],
            "learns": ["strategy"],
            "time_zone": "Europe/Berlin",
            "availability": ["Mon 09:00-10:00"],
            "updated_at": NOW,
        }
    ],
}


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each engine; the store's pooled connections are closed afterwards."""
    if request.param == "sqlite":
        database = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        database = fresh_database(request.getfixturevalue("postgres"))
    yield database
    with contextlib.suppress(Unavailable):
        engine_for(database).dispose()


@contextlib.contextmanager
def raw(url: str) -> Iterator[sa.Engine]:
    """An engine that does not migrate (the store's always does)."""
    engine = sa.create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def seed(url: str, *, old_schema: str = "create_all") -> None:
    """A database from before migrations (``create_all``) or at the baseline revision, with rows."""
    with raw(url) as engine:
        if old_schema == "create_all":
            OLD.create_all(engine)
        else:
            migrations.upgrade(engine, migrations.BASELINE)
        with engine.begin() as connection:
            for table in OLD.sorted_tables:
                if ROWS.get(table.name):
                    connection.execute(table.insert(), ROWS[table.name])


def differences(url: str, metadata: sa.MetaData) -> list[Any]:
    with raw(url) as engine, engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), metadata)


def revision_of(url: str) -> str | None:
    with raw(url) as engine, engine.connect() as connection:
        return migrations.current_revision(connection)


def all_models() -> sa.MetaData:
    """Base.metadata once every module of the package is imported (a model anywhere counts)."""
    for module in pkgutil.walk_packages(assistant.__path__, "assistant."):
        if not module.name.startswith("assistant.migrations") and not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    return Base.metadata


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite keeps the wall-clock time of a UTC moment; PostgreSQL gives it in its time zone."""
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def assert_rows_kept(url: str) -> None:
    with session_scope(url, write=False) as session:
        assert [(u.id, u.name, u.role) for u in session.scalars(sa.select(User).order_by(User.id))] == [
            ("u-eli", "Eli Exec", "executive"),
            ("u-mia", "Mia Mentor", "mentor"),
        ]
        pair = session.get_one(Pair, "p-1")
        assert (pair.mentor_id, pair.goals, pair.start_date) == (
            "u-mia",
            "Learn AI tools",
            dt.date(2026, 2, 1),
        )
        notes = session.scalars(sa.select(Note).order_by(Note.id)).all()
        assert [(n.id, n.date, n.visibility, n.text, n.request_key) for n in notes] == [
            (r["id"], r["date"], r["visibility"], r["text"], None) for r in ROWS["notes"]
        ]
        assert {as_utc(n.created_at) for n in notes} == {NOW}
        message = session.scalars(sa.select(Message)).one()
        assert (message.conversation_id, message.content, message.task) == (
            "c-1",
            ROWS["messages"][0]["content"],
            "ask",
        )
        assert session.get_one(Conversation, "c-1").title == "Prep"
        assert session.scalars(sa.select(AuditEntry.note_ids)).all() == ["n-1,n-3"]
        profiles = OLD.tables["profiles"]
        assert session.execute(sa.select(profiles.c.teaches, profiles.c.time_zone)).one() == (
            ["prompting", "python"],
            "Europe/Berlin",
        )


def assert_notes_became_held_sessions(url: str) -> None:
    """One held session per pair and note date, at noon UTC; every note points to its own."""
    with session_scope(url, write=False) as session:
        meetings = {m.id: m for m in session.scalars(sa.select(Meeting))}
        notes = {n.id: n for n in session.scalars(sa.select(Note))}
        assert {(m.pair_id, m.status, m.time_zone, m.minutes) for m in meetings.values()} == {
            ("p-1", "held", "UTC", 60)
        }
        assert sorted(as_utc(m.starts_at) for m in meetings.values()) == [
            dt.datetime(2026, 2, day, 12, tzinfo=dt.UTC) for day in (1, 2, 3)
        ]
        for note in notes.values():
            assert as_utc(meetings[str(note.session_id)].starts_at).date() == note.date
        assert notes["n-1"].session_id == notes["n-4"].session_id
        assert len({n.session_id for n in notes.values()}) == 3


def assert_new_schema_works(url: str) -> None:
    def keyed(note_id: str, author: str, key: str | None) -> Note:
        return Note(
            id=note_id,
            pair_id="p-1",
            author_id=author,
            date=dt.date(2026, 3, 2),
            visibility="pair",
            text="Retried request.",
            request_key=key,
        )

    with session_scope(url) as session:
        session.add_all([keyed("n-k1", "u-mia", "req-1"), keyed("n-k2", "u-eli", "req-1")])
        session.add_all([keyed("n-k3", "u-mia", None), keyed("n-k4", "u-mia", None)])
        session.add(OutboxEntry(note_id="n-k1"))
        session.add(IndexState(key="collections", value="notes-2,guidelines-2"))
    with pytest.raises(IntegrityError), session_scope(url) as session:
        session.add(keyed("n-k5", "u-mia", "req-1"))
    with session_scope(url, write=False) as session:
        assert session.scalars(sa.select(OutboxEntry.note_id)).all() == ["n-k1"]
        assert session.get_one(IndexState, "collections").value == "notes-2,guidelines-2"
        assert session.scalar(sa.select(sa.func.count()).select_from(Note)) == len(ROWS["notes"]) + 4
    names = {index["name"] for index in sa.inspect(engine_for(url)).get_indexes("notes")}
    assert {"ix_notes_pair_visibility", "ix_notes_visibility", "ix_notes_session_id"} <= names
    planned = dt.datetime(2026, 4, 2, 7, 30, tzinfo=dt.UTC)
    with session_scope(url) as session:
        session.add(
            Meeting(
                id="s-new",
                pair_id="p-1",
                starts_at=planned,
                time_zone="Europe/Berlin",
                minutes=45,
                status="planned",
                planned_by="u-mia",
            )
        )
    with pytest.raises(IntegrityError), session_scope(url) as session:  # the note's session must exist
        session.add(keyed("n-k6", "u-mia", None))
        session.flush()
        session.get_one(Note, "n-k6").session_id = "s-missing"
    with session_scope(url, write=False) as session:
        meeting = session.get_one(Meeting, "s-new")
        assert (as_utc(meeting.starts_at), meeting.time_zone, meeting.status) == (
            planned,
            "Europe/Berlin",
            "planned",
        )


def test_head_names_the_newest_revision() -> None:
    scripts = ScriptDirectory.from_config(migrations.config())
    assert scripts.get_current_head() == migrations.HEAD
    assert [s.revision for s in scripts.walk_revisions()][-1] == migrations.BASELINE


def test_a_new_database_gets_every_revision_and_matches_the_models(url: str) -> None:
    engine_for(url)
    assert revision_of(url) == migrations.HEAD
    assert differences(url, all_models()) == []


def test_the_baseline_revision_is_the_schema_create_all_made(url: str) -> None:
    with raw(url) as engine:
        migrations.upgrade(engine, migrations.BASELINE)
    assert revision_of(url) == migrations.BASELINE
    assert differences(url, OLD) == []


@pytest.mark.parametrize("old_schema", ["create_all", "baseline"])
def test_an_old_database_is_upgraded_with_its_rows_kept(url: str, old_schema: str) -> None:
    seed(url, old_schema=old_schema)
    assert revision_of(url) == (None if old_schema == "create_all" else migrations.BASELINE)
    engine_for(url)
    assert revision_of(url) == migrations.HEAD
    assert differences(url, all_models()) == []
    assert_rows_kept(url)
    assert_notes_became_held_sessions(url)
    assert_new_schema_works(url)


@pytest.mark.parametrize("made_by", ["old tables, then new create_all", "new create_all"])
def test_a_database_from_the_development_version_is_adopted(url: str, made_by: str) -> None:
    """Between commit 2c056ba and migrations, create_all added the new tables (and columns, if new)."""
    with raw(url) as engine:
        if made_by.startswith("old tables"):
            OLD.create_all(engine)
        all_models().create_all(engine)
    engine_for(url)
    assert revision_of(url) == migrations.HEAD
    assert differences(url, all_models()) == []


def test_downgrade_then_upgrade_keeps_the_rows(url: str) -> None:
    seed(url, old_schema="baseline")
    with raw(url) as engine:
        migrations.upgrade(engine)
        with engine.begin() as connection:
            command.downgrade(migrations.config(connection), migrations.BASELINE)
    assert differences(url, OLD) == []
    engine_for(url)
    assert differences(url, all_models()) == []
    assert_rows_kept(url)
    assert_notes_became_held_sessions(url)


def test_sessions_downgrade_detaches_the_notes_and_keeps_them(url: str) -> None:
    seed(url, old_schema="baseline")
    engine_for(url).dispose()
    with raw(url) as engine, engine.begin() as connection:
        command.downgrade(migrations.config(connection), "0002_engines")
    with raw(url) as engine, engine.connect() as connection:
        inspector = sa.inspect(connection)
        assert not inspector.has_table("sessions")
        assert "session_id" not in {column["name"] for column in inspector.get_columns("notes")}
        assert connection.execute(sa.text("SELECT count(*) FROM notes")).scalar() == len(ROWS["notes"])
    migrations.upgrade(engine_for(url))  # the store's engine is cached: upgrade it again
    assert revision_of(url) == migrations.HEAD
    assert_notes_became_held_sessions(url)


def test_pulse_and_ratings_come_on_a_database_with_sessions_in_place(url: str) -> None:
    """0007 adds the answer tables to a database at 0006 with rows; its downgrade drops only them."""
    seed(url, old_schema="baseline")
    with raw(url) as engine:
        migrations.upgrade(engine, "0006_reminders")
    assert revision_of(url) == "0006_reminders"
    engine_for(url)
    assert revision_of(url) == migrations.HEAD
    assert differences(url, all_models()) == []
    assert_rows_kept(url)
    assert_notes_became_held_sessions(url)
    with session_scope(url) as session:
        held = session.get_one(Note, "n-1").session_id
        session.add(PulseAnswer(session_id=held, user_id="u-mia", usefulness=4, learned="Board pack rhythm."))
        session.add(SelfRating(pair_id="p-1", user_id="u-eli", phase="start", objective_id="ai", rating=2))
    with pytest.raises(IntegrityError), session_scope(url) as session:  # one answer a person and session
        session.add(PulseAnswer(session_id=held, user_id="u-mia", usefulness=5, learned="Again."))
    with pytest.raises(IntegrityError), session_scope(url) as session:  # the session must exist
        session.add(PulseAnswer(session_id="s-missing", user_id="u-eli", usefulness=3, learned="x"))
    with session_scope(url, write=False) as session:
        answer = session.scalars(sa.select(PulseAnswer)).one()
        assert (answer.session_id, answer.usefulness, answer.learned, answer.comment) == (
            held,
            4,
            "Board pack rhythm.",
            "",
        )
        assert session.scalars(sa.select(SelfRating.rating)).all() == [2]
    engine_for(url).dispose()
    with raw(url) as engine, engine.begin() as connection:
        command.downgrade(migrations.config(connection), "0006_reminders")
    with raw(url) as engine, engine.connect() as connection:
        inspector = sa.inspect(connection)
        assert not inspector.has_table("pulse_answers") and not inspector.has_table("self_ratings")
        assert connection.execute(sa.text("SELECT count(*) FROM notes")).scalar() == len(ROWS["notes"])
        assert connection.execute(sa.text("SELECT count(*) FROM sessions")).scalar() == 3
    migrations.upgrade(engine_for(url))
    assert revision_of(url) == migrations.HEAD
    with session_scope(url, write=False) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(PulseAnswer)) == 0


def test_a_revision_from_a_newer_version_is_refused_in_a_sentence(url: str) -> None:
    with raw(url) as engine:
        migrations.upgrade(engine)
        with engine.begin() as connection:
            connection.execute(sa.text("UPDATE alembic_version SET version_num = '0999_future'"))
    with pytest.raises(Unavailable, match=r"cannot be opened \(schema revision 0999_future: .*0999_future"):
        engine_for(url)


def test_a_failed_upgrade_leaves_the_database_as_it_was(url: str) -> None:
    seed(url)
    with raw(url) as engine, engine.begin() as connection:  # takes the name 0002 gives the outbox's index
        connection.execute(sa.text("CREATE INDEX ix_outbox_note_id ON users (name)"))
    with pytest.raises(Unavailable, match="ix_outbox_note_id"):
        engine_for(url)
    assert revision_of(url) is None
    with raw(url) as engine, engine.connect() as connection:
        inspector = sa.inspect(connection)
        assert not inspector.has_table("outbox")
        assert "request_key" not in {column["name"] for column in inspector.get_columns("notes")}
        assert connection.execute(sa.text("SELECT count(*) FROM notes")).scalar() == len(ROWS["notes"])


OPEN = """
import sys, time
from pathlib import Path
from assistant.store import engine_for
Path(sys.argv[2]).touch()
while not Path(sys.argv[3]).exists():
    time.sleep(0.005)
engine_for(sys.argv[1]).dispose()
"""


def test_processes_opening_a_new_database_together_all_succeed(url: str, tmp_path: Path) -> None:
    """The first migrates; the other waits for it and finds nothing to do (no "table exists")."""
    go, ready = tmp_path / "go", [tmp_path / f"ready-{n}" for n in range(2)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN, url, str(flag), str(go)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for flag in ready
    ]
    deadline = time.monotonic() + 60
    while not all(flag.exists() for flag in ready):
        assert time.monotonic() < deadline and all(p.poll() is None for p in processes)
        time.sleep(0.01)
    go.touch()
    errors = [p.communicate(timeout=60)[1] for p in processes]
    assert [(p.returncode, error) for p, error in zip(processes, errors)] == [(0, "")] * len(processes)
    assert revision_of(url) == migrations.HEAD
