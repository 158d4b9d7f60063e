"""The coordinator's picture: pairs that need attention, activity by month, and a cycle's impact report.

Figures only, built from program health (``insight``), the sessions on record and the readings
of the pairs' shared notes (``readings``): never a word of a note. Activity (sessions held,
stalled pairs) is shown per pair, as the measuring-impact guideline allows for activity data;
everything about what pairs discussed or how they rate the program is shown only for groups of
at least the minimum group size, and the groups too small to report are named on one line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from assistant import clock
from assistant.errors import InvalidInput
from assistant.insight import MINIMUM_PER_MONTH, TARGET_PER_MONTH, PairHealth, ProgramHealth
from assistant.knowledge import Objective, Topic, load_objectives
from assistant.program import CYCLE_MONTHS, add_months
from assistant.readings import Reading, first_name
from assistant.render import counted

if TYPE_CHECKING:  # the coordinator imports this module
    from assistant.coordinator import Coordinator

MONTHS_SHOWN = 12
# An item carried forward twice should be broken down or dropped (session-structure-and-cadence.md).
OVERDUE_AFTER_SESSIONS = 2
STATUS_ORDER = {"stalled": 0, "below_minimum": 1, "not_started": 2, "below_target": 3, "on_track": 4}


@dataclass(frozen=True)
class Held:
    """A session on record: its local date and status."""

    pair_id: str
    date: dt.date
    status: str


class Attention(BaseModel):
    """A pair a coordinator should contact, and why (figures, never note text)."""

    pair_id: str
    mentor: str
    executive: str
    status: str
    days_since_last_session: int | None
    overdue_actions: int
    reasons: list[str]


class PairMonths(BaseModel):
    """One pair's sessions held in each month shown."""

    pair_id: str
    label: str
    status: str
    held: list[int]
    called_off: list[int] = Field(description="Cancelled or moved, month by month as ``held``.")


class Activity(BaseModel):
    """Program activity by month (the last twelve, the current one included)."""

    months: list[str]
    sessions_held: list[int]
    sessions_called_off: list[int] = Field(
        description="Cancelled or moved, by the month they were planned for."
    )
    actions_opened: list[int]
    actions_closed: list[int]
    per_pair: list[PairMonths]


class Dashboard(BaseModel):
    """What the coordinator's dashboard shows, in the order it shows it."""

    today: dt.date
    min_group_size: int
    attention: list[Attention]
    activity: Activity
    suppressed: list[str] = Field(description="Groups too small to report, named once.")
    health: ProgramHealth


def month_of(day: dt.date) -> str:
    """``YYYY-MM``."""
    return f"{day.year:04d}-{day.month:02d}"


def months_between(first: dt.date, last: dt.date) -> list[str]:
    """Every month from ``first``'s to ``last``'s, as ``YYYY-MM``."""
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(month_of(day))
        day = add_months(day, 1)
    return months


def last_months(today: dt.date, count: int = MONTHS_SHOWN) -> list[str]:
    """The ``count`` months up to and including ``today``'s."""
    return months_between(add_months(today.replace(day=1), 1 - count), today)


def overdue(reading: Reading | None, held: Sequence[dt.date]) -> int:
    """Open actions with at least two held sessions since they were set (carried forward twice)."""
    if reading is None:
        return 0
    return sum(
        1
        for item in reading.actions
        if not item.done and sum(1 for d in held if d > item.since) >= OVERDUE_AFTER_SESSIONS
    )


def _attention(pair: PairHealth, overdue_actions: int) -> Attention | None:
    reasons = [f.reason for f in pair.flags if f.flag in ("stalled", "cancellations")]
    status = pair.cadence.status
    if status == "below_minimum":
        reasons.append(
            f"{pair.cadence.per_month_recent} sessions a month lately; the guidelines ask for at least "
            f"{MINIMUM_PER_MONTH}."
        )
    if overdue_actions:
        reasons.append(
            f"{counted(overdue_actions, 'action')} still open after {OVERDUE_AFTER_SESSIONS} or more "
            "sessions; the guidelines say to break such an item down or drop it."
        )
    if not reasons:
        return None
    return Attention(
        pair_id=pair.pair_id,
        mentor=pair.mentor.name,
        executive=pair.executive.name,
        status=status,
        days_since_last_session=pair.cadence.days_since_last_session,
        overdue_actions=overdue_actions,
        reasons=reasons,
    )


