"""Dialogue benchmark: intent, slot and follow-up accuracy of the offline chat on labelled conversations.

Usage: python bench/dialogue.py [--json] [--part PART|all] [--show-errors] [--turns] [--cv]
Runs every conversation of the parts in knowledge/eval/dialogue/ (dev, tune, review, fresh, fresh2,
heldout) through the chat as its user, each part on a fresh copy of the demo program of its own (no part
meets the notes or sessions another wrote), and reports per part:
- intent_accuracy: turns whose understood intent is the labelled one;
- slot_accuracy: labelled slots (focus, minutes, count, ref, change) the chat got right, and
  slot_<name> for each of them;
- intent_<label>: of the turns labelled with that intent, how many were understood so ("right/labelled");
- change_<kind>: of the edits labelled with that kind of change, how many were read so; focus_in_<intent>:
  of the turns labelled with a focus, by their intent, how many got it;
- misread_intent / misread_change ("labelled>understood" and how often) and misread_focus (none found, or
  another subject): what the misses were, without their wording;
- followups_resolved: expand/edit turns with the right intent, slots and earlier answer;
- answer_checks: turns whose answer holds every `must` and none of the `must_not` strings;
- turn_p50_ms / turn_p99_ms: in-process time per turn.
dev, tune, review and fresh to fresh6 are what the phrase lists were tuned on; heldout never is.
With --turns it also scores turns.yaml (single turns, each after a kind of answer with typical items):
turns_followups_kind (read as the right kind of follow-up), turns_followups_resolved (and its slots),
turns_new_requests, turns_first_intents.
With --cv it also estimates how the intent classifier generalises, on what it was not fitted on:
exact leave-one-out accuracy over the examples for several penalties (how L2 was chosen), and,
fitted on all examples, its accuracy alone on each part's turns labelled with a request intent.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import show

from assistant.chat import Chat
from assistant.core import Assistant
from assistant.demo import load_demo
from assistant.dialogue import State
from assistant.errors import AssistantError
from assistant.guide import Guide
from assistant.intent_model import features, leave_one_out
from assistant.settings import REPO_ROOT, Settings

SETS = REPO_ROOT / "knowledge" / "eval" / "dialogue"
SLOTS = ("focus", "minutes", "count", "ref", "change")
PARTS = (
    "dev",
    "tune",
    "review",
    "fresh",
    "fresh2",
    "fresh3",
    "fresh4",
    "fresh5",
    "fresh6",
    "fresh7",
    "fresh8",
    "fresh9",
    "fresh10",
    "fresh11",
    "fresh12",
    "fresh13",
    "fresh14",
    "fresh15",
    "fresh16",
    "fresh17",
    "fresh18",
    "fresh19",
    "fresh20",
    "fresh21",
    "fresh22",
    "fresh23",
    "fresh24",
    "fresh25",
    "fresh26",
    "fresh27",
    "fresh28",
    "fresh29",
    "fresh30",
    "fresh31",
    "fresh32",
    "fresh33",
    "fresh34",
    "fresh35",
    "fresh36",
    "fresh37",
    "fresh38",
    "fresh39",
    "fresh40",
    "fresh41",
    "fresh42",
    "fresh43",
    "fresh44",
    "fresh45",
    "fresh46",
    "fresh47",
    "fresh48",
    "fresh49",
    "fresh50",
    "fresh51",
    "fresh52",
    "fresh53",
    "fresh54",
    "fresh55",
    "fresh56",
    "fresh57",
    "fresh58",
    "fresh59",
    "heldout",
)


def slot_ok(name: str, expected: Any, got: Any) -> bool:
    """Whether a predicted slot matches its label (a focus may differ in plural or extra words)."""
    if name != "focus" or expected is None or got is None:
        return expected == got
    want, have = str(expected).lower(), str(got).lower()
    return want == have or want.rstrip("s") in have or have.rstrip("s") in want


def run_part(chat: Chat, conversations: list[dict[str, Any]], errors: list[str]) -> dict[str, float]:
    """Figures for one part."""
    intents = slots = slots_right = follow = follow_right = checks = checks_right = turns = right = 0
    times: list[float] = []
    per_slot: dict[str, list[int]] = {name: [0, 0] for name in SLOTS}  # right, labelled
    per_intent: dict[str, list[int]] = {}  # right, labelled
    per_change: dict[str, list[int]] = {}  # an edit's kind: right, labelled
    focus_by_intent: dict[str, list[int]] = {}  # a focus, by the intent it was said with
    misread: dict[str, Counter[str]] = {"intent": Counter(), "change": Counter(), "focus": Counter()}
    for conversation in conversations:
        cid = None
        for turn in conversation["turns"]:
            start = time.perf_counter()
            try:
                reply = chat.reply(conversation["user"], turn["say"], cid)
            except AssistantError as exc:
                errors.append(f"{conversation['id']} {turn['say']!r}: refused: {exc}")
                turns += 1
                continue
            times.append(time.perf_counter() - start)
            cid = reply.conversation_id
            turns += 1
            expected = turn["intent"]
            got = reply.intent
            intents += got == expected
            recall = per_intent.setdefault(expected, [0, 0])
            recall[0] += got == expected
            recall[1] += 1
            wanted = {k: v for k, v in (turn.get("slots") or {}).items() if k in SLOTS}
            good = {k: slot_ok(k, v, reply.slots.get(k)) for k, v in wanted.items()}
            slots += len(good)
            slots_right += sum(good.values())
            for name, ok in good.items():
                per_slot[name][0] += ok
                per_slot[name][1] += 1
            for tally, key, ok in (
                (per_change, wanted.get("change"), good.get("change")),
                (focus_by_intent, expected if "focus" in wanted else None, good.get("focus")),
            ):
                if key is not None:
                    tally.setdefault(str(key), [0, 0])[0] += bool(ok)
                    tally[str(key)][1] += 1
            if got != expected:
                misread["intent"][f"{expected}>{got}"] += 1
            if "change" in wanted and not good["change"]:
                misread["change"][f"{wanted['change']}>{reply.slots.get('change')}"] += 1
            if "focus" in wanted and not good["focus"]:
                misread["focus"]["none found" if reply.slots.get("focus") is None else "another"] += 1
            problems = []
            if got != expected:
                problems.append(f"intent {got} (want {expected})")
            problems += [
                f"{k}={reply.slots.get(k)!r} (want {wanted[k]!r})" for k, ok in good.items() if not ok
            ]
            if expected in ("expand", "edit"):
                follow += 1
                acted = reply.slots.get("task")
                resolved = got == expected and all(good.values()) and turn.get("task", acted) == acted
                follow_right += resolved
                if got == expected and turn.get("task", acted) != acted:
                    problems.append(f"acted on {acted} (want {turn.get('task')})")
            text = reply.message.lower()
            if turn.get("must") or turn.get("must_not"):
                checks += 1
                missing = [m for m in turn.get("must", []) if m.lower() not in text]
                present = [m for m in turn.get("must_not", []) if m.lower() in text]
                checks_right += not missing and not present
                problems += [f"missing {m!r}" for m in missing] + [f"holds {m!r}" for m in present]
            right += not problems
            if problems:
                errors.append(
                    f"{conversation['id']} [{conversation['user']}] {turn['say']!r}: {'; '.join(problems)}"
                )
    times.sort()
    figures = {
        "conversations": len(conversations),
        "turns": turns,
        "intent_accuracy": round(intents / max(turns, 1), 3),
        "slot_accuracy": round(slots_right / max(slots, 1), 3),
        "followups_resolved": round(follow_right / max(follow, 1), 3),
        **{f"slot_{name}": round(ok / n, 3) for name, (ok, n) in per_slot.items() if n},
        **{f"intent_{name}": f"{ok}/{n}" for name, (ok, n) in sorted(per_intent.items())},
        **{f"change_{name}": f"{ok}/{n}" for name, (ok, n) in sorted(per_change.items())},
        **{f"focus_in_{name}": f"{ok}/{n}" for name, (ok, n) in sorted(focus_by_intent.items())},
        **{
            f"misread_{kind}": ", ".join(f"{k} {n}" for k, n in tally.most_common())
            for kind, tally in misread.items()
        },
        "answer_checks": round(checks_right / checks, 3) if checks else None,
        "turn_p50_ms": round(statistics.median(times) * 1000, 1) if times else 0.0,
        "turn_p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))] * 1000, 1) if times else 0.0,
    }
    return {k: v for k, v in figures.items() if v is not None}  # no checks labelled: no figure


# Typical items of each kind of answer, for the single turns of turns.yaml (their context is a kind).
ITEMS = {
    "topics": ("Where AI tools go wrong", "Walking our digital customer journey", "Hybrid work", "LinkedIn"),
    "agenda": (
        "Check-in (both)",
        "AI tools demo (mentor)",
        "Budget trade-offs (executive)",
        "Actions (both)",
    ),
    "coach": ("Book a recurring series", "Shorten the default session", "Agree a notice rule", "Use video"),
    "brief": ("Check-in", "AI demo", "Budget", "Kai: send the AI tips"),
    "search_notes": ("2026-11-12 captions", "2026-10-08 town hall"),
    "program_health": ("Amara Obi and Rafael Ortiz: stalled", "Kai Ito and Helen Park: cancelled twice"),
    "pairing": ("Leo Marchetti with Helen Park", "Dana Whitfield with Martin Cole"),
}
STAFF_TASKS = ("program_health", "pairing", "rotation")


def run_turns(chat: Chat, program: dict[str, Any], errors: list[str]) -> dict[str, float]:
    """Figures for turns.yaml: each turn understood after an answer of its kind (or first)."""
    data = yaml.safe_load((SETS / "turns.yaml").read_text(encoding="utf-8"))
    understander = chat.understander
    people = frozenset(user["name"].split()[0].lower() for user in program["users"])
    counts: dict[str, list[int]] = {"followups_kind": [0, 0], "followups_resolved": [0, 0]}
    counts |= {"new_requests": [0, 0], "first_intents": [0, 0]}
    for section, turns in data.items():
        for turn in turns:
            after = turn.get("after")
            state = (
                State(after, {"minutes": 45} if after == "agenda" else {}, ITEMS.get(after, ()))
                if after
                else State()
            )
            staff = turn.get("intent") in STAFF_TASKS or after in STAFF_TASKS
            got = understander.understand(turn["say"], state, "coordinator" if staff else "mentor", people)
            if section == "followups":
                want = "expand" if turn["kind"] == "expand" else "edit"
                kind = got.intent == want and (want == "expand" or got.slots.get("change") == turn["kind"])
                slots = all(got.slots.get(k) == turn[k] for k in ("ref", "minutes", "count") if k in turn)
                focus = "focus" not in turn or slot_ok("focus", turn["focus"], got.slots.get("focus"))
                ok = kind and slots and focus
                counts["followups_kind"][0] += kind
                counts["followups_kind"][1] += 1
                counts["followups_resolved"][0] += ok
                counts["followups_resolved"][1] += 1
                wanted = f"{want} {turn['kind']}"
            else:
                ok = got.intent == turn["intent"]
                key = "new_requests" if section == "new_requests" else "first_intents"
                counts[key][0] += ok
                counts[key][1] += 1
                wanted = turn["intent"]
            if not ok:
                errors.append(
                    f"turns [{after or '-'}] {turn['say']!r}: {got.intent} {got.slots} (want {wanted})"
                )
    return {f"turns_{k}": round(ok / n, 3) for k, (ok, n) in counts.items() if n}


PENALTIES = (0.03, 0.1, 0.3, 1.0, 3.0)


def cv_figures(chat: Chat, parts: list[str]) -> dict[str, float]:
    """Leave-one-out accuracy over the examples per penalty, and the classifier alone on each part."""
    understander = chat.understander
    names = list(understander.lexicon.intents)
    texts = [
        understander.normalise(t) for spec in understander.lexicon.intents.values() for t in spec.examples
    ]
    labels = np.array(
        [i for i, spec in enumerate(understander.lexicon.intents.values()) for _ in spec.examples]
    )
    x = features(understander.embed(texts), texts)
    result = {f"cv_loo_l2_{l2:g}": round(acc, 3) for l2, acc in leave_one_out(x, labels, PENALTIES).items()}
    for part in parts:
        data = yaml.safe_load((SETS / f"{part}.yaml").read_text(encoding="utf-8"))
        turns = [(understander.normalise(t["say"]), t["intent"]) for c in data for t in c["turns"]]
        turns = [(say, intent) for say, intent in turns if intent in names]
        says = [say for say, _ in turns]
        scores = understander._model.scores(features(understander.embed(says), says))
        right = [names[int(i)] == intent for i, (_, intent) in zip(scores.argmax(axis=1), turns, strict=True)]
        result[f"cv_{part}_classifier_alone"] = round(float(np.mean(right)), 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--part", choices=(*PARTS, "all"), default="all")
    parser.add_argument("--show-errors", action="store_true", help="list every turn that went wrong (stderr)")
    parser.add_argument(
        "--turns", action="store_true", help="also score turns.yaml's single turns (after a kind of answer)"
    )
    parser.add_argument(
        "--cv", action="store_true", help="also estimate the intent classifier's generalisation"
    )
    args = parser.parse_args()
    found = [p for p in PARTS if (SETS / f"{p}.yaml").exists()]
    parts = found if args.part == "all" else [args.part]
    with tempfile.TemporaryDirectory() as root:
        template = Path(root) / "demo"
        assistant = Assistant(Settings(home=template, knowledge_dir=REPO_ROOT / "knowledge"))
        program = load_demo(assistant)
        Chat(Guide(assistant, model=None)).understander.warm()  # the examples' vectors, saved for every copy

        def fresh(name: str) -> Chat:
            """A chat over a copy of the demo program of its own: no part meets another's writes."""
            shutil.copytree(template, Path(root) / name)
            settings = Settings(home=Path(root) / name, knowledge_dir=REPO_ROOT / "knowledge")
            return Chat(Guide(Assistant(settings), model=None))

        result: dict[str, Any] = {}
        for part in parts:
            errors: list[str] = []
            data = yaml.safe_load((SETS / f"{part}.yaml").read_text(encoding="utf-8"))
            for key, value in run_part(fresh(part), data, errors).items():
                result[f"{part}_{key}"] = value
            if args.show_errors:
                print(f"--- {part}: {len(errors)} turns with problems", file=sys.stderr)
                for line in errors:
                    print(line, file=sys.stderr)
        if args.turns:
            errors = []
            result.update(run_turns(fresh("turns"), program, errors))
            if args.show_errors:
                print(f"--- turns: {len(errors)} with problems", file=sys.stderr)
                print("\n".join(errors), file=sys.stderr)
        if args.cv:
            result.update(cv_figures(fresh("cv"), parts))
    show(result, args.json)


if __name__ == "__main__":
    main()
