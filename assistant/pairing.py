"""Pairing suggestions and rotation plans: an optimal assignment of mentors to executives.

Every mentor–executive combination gets a score: what the mentor can teach that the executive
wants to learn, what the executive can teach in return, and how many hours a week both are
free (in UTC, after time zones), less penalties the pairing guideline asks for (time zones
more than four hours apart, the same department, for a rotation the same function as the
executive's last mentor). Pairs inside one management chain, up or down and through any
number of levels, and for a rotation previous partners, are forbidden. The assignment with
the best total score is found with ``scipy.optimize.linear_sum_assignment`` on the negated
scores, so the result is optimal and the same input always gives the same matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pydantic import BaseModel, Field

from assistant.availability import STEP_MINUTES, WEEK_STEPS, utc_offset_minutes, week_grid
from assistant.errors import InvalidInput
from assistant.knowledge import Topic
from assistant.profiles import Participant
from assistant.render import spoken_list

FORBIDDEN = 1e6


@dataclass(frozen=True)
class Weights:
    """How much each factor counts; the defaults follow the pairing guideline's priorities."""

    executive_learns: float = 3.0  # per skill the executive wants and the mentor teaches
    mentor_learns: float = 2.0  # per skill the mentor wants and the executive teaches
    shared_time: float = 2.0  # full credit at ``enough_hours`` shared hours a week
    enough_hours: float = 4.0
    no_shared_time: float = 4.0
    far_time_zones: float = 2.0  # more than ``far_hours`` apart
    far_hours: float = 4.0
    same_department: float = 1.0
    same_function_as_last: float = 0.5


class Person(BaseModel):
    """A participant in a suggestion."""

    id: str
    name: str
    department: str = ""


class Suggestion(BaseModel):
    """One proposed pair and why."""

    mentor: Person
    executive: Person
    score: float
    executive_learns: list[str] = Field(description="What the executive wants that the mentor teaches.")
    mentor_learns: list[str] = Field(description="What the mentor wants that the executive teaches.")
    shared_hours: float = Field(description="Hours a week both are available.")
    explanation: str
    warnings: list[str] = Field(
        default_factory=list, description="Where the pair goes against the pairing guideline, and why."
    )


class Unmatched(BaseModel):
    """Someone the matching could not place, and why."""

    id: str
    name: str
    role: str
    reason: str


class Matching(BaseModel):
    """A complete matching of a cohort."""

    mentors: int
    executives: int
    pairs: list[Suggestion]
    unmatched: list[Unmatched]
    total_score: float


class _Skills:
    """Maps free-text skills to catalog topics, so "Copilot" and "AI assistants" match."""

    def __init__(self, topics: Sequence[Topic]) -> None:
        self.ids = {t.id for t in topics}
        self.titles = {t.title.lower(): t.id for t in topics}
        self.keywords = [
            (re.compile(r"\b" + re.escape(k.lower()) + r"(?:e?s)?\b"), t.id)
            for t in topics
            for k in t.keywords
        ]
        self.key = lru_cache(maxsize=None)(self._key)

    def _key(self, label: str) -> str:
        lower = " ".join(label.lower().split())
        if lower in self.ids:
            return lower
        if lower in self.titles:
            return self.titles[lower]
        for pattern, topic_id in self.keywords:
            if pattern.search(lower):
                return topic_id
        return lower


def _ancestors(person_id: str, managers: Mapping[str, str | None]) -> list[str]:
    """Everyone above a person on their reporting line (stops at a loop)."""
    found: list[str] = []
    current = managers.get(person_id)
    while current is not None and current != person_id and current not in found:
        found.append(current)
        current = managers.get(current)
    return found


