"""Pulse answers and self-ratings: private to their author, aggregates over enough people for coordinators."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from assistant.core import Assistant
from assistant.errors import Forbidden, InvalidInput, NotFound
from assistant.evaluation import Evaluation
from assistant.guide import Guide
from assistant.schedule import Schedule
from assistant.store import PulseAnswer, SelfRating
from tests.conftest import CliRun, Copier, auth

pytestmark = pytest.mark.engines  # the store's rules, on SQLite and on PostgreSQL

TODAY = dt.date(2026, 11, 25)  # "today" of the demo program
HELD = "priya-martin-2026-11-19"  # held, listed in the demo without a note; Priya has not answered it
PLANNED = "priya-martin-2026-12-03"
ORIGIN = {"Origin": "http://testserver"}  # a signed-in browser's posts come from the site's pages


@pytest.fixture(scope="module")
def assistant(demo_copy: Copier) -> Assistant:
    return demo_copy("evaluation")


@pytest.fixture(scope="module")
def client(assistant: Assistant) -> TestClient:
    return TestClient(create_app(assistant, Guide(assistant, model=None)), raise_server_exceptions=False)


def counts(assistant: Assistant) -> tuple[int, int]:
    with assistant.session(write=False) as session:
        answers = session.scalar(select(func.count()).select_from(PulseAnswer)) or 0
        ratings = session.scalar(select(func.count()).select_from(SelfRating)) or 0
    return answers, ratings


def test_the_demo_trend_reports_only_months_with_enough_people(assistant: Assistant) -> None:
    trend = Evaluation(assistant).pulse_trend(TODAY)
    assert trend.min_group_size == 3 and trend.since == dt.date(2026, 2, 16) and trend.until == TODAY
    months = {m.month: m for m in trend.months}
    assert list(months) == [f"2026-{n:02d}" for n in range(2, 12)]  # every month, answered or not
    assert [m for m, row in months.items() if row.reported] == ["2026-10", "2026-11"]
    assert (months["2026-10"].mean_usefulness, months["2026-10"].answers, months["2026-10"].people) == (
        3.83,
        6,
        6,
    )
    september = months["2026-09"]  # Priya and Martin answered: two people, no number at all
    assert september.model_dump(exclude={"month", "note"}) == {
        "reported": False,
        "mean_usefulness": None,
        "answers": None,
        "people": None,
    }
    assert "Fewer than 3 people" in (september.note or "")


def test_the_demo_objectives_compare_start_and_end_over_enough_people(assistant: Assistant) -> None:
    change = {o.id: o for o in Evaluation(assistant).objectives_change().objectives}
    assert list(change) == [
        "digital-tools",
        "younger-colleagues",
        "culture-and-inclusion",
        "strategy-and-decisions",
        "influence-and-career",
    ]
    tools = change["digital-tools"]
    assert (tools.start.mean, tools.start.people, tools.end.mean, tools.end.people, tools.change) == (
        2.0,
        5,
        3.0,
        3,
        1.0,
    )
    assert change["strategy-and-decisions"].learner == "mentor"
    # Only the pairs of one cycle: two end raters per side are too few, so no end and no change.
    some = Evaluation(assistant).objectives_change(pair_ids=["priya-martin", "noor-ingrid", "amara-rafael"])
    for row in some.objectives:
        assert row.start.reported and row.start.people == 3
        assert not row.end.reported and row.end.mean is None and row.change is None


def test_members_answer_the_pulse_and_only_they_read_it_back(assistant: Assistant) -> None:
    evaluation = Evaluation(assistant)
    before = counts(assistant)
    saved = evaluation.answer_pulse(HELD, "priya", 4, "  how the reforecast calendar works ", "good pace")
    assert (saved["usefulness"], saved["learned"], saved["comment"]) == (
        4,
        "how the reforecast calendar works",
        "good pace",
    )
    again = evaluation.answer_pulse(HELD, "priya", 5, "the reforecast calendar")  # replaces, once a person
    assert again["usefulness"] == 5 and again["comment"] == ""
    assert counts(assistant) == (before[0] + 1, before[1])
    assert evaluation.my_pulse(HELD, "priya") == again
    partner = evaluation.my_pulse(HELD, "martin")  # Martin sees his own (a demo answer), never Priya's
    assert partner is not None and partner["user_id"] == "martin" and "reforecast" not in json.dumps(partner)
    with pytest.raises(Forbidden):
        evaluation.my_pulse(HELD, "marisol")
    for stranger in ("kai", "jonas"):  # another pair's member, an admin: the session is not theirs to know
        with pytest.raises(NotFound):
            evaluation.my_pulse(HELD, stranger)
        with pytest.raises(NotFound):
            evaluation.answer_pulse(HELD, stranger, 3, "anything")


@pytest.mark.parametrize(
    ("session_id", "usefulness", "learned", "comment", "says"),
    [
        (HELD, 0, "x", "", "from 1 to 5"),
        (HELD, 6, "x", "", "from 1 to 5"),
        (HELD, True, "x", "", "from 1 to 5"),
        (HELD, 3, "   ", "", "one thing you learned"),
        (HELD, 3, "x" * 501, "", "under 500"),
        (HELD, 3, "x", "y" * 2001, "under 2000"),
        (PLANNED, 3, "x", "", "is planned; the pulse opens once"),
    ],
)
def test_a_bad_pulse_is_refused_in_a_sentence_and_nothing_is_stored(
    assistant: Assistant, session_id: str, usefulness: Any, learned: str, comment: str, says: str
) -> None:
    before = counts(assistant)
    with pytest.raises(InvalidInput, match=says):
        Evaluation(assistant).answer_pulse(session_id, "martin", usefulness, learned, comment)
    assert counts(assistant) == before
    assert Evaluation(assistant).my_pulse(HELD, "martin") != {"usefulness": usefulness}


def test_self_ratings_cover_the_objectives_of_ones_role_once_a_phase(assistant: Assistant) -> None:
    evaluation = Evaluation(assistant)
    form = evaluation.rating_form("sofia-gareth", "sofia", TODAY)
    assert [o["id"] for o in form["objectives"]] == ["strategy-and-decisions", "influence-and-career"]
    assert form["open_phase"] == "end" and form["mine"] == {
        "start": {"strategy-and-decisions": 2, "influence-and-career": 2}
    }
    assert form["windows"] == {
        "start": {"from": None, "until": "2026-07-06"},
        "end": {"from": "2026-09-06", "until": None},
    }
    before = counts(assistant)
    bad = [
        ("start", {"strategy-and-decisions": 3, "influence-and-career": 3}, "closed on 2026-07-06"),
        ("middle", {"strategy-and-decisions": 3}, "not a phase"),
        ("end", {"strategy-and-decisions": 3}, "missing: influence-and-career"),
        (
            "end",
            {"strategy-and-decisions": 3, "influence-and-career": 3, "digital-tools": 2},
            "not one of your",
        ),
        ("end", {"strategy-and-decisions": 0, "influence-and-career": 3}, "from 1 to 5"),
        ("end", {"strategy-and-decisions": 3, "influence-and-career": 6}, "from 1 to 5"),
    ]
    for phase, given, says in bad:
        with pytest.raises(InvalidInput, match=says):
            evaluation.rate("sofia-gareth", "sofia", phase, given, TODAY)
    assert counts(assistant) == before
    early = evaluation.rating_form("sofia-gareth", "gareth", "2026-08-01")
    assert early["open_phase"] is None
    with pytest.raises(InvalidInput, match="open on 2026-09-06"):
        evaluation.rate("sofia-gareth", "gareth", "end", {"digital-tools": 3}, "2026-08-01")
    given = {"strategy-and-decisions": 3, "influence-and-career": 4}
    assert evaluation.rate("sofia-gareth", "sofia", "end", given, TODAY)["ratings"] == given
    given = {"strategy-and-decisions": 4, "influence-and-career": 4}  # again: replaces
    evaluation.rate("sofia-gareth", "sofia", "end", given, TODAY)
    assert evaluation.my_ratings("sofia-gareth", "sofia")["end"] == given
    assert counts(assistant) == (before[0], before[1] + 2)
    assert "end" not in evaluation.my_ratings("sofia-gareth", "gareth")  # the partner's are their own
    with pytest.raises(Forbidden):
        evaluation.my_ratings("sofia-gareth", "marisol")
    with pytest.raises(NotFound):
        evaluation.rate("sofia-gareth", "priya", "end", given, TODAY)


def test_the_api_keeps_answers_to_their_author(client: TestClient, assistant: Assistant) -> None:
    body = {"usefulness": 3, "learned": "copilot drafts the ops summary", "comment": "short one"}
    r = client.put(f"/v1/sessions/{HELD}/pulse", json=body, headers=auth("martin"))
    assert r.status_code == 200 and r.json()["learned"] == body["learned"]
    assert client.get(f"/v1/sessions/{HELD}/pulse", headers=auth("martin")).json()["usefulness"] == 3
    theirs = client.get(f"/v1/sessions/{HELD}/pulse", headers=auth("priya"))
    assert "copilot drafts" not in theirs.text
    for user, code in (("marisol", 403), ("kai", 404), ("jonas", 404)):
        for r in (
            client.get(f"/v1/sessions/{HELD}/pulse", headers=auth(user)),
            client.put(f"/v1/sessions/{HELD}/pulse", json=body, headers=auth(user)),
        ):
            assert r.status_code == code and "copilot drafts" not in r.text, (user, r.text)
    before = counts(assistant)
    for bad, code in (
        ({**body, "usefulness": 0}, 422),
        ({**body, "usefulness": 6}, 422),
        ({**body, "usefulness": "4"}, 422),
        ({**body, "learned": ""}, 422),
        ({**body, "extra": 1}, 422),
    ):
        r = client.put(f"/v1/sessions/{HELD}/pulse", json=bad, headers=auth("priya"))
        assert r.status_code == code and r.json()["detail"].count(".") <= 2, r.text
    r = client.put(f"/v1/sessions/{PLANNED}/pulse", json=body, headers=auth("priya"))
    assert r.status_code == 422 and "is planned" in r.json()["detail"]
    assert client.get(f"/v1/sessions/{PLANNED}/pulse", headers=auth("priya")).status_code == 404
    assert counts(assistant) == before


def test_the_api_ratings_and_the_coordinators_aggregates(client: TestClient, assistant: Assistant) -> None:
    r = client.get("/v1/pairs/amara-rafael/ratings", headers=auth("rafael"))
    assert r.status_code == 200 and r.json()["open_phase"] == "end"  # a cycle from March is in its end
    assert next(o["id"] for o in r.json()["objectives"]) == "digital-tools"
    before = counts(assistant)
    for ratings, code in (
        ({"digital-tools": 4, "younger-colleagues": 3}, 422),
        ({"digital-tools": 4, "younger-colleagues": 3, "culture-and-inclusion": 9}, 422),
        ({"digital-tools": 4, "younger-colleagues": 3, "nope": 3}, 422),
    ):
        r = client.put(
            "/v1/pairs/amara-rafael/ratings/end", json={"ratings": ratings}, headers=auth("rafael")
        )
        assert r.status_code == code, r.text
    r = client.put("/v1/pairs/amara-rafael/ratings/middle", json={"ratings": {}}, headers=auth("rafael"))
    assert r.status_code == 422
    assert counts(assistant) == before
    given = {"digital-tools": 4, "younger-colleagues": 3, "culture-and-inclusion": 3}
    r = client.put("/v1/pairs/amara-rafael/ratings/end", json={"ratings": given}, headers=auth("rafael"))
    assert r.status_code == 200 and r.json()["ratings"] == given
    assert (
        client.get("/v1/pairs/amara-rafael/ratings", headers=auth("amara")).json()["mine"].get("end") is None
    )
    for user, code in (("marisol", 403), ("priya", 404)):
        assert client.get("/v1/pairs/amara-rafael/ratings", headers=auth(user)).status_code == code
    for path in ("/v1/program/pulse?today=2026-11-25", "/v1/program/objectives", "/v1/program/health"):
        assert client.get(path, headers=auth("rafael")).status_code == 403
        r = client.get(path, headers=auth("marisol"))
        assert r.status_code == 200, r.text
        assert "copilot drafts" not in r.text and "reforecast" not in r.text
    health = client.get("/v1/program/health?today=2026-11-25", headers=auth("marisol")).json()
    assert [m["month"] for m in health["pulse"]["months"] if m["reported"]] == ["2026-10", "2026-11"]
    assert {o["id"] for o in health["objectives_self_rated"]["objectives"]} >= {"digital-tools"}


def test_the_session_page_offers_the_pulse_to_members_of_a_held_session(
    client: TestClient, assistant: Assistant
) -> None:
    def page(user: str, session_id: str = HELD) -> Any:
        client.cookies.clear()
        r = client.post("/signin", data={"token": f"demo-{user}"}, headers=ORIGIN, follow_redirects=False)
        assert r.status_code == 303
        return client.get(f"/sessions/{session_id}")

    origin = ORIGIN
    shown = page("noor", "noor-ingrid-" + "2026-12-10")  # planned: no pulse yet
    assert shown.status_code == 200 and 'id="pulse"' not in shown.text
    held = next(s for s in Schedule(assistant).list("noor-ingrid", "noor") if s["date"] == "2026-11-12")
    shown = page("ingrid", held["id"])
    assert 'id="pulse"' in shown.text and "Save my answer" in shown.text
    before = counts(assistant)
    form = {"usefulness": "0", "learned": "the rostering app", "comment": ""}
    r = client.post(f"/sessions/{held['id']}/pulse", data=form, headers=origin)
    assert r.status_code == 400 and "from 1 to 5" in r.text and "the rostering app" in r.text  # kept
    assert counts(assistant) == before
    r = client.post(
        f"/sessions/{held['id']}/pulse",
        data={**form, "usefulness": "5"},
        headers=origin,
        follow_redirects=False,
    )
    assert r.status_code == 303
    shown = client.get(r.headers["location"])
    assert "Your answer is saved" in shown.text and "Update my answer" in shown.text
    assert "the rostering app" in shown.text
    partner = page("noor", held["id"])  # Noor's own (demo) answer is there; Ingrid's text is not
    assert 'id="pulse"' in partner.text and "the rostering app" not in partner.text
    for stranger in ("kai", "marisol", "jonas"):
        r = page(stranger, held["id"])
        assert "the rostering app" not in r.text and "board approval can come" not in r.text
        r = client.post(f"/sessions/{held['id']}/pulse", data=form, headers=origin)
        assert r.status_code in (403, 404) and "the rostering app" not in r.text
    client.cookies.clear()


def test_the_objectives_page_rates_the_open_phase(client: TestClient, assistant: Assistant) -> None:
    origin = ORIGIN
    client.cookies.clear()
    client.post("/signin", data={"token": "demo-gareth"}, headers=ORIGIN)
    r = client.get("/pairs/sofia-gareth/objectives")
    assert r.status_code == 200 and "End of the cycle" in r.text and 'name="rating-digital-tools"' in r.text
    assert 'name="rating-strategy-and-decisions"' not in r.text  # a mentor's objective
    before = counts(assistant)
    form = {"phase": "end", "rating-digital-tools": "3", "rating-younger-colleagues": "4"}
    r = client.post("/pairs/sofia-gareth/objectives", data=form, headers=origin)
    assert r.status_code == 400 and "missing: culture-and-inclusion" in r.text
    r = client.post("/pairs/sofia-gareth/objectives", data={**form, "rating-nope": "2"}, headers=origin)
    assert r.status_code == 400 and "not one of your objectives" in r.text
    assert counts(assistant) == before
    form["rating-culture-and-inclusion"] = "3"
    r = client.post("/pairs/sofia-gareth/objectives", data=form, headers=origin, follow_redirects=False)
    assert r.status_code == 303
    assert "Your ratings are saved" in client.get(r.headers["location"]).text
    assert counts(assistant) == (before[0], before[1] + 3)
    client.cookies.clear()
    client.post("/signin", data={"token": "demo-sofia"}, headers=ORIGIN)
    r = client.get("/pairs/sofia-gareth/objectives")
    assert 'name="rating-digital-tools"' not in r.text
    client.cookies.clear()
    client.post("/signin", data={"token": "demo-marisol"}, headers=ORIGIN)
    assert client.get("/pairs/sofia-gareth/objectives").status_code == 403
    client.cookies.clear()


def test_the_cli_answers_rates_and_reports(cli: CliRun) -> None:
    def ok(*args: str) -> Any:
        code, out, err = cli(*args, "--json")
        assert code == 0, err
        return json.loads(out)

    mentor = ok("users", "add", "--name", "Mina Mentor", "--role", "mentor")["id"]
    executive = ok("users", "add", "--name", "Ezra Exec", "--role", "executive")["id"]
    pair = ok("pairs", "add", "--mentor", mentor, "--executive", executive)["id"]
    past = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    held = ok("sessions", "plan", "--pair", pair, "--start", f"{past}T08:00", "--as", mentor)["id"]
    ok("sessions", "held", held, "--as", executive)
    answer = ["pulse", "answer", held, "--as", mentor, "--usefulness"]
    saved = ok(*answer, "4", "--learned", "how the budget is argued", "--comment", "more please")
    assert (saved["usefulness"], saved["comment"]) == (4, "more please")
    assert ok("pulse", "mine", held, "--as", mentor)["learned"] == "how the budget is argued"
    rated = ok(
        "objectives",
        "rate",
        pair,
        "--as",
        executive,
        "--phase",
        "start",
        "--rating",
        "digital-tools=2",
        "--rating",
        "younger-colleagues=3",
        "--rating",
        "culture-and-inclusion=2",
    )
    assert rated["ratings"]["younger-colleagues"] == 3
    assert ok("objectives", "mine", pair, "--as", executive)["mine"]["start"]["digital-tools"] == 2
    for args, says in (
        ([*answer, "7", "--learned", "x"], "1 to 5"),
        ([*answer, "3", "--learned", " "], "one thing you learned"),
        (["pulse", "mine", held, "--as", executive], "has not answered"),
        (
            ["objectives", "rate", pair, "--as", mentor, "--phase", "start", "--rating", "x"],
            "OBJECTIVE=RATING",
        ),
        (
            [
                "objectives",
                "rate",
                pair,
                "--as",
                mentor,
                "--phase",
                "end",
                "--rating",
                "influence-and-career=3",
            ],
            "open on",
        ),
    ):
        code, out, err = cli(*args)
        assert code == 2 and says in err and len(err.strip().splitlines()) == 1, (args, err)
    trend = ok("pulse", "trend")  # one person answered: nothing to report
    assert trend["months"] and not any(m["reported"] for m in trend["months"])
    change = ok("objectives", "change")
    assert not any(o["start"]["reported"] for o in change["objectives"])
    code, out, _ = cli("health", "--json")
    assert code == 0 and "how the budget is argued" not in out and "more please" not in out
    assert json.loads(out)["pulse"]["months"][-1]["reported"] is False
    code, out, _ = cli("pulse", "--help")
    assert code == 0 and "answer" in out and "trend" in out
