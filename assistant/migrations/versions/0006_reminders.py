"""Reminders: people's email addresses, the reminders given (once each) and the kinds turned off.

Revision ID: 0006_reminders
Revises: 0005_llm_audit
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006_reminders"
down_revision: str | None = "0005_llm_audit"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``users.email`` (empty: reminders shown on the web only), ``reminders_sent``, ``reminder_optouts``.

    As in 0002–0005, a step whose result is there already (a database ``create_all`` made from the
    development models) is skipped.
    """
    inspector = sa.inspect(op.get_bind())
    if "email" not in {column["name"] for column in inspector.get_columns("users")}:
        with op.batch_alter_table("users") as batch:
            batch.add_column(sa.Column("email", sa.String(320), nullable=True))
    if not inspector.has_table("reminders_sent"):
        op.create_table(
            "reminders_sent",
            sa.Column("key", sa.String(200), primary_key=True),
            sa.Column("kind", sa.String(20), nullable=False),
            sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), nullable=False),
            sa.Column("subject", sa.String(300), nullable=False),
            sa.Column("link", sa.String(300), nullable=False),
            sa.Column("state", sa.String(10), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        )
        op.create_index("ix_reminders_sent_user_id", "reminders_sent", ["user_id"])
        op.create_index("ix_reminders_sent_created_at", "reminders_sent", ["created_at"])
    if not inspector.has_table("reminder_optouts"):
        op.create_table(
            "reminder_optouts",
            sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), primary_key=True),
            sa.Column("kind", sa.String(20), primary_key=True),
        )


def downgrade() -> None:
    """Drop the reminders' records and the addresses."""
    op.drop_table("reminder_optouts")
    op.drop_table("reminders_sent")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email")
