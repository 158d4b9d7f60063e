"""The audit log records a model's turn: which model, its tokens and its latency.

Revision ID: 0005_llm_audit
Revises: 0004_web_sessions
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005_llm_audit"
down_revision: str | None = "0004_web_sessions"
branch_labels: str | None = None
depends_on: str | None = None

COLUMNS: dict[str, sa.types.TypeEngine[Any]] = {
    "model": sa.String(200),
    "input_tokens": sa.Integer(),
    "output_tokens": sa.Integer(),
    "latency_ms": sa.Integer(),
}


def upgrade() -> None:
    """Add ``audit_log.model``, ``input_tokens``, ``output_tokens`` and ``latency_ms`` (empty for old rows).

    As in 0002–0004, columns already there (a database ``create_all`` made from the development
    models) are skipped.
    """
    present = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("audit_log")}
    missing = [name for name in COLUMNS if name not in present]
    if not missing:
        return
    with op.batch_alter_table("audit_log") as batch:
        for name in missing:
            batch.add_column(sa.Column(name, COLUMNS[name], nullable=True))


def downgrade() -> None:
    """Drop the model's figures; the entries stay."""
    with op.batch_alter_table("audit_log") as batch:
        for name in reversed(list(COLUMNS)):
            batch.drop_column(name)
