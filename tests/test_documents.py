from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from assistant.documents import chunk_document, find_documents, load_document, split_text
from assistant.errors import InvalidInput

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
