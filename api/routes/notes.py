"""Session notes of a pair."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Response, status

from api.deps import AssistantDep, CurrentUser
from api.markdown import to_html
from api.schemas import Id, NoteCreate, NotePreview, NoteUpdate

router = APIRouter(prefix="/v1", tags=["notes"])


@router.post("/pairs/{pair_id}/notes", status_code=status.HTTP_201_CREATED)
def add_note(
    pair_id: Id,
    body: NoteCreate,
    user: CurrentUser,
    assistant: AssistantDep,
    idempotency_key: Annotated[str | None, Header(min_length=1, max_length=200, pattern=r"^[!-~]+$")] = None,
) -> dict[str, Any]:
    """Record a note for your own pair; it is searchable in the next request.

    Give the session it belongs to (`session_id`, which is then marked held) or the date of the
    session; a date without a recorded session records a held one.

    Send an `Idempotency-Key` header (any printable text, up to 200 characters) to make a retry
    safe: the same key from the same author returns the note already created.
    """
    return assistant.write_note(
        pair_id,
        user["id"],
        body.date.isoformat() if body.date else None,
        body.text,
        body.visibility,
        request_key=idempotency_key,
        session_id=body.session_id,
    )


@router.post("/notes/preview")
def preview_note(body: NotePreview, user: CurrentUser) -> dict[str, str]:
    """Render note text as Markdown the way the note page shows it: raw HTML is inert, links are http(s)."""
    return {"html": to_html(body.text)}


@router.get("/pairs/{pair_id}/notes")
def list_notes(pair_id: Id, user: CurrentUser, assistant: AssistantDep) -> list[dict[str, Any]]:
    """The pair's notes that you may read, oldest first."""
    return assistant.notes_for(pair_id, user["id"])


@router.patch("/notes/{note_id}")
def edit_note(note_id: Id, body: NoteUpdate, user: CurrentUser, assistant: AssistantDep) -> dict[str, Any]:
    """Change a note you wrote."""
    changes = body.model_dump(exclude_none=True)
    if "date" in changes:
        changes["date"] = changes["date"].isoformat()
    return assistant.edit_note(note_id, user["id"], **changes)


@router.delete("/notes/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_note(note_id: Id, user: CurrentUser, assistant: AssistantDep) -> Response:
    """Delete a note you wrote."""
    assistant.remove_note(note_id, user["id"])
    return Response(status_code=status.HTTP_204_NO_CONTENT)
