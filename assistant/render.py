"""Render task results for people: Markdown and HTML from Jinja2 templates."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from assistant.tasks.schemas import Agenda, Answer, Brief, CoachResult, Result, TopicsResult

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates for human-readable output (HTML is autoescaped: note text is data)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def spoken_list(items: list[str], most: int = 3) -> str:
    """``a``, ``a and b``, ``a, b and c``; past ``most`` items the rest are counted."""
    if len(items) > most:
        items = [*items[:most], f"{len(items) - most} more"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def counted(n: int, word: str) -> str:
    """``1 pair``, ``3 pairs``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def brief_markdown(brief: Brief) -> str:
    """The prep brief as Markdown."""
    return environment().get_template("brief.md.j2").render(brief=brief)


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


def prose(result: Result) -> str:
    """A task result as plain text for people (CLI, chat)."""
    if isinstance(result, Answer):
        return result.answer
    if isinstance(result, TopicsResult):
        blocks = []
        for n, t in enumerate(result.topics, 1):
            questions = "\n".join(f"   · {q}" for q in t.opening_questions)
            blocks.append(f"{n}. {t.title} ({t.direction.replace('_', ' ')})\n   {t.why}\n{questions}")
        return "\n\n".join(blocks)
    if isinstance(result, CoachResult):
        steps = "\n".join(f"{n}. {s.action}\n   Why: {s.why}" for n, s in enumerate(result.steps, 1))
        watch = "\n".join(f"- {w}" for w in result.watch_outs)
        return f"{result.summary}\n\n{steps}" + (f"\n\nWatch out for:\n{watch}" if watch else "")
    if isinstance(result, Agenda):
        items = "\n".join(
            f"{i.minutes:>3} min  [{i.lead}] {i.title}\n          {i.details}" for i in result.items
        )
        follow = "\n".join(f"- {f}" for f in result.follow_ups)
        return f"{result.title}\n\n{items}" + (f"\n\nFollow-ups:\n{follow}" if follow else "")
    if isinstance(result, Brief):
        return brief_markdown(result)
    raise TypeError(f"no prose for {type(result).__name__}")
