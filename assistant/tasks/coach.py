"""Coaching on a challenge: recognise it from everyday words, answer from the playbook and notes.

The steps fit who is asking (the mentor gets the mentor's side, the executive the executive's)
and come in order of use: the asker's own steps and those nearest to what they described first.
A step about the pair itself is added only when the notes show it, and it quotes them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant import signals
from assistant.documents import sentences
from assistant.knowledge import Challenge, Reaction, Step
from assistant.render import clipped, plain, spoken_list
from assistant.tasks.chain import UnusableOutput, run_llm
from assistant.tasks.context import PairContext
from assistant.tasks.schemas import CoachResult, CoachStep
from assistant.tasks.sources import Sources, hit_citation

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.guide import Guide
    from assistant.retrieval import Hit

# A description this close to a challenge's phrasings (mean of its three closest) is that challenge
# when it also stands clear of the next one; nearer than FLOOR it is at least the closest entry.
SURE = 0.42
CLEAR_MARGIN = 0.05
RECOGNISED = 0.3
FLOOR = 0.22
KEYWORD_WEIGHT = 0.1
NOTE_RELEVANCE = 0.3
# A note sentence this close to one of a challenge's phrasings or signs is evidence of it.
EVIDENCE = 0.5
EVIDENCE_NOTES = 8  # the most recent notes read for evidence
QUOTE = 150  # characters of a note quoted in a step
OWN_SIDE = 0.08  # a step for the asker's side beats a shared one this much nearer the description
ORDER = 0.015  # the playbook lists steps in order: each later one starts a little behind
PLAYBOOK = "challenge-playbook.md"
FOLLOW_THROUGH = ("action-follow-through", "fading-engagement")
STEPS_SHOWN = 3  # shown unless more are asked for: the most useful first, the rest on request
# A what-if this close to a reaction's phrasings (mean of its three closest) is that reaction.
REACTION = 0.33
CARRIED_TOO_LONG = 2  # an action still open after this many later notes is worth closing or dropping
_ROLE = {"mentor": "the mentor", "executive": "the executive", "coordinator": "the coordinator"}


@dataclass(frozen=True)
class Recognition:
    """The playbook entry a description comes closest to, and how sure that is."""

    challenge: Challenge | None
    score: float
    sure: bool


def match(guide: Guide, text: str) -> Recognition:
    """The closest playbook challenge to the text, and whether it is clearly that one.

    Each challenge scores the mean similarity of its three closest known phrasings (one lucky
    phrase is not enough), nudged by keyword overlap with its phrasings and signs. It is sure
    when the score is high, or fair and either well ahead of the runner-up or carried by the
    challenge's own words.
    """
    query = guide.embed_query(text)
    dense = np.array([np.sort(vectors @ query)[::-1][:3].mean() for vectors in guide.phrase_vectors])
    keywords = guide.challenge_keywords.scores(text)
    if keywords.max() > 0:
        keywords = keywords / keywords.max()
    combined = dense + KEYWORD_WEIGHT * keywords
    first, second = np.argsort(-combined)[:2]
    best = float(dense[first])
    if best < FLOOR:
        return Recognition(None, best, False)
    margin = float(combined[first] - combined[second])
    named = (
        keywords[first] == 1.0 and combined[first] >= SURE + KEYWORD_WEIGHT / 2
    )  # its own words, e.g. "cancel"
    sure = best >= SURE or (best >= RECOGNISED and (margin >= CLEAR_MARGIN or named))
    return Recognition(guide.knowledge.challenges[int(first)], best, sure)


def reaction(guide: Guide, text: str) -> Reaction | None:
    """The reaction a what-if describes ("what if she gets annoyed?": pushback), if it is clearly one."""
    if not guide.reaction_vectors:
        return None
    query = guide.embed_query(text)
    scores = [float(np.sort(vectors @ query)[::-1][:3].mean()) for vectors in guide.reaction_vectors]
    best = int(np.argmax(scores))
    return guide.knowledge.reactions[best] if scores[best] >= REACTION else None


def side(context: PairContext | None, staff: bool = False) -> str | None:
    """Who is asking: ``mentor`` or ``executive`` of the pair, the ``coordinator`` (staff) or None."""
    if context is not None and context.viewer.id == context.pair["mentor_id"]:
        return "mentor"
    if context is not None and context.viewer.id == context.pair["executive_id"]:
        return "executive"
    return "coordinator" if staff else None


def own_cancellations(context: PairContext, asker: str) -> list[str]:
    """Dates of the readable notes that say the asker cancelled or moved a session."""
    name = context.first_name(asker)
    mine = context.pair[f"{asker}_id"]
    return [n["date"] for n in context.notes if _cancelled_by(n["text"], name, n["author_id"] == mine)]


@lru_cache(maxsize=4096)
def _cancelled_by(text: str, name: str, own: bool) -> bool:
    """``signals.cancelled_by``, remembered: the same notes are read on every request."""
    return signals.cancelled_by(text, name, own)


def ranked_steps(guide: Guide, challenge: Challenge, text: str, asker: str | None) -> list[Step]:
    """The challenge's steps for the asker, most useful first.

    Useful means near what they described, on their own side, and early in the playbook's order.
    Without a known side every step is given, the side-specific ones saying whose they are.
    """
    steps = [s for s in challenge.steps if s.who == asker] if asker == "coordinator" else []
    if not steps:  # the coordinator's own steps; else the pair's, each saying whose it is
        asker = None if asker == "coordinator" else asker
        steps = _pairs_steps(challenge.steps, asker)
    if not steps:
        return []
    near = guide.embed_cached([s.action for s in steps]) @ guide.embed_query(text)
    scores = [
        float(near[i]) + (OWN_SIDE if asker and s.who == asker else 0.0) - ORDER * i
        for i, s in enumerate(steps)
    ]
    return [steps[i] for i in sorted(range(len(steps)), key=lambda i: -scores[i])]


def _pairs_steps(steps: Iterable[Step], asker: str | None) -> list[Step]:
    """The steps a member of a pair takes: shared ones and their side's (both sides' when not known)."""
    return [s for s in steps if s.who != "coordinator" and (asker is None or s.who in (None, asker))]


def _step(step: Step, asker: str | None, partner: str | None) -> CoachStep:
    action = step.action
    if step.who and step.who != asker:
        action = f"For {_ROLE[step.who]}: {action[0].lower()}{action[1:]}"
    say = step.say
    if say and partner:
        say = say.replace("{partner}", partner)
    elif say:  # nobody to name: "{partner}, could we…" is "Could we…"
        say = re.sub(r"^\{partner\},\s*(\w)", lambda m: m.group(1).upper(), say)
        say = re.sub(r",?\s*\{partner\}(?=[,.?!])", "", say).replace("{partner}", "you")
    return CoachStep(action=action, why=step.why, say=say)


def _partner(context: PairContext | None, asker: str | None) -> str | None:
    """The first name of the asker's partner, when the asker is in the pair."""
    if context is None or asker is None:
        return None
    return context.first_name("executive" if asker == "mentor" else "mentor")


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    """A note's prose sentences (action lines left out), remembered: notes change rarely."""
    prose = re.sub(r"^\s*[-*]\s+\[[ xX]\].*$", "", text, flags=re.M)
    return tuple(plain(s) for s in sentences(prose) if 20 <= len(s) <= 240)


