"""Model calls through the API: the slots cover streamed chat, a queued request has all its time once it
starts, no thread is started per stream, and /v1/chat/completions reports the model's token usage.

A model answer that is not used is logged with model, reason and latency, never with note text.
The model is LangChain's fake chat model (tests/fakes.py), taking a moment per call like a real one.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from fastapi.testclient import TestClient
from langchain_core.messages import AIMessage
from pydantic import Field

from api.app import create_app
from api.slots import Slots
from assistant.chat import Chat
from assistant.core import Assistant
from assistant.guide import Guide
from tests.conftest import Copier, run_async
from tests.fakes import ToolFake, asks, call

PROSE = "Pairs in this program meet twice a month, for about an hour."
PRIYA = {"Authorization": "Bearer demo-priya"}


PRODUCT = tuple(str(Path(__file__).parents[1] / part) + os.sep for part in ("api", "assistant"))


def threads_in_the_product() -> int:
    """Other threads that are somewhere inside the product's code (a turn waiting in a thread would be)."""
    here = threading.get_ident()
    count = 0
    for ident, frame in sys._current_frames().items():
        stack = frame
        while ident != here and stack is not None:
            if stack.f_code.co_filename.startswith(PRODUCT):
                count += 1
                break
            stack = stack.f_back
    return count


class Busy(ToolFake):
    """Takes ``delay`` seconds a call, counting how many calls run at once and the other threads
    inside the product's code meanwhile."""

    delay: float = 0.0
    running: int = 0
    peak: int = 0
    threads: list[int] = Field(default_factory=list)

    def _stream(self, *args: Any, **kwargs: Any) -> Any:
        self.running += 1  # one call at a time past the slots: no lock needed to see more than one
        self.peak = max(self.peak, self.running)
        self.threads.append(threads_in_the_product())
        try:
            time.sleep(self.delay)
            yield from super()._stream(*args, **kwargs)
        finally:
            self.running -= 1


@pytest.fixture(scope="module")
def assistant(demo_copy: Copier) -> Assistant:
    return demo_copy("model-calls")


def app_with(assistant: Assistant, model: ToolFake, slots: int, timeout: float = 30.0) -> Any:
    settings = assistant.settings.model_copy(update={"llm_timeout": timeout})
    app = create_app(assistant, Guide(Assistant(settings), model=model))
    app.state.slots = Slots(slots)
    return app


