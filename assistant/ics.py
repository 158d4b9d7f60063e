"""An iCalendar (RFC 5545) event for a pair's next session, holding the prep brief's agenda."""

from __future__ import annotations

import datetime as dt

from assistant.errors import InvalidInput
from assistant.program import parse_date
from assistant.tasks.schemas import Brief

# The guidelines' target cadence is two sessions a month, so the next session is
# suggested two weeks after the last one recorded.
CADENCE = dt.timedelta(days=14)
FIRST_SESSION_AFTER = dt.timedelta(days=7)
DEFAULT_START = dt.time(9, 0)
LINE_OCTETS = 75


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


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> list[str]:
    """Split a content line into pieces of at most 75 octets without cutting a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        limit = LINE_OCTETS if not pieces else LINE_OCTETS - 1  # continuation lines start with a space
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return [pieces[0], *(" " + p for p in pieces[1:])]


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
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    properties = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//mentor-assistant//prep brief//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{brief.pair_id}-{start:%Y%m%dT%H%M}@mentor-assistant",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{start:%Y%m%dT%H%M%S}",
        f"DURATION:PT{brief.agenda.minutes}M",
        f"SUMMARY:{_escape(brief.agenda.title)}",
        f"DESCRIPTION:{_escape(description(brief))}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(piece + "\r\n" for line in properties for piece in fold(line))
