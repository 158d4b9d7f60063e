"""Everything the assistant can do, as tools: typed arguments, run for a signed-in caller.

The caller (who is asking, their role and pairs) is bound on the server and never taken from
a message or a model. The chat's dialogue layer, the CLI and the API call the same tools.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from jinja2 import Environment, StrictUndefined
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant import clock, program, sessions
from assistant.access import STAFF_ROLES
from assistant.availability import STEP_MINUTES, local_slots, said_slot, utc_offset_minutes, week_grid
from assistant.coordinator import Coordinator
from assistant.dialogue import SHORTEST_AGENDA, Lexicon, load_lexicon
from assistant.errors import InvalidInput, NotFound
from assistant.insight import STALL_DAYS
from assistant.lexical import tokenize
from assistant.profiles import all_participants
from assistant.pulse import PulseTrend
from assistant.render import clipped, counted, spoken_day, spoken_list
from assistant.rotation import MAX_MONTHS_TOGETHER
from assistant.tasks import brief, coach, message, notes
from assistant.tasks.agenda import MIN_PART, Side, check_in_call, part_outline, plans, scale
from assistant.tasks.context import PairContext
from assistant.tasks.schemas import Agenda, AgendaItem, Citation, Draft, NotesFound, Overview, Result

if TYPE_CHECKING:
    from assistant.guide import Guide
    from assistant.insight import PairHealth, ProgramHealth
    from assistant.pairing import Person, Suggestion
    from assistant.pulse import PulseMonth
    from assistant.rotation import RotationPlan

COORDINATION = STAFF_ROLES
_ENV = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@dataclass(frozen=True)
class Caller:
    """The signed-in person a tool runs for, with the pair the request is about."""

    user_id: str
    role: str
    name: str
    pair_id: str | None
    pair_ids: tuple[str, ...]
    people: frozenset[str] = frozenset()  # first names of everyone in the caller's pairs, lower case
    partner: str | None = None  # the other member's first name, for the pair in question
    coordinators: frozenset[str] = frozenset()  # the program's coordinators' first names, lower case

    @property
    def known(self) -> frozenset[str]:
        """Every first name the caller may mention: their pairs' people and the coordinators."""
        return self.people | self.coordinators


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TopicsArgs(_Args):
    """Arguments of ``topics``."""

    focus: str | None = Field(None, description="A subject to focus on, e.g. 'AI' or 'customers'.")
    count: int = Field(5, ge=1, le=10)
    exclude: list[str] = Field(default_factory=list, description="Titles already suggested.")
    teaches: Literal["mentor", "executive"] | None = Field(
        None, description="Only topics this side teaches ('what should I teach him?': the asker's side)."
    )


class PartLength(_Args):
    """One part of an agenda and the minutes it gets."""

    part: str = Field(min_length=1, max_length=200, description="The part, by words of its title.")
    minutes: int = Field(ge=2, le=115)


class PartMove(_Args):
    """One part of an agenda put somewhere else: first, last, or before or after another part."""

    part: str = Field(min_length=1, max_length=200, description="The part, by words of its title.")
    to: Literal["start", "end"] | None = None
    before: str | None = Field(None, max_length=200, description="The part it goes before.")
    after: str | None = Field(None, max_length=200, description="The part it goes after.")


class PartAdded(_Args):
    """A part the user adds in their own words ("how the quiet hours went"), put where they say."""

    title: str = Field(
        min_length=2, max_length=120, description="What the part is about, in the user's words."
    )
    minutes: int | None = Field(None, ge=2, le=60, description="Its length; unsaid, 10 minutes (5 below 45).")
    lead: Literal["mentor", "executive", "both"] = "both"
    to: Literal["start", "end"] | None = None
    before: str | None = Field(None, max_length=200, description="The part it goes before.")
    after: str | None = Field(None, max_length=200, description="The part it goes after.")


OUTLINE_LONGEST = 60  # minutes of one side's part, at most


class AgendaArgs(_Args):
    """Arguments of ``agenda``."""

    minutes: int = Field(45, ge=10, le=120, description="The session's length (30 to 120), or the outline's.")
    focus: str | None = None
    outline: bool = Field(
        False,
        description="Only one side's own part (``part``, else the caller's), e.g. 'my 15 minutes on "
        "supplier negotiations': 10 to 60 minutes.",
    )
    drop: list[str] = Field(default_factory=list, description="Parts to leave out.")
    swap: bool = Field(False, description="Swap the order of the mentor's and the executive's parts.")
    parts: int | None = Field(None, ge=2, le=8, description="At most this many parts.")
    part: Literal["mentor", "executive"] | None = Field(None, description="Whose part the focus is for.")
    review: bool = Field(
        False,
        description="A session looking back over the sessions so far and ahead ('a look back before xmas').",
    )
    exclude: list[str] = Field(default_factory=list, description="Earlier items whose topics to leave out.")
    timed: list[PartLength] = Field(
        default_factory=list, max_length=10, description="Parts given a length; the others share the rest."
    )
    private: bool = Field(
        False, description="The caller's own copy, with the items of their private notes (not to be shared)."
    )
    moves: list[PartMove] = Field(default_factory=list, max_length=10, description="Parts put elsewhere.")
    added: list[PartAdded] = Field(
        default_factory=list, max_length=5, description="Parts added, in the user's words."
    )
    names: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list,
        max_length=2,
        description="For a coordinator: the pair whose check-in call this is, by first names.",
    )


class BriefArgs(_Args):
    """Arguments of ``brief``."""

    private: bool = Field(
        False, description="The caller's own copy, with the items of their private notes (not to be shared)."
    )
    focus: str | None = Field(
        None, max_length=200, description="A subject the brief is weighted to: its notes, actions and agenda."
    )


class RotationArgs(_Args):
    """Arguments of ``rotation``."""

    short: bool = Field(False, description="Only the proposed new pairs, one line each.")
    names: list[Name] = Field(
        default_factory=list, max_length=2, description="One pair's two members: that pair's rotation only."
    )
    renew: bool = Field(False, description="With names: the pair has asked to keep going together.")
    start: dt.date | None = Field(
        None, description="The next cycle's kickoff date: that cycle's calendar instead of the rotation."
    )
    skip: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=10, description="With start: steps of the calendar to leave out."
    )


class NoArgs(_Args):
    """A tool that needs nothing but the caller."""


# A person, by name or first name; two people.
Name = Annotated[str, Field(min_length=1, max_length=200)]
TwoNames = Annotated[list[Name], Field(min_length=2, max_length=2)]


class PairingArgs(_Args):
    """Arguments of ``pairing``."""

    apart: list[TwoNames] = Field(
        default_factory=list, max_length=20, description="People never to pair: [['Leo', 'Helen']]."
    )
    who: list[Name] = Field(
        default_factory=list,
        max_length=5,
        description="People asked about, whose matches come first: ['Leo'].",
    )
    together: TwoNames | None = Field(
        None, description="A mentor and an executive asked about as a pair, for how they would fit."
    )
    kept: list[TwoNames] = Field(
        default_factory=list,
        max_length=10,
        description="Pairs to keep together in the matching: [['Kai', 'Helen']].",
    )
    options: Name | None = Field(
        None, description="One person asked about on their own: whom they could be paired with, best first."
    )
    besides: list[Name] = Field(
        default_factory=list,
        max_length=10,
        description="People ``options`` leaves out ('other than Gareth').",
    )
    department: str | None = Field(
        None,
        min_length=2,
        max_length=60,
        description="For ``options``: only partners from this department ('someone from finance').",
    )
    short: bool = Field(False, description="Only the names, one pair a line.")
    count: int | None = Field(None, ge=1, le=20, description="Only the best-fitting this many pairs.")
    newcomers: bool = Field(
        False, description="Asked about people joining who have no profile yet ('3 new mentors in January')."
    )


class HealthArgs(_Args):
    """Arguments of ``program_health``."""

    anonymous: bool = Field(False, description="Leave out people's names, e.g. for a report.")
    paragraph: bool = Field(
        False, description="The pairs needing attention in one paragraph of sentences, e.g. for a report."
    )
    compare_days: int | None = Field(
        None, ge=7, le=366, description="Also say what changed since this many days ago, e.g. 30."
    )
    about: Literal[
        "attention", "feedback", "ratings", "sessions", "stalling", "report", "time_zones", "upcoming"
    ] = Field(
        "attention",
        description="The pairs needing attention; how useful people rate their sessions, by month; the "
        "self-ratings against the objectives, start and now; the sessions held, by month; the pairs "
        "nearest to stalling (six weeks without a session); the latest cycle's summary for leadership "
        "(aggregates only, no pair named); the pairs whose members are in different time zones; or the "
        "pairs with a session planned in the days ahead.",
    )
    count: int | None = Field(
        None, ge=1, le=20, description="At most this many pairs, the most urgent first."
    )
    also: list[Literal["feedback", "ratings", "sessions", "stalling", "upcoming"]] = Field(
        default_factory=list, max_length=3, description="Other figures added after these: ['feedback']."
    )
    by_pair: bool = Field(False, description="For sessions: each pair's sessions in the month, as well.")
    by_month: bool = Field(False, description="For sessions since a month: month by month, not pair by pair.")
    by_role: bool = Field(False, description="For feedback: mentors' and executives' ratings side by side.")
    idle_days: int | None = Field(
        None, ge=1, le=366, description="For stalling: only the pairs without a session for longer than this."
    )
    unplanned: bool = Field(False, description="For stalling: only the pairs with no next session planned.")
    within_days: int | None = Field(
        None, ge=1, le=92, description="For upcoming: how many days ahead to look (14 when not said)."
    )
    shared: bool = Field(
        False, description="For one pair: what its notes share with the program, too (to prepare a check-in)."
    )
    month: int | None = Field(
        None, ge=1, le=12, description="For sessions: the month asked about (its latest)."
    )
    since: int | None = Field(
        None,
        ge=1,
        le=12,
        description="For sessions: each pair's sessions from the start of this month (its latest) to now, "
        "the most first.",
    )
    names: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list,
        max_length=2,
        description="One pair asked about, by its members' first names: ['Kai', 'Helen'].",
    )
    short: bool = Field(
        False, description="The short version: each pair and what is flagged, without reasons."
    )


# A point the sender asked a message to make ("mention they could do 30 min"), one sentence.
Point = Annotated[str, Field(min_length=1, max_length=500)]
SAYS = "Points the sender asked the message to make, one sentence each, in their words."
OMIT = "Sentences of the message to leave out, as the last draft wrote them."
GREETING = "The message's opening line in the sender's words, e.g. 'Hi Sam' or 'Dear all'."
CC = "Who is copied in, by name or as the sender put it ('Marisol', 'her assistant')."


MANY_PAIRS = 8  # pairs one request drafts a note to, each its own


class CheckInArgs(_Args):
    """Arguments of ``check_in``."""

    names: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list,
        max_length=2,
        description="One or both members of the pair, by name: ['Kai', 'Helen'].",
    )
    everyone: Literal["mentors", "executives", "participants", "newcomers"] | None = Field(
        None,
        description="Instead of one pair, every mentor, executive or participant in the program, or a "
        "welcome to the people joining it (newcomers).",
    )
    says: list[Point] = Field(default_factory=list, max_length=6, description=SAYS)
    short: bool = Field(False, description="A short note: the greeting, what is asked and the sign-off.")
    introduce: bool = Field(
        False, description="Introduce two people as a new pair, even if each has one now."
    )
    thank: bool = Field(False, description="Thank the pair (well done) rather than check in on them.")
    remind: bool = Field(False, description="Remind the pair of their next session, or to book one.")
    plain: bool = Field(
        False, description="Only the coordinator's own points between greeting and sign-off: no check-in."
    )
    omit: list[Point] = Field(default_factory=list, max_length=10, description=OMIT)
    greeting: str | None = Field(None, min_length=2, max_length=60, description=GREETING)
    cc: list[Annotated[str, Field(min_length=2, max_length=60)]] = Field(
        default_factory=list, max_length=4, description=CC
    )
    pairs: list[list[Annotated[str, Field(min_length=1, max_length=200)]]] = Field(
        default_factory=list,
        max_length=MANY_PAIRS,
        description="Instead of one pair, several, each by its members' names: [['Kai', 'Helen'], …].",
    )


