"""The web pages in a real browser: Debian's Chromium driven by Playwright, over the demo program.

Screenshots of every page land in ``artifacts/screenshots/`` (git-ignored). Set
``ASSISTANT_DOCS_SCREENSHOTS=1`` to also refresh the committed copies in ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from api.present import split_sources
from assistant import program
from assistant.core import Assistant
from assistant.reading import slug
from assistant.render import citations_text
from assistant.settings import REPO_ROOT
from assistant.tasks.schemas import Answer, Citation
from tests.conftest import CHROMIUM, Copier, sign_in

SHOTS = REPO_ROOT / "artifacts" / "screenshots"
DOCS_SHOTS = REPO_ROOT / "docs" / "screenshots"
TIMEOUT_MS = 60_000  # generous: CI machines are slow and share their cores
REINDEX_MS = 240_000

expect.set_options(timeout=TIMEOUT_MS)
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def assistant(demo_copy: Copier) -> Assistant:
    """A writable demo program, plus a mentor who belongs to two pairs."""
    assistant = demo_copy("web-home")
    with assistant.session() as session:
        program.add_user(session, "Rosa Lindgren", "mentor", user_id="rosa", token="web-rosa")
        program.add_user(session, "Theo Brandt", "executive", user_id="theo", token="web-theo")
        program.add_pair(session, "rosa", "theo", "Digital fluency", "2026-09-01", pair_id="rosa-theo")
        program.add_pair(session, "rosa", "helen", "Culture", "2026-10-01", pair_id="rosa-helen")
    return assistant


def shot(page: Page, name: str, full_page: bool = True) -> None:
    """Save a screenshot as a test artifact (and for the README when asked)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if os.environ.get("ASSISTANT_DOCS_SCREENSHOTS") == "1":
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SHOTS / path.name)


def ask_in_chat(page: Page, message: str) -> None:
    """Type a message, send it with the keyboard and wait for the streamed answer to finish."""
    page.get_by_label("Your message").fill(message)
    with page.expect_response("**/v1/chat") as response:
        page.get_by_label("Your message").press("Enter")
    assert response.value.headers["content-type"].startswith("text/event-stream")
    expect(page.locator('.message.assistant[data-state="done"]').last).to_be_visible()


