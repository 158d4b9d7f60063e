"""``health``, ``pairings``, ``rotation`` and ``cycle`` commands, and the ``participants`` sub-commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.cli.library import open_coordinator
from assistant.cli.output import JsonOption, command_group, emit, table
from assistant.errors import InvalidInput

participants = command_group("Import and list participant profiles for pairing.")

TodayOption = Annotated[
    str | None, typer.Option("--today", help="Compute as of this date, YYYY-MM-DD (default: today).")
]


URGENCY = ("stalled", "below_minimum", "not_started", "below_target", "on_track")


def _attention(pair: dict[str, Any]) -> tuple[int, int, int]:
    """Pairs that need attention first: by status, then flags, then the longest idle."""
    cadence = pair["cadence"]
    status = URGENCY.index(cadence["status"]) if cadence["status"] in URGENCY else len(URGENCY)
    return status, -len(pair["flags"]), -(cadence["days_since_last_session"] or 0)


def _health_text(data: dict[str, Any]) -> str:
    rows = [
        {
            "pair": p["pair_id"],
            "status": p["cadence"]["status"],
            "sessions": p["cadence"]["sessions"],
            "per_month": p["cadence"]["per_month_recent"],
            "days_idle": p["cadence"]["days_since_last_session"],
            "open m/e": f"{p['actions']['mentor']['open']}/{p['actions']['executive']['open']}",
            "done m/e": f"{p['actions']['mentor']['done']}/{p['actions']['executive']['done']}",
            "flags": ", ".join(f["flag"] for f in p["flags"]) or "-",
        }
        for p in sorted(data["pairs"], key=_attention)
    ]
    shown = table(rows, list(rows[0])) if rows else "(no pairs)"
    lines = [f"Program health on {data['today']} ({data['summary']['pairs']} pairs)", "", shown]
    reasons = [f"- {p['pair_id']} [{f['flag']}]: {f['reason']}" for p in data["pairs"] for f in p["flags"]]
    if reasons:
        lines += ["", "Flags:", *reasons]
    lines += ["", f"Themes (groups of at least {data['min_group_size']} pairs):"]
    for group in data["themes"]:
        if not group["reported"]:
            lines.append(f"- {group['group']}: {group['note']}")
            continue
        top = "; ".join(f"{t['title']} ({t['pairs']})" for t in group["most_covered"]) or "none yet"
        lines.append(f"- {group['group']} ({group['pairs']} pairs): most covered: {top}")
        if group["uncovered_categories"]:
            lines.append(f"  not covered by any pair: {', '.join(group['uncovered_categories'])}")
    if data.get("pulse"):
        months = [f"{m['month']} {m['mean_usefulness']}" for m in data["pulse"]["months"] if m["reported"]]
        lines += ["", f"Pulse, mean usefulness by month: {'; '.join(months) or 'no month large enough yet'}"]
    if data.get("objectives_self_rated"):
        compared = [
            f"{o['id']} {o['start']['mean']} -> {o['end']['mean']}"
            for o in data["objectives_self_rated"]["objectives"]
            if o["change"] is not None
        ]
        lines.append(f"Self-ratings, start -> end: {'; '.join(compared) or 'no objective large enough yet'}")
    return "\n".join(lines)


def _matching_text(data: dict[str, Any]) -> str:
    from assistant.render import counted

    lines = [
        f"{counted(len(data['pairs']), 'pair')} from {counted(data['mentors'], 'mentor')} "
        f"and {counted(data['executives'], 'executive')}"
    ]
    for p in data["pairs"]:
        lines += [
            "",
            f"{p['mentor']['name']} → {p['executive']['name']}  (score {p['score']})",
            f"  {p['explanation']}",
        ]
    if data["unmatched"]:
        lines += [
            "",
            "Not placed:",
            *(f"- {u['name']} ({u['role']}): {u['reason']}" for u in data["unmatched"]),
        ]
    return "\n".join(lines)


def _rotation_text(data: dict[str, Any]) -> str:
    due = [
        {
            "pair": d["pair_id"],
            "mentor": d["mentor"]["name"],
            "executive": d["executive"]["name"],
            "cycle_ended": d["cycle_ended"],
            "months": d["months_together"],
            "may_renew": "yes" if d["renewal_allowed"] else "no",
        }
        for d in data["due"]
    ]
    head = f"Rotation on {data['today']}: {len(due)} pairs past their {data['cycle_months']}-month cycle"
    if not due:
        return f"{head}; nothing to rotate ({data['not_due']} pairs still in their cycle)."
    return (
        f"{head}\n\n{table(due, list(due[0]))}\n\nProposed next cycle:\n{_matching_text(data['proposals'])}"
    )


def health(today: TodayOption = None, json_: JsonOption = False) -> None:
    """Program health: cadence, action items, topic coverage and flags per pair (never note text)."""
    emit(open_coordinator().health(today).model_dump(mode="json"), json_, _health_text)


def pairings(
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Pair the people in this CSV of profiles, without importing it."),
    ] = None,
    participant: Annotated[
        list[str] | None,
        typer.Option("--participant", help="Pair only these stored profile ids (repeatable)."),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Suggest mentor–executive pairs for a cohort, each with a short explanation."""
    data = None
    if file is not None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"Cannot read {file}.") from exc
    result = open_coordinator().pairings(participant_ids=participant or None, csv_data=data)
    emit(result.model_dump(mode="json"), json_, _matching_text)


