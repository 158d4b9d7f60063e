"""The self-ratings page: a member rates themselves on their objectives at the start and end of a cycle.

The pulse form lives on the session page (``api/session_pages.py``). Both are plain forms:
no script is needed, and a mistake shows the form again with the reason and nothing saved.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.deps import AssistantDep, CurrentUser
from api.pages import PageRoute
from api.present import pair_label, templates
from assistant.core import Assistant
from assistant.errors import AssistantError, InvalidInput
from assistant.evaluation import Evaluation
from assistant.ratings import PHASES

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PHASE_LABELS = {"start": "Start of the cycle", "end": "End of the cycle"}
MAX_FIELDS = 50


def _objectives_page(
    request: Request,
    pair_id: str,
    user: dict[str, Any],
    assistant: Assistant,
    error: str | None = None,
    draft: dict[str, str] | None = None,
) -> Response:
    request.state.page_user = user
    form = Evaluation(assistant).rating_form(pair_id, user["id"])
    names = {u["id"]: u["name"] for u in assistant.list_users()}
    pairs = [{**p, "label": pair_label(p, names)} for p in assistant.list_pairs(user["id"])]
    pair = next(p for p in pairs if p["id"] == form["pair_id"])
    phase = form["open_phase"]
    chosen = draft if draft is not None else {k: str(v) for k, v in form["mine"].get(phase or "", {}).items()}
    context: dict[str, Any] = {
        "user": user,
        "pairs": pairs,
        "pair": pair,
        "active": "objectives",
        "form": form,
        "phase": phase,
        "phase_labels": PHASE_LABELS,
        "phases": PHASES,
        "chosen": chosen,
        "error": error,
        "saved": request.query_params.get("saved") == "true",
        "min_group_size": assistant.settings.min_group_size,
    }
    response = templates.TemplateResponse(request, "objectives.html", context)
    if error:
        response.status_code = status.HTTP_400_BAD_REQUEST
    return response


@router.get("/pairs/{pair_id}/objectives")
def objectives_page(request: Request, pair_id: str, user: CurrentUser, assistant: AssistantDep) -> Response:
    """Your objectives, the phase you can rate now, and your own ratings so far."""
    return _objectives_page(request, pair_id, user, assistant)


@router.post("/pairs/{pair_id}/objectives")
async def rate_objectives(
    request: Request, pair_id: str, user: CurrentUser, assistant: AssistantDep
) -> Response:
    """Save your ratings for the open phase (``rating-<objective id>`` fields, 1-5 each)."""
    form = await request.form(max_fields=MAX_FIELDS, max_files=0)
    phase = str(form.get("phase", ""))[:10]
    draft = {
        key.removeprefix("rating-"): str(value)[:2]
        for key, value in form.items()
        if key.startswith("rating-") and isinstance(value, str)
    }

    def save() -> None:
        bad = [k for k, v in draft.items() if not v.isdigit()]
        if bad:
            raise InvalidInput(f"The rating of {bad[0][:64]} is a whole number from 1 to 5.")
        Evaluation(assistant).rate(pair_id, user["id"], phase, {k: int(v) for k, v in draft.items()})

    try:
        await run_in_threadpool(save)
    except AssistantError as exc:
        if exc.status in (status.HTTP_403_FORBIDDEN, status.HTTP_404_NOT_FOUND):
            raise
        return await run_in_threadpool(_objectives_page, request, pair_id, user, assistant, str(exc), draft)
    return RedirectResponse(
        f"/pairs/{quote(pair_id, safe='')}/objectives?saved=true", status.HTTP_303_SEE_OTHER
    )
