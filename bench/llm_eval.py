"""LLM-mode evaluation: how the configured model does on the question and dialogue sets.

Usage: python bench/llm_eval.py [--json] [--limit N] [--parts questions,heldout,dev,...]

The model is the one the settings name (ASSISTANT_LLM, ASSISTANT_LLM_MODEL, ASSISTANT_LLM_BASE_URL,
an OpenAI key...); without one it says so and exits 0. On a fresh copy of the demo program it asks
the labelled and held-out questions (knowledge/eval/questions.yaml, heldout.yaml) with the ask
task, and plays the dialogue sets (knowledge/eval/dialogue/*.yaml) through the chat, and reports
per set:
- turns, and validity_rate: turns whose model answer passed every check (schema and content)
  and was used; fallback_rate and fallback_reasons: turns answered offline instead, and why;
- citation_precision: of the model's answers that cite, the share whose every cited passage
  was retrieved for that turn (by ask's search, or returned by a tool the chat called);
- abstention (questions): out-of-scope questions the model declined, answerable ones it answered;
- latency_p50_s / latency_p95_s and tokens_per_turn (input and output, from the provider's usage).
``--limit N`` takes the first N questions (answerable and out-of-scope each) or conversations
per set: a small model on a small machine takes seconds per call. Only figures are printed,
never a turn, so the held-out sets stay unread.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import show

from assistant.chat import Chat
from assistant.core import Assistant
from assistant.demo import load_demo
from assistant.errors import AssistantError
from assistant.guide import Guide
from assistant.providers import get_chat_model, provider_name, structured_method
from assistant.settings import REPO_ROOT, Settings
from assistant.tasks.chain import model_name
from assistant.tasks.sources import hit_citation

EVAL = REPO_ROOT / "knowledge" / "eval"
QUESTION_SETS = {"questions": EVAL / "questions.yaml", "heldout": EVAL / "heldout.yaml"}
DIALOGUE_SETS = {
    "dev": EVAL / "dialogue" / "dev.yaml",
    "tune": EVAL / "dialogue" / "tune.yaml",
    "review": EVAL / "dialogue" / "review.yaml",
    "heldout-dialogue": EVAL / "dialogue" / "heldout.yaml",
}
Key = tuple[str, str | None, str | None, str | None]


class Tally:
    """Figures of one set, turn by turn."""

    def __init__(self) -> None:
        self.turns = self.used = self.citing = self.precise = 0
        self.reasons: Counter[str] = Counter()
        self.latencies: list[float] = []
        self.tokens: list[tuple[int, int]] = []
        self.abstained_oos = self.oos = self.answered_in_scope = self.in_scope = 0

    def add(self, mode: str, reason: str | None, cited: list[Key], retrieved: set[Key]) -> None:
        """One turn: whether the model's answer was used, and whether its citations were retrieved."""
        self.turns += 1
        if mode != "llm":
            self.reasons[reason or "answered offline without a reason"] += 1
            return
        self.used += 1
        if cited:
            self.citing += 1
            self.precise += all(c in retrieved for c in cited)

    def figures(self) -> dict[str, Any]:
        turns = max(self.turns, 1)
        out: dict[str, Any] = {
            "turns": self.turns,
            "validity_rate": round(self.used / turns, 3),
            "fallback_rate": round((self.turns - self.used) / turns, 3),
            "fallback_reasons": dict(self.reasons.most_common()),
            "citation_precision": round(self.precise / self.citing, 3) if self.citing else None,
            "answers_citing": self.citing,
        }
        if self.oos or self.in_scope:
            out["abstained_out_of_scope"] = round(self.abstained_oos / max(self.oos, 1), 3)
            out["answered_in_scope"] = round(self.answered_in_scope / max(self.in_scope, 1), 3)
        if self.latencies:
            ordered = sorted(self.latencies)
            out["latency_p50_s"] = round(statistics.median(ordered), 2)
            out["latency_p95_s"] = round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2)
        if self.tokens:
            out["input_tokens_per_turn"] = round(statistics.mean(t[0] for t in self.tokens), 1)
            out["output_tokens_per_turn"] = round(statistics.mean(t[1] for t in self.tokens), 1)
        return out


