"""Pulse answers after held sessions and self-ratings against the objectives at a cycle's start and end.

Revision ID: 0007_pulse
Revises: 0006_reminders
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007_pulse"
down_revision: str | None = "0006_reminders"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``pulse_answers`` and ``self_ratings`` (both empty: nobody has answered yet).

    As in 0002–0006, a table that is there already (a database ``create_all`` made from the
    development models) is skipped.
    """
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("pulse_answers"):
        op.create_table(
            "pulse_answers",
            sa.Column("session_id", sa.String(64), sa.ForeignKey("sessions.id"), primary_key=True),
            sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), primary_key=True),
            sa.Column("usefulness", sa.Integer, nullable=False),
            sa.Column("learned", sa.Text, nullable=False),
            sa.Column("comment", sa.Text, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("ix_pulse_answers_user_id", "pulse_answers", ["user_id"])
    if not inspector.has_table("self_ratings"):
        op.create_table(
            "self_ratings",
            sa.Column("pair_id", sa.String(64), sa.ForeignKey("pairs.id"), primary_key=True),
            sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), primary_key=True),
            sa.Column("phase", sa.String(5), primary_key=True),
            sa.Column("objective_id", sa.String(64), primary_key=True),
            sa.Column("rating", sa.Integer, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("ix_self_ratings_user_id", "self_ratings", ["user_id"])


def downgrade() -> None:
    """Drop the answers and ratings (the sessions and notes they were about stay)."""
    op.drop_table("self_ratings")
    op.drop_table("pulse_answers")
