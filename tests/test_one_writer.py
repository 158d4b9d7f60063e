"""One writer per embedded index: while `serve` runs on a data folder, the CLI defers to it.

The server is a real process (a file lock is held per process, so one in this process would
prove nothing); the CLI runs in this process against the same folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from assistant.core import Assistant
from assistant.settings import Settings
from tests.conftest import KNOWLEDGE, CliRun, copy_home
from tests.engines import free_port, running


def _search(url: str, token: str, query: str) -> list[dict]:
    request = urllib.request.Request(
        f"{url}/v1/search",
        data=json.dumps({"query": query, "k": 5, "mode": "dense"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return list(json.loads(response.read()))


def test_the_cli_defers_to_a_running_server(
    settings: Settings, demo_template: Path, cli: CliRun, tmp_path: Path
) -> None:
    copy_home(demo_template, settings.home)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"ASSISTANT_HOME": str(settings.home), "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE)}
    command = [sys.executable, "-m", "assistant", "serve", "--port", str(port)]
    with running(command, f"{url}/health", tmp_path / "serve.log", env=env):
        (tmp_path / "handbook").mkdir()
        (tmp_path / "handbook" / "extra.md").write_text("# Extra\n## Tapirs\nPairs may discuss tapirs.\n")
        for args in (("ingest", tmp_path / "handbook"), ("reindex",)):
            code, out, err = cli(*args)
            assert code == 2, (args, out, err)
            assert "Another process" in err and "Traceback" not in err
            assert len(err.strip().splitlines()) == 1

        code, out, err = cli(
            "notes", "add", "--pair", "priya-martin", "--author", "priya", "--date", "2026-11-20",
            "--text", "We drafted the quokka-themed town hall.",
        )  # fmt: skip
        assert code == 0, err
        assert "waits to be indexed" in err
        deadline = time.monotonic() + 5
        while not any("quokka" in h["text"] for h in _search(url, "demo-priya", "quokka town hall")):
            assert time.monotonic() < deadline, "the server did not index the CLI's note"
            time.sleep(0.2)

        second = subprocess.run(
            [sys.executable, "-m", "assistant", "serve", "--port", str(free_port())],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 2
        assert "only one server can use an embedded index" in second.stderr
        assert "Traceback" not in second.stderr
    code, out, err = cli("ingest", tmp_path / "handbook")  # the server stopped: the CLI may write
    assert code == 0, err


def test_a_serving_process_indexes_its_own_writes_in_the_request(guidelines: Assistant) -> None:
    mentor = guidelines.add_user("Mentor", "mentor")["id"]
    executive = guidelines.add_user("Executive", "executive")["id"]
    pair = guidelines.add_pair(mentor, executive)["id"]
    with guidelines.serving():  # holds the index as `serve` does, with its drain thread running
        assert guidelines.index_pending()  # a request's own drain is not refused by its own process
        threaded: list[bool] = []
        worker = threading.Thread(target=lambda: threaded.append(guidelines.index_pending()))
        worker.start()
        worker.join()
        assert threaded == [True]
        note = guidelines.add_note(pair, mentor, "2026-03-01", "We mapped the ibis escalation path.")
        assert guidelines.outbox.backlog()["notes"] == 0
        hits = guidelines.search("ibis escalation", k=3, as_user=mentor, mode="dense")
        assert note["id"] in {h.meta.get("note_id") for h in hits}
