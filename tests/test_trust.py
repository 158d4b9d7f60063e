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
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from icalendar import Calendar
from markdown_it import MarkdownIt
from sqlalchemy import event

from api.app import create_app
from api.session import AuthFailures
from assistant.cli.app import main
from assistant.conversations import REVOKED
from assistant.core import Assistant
from assistant.guide import Guide
from assistant.settings import REPO_ROOT, get_settings
from assistant.store import engine_for
from tests.conftest import KNOWLEDGE, Copier, auth, frozen

PAIR = "priya-martin"


@pytest.fixture(scope="module")
def assistant(demo_copy: Copier) -> Assistant:
    """A writable demo program of this module's own."""
    return demo_copy("trust-home")


@pytest.fixture(scope="module")
def client(assistant: Assistant) -> TestClient:
    app = create_app(assistant, Guide(assistant, model=None))
    # Tests here send wrong tokens from one address; the limit itself is tested on an app of its own.
    app.state.auth_failures = AuthFailures(per_minute=10_000)
    return TestClient(app)


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
    # README, "Security": the store (SQLite with secure_delete) keeps none once its write-ahead
    # log is checkpointed, and Chroma never had it (it keeps a note's vectors and metadata only).
    assert not holding, holding


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


# 7. Hostile files: every upload or ingest bomb is refused at once, and nothing is stored --------

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(body: Iterator[str] | str, extra_entries: int = 0) -> bytes:
    """A minimal DOCX package whose body is ``body``, compressed as far as zlib goes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("_rels/.rels", DOCX_RELS)
        with archive.open("word/document.xml", "w") as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode())
            for piece in [body] if isinstance(body, str) else body:
                part.write(piece.encode())
            part.write(b"</w:body></w:document>")
        for n in range(extra_entries):
            archive.writestr(f"customXml/item{n}.xml", "<a/>")
    return buffer.getvalue()


def pdf_bytes(pages: int) -> bytes:
    """A PDF of ``pages`` pages that all show one line of text (they share one content stream)."""
    content = b"BT /F1 12 Tf 20 100 Td (Pairs meet twice a month.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>"
        % (pages, b" ".join(b"%d 0 R" % (5 + n) for n in range(pages))),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200]"
        b" /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    )
    objects += [page] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def many_paragraphs() -> bytes:
    """About 8 KB: 800,000 empty paragraphs (the red team's took 283 s and 400 MB)."""
    return docx_bytes("<w:p/>" * 800_000)


def much_xml() -> bytes:
    """Under 100 KB holding about 50 MB of XML: one paragraph of a very long text."""
    return docx_bytes(iter(["<w:p><w:r><w:t>", *(["meet " * 200_000] * 50), "</w:t></w:r></w:p>"]))


BOMBS: dict[str, tuple[Any, str]] = {
    "paragraphs.docx": (many_paragraphs, "paragraphs"),
    "xml.docx": (much_xml, "unpacks to more than"),
    "entries.docx": (
        lambda: docx_bytes("<w:p><w:r><w:t>Pairs meet twice a month.</w:t></w:r></w:p>", 5_000),
        "parts",
    ),
    "pages.pdf": (lambda: pdf_bytes(5_000), "pages"),
}


def resident_bytes() -> int:
    """This process's resident memory."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def peak_growth() -> Iterator[list[int]]:
    """The most this process's resident memory grew over its start within the block (sampled)."""
    import threading

    start, peak, done = resident_bytes(), [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], resident_bytes() - start)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()
        peak[0] = max(peak[0], resident_bytes() - start)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    built = {name: make() for name, (make, _reason) in BOMBS.items()}
    assert len(built["paragraphs.docx"]) < 9_000 and len(built["xml.docx"]) < 200_000
    return built