def dashboard(health: ProgramHealth, sessions: Iterable[Held], readings: Mapping[str, Reading]) -> Dashboard:
    """Pairs needing attention first (stalled longest first), then activity by month."""
    today = health.today
    months = last_months(today)
    index = {m: i for i, m in enumerate(months)}
    held_dates: dict[str, list[dt.date]] = {}
    per_pair: dict[str, list[int]] = {p.pair_id: [0] * len(months) for p in health.pairs}
    pair_off: dict[str, list[int]] = {p.pair_id: [0] * len(months) for p in health.pairs}
    overall, called_off = [0] * len(months), [0] * len(months)
    for s in sessions:
        if s.date > today:
            continue
        at = index.get(month_of(s.date))
        if s.status == "held":
            held_dates.setdefault(s.pair_id, []).append(s.date)
            if at is not None:
                overall[at] += 1
                if s.pair_id in per_pair:
                    per_pair[s.pair_id][at] += 1
        elif s.status in ("cancelled", "moved") and at is not None:
            called_off[at] += 1
            if s.pair_id in pair_off:
                pair_off[s.pair_id][at] += 1
    opened, closed = [0] * len(months), [0] * len(months)
    for reading in readings.values():
        for item in reading.actions:
            if (at := index.get(month_of(item.since))) is not None:
                opened[at] += 1
            if item.done_date and (at := index.get(month_of(item.done_date))) is not None:
                closed[at] += 1
    found = [
        _attention(p, overdue(readings.get(p.pair_id), held_dates.get(p.pair_id, ()))) for p in health.pairs
    ]
    attention = sorted(
        (a for a in found if a is not None),
        key=lambda a: (STATUS_ORDER.get(a.status, 9), -(a.days_since_last_session or 0), -a.overdue_actions),
    )
    first = {a.pair_id: i for i, a in enumerate(attention)}
    rows = sorted(health.pairs, key=lambda p: (first.get(p.pair_id, len(first)), p.pair_id))
    return Dashboard(
        today=today,
        min_group_size=health.min_group_size,
        attention=attention,
        activity=Activity(
            months=months,
            sessions_held=overall,
            sessions_called_off=called_off,
            actions_opened=opened,
            actions_closed=closed,
            per_pair=[
                PairMonths(
                    pair_id=p.pair_id,
                    label=f"{p.mentor.name} & {p.executive.name}",
                    status=p.cadence.status,
                    held=per_pair[p.pair_id],
                    called_off=pair_off[p.pair_id],
                )
                for p in rows
            ],
        ),
        suppressed=[t.group for t in health.themes if not t.reported],
        health=health,
    )


# Impact report for a cycle -----------------------------------------------------------------


class Cycle(BaseModel):
    """The pairs of one cycle: those whose six months started between two dates."""

    started_from: dt.date
    started_to: dt.date
    ends: dt.date = Field(description="When the last of its pairs' six months end.")


class Figure(BaseModel):
    """One line of the report."""

    section: str
    measure: str
    value: float | int | str | None
    note: str = ""


class ImpactReport(BaseModel):
    """A cycle's figures for leadership: aggregates over at least ``min_group_size`` pairs."""

    today: dt.date
    cycle: Cycle
    pairs: int
    min_group_size: int
    reported: bool
    note: str | None = None
    months: list[str] = Field(default_factory=list)
    sessions_held_by_month: list[int] = Field(default_factory=list)
    actions_closed_by_month: list[int] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    suppressed: list[str] = Field(default_factory=list)


def latest_cycle(starts: Iterable[dt.date]) -> tuple[dt.date, dt.date] | None:
    """The latest cohort: pairs that started within a cycle's length before the latest start."""
    days = sorted(starts)
    if not days:
        return None
    return max(add_months(days[-1], -CYCLE_MONTHS), days[0]), days[-1]


def _share(count: int, total: int) -> str:
    return f"{round(100 * count / total)} %" if total else "-"


