"""The coordinator's desk: program health, pairing suggestions, rotation and participant profiles.

One object the CLI and the API call, as ``Guide`` is for the guidance tasks. It reads the
store through the ``Assistant`` and hands plain records to ``insight`` and ``pairing``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant import program, pulse, ratings, sessions
from assistant.core import Assistant
from assistant.errors import InvalidInput, NotFound
from assistant.impact import Dashboard, Held, dashboard
from assistant.insight import NoteFacts, PairFacts, ProgramHealth, SessionFacts, program_health
from assistant.knowledge import Topic, load_knowledge, load_objectives
from assistant.pairing import Matching, Suggestion, fit, partners, suggest
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
from assistant.readings import READINGS, Members, Reading
from assistant.rotation import CycleCalendar, PairRecord, RotationPlan, cycle_calendar, rotation_plan
from assistant.store import Meeting, Note, Pair, PulseAnswer, SelfRating, User


@dataclass(frozen=True)
class Picture:
    """Program health and what it was computed from (for the dashboard and the impact report).

    Shared between requests while the store is unchanged: read it, never change it.
    """

    health: ProgramHealth
    sessions: list[Held]
    readings: dict[str, Reading]
    groups: dict[str, list[str]]

    @cached_property
    def dashboard(self) -> Dashboard:
        """The dashboard's figures: the pairs needing attention first, then activity by month."""
        return dashboard(self.health, self.sessions, self.readings)


PICTURES_KEPT = 16
_PICTURES: dict[Hashable, tuple[Hashable, Picture]] = {}
_PICTURES_LOCK = threading.Lock()


