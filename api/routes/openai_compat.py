"""An OpenAI-compatible chat completions endpoint, so OpenAI clients and chat front ends work."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse

from api.deps import ChatDep, CurrentUser, SlotsDep
from api.schemas import ChatMessage, CompletionRequest
from assistant.errors import InvalidInput

router = APIRouter(prefix="/v1", tags=["openai-compatible"])
MODEL = "mentor-assistant"


def _text(message: ChatMessage) -> str:
    if isinstance(message.content, list):
        return " ".join(part.text for part in message.content if part.type == "text" and part.text)
    return message.content or ""


def _chunk(cid: str, created: int, delta: dict[str, str], finish: str | None = None) -> str:
    body = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


@router.get("/models")
def models(_user: CurrentUser) -> dict[str, Any]:
    """The one model this server offers."""
    return {
        "object": "list",
        "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "mentor-assistant"}],
    }


@router.post("/chat/completions", response_model=None)
async def completions(
    body: CompletionRequest,
    user: CurrentUser,
    chat: ChatDep,
    slots: SlotsDep,
    x_pair_id: str | None = Header(
        default=None, max_length=64, description="Which of your pairs, if several."
    ),
) -> dict[str, Any] | StreamingResponse:
    """Answer the last user message, using the earlier messages as the conversation so far."""
    turns: list[tuple[str, str]] = [
        (m.role, _text(m)) for m in body.messages if m.role in ("user", "assistant")
    ]
    if not turns or turns[-1][0] != "user":
        raise InvalidInput("The last message must come from the user.")
    history, message = turns[:-1], turns[-1][1]
    cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
    reply = await slots.run(chat.answer, user["id"], message, history, x_pair_id)
    if not body.stream:
        return {
            "id": cid,
            "object": "chat.completion",
            "created": created,
            "model": MODEL,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.message},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        }

    def generate() -> Iterator[str]:
        yield _chunk(cid, created, {"role": "assistant", "content": ""})
        sections = reply.message.split("\n\n")
        for n, section in enumerate(sections):
            yield _chunk(cid, created, {"content": section + ("\n\n" if n < len(sections) - 1 else "")})
        yield _chunk(cid, created, {}, "stop")
        yield "data: [DONE]\n\n"

    return StreamingResponse(generate(), media_type="text/event-stream")