def impact_report(
    health: ProgramHealth,
    sessions: Iterable[Held],
    readings: Mapping[str, Reading],
    topics: Sequence[Topic],
    objectives: Sequence[Objective],
    started_from: dt.date,
    started_to: dt.date,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> ImpactReport:
    """Figures for the pairs whose cycle started between two dates, each pair over its own six months.

    Activity is counted inside each pair's cycle (up to today); themes and objectives come from the
    pairs' shared notes; pulse and self-ratings are the program's own aggregates. Nothing is given
    when the cycle has fewer pairs than the minimum group size; a group (a department) below it is
    named in ``suppressed``, not shown.
    """
    today, size = health.today, health.min_group_size
    pairs = [p for p in health.pairs if started_from <= p.start_date <= started_to]
    ends = max((add_months(p.start_date, CYCLE_MONTHS) for p in pairs), default=started_to)
    cycle = Cycle(started_from=started_from, started_to=started_to, ends=ends)
    report = ImpactReport(today=today, cycle=cycle, pairs=len(pairs), min_group_size=size, reported=False)
    if len(pairs) < size:
        report.note = f"Fewer than {size} pairs started in this cycle: too small to report."
        return report
    window = {p.pair_id: (p.start_date, min(add_months(p.start_date, CYCLE_MONTHS), today)) for p in pairs}
    last = min(ends, today)
    months = months_between(started_from, last)
    index = {m: i for i, m in enumerate(months)}
    counts: Counter[tuple[str, str]] = Counter()
    by_month = [0] * len(months)
    for s in sessions:
        span = window.get(s.pair_id)
        if span is None or not span[0] <= s.date < span[1] + dt.timedelta(days=1) or s.date > today:
            continue
        counts[(s.pair_id, s.status)] += 1
        if s.status == "held" and (at := index.get(month_of(s.date))) is not None:
            by_month[at] += 1
    rates = []
    for p in pairs:
        start, end = window[p.pair_id]
        elapsed = max((end - start).days, 14) / (365.25 / 12)
        rates.append(counts[(p.pair_id, "held")] / elapsed)
    held = sum(counts[(p.pair_id, "held")] for p in pairs)
    figures = [
        Figure(section="Participation", measure="Pairs", value=len(pairs)),
        Figure(
            section="Participation",
            measure="Pairs past their six months",
            value=sum(1 for p in pairs if add_months(p.start_date, CYCLE_MONTHS) <= today),
        ),
        Figure(section="Sessions", measure="Held", value=held),
        Figure(
            section="Sessions",
            measure="Cancelled",
            value=sum(counts[(p.pair_id, "cancelled")] for p in pairs),
        ),
        Figure(section="Sessions", measure="Moved", value=sum(counts[(p.pair_id, "moved")] for p in pairs)),
        Figure(
            section="Sessions",
            measure="Held per pair per month (mean)",
            value=round(sum(rates) / len(rates), 2),
            note=f"target {TARGET_PER_MONTH}, minimum {MINIMUM_PER_MONTH}",
        ),
    ]
    bands = [
        ("Pairs meeting at the target or more", sum(1 for r in rates if r >= TARGET_PER_MONTH)),
        (
            "Pairs meeting below the target, at the minimum or more",
            sum(1 for r in rates if MINIMUM_PER_MONTH <= r < TARGET_PER_MONTH),
        ),
        ("Pairs meeting below the minimum", sum(1 for r in rates if r < MINIMUM_PER_MONTH)),
    ]
    figures += [Figure(section="Cadence", measure=m, value=v, note=_share(v, len(pairs))) for m, v in bands]
    figures.append(
        Figure(
            section="Cadence",
            measure="Pairs stalled today",
            value=sum(1 for p in pairs if p.cadence.status == "stalled"),
        )
    )
    closed = [0] * len(months)
    sides: Counter[str] = Counter()
    for p in pairs:
        reading = readings.get(p.pair_id)
        names = {
            first_name(p.mentor.name).lower(): "mentor",
            first_name(p.executive.name).lower(): "executive",
        }
        start, end = window[p.pair_id]
        for item in reading.actions if reading else ():
            side = names.get(item.owner.lower(), "other")
            if start <= item.since <= end:
                sides[f"{side} opened"] += 1
            if item.done_date and start <= item.done_date <= end:
                sides[f"{side} closed"] += 1
                if (at := index.get(month_of(item.done_date))) is not None:
                    closed[at] += 1
    for side in ("mentor", "executive"):
        figures.append(
            Figure(section="Actions", measure=f"Opened by the {side}", value=sides[f"{side} opened"])
        )
        figures.append(
            Figure(section="Actions", measure=f"Closed by the {side}", value=sides[f"{side} closed"])
        )
    covered = Counter(t for p in pairs if (r := readings.get(p.pair_id)) for t in r.covered)
    by_id = {t.id: t for t in topics}
    for objective in objectives:
        serving = {t.id for t in topics if t.category in objective.categories}
        reached = sum(1 for p in pairs if (r := readings.get(p.pair_id)) and r.covered & serving)
        figures.append(
            Figure(
                section="Objectives covered in sessions",
                measure=objective.title,
                value=reached,
                note=f"pairs ({_share(reached, len(pairs))}); learner: {objective.learner}",
            )
        )
    for topic_id, count in sorted(covered.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
        if topic_id in by_id:
            figures.append(
                Figure(
                    section="Most covered topics", measure=by_id[topic_id].title, value=count, note="pairs"
                )
            )
    figures += _evaluation(health)
    suppressed = []
    members = {p.pair_id for p in pairs}
    for name, group in sorted((groups or {}).items()):
        inside = [pid for pid in dict.fromkeys(group) if pid in members]
        if not inside:
            continue
        if len(inside) < size:
            suppressed.append(name)
            continue
        rate = sum(r for p, r in zip(pairs, rates, strict=True) if p.pair_id in inside) / len(inside)
        figures.append(
            Figure(
                section="Groups",
                measure=name,
                value=round(rate, 2),
                note=f"{len(inside)} pairs; sessions held per pair per month",
            )
        )
    return report.model_copy(
        update={
            "reported": True,
            "months": months,
            "sessions_held_by_month": by_month,
            "actions_closed_by_month": closed,
            "figures": figures,
            "suppressed": suppressed,
        }
    )


def cycle_report(
    desk: Coordinator,
    started_from: dt.date | None = None,
    started_to: dt.date | None = None,
    today: dt.date | None = None,
) -> ImpactReport:
    """The impact report for the pairs whose cycle started between two dates (default: the latest cohort).

    Raises:
        InvalidInput: The first start date is after the last.
    """
    day = today or clock.today()
    picture = desk.picture(day)
    if started_from is None or started_to is None:
        latest = latest_cycle(p.start_date for p in picture.health.pairs) or (day, day)
        started_from, started_to = started_from or latest[0], started_to or latest[1]
    if started_from > started_to:
        raise InvalidInput("The cycle's first start date must not be after its last.")
    members = [p.pair_id for p in picture.health.pairs if started_from <= p.start_date <= started_to]
    if len(members) >= desk.settings.min_group_size:
        picture = desk.picture(day, pulse_pairs=members)  # pulse and self-ratings of this cycle's pairs
    return impact_report(
        picture.health,
        picture.sessions,
        picture.readings,
        desk.topics,
        load_objectives(desk.settings.knowledge_dir),
        started_from,
        started_to,
        picture.groups,
    )


def _evaluation(health: ProgramHealth) -> list[Figure]:
    """The pulse and self-ratings aggregates, when the program collects them (already suppressed)."""
    figures: list[Figure] = []
    pulse = getattr(health, "pulse", None)
    if pulse is not None:
        for month in getattr(pulse, "months", []):
            if getattr(month, "reported", False):
                figures.append(
                    Figure(
                        section="Pulse (whole program)",
                        measure=f"Mean usefulness, {month.month}",
                        value=getattr(month, "mean_usefulness", None),
                        note="1-5",
                    )
                )
    rated = getattr(health, "objectives_self_rated", None)
    if rated is not None:
        for objective in getattr(rated, "objectives", []):
            if getattr(objective, "change", None) is not None:
                figures.append(
                    Figure(
                        section="Self-ratings, start to end (whole program)",
                        measure=getattr(objective, "title", objective.id),
                        value=objective.change,
                        note=f"{objective.start.mean} to {objective.end.mean}",
                    )
                )
    return figures


def _cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a name starting with = + - or @ is not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def report_csv(report: ImpactReport) -> str:
    """The report as CSV: one row a figure, then the months (figures only, never text)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def put(*cells: object) -> None:
        writer.writerow([_cell(c) for c in cells])

    put("section", "measure", "value", "note")
    put("Cycle", "Pairs started from", report.cycle.started_from.isoformat(), "")
    put("Cycle", "Pairs started to", report.cycle.started_to.isoformat(), "")
    put("Cycle", "Pairs", report.pairs, "")
    if not report.reported:
        put("Cycle", "Reported", "no", report.note or "")
        return out.getvalue()
    for f in report.figures:
        put(f.section, f.measure, "" if f.value is None else f.value, f.note)
    for month, held, closed in zip(
        report.months, report.sessions_held_by_month, report.actions_closed_by_month, strict=True
    ):
        put("By month", f"Sessions held, {month}", held, "")
        put("By month", f"Actions closed, {month}", closed, "")
    if report.suppressed:
        put("Groups", "Too small to report", "; ".join(report.suppressed), "")
    return out.getvalue()
