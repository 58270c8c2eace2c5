"""The main job: corpus folder → extraction → graph, exports and a build report.

Documents are independent, so extraction runs per document, optionally in
worker processes (``jobs``); each worker returns N-Triples lines, and the
parent sorts the union, so ``jobs=N`` gives byte-identical output to ``jobs=1``.
Every output is written to a temporary file and renamed into place: a failed
build leaves the previous outputs as they were.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .corpus import DEFAULT_MAX_BYTES, FileOutcome, read_corpus
from .errors import CareKGError
from .export import EXPORT_KINDS, csv_bytes, export_rows
from .graph import extraction_triples, ontology_triples, run_triples, serialise_turtle, to_ntriples_lines, write_atomic
from .knowledge import load_knowledge
from .model import Document

Progress = Callable[[int, int], None]
VALIDATE_MAX_TRIPLES = 300_000


@dataclass
class DocumentResult:
    """What one worker returns for one document."""

    file: str
    lines: list[str] = field(default_factory=list)
    agents: frozenset[str] = frozenset()
    statements: int = 0
    claims: int = 0
    error: str | None = None


@dataclass
class BuildSummary:
    """Counts and outcomes of a build, for the CLI's summary and the report."""

    source: Path
    out: Path
    documents: int = 0
    organisations: int = 0
    statements: int = 0
    claims: int = 0
    triples: int = 0
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    validation: str = "not run"
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def problems(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in ("failed", "warning", "skipped")]

    @property
    def failed(self) -> bool:
        return any(o.status == "failed" for o in self.outcomes)

    def counts(self) -> dict[str, int]:
        counts = {"built": 0, "warning": 0, "failed": 0, "skipped": 0}
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        return counts


def extract_to_lines(document: Document) -> DocumentResult:
    """Extract one document and return its triples as N-Triples lines (runs in workers)."""
    from .extract import extract_document

    knowledge = load_knowledge()
    try:
        extraction = extract_document(document, knowledge)
        lines = to_ntriples_lines(extraction_triples(extraction, knowledge))
    except Exception as exc:  # one bad document must not sink the corpus; reported per file
        return DocumentResult(document.file, error=f"extraction failed ({type(exc).__name__}: {exc})")
    return DocumentResult(
        document.file,
        lines,
        frozenset(extraction.agents),
        len(extraction.statements),
        len(extraction.claims),
    )


def _extract_all(documents: list[Document], jobs: int, progress: Progress | None) -> Iterable[DocumentResult]:
    total = len(documents)
    if jobs <= 1 or total < 2:
        for index, document in enumerate(documents, start=1):
            yield extract_to_lines(document)
            if progress:
                progress(index, total)
        return
    chunksize = max(1, min(64, total // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for index, result in enumerate(pool.map(extract_to_lines, documents, chunksize=chunksize), start=1):
            yield result
            if progress:
                progress(index, total)


def build(
    source: Path | str,
    out: Path | str,
    *,
    jobs: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    validate: bool = True,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build the graph of every document below ``source`` into the folder ``out``."""
    source, out = Path(source), Path(out)
    started = datetime.now(timezone.utc)
    clock = time.perf_counter()
    knowledge = load_knowledge()
    corpus = read_corpus(source, max_bytes=max_bytes)
    summary = BuildSummary(source=source, out=out)
    summary.seconds["load"] = time.perf_counter() - clock

    clock = time.perf_counter()
    lines: set[str] = set(to_ntriples_lines(ontology_triples())) | set(to_ntriples_lines(run_triples()))
    agents: set[str] = set()
    for result in _extract_all(corpus.documents, jobs, progress):
        if result.error:
            corpus.note(result.file, "failed", result.error)
            continue
        lines.update(result.lines)
        agents |= result.agents
        summary.documents += 1
        summary.statements += result.statements
        summary.claims += result.claims
    summary.seconds["extract"] = time.perf_counter() - clock
    summary.organisations = len(agents)
    summary.outcomes = sorted(corpus.outcomes.values(), key=lambda o: o.file)

    clock = time.perf_counter()
    ordered = sorted(lines)
    summary.triples = len(ordered)
    turtle = serialise_turtle(ordered)
    summary.seconds["serialise"] = time.perf_counter() - clock

    clock = time.perf_counter()
    store = _store_from_lines(ordered)
    outputs: dict[str, bytes] = {"graph.ttl": turtle}
    for kind in EXPORT_KINDS:
        columns, rows = export_rows(store, kind)
        outputs[f"{kind}.csv"] = csv_bytes(columns, rows)
    summary.seconds["export"] = time.perf_counter() - clock

    if validate:
        clock = time.perf_counter()
        summary.validation = _validate_lines(ordered)
        summary.seconds["validate"] = time.perf_counter() - clock

    outputs["build-report.json"] = _report(summary)
    for name, data in outputs.items():
        write_atomic(out / name, data)
        summary.files[name] = out / name
    finished = datetime.now(timezone.utc)
    run_record = {
        "software": "carekg", "version": __version__, "source": str(source), "out": str(out), "jobs": jobs,
        "started": started.isoformat(timespec="seconds"), "finished": finished.isoformat(timespec="seconds"),
        "seconds": {k: round(v, 3) for k, v in summary.seconds.items()},
    }
    write_atomic(out / "run.json", (json.dumps(run_record, indent=2) + "\n").encode("utf-8"))
    summary.files["run.json"] = out / "run.json"
    return summary


def _store_from_lines(lines: list[str]):
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _validate_lines(lines: list[str]) -> str:
    """SHACL-validate in memory when the graph is small enough for pyshacl to be quick."""
    if len(lines) > VALIDATE_MAX_TRIPLES:
        return f"skipped (over {VALIDATE_MAX_TRIPLES:,} triples; run carekg validate)"
    from rdflib import Graph

    from .validate import validate_graph

    graph = Graph()
    graph.parse(data="".join(lines), format="nt")
    violations = validate_graph(graph)
    return "conforms" if not violations else f"{len(violations)} SHACL violation(s); run carekg validate"


def _report(summary: BuildSummary) -> bytes:
    report = {
        "source": str(summary.source),
        "counts": summary.counts(),
        "documents": summary.documents,
        "organisations": summary.organisations,
        "statements": summary.statements,
        "claims": summary.claims,
        "triples": summary.triples,
        "validation": summary.validation,
        "files": [{"file": o.file, "status": o.status, "reason": o.reason} for o in summary.outcomes],
    }
    return (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def check_jobs(jobs: int) -> int:
    if jobs < 1:
        raise CareKGError("--jobs must be at least 1")
    return jobs
