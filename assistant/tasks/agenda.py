"""Session agendas: time-boxed, opening with open actions, both people leading, ending with actions."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from assistant.knowledge import AgendaPattern, Topic, read_yaml
from assistant.render import counted, spoken_day
from assistant.settings import REPO_ROOT
from assistant.tasks.chain import run_llm
from assistant.tasks.context import PairContext
from assistant.tasks.schemas import Agenda, AgendaItem, CarriedAction
from assistant.tasks.sources import Sources, hit_citation
from assistant.tasks.topics import Focus, choose, rank

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.guide import Guide
    from assistant.insight import PairHealth

Side = Literal["mentor", "executive"]
FIRST_SESSION = "first_session"
REVIEW = "review"  # looking back over the sessions and ahead: no catalog topic in its parts
# Topics a pattern's hands-on practice fits: something to do on a device or a live service.
HANDS_ON = ("digital-tools", "customers-and-market")
SIDE_AHEAD = 0.05  # how much nearer the executive's topics must be to a subject for their part to take it


def pick_pattern(guide: Guide, context: PairContext, minutes: int, review: bool = False) -> AgendaPattern:
    """The kickoff pattern for a new pair, the review one if asked, else the regular one nearest in length."""
    patterns = guide.knowledge.patterns
    wanted = FIRST_SESSION if not context.notes else REVIEW if review else None
    if chosen := [p for p in patterns if p.id == wanted]:
        return chosen[0]
    regular = [p for p in patterns if p.id not in (FIRST_SESSION, REVIEW)]
    return min(regular, key=lambda p: (abs(p.minutes - minutes), -p.minutes))


MIN_PART = 2  # minutes: no part of an agenda is shorter


def scale(lengths: list[int], minutes: int) -> list[int]:
    """Lengths stretched to ``minutes`` in proportion (largest remainders get the spare minutes)."""
    total = sum(lengths)
    raw = [length * minutes / total for length in lengths]
    out = [max(MIN_PART, int(r)) for r in raw]
    order = sorted(range(len(lengths)), key=lambda n: raw[n] - int(raw[n]), reverse=True)
    n = 0
    while sum(out) != minutes:
        step = 1 if sum(out) < minutes else -1
        index = order[n % len(order)]
        if step > 0 or out[index] > MIN_PART:
            out[index] += step
        n += 1
    return out


def carried(context: PairContext) -> list[CarriedAction]:
    """The pair's open action items."""
    return [CarriedAction(owner=a.owner, action=a.action, note_id=a.note_id) for a in context.open]


def _nearer_side(guide: Guide, focus: str) -> str:
    """Whose part takes a subject no topic is about.

    The executive's when their topics are clearly nearer to it ("how budgets get decided"), else the
    mentor's: what the mentor brings is the program's point.
    """
    scores = guide.topic_vectors @ guide.embed_query(focus)
    nearest = {
        side: max(
            (float(v) for t, v in zip(guide.knowledge.topics, scores) if t.direction == side), default=-1.0
        )
        for side in ("mentor_to_executive", "executive_to_mentor")
    }
    ahead = nearest["executive_to_mentor"] - nearest["mentor_to_executive"] >= SIDE_AHEAD
    return "executive_to_mentor" if ahead else "mentor_to_executive"


