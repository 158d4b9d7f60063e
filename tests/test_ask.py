"""Program Q&A: the sentence that answers leads, three honest outcomes, and quality on a second handbook.

The second handbook (knowledge/eval/handbook: a council's participant handbook as PDF and coordinator
guide as DOCX, made by tests/handbook.py) was written in its own voice; its `tune` questions may be
used here, its `heldout` ones are only reported by bench/ask_quality.py.
"""

from pathlib import Path

import pytest
import yaml

from assistant.chat import Chat
from assistant.core import Assistant
from assistant.guide import Guide
from assistant.index import search_text
from assistant.tasks import ask, ask_outcome
from assistant.tasks.answer_kinds import asks_for, carries
from bench.ask_quality import carries as carries_facts
from tests import handbook
from tests.conftest import KNOWLEDGE, Copier

QUESTIONS = yaml.safe_load((KNOWLEDGE / "eval" / "questions.yaml").read_text())
BOOK = handbook.questions()["tune"]


@pytest.fixture(scope="module")
def guide(demo: Assistant) -> Guide:
    return Guide(demo, model=None)


@pytest.fixture(scope="module")
def council(empty_copy: Copier, tmp_path_factory: pytest.TempPathFactory) -> Guide:
    """The second handbook: a borough council's participant handbook (PDF) and coordinator guide (DOCX)."""
    return _handbook_guide(empty_copy, tmp_path_factory, "council", handbook.HANDBOOK)


def _handbook_guide(
    empty_copy: Copier, tmp_path_factory: pytest.TempPathFactory, name: str, source: Path
) -> Guide:
    """A guide over one evaluation handbook, its files built fresh; every heading must be read."""
    assistant = empty_copy(name)
    report = assistant.ingest(handbook.build(tmp_path_factory.mktemp(name), source))
    assert report.chunked_by_length == []
    return Guide(assistant, model=None)


@pytest.fixture(scope="module")
def trust(empty_copy: Copier, tmp_path_factory: pytest.TempPathFactory) -> Guide:
    """The third handbook: a hospital trust's guide, FAQ and leads' handbook, in another voice."""
    return _handbook_guide(empty_copy, tmp_path_factory, "trust", handbook.TRUST)


@pytest.fixture(scope="module")
def charity(empty_copy: Copier, tmp_path_factory: pytest.TempPathFactory) -> Guide:
    """The fourth handbook: a charity's overview (Markdown), handbook (PDF) and FAQ (DOCX)."""
    return _handbook_guide(empty_copy, tmp_path_factory, "charity", handbook.CHARITY)


@pytest.fixture(scope="module")
def bank(empty_copy: Copier, tmp_path_factory: pytest.TempPathFactory) -> Guide:
    """The seventh handbook: a retail bank's policy (PDF), FAQ (DOCX) and dates sheet (Markdown)."""
    return _handbook_guide(empty_copy, tmp_path_factory, "bank", handbook.BANK)


# Rubric: the failures issue 12 found, one test each ------------------------------------


def _guide_over(empty_copy: Copier, folder: Path, markdown: str) -> Guide:
    """A guide over one Markdown document of guidelines, in an empty store and index of its own."""
    (folder / "guide.md").write_text(markdown)
    assistant = empty_copy(folder.name)
    assistant.ingest([folder])
    return Guide(assistant, model=None)


def test_how_often_pairs_meet_quotes_the_two_sessions_a_month_rule(guide: Guide) -> None:
    answer = guide.ask("How often should pairs meet?")
    assert answer.outcome == "direct"
    assert "two sessions a month" in answer.answer.split("(From")[0]


def test_a_casual_how_often_is_not_answered_with_the_video_faq(guide: Guide) -> None:
    answer = guide.ask("how often r we supposed to meet")
    lead = answer.answer.split("(From")[0]
    assert "video" not in lead.lower() and "in person" not in lead.lower()
    assert answer.citations[0].section != "Can we meet over video instead of in person?"
    assert "a month" in lead


