"""Reminders over the demo program, mailed to a real SMTP server (aiosmtpd) started by the tests.

Each reminder is given once: a rerun gives nothing, and a ``remind`` process killed while the
server is taking one of its messages leaves nothing doubled and nothing lost on the next run.
Invitations are read back with ``icalendar``.
"""

from __future__ import annotations

import datetime as dt
import email
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from email.message import Message
from email.policy import default as default_policy
from typing import Any

import icalendar
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from assistant import mail
from assistant.core import Assistant
from assistant.reminders import Reminders, Report, set_email
from assistant.schedule import Schedule
from assistant.settings import REPO_ROOT
from tests.conftest import Copier
from tests.engines import free_port

# The day before priya-martin's session of 3 December (08:30 London) in the demo program.
NOW = dt.datetime(2026, 12, 2, 7, 0, tzinfo=dt.UTC)


class Inbox:
    """An aiosmtpd handler that keeps every message; ``on_message`` runs as each one arrives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()
        self.on_message: Any = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        message = email.message_from_bytes(bytes(envelope.content or b""), policy=default_policy)
        with self.lock:
            self.messages.append(message)
            count = len(self.messages)
        if self.on_message is not None:
            self.on_message(count)
        return "250 Message accepted for delivery"

    def take(self) -> list[Message]:
        with self.lock:
            taken, self.messages = self.messages, []
        return taken


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def give(reminders: Reminders, port: int) -> Report:
    """A run that mails through the test's server."""
    update = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_tls": "none"}
    with mail.Mailer(reminders.assistant.settings.model_copy(update=update)) as mailer:
        return reminders.run(NOW, mailer)


def calendar_of(message: Message) -> icalendar.Calendar | None:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_content())
    return None


def keyed(messages: list[Message]) -> list[tuple[str, str]]:
    return sorted((str(m["To"]), str(m["Subject"])) for m in messages)


@pytest.fixture
def program(demo_copy: Copier, request: pytest.FixtureRequest) -> Assistant:
    return demo_copy(f"remind-{request.node.name[:40]}")


