"""The chat over the demo program: each failure reported in the chat issue, as the behaviour it should have.

The conversations are the issue's own (knowledge/eval/dialogue/dev.yaml, dev-001..dev-013).
Answers are checked against the demo data in knowledge/demo/, not against exact wording.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import time_machine
import yaml
from fastapi.testclient import TestClient
from markdown_it import MarkdownIt

from api.app import create_app
from assistant import clock, pulse
from assistant.chat import Chat, Reply
from assistant.coordinator import Coordinator
from assistant.core import Assistant
from assistant.dialogue import State, Understander, load_lexicon
from assistant.errors import InvalidInput
from assistant.guide import Guide
from assistant.intent_model import IntentModel, leave_one_out
from assistant.lexical import names_as_meant
from assistant.render import spoken_day
from assistant.replies import expand as expanded
from assistant.settings import REPO_ROOT, Settings
from assistant.tasks.ask import forwarded
from assistant.tasks.message import to_partner
from assistant.tools import sentences
from tests.conftest import KNOWLEDGE, auth

# The coordinator's views of what is coming up are written for this Monday: the demo's next sessions are
# on 8, 10 and 17 December, so these answers change with the day.
ON_A_MONDAY = time_machine.travel(dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC), tick=True)

USERS_OF_PAIRS = ("priya", "martin", "kai", "helen", "amara", "rafael", "sofia", "gareth", "noor", "ingrid")


# Fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def assistant(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A writable copy of the demo program (chat stores turns, and every answer audits its notes)."""
    try:  # conftest's copier, where it has one
        copier: Callable[[str], Assistant] = request.getfixturevalue("demo_copy")
        return copier("dialogue")
    except pytest.FixtureLookupError:
        demo_home: Path = request.getfixturevalue("demo_home")
        home = tmp_path_factory.mktemp("dialogue") / "home"
        shutil.copytree(demo_home, home)
        return Assistant(Settings(home=home, knowledge_dir=KNOWLEDGE))


@pytest.fixture(scope="module")
def chat(assistant: Assistant) -> Chat:
    return Chat(Guide(assistant, model=None))


@pytest.fixture(scope="module")
def client(assistant: Assistant, chat: Chat) -> Iterator[TestClient]:
    with TestClient(create_app(assistant, chat.guide)) as client:
        yield client


def talk(chat: Chat, user: str, *messages: str) -> list[Reply]:
    """One stored conversation: each message answered in turn."""
    replies: list[Reply] = []
    for message in messages:
        replies.append(chat.reply(user, message, replies[-1].conversation_id if replies else None))
    return replies


# The demo data ----------------------------------------------------------------------------------


@cache
def program() -> dict[str, Any]:
    return yaml.safe_load((KNOWLEDGE / "demo" / "program.yaml").read_text(encoding="utf-8"))


@cache
def expected() -> dict[str, Any]:
    return yaml.safe_load((KNOWLEDGE / "demo" / "expected.yaml").read_text(encoding="utf-8"))


def names(user: str) -> list[str]:
    """A demo user's full name and its parts."""
    full = next(u["name"] for u in program()["users"] if u["key"] == user)
    return [full, *full.split()]


def pair_of(user: str) -> dict[str, Any]:
    return next(p for p in program()["pairs"] if user in (p["mentor"], p["executive"]))


def note_ids(pair: str) -> dict[str, dict[str, Any]]:
    """The pair's demo notes by id (numbered in file order, as the demo loader names them)."""
    notes = [n for n in program()["notes"] if n["pair"] == pair]
    return {f"{pair}-{n:02d}": note for n, note in enumerate(notes, 1)}


def readable_text(user: str) -> str:
    """All the note text a pair member may read, whitespace normalised."""
    pair = pair_of(user)["key"]
    notes = note_ids(pair).values()
    return " ".join(
        " ".join(n["text"].split()) for n in notes if n["visibility"] != "private" or n["author"] == user
    )


def hidden_phrases(notes: list[dict[str, Any]], words: int = 7) -> set[str]:
    """Every run of ``words`` consecutive words of these notes (lower case)."""
    runs = set()
    for note in notes:
        tokens = re.findall(r"[\w'’-]+", note["text"].lower())
        runs |= {" ".join(tokens[i : i + words]) for i in range(len(tokens) - words + 1)}
    return runs


def quotes_any(text: str, phrases: set[str], words: int = 7) -> set[str]:
    tokens = re.findall(r"[\w'’-]+", text.lower())
    return {" ".join(tokens[i : i + words]) for i in range(len(tokens) - words + 1)} & phrases


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]


# The issue's conversations, word for word ---------------------------------------------------------


def issue_conversations() -> list[dict[str, Any]]:
    """dev-001..dev-013 of the dialogue set: the conversations reported in the chat issue."""
    data = yaml.safe_load((KNOWLEDGE / "eval" / "dialogue" / "dev.yaml").read_text(encoding="utf-8"))
    return [c for c in data if int(c["id"].split("-")[1]) <= 13]


@pytest.mark.parametrize("conversation", issue_conversations(), ids=lambda c: c["id"])
def test_the_issues_conversations_are_understood(chat: Chat, conversation: dict[str, Any]) -> None:
    """Each turn gets its labelled intent, the earlier answer it acts on, the numbers it states, and
    the facts it must (not) show. Subjects are left to the focused tests below (their wording varies)."""
    replies = talk(chat, conversation["user"], *(t["say"] for t in conversation["turns"]))
    for turn, reply in zip(conversation["turns"], replies, strict=True):
        said = f"{conversation['user']}: {turn['say']!r} -> {reply.intent} {reply.slots}\n{reply.message}"
        assert reply.intent == turn["intent"], said
        if "task" in turn:
            assert reply.slots.get("task") == turn["task"], said
        for slot in ("ref", "minutes", "count"):
            if slot in (turn.get("slots") or {}):
                assert reply.slots.get(slot) == turn["slots"][slot], said
        for phrase in turn.get("must", []):
            assert phrase.lower() in reply.message.lower(), said
        for phrase in turn.get("must_not", []):
            assert phrase.lower() not in reply.message.lower(), said


# Small talk -------------------------------------------------------------------------------------


def test_hi_is_a_short_greeting_not_a_brief(chat: Chat) -> None:
    reply = chat.answer("priya", "hi", [])
    assert reply.task == "greeting", reply.message
    assert len(reply.message) < 400, reply.message
    assert "Priya" in reply.message
    assert not re.search(r"^#|Open actions|Recap|Sources", reply.message, re.M), reply.message
    assert reply.payload is None


@pytest.mark.parametrize("said", ["thanks!", "Very helpful, thank you.", "super useful!"])
def test_thanks_after_coaching_is_short_and_does_not_coach_again(chat: Chat, said: str) -> None:
    coaching, thanks = talk(
        chat,
        "sofia",
        "gareth never does his part of the session. every time i ask abt his side its 'good question, "
        "next time'. how do i bring it up w/o it getting awkward",
        said,
    )
    assert coaching.task == "coach", coaching.message
    assert thanks.task == "thanks", thanks.message
    assert len(thanks.message) < 200 and thanks.payload is None, thanks.message
    assert coaching.payload is not None
    for step in coaching.payload["steps"]:
        assert step["action"][:40] not in thanks.message


@pytest.mark.parametrize(
    ("messages", "nothing_before"),
    [
        (("do that again",), True),
        (("is that allowed?",), True),
        (("hey", "can u do the thing from before"), True),  # a hello is nothing to go back to
        (("how often should we meet?", "ok. and the other thing"), False),  # an answer is
    ],
)
def test_a_message_pointing_at_nothing_said_is_asked_about_with_buttons(
    chat: Chat, messages: tuple[str, ...], nothing_before: bool
) -> None:
    last = talk(chat, "kai", *messages)[-1]
    assert last.intent == "clarify", (last.intent, last.message)
    assert ("anything earlier" in last.message) == nothing_before, last.message
    assert 2 <= len(last.suggestions) <= 3, last.suggestions
    for request in last.suggestions:  # each button is a request that is understood as it is
        assert talk(chat, "kai", request)[-1].intent != "clarify", request


@pytest.mark.parametrize(
    "message",
    [
        "thanks for that",
        "what else can it do",
        "give me 3 topics for this week",
        "can i share this with my team",
    ],
)
def test_a_pointer_word_with_a_subject_or_small_talk_is_not_asked_about(chat: Chat, message: str) -> None:
    assert talk(chat, "kai", message)[-1].intent != "clarify", message


def test_example_requests_name_the_askers_partner(chat: Chat) -> None:
    hello = talk(chat, "kai", "hi")[-1]
    assert any("Helen" in s for s in hello.suggestions), hello.suggestions
    assert not any(re.search(r"\b(?:he|she)\b", s) for s in hello.suggestions), hello.suggestions


# Topics and follow-ups on them --------------------------------------------------------------------


def test_topics_for_next_time_then_more_on_the_second(chat: Chat) -> None:
    topics, more = talk(
        chat, "priya", "what should we talk about next time?", "can u explain the 2nd one more"
    )
    assert topics.task == "topics", topics.message
    assert topics.slots.get("focus") is None, topics.slots
    assert "next time" not in topics.message.lower(), "the question's words are not a subject to quote"
    assert "nothing new in the catalog" not in topics.message.lower()
    assert more.intent == "expand" and more.slots.get("ref") == 2, (more.intent, more.slots)
    assert topics.payload is not None
    assert topics.payload["topics"][1]["title"] in more.message


def test_an_agenda_asked_shorter_than_allowed_is_the_shortest_with_a_word_why(chat: Chat) -> None:
    agenda, shorter = talk(chat, "sofia", "draft an agenda for our next session", "make it 20 mins")
    assert agenda.task == "agenda" and agenda.payload is not None
    assert shorter.task == "agenda" and shorter.payload is not None, shorter.message
    assert shorter.payload["minutes"] == 30
    assert sum(i["minutes"] for i in shorter.payload["items"]) == 30
    opening = shorter.message.split("\n\n")[0].lower()
    assert "30" in opening and "shortest" in opening, shorter.message


def test_a_notes_question_names_its_own_subject_before_pointing_back(chat: Chat) -> None:
    """ "up to speed" is an idiom and "doesnt" no subject; a named thing beats the one before it."""
    first, second = talk(
        chat,
        "kai",
        "got helen tues (if she doesnt cancel lol). get me up to speed, what did we agree last time",
        "the expense tool walkthrough, did that even happen",
    )
    assert first.slots.get("focus") is None, first.slots
    assert second.task == "search_notes" and "expense tool" in (second.slots.get("focus") or ""), second.slots


def test_replace_it_after_pointing_at_an_item_replaces_that_item(chat: Chat) -> None:
    topics, replaced = talk(
        chat,
        "ingrid",
        "topics for my next session with noor",
        "The second one won't land with my team. Replace it.",
    )
    before = [t["title"] for t in topics.payload["topics"]]
    after = [t["title"] for t in replaced.payload["topics"]]
    assert replaced.slots.get("ref") == 2, replaced.slots
    assert before[1] not in after and before[0] in after, (before, after)
    assert f"I replaced “{before[1]}”" in replaced.message, replaced.message


def test_not_x_after_topics_asks_for_others_and_not_sure_does_not(chat: Chat) -> None:
    topics, other = talk(
        chat, "helen", "what could kai teach me next time", "Not Excel, I'm fine with Excel now."
    )
    assert other.intent == "edit" and other.slots.get("change") == "other", other.slots
    before = {t["title"] for t in topics.payload["topics"]}
    assert not before & {t["title"] for t in other.payload["topics"]}
    state = State("topics", {}, ("A", "B"), None, "executive")
    unsure = chat.understander.follow_up("not sure, what do you think?", state)
    assert unsure is None or unsure.slots.get("change") != "other", unsure


def test_a_length_said_beats_the_words_around_it(chat: Chat) -> None:
    """ "he won't give me more" is why the length is short, not a request for a longer one."""
    _, whole = talk(
        chat,
        "sofia",
        "draft an agenda for our next session",
        "make the whole thing 20 min, he won't give me more",
    )
    assert whole.payload is not None and whole.payload["minutes"] == 30, whole.message
    assert "shortest" in whole.message.split("\n\n")[0].lower()
    _, part = talk(
        chat, "sofia", "draft a 45 min agenda for our next session", "give his part 20, he always overruns"
    )
    assert part.payload is not None and part.payload["minutes"] == 45, part.message
    led = [i for i in part.payload["items"] if i["lead"] == "executive"]
    assert led and led[0]["minutes"] == 20, part.payload["items"]


def test_three_topics_about_ai(chat: Chat) -> None:
    reply = chat.answer("amara", "give me 3 topics about AI", [])
    assert reply.task == "topics" and reply.payload is not None, reply.message
    assert reply.slots.get("focus") == "ai"
    titles = [t["title"] for t in reply.payload["topics"]]
    assert len(titles) == 3, titles
    assert any(re.search(r"\bAI\b", title) for title in titles), titles


def test_three_topics_on_customer_stuff(chat: Chat) -> None:
    reply = chat.answer("sofia", "3 topics on customer stuff", [])
    assert reply.task == "topics" and reply.payload is not None, reply.message
    assert reply.slots.get("focus") in ("customer", "customers"), reply.slots
    catalog = yaml.safe_load((KNOWLEDGE / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    category = {t["title"]: t["category"] for t in catalog}
    titles = [t["title"] for t in reply.payload["topics"]]
    assert len(titles) == 3, titles
    about_customers = [t for t in titles if category.get(t) == "customers-and-market"]
    assert len(about_customers) * 2 > len(titles), titles


# What the notes say -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "question", "must", "must_not"),
    [
        ("priya", "what did martin say about the budget last time?", "charging", "your generation"),
        ("helen", "what did kai and I agree last time?", "hedging", "not raising it"),
    ],
)
def test_a_question_about_the_notes_answers_from_the_pairs_own_notes(
    chat: Chat, user: str, question: str, must: str, must_not: str
) -> None:
    reply = chat.answer(user, question, [])
    assert reply.task == "search_notes", reply.message
    pair = pair_of(user)["key"]
    cited = [c["note_id"] for c in reply.citations]
    assert cited and all(c["kind"] == "note" for c in reply.citations), reply.citations
    assert all(note in note_ids(pair) for note in cited), cited
    assert must in reply.message.lower(), reply.message
    assert must_not not in reply.message.lower(), "another member's private note"
    assert reply.payload is not None
    mine = readable_text(user)
    for excerpt in reply.payload["excerpts"]:
        for line in excerpt["lines"]:
            quoted = re.sub(r"\s*\((?:open|done)\)$", "", " ".join(line.split()))
            assert quoted in mine, f"not in {user}'s notes: {line!r}"
    others = {
        n
        for u in USERS_OF_PAIRS
        if u not in (pair_of(user)["mentor"], pair_of(user)["executive"])
        for n in names(u)[1:]
    }
    assert not [n for n in others if re.search(rf"\b{n}\b", reply.message)], reply.message


# Rules and coaching -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("dhanyavaad 🙏", "thanks"),
        ("daalụ", "thanks"),
        ("do my notes say anything abt the graduate cohort case", "search_notes"),
        ("how many times have we met", "search_notes"),
        ("give me talking points on burnout", "topics"),
        ("what am i supposed to do in the first session", "ask"),
        ("when does the next cycle start", "ask"),  # a mentor's question; rotation is the coordinators'
        ("has kai mentioned tiktok before", "search_notes"),
        ("how many times has she cancelled, what do my notes say", "search_notes"),
        ("what should my notes say", "ask"),
        ("do the notes need to be typed", "ask"),
        ("agenda pls, main thing is the town hall prep", "agenda"),  # "prep" is the subject here
        ("prep for tomorrow pls", "brief"),
        ("the 8th w helen, need a plan", "agenda"),
        ("30 minutes on the 8th. I'd like Kai to take me through the expense tool walkthrough", "agenda"),
        ("what did we cover in the 45 minutes last time?", "search_notes"),
        ("Did I say I'd report back on the quiet hours thing?", "search_notes"),
        ("what do i do if he cancels again", "coach"),
        ("help me reply to her kindly", "draft_message"),
        ("what exactly did kai say he'd prep for me", "search_notes"),
        ("drop her a line pls, asking for 45 min next tuesday", "draft_message"),
        ("can you draft a friendly check in about the pilot", "draft_message"),
        ("the priya one", "clarify"),
        ("two angles for my reporting slot?", "topics"),
        ("morning! quick one", "greeting"),
        ("is there any guidance on how long each half should run", "ask"),
        ("after how many missed sessions does a pair count as stalled", "ask"),  # a mentor asks the rule
        ("what happens when a pair stalls, who steps in", "ask"),
        ("anything from the summer about the town hall?", "search_notes"),
        ("hi, jonas here, I look after the setup side", "greeting"),  # a hello and who they are
        ("hello it's sofia, new to this", "greeting"),
        ("hi im stuck with gareth talking over me", "coach"),  # a hello before a problem is the problem
        ("I've cancelled on him a lot and I'd like to stop. What would actually work?", "coach"),
        ("What do I need to know for the 10th?", "brief"),
        ("Before I meet Amara, what happened last time and what did I promise?", "brief"),
        ("I'm seeing Priya on Thursday. Can you give me a run-down of what we covered last time?", "brief"),
        ("im seeing him tmrw, what did he say about linkedin last time", "search_notes"),  # one thing asked
        ("morning! what should we talk about on thursday", "topics"),  # a hello, then the request
        ("hey how's it going", "greeting"),
        ("nice. ok and when did we last talk about the budget", "search_notes"),  # thanks, then a question
        ("cheers, that works for the slide", "thanks"),  # thanks and a remark
        ("what do i need to know about the confidentiality rules", "ask"),
    ],
)
def test_first_messages_read_by_what_they_ask_for(chat: Chat, message: str, intent: str) -> None:
    assert chat.understander.understand(message, State(), "mentor").intent == intent


def test_telling_the_manager_answers_with_the_confidentiality_rule_first(chat: Chat) -> None:
    reply = chat.answer("kai", "is it ok to tell my manager what helen said about the restructuring?", [])
    assert reply.task == "ask", reply.message
    # The guidelines: what is said in a session stays in the pair; a manager asking is told sessions
    # are confidential (confidentiality-and-notes.md, faq.md "Can my manager read our notes?").
    # The answer leads with that rule: the first sentence, or the first after saying how directly
    # the guidelines answer ("The guidelines don't say this directly. The closest they come is …").
    lead = " ".join(re.split(r"(?<=[.!?])\s+", reply.message.strip(), maxsplit=2)[:2]).lower()
    assert "manager" in lead or "stays between the two members of the pair" in lead, reply.message


def test_a_question_the_guidelines_do_not_answer_abstains_as_ask_does(chat: Chat) -> None:
    question = "do participants get a certificate?"
    reply = chat.answer("noor", question, [])
    assert reply.task == "ask" and reply.payload is not None, reply.message
    assert reply.payload["abstained"] == chat.guide.ask(question, "noor").abstained


def test_an_executive_who_cancels_is_coached_on_her_own_cancellations(chat: Chat) -> None:
    reply = chat.answer("helen", "my mentor keeps cancelling", [])
    assert reply.task == "coach", reply.message
    assert "through the executive's assistant" not in reply.message
    lower = reply.message.lower()
    assert "your own notes" in lower or "your notes" in lower, reply.message
    assert re.search(r"\byour side\b|\byou (?:cancel|mov)", lower), reply.message
    hers = note_ids("kai-helen")
    cited = [c["note_id"] for c in reply.citations if c["kind"] == "note"]
    assert any(hers[n]["author"] == "helen" for n in cited if n in hers), cited


# Coordinators ---------------------------------------------------------------------------------------


def test_pairs_needing_attention_are_named_without_note_text(chat: Chat) -> None:
    reply = chat.answer("marisol", "which pairs need attention this week?", [])
    assert reply.task == "program_health", reply.message
    flagged = [key for key, pair in expected()["pairs"].items() if pair["flags"]]
    for key in flagged:
        pair = next(p for p in program()["pairs"] if p["key"] == key)
        for member in (pair["mentor"], pair["executive"]):
            assert names(member)[0] in reply.message, (key, reply.message)
    unseen = [n for n in program()["notes"] if n["visibility"] != "program"]
    assert not quotes_any(reply.message, hidden_phrases(unseen)), reply.message
    for phrase in ("iberia", "free it support", "checking his phone", "not raising it"):
        assert phrase not in reply.message.lower()


def test_a_coordinator_asking_after_one_pair_gets_that_pair_alone(chat: Chat) -> None:
    """Its status, flags and figures, never note text; "and priya and martin?" asks the same of them."""
    one, other = talk(chat, "marisol", "how are kai and helen doing", "and priya and martin?")
    assert one.task == "program_health" and one.message.startswith("**Kai Nakamura and Helen Drummond**")
    assert "Amara" not in one.message and "Sessions held: " in one.message, one.message
    assert other.task == "program_health" and other.message.startswith(
        "**Priya Raman and Martin Achterberg**"
    )
    unseen = [n for n in program()["notes"] if n["visibility"] != "program"]
    assert not quotes_any(one.message + other.message, hidden_phrases(unseen))


def test_program_health_in_short_keeps_each_pair_without_its_reasons_and_a_figure_asked_for_is_shown(
    chat: Chat,
) -> None:
    full, short, stalled = talk(
        chat,
        "marisol",
        "which pairs need attention",
        "put that in one line for the report",
        "the stalled one, whats the background",
    )
    idle = re.search(r"No session for \d+ days", full.message)  # the days run on with the real date
    assert idle and "No session for" not in short.message, short.message
    assert stalled.intent == "expand" and idle.group(0) in stalled.message, stalled.message
    assert "(kai-helen), cancellations" in short.message and len(short.message) < len(full.message) * 0.7
    _, asked = talk(chat, "marisol", "which pairs need attention", "how many cancellations is that")
    assert asked.intent == "expand" and "7 sessions cancelled" in asked.message, asked.message


@pytest.mark.parametrize(
    ("user", "message", "said"),
    [
        ("gareth", "Can you read my inbox?", "I can't see anyone's email"),
        ("helen", "can you check the figures in Kai's hedging case for me", "I can't check figures"),
    ],
)
def test_asked_what_it_cannot_do_it_says_so_then_what_it_can(
    chat: Chat, user: str, message: str, said: str
) -> None:
    (reply,) = talk(chat, user, message)
    assert reply.intent == "capabilities" and reply.message.startswith(said), reply.message


def test_an_admin_asking_for_notes_is_told_they_read_none(chat: Chat) -> None:
    """Not "no notes are shared yet", which would be untrue of what the coordinator sees."""
    (reply,) = talk(chat, "jonas", "can you show me priya's notes")
    assert reply.message.startswith("An admin reads no session notes"), reply.message
    assert not quotes_any(reply.message, hidden_phrases(program()["notes"]))


def test_swapping_one_suggested_match_keeps_those_two_apart(chat: Chat) -> None:
    first, swapped = talk(chat, "marisol", "suggest new pairings", "swap the second match")
    second = first.message.split("\n2. ", 1)[1].split(":")[0]  # "**Kai Nakamura** with **Helen Drummond**"
    assert swapped.slots.get("apart") and second not in swapped.message, swapped.message


def test_more_on_a_finished_pair_says_where_each_goes_next_and_a_change_it_cannot_take_is_said(
    chat: Chat,
) -> None:
    _, more, drop = talk(
        chat,
        "marisol",
        "what should change for cycle 2",
        "more on #2",
        "drop the last one, no budget for that",
    )
    assert more.intent == "expand" and "In the next cycle:" in more.message, more.message
    assert more.message.count("\n- ") == 2, more.message  # each of the two, with a proposed partner or none
    assert drop.intent == "edit" and drop.message.startswith("I can't make that change"), drop.message


def test_pairing_suggestions_for_the_coordinator(chat: Chat) -> None:
    reply = chat.answer("marisol", "suggest new pairings", [])
    assert reply.task == "pairing", reply.message
    assert reply.payload is not None
    if reply.payload["items"]:
        assert re.search(r"\*\*[^*]+\*\* with \*\*[^*]+\*\*", reply.message), reply.message
    else:
        assert reply.message.strip().endswith("."), "no profiles: one clear sentence"


def test_a_mentor_asking_about_all_pairs_is_told_it_is_for_coordinators(chat: Chat) -> None:
    reply = chat.answer("priya", "which pairs need attention this week?", [])
    assert reply.payload is None, reply.message
    assert "coordinator" in reply.message.lower(), reply.message
    others = [n for u in USERS_OF_PAIRS if u not in ("priya", "martin") for n in names(u)[1:]]
    assert not [n for n in others if re.search(rf"\b{n}\b", reply.message)], reply.message


# Markdown ---------------------------------------------------------------------------------------


BOLD = re.compile(r"\*\*(.+?)\*\*")
LABEL = re.compile(r"^\*\*[^*]+:\*\*$")  # a line that is only a bold label such as "**Sources:**"


def assert_well_formed(text: str) -> None:
    """Balanced bold per line, no space just inside it, labels not glued to a list, nothing left unparsed."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        assert line.count("**") % 2 == 0, f"unbalanced **: {line!r}"
        for span in BOLD.findall(line):
            assert span == span.strip(), f"space inside **: {line!r}"
        if n and LABEL.match(line):
            assert not lines[n - 1].strip(), f"{line!r} continues the line before it: {lines[n - 1]!r}"
    html = MarkdownIt("commonmark").render(text)
    assert "**" not in html, f"emphasis left unparsed: {html}"


@pytest.mark.parametrize(
    ("user", "messages"),
    [
        ("priya", ("what should we talk about next time?", "tell me more about the first one")),
        ("sofia", ("draft an agenda for our next session", "make it 20 mins")),
        ("helen", ("my mentor keeps cancelling", "tell me more about step 2")),
        ("kai", ("is it ok to tell my manager what helen said about the restructuring?",)),
        ("priya", ("what did martin say about the budget last time?",)),
        ("helen", ("prep brief please",)),
        ("kai", ("draft a message to reschedule",)),
        (
            "marisol",
            ("which pairs need attention this week?", "suggest new pairings", "who is due to rotate?"),
        ),
        ("noor", ("hi", "what can you do?", "do participants get a certificate?")),
    ],
)
def test_answers_are_well_formed_markdown(chat: Chat, user: str, messages: tuple[str, ...]) -> None:
    for reply in talk(chat, user, *messages):
        assert_well_formed(reply.message)


def test_markup_in_a_note_stays_text(assistant: Assistant, chat: Chat, client: TestClient) -> None:
    text = "We planned the zephyrine depot visit. <script>alert(1)</script> Ingrid will book the bus."
    assistant.write_note("noor-ingrid", "noor", "2026-11-20", text)
    reply = chat.answer("noor", "what did we say about the zephyrine depot visit?", [])
    assert reply.task == "search_notes", reply.message
    assert "alert(1)" in reply.message, "the note was found and quoted"
    html = MarkdownIt("commonmark", {"html": False}).render(reply.message)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html, html
    served = client.post(
        "/v1/chat", json={"message": "what did we say about the zephyrine depot visit?"}, headers=auth("noor")
    ).json()
    assert "alert(1)" in served["message"]
    assert "<script" not in served.get("html", ""), served.get("html")


# The OpenAI-compatible endpoint ---------------------------------------------------------------------


def completion(client: TestClient, user: str, turns: list[tuple[str, str]]) -> str:
    body = {"model": "mentor-assistant", "messages": [{"role": r, "content": t} for r, t in turns]}
    response = client.post("/v1/chat/completions", json=body, headers=auth(user))
    assert response.status_code == 200, response.text
    return str(response.json()["choices"][0]["message"]["content"])


def test_follow_ups_through_the_openai_endpoint_act_on_the_same_answer(client: TestClient) -> None:
    question = "what should we talk about next time?"
    first = client.post("/v1/chat", json={"message": question}, headers=auth("priya")).json()
    follow = client.post(
        "/v1/chat",
        json={"message": "tell me more about 2", "conversation_id": first["conversation_id"]},
        headers=auth("priya"),
    ).json()
    title = first["payload"]["topics"][1]["title"]
    assert title in follow["message"]
    replayed = completion(
        client,
        "priya",
        [("user", question), ("assistant", first["message"]), ("user", "tell me more about 2")],
    )
    assert title in replayed, replayed

    agenda = "draft an agenda for our next session"
    drafted = completion(client, "sofia", [("user", agenda)])
    shorter = completion(
        client, "sofia", [("user", agenda), ("assistant", drafted), ("user", "make it 20 mins")]
    )
    assert "30-minute" in shorter and "shortest" in shorter.split("\n\n")[0], shorter


# Bad input ----------------------------------------------------------------------------------------


def one_sentence(detail: object) -> bool:
    return (
        isinstance(detail, str)
        and bool(detail.strip())
        and "\n" not in detail
        and not re.search(r"[.!?]\s+\S", detail.strip())
    )


@pytest.mark.parametrize("message", ["", "   ", "x" * 4001, "he keeps cancelling \u0000"])
def test_bad_messages_are_refused_in_one_sentence_and_change_nothing(
    client: TestClient, message: str
) -> None:
    started = client.post(
        "/v1/chat", json={"message": "how often should we meet?"}, headers=auth("amara")
    ).json()
    conversation = started["conversation_id"]
    listed = client.get("/v1/conversations", headers=auth("amara")).json()
    for body in ({"message": message}, {"message": message, "conversation_id": conversation}):
        refused = client.post("/v1/chat", json=body, headers=auth("amara"))
        assert 400 <= refused.status_code < 500, refused.text
        assert one_sentence(refused.json()["detail"]), refused.json()
    openai_style = client.post(
        "/v1/chat/completions",
        json={"model": "mentor-assistant", "messages": [{"role": "user", "content": message}]},
        headers=auth("amara"),
    )
    assert 400 <= openai_style.status_code < 500, openai_style.text
    assert one_sentence(openai_style.json()["detail"]), openai_style.json()
    assert client.get("/v1/conversations", headers=auth("amara")).json() == listed
    stored = client.get(f"/v1/conversations/{conversation}", headers=auth("amara")).json()["messages"]
    assert len(stored) == 2


# Understanding, without the embedder -------------------------------------------------------------


@cache
def understander() -> Understander:
    return Understander(load_lexicon(KNOWLEDGE), lambda texts: np.zeros((len(texts), 384), np.float32))


@pytest.mark.parametrize(
    ("task", "message", "intent", "slots"),
    [
        ("topics", "the pricing one, wont he just dodge it?", "expand", {"ref": 2}),
        ("topics", "how would i open it without sounding pushy", "expand", {"ref": 1}),
        ("brief", "only what i still owe him", "edit", {"change": "drop"}),
        ("topics", "just 2, the short ones", "edit", {"change": "count", "count": 2}),
        ("pairing", "keep the two finance people apart pls", "edit", {"change": "other"}),
        ("agenda", "use my part for the vendor review", "edit", {"change": "swap", "focus": "vendor review"}),
        ("agenda", "put the refinancing in my part", "edit", {"change": "swap", "focus": "refinancing"}),
        ("topics", "more like culture stuff", "edit", {"change": "focus", "focus": "culture"}),
        ("topics", "not the pricing one, we did that", "edit", {"change": "swap", "ref": 2}),
        ("coach", "should i just drop the subject for a while", "coach", {}),
        ("agenda", "add 10 mins", "edit", {"change": "minutes", "minutes": 55}),
        ("agenda", "can the exec go first", "edit", {"change": "other", "order": True}),
        ("agenda", "cut the wrap-up", "edit", {"change": "drop"}),
        ("topics", "lose the hybrid one", "edit", {"change": "drop", "ref": 3}),
        ("topics", "number 3 isn't relevant, replace it", "edit", {"change": "swap", "ref": 3}),
        ("topics", "can you cut that down to the best 2", "edit", {"change": "count", "count": 2}),
        ("coach", "ok and if that doesn't work?", "expand", {"next": True}),  # more of that advice
        ("topics", "swap the 2nd for something on capex", "edit", {"change": "swap", "focus": "capex"}),
        (
            "agenda",
            "45 is too long he's got a hard stop, do 30",
            "edit",
            {"change": "minutes", "minutes": 30},
        ),
        ("agenda", "can we do 20 mins instead of 45", "edit", {"change": "minutes", "minutes": 20}),
        ("agenda", "make it 10", "edit", {"change": "minutes", "minutes": 10}),
        ("agenda", "Drop the second item.", "edit", {"change": "drop", "ref": 2, "part": "Pricing talks"}),
        ("agenda", "Three items max.", "edit", {"change": "count", "count": 3}),
        ("topics", "drop #1, it overlaps with what we did in may", "edit", {"change": "drop", "ref": 1}),
        ("topics", "can u do linkedin instead, we did hybrid to death", "edit", {"focus": "linkedin"}),
        (
            "topics",
            "Can you propose something different for the number 1",
            "edit",
            {"change": "swap", "ref": 1},
        ),
        ("topics", "Explain the point about the pricing", "expand", {"ref": 2}),
        ("topics", "Less points, maybe three", "edit", {"change": "count", "count": 3}),
        ("pairing", "why him?", "expand", {"ref": 1}),
        ("topics", "bin item 2", "edit", {"change": "drop", "ref": 2}),
        ("agenda", "axe point 3", "edit", {"change": "drop", "ref": 3}),
        ("topics", "kill the second one", "edit", {"change": "drop", "ref": 2}),
        ("topics", "squash it into two bullets", "edit", {"change": "shorter", "count": 2}),
        ("coach", "turn that into 3 sentences I can forward", "edit", {"change": "shorter"}),
        ("topics", "one line", "edit", {"change": "shorter"}),
        ("topics", "the third, in one line", "expand", {"ref": 3}),
        ("topics", "2nd sounds good, how would i even bring it up", "expand", {"ref": 2}),
        ("topics", "3 is good. say more", "expand", {"ref": 3}),
        ("topics", "redo the list but around hiring", "edit", {"change": "focus", "focus": "hiring"}),
        ("topics", "same again but on the reforecast", "edit", {"change": "focus", "focus": "reforecast"}),
        ("topics", "do the whole thing again but about customers", "edit", {"change": "focus"}),
        ("draft_message", "two sentences max", "edit", {"change": "shorter"}),
        ("topics", "change 2 to hybrid work", "edit", {"change": "swap", "ref": 2, "focus": "hybrid work"}),
        ("topics", "3rd -> copilot pls", "edit", {"change": "swap", "ref": 3, "focus": "copilot"}),
        ("topics", "the pricing one has to go, put onboarding there", "edit", {"change": "swap", "ref": 2}),
        ("coach", "expand on all of it, i have time", "edit", {"change": "longer"}),
        ("topics", "a paragraph for each would be better", "edit", {"change": "longer"}),
        (
            "search_notes",
            "only the bits about the budget pls",
            "edit",
            {"change": "focus", "focus": "budget"},
        ),
        ("draft_message", "try again, doesnt sound like me", "edit", {"change": "other"}),
        ("draft_message", "cut it in half", "edit", {"change": "shorter"}),
        ("topics", "make them budget related pls", "edit", {"change": "focus", "focus": "budget"}),
        ("agenda", "focus it on power bi pls", "edit", {"change": "focus", "focus": "power bi"}),
        ("topics", "board presentations as the theme instead", "edit", {"focus": "board presentations"}),
        ("agenda", "three agenda items max", "edit", {"change": "count", "count": 3}),
        (
            "topics",
            "pivot to the electrification stuff",
            "edit",
            {"change": "focus", "focus": "electrification"},
        ),
        ("coach", "cross off #1, not doing that", "edit", {"change": "drop", "ref": 1}),
        ("agenda", "item two can go", "edit", {"change": "drop", "ref": 2}),
        ("topics", "one more idea", "edit", {"change": "count", "count": 4}),
        ("topics", "add another one pls", "edit", {"change": "count", "count": 4}),
        ("topics", "add one so there are 5", "edit", {"change": "count", "count": 5}),
        ("coach", "Fewer. I won't do five things.", "edit", {"change": "shorter"}),
        ("topics", "less options pls", "edit", {"change": "shorter"}),
        ("topics", "can u redo them less formal", "edit", {"change": "other", "tone": True}),
        (
            "agenda",
            "put the pricing part first",
            "edit",
            {"change": "other", "move": {"part": "Pricing talks", "to": "start"}},
        ),
        ("coach", "just the first 2 pls", "edit", {"change": "count", "count": 2}),
        ("topics", "The first one, how long would it take to do properly?", "expand", {"ref": 1}),
        ("coach", "the first thing u said. what if she keeps pushing", "expand", {"ref": 1}),
        ("ask", "your 2nd point there, what if the mentor says yes to it", "expand", {"ref": 2}),
        (
            "agenda",
            "She should lead the first half, not me. Restructure it.",
            "edit",
            {"change": "other", "order": True},
        ),
        ("agenda", "Too much for thirty minutes. Lose one item.", "edit", {"change": "count", "count": 2}),
        ("topics", "drop one of them", "edit", {"change": "count", "count": 2}),
        ("brief", "Put the weight on the Leeds pilot.", "edit", {"change": "focus", "focus": "leeds pilot"}),
        ("ask", "2nd point more pls", "expand", {"ref": 2}),
        ("ask", "who do i even talk to about that", "ask", {}),
        # a subject no note found names: a new search, not the first note
        ("search_notes", "did I ever send him the board pack thing", None, {}),
        (
            "pairing",
            "what if we kept them away from finance",
            "edit",
            {"change": "other"},
        ),  # not a rule question
        ("agenda", "oh wait she's free till 9, make it an hr", "edit", {"change": "minutes", "minutes": 60}),
        (
            "agenda",
            "can the main block be on the reforecast instead",
            "edit",
            {"change": "swap", "focus": "reforecast"},
        ),
        ("topics", "the other one cld be about AI instead", "edit", {"change": "swap", "focus": "ai"}),
        ("search_notes", "can u make that a 2 line answer", "edit", {"change": "shorter"}),
        ("agenda", "2nd block is boring, sth else", "edit", {"change": "swap", "ref": 2}),
        ("topics", "turn the 2nd one into something on budgets", "edit", {"change": "swap", "ref": 2}),
        ("topics", "2nd one on ai instead", "edit", {"change": "swap", "ref": 2, "focus": "ai"}),
        ("topics", "3rd one diff pls", "edit", {"change": "swap", "ref": 3}),
        ("topics", "hmm another one instead of that", "edit", {"change": "swap"}),
        (
            "program_health",
            "Too upbeat. Be honest about the pairs that aren't working.",
            "edit",
            {"change": "other"},
        ),
        ("agenda", "too long. make it 30", "edit", {"change": "minutes", "minutes": 30}),
        (
            "rotation",
            "Drop the second, there's no budget for it.",
            "edit",
            {"change": "drop", "unsupported": True},
        ),
        ("agenda", "way too packed for 45 mins", "edit", {"change": "count", "count": 2}),  # 45 is its length
        ("agenda", "too long for 30 min", "edit", {"change": "minutes", "minutes": 30}),  # 30 is the new one
        (
            "topics",
            "2 is still a tool thing. swap for ESG",
            "edit",
            {"change": "swap", "ref": 2, "focus": "esg"},
        ),
        (
            "agenda",
            "the middle part is dull, something else",
            "edit",
            {"change": "swap", "ref": 2},
        ),  # not "dull"
        (
            "agenda",
            "actually the whole thing should be about key accounts, he'll cope",
            "edit",
            {"change": "focus", "focus": "key accounts"},
        ),
        (
            "topics",
            "put something on pricing in instead of the hybrid one",
            "edit",
            {"change": "swap", "ref": 3},
        ),
        ("agenda", "put onboarding in instead of the linkedin bit", "edit", {"missing": "linkedin"}),
        ("coach", "And why the first one?", "expand", {"ref": 1}),
        ("draft_message", "remove the sorry part", "edit", {"change": "drop"}),
        ("agenda", "change the linkedin slot to retention", "edit", {"change": "swap", "focus": "retention"}),
        ("topics", "replace the budget idea with an AI one", "edit", {"change": "swap", "focus": "ai"}),
        (
            "topics",
            "Replace them with something on Power BI.",
            "edit",
            {"change": "focus", "focus": "power bi"},
        ),
        (
            "topics",
            "trade the dashboards idea for negotiation",
            "edit",
            {"change": "swap", "focus": "negotiation"},
        ),
        ("draft_message", "replace the apology w a thank you", "edit", {"change": "swap"}),
        ("coach", "something less confrontational?", "edit", {"change": "other"}),
        ("pairing", "can you try without cross-department pairs", "edit", {"change": "other"}),
        ("program_health", "without names pls, it's for the board", "edit", {"anonymous": True}),
        ("ask", "where does it say that?", "expand", {"sources": True}),
        ("agenda", "actually drop the five minute actions bit at the end", "edit", {"change": "drop"}),
        (
            "topics",
            "Actually half a dozen, I will have the full hour",
            "edit",
            {"change": "count", "count": 6},
        ),
        (
            "topics",
            "or maybe inclusive meetings? his staff meetings r still chaos",
            "edit",
            {"change": "focus", "focus": "inclusive meetings"},
        ),
        (
            "coach",
            "Give me one thing I can try on Thursday, not a list.",
            "edit",
            {"change": "count", "count": 1},
        ),
        ("agenda", "switch out the 1st item", "edit", {"change": "swap", "ref": 1}),
        ("topics", "that one", "clarify", {"items": 3}),
        ("search_notes", "the first note u found, what else did it say", "expand", {"ref": 1}),
        (
            "topics",
            "keep it to notifications, gareth is drowning in them",
            "edit",
            {"focus": "notifications"},
        ),
        ("topics", "give me a list of 10 so i can choose", "edit", {"change": "count", "count": 10}),
        ("coach", "I'd prefer three pieces of advice rather than all of these", "edit", {"count": 3}),
        ("brief", "Take the completed actions out.", "edit", {"change": "drop", "part": "completed actions"}),
        ("topics", "no to 1, keep the rest", "edit", {"change": "drop", "ref": 1}),
        ("search_notes", "just the short answer pls", "edit", {"change": "shorter"}),
        ("coach", "replace the first suggestion, i cant do that one", "edit", {"change": "swap", "ref": 1}),
        (
            "topics",
            "instead of the pricing one can u put something about slack",
            "edit",
            {"focus": "slack", "ref": 2},
        ),
        (
            "topics",
            "these feel samey, anything on budgets instead?",
            "edit",
            {"change": "focus", "focus": "budgets"},
        ),
        ("topics", "Not keen on these tbh, got any different ones?", "edit", {"change": "other"}),
        ("topics", "anything with more of a tech angle?", "edit", {"change": "focus", "focus": "tech"}),
        ("topics", "love #2, what would the first 5 mins look like", "expand", {"ref": 2}),
        ("topics", "ok build a 60 min agenda w both", "agenda", {"minutes": 60}),
        ("agenda", "cut the check-in, we always overrun", "edit", {"change": "drop", "part": "check-in"}),
        ("draft_message", "can you mention thursday", "edit", {"change": "other"}),
        ("topics", "make it about hybrid work instead", "edit", {"change": "focus", "focus": "hybrid work"}),
        ("coach", "hmm no. different advice?", "edit", {"change": "other"}),
        ("ask", "in plain english?", "edit", {"change": "shorter"}),
        ("topics", "moar on teh AI stuff", "edit", {"change": "focus", "focus": "ai"}),
        ("topics", "2nd 1 pls, more detail", "expand", {"ref": 2}),
        ("agenda", "w/o the wrap up", "edit", {"change": "drop", "part": "wrap up"}),
        ("agenda", "swap the exec n mentor bits", "edit", {"change": "swap", "order": True}),
        ("agenda", "swap the 2nd item", "edit", {"change": "swap", "ref": 2}),
        ("ask", "explain the second part please", "expand", {"ref": 2}),
        ("ask", "can u give an example", "expand", {"ref": 1}),
        ("ask", "can u explain that more fully", "edit", {"change": "longer"}),
        (
            "topics",
            "hmm those feel too heavy for a first one back. different ones?",
            "edit",
            {"change": "other"},
        ),
        ("coach", "that won't work for us, what else?", "edit", {"change": "other"}),
        ("agenda", "switch the topic to onboarding", "edit", {"change": "focus", "focus": "onboarding"}),
        (
            "agenda",
            "actually we want to cover esg reporting",
            "edit",
            {"change": "focus", "focus": "esg reporting"},
        ),
        ("topics", "any on leadership?", "edit", {"change": "focus", "focus": "leadership"}),
        ("agenda", "45 is too long, 30 tops", "edit", {"change": "minutes", "minutes": 30}),
        ("agenda", "we lost 10 minutes, she's late", "edit", {"change": "minutes", "minutes": 35}),
        ("topics", "a couple more", "edit", {"change": "count", "count": 5}),
        ("topics", "add two more ideas", "edit", {"change": "count", "count": 5}),
        ("topics", "only need one", "edit", {"change": "count", "count": 1}),
        ("program_health", "numbers only", "edit", {"change": "shorter"}),
        ("topics", "any that touch on wellbeing?", "edit", {"change": "focus", "focus": "wellbeing"}),
        (
            "topics",
            "she's more interested in gen z consumers",
            "edit",
            {"change": "focus", "focus": "gen z consumers"},
        ),
        (
            "topics",
            "ok but what about the supply chain stuff",
            "edit",
            {"change": "focus", "focus": "supply chain"},
        ),
        ("agenda", "change the subject to pricing", "edit", {"change": "focus", "focus": "pricing"}),
        ("agenda", "not budgets, the reorg", "edit", {"change": "focus", "focus": "reorg"}),
        ("coach", "hmm that feels a bit pushy, anything softer", "edit", {"change": "other"}),
        ("agenda", "not a fan of these topics, swap them for something else", "edit", {"change": "other"}),
        ("agenda", "replace part 2 with something else", "edit", {"change": "swap", "ref": 2}),
        ("ask", "i don't get it, can you say it differently", "edit", {"change": "other"}),
        ("brief", "can you redo it", "edit", {"change": "other"}),
        ("search_notes", "anything else in the notes?", "edit", {"change": "other"}),
        (
            "agenda",
            "can you add an icebreaker at the start",
            "edit",
            {"change": "other", "add": {"title": "icebreaker", "to": "start"}},
        ),
        ("brief", "put the questions first", "edit", {"change": "other", "unsupported": True}),
        ("topics", "can you tailor these to a cfo", "edit", {"change": "other", "unsupported": True}),
        ("pairing", "she can't be paired with anyone in finance", "edit", {"change": "other"}),
        ("agenda", "put it around the power bi dashboards please", "edit", {"change": "focus"}),
        (
            "agenda",
            "hmm actually swap it to linkedin, he asked me about posting",
            "edit",
            {"focus": "linkedin"},
        ),
        ("program_health", "can you focus that on cancellations", "edit", {"focus": "cancellations"}),
        ("coach", "those are obvious. anything less textbook?", "edit", {"change": "other"}),
        ("topics", "got any more?", "edit", {"change": "longer"}),
        ("agenda", "too much, chop it to three", "edit", {"change": "count", "count": 3}),
        # the answer judged in a word or two: its length, or its tone
        ("agenda", "bit long for a lunch slot tbh", "edit", {"change": "shorter"}),
        ("agenda", "way too packed", "edit", {"change": "count", "count": 2}),  # of its three parts
        ("topics", "less busy pls", "edit", {"change": "shorter"}),
        ("coach", "too thin tbh", "edit", {"change": "longer"}),
        ("draft_message", "Too apologetic.", "edit", {"change": "other"}),
        ("draft_message", "bit too direct, soften it", "edit", {"change": "other"}),
        ("topics", "graduate retention angle?", "edit", {"change": "focus", "focus": "graduate retention"}),
        ("draft_message", "And less managerial", "edit", {"change": "other"}),
        ("draft_message", "hmm now its a bit bossy. middle ground?", "edit", {"change": "other"}),
        ("ask", "sry can u say that simpler", "edit", {"change": "shorter"}),  # the sentence that answers
        ("ask", "ok say that in plain words i can forward to helen", "edit", {"change": "shorter"}),
        ("topics", "Already have the channel. Beyond that.", "edit", {"change": "other"}),
        ("agenda", "can we do 40 instead, she has a board thing straight after", "edit", {"minutes": 40}),
        ("agenda", "drop item 2", "edit", {"change": "drop", "ref": 2}),
        (
            "agenda",
            "give the hybrid teams bit 10 mins",
            "edit",
            {"minutes": 10, "ref": 3, "part": "Hybrid teams"},
        ),
        ("coach", "pt 3 pls, what wld i actually say to her", "expand", {"ref": 3}),
        ("agenda", "what do i say in the first 5 min", "expand", {"ref": 1}),
        ("coach", "too long, give me the top 2", "edit", {"change": "count", "count": 2}),
        ("agenda", "Twenty.", "edit", {"change": "minutes", "minutes": 20}),
        (
            "search_notes",
            "same but for the rotterdam memo",
            "edit",
            {"change": "focus", "focus": "rotterdam memo"},
        ),
        (
            "topics",
            "actually do variance commentary, she asks about it",
            "edit",
            {"focus": "variance commentary"},
        ),
        ("topics", "ok do the second one", "expand", {"ref": 2}),
        ("topics", "We've done that. Capital allocation instead.", "edit", {"focus": "capital allocation"}),
        ("topics", "give me 5 instead", "edit", {"change": "count", "count": 5}),
        ("topics", "could u aim it at the graduate scheme instead", "edit", {"focus": "graduate scheme"}),
        ("agenda", "Put the weight on the Leeds pilot.", "edit", {"focus": "leeds pilot"}),
        ("agenda", "can we go lighter, less packed", "edit", {"change": "shorter"}),
        ("topics", "nah, he's heard that one from me already", "edit", {"change": "other"}),
        ("coach", "shorter, 3 bullets max", "edit", {"change": "shorter"}),
        ("agenda", "ok back. hes now saying 30 not 45 ugh", "edit", {"change": "minutes", "minutes": 30}),
        ("topics", "anything more about the first one", "expand", {"ref": 1}),
        ("coach", "any more on #2?", "expand", {"ref": 2}),
        ("topics", "ok 45 min plan around that for the 8th", "agenda", {"minutes": 45}),
        ("topics", "plan it around the budget instead", "edit", {"change": "focus", "focus": "budget"}),
        ("topics", "2 - how do i open that", "expand", {"ref": 2}),
        ("topics", "more on the 2nd", "expand", {"ref": 2}),
        ("topics", "meh, these are a bit corporate", "edit", {"change": "other"}),
        ("draft_message", "fine but far less grovelling please", "edit", {"change": "other"}),
        ("agenda", "shorter, 35", "edit", {"change": "minutes", "minutes": 35}),
        ("topics", "first and last are good, drop the middle one", "edit", {"change": "drop", "ref": 2}),
        ("topics", "other ones pls, less about hybrid", "edit", {"change": "other"}),
        ("topics", "the one about pricing, how would i open it", "expand", {"ref": 2}),
        ("coach", "the one with hybrid teams, say more", "expand", {"ref": 3}),
        ("draft_message", "shorter and less stiff, it's a whatsapp", "edit", {"change": "shorter"}),
        ("draft_message", "less salesy pls", "edit", {"change": "other"}),
        ("draft_message", "warmer, she's had a rough month", "edit", {"change": "other"}),
        ("agenda", "hang on, is 35 min even allowed?", None, {}),
        ("coach", "ok and for next week, two topics she can lead", None, {}),
        ("pairing", "what does the guidance say about pairing people who report to each other?", None, {}),
        ("brief", "leave out all the summer sessions, only what's recent", "edit", {"change": "drop"}),
        ("topics", "gr8", None, {}),
        ("draft_message", "warmer still? she had a rough week", "edit", {"change": "other"}),
        ("draft_message", "better. thanks", None, {}),
        ("coach", "the second step, more concrete please", "expand", {"ref": 2}),
        (
            "coach",
            "i did exactly that in october and nothing moved. what's plan b?",
            "edit",
            {"change": "other"},
        ),
        (
            "coach",
            "they sound like advice for a director. anything for a graduate?",
            "edit",
            {"change": "other"},
        ),
        ("topics", "that's a big ask to put on a CFO. gentler ideas?", "edit", {"change": "other"}),
        ("coach", "Not sure about that. Swap it.", "edit", {"change": "other"}),
        (
            "brief",
            "can you frame it differently, less history and more what to ask",
            "edit",
            {"change": "other"},
        ),
        ("topics", "got anything fresher?", "edit", {"change": "other"}),
        ("topics", "we did slack to death, anything that isnt slack", "edit", {"change": "other"}),
        ("topics", "did we cover that already?", None, {}),
        ("coach", "tried that, didn't work", "edit", {"change": "other"}),
        ("agenda", "he just moved it, we only have 30 now", "edit", {"change": "minutes", "minutes": 30}),
        ("agenda", "shave it to 40, i have a shift handover", "edit", {"change": "minutes", "minutes": 40}),
        ("agenda", "hm she saw most of that already. switch it up?", "edit", {"change": "other"}),
        ("program_health", "just the worst one", "edit", {"change": "count", "count": 1}),
        ("topics", "three is too many. pick one", "edit", {"change": "count", "count": 1}),
        ("brief", "I suspect I talk too much in these sessions. How do I stop?", None, {}),
        ("agenda", "also how do i stop him talking over me, he did it the whole last call", None, {}),
        ("agenda", "how do i open the hybrid teams?", "expand", {"ref": 3}),
        ("ask", "The consent point. How formal does that need to be?", "expand", {"ref": 1}),
        ("ask", "You said we both have to agree. Does that need to be in writing?", "expand", {"ref": 1}),
        ("coach", "the 2nd point, what if my manager asks me directly", "expand", {"ref": 2}),
        (
            "agenda",
            "Realistically I'm only free for half of it.",
            "edit",
            {"change": "minutes", "minutes": 22},
        ),
        (
            "agenda",
            "Make it the full hour. She asked for more time.",
            "edit",
            {"change": "minutes", "minutes": 60},
        ),
        ("draft_message", "less sorry-sounding, i didnt do anything that wrong", "edit", {"change": "other"}),
        ("topics", "more like culture stuff", "edit", {"change": "focus", "focus": "culture"}),
        ("topics", "Fewer.", "edit", {"change": "shorter"}),
        ("brief", "3 bullets max", "edit", {"change": "shorter", "count": 3}),
        ("topics", "we've done hybrid to death, bin that one", "edit", {"change": "drop", "ref": 3}),
        (
            "coach",
            "he hates being put on the spot so the pricing one is out",
            "edit",
            {"change": "drop", "ref": 2},
        ),
        (
            "topics",
            "take the hybrid bit out, i have pushed that enough",
            "edit",
            {"change": "drop", "ref": 3},
        ),
        ("topics", "what about the depot rollout? the ev charging thing", "edit", {"focus": "depot rollout"}),
        ("coach", "Half as long.", "edit", {"change": "shorter"}),
        (
            "program_health",
            "write it up as two sentences for the leadership report",
            "edit",
            {"change": "shorter"},
        ),
        ("topics", "less about apps, more about what they expect from us", "edit", {"change": "focus"}),
        (
            "topics",
            "hmm too many actually, 2 is all that fits in 45m",
            "edit",
            {"change": "count", "count": 2},
        ),
        (
            "program_health",
            "longer please, a paragraph I can paste straight in",
            "edit",
            {"change": "longer"},
        ),
        ("draft_message", "hmm it reads like i'm telling him off", "edit", {"change": "other", "tone": True}),
        ("draft_message", "hmm sounds like i'm begging. more confident pls", "edit", {"tone": True}),
        ("draft_message", "is too soft, he always say yes and then nothing", "edit", {"tone": True}),
        (
            "program_health",
            "for the leadership update, can you redo it without any names",
            "edit",
            {"anonymous": True},
        ),
        (
            "brief",
            "more detail pls, it's been ages and i've forgotten half of it",
            "edit",
            {"change": "longer"},
        ),
        (
            "brief",
            "Weight it towards the rostering pilot.",
            "edit",
            {"change": "focus", "focus": "rostering pilot"},
        ),
        (
            "topics",
            "ok and bin the first, give me something about AI instead, he keeps asking",
            "edit",
            {"change": "swap", "focus": "ai", "ref": 1},
        ),
        (
            "topics",
            "take out the last one, he will say its for marketing",
            "edit",
            {"change": "drop", "ref": 3},
        ),
        ("agenda", "less words per section pls, i'll screenshot it", "edit", {"change": "shorter"}),
        ("draft_message", "can it sound less sorry for itself", "edit", {"change": "other", "tone": True}),
        (
            "brief",
            "can u lean it more towards the budget side",
            "edit",
            {"change": "focus", "focus": "budget"},
        ),
        ("agenda", "can i have a version that fits on my phone screen", "edit", {"change": "shorter"}),
        (
            "agenda",
            "no need for a wrap up at the end, we'll agree actions over teams",
            "edit",
            {"change": "drop"},
        ),
        ("agenda", "he's got a board thing straight after so realistically 30", "edit", {"minutes": 30}),
        ("agenda", "make it 45, i need 5 min to set up the room", "edit", {"minutes": 45}),
        ("topics", "better. opening line for the 3rd?", "expand", {"ref": 3, "wording": True}),
        ("brief", "ok back to the recap, the 2nd open action, whose is that", "expand", {"ref": 2}),
        (
            "draft_message",
            "too long, and dont mention october",
            "edit",
            {"change": "shorter", "unsay": "october"},
        ),
        ("draft_message", "she prefers short", "edit", {"change": "shorter"}),
        ("search_notes", "just the main points pls", "edit", {"change": "shorter"}),
        (
            "topics",
            "no wait, go back to the rostering ones, the range data is hers to do",
            "edit",
            {"change": "focus", "focus": "rostering"},
        ),
        ("coach", "Alternatively, give me three ideas for our next session on it.", None, {}),
        (
            "search_notes",
            "And since then, how has the shift pattern work progressed?",
            "search_notes",
            {"since": "then", "focus": "shift pattern"},
        ),
        ("agenda", "shorter no actually longer", "edit", {"change": "longer"}),
        ("topics", "drop the first no wait the last one", "edit", {"change": "drop", "ref": 3}),
        ("topics", "more on 2 no sorry i mean 3", "expand", {"ref": 3}),
    ],
)
def test_follow_ups_that_point_restrict_or_constrain(
    task: str, message: str, intent: str | None, slots: dict[str, Any]
) -> None:
    items = ("Customer data", "Pricing talks", "Hybrid teams")
    reader = understander()
    understood = reader.follow_up(reader.normalise(message), State(task, {"minutes": 45}, items))
    if intent is None:  # a question of its own, not a change of the answer
        assert understood is None, understood
        return
    assert understood is not None and understood.intent == intent
    assert {k: understood.slots.get(k) for k in slots} == slots


def test_what_to_teach_next_with_what_is_done_is_topics_without_those_as_the_subject(chat: Chat) -> None:
    reply = chat.reply("sofia", "what i can teach gareth next? teams, copilot, linkedin all done already")
    assert reply.intent == "topics" and reply.slots.get("focus") is None, reply.slots


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("thx for the help before the session yesterday btw, it went really well 🙌", "thanks"),
        ("thanks for the brief, now an agenda pls", "agenda"),
        ("thanks for the ideas! what about linkedin", "topics"),
        ("typical 😂 ty", "thanks"),
    ],
)
def test_thanks_for_something_past_is_thanks_unless_it_asks_for_more(
    chat: Chat, message: str, intent: str
) -> None:
    assert chat.understander.understand(message, State(), "mentor").intent == intent


def test_a_subject_ends_where_the_sentence_goes_on_and_a_reminder_says_that() -> None:
    reader = understander()
    text = "agenda for the 10th pls. 50 mins and gareth's 15 min on supplier negotiations has to go FIRST"
    assert reader.focus(text) == "supplier negotiations"
    said = reader.points(
        "write him a note reminding him we're starting the 10th with his part", frozenset(), True
    )
    assert said == ["A quick reminder that we're starting the 10th with his part."], said


@pytest.mark.parametrize("message", ["nice one", "Elaborate on that one.", "good one, thanks"])
def test_one_after_a_pronoun_is_not_a_count(message: str) -> None:
    understood = understander().understand(
        message, State("topics", {}, ("Customer data", "Pricing talks")), "mentor"
    )
    assert understood.slots.get("count") is None and understood.slots.get("change") != "count"


@pytest.mark.parametrize(
    ("role", "message", "intent", "slots"),
    [
        ("mentor", "can u say more about his part so he knows whats expected", "expand", {"ref": 3}),
        ("mentor", "and my bit?", "expand", {"ref": 2}),
        ("mentor", "what do i need to prepare for my part", "expand", {"ref": 2}),
        ("executive", "and my bit?", "expand", {"ref": 3}),
        ("mentor", "his bit first", "edit", {"change": "other", "order": True}),
        ("mentor", "the part where i demo things, could it be the new rota app", "edit", {"part": "mentor"}),
        ("mentor", "and his the depot budget", "edit", {"change": "swap", "part": "executive"}),
        ("executive", "Put the refinancing in my part.", "edit", {"change": "swap", "focus": "refinancing"}),
    ],
)
def test_an_agenda_part_named_by_whose_it_is(
    role: str, message: str, intent: str, slots: dict[str, Any]
) -> None:
    items = (
        "Check-in (both)",
        "Mentor-led topic: AI tools (mentor)",
        "Executive-led exchange: Budgets (executive)",
    )
    understood = understander().understand(message, State("agenda", {"minutes": 45}, items, role=role), role)
    assert understood.intent == intent
    assert {k: understood.slots.get(k) for k in slots} == slots


def test_an_agenda_rebuilt_around_a_subject_no_topic_covers_says_so(chat: Chat) -> None:
    _, rebuilt = talk(chat, "priya", "45 min agenda for thursday", "can his part be about quantum chemistry")
    assert rebuilt.intent == "edit"
    assert rebuilt.message.startswith(
        "No session topic in the catalog is about “quantum chemistry”, so Martin's"
    )
    _, around = talk(
        chat, "priya", "45 min agenda for thursday", "can you rebuild it around quantum chemistry"
    )
    # No side named: the mentor's part takes it, as said, and its practice is a real case, not a device.
    assert around.message.startswith(
        "No session topic in the catalog is about “quantum chemistry”, so Priya's part is on it as you said."
    ), around.message
    assert "Mentor-led topic: Quantum chemistry" in around.message
    assert "in the light of “quantum chemistry”" in around.message


def test_an_agenda_asked_about_a_subject_no_topic_covers_says_so_as_the_user_wrote_it(chat: Chat) -> None:
    (first,) = talk(chat, "priya", "agenda about GDPR for thursday")
    assert first.message.startswith("No session topic in the catalog is about “GDPR”"), first.message
    assert ": GDPR**" in first.message
    (covered,) = talk(chat, "priya", "agenda about AI for thursday")
    assert "No session topic" not in covered.message


def test_a_subject_goes_to_the_part_of_whoever_the_asker_wants_to_learn_from(chat: Chat) -> None:
    (agenda,) = talk(
        chat,
        "martin",
        "I have my session with Priya on Thursday and I would like to use part of it to understand how the "
        "graduates perceive our cost-cutting messages. How should we structure the hour?",
    )
    assert agenda.slots["minutes"] == 60 and agenda.message.startswith("No session topic"), agenda.message
    assert "so Priya's part is on it as you said" in agenda.message
    (mine,) = talk(chat, "priya", "agenda for thursday pls, I want him to understand why we like hybrid")
    assert "Mentor-led" in mine.message


def test_a_new_subject_is_named_as_the_user_wrote_it(chat: Chat) -> None:
    _, refocused = talk(chat, "priya", "ideas for next time?", "anything more about AI?")
    assert refocused.message.startswith("Now focused on AI.")


def test_a_part_of_a_program_answer_explained_quotes_more_of_the_guidelines(chat: Chat) -> None:
    first, more = talk(chat, "priya", "how often should pairs meet?", "explain the second part please")
    assert more.intent == "expand" and more.message.startswith("Here is more of what the guidelines say.")
    assert len(more.message) > len(first.message) and more.citations


def test_replacing_one_step_of_advice_keeps_the_rest(chat: Chat) -> None:
    first, swapped = talk(
        chat, "priya", "he keeps cancelling our sessions", "replace the first suggestion, i cant"
    )
    before = [s["action"] for s in first.payload["steps"]]
    after = [s["action"] for s in swapped.payload["steps"]]
    assert before[0] not in after and before[1:] == after[: len(before) - 1] and len(after) == len(before)
    assert swapped.message.startswith("I replaced that step")


def test_replacing_one_topic_keeps_the_others_in_place(chat: Chat) -> None:
    first, swapped, more = talk(
        chat,
        "priya",
        "3 topics for martin",
        "replace the second with something on budgets",
        "elaborate on that one",
    )
    before = [t["title"] for t in first.payload["topics"]]
    after = [t["title"] for t in swapped.payload["topics"]]
    assert after[0] == before[0] and after[2] == before[2] and after[1] not in before
    assert swapped.message.startswith(f"I replaced “{before[1]}”")
    assert more.intent == "expand" and more.message.startswith(f"**{after[1]}**")


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ("ask", "what else does it say about confidentiality?"),  # a question of its own
        ("search_notes", "what else did we say about linkedin"),
        ("topics", "what else can u help with actually"),  # what the assistant does
        ("search_notes", "the first note u found, what else did it say"),
        ("topics", "Put that into 45 minutes."),  # an agenda of that topic
    ],
)
def test_what_else_and_put_that_are_not_always_edits(task: str, message: str) -> None:
    reader = understander()
    understood = reader.follow_up(
        reader.normalise(message), State(task, {}, ("Customer data", "Pricing talks"))
    )
    assert understood is None or understood.intent != "edit"


def test_a_coordinator_keeps_two_people_apart_in_the_pairings(chat: Chat) -> None:
    first, apart = talk(chat, "marisol", "suggest new pairings", "kai and helen clash, keep them apart")
    assert "**Kai Nakamura** with **Helen Drummond**" in first.message
    assert apart.slots["apart"] == ["kai", "helen"]
    assert apart.message.startswith("Here is the best complete matching with Kai and Helen kept apart.")
    assert "**Kai Nakamura** with **Helen Drummond**" not in apart.message


def test_a_person_asked_about_in_the_pairings_comes_first_and_can_be_rematched(chat: Chat) -> None:
    """Leo has a profile and no pair yet: his match leads; "besides dana" keeps the two apart."""
    first, why, other = talk(
        chat,
        "marisol",
        "leo signed up as a mentor. who do we match him with?",
        "why leo",
        "any options besides dana?",
    )
    top = first.message.split("\n1. ", 1)[1].split("\n")[0]
    assert top.startswith("**Leo Marchetti** with **Dana Whitfield**"), first.message
    assert why.intent == "expand" and why.message.startswith("**Leo Marchetti"), why.message
    assert other.slots["apart"] == ["leo", "dana"]
    assert "**Leo Marchetti** with **Dana Whitfield**" not in other.message
    assert other.message.split("\n1. ", 1)[1].startswith("**Leo Marchetti** with")
    _, another = talk(chat, "marisol", "who could mentor dana?", "anyone else?")
    assert another.slots["apart"] == ["leo", "dana"], another.slots
    assert another.message.split("\n1. ", 1)[1].split(":")[0].endswith("with **Dana Whitfield**")
    _, reason = talk(
        chat, "marisol", "who do we pair leo with", "another option for him? dana travels all month"
    )
    assert reason.slots["apart"] == ["leo", "dana"], reason.slots
    _, unlike = talk(chat, "marisol", "who do we pair leo with", "any option for leo that isnt dana")
    assert unlike.slots["apart"] == ["leo", "dana"], unlike.slots


def test_a_person_without_a_profile_is_said_to_have_none_not_passed_over(chat: Chat) -> None:
    """Mina has no participant profile: the reply says so and still leads with Leo's match."""
    (reply,) = talk(chat, "marisol", "we have two new joiners, mina and leo, who should they be paired with?")
    assert reply.message.startswith("I have no profile for Mina"), reply.message
    assert "Leo first" in reply.message and "Mina first" not in reply.message
    assert reply.message.split("\n1. ", 1)[1].startswith("**Leo Marchetti** with")
    (plain,) = talk(chat, "marisol", "who should leo and helen's old mentor be paired with")
    assert "no profile" not in plain.message  # "helen's" is a known name; nobody unknown is named


def test_the_item_a_swap_brought_in_is_named_by_what_it_was_asked_for(chat: Chat) -> None:
    """ "the ESG one" after "swap 2 for ESG" is that item, whatever its title says; so is "the new one"."""
    _, swapped, opener, again = talk(
        chat,
        "sofia",
        "3 topic ideas for gareth",
        "2 is still a tool thing. swap for ESG, his team's pitching green freight",
        "opener for the ESG one?",
        "make the new one about AI",
    )
    assert swapped.slots.get("ref") == 2, swapped.slots
    assert opener.intent == "expand" and opener.slots.get("ref") == 2, opener.slots
    assert again.slots.get("change") == "swap" and again.slots.get("ref") == 2, again.slots


def test_fitting_topics_into_half_an_hour_is_an_agenda_of_that_length(chat: Chat) -> None:
    """ "in half" (a shorter list) is not read inside "in half an hour"."""
    _, fit = talk(chat, "priya", "topic ideas for thursday?", "can we get through all that in half an hour")
    assert fit.intent == "agenda" and fit.slots.get("minutes") == 30, (fit.intent, fit.slots)


@pytest.mark.parametrize(
    "message",
    [
        "Noor asked whether she could mentor a second executive next cycle too. Does the program allow that?",
        "Before I load the January cohort — how long does a cycle run?",  # not how to load a cohort
        "Remind me what the program actually expects of me. I thought the young person teaches me.",
    ],
)
def test_a_rule_question_with_context_around_it_is_a_rule_question(message: str) -> None:
    understood = understander().understand(message, State(), "coordinator")
    assert understood.intent == "ask", understood


def test_a_challenge_named_after_a_program_answer_is_advice() -> None:
    understood = understander().understand(
        "ok and what if he keeps cancelling anyway", State("ask", {"text": "can we meet online?"}), "mentor"
    )
    assert understood.intent == "coach"


def test_a_change_the_offline_chat_cannot_make_is_said_and_the_answer_kept(chat: Chat) -> None:
    agenda, changed = talk(chat, "kai", "draft an agenda", "can you put it in a table")
    assert changed.intent == "edit" and changed.message.startswith("I can't make that change")
    assert [i["title"] for i in changed.payload["items"]] == [i["title"] for i in agenda.payload["items"]]


def test_one_part_of_an_agenda_given_a_length_keeps_the_session_length(chat: Chat) -> None:
    agenda, timed, missing, too_long = talk(
        chat,
        "kai",
        "draft a 45 min agenda",
        "make the check-in 10 minutes",
        "give the budget bit 20 mins",
        "give the reflection 44 mins",
    )
    minutes = [i["minutes"] for i in timed.payload["items"]]
    assert timed.intent == "edit" and minutes[0] == 10 and sum(minutes) == 45, timed.message
    assert timed.message.startswith("“Check-in and open actions” now has 10 minutes")
    before = [i["minutes"] for i in agenda.payload["items"]]
    assert all(m <= b for m, b in zip(minutes[1:], before[1:], strict=True))  # the others gave up the time
    assert missing.message.startswith("This agenda has no part called “budget”. Here it is as it was.")
    assert missing.payload["items"] == timed.payload["items"]
    assert too_long.message.startswith("“Reflection: what landed” can have at most"), too_long.message
    assert [i["minutes"] for i in too_long.payload["items"]] == minutes


def test_an_agenda_asked_for_in_so_many_parts_keeps_both_led_parts(chat: Chat) -> None:
    three, two = talk(chat, "sofia", "plan for the 10th, 3 parts max, we have 50", "just two parts")
    leads = [i["lead"] for i in three.payload["items"]]
    assert three.intent == "agenda" and leads == ["mentor", "executive", "both"], three.message
    assert sum(i["minutes"] for i in three.payload["items"]) == 50
    assert two.message.startswith("Here it is in 2 parts")
    assert [i["lead"] for i in two.payload["items"]] == ["mentor", "executive"]
    assert sum(i["minutes"] for i in two.payload["items"]) == 50


def test_a_subject_given_to_one_side_of_an_agenda_becomes_that_part(chat: Chat) -> None:
    (first,) = talk(chat, "sofia", "50 min plan for the 10th, his part on supplier negotiations")
    titles = [i["title"] for i in first.payload["items"]]
    assert "Executive-led exchange: Supplier negotiations" in titles, titles
    assert first.message.startswith(
        "No session topic in the catalog is about “supplier negotiations”, so Gareth's"
    )
    _, mine = talk(chat, "gareth", "agenda for the 10th", "put the quarterly pricing review in my part")
    assert "Executive-led exchange: Quarterly pricing review" in [i["title"] for i in mine.payload["items"]]
    assert "so your part is on it as you said" in mine.message
    (covered,) = talk(chat, "priya", "45 min agenda, my part on where AI tools go wrong")
    assert any(
        i["title"] == "Mentor-led topic: Where AI tools go wrong: errors, bias and data leaks"
        for i in covered.payload["items"]
    ), covered.message  # a catalog topic on it stays


def test_leaving_out_a_part_the_agenda_does_not_have_says_so(chat: Chat) -> None:
    agenda, missing, dropped = talk(
        chat,
        "sofia",
        "agenda for the 10th? 50 min",
        "he hates role play, lose the role play bit",
        "skip the reflection",
    )
    titles = [i["title"] for i in agenda.payload["items"]]
    assert missing.intent == "edit" and missing.message.startswith(
        "This agenda has no part called “role play”"
    )
    assert [i["title"] for i in missing.payload["items"]] == titles
    assert dropped.message.startswith("I left that part out"), dropped.message
    assert [i["title"] for i in dropped.payload["items"]] == [
        t for t in titles if not t.startswith("Reflection")
    ]


def test_the_same_notes_search_for_another_subject_searches_that_alone(chat: Chat) -> None:
    _, other = talk(chat, "priya", "what did we say about linkedin", "same but for the town hall")
    assert other.intent == "edit" and other.slots["focus"] == "town hall", other.message
    quoted = [line for e in other.payload["excerpts"] for line in e["lines"]]
    assert quoted and all("town hall" in line.lower() for line in quoted), quoted


def test_asking_for_more_notes_says_so_when_there_are_no_more(chat: Chat) -> None:
    _, again = talk(chat, "kai", "what did helen and I agree last time", "anything else in the notes?")
    assert again.intent == "edit" and again.slots["change"] == "other"
    assert again.message.startswith("That is everything your notes have on this.")


def test_a_notes_answer_leads_with_the_note_that_answers_and_keeps_an_answer_with_its_question(
    chat: Chat,
) -> None:
    reply = chat.answer("kai", "what was helen's advice about dealing with banks when we need them", [])
    assert reply.payload["excerpts"][0]["note_id"] == "kai-helen-07", reply.message
    assert "keep a second lender warm" in reply.message  # the line after "Kai asked how you negotiate…"


def test_a_line_that_answers_what_was_asked_comes_with_the_line_it_follows(chat: Chat) -> None:
    reply = chat.answer("sofia", "has gareth opened the survey results i sent him?", [])
    assert "He hadn't opened them." in reply.message, reply.message


def test_notes_from_a_season_are_that_seasons_notes(chat: Chat) -> None:
    reply = chat.answer("kai", "what did we say in the spring about the finance pack", [])
    assert reply.task == "search_notes"
    assert reply.payload["excerpts"] and all(
        e["date"][5:7] in ("03", "04", "05") for e in reply.payload["excerpts"]
    )
    assert "appendix" in reply.message


def test_where_we_left_things_is_the_last_sessions_overview(chat: Chat) -> None:
    reply = chat.answer("rafael", "where did we leave things with the notes last time?", [])
    assert reply.task == "search_notes" and len(reply.payload["excerpts"]) == 1, reply.message
    assert reply.payload["excerpts"][0]["date"] == "2026-09-03" and "Iberia" in reply.message


def test_my_own_private_notes_from_a_month_are_shown_whole(chat: Chat) -> None:
    reply = chat.answer("kai", "what did i note privately in april about helen's cancellations", [])
    assert [e["note_id"] for e in reply.payload["excerpts"]] == ["kai-helen-04"], reply.message
    assert "different slot would work better" in reply.message
    later = chat.answer("helen", "what did kai want to walk the finance team through in november", [])
    assert "expense tool" in later.message  # no note from November: "in november" is when, not which note


def test_which_topics_were_done_is_an_overview_of_the_notes_each_with_what_it_was_about(chat: Chat) -> None:
    reply = chat.answer("priya", "which topics have we already done?", [])
    assert reply.task == "search_notes", reply.message
    assert "Main topic today was inclusive meetings" in reply.message  # what the note says mattered
    dates = [e["date"] for e in reply.payload["excerpts"]]
    said = reply.message.lower()
    assert len(dates) > 2 and all(f"on {spoken_day(d).lower()} (" in said for d in dates)  # each one dated
    assert not re.search(r"^- [^\n]*:$", reply.message, re.M)  # no bare "What we agreed to try:"
    not_yet = chat.answer("priya", "topics we haven't covered yet?", [])
    assert not_yet.task == "topics", not_yet.message


def test_asking_again_and_again_for_other_topics_never_repeats_one(chat: Chat) -> None:
    replies = talk(
        chat, "kai", "topics for helen", "other ideas?", "something else pls", "more different ones"
    )
    titles = [t["title"] for reply in replies for t in reply.payload["topics"]]
    assert len(titles) == 20 and len(set(titles)) == 20


@pytest.mark.parametrize(
    ("message", "minutes"),
    [
        ("plan for 10 dec pls. 50 mins, his 15 min supplier bit first, then whatever", 50),
        ("agenda for thursday, we have forty five minutes, and five minutes at the end for actions", 45),
        ("a twenty-five minute catch-up", 25),
        ("45 is too long he's got a hard stop, do 30 minutes", 30),
    ],
)
def test_the_session_length_is_the_whole_not_a_part(message: str, minutes: int) -> None:
    reader = understander()
    assert reader.minutes(reader.normalise(message)) == minutes


@pytest.mark.parametrize(
    ("message", "focus"),
    [
        ("make me an agenda for martin, 60 min, we're doing the budget", "budget"),
        ("We've got 45 minutes and I'd like to cover the budget reforecast", "budget reforecast"),
        ("plan a 45 min session where we look at power bi dashboards", "power bi dashboards"),
        ("need topics, the theme is cybersecurity", "cybersecurity"),
        ("agenda pls, i want to cover everything", None),
        ("we're doing fine thanks", None),
        ("agenda pls, we'll talk through the reorg", "reorg"),
        ("what could we talk about regarding remote onboarding", "remote onboarding"),
        ("same agenda but for the town hall prep", "town hall prep"),
        ("what should the agenda be if we're discussing the merger", "merger"),
        ("plan the session — theme: inclusive hiring", "inclusive hiring"),
        ("an hour-long plan with the capex discussion as the centrepiece", "capex"),
        ("plan for 50 min, wanna do inclusive meetings bc his review is 20 ppl", "inclusive meetings"),
        (
            "helen only gets 30 min so plan for 30, want to do the expense tool walkthrough",
            "expense tool walkthrough",
        ),
        ("Ideas for my 15 minutes. Key accounts, probably.", "key accounts"),
        ("45 min plan pls, she needs to get the winter range data sorted for the board", "winter range data"),
        ("we want to do something fun this time, ideas?", None),
        ("topics? something light maybe", None),
        ("need a plan for next week, we're looking at the depot move", "depot move"),
        ("session plan for the AI pilot review pls", "ai pilot"),
        ("agenda: ESG reporting, 45 mins", "esg reporting"),
        ("plan a session so he can learn TikTok", "tiktok"),
        ("need an agenda for our first session back after 3 months", None),
        (
            "ingrid has to report winter range data to the board in march. topics for that?",
            "winter range data",
        ),
        (
            "martin has to take the hub consolidation to the board next month so... ideas for the 17th?",
            "hub consolidation",
        ),
        (
            "Need something to lead on for 15 min. Supplier negotiations. Quick ideas.",
            "supplier negotiations",
        ),
        ("heyy seeing martin thurs morning and ive got literally nothing prepped. ideas?", None),
        ("Topics for my half next time. Not budgets, we've done those to death.", None),
        ("agenda for 30 minutes? We restart after long pause, keep it light", None),
        ("an hour on the 4th, i want to walk her through the carbon reporting", "carbon reporting"),
        ("agenda for friday. my half should be how we'll roll out the new rota app", "rota app"),
        ("plan pls, his 20 min procurement bit goes first", "procurement"),
        ("40 min on zoom for the 9th, ideas?", None),
        ("a 30 minute kick-off session over teams", None),
        ("topics on teams etiquette", "teams etiquette"),
        ("thinking of covering the depot audit on the 12th, any ideas", "depot audit"),
        ("agenda for the 3rd: i'll show him how we build the sales forecast", "sales forecast"),
        ("what's our next session about anyway", None),  # a word that can only be an adverb is no subject
        ("agenda for tues, 45 min, retention focus", "retention"),
        ("Topics for the 10th, keep it to rostering.", "rostering"),
        ("ideas for when we restart? maybe tiktok, he asked what grads look at before an offer", "tiktok"),
        ("topics pls, maybe next week", None),
        ("ideas on sustainability though", "sustainability"),
    ],
)
def test_a_subject_given_as_what_the_session_covers(message: str, focus: str | None) -> None:
    reader = understander()
    text = reader.normalise(message)
    assert (reader.focus(text) or reader.context_subject(text)) == focus


def test_asked_where_an_answer_comes_from_it_names_its_passages(chat: Chat) -> None:
    answer, where = talk(chat, "priya", "how often should we meet?", "where does it say that")
    assert where.task == "expand"
    cited = {(c["section"], c["source"]) for c in answer.citations if c["kind"] == "guideline"}
    assert cited and all(f"“{section}” in {source}" in where.message for section, source in cited)
    assert "session of" not in where.message  # the guidelines, not a search of the notes


def test_asked_for_more_after_an_answer_it_quotes_more_of_the_passage(chat: Chat) -> None:
    answer, more = talk(chat, "priya", "how often should we meet?", "can u explain that more fully")
    assert answer.payload is not None and more.payload is not None, more.message
    assert more.intent == "edit" and more.task == "ask", (more.intent, more.task)
    lead = answer.payload["answer"].split(" (From ")[0]
    fuller = more.payload["answer"].split(" (From ")[0]
    assert len(fuller) > len(lead) and lead.split(". ")[0] in fuller  # the same answer, with more of it


def test_if_the_advice_does_not_work_the_same_challenge_gives_its_other_steps(chat: Chat) -> None:
    advice, then = talk(chat, "helen", "my mentor keeps cancelling", "ok and if that doesn't work?")
    assert advice.payload is not None and then.payload is not None, then.message
    assert then.task == "coach" and then.payload["challenge"] == advice.payload["challenge"]
    shown = {s["action"] for s in advice.payload["steps"]}
    assert then.payload["steps"] and not shown & {s["action"] for s in then.payload["steps"]}


@pytest.mark.parametrize(
    ("user", "situation", "whatif", "partner", "says"),
    [
        (
            "kai",
            "helen cancelled again, third time this month",
            "what if she gets annoyed tho",
            "Helen",
            "slot",
        ),
        (
            "kai",
            "helen cancelled again, third time this month",
            "and if she says she's too busy?",
            "Helen",
            "30",
        ),
        (
            "amara",
            "rafael gets defensive whenever i suggest a tool",
            "and if he just waves it off",
            "Rafael",
            "",
        ),
        (
            "priya",
            "martin keeps cancelling on me",
            "what if he wants out of the pairing",
            "Martin",
            "re-match",
        ),
    ],
)
def test_a_what_if_after_advice_is_answered_for_that_moment(
    chat: Chat, user: str, situation: str, whatif: str, partner: str, says: str
) -> None:
    """Not the same advice again: what helps in the moment asked about, naming the partner."""
    advice, then = talk(chat, user, situation, whatif)
    assert advice.payload is not None and then.payload is not None, then.message
    assert then.task == "coach" and then.message.startswith(f"If {partner} "), (
        then.message
    )  # not the advice again
    shown = {s["action"] for s in advice.payload["steps"]}
    assert then.payload["steps"] and not shown & {s["action"] for s in then.payload["steps"]}
    assert says in then.message


@pytest.mark.parametrize(
    ("which", "ref"),
    [("#1 - what if he gets annoyed?", 1), ("2nd suggestion - what if he gets weird abt it", 2)],
)
def test_a_what_if_about_one_step_gives_that_step_and_that_moment(chat: Chat, which: str, ref: int) -> None:
    advice, then = talk(chat, "amara", "rafael gets defensive whenever i suggest a tool", which)
    assert advice.payload is not None, advice.message
    assert then.intent == "expand", (then.intent, then.message)
    step = advice.payload["steps"][ref - 1]["action"]
    assert step in then.message and "If Rafael pushes back" in then.message, then.message


def test_a_what_if_the_playbook_has_no_moment_for_gives_steps_not_yet_given(chat: Chat) -> None:
    advice, then = talk(
        chat, "kai", "helen cancelled again", "what if I offered 7:30 in the morning instead?"
    )
    assert advice.payload is not None and then.payload is not None, then.message
    assert then.payload["challenge"] == advice.payload["challenge"], then.message
    shown = {s["action"] for s in advice.payload["steps"]}
    assert then.payload["steps"] and not shown & {s["action"] for s in then.payload["steps"]}


def test_a_different_agenda_has_other_topics(chat: Chat) -> None:
    first, other = talk(chat, "priya", "draft a 45 minute agenda", "not that, something else")
    assert first.payload is not None and other.payload is not None, other.message
    assert other.intent == "edit" and other.task == "agenda", (other.intent, other.task)
    before, after = ([i["title"] for i in r.payload["items"]] for r in (first, other))
    led = [t for t in after if "topic:" in t.lower()]  # the parts that carry a catalog topic
    assert led and not set(led) & set(before), (before, after)
    assert sum(i["minutes"] for i in other.payload["items"]) == 45


def test_a_topics_swap_that_names_no_item_gives_other_ideas(chat: Chat) -> None:
    """A swap without an item used to set the agenda's ``swap`` on topics, which the tool refused."""
    state = State("topics", {"count": 3}, ("Customer data", "Pricing talks", "Hybrid teams"))
    call = chat._edited(state, {"change": "swap"})
    assert "swap" not in call["args"] and call["args"]["exclude"] == list(state.items)
    assert call["change"] == "other"  # and the reply says so ("Here are different ones")
    call = chat._edited(state, {"change": "swap", "focus": "ai"})
    assert call["args"]["focus"] == "ai" and call["change"] == "focus"


def test_a_change_of_tone_says_the_wording_is_fixed_offline(chat: Chat) -> None:
    first, again = talk(chat, "priya", "give me 3 topic ideas for next time", "can u redo them less formal")
    assert again.task == "topics"
    assert "reword" in again.message and "language model" in again.message
    titles = [[t["title"] for t in r.payload["topics"]] for r in (first, again) if r.payload]
    assert len(titles) == 2 and titles[0] == titles[1]  # the same ideas, not new ones passed off as reworded


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ("agenda", "write a nudge to gareth reminding him he owes the supplier 15 min"),
        ("brief", "Draft a short note to Priya confirming the 3rd."),
    ],
)
def test_a_message_to_draft_after_another_answer_is_a_new_draft(chat: Chat, task: str, message: str) -> None:
    state = State(task, {"minutes": 45}, ("Check-in", "AI demo", "Budget"))
    assert chat.understander.understand(message, state, "mentor").intent == "draft_message"


@pytest.mark.parametrize(
    ("task", "message", "slots"),
    [
        ("agenda", "make the agenda about AI tools instead", {"change": "focus", "focus": "ai tools"}),
        ("agenda", "can u try a totally different agenda", {"change": "other"}),
        ("topics", "give me new suggestions, we did all these", {"change": "other"}),
        ("topics", "ok 2 topics then", {"change": "count", "count": 2}),
    ],
)
def test_the_same_request_again_changes_the_answer(
    chat: Chat, task: str, message: str, slots: dict[str, Any]
) -> None:
    """Asked for the task just answered, the message is that answer changed by what it says differently."""
    state = State(task, {"minutes": 45}, ("Customer data", "Pricing talks", "Hybrid teams"))
    understood = chat.understander.understand(message, state, "mentor")
    assert understood.intent == "edit", (understood.intent, understood.slots)
    assert {k: understood.slots.get(k) for k in slots} == slots


@pytest.mark.parametrize(
    "message", ["nandri!", "arigato", "dhanyavaad", "asante sana", "tack så mycket", "tnx"]
)
def test_thanks_in_any_language_is_thanks(message: str) -> None:
    understood = understander().understand(message, State("topics", {}, ("A", "B")), "mentor")
    assert understood.intent == "thanks", understood


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("what should we cover when we meet? keep it to 30 min", "agenda"),
        ("Also, three things I could teach her next", "topics"),
    ],
)
def test_a_new_request_after_a_draft_is_not_an_edit_of_it(chat: Chat, message: str, intent: str) -> None:
    state = State("draft_message", {}, ())
    understood = chat.understander.understand(message, state, "executive", frozenset({"priya"}))
    assert understood.intent == intent, understood
    assert understood.slots.get("focus") is None, understood


def test_leaving_out_or_keeping_a_part_works_on_every_kind_of_answer(chat: Chat) -> None:
    """ "drop the second one" on topics, "without the X step" on coaching, "just the open actions" on
    a brief: the answer really changes, and says what it did (it used to say so for agendas only)."""
    topics, dropped = talk(chat, "priya", "3 topic ideas for martin", "drop the second one")
    assert topics.payload is not None and dropped.payload is not None, dropped.message
    titles = [t["title"] for t in topics.payload["topics"]]
    assert [t["title"] for t in dropped.payload["topics"]] == [titles[0], titles[2]], dropped.message
    assert titles[1] in dropped.message.split("\n\n")[0]  # "I left out “…”."

    coaching, fewer = talk(
        chat, "amara", "rafael keeps cancelling, what do i do", "skip the recurring series step"
    )
    assert coaching.payload is not None and fewer.payload is not None, fewer.message
    before = [s["action"] for s in coaching.payload["steps"]]
    after = [s["action"] for s in fewer.payload["steps"]]
    assert len(after) == len(before) - 1 and not any("recurring series" in a for a in after), fewer.message

    brief, actions, unknown = talk(
        chat, "helen", "prep brief for my next session", "just the open actions", "without the zebra bit"
    )
    assert "## Open actions" in actions.message and "## Recap" not in actions.message, actions.message
    assert "## Questions to ask" not in actions.message
    assert "## Recap" in brief.message
    assert unknown.intent == "edit" and "unchanged" in unknown.message.split("\n\n")[0], unknown.message
    _, mine = talk(chat, "helen", "prep brief for my next session", "just my actions")
    _, his = talk(chat, "helen", "prep brief for my next session", "only kai's actions")
    assert mine.message.startswith("Only your open actions") and "**Kai**" not in mine.message, mine.message
    assert "**Helen**" in mine.message and "## Recap" not in mine.message, mine.message
    assert "**Kai**" in his.message and "**Helen**" not in his.message, his.message
    _, kept = talk(chat, "helen", "brief for tuesday pls", "And leave Kai's items off, I only need mine.")
    assert kept.message.startswith("Only your open actions") and "**Kai**" not in kept.message, kept.message
    _, open_mine = talk(chat, "amara", "whats still open between us", "only mine pls")
    assert open_mine.payload is not None and open_mine.message.startswith("Only your actions"), (
        open_mine.message
    )
    lines = [line for e in open_mine.payload["excerpts"] for line in e["lines"]]
    assert lines and all(line.startswith("Amara:") for line in lines), lines

    health, stalled, no_names = talk(
        chat, "marisol", "which pairs need attention?", "just the stalled ones", "same without names pls"
    )
    assert health.payload is not None and stalled.payload is not None, stalled.message
    flagged = health.payload["items"]
    assert len(flagged) > 1 and stalled.payload["items"] == [i for i in flagged if "stalled" in i]
    assert no_names.intent == "edit" and no_names.payload is not None, no_names.message
    assert len(no_names.payload["items"]) == len(stalled.payload["items"])  # the same answer, anonymised
    assert (
        "Of the " in stalled.message and "1 is flagged “stalled”:" in stalled.message
    )  # the count is the list's
    for user in USERS_OF_PAIRS:
        assert user not in no_names.message.lower(), no_names.message


def test_a_coordinator_asks_for_the_programs_figures_in_words(chat: Chat, assistant: Assistant) -> None:
    """Feedback by month, self-ratings and sessions held come from the figures, never one person's answer."""
    feedback, ratings = talk(
        chat, "marisol", "what do the pulse scores say month by month?", "same but for the self-ratings"
    )
    health = Coordinator(assistant).health()
    assert health.pulse is not None and health.objectives_self_rated is not None
    reported = [m for m in health.pulse.months if m.reported]
    assert reported and feedback.slots.get("about") == "feedback"
    for month in reported:
        when = dt.date.fromisoformat(f"{month.month}-01")
        assert (
            f"**{when:%B %Y}**: {month.mean_usefulness:.1f}, from {month.people} people" in feedback.message
        )
    suppressed = [m for m in health.pulse.months if not m.reported]
    assert all(f"{dt.date.fromisoformat(m.month + '-01'):%B %Y}" not in feedback.message for m in suppressed)
    assert ratings.slots.get("about") == "ratings", ratings.message
    for objective in health.objectives_self_rated.objectives:
        assert f"**{objective.title}**" in ratings.message
    held = Coordinator(assistant).picture().dashboard.activity
    month = held.months[-2]  # the last full month
    when = dt.date.fromisoformat(f"{month}-01")
    (met,) = talk(chat, "marisol", f"how many pairs actually met in {when:%B}? no names")
    n = held.sessions_held[held.months.index(month)]
    assert met.message.startswith(f"In {when:%B %Y}: {n} session"), met.message
    assert not any(user in met.message.lower() for user in USERS_OF_PAIRS)


def test_a_coordinators_check_in_then_one_for_another_pair(chat: Chat) -> None:
    first, second = talk(
        chat, "marisol", "draft a check-in to kai and helen", "and one for sofia and gareth too"
    )
    assert first.task == second.task == "check_in", second.message
    assert "Sofia and Gareth" in second.message and "Kai" not in second.message, second.message


def test_a_coordinator_reads_what_a_pair_shares_with_the_program(chat: Chat) -> None:
    """Only the pair's ``program`` notes answer, said as theirs; without a pair named, which pairs share."""
    (found,) = talk(chat, "marisol", "did kai and helen agree anything about the fixed slot that i can see?")
    notes = note_ids("kai-helen")
    shared = {i for i, n in notes.items() if n.get("visibility") == "program"}
    assert found.task == "search_notes" and found.citations, found.message
    assert {c["note_id"] for c in found.citations} <= shared, found.citations
    assert found.message.startswith("From Kai and Helen's session of"), found.message
    for excerpt in found.payload["excerpts"]:
        for line in excerpt["lines"]:
            assert any(line.split(" (open")[0][:40] in " ".join(notes[i]["text"].split()) for i in shared), (
                line
            )
    unshared = [n["text"] for i, n in notes.items() if i not in shared]
    assert not any(
        line[:60] in found.message for text in unshared for line in text.splitlines() if len(line) > 30
    )
    (unnamed,) = talk(chat, "marisol", "anything in the shared notes about the pilot?")
    assert unnamed.message.startswith("Whose notes should I look in?"), unnamed.message
    assert "Noor and Ingrid (1 note)" in unnamed.message and not unnamed.citations
    (member,) = talk(chat, "kai", "did helen and i agree anything about the fixed slot?")
    assert member.message.startswith("From your session of"), member.message


def test_program_health_compared_with_a_month_or_a_quarter_ago(chat: Chat, assistant: Assistant) -> None:
    _, month, quarter, no_names = talk(
        chat,
        "marisol",
        "which pairs need attention?",
        "can you compare with last month",
        "and 3 months ago?",
        "no names pls",
    )
    coordinator = Coordinator(assistant)
    now = coordinator.health()
    for reply, days in ((month, 30), (quarter, 90)):
        assert reply.intent == "edit" and reply.slots["change"] == "compare", reply.message
        then = coordinator.health(now.today - dt.timedelta(days=days))
        assert f"Since {spoken_day(then.today)}" in reply.message, reply.message
        was = {p.pair_id: p.cadence.status for p in then.pairs}
        for pair in now.pairs:
            moved = f"{pair.mentor.name} and {pair.executive.name} went from" in reply.message
            assert moved == (was[pair.pair_id] != pair.cadence.status), (pair.pair_id, reply.message)
    assert "went from" in quarter.message  # the demo's pairs did change over a quarter
    assert f"Since {spoken_day(now.today - dt.timedelta(days=90))}" in no_names.message
    for user in USERS_OF_PAIRS:
        assert user not in no_names.message.lower(), no_names.message
    first = chat.answer("marisol", "any pairs stalled since last month?", [])
    assert first.task == "program_health" and "Since " in first.message, first.message
    (_, month) = talk(
        chat, "marisol", "which pairs need attention?", "and how does that compare with September?"
    )
    today = now.today
    start = dt.date(today.year - (today.month <= 9), 9, 1)
    assert month.slots.get("compare_days") == (today - start).days, month.slots
    assert f"Since {spoken_day(start)}" in month.message, month.message


def test_pairs_that_traded_places_are_compared_without_names(demo_copy: Callable[[str], Assistant]) -> None:
    """Over the demo's last month two pairs traded statuses: without names the counts are as they were."""
    chat = Chat(Guide(demo_copy("traded"), model=None))
    *_, no_names = talk(chat, "marisol", "how many pairs are active", "compare with last month", "no names")
    assert "2 pairs changed status, and the counts by status are the same" in no_names.message, (
        no_names.message
    )


def test_who_can_read_a_conversation_with_the_assistant_is_said_plainly(chat: Chat) -> None:
    _, asked = talk(chat, "sofia", "topic ideas for thursday", "would gareth see what i type to u here")
    assert asked.intent == "ask", asked.message
    assert asked.message.startswith("Only you can read your conversations with me"), asked.message
    (notes,) = talk(chat, "sofia", "would he see my notes")
    assert notes.intent == "ask", notes.message  # notes follow the program's rules


def test_a_coordinator_writes_to_every_mentor_in_their_own_words(chat: Chat) -> None:
    note, added = talk(
        chat,
        "marisol",
        "write to all the mentors reminding them to log a note after each session",
        "add that notes can be private if they want",
    )
    assert note.payload is not None and note.payload["to"] == "all mentors (5)", note.message
    body = note.payload["body"]
    assert body.startswith("Hi mentors,") and "A quick reminder to log a note after each session." in body, (
        body
    )
    assert added.payload is not None and "Notes can be private if you want." in added.payload["body"]
    for user in USERS_OF_PAIRS:  # a note to everyone names no one
        assert user not in added.payload["body"].lower(), added.payload["body"]
    (everyone,) = talk(chat, "marisol", "draft a note to everyone about the showcase in march")
    assert everyone.payload is not None and everyone.payload["to"] == "all participants (10)", (
        everyone.message
    )
    notice, two_lines, added_point = talk(
        chat,
        "jonas",
        "draft a msg to all users: notes down sat 9-11 for maintenance",
        "make it 2 lines",
        "add that nothing will be lost",
    )
    assert notice.payload is not None and "Notes down sat 9-11 for maintenance." in notice.payload["body"]
    assert "getting in the way" not in notice.payload["body"]  # its own point, not the program's rhythm
    assert two_lines.intent == "edit" and added_point.payload is not None, added_point.message
    assert "Nothing will be lost." in added_point.payload["body"], added_point.payload["body"]


def test_a_coordinator_drafts_a_check_in_to_a_pair_from_its_dates_only(
    chat: Chat, assistant: Assistant
) -> None:
    reply = chat.answer("marisol", "write to amara and rafael, they've gone quiet", [])
    assert reply.task == "check_in" and reply.payload is not None, reply.message
    assert reply.payload["to"] == "Amara and Rafael" and reply.payload["body"].startswith(
        "Hi Amara and Rafael,"
    )
    cadence = next(p for p in Coordinator(assistant).health().pairs if p.pair_id == "amara-rafael").cadence
    assert f"{cadence.days_since_last_session} days ago" in reply.message and "Marisol" in reply.message
    unseen = [n for n in program()["notes"] if n["visibility"] != "program"]
    assert not quotes_any(reply.message, hidden_phrases(unseen)), reply.message
    one = chat.answer("marisol", "email noor to check in", [])  # one name: to her, on her pair's dates
    assert one.task == "check_in" and one.payload["to"] == "Noor", one.message
    assert one.payload["body"].startswith("Hi Noor,") and "10 December" in one.payload["body"], one.message
    whom = chat.answer("marisol", "draft a message to the stalled pair", [])
    assert whom.payload is None and whom.message.startswith("Which pair is it for?"), whom.message
    assert not whom.suggestions  # a member's "draft a thank-you instead" is not for a coordinator


def test_a_draft_after_advice_on_ones_own_cancelling_apologises_and_takes_a_point_said_politely(
    chat: Chat,
) -> None:
    _, draft, more = talk(
        chat,
        "helen",
        "Kai has been very patient with me cancelling. How do I make it up to him?",
        "Could you draft something I could send him?",
        "Perhaps mention that I will keep the 8th no matter what.",
    )
    assert draft.payload is not None and draft.payload["kind"] == "apology", draft.message
    assert more.intent == "edit" and more.payload is not None, more.message
    advice, note = talk(
        chat,
        "rafael",
        "Hello. Amara and I have not met since September; I have been travelling a great deal. "
        "What would you recommend?",
        "That is fair. Could you draft a note to Amara for me?",
    )
    assert advice.intent == "coach" and note.payload is not None and note.payload["kind"] == "apology"
    assert "I will keep the 8th no matter what." in more.payload["body"]


def test_a_draft_after_the_partner_cancelled_asks_for_a_regular_slot_not_to_move_ones_own(chat: Chat) -> None:
    _, draft = talk(
        chat, "kai", "so helen cancelled AGAIN lol. idk what to do at this point", "can u write it for me"
    )
    assert draft.payload is not None and draft.payload["kind"] == "slot", draft.message
    assert "recurring slot" in draft.payload["body"] and "can't make" not in draft.payload["body"]
    (asked,) = talk(
        chat, "priya", "martin keeps cancelling on me, can you draft a message asking for a regular slot"
    )
    assert asked.payload is not None and asked.payload["kind"] == "slot", asked.message
    assert "Could you let me know for" not in asked.payload["body"]  # what the kind says, not a point again


@pytest.mark.parametrize(
    ("message", "focus"),
    [
        (
            "Ideas for Noor? She has been teaching me about TikTok, but I want to give back on negotiation.",
            "negotiation",
        ),
        ("we did linkedin last time, this time maybe something on AI", "ai"),
        ("topics on AI, but nothing too technical", "ai"),
    ],
)
def test_the_subject_after_a_turn_to_what_is_wanted_is_the_focus(message: str, focus: str) -> None:
    assert understander().focus(message, frozenset({"noor", "ingrid"})) == focus


def test_a_look_back_before_a_break_is_a_review_session_that_keeps_its_shape_when_edited(chat: Chat) -> None:
    review, shorter = talk(
        chat,
        "sofia",
        "ok so thursday is our last session before xmas and i want to do a bit of a look back at what we've "
        "done since march + plan for next year. can you help",
        "make it 40 min",
    )
    assert review.intent == "agenda" and review.payload is not None, review.message
    titles = [i["title"] for i in review.payload["items"]]
    assert any(t.startswith("Looking back") for t in titles) and "Looking ahead" in titles, titles
    assert not any("Mentor-led" in t or "Executive-led" in t for t in titles)  # no catalog topic in it
    assert shorter.payload is not None and shorter.payload["minutes"] == 40
    assert [i["title"] for i in shorter.payload["items"]] == titles
    assert sum(i["minutes"] for i in shorter.payload["items"]) == 40


def test_what_she_thought_of_it_stays_on_the_subject_and_what_i_have_to_do_is_my_open_actions(
    chat: Chat,
) -> None:
    first, opinion = talk(
        chat,
        "noor",
        "hiya, when did ingrid and i last talk about the driver survey?",
        "and what did she think of it",
    )
    assert opinion.intent == "expand" and opinion.payload is not None, opinion.message  # more on that search
    assert opinion.slots.get("focus") == first.slots.get("focus") == "driver survey"
    assert opinion.payload["excerpts"], opinion.message
    (mine,) = talk(chat, "noor", "ok remind me what i have to do before next time")
    assert mine.payload is not None and "still open on your side" in mine.message, mine.message
    assert all(line.startswith("Noor:") for e in mine.payload["excerpts"] for line in e["lines"])


def test_a_brief_asked_for_briefly_is_its_short_version(chat: Chat) -> None:
    (full,) = talk(chat, "helen", "prep me for tuesday with kai")
    (short,) = talk(
        chat,
        "helen",
        "Good afternoon. I see Kai on Tuesday. Could you remind me briefly where we left things and "
        "anything I have promised him?",
    )
    assert short.intent == "brief" and "## Agenda" in full.message and "## Reading" in full.message
    assert "## Since last time" in short.message and "## Agenda" not in short.message, short.message
    assert "## Reading" not in short.message and len(short.message) < len(full.message)


def test_whats_on_my_plate_is_the_program_for_a_coordinator_and_my_actions_for_a_mentor(chat: Chat) -> None:
    (staff,) = talk(chat, "marisol", "what's on my plate this week?")
    (mine,) = talk(chat, "priya", "whats on my plate this week")
    assert staff.intent == "program_health" and "need your attention" in staff.message, staff.message
    assert mine.intent == "search_notes" and "still open on your side" in mine.message, mine.message
    assert not mine.slots.get("focus")


def test_and_who_after_a_rule_answer_goes_on_with_that_question(chat: Chat) -> None:
    _, who = talk(
        chat,
        "martin",
        "Quick question on the programme rules: if Priya moves to another department in January, do we "
        "continue as a pair or does she get re-matched?",
        "Understood. And who should I inform?",
    )
    assert who.intent == "ask" and "coordinator" in who.message.lower(), who.message


def test_how_many_sessions_last_month_is_that_months_figures(chat: Chat) -> None:
    _, last = talk(chat, "jonas", "how many pairs are active right now?", "and how many sessions last month?")
    month = (clock.today().month - 2) % 12 + 1
    assert last.slots.get("about") == "sessions" and last.slots.get("month") == month, last.slots
    assert last.message.startswith("In "), last.message


@pytest.mark.parametrize(("message", "ref"), [("Drop 3", 3), ("actually bin 2", 2), ("lose no. 1", 1)])
def test_drop_and_a_number_drops_that_item(message: str, ref: int) -> None:
    state = State("topics", {}, ("AI tools", "Hybrid work", "Budgets"))
    understood = understander().understand(message, state, "mentor")
    assert understood.intent == "edit" and understood.slots.get("change") == "drop", understood
    assert understood.slots.get("ref") == ref
    resized = understander().understand(
        "cut 2 to 10 min", State("agenda", {"minutes": 45}, state.items), "mentor"
    )
    assert resized.slots.get("change") != "drop"  # a part's new length, not that part gone


@pytest.mark.parametrize(
    "message",
    [
        "ideas for gareth pls. anything, i'm out of steam",
        "sorry, stuff to talk abt w helen, like she wanted",
        "What could we cover next time? I'd like a steer.",
    ],
)
def test_a_mood_or_a_person_talked_with_is_no_subject(message: str) -> None:
    assert understander().focus(message, frozenset({"gareth", "helen", "kai"})) is None


def test_a_coordinator_drafts_one_note_to_each_pair_the_figures_just_listed(chat: Chat) -> None:
    health, each = talk(
        chat, "marisol", "which pairs need attention?", "ok write something i can send to those pairs"
    )
    listed = re.findall(r"\*\*(\S+) \S+ and (\S+) \S+\*\*", health.message)
    assert len(listed) >= 2 and each.payload is not None, each.message
    assert each.message.startswith(f"Here are {len(listed)} drafts you can edit and send, one to each pair.")
    drafts = [each.payload, *each.payload["more"]]
    assert [d["to"] for d in drafts] == [f"{m} and {e}" for m, e in listed]
    assert all(d["body"].startswith(f"Hi {d['to']},") for d in drafts)
    unseen = [n for n in program()["notes"] if n["visibility"] != "program"]
    assert not quotes_any(each.message, hidden_phrases(unseen)), each.message
    _, stalled = talk(chat, "marisol", "which pairs need attention?", "draft a nudge to the stalled ones")
    assert stalled.payload is not None and not stalled.payload["more"], stalled.message
    assert stalled.payload["to"] == "Amara and Rafael"  # the one pair the figures call stalled


def test_a_coordinators_check_in_takes_follow_ups_and_says_its_wording_is_fixed_offline(chat: Chat) -> None:
    first, softer, shorter = talk(
        chat, "marisol", "draft a check-in to amara and rafael", "less corporate pls", "shorter"
    )
    for reply in (softer, shorter):
        assert reply.intent == "edit" and reply.slots["task"] == "draft_message", reply.slots
    assert softer.message.startswith("Without a language model"), softer.message
    assert first.message in softer.message  # the same draft, kept
    assert first.payload is not None and shorter.payload is not None, shorter.message
    assert len(shorter.payload["body"]) < len(first.payload["body"]), shorter.message
    assert "book your next session" in shorter.payload["body"]  # what it asks of them stays


def test_a_check_in_to_people_who_are_not_a_pair_is_refused_with_a_sentence(chat: Chat) -> None:
    box, caller = chat.tools, chat._caller("marisol", None)
    with pytest.raises(InvalidInput, match="No pair in the program has Kai and Martin in it"):
        box.call("check_in", caller, {"names": ["kai", "martin"]})  # each is in another pair
    with pytest.raises(InvalidInput, match="are not a mentor and an executive"):
        box.call("check_in", caller, {"names": ["kai", "amara"], "introduce": True})  # two mentors
    with pytest.raises(InvalidInput):
        box.call("check_in", caller, {"names": []})
    _, asked = talk(
        chat, "marisol", "who'd be a good match for leo?", "ok draft a check-in to kai and martin"
    )
    assert asked.message.startswith("No pair in the program has Kai and Martin in it"), asked.message  # said


def test_a_coordinator_introduces_a_new_match_and_nudges_the_pair_just_named(chat: Chat) -> None:
    _, intro, short = talk(
        chat,
        "marisol",
        "who'd be a good match for leo?",
        "ok draft an intro email to leo and dana",
        "shorter pls",
    )
    assert intro.payload is not None and intro.payload["kind"] == "introduction", intro.message
    body = intro.payload["body"]
    assert body.startswith("Hi Leo and Dana") and "Leo as mentor and Dana as executive" in body, body
    assert "Leo can help Dana with" in body and "book a first session" in body, body
    assert short.payload is not None and len(short.payload["body"]) < len(body), short.message
    _, nudge = talk(chat, "marisol", "how are kai and helen doing, cadence-wise", "send them a nudge")
    assert nudge.payload is not None and nudge.payload["body"].startswith("Hi Kai and Helen"), nudge.message


def test_a_part_named_in_an_answer_without_items_matches_nothing() -> None:
    assert Understander.best_title(["tools"], ()) is None  # was a crash (and a 500) after an empty list


def test_what_we_agreed_last_time_is_that_sessions_gist_and_its_actions(chat: Chat) -> None:
    """No subject named: the last readable note's main lines and every action it records."""
    reply = chat.answer("martin", "What did we agree at the last session?", [])
    notes = sorted(note_ids("priya-martin").items(), key=lambda kv: (kv[1]["date"], kv[0]))
    last_id, last = notes[-1]
    assert reply.task == "search_notes" and reply.payload is not None, reply.message
    assert [e["note_id"] for e in reply.payload["excerpts"]] == [last_id]
    actions = re.findall(r"^- \[[ xX]\] (.+)$", last["text"], re.M)
    assert actions and all(" ".join(a.split())[:40] in reply.message for a in actions), reply.message


def test_what_i_said_id_do_last_time_is_my_actions_from_that_session_done_or_not(chat: Chat) -> None:
    reply = chat.answer("martin", "What did I say I'd do last time?", [])
    notes = sorted(note_ids("priya-martin").items(), key=lambda kv: (kv[1]["date"], kv[0]))
    last_id, last = notes[-1]
    mine = re.findall(r"^- \[[ xX]\] Martin: (.+)$", last["text"], re.M)
    assert mine and reply.payload is not None, reply.message
    first, *earlier = reply.payload["excerpts"]
    assert first["note_id"] == last_id, reply.payload["excerpts"]
    assert all(line.endswith("(still open)") for e in earlier for line in e["lines"]), (
        earlier
    )  # owed from before
    assert all(" ".join(a.split())[:40] in reply.message for a in mine), reply.message
    assert "Priya:" not in reply.message


def test_my_side_is_the_askers_even_after_naming_the_partner(chat: Chat) -> None:
    reply = chat.answer("helen", "I have Kai on the 8th. What's outstanding on my side?", [])
    assert "on your side" in reply.message and "hedging" in reply.message, reply.message
    assert "Kai:" not in reply.message


def test_a_session_named_by_its_date_is_that_sessions_note(chat: Chat) -> None:
    notes = sorted(note_ids("sofia-gareth").items(), key=lambda kv: (kv[1]["date"], kv[0]))
    last_id, last = notes[-1]
    day = last["date"].day
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(day % 10 if day not in (11, 12, 13) else 0, "th")
    reply = chat.answer("gareth", f"what did sofia and I agree on the {day}{suffix}", [])
    assert reply.payload is not None and [e["note_id"] for e in reply.payload["excerpts"]] == [last_id]
    counted = chat.answer("gareth", "what did we say about the 15 minutes he leads", [])
    assert "no session note from that date" not in counted.message  # a number, not a date
    dates = {n["date"].isoformat() for n in note_ids("sofia-gareth").values()}
    free = next(f"{d} jan" for d in range(1, 29) if f"2026-01-{d:02d}" not in dates)
    none = chat.answer("gareth", f"what did we talk about on {free}", [])
    assert "no session note from that date" in none.message and spoken_day(last["date"]) in none.message


def test_what_i_owe_is_the_askers_side_even_when_the_partner_is_named(chat: Chat) -> None:
    mine = chat.answer("sofia", "what do i still owe gareth", [])
    theirs = chat.answer("sofia", "what does gareth still owe me", [])
    assert "your side" in mine.message and "Sofia:" in mine.message and "Gareth:" not in mine.message
    assert "Gareth's side" in theirs.message and "Sofia:" not in theirs.message, theirs.message


def test_a_report_without_names_names_nobody(chat: Chat) -> None:
    reply = chat.answer("marisol", "overview of how the pairs are doing for my report, no names pls", [])
    assert reply.task == "program_health" and reply.payload is not None, reply.message
    assert reply.payload["items"], "the demo has pairs needing attention"
    for user in USERS_OF_PAIRS:
        assert user not in reply.message.lower(), reply.message


def test_a_rule_question_followed_up_with_if_is_read_with_its_question(chat: Chat) -> None:
    first, follow = talk(
        chat, "martin", "can I tell my team what Priya said about the grads?", "If I leave her name out?"
    )
    assert first.task == "ask" and follow.task == "ask", follow.message
    assert follow.slots.get("context") == first.standalone


def test_swapping_one_topic_keeps_the_others(chat: Chat) -> None:
    topics, swapped = talk(
        chat, "priya", "3 topic ideas for martin", "swap the second one for something else"
    )
    assert topics.payload is not None and swapped.payload is not None, swapped.message
    before = [t["title"] for t in topics.payload["topics"]]
    after = [t["title"] for t in swapped.payload["topics"]]
    assert len(after) == 3 and before[1] not in after and {before[0], before[2]} <= set(after), after


def test_shorter_means_something_for_drafts_briefs_and_coaching(chat: Chat) -> None:
    draft, short = talk(chat, "gareth", "draft a message to sofia to reschedule", "too long")
    assert draft.payload is not None and short.payload is not None, short.message
    assert len(short.payload["body"]) < len(draft.payload["body"]), short.message
    assert short.payload["body"].startswith("Hi Sofia")

    brief, quick = talk(chat, "helen", "prep brief for my next session", "shorter pls, i only have 5 min")
    assert "## Agenda" in brief.message and "## Agenda" not in quick.message, quick.message
    assert "## Open actions" in quick.message and len(quick.message) < len(brief.message)

    steps, others, again = talk(
        chat, "amara", "rafael keeps cancelling, 3 steps pls", "any other approaches?", "any others?"
    )
    assert steps.payload is not None and others.payload is not None, others.message
    shown = {s["action"] for s in steps.payload["steps"]}
    assert len(shown) == 3 and others.payload["steps"], others.message
    assert not shown & {s["action"] for s in others.payload["steps"]}, others.message
    # once every step has been shown, it says so rather than showing nothing or pretending
    assert again.payload is not None and again.payload["steps"], again.message


def test_a_draft_says_what_the_sender_asked_it_to_say_to_the_partner(chat: Chat) -> None:
    draft, added, both, mine = talk(
        chat,
        "sofia",
        "draft a msg to gareth to move our session to next week",
        "mention he could do 30 min if time's the issue",
        "and ask him if the 3rd works, and remind him of the supplier deck",
        "remind me what we agreed about the one pager",
    )
    assert draft.payload is not None and added.payload is not None, added.message
    body = added.payload["body"]
    assert added.intent == "edit" and added.payload["kind"] == draft.payload["kind"], added.message
    assert "You could do 30 minutes if time's the issue." in body, body
    assert body.startswith("Hi Gareth") and "he could" not in body, body
    assert both.payload is not None, both.message
    assert "Could you let me know if the 3rd works?" in both.payload["body"], both.payload["body"]
    assert "A quick reminder about the supplier deck." in both.payload["body"]
    assert "You could do 30 minutes" in both.payload["body"]  # what was added before stays
    assert mine.intent == "search_notes", mine.message  # "remind me" is asked of the assistant


def test_a_draft_is_toned_down_and_a_point_taken_out_or_said_missing(chat: Chat) -> None:
    draft, plain, added, unsaid, missing, fixed = talk(
        chat,
        "helen",
        "draft a message to kai apologising for cancelling again",
        "Tone down the apology. I've apologised enough; it just needs to say I'll be there.",
        "mention we could do 30 min",
        "actually don't mention the 30 min",
        "Don't mention the phone business.",
        "take out the bit about the fixed slot",
    )
    assert draft.payload is not None and plain.payload is not None, plain.message
    assert plain.intent == "edit" and plain.message.startswith("Here it is in fewer, plainer words."), (
        plain.message
    )
    assert (
        len(plain.payload["body"]) < len(draft.payload["body"]) and "I'll be there." in plain.payload["body"]
    )
    assert "in my calendar" in draft.payload["body"], draft.payload["body"]  # her own action, in her words
    assert added.payload is not None and "30 minutes" in added.payload["body"], added.message
    assert unsaid.message.startswith("I took that out.") and unsaid.payload is not None, unsaid.message
    assert "30 minutes" not in unsaid.payload["body"] and "I'll be there." in unsaid.payload["body"]
    assert missing.message.startswith("The draft doesn't mention that"), missing.message
    assert fixed.message.startswith("I took that out.") and fixed.payload is not None, fixed.message
    assert missing.payload is not None and "a fixed fortnightly slot" in missing.payload["body"]
    assert "a fixed fortnightly slot" not in fixed.payload["body"]
    assert "I'll be there." in fixed.payload["body"]  # only the sentence about it


def test_a_request_for_a_message_with_a_point_is_a_note_that_makes_it(chat: Chat) -> None:
    (note,) = talk(chat, "ingrid", "Could you draft a note to Noor asking whether she'd agree to be quoted?")
    assert note.payload is not None, note.message
    assert note.payload["body"].splitlines()[2] == "Could you let me know whether you'd agree to be quoted?"
    assert "book our next session" not in note.payload["body"]  # not an invitation she didn't ask for
    (proposal,) = talk(chat, "priya", "write martin a message proposing 30 minutes every other week")
    assert (
        proposal.payload is not None and "How about 30 minutes every other week?" in proposal.payload["body"]
    )
    (reschedule,) = talk(chat, "priya", "draft a msg to martin to move our session to next week")
    assert reschedule.payload is not None and reschedule.payload["kind"] == "reschedule"
    assert "How about" not in reschedule.payload["body"] and "Could you let me know" not in reschedule.message


def test_a_coordinators_check_in_says_what_they_asked_to_both_members(chat: Chat) -> None:
    draft, added = talk(
        chat,
        "marisol",
        "draft them a check-in, amara and rafael",
        "mention they could do 30 min if time's the issue",
    )
    assert draft.intent == "draft_message" and added.payload is not None, draft.message
    assert "You could do 30 minutes if time's the issue." in added.payload["body"], added.payload["body"]
    assert added.payload["body"].startswith("Hi Amara and Rafael"), added.payload["body"]


def test_a_coordinator_thanks_a_pair_and_adds_a_point_in_their_words(chat: Chat) -> None:
    """A well-done note is a thank-you, not a check-in; "put in that…" adds what they said."""
    draft, added = talk(
        chat,
        "marisol",
        "write to noor and ingrid to say well done on how the pair has gone this year",
        "put in that i'd love a short write-up from them for the newsletter",
    )
    assert draft.intent == "draft_message" and draft.payload is not None, draft.message
    body = draft.payload["body"]
    assert "Thank you both" in body and "checking in" not in body.lower(), body
    assert "Well done on how the pair has gone this year." in body, body
    assert (
        added.payload is not None
        and "I'd love a short write-up from you for the newsletter." in (added.payload["body"])
    ), added.message


def test_a_proposal_drafted_after_advice_proposes_the_length_said(chat: Chat) -> None:
    advice, draft = talk(
        chat,
        "amara",
        "rafael and i havent met since september and i dont want it to quietly die",
        "ok draft the proposal to him then. 20 min every 2 weeks on teams until the integration calms down",
    )
    assert advice.intent == "coach" and draft.intent == "draft_message" and draft.payload is not None
    body = draft.payload["body"]
    assert "20 minutes would do" in body and "Forty-five" not in body, body
    assert "3 September" in body and "2026-09-03" not in body, body  # a date as people write it


@pytest.mark.parametrize(
    ("user", "message", "must", "must_not"),
    [
        (
            "martin",
            "Remind me of the private note I made in April.",
            "Note to self after today",
            "Forty-five",
        ),
        ("sofia", "what did i write just for myself back in july", "Starting to feel like free IT", "(open)"),
        ("helen", "Which actions am I still carrying for Kai?", "Helen: check the figures", "Kai: prepare"),
        ("amara", "what was the last thing rafael and i agreed", "Iberia integration", "2026-07-23"),
        ("priya", "and when was the last time linkedin came up", "The last time it came up was", "From your"),
        ("rafael", "What did we agree the last time we met?", "shorter session format", "couldn't find"),
        (
            "sofia",
            "what he said when i shared the reciprocal learning thing?",
            '"fair point"',
            "couldn't find",
        ),
        ("priya", "ok so what did martin and i agree on 12 nov", "Q1 reforecast", "couldn't find"),
        ("helen", "Remind me what we said about the finance all-hands.", "rotating who presents", "couldn't"),
        ("gareth", "What's overdue?", "quiet-hours notification schedule", "couldn't find"),  # open actions
    ],
)
def test_notes_questions_said_in_other_words(
    chat: Chat, user: str, message: str, must: str, must_not: str
) -> None:
    reply = chat.reply(user, message)
    assert reply.intent == "search_notes" and must in reply.message and must_not not in reply.message, (
        reply.message
    )


def test_a_rule_question_offering_a_choice_goes_on_asking(chat: Chat) -> None:
    """ "does our pair count as stalled?" is a rule; "is it 6 wks or longer" asks it, not a longer answer."""
    rule, cut_off = talk(
        chat,
        "kai",
        "if helen keeps cancelling does our pair count as stalled?",
        "so whats the cut off, is it 6 wks or longer",
    )
    assert rule.intent == "ask" and "six weeks" in rule.message, rule.message
    assert cut_off.intent == "ask" and "six weeks" in cut_off.message, cut_off.message


def test_what_we_agreed_in_that_last_one_is_the_last_session(chat: Chat) -> None:
    reply = chat.reply("amara", "wait what did we actually agree in that last one")
    assert reply.intent == "search_notes" and "Q3 close" in reply.message, reply.message


def test_which_of_those_are_mine_is_the_askers_open_actions(chat: Chat) -> None:
    _agreed, mine = talk(
        chat, "martin", "What did Priya and I agree on the 12th?", "Which of those are mine?"
    )
    assert "on your side" in mine.message and "budget lines" in mine.message, mine.message
    assert "Priya: prepare" not in mine.message, mine.message


def test_a_private_note_read_whole_keeps_its_order(chat: Chat) -> None:
    text = chat.reply("martin", "Remind me of the private note I made in April.").message
    assert text.index("your generation") < text.index("treat my half of the session as a lecture"), text


def test_one_topic_pointed_at_and_re_aimed_is_swapped(chat: Chat) -> None:
    _topics, swapped = talk(
        chat,
        "priya",
        "any ideas for next time with martin?",
        "hmm the first one feels like smth we already did. could it be about the q1 reforecast instead",
    )
    assert swapped.intent == "edit" and swapped.slots.get("change") == "swap", swapped.slots
    assert swapped.slots.get("ref") == 1 and swapped.slots.get("focus") == "q1 reforecast", swapped.slots


def test_the_next_cycle_by_its_number_is_rotation(chat: Chat) -> None:
    plan = chat.reply("marisol", "we're planning cycle 2 - what should we do differently?")
    assert plan.intent == "rotation", plan.message


def test_a_rotation_plan_takes_follow_ups_like_any_list(chat: Chat) -> None:
    plan, second, short = talk(
        chat, "marisol", "what should we change for the next cycle?", "the 2nd one, why?", "shorter pls"
    )
    assert plan.payload is not None and second.intent == "expand", second.message
    assert second.message.startswith(plan.payload["items"][1].split(":")[0]), second.message
    assert short.payload is not None and short.intent == "edit", short.message
    assert short.payload["items"] and all(
        i.startswith("**") and " with " in i for i in short.payload["items"]
    )
    assert len(short.message) < len(plan.message), short.message


def test_going_back_to_an_earlier_answer_expands_that_answer(chat: Chat) -> None:
    advice, _, point = talk(
        chat,
        "kai",
        "helen's office cancelled AGAIN this morning. not sure what to do anymore",
        "is there an official number of cancellations before a pair counts as stalled",
        "ok going back to ur advice, point 2, how do i raise that",
    )
    assert advice.payload is not None and point.intent == "expand", point.message
    assert advice.payload["steps"][1]["action"].split(",")[0] in point.message, point.message


def test_a_subject_put_in_place_of_a_part_the_agenda_lacks_is_said_and_changes_nothing(chat: Chat) -> None:
    plan, instead = talk(chat, "sofia", "50 min on the 10th", "put pricing in instead of the linkedin bit")
    assert plan.payload is not None and instead.payload is not None, instead.message
    assert instead.message.startswith("This agenda has no linkedin part, so nothing was replaced."), (
        instead.message
    )
    assert instead.payload["items"] == plan.payload["items"]


def test_a_reschedule_says_the_day_asked_for_and_a_short_draft_says_when_it_cannot_get_shorter(
    chat: Chat,
) -> None:
    draft, short, shorter = talk(
        chat,
        "kai",
        "pls write to helen asking to push our session to next tuesday at 3",
        "shorter",
        "shorter still",
    )
    assert draft.payload is not None and draft.payload["kind"] == "reschedule", draft.message
    assert "Could we move it to next Tuesday at 3 instead?" in draft.payload["body"], draft.payload["body"]
    assert draft.payload["body"].count("Tuesday") == 1, draft.payload["body"]
    assert short.message.startswith("Here is a shorter version."), short.message
    assert shorter.message.startswith("This is as short as I can make it"), shorter.message
    assert shorter.payload == short.payload
    (plain,) = talk(chat, "kai", "draft a message to reschedule")
    assert plain.payload is not None and "another slot" in plain.payload["body"], plain.message


def test_one_part_of_an_agenda_made_shorter_or_longer_keeps_the_rest_in_proportion(chat: Chat) -> None:
    plan, wrap, check_in, hers = talk(
        chat,
        "noor",
        "agenda for the 10th, 40 mins",
        "can the wrap up be shorter",
        "more time for the check in",
        "shorten her bit a little",
    )

    def lengths(reply: Reply) -> dict[str, int]:
        assert reply.payload is not None, reply.message
        return {i["title"]: i["minutes"] for i in reply.payload["items"]}

    before = lengths(plan)
    first, *_, last = before
    assert lengths(wrap)[last] < before[last] and sum(lengths(wrap).values()) == 40, wrap.message
    assert wrap.message.startswith(f"“{last}” now has {lengths(wrap)[last]} minutes"), wrap.message
    assert lengths(check_in)[first] > before[first] and sum(lengths(check_in).values()) == 40
    ingrids = next(t for t in before if t.startswith("Executive-led"))
    assert lengths(check_in)[ingrids] > lengths(hers)[ingrids] > lengths(check_in)[ingrids] // 2, hers.message


def test_a_notes_question_that_goes_on_without_a_subject_keeps_the_last_one(chat: Chat) -> None:
    captions, followed = talk(
        chat, "martin", "what did she say about the town hall captions", "and did I follow up?"
    )
    assert captions.payload is not None and followed.intent == "search_notes", followed.message
    assert "live captions" in followed.message and "(done)" in followed.message, followed.message


def test_topics_asked_for_one_side_to_teach_are_that_sides(chat: Chat) -> None:
    (mine,) = talk(chat, "helen", "Kai's been brilliant. What should I teach him next?")
    (hers,) = talk(chat, "kai", "what could helen teach me next time")
    for reply in (mine, hers):
        assert reply.payload is not None, reply.message
        assert {t["direction"] for t in reply.payload["topics"]} <= {"executive_to_mentor", "both"}, (
            reply.message
        )
    assert "brilliant" not in mine.message.lower()  # praise, not a subject
    again = talk(chat, "helen", "What should I teach Kai next?", *["other ones"] * 6)
    assert all(r.payload is not None and r.payload["topics"] for r in again), again[-1].message  # never none
    (any_side,) = talk(chat, "kai", "topics for next time")
    assert any_side.payload is not None
    assert "mentor_to_executive" in {t["direction"] for t in any_side.payload["topics"]}


def test_an_agenda_made_from_a_topic_says_who_leads_each_part(chat: Chat) -> None:
    ideas, plan, leads = talk(
        chat,
        "helen",
        "What should I teach Kai next?",
        "turn the second into a 30 minute agenda",
        "who leads which part?",
    )
    assert ideas.payload is not None and plan.payload is not None, plan.message
    assert sum(i["minutes"] for i in plan.payload["items"]) == 30 and plan.task == "agenda", plan.message
    assert any(ideas.payload["topics"][1]["title"] in i["title"] for i in plan.payload["items"]), plan.message
    assert leads.message.startswith("Who leads each part:"), leads.message
    assert "Kai" in leads.message and ": you" in leads.message and "both of you" in leads.message


def test_when_we_meet_is_answered_from_the_calendar(chat: Chat) -> None:
    (next_one,) = talk(chat, "gareth", "whens our next session")
    assert next_one.intent == "search_notes", next_one.message
    assert (
        next_one.message.startswith("Your last session was on ")
        and "Your next session is" in next_one.message
    )
    (subject,) = talk(chat, "gareth", "when did we last talk about linkedin")
    assert "LinkedIn" in subject.message and "Your next session" not in subject.message, subject.message


def test_advice_asked_about_again_or_cut_to_one_stays_on_the_same_challenge(chat: Chat) -> None:
    first, again, one = talk(
        chat,
        "gareth",
        "sofia said last time i talk too much. is she right?",
        "ok what do i do about it",
        "Be blunt. Just the one thing.",
    )
    assert first.payload is not None and again.payload is not None and one.payload is not None, one.message
    assert first.payload["challenge"] == again.payload["challenge"] == "One-way exchange", again.message
    assert one.message.startswith("Here is the one most likely to help.") and len(one.payload["steps"]) == 1


@pytest.mark.parametrize(
    ("message", "command"),
    [
        ("how do i add a user", "users add"),
        ("and how do I rotate the coordinator's token?", "users token"),
        ("is the data backed up anywhere", "reindex"),
        ("how can we import the new cohort's profiles", "participants import"),
    ],
)
def test_staff_asking_how_to_run_the_program_get_the_command(chat: Chat, message: str, command: str) -> None:
    (reply,) = talk(chat, "jonas", message)
    assert f"mentor-assistant {command}" in reply.message, reply.message
    (mentor,) = talk(chat, "kai", message)
    assert "mentor-assistant" not in mentor.message, mentor.message  # for the program's staff


def test_a_subject_that_is_a_topics_keyword_finds_that_topic(chat: Chat) -> None:
    topics, (_plan, middle) = (
        talk(chat, "kai", "topics on copilot")[0],
        talk(chat, "kai", "agenda for thursday 45m", "can u make the middle bit abt copilot"),
    )
    assert topics.payload is not None and middle.payload is not None, middle.message
    assert topics.payload["topics"][0]["title"] == "Putting an AI assistant to work on everyday tasks", (
        topics.message
    )
    assert any("AI assistant" in i["title"] for i in middle.payload["items"]), middle.message
    assert not middle.message.startswith("I have no session topic"), middle.message


def test_draft_it_after_advice_drafts_the_message_the_advice_was_about(chat: Chat) -> None:
    _advice, draft, proposed = talk(
        chat,
        "rafael",
        "I have been very absent. What do I say to Amara?",
        "Draft it.",
        "And propose Friday at 5.",
    )
    assert draft.intent == "draft_message" and draft.payload is not None, draft.message
    assert draft.payload["kind"] == "apology" and draft.payload["to"] == "Amara", draft.message
    assert proposed.payload is not None and "Friday at 5" in proposed.payload["body"], proposed.message


def test_a_follow_up_that_points_past_a_rule_question_acts_on_the_answer_before_it(chat: Chat) -> None:
    advice, rule, other = talk(
        chat,
        "kai",
        "helen's office cancelled AGAIN this morning. not sure what to do anymore",
        "is there an official number of cancellations before a pair counts as stalled",
        "ok but what else could i try, the stuff u said before didnt work",
    )
    assert advice.payload is not None and rule.task == "ask", rule.message
    assert other.intent == "edit" and other.task == "coach", other.message
    assert other.payload is not None and other.payload["steps"] != advice.payload["steps"], other.message


@pytest.mark.parametrize(
    "message",
    [
        "can this thing help me write to helen or is it just ideas",
        "can u help w anything besides topics?",
        "does it do agendas or is it only topics",
    ],
)
def test_a_question_about_what_the_assistant_can_do_is_answered_as_such(chat: Chat, message: str) -> None:
    (reply,) = talk(chat, "kai", message)
    assert reply.intent == "capabilities", reply.message


@pytest.mark.parametrize(
    "message",
    [
        "he said he'd do 15 min on suppliers and didnt prep. again. im so tired of being his it helpdesk",
        "she never reads what I send. honestly fed up",
        "i've chased the post three times now, am i just being pushy",
    ],
)
def test_a_complaint_told_as_a_story_gets_coaching(chat: Chat, message: str) -> None:
    (reply,) = talk(chat, "sofia", message)
    assert reply.intent == "coach", reply.message


def test_the_part_of_a_program_answer_named_by_its_words_is_expanded(chat: Chat) -> None:
    answer, part, new = talk(
        chat,
        "priya",
        "ok and what if i dont want a 3rd cycle. do i tell him myself or does marisol do that",
        "the part abt talking to the coordinator first, why first?",
        "the part about expense claims, are they covered?",
    )
    assert "coordinator" in answer.message, answer.message
    assert part.intent == "expand" and part.slots["task"] == "ask", part.message
    assert new.intent == "ask", new.message  # a part the answer never had is a new question


def test_one_more_item_is_added_and_an_agenda_says_when_it_has_no_room(chat: Chat) -> None:
    three, four, five = talk(
        chat, "priya", "3 topics for next time", "add one so theres 4", "throw in another one"
    )
    assert [len(r.payload["topics"]) for r in (three, four, five) if r.payload] == [3, 4, 5], five.message
    agenda, more = talk(chat, "priya", "agenda for thursday, 60 min", "add another part")
    assert agenda.payload is not None and more.payload is not None, more.message
    parts = len(agenda.payload["items"])
    assert len(more.payload["items"]) == parts, more.message
    assert more.message.startswith(f"A 60-minute agenda has room for {parts} parts"), more.message


def test_me_or_him_is_a_choice_not_a_pointer_to_something_said_before(chat: Chat) -> None:
    (reply,) = talk(chat, "kai", "who is supposed to write the notes, me or him")
    assert reply.intent == "ask", reply.message


def test_why_a_suggested_pair_fits_is_said_in_full(chat: Chat) -> None:
    _, why = talk(
        chat, "marisol", "leo marchetti still doesnt have an exec. who'd be a good match?", "why dana"
    )
    assert why.intent == "expand", why.message
    assert why.message.startswith("**Leo Marchetti") and "Dana wants to learn" in why.message, why.message
    assert "Leo wants to learn" in why.message and "pairing guideline" in why.message, why.message


def test_a_session_that_must_end_at_a_time_gets_the_minutes_left(chat: Chat) -> None:
    _, said = talk(chat, "priya", "agenda for thursday", "he has something at 9 now and we start 8:30")
    assert said.intent == "edit" and said.payload is not None, said.message
    assert said.payload["minutes"] == 30 and said.slots["minutes"] == 30, said.message
    # the start as planned: Kai and Helen's next session is at 08:00 (knowledge/demo/program.yaml)
    _, planned = talk(chat, "kai", "agenda pls", "she has to leave by 8:40")
    assert planned.payload is not None and planned.payload["minutes"] == 40, planned.message


def test_an_agenda_part_is_put_where_asked_and_stays_there(chat: Chat) -> None:
    first, after, missing, longer = talk(
        chat,
        "sofia",
        "agenda for thursday",
        "actually could the check in go after his bit, easier warm up for him",
        "put the open floor before the reflection",
        "make it 60",
    )

    def titles(reply: Reply) -> list[str]:
        assert reply.payload is not None, reply.message
        return [i["title"] for i in reply.payload["items"]]

    before = titles(first)
    check_in = next(t for t in before if t.lower().startswith("check-in"))
    his = next(t for t in before if t.startswith("Executive-led"))
    moved = titles(after)
    assert moved.index(check_in) == moved.index(his) + 1, moved
    assert sorted(moved) == sorted(before) and after.message.startswith("I moved “Check-in"), after.message
    assert missing.message.startswith("This agenda has no part called “open floor”"), missing.message
    assert titles(missing) == moved  # unchanged
    bigger = titles(longer)
    assert bigger.index(check_in) > bigger.index(next(t for t in bigger if t.startswith("Executive-led")))


def test_asked_to_choose_the_assistant_names_its_first_ranked_item(chat: Chat) -> None:
    topics, picked = talk(chat, "priya", "topic ideas for thursday", "which one would you pick?")
    assert topics.payload is not None, topics.message
    first = topics.payload["topics"][0]["title"]
    assert picked.intent == "expand" and picked.message.startswith("I'd go with the first"), picked.message
    assert f"**{first}" in picked.message, picked.message
    _, steps = talk(chat, "kai", "she keeps cancelling, what do i do", "what would u do in my shoes")
    assert steps.intent == "expand" and steps.message.startswith("I'd start with the first"), steps.message
    _, brief = talk(
        chat,
        "gareth",
        "Sofia seemed flat. Is it something I'm doing?",
        "What would you do in my shoes, in 2 lines",
    )
    assert brief.intent == "edit" and brief.slots.get("change") == "shorter", brief.message
    _, cut = talk(chat, "priya", "topic ideas for thursday", "which would you cut")
    assert not cut.message.startswith("I'd go with"), cut.message


def test_a_part_added_in_the_users_words_goes_where_asked_and_the_agenda_keeps_its_length(chat: Chat) -> None:
    first, after, mine, longer = talk(
        chat,
        "sofia",
        "agenda for 10 dec, 50 min",
        "after his bit can we check how the quiet hours went",
        "Include ten minutes for me to go through the supplier deck with him",
        "add 15 min",
    )
    assert first.payload is not None and after.payload is not None, after.message
    items = after.payload["items"]
    titles = [i["title"] for i in items]
    his = next(n for n, t in enumerate(titles) if t.startswith("Executive-led"))
    assert titles[his + 1] == "How the quiet hours went", titles
    assert sum(i["minutes"] for i in items) == 50 and len(items) == len(first.payload["items"]) + 1
    assert after.message.startswith("I added “how the quiet hours went” after “Executive-led"), after.message
    assert mine.payload is not None, mine.message
    added = next(i for i in mine.payload["items"] if i["title"].startswith("Go through the supplier deck"))
    assert added["minutes"] == 10 and added["lead"] == "mentor", added
    assert longer.slots.get("change") == "minutes" and longer.payload is not None, longer.message
    assert sum(i["minutes"] for i in longer.payload["items"]) == 65  # a length, not a part called "15 min"


def test_a_side_put_where_it_already_is_keeps_the_agenda_and_says_so(chat: Chat) -> None:
    first, kept, swapped, why, main = talk(
        chat,
        "martin",
        "Agenda for our next session please, 60 minutes.",
        "Put Priya's half first",
        "can i go first",
        "Why have you put the check-in first?",
        "can the check in go after the main bit",
    )

    def titles(reply: Reply) -> list[str]:
        assert reply.payload is not None, reply.message
        return [i["title"] for i in reply.payload["items"]]

    def led(reply: Reply) -> list[str]:
        return [t.split("-led")[0] for t in titles(reply) if "-led" in t]

    assert led(first) == ["Mentor", "Executive"], titles(first)  # the demo's default order
    assert kept.message.startswith("The mentor's part already comes first"), kept.message
    assert titles(kept) == titles(first)
    assert led(swapped) == ["Executive", "Mentor"] and swapped.message.startswith("I swapped"), (
        swapped.message
    )
    assert why.intent == "expand" and why.message.startswith("**Check-in"), why.message
    longest = max(swapped.payload["items"], key=lambda i: i["minutes"])["title"]  # type: ignore[index]
    moved = titles(main)
    assert moved.index(longest) + 1 == next(n for n, t in enumerate(moved) if t.startswith("Check-in")), moved


@pytest.mark.parametrize(
    ("said", "partner", "to_them"),
    [
        (
            "she doesn't need to send the proposal any more.",
            "Noor",
            "You don't need to send the proposal any more.",
        ),
        ("gareth needs the slides by friday.", "Gareth", "You need the slides by Friday."),
        ("could her team join in dec?", "Noor", "Could your team join in Dec?"),
        ("i'll tell her tomorrow.", "Noor", "I'll tell you tomorrow."),
        ("he's free after the 3rd.", "Kai", "You're free after the 3rd."),
    ],
)
def test_a_point_said_of_the_partner_is_said_to_them(said: str, partner: str, to_them: str) -> None:
    assert to_partner(said, partner) == to_them


@pytest.mark.parametrize(
    ("message", "focus"),
    [
        ("esg topic ideas?", "esg"),
        ("45 min agenda, main thing the vendor review", "vendor review"),
        ("topics for next wk, the customer side pls", "customer"),
        ("need some ideas for thurs", None),
        ("what did she say about negotiating with suppliers", "negotiating with suppliers"),
        ("stuck on what to do w martin on thurs, any ideas?", None),
        ("some topic ideas that'd get us back on track", None),
        ("when did we do linkedin stuff", "linkedin"),
        ("ideas for things he might want from me, strategy-wise?", "strategy"),
        ("topics about why new nurses leave so fast", "new nurse retention"),
        ("topics about parental leave", "parental leave"),
        ("we're seeing each other on the 9th, keen to get into pricing properly", "pricing"),
        ("ideas for 12 March, ideally about supply chains", "supply chains"),
        ("topics about working remotely", "working remotely"),
        ("anything for my slot from the marketing side?", "marketing"),
        ("swap it for something about how we price our contracts", "contracts"),
        ("topics about how we work together", None),
        ("maybe around the electric lorries + the range worries", "electric lorries"),
        (
            "long week, two offsites and a broken laptop, and i keep thinking about the reorg at home. "
            "the session is on friday and i promised the slides thing for his team meeting. "
            "anyway can you suggest what to cover that isn't the slides stuff? i'd like to keep "
            "going on the hiring side",
            "hiring",
        ),
    ],
)
def test_focus_is_the_subject_wherever_it_is_said(message: str, focus: str | None) -> None:
    assert understander().focus(message, frozenset({"martin"})) == focus


@pytest.mark.parametrize(
    ("said", "meant"),
    [
        ("next session w noir is the 10th", "next session w noor is the 10th"),
        ("what I agreed with Sophia last time", "what I agreed with Sofia last time"),
        ("Kay on Tuesday", "Kai on Tuesday"),
        ("topic ideas for hellen", "topic ideas for helen"),
        ("amaras pair is stalled", "amaras pair is stalled"),  # a possessive, already read as hers
        ("name is Elif Kaya, starts in jan", "name is Elif Kaya, starts in jan"),  # someone else's surname
        ("whats the ask", "whats the ask"),  # English words are left alone
        ("a three way with theo", "a three way with theo"),  # not a name: a word off by its last letter
    ],
)
def test_a_name_misspelt_or_misheard_is_the_name_meant(said: str, meant: str) -> None:
    people = frozenset({"noor", "sofia", "kai", "helen", "amara", "theo"})
    assert names_as_meant(said, people) == meant


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        ("did she ever send round the onboarding checklist", "onboarding checklist"),
        ("what did we sort out for his expense claims", "expense claims"),
        ("what do I still owe martin", None),
        ("what did I commit to last time", None),
        ("show me the latest notes", None),
    ],
)
def test_a_notes_question_is_about_its_nouns(message: str, subject: str | None) -> None:
    """With no phrase naming it, a question about the notes asks after the words that can be nouns."""
    found = understander().note_subject(message, frozenset({"martin"}))
    assert found == subject if subject is None else found is not None and subject in found, found


@pytest.mark.parametrize(
    ("task", "message", "slots"),
    [("topics", "different please", {"change": "other"}), ("topics", "hmm no. 2 pls", None)],
)
def test_the_follow_up_model_takes_what_the_phrases_miss_only_when_sure(
    chat: Chat, task: str, message: str, slots: dict[str, Any] | None
) -> None:
    """The model reads a change nobody wrote a phrase for; without the slots its kind needs it stays quiet."""
    state = State(task, {}, ("Customer data", "Pricing talks", "Hybrid teams"))
    assert chat.understander.follow_up(message, state) is None or slots is None
    guessed = chat.understander.guess_follow_up(message, state, frozenset())
    assert (guessed.slots if guessed else None) == slots


def test_the_intent_classifier_learns_and_leave_one_out_is_exact() -> None:
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 20))
    y = np.repeat(np.arange(3), 10)
    x = (centres[y] + 0.3 * rng.normal(size=(30, 20))).astype(np.float32)
    model = IntentModel(["a", "b", "c"]).fit(x, y, l2=0.3)
    assert (model.scores(x).argmax(axis=1) == y).all()
    held_out = [IntentModel(["a", "b", "c"]).fit(np.delete(x, i, 0), np.delete(y, i), 0.3) for i in range(30)]
    by_hand = np.mean([m.scores(x[i : i + 1])[0].argmax() == y[i] for i, m in enumerate(held_out)])
    assert leave_one_out(x, y, [0.3])[0.3] == pytest.approx(by_hand)
    # More features than examples: solved in the dual, the same model (all-zero features change nothing)
    wide = np.hstack([x, np.zeros((30, 20), np.float32)])
    assert np.allclose(
        IntentModel(["a", "b", "c"]).fit(wide, y, 0.3).scores(wide), model.scores(x), atol=1e-4
    )


def test_the_classifiers_learn_from_the_tuning_parts_and_never_the_held_out_one() -> None:
    knowledge = KNOWLEDGE
    lexicon = load_lexicon(knowledge)
    assert lexicon.learn_from and all((knowledge / name).exists() for name in lexicon.learn_from)
    assert not [name for name in lexicon.learn_from if "heldout" in name]
    first = yaml.safe_load((knowledge / lexicon.learn_from[-2]).read_text())[0]["turns"][0]
    assert first["say"] in lexicon.intents[first["intent"]].examples
    follow_ups = yaml.safe_load((knowledge / "eval/dialogue/turns.yaml").read_text())["followups"]
    assert all(t["say"] in lexicon.followups.examples[t["kind"]] for t in follow_ups)


def test_a_pronoun_or_a_count_is_not_what_a_message_is_about() -> None:
    reader = understander()
    # "on me" is no subject; the slot named is ("my AI tips slot": AI tips)
    assert reader.focus(reader.normalise("and the AI tips slot, is that still on me?")) == "ai tips"
    said = "martin's doing the q1 reforecast next month and wants me to shadow two lines. what could we cover"
    assert reader.context_subject(reader.normalise(said)) == "q1 reforecast"
    # "one question i should ask her": one item, and a question is no subject
    said = "10 min before helen. one question i should ask her"
    assert reader.context_subject(said, frozenset({"helen"})) is None and reader.count(said) == 1


def test_who_is_closest_to_stalling_lists_pairs_by_days_left(chat: Chat) -> None:
    nearest, top = talk(chat, "marisol", "ok then who's closest to stalling", "just the top 2")
    assert nearest.intent == "program_health" and nearest.payload is not None, nearest.message
    lines = nearest.payload["items"]
    days = [int(re.search(r"(\d+) days", line).group(1)) for line in lines]  # type: ignore[union-attr]
    assert days == sorted(days, reverse=True) and len(lines) == 5, lines
    assert "stalled" in lines[0] and "before it counts as stalled" in lines[1], lines
    assert top.intent == "edit" and top.payload is not None and top.payload["items"] == lines[:2], top.message


def test_the_most_urgent_pair_only_still_says_how_many_need_attention(chat: Chat) -> None:
    every, one = talk(chat, "marisol", "which pairs need attention", "just the top one")
    assert every.payload is not None and one.payload is not None, one.message
    assert one.payload["items"] == every.payload["items"][:1], one.message
    assert f"{len(every.payload['items'])} pairs need your attention; the most urgent:" in one.message


def test_a_months_numbers_come_with_its_pulse_and_pair_by_pair_on_request(chat: Chat) -> None:
    month, by_pair = talk(
        chat,
        "marisol",
        "november numbers pls: sessions held, cancelled, avg pulse",
        "can u break it down by pair",
    )
    assert month.slots.get("about") == "sessions" and month.slots.get("month") == 11, month.slots
    assert "In November 2026" in month.message and "pulse" in month.message, month.message
    assert by_pair.payload is not None and len(by_pair.payload["items"]) == 5, by_pair.message
    held = sum(int(re.search(r": (\d+) held", i).group(1)) for i in by_pair.payload["items"])  # type: ignore[union-attr]
    assert f"{held} sessions held" in month.message  # the pairs add up to the month
    assert "never per pair" in by_pair.message
    _, pairs = talk(chat, "marisol", "how's the programme doing overall?", "can you break that down by pair")
    assert pairs.intent == "edit" and pairs.payload is not None, pairs.message
    assert len(pairs.payload["items"]) == 5 and "never per pair" in pairs.message  # every pair, in figures


def test_two_people_asked_about_as_a_pair_get_how_they_would_fit(chat: Chat) -> None:
    same_line, other = talk(
        chat, "jonas", "would kai + gareth make sense as a pair for cycle 2?", "how about helen with amara"
    )
    assert same_line.intent == "pairing" and same_line.slots.get("together") == ["kai", "gareth"]
    assert same_line.message.startswith("**Kai Nakamura") and "same reporting line" in same_line.message
    assert "1 thing in it goes against the pairing guideline" in same_line.message
    assert other.message.startswith("**Amara Obi") and "they would fit" in other.message, other.message


def test_a_note_confirming_the_next_session_says_when_it_is_planned(chat: Chat) -> None:
    (planned,) = talk(chat, "ingrid", "Could you draft a short note to Noor confirming the 10th?")
    assert planned.payload is not None and planned.payload["kind"] == "confirm", planned.message
    assert "Just confirming our next session on Thursday 10 December at 10:00" in planned.payload["body"]
    (none,) = talk(chat, "amara", "can u write rafael a quick reminder about our next session")
    assert none.payload is not None and none.payload["kind"] == "confirm", none.message
    assert "can't see our next session in the calendar" in none.payload["body"], none.payload["body"]


def test_a_coordinator_preparing_a_check_in_gets_the_pairs_figures_and_only_what_it_shared(
    chat: Chat,
) -> None:
    (prep,) = talk(chat, "marisol", "prep me for the 3-way check-in w sofia and gareth")
    assert prep.task == "program_health" and prep.payload is not None, prep.message
    assert "Sofia Petrović and Gareth Llewellyn" in prep.message and "Next session planned" in prep.message
    shared = [i for i in prep.payload["items"] if i.startswith("Shared with the program")]
    assert shared and "reciprocal" in " ".join(shared), prep.payload["items"]
    notes = note_ids("sofia-gareth").values()
    shared_text = hidden_phrases([n for n in notes if n["visibility"] == "program"])
    hidden = hidden_phrases([n for n in notes if n["visibility"] != "program"]) - shared_text  # actions recur
    assert hidden and not quotes_any(prep.message, hidden), prep.message


def test_an_agenda_sent_to_the_partner_is_a_draft_carrying_its_parts(chat: Chat) -> None:
    agenda, sent = talk(chat, "priya", "30 min agenda for thursday pls", "can u send martin the plan")
    assert agenda.payload is not None and sent.payload is not None, sent.message
    assert sent.intent == "draft_message" and sent.payload["kind"] == "agenda", (sent.intent, sent.message)
    body = sent.payload["body"]
    for item in agenda.payload["items"]:
        assert f"{item['minutes']} min, led by" in body and item["title"].split(": ")[-1] in body, body
    assert "30 minutes" in body and "led by Martin" in body


def test_a_one_line_reminder_after_an_agenda_is_a_draft_not_a_new_length(chat: Chat) -> None:
    _, reminder = talk(
        chat, "sofia", "agenda for dec 10, 50 min", "and a 1 liner to remind him abt his 15 min"
    )
    assert reminder.intent == "draft_message" and reminder.payload is not None, reminder.message
    assert "your 15 minutes" in reminder.payload["body"], reminder.payload["body"]


def test_just_yes_or_no_after_a_rule_answer_is_its_one_answering_sentence(chat: Chat) -> None:
    answer, short = talk(chat, "jonas", "do notes get deleted when a cycle ends?", "just yes or no")
    assert answer.payload is not None and short.payload is not None, short.message
    assert short.intent == "edit" and short.task == "ask", (short.intent, short.task)
    first, brief = (r.payload["answer"].split(" (From ")[0] for r in (answer, short))
    assert len(brief) < len(first) and first.startswith(brief), (first, brief)
    assert "twelve months" in brief


@pytest.mark.parametrize("warmer", ["Make it warmer, she has been very patient.", "bit friendlier pls"])
def test_a_draft_made_warmer_is_reworded_not_repeated(chat: Chat, warmer: str) -> None:
    draft, warm = talk(chat, "rafael", "draft an apology to amara for all the cancellations", warmer)
    assert draft.payload is not None and warm.payload is not None, warm.message
    assert warm.task == "draft_message" and warm.payload["kind"] == draft.payload["kind"] == "apology"
    assert warm.payload["body"] != draft.payload["body"] and "with more warmth" in warm.message
    assert "Amara" in warm.payload["body"] and warm.payload["body"].rstrip().endswith("Rafael")


def test_who_has_not_met_in_a_while_lists_only_those_and_them_can_be_nudged(chat: Chat) -> None:
    (every,) = talk(chat, "marisol", "who's closest to stalling")
    assert every.payload is not None, every.message
    idle = {i.split("**")[1]: int(re.search(r"(\d+) days", i).group(1)) for i in every.payload["items"]}  # type: ignore[union-attr]
    months, nudge = talk(
        chat, "marisol", "morning! quick one - who hasn't met in over 2 months?", "ok nudge them"
    )
    assert months.slots.get("idle_days") == 60 and months.payload is not None, months.slots
    listed = [i.split("**")[1] for i in months.payload["items"]]
    assert listed == [pair for pair, days in idle.items() if days > 60] == ["Amara Obi and Rafael Montoya"]
    assert nudge.payload is not None and nudge.payload["to"] == "Amara and Rafael", nudge.message
    (weeks,) = talk(chat, "marisol", "which pairs haven't had a session in 3 weeks")
    assert weeks.payload is not None and weeks.slots.get("idle_days") == 21, weeks.slots
    assert [i.split("**")[1] for i in weeks.payload["items"]] == [p for p, d in idle.items() if d > 21]


@pytest.mark.parametrize(
    ("user", "message", "lead", "minutes", "first"),
    [
        ("sofia", "agenda for dec 10, 50 min, his 15 mins first pls", "executive", 15, True),
        ("priya", "30 min agenda, my 10 min bit at the end", "mentor", 10, False),
    ],
)
def test_a_sides_part_asked_with_its_length_and_place_gets_them(
    chat: Chat, user: str, message: str, lead: str, minutes: int, first: bool
) -> None:
    (agenda,) = talk(chat, user, message)
    assert agenda.payload is not None, agenda.message
    led = [i for i in agenda.payload["items"] if i["lead"] in ("mentor", "executive")]
    theirs = [i for i in led if i["lead"] == lead]
    assert theirs[0]["minutes"] == minutes, agenda.payload["items"]
    assert (led[0]["lead"] == lead) == first and (led[-1]["lead"] == lead) != first, led


@pytest.mark.parametrize(
    ("user", "first"),
    [
        ("kai", "helen keeps cancelling"),
        ("priya", "30 min agenda for thursday"),
        ("priya", "draft a thank-you to martin"),
        ("marisol", "which pairs need attention?"),
    ],
)
def test_the_buttons_after_an_answer_are_understood_as_follow_ups_of_it(
    chat: Chat, user: str, first: str
) -> None:
    (answer,) = talk(chat, user, first)
    assert answer.suggestions, answer.message
    for button in answer.suggestions:
        then = talk(chat, user, first, button)[-1]
        assert then.intent != "clarify" and then.payload is not None, (button, then.message)
        assert then.message != answer.message, button  # each does something


@pytest.mark.parametrize(
    ("message", "question"),
    [
        (
            'q from one of the execs: "can my EA sit in on sessions?" what do i tell him',
            "can my EA sit in on sessions?",
        ),
        (
            "forwarding from a mentor: 'can my manager ask me what we discussed?'",
            "can my manager ask me what we discussed?",
        ),
        (
            "one of the mentors asked me whether she can bring a colleague - what do the guidelines say",
            "can she bring a colleague",
        ),
        ("Quick q: do we get a certificate?", "do we get a certificate?"),
        ("can I repeat 'the numbers are bad' to my team?", "can I repeat 'the numbers are bad' to my team?"),
        ("How often should pairs meet?", "How often should pairs meet?"),
    ],
)
def test_a_question_passed_on_is_the_question_asked(message: str, question: str) -> None:
    assert forwarded(message) == question


def test_a_forwarded_question_is_answered_as_if_asked_directly(chat: Chat) -> None:
    direct = chat.guide.ask("can my manager ask me what my exec said in our sessions?")
    passed_on = chat.guide.ask(
        "forwarding from a mentor: 'can my manager ask me what my exec said in our sessions?' "
        "what do i tell her"
    )
    assert "line manager has no access" in direct.answer
    assert passed_on.answer == direct.answer


def test_a_rule_answer_becomes_a_reply_the_coordinator_can_send(chat: Chat) -> None:
    asked, reply, lighter = talk(
        chat,
        "marisol",
        "forwarding from a mentor: 'can I bring a colleague along to one of our sessions to demo something?' "
        "what do the guidelines say",
        "ok can you draft a reply I can send back to her",
        "shorter and less formal",
    )
    assert "agree in advance" in asked.message
    assert reply.payload is not None and lighter.payload is not None, reply.message
    assert reply.task == lighter.task == "draft_message" and reply.payload["kind"] == "reply"
    body = reply.payload["body"]
    assert "agree in advance" in body and "Can we bring a third person into a session?" in body
    assert body.rstrip().endswith("Marisol") and reply.payload["citations"]
    assert lighter.payload["kind"] == "reply" and "agree in advance" in lighter.payload["body"]
    assert len(lighter.payload["body"]) < len(body)


def test_a_reply_to_a_question_the_guidelines_leave_open_says_so(chat: Chat) -> None:
    asked, reply = talk(
        chat, "noor", "do participants get a certificate?", "can u turn that into a reply i can send ingrid"
    )
    assert asked.payload is not None and asked.payload["outcome"] == "not_covered", asked.message
    assert reply.payload is not None and reply.payload["kind"] == "reply", reply.message
    assert reply.payload["body"].startswith("Hi Ingrid,") and "don't cover" in reply.payload["body"]


def test_one_persons_other_partners_are_ranked_leaving_out_those_named(chat: Chat) -> None:
    fit, others, fewer = talk(
        chat,
        "marisol",
        "would kai + gareth make sense as a pair for cycle 2?",
        "who else could gareth work with",
        "any option for him that isnt sofia",
    )
    assert fit.payload is not None and others.payload is not None and fewer.payload is not None
    assert others.task == "pairing" and others.payload["summary"].startswith("The mentors Gareth could")
    named = [re.match(r"\*\*([^*]+)\*\*", i).group(1) for i in others.payload["items"]]  # type: ignore[union-attr]
    assert len(named) == 3 and "Kai Nakamura" not in named and "Gareth Llewellyn" not in named
    assert any("Gareth's partner now" in i for i in others.payload["items"])  # Sofia, his partner today
    shown = " ".join(fewer.payload["items"])
    assert (
        "Sofia" not in shown and "Kai Nakamura" not in shown and "other than Kai and Sofia" in fewer.message
    )


def test_whom_someone_could_mentor_if_their_partner_leaves(chat: Chat) -> None:
    (options,) = talk(chat, "marisol", "who could priya mentor if martin steps back next cycle")
    assert options.payload is not None and options.task == "pairing", options.message
    assert "The executives Priya could be paired with, other than Martin" in options.message
    assert "Martin" not in " ".join(options.payload["items"])


@pytest.mark.parametrize("change", ["shorten it so it fits in a teams message", "less formal"])
def test_a_change_for_a_message_after_a_rule_checked_on_the_way_changes_the_draft(
    chat: Chat, change: str
) -> None:
    draft, rule, changed = talk(
        chat,
        "noor",
        "draft an apology to ingrid for all the moved sessions",
        "wait, is there a rule on how much notice we give when we cancel?",
        change,
    )
    assert draft.task == "draft_message" and rule.task == "ask", (draft.task, rule.task)
    assert changed.task == "draft_message" and changed.payload is not None, changed.message
    assert changed.payload["body"] != draft.payload["body"]  # type: ignore[index]
    (more,) = talk(chat, "marisol", "how long should sessions be?", "more detail")[1:]
    assert more.task == "ask"  # a change a rule answer takes stays with it


def test_how_long_a_message_should_be_is_not_a_point_it_makes(chat: Chat) -> None:
    (note,) = talk(
        chat, "amara", "write rafael a short note asking if thursday still works, keep it to 2 lines"
    )
    assert note.payload is not None, note.message
    assert "Thursday still works?" in note.payload["body"] and "lines" not in note.payload["body"]
    full, short = (
        talk(chat, "amara", f"draft an apology to rafael for going quiet{said}")[0]
        for said in ("", ", 3-4 lines max")
    )
    assert full.payload is not None and short.payload is not None, short.message
    assert short.payload["kind"] == "apology" and "lines" not in short.payload["body"]
    assert len(short.payload["body"]) < len(full.payload["body"]) and "slot" in short.payload["body"]


def test_pairings_just_the_names_on_request(chat: Chat) -> None:
    full, names = talk(chat, "marisol", "suggest new pairings", "just names pls, no essay")
    assert full.payload is not None and names.payload is not None, names.message
    assert names.task == "pairing" and names.message.startswith("Just the names."), names.message
    assert len(names.payload["items"]) == len(full.payload["items"])
    assert all(re.fullmatch(r"\*\*[^*]+\*\* with \*\*[^*]+\*\*", i) for i in names.payload["items"][:3])


@pytest.mark.parametrize(
    ("user", "request_"),
    [("helen", "a few topics for my next session with kai"), ("kai", "helen keeps cancelling")],
)
def test_one_line_each_keeps_every_item_each_in_a_line(chat: Chat, user: str, request_: str) -> None:
    full, short = talk(chat, user, request_, "One line each, please.")
    assert full.payload is not None and short.payload is not None, short.message
    assert short.task == full.task and short.message.startswith("Each in one line."), short.message
    numbered = [line for line in short.message.splitlines() if re.match(r"\d+\. \*\*", line)]
    assert len(numbered) == len(replies_items(full)) >= 3  # none dropped
    assert "\n   - “" not in short.message and "Watch out for" not in short.message  # no questions, cautions
    assert len(short.message) < len(full.message)


def replies_items(reply: Reply) -> list[str]:
    assert reply.payload is not None
    return [t["title"] for t in reply.payload.get("topics", [])] or [
        s["action"] for s in reply.payload["steps"]
    ]


def test_a_sentence_giving_the_reason_does_not_hide_the_follow_up(chat: Chat) -> None:
    _, five = talk(
        chat,
        "helen",
        "a few topics for my next session with kai",
        "Could it be five, actually? Kai likes to have a choice.",
    )
    assert five.intent == "edit" and five.task == "topics" and five.payload is not None, five.message
    assert len(five.payload["topics"]) == 5


def test_a_document_that_is_not_a_message_is_declined_and_its_rule_question_answered(chat: Chat) -> None:
    (declined,) = talk(chat, "ingrid", "write a reference for noor")
    assert declined.payload is None and "can't write a reference" in declined.message, declined.message
    (rule,) = talk(
        chat, "ingrid", "Would it be appropriate for me to write a reference for Noor for an internal role?"
    )
    assert rule.intent == "ask", (rule.intent, rule.message)


def test_when_we_last_met_and_what_is_open_gets_both(chat: Chat) -> None:
    (both,) = talk(chat, "rafael", "When did we last meet, and what was left open?")
    (dates,) = talk(chat, "rafael", "When did we last meet?")
    assert "3 Sep" in both.message and "LinkedIn post about the graduate scheme" in both.message, both.message
    assert "Still open" not in dates.message and "3 Sep" in dates.message


def test_say_more_about_a_point_of_a_rule_answer_gives_more_of_it(chat: Chat) -> None:
    rule, more = talk(
        chat,
        "ingrid",
        "Would it be appropriate for me to write a reference for Noor for an internal role?",
        "Could you say more about the conflict of interest point?",
    )
    assert more.intent == "expand" and more.task == "ask", (more.intent, more.task)
    assert more.payload is not None and len(more.payload["answer"]) >= len(rule.payload["answer"])  # type: ignore[index]


def test_an_invitation_made_longer_says_the_new_length(chat: Chat) -> None:
    invite, longer = talk(
        chat, "amara", "can u write to rafael inviting him to a 20 min session", "no wait make it 30 min"
    )
    assert invite.payload is not None and longer.payload is not None, longer.message
    assert longer.task == "draft_message" and longer.message.startswith("Here it is at 30 minutes.")
    assert "30 minutes" in longer.payload["body"] and "20 minutes" not in longer.payload["body"]


def test_something_put_on_a_subject_at_the_end_is_a_part_added_not_a_new_focus(chat: Chat) -> None:
    first, added = talk(
        chat,
        "priya",
        "30 min agenda for thursday pls",
        "put something on the linkedin post at the end as well",
    )
    assert added.intent == "edit" and added.payload is not None, added.message
    titles = [i["title"] for i in added.payload["items"]]
    assert titles[-2] == "The linkedin post" and titles[-1].startswith("Agree actions"), titles
    assert titles[:-2] == [i["title"] for i in first.payload["items"]][:-1]  # type: ignore[index]


def test_a_part_added_with_its_length_then_its_place_goes_there(chat: Chat) -> None:
    _, added = talk(
        chat, "noor", "agenda for the 10th pls, 45 min", "add 5 min at the end for the linkedin nudge lol"
    )
    assert added.payload is not None, added.message
    last = added.payload["items"][-2]  # at the end, before agreeing the actions that close every session
    assert last["title"] == "The linkedin nudge" and last["minutes"] == 5, added.payload["items"]


def test_a_message_dictated_after_a_colon_says_it_and_asks_it(chat: Chat) -> None:
    (note,) = talk(
        chat,
        "gareth",
        "Draft a message to Sofia: I'll do the supplier piece on the 10th, and ask whether 15 minutes is "
        "still right.",
    )
    assert note.payload is not None and note.payload["kind"] == "note", note.message
    body = note.payload["body"]
    assert "I'll do the supplier piece on the 10th." in body
    assert "Could you let me know whether 15 minutes is still right?" in body


@pytest.mark.parametrize(
    ("after", "message", "expected"),
    [
        # "just" said of when, not of what: the new length is kept
        ("agenda", "cut it to 30, he just messaged hes got a board thing straight after", {"minutes": 30}),
        # an item pointed at by its place, then a subject instead: that item replaced
        (
            "topics",
            "Not convinced by the third. Something on how graduates see their career here instead.",
            {"change": "swap", "ref": 3},
        ),
        ("topics", "And a different second point; that one doesn't suit me.", {"change": "swap", "ref": 2}),
        # one of the list given a subject
        ("topics", "these are all pilot pilot pilot. mix it up, one on her board stuff", {"change": "swap"}),
        ("topics", "can one be about the network plan, i still dont get it", {"change": "swap"}),
        # "the first time" is a time, not the first item
        ("coach", "softer, she got defensive the first time we did exit data", {"change": "other"}),
        # only what is still open, said after a reason
        ("brief", "Fine. Leave out whatever is done, I only need what is still open.", {"change": "drop"}),
        # changes said in passing
        ("topics", "hmm he's had loads of AI stuff lately. something not tech?", {"change": "other"}),
        (
            "topics",
            "pilot feedback needs to be the main thing",
            {"change": "focus", "focus": "pilot feedback"},
        ),
        (
            "topics",
            "could they all tie into the iberia stuff? it's all he thinks about rn",
            {"focus": "iberia"},
        ),
        ("brief", "Briefly.", {"change": "shorter"}),
        ("draft_message", "take the smiley out", {"change": "drop", "unsay": "smiley"}),
        ("draft_message", "she likes it blunt, cut the fluff", {"change": "shorter"}),
        ("agenda", "less HR-speak pls", {"change": "other"}),
        ("agenda", "ugh he just moved a call into the 2nd half of it, cut to 30", {"minutes": 30}),
        (
            "topics",
            "hmm actually give me 2 on the new expense tool instead",
            {"count": 2, "focus": "new expense tool"},
        ),
        ("topics", "we already did the 3rd one", {"change": "swap", "ref": 3}),
        (
            "topics",
            "The second one is too HR. Something on the reforecast instead.",
            {"change": "swap", "ref": 2},
        ),
        (
            "topics",
            "fyi the board signed it off last month so anything on that is old news",
            {"change": "other"},
        ),
        # pushback said in passing
        ("topics", "the 2nd feels like something we covered in the spring", {"change": "swap", "ref": 2}),
        (
            "topics",
            "could the 2nd be less about risk and more about what's going well",
            {"change": "swap", "ref": 2},
        ),
        (
            "topics",
            "could the first be less about tools, more about the hybrid team",
            {"change": "swap", "ref": 1, "focus": "hybrid team"},
        ),
        ("brief", "Hand-offs only.", {"change": "drop", "keep": "hand-offs"}),
        # an item turned down by what it takes for granted, or by what was done already
        ("topics", "The first one assumes data I don't have yet.", {"change": "swap", "ref": 1}),
        ("agenda", "The second section feels like a lecture.", {"change": "swap", "ref": 2}),
        ("coach", "The EA point - we've already done that.", {"change": "other"}),  # no item is about it
        # the length judged: more of a length word is shorter, one line per item is short
        ("draft_message", "More concise.", {"change": "shorter"}),
        ("brief", "One line per action.", {"change": "shorter"}),
        ("brief", "i know about the pilot bit. anything else", {"change": "drop", "ref": 2}),
        (
            "agenda",
            "Put the demo in. She asked to see it.",
            {"change": "other", "add": {"title": "the demo"}},
        ),
        (
            "agenda",
            "add a bit on the rota in there instead",
            {"change": "other", "add": {"title": "the rota"}},
        ),
        ("agenda", "open with her half this time", {"order": True, "side": "executive", "to": "start"}),
        ("program_health", "hmm that should be 2 not 3", {"disputed": True}),
        ("draft_message", "ok, both of them then. and keep it neutral", {"change": "other", "tone": True}),
        # shorthand for "shorter", and a figures view widened to a year
        ("ask", "ok bottom line then", {"change": "shorter"}),
        ("pairing", "net it out for the steering group", {"change": "shorter"}),
        ("program_health", "widen it to all of 2026", {"change": "compare"}),
        ("program_health", "just the names, no commentary", {"change": "shorter"}),
        ("agenda", "Fewer items", {"change": "count", "count": 2}),  # one part fewer, not a shorter session
    ],
)
def test_follow_ups_said_with_their_reasons(after: str, message: str, expected: dict[str, object]) -> None:
    minutes = {"minutes": 45} if after == "agenda" else {}
    state = State(after, minutes, ("Budget", "Pilot", "Hybrid"), role="mentor")
    understood = understander().understand(message, state, "mentor")
    assert understood.intent == "edit", (message, understood)
    assert expected.items() <= understood.slots.items(), (message, understood.slots)


@pytest.mark.parametrize(
    ("after", "message"),
    [
        ("coach", "give me the actual words i could use"),
        ("coach", "Tell me more about the shorter sessions option."),
        ("ask", "do the guidelines actually say that or is that you"),
        ("ask", "When you say at least monthly, is that a hard rule or a guideline?"),
        ("ask", "what do the guidelines say exactly, i want the wording"),
        ("topics", "has she already covered the 3rd one w me?"),
    ],
)
def test_more_on_the_last_answer_is_not_a_new_request(after: str, message: str) -> None:
    state = State(after, {}, ("Shorter sessions", "A fixed slot") if after == "coach" else ())
    understood = understander().understand(message, state, "mentor")
    assert understood.intent == "expand", (message, understood)


@pytest.mark.parametrize(
    ("after", "message"),
    [
        ("coach", "Be straight with me, no need to sugar-coat it."),
        ("ask", "ok can u say that in a less scary way lol"),
    ],
)
def test_a_change_of_tone_is_a_change_of_the_last_answer(after: str, message: str) -> None:
    understood = understander().understand(message, State(after, {}, ("A", "B")), "mentor")
    assert (understood.intent, understood.slots.get("change")) == ("edit", "other"), understood


def test_a_subject_said_with_a_suffix_is_that_subject() -> None:
    understood = understander().understand("something budget-y for next session?", State(), "mentor")
    assert (understood.intent, understood.slots.get("focus")) == ("topics", "budget"), understood


@pytest.mark.parametrize("message", ["can you do the same for the other pair", "so can i or not"])
def test_a_first_message_pointing_back_at_nothing_is_asked_about(message: str) -> None:
    assert understander().understand(message, State(), "coordinator").intent == "clarify"


def test_a_question_or_not_with_its_subject_is_answered() -> None:
    understood = understander().understand("can i bring a friend to a session or not", State(), "mentor")
    assert understood.intent == "ask", understood


def test_the_agendas_own_length_said_with_a_subject_is_a_new_subject() -> None:
    state = State("agenda", {"minutes": 30}, ("Check-in", "Career paths", "Actions"))
    understood = understander().understand(
        "Actually, let the whole half hour be about AI for the planners. The career piece can wait.",
        state,
        "executive",
    )
    assert (understood.slots.get("change"), understood.slots.get("focus")) == ("focus", "ai"), understood


def test_a_count_with_a_cap_and_a_reason_is_a_count() -> None:
    state = State("topics", {}, ("Budget", "Pilot", "Hybrid"))
    understood = understander().understand(
        "can i have like 2 max, we never get more than 45 mins", state, "mentor"
    )
    assert (understood.slots.get("change"), understood.slots.get("count")) == ("count", 2), understood


def test_a_sentence_of_a_draft_is_taken_out_by_its_place(chat: Chat) -> None:
    draft, second, last, beyond = talk(
        chat,
        "gareth",
        "draft a message to sofia confirming thursday",
        "Lose the second sentence.",
        "cut the last line",
        "lose the 5th sentence",
    )
    assert draft.payload is not None and second.payload is not None and last.payload is not None
    written = sentences(draft.payload["body"])
    assert len(written) >= 3, draft.payload["body"]
    assert second.message.startswith("I took that out.") and written[1] not in second.payload["body"]
    assert written[0] in second.payload["body"] and written[2] in second.payload["body"]
    assert written[-1] not in last.payload["body"] and written[0] in last.payload["body"]
    assert beyond.message.startswith("The message has 1 sentence"), beyond.message
    assert beyond.payload == last.payload  # nothing changed


@pytest.mark.parametrize(
    ("after", "message", "intent"),
    [
        ("search_notes", "I'll ask her. thx", "thanks"),
        # "three-way" is a kind of meeting, not three of something
        ("program_health", "ok let's do a three-way. draft an invite to both", "draft_message"),
        (
            None,
            "helen asked if i could do the walkthrough for her team too. help me reply yes but later",
            "draft_message",
        ),
        (
            None,
            "does the programme say anything about a mentor and exec being in the same reporting line",
            "ask",
        ),
    ],
)
def test_requests_not_taken_for_something_else(
    chat: Chat, after: str | None, message: str, intent: str
) -> None:
    state = State(after, {}, ("A", "B")) if after else State()
    people = frozenset({"helen", "kai"})  # the people the asker knows, as the chat passes them
    assert chat.understander.understand(message, state, "mentor", people).intent == intent, message


def test_hr_in_capitals_is_the_department_and_an_hr_is_an_hour() -> None:
    lower = understander()
    assert "HR" in lower.normalise("less HR-speak pls")
    assert lower.minutes(lower.normalise("make it an hr")) == 60


def test_a_coordinator_gets_an_agenda_for_a_check_in_call_from_the_pairs_figures(chat: Chat) -> None:
    """The guidelines have the coordinator hold check-in calls with each pair: an agenda for one is
    time-boxed like a session's, with a part for each thing the pair is flagged for, from figures only."""
    asked, with_pair, longer = talk(
        chat,
        "marisol",
        "can u make me an agenda for a check-in call",
        "with sofia and gareth, 30 min",
        "add 10 min, make it 40",
    )
    assert asked.payload is None and "Which pair" in asked.message, asked.message
    assert with_pair.payload is not None and with_pair.task == "agenda", with_pair.message
    items = with_pair.payload["items"]
    assert with_pair.payload["title"] == "Check-in call with Sofia and Gareth"
    assert sum(i["minutes"] for i in items) == 30 and {i["lead"] for i in items} >= {"mentor", "executive"}
    assert any("exchange runs one way" in i["details"] for i in items), items  # the one-way flag's figures
    notes = note_ids("sofia-gareth").values()
    assert not quotes_any(with_pair.message, hidden_phrases(list(notes))), with_pair.message
    assert longer.payload is not None and sum(i["minutes"] for i in longer.payload["items"]) == 40
    assert longer.payload["title"] == "Check-in call with Sofia and Gareth", longer.message


@pytest.mark.parametrize(
    ("task", "message", "intent", "slots"),
    [
        ("agenda", "can we do 30 instead he just shortened it", "edit", {"change": "minutes", "minutes": 30}),
        ("coach", "what wld the shorter format actually look like", "expand", {"ref": 1}),
        ("topics", "what would the 2nd one look like", "expand", {"ref": 2}),
        ("coach", "What would a 30-minute format look like, then?", "agenda", {"minutes": 30}),
        ("ask", "ok so what would you recommend i actually do", "expand", {"ref": 1}),
        ("coach", "What would you say at the start of the next one?", "expand", {"ref": 1}),
        (
            "draft_message",
            "Drop the apology line, it's too much.",
            "edit",
            {"change": "drop", "unsay": "apology"},
        ),
        ("coach", "hes the COO tho, i cant just cut in", "edit", {"change": "other"}),
        ("topics", "she's not big on the ai stuff rn, its budget season", "edit", {"change": "other"}),
        (
            "topics",
            "Your second suggestion, my EA already does that. What else could go there?",
            "edit",
            {"ref": 2},
        ),
        (
            "topics",
            "we already did the board presentation one, the 2nd",
            "edit",
            {"change": "swap", "ref": 2},
        ),
        (
            "coach",
            "Point two: what does reciprocal look like in practice for someone in my role?",
            "expand",
            {"ref": 2},
        ),
        (
            "coach",
            "Separately: I'd like Thursday to be more two-way. What should I do differently?",
            "coach",
            {},
        ),
        (
            "brief",
            "Could you cut the brief down further? I'll read it in the car.",
            "edit",
            {"change": "shorter"},
        ),
        ("agenda", "she always bails last min so make it 30 just in case", "edit", {"minutes": 30}),
        (
            "draft_message",
            "wait hes away xmas week, say early jan instead",
            "edit",
            {"when": "early January"},
        ),
    ],
)
def test_questions_pushbacks_and_lengths_said_after_an_answer(
    chat: Chat, task: str, message: str, intent: str, slots: dict[str, Any]
) -> None:
    """ "What would X look like" asks about the answer, unless it names a new length; "do 30 instead he
    just shortened it" is 30 minutes however the reason runs on; a pushback is other ideas, an item
    pointed at first is that item, "Separately:" a new request."""
    args = {"agenda": {"minutes": 45}, "draft_message": {"kind": "reschedule"}}.get(task, {})
    state = State(task, args, ("Customer data", "Pricing talks", "Hybrid teams"))
    understood = chat.understander.understand(message, state, "mentor")
    assert understood.intent == intent and slots.items() <= understood.slots.items(), understood


@pytest.mark.parametrize(
    "message",
    [
        "can u do the thing for rafael",
        "The usual, for next week.",
        "reset it for kai",
        "same as last time pls",
    ],
)
def test_a_first_message_that_only_the_asker_can_decode_is_asked_about(chat: Chat, message: str) -> None:
    assert chat.understander.understand(message, State(), "mentor").intent == "clarify"


def test_an_apology_named_by_what_it_means_leaves_the_draft(chat: Chat) -> None:
    draft, lighter = talk(
        chat,
        "gareth",
        "draft something to send Sofia to say sorry for last time and propose she leads the next one",
        "Drop the apology line, it's too much.",
    )
    assert draft.payload is not None and "Sorry for last time" in draft.payload["body"], draft.message
    assert lighter.payload is not None and "Sorry for last time" not in lighter.payload["body"], (
        lighter.message
    )


def test_an_outline_of_my_own_part_in_the_minutes_it_has(chat: Chat) -> None:
    """ "A structure for my 15 minutes on X" is the asker's own part, not a whole session of 30."""
    outline, longer = talk(
        chat, "gareth", "Give me a structure for my 15 minutes on supplier negotiations.", "Fine. Make it 20."
    )
    assert outline.payload is not None and outline.payload["part"] == "executive", outline.message
    assert outline.payload["title"] == "Your 15 minutes on supplier negotiations", outline.message
    assert sum(i["minutes"] for i in outline.payload["items"]) == 15 and "shortest" not in outline.message
    assert "Sofia" in outline.message and "led by" not in outline.message
    assert longer.payload is not None and longer.payload["minutes"] == 20, longer.message
    (session,) = talk(chat, "priya", "15 min agenda for a quick call")  # no part of it named: a session
    assert (
        session.payload is not None and session.payload["minutes"] == 30 and session.payload["part"] is None
    )


def test_since_then_is_the_notes_after_those_just_shown(chat: Chat) -> None:
    """ "Has anything changed since then" after a notes answer: the notes after the newest one cited."""
    shared, since = talk(
        chat, "marisol", "what did sofia share with me about gareth", "has anything changed since then"
    )
    assert shared.payload is not None and "2026-09-10" in shared.message, shared.message
    assert since.intent == "search_notes" and "latest note is from 10 September" in since.message, (
        since.message
    )
    _, newer = talk(chat, "priya", "what did we do in october", "anything new since then?")
    assert "12 November" in newer.message and "8 October" not in newer.message.split("12 November")[0], (
        newer.message
    )


def test_a_slot_named_before_is_what_the_whole_thing_is_about() -> None:
    state = State("agenda", {"minutes": 45}, ("Check-in", "Mentor-led topic", "Executive-led exchange"))
    said = (
        "wait he wants to open with my AI tips slot for the december ops leads mtg, "
        "can the whole thing be about that instead"
    )
    understood = understander().understand(said, state, "mentor")
    assert understood.intent == "edit" and understood.slots.get("focus") == "ai tips", understood


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("ha yes thats it. unrelated but its my bday tmrw 🎂", "Happy birthday"),
        ("lol sorry for the 6am msg, cant sleep", "No need to apologise"),
    ],
)
def test_small_talk_is_said_back_kindly(chat: Chat, message: str, said: str) -> None:
    (reply,) = talk(chat, "kai", message)
    assert reply.intent == "greeting" and reply.message.startswith(said), reply.message


def test_a_coordinator_reminds_all_the_mentors_of_what_they_said(chat: Chat) -> None:
    (reply,) = talk(
        chat, "marisol", "sorry, a reminder to all the mentors that the pulse survey closes Friday"
    )
    assert reply.payload is not None and "The pulse survey closes Friday." in reply.payload["body"], (
        reply.message
    )


def test_a_draft_to_both_of_them_after_one_pair_is_to_that_pair(chat: Chat) -> None:
    *_, draft = talk(
        chat,
        "marisol",
        "Which pairs should I be worried about this month?",
        "the stalled one - whats the last thing on record for them?",
        "ok can you draft something I could send to both of them to get it going again",
    )
    assert draft.payload is not None and "Hi Amara and Rafael" in draft.payload["body"], draft.message


def test_since_reads_a_month_or_a_date_and_not_a_name() -> None:
    from assistant.tasks.notes import _since

    notes = [{"date": "2026-11-12"}]
    assert _since("anything since september", notes) == "2026-08-31"  # the month itself included
    assert _since("what is new since 2026-09-10", notes) == "2026-09-10"
    assert _since("what has she done since marisol asked", notes) is None


def test_a_programs_own_agendas_file_without_the_call_plans_falls_back_to_the_shipped_ones(
    tmp_path: Path,
) -> None:
    from assistant.tasks.agenda import plans

    (tmp_path / "agendas.yaml").write_text("patterns: []\n")
    found = plans(tmp_path)
    assert found["check_in"]["closing"]["lead"] == "both" and "executive" in found["outline"]


def test_what_a_brief_does_not_say_comes_from_the_notes_and_an_unclear_pointer_is_asked_about(
    chat: Chat,
) -> None:
    _, board = talk(chat, "noor", "need a recap before the 10th", "what was the board condition thing again")
    assert board.intent == "expand" and "winter range" in board.message, board.message
    _, hall = talk(chat, "martin", "prep me for thursday", "Double-click on the town hall piece")
    assert hall.intent == "expand" and "live captions" in hall.message, hall.message
    _, other = talk(chat, "gareth", "what did I agree with Sofia last time", "and the other thing")
    assert other.intent == "clarify" and "earlier in this conversation" not in other.message, other.message
    _, year = talk(chat, "marisol", "which pairs need attention", "widen it to the whole year")
    assert year.message.startswith("The same, with what changed since 1 January."), year.message
    own = talk(chat, "gareth", "the supplier piece, what should I actually cover in 15 minutes")[-1]
    assert own.message.startswith("**Your 15 minutes on supplier"), own.message


def test_a_question_about_what_a_notes_answer_showed_is_answered_from_it(chat: Chat) -> None:
    """Whose it is, which session, the oldest open one: from the answer just given, not a new search."""
    _, whose, when = talk(
        chat,
        "kai",
        "and what was i meant to bring to the nov huddle",
        "was that hers or mine to organise",
        "which session was that?",
    )
    assert whose.intent == "expand" and whose.message.startswith("That one is yours:"), whose.message
    assert "expense tool" in whose.message, whose.message
    assert when.message == "That was the session of 27 October (Helen's note).", when.message
    _, oldest = talk(chat, "amara", "and his open stuff?", "which of those has been sitting longest")
    assert "Rafael's" in oldest.message and "25 June" in oldest.message, oldest.message
    _, own = talk(
        chat, "helen", "what did we agree about the fixed slot", "And the board pack session, when was that?"
    )
    assert own.intent == "search_notes", own.intent  # it names its own subject: a search


@pytest.mark.parametrize(
    ("user", "messages", "said"),
    [  # what became of it: the line after the action, the newer note that says so
        ("sofia", ["did gareth ever read the hybrid survey i sent"], "He hadn't opened them."),
        ("amara", ["did he ever write that linkedin post abt the grad scheme"], "LinkedIn post not written."),
        (
            "gareth",
            [
                "Did we agree anything on notifications? Teams is driving me mad again.",
                "And how long was I meant to trial it for?",
            ],
            "for two weeks",
        ),
        ("gareth", ["what have I still got open with sofia"], "key suppliers"),
        ("gareth", ["What's my homework from Sofia"], "quiet-hours"),
        # what the partner wants of the asker: the asker's own open actions
        ("gareth", ["what does sofia want from me on the 10th"], "key suppliers"),
        # a name as dictation spells it is that name, not a subject
        ("ingrid", ["next session w noir is the 10th right. what do i owe her"], "LinkedIn post"),
        ("ingrid", ["prep me for the 10th", "and whats noor working on from her side"], "driver feedback"),
    ],
)
def test_what_became_of_something_in_the_notes(chat: Chat, user: str, messages: list[str], said: str) -> None:
    answer = talk(chat, user, *messages)[-1]
    assert answer.intent == "search_notes" and said in answer.message, answer.message


def test_a_manager_asking_what_was_said_is_confidentiality_and_its_moment(chat: Chat) -> None:
    advice, moment = talk(
        chat,
        "priya",
        "my manager asked me what martin said about cutting stuff to fund the EV charging. do i have to tell "
        "her??",
        "what if she asks again in front of the whole team",
    )
    assert "Trust and confidentiality" in advice.message, advice.message
    first = advice.message.split("\n\n1. ")[1]
    assert first.startswith("**When your line manager or a colleague asks what was said"), advice.message
    assert moment.message.startswith("If it comes up in front of others"), moment.message


def test_are_we_stalled_is_answered_from_the_pairs_own_dates(chat: Chat) -> None:
    """After the rule, "so are we stalled already??" applies it to the asker's pair."""
    _, status = talk(
        chat,
        "amara",
        "havent met rafael since sept, is there a rule on how long before we get flagged",
        "so are we stalled already??",
    )
    assert status.intent == "ask", status.intent  # the rule, and where the two of them stand
    assert "since your last session (Thu 3 Sep)" in status.message, status.message
    assert "counts as stalled" in status.message, status.message
    (on_track,) = talk(chat, "priya", "are we on track with our sessions?")
    assert "Your last session was on" in on_track.message, on_track.message


def test_last_time_with_words_no_line_has_is_that_session(chat: Chat) -> None:
    """Nothing in the last note says "ask" or "look": it still answers with what that session had."""
    (answer,) = talk(chat, "helen", "What did he ask me to look at last time?")
    assert "27 October" in answer.message and "check the figures" in answer.message, answer.message


def test_opening_a_conversation_is_not_the_open_actions(chat: Chat) -> None:
    (answer,) = talk(chat, "helen", "How should I open the conversation about the hedging case?")
    assert "still open on your side" not in answer.message, answer.message


def test_which_pair_has_met_the_most_since_a_month(chat: Chat) -> None:
    _, ranked = talk(
        chat, "marisol", "who needs a nudge this week", "which pair has met the most since september"
    )
    assert ranked.slots.get("since") == 9, ranked.slots
    lines = [line for line in ranked.message.splitlines() if " held, " in line]
    held = [int(re.search(r"(\d+) held", line).group(1)) for line in lines]  # type: ignore[union-attr]
    assert len(lines) == 5 and held == sorted(held, reverse=True) and held[0] > held[-1], ranked.message
    assert ranked.message.startswith("Since the start of September"), ranked.message


def test_a_min_number_is_a_minimum_not_minutes(chat: Chat) -> None:
    (answer,) = talk(chat, "kai", "quick q is there a min number of sessions a month or whatever")
    assert answer.intent == "ask" and "one session a month" in answer.message, answer.message
    assert not answer.message.startswith("The guidelines don't say this directly"), answer.message


def test_a_rule_question_naming_the_coordinator_asks_about_the_coordinator(chat: Chat) -> None:
    """The guidelines say "the coordinator", not "Marisol": the question is read that way."""
    (answer,) = talk(chat, "kai", "would marisol see that weve cancelled loads")
    assert answer.intent == "ask", answer.intent
    assert not answer.message.startswith("The guidelines don't say this directly"), answer.message
    assert "the coordinator" in answer.message, answer.message


def test_what_else_after_every_step_says_that_was_all(chat: Chat) -> None:
    first, more, again = talk(
        chat,
        "priya",
        "martin keeps checking his phone in our sessions. annoying",
        "tried that already",
        "ok what else",
    )
    shown = re.findall(r"^\d\. \*\*(.+?)\*\*", first.message + "\n" + more.message, flags=re.M)
    assert len(shown) == len(set(shown)) >= 4, shown  # the second answer showed only steps not shown yet
    assert again.message.startswith("That is everything the playbook has on this"), again.message


def test_a_coordinator_asking_what_a_pair_shares_gets_it_whole(chat: Chat) -> None:
    """No subject named: the notes the pair shares with the program, and only those."""
    (answer,) = talk(chat, "marisol", "anything from noor and ingrid i can see?")
    assert "rocky start" in answer.message and "Teams channel" in answer.message, answer.message
    assert re.findall(r"note (noor-ingrid-\d+)", answer.message) == ["noor-ingrid-06"], answer.message


@pytest.mark.parametrize(
    ("user", "messages", "intent", "slots"),
    [
        (
            "gareth",
            [
                "can I skip a session in december?",
                "Put together a short note to Sofia saying I will lead next time.",
            ],
            "draft_message",
            {},
        ),
        ("rafael", ["Help me write to Amara admitting I have not sent the agendas."], "draft_message", {}),
        ("marisol", ["anyone stalled by the 6 week rule?"], "program_health", {}),
        ("priya", ["agenda for the 17th, 45 min", "make it 40, I have a 3:30"], "edit", {"minutes": 40}),
        (
            "helen",
            ["draft a note to kai to move our session", "Good. Add that I have kept the 8th clear."],
            "edit",
            {"change": "other"},
        ),
    ],
)
def test_requests_said_with_a_lead_in_or_a_time_of_day(
    chat: Chat, user: str, messages: list[str], intent: str, slots: dict[str, Any]
) -> None:
    answer = talk(chat, user, *messages)[-1]
    assert answer.intent == intent and slots.items() <= answer.slots.items(), (answer.intent, answer.slots)


@pytest.mark.parametrize(
    ("user", "messages", "slots"),
    [
        (  # the reason first, the edit after a comma
            "priya",
            [
                "topics for my next session with martin",
                "he'll be wiped after budget season, these feel heavy",
            ],
            {"change": "other"},
        ),
        (
            "noor",
            [
                "draft a note to ingrid to move our session",
                "she likes blunt, all the hope-youre-well stuff can go",
            ],
            {"change": "drop"},
        ),
        (
            "sofia",
            [
                "draft a message to gareth to reschedule thursday",
                "she knows the background, dont need the history",
            ],
            {"change": "drop"},
        ),
        (
            "amara",
            ["draft a message to rafael to restart", "he reads everything on his phone fyi"],
            {"change": "shorter"},
        ),
        ("amara", ["a 45 min agenda for a catch up w rafael", "add 10 min actually"], {"minutes": 55}),
    ],
)
def test_an_edit_said_beside_its_reason_changes_the_answer(
    chat: Chat, user: str, messages: list[str], slots: dict[str, Any]
) -> None:
    answer = talk(chat, user, *messages)[-1]
    assert answer.intent == "edit" and slots.items() <= answer.slots.items(), (answer.intent, answer.slots)


def test_no_icebreaker_at_the_start_leaves_out_the_opening_part(chat: Chat) -> None:
    agenda, edited = talk(
        chat,
        "priya",
        "30 min agenda for wed w martin",
        "we've known each other since march, we dont need an icebreaker at the start",
    )
    assert "Check-in" in agenda.message.split("\n\n")[1], agenda.message
    assert edited.intent == "edit" and "Check-in" not in edited.message, edited.message


def test_a_request_headed_by_another_tasks_name_is_that_task(chat: Chat) -> None:
    """ "Agenda. 45 min, I lead the first half." after a brief: an agenda, not the brief's first item."""
    answer = talk(chat, "martin", "prep me for my next session", "Agenda. 45 min, I lead the first half.")[-1]
    assert answer.intent == "agenda" and answer.slots.get("minutes") == 45, (answer.intent, answer.slots)
    assert not answer.slots.get("focus"), answer.slots


@pytest.mark.parametrize(
    ("user", "message", "said"),
    [
        (
            "priya",
            "whats the last thing we wrote abt his linkedin",
            "One post in September, none in October.",
        ),
        (  # a first message: "the last thing she wrote" is in the notes, not earlier in the chat
            "kai",
            "what was the last thing she wrote about the fixed slot",
            "Every time I protect it, something from the board lands on it.",
        ),
    ],
)
def test_a_short_line_opening_a_paragraph_comes_with_what_it_goes_on_to_say(
    chat: Chat, user: str, message: str, said: str
) -> None:
    (answer,) = talk(chat, user, message)
    assert answer.intent == "search_notes" and said in answer.message, answer.message


def test_slip_in_that_adds_a_point_to_the_draft(chat: Chat) -> None:
    answer = talk(
        chat,
        "amara",
        "draft a message to rafael to restart our sessions",
        "oh and slip in that we never finished the grads hybrid question",
    )[-1]
    assert answer.intent == "edit" and "never finished the grads hybrid question" in answer.message, (
        answer.message
    )


@pytest.mark.parametrize(
    ("user", "messages", "ref"),
    [
        (
            "amara",
            [
                "if we do restart what's worth talking about in the first one",
                "ok 2nd one, how do i make it about his stuff",
            ],
            2,
        ),
        ("priya", ["topics for my next session with martin", "the 1st, why that one?"], 1),
    ],
)
def test_an_item_named_by_its_place_then_asked_about_is_expanded(
    chat: Chat, user: str, messages: list[str], ref: int
) -> None:
    answer = talk(chat, user, *messages)[-1]
    assert answer.intent == "expand" and answer.slots.get("ref") == ref, (answer.intent, answer.slots)


def test_what_to_cover_in_my_minutes_is_my_part_of_the_agenda(chat: Chat) -> None:
    agenda, part = talk(
        chat,
        "gareth",
        "I'm doing the first 15 min on the 10th, supplier negotiations. Lay out the full 50 around that",
        "What should I actually cover in my 15",
    )
    assert agenda.slots.get("minutes") == 50, agenda.slots
    assert part.intent == "expand" and "Gareth leads" in part.message, part.message


def test_leaving_something_out_of_a_draft_gives_its_short_form(chat: Chat) -> None:
    draft, edited = talk(
        chat,
        "sofia",
        "draft a message to gareth to reschedule thursday",
        "she knows the background already, dont need the whole history",
    )
    assert "Before then" in draft.message, draft.message
    assert "shorter version" in edited.message and "Before then" not in edited.message, edited.message


@pytest.mark.parametrize(
    ("user", "messages", "intent", "slots"),
    [
        (
            "gareth",
            ["Could my EA sit in on our sessions to take notes?", "Very well, thanks."],
            "thanks",
            {},
        ),
        (
            "marisol",
            [
                "what's going on with sofia and gareth, from what i can see",
                "how do i run it without gareth feeling ambushed",
            ],
            "coach",
            {},
        ),
        (
            "sofia",
            ["agenda for the 10th, 45 min", "can we squeeze it to 40, i've got a 2.45"],
            "edit",
            {"minutes": 40},
        ),
    ],
)
def test_thanks_advice_and_times_of_day_after_an_answer(
    chat: Chat, user: str, messages: list[str], intent: str, slots: dict[str, Any]
) -> None:
    answer = talk(chat, user, *messages)[-1]
    assert answer.intent == intent and slots.items() <= answer.slots.items(), (answer.intent, answer.slots)


@pytest.mark.parametrize(
    ("user", "messages", "said"),
    [
        (  # the step built from the pair's own notes has words too
            "kai",
            [
                "helen keeps cancelling our sessions, what do i do",
                "the first one, what would i actually say to her?",
            ],
            "keeps coming up in our notes",
        ),
        (
            "priya",
            [
                "martin talks over me the whole session, what do i do",
                "give me the actual words for the first step",
            ],
            "> ",
        ),
    ],
)
def test_the_words_for_a_step_are_given_when_asked(
    chat: Chat, user: str, messages: list[str], said: str
) -> None:
    answer = talk(chat, user, *messages)[-1]
    assert answer.slots.get("wording") and "You could say something like" in answer.message, answer.message
    assert said in answer.message and "{partner}" not in answer.message, answer.message


def test_every_playbook_step_with_words_names_the_partner_where_dropping_the_name_still_reads() -> None:
    """``{partner}`` opens a sentence or stands before punctuation, so the words read without a name."""
    data = yaml.safe_load((REPO_ROOT / "knowledge" / "playbook.yaml").read_text(encoding="utf-8"))
    says = [s["say"] for c in data["challenges"] for s in c["steps"] if s.get("say")]
    assert len(says) >= 70
    for say in says:
        for at in (m.start() for m in re.finditer(r"\{partner\}", say)):
            rest = say[at + len("{partner}") :]
            assert (at == 0 and rest.startswith(",")) or (say[:at].endswith(", ") and rest[:1] in ",.?!"), say


def test_a_coordinator_asking_for_topic_ideas_for_a_pair_hears_why_and_what_else(chat: Chat) -> None:
    (answer,) = talk(chat, "marisol", "sofia asked me for topic ideas that would get gareth teaching, any?")
    assert "only its two members can read" in answer.message and "check-in" in answer.message, answer.message


def test_if_there_is_anything_on_a_subject_take_it_out(chat: Chat) -> None:
    answer = talk(
        chat,
        "martin",
        "Agenda for the 17th, 45 min",
        "If there's anything on LinkedIn in there, take it out.",
    )[-1]
    assert answer.intent == "edit" and answer.slots.get("change") == "drop", (answer.intent, answer.slots)
    assert answer.slots.get("part") == "linkedin", answer.slots


@pytest.mark.parametrize(
    ("user", "messages"),
    [
        ("priya", ["topics for thursday with martin", "he's an engineer by training, not a salesman"]),
        ("kai", ["helen keeps cancelling, what do i do", "she only reads things on her phone"]),
        (
            "noor",
            ["agenda for my next session with ingrid, 45 min", "she's a numbers person through and through"],
        ),
        ("amara", ["draft a message to rafael to restart", "rafael is very formal with juniors"]),
    ],
)
def test_a_fact_said_after_an_answer_is_taken_into_account(
    chat: Chat, user: str, messages: list[str]
) -> None:
    answer = talk(chat, user, *messages)[-1]
    assert answer.intent == "edit" and answer.slots.get("change") == "other", (answer.intent, answer.slots)


@pytest.mark.parametrize(
    ("user", "messages", "intent"),
    [
        ("priya", ["topics for thursday with martin", "he cancelled on me again this morning"], "coach"),
        (
            "kai",
            ["topics for my next session with helen", "ok draft something i can send her"],
            "draft_message",
        ),
        (
            "kai",
            ["helen keeps cancelling, what do i do", "didnt we agree she'd book through her EA"],
            "search_notes",
        ),
        (
            "sofia",
            ["topics for my next session with gareth", "and a short msg to him about it"],
            "draft_message",
        ),
        ("priya", ["topics for thursday with martin", "ok cool, that's helpful ty"], "thanks"),
    ],
)
def test_trouble_requests_questions_and_thanks_after_an_answer_are_not_facts_to_bear_in_mind(
    chat: Chat, user: str, messages: list[str], intent: str
) -> None:
    answer = talk(chat, user, *messages)[-1]
    assert answer.intent == intent, (answer.intent, answer.slots)


def test_advice_turned_into_a_message_is_a_draft(chat: Chat) -> None:
    answer = talk(
        chat, "kai", "helen keeps cancelling, what do i do", "can you make that a slack msg to her"
    )[-1]
    assert answer.intent == "draft_message" and "Helen" in answer.message, (answer.intent, answer.message)


def test_back_to_the_list_after_a_draft_is_the_list(chat: Chat) -> None:
    answers = talk(
        chat,
        "marisol",
        "which pairs need attention this week",
        "draft a check in to amara and rafael",
        "back to the list - tell me more about the second one",
    )
    answer = answers[-1]
    assert answer.intent == "expand" and answer.slots.get("task") == "program_health", answer.slots


@pytest.mark.parametrize(
    ("messages", "slots"),
    [
        (["a 45 min agenda for thursday with martin", "shorter, 25 is all he'll give me"], {"minutes": 25}),
        (
            ["a 45 min agenda for thursday with martin", "he's always 15 min late so realistically 30"],
            {"minutes": 30},
        ),
        (
            ["a 45 min agenda for thursday with martin", "he wants to spend most of it on the reforecast"],
            {"change": "focus", "focus": "reforecast"},
        ),
    ],
)
def test_a_length_or_subject_said_with_its_reason_after_an_agenda(
    chat: Chat, messages: list[str], slots: dict[str, Any]
) -> None:
    answer = talk(chat, "priya", *messages)[-1]
    assert answer.intent == "edit" and slots.items() <= answer.slots.items(), (answer.intent, answer.slots)


@pytest.mark.parametrize(
    "ask", ["sessions held by each pair since september", "how many sessions did each pair hold in november"]
)
def test_sessions_pair_by_pair_without_names_name_nobody(chat: Chat, ask: str) -> None:
    shown, no_names = talk(chat, "marisol", ask, "it's going on a slide so no names whatsoever")
    assert any(user in shown.message.lower() for user in USERS_OF_PAIRS), shown.message  # names, until asked
    assert "Pair 1" in no_names.message, no_names.message
    for user in USERS_OF_PAIRS:
        assert user not in no_names.message.lower(), no_names.message


def test_which_of_those_are_on_me_after_a_brief_lists_the_askers_open_actions(chat: Chat) -> None:
    brief, mine = talk(
        chat, "helen", "What do I need to know before the 8th with Kai?", "Which of those are on me?"
    )
    assert brief.intent == "brief" and "on your side" in mine.message, mine.message
    assert "Helen: check the figures" in mine.message and "Kai: prepare" not in mine.message, mine.message


def test_a_late_arrival_takes_its_minutes_off_the_agenda(chat: Chat) -> None:
    answer = talk(chat, "kai", "45 min agenda for the 8th with helen", "she always turns up 10 min late btw")[
        -1
    ]
    assert answer.intent == "edit" and answer.slots.get("minutes") == 35, answer.slots
    assert "35-minute session" in answer.message, answer.message


def test_a_nudge_names_what_the_partner_still_owes(chat: Chat) -> None:
    owed, nudge = talk(chat, "noor", "whats ingrid still owing", "write her a reminder abt that, light touch")
    assert "LinkedIn post" in owed.message
    assert nudge.intent == "draft_message" and "A gentle nudge" in nudge.message, nudge.message
    assert "write a LinkedIn post about the electric trucks" in nudge.message, nudge.message
    assert "collect driver feedback" not in nudge.message  # Noor's own action is not Ingrid's to do


def test_a_rule_question_can_be_put_to_the_coordinator(chat: Chat) -> None:
    asked, drafted = talk(
        chat,
        "amara",
        "do participants get a certificate?",
        "can u draft a msg to marisol asking abt it",
    )
    assert asked.intent == "ask"
    assert drafted.intent == "draft_message" and "send to Marisol" in drafted.message, drafted.message
    assert "Do participants get a certificate?" in drafted.message, drafted.message
    assert "couldn't find a clear answer in the guidelines" in drafted.message  # they don't cover it
    assert "Rafael" not in drafted.message


def test_a_question_with_no_subject_after_notes_asks_the_notes_again(chat: Chat) -> None:
    answer = talk(chat, "sofia", "and the quiet hours trial, is that due yet", "so when's it up")[-1]
    assert answer.intent == "expand" and answer.slots["task"] == "search_notes", (answer.intent, answer.slots)
    assert "quiet-hours" in answer.message, answer.message


def test_one_pairs_figures_compared_with_the_others_shows_every_pair(chat: Chat) -> None:
    answer = talk(chat, "marisol", "how are kai and helen doing", "worse than the others?")[-1]
    assert answer.intent == "program_health", answer.intent
    assert "Amara Obi and Rafael Montoya" in answer.message and "Kai Nakamura" in answer.message


def test_back_to_the_plan_after_a_note_to_everyone_and_then_the_email_again(chat: Chat) -> None:
    answers = talk(
        chat,
        "marisol",
        "plan for the next cycle pls",
        "draft an email to all the mentors about it",
        "back to the plan, point 3, what do you mean",
        "and the email's too long",
    )
    assert "about the next cycle" in answers[1].message, answers[1].message
    assert answers[2].intent == "expand" and "Amara Obi and Rafael Montoya" in answers[2].message
    assert answers[3].intent == "edit" and answers[3].slots.get("task") == "draft_message", answers[3].slots


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        (["topic ideas for thursday with martin", "less detail"], "one_line"),
        (
            ["martin keeps talking over me, what do i do", "What would I actually say to him, one sentence."],
            "expand",
        ),
        (["draft an apology to martin for cancelling", "don't grovel"], "edit"),
        (
            ["is there anything in the guidelines that says the exec has to lead half", "where exactly"],
            "expand",
        ),
    ],
)
def test_follow_ups_said_the_way_people_say_them(chat: Chat, messages: list[str], expected: str) -> None:
    answer = talk(chat, "priya", *messages)[-1]
    if expected == "one_line":
        assert answer.intent == "edit" and "1. **" in answer.message and "“" not in answer.message, (
            answer.message
        )
    else:
        assert answer.intent == expected, (answer.intent, answer.slots)


@pytest.mark.parametrize(
    ("user", "messages", "says"),
    [
        (
            "sofia",
            ["need to write to marisol to book the three way check in we talked about, can u help"],
            "I'd like to book the three way check in we talked about.",
        ),
        ("kai", ["ok write me a msg to marisol, low key"], "how things are going with Helen?"),
    ],
)
def test_a_message_to_the_coordinator_is_to_the_coordinator(
    chat: Chat, user: str, messages: list[str], says: str
) -> None:
    answer = talk(chat, user, *messages)[-1]
    assert answer.intent == "draft_message" and "send to Marisol" in answer.message, answer.message
    assert "Hi Marisol," in answer.message and says in answer.message, answer.message


def test_a_point_about_the_partners_people_keeps_their_name(chat: Chat) -> None:
    answer = talk(
        chat, "kai", "draft a msg to helen to confirm thursday", "add that helen's EA keeps moving us"
    )[-1]
    assert "Your executive assistant keeps moving us." in answer.message, answer.message  # said whole


@ON_A_MONDAY
def test_pairs_with_no_session_planned_are_the_ones_without_a_date(chat: Chat) -> None:
    answer = talk(chat, "marisol", "any pairs with no session planned")[-1]
    assert answer.intent == "program_health" and answer.slots.get("unplanned"), answer.slots
    assert (
        "with no next session planned" in answer.message and "Amara Obi and Rafael Montoya" in answer.message
    )
    assert "Kai Nakamura" not in answer.message, answer.message  # their 8 December session is booked


def test_a_subject_since_a_month_is_that_subject_in_the_newer_notes(chat: Chat) -> None:
    answer = talk(chat, "priya", "has martin posted on linkedin since september?")[-1]
    assert answer.intent == "search_notes" and "none in October" in answer.message, answer.message
    assert "There are" not in answer.message  # not every note since then


def test_a_count_said_as_a_range_is_not_a_subject_and_a_table_is_said_honestly(chat: Chat) -> None:
    topics = talk(
        chat, "kai", "helen keeps cancelling, what do i do", "could u turn that into 2 or 3 topics for tues"
    )
    assert topics[-1].intent == "topics" and topics[-1].slots.get("focus") is None, topics[-1].slots
    table = talk(chat, "marisol", "plan for the next cycle pls", "can u do it as a table")[-1]
    assert table.intent == "edit" and table.message.startswith("I can't make that change"), table.message


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("helen", "Can it put sessions into my calendar?"),
        ("amara", "can u book a teams call with him for next week"),
        ("gareth", "Can you send Sofia the agenda directly?"),
    ],
)
def test_a_request_to_act_for_the_user_is_declined_plainly(chat: Chat, user: str, message: str) -> None:
    answer = talk(chat, user, message)[-1]
    assert answer.intent == "capabilities" and answer.message.startswith("I can't book meetings"), (
        answer.message
    )


def test_trying_the_chat_out_gets_a_hello_and_an_and_question_keeps_the_howto(chat: Chat) -> None:
    hello, _, tokens = talk(
        chat, "jonas", "testing 1 2 3", "how do i add a new pair?", "and rotate the tokens?"
    )
    assert hello.intent == "greeting", hello.intent
    assert tokens.intent == "capabilities" and "users token" in tokens.message, tokens.message
    rotation_edit = talk(
        chat, "marisol", "thinking about cycle 2", "add something on pairs where only the mentor ever teaches"
    )[-1]
    assert "pairs add" not in rotation_edit.message, rotation_edit.message  # not how to add a pair


@pytest.mark.parametrize(
    ("user", "messages", "slots"),
    [  # a hyphenated word is not a length; a subject on one's mind; one topic put in place of another
        (
            "rafael",
            [
                "I haven't met Amara since September. What's the honest way to restart?",
                "She was meant to send me a shorter-format proposal. I never chased it either.",
            ],
            {"change": "other"},
        ),
        ("ingrid", ["What could Noor and I cover in December? Winter range data is on my mind."], {}),
        ("martin", ["topics for next session", "Something on AI in place of the last one."], {"focus": "ai"}),
    ],
)
def test_what_a_message_says_it_is_about(chat: Chat, user: str, messages: list[str], slots: dict) -> None:
    answer = talk(chat, user, *messages)[-1]
    if not slots:
        assert answer.slots.get("focus") == "winter range data", answer.slots
    for name, value in slots.items():
        assert answer.slots.get(name) == value, answer.slots
    if slots.get("focus") == "ai":
        assert answer.slots.get("change") == "swap" and "with one on AI" in answer.message, answer.message


def test_topics_sent_on_are_listed_in_the_message_and_cut_to_a_count(chat: Chat) -> None:
    _, sent, cut = talk(chat, "sofia", "ideas for thurs", "send him those before thurs", "cut it to 2")
    assert sent.intent == "draft_message" and "send to Gareth" in sent.message, sent.message
    listed = [line for line in sent.message.splitlines() if line.startswith("> - ")]
    assert len(listed) >= 3, sent.message
    kept = [line for line in cut.message.splitlines() if line.startswith("> - ")]
    assert kept == listed[:2], cut.message


def test_going_back_to_the_prep_or_the_first_answer(chat: Chat) -> None:
    back = talk(
        chat, "noor", "prep me for ingrid", "did we ever talk about ai", "ok go back to the prep, shorter"
    )[-1]
    assert back.slots.get("task") == "brief" and back.intent == "edit", back.slots
    first = talk(
        chat,
        "martin",
        "Priya asked me something very candid about budget lines. Should I worry about that going further?",
        "We agreed ground rules at the start. Remind me what they were.",
        "Going back to your first answer, spell out the second suggestion.",
    )
    assert first[0].intent == "coach", first[0].intent
    assert first[-1].intent == "expand" and first[-1].message.startswith("**Step 2"), first[-1].message


def test_questions_about_the_answer_just_given(chat: Chat) -> None:
    said = talk(chat, "kai", "how long should sessions be", "wait so 30 is the floor? u said 30 to 60")[-1]
    assert said.intent == "expand", said.intent
    quote = talk(chat, "sofia", "does he have to teach me stuff too?", "can u quote the actual bit")[-1]
    assert quote.intent == "expand" and quote.message.startswith("Word for word, from “"), quote.message
    assert "\n> " in quote.message, quote.message
    only = talk(chat, "noor", "when did ingrid say she'd do the linkedin post", "still not done right?")[-1]
    assert "LinkedIn" in only.message, only.message  # the same subject, not the latest note
    figures = talk(chat, "marisol", "helen. is she still cancelling a lot", "how many times this year?")[-1]
    assert figures.intent == "expand" and "sessions cancelled" in figures.message, figures.message
    criteria = talk(chat, "marisol", "suggest new pairings", "what criteria are u using tbh")[-1]
    assert criteria.intent == "expand", criteria.intent


def test_an_action_left_off_a_brief_is_gone_from_it(chat: Chat) -> None:
    answer = talk(
        chat, "ingrid", "Prep for Noor on the 10th please", "The LinkedIn item. I know. Leave it off."
    )[-1]
    assert answer.intent == "edit" and answer.message.startswith("I left out “write a LinkedIn post"), (
        answer.message
    )
    assert "- [ ] **Ingrid**: write a LinkedIn post" not in answer.message, answer.message


def test_a_rule_answer_passed_on_to_the_partner_is_not_a_reply(chat: Chat) -> None:
    answer = talk(
        chat, "sofia", "does he have to teach me stuff too?", "could u put that in a friendly msg to him"
    )[-1]
    assert "send to Gareth" in answer.message and "Hi Gareth," in answer.message, answer.message
    assert "Thanks for your question" not in answer.message, answer.message


def test_the_asker_leading_the_second_half_is_an_order_change(chat: Chat) -> None:
    answer = talk(chat, "ingrid", "a 45 minute agenda with noor", "I lead the second half, reflect that")[-1]
    assert answer.intent == "edit" and answer.slots.get("order"), answer.slots


def test_a_what_if_after_a_rule_question_goes_back_to_the_advice(chat: Chat) -> None:
    replies = talk(
        chat,
        "priya",
        "my manager keeps asking what martin and i talk about. what do i say",
        "is that an actual rule or just ur advice",
        "ok and if my manager keeps pushing",
    )
    assert replies[0].intent == "coach" and replies[-1].intent == "expand", replies[
        -1
    ].intent  # on the advice
    assert replies[-1].message.startswith("If it comes up in front of others"), replies[-1].message
    back = talk(
        chat,
        "sofia",
        "if gareth blows off his 15 min again can i just end the pairing?",
        "ok what would u do in my shoes",
        "go back to the rule thing, who do i actually talk to about ending it",
    )[-1]
    assert back.intent == "ask" and "coordinator" in back.message, back.message


def test_the_exact_words_of_a_note_just_shown_are_that_note_in_full(chat: Chat) -> None:
    replies = talk(
        chat,
        "kai",
        "did helen ever say what she thinks about analysts wfh",
        "what did she agree to, word for word",
    )
    assert replies[-1].intent == "expand" and replies[-1].message.startswith("Your session of"), replies[-1]
    assert "She agreed to ask them rather than assume." in replies[-1].message, replies[-1].message
    words = talk(
        chat,
        "amara",
        "the retention slide for his offsite, what did he say about it",
        "aww what were his exact words",
    )
    assert words[-1].intent == "expand" and words[-1].message.startswith("Your session of"), words[-1].message


def test_a_coordinator_can_read_more_of_a_shared_note(chat: Chat) -> None:
    more = talk(
        chat, "marisol", "what has helen shared about cancellations", "tell me more about the first one"
    )[-1]
    assert more.intent == "expand" and more.message.startswith("Kai and Helen's session of 26 May"), (
        more.message
    )
    assert "no longer one you can read" not in more.message, more.message


def test_requests_to_change_a_session_or_a_token_say_where_it_is_done(chat: Chat) -> None:
    move = talk(chat, "rafael", "Can you move my next mentoring session to the week of 14 December?")[-1]
    assert move.intent == "capabilities" and "Sessions page" in move.message, move.message
    token = talk(chat, "jonas", "gareth says his login token stopped working, can you rotate it")[-1]
    assert token.intent == "capabilities" and "users token" in token.message, token.message


def test_a_message_to_the_coordinator_is_addressed_to_her(chat: Chat) -> None:
    draft = talk(
        chat,
        "priya",
        "am i allowed to bring a teammate along to one session?",
        "ok write marisol a quick one asking if it's fine",
    )[-1]
    assert draft.intent == "draft_message" and "send to Marisol" in draft.message, draft.message
    assert "Could you let me know when you have a moment?" not in draft.message, draft.message
    told = talk(
        chat,
        "amara",
        "how long can a pair go without meeting before someone flags it",
        "can u write to marisol that we want to keep going, just slower for now",
    )[-1]
    assert (
        "send to Marisol" in told.message and "> We want to keep going, just slower for now." in told.message
    )
    assert "I have a question about the program" not in told.message, told.message


def test_questions_about_one_pairs_figures_stay_on_that_pair(chat: Chat) -> None:
    replies = talk(
        chat,
        "marisol",
        "which pairs need me this month",
        "why is amara-rafael on there",
        "when did they last actually meet",
        "draft a check-in to both of them",
    )
    assert replies[2].intent == "expand" and "the last on 3 September" in replies[2].message, replies[
        2
    ].message
    assert "send to Amara and Rafael:" in replies[3].message, replies[3].message
    called_off = talk(
        chat, "marisol", "how are kai and helen doing on cancellations", "how many did she call off"
    )[-1]
    assert called_off.intent == "expand" and "7 sessions cancelled" in called_off.message, called_off.message


def test_yes_or_no_after_a_rule_answer_gives_its_verdict(chat: Chat) -> None:
    abstained = talk(
        chat,
        "marisol",
        "can my exec's feedback on me end up in my performance review?",
        "so is that a yes or a no",
    )[-1]
    assert abstained.intent == "expand" and abstained.message.startswith("Neither"), abstained.message
    closest = talk(
        chat,
        "marisol",
        "do we have anything on pairs meeting over lunch off-site",
        "so the guidelines dont cover it?",
    )[-1]
    assert closest.intent == "expand" and closest.message.startswith("Not in so many words"), closest.message


def test_coordinator_follow_ups_keep_to_the_figures_and_the_rule_asked(chat: Chat) -> None:
    for just in ("ok then just the november average", "ok then just the november one"):
        pulse = talk(chat, "marisol", "what do the pulse scores say month by month", just)[-1]
        assert pulse.intent in ("program_health", "expand"), (just, pulse.intent)
        assert "**November 2026**: 3.8" in pulse.message and "attention" not in pulse.message, pulse.message
    names = talk(chat, "marisol", "which pairs havent met since the summer", "just names")[-1]
    assert names.intent == "edit" and names.task == "program_health", (names.intent, names.task)
    counted = talk(
        chat,
        "jonas",
        "what's the rule for a stalled pair",
        "6 weeks from the last held session or the booked one?",
    )[-1]
    assert counted.intent == "expand" and "last session actually held" in counted.message, counted.message


def test_whose_the_actions_shown_are_says_first_whether_any_is_the_askers(chat: Chat) -> None:
    whose = talk(chat, "amara", "whats still open on rafael's side", "whose are those")[-1]
    assert whose.message.startswith("None of them is yours."), whose.message
    assert "- Rafael's: “write a LinkedIn post" in whose.message, whose.message
    both = talk(chat, "amara", "whats still open between me and rafael", "whose are those")[-1]
    assert both.message.startswith("1 of them is yours."), both.message  # both sides' open actions
    mine = talk(chat, "martin", "What did Priya and I agree on the 12th?", "which of those are on me")[-1]
    assert mine.intent == "expand" and "on your side" in mine.message, mine.message


def test_a_why_about_a_step_and_replacing_the_topic_asked_for(chat: Chat) -> None:
    why = talk(
        chat,
        "helen",
        "I keep moving my sessions with Kai. The board calendar won't change. What do you suggest?",
        "Why an early morning slot in particular?",
    )[-1]
    assert why.intent == "expand" and why.message.startswith("**Step"), why.message
    swapped = talk(
        chat,
        "rafael",
        "Three topics for when we restart, one of them on Power BI.",
        "Replace the Power BI one, I can manage that on my own now.",
    )[-1]
    assert swapped.intent == "edit" and "with another idea" in swapped.message, swapped.message


def test_is_any_of_that_on_me_and_a_reminder_about_his_bit(chat: Chat) -> None:
    mine, nudge = talk(
        chat,
        "sofia",
        "what did gareth and i agree last time",
        "is any of that on me",
        "ok can u remind him nicely about his bit",
    )[1:]
    assert "on your side" in mine.message and "three-way check-in" in mine.message, mine.message
    assert nudge.payload is not None and nudge.payload["subject"] == "A gentle nudge", nudge.message
    assert "quiet-hours" in nudge.payload["body"], nudge.payload["body"]


def test_one_topic_replaced_by_a_subject_the_catalog_lacks_says_so(chat: Chat) -> None:
    swapped = talk(
        chat,
        "martin",
        "What should Priya and I cover on the 17th?",
        "The second one is too HR. Something on the reforecast instead.",
    )[-1]
    assert swapped.intent == "edit" and "with one on reforecast." in swapped.message, swapped.message
    # the catalog has nothing on it, the pair's notes have: picked up from the last note that mentions it
    assert "2. **Picking up reforecast**" in swapped.message and "on 12 November" in swapped.message, (
        swapped.message
    )


@pytest.mark.parametrize(
    ("user", "messages", "slots"),
    [  # an item turned down by what the asker knows is replaced; "3 more detail" is about the third
        (
            "sofia",
            [
                "topic ideas for thurs",
                "he wont go for the 2nd one, he hates anything that looks like a survey",
            ],
            {"change": "swap", "ref": 2},
        ),
        (
            "priya",
            ["topics for next time with martin", "the first one feels a bit confrontational for him"],
            {"change": "swap", "ref": 1},
        ),
        (
            "priya",
            ["topics for next time with martin", "the second one sounds great, how do i open it?"],
            {"ref": 2},
        ),
        ("kai", ["topics for dec 8 w helen", "3 more detail"], {"ref": 3}),
        ("kai", ["topics for dec 8 w helen", "3 more ideas"], {"change": "count"}),
    ],
)
def test_an_item_turned_down_or_asked_after_by_its_number(
    chat: Chat, user: str, messages: list[str], slots: dict
) -> None:
    answer = talk(chat, user, *messages)[-1]
    for name, value in slots.items():
        assert answer.slots.get(name) == value, answer.slots
    if slots.get("change") == "swap":
        assert answer.intent == "edit" and "I replaced" in answer.message, answer.message
    if slots == {"ref": 3}:
        assert answer.intent == "expand", answer.intent


def test_a_part_cut_with_its_reason_and_a_subject_left_out(chat: Chat) -> None:
    cut = talk(
        chat,
        "sofia",
        "agenda for thursday with gareth, 45 min, something on the notifications check-in",
        "cut the notifications check-in, we spent 50 min on that last time",
    )[-1]
    assert cut.slots.get("change") == "drop" and cut.slots.get("minutes") is None, cut.slots
    left_out = talk(chat, "priya", "topics for next time with martin", "nothing on notifications pls")[-1]
    assert left_out.slots.get("change") == "drop" and left_out.slots.get("part") == "notifications"
    assert "I couldn't find “notifications”" in left_out.message, left_out.message


def test_what_else_it_can_help_with(chat: Chat) -> None:
    assert talk(chat, "kai", "what can u actually help with besides topic ideas")[-1].intent == "capabilities"


def test_a_login_problem_reported_gets_the_token_how_to(chat: Chat) -> None:
    answer = talk(chat, "jonas", "ingrid cant log in, says invalid token")[-1]
    assert answer.intent == "capabilities" and "users token" in answer.message, answer.message


def test_whose_note_it_was_and_the_words_to_open_a_topic(chat: Chat) -> None:
    whose = talk(chat, "priya", "what did martin say about the rota tool", "was that from his note or mine")[
        -1
    ]
    assert whose.intent == "expand" and whose.slots.get("shown") == "whose", whose.slots
    words = talk(chat, "sofia", "topic ideas for thurs", "Give me the words to open the first one with him.")[
        -1
    ]
    assert words.intent == "expand" and words.slots.get("wording"), words.slots


def test_a_question_pointing_back_at_notes_just_shown_is_answered_from_them(chat: Chat) -> None:
    _, done, other = talk(
        chat,
        "priya",
        "what did martin say hed do on linkedin",
        "and has he actually done it",
        "what else do i owe him",
    )
    assert done.intent == "expand" and done.slots.get("task") == "search_notes", done.slots
    assert "LinkedIn" in done.message and "note priya-martin" in done.message, (
        done.message
    )  # the notes, cited
    assert other.intent == "search_notes", other.intent  # "else": a search of its own


@pytest.mark.parametrize(
    ("user", "messages", "slots"),
    [  # the length said first wins over a reason that mentions time; the other of two items; a layout
        (
            "priya",
            ["agenda for 3 dec pls. 45 min", "make it 30, he just told me something got put in before"],
            {"change": "minutes", "minutes": 30},
        ),
        ("priya", ["2 topics for martin", "first one, how do i open it", "the other one then"], {"ref": 2}),
        (
            "ingrid",
            ["What should Noor and I cover on the 10th", "Less on the pilot, it's going fine."],
            {"change": "other"},
        ),
        ("marisol", ["which pairs come up for renewal next", "list them by end date"], {"change": "other"}),
        ("marisol", ["which pairs come up for renewal next", "bullet form pls"], {"change": "shorter"}),
    ],
)
def test_a_follow_up_read_by_what_it_changes(chat: Chat, user: str, messages: list[str], slots: dict) -> None:
    answer = talk(chat, user, *messages)[-1]
    for name, value in slots.items():
        assert answer.slots.get(name) == value, answer.slots
    assert answer.slots.get("focus") is None, answer.slots  # "less on the pilot" is not about the pilot


@pytest.mark.parametrize(
    ("messages", "slots"),
    [  # a length said with the verb that fits it; a subject put in an item's place; the words asked for
        (["agenda for 3 dec pls. 45 min", "she'll prob be late so squeeze it into 35"], {"minutes": 35}),
        (["topics for next time", "love it. and one on board presentations in place of #3"], {"ref": 3}),
        (["topics for next time", "Swap one of them for the winter range condition"], {"change": "swap"}),
        (["agenda for thursday, 45 min", "and the first 5 mins, what exactly do i say to open"], {"ref": 1}),
    ],
)
def test_what_an_edit_changes_is_read_from_how_it_is_said(
    chat: Chat, messages: list[str], slots: dict
) -> None:
    answer = talk(chat, "priya", *messages)[-1]
    for name, value in slots.items():
        assert answer.slots.get(name) == value, answer.slots
    if "ref" in slots and answer.slots.get("task") == "agenda":
        assert answer.intent == "expand" and answer.slots.get("minutes") is None, answer.slots
    if "in place of" in messages[-1]:
        assert answer.slots.get("focus") == "board presentations", answer.slots


def test_a_subject_offered_with_maybe_and_a_new_subject_after_notes(chat: Chat) -> None:
    offered = talk(
        chat, "sofia", "give me some topics where gareth does the teaching for once, key accounts maybe"
    )
    assert offered[-1].slots.get("focus") == "key accounts", offered[-1].slots
    unsure = talk(chat, "sofia", "topics for thursday, not sure maybe")[-1]
    assert unsure.slots.get("focus") is None, unsure.slots
    searched = talk(
        chat,
        "priya",
        "what did martin say abt who decides when two directors both wont cut their budget line",
        "and the fuel card thing, what was his trick in that prep meeting",
        "what did we say we'd do after that",
    )
    assert searched[1].intent == "search_notes" and searched[1].slots.get("focus") == "fuel card", searched[
        1
    ].slots
    assert searched[2].intent == "search_notes", searched[2].slots  # "after that": a time, not what was shown


def test_a_short_follow_up_on_a_rule_is_read_with_the_rule(chat: Chat) -> None:
    _, why, source = talk(
        chat,
        "amara",
        "if i mark a note private who can see it",
        "whats the reasoning behind that",
        "which bit of the guidelines is that from",
    )
    assert why.intent == "expand" and why.slots.get("task") == "ask", why.slots  # more of the passage
    assert "Note visibility levels" in why.message, why.message
    assert source.slots.get("sources") and "confidentiality-and-notes.md" in source.message, source.message
    how_long = talk(chat, "sofia", "when does a pair count as stalled", "for how long")[-1]
    assert how_long.intent == "ask" and how_long.slots.get("context"), how_long.slots
    assert "six weeks" in how_long.message, how_long.message  # about stalling, not session length
    notes = talk(
        chat, "sofia", "when does a pair count as stalled", "and did he ever open the survey results"
    )
    assert notes[-1].intent == "search_notes", notes[-1].slots  # what happened: the notes, not the rule


@pytest.mark.parametrize(
    ("after", "message", "slots"),
    [  # a count said after a reason with minutes in it; other advice headed "Other ideas"; a glance
        ("3 topics for next time", "3 is a lot for 45 min, give me 2", {"change": "count", "count": 2}),
        (
            "how do i get martin to stop cancelling",
            "Other ideas please. I don't have time to prep much this month, quarter end",
            {"change": "other"},
        ),
        (
            "how do i get martin to stop cancelling",
            "can u give me a version i can glance at on my phone b4 we start",
            {"change": "shorter"},
        ),
        (
            "topics for next time",
            "what if they were all around the iberia integration, thats his whole life rn",
            {"change": "focus", "focus": "iberia integration"},
        ),
        (
            "agenda for thursday, 45 min",
            "and cd u fit in a 5 min dry run of my copilot tips for the ops leads mtg",
            {"change": "other"},
        ),
    ],
)
def test_edits_said_around_a_reason(chat: Chat, after: str, message: str, slots: dict) -> None:
    answer = talk(chat, "priya", after, message)[-1]
    assert answer.intent == "edit", (answer.intent, answer.slots)
    for name, value in slots.items():
        assert answer.slots.get(name) == value, answer.slots
    if "fit in" in message:
        assert answer.slots["add"]["minutes"] == 5, answer.slots  # a part added, not a 5-minute agenda


def test_the_first_minutes_of_an_agenda_are_a_part_and_a_rule_question_is_not_an_edit(chat: Chat) -> None:
    first = talk(chat, "gareth", "agenda for the 10th, 45 min", "What goes in the first five minutes?")[-1]
    assert first.intent == "expand" and first.slots.get("ref") == 1, first.slots
    asked = talk(
        chat,
        "rafael",
        "Which dashboard tool did we settle on?",
        "is a 30 minute session allowed or is that too short",
    )[-1]
    assert asked.intent == "ask", asked.slots


def test_a_check_in_to_them_after_a_rule_question_goes_to_the_stalled_pair(chat: Chat) -> None:
    *_, drafted = talk(
        chat,
        "marisol",
        "any stalled pairs rn",
        "whats the cutoff for stalled again",
        "write them a quick check-in msg from me",
    )
    assert drafted.intent == "draft_message" and drafted.slots.get("names") == ["amara", "rafael"], (
        drafted.slots
    )
    assert "Hi Amara and Rafael" in drafted.message, drafted.message


def test_a_rule_answer_checked_back_is_read_with_its_question(chat: Chat) -> None:
    checked = talk(
        chat, "rafael", "is a 30 minute session allowed or is that too short", "So thirty is the floor?"
    )
    assert checked[-1].slots.get("context"), checked[-1].slots
    assert "between 30 and 60 minutes" in checked[-1].message, checked[-1].message  # not "not covered"


def test_a_reschedule_draft_takes_a_date_and_a_reason_said_loosely(chat: Chat) -> None:
    _, dated, reason = talk(
        chat,
        "priya",
        "can you draft a message to martin to move thursday's session",
        "stick the date in, 10 dec 2pm",
        "give the pilot feedback as the reason",
    )
    assert dated.intent == "edit" and "move it to 10 December at 2pm" in dated.message, dated.message
    assert "Moving our next session" in dated.message, dated.message  # still the reschedule
    assert "It's because of the pilot feedback." in reason.message, reason.message
    assert "10 December at 2pm" in reason.message, reason.message  # the date kept


def test_the_one_before_that_goes_one_session_further_back(chat: Chat) -> None:
    last, before, earlier = talk(
        chat, "ingrid", "When did we last meet?", "And the one before that?", "and the one before that?"
    )
    assert before.intent == "expand" and before.slots.get("back") == 1, before.slots
    assert before.message.startswith("The session before that was on") and before.message not in last.message
    assert earlier.slots.get("back") == 2 and earlier.message != before.message, earlier.message
    agreed, previous = talk(chat, "martin", "What did we agree last time?", "And the time before that?")
    first, second = (re.search(r"\d{4}-\d{2}-\d{2}", a.message) for a in (agreed, previous))
    assert first and second and second.group(0) < first.group(0), previous.message  # an older note


def test_a_value_said_right_after_all_goes_back_to_it(chat: Chat) -> None:
    *_, topics = talk(
        chat,
        "kai",
        "topics on capex",
        "actually make it about the board pack instead",
        "no wait capex was right",
    )
    assert topics.slots.get("change") == "focus" and topics.slots.get("focus") == "capex", topics.slots
    *_, agenda = talk(
        chat,
        "sofia",
        "agenda for the 10th, 50 min",
        "make it 60",
        "no sorry 50 was right, the room's only booked till 3",
    )
    assert agenda.slots.get("minutes") == 50, agenda.slots


def test_a_draft_confirms_a_time_gives_a_reason_and_a_brief_leaves_out_the_partners(chat: Chat) -> None:
    *_, confirm, reason = talk(
        chat,
        "martin",
        "draft a note to priya asking to move thursday",
        "And confirm 2pm still works.",
        "And give the reason: I'd like to see it before the ops leads do.",
    )
    assert "Can you confirm 2pm still works?" in confirm.message, confirm.message
    assert "I'd like to see it before the ops leads do." in reason.message, reason.message
    mine = talk(
        chat, "helen", "What do I need to know before the 8th with Kai?", "Leave out the ones that are Kai's."
    )
    assert mine[-1].slots.get("keep") == "my actions", mine[-1].slots
    assert "Kai: prepare" not in mine[-1].message, mine[-1].message


def test_a_match_left_out_by_pronoun_and_a_draft_asked_for_in_two_words(chat: Chat) -> None:
    *_, dropped = talk(
        chat, "marisol", "suggest new pairings", "sofia's got her hands full already, leave her out"
    )
    assert dropped.slots.get("change") == "drop" and dropped.slots.get("part") == "sofia", dropped.slots
    drafted = talk(chat, "rafael", "how do i restart things with amara, it's been months", "Just draft it.")[
        -1
    ]
    assert drafted.intent == "draft_message", drafted.intent
    nudge = talk(chat, "rafael", "draft a nudge to amara")[-1]
    assert "send me a proposal" in nudge.message and "send Rafael" not in nudge.message, nudge.message


def test_a_subject_asked_before_that_goes_to_the_time_it_came_up_before(chat: Chat) -> None:
    last, before, dates = talk(
        chat, "kai", "when did we last talk about slack", "and before that?", "just the dates"
    )
    assert last.message.startswith("The last time it came up was"), last.message
    assert before.message.startswith("Before that, it came up in"), before.message
    shown = [re.findall(r"\d{4}-\d{2}-\d{2}", a.message) for a in (last, before)]
    assert shown[0] and shown[1] and max(shown[1]) < max(shown[0]), shown  # only older notes
    assert dates.slots.get("dates") and "\n- " not in dates.message.split("**Sources:**")[0], dates.message
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \(\w+'s note\)", dates.message), dates.message


def test_notes_since_those_shown_and_who_wrote_them(chat: Chat) -> None:
    _, since, who = talk(
        chat,
        "priya",
        "what did we say about the town hall back in october",
        "anything since?",
        "who wrote that",
    )
    assert since.slots.get("since") == "2026-10-08", since.slots
    assert "note priya-martin-08" not in since.message and "November" in since.message, since.message
    assert who.slots.get("shown") == "author" and who.message.endswith(
        "wrote that, in the note of 12 November."
    )


def test_a_coordinator_names_the_pair_after_being_asked_whose_notes(chat: Chat) -> None:
    asked, named = talk(chat, "marisol", "what did they agree last time?", "noor and ingrid")
    assert "Whose notes should I look in?" in asked.message, asked.message
    assert named.intent == "search_notes" and "Noor and Ingrid's session" in named.message, named.message


def test_an_agenda_part_said_no_to_and_a_subject_leaned_into(chat: Chat) -> None:
    *_, dropped = talk(chat, "noor", "agenda for the 10th, 45 min", "no check-in, we'll dive straight in")
    assert dropped.slots.get("change") == "drop" and dropped.slots.get("ref") == 1, dropped.slots
    assert "Check-in" not in dropped.message, dropped.message
    *_, leaned = talk(
        chat, "priya", "topic ideas for the 3rd", "he's deep in the reforecast rn, so lean into that"
    )
    assert leaned.slots.get("focus") == "reforecast", leaned.slots
    *_, broad = talk(chat, "kai", "topics on graduate retention", "hmm wider. retention generally")
    assert broad.slots.get("change") == "focus" and broad.slots.get("focus") == "retention", broad.slots


def test_stalled_pairs_then_the_ones_close_to_stalling(chat: Chat) -> None:
    stalled, close = talk(
        chat, "marisol", "which pairs haven't met in 6 weeks", "any that are getting close?"
    )
    assert close.slots.get("about") == "stalling" and not close.slots.get("idle_days"), close.slots
    assert "before it counts as stalled" in close.message and len(close.message) > len(stalled.message)


def test_drafts_told_to_stop_apologising_and_to_fold_a_point_in(chat: Chat) -> None:
    *_, calmer, folded = talk(
        chat,
        "amara",
        "write rafael a msg to restart our sessions",
        "stop saying sorry so much",
        "fold the shorter format idea in too",
    )
    assert calmer.slots.get("lighter") and not calmer.slots.get("says"), calmer.slots
    assert "shorter format idea" in folded.message and folded.slots.get("change") == "other", folded.message


def test_more_specific_after_advice_and_one_paragraph_is_a_length(chat: Chat) -> None:
    *_, specific = talk(
        chat,
        "rafael",
        "how do i get things going again with amara after months of silence",
        "be more specific about the first session back",
    )
    assert specific.intent == "expand" and "first session back" in specific.message, specific.message
    *_, para = talk(chat, "marisol", "how is the program doing", "ok, one para for the board")
    assert para.slots.get("change") == "shorter" and not para.slots.get("count"), para.slots


def test_a_rule_asked_where_it_comes_from_and_an_action_asked_as_my_thing(chat: Chat) -> None:
    *_, source = talk(
        chat, "helen", "is there a minimum number of sessions per cycle?", "where does that come from?"
    )
    assert source.slots.get("sources"), source.slots
    *_, mine = talk(chat, "priya", "what's my thing for the ops leads meeting again?")
    assert "Priya: prepare a 10-minute slot on AI assistant tips" in mine.message, mine.message


def test_a_subject_said_ideally_a_capability_asked_with_or_and_now_an_agenda_on_it(chat: Chat) -> None:
    topics = talk(chat, "sofia", "ideas where gareth leads for a change, ideally key accounts")[-1]
    assert topics.slots.get("focus") == "key accounts", topics.slots
    able = talk(chat, "rafael", "Morning. Can this thing book rooms for me, or is it just advice?")[-1]
    assert able.intent == "capabilities", able.intent
    *_, agenda = talk(
        chat, "helen", "topics for the 8th on graduate retention", "now an agenda for 45 minutes"
    )
    assert agenda.intent == "agenda" and agenda.slots.get("focus") == "graduate retention", agenda.slots


def test_a_notes_answer_without_the_lines_on_a_subject(chat: Chat) -> None:
    first, skipped = talk(
        chat,
        "gareth",
        "what do our notes say about hybrid work?",
        "leave out the bits about the survey",
    )
    assert "survey" in first.message.lower(), first.message
    shown = skipped.message.split("**Sources:**")[0]
    assert skipped.slots.get("change") == "drop" and "survey" not in shown.split("\n", 1)[1].lower(), shown
    assert shown.startswith("I left out what the notes say about the survey."), shown


def test_a_notes_answer_without_a_named_item_then_without_its_first_note(chat: Chat) -> None:
    _, named, placed = talk(
        chat,
        "rafael",
        "what did we say about linkedin and the agendas",
        "Leave out the LinkedIn item, I know.",
        "and leave out the first one",
    )
    assert named.message.startswith("I left out what the notes say about linkedin."), named.message
    assert "LinkedIn" not in named.message.split("**Sources:**")[0], named.message
    kept = re.findall(r"note (amara-rafael-\d+)", placed.message)
    assert placed.message.startswith("I left out the note of") and kept, placed.message
    assert set(kept) < set(re.findall(r"note (amara-rafael-\d+)", named.message)), placed.message


def test_a_busy_person_after_pairings_is_kept_apart_from_their_match(chat: Chat) -> None:
    pairs, busy = talk(chat, "marisol", "suggest new pairings", "helen's already stretched tbh")
    partner = next(
        re.findall(r"\*\*(\w+)", line)[0].lower() for line in pairs.message.splitlines() if "Helen" in line
    )
    assert busy.slots.get("apart") == [partner, "helen"], busy.slots
    assert "kept apart" in busy.message, busy.message


def test_open_actions_on_my_side_then_on_the_partners(chat: Chat) -> None:
    mine, hers = talk(chat, "noor", "what's still open on my side?", "what about her side?")
    assert "Noor:" in mine.message and "Ingrid:" not in mine.message, mine.message
    assert "Ingrid:" in hers.message and "Noor:" not in hers.message, hers.message


def test_small_talk_and_a_length_are_not_subjects_and_one_more_question_is_not_one_more_item(
    chat: Chat,
) -> None:
    week = talk(
        chat, "priya", "hey! survived the week from hell lol. what shld i bring up w martin on thurs"
    )[-1]
    assert week.intent == "topics" and week.slots.get("focus") is None, week.slots
    short = talk(
        chat,
        "helen",
        "I have about five minutes. Topics for Kai on the 8th, perhaps on why analysts keep leaving?",
    )
    assert short[-1].slots.get("focus") == "analyst retention", short[-1].slots
    *_, another = talk(
        chat,
        "amara",
        "did we ever talk about AI for contracts",
        "sorry one more - when did i shadow the network review",
    )
    assert another.intent == "search_notes" and "June" in another.message, another.message
    *_, line = talk(chat, "kai", "topics for the 8th", "one line pls")
    assert line.slots.get("change") == "shorter" and not line.slots.get("count"), line.slots


def test_the_next_cycle_asked_why_a_new_match_and_kept_whole(chat: Chat) -> None:
    *_, why, keep = talk(
        chat,
        "marisol",
        "suggest new pairs if we reshuffle everyone next cycle",
        "what's the reasoning for kai's new match",
        "keep priya and martin together though",
    )
    assert why.intent == "expand" and why.message.startswith("**Kai Nakamura"), why.message
    assert keep.slots.get("unsupported") and "here it is as it was" in keep.message, keep.message


def test_a_nudge_to_the_stalled_pair_after_the_pairs_close_to_stalling(chat: Chat) -> None:
    *_, nudge = talk(
        chat,
        "marisol",
        "who hasnt met in 6 weeks?",
        "and anyone close to that?",
        "draft a nudge to the stalled pair",
    )
    assert nudge.intent == "draft_message" and "Amara and Rafael" in nudge.message, nudge.message


def test_session_figures_since_a_month_split_by_month(chat: Chat) -> None:
    *_, split = talk(
        chat, "marisol", "how many sessions have been held since march?", "can u split it by month"
    )
    assert split.slots.get("by_month") and "since the start of March" in split.message, split.message
    assert "**April" in split.message and "**November" in split.message, split.message


def test_an_item_of_an_earlier_list_named_by_its_place_after_another_answer(chat: Chat) -> None:
    topics, _, back = talk(
        chat,
        "ingrid",
        "topics for my half with noor on the 10th, presenting to the board",
        "now a 45 minute agenda with those in the second half",
        "the first of the topics - what would I actually show her?",
    )
    first = re.search(r"1\. \*\*(.+?)\*\*", topics.message)
    assert back.intent == "expand" and back.slots.get("task") == "topics", back.slots
    assert first and back.message.startswith(f"**{first.group(1)}**"), back.message


def test_a_request_verb_is_no_subject_and_a_count_after_also(chat: Chat) -> None:
    first, fewer = talk(
        chat, "martin", "Suggest topics for 17 December.", "also make it 2 not 3, he's only got a short slot"
    )
    assert first.intent == "topics" and first.slots.get("focus") is None, first.slots
    assert fewer.slots.get("change") == "count" and fewer.slots.get("count") == 2, fewer.slots
    assert len(re.findall(r"^\d\. ", fewer.message, re.M)) == 2, fewer.message


def test_the_length_a_session_really_gets(chat: Chat) -> None:
    *_, moved = talk(
        chat, "priya", "need an agenda for 3 dec, we've got 45 min", "actually his PA moved it, only 30 now"
    )
    assert moved.slots.get("minutes") == 30 and "30-minute session" in moved.message, moved.message
    *_, given = talk(
        chat, "kai", "agenda for tues w helen?", "she usually only gives me 30 even tho its booked for 45"
    )
    assert given.slots.get("minutes") == 30, given.slots


def test_a_part_asked_to_fit_in_is_added(chat: Chat) -> None:
    *_, added = talk(
        chat, "kai", "agenda for tues w helen?", "can the expense tool walkthrough fit in there too"
    )
    assert added.slots.get("add", {}).get("title") == "expense tool walkthrough", added.slots
    assert "**Expense tool walkthrough**" in added.message, added.message


def test_a_subject_said_before_what_is_preferred(chat: Chat) -> None:
    *_, town_hall = talk(
        chat,
        "martin",
        "Suggest topics for 17 December.",
        "The graduates raised hybrid work again at the town hall. I would prefer that.",
    )
    assert town_hall.slots.get("focus") == "hybrid work", town_hall.slots
    *_, linked = talk(
        chat,
        "amara",
        "topics for rafael?",
        "he's knee deep in the iberia integration so maybe stuff linked to that",
    )
    assert linked.slots.get("change") == "focus" and linked.slots.get("focus") == "iberia integration"


def test_program_health_as_a_paragraph_without_names_then_with_them(chat: Chat) -> None:
    listed, paragraph, named = talk(
        chat,
        "marisol",
        "which pairs need attention",
        "give me that as a paragraph for the board, no individual names",
        "and with names",
    )
    assert "\n1. " in listed.message and "Kai Nakamura" in listed.message, listed.message
    assert paragraph.message.startswith("The same in one paragraph, without names."), paragraph.message
    assert "\n1. " not in paragraph.message and "Pair 1 (stalled)" in paragraph.message, paragraph.message
    for name in ("Kai", "Helen", "Amara", "Rafael", "Sofia", "Gareth", "Noor", "Ingrid"):
        assert name not in paragraph.message, name
    assert named.message.startswith("The same, with names.") and "Kai Nakamura" in named.message


def test_pushbacks_on_advice_and_drafts_said_by_a_reason(chat: Chat) -> None:
    *_, pushed = talk(
        chat,
        "sofia",
        "gareth keeps not preparing his part, how do i make sure he does it next time",
        "he's agreed before and then not done it, so 'remind him' isnt gonna cut it",
    )
    assert pushed.intent == "edit" and pushed.slots.get("change") == "other", pushed.slots
    *_, guilt, length, omit = talk(
        chat,
        "amara",
        "can u help me write to rafael to restart our sessions, it's been since early sept",
        "don't guilt trip him, the iberia deal isnt his fault",
        "add that 30 min is totally fine",
        "Omit the reference to the first session back.",
    )
    assert guilt.slots.get("tone"), guilt.slots
    assert length.slots.get("minutes") == 30 and "Forty-five" not in length.message, length.message
    assert omit.slots.get("change") == "drop", omit.slots


def test_a_how_we_do_it_subject_keeps_its_verb(chat: Chat) -> None:
    asked = talk(
        chat, "gareth", "I owe Sofia 15 minutes on how we negotiate with key suppliers. Give me an outline."
    )
    assert asked[-1].slots.get("focus") == "negotiating with key suppliers", asked[-1].slots


def test_a_coordinators_question_about_a_pair_with_a_reason_after_it(chat: Chat) -> None:
    asked = talk(chat, "marisol", "is kai & helen's pair ok now? helen flagged the cancellations back in may")
    assert asked[-1].intent == "program_health" and "Kai Nakamura and Helen" in asked[-1].message


def test_a_reply_that_says_more_answers_the_question_asked_back(chat: Chat) -> None:
    vague, more = talk(chat, "amara", "is that allowed", "i mean not meeting for 2+ months bc he's busy")
    assert vague.intent == "clarify", vague.intent
    assert more.intent == "ask" and "session a month" in more.message, more.message


def test_an_action_said_done_after_a_brief_leaves_the_open_actions(chat: Chat) -> None:
    brief, done = talk(
        chat, "helen", "Brief for 8 December, please.", "I checked the hedging figures last week."
    )
    assert "check the figures in Kai's hedging case" in brief.message.split("## Open actions")[1]
    assert done.slots.get("done") and done.message.startswith("Good, that's done"), done.message
    open_now = done.message.split("## Open actions")[1].split("##")[0]
    assert "hedging" not in open_now and "fixed fortnightly slot" in open_now, open_now


def test_an_item_named_by_what_it_says_then_asked_about(chat: Chat) -> None:
    *_, asked = talk(
        chat,
        "kai",
        "helen cancelled AGAIN. what do i do",
        "the bit about a shorter slot — would she go for that or is that me giving up",
    )
    assert asked.intent == "expand" and asked.slots.get("ref"), asked.slots
    *_, backup = talk(
        chat,
        "sofia",
        "agenda for thurs w gareth, 50 min, and put his 15 min first pls",
        "what if he turns up without it again",
    )
    assert backup.slots.get("change") != "drop", backup.slots  # a what-if, nothing taken out


def test_one_paragraph_for_the_report_names_each_pair_and_its_flag(chat: Chat) -> None:
    *_, para = talk(chat, "marisol", "which pairs need attention", "ok, one para for the report")
    assert para.slots.get("change") == "shorter" and para.slots.get("paragraph"), para.slots
    assert "\n1. " not in para.message and "Amara Obi and Rafael Montoya (stalled)" in para.message


def test_a_members_own_cadence_after_a_rule_is_that_rule_for_their_case(chat: Chat) -> None:
    *_, ours = talk(
        chat,
        "kai",
        "is it ok to meet less than twice a month if the exec is super busy? and does that count as stalled",
        "we've had one session in oct and none so far in nov",
    )
    assert ours.intent == "ask" and "six weeks" in ours.message, ours.message
    *_, which = talk(
        chat, "sofia", "can i show gareth one of my private notes", "its the one where i vented lol"
    )
    assert which.intent == "ask" and which.slots.get("context"), which.slots


def test_a_reply_that_restates_the_request_is_read_whole(chat: Chat) -> None:
    *_, recap = talk(
        chat,
        "kai",
        "can u do the same for helen",
        "sorry, i mean a recap of what we covered since the summer",
    )
    assert recap.intent == "brief", recap.intent


def test_the_same_notes_question_asked_of_the_asker(chat: Chat) -> None:
    *_, mine = talk(chat, "sofia", "what's still open for gareth", "and for me?")
    assert "Sofia: book a three-way check-in with Marisol" in mine.message, mine.message
    assert "Gareth:" not in mine.message, mine.message


def test_when_we_last_met_and_what_was_left_open(chat: Chat) -> None:
    asked = talk(chat, "rafael", "When did Amara and I last meet, and what was left open?")[-1]
    assert asked.slots.get("focus") is None, asked.slots
    assert asked.message.startswith("You last met on 3 September.") and "(open)" in asked.message, (
        asked.message
    )


def test_the_notes_on_what_a_rule_question_was_about(chat: Chat) -> None:
    *_, noted = talk(
        chat,
        "gareth",
        "Is the three-way check-in with Marisol something I have to attend?",
        "What did Sofia note about it?",
    )
    assert noted.intent == "search_notes" and noted.slots.get("focus") == "three-way check-in", noted.slots
    assert "Marisol" in noted.message, noted.message


def test_an_outline_of_ones_own_part_made_shorter_and_a_part_turned_down(chat: Chat) -> None:
    outline, fewer, turned = talk(
        chat,
        "gareth",
        "I owe Sofia 15 minutes on how we negotiate with key suppliers. Give me an outline.",
        "Too much. Three points.",
        "Point two: I can't discuss live contract terms with her.",
    )
    assert len(re.findall(r"^\d\. ", outline.message, re.M)) == 4, outline.message
    parts = re.findall(r"^\d\. \*\*(.+?)\*\*: (\d+) min", fewer.message, re.M)
    assert [p for p, _ in parts] == ["Why it matters", "One real case", "Sofia's questions"], parts
    assert sum(int(m) for _, m in parts) == 15, parts
    assert turned.slots.get("change") == "swap" and turned.slots.get("ref") == 2, turned.slots
    assert turned.message.startswith("Offline I can't write another part in its place"), turned.message
    assert "Here it is as it was." in turned.message and "**One real case**" in turned.message


def test_a_reason_a_message_should_be_shorter(chat: Chat) -> None:
    *_, shorter = talk(
        chat,
        "marisol",
        "draft a reminder to all the mentors about the pulse survey",
        "people dont read long emails here",
    )
    assert shorter.slots.get("change") == "shorter", shorter.slots


def test_the_assistants_own_view_after_a_rule_is_the_rule_or_an_honest_no(chat: Chat) -> None:
    _, covered = talk(chat, "marisol", "how long should sessions last", "what would you suggest I tell her?")
    assert covered.slots.get("opinion") == "own", covered.slots
    assert covered.message.startswith("The guidelines answer this") and "30 and 60 minutes" in covered.message
    _, uncovered = talk(
        chat,
        "marisol",
        "can executives get a certificate at the end?",
        "What do other programmes usually do?",
    )
    assert uncovered.message.startswith("I only know this program's guidelines"), uncovered.message
    assert "won't make a policy up" in uncovered.message, uncovered.message


def test_a_month_missing_from_the_pulse_is_explained_without_counts(chat: Chat) -> None:
    shown, missing, listed, slide = talk(
        chat,
        "marisol",
        "Can you break the usefulness down by month?",
        "Why is September missing?",
        "what about november",
        "Make it two sentences I can paste onto a slide",
    )
    assert shown.slots.get("about") == "feedback" and "**November 2026**" in shown.message, shown.message
    assert missing.slots.get("left_out") == 9, missing.slots
    assert missing.message.startswith("September is left out on purpose") and "at least 3" in missing.message
    assert listed.message.startswith("November 2026: 3.8"), listed.message
    assert "each pair and what is flagged" not in slide.message and "\n1. " not in slide.message, (
        slide.message
    )
    assert "out of 5 for usefulness" in slide.message, slide.message


def test_several_figures_at_once_get_the_overview_with_the_pulse(chat: Chat) -> None:
    figures = talk(
        chat,
        "marisol",
        "I need figures for the leadership update: how many pairs are active, how many have stalled, and "
        "average usefulness.",
    )[-1]
    assert "about" not in figures.slots and "1 pair stalled" in figures.message, figures.message
    assert "out of 5 for usefulness" in figures.message, figures.message


def test_whether_figures_may_be_quoted_follows_what_they_show(chat: Chat) -> None:
    _, averages = talk(
        chat,
        "marisol",
        "Have the self-ratings moved between start and end of cycle?",
        "can i quote that to leadership or is the group too small",
    )
    assert averages.slots.get("quotable") and averages.message.startswith("Yes."), averages.message
    _, named = talk(
        chat,
        "marisol",
        "which pairs need attention",
        "can i share this with the sponsor or does it identify anyone?",
    )
    assert named.message.startswith("Not as it stands"), named.message


def test_a_coordinator_asking_whether_to_step_in_gets_the_coordinators_steps(chat: Chat) -> None:
    _, step_in = talk(
        chat,
        "marisol",
        "What's the pattern with kai and helen?",
        "Should I step in there or leave them to it?",
    )
    assert step_in.intent == "coach" and "Cancellations and scheduling" in step_in.message, step_in.message
    assert "contact both members separately within a week" in step_in.message, step_in.message
    assert "For the mentor" not in step_in.message and "{partner}" not in step_in.message
    mentor = talk(chat, "kai", "helen keeps cancelling on me")[-1]
    assert "separately within a week" not in mentor.message, mentor.message


def test_who_had_no_session_in_a_month_is_named_first(chat: Chat) -> None:
    asked = talk(chat, "marisol", "Quick one: who hasn't had a session yet in November?")[-1]
    assert asked.slots.get("about") == "sessions" and asked.slots.get("month") == 11, asked.slots
    assert "No session held that month: Amara Obi & Rafael Montoya and Kai Nakamura & Helen Drummond" in (
        asked.message
    )


def test_items_said_to_become_another_subject_or_to_repeat_another(chat: Chat) -> None:
    *_, middle = talk(
        chat, "kai", "agenda for tues w helen", "can the middle bit be the expense tool walkthrough"
    )
    assert middle.slots.get("change") == "swap" and middle.slots.get("focus") == "expense tool walkthrough"
    *_, repeat = talk(chat, "noor", "topic ideas for ingrid on AI", "the 3rd is basically the 1st again")
    assert repeat.slots.get("change") == "swap" and repeat.slots.get("ref") == 3, repeat.slots
    *_, every = talk(
        chat, "ingrid", "Give me two topics where I teach her something", "Both on electrification, please."
    )
    assert every.slots.get("change") == "focus" and every.slots.get("focus") == "electrification", every.slots
    *_, that = talk(
        chat,
        "helen",
        "What should Kai and I cover on the 8th?",
        "Replace the first with something on that expense tool he keeps mentioning.",
    )
    assert that.slots.get("focus") == "expense tool", that.slots
    *_, same = talk(chat, "sofia", "gareth topics for dec 10", "these r all still me presenting tho")
    assert same.slots.get("change") == "other", same.slots


def test_drop_it_after_asking_about_a_block_means_that_block(chat: Chat) -> None:
    agenda, _, dropped = talk(
        chat,
        "amara",
        "30 min agenda for me and rafael, first one back",
        "whats the point of the 2nd block",
        "drop it then",
    )
    second = re.findall(r"^2\. \*\*(.+?)\*\*", agenda.message, re.M)[0]
    assert dropped.slots.get("ref") == 2 and f"**{second}**" not in dropped.message, dropped.message
    assert dropped.message.startswith("I left that part out"), dropped.message


def test_the_executives_only_part_is_kept_and_said_so(chat: Chat) -> None:
    agenda, kept = talk(chat, "amara", "30 min agenda for me and rafael", "drop the 3rd block")
    third = re.findall(r"^3\. \*\*(.+?)\*\*", agenda.message, re.M)[0]
    assert "led by the executive" in agenda.message.split(third)[1].split("\n")[0], agenda.message
    assert kept.message.startswith("That is the only part the executive leads"), kept.message
    assert f"**{third}**" in kept.message, kept.message


def test_a_draft_told_what_to_put_in_and_how_loose(chat: Chat) -> None:
    *_, put_in, loose = talk(
        chat,
        "amara",
        "i need to message rafael, we havent met since sept. can u help me draft smth",
        "good but put in 30 min every 2 wks and that teams is fine",
        "it's going in a Teams chat, so loosen it up",
    )
    assert "How about 30 minutes every 2 weeks? Teams is fine." in put_in.message, put_in.message
    assert "Forty-five minutes" not in put_in.message, put_in.message
    assert loose.slots.get("lighter") and loose.slots.get("change") == "other", loose.slots


def test_a_day_before_the_question_is_a_brief_and_other_counts_are_not_shorter(chat: Chat) -> None:
    brief = talk(chat, "helen", "Before the 8th: what is outstanding on my side?")[-1]
    assert brief.intent == "brief", brief.intent
    *_, two = talk(
        chat, "priya", "ideas for martin", "and only 2 ideas, we'll spend half the time on my AI tips thing"
    )
    assert two.slots.get("change") == "count" and two.slots.get("count") == 2, two.slots
    *_, clash = talk(
        chat, "martin", "45-minute agenda for 3 December please.", "Cut it to 30, I've got a clash at 9."
    )
    assert clash.slots.get("minutes") == 30, clash.slots


def test_one_pairs_rotation_says_whether_it_may_renew_and_who_is_proposed(chat: Chat) -> None:
    asked, again = talk(
        chat,
        "marisol",
        "Priya and Martin are doing really well. Would it be a waste to rotate them at the end of this "
        "cycle?",
        "What would they each get from a new partner, realistically?",
    )
    assert asked.message.startswith("**Priya Raman and Martin Achterberg** finished their"), asked.message
    assert "may renew for one further cycle" in asked.message, asked.message
    proposed = re.findall(r"^\d\. Proposed: (.+)$", asked.message, re.M)
    assert proposed and all("Priya" in p or "Martin" in p for p in proposed), proposed
    assert "Sofia" not in asked.message and again.message == asked.message, again.message
    other = talk(chat, "marisol", "rotate sofia and kai")[-1]  # not a pair: the whole plan
    assert other.message.startswith("5 pairs finished"), other.message


def test_what_someone_promised_last_time_includes_what_they_still_owe(chat: Chat) -> None:
    promised = talk(chat, "sofia", "what did gareth promise last time")[-1]
    assert promised.message.startswith(
        "Your last session (19 November) recorded these actions on Gareth's side"
    )
    assert "negotiates with key suppliers (still open)" in promised.message, promised.message
    assert "Sofia:" not in promised.message, promised.message


def test_a_reminder_to_all_participants_says_its_subject_and_date_and_takes_a_greeting(chat: Chat) -> None:
    reminder, cut, greeted = talk(
        chat,
        "marisol",
        "write the reminder for the mid-cycle survey, goes to all 10 participants, due friday 4 dec",
        "cut the last paragraph",
        "start it with 'Dear all'",
    )
    assert "all participants (10)" in reminder.message, reminder.message
    assert "> Hi all," in reminder.message and "the mid-cycle survey" in reminder.message, reminder.message
    assert "It's due friday 4 dec." in reminder.message, reminder.message
    assert cut.message.startswith("This is as short as I can make it"), cut.message  # not "a shorter version"
    assert "> Dear all," in greeted.message and "> Hi all," not in greeted.message, greeted.message
    assert "the mid-cycle survey" in greeted.message, greeted.message


def test_a_reply_i_can_send_after_a_rule_is_a_draft_and_simpler_is_shorter(chat: Chat) -> None:
    asked = "a participant asks: 'can my exec's EA sit in on our sessions to take notes?'"
    *_, reply = talk(chat, "marisol", asked, "give me a 2 line reply i can send back")
    assert reply.intent == "draft_message" and "**Subject:**" in reply.message, reply.message
    *_, simpler = talk(
        chat, "kai", "can an EA sit in on our sessions?", "say that again but simpler, im tired"
    )
    assert simpler.slots.get("change") == "shorter", simpler.slots


def test_an_item_judged_too_much_is_swapped_and_the_length_beats_minutes_late(chat: Chat) -> None:
    topics, swapped = talk(chat, "noor", "topic ideas for ingrid on ai", "the 3rd is too techy for her")
    assert swapped.slots.get("change") == "swap" and swapped.slots.get("ref") == 3, swapped.slots
    third = re.findall(r"^3\. \*\*(.+?)\*\*", topics.message, re.M)[0]
    assert f"**{third}**" not in swapped.message, swapped.message
    *_, made = talk(chat, "kai", "agenda for tues, 45 min", "make it 40, she's always 5 min late")
    assert made.slots.get("minutes") == 40, made.slots
    *_, back = talk(
        chat, "priya", "topic ideas for martin", "just 2", "wait no go back to 3, the one u cut was best"
    )
    assert back.slots.get("change") == "count" and back.slots.get("count") == 3, back.slots


@pytest.mark.parametrize(
    "message",
    [
        "he replied!!! he can do the 8th from madrid on teams. agenda? 30 min",
        "Please draft an agenda for the 10th. Forty-five minutes, on Teams as I'll be in Aberdeen. "
        "Noor leads the first half.",
    ],
)
def test_where_and_how_a_session_happens_is_not_its_subject(chat: Chat, message: str) -> None:
    agenda = talk(chat, "ingrid", message)[-1]
    assert agenda.intent == "agenda" and not agenda.slots.get("focus"), agenda.slots


def test_what_i_said_after_a_brief_is_searched_and_open_between_us_is_both_sides(chat: Chat) -> None:
    *_, said = talk(
        chat,
        "helen",
        "Brief me for Tuesday's session with Kai, please.",
        "What exactly did I say I'd do about the hedging case?",
    )
    assert said.intent == "search_notes" and said.slots.get("focus") == "hedging case", said.slots
    assert "check the figures in Kai's hedging case" in said.message, said.message
    both = talk(chat, "kai", "whats still open between me and helen")[-1]
    assert both.message.startswith("3 actions are still open between you"), both.message
    assert "Kai: prepare a walkthrough of the new expense tool" in both.message, both.message
    *_, sent = talk(
        chat,
        "rafael",
        "What did Amara and I agree at our last session?",
        "Has she sent the proposal for the shorter format?",
    )
    assert sent.intent == "search_notes", sent.intent


def test_a_long_preamble_is_not_what_the_notes_are_searched_for(chat: Chat) -> None:
    owed = talk(
        chat,
        "martin",
        "Good morning. I have Marisol's mid-cycle check-in form in front of me and I'd like to be honest "
        "about what's working. Could you remind me what Priya and I have covered since September, and what "
        "I still owe her?",
    )[-1]
    assert "post on LinkedIn once a month" in owed.message, owed.message
    assert "pick two budget lines for Priya to shadow" in owed.message, owed.message


def test_advice_asked_after_a_rule_coaches_on_that_situation(chat: Chat) -> None:
    *_, advice = talk(
        chat,
        "gareth",
        "Marisol's mid-point survey asks me to rate how much I've contributed as a teacher. Honestly, not "
        "much. Does that matter for the program?",
        "What would you suggest I do about it before the review?",
    )
    assert advice.intent == "coach", advice.intent
    assert "“One-way exchange”" in advice.message.split("\n")[0], advice.message


def test_a_point_made_clear_is_added_to_the_draft(chat: Chat) -> None:
    *_, clear = talk(
        chat,
        "rafael",
        "Draft a message to Amara proposing we pick up again in January.",
        "Make it clear this is about my workload, not about her.",
    )
    assert "This is about my workload, not about you." in clear.message, clear.message


def test_the_pulse_by_role_then_overall_then_by_month(chat: Chat) -> None:
    by_role, enough, overall, monthly = talk(
        chat,
        "marisol",
        "how do the pulse scores compare between mentors and execs",
        "is that enough people to report it by role though",
        "ok just the overall then",
        "and by month?",
    )
    assert re.search(r"^1\. \*\*Mentors\*\*: \d\.\d, from \d+ people$", by_role.message, re.M), (
        by_role.message
    )
    assert re.search(r"^2\. \*\*Executives\*\*: ", by_role.message, re.M), by_role.message
    assert enough.message.startswith("Yes. Every figure shown is an average over at least 3"), enough.message
    for answer in (overall, monthly):
        assert "Mentors" not in answer.message and "**November 2026**" in answer.message, answer.message


def test_the_pulse_by_role_leaves_out_a_side_with_too_few_people(assistant: Assistant) -> None:
    with assistant.session(write=False) as session:
        trend = pulse.pulse_trend(session, 100, dt.date(2026, 12, 6))
    assert [r.role for r in trend.roles] == ["mentor", "executive"], trend.roles
    assert not any(r.reported or r.mean_usefulness is not None for r in trend.roles), trend.roles


def test_figures_asked_since_a_month_and_narrowed_after_figures(chat: Chat) -> None:
    numbers = talk(
        chat,
        "marisol",
        "need numbers for the leadership update: how many pairs active, sessions held since sept, "
        "avg usefulness",
    )[-1]
    assert re.search(r"Since 1 September \(\d+ sessions held\)", numbers.message), numbers.message
    *_, unplanned = talk(
        chat, "marisol", "who hasnt met in the last month", "and who has nothing in the diary"
    )
    assert unplanned.intent == "program_health" and unplanned.slots.get("unplanned"), unplanned.slots
    one, _, unnamed = talk(
        chat,
        "marisol",
        "is the program working? need an honest one liner for the exec committee",
        "longer pls, they'll ask for evidence",
        "take out anything that points to one pair",
    )
    assert len(one.message.split("\n")) == 1 and "(stalled)" in one.message, one.message
    assert "Amara" not in unnamed.message and "Pair 1" in unnamed.message, unnamed.message


def test_same_question_for_another_pair_asks_it_of_that_pair(chat: Chat) -> None:
    *_, other = talk(
        chat,
        "marisol",
        "for the next cycle should priya-martin stay together or rotate? they'll have done 2 cycles",
        "same question for noor-ingrid",
    )
    assert other.message.startswith("**Noor Haddad and Ingrid Solberg**"), other.message


def test_a_part_named_by_its_subject_is_asked_about_and_a_missing_topic_is_said(chat: Chat) -> None:
    _, part, whole = talk(
        chat,
        "martin",
        "I'd like to propose an agenda for the 17th. 45 minutes, my half on the Q1 reforecast.",
        "What should I actually show her in the reforecast part?",
        "Make the whole thing 30 minutes, I'll be just back from travelling.",
    )
    assert part.intent == "expand" and part.message.startswith("**Executive-led exchange: Q1 reforecast**")
    assert whole.slots.get("minutes") == 30 and not whole.slots.get("focus"), whole.slots
    topics, missing = talk(chat, "rafael", "Topics for Amara on graduates", "Swap the LinkedIn one.")
    assert "LinkedIn" not in topics.message, topics.message  # nothing to swap
    assert missing.message.startswith("None of these topics is about LinkedIn, so nothing was replaced.")
    assert missing.message.split("\n", 1)[1].strip() == topics.message.strip(), missing.message


def test_an_opening_part_named_by_what_it_does_is_dropped_by_name(chat: Chat) -> None:
    agenda, dropped = talk(
        chat,
        "marisol",
        "agenda for a 3 way check in with sofia and gareth, 30 min",
        "and take out the icebreaker, they know each other",
    )
    first = re.findall(r"^1\. \*\*(.+?)\*\*", agenda.message, re.M)[0]
    assert dropped.message.startswith("I left that part out and gave its time"), dropped.message
    assert f"**{first}**" not in dropped.message, dropped.message


def test_a_coordinator_sketches_the_next_cycle_moves_it_and_leaves_out_a_step(chat: Chat) -> None:
    """The cycle's steps from knowledge/cycle.yaml, dated from the kickoff said, each cited."""
    sketch, pushed, midpoint, dropped = talk(
        chat,
        "marisol",
        "sketch the next cycle for me: kick-off, midpoint, close. starting mid jan",
        "push everything back 2 weeks, jan is dead",
        "the midpoint review, what shd it include",
        "drop the survey, we're doing that differently this time",
    )
    assert sketch.intent == "rotation" and "from a kickoff on 15 January" in sketch.message, sketch.message
    assert "**Midpoint check-in**, week of 16 April" in sketch.message, sketch.message
    assert "pairing-and-rotation.md › Cycle length" in sketch.message, sketch.message
    assert pushed.message.startswith("Here it is with the kickoff on 29 January"), pushed.message
    assert midpoint.intent == "expand" and midpoint.message.startswith(
        "**Midpoint check-in**, week of 30 April"
    )
    assert "survey" in sketch.message and "survey**" not in dropped.message, dropped.message
    assert "**Kickoff session**, 29 January" in dropped.message, dropped.message


def test_an_item_of_the_notes_asked_about_by_its_subject_is_searched_for(chat: Chat) -> None:
    _, linkedin = talk(
        chat,
        "priya",
        "whats still open between us",
        "and the linkedin one, has he posted anything since sept?",
    )
    assert linkedin.intent == "search_notes" and linkedin.slots.get("focus") == "linkedin", linkedin.slots
    assert "One post in September, none in October" in linkedin.message, linkedin.message


def test_requests_after_a_brief_advice_or_a_draft_are_read_as_said(chat: Chat) -> None:
    *_, drafted = talk(
        chat,
        "ingrid",
        "Prep brief for my session with Noor on the 10th, please.",
        "Draft a message to Noor saying it's done, link to follow.",
    )
    assert drafted.intent == "draft_message" and "It's done, link to follow." in drafted.message, (
        drafted.message
    )
    _, way = talk(
        chat,
        "ingrid",
        "I keep promising Noor a LinkedIn post and not doing it. Am I wasting her time?",
        "Give me a way to actually get it done before the 10th.",
    )
    assert way.intent == "coach" and "Action items that never get done" in way.message, way.message
    _, rule = talk(
        chat,
        "kai",
        "did we actually write down anywhere that were continuing after the cycle?",
        "do we need marisol to sign off on it or is it just between us",
    )
    assert rule.intent == "ask", rule.slots
    _, spelling, separate = talk(
        chat,
        "marisol",
        "need a thank you msg to all the pairs for the end of the year, warm but short",
        "british spelling pls, its going to the uk depots",
        "and a separate note to kai and helen asking if they can move the 8th",
    )
    assert spelling.intent == "edit" and spelling.slots["task"] == "draft_message", spelling.slots
    assert separate.intent == "draft_message" and "Kai and Helen" in separate.message, separate.message


def test_an_admin_asking_what_deleting_a_pair_does_gets_the_rule_not_an_edit(chat: Chat) -> None:
    _, asked = talk(
        chat,
        "jonas",
        "which pairs are at the end of their cycle",
        "what happens to their notes if I delete the amara-rafael pair",
    )
    assert asked.intent == "ask" and "twelve months" in asked.message, asked.message


def test_a_coordinators_note_for_one_purpose_says_only_that(chat: Chat) -> None:
    (invite,) = talk(
        chat, "marisol", "draft an invite for noor and ingrid to confirm their second cycle dates"
    )
    assert invite.payload is not None and invite.payload["subject"] == "A quick note", invite.payload
    assert "getting in the way" not in invite.payload["body"], invite.payload["body"]
    assert "confirm your second cycle dates" in invite.payload["body"], invite.payload["body"]
    (checking,) = talk(chat, "marisol", "draft a check-in to kai and helen, mention the survey closes friday")
    assert checking.payload is not None and "checking in" in checking.payload["body"], checking.payload


def test_new_matches_asked_for_two_people_who_may_not_renew(chat: Chat) -> None:
    (matches,) = talk(
        chat, "marisol", "for next cycle, if sofia and gareth dont renew, who could each of them go with"
    )
    assert matches.intent == "pairing", matches.intent
    first, second = re.findall(r"^\d\. (.+)$", matches.message, re.M)[:2]
    assert "Sofia" in first and "Gareth" in second and "Gareth" not in first, matches.message  # apart
    (renew,) = talk(
        chat, "marisol", "cycle 2 is coming up, what should we do about sofia & gareth, carry on or rematch?"
    )
    assert renew.intent == "rotation", renew.intent


def test_a_part_added_to_an_agenda_past_advice_goes_where_it_says(chat: Chat) -> None:
    *_, added = talk(
        chat,
        "sofia",
        "agenda for 10 dec, 50 min, his supplier negotiation bit goes first like we agreed",
        "and if he hasnt prepared AGAIN whats my plan b",
        "add a closing bit to the agenda where we each say one thing we learned this cycle",
    )
    assert added.intent == "edit" and added.slots["task"] == "agenda", added.slots
    titles = re.findall(r"^\d\. \*\*(.+?)\*\*", added.message, re.M)
    assert "We each say one thing we learned this cycle" in titles[-2:], added.message  # before the wrap-up


def test_a_follow_up_question_that_says_its_own_subject_is_answered_on_its_own(chat: Chat) -> None:
    first, second = talk(
        chat,
        "marisol",
        "forwarding from a mentor: 'can i keep my notes after the program ends or do they get deleted?'",
        "and do execs keep access to shared notes once the pair has ended",
    )
    assert "context" not in second.slots and second.message != first.message, second.message


def test_a_nudge_about_one_action_names_that_action(chat: Chat) -> None:
    (nudge,) = talk(
        chat,
        "kai",
        "can u draft a msg to helen reminding her about checking the numbers in the hedging case, "
        "the grads are waiting for it",
    )
    assert nudge.payload is not None and nudge.payload["subject"] == "A gentle nudge", nudge.payload
    assert "hedging case" in nudge.payload["body"] and "fixed fortnightly slot" not in nudge.payload["body"]


def test_a_brief_made_into_three_bullets(chat: Chat) -> None:
    _, bullets = talk(
        chat, "priya", "brief for thursday pls", "can u make the whole thing 3 bullets, reading it on the bus"
    )
    assert bullets.intent == "edit" and bullets.slots.get("count") == 3, bullets.slots


def test_what_a_pair_got_done_lists_the_actions_reported_done(chat: Chat) -> None:
    (done,) = talk(
        chat,
        "noor",
        "writing a little end of year reflection for myself, what did ingrid and i actually get done this "
        "year according to the notes",
    )
    assert re.match(r"\d+ actions between you were reported done; \d+ (?:are|is) still open:", done.message)
    assert "Ingrid: trial a self-rostering pilot at one depot (done)" in done.message, done.message
    assert "(open)" not in done.message and "Private." not in done.message, done.message
    (mine,) = talk(chat, "noor", "what have I achieved")
    assert "on your side" in mine.message and "Ingrid:" not in mine.message, mine.message


def test_what_the_message_would_say_after_advice_drafts_it_and_records_changes_are_refused(
    chat: Chat,
) -> None:
    *_, drafted = talk(
        chat,
        "amara",
        "rafael and i havent met since september and i think the cycle is basically over. is it weird to ask "
        "for one proper last session just to close it off?",
        "what wd the message say",
    )
    assert drafted.intent == "draft_message" and "Hi Rafael," in drafted.message, drafted.message
    (archive,) = talk(chat, "jonas", "end of cycle cleanup. can you archive pairs from here")
    assert archive.intent == "capabilities" and archive.message.startswith("I can't change users or pairs")


def test_a_pair_said_to_be_staying_is_kept_in_the_matching(chat: Chat) -> None:
    _, kept = talk(chat, "marisol", "suggest pairings for next cycle", "sofia's staying with gareth tho")
    assert kept.intent == "edit" and kept.slots.get("kept") == ["sofia", "gareth"], kept.slots
    assert kept.message.startswith("Here is the best complete matching with Sofia and Gareth kept together.")
    assert "**Sofia Petrović** with **Gareth Llewellyn**" in kept.message, kept.message


def test_an_item_dropped_by_its_subject_can_be_put_back(chat: Chat) -> None:
    *_, dropped, back = talk(
        chat,
        "priya",
        "agenda for 17 dec, 45 min - reforecast stuff + his linkedin thing",
        "drop linkedin then",
        "nvm put linkedin back in, he'll want it for a new year post",
    )
    assert dropped.intent == "edit" and dropped.slots.get("change") == "drop", dropped.slots
    parts = [line for line in dropped.message.splitlines() if re.match(r"\d\. \*\*", line)]
    assert parts and not [p for p in parts if "LinkedIn**" in p], dropped.message
    assert back.message.startswith("I put that back in."), back.message
    assert "Building a credible presence on LinkedIn" in back.message, back.message


def test_a_draft_to_the_executives_office_books_through_it_and_copies_people_in(chat: Chat) -> None:
    *_, office, copied = talk(
        chat,
        "kai",
        "helens office just cancelled the 8th. again. year end close apparently",
        "can u draft it, to her EA not her",
        "cc marisol",
    )
    assert "send to Helen's office:" in office.message and "> Hello," in office.message, office.message
    assert "I'm Kai, Helen's partner in the reverse mentoring program." in office.message, office.message
    assert "copying in Marisol" in copied.message and "I copied in Marisol." in copied.message


def test_a_how_question_after_advice_stays_on_that_challenge(chat: Chat) -> None:
    _, again = talk(
        chat,
        "kai",
        "helens office just cancelled the 8th. again. year end close apparently",
        "how do i ask to rebook without sounding passive aggressive",
    )
    assert again.message.startswith("Still on “Cancellations and scheduling”"), again.message
    assert "Your notes show this more than once" not in again.message, again.message


def test_a_summary_for_leadership_is_the_cycles_figures_without_names(chat: Chat) -> None:
    summary, short, without = talk(
        chat,
        "marisol",
        "need a year end summary for leadership - pairs, sessions, pulse. nothing that points at one person",
        "shorter, they'll only read the first para",
        "drop the pulse numbers",
    )
    assert summary.slots.get("about") == "report" and "**Sessions**:" in summary.message, summary.message
    assert not re.search(r"\b(?:Amara|Rafael|Kai|Helen|Sofia|Gareth|Noor|Ingrid)\b", summary.message)
    assert short.message.count("; ") >= 2 and "pulse" in short.message, short.message
    assert (
        without.message.startswith("I left out the pulse numbers.") and "pulse after" not in without.message
    )


def test_what_each_side_is_bringing_is_their_open_actions(chat: Chat) -> None:
    *_, bringing = talk(chat, "noor", "recap before the 10th pls", "and whats ingrid bringing")
    assert "still open on Ingrid's side" in bringing.message, bringing.message
    assert "LinkedIn post" in bringing.message, bringing.message


def test_a_reminder_asked_without_a_pair_is_written_once_the_pair_is_named(chat: Chat) -> None:
    asked, reminder = talk(chat, "marisol", "send a reminder", "sofia and gareth")
    assert asked.message.startswith("Which pair is it for?"), asked.message
    assert reminder.intent == "draft_message" and "send to Sofia and Gareth" in reminder.message
    assert "A quick reminder" in reminder.message, reminder.message


def test_a_coordinators_note_to_one_member_is_to_them_alone(chat: Chat) -> None:
    (note,) = talk(chat, "marisol", "write helen a note: please protect the january slots")
    assert "send to Helen:" in note.message and "> Hi Helen," in note.message, note.message
    assert "Please protect the January slots." in note.message and "Kai" not in note.message


def test_a_pair_pointed_back_at_gets_its_own_figures(chat: Chat) -> None:
    *_, health = talk(
        chat, "marisol", "what has helen shared with the program team", "so is that pair ok or not"
    )
    assert health.intent == "program_health" and "Kai Nakamura and Helen Drummond" in health.message
    assert "Amara" not in health.message, health.message


def test_advice_asked_on_a_pair_in_the_figures_is_on_that_pair(chat: Chat) -> None:
    *_, advice = talk(
        chat,
        "marisol",
        "who needs attention before the break",
        "what would u do about the stalled one over the holidays",
    )
    assert advice.intent == "coach" and "Amara Obi and Rafael Montoya" in advice.slots.get("situation", "")
    assert advice.message.startswith("This sounds like “Restarting after a long gap”."), advice.message


def test_the_first_answer_turned_into_a_reply_answers_the_first_question(chat: Chat) -> None:
    *_, reply = talk(
        chat,
        "marisol",
        "forwarding from a mentor: 'can a 15 min teams call in december count as our session?'",
        "and another: does the cycle get extended if we lose 3 weeks to christmas",
        "turn the first answer into a reply i can paste back",
    )
    assert reply.intent == "draft_message" and "Session length" in reply.message, reply.message
    assert "| Role |" not in reply.message, reply.message


def test_minutes_on_an_item_just_shown_outline_that_item(chat: Chat) -> None:
    *_, outline, bullets = talk(
        chat,
        "gareth",
        "what was I meant to prep for the 10th",
        "15 mins on that. help me structure it",
        "5 bullet points max",
    )
    assert "Your 15 minutes on how the commercial team negotiates with key suppliers" in outline.message
    assert bullets.slots.get("change") == "count" and bullets.slots.get("count") == 5, bullets.slots


def test_subjects_listed_with_an_agenda_request_are_its_parts(chat: Chat) -> None:
    asked, fewer = talk(
        chat, "noor", "agenda 45 min for 10 dec, pilot feedback + new yr plans", "too much for 45 honestly"
    )
    titles = re.findall(r"^\d\. \*\*(.+?)\*\*", asked.message, re.M)
    assert "Pilot feedback" in titles and "New year plans" in titles, titles
    assert fewer.slots.get("change") == "count" and "45-minute session" in fewer.message, fewer.message
    after = re.findall(r"^\d\. \*\*(.+?)\*\*", fewer.message, re.M)
    assert len(after) < len(titles) and {"Pilot feedback", "New year plans"} <= set(after), after
    listed = understander().listed_subjects
    assert (
        listed("an agenda, 30 mins, keep it light and fun") == []
        and listed("agenda pls - short and sweet") == []
    )


def test_a_coordinator_gets_prepared_for_a_pair_talked_about_and_an_opening_line(chat: Chat) -> None:
    shared, prep, line = talk(
        chat,
        "marisol",
        "sofia wants a 3 way before xmas. what can i see on that pair",
        "prep me for the 3 way",
        "and an opening line that doesnt put gareth on the spot",
    )
    assert shared.slots.get("focus") is None and "Sofia" in shared.message, shared.slots
    assert prep.intent == "brief" and prep.message.startswith("**Sofia Petrović and Gareth Llewellyn**")
    assert line.intent == "coach" and line.message.startswith("You could open with: “"), line.message


def test_a_month_named_after_the_pulse_says_why_it_is_left_out(chat: Chat) -> None:
    *_, september = talk(chat, "marisol", "pulse for nov?", "and sept")
    assert september.message.startswith("September is left out on purpose"), september.message


def test_a_coordinators_note_to_one_member_about_something_says_it_and_copies_in(chat: Chat) -> None:
    note, copied = talk(chat, "marisol", "write helen a gentle note about protecting jan slots", "cc her EA")
    assert "send to Helen:" in note.message and "about protecting Jan slots" in note.message, note.message
    assert "send to Helen, copying in Helen's executive assistant:" in copied.message, copied.message
    *_, again = talk(chat, "marisol", "send a reminder", "sofia and gareth", "about the 10th")
    assert again.intent == "edit" and again.slots.get("task") == "draft_message", again.slots


def test_small_follow_ups_on_advice_and_agendas_read_as_meant() -> None:
    reader = understander()
    advice = State("coach", {"text": "he cancels"}, ("Book a series", "Send an agenda"), role="executive")
    assert reader.understand("Say that in fewer words.", advice, "executive").slots.get("change") == "shorter"
    agenda = State(
        "agenda",
        {"minutes": 30},
        ("Check-in", "Mentor-led topic: AI (mentor)", "Executive-led exchange: Board (executive)", "Wrap"),
        role="executive",
    )
    moved = reader.understand("Move my half to the start.", agenda, "executive").slots
    assert moved.get("order") and moved.get("to") == "start" and moved.get("side") == "executive", moved
    asked = reader.understand(
        "gareths off from the 18th till 5 jan. ideas for the 10th so it doesnt feel like a wasted last one",
        State(),
        "mentor",
        frozenset({"gareth", "sofia"}),
    )
    assert asked.intent == "topics" and asked.slots.get("focus") is None, asked.slots


def test_bullet_it_after_advice_keeps_every_step_in_a_line(chat: Chat) -> None:
    *_, bulleted = talk(
        chat, "gareth", "Sofia thinks the sessions are one-sided. Is she right?", "Bullet it."
    )
    assert bulleted.message.startswith("Each in one line."), bulleted.message


def test_what_a_member_shared_with_the_program_is_shown_whole_to_the_coordinator(chat: Chat) -> None:
    (shared,) = talk(chat, "marisol", "what has helen shared with the program team")
    assert "audit committee" in shared.message and "kai-helen-05" in shared.message, shared.message
    assert "Private" not in shared.message, shared.message


def test_a_reflective_session_asked_for_gets_the_look_back_topic(chat: Chat) -> None:
    (topics,) = talk(chat, "ingrid", "Topics for our last session of the year. Something reflective.")
    assert topics.slots.get("focus") == "looking back", topics.slots
    assert topics.message.startswith("1. **Looking back on what we have done together**"), topics.message


def test_an_item_named_by_a_subject_none_of_the_list_has_is_said_so(chat: Chat) -> None:
    *_, none, named = talk(
        chat,
        "kai",
        "ideas for a short one, 30 min maybe, shes always rushed in dec",
        "the AI one",
        "the careers one",
    )
    assert none.message.startswith("None of these topics is about AI."), none.message
    assert named.message.startswith("**Non-linear careers and internal mobility**"), named.message
    *_, asked = talk(chat, "kai", "3 topics on power bi", "the power bi one")
    assert not asked.message.startswith("None of these"), asked.message


def test_which_part_of_an_agenda_has_something_is_that_part_or_none(chat: Chat) -> None:
    *_, part, none = talk(
        chat,
        "helen",
        "Agenda for 8 December, 30 minutes. I'd like to do my half properly for once.",
        "Which part is the hedging case?",
        "which bit covers the budget",
    )
    assert part.intent == "expand" and part.message.startswith("**Check-in and open actions**"), part.message
    assert none.message == "No part of this agenda mentions budget.", none.message


def test_a_partner_from_one_department_is_looked_for_among_that_persons_options(chat: Chat) -> None:
    *_, finance, missing = talk(
        chat,
        "marisol",
        "noor has offered to take on a second executive. who could she be paired with?",
        "what about someone from finance instead",
        "anyone from marketing",
    )
    assert finance.slots.get("focus") == "finance", finance.slots
    assert finance.message.startswith("The one executive in Finance Noor could be paired with:"), (
        finance.message
    )
    assert "Helen Drummond" in finance.message and "Gareth" not in finance.message, finance.message
    assert missing.message == "None of the executives Noor could be paired with works in Marketing."
    *_, kept_apart = talk(
        chat, "marisol", "suggest new pairings", "she can't be paired with anyone in finance"
    )
    assert "focus" not in kept_apart.slots, kept_apart.slots


def test_a_recap_message_lists_each_open_action_and_one_can_be_left_out(chat: Chat) -> None:
    recap, without = talk(
        chat, "amara", "can u turn the open stuff into a short msg to rafael", "drop the linkedin bit"
    )
    assert "Following up on our session of 3 September" in recap.message, recap.message
    assert "I'll send you a proposal for a shorter session format" in recap.message, recap.message
    assert "You'll write a LinkedIn post about the graduate scheme." in recap.message, recap.message
    assert "LinkedIn" not in without.message and "You'll send written agendas" in without.message, (
        without.message
    )


def test_a_note_that_says_something_and_apologises_is_a_note_not_an_apology(chat: Chat) -> None:
    note, lighter = talk(
        chat,
        "gareth",
        "draft a note to Sofia saying I'll lead the first 15 mins on the 10th on how we negotiate with key "
        "suppliers and apologise for last time",
        "lose the apology it's a bit much",
    )
    assert "I'll lead the first 15 minutes on the 10th" in note.message, note.message
    assert "Sorry for last time." in note.message and "regular slot" not in note.message, note.message
    assert lighter.slots.get("unsay") == "apology", lighter.slots
    assert "Sorry" not in lighter.message and "I'll lead the first 15 minutes" in lighter.message, (
        lighter.message
    )


def test_write_to_someone_that_after_a_notes_answer_is_a_message_saying_it(chat: Chat) -> None:
    *_, draft = talk(
        chat,
        "martin",
        "And the budget lines for the reforecast, did I already pick them",
        "write to Priya that the two lines are fleet maintenance and depot energy",
    )
    assert draft.intent == "draft_message", (draft.intent, draft.slots)
    assert "> The two lines are fleet maintenance and depot energy." in draft.message, draft.message


def test_a_reordering_of_an_agenda_is_said_to_the_person_whose_part_it_is(chat: Chat) -> None:
    *_, kept = talk(chat, "amara", "agenda for 45 min with rafael", "put my part first, he always runs over")
    assert kept.slots.get("change") == "other" and kept.slots.get("order"), kept.slots
    assert kept.message.startswith("Your part already comes first"), kept.message


def test_advice_asked_after_a_rule_the_guidelines_only_come_close_to(chat: Chat) -> None:
    *_, advice, reply = talk(
        chat,
        "marisol",
        "A mentor asks: since the restructure I report to someone who worked for my executive's counterpart. "
        "Would it be a conflict of interest if I continue? Does the programme have a rule on this?",
        "what would you advise in practice?",
        "make that into a reply to her, warm but noncommittal",
    )
    assert advice.intent == "expand" and "won't make a policy up" in advice.message, advice.message
    assert "directly" not in advice.message.split("won't make a policy up")[1], advice.message
    assert reply.intent == "draft_message" and "Warm wishes," in reply.message, reply.message


def test_what_else_the_partner_could_teach_after_advice_is_topics_from_their_side(chat: Chat) -> None:
    *_, topics = talk(
        chat,
        "sofia",
        "Gareth again did not prepare his part. He says all commercial strategy is confidential until the "
        "integration is finished. How I handle this?",
        "And if he really cannot share, what other things he could teach me?",
    )
    assert topics.intent == "topics" and topics.slots.get("teacher") == "partner", (
        topics.intent,
        topics.slots,
    )


@pytest.mark.parametrize(
    ("after", "message", "slots"),
    [
        ("coach", "Can you make it more short", {"change": "shorter"}),
        ("draft_message", "not so official please, we are quite close now", {"lighter": True}),
        ("topics", "The third one is good but maybe too close to pricing. Give me other one", {"ref": 3}),
        ("draft_message", "lose the apology its a bit much", {"change": "drop", "unsay": "apology"}),
        ("draft_message", "she likes it blunt, cut the fluff", {"change": "shorter"}),
        (
            "topics",
            "tbh how the merger decisions got made would be way more useful for me",
            {"change": "focus", "focus": "merger decisions"},
        ),
        ("agenda", "put my part first, he always runs over", {"change": "other", "order": True}),
        ("agenda", "Swap the order. My part first.", {"change": "swap", "order": True}),
    ],
)
def test_follow_ups_in_plain_or_second_language_english(
    after: str, message: str, slots: dict[str, Any]
) -> None:
    reader = understander()
    items = ("Customer data", "Pricing talks", "Hybrid teams")
    found = reader.follow_up(reader.normalise(message), State(after, {}, items))
    assert found is not None and found.intent == "edit" and slots.items() <= found.slots.items(), found


@pytest.mark.parametrize(
    ("text", "focus"),
    [
        (
            "topic ideas for the 3rd? 3 max, something w the merger if poss, martin is drowning in work",
            "merger",
        ),
        (
            "ideas for next session? her team is merging w the other finance dept so maybe the merger",
            "merger",
        ),
        ("ideas for my half of the session", None),
        ("I should like Priya to cover the new scheduling tool.", "scheduling tool"),
        ("we're doing fine", None),
    ],
)
def test_the_subject_of_a_request_said_in_passing(text: str, focus: str | None) -> None:
    reader = understander()
    assert reader.focus(reader.normalise(text)) == focus


def test_a_request_to_say_no_to_extra_work_is_about_hierarchy_not_confidentiality(chat: Chat) -> None:
    (advice,) = talk(
        chat,
        "noor",
        "Ingrid asked me to compare the HR policies of both companies for her drivers. This is really not my "
        "level, I am analyst not policy person. How I say no without looking lazy?",
    )
    assert advice.intent == "coach" and "Trust and confidentiality" not in advice.message, advice.message


def test_figures_for_a_steering_group_are_the_cycle_report_and_a_missing_month_is_explained(
    chat: Chat,
) -> None:
    report, missing = talk(
        chat,
        "marisol",
        "I need figures for the integration steering group: sessions held this cycle, average usefulness, "
        "anything I can share without naming anyone",
        "why is september missing from the usefulness scores",
    )
    assert report.slots.get("about") == "report", report.slots
    assert "no pair or person named" in report.message and "Sofia" not in report.message, report.message
    assert missing.intent == "expand" and missing.message.startswith("September is left out on purpose"), (
        missing.message
    )


def test_an_agendas_length_is_put_back_after_a_rule_question_on_the_way(chat: Chat) -> None:
    *_, back = talk(
        chat,
        "kai",
        "the agenda for tuesday. 45 min",
        "wait is 20 min even allowed or does it not count as a session",
        "ok put it back to 30 then",
    )
    assert back.slots.get("minutes") == 30 and back.message.startswith("Here it is at 30 minutes."), (
        back.message
    )


def test_a_part_put_at_the_end_of_a_check_in_agenda_is_added(chat: Chat) -> None:
    *_, added = talk(
        chat,
        "marisol",
        "the three-way check-in with sofia and gareth, 30 mins",
        "put a 5 minute next-steps bit at the end",
    )
    assert "**Next-steps**: 5 min" in added.message, added.message


@ON_A_MONDAY
def test_pairs_with_no_sessions_planned_after_the_figures(chat: Chat) -> None:
    *_, unplanned = talk(
        chat, "jonas", "how many pairs are set up right now", "which of them have no sessions planned"
    )
    assert unplanned.message.startswith("1 pair with no next session planned"), unplanned.message
    assert "Amara Obi and Rafael Montoya" in unplanned.message, unplanned.message


def test_what_a_pair_landed_on_is_the_line_that_says_what_was_chosen(chat: Chat) -> None:
    (found,) = talk(chat, "amara", "ok what did we land on for the dashboard tool")
    assert found.slots.get("focus") == "dashboard tool", found.slots
    assert "We settled on Power BI" in found.message, found.message


def test_when_a_pair_is_both_free_comes_from_their_profiles_in_each_ones_time(chat: Chat) -> None:
    free, invite = talk(
        chat, "amara", "when are we both free", "can u draft him a msg suggesting the tuesday slot"
    )
    assert free.intent == "meeting_times", (free.intent, free.slots)
    assert free.message.startswith("From your profiles, Rafael (Paris) is 1 hour ahead of you (London)."), (
        free.message
    )
    assert "Tuesday 08:00–10:00 your time (09:00–11:00 for Rafael)" in free.message, free.message
    assert "Would Tuesday 08:00–10:00 my time (09:00–11:00 yours) work for you?" in invite.message, (
        invite.message
    )
    (away,) = talk(chat, "helen", "Kai is in New York next month, 5 hours behind me. When could we meet?")
    assert away.slots.get("ahead") == -5, away.slots
    assert "With Kai 5 hours behind you for now, as you said" in away.message, away.message
    assert "don't overlap" in away.message and "Kai is free Monday 13:00–14:00" in away.message, away.message
    (booked,) = talk(chat, "gareth", "what times work for us both")
    assert booked.message.startswith("Your next session is already planned for Thursday 10 December"), (
        booked.message
    )
    assert "Wednesday 14:00–16:00" in booked.message and "your time" not in booked.message, booked.message


@pytest.mark.parametrize(
    ("role", "message", "slots"),
    [
        ("mentor", "she's 6 hours behind me, what time should we meet", {"ahead": -6}),
        ("mentor", "I'm two hours ahead of him, when can we meet", {"ahead": -2}),
        ("executive", "which day should we meet, given the time difference?", {}),
        ("executive", "I am in Madrid until Christmas. When would suit us both?", {}),
        ("mentor", "what time is our next session", None),
        ("mentor", "draft him a msg about the time difference, when suits him", None),
        ("coordinator", "when are we both free", None),
    ],
)
def test_a_question_of_when_to_meet(role: str, message: str, slots: dict[str, Any] | None) -> None:
    reader = understander()
    found = reader.understand(message, State(), role)
    if slots is None:
        assert found.intent != "meeting_times", found
    else:
        assert found.intent == "meeting_times" and found.slots == slots, found


def test_pairs_across_time_zones_are_listed_for_the_coordinator_slipping_first(chat: Chat) -> None:
    (spread,) = talk(chat, "marisol", "which remote pairs are slipping")
    assert spread.slots.get("about") == "time_zones", spread.slots
    assert spread.message.startswith("2 pairs of 5 span time zones"), spread.message
    first, second = re.findall(r"^\d\. (.+)$", spread.message, re.M)
    assert (
        first.startswith("**Amara Obi and Rafael Montoya**: London and Paris, 1 hour apart")
        and "stalled" in first
    )
    assert second.startswith("**Noor Haddad and Ingrid Solberg**: London and Oslo"), second


def test_a_request_that_opens_by_naming_a_message_is_a_draft_not_a_search(chat: Chat) -> None:
    *_, nudge = talk(
        chat, "marisol", "can you do the one for sofia", "a nudge about the three-way check-in she wanted"
    )
    assert nudge.intent == "draft_message", (nudge.intent, nudge.slots)
    assert "about the three-way check-in you wanted" in nudge.message, nudge.message
    (found,) = talk(chat, "priya", "a note from last week about the budget")
    assert found.intent == "search_notes", found.intent
    *_, said = talk(
        chat,
        "noor",
        "Ingrid always is on her phone in our session, answering messages. What I can do?",
        "the 2nd, how I say it polite",
    )
    assert said.message.startswith("You could say something like:"), said.message
    assert "> This month looks busy, Ingrid." in said.message, said.message


def test_an_agenda_sent_on_after_a_word_of_praise(chat: Chat) -> None:
    *_, sent = talk(
        chat,
        "martin",
        "Could you propose an agenda for Thursday? Forty minutes.",
        "Excellent. Please send it to her with a short covering note.",
    )
    assert sent.slots.get("plan") and "Here's what I'd suggest for our session" in sent.message, sent.message


def test_a_quick_prep_is_the_short_brief(chat: Chat) -> None:
    (quick,) = talk(chat, "kai", "sessn tmrw, quick prep?")
    assert quick.intent == "brief" and "## Since last time" in quick.message, quick.message
    assert "## Agenda" not in quick.message, quick.message


def test_a_nudge_to_a_pair_says_what_it_is_about_and_dates_can_be_added(chat: Chat) -> None:
    nudge, dated = talk(
        chat,
        "marisol",
        "a nudge to sofia and gareth about the three-way check-in",
        "add two dates, 2 or 4 December",
    )
    assert "a quick note about the three-way check-in" in nudge.message, nudge.message
    assert dated.slots.get("says") == ["How about 2 or 4 December?"], dated.slots
    assert "Could we have a word about it? How about 2 or 4 December?" in dated.message, dated.message


@ON_A_MONDAY
def test_sessions_coming_up_are_listed_for_the_coordinator_soonest_first(chat: Chat) -> None:
    fortnight, week = talk(
        chat,
        "marisol",
        "which pairs have a session coming up in the next two weeks",
        "who's meeting this week?",
    )
    assert fortnight.slots == {"about": "upcoming", "within_days": 14}, fortnight.slots
    assert fortnight.message.startswith(
        "4 of 5 pairs have a session planned in the next 14 days (to Monday 21 December)"
    )
    assert "Not in that time: Amara and Rafael (none planned)." in fortnight.message, fortnight.message
    listed = re.findall(r"^\d\. \*\*(.+?)\*\*", fortnight.message, re.M)
    assert (
        listed[0] == "Kai Nakamura and Helen Drummond" and listed[-1] == "Priya Raman and Martin Achterberg"
    )
    assert week.slots.get("within_days") == 6, week.slots  # to Sunday: today is a Monday
    assert "Priya and Martin (next on Thursday 17 December)" in week.message, week.message


def test_how_often_and_when_they_meet_are_found_in_the_notes(chat: Chat) -> None:
    (often,) = talk(chat, "amara", "and what did we decide about how often")
    assert "twice a month" in often.message.split("\n\n")[0], often.message
    (timing,) = talk(chat, "helen", "What did Kai and I agree about timing when we started?")
    assert "first thing in the morning" in timing.message, timing.message
    assert "Ran out of time" not in timing.message, timing.message  # the word "time", not when they meet


@pytest.mark.parametrize(
    "message",
    [
        "rafael's in madrid till xmas apparently. any ideas what we could talk abt over video that isnt "
        "just a catch up",
        "ingrid's doing the december one from the leeds depot on video. topics that'd work for that?",
    ],
)
def test_how_and_where_a_session_happens_is_not_its_subject(message: str) -> None:
    found = understander().understand(message, State(), "mentor", frozenset({"rafael", "ingrid"}))
    assert found.intent == "topics" and found.slots.get("focus") is None, found


@pytest.mark.parametrize(
    ("message", "focus"),
    [
        ("ok give me 3 topic ideas on how he could use AI tools while hes travelling", "ai tools"),
        ("topics about the hybrid thing from the summer", "hybrid"),
        ("topics on video editing", "video editing"),
        ("something about how the ops leads in the different countries use the dashboards", "dashboards"),
        ("topic ideas about how his commercial team runs meetings when half dial in", "running meetings"),
    ],
)
def test_a_subject_ends_where_its_time_or_circumstance_begins(message: str, focus: str) -> None:
    found = understander().understand(message, State(), "mentor")
    assert found.slots.get("focus") == focus, found


def test_a_message_to_the_coordinator_named_in_passing_goes_to_her(chat: Chat) -> None:
    (draft,) = talk(chat, "sofia", "ok the 3 way check in w marisol, can u draft me a msg to her")
    assert draft.intent == "draft_message" and "Hi Marisol" in draft.message, draft.message
    (first,) = talk(
        chat,
        "sofia",
        "so now the supplier piece has to wait because he's 'in three countries in two weeks'. which, fine, "
        "but it's the same thing again isn't it. every time it's his turn there's a reason. do i bring "
        "marisol in now or give it one more go",
    )
    assert first.intent == "coach", (first.intent, first.message)


def test_longer_topics_after_a_swap_with_no_match_do_not_fail(chat: Chat) -> None:
    *_, longer = talk(
        chat,
        "kai",
        "ideas around slack for helen?",
        "and one on huddles instead of the first",
        "could each one have a couple more lines? i'll send them to her before the call",
    )
    assert longer.intent == "edit" and longer.slots.get("change") == "longer", longer.slots
    assert "Extra inputs" not in longer.message and longer.message.count("**") >= 6, longer.message


def test_a_draft_takes_one_more_thing_said_and_offers_times(chat: Chat) -> None:
    offered, added = talk(
        chat,
        "marisol",
        "draft me a message to sofia offering times, I'm in the leeds office tue to thu",
        "and that video is fine if that's easier",
    )
    assert "> Could we find a time that suits you? I'm in the leeds office tue to thu." in offered.message
    assert added.slots.get("says") == ["video is fine if that's easier."], added.slots
    assert "Video is fine if that's easier." in added.message, added.message


def test_advice_asked_after_a_rule_question_is_read_with_it(chat: Chat) -> None:
    *_, advised = talk(
        chat,
        "marisol",
        "are there any rules about sessions outside working hours? a mentor here is doing 7am calls so her "
        "exec in singapore can make it",
        "we don't have one. what would you recommend we say",
    )
    assert advised.intent == "ask" and advised.slots.get("context"), advised.slots
    assert "help desk" not in advised.message and "working hours" in advised.message, advised.message


@pytest.mark.parametrize(
    ("after", "message", "slots"),
    [
        ("draft_message", "and dont say sorry twice", {"change": "other", "tone": True, "lighter": True}),
        ("draft_message", "dont say sorry", {"change": "drop", "unsay": "sorry"}),
        (
            "coach",
            "could you turn that into a couple of lines I could actually say on the call",
            {"wording": True},
        ),
        (
            "topics",
            "On reflection, make both about negotiating with suppliers across borders.",
            {"change": "focus"},
        ),
        (
            "rotation",
            "hmm, the steering group wants the full reasoning, so the long one after all",
            {"change": "longer"},
        ),
    ],
)
def test_follow_ups_of_round_27(after: str, message: str, slots: dict[str, Any]) -> None:
    found = understander().understand(message, State(after, {}, ("one", "two", "three")), "mentor")
    assert {k: found.slots.get(k) for k in slots} == slots, found


def test_an_edit_after_a_question_on_the_brief_changes_the_brief(chat: Chat) -> None:
    *_, asked, shorter = talk(
        chat,
        "priya",
        "brief for wed pls",
        "whats mine again, the tips thing?",
        "how long was that meant to be",
        "can the whole brief be shorter, reading it on the tube",
    )
    assert asked.task == "search_notes", asked.task  # answered from the notes, on the brief
    assert shorter.task == "brief" and shorter.slots.get("change") == "shorter", (shorter.task, shorter.slots)
    assert "## Since last time" in shorter.message and "## Agenda" not in shorter.message, shorter.message
    *_, named = talk(
        chat,
        "kai",
        "prep me for thursday",
        "what did she say about the hedging case",
        "Make the brief shorter",
    )
    assert named.task == "brief", (named.task, named.message)


def test_a_welcome_note_goes_to_the_people_joining_and_takes_their_points(chat: Chat) -> None:
    welcome, simple, video = talk(
        chat,
        "marisol",
        "a welcome note for the new office joining in january",
        "most of them are spanish speakers, keep the english simple",
        "add a line that sessions by video are completely normal here",
    )
    assert "send to the people joining" in welcome.message, welcome.message
    assert "two sessions a month" not in welcome.message and "twice a month" in welcome.message
    assert "six-month cycle" in welcome.message and "Which pair" not in welcome.message, welcome.message
    assert simple.slots.get("change") == "shorter" and len(simple.message) < len(welcome.message)
    assert "Sessions by video are completely normal here." in video.message, video.message


def test_a_coordinators_message_takes_the_length_said_against_another(chat: Chat) -> None:
    *_, shorter = talk(
        chat,
        "marisol",
        "draft something to amara and rafael suggesting a short video check-in with me",
        "30 minutes, not 45",
    )
    assert shorter.intent == "edit" and "30 minutes is all we need." in shorter.message, shorter.message


def test_a_question_on_one_item_of_a_brief_by_its_words_is_answered_from_the_notes(chat: Chat) -> None:
    *_, asked = talk(
        chat,
        "martin",
        "Could you prepare a brief for my session with Priya?",
        "Which two budget lines would be most useful for her to shadow?",
    )
    assert asked.intent == "expand" and asked.task == "search_notes", (asked.intent, asked.task)
    assert "pick two budget lines for Priya to shadow" in asked.message, asked.message


def test_which_pairs_after_a_months_sessions_names_them(chat: Chat) -> None:
    month, which = talk(
        chat, "marisol", "how many pairs have actually met in the last month", "and the one that hasn't?"
    )
    assert month.slots.get("about") == "sessions" and month.slots.get("month"), month.slots
    assert (
        which.slots.get("by_pair")
        and "No session held that month: Amara Obi & Rafael Montoya" in which.message
    )


@pytest.mark.parametrize(
    ("after", "message", "intent", "slots"),
    [
        ("ask", "ok so what do i put in the note for a call like that, just the date?", "ask", {}),
        (
            "topics",
            "ok and the contract one he can do from his laptop on the train right",
            "expand",
            {"named": "the contract one"},
        ),
        ("topics", "he'll be on his phone in a hotel lobby so nothing that needs screen sharing", "edit", {}),
    ],
)
def test_a_question_said_as_a_statement_is_not_an_edit(
    after: str, message: str, intent: str, slots: dict[str, Any]
) -> None:
    found = understander().understand(
        message, State(after, {}, ("AI tips", "Budget lines", "Town hall")), "mentor"
    )
    assert found.intent == intent and all(found.slots.get(k) == v for k, v in slots.items()), found


def test_words_inside_a_hyphenated_note_word_are_found(chat: Chat) -> None:
    (found,) = talk(chat, "martin", "What did Priya tell me about graduates and office days?")
    assert "three-office-days rule" in found.message.split("\n\n")[0], found.message
    (pager,) = talk(chat, "sofia", "what did gareth say when i gave him marisols one pager")
    assert '"fair point"' in pager.message, pager.message


@ON_A_MONDAY
def test_sessions_coming_up_this_month_then_next(chat: Chat) -> None:
    this, then = talk(chat, "jonas", "which pairs have a session coming up this month", "and next month?")
    assert this.slots.get("within_days") == 24 and "(to Thursday 31 December)" in this.message, this.message
    assert then.slots.get("within_days") == 55 and "(to Sunday 31 January)" in then.message, then.message


@pytest.mark.parametrize(
    ("after", "message", "intent", "slots"),
    [
        ("coach", "expand 1", "expand", {"ref": 1}),
        ("topics", "Make them three.", "edit", {"change": "count", "count": 3}),
        ("ask", "what would that process look like", "ask", {"context": None}),
        ("ask", "what was the minimum again, from your first answer", "ask", {"context": None}),
        ("ask", "who decides that", "ask", {"context": None}),
        ("ask", "and if we want to go monthly in january is that allowed", "ask", {}),
        ("coach", "is there actually a rule about what i can say about colleagues in sessions", "ask", {}),
        ("draft_message", "the electric trucks arriving could be the hook", "edit", {"change": "other"}),
        (
            "agenda",
            "ok so put 5 min for the reforecast at the end of the agenda",
            "edit",
            {"change": "other"},
        ),
        ("agenda", "put 10 min on the check-in", "edit", {"change": "minutes", "minutes": 10}),
    ],
)
def test_follow_ups_read_by_their_shape(after: str, message: str, intent: str, slots: dict[str, Any]) -> None:
    listed = ("Check-in", "AI tips", "Budget lines") if after in ("agenda", "coach", "topics") else ()
    found = understander().understand(message, State(after, {"minutes": 45}, listed), "mentor")
    assert found.intent == intent and all(
        k in found.slots and found.slots[k] == v for k, v in slots.items()
    ), found


def test_a_rule_follow_up_is_answered_with_the_rule_it_leans_on(chat: Chat) -> None:
    _, leaning = talk(chat, "kai", "can mentors switch partners mid cycle?", "how would that work?")
    assert leaning.intent == "ask" and leaning.slots.get("context") and leaning.citations, leaning.message
    (reason,) = talk(chat, "priya", "can we go monthly in january because of the reforecast, is that allowed")
    assert "“Cadence”" in reason.message and "facilities" not in reason.message, reason.message


def test_names_alone_answer_a_question_asked_back_and_a_note_can_go_to_one_member(chat: Chat) -> None:
    asked, named, one = talk(
        chat, "marisol", "can you write to them", "kai and helen", "actually address it to helen only"
    )
    assert asked.intent == "clarify" and named.task == "check_in", named.message
    assert named.payload is not None and named.payload["to"] == "Kai and Helen", named.payload
    assert one.payload is not None and one.payload["to"] == "Helen", one.payload
    assert one.message.startswith("It now goes to Helen only.") and "Hi Helen," in one.message, one.message


def test_one_persons_partners_when_the_pair_is_named_in_the_condition(chat: Chat) -> None:
    amara, rafael = talk(
        chat,
        "marisol",
        "if amara and rafael can't get going again, who could amara be matched with instead?",
        "and what happens to rafael then",
    )
    assert amara.message.startswith("The executives Amara could be paired with, other than Rafael"), (
        amara.message
    )
    assert rafael.message.startswith("The mentors Rafael could be paired with, other than Amara"), (
        rafael.message
    )
    _, martin = talk(
        chat,
        "marisol",
        "who could amara go with instead of rafael?",
        "why not martin, he's been great w priya",
    )
    assert "**Amara Obi" in martin.message and "**Martin Achterberg" in martin.message, martin.message


def test_new_matches_for_a_pair_that_splits_and_the_others_kept(chat: Chat) -> None:
    split, kept = talk(
        chat,
        "marisol",
        "If Sofia doesn't want to renew with Gareth, suggest new matches for both of them for January.",
        "keep the pairs that are working as they are",
    )
    assert "**Sofia Petrović** with **Gareth Llewellyn**" not in split.message, split.message
    assert kept.intent == "edit" and "Kai and Helen" in kept.message.split("\n\n")[0], kept.message
    assert "**Kai Nakamura** with **Helen Drummond**" in kept.message, kept.message


def test_another_month_months_compared_and_figures_added(chat: Chat) -> None:
    november, compared, september = talk(
        chat,
        "marisol",
        "how many sessions were held in november",
        "vs october?",
        "fair enough. september then",
    )
    assert november.message.startswith("In November 2026:"), november.message
    assert compared.intent == "edit" and "**October 2026**" in compared.message, compared.message
    assert "**November 2026**" in compared.message, compared.message
    assert september.intent == "edit" and september.message.startswith("In September 2026:"), (
        september.message
    )
    _, added = talk(chat, "marisol", "how are the pairs doing", "add the pulse scores")
    assert added.intent == "edit" and "**Session feedback**:" in added.message, added.message
    assert "need your attention" in added.message, added.message


def test_a_thing_the_brief_names_but_lacks_is_found_in_the_notes(chat: Chat) -> None:
    _, due = talk(chat, "noor", "brief for my next session", "the winter range thing, when is that due")
    assert due.task == "search_notes" and "winter range data in March" in due.message, due.message


def test_a_reschedule_to_a_month_then_a_day_of_it(chat: Chat) -> None:
    month, day = talk(chat, "rafael", "A message moving our restart to January.", "Say the 8th.")
    assert "move it to January" in month.message, month.message
    assert "move it to the 8th of January" in day.message, day.message


def test_time_for_what_was_just_found_is_added_to_the_agenda(chat: Chat) -> None:
    *_, added = talk(
        chat,
        "priya",
        "need an agenda for thurs, 45 min",
        "also remind me what martin said he'd do for the reforecast",
        "ok so put 5 min for that at the end of the agenda",
    )
    assert added.task == "agenda" and "**Reforecast**: 5 min" in added.message, added.message


@pytest.mark.parametrize(
    ("user", "message", "intent"),
    [
        (
            "martin",
            "I repeated Priya's point about the commute to our people director. No name, but it was obvious "
            "who had said it. Do I owe her an explanation?",
            "coach",
        ),
        ("kai", "ok. we always run out of time before helen's half of the session. ideas?", "coach"),
        ("jonas", "helen says her link stopped working this morning", "capabilities"),
    ],
)
def test_stories_and_admin_troubles_read_for_what_they_ask(
    chat: Chat, user: str, message: str, intent: str
) -> None:
    (reply,) = talk(chat, user, message)
    assert reply.intent == intent, (reply.intent, reply.message)
    if user == "jonas":
        assert "mentor-assistant users token" in reply.message, reply.message


def test_more_on_a_second_point_of_a_one_point_answer_gives_that_point() -> None:
    payload = {"steps": [{"action": "Check the next two sessions are booked", "why": "A restart stalls."}]}
    said = expanded("coach", payload, 2, {})
    assert said.startswith("My last answer had only one point; here it is in more detail."), said
    assert "Check the next two sessions are booked" in said, said


def test_part_of_an_answer_put_in_a_message_is_a_draft_of_it(chat: Chat) -> None:
    _, put, back = talk(
        chat,
        "noor",
        "recap before the 10th pls, whats still open",
        "put the open ones in a short msg i can paste to her in teams",
        "what was the first thing in the recap again",
    )
    assert put.task == "draft_message" and put.payload is not None, put.message
    body = put.payload["body"]
    assert "You'll write a LinkedIn post about the electric trucks" in body, body
    assert back.intent == "expand" and back.slots.get("task") == "brief" and back.slots.get("ref") == 1, (
        back.message
    )


def test_the_next_step_on_a_subject_is_one_idea(chat: Chat) -> None:
    (step,) = talk(chat, "martin", "what should be the next step on AI?")
    assert step.task == "topics" and step.payload is not None, step.message
    assert len(step.payload["topics"]) == 1, step.message


def test_a_coordinator_reads_a_pairs_work_on_a_subject_and_writes_to_one_side(chat: Chat) -> None:
    on, later = talk(
        chat,
        "marisol",
        "what have noor and ingrid been doing on inclusive meetings",
        "which of those is the most recent",
    )
    assert on.intent == "search_notes" and on.slots.get("focus") == "inclusive meetings", on.message
    assert "Teams channel" in on.message, on.message
    assert later.intent == "expand" and "Whose notes" not in later.message, later.message
    _, advice = talk(
        chat,
        "marisol",
        "how are sofia and gareth doing on the reciprocal part since i sent them the one-pager",
        "ok so what would you suggest i do",
    )
    assert advice.intent == "coach" and "“One-way exchange”" in advice.message, advice.message
    *_, note = talk(
        chat,
        "marisol",
        "pairs needing attention this week",
        "the 1st one, more",
        "draft a check-in to the mentor",
    )
    assert "send to Amara:" in note.message and "Hi Amara," in note.message, note.message


def test_sessions_and_their_usefulness_asked_together_come_together(chat: Chat) -> None:
    (both,) = talk(
        chat, "marisol", "how many sessions were held this quarter and what's the average usefulness?"
    )
    assert "sessions held" in both.message and "How useful people found their sessions" in both.message, (
        both.message
    )


def test_whats_next_after_the_notes_on_a_subject_is_ideas_on_it(chat: Chat) -> None:
    _, ahead = talk(chat, "gareth", "What have we done on LinkedIn so far?", "And what's next?")
    assert ahead.intent == "topics" and ahead.slots.get("focus") == "linkedin", (ahead.slots, ahead.message)


def test_phone_shorthand_is_spelled_out_before_it_is_read() -> None:
    reader = understander()
    said = reader.normalise("wat shud we talk abt nxt time, cud u prep me 4 the sesh tmrow")
    assert said == "what should we talk about next time, could you prep me 4 the session tomorrow", said
    assert reader.focus(reader.normalise("wat shud we talk abt nxt time")) is None


def test_a_dictated_question_run_into_a_sentence_is_asked_as_a_question(chat: Chat) -> None:
    (draft,) = talk(chat, "priya", "draft a msg to martin saying i cant make thursday can we do friday")
    assert "> I can't make Thursday. Can we do Friday?" in draft.message, draft.message


def test_terse_staff_requests_typed_on_a_phone(chat: Chat) -> None:
    token, backup = talk(chat, "jonas", "reset helens token", "whats the backup cmd")
    assert "mentor-assistant users token" in token.message, token.message
    assert "pg_dump" in backup.message, backup.message
    (idle,) = talk(chat, "marisol", "any1 not met this month")
    assert idle.slots.get("by_pair") and "so far:" in idle.message, idle.message
    assert "No session held yet this month:" in idle.message, idle.message


def test_a_request_headed_by_topics_is_topics_whatever_its_subject(chat: Chat) -> None:
    (headed,) = talk(chat, "priya", "topics on the rotterdam shift pattern")
    assert headed.intent == "topics" and headed.slots.get("focus") == "rotterdam shift pattern", headed.slots


def test_a_message_sent_in_two_halves_is_read_as_one(chat: Chat) -> None:
    cut, whole = talk(chat, "sofia", "can u write", "a msg to marisol asking for the three way check in")
    assert cut.intent == "clarify" and "cut off" in cut.message, cut.message
    assert whole.intent == "draft_message" and "Hi Marisol," in whole.message, whole.message
    (helped,) = talk(chat, "sofia", "can you help?")
    assert helped.intent != "clarify", helped.message


def test_numbers_corrected_or_misheard_while_dictating() -> None:
    reader = understander()
    assert reader.normalise("make it 45 no 40 she has a hard stop") == "make it 40 she has a hard stop"
    assert reader.normalise("just the top three actually two") == "just the top two"
    assert reader.normalise("can i have for instead of three") == "can i have four instead of three"
    assert reader.normalise("just to") == "just two"
    assert reader.normalise("cut it to 3 not 5") == "cut it to 3 not 5"
    assert reader.normalise("thethird one, the first of the new ones") == "the third one, the first"


def test_items_named_among_the_new_ones_or_beside_a_first_line(chat: Chat) -> None:
    *_, newer, opener = talk(
        chat,
        "priya",
        "topic ideas for martin",
        "other ideas",
        "the first of the new ones more detail",
        "whats a good first line for the 2nd",
    )
    assert newer.intent == "expand" and newer.slots.get("ref") == 1, newer.slots
    assert opener.intent == "expand" and opener.slots.get("ref") == 2, opener.slots


def test_short_edits_said_as_people_say_them(chat: Chat) -> None:
    _, brief = talk(chat, "gareth", "sofias been doing all the talking, is that a problem", "keep it brief")
    assert brief.intent == "edit" and brief.slots.get("change") == "shorter", brief.slots
    *_, longer = talk(
        chat,
        "amara",
        "draft a note to rafael proposing shorter sessions",
        "a bit longer explain why shorter sessions would help",
    )
    assert longer.slots.get("change") == "longer", longer.slots
    _, only = talk(chat, "priya", "topic ideas for martin", "just digital tools")
    assert only.intent == "edit" and only.slots.get("focus") == "digital tools", only.slots
    _, lines = talk(
        chat, "kai", "helen keeps checking her email in our sessions", "give me like 2 lines i can send her"
    )
    assert lines.intent == "draft_message" and "Hi Helen," in lines.message, lines.message


def test_one_objectives_self_ratings_asked_for_by_name(chat: Chat) -> None:
    _, one, absent = talk(
        chat, "marisol", "are the self ratings going up", "now culture and inclusion", "just budget"
    )
    assert "Only “Culture and inclusion" in one.message and "Digital tools" not in one.message, one.message
    assert "couldn't find “budget”" in absent.message, absent.message


def test_what_to_prepare_before_a_session_is_the_prep_brief(chat: Chat) -> None:
    (prep,) = talk(chat, "gareth", "what am i supposed to prepare for sofia on the tenth")
    assert prep.intent == "brief" and "Since last time" in prep.message, prep.message


def test_a_point_about_someone_keeps_their_name(chat: Chat) -> None:
    _, added = talk(
        chat,
        "sofia",
        "draft a msg to marisol asking for the three way check in",
        "mention gareth said hed lead next time",
    )
    assert "Gareth said he'd lead next time." in added.message, added.message


def test_two_items_compared_are_shown_together(chat: Chat) -> None:
    listed, either = talk(
        chat, "priya", "topic ideas for martin", "is the 2nd or 3rd better if he's sceptical"
    )
    assert listed.payload is not None
    second, third = (t["title"] for t in listed.payload["topics"][1:3])
    assert either.intent == "expand" and either.slots.get("refs") == [2, 3], either.slots
    assert "go with number 2" in either.message, either.message
    assert second in either.message and third in either.message, either.message
    _, apart = talk(chat, "priya", "topic ideas for martin", "what's the difference between the last two")
    assert apart.slots.get("refs") == [4, 5] and "side by side" in apart.message, apart.message


def test_an_answer_from_the_notes_says_which_notes_it_rests_on(chat: Chat) -> None:
    _, behind, sure = talk(
        chat,
        "priya",
        "what did martin and i agree last time",
        "is that from the guidelines or our notes",
        "are you sure?",
    )
    assert "from your session notes, not the guidelines" in behind.message, behind.message
    assert "Martin's note of 12 November" in behind.message, behind.message
    assert sure.slots.get("sources") and "session notes" in sure.message, sure.message


def test_an_answer_said_to_be_wrong_says_what_it_rests_on_and_how_to_fix_the_record(chat: Chat) -> None:
    _, wrong = talk(chat, "priya", "prep brief for thursday", "that's not right, we met last week")
    assert wrong.intent == "edit" and wrong.slots.get("disputed"), (wrong.intent, wrong.slots)
    assert "last one recorded as held was on 19 November" in wrong.message, wrong.message
    assert "mark that session held" in wrong.message, wrong.message
    _, rule = talk(chat, "priya", "how often should we meet", "no thats wrong")
    assert "only from the program's guidelines" in rule.message and "“Cadence”" in rule.message, rule.message


def test_asking_whether_the_partner_sees_this_chat_is_answered(chat: Chat) -> None:
    (seen,) = talk(chat, "priya", "can martin see this?")
    assert seen.intent == "ask" and "Only you can read your conversations with me" in seen.message, seen


def test_a_call_said_to_have_happened_is_answered_with_the_last_session_recorded(chat: Chat) -> None:
    _, wrong = talk(
        chat, "rafael", "When did Amara and I last meet?", "That isn't right. We had a call in October."
    )
    assert wrong.intent == "edit" and "last one recorded as held was on 3 September" in wrong.message, wrong


def test_where_a_figure_or_a_brief_line_came_from_is_answered_with_its_sources(chat: Chat) -> None:
    _, where = talk(
        chat,
        "marisol",
        "which pairs need attention right now",
        "where did you get the number of cancellations for kai and helen",
    )
    assert where.intent == "expand" and where.slots.get("sources"), (where.intent, where.slots)
    _, whose = talk(
        chat, "priya", "recap for thursday pls", "is the budget lines thing from his note or mine"
    )
    assert whose.intent == "expand" and "The note of 12 November" in whose.message, whose.message


def test_two_pairs_named_in_a_comparison_are_shown_side_by_side(chat: Chat) -> None:
    _, both = talk(
        chat,
        "marisol",
        "which pairs need attention right now",
        "whats the difference between kai-helen and sofia-gareth in terms of risk",
    )
    assert both.slots.get("refs") and "Here are the two side by side." in both.message, both.message
    assert "Kai Nakamura and Helen Drummond" in both.message and "Sofia Petrović" in both.message


def test_going_back_to_an_earlier_subject_reads_the_question_with_that_answer(chat: Chat) -> None:
    *_, back = talk(
        chat,
        "ingrid",
        "Can I bring my chief of staff to one of the sessions with Noor?",
        "Separately, what did Noor say about the union reps?",
        "Back to the chief of staff. What if Noor is happy with it?",
    )
    assert back.intent == "ask" and "chief of staff" in back.slots.get("context", ""), back.slots


def test_a_pair_left_out_of_the_figures_by_name_is_dropped(chat: Chat) -> None:
    _, without = talk(
        chat,
        "marisol",
        "how many sessions has each pair held since september",
        "same table without amara and rafael",
    )
    assert without.slots.get("change") == "drop", without.slots
    assert "Amara Obi" not in without.message.split("\n\n", 1)[1] and "Kai Nakamura" in without.message


def test_a_length_after_a_rule_question_changes_the_agenda_before_it(chat: Chat) -> None:
    *_, shorter = talk(
        chat,
        "marisol",
        "agenda for a 40 min three-way with sofia and gareth",
        "does the program say anything about coordinators sitting in on sessions",
        "ok make it 30 min then",
    )
    assert shorter.intent == "edit" and shorter.slots.get("minutes") == 30, (shorter.intent, shorter.slots)
    assert "Gareth" in shorter.message, shorter.message


def test_something_the_brief_left_out_is_looked_up_in_the_notes(chat: Chat) -> None:
    _, missed = talk(
        chat,
        "noor",
        "quick recap of me and ingrid",
        "u left out the rocky start in april, is that on purpose",
    )
    assert missed.slots.get("focus") == "rocky start" and "16 April" in missed.message, missed.message


def test_a_request_corrected_to_other_people_is_made_again_for_them(chat: Chat) -> None:
    _, meant = talk(chat, "marisol", "draft a nudge to sofia about writing up notes", "no, I meant gareth")
    assert meant.intent == "draft_message" and "Hi Gareth," in meant.message, meant.message
    _, pair = talk(chat, "marisol", "how are kai and helen doing", "sorry i meant noor and ingrid")
    assert "Noor Haddad and Ingrid Solberg" in pair.message and "Kai Nakamura" not in pair.message, (
        pair.message
    )


def test_staff_asking_which_pairs_have_not_written_up_get_the_figures(chat: Chat) -> None:
    (missing,) = talk(chat, "marisol", "which pairs havent written up their last session")
    assert missing.intent == "program_health", (missing.intent, missing.message)


def test_a_remark_about_the_weather_or_a_long_day_is_small_talk(chat: Chat) -> None:
    _, weather, back = talk(
        chat, "priya", "agenda for thursday", "lol it's raining again", "right, can the agenda be 30 mins"
    )
    assert weather.intent == "greeting" and "Sounds grim" in weather.message, weather.message
    assert back.intent == "edit" and back.slots.get("minutes") == 30, back.slots
    (busy,) = talk(chat, "priya", "crazy week. agenda for thursday")
    assert busy.intent == "agenda", busy.intent


def test_a_question_on_a_line_of_the_brief_keeps_the_brief_to_edit(chat: Chat) -> None:
    _, asked, fewer = talk(
        chat,
        "kai",
        "recap for tuesday pls",
        "the hedging case, has she checked the numbers or not? u have it as open",
        "ok make it 3 bullets, reading it on the bus",
    )
    assert asked.intent == "expand" and "hedging" in asked.message.lower(), asked.message
    assert fewer.slots.get("task") == "brief", fewer.slots


def test_going_back_to_a_numbered_suggestion_expands_that_one(chat: Chat) -> None:
    *_, back = talk(
        chat,
        "martin",
        "I suspect I still lecture in my half of the sessions. How do I stop?",
        "Unrelated: is there a maximum length for a session?",
        "Back to your second suggestion. How would I signal that mid-session without it being awkward?",
    )
    assert back.intent == "expand" and back.slots.get("ref") == 2, (back.intent, back.slots)
    assert "Step 2" in back.message, back.message


def test_asking_whether_the_partner_sees_a_recap_is_the_notes_visibility_rule(chat: Chat) -> None:
    _, seen = talk(
        chat,
        "priya",
        "recap for thursday",
        "and can martin see everything in this recap or is some of it just mine",
    )
    assert seen.intent == "ask" and "private notes only by their author" in seen.message, seen.message


def test_a_word_the_assistant_uses_is_explained_when_asked(chat: Chat) -> None:
    (what,) = talk(chat, "noor", "everyone mentions a 'prep brief', what does that mean exactly?")
    assert what.intent == "capabilities" and "one-screen page" in what.message, (what.intent, what.message)
    (seen,) = talk(chat, "kai", "quick one, can you read our notes?")
    assert seen.intent == "capabilities" and "nothing from other pairs" in seen.message, seen.message


def test_a_question_someone_put_to_a_coordinator_is_answered_as_that_question(chat: Chat) -> None:
    (passed_on,) = talk(
        chat, "marisol", "mentors often ask me how often pairs are meant to meet. what should i tell them?"
    )
    assert passed_on.intent == "ask" and "two sessions a month" in passed_on.message, passed_on.message


def test_asked_to_send_a_message_it_drafts_one_and_says_it_cannot_send(chat: Chat) -> None:
    drafted, send = talk(
        chat,
        "amara",
        "could you email rafael for me that i'll be 15 minutes late tomorrow",
        "great, can you send it now",
    )
    assert drafted.intent == "draft_message", drafted.intent
    assert "can't send messages myself" in drafted.message and "15 minutes late" in drafted.message
    assert send.intent == "capabilities" and "can't book meetings, send messages" in send.message


def test_subjects_set_aside_are_not_the_focus() -> None:
    reader = understander()
    for said in (
        "some topics that aren't about linkedin please",
        "we've done plenty on copilot, what else could we cover?",
        "could they be less about linkedin",
        "ok fair. plan the 30 min then",
    ):
        assert reader.focus(said) is None, said
    assert reader.context_subject("i mentor gareth (the CFO, quite formal). ideas for next time?") is None
    assert reader.focus("topics on pricing, nothing about linkedin") == "pricing"
    assert reader.focus("could you do pricing instead, we did linkedin to death") == "pricing"


def test_an_item_pointed_at_by_its_place_beats_other_ordinals() -> None:
    state = State(task="topics", items=("Alpha", "Beta", "Gamma", "Delta", "Epsilon"))
    assert understander().reference("a nice first question for the fourth one?", state) == 4
    assert understander().reference("sorry which is the middle part again, the 2nd bit", state) == 2
    assert understander().reference("lose the middle one", state) == 3


def test_a_topic_named_that_no_idea_is_about_becomes_the_agendas_subject(chat: Chat) -> None:
    _, agenda = talk(
        chat,
        "kai",
        "topics for helen next week?",
        "the hedging case one sounds good, agenda for that pls, 45min",
    )
    assert agenda.intent == "agenda" and agenda.slots.get("focus") == "hedging case", agenda.slots
    assert "hedging case" in agenda.message.lower(), agenda.message


def test_a_new_request_after_an_answer_is_not_taken_as_an_edit_of_it(chat: Chat) -> None:
    _, _, note = talk(
        chat,
        "noor",
        "Could you suggest a few topics for my session with Ingrid?",
        "Let's go with the first one - could you turn it into a 45-minute agenda?",
        "Great. Now a short note to Ingrid sharing the plan, please.",
    )
    assert note.intent == "draft_message", (note.intent, note.slots)
    _, ideas = talk(
        chat,
        "gareth",
        "Honestly I don't think I have much to teach someone in her role. Any advice?",
        "Topics I could lead on then. Three.",
    )
    assert ideas.intent == "topics" and ideas.slots.get("count") == 3, (ideas.intent, ideas.slots)


def test_pushback_on_a_topic_or_a_draft_is_read_as_meant(chat: Chat) -> None:
    _, _, swapped = talk(
        chat,
        "priya",
        "3 topic ideas for thursday",
        "the 2nd, how would i open it",
        "hmm swap that one out, he already does the ops commentary with copilot",
    )
    assert swapped.intent == "edit" and swapped.slots.get("change") == "swap", swapped.slots
    assert swapped.slots.get("ref") == 2 and not swapped.slots.get("focus"), swapped.slots
    _, only = talk(chat, "priya", "give me 3 things we could cover in december", "only reforecast ones tho")
    assert only.slots.get("change") == "focus" and only.slots.get("focus") == "reforecast", only.slots
    _, trimmed = talk(
        chat, "marisol", "draft a nudge to kai and helen", "trim that, helen won't read more than three lines"
    )
    assert trimmed.slots.get("change") == "shorter", trimmed.slots


def test_a_subject_put_on_the_agenda_is_its_focus() -> None:
    reader = understander()
    assert reader.focus("Put LinkedIn on Thursday's agenda then. 45 minutes.") == "linkedin"
    assert reader.focus("put it on the agenda") is None
    assert reader.focus("about ', it sounds stern") is None  # a quote mark left over is no subject


def test_a_brief_made_just_its_open_actions_keeps_everyones(chat: Chat) -> None:
    _, narrowed = talk(
        chat,
        "kai",
        "brief for my next session with helen",
        "can you make the brief just the open actions, i know the rest",
    )
    assert narrowed.intent == "edit" and narrowed.slots.get("change") == "drop", (
        narrowed.intent,
        narrowed.slots,
    )
    assert "Only the open actions" in narrowed.message and "**Helen**" in narrowed.message, narrowed.message


def test_another_request_said_over_an_answer_is_that_request(chat: Chat) -> None:
    *_, agenda = talk(
        chat, "kai", "2 topics for the 15th", "scrap that for now, i need the agenda for tuesday, 30 min"
    )
    assert agenda.intent == "agenda" and agenda.slots.get("minutes") == 30, (agenda.intent, agenda.slots)
    *_, other = talk(
        chat, "marisol", "how are priya and martin doing", "no, not that pair. i meant kai and helen"
    )
    assert other.intent == "program_health" and "Kai Nakamura and Helen Drummond" in other.message, (
        other.message
    )
    *_, reply = talk(
        chat,
        "marisol",
        "can a mentor bring a colleague along to a session?",
        "ok so the guidelines don't say. could you draft a reply to priya",
    )
    assert reply.intent == "draft_message", (reply.intent, reply.slots)


def test_a_note_about_a_subject_says_it_and_can_be_given_another(chat: Chat) -> None:
    note, other = talk(
        chat,
        "ingrid",
        "Write Noor a quick note about the driver quotes.",
        "make it about the depot visit instead",
    )
    assert "about the driver quotes" in note.message and "Shall we book" not in note.message, note.message
    assert "about the depot visit" in other.message and "driver quotes" not in other.message, other.message
    assert other.message.startswith("It's now about that instead."), other.message
    _, changed = talk(
        chat,
        "ingrid",
        "a thank you note to noor for the union advice",
        "make it about the pilot rollout instead",
    )
    assert "Thank you for the pilot rollout." in changed.message and "union advice" not in changed.message


@pytest.mark.parametrize(
    ("user", "message", "first", "then", "second", "said"),
    [
        (
            "martin",
            "Two things before I board. What did Priya and I agree about the town hall, and can you draft "
            "her a thank you for the captions idea",
            "search_notes",
            "And the thank you?",
            "draft_message",
            "captions",
        ),
        (
            "priya",
            "2 qs: whats still open from our last session, also can u give me 3 topic ideas for the 17th",
            "search_notes",
            "ok go on",
            "topics",
            "3.",
        ),
    ],
)
def test_two_requests_in_one_message_are_answered_one_at_a_time(
    chat: Chat, user: str, message: str, first: str, then: str, second: str, said: str
) -> None:
    answered = chat.reply(user, message)
    assert answered.task == first, answered.message
    assert "first of your two things" in answered.message and answered.suggestions[0] == "go on"
    assert answered.slots.get("count") != 2  # "two things" is not how many
    followed = chat.reply(user, then, answered.conversation_id)
    assert followed.task == second, followed.message
    assert said in followed.message
    assert "two things" not in followed.message


def test_one_request_with_two_subjects_stays_one(chat: Chat) -> None:
    reply = chat.reply("priya", "3 topic ideas on AI and also hybrid work")
    assert reply.task == "topics" and "two things" not in reply.message


def test_back_to_something_no_answer_named_is_the_answer_before_the_last(chat: Chat) -> None:
    advice = chat.reply(
        "kai",
        "im supposed to do a walkthrough of the new expense tool for her team and im nervous presenting to a "
        "room of finance ppl. what should i focus on",
    )
    assert advice.task == "coach", advice.message
    notes = chat.reply("kai", "also what did we agree about the hedging case", advice.conversation_id)
    assert notes.task == "search_notes", notes.message
    shorter = chat.reply("kai", "ok back to the demo stuff, can u boil that down", advice.conversation_id)
    assert shorter.task == "coach" and shorter.intent == "edit", shorter.message


def test_a_coordinator_named_before_her_is_whom_the_draft_is_to(chat: Chat) -> None:
    drafted = chat.reply("sofia", "one of my actions is booking a 3-way with marisol. can u help me ask her")
    assert drafted.task == "draft_message" and "Hi Marisol" in drafted.message, drafted.message
    about = chat.reply(
        "sofia",
        "say its about how the pair is working but dont make it sound like a complaint",
        drafted.conversation_id,
    )
    assert "about how the pair is working" in about.message, about.message
    assert "complaint" not in about.message


def test_pairing_gives_the_top_few_and_says_newcomers_need_profiles(chat: Chat) -> None:
    matching = chat.reply(
        "marisol", "we have 3 new mentors starting in jan. suggestions with the current execs?"
    )
    assert matching.task == "pairing" and "participants import" in matching.message, matching.message
    assert matching.payload is not None and len(matching.payload["items"]) > 2
    top = chat.reply("marisol", "ok just give me the top 2 then", matching.conversation_id)
    assert top.payload is not None and len(top.payload["items"]) == 2, top.message
    assert "the 2 best pairs" in top.message and "management chain" not in top.message


def test_a_count_asked_of_one_pair_after_the_program_view_is_that_pairs_figures(chat: Chat) -> None:
    view = chat.reply("marisol", "which pairs look healthy right now")
    asked = chat.reply(
        "marisol", "and how many sessions have kai and helen had cancelled this year", view.conversation_id
    )
    assert asked.intent == "program_health", asked.message
    assert "7 sessions cancelled" in asked.message and "changed since" not in asked.message


def test_what_an_earlier_answer_said_is_asked_of_that_answer(chat: Chat) -> None:
    brief = chat.reply("rafael", "Remind me where Amara and I left things.")
    assert brief.task == "brief" and "written agendas" in brief.message, brief.message
    rule = chat.reply("rafael", "is it normal for a pair to go quiet for two months?", brief.conversation_id)
    assert rule.task == "ask", rule.message
    about = chat.reply("rafael", "what was that about written agendas again", brief.conversation_id)
    assert about.intent == "expand" and about.slots.get("task") == "brief", (about.intent, about.slots)
    assert "written agendas" in about.message
