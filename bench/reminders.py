"""Reminder benchmark: a ``remind`` run over 500 pairs and 20,000 sessions, mailed to a real SMTP server.

Usage: python bench/reminders.py [--json] [--pairs 500] [--sessions 20000] [--home DIR]

Writes the synthetic program of ``bench/dashboard.py`` (every user has an address), ingests the
default guidelines with random vectors (briefs retrieve from them; no model time), starts a local
aiosmtpd server in a process of its own (as a mail server would be; its ``Sink`` handler accepts
and drops each message) and times one ``Reminders.run`` that finds what is due and mails it
(briefs, invitations, note nudges, gap notes to the coordinator), as ``remind`` does. A second
run then gives nothing: each reminder is given once. Target: the first run <= 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_S = 5.0


def smtp_server(port: int) -> subprocess.Popen[bytes]:
    """aiosmtpd on a loopback port, in its own process, once it accepts connections."""
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"]
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument(
        "--home", type=Path, help="Use (and keep) this data folder; loaded when empty (random vectors only)."
    )
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="bench-reminders-"))
    os.environ["ASSISTANT_HOME"] = str(home)
    from assistant import mail
    from assistant.core import Assistant
    from assistant.reminders import Reminders
    from assistant.settings import get_settings
    from bench.synthetic import load_program, use_random_vectors
    from tests.engines import free_port

    use_random_vectors()
    get_settings.cache_clear()
    settings = get_settings()
    loaded = None
    if not (home / "assistant.db").exists():
        loaded = load_program(settings, args.pairs, args.sessions).as_dict()
        assistant = Assistant(settings)
        assistant.ingest([assistant.default_guidelines])
    port = free_port()
    server = smtp_server(port)
    update = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_tls": "none"}
    now = dt.datetime.now(dt.UTC)
    runs = []
    try:
        for _ in range(2):
            reminders = Reminders(Assistant(settings))
            began = time.perf_counter()
            with mail.Mailer(settings.model_copy(update=update)) as mailer:
                report = reminders.run(now, mailer)
            runs.append((time.perf_counter() - began, report))
    finally:
        server.terminate()
        server.wait(timeout=10)
    (first_s, first), (second_s, second) = runs
    figures = {
        "program": loaded,
        "first_run_s": round(first_s, 2),
        "first_run": first.as_dict(),
        "mails_accepted": sum(first.sent.values()),
        "second_run_s": round(second_s, 2),
        "second_run": second.as_dict(),
        "target_s": TARGET_S,
        "met": first_s <= TARGET_S,
    }
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
