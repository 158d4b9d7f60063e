"""Keyword search: our tokenizer (stemming, workplace shorthand) over the bm25s library's BM25."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

STOPWORDS = frozenset(
    """a an and are as at be but by can could do does for from had has have how i if in into is it its
    me my of on or our should so than that the their them then there these they this to us was we
    were what when where which who why will with would you your i'm it's we're""".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Workplace shorthand people type in questions, expanded so keywords meet the handbook's words.
ABBREVIATIONS = {
    "exec": "executive",
    "execs": "executives",
    "pa": "assistant",
    "ea": "assistant",
    "vp": "executive",
    "svp": "executive",
    "cxo": "executive",
    "mgr": "manager",
    "hr": "human resources",
    "1:1": "one-to-one",
    "asap": "soon",
    "wfh": "remote work",
    "mtg": "meeting",
    "mtgs": "meetings",
}


class Shorthand:
    """Chat shorthand spelled out ("u" → "you", "abt" → "about"), by a table of word → words.

    The table is ``shorthand`` in knowledge/dialogue.yaml: the chat reads every message through it,
    and a program question reads the same (so chat and ``/v1/ask`` understand it alike).
    """

    def __init__(self, table: Mapping[str, str]) -> None:
        self.table = {k.lower(): v for k, v in table.items()}
        self.pattern = re.compile(
            r"(?<![\w'])("
            + "|".join(re.escape(k) for k in sorted(self.table, key=len, reverse=True))
            + r")(?![\w'])",  # the longest first: "w/o" before "w/"
            re.I,
        )

    def __call__(self, text: str) -> str:
        """``text`` with its shorthand spelled out."""
        return self.pattern.sub(lambda m: self.table[m.group(1).lower()], text)


@lru_cache(maxsize=4)
def shorthand(knowledge_dir: Path) -> Shorthand:
    """The chat shorthand of a knowledge folder."""
    from assistant.knowledge import read_yaml

    return Shorthand(read_yaml(knowledge_dir / "dialogue.yaml")["shorthand"])


_EMPTY = (np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(1, np.int64))  # no term, no column
_SUFFIXES = ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly", "ment", "ness")


@lru_cache(maxsize=1 << 16)  # a vocabulary is small; a reader's keyword index stems every word of their notes
def stem(word: str) -> str:
    """A light suffix stripper: enough to match 'meeting', 'meets' and 'meet'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix == "ies":
                word += "y"
            break
    return word


@lru_cache(maxsize=1 << 14)
def word_classes(word: str) -> frozenset[str]:
    """The parts of speech an English word can be, by lemminflect's dictionary.

    {"NOUN", "?"} when it is not an English word (a product name, shorthand).
    """
    from lemminflect import getAllLemmas  # its tables load on first use (~0.15 s): only when needed

    return frozenset(getAllLemmas(word)) or frozenset({"NOUN", "?"})


def _sound(name: str) -> str:
    """A name as it sounds, near enough: "Sophia" and "Sofia", "Hellen" and "Helen" alike."""
    return re.sub(r"(.)\1+", r"\1", name.replace("ph", "f").replace("y", "i")).removesuffix("h")


def names_as_meant(text: str, people: frozenset[str]) -> str:
    """``text`` with a slip of a known first name written as that name: "w noir" (Noor), "Sophia" (Sofia).

    Only a word the dictionary does not know, that sounds like one name or differs from it by a letter
    or so; not a possessive ("amaras") or a surname after a first name ("Elif Kaya").
    """

    def meant(match: re.Match[str]) -> str:
        word = match.group(0).lower()
        if word in people or word.rstrip("s") in people or len(word) < 3 or "?" not in word_classes(word):
            return match.group(0)
        if re.search(r"\b[A-Z][a-z]+\s+$", text[: match.start()]) and match.group(0)[0].isupper():
            return match.group(0)  # "Elif Kaya": a full name of someone else
        close = [
            p
            for p in people
            if _sound(word) == _sound(p)
            or (  # a letter or so amiss inside: "noir", "nour"; not "three" (Theo)
                len(word) >= 4
                and (p[0], p[-1]) == (word[0], word[-1])
                and SequenceMatcher(None, _sound(word), _sound(p)).ratio() >= 0.75
            )
        ]
        if len(close) != 1:
            return match.group(0)
        return close[0].capitalize() if match.group(0)[0].isupper() else close[0]

    return re.sub(r"[A-Za-z]+", meant, text) if people else text


@lru_cache(maxsize=1 << 12)
def base_verb(word: str) -> bool:
    """Whether a word is a verb as a command says it: "lay" (that out), "draft", not "laid" or "drafts"."""
    from lemminflect import getAllLemmas

    return word in getAllLemmas(word).get("VERB", ())


def gerund(verb: str) -> str | None:
    """A verb's -ing form ("negotiate", "negotiates": "negotiating"), or None when it is not a verb."""
    from lemminflect import getAllLemmas, getInflection

    found = getAllLemmas(verb).get("VERB")
    return getInflection(found[0], "VBG")[0] if found else None


@lru_cache(maxsize=1 << 14)
def lemma(word: str) -> str:
    """A word's dictionary form ("paid": "pay", "met": "meet"), by lemminflect's tables (a verb's first)."""
    from lemminflect import getAllLemmas  # its tables load on first use (~0.15 s): only questions need them

    found = getAllLemmas(word)
    return next((found[pos][0] for pos in ("VERB", "NOUN", "ADJ", "ADV") if pos in found), word)