class TextArgs(_Args):
    """A situation, a question or a query in the user's words."""

    text: str = Field(min_length=1, max_length=4000)
    count: int | None = Field(None, ge=1, le=10)
    focus: str | None = Field(None, max_length=200, description="The subject to look for, if any.")


class CoachArgs(TextArgs):
    """A challenge in the user's words, and perhaps a what-if about the advice given on it."""

    whatif: str | None = Field(
        None,
        max_length=4000,
        description='A moment the user asks about after the advice ("what if she gets annoyed?").',
    )
    earlier: str | None = Field(
        None,
        max_length=4000,
        description="The situation advice was just given on, when this asks more about it ('how do I ask to "
        "rebook?' after a cancellation): its challenge, unless this names another.",
    )


class SearchArgs(TextArgs):
    """A search of the session notes the caller may read."""

    names: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list,
        max_length=2,
        description="For a coordinator: the pair's people, by first name (they read what pairs share with "
        "the program).",
    )
    about: str | None = Field(
        None,
        max_length=200,
        description="What 'it' or 'that' in the question stands for: the subject asked about just before.",
    )
    back: int = Field(
        0,
        ge=0,
        le=50,
        description="For the last session: this many sessions before it ('the one before that').",
    )
    dates: bool = Field(
        False, description="Only the sessions' dates, not what the notes say ('just the date')."
    )


class AskArgs(TextArgs):
    """A program question, answered briefly or in more detail."""

    detail: bool = Field(False, description="Quote more of the passage the answer comes from.")
    brief: bool = Field(False, description="Only the sentence that answers best ('just yes or no').")


DraftKind = Literal[
    "office",
    "breach",
    "apology",
    "slot",
    "reschedule",
    "thank",
    "nudge",
    "confirm",
    "invite",
    "follow_up",
    "note",
    "agenda",
    "topics",
    "reply",
    "coordinator",
]
# To the partner, in the order their words are tried; a reply answers a rule question asked just before;
# "coordinator" is to the program's coordinator.
PARTNER_DRAFTS: tuple[str, ...] = tuple(k for k in get_args(DraftKind) if k not in ("reply", "coordinator"))


class DraftArgs(_Args):
    """Arguments of ``draft_message``."""

    kind: DraftKind = "invite"
    omit: list[Point] = Field(default_factory=list, max_length=10, description=OMIT)
    greeting: str | None = Field(None, min_length=2, max_length=60, description=GREETING)
    cc: list[Annotated[str, Field(min_length=2, max_length=60)]] = Field(
        default_factory=list, max_length=4, description=CC
    )
    short: bool = Field(False, description="Only the greeting, the main paragraph and the sign-off.")
    plain: bool = Field(False, description="Fewer, plainer words: a lighter apology, a casual thank-you.")
    warm: bool = Field(False, description="Said with more warmth: 'make it warmer', 'friendlier'.")
    says: list[Point] = Field(default_factory=list, max_length=6, description=SAYS)
    when: str | None = Field(
        None,
        min_length=2,
        max_length=60,
        description="The day or time a reschedule proposes instead ('Friday'), or an invitation proposes "
        "('Tuesday or Wednesday morning').",
    )
    minutes: int | None = Field(
        None, ge=10, le=180, description="The session length an invitation or an agenda proposes."
    )
    plan: list[Point] = Field(
        default_factory=list,
        max_length=10,
        description="For kind 'agenda': its parts in order, each 'Title: N min, led by …'; "
        "for kind 'topics': the topics to raise, each a title.",
    )
    question: str | None = Field(
        None,
        min_length=3,
        max_length=1000,
        description="For kind 'reply': the program question someone asked; the reply answers it from the "
        "guidelines. For kind 'coordinator': the question to put to the coordinator.",
    )
    own: bool = Field(
        False,
        description="For kind 'reply': the question was the sender's own, and the message passes on what the "
        "guidelines say rather than answering someone who asked.",
    )
    to: str | None = Field(
        None,
        min_length=2,
        max_length=60,
        description="For kind 'reply': who asked it, if known. For kind 'coordinator': their first name.",
    )


@dataclass(frozen=True)
class Tool:
    """One capability: its name, when to use it, its arguments and who may call it."""

    name: str
    description: str
    args: type[_Args]
    run: Callable[[Toolbox, Caller, Any], Result]
    needs_pair: bool = False
    roles: tuple[str, ...] = ()
    staff_too: bool = False  # coordinators may call it without a pair: for what pairs share with the program

    def lacks_pair(self, caller: Caller) -> bool:
        """Whether the call needs one of the caller's pairs and has none."""
        return (
            self.needs_pair
            and caller.pair_id is None
            and not (self.staff_too and caller.role in COORDINATION)
        )


class Toolbox:
    """The tool registry, bound to the guide (tasks) and the coordinator's desk."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.tools = {t.name: t for t in TOOLS}

    @cached_property
    def coordinator(self) -> Coordinator:
        """Program-wide figures, pairing and rotation."""
        return Coordinator(self.guide.assistant)

    @cached_property
    def lexicon(self) -> Lexicon:
        """The dialogue knowledge (phrase lists, drafts)."""
        return load_lexicon(self.guide.settings.knowledge_dir)

    def allowed(self, name: str, caller: Caller) -> bool:
        """Whether the caller's role may use a tool (anything that is not a tool is not limited)."""
        tool = self.tools.get(name)
        return tool is None or not tool.roles or caller.role in tool.roles

    def call(self, name: str, caller: Caller, args: dict[str, Any] | None = None) -> Result:
        """Run a tool for the caller; arguments are validated, access is checked here."""
        tool = self.tools.get(name)
        if tool is None:
            raise InvalidInput(f"There is no tool {name!r}; known: {', '.join(sorted(self.tools))}.")
        if not self.allowed(name, caller):
            raise NotFound(f"{name} is only for {spoken_list(list(tool.roles))}.")
        if tool.lacks_pair(caller):
            raise InvalidInput(f"{name} needs one of your pairs.")
        try:
            parsed = tool.args.model_validate(args or {})
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "arguments"
            raise InvalidInput(f"{name}: {where}: {first['msg']}.") from None
        result = tool.run(self, caller, parsed)
        if isinstance(result, Draft) and (omit := getattr(parsed, "omit", None)):
            result = result.model_copy(update={"body": without(result.body, omit)})
        if isinstance(result, Draft) and (greeting := getattr(parsed, "greeting", None)):
            rest = result.body.partition("\n\n")[2]  # after the greeting
            result = result.model_copy(update={"body": f"{greeting.rstrip(',.!:; ')},\n\n{rest}"})
        if isinstance(result, Draft) and (cc := getattr(parsed, "cc", None)):
            result = result.model_copy(update={"cc": [_copied(who, result.to) for who in cc]})
        return result


POSSESSIVE = re.compile(r"(?:her|his|their|my|our|the)\b", re.I)


def as_copied(who: str) -> str:
    """Someone copied in, as written: a name capitalised ("Marisol"), "her assistant" as said."""
    return who if POSSESSIVE.match(who) else who[:1].upper() + who[1:]


def _copied(who: str, to: str) -> str:
    """Someone copied in on a draft to ``to``: "her assistant" on a note to Helen is Helen's assistant."""
    if " and " in to or to.startswith(("all ", "the ")):
        return as_copied(who)
    whose = to.split()[0].removesuffix("'s")
    return as_copied(re.sub(r"^(?:her|his|their)\b", f"{whose}'s", who, flags=re.I))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(body: str) -> list[str]:
    """A draft's sentences between its greeting and its sign-off, in order ("lose the second sentence")."""
    return [s for p in body.split("\n\n")[1:-1] for s in _SENTENCE_END.split(p.strip()) if s]


def without(body: str, omit: list[str]) -> str:
    """A draft with the sentences ``omit`` names left out; a paragraph left empty goes with them."""
    paragraphs = body.split("\n\n")
    if len(paragraphs) < 3:  # no greeting, body and sign-off to tell apart
        return body
    gone = {" ".join(s.split()).lower() for s in omit}
    kept = [
        " ".join(s for s in _SENTENCE_END.split(p.strip()) if " ".join(s.split()).lower() not in gone)
        for p in paragraphs[1:-1]
    ]
    return "\n\n".join([paragraphs[0], *(p for p in kept if p), paragraphs[-1]])


class TimesArgs(_Args):
    """Arguments of ``meeting_times`` (the pair is the caller's)."""

    ahead: int | None = Field(
        None,
        ge=-14,
        le=14,
        description="Hours the partner's clock is ahead of the asker's now, when they said so "
        "('she's 6 hours behind me': -6); otherwise the profiles' time zones are used.",
    )


# The tools ----------------------------------------------------------------------------


def _topics(box: Toolbox, caller: Caller, args: TopicsArgs) -> Result:
    catalog = box.guide.knowledge.topics
    side = {  # "what should I teach him?": only the topics that side teaches (or both sides do)
        t.title
        for t in catalog
        if not args.teaches or t.direction == "both" or t.direction.startswith(f"{args.teaches}_to_")
    }
    other_side = tuple(t.title for t in catalog if t.title not in side)
    shown = set(args.exclude) & side
    exclude = (*args.exclude, *other_side) if side - shown else other_side  # all shown: the best again
    return box.guide.topics(caller.pair_id or "", caller.user_id, args.focus, args.count, exclude)


def _agenda(box: Toolbox, caller: Caller, args: AgendaArgs) -> Result:
    if args.outline:  # "give me a structure for my 15 minutes on supplier negotiations"
        return _outline(box, caller, args)
    if args.minutes < SHORTEST_AGENDA:
        raise InvalidInput(
            f"{SHORTEST_AGENDA} minutes is the shortest agenda; an outline of one part can be shorter."
        )
    if caller.pair_id is None:  # a coordinator's check-in call with a pair
        pair = _pair_of(box, args.names)
        if pair is None:
            raise InvalidInput(
                "Which pair is the check-in with? Name them, for example “a 30-minute check-in agenda "
                "for Sofia and Gareth”."
            )
        agenda = check_in_call(pair, args.minutes, plans(box.guide.settings.knowledge_dir)["check_in"])
    else:
        agenda = box.guide.agenda(
            caller.pair_id,
            caller.user_id,
            args.minutes,
            args.focus,
            private=args.private,
            exclude=tuple(args.exclude),
            part=args.part,
            review=args.review,
        )
    if args.swap:  # the executive's part first (or back again); items keep their lead and minutes
        agenda.items = _swapped(agenda.items)
    agenda = _trimmed(agenda, args)
    for timed in args.timed:  # "give the budget bit 20 mins": the others share what is left, as they were
        item = _part_of(agenda.items, timed.part)
        if item is None:
            raise InvalidInput(f"This agenda has no part called “{_part_name(timed.part)}”.")
        others = [i for i in agenda.items if i is not item]
        spare = agenda.minutes - timed.minutes
        if spare < MIN_PART * len(others):
            most = agenda.minutes - MIN_PART * len(others)
            raise InvalidInput(
                f"“{item.title}” can have at most {most} of the {agenda.minutes} minutes, "
                f"so that each other part keeps {MIN_PART}."
            )
        item.minutes = timed.minutes
        for other, length in zip(others, scale([i.minutes for i in others], spare), strict=True):
            other.minutes = length
    for added in args.added:  # "after his bit can we check how the quiet hours went"
        agenda.items = _added(agenda.items, added, agenda.minutes)
    for move in args.moves:  # "could the check-in go before his bit", "put the open floor last"
        agenda.items = _moved(agenda.items, move)
    return agenda


