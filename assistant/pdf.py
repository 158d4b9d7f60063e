"""PDF text with its structure: headings from font size and weight, paragraphs and lists kept whole.

pdfminer.six (MIT, pure Python) gives every character with its font name and size and groups
them into lines. Here lines on one baseline are joined (a list marker and its text are often
set apart), running headers and footers are dropped, and each line is read as a heading, a list
item or body text: a heading is a short line set larger than the body text, or in bold when the
body is not. A PDF without such lines yields no headings; the caller then cuts it by page and
length and says so.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

LIST_MARKER = re.compile(r"^(?:[-–•▪◦●○■□*·‣]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_BOLD = re.compile(r"bold|black|heavy|semibold|demi|[-,]bd\b", re.I)
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.I)
HEADING_WORDS = 16  # a longer line set large or bold is emphasis, not a heading


@dataclass
class Line:
    """One line of text on a page, with the style most of its characters share."""

    page: int
    top: float
    left: float
    text: str
    size: float
    bold: bool

    @property
    def style(self) -> tuple[float, bool]:
        """Size (to the half point) and weight."""
        return (round(self.size * 2) / 2, self.bold)


@dataclass
class Layout:
    """A PDF read as a title, headed sections and the pages' plain text."""

    title: str | None
    sections: list[tuple[str | None, str]]
    pages: list[str]
    headings: int


def _lines(path: Path, max_pages: int) -> list[Line]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine

    found: list[Line] = []
    for number, page in enumerate(extract_pages(path, laparams=LAParams(), maxpages=max_pages), 1):
        pieces: list[tuple[float, float, float, str, list[LTChar]]] = []
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if not isinstance(line, LTTextLine):
                    continue
                chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
                if chars:
                    pieces.append((line.y0, line.y1, line.x0, line.get_text(), chars))
        # Pieces on one baseline are one line: a bullet and its text are often separate boxes.
        pieces.sort(key=lambda p: (-p[1], p[2]))
        rows: list[list[tuple[float, float, float, str, list[LTChar]]]] = []
        for piece in pieces:
            if rows and abs(rows[-1][0][0] - piece[0]) < 0.4 * (piece[1] - piece[0]):
                rows[-1].append(piece)
            else:
                rows.append([piece])
        for row in rows:
            row.sort(key=lambda p: p[2])
            chars = [c for p in row for c in p[4]]
            text = re.sub(r"\s+", " ", " ".join(p[3] for p in row)).strip()
            size = statistics.median(c.size for c in chars)
            bold = sum(bool(_BOLD.search(c.fontname)) for c in chars) >= 0.8 * len(chars)
            found.append(Line(number, max(p[1] for p in row), row[0][2], text, size, bold))
    return found


