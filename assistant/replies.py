"""What the chat says besides a tool's result: small talk, questions back, and more on one item."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from jinja2 import Environment, StrictUndefined

from assistant.dialogue import Lexicon, Understander, as_said
from assistant.render import BRIEF_SECTIONS, clipped, plain, spoken_day, spoken_list
from assistant.tasks.notes import note_lines
from assistant.tasks.schemas import NotesFound, Result

_ENV = Environment(undefined=StrictUndefined, autoescape=False)


def say(template: str, **values: Any) -> str:
    """Render one reply from the dialogue knowledge."""
    return _ENV.from_string(template).render(**values).strip()


def intro(lexicon: Lexicon, role: str, partner: str | None) -> str:
    """What the assistant can do for this role, in one or two sentences."""
    text = lexicon.replies["role_intro"].get(role, lexicon.replies["role_intro"]["admin"])
    return say(text, partner=partner or "your partner")


def examples(lexicon: Lexicon, role: str, partner: str | None) -> list[str]:
    """Example requests for the role, naming the partner when there is one."""
    said = lexicon.replies["examples"].get(role, lexicon.replies["examples"]["admin"])
    return [say(e, partner=partner) for e in said]


def capabilities(lexicon: Lexicon, role: str, partner: str | None) -> str:
    """A short capabilities answer with example requests for the role."""
    lines = "\n".join(f"- “{e}”" for e in examples(lexicon, role, partner))
    closing = "Ask in your own words; every answer shows its sources."
    return f"{intro(lexicon, role, partner)}\n\nFor example:\n\n{lines}\n\n{closing}"


def clarify(lexicon: Lexicon, options: list[str], points_back: bool = False) -> str:
    """One clarifying question offering the likely intents (saying why when nothing came before)."""
    names = lexicon.replies["intent_names"]
    spoken = [names.get(o, o) for o in options if o in names]
    template = lexicon.replies["clarify_points_back" if points_back else "clarify"]
    return say(template, options=" or ".join(spoken[:3]))


def option_requests(lexicon: Lexicon, options: list[str]) -> list[str]:
    """A request for each option of a clarifying question, offered as buttons."""
    requests = lexicon.replies["option_requests"]
    return [requests[o] for o in options if o in requests][:3]


def items(task: str, payload: dict[str, Any]) -> list[str]:
    """Titles of an answer's numbered items, which follow-ups can refer to by place or name."""
    if task == "topics":
        return [t["title"] for t in payload.get("topics", [])]
    if task == "agenda":
        return [f"{i['title']} ({i['lead']})" for i in payload.get("items", [])]
    if task == "coach":
        return [s["action"] for s in payload.get("steps", [])]
    if task == "brief":  # the numbered agenda, then the open actions (named: "the AI tips thing")
        agenda = [i["title"] for i in payload.get("agenda", {}).get("items", [])]
        return agenda + [f"{a['owner']}: {a['action']}" for a in payload.get("open_actions", [])]
    if task == "search_notes":
        return [_excerpt_title(e["date"], e["lines"]) for e in payload.get("excerpts", [])]
    if task in ("program_health", "pairing", "rotation", "meeting_times"):
        return list(payload.get("items", []))
    return []


def notes_behind(payload: dict[str, Any], whose: str = "your") -> str:
    """Which session notes (and guideline passages) an answer from the notes rests on."""
    authors = {e.get("note_id"): e.get("author") for e in payload.get("excerpts", [])}
    notes = [c for c in payload.get("citations", []) if c.get("kind") == "note"]
    if not notes:
        return "That answer doesn't rest on any session note."
    named = {n: f"{author}'s note" for n, author in authors.items() if author}
    listed = "\n".join(
        f"- {named.get(c['note_id'], 'The note')} of {spoken_day(c['date'])} (note {c['note_id']})"
        for c in notes
    )
    if not (rules := _passages(payload)):
        return f"That comes from {whose} session notes, not the guidelines:\n\n{listed}"
    return (
        f"That comes from {whose} session notes:\n\n{listed}\n\nAnd from these guideline sections:\n{rules}"
    )


def _passages(payload: dict[str, Any]) -> str:
    """The guideline passages an answer cites, a line each ("- “Cadence” in faq.md"), or ""."""
    return "\n".join(
        f"- “{c.get('section') or 'the start'}” in {c.get('source')}"
        for c in payload.get("citations", [])
        if c.get("kind") == "guideline"
    )


