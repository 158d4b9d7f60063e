"""Numbered passages given to a model, and the citations they resolve to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.retrieval import Hit
from assistant.tasks.schemas import Citation


@dataclass(frozen=True)
class Passage:
    """A retrieved guideline section or note, labelled ``G1``/``N1`` for the model."""

    ref: str
    citation: Citation
    title: str
    text: str


def hit_citation(hit: Hit) -> Citation:
    """The citation for a retrieved chunk."""
    meta = hit.meta
    if hit.kind == "note":
        return Citation(kind="note", note_id=meta.get("note_id"), date=meta.get("date"))
    return Citation(kind="guideline", source=meta.get("source"), section=meta.get("section") or None)


def note_citation(note: dict[str, Any]) -> Citation:
    """The citation for a whole note."""
    return Citation(kind="note", note_id=note["id"], date=note["date"])


class Sources:
    """The passages a task may cite; anything else is a made-up citation."""

    def __init__(self) -> None:
        self.passages: dict[str, Passage] = {}
        self._by_key: dict[tuple[str, str | None, str | None, str | None], Passage] = {}

    def _add(self, citation: Citation, title: str, text: str) -> Passage:
        existing = self._by_key.get(citation.key)
        if existing is not None:
            return existing
        prefix = "N" if citation.kind == "note" else "G"
        ref = f"{prefix}{sum(1 for p in self.passages if p.startswith(prefix)) + 1}"
        passage = Passage(ref, citation, title, text)
        self.passages[ref] = passage
        self._by_key[citation.key] = passage
        return passage

    def add_hit(self, hit: Hit) -> Passage:
        """Register a retrieved chunk."""
        citation = hit_citation(hit)
        if hit.kind == "note":
            title = f"Session note {hit.meta.get('date')}"
        else:
            title = " — ".join(p for p in (hit.meta.get("title"), hit.meta.get("section")) if p)
        return self._add(citation, title, hit.text)

    def add_note(self, note: dict[str, Any]) -> Passage:
        """Register a whole note the viewer may read."""
        return self._add(note_citation(note), f"Session note {note['date']}", note["text"])

    def resolve(self, ref: str) -> Citation:
        """The citation for a passage label; unknown labels raise ``KeyError``."""
        return self.passages[ref.strip().strip("[]")].citation

    def citations(self) -> list[Citation]:
        """Every registered citation, in order."""
        return [p.citation for p in self.passages.values()]

    def notes(self) -> list[Passage]:
        """Note passages only."""
        return [p for p in self.passages.values() if p.citation.kind == "note"]

    def guidelines(self) -> list[Passage]:
        """Guideline passages only."""
        return [p for p in self.passages.values() if p.citation.kind == "guideline"]