def _added(items: list[AgendaItem], added: PartAdded, minutes: int) -> list[AgendaItem]:
    """The items with a part of the user's own added where they said (unsaid: before the closing parts).

    Its minutes come from the others in proportion to their lengths, so the agenda keeps its length.
    """
    length = added.minutes or (10 if minutes >= 45 else 5)
    if minutes - length < MIN_PART * len(items):
        most = minutes - MIN_PART * len(items)
        raise InvalidInput(
            f"A new part can have at most {most} of the {minutes} minutes, "
            f"so that each other part keeps {MIN_PART}."
        )
    for item, share in zip(items, scale([i.minutes for i in items], minutes - length), strict=True):
        item.minutes = share
    title = added.title.strip().rstrip(".")
    part = AgendaItem(
        minutes=length, title=title[:1].upper() + title[1:], lead=added.lead, details="Added at your request."
    )
    other = (
        _part_of(items, added.before or added.after or "", most=True) if added.before or added.after else None
    )
    if other is not None:
        at = items.index(other) + (added.after is not None)
    elif added.to == "start":
        at = 0
    else:  # before the closing shared parts (reflection, actions); "at the end": before the last of them
        at = len(items) - (items[-1].lead == "both")
        while added.to != "end" and at > 1 and items[at - 1].lead == "both":
            at -= 1
    return [*items[:at], part, *items[at:]]


def _moved(items: list[AgendaItem], move: PartMove) -> list[AgendaItem]:
    """The items with one put first, last, or before or after another; the minutes stay with each.

    A part is found by most of its title's words, so a move outlives a retitled part ("Executive-led
    exchange" at 45 minutes is "Executive-led strategy conversation" at 60); a move whose parts this
    agenda no longer has leaves the order as it is.
    """
    item = _part_of(items, move.part, most=True)
    rest = [i for i in items if i is not item]
    if item is None:
        return items
    if move.to is not None:
        return [item, *rest] if move.to == "start" else [*rest, item]
    other = _part_of(rest, move.before or move.after or "", most=True)
    if other is None:
        return items
    at = rest.index(other) + (move.after is not None)
    return [*rest[:at], item, *rest[at:]]


PART_WORDS = {"the", "a", "part", "bit", "item", "section", "one", "slot"}


def _part_name(part: str) -> str:
    """A part as the user named it, without "the … bit": "role play"."""
    return " ".join(w for w in part.split() if w.lower() not in PART_WORDS) or part


def _part_of(items: list[AgendaItem], part: str, most: bool = False) -> AgendaItem | None:
    """The agenda item a part's name points at.

    Every word of the name in the item's title or lead, or else the one item sharing the most of
    them (with ``most``, more than half of them).
    """

    def stems(text: str) -> set[str]:
        return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in re.findall(r"\w+", text.lower())}

    words = stems(part) - PART_WORDS
    shared = [len(words & stems(f"{i.title} {i.lead}")) for i in items]
    best = max(shared, default=0)
    if not words or not best or shared.count(best) > 1 or (most and 2 * best <= len(words)):
        return None
    return items[shared.index(best)]


def _fewest(items: list[AgendaItem], parts: int) -> list[AgendaItem]:
    """At most ``parts`` of the items.

    Left out in this order: shared parts but the closing one (shortest first), then a part that follows on
    from one with the same lead (practice after a topic), then the closing part, then the last but one.
    """
    kept = list(items)
    while len(kept) > parts:
        shared = [i for i in kept[:-1] if i.lead == "both"]
        follow_on = [b for a, b in pairwise(kept) if b.lead != "both" and a.lead == b.lead]
        closing = [i for i in kept if i.lead == "both"]
        kept.remove(
            min(shared, key=lambda i: i.minutes) if shared else (follow_on or closing or kept[-2:])[0]
        )
    return kept


def _run_of(items: list[AgendaItem], lead: str) -> tuple[int, int] | None:
    """Where the first run of consecutive items led by ``lead`` starts and ends."""
    start = next((n for n, i in enumerate(items) if i.lead == lead), None)
    if start is None:
        return None
    end = start
    while end < len(items) and items[end].lead == lead:
        end += 1
    return start, end


def _trimmed(agenda: Agenda, args: AgendaArgs) -> Agenda:
    """The agenda without the parts ``args.drop`` names and with at most ``args.parts`` parts."""
    for part in args.drop:
        item = _part_of(agenda.items, part)
        if item is None:
            raise InvalidInput(
                f"This agenda has no part called “{_part_name(part)}”, so nothing was left out."
            )
        if len(agenda.items) <= 2:
            raise InvalidInput("This agenda is down to two parts, so I kept them both.")
        if item.lead == "executive" and sum(i.lead == "executive" for i in agenda.items) == 1:
            raise InvalidInput(
                "That is the only part the executive leads, and the program keeps every session two-way, "
                "so I kept it. You could shorten it or give it another topic instead."
            )
        agenda.items.remove(item)
        longest = max(agenda.items, key=lambda i: i.minutes)
        longest.minutes += item.minutes
    parts = args.parts and max(2, args.parts - len(args.added))  # the parts added count too
    if parts and len(agenda.items) > parts:  # "3 parts max"
        if args.outline:  # one side's own steps: the shortest go first
            kept = {id(i) for i in sorted(agenda.items, key=lambda i: -i.minutes)[:parts]}
            agenda.items = [i for i in agenda.items if id(i) in kept]
        else:
            agenda.items = _fewest(agenda.items, parts)
        for item, length in zip(
            agenda.items, scale([i.minutes for i in agenda.items], agenda.minutes), strict=True
        ):
            item.minutes = length
    return agenda


def _outline(box: Toolbox, caller: Caller, args: AgendaArgs) -> Result:
    """An outline of one side's own part of the next session, in the minutes it has."""
    if caller.pair_id is None or caller.role not in ("mentor", "executive"):
        raise InvalidInput("An outline of a part is for the members of a pair.")
    if args.minutes > OUTLINE_LONGEST:
        raise InvalidInput(f"An outline of one part runs to {OUTLINE_LONGEST} minutes at most.")
    side: Side = "executive" if (args.part or caller.role) == "executive" else "mentor"
    partner = (caller.partner or "your partner") if side == caller.role else caller.name.split()[0]
    plan = plans(box.guide.settings.knowledge_dir)["outline"]
    if args.exclude:  # "Point two: I can't discuss live contract terms with her."
        raise InvalidInput(
            "Offline I can't write another part in its place: an outline's parts are set. You could use "
            "a case that is closed or public there, or ask me to drop that part and its time goes to the "
            "others."
        )
    return _trimmed(part_outline(side, args.minutes, args.focus, partner.title(), plan), args)


def _swapped(items: list[AgendaItem]) -> list[AgendaItem]:
    """The mentor's and the executive's parts in the other order, when they sit side by side."""
    mentor, executive = _run_of(items, "mentor"), _run_of(items, "executive")
    if mentor is None or executive is None:
        return items
    (a, b), (c, d) = sorted([mentor, executive])
    if b != c:
        return items
    return [*items[:a], *items[c:d], *items[a:b], *items[d:]]


def _brief(box: Toolbox, caller: Caller, args: BriefArgs) -> Result:
    return box.guide.brief(caller.pair_id or "", caller.user_id, private=args.private, focus=args.focus)


def _coach(box: Toolbox, caller: Caller, args: CoachArgs) -> Result:
    result = box.guide.coach(
        args.text, caller.pair_id, caller.user_id, whatif=args.whatif, earlier=args.earlier
    )
    shown = coach.STEPS_SHOWN
    more = len(result.steps) - shown
    if args.count or args.whatif:
        result.steps = result.steps[: args.count or shown]
    elif more > 0:
        result.steps = result.steps[:shown]
        rest = "it" if more == 1 else f"the other {more}"
        result.summary += f" Here are the {shown} steps most likely to help; ask for more if you want {rest}."
    return result


def _by_role(text: str, caller: Caller) -> str:
    """A rule question with people named by their part in the program, as the guidelines name them.

    "would marisol see that we've cancelled?" asks what the coordinator sees; "can rafael read my
    private notes?" what an executive may read.
    """
    partner = {"mentor": "my executive", "executive": "my mentor"}.get(caller.role)
    for name in caller.coordinators:
        text = re.sub(rf"\b{re.escape(name)}\b", "the coordinator", text, flags=re.I)
    if partner and caller.partner:
        text = re.sub(rf"\b{re.escape(caller.partner)}\b", partner, text, flags=re.I)
    return text


def _ask(box: Toolbox, caller: Caller, args: AskArgs) -> Result:
    ours = caller.pair_id if notes.PAIR_STATUS.search(args.text) else None  # "so are we stalled already??"
    text = _by_role(args.text, caller)
    text = f"{text} {box.lexicon.replies['cadence_rule']}" if ours else text  # the rule it rests on
    answer = box.guide.ask(text, caller.user_id, detail=args.detail, brief=args.brief)
    if ours and not answer.abstained:  # and where the two of them stand by it
        context = box.guide.pair_context(ours, caller.user_id)
        status = brief.since_last_time(box.guide, context, clock.today())[0]
        answer = answer.model_copy(update={"answer": f"{status}\n\n{answer.answer}"})
    return answer


# "when's our next session?", "when did we last meet?": the pair's calendar answers, not its notes
WHEN_WE_MEET = re.compile(
    r"^(?!.*\b(?:about|abt|on|re|regarding)\b).*"  # not "when did we last talk about linkedin"
    r"(?:\bwhen(?:'?s)?\b.*\b(?:next|last)\s+(?:session|meeting|catch[ -]?up|one)\b"
    r"|\bwhen (?:do|will|are) we (?:next )?meet|\bwhen did we (?:last )?meet\b)",
    re.I,
)
# "… and what was left open?": the open actions too
OPEN_ASKED = re.compile(
    r"\b(?:left open|still open|open actions?|outstanding|what(?:'s| is| was| are)? (?:still )?open)\b", re.I
)


def _search_notes(box: Toolbox, caller: Caller, args: SearchArgs) -> Result:
    if caller.role == "admin":  # "show me priya's notes": no note is an admin's to read, whoever shares it
        raise InvalidInput(
            "An admin reads no session notes: they are the pair's, and a coordinator sees only the ones a "
            "pair shares with the program. I can give you program-wide figures instead."
        )
    context = notes_context(box, caller, args.names)
    if WHEN_WE_MEET.search(args.text) or notes.PAIR_STATUS.search(args.text):  # the last session, the next
        if args.back:  # "and the one before that?"
            before = brief.session_before(box.guide, context, clock.today(), args.back)
            return NotesFound(query=args.text, summary=before)
        dates = brief.since_last_time(box.guide, context, clock.today())[:2]
        if OPEN_ASKED.search(args.text) and context.open:  # "… and what was left open?"
            said = [f"{a.owner}: {a.action} (since {spoken_day(a.since)})" for a in context.open]
            dates.append(f"Still open: {'; '.join(said)}.")
        return NotesFound(query=args.text, summary=" ".join(dates))
    ignore = set(box.lexicon.question_words)
    found = notes.compose(
        box.guide, context, args.text, ignore, args.count or 3, args.focus, args.about, args.back
    )
    box.guide.assistant.audit(caller.user_id, "search_notes", found.note_ids())
    if args.dates and found.excerpts:  # "just the date pls": when, and whose note says so
        days = [f"{spoken_day(e.date)} ({e.author}'s note)" for e in found.excerpts]
        found.summary = f"{spoken_list(days)}."
        found.excerpts = []
    return found


