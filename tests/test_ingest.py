from pathlib import Path

from assistant.core import Assistant
from assistant.settings import Settings
from tests.test_documents import MARKDOWN, write_docx, write_pdf


def make_corpus(folder: Path) -> None:
    folder.mkdir()
    (folder / "rhythm.md").write_text(MARKDOWN)
    (folder / "charter.txt").write_text("Program charter\n\nExecutives teach budgeting in return.")
    write_pdf(folder / "handbook.pdf", ["Coordinators review the cadence every quarter."])
    write_docx(folder / "partner.docx")


def test_every_format_is_ingested_and_searchable(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "handbook"
    make_corpus(folder)
    report = assistant.ingest([folder])
    assert report.documents == 4
    assert report.embedded == report.chunks > 0
    sources = {
        "rhythm.md": "the executive's assistant makes the booking",
        "charter.txt": "executives teach budgeting",
        "handbook.pdf": "quarterly cadence review by coordinators",
        "partner.docx": "asking for feedback after every session",
    }
    for source, query in sources.items():
        hits = assistant.search(query, k=2)
        assert hits[0].meta["source"] == source, (query, [h.meta["source"] for h in hits])


def test_reingest_unchanged_embeds_nothing(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "handbook"
    make_corpus(folder)
    first = assistant.ingest([folder])
    again = Assistant(assistant.settings).ingest([folder])  # a new process would start like this
    assert again.embedded == 0
    assert again.unchanged == first.chunks
    assert again.removed == 0


def test_changed_and_removed_documents_are_updated(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "handbook"
    make_corpus(folder)
    assistant.ingest([folder])
    (folder / "rhythm.md").write_text(MARKDOWN.replace("Twice a month.", "Every Tuesday at nine."))
    (folder / "charter.txt").unlink()
    report = assistant.ingest([folder])
    assert report.documents == 3
    assert report.embedded == 1
    assert report.removed == 2  # the old rhythm chunk and the charter's only chunk
    assert not any(h.meta["source"] == "charter.txt" for h in assistant.search("executives budgeting", k=10))
    assert "Every Tuesday" in assistant.search("when do we meet every week", k=1)[0].text


def test_reindex_rebuilds_from_store_and_folders(settings: Settings, tmp_path: Path) -> None:
    assistant = Assistant(settings.model_copy(update={"knowledge_dir": tmp_path / "no-defaults"}))
    folder = tmp_path / "handbook"
    make_corpus(folder)
    assistant.ingest([folder])
    alice = assistant.add_user("Alice Mentor", "mentor")["id"]
    bob = assistant.add_user("Bob Exec", "executive")["id"]
    pair = assistant.add_pair(alice, bob)["id"]
    assistant.add_note(pair, alice, "2026-05-04", "We tried the zebra-striped dashboard together.")
    guidelines_before = assistant.index.count("guidelines")
    result = assistant.reindex()
    assert result["notes"] == 1
    assert assistant.index.count("guidelines") == guidelines_before
    hits = assistant.search("zebra-striped dashboard", as_user=alice)
    assert hits[0].kind == "note"
