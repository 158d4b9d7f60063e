"""Guideline documents: load Markdown, text, PDF and DOCX into titled sections and chunks."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import InvalidInput, TooLarge
from assistant.pdf import HEADING_WORDS, LIST_MARKER, read_pdf

SUFFIXES = (".md", ".markdown", ".txt", ".pdf", ".docx")
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one guideline file may cost to read; past any of these it is refused, nothing stored.

    PDF and DOCX files are read in a process of their own (``assistant.parsing``), killed when
    it takes longer than ``seconds`` or needs more than ``memory_bytes``.
    """

    file_bytes: int = 10 * MB  # the file as it is on disk or uploaded
    unpacked_bytes: int = 20 * MB  # a DOCX (zip) file's entries, unpacked
    entries: int = 1_000  # a DOCX file's zip entries
    paragraphs: int = 10_000  # a DOCX file's paragraphs (table cells hold paragraphs too)
    pages: int = 1_000  # a PDF file's pages
    text_chars: int = 1_000_000  # text read from any file (what gets chunked and embedded)
    seconds: float = 10.0  # reading one PDF or DOCX file
    memory_bytes: int = 1024 * MB  # the reading process's address space


LIMITS = Limits()
# An element named p in any namespace: WordprocessingML's w:p and DrawingML's a:p are paragraphs.
_PARAGRAPH = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p[\s/>]")


def _count(number: int) -> str:
    return f"{number:,}"


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_WORD = re.compile(r"\w")  # a section with no letter or digit has nothing to index


@dataclass(frozen=True)
class Section:
    """A headed part of a document."""

    heading: str | None
    text: str


@dataclass
class Document:
    """A guideline document split into sections."""

    source: str
    title: str
    sections: list[Section]
    audience: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    structured: bool = True  # False: no headings could be read, so it is cut by page and length


@dataclass(frozen=True)
class Chunk:
    """A piece of a section small enough to embed, with what it needs to be cited."""

    id: str
    text: str
    title: str
    section: str | None

    @property
    def embed_text(self) -> str:
        """Text used for embedding and keyword search: headings give context."""
        return " — ".join(p for p in (self.title, self.section) if p) + "\n" + self.text


def _as_list(value: object, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v) for v in value]
    raise InvalidInput(f"The front matter's {key} must be a list or comma-separated text.")


def _split_front_matter(text: str) -> tuple[dict[str, object], str]:
    match = re.match(r"\A---[ \t]*\n(.*?)^---[ \t]*(?:\n|\Z)", text, re.S | re.M)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise InvalidInput(f"The front matter is not valid YAML: {exc.__class__.__name__}.") from exc
    if not isinstance(meta, dict):
        raise InvalidInput("The front matter must be a YAML mapping.")
    return meta, text[match.end() :]


def _markdown(text: str, stem: str) -> tuple[dict[str, object], list[Section]]:
    meta, body = _split_front_matter(text)
    sections: list[Section] = []
    heading: str | None = None
    lines: list[str] = []
    for line in body.splitlines():
        if line.startswith("# ") and "title" not in meta:
            meta["title"] = line[2:].strip()
            continue
        if line.startswith("## "):
            sections.append(Section(heading, "\n".join(lines).strip()))
            heading, lines = line[3:].strip(), []
        else:
            lines.append(line)
    sections.append(Section(heading, "\n".join(lines).strip()))
    return meta, [s for s in sections if _WORD.search(s.text)]


def _plain(text: str, stem: str) -> tuple[dict[str, object], list[Section]]:
    first = next((line.strip() for line in text.splitlines() if line.strip()), stem)
    return {"title": first[:120]}, [Section(None, text.strip())] if _WORD.search(text) else []


