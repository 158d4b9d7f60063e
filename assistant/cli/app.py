"""The root command: wires sub-commands and turns errors into one clear sentence."""

from __future__ import annotations

import atexit
import gc
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from assistant.cli import evaluation, knowledge, records, remind, tasks
from assistant.cli import program as program_cli
from assistant.cli import sessions as sessions_cli
from assistant.errors import AssistantError
from assistant.logs import keep_logs_private
from assistant.permissions import keep_files_private

try:  # recent typer releases carry their own copy of click
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover - older typer on the real click
    from click.exceptions import NoArgsIsHelpError, UsageError  # type: ignore[assignment]

app = typer.Typer(
    help="Guidance assistant for reverse mentoring programs.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: rich's would cost every `--help` 0.3 s of imports
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(records.users, name="users")
records.users.command("email")(remind.users_email)
app.add_typer(records.pairs, name="pairs")
app.add_typer(records.notes, name="notes")
app.add_typer(sessions_cli.sessions, name="sessions")
app.add_typer(program_cli.participants, name="participants")
app.add_typer(evaluation.pulse, name="pulse")
app.add_typer(evaluation.objectives, name="objectives")
COMMANDS: list[Callable[..., None]] = [
    knowledge.ingest,
    knowledge.search,
    knowledge.reindex,
    knowledge.demo,
    tasks.ask,
    tasks.topics,
    tasks.coach,
    tasks.agenda,
    tasks.brief,
    tasks.doctor,
    program_cli.health,
    program_cli.pairings,
    program_cli.rotation,
    program_cli.cycle,
    program_cli.report,
    remind.remind,
]
for command in COMMANDS:
    app.command()(command)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Start the HTTP server."""
    import os

    import uvicorn

    from assistant.settings import get_settings

    os.environ["ASSISTANT_SERVE_HOST"] = host  # the app answers to this host name (and localhost)
    os.environ.setdefault("ASSISTANT_EMBED_THREADS", "1")  # concurrent requests fill the cores
    get_settings.cache_clear()
    uvicorn.run("api.app:serving_app", factory=True, host=host, port=port, log_level="info")


def main() -> None:
    """Run the CLI; bad input exits with status 2 and one sentence on stderr."""
    keep_files_private()
    keep_logs_private()
    # On the way out the interpreter's last garbage collections walk every object the libraries
    # made (0.2 s of a one-shot `ask`), only to free memory the process gives back anyway: what
    # is left at exit is frozen out of them. Objects freed by reference counting are finalized
    # as before, and atexit handlers still run.
    atexit.unregister(gc.freeze)  # registered once, however often main() runs (the tests)
    atexit.register(gc.freeze)
    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as exc:
        typer.echo(exc.format_message())
        sys.exit(2)
    except UsageError as exc:  # unknown options, values of the wrong type, missing options
        where = exc.ctx.command_path if exc.ctx is not None else "python -m assistant"
        typer.echo(f"Error: {exc.format_message().rstrip('.')}. See '{where} --help'.", err=True)
        sys.exit(2)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(1)
    except AssistantError as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:
        from pydantic import ValidationError  # here, not above: `--help` loads no pydantic

        if not isinstance(exc, ValidationError):
            raise
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        typer.echo(f"Error: invalid settings ({problems}).", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