def expand(
    task: str,
    payload: dict[str, Any],
    ref: int,
    readable_notes: dict[str, dict[str, Any]],
    whose: str = "your",
    sources: bool = False,
) -> str:
    """More about item ``ref`` (1-based) of a previous answer; a note is of ``whose`` session ("your").

    With ``sources``, an answer from the notes says which notes it rests on instead.
    """
    if task == "ask":  # "where does it say that?"
        if not (where := _passages(payload)):
            return "That answer doesn't rest on a passage of the guidelines, so there is nothing to point to."
        return f"That answer comes from these parts of the guidelines:\n\n{where}"
    if sources and task in ("search_notes", "brief"):  # "is that from the guidelines or our notes?"
        return notes_behind(payload, whose)
    found = items(task, payload)
    if not found:
        return "My last answer had no numbered items to pick from. Which part should I say more about?"
    if not 1 <= ref <= len(found) and len(found) == 1:  # "2nd point, more" when there was one
        more = expand(task, payload, 1, readable_notes, whose)
        return f"My last answer had only one point; here it is in more detail.\n\n{more}"
    if not 1 <= ref <= len(found):
        n = len(found)
        return f"My last answer had {n} item{'s' if n != 1 else ''}; which one did you mean (1–{n})?"
    index = ref - 1
    if task == "topics":
        t = payload["topics"][index]
        questions = "\n".join(f"- “{q}”" for q in t["opening_questions"])
        behind = _sources(t.get("citations", []))
        return f"**{t['title']}**\n\n{plain(t['why'])}\n\nWays to open it:\n\n{questions}" + behind
    if task == "brief" and index >= len(payload["agenda"]["items"]):
        action = payload["open_actions"][index - len(payload["agenda"]["items"])]
        return (
            f"**{action['owner']}: {plain(action['action'])}**\n\n"
            f"Open since the session of {spoken_day(action['since'])} (note {action['note_id']})."
        )
    if task in ("agenda", "brief"):
        agenda = payload if task == "agenda" else payload["agenda"]
        i = agenda["items"][index]
        lead = "both of you" if i["lead"] == "both" else f"the {i['lead']}"
        details = plain(i.get("details") or "No details were given for this part.")
        return f"**{i['title']}** ({i['minutes']} minutes, led by {lead})\n\n{details}"
    if task == "coach":
        step = payload["steps"][index]
        return f"**Step {ref}: {plain(step['action'])}**\n\nWhy it helps: {plain(step['why'])}"
    if task == "search_notes":
        excerpt = payload["excerpts"][index]
        note = readable_notes.get(excerpt["note_id"])
        if note is None:
            return "That note is no longer one you can read."
        lines = "\n".join(f"- {plain(line)}" for line in note_lines(note["text"]))
        return f"{whose[0].upper()}{whose[1:]} session of {spoken_day(note['date'])}:\n\n{lines}"
    if task == "program_health":
        return _pair_figures(found[index], payload.get("data", {}).get("pairs", {}))
    if task == "rotation" and not found[index].startswith("Proposed"):
        return _next_partners(found[index], [i for i in found if i.startswith("Proposed")])
    return found[index]


def verdict(
    lexicon: Lexicon, payload: dict[str, Any], asked: str = "verdict", elsewhere: bool = False
) -> str:
    """A rule answer's verdict or, with ``asked="opinion"``, the assistant's own view, when asked for.

    "So is that a yes or a no?" and "what would you suggest?" get what can be said for the answer's
    outcome, then its gist.
    """
    said = [s for s in re.split(r"(?<=[.!?])\s+", plain(str(payload.get("answer", ""))).strip()) if s]
    outcome = str(payload.get("outcome", "direct"))
    gist = said[:1] if outcome == "direct" else said[1:3]  # past "The guidelines don't cover this."
    if asked == "opinion":  # what to pass on: the answer's sentences, not where they come from
        gist = [s for s in said[: 3 if outcome == "direct" else 4] if not s.startswith(("(", "For more"))]
        gist = gist if outcome != "not_covered" else said[1:2]  # who answers such questions, if known
        if outcome == "closest" and len(said) > 1:  # "… the closest they come is" says it once
            gist = [said[1].removeprefix("The closest they come is "), *gist[2:]]
    said_first = [lexicon.replies[asked]["elsewhere"]] if elsewhere else []  # "what do other programmes do?"
    return " ".join([*said_first, lexicon.replies[asked][outcome], *gist])


