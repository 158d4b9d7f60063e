"""Load the default guidelines and the fictional demo program (safe to run again)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assistant import program
from assistant.coordinator import Coordinator
from assistant.core import Assistant
from assistant.outbox import enqueue
from assistant.store import Note, Pair, User


def read_demo(path: Path) -> dict[str, Any]:
    """Parse the demo program file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path} does not hold a demo program.")
    return data


def note_ids(data: dict[str, Any]) -> list[str]:
    """Stable ids for the demo notes: ``<pair>-<n>`` in file order per pair."""
    counters: dict[str, int] = {}
    ids = []
    for note in data["notes"]:
        counters[note["pair"]] = counters.get(note["pair"], 0) + 1
        ids.append(f"{note['pair']}-{counters[note['pair']]:02d}")
    return ids


def load_demo(assistant: Assistant) -> dict[str, Any]:
    """Ingest the default guidelines and the demo program; returns the demo users with tokens."""
    data = read_demo(assistant.settings.knowledge_dir / "demo" / "program.yaml")
    report = assistant.ingest([assistant.default_guidelines])
    notes: list[Note] = []
    added = 0
    with assistant.session() as session:
        for user in data["users"]:
            if session.get(User, user["key"]) is None:
                program.add_user(
                    session, user["name"], user["role"], user_id=user["key"], token=user["token"]
                )
        for pair in data["pairs"]:
            if session.get(Pair, pair["key"]) is None:
                program.add_pair(
                    session,
                    pair["mentor"],
                    pair["executive"],
                    pair.get("goals", ""),
                    pair.get("start_date"),
                    pair_id=pair["key"],
                )
        for note_id, note in zip(note_ids(data), data["notes"]):
            stored = session.get(Note, note_id)
            if stored is None:
                added += 1
                stored = program.add_note(
                    session,
                    note["pair"],
                    note["author"],
                    note["date"],
                    note["text"],
                    note.get("visibility", "pair"),
                    note_id=note_id,
                )
            notes.append(stored)
        enqueue(session, [note.id for note in notes])  # indexed now; already indexed ones cost nothing
    assistant.index_pending()
    profiles = assistant.settings.knowledge_dir / "demo" / "participants.csv"
    participants = Coordinator(assistant).import_file(profiles) if profiles.exists() else {}
    return {
        "program": data.get("program"),
        "guidelines": report.as_dict(),
        "notes_added": added,
        "participants": participants,
        "users": [
            {"id": u["key"], "name": u["name"], "role": u["role"], "token": u["token"]} for u in data["users"]
        ],
        "pairs": [
            {"id": p["key"], "mentor_id": p["mentor"], "executive_id": p["executive"]} for p in data["pairs"]
        ],
    }
