"""Conversations: understand each message in context, call the right tool, answer in Markdown."""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update

from assistant import clock, program, replies, sessions
from assistant.access import STAFF_ROLES, Viewer
from assistant.cache import ExpiringCache
from assistant.conversations import REVOKED, checked
from assistant.core import IDENTITY_SECONDS, people_version
from assistant.dialogue import (
    CUT_OFF,
    DRAFTS,
    MONTHS,
    ORDINAL_ITEM,
    SHORTEST_AGENDA,
    Lexicon,
    State,
    Understander,
    Understanding,
    as_said,
    days_proposed,
    item_title,
    load_lexicon,
    moved_to,
    named_beside,
    named_people,
    phrase_pattern,
    reported_question,
)
from assistant.errors import AssistantError, InvalidInput, NotFound
from assistant.guide import Guide
from assistant.lexical import STOPWORDS, tokenize
from assistant.render import citations_text, counted, plain, prose, spoken_day, spoken_list
from assistant.store import AuditEntry, Conversation, Message
from assistant.tasks import coach
from assistant.tasks.ask import forwarded
from assistant.tasks.schemas import CoachResult, Overview, TopicsResult
from assistant.tasks.topics import NO_TOPIC_ON, Focus
from assistant.tools import (
    COORDINATION,
    MANY_PAIRS,
    PARTNER_DRAFTS,
    WHOSE_NOTES,
    Caller,
    Toolbox,
    as_copied,
    notes_context,
    sentences,
)

if TYPE_CHECKING:
    from assistant.agent import Agent

log = logging.getLogger(__name__)
MAX_MESSAGE = 4000
SMALL_TALK = ("greeting", "thanks", "capabilities")
PAIR_TOOLS = ("topics", "agenda", "brief", "search_notes", "draft_message")
STATE_KEY = "_call"
# What changes a program view that is otherwise laid out one way: "without names", "by pair", "october then"
VIEW_CHANGES = ("anonymous", "paragraph", "by_pair", "by_month", "by_role", "month", "since", "also")
# What an offline edit can change, by task: said when a change asked for is not one of them.
CHANGEABLE = {
    "agenda": "I can change its length, its subject or its topics, swap the order of the two parts, or "
    "leave a part out; here it is as it was, for you to adjust.",
    "topics": "I can give more or fewer, other ones, or ones on a subject you name; here they are as they "
    "were.",
    "coach": "I can give fewer steps, other steps, or more on one of them; here is the advice as it was.",
    "brief": "I can make it shorter or leave a part out; here it is as it was.",
    "draft_message": "I can make it shorter or fuller; here it is as it was, for you to edit.",
    "search_notes": "I can search for another subject or show more of the notes; here they are as they were.",
    "program_health": "I can show it without names, just the figures, or what changed since a month or a "
    "week ago; here it is as it was.",
    "pairing": "I can suggest other pairings or keep people apart; here they are as they were.",
    "rotation": "I can show only the proposed new pairs or say more about one; here it is as it was.",
}
# An answer to a question asked back that says more of the first message: "i mean …", "as in …"
SAYS_MORE = re.compile(
    r"^(?:(?:sorry|no|oh|ah)[,.]?\s+)?(?:i mean|i meant|as in|meaning|i'?m asking about)\b[,:]?\s*", re.I
)
# "no, i meant gareth", "sorry i meant noor and ingrid": the same request, for other people
MEANT_PEOPLE = re.compile(
    r"^\W*(?:(?:no|nope|sorry|oops|wait|actually|ah|oh)\W+)*(?:i meant|i mean|meant)\s+"
    r"(?:for\s+|to\s+|with\s+)?"
    r"(?P<who>[a-z]+(?:\s*(?:,|&|and)\s*[a-z]+)?)(?:\W+(?:not|instead)\b.*)?\W*$",
    re.I,
)
# A question whose subject is only pointed at: "is that allowed", "can I do that?", "does it count"
ABOUT_THAT = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|wait)\W+)?(?:is|are|can|could|may|does|do|should|would|will)\s+"
    r"(?:i\s+|we\s+|you\s+)?(?:do\s+)?(?:that|it|this)\b",
    re.I,
)
FIXED_LAYOUT = ("brief", "program_health", "rotation")  # offline, one layout: "show it differently" says so
STATED_OTHER = ("topics", "coach", "agenda")  # other ones to choose from, after a fact to bear in mind
# Follow-up arguments that shape what is shown, not what a tool computes.
TRIMS = ("leave_out", "keep", "one_line", "unmatched")
SHORT_BRIEF = ["agenda", "reading"]  # what a brief's short version leaves out
AUDITED = ("user_id", "action", "note_ids", "model", "input_tokens", "output_tokens", "latency_ms")
# Built once: building an insert per turn cost about as much as running it.
INSERT_AUDIT, INSERT_CONVERSATION, INSERT_MESSAGE = insert(AuditEntry), insert(Conversation), insert(Message)
INTRODUCE = re.compile(r"\bintro(?:duc\w*)?\b", re.I)
CHECKING_IN = re.compile(
    r"\bcheck(?:ing)?[- ]?in\b|\bnudge|\bchas(?:e|er|ing)\b|\bhow (?:it|things|they)\b", re.I
)
WHAT_IF = re.compile(r"\b(?:what if|and if|but if|even if|what do i (?:say|do) if)\b", re.I)
BACK_TO = re.compile(
    r"\b(?:back to|returning to|return to|going back to|to go back to) "
    r"(?:the |our |my |those |that |these |your |ur )?(?:\d |two |three |four |five )?"
    r"(?:earlier |first |previous |original |\w+ )??(?:topic |session )?"
    r"(agenda|topics?|ideas?|brief|recap|rundown|run-down|steps?|advice|tips?|suggestions?|points?|pairings?|matches|counts|table|draft|"
    r"message|notes|list|plan|rotation|cycle|figures|numbers|outline|prep|answer|reply|response|rule|rules)\b"
)
# "two things before I board. what did we agree about X, and can you draft her a thank you": two requests
TWO_ASKS = re.compile(
    r"\W*(?:(?:ok|okay|so|hi|hey|morning|right)\W+)*(?:two|2|a couple of|couple of|a couple) "
    r"(?:quick |small )?(?:things|questions|qs|asks|requests|ones)\b[^.?!:;\n-]{0,30}(?:[.?!:;\n]+|\s+-+)\s*",
    re.I,
)
# how a request starts: "can you …", "give me …", "what did …" (not "…, and i'd like part of it on X")
_ASKING = (
    r"(?:(?:can|could|would|will)\s+(?:you|u)|pls|please|give|draft|write|make|send|tell|remind|suggest|show|"
    r"find|check|prep|what|how|when|who|is|are|do|does|should|help)\b"
)
# where the second request starts: "…, and also give me 3 topics", "…, and can you draft her a thank you"
SECOND_ASK = re.compile(
    rf"(?:,\s*|\s+)(?:and\s+)?also\b[,:]?\s+(?={_ASKING})|[.?!;]\s+also[,:]?\s+(?={_ASKING})"
    rf"|,\s*(?:and|plus)\s+(?={_ASKING})",
    re.I,
)
# "go on", "and the thank you?", "ok the second thing": the request a two-part message left for later
RESUMED = re.compile(
    r"\W*(?:(?:ok|okay|right|great|thanks|thx|ty|cool|and|now|so|yes|yep|yeah)\W+)*"
    r"(?:go on|go ahead|next|next one|the other (?:thing|one|question|bit)|(?:the )?(?:second|2nd|next) "
    r"(?:thing|one|question|bit|part)|(?:and |now |what about )?the (?P<what>[^.?!]{2,40}))\W*$",
    re.I,
)
# "two new grads join in january", "3 new mentors starting": people to match who have no profile yet
NEWCOMERS = re.compile(
    r"\b(?:new|incoming|upcoming) (?:\w+ )?(?:grads?|graduates?|mentors?|executives?|execs?|joiners?|"
    r"starters?|hires?|people|participants?|cohort)\b"
    r"|\b(?:joining|starting|start|join)(?:s)? (?:in|from|next) "
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|the new year|next (?:month|cycle|year))"
)
# "ok make it 20 min then": a change to the answer before, not a request of its own
MAKE_IT = re.compile(
    r"\W*(?:(?:ok|okay|so|and|then|right|fine)\W+)*(?:make|change|put|cut|trim|set) (?:it|that)\b"
)
# "back to the chief of staff. what if noor is happy with it?": the answer that spoke of it
BACK_TO_SUBJECT = re.compile(
    r"\W*(?:(?:ok|okay|so|right|and|anyway|now|sorry)\W+)*(?:(?:going|go|coming|come) )?back to "
    r"(?:the |your |ur |that |our |my )?(?P<what>[^.?!,;:]{3,40}?)\s*[.?!,;:-]+(?=\s+\S)"
)
# "what was that about written agendas?": a question about what an answer said, which may be an earlier one
ABOUT_SAID = re.compile(
    r"\bwhat (?:was|is|'s|were) (?:that|this|the bit|the thing|the part|all that) (?:about|on|re) "
    r"(?P<what>[^?.!,;]{3,40})"
)
# "the first of the topics - what would I show her?", "the 2nd of your ideas": an item of that kind of answer
ONE_OF_THE = re.compile(
    r"\bthe (?:first|second|third|fourth|fifth|last|\d(?:st|nd|rd|th)?) (?:one |thing |item |point |bit )?"
    r"(?:of|in|on) (?:the|those|your|ur|my) "
    r"(topics|ideas|steps|tips|suggestions|matches|pairings|recap|brief)\b"
)  # "what was the first thing in the recap again", after a draft made from it
# "turn the first answer into a reply i can paste back": the conversation's first answer, named so
FIRST_ANSWER = re.compile(r"\b(?:the|your|ur) (?:first|1st|original|very first) (?:answer|reply|question)\b")
EACH_OF_THEM = re.compile(r"\b(?:each of them|each|both of them|either of them)\b", re.I)
# "add a closing bit to the agenda", "put the bit about the grads first in the msg", "the middle part of
# the plan": that answer, changed or asked about
IN_THE_ANSWER = re.compile(
    r"\b(?:to|in|into|on|from|of|off) (?:the|my|our|that) (agenda|brief|topics|message|draft|plan)\b"
)
# "make the brief shorter", "can the whole recap be bullets": the brief, named in an edit
BRIEF_NAMED = re.compile(r"\b(?:the|that|this|my|whole) (?:whole |full |prep )?(?:brief|recap|prep)\b")
# "the stuff u said before", "that idea you mentioned": an answer before the last one
EARLIER = re.compile(
    r"\b(?:before|earlier|(?:you|u) (?:mentioned|suggested|said (?:first|at the start))|the first thing|"
    r"other angle|another angle)\b"
)
EARLIER_TOOLS = ("coach", "topics", "agenda", "brief", "search_notes", "draft_message")
# A change only a message takes: "shorten it so it fits in a teams message", "ok change it to 30 then",
# "less formal" after a draft and then a rule question checked on the way.
FOR_A_MESSAGE = re.compile(
    r"\b(?:message|msg|email|e-mail|teams|slack|text|draft|reply|dm|wording|tone|formal|informal|casual|"
    r"corporate|friendl\w*|polite|warm\w*|stiff|chatty)\b"
)
# Where a request for a message turns to what it should say: "a note to Sofia saying …".
SAYING = re.compile(r"\b(?:saying|to say|telling (?:him|her|them))\b", re.I)
# "write helen a gentle note about protecting jan slots", "a nudge to sofia and gareth about the 3-way"
NOTE_ABOUT = re.compile(
    r"\b(?:note|line|message|msg|email|nudge|reminder)(?: to [\w ]{2,40}?)? (?:about|re|on)\s+([^.,;?!]+)"
)
# A subject of its own for a note ("the pilot feedback"), not the session it books ("our next session").
NOTE_SUBJECT = re.compile(
    r"(?:the|our|his|her|my|their|your)\s+(?!.*\b(?:session|meeting|catch[- ]?up|call|slot|date|time|diary|"
    r"calendar)s?\b)[a-z][\w' -]*$",
    re.I,
)
# A message asked for with warmth ("a warm reply", "a friendly note"): its warm wording, where it has one.
WARM = re.compile(r"\b(?:warm|warmly|warmer|friendly|friendlier)\b", re.I)
DRAFT_CHANGES = ("minutes", "says", "tone", "warmer", "lighter", "unsay", "greeting")
LISTED = "listed"  # "back to the list": the last answer that listed things, not a message drafted since
# "draft my reply to him", "what do i tell her": answering someone who asked
ANSWERS_SOMEONE = re.compile(
    r"\brepl(?:y|ies)\b|\brespond|\bwrite back\b|\bsend back\b|\bget back to\b|\banswer (?:him|her|them)\b"
    r"|\bwhat (?:do|should) i (?:tell|say)\b"
)
FIRST = "first"  # "going back to your first answer": the conversation's first answer
ONE_ITEM = ("suggestion", "point", "idea", "topic", "step", "tip")  # "back to your second suggestion"
BACK_TOOLS = {
    "agenda": "agenda",
    "topics": "topics",
    "ideas": "topics",
    "brief": "brief",
    "recap": "brief",
    "rundown": "brief",
    "run-down": "brief",
    "steps": "coach",
    "advice": "coach",
    "tips": "coach",
    "pairings": "pairing",
    "matches": "pairing",
    "draft": "draft_message",
    "message": "draft_message",
    "notes": "search_notes",
    "suggestions": LISTED,  # topics or advice, whichever came last
    "suggestion": LISTED,
    "point": LISTED,
    "points": LISTED,
    "table": LISTED,
    "counts": "program_health",
    "topic": "topics",
    "idea": "topics",
    "step": "coach",
    "tip": "coach",
    "pairing": "pairing",
    "figures": "program_health",
    "numbers": "program_health",
    "outline": "agenda",
    "cycle": "rotation",  # "back to the next cycle list"
    "prep": "brief",
    "rule": "ask",  # "go back to the rule thing, who do i talk to about ending it"
    "rules": "ask",
    "answer": FIRST,  # "going back to your first answer"
    "reply": FIRST,
    "response": FIRST,
    "list": LISTED,
    "plan": LISTED,  # an agenda or the next cycle's plan, whichever came last
    "rotation": "rotation",
}  # stored with an answer's payload: the tool and arguments that produced it


@dataclass
class Turn:
    """One stored turn: who spoke, the text, and for answers the task and its payload."""

    role: str
    content: str
    task: str | None = None
    payload: dict[str, Any] | None = None


def _clarified(history: list[Turn], message: str) -> str:
    """A reply to a clarifying question that only says more, read with the question it answers.

    "is that allowed" was asked back about; "i mean not meeting for 2+ months bc he's busy" is that
    question about that.
    """
    if len(history) < 2 or history[-1].task != "clarify" or history[-2].role != "user":
        return message
    asked = history[-2].content
    if CUT_OFF.match(asked):  # "can u write", then "a msg to marisol about the check in": one request
        return f"{asked.strip()} {message}"
    if not (more := SAYS_MORE.match(message)) or not ABOUT_THAT.match(asked) or len(asked.split()) > 8:
        return message  # "sorry, i mean a recap of what we covered" after "can u do the same": said whole
    return f"{asked.rstrip(' ?.!')}? {message[more.end() :]}"


def _meant_them(history: list[Turn], message: str, people: frozenset[str]) -> str:
    """The last request again, for the people a correction names ("no, i meant gareth").

    "draft a nudge to sofia about notes", then "sorry i meant gareth": the nudge, to Gareth. Said
    with as many people as the request named, each in the same place; otherwise the message as it is.
    """
    if not (meant := MEANT_PEOPLE.match(message)) or not history or history[-1].task in ("clarify", None):
        return message
    asked = next((t.content for t in reversed(history) if t.role == "user"), "")
    before, after = named_people(asked, people), named_people(meant["who"], people)
    if not after or len(before) != len(after) or set(before) == set(after):
        return message
    swap = dict(zip(before, after, strict=True))
    return re.sub(rf"\b({'|'.join(before)})\b", lambda m: swap[m.group(1).lower()], asked, flags=re.I)


