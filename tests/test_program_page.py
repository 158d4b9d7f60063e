"""The coordinator's picture over a copy of the demo program: dashboard, impact report, pairing.

Pages and API through the app, the CLI as a process, and the dashboard in Debian's Chromium
(accepting and overriding a suggestion, printing). Reports carry figures only: a note's text
(a canary here) never appears, and a cycle smaller than the minimum group size gives no figures.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from api.app import create_app
from assistant.coordinator import Coordinator
from assistant.core import Assistant
from assistant.guide import Guide
from assistant.pairing import guideline_warnings
from assistant.profiles import Participant
from assistant.settings import REPO_ROOT
from tests.conftest import CHROMIUM, Copier, auth, sign_in

CANARY = "quokka-canary-5521"
SHOTS = REPO_ROOT / "artifacts" / "screenshots"
DOCS_SHOTS = REPO_ROOT / "docs" / "screenshots"
TIMEOUT_MS = 60_000
expect.set_options(timeout=TIMEOUT_MS)
# A mentor eight or nine hours from every executive, with an account, to draw the time-zone warning.
FAR_MENTOR = (
    "id,user_id,name,role,department,manager_id,teaches,learns,time_zone,availability\n"
    "yuki,yuki,Yuki Tanaka,mentor,Digital Products,,AI assistants; dashboards,budget cycle,"
    "Asia/Tokyo,Tue 08:00-10:00\n"
)


@pytest.fixture(scope="module")
def assistant(demo_copy: Copier) -> Assistant:
    """A writable demo program with a canary in a program-visible note and a far-away mentor."""
    assistant = demo_copy("program-home")
    assistant.add_note(
        "kai-helen", "kai", "2026-11-20", f"We met. {CANARY}\n\n- [ ] Kai: {CANARY}", "program"
    )
    assistant.add_user("Yuki Tanaka", "mentor", user_id="yuki")
    Coordinator(assistant).import_participants(FAR_MENTOR.encode(), "yuki.csv")
    return assistant


@pytest.fixture(scope="module")
def client(assistant: Assistant) -> TestClient:
    return TestClient(create_app(assistant, Guide(assistant, model=None)), base_url="http://localhost")


def pair_count(assistant: Assistant) -> int:
    return len(assistant.list_pairs())


def test_the_report_gives_aggregates_and_never_note_text(client: TestClient) -> None:
    report = client.get("/v1/program/report", headers=auth("marisol"))
    assert report.status_code == 200
    data = report.json()
    assert data["reported"] and data["pairs"] == 5
    assert data["cycle"] == {"started_from": "2026-02-16", "started_to": "2026-04-06", "ends": "2026-10-06"}
    measures = {(f["section"], f["measure"]): f["value"] for f in data["figures"]}
    assert measures[("Participation", "Pairs")] == 5
    assert measures[("Sessions", "Held")] > 0
    assert sum(data["sessions_held_by_month"]) == measures[("Sessions", "Held")]
    for path in ("/v1/program/report", "/v1/program/report.csv", "/program/report", "/program/report.csv"):
        body = client.get(path, headers=auth("marisol") | {"Accept": "text/html"}).text
        assert CANARY not in body, path
    page = client.get("/program/report", headers=auth("marisol") | {"Accept": "text/html"})
    assert page.status_code == 200 and 'role="img"' in page.text and "<desc" in page.text


def test_the_csv_is_one_figure_a_row(client: TestClient) -> None:
    response = client.get("/program/report.csv?from=2026-02-01&to=2026-04-30", headers=auth("marisol"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="impact-2026-02-01-2026-04-30.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["section", "measure", "value", "note"]
    assert ["Cycle", "Pairs", "5", ""] in rows
    assert any(r[0] == "By month" and r[1] == "Sessions held, 2026-03" for r in rows)


def test_a_cycle_below_the_minimum_group_size_gives_no_figures(client: TestClient) -> None:
    data = client.get("/v1/program/report?from=2026-03-01&to=2026-03-20", headers=auth("marisol")).json()
    assert data["pairs"] == 2 and not data["reported"]
    assert data["figures"] == [] and data["sessions_held_by_month"] == []
    assert "too small to report" in data["note"]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    "/v1/program/report.csv?from=2026-03-01&to=2026-03-20", headers=auth("marisol")
                ).text
            )
        )
    )
    assert len(rows) == 5 and rows[-1][:3] == ["Cycle", "Reported", "no"]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("from=2026-05-01&to=2026-04-01", "must not be after its last."),
        ("from=yesterday", "query.from"),
        ("to=2026-13-40", "query.to"),
    ],
)
def test_a_bad_cycle_is_refused_in_one_line(client: TestClient, query: str, says: str) -> None:
    response = client.get(f"/v1/program/report?{query}", headers=auth("marisol"))
    assert response.status_code == 422
    assert says in response.json()["detail"] and "\n" not in response.json()["detail"]


@pytest.mark.parametrize("user", ["priya", "martin"])
def test_members_get_no_report_and_cannot_pair(client: TestClient, assistant: Assistant, user: str) -> None:
    before = pair_count(assistant)
    for path in ("/v1/program/report", "/v1/program/report.csv", "/v1/program/proposals"):
        response = client.get(path, headers=auth(user))
        assert response.status_code == 403, path
        assert "Sessions" not in response.text and "figures" not in response.text
    page = client.get("/program/report", headers=auth(user) | {"Accept": "text/html"})
    assert page.status_code == 403 and "Held" not in page.text
    response = client.post(
        "/v1/program/pairs", json={"mentor": "kai", "executive": "martin"}, headers=auth(user)
    )
    assert response.status_code == 403
    assert pair_count(assistant) == before


def test_proposals_carry_reasons_and_warnings(client: TestClient) -> None:
    data = client.get("/v1/program/proposals", headers=auth("marisol")).json()
    assert data["waiting"] == 11  # five pairs past their six months, and Yuki
    assert {f["pair_id"] for f in data["finished"]} == {
        "kai-helen",
        "priya-martin",
        "amara-rafael",
        "noor-ingrid",
        "sofia-gareth",
    }
    assert all(p["explanation"] for p in data["matching"]["pairs"])
    martin = next(o for o in data["overrides"] if o["executive_id"] == "martin")["options"]
    amara = next(o for o in martin if o["id"] == "amara")
    assert not amara["allowed"] and "same reporting line" in amara["warnings"][0]
    yuki = next(o for o in martin if o["id"] == "yuki")
    assert yuki["allowed"] and any("time zones are 9 hours apart" in w for w in yuki["warnings"])


def test_guideline_warnings_name_the_time_zone_gap() -> None:
    mentor = Participant(id="m", name="Ana Lee", role="mentor", time_zone="Asia/Singapore")
    executive = Participant(id="e", name="Bo Berg", role="executive", time_zone="Europe/London")
    warnings = guideline_warnings(mentor, executive, 8.0)
    assert warnings == [
        "Their time zones are 8 hours apart; the guidelines avoid more than 4 unless both sides insist."
    ]
    assert guideline_warnings(mentor, executive, 4.0) == []


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"mentor": "amara", "executive": "martin"}, 422, "reporting line"),
        ({"mentor": "leo", "executive": "gareth"}, 422, "no user account"),
        ({"mentor": "nobody", "executive": "martin"}, 404, "no participant profile"),
        ({"mentor": "helen", "executive": "martin"}, 422, "Pick a mentor and an executive."),
        ({"mentor": "kai"}, 422, ""),
        ({"mentor": "kai", "executive": "martin", "extra": 1}, 422, ""),
    ],
)
def test_bad_pairing_changes_nothing(
    client: TestClient, assistant: Assistant, body: dict[str, object], status: int, says: str
) -> None:
    before = pair_count(assistant)
    response = client.post("/v1/program/pairs", json=body, headers=auth("marisol"))
    assert response.status_code == status
    assert says in response.json()["detail"]
    assert pair_count(assistant) == before


def test_the_pairing_form_refuses_bad_input_in_one_sentence(client: TestClient, assistant: Assistant) -> None:
    before = pair_count(assistant)
    page = {"Accept": "text/html"}
    refused = client.post(
        "/program/pairs", data={"mentor": "amara", "executive": "martin"}, headers=auth("marisol") | page
    )
    assert (
        refused.status_code == 422
        and "one reporting line" in refused.text
        and "Traceback" not in refused.text
    )
    missing = client.post("/program/pairs", data={"mentor": "kai"}, headers=auth("marisol") | page)
    assert missing.status_code == 422
    member = client.post(
        "/program/pairs", data={"mentor": "kai", "executive": "martin"}, headers=auth("kai") | page
    )
    assert member.status_code == 403
    assert pair_count(assistant) == before


def test_the_cli_prints_the_report_as_json_and_csv(assistant: Assistant) -> None:
    env = {**os.environ, "ASSISTANT_HOME": str(assistant.settings.home)}
    run = [sys.executable, "-m", "assistant", "report", "--today", "2026-12-01"]
    out = subprocess.run([*run, "--json"], capture_output=True, text=True, env=env, check=True)
    assert '"reported": true' in out.stdout and CANARY not in out.stdout
    out = subprocess.run([*run, "--csv"], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.startswith("section,measure,value,note\n") and CANARY not in out.stdout
    bad = subprocess.run(
        [*run, "--from", "2026-05-01", "--to", "2026-04-01"], capture_output=True, text=True, env=env
    )
    assert bad.returncode == 2 and bad.stderr.strip().endswith(".") and "Traceback" not in bad.stderr


# In the browser ------------------------------------------------------------------------------


def shot(page: Page, name: str, full_page: bool = False) -> None:
    """Save a screenshot as a test artifact (and for the README with ASSISTANT_DOCS_SCREENSHOTS=1)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)
    if os.environ.get("ASSISTANT_DOCS_SCREENSHOTS") == "1" and not full_page:
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHOTS / f"{name}.png", DOCS_SHOTS / f"{name}.png")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_the_dashboard_leads_with_attention_and_prints(page: Page) -> None:
    sign_in(page, "demo-marisol")
    expect(page).to_have_url(re.compile(r"/program$"))
    expect(page.locator("h2").first).to_have_text("Pairs that need attention")
    first = page.locator(".attention-list > li").first
    expect(first).to_contain_text("stalled")
    expect(first).to_contain_text("the guidelines allow 42")
    chart = page.locator("svg[role=img]").first
    expect(chart.locator("title").first).to_have_text("Sessions held each month")
    expect(chart.locator("desc")).to_contain_text("last 12 months")
    expect(page.get_by_role("img", name=re.compile("Sessions held each month"))).to_be_visible()
    assert page.locator(".suppressed").count() == 1, "one line names every group too small to report"
    assert CANARY not in page.content()
    page.set_viewport_size({"width": 1280, "height": 1500})
    shot(page, "dashboard")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#library")).to_be_hidden()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    shot(page, "dashboard-print", full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)")
