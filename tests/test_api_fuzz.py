"""Robustness of the HTTP API: schema fuzzing, explicit bad input, and concurrent note writes.

The fuzzing half generates requests for every operation of the OpenAPI schema (valid and invalid
ones) with schemathesis and asserts the server never answers 5xx. The explicit half sends known
kinds of bad input and asserts a 4xx with a readable ``detail`` and that nothing changed.
"""

from __future__ import annotations

import io
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import MAX_BODY, create_app
from api.session import AuthFailures
from assistant.core import Assistant
from assistant.guide import Guide
from assistant.settings import REPO_ROOT, Settings
from tests.conftest import Copier, auth

KNOWLEDGE = REPO_ROOT / "knowledge"
MAX_EXAMPLES = 6  # per operation and role (half that for the coordinator and the executive): ~60 s
PAIR = "priya-martin"
# The whole schema is fuzzed as each of these demo users (mentor and admin at least).
ROLES = {
    "mentor": "demo-priya",
    "admin": "demo-jonas",
    "coordinator": "demo-marisol",
    "executive": "demo-martin",
}


@pytest.fixture(scope="module")
def assistant(demo_copy: Copier) -> Assistant:
    """A writable demo program in this module's own data folder (fuzzing writes to it)."""
    return demo_copy("fuzz-home")


@pytest.fixture(scope="module")
def app(assistant: Assistant) -> FastAPI:
    app = create_app(assistant, Guide(assistant, model=None))
    # Every bad-token case here comes from one test client: the limit on failed sign-ins per
    # client (tests/test_trust.py) would turn the later ones into 429s.
    app.state.auth_failures = AuthFailures(per_minute=100_000)
    return app


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    """A client that turns server exceptions into the 500 a real client would see."""
    return TestClient(app, raise_server_exceptions=False)


# --------------------------------------------------------------------------------------------------
# Schema fuzzing
# --------------------------------------------------------------------------------------------------


def load_schema() -> Any:
    """The API's OpenAPI schema, taken from an app whose data folder is never opened."""
    probe = Assistant(
        Settings(home=Path(tempfile.gettempdir()) / "fuzz-probe-unused", knowledge_dir=KNOWLEDGE)
    )
    config = schemathesis.Config.from_dict(
        {
            "seed": 20261125,
            "generation": {"mode": "all", "database": "none"},
        }
    )
    return schemathesis.openapi.from_dict(
        create_app(probe, Guide(probe, model=None)).openapi(), config=config
    )


schema = load_schema()


@pytest.fixture(scope="module")
def known_ids(client: TestClient) -> dict[str, str]:
    """Ids that exist, so part of the fuzzed requests reach past the 404s into the real work."""
    note = client.post(
        f"/v1/pairs/{PAIR}/notes",
        json={
            "date": "2026-11-20",
            "text": "Fuzzing anchor note about Copilot prompts.",
            "visibility": "pair",
        },
        headers=auth("priya"),
    )
    chat = client.post("/v1/chat", json={"message": "how often should we meet?"}, headers=auth("priya"))
    assert note.status_code == 201 and chat.status_code == 200
    return {
        "pair_id": PAIR,
        "note_id": note.json()["id"],
        "conversation_id": chat.json()["conversation_id"],
        "mentor_id": "priya",
        "executive_id": "martin",
    }


def steer(case: schemathesis.Case, known: dict[str, str]) -> None:
    """For about half the cases (chosen from the case itself, so runs repeat), use ids that exist."""
    if zlib.crc32(repr((case.path_parameters, case.body)).encode("utf-8", "replace")) % 2:
        return
    for name, value in (case.path_parameters or {}).items():
        if name in known and isinstance(value, str):
            case.path_parameters[name] = known[name]
    if isinstance(case.body, dict):
        for name, value in case.body.items():
            if name in known and isinstance(value, str):
                case.body[name] = known[name]


