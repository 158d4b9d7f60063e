"""End to end over real HTTP: a llama.cpp OpenAI-compatible server hosting a tiny Gemma 3 model.

The model is a 270M-parameter model and often writes unusable content; the point is that the
request goes out with the task's JSON schema, the server enforces it (llama.cpp turns the
schema of a forced tool call into a grammar), the answer is schema-valid, and a call past its
timeout is cancelled. Every task's recorded answers, doctor's report and a format the server
refuses are replayed in tests/test_llm_replay.py (recorded from this same server).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from langchain_core.callbacks import BaseCallbackHandler

from assistant import aio
from assistant.core import Assistant
from assistant.guide import Guide
from assistant.providers import get_chat_model
from assistant.tasks import chain
from tests.conftest import CliRun
from tests.llama import llama_server, llama_settings


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with llama_server(tmp_path_factory) as url:
        yield url


class Recorder(BaseCallbackHandler):
    """Counts what LangChain saw of the model call."""

    def __init__(self) -> None:
        self.started = self.ended = self.errors = 0
        self.tokens: list[str] = []

    def on_chat_model_start(self, *args: Any, **kwargs: Any) -> None:
        self.started += 1

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.tokens.append(token)

    def on_llm_end(self, *args: Any, **kwargs: Any) -> None:
        self.ended += 1

    def on_llm_error(self, *args: Any, **kwargs: Any) -> None:
        self.errors += 1


def served(demo: Assistant, url: str, **extra: Any) -> tuple[Guide, Recorder]:
    settings = llama_settings(demo, url, **extra)
    model = get_chat_model(settings)
    assert model is not None
    recorder = Recorder()
    model.callbacks = [recorder]
    return Guide(Assistant(settings), model=model), recorder


def test_enforced_schema_gives_schema_valid_output(
    demo: Assistant, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers: list[tuple[dict[str, Any], chain.Structured]] = []
    real = chain.astructured

    async def recorded(model: Any, method: Any, task: str, variables: Any, schema: dict[str, Any]) -> Any:
        assert method == "function_calling", "llama.cpp gets the schema as a forced tool call"
        out = await real(model, method, task, variables, schema)
        answers.append((schema, out))
        return out

    monkeypatch.setattr(chain, "astructured", recorded)
    guide, recorder = served(demo, server)
    answer = guide.ask("How often should pairs meet?")
    assert recorder.started == 1 and recorder.errors == 0
    assert len(answers) == 1, "the answer was schema-valid JSON"
    schema, out = answers[0]
    jsonschema.validate(out.data, schema)  # the server enforced the schema
    assert out.usage["output_tokens"] > 0 and out.usage["input_tokens"] > 0, "real token usage"
    assert answer.mode == "llm" or (answer.fallback_reason and "malformed" not in answer.fallback_reason), (
        "a fallback is about the content, never the shape"
    )


def test_slow_server_times_out_to_offline(demo: Assistant, server: str) -> None:
    # The last test on the server: the server still works through the abandoned request, and no
    # test should have to wait behind it.
    guide, recorder = served(demo, server, llm_timeout=0.5)
    answer = guide.ask("How often should pairs meet?")
    assert answer.mode == "offline" and "did not answer within" in (answer.fallback_reason or "")
    assert recorder.started == 1 and recorder.ended == 0
    assert running_calls() == 0, "the call was cancelled, not left running"


def running_calls() -> int:
    """Coroutines still running on the model calls' loop (besides this count)."""

    async def count() -> int:
        return len(asyncio.all_tasks()) - 1

    return asyncio.run_coroutine_threadsafe(count(), aio.loop()).result(timeout=5)


def test_offline_when_nothing_is_configured(cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "ASSISTANT_LLM_API_KEY", "ASSISTANT_LLM_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    code, out, _ = cli("doctor", "--json")
    assert code == 0 and json.loads(out)["provider"] == "offline"
    assert Path(json.loads(out)["home"]).name == "home"
