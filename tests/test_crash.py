"""Crashes: real processes killed with SIGKILL mid-write, then started again on the same folder.

A server killed during a burst of note writes loses no acknowledged note and, with clients
retrying under the same Idempotency-Key, writes none twice; the outbox brings every note into
the vector index at start-up, with no reindex. An ``ingest`` killed midway and run again leaves
the guidelines complete and nothing doubled.
"""

from __future__ import annotations

import fcntl
import http.client
import json
import os
import pty
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.core import Assistant
from assistant.documents import chunk_document, sentences
from assistant.index import search_text
from assistant.ingest import read_documents
from assistant.settings import REPO_ROOT, Settings
from tests.conftest import KNOWLEDGE, copy_home
from tests.engines import free_port

DATE = "2026-11-20"
PAIRS = ["priya-martin", "kai-helen", "amara-rafael", "sofia-gareth", "noor-ingrid"]
AUTHORS = {member: pair for pair in PAIRS for member in pair.split("-")}  # each writes from a thread
PER_AUTHOR = 6
KILL_AFTER = 15  # acknowledged notes before the kill
SUBJECTS = ["the intranet search", "LinkedIn posting", "the budget cycle", "hybrid meetings", "AI prompts"]


def environment(home: Path) -> dict[str, str]:
    """A child's settings: this data folder, embedded engines, offline answers."""
    return {
        "ASSISTANT_HOME": str(home),
        "ASSISTANT_KNOWLEDGE_DIR": str(KNOWLEDGE),
        "ASSISTANT_LLM": "offline",
        "ASSISTANT_DATABASE_URL": "",
        "ASSISTANT_CHROMA_URL": "",
    }


def call(port: int, method: str, path: str, user: str, body: Any = None, key: str | None = None) -> Any:
    """One request as a demo user; the parsed answer, or an exception when none came."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer demo-{user}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    try:
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    assert response.status in (200, 201), (method, path, response.status, data[:300])
    return json.loads(data)


@contextmanager
def serve(home: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``serve`` on the folder for the block, entered once /health answers; stopped (if alive) after."""
    command = [sys.executable, "-m", "assistant", "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env={**os.environ, **environment(home)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                call(port, "GET", "/health", "priya")
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.2)
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(30)


def dense_finds(port: int, author: str, note: dict[str, Any]) -> bool:
    """Whether the author's dense search (the vector index only) for the note's text finds it."""
    query = f"Session note {note['date']}\n{note['text']}"  # what the note's chunk was embedded as
    hits = call(port, "POST", "/v1/search", author, {"query": query, "k": 5, "mode": "dense"})
    return any(h["note_id"] == note["id"] for h in hits)


def burst_notes(port: int) -> dict[str, list[dict[str, Any]]]:
    """The burst's notes in the store, by the text they were sent with."""
    found: dict[str, list[dict[str, Any]]] = {}
    for pair in PAIRS:
        for note in call(port, "GET", f"/v1/pairs/{pair}/notes", pair.split("-")[0]):
            if note["text"].startswith("Burst note"):
                found.setdefault(note["text"], []).append(note)
    return found


