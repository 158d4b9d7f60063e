"""Program health: cadence, action items, coverage and flags on the demo; privacy and group sizes."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from assistant import signals
from assistant.cli.program import _health_text
from assistant.coordinator import Coordinator
from assistant.core import Assistant
from assistant.demo import read_demo, write_program
from assistant.guide import Guide
from assistant.insight import NoteFacts, PairFacts, SessionFacts, program_health
from assistant.knowledge import load_knowledge, load_objectives
from assistant.settings import Settings
from tests.conftest import KNOWLEDGE, CliRun

TODAY = dt.date(2026, 11, 25)
DEMO = read_demo(KNOWLEDGE / "demo" / "program.yaml")
EXPECTED = yaml.safe_load((KNOWLEDGE / "demo" / "expected.yaml").read_text(encoding="utf-8"))


def load_records(assistant: Assistant) -> None:
    """The demo's users, pairs, sessions and notes in the store (health reads no index, so none is built)."""
    with assistant.session() as session:
        write_program(session, DEMO)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Coordinator:
    """The demo program with its participant profiles (tests must not write to it)."""
    assistant = Assistant(Settings(home=tmp_path_factory.mktemp("insight-home"), knowledge_dir=KNOWLEDGE))
    load_records(assistant)
    coordinator = Coordinator(assistant)
    coordinator.import_file(KNOWLEDGE / "demo" / "participants.csv")
    return coordinator


@pytest.fixture(scope="module")
def health(desk: Coordinator) -> dict:
    return desk.health(TODAY).model_dump(mode="json")


def by_pair(health: dict) -> dict[str, dict]:
    return {p["pair_id"]: p for p in health["pairs"]}


@pytest.mark.parametrize("pair_id", sorted(EXPECTED["pairs"]))
def test_demo_flags_match_the_hand_labels(health: dict, pair_id: str) -> None:
    pair = by_pair(health)[pair_id]
    assert {f["flag"] for f in pair["flags"]} == set(EXPECTED["pairs"][pair_id]["flags"])
    assert all(f["reason"].endswith(".") for f in pair["flags"])


@pytest.mark.parametrize("pair_id", sorted(EXPECTED["pairs"]))
def test_demo_cadence_and_actions_per_side(health: dict, pair_id: str) -> None:
    expected, pair = EXPECTED["pairs"][pair_id], by_pair(health)[pair_id]
    last = expected.get("last_held", expected["last_session"])
    assert pair["cadence"]["last_session"] == last.isoformat()
    assert pair["cadence"]["status"] == expected["status"]
    assert pair["cadence"]["days_since_last_session"] == (TODAY - last).days
    assert pair["cadence"]["target_per_month"] == 2 and pair["cadence"]["minimum_per_month"] == 1
    executive = next(p["executive"] for p in DEMO["pairs"] if p["key"] == pair_id)
    exec_first = next(u["name"].split()[0] for u in DEMO["users"] if u["key"] == executive)

    def side(owner: str) -> str:
        return "executive" if owner == exec_first else "mentor"

    for state, key in (("open", "open_actions"), ("done", "done_actions")):
        for who in ("mentor", "executive"):
            count = sum(1 for a in expected[key] if side(a["owner"]) == who)
            assert pair["actions"][who][state] == count, (who, state)
    assert pair["actions"]["other"] == {"open": 0, "done": 0}


def test_stalled_pair_is_the_only_stalled_one(health: dict) -> None:
    statuses = {p["pair_id"]: p["cadence"]["status"] for p in health["pairs"]}
    assert [p for p, s in statuses.items() if s == "stalled"] == ["amara-rafael"]
    assert health["summary"]["status"]["stalled"] == 1
    assert health["summary"]["flags"] == {"stalled": 1, "cancellations": 1, "one_way": 1, "friction": 2}


def test_topics_are_counted_by_category_and_objective(health: dict) -> None:
    pair = by_pair(health)["priya-martin"]
    catalog = load_knowledge(KNOWLEDGE).topics
    categories = {c["category"]: c for c in pair["categories"]}
    assert set(categories) == {t.category for t in catalog}
    assert sum(c["topics"] for c in categories.values()) == len(catalog)
    assert categories["digital-tools"]["covered"] >= 3  # AI assistant, dashboards, LinkedIn, Teams
    objectives = {o["id"]: o for o in pair["objectives"]}
    assert set(objectives) == {o.id for o in load_objectives(KNOWLEDGE)}
    assert objectives["strategy-and-decisions"]["met"] and objectives["digital-tools"]["met"]


