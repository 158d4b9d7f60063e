"""Pairing proposals on the coordinator's dashboard: suggest, then accept or override.

Everyone with a participant profile and no current pair (none whose six months are still
running or yet to start) is matched as one cohort, as a rotation does: previous partners are
never proposed again, and each executive is steered away from their last mentor's function.
Each suggestion carries its reasons and the pairing guideline's warnings. A coordinator accepts
one, or overrides it by picking another mentor for the executive; either way the pair is
created only if both people have a user account, neither has a current pair, and they are not
on one reporting line (the guideline forbids it); otherwise nothing changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select

from assistant.coordinator import Coordinator
from assistant.errors import InvalidInput, NotFound
from assistant.pairing import Matching, guideline_warnings, in_management_chain, suggest
from assistant.profiles import PARTICIPANT_ROLES, Participant, all_participants
from assistant.program import CYCLE_MONTHS, add_months
from assistant.rotation import MAX_MONTHS_TOGETHER
from assistant.store import Pair, User

SHOWN = 12  # suggestions a page offers to accept or override; the rest are counted


class Option(BaseModel):
    """A mentor a coordinator may pick for an executive instead, with the guideline's warnings."""

    id: str
    name: str
    allowed: bool = Field(description="False on the executive's reporting line: never allowed.")
    warnings: list[str]


class Override(BaseModel):
    """The mentors a coordinator may choose from for one executive."""

    executive_id: str
    options: list[Option]


class Finished(BaseModel):
    """A pair past its six months whose members have no current pair: due for rotation."""

    pair_id: str
    mentor: str
    executive: str
    cycle_ended: dt.date
    renewal_allowed: bool = Field(description="False once the pair has had twelve months together.")


class Proposals(BaseModel):
    """Who has no current pair and the suggested pairs for them."""

    today: dt.date
    waiting: int = Field(description="Mentors and executives with a profile and no current pair.")
    finished: list[Finished] = Field(default_factory=list)
    matching: Matching | None
    shown: int = Field(default=0, description="Suggestions offered to accept or override (the first ones).")
    overrides: list[Override]
    note: str | None = None


def _current(pairs: list[_Pair], today: dt.date) -> set[str]:
    """User ids in a pair whose cycle is running or yet to start."""
    return {
        uid
        for p in pairs
        if add_months(p.start_date, CYCLE_MONTHS) > today
        for uid in (p.mentor_id, p.executive_id)
    }


@dataclass(frozen=True)
class _Pair:
    id: str
    mentor_id: str
    executive_id: str
    start_date: dt.date


def _load(coordinator: Coordinator, today: dt.date) -> tuple[list[Participant], list[_Pair], set[str]]:
    with coordinator.assistant.session(write=False) as session:
        directory = all_participants(session)
        query = select(Pair.id, Pair.mentor_id, Pair.executive_id, Pair.start_date)
        pairs = [_Pair(*row) for row in session.execute(query)]
    return directory, pairs, _current(pairs, today)


def _names(coordinator: Coordinator, pairs: list[_Pair], current: set[str], today: dt.date) -> dict[str, str]:
    """The names of the members of pairs past their cycle."""
    wanted = {
        uid
        for p in pairs
        if add_months(p.start_date, CYCLE_MONTHS) <= today
        for uid in (p.mentor_id, p.executive_id)
    }
    with coordinator.assistant.session(write=False) as session:
        rows = session.execute(select(User.id, User.name).where(User.id.in_(wanted - current)))
        return {uid: name for uid, name in rows}


def _finished(pairs: list[_Pair], current: set[str], names: dict[str, str], today: dt.date) -> list[Finished]:
    ended = [
        p
        for p in pairs
        if add_months(p.start_date, CYCLE_MONTHS) <= today
        and p.mentor_id not in current
        and p.executive_id not in current
    ]
    return [
        Finished(
            pair_id=p.id,
            mentor=names.get(p.mentor_id, p.mentor_id),
            executive=names.get(p.executive_id, p.executive_id),
            cycle_ended=add_months(p.start_date, CYCLE_MONTHS),
            renewal_allowed=add_months(p.start_date, MAX_MONTHS_TOGETHER) > today,
        )
        for p in sorted(ended, key=lambda p: (p.start_date, p.id))
    ]


