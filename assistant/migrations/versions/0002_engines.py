"""Engines: notes carry an idempotency key and access-rule indexes; the outbox and index state.

Databases opened by the development version between commit 2c056ba and this revision got some
of this from ``create_all`` already: the two tables, and on a new database the notes columns
too. Each step therefore skips what is there.

Revision ID: 0002_engines
Revises: 0001_baseline
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_engines"
down_revision: str | None = "0001_baseline"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``notes.request_key`` (unique per author) and its indexes; create two tables."""
    inspector = sa.inspect(op.get_bind())
    if "request_key" not in {column["name"] for column in inspector.get_columns("notes")}:
        # SQLite cannot add a constraint to a table: batch mode copies it into a new one.
        with op.batch_alter_table("notes") as batch:
            batch.add_column(sa.Column("request_key", sa.String(200), nullable=True))
            batch.create_unique_constraint("uq_notes_author_request_key", ["author_id", "request_key"])
            batch.create_index("ix_notes_pair_visibility", ["pair_id", "visibility"])
            batch.create_index("ix_notes_visibility", ["visibility"])

    if not inspector.has_table("outbox"):
        op.create_table(
            "outbox",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("note_id", sa.String(64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("ix_outbox_note_id", "outbox", ["note_id"])

    if not inspector.has_table("index_state"):
        op.create_table(
            "index_state",
            sa.Column("key", sa.String(40), primary_key=True),
            sa.Column("value", sa.Text, nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        )


def downgrade() -> None:
    """Drop the two tables, the notes indexes, the constraint and the column."""
    op.drop_table("index_state")
    op.drop_table("outbox")
    with op.batch_alter_table("notes") as batch:
        batch.drop_index("ix_notes_visibility")
        batch.drop_index("ix_notes_pair_visibility")
        batch.drop_constraint("uq_notes_author_request_key", type_="unique")
        batch.drop_column("request_key")
