from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from assistant import index as index_module
from assistant.core import Assistant
from assistant.embeddings import LocalMiniLM, embedder_name
from assistant.errors import InvalidInput, Unavailable
from assistant.index import COLLECTIONS, VectorIndex, collection_name
from assistant.lexical import BM25Index, tokenize
from assistant.settings import Settings
from tests.test_documents import MARKDOWN, write_docx, write_pdf

pytestmark = pytest.mark.engines  # ingest and search on embedded Chroma and on a Chroma server


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
    assert sorted(report.chunked_by_length) == ["charter.txt", "handbook.pdf"]  # no headings to read
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


def test_a_renamed_document_is_cited_by_its_new_title(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "handbook"
    make_corpus(folder)
    assistant.ingest([folder])
    (folder / "rhythm.md").write_text(MARKDOWN.replace("title: Meeting rhythm", "title: Session cadence"))
    report = assistant.ingest([folder])
    assert report.embedded == report.removed > 0
    hits = assistant.search("twice a month", k=10)
    titles = {h.meta["title"] for h in hits if h.meta["source"] == "rhythm.md"}
    assert titles == {"Session cadence"}


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


def sentence_chunks(assistant: Assistant) -> dict[str, int]:
    """How many sentence vectors each guideline chunk has in the index."""
    counts: dict[str, int] = {}
    for meta in assistant.index.mirror("sentences").metas:
        counts[meta["chunk"]] = counts.get(meta["chunk"], 0) + 1
    return counts


def test_guideline_sentences_follow_their_chunks(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "handbook"
    make_corpus(folder)
    assistant.ingest([folder])
    chunks = set(assistant.index.mirror("guidelines").ids)
    assert set(sentence_chunks(assistant)) == chunks
    stored = len(assistant.index.mirror("sentences").ids)
    again = Assistant(assistant.settings)
    again.ingest([folder])
    assert len(again.index.mirror("sentences").ids) == stored  # nothing re-embedded or doubled
    (folder / "charter.txt").unlink()
    again.ingest([folder])
    assert set(sentence_chunks(again)) == set(again.index.mirror("guidelines").ids) < chunks


def test_an_index_without_sentences_gets_them_on_the_next_ingest(
    assistant: Assistant, tmp_path: Path
) -> None:
    folder = tmp_path / "handbook"
    make_corpus(folder)
    assistant.ingest([folder])
    assistant.index.delete("sentences", list(assistant.index.mirror("sentences").ids))
    assert (
        assistant.search("quarterly cadence review by coordinators", k=1)[0].meta["source"] == "handbook.pdf"
    )
    report = assistant.ingest([folder])
    assert report.embedded == 0
    assert set(sentence_chunks(assistant)) == set(assistant.index.mirror("guidelines").ids)


def test_a_question_finds_the_one_sentence_that_answers_it(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "handbook"
    folder.mkdir()
    filler = " ".join(f"Pairs discuss topic number {n} with care and attention." for n in range(12))
    (folder / "long.md").write_text(
        "---\ntitle: Long guide\n---\n## Everything\n"
        f"{filler} Sessions may be recorded only when both partners agree in writing. {filler}\n"
    )
    (folder / "short.md").write_text(
        "---\ntitle: Short guide\n---\n## Rooms\nBook a quiet room for sessions.\n"
    )
    assistant.ingest([folder])
    hit = assistant.search("are we allowed to record a session", k=1)[0]
    assert hit.meta["source"] == "long.md"
    texts, vectors = assistant.index.sentences_of(hit.id)
    assert vectors.shape == (len(texts), 384)
    assert any("recorded only when both partners agree" in t for t in texts)


def test_guideline_results_spread_over_sections_and_documents(demo: Assistant) -> None:
    for question in ("how often should a pair meet", "who can read my notes", "my executive cancels"):
        hits = demo.search(question, k=5)
        sections = [(h.meta["source"], h.meta.get("section")) for h in hits]
        assert len(set(sections)) == len(sections) == 5
        per_document = [h.meta["source"] for h in hits]
        assert max(per_document.count(s) for s in per_document) <= 2


def test_another_instance_follows_added_edited_and_removed_notes(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "REFRESH_SECONDS", 0.0)
    writer, reader = Assistant(settings), Assistant(settings)  # two API instances on one index
    mentor = writer.add_user("Mentor", "mentor")["id"]
    executive = writer.add_user("Executive", "executive")["id"]
    pair = writer.add_pair(mentor, executive)["id"]
    writer.add_note(pair, mentor, "2026-03-01", "We tried the zebra-striped dashboard together.")
    assert "zebra" in reader.search("zebra-striped dashboard", as_user=mentor)[0].text
    note = writer.add_note(pair, mentor, "2026-03-08", "Practised prompts for the quarterly board deck.")
    assert "board deck" in reader.search("prompts for the board deck", as_user=mentor)[0].text
    writer.edit_note(note["id"], mentor, text="Practised prompts for the annual supplier review.")
    top = reader.search("prompts for the supplier review", as_user=mentor)[0]
    assert "supplier review" in top.text
    assert not any("board deck" in h.text for h in reader.search("board deck prompts", k=20, as_user=mentor))
    writer.remove_note(note["id"], mentor)
    assert not any(
        h.meta.get("note_id") == note["id"] for h in reader.search("supplier", k=20, as_user=mentor)
    )
    assert reader.index.count("notes") == writer.index.count("notes") == 1


def ours(assistant: Assistant) -> set[str]:
    """The names of the collections this store's generations own (a Chroma server holds others too)."""
    state = assistant.index.state(fresh=True)
    names = {collection_name(n, g) for n in COLLECTIONS for g in {state.generation, state.building} - {""}}
    return names & {c.name for c in assistant.index.client.list_collections()}


def test_an_instance_notices_a_rebuild_made_elsewhere(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(index_module, "REFRESH_SECONDS", 0.0)
    # No default guidelines: the rebuild below then embeds only this test's handbook.
    settings = settings.model_copy(update={"knowledge_dir": tmp_path / "no-defaults"})
    first, second = Assistant(settings), Assistant(settings)
    make_corpus(tmp_path / "handbook")
    first.ingest([tmp_path / "handbook"])
    assert second.index.count("guidelines") == first.index.count("guidelines") > 0
    before = ours(first)
    (tmp_path / "handbook" / "extra.md").write_text("# Extra\n## Wombats\nPairs may bring a wombat.\n")
    second.reindex()
    assert "wombat" in first.search("can we bring a wombat", k=1)[0].text
    after = ours(first)
    assert before and after
    listed = {c.name for c in first.index.client.list_collections()}
    assert not before & listed, "the old generation's collections are dropped after the swap"


def test_a_rebuild_serves_the_old_index_until_it_swaps_and_gets_every_note(assistant: Assistant) -> None:
    mentor = assistant.add_user("Mentor", "mentor")["id"]
    executive = assistant.add_user("Executive", "executive")["id"]
    pair = assistant.add_pair(mentor, executive)["id"]
    assistant.add_note(pair, mentor, "2026-03-01", "We sketched the capybara onboarding map.")
    generation = assistant.index.begin_rebuild()
    assert assistant.index.collection("notes", generation).count() == 0
    assert "capybara" in assistant.search("capybara onboarding", k=1, as_user=mentor)[0].text
    during = assistant.add_note(pair, mentor, "2026-03-08", "We tried the axolotl retro format.")
    assert assistant.index.ids_where("notes", generation, note_id=during["id"])  # written to both
    assistant.index.abandon_rebuild(generation)
    assert "axolotl" in assistant.search("axolotl retro", k=1, as_user=mentor)[0].text


def test_a_one_document_handbook_still_fills_the_results(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "handbook"
    folder.mkdir()
    sections = "\n".join(f"## Part {n}\nPairs meet every {n + 1} weeks in room {n}.\n" for n in range(6))
    (folder / "only.md").write_text(f"---\ntitle: Only guide\n---\n{sections}")
    assistant.ingest([folder])
    hits = assistant.search("how often do pairs meet", k=5)
    assert len(hits) == 5
    assert len({h.meta["section"] for h in hits}) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_note_moved_to_another_date_is_cited_with_the_new_date(assistant: Assistant) -> None:
    mentor = assistant.add_user("Mentor", "mentor")["id"]
    executive = assistant.add_user("Executive", "executive")["id"]
    pair = assistant.add_pair(mentor, executive)["id"]
    note = assistant.add_note(pair, mentor, "2026-03-01", "We mapped the flamingo-pink escalation path.")
    assistant.edit_note(note["id"], mentor, date="2026-03-15")
    hits = [h for h in assistant.search("flamingo escalation", k=20, as_user=mentor) if h.kind == "note"]
    assert [h.meta["date"] for h in hits] == ["2026-03-15"]
    assert hits[0].meta["title"] == "Session note 2026-03-15"


def test_the_same_file_in_two_folders_is_two_documents(assistant: Assistant, tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "guide.md").write_text("# Guide\n## Rule\nThe okapi rule applies on Tuesdays.\n")
    assert assistant.ingest([tmp_path / "a", tmp_path / "b"]).embedded == 2
    (tmp_path / "b" / "guide.md").unlink()
    assert assistant.ingest([tmp_path / "b"]).removed == 1
    roots = {h.meta["root"] for h in assistant.search("okapi rule", k=5)}
    assert roots == {str((tmp_path / "a").resolve())}


def test_a_file_named_twice_or_then_its_folder_is_indexed_once(settings: Settings, tmp_path: Path) -> None:
    # No default guidelines: the reindex below then rebuilds only this test's file.
    assistant = Assistant(settings.model_copy(update={"knowledge_dir": tmp_path / "no-defaults"}))
    (tmp_path / "e.md").write_text("# E\n## S\nThe echidna clause.\n")
    assert assistant.ingest([tmp_path / "e.md", tmp_path / "e.md"]).embedded == 1
    assert assistant.ingest([tmp_path]).embedded == 0
    assert len([h for h in assistant.search("echidna clause", k=5) if "echidna" in h.text]) == 1
    assistant.reindex()
    assert len([h for h in assistant.search("echidna clause", k=5) if "echidna" in h.text]) == 1


def test_a_reindex_that_meets_a_bad_file_changes_nothing(assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "handbook"
    make_corpus(folder)
    assistant.ingest([folder])
    before = assistant.index.count("guidelines")
    (folder / "latin1.txt").write_bytes("caf\xe9 rules".encode("latin-1"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        assistant.reindex()
    assert assistant.index.count("guidelines") == before > 0


def test_an_index_built_with_another_embedder_is_refused_until_rebuilt(guidelines: Assistant) -> None:
    other = DeterministicFakeEmbedding(size=64)  # any embedder but the one that built the index
    switched = Assistant(guidelines.settings)
    switched.__dict__["index"] = VectorIndex(guidelines.settings, other)
    with pytest.raises(Unavailable, match="reindex"):
        switched.search("how often should pairs meet")
    switched.reindex()
    assert switched.search("how often should pairs meet", k=3)
    assert switched.index.collection("guidelines").metadata["embedder"] == embedder_name(other)
    with pytest.raises(Unavailable, match="reindex"):  # and the other way round
        Assistant(guidelines.settings).search("how often should pairs meet")


HEADED = """# Okapi scheme handbook
## Before your first conversation
Work through these steps in order:
1. Attend the induction workshop run by the development team.
2. Read each other's one-page profile.
## Running a session
Spend ten minutes of every meeting catching up, then turn to the topic the guide chose.
"""


def test_a_question_worded_like_a_heading_finds_that_section(settings: Settings, tmp_path: Path) -> None:
    # The section's own text never says "before", "first" or "conversation": only its heading does.
    assistant = Assistant(settings.model_copy(update={"knowledge_dir": tmp_path / "no-defaults"}))
    (tmp_path / "okapi.md").write_text(HEADED)
    assistant.ingest([tmp_path / "okapi.md"])
    for mode in ("hybrid", "keyword", "semantic"):
        best = assistant.search("what should we do before our first conversation", k=1, mode=mode)[0]
        assert best.meta["section"] == "Before your first conversation", mode
        assert best.text.startswith("Work through these steps")  # the passage shown has no heading added


def test_an_index_that_embedded_text_in_another_form_is_refused_until_rebuilt(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Chunk ids hash the content, not the form embedded (headings and text): vectors made from
    # an older form would never be replaced, and the saved copy of the guidelines must not serve them.
    settings = settings.model_copy(update={"knowledge_dir": tmp_path / "no-defaults"})
    (tmp_path / "okapi.md").write_text(HEADED)
    built = Assistant(settings)
    built.ingest([tmp_path / "okapi.md"])
    assert built.search("induction workshop", k=1)  # the guidelines' copy is saved for the next process
    monkeypatch.setattr(index_module, "SEARCH_TEXT", "another form")
    later = Assistant(settings)
    with pytest.raises(Unavailable, match="reindex"):
        later.search("induction workshop", k=1)
    later.reindex()
    assert later.search("induction workshop", k=1)[0].meta["section"] == "Before your first conversation"
    assert later.index.collection("guidelines").metadata["search_text"] == "another form"


def test_an_index_that_records_no_text_form_has_the_first_one(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"knowledge_dir": tmp_path / "no-defaults"})
    (tmp_path / "okapi.md").write_text(HEADED)
    made = Assistant(settings)
    name = collection_name("guidelines", made.index.state().generation)
    mine = embedder_name(made.index.embedder)
    made.index.client.get_or_create_collection(name, metadata={"embedder": mine})  # as made before
    assert index_module.FIRST_SEARCH_TEXT != index_module.SEARCH_TEXT
    with pytest.raises(Unavailable, match="reindex"):  # the first form is not today's: rebuilt first
        made.ingest([tmp_path / "okapi.md"])
    monkeypatch.setattr(index_module, "SEARCH_TEXT", index_module.FIRST_SEARCH_TEXT)
    again = Assistant(settings)
    again.ingest([tmp_path / "okapi.md"])  # the same form: used as it is
    assert again.search("induction workshop", k=1)


def test_a_rebuild_with_the_same_embedder_reuses_the_note_vectors(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # No default guidelines: the rebuild then has no guideline to embed again (a minute and more).
    assistant = Assistant(settings.model_copy(update={"knowledge_dir": tmp_path / "no-defaults"}))
    mentor = assistant.add_user("Mentor", "mentor")["id"]
    executive = assistant.add_user("Executive", "executive")["id"]
    pair = assistant.add_pair(mentor, executive)["id"]
    for n in range(3):
        assistant.add_note(pair, mentor, f"2026-03-0{n + 1}", f"Session {n} on the pangolin roadmap.")
    embedded: list[str] = []
    embed = assistant.index.embed
    monkeypatch.setattr(assistant.index, "embed", lambda texts: embedded.extend(texts) or embed(texts))
    assert assistant.reindex()["note_chunks"] == 3
    assert not [t for t in embedded if "pangolin" in t]
    assert "pangolin" in assistant.search("pangolin roadmap", k=1, as_user=mentor, mode="dense")[0].text


def test_batches_cut_by_token_count_leave_every_vector_as_it_is_alone() -> None:
    """``embed_array`` tokenizes once and cuts each batch to its longest text: no vector changes."""
    model = LocalMiniLM(threads=1)
    words = "Mentors and executives meet twice a month to review the agreed actions".split()
    texts = [" ".join(words[: 1 + n % len(words)] * (1 + n // 7)) for n in range(45)]
    texts.append("budget " * 400)  # longer than the model reads: truncated alone as in a batch
    together = model.embed_array(texts)
    alone = np.stack([model.embed_array([text])[0] for text in texts])
    assert together.shape == (46, 384) and np.allclose(together, alone, atol=1e-6)
    assert model.embed_array([]).shape == (0, 384)


def test_parts_are_pooled_from_their_text_s_run_and_the_text_s_vector_is_unchanged() -> None:
    model = LocalMiniLM(threads=1)
    first, second = "Pairs meet twice a month.", "The executive brings one question about budgets."
    texts = [f"Guide — Rhythm\n{first} {second}", "No parts here.", "budget " * 400 + "Last words."]
    at = texts[0].index(first)
    parts = [[(at, at + len(first)), (at + len(first) + 1, len(texts[0]))], [], [(2800, 2811)]]
    whole, pooled = model.embed_with_parts(texts, parts)
    assert np.allclose(whole, model.embed_array(texts), atol=1e-6)
    assert [p.shape for p in pooled] == [(2, 384), (0, 384), (1, 384)]
    alone = model.embed_array([first, second])
    assert 0.7 < float(pooled[0][0] @ alone[0]) < 0.999 and float(pooled[0][1] @ alone[1]) > 0.7
    assert float(pooled[0][0] @ alone[0]) > float(pooled[0][0] @ alone[1])
    # Truncated away (the model reads 256 tokens): embedded on its own.
    assert np.allclose(pooled[2][0], model.embed_array(["Last words."])[0], atol=1e-6)


def test_keyword_scores_are_bm25s_own_and_survive_a_saved_copy() -> None:
    import bm25s

    texts = [
        "Pairs meet twice a month for an hour; the mentor books the meeting.",
        "Meetings that keep getting cancelled: book a recurring slot.",
        "The executive's assistant may book meetings but never attends them.",
        "",
        "Confidential notes stay with the pair.",
    ]
    built = BM25Index(texts)
    engine = bm25s.BM25(k1=1.2, b=0.75)
    engine.index([tokenize(t) for t in texts], show_progress=False)
    read_back = BM25Index.from_arrays(built.arrays())
    assert read_back.vocabulary == built.vocabulary and read_back.frequency == built.frequency
    for query in ("how often do pairs meet", "book the meeting slot", "assistant notes", "nothing known"):
        terms = [t for t in dict.fromkeys(tokenize(query)) if t in engine.vocab_dict]
        expected = engine.get_scores(terms) if terms else np.zeros(len(texts), np.float32)
        assert built.scores(query).tobytes() == np.asarray(expected, np.float32).tobytes(), query
        assert read_back.scores(query).tobytes() == built.scores(query).tobytes(), query
        assert read_back.top(query, 3) == built.top(query, 3)
    empty = BM25Index.from_arrays(BM25Index(["", "the"]).arrays())
    assert empty.size == 2 and not empty.knows("the") and empty.top("anything", 2) == []


def test_a_saved_copy_without_its_keyword_index_is_read_again(
    guidelines: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = guidelines.index
    assert index.mirror("guidelines").bm25().knows("pairs")  # the copy saved by the template
    (saved,) = (guidelines.settings.home / index_module.COPIES).glob("guidelines-*.npz")
    with np.load(saved) as copy:
        header, vectors = copy["header"], copy["vectors"]
    np.savez(saved, header=header, vectors=vectors)  # as a copy was saved before it carried one
    reads: list[str] = []
    read_mirror = VectorIndex._read_mirror

    def counted(self: VectorIndex, name: str, generation: str) -> index_module.Mirror:
        reads.append(name)
        return read_mirror(self, name, generation)

    monkeypatch.setattr(VectorIndex, "_read_mirror", counted)
    for _ in range(2):  # the first reads Chroma and saves the copy again, with the keyword index
        fresh = VectorIndex(guidelines.settings, index.embedder)
        assert fresh.mirror("guidelines").bm25().top("how often should pairs meet", 1)
    assert reads == ["guidelines"]
