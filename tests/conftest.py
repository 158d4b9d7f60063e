"""Shared fixtures: real SQLite, real embedded Chroma and the real local embedder, in temp folders."""

from __future__ import annotations

import shutil
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
from assistant.store import engine_for
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


def copy_home(template: Path, home: Path) -> Settings:
    """Settings over a copy of a data folder (the SQLite store and the embedded Chroma folder).

    Chroma keeps one client per folder in a process, so every copy gets a path of its own.
    """
    shutil.copytree(template, home)
    return Settings(home=home, knowledge_dir=KNOWLEDGE)


def frozen(assistant: Assistant) -> Path:
    """The assistant's data folder, once its store has written everything back into the file.

    Closing the pooled SQLite connections checkpoints the write-ahead log, so a copy of the
    folder is the store's whole state. The folder is only copied from now on, never opened.
    """
    engine_for(assistant.settings.sqlalchemy_url).dispose()
    return assistant.settings.home


@pytest.fixture(scope="session")
def guidelines_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the default guidelines embedded, built once a session (copy, don't open)."""
    home = tmp_path_factory.mktemp("template") / "guidelines"
    built = Assistant(Settings(home=home, knowledge_dir=KNOWLEDGE))
    built.ingest([built.default_guidelines])
    return frozen(built)


@pytest.fixture(scope="session")
def demo_template(guidelines_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the demo program loaded, built once a session (copy, don't open)."""
    built = Assistant(copy_home(guidelines_template, tmp_path_factory.mktemp("template") / "demo"))
    load_demo(built)
    return frozen(built)


Copier = Callable[[str], Assistant]


@pytest.fixture(scope="session")
def demo_copy(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Copier:
    """``demo_copy("name")``: an assistant over a writable copy of the demo program of its own."""
    return lambda name: Assistant(copy_home(demo_template, tmp_path_factory.mktemp(name) / "home"))


@pytest.fixture(scope="session")
def guidelines_copy(guidelines_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Copier:
    """``guidelines_copy("name")``: an assistant over a writable copy of the default guidelines."""
    return lambda name: Assistant(copy_home(guidelines_template, tmp_path_factory.mktemp(name) / "home"))


@pytest.fixture(scope="session")
def demo(demo_copy: Copier) -> Assistant:
    """A read-only assistant over the demo program (tests must not write to it)."""
    return demo_copy("demo")


@pytest.fixture
def guidelines_home(settings: Settings, guidelines_template: Path) -> Path:
    """The test's data folder (``settings.home``), starting with the default guidelines embedded."""
    return copy_home(guidelines_template, settings.home).home


@pytest.fixture
def guidelines(settings: Settings, guidelines_home: Path) -> Assistant:
    """An assistant with the default guidelines indexed and nothing else, in the test's folder."""
    return Assistant(settings)


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
