"""The coordinator's desk: program health, pairing suggestions, rotation and participant profiles.

One object the CLI and the API call, as ``Guide`` is for the guidance tasks. It reads the
store through the ``Assistant`` and hands plain records to ``insight`` and ``pairing``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import program, pulse, ratings, sessions
from assistant.core import Assistant
from assistant.errors import InvalidInput, NotFound
from assistant.insight import NoteFacts, PairFacts, ProgramHealth, SessionFacts, program_health
from assistant.knowledge import Topic, load_knowledge, load_objectives
from assistant.pairing import Matching, suggest
from assistant.profiles import (
    PARTICIPANT_ROLES,
    NumberedRow,
    Participant,
    Profile,
    all_participants,
    ensure_table,
    import_profiles,
    read_csv,
    validate_rows,
)
from assistant.rotation import PairRecord, RotationPlan, rotation_plan
from assistant.store import Meeting, User


def _today(value: dt.date | str | None) -> dt.date:
    return dt.date.today() if value is None else program.parse_date(value)


class Coordinator:
    """What a program coordinator runs: figures and plans, never note text."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        ensure_table(self.settings.sqlalchemy_url)

    @property
    def topics(self) -> list[Topic]:
        """The topic catalog."""
        return load_knowledge(self.settings.knowledge_dir).topics

    def health(self, today: dt.date | str | None = None) -> ProgramHealth:
        """Cadence, action items, topic coverage and flags per pair, with themes for large groups."""
        day = _today(today)
        with self.assistant.session() as session:
            users = {u.id: u for u in session.scalars(select(User))}
            notes: dict[str, list[NoteFacts]] = {}
            for note in program.all_notes(session):
                facts = NoteFacts(
                    note.id, note.date, note.author_id, note.visibility, note.text, note.session_id
                )
                notes.setdefault(note.pair_id, []).append(facts)
            meetings: dict[str, list[SessionFacts]] = {}
            rows = session.execute(
                select(Meeting.pair_id, Meeting.starts_at, Meeting.time_zone, Meeting.status)
            )
            for pair_id, starts_at, time_zone, status in rows:
                local = sessions.as_utc(starts_at).astimezone(sessions.zone(time_zone)).date()
                meetings.setdefault(pair_id, []).append(SessionFacts(local, status))
            pairs = [
                PairFacts(
                    id=p.id,
                    mentor_id=p.mentor_id,
                    mentor_name=users[p.mentor_id].name,
                    executive_id=p.executive_id,
                    executive_name=users[p.executive_id].name,
                    start_date=p.start_date,
                    notes=tuple(notes.get(p.id, ())),
                    sessions=tuple(meetings.get(p.id, ())),
                )
                for p in program.list_pairs(session)
            ]
            departments = {p.user_id: p.department for p in session.scalars(select(Profile)) if p.user_id}
        groups: dict[str, list[str]] = {}
        for pair in pairs:
            department = departments.get(pair.executive_id, "").strip()
            if department:
                groups.setdefault(f"executive department: {department}", []).append(pair.id)
        objectives = load_objectives(self.settings.knowledge_dir)
        health = program_health(pairs, day, self.topics, objectives, self.settings.min_group_size, groups)
        with self.assistant.session(write=False) as session:  # aggregates only, never an answer
            health.pulse = pulse.pulse_trend(session, self.settings.min_group_size, day)
            health.objectives_self_rated = ratings.objectives_change(
                session, objectives, self.settings.min_group_size
            )
        return health

    def participants(self) -> list[dict[str, Any]]:
        """Every stored profile."""
        with self.assistant.session() as session:
            return [p.as_dict() for p in all_participants(session)]

    def import_participants(self, data: bytes, name: str = "the file") -> dict[str, int]:
        """Import a CSV of profiles in one transaction: all rows, or none when any row is bad."""
        rows = read_csv(data, name)
        with self.assistant.session() as session:
            return import_profiles(session, rows)

    def import_file(self, path: Path) -> dict[str, int]:
        """Import a CSV file of profiles (see ``import_participants``)."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"Cannot read {path}.") from exc
        return self.import_participants(data, path.name)

    def _checked(self, session: Session, rows: list[NumberedRow], kind: str) -> list[Participant]:
        return [Participant(**values) for values in validate_rows(session, rows, kind)]

    def pairings(
        self,
        participant_ids: list[str] | None = None,
        participants: list[dict[str, str]] | None = None,
        csv_data: bytes | None = None,
    ) -> Matching:
        """Suggest a complete matching for a cohort.

        Args:
            participant_ids: Stored profiles to pair (default: every stored mentor and executive).
            participants: Profiles given inline instead (validated like CSV rows, not stored).
            csv_data: A CSV file of profiles given instead (validated, not stored).

        Raises:
            InvalidInput: The cohort is empty or malformed.
            NotFound: A participant id is not a stored profile.
        """
        if sum(x is not None for x in (participant_ids, participants, csv_data)) > 1:
            raise InvalidInput("Give the cohort one way: participant ids, participants or a CSV file.")
        with self.assistant.session() as session:
            stored = {p.id: p for p in all_participants(session)}
            if csv_data is not None:
                cohort = self._checked(session, read_csv(csv_data), "row")
            elif participants is not None:
                cohort = self._checked(session, list(enumerate(participants, 1)), "participant")
            elif participant_ids is not None:
                missing = [pid for pid in participant_ids if pid not in stored]
                if missing:
                    raise NotFound(f"There is no participant profile {missing[0]!r}.")
                cohort = [stored[pid] for pid in dict.fromkeys(participant_ids)]
            else:
                cohort = list(stored.values())
        # Everyone given (staff included) stands on reporting lines, over the stored profiles.
        directory = {**stored, **{p.id: p for p in cohort}}
        cohort = [p for p in cohort if p.role in PARTICIPANT_ROLES]
        if not cohort:
            raise InvalidInput(
                "There are no mentors or executives to pair; import participant profiles first."
            )
        return suggest(cohort, self.topics, directory=directory.values())

    def rotation(self, today: dt.date | str | None = None) -> RotationPlan:
        """New partners for the members of every pair past the six-month cycle."""
        day = _today(today)
        with self.assistant.session() as session:
            directory = all_participants(session)
            users = {u.id: u for u in session.scalars(select(User))}
            pairs = [
                PairRecord(p.id, p.mentor_id, p.executive_id, p.start_date)
                for p in program.list_pairs(session)
            ]
        by_user = {p.user_id: p for p in directory if p.user_id}
        people = {
            uid: by_user.get(uid)
            or Participant(id=uid, name=users[uid].name, role=users[uid].role, user_id=uid)
            for uid in {u for p in pairs for u in (p.mentor_id, p.executive_id)}
        }
        return rotation_plan(pairs, people, self.topics, day, directory=directory)