@pytest.mark.parametrize("name", list(BOMBS))
def test_an_upload_bomb_is_refused_within_2_s_in_50_mb_and_nothing_is_stored(
    client: TestClient, assistant: Assistant, bombs: dict[str, bytes], name: str
) -> None:
    library = client.get("/v1/knowledge", headers=auth("priya")).json()
    files = sorted(assistant.library_dir.glob("*")) if assistant.library_dir.exists() else []
    with peak_growth() as grown:
        started = time.perf_counter()
        response = client.post(
            "/v1/knowledge",
            files={"files": (name, bombs[name], "application/octet-stream")},
            headers=auth("marisol"),
        )
        took = time.perf_counter() - started
    assert response.status_code in (413, 422), response.text
    detail = response.json()["detail"]
    assert BOMBS[name][1] in detail and name in detail and "\n" not in detail
    assert took < 2.0, f"refused after {took:.1f} s"
    assert grown[0] < 50 * 1024 * 1024, f"grew by {grown[0] / 1024 / 1024:.0f} MB"
    assert client.get("/v1/knowledge", headers=auth("priya")).json() == library
    assert (sorted(assistant.library_dir.glob("*")) if assistant.library_dir.exists() else []) == files


@pytest.mark.parametrize("name", ["paragraphs.docx", "pages.pdf"])
def test_an_ingested_bomb_is_one_sentence_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bombs: dict[str, bytes], name: str
) -> None:
    folder = tmp_path / "guidelines"
    folder.mkdir()
    (folder / "cadence.md").write_text("# Cadence\n\nPairs meet twice a month for an hour.\n")
    (folder / name).write_bytes(bombs[name])
    home = tmp_path / "home"
    started = time.perf_counter()
    code, out, err = run_cli(monkeypatch, home, "ingest", str(folder))
    assert code == 2, err
    assert err.startswith("Error: ") and err.count("\n") == 1 and BOMBS[name][1] in err, err
    assert time.perf_counter() - started < 10  # the bomb itself is refused in well under 2 s
    code, out, err = run_cli(monkeypatch, home, "search", "twice a month", "--json")
    assert "cadence" not in out.lower(), "nothing of the folder was indexed"


def test_a_file_that_takes_longer_than_the_time_budget_is_refused(
    client: TestClient, assistant: Assistant, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import docx

    from assistant.documents import Limits

    path = tmp_path / "slow.docx"
    document = docx.Document()
    document.add_paragraph("Pairs meet twice a month for an hour.")
    document.save(str(path))
    library = client.get("/v1/knowledge", headers=auth("priya")).json()
    monkeypatch.setattr(type(assistant), "limits", property(lambda _self: Limits(seconds=0.01)))
    started = time.perf_counter()
    response = client.post(
        "/v1/knowledge",
        files={"files": ("slow.docx", path.read_bytes(), "application/octet-stream")},
        headers=auth("marisol"),
    )
    assert response.status_code == 413, response.text
    assert "took longer than 0.01 s" in response.json()["detail"]
    assert time.perf_counter() - started < 2.0
    assert client.get("/v1/knowledge", headers=auth("priya")).json() == library


def test_a_large_but_honest_docx_is_read_in_time(tmp_path: Path) -> None:
    """Under the limits, a long document is read: 9,000 paragraphs with headings, within the budget."""
    from assistant.documents import load_document

    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Part {n}</w:t></w:r></w:p>'
        if n % 100 == 0
        else f"<w:p><w:r><w:t>Sentence {n} of the handbook.</w:t></w:r></w:p>"
        for n in range(9_000)
    )
    (tmp_path / "handbook.docx").write_bytes(docx_bytes(body))
    started = time.perf_counter()
    document = load_document(tmp_path / "handbook.docx", tmp_path)
    assert time.perf_counter() - started < 10.0
    assert len(document.sections) >= 90


# 8. Sessions: server-side web sessions, expiring and revocable tokens, limits, host names ------

HERE = {"Origin": "http://testserver"}


