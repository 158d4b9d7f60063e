"""Retrieval quality on the labeled questions: hit@1, hit@5 and MRR for dense, BM25 and hybrid.

Usage: python bench/eval_retrieval.py [--json] [--level document|section]
Builds a fresh index of knowledge/guidelines in a temporary folder.
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
MODES = ("dense", "bm25", "hybrid")


def load_questions() -> list[dict[str, str]]:
    """The answerable labeled questions."""
    return list(yaml.safe_load(QUESTIONS.read_text())["answerable"])


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
    questions = load_questions()
    with tempfile.TemporaryDirectory() as home:
        assistant = Assistant(Settings(home=Path(home)))
        assistant.ingest([assistant.default_guidelines])
        results = {mode: evaluate(assistant, questions, mode, args.level) for mode in MODES}
    if args.json:
        print(json.dumps({"questions": len(questions), "level": args.level, **results}))
        return
    print(f"{len(questions)} questions, {args.level}-level\n")
    print("| retrieval | hit@1 | hit@5 | MRR |\n|---|---|---|---|")
    for mode, r in results.items():
        print(f"| {mode} | {r['hit_at_1']:.3f} | {r['hit_at_5']:.3f} | {r['mrr']:.3f} |")


if __name__ == "__main__":
    main()