def _explain(
    mentor: Participant,
    executive: Participant,
    for_exec: list[str],
    for_mentor: list[str],
    hours: float,
    gap: float,
) -> str:
    m, e = mentor.first_name, executive.first_name
    if for_exec and for_mentor:
        first = (
            f"{m} can help {e} with {spoken_list(for_exec)}, "
            f"and {e} can share {spoken_list(for_mentor)} in return."
        )
    elif for_exec:
        first = (
            f"{m} can help {e} with {spoken_list(for_exec)}; {e} lists nothing {m} wants to learn, "
            "so agree the executive's part in the first session."
        )
    elif for_mentor:
        first = (
            f"{e} can share {spoken_list(for_mentor)} with {m}; none of {m}'s skills match what {e} listed, "
            f"so agree {e}'s goals in the first session."
        )
    else:
        first = f"Neither lists a skill the other wants, so {m} and {e} should set goals together first."
    if hours <= 0:
        return f"{first} They have no weekly slot in common, so they will need to find time outside it."
    apart = f", with time zones {_hours(gap)} apart" if gap else ""
    return f"{first} They share {_hours(hours)} of availability a week{apart}."


def _hours(value: float) -> str:
    return f"{value:g} hour{'' if value == 1 else 's'}"


@dataclass(frozen=True)
class Scores:
    """Every mentor–executive combination of a cohort, scored, with the forbidden ones marked."""

    mentors: list[Participant]
    executives: list[Participant]
    score: np.ndarray
    forbidden: np.ndarray
    hours: np.ndarray
    gap: np.ndarray
    skills: _Skills


def _forbidden(
    mentors: list[Participant],
    executives: list[Participant],
    managers: Mapping[str, str | None],
    avoid: Iterable[tuple[str, str]],
) -> np.ndarray:
    """Combinations inside one management chain (either way up) or listed in ``avoid``."""
    m_index = {p.id: i for i, p in enumerate(mentors)}
    e_index = {p.id: j for j, p in enumerate(executives)}
    forbidden = np.zeros((len(mentors), len(executives)), dtype=bool)
    for mentor in mentors:
        for boss in _ancestors(mentor.id, managers):
            if boss in e_index:
                forbidden[m_index[mentor.id], e_index[boss]] = True
    for executive in executives:
        for boss in _ancestors(executive.id, managers):
            if boss in m_index:
                forbidden[m_index[boss], e_index[executive.id]] = True
    for mentor_id, executive_id in avoid:
        if mentor_id in m_index and executive_id in e_index:
            forbidden[m_index[mentor_id], e_index[executive_id]] = True
    return forbidden


def _onehot(rows: list[set[int]], width: int) -> np.ndarray:
    out = np.zeros((len(rows), width), dtype=np.float32)
    for i, row in enumerate(rows):
        out[i, list(row)] = 1.0
    return out


def _availability(people: list[Participant]) -> np.ndarray:
    """Each person's weekly availability as UTC quarter-hours, a row each."""
    grids = [week_grid(p.availability, p.time_zone) for p in people]
    return np.stack(grids) if grids else np.zeros((0, WEEK_STEPS), np.float32)


