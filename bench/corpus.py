"""A deterministic synthetic corpus of session notes for benchmarks."""

from __future__ import annotations

import datetime as dt
import random

from assistant.store import Note

SUBJECTS = [
    "the AI assistant pilot",
    "our Teams channel",
    "the sales dashboard",
    "LinkedIn posting",
    "hybrid work norms",
    "inclusive meetings",
    "the budget cycle",
    "the board presentation",
    "supplier negotiations",
    "the customer app reviews",
    "cybersecurity habits",
    "the intranet search",
    "feedback culture",
    "graduate onboarding",
    "the warehouse automation plan",
    "stakeholder maps",
]
VERBS = [
    "walked through",
    "tried",
    "argued about",
    "sketched",
    "reviewed",
    "practised",
    "questioned",
    "demoed",
]
MOODS = [
    "It went well and we ran over time.",
    "Friction: the session started late again.",
    "Good energy, lots of questions.",
    "Felt a bit one-sided today.",
    "Short session, phone kept buzzing.",
    "We both left with homework.",
    "Candid conversation about expectations.",
]
ACTIONS = [
    "share the slide deck",
    "book the next slot",
    "set up a test channel",
    "read the quarterly report",
    "try the summarise feature",
    "draft three LinkedIn posts",
    "invite a colleague to observe",
]
NAMES = ["Ana", "Ben", "Chloe", "Dev", "Emeka", "Fay", "Gus", "Hana"]


def synthetic_notes(count: int, pairs: int = 50, seed: int = 7) -> list[Note]:
    """``count`` short notes (one chunk each) spread over ``pairs`` pairs with mixed visibility."""
    rng = random.Random(seed)
    start = dt.date(2026, 1, 5)
    notes = []
    for i in range(count):
        pair = i % pairs
        lines = [
            f"We {rng.choice(VERBS)} {rng.choice(SUBJECTS)} and {rng.choice(VERBS)} {rng.choice(SUBJECTS)}.",
            rng.choice(MOODS),
            f"- [ ] {rng.choice(NAMES)}: {rng.choice(ACTIONS)}",
            f"- [x] {rng.choice(NAMES)}: {rng.choice(ACTIONS)}",
        ]
        if rng.random() < 0.5:
            lines.insert(1, f"Follow-up on {rng.choice(SUBJECTS)}: {rng.choice(MOODS).lower()}")
        notes.append(
            Note(
                id=f"bench-{i:05d}",
                pair_id=f"pair-{pair:02d}",
                author_id=f"mentor-{pair:02d}" if i % 2 else f"exec-{pair:02d}",
                date=start + dt.timedelta(days=i % 300),
                visibility=rng.choice(["pair", "pair", "pair", "program", "private"]),
                text="\n".join(lines),
            )
        )
    return notes


def synthetic_queries(count: int, seed: int = 11) -> list[str]:
    """Distinct queries (no two alike, so no query-embedding cache hits)."""
    rng = random.Random(seed)
    asks = [
        "what did we decide about",
        "any notes on",
        "how did it go with",
        "open actions for",
        "remind me of",
    ]
    return [f"{rng.choice(asks)} {rng.choice(SUBJECTS)} #{n}" for n in range(count)]
