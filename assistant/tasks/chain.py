"""The LLM path: retrieve → prompt → model → parse → validate, with the composer as the fallback."""

from __future__ import annotations

import concurrent.futures
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from assistant.prompts import render
from assistant.tasks.schemas import Result
from assistant.tasks.sources import Sources

# LangChain is imported where a model is called (it takes about 0.5 s): offline answers never load it.
if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import HumanMessage, SystemMessage
    from langchain_core.runnables import Runnable

R = TypeVar("R", bound=Result)
TokenSink = Callable[[str], None]
_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="llm")


class UnusableOutput(ValueError):
    """The model answered, but not with something we can show."""


def parse_json(text: str) -> dict[str, Any]:
    """The first JSON object in the model's text (fences and chatter around it are ignored)."""
    start = text.find("{")
    if start < 0:
        raise UnusableOutput("the model's output holds no JSON object")
    try:
        data, _end = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        raise UnusableOutput(f"the model's JSON is malformed ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise UnusableOutput("the model's output is not a JSON object")
    return data


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


def llm_text(model: BaseChatModel, task: str, variables: dict[str, Any], on_token: TokenSink | None) -> str:
    """Run prompt → model → text, streaming tokens to ``on_token`` when given."""
    from langchain_core.output_parsers import StrOutputParser
    from langchain_core.runnables import RunnableLambda

    prompt: Runnable[dict[str, Any], list[SystemMessage | HumanMessage]] = RunnableLambda(
        lambda v: messages(task, v)
    )
    chain = prompt | model | StrOutputParser()
    if on_token is None:
        return chain.invoke(variables)
    parts = []
    for token in chain.stream(variables):
        parts.append(token)
        on_token(token)
    return "".join(parts)


def run_llm(
    model: BaseChatModel,
    task: str,
    variables: dict[str, Any],
    sources: Sources,
    finish: Callable[[dict[str, Any]], R],
    timeout: float,
    on_token: TokenSink | None = None,
) -> R:
    """Ask the model and return a validated result, or raise why it could not be used."""
    future = _POOL.submit(llm_text, model, task, variables, on_token)
    try:
        text = future.result(timeout=timeout)
    except concurrent.futures.TimeoutError as exc:
        future.cancel()
        raise TimeoutError(f"the model did not answer within {timeout:g} s") from exc
    data = resolve_citations(parse_json(text), sources)
    data.pop("mode", None)
    data.pop("fallback_reason", None)
    try:
        result = finish(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "output"
        raise UnusableOutput(f"the model's output failed validation at {where}: {first['msg']}") from exc
    result.mode = "llm"
    return result


def describe(exc: BaseException) -> str:
    """A one-line reason for falling back, safe to show to users."""
    if isinstance(exc, UnusableOutput | TimeoutError):
        return str(exc)
    return f"the model call failed ({type(exc).__name__})"


def with_fallback(
    model: BaseChatModel | None,
    llm: Callable[[BaseChatModel], R],
    compose: Callable[[], R],
) -> R:
    """Use the model when there is one; any failure is answered by the composer, with the reason."""
    if model is None:
        return compose()
    try:
        return llm(model)
    except Exception as exc:  # noqa: BLE001 - a misbehaving model must never fail the request
        result = compose()
        result.fallback_reason = describe(exc)
        return result
