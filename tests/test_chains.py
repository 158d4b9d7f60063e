"""LLM mode with LangChain's fake chat models: good output is used, anything else falls back."""

import json

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.core import Assistant
from assistant.guide import Guide
from assistant.tasks.brief import RECAP_NOTES
from assistant.tasks.chain import model_schema
from assistant.tasks.schemas import Agenda, Answer
from tests.conftest import Copier
from tests.fakes import ToolFake, call

ASK_OK = json.dumps({"answer": "Pairs meet twice a month.", "abstained": False, "citations": ["G1"]})


def guide_with(demo: Assistant, *responses: str, **fake: object) -> Guide:
    return Guide(demo, model=FakeListChatModel(responses=list(responses), **fake))


def test_valid_output_is_used_and_citations_resolve(demo: Assistant) -> None:
    answer = guide_with(demo, ASK_OK).ask("How often should pairs meet?")
    assert answer.mode == "llm" and answer.fallback_reason is None
    assert answer.answer == "Pairs meet twice a month."
    assert answer.citations[0].kind == "guideline" and answer.citations[0].source


def test_fenced_json_with_chatter_is_accepted(demo: Assistant) -> None:
    answer = guide_with(demo, f"Sure! Here it is:\n```json\n{ASK_OK}\n```\nHope that helps.").ask("cadence?")
    assert answer.mode == "llm"


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        ("I think you should meet often.", "not the JSON asked for"),
        (json.dumps({"answer": "Meet weekly.", "abstained": False, "citations": ["G42"]}), "not given"),
        (json.dumps({"answer": "Meet weekly.", "abstained": False, "citations": []}), "must cite"),
        (
            json.dumps({"answer": "Meet weekly.", "abstained": "maybe", "citations": ["G1"]}),
            "failed validation",
        ),
        (
            json.dumps({"answer": "Meet weekly.", "abstained": False, "citations": ["G1"], "admin": True}),
            "failed",
        ),
    ],
)
def test_unusable_output_falls_back_offline(demo: Assistant, response: str, reason: str) -> None:
    answer = guide_with(demo, response).ask("How often should pairs meet?")
    assert answer.mode == "offline"
    assert answer.fallback_reason is not None and reason in answer.fallback_reason
    assert not answer.abstained and answer.citations


def test_provider_exception_falls_back(demo: Assistant) -> None:
    broken = Guide(demo, model=GenericFakeChatModel(messages=iter([])))
    answer = broken.ask("How often should pairs meet?")
    assert answer.mode == "offline" and "model call failed" in (answer.fallback_reason or "")


def test_timeout_falls_back(demo: Assistant) -> None:
    quick = Assistant(demo.settings.model_copy(update={"llm_timeout": 0.2}))
    answer = Guide(quick, model=FakeListChatModel(responses=[ASK_OK], sleep=1.0)).ask("cadence?")
    assert answer.mode == "offline" and "within 0.2 s" in (answer.fallback_reason or "")


def structured(*messages: AIMessage) -> ToolFake:
    return ToolFake(messages=iter(messages))


def test_the_schema_goes_to_the_model_as_a_forced_tool_call(demo: Assistant) -> None:
    args = {"answer": "Pairs meet twice a month.", "abstained": False, "citations": ["G1"]}
    model = structured(AIMessage(content="", tool_calls=[call("answer", **args)]))
    answer = Guide(demo, model=model).ask("How often should pairs meet?")
    assert answer.mode == "llm" and answer.answer == "Pairs meet twice a month."
    assert answer.citations[0].kind == "guideline"
    assert model.bound == [["answer"]], "the task's schema was bound as the one tool"


def test_a_malformed_structured_answer_falls_back(demo: Assistant) -> None:
    broken = AIMessage(
        content="",
        invalid_tool_calls=[
            {
                "name": "answer",
                "args": '{"answer": "x", "abst',
                "id": "c1",
                "error": None,
                "type": "invalid_tool_call",
            }
        ],
    )
    answer = Guide(demo, model=structured(broken)).ask("How often should pairs meet?")
    assert answer.mode == "offline" and "malformed" in (answer.fallback_reason or "")
    wrong = AIMessage(
        content="", tool_calls=[call("answer", answer="Meet.", abstained="perhaps", citations=[])]
    )
    answer = Guide(demo, model=structured(wrong)).ask("How often should pairs meet?")
    assert answer.mode == "offline" and "failed validation at abstained" in (answer.fallback_reason or "")


def test_model_schema_names_only_the_passages_given_and_leaves_server_fields_out() -> None:
    schema = model_schema(Agenda, ["G1", "N1"], ("minutes", "carried_over_actions", "part"))
    assert set(schema["properties"]) == {"title", "items", "follow_ups", "citations"}
    assert schema["properties"]["citations"]["items"]["enum"] == ["G1", "N1"]
    assert "$defs" not in schema and "$ref" not in str(schema)
    assert model_schema(Answer, [])["required"] == ["answer", "abstained"]


def topics_json(*directions: str, title: str = "Reading a P&L without fear") -> str:
    return json.dumps(
        {
            "topics": [
                {
                    "title": f"{title} {n}",
                    "direction": d,
                    "why": "It fits the goals.",
                    "opening_questions": ["Where would you start?"],
                    "citations": ["N1"],
                }
                for n, d in enumerate(directions)
            ],
            "citations": ["G1"],
        }
    )


