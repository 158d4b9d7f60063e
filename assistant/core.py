"""The assistant as one object: store, index and retrieval wired together for the CLI and API."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant import program
from assistant.access import Viewer, can_read_note, is_member
from assistant.cache import ExpiringCache
from assistant.documents import SUFFIXES, Limits, load_document
from assistant.embeddings import get_embedder
from assistant.errors import Forbidden, InvalidInput, NotFound, TooLarge, Unavailable
from assistant.groupcommit import GroupCommit
from assistant.index import IndexBusy, VectorIndex, owning
from assistant.ingest import IngestReport, ingest_paths, read_documents
from assistant.outbox import Background, Drainer, enqueue
from assistant.retrieval import Hit, search
from assistant.settings import Settings, get_settings
from assistant.store import (
    AuditEntry,
    IngestedRoot,
    Note,
    Pair,
    User,
    connection_scope,
    people_version,
    session_scope,
)

log = logging.getLogger("assistant")

# Audit entries held for a caller that stores them with its own write (see holding_audit).
_HELD_AUDIT: ContextVar[list[AuditEntry] | None] = ContextVar("held_audit", default=None)

# How long who-a-token-is and which-pairs-a-user-is-in are trusted without asking the store
# again, when nothing changed them in this process (see assistant/cache.py): other instances'
# changes show within 2 s, as index changes do.
IDENTITY_SECONDS = 2.0


def user_dict(user: User) -> dict[str, Any]:
    """A user as shown to people (never the token hash)."""
    return {"id": user.id, "name": user.name, "role": user.role}


def _until(user: dict[str, Any], expires: dt.datetime | None) -> dict[str, Any]:
    """A user to cache for a token or session, with when that ends (a cached entry expires too)."""
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=dt.UTC)
    return {**user, "_expires": expires}


def _live(cached: dict[str, Any] | None) -> dict[str, Any] | None:
    """The user of a cached entry, or None once its token or session has expired."""
    if cached is None:
        return None
    expires = cached.get("_expires")
    if expires is not None and expires <= dt.datetime.now(dt.UTC):
        return None
    return {key: value for key, value in cached.items() if key != "_expires"}


def pair_dict(pair: Pair) -> dict[str, Any]:
    """A pair as shown to people."""
    return {
        "id": pair.id,
        "mentor_id": pair.mentor_id,
        "executive_id": pair.executive_id,
        "goals": pair.goals,
        "start_date": pair.start_date.isoformat(),
    }


def note_dict(note: Note | Row[*tuple[Any, ...]]) -> dict[str, Any]:
    """A note (or a row of its fields) as shown to the people allowed to read it."""
    return {
        "id": note.id,
        "pair_id": note.pair_id,
        "author_id": note.author_id,
        "date": note.date.isoformat(),
        "session_id": note.session_id,
        "visibility": note.visibility,
        "text": note.text,
    }


class Assistant:
    """Entry point of the library: every CLI command and API route calls one method here."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self._users: ExpiringCache[str, dict[str, Any] | None] = ExpiringCache(
            IDENTITY_SECONDS, people_version
        )
        self._viewers: ExpiringCache[str, Viewer] = ExpiringCache(IDENTITY_SECONDS, people_version)
        self._url = self.settings.sqlalchemy_url  # worked out once: every transaction names it
        self._audit_rows = GroupCommit(self._url)

    @contextmanager
    def session(self, write: bool = True) -> Iterator[Session]:
        """A store transaction; one that only reads (``write=False``) does not wait for writers."""
        with session_scope(self._url, write) as session:
            yield session

    @contextmanager
    def connection(self, write: bool = True) -> Iterator[Connection]:
        """A store transaction on a plain connection (``store.connection_scope``): no ORM objects."""
        with connection_scope(self._url, write) as connection:
            yield connection

    @cached_property
    def index(self) -> VectorIndex:
        """The vector index (opened on first use)."""
        return VectorIndex(self.settings, get_embedder(self.settings))

    @cached_property
    def outbox(self) -> Drainer:
        """Applies note changes recorded in the store to the index."""
        return Drainer(self.index, self.settings.chunk_chars)

    def index_pending(self) -> bool:
        """Index the notes the outbox names now; False when that is left for later.

        Later means the process that owns the index (a running server) does it within a second,
        or, if indexing failed here, the next drain does. The notes are saved either way.
        """
        try:
            with owning(self.settings, "it will index these notes"):
                self.outbox.drain()
        except IndexBusy:
            return False
        except Exception as exc:  # noqa: BLE001 - the note is saved; the outbox keeps it for the next drain
            log.warning(
                "indexing notes failed (%s); they are saved and will be indexed later", type(exc).__name__
            )
            return False
        return True

    @contextmanager
    def serving(self) -> Iterator[None]:
        """Own the index for a server's lifetime, draining the outbox at start and every second."""
        with owning(
            self.settings,
            "only one server can use an embedded index: stop the other one, "
            "or point both at a Chroma server with ASSISTANT_CHROMA_URL",
        ):
            self.index_pending()
            background = Background(self.outbox)
            background.start()
            try:
                yield
            finally:
                background.stop()

    @property
    def default_guidelines(self) -> Path:
        """The guidelines that ship with the assistant."""
        return self.settings.knowledge_dir / "guidelines"

    def add_user(self, name: str, role: str, **ids: str | None) -> dict[str, str]:
        """Create a user and return its id and bearer token."""
        with self.session() as session:
            user, token = program.add_user(session, name, role, **ids)
            return {"id": user.id, "token": token}

    def user_for_token(self, token: str) -> dict[str, Any] | None:
        """The user a bearer token belongs to, or None (tokens are stored and looked up hashed)."""
        if not token:
            return None

        def load() -> dict[str, Any] | None:
            with self.session(write=False) as session:
                user = program.user_by_token(session, token)
                return _until(user_dict(user), user.token_expires_at) if user is not None else None

        return _live(self._users.get(program.hash_token(token), load))

    def issue_token(self, user_id: str, days: float | None = None) -> dict[str, Any]:
        """A new API token for a user (shown once; the old one stops working), expiring after ``days``."""
        if days is not None and not 0 < days <= 3650:
            raise InvalidInput("A token's lifetime must be more than 0 and at most 3650 days.")
        lifetime = dt.timedelta(days=days) if days is not None else None
        with self.session() as session:
            token, user = program.issue_token(session, user_id, lifetime)
            expires = user.token_expires_at.isoformat() if user.token_expires_at else None
            return {"id": user.id, "token": token, "expires_at": expires}

    def revoke_token(self, user_id: str) -> None:
        """Revoke a user's API token and end their web sessions at once."""
        with self.session() as session:
            program.revoke_token(session, user_id)

    def start_web_session(self, token: str, previous: str = "") -> tuple[str, dict[str, Any]] | None:
        """Sign in with an API token: a new web session id and the user, or None for a bad token.

        The ``previous`` session (the browser's cookie, if any) ends: every sign-in gets a new id.
        """
        with self.session() as session:
            user = program.user_by_token(session, token) if token else None
            if previous:
                program.end_web_session(session, previous)
            if user is None:
                return None
            lifetime = dt.timedelta(hours=self.settings.session_hours)
            return program.start_web_session(session, user.id, lifetime), user_dict(user)

    def web_session_user(self, session_id: str) -> dict[str, Any] | None:
        """The user of a live web session, or None (briefly cached, like tokens)."""
        if not session_id:
            return None

        def load() -> dict[str, Any] | None:
            with self.session(write=False) as session:
                found = program.web_session_user(session, session_id)
                return _until(user_dict(found[0]), found[1]) if found is not None else None

        return _live(self._users.get("session:" + program.hash_token(session_id), load))

    def end_web_session(self, session_id: str) -> None:
        """Sign out: the session id stops working at once."""
        if session_id:
            with self.session() as session:
                program.end_web_session(session, session_id)

    def cached_user(self, token: str) -> dict[str, Any] | None:
        """``user_for_token`` when the answer is still cached, else None (never touches the store)."""
        return _live(self._users.peek(program.hash_token(token)) if token else None)

    def list_users(self) -> list[dict[str, Any]]:
        """Every user."""
        with self.session(write=False) as session:
            return [user_dict(u) for u in program.list_users(session)]

    def add_pair(self, mentor_id: str, executive_id: str, goals: str = "", **extra: Any) -> dict[str, str]:
        """Create a pair and return its id."""
        with self.session() as session:
            return {"id": program.add_pair(session, mentor_id, executive_id, goals, **extra).id}

    def list_pairs(self, member_id: str | None = None) -> list[dict[str, Any]]:
        """All pairs, or a user's pairs."""
        with self.session(write=False) as session:
            return [pair_dict(p) for p in program.list_pairs(session, member_id)]

    def viewer(self, user_id: str) -> Viewer:
        """The access-rule view of a user (NotFound for an unknown user)."""

        def load() -> Viewer:
            with self.session(write=False) as session:
                return program.viewer_for(session, user_id, self.settings.admins_read_notes)

        return self._viewers.get(user_id, load)

    def add_note(
        self,
        pair_id: str,
        author_id: str,
        date: str | None,
        text: str,
        visibility: str = "pair",
        **extra: Any,
    ) -> dict[str, Any]:
        """Store a note and its outbox row in one transaction, then index it.

        The next search finds it; if indexing has to wait, the outbox keeps it until it is done.
        """
        with self.session() as session:
            note = program.add_note(
                session,
                pair_id,
                author_id,
                date,
                text,
                visibility,
                max_chars=self.settings.max_note_chars,
                **extra,
            )
            enqueue(session, [note.id])
        self.index_pending()
        return note_dict(note)

    def list_notes(self, pair_id: str, as_user: str | None = None) -> list[dict[str, Any]]:
        """A pair's notes; with ``as_user``, only those that user may read."""
        with self.session(write=False) as session:
            notes = program.list_notes(session, pair_id)
            viewer = (
                program.viewer_for(session, as_user, self.settings.admins_read_notes) if as_user else None
            )
        shown = [note_dict(n) for n in notes]
        return [n for n in shown if viewer is None or can_read_note(viewer, n)]

    def pair_for(self, pair_id: str, as_user: str) -> dict[str, Any]:
        """A pair as a user may see it: members and coordinators; others get NotFound."""
        with self.session(write=False) as session:
            viewer = program.viewer_for(session, as_user, self.settings.admins_read_notes)
            pair = program.get_pair(session, pair_id)
            if not (is_member(viewer, pair.id) or viewer.role == "coordinator" or viewer.reads_all_notes):
                raise NotFound(f"There is no pair {pair_id!r}.")
            return pair_dict(pair)

    def notes_for(self, pair_id: str, as_user: str) -> list[dict[str, Any]]:
        """The notes of a pair that a user may read (the pair must be visible to them)."""
        self.pair_for(pair_id, as_user)
        notes = self.list_notes(pair_id, as_user)
        self.audit(as_user, "list_notes", [n["id"] for n in notes])
        return notes

    def write_note(
        self,
        pair_id: str,
        as_user: str,
        date: str | None,
        text: str,
        visibility: str = "pair",
        request_key: str | None = None,
        session_id: str | None = None,
    ) -> dict[str, Any]:
        """A member records a note for their own pair (once per ``request_key``, when given)."""
        viewer = self.viewer(as_user)
        if not is_member(viewer, pair_id):
            self.pair_for(pair_id, as_user)  # NotFound for strangers
            raise Forbidden("Only the pair's mentor and executive can write its notes.")
        extra = {"request_key": request_key, "session_id": session_id}
        try:
            return self.add_note(pair_id, as_user, date, text, visibility, **extra)
        except IntegrityError:  # the same key, committed by a concurrent retry just now
            if request_key is None:
                raise
            return self.add_note(pair_id, as_user, date, text, visibility, **extra)

    def _editable(self, note_id: str, as_user: str) -> Viewer:
        with self.session(write=False) as session:
            viewer = program.viewer_for(session, as_user, self.settings.admins_read_notes)
            note = note_dict(program.get_note(session, note_id))
        if not can_read_note(viewer, note):
            raise NotFound(f"There is no note {note_id!r}.")
        if note["author_id"] != as_user and not viewer.reads_all_notes:
            raise Forbidden("Only the note's author can change or delete it.")
        return viewer

    def edit_note(self, note_id: str, as_user: str, **changes: Any) -> dict[str, Any]:
        """The author changes a note; the store is updated first, then the index."""
        self._editable(note_id, as_user)
        with self.session() as session:
            note = program.update_note(session, note_id, max_chars=self.settings.max_note_chars, **changes)
            enqueue(session, [note.id])
        self.index_pending()
        return note_dict(note)

    def remove_note(self, note_id: str, as_user: str) -> None:
        """The author deletes a note from the store and the index."""
        self._editable(note_id, as_user)
        with self.session() as session:
            program.delete_note(session, note_id)
            enqueue(session, [note_id])
        self.index_pending()

    def audit(
        self, user_id: str, action: str, note_ids: list[str], usage: dict[str, Any] | None = None
    ) -> None:
        """Record which notes fed a response (only when some did, or a model answered: ``usage``).

        ``usage`` is a model turn's ``model``, ``input_tokens``, ``output_tokens`` and ``latency_s``.
        """
        if not note_ids and usage is None:
            return
        entry = AuditEntry(user_id=user_id, action=action, note_ids=",".join(sorted(set(note_ids))))
        if usage is not None:
            entry.model = str(usage.get("model") or "")[:200] or None
            entry.input_tokens = int(usage.get("input_tokens") or 0)
            entry.output_tokens = int(usage.get("output_tokens") or 0)
            entry.latency_ms = round(float(usage.get("latency_s") or 0.0) * 1000)
        held = _HELD_AUDIT.get()
        if held is not None:
            held.append(entry)
            return
        self._audit_rows.add([entry])  # in one commit with other requests' entries of the moment

    @contextmanager
    def holding_audit(self) -> Iterator[list[AuditEntry]]:
        """Hold the audit entries recorded in this block for the caller to store in its own write.

        A caller that stores the response anyway (chat keeps each turn) saves a commit, and with
        it a wait for the disk. The caller empties the list once its transaction has committed;
        entries still held when the block ends (the caller failed first) are stored then.
        """
        held: list[AuditEntry] = []
        token = _HELD_AUDIT.set(held)
        try:
            yield held
        finally:
            _HELD_AUDIT.reset(token)
            if held:
                self._audit_rows.add(held)

    def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        """The latest audit entries, newest first."""
        with self.session(write=False) as session:
            rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
            return [
                {
                    "user_id": r.user_id,
                    "action": r.action,
                    "note_ids": r.note_ids.split(",") if r.note_ids else [],
                    "at": r.at.isoformat(),
                    **(
                        {
                            "model": r.model,
                            "input_tokens": r.input_tokens,
                            "output_tokens": r.output_tokens,
                            "latency_ms": r.latency_ms,
                        }
                        if r.latency_ms is not None
                        else {}
                    ),
                }
                for r in rows
            ]

    def search(self, query: str, k: int = 5, as_user: str | None = None, mode: str = "hybrid") -> list[Hit]:
        """Hybrid search over guidelines, plus the notes ``as_user`` may read."""
        if not query.strip():
            raise InvalidInput("The query must not be empty.")
        if not 1 <= k <= 100:
            raise InvalidInput("k must be between 1 and 100.")
        viewer = self.viewer(as_user) if as_user else None
        return search(self.index, query, k, viewer, mode=mode)

    def ingest(self, paths: list[Path]) -> IngestReport:
        """Index guideline files or folders and remember them for ``reindex``."""
        with owning(
            self.settings,
            "upload the files through it (the program page's Library, or POST /v1/knowledge), "
            "or stop it and run this again",
        ):
            report = ingest_paths(self.index, paths, self.settings.chunk_chars, limits=self.limits)
        with self.session() as session:
            for path in paths:
                key = str(path.resolve())
                if session.get(IngestedRoot, key) is None:
                    session.add(IngestedRoot(path=key))
        return report

    @property
    def limits(self) -> Limits:
        """What one guideline file may cost to read (the time budget from the settings)."""
        return Limits(seconds=self.settings.parse_seconds)

    @property
    def library_dir(self) -> Path:
        """Where uploaded guideline documents are kept (inside the data folder)."""
        return self.settings.home / "library"

    def upload_guidelines(self, files: list[tuple[str, bytes]], max_bytes: int) -> IngestReport:
        """Validate uploaded documents, keep them in the library and index them; all or nothing."""
        if not files:
            raise InvalidInput("Upload at least one file.")
        checked = []
        with tempfile.TemporaryDirectory() as scratch:
            for name, data in files:
                clean = Path(name).name
                if not clean or clean.startswith(".") or Path(clean).suffix.lower() not in SUFFIXES:
                    raise InvalidInput(
                        f"{name!r}: upload Markdown, text, PDF or DOCX files ({', '.join(SUFFIXES)})."
                    )
                if len(data) > max_bytes:
                    raise TooLarge(f"{clean} is larger than {max_bytes // (1024 * 1024)} MB.")
                if not data.strip():
                    raise InvalidInput(f"{clean} is empty.")
                trial = Path(scratch) / clean
                trial.write_bytes(data)
                if not load_document(trial, Path(scratch), self.limits).sections:
                    raise InvalidInput(f"{clean} has no text to index.")
                checked.append((clean, data))
        self.library_dir.mkdir(parents=True, exist_ok=True)
        for clean, data in checked:
            (self.library_dir / clean).write_bytes(data)
        return self.ingest([self.library_dir])

    def library(self) -> list[dict[str, Any]]:
        """The indexed guideline documents with their chunk counts."""
        documents: dict[tuple[str, str], dict[str, Any]] = {}
        for meta in self.index.mirror("guidelines").metas:
            key = (str(meta.get("root")), str(meta.get("source")))
            entry = documents.setdefault(
                key,
                {
                    "source": meta.get("source"),
                    "title": meta.get("title"),
                    "chunks": 0,
                    "uploaded": key[0] == str(self.library_dir.resolve()),
                },
            )
            entry["chunks"] += 1
        return sorted(documents.values(), key=lambda d: (d["uploaded"], str(d["source"])))

    def _reusable_generation(self) -> str | None:
        """The live generation, when its vectors came from the embedder in use (a rebuild reuses them)."""
        try:
            self.index.collection("notes")
        except Unavailable:  # built with another embedder: everything is embedded afresh
            return None
        return self.index.state().generation

    def reindex(self) -> dict[str, int]:
        """Rebuild the whole index from the store and every known guideline folder.

        A new generation of collections is filled while the current one keeps serving, then
        swapped in; notes written meanwhile go to both.
        """
        with self.session(write=False) as session:
            roots = [Path(r) for r in session.scalars(select(IngestedRoot.path))]
        roots = [r for r in dict.fromkeys([self.default_guidelines.resolve(), *roots]) if r.exists()]
        # A bad file, or one over the limits, is refused here, before anything is built.
        documents = read_documents(roots, self.limits)
        with owning(
            self.settings,
            "rebuild through it (Rebuild on the program page), or stop it and run this again",
        ):
            reuse = self._reusable_generation()
            generation = self.index.begin_rebuild()
            try:
                guidelines = ingest_paths(self.index, roots, self.settings.chunk_chars, documents, generation)
                with self.session(write=False) as session:
                    note_ids = list(session.scalars(select(Note.id).order_by(Note.id)))
                for start in range(0, len(note_ids), 256):
                    self.outbox.apply(note_ids[start : start + 256], [generation], reuse)
                chunks = self.index.collection("notes", generation).count()
                self.index.finish_rebuild(generation)
            except BaseException:
                self.index.abandon_rebuild(generation)
                raise
        return {
            "documents": guidelines.documents,
            "guideline_chunks": guidelines.chunks,
            "notes": len(note_ids),
            "note_chunks": chunks,
        }
