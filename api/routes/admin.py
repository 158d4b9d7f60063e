"""Program administration: users, pairs, guideline library, audit log."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

import anyio
from anyio.lowlevel import RunVar
from fastapi import APIRouter, File, UploadFile, status

from api.deps import Admin, AssistantDep, CurrentUser, Staff
from api.schemas import PairCreate, TokenCreate, UserCreate

router = APIRouter(prefix="/v1", tags=["administration"])
MAX_UPLOAD = 10 * 1024 * 1024
# Uploads are read and indexed by workers of their own, two at a time, never by the threads
# that answer other requests; each PDF or DOCX file is read in a process of its own, within
# the limits of assistant.documents.Limits and the time budget (ASSISTANT_PARSE_SECONDS).
_UPLOAD_WORKERS: RunVar[anyio.CapacityLimiter] = RunVar("upload_workers")


def upload_workers() -> anyio.CapacityLimiter:
    """The event loop's limiter for upload workers (made on first use, as anyio's own is)."""
    try:
        return _UPLOAD_WORKERS.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(2)
        _UPLOAD_WORKERS.set(limiter)
        return limiter


@router.get("/me")
def me(user: CurrentUser, assistant: AssistantDep) -> dict[str, Any]:
    """Who you are and which pairs you belong to."""
    return {**user, "pairs": assistant.list_pairs(user["id"])}


@router.get("/users")
def list_users(_user: Staff, assistant: AssistantDep) -> list[dict[str, Any]]:
    """Every user (admins and coordinators)."""
    return assistant.list_users()


@router.post("/users", status_code=status.HTTP_201_CREATED)
def add_user(body: UserCreate, _user: Admin, assistant: AssistantDep) -> dict[str, str]:
    """Create a user; the token is shown once (admins)."""
    return assistant.add_user(body.name, body.role)


@router.post("/users/{user_id}/token", status_code=status.HTTP_201_CREATED)
def issue_token(user_id: str, body: TokenCreate, _user: Admin, assistant: AssistantDep) -> dict[str, Any]:
    """Give a user a new API token, optionally expiring; shown once, the old one stops working (admins)."""
    return assistant.issue_token(user_id, body.expires_in_days)


@router.delete("/users/{user_id}/token", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(user_id: str, _user: Admin, assistant: AssistantDep) -> None:
    """Revoke a user's API token and end their web sessions at once (admins)."""
    assistant.revoke_token(user_id)


@router.get("/pairs")
def list_pairs(user: CurrentUser, assistant: AssistantDep) -> list[dict[str, Any]]:
    """All pairs for admins and coordinators; your own pairs otherwise."""
    staff = user["role"] in ("admin", "coordinator")
    return assistant.list_pairs(None if staff else user["id"])


@router.post("/pairs", status_code=status.HTTP_201_CREATED)
def add_pair(body: PairCreate, _user: Staff, assistant: AssistantDep) -> dict[str, str]:
    """Pair a mentor with an executive (admins and coordinators)."""
    return assistant.add_pair(body.mentor_id, body.executive_id, body.goals, start_date=body.start_date)


@router.get("/knowledge")
def list_knowledge(_user: CurrentUser, assistant: AssistantDep) -> list[dict[str, Any]]:
    """The guideline documents in the index."""
    return assistant.library()


@router.post("/knowledge", status_code=status.HTTP_201_CREATED)
async def upload_knowledge(
    files: Annotated[list[UploadFile], File(description="Markdown, text, PDF or DOCX guideline files.")],
    _user: Staff,
    assistant: AssistantDep,
) -> dict[str, Any]:
    """Add or replace guideline documents and re-index them.

    A file over a limit (size, unpacked size, parts, paragraphs, pages, text, or the time to
    read it) is refused with 413 and the reason; nothing of the upload is stored.
    """
    uploads = [(f.filename or "", await f.read(MAX_UPLOAD + 1)) for f in files]
    upload = partial(assistant.upload_guidelines, uploads, MAX_UPLOAD)
    report = await anyio.to_thread.run_sync(upload, limiter=upload_workers())
    return report.as_dict()


@router.get("/audit")
def audit(_user: Admin, assistant: AssistantDep, limit: int = 100) -> list[dict[str, Any]]:
    """Which notes fed which responses, for whom and when (admins)."""
    return assistant.audit_log(min(max(limit, 1), 1000))