def _pending(history: list[Turn]) -> str | None:
    """The second request of a two-part message the last answer left for later, if any."""
    last = history[-1] if history else None
    return (
        (last.payload or {}).get(STATE_KEY, {}).get("pending") if last and last.role == "assistant" else None
    )


def _answer_about(history: list[Turn], what: str) -> str | None:
    """The task of the latest answer whose question or text speaks of ``what`` ("back to the 30 minutes.")."""
    what = re.sub(r"\b(?:thing|things|bit|stuff|one|part|point|question|issue)\b", " ", what)  # "the X thing"
    wanted = {w[:5] for w in tokenize(what.replace("-", " "))}  # "30 minutes" is the "30-minute session"
    for i in range(len(history) - 1, 0, -1):
        answer, asked = history[i], history[i - 1]
        if answer.role == "assistant" and answer.payload and answer.task and asked.role == "user":
            said = {w[:5] for w in tokenize(f"{asked.content} {answer.content}".replace("-", " "))}
            if wanted and wanted <= said:
                return answer.task
    return None


@dataclass
class Reply:
    """What the assistant answers in a conversation."""

    conversation_id: str
    task: str
    message: str
    payload: dict[str, Any] | None = None
    citations: list[dict[str, Any]] = field(default_factory=list)
    mode: str = "offline"
    fallback_reason: str | None = None
    standalone: str = ""
    suggestions: list[str] = field(default_factory=list)
    call: dict[str, Any] | None = None  # the tool call behind the answer, kept for follow-ups
    intent: str = ""  # what the dialogue layer understood, and its slots
    slots: dict[str, Any] = field(default_factory=dict)
    usage: dict[str, Any] = field(default_factory=dict)  # LLM mode: model, tokens, latency

    def as_dict(self) -> dict[str, Any]:
        """The reply as the API returns it."""
        return {
            "conversation_id": self.conversation_id,
            "task": self.task,
            "message": self.message,
            "payload": self.payload,
            "citations": self.citations,
            "mode": self.mode,
            "fallback_reason": self.fallback_reason,
            "standalone_question": self.standalone,
            "suggestions": self.suggestions,
        }


