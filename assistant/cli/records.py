"""``users``, ``pairs`` and ``notes`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.output import AsUserOption, JsonOption, emit, table
from assistant.core import Assistant
from assistant.errors import InvalidInput

users = typer.Typer(help="Manage users.", no_args_is_help=True)
pairs = typer.Typer(help="Manage mentor–executive pairs.", no_args_is_help=True)
notes = typer.Typer(help="Record and list session notes.", no_args_is_help=True)


@users.command("add")
def users_add(
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[str, typer.Option(help="mentor, executive, coordinator or admin.")],
    json_: JsonOption = False,
) -> None:
    """Create a user and print its id and bearer token (the token is shown only once)."""
    emit(Assistant().add_user(name, role), json_)


@users.command("list")
def users_list(json_: JsonOption = False) -> None:
    """List users."""
    emit(Assistant().list_users(), json_, lambda rows: table(rows, ["id", "name", "role"]))


@pairs.command("add")
def pairs_add(
    mentor: Annotated[str, typer.Option(help="The mentor's user id.")],
    executive: Annotated[str, typer.Option(help="The executive's user id.")],
    goals: Annotated[str, typer.Option(help="What the pair wants to achieve.")] = "",
    start: Annotated[str | None, typer.Option(help="Start date, YYYY-MM-DD (default today).")] = None,
    json_: JsonOption = False,
) -> None:
    """Pair a mentor with an executive."""
    emit(Assistant().add_pair(mentor, executive, goals, start_date=start), json_)


@pairs.command("list")
def pairs_list(json_: JsonOption = False) -> None:
    """List pairs."""
    columns = ["id", "mentor_id", "executive_id", "start_date", "goals"]
    emit(Assistant().list_pairs(), json_, lambda rows: table(rows, columns))


@notes.command("add")
def notes_add(
    pair: Annotated[str, typer.Option(help="The pair's id.")],
    author: Annotated[str, typer.Option(help="The author's user id (a member of the pair).")],
    date: Annotated[str, typer.Option(help="Session date, YYYY-MM-DD.")],
    visibility: Annotated[str, typer.Option(help="private, pair or program.")] = "pair",
    text: Annotated[str | None, typer.Option(help="The note's text.")] = None,
    file: Annotated[Path | None, typer.Option(help="Read the note's text from a file.")] = None,
    json_: JsonOption = False,
) -> None:
    """Record a session note; it is stored first, then indexed."""
    if (text is None) == (file is None):
        raise InvalidInput("Give the note's text with exactly one of --text or --file.")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"Cannot read {file} as UTF-8 text.") from exc
    note = Assistant().add_note(pair, author, date, text or "", visibility)
    emit({"id": note["id"]}, json_)


@notes.command("list")
def notes_list(
    pair: Annotated[str, typer.Option(help="The pair's id.")],
    as_user: AsUserOption = None,
    json_: JsonOption = False,
) -> None:
    """List a pair's notes, oldest first."""
    rows = Assistant().list_notes(pair, as_user)
    emit(
        rows,
        json_,
        lambda rs: (
            "\n\n".join(f"[{r['id']}] {r['date']} ({r['visibility']})\n{r['text']}" for r in rs) or "(none)"
        ),
    )
