"""What a pair task knows: the pair, the notes the caller may read, and their action items."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from assistant.access import Viewer, is_member
from assistant.actions import ActionItem, NoteRef, open_actions, track_actions
from assistant.ingest import NoteChunk
from assistant.knowledge import Topic, mentions

_ACTION = re.compile(r"^\s*[-*]\s+\[[ xX]\].*$", re.M)
_MARKUP = re.compile(r"^\s*(?:[-*#>]+|\d{1,2}[.)])\s+", re.M)  # bullets, headings, quotes, "1."


@dataclass
class PairContext:
    """A pair seen through one viewer's access rules."""

    viewer: Viewer
    pair: dict[str, Any]
    mentor: str
    executive: str
    notes: list[dict[str, Any]]
    # Every note of the pair the viewer may read (their private ones too, even when ``notes``
    # leaves them out of a shared copy), cut for searching, newest first: read with ``notes``,
    # so a task's searches ask the store nothing more.
    chunks: list[NoteChunk] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        viewer: Viewer,
        pair: dict[str, Any],
        names: dict[str, str],
        notes: list[dict[str, Any]],
        chunks: list[NoteChunk] | None = None,
    ) -> PairContext:
        """Assemble the context over the readable notes (and their chunks, to search)."""
        return cls(
            viewer=viewer,
            pair=pair,
            mentor=names.get(pair["mentor_id"], pair["mentor_id"]),
            executive=names.get(pair["executive_id"], pair["executive_id"]),
            notes=notes,
            chunks=chunks or [],
        )

    @cached_property
    def actions(self) -> list[ActionItem]:
        """The action items tracked across the readable notes (worked out when first needed)."""
        return track_actions(
            NoteRef(n["id"], dt.date.fromisoformat(n["date"]), n["text"]) for n in self.notes
        )

    @property
    def open(self) -> list[ActionItem]:
        """Action items not yet reported done, oldest first."""
        return open_actions(self.actions)

    @property
    def goals(self) -> str:
        """The pair's goals ("" when none were set)."""
        return str(self.pair.get("goals") or "")

    def covered(self, topics: list[Topic]) -> list[Topic]:
        """Catalog topics the pair's notes show were already discussed."""
        text = " ".join(n["text"] for n in self.notes).lower()
        found = _mentioned(text, tuple(t.marks for t in topics))
        return [t for t, seen in zip(topics, found) if seen]

    @property
    def member(self) -> bool:
        """Whether the viewer is in the pair (a coordinator reads only what it shares with the program)."""
        return is_member(self.viewer, self.pair["id"])

    @property
    def sessions_of(self) -> str:
        """Whose sessions these are, said to the viewer: "your", or "Kai and Helen's" to a coordinator."""
        return "your" if self.member else f"{self.first_name('mentor')} and {self.first_name('executive')}'s"

    def first_name(self, role: str) -> str:
        """The mentor's or executive's first name."""
        return (self.mentor if role == "mentor" else self.executive).split()[0]

    def author(self, note: dict[str, Any]) -> str:
        """The first name of the member who wrote a note (notes say "I" and "my")."""
        return self.first_name("mentor" if note["author_id"] == self.pair["mentor_id"] else "executive")


@lru_cache(maxsize=128)
def _mentioned(text: str, marks: tuple[tuple[str, ...], ...]) -> tuple[bool, ...]:
    """For each topic's marks, whether any occurs in the text.

    Remembered: a pair's notes change rarely, and searching them for every topic's words
    took more time than anything else in suggesting topics.
    """
    return tuple(mentions(text, words) for words in marks)


def summarize(text: str, limit: int = 220) -> str:
    """A short gist of a note: its prose without action lines or list markers."""
    prose = _MARKUP.sub("", _ACTION.sub("", text))
    flat = " ".join(line.strip() for line in prose.splitlines() if line.strip())
    sentences = re.split(r"(?<=[.!?])\s+", flat)
    out = ""
    for sentence in sentences:
        if out and len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    return out if len(out) <= limit else out[: limit - 1].rstrip() + "…"
