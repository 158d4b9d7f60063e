"""Program Q&A: answer from the guidelines with citations, or say plainly that they don't cover it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.documents import sentences
from assistant.prompts import render
from assistant.render import plain
from assistant.retrieval import Hit
from assistant.tasks.chain import UnusableOutput, run_llm
from assistant.tasks.schemas import Answer
from assistant.tasks.sources import Sources, hit_citation

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.guide import Guide

# The guidelines are taken not to answer a question when they share no word with it, when their
# best chunk is this far from it, or when the question sits closer to an area knowledge/scope.yaml
# leaves to others (HR, IT…). On the labeled questions this abstains on 3.6% of answerable ones
# (see bench/tasks.py); sharing no word alone abstains on none of the labeled or held-out ones.
ANSWERABLE_SIMILARITY = 0.15
SENTENCES = 2  # the answer leads with the sentences that answer best, from any retrieved section
CANDIDATE_SECTIONS = 4
SECTION_WEIGHT = 0.3  # a sentence in a section that matches as a whole is more likely on topic
KEYWORD_WEIGHT = 0.15  # and one that shares the question's words ("manager") more likely the answer
CLOSE_ENOUGH = 0.12
SEE_ALSO = 3  # sections cited in all: the answer's, then related ones to read


def abstention(refer_to: str | None = None) -> Answer:
    """The honest answer when the guidelines are silent."""
    return Answer(answer=render("abstain", refer_to=refer_to), abstained=True, citations=[])


def outside(guide: Guide, question: str, best: float) -> str | None:
    """Who to ask instead, when the question belongs to an area the guidelines leave to others."""
    vectors, owners = guide.scope_vectors
    if not owners:
        return None
    scores = vectors @ guide.embed_query(question)
    top = int(np.argmax(scores))
    return owners[top] if float(scores[top]) > best else None


def compose(guide: Guide, question: str) -> Answer:
    """Extract the guideline sentences that best answer the question."""
    hits = guide.find_guidelines(question, k=5)
    best = max((h.similarity for h in hits), default=0.0)
    if best < ANSWERABLE_SIMILARITY or not guide.assistant.index.mirror("guidelines").bm25().knows(question):
        return abstention()
    refer_to = outside(guide, question, best)
    if refer_to is not None:
        return abstention(refer_to)
    sections = list({hit_citation(h).key: h for h in reversed(hits)}.values())[::-1]
    query = guide.embed_query(question)
    wanted = _words(question)
    candidates: list[tuple[float, str, Hit]] = []
    for hit in sections[:CANDIDATE_SECTIONS]:
        texts, vectors = guide.assistant.index.sentences_of(hit.id)
        if not texts:  # an index built before sentence vectors were stored
            texts = sentences(hit.text)
            vectors = guide.embed_cached(texts) if texts else vectors
        for text, score in zip(texts, (vectors @ query).tolist()):
            overlap = len(wanted & _words(text)) / max(len(wanted), 1)
            candidates.append((score + SECTION_WEIGHT * hit.similarity + KEYWORD_WEIGHT * overlap, text, hit))
    if not candidates:
        return abstention()
    candidates.sort(key=lambda c: -c[0])
    best = candidates[0][0]
    picked = [c for c in candidates[:SENTENCES] if c[0] >= best - CLOSE_ENOUGH]
    used = list({hit_citation(h).key: h for _s, _t, h in picked}.values())
    related = [h for h in sections if h not in used][: max(SEE_ALSO - len(used), 0)]
    see_also = "; ".join(
        " › ".join(p for p in (h.meta.get("title"), h.meta.get("section")) if p) for h in related
    )
    answer = " ".join(plain(text) for _s, text, _h in picked)
    return Answer(
        answer=answer + (f" See also: {see_also}." if see_also else ""),
        abstained=False,
        citations=[hit_citation(h) for h in [*used, *related]],
    )


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'-]{3,}", text.lower()) if w not in _COMMON}


_COMMON = frozenset(
    "what when where which with that this there their they them then than have does should would could "
    "about after before from into over your ours also only just very much many more most some such each "
    "other okay allowed supposed said says tell told".split()
)


def llm(guide: Guide, model: BaseChatModel, question: str) -> Answer:
    """Ask the model, giving it only the retrieved guideline passages."""
    sources = Sources()
    for hit in guide.find_guidelines(question, k=5):
        sources.add_hit(hit)

    def finish(data: dict[str, Any]) -> Answer:
        answer = Answer.model_validate(data)
        if not answer.abstained and not answer.citations:
            raise UnusableOutput("an answer must cite the guidelines")
        return answer

    variables = {"question": question, "passages": list(sources.passages.values())}
    return run_llm(guide, model, "ask", variables, sources, finish, Answer)
