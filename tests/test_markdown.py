"""Chat answers as safe HTML: what Markdown keeps, and what no answer can smuggle into the page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from api import markdown
from api.markdown import ATTRIBUTES, TAGS, message_html, text_html, to_html

NASTY = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<a href="#" onclick="alert(1)">click</a>',
    "<img src=x onerror=alert(1)>",
    '<p style="color:red" onmouseover="alert(1)">hi</p>',
    "<iframe src=//evil.example></iframe>",
    '[x](http://ok.example "a title")',
    "<!-- a comment -->",
    "<javascript:alert(1)>",
]


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.found


def assert_only_allowed(html: str) -> None:
    for tag, attrs in tags(html):
        assert tag in TAGS, (tag, html)
        assert set(attrs) <= ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set()), (tag, html)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("http://", "https://", "/", "#")) or ":" not in href, html


@pytest.mark.parametrize("text", NASTY)
def test_nothing_outside_the_allow_list_survives(text: str) -> None:
    html = to_html(f"Before {text} after\n\n- item {text}\n\n**bold {text}**")
    assert_only_allowed(html)  # what remains of the attack is text: "onclick=" as words, not an attribute
    assert "<script" not in html and 'href="javascript' not in html.lower()


def test_script_tags_are_shown_as_text_never_run() -> None:
    html = to_html("Hello <script>alert(1)</script>")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_javascript_links_are_not_links() -> None:
    html = to_html("[click me](javascript:alert(1)) and [ok](https://example.org/a)")
    assert [attrs.get("href") for tag, attrs in tags(html) if tag == "a"] == ["https://example.org/a"]
    assert "click me" in html


def test_the_sanitiser_cleans_even_what_the_renderer_lets_through(monkeypatch: pytest.MonkeyPatch) -> None:
    # Were raw HTML ever rendered (a changed setting, a plugin), the allow-list still holds.
    monkeypatch.setattr(markdown, "_markdown", lambda: MarkdownIt("commonmark", {"html": True}))
    html = to_html(
        '<p onclick="alert(1)" style="x">hi <a href="javascript:alert(1)">x</a></p>\n\n'
        "<script>alert(1)</script><img src=x onerror=alert(1)><table><tr><td>t</td></tr></table>"
    )
    assert_only_allowed(html)
    assert "<script" not in html and "alert" not in html
    assert tags(html) == [("p", {}), ("a", {"rel": "noopener noreferrer"})]


def test_lists_bold_links_and_headings_are_kept() -> None:
    html = to_html(
        "# Plan\n\nSome **bold** and *soft* text with `code`.\n\n"
        "1. First\n2. Second\n\n- one\n- two\n\n"
        "> quoted\n\n"
        "See [the guide](https://example.org/guide), [a page](/guidelines/faq.md#cadence) "
        "and [this section](#cadence).\n\n##### Small"
    )
    assert "<h2>Plan</h2>" in html and "<h4>Small</h4>" in html, "headings stay within levels 2 to 4"
    assert "<strong>bold</strong>" in html and "<em>soft</em>" in html and "<code>code</code>" in html
    assert "<ol>\n<li>First</li>\n<li>Second</li>\n</ol>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<blockquote>" in html
    links = [attrs for tag, attrs in tags(html) if tag == "a"]
    assert [a["href"] for a in links] == [
        "https://example.org/guide",
        "/guidelines/faq.md#cadence",
        "#cadence",
    ]
    assert all(a["rel"] == "noopener noreferrer" for a in links)
    assert "**" not in html
    assert_only_allowed(html)


def test_line_breaks_and_numbered_lists_keep_their_shape() -> None:
    html = to_html("Summary\n\n3. Third step\n   Why: it helps\n4. Fourth")
    assert '<ol start="3">' in html
    assert "Third step<br>" in html and "Why: it helps" in html


def test_an_answer_is_shown_without_its_sources_block_and_a_question_as_typed() -> None:
    answer = "Meet **twice** a month.\n\nSources:\n- faq.md › Cadence\n- note kai-helen-01 (2026-03-01)"
    html = message_html("assistant", answer)
    assert html == "<p>Meet <strong>twice</strong> a month.</p>\n"
    bold = "Meet **twice** a month.\n\n**Sources:**\n- faq.md › Cadence\n"
    assert message_html("assistant", bold) == html
    assert message_html("assistant", "No sources here.") == "<p>No sources here.</p>\n"
    kept = message_html("assistant", "A\n\nSources:\n- faq.md\n\nThen more advice.")
    assert "Sources:" in kept and "Then more advice." in kept, "only a closing list of sources is left out"
    typed = "Is **this** <b>bold</b>?\nSecond line\n\n1. not a list"
    assert message_html("user", typed) == text_html(typed)
    assert text_html(typed) == (
        "<p>Is **this** &lt;b&gt;bold&lt;/b&gt;?<br>Second line</p><p>1. not a list</p>"
    )
