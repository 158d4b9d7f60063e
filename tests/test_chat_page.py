"""The chat page in a real browser: rendered answers, a reload, answer actions and the history list.

Debian's Chromium driven by Playwright, as in ``test_web.py``, over a demo program of this
module's own (conversations are renamed and deleted here).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from assistant.core import Assistant
from assistant.settings import REPO_ROOT
from tests.conftest import CHROMIUM, Copier, sign_in

TIMEOUT_MS = 60_000
SHOTS = REPO_ROOT / "artifacts" / "screenshots"

expect.set_options(timeout=TIMEOUT_MS)
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def assistant(demo_copy: Copier) -> Assistant:
    """A writable demo program."""
    return demo_copy("chat-page-home")


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh context that may use the clipboard."""
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def ask(page: Page, message: str) -> None:
    """Send a message and wait until the answer to it has finished."""
    done = page.locator('.message.assistant[data-state="done"]')
    before = done.count()
    page.get_by_label("Your message").fill(message)
    page.get_by_label("Your message").press("Enter")
    expect(done).to_have_count(before + 1)


def history_row(page: Page, title: str) -> Locator:
    """The row of a conversation, found by its id (its link is hidden while the row is edited)."""
    found = page.locator("#history-list li").filter(has=page.get_by_role("link", name=title, exact=True))
    return page.locator(f'#history-list li[data-id="{found.get_attribute("data-id")}"]')


def test_answers_render_survive_a_reload_and_conversations_can_be_renamed_and_deleted(page: Page) -> None:
    sign_in(page, "demo-priya")
    ask(page, "My executive keeps cancelling")
    answer = page.locator(".message.assistant").last
    text = answer.locator(".text")
    expect(text.locator("li").first).to_be_visible()  # Markdown lists are lists, not "1." lines
    expect(text).not_to_contain_text("**")
    expect(text).not_to_contain_text("Sources:")
    expect(answer.locator(".badge")).to_have_text("Offline mode")
    expect(answer.locator('a.chip[href^="/guidelines/"]').first).to_be_visible()
    items_live = text.locator("li").count()

    page.get_by_role("button", name="Copy").click()
    expect(page.locator("#chat-status")).to_have_text("Copied the answer as Markdown.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied and copied == answer.get_attribute("data-markdown")

    page.reload()
    answer = page.locator(".message.assistant").last
    text = answer.locator(".text")
    expect(page.locator(".message")).to_have_count(2)
    expect(text.locator("li")).to_have_count(items_live)
    expect(text).not_to_contain_text("**")
    expect(answer.locator(".badge")).to_have_text("Offline mode")
    expect(answer.locator('a.chip[href^="/guidelines/"]').first).to_be_visible()
    expect(answer.locator('a.chip[href^="/notes/"]').first).to_be_visible()
    assert answer.get_attribute("data-markdown") == copied, "copy gives the stored Markdown after a reload"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "chat-rendered.png"), full_page=True)

    answer.get_by_role("button", name="Regenerate").click()
    expect(page.locator('.message.assistant[data-state="done"]')).to_have_count(1)
    expect(page.locator(".message.user")).to_have_count(2)
    expect(page.locator(".message.user .text").last).to_have_text("My executive keeps cancelling")
    expect(page.locator("#history-list li")).to_have_count(1)  # regenerating stays in the conversation

    first = page.locator("#history-list li").first
    first.get_by_role("button", name="Rename").click()
    page.get_by_label("New title").fill("   ")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#history-status")).to_have_text("Enter a title.")
    page.get_by_label("New title").fill("Cancellations with Martin")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#history-status")).to_have_text("Renamed to “Cancellations with Martin”.")
    expect(history_row(page, "Cancellations with Martin")).to_have_count(1)
    page.reload()
    expect(page.get_by_role("link", name="Cancellations with Martin")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator(".message")).to_have_count(4)

    page.get_by_role("link", name="New conversation").click()
    ask(page, "How often should we meet?")
    expect(page.locator("#history-list li")).to_have_count(2)
    older = history_row(page, "Cancellations with Martin")
    older.get_by_role("button", name="Delete").click()
    page.screenshot(path=str(SHOTS / "chat-history-delete.png"))
    older.get_by_role("button", name="Cancel").click()
    expect(page.locator("#history-list li")).to_have_count(2)
    older.get_by_role("button", name="Delete").click()
    older.get_by_role("button", name="Yes, delete").click()
    expect(page.locator("#history-status")).to_have_text("Deleted “Cancellations with Martin”.")
    expect(page.locator("#history-list li")).to_have_count(1)
    page.reload()
    expect(page.locator("#history-list li")).to_have_count(1)

    current = page.locator("#history-list li").first
    current.get_by_role("button", name="Delete").click()
    current.get_by_role("button", name="Yes, delete").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("#history-empty")).to_be_visible()
    expect(page.locator(".message")).to_have_count(0)


def sse(*events: tuple[str, object]) -> str:
    return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)


def test_suggestions_send_their_text_and_stop_aborts_the_answer(page: Page) -> None:
    sign_in(page, "demo-kai")
    sent: list[dict[str, object]] = []
    held: list[Route] = []

    def fake_chat(route: Route) -> None:
        body = json.loads(route.request.post_data or "{}")
        sent.append(body)
        if body["message"] == "Hold on":
            held.append(route)  # never answered: the page's Stop must end the wait
            return
        reply = {
            "conversation_id": "c-fake",
            "task": "ask",
            "message": "Meet **twice** a month.",
            "html": "<p>Meet <strong>twice</strong> a month.</p>",
            "payload": None,
            "citations": [],
            "mode": "llm",
            "fallback_reason": None,
            "standalone_question": body["message"],
            "suggestions": ["Draft a 45-minute agenda", "What if she cancels again?"],
        }
        route.fulfill(
            status=200,
            content_type="text/event-stream",
            body=sse(("section", "Meet **twice** a month."), ("done", reply)),
        )

    page.route("**/v1/chat", fake_chat)
    ask(page, "How often should we meet?")
    answer = page.locator(".message.assistant").last
    expect(answer.locator(".text strong")).to_have_text("twice")
    expect(answer.locator(".badge")).to_have_text("LLM mode")
    suggestions = page.locator("button.suggestion")
    expect(suggestions).to_have_text(["Draft a 45-minute agenda", "What if she cancels again?"])
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "chat-suggestions.png"))

    suggestions.last.click()
    expect(page.locator('.message.assistant[data-state="done"]')).to_have_count(2)
    assert sent[-1] == {"message": "What if she cancels again?", "stream": True, "conversation_id": "c-fake"}
    expect(page.locator(".message.user .text").last).to_have_text("What if she cancels again?")
    expect(suggestions).to_have_count(2)  # only the latest answer's suggestions are offered

    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_be_hidden()
    page.get_by_label("Your message").fill("Hold on")
    page.get_by_label("Your message").press("Enter")
    expect(stop).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_disabled()
    expect(suggestions).to_have_count(0)
    stop.click()
    expect(page.locator('.message.assistant[data-state="stopped"]')).to_have_count(1)
    expect(page.locator("#chat-status")).to_contain_text("Stopped")
    expect(stop).to_be_hidden()
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    assert len(held) == 1
