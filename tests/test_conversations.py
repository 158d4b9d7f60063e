"""Stored conversations: each turn's HTML, task, mode and citations; renaming and deleting, owner only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from assistant import conversations
from assistant.core import Assistant
from assistant.errors import InvalidInput, NotFound
from assistant.guide import Guide
from assistant.store import Conversation, Message
from tests.conftest import Copier, auth


@pytest.fixture(scope="module")
def assistant(demo_copy: Copier) -> Assistant:
    """A writable demo program of this module's own."""
    return demo_copy("conversations-home")


@pytest.fixture(scope="module")
def client(assistant: Assistant) -> TestClient:
    return TestClient(create_app(assistant, Guide(assistant, model=None)))


def start(client: TestClient, user: str = "priya", message: str = "he keeps cancelling") -> str:
    reply = client.post("/v1/chat", json={"message": message}, headers=auth(user))
    assert reply.status_code == 200, reply.text
    return str(reply.json()["conversation_id"])


def stored(assistant: Assistant, conversation_id: str) -> tuple[str | None, int]:
    """The conversation's title (None when gone) and how many messages it still has."""
    with assistant.session(write=False) as session:
        found = session.get(Conversation, conversation_id)
        count = session.scalar(
            select(func.count()).select_from(Message).where(Message.conversation_id == conversation_id)
        )
        return (found.title if found else None), int(count or 0)


def test_a_reply_carries_its_answer_as_sanitised_html(client: TestClient) -> None:
    reply = client.post("/v1/chat", json={"message": "he keeps cancelling"}, headers=auth("priya")).json()
    assert reply["html"].startswith("<p>") and "<li>" in reply["html"]
    assert "Sources:" not in reply["html"], "citations are shown as links, not as text"
    with client.stream(
        "POST", "/v1/chat", json={"message": "who can see our notes?", "stream": True}, headers=auth("priya")
    ) as response:
        events = response.read().decode().split("\n\n")
    done = next(json.loads(e.split("data: ", 1)[1]) for e in events if e.startswith("event: done"))
    assert done["html"].startswith("<p>") and "Sources:" not in done["html"]


def test_a_conversation_reads_back_with_html_mode_and_citations(client: TestClient) -> None:
    reply = client.post(
        "/v1/chat", json={"message": "he keeps <b>cancelling</b>"}, headers=auth("priya")
    ).json()
    body = client.get(f"/v1/conversations/{reply['conversation_id']}", headers=auth("priya")).json()
    user, answer = body["messages"]
    assert user == {
        "role": "user",
        "content": "he keeps <b>cancelling</b>",
        "html": "<p>he keeps &lt;b&gt;cancelling&lt;/b&gt;</p>",
    }
    assert answer["task"] == reply["task"] and answer["mode"] == reply["mode"] == "offline"
    assert answer["fallback_reason"] is None
    assert answer["citations"] and answer["citations"] == reply["citations"]
    assert answer["content"] == reply["message"] and answer["html"] == reply["html"]
    assert "<li>" in answer["html"] and "Sources:" not in answer["html"]


def test_an_answer_without_a_stored_result_has_no_mode_or_citations(assistant: Assistant) -> None:
    with assistant.session() as session:
        session.add(Conversation(id="c-plain", user_id="marisol", title="Plain"))
        session.flush()
        session.add_all(
            [
                Message(conversation_id="c-plain", role="user", content="any topic ideas?"),
                Message(conversation_id="c-plain", role="assistant", content="Which pair?", task="clarify"),
                Message(conversation_id="c-plain", role="assistant", content="Odd", task="ask", payload="{"),
            ]
        )
    turns = conversations.turns(assistant, "c-plain", "marisol")
    assert [t["role"] for t in turns] == ["user", "assistant", "assistant"]
    for turn in turns[1:]:
        assert turn["mode"] is None and turn["citations"] == [] and turn["pair_id"] is None
    assert turns[1]["task"] == "clarify"
    with pytest.raises(NotFound):
        conversations.turns(assistant, "c-plain", "priya")