def _first_sentence(answer: str) -> str:
    return answer.split("(From")[0].split(". ")[0]


def test_how_often_leads_with_the_section_that_states_the_cadence(guide: Guide) -> None:
    # Not "At the target cadence of two sessions a month, that gives a pair around twelve
    # sessions" from "Cycle length", nor the special case of a pair that falls behind.
    for question in ("How often should pairs meet?", "how often r we supposed to meet"):
        answer = guide.ask(question)
        assert answer.outcome == "direct"
        assert answer.citations[0].section == "Cadence"
        first = _first_sentence(answer.answer)
        assert "two sessions a month" in first and "twelve sessions" not in first


@pytest.mark.parametrize("question", ["is 20 min even allowed", "would 90 minutes be too long?"])
def test_a_length_asked_about_is_answered_with_the_sessions_length(guide: Guide, question: str) -> None:
    answer = guide.ask(question)
    assert answer.citations[0].section == "Session length", answer.answer
    assert "between 30 and 60 minutes" in _first_sentence(answer.answer)


def test_a_value_counts_when_said_of_the_thing_asked_about(guide: Guide) -> None:
    # "how long" of a pairing: the cycle's length, not a duration said of something else.
    first = _first_sentence(guide.ask("how long is a pairing supposed to run").answer)
    assert "six months" in first and "falls behind" not in first


@pytest.mark.parametrize(
    ("heading", "kinds"),
    [
        ("Cadence", {"frequency"}),
        ("How often to meet", {"frequency"}),
        ("Session length", {"duration"}),
        ("Key dates and deadlines", {"time"}),
        ("When a pairing is not working", set()),  # "when" opens a case, not a date
        ("Who can take part", {"eligibility"}),
        ("Who to contact", {"contact"}),
        ("When confidentiality has limits", set()),  # limits on what is kept, not a number
    ],
)
def test_what_a_heading_says_its_section_gives(heading: str, kinds: set[str]) -> None:
    assert ask._headed(heading) == kinds


@pytest.mark.parametrize(
    ("sentence", "special"),
    [
        ("If two sessions in a row are cancelled, the coordinator calls.", True),
        ("A pair that falls behind should catch up by meeting twice a month.", True),
        ("The target is two sessions a month.", False),
        ("Sessions last between 30 and 60 minutes.", False),
        ("The absolute minimum is one session a month; a pair that meets less often loses momentum.", False),
    ],
)
def test_which_sentences_give_a_special_case(sentence: str, special: bool) -> None:
    assert ask._conditional(sentence) is special


def test_answers_read_as_prose_not_stitched_snippets(guide: Guide) -> None:
    for question in (
        "How long should sessions be?",
        "who can read a private note?",
        "What is a stalled pair?",
    ):
        answer = guide.ask(question).answer
        assert "See also:" not in answer
        sections = {c.section for c in guide.ask(question).citations if c.section}
        # no sentence opens with a bare section name followed by a colon ("Cadence: The target...")
        assert not any(f"{s}:" in answer or answer.startswith(s) for s in sections)
        assert answer.rstrip().endswith(".")


def test_a_question_asking_how_long_leads_with_a_duration(council: Guide) -> None:
    answer = council.ask("How long is each conversation?")
    assert answer.outcome == "direct" and "75 minutes" in answer.answer.split("(From")[0]
    assert answer.citations[0].source == "participant-handbook.pdf"
    assert answer.citations[0].section == "What you are signing up to"  # the PDF's own heading


def test_a_question_about_who_may_take_part_leads_with_the_conditions(council: Guide) -> None:
    # Every sentence about guides names a role; the one that sets conditions answers "who is allowed".
    lead = council.ask("who is allowed to be a guide").answer.split("(From")[0]
    assert lead.startswith("Guides must have joined the council within the last three years")


def test_a_section_headed_by_what_is_asked_leads(council: Guide) -> None:
    # "Running a good conversation" shares more words; "Before your first conversation" is the subject.
    lead = council.ask("what do we need to do before our first session?").answer.split("(From")[0]
    assert "introductory workshop" in lead


