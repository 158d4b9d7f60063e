"""The executive's prep brief: since last time, a recap of what mattered, actions, agenda, questions.

Written to the reader ("you"), to be read in the ten minutes before a session: first what
changed since the last one (how long ago it was, flagged past the guidelines' limit; the next
planned session; what was agreed; what is overdue), then each recent note's main topic,
decisions and actions, then questions that come from this agenda's topics and the pair's open
threads.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from assistant import clock
from assistant import sessions as meetings
from assistant.actions import ActionItem
from assistant.insight import STALL_DAYS
from assistant.knowledge import Topic
from assistant.render import plain, spoken_list
from assistant.tasks import agenda as agendas
from assistant.tasks.chain import UnusableOutput, run_llm
from assistant.tasks.context import PairContext
from assistant.tasks.schemas import Agenda, Brief, OpenAction, RecapEntry
from assistant.tasks.sources import Sources, hit_citation, note_citation

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.guide import Guide

RECAP_NOTES = 3
QUESTIONS = 5
EXECUTIVE_GUIDE = "executive-guide.md"
MINIMUM_GAP_DAYS = 31  # the guidelines' minimum: a session a month
GIST = 260  # characters of a recap entry after the author's name

_ACTION_LINE = re.compile(r"^\s*[-*]\s+\[[ xX]\].*$", re.M)
_ITEM = re.compile(r"^(?:[-*•]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“'])")
# What a note says mattered: its main topic, what was decided, and threads left open.
MAIN_TOPIC = re.compile(
    r"\b(?:main topic|topics?\s*:"
    r"|today\b[^.]{0,60}\b(?:covered|discussed|talked|went through|looked at|raised|showed)"
    r"|(?:we|i|she|he|they) (?:covered|discussed|talked about|went through|looked at|raised|showed)"
    r"|(?:his|her|my|their) (?:half|part|turn)\b|^today\s*:)",
    re.I,
)
DECISION = re.compile(r"\b(?:agreed|decided|decision|we will|we'll|renewing|settled on|committed to)\b", re.I)
_OPEN_THREAD = re.compile(
    r"\b(?:not there yet|next time|come back to|pick (?:it|this) up|park(?:ed)?|still (?:to|need|not)"
    r"|didn't get to|ran out of time|to be continued|not yet)\b",
    re.I,
)
_CATEGORY_QUESTION = {
    "digital-tools": "Ask {partner} to show you one thing in “{title}” you could use this week.",
    "customers-and-market": "Ask {partner} where “{title}” goes wrong for customers of {their} age.",
}
_DEFAULT_QUESTION = (
    "Ask {partner} what people at {their} level say about “{title}” that they would not say to you."
)


def units(text: str) -> list[str]:
    """A note's prose as sentences and list items, action lines left out.

    Items stay whole (a wrapped item's indented lines belong to it); a sentence that ends with a
    colon is followed by the items it introduces.
    """
    out: list[str] = []
    paragraph: list[str] = []
    in_item = False

    def flush() -> None:
        if paragraph:
            out.extend(s.strip() for s in _SENTENCE_END.split(" ".join(paragraph)) if s.strip())
            paragraph.clear()

    for line in _ACTION_LINE.sub("", text).splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
            in_item = False
        elif _ITEM.match(stripped):
            flush()
            out.append(_ITEM.sub("", stripped))
            in_item = True
        elif in_item and line[:1].isspace():
            out[-1] = f"{out[-1]} {stripped}"
        else:
            in_item = False
            paragraph.append(stripped)
    flush()
    return [plain(u) for u in out]


def _with_items(found: list[str], index: int) -> str:
    """A sentence, and when it ends with a colon the (up to three) items it introduces."""
    sentence = found[index]
    if not sentence.endswith(":"):
        return sentence
    items = [
        _SENTENCE_END.split(u)[0].rstrip(".") for u in found[index + 1 : index + 4] if not u.endswith(":")
    ]
    return f"{sentence} {'; '.join(items)}." if items else sentence


def _first(found: list[str], pattern: re.Pattern[str], skip: set[int]) -> int | None:
    """The first unit the pattern finds that says enough to stand alone ("He agreed." does not)."""
    return next(
        (
            i
            for i, u in enumerate(found)
            if i not in skip and pattern.search(u) and (len(u.split()) >= 5 or u.endswith(":"))
        ),
        None,
    )


def gist(note: dict[str, Any], context: PairContext) -> str:
    """What a note says mattered: its main topic and what was decided, then its new actions."""
    found = units(note["text"])
    picked: list[int] = []
    for pattern in (MAIN_TOPIC, DECISION):
        index = _first(found, pattern, set(picked))
        if index is not None:
            picked.append(index)
    if not picked:  # no cue: the first sentence that says something (not "45 min.")
        picked = [next((i for i, u in enumerate(found) if len(u.split()) >= 6), 0)] if found else []
    parts: list[str] = []
    for index in sorted(picked):
        part = _with_items(found, index)
        if part[:40] not in " ".join(parts):  # an item the topic's list already quoted
            parts.append(part)
    text = " ".join(parts)
    if len(text) > GIST:
        text = text[: GIST - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    actions = [f"{a.owner}: {a.action}" for a in context.actions if a.note_id == note["id"]]
    listed: list[str] = []
    for action in actions:  # whole actions only, as many as fit
        if len(text) + len("; ".join([*listed, action])) > GIST + 120:
            break
        listed.append(action)
    if listed:
        more = f" (and {len(actions) - len(listed)} more)" if len(listed) < len(actions) else ""
        text += f" Actions: {'; '.join(listed)}{more}."
    return text


def _day(day: dt.date) -> str:
    return f"{day:%a %-d %b}"


def _whose(action: ActionItem, reader: str) -> str:
    return "yours" if action.owner.lower() == reader.lower() else action.owner


def reader_side(context: PairContext) -> str:
    """Who the brief speaks to as "you": the mentor when the mentor reads it, else the executive."""
    return "mentor" if context.viewer.id == context.pair["mentor_id"] else "executive"


def _calendar(guide: Guide, context: PairContext) -> list[tuple[dt.date, str, dt.datetime]]:
    with guide.assistant.session(write=False) as session:
        return [
            (meetings.local_date(m), m.status, meetings.local_start(m))
            for m in meetings.for_pair(session, context.pair["id"])
        ]


def _held(
    calendar: list[tuple[dt.date, str, dt.datetime]], context: PairContext, today: dt.date
) -> list[dt.date]:
    """The days the pair met (a held session or a note), newest first."""
    held = {day for day, status, _start in calendar if status == "held" and day <= today}
    return sorted(held | {dt.date.fromisoformat(n["date"]) for n in context.notes}, reverse=True)


def session_before(guide: Guide, context: PairContext, today: dt.date, back: int) -> str:
    """The session ``back`` sessions before the last one, said to the reader ("and the one before that?")."""
    held = _held(_calendar(guide, context), context, today)
    if back < len(held):
        return f"The session before that was on {_day(held[back])}."
    first = f": {_day(held[-1])} was your first" if held else ""
    return f"There is no earlier session{first}."


def since_last_time(guide: Guide, context: PairContext, today: dt.date) -> list[str]:
    """What changed since the last session, written to the reader: gap, next date, agreed, overdue."""
    calendar = _calendar(guide, context)
    held = _held(calendar, context, today)
    coming = sorted(start for day, status, start in calendar if status == "planned" and day >= today)
    lines: list[str] = []
    if held:
        last = held[0]
        gap = (today - last).days
        when = "today" if gap == 0 else f"{gap} day{'s' if gap != 1 else ''} ago"
        line = f"Your last session was on {_day(last)}, {when}."
        if gap > STALL_DAYS:
            line = (
                f"⚠ It has been {gap} days since your last session ({_day(last)}): longer than the "
                f"{STALL_DAYS // 7} weeks the guidelines allow before a pair counts as stalled."
            )
        elif gap > MINIMUM_GAP_DAYS:
            line += " That is longer than the guidelines' minimum of one session a month."
        lines.append(line)
    else:
        lines.append("You have not held a session yet.")
    if coming:
        start = coming[0]
        lines.append(f"Your next session is planned for {_day(start.date())} at {start:%H:%M}.")
    elif held:
        lines.append("No next session is planned yet: book one within about two weeks.")
    else:
        lines.append("No first session is planned yet: book one, and a recurring series after it.")
    reader = context.first_name(reader_side(context))
    last_note = context.notes[-1] if context.notes else None
    if last_note is not None:
        agreed = [a for a in context.open if a.note_id == last_note["id"]]
        if agreed:
            said = [f"{'you' if _whose(a, reader) == 'yours' else a.owner} to {a.action}" for a in agreed]
            when = _day(dt.date.fromisoformat(last_note["date"]))
            lines.append(f"Agreed last time ({when}): {spoken_list(said, 4)}.")
        overdue = [a for a in context.open if a.since < dt.date.fromisoformat(last_note["date"])]
        if overdue:
            said = [f"“{a.action}” ({_whose(a, reader)}, since {_day(a.since)})" for a in overdue]
            lines.append(f"Overdue, carried over at least one session: {spoken_list(said, 3)}.")
    return lines


def _partner_question(topic: Topic, partner: str, their: str) -> str:
    template = _CATEGORY_QUESTION.get(topic.category, _DEFAULT_QUESTION)
    return template.format(partner=partner, their=their, title=topic.title)


def questions(guide: Guide, context: PairContext, agenda_topics: list[Topic]) -> list[str]:
    """Questions for this session: from its agenda's topics, then the pair's open threads."""
    side = reader_side(context)
    other = "executive" if side == "mentor" else "mentor"
    partner = context.first_name(other)
    reader = context.first_name(side)
    asked: list[str] = []
    teaches = "executive_to_mentor" if side == "executive" else "mentor_to_executive"
    for topic in agenda_topics:
        if topic.direction == teaches:  # the reader leads it: be ready for the partner's question
            asked.append(f"{partner} may ask you “{topic.opening_questions[0]}” Have a real example ready.")
        else:
            asked.append(_partner_question(topic, partner, "their"))
    for action in context.open:
        if action.owner.lower() == partner.lower():
            asked.append(f"Ask {partner} how “{action.action}” is going.")
    for note in reversed(context.notes[-2:]):
        thread = next((u for u in units(note["text"]) if _OPEN_THREAD.search(u)), None)
        if thread:
            when = _day(dt.date.fromisoformat(note["date"]))
            asked.append(f"Pick up the thread from {when}: “{thread.rstrip('.')}”.")
    mine = [a for a in context.open if a.owner.lower() == reader.lower()]
    if mine:
        asked.append(f"Say where you are with “{mine[0].action}”.")
    return list(dict.fromkeys(asked))[:QUESTIONS] or [
        f"Ask {partner} what they would like you to try before the next session."
    ]


def open_actions(context: PairContext, focus: str | None = None) -> list[OpenAction]:
    """Open actions from the notes, oldest first (those about ``focus`` before the rest)."""
    actions = sorted(context.open, key=lambda a: not about(a.action, focus))  # stable: oldest first within
    return [
        OpenAction(owner=a.owner, action=a.action, since=a.since.isoformat(), note_id=a.note_id)
        for a in actions
    ]


def agenda_topics(guide: Guide, titles: list[str]) -> list[Topic]:
    """The catalog topics an agenda's items are about, in agenda order."""
    return [t for title in titles for t in guide.knowledge.topics if title.endswith(f": {t.title}")]


def about(text: str, focus: str | None) -> bool:
    """Whether ``text`` mentions the subject ``focus`` (any of its longer words, by their stem)."""
    stems = [w[:5] for w in re.findall(r"[a-z0-9&]+", (focus or "").lower()) if len(w) > 3]
    words = re.findall(r"[a-z0-9&]+", text.lower())
    return bool(stems) and any(w.startswith(stem) for w in words for stem in stems)


def recap_notes(context: PairContext, focus: str | None) -> list[dict[str, Any]]:
    """The notes a recap is made of: the latest, or the latest that mention ``focus`` when some do."""
    on_it = [n for n in context.notes if about(n["text"], focus)]
    return (on_it or context.notes)[-RECAP_NOTES:]


def _focused(context: PairContext, focus: str, agenda: Agenda) -> str:
    """The line that says what a focused brief is weighted to: whether the notes and the agenda hold it."""
    found = sum(about(n["text"], focus) for n in context.notes)
    on_agenda = any(about(i.title, focus) for i in agenda.items)
    agenda_says = (
        "the agenda has a part on it" if on_agenda else "no session topic is on it, so the agenda is as usual"
    )
    if not found:
        return f"Your notes don't mention {focus} yet, so the recap is your latest sessions; {agenda_says}."
    notes = "note mentions" if found == 1 else "notes mention"
    return (
        f"Weighted to {focus}: {found} of your {notes} it, so the recap and actions start there; "
        + agenda_says
        + "."
    )


def compose(
    guide: Guide, context: PairContext, today: dt.date | None = None, focus: str | None = None
) -> Brief:
    """Assemble the brief from the sessions, the notes, the action tracker, the agenda and the guidelines."""
    day = today or clock.today()
    recent = recap_notes(context, focus)
    recap = [
        RecapEntry(date=n["date"], summary=f"{context.author(n)}'s note: {gist(n, context)}", note_id=n["id"])
        for n in recent
    ]
    agenda = agendas.compose(guide, context, 45, focus)
    topics = agenda_topics(guide, [i.title for i in agenda.items])
    reading_hits = guide.find_guidelines(
        "preparing for a session as the executive", k=1, source=EXECUTIVE_GUIDE
    )
    reading_hits += [h for t in topics[:1] for h in guide.find_guidelines(t.title, k=1)]
    reading = [
        " › ".join(p for p in (h.meta.get("title"), h.meta.get("section")) if p)
        + f" ({h.meta.get('source')})"
        for h in reading_hits
    ]
    citations = {c.key: c for c in [*(note_citation(n) for n in recent), *agenda.citations]}
    citations.update({hit_citation(h).key: hit_citation(h) for h in reading_hits})
    return Brief(
        pair_id=context.pair["id"],
        since_last_time=[
            *([_focused(context, focus, agenda)] if focus else []),
            *since_last_time(guide, context, day),
        ],
        recap=recap,
        open_actions=open_actions(context, focus),
        agenda=agenda,
        questions_to_ask=questions(guide, context, topics),
        reading=list(dict.fromkeys(reading)),
        citations=list(citations.values()),
    )


def llm(guide: Guide, model: BaseChatModel, context: PairContext, focus: str | None = None) -> Brief:
    """Let the model write the recap and questions; the facts (since last time, actions, agenda) are ours."""
    sources = Sources()
    recent = recap_notes(context, focus)
    for note in recent:
        sources.add_note(note)
    for hit in guide.find_guidelines("preparing for a session as the executive", k=2, source=EXECUTIVE_GUIDE):
        sources.add_hit(hit)
    agenda = agendas.compose(guide, context, 45, focus)
    note_ids = {n["id"] for n in recent}
    since = [
        *([_focused(context, focus, agenda)] if focus else []),
        *since_last_time(guide, context, clock.today()),
    ]

    def finish(data: dict[str, Any]) -> Brief:
        data["pair_id"] = context.pair["id"]
        data["since_last_time"] = since
        data["open_actions"] = [a.model_dump() for a in open_actions(context, focus)]
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
        guide,
        model,
        "brief",
        variables,
        sources,
        finish,
        Brief,
        ("pair_id", "since_last_time", "open_actions", "agenda"),
    )
