"""Web pages for a pair's sessions: plan one, hold, cancel or move it, and write its note.

The note editor saves by itself through the JSON API (``api/static/note.js``: the draft is
kept in the browser until the server has it) and previews the Markdown as the server renders
it (``POST /v1/notes/preview``). Without scripts, its form posts to ``/sessions/{id}/note``.
Cookie-authenticated posts must come from this site's pages (``api.deps.current_user``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, Response, status
from fastapi.responses import RedirectResponse

from api.deps import AssistantDep, CurrentUser, GuideDep
from api.markdown import to_html
from api.pages import PageRoute
from api.present import pair_label, templates
from assistant import clock, reading, sessions
from assistant.core import Assistant
from assistant.errors import AssistantError
from assistant.evaluation import Evaluation
from assistant.guide import Guide
from assistant.schedule import Schedule

STAFF = ("coordinator", "admin")
VISIBILITY = ("pair", "private", "program")
DateField = Annotated[str, Form(max_length=10)]
TimeField = Annotated[str, Form(max_length=8)]
ZoneField = Annotated[str, Form(max_length=64)]
MinutesField = Annotated[int, Form(ge=sessions.MIN_MINUTES, le=sessions.MAX_MINUTES)]

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _page(
    request: Request, name: str, user: dict[str, Any], assistant: Assistant, **context: Any
) -> Response:
    request.state.page_user = user
    names = {u["id"]: u["name"] for u in assistant.list_users()}
    pairs = [] if user["role"] in STAFF else assistant.list_pairs(user["id"])
    listed = [{**p, "label": pair_label(p, names)} for p in pairs]
    return templates.TemplateResponse(request, name, {"user": user, "pairs": listed, **context})


def _pair(assistant: Assistant, pair_id: str, user: dict[str, Any]) -> dict[str, Any]:
    pair = assistant.pair_for(pair_id, user["id"])
    names = {u["id"]: u["name"] for u in assistant.list_users()}
    member = user["id"] in (pair["mentor_id"], pair["executive_id"])
    return {**pair, "label": pair_label(pair, names), "names": names, "member": member}


def _go(path: str) -> Response:
    return RedirectResponse(path, status.HTTP_303_SEE_OTHER)


# A pair's sessions ---------------------------------------------------------------------


def _sessions_page(
    request: Request,
    pair_id: str,
    user: dict[str, Any],
    assistant: Assistant,
    error: str | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    schedule = Schedule(assistant)
    pair = _pair(assistant, pair_id, user)
    listed = schedule.list(pair_id, user["id"])
    today = clock.today().isoformat()
    upcoming = [s for s in listed if s["status"] == "planned" and s["date"] >= today]
    past = [s for s in reversed(listed) if s not in upcoming]
    zone = schedule.time_zone_for(user["id"])
    defaults = {"date": "", "time": "09:00", "time_zone": zone, "minutes": sessions.DEFAULT_MINUTES}
    response = _page(
        request,
        "sessions.html",
        user,
        assistant,
        active="sessions",
        pair=pair,
        upcoming=upcoming,
        past=past,
        error=error,
        form={**defaults, **(form or {})},
    )
    if error:
        response.status_code = status.HTTP_400_BAD_REQUEST
    return response


@router.get("/pairs/{pair_id}/sessions")
def sessions_page(request: Request, pair_id: str, user: CurrentUser, assistant: AssistantDep) -> Response:
    """The pair's sessions (coming and past) and, for its members, a form to plan one."""
    return _sessions_page(request, pair_id, user, assistant)


@router.post("/pairs/{pair_id}/sessions")
def plan_session(
    request: Request,
    pair_id: str,
    user: CurrentUser,
    assistant: AssistantDep,
    date: DateField,
    time: TimeField,
    time_zone: ZoneField = "",
    minutes: MinutesField = sessions.DEFAULT_MINUTES,
) -> Response:
    """Plan a session of your pair, then open it (a mistake shows the form again, with the reason)."""
    form = {"date": date, "time": time, "time_zone": time_zone, "minutes": minutes}
    try:
        planned = Schedule(assistant).plan(pair_id, user["id"], f"{date}T{time}", time_zone or None, minutes)
    except AssistantError as exc:
        if exc.status == status.HTTP_404_NOT_FOUND:
            raise
        return _sessions_page(request, pair_id, user, assistant, str(exc), form)
    return _go(f"/sessions/{quote(planned['id'], safe='')}")


# One session and its note ----------------------------------------------------------------


@router.get("/sessions/{session_id}")
def session_page(
    request: Request, session_id: str, user: CurrentUser, assistant: AssistantDep, guide: GuideDep
) -> Response:
    """A session: when, its status, its notes, and for members the note editor and the actions."""
    return _session_page(request, session_id, user, assistant, guide)


