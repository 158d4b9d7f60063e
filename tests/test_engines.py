"""Scale-out engines: the same program on a real PostgreSQL and a real ``chroma run`` server.

The conformance modules (store, access, ingest and search, leaks) run on these servers and on
the embedded default alike (``pytest.mark.engines``, tests/conftest.py). Here: the demo program
loaded on the servers gives the same users, notes, search results (inside the same access
rules) and answers as the embedded default, and two ``serve`` processes write and read
through the same servers.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from assistant.core import Assistant
from assistant.errors import InvalidInput
from assistant.guide import Guide
from assistant.settings import Settings
from tests.conftest import KNOWLEDGE, shared_demo
from tests.engines import Servers, Template, free_port, running

QUERIES = ["how often should we meet", "AI tools and prompts", "he cancelled again", "LinkedIn posting"]
VIEWERS = [None, "priya", "martin", "kai", "marisol", "jonas"]


@pytest.fixture(scope="module")
def scaled(request: pytest.FixtureRequest) -> Assistant:
    """The session's demo program on PostgreSQL and a Chroma server (read-only)."""
    return shared_demo(request, "servers")


@pytest.fixture
def database(servers: Servers) -> Iterator[str]:
    """A fresh, empty store on the session's PostgreSQL server."""
    url = servers.copy()
    yield url
    servers.discard(url)


def found(hits: list) -> list[tuple]:
    return [(h.kind, h.meta.get("note_id"), h.meta.get("source"), h.meta.get("section")) for h in hits]


def test_server_engines_hold_the_program_and_index_apart_from_the_data_folder(scaled: Assistant) -> None:
    assert scaled.settings.database_url and scaled.settings.database_url.startswith("postgresql")
    assert not (scaled.settings.home / "assistant.db").exists()
    assert not (scaled.settings.index_dir / "chroma.sqlite3").exists()
    assert scaled.index.count("notes") == len(scaled.index.collection("notes").get(include=[])["ids"]) > 0


def test_server_engines_give_the_same_program_and_results(scaled: Assistant, demo: Assistant) -> None:
    assert [(u["id"], u["role"]) for u in scaled.list_users()] == [
        (u["id"], u["role"]) for u in demo.list_users()
    ]
    assert scaled.list_pairs() == demo.list_pairs()
    generated = ("created_at", "updated_at", "session_id")  # each store names its own sessions
    for pair in demo.list_pairs():
        mine = [{k: v for k, v in n.items() if k not in generated} for n in scaled.list_notes(pair["id"])]
        theirs = [{k: v for k, v in n.items() if k not in generated} for n in demo.list_notes(pair["id"])]
        assert mine == theirs
    for viewer in VIEWERS:
        for query in QUERIES:
            assert found(scaled.search(query, k=8, as_user=viewer)) == found(
                demo.search(query, k=8, as_user=viewer)
            )
    ours, theirs = Guide(scaled, model=None), Guide(demo, model=None)
    assert ours.ask("how long is a cycle?").model_dump() == theirs.ask("how long is a cycle?").model_dump()
    assert (
        ours.brief("priya-martin", "martin").model_dump()
        == theirs.brief("priya-martin", "martin").model_dump()
    )


def test_the_access_rules_hold_on_the_chroma_server(scaled: Assistant) -> None:
    readable = {n["id"] for n in scaled.list_notes("priya-martin", as_user="priya")}
    assert readable
    for query in QUERIES:
        for hit in scaled.search(query, k=20, as_user="priya"):
            assert hit.kind == "guideline" or hit.meta["note_id"] in readable
        for hit in scaled.search(query, k=20, as_user="marisol"):
            assert hit.kind == "guideline" or hit.meta["visibility"] == "program"


def test_concurrent_writes_on_postgres_all_land(database: str, tmp_path: Path) -> None:
    assistant = Assistant(Settings(home=tmp_path, knowledge_dir=KNOWLEDGE, database_url=database))
    mentor = assistant.add_user("Mentor", "mentor")["id"]
    executive = assistant.add_user("Executive", "executive")["id"]
    pair = assistant.add_pair(mentor, executive)["id"]

    def write(n: int) -> str:
        author = mentor if n % 2 else executive
        return str(
            assistant.write_note(pair, author, "2026-03-01", f"Note number {n} about hybrid work.")["id"]
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(write, range(40)))
    assert len(set(ids)) == 40
    assert sorted(n["id"] for n in assistant.list_notes(pair)) == sorted(ids)
    assert len(assistant.index.ids_where("notes", pair_id=pair)) == 40


def test_invalid_writes_change_nothing_on_postgres(database: str, tmp_path: Path) -> None:
    assistant = Assistant(Settings(home=tmp_path, knowledge_dir=KNOWLEDGE, database_url=database))
    mentor = assistant.add_user("Mentor", "mentor")["id"]
    executive = assistant.add_user("Executive", "executive")["id"]
    stranger = assistant.add_user("Stranger", "mentor")["id"]
    pair = assistant.add_pair(mentor, executive)["id"]
    with pytest.raises(InvalidInput):
        assistant.add_note(pair, stranger, "2026-03-01", "Not my pair.")
    with pytest.raises(InvalidInput):
        assistant.add_note(pair, mentor, "2026-02-30", "A date that does not exist.")
    with pytest.raises(InvalidInput):
        assistant.add_pair(mentor, mentor)
    assert assistant.list_notes(pair) == []
    assert len(assistant.list_pairs()) == 1
    assert assistant.index.count("notes") == 0