@pytest.mark.parametrize(
    ("heading", "question", "titled"),
    [
        ("Before your first conversation", "what should we do before the first meeting", True),
        (
            "Can I mentor more than one executive at a time?",
            "can an exec pick a junior colleague they know",
            False,
        ),
        ("Budget", "what does the budget cover", False),  # one word is not a title match
    ],
)
def test_which_headings_are_what_is_asked(heading: str, question: str, titled: bool) -> None:
    assert ask._titled(heading, question) is titled


def test_a_lead_sentence_that_points_back_is_read_with_the_one_before(council: Guide) -> None:
    # "It also gives newer staff…" and "…a direct line to that knowledge" lean on the sentence
    # before them, which holds the reason asked for.
    lead = council.ask("why does the council bother with reverse mentoring").answer.split("(From")[0]
    assert "It also gives newer staff" in lead
    assert "Residents increasingly reach us online" in lead
    assert lead.index("Residents") < lead.index("It also gives")


def test_a_lead_sentence_ending_with_a_colon_brings_what_it_announces(guide: Guide) -> None:
    lead = guide.ask("what should I do in the 20 minutes before a session as an exec").answer
    lead = lead.split("(From")[0]
    assert "Allow about 20 minutes before each session:" in lead
    assert "Reread the previous note" in lead  # the first thing it announces
    assert not lead.rstrip().endswith(":")


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("It also gives newer staff early sight of decisions.", True),
        ("These are kept for two years.", True),
        ("In that case hold the workshop online.", True),
        ("You can also ask to be rematched.", True),
        ("The scheme gives managers a direct line to that knowledge.", True),
        ("Send the profiles within a week of that.", False),  # points inside its own sentence
        ("Make sure that the agenda is sent two days before.", False),
        ("Guides must have passed their probation.", False),
    ],
)
def test_which_sentences_lean_on_the_one_before(sentence: str, leans: bool) -> None:
    assert ask._leans_back(sentence, ask._language()) is leans


# The three outcomes ---------------------------------------------------------------------


def test_three_outcomes_each_worded_for_a_person(guide: Guide) -> None:
    direct = guide.ask("How long should sessions be?")
    assert direct.outcome == "direct" and not direct.abstained
    assert "30 and 60 minutes" in direct.answer and direct.citations
    closest = guide.ask("Is there a WhatsApp group for mentors?")
    assert closest.outcome == "closest" and not closest.abstained and closest.citations
    assert closest.answer.startswith("The guidelines don't say this directly. The closest they come is")
    covered = guide.ask("How many weeks of parental leave am I entitled to?")
    assert covered.outcome == "not_covered" and covered.abstained and covered.citations == []
    assert "don't cover" in covered.answer and "HR" in covered.answer  # who to ask, from scope.yaml


def test_a_fact_of_the_moment_is_not_answered_as_if_the_rules_held_it(guide: Guide) -> None:
    # Guidelines hold rules: who is in the program now, or how many finished last time, they don't say.
    for question in ("Which mentors are currently in the program?", "How many pairs finished last cycle?"):
        assert guide.ask(question).outcome != "direct", question
    assert guide.ask("How many sessions should a pair have?").outcome == "direct"


def test_outcomes_on_the_labelled_questions(guide: Guide) -> None:
    answerable = [guide.ask(item["question"]).outcome for item in QUESTIONS["answerable"]]
    assert answerable.count("not_covered") / len(answerable) <= 0.03
    assert answerable.count("direct") / len(answerable) >= 0.88
    outside = [guide.ask(q).outcome for q in QUESTIONS["out_of_scope"]]
    assert outside.count("direct") / len(outside) <= 0.12


