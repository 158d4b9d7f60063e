"""Whether the guidelines answer a question directly: a small logistic model over what `ask` measured.

The offline `ask` gives one of three outcomes. "Not covered" follows from knowledge/scope.yaml
and from a question the guidelines share nothing with (assistant.tasks.ask); between the other
two, a direct answer and "the closest they come is …", this model decides. Its candidate inputs
are figures the task has already worked out, and one embedding of its own: how much of what the
question names the lead passages mention (each word weighted by its rarity in the guidelines);
how near in meaning the passages' sentences come to the words they don't mention, less how near
those words are to the question (one short text embedded: "salary band" is most of "What salary
band are assistant directors on?" and nothing in a passage listing assistant directors is near
it); how near the best sentence and passage are, how far ahead the best passage is, how much
nearer an area left to others is; whether the question asks if something exists ("Is there …?":
the guidelines often simply don't say); and whether it asks after a particular fact of the moment
("who is the sponsor this year, by name?": guidelines hold rules, seldom such facts). The model
file names the ones it uses (today the nearness of what the passages don't mention, the particular
fact, the existence question, the nearness of an area left to others and of the best passage, and
the best sentence's passage's coverage).

Its coefficients are data (knowledge/ask_outcome.yaml), fitted by ``bench/ask_outcome.py`` on the
tuning questions only (the demo guidelines' labelled questions and the second handbook's `tune`
part), with the features, the penalty and the threshold chosen by cross-validation on those.
They are stored rather than fitted at start-up because fitting needs both tuning corpora indexed
and every tuning question answered (two minutes), which a program's own install does not have.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.knowledge import read_yaml
from assistant.lexical import stem, tokenize
from assistant.settings import REPO_ROOT

if TYPE_CHECKING:
    from assistant.guide import Guide
    from assistant.tasks.ask import Candidate, Reading

MODEL_FILE = "ask_outcome.yaml"

# A question asking whether something exists ("Is there a Teams channel…?"). Any yes/no question
# ("Is…", "Can I…") was a stronger signal on the tuning questions, but people ask the rules that
# way too ("is it ok to tell my manager what she said?"), so the form alone is not used.
_EXISTS = re.compile(r"\b(?:is there|are there|do we have|does (?:the|our) \w+ have|is it possible)\b")
# "How many pairs are there?" asks a number, not whether they exist.
_COUNTED = re.compile(r"\bhow (?:many|much)\b[^?]*\b(?:is|are) there\b")
# A question after a particular fact of the moment (a person by name, this year's figures, who signed
# up) rather than a rule: guidelines state rules and seldom hold such facts.
_PARTICULAR = re.compile(
    r"\b(?:by name|name of|names of|named|this year|last year|next year|this cycle|last cycle|right now|"
    r"currently|so far|to date|at the moment|signed up|the current \w+ (?:is|are)|"
    r"who(?:'s| is) the current)\b"
)


@lru_cache(maxsize=4096)  # guideline passages recur across questions
def _terms(text: str, section: str, title: str) -> frozenset[str]:
    """A passage's words as the keyword index has them, with its section's and document's titles."""
    return frozenset(tokenize(f"{text} {section} {title}"))


