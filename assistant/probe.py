"""What a configured model can do, asked live: does it answer, which structured output, does it call tools."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant import aio
from assistant.providers import binds_tools, choice, structured_method, tool_calling
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

PING = {
    "title": "ping",
    "description": "Check that the assistant is reachable. Call it whenever you are asked to ping.",
    "type": "object",
    "properties": {"word": {"type": "string", "description": "Any word."}},
    "required": ["word"],
}


async def _tools_answer(model: BaseChatModel) -> bool:
    bound = model.bind_tools([PING])
    reply = await bound.ainvoke("Please ping the assistant with the word 'hello' using the ping tool.")
    return bool(getattr(reply, "tool_calls", None))


def probe(settings: Settings, model: BaseChatModel) -> dict[str, Any]:
    """The doctor's report on a model: provider, model, whether it answers and what it supports.

    Tool calling is what the model's LangChain profile says; when it says nothing (a model on
    an OpenAI-compatible server), one short request asks the model to call a tool.
    """
    picked = choice(settings)
    report: dict[str, Any] = {
        "model": picked.model,
        "base_url": picked.base_url,
        "answers": True,
        "error": None,
        "structured_output": structured_method(settings, model),
        "tool_calling": tool_calling(model),
    }
    try:
        aio.run(model.ainvoke("Reply with the single word: ok"), settings.llm_timeout)
        if report["tool_calling"] is None and binds_tools(model):
            report["tool_calling"] = aio.run(_tools_answer(model), settings.llm_timeout)
    except Exception as exc:  # noqa: BLE001 - doctor reports any failure instead of raising
        report["answers"] = False
        report["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    return report
