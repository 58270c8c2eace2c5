"""Reading a corpus folder: documents of several formats plus an optional manifest.

Every input file ends up with one ``FileOutcome`` (built, warning, failed,
skipped) so that a build can say exactly what happened to each file; a bad file
never stops the others from loading. The text of a document is kept exactly as
decoded: offsets everywhere are code-point offsets into that string.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator, Literal

from .errors import LoadError, SourceError
from .model import Document

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "title", "publisher", "published", "language", "source_note")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

Status = Literal["built", "warning", "failed", "skipped"]

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass
class FileOutcome:
    """What happened to one input file; ``reason`` is one readable line."""

    file: str
    status: Status
    reason: str = ""

    def line(self) -> str:
        return f"{self.status}: {self.file}: {self.reason}" if self.reason else f"{self.status}: {self.file}"


@dataclass
class Corpus:
    """The loaded documents (sorted by file name) and an outcome per input file."""

    source: Path
    documents: list[Document] = field(default_factory=list)
    outcomes: dict[str, FileOutcome] = field(default_factory=dict)

    def note(self, file: str, status: Status, reason: str) -> None:
        """Record an outcome; a worse status never gets overwritten by a milder one."""
        order = {"built": 0, "skipped": 1, "warning": 2, "failed": 3}
        previous = self.outcomes.get(file)
        if previous is None or order[status] >= order[previous.status]:
            if previous is not None and previous.reason and status == previous.status:
                reason = f"{previous.reason}; {reason}"
            self.outcomes[file] = FileOutcome(file, status, reason)


# --- decoding ---------------------------------------------------------------

def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters mean this is not text.

    Text files never contain NUL; a handful of stray control bytes can occur in
    pasted text, so only a noticeable share of them counts.
    """
    if b"\x00" in data[:65536]:
        return True
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)


