"""Web pages: sign-in, chat, the printable prep brief, guidelines and notes (dashboard: ``program_pages``).

Pages are server-rendered Jinja2 over the same library calls as the JSON API. The signed-in
user's token lives in an HTTP-only cookie (see ``api.session``); the chat page's script
calls the JSON API with that cookie. Errors become plain pages, never tracebacks.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response, status
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse

from api.deps import AssistantDep, CurrentUser, GuideDep, SlotsDep
from api.markdown import message_html, to_html
from api.pages import PageRoute
from api.present import citation_link, file_name, pair_label, templates
from api.session import SESSION_COOKIE, AuthFailures, clear_session, require_same_origin, set_session
from assistant import clock, conversations, ics, reading
from assistant.core import Assistant
from assistant.guide import Guide
from assistant.render import brief_markdown

log = logging.getLogger("assistant.web")
STAFF = ("coordinator", "admin")
# A brief and its downloads go to the partner: the viewer's private notes stay out unless asked for.
PrivateCopy = Annotated[
    bool, Query(description="Your own copy, with the items of your private notes (not to be shared).")
]
MEMBER_PROMPTS = {
    "mentor": ["Ideas for our next session", "Draft a 45-minute agenda", "My executive keeps cancelling"],
    "executive": ["Ideas for our next session", "Draft a 45-minute agenda", "My mentor keeps cancelling"],
}
STAFF_PROMPTS = ["How often should pairs meet?", "What if an executive disengages?", "Who can see our notes?"]

router = APIRouter(route_class=PageRoute, include_in_schema=False)


# Helpers -----------------------------------------------------------------------------


def _safe_next(target: str | None, user: dict[str, Any]) -> str:
    """Where to go after signing in: a local path only, else the user's home page."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/program" if user["role"] in STAFF else "/"


def _names(assistant: Assistant) -> dict[str, str]:
    return {u["id"]: u["name"] for u in assistant.list_users()}


def _my_pairs(assistant: Assistant, user: dict[str, Any]) -> list[dict[str, Any]]:
    """The user's own pairs (mentors and executives), labelled with names."""
    if user["role"] in STAFF:
        return []
    names = _names(assistant)
    return [{**p, "label": pair_label(p, names)} for p in assistant.list_pairs(user["id"])]


def _page(request: Request, name: str, user: dict[str, Any], **context: Any) -> HTMLResponse:
    request.state.page_user = user
    context.setdefault("pairs", [])
    return templates.TemplateResponse(request, name, {"user": user, **context})


# Sign-in -----------------------------------------------------------------------------


@router.get("/signin")
def signin_form(
    request: Request,
    assistant: AssistantDep,
    next_path: Annotated[str | None, Query(alias="next", max_length=500)] = None,
) -> Response:
    """The sign-in form (a signed-in visitor goes straight on)."""
    user = assistant.web_session_user(request.cookies.get(SESSION_COOKIE, ""))
    if user is not None:
        return RedirectResponse(_safe_next(next_path, user), status.HTTP_303_SEE_OTHER)
    context: dict[str, Any] = {
        "user": None,
        "pairs": [],
        "next": next_path or "",
        "error": None,
        "active": "signin",
    }
    return templates.TemplateResponse(request, "signin.html", context)


@router.post("/signin")
def signin(
    request: Request,
    assistant: AssistantDep,
    token: Annotated[str, Form(max_length=500)] = "",
    next_path: Annotated[str, Form(alias="next", max_length=500)] = "",
) -> Response:
    """Check the token and start a web session: a new id in the cookie (the token stays out of it).

    The browser's previous session, if any, ends. Wrong tokens count towards the client's limit
    of failed sign-ins (429 with Retry-After past it).
    """
    require_same_origin(request)
    failures: AuthFailures = request.app.state.auth_failures
    failures.check(request)
    started = assistant.start_web_session(token.strip(), request.cookies.get(SESSION_COOKIE, ""))
    if started is None:
        if token.strip():
            failures.failed(request)
        message = "Enter your access token." if not token.strip() else "That token is not valid."
        context: dict[str, Any] = {
            "user": None,
            "pairs": [],
            "next": next_path,
            "error": message,
            "active": "signin",
        }
        return templates.TemplateResponse(
            request, "signin.html", context, status_code=status.HTTP_401_UNAUTHORIZED
        )
    session_id, user = started
    response = RedirectResponse(_safe_next(next_path, user), status.HTTP_303_SEE_OTHER)
    set_session(response, request, session_id, int(assistant.settings.session_hours * 3600))
    return response