class Usage:
    """Token usage the provider reported, read through LangChain's callback on the model."""

    def __init__(self, model: Any) -> None:
        from langchain_core.callbacks import UsageMetadataCallbackHandler

        self.handler = UsageMetadataCallbackHandler()
        model.callbacks = [*(model.callbacks or []), self.handler]

    def totals(self) -> tuple[int, int]:
        used = self.handler.usage_metadata.values()
        return sum(u.get("input_tokens", 0) for u in used), sum(u.get("output_tokens", 0) for u in used)

    @contextmanager
    def turn(self, tally: Tally) -> Iterator[None]:
        """Time one turn and count its tokens."""
        before, began = self.totals(), time.perf_counter()
        yield
        tally.latencies.append(time.perf_counter() - began)
        after = self.totals()
        tally.tokens.append((after[0] - before[0], after[1] - before[1]))


@contextmanager
def recording(obj: Any, name: str, keys: Callable[[Any], list[Key]], into: set[Key]) -> Iterator[None]:
    """Wrap ``obj.name`` so the passages it returns are added to ``into``."""
    original = getattr(obj, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        out = original(*args, **kwargs)
        into.update(keys(out))
        return out

    setattr(obj, name, wrapped)
    try:
        yield
    finally:
        setattr(obj, name, original)


def run_questions(guide: Guide, usage: Usage, path: Path, limit: int | None) -> dict[str, Any]:
    """Ask each question (answerable and out of scope) with the ask task."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    tally = Tally()
    for scope in ("answerable", "out_of_scope"):
        for item in (data.get(scope) or [])[:limit]:
            retrieved: set[Key] = set()
            hits = recording(
                guide, "find_guidelines", lambda hs: [hit_citation(h).key for h in hs], retrieved
            )
            with hits, usage.turn(tally):
                answer = guide.ask(item if isinstance(item, str) else item["question"])
            cited = [c.key for c in answer.citations]
            tally.add(answer.mode, answer.fallback_reason, cited, retrieved)
            if answer.mode != "llm":
                continue
            if scope == "out_of_scope":
                tally.oos += 1
                tally.abstained_oos += answer.abstained
            else:
                tally.in_scope += 1
                tally.answered_in_scope += not answer.abstained
    return tally.figures()


def run_dialogues(chat: Chat, usage: Usage, path: Path, limit: int | None) -> dict[str, Any]:
    """Play each conversation through the chat as its user; tools' returned passages count as retrieved."""
    conversations = yaml.safe_load(path.read_text(encoding="utf-8"))[:limit]
    tally = Tally()
    refused = 0
    for conversation in conversations:
        cid = None
        for turn in conversation["turns"]:
            retrieved: set[Key] = set()
            tools = recording(chat.tools, "call", lambda r: [c.key for c in r.citations], retrieved)
            try:
                with tools, usage.turn(tally):
                    reply = chat.reply(conversation["user"], turn["say"], cid)
            except AssistantError:
                refused += 1
                continue
            cid = reply.conversation_id
            cited = [
                (c["kind"], c.get("source"), c.get("section"), c.get("note_id")) for c in reply.citations
            ]
            tally.add(reply.mode, reply.fallback_reason, cited, retrieved)
    return {**tally.figures(), "conversations": len(conversations), "refused": refused}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.add_argument("--limit", type=int, default=None, help="questions or conversations per set")
    parser.add_argument("--parts", default=",".join([*QUESTION_SETS, *DIALOGUE_SETS]))
    args = parser.parse_args()
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = [p for p in parts if p not in QUESTION_SETS and p not in DIALOGUE_SETS]
    if unknown or (args.limit is not None and args.limit < 1):
        known = ", ".join([*QUESTION_SETS, *DIALOGUE_SETS])
        print(f"--parts takes {known}, and --limit a positive number.", file=sys.stderr)
        sys.exit(2)
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home), knowledge_dir=REPO_ROOT / "knowledge")
        try:
            model = get_chat_model(settings)
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            sys.exit(2)
        if model is None:
            note = "No model is configured (set ASSISTANT_LLM_MODEL with a provider, a key or a base URL)."
            show({"model": None, "note": note}, args.json)
            return
        assistant = Assistant(settings)
        load_demo(assistant)
        guide = Guide(assistant, model=model)
        chat = Chat(guide)
        usage = Usage(model)
        result: dict[str, Any] = {
            "provider": provider_name(settings),
            "model": model_name(model),
            "structured_output": structured_method(settings, model),
            "timeout_s": settings.llm_timeout,
            "limit": args.limit,
        }
        began = time.perf_counter()
        for part in parts:
            if part in QUESTION_SETS:
                result[part] = run_questions(guide, usage, QUESTION_SETS[part], args.limit)
            else:
                result[part] = run_dialogues(chat, usage, DIALOGUE_SETS[part], args.limit)
        result["seconds"] = round(time.perf_counter() - began, 1)
    show(result, args.json)


if __name__ == "__main__":
    main()
