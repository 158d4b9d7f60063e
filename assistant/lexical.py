"""Keyword search: our tokenizer (stemming, workplace shorthand) over the bm25s library's BM25."""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import bm25s

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
    """Okapi BM25 (Lucene's variant, by the ``bm25s`` library) over texts in our tokenization."""

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
        self._engine: bm25s.BM25 | None = None
        if any(tokens):  # bm25s cannot index a corpus without a single word
            import bm25s  # here, not above: with scipy it takes 0.2 s, and most commands never search

            self._engine = bm25s.BM25(k1=k1, b=b)
            self._engine.index(tokens, show_progress=False)

    def _terms(self, query: str) -> list[str]:
        vocabulary = self._engine.vocab_dict if self._engine is not None else {}
        return [t for t in dict.fromkeys(tokenize(query)) if t in vocabulary]

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for the query."""
        terms = self._terms(query)
        if self._engine is None or not terms:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._engine.get_scores(terms), dtype=np.float32)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every (stemmed) term the documents use."""
        return frozenset(self._engine.vocab_dict if self._engine is not None else ())

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
