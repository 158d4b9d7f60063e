"""Participant profiles: the table, the form the matcher reads, and all-or-nothing CSV import.

A profile describes one person for pairing: department, manager (reporting line), what they
can teach, what they want to learn, time zone and weekly availability. It may point at an
existing user (``user_id``) or carry its own name and role. Role ``staff`` marks someone who
is not in the cohort but sits on a reporting line, so the management-chain rule can see
through them (a mentor's team lead, say, who reports to an executive).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from assistant.availability import parse_availability, utc_offset_minutes
from assistant.documents import decode_text
from assistant.errors import InvalidInput
from assistant.program import a_or_an
from assistant.store import Base, User, engine_for

PARTICIPANT_ROLES = ("mentor", "executive")
PROFILE_ROLES = (*PARTICIPANT_ROLES, "staff")
COLUMNS = (
    "id",
    "user_id",
    "name",
    "role",
    "department",
    "manager_id",
    "teaches",
    "learns",
    "time_zone",
    "availability",
)
MAX_ROWS = 20_000
MAX_SKILLS = 30
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Profile(Base):
    """A participant's pairing profile (or a reporting-line member's, with role ``staff``)."""

    __tablename__ = "profiles"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(200), default="")
    # Another profile's id; checked on import rather than by a foreign key so a file can
    # list people in any order.
    manager_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    teaches: Mapped[list[str]] = mapped_column(JSON, default=list)
    learns: Mapped[list[str]] = mapped_column(JSON, default=list)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


@lru_cache(maxsize=8)
def ensure_table(url: str) -> None:
    """Create the profiles table if the store was opened before this module was imported."""
    Base.metadata.create_all(engine_for(url), tables=[Profile.__table__])  # type: ignore[list-item]


@dataclass(frozen=True)
class Participant:
    """A profile as the matcher reads it."""

    id: str
    name: str
    role: str
    department: str = ""
    manager_id: str | None = None
    teaches: tuple[str, ...] = ()
    learns: tuple[str, ...] = ()
    time_zone: str = "UTC"
    availability: tuple[str, ...] = ()
    user_id: str | None = None

    @property
    def first_name(self) -> str:
        """The first word of the name."""
        return self.name.split()[0] if self.name.split() else self.id

    def as_dict(self) -> dict[str, Any]:
        """The profile as shown to coordinators."""
        return {
            "id": self.id,
            "user_id": self.user_id,
            "name": self.name,
            "role": self.role,
            "department": self.department,
            "manager_id": self.manager_id,
            "teaches": list(self.teaches),
            "learns": list(self.learns),
            "time_zone": self.time_zone,
            "availability": list(self.availability),
        }


def participant_of(profile: Profile) -> Participant:
    """The matcher's view of a stored profile."""
    return Participant(
        id=profile.id,
        name=profile.name,
        role=profile.role,
        department=profile.department,
        manager_id=profile.manager_id,
        teaches=tuple(profile.teaches or ()),
        learns=tuple(profile.learns or ()),
        time_zone=profile.time_zone,
        availability=tuple(profile.availability or ()),
        user_id=profile.user_id,
    )


def parse_skills(text: str) -> list[str]:
    """Split a ``;``-separated list, dropping blanks and case-insensitive repeats."""
    seen: dict[str, str] = {}
    for part in text.split(";"):
        label = " ".join(part.split())
        if label and label.lower() not in seen:
            seen[label.lower()] = label
    return list(seen.values())


@dataclass(frozen=True)
class RowError:
    """Why one row of an import was refused (rows are the file's line numbers, header = 1)."""

    row: int
    reason: str
    kind: str = "row"

    def __str__(self) -> str:
        return f"{self.kind} {self.row}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        """The error as JSON."""
        return {self.kind: self.row, "reason": self.reason}


class ProfileImportError(InvalidInput):
    """Profiles were refused; ``errors`` lists every problem and nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        shown = "; ".join(map(str, errors[:20])) + (
            f"; and {len(errors) - 20} more" if len(errors) > 20 else ""
        )
        super().__init__(f"Nothing was imported because {len(errors)} problem(s) were found: {shown}.")
        self.errors = errors


NumberedRow = tuple[int, dict[str, str]]


def _check_row(
    number: int, raw: dict[str, str], users: dict[str, User]
) -> tuple[dict[str, Any] | None, list[str]]:
    """Validate one row on its own; returns the cleaned values or the reasons it is refused."""
    row = {key: str(raw.get(key) or "").strip() for key in COLUMNS}
    errors: list[str] = []
    if not _ID.match(row["id"]):
        errors.append("id must be 1-64 letters, digits, '.', '_' or '-'")
    user = None
    if row["user_id"]:
        user = users.get(row["user_id"])
        if user is None:
            errors.append(f"there is no user {row['user_id']!r}")
    role = row["role"].lower() or (user.role if user is not None else "")
    if role not in PROFILE_ROLES:
        errors.append(f"role must be one of {', '.join(PROFILE_ROLES)} (got {role or 'nothing'!r})")
    elif user is not None and role in PARTICIPANT_ROLES and user.role != role:
        errors.append(f"user {user.id!r} is {a_or_an(user.role)}, not {a_or_an(role)}")
    name = row["name"] or (user.name if user is not None else "")
    if not name or len(name) > 200:
        errors.append("name must be given (or a user_id) and at most 200 characters")
    if len(row["department"]) > 200:
        errors.append("department is longer than 200 characters")
    manager = row["manager_id"] or None
    if manager is not None and manager == row["id"]:
        errors.append("a person cannot be their own manager")
    teaches, learns = parse_skills(row["teaches"]), parse_skills(row["learns"])
    for what, skills in (("teaches", teaches), ("learns", learns)):
        if len(skills) > MAX_SKILLS or any(len(s) > 100 for s in skills):
            errors.append(f"{what} must list at most {MAX_SKILLS} skills of at most 100 characters")
    time_zone = row["time_zone"] or "UTC"
    try:
        utc_offset_minutes(time_zone)
    except ValueError as exc:
        errors.append(str(exc))
    availability: list[str] = []
    try:
        availability = parse_availability(row["availability"])
    except ValueError as exc:
        errors.append(str(exc))
    if errors:
        return None, errors
    return {
        "id": row["id"],
        "user_id": user.id if user is not None else None,
        "name": name,
        "role": role,
        "department": row["department"],
        "manager_id": manager,
        "teaches": teaches,
        "learns": learns,
        "time_zone": time_zone,
        "availability": availability,
    }, []


