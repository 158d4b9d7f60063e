from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from assistant.documents import chunk_document, find_documents, load_document, sentences, split_text
from assistant.errors import InvalidInput
from tests import handbook

MARKDOWN = """---
title: Meeting rhythm
audience: [mentor, executive]
tags: [cadence]
---
Intro paragraph.

## How often
Twice a month.

### Detail
Still part of how often.

## Who books
The executive's assistant books the slot.
"""


def write_pdf(path: Path, pages: list[str]) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.set_title("Handbook PDF")
    pdf.output(str(path))


def write_docx(path: Path) -> None:
    document = docx.Document()
    document.add_heading("Partner handbook", level=0)
    document.add_heading("Scheduling", level=1)
    document.add_paragraph("Book the sessions a quarter ahead.")
    document.add_heading("Feedback", level=1)
    document.add_paragraph("Ask for feedback at the end of every session.")
    document.save(str(path))


def test_markdown_front_matter_and_sections(tmp_path: Path) -> None:
    path = tmp_path / "rhythm.md"
    path.write_text(MARKDOWN)
    doc = load_document(path, tmp_path)
    assert doc.title == "Meeting rhythm"
    assert doc.audience == ["mentor", "executive"]
    assert doc.tags == ["cadence"]
    assert [s.heading for s in doc.sections] == [None, "How often", "Who books"]
    assert "Still part of how often" in doc.sections[1].text
    assert doc.source == "rhythm.md"


def test_plain_text_title_is_first_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Program charter\n\nPairs meet twice a month.")
    doc = load_document(path, tmp_path)
    assert doc.title == "Program charter"
    assert "twice a month" in doc.sections[0].text


def test_pdf_pages_become_sections(tmp_path: Path) -> None:
    path = tmp_path / "handbook.pdf"
    write_pdf(path, ["Pairs meet twice a month.", "Coordinators review cadence quarterly."])
    doc = load_document(path, tmp_path)
    assert doc.title == "Handbook PDF"
    assert [s.heading for s in doc.sections] == ["Page 1", "Page 2"]
    assert "quarterly" in doc.sections[1].text
    assert not doc.structured


def test_docx_headings_become_sections(tmp_path: Path) -> None:
    path = tmp_path / "partner.docx"
    write_docx(path)
    doc = load_document(path, tmp_path)
    assert doc.title == "Partner handbook"
    assert [s.heading for s in doc.sections] == ["Scheduling", "Feedback"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.pdf", b"%PDF-1.4 not really", "not a readable PDF"),
        ("broken.docx", b"PK not a zip", "not a readable DOCX"),
        ("latin.txt", "caf\xe9".encode("latin-1"), "not UTF-8"),
        ("image.png", b"\x89PNG", "unsupported file type"),
        ("bad.md", b"---\ntitle: [unclosed\n---\n## A\nx", "front matter"),
    ],
)
def test_bad_files_raise_clear_errors(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message):
        load_document(path, tmp_path)


def test_split_text_respects_limit_and_keeps_everything() -> None:
    text = "\n\n".join(f"Paragraph {i}. " + "word " * 40 for i in range(20))
    pieces = split_text(text, 300)
    assert all(len(p) <= 300 for p in pieces)
    assert "".join(pieces).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_chunk_ids_depend_on_content_only(tmp_path: Path) -> None:
    path = tmp_path / "rhythm.md"
    path.write_text(MARKDOWN)
    first = chunk_document(load_document(path, tmp_path), 500)
    again = chunk_document(load_document(path, tmp_path), 500)
    assert [c.id for c in first] == [c.id for c in again]
    path.write_text(MARKDOWN.replace("Twice a month.", "Three times a month."))
    changed = chunk_document(load_document(path, tmp_path), 500)
    assert len({c.id for c in first} ^ {c.id for c in changed}) == 2