def test_a_coordinator_accepts_one_suggestion_and_overrides_another(page: Page, assistant: Assistant) -> None:
    sign_in(page, "demo-marisol")
    suggestion = page.locator(".suggestion").first
    title = suggestion.locator("h3").inner_text()
    mentor, executive = (part.strip() for part in title.split("→"))
    before = pair_count(assistant)
    suggestion.get_by_role("button", name=f"Accept: pair {mentor} with {executive}").click()
    expect(page.locator("#pairing .notice")).to_contain_text("was created; it starts today")
    assert pair_count(assistant) == before + 1
    expect(page.locator(".suggestion h3", has_text=executive)).to_have_count(0)

    card = page.locator(".suggestion", has=page.get_by_label(re.compile("Another mentor for Martin")))
    select = card.get_by_label(re.compile("Another mentor for Martin"))
    expect(select.locator("option[value=sofia]")).to_be_disabled()  # Martin manages Sofia's manager
    expect(select.locator("option[value=sofia]")).to_contain_text("same reporting line")
    expect(select.locator("option[value=yuki]")).to_contain_text("9 hours apart")
    select.select_option("yuki")
    card.get_by_role("button", name="Pair with this mentor instead").click()
    expect(page.locator("#pairing .notice")).to_contain_text("was created")
    assert any(p["mentor_id"] == "yuki" and p["executive_id"] == "martin" for p in assistant.list_pairs())
    assert pair_count(assistant) == before + 2