def compose(
    guide: Guide,
    context: PairContext,
    minutes: int,
    focus: str | None,
    exclude: tuple[str, ...] = (),
    part: str | None = None,
    review: bool = False,
) -> Agenda:
    """Fill the closest agenda pattern with this pair's open actions and best-fitting topics.

    ``exclude``: texts (an earlier agenda's items) whose topics are left for others. ``part``: whose
    part ("mentor" or "executive") the focus is for ("his 15 minutes on supplier negotiations"); when
    no topic of that side is about it, that part takes the subject in the user's own words. A focus
    no chosen topic is about, for no side named, goes to the side whose topics rank nearest to it.
    """
    pattern = pick_pattern(guide, context, minutes, review)
    picks: dict[str, Topic] = {}
    ranked = [r for r in rank(guide, context, focus) if not any(r.topic.title in e for e in exclude)]
    for entry in choose(ranked, 4):
        picks.setdefault(entry.topic.direction, entry.topic)  # the best-ranked topic in each direction
    side = {"mentor": "mentor_to_executive", "executive": "executive_to_mentor"}.get(part or "")
    if focus and not side and ranked and not Focus.of(guide, focus, {t.id for t in picks.values()}).matched:
        side = _nearer_side(guide, focus)
    own = None  # the subject a side's part takes in the user's words, when no topic of that side is about it
    if side and focus and (chosen := picks.get(side)) and not Focus.of(guide, focus, {chosen.id}).matched:
        del picks[side]
        own = focus
    if pattern.id == REVIEW:
        own = None  # its parts are about the pair's own sessions
    actions = carried(context)
    items = []
    placed: set[str] = set()
    for item, length in zip(pattern.items, scale([i.minutes for i in pattern.items], minutes)):
        title, details = item.title, item.details
        direction = {"mentor": "mentor_to_executive", "executive": "executive_to_mentor"}.get(item.lead)
        topic = picks.get(direction) if direction and pattern.id not in (FIRST_SESSION, REVIEW) else None
        if pattern.id == REVIEW and item is pattern.items[1] and len(context.notes) > 1:
            first, last = spoken_day(context.notes[0]["date"]), spoken_day(context.notes[-1]["date"])
            details = (
                f"{details} Your notes run from {first} to {last}: {counted(len(context.notes), 'session')}."
            )
        if item is pattern.items[0] and actions:
            listed = "; ".join(f"{a.owner}: {a.action}" for a in actions)
            details = f"Go through the open actions: {listed}. Mark each done, keep it or drop it."
        elif own and direction == side and own not in placed:
            placed.add(own)
            title = f"{item.title}: {own[:1].upper()}{own[1:]}"
            details = f"{context.first_name(item.lead)} leads, on {own}. {item.details}"
        elif (own and direction == side and item.lead == "mentor") or (
            topic is not None and topic.id in placed and topic.category not in HANDS_ON
        ):  # practice after a conversation: a real case, not a device
            subject = own if own and direction == side else topic.title if topic else ""
            title = "Apply it to a real case"
            details = (
                f"Take one live situation from {context.first_name('executive')}'s own work and talk it "
                f"through in the light of “{subject}”; finish with one thing to try before the next session."
            )
        elif topic is not None and topic.id not in placed:
            placed.add(topic.id)
            title = f"{item.title}: {topic.title}"
            opener = topic.opening_questions[0]
            details = f"{context.first_name(item.lead)} leads. {topic.purpose} Open with: “{opener}”"
        elif topic is not None:
            details = f"{item.details} Apply it to “{topic.title}”."
        items.append(AgendaItem(minutes=length, title=title, lead=item.lead, details=details))
    guidance = guide.find_guidelines("typical session flow and agreeing action items", k=2)
    return Agenda(
        title=f"{minutes}-minute session: {context.mentor} and {context.executive}",
        minutes=minutes,
        items=items,
        carried_over_actions=actions,
        follow_ups=[
            "Send this agenda to each other two working days before the session.",
            "Write the session note within two working days, with each action as “- [ ] Name: action”.",
            "Book the next session within about two weeks if it is not in the calendar yet.",
        ],
        citations=[hit_citation(h) for h in guidance],
    )


