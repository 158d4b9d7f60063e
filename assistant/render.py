"""Render task results for people: Markdown and HTML from Jinja2 templates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from assistant import clock
from assistant.tasks.schemas import Brief, Result

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates for human-readable output (HTML is autoescaped: note text is data)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # read once: checking each template's file on every answer cost a stat call
    )
    env.filters.update(
        plain=plain,
        direction=lambda d: _DIRECTIONS.get(d, d),
        lead=lambda lead: "both" if lead == "both" else f"the {lead}",
        day=spoken_day,
        first_sentence=lambda text: re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0],
    )
    return env


def spoken_day(day: str | dt.date) -> str:
    """A date as people write it: "2 July" this year, "2 July 2025" another."""
    day = dt.date.fromisoformat(str(day)[:10])
    return f"{day:%-d %B}" if day.year == clock.today().year else f"{day:%-d %B %Y}"


def spoken_list(items: list[str], most: int = 3) -> str:
    """``a``, ``a and b``, ``a, b and c``; past ``most`` items the rest are counted."""
    if len(items) > most:
        items = [*items[:most], f"{len(items) - most} more"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def counted(n: int, word: str) -> str:
    """``1 pair``, ``3 pairs``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


# Note text is data: in a Markdown file it must not become HTML, a link or an image wherever
# the file is opened. Entities keep "<" and ">" readable in every Markdown dialect; escaped
# brackets leave no link or image syntax (so no javascript: or data: address) to follow.
_MARKDOWN_INERT = str.maketrans({"<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]"})


def inert_markdown(text: str) -> str:
    """Text shown as itself in Markdown: no raw HTML, no links or images of its own."""
    return text.translate(_MARKDOWN_INERT)


def _inert(value: Any) -> Any:
    if isinstance(value, str):
        return inert_markdown(value)
    if isinstance(value, list):
        return [_inert(v) for v in value]
    if isinstance(value, dict):
        return {k: _inert(v) for k, v in value.items()}
    return value


BRIEF_SECTIONS = ("since_last_time", "recap", "open_actions", "agenda", "questions_to_ask", "reading")


def brief_markdown(brief: Brief, sections: Collection[str] = BRIEF_SECTIONS) -> str:
    """The prep brief (or some of its sections) as Markdown, all of its text inert (``inert_markdown``)."""
    safe = Brief.model_validate(_inert(brief.model_dump()))
    text = environment().get_template("brief.md.j2").render(brief=safe, sections=sections)
    return re.sub(r"\n{3,}", "\n\n", text)


def brief_html(brief: Brief) -> str:
    """The prep brief as a standalone printable HTML page."""
    return environment().get_template("brief.html.j2").render(brief=brief)


def citations_text(result: Result) -> str:
    """The sources of a result, one per line."""
    lines = []
    for c in result.citations:
        lines.append(
            f"- note {c.note_id} ({c.date})"
            if c.kind == "note"
            else f"- {c.source} › {c.section or 'introduction'}"
        )
    return "\n".join(lines)


def clipped(sentence: str, limit: int, at_clause: bool = False) -> str:
    """A sentence without its full stop, cut at a word when it runs longer than ``limit``.

    With ``at_clause``, cut at its first clause's end when that comes early enough ("Your notes show
    this more than once…").
    """
    sentence = sentence.rstrip(".")
    if len(sentence) <= limit:
        return sentence
    clause = re.search(r"[:;.“(]", sentence[:limit]) if at_clause else None
    cut = sentence[: clause.start()] if clause and clause.start() > 15 else sentence[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;: ") + "…"


def plain(text: str) -> str:
    """Quoted text without Markdown emphasis markers, so it reads well inside a sentence."""
    if "*" not in text and "_" not in text and "`" not in text:
        return text  # no marker (most text): the pattern, tried at every character, took 40 µs a line
    return _EMPHASIS.sub("", text)


_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|`")
_DIRECTIONS = {
    "mentor_to_executive": "the mentor teaches",
    "executive_to_mentor": "the executive teaches",
    "both": "both ways",
}


def prose(
    result: Result,
    intro: str | None = None,
    sections: Collection[str] = BRIEF_SECTIONS,
    one_line: bool = False,
) -> str:
    """A task result as well-formed Markdown for people (chat, CLI).

    A brief shows only ``sections``; ``one_line`` says each topic or step in one line.
    """
    if isinstance(result, Brief):
        return brief_markdown(result, sections)
    template = environment().get_template("answer.md.j2")
    text = template.render(kind=type(result).__name__, r=result, intro=intro, one_line=one_line)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
