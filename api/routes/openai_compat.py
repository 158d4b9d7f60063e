"""An OpenAI-compatible chat completions endpoint, so OpenAI clients and chat front ends work."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse

from api.deps import ChatDep, CurrentUser, SlotsDep
from api.schemas import ChatMessage, CompletionRequest
from api.streaming import turn_events
from assistant.chat import Reply
from assistant.errors import InvalidInput

router = APIRouter(prefix="/v1", tags=["openai-compatible"])
MODEL = "mentor-assistant"


def _text(message: ChatMessage) -> str:
    if isinstance(message.content, list):
        return " ".join(part.text for part in message.content if part.type == "text" and part.text)
    return message.content or ""


def _usage(reply: Reply) -> dict[str, int]:
    """The model's token usage for the turn (zero when it was answered offline)."""
    used = reply.usage if reply.mode == "llm" else {}
    prompt, completion = int(used.get("input_tokens", 0)), int(used.get("output_tokens", 0))
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _chunk(
    cid: str,
    created: int,
    delta: dict[str, str],
    finish: str | None = None,
    usage: dict[str, int] | None = None,
) -> str:
    body: dict[str, Any] = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    if usage is not None:
        body["usage"] = usage
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
    if not body.stream:
        reply = await slots.run(chat.answer, user["id"], message, history, x_pair_id)
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
            "usage": _usage(reply),
        }
    await slots.run(chat.check, user["id"], message, None, x_pair_id)  # 4xx before anything streams
    events = turn_events(slots, chat.answer, user["id"], message, history, x_pair_id)

    async def generate() -> AsyncIterator[str]:
        yield _chunk(cid, created, {"role": "assistant", "content": ""})
        streamed = False
        async for kind, data in events:
            if kind == "token":
                streamed = True
                yield _chunk(cid, created, {"content": data})
            elif kind == "reply":
                reply: Reply = data
                if not streamed or reply.fallback_reason:  # answered offline: its text, by section
                    sections = reply.message.split("\n\n")
                    for n, section in enumerate(sections):
                        tail = "\n\n" if n < len(sections) - 1 else ""
                        yield _chunk(cid, created, {"content": section + tail})
                yield _chunk(cid, created, {}, "stop", _usage(reply))
            elif kind == "error":
                yield _chunk(cid, created, {"content": data["detail"]}, "stop")
        yield "data: [DONE]\n\n"

    return StreamingResponse(generate(), media_type="text/event-stream")
