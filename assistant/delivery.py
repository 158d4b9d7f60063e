"""Giving reminders once: the record in ``reminders_sent``, and mailing that writes while it sends.

Once each: a reminder's key (kind, subject, recipient) is inserted into ``reminders_sent`` in
its own transaction *before* it is mailed, then marked sent. Two runs at once, or a rerun, skip
a key that exists. A run killed between the insert and the mail server's answer leaves the row
"sending": it is counted as unconfirmed and not mailed again (a reminder may then be missing,
never doubled). At most one row is "sending" at a time: the next reminder is recorded in the
transaction that marks the one before it sent. When the mail server cannot be reached, the row
is removed again and the run stops: the next run gives it.

The mail server's answers are awaited on a thread of their own (``smtplib`` waits on a socket,
which leaves the interpreter free): while one message goes out, the next one is written (a brief
composed, its MIME message built), but recorded only once the one before it has landed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, cast

from sqlalchemy import Table, bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.errors import Unavailable
from assistant.store import ReminderSent

if TYPE_CHECKING:
    from email.message import Message

    from assistant.core import Assistant
    from assistant.mail import Mailer
    from assistant.reminders import Due

log = logging.getLogger("assistant.reminders")
# Built once: a statement made afresh for each reminder cost more than its commit.
_TABLE = cast(Table, ReminderSent.__table__)
_RECORD = _TABLE.insert()
_MARK_SENT = (
    _TABLE.update().where(_TABLE.c.key == bindparam("sent_key")).values(state="sent", sent_at=bindparam("at"))
)


class Ledger:
    """The reminders given, as rows of ``reminders_sent``: claimed once, by whichever run is first."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def unconfirmed(self) -> int:
        """Reminders a stopped run was mailing when it stopped (not mailed again)."""
        with self.assistant.session(write=False) as session:
            query = select(func.count()).select_from(ReminderSent).where(ReminderSent.state == "sending")
            return session.scalar(query) or 0

    @staticmethod
    def _row(item: Due, state: str, now: dt.datetime) -> dict[str, object]:
        return {
            "key": item.key,
            "kind": item.kind,
            "user_id": item.user_id,
            "subject": item.subject[:300],
            "link": item.link[:300],
            "state": state,
            "created_at": now,
            "sent_at": now if state == "shown" else None,
        }

    def show(self, items: Sequence[Due], now: dt.datetime) -> list[Due]:
        """Record reminders given on the web only, in one transaction; returns those this run gave.

        When another run recorded one of them first, each is recorded on its own instead.
        """
        if not items:
            return []
        try:
            with self.assistant.session() as session:
                session.execute(_RECORD, [self._row(i, "shown", now) for i in items])
            return list(items)
        except IntegrityError:
            return [i for i in items if self.claim(i, now, state="shown")]

    def claim(self, item: Due, now: dt.datetime, sent: str | None = None, state: str = "sending") -> bool:
        """Record a reminder as being given, and ``sent`` (a key) as sent in the same transaction.

        Returns False when another run recorded the reminder first (``sent`` is marked either way).
        """
        try:
            with self.assistant.session() as session:
                if sent is not None:
                    self._mark(session, sent)
                session.execute(_RECORD, self._row(item, state, now))
        except IntegrityError:
            if sent is not None:
                self.mark_sent(sent)
            return False
        return True

    @staticmethod
    def _mark(session: Session, key: str) -> None:
        session.execute(_MARK_SENT, {"sent_key": key, "at": dt.datetime.now(dt.UTC)})

    def mark_sent(self, key: str) -> None:
        """The mail server took the reminder's message."""
        with self.assistant.session() as session:
            self._mark(session, key)

    def release(self, key: str) -> None:
        """Forget a claimed reminder that could not be mailed: the next run gives it."""
        with self.assistant.session() as session:
            session.execute(delete(ReminderSent).where(ReminderSent.key == key))


class Posting:
    """Mails reminders one after another, each recorded before it goes out and marked sent after.

    ``give(item, message)`` waits for the message before it to land, records ``item`` (marking
    that one sent in the same transaction) and hands ``message`` to the sending thread; the
    caller meanwhile writes the next one. ``finish()`` waits for the last. Raises ``Unavailable``
    (after forgetting the reminder in hand) when the mail server could not be used.
    """

    def __init__(self, ledger: Ledger, mailer: Mailer, now: dt.datetime) -> None:
        self.ledger, self.mailer, self.now = ledger, mailer, now
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtp")
        self._flight: tuple[Due, Future[None]] | None = None
        self.sent: list[Due] = []

    def _land(self) -> str | None:
        """Wait for the message in flight; its key once the server took it (None if there was none)."""
        if self._flight is None:
            return None
        item, future = self._flight
        self._flight = None
        try:
            future.result()
        except Unavailable:
            self.ledger.release(item.key)
            raise
        self.sent.append(item)
        log.info("reminder sent: %s", item.key)
        return item.key

    def give(self, item: Due, message: Message) -> None:
        """Record ``item`` and start mailing it (skipped when another run recorded it first)."""
        landed = self._land()
        if self.ledger.claim(item, self.now, sent=landed):
            self._flight = (item, self._sender.submit(self.mailer.send, message))

    def finish(self) -> None:
        """Wait for the last message and mark it sent."""
        landed = self._land()
        if landed is not None:
            self.ledger.mark_sent(landed)

    def close(self) -> None:
        """Stop the sending thread, after a message still in flight has landed (marked or forgotten)."""
        try:
            self.finish()
        finally:
            self._sender.shutdown(wait=True)

    def __enter__(self) -> Posting:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
