"""Reading a corpus folder: documents of several formats plus an optional manifest.

Every input file ends up with one ``FileOutcome`` (built, warning, failed,
skipped) so that a build can say exactly what happened to each file; a bad file
never stops the others from loading. The text of a document is kept exactly as
decoded: offsets everywhere are code-point offsets into that string.

Loaders raise ``LoadError`` and nothing else, whatever bytes they are given
(``tests/test_properties.py`` fuzzes them).
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import os
import re
import zipfile
import warnings as pywarnings
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator, Literal, NamedTuple

from carekg.errors import LoadError, SourceError
from carekg.vocab.model import Document

__all__ = [
    "MANIFEST_NAME", "MANIFEST_COLUMNS", "DEFAULT_MAX_BYTES", "MEDIA_TYPES", "FileOutcome", "Corpus",
    "decode_text", "load_text", "read_manifest", "iter_input_files", "read_corpus",
]

MANIFEST_NAME = "manifest.csv"
CORRECTIONS_NAME = "corrections.csv"  # the analysts' decisions (carekg.review.corrections): not a document
MANIFEST_COLUMNS = ("file", "title", "publisher", "published", "language", "source_note")
DEFAULT_MAX_BYTES = 50_000_000  # 50 MB, in the decimal megabytes the CLI's --max-mb speaks

Status = Literal["built", "warning", "failed", "skipped"]
SEVERITY: dict[str, int] = {"built": 0, "skipped": 1, "warning": 2, "failed": 3}

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass
class FileOutcome:
    """What happened to one input file.

    ``notes`` keeps every problem found with its own status, so each gets its
    own line; ``status`` is the worst of them and ``reason`` joins them.
    """

    file: str
    status: Status
    notes: list[tuple[Status, str]] = field(default_factory=list)

    @property
    def reason(self) -> str:
        """Every problem noted, worst first (computed when asked: a manifest may note 100,000)."""
        return "; ".join(r for _, r in sorted(self.notes, key=lambda note: -SEVERITY[note[0]]))

    def line(self) -> str:
        """The outcome as one line: ``failed: a.pdf: encrypted PDF (needs a password)``."""
        return f"{self.status}: {self.file}: {self.reason}" if self.reason else f"{self.status}: {self.file}"

    def lines(self) -> list[str]:
        """One line per problem (a manifest can have several), worst first, else ``line()``."""
        if len(self.notes) <= 1:
            return [self.line()]
        ordered = sorted(self.notes, key=lambda note: -SEVERITY[note[0]])
        return [f"{status}: {self.file}: {reason}" for status, reason in ordered]


@dataclass
class Corpus:
    """The loaded documents (sorted by file name) and an outcome per input file."""

    source: Path
    documents: list[Document] = field(default_factory=list)
    outcomes: dict[str, FileOutcome] = field(default_factory=dict)

    def note(self, file: str, status: Status, reason: str) -> None:
        """Record an outcome; the file's status becomes the worst one noted."""
        outcome = self.outcomes.get(file)
        if outcome is None:
            outcome = self.outcomes[file] = FileOutcome(file, status)
        elif SEVERITY[status] > SEVERITY[outcome.status]:
            outcome.status = status
        if reason:
            outcome.notes.append((status, reason))


# --- file names ------------------------------------------------------------

