"""Printing results: one JSON document with ``--json``, readable text otherwise."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer


def command_group(help_text: str) -> typer.Typer:
    """A group of sub-commands; help is plain text, as click prints it.

    Rich's boxed help would cost every ``--help`` about 0.3 s of importing (``typer.rich_utils``).
    """
    return typer.Typer(help=help_text, no_args_is_help=True, rich_markup_mode=None)


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document (for scripts).")]
AsUserOption = Annotated[
    str | None, typer.Option("--as", help="User id whose access rules apply (sees that user's notes).")
]


def emit(data: Any, as_json: bool, text: Callable[[Any], str] | None = None) -> None:
    """Print ``data`` as JSON, or through ``text`` for people."""
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    elif text is not None:
        typer.echo(text(data))
    else:
        typer.echo("\n".join(f"{k}: {v}" for k, v in data.items()))


def table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """A plain aligned table of the given columns."""
    if not rows:
        return "(none)"
    cells = [[str(r.get(c, "") if r.get(c) is not None else "") for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells]
    return "\n".join(line.rstrip() for line in lines)
