"""Issue 10: every attack that once stopped a build or misled, replayed on small generated inputs.

Each test reproduces one attack from the issue and checks the promised
behaviour. Large-input attacks are scaled down and checked for complexity:
doubling the input must not quadruple the time (generous margins: the
machine running CI is shared). Extraction is hand-coded where a test needs
exact statements (the extractor is free to change what it finds).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import carekg
from carekg.ingest import corpus as corpus_module
from carekg.graph import rdfio
from carekg.build import build
from carekg.cli import cli
from carekg.ingest.corpus import display_name, read_corpus
from carekg.ingest.htmltext import html_text
from carekg.vocab.model import Agent, Extraction, Mention, Span, Statement
from carekg.vocab.namespace import CKG, DCTERMS, DOC

from .conftest import ROOT, SEEDS
from .test_loaders import docx_bytes, write

PYOXIGRAPH_TOKEN_LIMIT = 16 * 1024 * 1024  # "Reached the buffer maximal size of 16777216"
TRUST = Agent("test-trust", "Test Trust")


def hand_coded(monkeypatch, agent: Agent = TRUST, cue: str = "urge", limit: int | None = None) -> None:
    """Replace the extractor (in this process: build with jobs=1): each line with ``cue`` is a statement
    of ``agent`` supporting raising the care-leaving age; ``limit`` caps how many per document."""

    def extract(document, knowledge):
        extraction = Extraction(document, agents={agent.id: agent}, mentions=[Mention(agent.id, "author")])
        for match in re.finditer(rf"[^\n]*{cue}[^\n]*", document.text):
            if limit is not None and len(extraction.statements) >= limit:
                break
            span = Span.of(document.text, match.start(), match.end())
            extraction.statements.append(Statement(agent.id, "raise-care-leaving-age", "support", span, 0.9))
        return extraction

    monkeypatch.setattr("carekg.extract.extract_document", extract)


def run_cli(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def build_files(tmp_path: Path, files: dict[str, str], *options: str):
    """Write ``files`` into ``tmp_path/corpus`` and ``carekg build`` them into ``tmp_path/out``."""
    for name, text in files.items():
        write(tmp_path / "corpus", name, text)
    return run_cli("build", tmp_path / "corpus", "-o", tmp_path / "out", *options)


def counted_calls(function) -> int:
    """The work ``function()`` does, counted as the Python and C function calls it makes.

    Counted, not timed: the same figure on an idle machine and on one at load 8
    (timings belong in bench/). A cost that grows faster than its input shows as
    calls growing faster than the input.
    """
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        function()
    finally:
        sys.setprofile(None)
    return calls


def assert_linear(small: int, large: int, what: str) -> None:
    """Twice the input must not cost four times the work (quadratic); 2.5x leaves room for fixed costs."""
    assert large < 2.5 * small + 1_000, f"{what}: {small:,} calls, then {large:,} calls for twice the input"


def test_counted_work_tells_linear_from_quadratic():
    def pairs(n: int) -> None:
        for i in range(n):
            for j in range(n):
                abs(i - j)

    def singles(n: int) -> None:
        for i in range(n):
            abs(i)

    assert_linear(counted_calls(lambda: singles(2_000)), counted_calls(lambda: singles(4_000)), "a loop")
    with pytest.raises(AssertionError, match="calls for twice the input"):
        assert_linear(counted_calls(lambda: pairs(200)), counted_calls(lambda: pairs(400)), "a double loop")


# --- 1. a literal over pyoxigraph's 16 MiB token limit ----------------------------------------

@pytest.fixture(scope="module")
def huge_literal_graph(tmp_path_factory) -> tuple[Path, str]:
    """A graph file holding a 17 MB literal (just over the limit), with quotes, newlines and non-ASCII."""
    text = ("A line with \"quotes\", a back\\slash and café.\n" * 400_000)[:17_000_000]
    assert len(text.encode("utf-8")) > PYOXIGRAPH_TOKEN_LIMIT
    path = tmp_path_factory.mktemp("huge") / "graph.ttl"
    triples = [ox.Triple(ox.NamedNode(DOC["big.txt"]), ox.NamedNode(CKG.text), ox.Literal(text)),
               ox.Triple(ox.NamedNode(DOC["big.txt"]), ox.NamedNode(DCTERMS.identifier), ox.Literal("big.txt"))]
    path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE))
    return path, text


def test_pyoxigraph_alone_cannot_read_the_huge_literal(huge_literal_graph):
    path, _ = huge_literal_graph  # the attack: what every reader did before
    with pytest.raises(MemoryError, match="buffer maximal size"):
        list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_every_reader_loads_a_literal_over_16_mib(huge_literal_graph, store):
    path, text = huge_literal_graph
    kg = carekg.load(path, store=store)
    value = kg.query("SELECT ?text WHERE { ?d ckg:text ?text }")["text"][0]
    assert value == text
    result = run_cli("query", path, "SELECT (STRLEN(?t) AS ?n) WHERE { ?d ckg:text ?t }", "--store", store)
    assert result.exit_code == 0, result.output
    assert f"{len(text)}" in result.output


def test_rdfio_round_trips_huge_literals_in_every_syntax(tmp_path):
    big = ("x" * 60 + "\"y\\z\né") * 260_000  # 17.4M characters, escapes in both syntaxes
    triples = [ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal(big)),
               ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/q"), ox.Literal(big[:200_000], language="en"))]
    rdflib_turtle = ('@prefix e: <http://e/> .\ne:s e:p """' + big.replace("\\", "\\\\").replace('"', '\\"')
                     + '""" .\n').encode("utf-8")  # rdflib's style: a triple-quoted string over many lines
    for fmt in ("nt", "ttl"):
        data = ox.serialize(triples, format=rdfio.rdf_format(fmt))
        (tmp_path / f"g.{fmt}").write_bytes(data)
        assert [(q.subject, q.predicate, q.object) for q in rdfio.parse(data, fmt)] == \
               [(t.subject, t.predicate, t.object) for t in triples]
        assert {q.object for q in rdfio.load_store(tmp_path / f"g.{fmt}", fmt)} == {t.object for t in triples}
    assert [q.object.value for q in rdfio.parse(rdflib_turtle, "ttl")] == [big]