def _session_page(
    request: Request,
    session_id: str,
    user: dict[str, Any],
    assistant: Assistant,
    guide: Guide,
    error: str | None = None,
    draft: dict[str, str] | None = None,
    pulse_draft: dict[str, Any] | None = None,
) -> Response:
    meeting = Schedule(assistant).get(session_id, user["id"])
    pair = _pair(assistant, meeting["pair_id"], user)
    notes = [reading.read_note(assistant, n, user["id"]) for n in meeting["note_ids"]]
    mine = next((n for n in notes if n["author_id"] == user["id"]), None)
    others = [{**n, "html": to_html(n["text"])} for n in notes if n is not mine]
    can_note = pair["member"] and (
        meeting["status"] == "held"
        or (
            meeting["status"] == "planned"
            and sessions.has_come(dt.date.fromisoformat(meeting["date"]), meeting["time_zone"])
        )
    )
    actions = _actions(guide, meeting, user["id"], mine) if pair["member"] else []
    moved_to = Schedule(assistant).get(meeting["moved_to"], user["id"]) if meeting["moved_to"] else None
    text = draft["text"] if draft else (mine["text"] if mine else "")
    asks_pulse = pair["member"] and meeting["status"] == "held"
    my_pulse = Evaluation(assistant).my_pulse(session_id, user["id"]) if asks_pulse else None
    response = _page(
        request,
        "session.html",
        user,
        assistant,
        active="sessions",
        pair=pair,
        meeting=meeting,
        moved_to=moved_to,
        mine=mine,
        text=text,
        chosen=(draft or mine or {}).get("visibility", "pair"),
        preview=to_html(text),
        others=others,
        can_note=can_note,
        actions=actions,
        visibility=VISIBILITY,
        error=error,
        max_chars=assistant.settings.max_note_chars,
        asks_pulse=asks_pulse,
        my_pulse=my_pulse,
        pulse_form=pulse_draft or my_pulse or {},
        min_group_size=assistant.settings.min_group_size,
    )
    if error:
        response.status_code = status.HTTP_400_BAD_REQUEST
    return response


def _actions(
    guide: Guide, meeting: dict[str, Any], user_id: str, mine: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The pair's open actions, and those this session's notes closed, as the editor ticks them.

    One closed by the user's own note here can be unticked (its line is theirs); one closed by
    the partner's note cannot.
    """
    here = set(meeting["note_ids"])
    mine_id = mine["id"] if mine else None
    shown = []
    for item in guide.pair_context(meeting["pair_id"], user_id).actions:
        if item.done and item.done_note_id not in here:
            continue
        shown.append(
            {
                "owner": item.owner,
                "action": item.action,
                "since": item.since.isoformat(),
                "done": item.done,
                "locked": item.done and item.done_note_id != mine_id,
                "opened_here": item.note_id == mine_id,
            }
        )
    return shown


@router.post("/sessions/{session_id}/note")
def save_note(
    request: Request,
    session_id: str,
    user: CurrentUser,
    assistant: AssistantDep,
    guide: GuideDep,
    text: Annotated[str, Form(max_length=20_000)] = "",
    visibility: Annotated[str, Form(max_length=10)] = "pair",
    note_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Save the note without scripts: write it, or change the one you wrote for this session."""
    draft = {"text": text, "visibility": visibility}
    if not text.strip():
        error = "Write something before saving the note."
        return _session_page(request, session_id, user, assistant, guide, error, draft)
    meeting = Schedule(assistant).get(session_id, user["id"])
    try:
        if note_id:
            assistant.edit_note(note_id, user["id"], text=text, visibility=visibility)
        else:
            assistant.write_note(
                meeting["pair_id"], user["id"], None, text, visibility, session_id=session_id
            )
    except AssistantError as exc:
        if exc.status == status.HTTP_404_NOT_FOUND:
            raise
        return _session_page(request, session_id, user, assistant, guide, str(exc), draft)
    return _go(f"/sessions/{quote(session_id, safe='')}")


@router.post("/sessions/{session_id}/held")
def hold(session_id: str, user: CurrentUser, assistant: AssistantDep) -> Response:
    """Record that the session took place."""
    Schedule(assistant).held(session_id, user["id"])
    return _go(f"/sessions/{quote(session_id, safe='')}")


@router.post("/sessions/{session_id}/cancel")
def cancel(session_id: str, user: CurrentUser, assistant: AssistantDep) -> Response:
    """Call the session off (the record keeps who did)."""
    Schedule(assistant).cancel(session_id, user["id"])
    return _go(f"/sessions/{quote(session_id, safe='')}")


@router.post("/sessions/{session_id}/move")
def move(
    request: Request,
    session_id: str,
    user: CurrentUser,
    assistant: AssistantDep,
    guide: GuideDep,
    date: DateField,
    time: TimeField,
) -> Response:
    """Move the session to another day and time (its time zone and length are kept)."""
    try:
        new = Schedule(assistant).move(session_id, user["id"], f"{date}T{time}")
    except AssistantError as exc:
        if exc.status == status.HTTP_404_NOT_FOUND:
            raise
        return _session_page(request, session_id, user, assistant, guide, str(exc))
    return _go(f"/sessions/{quote(new['id'], safe='')}")


@router.post("/sessions/{session_id}/pulse")
def answer_pulse(
    request: Request,
    session_id: str,
    user: CurrentUser,
    assistant: AssistantDep,
    guide: GuideDep,
    usefulness: Annotated[str, Form(max_length=2)] = "",
    learned: Annotated[str, Form(max_length=2000)] = "",
    comment: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Answer (or change) your pulse for a held session; a mistake shows the form again with the reason."""
    draft = {"usefulness": usefulness, "learned": learned, "comment": comment}
    score = int(usefulness) if usefulness.isdigit() else 0
    try:
        Evaluation(assistant).answer_pulse(session_id, user["id"], score, learned, comment)
    except AssistantError as exc:
        if exc.status in (status.HTTP_403_FORBIDDEN, status.HTTP_404_NOT_FOUND):
            raise
        return _session_page(request, session_id, user, assistant, guide, str(exc), pulse_draft=draft)
    return _go(f"/sessions/{quote(session_id, safe='')}?pulse=saved#pulse")
