"""The HTTP API with the demo users: tasks, notes, administration, chat and the OpenAI-compatible endpoint."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.slots import Slots
from assistant.chat import Chat
from assistant.core import Assistant
from assistant.guide import Guide
from tests.conftest import Copier, auth, run_async, serving


@pytest.fixture(scope="module")
def assistant(demo_copy: Copier) -> Assistant:
    """A writable demo program of this module's own."""
    return demo_copy("api-home")


@pytest.fixture(scope="module")
def client(assistant: Assistant) -> TestClient:
    return TestClient(create_app(assistant, Guide(assistant, model=None)))


@pytest.fixture(scope="module")
def server(assistant: Assistant) -> Iterator[str]:
    """The app on a real loopback port (for the official OpenAI client)."""
    with serving(assistant) as url:
        yield f"{url}/v1"


def test_health_needs_no_token(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["provider"] == "offline" and body["index"]["notes"] > 0


def test_search_covers_the_guidelines_and_only_the_notes_the_caller_may_read(client: TestClient) -> None:
    query = {"query": "practice Copilot workspace with dummy documents", "k": 10}
    for mode in ("hybrid", "dense", "bm25"):
        mine = client.post("/v1/search", json={**query, "mode": mode}, headers=auth("priya"))
        assert mine.status_code == 200
        notes = [h for h in mine.json() if h["kind"] == "note"]
        assert notes and {h["pair_id"] for h in notes} == {"priya-martin"}, mode
        other = client.post("/v1/search", json={**query, "mode": mode}, headers=auth("kai")).json()
        assert all(h["pair_id"] != "priya-martin" for h in other), mode
    admin = client.post("/v1/search", json={"query": "how often should pairs meet"}, headers=auth("jonas"))
    assert admin.status_code == 200 and {h["kind"] for h in admin.json()} == {"guideline"}  # reads no notes
    fuzzy = client.post("/v1/search", json={"query": "x", "mode": "fuzzy"}, headers=auth("priya"))
    assert fuzzy.status_code == 422
    assert client.post("/v1/search", json={"query": "x"}).status_code == 401


def test_tasks_with_the_same_schemas_as_the_cli(client: TestClient) -> None:
    answer = client.post("/v1/ask", json={"question": "How often should pairs meet?"}, headers=auth("priya"))
    assert answer.status_code == 200 and answer.json()["citations"] and answer.json()["mode"] == "offline"
    fuller = client.post(
        "/v1/ask", json={"question": "How often should pairs meet?", "detail": True}, headers=auth("priya")
    )
    assert fuller.status_code == 200 and len(fuller.json()["answer"]) > len(answer.json()["answer"])
    topics = client.post("/v1/topics", json={"pair_id": "priya-martin", "count": 3}, headers=auth("priya"))
    assert topics.status_code == 200 and len(topics.json()["topics"]) == 3
    coach = client.post(
        "/v1/coach", json={"text": "she cancelled again", "pair_id": "kai-helen"}, headers=auth("kai")
    )
    assert coach.status_code == 200 and coach.json()["steps"]
    agenda = client.post("/v1/agenda", json={"pair_id": "kai-helen", "minutes": 30}, headers=auth("helen"))
    assert agenda.status_code == 200 and sum(i["minutes"] for i in agenda.json()["items"]) == 30
    brief = client.post("/v1/brief", json={"pair_id": "kai-helen"}, headers=auth("helen"))
    assert brief.status_code == 200 and brief.json()["open_actions"]


@pytest.mark.parametrize(
    ("method", "path", "body", "user", "status"),
    [
        ("post", "/v1/ask", {"question": "cadence?"}, None, 401),
        ("post", "/v1/ask", {"question": "cadence?"}, "nobody", 401),
        ("post", "/v1/topics", {"pair_id": "kai-helen"}, "priya", 404),
        ("post", "/v1/brief", {"pair_id": "kai-helen"}, "marisol", 404),
        ("post", "/v1/agenda", {"pair_id": "no-such-pair"}, "priya", 404),
        ("get", "/v1/pairs/kai-helen/notes", None, "priya", 404),
        ("post", "/v1/pairs/kai-helen/notes", {"date": "2026-11-20", "text": "x"}, "priya", 404),
        ("get", "/v1/users", None, "priya", 403),
        ("post", "/v1/users", {"name": "New Person", "role": "mentor"}, "marisol", 403),
        ("get", "/v1/audit", None, "marisol", 403),
        ("post", "/v1/pairs", {"mentor_id": "priya", "executive_id": "helen"}, "kai", 403),
        ("post", "/v1/agenda", {"pair_id": "kai-helen", "minutes": 10}, "kai", 422),
        ("post", "/v1/ask", {"question": "cadence?", "extra": 1}, "kai", 422),
        # Values the schemas would once coerce or the store accepted and later choked on.
        ("post", "/v1/topics", {"pair_id": "kai-helen", "count": True}, "kai", 422),
        ("post", "/v1/topics", {"pair_id": "kai-helen", "count": "3"}, "kai", 422),
        ("post", "/v1/chat", {"message": "hi", "stream": 0}, "kai", 422),
        ("post", "/v1/chat", {"message": "any ideas for Thursday \u0000?"}, "kai", 422),
        ("post", "/v1/chat", {"message": "he keeps cancelling \u0000", "stream": True}, "kai", 422),
        ("post", "/v1/pairs/kai-helen/notes", {"date": "9999-12-31", "text": "typo"}, "kai", 422),
        ("post", "/v1/pairs/kai-helen/notes", {"date": 1767225600, "text": "a timestamp"}, "kai", 422),
        ("patch", "/v1/notes/kai-helen-01", {"date": "9999-12-31"}, "kai", 422),
        (
            "post",
            "/v1/pairs",
            {"mentor_id": "kai", "executive_id": "martin", "start_date": "9999-12-31"},
            "marisol",
            422,
        ),
        (
            "post",
            "/v1/pairs",
            {"mentor_id": "priya", "executive_id": "martin", "start_date": "2026-05-01"},
            "marisol",
            422,
        ),
        (
            "post",
            "/v1/chat/completions",
            {"messages": [{"role": "user", "content": [{"type": "text", "text": {"a": 1}}]}]},
            "kai",
            422,
        ),
    ],
)
def test_access_and_validation_errors(
    client: TestClient, method: str, path: str, body: dict[str, object] | None, user: str | None, status: int
) -> None:
    headers = auth(user) if user else {}
    response = client.request(method.upper(), path, json=body, headers=headers)
    assert response.status_code == status, response.text
    assert isinstance(response.json()["detail"], str | list)


def test_note_lifecycle_is_searchable_and_author_only(client: TestClient) -> None:
    created = client.post(
        "/v1/pairs/noor-ingrid/notes",
        json={
            "date": "2026-11-21",
            "text": "We tried the heliotrope roster board together.",
            "visibility": "pair",
        },
        headers=auth("noor"),
    )
    assert created.status_code == 201
    note_id = created.json()["id"]
    coach = client.post(
        "/v1/coach",
        json={"text": "the heliotrope roster board confused us", "pair_id": "noor-ingrid"},
        headers=auth("ingrid"),
    )
    assert any(c["note_id"] == note_id for c in coach.json()["citations"]), (
        "a stored note is found next request"
    )
    assert (
        client.patch(f"/v1/notes/{note_id}", json={"text": "changed"}, headers=auth("ingrid")).status_code
        == 403
    )
    assert client.patch(f"/v1/notes/{note_id}", json={"text": "x"}, headers=auth("priya")).status_code == 404
    edited = client.patch(f"/v1/notes/{note_id}", json={"visibility": "private"}, headers=auth("noor"))
    assert edited.status_code == 200 and edited.json()["visibility"] == "private"
    listed = client.get("/v1/pairs/noor-ingrid/notes", headers=auth("ingrid")).json()
    assert note_id not in {n["id"] for n in listed}
    assert client.delete(f"/v1/notes/{note_id}", headers=auth("noor")).status_code == 204
    assert client.delete(f"/v1/notes/{note_id}", headers=auth("noor")).status_code == 404


def test_coordinators_see_program_notes_only(client: TestClient) -> None:
    notes = client.get("/v1/pairs/kai-helen/notes", headers=auth("marisol")).json()
    assert notes and {n["visibility"] for n in notes} == {"program"}


def test_administration(client: TestClient, tmp_path: Path) -> None:
    user = client.post("/v1/users", json={"name": "Rosa Mentor", "role": "mentor"}, headers=auth("jonas"))
    assert user.status_code == 201 and user.json()["token"]
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {user.json()['token']}"}).json()
    assert me["role"] == "mentor" and me["pairs"] == []
    pair = client.post(
        "/v1/pairs", json={"mentor_id": user.json()["id"], "executive_id": "martin"}, headers=auth("marisol")
    )
    assert pair.status_code == 201
    assert any(p["id"] == pair.json()["id"] for p in client.get("/v1/pairs", headers=auth("marisol")).json())
    upload = client.post(
        "/v1/knowledge",
        files={
            "files": ("travel.md", b"---\ntitle: Travel\n---\n## Meeting across sites\nAlternate offices.")
        },
        headers=auth("marisol"),
    )
    assert upload.status_code == 201 and upload.json()["embedded"] == 1
    library = client.get("/v1/knowledge", headers=auth("priya")).json()
    assert any(d["source"] == "travel.md" and d["uploaded"] for d in library)
    hits = client.post(
        "/v1/ask", json={"question": "Should we alternate offices across sites?"}, headers=auth("priya")
    )
    assert any(c["source"] == "travel.md" for c in hits.json()["citations"])
    for name, data in (
        ("x.exe", b"MZ"),
        ("only-front-matter.md", b"---\n---\n"),
        ("odd-tags.md", b"---\ntags: {a: 1}\n---\nText."),
    ):
        bad = client.post("/v1/knowledge", files={"files": (name, data)}, headers=auth("marisol"))
        assert bad.status_code == 422, name
    assert len(client.get("/v1/knowledge", headers=auth("priya")).json()) == len(library)
    assert client.get("/v1/audit", headers=auth("jonas")).json()


def test_chat_routes_and_remembers(client: TestClient) -> None:
    cases = {
        "any ideas for Thursday?": "topics",
        "can you draft the agenda": "agenda",
        "how often should we meet?": "ask",
        "he keeps cancelling": "coach",
    }
    for message, task in cases.items():
        reply = client.post("/v1/chat", json={"message": message}, headers=auth("priya")).json()
        assert reply["task"] == task, message
        assert reply["message"] and reply["payload"]
    first = client.post(
        "/v1/chat", json={"message": "draft a 30 minute agenda"}, headers=auth("priya")
    ).json()
    follow = client.post(
        "/v1/chat",
        json={"message": "what about 60 minutes?", "conversation_id": first["conversation_id"]},
        headers=auth("priya"),
    ).json()
    assert follow["task"] == "agenda" and follow["payload"]["minutes"] == 60
    assert sum(i["minutes"] for i in follow["payload"]["items"]) == 60
    assert follow["payload"]["title"].replace("60", "30") == first["payload"]["title"], "the same agenda"
    history = client.get(f"/v1/conversations/{first['conversation_id']}", headers=auth("priya")).json()
    assert [m["role"] for m in history["messages"]] == ["user", "assistant", "user", "assistant"]
    assert client.get(f"/v1/conversations/{first['conversation_id']}", headers=auth("kai")).status_code == 404
    coordinator = client.post(
        "/v1/chat", json={"message": "any topic ideas?"}, headers=auth("marisol")
    ).json()
    # A coordinator is in no pair: told that topics are for a pair's members, not asked to choose.
    assert coordinator["task"] == "topics" and coordinator["payload"] is None
    assert "pair" in coordinator["message"]


def test_chat_streams_server_sent_events(client: TestClient) -> None:
    with client.stream(
        "POST",
        "/v1/chat",
        json={"message": "she keeps checking her phone", "stream": True},
        headers=auth("noor"),
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    events = [block for block in text.split("\n\n") if block]
    assert events[0].startswith("event: section") and events[-1].startswith("event: done")
    final = json.loads(events[-1].split("data: ", 1)[1])
    assert final["task"] == "coach" and final["citations"]


def test_openai_client_plain_and_streaming(server: str) -> None:
    client = openai.OpenAI(base_url=server, api_key="demo-kai")
    assert [m.id for m in client.models.list()] == ["mentor-assistant"]
    completion = client.chat.completions.create(
        model="mentor-assistant", messages=[{"role": "user", "content": "How often should pairs meet?"}]
    )
    text = completion.choices[0].message.content or ""
    assert "Cadence" in text or "month" in text
    stream = client.chat.completions.create(
        model="mentor-assistant",
        messages=[{"role": "user", "content": "he keeps cancelling on me"}],
        stream=True,
    )
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream]
    assert len(pieces) > 3 and "Cancellations" in "".join(pieces)
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=server, api_key="wrong").chat.completions.create(
            model="mentor-assistant", messages=[{"role": "user", "content": "hi"}]
        )