def _drop_furniture(lines: list[Line]) -> list[Line]:
    """Without page numbers, and the headers and footers repeated at the top or foot of most pages.

    Near a page's edge (its first and last two lines) a line repeated word for word on most pages
    is furniture; the very first and last lines are, too, when they differ only in their numbers
    ("Handbook, page 3"), but not a second line like "Rule 4" under a header.
    """
    pages = len({line.page for line in lines})
    edge: set[int] = set()
    outer: set[int] = set()
    for page in {line.page for line in lines}:
        on_page = [i for i, line in enumerate(lines) if line.page == page]
        edge.update(on_page[:2] + on_page[-2:])
        outer.update(on_page[:1] + on_page[-1:])

    def shape(line: Line, numbers: bool) -> str:
        return line.text.lower() if numbers else re.sub(r"\d+", "#", line.text.lower())

    exact = Counter(key for _p, key in {(lines[i].page, shape(lines[i], True)) for i in edge})
    loose = Counter(key for _p, key in {(lines[i].page, shape(lines[i], False)) for i in outer})
    often = max(2, pages // 2)

    def furniture(i: int, line: Line) -> bool:
        if i not in edge:
            return False
        if _PAGE_NUMBER.match(line.text):
            return True
        return pages >= 3 and (
            exact[shape(line, True)] >= often or (i in outer and loose[shape(line, False)] >= often)
        )

    return [line for i, line in enumerate(lines) if not furniture(i, line)]


def _heading_styles(lines: list[Line]) -> set[tuple[float, bool]]:
    weight: Counter[tuple[float, bool]] = Counter()
    for line in lines:
        weight[line.style] += len(line.text)
    if not weight:
        return set()
    body_size, body_bold = weight.most_common(1)[0][0]
    return {
        (size, bold)
        for size, bold in weight
        if size >= body_size + 1 or (bold and not body_bold and size >= body_size - 0.5)
    }


def _is_heading(line: Line, styles: set[tuple[float, bool]]) -> bool:
    words = len(line.text.split())
    return (
        line.style in styles
        and words <= HEADING_WORDS
        and bool(re.search(r"[^\W\d_]", line.text))
        and not (line.text.endswith(".") and words > 8)
    )


def _pitch(lines: list[Line]) -> float:
    """The usual distance between two lines of one paragraph."""
    gaps = [
        a.top - b.top
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and 0 < a.top - b.top < 3 * a.size and a.style == b.style
    ]
    return statistics.median(gaps) if gaps else 14.0


def read_pdf(path: Path, meta_title: str | None = None, max_pages: int = 0) -> Layout:
    """The PDF's title, sections (heading and text) and pages' text (``max_pages`` 0: all)."""
    lines = _drop_furniture(_lines(path, max_pages))
    pages: dict[int, list[str]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line.text)
    styles = _heading_styles(lines)
    pitch = _pitch(lines)
    kinds = ["heading" if _is_heading(line, styles) else "text" for line in lines]
    title = meta_title
    # The largest lines opening the first page are the document's title when set above every heading.
    if lines and kinds[0] == "heading" and sum(k == "heading" for k in kinds) > 1:
        top = lines[0].style
        run = 0
        while run < len(lines) and lines[run].style == top and kinds[run] == "heading":
            run += 1
        rest = [line.size for line, kind in zip(lines[run:], kinds[run:]) if kind == "heading"]
        if rest and top[0] > max(rest):
            title = title or " ".join(line.text for line in lines[:run])
            lines, kinds = lines[run:], kinds[run:]
    sections: list[tuple[str | None, list[list[str]]]] = [(None, [])]
    previous: Line | None = None
    for line, kind in zip(lines, kinds):
        gap = previous is None or line.page != previous.page or previous.top - line.top > 1.3 * pitch
        if kind == "heading":
            heading, blocks = sections[-1]
            if previous is not None and not blocks and heading and not gap and previous.style == line.style:
                sections[-1] = (f"{heading} {line.text}", blocks)  # a heading set on two lines
            else:
                sections.append((line.text, []))
        else:
            blocks = sections[-1][1]
            item = LIST_MARKER.match(line.text)
            text = line.text
            if item:
                marker = item.group(0).strip()
                text = ("- " if not re.search(r"\w", marker) else marker + " ") + line.text[item.end() :]
            if not blocks:
                blocks.append([text])
            elif item:
                opener = blocks[-1][-1]
                if LIST_MARKER.match(opener) or opener.endswith(":") or not gap:
                    blocks[-1].append(text)  # the next item, or the first after its lead-in
                else:
                    blocks.append([text])
            elif gap and not (
                previous is not None and line.page != previous.page and re.search(r"[a-z,]$", blocks[-1][-1])
            ):
                blocks.append([text])
            else:  # the same paragraph, on the next line or carried over to the next page mid-sentence
                blocks[-1][-1] = _join(blocks[-1][-1], text)
        previous = line
    headed = [(h, "\n\n".join("\n".join(b) for b in blocks)) for h, blocks in sections]
    return Layout(
        title=title,
        sections=[(h, t) for h, t in headed if t.strip()],
        pages=["\n".join(pages[p]) for p in sorted(pages)],
        headings=sum(1 for h, _t in headed if h),
    )


def _join(text: str, more: str) -> str:
    """Two lines of one paragraph; a word broken at the line end is joined again."""
    if text.endswith("-") and more[:1].islower() and not text.endswith(" -"):
        return text + more
    return f"{text} {more}"
