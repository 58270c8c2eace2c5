"""Each loader on a small document made in the test, and code-point offsets into what it loads.

The helpers that make PDFs and Word files are shared with test_bad_input.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from carekg.ingest.corpus import load_text, read_corpus
from carekg.errors import LoadError

# Characters that break offset arithmetic done in bytes or UTF-16: a non-BMP
# emoji (2 UTF-16 units, 4 UTF-8 bytes), curly quotes and a non-breaking space.
TRICKY = "Care leavers 🧒 said: \u201cwe\u2019re not \u00a0ready\u201d; \U0001d4d2are matters."


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (ASCII), written by hand.

    pypdf's PdfWriter cannot add text without a font, so the objects and the
    cross-reference table are spelt out here; offsets are computed, not guessed.
    """
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in escaped) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def encrypted_pdf(lines: list[str], password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(lines))))
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF with a page and no text layer, as a scan without OCR is."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --- one test per loader -----------------------------------------------------------

def test_txt_is_kept_exactly_as_decoded(tmp_path):
    body = "Title line\r\n\r\nWe urge the government to act.\tNow.\n" + TRICKY + "\n"
    text, warnings = load_text(write(tmp_path, "a.txt", body))
    assert text == body
    assert warnings == []


def test_txt_byte_order_mark_is_not_text(tmp_path):
    text, _ = load_text(write(tmp_path, "bom.txt", b"\xef\xbb\xbfHello"))
    assert text == "Hello"


def test_md_is_kept_as_written(tmp_path):
    body = "# Our asks\n\n- **Raise** the care-leaving age to 25.\n- A [link](https://example.org).\n"
    text, _ = load_text(write(tmp_path, "asks.md", body))
    assert text == body


def test_html_drops_script_style_and_chrome_and_keeps_sentences_whole(tmp_path):
    page = """<!doctype html><html><head><title>Our  response</title>
    <script>var secret = "SCRIPT-CONTENT";</script><style>p { color: red }</style></head>
    <body><nav>Home | Donate</nav>
    <article><header><h1>Our response</h1></header>
    <p>We <b>urge</b> the
       government&nbsp;to raise the care-leaving age.</p>
    <ul><li>First ask</li><li>Second ask</li></ul>
    <noscript>NOSCRIPT-CONTENT</noscript><script>alert("MORE-SCRIPT")</script>
    </article><footer>Registered charity 123</footer></body></html>"""
    text, warnings = load_text(write(tmp_path, "page.html", page))
    assert text == (
        "Our response\n"
        "We urge the government\u00a0to raise the care-leaving age.\n"
        "First ask\n"
        "Second ask"
    )
    assert "SCRIPT" not in text and "color" not in text and "Donate" not in text
    assert warnings == []


def test_html_title_becomes_the_document_title(tmp_path):
    write(tmp_path, "page.htm", "<html><head><title>A  Title</title></head><body><p>Body text.</p></body></html>")
    (document,) = read_corpus(tmp_path).documents
    assert document.title == "A Title"
    assert document.media_type == "text/html"
    assert document.text == "Body text."


def test_pdf_text_layer_is_read(tmp_path):
    text, warnings = load_text(write(tmp_path, "r.pdf", text_pdf(["We call for more funding.", "Second line (a)."])))
    assert text == "We call for more funding.\nSecond line (a)."
    assert warnings == []


def test_docx_paragraphs_and_tables_in_reading_order(tmp_path):
    data = docx_bytes([TRICKY, "After the table comes nothing."], table=[["Ask", "Who"], ["Fund early help", "LGA"]])
    text, warnings = load_text(write(tmp_path, "d.docx", data))
    assert text.splitlines() == [TRICKY, "After the table comes nothing.", "Ask", "Who", "Fund early help", "LGA"]
    assert warnings == []


