"""Signals in session notes that program health turns into flags: cancellations, friction, who leads.

Each detector reads one note and returns counts or labels, never text, so a caller can report
what it found without quoting anyone. The word lists are deliberately narrow: a flag sends a
coordinator to talk to a pair, so a missed signal costs less than a false alarm. A cue preceded
by a negation ("no cancellations", "isn't rude") does not count.
"""

from __future__ import annotations

import re

_NEGATORS = frozenset({"no", "not", "never", "nor", "zero", "without"})
_WORD = re.compile(r"[\w']+")

# Each match is one cancelled or moved session; plural nouns ("two reschedules") count twice.
_CANCELLATION = re.compile(
    r"\b(?:cancel(?:l?ed|l?ing|s)?|cancell?ations?|resched\w*|postpon\w*|called off|no[- ]shows?)\b",
    re.IGNORECASE,
)
_PLURAL = re.compile(r"^(?:cancell?ations|reschedules|postponements|no[- ]shows)$", re.IGNORECASE)

# Interpersonal tension, by the label a coordinator sees.
FRICTION: dict[str, re.Pattern[str]] = {
    label: re.compile(pattern, re.IGNORECASE)
    for label, pattern in {
        "defensiveness": r"\bdefensive(?:ness)?\b",
        "tension": r"\btense\b|\btensions?\b|\bpushed back hard\b|\bheated\b|\bclash(?:ed|es)?\b",
        "frustration": r"\bfrustrat\w*|\birritat\w*|\bannoy\w*|\bexasperat\w*|\bfed up\b",
        "awkwardness": r"\bawkward\w*|\buncomfortabl\w*",
        "dismissiveness": (
            r"\bdismissive\b|\btold (?:me )?off\b|\btalked down\b|\brude\b|\bcondescending\b|\bpatronis\w*"
        ),
        "resentment": r"\bresent(?:ful|ment|ed)?\b",
    }.items()
}

# Statements that the exchange runs one way (used to explain the flag, not to raise it).
_ONE_WAY = re.compile(
    r"\b(?:did|doing|do) all the talking\b|\bone[- ]way\b|\bhas(?:n't| not) led\b|\bnever (?:leads|led)\b"
    r"|\bwas mine again\b|\bnothing back\b|\b(?:free )?(?:it|tech) support\b",
    re.IGNORECASE,
)


def _negated(text: str, start: int, negators: frozenset[str] = _NEGATORS) -> bool:
    """Whether one of the three words before ``start`` negates what follows."""
    words = [w.lower() for w in _WORD.findall(text[max(0, start - 40) : start])][-3:]
    return any(w in negators or w.endswith("n't") for w in words)


def cancellations(text: str) -> int:
    """How many cancelled, rescheduled or postponed sessions a note mentions."""
    count = 0
    for match in _CANCELLATION.finditer(text):
        if not _negated(text, match.start()):
            count += 2 if _PLURAL.match(match.group(0)) else 1
    return count


def friction(text: str) -> list[str]:
    """The kinds of interpersonal tension a note describes (labels from ``FRICTION``)."""
    # "without it getting awkward" still describes tension, so "without" does not negate here.
    negators = _NEGATORS - {"without"}
    return [
        label
        for label, pattern in FRICTION.items()
        if any(not _negated(text, m.start(), negators) for m in pattern.finditer(text))
    ]


def one_way_remarks(text: str) -> int:
    """How many times a note says the exchange runs one way."""
    return sum(1 for m in _ONE_WAY.finditer(text) if not _negated(text, m.start()))


def executive_led(text: str, author_role: str, executive: str, mentor: str) -> bool:
    """Whether a note shows the executive leading or teaching part of the session.

    Args:
        text: The note.
        author_role: ``mentor`` or ``executive``: who wrote it, which decides what "my half" means.
        executive: The executive's first name.
        mentor: The mentor's first name.
    """
    exec_name, mentor_name = re.escape(executive), re.escape(mentor)
    patterns = [
        rf"\b{exec_name}'s (?:half|part|turn|section|slot)\b",
        rf"\b{exec_name} (?:walked|talked|took) (?:me|us|{mentor_name}) through\b",
        rf"\b{exec_name} (?:led|leads|presented|explained|taught)\b",
    ]
    if author_role == "mentor":
        patterns += [
            r"\b(?:her|his|their) (?:half|part|turn)\b",
            r"\b(?:she|he|they) (?:walked|talked|took) me through\b",
        ]
    elif author_role == "executive":
        patterns += [
            r"\bmy (?:half|part|side|turn)\b",
            r"\bI (?:walked|talked|took) (?:\w+ ){1,2}through\b",
            r"\bI (?:led|lead|presented|explained|taught)\b",
        ]
    for pattern in patterns:
        for match in re.finditer(pattern, text, re.IGNORECASE):
            if not _negated(text, match.start()):
                return True
    return False


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*[-*]\s+|\n\n")
_FIRST_PERSON = re.compile(r"\b(?:I|I've|I'd|my|me)\b")


def cancelled_by(text: str, person: str, written_by_person: bool) -> bool:
    """Whether a note says ``person`` (a first name) cancelled or moved a session.

    A sentence with a cancellation cue counts when it names the person ("cancelled by Helen's
    office") or, in the person's own note, speaks in the first person ("I have cancelled").
    """
    name = re.compile(rf"\b{re.escape(person)}(?:'s)?\b", re.IGNORECASE)
    for sentence in _SENTENCE.split(text):
        if not cancellations(sentence):
            continue
        if name.search(sentence) or (written_by_person and _FIRST_PERSON.search(sentence)):
            return True
    return False
