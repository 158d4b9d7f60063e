"""Baseline: the schema ``Base.metadata.create_all`` made before migrations existed.

Databases from that time have these tables and no ``alembic_version``; opening one stamps it
with this revision instead of running it.

Revision ID: 0001_baseline
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001_baseline"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _created_at(name: str = "created_at") -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    """Create the users, pairs, notes, conversations, audit and profile tables."""
    op.create_table(
        "users",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        _created_at(),
    )
    op.create_index("ix_users_token_hash", "users", ["token_hash"], unique=True)

    op.create_table(
        "pairs",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("mentor_id", sa.String(64), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("executive_id", sa.String(64), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("goals", sa.Text, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        _created_at(),
    )
    op.create_index("ix_pairs_mentor_id", "pairs", ["mentor_id"])
    op.create_index("ix_pairs_executive_id", "pairs", ["executive_id"])

    op.create_table(
        "notes",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("pair_id", sa.String(64), sa.ForeignKey("pairs.id"), nullable=False),
        sa.Column("author_id", sa.String(64), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("visibility", sa.String(10), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        _created_at(),
        _created_at("updated_at"),
    )
    op.create_index("ix_notes_pair_id", "notes", ["pair_id"])
    op.create_index("ix_notes_date", "notes", ["date"])

    op.create_table(
        "ingested_roots",
        sa.Column("path", sa.String(1000), primary_key=True),
        _created_at("added_at"),
    )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("note_ids", sa.Text, nullable=False),
        _created_at("at"),
    )
    op.create_index("ix_audit_log_user_id", "audit_log", ["user_id"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])

    op.create_table(
        "conversations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("pair_id", sa.String(64), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        _created_at(),
    )
    op.create_index("ix_conversations_user_id", "conversations", ["user_id"])

    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("task", sa.String(20), nullable=True),
        sa.Column("payload", sa.Text, nullable=True),
        _created_at(),
    )
    op.create_index("ix_messages_conversation_id", "messages", ["conversation_id"])

    op.create_table(
        "profiles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("department", sa.String(200), nullable=False),
        sa.Column("manager_id", sa.String(64), nullable=True),
        sa.Column("teaches", sa.JSON, nullable=False),
        sa.Column("learns", sa.JSON, nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("availability", sa.JSON, nullable=False),
        _created_at("updated_at"),
    )
    op.create_index("ix_profiles_user_id", "profiles", ["user_id"])


def downgrade() -> None:
    """Drop every table."""
    for table in (
        "profiles",
        "messages",
        "conversations",
        "audit_log",
        "ingested_roots",
        "notes",
        "pairs",
        "users",
    ):
        op.drop_table(table)