def test_a_server_killed_mid_burst_keeps_every_acknowledged_note_once_and_indexes_it(
    demo_template: Path, tmp_path: Path
) -> None:
    home = copy_home(demo_template, tmp_path / "home").home
    port = free_port()
    requests = {
        f"crash-{author}-{n}": (
            author,
            f"Burst note {n} by {author}: we walked through {SUBJECTS[n % len(SUBJECTS)]} "
            f"and agreed on step {n * 7 % 11} of the plan (ref {author}-{n}).",
        )
        for author in AUTHORS
        for n in range(PER_AUTHOR)
    }
    acknowledged: dict[str, str] = {}  # Idempotency-Key -> note id
    lock = threading.Lock()
    enough = threading.Event()

    def send(author: str) -> None:
        for key, (who, text) in requests.items():
            if who != author:
                continue
            try:
                note = call(
                    port,
                    "POST",
                    f"/v1/pairs/{AUTHORS[author]}/notes",
                    author,
                    {"date": DATE, "text": text},
                    key,
                )
            except (OSError, http.client.HTTPException):
                continue  # no answer: retried after the restart
            with lock:
                acknowledged[key] = note["id"]
                if len(acknowledged) >= KILL_AFTER:
                    enough.set()

    with serve(home, port, tmp_path / "first.log") as server:
        threads = [threading.Thread(target=send, args=(author,)) for author in AUTHORS]
        for thread in threads:
            thread.start()
        assert enough.wait(60), "the burst was not acknowledged in time"
        server.send_signal(signal.SIGKILL)
        server.wait()
        for thread in threads:
            thread.join(60)
    with lock:
        before_kill = dict(acknowledged)
    unanswered = [key for key in requests if key not in before_kill]
    assert KILL_AFTER <= len(before_kill) < len(requests) and unanswered

    with serve(home, port, tmp_path / "second.log"):
        health = call(port, "GET", "/health", "priya")
        assert health["outbox"]["notes"] == 0, health  # drained at start-up
        stored = burst_notes(port)
        # Every note committed before the kill is in the vector index now, with no reindex.
        missing = [
            n["id"] for notes in stored.values() for n in notes if not dense_finds(port, n["author_id"], n)
        ]
        assert not missing, f"not in the vector index after the restart: {missing}"
        committed_unanswered = {
            key: stored[text][0]["id"] for key in unanswered if (text := requests[key][1]) in stored
        }

        # The clients retry what got no answer, under the same keys; a few that did get one
        # are sent again too (as if the answer had been lost on the way).
        for key in [*unanswered, *list(before_kill)[:8]]:
            author, text = requests[key]
            body = {"date": DATE, "text": text}
            note = call(port, "POST", f"/v1/pairs/{AUTHORS[author]}/notes", author, body, key)
            first = committed_unanswered.get(key) or before_kill.get(key) or note["id"]
            assert note["id"] == first, f"the retry of {key} wrote its note again"
            acknowledged[key] = note["id"]

        stored = burst_notes(port)
        copies = Counter({text: len(notes) for text, notes in stored.items()})
        assert sorted(copies) == sorted(text for _, text in requests.values()), "a request left no note"
        assert set(copies.values()) == {1}, f"notes stored twice: {[t for t, c in copies.items() if c > 1]}"
        ids = {notes[0]["id"] for notes in stored.values()}
        assert set(acknowledged.values()) == ids and set(before_kill.values()) <= ids
        # Retried notes reach the index too: drained by their request, or by the server's round each second.
        pending = [notes[0] for notes in stored.values()]
        deadline = time.monotonic() + 10
        while pending and time.monotonic() < deadline:
            pending = [n for n in pending if not dense_finds(port, n["author_id"], n)]
        assert not pending, f"not in the vector index: {[n['id'] for n in pending]}"


# --- ingest ----------------------------------------------------------------------------------

FILES, SECTIONS, SENTENCES = 4, 4, 25  # 16 chunks of short sentences, 400 sentences: two batches
PEOPLE = ["Ana", "Ben", "Chloe", "Dev", "Emeka", "Fay", "Gus", "Hana"]
DOINGS = ["reviewed", "practised", "questioned", "demoed", "sketched", "tried", "drafted", "explained"]