_THIRD_PERSON = {
    "he is": "I am",
    "she is": "I am",
    "he's": "I'm",
    "she's": "I'm",
    "his": "my",
    "himself": "myself",
}


def notes_context(box: Toolbox, caller: Caller, names: list[str]) -> PairContext:
    """The notes a notes answer reads: the caller's pair's, or what a named pair shares with a coordinator."""
    if caller.pair_id is None:
        return box.guide.pair_context(_shared_by(box, names).pair_id, caller.user_id, staff=True)
    return box.guide.pair_context(caller.pair_id, caller.user_id)


WHOSE_NOTES = "Whose notes should I look in?"  # asked back: the reply names the pair


def _shared_by(box: Toolbox, names: list[str]) -> PairHealth:
    """The pair whose shared notes a coordinator asks about, or a sentence saying which pairs have some."""
    if pair := _pair_of(box, names):
        return pair
    with box.guide.assistant.connection(write=False) as connection:
        counts = program.shared_counts(connection)
    sharing = [
        f"{p.mentor.name.split()[0]} and {p.executive.name.split()[0]} ({counted(counts[p.pair_id], 'note')})"
        for p in box.coordinator.health().pairs
        if counts.get(p.pair_id)
    ]
    said = f"No pair in the program has {' and '.join(n.title() for n in names)} in it. " if names else ""
    if not sharing:
        raise InvalidInput(f"{said}No pair has shared a session note with the program yet.")
    raise InvalidInput(
        f"{said}{WHOSE_NOTES} Pairs that share notes with the program: {spoken_list(sharing, 6)}."
    )


def _pair_of(box: Toolbox, names: list[str]) -> PairHealth | None:
    """The pair the names are in (both members, or one who is in a single pair); None when none is."""
    wanted = {name.split()[0].lower() for name in names}
    if not wanted:
        return None
    pairs = [
        p
        for p in box.coordinator.health().pairs
        if wanted <= {p.mentor.name.split()[0].lower(), p.executive.name.split()[0].lower()}
    ]
    if len(pairs) > 1:
        said = " and ".join(name.title() for name in names)
        options = spoken_list([f"{p.mentor.name} and {p.executive.name}" for p in pairs], 5)
        raise InvalidInput(f"{said} is in more than one pair ({options}); name both people.")
    return pairs[0] if pairs else None


# "her" is "my" only where it must be a possessive: after a preposition, before a noun ("a slot in her
# calendar"); "email her the deck" leaves it alone.
_HER = re.compile(
    r"\b(in|on|into|from|with|of|at|for|to|through) her\b(?!\s+(?:the|a|an|about|and|or|if)\b|\W*$)"
)


def _first_person(action: str) -> str:
    """An action item written about its owner ("bring a decision he is working on"), said by them."""
    words = "|".join(re.escape(w) for w in [*_THIRD_PERSON, "herself"])
    said = re.sub(
        rf"\b(?:{words})\b", lambda m: _THIRD_PERSON.get(m.group(0).lower(), "myself"), action, flags=re.I
    )
    return _HER.sub(r"\1 my", said)


def _draft(box: Toolbox, caller: Caller, args: DraftArgs) -> Result:
    if args.kind == "reply":
        return _reply(box, caller, args)
    if args.kind == "coordinator":
        return _to_coordinator(box, caller, args)
    if caller.pair_id is None:
        raise InvalidInput("A note to a pair is a check-in: name the pair and I'll draft it.")
    context = box.guide.pair_context(caller.pair_id or "", caller.user_id, private=False)  # it is sent
    mine = "mentor" if caller.user_id == context.pair["mentor_id"] else "executive"
    partner = context.first_name("executive" if mine == "mentor" else "mentor")
    me = context.first_name(mine)
    spec = box.lexicon.drafts[args.kind]
    own = [  # "send Rafael a proposal", to Rafael: "send you a proposal"
        message.to_partner(_first_person(a.action), partner)
        for a in context.open
        if a.owner.lower() == me.lower()
    ]
    theirs = [  # "send Rafael a proposal", written by Rafael: "send me a proposal"
        re.sub(
            rf"\b{re.escape(me)}('s)?\b",
            lambda m: "my" if m.group(1) else "me",
            message.to_partner(a.action, partner),
            flags=re.I,
        )
        for a in context.open
        if a.owner.lower() == partner.lower()
    ]
    said = set(tokenize(" ".join(args.says)))
    theirs = [t for t in theirs if len(said & set(tokenize(t))) >= 2] or theirs  # "reminding her about X": X
    own, theirs = ([t[:1].lower() + t[1:] for t in told] for told in (own, theirs))  # said mid-sentence
    last = spoken_day(context.notes[-1]["date"]) if context.notes else None
    with box.guide.assistant.session(write=False) as session:
        start = sessions.next_planned(session, context.pair["id"], clock.today())
    wording = spec.get("warm") if args.warm else spec.get("plain") if args.plain or args.short else None
    body = _ENV.from_string(wording or spec["body"]).render(
        partner=partner,
        me=me,
        last=last,
        days=context.notes
        and (clock.today() - dt.date.fromisoformat(str(context.notes[-1]["date"])[:10])).days,
        open="; ".join(own[:2]),
        actions=[f"I'll {item}" for item in own[:3]] + [f"You'll {item}" for item in theirs[:3]],
        theirs=" and ".join(theirs[-2:]),
        executive=mine == "executive",
        when=args.when,
        minutes=args.minutes,
        next=start and f"{start:%A %-d %B} at {start:%H:%M}",
        plan="\n".join(f"- {part}" for part in args.plan),
    )
    paragraphs = [p for p in body.strip().split("\n\n") if p.strip()]
    if args.short and len(paragraphs) > 3:  # a plan or a list of topics stays
        listed = [p for p in paragraphs[2:-1] if args.plan and p.startswith("- ")]
        paragraphs = [paragraphs[0], paragraphs[1], *listed, paragraphs[-1]]
    office = args.kind == "office"  # to the executive's assistant: the partner is not "you"
    if args.says:  # the sender's own points, after the main paragraph
        points = [point if office else message.to_partner(point, partner) for point in args.says]
        paragraphs.insert(min(2, len(paragraphs) - 1), " ".join(points))
    to = ("your assistant" if mine == "executive" else f"{partner}'s office") if office else partner
    subject = _ENV.from_string(spec["subject"]).render(partner=partner, executive=mine == "executive")
    return Draft(kind=args.kind, to=to, subject=subject, body="\n\n".join(paragraphs))


# An offline answer's parts (prompts/ask_answer.j2): what it says, where from, and "For more, see …".
_FROM = re.compile(r"^(?P<answer>.*?)\s*\(From (?P<where>.+?)\.\)(?:\s+For more, see .*)?$", re.S)
_CLOSEST = re.compile(
    r"^The guidelines don't say this directly\. The closest they come is (?P<where>.+?): "
    r"(?P<answer>.*?)(?:\s+For more, see .*)?$",
    re.S,
)


def _reply(box: Toolbox, caller: Caller, args: DraftArgs) -> Result:
    """A reply to someone who asked a program question: the guidelines' answer, and where it is written.

    "draft my reply to him" after a rule question; an answer the guidelines don't give says so.
    """
    if not args.question:
        raise InvalidInput(
            "Which question should the reply answer? Ask it here first, then ask for the reply."
        )
    answer = box.guide.ask(args.question, caller.user_id, brief=args.short)
    closest = answer.outcome == "closest" and _CLOSEST.match(answer.answer)
    said = closest or _FROM.match(answer.answer)
    spec = box.lexicon.drafts["reply"]
    wording = spec.get("warm") if args.warm else spec.get("plain") if args.plain else None
    body = _ENV.from_string(wording or spec["body"]).render(
        to=args.to,
        me=caller.name.split()[0],
        answer=said.group("answer") if said else answer.answer,
        where=said and said.group("where"),
        closest=bool(closest),
        short=args.short,
        own=args.own,
    )
    paragraphs = [p for p in body.strip().split("\n\n") if p.strip()]
    if args.says:
        paragraphs.insert(len(paragraphs) - 1, " ".join(args.says))
    return Draft(
        kind="reply",
        to=args.to or "the person who asked",
        subject=spec["subject_own"] if args.own else spec["subject"],
        body="\n\n".join(paragraphs),
        citations=answer.citations,
    )


def _to_coordinator(box: Toolbox, caller: Caller, args: DraftArgs) -> Result:
    """A member's message to the coordinator: a program question, or what the message is for.

    With a question, whether the guidelines answer it is said too.

    "can u draft a msg to marisol asking abt it" after "does our cycle get extended if he can't meet?";
    "write to marisol to book the three-way check-in".
    """
    question = args.question and args.question.strip().rstrip(".?!")
    if question:  # as they asked it, with names capitalised: "If Rafael can't meet … extended?"
        question = re.sub(r"^(?:so|and|ok|okay|but)\b\W*", "", question, flags=re.I)  # "so who decides"
        for name in caller.coordinators:  # "…, marisol?" said to her: not in a message to her
            question = re.sub(rf",\s*{re.escape(name)}$", "", question, flags=re.I)
        for name in caller.people | caller.coordinators:
            question = re.sub(rf"\b{re.escape(name)}\b", name.title(), question, flags=re.I)
        question = question[:1].upper() + question[1:] + "?"
    unanswered = bool(question) and (
        box.guide.ask(_by_role(args.question or "", caller), caller.user_id).outcome != "direct"
    )
    spec = box.lexicon.drafts["coordinator"]
    body = _ENV.from_string(spec["body"]).render(
        to=args.to or "there",
        me=caller.name.split()[0],
        partner=caller.partner and caller.partner.title(),
        question=question,
        unanswered=unanswered,
        says=" ".join(args.says),
    )
    paragraphs = [p for p in body.strip().split("\n\n") if p.strip()]
    if question and args.says:  # what they want to know, in place of "Could you let me know…"
        paragraphs[-2] = " ".join(args.says)
    return Draft(
        kind="coordinator",
        to=args.to or "the coordinator",
        subject=spec["question_subject" if question else "subject"],
        body="\n\n".join(paragraphs),
    )


def _check_in(box: Toolbox, caller: Caller, args: CheckInArgs) -> Result:
    """A coordinator's note to a pair, from its cadence (dates and plans only: never its notes)."""
    if args.everyone:  # "write to all the mentors reminding them to log a note"
        return _to_everyone(box, caller, args)
    if args.pairs:  # "write something I can send to those pairs": one note each
        first, *more = [
            _check_in(box, caller, args.model_copy(update={"names": p, "pairs": []})) for p in args.pairs
        ]
        assert isinstance(first, Draft)
        return first.model_copy(update={"more": more})
    if not args.names:
        raise InvalidInput(box.lexicon.replies["check_in_whom"])
    wanted = {name.split()[0].lower() for name in args.names}
    pair = _pair_of(box, args.names)
    paired = {n for p in box.coordinator.health().pairs for n in (p.mentor.name, p.executive.name)}
    paired = {n.split()[0].lower() for n in paired}
    if pair is None and len(args.names) == 2 and (args.introduce or not wanted & paired):
        return _introduction(box, caller, args)  # two people not yet a pair: introduced to each other
    if pair is None:
        said = " and ".join(name.title() for name in args.names)
        raise InvalidInput(
            f"No pair in the program has {said} in it; to introduce them as a new pair, ask for an "
            "introduction."
        )
    mentor, executive = pair.mentor.name.split()[0], pair.executive.name.split()[0]
    cadence = pair.cadence
    kind = "pair_thanks" if args.thank else "pair_reminder" if args.remind else "check_in"
    spec = box.lexicon.drafts[kind]
    shape = "plain" if args.plain and args.says and kind == "check_in" else "short" if args.short else "body"
    dates = {
        "last": cadence.last_session and f"{cadence.last_session:%A %-d %B}",
        "next": cadence.next_session and f"{cadence.next_session:%A %-d %B}",
    }
    body = _ENV.from_string(spec[shape]).render(
        mentor=mentor,
        executive=executive,
        me=caller.name.split()[0],
        days=cadence.days_since_last_session,
        **dates,
    )
    alone = [n for n in (mentor, executive) if n.lower() in wanted] if kind != "pair_thanks" else []
    to = (
        [alone[0]] if len(alone) == 1 and len(wanted) == 1 else [mentor, executive]
    )  # "write helen a note: …", "address it to helen only"; a thank-you goes to both
    return Draft(
        kind=kind,
        to=" and ".join(to),
        subject=_ENV.from_string(spec[f"{shape}_subject" if shape == "plain" else "subject"]).render(**dates),
        body=_to_pair(body.replace(f"{mentor} and {executive}", " and ".join(to), 1), args, *to),
    )