def decode_text(data: bytes, file: str) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8, else as cp1252/latin-1 with a warning.

    >>> decode_text("caf\\u00e9".encode("cp1252"), "x.txt")
    ('café', ['x.txt: not valid UTF-8; decoded as cp1252'])
    """
    if _looks_binary(data):
        raise LoadError(file, "binary data, not text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            return data.decode(encoding), [f"{file}: not valid UTF-8; decoded as {encoding}"]
        except UnicodeDecodeError:
            continue
    raise LoadError(file, "cannot decode text")  # pragma: no cover - latin-1 decodes anything


# --- loaders by format --------------------------------------------------------

def _load_plain(data: bytes, file: str) -> tuple[str, list[str]]:
    return decode_text(data, file)


def _load_html(data: bytes, file: str) -> tuple[str, list[str]]:
    from bs4 import BeautifulSoup

    markup, warnings = decode_text(data, file)
    soup = BeautifulSoup(markup, "html.parser")
    # Scripts, styles and site chrome are not discourse.
    for tag in soup(["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form"]):
        tag.decompose()
    root = soup.body or soup
    blocks = [line.strip() for line in root.get_text("\n").splitlines()]
    return "\n".join(line for line in blocks if line), warnings


def _load_pdf(data: bytes, file: str) -> tuple[str, list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(file, "encrypted PDF (needs a password)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise LoadError(file, f"truncated or corrupt PDF ({type(exc).__name__})") from exc
    except Exception as exc:  # pypdf raises many internal types on damaged files
        raise LoadError(file, f"unreadable PDF ({type(exc).__name__})") from exc
    text = "\n\n".join(page.strip("\n") for page in pages)
    if not text.strip():
        raise LoadError(file, "PDF has no text layer (scanned?); run OCR first")
    return text, []


def _load_docx(data: bytes, file: str) -> tuple[str, list[str]]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx surfaces zip, XML and key errors alike
        raise LoadError(file, f"corrupt .docx ({type(exc).__name__})") from exc
    return "\n".join(paragraph.text for paragraph in document.paragraphs), []


LOADERS: dict[str, Callable[[bytes, str], tuple[str, list[str]]]] = {
    ".txt": _load_plain,
    ".md": _load_plain,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}


def load_text(path: Path, file: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, list[str]]:
    """Load one file's text by its extension; return the text and warnings.

    Raises ``LoadError`` (never anything else) for any problem with the file.
    """
    name = file or path.name
    suffix = path.suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        raise LoadError(name, f"unsupported file type '{suffix or '(none)'}'")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(name, f"{size / 1e6:.1f} MB is over the size limit of {max_bytes / 1e6:.1f} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(name, f"cannot read file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise LoadError(name, "empty file")
    text, warnings = loader(data, name)
    if not text.strip():
        raise LoadError(name, "no text in document")
    return text, warnings


# --- manifest ------------------------------------------------------------------

def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def read_manifest(source: Path, corpus: Corpus) -> dict[str, dict[str, str | None]]:
    """Read ``manifest.csv`` into rows keyed by file; problems become outcomes."""
    path = source / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        text, _ = decode_text(path.read_bytes(), MANIFEST_NAME)
    except LoadError as exc:
        corpus.note(MANIFEST_NAME, "failed", exc.problem)
        return {}
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    if "file" not in columns:
        corpus.note(MANIFEST_NAME, "failed", "no 'file' column")
        return {}
    unknown = [c for c in columns if c not in MANIFEST_COLUMNS]
    if unknown:
        corpus.note(MANIFEST_NAME, "failed", f"unknown column(s) {', '.join(unknown)}; expected {', '.join(MANIFEST_COLUMNS)}")
    rows: dict[str, dict[str, str | None]] = {}
    root = source.resolve()
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): _clean(v) for k, v in raw.items() if isinstance(v, str) or v is None}
        file = row.get("file")
        if not file:
            corpus.note(MANIFEST_NAME, "failed", f"row {number} has no file name")
            continue
        posix = PurePosixPath(file.replace("\\", "/"))
        if posix.is_absolute() or ".." in posix.parts or not (root / posix).resolve().is_relative_to(root):
            corpus.note(MANIFEST_NAME, "failed", f"row {number} names '{file}' outside the source folder (refused)")
            continue
        key = str(posix)
        if key in rows:
            corpus.note(MANIFEST_NAME, "failed", f"row {number} repeats '{key}' (first row kept)")
            continue
        if not (root / posix).is_file():
            corpus.note(MANIFEST_NAME, "failed", f"row {number} names missing file '{key}'")
            continue
        rows[key] = row
    return rows


# --- the corpus --------------------------------------------------------------------

def iter_input_files(source: Path) -> Iterator[tuple[Path, str]]:
    """Every candidate input file below ``source`` (hidden files and the manifest excluded), sorted."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if str(relative) == MANIFEST_NAME:
            continue
        yield path, relative.as_posix()


def read_corpus(source: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> Corpus:
    """Load every document below ``source``; bad files become outcomes, not exceptions.

    Raises ``SourceError`` only when the folder itself is unusable.
    """
    source = Path(source)
    if not source.exists():
        raise SourceError(f"source folder '{source}' does not exist")
    if not source.is_dir():
        raise SourceError(f"source '{source}' is not a folder")
    corpus = Corpus(source=source)
    manifest = read_manifest(source, corpus)
    for path, file in iter_input_files(source):
        if path.suffix.lower() not in LOADERS:
            corpus.note(file, "skipped", f"unsupported file type '{path.suffix or '(none)'}'")
            continue
        try:
            text, warnings = load_text(path, file, max_bytes)
        except LoadError as exc:
            corpus.note(file, "failed", exc.problem)
            continue
        row = manifest.get(file, {})
        corpus.documents.append(
            Document(
                file=file,
                text=text,
                title=row.get("title") or _title_from(text, path),
                publisher=row.get("publisher"),
                published=row.get("published"),
                language=row.get("language"),
                source_note=row.get("source_note"),
                media_type=MEDIA_TYPES[path.suffix.lower()],
            )
        )
        if warnings:
            corpus.note(file, "warning", "; ".join(w.split(": ", 1)[-1] for w in warnings))
        else:
            corpus.note(file, "built", "")
    if not corpus.documents and not corpus.outcomes:
        raise SourceError(f"source folder '{source}' holds no documents")
    return corpus


def _title_from(text: str, path: Path) -> str:
    """A title for a document the manifest does not describe: its first short line, else its name."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:200]
    return path.stem