def test_a_document_over_16_mib_builds(tmp_path, monkeypatch):
    hand_coded(monkeypatch, limit=3)  # the extractor's cost is not what this tests
    corpus = tmp_path / "corpus"
    body = "Filler text that says nothing in particular, line after line.\n" * 280_000
    text = "We urge the government to raise the care leaving age.\n" + body
    write(corpus, "long.txt", text)
    assert len(text.encode("utf-8")) > PYOXIGRAPH_TOKEN_LIMIT
    result = run_cli("build", corpus, "-o", tmp_path / "out", "--max-mb", "20")
    assert result.exit_code == 0, result.output
    graph = tmp_path / "out" / "graph.ttl"
    for store in ("oxigraph", "rdflib"):
        stored = carekg.load(graph, store=store).query("SELECT ?text WHERE { ?d ckg:text ?text }")["text"][0]
        assert stored == text
    statements = carekg.load(graph).statements()
    assert statements["quote"].tolist() == ["We urge the government to raise the care leaving age."]


# --- 2. document text that looks like markup does not trip the views' remote-reference guard ------

ATTACK_MARKUP = 'We urge action <img src=//evil.example/x.png> href=https://evil.example/ url(https://evil.example/a.png)'


def test_quotes_and_titles_that_look_like_remote_references_build(tmp_path, monkeypatch):
    from carekg.view.render import remote_references

    hand_coded(monkeypatch)
    result = build_files(tmp_path, {"a.txt": ATTACK_MARKUP + "\n",
                                    "manifest.csv": f'file,title\na.txt,"Title src=//evil.example/t.js {ATTACK_MARKUP}"\n'})
    assert result.exit_code == 0, result.output
    for view in ("agreement.html", "divergence.html"):
        page = (tmp_path / "out" / view).read_text(encoding="utf-8")
        assert remote_references(page) == []
    page = (tmp_path / "out" / "agreement.html").read_text(encoding="utf-8")
    assert "evil.example" in page  # the text is there, as data
    assert "<img src=//evil" not in page  # and escaped


def test_the_guard_still_catches_the_pages_own_remote_markup():
    from carekg.view.render import remote_references

    page = ('<html><head><link rel="stylesheet" href="https://cdn.example/b.css"><style>@import "//cdn.example/c.css";'
            '</style></head><body><script src="//cdn.example/v.js"></script><img srcset="a.png 1x, https://x.example/b.png 2x">'
            '<div style="background:url(http://x.example/i.png)"></div>'
            f'<script type="application/json">{{"q": "{ATTACK_MARKUP}"}}</script></body></html>')
    found = remote_references(page)
    assert len(found) == 5, found