class Chat:
    """Multi-turn conversations over the tools, with history kept per user."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.assistant = guide.assistant
        self.tools = Toolbox(guide)
        self._names: ExpiringCache[tuple[str, str | None], Names] = ExpiringCache(
            IDENTITY_SECONDS, people_version
        )

    @cached_property
    def lexicon(self) -> Lexicon:
        """Phrase lists and replies for the dialogue layer."""
        return load_lexicon(self.guide.settings.knowledge_dir)

    @cached_property
    def _parts_by_place(self) -> dict[str, re.Pattern[str]]:
        """An agenda's first or last part named by what it does: "the warm up bit", "the wrap-up"."""
        return {place: phrase_pattern(said) for place, said in self.lexicon.parts_by_place.items()}

    @cached_property
    def _one_line(self) -> re.Pattern[str]:
        """Every item kept, each said in a line: "one line each"."""
        return phrase_pattern(self.lexicon.one_line)

    @cached_property
    def _outline(self) -> re.Pattern[str]:
        """One side's own part asked for: "a structure for my 15 minutes"."""
        return phrase_pattern(self.lexicon.outline)

    @cached_property
    def _briefly(self) -> re.Pattern[str]:
        """A prep brief asked for briefly: "remind me briefly where we left things"."""
        return phrase_pattern(self.lexicon.briefly)

    @cached_property
    def _review(self) -> re.Pattern[str]:
        """A session looking back and ahead asked for: "a look back at what we've done since march"."""
        return phrase_pattern(self.lexicon.review)

    @cached_property
    def _partners_asked(self) -> re.Pattern[str]:
        """One person's partners asked for: "who else could gareth work with?"."""
        return phrase_pattern(self.lexicon.other_partners["asks"])

    @cached_property
    def _document_asked(self) -> re.Pattern[str]:
        """Something asked to be written that is not a message: "write a reference for noor"."""
        kinds = "|".join(re.escape(p) for p in sorted(self.lexicon.not_messages, key=len, reverse=True))
        return re.compile(
            r"^(?:(?:can|could|would) (?:you|u) |pls |please )?(?:write|draft|compose|prepare)\s+"
            rf"(?:\w+\s+)?(?:(?:a|an|my|the|his|her|their)\s+)?(?:short\s+)?({kinds})\b"
        )

    @cached_property
    def understander(self) -> Understander:
        """Turns messages into intents and slots."""
        return Understander(
            self.lexicon, self.guide.embed_cached, self.guide.embed_query, self.guide.embed_saved
        )

    # Storage ---------------------------------------------------------------------------

    def _conversation(self, user_id: str, conversation_id: str) -> Conversation:
        with self.assistant.session(write=False) as session:
            found = session.get(Conversation, conversation_id)
            if found is None or found.user_id != user_id:
                raise NotFound(f"There is no conversation {conversation_id!r}.")
            return found

    def turns(self, conversation_id: str, user_id: str | None = None) -> list[Turn]:
        """The conversation's turns, oldest first.

        An answer drawing on a note its owner can no longer read keeps neither its text nor its
        result (see ``conversations.REVOKED``): follow-ups cannot reach the note through it.
        """
        with self.assistant.session(write=False) as session:
            found = session.get(Conversation, conversation_id)
            if found is None or (user_id is not None and found.user_id != user_id):
                raise NotFound(f"There is no conversation {conversation_id!r}.")
            viewer = self.assistant.viewer(found.user_id)
            rows = session.scalars(
                select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
            )
            return [
                Turn(m.role, REVOKED, m.task, None)
                if revoked
                else Turn(m.role, m.content, m.task, payload if m.payload else None)
                for m, payload, revoked in checked(session, viewer, rows)
            ]

    def history(self, conversation_id: str, user_id: str | None = None) -> list[tuple[str, str]]:
        """The conversation's turns as (role, text), oldest first."""
        return [(t.role, t.content) for t in self.turns(conversation_id, user_id)]

    def conversations(self, user_id: str) -> list[dict[str, Any]]:
        """A user's conversations, newest first."""
        with self.assistant.session(write=False) as session:
            rows = session.scalars(
                select(Conversation)
                .where(Conversation.user_id == user_id)
                .order_by(Conversation.created_at.desc())
            )
            return [
                {"id": c.id, "title": c.title, "pair_id": c.pair_id, "created_at": c.created_at.isoformat()}
                for c in rows
            ]

    def _save(
        self,
        conversation_id: str,
        message: str,
        reply: Reply,
        audit: list[AuditEntry],
        new: Conversation | None = None,
        pair_id: str | None = None,
    ) -> None:
        """Store a turn with its audit entries (and the pair it was about); one transaction.

        Nothing is written before the answer exists, so a refused message changes nothing.
        """
        payload = None
        if reply.payload is not None:
            payload = json.dumps({**reply.payload, STATE_KEY: reply.call})
        turn = [
            {
                "conversation_id": conversation_id,
                "role": "user",
                "content": message,
                "task": None,
                "payload": None,
            },
            {
                "conversation_id": conversation_id,
                "role": "assistant",
                "content": reply.message,
                "task": reply.task,
                "payload": payload,
            },
        ]
        # Plain inserts and updates on a plain connection rather than the ORM's unit of work, whose
        # bookkeeping for these few rows cost about 1.4 ms of CPU a turn, and its session (0.3 ms).
        with self.assistant.connection() as connection:
            if audit:
                connection.execute(INSERT_AUDIT, [{f: getattr(e, f) for f in AUDITED} for e in audit])
            if new is not None:
                title = new.title or message[:80]
                chosen = pair_id if pair_id is not None else new.pair_id
                row = {"id": new.id, "user_id": new.user_id, "pair_id": chosen, "title": title}
                connection.execute(INSERT_CONVERSATION, [row])
            else:
                this = Conversation.id == conversation_id
                connection.execute(
                    update(Conversation).where(this, Conversation.title == "").values(title=message[:80])
                )
                if pair_id is not None:
                    connection.execute(update(Conversation).where(this).values(pair_id=pair_id))
            connection.execute(INSERT_MESSAGE, turn)
        audit.clear()  # committed

    # Answering ------------------------------------------------------------------------

    def _caller(self, user_id: str, pair_id: str | None) -> Caller:
        viewer = self.assistant.viewer(user_id)
        pairs = tuple(sorted(viewer.pair_ids))
        if pair_id is not None and pair_id not in viewer.pair_ids:
            raise NotFound(f"There is no pair {pair_id!r}.")
        chosen = pair_id or (pairs[0] if len(pairs) == 1 else None)
        name, people, partner, staff = self._names.get(
            (user_id, chosen), lambda: self._load_names(viewer, chosen)
        )
        return Caller(user_id, viewer.role, name, chosen, pairs, people, partner, staff)

    def _load_names(self, viewer: Viewer, chosen: str | None) -> Names:
        """The caller's name, the first names they may mention, their partner's and the coordinators'.

        Read once a while.
        """
        user_id, pairs = viewer.id, sorted(viewer.pair_ids)
        partner = None
        with self.assistant.session(write=False) as session:
            name = program.get_user(session, user_id).name
            staff = frozenset(
                u.name.split()[0].lower()
                for u in program.list_users(session)
                if u.role == "coordinator" and u.name
            )
            names = {name}
            if viewer.role not in ("mentor", "executive"):  # coordinators name any participant
                names |= {u.name for u in program.list_users(session)}
                names |= {p["name"] for p in self.tools.coordinator.participants()}  # and any profile
            for pid in pairs:
                pair = program.get_pair(session, pid)
                members = {u: program.get_user(session, u).name for u in (pair.mentor_id, pair.executive_id)}
                names |= set(members.values())
                if pid == chosen and viewer.role in ("mentor", "executive"):
                    partner = next((n for u, n in members.items() if u != user_id), None)
        people = frozenset(n.split()[0].lower() for n in names if n)
        return name, people, partner.split()[0] if partner else None, staff

    def reply(
        self,
        user_id: str,
        message: str,
        conversation_id: str | None = None,
        pair_id: str | None = None,
    ) -> Reply:
        """Answer one message in a conversation (created when no id is given)."""
        message = _checked(message)
        caller = self._caller(user_id, pair_id)
        with self.assistant.holding_audit() as audit:  # stored with the turn: one commit
            if conversation_id is None:
                new = Conversation(id=program.new_id("c"), user_id=user_id, pair_id=caller.pair_id)
                reply = self._answer(caller, message, [], new.id)
                self._save(new.id, message, reply, audit, new)
                return reply
            conversation = self._conversation(user_id, conversation_id)
            if pair_id is None and conversation.pair_id in caller.pair_ids:
                caller = self._caller(user_id, conversation.pair_id)
            reply = self._answer(caller, message, self.turns(conversation.id), conversation.id)
            self._save(conversation.id, message, reply, audit, pair_id=pair_id)
            return reply

    def answer(
        self,
        user_id: str,
        message: str,
        history: list[tuple[str, str]],
        pair_id: str | None = None,
        conversation_id: str = "",
    ) -> Reply:
        """Answer a message given earlier turns as plain text (OpenAI clients), storing nothing."""
        message = _checked(message)
        caller = self._caller(user_id, pair_id)
        return self._answer(caller, message, [Turn(role, text) for role, text in history], conversation_id)

    def _state(self, caller: Caller, history: list[Turn], tool: str | None = None) -> State:
        """The last answer (of ``tool``, if given) that follow-ups can act on.

        When only the text of the conversation is known (OpenAI clients), it is replayed from its question.
        """
        for turn in history if tool == FIRST else reversed(history):
            if turn.role != "assistant" or turn.task in (*SMALL_TALK, "clarify", None):
                continue
            if turn.payload is not None:
                call = turn.payload.get(STATE_KEY) or {"tool": turn.task, "args": {}}
                if tool not in (None, LISTED, FIRST) and call["tool"] != tool:
                    continue
                items = tuple(replies.items(call["tool"], turn.payload))
                if tool == LISTED and (call["tool"] in DRAFTS or not items):
                    continue
                said = str(  # what an answer without items says: a rule, a draft, a program view's summary
                    turn.payload.get(
                        {"ask": "answer", "program_health": "summary"}.get(call["tool"], "body"), ""
                    )
                )
                lengths = (
                    tuple(int(i.get("minutes") or 0) for i in turn.payload.get("items", []))
                    if call["tool"] == "agenda"
                    else ()
                )
                return State(call["tool"], call["args"], items, call.get("ref"), caller.role, said, lengths)
        previous = [t.content for t in history if t.role == "user"]
        for text in reversed(previous[-3:]):  # text-only history: understand the question again
            understood = self.understander.understand(text, State(), caller.role)
            if understood.intent in self.tools.tools and self.tools.allowed(understood.intent, caller):
                call = self._call_for(caller, understood)
                try:
                    result = self.tools.call(call["tool"], caller, call["args"])
                except AssistantError:
                    return State()
                payload = result.model_dump(mode="json")
                return State(
                    call["tool"], call["args"], tuple(replies.items(call["tool"], payload)), role=caller.role
                )
        return State()

    # LLM mode hook (assistant/agent.py) ------------------------------------------------

    @cached_property
    def agent(self) -> Agent | None:
        """The tool-calling model that answers turns in LLM mode, or None offline."""
        from assistant.agent import Agent
        from assistant.providers import binds_tools

        model = self.guide.model
        return Agent(self, model) if model is not None and binds_tools(model) else None

    def _answer(
        self, caller: Caller, message: str, history: list[Turn], conversation_id: str, offline: bool = False
    ) -> Reply:
        if not offline and self.agent is not None:  # the model answers; offline is its fallback
            return self.agent.answer(
                caller,
                message,
                history,
                conversation_id,
                lambda: self._answer(caller, message, history, conversation_id, offline=True),
            )
        # end of the LLM-mode hook
        if (
            (pending := _pending(history))
            and (resumed := RESUMED.fullmatch(message))
            and (not resumed["what"] or _content_words(resumed["what"]) & _content_words(pending))
        ):
            message = pending  # "go on", "and the thank you?": the second of two requests, asked for
        elif two := self._two_asks(caller, message, history):
            first, second = two
            reply = self._answer(caller, first, history, conversation_id, offline=True)
            if reply.call is not None:
                reply.call["pending"] = second
                later = replies.say(self.lexicon.replies["second_ask"], what=f"“{second.rstrip(' ?.!')}”")
                reply.message = f"{reply.message}\n\n{later}"
                reply.suggestions = ["go on", *reply.suggestions[:2]]
                return reply
        back = BACK_TO.search(message.lower())
        tool = BACK_TOOLS[back.group(1)] if back else None
        if back and tool == FIRST and not re.search(r"\b(?:first|original)\b", back.group(0)):
            back = tool = None  # "go back to the analysts answer. what exactly did kai suggest?": said whole
        if back and tool == LISTED and re.search(r"\b(?:topic|idea)s? list\b", back.group(0)):
            tool = "topics"  # "back to the topic list"
        if not back and (subject := BACK_TO_SUBJECT.match(message.lower())):  # "back to the 30 minutes. …"
            answered = [t.task for t in reversed(history) if t.role == "assistant" and t.payload and t.task]
            found = _answer_about(history, subject["what"]) or next(
                (t for t in answered[1:] if t not in (answered[0], "expand")), None
            )
            back, tool = (subject, found) if found else (None, None)  # named by nothing: the one before
        if (
            not back
            and (about := ABOUT_SAID.search(message.lower()))
            and (found := _answer_about(history, about["what"]))
        ):
            tool = found  # "what was that about written agendas?": the answer that spoke of it
        elif not back and FIRST_ANSWER.search(message.lower()):  # "turn the first answer into a reply"
            tool = FIRST
        elif not back and (of := ONE_OF_THE.search(message.lower())):  # "the first of the topics - …": that
            tool = BACK_TOOLS[of.group(1)]  # answer's item, whatever came since; the message is read whole
        state = self._state(caller, history, tool)
        said = message[back.end() :].strip(" -–—,:;.") if back else message  # "back to the list - the 2nd?"
        said = (
            re.sub(r"^(?:thing|bit|part|stuff|one)\b\W*", "", said) if back else said
        )  # "the rule thing, …"
        if (
            back
            and said
            and back.group(1) in ONE_ITEM
            and (nth := re.search(r"\b(?:first|second|third|fourth|fifth|last)\b", back.group(0)))
        ):
            said = f"the {nth.group(0)} one: {said}"  # "back to your second suggestion. how would I…"
        said = _clarified(history, said)  # "i mean not meeting for 2+ months" after "is that allowed"
        said = _meant_them(history, said, caller.known)  # "no, i meant gareth": the last request, for him
        understood = self.understander.understand(
            said if len(said.split()) >= 2 else message, state, caller.role, caller.known
        )
        if (
            (
                state.task == "ask"
                or (state.task not in DRAFTS and THE_MESSAGE.search(message.lower()))
                or (
                    (named := IN_THE_ANSWER.search(understood.text.lower()))
                    and BACK_TOOLS[named.group(1)] != state.task
                )
                or (
                    understood.intent == "edit" and state.task != "brief" and self._on_brief(message, history)
                )
            )
            and not back
            and (earlier := self._before_rule(caller, understood, history))
        ):
            tool, state, understood = (
                earlier  # "the stuff u said before feels a bit cold", after a rule question
            )
        if (question := self._asked_back(history, WHOSE_NOTES)) and len(self._named(caller, understood)) == 2:
            understood = Understanding(  # "noor and ingrid" after "Whose notes should I look in?"
                "search_notes", {"names": self._named(caller, understood)}, text=question
            )
        elif (requested := self._asked_back(history, self.lexicon.replies["check_in_whom"])) and (
            names := self._named(caller, understood)
        ):
            said = f"{requested} to {' and '.join(n.title() for n in names)}"  # "sofia and gareth": the pair
            understood = self.understander.understand(said, State(), caller.role, caller.known)
        elif (
            history
            and history[-1].task == "clarify"
            and (requested := self._asked_back(history))
            and (names := self._named(caller, understood))
            and not set(re.findall(r"[a-z]+", message.lower())) - {*names, "and", "&", "with", "for", "to"}
        ):  # "kai and helen" after "can you write to them" was asked back about: that request, for them
            said = f"{requested.rstrip(' ?.!')} ({' and '.join(n.title() for n in names)})"
            understood = self.understander.understand(said, State(), caller.role, caller.known)
        intent = understood.intent
        reply = Reply(conversation_id, intent, "", standalone=understood.text, intent=intent)
        if (
            intent == "brief"
            and caller.role in COORDINATION
            and self._named_before(caller, understood, history)
        ):
            intent = understood.intent = "program_health"  # "prep me for the check-in w sofia and gareth"
            understood.slots["shared"] = True  # the pair's figures and what it shares with the program
        reply.slots = understood.slots
        partner = caller.partner
        to_pair = (  # a coordinator writes to a pair, unless replying to the question just answered
            intent == "draft_message"
            and caller.role in COORDINATION
            and not self._replying(understood, state)
        )
        if (intent in ("search_notes", "agenda") and caller.role in COORDINATION) or (
            intent == "program_health" and THAT_PAIR.search(understood.text.lower())
        ):
            self._named_before(caller, understood, history)  # "did they agree anything", "is that pair ok"
        if understood.slots.get("since") == "then":  # "has anything changed since then": the notes shown
            understood.slots["since"] = _latest_cited(history)
        if understood.slots.get("until"):  # "he has something at 9 now": the minutes left from the start
            self._until(caller, understood.slots)
        if intent == "greeting" and understood.slots.get("say"):  # "it's my bday tmrw 🎂"
            reply.message = f"{understood.slots['say']} {replies.intro(self.lexicon, caller.role, partner)}"
        elif intent == "greeting":
            first = caller.name.split()[0]
            reply.message = replies.say(
                self.lexicon.replies["greeting"],
                name=first,
                intro=replies.intro(self.lexicon, caller.role, partner),
            )
        elif intent == "thanks":
            side = "member" if caller.role in ("mentor", "executive") else "staff"
            reply.message = random.choice(self.lexicon.replies["thanks"][side])
        elif understood.slots.get("howto"):  # "how do i add a user", "can martin see this?"
            reply.message = understood.slots["howto"]
        elif intent == "capabilities":
            reply.message = replies.capabilities(self.lexicon, caller.role, partner)
            for outside in (self.lexicon.replies["outside_reach"], *self.lexicon.replies["cannot_act"]):
                if re.search(outside["cue"], understood.text, re.I):  # "can you read my inbox?"
                    reply.message = f"{outside['say']} {reply.message}"
                    break
        elif intent == "clarify" and understood.slots.get("cut"):  # "can u write": the rest is coming
            reply.message = self.lexicon.replies["clarify_cut_off"]
            return reply
        elif intent == "clarify" and "items" in understood.slots:  # a bare "that one"
            reply.message = replies.say(
                self.lexicon.replies["clarify_which_item"], count=understood.slots["items"]
            )
            return reply
        elif intent == "clarify":
            reply.message = replies.clarify(self.lexicon, understood.options, understood.points_back)
            reply.suggestions = replies.option_requests(self.lexicon, understood.options)
            return reply
        elif intent == "expand" and understood.slots.get("asked"):  # "and has he actually done it?"
            # answered from the notes, on what was shown; "what if he says no?" by the advice it follows
            asked = replace(understood, intent="coach" if state.task == "coach" else "search_notes")
            if caller.role in COORDINATION and state.args.get("names") and not asked.slots.get("names"):
                asked.slots["names"] = state.args["names"]  # "which of those is the most recent": that pair's
            return self._run(reply, caller, self._call_for(caller, asked, state), asked)
        elif intent == "expand" or understood.slots.get("disputed"):  # "that's not right": what it rests on
            return self._expand(
                reply, caller, history, understood, state.task if tool in (LISTED, FIRST) else tool
            )
        elif not (self._draft_kind(understood.text) or understood.slots.get("says")) and (
            document := self._document_asked.search(understood.text.lower())
        ):  # "write a reference for noor": not a message, said so
            reply.task = reply.intent = "draft_message"
            reply.message = replies.say(self.lexicon.replies["not_a_message"], what=document.group(1))
        elif to_pair and not (
            understood.slots.get("names")
            or EVERYONE.search(understood.text.lower())
            or WELCOMED.search(understood.text.lower())
            or self._listed_pairs(understood, state)
            or self._named_before(caller, understood, history)
        ):
            reply.message = self.lexicon.replies["check_in_whom"]
            return reply
        elif understood.slots.get("until") and not understood.slots.get("minutes"):
            until = understood.slots["until"]  # "he has a hard stop at 9": and the session starts when?
            reply.message = f"What time does the session start? Then I'll fit the agenda to end by {until}."
            return reply
        elif not (to_pair or self.tools.allowed(intent, caller)):
            reply.message = replies.say(
                self.lexicon.replies["not_for_role"], intro=replies.intro(self.lexicon, caller.role, partner)
            )
        else:
            call = self._call_for(caller, understood, state)
            return self._run(reply, caller, call, understood)
        reply.suggestions = self._suggestions(reply.task, caller)
        return reply

    def _two_asks(self, caller: Caller, message: str, history: list[Turn]) -> tuple[str, str] | None:
        """The two requests of a message that makes two ("two things - …, and also …"), or None.

        Announced ("two things", "2 qs"), any two requests count; otherwise only a message that starts with
        a request and asks another, for a different task ("topics on AI and also hybrid work" is one).
        """
        announced = TWO_ASKS.match(message)
        rest = message[announced.end() :] if announced else message
        if not (joined := SECOND_ASK.search(rest)) or joined.start() < 8:
            return None
        if not announced and not re.match(rf"\W*(?:(?:ok|okay|so|hi|hey|and)\W+)*{_ASKING}", rest, re.I):
            return None  # a story that mentions what else was promised, then asks once
        first, second = rest[: joined.start()].strip(" ,;-"), rest[joined.end() :].strip(" ,;-")
        state = self._state(caller, history)
        tasks = [
            self.understander.understand(part, state, caller.role, caller.known).intent
            for part in (first, second)
        ]
        if not all(task in self.tools.tools and self.tools.allowed(task, caller) for task in tasks) or (
            not announced and tasks[0] == tasks[1]
        ):
            return None
        return first, second

    def _before_rule(
        self, caller: Caller, on_rule: Understanding, history: list[Turn]
    ) -> tuple[str, State, Understanding] | None:
        """A follow-up that points past the last answer to a draft or advice before it, understood on that.

        "ok but what else could i say, the stuff u said before feels a bit cold" after advice and then a
        rule question asks for other advice, not another rule; "ok change it to 30 then" after a draft
        and then "wait is 20 min even allowed" changes the draft.
        """
        message = on_rule.text
        answers = [t for t in reversed(history) if t.role == "assistant" and t.payload is not None]
        drafted = next((t.task for t in answers[1:2] if t.task in DRAFTS), None)
        named = IN_THE_ANSWER.search(message.lower())
        if named:  # "add a closing bit to the agenda" after advice asked on the way: that agenda
            wanted = {"draft_message": DRAFTS, LISTED: ("agenda", "rotation")}.get(
                BACK_TOOLS[named.group(1)], (BACK_TOOLS[named.group(1)],)
            )
            tool: str | None = next((t.task for t in answers[1:] if t.task in wanted), None)  # however far
        elif (
            drafted
            and on_rule.intent == "edit"
            and (FOR_A_MESSAGE.search(message.lower()) or any(on_rule.slots.get(k) for k in DRAFT_CHANGES))
        ):
            tool = drafted
        elif (
            (on_rule.intent == "edit" or (on_rule.intent == "agenda" and MAKE_IT.match(message.lower())))
            and re.search(r"\b\d{2,3}\b", message)
            and any(t.task == "agenda" for t in answers[1:2])
        ):  # "ok put it back to 30 then" after an agenda and "is 20 min even allowed": that agenda's length
            tool = "agenda"
        elif on_rule.intent == "edit" and self._on_brief(message, history):
            tool = "brief"  # "make the brief shorter" after a question on it: that brief
        elif EARLIER.search(message.lower()):
            tool = next((t.task for t in answers[1:3] if t.task in EARLIER_TOOLS), None)
        elif re.match(
            r"\W*(?:(?:ok|okay|so|and|but|right)\W+)*(?:what )?if\b(?!\s+(?:i|we)\s+(?:want|wanted|need|"
            r"decide|would like|wanna|'d like)\s+to\b)",  # not "and if i want to make one private": a rule
            message.lower(),
        ):
            tool = next((t.task for t in answers[1:3] if t.task == "coach"), None)  # "ok and if he keeps…"
        else:
            return None
        if tool is None:
            return None
        state = self._state(caller, history, tool)
        if tool == "agenda" and (
            subject := (answers[0].payload or {}).get(STATE_KEY, {}).get("args", {}).get("focus")
        ):
            message = re.sub(  # "put 5 min for that at the end of the agenda" after notes on the reforecast
                r"\b(for|on|about) (?:that|it|this)\b", lambda m: f"{m.group(1)} {subject}", message, count=1
            )
        understood = self.understander.understand(message, state, caller.role, caller.known)
        if understood.intent in ("edit", "expand") or understood.intent == tool == "coach":
            return tool, state, understood  # "ok and if my manager keeps pushing": that advice, then
        return None

    @staticmethod
    def _on_brief(message: str, history: list[Turn]) -> bool:
        """Whether an edit is of the brief: it names it, or the last answer was a question on it."""
        if BRIEF_NAMED.search(message.lower()):
            return True
        last = next((t.payload for t in reversed(history) if t.role == "assistant" and t.payload), None)
        return last is not None and last.get(STATE_KEY, {}).get("on") == "brief"

    def _quoted(self, payload: dict[str, Any]) -> str:
        """The guideline passage a rule answer rests on, word for word, and where it is written."""
        cited = next((c for c in payload.get("citations", []) if c.get("kind") == "guideline"), None)
        if cited is None:
            return "That answer doesn't rest on a passage of the guidelines, so there is nothing to quote."
        question = (payload.get(STATE_KEY) or {}).get("args", {}).get("text", "")
        filters = {k: str(cited[k]) for k in ("source", "section") if cited.get(k)}
        found = self.guide.find_guidelines(question or str(cited.get("section")), k=1, **filters)
        if not found:
            return "I can't find that passage in the guidelines any more; ask the question again."
        quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in plain(found[0].text).splitlines())
        where = f"“{cited.get('section') or 'the start'}” in {cited.get('source')}"
        return f"Word for word, from {where}:\n\n{quoted}"

    @staticmethod
    def _leads(caller: Caller, agenda: dict[str, Any]) -> str:
        """Who leads each part of an agenda, by name ("you" for the asker)."""
        other = "executive" if caller.role == "mentor" else "mentor"
        who = {caller.role: "you", other: caller.partner or f"the {other}", "both": "both of you"}
        lines = [
            f"- **{i['title']}** ({i['minutes']} min): {who.get(i['lead'], i['lead'])}"
            for i in agenda["items"]
        ]
        return "Who leads each part:\n\n" + "\n".join(lines)

    def _call_for(
        self, caller: Caller, understood: Understanding, state: State | None = None
    ) -> dict[str, Any]:
        """The tool call an understanding asks for (an edit re-runs the previous call, changed)."""
        slots, intent = understood.slots, understood.intent
        if options := self._options(caller, understood, state):  # "who else could gareth work with?"
            return {"tool": "pairing", "args": options}
        if intent == "edit" and state is not None and state.task:
            if (
                slots.get("change") == "shorter"
                and state.task in ("topics", "coach")
                and (self._one_line.search(understood.text) or LESS_DETAIL.search(understood.text))
                and not slots.get("count")
            ):  # "one line each, please", "less detail": every item, each in a line
                return {"tool": state.task, "args": {**state.args, "one_line": True}, "change": "one_line"}
            call = {**self._edited(state, slots), "unchanged": dict(state.args), "was": state.said}
            if (call["tool"] == "brief" and call.get("change") == "focus") or (
                call["tool"] == "agenda"
                and call["args"].get("focus")
                and call.get("change") in ("focus", "swap")
            ):  # "the weight on the Leeds pilot", "his part on GDPR": a subject as the user wrote it
                call["args"]["focus"] = as_said(call["args"]["focus"], understood.text)
            return call
        if (
            intent == "coach"
            and slots.get("next")
            and state is not None
            and state.task == "coach"
            and coach.reaction(self.guide, understood.text)
            is None  # not "what if she asks again in front of…"
        ):
            return self._edited(state, {"change": "other"})  # "and if that doesn't work?"
        if intent in ("topics",):
            args: dict[str, Any] = {"focus": slots.get("focus")}
            if slots.get("count"):
                args["count"] = min(max(slots["count"], 1), 10)
            if slots.get("teacher") and caller.role in ("mentor", "executive"):  # "what should I teach him?"
                other = "executive" if caller.role == "mentor" else "mentor"
                args["teaches"] = caller.role if slots["teacher"] == "asker" else other
            return {"tool": "topics", "args": args}
        if intent == "agenda" and (outline := self._outline_args(caller, understood, state)):
            return {"tool": "agenda", "args": outline}  # "a structure for my 15 minutes on suppliers"
        if intent == "agenda":
            focus = slots.get("focus")
            args = {"focus": focus and as_said(focus, understood.text), "minutes": slots.get("minutes") or 45}
            if slots.get("part") and slots.get("focus"):  # "his 15 on supplier negotiations"
                args["part"] = slots["part"]
            elif slots.get("teacher") and slots.get("focus") and caller.role in ("mentor", "executive"):
                other = "executive" if caller.role == "mentor" else "mentor"  # "I'd like to understand X"
                args["part"] = caller.role if slots["teacher"] == "asker" else other
            if slots.get("count"):  # "agenda pls, 3 parts max"
                args["parts"] = min(max(slots["count"], 2), 8)
            if self._review.search(understood.text.lower()):  # "a look back at what we've done + next year"
                args |= {"review": True, "focus": None}
            elif subjects := self.understander.listed_subjects(understood.text):  # "pilot feedback + new
                covered = (args.get("focus") or "").lower()  # yr plans": a part each, bar its topic's
                args["added"] = [
                    {"title": p} for p in subjects if not (covered and (p in covered or covered in p))
                ]
                args["parts"] = args.get("parts") or 4 + len(args["added"])  # room for them: fewer of its own
            if own := slots.get(
                "side_part"
            ):  # "his 15 mins first pls": that side's part, its length and place
                args["timed"] = [{"part": own["side"], "minutes": own["minutes"]}]
                if args["minutes"] == own["minutes"]:  # "his 15 mins this time. agenda?": a session around it
                    args["minutes"] = 45
                args["swap"] = (own["first"] and own["side"] == "executive") or (
                    own["last"] and own["side"] == "mentor"
                )
            if caller.role in COORDINATION:  # a check-in call with the pair named, or just talked about
                args["names"] = slots.get("names") or self._named(caller, understood)
                args["focus"] = None  # its parts follow the pair's figures
            return {"tool": "agenda", "args": args}
        if intent in ("coach", "ask", "search_notes"):
            args = {"text": understood.text}
            if intent == "ask" and (passed_on := reported_question(understood.text)):
                args["text"] = passed_on  # "execs keep asking me how often to meet. what do i tell them"
            if slots.get("context") and intent == "ask":  # a follow-up read with its question, after it
                args["text"] = f"{understood.text} {slots['context']}"[:4000]  # what it asks leads
            elif slots.get("situation") and intent == "coach":  # "should I step in?" after figures, "what
                args["text"] = f"{understood.text} {plain(slots['situation'])}"[:4000]  # do I do" on a rule
            elif slots.get("context") and intent == "coach":  # "what if she gets annoyed?": that moment
                args["text"], args["whatif"] = slots["context"][-4000:], understood.text
            elif intent == "coach" and state is not None and state.task == "coach" and state.args.get("text"):
                args["earlier"] = state.args.get("earlier") or state.args["text"]  # "how do i ask to rebook"
            if intent == "search_notes" and slots.get("focus"):
                args["focus"] = slots["focus"]
            if intent == "search_notes" and slots.get("about") and slots["about"] != slots.get("focus"):
                args["about"] = slots["about"]
            if intent == "search_notes" and "since" in slots:  # the notes after those just shown, or the last
                args["text"] = (
                    f"what is new since {slots['since']}" if slots["since"] else "what did we do last time"
                )
            if intent == "search_notes" and slots.get("back"):  # "and the one before that?": the question
                args["text"] = slots.get("context") or args["text"]  # it follows, that many sessions back
                args["back"] = slots["back"]
            if intent == "search_notes" and caller.role in COORDINATION:  # what a pair shares with them
                args["names"] = slots.get("names") or self._named(caller, understood)
            if intent != "ask" and slots.get("count"):
                args["count"] = min(slots["count"], 10)
            return {"tool": intent, "args": args}
        if intent == "program_health":
            keys = (
                "anonymous",
                "paragraph",
                "short",
                "compare_days",
                "about",
                "month",
                "by_pair",
                "by_month",
                "by_role",
                "shared",
                "idle_days",
                "unplanned",
                "within_days",
                "since",
                "also",
            )
            args = {k: slots[k] for k in keys if slots.get(k)}
            if (not args or args.get("shared")) and (
                names := slots.get("names") or self._named(caller, understood)
            ):
                args["names"] = names  # "how are kai and helen doing?"
            return {"tool": intent, "args": args}
        if intent == "rotation" and slots.get("start"):  # "sketch the next cycle, starting mid jan"
            return {"tool": intent, "args": {"start": slots["start"]}}
        if intent == "rotation" and len(names := named_people(understood.text, caller.people)) == 2:
            return {"tool": intent, "args": {"names": names}}  # "would it be a waste to rotate them?"
        if (
            intent == "rotation"
            and state is not None
            and state.task == "rotation"
            and state.args.get("names")
            and re.search(r"\b(?:they|them|their|each|both)\b", understood.text.lower())
        ):  # "what would they each get from a new partner?": still that pair
            return {"tool": intent, "args": {"names": state.args["names"]}}
        if intent == "meeting_times":  # "she's 6 hours behind me, what time should we meet"
            return {"tool": intent, "args": {"ahead": slots["ahead"]} if "ahead" in slots else {}}
        if intent == "pairing" and slots.get("apart"):
            return {"tool": intent, "args": {"apart": [slots["apart"]]}, "change": "apart"}
        if intent == "pairing" and understood.slots.get("together"):  # "would kai + gareth make sense?"
            return {"tool": intent, "args": {"together": understood.slots["together"]}}
        if intent == "pairing" and (who := self._named(caller, understood)):  # "who do we match leo with?"
            who += named_beside(understood.text, caller.people)  # "mina and leo": someone without a profile
            return {"tool": intent, "args": {"who": who[:5]}}
        if intent == "pairing" and NEWCOMERS.search(understood.text.lower()):  # "2 new grads join in jan"
            return {"tool": intent, "args": {"newcomers": True}}
        if intent == "brief" and self._briefly.search(understood.text.lower()):
            return {
                "tool": "brief",
                "args": {"leave_out": SHORT_BRIEF},
            }  # "remind me briefly where we left things"
        if intent == "draft_message" and self._replying(understood, state):  # "draft my reply to him"
            assert state is not None
            args = {"kind": "reply", "question": state.args["text"]}
            if self._draft_kind(understood.text, ("reply",), "brief_words"):  # "a short reply"
                args["short"] = True
            elif WARM.search(understood.text):  # "make that into a reply to her, warm but noncommittal"
                args["warm"] = True
            if names := self._named(caller, understood):
                args["to"] = names[0].title()
            elif caller.partner and re.search(r"\b(?:him|her|them)\b", understood.text.lower()):
                args["to"] = caller.partner  # "put that in a friendly msg to him": the partner
            if forwarded(state.args["text"]) == state.args["text"] and not ANSWERS_SOMEONE.search(
                understood.text.lower()
            ):  # the asker's own question, passed on: "could u put that in a msg to him"
                args["own"] = True
            return {"tool": intent, "args": args}
        if intent == "draft_message" and (to := self._to_coordinator(caller, understood)):
            asked = state.args.get("text") if state is not None and state.task == "ask" else None
            says = [p for p in slots.get("says") or [] if not (asked and POINTS_BACK.search(p))]  # "abt it"
            if told := TOLD_THAT.search(understood.text):  # "… that we want to keep going", not the rule
                said = told.group("what").strip()
                says, asked = says or [f"{said[:1].upper()}{said[1:]}."], None
            if not says and (purpose := FOR_WHAT.search(understood.text)):  # "… to book the 3-way"
                said = purpose.group("what").strip()
                says = [
                    f"I'd like to {purpose.group('verb').lower()} {said}."
                    if purpose.group("to")
                    else f"A quick note about {said}."
                ]
            args = {"kind": "coordinator", "to": to, "question": asked, "says": says}
            return {"tool": intent, "args": args}  # "can u draft a msg to marisol asking abt it"
        if intent == "draft_message" and caller.role in COORDINATION:  # "draft a nudge to kai and helen"
            args = {"names": slots.get("names") or self._named(caller, understood)}
            if len(args["names"]) == 2 and (side := ONE_SIDE.search(understood.text.lower())):
                args["names"] = self._one_side(args["names"], side.group(1))  # "to the mentor in that pair"
            if not args["names"] and (listed := self._listed_pairs(understood, state)):
                args = {"pairs": listed}  # "write something I can send to those pairs": one note each
            elif (
                not args["names"]
                and WELCOMED.search(understood.text.lower())
                and not EVERYONE.search(understood.text.lower())
            ):  # "a welcome note for the new office joining in january": to the people joining
                args = {"everyone": "newcomers"}
            elif not args["names"] and (everyone := EVERYONE.search(understood.text.lower())):
                args = {"everyone": _audience(everyone.group(1) or "")}  # "write to all the mentors"
                about = re.search(
                    r"\b(?:about|(?:reminder|note|message|msg|email) (?:for|re))\s+([^.,;?!]+)",
                    understood.text,
                )  # "the reminder for the mid-cycle survey, goes to all 10 participants"
                said = re.search(r":\s*(\S.*)$", understood.text) or re.search(
                    r"\b(?:mentors|executives|execs|participants|users|everyone|everybody|pairs)\s+"
                    r"(?:that|to say(?: that)?|saying)\s+(\S.*)$",
                    understood.text,
                    re.I,
                )  # "a msg to all users: notes down sat 9-11", "a reminder to all the mentors that X"
                if said and not slots.get("says"):
                    point = said.group(1).strip().rstrip(".")
                    args["says"] = [point[:1].upper() + point[1:] + "."]
                elif about and not slots.get("says"):  # "a note to everyone about the showcase in march"
                    subject = about.group(1).strip()
                    if re.fullmatch(r"(?:it|that|this|them)", subject) and state is not None:  # the answer's
                        subject = self.lexicon.replies["answer_subjects"].get(state.task, subject)
                    args["says"] = [f"A quick note about {subject}."]
                if (due := DUE.search(understood.text)) and args.get("says"):  # "…, due friday 4 dec"
                    args["says"] = [*args["says"], f"It's due {due.group(1).strip()}."]
            if slots.get("says"):
                args["says"] = slots["says"]
            elif len(args.get("names", [])) in (1, 2) and (about := NOTE_ABOUT.search(understood.text)):
                args["says"] = [self.lexicon.points["wording"]["about"].format(about.group(1).strip())]
            if args.get("says") and args.get("names") and not CHECKING_IN.search(understood.text):
                args["plain"] = True  # "an invite for noor and ingrid to confirm their dates": only that
            if INTRODUCE.search(understood.text):  # "an intro email to leo and dana"
                args["introduce"] = True
            elif self._draft_kind(understood.text, ("pair_thanks",)):  # "say well done to noor and ingrid"
                args["thank"] = True
            elif not args.get("says") and self._draft_kind(understood.text, ("pair_reminder",)):
                args["remind"] = True  # "send sofia and gareth a reminder": of their next session
            return {"tool": "check_in", "args": args}
        if intent == "draft_message" and slots.get("plan") and state is not None and state.task == "agenda":
            return {"tool": intent, "args": self._plan(caller, state)}  # "can u send martin the plan"
        if intent == "draft_message" and slots.get("plan") and state is not None and state.task == "topics":
            titles = [item_title(item) for item in state.items]
            return {"tool": intent, "args": {"kind": "topics", "plan": titles}}  # "send him those"
        if intent == "draft_message" and (slot := _slot_picked(state, understood.text)):
            return {"tool": intent, "args": {"kind": "invite", "when": slot}}  # "suggest the tuesday slot"
        if intent == "draft_message":
            says = slots.get("says") or []  # "… asking whether two drivers would agree to be quoted"
            earlier = (
                state.args.get("text", "") if state is not None and state.task in ("coach", "ask") else ""
            )
            asked = SAYING.split(understood.text, maxsplit=1)[0] if says else understood.text
            kind = (  # "Draft it." after advice on "I have been very absent": the kind that asked for
                self._draft_kind(asked)  # "a note saying X and apologise for Y" is a note that says both
                or self._draft_kind(earlier)
                or ("note" if says else "invite")
            )  # a note: only that
            if (
                kind == "invite"
                and not says
                and not self._draft_kind(asked)
                and (about := NOTE_ABOUT.search(understood.text))
                and NOTE_SUBJECT.match(subject := about.group(1).strip())
            ):  # "a short note to Noor about the pilot feedback": a note on that, not a booking
                kind, says = "note", [self.lexicon.points["wording"]["about"].format(subject)]
            if kind == "apology" and self._draft_kind(earlier, ("breach",)):
                kind = "breach"  # "draft a short apology to her" after what was passed on: for that
            when = (  # "move thursday to friday"; "draft an invite, tues or wed morning"
                moved_to(understood.text)
                if kind == "reschedule"
                else days_proposed(understood.text)
                if kind == "invite"
                else None
            )
            says = [  # said once, as the new time; "asking for a regular slot" is what that kind says
                p
                for p in says
                if (not when or when.lower() not in p.lower()) and not self._only_the_kind(p, kind)
            ]
            args = {"kind": kind, "says": says} if says else {"kind": kind}
            if re.search(self.lexicon.points["length"], understood.text, re.I):  # "3-4 lines max"
                args["short"] = True
                args["plain"] = "plain" in self.lexicon.drafts[kind]  # fewer words, where it has them
            elif WARM.search(understood.text) and "warm" in self.lexicon.drafts[kind]:  # "a warm thank you"
                args["warm"] = True
            if when:
                args["when"] = when
            if kind == "invite" and 10 <= (slots.get("minutes") or 0) <= 180:  # "… 20 min every 2 weeks"
                args["minutes"] = slots["minutes"]
            return {"tool": intent, "args": args}
        return {"tool": intent, "args": {}}

    @staticmethod
    def _listed_pairs(understood: Understanding, state: State | None) -> list[list[str]]:
        """The pairs of the figures just shown, when a message points at them ("send those pairs a nudge")."""
        if state is None or state.task != "program_health":
            return []
        if not (those := THOSE_PAIRS.search(understood.text.lower())):
            return []
        kind = those.group("kind")  # "the stalled ones": those the figures call so, when any are
        listed = [i for i in state.items if kind and kind in i.lower()] or list(state.items)
        if (
            state.ref
            and 0 < state.ref <= len(state.items)
            and re.fullmatch(r"both of them|them", those.group(0))
        ):
            listed = [state.items[state.ref - 1]]  # "a check-in to both of them" after one pair, said more of
        named = (re.match(r"\*\*(\S+)[^*]* and (\S+)[^*]*\*\*", item) for item in listed)
        return [[m.group(1), m.group(2)] for m in named if m][:MANY_PAIRS]

    def _plan(self, caller: Caller, state: State) -> dict[str, Any]:
        """The agenda last shown, as a draft to the partner: its parts with their minutes and who leads."""
        other = "executive" if caller.role == "mentor" else "mentor"
        who = {caller.role: "me", other: caller.partner or f"the {other}", "both": "both of us"}
        shapes = {f"{i.title}: " for p in self.guide.knowledge.patterns for i in p.items}
        parts = []
        for item, minutes in zip(state.items, state.lengths, strict=False):
            title, lead = re.match(r"(.*) \((both|mentor|executive)\)$", item).groups()  # type: ignore[union-attr]
            title = next((title.removeprefix(s) for s in shapes if title.startswith(s)), title)  # the topic
            parts.append(f"{title}: {minutes} min, led by {who[lead]}")
        return {"kind": "agenda", "plan": parts, "minutes": sum(state.lengths) or None}

    def _options(
        self, caller: Caller, understood: Understanding, state: State | None
    ) -> dict[str, Any] | None:
        """One person's partners asked for, with whom to leave out; None when that is not what is asked.

        "who else could gareth work with?" after how Kai and Gareth would fit leaves out Kai; "who could
        priya mentor if martin steps back" leaves out Martin. After a complete matching, "any options
        besides dana?" is that matching with the two kept apart instead.
        """
        named = self._named(caller, understood)
        if (
            caller.role in COORDINATION
            and state is not None
            and state.task == "pairing"
            and (subject := state.args.get("options"))
            and len(named) == 1
            and named[0] != subject
            and len(understood.text.split()) <= 8
            and re.match(
                r"\W*(?:(?:and|so|ok|okay)\W+)*(?:what about|what happens to|how about|for)\b",
                understood.text,
                re.I,
            )
        ):  # "and what happens to rafael then" after amara's options: his, without her
            return {"options": named[0], "besides": [subject]}
        after = state.task if state is not None and understood.intent in ("edit", "expand") else None
        phrases = self.lexicon.other_partners
        if not (
            caller.role in COORDINATION
            and (understood.intent in ("pairing", "rotation") or after in ("pairing", "rotation"))
            and self._partners_asked.search(understood.text)
        ):
            return None
        besides = "|".join(re.escape(p) for p in phrases["besides"])
        left_out = [
            n for n in named if re.search(rf"\b(?:{besides})\s+{re.escape(n)}\b", understood.text, re.I)
        ]
        if len(named) == 2 and EACH_OF_THEM.search(understood.text):  # "if sofia and gareth dont renew, who
            return {"who": named, "apart": [named]}  # could each of them go with": both, not with each other
        subject = [  # "if amara and rafael can't get going, who could amara be matched with instead?"
            n
            for n in named
            if re.search(
                rf"\b(?:could|can|would|should|might|will|for|does|do)\s+{n}\b", understood.text, re.I
            )
        ]
        if len(named) == 2 and len(subject) == 1:
            return {"options": subject[0], "besides": [n for n in named if n != subject[0]]}
        asked = [n for n in named if n not in left_out]
        before = state.args if state is not None and state.task == "pairing" else {}
        if not asked and before.get("options"):  # "any option for him that isnt sofia"
            asked, left_out = [before["options"]], [*before.get("besides", []), *left_out]
        if len(asked) != 1 or understood.slots.get("apart"):
            return None
        if not (before.get("together") or before.get("options") or left_out):
            return None  # after a complete matching, "any options besides dana?" rematches it
        together = [n.lower() for n in (before.get("together") or [])]
        if asked[0] in together:  # after how two would fit: someone other than the one discussed
            left_out += [n for n in together if n != asked[0]]
        return {"options": asked[0], "besides": left_out}

    @staticmethod
    def _said_of(minutes: int, state: State | None) -> str | None:
        """What an item just shown gives those minutes to ("prepare 15 minutes on X"): "15 mins on that"."""
        for item in state.items if state is not None else ():
            if said := re.search(
                rf"\b{minutes}[- ]min(?:ute)?s?\s+(?:on|about|of)\s+(.+?)(?:\s*\(\w+\))?$", item
            ):
                return said.group(1).strip(" .")
        return None

    def _outline_args(
        self, caller: Caller, understood: Understanding, state: State | None = None
    ) -> dict[str, Any] | None:
        """An outline of one side's part, when a length shorter than any session is said of it."""
        slots, own = understood.slots, understood.slots.get("side_part")
        minutes = slots.get("minutes") or (own or {}).get("minutes")
        if (
            caller.role not in ("mentor", "executive")
            or not minutes
            or minutes >= SHORTEST_AGENDA
            or not (own or self._outline.search(understood.text.lower()))
            or (  # "want gareth to actually do his 15 mins this time. agenda?": the session, his part timed
                own
                and re.search(r"\bagenda\b", understood.text.lower())
                and not self._outline.search(understood.text.lower())
            )
        ):
            return None
        args = {
            "outline": True,
            "minutes": minutes,
            "focus": slots.get("focus") or self._said_of(minutes, state),
        }
        if own and own["side"] != caller.role:  # "outline his 15 minutes for him"
            args["part"] = own["side"]
        return args

    @staticmethod
    def _asked_back(history: list[Turn], question: str = "") -> str | None:
        """The request before the last answer, when that answer asked ``question`` back ("Which pair…").

        Without ``question``, whatever the last answer was: the caller knows it asked something back.
        """
        if len(history) >= 2 and history[-1].role == "assistant" and question in history[-1].content:
            return history[-2].content if history[-2].role == "user" else None
        return None

    @staticmethod
    def _named(caller: Caller, understood: Understanding) -> list[str]:
        """The people a message names, other than the caller, in the order it names them (two at most)."""
        me = caller.name.split()[0].lower()
        return [name for name in named_people(understood.text, caller.people) if name != me][:2]

    def _until(self, caller: Caller, slots: dict[str, Any]) -> int | None:
        """The minutes from the session's start (as said, or as planned) to the end said; kept in the slots.

        A time said without am or pm is the one nearest after the start ("2.40" after 14:00 is 14:40).
        """
        start = slots.get("from") or self._planned_start(caller)
        if start is None:
            return None
        begins = int(start[:2]) * 60 + int(start[3:])
        ends = int(slots["until"][:2]) * 60 + int(slots["until"][3:])
        while ends <= begins and ends < 24 * 60:
            ends += 12 * 60  # "we start 8:30, something at 9": 9 in the morning; "2.40" after 14:00
        minutes = ends - begins
        if not 10 <= minutes <= 180:
            return None
        slots["minutes"] = minutes
        return minutes

    def _starts(self, caller: Caller, status: str) -> list[dt.datetime]:
        """When the asker's pair's sessions of ``status`` start, each where it was planned."""
        if caller.pair_id is None:
            return []
        with self.guide.assistant.session(write=False) as session:
            return [
                sessions.local_start(m)
                for m in sessions.for_pair(session, caller.pair_id)
                if m.status == status
            ]

    def _last_held(self, caller: Caller) -> str | None:
        """The day of the pair's last session recorded as held ("19 November"), if any."""
        held = self._starts(caller, "held")
        return spoken_day(max(held).date()) if held else None

    def _planned_start(self, caller: Caller) -> str | None:
        """When the pair's next planned session starts ("14:00"), if one is planned."""
        coming = [start for start in self._starts(caller, "planned") if start.date() >= clock.today()]
        return f"{min(coming):%H:%M}" if coming else None

    def _named_before(self, caller: Caller, understood: Understanding, history: list[Turn]) -> list[str]:
        """The people a message names, or those of the asker's last recent message that named any.

        "how are kai and helen doing?" … "send them a nudge"; kept in the understanding's slots.
        """
        for text in [understood.text, *(t.content for t in reversed(history) if t.role == "user")][:4]:
            if names := self._named(caller, Understanding("", text=text)):
                understood.slots["names"] = names
                return names
        answers = [t for t in reversed(history) if t.role == "assistant" and t.payload is not None][:3]
        last = next(  # the pair just expanded on ("the 1st one, more"), else the last figures
            (t for t in answers[:1] if t.task == "expand" and BOLD_PAIR.match(t.content)),
            next((t for t in answers if t.task == "program_health"), answers[0] if answers else None),
        )
        if last is not None and last.task in ("program_health", "expand") and last.payload is not None:
            one = BOLD_PAIR.match(last.content)  # "the stalled one - what's on record?" … "draft something
            # to both of them": the pair just told about; else the one pair a list has
            items = [str(i) for i in last.payload.get("items", [])]
            asked = next(
                (t.content for t in reversed(history[: history.index(last)]) if t.role == "user"), ""
            )
            if len(items) > 1 and "stalled" in f"{asked} {understood.text}".lower():  # "any stalled pairs?" …
                data = last.payload.get("data") or {}  # … "check in on them", "a nudge to the stalled pair"
                shown = data.get("pairs", data)
                stalled = [pid for pid, d in shown.items() if d.get("cadence", {}).get("status") == "stalled"]
                items = [i for i in items if any(f"({pid})" in i for pid in stalled)]
            listed = [one] if one else [BOLD_PAIR.match(i) for i in items]
            if len(pairs := [m for m in listed if m]) == 1:  # "who hasn't met in a month?" … "nudge them"
                names = [pairs[0].group(1).lower(), pairs[0].group(2).lower()]
                understood.slots["names"] = names
                return names
        return []

    def _current_pairs(self) -> list[tuple[str, str]]:
        """Each current pair as its mentor's and executive's first names, lower-cased."""
        return [
            (p.mentor.name.split()[0].lower(), p.executive.name.split()[0].lower())
            for p in self.tools.coordinator.health().pairs
        ]

    def _one_side(self, names: list[str], side: str) -> list[str]:
        """The mentor or the executive of the pair these two names make (both, when they are no pair)."""
        for mentor, executive in self._current_pairs():
            if {mentor, executive} == set(names):
                return [mentor if side == "mentor" else executive]
        return names

    @staticmethod
    def _to_coordinator(caller: Caller, understood: Understanding) -> str | None:
        """The coordinator a member's message is to ("a msg to marisol", "email the coordinator")."""
        if caller.role in COORDINATION or not caller.coordinators:
            return None
        lower = understood.text.lower()
        names = "|".join(re.escape(n) for n in sorted(caller.coordinators))
        said = re.search(
            rf"\b(?:to|for|ask(?:ing)?|email|message|msg|ping|tell|write|drop|send|text)\s+(?:the\s+|our\s+|my\s+)?"
            rf"({names}|coordinator|program(?:me)? (?:team|lead|office))\b",
            lower,
        )
        if not said:  # "the 3 way check in w marisol, can u draft me a msg to her": she is named
            named = [n for n in caller.coordinators if re.search(rf"\b{re.escape(n)}\b", lower)]
            partner = caller.partner and re.search(rf"\b{re.escape(caller.partner.lower())}\b", lower)
            if (
                len(named) == 1
                and not partner
                and re.search(
                    r"\b(?:to|ask|invite|thank|remind|nudge|email|message|ping|tell) (?:her|him|them)\b",
                    lower,
                )
            ):  # "… a 3-way with marisol. can u help me ask her"
                return named[0].title()
            return None
        name = said.group(1)
        if name in caller.coordinators:
            return name.title()
        return next(iter(caller.coordinators)).title() if len(caller.coordinators) == 1 else None

    def _replying(self, understood: Understanding, state: State | None) -> bool:
        """Whether a draft asked for just after a rule answer is the reply that carries it.

        "ok can you draft a reply I can send back to her", "what do i tell him" after "can my EA sit in
        on sessions?"; a draft that names another kind ("draft an apology") is that kind.
        """
        return (
            state is not None
            and state.task == "ask"
            and bool(state.args.get("text"))
            and self._draft_kind(understood.text, ("reply",)) is not None
            and self._draft_kind(understood.text) is None
        )

    def _draft_kind(
        self, text: str, kinds: tuple[str, ...] = PARTNER_DRAFTS, words: str = "words"
    ) -> str | None:
        """The kind of message (of ``kinds``) a request names by its words ("sorry", "reschedule"), if any."""
        lower = text.lower()
        drafts = self.lexicon.drafts
        return next((kind for kind in kinds if any(w in lower for w in drafts[kind][words])), None)

    def _only_the_kind(self, point: str, kind: str) -> bool:
        """Whether a point says nothing but what its kind of message says ("asking for a regular slot")."""
        lower = point.lower()
        worded = {
            w for t in self.lexicon.points["wording"].values() for w in re.findall(r"[a-z]+", t.lower())
        }
        for words in self.lexicon.drafts[kind]["words"]:
            if words in lower:
                return not set(re.findall(r"[a-z0-9]+", lower.replace(words, " "))) - worded - STOPWORDS
        return False

    def _nearest(self, what: str, texts: list[str]) -> int | None:
        """The text clearly nearest in meaning to ``what`` ("the apology": "Sorry for last time."), if any."""
        if not texts:
            return None
        scores = self.guide.embed_cached(texts) @ self.guide.embed_cached([what])[0]
        ranked = sorted(range(len(texts)), key=lambda i: -scores[i])
        best = float(scores[ranked[0]])
        runner_up = float(scores[ranked[1]]) if len(ranked) > 1 else -1.0
        return ranked[0] if best >= NEAR_ENOUGH and best - runner_up >= NEAR_MARGIN else None

    def _edited(self, state: State, slots: dict[str, Any]) -> dict[str, Any]:
        args = dict(state.args)
        tool = state.task or ""
        # "put my part first" changes the agenda's order, not its parts: the two led parts swap places
        change = "swap" if tool == "agenda" and slots.get("order") else slots.get("change")
        if tool == "draft_message" and slots.get("when"):  # "wait hes away xmas week, say early jan instead"
            when = slots["when"]
            if re.fullmatch(r"the \d{1,2}(?:st|nd|rd|th)", when) and (
                month := re.search(rf"\b({'|'.join(MONTHS)})\b", str(args.get("when", "")), re.I)
            ):  # "say the 8th" after "… to January": the 8th of January
                when = f"{when} of {month.group(1).capitalize()}"
            return {"tool": tool, "args": {**args, "when": when}, "change": "when"}
        if tool in DRAFTS and slots.get("cc"):  # "cc marisol": copied in, once
            copied = [c for c in args.get("cc", []) if c.lower() != slots["cc"].lower()]
            return {"tool": tool, "args": {**args, "cc": [*copied, slots["cc"]][-4:]}, "change": "cc"}
        if tool in DRAFTS and slots.get("greeting"):  # "start it with 'Hi Sam'"
            member = [n for n in args.get("names", []) if f"hi {n.lower()}" == slots["greeting"].lower()]
            if (
                tool == "check_in" and len(args.get("names", [])) == 2 and member
            ):  # "address it to helen only"
                return {"tool": tool, "args": {**args, "names": member}, "change": "addressee"}
            return {"tool": tool, "args": {**args, "greeting": slots["greeting"]}, "change": "greeting"}
        if tool in DRAFTS and (slots.get("unsay") or slots.get("sentence")):
            unsaid = _unsaid(args, slots, state.said, self._nearest)
            if (
                change == "shorter"
            ):  # "too long, and dont mention october": shorter, whether it said that or not
                unsaid = {
                    "args": {**unsaid["args"], "short": True},
                    "change": unsaid.get("change", "shorter"),
                }
            return {"tool": tool, **unsaid}
        if (
            slots.get("warmer")
            and tool == "draft_message"
            and "warm" in self.lexicon.drafts[args.get("kind", "invite")]
        ):  # "make it warmer": the same message said with more warmth
            return {"tool": tool, "args": {**args, "warm": True, "plain": False}, "change": "warmer"}
        if slots.get("tone") and slots.get("lighter") and tool == "draft_message":  # "tone down the apology"
            said = [*args.get("says", []), *slots.get("says", [])]
            args = {**args, "plain": True, "says": said, **({"short": True} if change == "shorter" else {})}
            return {"tool": tool, "args": args, "change": "lighter"}
        if slots.get("tone"):  # the same answer: its wording is fixed offline (said in the reply)
            return {"tool": tool, "args": args, "change": "tone"}
        if tool == "agenda" and slots.get("move"):  # "put the open floor last"
            move, titles = (
                slots["move"],
                [item_title(i) for i in state.items],
            )
            missing = [move[k] for k in ("part", "before", "after") if move.get(k) and move[k] not in titles]
            if missing and not slots.get("minutes"):
                refused = f"This agenda has no part called “{missing[0]}”, so nothing was moved."
                return {"tool": tool, "args": args, "refused": f"{refused} Here it is as it was."}
            if not missing:
                args["moves"] = [*args.get("moves", []), move]
            if slots.get("minutes"):  # "Forty minutes, and start with X": the length too (alone, lacking X)
                args["minutes"] = slots["minutes"]
            return {"tool": tool, "args": args, "change": "minutes" if missing else "move"}
        if tool == "agenda" and slots.get("add"):  # "after his bit can we check how the quiet hours went"
            args["added"] = [*args.get("added", []), slots["add"]]
            return {"tool": tool, "args": args, "change": "added"}
        if tool == "topics" and slots.get("missing"):  # "swap the linkedin one", when none is about it
            done = "replaced" if slots.get("change") == "swap" else "left out"
            refused = f"None of these topics is about {slots['missing']}, so nothing was {done}."
            return {"tool": tool, "args": args, "refused": f"{refused} Here they are as they were."}
        if tool == "agenda" and slots.get("missing"):  # "X instead of the linkedin bit", which it lacks
            refused = f"This agenda has no {slots['missing']} part, so nothing was replaced."
            ask = f"Say whose part should take it (“put {slots['focus']} in my part”) and I'll put it there."
            return {"tool": tool, "args": args, "refused": f"{refused} {ask} Here it is as it was."}
        if tool == "rotation" and args.get("start") and (slots.get("start") or slots.get("skip")):
            if slots.get("start"):  # "push everything back 2 weeks": the calendar from another kickoff
                return {"tool": tool, "args": {**args, "start": slots["start"]}, "change": "start"}
            skipped = [*args.get("skip", []), slots["skip"]]  # "drop the survey"
            return {"tool": tool, "args": {**args, "skip": skipped}, "change": "skip"}
        if tool in ("agenda", "topics") and "restore" in slots:  # "put linkedin back in"
            return self._restored(tool, args, slots["restore"])
        if slots.get("unsupported"):  # a change no rule knows: the same answer, and what can change
            return {"tool": tool, "args": args, "change": "unsupported"}
        if tool == "rotation" and slots.get("renew") and args.get("names"):  # "he wants to keep going"
            return {"tool": tool, "args": {**args, "renew": True}, "change": "renew"}
        if tool in DRAFTS and slots.get("says"):  # "mention we could do 30 min": added to it
            kept = [] if slots.get("instead") else args.get("says", [])  # "make it about X instead": only X
            args["says"] = [*kept, *slots["says"]][-6:]
            if 10 <= (slots.get("minutes") or 0) <= 180:  # "put in 30 min every 2 wks": its length
                args["minutes"] = slots["minutes"]
            return {"tool": tool, "args": args, "change": "resaid" if slots.get("instead") else "says"}
        if tool == "draft_message" and change == "minutes" and 10 <= (slots.get("minutes") or 0) <= 180:
            return {"tool": tool, "args": {**args, "minutes": slots["minutes"]}, "change": "minutes"}
        if (
            tool == "draft_message"
            and args.get("plan")
            and slots.get("count")
            and change in ("shorter", "count")
        ):
            plan = args["plan"][: slots["count"]]  # "cut it to 2 qs": the first two of what it lists
            return {"tool": tool, "args": {**args, "plan": plan}, "change": "count"}
        if tool in DRAFTS and change == "drop" and not args.get("short"):  # "dont need the whole history"
            return {"tool": tool, "args": {**args, "short": True}, "change": "shorter"}  # its short form
        if tool in DRAFTS and change not in ("shorter", "longer"):
            return {"tool": tool, "args": args, "change": change}  # one wording offline (said)
        if (
            change == "other"
            and tool in FIXED_LAYOUT
            and not any(slots.get(k) is not None for k in VIEW_CHANGES)
        ):
            return {"tool": tool, "args": args, "change": "layout"}
        if tool in (*DRAFTS, "rotation", "program_health", "pairing") and change in ("shorter", "longer"):
            args["short"] = change == "shorter"
            if slots.get("paragraph"):  # "ok, one para for the report"
                args["paragraph"] = True
        elif change in ("shorter", "longer", "other") and tool == "ask":  # more of the passage, or less
            args["detail"] = change != "shorter"  # "put it another way": offline, more of what they say
            args["brief"] = change == "shorter"  # "just yes or no": the sentence that answers
        elif change in ("shorter", "fewer") and tool == "brief":  # "shorter pls, I only have 5 min"
            args["leave_out"] = SHORT_BRIEF
        elif change == "minutes" and slots.get("part"):  # "give the budget bit 20 mins"
            timed = [t for t in args.get("timed", []) if t["part"] != slots["part"]]
            args["timed"], change = [*timed, {"part": slots["part"], "minutes": slots["minutes"]}], "timed"
        elif change == "minutes":
            args["minutes"] = slots["minutes"]
            if sum(t["minutes"] for t in args.get("timed", [])) > slots["minutes"] - SHORTEST_PARTS:
                args.pop("timed", None)  # a new length too short for the parts timed: all shared out again
        elif change == "count" and tool == "agenda" and slots.get("count"):  # "three items max"
            args["parts"] = min(max(slots["count"], 2), 8)
        elif tool == "search_notes" and slots.get("dates"):  # "just the date pls"
            args["dates"] = True
        elif change in ("shorter", "longer") or (change == "fewer" and tool == "agenda"):
            step = 15 if change == "longer" else -15
            if tool == "agenda":
                args["minutes"] = int(args.get("minutes", 45)) + step
            elif tool in ("topics", "coach", "search_notes"):  # "in 3 bullets": three of them
                shown = len(state.items) if change == "shorter" and tool == "coach" else 0  # fewer than shown
                args["count"] = slots.get("count") or max(
                    1, int(shown or args.get("count") or (5 if tool == "topics" else 4)) + step // 15 * 2
                )
        elif change == "other" and tool == "search_notes":  # "anything else in the notes?": the next ones
            args["count"] = min(10, max(len(state.items), int(args.get("count") or 4)) + 3)
        elif change == "count" and tool in ("topics", "coach", "search_notes", "program_health", "pairing"):
            args["count"] = slots["count"]
            if tool == "program_health" and slots.get("short"):  # "3 bullets": the 3 most urgent, a line each
                args["short"] = True
        elif tool == "pairing" and change == "focus" and slots.get("focus"):  # "someone from finance instead"
            person = args.get("options") or next(iter(args.get("who") or []), None)
            args, change = (
                {"department": slots["focus"], **({"options": person} if person else {})},
                "department",
            )
        elif tool == "pairing" and slots.get("apart"):  # "someone other than leo for helen"
            args["apart"], change = [*args.get("apart", []), slots["apart"]], "apart"
        elif tool == "pairing" and (
            slots.get("kept") or slots.get("kept_current")
        ):  # "helen's staying with kai"
            split = [{n.lower() for n in pair} for pair in args.get("apart", [])]
            current = [list(pair) for pair in self._current_pairs()]  # "keep the pairs that are working…"
            staying = (
                [p for p in current if set(p) not in split] if slots.get("kept_current") else [slots["kept"]]
            )
            args["kept"], change = [*args.get("kept", []), *staying], "kept"
            for one_person in ("options", "together"):  # a whole matching now, not one person's partners
                args.pop(one_person, None)
        elif slots.get("by_pair"):  # "can u break it down by pair": a month's sessions, pair by pair
            args |= {"about": "sessions", "by_pair": True}
        elif tool == "program_health" and slots.get("also"):  # "add the pulse scores": after these
            args["also"], change = [*args.get("also", []), slots["also"]], "also"
        elif tool == "program_health" and slots.get("month"):  # "october then": that month, the same way
            args = {k: v for k, v in args.items() if k not in ("since", "by_month")} | {
                "month": slots["month"]
            }
            change = "month"
        elif tool == "program_health" and slots.get("since"):  # "vs october?": month by month from then
            args, change = {"about": "sessions", "since": slots["since"], "by_month": True}, "month"
        elif (slots.get("by_month") or slots.get("by_role") is False) and args.get("about") == "feedback":
            args.pop("by_role", None)  # "just the overall then", "and by month?": the pulse by month
        elif slots.get("by_month"):  # "can u split it by month": the same months, one line each
            args |= {"about": "sessions", "by_month": True}
        elif slots.get("anonymous") is False:  # "and with names"
            args.pop("anonymous", None)
            change = "named"
        elif slots.get("anonymous") or slots.get("paragraph"):  # "as a paragraph for the board, no names"
            args |= {k: True for k in ("anonymous", "paragraph") if slots.get(k)}
        elif change == "compare":  # "and compared with last month?"
            args["compare_days"] = slots["compare_days"]
        elif change == "other" and tool == "coach":  # "any other approaches?": the steps not shown yet
            args["count"] = 10
            args["leave_out"] = [*args.get("leave_out", []), *state.items]  # and those shown before
        elif change == "other" and tool == "agenda":  # "a different agenda": other topics in it
            args["exclude"] = [*args.get("exclude", []), *state.items]
        elif change == "other" and tool == "topics":
            args["exclude"] = [*args.get("exclude", []), *[i for i in state_items(state)]]
        elif change == "fewer" and tool in ("topics", "coach", "search_notes"):
            args["count"] = max(1, (len(state.items) or 4) - 2)
        elif change == "focus" and tool == "program_health":  # "focus that on cancellations": those pairs
            args.pop("leave_out", None)
            args["keep"] = slots["focus"]
        elif change == "focus" and tool == "search_notes":  # "same but for the town hall": that, not both
            args["text"] = args["focus"] = slots["focus"]
        elif change == "focus":
            args["focus"] = slots["focus"]
        elif change == "drop" and tool == "agenda":
            part = slots.get("part", "")
            place = next((n for n, said in self._parts_by_place.items() if said.search(part.lower())), "")
            if state.items and place:  # "take out the icebreaker", "lose the wrap-up": the opening or closing
                part = item_title(state.items[0 if place == "first" else -1])
            args["drop"] = [*args.get("drop", []), part]
        elif change == "drop" and tool == "search_notes" and slots.get("keep") == "my actions":  # "only mine"
            args["keep"] = slots["keep"]  # the asker's own action lines (applied in _run)
        elif change == "drop" and tool == "search_notes" and slots.get("keep"):  # "only the open ones"
            args["text"] = f"{args.get('text', '')} {slots['keep']}".strip()
        elif change == "drop" and slots.get("keep"):  # "just the open actions" (applied in _run)
            args.pop("leave_out", None)
            args["keep"] = slots["keep"]
        elif change == "drop":  # "without the AI one", "drop the second one"
            ref = slots.get("ref")
            if tool == "search_notes" and not ORDINAL_ITEM.search(slots.get("part", "")):
                ref = None  # "leave out the linkedin item": the lines on it, wherever they are
            part = state.items[ref - 1] if ref and 0 < ref <= len(state.items) else slots.get("part", "")
            args.pop("keep", None)
            args["leave_out"] = [*args.get("leave_out", []), part]
        elif (
            change == "swap"
            and tool == "topics"
            and slots.get("ref")
            and 0 < slots["ref"] <= len(state.items)
        ):
            args["exclude"] = [*args.get("exclude", []), state.items[slots["ref"] - 1]]
            args["count"] = len(state.items)  # the others stay; that one is replaced
            if slots.get("focus"):  # "swap the 2nd for sth on capex": the new one is on that
                args["focus"] = slots["focus"]
            elif slots.get("unfocus"):  # "replace the Power BI one": the subject asked for is what goes
                args.pop("focus", None)
            return {"tool": tool, "args": args, "change": change, "before": state.items, "base": state.args}
        elif change == "swap" and tool == "coach" and 0 < (slots.get("ref") or 0) <= len(state.items):
            args["leave_out"] = [*args.get("leave_out", []), state.items[slots["ref"] - 1]]
            args["count"] = len(state.items) + 1  # one step not shown yet takes its place
        elif change == "swap" and tool == "topics" and slots.get("focus"):  # which one unsaid: refocused
            args["focus"], change = slots["focus"], "focus"
        elif change == "swap" and tool == "agenda" and slots.get("order"):  # "his bit first"
            if _already(state.items, slots.get("side"), slots.get("to")):
                where = "first" if slots["to"] == "start" else "last"
                whose = "Your" if slots["side"] == state.role else f"The {slots['side']}'s"
                kept = f"{whose} part already comes {where}, so the agenda is as it was."
                return {"tool": tool, "args": args, "refused": kept}
            args["swap"], change = not args.get("swap", False), "order"
        elif change == "swap" and slots.get("focus"):
            args["focus"] = slots["focus"]  # "can her part be about X": the agenda rebuilt around X
            if tool == "agenda" and slots.get("part"):
                args["part"] = slots["part"]  # her part, on X in her words when no topic covers it
        elif change == "swap" and tool == "agenda" and 0 < (slots.get("ref") or 0) <= len(state.items):
            args["exclude"] = [
                *args.get("exclude", []),
                state.items[slots["ref"] - 1],
            ]  # "switch out the 1st"
        elif change == "swap" and tool == "agenda":  # "swap the two parts": their order
            args["swap"], change = not args.get("swap", False), "order"
        elif change == "swap" and tool == "topics":  # which one, and for what, unsaid: other ideas
            args["exclude"], change = [*args.get("exclude", []), *state.items], "other"
        if slots.get("count") and tool in ("topics", "coach", "search_notes"):
            args["count"] = slots["count"]  # "shorter, 3 max": the number said wins
        return {"tool": tool, "args": args, "change": change, "before": state.items}

    def _run(self, reply: Reply, caller: Caller, call: dict[str, Any], understood: Understanding) -> Reply:
        tool = call["tool"]
        spec = self.tools.tools[tool]
        if spec.lacks_pair(caller):
            reply.task = "clarify" if caller.pair_ids else tool
            reply.message = (
                replies.say(self.lexicon.replies["which_pair"], options=", ".join(caller.pair_ids))
                if caller.pair_ids
                else replies.say(
                    self.lexicon.replies["no_pair_staff" if caller.role in STAFF_ROLES else "no_pair"],
                    intro=replies.intro(self.lexicon, caller.role, None),
                )
            )
            return reply
        args, note = _in_range(tool, dict(call["args"]))
        shown = {k: args.pop(k) for k in TRIMS if k in args}  # what the answer shows, not the tool's input
        try:
            result = (self._in_place(caller, call, args) if "base" in call else None) or self.tools.call(
                tool, caller, args
            )
        except InvalidInput as exc:
            if "unchanged" not in call:  # a request that can't be met ("a check-in to leo and dana"): said so
                reply.task, reply.message = tool, str(exc)
                return reply
            kept = {"tool": tool, "args": call["unchanged"], "refused": f"{exc} Here it is as it was."}
            return self._run(reply, caller, kept, understood)
        result, sections, trimmed = replies.trim(
            tool,
            result,
            self.lexicon,
            shown.get("leave_out", []),
            shown.get("keep"),
            (caller.name.split()[0] if caller.name else "", caller.partner),
        )
        changed = (  # "just digital tools" after the self-ratings: that line, or said it isn't there
            trimmed
            if (call.get("change") == "drop" and tool != "agenda")
            or (call.get("change") == "focus" and args.get("about") == "ratings")
            else None
        )
        if changed and understood.slots.get("done") and changed.startswith("I left out"):  # "I checked it"
            changed = (
                f"Good, that's done, so {changed[:-1]} from the open actions. "
                "Tick it off in your next session note so it closes for you both."
            )
        if (
            tool == "agenda"
            and call.get("change") in ("focus", "swap", None)
            and args.get("focus")
            and not args.get("outline")  # one side's part is about what they said, whatever the catalog has
        ):
            changed = self._unmatched(
                as_said(args["focus"], understood.text),
                replies.items(tool, result.model_dump(mode="json")),
                "your part" if args.get("part") == caller.role else _leader(result, args["focus"]),
            )
        if (
            tool in DRAFTS
            and call.get("change") in ("shorter", "drop")
            and (call.get("unchanged", {}).get("short") or getattr(result, "body", None) == call.get("was"))
        ):
            changed = (  # "shorter still" after the short version: nothing more to cut offline
                "This is as short as I can make it without a language model: the greeting, the main "
                "paragraph and the sign-off. Trim it further as you like before sending."
            )
        parts = len(replies.items(tool, result.model_dump(mode="json")))
        if tool == "agenda" and call.get("change") == "count" and parts < (args.get("parts") or 0):
            changed = (  # "add one more part": as many as the session's length allows
                f"A {args.get('minutes', 45)}-minute agenda has room for {parts} parts; for more, ask for a "
                "longer session."
            )
        if (
            tool == "search_notes"
            and call.get("change") == "other"
            and replies.items(tool, result.model_dump(mode="json")) == list(call.get("before", []))
        ):
            changed = "That is everything your notes have on this."  # nothing more to show
        if (
            tool == "search_notes"
            and call.get("change") in ("count", "shorter", "fewer")
            and parts < (args.get("count") or 0)
        ):
            changed = (  # "is that the only one?", "shorter" of one note: as many as there are
                "That is the only note that matches." if parts == 1 else f"Only {parts} notes match."
            )
        if (
            tool == "coach"
            and call.get("change") == "other"
            and trimmed
            and trimmed.startswith("That was everything")
        ):
            changed = self.lexicon.replies["coach_exhausted"]  # "ok what else" after every step: said so
        if understood.slots.get("stated") and call.get("change") == "other" and tool in STATED_OTHER:
            changed = changed or self.lexicon.replies["stated"]  # "she responds to data not feelings"
        if (
            isinstance(result, TopicsResult)
            and call.get("change") == "swap"
            and args.get("focus")
            and any(NO_TOPIC_ON.format(args["focus"]) in t.why for t in result.topics)
        ):  # "something on the reforecast instead" with no such topic: said so, not "one on reforecast"
            shown["unmatched"] = True
        unsaid = getattr(result, "abstained", False)  # nothing more to say than "not covered"
        intro = (
            call.get("refused")
            or note
            or changed
            or (self.lexicon.replies["unsent"] if understood.slots.get("unsent") else None)
            or (None if unsaid else _changed(call.get("change"), {**args, **shown}, tool, understood.text))
        )
        sources = citations_text(result)
        reply.task = tool
        reply.message = prose(
            result, intro if tool == "topics" else None, sections, bool(shown.get("one_line"))
        )
        if intro and tool != "topics":
            reply.message = f"{intro}\n\n{reply.message}"
        if (
            isinstance(result, CoachResult)
            and understood.intent == "coach"
            and self.understander.asks_wording(understood.text)
            and (say := next((s.say for s in result.steps if s.say), None))
        ):  # "and an opening line that doesnt put gareth on the spot": the words first
            reply.message = f"You could open with: “{say}”\n\n{reply.message}"
        if sources and tool != "brief":  # the brief lists its own sources
            reply.message += f"\n\n**Sources:**\n{sources}"
        reply.payload = result.model_dump(mode="json")
        reply.citations = [c.model_dump() for c in result.citations]
        reply.mode = result.mode
        reply.fallback_reason = result.fallback_reason
        reply.call = {"tool": tool, "args": {**args, **shown}}
        asked_of = (
            understood.slots.get("task")
            if understood.intent == "expand" or understood.slots.get("asked")
            else None
        )
        if asked_of == "brief" and tool != "brief":  # "how long was that meant to be" on a brief, answered
            reply.call["on"] = "brief"  # from the notes: "shorter" next shortens the brief
        if call.get("change") == "swap":  # "elaborate on that one" after a swap: the item brought in
            brought = [
                n
                for n, t in enumerate(replies.items(tool, reply.payload), 1)
                if t not in call.get("before", ())
            ]
            if len(brought) == 1:
                reply.call["ref"] = brought[0]
        reply.suggestions = self._suggestions(tool, caller)
        return reply

    @staticmethod
    def _restored(tool: str, args: dict[str, Any], wanted: str) -> dict[str, Any]:
        """A part left out earlier put back: the last one left out, or the one named; else made the focus."""
        key = "drop" if tool == "agenda" else "leave_out"
        gone = list(args.get(key, []))
        words = set(re.findall(r"[a-z&+]{3,}", wanted.lower()))
        named = [p for p in gone if words & set(re.findall(r"[a-z&+]{3,}", p.lower()))]
        back = named if words else gone[-1:]  # "put it back": the last one left out
        if back:
            return {
                "tool": tool,
                "args": {**args, key: [p for p in gone if p not in back]},
                "change": "restored",
            }
        if not words:
            return {"tool": tool, "args": args, "refused": "Nothing was left out, so here it is as it was."}
        return {"tool": tool, "args": {**args, "focus": wanted}, "change": "focus"}

    def _unmatched(self, focus: str, titles: list[str], part: str) -> str | None:
        """What to say when no topic of an agenda rebuilt around ``focus`` is about it."""
        shown = {t.id for t in self.guide.knowledge.topics if any(t.title in title for title in titles)}
        if Focus.of(self.guide, focus, shown).matched:
            return None
        if any(f": {focus.lower()}" in title.lower() for title in titles):  # a part took it as said
            return f"No session topic in the catalog is about “{focus}”, so {part} is on it as you said."
        return f"I have no session topic on “{focus}”, so the agenda keeps the topics that fit you best."

    def _in_place(self, caller: Caller, call: dict[str, Any], args: dict[str, Any]) -> TopicsResult | None:
        """For "replace the 2nd with X": the earlier list as it was, one new topic where that one stood.

        None when that list can't be had again (the program changed meanwhile): the re-ranked one stands.
        """
        before: tuple[str, ...] = call["before"]
        earlier = self.tools.call("topics", caller, {k: v for k, v in call["base"].items() if k not in TRIMS})
        gone = [*args.get("exclude", []), *before, *call["base"].get("leave_out", [])]  # shown or set aside
        one = self.tools.call("topics", caller, {**args, "exclude": gone, "count": 1})
        if not isinstance(earlier, TopicsResult) or not isinstance(one, TopicsResult) or not one.topics:
            return None
        shown = [t for t in earlier.topics if t.title in before]  # less any left out since
        if [t.title for t in shown] != list(before):
            return None
        at = before.index(args["exclude"][-1])
        topics = [*shown[:at], one.topics[0], *shown[at + 1 :]]
        cited = [*earlier.citations, *(c for c in one.citations if c not in earlier.citations)]
        return earlier.model_copy(update={"topics": topics, "citations": cited})

    def _expand(
        self,
        reply: Reply,
        caller: Caller,
        history: list[Turn],
        understood: Understanding,
        tool: str | None = None,
    ) -> Reply:
        """More about one item of the last answer (of ``tool``: "going back to your advice, point 2")."""
        last = next(
            (
                t
                for t in reversed(history)
                if t.role == "assistant" and t.payload is not None and t.task and tool in (None, t.task)
            ),
            None,
        )
        if last is not None and last.task == "expand" and last.payload is not None:
            last = Turn("assistant", "", (last.payload.get(STATE_KEY) or {}).get("tool"), last.payload)
        if last is None or last.payload is None or last.task is None:
            state = self._state(caller, history)
            if not state.task:
                reply.message = "Which answer do you mean? I don't have an earlier list in this conversation."
                return reply
            result = self.tools.call(state.task, caller, state.args)
            last = Turn("assistant", "", state.task, result.model_dump(mode="json"))
        assert last.payload is not None and last.task is not None
        if understood.slots.get("summary") and last.payload.get("summary"):  # "how many times this year?"
            reply.task = "expand"
            reply.message = str(last.payload["summary"])
            return reply
        if last.task == "program_health" and understood.slots.get("quotable"):
            reply.task = "expand"  # "can i quote that to leadership or is the group too small"
            reply.message = replies.quotable(self.lexicon, last.payload)
            return reply
        if last.task == "program_health" and (month := understood.slots.get("left_out")):
            reply.task = "expand"  # "why is September missing?" after the pulse by month, or the report
            about = (last.payload.get(STATE_KEY) or {}).get("args", {}).get("about")
            pulse = (  # the report says only the latest months: the pulse by month says why not the others
                last.payload
                if about == "feedback"
                else self.tools.call("program_health", caller, {"about": "feedback"}).model_dump(mode="json")
            )
            reply.message = replies.left_out(self.lexicon, pulse, month)
            return reply
        if last.task == "ask" and (asked := understood.slots.keys() & {"verdict", "opinion"}):
            reply.task = "expand"  # "so is that a yes or a no", "what would you suggest I tell her?"
            elsewhere = understood.slots.get("opinion") == "elsewhere"  # "what do other programmes do?"
            reply.message = replies.verdict(self.lexicon, last.payload, asked.pop(), elsewhere)
            return reply
        if last.task == "ask" and understood.slots.get("quote"):  # "can u quote the actual bit"
            reply.task = "expand"
            reply.message = self._quoted(last.payload)
            return reply
        if last.task == "ask" and not understood.slots.get("sources"):  # "explain the second part"
            previous = last.payload.get(STATE_KEY) or {"tool": "ask", "args": {}}
            args = {**previous["args"], "detail": True}
            return self._run(reply, caller, {"tool": "ask", "args": args, "change": "longer"}, understood)
        reply.task = "expand"
        if last.task == "agenda" and understood.slots.get("leads"):  # "who leads which part?"
            reply.message = self._leads(caller, last.payload)
            return reply
        if last.task == "agenda" and (which := understood.slots.get("which")):  # "which part is the X?"
            found = replies.part_with(last.payload, which)
            if found is None:
                reply.message = f"No part of this agenda mentions {as_said(which, understood.text)}."
                return reply
            understood.slots["ref"] = found
        ref = int(understood.slots["ref"])
        if understood.slots.get("disputed"):  # "that's not right, we met last week"
            said = replies.expand(last.task, last.payload, ref, *self._notes_read(caller, last), sources=True)
            held = self._last_held(caller) if MET.search(understood.text.lower()) else None
            disputed = "disputed_met" if held else "disputed_rule" if last.task == "ask" else "disputed"
            reply.message = replies.say(self.lexicon.replies[disputed], held=held, behind=said)
            return reply
        if last.task == "search_notes" and (kind := understood.slots.get("shown")):  # "whose is that?"
            reply.message = replies.shown(kind, last.payload, ref, caller.name.split()[0])
        elif last.task == "coach" and understood.slots.get("wording"):  # "a line i could literally say"
            reply.message = replies.words_for(last.payload, ref)
        elif (
            last.task == "topics"
            and (named := understood.slots.get("named"))
            and not replies.about_any(last.task, last.payload, named)
        ):  # "the slack one" when none is about Slack: said, not the first one shown as if it were
            reply.message = replies.none_about(named, understood.text)
            return reply
        elif (
            last.task == "brief"
            and (named := understood.slots.get("named"))
            and not replies.about_any(last.task, last.payload, named)
        ):  # "what was the board condition thing again": not in the brief, so from the notes it came from
            searched = replace(understood, slots={"focus": replies.named_subject(named)})
            return self._run(
                reply, caller, self._call_for(caller, replace(searched, intent="search_notes")), searched
            )
        else:  # "is the 2nd or 3rd better": both, one after the other
            reply.message = "\n\n".join(
                replies.expand(
                    last.task,
                    last.payload,
                    n,
                    *self._notes_read(caller, last),
                    sources=bool(understood.slots.get("sources")),
                )
                for n in understood.slots.get("refs") or [ref]
            )
        situation = (last.payload.get(STATE_KEY) or {}).get("args", {}).get("text")
        if (
            last.task == "coach"
            and situation
            and WHAT_IF.search(understood.text)
            and coach.reaction(self.guide, understood.text)
        ):  # "#1 - what if she gets annoyed tho": that step, then that moment
            then = self.tools.call("coach", caller, {"text": situation, "whatif": understood.text})
            reply.message += f"\n\n{prose(then)}"
        if understood.slots.get("pick") and understood.slots.get("refs"):  # of two: the higher ranked
            picked = replies.say(self.lexicon.replies["picked_of_two"][last.task], n=ref)
            reply.message = f"{picked}\n\n{reply.message}"
        elif understood.slots.get("pick"):  # "which would you pick?": the first, ranked, is the pick
            reply.message = f"{self.lexicon.replies['picked'][last.task]}\n\n{reply.message}"
        elif understood.slots.get("refs"):  # "what's the difference between the last two"
            reply.message = f"{self.lexicon.replies['compared']}\n\n{reply.message}"
        if (
            last.task in ("pairing", "rotation")
            and len(names := re.findall(r"\*\*(.+?)\*\*", reply.message)) == 2
        ):
            fit = self.tools.call("pairing", caller, {"together": names})  # "why dana": in full
            if isinstance(fit, Overview) and fit.title == "How they would fit":  # else the line as it was
                reply.message = fit.summary
        source = {k: v for k, v in last.payload.items() if k != STATE_KEY}
        previous = last.payload.get(STATE_KEY) or {"tool": last.task, "args": {}}
        reply.payload, reply.call = source, {**previous, "ref": ref}
        reply.suggestions = self._suggestions(last.task, caller)
        return reply

    def _notes_read(self, caller: Caller, last: Turn) -> tuple[dict[str, dict[str, Any]], str]:
        """The notes a notes answer read, by id, and whose sessions they are ("your", "Kai and Helen's")."""
        if last.task != "search_notes" or last.payload is None:
            return {}, "your"
        names = (last.payload.get(STATE_KEY) or {}).get("args", {}).get("names") or []
        context = notes_context(self.tools, caller, names)  # a coordinator's: what the pair named shares
        return {n["id"]: n for n in context.notes}, context.sessions_of

    def _suggestions(self, task: str, caller: Caller) -> list[str]:
        staff = self.lexicon.replies.get("staff_suggestions", {}) if caller.role in COORDINATION else {}
        offered = staff.get(task) or self.lexicon.replies["suggestions"].get(task)
        if offered is None or task == "greeting" or task in SMALL_TALK:
            return replies.examples(self.lexicon, caller.role, caller.partner)[:3]
        return list(offered)

    def check(
        self, user_id: str, message: str, conversation_id: str | None = None, pair_id: str | None = None
    ) -> None:
        """Refuse a turn ``reply`` would refuse, before anything streams, so callers can still answer 4xx."""
        _checked(message)
        self._caller(user_id, pair_id)
        if conversation_id is not None:
            self.turns(conversation_id, user_id)


