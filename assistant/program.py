"""Program records: users, pairs and notes, validated before anything is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, delete, func, or_, select
from sqlalchemy import Row as ResultRow
from sqlalchemy.orm import Session, aliased

from assistant import clock
from assistant.access import Viewer
from assistant.errors import InvalidInput, NotFound
from assistant.store import ROLES, VISIBILITIES, Note, Pair, User, WebSession

# Dates a program can hold (session dates, start dates, "as of" dates).
FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)
CYCLE_MONTHS = 6  # pairing-and-rotation.md, "Cycle length"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has 28 days


def a_or_an(word: str) -> str:
    """The word with its indefinite article: "a mentor", "an executive"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def hash_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests only."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_id(prefix: str) -> str:
    """A short random id such as ``u-1a2b3c4d5e``."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def day(value: str | dt.date | None) -> dt.date:
    """``value`` as a program date, or the program's today when it is None."""
    return clock.today() if value is None else parse_date(value)


def parse_date(value: str | dt.date) -> dt.date:
    """Accept ``YYYY-MM-DD`` (or a date) within the years a program can run, and refuse anything else.

    The range keeps a mistyped year (9999) from being stored and breaking date arithmetic later.
    """
    if isinstance(value, dt.date):
        date = value
    else:
        try:
            date = dt.date.fromisoformat(value.strip())
        except (ValueError, AttributeError) as exc:
            raise InvalidInput(f"{value!r} is not a date in the form YYYY-MM-DD.") from exc
    if not FIRST_DATE <= date <= LAST_DATE:
        raise InvalidInput(
            f"{date.isoformat()} is outside the years the program accepts "
            f"({FIRST_DATE.year} to {LAST_DATE.year})."
        )
    return date


def session_date(value: str | dt.date) -> dt.date:
    """A note's date: a session that has happened (tomorrow is allowed for time zones ahead)."""
    date = parse_date(value)
    if date > clock.today() + dt.timedelta(days=1):
        raise InvalidInput(f"{date.isoformat()} is in the future; a note records a session already held.")
    return date


def clean_text(text: str | None, what: str, limit: int) -> str:
    """Stripped text, refused when empty, too long or holding a NUL character."""
    value = (text or "").strip()
    if not value:
        raise InvalidInput(f"The {what} must not be empty.")
    if len(value) > limit:
        raise InvalidInput(f"The {what} is longer than {limit} characters.")
    if "\x00" in value:
        raise InvalidInput(f"The {what} contains a NUL character.")
    return value


Row = TypeVar("Row", User, Pair, Note)


def _insert(session: Session, row: Row, kind: str) -> Row:
    """Add a new row whose id must not be taken yet."""
    if session.get(type(row), row.id) is not None:
        raise InvalidInput(f"A {kind} with id {row.id!r} already exists.")
    session.add(row)
    session.flush()
    return row


def _get(session: Session, model: type[Row], row_id: str, kind: str) -> Row:
    """The row with this id, or NotFound."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"There is no {kind} {row_id!r}.")
    return row


def add_user(
    session: Session, name: str, role: str, *, user_id: str | None = None, token: str | None = None
) -> tuple[User, str]:
    """Create a user; returns it with its bearer token (shown once, stored hashed)."""
    name = clean_text(name, "name", 200)
    if role not in ROLES:
        raise InvalidInput(f"Unknown role {role!r}; use one of: {', '.join(ROLES)}.")
    token = token or secrets.token_urlsafe(24)
    user = User(id=user_id or new_id("u"), name=name, role=role, token_hash=hash_token(token))
    return _insert(session, user, "user"), token


def get_user(session: Session, user_id: str) -> User:
    """The user with this id, or NotFound."""
    return _get(session, User, user_id, "user")


def user_by_token(session: Session, token: str) -> User | None:
    """The user a bearer token belongs to, if any and if it has not expired (or been revoked)."""
    user = session.scalars(select(User).where(User.token_hash == hash_token(token))).first()
    if user is None or (user.token_expires_at is not None and _aware(user.token_expires_at) <= _utcnow()):
        return None
    return user


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(when: dt.datetime) -> dt.datetime:
    """SQLite gives times back without their zone; they were stored in UTC."""
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def issue_token(session: Session, user_id: str, lifetime: dt.timedelta | None = None) -> tuple[str, User]:
    """Give a user a new API token (the old one stops working); it expires after ``lifetime``."""
    user = get_user(session, user_id)
    token = secrets.token_urlsafe(24)
    user.token_hash = hash_token(token)
    user.token_expires_at = _utcnow() + lifetime if lifetime is not None else None
    return token, user


def revoke_token(session: Session, user_id: str) -> User:
    """Revoke a user's API token and end their web sessions; only a newly issued token works again."""
    user = get_user(session, user_id)
    user.token_hash = hash_token(f"revoked:{secrets.token_urlsafe(24)}")  # no token has this hash
    user.token_expires_at = _utcnow()
    for row in session.scalars(select(WebSession).where(WebSession.user_id == user_id)):
        session.delete(row)  # through the session, so cached sign-ins are dropped at commit
    return user


