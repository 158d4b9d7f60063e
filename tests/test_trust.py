"""Trust (issue 13): what was revoked stays revoked, and confidential text stays where it belongs."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from markdown_it import MarkdownIt
from sqlalchemy import event

from api.app import create_app
from assistant.cli.app import main
from assistant.conversations import REVOKED
from assistant.core import Assistant
from assistant.guide import Guide
from assistant.settings import REPO_ROOT, get_settings
from assistant.store import engine_for
from tests.conftest import KNOWLEDGE, Copier, frozen

PAIR = "priya-martin"


def auth(user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer demo-{user}"}


@pytest.fixture(scope="module")
def assistant(demo_copy: Copier) -> Assistant:
    """A writable demo program of this module's own."""
    return demo_copy("trust-home")


@pytest.fixture(scope="module")
def client(assistant: Assistant) -> TestClient:
    return TestClient(create_app(assistant, Guide(assistant, model=None)))


def add_note(client: TestClient, user: str, text: str, visibility: str = "pair") -> str:
    response = client.post(
        f"/v1/pairs/{PAIR}/notes",
        json={"date": "2026-11-20", "text": text, "visibility": visibility},
        headers=auth(user),
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def history(client: TestClient, user: str, conversation_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/v1/conversations/{conversation_id}", headers=auth(user))
    assert response.status_code == 200, response.text
    return list(response.json()["messages"])


# 1. Revoked note text in chat history ----------------------------------------------------


@pytest.mark.parametrize("revoke", ["private", "deleted"])
def test_chat_history_forgets_a_note_its_reader_can_no_longer_read(client: TestClient, revoke: str) -> None:
    canary = f"zebracanary{revoke} budget walkthrough with the regional finance leads"
    note_id = add_note(client, "priya", f"We agreed on a {canary}.\n\n- [ ] Martin: book the {canary}")
    reply = client.post(
        "/v1/chat",
        json={"message": f"what did we say about the zebracanary{revoke}?"},
        headers=auth("martin"),
    ).json()
    conversation = reply["conversation_id"]
    before = history(client, "martin", conversation)
    assert canary in before[-1]["content"], "the answer quoted the note while it was shared"
    assert note_id in {c.get("note_id") for c in before[-1]["citations"]}

    if revoke == "private":
        changed = client.patch(f"/v1/notes/{note_id}", json={"visibility": "private"}, headers=auth("priya"))
        assert changed.status_code == 200, changed.text
    else:
        assert client.delete(f"/v1/notes/{note_id}", headers=auth("priya")).status_code == 204

    after = history(client, "martin", conversation)
    answer = after[-1]
    assert answer["content"] == REVOKED
    assert canary not in answer["html"] and REVOKED in answer["html"]
    assert note_id not in {c.get("note_id") for c in answer["citations"]}
    assert after[0]["content"] == before[0]["content"], "the reader's own question is kept"

    page = client.get(f"/?conversation={conversation}", headers=auth("martin"))
    assert page.status_code == 200 and canary not in page.text and REVOKED in page.text
    assert f"/notes/{note_id}" not in page.text

    # A follow-up cannot reach the note through the stored answer either.
    follow = client.post(
        "/v1/chat",
        json={"message": "tell me more about the first one", "conversation_id": conversation},
        headers=auth("martin"),
    ).json()
    assert canary not in follow["message"]

    if revoke == "private":  # the author still reads her own private note in her own history
        mine = client.post(
            "/v1/chat",
            json={"message": f"what did we say about the zebracanary{revoke}?"},
            headers=auth("priya"),
        ).json()
        assert canary in history(client, "priya", mine["conversation_id"])[-1]["content"]


# 2. No note, message or token text in logs, tracebacks or errors --------------------------


@contextmanager
def locked(assistant: Assistant) -> Iterator[None]:
    """Another connection holds the store's write lock; the store waits 0.2 s for it, not 10 s."""
    url = assistant.settings.sqlalchemy_url
    engine = engine_for(url)

    def short_wait(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=200")

    event.listen(engine, "connect", short_wait)
    engine.dispose()
    holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        event.remove(engine, "connect", short_wait)
        engine.dispose()


def test_a_locked_store_is_a_503_with_a_reason_and_no_text_in_any_log(
    assistant: Assistant, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    client = TestClient(create_app(assistant, Guide(assistant, model=None)), raise_server_exceptions=False)
    canary = "zebracanary-locked quarterly layoffs plan"
    caplog.set_level(logging.DEBUG)
    with locked(assistant):
        note = client.post(
            f"/v1/pairs/{PAIR}/notes", json={"date": "2026-11-20", "text": canary}, headers=auth("priya")
        )
        chat = client.post(
            "/v1/chat", json={"message": f"he keeps cancelling {canary}"}, headers=auth("priya")
        )
    for response in (note, chat):
        assert response.status_code == 503, response.text
        detail = response.json()["detail"]
        assert "locked" in detail and "\n" not in detail and "zebracanary" not in detail
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    out, err = capfd.readouterr()
    assert "zebracanary" not in logged + out + err
    assert canary not in str(client.get(f"/v1/pairs/{PAIR}/notes", headers=auth("priya")).json())


def run_cli(monkeypatch: pytest.MonkeyPatch, home: Path, *args: str) -> tuple[int, str, str]:
    """``python -m assistant ARGS`` in this process, on ``home``: exit code, stdout, stderr."""
    monkeypatch.setenv("ASSISTANT_HOME", str(home))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    monkeypatch.setattr(sys, "argv", ["assistant", *args])
    get_settings.cache_clear()
    out, err = io.StringIO(), io.StringIO()
    umask = os.umask(0o077)  # the CLI sets its own; the test process keeps its own afterwards
    try:
        with redirect_stdout(out), redirect_stderr(err):
            main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.umask(umask)
        get_settings.cache_clear()
    return code, out.getvalue(), err.getvalue()


def test_notes_add_on_a_locked_store_exits_2_in_one_sentence(
    demo_copy: Copier, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    home = demo_copy("trust-locked-cli")
    canary = "zebracanary-cli the merger is off"
    caplog.set_level(logging.DEBUG)
    with locked(home):
        code, out, err = run_cli(
            monkeypatch, home.settings.home, "notes", "add", "--pair", PAIR, "--author", "priya",
            "--date", "2026-11-20", "--text", canary,
        )  # fmt: skip
    assert code == 2, err
    assert err.startswith("Error: ") and err.count("\n") == 1 and "locked" in err
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "zebracanary" not in out + err + logged


def read_only(home: Path) -> None:
    """Take write permission away from a data folder and everything in it."""
    for path in [home, *home.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)


def can_drop_write_rights() -> bool:
    """Whether ``unshare -U`` runs: root without its override of file permissions."""
    if os.geteuid() != 0:
        return True
    try:
        return subprocess.run(["unshare", "-U", "true"], check=False).returncode == 0
    except OSError:
        return False


@pytest.mark.skipif(not can_drop_write_rights(), reason="running as root without unshare -U")
@pytest.mark.parametrize(
    "command",
    [
        ["notes", "add", "--pair", PAIR, "--author", "priya", "--date", "2026-11-20", "--text", "CANARY"],
        ["search", "CANARY"],
        ["serve", "--port", "0"],
    ],
    ids=["notes-add", "search", "serve"],
)
def test_a_read_only_data_folder_is_one_sentence_and_exit_2(
    demo_copy: Copier, command: list[str], tmp_path: Path
) -> None:
    home = frozen(demo_copy(f"trust-read-only-{command[0]}"))
    read_only(home)
    canary = "zebracanary-ro board succession list"
    prefix = ["unshare", "-U"] if os.geteuid() == 0 else []  # root's own files, without root's override
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "assistant", *[canary if c == "CANARY" else c for c in command]],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ASSISTANT_HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"},
        cwd=REPO_ROOT,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "zebracanary" not in done.stdout + done.stderr


# 3. Private action items stay out of shared artefacts -------------------------------------


def test_agenda_brief_and_downloads_leave_out_private_items_unless_a_private_copy_is_asked_for(
    client: TestClient,
) -> None:
    secret = "ask HR confidentially about the zebracanary salary band"
    add_note(client, "priya", f"Thinking ahead.\n\n- [ ] Priya: {secret}", visibility="private")
    shared_item = "share the zebrashared onboarding checklist"
    add_note(client, "priya", f"Good session.\n\n- [ ] Priya: {shared_item}")

    def get(path: str) -> str:
        response = client.get(path, headers=auth("priya"))
        assert response.status_code == 200, response.text
        return response.text.replace("\r\n ", "")  # calendar lines unfolded

    def post(path: str, **body: Any) -> str:
        response = client.post(path, json={"pair_id": PAIR, **body}, headers=auth("priya"))
        assert response.status_code == 200, response.text
        return response.text

    shared = {
        "brief.ics": get(f"/pairs/{PAIR}/brief.ics"),
        "brief.md": get(f"/pairs/{PAIR}/brief.md"),
        "brief page": get(f"/pairs/{PAIR}/brief"),
        "agenda": post("/v1/agenda"),
        "brief": post("/v1/brief"),
        "chat agenda": post("/v1/chat", message="agenda for our next session please"),
    }
    for name, text in shared.items():
        assert "zebracanary" not in text, f"the shared {name} holds a private item"
    assert "zebrashared" in shared["brief.md"] and "zebrashared" in shared["agenda"]

    mine = {
        "brief.ics": get(f"/pairs/{PAIR}/brief.ics?private=true"),
        "brief.md": get(f"/pairs/{PAIR}/brief.md?private=true"),
        "brief page": get(f"/pairs/{PAIR}/brief?private=true"),
        "agenda": post("/v1/agenda", private=True),
        "brief": post("/v1/brief", private=True),
    }
    for name, text in mine.items():
        assert "zebracanary" in text, f"the private {name} lacks the private item"
    assert "brief.md?private=true" in mine["brief page"]


# 4. Calendar files by icalendar; Markdown downloads without raw HTML or unsafe links -------

BREAKS = re.compile("\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def test_note_text_cannot_break_out_of_the_calendar_file_or_the_markdown_brief(client: TestClient) -> None:
    hostile = (
        "call the zebrahostile team\rATTENDEE:mailto:evil@example.com\u2028ORGANIZER:mailto:evil@example.com"
        " <script>alert(1)</script> [click me](javascript:alert(1))"
        " ![pixel](data:text/html;base64,PHNjcmlwdD4=)"
        " <img src=x onerror=alert(1)>"
    )
    add_note(client, "priya", f"Session went well.\n\n- [ ] Priya: {hostile}")

    calendar = client.get(f"/pairs/{PAIR}/brief.ics", headers=auth("priya"))
    assert calendar.status_code == 200
    text = calendar.text
    assert "zebrahostile" in text.replace("\r\n ", "")
    assert "\u2028" not in text and not re.search("\r(?!\n)", text), "only CRLF ends a line"
    names = {line.split(":", 1)[0].split(";", 1)[0] for line in BREAKS.split(text) if line and line[0] != " "}
    assert not names & {"ATTENDEE", "ORGANIZER"}, "no property came from a note"
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    events = Calendar.from_ical(text).walk("VEVENT")
    assert len(events) == 1 and "ATTENDEE" not in events[0] and "ORGANIZER" not in events[0]
    assert "ATTENDEE:mailto:evil@example.com" in str(events[0]["DESCRIPTION"]), "kept as text"

    markdown = client.get(f"/pairs/{PAIR}/brief.md", headers=auth("priya")).text
    assert "zebrahostile" in markdown
    assert "<script" not in markdown and "<img" not in markdown
    assert not re.search(r"(?<!\\)\]\(\s*(?:javascript|data):", markdown), "no link or image syntax"
    html = MarkdownIt("commonmark", {"html": True}).render(markdown)  # the most permissive reader
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, "shown as text"


# 5. At rest: a private data folder; deleted note text overwritten in the store -------------


def cli_json(home: Path, *args: str) -> Any:
    """``python -m assistant ARGS --json`` in a process of its own, on ``home``."""
    done = subprocess.run(
        [sys.executable, "-m", "assistant", *args, "--json"],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "ASSISTANT_HOME": str(home), "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE)},
        cwd=REPO_ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else None


def test_the_data_folder_is_private_and_a_deleted_note_leaves_no_text_in_the_store(tmp_path: Path) -> None:
    home = tmp_path / "home"
    mentor = cli_json(home, "users", "add", "--name", "Ann Able", "--role", "mentor")["id"]
    executive = cli_json(home, "users", "add", "--name", "Bob Bell", "--role", "executive")["id"]
    pair = cli_json(home, "pairs", "add", "--mentor", mentor, "--executive", executive)["id"]
    canary = "zebracanaryatrest"
    note = cli_json(
        home, "notes", "add", "--pair", pair, "--author", mentor, "--date", "2026-11-20",
        "--text", f"We went through the {canary} reorganisation in detail.",
    )["id"]  # fmt: skip
    cli_json(home, "notes", "remove", note, "--as", mentor, "--yes")

    store = sqlite3.connect(home / "assistant.db")
    store.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # README: the log holds old pages until this
    store.close()
    paths = [home, *home.rglob("*")]
    loose = {
        str(p.relative_to(home)): oct(p.stat().st_mode & 0o777) for p in paths if p.stat().st_mode & 0o077
    }
    assert not loose, "folders 0700 and files 0600 only"
    holding = {str(p.relative_to(home)) for p in paths if p.is_file() and canary.encode() in p.read_bytes()}
    # README, "Security": Chroma's own write-ahead queue keeps a deleted note's text until its
    # vector segment is next persisted; the store (SQLite with secure_delete) keeps none once
    # its write-ahead log is checkpointed.
    assert holding <= {"index/chroma.sqlite3"}, holding


# 6. Ingest does not follow links out of the folder it was given ---------------------------


def test_ingest_skips_links_out_of_the_folder_unless_told_to_follow_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, outside = tmp_path / "guidelines", tmp_path / "elsewhere"
    (folder / "team").mkdir(parents=True)
    outside.mkdir()
    (folder / "team" / "cadence.md").write_text("# Cadence\n\nPairs meet twice a month for an hour.\n")
    (outside / "secrets.md").write_text("# Payroll\n\nThe zebracanarylink salary table for every grade.\n")
    (folder / "payroll.md").symlink_to(outside / "secrets.md")
    (folder / "shared").symlink_to(outside, target_is_directory=True)
    home = tmp_path / "home"

    code, out, err = run_cli(monkeypatch, home, "ingest", str(folder), "--json")
    assert code == 0, err
    assert json.loads(out)["documents"] == 1, "only the folder's own file"
    code, out, err = run_cli(monkeypatch, home, "search", "zebracanarylink salary table", "--json")
    assert code == 0 and "zebracanarylink" not in out

    code, out, err = run_cli(monkeypatch, home, "ingest", str(folder), "--follow-links", "--json")
    assert code == 0, err
    assert json.loads(out)["documents"] >= 2
    code, out, err = run_cli(monkeypatch, home, "search", "zebracanarylink salary table", "--json")
    assert code == 0 and "zebracanarylink" in out
