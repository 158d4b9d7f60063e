"""A pair's schedule: planning, holding, cancelling and moving sessions, for whoever may.

The pair's mentor and executive plan and change its sessions. Coordinators see every pair's
sessions as dates and statuses (the ids of notes they may read, ``program`` ones, and never
any text); other users learn nothing, not even that the pair exists. The CLI and the API call
this object, as they call ``Coordinator`` for program figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import program, sessions
from assistant.access import Viewer, can_read_note, is_member, operator
from assistant.core import Assistant, note_dict
from assistant.errors import Forbidden, NotFound
from assistant.profiles import Profile
from assistant.store import Meeting, Note

MEMBERS_ONLY = "Only the pair's mentor and executive can plan or change its sessions."


def session_dict(meeting: Meeting, notes: list[Note], viewer: Viewer) -> dict[str, Any]:
    """A session as a viewer sees it: times, status, who cancelled, and the notes they may read."""
    start = sessions.local_start(meeting)
    return {
        "id": meeting.id,
        "pair_id": meeting.pair_id,
        "status": meeting.status,
        "date": start.date().isoformat(),
        "starts_at": start.isoformat(timespec="minutes"),
        "time_zone": meeting.time_zone,
        "minutes": meeting.minutes,
        "planned_by": meeting.planned_by,
        "cancelled_by": meeting.cancelled_by,
        "moved_to": meeting.moved_to,
        "note_ids": [n.id for n in notes if can_read_note(viewer, note_dict(n))],
    }


class Schedule:
    """Sessions of the pairs, with the access rule applied to every call."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def _viewer(self, session: Session, user_id: str) -> Viewer:
        return program.viewer_for(session, user_id, self.assistant.settings.admins_read_notes)

    def _sees_pair(self, viewer: Viewer, pair_id: str) -> bool:
        return is_member(viewer, pair_id) or viewer.role == "coordinator" or viewer.reads_all_notes

    def _changeable(self, session: Session, session_id: str, as_user: str) -> Meeting:
        """A session the user may change (NotFound when they may not even see it)."""
        meeting = sessions.get(session, session_id)
        viewer = self._viewer(session, as_user)
        if not self._sees_pair(viewer, meeting.pair_id):
            raise NotFound(f"There is no session {session_id!r}.")
        if not is_member(viewer, meeting.pair_id):
            raise Forbidden(MEMBERS_ONLY)
        return meeting

    def _shown(self, session: Session, meeting: Meeting, as_user: str) -> dict[str, Any]:
        viewer = self._viewer(session, as_user)
        return session_dict(meeting, sessions.notes_of(session, [meeting.id])[meeting.id], viewer)

    def home_zone(self, session: Session, user_id: str) -> str:
        """The time zone in the user's participant profile, else UTC."""
        found = session.scalar(select(Profile.time_zone).where(Profile.user_id == user_id))
        return found or "UTC"

    def plan(
        self,
        pair_id: str,
        as_user: str,
        starts_at: str | dt.datetime,
        time_zone: str | None = None,
        minutes: int = sessions.DEFAULT_MINUTES,
    ) -> dict[str, Any]:
        """A member plans a session of their pair (time zone: theirs from their profile, else UTC)."""
        with self.assistant.session() as session:
            viewer = self._viewer(session, as_user)
            pair = program.get_pair(session, pair_id)
            if not self._sees_pair(viewer, pair.id):
                raise NotFound(f"There is no pair {pair_id!r}.")
            if not is_member(viewer, pair.id):
                raise Forbidden(MEMBERS_ONLY)
            zone = time_zone or self.home_zone(session, as_user)
            meeting = sessions.plan(session, pair, as_user, starts_at, zone, minutes)
            return self._shown(session, meeting, as_user)

    def time_zone_for(self, user_id: str) -> str:
        """The time zone a user plans in: their profile's, else UTC."""
        with self.assistant.session(write=False) as session:
            return self.home_zone(session, user_id)

    def get(self, session_id: str, as_user: str) -> dict[str, Any]:
        """One session as the user sees it (NotFound for those who may not see its pair)."""
        with self.assistant.session(write=False) as session:
            meeting = sessions.get(session, session_id)
            if not self._sees_pair(self._viewer(session, as_user), meeting.pair_id):
                raise NotFound(f"There is no session {session_id!r}.")
            return self._shown(session, meeting, as_user)

    def list(self, pair_id: str, as_user: str | None = None) -> list[dict[str, Any]]:
        """A pair's sessions, earliest first (without ``as_user``: as an operator, shared notes only)."""
        with self.assistant.session(write=False) as session:
            pair = program.get_pair(session, pair_id)
            viewer = self._viewer(session, as_user) if as_user else operator(pair.id)
            if not self._sees_pair(viewer, pair.id):
                raise NotFound(f"There is no pair {pair_id!r}.")
            meetings = sessions.for_pair(session, pair.id)
            notes = sessions.notes_of(session, [m.id for m in meetings])
            return [session_dict(m, notes[m.id], viewer) for m in meetings]

    def held(self, session_id: str, as_user: str) -> dict[str, Any]:
        """A member records that a planned session took place."""
        with self.assistant.session() as session:
            meeting = sessions.mark_held(self._changeable(session, session_id, as_user))
            return self._shown(session, meeting, as_user)

    def cancel(self, session_id: str, as_user: str) -> dict[str, Any]:
        """A member calls off a planned session; the record keeps who did."""
        with self.assistant.session() as session:
            meeting = sessions.cancel(self._changeable(session, session_id, as_user), as_user)
            return self._shown(session, meeting, as_user)

    def move(
        self,
        session_id: str,
        as_user: str,
        starts_at: str | dt.datetime,
        time_zone: str | None = None,
        minutes: int | None = None,
    ) -> dict[str, Any]:
        """A member moves a planned session; returns the new one (the old is marked moved)."""
        with self.assistant.session() as session:
            meeting = self._changeable(session, session_id, as_user)
            new = sessions.move(session, meeting, as_user, starts_at, time_zone, minutes)
            return self._shown(session, new, as_user)
