"""The LLM path: retrieve → prompt → model with the task's schema → validate; the composer is the fallback.

The task's output schema goes to the model through LangChain's ``with_structured_output``
(JSON schema, tool calling or JSON mode, as ``providers.structured_method`` decides), so a
server that can enforce the schema (llama.cpp with a grammar, OpenAI's structured outputs)
does. What comes back is still checked: citations must name passages the task was given, and
each task's own rules (minutes that add up, both directions, actions from the tracker) apply.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from assistant import aio
from assistant.prompts import render
from assistant.providers import Method, structured_method
from assistant.tasks.schemas import Result
from assistant.tasks.sources import Sources

# LangChain is imported where a model is called (it takes about 0.5 s): offline answers never load it.
if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import HumanMessage, SystemMessage

    from assistant.guide import Guide

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Result)
SERVER_FIELDS = ("mode", "fallback_reason")  # never the model's to say
# The tokens the model spent on the task being answered: set by with_fallback, filled by run_llm,
# so an answer that fails our checks still counts what it cost.
_SPENT: ContextVar[dict[str, int] | None] = ContextVar("spent", default=None)


class UnusableOutput(ValueError):
    """The model answered, but not with something we can show."""


@dataclass
class Structured:
    """What the model returned for a task: the data, and its token usage."""

    data: dict[str, Any]
    usage: dict[str, int] = field(default_factory=dict)


def model_schema(result: type[Result], labels: list[str], omit: tuple[str, ...] = ()) -> dict[str, Any]:
    """The task's JSON schema as the model fills it.

    Citations are the labels of the passages given (an enum, so a server that enforces the
    schema cannot invent one); fields the server fills (``omit``, the mode) are left out;
    references are inlined, since not every server resolves ``$defs``.
    """
    schema = result.model_json_schema()
    defs = schema.pop("$defs", {})
    label: dict[str, Any] = {"type": "string", "description": "The label of a passage you were given."}
    if labels:
        label["enum"] = labels

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if ref == "#/$defs/Citation":
            return dict(label)
        if ref is not None:
            return walk(defs[ref.rsplit("/", 1)[-1]])
        return {k: walk(v) for k, v in node.items()}

    dropped = set(omit) | set(SERVER_FIELDS)
    out = walk(schema)
    out["properties"] = {k: v for k, v in out["properties"].items() if k not in dropped}
    out["required"] = [k for k in out.get("required", []) if k not in dropped]
    out["title"] = result.__name__.lower()
    out["description"] = (result.__doc__ or result.__name__).strip().splitlines()[0]
    return out


def resolve_citations(data: Any, sources: Sources) -> Any:
    """Replace passage labels (``"G1"``) under every ``citations`` key with real citations."""
    if isinstance(data, list):
        return [resolve_citations(item, sources) for item in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key == "citations":
            refs = value if isinstance(value, list) else [value]
            try:
                out[key] = [sources.resolve(str(r.get("ref") if isinstance(r, dict) else r)) for r in refs]
            except (KeyError, AttributeError) as exc:
                raise UnusableOutput(f"the model cited a passage it was not given ({exc})") from exc
        else:
            out[key] = resolve_citations(value, sources)
    return out


def messages(task: str, variables: dict[str, Any]) -> list[SystemMessage | HumanMessage]:
    """The system rules and the task prompt."""
    from langchain_core.messages import HumanMessage, SystemMessage

    return [SystemMessage(render("system")), HumanMessage(render(task, **variables))]


async def astructured(
    model: BaseChatModel, method: Method, task: str, variables: dict[str, Any], schema: dict[str, Any]
) -> Structured:
    """Ask the model for the task's output in its schema; raise ``UnusableOutput`` when it is not.

    A model class without structured output of its own (LangChain's fake models, some community
    integrations) is asked for JSON in its text, read by LangChain's JSON parser.
    """
    from langchain_core.exceptions import OutputParserException
    from langchain_core.output_parsers import JsonOutputParser

    prompt = messages(task, variables)
    try:
        runnable = model.with_structured_output(schema, method=method, include_raw=True)
    except NotImplementedError:
        raw = await model.ainvoke(prompt)
        try:
            data = JsonOutputParser().parse(str(raw.content))
        except OutputParserException as exc:
            raise UnusableOutput("the model's answer is not the JSON asked for") from exc
        return Structured(_object(data), _usage(raw))
    out = await runnable.ainvoke(prompt)
    assert isinstance(out, dict)  # include_raw: {"raw", "parsed", "parsing_error"}
    if out.get("parsing_error") is not None or out.get("parsed") is None:
        raise UnusableOutput(f"the model's structured answer is malformed ({method})")
    return Structured(_object(out["parsed"]), _usage(out.get("raw")))


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise UnusableOutput("the model's answer is not a JSON object")
    return data


def _usage(message: Any) -> dict[str, int]:
    usage = getattr(message, "usage_metadata", None) or {}
    return {k: int(usage.get(k, 0)) for k in ("input_tokens", "output_tokens", "total_tokens")}


def model_name(model: BaseChatModel) -> str:
    """The model's name, for logs and the audit log."""
    for attr in ("model_name", "model"):
        value = getattr(model, attr, None)
        if isinstance(value, str) and value:
            return value
    return type(model).__name__


def run_llm(
    guide: Guide,
    model: BaseChatModel,
    task: str,
    variables: dict[str, Any],
    sources: Sources,
    finish: Callable[[dict[str, Any]], R],
    result: type[Result],
    omit: tuple[str, ...] = (),
) -> R:
    """Ask the model for the task's schema; return a validated result, or raise why it cannot be used."""
    method = structured_method(guide.settings, model)
    schema = model_schema(result, list(sources.passages), omit)
    answer = aio.run(astructured(model, method, task, variables, schema), guide.settings.llm_timeout)
    spent = _SPENT.get()
    if spent is not None:
        spent.update(answer.usage)
    data = resolve_citations(answer.data, sources)
    for key in (*SERVER_FIELDS, *omit):
        data.pop(key, None)
    try:
        finished = finish(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "output"
        raise UnusableOutput(f"the model's output failed validation at {where}: {first['msg']}") from exc
    finished.mode = "llm"
    return finished


def describe(exc: BaseException) -> str:
    """A one-line reason for falling back, safe to show to users (no note text, no prompt)."""
    if isinstance(exc, UnusableOutput | TimeoutError):
        return str(exc)
    return f"the model call failed ({type(exc).__name__})"


def with_fallback(
    model: BaseChatModel | None,
    llm: Callable[[BaseChatModel], R],
    compose: Callable[[], R],
    task: str = "",
) -> R:
    """Use the model when there is one; any failure is answered by the composer, with the reason.

    The result records what the model spent (``Result.usage``: model, tokens, latency), used or not.
    """
    if model is None:
        return compose()
    began = time.perf_counter()
    spent: dict[str, int] = {}
    counting = _SPENT.set(spent)
    try:
        result = llm(model)
    except Exception as exc:  # noqa: BLE001 - a misbehaving model must never fail the request
        reason = describe(exc)
        took = time.perf_counter() - began
        log.warning(
            "model answer not used: task=%s model=%s reason=%s latency=%.2fs",
            task,
            model_name(model),
            reason,
            took,
        )
        result = compose()
        result.fallback_reason = reason
    else:
        took = time.perf_counter() - began
    finally:
        _SPENT.reset(counting)
    result.spent({**spent, "model": model_name(model), "latency_s": round(took, 3)})
    return result
