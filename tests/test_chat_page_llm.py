"""A tool-calling turn streamed through the chat page in a real browser (LLM mode).

LangChain's fake chat model (tests/fakes.py) calls a tool, then writes prose. The page records
every text it ever shows, so a JSON fragment that appeared for a moment is caught too: the
person sees a status line while the tool runs, then prose, then the rendered answer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.messages import AIMessage
from playwright.sync_api import Page, expect

from assistant.core import Assistant
from tests.conftest import CHROMIUM, Copier, serving, sign_in
from tests.fakes import ToolFake, asks, call
from tests.test_chat_page import TIMEOUT_MS

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium)"
)
PACE_S = 1.0
JSON_FRAGMENT = re.compile(r'[{}]|"\w+"\s*:|\[\s*\{')

# Everything the page shows, as it shows it: each text node added to the answer or the status line.
RECORD = """
window.shown = [];
const note = (where, text) => { if (text) window.shown.push({where, text, at: performance.now()}); };
new MutationObserver((records) => {
  for (const r of records) {
    const where = r.target.closest && r.target.closest("#chat-status") ? "status" : "answer";
    if (r.type === "characterData") note(where, r.target.data);
    for (const node of r.addedNodes) note(where, node.textContent);
  }
}).observe(document.body, {subtree: true, childList: true, characterData: true});
"""


class Paced(ToolFake):
    """The fake model, taking a moment per call like a real one."""

    def _stream(self, *args: Any, **kwargs: Any) -> Any:
        time.sleep(PACE_S)
        yield from super()._stream(*args, **kwargs)


@pytest.fixture(scope="module")
def model() -> Paced:
    turns = [
        asks(call("search_notes", text="what did we agree about the budget")),
        AIMessage(content="You agreed to walk through the budget together [S1]. Bring the numbers."),
        asks(call("topics", 1, count=3)),
        AIMessage(content='{"topics": [{"title": "AI at work", "why": "asked for"}]}'),
    ]
    return Paced(messages=iter(turns))


@pytest.fixture(scope="module")
def base_url(demo_copy: Copier, model: Paced) -> Iterator[str]:
    assistant: Assistant = demo_copy("chat-page-llm")
    with serving(assistant, model) as url:
        yield url


def send(page: Page, message: str) -> list[dict[str, Any]]:
    """Send a message, wait for its answer and return what the page showed on the way."""
    done = page.locator('.message.assistant[data-state="done"]')
    before = done.count()
    page.evaluate(RECORD)
    page.get_by_label("Your message").fill(message)
    page.get_by_label("Your message").press("Enter")
    expect(done).to_have_count(before + 1, timeout=TIMEOUT_MS)
    shown: list[dict[str, Any]] = page.evaluate("window.shown")
    return shown


def test_a_tool_calling_turn_streams_status_then_prose_and_never_json(page: Page) -> None:
    sign_in(page, "demo-priya")
    shown = send(page, "What did we agree about the budget?")
    answer = page.locator(".message.assistant").last

    statuses = [s for s in shown if s["where"] == "status"]
    looking = [s for s in statuses if s["text"] == "Looking at your notes…"]
    streamed = [s for s in shown if s["where"] == "answer" and "walk through" in s["text"]]
    assert looking, f"no status while the tool ran: {[s['text'] for s in statuses]}"
    assert streamed, "the prose never streamed"
    # The status stood for the model's next call (PACE_S) before the first word arrived.
    assert streamed[0]["at"] - looking[0]["at"] > PACE_S * 1000 * 0.8
    assert int(answer.get_attribute("data-chunks") or 0) > 3, "prose came token by token"
    leaked = [s["text"] for s in shown if JSON_FRAGMENT.search(s["text"])]
    assert not leaked, f"the page showed JSON: {leaked}"

    text = answer.locator(".text")
    expect(text).to_contain_text("You agreed to walk through the budget together")
    expect(text).not_to_contain_text("Sources:")
    expect(answer.locator(".badge")).to_have_text("LLM mode")
    expect(answer.locator('a.chip[href^="/notes/priya-martin"]').first).to_be_visible()
    expect(page.locator("#chat-status")).to_have_text("Answer ready.")


def test_a_json_answer_never_shows_and_the_turn_answers_offline(page: Page) -> None:
    sign_in(page, "demo-priya")
    shown = send(page, "Some topic ideas for next time?")
    answer = page.locator(".message.assistant").last

    assert any(s["text"] == "Looking for topics that fit your pair…" for s in shown if s["where"] == "status")
    leaked = [s["text"] for s in shown if JSON_FRAGMENT.search(s["text"])]
    assert not leaked, f"the page showed JSON: {leaked}"
    expect(answer.locator(".badge")).to_have_text("Offline mode")
    expect(answer.locator(".text li").first).to_be_visible()
