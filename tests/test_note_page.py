"""The sessions and note pages in a real browser: plan a session, write its note, tick an action.

Debian's Chromium driven by Playwright, as in ``test_chat_page.py``, over a demo program of this
module's own (sessions and notes are written here). A failed save is a server that answers 503
(the browser's requests to it are answered so); everything else is the real server.
"""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from playwright.sync_api import Page, Route, expect

from assistant.core import Assistant
from assistant.settings import REPO_ROOT
from tests.conftest import CHROMIUM, Copier, sign_in

TIMEOUT_MS = 20_000
SHOTS = REPO_ROOT / "artifacts" / "screenshots"
PAIR = "priya-martin"
TICKED = "post on LinkedIn once a month about the team's work"

expect.set_options(timeout=TIMEOUT_MS)
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def assistant(demo_copy: Copier) -> Assistant:
    """A writable demo program."""
    return demo_copy("note-page-home")


def my_note(assistant: Assistant, session_id: str, author: str) -> dict[str, object]:
    """The note ``author`` wrote for the session, as the store holds it."""
    found = [
        n
        for n in assistant.notes_for(PAIR, author)
        if n["session_id"] == session_id and n["author_id"] == author
    ]
    assert len(found) == 1, found
    return found[0]


def test_plan_a_session_write_its_note_tick_an_action_and_the_brief_shows_it(
    page: Page, assistant: Assistant, base_url: str
) -> None:
    sign_in(page, "demo-priya")
    page.get_by_role("link", name="Sessions").click()
    expect(page.get_by_role("heading", name="Priya Raman & Martin Achterberg")).to_be_visible()

    # A mistake shows the form again with the reason, and plans nothing.
    before = len(assistant.notes_for(PAIR, "priya"))
    page.get_by_label("Date").fill(dt.date.today().isoformat())
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Plan session").click()
    expect(page.get_by_role("alert")).to_contain_text("is not a time zone")
    expect(page.get_by_label("Time zone")).to_have_value("Mars/Olympus")

    page.get_by_label("Time zone").fill("Europe/London")
    page.get_by_label("Start time").fill("08:00")
    page.get_by_role("button", name="Plan session").click()
    expect(page).to_have_url(re.compile(r"/sessions/s-[0-9a-f]+$"))
    session_id = page.url.rsplit("/", 1)[1]
    expect(page.locator(".meta .status-tag")).to_have_text("planned")

    # The preview is rendered by the server: Markdown becomes HTML, a script stays text.
    editor = page.get_by_label("Note (Markdown)")
    editor.fill(
        "## What we covered\n\nMartin tried **Copilot** on the weekly ops report.\n\n"
        '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">\n\n'
        "[a link](javascript:alert(1))\n\n- [ ] Priya: send Martin the prompt library\n"
    )
    preview = page.locator("#note-preview")
    expect(preview.locator("h2")).to_have_text("What we covered")
    expect(preview.locator("strong")).to_have_text("Copilot")
    expect(preview).to_contain_text("<script>window.pwned = 1</script>")
    expect(preview.locator("script, img")).to_have_count(0)
    expect(preview.locator("a")).to_have_count(0)  # a javascript: link is not a link
    assert page.evaluate("window.pwned === undefined")

    status = page.locator("#note-status")
    expect(status).to_contain_text("Saved at")
    saved = my_note(assistant, session_id, "priya")
    assert "**Copilot**" in saved["text"] and saved["visibility"] == "pair"
    assert len(assistant.notes_for(PAIR, "priya")) == before + 1
    expect(page.locator(".meta .status-tag")).to_have_text("planned")  # the page shows what it loaded
    page.reload()
    expect(page.locator(".meta .status-tag")).to_have_text("held")  # a note marks its session held
    expect(page.get_by_label("Note (Markdown)")).to_have_value(re.compile(r"\*\*Copilot\*\*"))

    # Ticking an open action from an earlier note writes it into this note as done.
    box = page.get_by_role("checkbox", name=re.compile(re.escape(TICKED)))
    expect(box).not_to_be_checked()
    box.check()
    expect(page.get_by_label("Note (Markdown)")).to_have_value(
        re.compile(r"- \[x\] Martin: " + re.escape(TICKED))
    )
    expect(status).to_contain_text("Saved at")
    assert f"- [x] Martin: {TICKED}" in str(my_note(assistant, session_id, "priya")["text"])
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "note-page.png"), full_page=True)

    # Martin's brief sees it at once: the action is no longer open, and the new note is in the recap.
    with httpx.Client(
        base_url=base_url, headers={"Authorization": "Bearer demo-martin"}, timeout=60
    ) as martin:
        brief = martin.post("/v1/brief", json={"pair_id": PAIR}).json()
        hits = martin.post("/v1/search", json={"query": "Copilot weekly ops report", "k": 3}).json()
    assert TICKED not in [a["action"] for a in brief["open_actions"]]
    assert "send Martin the prompt library" in [a["action"] for a in brief["open_actions"]]
    assert dt.date.today().isoformat() in [r["date"] for r in brief["recap"]]
    assert saved["id"] in [h["note_id"] for h in hits]