def llm(
    guide: Guide,
    model: BaseChatModel,
    context: PairContext,
    minutes: int,
    focus: str | None,
) -> Agenda:
    """Let the model write the agenda; the open actions always come from the notes."""
    pattern = pick_pattern(guide, context, minutes)
    sources = Sources()
    for note in context.notes[-3:]:
        sources.add_note(note)
    for hit in guide.find_guidelines("typical session flow and agreeing action items", k=2):
        sources.add_hit(hit)
    candidates = [r.topic for r in choose(rank(guide, context, focus), 4)]

    def finish(data: dict[str, Any]) -> Agenda:
        data["minutes"] = minutes
        data["carried_over_actions"] = [a.model_dump() for a in carried(context)]
        return Agenda.model_validate(data)

    variables = {
        "minutes": minutes,
        "focus": focus or "",
        "mentor": context.mentor,
        "executive": context.executive,
        "goals": context.goals,
        "pattern": pattern,
        "open_actions": context.open,
        "candidates": candidates,
        "passages": list(sources.passages.values()),
    }
    return run_llm(
        guide,
        model,
        "agenda",
        variables,
        sources,
        finish,
        Agenda,
        ("minutes", "carried_over_actions", "part"),
    )


@lru_cache(maxsize=4)
def plans(knowledge_dir: Path) -> dict[str, Any]:
    """The ``check_in`` and ``outline`` blocks of agendas.yaml: the program's own, else the shipped ones."""
    shipped = read_yaml(REPO_ROOT / "knowledge" / "agendas.yaml")
    path = knowledge_dir / "agendas.yaml"
    own = read_yaml(path) if path.exists() else {}
    return {key: own.get(key) or shipped[key] for key in ("check_in", "outline")}


def check_in_call(pair: PairHealth, minutes: int, plan: dict[str, Any]) -> Agenda:
    """A coordinator's check-in call with a pair, time-boxed.

    How it's going, each side's view, a part for each thing the pair is flagged for (or their
    goals), and the changes agreed.

    ``plan`` is the ``check_in`` block of knowledge/agendas.yaml. Only figures are used: the
    flags' reasons and the cadence, never a note's text.
    """
    cadence = pair.cadence
    status = f"They have held {counted(cadence.sessions, 'session')}" + (
        f", the last on {spoken_day(cadence.last_session)}" if cadence.last_session else ""
    )
    status += (
        f"; the next is planned for {spoken_day(cadence.next_session)}." if cadence.next_session else "."
    )
    opening = plan["opening"]
    parts = [{**opening, "details": opening["details"].format(status=status)}, *plan["sides"]]
    flagged = [f for f in pair.flags if f.flag in plan["flags"]]
    middle = plan["goals"]["share"] * 2 / max(len(flagged), 1)  # the flags share the goals' time, and more
    for flag in flagged:
        said = plan["flags"][flag.flag]
        parts.append(
            {
                "share": middle,
                "title": said["title"],
                "lead": "both",
                "details": f"{flag.reason} {said['details']}",
            }
        )
    if not flagged:
        parts.append(plan["goals"])
    parts.append(plan["closing"])
    lengths = scale([round(p["share"] * 10) for p in parts], minutes)
    first = {"mentor": pair.mentor.name.split()[0], "executive": pair.executive.name.split()[0]}
    return Agenda(
        title=plan["title"].format(**first),
        minutes=minutes,
        items=[
            AgendaItem(minutes=n, title=p["title"], lead=p["lead"], details=p["details"])
            for p, n in zip(parts, lengths, strict=True)
        ],
    )


def part_outline(side: Side, minutes: int, focus: str | None, partner: str, plan: dict[str, Any]) -> Agenda:
    """An outline of one side's own part of a session ("my 15 minutes on supplier negotiations").

    ``plan`` is the ``outline`` block of knowledge/agendas.yaml; items share the minutes as it says.
    """
    said = {"focus": focus or "your subject", "partner": partner, "minutes": minutes}
    items = plan[side]
    lengths = scale([item["share"] for item in items], minutes)
    return Agenda(
        title=plan["title"].format(**said) if focus else f"Your {minutes} minutes",
        minutes=minutes,
        part=side,
        items=[
            AgendaItem(
                minutes=n,
                title=item["title"].format(**said),
                lead=side,
                details=item["details"].format(**said),
            )
            for item, n in zip(items, lengths, strict=True)
        ],
    )