def test_quality_on_the_second_handbook(council: Guide) -> None:
    items = BOOK["answerable"] + BOOK["answerable_more"]
    answers = [(item, council.ask(item["question"])) for item in items]
    facts = sum(carries_facts(a, item["facts"]) for item, a in answers) / len(answers)
    cited = sum(any(c.source == item["source"] for c in a.citations) for item, a in answers) / len(answers)
    direct = sum(a.outcome == "direct" for _item, a in answers) / len(answers)
    missing = sum(a.outcome == "not_covered" for _item, a in answers) / len(answers)
    assert facts >= 0.8 and cited >= 0.92 and direct >= 0.87 and missing <= 0.04
    outside = [council.ask(q).outcome for q in BOOK["out_of_scope"]]
    assert outside.count("direct") / len(outside) <= 0.15


def test_chat_gives_the_same_outcome_as_ask(demo_copy: Copier) -> None:
    guide = Guide(demo_copy("ask-chat"), model=None)
    chat = Chat(guide)
    for question in (
        "How often should pairs meet?",
        "Is there a WhatsApp group for mentors?",
        "How many weeks of parental leave am I entitled to?",
        "why does the exec have to teach anything at all if they're the mentee?",  # shorthand read alike
    ):
        reply = chat.answer("noor", question, [])
        assert reply.task == "ask" and reply.payload is not None, reply.message
        expected = guide.ask(question, "noor")
        assert reply.payload["outcome"] == expected.outcome
        assert expected.answer.split("(From")[0].strip() in reply.message


def test_the_outcome_model_weighs_what_the_passages_say_an_existence_question_and_a_particular_fact() -> None:
    model = ask_outcome.load(KNOWLEDGE)
    named = {"coverage": 1.0, "coverage_best": 1.0, "unsaid": 0.0, "unknown": 0.0, "sentence": 0.5}
    base = named | {
        "passage": 0.5,
        "passage_margin": 0.05,
        "scope": -0.2,  # the guidelines a little nearer than HR, IT…
        "exists": 0.0,
        "particular": 0.0,
    }
    assert model.direct(base)
    # The passages name little of what is asked, and nothing they say is near the rest.
    assert not model.direct(base | {"coverage": 0.2, "coverage_best": 0.2, "unsaid": -0.5})
    assert model.probability(base | {"unsaid": -0.5}) < model.probability(base)
    assert model.probability(base | {"exists": 1.0}) < model.probability(base)  # "Is there a …?"
    assert model.probability(base | {"particular": 1.0}) < model.probability(base)  # "… by name?"
    assert model.probability(base | {"scope": 0.1}) < model.probability(
        base
    )  # an area left to others is nearer


def test_words_the_passages_lack_count_by_how_near_they_come_in_meaning(guide: Guide) -> None:
    # "defensive" is said where the guidelines deal with reactions; a phone number is said nowhere.
    near = "my executive gets defensive whenever I push back"
    far = "Which phone number do I ring to cancel a session?"
    unsaid = {q: ask_outcome.signals(guide, ask.read(guide, q))["unsaid"] for q in (near, far)}
    assert unsaid[far] < unsaid[near] < 0.0
    assert guide.ask(near).outcome == "direct"
    assert guide.ask(far).outcome == "closest"
    assert guide.ask("What discount do mentors get at the staff canteen?").outcome != "direct"


# What a question asks for ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("How often do we meet?", ["frequency"]),
        ("Can PhD students be mentors?", ["eligibility"]),
        ("I'm on a 0.6 contract, does that rule me out?", ["eligibility"]),
        ("What number do I ring to speak to the team?", ["phone", "contact", "number"]),
        ("whats the email address for the team", ["email", "contact"]),
        ("what's the coordinator's email?", ["email", "contact"]),
        ("should I email my exec before I cancel?", []),  # to email someone is not to ask for an address
        ("phone number for the programme lead?", ["phone", "contact"]),
        ("how long is the workshop", ["duration"]),
        ("How many pairs per coordinator?", ["number"]),
        ("how big is the travel budget?", ["amount", "number"]),  # money, which a date is not
        ("How much does the course cost?", ["amount", "number"]),
        ("When do applications close?", ["time"]),
        ("what time does the closing event start", ["clock"]),  # a time of day, which a date is not
        ("What are the names of the four pair coaches?", ["name"]),  # a person's name, not "four coaches"
        ("who signs off the report", ["role"]),
        ("who is allowed to be a guide", ["eligibility", "role"]),
        ("am I eligible to apply?", ["eligibility"]),
        ("I only joined in March, can I still apply?", ["eligibility"]),
        ("who can I talk to about this", ["role"]),
        ("what do we do when he cancels?", []),
        ("Why run the scheme at all?", ["reason"]),
        ("does gareth see my pulse scores?", ["visibility"]),
        ("who sees the survey answers?", ["visibility", "role"]),
        ("are my notes visible to the program team?", ["visibility"]),
    ],
)
def test_what_a_question_asks_for(question: str, kinds: list[str]) -> None:
    assert asks_for(question) == kinds