def _introduction(box: Toolbox, caller: Caller, args: CheckInArgs) -> Result:
    """A coordinator's note introducing a mentor and an executive matched as a new pair."""
    match = box.coordinator.fit(*args.names)
    mentor, executive = match.mentor.name.split()[0], match.executive.name.split()[0]
    why = re.sub(r"\bThey\b", "You", match.explanation)  # "They share 1 hour…": said to both
    spec = box.lexicon.drafts["introduction"]
    body = _ENV.from_string(spec["short" if args.short else "body"]).render(
        mentor=mentor, executive=executive, why=why, me=caller.name.split()[0]
    )
    return Draft(
        kind="introduction",
        to=f"{mentor} and {executive}",
        subject=spec["subject"],
        body=_to_pair(body, args, mentor, executive),
    )


def _to_everyone(box: Toolbox, caller: Caller, args: CheckInArgs) -> Result:
    """A note to every mentor, executive or participant, or a welcome to the people joining.

    Their own points, or else the program's rhythm (to everyone) or how the program works (the welcome).
    """
    kind = "welcome" if args.everyone == "newcomers" else "everyone"
    spec = box.lexicon.drafts[kind]
    said = " ".join(  # "notes can be private if they want": said to them
        re.sub(r"\b(?:they|them)\b", "you", re.sub(r"\btheir\b", "your", p[:1].upper() + p[1:]))
        for p in args.says
    )
    body = _ENV.from_string(spec["short" if args.short else "body"]).render(
        who=args.everyone, says=said, me=caller.name.split()[0]
    )
    to = "the people joining"
    if kind == "everyone":
        pairs = box.coordinator.health().pairs
        people = {
            "mentors": [p.mentor.name for p in pairs],
            "executives": [p.executive.name for p in pairs],
            "participants": [n for p in pairs for n in (p.mentor.name, p.executive.name)],
        }[args.everyone or "participants"]
        to = f"all {args.everyone} ({len(people)})"
    return Draft(kind=kind, to=to, subject=spec["subject"], body=body.strip())


def _to_pair(body: str, args: CheckInArgs, *names: str) -> str:
    """A coordinator's note to ``names`` with their own points, if they asked for any, before the sign-off."""
    paragraphs = body.strip().split("\n\n")
    if args.says:  # to both, "they" and each name are "you"; to one, their name and pronouns
        both = names if len(names) > 1 else ()
        said = " ".join(message.to_partner(point, names[0], *both) for point in args.says)
        paragraphs.insert(len(paragraphs) - 1, said)
    return "\n\n".join(paragraphs)


def _health(box: Toolbox, caller: Caller, args: HealthArgs) -> Result:
    if args.also:  # "add the pulse scores": these figures, then the others, each in a line of its own
        shown = _health(box, caller, args.model_copy(update={"also": []}))
        assert isinstance(shown, Overview)
        for about in dict.fromkeys(a for a in args.also if a != args.about):
            more = FIGURES[about](
                box, HealthArgs.model_validate({"about": about, "anonymous": args.anonymous})
            )
            listed = f"{more.summary.rstrip(':')}: {'; '.join(more.items)}" if more.items else more.summary
            shown.items.append(f"**{more.title}**: {listed}")
        return shown
    if args.about != "attention":
        return FIGURES[args.about](box, args)
    if (pair := _pair_of(box, args.names)) and args.shared:  # "prep me for the check-in w sofia and gareth"
        return _check_in_prep(box, caller, pair)
    if pair:  # "how are kai and helen doing?"
        return _one_pair(pair, args.short)
    health = box.coordinator.health()
    status = health.summary.status
    flagged = [p for p in health.pairs if p.flags]
    flagged.sort(key=lambda p: (p.cadence.status != "stalled", -len(p.flags)))
    needing, flagged = len(flagged), flagged[: args.count]  # "just the top one": the most urgent
    items, said = [], []  # said: the same in running text, "Pair 1 (stalled): No session for 94 days…"
    for n, p in enumerate(flagged, 1):
        flags = spoken_list([f.flag.replace("_", " ") for f in p.flags])
        reasons = " ".join(f.reason for f in p.flags)
        if args.anonymous:  # "for my report, no names": people become their role
            for person, role in ((p.mentor.name, "the mentor"), (p.executive.name, "the executive")):
                for name in (person, person.split()[0]):
                    reasons = re.sub(rf"\b{re.escape(name)}\b", role, reasons)
            who = f"Pair {n}"
            items.append(f"**{who}**, {flags}: {reasons}")
        else:
            who = f"{p.mentor.name} and {p.executive.name}"
            items.append(f"**{who}** ({p.pair_id}), {flags}: {reasons}")
        said.append(f"{who} ({flags})" + ("" if args.short else f": {reasons}"))
    parts = [f"{counted(n, 'pair')} {s.replace('_', ' ')}" for s, n in status.items() if n]
    summary = (
        f"{counted(health.summary.pairs, 'pair')} in the program as of {spoken_day(health.today)}: "
        f"{spoken_list(parts, 5)}."
        + _latest_pulse(health)
        + (_since(box, health, args.compare_days, args.anonymous) if args.compare_days else "")
        + (
            f" {counted(needing, 'pair')} {'needs' if needing == 1 else 'need'} your attention"
            + (
                f"; the {'most urgent' if len(flagged) == 1 else f'{len(flagged)} most urgent'}:"
                if len(flagged) < needing
                else ":"
            )
            if flagged
            else " No pair needs attention right now."
        )
    )
    details = {
        (f"Pair {n}" if args.anonymous else p.pair_id): {
            "cadence": p.cadence.model_dump(mode="json"),
            "open_actions": _open_actions(p),
            "why": item.split(": ", 1)[-1],  # said again when one pair of the short version is asked about
        }
        for n, (p, item) in enumerate(zip(flagged, items, strict=True), 1)
    }
    data = {**health.summary.model_dump(), "pairs": details, "named": not args.anonymous}
    if args.short:  # "in one line for the report": each pair and what is flagged, without the reasons
        items = [item.split(":")[0] for item in items]
    if args.paragraph:  # "as a paragraph for the board": the same in running sentences
        summary = (  # "one para for the report": who is flagged for what, in one sentence
            f"{summary} {spoken_list(said, len(said))}."
            if args.short and said
            else " ".join([summary.rstrip(":") + ".", *said])
        )
        items = []
    return Overview(title="Program health", summary=summary, items=items, data=data)


SHARED_NOTES = 3  # the latest notes a pair shared with the program, in a coordinator's check-in prep
UPCOMING_DAYS = 14  # how far ahead "which pairs have a session coming up" looks when not said


def _check_in_prep(box: Toolbox, caller: Caller, pair: PairHealth) -> Overview:
    """One pair's status and figures, then what its latest notes share with the program (never more)."""
    figures = _one_pair(pair)
    context = box.guide.pair_context(pair.pair_id, caller.user_id, staff=True)
    shared = context.notes[-SHARED_NOTES:]
    lines = [
        f"Shared with the program on {spoken_day(n['date'])} "
        f"({context.author(n)}'s note): " + clipped(" ".join(notes.note_lines(n["text"])), 1000)
        for n in reversed(shared)
    ]
    said = (
        " What their notes share with the program comes last."
        if lines
        else " Neither has shared a note with the program, so the figures are all there is."
    )
    return figures.model_copy(
        update={
            "title": "Check-in prep",
            "summary": figures.summary + said,
            "items": [*figures.items, *lines],
        }
    )


def _open_actions(pair: PairHealth) -> dict[str, int]:
    """How many actions each side of a pair has open, for the sides with any."""
    return {side: counts.open for side, counts in pair.actions.items() if counts.open}


def _one_pair(p: PairHealth, short: bool = False) -> Overview:
    """One pair's status, what is flagged and its figures (never note text)."""
    status = p.cadence.status.replace("_", " ")
    flagged = (
        f"and flagged for {spoken_list([f.flag.replace('_', ' ') for f in p.flags])}: "
        + " ".join(f.reason for f in p.flags)
        if p.flags
        else "with nothing flagged."
    )
    cadence = p.cadence
    items = [
        f"Sessions held: {cadence.sessions}"
        + (f", the last on {spoken_day(cadence.last_session)}" if cadence.last_session else ""),
        f"Recent pace: {cadence.per_month_recent} a month (the target is {cadence.target_per_month}, "
        f"the minimum {cadence.minimum_per_month})",
        f"Cancelled: {cadence.cancelled}; moved: {cadence.moved}",
    ]
    if cadence.next_session:
        items.append(f"Next session planned: {spoken_day(cadence.next_session)}")
    if opened := _open_actions(p):
        items.append("Open actions: " + ", ".join(f"{n} on the {side}'s side" for side, n in opened.items()))
    met = f", last met on {spoken_day(cadence.last_session)}," if cadence.last_session else ""
    summary = f"**{p.mentor.name} and {p.executive.name}** ({p.pair_id}){met} are {status} {flagged}"
    data = {"pairs": {p.pair_id: {"cadence": cadence.model_dump(mode="json"), "open_actions": opened}}}
    return Overview(title="Program health", summary=summary, items=[] if short else items, data=data)


def _reported(health: ProgramHealth) -> list[PulseMonth]:
    """The pulse's months with answers from enough people to report a mean."""
    months = health.pulse.months if health.pulse else []
    return [m for m in months if m.reported and m.mean_usefulness is not None]


def _latest_pulse(health: ProgramHealth) -> str:
    """How useful sessions were rated in the latest month with enough answers to report, as a sentence."""
    if not (months := _reported(health)):
        return ""
    latest = months[-1]
    return (
        f" Sessions in {_month_name(latest.month)} were rated {latest.mean_usefulness:.1f} out of 5 for "
        f"usefulness, from {latest.people} people."
    )


def _feedback(box: Toolbox, args: HealthArgs) -> Overview:
    """The pulse: how useful people rated their sessions, by month, over enough people to report."""
    health = box.coordinator.health()
    trend, least = health.pulse, health.min_group_size
    months = _reported(health)
    if not months:
        summary = (
            f"No month yet has pulse answers from at least {least} people, so there is no trend to report."
        )
        return Overview(title="Session feedback", summary=summary)
    items = [f"**{_month_name(m.month)}**: {m.mean_usefulness:.1f}, from {m.people} people" for m in months]
    data = {  # "why is September missing?": a month left out, and why (never how many answered it)
        "shown": [m.month for m in months],
        "left_out": [m.month for m in trend.months if not m.reported] if trend else [],
        "min_group_size": least,
    }
    if args.by_role and trend:  # "how do the pulse scores compare between mentors and execs"
        return _feedback_by_role(trend, data)
    first, last = months[0].mean_usefulness or 0.0, months[-1].mean_usefulness or 0.0
    moved = "held steady" if abs(last - first) < 0.1 else ("rose" if last > first else "fell")
    if args.short:  # "two sentences for a slide": the trend said in words
        scores = spoken_list([f"{m.mean_usefulness:.1f} in {_month_name(m.month)}" for m in months], 12)
        summary = (
            f"Sessions were rated {scores} out of 5 for usefulness"
            + (f", so the rating {moved}." if len(months) > 1 else ".")
            + f" Each month shown has answers from at least {least} people."
        )
        return Overview(title="Session feedback", summary=summary, data=data)
    summary = (
        f"How useful people found their sessions (the pulse after each one, 1 to 5), by month. Only months "
        f"with answers from at least {least} people are shown"
        + (f"; from {_month_name(months[0].month)} it {moved}:" if len(months) > 1 else ":")
    )
    return Overview(title="Session feedback", summary=summary, items=items, data=data)


