"""A user's stored conversations: list them, read one's turns, rename and delete them.

A conversation belongs to the user who started it. Anyone else, and an id that does not
exist, gets the same ``NotFound``: no one learns that someone else's conversation exists.

A stored answer never outlives the access it was given under: each time history is read,
the notes an answer drew on are checked again, and an answer drawing on a note that is gone
or that the reader may no longer read is shown as one sentence saying so (``REVOKED``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete as delete_rows
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import program
from assistant.access import Viewer, can_read_note
from assistant.core import Assistant
from assistant.errors import NotFound
from assistant.store import Conversation, Message, Note

log = logging.getLogger(__name__)
MAX_TITLE = 200
REVOKED = "This answer quoted a session note that is no longer available to you."


def _owned(session: Session, conversation_id: str, user_id: str) -> Conversation:
    found = session.get(Conversation, conversation_id)
    if found is None or found.user_id != user_id:
        raise NotFound(f"There is no conversation {conversation_id!r}.")
    return found


def _summary(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "title": conversation.title,
        "pair_id": conversation.pair_id,
        "created_at": conversation.created_at.isoformat(),
    }


def _payload(message: Message) -> dict[str, Any]:
    """The task result stored with an answer, or ``{}`` (a clarifying question stores none)."""
    if not message.payload:
        return {}
    try:
        payload = json.loads(message.payload)
    except ValueError:
        log.warning("message %s has a payload that is not JSON; shown without it", message.id)
        return {}
    return payload if isinstance(payload, dict) else {}


def cited_notes(value: Any) -> set[str]:
    """Every note id a stored result names (citations, recap, actions, excerpts), however deep."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            note_id = item.get("note_id")
            if isinstance(note_id, str) and note_id:
                found.add(note_id)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def unavailable_notes(session: Session, viewer: Viewer, note_ids: Iterable[str]) -> set[str]:
    """Those of ``note_ids`` that are gone or that the viewer may no longer read (one query)."""
    wanted = set(note_ids)
    if not wanted:
        return set()
    rows = session.execute(
        select(Note.id, Note.pair_id, Note.author_id, Note.visibility).where(Note.id.in_(wanted))
    )
    return wanted - {row.id for row in rows if can_read_note(viewer, dict(row._mapping))}


def checked(
    session: Session, viewer: Viewer, messages: Iterable[Message]
) -> list[tuple[Message, dict[str, Any], set[str]]]:
    """Each message with its payload and the notes it drew on that the viewer can no longer read."""
    loaded = [(m, _payload(m) if m.role == "assistant" else {}) for m in messages]
    cited = {m.id: cited_notes(payload) for m, payload in loaded}
    gone = unavailable_notes(session, viewer, set().union(*cited.values()))
    return [(m, payload, cited[m.id] & gone) for m, payload in loaded]


def _turn(message: Message, payload: dict[str, Any], revoked: set[str]) -> dict[str, Any]:
    """A stored message as shown: an answer also says its task, mode and citations.

    An answer that drew on a note in ``revoked`` shows ``REVOKED`` instead of its text, and
    loses its citations of those notes.
    """
    turn: dict[str, Any] = {"role": message.role, "content": REVOKED if revoked else message.content}
    if message.role == "assistant":
        citations = payload.get("citations")
        kept = [
            c
            for c in (citations if isinstance(citations, list) else [])
            if not (isinstance(c, dict) and c.get("note_id") in revoked)
        ]
        turn.update(
            task=message.task,
            mode=payload.get("mode"),
            fallback_reason=payload.get("fallback_reason"),
            citations=kept,
            pair_id=payload.get("pair_id"),
        )
    return turn


def list_for(assistant: Assistant, user_id: str) -> list[dict[str, Any]]:
    """A user's conversations, newest first."""
    with assistant.session(write=False) as session:
        rows = session.scalars(
            select(Conversation)
            .where(Conversation.user_id == user_id)
            .order_by(Conversation.created_at.desc())
        )
        return [_summary(c) for c in rows]


def turns(assistant: Assistant, conversation_id: str, user_id: str) -> list[dict[str, Any]]:
    """One of the user's conversations, turn by turn, oldest first.

    Each turn has ``role`` and ``content``; an answer also has ``task``, ``mode``,
    ``fallback_reason``, ``citations`` and ``pair_id`` from its stored result (``None``, or an
    empty list, when it stored none). An answer drawing on a note the user can no longer read
    says so instead (see ``REVOKED``).

    Raises:
        NotFound: There is no such conversation, or it is someone else's.
    """
    viewer = assistant.viewer(user_id)
    with assistant.session(write=False) as session:
        _owned(session, conversation_id, user_id)
        rows = session.scalars(
            select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
        )
        return [_turn(*row) for row in checked(session, viewer, rows)]


def rename(assistant: Assistant, conversation_id: str, user_id: str, title: str) -> dict[str, Any]:
    """Give one of the user's conversations a new title and return it.

    The title is trimmed, and line breaks and runs of spaces become one space; it must then
    hold 1 to 200 characters.

    Raises:
        InvalidInput: The title is blank, too long or holds a NUL character; nothing changed.
        NotFound: There is no such conversation, or it is someone else's.
    """
    clean = program.clean_text(" ".join(title.split()), "title", MAX_TITLE)
    with assistant.session() as session:
        conversation = _owned(session, conversation_id, user_id)
        conversation.title = clean
        return _summary(conversation)


def delete(assistant: Assistant, conversation_id: str, user_id: str) -> None:
    """Delete one of the user's conversations and all its messages, in one transaction.

    Raises:
        NotFound: There is no such conversation, or it is someone else's; nothing changed.
    """
    with assistant.session() as session:
        conversation = _owned(session, conversation_id, user_id)
        session.execute(delete_rows(Message).where(Message.conversation_id == conversation_id))
        session.delete(conversation)