@pytest.mark.parametrize(
    ("sentence", "kind", "expected"),
    [
        ("Each conversation lasts 75 minutes.", "duration", True),
        ("Attend the two-hour workshop.", "duration", True),
        ("You meet every three weeks.", "frequency", True),
        ("Hold two sessions a month.", "frequency", True),
        ("Meet in person at least once if you can.", "frequency", False),
        ("Open applications in June.", "time", True),
        ("A panel of three makes every match.", "number", True),
        ("Keep it friendly and open.", "number", False),
        ("Guides must have passed their probation.", "eligibility", True),
        ("The scheme is open to all staff below grade 7.", "eligibility", True),
        ("Mentors can be any member of staff who has worked here for six months.", "eligibility", True),
        ("The guide chooses the subject.", "eligibility", False),
        ("Email upstream@fernbrook.example and the team will reply.", "contact", True),
        ("Write a personal statement of no more than 500 words.", "duration", True),  # how long it can be
        ("For a threat to safety call +44 20 7946 0990 at any hour.", "contact", True),
        ("For a threat to safety call +44 20 7946 0990 at any hour.", "email", False),
        ("For a threat to safety call +44 20 7946 0990 at any hour.", "phone", True),
        ("Email upstream@fernbrook.example and the team will reply.", "email", True),
        ("Email upstream@fernbrook.example and the team will reply.", "phone", False),
        ("The closing event is on Thursday 18 June 2026.", "contact", False),
        ("The closing event is on Thursday 18 June 2026.", "clock", False),
        ("Drop-in hours are every Tuesday, 12:00 to 13:00.", "clock", True),
        ("Pair coaches - four Lanternfield coaches, each supporting six pairs.", "name", False),
        ("Programme coordinator - Tomasz Reddaway, Lanternfield.", "name", True),
        ("Each team gets £250 for the year.", "amount", True),
        ("Taking part costs you nothing.", "amount", True),
        ("The budget is agreed on Thursday 9 July 2026.", "amount", False),
    ],
)
def test_what_a_sentence_carries(sentence: str, kind: str, expected: bool) -> None:
    assert carries(sentence, kind) is expected


def tune_figures(guide: Guide, source: Path) -> tuple[float, float, float]:
    """A handbook's answerable tune questions: facts carried, right file, direct answers."""
    items = handbook.questions(source)["tune"]
    answers = [(item, guide.ask(item["question"])) for item in items["answerable"]]
    facts = sum(carries_facts(a, item["facts"]) for item, a in answers) / len(answers)
    cited = sum(any(c.source == item["source"] for c in a.citations) for item, a in answers) / len(answers)
    direct = sum(a.outcome == "direct" for _item, a in answers) / len(answers)
    return facts, cited, direct


def test_quality_on_the_third_handbook(trust: Guide) -> None:
    """Its tune questions (floors below the figures `bench/ask_quality.py` reports: 0.875, 0.975, 0.90)."""
    facts, cited, direct = tune_figures(trust, handbook.TRUST)
    assert facts >= 0.82 and cited >= 0.92 and direct >= 0.85, (facts, cited, direct)
    outside = [trust.ask(q).outcome for q in handbook.questions(handbook.TRUST)["tune"]["out_of_scope"]]
    assert outside.count("direct") / len(outside) <= 0.2


