"""Sessions of a pair: planned, held, cancelled and moved."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from api.deps import AssistantDep, CurrentUser
from api.schemas import Id, SessionCreate, SessionMove
from assistant.schedule import Schedule

router = APIRouter(prefix="/v1", tags=["sessions"])


@router.get("/pairs/{pair_id}/sessions")
def list_sessions(pair_id: Id, user: CurrentUser, assistant: AssistantDep) -> list[dict[str, Any]]:
    """The pair's sessions, earliest first, with the ids of their notes you may read.

    Members and coordinators see them; coordinators get dates and statuses, never note text.
    """
    return Schedule(assistant).list(pair_id, user["id"])


@router.post("/pairs/{pair_id}/sessions", status_code=status.HTTP_201_CREATED)
def plan_session(
    pair_id: Id, body: SessionCreate, user: CurrentUser, assistant: AssistantDep
) -> dict[str, Any]:
    """Plan a session of your own pair: local start time, time zone (default: yours) and minutes."""
    return Schedule(assistant).plan(pair_id, user["id"], body.starts_at, body.time_zone, body.minutes)


@router.post("/sessions/{session_id}/held")
def hold_session(session_id: Id, user: CurrentUser, assistant: AssistantDep) -> dict[str, Any]:
    """Record that a planned session of your pair took place (on or after its day)."""
    return Schedule(assistant).held(session_id, user["id"])


@router.post("/sessions/{session_id}/cancel")
def cancel_session(session_id: Id, user: CurrentUser, assistant: AssistantDep) -> dict[str, Any]:
    """Call off a planned session of your pair; the record keeps that you did."""
    return Schedule(assistant).cancel(session_id, user["id"])


@router.post("/sessions/{session_id}/move", status_code=status.HTTP_201_CREATED)
def move_session(
    session_id: Id, body: SessionMove, user: CurrentUser, assistant: AssistantDep
) -> dict[str, Any]:
    """Move a planned session to another time; returns the new session (the old one is marked moved)."""
    return Schedule(assistant).move(session_id, user["id"], body.starts_at, body.time_zone, body.minutes)
