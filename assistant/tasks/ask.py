"""Program Q&A: answer from the guidelines with citations, or say plainly that they don't cover it.

The offline answer leads with the sentences that answer the question, chosen across the
retrieved sections, and is one of three: a direct answer; "the guidelines don't say this
directly, the closest they come is ..."; or "the guidelines don't cover this" (with who to ask
when knowledge/scope.yaml knows).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.documents import sentences
from assistant.knowledge import read_yaml
from assistant.lexical import ABBREVIATIONS, lemma, shorthand, stem, tokenize, word_classes
from assistant.prompts import render
from assistant.render import plain
from assistant.retrieval import Hit
from assistant.settings import REPO_ROOT
from assistant.tasks import answer_kinds, ask_outcome
from assistant.tasks.chain import UnusableOutput, run_llm
from assistant.tasks.schemas import Answer
from assistant.tasks.sources import Sources, hit_citation

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.guide import Guide

LANGUAGE_FILE = "ask_language.yaml"
LEAD_FILE = "ask_lead.yaml"  # how a sentence's features weigh in choosing the lead

# The guidelines are taken not to answer a question when they share no word with it, when their
# best chunk is this far from it, or when the question sits closer to an area knowledge/scope.yaml
# leaves to others (HR, IT…).
ANSWERABLE_SIMILARITY = 0.15
RETRIEVED = 8
CANDIDATE_SECTIONS = 6  # sections whose sentences compete to lead the answer
LEAD = 2  # sentences the answer leads with, at most
DETAIL = 4  # more sentences of the leading passage when asked for more
CONTEXT = 2  # sentences before a lead sentence that leans on them, at most
ANNOUNCED = 3  # sentences after one that ends with a colon, at most
NAMED_SHARE = 0.4  # a value answers when said of this share of what the question names ("session logs")
STATES_MARGIN = 0.5  # a later sentence states the value when it names this much more, by rarity
INTRODUCES = 6  # words, at most, of such a line
LIST_ITEMS = 8  # list items walked back over to the line that introduces them, at most
SEE_ALSO = 2  # related sections named after the answer
PREFIX = 5  # words that share this many first letters are taken as forms of one word
# "Not covered" (chosen on knowledge/eval/questions.yaml and the handbook's `tune` questions only;
# bench/ask_quality.py): an area left to others this much nearer than the guidelines, or whose
# phrases are this near to the question's unfamiliar words. Between a direct answer and "the
# closest they come", a model fitted on the same questions decides (assistant/tasks/ask_outcome.py).
SCOPE_MARGIN = 0.3
SCOPE_WORDS = 0.5
AREA_COVERED = 0.43


# Why the asker asks, not what: "… because of the reforecast", "… bc of my travel"
REASON_GIVEN = re.compile(
    r"\b(?:because of|bc of|b/c of|cos of|due to|owing to|what with)\s+(?:the |my |our |his |her |their |a )?"
    r"[\w-]+(?:\s+(?!is\b|are\b|can\b|could\b|would\b|will\b|do\b|does\b)[\w-]+)?",
    re.I,
)
# A year, as a question names a run of the program by it ("who won in 2024?", "sign-up for 2026-27").
YEAR = re.compile(r"\b20\d\d(?:[-/–]\d\d(?!\d))?\b")
# A question answered yes or no: "can I…", "is it ok to…", "do we have to…".
YES_NO_ASKED = re.compile(
    r"\W*(?:can|could|may|might|is|are|am|do|does|did|should|must|will|would|has|have)\b"
)


@dataclass
class Candidate:
    """A guideline sentence scored against the question."""

    score: float
    similarity: float  # the sentence's own cosine similarity to the question
    text: str
    hit: Hit
    position: int  # its place in its chunk
    vector: np.ndarray  # its embedding
    features: dict[str, float] = field(default_factory=dict)  # what its score weighs (ask_lead.yaml)


@dataclass
class Reading:
    """What the guidelines offer for one question: the best sentences and how well they fit."""

    question: str
    hits: list[Hit]
    candidates: list[Candidate]
    asks: list[str]
    unknown: list[str]  # the question's words that no guideline uses
    refer_to: str | None = None
    reason: str = ""
    scope: float = -1.0  # how much nearer an area left to others is than the best guideline passage

    @property
    def lead(self) -> list[Candidate]:
        """The sentences the answer leads with: the best, and the next when it is nearly as good.

        Then, for context, the best other sentence of the leading passage when it scores near
        enough: a rule is often stated next to the sentence that matched the question best.
        """
        return self.lead_with(_lead_model())

    def lead_with(self, model: dict[str, Any]) -> list[Candidate]:
        """The lead as chosen with ``model``'s margins (knowledge/ask_lead.yaml's, or others to try)."""
        if not self.candidates:
            return []
        best = self.candidates[0]
        picked = [best]
        for other in self.candidates[1:]:
            if len(picked) == model.get("lead", LEAD) or other.score < best.score - model["close_enough"]:
                break
            if not any(_same(other.text, p.text) for p in picked):
                picked.append(other)
        support = [
            c
            for c in self.candidates
            if c.hit.id == best.hit.id and c.score >= best.score - model["support_gap"]
        ]
        for c in support:
            if len(picked) >= model.get("lead", LEAD) + model.get("support", 1):
                break
            if c not in picked and not any(_same(c.text, p.text) for p in picked):
                picked.append(c)
        picked = _in_context(picked, self.candidates, not set(self.asks) & answer_kinds.VALUES)
        verdict = next((c for c in self.candidates if c.hit.id == best.hit.id and c.position == 0), None)
        if (
            verdict is not None
            and verdict not in picked
            and YES_NO_ASKED.match(self.question.lower())
            and re.match(r"(?:yes|no)\b[.,!]", plain(verdict.text).strip().lower())
        ):  # "can a mentor take on a second mentee?": the passage's own "No. …" comes with it
            picked.append(verdict)
        # Sentences from one passage read in the passage's order.
        return sorted(picked, key=lambda c: (c.hit.id != best.hit.id, c.hit.id, c.position))


def _in_context(picked: list[Candidate], candidates: list[Candidate], whole_lists: bool) -> list[Candidate]:
    """The picked sentences with the neighbours they lean on, from the same passage.

    "It also gives newer staff early sight of..." means little without the sentence before it,
    and "Work through these steps in order:" nothing without the steps. With ``whole_lists`` a
    list item comes with its whole list ("in what situations can confidentiality be broken"); a
    question after one value ("when's the deadline") gets the item that gives it, and its lead-in.
    """
    by_place = {(c.hit.id, c.position): c for c in candidates}
    language = _language()
    result = list(picked)
    for sentence in picked:
        question = by_place.get((sentence.hit.id, sentence.position - 1))
        if question is not None and question not in result and plain(question.text).rstrip().endswith("?"):
            result.append(question)  # "Will my manager see what we talk about? No. They see dates…"
        here = sentence
        for _ in range(CONTEXT):  # back while a sentence leans on the one before
            before = by_place.get((here.hit.id, here.position - 1))
            if before is None or not _leans_back(here.text, language) or before in result:
                break
            result.append(before)
            here = before
        lead_in = _lead_in(sentence, by_place)
        if lead_in is not None and lead_in not in result:
            result.append(lead_in)  # "Mentees must not:" before "send a deputy to a session"
        if plain(sentence.text).rstrip().endswith(":"):
            lead_in = sentence
        elif not whole_lists:
            continue
        if lead_in is not None:  # forward to what the colon announces
            for step in range(1, LIST_ITEMS + 1):
                after = by_place.get((lead_in.hit.id, lead_in.position + step))
                if after is None:
                    break
                if after not in result:
                    result.append(after)
                finished = plain(after.text).rstrip().endswith((".", "!", "?"))
                if step >= ANNOUNCED and (finished or not whole_lists):
                    break  # an unfinished list goes on to its last item
    return result


def _lead_in(sentence: Candidate, by_place: dict[tuple[str, int], Candidate]) -> Candidate | None:
    """The line that introduces the list a sentence is an item of ("Participants must:"), if any.

    Items without a full stop are walked back over to the line ending in a colon.
    """
    for step in range(1, LIST_ITEMS + 1):
        before = by_place.get((sentence.hit.id, sentence.position - step))
        if before is None:
            return None
        text = plain(before.text).rstrip()
        if text.endswith(":"):
            return before
        if text.endswith((".", "!", "?")):
            return None
    return None


def _introduces(text: str) -> bool:
    """Whether a sentence only introduces what follows ("Mentees must not:", "The following rules apply:")."""
    said = plain(text).strip()
    return said.endswith(":") and len(said.split()) <= INTRODUCES


def _leans_back(text: str, language: dict[str, Any]) -> bool:
    """Whether a sentence points back to the one before ("It also…", "In that case…", "to that knowledge")."""
    words = re.findall(r"[a-z]+", plain(text).lower())
    opening = " ".join(words[:4])
    starts = any(opening == w or opening.startswith(w + " ") for w in language["leans_back"])
    pointing = any(  # "to that knowledge", not "within a week of that."
        a in language["prepositions"] and b in language["points_back"] for a, b in pairwise(words[:-1])
    )
    return starts or pointing or "also" in words[: language["also_within"]]


@lru_cache(maxsize=1)
def _language() -> dict[str, Any]:
    return dict(read_yaml(REPO_ROOT / "knowledge" / LANGUAGE_FILE))


@lru_cache(maxsize=1)
def _lead_model() -> dict[str, Any]:
    return dict(read_yaml(REPO_ROOT / "knowledge" / LEAD_FILE))


def weigh(features: dict[str, float], weights: dict[str, float] | None = None) -> float:
    """A sentence's score: its features times their weights (knowledge/ask_lead.yaml unless given)."""
    weights = _lead_model()["weights"] if weights is None else weights
    return sum(w * features.get(name, 0.0) for name, w in weights.items())


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(_language()["function_words"].split())


