"""One corpus holding every kind of bad input: exact lines, the report, exit codes, good documents built."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from carekg.cli import cli

from .conftest import SEEDS
from .test_loaders import docx_bytes, encrypted_pdf, scanned_pdf, text_pdf, write

GOOD_SEED = "000_d757b75aeee36c73.txt"  # Pause's response: statements by a registry publisher
GOOD_FILES = [GOOD_SEED, "good.docx", "good.html", "good.pdf", "legacy.txt", "notes.md"]
LIMIT_MB = "0.1"  # 100 KB: small enough to test, large enough for every good file (a .docx is ~37 KB)

EXPECTED_LINES = [
    "failed: binary.txt: binary data, not text",
    "failed: broken.docx: corrupt .docx (not a zip archive)",
    "failed: empty.txt: empty file",
    "failed: encrypted.pdf: encrypted PDF (needs a password)",
    "failed: huge.txt: 0.118 MB is over the size limit of 0.1 MB",
    "warning: legacy.txt: not valid UTF-8; decoded as cp1252",
    "failed: manifest.csv: unknown column(s) 'colour'; expected file, title, publisher, published, language, source_note",
    "failed: manifest.csv: row 4 names missing file 'missing.txt'",
    "failed: manifest.csv: row 5 names '../outside.txt' outside the source folder (refused)",
    "failed: manifest.csv: row 6 names '/etc/passwd' outside the source folder (refused)",
    "failed: manifest.csv: row 7 repeats '000_d757b75aeee36c73.txt' (first row kept)",
    "failed: scanned.pdf: PDF has no text layer (scanned?); run OCR first",
    "skipped: slides.pptx: unsupported file type '.pptx'",
    "failed: truncated.pdf: truncated or corrupt PDF",
]

EXPECTED_STATUS = {
    GOOD_SEED: "built", "good.docx": "built", "good.html": "built", "good.pdf": "built", "notes.md": "built",
    "legacy.txt": "warning", "slides.pptx": "skipped",
    "binary.txt": "failed", "broken.docx": "failed", "empty.txt": "failed", "encrypted.pdf": "failed",
    "huge.txt": "failed", "manifest.csv": "failed", "scanned.pdf": "failed", "truncated.pdf": "failed",
}


def make_bad_corpus(folder: Path) -> Path:
    """Good documents of every format among one of each kind of bad input."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEEDS / GOOD_SEED, folder / GOOD_SEED)
    statement = "We urge the government to raise the care leaving age to 25."
    write(folder, "good.pdf", text_pdf(["Become response", statement]))
    write(folder, "good.docx", docx_bytes(["Become response", statement]))
    write(folder, "good.html", f"<html><body><script>var x = 'NOT TEXT';</script><p>{statement}</p></body></html>")
    write(folder, "notes.md", "# Notes\n\n" + statement + "\n")
    write(folder, "legacy.txt", ("Children\u2019s services \u2013 " + statement).encode("cp1252"))
    write(folder, "empty.txt", b"")
    write(folder, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(folder, "truncated.pdf", text_pdf(["Cut short before the end of the file"])[:300])
    write(folder, "encrypted.pdf", encrypted_pdf(["Secret text"]))
    write(folder, "scanned.pdf", scanned_pdf())
    write(folder, "broken.docx", docx_bytes(["Half a document"])[:2000])
    write(folder, "slides.pptx", b"PK\x03\x04 slides")
    write(folder, "huge.txt", statement * 2000)  # 118 KB, over the 100 KB limit
    write(folder, "manifest.csv", (
        "file,title,publisher,published,language,source_note,colour\n"
        f"{GOOD_SEED},Pause's response,pause,2021-08,en,,blue\n"
        "good.pdf,A PDF,become,2022,en,,\n"
        "missing.txt,Gone,,,,,\n"
        "../outside.txt,Escape,,,,,\n"
        "/etc/passwd,Absolute,,,,,\n"
        f"{GOOD_SEED},Twice,,,,,\n"
    ))
    return folder


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory) -> Path:
    return make_bad_corpus(tmp_path_factory.mktemp("bad") / "corpus")


@pytest.fixture(scope="module")
def strict_run(bad_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("strict")
    result = CliRunner().invoke(cli, ["build", str(bad_corpus), "-o", str(out), "--max-mb", LIMIT_MB])
    return result, out


def problem_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.split(":", 1)[0] in ("failed", "warning", "skipped")]


def test_each_problem_is_one_line_naming_the_file(strict_run):
    result, _ = strict_run
    assert problem_lines(result.stderr) == EXPECTED_LINES, result.output


def test_failures_exit_1_after_building_the_rest(strict_run):
    result, out = strict_run
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines()[-1] == (
        "Error: some files failed (listed above; see build-report.json); --keep-going to accept"
    )
    assert (out / "graph.ttl").is_file()
    assert "6 built, 1 with warnings, 8 failed, 1 skipped" not in result.output  # counts are per file status
    assert "5 built, 1 with warnings, 8 failed, 1 skipped" in result.stdout