def start_web_session(session: Session, user_id: str, lifetime: dt.timedelta) -> str:
    """A new web session for the user; returns its id (kept only in the browser's cookie)."""
    session.execute(delete(WebSession).where(WebSession.expires_at <= _utcnow()))  # tidy up
    session_id = secrets.token_urlsafe(32)
    session.add(WebSession(id_hash=hash_token(session_id), user_id=user_id, expires_at=_utcnow() + lifetime))
    return session_id


def web_session_user(session: Session, session_id: str) -> tuple[User, dt.datetime] | None:
    """The user a live web session belongs to and when it ends, or None (unknown, ended or expired)."""
    row = session.get(WebSession, hash_token(session_id))
    if row is None or _aware(row.expires_at) <= _utcnow():
        return None
    user = session.get(User, row.user_id)
    return (user, _aware(row.expires_at)) if user is not None else None


def end_web_session(session: Session, session_id: str) -> None:
    """End a web session (signing out, or signing in again)."""
    row = session.get(WebSession, hash_token(session_id))
    if row is not None:
        session.delete(row)  # through the session, so cached sign-ins are dropped at commit


def list_users(session: Session) -> list[User]:
    """Every user, ordered by name."""
    return list(session.scalars(select(User).order_by(User.name)))


def add_pair(
    session: Session,
    mentor_id: str,
    executive_id: str,
    goals: str = "",
    start_date: str | dt.date | None = None,
    *,
    pair_id: str | None = None,
) -> Pair:
    """Pair a mentor with an executive."""
    mentor, executive = get_user(session, mentor_id), get_user(session, executive_id)
    if mentor.role != "mentor":
        raise InvalidInput(f"User {mentor_id!r} is {a_or_an(mentor.role)}, not a mentor.")
    if executive.role != "executive":
        raise InvalidInput(f"User {executive_id!r} is {a_or_an(executive.role)}, not an executive.")
    if len(goals) > 2000:
        raise InvalidInput("The goals are longer than 2000 characters.")
    start = parse_date(start_date) if start_date else clock.today()
    together = select(Pair).where(Pair.mentor_id == mentor.id, Pair.executive_id == executive.id)
    for other in session.scalars(together):
        ends = add_months(other.start_date, CYCLE_MONTHS)
        if start < ends and other.start_date < add_months(start, CYCLE_MONTHS):  # the cycles overlap
            raise InvalidInput(
                f"{mentor.name} and {executive.name} are already a pair ({other.id}) for the cycle from "
                f"{other.start_date.isoformat()} to {ends.isoformat()}; their cycles may not overlap."
            )
    pair = Pair(
        id=pair_id or new_id("p"),
        mentor_id=mentor.id,
        executive_id=executive.id,
        goals=goals.strip(),
        start_date=start,
    )
    return _insert(session, pair, "pair")


def get_pair(session: Session, pair_id: str) -> Pair:
    """The pair with this id, or NotFound."""
    return _get(session, Pair, pair_id, "pair")


_MENTOR, _EXECUTIVE = aliased(User), aliased(User)
_PAIR_AND_NAMES = (
    select(Pair, _MENTOR.name, _EXECUTIVE.name)
    .join(_MENTOR, _MENTOR.id == Pair.mentor_id)
    .join(_EXECUTIVE, _EXECUTIVE.id == Pair.executive_id)
)


def pair_and_names(session: Session, pair_id: str) -> tuple[Pair, dict[str, str]]:
    """The pair with its members' names by user id, in one query; or NotFound."""
    row = session.execute(_PAIR_AND_NAMES.where(Pair.id == pair_id)).first()
    if row is None:
        raise NotFound(f"There is no pair {pair_id!r}.")
    pair, mentor_name, executive_name = row
    return pair, {pair.mentor_id: mentor_name, pair.executive_id: executive_name}


def list_pairs(session: Session, member_id: str | None = None) -> list[Pair]:
    """All pairs, or those a user belongs to."""
    query = select(Pair).order_by(Pair.start_date, Pair.id)
    if member_id is not None:
        query = query.where(or_(Pair.mentor_id == member_id, Pair.executive_id == member_id))
    return list(session.scalars(query))


def viewer_for(session: Session, user_id: str, admins_read_notes: bool = False) -> Viewer:
    """The access-rule view of a user: role and pairs."""
    user = get_user(session, user_id)
    pairs = frozenset(p.id for p in list_pairs(session, user.id))
    return Viewer(user.id, user.role, pairs, user.role == "admin" and admins_read_notes)


