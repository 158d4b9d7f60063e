"""The reminders page: what the assistant reminded you of, and which kinds you want."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response, status
from fastapi.responses import RedirectResponse

from api.deps import AssistantDep, CurrentUser
from api.pages import PageRoute
from api.present import templates
from assistant.reminders import KINDS, Reminders

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/reminders")
def reminders_page(
    request: Request, user: CurrentUser, assistant: AssistantDep, saved: bool = False
) -> Response:
    """Your recent reminders (with their links) and a form to turn each kind on or off."""
    request.state.page_user = user
    reminders = Reminders(assistant)
    off = reminders.turned_off(user["id"])
    context: dict[str, Any] = {
        "user": user,
        "pairs": [],
        "active": "reminders",
        "recent": reminders.recent(user["id"]),
        "kinds": [{"kind": k, "label": label, "on": k not in off} for k, label in KINDS.items()],
        "saved": saved,
    }
    return templates.TemplateResponse(request, "reminders.html", context)


@router.post("/reminders")
def choose_reminders(
    user: CurrentUser,
    assistant: AssistantDep,
    kinds: Annotated[list[str] | None, Form(max_length=20)] = None,
) -> Response:
    """Keep the ticked kinds on and turn the others off."""
    Reminders(assistant).choose(user["id"], set(kinds or []))
    return RedirectResponse("/reminders?saved=true", status.HTTP_303_SEE_OTHER)
