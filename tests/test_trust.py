"""Trust (issue 13): what was revoked stays revoked, and confidential text stays where it belongs."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.conversations import REVOKED
from assistant.core import Assistant
from assistant.guide import Guide
from tests.conftest import Copier

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