Names = tuple[str, frozenset[str], str | None, frozenset[str]]  # name, people, partner, coordinators


def state_items(state: State) -> list[str]:
    """The titles a follow-up like "other ideas" should not repeat."""
    return list(state.items)


MET = re.compile(
    r"\b(?:met|meet|saw|seen|session|sessions|spoke|talked|caught up|catch-?up|called|phoned|zoomed|"
    r"had (?:a|our|the) (?:call|chat|meeting))\b"
)
THAT_PAIR = re.compile(
    r"\b(?:that|this|the same) (?:pair|pairing|couple|duo)\b|\bthose two\b|\bthe two of them\b"
)
SHORTEST_PARTS = 20  # a session's minutes besides a part given its own: opening, close, the other side
BOLD_PAIR = re.compile(r"\*\*(\w+)[^*]* and (\w+)")  # "**Amara Obi and Rafael Montoya**": a pair named
# "a check-in note to the mentor in that pair", "just the exec": one side of the pair named
ONE_SIDE = re.compile(r"\b(?:to|for) (?:just |only )?(?:the|their) (mentor|exec)(?:utive)?\b")
OUTLINE_MINUTES = (10, 60)  # one side's own part of a session
LIMITS = {"agenda": ("minutes", 30, 120), "topics": ("count", 1, 10), "coach": ("count", 1, 10)}


