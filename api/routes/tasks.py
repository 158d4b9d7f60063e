"""The five guidance tasks."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter

from api.deps import CurrentUser, GuideDep, SlotsDep
from api.schemas import AgendaRequest, AskRequest, BriefRequest, CoachRequest, TopicsRequest
from assistant.tasks.schemas import Agenda, Answer, Brief, CoachResult, TopicsResult

router = APIRouter(prefix="/v1", tags=["guidance"])


@router.post("/ask")
async def ask(body: AskRequest, user: CurrentUser, guide: GuideDep, slots: SlotsDep) -> Answer:
    """Answer a program question from the guidelines, with citations, or abstain."""
    return await slots.run(guide.ask, body.question, user["id"], body.detail)


@router.post("/topics")
async def topics(body: TopicsRequest, user: CurrentUser, guide: GuideDep, slots: SlotsDep) -> TopicsResult:
    """Suggest discussion topics for one of the caller's pairs."""
    return await slots.run(guide.topics, body.pair_id, user["id"], body.focus, body.count)


@router.post("/coach")
async def coach(body: CoachRequest, user: CurrentUser, guide: GuideDep, slots: SlotsDep) -> CoachResult:
    """Coach on a challenge, using the pair's notes when a pair is given."""
    return await slots.run(guide.coach, body.text, body.pair_id, user["id"])


@router.post("/agenda")
async def agenda(body: AgendaRequest, user: CurrentUser, guide: GuideDep, slots: SlotsDep) -> Agenda:
    """Draft a time-boxed agenda for a pair's next session."""
    return await slots.run(
        partial(guide.agenda, private=body.private), body.pair_id, user["id"], body.minutes, body.focus
    )


@router.post("/brief")
async def brief(body: BriefRequest, user: CurrentUser, guide: GuideDep, slots: SlotsDep) -> Brief:
    """Write the executive's prep brief for a pair's next session."""
    return await slots.run(partial(guide.brief, private=body.private), body.pair_id, user["id"])
