"""Reminders that reach people, each given once: by email when a mail server is set, always on the web.

What is due at a moment ``now``:

- ``brief``: the executive's prep brief, from the day before a planned session until it starts;
- ``note``: a nudge to both members two working days after a held session that has no note
  (sessions up to three weeks old, so a new install does not nag about last year);
- ``gap``: a note to each coordinator when a pair has held no session for longer than the
  guidelines allow (``insight.STALL_DAYS``), once per quiet spell;
- ``invitation``: a calendar invitation (iCalendar, METHOD REQUEST) to both members for each
  planned session, and a cancellation (METHOD CANCEL) when an invited session is called off. A
  moved session keeps its first session's UID with a higher SEQUENCE, so calendars replace it.

Once each (``assistant.delivery``): a reminder's ``key`` (kind, subject, recipient) is recorded
in ``reminders_sent`` *before* it is mailed, then marked sent; a rerun, or two runs at once, skip
a key that exists, and a run killed while the mail server held a message leaves that one
"unconfirmed", never mailed twice. Log lines name keys and counts, never a note's text.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from assistant import clock, delivery, ics, mail, sessions
from assistant.errors import InvalidInput, Unavailable
from assistant.insight import STALL_DAYS
from assistant.store import Meeting, Note, Pair, ReminderOptOut, ReminderSent, User

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.guide import Guide

log = logging.getLogger("assistant.reminders")
KINDS = {
    "brief": "The prep brief, the day before a session (executives)",
    "note": "A nudge to write the note, two working days after a session",
    "gap": "A pair that has not met for longer than the guidelines allow (coordinators)",
    "invitation": "Calendar invitations for planned, moved and cancelled sessions",
}
NOTE_AFTER_WORKING_DAYS = 2
NOTE_LOOKBACK = dt.timedelta(days=21)
SWITCH_WHILE_MAILING = 0.0005  # seconds: the interpreter's thread switch interval during a mail run


@dataclass
class Due:
    """One reminder to give: its key, recipient, subject, link and how to write its mail."""

    key: str
    kind: str
    user_id: str
    subject: str
    link: str
    body: str | Callable[[], str]  # a brief is written only when it is mailed
    calendar: tuple[str, str] | None = None  # (METHOD, iCalendar text)


@dataclass
class Report:
    """What a run did, by kind: mailed, shown on the web only, turned off; and the unconfirmed."""

    sent: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    shown: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    turned_off: int = 0
    unconfirmed: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data."""
        return {
            "sent": self.sent,
            "shown": self.shown,
            "turned_off": self.turned_off,
            "unconfirmed": self.unconfirmed,
        }


def working_days_after(day: dt.date, count: int) -> dt.date:
    """The date ``count`` working days (Monday to Friday) after ``day``."""
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