@lru_cache(maxsize=1)
def _framing() -> frozenset[str]:
    return frozenset(tokenize(_language()["framing"]))


# A quoted stretch of three words or more: "…", “…”, or '…' that opens after a space or a colon.
_QUOTED = re.compile(r"[\"“]([^\"”]{8,}?)[\"”]|(?:^|(?<=[\s:(]))'([^']{8,}?)'(?=[\s.,;:!?)]|$)")


def forwarded(question: str) -> str:
    """The question itself when a message passes on someone else's (knowledge/ask_language.yaml).

    "q from one of the execs: "can my EA sit in on sessions?" what do i tell him" asks "can my EA
    sit in on sessions?"; a question of the asker's own is returned as it is.
    """
    language = _language()["forwarded"]
    quoted = [a or b for a, b in _QUOTED.findall(question)]
    opens = set(language["opens"])
    asking = [q.strip() for q in quoted if q.strip().endswith("?") or q.split()[0].lower() in opens]
    if quoted := [q for q in asking if len(q.split()) >= 3]:
        return max(quoted, key=len)
    head, colon, rest = question.partition(":")
    if (
        colon
        and rest.strip()
        and len(head.split()) <= 8
        and any(re.search(w, head, re.I) for w in language["from"])
    ):
        question = rest.strip()
    elif said := re.search(language["indirect"], question, re.I):  # "whether she can X": "can she X"
        question = re.sub(
            r"^((?:\w+\s+)?\w+)\s+(" + "|".join(language["modals"]) + r")\b", r"\2 \1", question[said.end() :]
        )
    else:
        return question
    return re.sub(language["trailing"], "", question, flags=re.I).strip() or question


