"""Fit `ask`'s outcome model (direct or "not directly") on the tuning questions; write its coefficients.

Usage: python bench/ask_outcome.py [--write]
Only the tuning questions are read: the demo guidelines' labelled questions
(knowledge/eval/questions.yaml) and the `tune` parts of the two handbooks. Every question is answered
as `ask` would up to the outcome; those that `ask` already declines ("not covered") are left out
of the fit and count as not direct. Answerable questions are the positives, out-of-scope ones
the negatives. By repeated stratified five-fold cross-validation on those, the script chooses
the features (forward selection by log loss among assistant.tasks.ask_outcome.signals), then the
L2 penalty and the probability threshold together: those that fall least short of issue 12's
targets, summed over the corpora (direct on 0.90 of answerable questions, on 0.10 of
out-of-scope ones at most), log loss breaking a tie. It prints the cross-validated figures;
``--write`` stores the fitted model in knowledge/ask_outcome.yaml.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.core import Assistant
from assistant.guide import Guide
from assistant.settings import REPO_ROOT, Settings
from assistant.tasks import ask, ask_outcome
from tests import handbook

PENALTIES = (0.1, 0.3, 1.0, 3.0, 10.0)  # scikit-learn's C: the inverse of the L2 weight
THRESHOLDS = np.round(np.arange(0.30, 0.91, 0.02), 2)
REPEATS = 20
# Issue 12's targets: direct on at least 0.90 of answerable questions, on at most 0.10 of out-of-scope ones.
TARGET_DIRECT = 0.90
TARGET_OUTSIDE = 0.10
MIN_GAIN = 0.001  # a feature joins only when it lowers the cross-validated log loss this much


def tuning_sets() -> list[tuple[str, list[str], list[str]]]:
    """(corpus, answerable questions, out-of-scope questions): the tuning parts only."""
    demo = yaml.safe_load((REPO_ROOT / "knowledge" / "eval" / "questions.yaml").read_text())
    book = handbook.questions()["tune"]
    trust = handbook.questions(handbook.TRUST)["tune"]
    return [
        ("demo", [i["question"] for i in demo["answerable"]], demo["out_of_scope"]),
        (
            "handbook",
            [i["question"] for i in book["answerable"] + book.get("answerable_more", [])],
            book["out_of_scope"],
        ),
        ("trust", [i["question"] for i in trust["answerable"]], trust["out_of_scope"]),
    ]


def observe(home: Path) -> tuple[list[dict[str, Any]], dict[str, tuple[int, int]]]:
    """Signals of every tuning question that reaches the outcome decision, and each set's size."""
    rows: list[dict[str, Any]] = []
    sizes: dict[str, tuple[int, int]] = {}
    for corpus, answerable, outside in tuning_sets():
        assistant = Assistant(Settings(home=home / corpus, llm="offline"))
        if corpus == "demo":
            assistant.ingest([assistant.default_guidelines])
        else:
            assistant.ingest(handbook.build(home / corpus / "files", handbook.SOURCES[corpus]))
        guide = Guide(assistant, model=None)
        sizes[corpus] = (len(answerable), len(outside))
        for question, label in [(q, 1) for q in answerable] + [(q, 0) for q in outside]:
            reading = ask.read(guide, question)
            if not reading.candidates or ask._elsewhere(guide, reading):
                continue  # "not covered": decided before the model
            if not ask.unfamiliar(frozenset(), question):
                continue  # nothing named to look for: never direct
            rows.append({"corpus": corpus, "label": label, **ask_outcome.signals(guide, reading)})
    return rows, sizes


def cross_validated(x: np.ndarray, y: np.ndarray, strata: np.ndarray, c: float) -> np.ndarray:
    """Each row's probability from models that did not see it, averaged over repeated splits."""
    total = np.zeros(len(y))
    for seed in range(REPEATS):
        folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(x, strata)
        model = make_pipeline(StandardScaler(), LogisticRegression(C=c))
        total += cross_val_predict(model, x, y, cv=list(folds), method="predict_proba")[:, 1]
    return total / REPEATS