@lru_cache(maxsize=4096)
def _cancellations(text: str) -> tuple[int, ...]:
    """How many cancellations each of a note's sentences names, remembered like its sentences."""
    return tuple(signals.cancellations(s) for s in _sentences(text))


def evidence(guide: Guide, challenge: Challenge, context: PairContext) -> list[tuple[str, str, float]]:
    """(date, sentence, strength) from the pair's shared notes that show this challenge, one per note.

    Only notes both members can read: the step built from them is to be talked through together.
    Cancellations are read by the same cues as program health (strength: how many a sentence
    names); anything else by closeness to the ways people describe the challenge.
    """
    shared = [n for n in context.notes if n.get("visibility") != "private"][-EVIDENCE_NOTES:]
    index = next(i for i, c in enumerate(guide.knowledge.challenges) if c.id == challenge.id)
    found: list[tuple[str, str, float]] = []
    for note in shared:
        candidates = list(_sentences(note["text"]))
        if not candidates:
            continue
        if challenge.id == "scheduling":
            scores = np.array(_cancellations(note["text"]), dtype=np.float32)
            least = 1.0
        else:
            scores = (guide.embed_cached(candidates) @ guide.phrase_vectors[index].T).max(axis=1)
            least = EVIDENCE
        best = int(np.argmax(scores))
        if scores[best] >= least:
            found.append((note["date"], candidates[best], float(scores[best])))
    return found


