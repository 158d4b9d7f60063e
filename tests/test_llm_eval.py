"""bench/llm_eval.py: without a model it says so; its figures count what they say they count."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from assistant.settings import REPO_ROOT
from bench.llm_eval import Tally

SCRIPT = str(REPO_ROOT / "bench" / "llm_eval.py")
GUIDE = ("guideline", "roles.md", "Mentor", None)
NOTE = ("note", None, None, "priya-martin-01")


def offline_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_LLM") and k != "OPENAI_API_KEY"}
    return {**env, "ASSISTANT_LLM": "offline"}


def test_without_a_model_it_says_so_and_exits_0() -> None:
    done = subprocess.run(
        [sys.executable, SCRIPT, "--json"], env=offline_env(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["model"] is None and "No model is configured" in report["note"]


def test_unknown_parts_are_refused_in_a_sentence() -> None:
    done = subprocess.run(
        [sys.executable, SCRIPT, "--parts", "everything"],
        env=offline_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "--parts takes" in done.stderr


def test_figures() -> None:
    tally = Tally()
    tally.add("llm", None, [GUIDE], {GUIDE, NOTE})  # cites what was retrieved
    tally.add("llm", None, [GUIDE, NOTE], {GUIDE})  # one citation was not retrieved
    tally.add("llm", None, [], set())  # answers without citing
    tally.add("offline", "the model did not answer within 30 s", [GUIDE], {GUIDE})
    figures = tally.figures()
    assert (figures["turns"], figures["validity_rate"], figures["fallback_rate"]) == (4, 0.75, 0.25)
    assert figures["fallback_reasons"] == {"the model did not answer within 30 s": 1}
    assert (figures["citation_precision"], figures["answers_citing"]) == (0.5, 2)
