"""Sessions as records: plan, hold, cancel and move; notes that belong to them; who may do what."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.core import Assistant
from assistant.guide import Guide
from tests.conftest import CliRun, Copier, auth

pytestmark = pytest.mark.engines  # the store's rules, on SQLite and on PostgreSQL

AHEAD = (dt.date.today() + dt.timedelta(days=30)).isoformat()
PAST = (dt.date.today() - dt.timedelta(days=3)).isoformat()


@pytest.fixture(scope="module")
def assistant(demo_copy: Copier) -> Assistant:
    return demo_copy("sessions")


@pytest.fixture(scope="module")
def client(assistant: Assistant) -> TestClient:
    return TestClient(create_app(assistant, Guide(assistant, model=None)), raise_server_exceptions=False)


def plan(client: TestClient, user: str, pair: str, start: str, **extra: Any) -> Any:
    return client.post(f"/v1/pairs/{pair}/sessions", json={"starts_at": start, **extra}, headers=auth(user))


def days_ago(n: int) -> str:
    return (dt.date.today() - dt.timedelta(days=n)).isoformat()


def sessions_of(client: TestClient, user: str, pair: str) -> list[dict[str, Any]]:
    r = client.get(f"/v1/pairs/{pair}/sessions", headers=auth(user))
    assert r.status_code == 200, r.text
    return list(r.json())


def test_the_demo_sessions_are_records(client: TestClient) -> None:
    kai = sessions_of(client, "kai", "kai-helen")
    cancelled = [s for s in kai if s["status"] == "cancelled"]
    assert len(cancelled) == 7 and {s["cancelled_by"] for s in cancelled} == {"helen"}
    moved = {s["date"]: s["moved_to"] for s in kai if s["status"] == "moved"}
    by_id = {s["id"]: s for s in kai}
    assert by_id[moved["2026-03-31"]]["date"] == "2026-04-02"
    assert by_id[moved["2026-10-13"]]["note_ids"] == ["kai-helen-09"]  # the make-up session has the note
    priya = sessions_of(client, "priya", "priya-martin")
    unnoted = [s["date"] for s in priya if s["status"] == "held" and not s["note_ids"]]
    assert "2026-11-19" in unnoted and len(unnoted) == 9  # 8 unnoted, and 16 Apr: Martin's private note
    planned = next(s for s in priya if s["date"] == "2026-12-03")
    assert (planned["status"], planned["starts_at"], planned["time_zone"]) == (
        "planned",
        "2026-12-03T08:30+00:00",
        "Europe/London",
    )


def test_plan_move_cancel_and_hold(client: TestClient) -> None:
    r = plan(client, "noor", "noor-ingrid", f"{AHEAD}T09:30", time_zone="Asia/Dubai", minutes=45)
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["starts_at"] == f"{AHEAD}T09:30+04:00" and first["planned_by"] == "noor"
    assert (first["status"], first["minutes"], first["date"]) == ("planned", 45, AHEAD)

    r = client.post(f"/v1/sessions/{first['id']}/held", headers=auth("ingrid"))
    assert r.status_code == 422 and "still ahead" in r.json()["detail"]

    r = client.post(
        f"/v1/sessions/{first['id']}/move", json={"starts_at": f"{AHEAD}T16:00"}, headers=auth("ingrid")
    )
    assert r.status_code == 201, r.text
    second = r.json()
    assert second["starts_at"] == f"{AHEAD}T16:00+04:00" and second["minutes"] == 45
    listed = {s["id"]: s for s in sessions_of(client, "noor", "noor-ingrid")}
    assert listed[first["id"]]["status"] == "moved" and listed[first["id"]]["moved_to"] == second["id"]

    r = client.post(f"/v1/sessions/{second['id']}/cancel", headers=auth("ingrid"))
    assert r.status_code == 200 and r.json()["cancelled_by"] == "ingrid"
    r = client.post(
        f"/v1/sessions/{second['id']}/move", json={"starts_at": f"{AHEAD}T10:00"}, headers=auth("noor")
    )
    assert r.status_code == 422 and "only a planned session" in r.json()["detail"]

    past = plan(client, "ingrid", "noor-ingrid", f"{PAST}T08:00", time_zone="Europe/London").json()
    r = client.post(f"/v1/sessions/{past['id']}/held", headers=auth("noor"))
    assert r.status_code == 200 and r.json()["status"] == "held"
    r = client.post(f"/v1/sessions/{past['id']}/cancel", headers=auth("noor"))
    assert r.status_code == 422, "a held session cannot be cancelled"


def test_a_note_belongs_to_a_session(client: TestClient) -> None:
    past = plan(client, "sofia", "sofia-gareth", f"{PAST}T23:30", time_zone="America/New_York").json()
    assert past["date"] == PAST
    body = {"session_id": past["id"], "text": "Gareth led the first 15 minutes on supplier talks."}
    r = client.post("/v1/pairs/sofia-gareth/notes", json=body, headers=auth("sofia"))
    assert r.status_code == 201, r.text
    note = r.json()
    assert (note["session_id"], note["date"]) == (past["id"], PAST)  # the local date, not UTC's
    listed = {s["id"]: s for s in sessions_of(client, "gareth", "sofia-gareth")}
    assert listed[past["id"]]["status"] == "held" and listed[past["id"]]["note_ids"] == [note["id"]]

    # A note by date alone joins that day's session, or records a held one.
    day = (dt.date.today() - dt.timedelta(days=9)).isoformat()
    notes = [
        client.post(
            "/v1/pairs/sofia-gareth/notes", json={"date": day, "text": f"Side {who}."}, headers=auth(who)
        ).json()
        for who in ("sofia", "gareth")
    ]
    assert notes[0]["session_id"] == notes[1]["session_id"]
    held = {s["id"]: s for s in sessions_of(client, "sofia", "sofia-gareth")}[notes[0]["session_id"]]
    assert (held["status"], held["date"]) == ("held", day)

    # Fixing the date of the only note of a session takes the session along.
    taken = {s["date"] for s in sessions_of(client, "sofia", "sofia-gareth")}
    typo, fixed = next(  # two days on which the pair has no session, whatever today is
        (days_ago(n), days_ago(n - 1)) for n in range(20, 60) if not {days_ago(n), days_ago(n - 1)} & taken
    )
    lone = client.post(
        "/v1/pairs/sofia-gareth/notes",
        json={"date": typo, "text": "Typo in the date."},
        headers=auth("sofia"),
    ).json()
    r = client.patch(f"/v1/notes/{lone['id']}", json={"date": fixed}, headers=auth("sofia"))
    assert r.status_code == 200 and r.json()["session_id"] == lone["session_id"]
    moved = {s["id"]: s for s in sessions_of(client, "sofia", "sofia-gareth")}[lone["session_id"]]
    assert moved["date"] == fixed

    ahead = plan(client, "sofia", "sofia-gareth", f"{AHEAD}T10:00").json()
    r = client.post(
        "/v1/pairs/sofia-gareth/notes",
        json={"session_id": ahead["id"], "text": "Too early."},
        headers=auth("sofia"),
    )
    assert r.status_code == 422 and "still ahead" in r.json()["detail"]
    r = client.post("/v1/pairs/sofia-gareth/notes", json={"text": "When?"}, headers=auth("sofia"))
    assert r.status_code == 422


def test_who_may_see_and_change_sessions(client: TestClient, assistant: Assistant) -> None:
    ahead = plan(client, "amara", "amara-rafael", f"{AHEAD}T12:00").json()
    assert ahead["time_zone"] == "Europe/London"  # Amara's profile
    before = assistant.list_notes("amara-rafael")
    # Coordinators see dates and statuses, and only the ids of notes they may read (program ones).
    seen = sessions_of(client, "marisol", "amara-rafael")
    program_notes = {n["id"] for n in before if n["visibility"] == "program"}
    assert {i for s in seen for i in s["note_ids"]} == program_notes
    assert all("text" not in s for s in seen)
    for user, status in (("marisol", 403), ("kai", 404), ("jonas", 404)):
        assert plan(client, user, "amara-rafael", f"{AHEAD}T12:00").status_code == status, user
        for action in ("held", "cancel"):
            r = client.post(f"/v1/sessions/{ahead['id']}/{action}", headers=auth(user))
            assert r.status_code == status, (user, action, r.text)
        r = client.post(
            f"/v1/sessions/{ahead['id']}/move", json={"starts_at": f"{AHEAD}T13:00"}, headers=auth(user)
        )
        assert r.status_code == status
    assert client.get("/v1/pairs/amara-rafael/sessions", headers=auth("kai")).status_code == 404
    r = client.post(
        "/v1/pairs/amara-rafael/notes",
        json={"session_id": ahead["id"], "text": "Not my pair."},
        headers=auth("kai"),
    )
    assert r.status_code == 404
    r = client.post(
        "/v1/pairs/kai-helen/notes",
        json={"session_id": ahead["id"], "text": "Wrong pair."},
        headers=auth("kai"),
    )
    assert r.status_code == 404 and ahead["id"] in r.json()["detail"]
    after = {s["id"]: s for s in sessions_of(client, "amara", "amara-rafael")}
    assert after[ahead["id"]]["status"] == "planned" and assistant.list_notes("amara-rafael") == before


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"starts_at": f"{AHEAD}T10:00", "time_zone": "Mars/Olympus"}, "not a time zone"),
        ({"starts_at": "next tuesday at ten", "time_zone": "UTC"}, "YYYY-MM-DDTHH:MM"),
        ({"starts_at": "9999-01-01T10:00", "time_zone": "UTC"}, "outside the years"),
        ({"starts_at": f"{AHEAD}T10:00", "minutes": 5}, "minutes"),
        ({"starts_at": f"{AHEAD}T10:00", "minutes": "60"}, "minutes"),
        ({"starts_at": f"{AHEAD}T10:00", "status": "held"}, "status"),
    ],
)
def test_bad_sessions_get_one_sentence_and_change_nothing(client: TestClient, body: dict, said: str) -> None:
    before = sessions_of(client, "kai", "kai-helen")
    r = client.post("/v1/pairs/kai-helen/sessions", json=body, headers=auth("kai"))
    assert r.status_code == 422 and said in r.json()["detail"], r.text
    assert sessions_of(client, "kai", "kai-helen") == before


def test_cli_sessions(cli: CliRun) -> None:
    def ok(*args: str) -> Any:
        code, out, err = cli(*args, "--json")
        assert code == 0, err
        return json.loads(out)

    mentor = ok("users", "add", "--name", "Mina Mentor", "--role", "mentor")["id"]
    executive = ok("users", "add", "--name", "Ezra Exec", "--role", "executive")["id"]
    pair = ok("pairs", "add", "--mentor", mentor, "--executive", executive)["id"]
    where = ("--pair", pair)
    planned = ok(
        "sessions", "plan", *where, "--start", f"{AHEAD}T08:00", "--time-zone", "Asia/Tokyo", "--as", mentor
    )
    assert planned["starts_at"] == f"{AHEAD}T08:00+09:00" and planned["minutes"] == 60
    moved = ok(
        "sessions", "move", planned["id"], "--start", f"{AHEAD}T09:00", "--minutes", "30", "--as", executive
    )
    cancelled = ok("sessions", "cancel", moved["id"], "--as", executive)
    assert cancelled["cancelled_by"] == executive
    past = ok("sessions", "plan", *where, "--start", f"{PAST}T08:00", "--as", executive)
    assert ok("sessions", "held", past["id"], "--as", mentor)["status"] == "held"
    listed = ok("sessions", "list", *where)
    assert [(s["id"], s["status"]) for s in listed] == [
        (past["id"], "held"),
        (planned["id"], "moved"),
        (moved["id"], "cancelled"),
    ]
    code, out, _ = cli("sessions", "list", *where)
    assert code == 0 and "cancelled" in out and moved["id"] in out

    for args, said in (
        (
            ("plan", *where, "--start", f"{AHEAD}T08:00", "--time-zone", "Nowhere/Land", "--as", mentor),
            "time zone",
        ),
        (("held", planned["id"], "--as", mentor), "only a planned session"),
        (("cancel", "s-unknown", "--as", mentor), "no session"),
    ):
        code, out, err = cli("sessions", *args, "--json")
        assert code == 2 and out == "" and said in err and len(err.strip().splitlines()) == 1, (args, err)
    assert ok("sessions", "list", *where) == listed