def test_rename_your_own_conversation(client: TestClient, assistant: Assistant) -> None:
    conversation_id = start(client)
    renamed = client.patch(
        f"/v1/conversations/{conversation_id}",
        json={"title": "  Martin keeps\ncancelling   sessions "},
        headers=auth("priya"),
    )
    assert renamed.status_code == 200
    assert renamed.json()["title"] == "Martin keeps cancelling sessions"
    assert renamed.json()["id"] == conversation_id
    listed = client.get("/v1/conversations", headers=auth("priya")).json()
    assert {c["id"]: c["title"] for c in listed}[conversation_id] == "Martin keeps cancelling sessions"
    assert stored(assistant, conversation_id) == ("Martin keeps cancelling sessions", 2)
    longest = "x" * 200
    assert (
        client.patch(
            f"/v1/conversations/{conversation_id}", json={"title": longest}, headers=auth("priya")
        ).json()["title"]
        == longest
    )


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"title": ""}, "The title must not be empty."),
        ({"title": "   \n\t "}, "The title must not be empty."),
        ({"title": "x" * 201}, "The title is longer than 200 characters."),
        ({"title": "a\x00b"}, "The title contains a NUL character."),
        ({"title": 42}, "body.title"),
        ({}, "body.title"),
        ({"title": "ok", "extra": 1}, "body.extra"),
    ],
)
def test_a_bad_title_is_refused_and_nothing_changes(
    client: TestClient, assistant: Assistant, body: dict[str, Any], detail: str
) -> None:
    conversation_id = start(client)
    before = stored(assistant, conversation_id)
    response = client.patch(f"/v1/conversations/{conversation_id}", json=body, headers=auth("priya"))
    assert response.status_code == 422
    assert detail in response.json()["detail"]
    assert stored(assistant, conversation_id) == before


def test_someone_elses_conversation_cannot_be_renamed_or_deleted(
    client: TestClient, assistant: Assistant
) -> None:
    conversation_id = start(client, "priya")
    before = stored(assistant, conversation_id)
    for user in ("kai", "marisol", "jonas"):
        rename = client.patch(
            f"/v1/conversations/{conversation_id}", json={"title": "Mine"}, headers=auth(user)
        )
        assert rename.status_code == 404, user
        assert rename.json()["detail"] == f"There is no conversation {conversation_id!r}."
        assert client.delete(f"/v1/conversations/{conversation_id}", headers=auth(user)).status_code == 404
        assert client.get(f"/v1/conversations/{conversation_id}", headers=auth(user)).status_code == 404
    assert stored(assistant, conversation_id) == before
    for method in ("patch", "delete"):
        missing = client.request(
            method, "/v1/conversations/c-missing", json={"title": "x"}, headers=auth("priya")
        )
        assert missing.status_code == 404
        assert (
            client.request(method, f"/v1/conversations/{conversation_id}", json={"title": "x"}).status_code
            == 401
        )
    assert stored(assistant, conversation_id) == before


def test_delete_your_own_conversation_with_its_messages(client: TestClient, assistant: Assistant) -> None:
    keep = start(client, "priya", "how often should we meet?")
    gone = start(client, "priya")
    client.post(
        "/v1/chat",
        json={"message": "what if he cancels again", "conversation_id": gone},
        headers=auth("priya"),
    )
    assert stored(assistant, gone)[1] == 4
    response = client.delete(f"/v1/conversations/{gone}", headers=auth("priya"))
    assert response.status_code == 204 and response.content == b""
    assert stored(assistant, gone) == (None, 0)
    assert client.get(f"/v1/conversations/{gone}", headers=auth("priya")).status_code == 404
    assert client.delete(f"/v1/conversations/{gone}", headers=auth("priya")).status_code == 404
    listed = [c["id"] for c in client.get("/v1/conversations", headers=auth("priya")).json()]
    assert gone not in listed and keep in listed
    assert stored(assistant, keep)[1] == 2
    followed = client.post(
        "/v1/chat", json={"message": "and then?", "conversation_id": gone}, headers=auth("priya")
    )
    assert followed.status_code == 404


def test_the_library_refuses_what_the_api_refuses(assistant: Assistant) -> None:
    with assistant.session() as session:
        session.add(Conversation(id="c-lib", user_id="kai", title="Before"))
    with pytest.raises(InvalidInput, match="must not be empty"):
        conversations.rename(assistant, "c-lib", "kai", " ")
    with pytest.raises(NotFound):
        conversations.rename(assistant, "c-lib", "helen", "Theirs")
    with pytest.raises(NotFound):
        conversations.delete(assistant, "c-lib", "helen")
    assert conversations.list_for(assistant, "kai")[0]["title"] == "Before"
    conversations.delete(assistant, "c-lib", "kai")
    assert "c-lib" not in [c["id"] for c in conversations.list_for(assistant, "kai")]


def test_cookie_renames_and_deletes_must_come_from_this_site(
    client: TestClient, assistant: Assistant
) -> None:
    conversation_id = start(client)
    before = stored(assistant, conversation_id)
    signed_in = client.post(
        "/signin",
        data={"token": "demo-priya"},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303 and "assistant_session" in client.cookies
    try:
        evil = {"Origin": "https://evil.example"}
        path = f"/v1/conversations/{conversation_id}"
        assert client.patch(path, json={"title": "Pwned"}, headers=evil).status_code == 403
        assert client.delete(path, headers=evil).status_code == 403
        assert stored(assistant, conversation_id) == before
        here = {"Origin": "http://testserver"}
        assert client.patch(path, json={"title": "From the page"}, headers=here).status_code == 200
        assert client.delete(path, headers=here).status_code == 204
    finally:
        client.cookies.clear()
