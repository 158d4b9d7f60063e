"""LLM mode for chat: the model answers a turn by calling the registry's tools, then writes prose.

The signed-in caller (user, role and pair) is bound here, on the server: tools take only the
arguments their schema lists (``extra="forbid"``), so a model cannot name a user or another
pair, and text inside notes reaches the model as tool data. Tool calls are validated by the
registry and capped per turn; citations must be labels that a tool returned this turn. Any
failure (timeout, malformed calls, too many calls, JSON instead of prose, a made-up citation)
answers the turn offline and says why.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from assistant import aio
from assistant.errors import AssistantError
from assistant.guide import COMPOSED
from assistant.prompts import render
from assistant.render import prose
from assistant.tasks.chain import UnusableOutput, describe, model_name
from assistant.tasks.schemas import Citation, Result
from assistant.tools import COORDINATION, Caller

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage

    from assistant.chat import Chat, Reply, Turn

log = logging.getLogger(__name__)
Emit = Callable[[str, Any], None]
HISTORY_TURNS = 12
CITED = re.compile(r"\[(S\d+)\]")
NOT_PROSE = re.compile(r"^\s*(```|\{|\[\s*[\{\"\[])")
STATUS = {
    "topics": "Looking for topics that fit your pair…",
    "agenda": "Drafting an agenda…",
    "brief": "Putting your brief together…",
    "coach": "Checking the challenge playbook…",
    "ask": "Reading the program guidelines…",
    "search_notes": "Looking at your notes…",
    "draft_message": "Drafting a message…",
    "program_health": "Looking at the program's figures…",
    "pairing": "Working out pairings…",
    "rotation": "Planning the rotation…",
}


def _quiet(_kind: str, _data: Any) -> None:
    """Events nobody listens to (a turn answered as a whole)."""


# Where a streamed turn's events go ("status", "token"); set by whoever streams the turn.
EMIT: ContextVar[Emit] = ContextVar("emit", default=_quiet)


def source_text(citation: Citation) -> str:
    """How a source reads to the model and to people."""
    if citation.kind == "note":
        return f"session note {citation.note_id} ({citation.date})"
    return f"{citation.source} › {citation.section or 'introduction'}"


class Turned:
    """What one LLM turn gathered: tool results, the sources they returned, usage."""

    def __init__(self) -> None:
        self.sources: dict[str, Citation] = {}
        self.results: list[tuple[dict[str, Any], Result]] = []
        self.calls = 0
        self.usage = {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0}

    def label(self, citation: Citation) -> str:
        """The label the model cites a source by (one per source, whichever tool returned it)."""
        for label, known in self.sources.items():
            if known.key == citation.key:
                return label
        label = f"S{len(self.sources) + 1}"
        self.sources[label] = citation
        return label


class Agent:
    """Answers chat turns with a tool-calling model."""

    def __init__(self, chat: Chat, model: BaseChatModel) -> None:
        self.chat = chat
        self.model = model
        self.settings = chat.guide.settings

    # The tools, as the model sees them -------------------------------------------------

    def tool_specs(self, caller: Caller) -> list[dict[str, Any]]:
        """The registry's tools this caller may use, as OpenAI-style function specs."""
        specs = []
        for tool in self.chat.tools.tools.values():
            if not self.chat.tools.allowed(tool.name, caller):
                continue
            staff = tool.staff_too and caller.role in COORDINATION  # a coordinator reads what pairs share
            if tool.needs_pair and not caller.pair_ids and not staff:
                continue
            parameters = tool.args.model_json_schema()
            parameters.pop("title", None)
            specs.append(
                {
                    "type": "function",
                    "function": {
                        "name": tool.name,
                        "description": tool.description,
                        "parameters": parameters,
                    },
                }
            )
        return specs

    def _run_tool(self, caller: Caller, call: Any, turned: Turned) -> str:
        """Run one tool call for the bound caller; refusals go back to the model as text."""
        name = str(call.get("name") or "")
        composed = COMPOSED.set(True)
        try:
            result = self.chat.tools.call(name, caller, dict(call.get("args") or {}))
        except AssistantError as exc:
            return f"Refused: {exc}"
        finally:
            COMPOSED.reset(composed)
        turned.results.append(({"tool": name, "args": dict(call.get("args") or {})}, result))
        sources = [(turned.label(c), source_text(c)) for c in result.citations]
        return render("tool_result", tool=name, body=prose(result), sources=sources)

    # One turn ----------------------------------------------------------------------------

    def _messages(self, caller: Caller, message: str, history: list[Turn]) -> list[BaseMessage]:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        system = render(
            "chat_system",
            person=caller.name,
            role=caller.role,
            partner=caller.partner,
            pair_id=caller.pair_id,
            pair_ids=caller.pair_ids,
        )
        earlier: list[BaseMessage] = [
            HumanMessage(t.content) if t.role == "user" else AIMessage(t.content)
            for t in history[-HISTORY_TURNS:]
            if t.content
        ]
        return [SystemMessage(system), *earlier, HumanMessage(message)]

    async def _step(self, bound: Any, messages: list[BaseMessage], emit: Emit, turned: Turned) -> AIMessage:
        """One model call, streamed: prose tokens go to ``emit`` as they come, JSON never does."""
        from langchain_core.messages import AIMessage

        gathered: Any = None
        held, is_prose = "", None
        timeout = self.settings.llm_timeout
        try:
            async with asyncio.timeout(timeout):
                async for chunk in bound.astream(messages):
                    gathered = chunk if gathered is None else gathered + chunk
                    text = chunk.content if isinstance(chunk.content, str) else ""
                    if not text or chunk.tool_call_chunks:
                        continue
                    held += text
                    if is_prose is None and held.strip():
                        is_prose = not NOT_PROSE.match(held)
                    if is_prose:
                        emit("token", held)
                        held = ""
        except TimeoutError:
            raise TimeoutError(f"the model did not answer within {timeout:g} s") from None
        if gathered is None:
            raise UnusableOutput("the model returned nothing")
        for key, value in (getattr(gathered, "usage_metadata", None) or {}).items():
            if key in turned.usage:
                turned.usage[key] += int(value)
        return AIMessage(
            content=gathered.content,
            tool_calls=gathered.tool_calls,
            invalid_tool_calls=gathered.invalid_tool_calls,
        )

    async def turn(
        self,
        caller: Caller,
        message: str,
        history: list[Turn],
        conversation_id: str,
        emit: Emit = _quiet,
        turned: Turned | None = None,
    ) -> Reply:
        """Answer one message with the model and the tools; raise why when it cannot be used."""
        from langchain_core.messages import ToolMessage

        began = time.perf_counter()
        limit = self.settings.llm_max_tool_calls
        specs = self.tool_specs(caller)
        bound = self.model.bind_tools(specs) if specs else self.model
        messages = self._messages(caller, message, history)
        turned = turned if turned is not None else Turned()
        for _step in range(limit + 1):
            answer = await self._step(bound, messages, emit, turned)
            if answer.invalid_tool_calls:
                raise UnusableOutput("the model's tool call was malformed")
            if not answer.tool_calls:
                break
            turned.calls += len(answer.tool_calls)
            if turned.calls > limit:
                raise UnusableOutput(f"the model asked for more than {limit} tool calls in one turn")
            messages.append(answer)
            for call in answer.tool_calls:
                emit("status", STATUS.get(call["name"], "Working on it…"))
                content = await asyncio.to_thread(self._run_tool, caller, call, turned)
                messages.append(ToolMessage(content=content, tool_call_id=call["id"] or call["name"]))
        else:
            raise UnusableOutput("the model did not finish its answer")
        return self._reply(answer, turned, conversation_id, message, time.perf_counter() - began)

    def _reply(
        self, answer: AIMessage, turned: Turned, conversation_id: str, message: str, took: float
    ) -> Reply:
        from assistant.chat import Reply

        text = answer.content.strip() if isinstance(answer.content, str) else ""
        if not text or NOT_PROSE.match(text):
            raise UnusableOutput("the model's answer was not prose")
        cited = list(dict.fromkeys(CITED.findall(text)))
        made_up = [c for c in cited if c not in turned.sources]
        if made_up:
            raise UnusableOutput(f"the model cited {', '.join(made_up)}, which no tool returned")
        citations = [turned.sources[c] for c in cited]
        shown = text
        if citations:
            shown += "\n\n**Sources:**\n" + "\n".join(
                f"- [{c}] {source_text(turned.sources[c])}" for c in cited
            )
        last_call, last = turned.results[-1] if turned.results else ({"tool": "chat", "args": {}}, None)
        task = str(last_call["tool"])
        reply = Reply(conversation_id, task, shown, standalone=message, intent=task)
        reply.mode = "llm"
        reply.citations = [c.model_dump() for c in citations]
        if last is not None:
            reply.payload = last.model_dump(mode="json")
            reply.call = last_call
        reply.usage = {**turned.usage, "model": model_name(self.model), "latency_s": round(took, 3)}
        log.info(
            "chat turn: model=%s tools=%d tokens=%d+%d latency=%.2fs",
            reply.usage["model"],
            turned.calls,
            turned.usage["input_tokens"],
            turned.usage["output_tokens"],
            took,
        )
        return reply

    # Entry points --------------------------------------------------------------------------

    def fallback(
        self, exc: BaseException, offline: Callable[[], Reply], began: float, caller: Caller, turned: Turned
    ) -> Reply:
        """The turn answered offline, saying why the model's answer was not used (logged without text)."""
        reason = describe(exc)
        took = time.perf_counter() - began
        log.warning(
            "model answer not used: task=chat model=%s reason=%s latency=%.2fs",
            model_name(self.model),
            reason,
            took,
        )
        usage = {**turned.usage, "model": model_name(self.model), "latency_s": took}
        self.chat.assistant.audit(caller.user_id, "chat_fallback", [], usage=usage)
        composed = COMPOSED.set(True)  # the model just failed: the offline answer does not ask it again
        try:
            reply = offline()
        finally:
            COMPOSED.reset(composed)
        reply.fallback_reason = reason
        return reply

    def answer(
        self,
        caller: Caller,
        message: str,
        history: list[Turn],
        conversation_id: str,
        offline: Callable[[], Reply],
    ) -> Reply:
        """Answer a turn with the model (waiting here), or offline with the reason.

        Events go to ``EMIT``; a listener that has gone away raises from it and so ends the model call.
        """
        began = time.perf_counter()
        turned = Turned()
        try:
            reply = aio.run(self.turn(caller, message, history, conversation_id, EMIT.get(), turned))
        except Exception as exc:  # noqa: BLE001 - a misbehaving model must never fail the turn
            return self.fallback(exc, offline, began, caller, turned)
        notes = [str(c["note_id"]) for c in reply.citations if c.get("kind") == "note"]
        self.chat.assistant.audit(caller.user_id, "chat", notes, usage=reply.usage)
        return reply
