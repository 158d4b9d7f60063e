"""Evaluation: pulse answers and self-ratings for their authors, and their aggregates for coordinators.

The one object the CLI, the API and the web pages call, with the access rule applied to every
call: only the pair's two members answer its pulse and rate themselves, each reads back only
their own answers, and nobody else (partner, other pairs, coordinators, admins) ever gets one.
Coordinators get ``pulse_trend`` and ``objectives_change``: means over at least the program's
minimum group size (``Settings.min_group_size``, the one program health uses), never a person's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy.orm import Session

from assistant import program, pulse, ratings, sessions
from assistant.access import Viewer, is_member
from assistant.core import Assistant
from assistant.errors import Forbidden, NotFound
from assistant.knowledge import Objective, load_objectives
from assistant.pulse import PulseTrend
from assistant.ratings import ObjectivesChange
from assistant.store import Meeting, Pair

MEMBERS_ONLY = "Only the pair's mentor and executive answer its pulse and rate themselves."


class Evaluation:
    """Pulse answers and self-ratings (their authors' own) and their aggregates (coordinators')."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.settings = assistant.settings

    @property
    def objectives(self) -> tuple[Objective, ...]:
        """The program's objectives (``knowledge/objectives.yaml``)."""
        return load_objectives(self.settings.knowledge_dir)

    def _viewer(self, session: Session, user_id: str) -> Viewer:
        return program.viewer_for(session, user_id, self.settings.admins_read_notes)

    def _member_of(self, session: Session, viewer: Viewer, pair_id: str, what: str) -> None:
        """NotFound for those who may not know the pair; Forbidden for staff who may."""
        if is_member(viewer, pair_id):
            return
        if viewer.role == "coordinator" or viewer.reads_all_notes:
            raise Forbidden(MEMBERS_ONLY)
        raise NotFound(f"There is no {what}.")

    def _meeting(self, session: Session, session_id: str, as_user: str) -> Meeting:
        meeting = sessions.get(session, session_id)
        self._member_of(session, self._viewer(session, as_user), meeting.pair_id, f"session {session_id!r}")
        return meeting

    def _pair(self, session: Session, pair_id: str, as_user: str) -> Pair:
        try:
            pair = program.get_pair(session, pair_id)
        except NotFound:
            raise NotFound(f"There is no pair {pair_id!r}.") from None
        self._member_of(session, self._viewer(session, as_user), pair.id, f"pair {pair_id!r}")
        return pair

    # The pulse ------------------------------------------------------------------------

    def answer_pulse(
        self, session_id: str, as_user: str, usefulness: int, learned: str, comment: str = ""
    ) -> dict[str, Any]:
        """A member answers the pulse of a held session of their pair (again: replaces their answer)."""
        with self.assistant.session() as session:
            meeting = self._meeting(session, session_id, as_user)
            return pulse.answer_dict(pulse.answer(session, meeting, as_user, usefulness, learned, comment))

    def my_pulse(self, session_id: str, as_user: str) -> dict[str, Any] | None:
        """The member's own answer for a session of their pair, or None when they gave none."""
        with self.assistant.session(write=False) as session:
            meeting = self._meeting(session, session_id, as_user)
            row = pulse.own(session, meeting.id, as_user)
            return pulse.answer_dict(row) if row is not None else None

    # Self-ratings -----------------------------------------------------------------------

    def rating_form(self, pair_id: str, as_user: str, today: dt.date | str | None = None) -> dict[str, Any]:
        """What a member rates: their objectives, the phase open today and their own ratings so far."""
        day = program.day(today)
        with self.assistant.session(write=False) as session:
            pair = self._pair(session, pair_id, as_user)
            role = program.get_user(session, as_user).role
            windows = {p: ratings.window(pair, p) for p in ratings.PHASES}
            return {
                "pair_id": pair.id,
                "objectives": [
                    {"id": o.id, "title": o.title} for o in ratings.objectives_for(role, self.objectives)
                ],
                "open_phase": ratings.open_phase(pair, day),
                "windows": {
                    p: {"from": a.isoformat() if a else None, "until": b.isoformat() if b else None}
                    for p, (a, b) in windows.items()
                },
                "mine": ratings.own(session, pair.id, as_user),
            }

    def rate(
        self,
        pair_id: str,
        as_user: str,
        phase: str,
        given: Mapping[str, int],
        today: dt.date | str | None = None,
    ) -> dict[str, Any]:
        """A member rates themselves on each of their objectives for one phase (again: replaces them)."""
        day = program.day(today)
        with self.assistant.session() as session:
            pair = self._pair(session, pair_id, as_user)
            role = program.get_user(session, as_user).role
            rows = ratings.rate(session, pair, as_user, role, phase, given, self.objectives, day)
            return {
                "pair_id": pair.id,
                "user_id": as_user,
                "phase": phase,
                "ratings": {r.objective_id: r.rating for r in rows},
            }

    def my_ratings(self, pair_id: str, as_user: str) -> dict[str, dict[str, int]]:
        """The member's own ratings in a pair: phase -> objective id -> rating."""
        with self.assistant.session(write=False) as session:
            pair = self._pair(session, pair_id, as_user)
            return ratings.own(session, pair.id, as_user)

    # Aggregates for coordinators ----------------------------------------------------------

    def pulse_trend(
        self,
        today: dt.date | str | None = None,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        pair_ids: Collection[str] | None = None,
    ) -> PulseTrend:
        """Mean usefulness per month, only for months with at least the minimum group size of people."""
        with self.assistant.session(write=False) as session:
            return pulse.pulse_trend(
                session,
                self.settings.min_group_size,
                program.day(today),
                since=program.parse_date(since) if since else None,
                until=program.parse_date(until) if until else None,
                pair_ids=pair_ids,
            )

    def objectives_change(self, *, pair_ids: Collection[str] | None = None) -> ObjectivesChange:
        """Per objective, mean start and end self-rating, each side over at least the minimum group size."""
        with self.assistant.session(write=False) as session:
            return ratings.objectives_change(
                session, self.objectives, self.settings.min_group_size, pair_ids=pair_ids
            )