def test_a_question_for_an_address_leads_with_one(trust: Guide) -> None:
    lead = trust.ask("whats the email address for the reverse mentoring team").answer.split("(From")[0]
    assert "@" in lead, lead


def test_how_long_records_are_kept_comes_from_the_retention_section(trust: Guide) -> None:
    lead = trust.ask("How long do you keep the session logs?").answer.split("(From")[0]
    assert "two years" in lead, lead


def test_a_handbook_that_covers_expenses_answers_them_itself(trust: Guide, guide: Guide) -> None:
    """scope.yaml leaves expenses to finance; a handbook with its own section on them answers."""
    question = "can I claim my mileage for driving to a session at another site?"
    answer = trust.ask(question)
    assert answer.outcome == "direct" and "mileage" in answer.answer.split("(From")[0], answer.answer
    assert guide.ask(question).outcome == "not_covered"  # the demo guidelines say nothing of expenses


def test_quality_on_the_fourth_handbook(charity: Guide) -> None:
    """Its tune questions (floors below the figures `bench/ask_quality.py` reports: 0.725, 0.975, 0.90)."""
    facts, cited, direct = tune_figures(charity, handbook.CHARITY)
    assert facts >= 0.68 and cited >= 0.9 and direct >= 0.8, (facts, cited, direct)


def test_a_long_title_leaves_the_section_its_meaning(trust: Guide) -> None:
    # "Wyvern Vale Hospitals NHS Foundation Trust - … - A Guide for Mentors and Mentees" before each
    # section drowned "Training before you start"; what the document is (its last part) is kept.
    meta = {"title": "Wyvern Vale Hospitals - Programme - A Guide for Mentors", "section": "Training"}
    assert search_text("Text.", meta) == "A Guide for Mentors — Training\nText."
    assert search_text("Text.", meta, keywords=True).startswith("Wyvern Vale Hospitals - Programme")
    lead = trust.ask("what does the mentor training involve and how long is it").answer.split("(From")[0]
    assert "half-day" in lead


def test_a_list_item_leads_with_its_lead_in_and_the_lead_in_alone_does_not(trust: Guide) -> None:
    # "Reverse mentoring is not:" sits near any question that says "reverse mentoring"; it says
    # nothing alone. An item that answers comes with the line that introduces it.
    assert ask._introduces("Mentees must not:") and not ask._introduces(
        "Work through these steps in order, then:"
    )
    lead = trust.ask("is reverse mentoring a way to raise a grievance?").answer.split("(From")[0]
    assert "Reverse mentoring is not: a route for raising individual complaints or grievances" in lead, lead


def test_a_value_is_said_of_what_the_question_names() -> None:
    named = ask._question_terms("how long do you keep the session logs")
    assert ask._named("Each session lasts 60 minutes.", named) < ask.NAMED_SHARE
    assert ask._named("Session logs are kept for two years.", named) >= ask.NAMED_SHARE


def test_words_of_one_meaning_count_once_in_their_dictionary_form() -> None:
    named = ask._question_terms("how often do pairs meet, and how long is each session?")
    assert [word for word, _ in named] == ["pairs", "meet"]  # "session" is the meeting again
    assert ask._named("Conversations are held every three weeks.", named) >= ask.NAMED_SHARE
    (_, paid), *_ = ask._question_terms("paid?")
    assert "pay" in paid  # "There is no payment…" names what "do mentors get paid" asks


def test_the_sentence_that_names_what_matters_states_the_value(charity: Guide) -> None:
    """A list of dates answers "when's the deadline" with the deadline, not its first date."""
    lead = charity.ask("whens the deadline to apply").answer.split("(From")[0]
    assert "Application deadline: Friday 12 September 2025" in lead and "Applications open" not in lead, lead