def handbook(folder: Path) -> dict[tuple[str, str], str]:
    """Guideline files of short distinct sentences, a code word per section.

    Returns (file, section) -> code word. Short sentences keep the embedding quick while the
    sentence vectors still take two batches.
    """
    folder.mkdir()
    words: dict[tuple[str, str], str] = {}
    n = 0
    for f in range(FILES):
        parts = [f"---\ntitle: Handbook {f}\n---\n"]
        for s in range(SECTIONS):
            code = f"codeword{f:02d}x{s}"
            words[(f"handbook-{f:02d}.md", f"Practice {s}")] = code
            lines = []
            for _ in range(SENTENCES - 1):
                person, doing, subject = PEOPLE[n % 8], DOINGS[n // 8 % 8], SUBJECTS[n // 64 % 5]
                lines.append(f"{person} {doing} {subject} in week {n % 13 + 1}.")
                n += 1
            lines.append(f"Remember the {code} checklist.")
            parts.append(f"## Practice {s}\n\n{' '.join(lines)}\n")
        (folder / f"handbook-{f:02d}.md").write_text("\n".join(parts), encoding="utf-8")
    return words


def kill_midway(command: list[str], env: dict[str, str], timeout: float = 90) -> str:
    """Run ``command`` with its progress bars on a terminal; SIGKILL it once sentences are partly stored."""
    primary, secondary = pty.openpty()
    fcntl.ioctl(
        secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0)
    )  # tqdm draws no bar at width 0
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=secondary
    )
    os.close(secondary)
    seen, deadline = "", time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                seen += os.read(primary, 4096).decode(errors="replace")
            except OSError:  # the terminal closed: the process ended
                break
            progress = re.findall(r"Embedding sentences:.*?(\d+)/(\d+)", seen)
            if any(0 < int(done) < int(total) for done, total in progress):
                process.send_signal(signal.SIGKILL)
                process.wait()
                return seen
        pytest.fail(f"ingest ended or stalled before it could be killed midway:\n{seen[-1500:]}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(primary)


def test_an_ingest_killed_midway_completes_on_the_next_run_with_nothing_doubled(tmp_path: Path) -> None:
    folder, home = tmp_path / "handbook", tmp_path / "home"
    words = handbook(folder)
    env = environment(home)
    command = [sys.executable, "-m", "assistant", "ingest", str(folder)]
    kill_midway(command, env)

    settings = Settings(home=home, knowledge_dir=KNOWLEDGE)
    assistant = Assistant(settings)
    report = assistant.ingest([folder])  # what the `ingest` command runs, in this process
    chunks = [
        (chunk.id, chunk.text, {"title": chunk.title, "section": chunk.section})
        for document, root in read_documents([folder])
        for chunk in chunk_document(document, settings.chunk_chars, root)
    ]
    expected_sentences = {f"{cid}:{n}" for cid, text, _ in chunks for n, _ in enumerate(sentences(text))}
    # Killed among the sentences: every chunk was stored already, and none is embedded again.
    assert (report.documents, report.chunks, report.unchanged, report.embedded) == (
        FILES,
        len(chunks),
        len(chunks),
        0,
    )

    stored_chunks = assistant.index.collection("guidelines").get(include=[])["ids"]
    stored_sentences = assistant.index.collection("sentences").get(include=[])["ids"]
    # A clean ingest stores exactly these: every chunk and every sentence once.
    assert sorted(stored_chunks) == sorted(cid for cid, _, _ in chunks)
    assert len(stored_sentences) == len(set(stored_sentences))
    assert set(stored_sentences) == expected_sentences, (
        f"{len(expected_sentences - set(stored_sentences))} sentences missing, "
        f"{len(set(stored_sentences) - expected_sentences)} extra"
    )
    # Every chunk's vector is its text's (it is its own nearest neighbour), and every section
    # is found by its words.
    mirror = assistant.index.mirror("guidelines")
    for cid, text, meta in chunks:
        query = np.asarray(assistant.index.embedder.embed_query(search_text(text, meta)), dtype=np.float32)
        assert mirror.ids[int(np.argmax(mirror.vectors @ query))] == cid, meta
    for (source, section), code in words.items():
        hits = assistant.search(f"the {code} checklist", k=5, mode="bm25")
        assert any(h.meta.get("source") == source and h.meta.get("section") == section for h in hits), code
