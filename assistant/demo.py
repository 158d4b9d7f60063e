"""Load the default guidelines and the fictional demo program (safe to run again)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from assistant import program, pulse, ratings, sessions
from assistant.coordinator import Coordinator
from assistant.core import Assistant
from assistant.knowledge import Objective, load_objectives
from assistant.outbox import enqueue
from assistant.store import Meeting, Note, Pair, PulseAnswer, User


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


def session_id(pair: str, start: str) -> str:
    """Stable ids for the demo's listed sessions: ``<pair>-<date>`` (one a day per pair)."""
    return f"{pair}-{str(start)[:10]}"


def write_sessions(session: Session, data: dict[str, Any]) -> None:
    """The listed sessions (held without a note, cancelled, moved, planned), skipping stored ones.

    A moved session points to the pair's session on its ``moved_to`` date: a listed one, or
    the held session a note of that day belongs to (recorded here if need be).
    """
    zone = data.get("session_time_zone", "UTC")
    listed = data.get("sessions", [])
    fresh = []
    for entry in listed:
        key = session_id(entry["pair"], entry["start"])
        if session.get(Meeting, key) is None:
            pair = program.get_pair(session, entry["pair"])
            meeting = sessions.plan(
                session,
                pair,
                entry.get("planned_by"),
                str(entry["start"]),
                entry.get("time_zone", zone),
                entry.get("minutes", sessions.DEFAULT_MINUTES),
                session_id=key,
                status="held" if entry["status"] == "held" else "planned",
            )
            meeting.status, meeting.cancelled_by = entry["status"], entry.get("cancelled_by")
            fresh.append((meeting, entry))
    for meeting, entry in fresh:
        if entry.get("moved_to"):
            day = program.parse_date(str(entry["moved_to"]))
            found = sessions.on_day(session, meeting.pair_id, day)
            target = (
                found[0] if found else sessions.held_on(session, session.get_one(Pair, meeting.pair_id), day)
            )
            meeting.moved_to = target.id
    session.flush()


def write_program(session: Session, data: dict[str, Any]) -> tuple[list[Note], int]:
    """The demo's users, pairs, sessions and notes in the store (safe to run again).

    Returns every demo note and how many of them were new.
    """
    notes: list[Note] = []
    added = 0
    for user in data["users"]:
        if session.get(User, user["key"]) is None:
            program.add_user(session, user["name"], user["role"], user_id=user["key"], token=user["token"])
        person = session.get_one(User, user["key"])
        person.email = person.email or f"{user['key']}@halcyon-freight.example"  # reserved: never delivered
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
    write_sessions(session, data)
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
    return notes, added


def write_evaluation(session: Session, data: dict[str, Any], objectives: tuple[Objective, ...]) -> None:
    """The demo's pulse answers and self-ratings, through the same rules as a member's (stored ones kept)."""
    for entry in data.get("pulse", []):
        day = program.parse_date(str(entry["date"]))
        meeting = next(m for m in sessions.on_day(session, entry["pair"], day) if m.status == "held")
        if session.get(PulseAnswer, (meeting.id, entry["author"])) is None:
            pulse.answer(
                session,
                meeting,
                entry["author"],
                entry["usefulness"],
                entry["learned"],
                entry.get("comment", ""),
            )
    for entry in data.get("self_ratings", []):
        if ratings.own(session, entry["pair"], entry["author"]).get(entry["phase"]):
            continue
        pair = program.get_pair(session, entry["pair"])
        role = session.get_one(User, entry["author"]).role
        day = program.parse_date(str(entry["date"]))
        ratings.rate(session, pair, entry["author"], role, entry["phase"], entry["ratings"], objectives, day)
    session.flush()


def load_demo(assistant: Assistant) -> dict[str, Any]:
    """Ingest the default guidelines and the demo program; returns the demo users with tokens."""
    data = read_demo(assistant.settings.knowledge_dir / "demo" / "program.yaml")
    report = assistant.ingest([assistant.default_guidelines])
    with assistant.session() as session:
        notes, added = write_program(session, data)
        write_evaluation(session, data, load_objectives(assistant.settings.knowledge_dir))
        enqueue(session, [note.id for note in notes])  # indexed now; already indexed ones cost nothing
    assistant.index_pending()
    profiles = assistant.settings.knowledge_dir / "demo" / "participants.csv"
    participants = Coordinator(assistant).import_file(profiles) if profiles.exists() else {}
    return {
        "program": data.get("program"),
        "today": str(data["today"]),  # the date the demo runs on: ASSISTANT_TODAY (assistant/clock.py)
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
