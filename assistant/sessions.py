"""A pair's sessions as records: planned, held, cancelled or moved, each note belonging to one.

Store-level rules, validated before anything is written; who may call them is decided in
``assistant/schedule.py``. A session's moment is kept in UTC with the IANA time zone it was
planned in, so its local date and time (and an invitation's) are what the planner meant.
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import clock
from assistant.errors import InvalidInput, NotFound
from assistant.store import Meeting, Note, Pair

FIRST_DATE = dt.date(2000, 1, 1)  # as assistant.program: the years a program can hold
LAST_DATE = dt.date(2099, 12, 31)
MIN_MINUTES, MAX_MINUTES = 10, 240
DEFAULT_MINUTES = 60
# A session recorded from a note alone (no time given) starts at noon UTC: its date is then
# the same in every time zone from UTC-11 to UTC+11.
NOTE_TIME = dt.time(12)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A stored moment as an aware UTC datetime (SQLite returns the UTC wall-clock time, naive)."""
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The IANA time zone with this name, or InvalidInput."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, AttributeError) as exc:
        raise InvalidInput(f"{name!r} is not a time zone; use an IANA name such as Europe/London.") from exc


def local_start(meeting: Meeting) -> dt.datetime:
    """When the session starts, in the time zone it was planned in."""
    return as_utc(meeting.starts_at).astimezone(zone(meeting.time_zone))


def local_date(meeting: Meeting) -> dt.date:
    """The session's date where it was planned."""
    return local_start(meeting).date()


def parse_start(value: str | dt.datetime, time_zone: str) -> dt.datetime:
    """A start time as an aware UTC datetime.

    ``value`` is ``YYYY-MM-DDTHH:MM`` read in ``time_zone``, or carries its own UTC offset.
    """
    where = zone(time_zone)
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except (ValueError, AttributeError) as exc:
            raise InvalidInput(f"{value!r} is not a start time in the form YYYY-MM-DDTHH:MM.") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=where)
    if not FIRST_DATE <= moment.date() <= LAST_DATE:
        raise InvalidInput(
            f"{moment.date().isoformat()} is outside the years the program accepts "
            f"({FIRST_DATE.year} to {LAST_DATE.year})."
        )
    return moment.astimezone(dt.UTC)


def check_minutes(minutes: int) -> int:
    """A session length within what a mentoring session can be."""
    if not isinstance(minutes, int) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise InvalidInput(f"A session lasts {MIN_MINUTES} to {MAX_MINUTES} minutes.")
    return minutes


def _new_id() -> str:
    return f"s-{uuid.uuid4().hex[:10]}"


def get(session: Session, session_id: str) -> Meeting:
    """The session with this id, or NotFound."""
    meeting = session.get(Meeting, session_id)
    if meeting is None:
        raise NotFound(f"There is no session {session_id!r}.")
    return meeting


def plan(
    session: Session,
    pair: Pair,
    planned_by: str | None,
    starts_at: str | dt.datetime,
    time_zone: str,
    minutes: int = DEFAULT_MINUTES,
    *,
    session_id: str | None = None,
    status: str = "planned",
) -> Meeting:
    """Add a session to a pair's calendar (``status`` "held" records one that took place)."""
    if planned_by is not None and planned_by not in (pair.mentor_id, pair.executive_id):
        raise InvalidInput(f"User {planned_by!r} is not a member of pair {pair.id!r}.")
    meeting = Meeting(
        id=session_id or _new_id(),
        pair_id=pair.id,
        starts_at=parse_start(starts_at, time_zone),
        time_zone=zone(time_zone).key,
        minutes=check_minutes(minutes),
        status=status,
        planned_by=planned_by,
    )
    if status == "held":
        _not_ahead(meeting)
    if session.get(Meeting, meeting.id) is not None:
        raise InvalidInput(f"A session with id {meeting.id!r} already exists.")
    session.add(meeting)
    session.flush()
    return meeting


def has_come(day: dt.date, time_zone: str) -> bool:
    """Whether a session on ``day`` can be held and noted yet (tomorrow too, for time zones ahead)."""
    return day <= clock.now().astimezone(zone(time_zone)).date() + dt.timedelta(days=1)


def _not_ahead(meeting: Meeting) -> None:
    """A session can be held once its day has come (tomorrow too, for time zones ahead, as for notes)."""
    if not has_come(local_date(meeting), meeting.time_zone):
        raise InvalidInput(
            f"The session on {local_date(meeting).isoformat()} is still ahead; "
            "it can be marked held on the day."
        )