def test_answers_follow_changes_at_once(client: TestClient) -> None:
    """Identity and search results are cached; a change made through the API is seen at once."""
    made = {
        role: client.post(
            "/v1/users", json={"name": f"New {role}", "role": role}, headers=auth("jonas")
        ).json()
        for role in ("mentor", "executive")
    }
    mentor = {"Authorization": f"Bearer {made['mentor']['token']}"}
    executive = {"Authorization": f"Bearer {made['executive']['token']}"}
    assert client.get("/v1/me", headers=mentor).json()["pairs"] == []
    pair = client.post(
        "/v1/pairs",
        json={"mentor_id": made["mentor"]["id"], "executive_id": made["executive"]["id"]},
        headers=auth("marisol"),
    ).json()["id"]
    assert client.post("/v1/topics", json={"pair_id": pair, "count": 2}, headers=mentor).status_code == 200
    note = client.post(
        f"/v1/pairs/{pair}/notes",
        json={"date": "2026-11-22", "text": "We sketched the zephyrine rota board together."},
        headers=mentor,
    ).json()["id"]

    def cited() -> set[str]:
        body = {"text": "the zephyrine rota board confused us", "pair_id": pair}
        return {
            c["note_id"] for c in client.post("/v1/coach", json=body, headers=executive).json()["citations"]
        }

    assert note in cited()
    assert cited() == cited(), "the same request gives the same answer"
    client.patch(f"/v1/notes/{note}", json={"visibility": "private"}, headers=mentor)
    assert note not in cited(), "a note made private stops feeding the partner's answers at once"
    audit = client.get("/v1/audit", headers=auth("jonas")).json()
    assert any(e["user_id"] == made["executive"]["id"] and note in e["note_ids"] for e in audit)