def test_a_sentence_naming_its_subject_by_a_pronoun_answers(charity: Guide) -> None:
    """ "Keep them…, and delete them within three months" is about the notes the sentence before names."""
    answer = charity.ask("how long am i allowed to keep my notes from the sessions")
    assert "within three months" in answer.answer.split("(From")[0], answer.answer


def test_handbook_files_are_built_fresh(tmp_path: Path) -> None:
    paths = handbook.build(tmp_path)
    assert [p.suffix for p in paths] == [".pdf", ".docx"] and all(p.stat().st_size > 1000 for p in paths)
    paths = handbook.build(tmp_path / "charity", handbook.CHARITY)
    assert sorted(p.suffix for p in paths) == [".docx", ".md", ".pdf"]
    markdown = next(p for p in paths if p.suffix == ".md").read_text()
    assert markdown.startswith("# ") and "\n## " in markdown and "\n- " in markdown


def test_a_list_the_answer_quotes_from_reads_whole_and_runs_on(
    empty_copy: Copier, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Items of a list come whole after their lead-in, as the list has them, not as cut sentences."""
    guide = _guide_over(
        empty_copy,
        tmp_path_factory.mktemp("listed"),
        "# Participant agreement\n\n## When confidentiality does not apply\n\n"
        "Confidentiality gives way in four situations:\n\n"
        "- someone is at risk of serious harm, including self-harm;\n- a crime is disclosed;\n"
        "- fraud, bribery or harassment is disclosed;\n- there is a risk to health and safety on site.\n\n"
        "If one of these arises, tell your coach the same day.\n\n"
        "## Expenses\n\nMentors claim rail travel at standard class. Parking is refunded up to £15 a day.\n",
    )
    answer = guide.ask("in what situations can confidentiality be broken?").answer
    assert (
        "Confidentiality gives way in four situations: someone is at risk of serious harm, including "
        "self-harm; a crime is disclosed; fraud, bribery or harassment is disclosed; there is a risk to "
        "health and safety on site." in answer
    ), answer
    assert ";." not in answer
    assert answer.count("Participant agreement") == 1, answer  # a document's title said once


def test_a_value_asked_for_and_not_given_is_not_a_direct_answer(
    empty_copy: Copier, tmp_path_factory: pytest.TempPathFactory
) -> None:
    guide = _guide_over(
        empty_copy,
        tmp_path_factory.mktemp("valued"),
        "# Programme guide\n\n## The closing showcase\n\n"
        "The closing showcase on 15 October brings all pairs together at head office. Each executive "
        "gives a short account of their commitment, and mentors can present jointly.\n\n"
        "## Expenses\n\nMentors claim rail travel at standard class through the expenses system. "
        "The showcase budget pays for the venue on 15 October.\n",
    )
    assert guide.ask("when is the closing showcase?").outcome == "direct"  # a date is a when
    how_long = guide.ask("how long does each executive get to speak at the showcase?")
    assert how_long.outcome == "closest", how_long.answer  # no length is given anywhere
    budget = guide.ask("how big is the showcase budget?")
    assert budget.outcome == "closest", budget.answer  # a date is no sum of money


@pytest.mark.parametrize(
    ("book", "question", "fact"),
    [
        ("trust", "What are we supposed to do in our first meeting?", "working agreement"),
        ("charity", "I was a mentor last year - am I allowed to do it again?", "up to two cohorts"),
    ],
)
def test_the_answer_goes_on_with_its_passage(
    book: str, question: str, fact: str, request: pytest.FixtureRequest
) -> None:
    """A rule is often stated a sentence or two after the one nearest the question: the lead takes
    up to two more of that passage when they score near it (knowledge/ask_lead.yaml)."""
    lead = request.getfixturevalue(book).ask(question).answer.split("(From")[0]
    assert fact in lead, lead


def test_who_gets_to_see_something_is_answered_by_what_is_visible(guide: Guide) -> None:
    answer = guide.ask("can my manager see my survey answers")
    assert answer.outcome == "direct" and answer.answer.startswith("Survey answers are anonymous"), (
        answer.answer
    )


def test_a_yes_or_no_question_gets_the_passages_own_yes_or_no(guide: Guide) -> None:
    answer = guide.ask("can a mentor take on a second mentee")
    assert answer.outcome == "direct" and answer.answer.startswith("No. Each mentor is paired"), answer.answer


def test_a_question_not_answered_yes_or_no_leaves_the_passages_verdict_out(guide: Guide) -> None:
    answer = guide.ask("how many executives can a mentor have at once")
    assert answer.answer.startswith("Each mentor is paired with one executive per cycle"), answer.answer


def test_a_fact_asked_of_another_run_or_of_someone_else_is_not_a_direct_answer(
    empty_copy: Copier, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A handbook for Cohort 4 does not give Cohort 5's dates; the coordinator's address is not the
    head's; a closing event with a date and no time does not say when it starts, whatever else does."""
    guide = _guide_over(
        empty_copy,
        tmp_path_factory.mktemp("editions"),
        "# Cohort 4 guide\n\n## Key dates\n\n"
        "Applications for Cohort 4 open at 09:00 on Monday 3 February 2025. Cohort 4 pairs are announced "
        "at the launch event at 14:00 on 24 April 2025. "
        "The closing event is on Thursday 27 November 2025.\n\n"
        "## Contacts\n\n"
        "Programme Coordinator: Tomasz Wren, 0113 496 0427, turnabout@bank.example. "
        "Head of Inclusion: Rupert Ash, through his office on 0113 496 0400.\n",
    )
    assert guide.ask("when do applications open for cohort 4?").outcome == "direct"
    assert guide.ask("when do applications open for cohort 5?").outcome == "closest"
    assert guide.ask("what's the programme coordinator's email address?").outcome == "direct"
    assert guide.ask("What is the Head of Inclusion's email address?").outcome == "closest"
    assert guide.ask("What time does the closing event start?").outcome != "direct"


def test_a_handbook_that_speaks_of_the_thing_asked_answers_it(bank: Guide) -> None:
    """scope.yaml leaves certificates to HR and "by name" reads as a fact of the moment; a handbook
    that says how its certificate is earned, or that a named mentor can't be asked for, answers."""
    certificate = bank.ask("What do I need to do to get the completion certificate?")
    assert certificate.outcome == "direct" and "six sessions" in certificate.answer, certificate.answer
    named = bank.ask("Can an executive ask for a particular mentor by name?")
    assert named.outcome == "direct" and "named mentor" in named.answer, named.answer


def test_quality_on_the_seventh_handbook(bank: Guide) -> None:
    """Its tune questions (floors below the figures `bench/ask_quality.py` reports: 0.70, 0.90, 0.80;
    out of scope answered directly 0.45, 0.65 before the rules on other runs and named contacts)."""
    facts, cited, direct = tune_figures(bank, handbook.BANK)
    assert facts >= 0.67 and cited >= 0.87 and direct >= 0.77, (facts, cited, direct)
    outside = [bank.ask(q).outcome for q in handbook.questions(handbook.BANK)["tune"]["out_of_scope"]]
    assert outside.count("direct") / len(outside) <= 0.5


def test_how_many_are_there_this_year_is_answered_by_this_years_count(
    empty_copy: Copier, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """ "Are there" after "how many" asks a number, not whether something exists, and "this year" is
    no fact of the moment the guide lacks when it says "this year" itself."""
    guide = _guide_over(
        empty_copy,
        tmp_path_factory.mktemp("counted"),
        "# Programme guide\n\n## Who can be a mentor?\n\n"
        "Each school has three student places, which makes twelve student pairs across the trust. There "
        "are also six staff places, giving eighteen pairs in total this year.\n\n## Sessions\n\n"
        "Pairs meet six times over the school year, for about an hour each time.\n",
    )
    answer = guide.ask("How many mentoring pairs are there this year?")
    assert answer.outcome == "direct" and "eighteen pairs" in answer.answer, answer.answer