def _planned(meeting: Meeting, change: str) -> None:
    if meeting.status != "planned":
        raise InvalidInput(
            f"Session {meeting.id} is {meeting.status}; only a planned session can be {change}."
        )


def mark_held(meeting: Meeting) -> Meeting:
    """A planned session took place (refused for one still ahead, cancelled or moved)."""
    if meeting.status == "held":
        return meeting
    _planned(meeting, "marked held")
    _not_ahead(meeting)
    meeting.status = "held"
    return meeting


def cancel(meeting: Meeting, by: str) -> Meeting:
    """A planned session is called off, and who called it off is kept."""
    if meeting.status == "cancelled":
        return meeting
    _planned(meeting, "cancelled")
    meeting.status, meeting.cancelled_by = "cancelled", by
    return meeting


def move(
    session: Session,
    meeting: Meeting,
    by: str,
    starts_at: str | dt.datetime,
    time_zone: str | None = None,
    minutes: int | None = None,
) -> Meeting:
    """Replace a planned session with one at another time; the old one is marked moved."""
    _planned(meeting, "moved")
    pair = session.get_one(Pair, meeting.pair_id)
    new = plan(session, pair, by, starts_at, time_zone or meeting.time_zone, minutes or meeting.minutes)
    meeting.status, meeting.moved_to = "moved", new.id
    session.flush()
    return new


def for_pair(session: Session, pair_id: str) -> list[Meeting]:
    """A pair's sessions, earliest first."""
    query = select(Meeting).where(Meeting.pair_id == pair_id).order_by(Meeting.starts_at, Meeting.id)
    return list(session.scalars(query))


def next_planned(session: Session, pair_id: str, today: dt.date) -> dt.datetime | None:
    """The local start of the pair's next session still planned from ``today`` on, if one is."""
    coming = [
        local_start(m) for m in for_pair(session, pair_id) if m.status == "planned" and local_date(m) >= today
    ]
    return min(coming, default=None)


def on_day(session: Session, pair_id: str, day: dt.date) -> list[Meeting]:
    """The pair's sessions whose local date is ``day``."""
    around = dt.datetime.combine(day, dt.time(), dt.UTC)
    query = select(Meeting).where(
        Meeting.pair_id == pair_id,
        Meeting.starts_at >= around - dt.timedelta(days=1),
        Meeting.starts_at < around + dt.timedelta(days=2),
    )
    return [m for m in session.scalars(query.order_by(Meeting.starts_at)) if local_date(m) == day]


def held_on(session: Session, pair: Pair, day: dt.date) -> Meeting:
    """The session a note dated ``day`` belongs to: the held (or planned) one that day, else a new one."""
    sessions = on_day(session, pair.id, day)
    for status in ("held", "planned"):
        for meeting in sessions:
            if meeting.status == status:
                return mark_held(meeting)
    noon = dt.datetime.combine(day, NOTE_TIME, dt.UTC)
    return plan(session, pair, None, noon, "UTC", DEFAULT_MINUTES, status="held")


def attach(session: Session, note: Note, session_id: str | None) -> None:
    """Give a new note its session: the one named (which is then held), else the one on its date."""
    pair = session.get_one(Pair, note.pair_id)
    if session_id is None:
        note.session_id = held_on(session, pair, note.date).id
        return
    meeting = get(session, session_id)
    if meeting.pair_id != pair.id:
        raise NotFound(f"There is no session {session_id!r}.")
    mark_held(meeting)
    note.session_id, note.date = meeting.id, local_date(meeting)


def redate(session: Session, note: Note, day: dt.date) -> None:
    """A note's date changed: its session moves with it when no other note shares it."""
    meeting = session.get(Meeting, note.session_id) if note.session_id else None
    shared = meeting is not None and any(
        other.id != note.id for other in session.scalars(select(Note).where(Note.session_id == meeting.id))
    )
    if meeting is not None and not shared and not on_day(session, note.pair_id, day):
        start = local_start(meeting)
        moved = dt.datetime.combine(day, start.timetz().replace(tzinfo=None), start.tzinfo)
        meeting.starts_at = moved.astimezone(dt.UTC)
        _not_ahead(meeting)
    else:
        note.session_id = held_on(session, session.get_one(Pair, note.pair_id), day).id
    note.date = day


def notes_of(session: Session, meeting_ids: list[str]) -> dict[str, list[Note]]:
    """The notes of each session, oldest first."""
    notes: dict[str, list[Note]] = {m: [] for m in meeting_ids}
    if meeting_ids:
        query = select(Note).where(Note.session_id.in_(meeting_ids)).order_by(Note.created_at)
        for note in session.scalars(query):
            notes[str(note.session_id)].append(note)
    return notes
