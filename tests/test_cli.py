"""The CLI contract: JSON shapes, exit codes and one-sentence errors that change nothing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core import Assistant
from assistant.guide import Guide
from assistant.settings import Settings, get_settings
from tests.conftest import KNOWLEDGE, CliRun
from tests.test_documents import MARKDOWN

HIT_KEYS = {"kind", "source", "title", "section", "note_id", "pair_id", "date", "score", "text"}


def ok(cli: CliRun, *args: object) -> object:
    code, out, err = cli(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def add_note(cli: CliRun, pair: dict[str, str], date: str, *text: object) -> dict[str, str]:
    """The mentor records a note (``text`` is ``--text …`` or ``--file …``)."""
    who = ("--pair", pair["pair"], "--author", pair["mentor"])
    created = ok(cli, "notes", "add", *who, "--date", date, *text)
    assert isinstance(created, dict)
    return created


@pytest.fixture
def pair(cli: CliRun) -> dict[str, str]:
    mentor = ok(cli, "users", "add", "--name", "Mina Mentor", "--role", "mentor")
    executive = ok(cli, "users", "add", "--name", "Ezra Exec", "--role", "executive")
    assert set(mentor) == {"id", "token"}
    created = ok(
        cli, "pairs", "add", "--mentor", mentor["id"], "--executive", executive["id"], "--goals", "AI"
    )
    return {"mentor": mentor["id"], "executive": executive["id"], "pair": created["id"]}


def test_ingest_and_search_contract(cli: CliRun, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "rhythm.md").write_text(MARKDOWN)
    first = ok(cli, "ingest", folder)
    assert first == {
        "documents": 1,
        "chunks": 3,
        "embedded": 3,
        "unchanged": 0,
        "removed": 0,
        "chunked_by_length": [],  # its headings were read
    }
    assert ok(cli, "ingest", folder)["embedded"] == 0
    hits = ok(cli, "search", "who books the slot", "--k", "2")
    assert isinstance(hits, list) and len(hits) == 2
    assert set(hits[0]) == HIT_KEYS
    assert hits[0]["kind"] == "guideline" and hits[0]["source"] == "rhythm.md"
    assert hits[0]["section"] == "Who books"


def test_notes_flow_and_search_as_user(cli: CliRun, pair: dict[str, str], tmp_path: Path) -> None:
    note_file = tmp_path / "note.md"
    note_file.write_text("We practised prompting the quokka assistant together.")
    created = add_note(cli, pair, "2026-05-01", "--file", note_file)
    listed = ok(cli, "notes", "list", "--pair", pair["pair"])
    assert [n["id"] for n in listed] == [created["id"]]
    hits = ok(cli, "search", "quokka assistant", "--as", pair["executive"])
    assert hits[0]["kind"] == "note" and hits[0]["note_id"] == created["id"]
    assert hits[0]["pair_id"] == pair["pair"] and hits[0]["date"] == "2026-05-01"
    assert all(h["kind"] == "guideline" for h in ok(cli, "search", "quokka assistant"))


def test_notes_edit_and_remove(cli: CliRun, pair: dict[str, str]) -> None:
    author = pair["mentor"]
    note = add_note(cli, pair, "2026-05-01", "--text", "We sketched the capybara rollout plan.")["id"]
    edited = ok(cli, "notes", "edit", note, "--as", author, "--date", "2026-05-08", "--visibility", "private")
    assert (edited["date"], edited["visibility"]) == ("2026-05-08", "private")
    hits = ok(cli, "search", "capybara rollout", "--as", author)
    assert hits[0]["note_id"] == note and hits[0]["date"] == "2026-05-08"
    seen_by_executive = ok(cli, "search", "capybara rollout", "--as", pair["executive"])
    assert not any(h["kind"] == "note" for h in seen_by_executive)
    for args, message in (
        (["--as", pair["executive"], "--text", "x"], "no note"),  # private: not even there for them
        (["--as", author], "Nothing to change"),
        (["--as", author, "--date", "2026-02-30"], "not a date"),
    ):
        code, out, err = cli("notes", "edit", note, *args, "--json")
        assert code == 2 and out == "" and message in err and "Traceback" not in err
    assert ok(cli, "notes", "list", "--pair", pair["pair"], "--as", author)[0]["date"] == "2026-05-08"
    assert ok(cli, "notes", "list", "--pair", pair["pair"]) == []  # without --as: shared notes only
    ok(cli, "notes", "edit", note, "--as", author, "--visibility", "pair")
    code, out, err = cli("notes", "remove", note, "--as", pair["executive"], "--yes")
    assert code == 2 and "Only the note's author" in err
    code, out, err = cli("notes", "remove", note, "--as", author, "--json")
    assert code == 2 and out == "" and "--yes" in err
    assert ok(cli, "notes", "remove", note, "--as", author, "--yes") == {"removed": note}
    assert ok(cli, "notes", "list", "--pair", pair["pair"], "--as", author) == []
    assert not any(h["kind"] == "note" for h in ok(cli, "search", "capybara rollout", "--as", author))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pair", "p-nope", "--date", "2026-05-01", "--text", "x"], "no pair"),
        (["--date", "2026-02-30", "--text", "x"], "not a date"),
        (["--date", "9999-12-31", "--text", "x"], "outside the years"),
        (["--date", "2099-01-01", "--text", "x"], "in the future"),
        (["--date", "2026-05-01", "--text", "  "], "must not be empty"),
        (["--date", "2026-05-01"], "exactly one of --text or --file"),
        (["--date", "2026-05-01", "--text", "x", "--visibility", "public"], "Unknown visibility"),
        (["--date", "2026-05-01", "--text", "x", "--author", "STRANGER"], "not a member"),
    ],
)
def test_bad_notes_exit_nonzero_with_one_sentence(
    cli: CliRun, pair: dict[str, str], args: list[str], message: str
) -> None:
    stranger = ok(cli, "users", "add", "--name", "Sam Stranger", "--role", "mentor")["id"]
    full = {"--pair": pair["pair"], "--author": pair["mentor"]}
    pairs = dict(zip(args[::2], args[1::2]))
    full.update({k: (stranger if v == "STRANGER" else v) for k, v in pairs.items()})
    flat = [x for kv in full.items() for x in kv]
    code, out, err = cli("notes", "add", *flat, "--json")
    assert code == 2
    assert out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert ok(cli, "notes", "list", "--pair", pair["pair"]) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["users", "add", "--name", "X", "--role", "boss"], "Unknown role"),
        (["pairs", "add", "--mentor", "nobody", "--executive", "nobody"], "no user"),
        (["ingest", "/nonexistent/folder"], "does not exist"),
        (["search", "   "], "must not be empty"),
        (["search", "cadence", "--k", "0"], "between 1 and 100"),
        (["search", "cadence", "--as", "ghost"], "no user"),
        (["notes", "list", "--pair", "ghost"], "no pair"),
    ],
)
def test_other_errors(cli: CliRun, args: list[str], message: str) -> None:
    code, out, err = cli(*args, "--json")
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_demo_is_idempotent_and_lists_users(cli: CliRun, guidelines_home: Path) -> None:
    """In a folder that has the default guidelines already (the demo's notes are embedded here)."""
    first = ok(cli, "demo")
    again = ok(cli, "demo")
    roles = {u["role"] for u in first["users"]}
    assert roles == {"mentor", "executive", "coordinator", "admin"}
    assert all(u["token"] and u["id"] for u in first["users"])
    assert first["notes_added"] >= 24 and again["notes_added"] == 0
    assert again["guidelines"]["embedded"] == 0
    users = ok(cli, "users", "list")
    assert len(users) == len(first["users"]) and all("token" not in u for u in users)
    assert len(ok(cli, "pairs", "list")) >= 4


def test_demo_rebuilds_an_index_an_earlier_version_made(
    cli: CliRun, settings: Settings, guidelines_home: Path
) -> None:
    """`make run` on a demo folder from before the text embedded for passages changed still starts."""
    client = Assistant(settings).index.client
    for listed in client.list_collections():
        collection = client.get_collection(listed.name)
        collection.modify(metadata={**(collection.metadata or {}), "search_text": "title-section"})
    code, out, err = cli("demo")
    assert code == 0 and "made by an earlier version" in err and "Guidelines: 10 documents" in out, err
    code, out, _ = cli("search", "how often should we meet")
    assert code == 0 and out.startswith("1. [guideline]")


def test_reindex_and_human_output(cli: CliRun, guidelines_home: Path) -> None:
    """In a folder that has the default guidelines already: the ingest finds them unchanged."""
    assert ok(cli, "ingest", KNOWLEDGE / "guidelines")["unchanged"] > 0
    rebuilt = ok(cli, "reindex")
    assert rebuilt["documents"] >= 8 and rebuilt["notes"] == 0
    code, out, _ = cli("search", "how often should we meet")
    assert code == 0 and out.startswith("1. [guideline]")


@pytest.mark.parametrize(
    "args", [["ask", "--bogus", "x"], ["topics", "--pair", "p", "--count", "abc"], ["bogus"], ["ask"]]
)
def test_usage_errors_are_one_sentence(cli: CliRun, args: list[str]) -> None:
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.startswith("Error: ") and err.count("\n") == 1 and "--help" in err and "╭" not in err


def test_roles_are_named_with_the_right_article(cli: CliRun, pair: dict[str, str]) -> None:
    code, _out, err = cli("pairs", "add", "--mentor", pair["executive"], "--executive", pair["mentor"])
    assert code == 2 and "is an executive, not a mentor" in err


def test_doctor_reads_as_sentences(cli: CliRun) -> None:
    code, out, _err = cli("doctor")
    assert code == 0 and "provider: offline" in out and "answers: yes" in out
    assert not any(token in out for token in ("None", "True", "{"))


def test_storage_that_cannot_be_opened_is_one_sentence(
    cli: CliRun, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    for name, value in (("ASSISTANT_DATABASE_URL", "bogus://x"), ("ASSISTANT_HOME", str(a_file))):
        with monkeypatch.context() as patched:
            patched.setenv(name, value)
            get_settings.cache_clear()
            code, out, err = cli("notes", "list", "--pair", "p")
            assert code == 2 and out == "", name
            assert "cannot be opened" in err and err.count("\n") == 1 and "Traceback" not in err
    get_settings.cache_clear()


# Libraries a command loads only when it does its work (bench/startup.py times the commands).
HEAVY = ("chromadb", "langchain_core", "onnxruntime", "scipy", "bm25s", "sqlalchemy", "fastapi", "uvicorn")
IMPORTS = """
import runpy, sys
sys.argv = ["assistant", *sys.argv[1:]]
try:
    runpy.run_module("assistant", run_name="__main__")
except SystemExit as exc:
    code = exc.code
print(code, *sorted({m.partition(".")[0] for m in sys.modules} & set(HEAVY)), file=sys.stderr)
"""


def heavy_imports(env: dict[str, str], *args: str) -> tuple[str, list[str]]:
    """Run ``python -m assistant ARGS`` in a fresh process: its output and the heavy libraries it imported."""
    run = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{IMPORTS}", *args],
        env={**os.environ, "ASSISTANT_LLM": "offline", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    code, *loaded = run.stderr.splitlines()[-1].split()
    assert code in ("0", "None"), run.stderr
    return run.stdout, loaded


def test_help_loads_no_heavy_library(tmp_path: Path) -> None:
    out, loaded = heavy_imports({"ASSISTANT_HOME": str(tmp_path / "home")}, "--help")
    assert "ask" in out and "serve" in out
    assert loaded == []
    _out, loaded = heavy_imports({"ASSISTANT_HOME": str(tmp_path / "home")}, "notes", "--help")
    assert loaded == []


def test_a_one_shot_ask_reads_the_saved_guidelines_without_chroma(guidelines: Assistant) -> None:
    question = "How often should pairs meet?"
    expected = Guide(guidelines).ask(question)  # copies the guidelines, and saves the copy
    env = {
        "ASSISTANT_HOME": str(guidelines.settings.home),
        "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE),
    }
    out, loaded = heavy_imports(env, "ask", question, "--json")
    assert json.loads(out) == expected.model_dump(mode="json")
    assert "chromadb" not in loaded and "langchain_core" not in loaded
    assert "bm25s" not in loaded and "scipy" not in loaded  # the copy carries its keyword index


def test_saved_guidelines_follow_an_ingest(cli: CliRun, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "rhythm.md").write_text(MARKDOWN)
    ok(cli, "ingest", folder)
    assert ok(cli, "search", "who books the slot", "--k", "1")[0]["section"] == "Who books"  # saves a copy
    (folder / "rhythm.md").write_text(MARKDOWN.replace("## Who books", "## Booking"))
    ok(cli, "ingest", folder)
    assert ok(cli, "search", "who books the slot", "--k", "1")[0]["section"] == "Booking"


def test_cycle_lays_out_a_calendar_from_its_kickoff_and_refuses_a_bad_date(cli: CliRun) -> None:
    calendar = ok(cli, "cycle", "--start", "2027-01-18", "--skip", "survey")
    assert isinstance(calendar, dict) and calendar["start"] == "2027-01-18", calendar
    steps = {s["title"]: s["day"] for s in calendar["steps"]}
    assert steps["Kickoff session"] == "2027-01-18" and steps["Week-four check-in calls"] == "2027-02-15"
    assert not any("survey" in title.lower() for title in steps) and calendar["skipped"] == ["survey"]
    code, out, err = cli("cycle", "--start", "2027-02-31")
    assert code == 2 and "2027-02-31" in err and "Traceback" not in err + out, err