# --- 3. file names: undecodable bytes, newlines ----------------------------------------------------

def test_undecodable_and_newline_file_names_are_reported_safely(tmp_path, monkeypatch):
    hand_coded(monkeypatch)
    corpus = tmp_path / os.fsdecode(b"corpus\xff")  # the folder's own name too
    corpus.mkdir()
    for raw in (b"caf\xe9.txt", b"two\nlines.txt", b"fake\nfailed: other.txt"):
        with open(os.path.join(os.fsencode(corpus), raw), "wb") as stream:
            stream.write(b"We urge the government to act.\n")
    write(corpus, "empty.txt", "")
    result = run_cli("build", corpus, "-o", tmp_path / "out", "--keep-going")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["failed: empty.txt: empty file"]  # no forged line
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    assert report["source"].endswith("/corpus\\xff") and "corpus\ufffd" in result.output
    assert sorted(f["file"] for f in report["files"]) == \
        ["caf\\xe9.txt", "empty.txt", "fake\\nfailed: other.txt", "two\\nlines.txt"]
    documents = carekg.load(tmp_path / "out" / "graph.ttl").query(
        "SELECT ?id WHERE { ?d a ckg:Document ; dcterms:identifier ?id } ORDER BY ?id")["id"].tolist()
    assert documents == ["caf\\xe9.txt", "fake\\nfailed: other.txt", "two\\nlines.txt"]


def test_display_names_keep_distinct_names_distinct():
    names = ["a\\xe9.txt", os.fsdecode(b"a\xe9.txt"), "a\\nb", "a\nb", "x\\y", "x\\\\y"]
    assert len({display_name(name) for name in names}) == len(names)


# --- 5. two file names, one document IRI ---------------------------------------------------------------

def test_file_names_that_once_shared_an_iri_stay_apart(tmp_path, monkeypatch):
    hand_coded(monkeypatch)
    result = build_files(tmp_path, {"report)] x.txt": "We urge the government to act now.\n",
                                    "report(,= x.txt": "Another text.\nWe urge ministers to listen.\n"})
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    statements = carekg.load(tmp_path / "out" / "graph.ttl").statements().sort_values("document")
    assert statements[["document", "quote"]].values.tolist() == [
        ["report(,= x.txt", "We urge ministers to listen."], ["report)] x.txt", "We urge the government to act now."]]


def test_a_build_whose_graph_violates_the_shapes_exits_1(tmp_path, monkeypatch):
    def broken(document, knowledge):  # an empty span: oa:start must be less than oa:end
        return Extraction(document, agents={TRUST.id: TRUST}, mentions=[Mention(TRUST.id, "author")],
                          statements=[Statement(TRUST.id, "raise-care-leaving-age", "support", Span(3, 3, ""), 0.9)])

    monkeypatch.setattr("carekg.extract.extract_document", broken)
    result = build_files(tmp_path, {"a.txt": "Some text.\n"})
    assert result.exit_code == 1
    out = tmp_path / "out" / "graph.ttl"
    assert result.output.splitlines()[-1] == (
        f"Error: the graph has 1 SHACL violation(s) (run carekg validate {out}); --keep-going to accept")
    assert run_cli("build", tmp_path / "corpus", "-o", tmp_path / "out", "--keep-going").exit_code == 0


# --- 7. zip bombs -------------------------------------------------------------------------------------

def zip_bomb(unpacked: int) -> bytes:
    """A real .docx with one extra member of ``unpacked`` zero bytes (it packs to about a thousandth)."""
    buffer = io.BytesIO(docx_bytes(["We urge the government to act."]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", bytes(unpacked))
    return buffer.getvalue()


def test_a_docx_that_unpacks_too_far_is_refused_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_module, "UNPACKED_MIN_BYTES", 2_000_000)  # scaled down from 64 MB
    corpus = tmp_path / "corpus"
    write(corpus, "bomb.docx", zip_bomb(10_000_000))
    write(corpus, "fine.docx", docx_bytes(["We urge the government to act."]))
    result = run_cli("build", corpus, "-o", tmp_path / "out", "--max-mb", "0.1")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:-1] == [
        "failed: bomb.docx: unpacks to 10.8 MB, over the limit of 2 MB for unpacked files (a zip bomb?)"]
    assert "1 built" in result.output


def test_the_default_unpacked_limit_scales_with_max_mb():
    assert corpus_module.unpacked_limit(50_000_000) == 250_000_000
    assert corpus_module.unpacked_limit(100_000) == 64_000_000


