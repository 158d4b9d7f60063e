"""The demo program is well-formed: real-looking, consistent data the product and tests rely on."""

import datetime as dt
import re
from collections import Counter

import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.core import Assistant
from assistant.demo import read_demo
from tests.conftest import KNOWLEDGE

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
