"""Answers recorded from the real llama.cpp server (tests/llama.py), replayed over HTTP.

The cassettes under tests/cassettes/test_llm_replay/ hold what the packaged Gemma 3 270M answered
when `make cassettes` last ran (vcrpy, through pytest-recording, at the HTTP layer: the OpenAI
client, LangChain's parsing of the forced tool call and its token usage all run as they did live).
Replaying, no server is started and no request leaves the process: a request the cassette does
not hold fails the test, so a changed request asks for the cassettes to be recorded again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import jsonschema
import pytest

from assistant.core import Assistant
from assistant.guide import Guide
from assistant.providers import get_chat_model
from assistant.tasks import chain
from tests.conftest import CliRun
from tests.llama import llama_server, llama_settings

# The server's address as the cassettes hold it (recorded from a free port, replayed from here).
RECORDED = "http://llama.cassette/v1"
LOCAL = re.compile(r"^http://127\.0\.0\.1:\d+/v1")


@pytest.fixture(scope="module")
def server(record_mode: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server while recording (`--record-mode=rewrite`); the recorded address otherwise."""
    if record_mode == "none":
        yield RECORDED
        return
    with llama_server(tmp_path_factory) as url:
        yield url


def recorded_address(request: Any) -> Any:
    """Record the server's requests under one address, whichever port it had."""
    request.uri = LOCAL.sub(RECORDED, request.uri)
    return request


@pytest.fixture
def vcr_config(server: str) -> dict[str, Any]:
    return {
        "filter_headers": ["authorization"],
        "before_record_request": recorded_address,
        # An unreachable server is really unreachable, recording or not (doctor's test).
        "ignore_hosts": ["localhost"],
    }


Played = Callable[[], bool]


@pytest.fixture
def played(vcr: Any, record_mode: str) -> Played:
    """Whether every recorded answer was replayed (always true while recording)."""
    return lambda: record_mode != "none" or bool(vcr.all_played)


def guide_for(demo: Assistant, server: str, **extra: Any) -> Guide:
    settings = llama_settings(demo, server, **extra)
    return Guide(Assistant(settings), model=get_chat_model(settings))


@pytest.mark.vcr
def test_enforced_schema_gives_schema_valid_output_for_every_task(
    demo: Assistant, server: str, monkeypatch: pytest.MonkeyPatch, played: Played
) -> None:
    answers: list[tuple[dict[str, Any], chain.Structured]] = []
    real = chain.astructured

    async def kept(model: Any, method: Any, task: str, variables: Any, schema: dict[str, Any]) -> Any:
        assert method == "function_calling", "llama.cpp gets the schema as a forced tool call"
        out = await real(model, method, task, variables, schema)
        answers.append((schema, out))
        return out

    monkeypatch.setattr(chain, "astructured", kept)
    guide = guide_for(demo, server)
    results = [
        guide.ask("How often should pairs meet?"),
        guide.topics("priya-martin", as_user="priya", count=2),
        guide.agenda("kai-helen", as_user="helen", minutes=30),
        guide.coach("he keeps cancelling our sessions"),
    ]
    assert len(answers) == 4, "every task's answer was schema-valid JSON"
    for schema, out in answers:
        jsonschema.validate(out.data, schema)  # 100 %: the server enforced the schema
        assert out.usage["output_tokens"] > 0 and out.usage["input_tokens"] > 0, "real token usage"
    for result in results:
        assert result.mode == "llm" or (
            result.fallback_reason and "malformed" not in result.fallback_reason
        ), "a fallback is about the content, never the shape"
        assert result.usage is not None and result.usage["model"] == "gemma"
        assert result.usage["input_tokens"] > 0, "what the model spent, used or not"
    assert played()


@pytest.mark.vcr
def test_a_format_the_server_refuses_falls_back_with_a_reason(
    demo: Assistant, server: str, played: Played
) -> None:
    # llama.cpp's Python server accepts only its own dialect of response formats (a 500 for OpenAI's).
    answer = guide_for(demo, server, llm_structured_output="json_schema").ask("How often should pairs meet?")
    assert answer.mode == "offline" and "model call failed" in (answer.fallback_reason or "")
    assert answer.citations and not answer.abstained
    assert played(), "the server's refusal was what answered"


@pytest.mark.vcr
def test_doctor_reports_the_provider_model_and_what_it_supports(
    cli: CliRun, server: str, monkeypatch: pytest.MonkeyPatch, played: Played
) -> None:
    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", server)
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "gemma")
    monkeypatch.setenv("ASSISTANT_LLM_MAX_TOKENS", "64")
    monkeypatch.setenv("ASSISTANT_LLM_MAX_RETRIES", "0")
    from assistant.settings import get_settings

    get_settings.cache_clear()
    code, out, err = cli("doctor", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["provider"] == "openai" and report["model"] == "gemma" and report["answers"] is True
    assert report["structured_output"] == "function_calling", "a forced tool call, for a compatible server"
    # Its profile does not say: doctor asked the model to call a tool, and it did not.
    assert report["tool_calling"] is False and report["error"] is None
    assert report["embedder"] and "guidelines" in report["index"]
    assert played(), "it answered a short request, then was asked to call a tool"

    monkeypatch.setenv("ASSISTANT_LLM_BASE_URL", "http://localhost:9/v1")
    get_settings.cache_clear()
    code, out, _ = cli("doctor", "--json")
    report = json.loads(out)
    assert code == 0 and report["answers"] is False and "Connection" in report["error"]