def test_extension_is_case_insensitive(tmp_path):
    text, _ = load_text(write(tmp_path, "LOUD.TXT", "Hello"))
    assert text == "Hello"


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\t\n", "empty file"),
        ("nul.txt", b"Hello\x00world", "binary data, not text"),
        ("empty.html", b"<html><body><script>x()</script></body></html>", "no text in document"),
        ("odd.xyz", b"Hello", "unsupported file type '.xyz'"),
        ("word.docx", b"PK\x03\x04 not really a zip", "corrupt .docx (not a zip archive)"),
    ],
)
def test_bad_files_raise_load_error_naming_the_file(tmp_path, name, data, problem):
    with pytest.raises(LoadError) as caught:
        load_text(write(tmp_path, name, data))
    assert caught.value.file == name
    assert caught.value.problem == problem
    assert str(caught.value) == f"{name}: {problem}"


def test_size_limit_is_checked_before_reading(tmp_path):
    path = write(tmp_path, "big.txt", "x" * 2_000)
    with pytest.raises(LoadError, match=r"big.txt: 0.002 MB is over the size limit of 0.001 MB"):
        load_text(path, max_bytes=1_000)
    assert load_text(path, max_bytes=2_000)[0] == "x" * 2_000


def test_legacy_encoding_is_decoded_with_a_warning(tmp_path):
    text, warnings = load_text(write(tmp_path, "old.txt", "Children\u2019s caf\u00e9 \u201cquote\u201d".encode("cp1252")))
    assert text == "Children\u2019s caf\u00e9 \u201cquote\u201d"
    assert warnings == ["old.txt: not valid UTF-8; decoded as cp1252"]


def test_latin1_only_bytes_fall_back_to_latin1(tmp_path):
    # 0x81 is undefined in cp1252, so only latin-1 can decode this.
    text, warnings = load_text(write(tmp_path, "raw.txt", b"caf\xe9 \x81"))
    assert text == "caf\u00e9 \x81"
    assert warnings == ["raw.txt: not valid UTF-8; decoded as latin-1"]


# --- offsets are code points into the loaded text -----------------------------------

@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".docx"])
def test_offsets_are_code_points_into_loaded_text(tmp_path, suffix):
    data: bytes | str
    if suffix == ".docx":
        data = docx_bytes([TRICKY])
    elif suffix == ".html":
        data = f"<html><body><p>{TRICKY}</p></body></html>"
    else:
        data = TRICKY
    text, _ = load_text(write(tmp_path, "doc" + suffix, data))
    assert text.strip() == TRICKY  # NBSP, curly quotes and non-BMP characters kept as they are
    start = text.index("\u201cwe")
    end = text.index("\u201d") + 1
    assert text[start:end] == "\u201cwe\u2019re not \u00a0ready\u201d"
    # A code-point offset: after the emoji it is one less than a UTF-16 offset would be.
    assert start == len(TRICKY.split("\u201c")[0])
    assert len(text[:start].encode("utf-16-le")) // 2 == start + 1


def test_corpus_documents_keep_the_loaded_text(tmp_path):
    write(tmp_path, "a.txt", TRICKY)
    write(tmp_path, "sub/b.md", "Second " + TRICKY)
    corpus = read_corpus(tmp_path)
    assert [d.file for d in corpus.documents] == ["a.txt", "sub/b.md"]
    assert corpus.documents[0].text == TRICKY
    assert corpus.documents[1].media_type == "text/markdown"
    assert [o.status for o in corpus.outcomes.values()] == ["built", "built"]


def _zip_of_a_version_python_cannot_read() -> bytes:
    """A zip whose central directory says "version 6.4 needed to extract" (zipfile raises NotImplementedError)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 6:central + 8] = (64).to_bytes(2, "little")  # version needed to extract
    return bytes(data)


def test_a_zip_of_a_version_python_cannot_read_is_a_load_error(tmp_path):
    path = write(tmp_path, "new.docx", _zip_of_a_version_python_cannot_read())
    with pytest.raises(LoadError) as caught:
        load_text(path)
    assert str(caught.value) == "new.docx: corrupt .docx (a zip archive of a version that cannot be read)"
