"""The demo program is well-formed: real-looking, consistent data the product and tests rely on."""

import datetime as dt
import re
from collections import Counter

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.coordinator import Coordinator
from assistant.core import Assistant
from assistant.demo import read_demo
from tests.conftest import KNOWLEDGE, Copier

DATA = read_demo(KNOWLEDGE / "demo" / "program.yaml")


def test_demo_program_shape() -> None:
    users = {u["key"]: u for u in DATA["users"]}
    assert len(DATA["pairs"]) >= 4
    per_pair = Counter(n["pair"] for n in DATA["notes"])
    assert all(per_pair[p["key"]] >= 6 for p in DATA["pairs"])
    assert {n["visibility"] for n in DATA["notes"]} == {"private", "pair", "program"}
    pairs = {p["key"]: p for p in DATA["pairs"]}
    for note in DATA["notes"]:
        pair = pairs[note["pair"]]
        assert note["author"] in (pair["mentor"], pair["executive"])
        assert isinstance(note["date"], dt.date)
    for pair in DATA["pairs"]:
        assert users[pair["mentor"]]["role"] == "mentor"
        assert users[pair["executive"]]["role"] == "executive"
        dates = [n["date"] for n in DATA["notes"] if n["pair"] == pair["key"]]
        assert dates == sorted(dates) and (dates[-1] - dates[0]).days > 90


def test_every_pair_has_actions_on_both_sides() -> None:
    users = {u["key"]: u["name"].split()[0] for u in DATA["users"]}
    action = re.compile(r"^\s*- \[( |x)\] ([^:]+):", re.M)
    for pair in DATA["pairs"]:
        owners = {
            m.group(2).strip()
            for n in DATA["notes"]
            if n["pair"] == pair["key"]
            for m in action.finditer(n["text"])
        }
        assert {users[pair["mentor"]], users[pair["executive"]]} <= owners, pair["key"]


def test_expected_labels_cover_every_pair() -> None:
    expected = yaml.safe_load((KNOWLEDGE / "demo" / "expected.yaml").read_text())
    assert set(expected["pairs"]) == {p["key"] for p in DATA["pairs"]}


def test_health_reports_index_size(demo: Assistant) -> None:
    client = TestClient(create_app(demo))
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["index"]["guidelines"] > 50 and body["index"]["notes"] >= len(DATA["notes"])


def test_the_demo_shows_its_own_date_whatever_the_real_date(
    demo_copy: Copier, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On its date (ASSISTANT_TODAY, as `make run` sets it) the demo shows the cadence its notes describe.

    The real clock is moved a year on (time-machine moves every clock the process reads): statuses,
    the brief's "days since" and the reminders due stay what they are on the demo's date, and
    without the setting the same year-later day shows every pair stalled.
    """
    import time_machine

    from assistant import clock, coordinator
    from assistant.guide import Guide
    from assistant.reminders import Reminders
    from assistant.settings import get_settings

    program = demo_copy("clock")
    expected = yaml.safe_load((KNOWLEDGE / "demo" / "expected.yaml").read_text())
    assert DATA["today"] == expected["today"] == dt.date(2026, 11, 25)

    def seen() -> tuple[dict[str, str], list[str], list[str]]:
        coordinator._PICTURES.clear()  # health is kept per day computed for: compute it afresh
        health = Coordinator(program).health()
        brief = Guide(program).brief("noor-ingrid", "ingrid")
        due = sorted(d.key for d in Reminders(program).due(clock.now()))
        return {p.pair_id: p.cadence.status for p in health.pairs}, brief.since_last_time, due

    monkeypatch.setenv("ASSISTANT_TODAY", str(DATA["today"]))
    get_settings.cache_clear()
    try:
        with time_machine.travel(dt.datetime(2027, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
            year_later = seen()
        with time_machine.travel(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC), tick=False):
            on_the_day = seen()
        monkeypatch.delenv("ASSISTANT_TODAY")
        get_settings.cache_clear()
        with time_machine.travel(dt.datetime(2027, 12, 2, 9, 0, tzinfo=dt.UTC), tick=False):
            real_year_later = seen()
    finally:
        get_settings.cache_clear()
        coordinator._PICTURES.clear()

    statuses, since, due = year_later
    assert year_later == on_the_day
    assert statuses == {pair: labels["status"] for pair, labels in expected["pairs"].items()}
    assert statuses["priya-martin"] == "on_track"
    assert since[0] == "Your last session was on Thu 12 Nov, 13 days ago."
    assert "note:priya-martin-2026-11-19:priya" in due  # the session of 19 Nov still wants its note
    assert set(real_year_later[0].values()) == {"stalled"}
    assert "385 days since your last session" in real_year_later[1][0]