def _feedback_by_role(trend: PulseTrend, data: dict[str, Any]) -> Overview:
    """Mentors' and executives' usefulness ratings over the whole period, each over enough people."""
    least = trend.min_group_size
    items = [
        f"**{r.role.capitalize()}s**: {r.mean_usefulness:.1f}, from {r.people} people"
        if r.reported
        else f"**{r.role.capitalize()}s**: fewer than {least} people answered, so not reported"
        for r in trend.roles
    ]
    summary = (
        f"How useful mentors and executives found their sessions (1 to 5), over all months from "
        f"{_month_name(trend.months[0].month)}; a side is shown only when at least {least} people answered:"
    )
    return Overview(title="Session feedback by role", summary=summary, items=items, data=data)


def _ratings(box: Toolbox, _args: HealthArgs) -> Overview:
    """Self-ratings against the objectives: the mean at the start and now, over enough people."""
    health = box.coordinator.health()
    change = health.objectives_self_rated
    items = []
    for o in change.objectives if change else []:
        if o.start.reported and o.end.reported and o.change is not None:
            items.append(
                f"**{o.title}** ({o.learner}s): {o.start.mean:.1f} at the start, {o.end.mean:.1f} now "
                f"({o.change:+.1f}; {o.start.people} and {o.end.people} people)"
            )
        else:
            items.append(f"**{o.title}** ({o.learner}s): too few ratings to report yet")
    summary = (
        "Self-ratings against the program's objectives (1 to 5), averaged over at least "
        f"{health.min_group_size} people each:"
    )
    return Overview(
        title="Self-ratings", summary=summary, items=items, data={"min_group_size": health.min_group_size}
    )


def _sessions(box: Toolbox, args: HealthArgs) -> Overview:
    """Sessions held by month: the month asked about (its latest), or the last three.

    One month comes with that month's pulse, and pair by pair when asked (the pulse never is: a
    pair is two people, fewer than a figure about people may be reported over).
    """
    picture = box.coordinator.picture()
    activity = picture.dashboard.activity
    months = activity.months
    start = [i for i, m in enumerate(months) if int(m[5:]) == args.since] if args.since else []
    if start and not args.by_month:  # "which pair has met the most since september?": each pair, most first
        span = range(start[-1], len(months))
        counts = sorted(
            (
                (sum(p.held[i] for i in span), sum(p.called_off[i] for i in span), p.label)
                for p in activity.per_pair
            ),
            key=lambda c: (-c[0], c[1], c[2]),
        )
        total = sum(held for held, _off, _label in counts)
        return Overview(
            title="Sessions held",
            summary=f"Since the start of {_month_name(months[start[-1]])}: {counted(total, 'session')} held "
            f"across the {counted(len(counts), 'pair')}, the most first:",
            items=[
                f"**{f'Pair {n}' if args.anonymous else label}**: {held} held, {off} called off"
                for n, (held, off, label) in enumerate(counts, 1)
            ],
        )
    asked = [i for i, m in enumerate(months) if int(m[5:]) == args.month] if args.month else []
    if args.by_pair and not asked:  # "sessions by pair": this month's, or last month's before any is held
        asked = [len(months) - 1 if activity.sessions_held[-1] or len(months) < 2 else len(months) - 2]
    shown = asked[-1:] or list(range(start[-1] if start else max(0, len(months) - 3), len(months)))
    pairs = len(activity.per_pair)
    said = []
    for i in shown:
        met = sum(1 for p in activity.per_pair if p.held[i])
        off = activity.sessions_called_off[i]
        held = activity.sessions_held[i]
        by = f"by {met} of the {counted(pairs, 'pair')}" if held else "by none of the pairs"
        said.append(
            f"{counted(held, 'session')} held, {by}; " + (f"{off} called off" if off else "none called off")
        )
    if len(shown) == 1:  # "how many pairs met in November?": one sentence, and that month's pulse
        at, month = shown[0], months[shown[0]]
        current = at == len(months) - 1  # this month: so far, and yet
        so_far = " so far" if current else ""
        summary = f"In {_month_name(month)}{so_far}: {said[0]}. {_pulse_in(picture.health, month)}"
        items = []
        if args.by_pair:
            least = picture.health.min_group_size
            idle = [p.label for p in activity.per_pair if not p.held[at]]
            if idle and not args.anonymous:  # "who hasn't had a session yet in November?": them first
                when = "yet this" if current else "that"
                summary += f" No session held {when} month: {spoken_list(idle, len(idle))}."
            summary += (
                f" Pair by pair (the pulse is reported over at least {least} people, so never per pair):"
            )
            items = [
                f"**{f'Pair {n}' if args.anonymous else p.label}**: {p.held[at]} held, "
                f"{p.called_off[at]} called off"
                for n, p in enumerate(activity.per_pair, 1)
            ]
        return Overview(title="Sessions held", summary=summary, items=items)
    items = [  # the last month is this one: "so far"
        f"**{_month_name(months[i])}{' so far' if i == len(months) - 1 else ''}**: {line}"
        for i, line in zip(shown, said, strict=True)
    ]
    summary = (
        "That month is outside the last twelve; here are the last three:"
        if args.month and not asked
        else f"Sessions held since the start of {_month_name(months[start[-1]])}, by month:"
        if start
        else "Sessions held, by month:"
    )
    return Overview(title="Sessions held", summary=summary, items=items)


def _pulse_in(health: ProgramHealth, month: str) -> str:
    """The sentence on a month's pulse: its mean over enough people, or why there is none."""
    found = next((m for m in (health.pulse.months if health.pulse else []) if m.month == month), None)
    if found is None or not found.reported or found.mean_usefulness is None:
        return (
            f"Too few people answered the pulse that month to report it (at least {health.min_group_size})."
        )
    return (
        f"The pulse (how useful the sessions were, 1 to 5) was {found.mean_usefulness:.1f}, from "
        f"{found.people} people."
    )


def _stalling(box: Toolbox, args: HealthArgs) -> Overview:
    """The pairs nearest the six-week limit: the stalled first, then by the days they have left."""
    health = box.coordinator.health()
    met = [p for p in health.pairs if p.cadence.days_since_last_session is not None]
    met.sort(key=lambda p: -(p.cadence.days_since_last_session or 0))
    if args.idle_days:  # "who hasn't met in over a month?"
        met = [p for p in met if (p.cadence.days_since_last_session or 0) > args.idle_days]
    if args.unplanned:  # "any pairs with no session planned?"
        never = [p for p in health.pairs if p.cadence.days_since_last_session is None]
        met = [p for p in [*met, *never] if p.cadence.next_session is None]
    items, data = [], {}
    for n, p in enumerate(met[: args.count], 1):
        cadence, days = p.cadence, p.cadence.days_since_last_session or 0
        who = (
            f"**Pair {n}**" if args.anonymous else f"**{p.mentor.name} and {p.executive.name}** ({p.pair_id})"
        )
        since = f"since {spoken_day(cadence.last_session)}" if cadence.last_session else ""
        if cadence.days_since_last_session is None:  # listed only when asked for the pairs with none planned
            line = f"{who}: no session yet"
        elif days > STALL_DAYS:
            line = f"{who}: stalled, no session for {days} days ({since})"
        else:
            line = (
                f"{who}: {days} days {since}, {counted(STALL_DAYS - days, 'day')} before it counts as stalled"
            )
        if cadence.next_session:
            line += f"; next session planned {spoken_day(cadence.next_session)}"
        items.append(line)
        data[f"Pair {n}" if args.anonymous else p.pair_id] = {  # "why that one": its figures
            "cadence": cadence.model_dump(mode="json"),
            "open_actions": _open_actions(p),
        }
    unmet = sum(1 for p in health.pairs if p.cadence.days_since_last_session is None)
    summary = (
        f"A pair counts as stalled after {STALL_DAYS} days without a session. Nearest first"
        + (f" ({counted(unmet, 'pair')} with no session yet left out)" if unmet else "")
        + ":"
    )
    if args.idle_days:
        summary = (
            f"{counted(len(items), 'pair')} without a session for more than {counted(args.idle_days, 'day')} "
            f"(a pair counts as stalled after {STALL_DAYS}):"
            if items
            else f"Every pair has met in the last {counted(args.idle_days, 'day')}."
        )
    if args.unplanned:
        summary = (
            f"{counted(len(items), 'pair')} with no next session planned, longest without one first:"
            if items
            else "Every pair has its next session planned."
        )
    return Overview(title="Nearest to stalling", summary=summary, items=items, data={"pairs": data})


PULSE, SELF_RATED = "Pulse (whole program)", "Self-ratings, start to end (whole program)"  # report sections
CADENCE_BANDS = (
    "Pairs meeting at the target or more",
    "Pairs meeting below the target, at the minimum or more",
    "Pairs meeting below the minimum",
    "Pairs stalled today",
)


def _report(box: Toolbox, args: HealthArgs) -> Overview:
    """The latest cycle's summary for leadership (``impact.cycle_report``): aggregates, no pair named."""
    from assistant import impact

    report = impact.cycle_report(box.coordinator)
    cycle = f"the {report.pairs} pairs that started from {report.cycle.started_from:%-d %B %Y}"
    if not report.reported:
        return Overview(title="Program summary", summary=report.note or "Too few pairs to report.")
    got = {(f.section, f.measure): f.value for f in report.figures}
    section: dict[str, list[impact.Figure]] = {f.section: [] for f in report.figures}
    for f in report.figures:
        section[f.section].append(f)
    held, rate = got[("Sessions", "Held")], got[("Sessions", "Held per pair per month (mean)")]
    actions = section.get("Actions", [])
    opened = sum(int(f.value or 0) for f in actions if f.measure.startswith("Opened"))
    closed = sum(int(f.value or 0) for f in actions if f.measure.startswith("Closed"))
    pulse = [f"{f.value:.1f} in {_month_name(f.measure[-7:])}" for f in section.get(PULSE, [])]
    rated = section.get(SELF_RATED, [])
    rose = [f for f in rated if float(f.value or 0) > 0]
    top = max(rose, key=lambda f: float(f.value or 0), default=None)
    cadence = [got[("Cadence", band)] for band in CADENCE_BANDS]
    items = [
        f"**Sessions**: {held} held, {got[('Sessions', 'Cancelled')]} cancelled and "
        f"{got[('Sessions', 'Moved')]} moved; {rate:.1f} a pair a month against a target of 2",
        f"**Cadence**: {cadence[0]} pairs at the target, {cadence[1]} below it but at the minimum, "
        f"{cadence[2]} below the minimum; {cadence[3]} stalled today",
        f"**Actions**: {closed} of {opened} agreed actions closed",
        "**Most covered topics**: "
        + spoken_list([f.measure for f in section.get("Most covered topics", [])][:3]),
    ]
    if pulse:
        items.append(f"**Pulse**: sessions rated {spoken_list(pulse, 12)} out of 5 for usefulness")
    if top is not None:
        items.append(
            f"**Self-ratings**: up on {len(rose)} of {len(rated)} objectives, "
            f"most on {top.measure} ({top.note})"
        )
    summary = f"The latest cycle in figures, for {cycle} (aggregates only, no pair or person named):"
    if args.short or args.paragraph:  # "one para for the board"
        said = [
            f"{held} sessions were held across {report.pairs} pairs ({rate:.1f} a pair a month; "
            "the target is 2)",
            f"{closed} of {opened} agreed actions were closed",
        ]
        said += [f"the pulse after sessions rated their usefulness {pulse[-1]} out of 5"] if pulse else []
        said += [f"self-ratings rose on {len(rose)} objectives"] if rose else []
        return Overview(title="Program summary", summary=f"In the latest cycle, {'; '.join(said)}.")
    return Overview(title="Program summary", summary=summary, items=items)