@router.post("/signout")
def signout(request: Request, assistant: AssistantDep) -> Response:
    """End the session on the server and forget the cookie."""
    require_same_origin(request)
    assistant.end_web_session(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/signin", status.HTTP_303_SEE_OTHER)
    clear_session(response)
    return response


# Chat --------------------------------------------------------------------------------


@router.get("/")
def chat_page(
    request: Request,
    user: CurrentUser,
    assistant: AssistantDep,
    conversation: str | None = Query(None, max_length=64),
) -> Response:
    """The conversation, its history and the composer."""
    listed = conversations.list_for(assistant, user["id"])
    turns: list[dict[str, Any]] = []
    pair_id = None
    if conversation:
        for turn in conversations.turns(assistant, conversation, user["id"]):
            chips = [citation_link(c) for c in turn.get("citations", [])]
            turns.append({**turn, "html": message_html(turn["role"], turn["content"]), "chips": chips})
        pair_id = next((c["pair_id"] for c in listed if c["id"] == conversation), None)
    prompts = MEMBER_PROMPTS.get(user["role"], STAFF_PROMPTS)
    return _page(
        request,
        "chat.html",
        user,
        active="chat",
        pairs=_my_pairs(assistant, user),
        conversations=listed,
        conversation=conversation or "",
        turns=turns,
        pair_id=pair_id,
        prompts=prompts,
    )


# Prep brief --------------------------------------------------------------------------


@router.get("/pairs/{pair_id}/brief")
async def brief_page(
    request: Request,
    pair_id: str,
    user: CurrentUser,
    assistant: AssistantDep,
    guide: GuideDep,
    slots: SlotsDep,
    private: PrivateCopy = False,
) -> Response:
    """The executive's prep brief, for reading and printing."""
    return await slots.run(_brief_page, request, pair_id, user, assistant, guide, private)


def _brief_page(
    request: Request, pair_id: str, user: dict[str, Any], assistant: Assistant, guide: Guide, private: bool
) -> Response:
    brief = guide.brief(pair_id, user["id"], private=private)
    pair = assistant.pair_for(pair_id, user["id"])
    names = _names(assistant)
    return _page(
        request,
        "brief.html",
        user,
        active="brief",
        pairs=_my_pairs(assistant, user),
        brief=brief,
        pair={**pair, "label": pair_label(pair, names)},
        sources=[citation_link(c.model_dump()) for c in brief.citations],
        suggested=ics.suggested_date(brief, clock.today()),
        start=ics.DEFAULT_START,
        private=private,
    )


@router.get("/pairs/{pair_id}/brief.md")
async def brief_download(
    pair_id: str, user: CurrentUser, guide: GuideDep, slots: SlotsDep, private: PrivateCopy = False
) -> Response:
    """The prep brief as a Markdown file (shared notes only, unless ``private=true``)."""
    text = brief_markdown(await slots.run(partial(guide.brief, private=private), pair_id, user["id"]))
    disposition = f'attachment; filename="prep-brief-{file_name(pair_id)}.md"'
    return PlainTextResponse(
        text, media_type="text/markdown; charset=utf-8", headers={"Content-Disposition": disposition}
    )


@router.get("/pairs/{pair_id}/brief.ics")
async def brief_calendar(
    pair_id: str,
    user: CurrentUser,
    guide: GuideDep,
    slots: SlotsDep,
    date: dt.date | None = None,
    time: dt.time | None = None,
    private: PrivateCopy = False,
) -> Response:
    """A calendar file for the next session, holding the brief's agenda (shared notes only, by default)."""
    brief = await slots.run(partial(guide.brief, private=private), pair_id, user["id"])
    now = dt.datetime.now(dt.UTC)  # the file's DTSTAMP: when it was made, on the real clock
    start = ics.session_start(date or ics.suggested_date(brief, clock.today()), time)
    disposition = f'attachment; filename="next-session-{file_name(pair_id)}.ics"'
    return Response(
        ics.session_event(brief, start, now),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


# Guidelines and notes ----------------------------------------------------------------


@router.get("/guidelines")
def guidelines_page(request: Request, user: CurrentUser, assistant: AssistantDep) -> Response:
    """The guideline library."""
    return _page(
        request,
        "guidelines.html",
        user,
        active="guidelines",
        pairs=_my_pairs(assistant, user),
        library=assistant.library(),
    )


@router.get("/guidelines/{source:path}")
def guideline_page(request: Request, source: str, user: CurrentUser, assistant: AssistantDep) -> Response:
    """One guideline document, with an anchor per section for citations to open."""
    return _page(
        request,
        "guideline.html",
        user,
        active="guidelines",
        pairs=_my_pairs(assistant, user),
        doc=reading.guideline(assistant, source),
    )


@router.get("/notes/{note_id}")
def note_page(request: Request, note_id: str, user: CurrentUser, assistant: AssistantDep) -> Response:
    """A session note the user may read (404 otherwise)."""
    note = reading.read_note(assistant, note_id, user["id"])
    pair = assistant.pair_for(note["pair_id"], user["id"])
    return _page(
        request,
        "note.html",
        user,
        active=None,
        pairs=_my_pairs(assistant, user),
        note=note,
        note_html=to_html(note["text"]),
        pair_label=pair_label(pair, _names(assistant)),
        can_open_brief=user["role"] not in STAFF,
    )
