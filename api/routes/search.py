"""Search: the guidelines, and the session notes the caller may read."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import AssistantDep, CurrentUser
from api.schemas import SearchRequest

router = APIRouter(prefix="/v1", tags=["search"])


@router.post("/search")
def search(body: SearchRequest, user: CurrentUser, assistant: AssistantDep) -> list[dict[str, Any]]:
    """The best `k` guideline sections and notes for a query, inside your access rules.

    `mode` picks the signals: `hybrid` (meaning and words, the default), `dense` (meaning
    only: what the vector index holds) or `bm25` (words only). A note is found by its words
    as soon as it is saved, and by its meaning once it is indexed.
    """
    hits = assistant.search(body.query, body.k, user["id"], body.mode)
    assistant.audit(user["id"], "search", [h.meta["note_id"] for h in hits if h.kind == "note"])
    return [h.public() for h in hits]
