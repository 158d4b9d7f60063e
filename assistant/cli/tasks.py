"""``ask``, ``topics``, ``coach``, ``agenda``, ``brief`` and ``doctor`` commands."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from assistant.cli.output import AsUserOption, JsonOption, emit
from assistant.core import Assistant
from assistant.errors import InvalidInput
from assistant.guide import Guide
from assistant.render import brief_html, brief_markdown
from assistant.tasks.schemas import Result

PairOption = Annotated[str, typer.Option("--pair", help="The pair's id.")]
FocusOption = Annotated[str | None, typer.Option("--focus", help="Narrow the suggestions to a theme.")]


def _cites(result: Result) -> str:
    lines = []
    for c in result.citations:
        lines.append(
            f"  - note {c.note_id} ({c.date})" if c.kind == "note" else f"  - {c.source} › {c.section}"
        )
    mode = result.mode + (f" (fallback: {result.fallback_reason})" if result.fallback_reason else "")
    return "\nSources:\n" + "\n".join(lines) + f"\n[{mode} mode]" if lines else f"\n[{mode} mode]"


def _show(result: Result, json_: bool, text: str) -> None:
    emit(result.model_dump(mode="json"), json_, lambda _data: text + _cites(result))


def ask(
    question: Annotated[str, typer.Argument(help="A question about the program.")],
    as_user: AsUserOption = None,
    json_: JsonOption = False,
) -> None:
    """Answer a question from the program guidelines, with citations (or say they don't cover it)."""
    result = Guide(Assistant()).ask(question, as_user)
    _show(result, json_, result.answer)


def topics(
    pair: PairOption,
    focus: FocusOption = None,
    count: Annotated[int, typer.Option("--count", help="How many topics (1-10).")] = 5,
    as_user: AsUserOption = None,
    json_: JsonOption = False,
) -> None:
    """Suggest discussion topics for a pair's next session."""
    result = Guide(Assistant()).topics(pair, as_user, focus, count)
    lines = []
    for n, t in enumerate(result.topics, 1):
        questions = "\n".join(f"     · {q}" for q in t.opening_questions)
        lines.append(f"{n}. {t.title} [{t.direction}]\n   {t.why}\n{questions}")
    _show(result, json_, "\n".join(lines))


def coach(
    text: Annotated[str, typer.Argument(help="What is happening, in your own words.")],
    pair: Annotated[str | None, typer.Option("--pair", help="The pair's id, to use its notes.")] = None,
    as_user: AsUserOption = None,
    json_: JsonOption = False,
) -> None:
    """Coach on a challenge ("he keeps cancelling", "she gets defensive")."""
    result = Guide(Assistant()).coach(text, pair, as_user)
    steps = "\n".join(f"{n}. {s.action}\n   Why: {s.why}" for n, s in enumerate(result.steps, 1))
    watch = "\n".join(f"- {w}" for w in result.watch_outs)
    _show(result, json_, f"{result.summary}\n\n{steps}\n\nWatch out for:\n{watch}")


def agenda(
    pair: PairOption,
    minutes: Annotated[int, typer.Option("--minutes", help="Session length, 30-120.")] = 45,
    focus: FocusOption = None,
    as_user: AsUserOption = None,
    json_: JsonOption = False,
) -> None:
    """Draft a time-boxed agenda for a pair's next session."""
    result = Guide(Assistant()).agenda(pair, as_user, minutes, focus)
    items = "\n".join(
        f"{i.minutes:>3} min  [{i.lead}] {i.title}\n          {i.details}" for i in result.items
    )
    follow = "\n".join(f"- {f}" for f in result.follow_ups)
    _show(result, json_, f"{result.title}\n\n{items}\n\nFollow-ups:\n{follow}")


def brief(
    pair: PairOption,
    format_: Annotated[str, typer.Option("--format", help="json, markdown or html.")] = "markdown",
    as_user: AsUserOption = None,
    json_: JsonOption = False,
) -> None:
    """Write the executive's prep brief for the pair's next session."""
    if format_ not in ("json", "markdown", "html"):
        raise InvalidInput(f"Unknown format {format_!r}; use json, markdown or html.")
    result = Guide(Assistant()).brief(pair, as_user)
    if json_ or format_ == "json":
        emit(result.model_dump(mode="json"), True)
    else:
        typer.echo(brief_markdown(result) if format_ == "markdown" else brief_html(result))


def doctor(json_: JsonOption = False) -> None:
    """Report the provider in use, whether it answers, the embedder and the index size."""
    assistant = Assistant()
    guide = Guide(assistant)
    report: dict[str, Any] = {"provider": guide.provider, "model": None, "answers": True, "error": None}
    if guide.model is not None:
        report["model"] = assistant.settings.llm_model
        report["base_url"] = assistant.settings.llm_base_url
        try:
            guide.model.invoke("Reply with the single word: ok")
        except Exception as exc:  # noqa: BLE001 - doctor reports any failure instead of raising
            report["answers"] = False
            report["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    index = assistant.index
    report["embedder"] = getattr(index.embedder, "name", type(index.embedder).__name__)
    report["index"] = {"guidelines": index.count("guidelines"), "notes": index.count("notes")}
    report["home"] = str(assistant.settings.home)
    emit(report, json_)
