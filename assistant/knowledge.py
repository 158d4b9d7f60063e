"""Curated program knowledge: topic catalog, challenge playbook and agenda patterns."""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field

# libyaml's parser, when PyYAML has it, reads the catalogs ten times faster (0.25 s saved a start).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Direction = Literal["mentor_to_executive", "executive_to_mentor", "both"]
Lead = Literal["mentor", "executive", "both"]


class Topic(BaseModel):
    """A discussion topic from the catalog."""

    id: str
    title: str
    direction: Direction
    category: str
    purpose: str
    opening_questions: list[str] = Field(min_length=1)
    keywords: list[str] = Field(default_factory=list)

    @property
    def text(self) -> str:
        """What the embedder sees for this topic."""
        return f"{self.title}. {self.purpose} {' '.join(self.keywords)}"

    @cached_property
    def marks(self) -> tuple[str, ...]:
        """Its title and keywords, lower-cased: words in a pair's notes that show it was discussed."""
        return tuple(k.lower() for k in [self.title, *self.keywords])

    def mentioned_in(self, text: str) -> bool:
        """Whether lower-cased ``text`` holds one of its marks (see ``marks_pattern``)."""
        return mentions(text, self.marks)


class Step(BaseModel):
    """One remedy in a challenge's playbook, for either side unless ``who`` says which."""

    action: str
    why: str
    who: Literal["mentor", "executive", "coordinator"] | None = None  # the coordinator: staff asking
    say: str | None = None  # words the asker could use for it ("what would I actually say?")


class Challenge(BaseModel):
    """A common way pairs get stuck, how people describe it and what helps."""

    id: str
    name: str
    guideline_section: str
    phrases: list[str]
    causes: list[str]
    signs: list[str]
    steps: list[Step] = Field(min_length=1)
    watch_outs: list[str]
    reactions: dict[str, list[Step]] = Field(
        default_factory=dict, description="This challenge's own steps for a reaction, by reaction id."
    )


class Reaction(BaseModel):
    """A what-if about advice already given ("what if she gets annoyed?") and what helps then."""

    id: str
    when: str  # opens the answer; {partner} is the other member's first name
    phrases: list[str] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)


class PatternItem(BaseModel):
    """One time-boxed block of an agenda pattern."""

    minutes: int = Field(gt=0)
    title: str
    lead: Lead
    details: str


class AgendaPattern(BaseModel):
    """A session shape for a given length."""

    id: str
    minutes: int
    name: str
    when: str = ""
    items: list[PatternItem]


class ScopeArea(BaseModel):
    """A subject the guidelines leave to another part of the company."""

    id: str
    refer_to: str
    phrases: list[str] = Field(min_length=1)


class Objective(BaseModel):
    """One of the program's learning objectives and the topic categories that serve it."""

    id: str
    title: str
    learner: Literal["executive", "mentor"]
    categories: list[str] = Field(min_length=1)


class Milestone(BaseModel):
    """A dated step of a cycle (``cycle.yaml``): weeks from the kickoff, who, what, and its source."""

    title: str
    week: int = Field(ge=0, le=52)
    who: str
    what: str
    source: str
    section: str


class Knowledge(BaseModel):
    """Everything curated, loaded once from ``knowledge/``."""

    topics: list[Topic]
    challenges: list[Challenge]
    reactions: list[Reaction] = Field(default_factory=list)
    patterns: list[AgendaPattern]
    scope: list[ScopeArea] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)

    def topic(self, topic_id: str) -> Topic:
        """The topic with this id."""
        return next(t for t in self.topics if t.id == topic_id)


def read_yaml(path: Path) -> Any:
    """A YAML file's data (safe loading: plain types only)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


def _items(path: Path, key: str) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return list(read_yaml(path).get(key) or [])


@lru_cache(maxsize=4)
def load_knowledge(folder: Path) -> Knowledge:
    """Read and validate the topic catalog, playbook and agenda patterns."""
    return Knowledge.model_validate(
        {
            "topics": _items(folder / "topics.yaml", "topics"),
            "challenges": _items(folder / "playbook.yaml", "challenges"),
            "reactions": _items(folder / "playbook.yaml", "reactions"),
            "patterns": _items(folder / "agendas.yaml", "patterns"),
            "scope": _items(folder / "scope.yaml", "areas"),
            "milestones": _items(folder / "cycle.yaml", "milestones"),
        }
    )


@lru_cache(maxsize=4)
def load_objectives(folder: Path) -> tuple[Objective, ...]:
    """The objectives in ``objectives.yaml`` (none when the file is absent)."""
    return tuple(Objective.model_validate(item) for item in _items(folder / "objectives.yaml", "objectives"))


_MARK_WORD = re.compile(r"[a-z0-9&+]+")
_ENDINGS = r"(?:s|es|ed|d|ing|'s)?"  # meeting, meetings, meeting's; use, used, uses


@lru_cache(maxsize=1024)
def _mark_patterns(marks: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each mark's first word and its pattern (see ``marks_pattern``)."""
    return tuple((words[0], marks_pattern((mark,))) for mark in marks if (words := _MARK_WORD.findall(mark)))


def mentions(text: str, marks: tuple[str, ...]) -> bool:
    """Whether lower-cased ``text`` holds one of ``marks``, as ``marks_pattern(marks).search`` finds.

    A mark can only match where its first word starts, so its pattern is tried only there (found
    at memory speed by ``str.find``) rather than scanned across the text: a pair's notes run to
    tens of kB, and a scan per topic took most of the time in ranking topics.
    """
    for first, pattern in _mark_patterns(marks):
        at = text.find(first)
        while at != -1:
            if pattern.match(text, at):  # \b still sees the character before ``at``
                return True
            at = text.find(first, at + 1)
    return False


@lru_cache(maxsize=1024)
def marks_pattern(marks: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a topic's marks, matched as whole words with their plural and verb endings.

    Whole words, so "vision" is not found in "division", "board" in "dashboard" or "pilot" in
    "copilot".
    """
    phrases = []
    for mark in marks:
        words = _MARK_WORD.findall(mark)
        if words:
            phrases.append(r"\b" + r"\W+".join(re.escape(w) + _ENDINGS for w in words) + r"\b")
    return re.compile("|".join(phrases) or r"(?!)")
