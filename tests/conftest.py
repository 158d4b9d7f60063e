"""Shared fixtures: real SQLite, real embedded Chroma and the real local embedder, in temp folders."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.cli.app import main
from assistant.core import Assistant
from assistant.demo import load_demo
from assistant.settings import REPO_ROOT, Settings, get_settings

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