def quotable(lexicon: Lexicon, payload: dict[str, Any]) -> str:
    """Whether program figures just shown may be passed on: averages over enough people, or names."""
    data, said = payload.get("data", {}), lexicon.replies["quotable"]
    if least := data.get("min_group_size"):
        return str(said["averages"]).format(n=least)
    return str(said["names" if data.get("named", True) else "unnamed"])


def left_out(lexicon: Lexicon, payload: dict[str, Any], month: int) -> str:
    """Why a month asked about is not in the pulse by month: too few answers, or outside its range."""
    data, said = payload.get("data", {}), lexicon.replies["left_out"]
    months = [*data.get("shown", []), *data.get("left_out", [])]
    asked = next((m for m in reversed(sorted(months)) if int(m[5:]) == month), None)
    name = dt.date(2000, month, 1).strftime("%B")
    if asked in data.get("shown", []):  # "what about november": its figure, as listed
        listed = next((plain(i) for i in payload.get("items", []) if name in i), None)
        return f"{listed}." if listed else str(said["shown"]).format(month=name)
    if not months:
        return str(said["none"])
    if asked is None:
        first, last = (
            dt.date(int(m[:4]), int(m[5:]), 1).strftime("%B %Y") for m in (min(months), max(months))
        )
        return str(said["outside"]).format(month=name, first=first, last=last)
    return str(said["too_few"]).format(month=name, n=data.get("min_group_size", 3))


def words_for(payload: dict[str, Any], ref: int) -> str:
    """What the asker could say for step ``ref`` of advice ("a line I could literally say")."""
    steps = payload.get("steps", [])
    if not steps:
        return "My last answer had no steps to put into words. Which part do you mean?"
    step = steps[min(max(ref, 1), len(steps)) - 1]
    if not step.get("say"):
        return f"The playbook has no set words for that step, so in your own words: {plain(step['action'])}"
    return f"You could say something like:\n\n> {step['say']}\n\nThat is for: {plain(step['action'])}"


ACTION_LINE = re.compile(r"^(?P<owner>[A-Z][\w'-]*): (?P<action>.+) \((?P<status>open|done)\)$")


def shown(kind: str, payload: dict[str, Any], ref: int, me: str) -> str:
    """What a notes answer just showed, asked about: whose an action is, its session, the oldest open one."""
    excerpts = payload.get("excerpts", [])
    if not excerpts:
        return "My last answer quoted no notes. What should I look for?"
    one = excerpts[min(max(ref, 1), len(excerpts)) - 1]
    if kind == "when":
        return f"That was the session of {spoken_day(one['date'])} ({one['author']}'s note)."
    if kind == "author":  # "who wrote that one"
        who = "You" if one["author"].lower() == me.lower() else one["author"]
        return f"{who} wrote that, in the note of {spoken_day(one['date'])}."
    asked = [one] if len(excerpts) == 1 or ref > 1 else excerpts
    actions = [(e["date"], found) for e in asked for line in e["lines"] if (found := ACTION_LINE.match(line))]
    if kind == "oldest":
        waiting = [(date, a) for date, a in actions if a["status"] == "open"]
        if not waiting:
            return "None of those is still open."
        date, a = min(waiting, key=lambda pair: pair[0])
        return (
            f"The one waiting longest is {_whose(a['owner'], me)}: “{a['action']}”, "
            f"open since the session of {spoken_day(date)}."
        )
    if not actions:
        day = spoken_day(one["date"])
        return f"That wasn't an action anyone took on: it is from {one['author']}'s note of {day}."
    said = [
        f"{_whose(a['owner'], me).capitalize()}: “{a['action']}” ({a['status']}, from {spoken_day(date)})"
        for date, a in actions
    ]
    if len(said) == 1:
        return f"That one is {said[0][0].lower()}{said[0][1:]}."
    mine = sum(a["owner"].lower() == me.lower() for _, a in actions)
    lead = "None of them is yours." if not mine else f"{mine} of them {'is' if mine == 1 else 'are'} yours."
    return f"{lead}\n\n" + "\n".join(f"- {line}" for line in said)


def _whose(owner: str, me: str) -> str:
    return "yours" if owner.lower() == me.lower() else f"{owner}'s"


def _next_partners(item: str, proposed: list[str]) -> str:
    """A finished pair's line, then where each of the two goes in the proposed rotation."""
    pair = re.match(r"\*\*(.+?) and (.+?)\*\*", item)
    if pair is None:
        return item
    moves = [
        f"- {name}: "
        + next(
            (p.removeprefix("Proposed: ") for p in proposed if f"**{name}**" in p), "no new partner proposed."
        )
        for name in pair.groups()
    ]
    return f"{item}\n\nIn the next cycle:\n\n" + "\n".join(moves)