# Two real processes on the same servers ---------------------------------------------------


def call(base: str, method: str, path: str, user: str, body: Any = None, key: str | None = None) -> Any:
    """One API request as a demo user; returns the parsed answer (None for an empty one)."""
    headers = {"Authorization": f"Bearer demo-{user}", "Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = response.read()
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{method} {path}: {exc.code} {exc.read()[:300]!r}") from None
    return json.loads(answer) if answer else None


def dense_hits(base: str, user: str, query: str, k: int = 5) -> list[dict[str, Any]]:
    """A search by meaning only: what the Chroma server holds, read by this process."""
    return list(call(base, "POST", "/v1/search", user, {"query": query, "k": k, "mode": "dense"}))


def within(seconds: float, check: Callable[[], bool], what: str) -> None:
    """Wait until ``check()`` holds, at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.1)


def serve(servers: Servers, database: str, home: Path, port: int) -> AbstractContextManager[Any]:
    """A ``serve`` process on the servers' store and index, with a data folder of its own."""
    env = {
        "ASSISTANT_HOME": str(home),
        "ASSISTANT_DATABASE_URL": database,
        "ASSISTANT_CHROMA_URL": servers.chroma,
        "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE),
        "ASSISTANT_LLM": "offline",
    }
    command = [sys.executable, "-m", "assistant", "serve", "--port", str(port)]
    home.mkdir(parents=True)
    return running(command, f"http://127.0.0.1:{port}/health", home / "serve.log", timeout=120, env=env)


@contextmanager
def together(*servers: AbstractContextManager[Any]) -> Iterator[None]:
    """Start servers at the same time (each loads its embedder and index); stop them all after."""
    with ExitStack() as stack:
        with ThreadPoolExecutor(len(servers)) as pool:
            started = [pool.submit(server.__enter__) for server in servers]
        for server, future in zip(servers, started):
            if future.exception() is None:
                stack.push(server.__exit__)
        for future in started:
            future.result()  # the first that failed to start, once the others are set to stop
        yield


def test_two_serve_processes_write_and_read_through_the_servers(
    servers: Servers, server_demo_template: Template, tmp_path: Path
) -> None:
    database = servers.copy(server_demo_template)
    ports = [free_port(), free_port()]
    writer, reader = (f"http://127.0.0.1:{port}" for port in ports)
    try:
        with together(*(serve(servers, database, tmp_path / name, port) for name, port in zip("ab", ports))):
            text = "We rehearsed the okapi-themed keynote for the depot managers."
            body = {"date": "2026-11-20", "text": text, "visibility": "pair"}
            note = call(writer, "POST", "/v1/pairs/priya-martin/notes", "priya", body, key="keynote-1")
            again = call(writer, "POST", "/v1/pairs/priya-martin/notes", "priya", body, key="keynote-1")
            elsewhere = call(reader, "POST", "/v1/pairs/priya-martin/notes", "priya", body, key="keynote-1")
            assert again["id"] == elsewhere["id"] == note["id"], "one key, one note, whichever process"
            listed = call(reader, "GET", "/v1/pairs/priya-martin/notes", "martin")
            assert [n["id"] for n in listed if "okapi" in n["text"]] == [note["id"]]

            def found(base: str, query: str, note_id: str) -> bool:
                return any(h["note_id"] == note_id for h in dense_hits(base, "martin", query))

            query = f"Session note 2026-11-20\n{text}"  # what the note's chunk was embedded as
            within(1.5, lambda: found(reader, query, note["id"]), "the other process finds a new note")

            edited_text = "We rehearsed the narwhal-themed keynote for the depot managers."
            edited = call(reader, "PATCH", f"/v1/notes/{note['id']}", "priya", {"text": edited_text})
            assert edited["text"] == edited_text
            query = f"Session note 2026-11-20\n{edited_text}"
            within(1.5, lambda: found(writer, query, note["id"]), "the other process finds an edit")
            old = dense_hits(writer, "martin", "okapi-themed keynote", k=20)
            assert not any("okapi" in h["text"] for h in old), "the edited text is gone from the index"

            assert call(writer, "DELETE", f"/v1/notes/{note['id']}", "priya") is None
            within(
                1.5,
                lambda: not found(reader, query, note["id"]),
                "the other process stops finding a deleted note",
            )
            assert note["id"] not in {
                n["id"] for n in call(reader, "GET", "/v1/pairs/priya-martin/notes", "martin")
            }
            health = [call(base, "GET", "/health", "martin") for base in (writer, reader)]
            assert [h["outbox"]["notes"] for h in health] == [0, 0]
            assert health[0]["index"] == health[1]["index"]
    finally:
        servers.discard(database)
