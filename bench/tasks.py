"""Offline-mode task benchmark on the demo program, plus ask quality on the labeled questions.

Usage: python bench/tasks.py [--json] [--repeat 20]
Prints p50 latency per task (in-process, warm), and for ``ask``: how often it cites the
right document, abstains on out-of-scope questions, and abstains on answerable ones; the same
on the held-out questions (knowledge/eval/heldout.yaml), which no threshold was chosen on.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import show

from assistant.core import Assistant
from assistant.demo import load_demo
from assistant.guide import Guide
from assistant.settings import REPO_ROOT, Settings

QUESTIONS = yaml.safe_load((REPO_ROOT / "knowledge" / "eval" / "questions.yaml").read_text())
HELD_OUT = yaml.safe_load((REPO_ROOT / "knowledge" / "eval" / "heldout.yaml").read_text())


def ask_quality(guide: Guide, questions: dict[str, list], prefix: str) -> dict[str, float | int]:
    """How often ``ask`` cites the labeled document, and how often it abstains on each kind."""
    answerable, outside = questions["answerable"], questions["out_of_scope"]
    answers = [(item, guide.ask(item["question"])) for item in answerable]
    answered = [(item, answer) for item, answer in answers if not answer.abstained]
    cited = sum(any(c.source == item["source"] for c in answer.citations) for item, answer in answered)
    return {
        f"{prefix}questions": len(answerable),
        f"{prefix}cites_right_document": round(cited / max(len(answered), 1), 3),
        f"{prefix}abstains_answerable": round(1 - len(answered) / len(answerable), 3),
        f"{prefix}abstains_out_of_scope": round(
            sum(guide.ask(q).abstained for q in outside) / len(outside), 3
        ),
        f"{prefix}out_of_scope_questions": len(outside),
    }


def p50_ms(call: Callable[[int], object], repeat: int) -> float:
    """Median wall time of ``call(i)`` over ``repeat`` runs, in milliseconds."""
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        call(i)
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def main() -> None:
    """Run every task on the demo program and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        assistant = Assistant(Settings(home=Path(home), llm="offline"))
        load_demo(assistant)
        guide = Guide(assistant, model=None)
        pairs = [(p["id"], p["mentor_id"], p["executive_id"]) for p in assistant.list_pairs()]
        answerable = QUESTIONS["answerable"]
        guide.topics(pairs[0][0], pairs[0][1])  # warm the embedder and the catalog vectors
        guide.coach("warm up")
        n = args.repeat
        result: dict[str, float | int] = {
            "ask_p50_ms": p50_ms(lambda i: guide.ask(answerable[i % len(answerable)]["question"]), n),
            "topics_p50_ms": p50_ms(
                lambda i: guide.topics(pairs[i % len(pairs)][0], pairs[i % len(pairs)][1]), n
            ),
            "coach_p50_ms": p50_ms(
                lambda i: guide.coach(
                    f"he cancelled again ({i})", pairs[i % len(pairs)][0], pairs[i % len(pairs)][1]
                ),
                n,
            ),
            "agenda_p50_ms": p50_ms(
                lambda i: guide.agenda(pairs[i % len(pairs)][0], pairs[i % len(pairs)][2]), n
            ),
            "brief_p50_ms": p50_ms(
                lambda i: guide.brief(pairs[i % len(pairs)][0], pairs[i % len(pairs)][2]), n
            ),
        }
        result |= ask_quality(guide, QUESTIONS, "ask_")
        result |= ask_quality(guide, HELD_OUT, "held_out_ask_")
    show(result, args.json)


if __name__ == "__main__":
    main()