def test_health_never_contains_note_text(health: dict) -> None:
    dump = json.dumps(health).lower()
    for note in DEMO["notes"]:
        for line in note["text"].splitlines():
            words = line.strip(" -*[]x").lower()
            if len(words) >= 25:
                assert words not in dump, words
    for pair in EXPECTED["pairs"].values():
        for action in pair["open_actions"] + pair["done_actions"]:
            assert action["action"].lower() not in dump


def test_themes_only_for_groups_at_the_minimum_size(health: dict, desk: Coordinator) -> None:
    themes = {t["group"]: t for t in health["themes"]}
    assert themes["program"]["reported"] and themes["program"]["pairs"] == 5
    assert themes["program"]["most_covered"]
    departments = [t for name, t in themes.items() if name.startswith("executive department")]
    assert len(departments) == 5  # one executive per department in the demo
    for group in departments:
        assert not group["reported"] and group["pairs"] is None
        assert group["most_covered"] == [] and group["objectives"] == []
    strict = Coordinator(Assistant(desk.settings.model_copy(update={"min_group_size": 6})))
    assert not strict.health(TODAY).themes[0].reported


def fake_program(pairs: int, seed: int) -> tuple[list[PairFacts], dict[str, list[str]]]:
    """Random pairs with random notes, and random groups of them (some under the minimum)."""
    rng = random.Random(seed)
    words = ["dashboard", "budget", "linkedin", "hybrid", "board", "inclusive meetings", "cancelled", "tense"]
    facts = []
    for n in range(pairs):
        start = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(200))
        notes = tuple(
            NoteFacts(
                f"n{n}-{k}",
                start + dt.timedelta(days=rng.randrange(300)),
                rng.choice([f"m{n}", f"e{n}"]),
                rng.choice(["pair", "program", "private"]),
                " ".join(rng.sample(words, 3)),
            )
            for k in range(rng.randrange(6))
        )
        facts.append(PairFacts(f"p{n}", f"m{n}", f"Mo M{n}", f"e{n}", f"Ed E{n}", start, notes))
    groups: dict[str, list[str]] = {}
    for pair in facts:
        groups.setdefault(f"g{rng.randrange(max(pairs // 3, 1))}", []).append(pair.id)
    return facts, groups


