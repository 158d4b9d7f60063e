"""Scale-out engines: the same program on a real PostgreSQL and a real ``chroma run`` server.

The demo program is loaded into both server engines and must give the same users, notes, search
results (inside the same access rules) and answers as the embedded SQLite + Chroma default.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant import index as index_module
from assistant.core import Assistant
from assistant.demo import load_demo
from assistant.errors import InvalidInput
from assistant.guide import Guide
from assistant.settings import Settings
from assistant.store import engine_for
from tests.conftest import KNOWLEDGE
from tests.engines import chroma_server, close_chroma_clients, fresh_database, postgres_server

QUERIES = ["how often should we meet", "AI tools and prompts", "he cancelled again", "LinkedIn posting"]
VIEWERS = [None, "priya", "martin", "kai", "marisol", "jonas"]


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@contextmanager
def new_database(server_url: str) -> Iterator[str]:
    """A fresh database; its pooled connections are closed before the server stops."""
    url = fresh_database(server_url)
    yield url
    engine_for(url).dispose()


@pytest.fixture
def database(postgres: str) -> Iterator[str]:
    with new_database(postgres) as url:
        yield url


@pytest.fixture(scope="module")
def scaled(postgres: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """The demo program on PostgreSQL and a Chroma server."""
    base = tmp_path_factory.mktemp("chroma-server")
    with chroma_server(base) as chroma, new_database(postgres) as url:
        settings = Settings(
            home=tmp_path_factory.mktemp("scaled-home"),
            knowledge_dir=KNOWLEDGE,
            database_url=url,
            chroma_url=chroma,
        )
        assistant = Assistant(settings)
        load_demo(assistant)
        yield assistant
        close_chroma_clients()


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
    for pair in demo.list_pairs():
        mine = [
            {k: v for k, v in n.items() if k not in ("created_at", "updated_at")}
            for n in scaled.list_notes(pair["id"])
        ]
        theirs = [
            {k: v for k, v in n.items() if k not in ("created_at", "updated_at")}
            for n in demo.list_notes(pair["id"])
        ]
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


def test_a_second_instance_follows_writes_through_the_chroma_server(
    scaled: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "REFRESH_SECONDS", 0.0)
    other = Assistant(scaled.settings)  # another instance on the same servers (see test_processes for two)
    assert other.index.count("notes") == scaled.index.count("notes")
    note = scaled.write_note("priya-martin", "priya", "2026-06-01", "We rehearsed the okapi-themed keynote.")
    assert other.search("okapi keynote", as_user="martin")[0].meta["note_id"] == note["id"]
    scaled.edit_note(note["id"], "priya", text="We rehearsed the narwhal-themed keynote.")
    assert "narwhal" in other.search("narwhal keynote", as_user="martin")[0].text
    assert not any("okapi" in h.text for h in other.search("okapi keynote", k=20, as_user="martin"))
    scaled.remove_note(note["id"], "priya")
    assert not any(
        h.meta.get("note_id") == note["id"] for h in other.search("keynote", k=20, as_user="martin")
    )
