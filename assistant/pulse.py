"""The pulse after a held session: each member's quick answer, and its trend for coordinators.

A member answers once per session (answering again replaces their answer): how useful the
session was (1-5), one thing they learned, and an optional comment. The answer is private to its
author; nobody else ever reads it one by one. Coordinators get ``pulse_trend``: the mean
usefulness per month, only for months in which at least ``min_group_size`` different people
answered; other months are marked suppressed, without a number. Who may call what is decided in
``assistant/evaluation.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import sessions
from assistant.errors import InvalidInput
from assistant.store import Meeting, Pair, PulseAnswer

LOWEST, HIGHEST = 1, 5
MAX_LEARNED = 500
MAX_COMMENT = 2000
SUPPRESSED = "Fewer than {n} people answered: too few to report."


def check_score(value: object, what: str = "Usefulness") -> int:
    """A whole number from 1 to 5, or InvalidInput naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, int) or not LOWEST <= value <= HIGHEST:
        raise InvalidInput(f"{what} is a whole number from {LOWEST} to {HIGHEST}.")
    return value


def _text(value: str | None, limit: int, what: str, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"Write {what} (a few words are enough).")
    if len(text) > limit:
        raise InvalidInput(f"Keep {what} under {limit} characters.")
    return text


def answer(
    session: Session, meeting: Meeting, user_id: str, usefulness: int, learned: str, comment: str = ""
) -> PulseAnswer:
    """Record (or replace) a member's pulse for a held session; nothing is written on bad input."""
    if meeting.status != "held":
        raise InvalidInput(
            f"Session {meeting.id} is {meeting.status}; the pulse opens once a session is marked held."
        )
    score = check_score(usefulness)
    learned = _text(learned, MAX_LEARNED, "one thing you learned", required=True)
    comment = _text(comment, MAX_COMMENT, "the comment", required=False)
    row = session.get(PulseAnswer, (meeting.id, user_id))
    if row is None:
        row = PulseAnswer(session_id=meeting.id, user_id=user_id)
        session.add(row)
    row.usefulness, row.learned, row.comment = score, learned, comment
    session.flush()
    return row


def own(session: Session, meeting_id: str, user_id: str) -> PulseAnswer | None:
    """The user's own answer for a session, if they gave one."""
    return session.get(PulseAnswer, (meeting_id, user_id))


def answer_dict(row: PulseAnswer) -> dict[str, Any]:
    """An answer as its author sees it."""
    return {
        "session_id": row.session_id,
        "user_id": row.user_id,
        "usefulness": row.usefulness,
        "learned": row.learned,
        "comment": row.comment,
        "answered_at": sessions.as_utc(row.updated_at).isoformat(timespec="seconds"),
    }


class PulseMonth(BaseModel):
    """One month of the trend: a mean over enough people, or suppressed."""

    month: str = Field(description="YYYY-MM, the month the sessions were held in.")
    reported: bool
    mean_usefulness: float | None = Field(
        default=None, description="Mean usefulness (1-5); omitted when suppressed."
    )
    answers: int | None = Field(default=None, description="Answers in the month; omitted when suppressed.")
    people: int | None = Field(
        default=None, description="Different people who answered; omitted when suppressed."
    )
    note: str | None = None


class PulseRole(BaseModel):
    """One side's ratings over the whole period: a mean over enough people, or suppressed."""

    role: str = Field(description="mentor or executive")
    reported: bool
    mean_usefulness: float | None = None
    people: int | None = None


class PulseTrend(BaseModel):
    """Mean usefulness per month over the program, for coordinators: never one person's answer."""

    min_group_size: int
    since: dt.date | None
    until: dt.date
    months: list[PulseMonth]
    roles: list[PulseRole] = Field(default_factory=list, description="Mentors' and executives' means.")


def _months(first: dt.date, last: dt.date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def pulse_trend(
    session: Session,
    min_group_size: int,
    today: dt.date,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    pair_ids: Collection[str] | None = None,
) -> PulseTrend:
    """Mean usefulness per month of held sessions, each month over at least ``min_group_size`` people.

    Every month from ``since`` (default: the first pair's start) to ``until`` (default: today) is
    listed, so a suppressed month does not even tell whether anyone answered. A month counts
    different people, not answers: three answers from one person never make a reportable month.

    Args:
        session: An open store session.
        min_group_size: Fewest different people a month's mean may describe.
        today: The day the trend is computed for (later sessions are left out).
        since: First day of sessions to include.
        until: Last day of sessions to include (at most ``today``).
        pair_ids: Only these pairs (default: every pair), e.g. one cycle's.
    """
    last = min(until or today, today)
    starts = select(Pair.start_date)
    if pair_ids is not None:
        starts = starts.where(Pair.id.in_(list(pair_ids)))
    first = since or min(session.scalars(starts), default=None)
    query = (
        select(
            PulseAnswer.user_id, PulseAnswer.usefulness, Meeting.starts_at, Meeting.time_zone, Pair.mentor_id
        )
        .join(Meeting, Meeting.id == PulseAnswer.session_id)
        .join(Pair, Pair.id == Meeting.pair_id)
    )
    query = query.where(Meeting.status == "held")
    if pair_ids is not None:
        query = query.where(Meeting.pair_id.in_(list(pair_ids)))
    scores: dict[str, list[int]] = defaultdict(list)
    people: dict[str, set[str]] = defaultdict(set)
    for user_id, usefulness, starts_at, time_zone, mentor_id in session.execute(query):
        day = sessions.as_utc(starts_at).astimezone(sessions.zone(time_zone)).date()
        if (first is not None and day < first) or day > last:
            continue
        role = "mentor" if user_id == mentor_id else "executive"
        for group in (day.strftime("%Y-%m"), role):
            scores[group].append(usefulness)
            people[group].add(user_id)
    months = []
    for month in _months(first, last) if first is not None and first <= last else []:
        if len(people[month]) < min_group_size:
            months.append(PulseMonth(month=month, reported=False, note=SUPPRESSED.format(n=min_group_size)))
            continue
        values = scores[month]
        months.append(
            PulseMonth(
                month=month,
                reported=True,
                mean_usefulness=round(sum(values) / len(values), 2),
                answers=len(values),
                people=len(people[month]),
            )
        )
    roles = [
        PulseRole(
            role=role,
            reported=True,
            mean_usefulness=round(sum(scores[role]) / len(scores[role]), 2),
            people=len(people[role]),
        )
        if len(people[role]) >= min_group_size
        else PulseRole(role=role, reported=False)
        for role in ("mentor", "executive")
    ]
    return PulseTrend(min_group_size=min_group_size, since=first, until=last, months=months, roles=roles)