def _version(session: Session) -> tuple[Any, ...]:
    """What the picture is computed from, in counts and latest change times (one query per table)."""
    tables: list[tuple[Any, Any, Any]] = [
        (Note, Note.updated_at, None),
        (Meeting, Meeting.updated_at, None),
        (Pair, Pair.created_at, None),
        (User, User.created_at, None),
        (Profile, Profile.updated_at, None),
        (PulseAnswer, PulseAnswer.updated_at, func.sum(PulseAnswer.usefulness)),
        (SelfRating, SelfRating.created_at, func.sum(SelfRating.rating)),
    ]
    found: list[Any] = []
    for table, changed, total in tables:
        columns: list[Any] = [func.count(), func.max(changed)] + ([total] if total is not None else [])
        found.extend(session.execute(select(*columns).select_from(table)).one())
    return tuple(found)


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
        return self.picture(today).health

    def picture(self, today: dt.date | str | None = None, pulse_pairs: list[str] | None = None) -> Picture:
        """Program health with what it was computed from: every session on record and the notes' readings.

        Kept in this process until the store changes (``_version``: counts and latest change times
        of what it is computed from), so a dashboard reloaded over an unchanged program costs a few
        aggregate queries. Otherwise note texts are read only for pairs whose shared notes changed
        (``readings.READINGS``).
        """
        day = program.day(today)
        key = (
            self.settings.sqlalchemy_url,
            self.settings.min_group_size,
            str(self.settings.knowledge_dir),
            day,
            tuple(pulse_pairs) if pulse_pairs is not None else None,
        )
        with self.assistant.session(write=False) as session:
            version = _version(session)
        with _PICTURES_LOCK:
            kept = _PICTURES.get(key)
        if kept is not None and kept[0] == version:
            return kept[1]
        found = self._picture(day, pulse_pairs)
        with _PICTURES_LOCK:
            if len(_PICTURES) >= PICTURES_KEPT:
                _PICTURES.clear()
            _PICTURES[key] = (version, found)
        return found

    def _picture(self, day: dt.date, pulse_pairs: list[str] | None) -> Picture:
        with self.assistant.session(write=False) as session:
            names: dict[str, str] = {uid: name for uid, name in session.execute(select(User.id, User.name))}
            notes: dict[str, list[NoteFacts]] = {}
            rows = session.execute(
                select(Note.id, Note.pair_id, Note.date, Note.author_id, Note.visibility, Note.session_id)
                .where(Note.session_id.is_(None))
                .order_by(Note.date)
            )
            for note_id, pair_id, date, author_id, visibility, session_id in rows:
                facts = NoteFacts(note_id, date, author_id, visibility, "", session_id)
                notes.setdefault(pair_id, []).append(facts)
            meetings: dict[str, list[SessionFacts]] = {}
            held: list[Held] = []
            on_record = session.execute(
                select(Meeting.pair_id, Meeting.starts_at, Meeting.time_zone, Meeting.status)
            )
            zones: dict[str, Any] = {}
            for pair_id, starts_at, time_zone, status in on_record:
                where = zones.get(time_zone) or zones.setdefault(time_zone, sessions.zone(time_zone))
                local = sessions.as_utc(starts_at).astimezone(where).date()
                meetings.setdefault(pair_id, []).append(SessionFacts(local, status))
                held.append(Held(pair_id, local, status))
            listed = session.execute(
                select(Pair.id, Pair.mentor_id, Pair.executive_id, Pair.start_date).order_by(
                    Pair.start_date, Pair.id
                )
            )
            pairs = [
                PairFacts(
                    id=pair_id,
                    mentor_id=mentor_id,
                    mentor_name=names[mentor_id],
                    executive_id=executive_id,
                    executive_name=names[executive_id],
                    start_date=start_date,
                    notes=tuple(notes.get(pair_id, ())),
                    sessions=tuple(meetings.get(pair_id, ())),
                )
                for pair_id, mentor_id, executive_id, start_date in listed
            ]
            members = {
                p.id: Members(p.mentor_id, p.mentor_name, p.executive_id, p.executive_name) for p in pairs
            }
            readings = READINGS.for_pairs(session, self.settings.sqlalchemy_url, members, self.topics, day)
            query = select(Profile.user_id, Profile.department).where(Profile.user_id.is_not(None))
            departments = {uid: dep for uid, dep in session.execute(query) if uid}
        groups: dict[str, list[str]] = {}
        for pair in pairs:
            department = departments.get(pair.executive_id, "").strip()
            if department:
                groups.setdefault(f"executive department: {department}", []).append(pair.id)
        objectives = load_objectives(self.settings.knowledge_dir)
        health = program_health(
            pairs, day, self.topics, objectives, self.settings.min_group_size, groups, readings
        )
        with self.assistant.session(write=False) as session:  # aggregates only, never an answer
            health.pulse = pulse.pulse_trend(session, self.settings.min_group_size, day, pair_ids=pulse_pairs)
            health.objectives_self_rated = ratings.objectives_change(
                session, objectives, self.settings.min_group_size, pair_ids=pulse_pairs
            )
        return Picture(health, held, readings, groups)

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
        apart: list[tuple[str, str]] | None = None,
        keep: list[tuple[str, str]] | None = None,
    ) -> Matching:
        """Suggest a complete matching for a cohort.

        Args:
            participant_ids: Stored profiles to pair (default: every stored mentor and executive).
            participants: Profiles given inline instead (validated like CSV rows, not stored).
            csv_data: A CSV file of profiles given instead (validated, not stored).
            apart: Two people never to put together (either order), each by name or first name.
            keep: A mentor and an executive (either order) who stay together: each is matched with the other.

        Raises:
            InvalidInput: The cohort is empty or malformed, or a name in ``apart`` fits no one or several.
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
        named = [(_named(directory.values(), x), _named(directory.values(), y)) for x, y in apart or ()]
        kept_apart = [(a, b) for x, y in named for a, b in ((x, y), (y, x))]  # whichever is the mentor
        for pair in keep or ():  # "helen's staying with kai": each kept from everyone but the other
            both = {_named(directory.values(), name) for name in pair}
            if sorted(directory[i].role for i in both) != ["executive", "mentor"]:
                said = " and ".join(name.title() for name in pair)
                raise InvalidInput(
                    f"{said} are not a mentor and an executive, so they can't be kept as a pair."
                )
            others = [p.id for p in cohort if p.id not in both]
            kept_apart += [edge for a in both for b in others for edge in ((a, b), (b, a))]
        return suggest(cohort, self.topics, directory=directory.values(), avoid=kept_apart)

    def fit(self, first: str, second: str) -> Suggestion:
        """How two people, named in either order, would fit as a mentor and an executive.

        Raises:
            InvalidInput: A name fits no one or several, or the two are not a mentor and an executive.
        """
        with self.assistant.session() as session:
            directory = all_participants(session)
        people = {p.id: p for p in directory}
        named = sorted(
            (people[_named(directory, n)] for n in (first, second)), key=lambda p: p.role != "mentor"
        )
        if [p.role for p in named] != ["mentor", "executive"]:
            raise InvalidInput(f"{first.title()} and {second.title()} are not a mentor and an executive.")
        return fit(named[0], named[1], self.topics, directory)

    def partners(self, name: str, besides: Iterable[str] = ()) -> list[Suggestion]:
        """Whom one person could be paired with, best fit first, leaving out the people ``besides`` names.

        Raises:
            InvalidInput: The name fits no one or several, or not a mentor or an executive.
        """
        with self.assistant.session() as session:
            directory = all_participants(session)
        person = {p.id: p for p in directory}[_named(directory, name)]
        if person.role not in ("mentor", "executive"):
            raise InvalidInput(f"{person.name} is not a mentor or an executive, so has no partner to match.")
        left_out = {p.id for p in directory if any(_called(p, n) for n in besides)}
        role = "executive" if person.role == "mentor" else "mentor"
        others = [p for p in directory if p.role == role and p.id not in left_out]
        return partners(person, others, self.topics, directory)

    def calendar(self, start: dt.date | str, skip: Iterable[str] = ()) -> CycleCalendar:
        """The next cycle's steps dated from its kickoff (knowledge/cycle.yaml), less those skipped."""
        milestones = load_knowledge(self.settings.knowledge_dir).milestones
        return cycle_calendar(milestones, program.parse_date(str(start)), skip)

    def rotation(self, today: dt.date | str | None = None) -> RotationPlan:
        """New partners for the members of every pair past the six-month cycle."""
        day = program.day(today)
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


def _named(people: Iterable[Participant], name: str) -> str:
    """The id of the one person called ``name`` (full or first name, any case).

    Raises:
        InvalidInput: No one is called that, or several are.
    """
    found = [p.id for p in people if _called(p, name)]
    if len(found) != 1:
        raise InvalidInput(
            f"No one in the participant profiles is called {name!r}."
            if not found
            else f"More than one participant is called {name!r}; give the full name."
        )
    return found[0]


def _called(person: Participant, name: str) -> bool:
    """Whether ``name`` is the person's full or first name (any case)."""
    wanted = " ".join(name.lower().split())
    return wanted in (person.name.lower(), person.name.lower().split()[0])
