"""Rotation plans: new partners for the next cycle once a pair has finished its six months.

Everyone whose pair is past the cycle length goes into one pool, and the pool is matched as
a cohort with every previous partnership forbidden, so nobody meets the same partner again.
Following the pairing guideline, each executive is steered away from a mentor in the same
function as their last one, and a pair that has been together twelve months may not renew.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, Field

from assistant.knowledge import Milestone, Topic
from assistant.pairing import Matching, Person, suggest
from assistant.profiles import PARTICIPANT_ROLES, Participant
from assistant.program import CYCLE_MONTHS, add_months

MAX_MONTHS_TOGETHER = 12  # "Rotation between cycles": one renewal at most


@dataclass(frozen=True)
class PairRecord:
    """A current or past pair, by user ids."""

    id: str
    mentor_id: str
    executive_id: str
    start_date: dt.date


class DuePair(BaseModel):
    """A pair past its cycle."""

    pair_id: str
    mentor: Person
    executive: Person
    start_date: dt.date
    cycle_ended: dt.date
    months_together: int
    renewal_allowed: bool = Field(description="False once the pair has had twelve months together.")


class RotationPlan(BaseModel):
    """New partners for everyone whose pair has finished its cycle."""

    today: dt.date
    cycle_months: int
    due: list[DuePair]
    not_due: int
    proposals: Matching


def rotation_plan(
    pairs: Sequence[PairRecord],
    people: Mapping[str, Participant],
    topics: Sequence[Topic],
    today: dt.date,
    *,
    directory: Iterable[Participant] = (),
) -> RotationPlan:
    """Propose next-cycle partners for the members of every pair past its cycle.

    Args:
        pairs: Every pair in the program, past and present.
        people: The participant for every user id in ``pairs`` (their profile, or a bare one).
        topics: The topic catalog.
        today: The day the plan is for.
        directory: Every profile, so reporting lines are complete.
    """
    due = [p for p in pairs if add_months(p.start_date, CYCLE_MONTHS) <= today]
    pool_users = list(dict.fromkeys(uid for p in due for uid in (p.mentor_id, p.executive_id)))
    cohort = [people[uid] for uid in pool_users if people[uid].role in PARTICIPANT_ROLES]
    avoid = [(people[p.mentor_id].id, people[p.executive_id].id) for p in pairs]
    # The latest due pair wins, so each executive is steered away from their last mentor's function.
    last_mentor = {
        people[p.executive_id].id: people[p.mentor_id].department
        for p in sorted(due, key=lambda p: p.start_date)
    }
    proposals = suggest(cohort, topics, directory=directory, avoid=avoid, last_mentor_department=last_mentor)

    def person(uid: str) -> Person:
        who = people[uid]
        return Person(id=who.id, name=who.name, department=who.department)

    listed = []
    for p in sorted(due, key=lambda p: (p.start_date, p.id)):
        months = (today.year - p.start_date.year) * 12 + today.month - p.start_date.month
        months -= 1 if today.day < p.start_date.day else 0
        listed.append(
            DuePair(
                pair_id=p.id,
                mentor=person(p.mentor_id),
                executive=person(p.executive_id),
                start_date=p.start_date,
                cycle_ended=add_months(p.start_date, CYCLE_MONTHS),
                months_together=months,
                renewal_allowed=add_months(p.start_date, MAX_MONTHS_TOGETHER) > today,
            )
        )
    return RotationPlan(
        today=today, cycle_months=CYCLE_MONTHS, due=listed, not_due=len(pairs) - len(due), proposals=proposals
    )


class CycleStep(BaseModel):
    """One step of a cycle on the calendar: when, who, what, and the guideline section it comes from."""

    title: str
    day: dt.date
    week: int
    who: str
    what: str
    source: str
    section: str


class CycleCalendar(BaseModel):
    """A cycle's steps (knowledge/cycle.yaml) dated from its kickoff; ``skipped`` names those left out."""

    start: dt.date
    end: dt.date
    steps: list[CycleStep]
    skipped: list[str] = Field(default_factory=list)


def cycle_calendar(
    milestones: Sequence[Milestone], start: dt.date, skip: Iterable[str] = ()
) -> CycleCalendar:
    """The steps dated from ``start``, less those whose title holds any of ``skip`` ("survey")."""
    skipped = [s.strip() for s in skip if s.strip()]
    steps = [
        CycleStep(day=start + dt.timedelta(weeks=m.week), **m.model_dump())
        for m in milestones
        if not any(s.lower() in m.title.lower() for s in skipped)
    ]
    end = start + dt.timedelta(weeks=max((m.week for m in milestones), default=CYCLE_MONTHS * 4))
    return CycleCalendar(start=start, end=end, steps=steps, skipped=skipped)
