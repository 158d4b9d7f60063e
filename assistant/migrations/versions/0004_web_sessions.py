"""Web sessions: API tokens may expire (or be revoked); web sign-ins are server-side sessions.

Revision ID: 0004_web_sessions
Revises: 0003_sessions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_web_sessions"
down_revision: str | None = "0003_sessions"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add ``users.token_expires_at`` (no expiry for existing tokens) and the ``web_sessions`` table.

    As in 0002 and 0003, a step whose result is there already (a database ``create_all`` made from the
    development models) is skipped.
    """
    inspector = sa.inspect(op.get_bind())
    if "token_expires_at" not in {column["name"] for column in inspector.get_columns("users")}:
        with op.batch_alter_table("users") as batch:
            batch.add_column(sa.Column("token_expires_at", sa.DateTime(timezone=True), nullable=True))
    if inspector.has_table("web_sessions"):
        return
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_index("ix_web_sessions_expires_at", "web_sessions", ["expires_at"])


def downgrade() -> None:
    """Drop the sessions (everyone signs in again) and token expiry."""
    op.drop_table("web_sessions")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("token_expires_at")