def sign_in(client: TestClient, token: str) -> str:
    """Sign in through the form; returns the session cookie's value."""
    response = client.post("/signin", data={"token": token}, headers=HERE, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(response.cookies["assistant_session"])


def as_cookie(client: TestClient, session_id: str) -> int:
    """The status of GET /v1/me with only this session cookie."""
    client.cookies.clear()
    client.cookies.set("assistant_session", session_id)
    try:
        return client.get("/v1/me").status_code
    finally:
        client.cookies.clear()


def test_a_web_session_is_not_the_token_ends_at_sign_out_rotates_and_expires(
    assistant: Assistant, client: TestClient
) -> None:
    client.cookies.clear()
    first = sign_in(client, "demo-priya")
    assert first != "demo-priya" and "demo-priya" not in first, "the cookie holds a session id"
    assert as_cookie(client, first) == 200
    assert as_cookie(client, "demo-priya") == 401, "the API token is no session id"

    client.cookies.set("assistant_session", first)
    second = sign_in(client, "demo-priya")  # signing in again, with the old cookie
    assert second != first
    assert as_cookie(client, first) == 401, "the session id rotates at sign-in"
    assert as_cookie(client, second) == 200

    client.cookies.set("assistant_session", second)
    assert client.post("/signout", headers=HERE, follow_redirects=False).status_code == 303
    client.cookies.clear()
    assert as_cookie(client, second) == 401, "signing out ends the session on the server"

    third = sign_in(client, "demo-priya")
    with assistant.session() as session:
        session.execute(
            sa.text("UPDATE web_sessions SET expires_at = :then"), {"then": "2000-01-01 00:00:00"}
        )
    assert as_cookie(client, third) == 401, "an expired session is over"
    client.cookies.set("assistant_session", third)
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/signin")
    client.cookies.clear()


def test_api_tokens_expire_and_are_revoked_by_the_admin_api_and_the_cli(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, assistant: Assistant
) -> None:
    made = client.post("/v1/users", json={"name": "Temp Mentor", "role": "mentor"}, headers=auth("jonas"))
    user = made.json()["id"]
    issued = client.post(f"/v1/users/{user}/token", json={"expires_in_days": 1}, headers=auth("jonas"))
    assert issued.status_code == 201, issued.text
    token, expires = issued.json()["token"], issued.json()["expires_at"]
    assert expires is not None
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/v1/me", headers=bearer).status_code == 200
    old = {"Authorization": f"Bearer {made.json()['token']}"}
    assert client.get("/v1/me", headers=old).status_code == 401, "a new token replaces the old"
    assert client.post(f"/v1/users/{user}/token", json={}, headers=auth("priya")).status_code == 403

    second = client.post(
        f"/v1/users/{user}/token", json={"expires_in_days": 1 / 86400}, headers=auth("jonas")
    )
    bearer = {"Authorization": f"Bearer {second.json()['token']}"}
    time.sleep(1.1)
    assert client.get("/v1/me", headers=bearer).status_code == 401, "an expired token is refused"

    token = client.post(f"/v1/users/{user}/token", json={}, headers=auth("jonas")).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    session_id = sign_in(client, token)
    client.cookies.clear()
    assert client.delete(f"/v1/users/{user}/token", headers=auth("jonas")).status_code == 204
    assert client.get("/v1/me", headers=bearer).status_code == 401, "a revoked token is refused at once"
    assert as_cookie(client, session_id) == 401, "revoking ends the user's web sessions"

    code, out, err = run_cli(monkeypatch, assistant.settings.home, "users", "token", user, "--json")
    assert code == 0, err
    token = json.loads(out)["token"]
    assert client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    code, out, err = run_cli(monkeypatch, assistant.settings.home, "users", "revoke", user)
    assert code == 0, err
    assert client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_failed_sign_ins_and_tokens_are_rate_limited_per_client(assistant: Assistant) -> None:
    app = create_app(assistant, Guide(assistant, model=None))  # the default limit: 10 a minute
    guesser = TestClient(app, client=("203.0.113.7", 40000))
    other = TestClient(app, client=("203.0.113.8", 40000))
    codes = []
    for n in range(30):
        response = guesser.post("/signin", data={"token": f"guess-{n}"}, headers=HERE, follow_redirects=False)
        codes.append(response.status_code)
    assert codes[:10] == [401] * 10 and codes[-1] == 429, codes
    assert int(response.headers["Retry-After"]) >= 1
    api = guesser.get("/v1/me", headers={"Authorization": "Bearer demo-priya"})
    assert api.status_code == 429 and int(api.headers["Retry-After"]) >= 1, "guessing stops, right or wrong"
    assert other.get("/v1/me", headers=auth("priya")).status_code == 200, "other clients are not affected"
    wrong = [other.get("/v1/me", headers={"Authorization": f"Bearer nope-{n}"}) for n in range(12)]
    assert wrong[0].status_code == 401 and wrong[-1].status_code == 429


def test_requests_naming_another_host_are_refused(assistant: Assistant) -> None:
    from assistant.settings import Settings

    app = create_app(assistant, Guide(assistant, model=None))
    client = TestClient(app)
    assert client.get("/health").status_code == 200
    assert client.get("/health", headers={"Host": "rebind.attacker.example"}).status_code == 400
    assert client.get("/health", headers={"Host": "localhost:8000"}).status_code == 200
    defaults = Settings(home=assistant.settings.home, allowed_hosts=[], serve_host="10.1.2.3")
    assert {"localhost", "127.0.0.1", "10.1.2.3"} <= set(defaults.trusted_hosts)
    assert "rebind.attacker.example" not in defaults.trusted_hosts


# 9. The API contract: error bodies as the OpenAPI schema says, documented codes, Allow on 405 --


def test_error_bodies_match_the_openapi_schema_and_405_names_every_allowed_method(client: TestClient) -> None:
    import jsonschema

    spec = client.app.openapi()  # type: ignore[attr-defined]
    assert "HTTPValidationError" not in spec["components"]["schemas"], "no error body has that shape"
    error = {**spec["components"]["schemas"]["Error"], "components": spec["components"]}
    resolver_schema = {"$ref": "#/components/schemas/Error", "components": spec["components"]}
    ask = spec["paths"]["/v1/ask"]["post"]["responses"]
    for code in ("401", "403", "413", "422", "429", "503"):
        assert ask[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}

    responses = [
        client.post("/v1/ask", json={"question": 42}, headers=auth("priya")),  # 422 from validation
        client.post("/v1/topics", json={"pair_id": "no-such-pair"}, headers=auth("priya")),  # 404
        client.get("/v1/me", headers={"Authorization": "Bearer wrong"}),  # 401
        client.get("/v1/users", headers=auth("priya")),  # 403
        client.put("/v1/users", headers=auth("jonas")),  # 405
    ]
    assert [r.status_code for r in responses] == [422, 404, 401, 403, 405]
    for response in responses:
        jsonschema.validate(response.json(), resolver_schema)
        assert isinstance(response.json()["detail"], str)
    assert error["required"] == ["detail"]
    assert responses[0].json()["errors"][0]["loc"] == ["body", "question"]

    assert set(responses[-1].headers["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
    both = client.put(f"/v1/conversations/{'c-none'}", headers=auth("priya"))
    assert both.status_code == 405 and {"GET", "PATCH", "DELETE"} <= set(both.headers["Allow"].split(", "))
    static = client.post("/static/chat.js")
    assert static.status_code == 405 and static.headers["Allow"] == "GET, HEAD"


# 10. Logs: no query string, note, message or token in any line of a server's run -------------


def request(port: int, method: str, path: str, body: bytes | None = None, **headers: str) -> int:
    """One request to a local server; its status."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_a_server_run_across_the_faults_logs_no_canary(demo_copy: Copier, bombs: dict[str, bytes]) -> None:
    """A real ``serve`` with its access log: canaries in queries, notes, messages, tokens and files."""
    from tests.engines import free_port

    home = frozen(demo_copy("trust-logs"))
    port, log = free_port(), home.parent / "server.log"
    env = {
        **os.environ,
        "ASSISTANT_HOME": str(home),
        "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE),
        "ASSISTANT_LLM": "offline",
        "ASSISTANT_DATABASE_URL": "",
        "ASSISTANT_CHROMA_URL": "",
    }
    env.pop("ASSISTANT_ALLOWED_HOSTS", None)  # the server's own default: localhost names
    bearer = {"Authorization": "Bearer demo-priya", "Content-Type": "application/json"}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                request(port, "GET", "/health")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.2)
        note = json.dumps({"date": "2026-11-20", "text": "zebracanary-note the reorganisation list"})
        statuses = {
            "query": request(
                port, "GET", "/v1/audit?limit=5&q=zebracanary-query", Authorization="Bearer demo-jonas"
            ),
            "page query": request(
                port, "GET", f"/pairs/{PAIR}/brief.md?private=false&zebracanary-page", **bearer
            ),
            "note": request(port, "POST", f"/v1/pairs/{PAIR}/notes", note.encode(), **bearer),
            "chat": request(
                port,
                "POST",
                "/v1/chat",
                json.dumps({"message": "zebracanary-chat layoffs"}).encode(),
                **bearer,
            ),
            "token": request(port, "GET", "/v1/me", Authorization="Bearer zebracanary-token"),
            "sign-in": request(
                port,
                "POST",
                "/signin",
                b"token=zebracanary-signin",
                **{"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{port}"},
            ),
            "other host": request(port, "GET", "/health?zebracanary-host", Host="zebracanary.example"),
        }
        boundary = "zebraboundary"
        upload = (
            (
                f"--{boundary}\r\nContent-Disposition: form-data; "
                'name="files"; filename="zebracanary.docx"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + bombs["paragraphs.docx"]
            + f"\r\n--{boundary}--\r\n".encode()
        )
        statuses["bomb"] = request(
            port,
            "POST",
            "/v1/knowledge?name=zebracanary-upload",
            upload,
            Authorization="Bearer demo-marisol",
            **{"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        holder = sqlite3.connect(home / "assistant.db", isolation_level=None)  # the store locked
        holder.execute("BEGIN EXCLUSIVE")
        try:
            locked = json.dumps({"date": "2026-11-21", "text": "zebracanary-locked merger"}).encode()
            statuses["locked"] = request(
                port, "POST", f"/v1/pairs/{PAIR}/notes?zebracanary-lq", locked, **bearer
            )
        finally:
            holder.execute("ROLLBACK")
            holder.close()
    finally:
        server.terminate()
        server.wait(30)
    assert statuses == {
        "query": 200,
        "page query": 200,
        "note": 201,
        "chat": 200,
        "token": 401,
        "sign-in": 401,
        "other host": 400,
        "bomb": 413,
        "locked": 503,
    }, statuses
    logged = log.read_text()
    assert '"GET /v1/audit HTTP/1.1" 200' in logged, "the access log was captured, without the query"
    assert "zebracanary" not in logged, [line for line in logged.splitlines() if "zebracanary" in line]


def test_a_logged_exception_keeps_its_place_but_not_its_message(caplog: pytest.LogCaptureFixture) -> None:
    from assistant.logs import keep_logs_private

    keep_logs_private()
    caplog.set_level(logging.INFO)
    message = "zebra" + "canary-exception: the note's text"  # not in this file's source lines
    try:
        raise ValueError(message)
    except ValueError:
        logging.getLogger("assistant.api").exception("unexpected error")
    text = caplog.text
    assert "unexpected error" in text and "ValueError" in text and "test_trust.py" in text
    assert "zebracanary" not in text