def rates(p: np.ndarray, threshold: float, rows: list[dict[str, Any]], sizes: dict) -> dict[str, tuple]:
    """Per corpus: the share of answerable and of out-of-scope questions answered directly."""
    out = {}
    for corpus, (answerable, outside) in sizes.items():
        hits = [(r["label"], bool(v >= threshold)) for r, v in zip(rows, p) if r["corpus"] == corpus]
        out[corpus] = (
            sum(d for label, d in hits if label) / answerable,
            sum(d for label, d in hits if not label) / outside,
        )
    return out


def main() -> None:
    """Fit, report the cross-validated figures, and write the model with --write."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="store the model in knowledge/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        rows, sizes = observe(Path(home))
    names = [n for n in rows[0] if n not in ("corpus", "label")]
    y = np.array([r["label"] for r in rows])
    strata = np.array([f"{r['corpus']}{r['label']}" for r in rows])

    def matrix(features: list[str]) -> np.ndarray:
        return np.array([[r[f] for f in features] for r in rows])

    chosen: list[str] = []
    best = np.inf
    while True:
        trials = [
            (log_loss(y, cross_validated(matrix([*chosen, f]), y, strata, 1.0)), f)
            for f in names
            if f not in chosen
        ]
        if not trials or min(trials)[0] > best - MIN_GAIN:
            break
        best, feature = min(trials)
        chosen.append(feature)
        print(f"+ {feature}: log loss {best:.4f}")
    x = matrix(chosen)
    predictions = {c: cross_validated(x, y, strata, c) for c in PENALTIES}

    def shortfall(p: np.ndarray, t: float) -> float:
        return sum(
            max(0.0, TARGET_DIRECT - a) + max(0.0, o - TARGET_OUTSIDE)
            for a, o in rates(p, t, rows, sizes).values()
        )

    def best_threshold(p: np.ndarray) -> float:
        return float(min(THRESHOLDS, key=lambda t: (round(shortfall(p, t), 6), abs(t - 0.5))))

    # The penalty whose best threshold falls least short of the targets; log loss breaks a tie.
    c = min(
        PENALTIES,
        key=lambda k: (
            round(shortfall(predictions[k], best_threshold(predictions[k])), 6),
            log_loss(y, predictions[k]),
        ),
    )
    p = predictions[c]
    threshold = best_threshold(p)
    figures = rates(p, threshold, rows, sizes)
    print(f"C={c} (log loss {log_loss(y, p):.4f}), threshold {threshold}")
    for corpus, (answerable, outside) in figures.items():
        print(f"{corpus}: cross-validated direct on answerable {answerable:.3f}, out of scope {outside:.3f}")
    model = make_pipeline(StandardScaler(), LogisticRegression(C=c)).fit(x, y)
    scaler, logistic = model[0], model[1]
    data = {
        "features": chosen,
        "mean": {f: round(float(v), 6) for f, v in zip(chosen, scaler.mean_)},
        "scale": {f: round(float(v), 6) for f, v in zip(chosen, scaler.scale_)},
        "weights": {f: round(float(v), 6) for f, v in zip(chosen, logistic.coef_[0])},
        "bias": round(float(logistic.intercept_[0]), 6),
        "threshold": threshold,
        # The margins the signals' lead was chosen with (assistant/tasks/ask_outcome.py).
        "lead": dict(ask_outcome.load(REPO_ROOT / "knowledge").lead)
        or {k: v for k, v in ask._lead_model().items() if k != "weights"},
    }
    if args.write:
        header = (
            '# ask\'s outcome model (assistant/tasks/ask_outcome.py): direct or "not directly".\n'
            "# Written by `python bench/ask_outcome.py --write` from the tuning questions only\n"
            f"# ({len(rows)} reach the decision); L2 C={c} and the threshold chosen by cross-validation:\n"
            + "".join(
                f"# {k}: direct on answerable {a:.3f}, on out of scope {o:.3f} (cross-validated)\n"
                for k, (a, o) in figures.items()
            )
        )
        path = REPO_ROOT / "knowledge" / ask_outcome.MODEL_FILE
        path.write_text(header + yaml.safe_dump(data, sort_keys=False))
        print(f"wrote {path}")
    else:
        print(yaml.safe_dump(data, sort_keys=False))


if __name__ == "__main__":
    main()