def _pair_figures(item: str, pairs: dict[str, Any]) -> str:
    """A flagged pair's line with its cadence and open actions, as figures (never note text)."""
    pair_id = next((pid for pid in pairs if f"({pid})" in item or item.startswith(f"**{pid}**")), None)
    if pair_id is None:
        return item
    cadence, open_actions = pairs[pair_id]["cadence"], pairs[pair_id]["open_actions"]
    if ": " not in item and pairs[pair_id].get("why"):  # a line of the short version: its reasons again
        item = f"{item}: {pairs[pair_id]['why']}"
    lines = [
        f"- Sessions held: {cadence['sessions']}"
        + (f", the last on {spoken_day(cadence['last_session'])}" if cadence["last_session"] else ""),
        f"- Recent pace: {cadence['per_month_recent']} a month "
        f"(status: {cadence['status'].replace('_', ' ')})",
    ]
    if open_actions:
        lines.append(
            "- Open actions: " + ", ".join(f"{n} on the {side}'s side" for side, n in open_actions.items())
        )
    return f"{item}\n\n" + "\n".join(lines)


def _sources(citations: list[dict[str, Any]]) -> str:
    names = [
        f"note of {c['date']}" if c["kind"] == "note" else f"“{c.get('section') or c.get('source')}”"
        for c in citations
    ]
    return f"\n\nFrom {spoken_list(names)}." if names else ""


LIST_FIELDS = {
    "topics": "topics",
    "coach": "steps",
    "search_notes": "excerpts",
    "program_health": "items",
    "pairing": "items",
}
_ITEM_WORDS = re.compile(
    r"\b(?:the|that|this|those|these|a|an|one|ones|step|steps|topic|topics|item|items|idea|ideas|bit|part|"
    r"point|points|thing|stuff|about|on|pls|please|bullet)\b"
)


def trim(
    task: str,
    result: Result,
    lexicon: Lexicon,
    leave_out: list[str],
    keep: str | None,
    people: tuple[str, str | None] = ("", None),
) -> tuple[Result, tuple[str, ...], str | None]:
    """The result without the parts a follow-up left out (or with only the part it kept).

    Returns the result, the brief's sections to show, and a sentence saying what the last of them
    did — or that nothing matched, rather than claiming a change that did not happen. ``people``
    is the asker's first name and their partner's: "just my actions" keeps the asker's.
    """
    sections: tuple[str, ...] = BRIEF_SECTIONS
    said: list[str] = []
    original = result
    for part in [*leave_out, *([keep] if keep else [])]:
        kept = part == keep
        owner = _owner(part, *people) if kept else None
        whose = "your" if owner == people[0] else f"{owner}'s"
        if task == "search_notes" and owner and (lines := _owned(result, owner, whose)):  # "only mine pls"
            result = lines
            said.append(f"Only {whose} actions, as you asked.")
            continue
        section = _section(part, lexicon)
        if task == "brief" and section:
            sections = (section,) if kept else tuple(s for s in sections if s != section)
            name = lexicon.replies["section_names"][section]
            actions = getattr(result, "open_actions", []) if section == "open_actions" else []
            if owner and (mine := [a for a in actions if a.owner.lower() == owner.lower()]):
                result = result.model_copy(update={"open_actions": mine})
                said.append(f"Only {whose} open actions, as you asked.")
                continue
            said.append(f"Only the {name}, as you asked." if kept else f"I left out the {name}.")
            continue
        actions = getattr(result, "open_actions", []) if task == "brief" and not kept else []
        if action := next((a for a in actions if f"{a.owner}: {a.action}" == part), None):
            result = (
                result.model_copy(  # "the linkedin item. leave it off": from the list and the overdue line
                    update={
                        "open_actions": [a for a in actions if a is not action],
                        "since_last_time": [
                            s for s in getattr(result, "since_last_time", []) if action.action not in s
                        ],
                    }
                )
            )
            said.append(f"I left out “{clipped(action.action, 60, at_clause=True)}”.")
            continue
        if (
            isinstance(result, NotesFound) and not kept and (fewer := _without(result, part))
        ):  # "skip the survey"
            result, left_out = fewer
            said.append(left_out)
            continue
        titles = items(task, result.model_dump(mode="json"))
        words = [w for w in re.findall(r"[\w&+'-]+", _ITEM_WORDS.sub(" ", part.lower())) if len(w) > 1]
        if task == "program_health" and not titles and not kept and (shorter := _unsaid(result, words)):
            result = shorter  # "drop the pulse numbers" from a paragraph: that clause
            said.append(f"I left out the {part}.")
            continue
        ref = Understander.best_title(words, tuple(titles)) if task in LIST_FIELDS else None
        if ref is None:
            said.append(f"I couldn't find “{part}” in that answer, so it is unchanged.")
            continue
        field = LIST_FIELDS[task]
        entries = list(getattr(result, field))
        title = clipped(plain(titles[ref - 1]), 60, at_clause=True)  # a coaching step: its first words
        if task in ("program_health", "pairing"):  # a pair's line is named by who, not its figures
            title = plain(titles[ref - 1]).split(":")[0]
        chosen = [entries[ref - 1]] if kept else [e for n, e in enumerate(entries, 1) if n != ref]
        if kept and task == "program_health" and (flagged := _flagged(result, titles, entries, words)):
            result, chosen, title = flagged  # "just the cancellations": every pair flagged so
        result = result.model_copy(update={field: chosen})
        said.append(f"Only “{title}”, as you asked." if kept else f"I left out “{title}”.")
    field = LIST_FIELDS.get(task, "")
    if field and getattr(original, field) and not getattr(result, field):  # nothing left to show
        return original, sections, "That was everything I have on this, so here it is again."
    return result, sections, said[-1] if said else None