SLIPPING = ("stalled", "below_minimum", "below_target", "not_started", "on_track")  # the worst first


def _time_zones(box: Toolbox, args: HealthArgs) -> Overview:
    """The pairs whose members live in different time zones, the ones slipping most first.

    Each with how far apart they are, the hours a week both are free, and how often they meet.
    """
    with box.guide.assistant.session(write=False) as session:
        profiles = {p.user_id or p.id: p for p in all_participants(session)}
    health = box.coordinator.health()
    apart = []
    for pair in health.pairs:
        mentor, executive = profiles.get(pair.mentor.id), profiles.get(pair.executive.id)
        if mentor is None or executive is None:
            continue
        gap = abs(utc_offset_minutes(executive.time_zone) - utc_offset_minutes(mentor.time_zone)) / 60
        if gap:
            both = week_grid(mentor.availability, mentor.time_zone) * week_grid(
                executive.availability, executive.time_zone
            )
            apart.append((pair, mentor, executive, gap, float(both.sum()) * STEP_MINUTES / 60))
    apart.sort(key=lambda a: (SLIPPING.index(a[0].cadence.status), -a[3]))
    items = []
    for n, (pair, mentor, executive, gap, hours) in enumerate(apart[: args.count], 1):
        who = f"**Pair {n}**" if args.anonymous else f"**{pair.mentor.name} and {pair.executive.name}**"
        free = (
            f"{hours:g} hour{'s' if hours != 1 else ''} a week free together"
            if hours
            else "no weekly hours in common"
        )
        idle = pair.cadence.days_since_last_session
        items.append(
            f"{who}: {_place(mentor.time_zone)} and {_place(executive.time_zone)}, {gap:g} hour"
            f"{'s' if gap != 1 else ''} apart, {free}; {pair.cadence.status.replace('_', ' ')}"
            + (f", last session {idle} days ago" if idle is not None else "")
        )
    if not items:
        return Overview(
            title="Pairs across time zones", summary="Every pair's two members are on the same time."
        )
    summary = (
        f"{counted(len(apart), 'pair')} of {len(health.pairs)} span time zones (from the participant "
        "profiles), the ones meeting least often first:"
    )
    return Overview(title="Pairs across time zones", summary=summary, items=items)


def _upcoming(box: Toolbox, args: HealthArgs) -> Overview:
    """The pairs with a session planned in the days ahead, soonest first, and those without one."""
    health = box.coordinator.health()
    days = args.within_days or UPCOMING_DAYS
    until = health.today + dt.timedelta(days=days)
    soon = sorted(
        (p for p in health.pairs if p.cadence.next_session and p.cadence.next_session <= until),
        key=lambda p: p.cadence.next_session or until,
    )
    items = [
        f"**{p.mentor.name} and {p.executive.name}** ({p.pair_id}): {p.cadence.next_session:%A %-d %B}"
        for p in soon
    ]
    window = f"the next {counted(days, 'day')} (to {until:%A %-d %B})"
    later = [
        f"{p.mentor.name.split()[0]} and {p.executive.name.split()[0]} "
        + (f"(next on {p.cadence.next_session:%A %-d %B})" if p.cadence.next_session else "(none planned)")
        for p in health.pairs
        if p not in soon
    ]
    summary = (
        f"{len(items)} of {counted(len(health.pairs), 'pair')} {'has' if len(items) == 1 else 'have'} a "
        f"session planned in {window}."
        if items
        else f"No pair has a session planned in {window}."
    )
    if later:
        summary += f" Not in that time: {spoken_list(later)}."
    return Overview(
        title="Sessions coming up", summary=summary + (" Soonest first:" if items else ""), items=items
    )


FIGURES: dict[str, Callable[[Toolbox, HealthArgs], Overview]] = {
    "upcoming": _upcoming,
    "time_zones": _time_zones,
    "report": _report,
    "feedback": _feedback,
    "ratings": _ratings,
    "sessions": _sessions,
    "stalling": _stalling,
}


def _month_name(month: str) -> str:
    """``2026-11`` → "November 2026"."""
    return f"{dt.date(int(month[:4]), int(month[5:]), 1):%B %Y}"


def _since(box: Toolbox, health: ProgramHealth, days: int, anonymous: bool) -> str:
    """What changed in the last ``days``: which pairs' status moved (without names, how the counts did)."""
    before = box.coordinator.health(health.today - dt.timedelta(days=days))
    was = {p.pair_id: p.cadence.status for p in before.pairs}
    moved = [p for p in health.pairs if was.get(p.pair_id, p.cadence.status) != p.cadence.status]
    since = spoken_day(before.today)
    held = sum(p.cadence.sessions for p in health.pairs) - sum(p.cadence.sessions for p in before.pairs)
    since = f"{since} ({counted(held, 'session')} held)"  # "sessions held since sept"
    if not moved:
        return f" Since {since}, no pair's status has changed."
    if anonymous:
        counts = before.summary.status
        changes = [
            f"{counted(n, 'pair')} {s.replace('_', ' ')} (was {counts.get(s, 0)})"
            for s, n in health.summary.status.items()
            if n != counts.get(s, 0)
        ]
        if not changes:  # two pairs that traded places: the counts are as they were
            moves = counted(len(moved), "pair")
            return f" Since {since}, {moves} changed status, and the counts by status are the same."
    else:
        changes = [
            f"{p.mentor.name} and {p.executive.name} went from {was[p.pair_id].replace('_', ' ')} to "
            f"{p.cadence.status.replace('_', ' ')}"
            for p in moved
        ]
    return f" Since {since}: {spoken_list(changes, 6)}."


def _pairing(box: Toolbox, _caller: Caller, args: PairingArgs) -> Result:
    if args.together:  # "would kai + gareth make sense as a pair?": how those two would fit
        try:
            match = box.coordinator.fit(*args.together)
        except InvalidInput as exc:
            return Overview(title="Pairing suggestions", summary=str(exc))
        return Overview(title="How they would fit", summary=_fit(match))
    if args.options:  # "who else could gareth work with?": that person's best partners
        return _options(box, args.options, args.besides, args.department)
    if args.department:
        summary = f"Whose partner should be from {args.department.title()}? Name them and I'll look."
        return Overview(title="Pairing suggestions", summary=summary)
    try:
        matching = box.coordinator.pairings(
            apart=[(first, second) for first, second in args.apart],
            keep=[(first, second) for first, second in args.kept],
        )
    except InvalidInput as exc:
        return Overview(title="Pairing suggestions", summary=str(exc))
    why = (lambda s: "") if args.short else (lambda s: f": {s.explanation}")
    items = [f"**{s.mentor.name}** with **{s.executive.name}**{why(s)}" for s in matching.pairs]
    items += [f"{u.name} ({u.role}) stays unmatched: {u.reason}" for u in matching.unmatched]
    top = args.count if args.count and args.count < len(matching.pairs) else None  # "just the top 2"
    whole = (
        f"a complete matching of {counted(matching.mentors, 'mentor')} and "
        f"{counted(matching.executives, 'executive')} from the stored profiles"
    )
    listed = f"are the {top} best pairs of {whole}:" if top else f"is {whole}, best fit first:"
    asked = [n.lower() for n in args.who]
    found = {n: [i for i in items if re.search(rf"\*\*{re.escape(n)}\b", i, re.I)] for n in asked}
    if named := [i for n in asked for i in found[n]]:  # "who do we match Leo with?": Leo's match leads
        items = list(dict.fromkeys(named)) + [i for i in items if i not in named]
        whose = " and ".join(n.title() for n in asked if found[n])
        listed = listed.replace("best fit first:", f"{whose} first, then the rest by fit:")
    if missing := [n.title() for n in asked if not found[n]]:  # "mina and leo", with no profile for Mina
        summary = (
            f"I have no profile for {spoken_list(missing)} yet, so {spoken_list(missing)} can't be matched: "
            f"add it with `mentor-assistant participants import` and ask again. Here {listed}"
        )
    elif args.newcomers:  # "3 new mentors start in january": nobody named, and no profile to match from
        summary = (
            "I can only match people whose profiles are stored, so people who haven't joined yet can't be "
            f"matched: add their profiles with `mentor-assistant participants import` and ask again. "
            f"Meanwhile, here {listed}"
        )
    else:
        summary = f"Here {listed}"
    items = items[:top] if top else items
    return Overview(title="Pairing suggestions", summary=summary, items=items)


def _options(box: Toolbox, name: str, besides: list[str], department: str | None = None) -> Result:
    """Whom one person could be paired with, the three best first, each with why (or what goes against it).

    With ``department``, only partners whose department starts with one of its words ("finance").
    """
    try:
        found = box.coordinator.partners(name, besides)
    except InvalidInput as exc:
        return Overview(title="Pairing suggestions", summary=str(exc))
    if not found:
        return Overview(
            title="Pairing suggestions", summary=f"There is no one else to pair {name.title()} with."
        )
    named = found[0].mentor.name.lower()
    mentor = " ".join(name.lower().split()) in (named, named.split()[0])  # else the executive was named
    person = found[0].mentor if mentor else found[0].executive
    first = person.name.split()[0]
    role = "executives" if mentor else "mentors"
    if department:
        words = department.lower().split()
        found = [
            m
            for m in found
            if any(
                d.startswith(w)
                for w in words
                for d in (m.executive if mentor else m.mentor).department.lower().split()
            )
        ]
        if not found:
            summary = f"None of the {role} {first} could be paired with works in {department.title()}."
            return Overview(title="Pairing suggestions", summary=summary)
    now = {  # whoever is paired with them today
        n
        for p in box.coordinator.health().pairs
        if person.name in (p.mentor.name, p.executive.name)
        for n in (p.mentor.name, p.executive.name)
    } - {person.name}
    items = []
    for match in found[:3]:
        other = match.executive if mentor else match.mentor
        items.append(
            f"**{other.name}**"
            + (f" ({other.department})" if other.department else "")
            + (f", {first}'s partner now" if other.name in now else "")
            + f": {match.explanation}"
            + "".join(f" Against the pairing guideline: {w}" for w in match.warnings)
        )
    left = f", other than {spoken_list([b.title() for b in besides])}" if besides else ""
    within = f" in {department.title()}" if department else ""
    summary = f"The {role}{within} {first} could be paired with{left}, best fit first:"
    if len(items) == 1:  # "the executives in Finance": only Helen
        summary = f"The one {role[:-1]}{within} {first} could be paired with{left}:"
    return Overview(title="Pairing suggestions", summary=summary, items=items)