def _in_range(tool: str, args: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Arguments brought within their limits, with a sentence saying so instead of clamping silently."""
    if tool not in LIMITS or args.get(LIMITS[tool][0]) is None:
        return args, None
    name, low, high = LIMITS[tool]
    if tool == "agenda" and args.get("outline"):  # one side's part: "make it 10"
        low, high = OUTLINE_MINUTES
        minutes = int(args["minutes"])
        args["minutes"] = min(max(minutes, low), high)
        if args["minutes"] != minutes:
            return (
                args,
                f"An outline of one part runs from {low} to {high} minutes; "
                f"here is a {args['minutes']}-minute one.",
            )
        return args, None
    value = int(args[name])
    if value < low:
        args[name] = low
        what = "minutes is the shortest agenda" if tool == "agenda" else f"{name} is the least I can give"
        return args, f"{low} {what}; here is a {low}-minute one." if tool == "agenda" else f"{low} {what}."
    if value > high:
        args[name] = high
        if tool == "agenda":
            return args, f"{high} minutes is the longest agenda; here is a {high}-minute one."
        return args, f"I can suggest at most {high} at a time."
    return args, None


def _slot_picked(state: State | None, text: str) -> str | None:
    """The weekly time a message proposes after the pair's shared times: the one named by day, or the first.

    "Tuesday 08:00–09:00 your time (09:00–10:00 for Martin)" is proposed to Martin as "Tuesday 08:00–09:00
    my time (09:00–10:00 yours)".
    """
    if state is None or state.task != "meeting_times" or not state.items:
        return None
    lower = text.lower()
    named = [
        i for i in state.items if i.split()[0].lower() in lower or i.split()[0][:3].lower() in lower.split()
    ]
    chosen = named[0] if named else state.items[0]
    return re.sub(r" your time \((.+) for \w+\)$", r" my time (\1 yours)", chosen)


def _changed(change: str | None, args: dict[str, Any], tool: str = "", said: str = "") -> str | None:
    """What a change did, in one sentence; a subject is written as the user wrote it."""
    if args.get("focus"):
        args = {**args, "focus": as_said(args["focus"], said)}
    if change == "when":
        return f"Here it is asking for {args['when']} instead."
    if tool == "pairing" and change == "kept":
        pairs = [" and ".join(name.title() for name in pair) for pair in args["kept"]]
        return f"Here is the best complete matching with {spoken_list(pairs)} kept together."
    if tool == "pairing" and change == "apart":
        pairs = [" and ".join(name.title() for name in pair) for pair in args["apart"]]
        kept = pairs[0] if len(pairs) == 1 else ", ".join(pairs[:-1]) + ", and " + pairs[-1]
        return f"Here is the best complete matching with {kept} kept apart."
    if tool == "pairing" and change in ("shorter", "longer"):
        return "Just the names." if args.get("short") else "With the reasons."
    if tool == "pairing" and change in ("department", "count"):
        return None  # the answer names the department, or says how many
    if tool == "pairing" and change:
        return (
            "Suggestions already keep everyone out of their own management chain and weigh a different "
            "department in favour; this is still the best complete matching under those rules."
        )
    if tool == "ask" and change == "other":
        return (
            "Without a language model I can only quote the guidelines, not reword them; here is more of "
            "what they say."
        )
    if tool == "ask" and change in ("shorter", "longer"):
        return "Here is more of what the guidelines say." if args.get("detail") else "The short answer:"
    if change == "unsupported":
        return f"I can't make that change without a language model. {CHANGEABLE.get(tool, '')}".strip()
    if change == "layout":
        return "Without a language model I lay this out one way; you can ask for it shorter" + (
            ", or without names." if tool == "program_health" else "."
        )
    if tool == "search_notes" and change == "other":
        return "Here are more of the notes that match."
    if change == "cc":
        return f"I copied in {as_copied(args['cc'][-1])}."
    if change == "restored":
        return "I put that back in."
    if change == "unsaid":
        return "I took that out."
    if change == "lighter":
        return "Here it is in fewer, plainer words."
    if change == "warmer":
        return "Here it is with more warmth."
    if change == "tone":
        return (
            "Without a language model I can't reword this in another tone; here it is again, for you "
            "to put in your own words."
        )
    if change == "says":
        return "I added that to the message."
    if change == "resaid":
        return "It's now about that instead."
    if change == "greeting":
        return f"It now opens with “{args['greeting']},”."
    if change == "month":  # the view's own first words say which months
        return ""
    if change == "also":
        return "Here it is with those figures added at the end."
    if change == "addressee":
        return f"It now goes to {args['names'][0].title()} only."
    if change == "one_line":
        return "Each in one line."
    if tool == "program_health" and change in ("shorter", "longer"):
        if args.get("about", "attention") != "attention":
            return "The short version." if args.get("short") else "In full."
        return "The short version: each pair and what is flagged." if args.get("short") else "In full."
    if tool == "rotation" and change == "start":
        return f"Here it is with the kickoff on {spoken_day(args['start'])}."
    if tool == "rotation" and change == "skip":
        return f"Here it is without the {args['skip'][-1]} steps."
    if tool == "rotation" and change in ("shorter", "longer"):
        return (
            "The proposed new pairs only."
            if args.get("short")
            else "With the finished pairs and the reasons."
        )
    if tool in DRAFTS and change in ("shorter", "longer"):
        return "Here is a shorter version." if args.get("short") else "Here is the fuller version."
    if tool == "draft_message" and change == "minutes":
        return f"Here it is at {args['minutes']} minutes."
    if tool == "draft_message" and change == "count" and args.get("plan"):
        return f"Here it is with the first {counted(len(args['plan']), 'item')}."
    if tool in ("draft_message", "check_in") and change:
        return (
            "Without a language model I have one wording for this kind of message, so here it is again "
            "for you to change as you like."
        )
    if tool == "brief" and change in ("shorter", "fewer"):
        return "The short version: what happened, what is open and what to ask."
    if change == "timed":
        part = args["timed"][-1]
        return f"“{part['part']}” now has {part['minutes']} minutes; the other parts share the rest."
    if change == "count" and tool == "agenda" and args.get("parts"):
        return f"Here it is in {args['parts']} parts, with their time shared out again."
    if change in ("minutes", "shorter", "longer") and "minutes" in args:
        return f"Here it is at {args['minutes']} minutes."
    if change == "other" and (args.get("by_month") or args.get("about") == "feedback"):
        return None  # the answer says it is month by month
    if change == "named":
        return "The same, with names."
    if change == "other" and args.get("paragraph"):
        return "The same in one paragraph" + (", without names." if args.get("anonymous") else ".")
    if change == "other" and args.get("anonymous"):
        return "The same, without names."
    if change == "compare":
        since = clock.today() - dt.timedelta(days=args["compare_days"])
        return f"The same, with what changed since {spoken_day(since)}."
    if change == "other" and tool == "agenda":
        return "Here it is with other topics."
    if change == "other" and tool == "coach":
        return "If those don't settle it, here is what else helps with this."
    if change == "other" and tool == "program_health" and args.get("by_pair"):
        return None  # the answer says it is pair by pair
    if change == "other":
        return "Here are different ones."
    if change == "count" and tool == "program_health":
        return None  # the answer says how many there are and that these are the most urgent
    if tool == "search_notes" and args.get("dates"):
        return None  # the dates are the answer
    if change in ("count", "fewer", "shorter", "longer") and args.get("count"):
        return "Here is the one most likely to help." if args["count"] == 1 else f"Here are {args['count']}."
    if change == "focus" and tool == "program_health":
        return f"Only the pairs flagged for {args.get('keep')}."
    if change == "focus" and tool == "brief":
        return None  # the brief says what it is weighted to, and whether the notes mention it
    if change == "focus":
        return f"Now focused on {args.get('focus')}."
    if change == "drop":
        return "I left that part out and gave its time to the rest."
    if change == "swap" and tool == "coach":
        return "I replaced that step with another one."
    if change == "swap" and tool == "topics":
        if not args.get("exclude"):
            return None
        instead = (
            f"one on {args['focus']}" if args.get("focus") and not args.get("unmatched") else "another idea"
        )
        return f"I replaced “{args['exclude'][-1]}” with {instead}."
    if change == "swap" and tool == "agenda" and args.get("exclude"):
        return f"I put another topic in place of “{args['exclude'][-1]}”."
    if change == "swap" and args.get("focus"):
        return f"Rebuilt around {args['focus']}."
    if change == "added" and args.get("added"):
        added = args["added"][-1]
        where = (
            f" before “{added['before']}”"
            if added.get("before")
            else f" after “{added['after']}”"
            if added.get("after")
            else {"start": " first", "end": " at the end"}.get(added.get("to") or "", "")
        )
        return f"I added “{added['title']}”{where}; the other parts gave it their time."
    if change == "move" and args.get("moves"):
        move = args["moves"][-1]
        where = {"start": "first", "end": "last"}.get(move.get("to") or "") or (
            f"before “{move['before']}”" if move.get("before") else f"after “{move.get('after')}”"
        )
        return f"I moved “{move['part']}” {where}; each part keeps its minutes."
    if change == "order":
        return "I swapped the order of the two parts."
    return None


# "write something I can send to those pairs", "nudge them all", "a note to each of them": the pairs listed
THOSE_PAIRS = re.compile(
    r"\b(?:(?:those|these|the|all|each of the|all the|all of those|all (?:of )?these) (?:(?P<kind>\w+) )?"
    r"(?:pairs|ones)|"
    r"(?:all|each|both|every one|any) of them|them)\b"
)
# "a welcome note for the new cohort", "something welcoming the madrid lot": to the people joining
WELCOMED = re.compile(r"\bwelcom(?:e|ing)\b(?! back\b)")
# "write to all the mentors", "a reminder to every exec", "a note to everyone": a coordinator's note to all
EVERYONE = re.compile(
    r"\b(?:all|every|each)\s+(?:of\s+)?(?:the\s+|our\s+)?(?:\d+\s+|ten\s+)?"  # "all 10 participants"
    r"(mentors?|execs?|executives?|participants?|pairs?|users?|people)\b"
    r"|\b(everyone|everybody)\b"
)


# When what a note is about falls due: "the reminder for the survey, due friday 4 dec"
DUE = re.compile(
    r"\b(?:due|deadline(?: is)?|closes?|by)\s+((?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+)?"
    r"(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+[a-z]{3,9})?|(?:mon|tues|wednes|thurs|fri)day)\b",
    re.I,
)
# What a message to the coordinator is for: "write to marisol to book the three way check in, can u help"
FOR_WHAT = re.compile(
    r"\b(?:to|for) (?:the )?(?:coordinator|program(?:me)? team|[A-Za-z]+)\s+"
    r"(?:(?P<to>to|so (?:we|i) can)\s+(?P<verb>book|set up|arrange|ask|check|talk|discuss|raise|flag|get|see|"
    r"find|organise|organize|schedule|confirm|let her know|let him know)|about|abt|re)\s+"
    r"(?P<what>[^,.?!]+?)(?:\s*(?:,|\.|\?|!|$)|\s+(?:can u|can you|pls|please|thanks|instead|too)\b)",
    re.I,
)
# What a message to someone is to say: "write to marisol that we want to keep going, just slower for now"
TOLD_THAT = re.compile(
    r"\b(?:to|tell|telling|let) (?:the )?(?:coordinator|program(?:me)? team|[A-Za-z]+)(?: know)?\s+"
    r"(?:that|to say(?: that)?|saying)\s+(?P<what>[^?!.]+)",
    re.I,
)
# "and the email's too long" after something else: the message drafted before it
THE_MESSAGE = re.compile(
    r"\bthe (?:email|e-mail|message|msg|draft|note to)\b|\b(?:email|message|msg|draft)'s\b"
)
# "less detail", "too wordy": the same items, each said shorter
LESS_DETAIL = re.compile(
    r"\b(?:detail|details|detailed|wordy|text|words|waffle|waffly|dense|verbose)\b", re.I
)
# "asking abt it": a point that is only the question asked before
POINTS_BACK = re.compile(r"\b(?:about|abt|on|re)\s+(?:it|that|this)\b", re.I)


def _audience(said: str) -> str:
    """Who a note to everyone goes to: "mentors", "executives" or "participants"."""
    return (
        "mentors"
        if said.startswith("mentor")
        else "executives"
        if said.startswith("exec")
        else "participants"
    )


def _latest_cited(history: list[Turn]) -> str | None:
    """The newest note date the last answer with note citations cited ("since then")."""
    for turn in reversed(history):
        if turn.role == "assistant" and turn.payload is not None:
            dates = [c.get("date") for c in turn.payload.get("citations", []) if c.get("kind") == "note"]
            if dates := [d for d in dates if d]:
                return str(max(dates))[:10]
    return None


def _unsaid(
    args: dict[str, Any],
    slots: dict[str, Any],
    said: str,
    nearest: Callable[[str, list[str]], int | None],
) -> dict[str, Any]:
    """A draft with a point or a sentence taken out ("don't mention the 30 min", "lose the second sentence").

    The sender's own point goes from what it says; a sentence of the wording is left out: the one
    at the place named, or the one mostly about what is named, by its words or else clearly by
    meaning (``nearest``: "drop the apology line" and "Sorry for last time."). The last sentence stays.
    """
    written = sentences(said)
    if place := slots.get("sentence"):
        place = len(written) if place == -1 else place  # "cut the last line"
        if not 1 <= place <= len(written):
            n = len(written)
            return {
                "args": args,
                "refused": f"The message has {n} sentence{'s' if n != 1 else ''} between the "
                "greeting and the sign-off; here it is as it was.",
            }
        gone = [written[place - 1]]
    else:
        words = _content_words(slots["unsay"])
        says = [p for p in args.get("says", []) if not words & _content_words(p)]
        if len(says) < len(args.get("says", [])):
            return {"args": {**args, "says": says}, "change": "unsaid"}
        about = [s for s in written if words and words <= _content_words(s)]
        gone = sorted(about, key=lambda s: len(_content_words(s)))[:1]  # the one mostly about it
        points = args.get("says", [])
        own = [_content_words(p) for p in points]
        rest = [s for s in written[:-1] if _content_words(s) not in own]  # not a point said again
        if not gone and (near := nearest(slots["unsay"], [*points, *rest])) is not None:
            if near < len(points):  # the sender's own point, said in other words
                return {"args": {**args, "says": points[:near] + points[near + 1 :]}, "change": "unsaid"}
            gone = [rest[near - len(points)]]
        if not gone:
            return {"args": args, "refused": "The draft doesn't mention that, so here it is as it was."}
    if len(written) <= 1:
        return {"args": args, "refused": "That is all the message says; here it is as it was."}
    return {"args": {**args, "omit": [*args.get("omit", []), *gone]}, "change": "unsaid"}


NEAR_ENOUGH = 0.35  # a sentence named by what it means ("the apology line") is this near to the words…
NEAR_MARGIN = 0.05  # …and this much nearer than any other


def _content_words(text: str) -> set[str]:
    """A text's words that carry meaning, by their first five letters ("minutes" and "min" differ)."""
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS and len(w) > 1}


def _already(items: tuple[str, ...], side: str | None, to: str | None) -> bool:
    """Whether ``side``'s led part of an agenda already comes ``to`` ("start", "end") of the two."""
    led = [n for n, title in enumerate(items) for s in ("mentor", "executive") if f"{s}-led" in title.lower()]
    mine = [n for n in led if side and f"{side}-led" in items[n].lower()]
    if not side or len(led) != 2 or len(mine) != 1:
        return False
    return mine[0] == (min(led) if to == "start" else max(led))


def _leader(result: Any, focus: str) -> str:
    """Whose part of an agenda is on ``focus``: "Gareth's part"."""
    led = (i for i in getattr(result, "items", []) if f": {focus.lower()}" in i.title.lower())
    return next((f"{i.details.split(' leads', 1)[0]}'s part" for i in led), "that part")


def _checked(message: str) -> str:
    return program.clean_text(message, "message", MAX_MESSAGE)