def _unsaid(result: Result, words: list[str]) -> Result | None:
    """A one-paragraph answer without the clauses (between semicolons) that ``words`` name, if any do."""
    summary = str(getattr(result, "summary", ""))
    clauses = summary.rstrip(".").split("; ")
    kept = [c for c in clauses if Understander.best_title(words, (c,)) is None]
    if len(clauses) < 2 or len(kept) in (0, len(clauses)):
        return None
    return result.model_copy(update={"summary": "; ".join(kept) + "."})


_NAMING = re.compile(r"^the\s+|\s+(?:one|item|point|topic|idea|step|suggestion|thing|bit|piece|option)$")


def _mentioned(words: list[str], text: str) -> int:
    """How many of ``words`` a text mentions, by their first letters (plurals and endings pass)."""
    said = set(re.findall(r"[a-z&+]+", text.lower()))
    return sum(any(t.startswith(w[:5]) for t in said) for w in words)


def named_subject(named: str) -> str:
    """What "the X one" names: X."""
    return _NAMING.sub("", named.strip().lower())


def about_any(task: str, payload: dict[str, Any], named: str) -> bool:
    """Whether an item of an answer is about what "the X one" names.

    A topic by its title or why; a brief's part or open action by every word of X.
    """
    words = [w for w in re.findall(r"[a-z&+]+", named_subject(named)) if len(w) > 1]
    if task == "topics":
        texts = " ".join(f"{t.get('title', '')} {t.get('why', '')}" for t in payload.get("topics", []))
        return not words or _mentioned(words, texts) > 0
    return not words or any(_mentioned(words, item) == len(words) for item in items(task, payload))


def part_with(payload: dict[str, Any], what: str) -> int | None:
    """The agenda part (1-based) whose title or details mention most of ``what``, if any does."""
    words = [w for w in re.findall(r"[a-z&+]+", what.lower()) if len(w) > 2]
    items = payload.get("items", [])
    shared = [_mentioned(words, f"{i.get('title', '')} {i.get('details', '')}") for i in items]
    best = max(shared, default=0)
    return shared.index(best) + 1 if words and best and best * 2 >= len(words) else None


def none_about(named: str, said: str = "") -> str:
    """What to say when "the X one" names no item of the list just shown (X as ``said`` wrote it)."""
    subject = as_said(named_subject(named), said)
    return (
        f"None of these topics is about {subject}. Ask for “topics on {subject}” and I'll look for some, or "
        "pick one of these by its number."
    )


def _owned(result: Result, owner: str, whose: str) -> Result | None:
    """A notes answer with only the action lines ``owner`` holds ("Amara: …"), or None if it has none."""
    prefix = f"{owner.lower()}:"
    excerpts = [
        e.model_copy(update={"lines": lines})
        for e in getattr(result, "excerpts", [])
        if (lines := [line for line in e.lines if line.lower().startswith(prefix)])
    ]
    if not excerpts:
        return None
    count = sum(len(e.lines) for e in excerpts)
    summary = f"{count} of them {'is' if count == 1 else 'are'} {'yours' if whose == 'your' else whose}:"
    return result.model_copy(update={"excerpts": excerpts, "summary": summary})