def fuzz_settings(max_examples: int) -> settings:
    """Bounded and repeatable: a fixed number of cases, no deadline (some endpoints embed text)."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


# Every response is checked against the schema: no 5xx, a status code the operation documents,
# its content type, a body that validates against the documented schema, and Allow on a 405.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    allow_header_conformance,
]


def call_without_server_error(
    case: schemathesis.Case, app: FastAPI, known: dict[str, str], token: str
) -> None:
    steer(case, known)
    response = case.call(app=app, headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=CHECKS)
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text


@schema.parametrize()
@pytest.mark.parametrize("token", [ROLES["mentor"], ROLES["admin"]], ids=["mentor", "admin"])
@fuzz_settings(MAX_EXAMPLES)
def test_no_server_errors(
    case: schemathesis.Case, app: FastAPI, known_ids: dict[str, str], token: str
) -> None:
    call_without_server_error(case, app, known_ids, token)


@schema.parametrize()
@pytest.mark.parametrize(
    "token", [ROLES["coordinator"], ROLES["executive"]], ids=["coordinator", "executive"]
)
@fuzz_settings(MAX_EXAMPLES // 2)
def test_no_server_errors_for_other_roles(
    case: schemathesis.Case, app: FastAPI, known_ids: dict[str, str], token: str
) -> None:
    call_without_server_error(case, app, known_ids, token)


# --------------------------------------------------------------------------------------------------
# Explicit bad input: a 4xx with a readable detail, and nothing changed
# --------------------------------------------------------------------------------------------------


def assert_refused(response: Any, *statuses: int) -> None:
    """A 4xx (one of ``statuses``) whose JSON ``detail`` explains the problem, with no traceback."""
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json"), response.headers
    assert "Traceback" not in response.text and 'File "' not in response.text
    detail = response.json()["detail"]
    if isinstance(detail, str):
        assert len(detail.strip()) > 5 and "\n" not in detail.strip(), detail
    else:  # FastAPI's validation errors: a list of {loc, msg, ...}
        assert isinstance(detail, list) and detail, detail
        assert all(isinstance(e, dict) and e.get("msg") and e.get("loc") for e in detail), detail


def state(client: TestClient) -> dict[str, Any]:
    """What bad requests must never change."""
    return {
        "notes": client.get(f"/v1/pairs/{PAIR}/notes", headers=auth("priya")).json(),
        "users": client.get("/v1/users", headers=auth("jonas")).json(),
        "pairs": client.get("/v1/pairs", headers=auth("jonas")).json(),
        "library": client.get("/v1/knowledge", headers=auth("priya")).json(),
        "conversations": client.get("/v1/conversations", headers=auth("priya")).json(),
    }


@pytest.fixture
def unchanged(client: TestClient) -> Iterator[None]:
    """Fails the test if the notes, users, pairs, library or conversations changed during it."""
    before = state(client)
    yield
    assert state(client) == before


@pytest.fixture(scope="module")
def own_note(client: TestClient) -> dict[str, Any]:
    """A note Priya wrote in her pair (the target of the edit tests)."""
    created = client.post(
        f"/v1/pairs/{PAIR}/notes",
        json={"date": "2026-11-21", "text": "We practised prompt writing for the board summary."},
        headers=auth("priya"),
    )
    assert created.status_code == 201, created.text
    return created.json()


def json_post(client: TestClient, path: str, raw: bytes, user: str = "priya") -> Any:
    return client.post(path, content=raw, headers={**auth(user), "Content-Type": "application/json"})


def test_body_over_the_size_limit_is_413(client: TestClient, unchanged: None) -> None:
    text = "x" * (MAX_BODY + 1)
    response = client.post(
        f"/v1/pairs/{PAIR}/notes", json={"date": "2026-11-22", "text": text}, headers=auth("priya")
    )
    assert_refused(response, 413)


def test_bad_content_length_is_refused(client: TestClient, unchanged: None) -> None:
    response = client.post(
        "/v1/ask",
        content=b'{"question": "How often should we meet?"}',
        headers={**auth("priya"), "Content-Type": "application/json", "Content-Length": "-1"},
    )
    assert_refused(response, 400, 413)


def test_chunked_body_over_the_size_limit_is_413(client: TestClient, unchanged: None) -> None:
    """Without a Content-Length the limit must still hold (the body arrives in chunks)."""

    def chunks() -> Iterator[bytes]:
        yield b'{"date": "2026-11-22", "text": "'
        for _ in range(MAX_BODY // (1024 * 1024) + 1):
            yield b"y" * (1024 * 1024)
        yield b'"}'

    response = client.post(
        f"/v1/pairs/{PAIR}/notes",
        content=chunks(),
        headers={**auth("priya"), "Content-Type": "application/json"},
    )
    assert_refused(response, 413)


@pytest.mark.parametrize(
    ("path", "body", "user"),
    [
        ("/v1/ask", {"question": "q" * 4001}, "priya"),
        ("/v1/coach", {"text": "c" * 4001}, "priya"),
        ("/v1/topics", {"pair_id": PAIR, "focus": "f" * 4001}, "priya"),
        ("/v1/chat", {"message": "m" * 4001}, "priya"),
        (f"/v1/pairs/{PAIR}/notes", {"date": "2026-11-22", "text": "n" * 20_001}, "priya"),
        ("/v1/users", {"name": "N" * 201, "role": "mentor"}, "jonas"),
        ("/v1/pairs", {"mentor_id": "priya", "executive_id": "martin", "goals": "g" * 2001}, "jonas"),
        ("/v1/topics", {"pair_id": "p" * 65}, "priya"),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": "m" * 20_001}]}, "priya"),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}] * 101}, "priya"),
    ],
)
def test_oversized_text_is_422(client: TestClient, unchanged: None, path: str, body: Any, user: str) -> None:
    assert_refused(client.post(path, json=body, headers=auth(user)), 422)


def test_oversized_note_edit_is_422(client: TestClient, own_note: dict[str, Any], unchanged: None) -> None:
    response = client.patch(f"/v1/notes/{own_note['id']}", json={"text": "n" * 20_001}, headers=auth("priya"))
    assert_refused(response, 422)


@pytest.mark.parametrize(
    ("path", "body", "user"),
    [
        ("/v1/ask", {"question": 42}, "priya"),
        ("/v1/ask", {"question": ["How often?"]}, "priya"),
        ("/v1/ask", {"question": None}, "priya"),
        ("/v1/ask", ["How often should we meet?"], "priya"),
        ("/v1/ask", "How often should we meet?", "priya"),
        ("/v1/topics", {"pair_id": PAIR, "count": "five"}, "priya"),
        ("/v1/topics", {"pair_id": PAIR, "count": 2.5}, "priya"),
        ("/v1/topics", {"pair_id": {"id": PAIR}}, "priya"),
        ("/v1/agenda", {"pair_id": PAIR, "minutes": "an hour"}, "priya"),
        ("/v1/chat", {"message": "hi", "stream": "maybe"}, "priya"),
        (f"/v1/pairs/{PAIR}/notes", {"date": 20261122, "text": "x"}, "priya"),
        (f"/v1/pairs/{PAIR}/notes", {"date": "2026-11-22", "text": {"body": "x"}}, "priya"),
        (f"/v1/pairs/{PAIR}/notes", {"date": "2026-11-22", "text": "x", "visibility": "everyone"}, "priya"),
        ("/v1/users", {"name": "Ada", "role": "ceo"}, "jonas"),
        ("/v1/users", {"name": 7, "role": "mentor"}, "jonas"),
        ("/v1/chat/completions", {"messages": "hello"}, "priya"),
        ("/v1/chat/completions", {"messages": [{"role": "wizard", "content": "hi"}]}, "priya"),
    ],
)
def test_wrong_types_are_422(client: TestClient, unchanged: None, path: str, body: Any, user: str) -> None:
    assert_refused(client.post(path, json=body, headers=auth(user)), 422)


@pytest.mark.parametrize(
    ("path", "body", "user"),
    [
        ("/v1/ask", {"question": "How often?", "k": 3}, "priya"),
        ("/v1/topics", {"pair_id": PAIR, "pair": PAIR}, "priya"),
        ("/v1/agenda", {"pair_id": PAIR, "minutes": 45, "mins": 45}, "priya"),
        ("/v1/brief", {"pair_id": PAIR, "as_user": "martin"}, "priya"),
        ("/v1/coach", {"text": "he cancels", "role": "admin"}, "priya"),
        ("/v1/chat", {"message": "hi", "user_id": "jonas"}, "priya"),
        (f"/v1/pairs/{PAIR}/notes", {"date": "2026-11-22", "text": "x", "author_id": "martin"}, "priya"),
        ("/v1/users", {"name": "Ada", "role": "mentor", "token": "chosen"}, "jonas"),
        ("/v1/pairs", {"mentor_id": "priya", "executive_id": "martin", "id": "mine"}, "jonas"),
    ],
)
def test_unknown_fields_are_422(client: TestClient, unchanged: None, path: str, body: Any, user: str) -> None:
    assert_refused(client.post(path, json=body, headers=auth(user)), 422)


def test_unknown_fields_in_a_note_edit_are_422(
    client: TestClient, own_note: dict[str, Any], unchanged: None
) -> None:
    response = client.patch(
        f"/v1/notes/{own_note['id']}", json={"pair_id": "kai-helen"}, headers=auth("priya")
    )
    assert_refused(response, 422)


@pytest.mark.parametrize(
    "date", ["2026-02-30", "2026-13-01", "2026-11-31", "0000-01-01", "yesterday", "", "26-1-1"]
)
def test_bad_dates_are_422(client: TestClient, own_note: dict[str, Any], unchanged: None, date: str) -> None:
    created = client.post(f"/v1/pairs/{PAIR}/notes", json={"date": date, "text": "x"}, headers=auth("priya"))
    assert_refused(created, 422)
    edited = client.patch(f"/v1/notes/{own_note['id']}", json={"date": date}, headers=auth("priya"))
    assert_refused(edited, 422)
    pair = client.post(
        "/v1/pairs",
        json={"mentor_id": "priya", "executive_id": "martin", "start_date": date},
        headers=auth("jonas"),
    )
    assert_refused(pair, 422)


@pytest.mark.parametrize("blank", ["", " ", "   \t\n  "])
def test_empty_and_whitespace_text_is_422(
    client: TestClient, own_note: dict[str, Any], unchanged: None, blank: str
) -> None:
    requests: list[tuple[str, str, dict[str, Any], str]] = [
        ("POST", "/v1/ask", {"question": blank}, "priya"),
        ("POST", "/v1/coach", {"text": blank}, "priya"),
        ("POST", "/v1/topics", {"pair_id": blank}, "priya"),
        ("POST", "/v1/topics", {"pair_id": PAIR, "focus": blank}, "priya"),
        ("POST", "/v1/agenda", {"pair_id": PAIR, "focus": blank}, "priya"),
        ("POST", "/v1/brief", {"pair_id": blank}, "martin"),
        ("POST", "/v1/chat", {"message": blank}, "priya"),
        ("POST", f"/v1/pairs/{PAIR}/notes", {"date": "2026-11-22", "text": blank}, "priya"),
        ("PATCH", f"/v1/notes/{own_note['id']}", {"text": blank}, "priya"),
        ("POST", "/v1/users", {"name": blank, "role": "mentor"}, "jonas"),
        ("POST", "/v1/pairs", {"mentor_id": blank, "executive_id": "martin"}, "jonas"),
        ("POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": blank}]}, "priya"),
    ]
    for method, path, body, user in requests:
        response = client.request(method, path, json=body, headers=auth(user))
        assert_refused(response, 422)


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/v1/ask", b'{"question": "How often \xff\xfe should we meet?"}'),
        (f"/v1/pairs/{PAIR}/notes", b'{"date": "2026-11-22", "text": "caf\xe9 \xc3\x28 chat"}'),
        ("/v1/chat", b'{"message": "\xed\xa0\x80"}'),  # an encoded lone surrogate is not UTF-8 either
        ("/v1/users", b'{"name": "\xc0\xaf", "role": "mentor"}'),
    ],
)
def test_invalid_utf8_is_refused(client: TestClient, unchanged: None, path: str, raw: bytes) -> None:
    assert_refused(json_post(client, path, raw, "jonas" if path == "/v1/users" else "priya"), 400, 422)


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/v1/ask", b'{"question": "a\\ud800b"}'),
        ("/v1/chat", b'{"message": "\\udc00"}'),
        (f"/v1/pairs/{PAIR}/notes", b'{"date": "2026-11-22", "text": "half \\ud83d of an emoji"}'),
        ("/v1/users", b'{"name": "\\ud800", "role": "mentor"}'),
    ],
)
def test_lone_surrogate_escapes_are_422(client: TestClient, unchanged: None, path: str, raw: bytes) -> None:
    """Valid JSON, but the string is no Unicode text: the validation error must still render."""
    assert_refused(json_post(client, path, raw, "jonas" if path == "/v1/users" else "priya"), 400, 422)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"question": ',
        b"{'question': 'single quotes'}",
        b'{"question": "x",}',
        b"",
        b"null",
        b"\x00\x01\x02",
    ],
)
def test_invalid_json_is_422(client: TestClient, unchanged: None, raw: bytes) -> None:
    assert_refused(json_post(client, "/v1/ask", raw), 400, 422)
    assert_refused(json_post(client, f"/v1/pairs/{PAIR}/notes", raw), 400, 422)


@pytest.mark.parametrize(
    ("method", "path", "body", "user"),
    [
        ("POST", "/v1/topics", {"pair_id": "no-such-pair"}, "priya"),
        ("POST", "/v1/agenda", {"pair_id": "no-such-pair"}, "priya"),
        ("POST", "/v1/brief", {"pair_id": "no-such-pair"}, "martin"),
        ("POST", "/v1/coach", {"text": "he cancels", "pair_id": "no-such-pair"}, "priya"),
        ("POST", "/v1/chat", {"message": "topic ideas?", "pair_id": "no-such-pair"}, "priya"),
        ("POST", "/v1/chat", {"message": "and for 60 minutes?", "conversation_id": "c-missing"}, "priya"),
        ("POST", "/v1/chat", {"message": "topics", "pair_id": "no-such-pair", "stream": True}, "priya"),
        ("POST", "/v1/chat", {"message": "more", "conversation_id": "c-missing", "stream": True}, "priya"),
        ("GET", "/v1/pairs/no-such-pair/notes", None, "priya"),
        ("POST", "/v1/pairs/no-such-pair/notes", {"date": "2026-11-22", "text": "x"}, "priya"),
        ("PATCH", "/v1/notes/n-missing", {"text": "x"}, "priya"),
        ("DELETE", "/v1/notes/n-missing", None, "priya"),
        ("GET", "/v1/conversations/c-missing", None, "priya"),
        ("POST", "/v1/pairs", {"mentor_id": "nobody", "executive_id": "martin"}, "jonas"),
    ],
)
def test_unknown_ids_are_404(
    client: TestClient, unchanged: None, method: str, path: str, body: Any, user: str
) -> None:
    assert_refused(client.request(method, path, json=body, headers=auth(user)), 404)


def test_unknown_pair_header_on_completions_is_404(client: TestClient, unchanged: None) -> None:
    response = client.post(
        "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "draft our agenda"}]},
        headers={**auth("priya"), "X-Pair-Id": "no-such-pair"},
    )
    assert_refused(response, 404)


ENDPOINTS = [
    ("GET", "/v1/me", None),
    ("POST", "/v1/ask", {"question": "How often should we meet?"}),
    ("POST", "/v1/topics", {"pair_id": PAIR}),
    ("GET", f"/v1/pairs/{PAIR}/notes", None),
    ("POST", f"/v1/pairs/{PAIR}/notes", {"date": "2026-11-22", "text": "x"}),
    ("GET", "/v1/users", None),
    ("GET", "/v1/knowledge", None),
    ("POST", "/v1/chat", {"message": "hi"}),
    ("GET", "/v1/models", None),
    ("POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}]}),
]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer"},
        {"Authorization": "demo-priya"},
        {"Authorization": "Basic ZGVtbzpwcml5YQ=="},
        {"Authorization": "Bearer DEMO-PRIYA"},
    ],
    ids=["missing", "wrong", "empty", "no-token", "no-scheme", "basic", "case"],
)
def test_missing_or_wrong_token_is_401(client: TestClient, unchanged: None, headers: dict[str, str]) -> None:
    for method, path, body in ENDPOINTS:
        response = client.request(method, path, json=body, headers=headers)
        assert_refused(response, 401)
        assert response.headers.get("www-authenticate", "").lower().startswith("bearer"), (path, headers)


@pytest.mark.parametrize(
    ("method", "path", "body", "users"),
    [
        ("GET", "/v1/users", None, ["priya", "martin"]),
        ("POST", "/v1/users", {"name": "New Person", "role": "admin"}, ["priya", "martin", "marisol"]),
        ("POST", "/v1/pairs", {"mentor_id": "priya", "executive_id": "helen"}, ["priya", "martin"]),
        ("GET", "/v1/audit", None, ["priya", "martin", "marisol"]),
        ("POST", "/v1/knowledge", None, ["priya", "martin"]),
    ],
)
def test_wrong_role_is_403(
    client: TestClient, unchanged: None, method: str, path: str, body: Any, users: list[str]
) -> None:
    for user in users:
        if path == "/v1/knowledge":
            files = {"files": ("extra.md", b"## Extra\nA rule only staff may add.", "text/markdown")}
            response = client.post(path, files=files, headers=auth(user))
        else:
            response = client.request(method, path, json=body, headers=auth(user))
        assert_refused(response, 403)


def broken_docx() -> bytes:
    """A ZIP that claims to be a DOCX but whose package XML is broken."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document")
    return buffer.getvalue()


