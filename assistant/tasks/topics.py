"""Discussion topics for a pair: fit their goals, never repeat what they covered, both directions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from assistant.actions import note_lines
from assistant.knowledge import Topic
from assistant.lexical import STOPWORDS, keyword_parts, keywords
from assistant.render import plain, spoken_day
from assistant.tasks.chain import UnusableOutput, run_llm
from assistant.tasks.context import PairContext, summarize
from assistant.tasks.schemas import TopicsResult, TopicSuggestion
from assistant.tasks.sources import Sources, hit_citation, note_citation

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.guide import Guide

NOTE_RELEVANCE = 0.35
DEEPER = 0.45
FOCUS_MATCH = 0.3  # a topic this close to the focus is about it ("board" → the boardroom topic, 0.37)
# ... and this far above the catalog's median nearness to it: a long focus ("rostering expectations beyond
# the pilot depot") comes near every topic a little (0.31-0.35 against a median of 0.21) and is about none
FOCUS_STANDOUT = 0.15
NAMED_FOCUS = 0.6  # a focus that is one of a topic's keywords ("copilot") names that topic
MAX_PER_CATEGORY = 2
GOAL_FIT = 0.3  # an aim this close to a topic is one it serves
AIM_WEIGHT = 0.3  # how much of a topic's fit is its closeness to the one aim it serves best
TWO_WAY = ("mentor_to_executive", "executive_to_mentor")
_LEARNER = {"mentor_to_executive": "executive", "executive_to_mentor": "mentor"}


class Ranked(NamedTuple):
    """A catalog topic's place for a pair: its fit, whether it goes deeper, the aim it serves."""

    topic: Topic
    score: float
    deeper: bool
    aim: int | None  # which of the pair's aims (see ``aims``) it serves, when it is near one


def rank(guide: Guide, context: PairContext, focus: str | None) -> list[Ranked]:
    """Catalog topics by fit; covered ones only when the focus asks for them.

    Fit is closeness to the pair as a whole (its goals and latest note) and to the one aim of
    the pair's goals the topic serves best, counting only the aims of the side that would learn
    from it: a topic Martin teaches serves Priya's aims, not his own. The whole-pair vector alone
    favours topics near many things, which then top most pairs of a program.
    """
    parts = [context.goals or "reverse mentoring goals"]
    if context.notes:
        parts.append(summarize(context.notes[-1]["text"]))
    profile = guide.embed_query(" ".join(parts))
    scores = guide.topic_vectors @ profile
    served = _served_aims(guide, context)
    if served is not None:
        near, best = served
        scores = (1 - AIM_WEIGHT) * scores + AIM_WEIGHT * near
    focus_scores = np.zeros_like(scores)
    if focus:
        focus_scores = guide.topic_vectors @ guide.embed_query(focus)
        named = [_named_by(focus, t.keywords) for t in guide.knowledge.topics]  # "copilot": AI assistants
        focus_scores = np.where(named, np.maximum(focus_scores, NAMED_FOCUS), focus_scores)
        scores = 0.35 * scores + 0.65 * focus_scores
    covered = {t.id for t in context.covered(guide.knowledge.topics)}
    ranked = []
    for i in np.argsort(-scores):
        topic = guide.knowledge.topics[int(i)]
        deeper = topic.id in covered
        if deeper and not (focus and float(focus_scores[i]) >= DEEPER):
            continue
        aim = int(best[i]) if served is not None and near[i] >= GOAL_FIT else None
        ranked.append(Ranked(topic, float(scores[i]), deeper, aim))
    return ranked


def _served_aims(guide: Guide, context: PairContext) -> tuple[np.ndarray, np.ndarray] | None:
    """Per catalog topic, its closeness to the nearest aim of the side that learns from it, and which.

    None when the goals name no aims.
    """
    stated = aims(context)
    if not stated:
        return None
    learners = {direction: context.first_name(side).lower() for direction, side in _LEARNER.items()}
    key = ("served_aims", context.goals, tuple(learners.items()))  # what the result follows from
    return guide.remembered(key, lambda: _nearest_aims(guide, stated, learners))


