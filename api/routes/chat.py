"""Conversational chat, as JSON or as server-sent events; your conversations, to read, rename or delete."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Response, status
from fastapi.responses import StreamingResponse
from pydantic_core import to_json

from api.deps import AssistantDep, ChatDep, CurrentUser, SlotsDep
from api.markdown import message_html
from api.schemas import ChatRequest, ConversationRename, Id
from api.streaming import turn_events
from assistant import conversations as stored
from assistant.chat import Chat

router = APIRouter(prefix="/v1", tags=["chat"])


def with_html(reply: dict[str, Any]) -> dict[str, Any]:
    """A reply with ``html``: its Markdown message as sanitised HTML, without the "Sources:" block."""
    return {**reply, "html": message_html("assistant", reply.get("message") or "")}


async def sse(events: AsyncIterator[tuple[str, Any]]) -> AsyncIterator[str]:
    """Format (event, data) pairs as server-sent events; the final reply gains its HTML."""
    async for event, data in events:
        if event == "reply":
            continue
        shown = with_html(data) if event == "done" else data
        yield f"event: {event}\ndata: {json.dumps(shown, ensure_ascii=False)}\n\n"


@router.post("/chat", response_model=None)
async def chat(body: ChatRequest, user: CurrentUser, chat: ChatDep, slots: SlotsDep) -> Response:
    """Send a message; the answer is routed to the right task. ``stream: true`` answers as SSE."""
    if body.stream:
        # Checks the request first (4xx), then the turn streams its own events.
        await slots.run(chat.check, user["id"], body.message, body.conversation_id, body.pair_id)
        events = turn_events(slots, chat.reply, user["id"], body.message, body.conversation_id, body.pair_id)
        return StreamingResponse(sse(events), media_type="text/event-stream")
    # Rendered and encoded in the worker too: Markdown to HTML and JSON are CPU work, which on the
    # event loop would hold up every other request's reading and writing meanwhile.
    reply = await slots.run(_answered, chat, user["id"], body.message, body.conversation_id, body.pair_id)
    return Response(reply, media_type="application/json")


def _answered(
    chat: Chat, user_id: str, message: str, conversation_id: str | None, pair_id: str | None
) -> bytes:
    """The turn's reply as the JSON ``JSONResponse`` would send, encoded by pydantic-core (5x faster)."""
    return to_json(with_html(chat.reply(user_id, message, conversation_id, pair_id).as_dict()))


@router.get("/conversations")
def conversations(user: CurrentUser, chat: ChatDep) -> list[dict[str, Any]]:
    """Your conversations, newest first."""
    return chat.conversations(user["id"])


@router.get("/conversations/{conversation_id}")
def conversation(conversation_id: Id, user: CurrentUser, assistant: AssistantDep) -> dict[str, Any]:
    """One of your conversations: each turn's text and HTML; an answer's task, mode and citations."""
    turns = stored.turns(assistant, conversation_id, user["id"])
    return {
        "id": conversation_id,
        "messages": [{**t, "html": message_html(t["role"], t["content"])} for t in turns],
    }


@router.patch("/conversations/{conversation_id}")
def rename_conversation(
    conversation_id: Id, body: ConversationRename, user: CurrentUser, assistant: AssistantDep
) -> dict[str, Any]:
    """Rename one of your conversations (1–200 characters once trimmed)."""
    return stored.rename(assistant, conversation_id, user["id"], body.title)


@router.delete(
    "/conversations/{conversation_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response
)
def delete_conversation(conversation_id: Id, user: CurrentUser, assistant: AssistantDep) -> None:
    """Delete one of your conversations with all its messages."""
    stored.delete(assistant, conversation_id, user["id"])
