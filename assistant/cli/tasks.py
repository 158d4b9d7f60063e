"""``ask``, ``topics``, ``coach``, ``agenda``, ``brief`` and ``doctor`` commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from assistant.cli.library import open_guide
from assistant.cli.output import AsUserOption, JsonOption, emit
from assistant.errors import InvalidInput

if TYPE_CHECKING:
    from assistant.tasks.schemas import Result

PairOption = Annotated[str, typer.Option("--pair", help="The pair's id.")]
FocusOption = Annotated[str | None, typer.Option("--focus", help="Narrow the suggestions to a theme.")]


def _show(result: Result, json_: bool) -> None:
    from assistant.render import citations_text, prose

    mode = result.mode + (f"; fell back because {result.fallback_reason}" if result.fallback_reason else "")
    sources = citations_text(result)
    text = prose(result) + (f"\n\nSources:\n{sources}" if sources else "") + f"\n[{mode} mode]"
    emit(result.model_dump(mode="json"), json_, lambda _data: text)


def ask(
    question: Annotated[str, typer.Argument(help="A question about the program.")],
    as_user: AsUserOption = None,
    json_: JsonOption = False,
) -> None:
    """Answer a question from the program guidelines, with citations (or say they don't cover it)."""
    _show(open_guide().ask(question, as_user), json_)


def topics(
    pair: PairOption,
    focus: FocusOption = None,
    count: Annotated[int, typer.Option("--count", help="How many topics (1-10).")] = 5,
    as_user: AsUserOption = None,
    json_: JsonOption = False,
) -> None:
    """Suggest discussion topics for a pair's next session."""
    _show(open_guide().topics(pair, as_user, focus, count), json_)


def coach(
    text: Annotated[str, typer.Argument(help="What is happening, in your own words.")],
    pair: Annotated[str | None, typer.Option("--pair", help="The pair's id, to use its notes.")] = None,
    as_user: AsUserOption = None,
    json_: JsonOption = False,
) -> None:
    """Coach on a challenge ("he keeps cancelling", "she gets defensive")."""
    _show(open_guide().coach(text, pair, as_user), json_)


# Agendas and briefs go to the partner: the --as user's private notes stay out unless asked for.
PrivateOption = Annotated[
    bool, typer.Option("--private", help="Your own copy, with your private notes' items (not to share).")
]


def agenda(
    pair: PairOption,
    minutes: Annotated[int, typer.Option("--minutes", help="Session length, 30-120.")] = 45,
    focus: FocusOption = None,
    as_user: AsUserOption = None,
    private: PrivateOption = False,
    json_: JsonOption = False,
) -> None:
    """Draft a time-boxed agenda for a pair's next session."""
    _show(open_guide().agenda(pair, as_user, minutes, focus, private=private), json_)


def brief(
    pair: PairOption,
    format_: Annotated[str, typer.Option("--format", help="json, markdown or html.")] = "markdown",
    as_user: AsUserOption = None,
    private: PrivateOption = False,
    json_: JsonOption = False,
) -> None:
    """Write the executive's prep brief for the pair's next session."""
    if format_ not in ("json", "markdown", "html"):
        raise InvalidInput(f"Unknown format {format_!r}; use json, markdown or html.")
    result = open_guide().brief(pair, as_user, private=private)
    if json_ or format_ == "json":
        emit(result.model_dump(mode="json"), True)
    else:
        from assistant.render import brief_html, brief_markdown

        typer.echo(brief_markdown(result) if format_ == "markdown" else brief_html(result))


def doctor(json_: JsonOption = False) -> None:
    """Report the provider and model, whether they answer, structured output, tool calling and the index."""
    guide = open_guide()
    assistant = guide.assistant
    report: dict[str, Any] = {"provider": guide.provider, "model": None, "answers": True, "error": None}
    if guide.model is not None:
        from assistant.probe import probe

        report |= probe(assistant.settings, guide.model)
    index = assistant.index
    report["embedder"] = getattr(index.embedder, "name", type(index.embedder).__name__)
    report["index"] = {"guidelines": index.count("guidelines"), "notes": index.count("notes")}
    report["outbox"] = assistant.outbox.backlog()
    report["home"] = str(assistant.settings.home)
    emit(report, json_, _doctor_text)


def _yes(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no: chat answers offline")


def _doctor_text(report: dict[str, Any]) -> str:
    model = report["model"] or "none: answers are composed offline from the curated knowledge"
    if report["provider"] == "offline":
        answers = "yes"
    else:
        answers = "yes" if report["answers"] else f"no ({report['error']}); answers fall back to offline mode"
    lines = [
        f"provider: {report['provider']}",
        f"model: {model}" + (f" at {report['base_url']}" if report.get("base_url") else ""),
        f"answers: {answers}",
        *(
            [
                f"structured output: {report['structured_output']}",
                f"tool calling: {_yes(report['tool_calling'])}",
            ]
            if report["provider"] != "offline"
            else []
        ),
        f"embedder: {report['embedder']}",
        f"index: {report['index']['guidelines']} guideline chunks, {report['index']['notes']} note chunks",
        f"waiting to be indexed: {report['outbox']['notes']} notes"
        + (f" (oldest since {report['outbox']['oldest']})" if report["outbox"]["oldest"] else ""),
        f"home: {report['home']}",
    ]
    return "\n".join(lines)