def test_unknown_addresses_get_a_page_in_a_browser_and_json_elsewhere(client: TestClient) -> None:
    page = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Not found" in page.text and "There is no page at this address." in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    api = client.get("/v1/no-such-endpoint", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    assert client.get("/no/such/page").json() == {"detail": "Not Found"}
    assert client.post("/health").status_code == 405  # other HTTP errors keep FastAPI's answer


def test_guidance_calls_take_turns() -> None:
    slots, running, peak, lock = Slots(2), 0, 0, threading.Lock()

    def work() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)
        with lock:
            running -= 1

    async def many() -> None:
        await asyncio.gather(*(slots.run(work) for _ in range(6)))

    run_async(many())
    assert peak == 2
    assert Slots.for_provider("offline").size == (os.cpu_count() or 1) + 1
    assert Slots.for_provider("openai").size > 16, "a model answers over the network: many may wait"


def test_chat_stores_the_audit_entry_with_the_turn(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = Chat(Guide(assistant, model=None))
    before = len(assistant.audit_log(1000))
    reply = chat.reply("priya", "any ideas for Thursday?")
    log = assistant.audit_log(1000)
    assert len(log) == before + 1 and (log[0]["user_id"], log[0]["action"]) == ("priya", "topics")
    assert set(log[0]["note_ids"]) == {c["note_id"] for c in reply.citations if c["kind"] == "note"}

    class Broken:
        @staticmethod
        def dumps(_value: object) -> str:
            raise RuntimeError("disk full")

    monkeypatch.setattr("assistant.chat.json", Broken)
    with pytest.raises(RuntimeError, match="disk full"):
        chat.reply("priya", "any ideas for Thursday?")
    assert len(assistant.audit_log(1000)) == before + 2, "the turn was not stored; its audit entry was"


def test_a_refused_chat_message_changes_nothing(client: TestClient) -> None:
    new = {"name": "Lee Mentor", "role": "mentor"}
    mentor = client.post("/v1/users", json=new, headers=auth("jonas")).json()
    token = {"Authorization": f"Bearer {mentor['token']}"}
    executives, pairs = [], []
    for name in ("Ada Exec", "Bo Exec"):
        executive = client.post("/v1/users", json={"name": name, "role": "executive"}, headers=auth("jonas"))
        executives.append(executive.json()["id"])
        body = {"mentor_id": mentor["id"], "executive_id": executives[-1]}
        pairs.append(client.post("/v1/pairs", json=body, headers=auth("marisol")).json()["id"])
    first = client.post(
        "/v1/chat", json={"message": "how often should we meet?", "pair_id": pairs[0]}, headers=token
    )
    conversation = first.json()["conversation_id"]
    refused = client.post(
        "/v1/chat",
        json={"message": "he keeps cancelling \u0000", "pair_id": pairs[1], "conversation_id": conversation},
        headers=token,
    )
    assert refused.status_code == 422 and "message" in refused.json()["detail"]
    listed = client.get("/v1/conversations", headers=token).json()
    assert [(c["id"], c["pair_id"]) for c in listed] == [(conversation, pairs[0])]
    assert len(client.get(f"/v1/conversations/{conversation}", headers=token).json()["messages"]) == 2
    later = {"mentor_id": mentor["id"], "executive_id": executives[0], "start_date": "2099-01-01"}
    assert client.post("/v1/pairs", json=later, headers=auth("marisol")).status_code == 201  # a later cycle


@pytest.mark.parametrize("query", ["date=0001-01-01", "date=9999-12-31", "time=10:00%2B05:00"])
def test_calendar_file_refuses_dates_and_times_it_cannot_write(client: TestClient, query: str) -> None:
    response = client.get(f"/pairs/kai-helen/brief.ics?{query}", headers=auth("kai"))
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert client.get("/pairs/kai-helen/brief.ics?date=2026-12-01", headers=auth("kai")).status_code == 200


def test_a_note_written_again_word_for_word_is_found_first(server: str) -> None:
    """Identical notes tie on every score; the newest ranks first, so an acknowledged note is
    found by its own words at once however many copies came before it (bench/engines.py's
    probes, rerun on a data folder with the same seed, missed notes when the tie went to an
    older copy)."""
    text = "We rehearsed the quarterly town hall opening with the heliograph slides."
    query = {"query": f"Session note 2026-11-23\n{text}", "k": 1, "mode": "dense"}
    with httpx.Client(base_url=server, headers=auth("noor"), timeout=30) as http:
        for _ in range(6):
            body = {"date": "2026-11-23", "text": text, "visibility": "pair"}
            written = http.post("/pairs/noor-ingrid/notes", json=body)
            assert written.status_code == 201
            hits = http.post("/search", json=query).json()
            assert [h["note_id"] for h in hits] == [written.json()["id"]]
