"""Shared fixtures: real SQLite, real embedded Chroma and the real local embedder, in temp folders.

Modules marked ``pytest.mark.engines`` run on both engines: "embedded" (SQLite and Chroma in
the data folder) and "servers" (PostgreSQL and a ``chroma run`` server, started once a
session when the first such test runs). ``pytest.mark.engines("embedded")`` on a test keeps it
on one engine; say why next to it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
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
from assistant.chat import Chat
from assistant.cli.app import main
from assistant.core import Assistant
from assistant.demo import load_demo
from assistant.guide import SAVED_VECTORS, Guide
from assistant.index import MIRRORED
from assistant.settings import Settings, get_settings
from assistant.store import engine_for
from tests.engines import KNOWLEDGE, Servers, Template, close_server_connections, free_port, session_servers

ENGINES = ("embedded", "servers")
# Starlette's TestClient names the host "testserver": the apps under test answer to it too.
os.environ.setdefault("ASSISTANT_ALLOWED_HOSTS", '["localhost", "127.0.0.1", "testserver"]')


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "engines(*names): run on these engines (default: every one of ENGINES)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the tests of modules marked ``engines`` once per engine, where they use one."""
    marker = metafunc.definition.get_closest_marker("engines")
    if marker is not None and "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", marker.args or ENGINES, indirect=True, scope="module")


@pytest.fixture(scope="module")
def engine(request: pytest.FixtureRequest) -> str:
    """The engines the test's store and index run on: "embedded" unless its module asks for more."""
    return str(getattr(request, "param", "embedded"))


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """One PostgreSQL cluster and one Chroma server for the session (started on first use)."""
    with session_servers(tmp_path_factory.mktemp("servers")) as started:
        yield started


@pytest.fixture(autouse=True)
def _server_connections_closed() -> Iterator[None]:
    """No test leaves pooled PostgreSQL connections behind (a no-op without servers)."""
    yield
    close_server_connections()


@pytest.fixture
def settings(tmp_path: Path, engine: str, request: pytest.FixtureRequest) -> Iterator[Settings]:
    """Settings with a fresh data folder (on the servers: a fresh database and collections)."""
    home = tmp_path / "home"
    if engine == "embedded":
        yield Settings(home=home, knowledge_dir=KNOWLEDGE)
        return
    servers: Servers = request.getfixturevalue("servers")
    url = servers.copy()
    yield servers.settings(home, url)
    servers.discard(url)


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


def warmed(assistant: Assistant) -> Assistant:
    """The assistant, once its data folder holds what a first run saves there for the next.

    A guide embeds the catalog's topics, the challenges' phrasings, the out-of-scope phrases
    and the chat's example messages (``Guide.embed_saved``), and the index copies the guidelines into memory
    (``VectorIndex.mirror``); both are saved in the data folder and read by every later run.
    A template does this once, so no copy of it does it again.
    """
    guide = Guide(assistant, model=None)
    saved = (guide.topic_vectors, guide.phrase_vectors, guide.scope_vectors[0])  # each embeds and saves
    assert all(len(vectors) for vectors in saved)
    Chat(guide).understander.warm()  # the dialogue's example messages
    assert all(len(assistant.index.mirror(name).ids) for name in MIRRORED)
    return assistant


def knowledge_vectors(template: Path, home: Path) -> Path:
    """``home``, holding the knowledge vectors saved in the ``template`` data folder.

    A store on the servers gets a generation of collections of its own, so the saved copies of
    the guidelines, which name a generation, would not be read: only these are copied.
    """
    shutil.copytree(template / SAVED_VECTORS, home / SAVED_VECTORS)
    return home


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
    return frozen(warmed(built))


