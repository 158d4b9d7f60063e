"""A user's stored conversations: list them, read one's turns, rename and delete them.

A conversation belongs to the user who started it. Anyone else, and an id that does not
exist, gets the same ``NotFound``: no one learns that someone else's conversation exists.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import delete as delete_rows
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant import program
from assistant.core import Assistant
from assistant.errors import NotFound
from assistant.store import Conversation, Message

log = logging.getLogger(__name__)
MAX_TITLE = 200


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


def _turn(message: Message) -> dict[str, Any]:
    """A stored message as shown: an answer also says its task, mode and citations."""
    turn: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.role == "assistant":
        payload = _payload(message)
        citations = payload.get("citations")
        turn.update(
            task=message.task,
            mode=payload.get("mode"),
            fallback_reason=payload.get("fallback_reason"),
            citations=citations if isinstance(citations, list) else [],
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
    empty list, when it stored none).

    Raises:
        NotFound: There is no such conversation, or it is someone else's.
    """
    with assistant.session(write=False) as session:
        _owned(session, conversation_id, user_id)
        rows = session.scalars(
            select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
        )
        return [_turn(m) for m in rows]


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