def test_a_failed_save_loses_nothing_and_says_so(page: Page, assistant: Assistant) -> None:
    sign_in(page, "demo-martin")
    page.goto(f"/pairs/{PAIR}/sessions")
    page.get_by_label("Date").fill(dt.date.today().isoformat())
    page.get_by_label("Time zone").fill("UTC")
    page.get_by_role("button", name="Plan session").click()
    expect(page).to_have_url(re.compile(r"/sessions/s-[0-9a-f]+$"))
    session_id = page.url.rsplit("/", 1)[1]
    editor = page.get_by_label("Note (Markdown)")
    status = page.locator("#note-status")
    editor.fill("First thoughts on the hybrid-work survey.")
    expect(status).to_contain_text("Saved at")

    def unavailable(route: Route) -> None:
        route.fulfill(status=503, content_type="application/json", body='{"detail": "The store is busy."}')

    page.route("**/v1/notes/*", unavailable)
    editor.fill("First thoughts on the hybrid-work survey.\n\nPriya will share the results by Friday.")
    expect(status).to_have_text(re.compile(r"^Not saved: The store is busy\. Your draft is kept"))
    expect(status).to_have_class(re.compile("error"))
    assert "Friday" not in str(my_note(assistant, session_id, "martin")["text"])

    # Reopened later (the server is fine again): the draft comes back and is saved.
    page.unroute("**/v1/notes/*")
    page.on("dialog", lambda dialog: dialog.accept())  # leaving with unsaved changes asks first
    page.reload()
    expect(page.get_by_label("Note (Markdown)")).to_have_value(re.compile("by Friday"))
    expect(status).to_contain_text("Saved at")
    assert "by Friday" in str(my_note(assistant, session_id, "martin")["text"])
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('note-draft:')).length") == 0


def test_others_cannot_use_the_pages(page: Page, base_url: str) -> None:
    sign_in(page, "demo-kai")  # a member of another pair
    response = page.goto(f"/pairs/{PAIR}/sessions")
    assert response is not None and response.status == 404
    kai = {"Authorization": "Bearer demo-kai"}
    assert httpx.get(f"{base_url}/v1/pairs/{PAIR}/sessions", headers=kai, timeout=60).status_code == 404
    # A cross-site form post with a signed-in cookie is refused and plans nothing.
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    before = httpx.get(f"{base_url}/v1/pairs/kai-helen/sessions", headers=kai, timeout=60).json()
    forged = httpx.post(
        f"{base_url}/pairs/kai-helen/sessions",
        data={"date": dt.date.today().isoformat(), "time": "09:00", "minutes": "45"},
        cookies=cookies,
        headers={"Origin": "https://evil.example", "Accept": "text/html"},
        timeout=60,
    )
    assert forged.status_code == 403
    listed = httpx.get(f"{base_url}/v1/pairs/kai-helen/sessions", headers=kai, timeout=60).json()
    assert listed == before  # nothing planned (the pair may have a session of its own that day)