NOT_DOCUMENTS = {
    "program.exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(range(256)),
    "photo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
    "archive.zip": b"PK\x05\x06" + bytes(18),
    "script.sh": b"#!/bin/sh\necho hello\n",
    "no-extension": b"## A heading\nSome text.",
    ".hidden.md": b"## A heading\nSome text.",
    "photo.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
    "zeros.txt": bytes(512),
    "empty.md": b"",
    "blank.txt": b"   \n\t\n",
    "fake.pdf": b"this is not a PDF at all",
    "truncated.pdf": b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF",
    "fake.docx": b"PK\x03\x04 this is not a DOCX",
    "broken.docx": broken_docx(),
    "bad-front-matter.md": b"---\ntitle: [unclosed\n---\n## Heading\nText.",
}


@pytest.mark.parametrize("name", list(NOT_DOCUMENTS))
def test_uploading_a_non_document_changes_nothing(
    client: TestClient, assistant: Assistant, unchanged: None, name: str
) -> None:
    files_before = (
        sorted(p.name for p in assistant.library_dir.glob("*")) if assistant.library_dir.exists() else []
    )
    response = client.post(
        "/v1/knowledge",
        files={"files": (name, NOT_DOCUMENTS[name], "application/octet-stream")},
        headers=auth("marisol"),
    )
    assert_refused(response, 400, 413, 415, 422)
    files_after = (
        sorted(p.name for p in assistant.library_dir.glob("*")) if assistant.library_dir.exists() else []
    )
    assert files_after == files_before


