"""Weekly availability and time zones, as participants write them in a profile.

Slots look like ``Tue 08:00-10:00`` (15-minute steps, within one day); time zones are IANA
names (``Europe/Madrid``) or offsets (``UTC+05:30``). The matcher compares slots in UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = {
    **{d: d for d in DAYS},
    **dict(zip(_FULL_DAYS, DAYS)),
    **{"tues": "tue", "weds": "wed", "thur": "thu", "thurs": "thu"},
}
_SLOT = re.compile(r"^([a-z]+)\s+(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?$")
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$")
STEP_MINUTES = 15
WEEK_STEPS = 7 * 24 * 60 // STEP_MINUTES
# Offsets are read at one fixed instant so the same input always gives the same matching;
# a daylight-saving hour rarely decides whether two people share a slot.
OFFSET_INSTANT = dt.datetime(2026, 1, 12, 12, tzinfo=dt.UTC)


def utc_offset_minutes(time_zone: str) -> int:
    """Minutes east of UTC for an IANA zone (``Europe/Madrid``) or an offset (``UTC+05:30``).

    Raises:
        ValueError: The time zone is not recognised.
    """
    value = time_zone.strip()
    if value.upper() in ("UTC", "GMT", "Z"):
        return 0
    match = _OFFSET.match(value.lower())
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if hours > 14 or minutes % 15 or minutes >= 60:
            raise ValueError(f"{time_zone!r} is not a valid UTC offset (hours, then 00, 15, 30 or 45)")
        return (hours * 60 + minutes) * (1 if sign == "+" else -1)
    try:
        offset = OFFSET_INSTANT.astimezone(ZoneInfo(value)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a folder such as "Europe"
        raise ValueError(f"unknown time zone {time_zone!r} (use e.g. Europe/London or UTC+02:00)") from exc
    return int(offset.total_seconds() // 60) if offset is not None else 0


def parse_slot(text: str) -> tuple[int, int, int]:
    """Parse one weekly slot such as ``Tue 08:00-10:30`` into (day, start minute, end minute).

    Raises:
        ValueError: The slot is malformed.
    """
    match = _SLOT.match(" ".join(text.lower().split()))
    if not match or match.group(1) not in _DAY_NAMES or any(int(m or 0) >= 60 for m in match.group(3, 5)):
        raise ValueError(f"availability slot {text!r} is not like 'Tue 08:00-10:00'")
    day = DAYS.index(_DAY_NAMES[match.group(1)])
    start = int(match.group(2)) * 60 + int(match.group(3) or 0)
    end = int(match.group(4)) * 60 + int(match.group(5) or 0)
    if start >= 24 * 60 or end > 24 * 60 or end <= start or start % 15 or end % 15:
        raise ValueError(f"availability slot {text!r} must run forwards within one day, in 15-minute steps")
    return day, start, end


def parse_availability(text: str) -> list[str]:
    """Parse ``;``-separated weekly slots into their normal form (``Tue 08:00-10:00``).

    Raises:
        ValueError: A slot is malformed.
    """
    slots = []
    for part in text.split(";"):
        if part.strip():
            day, start, end = parse_slot(part)
            slots.append(
                f"{DAYS[day].title()} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
            )
    return list(dict.fromkeys(slots))


def week_grid(slots: Iterable[str], time_zone: str) -> np.ndarray:
    """Weekly slots in a time zone as the week's UTC quarter-hours (1.0 where free)."""
    grid = np.zeros(WEEK_STEPS, dtype=np.float32)
    offset = utc_offset_minutes(time_zone)
    for slot in slots:
        day, start, end = parse_slot(slot)
        first = (day * 24 * 60 + start - offset) // STEP_MINUTES
        grid[np.arange(first, first + (end - start) // STEP_MINUTES) % WEEK_STEPS] = 1.0
    return grid


def local_slots(grid: np.ndarray, time_zone: str) -> list[str]:
    """The free quarter-hours of a UTC grid as slots in a time zone (``Tue 09:00-10:30``), Monday first."""
    offset = utc_offset_minutes(time_zone) // STEP_MINUTES
    local = np.roll(grid > 0, offset)  # quarter-hour n of the local week
    slots = []
    n = 0
    while n < WEEK_STEPS:
        if not local[n]:
            n += 1
            continue
        end = n
        day_end = (n // 96 + 1) * 96  # a slot stays within its day
        while end < day_end and local[end]:
            end += 1
        start_minute, end_minute = (n % 96) * STEP_MINUTES, (end - n // 96 * 96) * STEP_MINUTES
        slots.append(
            f"{DAYS[n // 96].title()} {start_minute // 60:02d}:{start_minute % 60:02d}-"
            f"{end_minute // 60:02d}:{end_minute % 60:02d}"
        )
        n = end
    return slots


def said_slot(slot: str) -> str:
    """``Tue 08:00-10:00`` as said: "Tuesday 08:00–10:00"."""
    day, _, hours = slot.partition(" ")
    return f"{_FULL_DAYS[DAYS.index(_DAY_NAMES[day.lower()])].title()} {hours.replace('-', '–')}"
