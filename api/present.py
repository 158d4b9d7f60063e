"""Presentation helpers for the web pages: Markdown, citation links, pair labels, templates."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.templating import Jinja2Templates
from markdown_it import MarkdownIt
from markupsafe import Markup

from assistant.reading import slug

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
SOURCES_BLOCK = "\n\nSources:\n"
_NOTE_LINE = re.compile(r"^- note (?P<note_id>\S+) \((?P<date>[^)]*)\)$")
_GUIDELINE_LINE = re.compile(r"^- (?P<source>.+?) › (?P<section>.+)$")
_READING = re.compile(r"^(?P<label>.+) \((?P<source>[^()]+)\)$")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Raw HTML in a document is shown as text, never run: uploaded guidelines are data.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_html(text: str) -> Markup:
    """Render Markdown to safe HTML (raw HTML escaped, unsafe link schemes dropped)."""
    return Markup(_markdown().render(text))


def paragraphs_html(text: str) -> Markup:
    """Render plain text as escaped paragraphs."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(p) for p in parts)


def guideline_href(source: str | None, section: str | None) -> str:
    """The page of a cited guideline section."""
    return f"/guidelines/{quote(source or '', safe='/')}#{slug(section)}"


def citation_link(citation: dict[str, Any]) -> dict[str, str]:
    """A citation as a chip: its label, its link and a description for screen readers."""
    if citation.get("kind") == "note":
        note_id, date = str(citation.get("note_id") or ""), citation.get("date") or ""
        return {
            "href": f"/notes/{quote(note_id, safe='')}",
            "label": f"Note {date}".strip(),
            "title": f"Session note {note_id} ({date})",
        }
    source, section = citation.get("source"), citation.get("section")
    return {
        "href": guideline_href(source, section),
        "label": f"{source} › {section or 'introduction'}",
        "title": f"Guideline {source}, section {section or 'introduction'}",
    }


def split_sources(message: str) -> tuple[str, list[dict[str, str]]]:
    """A stored chat answer's text without its "Sources:" block, and that block's citations as chips."""
    body, found, block = message.rpartition(SOURCES_BLOCK)
    if not found:
        return message, []
    chips = []
    for line in block.splitlines():
        if note := _NOTE_LINE.match(line):
            chips.append(citation_link({"kind": "note", **note.groupdict()}))
        elif guideline := _GUIDELINE_LINE.match(line):
            section = guideline["section"]
            chips.append(
                citation_link(
                    {
                        "kind": "guideline",
                        "source": guideline["source"],
                        "section": None if section == "introduction" else section,
                    }
                )
            )
    return body, chips


def reading_link(text: str) -> str | None:
    """The guideline page a brief's reading suggestion ("Title › Section (source)") points to."""
    match = _READING.match(text)
    if match is None:
        return None
    _title, _sep, section = match["label"].partition(" › ")
    return guideline_href(match["source"], section or None)


def pair_label(pair: dict[str, Any], names: dict[str, str]) -> str:
    """A pair as people name it: "Mentor Name & Executive Name"."""
    mentor = names.get(pair["mentor_id"], pair["mentor_id"])
    executive = names.get(pair["executive_id"], pair["executive_id"])
    return f"{mentor} & {executive}"


def file_name(text: str) -> str:
    """A safe file name fragment."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "pair"


templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.globals.update(citation_link=citation_link, markdown_html=markdown_html)
templates.env.globals.update(paragraphs_html=paragraphs_html, reading_link=reading_link)
