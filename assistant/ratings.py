"""Self-ratings against the program's objectives at the start and end of a cycle.

A cycle is a pair (rotation makes new pairs for the next one). Each member rates themselves
1-5 on the objectives whose learner is their role (``knowledge/objectives.yaml``): executives
on what they learn from their mentor, mentors on what they learn from their executive. Rating
yourself on what the program does not set out to teach you would measure nothing it can change.

Once per person, pair and phase: giving the ratings again replaces them. The start ratings are
open until the cycle's midpoint, the end ratings from its last month on. They are private to their
author; coordinators get ``objectives_change``: per objective, the mean start and end rating,
each side only when at least ``min_group_size`` different people gave it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from assistant.errors import InvalidInput
from assistant.knowledge import Objective
from assistant.program import CYCLE_MONTHS, add_months
from assistant.pulse import check_score
from assistant.store import Pair, SelfRating

Phase = Literal["start", "end"]
PHASES: tuple[str, ...] = get_args(Phase)
SUPPRESSED = "Fewer than {n} people rated it: too few to report."


def objectives_for(role: str, objectives: Iterable[Objective]) -> list[Objective]:
    """The objectives a member of this role rates themselves on (those they are the learner of)."""
    return [o for o in objectives if o.learner == role]


def window(pair: Pair, phase: str) -> tuple[dt.date | None, dt.date | None]:
    """When a phase's ratings can be given: (first day or None, last day or None)."""
    if phase == "start":
        return None, add_months(pair.start_date, CYCLE_MONTHS // 2)
    return add_months(pair.start_date, CYCLE_MONTHS - 1), None


def open_phase(pair: Pair, today: dt.date) -> str | None:
    """The phase that can be rated today, if any."""
    for phase in PHASES:
        first, last = window(pair, phase)
        if (first is None or first <= today) and (last is None or today <= last):
            return phase
    return None


def _check_phase(pair: Pair, phase: str, today: dt.date) -> None:
    if phase not in PHASES:
        raise InvalidInput(f"{phase!r} is not a phase; use start or end.")
    first, last = window(pair, phase)
    if last is not None and today > last:
        raise InvalidInput(
            f"The start ratings of pair {pair.id} closed on {last.isoformat()}, halfway through its cycle."
        )
    if first is not None and today < first:
        raise InvalidInput(
            f"The end ratings of pair {pair.id} open on {first.isoformat()}, a month before its cycle ends."
        )


def rate(
    session: Session,
    pair: Pair,
    user_id: str,
    role: str,
    phase: str,
    ratings: Mapping[str, int],
    objectives: Iterable[Objective],
    today: dt.date,
) -> list[SelfRating]:
    """Record (or replace) a member's ratings for one phase: every objective of theirs, 1-5 each.

    Raises:
        InvalidInput: Unknown phase or one not open today, an objective that is not theirs, one
            missing, or a rating outside 1-5. Nothing is written then.
    """
    _check_phase(pair, phase, today)
    mine = objectives_for(role, objectives)
    ids = [o.id for o in mine]
    for objective_id, value in ratings.items():
        if objective_id not in ids:
            raise InvalidInput(
                f"{objective_id!r} is not one of your objectives; yours are: {', '.join(ids)}."
            )
        check_score(value, f"The rating of {objective_id}")
    missing = [i for i in ids if i not in ratings]
    if missing:
        raise InvalidInput(f"Rate every one of your objectives; missing: {', '.join(missing)}.")
    session.execute(
        delete(SelfRating).where(
            SelfRating.pair_id == pair.id, SelfRating.user_id == user_id, SelfRating.phase == phase
        )
    )
    rows = [
        SelfRating(pair_id=pair.id, user_id=user_id, phase=phase, objective_id=i, rating=ratings[i])
        for i in ids
    ]
    session.add_all(rows)
    session.flush()
    return rows


def own(session: Session, pair_id: str, user_id: str) -> dict[str, dict[str, int]]:
    """The user's own ratings in a pair: phase -> objective id -> rating."""
    query = select(SelfRating).where(SelfRating.pair_id == pair_id, SelfRating.user_id == user_id)
    mine: dict[str, dict[str, int]] = {}
    for row in session.scalars(query):
        mine.setdefault(row.phase, {})[row.objective_id] = row.rating
    return mine


class RatingSide(BaseModel):
    """The mean rating of one phase: over enough people, or suppressed."""

    reported: bool
    mean: float | None = Field(default=None, description="Mean self-rating (1-5); omitted when suppressed.")
    people: int | None = Field(default=None, description="People who rated; omitted when suppressed.")
    note: str | None = None


class ObjectiveChange(BaseModel):
    """One objective's mean self-rating at the start and at the end of the cycle."""

    id: str
    title: str
    learner: str
    start: RatingSide
    end: RatingSide
    change: float | None = Field(default=None, description="End minus start, when both sides are reported.")


class ObjectivesChange(BaseModel):
    """Self-ratings against the objectives, start vs end, for coordinators: never one person's."""

    min_group_size: int
    objectives: list[ObjectiveChange]


def _side(values: dict[str, int], min_group_size: int) -> RatingSide:
    if len(values) < min_group_size:
        return RatingSide(reported=False, note=SUPPRESSED.format(n=min_group_size))
    mean = sum(values.values()) / len(values)
    return RatingSide(reported=True, mean=round(mean, 2), people=len(values))


def objectives_change(
    session: Session,
    objectives: Iterable[Objective],
    min_group_size: int,
    *,
    pair_ids: Collection[str] | None = None,
) -> ObjectivesChange:
    """Per objective, the mean start and end self-rating, each side over at least ``min_group_size`` people.

    A person rated in several pairs counts once per phase (their ratings averaged), so the
    minimum is about people, never about rows.

    Args:
        session: An open store session.
        objectives: The program's objectives.
        min_group_size: Fewest different people a side's mean may describe.
        pair_ids: Only these pairs (default: every pair), e.g. one cycle's.
    """
    query = select(SelfRating.objective_id, SelfRating.phase, SelfRating.user_id, SelfRating.rating)
    if pair_ids is not None:
        query = query.where(SelfRating.pair_id.in_(list(pair_ids)))
    given: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for objective_id, phase, user_id, rating in session.execute(query):
        given[(objective_id, phase, user_id)].append(rating)
    per_person: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for (objective_id, phase, user_id), values in given.items():
        per_person[(objective_id, phase)][user_id] = sum(values) / len(values)
    rows = []
    for o in objectives:
        start = _side(per_person[(o.id, "start")], min_group_size)
        end = _side(per_person[(o.id, "end")], min_group_size)
        change = round(end.mean - start.mean, 2) if end.mean is not None and start.mean is not None else None
        rows.append(
            ObjectiveChange(id=o.id, title=o.title, learner=o.learner, start=start, end=end, change=change)
        )
    return ObjectivesChange(min_group_size=min_group_size, objectives=rows)
