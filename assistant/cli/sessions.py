"""``sessions`` commands: plan, list, hold, cancel and move a pair's sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from assistant.cli.library import open_assistant
from assistant.cli.output import AsUserOption, JsonOption, command_group, emit, table

if TYPE_CHECKING:
    from assistant.schedule import Schedule

sessions = command_group("Plan and record a pair's sessions.")

COLUMNS = ["id", "date", "starts_at", "minutes", "status", "cancelled_by", "moved_to", "note_ids"]
MemberOption = Annotated[str, typer.Option("--as", help="A member of the pair (the one acting).")]
SessionArgument = Annotated[str, typer.Argument(help="The session's id (see sessions list).")]
StartOption = Annotated[str, typer.Option(help="Local start time, YYYY-MM-DDTHH:MM (or with a UTC offset).")]
ZoneOption = Annotated[
    str | None, typer.Option(help="IANA time zone, e.g. Europe/London (default: yours, else UTC).")
]


def _schedule() -> Schedule:
    from assistant.schedule import Schedule

    return Schedule(open_assistant())


def _rows(rows: list[dict[str, Any]]) -> str:
    shown = [{**r, "note_ids": ",".join(r["note_ids"])} for r in rows]
    return table(shown, COLUMNS)


@sessions.command("plan")
def sessions_plan(
    pair: Annotated[str, typer.Option(help="The pair's id.")],
    start: StartOption,
    as_user: MemberOption,
    time_zone: ZoneOption = None,
    minutes: Annotated[int, typer.Option(help="Length in minutes (10-240).")] = 60,
    json_: JsonOption = False,
) -> None:
    """Plan a session of a pair."""
    emit(_schedule().plan(pair, as_user, start, time_zone, minutes), json_, lambda r: _rows([r]))


@sessions.command("list")
def sessions_list(
    pair: Annotated[str, typer.Option(help="The pair's id.")],
    as_user: AsUserOption = None,
    json_: JsonOption = False,
) -> None:
    """List a pair's sessions, earliest first, with the ids of the notes the user may read."""
    emit(_schedule().list(pair, as_user), json_, _rows)


@sessions.command("held")
def sessions_held(session_id: SessionArgument, as_user: MemberOption, json_: JsonOption = False) -> None:
    """Record that a planned session took place."""
    emit(_schedule().held(session_id, as_user), json_, lambda r: _rows([r]))


@sessions.command("cancel")
def sessions_cancel(session_id: SessionArgument, as_user: MemberOption, json_: JsonOption = False) -> None:
    """Call off a planned session (the record keeps who did)."""
    emit(_schedule().cancel(session_id, as_user), json_, lambda r: _rows([r]))


@sessions.command("move")
def sessions_move(
    session_id: SessionArgument,
    start: StartOption,
    as_user: MemberOption,
    time_zone: ZoneOption = None,
    minutes: Annotated[int | None, typer.Option(help="New length in minutes (default: unchanged).")] = None,
    json_: JsonOption = False,
) -> None:
    """Move a planned session to another time; prints the new session."""
    emit(_schedule().move(session_id, as_user, start, time_zone, minutes), json_, lambda r: _rows([r]))