def signals(guide: Guide, reading: Reading) -> dict[str, float]:
    """The figures the outcome is decided on, for a question whose lead has been chosen."""
    from assistant.tasks.ask import unfamiliar  # the task module imports this one

    keywords = guide.assistant.index.mirror("guidelines").bm25()

    def weight(word: str) -> float:  # a word the guidelines never use weighs most
        return keywords.rarity(stem(word))

    words = unfamiliar(frozenset(), reading.question)
    fitted = dict(load(guide.settings.knowledge_dir).lead)
    lead = reading.lead_with(fitted) if fitted else reading.lead
    total = sum(weight(w) for w in words) or 1.0

    def missing(candidates: list[Candidate]) -> list[str]:  # what the question names and the passages don't
        terms = frozenset().union(
            *(
                _terms(c.hit.text, c.hit.meta.get("section") or "", c.hit.meta.get("title") or "")
                for c in candidates
            )
        )
        return unfamiliar(terms, reading.question)

    def coverage(candidates: list[Candidate]) -> float:
        left = set(missing(candidates))
        return sum(weight(w) for w in words if w not in left) / total

    def unsaid(candidates: list[Candidate]) -> float:
        """How near the passages come to the words they lack, less how near those words are to the question.

        "What salary band are assistant directors on?" on a passage listing assistant directors:
        "salary band" is most of what is asked and nothing in the passage is near it. "She gets
        prickly…" on a passage about defensive reactions: the missing word is near what it says.
        """
        left = missing(candidates)
        if not left:
            return 0.0
        vector = guide.embed_cached([" ".join(left)])[0]
        passages = {c.hit.id for c in candidates}
        said = np.stack([c.vector for c in reading.candidates if c.hit.id in passages])
        return float((said @ vector).max() - vector @ guide.embed_query(reading.question))

    similarities = [*sorted((h.similarity for h in reading.hits), reverse=True), 0.0]
    question = reading.question.lower().replace("’", "'").strip()
    unknown = set(reading.unknown)
    return {
        "coverage": coverage(lead),
        "coverage_best": coverage(reading.candidates[:1]),
        "unsaid": unsaid(lead),
        "unknown": sum(weight(w) for w in words if w in unknown) / total,
        "sentence": reading.candidates[0].similarity,
        "passage": similarities[0],
        "passage_margin": similarities[0] - similarities[1],
        "scope": reading.scope,
        "exists": float(bool(_EXISTS.search(question)) and not _COUNTED.search(question)),
        "particular": float(particular(question, lead)),
    }


def particular(question: str, lead: list[Candidate]) -> bool:
    """Whether the question asks after a particular fact of the moment that the lead does not speak of.

    "Who is the sponsor, by name?" does; "can an executive ask for a mentor by name?" does not when
    the passage says executives "may not request a named mentor": the rule is about names. Nor
    does "how many pairs are there this year?" when the passage gives "… pairs in total this year".
    """
    found = _PARTICULAR.search(question)
    if found is None:
        return False
    said = " ".join(c.hit.text.lower() for c in lead)
    if "name" in found.group():
        return not re.search(r"\bnam(?:e|es|ed|ing)\b", said)
    return found.group() not in said  # "… giving eighteen pairs in total this year"


@dataclass(frozen=True)
class OutcomeModel:
    """Logistic regression over standardised signals; direct when the probability reaches ``threshold``."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    # The margins the lead was chosen with when the model was fitted (knowledge/ask_lead.yaml's
    # keys): an answer may go on with more sentences than the model has seen without changing
    # what it decides.
    lead: tuple[tuple[str, float], ...] = ()

    def probability(self, values: dict[str, float]) -> float:
        """How likely the lead answers the question itself."""
        z = self.bias + sum(
            w * (values[f] - m) / s
            for f, m, s, w in zip(self.features, self.mean, self.scale, self.weights, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z))

    def direct(self, values: dict[str, float]) -> bool:
        """Whether the answer is a direct one."""
        return self.probability(values) >= self.threshold


def load(knowledge_dir: Path) -> OutcomeModel:
    """The model in the knowledge folder, or the one shipped with the assistant when it has none."""
    path = knowledge_dir / MODEL_FILE
    return _load(path if path.exists() else REPO_ROOT / "knowledge" / MODEL_FILE)


@lru_cache(maxsize=4)
def _load(path: Path) -> OutcomeModel:
    data = read_yaml(path)
    features = tuple(data["features"])
    return OutcomeModel(
        features=features,
        mean=tuple(float(data["mean"][f]) for f in features),
        scale=tuple(float(data["scale"][f]) for f in features),
        weights=tuple(float(data["weights"][f]) for f in features),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        lead=tuple((k, float(v)) for k, v in data.get("lead", {}).items()),
    )