def rotation(today: TodayOption = None, json_: JsonOption = False) -> None:
    """Propose new partners for everyone whose pair is past the six-month cycle."""
    emit(open_coordinator().rotation(today).model_dump(mode="json"), json_, _rotation_text)


def _calendar_text(data: dict[str, Any]) -> str:
    rows = [
        {"week": s["week"], "date": s["day"], "step": s["title"], "who": s["who"], "source": s["source"]}
        for s in data["steps"]
    ]
    head = f"Cycle from {data['start']} to the week of {data['end']}"
    if data["skipped"]:
        head += f", without: {', '.join(data['skipped'])}"
    return f"{head}\n\n{table(rows, ['week', 'date', 'step', 'who', 'source'])}"


def cycle(
    start: Annotated[
        str, typer.Option("--start", metavar="DATE", help="The cycle's kickoff date, YYYY-MM-DD.")
    ],
    skip: Annotated[
        list[str] | None,
        typer.Option(
            "--skip", metavar="WORD", help="Leave out steps whose title has this word (repeatable)."
        ),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Lay out a cycle's calendar from its kickoff: check-ins, surveys, closing (knowledge/cycle.yaml)."""
    emit(open_coordinator().calendar(start, skip or ()).model_dump(mode="json"), json_, _calendar_text)


def _report_text(data: dict[str, Any]) -> str:
    cycle = data["cycle"]
    head = (
        f"Impact report: {data['pairs']} pairs that started from {cycle['started_from']} "
        f"to {cycle['started_to']} (as of {data['today']})"
    )
    if not data["reported"]:
        return f"{head}\n{data['note']}"
    rows = [
        {"section": f["section"], "measure": f["measure"], "value": f["value"], "note": f["note"]}
        for f in data["figures"]
    ]
    lines = [head, "", table(rows, ["section", "measure", "value", "note"])]
    if data["suppressed"]:
        lines += ["", f"Too small to report, not shown: {'; '.join(data['suppressed'])}"]
    return "\n".join(lines)


def report(
    started_from: Annotated[
        str | None, typer.Option("--from", help="First start date of the cycle's pairs, YYYY-MM-DD.")
    ] = None,
    started_to: Annotated[
        str | None, typer.Option("--to", help="Last start date of the cycle's pairs, YYYY-MM-DD.")
    ] = None,
    today: TodayOption = None,
    csv_: Annotated[bool, typer.Option("--csv", help="Print the report as CSV.")] = False,
    json_: JsonOption = False,
) -> None:
    """A cycle's impact report in aggregates (default: the latest cohort of pairs); never note text."""
    from assistant import impact
    from assistant.program import parse_date

    if csv_ and json_:
        raise InvalidInput("Choose --csv or --json, not both.")
    found = impact.cycle_report(
        open_coordinator(),
        parse_date(started_from) if started_from else None,
        parse_date(started_to) if started_to else None,
        parse_date(today) if today else None,
    )
    if csv_:
        typer.echo(impact.report_csv(found), nl=False)
        return
    emit(found.model_dump(mode="json"), json_, _report_text)


@participants.command("import")
def participants_import(
    file: Annotated[Path, typer.Argument(help="CSV with a header row: id, user_id, name, role, ...")],
    json_: JsonOption = False,
) -> None:
    """Import participant profiles; every row is checked first and one bad row imports nothing."""
    from assistant.profiles import ProfileImportError

    try:
        result = open_coordinator().import_file(file)
    except ProfileImportError as exc:
        if json_:
            emit({"imported": 0, "errors": [e.as_dict() for e in exc.errors]}, True)
        raise
    emit(result, json_)


@participants.command("list")
def participants_list(json_: JsonOption = False) -> None:
    """List participant profiles."""
    columns = ["id", "name", "role", "department", "manager_id", "time_zone"]
    emit(open_coordinator().participants(), json_, lambda rows: table(rows, columns))
