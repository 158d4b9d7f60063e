"""Sessions: a table of a pair's sessions (planned, held, cancelled, moved); notes belong to one.

Every existing note is attached to a held session: one per pair and note date, because the
mentor's and the executive's notes of one day are notes of the same meeting. Those sessions
start at noon UTC (the note never said when), so their date reads the same in every time zone
from UTC-11 to UTC+11, and last 60 minutes (the guidelines' longest session).

A database made by ``create_all`` from these models (the adoption path of 0002) has the
table and column already; each step skips what is there, and notes without a session are
attached either way.

Revision ID: 0003_sessions
Revises: 0002_engines
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision: str = "0003_sessions"
down_revision: str | None = "0002_engines"
branch_labels: str | None = None
depends_on: str | None = None

NOTE_MINUTES = 60


def _sessions_table() -> sa.TableClause:
    return sa.table(
        "sessions",
        sa.column("id", sa.String),
        sa.column("pair_id", sa.String),
        sa.column("starts_at", sa.DateTime(timezone=True)),
        sa.column("time_zone", sa.String),
        sa.column("minutes", sa.Integer),
        sa.column("status", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )


def upgrade() -> None:
    """Create ``sessions``, add ``notes.session_id`` and attach every note to a held session."""
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("sessions"):
        _create_sessions()
    if "session_id" not in {column["name"] for column in inspector.get_columns("notes")}:
        # SQLite cannot add a foreign key to a table: batch mode copies it into a new one.
        with op.batch_alter_table("notes") as batch:
            batch.add_column(sa.Column("session_id", sa.String(64), nullable=True))
            batch.create_foreign_key("fk_notes_session_id_sessions", "sessions", ["session_id"], ["id"])
            batch.create_index("ix_notes_session_id", ["session_id"])
    _attach_notes()


def _create_sessions() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("pair_id", sa.String(64), sa.ForeignKey("pairs.id"), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("planned_by", sa.String(64), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("cancelled_by", sa.String(64), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("moved_to", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sessions_pair_starts_at", "sessions", ["pair_id", "starts_at"])
    op.create_index("ix_sessions_status", "sessions", ["status"])


def _attach_notes() -> None:
    """One held session per pair and day that has notes without a session."""
    bind = op.get_bind()
    notes = sa.table(
        "notes", sa.column("pair_id", sa.String), sa.column("date", sa.Date), sa.column("session_id")
    )
    loose = notes.c.session_id.is_(None)
    days = bind.execute(sa.select(notes.c.pair_id, notes.c.date).where(loose).distinct()).all()
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "id": f"s-{uuid.uuid4().hex[:10]}",
            "pair_id": pair_id,
            "starts_at": dt.datetime.combine(day, dt.time(12), dt.UTC),
            "time_zone": "UTC",
            "minutes": NOTE_MINUTES,
            "status": "held",
            "created_at": now,
            "updated_at": now,
        }
        for pair_id, day in days
    ]
    if rows:
        bind.execute(_sessions_table().insert(), rows)
        link = (
            notes.update()
            .where(notes.c.pair_id == sa.bindparam("p"), notes.c.date == sa.bindparam("d"), loose)
            .values(session_id=sa.bindparam("s"))
        )
        bind.execute(link, [{"p": r["pair_id"], "d": r["starts_at"].date(), "s": r["id"]} for r in rows])


def downgrade() -> None:
    """Detach the notes and drop ``sessions`` (planned and cancelled sessions are lost)."""
    with op.batch_alter_table("notes") as batch:
        batch.drop_index("ix_notes_session_id")
        batch.drop_constraint("fk_notes_session_id_sessions", type_="foreignkey")
        batch.drop_column("session_id")
    op.drop_index("ix_sessions_status", "sessions")
    op.drop_index("ix_sessions_pair_starts_at", "sessions")
    op.drop_table("sessions")