def abstention(refer_to: str | None = None, staff: bool = False) -> Answer:
    """The honest answer when the guidelines are silent."""
    return Answer(answer=render("abstain", refer_to=refer_to, staff=staff), abstained=True, citations=[])


def _left_to_others(guide: Guide) -> tuple[np.ndarray, list[str]]:
    """The phrases of the areas knowledge/scope.yaml leaves to others that these guidelines don't cover.

    A handbook with a section on claiming expenses answers expense questions itself: an area counts
    as covered when a guideline passage is this near one of its phrases (AREA_COVERED).
    """
    vectors, owners = guide.scope_vectors
    passages = guide.assistant.index.mirror("guidelines").vectors
    if not owners or not len(passages):
        return vectors, owners
    nearest = (passages @ vectors.T).max(axis=0)
    covered = {owner for owner, near in zip(owners, nearest.tolist()) if near >= AREA_COVERED}
    keep = [i for i, owner in enumerate(owners) if owner not in covered]
    return vectors[keep], [owners[i] for i in keep]


def outside(guide: Guide, question: str) -> tuple[str | None, float]:
    """The area knowledge/scope.yaml leaves to others that the question is nearest, and how near."""
    vectors, owners = _left_to_others(guide)
    if not owners:
        return None, 0.0
    scores = vectors @ guide.embed_query(question)
    top = int(np.argmax(scores))
    return owners[top], float(scores[top])