def _short_date(day: str) -> str:
    return f"{dt.date.fromisoformat(day):%-d %b}"


def pattern_step(found: list[tuple[str, str, float]]) -> CoachStep:
    """A step that quotes what the pair's own notes say, when they show it more than once."""
    strongest = sorted(sorted(found, key=lambda f: -f[2])[:2])
    quoted = [f"on {_short_date(day)} “{clipped(sentence, QUOTE)}”" for day, sentence, _s in strongest]
    more = f" ({len(found)} notes in all)" if len(found) > 2 else ""
    return CoachStep(
        action=f"Your notes show this more than once: {' and '.join(quoted)}{more}. Name that pattern "
        "together at the start of your next session.",
        why="Agreeing on what keeps happening, in your own words, makes the fix a shared one.",
        say="I've noticed this keeps coming up in our notes. Could we take a few minutes to talk about what "
        "keeps getting in the way, and what would help?",
    )


def stale_action(context: PairContext, asker: str | None) -> CoachStep | None:
    """A step to close or drop the oldest open action, when it has been carried for a while."""
    if not context.open:
        return None
    oldest = context.open[0]
    later = sum(1 for n in context.notes if n["date"] > oldest.since.isoformat())
    if later < CARRIED_TOO_LONG:
        return None
    whose = "yours" if asker and oldest.owner.lower() == context.first_name(asker).lower() else oldest.owner
    return CoachStep(
        action=f"Close or drop “{oldest.action}” ({whose}, open since "
        f"{_short_date(oldest.since.isoformat())} and carried through {later} notes since).",
        why="Actions that linger signal that sessions lead nowhere, which drains commitment.",
        say=f"“{oldest.action}” has been open since {_short_date(oldest.since.isoformat())}. Shall we do it "
        "now, make it smaller, or drop it?",
    )


def _summary(found: Recognition, context: PairContext | None, asker: str | None) -> str:
    challenge = found.challenge
    assert challenge is not None
    if not found.sure:
        return (
            f"This isn't one of the challenges the program's playbook describes, so I can't be sure; the "
            f"closest is “{challenge.name}”, and these are its steps. If that's not it, tell me a bit more "
            "about what happens."
        )
    own = own_cancellations(context, asker) if context and asker and challenge.id == "scheduling" else []
    if len(own) >= 2:
        return (
            f"This sounds like “{challenge.name}”. One thing worth knowing first: your own notes "
            f"({spoken_list(own)}) record sessions moved or cancelled from your side, so most of the fix "
            "is in your hands, which is good news."
        )
    return f"This sounds like “{challenge.name}”. {challenge.causes[0]}"


def _playbook(guide: Guide, challenge: Challenge) -> list[Hit]:
    """The playbook guideline's passage on the challenge."""
    return guide.find_guidelines(challenge.name, k=1, source=PLAYBOOK, section=challenge.guideline_section)