def test_one_bad_file_refuses_the_whole_upload(client: TestClient, unchanged: None) -> None:
    files = [
        ("files", ("good.md", b"## Good\nA fine guideline.", "text/markdown")),
        ("files", ("program.exe", NOT_DOCUMENTS["program.exe"], "application/octet-stream")),
    ]
    assert_refused(client.post("/v1/knowledge", files=files, headers=auth("marisol")), 422)


def test_upload_without_files_is_422(client: TestClient, unchanged: None) -> None:
    assert_refused(client.post("/v1/knowledge", data={"other": "1"}, headers=auth("marisol")), 422)
    assert_refused(
        client.post("/v1/knowledge", json={"files": ["a.md"]}, headers=auth("marisol")), 400, 415, 422
    )


def test_editing_or_deleting_someone_elses_note_is_refused(
    client: TestClient, own_note: dict[str, Any], unchanged: None
) -> None:
    note_id = own_note["id"]
    for user, status in (("martin", 403), ("kai", 404), ("marisol", 404), ("jonas", 404)):
        assert_refused(
            client.patch(f"/v1/notes/{note_id}", json={"text": "rewritten"}, headers=auth(user)), status
        )
        assert_refused(client.delete(f"/v1/notes/{note_id}", headers=auth(user)), status)
    notes = {n["id"]: n for n in client.get(f"/v1/pairs/{PAIR}/notes", headers=auth("priya")).json()}
    assert notes[note_id] == own_note