def add_note(
    session: Session,
    pair_id: str,
    author_id: str,
    date: str | dt.date | None,
    text: str,
    visibility: str = "pair",
    *,
    max_chars: int = 20_000,
    note_id: str | None = None,
    request_key: str | None = None,
    session_id: str | None = None,
) -> Note:
    """Record a session note written by a member of the pair.

    The note belongs to a session: the one named by ``session_id`` (marked held, and the note
    takes its date), else the pair's session on ``date`` (a held one is recorded if there is
    none). With a ``request_key`` (a client's Idempotency-Key), the note this author already
    created with that key is returned instead of a second one.
    """
    from assistant import sessions  # built on this module's records

    pair = get_pair(session, pair_id)
    get_user(session, author_id)
    if author_id not in (pair.mentor_id, pair.executive_id):
        raise InvalidInput(f"User {author_id!r} is not a member of pair {pair_id!r}.")
    if request_key is not None:
        mine = (Note.author_id == author_id) & (Note.request_key == request_key)
        done = session.scalar(select(Note).where(mine))
        if done is not None and done.pair_id != pair.id:
            raise InvalidInput("This Idempotency-Key was used for a note of another pair; use a new key.")
        if done is not None:
            return done
    if visibility not in VISIBILITIES:
        raise InvalidInput(f"Unknown visibility {visibility!r}; use one of: {', '.join(VISIBILITIES)}.")
    if date is None and session_id is None:
        raise InvalidInput("Give the note's date or the session it belongs to.")
    note = Note(
        id=note_id or new_id("n"),
        pair_id=pair.id,
        author_id=author_id,
        date=session_date(date) if date is not None else clock.today(),  # the session's, below
        visibility=visibility,
        text=clean_text(text, "note text", max_chars),
        request_key=request_key,
    )
    sessions.attach(session, note, session_id)
    return _insert(session, note, "note")


def get_note(session: Session, note_id: str) -> Note:
    """The note with this id, or NotFound."""
    return _get(session, Note, note_id, "note")


def update_note(
    session: Session,
    note_id: str,
    *,
    text: str | None = None,
    visibility: str | None = None,
    date: str | dt.date | None = None,
    max_chars: int = 20_000,
) -> Note:
    """Change a note's text, visibility or date; everything is validated before anything changes.

    A new date takes the note's session along when no other note shares it; otherwise the
    note moves to the pair's session on that date.
    """
    from assistant import sessions  # built on this module's records

    note = get_note(session, note_id)
    new_text = clean_text(text, "note text", max_chars) if text is not None else note.text
    if visibility is not None and visibility not in VISIBILITIES:
        raise InvalidInput(f"Unknown visibility {visibility!r}; use one of: {', '.join(VISIBILITIES)}.")
    new_date = session_date(date) if date is not None else note.date
    if new_date != note.date:
        sessions.redate(session, note, new_date)
    note.text = new_text
    note.visibility = visibility or note.visibility
    session.flush()
    return note


def delete_note(session: Session, note_id: str) -> None:
    """Remove a note from the store."""
    session.delete(get_note(session, note_id))
    session.flush()


def list_notes(session: Session, pair_id: str) -> list[Note]:
    """A pair's notes, oldest first."""
    get_pair(session, pair_id)
    query = select(Note).where(Note.pair_id == pair_id).order_by(Note.date, Note.created_at)
    return list(session.scalars(query))


_PAIR_NOTES = (
    select(
        Note.id,
        Note.pair_id,
        Note.author_id,
        Note.date,
        Note.session_id,
        Note.visibility,
        Note.text,
        Note.updated_at,
    )
    .where(Note.pair_id == bindparam("pair_id"))
    .order_by(Note.date, Note.created_at)
)


def pair_note_rows(connection: Connection, pair_id: str) -> Sequence[ResultRow[*tuple[Any, ...]]]:
    """A pair's notes as plain rows (no ORM objects to build), oldest first, as ``list_notes``.

    Asked of a connection (``Assistant.connection``): through a session the ORM's statement
    handling took half as long again, for rows it has nothing to add to.
    """
    return connection.execute(_PAIR_NOTES, {"pair_id": pair_id}).all()


def shared_counts(connection: Connection) -> dict[str, int]:
    """How many notes each pair shares with the program (``program`` visibility), by pair id."""
    rows = connection.execute(
        select(Note.pair_id, func.count()).where(Note.visibility == "program").group_by(Note.pair_id)
    )
    return {pair_id: count for pair_id, count in rows}


def all_notes(session: Session) -> list[Note]:
    """Every note (for rebuilding the index)."""
    return list(session.scalars(select(Note).order_by(Note.date)))
