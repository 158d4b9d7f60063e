"""Pairing benchmark: time to match generated cohorts of 10, 100 and 1,000 participants.

Usage: python bench/pairings.py [--json] [--repeat 3] [--sizes 10 100 1000]
Prints the best wall time of ``suggest`` per cohort size (budget: 2 s for 1,000), plus the
number of pairs and forbidden (management-chain) combinations in each cohort. The cohorts
come from ``cohort()``, which the tests use too.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.availability import DAYS
from assistant.knowledge import load_knowledge
from assistant.pairing import score_cohort, suggest
from assistant.profiles import Participant
from assistant.settings import REPO_ROOT

TOPICS = load_knowledge(REPO_ROOT / "knowledge").topics
DEPARTMENTS = [
    "Operations",
    "Finance",
    "Commercial",
    "People",
    "Technology",
    "Logistics",
    "Marketing",
    "Legal",
]
ZONES = ["Europe/London", "Europe/Paris", "Europe/Oslo", "America/New_York", "Asia/Singapore", "UTC+05:30"]
BUDGET_SECONDS = 2.0


def _skills(rng: random.Random, direction: str, k: int) -> tuple[str, ...]:
    """Catalog topics of one direction, written as a topic id, a title or a keyword."""
    topics = rng.sample([t for t in TOPICS if t.direction in (direction, "both")], k)
    return tuple(rng.choice([t.id, t.title, *t.keywords[:2]]) for t in topics)


def _clock(quarter: int) -> str:
    return f"{quarter // 4:02d}:{quarter % 4 * 15:02d}"


def _slots(rng: random.Random) -> tuple[str, ...]:
    slots = []
    for _ in range(rng.randint(1, 3)):
        start = rng.randrange(8 * 4, 16 * 4)
        end = start + rng.choice([4, 6, 8])
        slots.append(f"{rng.choice(DAYS[:5]).title()} {_clock(start)}-{_clock(end)}")
    return tuple(slots)


def cohort(size: int, seed: int = 0) -> tuple[list[Participant], list[Participant]]:
    """A fictional cohort of ``size`` mentors and executives, plus the staff on their reporting lines.

    Executives report to the chief executive or to another executive; team leads report to
    executives; mentors report to a team lead or straight to an executive. Chains are several
    levels deep, so the management-chain rule has to look beyond direct managers.

    Returns:
        ``(participants, staff)``.
    """
    rng = random.Random(seed)
    n_exec = size // 2
    n_mentor = size - n_exec
    staff = [Participant(id="ceo", name="Casey Chief", role="staff", department="Executive Office")]
    executives: list[Participant] = []
    for i in range(n_exec):
        boss = rng.choice([None, *executives[-20:]]) if executives else None
        department = boss.department if boss and rng.random() < 0.7 else rng.choice(DEPARTMENTS)
        executives.append(
            Participant(
                id=f"e{i:04d}",
                name=f"Exec {i}",
                role="executive",
                department=department,
                manager_id=boss.id if boss else "ceo",
                teaches=_skills(rng, "executive_to_mentor", rng.randint(2, 5)),
                learns=_skills(rng, "mentor_to_executive", rng.randint(2, 5)),
                time_zone=rng.choice(ZONES),
                availability=_slots(rng),
            )
        )
    leads = []
    for i in range(max(1, n_mentor // 5)):
        boss = rng.choice(executives) if executives else staff[0]
        leads.append(
            Participant(
                id=f"t{i:04d}", name=f"Lead {i}", role="staff", department=boss.department, manager_id=boss.id
            )
        )
    staff += leads
    mentors = []
    for i in range(n_mentor):
        boss = rng.choice(leads) if rng.random() < 0.8 or not executives else rng.choice(executives)
        mentors.append(
            Participant(
                id=f"m{i:04d}",
                name=f"Mentor {i}",
                role="mentor",
                department=boss.department,
                manager_id=boss.id,
                teaches=_skills(rng, "mentor_to_executive", rng.randint(2, 5)),
                learns=_skills(rng, "executive_to_mentor", rng.randint(2, 5)),
                time_zone=rng.choice(ZONES),
                availability=_slots(rng),
            )
        )
    return [*mentors, *executives], staff


def main() -> None:
    """Time the matching for each cohort size and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        people, staff = cohort(size, seed=size)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            matching = suggest(people, TOPICS, directory=staff)
            times.append(time.perf_counter() - start)
        forbidden = int(score_cohort(people, TOPICS, directory=staff).forbidden.sum())
        results.append(
            {
                "participants": size,
                "pairs": len(matching.pairs),
                "forbidden_combinations": forbidden,
                "seconds": round(min(times), 4),
                "within_budget": min(times) <= BUDGET_SECONDS,
            }
        )
    if args.json:
        print(json.dumps({"budget_seconds": BUDGET_SECONDS, "runs": results}, indent=2))
    else:
        for r in results:
            print(
                f"{r['participants']:>5} participants: {r['pairs']:>4} pairs in {r['seconds'] * 1000:.1f} ms"
            )


if __name__ == "__main__":
    main()