def score_cohort(
    cohort: Sequence[Participant],
    topics: Sequence[Topic],
    *,
    directory: Iterable[Participant] = (),
    avoid: Iterable[tuple[str, str]] = (),
    last_mentor_department: Mapping[str, str] | None = None,
    weights: Weights = Weights(),
) -> Scores:
    """Score every mentor–executive combination of a cohort (see ``suggest`` for the arguments).

    Raises:
        InvalidInput: An id appears twice in the cohort.
    """
    ids = [p.id for p in cohort]
    if len(set(ids)) != len(ids):
        raise InvalidInput("Each participant may appear only once in a cohort.")
    mentors = sorted((p for p in cohort if p.role == "mentor"), key=lambda p: p.id)
    executives = sorted((p for p in cohort if p.role == "executive"), key=lambda p: p.id)
    everyone = {p.id: p for p in directory} | {p.id: p for p in cohort}

    skills = _Skills(topics)
    vocab: dict[str, int] = {}

    def keys(people: list[Participant], attribute: str) -> list[set[int]]:
        return [{vocab.setdefault(skills.key(s), len(vocab)) for s in getattr(p, attribute)} for p in people]

    sets = [
        keys(mentors, "teaches"),
        keys(mentors, "learns"),
        keys(executives, "teaches"),
        keys(executives, "learns"),
    ]
    m_teach, m_learn, e_teach, e_learn = (_onehot(rows, len(vocab)) for rows in sets)
    for_exec = m_teach @ e_learn.T
    for_mentor = m_learn @ e_teach.T
    hours = _availability(mentors) @ _availability(executives).T * (STEP_MINUTES / 60)
    m_off = np.array([utc_offset_minutes(p.time_zone) for p in mentors], dtype=np.float32)
    e_off = np.array([utc_offset_minutes(p.time_zone) for p in executives], dtype=np.float32)
    gap = np.abs(m_off[:, None] - e_off[None, :]) / 60
    gap = np.minimum(gap, 24 - gap)
    m_dept = np.array([p.department.strip().lower() for p in mentors], dtype=object)
    e_dept = np.array([p.department.strip().lower() for p in executives], dtype=object)
    same_dept = (m_dept[:, None] == e_dept[None, :]) & (m_dept[:, None] != "")
    last = last_mentor_department or {}
    e_last = np.array([last.get(p.id, "").strip().lower() for p in executives], dtype=object)
    same_as_last = (m_dept[:, None] == e_last[None, :]) & (e_last[None, :] != "")
    w = weights
    score = (
        w.executive_learns * for_exec
        + w.mentor_learns * for_mentor
        + w.shared_time * np.minimum(hours, w.enough_hours) / w.enough_hours
        - w.no_shared_time * (hours <= 0)
        - w.far_time_zones * (gap > w.far_hours)
        - w.same_department * same_dept
        - w.same_function_as_last * same_as_last
    )
    managers = {pid: p.manager_id for pid, p in everyone.items()}
    forbidden = _forbidden(mentors, executives, managers, avoid)
    return Scores(mentors, executives, score.astype(np.float64), forbidden, hours, gap, skills)


def fit(
    mentor: Participant,
    executive: Participant,
    topics: Sequence[Topic],
    directory: Iterable[Participant] = (),
) -> Suggestion:
    """How one mentor and one executive would fit as a pair, explained as a suggestion is."""
    return _suggestion(score_cohort([mentor, executive], topics, directory=directory), 0, 0)


def partners(
    person: Participant,
    others: Sequence[Participant],
    topics: Sequence[Topic],
    directory: Iterable[Participant] = (),
) -> list[Suggestion]:
    """Whom ``person`` could be paired with among ``others`` (of the other role), best fit first.

    Pairs that go against the pairing guideline come last, however well they score.
    """
    scores = score_cohort([person, *others], topics, directory=directory)
    if person.role == "mentor":
        i = next(k for k, m in enumerate(scores.mentors) if m.id == person.id)
        found = [_suggestion(scores, i, j) for j in range(len(scores.executives))]
    else:
        j = next(k for k, e in enumerate(scores.executives) if e.id == person.id)
        found = [_suggestion(scores, i, j) for i in range(len(scores.mentors))]
    return sorted(found, key=lambda s: (bool(s.warnings), -s.score))


def _suggestion(scores: Scores, i: int, j: int) -> Suggestion:
    mentor, executive, key = scores.mentors[i], scores.executives[j], scores.skills.key
    teaches, wanted = {key(t) for t in mentor.teaches}, {key(t) for t in mentor.learns}
    taught = [s for s in executive.learns if key(s) in teaches]  # in the executive's words
    shared = [s for s in executive.teaches if key(s) in wanted]  # what the executive listed, not its match
    hours, gap = float(scores.hours[i, j]), float(scores.gap[i, j])
    return Suggestion(
        mentor=Person(id=mentor.id, name=mentor.name, department=mentor.department),
        executive=Person(id=executive.id, name=executive.name, department=executive.department),
        score=round(float(scores.score[i, j]), 2),
        executive_learns=taught,
        mentor_learns=shared,
        shared_hours=hours,
        explanation=_explain(mentor, executive, taught, shared, hours, gap),
        warnings=guideline_warnings(mentor, executive, gap, in_chain=bool(scores.forbidden[i, j])),
    )


def time_zone_gap(mentor: Participant, executive: Participant) -> float:
    """Hours between two people's time zones (the short way round the clock)."""
    gap = abs(utc_offset_minutes(mentor.time_zone) - utc_offset_minutes(executive.time_zone)) / 60
    return min(gap, 24 - gap)