# Characters a file name may hold that must not reach a report line or the graph as they are:
# backslash (the escape character itself), controls (a newline would forge a report line),
# line and paragraph separators, bidirectional overrides, and undecodable bytes (surrogates).
_NAME_ESCAPES = re.compile(r"[\\\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def display_name(name: str) -> str:
    r"""A file name safe to print, to store in the graph and to key outcomes by.

    Bytes that are not UTF-8 (decoded by Python as surrogates) become ``\xNN``,
    newlines ``\n``, other control and direction characters ``\xNN``/``\uNNNN``,
    and a backslash ``\\``, so distinct names stay distinct; other names are unchanged.

    >>> print(display_name("a\nb.txt"), display_name(os.fsdecode(b"caf\xe9.txt")), display_name("x\\y.txt"))
    a\nb.txt caf\xe9.txt x\\y.txt
    """
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _NAMED_ESCAPES:
            return _NAMED_ESCAPES[char]
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as os.fsdecode keeps it
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _NAME_ESCAPES.sub(escape, name)


# --- decoding ---------------------------------------------------------------

def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters mean this is not text.

    Text files never contain NUL; a handful of stray control bytes can occur in
    pasted text, so only a noticeable share of them counts.
    """
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)


# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_text(data: bytes, file: str) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8, else as cp1252 (else latin-1) with a warning.

    A byte order mark says UTF-16 or UTF-32 (whose ASCII has NUL bytes) and is
    followed. Otherwise a NUL byte anywhere is binary data, not text (checked
    beyond the sample too, since a NUL in the stored text would break every
    consumer downstream).

    >>> decode_text("caf\\u00e9".encode("cp1252"), "x.txt")
    ('café', ['x.txt: not valid UTF-8; decoded as cp1252'])
    >>> decode_text("caf\\u00e9".encode("utf-16"), "x.txt")
    ('café', [])
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise LoadError(file, f"not valid {encoding.upper()[:6]} (it starts with a {encoding.upper()[:6]} byte order mark)") from None
            if "\x00" in text or _looks_binary(text.encode("utf-8")):
                raise LoadError(file, "binary data, not text")
            return text, []
    if _looks_binary(data) or b"\x00" in data:
        raise LoadError(file, "binary data, not text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            return data.decode(encoding), [f"{file}: not valid UTF-8; decoded as {encoding}"]
        except UnicodeDecodeError:  # cp1252 leaves five bytes undefined; latin-1 decodes anything
            continue
    raise LoadError(file, "cannot decode text")  # pragma: no cover


# --- loaders by format --------------------------------------------------------

class Loaded(NamedTuple):
    """A loader's result: the text, warnings to report, and a title if the format has one."""

    text: str
    warnings: list[str]
    title: str | None = None


def _load_plain(data: bytes, file: str) -> Loaded:
    text, warnings = decode_text(data, file)
    return Loaded(text, warnings)


def _load_html(data: bytes, file: str) -> Loaded:
    from carekg.ingest.htmltext import html_text

    markup, warnings = decode_text(data, file)
    try:
        page = html_text(markup)
    except Exception as exc:  # html.parser copes with nearly anything, but not everything
        raise LoadError(file, f"unreadable HTML ({type(exc).__name__})") from exc
    return Loaded(page.text, warnings, page.title)


def _load_pdf(data: bytes, file: str) -> Loaded:
    from pypdf import PdfReader

    # pypdf logs and warns about every repaired object; our one line per file says enough.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except Exception as exc:  # e.g. AES without the cryptography package
                    raise LoadError(file, f"encrypted PDF (cannot open: {type(exc).__name__})") from exc
                if not opened:
                    raise LoadError(file, "encrypted PDF (needs a password)")
            pages = [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except Exception as exc:  # pypdf raises many internal types (and RecursionError) on damaged files
        raise LoadError(file, "truncated or corrupt PDF") from exc
    text = "\n\n".join(page.strip("\n") for page in pages)
    if not text.strip():
        raise LoadError(file, "PDF has no text layer (scanned?); run OCR first")
    return Loaded(text, [])


def _load_docx(data: bytes, file: str) -> Loaded:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
        # Paragraphs and table cells in reading order (tables hold real content in reports).
        blocks: list[str] = []
        for child in document.element.body.iterchildren():
            if child.tag == qn("w:p"):
                blocks.append(_docx_text(child))
            elif child.tag == qn("w:tbl"):
                for cell_paragraph in child.iter(qn("w:p")):
                    blocks.append(_docx_text(cell_paragraph))
        title = document.core_properties.title or None
    except Exception as exc:  # python-docx surfaces zip, XML and key errors alike
        raise LoadError(file, f"corrupt .docx ({_DOCX_PROBLEMS.get(type(exc).__name__, type(exc).__name__)})") from exc
    return Loaded("\n".join(blocks), [], title)


_DOCX_PROBLEMS = {
    "BadZipFile": "not a zip archive",
    "KeyError": "a zip archive without a Word document in it",
    "PackageNotFoundError": "a zip archive without a Word document in it",
    "NotImplementedError": "a zip archive of a version that cannot be read",
}


def _docx_text(paragraph) -> str:
    from docx.text.paragraph import Paragraph

    return Paragraph(paragraph, None).text


LOADERS: dict[str, Callable[[bytes, str], Loaded]] = {
    ".txt": _load_plain,
    ".md": _load_plain,
    ".markdown": _load_plain,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}


# Zip-based formats: their unpacked size is checked before anything unpacks them.
ZIP_BASED = frozenset([".docx"])
# How large a zip-based file may be once unpacked: 5 × --max-mb (a text-heavy .docx packs 5-10×), and at
# least 64 MB (Word's own styles unpack to ~0.8 MB from a 37 KB file). 250 MB under the default limit.
UNPACKED_FACTOR = 5
UNPACKED_MIN_BYTES = 64_000_000


def unpacked_limit(max_bytes: int) -> int:
    return max(UNPACKED_MIN_BYTES, UNPACKED_FACTOR * max_bytes)


def check_unpacked_size(data: bytes, file: str, limit: int) -> None:
    """Refuse a zip archive whose members add up to more than ``limit`` bytes (a zip bomb).

    Python's zipfile never unpacks a member past the size its header states
    (it fails the CRC check instead), so the stated sizes bound the real ones.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        # not a readable zip (NotImplementedError: a zip version Python cannot read):
        # the loader says so in its own words
        return
    if unpacked > limit:
        raise LoadError(file, f"unpacks to {_megabytes(unpacked)} MB, over the limit of {_megabytes(limit)} MB "
                              "for unpacked files (a zip bomb?)")


def _megabytes(size: int) -> str:
    """``0.118``, ``10.8``, ``1,074``: three significant figures, never an exponent."""
    value = size / 1e6
    return f"{value:.3g}" if value < 1000 else f"{value:,.0f}"


def _load(path: Path, name: str, max_bytes: int) -> Loaded:
    suffix = path.suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        raise LoadError(name, f"unsupported file type '{display_name(suffix) or '(none)'}'")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(name, f"{size / 1e6:.3g} MB is over the size limit of {max_bytes / 1e6:.3g} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(name, f"cannot read file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise LoadError(name, "empty file")
    if suffix in ZIP_BASED:
        check_unpacked_size(data, name, unpacked_limit(max_bytes))
    try:
        loaded = loader(data, name)
    except LoadError:
        raise
    except Exception as exc:  # a loader bug must still be one line about one file
        raise LoadError(name, f"cannot load ({type(exc).__name__}: {exc})") from exc
    if not loaded.text.strip():
        raise LoadError(name, "no text in document")
    if _SURROGATE.search(loaded.text):  # a PDF's broken font tables can give half a character pair
        text = _SURROGATE.sub("\ufffd", loaded.text)
        loaded = Loaded(text, [*loaded.warnings, f"{name}: characters no UTF-8 can hold replaced by U+FFFD"], loaded.title)
    return loaded


_SURROGATE = re.compile("[\ud800-\udfff]")


def load_text(path: Path | str, file: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, list[str]]:
    """Load one file's text by its extension; return the text and warnings.

    Raises ``LoadError`` (never anything else) for any problem with the file.
    """
    path = Path(path)
    loaded = _load(path, file or path.name, max_bytes)
    return loaded.text, loaded.warnings


# --- manifest ------------------------------------------------------------------

_PUBLISHED = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def published_precision(value: str) -> str | None:
    """``year``, ``month`` or ``day`` for a YYYY, YYYY-MM or YYYY-MM-DD date that exists; else None.

    >>> published_precision("2021-02-28"), published_precision("2021-02-30"), published_precision("2021-13")
    ('day', None, None)
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        date(max(year or 1, 1), month or 1, day or 1)
    except ValueError:
        return None
    return "day" if day else "month" if month else "year"


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def read_manifest(source: Path, corpus: Corpus) -> dict[str, dict[str, str | None]]:
    """Read ``manifest.csv`` into rows keyed by file; problems become outcomes.

    Each bad row is reported and left out; the good rows still apply.
    """
    path = source / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        text, warnings = decode_text(path.read_bytes(), MANIFEST_NAME)
    except OSError as exc:
        corpus.note(MANIFEST_NAME, "failed", f"cannot read file ({exc.strerror or exc})")
        return {}
    except LoadError as exc:
        corpus.note(MANIFEST_NAME, "failed", exc.problem)
        return {}
    for warning in warnings:
        corpus.note(MANIFEST_NAME, "warning", warning.removeprefix(f"{MANIFEST_NAME}: "))
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        corpus.note(MANIFEST_NAME, "failed", f"not valid CSV ({exc})")
        return {}
    if not records:
        corpus.note(MANIFEST_NAME, "failed", "empty manifest (expected a header row)")
        return {}
    columns = [c.strip() for c in records[0]]
    if "file" not in columns:
        corpus.note(MANIFEST_NAME, "failed", f"no 'file' column; expected {', '.join(MANIFEST_COLUMNS)}")
        return {}
    unknown = [c for c in columns if c not in MANIFEST_COLUMNS]
    if unknown:
        corpus.note(MANIFEST_NAME, "failed",
                    f"unknown column(s) {', '.join(repr(c) for c in unknown)}; expected {', '.join(MANIFEST_COLUMNS)}")
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        corpus.note(MANIFEST_NAME, "failed", f"repeated column(s) {', '.join(repeated)}")
    rows: dict[str, dict[str, str | None]] = {}
    root = source.resolve()
    for number, values in enumerate(records[1:], start=2):
        if not any(v.strip() for v in values):
            continue  # blank lines are harmless
        if len(values) > len(columns):
            corpus.note(MANIFEST_NAME, "failed", f"row {number} has {len(values)} fields for {len(columns)} columns")
            continue
        # A short row (trailing fields left off) is fine: zip stops at its end.
        row = {column: _clean(value)
               for column, value in zip(columns, values, strict=False) if column in MANIFEST_COLUMNS}
        file = row.get("file")
        if not file:
            corpus.note(MANIFEST_NAME, "failed", f"row {number} has no file name")
            continue
        posix = PurePosixPath(file.replace("\\", "/"))
        if posix.is_absolute() or re.match(r"^[A-Za-z]:", file) or ".." in posix.parts \
                or not (root / posix).resolve().is_relative_to(root):
            corpus.note(MANIFEST_NAME, "failed", f"row {number} names '{display_name(file)}' outside the source folder (refused)")
            continue
        key = display_name(posix.as_posix())  # as the corpus names its files
        if key in rows:
            corpus.note(MANIFEST_NAME, "failed", f"row {number} repeats '{key}' (first row kept)")
            continue
        if not (root / posix).is_file():
            corpus.note(MANIFEST_NAME, "failed", f"row {number} names missing file '{key}'")
            continue
        published = row.get("published")
        # A date the graph cannot type is left out of it (an untyped dcterms:issued breaks the shapes).
        if published and not _PUBLISHED.fullmatch(published):
            corpus.note(MANIFEST_NAME, "warning", f"row {number}: published '{display_name(published)}' "
                                                  "is not YYYY, YYYY-MM or YYYY-MM-DD (left out)")
            row["published"] = None
        elif published and published_precision(published) is None:
            corpus.note(key, "warning", f"manifest row {number}: published '{published}' is not a date "
                                        "that exists (left out)")
            row["published"] = None
        rows[key] = row
    return rows


# --- the corpus --------------------------------------------------------------------

def iter_input_files(source: Path, exclude: Iterable[Path] = ()) -> Iterator[tuple[Path, str]]:
    """Every candidate input file below ``source``, sorted by relative path.

    Hidden files and folders, the manifest, the analysts' corrections and anything
    under ``exclude`` (the build's own output folder, when it sits inside the
    source) are left out. Each name is given as :func:`display_name` shows it.
    """
    excluded = [Path(p).resolve() for p in exclude]
    for path in sorted(source.rglob("*"), key=lambda p: p.relative_to(source).as_posix()):
        relative = path.relative_to(source)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if relative.as_posix() in (MANIFEST_NAME, CORRECTIONS_NAME):
            continue
        if excluded and any(path.resolve().is_relative_to(e) for e in excluded):
            continue
        yield path, display_name(relative.as_posix())


def read_corpus(source: Path | str, max_bytes: int = DEFAULT_MAX_BYTES, exclude: Iterable[Path] = ()) -> Corpus:
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
    root = source.resolve()
    for path, file in iter_input_files(source, exclude):
        suffix = path.suffix.lower()
        if suffix not in LOADERS:
            corpus.note(file, "skipped", f"unsupported file type '{display_name(path.suffix) or '(none)'}'")
            continue
        if not path.resolve().is_relative_to(root):
            corpus.note(file, "failed", "a link to a file outside the source folder (refused)")
            continue
        try:
            loaded = _load(path, file, max_bytes)
        except LoadError as exc:
            corpus.note(file, "failed", exc.problem)
            continue
        row = manifest.get(file, {})
        corpus.documents.append(
            Document(
                file=file,
                text=loaded.text,
                title=row.get("title") or loaded.title or _title_from(loaded.text, path),
                publisher=row.get("publisher"),
                published=row.get("published"),
                language=row.get("language"),
                source_note=row.get("source_note"),
                media_type=MEDIA_TYPES[suffix],
            )
        )
        corpus.note(file, "built", "")
        for warning in loaded.warnings:
            corpus.note(file, "warning", warning.removeprefix(f"{file}: "))
    if not corpus.documents and not corpus.outcomes:
        raise SourceError(f"source folder '{source}' holds no documents")
    return corpus


def _title_from(text: str, path: Path) -> str:
    """A title for a document the manifest does not describe: its first non-empty line, else its name."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:200]
    return display_name(path.stem)
