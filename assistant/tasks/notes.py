"""Answer "what did we agree last time?" from the session notes the asker may read."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.access import STAFF_ROLES
from assistant.actions import MARKER, SENTENCE_BREAK, note_blocks, note_lines
from assistant.lexical import keyword_parts, keywords
from assistant.render import spoken_day
from assistant.tasks.brief import DECISION, MAIN_TOPIC
from assistant.tasks.context import PairContext
from assistant.tasks.schemas import NoteExcerpt, NotesFound
from assistant.tasks.sources import note_citation

if TYPE_CHECKING:
    from assistant.actions import ActionItem
    from assistant.guide import Guide

RELEVANT = 0.32
KEYWORD_WEIGHT = 0.25

# "what was the last thing we agreed? its been ages": a short remark after the question, not part of it
REMARK_AFTER = re.compile(
    r"(?<=\?)\s+(?:(?:it'?s|its|it has) been (?:ages|a while|forever|so long|too long)"
    r"|i (?:forget|forgot|can'?t remember|don'?t remember|genuinely forget)|can'?t remember|no rush"
    r"|just (?:curious|wondering|checking))\W*$",
    re.I,
)
LATEST = re.compile(
    r"\b(?:last|latest|previous|most recent|recent)\s+"
    r"(?:time|session|meeting|catch ?up|chat|note|things?|one)\b"
)
AGREED = re.compile(
    r"\b(?:agree|agreed|decide|decided|promise|promised|commit|committed|actions?|to ?dos?|owe[sd]?|owing)\b"
)
# "what did we land on for the dashboard tool": a choice made, and the line that says it was made.
CHOICE_ASKED = re.compile(
    r"\b(?:land(?:ed)? on|settle(?:d)? on|go with|went with|choose|chose|pick|picked|opt(?:ed)? for)\b"
)
CHOICE_MADE = re.compile(
    r"\b(?:settled on|landed on|decided on|went with|go with|chose|picked|opted for|agreed on)\b", re.I
)
# "how often", "what time of day did we say", "the timing": the lines that say when or how often they meet
CADENCE_ASKED = re.compile(
    r"\b(?:how often|how regularly|how frequently|frequency|cadence|timing|what time|which time|"
    r"time of day|what days?|which days?|mornings? or|afternoons? or)\b"
)
CADENCE_SAID = re.compile(
    r"\b(?:every (?:other |second )?(?:week|fortnight|month|\w+day)|"
    r"(?:twice|once|three times) a (?:month|week)|"
    r"fortnightly|bi-?weekly|weekly|monthly|first thing|(?:in the |early )?(?:morning|afternoon|evening)s?|"
    r"lunch ?time|\d{1,2}(?::\d\d)?\s*(?:am|pm)|\d{1,2}[:.]\d\d)\b",
    re.I,
)
MEETING_SAID = re.compile(
    r"\b(?:meet\w*|met|sessions?|slots?|calls?|catch[- ]?ups?|agreed|kick-?off)\b", re.I
)
# "what does sofia want from me", "what does he expect of us": the asker's own actions
WANTED_OF_ME = r"\b(?:want|need|expect)s? (?:\w+ )?(?:from|of) (?:me|us)\b"
OPEN = re.compile(
    r"\b(?:open(?!\s+(?:the|a|an|this|with|up|things)\b)|owe[sd]?|owing|outstanding|overdue|"
    r"slipp(?:ed|ing)|still to do|to-?dos?|homework|pending|"
    r"commit(?:ted)?|promised?|signed up|"
    r"on my plate|actions? (?:\w+ )?(?:still|left)|still (?:carrying|holding|sitting on|have|got)|"
    r"(?:haven'?t|have not|not yet) (?:done|finished|closed)|"
    r"(?:have|has|need|needs|got|supposed|meant) to (?:do|get done|prepare|bring|finish)|"
    r"\b(?:'s|is|are) (?:\w+ )?bringing\b(?! up)|"  # "what's noor bringing"
    r"\b(?:'s|is|are) (?:\w+ )?working on\b|"  # "whats noor working on from her side"
    rf"{WANTED_OF_ME}|"  # "what does sofia want from me"
    r"what(?:'s| is| was|s) (?:my|his|her|our) (?:thing|job|task|bit)\b|"  # "whats my thing for december"
    r"(?:(?:which|what) (?:of (?:those|these|them) )?(?:are|is|r)"
    r"|(?:is|are) any(?: of (?:that|those|these|it))?) "  # "is any of that on me"
    r"(?:mine|his|hers|yours|theirs|on (?:me|him|her|them|us)))\b"
)
# "what did ingrid and i actually get done this year", "what have we achieved": the actions closed
DONE = re.compile(
    r"\b(?:get|got|gotten|getting)\s+(?:\w+\s+){0,2}?done\b"
    r"|\b(?:achieved|accomplished|ticked off|delivered)\b"
    r"|\bwhat (?:have|did|has) (?:we|i|you|they|\w+ and i) (?:actually |really )?"
    r"(?:achieve|accomplish|finish|complete)\b"
)
# "what has helen shared with the program team", "what can i see on that pair": a coordinator's whole view
SHARED_ASKED = re.compile(
    r"\b(?:shared|passed on|flagged|sent)\b.{0,40}\b(?:with|to)\s+(?:me|us|the program\w*|the coordinator|"
    r"the team|the program team)\b|\bwhat (?:can|do) i (?:see|read)\b"
    r"|\bwhat(?:'s| is| have they| has \w+) shared\b"
)
# "When did Amara and I last meet, and what was left open?": the date asked with the open actions

LAST_MET = re.compile(
    r"\bwhen did (?:we|i|\w+ and i|i and \w+) last (?:meet|see each other|talk|speak|have a session)\b"
)
MINE = re.compile(r"\b(?:i|my|me|mine)\b(?! and)")
# Who made the commitment: "what do I still owe him" is the asker's side whoever else is named.
COMMITTED = (
    r"\s+(?:still\s+|already\s+|yet\s+|have\s+|had\s+|was\s+|were\s+|am\s+|is\s+)*"
    r"(?:owe|promised?|committed|signed up|said|agreed|offered|going to|supposed to|meant to|have to|"
    r"need to|carrying|holding|sitting on|on the hook for|got open|got left|got to do)\b"
)
EVERYTHING = re.compile(
    r"\b(?:summar\w*|recap|overview|everything|all (?:we|the sessions|our sessions)|so far|catch me up)\b"
    r"|\b(?:(?:which|what) (?:topics|subjects|things) )?(?:have|did) we (?:already |ever )?"
    r"(?:done|covered|had)\b"
    r"|\b(?:already|to date)\b"
)
# "what's outstanding on my side", "anything on his plate": whose side, said outright
SIDE = re.compile(  # "rafaels side" too, not "this bit"
    r"\b(my|his|her|their|(?!(?:this|its|is|was|has|us|yes|as|does)\b)[a-z]+'?s) "
    r"(?:side|end|part|plate|list|actions|bit)\b"
)
# "what did I say I'd do last time?", "what was I supposed to do": the actions a session gave someone
SAID_ID_DO = re.compile(
    r"\b(?:say|said|promised?|agreed?|offer|offered)\s+(?:i|he|she|they|we)(?:'d| would| will|'ll)"
    r"\s+do\b|\b(?:supposed|meant)\s+to\s+do\b|\b(?:i|he|she|they|we)\s+(?:agreed|promised|offered|said)\s+to\s+do\b"
    r"|\bwhat\s+(?:was|were|am|is)\s+(?:i|he|she|they|we)\s+(?:supposed|meant)\b"
)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# "what's new since 2026-09-10" (a follow-up's "since then", dated by the chat), "anything since september"
SINCE = re.compile(
    r"\bsince\s+(?:(\d{4}-\d{2}-\d{2})|(?:early |mid |late )?"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|t|tember|ober|ember)?)\b"
)  # "since march", not "since marisol asked"
# "on the 19th", "19 nov", "november 19": a session named by its date
DAY = re.compile(
    r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b(?:\s+(?:of\s+)?([a-z]{3})[a-z]*)?"
    r"|\b(\d{1,2})\s+([a-z]{3})[a-z]*\b|\b([a-z]{3})[a-z]*\s+(\d{1,2})(?:st|nd|rd|th)?\b"
)
TO_MYSELF = re.compile(
    r"\b(?:to myself|(?:just |only )?for myself|notes? to self|(?:the |my )(?:own |private )notes?|"
    r"private notes? i (?:made|wrote|took|kept)|(?:just|only) for me|for my eyes only|privately)\b"
)
IN_MONTH = re.compile(
    r"\b(?:in|during|from|back in|over)\s+(?:the\s+)?(january|february|march|april|may|june|july|august|"
    r"september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|spring|summer|"
    r"autumn|fall|winter)\b"
)
SEASONS = {
    "spring": (3, 4, 5),
    "summer": (6, 7, 8),
    "autumn": (9, 10, 11),
    "fall": (9, 10, 11),
    "winter": (12, 1, 2),
}


def _months(said: str) -> tuple[int, ...]:
    """The months a month's or a season's name covers."""
    return SEASONS.get(said) or (MONTHS.index(said[:3]) + 1,)


MATTERED = "the main topic of the session, what we decided and what happens next"
# A line that puts a question ("Kai asked how you negotiate with a bank"): its answer is the next line.
# "what he said when I shared the one-pager", "how did she react": the next line says so
REACTION_ASKED = re.compile(
    r"\bwhat (?:did )?(?:he|she|they|[a-z]+) (?:say|said|think|thought|reply|replied)\b"
    r"|\bhow did (?:he|she|they|[a-z]+) (?:react|take it|respond|find it)\b"
)
REACTION = re.compile(r"\b(?:said|says|told|replied|answered|agreed|promised|reacted|laughed|admitted)\b")
ASKED = re.compile(r"\b(?:asked|wondered|wanted to know)\b|\?$")
# "where did we leave things?": the last session, what mattered and its actions
LEFT_OFF = re.compile(
    r"\bwhere (?:did|do|have) (?:we|you|i) (?:leave|left) (?:it|things|off|that)\b"
    r"|\bwhere we left (?:off|it|things)\b"
)
WHEN = re.compile(
    r"^\s*(?:(?:and|so|ok|okay|but|also|then)[,\s]+)*(?:when|which session|what date|how long ago)\b"
)
# "so are we stalled already?", "are we behind?": the pair's own cadence, from its dates
PAIR_STATUS = re.compile(
    r"\b(?:are|r) we (?:already |now |officially |actually |still )?"
    r"(?:stalled|behind|overdue|on track|past (?:that|it|the limit|six weeks|6 weeks)|"
    r"(?:below|under) (?:that|it|the minimum)|flagged|meeting (?:often )?enough)\b"
    r"|\bam i (?:below|under) (?:that|it|the minimum)\b"
    r"|\b(?:have|has) (?:we|our pair) (?:already )?(?:stalled|fallen behind)\b"
    r"|\bhow long (?:has it been|since) (?:we|our) (?:last )?(?:met|session)\b",
    re.I,
)
# "did he ever read the survey?", "has she written it yet": what became of it, said last
FOLLOW_THROUGH = re.compile(
    r"\b(?:did|has|have|had)\s+(?:he|she|they|i|we|you|[a-z]+)\s+(?:ever|actually|already|finally|even)\b"
    r"|\b(?:in the end|yet|after all)\s*\??\s*$"
)


@lru_cache(maxsize=4096)
def _list_items(text: str) -> dict[str, int]:
    """The sentences of a note's list items (not its actions), each with the item it belongs to.

    A list item is one point: "Inclusive meetings. The monthly all-hands is mostly Helen… We
    discussed rotating who presents…" reads as a whole.
    """
    items: dict[str, int] = {}
    for n, block in enumerate(note_blocks(text)):
        marker = MARKER.match(block)
        if marker and marker.group(0).strip() and marker.group(1) is None:
            body = block[marker.end() :].strip().replace("**", "").replace("__", "")
            for sentence in SENTENCE_BREAK.split(body):
                items.setdefault(sentence.strip(), n)
    return items


def _same_paragraph(text: str, line: str, after: str) -> bool:
    """Whether ``after`` follows ``line`` in one paragraph ("I sent the results. He hadn't opened them.")."""
    return any(f"{line} {after}" in re.sub(r"\s+", " ", block) for block in note_blocks(text))


def _opens_paragraph(text: str, opening: str) -> bool:
    """Whether a paragraph starts with ``opening`` ("Not there yet: LinkedIn habit. One post in…")."""
    return any(re.sub(r"\s+", " ", block).strip().startswith(opening) for block in note_blocks(text))


def _same_item(text: str, line: str, after: str) -> bool:
    """Whether two sentences of a note belong to one list item."""
    items = _list_items(text)
    return line in items and items.get(after) == items[line]


def compose(
    guide: Guide,
    context: PairContext,
    query: str,
    ignore: set[str],
    count: int = 3,
    focus: str | None = None,
    earlier: str | None = None,
    back: int = 0,
) -> NotesFound:
    """The note lines that best answer the query, newest first when the question is about the last session.

    ``earlier`` is what the query's "it" stands for ("how long was I to trial it?" after notifications):
    lines on it count as on the subject. ``back``: the last session is that many sessions earlier ("and
    the time before that?").
    """
    notes = sorted(context.notes, key=lambda n: (n["date"], n["id"]))
    if back and LATEST.search(query.lower()):
        if back >= len(notes):
            oldest = f": {spoken_day(notes[0]['date'])} is the first" if notes else ""
            return NotesFound(
                query=query, summary=f"There is no earlier session note {_readable(context)}{oldest}."
            )
        notes = notes[: len(notes) - back]
    elif back and WHEN.search(query.lower()):  # "when did we last talk about slack?" "and before that?"
        shown = compose(guide, context, query, ignore, count, focus, earlier, back - 1)
        if not shown.excerpts:
            return shown
        notes = [n for n in notes if n["date"] < shown.excerpts[0].date]
        if not notes:
            return NotesFound(
                query=query,
                summary=f"Not before that: {spoken_day(shown.excerpts[0].date)} is the first time it came up "
                f"in the notes {_readable(context)}.",
            )
    partner = context.first_name("executive" if context.viewer.id == context.pair["mentor_id"] else "mentor")
    if not notes:
        return NotesFound(query=query, summary=f"There are no session notes {_readable(context)} yet.")
    lower = REMARK_AFTER.sub("", query.lower())  # "what did we agree? its been ages": the question
    asked = OPEN.sub(" ", SIDE.sub(" ", lower))
    subject = [  # what the actions asked about are on: not "my plate", "all of it"
        w[:5] for w in keywords(focus or "", ignore) if len(w) > 3 and w in keywords(asked, ignore)
    ]
    if DONE.search(lower) and not OPEN.search(lower):  # "what did we get done this year"
        return done_actions(context, lower, partner, subject)
    if OPEN.search(lower) or SAID_ID_DO.search(lower):  # "what did I say I'd do next on the pilot"
        found = open_actions(context, lower, partner, latest=bool(LATEST.search(lower)), about=subject)
        if found is not None and LAST_MET.search(lower):  # "when did we last meet, and what was left open?"
            met = f"You last met on {spoken_day(notes[-1]['date'])}. "
            return found.model_copy(update={"summary": met + found.summary[:1].upper() + found.summary[1:]})
        if found is not None:
            return found
    if context.viewer.role in STAFF_ROLES and not focus and SHARED_ASKED.search(lower):
        return _overview(guide, context, query, notes, lines_each=4, actions=True)  # "what has helen shared"
    if (since := _since(lower, notes)) is not None:  # "has anything changed since then"
        newer = [n for n in notes if n["date"] > since]
        if not newer:
            return NotesFound(
                query=query,
                summary=f"Nothing newer {_readable(context)}: the latest note is from "
                f"{spoken_day(notes[-1]['date'])}.",
            )
        if not focus:
            return _overview(guide, context, query, newer)
        notes = newer  # "has he posted on linkedin since september": that subject, in the newer notes
    said, dated = _on_day(notes, lower)  # "what did sofia and I agree on the 19th": that session
    if said and not dated:
        days = ", ".join(spoken_day(n["date"]) for n in notes[::-1][:3])
        return NotesFound(
            query=query,
            summary=f"There is no session note from that date {_readable(context)}; the latest are from "
            f"{days}.",
        )
    own = [n for n in notes if n.get("visibility") == "private" and n["author_id"] == context.viewer.id]
    floor = RELEVANT
    if TO_MYSELF.search(lower) and own:  # "what did i write to myself about it": the asker's private notes
        notes, lower, count, floor = own, TO_MYSELF.sub(" ", lower), max(count, 5), -1.0  # short: all of it
    if dated:
        notes = dated
        lower = DAY.sub(" ", lower)
    elif (month := IN_MONTH.search(lower)) and (
        during := [n for n in notes if int(n["date"][5:7]) in _months(month.group(1))]
    ):  # "what did i write back in april", "anything from the spring": those months' notes (not "in
        notes, lower = (
            during,
            IN_MONTH.sub(" ", lower),
        )  # november" when no note is from then: it may be later)
    when_asked = bool(CADENCE_ASKED.search(lower) or (focus and re.fullmatch(r"often|timing|time", focus)))
    if when_asked:  # "what did we agree about timing": when they meet is asked, not lines with "time" in them
        lower, focus = CADENCE_ASKED.sub(" ", lower), None
    members = {context.first_name(role).lower() for role in ("mentor", "executive")}
    wanted = keywords(lower, ignore) - members  # "everything rafael and I covered" names no subject
    if EVERYTHING.search(lower) and not keywords(EVERYTHING.sub(" ", lower), ignore) - members:
        return _overview(guide, context, query, notes)
    latest = bool(LATEST.search(lower)) and not (wanted and WHEN.search(lower))
    if LEFT_OFF.search(lower) and not keywords(LEFT_OFF.sub(" ", LATEST.sub(" ", lower)), ignore) - members:
        wanted, latest = set(), True
    if (latest or dated) and not wanted:  # "what did we agree last time?": what mattered and its actions
        return _overview(guide, context, query, notes[-1:], lines_each=3, actions=True)
    if latest:
        notes = notes[-1:]
    rows: list[tuple[dict[str, Any], str]] = [(n, line) for n in notes for line in note_lines(n["text"])]
    if not rows:
        return NotesFound(query=query, summary="Those notes are empty.")
    dense = guide.embed_cached([line for _n, line in rows]) @ guide.embed_query(query)
    overlap = np.array([len(wanted & keyword_parts(line)) / max(len(wanted), 1) for _n, line in rows])
    scores = dense + KEYWORD_WEIGHT * overlap
    if focus or earlier:
        stems = [w[:5] for w in keywords(f"{focus or ''} {earlier or ''}", ignore)]
        about = np.array(  # "the one pager" is on the "one-pager"
            [any(k.startswith(st) for st in stems for k in keyword_parts(line)) for _n, line in rows]
        )
        if about.any():
            scores = scores + 0.5 * about
            overlap = np.maximum(overlap, about.astype(float))
    if when_asked:  # "and how often?": the lines saying when they meet count as on it
        cadence = np.array(
            [bool(CADENCE_SAID.search(line) and MEETING_SAID.search(line)) for _n, line in rows]
        )  # not "post in the team channel once a week"
        scores, overlap = scores + 0.5 * cadence, np.maximum(overlap, cadence.astype(float))
    if CHOICE_ASKED.search(lower):  # the line saying what was chosen, in a note on the subject
        on_subject = {n["id"] for (n, _line), o in zip(rows, overlap) if o > 0}
        chosen = np.array([n["id"] in on_subject and bool(CHOICE_MADE.search(line)) for n, line in rows])
        scores, overlap = scores + chosen, np.maximum(overlap, chosen.astype(float))
    if AGREED.search(lower):
        scores += np.array(
            [0.15 if line.endswith("(open)") or line.endswith("(done)") else 0.0 for _n, line in rows]
        )
    picked = [i for i in np.argsort(-scores) if dense[i] >= floor or overlap[i] > 0][: max(count, 1) * 2]
    if wanted and not any(overlap[i] > 0 for i in picked) and len(notes) > 1:
        picked = []
    if not picked and latest:  # "what did he ask me to look at last time?": that session, what mattered
        return _overview(guide, context, query, notes[-1:], lines_each=3, actions=True)
    if not context.member and not any(overlap[i] > 0 for i in picked):  # a few notes, shared to be read
        shared = _overview(guide, context, query, notes, lines_each=8)
        if wanted:  # "what has sofia shared about her pair": said so, then what they do share
            shared.summary = (
                f"Nothing they share with the program is about that in so many words. {shared.summary}"
            )
        return shared
    if not picked and not wanted:  # "anything from our sessions?": no subject, so all of it
        return _overview(guide, context, query, notes)
    if not picked:
        return NotesFound(
            query=query,
            summary=f"I couldn't find that in the notes {_readable(context)}"
            f" ({len(context.notes)} so far, the latest from {spoken_day(context.notes[-1]['date'])}).",
        )
    wanted_stems = {w[:4] for w in wanted if len(w) > 3}

    def line_stems(text: str) -> set[str]:  # a line's word stems, not an action's "(open)" mark
        return {w[:4] for w in keywords(re.sub(r" \((?:open|done)\)$", "", text), ignore)}

    def adds(line: str, after: str) -> bool:  # the next line has a word asked about that the line lacks
        return bool(wanted_stems & line_stems(after) - line_stems(line))

    outcome = bool(FOLLOW_THROUGH.search(lower))
    by_note: dict[str, list[str]] = {}
    for i in picked:
        note, line = rows[int(i)]
        lines = by_note.setdefault(note["id"], [])
        if line not in lines and len(lines) < count:
            lines.append(line)
            after = rows[int(i) + 1] if int(i) + 1 < len(rows) else None
            if (
                after
                and after[0] is note
                and after[1] not in lines
                and (
                    ASKED.search(line)
                    or adds(line, after[1])
                    or (REACTION_ASKED.search(lower) and REACTION.search(after[1]))
                    or _same_item(note["text"], line, after[1])
                    or (outcome and _same_paragraph(note["text"], line, after[1]))
                    or (  # a short line heading its paragraph says little alone
                        len(line.split()) <= 6 and _opens_paragraph(note["text"], f"{line} {after[1]}")
                    )
                )
            ):
                lines.append(
                    after[1]
                )  # "Kai asked how you negotiate…": the answer; "I sent it." "He hadn't opened it."
    best = {rows[int(i)][0]["id"]: rank for rank, i in reversed(list(enumerate(picked)))}
    ordered = sorted(  # the note that answers best first; "when did we last…" asks for the newest
        (n for n in notes if n["id"] in by_note),
        key=lambda n: (n["date"] if WHEN.search(lower) else "", -best[n["id"]], n["date"]),
        reverse=True,
    )
    if outcome:  # "did he ever…": of the notes that answer best, what became of it (the newest) first
        ordered = sorted(ordered[:3], key=lambda n: n["date"], reverse=True)
    if floor < 0:  # the asker's own notes read whole: each in its own order
        order = {(n["id"], line): i for i, (n, line) in enumerate(rows)}
        for key, lines in by_note.items():
            lines.sort(key=lambda line: order[key, line])
    excerpts = [
        NoteExcerpt(note_id=n["id"], date=n["date"], author=context.author(n), lines=by_note[n["id"]])
        for n in ordered[:3]
    ]
    first = excerpts[0]
    if WHEN.search(lower):
        lead = "Before that, it came up in" if back else "The last time it came up was"
        summary = f"{lead} {context.sessions_of} session of {spoken_day(first.date)} ({first.author}'s note)."
    else:
        summary = f"From {context.sessions_of} session of {spoken_day(first.date)} ({first.author}'s note):"
    return NotesFound(
        query=query,
        summary=summary,
        excerpts=excerpts,
        citations=[note_citation(n) for n in ordered[:3]],
    )


def _last_of(context: PairContext) -> str:
    """The words for the pair's last session: "Your…", or "Kai and Helen's…" to a coordinator."""
    whose = context.sessions_of
    return f"{whose[0].upper()}{whose[1:]} last session"


def _readable(context: PairContext) -> str:
    """Which notes the asker reads, said after "notes": "you can read with Helen", "Kai and Helen share…"."""
    if context.member:
        other = "executive" if context.viewer.id == context.pair["mentor_id"] else "mentor"
        return f"you can read with {context.first_name(other)}"
    return f"{context.first_name('mentor')} and {context.first_name('executive')} share with the program"


def _since(lower: str, notes: list[dict[str, Any]]) -> str | None:
    """The day a question asks what is newer than, as ISO: a date, or a month's first day (its latest)."""
    said = SINCE.search(lower)
    if said is None:
        return None
    if said[1]:
        return said[1]
    month = MONTHS.index(said[2]) + 1
    latest = notes[-1]["date"] if notes else dt.date.max.isoformat()
    year = int(latest[:4]) - (month > int(latest[5:7]))  # "since september" on 19 Nov: this year's
    return (dt.date(year, month, 1) - dt.timedelta(days=1)).isoformat()  # the month itself included


def _on_day(notes: list[dict[str, Any]], lower: str) -> tuple[bool, list[dict[str, Any]]]:
    """Whether the question names a session by its date ("on the 19th", "19 nov"), and that session's note."""
    named = False
    for said in DAY.finditer(lower):
        day, month = next(
            ((int(d), m) for d, m in ((said[1], said[2]), (said[3], said[4]), (said[6], said[5])) if d),
            (0, None),
        )
        if (month is not None and month not in MONTHS) or not 1 <= day <= 31:
            continue
        named = True
        found = [
            n
            for n in notes
            if int(n["date"][8:10]) == day
            and (month is None or int(n["date"][5:7]) == MONTHS.index(month) + 1)
        ]
        if found:
            return True, found[-1:]
    return named, []


def _overview(
    guide: Guide,
    context: PairContext,
    query: str,
    notes: list[dict[str, Any]],
    lines_each: int = 2,
    actions: bool = False,
) -> NotesFound:
    """What each session was about, newest first: the lines of each note that say what mattered.

    With ``actions``, every action item the notes record comes too.
    """
    recent = notes[::-1][:6]
    excerpts, probe = [], guide.embed_query(MATTERED)
    for note in recent:
        every = note_lines(note["text"])
        lines = [line for line in every if not line.endswith(("(open)", "(done)"))]
        lines = [line for line in lines if not line.endswith(":")]  # "What we agreed to try:" says nothing
        chosen = []
        if lines:  # what the note says mattered (its main topic, a decision), then the lines nearest that
            said = [
                next((n for n, line in enumerate(lines) if p.search(line)), None)
                for p in (MAIN_TOPIC, DECISION)
            ]
            ranked = [n for n in said if n is not None]
            ranked += [int(n) for n in np.argsort(-(guide.embed_cached(lines) @ probe)) if n not in ranked]
            chosen = [lines[n] for n in sorted(dict.fromkeys(ranked[:lines_each]))]
        chosen += [line for line in every if actions and line.endswith(("(open)", "(done)"))]
        if not chosen:
            continue
        excerpts.append(
            NoteExcerpt(note_id=note["id"], date=note["date"], author=context.author(note), lines=chosen)
        )
    if not excerpts:
        return NotesFound(query=query, summary="Those notes are empty.")
    first = spoken_day(notes[0]["date"])
    if len(notes) == 1:
        summary = f"From {context.sessions_of} session of {first} ({excerpts[0].author}'s note):"
    else:
        shown = f"The most recent {len(excerpts)}" if len(excerpts) < len(notes) else "All of them"
        summary = (
            f"There are {len(notes)} session notes {_readable(context)}, the first from {first}. "
            f"{shown}, newest first:"
        )
    by_id = {n["id"]: n for n in recent}
    citations = [note_citation(by_id[e.note_id]) for e in excerpts]
    return NotesFound(query=query, summary=summary, excerpts=excerpts, citations=citations)


def open_actions(
    context: PairContext, lower: str, partner: str, latest: bool = False, about: list[str] | None = None
) -> NotesFound | None:
    """The action items still open, the asker's own when they ask about their side.

    With ``latest`` ("what did I say I'd do last time?"): the actions the last session agreed, done or not.
    With ``about`` (word stems of a subject), only actions on it; None when there are none, for a search.
    """
    owner, mine = _owner(context, lower, partner)
    whose = "your" if mine else (f"{owner}'s" if owner else "the")
    if latest and context.notes and not about:
        return _agreed_last(context, owner, whose)
    items = [a for a in context.open if owner is None or a.owner.lower() == owner.lower()]
    if about:
        items = _on_subject(items, about)
        if not items:
            return None
    if not items:
        return NotesFound(
            query=lower, summary=f"Nothing is open on {whose} side in the notes {_readable(context)}."
        )
    summary = f"{len(items)} action{'s are' if len(items) != 1 else ' is'} still open on {whose} side"
    summary = summary.replace("on the side", "between you" if context.member else "between them") + ":"
    return _by_session(context, lower, summary, [(a.note_id, f"{a.owner}: {a.action} (open)") for a in items])


def done_actions(context: PairContext, lower: str, partner: str, about: list[str]) -> NotesFound:
    """The action items reported done (the asker's own when they ask about their side), and what is open.

    With ``about`` (word stems of a subject), the done actions on it, when any are.
    """
    owner, mine = _owner(context, lower, partner)
    whose = "your" if mine else (f"{owner}'s" if owner else "the")
    items = [a for a in context.actions if a.done and (owner is None or a.owner.lower() == owner.lower())]
    items = _on_subject(items, about) or items
    still = [a for a in context.open if owner is None or a.owner.lower() == owner.lower()]
    between = "between you" if context.member else "between them"
    side = between if whose == "the" else f"on {whose} side"
    open_said = f"; {len(still)} {'are' if len(still) != 1 else 'is'} still open" if still else ""
    if not items:
        return NotesFound(
            query=lower,
            summary=f"No action {side} is reported done in the notes {_readable(context)} yet{open_said}.",
        )
    summary = (
        f"{len(items)} action{'s' if len(items) != 1 else ''} {side} {'were' if len(items) != 1 else 'was'} "
        f"reported done{open_said}:"
    )
    done = [(a.done_note_id or a.note_id, f"{a.owner}: {a.action} (done)") for a in items]
    return _by_session(context, lower, summary, done)  # each under the session that reported it done


def _on_subject(items: list[ActionItem], about: list[str]) -> list[ActionItem]:
    """The actions with a word starting with one of the stems ``about`` gives ("linke" for LinkedIn)."""
    return [a for a in items if any(k.startswith(st) for st in about for k in keywords(a.action, set()))]


def _by_session(context: PairContext, lower: str, summary: str, lines: list[tuple[str, str]]) -> NotesFound:
    """Action lines, each given with the id of its note, listed under that note's session, oldest first."""
    notes = {n["id"]: n for n in context.notes}
    by_note: dict[str, list[str]] = {}
    for note_id, line in lines:
        by_note.setdefault(note_id, []).append(line)
    ordered = sorted(by_note, key=lambda i: (notes[i]["date"], i))
    excerpts = [
        NoteExcerpt(note_id=i, date=notes[i]["date"], author=context.author(notes[i]), lines=by_note[i])
        for i in ordered
    ]
    return NotesFound(
        query=lower, summary=summary, excerpts=excerpts, citations=[note_citation(notes[i]) for i in ordered]
    )


def _owner(context: PairContext, lower: str, partner: str) -> tuple[str | None, bool]:
    """Whose actions a question asks about (a first name, or None for both), and whether the asker's own.

    A coordinator asks about the member they name, or about both.
    """
    if not context.member:
        named = [
            r for r in ("mentor", "executive") if re.search(rf"\b{context.first_name(r).lower()}\b", lower)
        ]
        return (context.first_name(named[0]) if len(named) == 1 else None), False
    asker = "mentor" if context.viewer.id == context.pair["mentor_id"] else "executive"
    other = "executive" if asker == "mentor" else "mentor"
    owner = None
    name = re.escape(partner.lower())
    lower = re.sub(  # "what have I got open with sofia"; "whats still open between me and helen": both sides
        rf"\b(?:with|from) {name}\b|\b(?:between )?(?:me|i) and {name}\b|\b{name} and (?:me|i)\b", " ", lower
    )
    subject = re.search(rf"\b(i|we|he|she|they|{re.escape(partner.lower())}){COMMITTED}", lower)
    if side := SIDE.search(lower):  # "I have Kai on the 8th. What's outstanding on my side?"
        owner = context.first_name(asker) if side.group(1) == "my" else context.first_name(other)
    elif re.search(WANTED_OF_ME, lower):
        owner = context.first_name(asker)
    elif subject:
        who = subject.group(1)
        owner = context.first_name(asker) if who == "i" else None
        if who not in ("i", "we", "they"):
            owner = context.first_name(other)
    elif MINE.search(lower) and not re.search(
        rf"\b{re.escape(partner.lower())}\b|\b(?:he|she|his|her)\b", lower
    ):
        owner = context.first_name(asker)
    elif re.search(rf"\b{re.escape(partner.lower())}\b|\b(?:he|she|his|her)\b", lower):
        owner = context.first_name(other)
    return owner, owner == context.first_name(asker)


def _agreed_last(context: PairContext, owner: str | None, whose: str) -> NotesFound:
    """The actions the latest note records (the owner's, or both's): agreed there or reported done there."""
    last = max(context.notes, key=lambda n: (n["date"], n["id"]))
    recorded = (a for a in context.actions if last["id"] in (a.note_id, a.done_note_id))  # agreed or closed
    items = [a for a in recorded if owner is None or a.owner.lower() == owner.lower()]
    if not items:
        return NotesFound(
            query="",
            summary=f"{_last_of(context)} ({spoken_day(last['date'])}) recorded no actions on {whose} side.",
        )
    lines = [f"{a.owner}: {a.action} ({'done' if a.done else 'open'})" for a in items]
    summary = f"{_last_of(context)} ({spoken_day(last['date'])}) recorded these actions on {whose} side:"
    excerpts = [NoteExcerpt(note_id=last["id"], date=last["date"], author=context.author(last), lines=lines)]
    cited = [last]
    by_id = {n["id"]: n for n in context.notes}
    still: dict[str, list[str]] = {}  # what is still open from before: "what did he promise" means it too
    for a in context.actions:
        if (
            not a.done
            and a.note_id != last["id"]
            and a.note_id in by_id
            and (owner is None or a.owner.lower() == owner.lower())
        ):
            still.setdefault(a.note_id, []).append(f"{a.owner}: {a.action} (still open)")
    for note_id in sorted(still, key=lambda i: (by_id[i]["date"], i), reverse=True):  # newest first
        note = by_id[note_id]
        excerpts.append(
            NoteExcerpt(note_id=note_id, date=note["date"], author=context.author(note), lines=still[note_id])
        )
        cited.append(note)
    if len(excerpts) > 1:
        summary = summary[:-1] + ", and these from earlier sessions are still open:"
    return NotesFound(
        query="",
        summary=summary.replace("on the side", "between you" if context.member else "between them"),
        excerpts=excerpts,
        citations=[note_citation(n) for n in cited],
    )