def _excerpt_title(date: str, lines: list[str]) -> str:
    """How a notes answer's excerpt is named as an item: its date, then its lines."""
    return f"{date} {' '.join(lines)}"


def _without(result: NotesFound, part: str) -> tuple[NotesFound, str] | None:
    """A notes answer without one of its notes ("the first one") or the lines naming a subject ("the survey").

    Returns it with a sentence saying what went, or None when nothing matched or nothing would be left.
    """
    shown = result.excerpts
    if dated := re.match(r"(\d{4}-\d{2}-\d{2}) ", part):  # an excerpt by its place: that note's lines
        excerpts = [e for e in shown if _excerpt_title(e.date, e.lines) != part]
        said = f"I left out the note of {spoken_day(dated.group(1))}."
    else:
        stems = {w[:5] for w in re.findall(r"[a-z]{4,}", _ITEM_WORDS.sub(" ", part.lower())) if w != "bits"}

        def names_it(line: str) -> bool:
            return bool(stems & {w[:5] for w in re.findall(r"[a-z]{4,}", line.lower())})

        excerpts = [
            e.model_copy(update={"lines": lines})
            for e in shown
            if (lines := [x for x in e.lines if not names_it(x)])
        ]
        subject = re.sub(
            r"^(?:the\s+)?(.+?)\s+(?:item|items|bits?|stuff|things?|ones?|parts?|lines?)$", r"\1", part
        )
        said = f"I left out what the notes say about {subject}."
    if not excerpts or sum(len(e.lines) for e in excerpts) == sum(len(e.lines) for e in shown):
        return None  # nothing named it, or nothing else is left
    first, kept = excerpts[0], {e.note_id for e in excerpts}
    summary = re.sub(  # "From your session of 6 August (Gareth's note):": the first note left
        r"session of .+? \(\w+'s note\)",
        f"session of {spoken_day(first.date)} ({first.author}'s note)",
        result.summary,
    )
    citations = [c for c in result.citations if c.note_id in kept]
    return result.model_copy(update={"excerpts": excerpts, "summary": summary, "citations": citations}), said


def _owner(part: str, me: str, partner: str | None) -> str | None:
    """Whose actions a phrase asks for: "my actions" the asker's, "his" or "kai's" the partner's.

    Only its first clause: "the open actions, i know the rest" asks for everyone's.
    """
    words = set(re.findall(r"[a-z]+", re.split(r"[,;.!?]", part.lower())[0]))
    if words & {"my", "mine", "i"}:
        return me or None
    if partner and (words & {"his", "her", "their", "theirs"} or partner.lower() in words):
        return partner.capitalize()
    return None


def _flagged(
    result: Any, titles: list[str], entries: list[Any], words: list[str]
) -> tuple[Any, list[Any], str] | None:
    """Program health with every pair whose flags the words name and its count said to match (None: none)."""
    stems = {w[:5] for w in words if w not in ("the", "ones", "one", "pairs", "pair")}
    named = [
        e
        for e, t in zip(entries, titles, strict=True)
        if stems and stems <= {w[:5] for w in re.findall(r"[\w&+'-]+", plain(t).split(":")[0].lower())}
    ]
    if not named:
        return None
    label = " and ".join(w for w in words if w[:5] in stems)
    flagged = re.search(r"(\d+) pairs? needs? your attention:$", result.summary)
    if flagged and len(named) < len(entries):  # the count above the list is the list's
        many = "1 is" if len(named) == 1 else f"{len(named)} are"
        summary = f"{result.summary[: flagged.start()]}Of the {flagged.group(1)} needing your attention, "
        result = result.model_copy(update={"summary": f"{summary}{many} flagged “{label}”:"})
    one = plain(titles[entries.index(named[0])]).split(":")[0]
    return result, named, one if len(named) == 1 else f"the pairs flagged “{label}”"


def _section(part: str, lexicon: Lexicon) -> str | None:
    """The brief section a phrase names ("the open actions", "questions"), if any."""
    lower = part.lower()
    for section, phrases in lexicon.sections.items():
        if any(re.search(rf"\b{re.escape(p)}", lower) for p in phrases):
            return section
    return None
