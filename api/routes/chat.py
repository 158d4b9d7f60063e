"""Conversational chat, as JSON or as server-sent events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, StreamingResponse

from api.deps import ChatDep, CurrentUser, SlotsDep
from api.schemas import ChatRequest, Id

router = APIRouter(prefix="/v1", tags=["chat"])


def sse(events: Iterator[tuple[str, Any]]) -> Iterator[str]:
    """Format (event, data) pairs as server-sent events."""
    for event, data in events:
        yield f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/chat", response_model=None)
async def chat(
    body: ChatRequest, user: CurrentUser, chat: ChatDep, slots: SlotsDep
) -> JSONResponse | StreamingResponse:
    """Send a message; the answer is routed to the right task. ``stream: true`` answers as SSE."""
    if body.stream:
        events = await slots.run(chat.stream, user["id"], body.message, body.conversation_id, body.pair_id)
        return StreamingResponse(sse(events), media_type="text/event-stream")
    reply = await slots.run(chat.reply, user["id"], body.message, body.conversation_id, body.pair_id)
    return JSONResponse(reply.as_dict())  # plain JSON data already: not walked by jsonable_encoder


@router.get("/conversations")
def conversations(user: CurrentUser, chat: ChatDep) -> list[dict[str, Any]]:
    """Your conversations, newest first."""
    return chat.conversations(user["id"])


@router.get("/conversations/{conversation_id}")
def conversation(conversation_id: Id, user: CurrentUser, chat: ChatDep) -> dict[str, Any]:
    """One of your conversations with its turns."""
    turns = chat.history(conversation_id, user["id"])
    return {"id": conversation_id, "messages": [{"role": r, "content": c} for r, c in turns]}