async def turns(app: Any, count: int, stream: bool, then_stream: bool = False) -> list[dict[str, Any]]:
    """``count`` chat turns sent at once (and, with ``then_stream``, ``count`` streamed ones after them)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as client:

        async def one(n: int, stream: bool) -> dict[str, Any]:
            body = {"message": f"how often should pairs meet? ({n})", "stream": stream}
            response = await client.post("/v1/chat", json=body, headers=PRIYA)
            assert response.status_code == 200
            if not stream:
                return dict(response.json())
            assert response.headers["content-type"].startswith("text/event-stream")
            last = response.text.strip().split("\n\n")[-1]
            assert last.startswith("event: done")
            return dict(json.loads(last.split("data: ", 1)[1]))

        replies = list(await asyncio.gather(*(one(n, stream) for n in range(count))))
        if then_stream:
            replies += await asyncio.gather(*(one(n, True) for n in range(count)))
        return replies


def test_a_queued_request_has_its_whole_timeout_once_it_starts(assistant: Assistant) -> None:
    # Three turns at once, one slot, 0.6 s a model call, a 1 s timeout: the third waits 1.2 s for
    # its slot. Counting the wait against the model's time would answer it offline.
    model = Busy(messages=iter([AIMessage(content=PROSE)] * 3), delay=0.6)
    began = time.perf_counter()
    replies = run_async(turns(app_with(assistant, model, slots=1, timeout=1.0), 3, stream=False))
    assert time.perf_counter() - began >= 1.8, "the turns took their turns"
    assert [r["mode"] for r in replies] == ["llm"] * 3, [r.get("fallback_reason") for r in replies]
    assert model.peak == 1


def test_streamed_turns_wait_for_a_slot_and_start_no_thread_each(assistant: Assistant) -> None:
    # Four answered as JSON, then four streamed, at once each time, through one slot.
    model = Busy(messages=iter([AIMessage(content=PROSE)] * 8), delay=0.3)
    replies = run_async(turns(app_with(assistant, model, slots=1), 4, stream=False, then_stream=True))
    assert [r["mode"] for r in replies] == ["llm"] * 8
    assert model.peak == 1, "streamed turns ran outside the concurrency limit"
    # While one streamed turn runs, three wait for the slot on the event loop. Only the turn being
    # answered has a thread inside the product's code (waiting on this call), and turns just answered
    # may still be leaving it on their worker threads (seen in CI: 2, and 3 under load, at the first
    # streamed call); a thread per stream would show the three waiting turns there too (4).
    assert max(model.threads) < 4, model.threads


def test_chat_completions_report_the_models_token_usage(assistant: Assistant) -> None:
    used = {"input_tokens": 812, "output_tokens": 14, "total_tokens": 826}
    answer = AIMessage(content="You agreed to review the budget [S1].")
    model = ToolFake(
        messages=iter(
            [
                asks(call("search_notes", text="budget")).model_copy(update={"usage_metadata": used}),
                answer,
                asks(call("search_notes", 1, text="budget")).model_copy(update={"usage_metadata": used}),
                answer,
            ]
        )
    )
    http = TestClient(app_with(assistant, model, slots=4))
    client = openai.OpenAI(base_url="http://testserver/v1", api_key="demo-priya", http_client=http)
    question = [{"role": "user", "content": "what did we agree about the budget?"}]

    completion = client.chat.completions.create(model="mentor-assistant", messages=question)  # type: ignore[arg-type]
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (812, 14)
    assert completion.usage.total_tokens == 826

    stream = client.chat.completions.create(
        model="mentor-assistant",
        messages=question,  # type: ignore[arg-type]
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    usage = [c.usage for c in chunks if c.usage is not None]
    assert text.startswith("You agreed to review the budget")
    assert len(usage) == 1 and (usage[0].prompt_tokens, usage[0].completion_tokens) == (812, 14)

    # Answered offline (no model was used): nothing was spent.
    offline = TestClient(create_app(assistant, Guide(assistant, model=None)))
    body = {"model": "mentor-assistant", "messages": question}
    plain = offline.post("/v1/chat/completions", json=body, headers=PRIYA).json()
    assert plain["usage"] == {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}


def test_a_model_answer_not_used_is_logged_with_model_reason_and_latency_never_note_text(
    assistant: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    canary = "Canary 7731: the Lisbon reorganisation stays between us."
    assistant.add_note("priya-martin", "priya", "2026-03-09", canary)
    model = ToolFake(
        messages=iter(
            [
                asks(call("search_notes", text="Lisbon reorganisation")),
                AIMessage(content="As your note says [S9]."),
                AIMessage(content=f"Here are topics. {canary}"),
            ]
        )
    )
    caplog.set_level(logging.DEBUG)
    chat = Chat(Guide(assistant, model=model))
    reply = chat.answer("priya", "what did we say about the Lisbon reorganisation?", [])
    assert reply.mode == "offline" and "S9" in (reply.fallback_reason or "")
    assert canary in str(model.seen[-1][-1].content), "the model was given the note"
    topics = Guide(assistant, model=model).topics("priya-martin", as_user="priya", count=2)
    assert topics.mode == "offline"

    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("model answer not used")]
    assert len(lines) == 2, lines
    assert re.fullmatch(
        r".*task=chat model=ToolFake reason=the model cited S9, .* latency=\d+\.\d\ds", lines[0]
    )
    assert re.fullmatch(r".*task=topics model=ToolFake reason=.+ latency=\d+\.\d\ds", lines[1])
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "Canary 7731" not in logged and "Lisbon" not in logged