@pytest.mark.parametrize("minutes", [0, 29, 121, -45, 10**20, 45.5, "45 minutes", None])
def test_agenda_minutes_out_of_range_is_422(client: TestClient, unchanged: None, minutes: Any) -> None:
    response = client.post("/v1/agenda", json={"pair_id": PAIR, "minutes": minutes}, headers=auth("priya"))
    assert_refused(response, 422)


@pytest.mark.parametrize("count", [0, 11, -1, 10**20])
def test_topic_count_out_of_range_is_422(client: TestClient, unchanged: None, count: int) -> None:
    response = client.post("/v1/topics", json={"pair_id": PAIR, "count": count}, headers=auth("priya"))
    assert_refused(response, 422)


def test_completions_must_end_with_a_user_message(client: TestClient, unchanged: None) -> None:
    for messages in (
        [{"role": "assistant", "content": "hello"}],
        [{"role": "system", "content": "be brief"}],
        [],
    ):
        response = client.post("/v1/chat/completions", json={"messages": messages}, headers=auth("priya"))
        assert_refused(response, 422)


# --------------------------------------------------------------------------------------------------
# Concurrency
# --------------------------------------------------------------------------------------------------


SUBJECTS = [
    "we drafted board minutes with Copilot and checked every figure by hand",
    "Martin shadowed the night shift at the Rotterdam depot",
    "we compared TikTok and LinkedIn for reaching graduate drivers",
    "Priya walked through how the pricing committee signs off discounts",
    "we practised giving feedback on a slide deck without softening it",
    "Martin tried the route-planning dashboard on his phone",
    "we talked about hybrid work rules for warehouse supervisors",
    "Priya asked how the acquisition of a rival carrier was negotiated",
    "we set up a shared Teams channel for the pilot",
    "Martin explained how safety incidents are reported to the board",
]