def test_topics_llm_output_is_checked(demo: Assistant) -> None:
    good = guide_with(demo, topics_json("mentor_to_executive", "executive_to_mentor")).topics(
        "priya-martin", as_user="priya", count=2
    )
    assert good.mode == "llm" and good.topics[0].citations[0].note_id.startswith("priya-martin")
    one_way = guide_with(demo, topics_json("mentor_to_executive", "mentor_to_executive")).topics(
        "priya-martin", as_user="priya", count=2
    )
    assert one_way.mode == "offline" and "both ways" in (one_way.fallback_reason or "")
    covered = guide_with(demo, topics_json("mentor_to_executive", "executive_to_mentor"))
    covered_title = covered.pair_context("priya-martin", "priya").covered(covered.knowledge.topics)[0].title
    repeat = json.loads(topics_json("mentor_to_executive", "executive_to_mentor"))
    repeat["topics"][0]["title"] = covered_title
    result = guide_with(demo, json.dumps(repeat)).topics("priya-martin", as_user="priya", count=2)
    assert result.mode == "offline" and "repeated" in (result.fallback_reason or "")


def test_agenda_minutes_must_add_up(demo: Assistant) -> None:
    items = [
        {"minutes": 10, "title": "Open actions", "lead": "both", "details": ""},
        {"minutes": 20, "title": "Budget walk-through", "lead": "executive", "details": ""},
        {"minutes": 10, "title": "Agree actions", "lead": "both", "details": ""},
    ]
    body = {"title": "Next session", "items": items, "follow_ups": [], "citations": ["G1"]}
    ok = guide_with(demo, json.dumps(body)).agenda("kai-helen", as_user="kai", minutes=40)
    assert ok.mode == "llm" and ok.carried_over_actions, "open actions come from the notes, not the model"
    wrong = guide_with(demo, json.dumps(body)).agenda("kai-helen", as_user="kai", minutes=45)
    assert wrong.mode == "offline" and "add up" in (wrong.fallback_reason or "")
    assert sum(i.minutes for i in wrong.items) == 45


def test_brief_llm_keeps_tracked_actions(demo: Assistant) -> None:
    guide = guide_with(demo, "{}")
    notes = guide.pair_context("noor-ingrid", "ingrid").notes[-RECAP_NOTES:]
    body = {
        "recap": [{"date": n["date"], "summary": "We met.", "note_id": n["id"]} for n in notes],
        "open_actions": [{"owner": "Nobody", "action": "made up", "since": "2026-01-01", "note_id": "x"}],
        "questions_to_ask": ["What should I try next?"],
        "reading": ["Guide for executives"],
        "citations": ["N1", "G1"],
    }
    brief = guide_with(demo, json.dumps(body)).brief("noor-ingrid", as_user="ingrid")
    assert brief.mode == "llm"
    assert "made up" not in {a.action for a in brief.open_actions} and brief.open_actions
    body["recap"][0]["note_id"] = "kai-helen-01"
    leaked = guide_with(demo, json.dumps(body)).brief("noor-ingrid", as_user="ingrid")
    assert leaked.mode == "offline" and "recap" in (leaked.fallback_reason or "")


def test_coach_llm_requires_citations(demo: Assistant) -> None:
    body = {
        "summary": "Cancellations.",
        "steps": [{"action": "Book a series.", "why": "It sticks."}],
        "citations": [],
    }
    result = guide_with(demo, json.dumps(body)).coach("he cancelled again")
    assert result.mode == "offline" and result.fallback_reason
    body["citations"] = ["G1"]
    assert guide_with(demo, json.dumps(body)).coach("he cancelled again").mode == "llm"


@pytest.fixture(scope="module")
def audited(demo_copy: Copier) -> Assistant:
    return demo_copy("chains-audit")


def test_tasks_audit_the_model_its_tokens_and_latency(audited: Assistant) -> None:
    used = {"input_tokens": 640, "output_tokens": 32, "total_tokens": 672}
    args = {"answer": "Pairs meet twice a month.", "abstained": False, "citations": ["G1"]}
    model = structured(AIMessage(content="", tool_calls=[call("answer", **args)], usage_metadata=used))
    answer = Guide(audited, model=model).ask("How often should pairs meet?", as_user="priya")
    entry = audited.audit_log(1)[0]
    assert answer.mode == "llm" and (entry["user_id"], entry["action"]) == ("priya", "ask")
    assert entry["model"] == "ToolFake" and (entry["input_tokens"], entry["output_tokens"]) == (640, 32)
    assert answer.usage is not None and entry["latency_ms"] == round(answer.usage["latency_s"] * 1000)
    assert "usage" not in answer.model_dump(), "what the model spent stays out of the response"

    # An answer that fails our checks still cost its tokens: the entry says the task fell back.
    one_way = json.loads(topics_json("mentor_to_executive", "mentor_to_executive"))
    model = structured(
        AIMessage(content="", tool_calls=[call("topicsresult", **one_way)], usage_metadata=used)
    )
    topics = Guide(audited, model=model).topics("priya-martin", as_user="priya", count=2)
    entry = audited.audit_log(1)[0]
    assert topics.mode == "offline" and entry["action"] == "topics_fallback"
    assert (entry["model"], entry["input_tokens"], entry["output_tokens"]) == ("ToolFake", 640, 32)
    assert entry["note_ids"] == sorted(set(topics.note_ids())) and entry["note_ids"]

    # Offline, nothing was spent: the entry lists the notes only, as before.
    Guide(audited, model=None).topics("priya-martin", as_user="priya", count=2)
    entry = audited.audit_log(1)[0]
    assert entry["action"] == "topics" and "model" not in entry