def compose(
    guide: Guide, text: str, context: PairContext | None, staff: bool = False, earlier: str | None = None
) -> CoachResult:
    """Steps from the playbook for the side asking, most useful first, tied to what the notes show."""
    found = match(guide, text)
    again = bool(earlier) and not found.sure and (before := match(guide, earlier or "")).sure
    if again:
        found = (
            before  # "how do i ask to rebook" after a cancellation: that challenge, its steps by the question
        )
    challenge = found.challenge
    asker = side(context, staff)
    notes = (
        [h for h in guide.find_notes(text, context, k=3) if h.similarity >= NOTE_RELEVANCE] if context else []
    )
    if challenge is None:
        guidance = guide.find_guidelines(text, k=1)
        return CoachResult(
            challenge=None,
            summary="I can't match this to any of the challenges in the program's playbook, so I won't "
            "guess at steps.",
            steps=[
                CoachStep(
                    action="Tell me in a sentence or two what happens in your sessions, and what you would "
                    "like to be different.",
                    why="With a concrete example I can find the part of the playbook that fits.",
                ),
                CoachStep(
                    action="If it is urgent or sensitive, talk to your program coordinator.",
                    why="Coordinators help pairs with exactly this kind of thing, in confidence.",
                ),
            ],
            watch_outs=[],
            citations=[hit_citation(h) for h in [*guidance, *notes]],
        )
    guidance = _playbook(guide, challenge)
    steps: list[CoachStep] = []
    if context is not None and found.sure and not again:  # the pattern was named in the first answer
        seen = evidence(guide, challenge, context)
        if len(seen) >= 2:
            steps.append(pattern_step(seen))
    partner = _partner(context, asker)
    steps += [_step(s, asker, partner) for s in ranked_steps(guide, challenge, text, asker)]
    stale = stale_action(context, asker) if context is not None and challenge.id in FOLLOW_THROUGH else None
    if stale is not None:
        steps.insert(1 if len(steps) > 1 else len(steps), stale)
    return CoachResult(
        challenge=challenge.name,
        summary=f"Still on “{challenge.name}”, for what you asked."
        if again
        else _summary(found, context, asker),
        steps=steps,
        watch_outs=list(challenge.watch_outs),
        citations=[hit_citation(h) for h in [*guidance, *notes]],
    )


def what_if(
    guide: Guide, text: str, whatif: str, context: PairContext | None, staff: bool = False
) -> CoachResult:
    """Advice for a moment after advice on ``text`` ("what if she gets annoyed?"), never the same again.

    A reaction the playbook knows is answered with the challenge's own steps for it, or the general
    ones; a what-if that is another challenge is coached as that one; anything else gets the steps for
    the situation, read with the what-if, that the first answer did not show.
    """
    found = match(guide, text)
    moment = reaction(guide, whatif)
    asker = side(context, staff)
    if found.challenge is not None and moment is not None:
        own = found.challenge.reactions.get(moment.id) or moment.steps
        partner = _partner(context, asker)
        return CoachResult(
            challenge=found.challenge.name,
            summary=moment.when.format(partner=partner or "your partner") + ":",
            steps=[_step(s, asker, partner) for s in _pairs_steps(own, asker)][:STEPS_SHOWN],
            watch_outs=[],
            citations=[hit_citation(h) for h in _playbook(guide, found.challenge)],
        )
    alone = match(guide, whatif)
    if alone.sure and alone.challenge != found.challenge:  # "and if he's on his phone the whole time?"
        return compose(guide, whatif, context, staff)
    both = compose(guide, f"{text} {whatif}", context, staff)
    if found.challenge is None or both.challenge != found.challenge.name:
        return both
    shown = {s.action for s in compose(guide, text, context, staff).steps[:STEPS_SHOWN]}
    rest = [s for s in both.steps if s.action not in shown]
    both.summary = (
        "Beyond the steps I gave, these are the ones that fit that best."
        if rest
        else "The steps I gave are still the ones that fit; the playbook has nothing more particular on that."
    )
    both.steps = rest or both.steps
    return both


def llm(
    guide: Guide, model: BaseChatModel, text: str, context: PairContext | None, staff: bool = False
) -> CoachResult:
    """Let the model coach from the playbook passages and the pair's notes, for the side asking."""
    found = match(guide, text)
    challenge = found.challenge
    asker = side(context, staff)
    sources = Sources()
    if challenge is not None:
        for hit in _playbook(guide, challenge):
            sources.add_hit(hit)
    for hit in guide.find_guidelines(text, k=3):
        sources.add_hit(hit)
    if context is not None:
        for hit in guide.find_notes(text, context, k=3):
            sources.add_hit(hit)

    def finish(data: dict[str, Any]) -> CoachResult:
        data.setdefault("challenge", challenge.name if challenge else None)
        result = CoachResult.model_validate(data)
        if not result.citations:
            raise UnusableOutput("coaching must cite the playbook or the notes")
        return result

    variables = {
        "text": text,
        "challenge": challenge,
        "sure": found.sure,
        "asker": asker,
        "steps": ranked_steps(guide, challenge, text, asker) if challenge else [],
        "open_actions": context.open if context else [],
        "passages": list(sources.passages.values()),
    }
    return run_llm(guide, model, "coach", variables, sources, finish, CoachResult)
