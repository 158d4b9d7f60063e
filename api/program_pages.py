"""The coordinator's pages: the dashboard, the impact report for a cycle, and accepting a suggested pair.

The dashboard leads with the pairs that need attention, then charts of the program's activity
and evaluation (server-rendered SVG, ``api/charts.py``), pairing suggestions to accept or
override, guidance Q&A and the guideline library. Figures only: never a word of a note, and
nothing about what pairs discussed or how people rate the program below the minimum group size.
Cookie-authenticated posts must come from this site's pages (``api.deps.current_user``).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response, status
from fastapi.responses import RedirectResponse

from api import charts
from api.deps import AssistantDep, GuideDep, SlotsDep, Staff
from api.pages import PageRoute
from api.present import citation_link, templates
from assistant import clock, impact, proposals
from assistant.coordinator import Coordinator
from assistant.core import Assistant
from assistant.errors import AssistantError
from assistant.guide import Guide

log = logging.getLogger("assistant.web")
router = APIRouter(route_class=PageRoute, include_in_schema=False)
ProfileId = Annotated[str, Form(min_length=1, max_length=64)]
ATTENTION_SHOWN = 50  # the rest lead the per-pair table


def _page(request: Request, name: str, user: dict[str, Any], **context: Any) -> Response:
    request.state.page_user = user
    return templates.TemplateResponse(request, name, {"user": user, "pairs": [], **context})


def activity_charts(board: impact.Dashboard) -> dict[str, charts.Chart]:
    """The dashboard's charts: sessions and actions by month, pulse trend, objectives start vs end."""
    activity = board.activity
    months = [charts.month_label(m) for m in activity.months]
    found = {
        "sessions": charts.bars(
            "Sessions held each month",
            f"Sessions held across the program in each of the last {len(months)} months, "
            "with those cancelled or moved beside them.",
            months,
            {"Held": activity.sessions_held, "Cancelled or moved": activity.sessions_called_off},
        ),
        "actions": charts.bars(
            "Action items closed each month",
            "Action items set in sessions and action items reported done, by month.",
            months,
            {"Closed": activity.actions_closed, "Opened": activity.actions_opened},
        ),
    }
    pulse = board.health.pulse
    if pulse is not None and any(m.reported for m in pulse.months):
        found["pulse"] = charts.bars(
            "Pulse: how useful sessions were",
            "Mean usefulness (1 to 5) from the pulse after held sessions, by month; months with "
            f"fewer than {pulse.min_group_size} people answering are left out.",
            [charts.month_label(m.month) for m in pulse.months],
            {"Mean usefulness": [m.mean_usefulness if m.reported else None for m in pulse.months]},
            top=5,
        )
    rated = board.health.objectives_self_rated
    if rated is not None and any(o.start.reported or o.end.reported for o in rated.objectives):
        found["objectives"] = charts.bars(
            "Objectives: self-ratings at the start and end of the cycle",
            "Mean self-rating (1 to 5) against each program objective at the start and at the end "
            f"of the cycle; a side with fewer than {rated.min_group_size} people is left out.",
            [o.title for o in rated.objectives],
            {
                "Start": [o.start.mean if o.start.reported else None for o in rated.objectives],
                "End": [o.end.mean if o.end.reported else None for o in rated.objectives],
            },
            top=5,
            short=16,
        )
    return found


# Dashboard -----------------------------------------------------------------------------


@router.get("/program")
async def program_page(
    request: Request,
    user: Staff,
    assistant: AssistantDep,
    guide: GuideDep,
    slots: SlotsDep,
    question: str | None = Query(None, max_length=4000),
    reindexed: bool = False,
    paired: str | None = Query(None, max_length=64),
) -> Response:
    """Pairs needing attention, charts, pairing suggestions, guidance Q&A and the guideline library."""
    return await slots.run(_program_page, request, user, assistant, guide, question, reindexed, paired)


def _program_page(
    request: Request,
    user: dict[str, Any],
    assistant: Assistant,
    guide: Guide,
    question: str | None,
    reindexed: bool,
    paired: str | None,
) -> Response:
    answer, ask_error = None, None
    if question is not None:
        try:
            answer = guide.ask(question, user["id"])
        except AssistantError as exc:
            ask_error = str(exc)
    desk = Coordinator(assistant)
    today = clock.today()
    board, offer, failed = None, None, False
    try:
        board = desk.picture(today).dashboard
        offer = proposals.proposals(desk, today)
    except AssistantError:
        raise
    except Exception as exc:  # noqa: BLE001 - one panel failing must not take the page down
        log.warning("program dashboard failed: %s", type(exc).__name__)
        failed = True
    return _page(
        request,
        "program.html",
        user,
        active="program",
        board=board,
        charts=activity_charts(board) if board else {},
        month_labels=[charts.month_label(m) for m in board.activity.months] if board else [],
        failed=failed,
        attention_shown=ATTENTION_SHOWN,
        offer=offer,
        paired=paired,
        question=question or "",
        answer=answer,
        answer_chips=[citation_link(c.model_dump()) for c in answer.citations] if answer else [],
        ask_error=ask_error,
        library=assistant.library(),
        reindexed=reindexed,
    )


@router.post("/program/reindex")
def reindex(user: Staff, assistant: AssistantDep) -> Response:
    """Rebuild the index from the store and the guideline folders, then show the dashboard."""
    assistant.reindex()
    return RedirectResponse("/program?reindexed=true#library", status.HTTP_303_SEE_OTHER)


@router.post("/program/pairs")
def accept_pair(user: Staff, assistant: AssistantDep, mentor: ProfileId, executive: ProfileId) -> Response:
    """Create the pair a coordinator accepted (or chose instead of a suggestion), from today."""
    created = proposals.create_pair(Coordinator(assistant), mentor.strip(), executive.strip(), clock.today())
    return RedirectResponse(f"/program?paired={created['id']}#pairing", status.HTTP_303_SEE_OTHER)


# Impact report -------------------------------------------------------------------------


@router.get("/program/report")
def report_page(
    request: Request,
    user: Staff,
    assistant: AssistantDep,
    started_from: Annotated[dt.date | None, Query(alias="from")] = None,
    started_to: Annotated[dt.date | None, Query(alias="to")] = None,
) -> Response:
    """The impact report for a cycle, laid out for printing."""
    report = impact.cycle_report(Coordinator(assistant), started_from, started_to)
    chart = None
    if report.reported:
        chart = charts.bars(
            "Sessions held and action items closed, by month",
            "Across the cycle's pairs, in each month of the cycle.",
            [charts.month_label(m) for m in report.months],
            {
                "Sessions held": report.sessions_held_by_month,
                "Actions closed": report.actions_closed_by_month,
            },
        )
    sections: dict[str, list[impact.Figure]] = {}
    for figure in report.figures:
        sections.setdefault(figure.section, []).append(figure)
    return _page(
        request, "report.html", user, active="program", report=report, chart=chart, sections=sections
    )


@router.get("/program/report.csv")
def report_csv(
    user: Staff,
    assistant: AssistantDep,
    started_from: Annotated[dt.date | None, Query(alias="from")] = None,
    started_to: Annotated[dt.date | None, Query(alias="to")] = None,
) -> Response:
    """The impact report as CSV (figures only)."""
    report = impact.cycle_report(Coordinator(assistant), started_from, started_to)
    name = f"impact-{report.cycle.started_from.isoformat()}-{report.cycle.started_to.isoformat()}.csv"
    return Response(
        impact.report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