def test_sign_in_keeps_the_token_in_an_http_only_cookie(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/signin$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shot(page, "signin")
    page.get_by_label("Access token").fill("not-a-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("That token is not valid.")
    expect(page.get_by_label("Access token")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Access token").fill("demo-priya")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    assert "demo-priya" not in page.url
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "assistant_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie") == "", "scripts cannot read the token"
    expect(page.get_by_text("Priya Raman")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/signin"))
    page.goto("/pairs/priya-martin/brief")
    expect(page).to_have_url(re.compile(r"/signin\?next=/pairs/priya-martin/brief"))


def test_chat_streams_an_answer_with_citations_that_open(page: Page) -> None:
    sign_in(page, "demo-priya")
    prompts = page.locator("[data-prompt]")
    expect(prompts).to_have_text(
        ["Ideas for our next session", "Draft a 45-minute agenda", "My executive keeps cancelling"]
    )
    expect(page.locator("#history-empty")).to_be_visible()
    with page.expect_response("**/v1/chat") as response:
        page.get_by_role("button", name="My executive keeps cancelling").click()
    assert response.value.headers["content-type"].startswith("text/event-stream")
    answer = page.locator('.message.assistant[data-state="done"]')
    expect(answer).to_contain_text("Cancellations")
    assert int(answer.get_attribute("data-chunks") or 0) > 1, "the answer arrived in several events"
    expect(answer.locator(".text")).not_to_contain_text("Sources:")
    expect(page.get_by_role("status").first).to_have_text("Answer ready.")
    expect(page.locator("#history-list li")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/\?conversation=c-"))
    guideline_chip = answer.locator('a.chip[href^="/guidelines/"]').first
    note_chip = answer.locator('a.chip[href^="/notes/"]').first
    expect(guideline_chip).to_be_visible()
    expect(note_chip).to_be_visible()
    shot(page, "chat")

    conversation_url = page.url
    guideline_chip.click()
    expect(page).to_have_url(
        re.compile(r"/guidelines/challenge-playbook\.md#time-constraints-and-cancellations")
    )
    target = page.locator(":target")
    expect(target).to_have_attribute("id", "time-constraints-and-cancellations")
    expect(target).to_be_in_viewport()
    expect(target.get_by_role("heading")).to_have_text("Time constraints and cancellations")
    shot(page, "guideline", full_page=False)

    page.goto(conversation_url)
    expect(page.locator(".message")).to_have_count(2)
    expect(page.locator('.message.assistant a.chip[href^="/guidelines/"]').first).to_be_visible()
    page.locator('.message.assistant a.chip[href^="/notes/"]').first.click()
    expect(page).to_have_url(re.compile(r"/notes/priya-martin-\d+$"))
    expect(page.get_by_text("Written by")).to_be_visible()
    shot(page, "note")


def test_keyboard_and_phone_width(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in(page, "demo-kai")
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                             && !e.textContent.trim()).map(e => e.outerHTML)"""
        )
        assert unlabelled == []
        ask_in_chat(page, "Draft a 45-minute agenda")
        answer = page.locator(".message.assistant").last
        expect(answer).to_contain_text("45-minute session: Kai Nakamura and Helen Drummond")
        expect(page.get_by_label("Your message")).to_be_focused()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, "no sideways scrolling on a phone"
        shot(page, "chat-phone")
    finally:
        context.close()


def test_pair_selector_for_someone_in_several_pairs(page: Page) -> None:
    sign_in(page, "web-rosa")
    selector = page.get_by_label("Pair")
    expect(selector.locator("option")).to_have_text(
        ["Rosa Lindgren & Theo Brandt", "Rosa Lindgren & Helen Drummond"]
    )
    selector.select_option("rosa-helen")
    ask_in_chat(page, "Draft a 30-minute agenda")
    expect(page.locator(".message.assistant").last).to_contain_text("Rosa Lindgren and Helen Drummond")
    expect(page.get_by_role("link", name="Prep brief: Rosa Lindgren & Theo Brandt")).to_be_visible()


def test_brief_reads_prints_and_downloads(page: Page) -> None:
    sign_in(page, "demo-martin")
    page.get_by_role("link", name="Prep brief").click()
    expect(page).to_have_url(re.compile(r"/pairs/priya-martin/brief$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Raman & Martin Achterberg")
    for heading in ("Recap of recent sessions", "Open actions", "Agenda (45 minutes)", "Questions to ask"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("table.agenda tbody tr").first).to_be_visible()
    shot(page, "brief")

    with page.expect_download() as markdown:
        page.get_by_role("link", name="Download Markdown").click()
    text = Path(markdown.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Prep brief — ") and "## Open actions" in text
    assert markdown.value.suggested_filename == "prep-brief-priya-martin.md"

    page.get_by_label("Date").fill("2026-12-09")
    page.get_by_label("Start time").fill("10:30")
    with page.expect_download() as calendar:
        page.get_by_role("button", name="Download .ics").click()
    ics = Path(calendar.value.path()).read_bytes().decode()
    unfolded = ics.replace("\r\n ", "")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and "BEGIN:VEVENT" in ics
    assert "DTSTART:20261209T103000" in unfolded and "DURATION:PT45M" in unfolded
    assert "Check-in and open actions" in unfolded
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))

    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed === true")
    header = page.locator(".site-header")
    actions = page.locator(".brief-actions")
    expect(header).to_be_visible()
    page.emulate_media(media="print")
    expect(header).to_be_hidden()
    expect(actions).to_be_hidden()
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Georgia" in font, "the print stylesheet applies"
    shot(page, "brief-print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    (SHOTS / "brief.pdf").write_bytes(pdf)


def test_no_one_opens_another_pairs_brief_or_notes(page: Page) -> None:
    sign_in(page, "demo-priya")
    for path in ("/pairs/kai-helen/brief", "/notes/kai-helen-01", "/pairs/no-such-pair/brief"):
        response = page.goto(path)
        assert response is not None and response.status == 404, path
        expect(page.get_by_role("heading", name="Not found")).to_be_visible()
        assert "Traceback" not in page.content()
    shot(page, "not-found")
    for path in ("/pairs/kai-helen/brief.md", "/pairs/kai-helen/brief.ics"):
        assert page.request.get(path).status == 404, path
    response = page.goto("/program")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


def test_coordinator_uploads_a_guideline_and_asks(page: Page) -> None:
    sign_in(page, "demo-marisol")
    expect(page).to_have_url(re.compile(r"/program$"))
    expect(page.get_by_role("heading", name="Pairs that need attention")).to_be_visible()
    expect(page.locator("table.heat tbody tr")).to_have_count(7)
    expect(page.locator(".attention-list > li").first).to_contain_text("stalled")
    response = page.goto("/pairs/kai-helen/brief")
    assert response is not None and response.status == 404, "coordinators do not read briefs"
    page.goto("/program")

    page.get_by_label("Files (Markdown, text, PDF or DOCX; up to 10 MB each)").set_input_files(
        {"name": "virus.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}
    )
    page.get_by_role("button", name="Upload and index").click()
    expect(page.locator("#upload-status")).to_contain_text("upload Markdown, text, PDF or DOCX")

    rows_before = page.locator("#library-rows tr").count()
    page.get_by_label("Files (Markdown, text, PDF or DOCX; up to 10 MB each)").set_input_files(
        {
            "name": "travel-between-sites.md",
            "mimeType": "text/markdown",
            "buffer": b"---\ntitle: Travel between sites\n---\n## Meeting across sites\n"
            b"Pairs on different sites alternate offices each month so both people travel.\n",
        }
    )
    page.get_by_role("button", name="Upload and index").click()
    expect(page.locator("#upload-status")).to_contain_text("Added travel-between-sites.md")
    expect(page.locator("#library-rows tr")).to_have_count(rows_before + 1)

    page.get_by_label("Your question").fill("Should pairs on different sites alternate offices?")
    page.get_by_label("Your question").press("Enter")
    answer = page.locator("#answer")
    expect(answer).to_be_visible()
    chip = answer.locator('a.chip[href^="/guidelines/travel-between-sites.md"]')
    expect(chip).to_be_visible()
    shot(page, "program")

    chip.click()
    expect(page.locator(":target").get_by_role("heading")).to_have_text("Meeting across sites")
    page.goto("/program")
    page.get_by_role("button", name="Re-index everything").click(timeout=REINDEX_MS)
    expect(page.get_by_text("The index was rebuilt")).to_be_visible()
    expect(page.get_by_role("link", name="Travel between sites")).to_be_visible()


def test_cookie_requests_from_other_sites_are_refused(base_url: str) -> None:
    body = {"question": "How often should pairs meet?"}
    with httpx.Client(base_url=base_url) as client:
        client.post("/signin", data={"token": "demo-priya"}, headers={"Origin": base_url})
        assert "assistant_session" in client.cookies
        assert client.get("/v1/me").json()["id"] == "priya"
        foreign = client.post("/v1/ask", json=body, headers={"Origin": "https://evil.example"})
        assert foreign.status_code == 403 and "Cross-site" in foreign.json()["detail"]
        assert client.post("/v1/ask", json=body).status_code == 403, "no Origin or Referer"
        assert client.post("/v1/ask", json=body, headers={"Origin": base_url}).status_code == 200
        assert client.post("/signout", headers={"Origin": "https://evil.example"}).status_code == 403
    with httpx.Client(base_url=base_url) as client:
        bearer = client.post("/v1/ask", json=body, headers={"Authorization": "Bearer demo-priya"})
        assert bearer.status_code == 200, "bearer-token API calls need no Origin"
        forged = client.post(
            "/signin", data={"token": "demo-priya"}, headers={"Origin": "https://evil.example"}
        )
        assert forged.status_code == 403 and "assistant_session" not in forged.headers.get("set-cookie", "")
        page = client.get(
            "/guidelines/..%2F..%2Fpyproject.toml", headers={"Authorization": "Bearer demo-priya"}
        )
        assert page.status_code == 404 and "Traceback" not in page.text


def test_section_anchors_and_stored_citations() -> None:
    assert slug("Time constraints and cancellations") == "time-constraints-and-cancellations"
    assert slug("Q&A: what's new?") == "q-a-what-s-new"
    assert slug(None) == slug("") == "introduction"
    answer = Answer(
        answer="Meet twice a month.",
        abstained=False,
        citations=[
            Citation(kind="guideline", source="faq.md", section="Can my manager read our notes?"),
            Citation(kind="guideline", source="team/intro.md", section=None),
            Citation(kind="note", note_id="kai-helen-03", date="2026-04-02"),
        ],
    )
    body, chips = split_sources(f"{answer.answer}\n\nSources:\n{citations_text(answer)}")
    assert body == "Meet twice a month."
    assert [c["href"] for c in chips] == [
        "/guidelines/faq.md#can-my-manager-read-our-notes",
        "/guidelines/team/intro.md#introduction",
        "/notes/kai-helen-03",
    ]
    assert split_sources("No sources here.") == ("No sources here.", [])
