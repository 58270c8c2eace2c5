"""The build as a library: summary and report, the SHACL check, workers, and what the graph holds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from carekg import build as build_module
from carekg.build import build, check_jobs, extract_to_lines
from carekg.errors import CareKGError
from carekg.graph.triples import extraction_lines
from carekg.vocab.knowledge import load_knowledge
from carekg.vocab.model import Agent, Claim, Document, Extraction, Mention, Quantity, Span

from .conftest import SEEDS
from .test_loaders import TRICKY, write

CKG = "https://w3id.org/carekg/ontology#"


def store_of(path: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def test_summary_report_and_run_record(seed_build_dir):
    report = json.loads((seed_build_dir / "build-report.json").read_text(encoding="utf-8"))
    run = json.loads((seed_build_dir / "run.json").read_text(encoding="utf-8"))
    assert report["counts"] == {"built": 5, "warning": 0, "failed": 0, "skipped": 0}
    assert report["documents"] == 5 and report["statements"] > 0 and report["claims"] > 0
    assert report["validation"] == "conforms (whole graph)"
    assert [f["file"] for f in report["files"]] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert set(run) >= {"software", "version", "started", "finished", "seconds", "jobs"}
    assert {"load", "extract", "graph", "serialise", "export", "write"} <= set(run["seconds"])


def test_triple_count_is_the_graph_size(seed_build_dir):
    report = json.loads((seed_build_dir / "build-report.json").read_text(encoding="utf-8"))
    assert len(store_of(seed_build_dir / "graph.ttl")) == report["triples"]


def test_no_scratch_files_are_left_in_the_output_folder(seed_build_dir):
    assert not [p.name for p in seed_build_dir.iterdir() if p.name.startswith(".")]


def test_loaded_text_survives_the_graph_exactly(tmp_path):
    body = "Title\r\n\r\n" + TRICKY + "\n\tTabbed \\ backslash \"quoted\"\x0c form feed\n"
    write(tmp_path / "corpus", "tricky.txt", body)
    build(tmp_path / "corpus", tmp_path / "out")
    (row,) = store_of(tmp_path / "out" / "graph.ttl").query(f"SELECT ?t WHERE {{ ?d <{CKG}text> ?t }}")
    assert row["t"].value == body


def test_large_graphs_are_checked_on_a_sample(tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "VALIDATE_MAX_TRIPLES", 2_000)
    summary = build(SEEDS, tmp_path / "out", jobs=1)
    assert summary.validation.startswith("conforms (sample of ")
    assert summary.validation.endswith(" of 5 documents; carekg validate checks all)")


def test_validation_in_the_background_gives_the_same_answer(tmp_path):
    assert build(SEEDS, tmp_path / "a", jobs=2).validation == build(SEEDS, tmp_path / "b", jobs=1).validation


def test_validation_can_be_skipped(tmp_path):
    assert build(SEEDS, tmp_path / "out", validate=False).validation == "not run"


def test_a_document_whose_extraction_fails_is_reported_and_the_rest_build(tmp_path, monkeypatch):
    import carekg.extract

    real = carekg.extract.extract_document

    def fragile(document, knowledge):
        if document.file.startswith("001_"):
            raise ValueError("cannot cope")
        return real(document, knowledge)

    monkeypatch.setattr(carekg.extract, "extract_document", fragile)
    summary = build(SEEDS, tmp_path / "out", jobs=1)
    assert summary.documents == 4
    assert [o.line() for o in summary.problems] == [
        "failed: 001_fc93269d284fc68a.txt: extraction failed (ValueError: cannot cope)"
    ]


PARENT = os.getpid()


def _dies(document):
    """In a worker, vanish as an out-of-memory kill would; in the test process, behave."""
    if os.getpid() != PARENT:
        os._exit(9)
    return build_module.DocumentResult(document.file)


def test_a_worker_that_dies_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "extract_to_lines", _dies)
    with pytest.raises(CareKGError, match=r"a worker process died during extraction \(out of memory\?\); try fewer --jobs"):
        list(build_module._extract_all([Document("a.txt", "a"), Document("b.txt", "b"), Document("c.txt", "c")], 2, None))


def test_jobs_must_be_positive():
    with pytest.raises(CareKGError, match="--jobs must be at least 1"):
        check_jobs(0)


def test_progress_is_reported_per_document(tmp_path):
    seen = []
    build(SEEDS, tmp_path / "out", jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 5) for i in range(1, 6)]


def test_agents_found_in_several_documents_are_written_once(tmp_path):
    text = "Example Trust calls for more funding for children's services."
    for name in ("a.txt", "b.txt"):
        write(tmp_path / "corpus", name, text)
    results = [extract_to_lines(Document(name, text)) for name in ("a.txt", "b.txt")]
    assert results[0].shared and results[0].shared == results[1].shared  # each document brings the agent
    build(tmp_path / "corpus", tmp_path / "out")
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert turtle.count("\nag:example-trust a ") == 1  # one subject block, not one per document
    assert turtle.count('skos:prefLabel "Example Trust"') == 1
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    assert len(store_of(tmp_path / "out" / "graph.ttl")) == report["triples"]


def test_document_triples_are_split_into_own_and_shared():
    text = "The Example Trust urges ministers to raise the care leaving age to 25."
    result = extract_to_lines(Document("sub/one.txt", text))
    own = result.own.decode("utf-8").splitlines()
    assert own and all(
        line.startswith(("<https://w3id.org/carekg/doc/sub/one.txt> ", "<https://w3id.org/carekg/statement/sub/one.txt/",
                         "<https://w3id.org/carekg/claim/sub/one.txt/"))
        for line in own
    )
    assert own == sorted(own)
    assert not any(line.decode().startswith("<https://w3id.org/carekg/doc/") for line in result.shared)


def test_quantities_are_valid_decimals():
    knowledge = load_knowledge()
    text = "Spending rose to 10000000000000000 and then to infinity."
    claim = Claim("example", "statistic", Span.of(text, 0, 20),
                  values=(Quantity(1e16, "GBP", "10000000000000000"), Quantity(float("inf"), "GBP", "infinity"),
                          Quantity(0.000001, "percent", "0.000001%")))
    extraction = Extraction(Document("q.txt", text), agents={"example": Agent("example", "Example")},
                            mentions=[Mention("example", "author")], claims=[claim])
    values = [line for line in extraction_lines(extraction, knowledge) if "<https://schema.org/value>" in line]
    assert sorted(line.split(" ", 2)[2] for line in values) == [
        '"0.000001"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n',
        '"10000000000000000"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n',
    ]


def test_a_registry_id_from_the_extractor_keeps_its_registry_description():
    knowledge = load_knowledge()
    agent_id = next(iter(knowledge.agents))
    text = "Some text."
    extraction = Extraction(Document("r.txt", text), agents={agent_id: Agent(agent_id, "A Different Name", kind="person")},
                            mentions=[Mention(agent_id, "author")])
    lines = extraction_lines(extraction, knowledge)
    assert not [line for line in lines if "A Different Name" in line]