@pytest.mark.parametrize("participants", [10, 100, 1000])
@pytest.mark.parametrize("minimum", [2, 3, 5])
def test_minimum_group_size_is_never_breached(participants: int, minimum: int) -> None:
    facts, groups = fake_program(participants // 2, seed=participants + minimum)
    topics = load_knowledge(KNOWLEDGE).topics
    result = program_health(facts, TODAY, topics, load_objectives(KNOWLEDGE), minimum, groups)
    assert len(result.pairs) == participants // 2
    sizes = {"program": len(facts)} | {name: len(ids) for name, ids in groups.items()}
    assert {t.group for t in result.themes} == set(sizes)
    for theme in result.themes:
        if theme.reported:
            assert sizes[theme.group] >= minimum and theme.pairs == sizes[theme.group]
            assert all(t.pairs <= sizes[theme.group] for t in theme.most_covered)
        else:
            assert sizes[theme.group] < minimum
            assert theme.pairs is None and not theme.most_covered and not theme.objectives


def test_cadence_states_without_notes() -> None:
    topics = load_knowledge(KNOWLEDGE).topics
    old = PairFacts("old", "m", "Mo", "e", "Ed", TODAY - dt.timedelta(days=50), ())
    new = PairFacts("new", "m", "Mo", "e", "Ed", TODAY - dt.timedelta(days=10), ())
    result = program_health([old, new], TODAY, topics, (), 3)
    states = {p.pair_id: p for p in result.pairs}
    assert states["old"].cadence.status == "stalled"
    assert "since the start" in states["old"].flags[0].reason
    assert states["new"].cadence.status == "not_started" and states["new"].flags == []


def test_signals_ignore_negated_cues() -> None:
    assert signals.cancellations("No cancellations this month.") == 0
    assert signals.cancellations("She cancelled again; two reschedules in June.") == 3
    assert signals.friction("He isn't rude, and it never felt tense.") == []
    assert signals.friction("I'd like to raise it without it getting awkward.") == ["awkwardness"]
    assert signals.executive_led("My half: the budget calendar.", "executive", "Helen", "Kai")
    assert not signals.executive_led("My half: LinkedIn.", "mentor", "Helen", "Kai")
    assert not signals.executive_led(
        "Gareth hasn't led any part of a session yet.", "mentor", "Gareth", "Sofia"
    )


def test_health_cli(cli: CliRun) -> None:
    code, out, _ = cli("health", "--today", "2026-11-25", "--json")
    assert code == 0 and json.loads(out)["pairs"] == []
    code, out, _ = cli("health", "--today", "2026-11-25")
    assert code == 0 and "(no pairs)" in out
    code, _, err = cli("health", "--today", "25/11/2026")
    assert code == 2 and err.startswith("Error:") and len(err.strip().splitlines()) == 1


def test_health_text_lists_the_pairs_that_need_attention_first(desk: Coordinator) -> None:
    text = _health_text(desk.health("2026-11-25").model_dump(mode="json"))
    header, *rows = text.splitlines()[2:8]
    assert [row.split()[0] for row in rows][::4] == ["amara-rafael", "priya-martin"], (
        text
    )  # stalled … on track
    assert "objectives" not in header  # every demo pair touches every objective: it told nobody anything


def test_health_api_is_for_staff_only(desk: Coordinator) -> None:
    client = TestClient(create_app(desk.assistant, Guide(desk.assistant, model=None)))
    ok = client.get("/v1/program/health", params={"today": "2026-11-25"}, headers=bearer("marisol"))
    assert ok.status_code == 200 and len(ok.json()["pairs"]) == 5
    assert client.get("/v1/program/health", headers=bearer("jonas")).status_code == 200
    assert client.get("/v1/program/health", headers=bearer("priya")).status_code == 403
    assert client.get("/v1/program/health").status_code == 401
    bad = client.get("/v1/program/health", params={"today": "soon"}, headers=bearer("marisol"))
    assert bad.status_code == 422


def test_cycle_calendar_api_dates_the_steps_for_staff_only(desk: Coordinator) -> None:
    client = TestClient(create_app(desk.assistant, Guide(desk.assistant, model=None)))
    params = {"start": "2027-01-18", "skip": "survey"}
    ok = client.get("/v1/program/cycle", params=params, headers=bearer("marisol"))
    assert ok.status_code == 200, ok.text
    steps = {s["title"]: s for s in ok.json()["steps"]}
    assert steps["Midpoint check-in"]["day"] == "2027-04-19", steps
    assert steps["Midpoint check-in"]["section"] == "Cycle length" and "Mid-cycle pulse survey" not in steps
    assert client.get("/v1/program/cycle", params=params, headers=bearer("priya")).status_code == 403
    bad = client.get("/v1/program/cycle", params={"start": "soon"}, headers=bearer("marisol"))
    assert bad.status_code == 422 and "start" in bad.text


def bearer(user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer demo-{user}"}


def test_profiles_table_is_created_for_a_store_opened_earlier(tmp_path: Path) -> None:
    assistant = Assistant(Settings(home=tmp_path / "home", knowledge_dir=KNOWLEDGE))
    assistant.list_users()  # the engine exists before the coordinator is built
    assert Coordinator(assistant).participants() == []


def test_cadence_counts_held_sessions_and_the_records_of_cancelled_ones(health: dict) -> None:
    """The demo's sessions: Helen's calls-off are records, priya-martin's unnoted sessions count."""
    kai = by_pair(health)["kai-helen"]
    assert (kai["cadence"]["cancelled"], kai["cadence"]["moved"]) == (7, 4)
    assert kai["cadence"]["next_session"] == "2026-12-08"
    reason = next(f["reason"] for f in kai["flags"] if f["flag"] == "cancellations")
    assert reason.startswith("7 sessions cancelled and 4 moved against 9 sessions held")
    priya = by_pair(health)["priya-martin"]
    assert priya["cadence"]["sessions_last_90_days"] == 6 and priya["cadence"]["sessions"] == 17


def test_only_held_sessions_make_the_cadence() -> None:
    topics = load_knowledge(KNOWLEDGE).topics
    days = [TODAY - dt.timedelta(days=14 * k + 1) for k in range(6)]  # every other week, 90 days
    held = tuple(SessionFacts(d, "held") for d in days)
    other = tuple(SessionFacts(d, s) for d in days for s in ("cancelled", "moved", "planned"))
    pairs = [
        PairFacts("held", "m", "Mo", "e", "Ed", TODAY - dt.timedelta(days=200), (), held),
        PairFacts("called-off", "m", "Mo", "e", "Ed", TODAY - dt.timedelta(days=200), (), other),
    ]
    result = {p.pair_id: p for p in program_health(pairs, TODAY, topics, (), 3).pairs}
    assert result["held"].cadence.status == "on_track" and result["held"].cadence.sessions == 6
    assert result["called-off"].cadence.status == "stalled" and result["called-off"].cadence.sessions == 0
    flag = next(f for f in result["called-off"].flags if f.flag == "cancellations")
    assert flag.reason.startswith("6 sessions cancelled and 6 moved against 0 sessions held")
