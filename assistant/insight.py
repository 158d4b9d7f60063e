"""Program health for coordinators: cadence, action items, topic coverage and flags per pair.

Figures, never text. Note text is read on the server to count action items, topics and
signals; only counts, dates, category names and flag reasons leave this module. Cadence and
stalls come from the pair's held sessions (activity data, with cancelled and moved ones
counted apart); a note written straight into the store without a session counts as a
session on its date. Everything read from note text uses
the pair's shared notes only, because a ``private`` note is for its author alone. Themes
across pairs (which topics the program covers) are reported only for groups of at least
``min_group_size`` pairs, as the measuring-impact guideline requires.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from pydantic import BaseModel, Field

from assistant.knowledge import Objective, Topic
from assistant.pulse import PulseTrend
from assistant.ratings import ObjectivesChange
from assistant.readings import Members, Reading, SharedNote, read
from assistant.render import counted, spoken_day

# From guidelines/session-structure-and-cadence.md ("Cadence", "Stalled pairs").
TARGET_PER_MONTH = 2
MINIMUM_PER_MONTH = 1
STALL_DAYS = 42
# From pairing-and-rotation.md: give a relationship at least three sessions before judging it.
JUDGE_AFTER_NOTES = 3
# "Repeated" cancellations: the cadence guideline steps in after two in a row.
REPEATED_CANCELLATIONS = 2
RECENT_DAYS = 90
DAYS_PER_MONTH = 365.25 / 12
TOP_TOPICS = 5

Status = Literal["on_track", "below_target", "below_minimum", "stalled", "not_started"]
FlagName = Literal["stalled", "cancellations", "one_way", "friction"]


@dataclass(frozen=True)
class NoteFacts:
    """The parts of a note health reads."""

    id: str
    date: dt.date
    author_id: str
    visibility: str
    text: str
    session_id: str | None = None


@dataclass(frozen=True)
class SessionFacts:
    """The parts of a session health reads: its local date and status."""

    date: dt.date
    status: str


@dataclass(frozen=True)
class PairFacts:
    """A pair with its members' names, all its notes and all its sessions."""

    id: str
    mentor_id: str
    mentor_name: str
    executive_id: str
    executive_name: str
    start_date: dt.date
    notes: tuple[NoteFacts, ...]
    sessions: tuple[SessionFacts, ...] = ()

    def held_dates(self) -> list[dt.date]:
        """Dates of held sessions, and of notes that have no session."""
        held = [s.date for s in self.sessions if s.status == "held"]
        return held + [n.date for n in self.notes if n.session_id is None]


class Person(BaseModel):
    """A pair member as coordinators see them."""

    id: str
    name: str


class Cadence(BaseModel):
    """How often a pair meets, from its held sessions."""

    sessions: int
    sessions_last_30_days: int
    sessions_last_90_days: int
    per_month_recent: float = Field(description="Sessions a month over the last 90 days (or since start).")
    per_month_overall: float
    target_per_month: int = TARGET_PER_MONTH
    minimum_per_month: int = MINIMUM_PER_MONTH
    last_session: dt.date | None
    days_since_last_session: int | None
    status: Status
    cancelled: int = Field(0, description="Sessions called off, since the start.")
    moved: int = Field(0, description="Sessions moved to another time, since the start.")
    next_session: dt.date | None = Field(None, description="The next planned session after today.")


class ActionCounts(BaseModel):
    """Action items one side owns."""

    open: int = 0
    done: int = 0


class CategoryCoverage(BaseModel):
    """How many of a category's catalog topics a pair has covered."""

    category: str
    covered: int
    topics: int


class ObjectiveCoverage(BaseModel):
    """How many topics serving one program objective a pair has covered."""

    id: str
    title: str
    learner: str
    covered_topics: int
    met: bool


class Flag(BaseModel):
    """Something a coordinator should look at, with the reason in figures."""

    flag: FlagName
    reason: str


class PairHealth(BaseModel):
    """One pair's figures and flags (no note text)."""

    pair_id: str
    mentor: Person
    executive: Person
    start_date: dt.date
    cadence: Cadence
    actions: dict[str, ActionCounts]
    categories: list[CategoryCoverage]
    objectives: list[ObjectiveCoverage]
    flags: list[Flag]


class TopicCount(BaseModel):
    """How many pairs in a group covered a topic."""

    topic_id: str
    title: str
    category: str
    pairs: int


class ObjectiveCount(BaseModel):
    """How many pairs in a group covered at least one topic of an objective."""

    id: str
    title: str
    pairs: int


class GroupThemes(BaseModel):
    """Themes across a group of pairs; empty unless the group is large enough to report."""

    group: str
    reported: bool
    pairs: int | None = Field(description="Pairs in the group; omitted when too small to report.")
    note: str | None = None
    most_covered: list[TopicCount] = Field(default_factory=list)
    objectives: list[ObjectiveCount] = Field(default_factory=list)
    uncovered_categories: list[str] = Field(default_factory=list)


class Summary(BaseModel):
    """Activity counts across the program."""

    pairs: int
    status: dict[str, int]
    flags: dict[str, int]