# --- 8. deeply nested HTML ---------------------------------------------------------------------------------

@pytest.mark.parametrize("open_tag, close_tag", [("<div>", "</div>"), ("<span>", ""), ("<li><ul>", "</ul></li>")])
def test_html_text_is_linear_in_nesting_depth(open_tag, close_tag):
    def page(depth: int) -> str:
        return f"<html><body>{open_tag * depth}We urge the government to act.{close_tag * depth}</body></html>"

    small, large = (counted_calls(lambda d=d: html_text(page(d))) for d in (20_000, 40_000))
    assert html_text(page(40_000)).text == "We urge the government to act."
    assert_linear(small, large, f"HTML nested {open_tag}")


def test_stray_end_tags_cost_nothing():
    page = "<div>" * 20_000 + "text" + "</span>" * 20_000
    small = counted_calls(lambda: html_text(page))
    large = counted_calls(lambda: html_text(page * 2))
    assert_linear(small, large, "stray end tags")


# --- 9. a manifest naming many missing files --------------------------------------------------------------

def test_manifest_checking_is_linear(tmp_path):
    def corpus(rows: int) -> Path:
        folder = tmp_path / f"m{rows}"
        write(folder, "a.txt", "We urge the government to act.\n")
        write(folder, "manifest.csv", "file,title\n" + "".join(f"missing{i}.txt,T\n" for i in range(rows)))
        return folder

    def check(folder: Path) -> None:
        outcomes = read_corpus(folder).outcomes
        assert len(outcomes["manifest.csv"].lines()) == int(folder.name[1:])

    folders = corpus(5_000), corpus(10_000)  # written first: the files are input, not work
    small, large = counted_calls(lambda: check(folders[0])), counted_calls(lambda: check(folders[1]))
    assert_linear(small, large, "manifest rows")


# --- 10. SIGTERM and SIGHUP during a parallel build ----------------------------------------------------------

