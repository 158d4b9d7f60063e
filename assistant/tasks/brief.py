"""The executive's prep brief: recap, open actions on both sides, agenda, questions and reading."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.knowledge import Topic
from assistant.tasks import agenda as agendas
from assistant.tasks.chain import UnusableOutput, run_llm
from assistant.tasks.context import PairContext, summarize
from assistant.tasks.schemas import Brief, OpenAction, RecapEntry
from assistant.tasks.sources import Sources, hit_citation, note_citation
from assistant.tasks.topics import choose, rank

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.guide import Guide

RECAP_NOTES = 4
EXECUTIVE_GUIDE = "executive-guide.md"


def open_actions(context: PairContext) -> list[OpenAction]:
    """Open actions from the notes, oldest first."""
    return [
        OpenAction(owner=a.owner, action=a.action, since=a.since.isoformat(), note_id=a.note_id)
        for a in context.open
    ]


def to_mentor(topic: Topic) -> str:
    """A question the executive can put to their mentor about a topic the mentor leads.

    The catalog's opening questions for such topics are the mentor's to ask, so the executive
    gets their own question; a topic both sides lead keeps its first opening question.
    """
    if topic.direction == "both" and topic.opening_questions:
        return topic.opening_questions[0]
    return f"What would you most like me to take away from “{topic.title}”?"


def compose(guide: Guide, context: PairContext) -> Brief:
    """Assemble the brief from the notes, the action tracker, the agenda composer and the guidelines."""
    recent = context.notes[-RECAP_NOTES:]
    recap = [
        RecapEntry(
            date=n["date"], summary=f"{context.author(n)}'s note: {summarize(n['text'])}", note_id=n["id"]
        )
        for n in recent
    ]
    agenda = agendas.compose(guide, context, 45, None)
    picks = choose(rank(guide, context, None), 4)
    mentor_first = context.first_name("mentor")
    questions = [to_mentor(t) for t, _s, _d in picks if t.direction != "executive_to_mentor"]
    questions += [
        f"Ask {mentor_first} how “{a.action}” is going."
        for a in context.open
        if a.owner.lower() == mentor_first.lower()
    ][:2]
    if not questions:
        questions = [f"Ask {mentor_first} what they would like you to try before the next session."]
    reading_hits = guide.find_guidelines(
        "preparing for a session as the executive", k=2, source=EXECUTIVE_GUIDE
    )
    reading_hits += [guide.find_guidelines(t.title, k=1)[0] for t, _s, _d in picks[:1]]
    reading = [
        " › ".join(p for p in (h.meta.get("title"), h.meta.get("section")) if p)
        + f" ({h.meta.get('source')})"
        for h in reading_hits
    ]
    citations = {c.key: c for c in [*(note_citation(n) for n in recent), *agenda.citations]}
    citations.update({hit_citation(h).key: hit_citation(h) for h in reading_hits})
    return Brief(
        pair_id=context.pair["id"],
        recap=recap,
        open_actions=open_actions(context),
        agenda=agenda,
        questions_to_ask=questions[:5],
        reading=list(dict.fromkeys(reading)),
        citations=list(citations.values()),
    )


def llm(guide: Guide, model: BaseChatModel, context: PairContext) -> Brief:
    """Let the model write the recap and questions; actions and agenda facts come from the notes."""
    sources = Sources()
    recent = context.notes[-RECAP_NOTES:]
    for note in recent:
        sources.add_note(note)
    for hit in guide.find_guidelines("preparing for a session as the executive", k=2, source=EXECUTIVE_GUIDE):
        sources.add_hit(hit)
    agenda = agendas.compose(guide, context, 45, None)
    note_ids = {n["id"] for n in recent}

    def finish(data: dict[str, Any]) -> Brief:
        data["pair_id"] = context.pair["id"]
        data["open_actions"] = [a.model_dump() for a in open_actions(context)]
        data["agenda"] = agenda.model_dump()
        result = Brief.model_validate(data)
        if any(r.note_id not in note_ids for r in result.recap):
            raise UnusableOutput("the recap refers to a note it was not given")
        return result

    variables = {
        "mentor": context.mentor,
        "executive": context.executive,
        "goals": context.goals,
        "open_actions": context.open,
        "agenda": agenda,
        "passages": list(sources.passages.values()),
        "note_ids": [(n["id"], n["date"]) for n in recent],
    }
    return run_llm(
        guide, model, "brief", variables, sources, finish, Brief, ("pair_id", "open_actions", "agenda")
    )
