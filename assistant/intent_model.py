"""A small intent classifier: a linear model over a message's features.

The features are the sentence embedding (meaning) and hashed character and word n-grams
(spelling: typos, shorthand and word forms the embedder reads poorly). It is trained at
start-up on the example messages of ``knowledge/dialogue.yaml`` and of the labelled
conversations it lists (``learn_from``), with one linear solve in numpy (no optimiser library is
loaded; a few thousand examples take a fraction of a second), and scoring one message is a
vector product.
The regularisation was chosen by leave-one-out cross-validation over the examples
(``bench/dialogue.py --cv``).
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence

import numpy as np

HASH_DIMS = 1024
GRAMS = (3, 4, 5)
EMBED_WEIGHT = 1.0  # the two feature blocks are each unit length, then weighted
GRAM_WEIGHT = 0.5
L2 = 0.3  # chosen by leave-one-out cross-validation (bench/dialogue.py --cv)


def gram_features(text: str, dims: int = HASH_DIMS) -> np.ndarray:
    """Hashed counts (log-scaled, unit length) of the text's character n-grams, words and word pairs."""
    words = re.findall(r"[a-z0-9&']+", text.lower())
    padded = " " + " ".join(words) + " "
    out = np.zeros(dims, dtype=np.float32)
    keys = [padded[i : i + n] for n in GRAMS for i in range(len(padded) - n + 1)]
    keys += ["w:" + w for w in words] + ["b:" + a + " " + b for a, b in itertools.pairwise(words)]
    for key in keys:
        out[zlib.crc32(key.encode()) % dims] += 1.0
    np.log1p(out, out=out)
    norm = float(np.linalg.norm(out))
    return out / norm if norm else out


def features(vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """The classifier's input rows: embedding and n-gram blocks side by side."""
    grams = np.stack([gram_features(t) for t in texts]) if texts else np.zeros((0, HASH_DIMS), np.float32)
    return np.hstack([vectors * EMBED_WEIGHT, grams * GRAM_WEIGHT]).astype(np.float32)


class IntentModel:
    """A ridge classifier (least squares on one-hot labels, L2 penalty): one linear solve.

    Its dual form gives exact leave-one-out predictions cheaply (``leave_one_out``), which is how
    the penalty was chosen.
    """

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.weights = np.zeros((0, len(self.labels)), dtype=np.float32)
        self.bias = np.zeros(len(self.labels), dtype=np.float32)

    def fit(self, x: np.ndarray, y: np.ndarray, l2: float = L2) -> IntentModel:
        """Fit on rows ``x`` with label indexes ``y``.

        The bias is a constant feature penalised like the others. With fewer examples than
        features the dual (examples x examples) is solved, otherwise the primal (features x
        features): the same model, whichever system is smaller.
        """
        target = _one_hot(y, len(self.labels))
        mean = target.mean(axis=0)
        rows = np.hstack([x.astype(np.float64), np.ones((len(x), 1))])
        if len(rows) <= rows.shape[1]:
            alpha = np.linalg.solve(rows @ rows.T + l2 * np.eye(len(rows)), target - mean)
            solved = rows.T @ alpha
        else:
            solved = np.linalg.solve(rows.T @ rows + l2 * np.eye(rows.shape[1]), rows.T @ (target - mean))
        self.weights = solved[:-1].astype(np.float32)
        self.bias = (mean + solved[-1]).astype(np.float32)
        return self

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Each row's score per label (about 1 for the label, 0 for the others)."""
        return x @ self.weights + self.bias


def leave_one_out(x: np.ndarray, y: np.ndarray, penalties: Sequence[float]) -> dict[float, float]:
    """Exact leave-one-out accuracy of the ridge classifier for each penalty (one eigendecomposition)."""
    target = _one_hot(y, int(y.max()) + 1)
    centred = target - target.mean(axis=0)
    kernel = x.astype(np.float64) @ x.T.astype(np.float64) + 1.0
    values, vectors = np.linalg.eigh(kernel)
    projected = vectors.T @ centred
    result = {}
    for l2 in penalties:
        shrink = values / (values + l2)
        fitted = vectors @ (shrink[:, None] * projected)
        hat = np.einsum("ij,j,ij->i", vectors, shrink, vectors)
        held_out = (fitted - hat[:, None] * centred) / (1 - hat)[:, None]
        result[l2] = float((held_out.argmax(axis=1) == y).mean())
    return result


def _one_hot(y: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros((len(y), k))
    out[np.arange(len(y)), y] = 1.0
    return out
