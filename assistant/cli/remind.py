"""``remind`` (for cron) and ``users email``: reminders by email and on the web, each given once."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from assistant.cli.library import open_assistant
from assistant.cli.output import JsonOption, emit
from assistant.errors import InvalidInput


def remind(
    now: Annotated[
        str | None,
        typer.Option(
            help="Act as if it were this moment (YYYY-MM-DDTHH:MM, UTC unless an offset is given); "
            "default: now, on ASSISTANT_TODAY's date when it is set."
        ),
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Give the reminders that are due (prep briefs, note nudges, quiet pairs, invitations), each once.

    Mails them when ASSISTANT_SMTP_HOST is set; they are shown on the web in any case. Safe to run
    as often as you like, and after a run that was stopped: nothing is given twice.
    """
    from assistant.reminders import Reminders

    moment = None
    if now is not None:
        try:
            moment = dt.datetime.fromisoformat(now.strip())
        except ValueError as exc:
            raise InvalidInput(f"{now!r} is not a moment in the form YYYY-MM-DDTHH:MM.") from exc
        moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    report = Reminders(open_assistant()).run(moment).as_dict()

    def text(data: dict[str, object]) -> str:
        sent, shown = report["sent"], report["shown"]
        lines = [f"{kind}: {sent[kind]} mailed, {shown[kind]} on the web only" for kind in sent]
        lines.append(f"turned off by their recipient: {report['turned_off']}")
        if report["unconfirmed"]:
            lines.append(
                f"unconfirmed: {report['unconfirmed']} (a run stopped while mailing them; not sent again)"
            )
        return "\n".join(lines)

    emit(report, json_, text)


def users_email(
    user_id: Annotated[str, typer.Argument(help="The user's id.")],
    address: Annotated[str, typer.Argument(help="Where reminders go; '' to stop mailing them.")],
    json_: JsonOption = False,
) -> None:
    """Set the address a user's reminders are mailed to."""
    from assistant.reminders import set_email

    emit(set_email(open_assistant(), user_id, address), json_)