_KEYWORD = re.compile(r"[a-z0-9&][a-z0-9&'-]*")


def keywords(text: str, ignore: Iterable[str] = ()) -> set[str]:
    """A text's words in their dictionary form ("sent" is "send"), less ``ignore``."""
    left_out = set(ignore)
    return {lemma(w) for w in _KEYWORD.findall(text.lower()) if len(w) > 1 and w not in left_out}


def keyword_parts(line: str) -> set[str]:
    """A line's keywords and the pieces of its hyphenated ones ("one-pager": one, pager)."""
    return {piece for word in keywords(line) for piece in (word, *map(lemma, word.split("-")))}


@lru_cache(maxsize=1 << 16)
def _terms_of(word: str) -> tuple[str, ...]:
    """What one lower-case word becomes: shorthand expanded, stop words dropped, the rest stemmed."""
    return tuple(stem(w) for w in ABBREVIATIONS.get(word, word).split() if w not in STOPWORDS)


def tokenize(text: str) -> list[str]:
    """Lower-case words without stop words, stemmed.

    Each distinct word is worked out once (``_terms_of``): a reader's first search cuts every
    chunk of their notes, and a few thousand words make up most of any program's text.
    """
    return [term for word in _WORD.findall(text.lower()) for term in _terms_of(word)]


class BM25Index:
    """Okapi BM25 (Lucene's variant, by the ``bm25s`` library) over texts in our tokenization.

    ``bm25s`` builds the index: every term's score in every document, a sparse matrix by term.
    A search adds up the columns of its terms, as ``bm25s.BM25.get_scores`` does; it is done
    here so that an index read back from ``arrays()`` (the guidelines' saved copy) is searched
    without importing ``bm25s``, which imports SciPy (0.2 s of a one-shot ``ask``).
    """

    frequency: Counter[str]  # documents per term (indexes built from texts: the guidelines')

    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        tokens = [tokenize(t) for t in texts]
        self._build(tokens, k1, b)
        self.frequency = Counter(term for words in tokens for term in set(words))

    @classmethod
    def of_tokens(cls, tokens: list[list[str]], k1: float = 1.2, b: float = 0.75) -> BM25Index:
        """An index over texts already cut by ``tokenize`` (note chunks keep theirs per version).

        It counts no ``frequency``: a search never asks (only the guidelines' outcome model does).
        """
        index = cls.__new__(cls)
        index._build(tokens, k1, b)
        return index

    def _build(self, tokens: list[list[str]], k1: float, b: float) -> None:
        self.size = len(tokens)
        self._vocabulary: dict[str, int] = {}
        self._matrix = _EMPTY
        if any(tokens):  # bm25s cannot index a corpus without a single word
            import bm25s  # here, not above: with scipy it takes 0.2 s, and most commands never search

            engine = bm25s.BM25(k1=k1, b=b)
            engine.index(tokens, show_progress=False)
            self._vocabulary = dict(engine.vocab_dict)
            self._matrix = (engine.scores["data"], engine.scores["indices"], engine.scores["indptr"])

    def arrays(self) -> dict[str, np.ndarray]:
        """The index as arrays, for ``np.savez``; ``from_arrays`` reads them back."""
        terms = sorted(self._vocabulary, key=self._vocabulary.__getitem__)
        frequency = getattr(self, "frequency", Counter())
        data, indices, indptr = self._matrix
        return {
            "size": np.array(self.size),
            "terms": np.array(terms, dtype=str),
            "frequency": np.array([frequency.get(t, 0) for t in terms], dtype=np.int64),
            "data": data,
            "indices": indices,
            "indptr": indptr,
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> BM25Index:
        """An index saved by ``arrays()`` (without ``bm25s``)."""
        index = cls.__new__(cls)
        index.size = int(arrays["size"])
        terms = arrays["terms"].tolist()
        index._vocabulary = {term: n for n, term in enumerate(terms)}
        index._matrix = (arrays["data"], arrays["indices"], arrays["indptr"])
        index.frequency = Counter(
            {term: n for term, n in zip(terms, arrays["frequency"].tolist(), strict=True) if n}
        )
        return index

    def _terms(self, query: str) -> list[str]:
        return [t for t in dict.fromkeys(tokenize(query)) if t in self._vocabulary]

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for the query."""
        scores = np.zeros(self.size, dtype=np.float32)
        data, indices, indptr = self._matrix
        for term in self._terms(query):
            column = self._vocabulary[term]
            start, end = indptr[column], indptr[column + 1]
            np.add.at(scores, indices[start:end], data[start:end])  # in bm25s's order: the same sums
        return scores

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every (stemmed) term the documents use."""
        return frozenset(self._vocabulary)

    def rarity(self, term: str) -> float:
        """How rare a (stemmed) term is across the documents: the log of their number over its own."""
        return math.log((self.size + 1) / (self.frequency.get(term, 0) + 0.5))

    def knows(self, query: str) -> bool:
        """Whether any of the query's terms occurs in any document."""
        return bool(self._terms(query))

    def top(self, query: str, n: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The ``n`` best (document index, score) pairs with a positive score, within ``mask``."""
        scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        n = min(n, self.size)
        if n <= 0:
            return []
        best = np.argpartition(-scores, n - 1)[:n]
        best = best[np.argsort(-scores[best])]
        return [(int(i), float(scores[i])) for i in best if scores[i] > 0]