@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_build_stops_workers_and_removes_the_temporary_folder(tmp_path, signum):
    psutil = pytest.importorskip("psutil")
    corpus = tmp_path / "corpus"
    seeds = sorted(SEEDS.glob("*.txt"))
    for copy in range(12):  # enough work that the build is still extracting when the signal comes
        for seed in seeds:
            write(corpus, f"{copy:02d}-{seed.name}", seed.read_text(encoding="utf-8"))
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "carekg", "build", str(corpus), "-o", str(out), "--jobs", "2"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 120
    workers: list = []
    while time.monotonic() < deadline and process.poll() is None:
        workers = parent.children(recursive=True)
        if len(workers) >= 2 and list(out.glob(".carekg-build-*")):
            break
        time.sleep(0.05)
    try:
        assert process.poll() is None and len(workers) >= 2, "the build ended before it could be interrupted"
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 1
        assert stderr.decode().strip().splitlines()[-1] == (f"Error: build stopped by {signal.Signals(signum).name}; "
                                                            "temporary files removed, previous outputs left as they were")
        assert list(out.glob(".carekg-build-*")) == []
        time.sleep(0.5)
        alive = [w.pid for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
        assert alive == [], f"workers left running: {alive}"
    finally:  # whatever happened, nothing of this test outlives it
        for survivor in [*workers, parent]:
            with contextlib.suppress(psutil.Error):
                survivor.kill()


def test_sigterm_stops_a_single_process_build_inside_the_extractor(tmp_path):
    """With --jobs 1 the signal lands inside the extractor, whose guard catches every Exception: it must not swallow it."""
    write(tmp_path / "corpus", "long.txt", long_text(600_000))
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "carekg", "build", str(tmp_path / "corpus"), "-o", str(out)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and not list(out.glob(".carekg-build-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1)  # well into the extraction of a 0.6 MB document (several seconds)
        assert process.poll() is None, "the build ended before it could be interrupted"
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        assert time.monotonic() - started < 30
        assert process.returncode == 1
        assert stderr.decode().strip().splitlines()[-1].startswith("Error: build stopped by SIGTERM; temporary files removed")
        assert list(out.glob(".carekg-build-*")) == []
    finally:
        if process.poll() is None:
            process.kill()


def test_a_signal_while_outputs_are_renamed_waits_and_says_so(tmp_path, monkeypatch):
    from carekg import build as build_module
    from carekg.errors import BuildStopped

    hand_coded(monkeypatch)
    write(tmp_path / "corpus", "a.txt", "We urge the government to act.\n")
    real_replace, calls = os.replace, []

    def replace(source, target):
        if not calls:
            os.kill(os.getpid(), signal.SIGTERM)  # arrives while the first output is being renamed
        calls.append(target)
        real_replace(source, target)

    monkeypatch.setattr(build_module.os, "replace", replace)
    with pytest.raises(BuildStopped, match="^build stopped by SIGTERM just after its outputs were written"):
        build(tmp_path / "corpus", tmp_path / "out")
    assert sorted(path.name for path in calls) == [  # every output renamed into place, none left half done
        "agreement.html", "build-report.json", "claims.csv", "divergence.html", "graph.ttl", "organisations.csv",
        "statements.csv"]
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


# --- 11. formula injection in CSV exports -----------------------------------------------------------------------

def test_csv_exports_neutralise_formulas(tmp_path, monkeypatch):
    import csv

    evil = Agent("evil", '=HYPERLINK("https://evil.example","click")')
    hand_coded(monkeypatch, agent=evil, cue="SUM")
    result = build_files(tmp_path, {"=cmd.txt": "=SUM(1+2) We urge the government to act.\n",
                                    "@at.txt": "+SUM(1) and -SUM(2)\n"})
    assert result.exit_code == 0, result.output
    cells = []
    for name in ("statements.csv", "organisations.csv"):
        with (tmp_path / "out" / name).open(encoding="utf-8", newline="") as stream:
            cells += [cell for row in list(csv.reader(stream))[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=cmd.txt" in cells and "'@at.txt" in cells and "'+SUM(1) and -SUM(2)" in cells
    assert "'=HYPERLINK(\"https://evil.example\",\"click\")" in cells
    exported = run_cli("export", "statements", tmp_path / "out" / "graph.ttl")
    assert "\n'=cmd.txt," in exported.output
    assert carekg.load(tmp_path / "out" / "graph.ttl").statements()["document"].tolist()[0] == "=cmd.txt"  # data unchanged


# --- 12. one long document: sections, exact offsets, linear cost, bounded validation ----------------------------

def long_text(characters: int) -> str:
    seeds = [path.read_text(encoding="utf-8").strip("\n") for path in sorted(SEEDS.glob("*.txt"))]
    text = ""
    while len(text) < characters:
        text += "\n\n".join(seeds) + "\n\n"
    return text[: text.rfind("\n", 0, characters) + 1]


def test_sections_keep_every_quote_exact_and_short_documents_unchanged():
    from carekg.extract import extract_document
    from carekg.vocab.knowledge import load_knowledge
    from carekg.vocab.model import Document
    from carekg.extract.sections import extract_in_sections, split_sections

    knowledge = load_knowledge()
    text = long_text(120_000)
    sections = split_sections(text, 20_000)
    assert sections[0][0] == 0 and sections[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(sections, sections[1:]))
    assert all(end - start <= 20_000 and text[end - 1] == "\n" for start, end in sections[:-1])
    document = Document("long.txt", text)
    merged = extract_in_sections(document, knowledge, 20_000)
    assert merged.statements and merged.claims
    for item in [*merged.statements, *merged.claims]:
        assert text[item.span.start:item.span.end] == item.span.quote
    keys = {claim.key for claim in merged.claims}
    assert all(key in keys for statement in merged.statements for key in statement.evidence)
    first = extract_document(Document("long.txt", text[:sections[0][1]]), knowledge)
    assert {m.agent_id for m in merged.mentions if m.role == "author"} == \
        {m.agent_id for m in first.mentions if m.role == "author"}  # the document's authors: those of its start
    short = Document("short.txt", text[:15_000])
    assert extract_in_sections(short, knowledge, 20_000) == extract_document(short, knowledge)


def test_a_long_document_costs_linear_work_and_memory(monkeypatch):
    import tracemalloc

    from carekg.extract import sections
    from carekg.build import extract_to_lines
    from carekg.vocab.model import Document

    monkeypatch.setattr(sections, "SECTION_CHARS", 25_000)  # scaled down from 500,000
    extract_to_lines(Document("warm.txt", long_text(5_000)))  # matchers built once, outside the count

    def cost(characters: int) -> tuple[int, int]:
        document = Document("long.txt", long_text(characters))
        calls = counted_calls(lambda: extract_to_lines(document))
        tracemalloc.start()
        extract_to_lines(document)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return calls, peak

    (small_work, small_memory), (large_work, large_memory) = cost(100_000), cost(200_000)
    assert_linear(small_work, large_work, "a long document's extraction")
    assert large_memory < 3 * small_memory, f"memory {small_memory:,} then {large_memory:,} bytes"


def test_validation_of_a_large_document_samples_by_size(tmp_path, monkeypatch):
    from carekg import build as build_module

    hand_coded(monkeypatch)
    monkeypatch.setattr(build_module, "VALIDATE_MAX_TRIPLES", 6_000)
    corpus = tmp_path / "corpus"
    write(corpus, "long.txt", "".join(f"We urge action number {i}.\n" for i in range(1_500)))
    write(corpus, "short.txt", "We urge action.\n")
    summary = build(corpus, tmp_path / "out")
    assert summary.validation.startswith("conforms (sample of ")
    assert summary.validation.endswith(" triples; carekg validate checks all)")
    scope = json.loads((tmp_path / "out" / "build-report.json").read_text())["validation_scope"]
    assert not scope["whole_graph"] and scope["triples"] < scope["of_triples"]
    sampled = {f["file"]: f for f in scope["files"]}
    assert sampled["long.txt"]["triples"] < sampled["long.txt"]["of_triples"]
    assert run_cli("validate", tmp_path / "out" / "graph.ttl").output.strip().endswith("conforms to the carekg shapes")


# --- smaller attacks ----------------------------------------------------------------------------------------

def test_an_impossible_date_is_one_warning_naming_the_file(tmp_path, monkeypatch):
    hand_coded(monkeypatch)
    result = build_files(tmp_path, {"a.txt": "We urge the government to act.\n",
                                    "manifest.csv": "file,title,published\na.txt,A,2021-02-30\n"})
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: a.txt: manifest row 2: published '2021-02-30' is not a date that exists (left out)"]
    assert "conforms" in result.output
    issued = carekg.load(tmp_path / "out" / "graph.ttl").query("SELECT ?date WHERE { ?d dcterms:issued ?date }")
    assert issued.empty


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf_16_and_32_with_a_byte_order_mark_are_read(tmp_path, encoding):
    text = "Children\u2019s services: we urge the government to act \u2014 now.\n"
    data = text.encode(encoding)
    if not encoding.endswith(("16", "32")):
        data = {"utf-16-be": "\ufeff".encode("utf-16-be"), "utf-32-be": "\ufeff".encode("utf-32-be")}[encoding] + data
    write(tmp_path, "doc.txt", data)
    (document,) = read_corpus(tmp_path).documents
    assert document.text == text


def test_output_problems_are_one_error_line(tmp_path, monkeypatch):
    write(tmp_path / "corpus", "a.txt", "We urge the government to act.\n")
    (tmp_path / "a-file").write_text("x")
    result = run_cli("build", tmp_path / "corpus", "-o", tmp_path / "a-file")
    assert (result.exit_code, result.output.splitlines()[-1]) == (1, f"Error: the output folder '{tmp_path / 'a-file'}' is a file")

    import tempfile

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    result = run_cli("build", tmp_path / "corpus", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert re.fullmatch(r"Error: cannot write '.*': Permission denied", result.output.splitlines()[-1]), result.output
    result = run_cli("export", "statements", ROOT / "tests" / "data" / "tiny-golden.ttl", "-o", tmp_path / "x.csv")
    assert result.output.splitlines()[-1] == f"Error: cannot write '{tmp_path / 'x.csv'}': Permission denied"


def test_a_full_disk_is_one_error_line(tmp_path, monkeypatch):
    from carekg import build as build_module

    def full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "stage_file", full)
    result = build_files(tmp_path, {"a.txt": "We urge the government to act.\n"})
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"Error: cannot write '{tmp_path / 'out'}': No space left on device"


def test_text_that_no_utf8_can_hold_is_repaired_with_a_warning(tmp_path, monkeypatch):
    from carekg.ingest.corpus import LOADERS, Loaded

    monkeypatch.setitem(LOADERS, ".pdf", lambda data, file: Loaded("We urge \udc80 action.", []))  # a broken font table
    write(tmp_path, "odd.pdf", b"%PDF-1.4 whatever")
    corpus = read_corpus(tmp_path)
    assert corpus.documents[0].text == "We urge \ufffd action."
    assert corpus.outcomes["odd.pdf"].lines() == ["warning: odd.pdf: characters no UTF-8 can hold replaced by U+FFFD"]
