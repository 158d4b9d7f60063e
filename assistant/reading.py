"""What people open to read: a guideline document by its source, a note by its id.

Citations name a guideline by ``source`` and ``section``, and a note by id. These
functions resolve them for display, under the same access rules as retrieval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant import program
from assistant.access import can_read_note
from assistant.core import Assistant, note_dict
from assistant.documents import Document, load_document
from assistant.errors import NotFound

_NOT_WORD = re.compile(r"[^a-z0-9]+")
INTRODUCTION = "introduction"


def slug(heading: str | None) -> str:
    """The anchor of a section: lowercase ASCII words joined by hyphens; no heading is "introduction".

    The web page's JavaScript computes the same anchor from a citation's section, so the
    rule is deliberately simple.
    """
    return _NOT_WORD.sub("-", (heading or "").lower()).strip("-") or INTRODUCTION


@dataclass(frozen=True)
class GuidelineSection:
    """One section of a guideline as shown: its anchor, heading and text."""

    anchor: str
    heading: str | None
    text: str


@dataclass(frozen=True)
class Guideline:
    """A guideline document ready to show, with unique section anchors."""

    source: str
    title: str
    audience: list[str]
    tags: list[str]
    markdown: bool
    uploaded: bool
    sections: list[GuidelineSection]


def _anchored(document: Document) -> list[GuidelineSection]:
    seen: dict[str, int] = {}
    sections = []
    for section in document.sections:
        anchor = slug(section.heading)
        seen[anchor] = seen.get(anchor, 0) + 1
        if seen[anchor] > 1:
            anchor = f"{anchor}-{seen[anchor]}"
        sections.append(GuidelineSection(anchor, section.heading, section.text))
    return sections


def guideline(assistant: Assistant, source: str) -> Guideline:
    """The indexed guideline document named ``source``; an uploaded one wins over a default of that name.

    Raises:
        NotFound: no indexed document has that source, or its file is gone.
    """
    library = str(assistant.library_dir.resolve())
    roots = {
        str(meta.get("root"))
        for meta in assistant.index.mirror("guidelines").metas
        if meta.get("source") == source
    }
    for root in sorted(roots, key=lambda r: r != library):
        base = Path(root).resolve()
        path = (base / source).resolve()
        if path.is_relative_to(base) and path.is_file():
            document = load_document(path, base, assistant.limits)
            return Guideline(
                source=source,
                title=document.title,
                audience=document.audience,
                tags=document.tags,
                markdown=path.suffix.lower() in (".md", ".markdown"),
                uploaded=root == library,
                sections=_anchored(document),
            )
    raise NotFound(f"There is no guideline document {source!r}.")


def read_note(assistant: Assistant, note_id: str, user_id: str) -> dict[str, Any]:
    """A note the user may read, with its author's name; the reading is audited.

    Raises:
        NotFound: the note does not exist or the user may not read it (the two look the same).
    """
    with assistant.session() as session:
        viewer = program.viewer_for(session, user_id, assistant.settings.admins_read_notes)
        try:
            note = note_dict(program.get_note(session, note_id))
        except NotFound:
            note = None
        if note is None or not can_read_note(viewer, note):
            raise NotFound(f"There is no note {note_id!r}.")
        note["author_name"] = program.get_user(session, note["author_id"]).name
    assistant.audit(user_id, "read_note", [note_id])
    return note