def proposals(coordinator: Coordinator, today: dt.date, shown: int = SHOWN) -> Proposals:
    """Suggested pairs for everyone waiting; for the first ``shown``, the mentors to choose from instead."""
    directory, pairs, current = _load(coordinator, today)
    finished = _finished(pairs, current, _names(coordinator, pairs, current, today), today)
    by_user = {p.user_id: p for p in directory if p.user_id}
    waiting = [p for p in directory if p.role in PARTICIPANT_ROLES and p.user_id and p.user_id not in current]
    mentors = [p for p in waiting if p.role == "mentor"]
    executives = [p for p in waiting if p.role == "executive"]
    if not mentors or not executives:
        note = (
            "Everyone with a participant profile has a current pair."
            if not waiting
            else (
                "Nobody to pair: the people without a current pair are all "
                f"{'mentors' if mentors else 'executives'}."
            )
        )
        return Proposals(
            today=today, waiting=len(waiting), finished=finished, matching=None, overrides=[], note=note
        )
    avoid, last_mentor = [], {}
    for p in sorted(pairs, key=lambda p: p.start_date):
        mentor, executive = by_user.get(p.mentor_id), by_user.get(p.executive_id)
        if mentor and executive:
            avoid.append((mentor.id, executive.id))
            last_mentor[executive.id] = mentor.department
    matching = suggest(
        waiting,
        coordinator.topics,
        directory=directory,
        avoid=avoid,
        last_mentor_department=last_mentor,
    )
    offered = {p.executive.id for p in matching.pairs[:shown]}
    overrides = [
        Override(
            executive_id=e.id,
            options=[
                Option(
                    id=m.id,
                    name=m.name,
                    allowed=not in_management_chain(m, e, directory),
                    warnings=guideline_warnings(m, e, in_chain=in_management_chain(m, e, directory)),
                )
                for m in mentors
            ],
        )
        for e in executives
        if e.id in offered
    ]
    return Proposals(
        today=today,
        waiting=len(waiting),
        finished=finished,
        matching=matching,
        shown=min(shown, len(matching.pairs)),
        overrides=overrides,
    )


def create_pair(
    coordinator: Coordinator, mentor_id: str, executive_id: str, today: dt.date
) -> dict[str, Any]:
    """Pair a mentor's and an executive's profiles from today (an accepted or overridden suggestion).

    Raises:
        NotFound: Either is not a participant profile.
        InvalidInput: Wrong roles, no user account, a current pair already, or one reporting line.
    """
    directory, _pairs, current = _load(coordinator, today)
    people = {p.id: p for p in directory}
    for pid in (mentor_id, executive_id):
        if pid not in people:
            raise NotFound(f"There is no participant profile {pid!r}.")
    mentor, executive = people[mentor_id], people[executive_id]
    if mentor.role != "mentor" or executive.role != "executive":
        raise InvalidInput("Pick a mentor and an executive.")
    for person in (mentor, executive):
        if not person.user_id:
            raise InvalidInput(f"{person.name} has no user account yet; add one before pairing.")
        if person.user_id in current:
            raise InvalidInput(f"{person.name} already has a current pair.")
    if in_management_chain(mentor, executive, directory):
        raise InvalidInput(
            f"{mentor.name} and {executive.name} are on one reporting line, which the guidelines never allow."
        )
    created = coordinator.assistant.add_pair(
        mentor.user_id or "", executive.user_id or "", "", start_date=today
    )
    return {
        "id": created["id"],
        "mentor": mentor.name,
        "executive": executive.name,
        "start_date": today.isoformat(),
        "warnings": guideline_warnings(mentor, executive),
    }
