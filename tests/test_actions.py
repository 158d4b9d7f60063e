"""Action tracking: parsing note lines, matching reworded completions, and the demo's hand labels."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest
import yaml

from assistant.actions import ActionItem, NoteRef, open_actions, parse_action_lines, track_actions
from tests.conftest import KNOWLEDGE

DEMO = KNOWLEDGE / "demo"


def _demo_notes() -> dict[str, list[NoteRef]]:
    program = yaml.safe_load((DEMO / "program.yaml").read_text(encoding="utf-8"))
    by_pair: dict[str, list[NoteRef]] = defaultdict(list)
    for note in program["notes"]:
        notes = by_pair[note["pair"]]
        notes.append(NoteRef(f"{note['pair']}-{len(notes) + 1:02d}", note["date"], note["text"]))
    return by_pair


def _expected() -> dict[str, Any]:
    pairs: dict[str, Any] = yaml.safe_load((DEMO / "expected.yaml").read_text(encoding="utf-8"))["pairs"]
    return pairs


def _pairs(items: list[ActionItem], done: bool) -> set[tuple[str, str]]:
    return {(i.owner, i.action) for i in items if i.done is done}


def note(note_id: str, day: int, *lines: str) -> NoteRef:
    return NoteRef(note_id, dt.date(2026, 3, day), "Notes.\n" + "\n".join(lines) + "\n")


@pytest.mark.parametrize("pair", sorted(_expected()))
def test_demo_actions_match_hand_labels(pair: str) -> None:
    expected = _expected()[pair]
    items = track_actions(_demo_notes()[pair])
    assert _pairs(items, done=False) == {(a["owner"], a["action"]) for a in expected["open_actions"]}
    assert _pairs(items, done=True) == {(a["owner"], a["action"]) for a in expected["done_actions"]}
    # Each action is listed once, and open_actions returns exactly the open ones.
    assert len(items) == len({(i.owner, i.action) for i in items})
    assert [i for i in items if not i.done] == sorted(open_actions(items), key=items.index)


def test_demo_reworded_completion_records_closing_note() -> None:
    items = track_actions(_demo_notes()["noor-ingrid"])
    (trial,) = [i for i in items if i.action == "trial a self-rostering pilot at one depot"]
    assert trial.done
    assert trial.since == dt.date(2026, 7, 30)
    assert trial.done_date == dt.date(2026, 11, 12)
    assert trial.done_note_id is not None and trial.done_note_id != trial.note_id


def test_parse_variants() -> None:
    text = (
        "Actions:\n"
        "- [ ] Martin: share the budget calendar\n"
        "* [x] Priya: set up a workspace  \n"
        "    - [X] Kai: draft three questions\n"
        "  * [ ] Helen: post weekly (from 03-12)\n"
        "- not an action: just a bullet\n"
        "[ ] Noor: no bullet, not an action\n"
    )
    assert parse_action_lines(text) == [
        (False, "Martin", "share the budget calendar"),
        (True, "Priya", "set up a workspace"),
        (True, "Kai", "draft three questions"),
        (False, "Helen", "post weekly"),
    ]


def test_parse_no_actions() -> None:
    assert parse_action_lines("") == []
    assert parse_action_lines("We talked about hybrid work.\n- a bullet\n") == []


def test_reworded_completion_closes_original() -> None:
    items = track_actions(
        [
            note("n1", 1, "- [ ] Martin: move the weekly ops leads update from email into a Teams channel"),
            note("n2", 15, "- [x] Martin: moved the weekly ops leads update from email to a Teams channel"),
        ]
    )
    assert len(items) == 1
    item = items[0]
    assert item.action == "move the weekly ops leads update from email into a Teams channel"
    assert (item.done, item.note_id, item.since) == (True, "n1", dt.date(2026, 3, 1))
    assert (item.done_note_id, item.done_date) == ("n2", dt.date(2026, 3, 15))


def test_verbatim_repeat_is_one_action() -> None:
    line = "- [ ] Helen: post in the Slack channel at least once a week"
    items = track_actions([note("n1", 1, line), note("n2", 8, "Carried over:", line)])
    assert len(items) == 1
    assert (items[0].note_id, items[0].done) == ("n1", False)


def test_unrelated_actions_of_one_owner_stay_apart() -> None:
    items = track_actions(
        [
            note("n1", 1, "- [ ] Martin: share the budget calendar", "- [ ] Martin: share the board deck"),
            note("n2", 8, "- [x] Martin: share the board deck"),
        ]
    )
    assert [(i.action, i.done) for i in items] == [
        ("share the budget calendar", False),
        ("share the board deck", True),
    ]
    assert [i.action for i in open_actions(items)] == ["share the budget calendar"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("share the FY27 budget calendar with Priya", "share the board deck with Priya"),
        (
            "draft the message to drivers explaining the self-rostering pilot",
            "collect driver feedback from the first month of the self-rostering pilot",
        ),
    ],
)
def test_actions_sharing_some_words_stay_apart(first: str, second: str) -> None:
    # The only open action of that owner shares words with the new line but is a different action.
    done = track_actions([note("n1", 1, f"- [ ] Noor: {first}"), note("n2", 8, f"- [x] Noor: {second}")])
    assert [(i.action, i.done) for i in done] == [(first, False), (second, True)]
    opened = track_actions([note("n1", 1, f"- [ ] Noor: {first}"), note("n2", 8, f"- [ ] Noor: {second}")])
    assert [(i.action, i.note_id) for i in opened] == [(first, "n1"), (second, "n2")]


def test_other_owner_does_not_close() -> None:
    items = track_actions(
        [
            note("n1", 1, "- [ ] Martin: share the budget calendar"),
            note("n2", 8, "- [x] Priya: share the budget calendar"),
        ]
    )
    assert [(i.owner, i.done, i.note_id) for i in items] == [("Martin", False, "n1"), ("Priya", True, "n2")]


def test_owner_match_ignores_case() -> None:
    items = track_actions(
        [
            note("n1", 1, "- [ ] Martin: share the budget calendar"),
            note("n2", 8, "- [x] martin: share the budget calendar"),
        ]
    )
    assert [(i.owner, i.done) for i in items] == [("Martin", True)]


def test_notes_are_processed_in_date_order() -> None:
    # The completion is passed first but dated later; the opening note still comes first.
    items = track_actions(
        [
            note("later", 20, "- [x] Kai: share the AI prompt examples"),
            note("earlier", 5, "- [ ] Kai: share the AI prompt examples"),
        ]
    )
    assert len(items) == 1
    assert (items[0].note_id, items[0].done_note_id, items[0].done) == ("earlier", "later", True)


def test_completion_without_open_action_is_a_done_action() -> None:
    items = track_actions([note("n1", 3, "- [x] Noor: join the union consultation as an observer")])
    assert items == [
        ActionItem(
            "Noor",
            "join the union consultation as an observer",
            dt.date(2026, 3, 3),
            "n1",
            True,
            "n1",
            dt.date(2026, 3, 3),
        )
    ]


def test_repeated_completion_is_not_a_new_action() -> None:
    line = "- [x] Noor: join the union consultation as an observer"
    items = track_actions(
        [note("n1", 1, line.replace("[x]", "[ ]")), note("n2", 8, line), note("n3", 15, line)]
    )
    assert [(i.done, i.done_note_id) for i in items] == [(True, "n2")]


def test_open_actions_oldest_first() -> None:
    items = [
        ActionItem("Kai", "b", dt.date(2026, 5, 1), "n2"),
        ActionItem("Kai", "a", dt.date(2026, 4, 1), "n1"),
        ActionItem("Kai", "c", dt.date(2026, 3, 1), "n0", done=True),
    ]
    assert [i.action for i in open_actions(items)] == ["a", "b"]


def test_empty_input() -> None:
    assert track_actions([]) == []
    assert track_actions([note("n1", 1, "No actions this time.")]) == []
    assert open_actions([]) == []