class ProgramHealth(BaseModel):
    """Program health as coordinators see it."""

    today: dt.date
    min_group_size: int
    summary: Summary
    pairs: list[PairHealth]
    themes: list[GroupThemes]
    pulse: PulseTrend | None = Field(
        default=None, description="Mean usefulness per month from the pulse; small months suppressed."
    )
    objectives_self_rated: ObjectivesChange | None = Field(
        default=None, description="Mean self-ratings per objective, start vs end; small groups suppressed."
    )


def covered_topics(text: str, topics: Iterable[Topic]) -> list[Topic]:
    """Catalog topics whose title or a keyword is in ``text`` (as ``PairContext.covered``)."""
    lower = text.lower()
    return [t for t in topics if t.mentioned_in(lower)]


def _cadence(pair: PairFacts, today: dt.date) -> Cadence:
    dates, start = pair.held_dates(), pair.start_date
    sessions = sorted(set(d for d in dates if d <= today))
    last = sessions[-1] if sessions else None
    idle = (today - (last or start)).days
    active_days = max((today - start).days, 0)
    window = min(RECENT_DAYS, max(active_days, 14))
    recent = sum(1 for d in sessions if (today - d).days < window)
    per_month = recent / (window / DAYS_PER_MONTH)
    status: Status
    if idle > STALL_DAYS:
        status = "stalled"
    elif not sessions:
        status = "not_started"
    elif per_month >= TARGET_PER_MONTH:
        status = "on_track"
    elif per_month >= MINIMUM_PER_MONTH:
        status = "below_target"
    else:
        status = "below_minimum"
    return Cadence(
        sessions=len(sessions),
        sessions_last_30_days=sum(1 for d in sessions if (today - d).days < 30),
        sessions_last_90_days=sum(1 for d in sessions if (today - d).days < 90),
        per_month_recent=round(per_month, 2),
        per_month_overall=round(len(sessions) / (max(active_days, 14) / DAYS_PER_MONTH), 2),
        last_session=last,
        days_since_last_session=(today - last).days if last else None,
        status=status,
        cancelled=sum(1 for s in pair.sessions if s.status == "cancelled" and s.date <= today),
        moved=sum(1 for s in pair.sessions if s.status == "moved" and s.date <= today),
        next_session=min(
            (s.date for s in pair.sessions if s.status == "planned" and s.date > today), default=None
        ),
    )


def _first(name: str) -> str:
    return (name.split() or [""])[0]


def _actions(pair: PairFacts, reading: Reading) -> dict[str, ActionCounts]:
    sides = {_first(pair.mentor_name).lower(): "mentor", _first(pair.executive_name).lower(): "executive"}
    counts = {"mentor": ActionCounts(), "executive": ActionCounts(), "other": ActionCounts()}
    for item in reading.actions:
        side = counts[sides.get(item.owner.lower(), "other")]
        if item.done:
            side.done += 1
        else:
            side.open += 1
    return counts


def _flags(pair: PairFacts, cadence: Cadence, reading: Reading, today: dt.date) -> list[Flag]:
    flags: list[Flag] = []
    if cadence.status == "stalled":
        since = (
            f"since {spoken_day(cadence.last_session)}"
            if cadence.last_session
            else f"since the start on {spoken_day(pair.start_date)}"
        )
        days = cadence.days_since_last_session or (today - pair.start_date).days
        flags.append(
            Flag(
                flag="stalled",
                reason=f"No session for {days} days ({since}); the guidelines allow {STALL_DAYS}.",
            )
        )
    cancelled = reading.cancellation_mentions
    recorded = cadence.cancelled + cadence.moved
    if recorded >= REPEATED_CANCELLATIONS:
        mentioned = f"; notes mention it {sum(cancelled)} times" if sum(cancelled) else ""
        flags.append(
            Flag(
                flag="cancellations",
                reason=f"{counted(cadence.cancelled, 'session')} cancelled and {cadence.moved} moved "
                f"against {counted(cadence.sessions, 'session')} held{mentioned}.",
            )
        )
    elif sum(cancelled) >= REPEATED_CANCELLATIONS:
        flags.append(
            Flag(
                flag="cancellations",
                reason=f"Cancelled or moved sessions are mentioned {sum(cancelled)} times "
                f"in {counted(sum(1 for c in cancelled if c), 'note')}.",
            )
        )
    if reading.notes >= JUDGE_AFTER_NOTES and reading.executive_led == 0:
        remarks = reading.one_way_remarks
        verb = "says" if remarks == 1 else "say"
        said = f"; {counted(remarks, 'note')} {verb} the exchange runs one way" if remarks else ""
        flags.append(
            Flag(
                flag="one_way",
                reason=f"None of the {reading.notes} shared notes shows the executive leading "
                f"part of a session{said}.",
            )
        )
    kinds = reading.friction
    if any(kinds):
        labels = sorted({label for found in kinds for label in found})
        noted = sum(1 for k in kinds if k)
        flags.append(
            Flag(
                flag="friction",
                reason=f"{counted(noted, 'note')} {'describes' if noted == 1 else 'describe'} "
                f"{' and '.join(labels)}.",
            )
        )
    return flags