class Reminders:
    """Works out what is due and gives it, once."""

    def __init__(self, assistant: Assistant, guide: Guide | None = None) -> None:
        self.assistant = assistant
        self.ledger = delivery.Ledger(assistant)
        self._guide = guide

    @property
    def guide(self) -> Guide:
        """The guide that writes the briefs (made when the first brief is mailed)."""
        if self._guide is None:
            from assistant.guide import Guide

            self._guide = Guide(self.assistant)
        return self._guide

    def _url(self, path: str) -> str:
        return self.assistant.settings.public_url.rstrip("/") + path

    # What is due ------------------------------------------------------------------------

    def due(self, now: dt.datetime) -> list[Due]:
        """Every reminder due at ``now`` that has not been given (turned-off kinds included)."""
        with self.assistant.session(write=False) as session:
            users = {u.id: u for u in session.scalars(select(User))}
            pairs = {p.id: p for p in session.scalars(select(Pair))}
            given = set(session.scalars(select(ReminderSent.key)))
            found = [
                *self._briefs(session, now, users, pairs),
                *self._invitations(session, now, users, pairs, given),
                *self._nudges(session, now, users, pairs),
                *self._gaps(session, now, users, pairs),
            ]
        return [d for d in found if d.key not in given]

    def _briefs(
        self, session: Session, now: dt.datetime, users: dict[str, User], pairs: dict[str, Pair]
    ) -> list[Due]:
        query = select(Meeting).where(
            Meeting.status == "planned",
            Meeting.starts_at > now,
            Meeting.starts_at < now + dt.timedelta(days=3),
        )
        due = []
        for meeting in session.scalars(query):
            start = sessions.local_start(meeting)
            if now.astimezone(start.tzinfo).date() < start.date() - dt.timedelta(days=1):
                continue
            pair = pairs[meeting.pair_id]
            mentor = users[pair.mentor_id].name
            when = f"{start:%A %d %B at %H:%M} ({meeting.time_zone})"
            link = self._url(f"/pairs/{pair.id}/brief")
            due.append(
                Due(
                    key=f"brief:{meeting.id}:{pair.executive_id}",
                    kind="brief",
                    user_id=pair.executive_id,
                    subject=f"Prep brief: your session with {mentor}, {when}",
                    link=link,
                    body=self._brief_body(pair.id, pair.executive_id, when, link),
                )
            )
        return due

    def _brief_body(self, pair_id: str, executive_id: str, when: str, link: str) -> Callable[[], str]:
        def body() -> str:
            from assistant.render import brief_markdown

            # The copy the executive could share: their private notes stay out of a mailbox.
            brief = self.guide.brief(pair_id, executive_id, private=False)
            return f"Your next session is {when}.\n\n{brief_markdown(brief)}\n\nOn the web: {link}\n"

        return body

    @staticmethod
    def _chain(moved_from: dict[str, str], meeting_id: str) -> tuple[str, int]:
        """The first session a moved one comes from (its id makes the UID), and how many moves since.

        ``moved_from`` maps a session to the one moved to it (read once a run, not once a session).
        """
        first, moves = meeting_id, 0
        while moves < 50 and first in moved_from:
            first, moves = moved_from[first], moves + 1
        return first, moves

    def _invitations(
        self,
        session: Session,
        now: dt.datetime,
        users: dict[str, User],
        pairs: dict[str, Pair],
        given: set[str],
    ) -> list[Due]:
        planned = select(Meeting).where(Meeting.status == "planned", Meeting.starts_at > now)
        cancelled = select(Meeting).where(Meeting.status == "cancelled", Meeting.starts_at > now)
        moved = select(Meeting.moved_to, Meeting.id).where(Meeting.moved_to.is_not(None))
        moved_from: dict[str, str] = {to: source for to, source in session.execute(moved) if to}
        due = []
        for meeting in [*session.scalars(planned), *session.scalars(cancelled)]:
            pair = pairs[meeting.pair_id]
            members = (pair.mentor_id, pair.executive_id)
            called_off = meeting.status == "cancelled"
            if called_off and not any(f"invitation:{meeting.id}:{m}" in given for m in members):
                continue  # never invited: nothing to take back
            prefix = "cancel" if called_off else "invitation"
            if all(f"{prefix}:{meeting.id}:{m}" in given for m in members):
                continue  # given to both already: not worth writing again
            first, moves = self._chain(moved_from, meeting.id)
            start = sessions.local_start(meeting)
            mentor, executive = users[pair.mentor_id], users[pair.executive_id]
            organizer = users[meeting.planned_by or pair.mentor_id]
            summary = f"Reverse mentoring: {mentor.name} & {executive.name}"
            link = self._url(f"/sessions/{meeting.id}")
            when = f"{start:%A %d %B %Y at %H:%M} ({meeting.time_zone}), {meeting.minutes} minutes"
            invite = ics.invitation(  # the same event for both members
                uid=f"{first}@mentor-assistant",
                sequence=moves + (1 if called_off else 0),
                start=start,
                minutes=meeting.minutes,
                summary=summary,
                organizer=(organizer.name, organizer.email or f"{organizer.id}@invalid"),
                attendees=[(u.name, u.email) for u in (mentor, executive) if u.email],
                now=now,
                url=link,
                cancelled=called_off,
            )
            for member in members:
                verb = "Cancelled" if called_off else "Invitation"
                text = (
                    f"The session on {when} is cancelled.\n"
                    if called_off
                    else f"{organizer.name} planned a session on {when}.\n"
                )
                method = "CANCEL" if called_off else "REQUEST"
                due.append(
                    Due(
                        key=f"{prefix}:{meeting.id}:{member}",
                        kind="invitation",
                        user_id=member,
                        subject=f"{verb}: {summary}, {start:%d %B %H:%M}",
                        link=link,
                        body=f"{text}\nOn the web: {link}\n",
                        calendar=(method, invite),
                    )
                )
        return due

    def _nudges(
        self, session: Session, now: dt.datetime, users: dict[str, User], pairs: dict[str, Pair]
    ) -> list[Due]:
        query = select(Meeting).where(
            Meeting.status == "held", Meeting.starts_at <= now, Meeting.starts_at > now - NOTE_LOOKBACK
        )
        held = list(session.scalars(query))
        noted = set(
            session.scalars(
                select(Note.session_id).where(Note.session_id.in_([m.id for m in held])).distinct()
            )
        )
        due = []
        for meeting in held:
            if meeting.id in noted:
                continue
            day = sessions.local_date(meeting)
            if now.astimezone(sessions.zone(meeting.time_zone)).date() < working_days_after(
                day, NOTE_AFTER_WORKING_DAYS
            ):
                continue
            pair = pairs[meeting.pair_id]
            link = self._url(f"/sessions/{meeting.id}")
            for member, partner in ((pair.mentor_id, pair.executive_id), (pair.executive_id, pair.mentor_id)):
                subject = f"Write the note of your session with {users[partner].name} on {day:%d %B}"
                due.append(
                    Due(
                        key=f"note:{meeting.id}:{member}",
                        kind="note",
                        user_id=member,
                        subject=subject,
                        link=link,
                        body=(
                            f"Your session on {day:%A %d %B} has no note yet. A few lines on what you "
                            f"covered and who does what next keep the next session's brief useful.\n\n"
                            f"Write it here: {link}\n"
                        ),
                    )
                )
        return due

    def _gaps(
        self, session: Session, now: dt.datetime, users: dict[str, User], pairs: dict[str, Pair]
    ) -> list[Due]:
        coordinators = [u for u in users.values() if u.role == "coordinator"]
        if not coordinators:
            return []
        last_start = (
            select(Meeting.pair_id, func.max(Meeting.starts_at).label("last"))
            .where(Meeting.status == "held", Meeting.starts_at <= now)
            .group_by(Meeting.pair_id)
            .subquery()
        )
        query = select(Meeting).join(
            last_start, (Meeting.pair_id == last_start.c.pair_id) & (Meeting.starts_at == last_start.c.last)
        )
        last = {m.pair_id: m for m in session.scalars(query.where(Meeting.status == "held"))}
        today = now.date()
        due = []
        for pair in pairs.values():
            meeting = last.get(pair.id)
            since = sessions.local_date(meeting) if meeting else pair.start_date
            idle = (today - since).days
            if idle <= STALL_DAYS:
                continue
            label = f"{users[pair.mentor_id].name} & {users[pair.executive_id].name}"
            link = self._url("/program")
            for coordinator in coordinators:
                due.append(
                    Due(
                        key=f"gap:{pair.id}:{meeting.id if meeting else 'start'}:{coordinator.id}",
                        kind="gap",
                        user_id=coordinator.id,
                        subject=f"{label} have not met for {idle} days",
                        link=link,
                        body=(
                            f"{label} have held no session for {idle} days (since {since:%d %B %Y}); "
                            f"the guidelines allow {STALL_DAYS}.\n\nProgram health: {link}\n"
                        ),
                    )
                )
        return due

    # Giving them ------------------------------------------------------------------------

    def run(self, now: dt.datetime | None = None, mailer: mail.Mailer | None = None) -> Report:
        """Give every reminder due at ``now`` once; mail it when there is a mailer and an address.

        Raises:
            Unavailable: the mail server could not be used; what was given before stays given,
                the reminder in hand is given by the next run.
        """
        now = (now or clock.now()).astimezone(dt.UTC)
        own = mailer is None
        mailer = mailer or mail.Mailer.for_settings(self.assistant.settings)
        report = Report(unconfirmed=self.ledger.unconfirmed())
        with self.assistant.session(write=False) as session:
            off = {(o.user_id, o.kind) for o in session.scalars(select(ReminderOptOut))}
            people = {u.id: (u.name, u.email) for u in session.scalars(select(User))}
        shown, mailed = [], []
        for item in self.due(now):
            if (item.user_id, item.kind) in off:
                report.turned_off += 1
            elif mailer is not None and people[item.user_id][1]:
                mailed.append(item)
            else:
                shown.append(item)
        for item in self.ledger.show(shown, now):
            report.shown[item.kind] += 1
        if mailer is None:
            return report
        try:
            self._mail(mailed, people, mailer, now, report)
        finally:
            if own:
                mailer.close()
        return report

    def _mail(
        self,
        items: list[Due],
        people: dict[str, tuple[str, str | None]],
        mailer: mail.Mailer,
        now: dt.datetime,
        report: Report,
    ) -> None:
        """Mail reminders, each once (see ``assistant.delivery``), briefs last.

        The briefs are written on a thread of their own, in order, from the start: writing them
        (and opening the index they read) takes the time the other mails spend waiting for the
        mail server.
        """
        settings = self.assistant.settings
        items = sorted(items, key=lambda item: callable(item.body))  # stable: the due order otherwise
        writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="brief-writer")
        post = delivery.Posting(self.ledger, mailer, now)
        # Each answer of the mail server wakes the sending thread, which then waits for the
        # interpreter while a brief is being written: up to the switch interval (5 ms), four times
        # a message. A shorter interval while mailing made a run over 435 mails 15-20 % faster.
        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, SWITCH_WHILE_MAILING))
        try:
            bodies = {i.key: writer.submit(i.body) for i in items if callable(i.body)}
            with post:
                for item in items:
                    body = bodies[item.key].result() if item.key in bodies else str(item.body)
                    name, address = people[item.user_id]
                    message = mail.message(
                        settings, (name, str(address)), item.subject, body, item.key, item.calendar
                    )
                    post.give(item, message)
        finally:
            sys.setswitchinterval(switch)
            writer.shutdown(wait=True, cancel_futures=True)
            for item in post.sent:
                report.sent[item.kind] += 1

    # People's side ----------------------------------------------------------------------

    def recent(self, user_id: str, limit: int = 30) -> list[dict[str, Any]]:
        """The reminders given to a user, newest first."""
        with self.assistant.session(write=False) as session:
            query = (
                select(ReminderSent)
                .where(ReminderSent.user_id == user_id)
                .order_by(ReminderSent.created_at.desc(), ReminderSent.key)
                .limit(limit)
            )
            return [
                {
                    "kind": r.kind,
                    "subject": r.subject,
                    "link": r.link,
                    "state": r.state,
                    "date": sessions.as_utc(r.created_at).date().isoformat(),
                }
                for r in session.scalars(query)
            ]

    def turned_off(self, user_id: str) -> set[str]:
        """The kinds a user turned off."""
        with self.assistant.session(write=False) as session:
            return set(session.scalars(select(ReminderOptOut.kind).where(ReminderOptOut.user_id == user_id)))

    def choose(self, user_id: str, wanted: set[str]) -> set[str]:
        """Keep only the ``wanted`` kinds on for a user; returns the kinds now off."""
        unknown = wanted - set(KINDS)
        if unknown:
            raise InvalidInput(f"Unknown reminder kind {sorted(unknown)[0]!r}; use: {', '.join(KINDS)}.")
        off = set(KINDS) - wanted
        with self.assistant.session() as session:
            session.execute(delete(ReminderOptOut).where(ReminderOptOut.user_id == user_id))
            session.add_all(ReminderOptOut(user_id=user_id, kind=kind) for kind in sorted(off))
        return off


