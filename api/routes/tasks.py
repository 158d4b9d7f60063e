"""The five guidance tasks."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CurrentUser, GuideDep
from api.schemas import AgendaRequest, AskRequest, BriefRequest, CoachRequest, TopicsRequest
from assistant.tasks.schemas import Agenda, Answer, Brief, CoachResult, TopicsResult

router = APIRouter(prefix="/v1", tags=["guidance"])


@router.post("/ask")
def ask(body: AskRequest, user: CurrentUser, guide: GuideDep) -> Answer:
    """Answer a program question from the guidelines, with citations, or abstain."""
    return guide.ask(body.question, user["id"])


@router.post("/topics")
def topics(body: TopicsRequest, user: CurrentUser, guide: GuideDep) -> TopicsResult:
    """Suggest discussion topics for one of the caller's pairs."""
    return guide.topics(body.pair_id, user["id"], body.focus, body.count)


@router.post("/coach")
def coach(body: CoachRequest, user: CurrentUser, guide: GuideDep) -> CoachResult:
    """Coach on a challenge, using the pair's notes when a pair is given."""
    return guide.coach(body.text, body.pair_id, user["id"])


@router.post("/agenda")
def agenda(body: AgendaRequest, user: CurrentUser, guide: GuideDep) -> Agenda:
    """Draft a time-boxed agenda for a pair's next session."""
    return guide.agenda(body.pair_id, user["id"], body.minutes, body.focus)


@router.post("/brief")
def brief(body: BriefRequest, user: CurrentUser, guide: GuideDep) -> Brief:
    """Write the executive's prep brief for a pair's next session."""
    return guide.brief(body.pair_id, user["id"])
