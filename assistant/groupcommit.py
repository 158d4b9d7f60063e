"""Rows from many threads written in shared transactions ("group commit").

Every search that reads notes records an audit row. One transaction per row makes concurrent
requests queue for the store's single writer (SQLite takes one at a time) and pay a commit each;
here the first caller writes whatever has gathered meanwhile in one transaction, and the others
wait for that commit. A caller still returns only once its row is stored, and sees the error if
storing it failed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert

from assistant.store import session_scope


class GroupCommit:
    """Adds ORM rows to one store; rows that arrive while a commit runs share the next one."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._turn = threading.Condition()
        self._waiting: list[Any] = []
        self._batch = 0  # the batch that rows arriving now go in
        self._stored = -1  # the last batch whose commit has ended
        self._busy = False  # a commit is running
        self._callers: dict[int, int] = {}  # callers of each batch not yet told how it went
        self._failed: dict[int, BaseException] = {}

    def add(self, rows: Sequence[Any]) -> None:
        """Store ``rows``, returning once they are committed (with other callers' rows, maybe)."""
        with self._turn:
            self._waiting.extend(rows)
            mine = self._batch
            self._callers[mine] = self._callers.get(mine, 0) + 1
            while self._stored < mine and self._busy:
                self._turn.wait()
            if self._stored < mine:  # nobody is committing: this caller commits what has gathered
                self._busy = True
                batch, self._waiting, self._batch = self._waiting, [], mine + 1
            else:
                batch = None
        if batch is not None:
            self._commit(mine, batch)
        with self._turn:
            error = self._failed.get(mine)
            self._callers[mine] -= 1
            if not self._callers[mine]:
                del self._callers[mine]
                self._failed.pop(mine, None)
        if error is not None:
            raise error

    def _commit(self, number: int, rows: list[Any]) -> None:
        error: BaseException | None = None
        try:
            with session_scope(self.url) as session:
                insert_rows(session.connection(), rows)
        except BaseException as exc:  # noqa: BLE001 - every caller of the batch raises it (see add)
            error = exc
        with self._turn:
            self._busy = False
            self._stored = number
            if error is not None:
                self._failed[number] = error
            self._turn.notify_all()


def insert_rows(connection: Connection, rows: Sequence[Any]) -> None:
    """Insert new ORM objects as plain rows: the attributes each was given, column defaults for the rest.

    The ORM's unit of work (``Session.add_all``) does the same with bookkeeping that cost more
    CPU than the transaction itself for a few rows nothing reads back. Rows are inserted per
    model and set of given attributes, in the order they first appear.
    """
    groups: dict[tuple[type, tuple[str, ...]], list[dict[str, Any]]] = {}
    for row in rows:
        values = {key: value for key, value in vars(row).items() if not key.startswith("_")}
        groups.setdefault((type(row), tuple(sorted(values))), []).append(values)
    for (model, _given), batch in groups.items():
        connection.execute(insert(model), batch)
