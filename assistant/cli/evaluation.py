"""``pulse`` and ``objectives`` commands: a member's own answers, and the aggregates coordinators see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from assistant.cli.library import open_assistant
from assistant.cli.output import JsonOption, command_group, emit, table
from assistant.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from assistant.evaluation import Evaluation

pulse = command_group("The quick pulse after a held session: answer it, read your own, see the trend.")
objectives = command_group("Self-ratings against the program's objectives at the start and end of a cycle.")

MemberOption = Annotated[str, typer.Option("--as", help="A member of the pair (whose answer it is).")]
SessionArgument = Annotated[str, typer.Argument(help="The session's id (see sessions list).")]
PairArgument = Annotated[str, typer.Argument(help="The pair's id (see pairs list).")]
TodayOption = Annotated[
    str | None, typer.Option("--today", help="As of this date, YYYY-MM-DD (default: today).")
]


def _evaluation() -> Evaluation:
    from assistant.evaluation import Evaluation

    return Evaluation(open_assistant())


def _score(value: int) -> int:
    if not 1 <= value <= 5:
        raise typer.BadParameter("give a whole number from 1 to 5")
    return value


@pulse.command("answer")
def pulse_answer(
    session_id: SessionArgument,
    as_user: MemberOption,
    usefulness: Annotated[
        int, typer.Option(help="How useful the session was for you, 1-5.", callback=_score)
    ],
    learned: Annotated[str, typer.Option(help="One thing you learned.")],
    comment: Annotated[str, typer.Option(help="Anything else (optional).")] = "",
    json_: JsonOption = False,
) -> None:
    """Answer the pulse of a held session (again: replaces your answer). Private to you."""
    emit(_evaluation().answer_pulse(session_id, as_user, usefulness, learned, comment), json_)


@pulse.command("mine")
def pulse_mine(session_id: SessionArgument, as_user: MemberOption, json_: JsonOption = False) -> None:
    """Your own pulse answer for a session."""
    mine = _evaluation().my_pulse(session_id, as_user)
    if mine is None:
        raise NotFound(f"{as_user} has not answered the pulse of session {session_id!r} yet.")
    emit(mine, json_)


def _trend_text(data: dict[str, Any]) -> str:
    rows = [
        {
            "month": m["month"],
            "mean": m["mean_usefulness"] if m["reported"] else "suppressed",
            "answers": m["answers"] if m["reported"] else "",
            "people": m["people"] if m["reported"] else "",
        }
        for m in data["months"]
    ]
    head = (
        "Pulse: mean usefulness (1-5) per month; months with fewer than "
        f"{data['min_group_size']} people are suppressed"
    )
    return f"{head}\n\n{table(rows, ['month', 'mean', 'answers', 'people'])}"


@pulse.command("trend")
def pulse_trend(today: TodayOption = None, json_: JsonOption = False) -> None:
    """Mean usefulness per month over the program (coordinators' view: never one person's answer)."""
    emit(_evaluation().pulse_trend(today).model_dump(mode="json"), json_, _trend_text)


def _ratings(values: list[str]) -> dict[str, int]:
    given: dict[str, int] = {}
    for value in values:
        key, sep, number = value.partition("=")
        if not sep or not number.strip().isdigit():
            raise InvalidInput(f"{value!r} is not OBJECTIVE=RATING, e.g. digital-tools=3.")
        given[key.strip()] = int(number)
    return given


@objectives.command("rate")
def objectives_rate(
    pair: PairArgument,
    as_user: MemberOption,
    phase: Annotated[str, typer.Option(help="start or end of the cycle.")],
    rating: Annotated[
        list[str], typer.Option("--rating", help="OBJECTIVE=RATING (1-5), once for each of your objectives.")
    ],
    today: TodayOption = None,
    json_: JsonOption = False,
) -> None:
    """Rate yourself on each of your objectives (again: replaces that phase's ratings). Private to you."""
    emit(_evaluation().rate(pair, as_user, phase, _ratings(rating), today), json_)


@objectives.command("mine")
def objectives_mine(
    pair: PairArgument, as_user: MemberOption, today: TodayOption = None, json_: JsonOption = False
) -> None:
    """Your objectives, the phase open for rating, and your own ratings so far."""
    form = _evaluation().rating_form(pair, as_user, today)
    emit(form, json_, _form_text)


def _form_text(form: dict[str, Any]) -> str:
    rows = [
        {
            "objective": o["id"],
            "start": form["mine"].get("start", {}).get(o["id"], ""),
            "end": form["mine"].get("end", {}).get(o["id"], ""),
        }
        for o in form["objectives"]
    ]
    open_now = form["open_phase"] or "neither (closed for now)"
    return f"Open for rating: {open_now}\n\n{table(rows, ['objective', 'start', 'end'])}"


def _change_text(data: dict[str, Any]) -> str:
    def side(s: dict[str, Any]) -> str:
        return f"{s['mean']} ({s['people']} people)" if s["reported"] else "suppressed"

    rows = [
        {
            "objective": o["id"],
            "learner": o["learner"],
            "start": side(o["start"]),
            "end": side(o["end"]),
            "change": o["change"] if o["change"] is not None else "",
        }
        for o in data["objectives"]
    ]
    head = f"Self-ratings, start vs end; fewer than {data['min_group_size']} people is suppressed"
    return f"{head}\n\n{table(rows, ['objective', 'learner', 'start', 'end', 'change'])}"


@objectives.command("change")
def objectives_change(json_: JsonOption = False) -> None:
    """Per objective, mean self-rating at the start and end (coordinators' view: never one person's)."""
    emit(_evaluation().objectives_change().model_dump(mode="json"), json_, _change_text)
