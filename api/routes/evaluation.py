"""Pulse answers and self-ratings: members give and read back their own; coordinators get aggregates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import Field, StrictInt, StringConstraints

from api.deps import AssistantDep, CurrentUser, Staff
from api.schemas import Id, Strict
from assistant.errors import NotFound
from assistant.evaluation import Evaluation
from assistant.pulse import MAX_COMMENT, MAX_LEARNED, PulseTrend
from assistant.ratings import ObjectivesChange

router = APIRouter(prefix="/v1", tags=["evaluation"])
Score = Annotated[StrictInt, Field(ge=1, le=5)]


def get_evaluation(assistant: AssistantDep) -> Evaluation:
    """Pulse answers and self-ratings over the process-wide assistant."""
    return Evaluation(assistant)


EvaluationDep = Annotated[Evaluation, Depends(get_evaluation)]


class PulseIn(Strict):
    """Your quick answer after a held session."""

    usefulness: Score = Field(description="How useful the session was for you, 1 (not at all) to 5 (very).")
    learned: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LEARNED)]
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_COMMENT)] = ""


class RatingsIn(Strict):
    """Your self-ratings for one phase: every objective of yours, 1-5."""

    ratings: dict[Id, Score] = Field(max_length=50, description="Objective id to rating (1-5).")


@router.put("/sessions/{session_id}/pulse")
def answer_pulse(
    session_id: Id, body: PulseIn, user: CurrentUser, evaluation: EvaluationDep
) -> dict[str, Any]:
    """Answer the pulse of a held session of your pair; answering again replaces your answer.

    Private to you: your partner and the coordinators never see it, only means over enough people.
    """
    return evaluation.answer_pulse(session_id, user["id"], body.usefulness, body.learned, body.comment)


@router.get("/sessions/{session_id}/pulse")
def my_pulse(session_id: Id, user: CurrentUser, evaluation: EvaluationDep) -> dict[str, Any]:
    """Your own pulse answer for a session of your pair (404 when you have not answered)."""
    mine = evaluation.my_pulse(session_id, user["id"])
    if mine is None:
        raise NotFound(f"You have not answered the pulse of session {session_id!r} yet.")
    return mine


@router.get("/pairs/{pair_id}/ratings")
def rating_form(
    pair_id: Id, user: CurrentUser, evaluation: EvaluationDep, today: dt.date | None = None
) -> dict[str, Any]:
    """Your objectives, the phase open for rating (start or end of the cycle) and your own ratings."""
    return evaluation.rating_form(pair_id, user["id"], today)


@router.put("/pairs/{pair_id}/ratings/{phase}")
def rate(
    pair_id: Id,
    phase: Literal["start", "end"],
    body: RatingsIn,
    user: CurrentUser,
    evaluation: EvaluationDep,
) -> dict[str, Any]:
    """Rate yourself on each of your objectives at the start or end of the cycle (again: replaces them)."""
    return evaluation.rate(pair_id, user["id"], phase, body.ratings)


@router.get("/program/pulse")
def pulse_trend(
    _user: Staff,
    evaluation: EvaluationDep,
    today: dt.date | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> PulseTrend:
    """Mean usefulness per month; a month with fewer people than the minimum group size is suppressed."""
    return evaluation.pulse_trend(today, since=since, until=until)


@router.get("/program/objectives")
def objectives_change(_user: Staff, evaluation: EvaluationDep) -> ObjectivesChange:
    """Per objective, mean self-rating at the start and end of the cycle; small groups suppressed."""
    return evaluation.objectives_change()
