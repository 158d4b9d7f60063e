"""``users``, ``pairs`` and ``notes`` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.cli.library import open_assistant
from assistant.cli.output import AsUserOption, JsonOption, command_group, emit, table
from assistant.errors import InvalidInput

users = command_group("Manage users.")
pairs = command_group("Manage mentor–executive pairs.")
notes = command_group("Record and list session notes.")


@users.command("add")
def users_add(
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[str, typer.Option(help="mentor, executive, coordinator or admin.")],
    json_: JsonOption = False,
) -> None:
    """Create a user and print its id and bearer token (the token is shown only once)."""
    emit(open_assistant().add_user(name, role), json_)


@users.command("token")
def users_token(
    user_id: Annotated[str, typer.Argument(help="The user's id.")],
    expires_in_days: Annotated[
        float | None, typer.Option(help="Days until the token expires (default: it does not).")
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Give a user a new API token (shown once); their old token stops working."""
    emit(open_assistant().issue_token(user_id, expires_in_days), json_)


@users.command("revoke")
def users_revoke(
    user_id: Annotated[str, typer.Argument(help="The user's id.")],
    json_: JsonOption = False,
) -> None:
    """Revoke a user's API token and end their web sessions (`users token` issues a new one)."""
    open_assistant().revoke_token(user_id)
    emit({"id": user_id, "revoked": True}, json_, lambda _d: f"{user_id}: token revoked, sessions ended.")


@users.command("list")
def users_list(json_: JsonOption = False) -> None:
    """List users."""
    emit(open_assistant().list_users(), json_, lambda rows: table(rows, ["id", "name", "role"]))


@pairs.command("add")
def pairs_add(
    mentor: Annotated[str, typer.Option(help="The mentor's user id.")],
    executive: Annotated[str, typer.Option(help="The executive's user id.")],
    goals: Annotated[str, typer.Option(help="What the pair wants to achieve.")] = "",
    start: Annotated[str | None, typer.Option(help="Start date, YYYY-MM-DD (default today).")] = None,
    json_: JsonOption = False,
) -> None:
    """Pair a mentor with an executive."""
    emit(open_assistant().add_pair(mentor, executive, goals, start_date=start), json_)


@pairs.command("list")
def pairs_list(json_: JsonOption = False) -> None:
    """List pairs."""
    columns = ["id", "mentor_id", "executive_id", "start_date", "goals"]
    emit(open_assistant().list_pairs(), json_, lambda rows: table(rows, columns))


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
    assistant = open_assistant()
    note = assistant.add_note(pair, author, date, _note_text(text, file) or "", visibility)
    waiting = assistant.outbox.backlog()["notes"]
    emit({"id": note["id"], "indexed": not waiting}, json_)
    if waiting and not json_:
        message = "Saved; it waits to be indexed (see `doctor`). A running server does that in a second."
        typer.echo(message, err=True)


@notes.command("edit")
def notes_edit(
    note_id: Annotated[str, typer.Argument(help="The note's id (see notes list).")],
    author: Annotated[str, typer.Option("--as", help="The note's author (only they may change it).")],
    date: Annotated[str | None, typer.Option(help="New session date, YYYY-MM-DD.")] = None,
    visibility: Annotated[str | None, typer.Option(help="New visibility: private, pair or program.")] = None,
    text: Annotated[str | None, typer.Option(help="New text.")] = None,
    file: Annotated[Path | None, typer.Option(help="Read the new text from a file.")] = None,
    json_: JsonOption = False,
) -> None:
    """Change a note you wrote; its index entries are replaced to match."""
    if text is not None and file is not None:
        raise InvalidInput("Give the new text with --text or --file, not both.")
    changes = {"date": date, "visibility": visibility, "text": _note_text(text, file)}
    changes = {key: value for key, value in changes.items() if value is not None}
    if not changes:
        raise InvalidInput("Nothing to change: give --text, --file, --date or --visibility.")
    note = open_assistant().edit_note(note_id, author, **changes)
    emit(note, json_, _note_text_block)


@notes.command("remove")
def notes_remove(
    note_id: Annotated[str, typer.Argument(help="The note's id (see notes list).")],
    author: Annotated[str, typer.Option("--as", help="The note's author (only they may remove it).")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    json_: JsonOption = False,
) -> None:
    """Delete a note you wrote, from the store and the index."""
    if json_ and not yes:
        raise InvalidInput("Scripts must confirm a deletion: add --yes to --json.")
    if not yes and not typer.confirm(f"Delete note {note_id} for good?", err=True):
        typer.echo("Nothing was deleted.", err=True)
        raise typer.Exit(1)
    open_assistant().remove_note(note_id, author)
    emit({"removed": note_id}, json_)


def _note_text_block(note: dict[str, Any]) -> str:
    return f"[{note['id']}] {note['date']} ({note['visibility']})\n{note['text']}"


def _note_text(text: str | None, file: Path | None) -> str | None:
    """The note's text, from ``--text`` or read from ``--file``."""
    if file is None:
        return text
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"Cannot read {file} as UTF-8 text.") from exc


@notes.command("list")
def notes_list(
    pair: Annotated[str, typer.Option(help="The pair's id.")],
    as_user: AsUserOption = None,
    json_: JsonOption = False,
) -> None:
    """List a pair's notes, oldest first; without --as, private notes (their author's alone) are left out."""
    from assistant.access import can_read_note, operator

    rows = open_assistant().list_notes(pair, as_user)
    if as_user is None:
        rows = [r for r in rows if can_read_note(operator(pair), r)]
    emit(rows, json_, lambda rs: "\n\n".join(map(_note_text_block, rs)) or "(none)")
