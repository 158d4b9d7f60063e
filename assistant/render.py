"""Render task results for people: Markdown and HTML from Jinja2 templates."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from assistant.tasks.schemas import Brief

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates for human-readable output (HTML is autoescaped: note text is data)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def brief_markdown(brief: Brief) -> str:
    """The prep brief as Markdown."""
    return environment().get_template("brief.md.j2").render(brief=brief)


def brief_html(brief: Brief) -> str:
    """The prep brief as a standalone printable HTML page."""
    return environment().get_template("brief.html.j2").render(brief=brief)
