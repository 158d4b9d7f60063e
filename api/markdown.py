"""Chat messages as safe HTML: Markdown rendered by markdown-it-py, then cleaned to an allow-list by nh3.

An answer's text comes from a model, or from stored turns, and a user may have typed part of
it: it is data. Raw HTML in it is escaped while rendering, and the rendered HTML is then
cleaned again so that only the tags below survive, with links to http(s) addresses, relative
paths and fragments only. Either step alone would do; both together mean a bug in one is not
an injection.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from html import escape

import nh3
from cachetools import LRUCache, cached
from markdown_it import MarkdownIt

# An answer's closing list of sources ("Sources:" or "**Sources:**", then "- " lines only).
SOURCES_BLOCK = re.compile(r"\n\n(?:\*\*Sources:\*\*|Sources:)\n(?:- [^\n]*(?:\n|\Z))*\Z")
TAGS = {"p", "br", "hr", "ul", "ol", "li", "strong", "em", "code", "pre", "h2", "h3", "h4", "blockquote", "a"}
# "*": none on every tag (nh3 would otherwise keep "lang" and "title" everywhere).
ATTRIBUTES: dict[str, set[str]] = {"*": set(), "a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https"}
LINK_REL = "noopener noreferrer"
# Rendering takes about a millisecond for a 2,000-character answer (markdown-it-py is pure
# Python), and an answer is rendered when it is given and again whenever its conversation is
# shown. The same text always renders the same HTML, so recent ones are kept, up to this many
# characters of HTML (a few MB with their texts).
RENDERED_CHARS = 2_000_000


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # "breaks": a chat answer's single line breaks are meant as line breaks.
    return MarkdownIt("commonmark", {"html": False, "breaks": True})


@cached(LRUCache(RENDERED_CHARS, getsizeof=len), lock=threading.Lock())
def to_html(text: str) -> str:
    """Render Markdown to HTML that keeps only the allowed tags, attributes and link schemes.

    Headings become levels 2 to 4: the page has its own level 1, and deeper levels add nothing.
    """
    parser = _markdown()
    tokens = parser.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(max(int(token.tag[1:]), 2), 4)}"
    html = parser.renderer.render(tokens, parser.options, {})
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def text_html(text: str) -> str:
    """Plain text (what a user typed) as escaped paragraphs with line breaks, never as Markdown."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join("<p>" + escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


def message_html(role: str, text: str) -> str:
    """A chat message as the page shows it.

    An answer is Markdown, shown without its closing "Sources:" block (its citations are shown
    as links instead); what a user typed is shown as they typed it.
    """
    if role != "assistant":
        return text_html(text)
    return to_html(SOURCES_BLOCK.sub("", text))
