"""Shared fixtures: real SQLite, real embedded Chroma and the real local embedder, in temp folders."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from api.app import create_app
from assistant.cli.app import main
from assistant.core import Assistant
from assistant.demo import load_demo
from assistant.guide import Guide
from assistant.settings import REPO_ROOT, Settings, get_settings
from tests.engines import free_port

KNOWLEDGE = REPO_ROOT / "knowledge"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh data folder."""
    return Settings(home=tmp_path / "home", knowledge_dir=KNOWLEDGE)


@pytest.fixture
def assistant(settings: Settings) -> Assistant:
    """An assistant with an empty store and index."""
    return Assistant(settings)


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the default guidelines and the demo program loaded once."""
    home = tmp_path_factory.mktemp("demo-home")
    load_demo(Assistant(Settings(home=home, knowledge_dir=KNOWLEDGE)))
    return home


@pytest.fixture(scope="session")
def demo(demo_home: Path) -> Assistant:
    """A read-only assistant over the demo program (tests must not write to it)."""
    return Assistant(Settings(home=demo_home, knowledge_dir=KNOWLEDGE))


CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[CliRun]:
    """Run ``python -m assistant ARGS`` in-process against the test's data folder."""
    monkeypatch.setenv("ASSISTANT_HOME", str(settings.home))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    get_settings.cache_clear()

    def run(*args: Any) -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["assistant", *map(str, args)])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    get_settings.cache_clear()


@contextmanager
def serving(assistant: Assistant) -> Iterator[str]:
    """The API (offline mode) on a real loopback port, for clients that need real HTTP."""
    port = free_port()
    app = create_app(assistant, Guide(assistant, model=None))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
