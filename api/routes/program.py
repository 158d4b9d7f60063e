"""Coordinator insight: program health, pairing suggestions, rotation and participant profiles."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.deps import AssistantDep, Staff
from assistant import clock, impact, proposals
from assistant.coordinator import Coordinator
from assistant.errors import InvalidInput
from assistant.impact import ImpactReport
from assistant.insight import ProgramHealth
from assistant.pairing import Matching
from assistant.rotation import CycleCalendar, RotationPlan

router = APIRouter(prefix="/v1/program", tags=["program"])
MAX_CSV = 5 * 1024 * 1024
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Cell = Annotated[str, StringConstraints(max_length=4000)]


def get_coordinator(assistant: AssistantDep) -> Coordinator:
    """The coordinator's desk over the process-wide assistant."""
    return Coordinator(assistant)


CoordinatorDep = Annotated[Coordinator, Depends(get_coordinator)]


class ParticipantIn(BaseModel):
    """A participant profile given inline; the same fields as a CSV row (lists ``;``-separated)."""

    model_config = ConfigDict(extra="forbid")

    id: Id
    user_id: Cell = ""
    name: Cell = ""
    role: Cell = ""
    department: Cell = ""
    manager_id: Cell = ""
    teaches: Cell = ""
    learns: Cell = ""
    time_zone: Cell = ""
    availability: Cell = ""


class PairingRequest(BaseModel):
    """Which cohort to pair: stored profiles by id, profiles given inline, or (empty) every stored one."""

    model_config = ConfigDict(extra="forbid")

    participant_ids: list[Id] | None = Field(default=None, max_length=20_000)
    participants: list[ParticipantIn] | None = Field(default=None, max_length=20_000)


@router.get("/health")
def health(_user: Staff, coordinator: CoordinatorDep, today: dt.date | None = None) -> ProgramHealth:
    """Cadence, action items, topic coverage and flags per pair; themes only for large enough groups."""
    return coordinator.health(today)


@router.post("/pairings")
def pairings(_user: Staff, coordinator: CoordinatorDep, body: PairingRequest | None = None) -> Matching:
    """Suggest a complete mentor–executive matching for a cohort, each pair with its reasons."""
    body = body or PairingRequest()
    inline = [p.model_dump() for p in body.participants] if body.participants is not None else None
    return coordinator.pairings(participant_ids=body.participant_ids, participants=inline)


@router.get("/rotation")
def rotation(_user: Staff, coordinator: CoordinatorDep, today: dt.date | None = None) -> RotationPlan:
    """Next-cycle partners for the members of every pair past its cycle, never a previous partner."""
    return coordinator.rotation(today)


@router.get("/cycle")
def cycle(
    _user: Staff,
    coordinator: CoordinatorDep,
    start: Annotated[dt.date, Query(description="The cycle's kickoff date.")],
    skip: Annotated[
        list[str] | None, Query(max_length=10, description="Steps to leave out, by a word.")
    ] = None,
) -> CycleCalendar:
    """The cycle's steps (check-ins, surveys, closing) dated from its kickoff, each with its source."""
    return coordinator.calendar(start, skip or ())


class PairChoice(BaseModel):
    """A suggested pair to accept, or the mentor chosen instead (participant profile ids)."""

    model_config = ConfigDict(extra="forbid")

    mentor: Id
    executive: Id


CycleFrom = Annotated[
    dt.date | None, Query(alias="from", description="First start date of the cycle's pairs.")
]
CycleTo = Annotated[dt.date | None, Query(alias="to", description="Last start date of the cycle's pairs.")]


@router.get("/report")
def report(
    _user: Staff, coordinator: CoordinatorDep, started_from: CycleFrom = None, started_to: CycleTo = None
) -> ImpactReport:
    """A cycle's impact in aggregates (default: the latest cohort); nothing below the minimum group size."""
    return impact.cycle_report(coordinator, started_from, started_to)


@router.get("/report.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def report_csv(
    _user: Staff, coordinator: CoordinatorDep, started_from: CycleFrom = None, started_to: CycleTo = None
) -> Response:
    """The impact report as CSV: one row a figure (section, measure, value, note)."""
    found = impact.cycle_report(coordinator, started_from, started_to)
    return Response(impact.report_csv(found), media_type="text/csv; charset=utf-8")


@router.get("/proposals")
def list_proposals(_user: Staff, coordinator: CoordinatorDep) -> proposals.Proposals:
    """Suggested pairs for everyone with no current pair, with reasons and the guideline's warnings."""
    return proposals.proposals(coordinator, clock.today())


@router.post("/pairs", status_code=status.HTTP_201_CREATED)
def create_pair(_user: Staff, coordinator: CoordinatorDep, body: PairChoice) -> dict[str, Any]:
    """Accept a suggestion (or override it with another mentor): the pair starts today.

    Refused, changing nothing, for people without a user account, with a current pair, or on one
    reporting line.
    """
    return proposals.create_pair(coordinator, body.mentor, body.executive, clock.today())


@router.get("/participants")
def list_participants(_user: Staff, coordinator: CoordinatorDep) -> list[dict[str, Any]]:
    """Every participant profile."""
    return coordinator.participants()


@router.post("/participants", status_code=status.HTTP_201_CREATED)
def import_participants(
    file: Annotated[UploadFile, File(description="CSV of participant profiles with a header row.")],
    _user: Staff,
    coordinator: CoordinatorDep,
) -> dict[str, int]:
    """Import participant profiles from CSV: every row or, when any row is bad, none."""
    data = file.file.read(MAX_CSV + 1)
    if len(data) > MAX_CSV:
        raise InvalidInput(f"The CSV file is larger than {MAX_CSV // (1024 * 1024)} MB.")
    return coordinator.import_participants(data, file.filename or "the file")
