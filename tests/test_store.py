import pytest
from sqlalchemy import insert, select

from assistant.cache import ExpiringCache
from assistant.core import Assistant
from assistant.errors import InvalidInput, NotFound
from assistant.index import VectorIndex
from assistant.program import hash_token, user_by_token
from assistant.store import User

pytestmark = pytest.mark.engines  # the store on SQLite and on PostgreSQL, the index embedded and on a server


@pytest.fixture
def people(assistant: Assistant) -> dict[str, str]:
    ids = {
        "mentor": assistant.add_user("Mia Mentor", "mentor")["id"],
        "exec": assistant.add_user("Eli Exec", "executive")["id"],
        "other": assistant.add_user("Olu Other", "mentor")["id"],
    }
    ids["pair"] = assistant.add_pair(ids["mentor"], ids["exec"], "Learn AI tools", start_date="2026-02-01")[
        "id"
    ]
    return ids


def test_tokens_are_stored_hashed(assistant: Assistant) -> None:
    created = assistant.add_user("Tia Token", "coordinator")
    with assistant.session() as session:
        user = user_by_token(session, created["token"])
        assert user is not None and user.id == created["id"]
        assert user.token_hash == hash_token(created["token"]) != created["token"]
        assert user_by_token(session, "wrong") is None


@pytest.mark.parametrize(("role", "message"), [("ceo", "Unknown role"), ("", "Unknown role")])
def test_bad_roles_are_refused(assistant: Assistant, role: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        assistant.add_user("Someone", role)
    assert assistant.list_users() == []


def test_pairs_need_a_mentor_and_an_executive(assistant: Assistant, people: dict[str, str]) -> None:
    with pytest.raises(InvalidInput, match="not an executive"):
        assistant.add_pair(people["mentor"], people["other"])
    with pytest.raises(NotFound):
        assistant.add_pair(people["mentor"], "u-nobody")
    assert len(assistant.list_pairs()) == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"pair_id": "p-missing"}, NotFound),
        ({"date": "2026-13-01"}, InvalidInput),
        ({"date": "yesterday"}, InvalidInput),
        ({"text": "   "}, InvalidInput),
        ({"visibility": "everyone"}, InvalidInput),
        ({"author_id": "OTHER"}, InvalidInput),
        ({"text": "x" * 20_001}, InvalidInput),
    ],
)
def test_bad_notes_change_nothing(
    assistant: Assistant, people: dict[str, str], change: dict[str, str], error: type[Exception]
) -> None:
    args = {
        "pair_id": people["pair"],
        "author_id": people["mentor"],
        "date": "2026-03-01",
        "text": "A fine session.",
        "visibility": "pair",
    }
    args.update(change)
    if args["author_id"] == "OTHER":
        args["author_id"] = people["other"]
    with pytest.raises(error):
        assistant.add_note(**args)
    assert assistant.list_notes(people["pair"]) == []
    assert assistant.index.count("notes") == 0