def test_each_reminder_is_mailed_once_with_real_invitations(
    program: Assistant, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    inbox.take()
    reminders = Reminders(program)
    report = give(reminders, port)
    messages = inbox.take()
    assert sum(report.sent.values()) == len(messages) > 0
    assert len(set(keyed(messages))) == len(messages), "nothing twice"
    assert len({m["Message-ID"] for m in messages}) == len(messages)

    # The executive's brief, the day before the session.
    briefs = [m for m in messages if str(m["Subject"]).startswith("Prep brief")]
    assert [str(m["To"]) for m in briefs] == ["Martin Achterberg <martin@halcyon-freight.example>"]
    body = briefs[0].get_body(("plain",))
    assert (
        body is not None
        and "Open actions" in body.get_content()
        and "Thursday 03 December" in body.get_content()
    )

    # A nudge to both members for the held session of 19 November that has no note.
    nudges = sorted(str(m["To"]) for m in messages if str(m["Subject"]).startswith("Write the note"))
    assert nudges == [
        "Martin Achterberg <martin@halcyon-freight.example>",
        "Priya Raman <priya@halcyon-freight.example>",
    ]
    # The coordinator hears of every pair quiet for longer than the guidelines allow.
    gaps = [m for m in messages if "have not met for" in str(m["Subject"])]
    assert gaps and all("marisol@" in str(m["To"]) for m in gaps)
    assert report.sent["gap"] == len(gaps)

    # Invitations: one per member and planned session, with organizer, both attendees, time zone, UID.
    invitations = [m for m in messages if str(m["Subject"]).startswith("Invitation")]
    planned = [
        s
        for pair in program.list_pairs()
        for s in Schedule(program).list(pair["id"])
        if s["status"] == "planned"
    ]
    upcoming = [s for s in planned if dt.datetime.fromisoformat(s["starts_at"]) > NOW]
    assert len(invitations) == 2 * len(upcoming) > 0
    december_3 = [m for m in invitations if "03 December" in str(m["Subject"])]
    calendar = calendar_of(december_3[0])
    assert calendar is not None and str(calendar["METHOD"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == "priya-martin-2026-12-03@mentor-assistant"
    assert str(event["ORGANIZER"]) == "mailto:priya@halcyon-freight.example"
    assert sorted(str(a) for a in event["ATTENDEE"]) == [
        "mailto:martin@halcyon-freight.example",
        "mailto:priya@halcyon-freight.example",
    ]
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/London" and start.hour == 8 and start.minute == 30
    assert calendar.walk("VTIMEZONE"), "the time zone travels with the event"

    # A rerun gives nothing; everything given is on the web for its recipient.
    again = give(reminders, port)
    assert inbox.take() == [] and sum(again.sent.values()) == 0 and sum(again.shown.values()) == 0
    shown = reminders.recent("martin")
    assert any(r["kind"] == "brief" and r["link"].endswith("/pairs/priya-martin/brief") for r in shown)
    assert {r["state"] for r in shown} == {"sent"}

    # Moving a session replaces its event (same UID, higher SEQUENCE); cancelling one takes it back.
    moved = Schedule(program).move("kai-helen-2026-12-08", "kai", "2026-12-09T08:00")
    Schedule(program).cancel("priya-martin-2026-12-17", "martin")
    give(reminders, port)
    changes = inbox.take()
    events = {
        (str(m["To"]), str(cal["METHOD"])): cal.walk("VEVENT")[0]
        for m in changes
        if (cal := calendar_of(m)) is not None
    }
    assert len(changes) == len(events) == 4
    helen = events[("Helen Drummond <helen@halcyon-freight.example>", "REQUEST")]
    assert str(helen["UID"]) == "kai-helen-2026-12-08@mentor-assistant" and int(helen["SEQUENCE"]) == 1
    assert helen.decoded("DTSTART").date() == dt.date(2026, 12, 9) and moved["date"] == "2026-12-09"
    cancelled = events[("Martin Achterberg <martin@halcyon-freight.example>", "CANCEL")]
    assert str(cancelled["UID"]) == "priya-martin-2026-12-17@mentor-assistant"
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_people_turn_kinds_off_and_no_address_means_the_web_only(
    program: Assistant, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    inbox.take()
    reminders = Reminders(program)
    reminders.choose("martin", {"note", "gap", "invitation"})  # no prep brief by mail or on the web
    set_email(program, "priya", "")
    report = give(reminders, port)
    messages = inbox.take()
    assert not [
        m for m in messages if "martin@" in str(m["To"]) and str(m["Subject"]).startswith("Prep brief")
    ]
    assert not [m for m in messages if "priya" in str(m["To"]).lower()]
    assert report.turned_off == 1 and report.shown["note"] == 1
    priya = reminders.recent("priya")
    assert priya and {r["state"] for r in priya} == {"shown"}
    assert reminders.turned_off("martin") == {"brief"}
    with pytest.raises(Exception, match="not an email address"):
        set_email(program, "priya", "priya at home")


def environment(assistant: Assistant, port: int) -> dict[str, str]:
    settings = assistant.settings
    return {
        **os.environ,
        "ASSISTANT_HOME": str(settings.home),
        "ASSISTANT_KNOWLEDGE_DIR": str(settings.knowledge_dir),
        "ASSISTANT_DATABASE_URL": settings.database_url or "",
        "ASSISTANT_CHROMA_URL": settings.chroma_url or "",
        "ASSISTANT_LLM": "offline",
        "ASSISTANT_SMTP_HOST": "127.0.0.1",
        "ASSISTANT_SMTP_PORT": str(port),
        "ASSISTANT_SMTP_TLS": "none",
    }


def test_a_run_killed_midway_gives_nothing_twice_on_the_next_run(
    program: Assistant, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    inbox.take()
    expected = sorted((d.user_id, d.subject) for d in Reminders(program).due(NOW))
    command = [sys.executable, "-m", "assistant", "remind", "--now", NOW.isoformat(), "--json"]
    env = environment(program, port)
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    kill_at = 3

    def kill(count: int) -> None:
        if count == kill_at:  # while the server holds the third message, before it answers
            os.kill(process.pid, signal.SIGKILL)

    inbox.on_message = kill
    try:
        process.wait(timeout=120)
    finally:
        inbox.on_message = None
    assert process.returncode == -signal.SIGKILL
    first = inbox.take()
    assert len(first) == kill_at

    rerun = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    second = inbox.take()
    names = {u["id"]: u["name"] for u in program.list_users()}
    received = sorted(
        (next(k for k, v in names.items() if str(m["To"]).startswith(v + " ")), str(m["Subject"]))
        for m in first + second
    )
    assert received == expected, "every reminder exactly once across the kill"
    assert '"unconfirmed": 1' in rerun.stdout
    assert "Prep brief" not in rerun.stderr and "Open actions" not in rerun.stderr


def test_the_reminders_page_lists_them_and_turns_kinds_off(program: Assistant) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    Reminders(program).run(NOW)  # no mail server: given on the web only
    with TestClient(create_app(program), base_url="http://localhost") as client:
        martin = {"Authorization": "Bearer demo-martin", "Accept": "text/html"}
        page = client.get("/reminders", headers=martin)
        assert page.status_code == 200
        assert "Prep brief: your session with Priya Raman" in page.text and "on the web" in page.text
        chosen = client.post("/reminders", data={"kinds": ["note", "gap"]}, headers=martin)
        assert chosen.status_code == 200 and "Your choices are saved." in chosen.text
        assert Reminders(program).turned_off("martin") == {"brief", "invitation"}
        refused = client.post("/reminders", data={"kinds": ["spam"]}, headers=martin)
        assert refused.status_code == 422 and "Unknown reminder kind" in refused.text
        assert Reminders(program).turned_off("martin") == {"brief", "invitation"}


def test_a_reminder_another_run_recorded_first_is_given_by_that_run_only(program: Assistant) -> None:
    from sqlalchemy import select

    from assistant.delivery import Ledger
    from assistant.store import ReminderSent

    ledger = Ledger(program)
    due = Reminders(program).due(NOW)[:3]
    assert len(due) == 3 and ledger.claim(due[0], NOW)  # another run is mailing the first
    assert ledger.show(due, NOW) == due[1:]  # the batch falls back to one at a time
    assert not ledger.claim(due[1], NOW, sent=due[0].key)  # taken; the first is marked sent all the same
    with program.session(write=False) as session:
        states = {r.key: r.state for r in session.scalars(select(ReminderSent))}
    assert states == {due[0].key: "sent", due[1].key: "shown", due[2].key: "shown"}
    assert ledger.unconfirmed() == 0
