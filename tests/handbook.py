"""Build the evaluation handbooks (knowledge/eval/*) as real PDF, DOCX and Markdown files.

The PDF sets headings large and bold, has a bold-only sub-heading style for list lead-ins and
runs across pages; the DOCX uses Word's heading and list styles; Markdown uses ``#`` headings.
Used by tests and by bench/ask_quality.py, so the files are made where they are needed and
nothing binary is committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import yaml
from fpdf import FPDF

from assistant.settings import REPO_ROOT

HANDBOOK = REPO_ROOT / "knowledge" / "eval" / "handbook"  # a borough council's (the second handbook)
TRUST = REPO_ROOT / "knowledge" / "eval" / "trust"  # a hospital trust's (the third), in another voice
CHARITY = REPO_ROOT / "knowledge" / "eval" / "charity"  # a charity's (the fourth), one document in Markdown
UNIVERSITY = REPO_ROOT / "knowledge" / "eval" / "university"  # a university's (the fifth), four documents
FIRM = REPO_ROOT / "knowledge" / "eval" / "firm"  # a consultancy's toolkit for a client (the sixth)
BANK = REPO_ROOT / "knowledge" / "eval" / "bank"  # a retail bank's policy, FAQ and dates sheet (the seventh)
SCHOOL = (
    REPO_ROOT / "knowledge" / "eval" / "school"
)  # a schools trust's guide, parents' FAQ and staff sheet (the eighth)
SOURCES = {
    "handbook": HANDBOOK,
    "trust": TRUST,
    "charity": CHARITY,
    "university": UNIVERSITY,
    "firm": FIRM,
    "bank": BANK,
    "school": SCHOOL,
}


def handbook(source: Path = HANDBOOK) -> dict[str, Any]:
    """The handbook's documents, as written in handbook.yaml."""
    return dict(yaml.safe_load((source / "handbook.yaml").read_text()))


def questions(source: Path = HANDBOOK) -> dict[str, Any]:
    """The labelled questions (``tune`` and ``heldout``)."""
    return dict(yaml.safe_load((source / "questions.yaml").read_text()))


def _latin(text: str) -> str:
    # The PDF core fonts cover Latin-1 only.
    return text.replace("’", "'").replace("–", "-").replace("—", "-")


def write_pdf(path: Path, document: dict[str, Any]) -> None:
    """A PDF whose headings are set in a larger bold font, with lists drawn as lists."""
    pdf = FPDF(format="A4")
    pdf.set_title(document["title"])
    pdf.set_margins(22, 20, 22)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, _latin(document["title"]))
    pdf.ln(4)
    for n, section in enumerate(document["sections"]):
        if n == 5:
            pdf.add_page()  # a section that starts on a new page, the rest flowing across pages
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(0, 8, _latin(section["heading"]))
        pdf.ln(1)
        for block in section["blocks"]:
            if isinstance(block, str):
                pdf.set_font("Helvetica", "", 11)
                pdf.multi_cell(0, 5.5, _latin(block))
            else:
                numbered = "numbered" in block
                pdf.set_font("Helvetica", "", 11)
                for i, item in enumerate(block.get("numbered") or block["bullets"], 1):
                    marker = f"{i}." if numbered else "-"
                    pdf.set_x(28)
                    pdf.cell(7, 5.5, marker)
                    pdf.multi_cell(0, 5.5, _latin(item))
            pdf.ln(2.5)
        pdf.ln(2)
    pdf.output(str(path))


def write_docx(path: Path, document: dict[str, Any]) -> None:
    """A DOCX with a Title, Heading 1 sections and Word's list styles."""
    out = docx.Document()
    out.core_properties.title = document["title"]
    out.add_heading(document["title"], level=0)
    for section in document["sections"]:
        out.add_heading(section["heading"], level=1)
        for block in section["blocks"]:
            if isinstance(block, str):
                out.add_paragraph(block)
            else:
                style = "List Number" if "numbered" in block else "List Bullet"
                for item in block.get("numbered") or block["bullets"]:
                    out.add_paragraph(item, style=style)
    out.save(str(path))


def write_markdown(path: Path, document: dict[str, Any]) -> None:
    """A Markdown file: the title as ``#``, sections as ``##``, lists as ``-`` or ``1.`` items."""
    lines = [f"# {document['title']}", ""]
    for section in document["sections"]:
        lines += [f"## {section['heading']}", ""]
        for block in section["blocks"]:
            if isinstance(block, str):
                lines.append(block)
            else:
                numbered = "numbered" in block
                items = block.get("numbered") or block["bullets"]
                lines += [f"{i}. {item}" if numbered else f"- {item}" for i, item in enumerate(items, 1)]
            lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


WRITERS = {".pdf": write_pdf, ".docx": write_docx, ".md": write_markdown}


def build(folder: Path, source: Path = HANDBOOK) -> list[Path]:
    """Write every handbook document into ``folder`` in its own format; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for document in handbook(source)["documents"]:
        path = folder / document["file"]
        WRITERS[path.suffix](path, document)
        paths.append(path)
    return paths
