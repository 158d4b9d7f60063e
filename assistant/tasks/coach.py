"""Coaching on a challenge: recognise it from everyday words, answer from the playbook and notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from assistant import signals
from assistant.knowledge import Challenge
from assistant.render import spoken_list
from assistant.tasks.chain import UnusableOutput, run_llm
from assistant.tasks.context import PairContext
from assistant.tasks.schemas import CoachResult, CoachStep
from assistant.tasks.sources import Sources, hit_citation

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.guide import Guide

RECOGNISED = 0.3
KEYWORD_WEIGHT = 0.1
NOTE_RELEVANCE = 0.3
PLAYBOOK = "challenge-playbook.md"
FOLLOW_THROUGH = ("action-follow-through", "fading-engagement")


def recognise(guide: Guide, text: str) -> tuple[Challenge | None, float]:
    """The playbook challenge the text describes.

    Each challenge scores the mean similarity of its three closest known phrasings (one lucky
    phrase is not enough), nudged by keyword overlap with its phrasings and signs.
    """
    query = guide.embed_query(text)
    dense = np.array([np.sort(vectors @ query)[::-1][:3].mean() for vectors in guide.phrase_vectors])
    keywords = guide.challenge_keywords.scores(text)
    if keywords.max() > 0:
        keywords = keywords / keywords.max()
    best = int(np.argmax(dense + KEYWORD_WEIGHT * keywords))
    challenge = guide.knowledge.challenges[best]
    return (challenge if dense[best] >= RECOGNISED else None), float(dense[best])


def side(context: PairContext | None) -> str | None:
    """Which side of the pair is asking: ``mentor``, ``executive`` or None (not a member)."""
    if context is None:
        return None
    if context.viewer.id == context.pair["mentor_id"]:
        return "mentor"
    return "executive" if context.viewer.id == context.pair["executive_id"] else None


def own_cancellations(context: PairContext, asker: str) -> list[str]:
    """Dates of the readable notes that say the asker cancelled or moved a session."""
    name = context.first_name(asker)
    mine = context.pair[f"{asker}_id"]
    return [n["date"] for n in context.notes if signals.cancelled_by(n["text"], name, n["author_id"] == mine)]


def compose(guide: Guide, text: str, context: PairContext | None) -> CoachResult:
    """Steps from the playbook for the side asking, tied to what the pair's own notes say."""
    challenge, _score = recognise(guide, text)
    asker = side(context)
    if challenge is not None:
        guidance = guide.find_guidelines(
            challenge.name, k=1, source=PLAYBOOK, section=challenge.guideline_section
        )
        guidance = guidance or guide.find_guidelines(text, k=2)
    else:
        guidance = guide.find_guidelines(text, k=2)
    notes = (
        [h for h in guide.find_notes(text, context, k=3) if h.similarity >= NOTE_RELEVANCE] if context else []
    )
    steps: list[CoachStep] = []
    shared = [h for h in notes if h.meta.get("visibility") != "private"]  # to reread together
    if challenge is not None and len(shared) >= 2:
        dates = spoken_list(sorted({str(h.meta.get("date")) for h in shared}))
        steps.append(
            CoachStep(
                action=f"Reread your notes from {dates} together and name the pattern out loud at the start "
                "of your next session.",
                why="Agreeing on what keeps happening, in your own words, makes the fix a shared one.",
            )
        )
    if challenge is not None:
        steps += [CoachStep(action=s.action, why=s.why) for s in challenge.steps if s.who in (None, asker)]
        summary = f"This sounds like “{challenge.name}”. {challenge.causes[0]}"
        own = own_cancellations(context, asker) if context and asker and challenge.id == "scheduling" else []
        if len(own) >= 2:
            summary = (
                f"This sounds like “{challenge.name}”. One thing worth knowing first: your own notes "
                f"({spoken_list(own)}) record sessions moved or cancelled from your side, so most of the fix "
                "is in your hands, which is good news."
            )
        watch_outs = list(challenge.watch_outs)
    else:
        summary = (
            "This doesn't match one of the program's known challenges closely, so here is what the "
            "guidelines say that comes nearest."
        )
        steps += [
            CoachStep(
                action=f"Read “{h.meta.get('section') or h.meta.get('title')}” in {h.meta.get('source')}.",
                why=" ".join(h.text.split()[:40]) + "…",
            )
            for h in guidance
        ]
        watch_outs = ["If this keeps happening, talk to your program coordinator."]
    if context is not None and context.open and (challenge is None or challenge.id in FOLLOW_THROUGH):
        oldest = context.open[0]
        steps.append(
            CoachStep(
                action=f"Close or drop the oldest open action ({oldest.owner}: {oldest.action}, "
                f"since {oldest.since}).",
                why="Actions that linger signal that sessions lead nowhere, which drains commitment.",
            )
        )
    cited = [hit_citation(h) for h in [*guidance, *notes]]
    return CoachResult(
        challenge=challenge.name if challenge else None,
        summary=summary,
        steps=steps,
        watch_outs=watch_outs,
        citations=cited,
    )


def llm(guide: Guide, model: BaseChatModel, text: str, context: PairContext | None) -> CoachResult:
    """Let the model coach from the playbook passages and the pair's notes."""
    challenge, _score = recognise(guide, text)
    sources = Sources()
    if challenge is not None:
        for hit in guide.find_guidelines(
            challenge.name, k=1, source=PLAYBOOK, section=challenge.guideline_section
        ):
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
        "open_actions": context.open if context else [],
        "passages": list(sources.passages.values()),
    }
    return run_llm(guide, model, "coach", variables, sources, finish, CoachResult)
