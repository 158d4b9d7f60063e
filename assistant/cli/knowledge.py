"""``ingest``, ``search``, ``reindex`` and ``demo`` commands."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.cli.library import embedder_loading, open_assistant
from assistant.cli.output import AsUserOption, JsonOption, emit, table
from assistant.errors import OutOfDate


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Guideline files or folders (.md, .txt, .pdf, .docx).")],
    follow_links: Annotated[
        bool,
        typer.Option("--follow-links", help="Also take files that links in the folders lead to elsewhere."),
    ] = False,
    json_: JsonOption = False,
) -> None:
    """Index guideline documents; unchanged content is not embedded again.

    Links that lead out of a folder are skipped unless --follow-links is given.
    """
    from assistant.documents import following_links

    with following_links() if follow_links else contextlib.nullcontext():
        report = open_assistant().ingest(paths)
    emit(report.as_dict(), json_, _report_text)


def _report_text(report: dict[str, Any]) -> str:
    lines = [f"{key}: {value}" for key, value in report.items() if key != "chunked_by_length"]
    lines += [
        f"{source}: no headings could be read, so it was cut into chunks by page and length."
        for source in report["chunked_by_length"]
    ]
    return "\n".join(lines)


def _ingested(report: dict[str, Any]) -> str:
    """An ingest report in a line: "10 documents, 134 passages (134 unchanged)"."""
    counts = [f"{report[k]} {k}" for k in ("embedded", "unchanged", "removed") if report.get(k)]
    return f"{report['documents']} documents, {report['chunks']} passages" + (
        f" ({', '.join(counts)})" if counts else ""
    )


def _hits_text(hits: list[dict[str, Any]]) -> str:
    if not hits:
        return "No results."
    blocks = []
    for n, hit in enumerate(hits, 1):
        where = hit["source"] or f"note {hit['note_id']} ({hit['date']})"
        section = f" › {hit['section']}" if hit["section"] else ""
        snippet = " ".join(hit["text"].split())[:240]
        blocks.append(f"{n}. [{hit['kind']}] {where}{section}  score={hit['score']:.4f}\n   {snippet}")
    return "\n".join(blocks)


def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", help="How many results.")] = 5,
    as_user: AsUserOption = None,
    json_: JsonOption = False,
) -> None:
    """Search the guidelines (and, with --as, the notes that user may read)."""
    with embedder_loading():
        assistant = open_assistant()
    hits = [h.public() for h in assistant.search(query, k, as_user)]
    emit(hits, json_, _hits_text)


def reindex(json_: JsonOption = False) -> None:
    """Rebuild the whole index from the store and the guideline folders."""
    emit(open_assistant().reindex(), json_)


def demo(json_: JsonOption = False) -> None:
    """Load the default guidelines and the fictional demo program (safe to repeat)."""
    from assistant.demo import load_demo

    assistant = open_assistant()
    try:
        result = load_demo(assistant)
    except OutOfDate:  # a demo folder from an earlier version: everything is in the store, so rebuild
        typer.echo(
            "The index here was made by an earlier version; rebuilding it from the store first.", err=True
        )
        assistant.reindex()
        result = load_demo(assistant)

    def text(data: dict[str, Any]) -> str:
        return (
            f"{data['program']}\nGuidelines: {_ingested(data['guidelines'])}\n"
            f"New notes: {data['notes_added']}\n\n"
            + table(data["users"], ["id", "name", "role", "token"])
            + f"\n\nThe demo describes its program on {data['today']}; to see it so whatever the date, "
            f"export ASSISTANT_TODAY={data['today']} (make run does)."
        )

    emit(result, json_, text)
