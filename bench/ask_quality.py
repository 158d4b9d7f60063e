"""Quality of `ask` (offline composer) on the demo guidelines and on seven handbooks written apart from it.

Usage: python bench/ask_quality.py [--json] [--show]
For each question set: facts carried (answers that hold every labelled fact, where facts are
labelled), right citation (the labelled file among the citations), and the three outcomes
(direct answer, "not directly", "not covered") on answerable and on out-of-scope questions.
Each set is built in a fresh temporary index: the demo guidelines (knowledge/guidelines), the
council's handbook (knowledge/eval/handbook), the hospital trust's (knowledge/eval/trust), the
charity's (knowledge/eval/charity), the university's (knowledge/eval/university) and a consultancy's
toolkit for a client (knowledge/eval/firm), a retail bank's (knowledge/eval/bank) and a schools trust's
(knowledge/eval/school), written as
PDF, DOCX and Markdown by tests/handbook.py, each separately.
Sets named ``heldout`` were never used to choose a setting. ``--show`` prints every miss.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import show

from assistant.core import Assistant
from assistant.guide import Guide
from assistant.settings import REPO_ROOT, Settings
from assistant.tasks.schemas import Answer
from tests import handbook

EVAL = REPO_ROOT / "knowledge" / "eval"


def normal(text: str) -> str:
    """Lower case, one kind of apostrophe and dash, single spaces: what facts are matched on."""
    text = text.lower().replace("’", "'").replace("‑", "-").replace("–", "-")
    return re.sub(r"\s+", " ", text)


def carries(answer: Answer, facts: list[list[str]]) -> bool:
    """Whether the answer's text holds every fact (any one wording of each)."""
    text = normal(answer.answer)
    return all(any(normal(w) in text for w in fact) for fact in facts)


def score(guide: Guide, answerable: list[dict[str, Any]], outside: list[str], misses: list[str]) -> dict:
    """The figures for one question set; what went wrong is appended to ``misses``."""
    counts = {"direct": 0, "closest": 0, "not_covered": 0}
    cited = facts = labelled = 0
    for item in answerable:
        answer = guide.ask(item["question"])
        counts[answer.outcome] += 1
        right = any(c.source == item["source"] for c in answer.citations)
        cited += right
        ok = True
        if "facts" in item:
            labelled += 1
            ok = carries(answer, item["facts"])
            facts += ok
        if not (right and ok and answer.outcome == "direct"):
            misses.append(f"[{answer.outcome}] {item['question']}\n    -> {answer.answer[:300]}")
    away = {"direct": 0, "closest": 0, "not_covered": 0}
    for question in outside:
        answer = guide.ask(question)
        away[answer.outcome] += 1
        if answer.outcome == "direct":
            misses.append(f"[out of scope, direct] {question}\n    -> {answer.answer[:300]}")
    n, m = len(answerable), max(len(outside), 1)
    result = {
        "answerable": n,
        "facts_carried": round(facts / labelled, 3) if labelled else None,
        "cites_right_file": round(cited / n, 3),
        "direct": round(counts["direct"] / n, 3),
        "not_directly": round(counts["closest"] / n, 3),
        "not_covered": round(counts["not_covered"] / n, 3),
        "out_of_scope": len(outside),
        "out_of_scope_direct": round(away["direct"] / m, 3),
        "out_of_scope_not_directly": round(away["closest"] / m, 3),
        "out_of_scope_not_covered": round(away["not_covered"] / m, 3),
    }
    return result


def sets() -> list[tuple[str, str, list[dict[str, Any]], list[str]]]:
    """(name, corpus, answerable, out of scope) for every labelled set."""
    demo = yaml.safe_load((EVAL / "questions.yaml").read_text())
    held = yaml.safe_load((EVAL / "heldout.yaml").read_text())
    found = [
        ("demo_labelled", "demo", demo["answerable"], demo["out_of_scope"]),
        ("demo_heldout", "demo", held["answerable"], held["out_of_scope"]),
    ]
    for corpus, source in handbook.SOURCES.items():
        labelled = handbook.questions(source)
        for part in ("tune", "heldout"):
            questions = labelled[part]
            answerable = questions["answerable"] + questions.get("answerable_more", [])
            found.append((f"{corpus}_{part}", corpus, answerable, questions["out_of_scope"]))
    return found


def main() -> None:
    """Print the figures per set (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", action="store_true", help="print every question that missed")
    parser.add_argument("--only", help="run only the sets whose name contains this")
    args = parser.parse_args()
    result: dict[str, Any] = {}
    guides: dict[str, Guide] = {}
    with tempfile.TemporaryDirectory() as home:
        for name, corpus, answerable, outside in sets():
            if args.only and args.only not in name:
                continue
            if corpus not in guides:
                assistant = Assistant(Settings(home=Path(home) / corpus, llm="offline"))
                if corpus == "demo":
                    assistant.ingest([assistant.default_guidelines])
                else:
                    files = handbook.build(Path(home) / corpus / "files", handbook.SOURCES[corpus])
                    assistant.ingest(files)
                guides[corpus] = Guide(assistant, model=None)
            misses: list[str] = []
            figures = score(guides[corpus], answerable, outside, misses)
            result |= {f"{name}.{k}": v for k, v in figures.items()}
            if args.show and not args.json:
                print(f"\n## {name}: {len(misses)} misses")
                print("\n".join(misses))
    show(result, args.json)


if __name__ == "__main__":
    main()
