"""Pairing suggestions, rotation plans and participant import, on the demo and on generated cohorts."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from api.app import create_app
from assistant.availability import local_slots, week_grid
from assistant.coordinator import Coordinator
from assistant.core import Assistant
from assistant.errors import InvalidInput
from assistant.guide import Guide
from assistant.knowledge import load_knowledge
from assistant.pairing import Matching, score_cohort, suggest
from assistant.profiles import Participant, ProfileImportError
from assistant.settings import Settings
from bench.pairings import cohort
from tests.conftest import KNOWLEDGE, CliRun
from tests.test_insight import TODAY, bearer, load_records

TOPICS = load_knowledge(KNOWLEDGE).topics
PARTICIPANTS_CSV = KNOWLEDGE / "demo" / "participants.csv"
HEADER = "id,user_id,name,role,department,manager_id,teaches,learns,time_zone,availability\n"


def chain(people: list[Participant]) -> dict[str, set[str]]:
    """Everyone above each person, computed independently of the library."""
    managers = {p.id: p.manager_id for p in people}
    above: dict[str, set[str]] = {}
    for person in people:
        seen: set[str] = set()
        boss = managers.get(person.id)
        while boss is not None and boss not in seen:
            seen.add(boss)
            boss = managers.get(boss)
        above[person.id] = seen
    return above


def assert_no_chain_pairs(matching: Matching, people: list[Participant]) -> None:
    above = chain(people)
    for pair in matching.pairs:
        mentor, executive = pair.mentor.id, pair.executive.id
        assert executive not in above[mentor] and mentor not in above[executive], (mentor, executive)


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text))


@pytest.mark.parametrize("size", [10, 100, 1000])
def test_generated_cohorts_are_matched_completely_outside_management_chains(size: int) -> None:
    people, staff = cohort(size, seed=size)
    matching = suggest(people, TOPICS, directory=staff)
    assert_no_chain_pairs(matching, people + staff)
    scores = score_cohort(people, TOPICS, directory=staff)
    allowed = csr_matrix(~scores.forbidden)
    best = int((maximum_bipartite_matching(allowed, perm_type="column") >= 0).sum())
    assert len(matching.pairs) == best  # as many pairs as the chain rule allows
    placed = [p.mentor.id for p in matching.pairs] + [p.executive.id for p in matching.pairs]
    assert len(placed) == len(set(placed))
    assert len(placed) + len(matching.unmatched) == size
    for pair in matching.pairs:
        assert 1 <= sentences(pair.explanation) <= 2
        assert pair.mentor.name.split()[0] in pair.explanation


@pytest.mark.parametrize("size", [10, 100, 1000])
def test_matching_is_deterministic_whatever_the_input_order(size: int) -> None:
    people, staff = cohort(size, seed=7)
    first = suggest(people, TOPICS, directory=staff).model_dump()
    assert suggest(people, TOPICS, directory=staff).model_dump() == first
    shuffled = people[:]
    random.Random(1).shuffle(shuffled)
    assert suggest(shuffled, TOPICS, directory=list(reversed(staff))).model_dump() == first


def test_matching_is_optimal_on_a_small_cohort() -> None:
    people, staff = cohort(12, seed=3)
    scores = score_cohort(people, TOPICS, directory=staff)
    n = len(scores.mentors)
    best = max(
        sum(scores.score[i, j] for i, j in enumerate(perm))
        for perm in itertools.permutations(range(n))
        if not any(scores.forbidden[i, j] for i, j in enumerate(perm))
    )
    assert suggest(people, TOPICS, directory=staff).total_score == pytest.approx(best, abs=0.05)


def test_scores_reward_complementary_skills_and_shared_time() -> None:
    base = {"time_zone": "Europe/London", "availability": ("Tue 08:00-10:00",)}
    mentor = Participant(id="m", name="Mia M", role="mentor", teaches=("Copilot", "dashboards"), **base)
    keen = Participant(
        id="e1", name="Eve E", role="executive", learns=("AI assistants",), teaches=("budget",), **base
    )
    idle = Participant(id="e2", name="Ed E", role="executive", learns=("pottery",), time_zone="Asia/Tokyo")
    scores = score_cohort([mentor, keen, idle], TOPICS)
    assert scores.score[0, 0] > scores.score[0, 1]
    matching = suggest([mentor, keen, idle], TOPICS)
    assert [(p.mentor.id, p.executive.id) for p in matching.pairs] == [("m", "e1")]
    assert matching.pairs[0].executive_learns == ["AI assistants"]  # "Copilot" teaches it
    assert matching.pairs[0].shared_hours == 2.0
    assert [(u.id, u.reason) for u in matching.unmatched] == [
        ("e2", "The cohort has more executives than mentors.")
    ]


def test_what_an_executive_can_share_is_said_in_their_own_words() -> None:
    base = {"time_zone": "Europe/London", "availability": ("Tue 08:00-10:00",)}
    mentor = Participant(
        id="m", name="Mia M", role="mentor", teaches=("Copilot",), learns=("board presentations",), **base
    )
    executive = Participant(
        id="e", name="Eve E", role="executive", learns=("AI",), teaches=("board finance pack",), **base
    )
    pair = suggest([mentor, executive], TOPICS).pairs[0]
    assert pair.mentor_learns == ["board finance pack"]  # her own skill, which serves "board presentations"
    assert "Eve can share board finance pack" in pair.explanation


def test_a_cohort_with_only_forbidden_partners_is_left_unmatched() -> None:
    boss = Participant(id="boss", name="Bo Boss", role="executive")
    report = Participant(id="rep", name="Ray Report", role="mentor", manager_id="lead")
    lead = Participant(id="lead", name="Lee Lead", role="staff", manager_id="boss")
    matching = suggest([boss, report], TOPICS, directory=[lead])
    assert matching.pairs == []
    assert {u.id for u in matching.unmatched} == {"boss", "rep"}
    assert all("management chain" in u.reason for u in matching.unmatched)
    with pytest.raises(InvalidInput):
        suggest([boss, boss], TOPICS)


@pytest.fixture
def desk(tmp_path: Path) -> Coordinator:
    """A writable demo program (records only) with its participant profiles."""
    assistant = Assistant(Settings(home=tmp_path / "home", knowledge_dir=KNOWLEDGE))
    load_records(assistant)
    coordinator = Coordinator(assistant)
    assert coordinator.import_file(PARTICIPANTS_CSV) == {"imported": 17, "created": 17, "updated": 0}
    return coordinator


def stored(desk: Coordinator) -> list[Participant]:
    lists = ("teaches", "learns", "availability")
    return [
        Participant(**{k: tuple(v) if k in lists else v for k, v in p.items()}) for p in desk.participants()
    ]


def test_demo_pairings_respect_reporting_lines(desk: Coordinator) -> None:
    matching = desk.pairings()
    assert matching.mentors == 6 and matching.executives == 6
    assert len(matching.pairs) == 6 and matching.unmatched == []
    assert_no_chain_pairs(matching, stored(desk))
    partner = {p.mentor.id: p.executive.id for p in matching.pairs}
    assert partner["leo"] not in ("rafael", "martin")  # Leo reports to Rafael, who reports to Martin
    assert partner["noor"] != "dana"  # Noor → Chidi → Dana
    assert desk.pairings().model_dump() == matching.model_dump()
    subset = desk.pairings(participant_ids=["priya", "martin", "helen"])
    assert [(p.mentor.id, p.executive.id) for p in subset.pairs] == [
        ("priya", "martin")
    ]  # Priya → Lena → Helen


def test_people_kept_apart_are_never_paired(desk: Coordinator) -> None:
    partner = {p.mentor.id: p.executive.id for p in desk.pairings().pairs}
    mentor, executive = next(iter(partner.items()))
    apart = (executive.title(), mentor)  # by first name, either order
    kept = {p.mentor.id: p.executive.id for p in desk.pairings(apart=[apart]).pairs}
    assert len(kept) == len(partner) and kept[mentor] != executive
    with pytest.raises(InvalidInput, match="No one in the participant profiles is called 'Zed'"):
        desk.pairings(apart=[("Zed", mentor)])


def test_rotation_avoids_previous_partners_and_chains(desk: Coordinator) -> None:
    plan = desk.rotation(TODAY)
    assert {d.pair_id for d in plan.due} == {
        "priya-martin",
        "kai-helen",
        "amara-rafael",
        "sofia-gareth",
        "noor-ingrid",
    }
    assert plan.not_due == 0 and all(d.renewal_allowed for d in plan.due)
    previous = {(d.mentor.id, d.executive.id) for d in plan.due}
    proposed = {(p.mentor.id, p.executive.id) for p in plan.proposals.pairs}
    assert len(proposed) == 5 and not proposed & previous
    assert_no_chain_pairs(plan.proposals, stored(desk))
    assert {"leo", "dana"}.isdisjoint({i for pair in proposed for i in pair})  # not in a finished pair


def test_rotation_early_and_late(desk: Coordinator) -> None:
    early = desk.rotation(dt.date(2026, 8, 20))
    assert [d.pair_id for d in early.due] == ["kai-helen"] and early.not_due == 4
    assert early.proposals.pairs == []  # the only partners left are each other
    assert all("previous partner" in u.reason for u in early.proposals.unmatched)
    late = desk.rotation(dt.date(2027, 3, 1))
    assert {d.pair_id: d.renewal_allowed for d in late.due}["kai-helen"] is False
    assert desk.rotation(dt.date(2026, 5, 1)).due == []


def rows(*lines: str) -> bytes:
    return (HEADER + "".join(f"{line}\n" for line in lines)).encode()


def test_import_reports_every_bad_row_and_writes_nothing(desk: Coordinator) -> None:
    before = desk.participants()
    bad = rows(
        "ok1,,Olga Ok,mentor,IT,,Teams,budget,UTC,Mon 09:00-10:00",
        "ok1,,Dup Licate,mentor,IT,,,,UTC,",
        "x2,nobody,,,IT,,,,UTC,",
        "x3,,Zed Zone,executive,IT,,,,Mars/Base,",
        "x4,,Sal Slot,executive,IT,,,,UTC,Someday 9-10",
        "x5,,Mo Manager,mentor,IT,ghost,,,UTC,",
        "x6,,Cy Cle,staff,IT,x7,,,UTC,",
        "x7,,Cy Clist,staff,IT,x6,,,UTC,",
        "x8,helen,,mentor,Finance,,,,UTC,",
    )
    with pytest.raises(ProfileImportError) as caught:
        desk.import_participants(bad, "bad.csv")
    found = {(e.row, e.reason.split()[0]) for e in caught.value.errors}
    assert {row for row, _ in found} == {3, 4, 5, 6, 7, 8, 9, 10}
    assert "row 4:" in str(caught.value) and str(caught.value).startswith("Nothing was imported")
    assert desk.participants() == before


def test_import_checks_the_file_shape(desk: Coordinator) -> None:
    with pytest.raises(InvalidInput, match="unknown or repeated columns"):
        desk.import_participants(b"id,skills\nx,y\n")
    with pytest.raises(InvalidInput, match="id column"):
        desk.import_participants(b"name\nx\n")
    with pytest.raises(InvalidInput, match="no participants"):
        desk.import_participants(HEADER.encode())
    with pytest.raises(InvalidInput, match="UTF-8"):
        desk.import_participants(b"\xff\xfe\x00")
    with pytest.raises(ProfileImportError, match="row 2: the row has 2 cells"):
        desk.import_participants(b"id,name,role\nx,Y\n")


def test_reimport_updates_profiles(desk: Coordinator) -> None:
    data = PARTICIPANTS_CSV.read_text(encoding="utf-8").replace(
        "Network Planning,rafael", "Data & Analytics,lena"
    )
    assert desk.import_participants(data.encode()) == {"imported": 17, "created": 0, "updated": 17}
    leo = next(p for p in desk.participants() if p["id"] == "leo")
    assert leo["manager_id"] == "lena" and leo["name"] == "Leo Marchetti"
    priya = next(p for p in desk.participants() if p["id"] == "priya")
    assert priya["name"] == "Priya Raman" and priya["availability"] == ["Tue 08:00-10:00", "Mon 08:00-09:00"]


def test_pairings_from_inline_profiles_are_validated_not_stored(desk: Coordinator) -> None:
    inline = [
        {
            "id": "n1",
            "name": "Nia New",
            "role": "mentor",
            "teaches": "TikTok",
            "availability": "Fri 09:00-10:00",
        },
        {"id": "n2", "name": "Ned New", "role": "executive", "learns": "social media", "manager_id": "theo"},
    ]
    matching = desk.pairings(participants=inline)
    assert [(p.mentor.id, p.executive.id) for p in matching.pairs] == [("n1", "n2")]
    assert "n1" not in {p["id"] for p in desk.participants()}
    with pytest.raises(ProfileImportError, match="participant 2"):
        desk.pairings(participants=[inline[0], {**inline[1], "time_zone": "Nowhere"}])
    with pytest.raises(InvalidInput):
        desk.pairings(participant_ids=["priya"], participants=inline)


def test_program_cli(cli: CliRun, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(rows("a,,Al A,mentor,,,,,UTC,", "b,,Bo B,boss,,,,,UTC,"))
    code, out, err = cli("participants", "import", bad, "--json")
    report = json.loads(out)
    assert code == 2 and report["imported"] == 0 and [e["row"] for e in report["errors"]] == [3]
    assert "role must be one of" in report["errors"][0]["reason"]
    assert err.startswith("Error: Nothing was imported") and len(err.strip().splitlines()) == 1
    good = tmp_path / "good.csv"
    good.write_bytes(
        rows("a,,Al A,mentor,IT,,Teams,budget,UTC,Mon 09:00-10:00", "b,,Bo B,executive,HR,,budget,Teams,UTC,")
    )
    code, out, _ = cli("participants", "import", good, "--json")
    assert code == 0 and json.loads(out)["imported"] == 2
    code, out, _ = cli("participants", "list", "--json")
    assert code == 0 and [p["id"] for p in json.loads(out)] == ["a", "b"]
    code, out, _ = cli("pairings", "--json")
    pairs = json.loads(out)["pairs"]
    assert code == 0 and [(p["mentor"]["id"], p["executive"]["id"]) for p in pairs] == [("a", "b")]
    code, out, _ = cli("pairings")
    assert code == 0 and "Al A → Bo B" in out
    code, out, _ = cli("pairings", "--file", PARTICIPANTS_CSV, "--json")
    assert code == 2  # the demo users are not in this store
    code, out, _ = cli("rotation", "--today", "2026-11-25", "--json")
    assert code == 0 and json.loads(out)["due"] == []
    code, out, _ = cli("rotation", "--today", "2026-11-25")
    assert code == 0 and "nothing to rotate" in out
    code, _, err = cli("pairings", "--participant", "ghost")
    assert code == 2 and "ghost" in err


def test_program_api(desk: Coordinator) -> None:
    client = TestClient(create_app(desk.assistant, Guide(desk.assistant, model=None)))
    staff = bearer("marisol")
    made = client.post("/v1/program/pairings", headers=staff)
    assert made.status_code == 200 and len(made.json()["pairs"]) == 6
    chosen = client.post("/v1/program/pairings", json={"participant_ids": ["kai", "gareth"]}, headers=staff)
    assert chosen.status_code == 200 and chosen.json()["pairs"] == []  # Kai → Omar → Gareth
    assert client.post("/v1/program/pairings", headers=bearer("kai")).status_code == 403
    bad = client.post(
        "/v1/program/pairings", json={"participants": [{"id": "z", "role": "chief"}]}, headers=staff
    )
    assert bad.status_code == 422 and "participant 1" in bad.json()["detail"]
    assert client.post("/v1/program/pairings", json={"colour": "red"}, headers=staff).status_code == 422
    plan = client.get("/v1/program/rotation", params={"today": "2026-11-25"}, headers=staff)
    assert plan.status_code == 200 and len(plan.json()["proposals"]["pairs"]) == 5
    listed = client.get("/v1/program/participants", headers=staff)
    assert listed.status_code == 200 and len(listed.json()) == 17
    upload = client.post(
        "/v1/program/participants",
        files={"file": ("more.csv", rows("zz,,Zoe Z,mentor,IT,theo,,,UTC,"), "text/csv")},
        headers=staff,
    )
    assert upload.status_code == 201 and upload.json()["created"] == 1
    refused = client.post(
        "/v1/program/participants",
        files={"file": ("bad.csv", rows("zz,,Zoe Z,mentor,IT,nobody,,,UTC,"), "text/csv")},
        headers=staff,
    )
    assert refused.status_code == 422 and "row 2" in refused.json()["detail"]
    assert len(client.get("/v1/program/participants", headers=staff).json()) == 18


def test_a_preview_sees_reporting_lines_through_the_staff_it_is_given(desk: Coordinator) -> None:
    rows = (
        "boss,,Erin Boss,executive,Finance,,budgets,AI assistants,UTC,Mon 08:00-10:00\n"
        "lead,,Lee Lead,staff,Data,boss,,,UTC,\n"
        "junior,,Jo Junior,mentor,Ops,lead,AI assistants,budgets,UTC,Mon 08:00-10:00\n"
        "other,,Oz Other,executive,Sales,,pottery,golf,UTC,Mon 08:00-09:00\n"
    )
    matching = desk.pairings(csv_data=(HEADER + rows).encode())
    assert [(p.mentor.id, p.executive.id) for p in matching.pairs] == [("junior", "other")]


@pytest.mark.parametrize(
    ("zone", "slot"), [("Europe", "Mon 08:00-09:00"), ("UTC", "Mon 08:75-10:00"), ("UTC+05:07", "Mon 8-9")]
)
def test_odd_zones_and_slots_are_refused_row_by_row(desk: Coordinator, zone: str, slot: str) -> None:
    row = f"x1,,Xi X,mentor,Ops,,a,b,{zone},{slot}\n"
    with pytest.raises(ProfileImportError, match="row 2"):
        desk.pairings(csv_data=(HEADER + row).encode())


def test_a_pair_kept_together_is_matched_and_the_rest_around_it(desk: Coordinator) -> None:
    best = {(s.mentor.name, s.executive.name) for s in desk.pairings().pairs}
    assert ("Amara Obi", "Gareth Llewellyn") not in best  # not what the matching would choose
    kept = desk.pairings(keep=[("gareth", "amara")])  # either order
    names = {(s.mentor.name, s.executive.name) for s in kept.pairs}
    assert ("Amara Obi", "Gareth Llewellyn") in names and len(kept.pairs) == len(best), names
    assert not any(
        s.mentor.name == "Amara Obi" and s.executive.name != "Gareth Llewellyn" for s in kept.pairs
    )
    with pytest.raises(InvalidInput, match="Amara and Kai are not a mentor and an executive"):
        desk.pairings(keep=[("amara", "kai")])


def test_weekly_free_times_in_utc_are_said_back_in_each_persons_time() -> None:
    london = week_grid(["Tue 08:00-10:00", "Thu 16:00-17:30"], "Europe/London")
    paris = week_grid(["Tue 09:00-11:00", "Fri 09:00-10:00"], "Europe/Paris")
    shared = london * paris
    assert local_slots(shared, "Europe/London") == ["Tue 08:00-10:00"]
    assert local_slots(shared, "Europe/Paris") == ["Tue 09:00-11:00"]
    late = week_grid(["Sun 23:00-24:00"], "UTC")  # two hours east, it is Monday morning
    assert local_slots(late, "UTC+02:00") == ["Mon 01:00-02:00"]
    assert local_slots(london * week_grid(["Wed 08:00-09:00"], "Europe/London"), "Europe/London") == []