def in_management_chain(
    mentor: Participant, executive: Participant, directory: Iterable[Participant] = ()
) -> bool:
    """Whether either person is above the other on a reporting line (the pairing guideline forbids it)."""
    managers = {p.id: p.manager_id for p in directory} | {
        mentor.id: mentor.manager_id,
        executive.id: executive.manager_id,
    }
    return executive.id in _ancestors(mentor.id, managers) or mentor.id in _ancestors(executive.id, managers)


def guideline_warnings(
    mentor: Participant,
    executive: Participant,
    gap: float | None = None,
    *,
    in_chain: bool = False,
    weights: Weights = Weights(),
) -> list[str]:
    """What the pairing guideline says against a pair: reporting line, time zones, same department."""
    warnings = []
    if in_chain:
        warnings.append(
            f"{executive.first_name} and {mentor.first_name} are on the same reporting line; "
            "the guidelines never pair people in one management chain."
        )
    gap = time_zone_gap(mentor, executive) if gap is None else gap
    if gap > weights.far_hours:
        warnings.append(
            f"Their time zones are {_hours(gap)} apart; the guidelines avoid more than "
            f"{weights.far_hours:g} unless both sides insist."
        )
    if (
        mentor.department.strip()
        and mentor.department.strip().lower() == executive.department.strip().lower()
    ):
        warnings.append(
            f"Both work in {mentor.department.strip()}; the guidelines avoid pairing a mentor with "
            "the head of their own department."
        )
    return warnings


def suggest(
    cohort: Sequence[Participant],
    topics: Sequence[Topic],
    *,
    directory: Iterable[Participant] = (),
    avoid: Iterable[tuple[str, str]] = (),
    last_mentor_department: Mapping[str, str] | None = None,
    weights: Weights = Weights(),
) -> Matching:
    """Pair the cohort's mentors with its executives for the best total score.

    Args:
        cohort: The people to pair; only mentors and executives are placed.
        topics: The topic catalog, used to match skills written in different words.
        directory: Everyone else known (e.g. ``staff`` profiles), so reporting lines are complete.
        avoid: ``(mentor id, executive id)`` pairs that must not be proposed (previous partners).
        last_mentor_department: For a rotation, each executive's previous mentor's department.
        weights: The scoring weights.

    Returns:
        The pairs in mentor-id order, and everyone left unplaced with the reason.

    Raises:
        InvalidInput: An id appears twice in the cohort.
    """
    scores = score_cohort(
        cohort,
        topics,
        directory=directory,
        avoid=avoid,
        last_mentor_department=last_mentor_department,
        weights=weights,
    )
    from scipy.optimize import linear_sum_assignment  # imported here: it takes 0.4 s, `serve` needs none

    # A forbidden combination costs more than any set of allowed ones, so the optimum uses as
    # few as possible (the most valid pairs); any it still needs are dropped below.
    rows, cols = linear_sum_assignment(np.where(scores.forbidden, FORBIDDEN, -scores.score))
    pairs: list[Suggestion] = []
    blocked: set[str] = set()
    for i, j in zip(rows.tolist(), cols.tolist()):
        if scores.forbidden[i, j]:
            blocked |= {scores.mentors[i].id, scores.executives[j].id}
        else:
            pairs.append(_suggestion(scores, i, j))
    placed = {p.mentor.id for p in pairs} | {p.executive.id for p in pairs}
    other = {"mentor": "executives", "executive": "mentors"}
    unmatched = [
        Unmatched(
            id=p.id,
            name=p.name,
            role=p.role,
            reason=(
                "Every partner left is in their management chain or was a previous partner."
                if p.id in blocked
                else f"The cohort has more {p.role}s than {other[p.role]}."
            ),
        )
        for p in [*scores.mentors, *scores.executives]
        if p.id not in placed
    ]
    return Matching(
        mentors=len(scores.mentors),
        executives=len(scores.executives),
        pairs=pairs,
        unmatched=unmatched,
        total_score=round(sum(s.score for s in pairs), 2),
    )