def _nearest_aims(
    guide: Guide, stated: list[tuple[str, str | None]], learners: dict[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    near = guide.topic_vectors @ guide.embed_cached([a for a, _who in stated]).T  # topics × aims
    everyone = np.arange(len(stated))
    best = np.zeros(len(guide.knowledge.topics), dtype=np.int64)
    directions: dict[str, list[int]] = {}
    for i, topic in enumerate(guide.knowledge.topics):
        directions.setdefault(topic.direction, []).append(i)
    for direction, rows in directions.items():  # per direction, its learner's aims (else all)
        name = learners.get(direction)
        own = [j for j, (_a, who) in enumerate(stated) if who is None or who.lower() == name]
        columns = np.array(own) if name is not None and own else everyone
        at = np.array(rows)
        best[at] = columns[np.argmax(near[np.ix_(at, columns)], axis=1)]  # the first best, as before
    nearest = near[np.arange(len(best)), best]
    nearest.flags.writeable = best.flags.writeable = False  # kept and shared (``Guide.remembered``)
    return nearest, best


def aims(context: PairContext) -> list[tuple[str, str | None]]:
    """The aims the pair's goals state, with who wants each (None when the goal names no one).

    "Martin (COO) wants to A and to B. Priya wants to C." gives (A, Martin), (B, Martin), (C, Priya).
    """
    return list(_aims(context.goals))


@lru_cache(maxsize=1024)
def _aims(goals: str) -> tuple[tuple[str, str | None], ...]:
    """``aims`` of a goals text (read once per text: a request reads them once per suggested topic)."""
    sentences = [g.strip() for g in re.split(r"(?<=[.;!?])\s+", goals) if len(g.strip()) > 10]
    found: list[tuple[str, str | None]] = []
    for goal in sentences:
        wish = _WISH.match(plain(_ROLE_NOTE.sub("", goal)).rstrip(".;"))
        if wish:
            found += [(a.strip(), wish["who"]) for a in _AIMS.split(wish["aims"]) if len(a.strip()) > 5]
        else:
            found.append((plain(goal).rstrip(".;"), None))
    return tuple(found)


def choose(ranked: list[Ranked], count: int) -> list[Ranked]:
    """The best ``count`` topics, with both directions present.

    Each aim of the pair is served once before any is served twice, and no category crowds the list.
    """
    picked: list[Ranked] = []
    taken: set[str] = set()  # topic ids: comparing the models themselves is slow
    per_category: dict[str, int] = {}
    served: set[int] = set()

    def take(entry: Ranked) -> None:
        picked.append(entry)
        taken.add(entry.topic.id)
        per_category[entry.topic.category] = per_category.get(entry.topic.category, 0) + 1
        if entry.aim is not None:
            served.add(entry.aim)

    def fresh(entry: Ranked) -> bool:
        return entry.aim is None or entry.aim not in served

    for direction in TWO_WAY[: min(count, 2)]:
        mine = [r for r in ranked if r.topic.direction == direction]
        first = next((r for r in mine if fresh(r)), mine[0] if mine else None)
        if first is not None:
            take(first)
    for one_per_aim in (True, False):
        for entry in ranked:
            if len(picked) >= count:
                break
            if entry.topic.id in taken or per_category.get(entry.topic.category, 0) >= MAX_PER_CATEGORY:
                continue
            if one_per_aim and not fresh(entry):
                continue
            take(entry)
    for entry in ranked:  # a small catalog may need the crowded categories after all
        if len(picked) >= count:
            break
        if entry.topic.id not in taken:
            take(entry)
    return sorted(picked, key=lambda r: -r.score)


def goal_for(guide: Guide, topic: Topic, context: PairContext) -> str | None:
    """The part of the pair's goals this topic serves best, as a plain sentence.

    Goals often name each person's aims; a topic the executive teaches serves the mentor's
    aims and the other way round, so sentences naming the learner are preferred. "Martin (COO)
    wants to A and to B" becomes "Martin wants to B" (the aim nearest the topic), or "You want
    to B" when Martin is reading.
    """
    stated = aims(context)
    learner = _LEARNER.get(topic.direction)
    if learner:
        name = context.first_name(learner).lower()
        stated = [(a, who) for a, who in stated if who is None or who.lower() == name] or stated
    if not stated:
        return None
    index = next(i for i, t in enumerate(guide.knowledge.topics) if t.id == topic.id)
    scores = guide.embed_cached([a for a, _who in stated]) @ guide.topic_vectors[index]
    best = int(np.argmax(scores))
    aim, who = stated[best]
    if scores[best] < GOAL_FIT:  # a goal this far from the topic would be a claim it does not earn
        return None
    if who is None:
        return f"It fits what you set out to do: {aim[0].lower()}{aim[1:]}."
    reader = context.first_name("mentor" if context.viewer.id == context.pair["mentor_id"] else "executive")
    return f"You want to {aim}." if who.lower() == reader.lower() else f"{who} wants to {aim}."


_ROLE_NOTE = re.compile(r"\s*\([^()]*\)")  # "Martin (COO)": the title in brackets
NO_TOPIC_ON = "I have no new topic on “{}”, so this list follows your goals instead."
_WISH = re.compile(r"^(?P<who>[A-Z][\w'-]+) (?:wants|would like|hopes|aims) to (?P<aims>.+)$")
_AIMS = re.compile(r",? and to |; ")
_FILLER = frozenset(
    {"the", "a", "an", "our", "my", "his", "her", "of", "on", "and", "stuff", "thing", "things"}
)


def _why(topic: Topic, goal: str | None, focus: Focus, deeper: bool, note_date: str | None) -> str:
    parts = [topic.purpose]
    if deeper:
        parts.append("You have touched on this before, so go a level deeper this time.")
    elif focus.text and topic.id in focus.matched:
        parts.append(f"It is about {focus.text}, as you asked.")
    elif focus.text and not focus.matched:
        parts.append(NO_TOPIC_ON.format(focus.text))
    elif goal:
        parts.append(goal)
    if note_date:
        parts.append(f"It follows on from your session on {dt.date.fromisoformat(note_date):%-d %b}.")
    return plain(" ".join(parts))


def _thread(context: PairContext, focus: str, exclude: tuple[str, ...]) -> TopicSuggestion | None:
    """Picking up a subject of the pair's own that no catalog topic is about, from the last note on it."""
    title = f"Picking up {focus}"
    words = keywords(focus, STOPWORDS)
    if not words or title.lower() in {t.lower() for t in exclude}:
        return None
    for note in sorted(context.notes, key=lambda n: str(n["date"]), reverse=True):
        line = next(
            (said for said in note_lines(note["text"]) if words <= keyword_parts(said)),
            None,
        )
        if line is None:
            continue
        day = spoken_day(note["date"])
        return TopicSuggestion(
            title=title,
            direction="both",
            why=plain(
                f"Your notes last mention {focus} on {day}: “{line.rstrip('.')}”. No topic in the catalog is "
                "about it, so this picks up your own thread; the other ideas follow your goals."
            ),
            opening_questions=[
                f"Where did we leave {focus}, and what has changed since {day}?",
                f"What would make one more session on {focus} worth it?",
                f"What is one thing either of us could do on {focus} before next time?",
            ],
            citations=[note_citation(note)],
        )
    return None


def _once(goal: str | None, said: set[str]) -> str | None:
    """A goal quoted the first time only: the same sentence under every topic reads like a form."""
    if goal is None or goal in said:
        return None
    said.add(goal)
    return goal


@dataclass(frozen=True)
class Focus:
    """What the user asked to focus on, and the catalog topics actually about it."""

    text: str | None
    matched: frozenset[str]

    @classmethod
    def of(cls, guide: Guide, text: str | None, candidates: set[str]) -> Focus:
        """The focus and which of the candidate topics (by id) are about it."""
        if not text:
            return cls(None, frozenset())
        scores = guide.topic_vectors @ guide.embed_query(text)
        least = max(FOCUS_MATCH, float(np.median(scores)) + FOCUS_STANDOUT)
        about = {t.id for t, score in zip(guide.knowledge.topics, scores) if score >= least}
        about |= {
            t.id for t in guide.knowledge.topics if _named_by(text, t.keywords)
        }  # "copilot": AI assistants
        return cls(text, frozenset(about & candidates))


def _named_by(text: str, keywords: list[str]) -> bool:
    """Whether a subject as said is one of a topic's keywords, or its words are ("copilot", "power bi").

    Not a longer subject that holds one: "quarterly pricing review" is more than "pricing".
    """
    said = set(re.findall(r"[a-z0-9&+]+", text.lower()))
    return bool(said) and any(said <= set(re.findall(r"[a-z0-9&+]+", k.lower())) for k in keywords)


def _ranked(guide: Guide, context: PairContext, focus: str | None, exclude: tuple[str, ...]) -> list[Ranked]:
    """The catalog ranked for the pair, less the titles already suggested."""
    shown = {title.lower() for title in exclude}
    return [r for r in rank(guide, context, focus) if r.topic.title.lower() not in shown]


def compose(
    guide: Guide, context: PairContext, focus: str | None, count: int, exclude: tuple[str, ...] = ()
) -> TopicsResult:
    """Pick topics from the catalog and ground each in the guidelines and the pair's notes."""
    suggestions: list[TopicSuggestion] = []
    citations = {}
    ranked = _ranked(guide, context, focus, exclude) or _ranked(guide, context, focus, ())  # all shown: again
    asked = Focus.of(guide, focus, {r.topic.id for r in ranked})
    goals_said: set[str] = set()
    if focus and not asked.matched and (picked_up := _thread(context, focus, exclude)):
        suggestions.append(picked_up)  # "we were in the middle of the graduate retention stuff": that thread
        citations.update({c.key: c for c in picked_up.citations})
    for topic, _score, deeper, _aim in choose(ranked, count - len(suggestions)):
        query = f"what the exchange covers: {topic.category.replace('-', ' ')}"
        cited = [hit_citation(h) for h in guide.find_guidelines(query, k=1)]
        notes = [h for h in guide.find_notes(topic.text, context, k=1) if h.similarity >= NOTE_RELEVANCE]
        cited += [hit_citation(h) for h in notes]
        note_date = notes[0].meta.get("date") if notes else None
        suggestions.append(
            TopicSuggestion(
                title=topic.title,
                direction=topic.direction,
                why=_why(
                    topic,
                    _once(goal_for(guide, topic, context), goals_said),
                    asked if not suggestions or asked.matched else Focus(None, frozenset()),
                    deeper,
                    note_date,
                ),
                opening_questions=[plain(q) for q in topic.opening_questions[:3]],
                citations=cited,
            )
        )
        citations.update({c.key: c for c in cited})
    return TopicsResult(pair_id=context.pair["id"], topics=suggestions, citations=list(citations.values()))


def llm(
    guide: Guide,
    model: BaseChatModel,
    context: PairContext,
    focus: str | None,
    count: int,
    exclude: tuple[str, ...] = (),
) -> TopicsResult:
    """Let the model choose and phrase topics from the best catalog candidates."""
    candidates = [r.topic for r in _ranked(guide, context, focus, exclude)[: count * 3]]
    covered = context.covered(guide.knowledge.topics)
    sources = Sources()
    for note in context.notes[-4:]:
        sources.add_note(note)
    for hit in guide.find_guidelines("choosing discussion topics for a two-way exchange", k=3):
        sources.add_hit(hit)
    covered_titles = {t.title.lower() for t in covered}
    wanted_focus = bool(focus)

    def finish(data: dict[str, Any]) -> TopicsResult:
        data["pair_id"] = context.pair["id"]
        result = TopicsResult.model_validate(data)
        titles = [t.title.lower() for t in result.topics]
        if not wanted_focus and covered_titles & set(titles):
            raise UnusableOutput("the model repeated a topic the pair already covered")
        if count >= 2 and not set(TWO_WAY) <= {t.direction for t in result.topics}:
            raise UnusableOutput("the topics must go both ways")
        result.topics = result.topics[:count]
        for topic in result.topics:  # guideline Markdown does not belong inside a sentence
            topic.why = plain(topic.why)
            topic.opening_questions = [plain(q) for q in topic.opening_questions]
        return result

    variables = {
        "goals": context.goals,
        "focus": focus or "",
        "count": count,
        "mentor": context.mentor,
        "executive": context.executive,
        "covered": [t.title for t in covered],
        "candidates": candidates,
        "passages": list(sources.passages.values()),
    }
    return run_llm(guide, model, "topics", variables, sources, finish, TopicsResult, ("pair_id",))