def _pdf(path: Path, limits: Limits = LIMITS) -> tuple[dict[str, object], list[Section]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken file gets our sentence, not pypdf's

    too_many = TooLarge(f"{path.name} has more than {_count(limits.pages)} pages (the limit for one file).")
    try:
        reader = PdfReader(path)
        tree = reader.root_object["/Pages"].get_object()
        declared = tree.get("/Count", 0) if isinstance(tree, dict) else 0  # cheap, but it may lie
        if isinstance(declared, int) and declared > limits.pages:
            raise too_many
        if len(reader.pages) > limits.pages:  # the page tree walked: what the file really holds
            raise too_many
        pages, chars = [], 0
        for page in reader.pages:
            pages.append((page.extract_text() or "").strip())
            chars += len(pages[-1])
            if chars > limits.text_chars:
                raise _too_much_text(path, limits)
        title = reader.metadata.title if reader.metadata and reader.metadata.title else None
    except TooLarge:
        raise
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InvalidInput(f"{path.name} is not a readable PDF.") from exc
    except Exception as exc:
        raise InvalidInput(f"{path.name} is not a readable PDF.") from exc
    meta: dict[str, object] = {"title": title} if title else {}
    try:  # pdfminer.six reads each character's font: headings are found by size and weight
        layout = read_pdf(path, title, limits.pages)
    except Exception as exc:
        raise InvalidInput(f"{path.name} is not a readable PDF.") from exc
    if layout.title:
        meta["title"] = layout.title
    if layout.headings:
        return meta, [Section(h, t) for h, t in layout.sections if _WORD.search(t)]
    meta["chunked_by"] = "length"  # no heading could be read: pages, cut by length
    return meta, [Section(f"Page {n}", text) for n, text in enumerate(pages, 1) if text]


def _too_much_text(path: Path, limits: Limits) -> TooLarge:
    most = _count(limits.text_chars)
    return TooLarge(f"{path.name} holds more than {most} characters of text (the limit for one file).")


def _check_docx_package(path: Path, limits: Limits) -> None:
    """Refuse a DOCX (zip) file whose entries, unpacked size or paragraphs are over the limits.

    Only the zip's directory and the main document part are read, a megabyte at a time:
    ``zipfile`` never unpacks more than an entry's declared size, so the declared sizes bound
    what reading the package can cost. Cheap enough to run before a process is started for
    the file, so a bomb is refused in well under a second, in little memory.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > limits.entries:
                raise TooLarge(
                    f"{path.name} has more than {_count(limits.entries)} parts (the limit for one file)."
                )
            if sum(entry.file_size for entry in entries) > limits.unpacked_bytes:
                raise TooLarge(
                    f"{path.name} unpacks to more than {limits.unpacked_bytes // MB} MB "
                    "(the limit for one file)."
                )
            main = next((e for e in entries if e.filename == "word/document.xml"), None)
            paragraphs, carry = 0, b""
            with archive.open(main) if main is not None else io.BytesIO() as part:
                while piece := part.read(MB):
                    window = carry + piece
                    # A tag cut at the end of the window is counted with the next one.
                    cut = max(0, len(window) - 64)
                    paragraphs += sum(1 for m in _PARAGRAPH.finditer(window) if m.start() < cut)
                    carry = window[cut:]
                    if paragraphs > limits.paragraphs:
                        break
                paragraphs += sum(1 for _m in _PARAGRAPH.finditer(carry))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise InvalidInput(f"{path.name} is not a readable DOCX file.") from exc
    if paragraphs > limits.paragraphs:
        raise TooLarge(
            f"{path.name} has more than {_count(limits.paragraphs)} paragraphs (the limit for one file)."
        )


def _docx(path: Path, limits: Limits = LIMITS) -> tuple[dict[str, object], list[Section]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_docx_package(path, limits)
    try:
        document = docx.Document(str(path))
        # A paragraph's own style lookup searches the styles part each time (seconds per
        # thousand paragraphs): names are looked up once, by id (an id with no style is its name).
        names = {style.style_id: style.name or "" for style in document.styles}
        paragraphs = [
            (names.get(paragraph._p.style or "", paragraph._p.style or ""), paragraph.text.strip(), paragraph)
            for paragraph in document.paragraphs
        ]
        core_title = document.core_properties.title
        # python-docx lists tables apart from paragraphs; their rows become one section.
        rows = [
            " | ".join(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
            for table in document.tables
            for row in table.rows
        ]
    except (PackageNotFoundError, ValueError, KeyError) as exc:
        raise InvalidInput(f"{path.name} is not a readable DOCX file.") from exc
    except Exception as exc:
        raise InvalidInput(f"{path.name} is not a readable DOCX file.") from exc
    meta: dict[str, object] = {}
    if core_title:
        meta["title"] = core_title
    title = next((text for style, text, _p in paragraphs if style == "Title" and text), None)
    if title:
        meta.setdefault("title", title)
    sections = docx_sections([(style, text, p) for style, text, p in paragraphs if text and style != "Title"])
    if not any(s.heading for s in sections):
        meta["chunked_by"] = "length"
    sections.append(Section("Tables", "\n".join(r for r in rows if r)))
    return meta, [s for s in sections if _WORD.search(s.text)]


def docx_sections(paragraphs: list[tuple[str, str, Any]]) -> list[Section]:
    """Sections of (style name, text, python-docx paragraph) triples, lists kept whole.

    Headings are Word's heading styles; a document that uses none may set them as short bold
    paragraphs. List paragraphs (a list style or Word numbering) stay together with the line
    that introduces them.
    """
    styled = any(style.startswith("Heading") for style, _t, _p in paragraphs)
    sections: list[tuple[str | None, list[list[str]]]] = [(None, [])]
    number = 0
    for style, text, paragraph in paragraphs:
        p_pr = paragraph._p.pPr
        listed = style.startswith("List") or (p_pr is not None and p_pr.numPr is not None)
        runs = [r for r in paragraph.runs if r.text.strip()]
        bold = bool(runs) and all(r.bold for r in runs) and len(text.split()) <= HEADING_WORDS
        if style.startswith("Heading") or (
            not styled and bold and not listed and not text.endswith((".", ":"))
        ):
            sections.append((text, []))
            continue
        blocks = sections[-1][1]
        if not listed:
            blocks.append([text])
            continue
        follows = bool(blocks) and bool(LIST_MARKER.match(blocks[-1][-1]))
        number = number + 1 if follows else 1
        item = f"{number}. {text}" if "Number" in style else f"- {text}"
        if follows or (blocks and blocks[-1][-1].endswith(":")):
            blocks[-1].append(item)
        else:
            blocks.append([item])
    return [Section(h, "\n\n".join("\n".join(b) for b in blocks)) for h, blocks in sections]


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is fine); anything else, NUL bytes included, is refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name} is not UTF-8 text.") from exc
    if "\x00" in text:
        raise InvalidInput(f"{name} looks like a binary file, not text.")
    return text


def read_binary(path: Path, limits: Limits = LIMITS) -> tuple[dict[str, object], list[Section]]:
    """A PDF or DOCX file's metadata and sections, read here within ``limits`` (but no time budget)."""
    meta, sections = (_pdf if path.suffix.lower() == ".pdf" else _docx)(path, limits)
    if sum(len(s.text) for s in sections) > limits.text_chars:
        raise _too_much_text(path, limits)
    return meta, sections


def read_isolated(path: Path, limits: Limits = LIMITS) -> tuple[dict[str, object], list[Section]]:
    """``read_binary`` in a process of its own, killed past ``limits.seconds`` or ``limits.memory_bytes``.

    However the file was made, it cannot hold this process (its threads, its memory, its
    lock on the interpreter) for longer than the budget.
    """
    command = [sys.executable, "-m", "assistant.parsing", str(path.resolve()), json.dumps(asdict(limits))]
    try:
        done = subprocess.run(command, capture_output=True, timeout=limits.seconds, check=False)
    except subprocess.TimeoutExpired as exc:  # run() has killed the process
        raise TooLarge(
            f"{path.name} took longer than {limits.seconds:g} s to read (the limit for one file)."
        ) from exc
    try:
        result = json.loads(done.stdout)
    except ValueError:
        result = None
    if not isinstance(result, dict):
        result = {}
    if isinstance(result.get("refused"), str):
        kind = TooLarge if result.get("status") == TooLarge.status else InvalidInput
        raise kind(result["refused"])
    if result.get("memory") or done.returncode < 0:
        raise TooLarge(
            f"{path.name} needs more than {limits.memory_bytes // MB} MB of memory to read "
            "(the limit for one file)."
        )
    if done.returncode != 0 or not isinstance(result.get("sections"), list):
        raise InvalidInput(f"{path.name} could not be read.")
    sections = [Section(s.get("heading"), str(s.get("text", ""))) for s in result["sections"]]
    return dict(result.get("meta") or {}), sections


def load_document(path: Path, root: Path, limits: Limits = LIMITS) -> Document:
    """Read one guideline file within ``limits``; ``source`` is its path relative to ``root``.

    Raises:
        TooLarge: the file is over one of the limits (413).
        InvalidInput: it is of another type, or not readable as its type says.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(f"{path.name}: unsupported file type (use {', '.join(SUFFIXES)}).")
    if path.stat().st_size > limits.file_bytes:
        raise TooLarge(f"{path.name} is larger than {limits.file_bytes // MB} MB (the limit for one file).")
    if suffix == ".docx":
        _check_docx_package(path, limits)  # a zip bomb is refused here, before any process starts
    if suffix in (".pdf", ".docx"):
        meta, sections = read_isolated(path, limits)
    else:
        text = decode_text(path.read_bytes(), path.name)
        if len(text) > limits.text_chars:
            raise _too_much_text(path, limits)
        parse = _markdown if suffix in (".md", ".markdown") else _plain
        meta, sections = parse(text, path.stem)
    source = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    title = str(meta.get("title") or path.stem.replace("-", " ").replace("_", " ").capitalize())
    return Document(
        source=source,
        title=title,
        sections=sections,
        audience=_as_list(meta.get("audience"), "audience"),
        tags=_as_list(meta.get("tags"), "tags"),
        structured=meta.get("chunked_by") != "length" and any(s.heading for s in sections),
    )


def split_text(text: str, limit: int) -> list[str]:
    """Split text at paragraph, then sentence, boundaries into pieces of at most ``limit`` chars."""
    pieces: list[str] = []
    current = ""
    units = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    expanded: list[str] = []
    for unit in units:
        if len(unit) <= limit:
            expanded.append(unit)
        else:
            expanded.extend(s for s in re.split(r"(?<=[.!?])\s+", unit) if s)
    for unit in expanded:
        while len(unit) > limit:
            pieces.append(unit[:limit])
            unit = unit[limit:]
        if current and len(current) + len(unit) + 2 > limit:
            pieces.append(current)
            current = unit
        else:
            current = f"{current}\n\n{unit}" if current else unit
    if current:
        pieces.append(current)
    return pieces


def sentence_spans(text: str) -> list[tuple[str, int, int]]:
    """The sentences of a passage with where each starts and ends in ``text``.

    Lines are joined and list markers dropped, so a sentence is not always a slice of ``text``;
    ``text[start:end]`` is the stretch it was read from (for pooling its tokens in context). A
    list item or a paragraph ends a sentence even without a full stop.
    """
    flat: list[str] = []
    where: list[int] = []  # where: position in text of each character of the flat text
    items: list[int] = []  # where in the flat text each list item starts
    offset = after = size = 0
    blank = False
    header: list[str] | None = None  # a Markdown table's column names, while in one
    for raw in text.splitlines(keepends=True):
        line = raw.splitlines()[0]
        if line.strip().startswith("|"):  # a table row: a sentence of its own, named by its columns
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            row = None if header is None or TABLE_RULE.match(line.strip()) else _table_row(header, cells)
            header = header or cells
            if row:
                start = offset + len(line) - len(line.lstrip())
                flat.append(" ")
                where.append(after)
                size += 1
                items.append(size)
                flat.append(row)
                where.extend(start + min(k, len(line.strip()) - 1) for k in range(len(row)))
                after, size = start + len(line.strip()), size + len(row)
            offset += len(raw)
            continue
        header = None
        if not line.strip():
            blank = True
        else:
            marker = LIST_MARKER.match(line.strip())
            if flat:
                flat.append(" ")
                where.append(after)
                size += 1
            if marker or (blank and flat):  # a list item, or a paragraph after a blank line
                items.append(size)
            blank = False
            if marker:
                skip = len(line) - len(line.lstrip()) + marker.end()
            else:
                skip = len(line) - len(line.lstrip(" -*"))
            piece = line[skip:].strip(" -*") if not marker else line[skip:].rstrip()
            start = offset + skip
            flat.append(piece)
            where.extend(range(start, start + len(piece)))
            after = start + len(piece)
            size += len(piece)
        offset += len(raw)
    joined = "".join(flat)
    cuts = sorted(
        [(m.start(), m.end()) for m in _SENTENCE.finditer(joined)] + [(max(i - 1, 0), i) for i in items if i]
    )
    starts = {i for i in items if i}  # where a list item or a paragraph starts: a fragment stays inside
    found: list[tuple[str, int, int]] = []
    block: list[int] = []  # the item or paragraph each found sentence is in
    pending: tuple[str, int, int] | None = None  # "No.": too short alone, said with its neighbour
    begin = part_of = 0
    for cut in [*cuts, None]:
        end = cut[0] if cut else len(joined)
        if end < begin:
            continue
        part = joined[begin:end]
        sentence = part.strip()
        if sentence:
            first = begin + len(part) - len(part.lstrip())
            span = (sentence, where[first], where[first + len(sentence) - 1] + 1)
            if pending is not None:
                span = (f"{pending[0]} {sentence}", pending[1], span[2])
                pending = None
            if len(span[0]) > 20 or (sentence.endswith(":") and " " in sentence):  # "Mentees must not:"
                found.append(span)
                block.append(part_of)
            else:
                pending = span
        if cut is None or cut[1] in starts:  # the item or paragraph ends here
            if pending is not None and block and block[-1] == part_of:  # "Can I send a deputy? No."
                said, start, _ = found[-1]
                found[-1] = (f"{said} {pending[0]}", start, pending[2])
            pending = None
            part_of += 1
        begin = cut[1] if cut else end
    if not found and joined:
        return [(joined, where[0], where[-1] + 1)]
    return found


TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")  # "|---|---|"


def _table_row(header: list[str], cells: list[str]) -> str:
    """A table row said as a sentence: "Mentor: typical time per month, about 3 hours (what it covers)"."""
    filled = [c for c in cells if c]
    if len(filled) < 2:
        return " ".join(filled)
    second = header[1].lower() if len(header) > 1 and header[1] else ""
    rest = f" ({'; '.join(filled[2:])})" if len(filled) > 2 else ""
    return f"{filled[0]}: {f'{second}, ' if second else ''}{filled[1]}{rest}."


def sentences(text: str) -> list[str]:
    """The sentences of a passage (list bullets count as sentences); fragments are dropped."""
    return [sentence for sentence, _start, _end in sentence_spans(text)]


def content_id(*parts: str) -> str:
    """A stable id from content: the same text always gets the same id."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def chunk_document(document: Document, limit: int, root: str = "") -> list[Chunk]:
    """Cut a document into chunks whose ids change only when what is stored with them does.

    ``root`` is the folder the document was found in: the same file in two folders is two
    documents, and removing one leaves the other.
    """
    chunks = []
    for index, section in enumerate(document.sections):
        for part, piece in enumerate(split_text(section.text, limit)):
            cid = content_id(
                root,
                document.source,
                document.title,
                ",".join(document.audience),
                ",".join(document.tags),
                str(index),
                str(part),
                section.heading or "",
                piece,
            )
            chunks.append(Chunk(cid, piece, document.title, section.heading))
    return chunks


# Whether find_documents follows links out of the folders it was given (``ingest --follow-links``).
_FOLLOW_LINKS: ContextVar[bool] = ContextVar("follow_links", default=False)


@contextmanager
def following_links() -> Iterator[None]:
    """Within the block, ``find_documents`` follows links out of the folders it is given."""
    token = _FOLLOW_LINKS.set(True)
    try:
        yield
    finally:
        _FOLLOW_LINKS.reset(token)


def _files_under(folder: Path, follow: bool) -> list[Path]:
    """Every file in a folder and its subfolders, through linked folders only when ``follow``."""
    if not follow:
        return sorted(f for f in folder.rglob("*") if f.is_file())
    files, seen = [], set()
    for top, folders, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:  # a link back up the tree: walked already
            folders.clear()
            continue
        seen.add(real)
        files += [Path(top, name) for name in names if Path(top, name).is_file()]
    return sorted(files)


def find_documents(paths: list[Path], follow_links: bool | None = None) -> list[tuple[Path, Path]]:
    """Expand files and folders into (file, root) pairs of supported documents.

    A link inside a folder that leads out of it is skipped: a file from elsewhere on the
    machine would become searchable by everyone. ``follow_links`` (default: whether inside
    ``following_links()``) takes such files and walks linked folders too.
    """
    follow = _FOLLOW_LINKS.get() if follow_links is None else follow_links
    found: list[tuple[Path, Path]] = []
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            found.extend(
                (f, path)
                for f in _files_under(path, follow)
                if f.suffix.lower() in SUFFIXES and (follow or f.resolve().is_relative_to(root))
            )
        elif path.is_file():
            found.append((path, path.parent))
        else:
            raise InvalidInput(f"{path} does not exist.")
    return found
