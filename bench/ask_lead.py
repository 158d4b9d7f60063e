"""Choose how many sentences `ask`'s answer leads with, on the handbooks' tuning questions.

Usage: python bench/ask_lead.py [--home DIR] [--write]
Every `tune` question labelled with facts, on the six handbooks written apart from the demo
(knowledge/eval/handbook, trust, charity, university, firm, bank; built by tests/handbook.py), is read
once as `ask` reads it (assistant.tasks.ask.read); then, for each setting of the lead's margins
(knowledge/ask_lead.yaml: `lead`, `close_enough`, `support`, `support_gap`), the lead is chosen
again and checked for the labelled facts. A longer lead carries more facts and reads longer, so
the setting kept is the one that carries the most (mean over the handbooks) while the lead stays
at most MAX_WORDS words on average, what a person reads in one go, and draws on two passages at
most (more read as snippets stitched together: "How often do pairs meet?" went on with a sentence
on awkward conversations from a third section); of settings within TOLERANCE of the most facts,
the one that reads shortest. The held-out questions are
never read here. ``--home`` keeps the built indexes between runs; ``--write`` stores the margins.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ask_quality import normal

from assistant.core import Assistant
from assistant.guide import Guide
from assistant.render import plain
from assistant.settings import REPO_ROOT, Settings
from assistant.tasks import ask
from tests import handbook

MAX_WORDS = 75
TOLERANCE = (
    0.01  # a setting that carries nearly as many facts (one question in a hundred) in fewer words wins
)
GRID = {
    "lead": (1, 2),  # sentences from other passages read as stitched snippets: two places at most
    "close_enough": (0.08, 0.12, 0.16, 0.25),
    "support": (1, 2, 3),
    "support_gap": (0.15, 0.3, 0.5),
}


def readings(home: Path) -> list[tuple[str, list[list[str]], ask.Reading]]:
    """(handbook, facts, reading) for every tuning question labelled with facts."""
    found = []
    for corpus, source in handbook.SOURCES.items():
        assistant = Assistant(Settings(home=home / corpus, llm="offline"))
        if not assistant.index.count("guidelines"):
            assistant.ingest(handbook.build(home / corpus / "files", source))
        guide = Guide(assistant, model=None)
        tune = handbook.questions(source)["tune"]
        for item in tune["answerable"] + tune.get("answerable_more", []):
            if "facts" in item:
                found.append((corpus, item["facts"], ask.read(guide, item["question"])))
    return found


def judge(
    rows: list[tuple[str, list[list[str]], ask.Reading]], margins: dict[str, Any]
) -> tuple[dict, float]:
    """Per handbook, the share of questions whose lead holds every fact; and the lead's mean words."""
    carried: dict[str, list[bool]] = {}
    words = []
    for corpus, facts, reading in rows:
        text = normal(" ".join(plain(c.text) for c in reading.lead_with(margins)))
        carried.setdefault(corpus, []).append(all(any(normal(w) in text for w in f) for f in facts))
        words.append(len(re.findall(r"\S+", text)))
    return {k: float(np.mean(v)) for k, v in carried.items()}, float(np.mean(words))


def main() -> None:
    """Print every setting's figures, the current one's and the one kept; store it with --write."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, help="keep the built indexes here (reused when present)")
    parser.add_argument("--write", action="store_true", help="store the margins in knowledge/ask_lead.yaml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        rows = readings(args.home or Path(temporary))
    current = {k: v for k, v in ask._lead_model().items() if k in GRID}
    results = []
    for values in itertools.product(*GRID.values()):
        margins = dict(zip(GRID, values))
        facts, words = judge(rows, margins)
        results.append((float(np.mean(list(facts.values()))), words, margins, facts))
    short = [r for r in results if r[1] <= MAX_WORDS]
    most = max(r[0] for r in short)
    kept = min((r for r in short if r[0] >= most - TOLERANCE), key=lambda r: r[1])
    print(f"{len(rows)} tuning questions; facts carried (mean over handbooks), lead words, margins")
    for mean, words, margins, facts in sorted(results, key=lambda r: (-r[0], r[1]))[:15]:
        print(f"  {mean:.3f} {words:5.1f} {margins} " + " ".join(f"{k}={v:.3f}" for k, v in facts.items()))
    facts, words = judge(rows, current)
    print(f"current: {np.mean(list(facts.values())):.3f} {words:.1f} {current}")
    print(f"kept (at most {MAX_WORDS} words): {kept[0]:.3f} {kept[1]:.1f} {kept[2]}")
    if args.write:
        path = REPO_ROOT / "knowledge" / ask.LEAD_FILE
        text = path.read_text()
        for key, value in kept[2].items():
            text = re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", text)
        path.write_text(text)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
