"""LangChain's fake chat model, able to take tools (``bind_tools``) and to stream its tool calls.

``GenericFakeChatModel`` answers with the messages it is given, tool calls included, but has no
``bind_tools`` and drops tool calls when it streams; this subclass adds both and records what
was bound, so a test scripts a model that calls tools the way a real one does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.outputs import ChatGenerationChunk
from pydantic import Field


class ToolFake(GenericFakeChatModel):
    """A scripted chat model that calls tools."""

    bound: list[list[str]] = Field(default_factory=list)
    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def bind_tools(self, tools: Any, *, tool_choice: Any = None, **kwargs: Any) -> ToolFake:
        names = []
        for tool in tools:
            spec = (
                tool.get("function", tool) if isinstance(tool, dict) else {"name": getattr(tool, "name", "")}
            )
            names.append(spec.get("name") or spec.get("title") or "")
        self.bound.append(names)
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        return super()._generate(messages, *args, **kwargs)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        message = next(self.messages)
        self.seen.append(list(messages))
        if isinstance(message, AIMessage) and (message.tool_calls or message.invalid_tool_calls):
            yield ChatGenerationChunk(
                message=AIMessageChunk(
                    content=message.content,
                    tool_call_chunks=[
                        tool_call_chunk(name=c["name"], args=_json(c["args"]), id=c["id"], index=n)
                        for n, c in enumerate(message.tool_calls)
                    ]
                    + [
                        tool_call_chunk(name=c["name"], args=c["args"], id=c["id"], index=100 + n)
                        for n, c in enumerate(message.invalid_tool_calls)
                    ],
                    usage_metadata=message.usage_metadata,
                )
            )
            return
        again = iter([message])
        saved, self.messages = self.messages, again
        try:
            yield from super()._stream(messages, stop, run_manager, **kwargs)
        finally:
            self.messages = saved


def _json(args: dict[str, Any]) -> str:
    import json

    return json.dumps(args)


def call(name: str, n: int = 0, **args: Any) -> dict[str, Any]:
    """One tool call as a model writes it."""
    return {"name": name, "args": args, "id": f"call_{name}_{n}", "type": "tool_call"}


def asks(*calls: dict[str, Any], text: str = "") -> AIMessage:
    """A model message that calls tools."""
    return AIMessage(content=text, tool_calls=list(calls))