def set_email(assistant: Assistant, user_id: str, address: str | None) -> dict[str, Any]:
    """Give a user the address reminders are mailed to (None or "": web only)."""
    from email.utils import parseaddr

    from assistant import program

    address = (address or "").strip() or None
    if address is not None:
        _name, parsed = parseaddr(address)
        local, at, domain = parsed.partition("@")
        if parsed != address or not local or not at or "." not in domain or len(address) > 320:
            raise InvalidInput(f"{address!r} is not an email address such as name@example.org.")
    with assistant.session() as session:
        user = program.get_user(session, user_id)
        user.email = address
        return {"id": user.id, "email": address}


def start_scheduler(assistant: Assistant, minutes: int) -> Any:
    """Run reminders every ``minutes`` in a background thread of this process (APScheduler).

    One run at a time (a run still going when the next is due makes that one wait or be
    skipped); several server processes may each run it, since a reminder's key is claimed once.
    Returns the started scheduler; call ``shutdown()`` on it to stop.
    """
    from apscheduler.schedulers.background import BackgroundScheduler

    reminders = Reminders(assistant)

    def job() -> None:
        try:
            report = reminders.run()
            log.info("reminders: %s", report.as_dict())
        except Unavailable as exc:
            log.warning("reminders wait for the next run: %s", exc)

    scheduler = BackgroundScheduler(timezone=dt.UTC)
    scheduler.add_job(
        job,
        "interval",
        minutes=minutes,
        id="reminders",
        max_instances=1,
        coalesce=True,
        next_run_time=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5),
    )
    scheduler.start()
    return scheduler