def _meeting_times(box: Toolbox, caller: Caller, args: TimesArgs) -> Result:
    """When both members of the caller's pair are free each week, from their profiles, in each one's time."""
    context = box.guide.pair_context(caller.pair_id or "", caller.user_id, private=False)
    mine = "mentor" if caller.user_id == context.pair["mentor_id"] else "executive"
    theirs = "executive" if mine == "mentor" else "mentor"
    with box.guide.assistant.session(write=False) as session:
        profiles = {p.user_id: p for p in all_participants(session) if p.user_id}
        start = sessions.next_planned(session, context.pair["id"], clock.today())
    booked = f"Your next session is already planned for {start:%A %-d %B at %H:%M}. " if start else ""
    me, partner = profiles.get(context.pair[f"{mine}_id"]), profiles.get(context.pair[f"{theirs}_id"])
    name = context.first_name(theirs)
    title = "When you are both free"
    if me is None or partner is None or not me.availability or not partner.availability:
        whose = "your" if me is None or not me.availability else f"{name}'s"
        return Overview(
            title=title,
            summary=f"I don't have {whose} weekly availability, so I can't compare your diaries. The "
            "coordinator keeps it in the participant profiles and can add it.",
        )
    profiled = (utc_offset_minutes(partner.time_zone) - utc_offset_minutes(me.time_zone)) // 60
    gap = profiled if args.ahead is None else args.ahead
    apart = f"{abs(gap)} hour{'s' if abs(gap) != 1 else ''} {'ahead of' if gap > 0 else 'behind'} you"
    if args.ahead is None:
        lead = (
            f"From your profiles, {name} ({_place(partner.time_zone)}) is {apart} ({_place(me.time_zone)})"
            if gap
            else f"From your profiles, you and {name} are on the same time ({_place(me.time_zone)})"
        )
    else:  # "she's in New York this month": her usual hours, where she is now
        offset = utc_offset_minutes(me.time_zone) + args.ahead * 60
        zone = f"UTC{'+' if offset >= 0 else '-'}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
        partner = replace(partner, time_zone=zone)
        lead = f"With {name} {apart} for now, as you said, and {name}'s usual hours from the profile"
    mine_free, theirs_free = (week_grid(p.availability, p.time_zone) for p in (me, partner))
    shared = mine_free * theirs_free
    if not shared.any():
        free = [said_slot(s) for s in local_slots(theirs_free, me.time_zone)]
        return Overview(
            title=title,
            summary=f"{booked}{lead}, {'and ' if args.ahead is None else ''}your weekly free times don't "
            "overlap: you "
            f"are free {spoken_list([said_slot(s) for s in me.availability])}; {name} is free "
            f"{spoken_list(free)} in your time. Suggest a time just outside those, or ask the coordinator to "
            "update a profile.",
        )
    ours, yours = local_slots(shared, me.time_zone), local_slots(shared, partner.time_zone)

    def said(own: str, other: str) -> str:  # "Tuesday 08:00–10:00 your time (09:00–11:00 for Rafael)"
        if not gap:
            return said_slot(own)
        there = other[4:].replace("-", "–") if other[:3] == own[:3] else said_slot(other)
        return f"{said_slot(own)} your time ({there} for {name})"

    items = [said(own, other) for own, other in zip(ours, yours, strict=True)]
    summary = f"{booked}{lead}{'. You' if args.ahead is None else ', you'} are both free each week:"
    return Overview(title=title, summary=summary, items=items, data={"slots": ours, "partner_slots": yours})


def _place(time_zone: str) -> str:
    """A time zone as a place: "Europe/London" is London, an offset stays as written."""
    return time_zone.rsplit("/", 1)[-1].replace("_", " ")


def _fit(match: Suggestion) -> str:
    """Why a mentor and an executive fit, in full: what each wants and the other teaches, time, cautions."""
    mentor, executive = match.mentor, match.executive
    first = {p.id: p.name.split()[0] for p in (mentor, executive)}

    def who(person: Person) -> str:
        return f"{person.name} ({person.department})" if person.department else person.name

    lines = [
        f"**{who(mentor)}** as mentor with **{who(executive)}** as executive: "
        + (
            f"{counted(len(match.warnings), 'thing')} in it {'goes' if len(match.warnings) == 1 else 'go'} "
            "against the pairing guideline."
            if match.warnings
            else "they would fit."
            if match.executive_learns and match.mentor_learns
            else "they could, though the exchange would run mostly one way."
        ),
        "",
        f"- {first[executive.id]} wants to learn "
        + (
            spoken_list(match.executive_learns, 10) + f", which {first[mentor.id]} teaches."
            if match.executive_learns
            else f"nothing {first[mentor.id]} lists as teaching."
        ),
        f"- {first[mentor.id]} wants to learn "
        + (
            spoken_list(match.mentor_learns, 10) + f", which {first[executive.id]} teaches."
            if match.mentor_learns
            else f"nothing {first[executive.id]} lists: agree the executive's part in the first session."
        ),
        f"- {match.explanation.split('. ')[-1].rstrip('.')}.",
    ]
    lines += [f"- Against the pairing guideline: {w}" for w in match.warnings] or [
        "- Nothing in it goes against the pairing guideline."
    ]
    return "\n".join(lines)


def _rotation(box: Toolbox, _caller: Caller, args: RotationArgs) -> Result:
    if args.start:  # "sketch the next cycle for me, starting mid jan"
        return _cycle_calendar(box, args.start, args.skip)
    plan = box.coordinator.rotation(clock.today())
    if len(args.names) == 2 and (pair := _pair_of(box, args.names)):  # "should priya and martin rotate?"
        return _one_rotation(plan, pair, args.renew)
    if not plan.due:
        running = counted(plan.not_due, "pair")
        summary = f"No pair has finished its {plan.cycle_months}-month cycle yet ({running} still running)."
        return Overview(title="Rotation", summary=summary)
    items = [
        f"**{d.mentor.name} and {d.executive.name}**: cycle ended {spoken_day(d.cycle_ended)}, "
        f"{d.months_together} months together" + ("" if d.renewal_allowed else " (no further renewal)")
        for d in plan.due
    ]
    summary = f"{counted(len(plan.due), 'pair')} finished the {plan.cycle_months}-month cycle:"
    if args.short:  # the changes only: who would meet whom next, and why
        proposed = [
            f"**{s.mentor.name}** with **{s.executive.name}**. {s.explanation}" for s in plan.proposals.pairs
        ]
        ending = "; ".join(f"{d.mentor.name.split()[0]} and {d.executive.name.split()[0]}" for d in plan.due)
        summary = (
            f"{counted(len(plan.due), 'pair')} finished the {plan.cycle_months}-month cycle ({ending}). "
            "Proposed new pairs:"
        )
        return Overview(title="Rotation", summary=summary, items=proposed)
    items += [_proposed(s) for s in plan.proposals.pairs]
    return Overview(title="Rotation", summary=summary, items=items)


def _cycle_calendar(box: Toolbox, start: dt.date, skip: list[str]) -> Overview:
    """A cycle's steps dated from its kickoff, each with who does it and why, cited."""
    calendar = box.coordinator.calendar(start, skip)
    if not calendar.steps and not calendar.skipped:  # a program's own knowledge folder without cycle.yaml
        return Overview(
            title="Cycle calendar",
            summary="This program has no cycle steps set: add them to cycle.yaml in its knowledge folder.",
        )
    items = [
        f"**{s.title}**, {'week of ' if s.week else ''}{spoken_day(s.day)} ({s.who}): {s.what}"
        for s in calendar.steps
    ]
    without = f", without the {spoken_list(calendar.skipped)} steps" if calendar.skipped else ""
    summary = (
        f"The next cycle, from a kickoff on {spoken_day(start)} to its close in the week of "
        f"{spoken_day(calendar.end)}{without}:"
    )
    cited = sorted({(s.source, s.section) for s in calendar.steps})
    citations = [Citation(kind="guideline", source=source, section=section) for source, section in cited]
    return Overview(title="Cycle calendar", summary=summary, items=items, citations=citations)


def _proposed(s: Suggestion) -> str:
    """A proposed new pair, as a rotation plan lists it."""
    return f"Proposed: **{s.mentor.name}** with **{s.executive.name}**. {s.explanation}"


def _one_rotation(plan: RotationPlan, pair: PairHealth, renew: bool = False) -> Overview:
    """One pair at the end of its cycle: whether it may renew, and the new partners proposed for each."""
    due = next((d for d in plan.due if d.pair_id == pair.pair_id), None)
    who = f"{pair.mentor.name} and {pair.executive.name}"
    if due is None:
        summary = (
            f"**{who}** are still in their {plan.cycle_months}-month cycle, so nothing changes for them yet."
        )
        return Overview(title="Rotation", summary=summary)
    longest = f"the longest time together the program allows ({MAX_MONTHS_TOGETHER} months)"
    if renew:  # "he wants to keep going": what a renewal takes, and how long it may run
        said = (
            f"**{who}** may renew for one further cycle if both ask for it and you agree. That takes them "
            f"to at most {MAX_MONTHS_TOGETHER} months together ({due.months_together} so far); after that "
            "both move on. Check that the other one wants it too before you decide."
            if due.renewal_allowed
            else f"**{who}** have had {longest}, so they can't renew, however keen they are: both move on "
            "to new partners."
        )
        return Overview(title="Rotation", summary=said)
    renewal = (
        "They may renew for one further cycle if both ask for it and you agree; the longest anyone stays "
        f"with the same partner is {MAX_MONTHS_TOGETHER} months. Otherwise the default is new partners for "
        "both, for a wider view than one partner can give."
        if due.renewal_allowed
        else f"They have had {longest}, so both move on to new partners."
    )
    summary = (
        f"**{who}** finished their {plan.cycle_months}-month cycle on {spoken_day(due.cycle_ended)}, after "
        f"{due.months_together} months together. {renewal} If they rotate, this is what is proposed for each:"
    )
    ids = {due.mentor.id, due.executive.id}
    items = [_proposed(s) for s in plan.proposals.pairs if {s.mentor.id, s.executive.id} & ids]
    return Overview(
        title="Rotation", summary=summary, items=items or ["No new partner is proposed for either yet."]
    )


TOOLS = (
    Tool("topics", "Suggest discussion topics for the pair's next session.", TopicsArgs, _topics, True),
    Tool(
        "agenda",
        "Draft a time-boxed agenda for the pair's next session, or a coordinator's check-in call.",
        AgendaArgs,
        _agenda,
        True,
        staff_too=True,
    ),
    Tool("brief", "Write the prep brief for the pair's next session.", BriefArgs, _brief, True),
    Tool("coach", "Coach on a challenge described in the user's words.", CoachArgs, _coach),
    Tool("ask", "Answer a question about the program from its guidelines, or abstain.", AskArgs, _ask),
    Tool(
        "search_notes",
        "Find what the pair's session notes say (for a coordinator, what a pair shares with the program).",
        SearchArgs,
        _search_notes,
        True,
        staff_too=True,
    ),
    Tool(
        "draft_message",
        "Draft a short message to the partner, or a reply answering a program question someone asked.",
        DraftArgs,
        _draft,
        True,
        staff_too=True,  # a coordinator's reply to a question; a note to a pair is check_in
    ),
    Tool(
        "meeting_times",
        "When both members of the pair are free each week, from their profiles, in each one's time zone.",
        TimesArgs,
        _meeting_times,
        True,
    ),
    Tool(
        "program_health", "Cadence and flags per pair, as figures.", HealthArgs, _health, roles=COORDINATION
    ),
    Tool(
        "pairing", "Suggest a matching of mentors and executives.", PairingArgs, _pairing, roles=COORDINATION
    ),
    Tool(
        "rotation",
        "Plan new partners for pairs past their cycle, or lay out the next cycle's calendar from its start.",
        RotationArgs,
        _rotation,
        roles=COORDINATION,
    ),
    Tool(
        "check_in",
        "Draft a coordinator's check-in message to a pair, from its session dates (never its notes).",
        CheckInArgs,
        _check_in,
        roles=COORDINATION,
    ),
)
