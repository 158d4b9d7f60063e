"""Audit rows from concurrent requests share commits, and every caller hears how its commit went."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from assistant.core import Assistant
from assistant.groupcommit import GroupCommit
from assistant.store import AuditEntry, _sqlite_lock, engine_for


def test_rows_that_wait_for_a_commit_share_the_next_one(assistant: Assistant) -> None:
    url = assistant.settings.sqlalchemy_url
    rows = GroupCommit(url)
    commits: list[int] = []
    event.listen(engine_for(url), "commit", lambda _connection: commits.append(1))
    writer = _sqlite_lock(url)
    writer.acquire()  # the store's writer is busy: the first caller's commit waits for it
    with ThreadPoolExecutor(10) as pool:
        done = [
            pool.submit(rows.add, [AuditEntry(user_id="u", action="search", note_ids=f"n{i}")])
            for i in range(10)
        ]
        deadline = time.monotonic() + 30
        while len(rows._waiting) < 9 and time.monotonic() < deadline:  # one commits, nine wait behind it
            time.sleep(0.01)
        writer.release()
        for future in done:
            future.result(timeout=30)
    assert len(commits) == 2
    stored = {entry["note_ids"][0] for entry in assistant.audit_log(limit=50)}
    assert stored == {f"n{i}" for i in range(10)}


def test_every_caller_of_a_failed_commit_hears_it_and_later_ones_are_stored(assistant: Assistant) -> None:
    url = assistant.settings.sqlalchemy_url
    rows = GroupCommit(url)
    rows.add([AuditEntry(id=1, user_id="u", action="search", note_ids="first")])
    writer = _sqlite_lock(url)
    writer.acquire()
    with ThreadPoolExecutor(3) as pool:
        blocker = pool.submit(rows.add, [AuditEntry(user_id="u", action="search", note_ids="x")])
        while not rows._busy:
            time.sleep(0.01)
        # Both wait behind the running commit and then go in one: the duplicate id fails it for both.
        clash = pool.submit(rows.add, [AuditEntry(id=1, user_id="u", action="search", note_ids="dup")])
        fine = pool.submit(rows.add, [AuditEntry(user_id="u", action="search", note_ids="lost")])
        while len(rows._waiting) < 2:
            time.sleep(0.01)
        writer.release()
        blocker.result(timeout=30)
        for future in (clash, fine):
            with pytest.raises(IntegrityError):
                future.result(timeout=30)
    rows.add([AuditEntry(user_id="u", action="search", note_ids="after")])
    stored = {entry["note_ids"][0] for entry in assistant.audit_log(limit=50)}
    assert stored == {"first", "x", "after"}
    assert not rows._callers and not rows._failed  # nothing kept once every caller has heard


def test_concurrent_searches_audit_every_note_they_read(assistant: Assistant) -> None:
    user = assistant.add_user("Mina Mentor", "mentor")["id"]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda i: assistant.audit(user, "search", [f"note-{i}"]), range(200)))
    stored = [entry["note_ids"] for entry in assistant.audit_log(limit=500)]
    assert sorted(ids[0] for ids in stored) == sorted(f"note-{i}" for i in range(200))
