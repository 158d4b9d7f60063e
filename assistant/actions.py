"""Action items in session notes: parse `- [ ] Owner: action` lines and track them to completion.

A note opens an action with `- [ ] Owner: text`; a later note reports it done with `- [x] Owner: text`,
often lightly reworded. A completion is matched to an open action of the same owner by word overlap.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.lexical import tokenize

# `- [ ] Owner: text`, also `* [X]` and indented; the owner is one word (a first name).
_ACTION_LINE = re.compile(r"^\s*[-*]\s+\[([ xX])\]\s+(\w[\w'-]*)\s*:\s*(.+?)\s*$", re.MULTILINE)
# A carried-over action may be tagged with where it came from: "(from 03-12)".
_FROM_SUFFIX = re.compile(r"\s*\(from [^()]*\)$", re.IGNORECASE)
# Overlap coefficient on tokens. The demo's rewordings score >= 0.875 against their originals
# (an appended "(live at Leeds since 2 Nov)" scores 1.0); distinct actions of one owner score
# <= 0.57 (two actions sharing "self-rostering pilot"), so 0.75 sits between the two.
MATCH_THRESHOLD = 0.75


@dataclass(frozen=True)
class NoteRef:
    """The parts of a session note the action tracker needs."""

    id: str
    date: datetime.date
    text: str


@dataclass
class ActionItem:
    """One action across a pair's notes, from the note that opened it to the one that closed it."""

    owner: str
    action: str
    since: datetime.date
    note_id: str
    done: bool = False
    done_note_id: str | None = None
    done_date: datetime.date | None = None


def parse_action_lines(text: str) -> list[tuple[bool, str, str]]:
    """Find the action lines in a note.

    Args:
        text: The note text.

    Returns:
        ``(done, owner, action)`` for each action line, in order; ``action`` has any
        "(from ...)" suffix removed.
    """
    return [
        (box.lower() == "x", owner, _FROM_SUFFIX.sub("", action))
        for box, owner, action in _ACTION_LINE.findall(text)
    ]


def similarity(a: str, b: str) -> float:
    """Overlap coefficient of two texts' word tokens: shared tokens over the smaller token set."""
    left, right = set(tokenize(a)), set(tokenize(b))
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))


def _best_match(items: list[ActionItem], owner: str, action: str) -> ActionItem | None:
    """The item of ``owner`` most similar to ``action`` (oldest on ties), if similar enough."""
    scored = [
        (similarity(item.action, action), item) for item in items if item.owner.lower() == owner.lower()
    ]
    # max() keeps the first of equal scores, i.e. the oldest item.
    score, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return best if score >= MATCH_THRESHOLD else None


def track_actions(notes: Iterable[NoteRef]) -> list[ActionItem]:
    """Collect every action across one pair's notes, with its done-state.

    Notes are read in date order (stable for equal dates). A `[ ]` line similar to an action
    of the same owner that is still open is the same action (e.g. "Carried over:"). A `[x]` line
    closes the most similar open action of the same owner; with none, it is recorded as a
    done action first seen in that note, unless it repeats an action already closed.

    Args:
        notes: The pair's notes, in any order.

    Returns:
        The actions in the order they first appeared (fresh copies: callers may change them).
    """
    return [replace(item) for item in _tracked(tuple(notes))]


@lru_cache(maxsize=256)
def _tracked(notes: tuple[NoteRef, ...]) -> tuple[ActionItem, ...]:
    """``track_actions``, remembered: a pair's notes change rarely and matching is word by word."""
    items: list[ActionItem] = []
    for note in sorted(notes, key=lambda n: n.date):
        for done, owner, action in parse_action_lines(note.text):
            open_items = [item for item in items if not item.done]
            match = _best_match(open_items, owner, action)
            if not done:
                if match is None:
                    items.append(ActionItem(owner, action, note.date, note.id))
                continue
            if match is None:
                if _best_match([i for i in items if i.done], owner, action) is not None:
                    continue
                match = ActionItem(owner, action, note.date, note.id)
                items.append(match)
            match.done, match.done_note_id, match.done_date = True, note.id, note.date
    return tuple(items)


def open_actions(items: Iterable[ActionItem]) -> list[ActionItem]:
    """The items not done yet, oldest first."""
    return sorted((item for item in items if not item.done), key=lambda item: item.since)


# Where a sentence ends and the next begins, and the marker a list item or an action opens with.
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
MARKER = re.compile(r"^\s*(?:(?:[-*#>]+|\d{1,2}[.)])\s*)?(?:\[( |x|X)\]\s*)?")


def note_blocks(text: str) -> list[str]:
    """Paragraphs and list items, with hard-wrapped lines joined back together."""
    blocks: list[str] = []
    current: list[str] = []
    for raw in text.splitlines():
        starts_item = bool(re.match(r"\s*(?:[-*]|\d{1,2}[.)])\s+", raw))
        if not raw.strip() or starts_item or re.match(r"\s*#", raw):
            if current:
                blocks.append(" ".join(current))
            current = [raw.strip()] if raw.strip() else []
            continue
        if current and current[-1].endswith(":") and not starts_item:
            blocks.append(" ".join(current))
            current = []
        current.append(raw.strip())
    if current:
        blocks.append(" ".join(current))
    return blocks


def note_lines(text: str) -> list[str]:
    """A note's sentences and list items, markers removed; an action keeps its done/open mark."""
    out = []
    for block in note_blocks(text):
        marker = MARKER.match(block)
        box = marker.group(1) if marker else None
        body = block[marker.end() if marker else 0 :].strip().replace("**", "").replace("__", "")
        if box is not None:
            out.append(f"{body} (done)" if box.lower() == "x" else f"{body} (open)")
        elif not (body.endswith(":") and len(body.split()) <= 3):  # a bare "Actions:" says nothing
            out.extend(s.strip() for s in SENTENCE_BREAK.split(body) if len(s.strip()) > 3)
    return out