def read_pair(pair: PairFacts, today: dt.date, topics: Iterable[Topic]) -> Reading:
    """Read a pair's shared notes dated up to ``today`` (``readings.READINGS`` keeps these)."""
    shared = sorted(
        (n for n in pair.notes if n.visibility != "private" and n.date <= today), key=lambda n: n.date
    )
    members = Members(pair.mentor_id, pair.mentor_name, pair.executive_id, pair.executive_name)
    return read([SharedNote(n.id, n.date, n.author_id, n.text) for n in shared], members, topics)


def pair_health(
    pair: PairFacts,
    today: dt.date,
    topics: list[Topic],
    objectives: Iterable[Objective],
    reading: Reading | None = None,
) -> tuple[PairHealth, set[str]]:
    """One pair's figures and flags, with the ids of the catalog topics it covered.

    ``reading`` is what the pair's shared notes say (read from ``pair.notes`` when not given).
    """
    reading = reading or read_pair(pair, today, topics)
    cadence = _cadence(pair, today)
    covered = [t for t in topics if t.id in reading.covered]
    by_category = Counter(t.category for t in covered)
    categories = list(dict.fromkeys(t.category for t in topics))
    totals = Counter(t.category for t in topics)
    health = PairHealth(
        pair_id=pair.id,
        mentor=Person(id=pair.mentor_id, name=pair.mentor_name),
        executive=Person(id=pair.executive_id, name=pair.executive_name),
        start_date=pair.start_date,
        cadence=cadence,
        actions=_actions(pair, reading),
        categories=[
            CategoryCoverage(category=c, covered=by_category[c], topics=totals[c]) for c in categories
        ],
        objectives=[
            ObjectiveCoverage(
                id=o.id,
                title=o.title,
                learner=o.learner,
                covered_topics=sum(by_category[c] for c in o.categories),
                met=any(by_category[c] for c in o.categories),
            )
            for o in objectives
        ],
        flags=_flags(pair, cadence, reading, today),
    )
    return health, {t.id for t in covered}


def group_themes(
    name: str,
    covered: list[set[str]],
    topics: list[Topic],
    objectives: Iterable[Objective],
    min_group_size: int,
) -> GroupThemes:
    """Themes across one group of pairs, or a refusal when the group is smaller than the minimum."""
    if len(covered) < min_group_size:
        return GroupThemes(
            group=name,
            reported=False,
            pairs=None,
            note=f"Fewer than {min_group_size} pairs: too small to report themes.",
        )
    counts = Counter(topic_id for ids in covered for topic_id in ids)
    by_id = {t.id: t for t in topics}
    ranked = sorted((t for t in topics if counts[t.id]), key=lambda t: -counts[t.id])[:TOP_TOPICS]
    categories = list(dict.fromkeys(t.category for t in topics))
    seen = {by_id[i].category for ids in covered for i in ids if i in by_id}
    return GroupThemes(
        group=name,
        reported=True,
        pairs=len(covered),
        most_covered=[
            TopicCount(topic_id=t.id, title=t.title, category=t.category, pairs=counts[t.id]) for t in ranked
        ],
        objectives=[
            ObjectiveCount(
                id=o.id,
                title=o.title,
                pairs=sum(1 for ids in covered if any(by_id[i].category in o.categories for i in ids)),
            )
            for o in objectives
        ],
        uncovered_categories=[c for c in categories if c not in seen],
    )


def program_health(
    pairs: list[PairFacts],
    today: dt.date,
    topics: list[Topic],
    objectives: tuple[Objective, ...],
    min_group_size: int,
    groups: dict[str, list[str]] | None = None,
    readings: Mapping[str, Reading] | None = None,
) -> ProgramHealth:
    """Health of every pair, activity counts, and themes for groups large enough to report.

    Args:
        pairs: Every pair with its notes.
        today: The day figures are computed for.
        topics: The topic catalog.
        objectives: The program's objectives.
        min_group_size: Fewest pairs a theme may describe.
        groups: Extra groups (name to pair ids) besides the whole program, e.g. by department.
        readings: What each pair's shared notes say, when already read (see ``readings``).
    """
    given = readings or {}
    results = [pair_health(pair, today, topics, objectives, given.get(pair.id)) for pair in pairs]
    covered = {health.pair_id: ids for health, ids in results}
    healths = [health for health, _ in results]
    themes = [group_themes("program", list(covered.values()), topics, objectives, min_group_size)]
    for name, members in sorted((groups or {}).items()):
        member_sets = [covered[p] for p in dict.fromkeys(members) if p in covered]
        themes.append(group_themes(name, member_sets, topics, objectives, min_group_size))
    statuses = Counter(h.cadence.status for h in healths)
    flagged = Counter(f.flag for h in healths for f in h.flags)
    summary = Summary(
        pairs=len(healths),
        status={s: statuses[s] for s in get_args(Status)},
        flags={f: flagged[f] for f in get_args(FlagName)},
    )
    return ProgramHealth(
        today=today, min_group_size=min_group_size, summary=summary, pairs=healths, themes=themes
    )