@pytest.fixture(scope="session")
def demo_template(guidelines_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the demo program loaded, built once a session (copy, don't open)."""
    built = Assistant(copy_home(guidelines_template, tmp_path_factory.mktemp("template") / "demo"))
    load_demo(built)
    return frozen(warmed(built))


@pytest.fixture(scope="session")
def server_guidelines_template(
    servers: Servers, guidelines_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Template:
    """The default guidelines on the servers, once a session (copied, never opened).

    Its rows and vectors come from the embedded template: the guidelines are embedded once a
    session, whatever the engines. The demo program is then loaded on the servers for real.
    """
    source = copy_home(guidelines_template, tmp_path_factory.mktemp("template") / "export")
    return servers.freeze(servers.load(source))


@pytest.fixture(scope="session")
def server_demo_template(
    servers: Servers, server_guidelines_template: Template, tmp_path_factory: pytest.TempPathFactory
) -> Template:
    """The demo program loaded on the servers, once a session (copied, never opened)."""
    url = servers.copy(server_guidelines_template)
    load_demo(Assistant(servers.settings(tmp_path_factory.mktemp("template") / "home", url)))
    return servers.freeze(url)


Copier = Callable[[str], Assistant]


def copier(request: pytest.FixtureRequest, engine: str, kind: str, keep: bool = False) -> Copier:
    """``copy("name")``: an assistant over a writable copy of the ``kind`` template on ``engine``.

    ``kind`` is "demo", "guidelines" or "empty". Copies on the servers are dropped when the
    requesting fixture ends, unless ``keep``.
    """
    folders: pytest.TempPathFactory = request.getfixturevalue("tmp_path_factory")
    if engine == "embedded":
        if kind == "empty":
            return lambda name: Assistant(Settings(home=folders.mktemp(name), knowledge_dir=KNOWLEDGE))
        template: Path = request.getfixturevalue(f"{kind}_template")
        return lambda name: Assistant(copy_home(template, folders.mktemp(name) / "home"))
    servers: Servers = request.getfixturevalue("servers")
    source = None if kind == "empty" else request.getfixturevalue(f"server_{kind}_template")
    vectors: Path | None = None if kind == "empty" else request.getfixturevalue("guidelines_template")

    def copy(name: str) -> Assistant:
        url = servers.copy(source)
        if not keep:
            request.addfinalizer(lambda: servers.discard(url))
        home = folders.mktemp(name) / "home"
        if vectors is not None:  # the data folder of a store on the servers keeps these alone
            knowledge_vectors(vectors, home)
        return Assistant(servers.settings(home, url))

    return copy


@pytest.fixture(scope="module")
def demo_copy(request: pytest.FixtureRequest, engine: str) -> Copier:
    """``demo_copy("name")``: an assistant over a writable copy of the demo program of its own."""
    return copier(request, engine, "demo")


@pytest.fixture(scope="module")
def guidelines_copy(request: pytest.FixtureRequest, engine: str) -> Copier:
    """``guidelines_copy("name")``: an assistant over a writable copy of the default guidelines."""
    return copier(request, engine, "guidelines")


@pytest.fixture(scope="module")
def empty_copy(request: pytest.FixtureRequest, engine: str) -> Copier:
    """``empty_copy("name")``: an assistant over an empty store and index of its own."""
    return copier(request, engine, "empty")


@pytest.fixture(scope="session")
def shared_demos() -> dict[str, Assistant]:
    """The read-only demo assistant of each engine, made on first use."""
    return {}


def shared_demo(request: pytest.FixtureRequest, engine: str) -> Assistant:
    """The session's read-only demo assistant on ``engine``."""
    demos: dict[str, Assistant] = request.getfixturevalue("shared_demos")
    if engine not in demos:
        demos[engine] = copier(request, engine, "demo", keep=True)("demo")
    return demos[engine]


@pytest.fixture(scope="module")
def demo(request: pytest.FixtureRequest, engine: str) -> Assistant:
    """A read-only assistant over the demo program (tests must not write to it)."""
    return shared_demo(request, engine)


@pytest.fixture
def guidelines_home(settings: Settings, engine: str, request: pytest.FixtureRequest) -> Path:
    """The test's data folder (``settings.home``), starting with the default guidelines embedded."""
    if engine == "embedded":
        return copy_home(request.getfixturevalue("guidelines_template"), settings.home).home
    servers: Servers = request.getfixturevalue("servers")
    servers.refill(settings.sqlalchemy_url, request.getfixturevalue("server_guidelines_template"))
    return knowledge_vectors(request.getfixturevalue("guidelines_template"), settings.home)


@pytest.fixture
def guidelines(settings: Settings, guidelines_home: Path) -> Assistant:
    """An assistant with the default guidelines indexed and nothing else, in the test's folder."""
    return Assistant(settings)


CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[CliRun]:
    """Run ``python -m assistant ARGS`` in-process against the test's data folder (and servers)."""
    monkeypatch.setenv("ASSISTANT_HOME", str(settings.home))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", settings.database_url or "")
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", settings.chroma_url or "")
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


def run_async(coroutine: Any) -> Any:
    """Run a coroutine on an event loop of its own thread: the session's Playwright browser (sync
    API) keeps a loop running in the main thread, where ``asyncio.run`` refuses to start another."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def auth(user: str) -> dict[str, str]:
    """Headers that sign a request in as a demo user (``demo-<user>`` is each demo user's token)."""
    return {"Authorization": f"Bearer demo-{user}"}


@contextmanager
def serving(assistant: Assistant, model: Any = None) -> Iterator[str]:
    """The API on a real loopback port, for clients that need real HTTP (offline unless given a model)."""
    port = free_port()
    app = create_app(assistant, Guide(assistant, model=model))
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


# The web page tests drive Debian's Chromium through Playwright (never `playwright install`).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every page test of the session."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


PAGE_TIMEOUT_MS = 60_000  # generous: CI machines are slow and share their cores


@pytest.fixture(scope="module")
def base_url(assistant: Assistant) -> Iterator[str]:
    """The test module's ``assistant`` served on a real loopback port, for page tests."""
    with serving(assistant) as url:
        yield url


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh browser context (no cookies) at desktop size."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Any, token: str, start: str = "/") -> None:
    """Sign in through the form from ``start`` and wait until the page it lands on has loaded.

    The URL changes before the page's deferred scripts run, and a key pressed before they do is lost.
    """
    from playwright.sync_api import expect

    page.goto(start)
    page.get_by_label("Access token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/signin"))
    page.wait_for_load_state("load")
