"""Retrieval quality on the labeled questions: hit@1, hit@5 and MRR for dense, BM25 and hybrid.

Usage: python bench/eval_retrieval.py [--json] [--level document|section]
Builds a fresh index of knowledge/guidelines in a temporary folder. Also reports the held-out
questions (knowledge/eval/heldout.yaml, labeled by document only), which no setting was tuned on.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.core import Assistant
from assistant.retrieval import Hit
from assistant.settings import REPO_ROOT, Settings

QUESTIONS = REPO_ROOT / "knowledge" / "eval" / "questions.yaml"
HELD_OUT = REPO_ROOT / "knowledge" / "eval" / "heldout.yaml"
MODES = ("dense", "bm25", "hybrid")


def load_questions(path: Path = QUESTIONS) -> list[dict[str, str]]:
    """The answerable labeled questions."""
    return list(yaml.safe_load(path.read_text())["answerable"])


def is_hit(hit: Hit, expected: dict[str, str], level: str) -> bool:
    """Whether a hit is the labeled source (and section, at section level)."""
    if hit.meta.get("source") != expected["source"]:
        return False
    return level == "document" or hit.meta.get("section") == expected["section"]


def evaluate(
    assistant: Assistant, questions: list[dict[str, str]], mode: str, level: str
) -> dict[str, float]:
    """hit@1, hit@5 and MRR@5 of one retrieval mode."""
    hit1 = hit5 = rr = 0.0
    for item in questions:
        hits = assistant.search(item["question"], k=5, mode=mode)
        ranks = [n for n, h in enumerate(hits, 1) if is_hit(h, item, level)]
        if ranks:
            hit1 += ranks[0] == 1
            hit5 += 1
            rr += 1 / ranks[0]
    n = len(questions)
    return {"hit_at_1": round(hit1 / n, 3), "hit_at_5": round(hit5 / n, 3), "mrr": round(rr / n, 3)}


def main() -> None:
    """Print the evaluation table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--level", choices=["document", "section"], default="document")
    args = parser.parse_args()
    questions, held_out = load_questions(), load_questions(HELD_OUT)
    with tempfile.TemporaryDirectory() as home:
        assistant = Assistant(Settings(home=Path(home)))
        assistant.ingest([assistant.default_guidelines])
        results = {mode: evaluate(assistant, questions, mode, args.level) for mode in MODES}
        unseen = {mode: evaluate(assistant, held_out, mode, "document") for mode in MODES}
    if args.json:
        print(
            json.dumps(
                {
                    "questions": len(questions),
                    "level": args.level,
                    **results,
                    "held_out": {"questions": len(held_out), "level": "document", **unseen},
                }
            )
        )
        return
    for title, table, count, level in (
        ("labeled", results, len(questions), args.level),
        ("held-out", unseen, len(held_out), "document"),
    ):
        print(f"\n{count} {title} questions, {level}-level\n")
        print("| retrieval | hit@1 | hit@5 | MRR |\n|---|---|---|---|")
        for mode, r in table.items():
            print(f"| {mode} | {r['hit_at_1']:.3f} | {r['hit_at_5']:.3f} | {r['mrr']:.3f} |")


if __name__ == "__main__":
    main()