def test_a_note_whose_indexing_fails_is_kept_and_indexed_by_the_next_drain(
    assistant: Assistant, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("index unavailable")

    with monkeypatch.context() as patched:
        patched.setattr(VectorIndex, "add", broken)
        note = assistant.add_note(
            people["pair"], people["mentor"], "2026-03-01", "Kept though indexing fails."
        )
    assert [n["id"] for n in assistant.list_notes(people["pair"])] == [note["id"]]
    assert assistant.outbox.backlog()["notes"] == 1
    # Found by its words at once (the store has it), by meaning once its vectors are in.
    assert (
        assistant.search("indexing fails", mode="bm25", as_user=people["mentor"])[0].meta["note_id"]
        == note["id"]
    )
    assert not [
        h
        for h in assistant.search("indexing fails", mode="dense", as_user=people["mentor"])
        if h.kind == "note"
    ]
    restarted = Assistant(assistant.settings)  # what a server does when it starts
    assert restarted.index_pending()
    assert restarted.outbox.backlog() == {"notes": 0, "oldest": None}
    dense = restarted.search("indexing fails", mode="dense", as_user=people["mentor"])
    assert [h.meta["note_id"] for h in dense if h.kind == "note"] == [note["id"]]


def test_notes_are_listed_in_date_order(assistant: Assistant, people: dict[str, str]) -> None:
    for date in ("2026-04-01", "2026-02-15", "2026-03-01"):
        assistant.add_note(people["pair"], people["exec"], date, f"Session on {date}.")
    assert [n["date"] for n in assistant.list_notes(people["pair"])] == [
        "2026-02-15",
        "2026-03-01",
        "2026-04-01",
    ]


def test_identity_caches_see_this_process_changes_at_once(
    assistant: Assistant, people: dict[str, str]
) -> None:
    assert assistant.user_for_token("t-later") is None, "an unknown token is refused"
    later = assistant.add_user("Lee Later", "executive", token="t-later")
    found = assistant.user_for_token("t-later")
    assert found == {"id": later["id"], "name": "Lee Later", "role": "executive"}, "a refusal is not kept"
    assert assistant.cached_user("t-later") == found and assistant.cached_user("t-never") is None
    assert assistant.viewer(people["other"]).pair_ids == frozenset()
    pair = assistant.add_pair(people["other"], later["id"])["id"]
    assert assistant.viewer(people["other"]).pair_ids == {pair}, "a new pair shows at once"
    with pytest.raises(NotFound):
        assistant.viewer("u-nobody")


def test_identity_caches_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr("assistant.cache.time.monotonic", lambda: now[0])
    version = [0]
    cache: ExpiringCache[str, int] = ExpiringCache(5.0, lambda: version[0])
    loads = iter(range(1, 10))
    assert cache.get("k", lambda: next(loads)) == 1
    assert cache.get("k", lambda: next(loads)) == 1
    now[0] += 5.0
    assert cache.get("k", lambda: next(loads)) == 2, "kept only for five seconds"
    version[0] += 1
    assert cache.peek("k") is None and cache.get("k", lambda: next(loads)) == 3, "a change drops it"


def test_read_only_sessions_refuse_writes(assistant: Assistant) -> None:
    with pytest.raises(RuntimeError, match="read-only"), assistant.session(write=False) as session:
        session.add(User(id="u-sneaky", name="Sneaky", role="admin", token_hash="x" * 64))
        session.flush()
    assert assistant.list_users() == []


def test_a_plain_connection_commits_its_block_or_nothing(assistant: Assistant) -> None:
    row = {"id": "u-plain", "name": "Pat Plain", "role": "mentor", "token_hash": "p" * 64}
    with pytest.raises(ValueError, match="after its insert"), assistant.connection() as connection:
        connection.execute(insert(User), [row])
        raise ValueError("failed after its insert")
    assert assistant.list_users() == [], "a block that fails writes nothing"
    with assistant.connection() as connection:
        connection.execute(insert(User), [row])
    assert [u["name"] for u in assistant.list_users()] == ["Pat Plain"], "committed when the block ends"
    with assistant.connection(write=False) as connection:
        assert connection.execute(select(User.name)).scalars().all() == ["Pat Plain"]


def test_a_note_that_cannot_be_indexed_does_not_hold_up_the_others(
    assistant: Assistant, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    add = VectorIndex.add

    def refuses_one(index: VectorIndex, name: str, ids: object, texts: list[str], *args: object) -> None:
        if any("unindexable" in text for text in texts):
            raise ValueError("this chunk cannot be stored")
        add(index, name, ids, texts, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(VectorIndex, "add", refuses_one)
    bad = assistant.add_note(people["pair"], people["mentor"], "2026-03-01", "An unindexable remark.")
    good = assistant.add_note(people["pair"], people["mentor"], "2026-03-02", "We planned a heron workshop.")
    hits = assistant.search("heron workshop", mode="dense", as_user=people["mentor"])
    assert good["id"] in {h.meta.get("note_id") for h in hits}
    assert assistant.outbox.backlog()["notes"] == 1  # only the one that fails waits
    with pytest.raises(RuntimeError, match="1 notes could not be indexed"):
        assistant.outbox.drain()
    monkeypatch.setattr(VectorIndex, "add", add)
    assert assistant.outbox.drain() == 1
    hits = assistant.search("unindexable remark", mode="dense", as_user=people["mentor"])
    assert bad["id"] in {h.meta.get("note_id") for h in hits}
