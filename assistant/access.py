"""Who may see what: the one place the confidentiality rules live.

Mentors and executives read their own pairs' notes (``pair`` and ``program`` ones, and
``private`` ones they wrote). Coordinators read ``program`` notes only. Admins read no
notes unless the ``admins_read_notes`` setting says so. The rules are applied as store and
index filters at retrieval time and checked again on every note before its text is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, true

from assistant.store import Note

MEMBER_ROLES = ("mentor", "executive")
STAFF_ROLES = ("coordinator", "admin")  # they run the program; what notes they read is can_read_note's


@dataclass(frozen=True)
class Viewer:
    """The person a request is made for, with the pairs they belong to."""

    id: str
    role: str
    pair_ids: frozenset[str] = field(default_factory=frozenset)
    reads_all_notes: bool = False


def operator(pair_id: str) -> Viewer:
    """Someone at the command line acting for a pair without being a member: shared notes only."""
    return Viewer("operator", "mentor", frozenset({pair_id}))


def is_member(viewer: Viewer, pair_id: str) -> bool:
    """True when the viewer is the mentor or the executive of the pair."""
    return viewer.role in MEMBER_ROLES and pair_id in viewer.pair_ids


def is_member_view(viewer: Viewer) -> bool:
    """Whether the viewer reads notes as a pair member (their pairs' notes, a bounded set)."""
    return viewer.role in MEMBER_ROLES and not viewer.reads_all_notes


def can_read_note(viewer: Viewer, note: Mapping[str, Any]) -> bool:
    """Whether the viewer may read a note, given its ``pair_id``, ``author_id`` and ``visibility``."""
    if viewer.reads_all_notes:
        return True
    visibility = note.get("visibility")
    if viewer.role == "coordinator":
        return visibility == "program"
    if not is_member(viewer, str(note.get("pair_id"))):
        return False
    if visibility == "private":
        return note.get("author_id") == viewer.id
    return visibility in ("pair", "program")


def in_shared_copy(note: Mapping[str, Any]) -> bool:
    """Whether a note may feed something meant to leave the product (agenda, brief, calendar file).

    Such a copy goes to the partner or into a shared calendar, so a private note's text and
    action items stay out of it unless its author asks for a private copy.
    """
    return note.get("visibility") != "private"


def note_where(viewer: Viewer) -> dict[str, Any] | None:
    """The index filter matching exactly the notes ``can_read_note`` allows; None if none."""
    if viewer.reads_all_notes:
        return {"kind": "note"}
    if viewer.role == "coordinator":
        return {"visibility": "program"}
    pairs = sorted(viewer.pair_ids)
    if viewer.role not in MEMBER_ROLES or not pairs:
        return None
    return {
        "$and": [
            {"pair_id": {"$in": pairs}},
            {
                "$or": [
                    {"visibility": {"$in": ["pair", "program"]}},
                    {"author_id": viewer.id},
                ]
            },
        ]
    }


def note_clause(viewer: Viewer) -> ColumnElement[bool] | None:
    """The store filter matching exactly the notes ``can_read_note`` allows; None if none."""
    if viewer.reads_all_notes:
        return true()
    if viewer.role == "coordinator":
        return Note.visibility == "program"
    if viewer.role not in MEMBER_ROLES or not viewer.pair_ids:
        return None
    return Note.pair_id.in_(sorted(viewer.pair_ids)) & (
        Note.visibility.in_(("pair", "program")) | (Note.author_id == viewer.id)
    )
