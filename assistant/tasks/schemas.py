"""Output schemas shared by the LLM chains and the offline composer."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from assistant.knowledge import Direction, Lead

Mode = Literal["llm", "offline"]


class Citation(BaseModel):
    """Where a statement comes from: a guideline section or a note."""

    kind: Literal["guideline", "note"]
    source: str | None = None
    section: str | None = None
    note_id: str | None = None
    date: str | None = None

    @property
    def key(self) -> tuple[str, str | None, str | None, str | None]:
        """Identity of the cited passage."""
        return (self.kind, self.source, self.section, self.note_id)


class Result(BaseModel):
    """Fields every task response carries."""

    model_config = ConfigDict(extra="forbid")

    mode: Mode = "offline"
    fallback_reason: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    # What a model spent on this result (for the audit log, never in the response); None when none was asked.
    _usage: dict[str, Any] | None = PrivateAttr(default=None)

    def note_ids(self) -> list[str]:
        """Ids of the notes this result drew on (for the audit log)."""
        return [c.note_id for c in self.citations if c.kind == "note" and c.note_id]

    @property
    def usage(self) -> dict[str, Any] | None:
        """The model asked for this result: ``model``, input/output tokens and ``latency_s``, or None."""
        return self._usage

    def spent(self, usage: dict[str, Any]) -> None:
        """Record what the model asked for this result spent."""
        self._usage = usage


class TopicSuggestion(BaseModel):
    """One suggested discussion topic."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=3)
    direction: Direction
    why: str = Field(min_length=3)
    opening_questions: list[str] = Field(min_length=1, max_length=5)
    citations: list[Citation] = Field(default_factory=list)


class TopicsResult(Result):
    """Suggested topics for a pair's next session."""

    pair_id: str
    topics: list[TopicSuggestion] = Field(min_length=1)


class CoachStep(BaseModel):
    """A concrete step with the reason for it."""

    model_config = ConfigDict(extra="forbid")

    action: str = Field(min_length=3)
    why: str = Field(min_length=3)
    say: str | None = Field(default=None, description="Words the asker could use to take the step.")


class CoachResult(Result):
    """Coaching on a challenge."""

    challenge: str | None = None
    summary: str = Field(min_length=3)
    steps: list[CoachStep] = Field(min_length=1)
    watch_outs: list[str] = Field(default_factory=list)


class AgendaItem(BaseModel):
    """A time-boxed agenda item."""

    model_config = ConfigDict(extra="forbid")

    minutes: int = Field(gt=0)
    title: str = Field(min_length=2)
    lead: Lead
    details: str = ""


class CarriedAction(BaseModel):
    """An open action item brought into the next session."""

    model_config = ConfigDict(extra="forbid")

    owner: str
    action: str
    note_id: str


class Agenda(Result):
    """A session agenda whose item minutes add up to its length."""

    title: str = Field(min_length=3)
    minutes: int = Field(ge=5, le=120)
    items: list[AgendaItem] = Field(min_length=2)
    carried_over_actions: list[CarriedAction] = Field(default_factory=list)
    follow_ups: list[str] = Field(default_factory=list)
    part: Literal["mentor", "executive"] | None = Field(
        default=None, description="An outline of this side's own part of a session, not a whole session."
    )

    @model_validator(mode="after")
    def _rules(self) -> Agenda:
        if sum(item.minutes for item in self.items) != self.minutes:
            raise ValueError("agenda item minutes must add up to the session length")
        if self.part is not None:
            if any(item.lead != self.part for item in self.items):
                raise ValueError("every item of an outline of one side's part is led by that side")
            return self
        if self.minutes < 30:
            raise ValueError("a session agenda is at least 30 minutes")
        if not any(item.lead == "executive" for item in self.items):
            raise ValueError("at least one agenda item must be led by the executive")
        return self


class RecapEntry(BaseModel):
    """One past session in a brief."""

    model_config = ConfigDict(extra="forbid")

    date: str
    summary: str
    note_id: str


class OpenAction(BaseModel):
    """An action item not yet reported done."""

    model_config = ConfigDict(extra="forbid")

    owner: str
    action: str
    since: str
    note_id: str


class Brief(Result):
    """An executive's prep brief for the next session.

    ``since_last_time`` comes first: how long since the last session (flagged when past the
    guidelines' limit), the next planned one, what was agreed and what is overdue, written to the
    reader ("you").
    """

    pair_id: str
    since_last_time: list[str] = Field(default_factory=list)
    recap: list[RecapEntry]
    open_actions: list[OpenAction]
    agenda: Agenda
    questions_to_ask: list[str] = Field(min_length=1)
    reading: list[str]

    def note_ids(self) -> list[str]:
        """Cited notes plus the notes the recap and open actions come from."""
        return [
            *super().note_ids(),
            *(r.note_id for r in self.recap),
            *(a.note_id for a in self.open_actions),
        ]


Outcome = Literal["direct", "closest", "not_covered"]


class Answer(Result):
    """A program-guidance answer from the guidelines, or an honest abstention.

    ``outcome`` says which of three answers it is: the guidelines answer the question
    (``direct``), they don't say it directly and this is the closest they come (``closest``),
    or they don't cover it (``not_covered``, the same as ``abstained``).
    """

    answer: str = Field(min_length=3)
    abstained: bool
    outcome: Outcome = "direct"

    @model_validator(mode="after")
    def _outcome_follows_abstained(self) -> Answer:
        if self.abstained:
            self.outcome = "not_covered"
        elif self.outcome == "not_covered":
            self.abstained = True
        return self


class NoteExcerpt(BaseModel):
    """Lines of one note that answer a question about the pair's sessions."""

    model_config = ConfigDict(extra="forbid")

    note_id: str
    date: str
    author: str
    lines: list[str] = Field(min_length=1)


class NotesFound(Result):
    """What the asker's own session notes say about a question."""

    query: str
    summary: str
    excerpts: list[NoteExcerpt] = Field(default_factory=list)


class Overview(Result):
    """A coordinator's view (program health, pairings, rotation) in figures, never note text."""

    title: str
    summary: str
    items: list[str] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)


class Draft(Result):
    """A message drafted for the user to send to their partner."""

    kind: str
    to: str
    cc: list[str] = Field(default_factory=list, description="Who is copied in.")
    subject: str
    body: str
    more: list[Draft] = Field(default_factory=list, description="The same note to other pairs, one each.")