def test_keep_going_exits_0_with_the_same_lines(bad_corpus, tmp_path):
    result = CliRunner().invoke(
        cli, ["build", str(bad_corpus), "-o", str(tmp_path / "out"), "--max-mb", LIMIT_MB, "--keep-going"]
    )
    assert result.exit_code == 0, result.output
    assert problem_lines(result.stderr) == EXPECTED_LINES


def test_report_lists_every_input_file_with_outcome_and_reason(strict_run):
    _, out = strict_run
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    statuses = {entry["file"]: entry["status"] for entry in report["files"]}
    assert statuses == EXPECTED_STATUS
    assert report["counts"] == {"built": 5, "warning": 1, "failed": 8, "skipped": 1}
    assert report["documents"] == len(GOOD_FILES)
    reasons = {entry["file"]: entry["reason"] for entry in report["files"]}
    assert reasons["encrypted.pdf"] == "encrypted PDF (needs a password)"
    assert reasons["legacy.txt"] == "not valid UTF-8; decoded as cp1252"
    assert reasons[GOOD_SEED] == ""
    manifest = next(entry for entry in report["files"] if entry["file"] == "manifest.csv")
    assert [p["reason"] for p in manifest["problems"]] == [line.split(": ", 2)[2] for line in EXPECTED_LINES
                                                          if line.startswith("failed: manifest.csv")]


def test_good_documents_are_in_the_graph(strict_run):
    _, out = strict_run
    store = ox.Store()
    store.bulk_load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    identifiers = {
        solution["id"].value
        for solution in store.query(
            "SELECT ?id WHERE { ?d a <https://w3id.org/carekg/ontology#Document> ; "
            "<http://purl.org/dc/terms/identifier> ?id }"
        )
    }
    assert identifiers == set(GOOD_FILES)
    texts = " ".join(
        solution["t"].value
        for solution in store.query("SELECT ?t WHERE { ?d <https://w3id.org/carekg/ontology#text> ?t }")
    )
    assert "NOT TEXT" not in texts  # the script in good.html
    assert "Children\u2019s services \u2013" in texts  # the cp1252 file, decoded


def test_good_documents_yield_statements(strict_run):
    _, out = strict_run
    statements = (out / "statements.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert any(line.startswith(f"{GOOD_SEED},pause,") for line in statements)


def test_manifest_rows_that_are_fine_still_apply(strict_run):
    _, out = strict_run
    store = ox.Store()
    store.bulk_load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    (row,) = store.query(
        "SELECT ?title WHERE { ?d <http://purl.org/dc/terms/identifier> 'good.pdf' ; "
        "<http://purl.org/dc/terms/title> ?title }"
    )
    assert row["title"].value == "A PDF"


def test_only_warnings_exit_0(tmp_path):
    source = tmp_path / "corpus"
    write(source, "old.txt", "caf\u00e9 society".encode("cp1252"))
    write(source, "image.png", b"\x89PNG")
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert problem_lines(result.stderr) == [
        "skipped: image.png: unsupported file type '.png'",
        "warning: old.txt: not valid UTF-8; decoded as cp1252",
    ]


def test_a_folder_of_nothing_but_bad_files_still_reports(tmp_path):
    source = tmp_path / "corpus"
    write(source, "empty.txt", b"")
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert problem_lines(result.stderr) == ["failed: empty.txt: empty file"]
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    assert report["files"] == [{"file": "empty.txt", "status": "failed", "reason": "empty file"}]


def test_output_folder_inside_the_source_is_not_read_back(tmp_path):
    source = tmp_path / "corpus"
    write(source, "a.txt", "We urge the government to raise the care leaving age to 25.")
    write(source, "build/old.html", "<p>Yesterday's view, not a document.</p>")
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(source / "build")])
    assert result.exit_code == 0, result.output
    report = json.loads((source / "build" / "build-report.json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in report["files"]] == ["a.txt"]


def test_manifest_with_bad_rows_and_columns(tmp_path):
    from carekg.ingest.corpus import read_corpus

    source = tmp_path / "corpus"
    write(source, "a.txt", "Text.")
    write(source, "manifest.csv", "file,title,published\na.txt,A,August 2021,extra\n,No file,\na.txt,A,2021\n")
    corpus = read_corpus(source)
    assert corpus.outcomes["manifest.csv"].lines() == [
        "failed: manifest.csv: row 2 has 4 fields for 3 columns",
        "failed: manifest.csv: row 3 has no file name",
    ]
    (document,) = corpus.documents
    assert document.title == "A" and document.published == "2021"


def test_manifest_without_file_column(tmp_path):
    from carekg.ingest.corpus import read_corpus

    source = tmp_path / "corpus"
    write(source, "a.txt", "Text.")
    write(source, "manifest.csv", "name,title\na.txt,A\n")
    corpus = read_corpus(source)
    assert corpus.outcomes["manifest.csv"].line() == (
        "failed: manifest.csv: no 'file' column; expected file, title, publisher, published, language, source_note"
    )
    assert [d.file for d in corpus.documents] == ["a.txt"]
