"""Guideline documents: load Markdown, text, PDF and DOCX into titled sections and chunks."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.errors import InvalidInput

SUFFIXES = (".md", ".markdown", ".txt", ".pdf", ".docx")
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


def _pdf(path: Path) -> tuple[dict[str, object], list[Section]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken file gets our sentence, not pypdf's

    try:
        reader = PdfReader(path)
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        title = reader.metadata.title if reader.metadata and reader.metadata.title else None
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InvalidInput(f"{path.name} is not a readable PDF.") from exc
    except Exception as exc:
        raise InvalidInput(f"{path.name} is not a readable PDF.") from exc
    sections = [Section(f"Page {n}", text) for n, text in enumerate(pages, 1) if text]
    return ({"title": title} if title else {}), sections


def _docx(path: Path) -> tuple[dict[str, object], list[Section]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
        paragraphs = [
            (paragraph.style.name if paragraph.style is not None else "", paragraph.text.strip())
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
    sections: list[Section] = []
    heading: str | None = None
    lines: list[str] = []
    for style, text in paragraphs:
        if style == "Title" and text:
            meta.setdefault("title", text)
        elif style.startswith("Heading") and text:
            sections.append(Section(heading, "\n".join(lines).strip()))
            heading, lines = text, []
        elif text:
            lines.append(text)
    sections.append(Section(heading, "\n".join(lines).strip()))
    sections.append(Section("Tables", "\n".join(r for r in rows if r)))
    return meta, [s for s in sections if _WORD.search(s.text)]


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is fine); anything else, NUL bytes included, is refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name} is not UTF-8 text.") from exc
    if "\x00" in text:
        raise InvalidInput(f"{name} looks like a binary file, not text.")
    return text


def load_document(path: Path, root: Path) -> Document:
    """Read one guideline file; ``source`` is its path relative to ``root``."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(f"{path.name}: unsupported file type (use {', '.join(SUFFIXES)}).")
    raw = path.read_bytes()
    if suffix in (".pdf", ".docx"):
        meta, sections = _pdf(path) if suffix == ".pdf" else _docx(path)
    else:
        text = decode_text(raw, path.name)
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

    Lines are joined and list bullets dropped, so a sentence is not always a slice of ``text``;
    ``text[start:end]`` is the stretch it was read from (for pooling its tokens in context).
    """
    flat: list[str] = []
    where: list[int] = []  # where: position in text of each character of the flat text
    offset = after = 0
    for raw in text.splitlines(keepends=True):
        line = raw.splitlines()[0]
        if line.strip():
            if flat:
                flat.append(" ")
                where.append(after)
            start = offset + len(line) - len(line.lstrip(" -*"))
            piece = line.strip(" -*")
            flat.append(piece)
            where.extend(range(start, start + len(piece)))
            after = start + len(piece)
        offset += len(raw)
    joined = "".join(flat)
    found: list[tuple[str, int, int]] = []
    begin = 0
    for cut in [*_SENTENCE.finditer(joined), None]:
        end = cut.start() if cut else len(joined)
        part = joined[begin:end]
        sentence = part.strip()
        if len(sentence) > 20:
            first = begin + len(part) - len(part.lstrip())
            found.append((sentence, where[first], where[first + len(sentence) - 1] + 1))
        begin = cut.end() if cut else end
    if not found and joined:
        return [(joined, where[0], where[-1] + 1)]
    return found


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
