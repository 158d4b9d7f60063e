"""Schema migrations: opening a database brings it to the newest revision.

The revisions are Alembic scripts in ``versions/``, written by hand: copy the newest, set
``revision`` and ``down_revision``, and move ``HEAD`` here to it. ``tests/test_migrations.py``
fails when ``HEAD`` is not the newest revision or when the migrated schema differs from the
models. Alembic is configured in code (``config()``), so the package needs no ``alembic.ini``.

Checking a database that is already up to date reads one row with plain SQLAlchemy; Alembic
(about 0.2 s to import) is loaded only when there is something to do.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

BASELINE = "0001_baseline"
HEAD = "0007_pulse"
# Key of the PostgreSQL advisory lock held while a process migrates ("mentor" in ASCII).
_LOCK_KEY = 0x6D656E746F72
# Alembic keeps the running migration in module globals (``alembic.op``, ``alembic.context``):
# one migration at a time per process.
_MIGRATING = threading.Lock()


class Error(Exception):
    """The database cannot be migrated: its revision is unknown here (a newer version wrote it)."""


def config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for this package, running on ``connection`` when given."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent))
    cfg.attributes["connection"] = connection
    return cfg


def head_metadata() -> MetaData:
    """The models' metadata: every table the newest revision must create."""
    import assistant.profiles  # noqa: F401  (its table is on the same metadata)
    from assistant.store import Base

    return Base.metadata


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None when Alembic has never run on it."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (by default the newest).

    A database made before migrations existed (tables there, no ``alembic_version``) is
    taken to be at the baseline and upgraded from it. Processes opening one database at the
    same time take turns: the first migrates, the others find it done. PostgreSQL serialises
    them with a transaction-level advisory lock; SQLite with its write lock, taken before
    the version is read again (``BEGIN IMMEDIATE``). On both the whole upgrade is one
    transaction, so a failure leaves the database as it was.
    """
    target = HEAD if revision == "head" else revision
    with engine.connect() as connection:
        if current_revision(connection) == target:
            return
    from alembic import command  # imported before taking the lock, which others wait for
    from alembic.util import CommandError

    with _MIGRATING, engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        current = current_revision(connection)
        if current != target:
            cfg = config(connection)
            try:
                if current is None and inspect(connection).has_table("users"):
                    command.stamp(cfg, BASELINE)
                command.upgrade(cfg, revision)
            except CommandError as exc:
                raise Error(f"schema revision {current}: {exc}") from exc
        connection.commit()