def test_concurrent_note_writes_are_all_stored_and_searchable(app: FastAPI, assistant: Assistant) -> None:
    threads, per_thread = 8, 10
    before = {n["id"] for n in assistant.list_notes(PAIR)}
    created: list[tuple[str, str]] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def write(t: int) -> None:
        local = TestClient(app, raise_server_exceptions=False)
        start.wait()
        for i in range(per_thread):
            marker = f"zq{t}k{i}v"
            response = local.post(
                f"/v1/pairs/{PAIR}/notes",
                json={"date": f"2026-10-{i + 1:02d}", "text": f"Note {marker}: {SUBJECTS[i]}"},
                headers=auth("priya" if t % 2 == 0 else "martin"),
            )
            with lock:
                if response.status_code == 201:
                    created.append((response.json()["id"], marker))
                else:
                    errors.append(f"{response.status_code} {response.text[:200]}")

    workers = [threading.Thread(target=write, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert not errors, errors
    assert len(created) == threads * per_thread and len({i for i, _ in created}) == threads * per_thread

    stored = {n["id"]: n for n in assistant.list_notes(PAIR)}
    assert {i for i, _ in created} <= set(stored) and len(stored) == len(before) + threads * per_thread
    indexed = {m.get("note_id") for m in assistant.index.collection("notes").get()["metadatas"]}
    assert {i for i, _ in created} <= indexed, "every stored note is in the index"
    for note_id, marker in created:
        assert marker in stored[note_id]["text"]
        text = stored[note_id]["text"]
        for mode in ("hybrid", "bm25"):
            hits = assistant.search(text, k=10, as_user="priya", mode=mode)
            assert any(h.meta.get("note_id") == note_id for h in hits), (note_id, mode)