def unfamiliar(words: frozenset[str], question: str) -> list[str]:
    """The question's own words (not its framing) that no guideline uses, even in another form."""
    prefixes = _prefixes(words)
    found = []
    kind_words = _language()["kind_words"]
    for word, forms in _own_words(question):
        if word in kind_words:
            continue
        if not any(_known(form, words, prefixes) for form in forms) and word not in found:
            found.append(word)
    return found


@lru_cache(maxsize=256)  # a question's words are weighed against four or five vocabularies a request
def _own_words(question: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each of the question's own words, with the stems of the forms it may take."""
    function_words = _function_words()
    framing = _framing()
    same = _language()["same_words"]
    own = []
    for word in re.findall(r"[a-z][a-z0-9'-]*", question.lower().replace("’", "'")):
        word = re.sub(r"'(?:s|re|ve|ll|d|m|t)?$", "", word)
        if word in function_words or stem(word) in framing or len(word) < 3:
            continue
        base = lemma(word)
        forms = [word, base, *ABBREVIATIONS.get(word, "").split(), *same.get(word, ()), *same.get(base, ())]
        # "guide" and "guides" stem apart ("guide", "guid"): a word is known by its plural's stem too.
        own.append((word, tuple(dict.fromkeys(s for form in forms for s in (stem(form), stem(form + "s"))))))
    return tuple(own)


@lru_cache(maxsize=16_384)  # the guidelines' vocabulary, per version of the index, and their sentences
def _prefixes(words: frozenset[str]) -> frozenset[str]:
    return frozenset(_prefix(w) for w in words if len(w) >= PREFIX)


def _prefix(word: str) -> str:
    """A word's first letters, a "y" read as "i": "apply" and "application" begin alike."""
    return word[:PREFIX].replace("y", "i")


def _known(term: str, words: frozenset[str], prefixes: frozenset[str]) -> bool:
    return term in words or (len(term) >= PREFIX and _prefix(term) in prefixes)


def read(guide: Guide, question: str) -> Reading:
    """Retrieve and score the guideline sentences for a question (its chat shorthand spelled out)."""
    question = shorthand(guide.settings.knowledge_dir)(forwarded(question))
    hits = guide.find_guidelines(question, k=RETRIEVED)
    keywords = guide.assistant.index.mirror("guidelines").bm25()
    unknown = unfamiliar(keywords.vocabulary, REASON_GIVEN.sub(" ", question))  # not "bc of the reforecast"
    reading = Reading(question, hits, [], answer_kinds.asks_for(question), unknown)
    best = max((h.similarity for h in hits), default=0.0)
    if best < ANSWERABLE_SIMILARITY or not keywords.knows(question):
        reading.reason = "unrelated"
        return reading
    owner, near = outside(guide, question)
    reading.scope = near - best
    reading.refer_to = owner
    # Every retrieved passage of a candidate section competes (a long section is cut into
    # several), each weighed by how near its section came.
    groups: dict[Any, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit_citation(hit).key, []).append(hit)
    passages = [
        (h, max(g.similarity for g in group))
        for group in list(groups.values())[:CANDIDATE_SECTIONS]
        for h in group
    ]
    query = guide.embed_query(question)
    wanted = _words(question)
    named = _question_terms(question)
    rarity = tuple(keywords.rarity(stem(word)) for word, _ in named)
    # A question after a value ("how often…") without a condition of its own wants the rule.
    general = bool(set(reading.asks) & answer_kinds.VALUES) and not _conditional(question, anywhere=True)
    floor = min((near for _, near in passages), default=1.0)
    headed_too = _headed_sections(guide, reading, {h.id for h, _ in passages}, floor, query)
    for hit, section_similarity in passages + [(h, h.similarity) for h in headed_too]:
        headed = _headed(str(hit.meta.get("section") or ""))
        titled = _titled(str(hit.meta.get("section") or ""), question)
        texts, vectors = guide.assistant.index.sentences_of(hit.id)
        if not texts:  # an index built before sentence vectors were stored
            texts = sentences(hit.text)
            vectors = guide.embed_cached(texts) if texts else vectors
        similarities = (vectors @ query).tolist()
        # An FAQ's question that matches says its answer follows: the answer is as near as it.
        asked = [plain(text).rstrip().endswith("?") for text in texts]
        for i in range(len(texts) - 1):
            if asked[i] and not asked[i + 1]:
                similarities[i + 1] = max(similarities[i + 1], similarities[i])
        kinds_of = [{k for k in reading.asks if answer_kinds.carries(text, k)} for text in texts]
        # A value counts when said of what the question names: "how long is the workshop" is
        # not answered by "each conversation lasts 75 minutes", nor "how long do you keep the
        # session logs" by "each session lasts 60 minutes". A sentence that names it by a pronoun
        # ("Keep them…, and delete them within three months") names what the one before names.
        saying = [
            f"{texts[i - 1]} {text}" if i and _refers_back(text) else text for i, text in enumerate(texts)
        ]
        shares = [_named(text, named) if named else 1.0 for text in saying]
        # In a section headed by the kind asked ("Key dates"), the first sentence giving one states
        # it, unless another names clearly more of what matters in the question, each word weighed
        # by its rarity: "Application deadline: …" for "when's the deadline to apply", not
        # "Applications open: …"; but "pairs" says little in a mentoring handbook.
        giving = [i for i, kinds in enumerate(kinds_of) if kinds & headed and shares[i] >= NAMED_SHARE]
        weighed = {i: _named(saying[i], named, rarity) if named else 1.0 for i in giving}
        states_at = next((i for i in giving if weighed[i] >= max(weighed.values()) - STATES_MARGIN), -1)
        for position, (text, vector, similarity) in enumerate(zip(texts, vectors, similarities)):
            overlap = len(wanted & _words(text)) / max(len(wanted), 1)
            kinds = kinds_of[position]
            about = shares[position] >= NAMED_SHARE
            kind = max(
                (answer_kinds.WEIGHT[k] for k in kinds if about or k not in answer_kinds.SAID_OF), default=0.0
            )
            features = {
                "similarity": similarity,
                "section": section_similarity,
                "overlap": overlap,
                "kind": kind,
                "states": float(position == states_at),
                "titled": float(titled),
                "special_case": float(general and _conditional(text)),
                "lead_in": float(_introduces(text)),
                "asked_in_text": float(asked[position]),
            }
            reading.candidates.append(
                Candidate(weigh(features), similarity, text, hit, position, vector, features)
            )
    reading.candidates.sort(key=lambda c: -c.score)
    return reading


def _titled(heading: str, question: str) -> bool:
    """Whether a section's heading is what the question asks about, in other words or the same.

    "what should we do before the first meeting" and "Before your first conversation": the
    question names every word of the heading, and the heading more than half of the question's.
    """
    named = [forms for _, forms in _own_words(question)]
    words = [set(forms) for _, forms in _own_words(heading.lower())]
    if len(words) < 2 or not all(any(w & set(forms) for forms in named) for w in words):
        return False
    return sum(any(w & set(forms) for w in words) for forms in named) > len(named) / 2


def _conditional(text: str, anywhere: bool = False) -> bool:
    """Whether a sentence gives a special case: it opens with a condition or narrows its subject.

    "If two conversations in a row are cancelled, …", "A pair that falls behind … should …".
    ``anywhere``: a question sets a condition wherever it says "if" or "when" ("what do I do if…").
    """
    language = _language()
    words = re.findall(r"[a-z]+", plain(text).lower())
    conditions = language["conditions"]
    if anywhere:
        joined = f" {' '.join(words)} "
        return any(f" {c} " in joined for c in conditions)
    opening = " ".join(words[:2])
    if any(opening == c or opening.startswith(c + " ") for c in conditions):
        return True
    return any(w in language["relatives"] for w in words[1 : language["relative_within"]])


def _question_terms(question: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each thing the question names (its first word) with the stems it may take.

    Words of one meaning count once: in "how often do pairs meet, and how long is each session",
    "meet" and "session" are one thing.
    """
    named: list[tuple[str, set[str]]] = []
    for word, forms in _own_words(question):
        same = next((group for _, group in named if group & set(forms)), None)
        if same is None:
            named.append((word, set(forms)))
        else:
            same.update(forms)
    return tuple((word, tuple(sorted(group))) for word, group in named)


def _refers_back(text: str) -> bool:
    """Whether a sentence names its subject by a pronoun early on ("Keep them in your OneDrive")."""
    language = _language()
    return bool(
        set(re.findall(r"[a-z]+", text.lower())[: language["pronoun_within"]]) & set(language["pronouns"])
    )


def _named(
    text: str, named: tuple[tuple[str, tuple[str, ...]], ...], weights: tuple[float, ...] = ()
) -> float:
    """The share of what the question names that a sentence names too, in any form of the word.

    With ``weights``, each thing counts by its weight (how rare its word is in the guidelines).
    """
    terms = _terms_of(text)
    prefixes = _prefixes(terms)
    weights = weights or (1.0,) * len(named)
    found = sum(w for (_, forms), w in zip(named, weights) if any(_known(f, terms, prefixes) for f in forms))
    return found / (sum(weights) or 1.0)


@lru_cache(maxsize=16_384)  # guideline sentences recur across questions
def _terms_of(text: str) -> frozenset[str]:
    """A sentence's terms as the keyword index has them, and its words' dictionary forms ("kept": keep)."""
    words = re.findall(r"[a-z]+", text.lower())
    return frozenset(tokenize(text)) | {stem(lemma(w)) for w in words if len(w) > 2}


@lru_cache(maxsize=4096)  # headings recur across questions
def _headed(heading: str) -> frozenset[str]:
    """The kinds of value a section's heading says it gives (knowledge/ask_language.yaml)."""
    return frozenset(answer_kinds.headed(heading, _language()["headings"]))


def _headed_sections(
    guide: Guide, reading: Reading, seen: set[str], floor: float, query: np.ndarray
) -> list[Hit]:
    """Sections headed by the kind of value asked for that retrieval ranked just out of reach.

    "how often r we supposed to meet" lands near the FAQ on video calls, and the section headed
    "Cadence" is left out; it competes when it is as near the question as a candidate section
    (``floor``: the least near of those; ``seen``: their passages).
    """
    if not reading.asks:
        return []
    mirror = guide.assistant.index.mirror("guidelines")
    found = []
    for row, (cid, meta) in enumerate(zip(mirror.ids, mirror.metas)):
        if cid not in seen and set(reading.asks) & _headed(str(meta.get("section") or "")):
            similarity = float(mirror.vectors[row] @ query)
            if similarity >= floor:
                found.append(Hit("guideline", mirror.texts[row], 0.0, similarity, dict(meta), cid))
    return found


def compose(
    guide: Guide, question: str, detail: bool = False, staff: bool = False, brief: bool = False
) -> Answer:
    """Answer from the guideline sentences that fit the question best, or say they don't.

    ``staff``: the asker runs the program, so an abstention does not send them to the coordinator.

    In ``detail`` the answer goes on with the rest of the leading passage, in its order; ``brief`` is
    the one sentence that answers best, with where it comes from ("just yes or no").
    """
    reading = read(guide, question)
    if not reading.candidates:
        return abstention(staff=staff)
    if _elsewhere(guide, reading):
        return abstention(reading.refer_to, staff)
    lead = reading.lead[:1] if brief else reading.lead
    if detail:  # the leading passage's sentences nearest those already picked
        first, near = lead[0].hit, [c.position for c in lead if c.hit.id == lead[0].hit.id]
        rest = [
            c
            for c in reading.candidates
            if c.hit.id == first.id and not any(_same(c.text, p.text) for p in lead)
        ]
        rest.sort(key=lambda c: min(abs(c.position - p) for p in near))
        lead = sorted([*lead, *rest[:DETAIL]], key=lambda c: (c.hit.id != first.id, c.hit.id, c.position))
    used = list({hit_citation(c.hit).key: c.hit for c in lead}.values())
    sections = list({hit_citation(h).key: h for h in reading.hits}.values())
    cited = {hit_citation(h).key for h in used}
    related = [] if brief else [h for h in sections if hit_citation(h).key not in cited][:SEE_ALSO]
    direct = _direct(guide, reading)
    named: set[str] = set()  # documents whose title the answer has said
    text = render(
        "ask_answer",
        direct=direct,
        lead=_flowing(lead, verdicts=YES_NO_ASKED.match(reading.question.lower()) is not None),
        where=_places(used, named),
        related=_places(related, named),
    )
    return Answer(
        answer=" ".join(text.split()),
        abstained=False,
        outcome="direct" if direct else "closest",
        citations=[hit_citation(h) for h in [*used, *related]],
    )


def _elsewhere(guide: Guide, reading: Reading) -> bool:
    """Whether the question belongs to an area knowledge/scope.yaml leaves to others.

    It does when that area is nearer to it than any guideline passage and the question names
    something the guidelines never mention ("overtime"), or when the area is much nearer; or
    when the words the guidelines never use are themselves close to such an area.
    """
    if reading.refer_to is None:
        return False
    # A thing named ("overtime", "petrol"), not a verb said another way ("decides" where they say "decision").
    things = [w for w in reading.unknown if "NOUN" in word_classes(lemma(w))]
    if reading.scope > 0 and things:
        return True
    # A handbook that speaks of the very thing asked about ("a certificate of completion") answers it.
    best = reading.candidates[0].hit
    whole = f"{best.text} {best.meta.get('section') or ''}"
    if reading.scope > SCOPE_MARGIN and _named(whole, _question_terms(reading.question)) < 1.0:
        return True
    if not reading.unknown:
        return False
    vectors, owners = _left_to_others(guide)
    if not owners:
        return False
    scores = vectors @ guide.embed_cached([" ".join(reading.unknown)])[0]
    top = int(np.argmax(scores))
    if float(scores[top]) > SCOPE_WORDS:
        reading.refer_to = owners[top]
        return True
    return False


def _direct(guide: Guide, reading: Reading) -> bool:
    """Whether the lead answers the question itself rather than only coming near it.

    A question that names nothing to look for ("what should I do?") is never answered directly, nor
    one asking for a value (how long, how often, how many, when, an address) that the lead does not
    give; otherwise the outcome model decides (assistant/tasks/ask_outcome.py): chiefly, how much of
    what the question names the lead passages mention, each word weighted by how rare it is in
    the guidelines. "Can mentors get a parking space?" lands near a passage about mentors, but
    none mentions parking, the word that matters.
    """
    if not unfamiliar(frozenset(), reading.question):
        return False
    # "how much is the firm paid?" answered with no amount at all; "what's her email?" with only a
    # phone number (an address or a number asked by name wants that one).
    values = set(reading.asks) & (answer_kinds.VALUES | answer_kinds.REACH)
    wanted = values & answer_kinds.EXACT or values
    if wanted and not any(answer_kinds.carries(c.text, k) for c in reading.lead for k in wanted):
        return False
    # An address or a number asked for by name is given for what the question names: not the
    # coordinator's address for "what's the Head of Inclusion's email?".
    named = _question_terms(reading.question)
    if (wanted & answer_kinds.BY_NAME) and not any(
        answer_kinds.carries(c.text, k) and _named(c.text, named) >= NAMED_SHARE
        for c in reading.lead
        for k in wanted & answer_kinds.BY_NAME
    ):
        return False
    if set(reading.asks) & (answer_kinds.VALUES | {"role", "name"}) and _other_edition(
        guide, reading.question
    ):
        return False
    model = ask_outcome.load(guide.settings.knowledge_dir)
    return model.direct(ask_outcome.signals(guide, reading))


def _other_edition(guide: Guide, question: str) -> bool:
    """Whether the question asks after another run of the program than the one its guidelines are for.

    "When do applications open for cohort 5?" of a handbook for Cohort 4 (the number it gives its
    cohorts most often), "who won in 2024?" of one that never names 2024: their dates and names
    are not that run's.
    """
    guidelines = " ".join(guide.assistant.index.mirror("guidelines").texts).lower()
    question = question.lower()
    for word in _language()["editions"]:
        asked = re.findall(rf"\b{word}\s+(\d+)\b", question)
        runs = Counter(re.findall(rf"\b{word}\s+(\d+)\b", guidelines)) if asked else None
        if runs and asked[0] != runs.most_common(1)[0][0]:
            return True
    years = set(YEAR.findall(guidelines))
    return bool(years) and any(year not in years for year in YEAR.findall(question))


def _places(hits: list[Hit], named: set[str]) -> list[str]:
    """Sections as a person names them, each document's title once.

    “Session length” and “Cadence” in Session structure. A title in ``named`` (said earlier in the
    answer) is not said again; the titles said here are added to it.
    """
    by_title: dict[str, list[str]] = {}
    for hit in hits:
        section, title = hit.meta.get("section"), str(hit.meta.get("title") or "")
        by_title.setdefault(title if section else "", []).append(f"“{section or title}”")
    places = []
    for title, sections in by_title.items():
        said = " and ".join(sections)
        places.append(f"{said} in {title}" if title and title not in named else said)
        named.add(title)
    return places


def _flowing(lead: list[Candidate], verdicts: bool = True) -> list[str]:
    """The lead's sentences as they read in an answer, Markdown gone.

    A list's items run on from their lead-in as the list has them ("…in four situations: someone
    is at risk…; a crime…"); an item quoted last, or alone, ends with a full stop, and one that
    starts a sentence with a capital. Without ``verdicts`` (a question not answered yes or no) a
    passage's "Yes, please do." before what it goes on to say is left out.
    """
    said: list[str] = []
    for at, candidate in enumerate(lead):
        text = re.sub(r"^\[[ xX]\]\s*", "", plain(candidate.text).strip())  # a checklist's box
        if not verdicts:  # "which car park…?" is not answered "Yes, please do."
            text = re.sub(r"^(?:yes|no)\b[^.!?]{0,30}[.!]\s+(?=\S)", "", text, flags=re.I)
        after = lead[at + 1] if at + 1 < len(lead) else None
        runs_on = after is not None and (after.hit.id, after.position) == (
            candidate.hit.id,
            candidate.position + 1,
        )
        if not (runs_on and text.endswith((":", ";", ","))):
            text = text.rstrip(";, ")
            text = text if text.endswith((".", "!", "?", ":")) else text + "."
        if not said or said[-1].endswith((".", "!", "?")):
            text = text[:1].upper() + text[1:]
        said.append(text)
    return said


def _same(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    return len(wa & wb) >= 0.8 * min(len(wa), len(wb)) if wa and wb else a == b


@lru_cache(maxsize=16_384)  # guideline sentences recur across questions
def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z][a-z'-]{3,}", text.lower()) if w not in _COMMON)


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
