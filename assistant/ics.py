"""An iCalendar (RFC 5545) event for a pair's next session, holding the prep brief's agenda.

The file is written by the maintained ``icalendar`` package (escaping, folding), never by hand.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from assistant.errors import InvalidInput
from assistant.program import parse_date
from assistant.tasks.schemas import Brief

# The guidelines' target cadence is two sessions a month, so the next session is
# suggested two weeks after the last one recorded.
CADENCE = dt.timedelta(days=14)
FIRST_SESSION_AFTER = dt.timedelta(days=7)
DEFAULT_START = dt.time(9, 0)


def suggested_date(brief: Brief, today: dt.date) -> dt.date:
    """A working day for the next session: two weeks after the last session, never in the past."""
    dates = [dt.date.fromisoformat(r.date) for r in brief.recap]
    proposed = max(dates) + CADENCE if dates else today + FIRST_SESSION_AFTER
    proposed = max(proposed, today + dt.timedelta(days=1))
    while proposed.weekday() >= 5:
        proposed += dt.timedelta(days=1)
    return proposed


def session_start(day: dt.date, time: dt.time | None) -> dt.datetime:
    """When the session starts, in the reader's local time (a calendar's floating time).

    Raises:
        InvalidInput: The day is outside the program's years, or the time carries a UTC offset.
    """
    if time is not None and time.tzinfo is not None:
        raise InvalidInput("The time must be a local time such as 09:30, without a UTC offset.")
    return dt.datetime.combine(parse_date(day), (time or DEFAULT_START).replace(second=0, microsecond=0))


# Characters some calendars take as a line break; in a text value they become "\n" (escaped
# by icalendar), so nothing in a note can start a property of its own.
_BREAKS = str.maketrans(dict.fromkeys("\r\v\f\x1c\x1d\x1e\x85\u2028\u2029", "\n"))


def _text(value: str) -> str:
    """Text for a calendar value: every kind of line break a plain newline, no other controls."""
    flat = value.replace("\r\n", "\n").translate(_BREAKS)
    return "".join(c for c in flat if c == "\n" or c == "\t" or (c >= " " and c != "\x7f"))


def description(brief: Brief) -> str:
    """The event's text: the agenda, then the open actions and the questions to ask."""
    agenda = brief.agenda
    lines = [f"Agenda ({agenda.minutes} minutes)"]
    lines += [
        f"{n}. {i.title} ({i.minutes} min, led by {i.lead})" + (f": {i.details}" if i.details else "")
        for n, i in enumerate(agenda.items, 1)
    ]
    if brief.open_actions:
        lines += ["", "Open actions"] + [f"- {a.owner}: {a.action}" for a in brief.open_actions]
    lines += ["", "Questions to ask"] + [f"- {q}" for q in brief.questions_to_ask]
    return "\n".join(lines)


def session_event(brief: Brief, start: dt.datetime, now: dt.datetime) -> str:
    """A calendar file with one event at ``start`` (local, floating time) lasting the agenda's length."""
    from icalendar import Calendar, Event  # here: only a calendar download needs it

    calendar = Calendar()
    calendar.add("prodid", "-//mentor-assistant//prep brief//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{brief.pair_id}-{start:%Y%m%dT%H%M}@mentor-assistant")
    event.add("dtstamp", now.astimezone(dt.UTC).replace(microsecond=0))
    event.add("dtstart", start)
    event.add("duration", dt.timedelta(minutes=brief.agenda.minutes))
    event.add("summary", _text(brief.agenda.title))
    event.add("description", _text(description(brief)))
    calendar.add_component(event)
    return calendar.to_ical().decode()


def invitation(
    *,
    uid: str,
    sequence: int,
    start: dt.datetime,
    minutes: int,
    summary: str,
    organizer: tuple[str, str],
    attendees: list[tuple[str, str]],
    now: dt.datetime,
    url: str,
    cancelled: bool = False,
) -> str:
    """A calendar invitation (METHOD REQUEST, or CANCEL) for one session.

    ``start`` is aware: the event carries its time zone (with a VTIMEZONE), so each calendar
    shows it at the right local time. ``uid`` stays the same for a session and the sessions it
    is moved to, and ``sequence`` grows with each move, so a calendar replaces the event rather
    than adding another. ``organizer`` and ``attendees`` are ``(name, address)``.
    """
    from icalendar import Calendar, Event, vCalAddress, vText

    def person(name: str, address: str, role: str | None = None) -> vCalAddress:
        who = vCalAddress(f"mailto:{address}")
        who.params["cn"] = vText(_text(name))
        if role:
            who.params["role"], who.params["partstat"], who.params["rsvp"] = role, "NEEDS-ACTION", "TRUE"
        return who

    calendar = Calendar()
    calendar.add("prodid", "-//mentor-assistant//sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", now.astimezone(dt.UTC).replace(microsecond=0))
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=minutes))
    event.add("summary", _text(summary))
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", person(*organizer))
    for name, address in attendees:
        event.add("attendee", person(name, address, "REQ-PARTICIPANT"))
    calendar.add_component(event)
    # As calendar.add_missing_timezones(), but each zone's VTIMEZONE covers only the years around
    # the session (icalendar's default, 1970-2038, holds some 2,700 transition dates: 6 ms to
    # write out for every invitation) and is built once a process per zone and year.
    for at, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        zone = _vtimezone(tzid, start.year)
        if zone is not None:
            calendar.subcomponents.insert(at, zone)
    return calendar.to_ical().decode()


@lru_cache(maxsize=256)
def _vtimezone(tzid: str, year: int) -> Any:
    """A zone's VTIMEZONE from the year before ``year`` to two years after; read, never changed.

    None for a zone icalendar does not know.
    """
    from icalendar import Timezone

    try:
        return Timezone.from_tzid(tzid, first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 2, 1, 1))
    except ValueError:
        return None