def test_find_documents_skips_other_files_and_reports_missing(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("## A\ntext")
    (tmp_path / "data.yaml").write_text("x: 1")
    assert [p.name for p, _ in find_documents([tmp_path])] == ["a.md"]
    with pytest.raises(InvalidInput, match="does not exist"):
        find_documents([tmp_path / "missing"])


def test_docx_tables_are_read(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Rota", level=1)
    document.add_paragraph("Who hosts which session.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Month", "Host"
    table.cell(1, 0).text, table.cell(1, 1).text = "March", "The iguana team"
    document.save(str(tmp_path / "rota.docx"))
    doc = load_document(tmp_path / "rota.docx", tmp_path)
    assert [s.heading for s in doc.sections] == ["Rota", "Tables"]
    assert doc.sections[1].text == "Month | Host\nMarch | The iguana team"


def test_pdf_headings_set_large_or_bold_become_sections(tmp_path: Path) -> None:
    # The second evaluation handbook's PDF: headings 14 pt bold over 11 pt text, lists drawn
    # with their markers apart from the text, a section starting on a new page.
    book = next(d for d in handbook.handbook()["documents"] if d["file"].endswith(".pdf"))
    path = handbook.build(tmp_path)[0]
    doc = load_document(path, tmp_path)
    assert doc.structured
    assert doc.title == book["title"]
    assert [s.heading for s in doc.sections] == [s["heading"] for s in book["sections"]]
    steps = next(s for s in doc.sections if s.heading == "Before your first conversation")
    assert steps.text.splitlines()[:3] == [
        "Work through these steps in order:",
        "1. Attend the two-hour introductory workshop run by the Organisational Development team.",
        "2. Read each other's one-page profile, which you receive by email after matching.",
    ]
    tips = next(s for s in doc.sections if s.heading == "Running a good conversation")
    assert tips.text.count("\n- ") == 3  # bullets kept as a list, each item whole
    chunks = chunk_document(doc, 900)
    lists = [c for c in chunks if "1. Attend" in c.text]
    assert len(lists) == 1 and "4. Write down three things" in lists[0].text  # the list in one chunk


def test_pdf_bold_headings_at_body_size_and_page_furniture(tmp_path: Path) -> None:
    pdf = FPDF()
    for page in range(3):
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        pdf.cell(0, 6, "Mentoring handbook - internal", new_x="LMARGIN", new_y="NEXT")
        for part in range(2):
            pdf.set_font("Helvetica", "B", 11)
            pdf.cell(0, 8, f"Rule {page * 2 + part + 1}: booking rooms", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=11)
            pdf.multi_cell(0, 6, "Book the room a week ahead. " * 6, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=9)
        pdf.cell(0, 6, f"{page + 1}", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "rules.pdf"
    pdf.output(str(path))
    doc = load_document(path, tmp_path)
    assert [s.heading for s in doc.sections] == [f"Rule {n}: booking rooms" for n in range(1, 7)]
    assert not any("internal" in s.text or s.text.strip().isdigit() for s in doc.sections)


def test_pdf_paragraph_carried_over_a_page_break_mid_sentence_stays_one(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, "Closing and graduation", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "The showcase brings all pairs together. Each executive gives a", new_x="LMARGIN")
    pdf.add_page()
    pdf.multi_cell(0, 6, "three-minute account of their commitment.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(0, 6, "Mentors receive a certificate.", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.multi_cell(0, 6, "Certificates are posted in November.", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "carried.pdf"
    pdf.output(str(path))
    text = load_document(path, tmp_path).sections[0].text
    assert "Each executive gives a three-minute account of their commitment." in sentences(text)
    assert text.endswith("Mentors receive a certificate.\n\nCertificates are posted in November.")


def test_pdf_without_headings_is_cut_by_page_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "flat.pdf"
    write_pdf(path, ["Pairs meet twice a month.", "Coordinators review cadence quarterly."])
    doc = load_document(path, tmp_path)
    assert not doc.structured
    assert [s.heading for s in doc.sections] == ["Page 1", "Page 2"]


def test_docx_lists_stay_whole_and_bold_paragraphs_head_sections(tmp_path: Path) -> None:
    book = next(d for d in handbook.handbook()["documents"] if d["file"].endswith(".docx"))
    path = handbook.build(tmp_path)[1]
    doc = load_document(path, tmp_path)
    assert doc.structured and doc.title == book["title"]
    assert [s.heading for s in doc.sections] == [s["heading"] for s in book["sections"]]
    rules = next(s for s in doc.sections if s.heading == "Matching guides and learners").text
    assert "The panel follows these rules:\n- Never pair anyone" in rules
    # A document without heading styles whose headings are short bold paragraphs.
    plain = docx.Document()
    for title, body in (("Booking", "Book a room a week ahead."), ("Feedback", "Ask at the end.")):
        plain.add_paragraph().add_run(title).bold = True
        plain.add_paragraph(body)
    plain.save(str(tmp_path / "plain.docx"))
    flat = load_document(tmp_path / "plain.docx", tmp_path)
    assert [s.heading for s in flat.sections] == ["Booking", "Feedback"] and flat.structured


def test_a_paragraph_and_the_short_line_leading_a_list_end_sentences() -> None:
    # A list item without a full stop is not run into the next paragraph, and "Mentees must not:"
    # (short, but what the items mean) is kept.
    text = (
        "Participants must:\n- attend the training for their role\n- treat each other with respect\n\n"
        "Mentees must not:\n- send a deputy to a session in their place\n\nThe coordinator checks the logs"
    )
    assert sentences(text) == [
        "Participants must:",
        "attend the training for their role",
        "treat each other with respect",
        "Mentees must not:",
        "send a deputy to a session in their place",
        "The coordinator checks the logs",
    ]


def test_list_items_are_sentences_of_their_own() -> None:
    text = (
        "Before the first session, do this:\n1. Read each other's profile\n"
        "2. Agree a slot every three weeks\n- Bring one question about their work"
    )
    assert sentences(text) == [
        "Before the first session, do this:",
        "Read each other's profile",
        "Agree a slot every three weeks",
        "Bring one question about their work",
    ]


def test_a_sentence_too_short_to_stand_alone_is_said_with_its_neighbour() -> None:
    text = (
        "- Can I send a deputy? No.\n"
        "- Will my manager see what we talk about? No. They see dates, not content.\n"
        "- Travel\n"
    )
    assert sentences(text) == [
        "Can I send a deputy? No.",  # the FAQ's answer is kept, with its question
        "Will my manager see what we talk about?",
        "No. They see dates, not content.",
    ]


def test_a_table_row_is_a_sentence_named_by_its_columns() -> None:
    text = (
        "Time per month:\n\n| Role | Typical time | What it covers |\n|---|---|---|\n"
        "| Mentor | about 3 hours | two sessions, notes |\n| Sponsor | about 2 hours | kickoff |\n\nAfter it."
    )
    said = sentences(text)
    assert "Mentor: typical time, about 3 hours (two sessions, notes)." in said, said
    assert "Sponsor: typical time, about 2 hours (kickoff)." in said and not any("|" in s for s in said)
