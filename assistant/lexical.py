"""BM25 keyword search over an in-memory inverted index (numpy, no external service)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

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
_SUFFIXES = ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly", "ment", "ness")


def stem(word: str) -> str:
    """A light suffix stripper: enough to match 'meeting', 'meets' and 'meet'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix == "ies":
                word += "y"
            break
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case words without stop words, stemmed."""
    words = []
    for word in _WORD.findall(text.lower()):
        words.extend(ABBREVIATIONS.get(word, word).split())
    return [stem(w) for w in words if w not in STOPWORDS]


class BM25Index:
    """Okapi BM25 with precomputed per-term postings; scores every document in one pass."""

    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(texts)
        docs = [Counter(tokenize(t)) for t in texts]
        lengths = np.array([sum(d.values()) for d in docs], dtype=np.float32)
        average = float(lengths.mean()) if self.size else 1.0
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for doc_id, counts in enumerate(docs):
            for term, count in counts.items():
                postings[term].append((doc_id, count))
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, entries in postings.items():
            ids = np.array([e[0] for e in entries], dtype=np.int32)
            tf = np.array([e[1] for e in entries], dtype=np.float32)
            idf = math.log(1 + (self.size - len(entries) + 0.5) / (len(entries) + 0.5))
            norm = k1 * (1 - b + b * lengths[ids] / max(average, 1e-9))
            self._postings[term] = (ids, (idf * tf * (k1 + 1) / (tf + norm)).astype(np.float32))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for the query."""
        out = np.zeros(self.size, dtype=np.float32)
        for term in set(tokenize(query)):
            posting = self._postings.get(term)
            if posting is not None:
                out[posting[0]] += posting[1]
        return out

    def knows(self, query: str) -> bool:
        """Whether any of the query's terms occurs in any document."""
        return any(term in self._postings for term in tokenize(query))

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