def _loops(start: str, managers: dict[str, str | None]) -> bool:
    """Whether following managers up from ``start`` comes back to it."""
    seen = {start}
    current = managers.get(start)
    while current is not None:
        if current == start:
            return True
        if current in seen:
            return False
        seen.add(current)
        current = managers.get(current)
    return False


def validate_rows(session: Session, rows: list[NumberedRow], kind: str = "row") -> list[dict[str, Any]]:
    """Check every row on its own, against the others and against the store.

    Args:
        session: The store transaction (users and already-imported profiles are read).
        rows: ``(row number, cells)`` pairs.
        kind: What a row is called in errors ("row" for files, "participant" for JSON lists).

    Returns:
        The cleaned rows, in order.

    Raises:
        InvalidInput: There are no rows or too many.
        ProfileImportError: Any row is invalid; every problem is listed.
    """
    if not rows:
        raise InvalidInput("There are no participants to import.")
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"Import at most {MAX_ROWS} participants at a time.")
    users = {u.id: u for u in session.scalars(select(User))}
    stored = {p.id: p for p in session.scalars(select(Profile))}
    clean: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    first_seen: dict[str, int] = {}
    for number, raw in rows:
        values, problems = _check_row(number, raw, users)
        errors += [RowError(number, reason, kind) for reason in problems]
        if values is None:
            continue
        if values["id"] in first_seen:
            reason = f"id {values['id']!r} is already used on {kind} {first_seen[values['id']]}"
            errors.append(RowError(number, reason, kind))
            continue
        first_seen[values["id"]] = number
        clean.append((number, values))
    managers = {p.id: p.manager_id for p in stored.values()} | {v["id"]: v["manager_id"] for _, v in clean}
    owners = {p.user_id: p.id for p in stored.values() if p.user_id}
    user_rows: dict[str, int] = {}
    for number, values in clean:
        manager = values["manager_id"]
        if manager is not None and manager not in managers:
            reason = f"manager {manager!r} is neither listed nor already imported"
            errors.append(RowError(number, reason, kind))
        elif manager is not None and _loops(values["id"], managers):
            errors.append(RowError(number, "the reporting line loops back to this person", kind))
        user_id = values["user_id"]
        if user_id is None:
            continue
        if user_id in user_rows:
            reason = f"user {user_id!r} already has a profile on {kind} {user_rows[user_id]}"
            errors.append(RowError(number, reason, kind))
        elif owners.get(user_id, values["id"]) != values["id"]:
            errors.append(
                RowError(number, f"user {user_id!r} already has the profile {owners[user_id]!r}", kind)
            )
        user_rows.setdefault(user_id, number)
    if errors:
        raise ProfileImportError(sorted(errors, key=lambda e: e.row))
    return [values for _, values in clean]


def read_csv(data: bytes, name: str = "the file") -> list[NumberedRow]:
    """Decode a CSV file of profiles and check its shape.

    Returns:
        ``(line number, cells)`` for each record; the header is line 1, as in a spreadsheet.

    Raises:
        InvalidInput: The file is not UTF-8 CSV with known columns and an ``id`` column.
        ProfileImportError: Rows have more or fewer cells than the header.
    """
    text = decode_text(data, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        records = [(reader.line_num, cells) for cells in reader if any(c.strip() for c in cells)]
    except csv.Error as exc:
        raise InvalidInput(f"{name} is not valid CSV ({exc}).") from exc
    unknown = [h or "one with no name" for h in header if h not in COLUMNS]
    if "id" not in header:
        raise InvalidInput(f"{name} needs a header row with at least an id column.")
    if unknown or len(set(header)) != len(header):
        raise InvalidInput(
            f"{name} has unknown or repeated columns ({', '.join(unknown) or 'repeated'}); "
            f"use: {', '.join(COLUMNS)}."
        )
    shape = [
        RowError(number, f"the row has {len(cells)} cells but the header has {len(header)}")
        for number, cells in records
        if len(cells) != len(header)
    ]
    if shape:
        raise ProfileImportError(shape)
    return [(number, dict(zip(header, cells))) for number, cells in records]


def import_profiles(session: Session, rows: list[NumberedRow], kind: str = "row") -> dict[str, int]:
    """Validate every row, then create or update all the profiles in the caller's transaction."""
    clean = validate_rows(session, rows, kind)
    created = 0
    for values in clean:
        profile = session.get(Profile, values["id"])
        if profile is None:
            created += 1
            session.add(Profile(**values))
        else:
            for key, value in values.items():
                setattr(profile, key, value)
    session.flush()
    return {"imported": len(clean), "created": created, "updated": len(clean) - created}


def all_participants(session: Session) -> list[Participant]:
    """Every stored profile (staff included), ordered by id."""
    return [participant_of(p) for p in session.scalars(select(Profile).order_by(Profile.id))]
