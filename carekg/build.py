"""The main job: corpus folder → extraction → graph, exports and a build report.

Documents are independent, so extraction runs per document, optionally in
worker processes (``jobs``); each worker returns the document's N-Triples,
sorted, and the parent concatenates them in file order (de-duplicating the few
lines documents share), so ``jobs=N`` gives byte-identical output to ``jobs=1``.
Bulk graph work goes through pyoxigraph (Turtle writing, the store the exports
query), not rdflib, whose pure-Python speed does not scale to millions of
triples.

Once the graph is built, its outputs are independent of one another. Turtle
and the on-disk store are written from the N-Triples parts on disk, in spawned
worker processes (with ``jobs`` > 1) that start as soon as the parts are final.
The CSV exports, the views and the canned answers query the graph in this
process meanwhile: in an in-memory store up to ``MEMORY_STORE_MAX_TRIPLES``
(three to four times faster than the on-disk store for these whole-graph
queries), in the on-disk store above it, so that the graph itself is not held in
memory (the views' table of statements still is). They are not forked to share the in-memory store: a pyoxigraph scan in
a forked child writes to most of the store's pages (1.7 GB of 2.0 GB copied
after one full scan at 10,000 documents), so each would hold a copy. Every
output is written as it is made, into the build's scratch folder inside the
output folder; when all are done they are renamed into place together. A failed or
interrupted build removes what it staged and leaves the previous outputs as
they were.
"""

from __future__ import annotations

import collections
import contextlib
import json
import multiprocessing
import os
import shutil
import tempfile
import time
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from carekg import __version__
from carekg.errors import CareKGError, OutputError
from carekg.extract.recogniser import corpus_examples, decision_examples
from carekg.graph.buildcheck import Candidate, Validation, sample_document
from carekg.graph.triples import (document_slug, extraction_utf8_lines, ontology_triples, output_errors, run_triples,
                                  stage_file, staged_stream, to_ntriples_lines, write_turtle)
from carekg.ingest.corpus import CORRECTIONS_NAME, DEFAULT_MAX_BYTES, FileOutcome, display_name, read_corpus
from carekg.networks.export import EXPORT_KINDS, export_stream, write_csv
from carekg.review.conflicts import ConflictFinder, find_conflicts
from carekg.review.corrections import read_corrections
from carekg.review.decisions import CorrectionsOutcome, apply_corrections
from carekg.stopping import deferred_signals, stop_on_signals, terminate_workers, timed_call
from carekg.store.answers import write_answers
from carekg.store.disk import ANSWERS, GRAPH_NAME, STORE_DIR, check_store_place, swap_into_place, write_record, write_store
from carekg.view.render import build_views
from carekg.vocab.knowledge import load_knowledge
from carekg.vocab.model import Document
from carekg.vocab.namespace import CL, DOC, ST

__all__ = ["DocumentResult", "BuildSummary", "build", "extract_to_lines", "check_jobs", "write_outputs", "find_conflicts"]

Progress = Callable[[int, int], None]
# pyshacl with these shapes costs ~1 s per 10k triples here (parse + validate). Up to
# this size the whole graph is checked; above it, the ontology plus an evenly
# spread sample of documents of about this size, so the check stays a few seconds.
VALIDATE_MAX_TRIPLES = 25_000
# pyoxigraph's in-memory store takes about 350 bytes a triple (2.1 GB for the 6 million triples of
# 10,000 synthetic documents). Up to this size the outputs query the graph in memory; above it, in
# the on-disk store, three to four times slower, without holding the graph in memory.
MEMORY_STORE_MAX_TRIPLES = 8_000_000


@dataclass
class DocumentResult:
    """What one worker returns for one document: its triples as UTF-8 N-Triples.

    ``own`` holds the lines whose subject is this document's own (its ``doc:``,
    ``st:`` and ``cl:`` IRIs embed the document's slug, so no other document
    can produce them) as one sorted blob: cheap to send between processes and
    to concatenate. ``shared`` holds the few lines other documents may repeat
    (agents found in text, emergent proposals), which the parent de-duplicates.
    """

    file: str
    own: bytes | bytearray = b""
    shared: tuple[bytes, ...] = ()
    agents: frozenset[str] = frozenset()
    statements: int = 0
    claims: int = 0
    error: str | None = None

    @property
    def lines(self) -> list[str]:
        """Every line, sorted (for tests and debugging)."""
        return sorted(line.decode("utf-8") for line in (*split_lines(self.own), *self.shared))


def split_lines(blob: bytes) -> list[bytes]:
    """N-Triples lines of a blob, each with its newline.

    Only ``\\n`` ends a line: ``bytes.splitlines`` would also split at a raw
    form feed or record separator, which N-Triples allows inside strings.
    """
    return [line + b"\n" for line in blob.split(b"\n")[:-1]]


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
    violations: int | None = None  # SHACL violations found by the build's check (None: not run)
    validation_scope: dict | None = None  # what the check covered (the whole graph or a sample)
    files: dict[str, Path] = field(default_factory=dict)
    corrections: CorrectionsOutcome | None = None  # None: the corpus has no corrections.csv
    # one actor both for and against one proposal in one document, for an analyst to review (find_conflicts)
    conflicts: list[dict] = field(default_factory=list)

    @property
    def problems(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in ("failed", "warning", "skipped")]

    @property
    def failed(self) -> bool:
        return any(o.status == "failed" for o in self.outcomes) or bool(self.corrections and self.corrections.failed)

    @property
    def failed_inputs(self) -> str:
        """What failed, for the closing line: files, corrections, or files and corrections."""
        files = any(o.status == "failed" for o in self.outcomes)
        corrections = bool(self.corrections and self.corrections.failed)
        return " and ".join(what for what, failed in (("files", files), ("corrections", corrections)) if failed)

    def failure(self) -> str | None:
        """Why the build should exit non-zero (failed files, an invalid graph), or None."""
        reasons = []
        if self.failed:
            reasons.append(f"some {self.failed_inputs} failed (listed above; see build-report.json)")
        if self.violations:
            reasons.append(f"the graph has {self.violations} SHACL violation(s) (run carekg validate {self.out / 'graph.ttl'})")
        return "; ".join(reasons) + "; --keep-going to accept" if reasons else None

    def problem_lines(self) -> list[str]:
        """One line per problem, naming the file: ``failed: empty.txt: empty file``."""
        lines = [line for outcome in self.problems for line in outcome.lines()]
        return lines + (self.corrections.problem_lines() if self.corrections else [])

    def conflict_line(self) -> str | None:
        """A summary line when some actor holds both stances on a proposal in one document, else None."""
        if not self.conflicts:
            return None
        documents = len({c["document"] for c in self.conflicts})
        return (f"{len(self.conflicts)} conflicting stance(s) to review in {documents} document(s): an actor both "
                f"supports and opposes a proposal (see conflicts in build-report.json)")

    def counts(self) -> dict[str, int]:
        counts = {"built": 0, "warning": 0, "failed": 0, "skipped": 0}
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        return counts


def extract_to_lines(document: Document) -> DocumentResult:
    """Extract one document and return its triples as N-Triples (runs in workers).

    A long document is extracted in sections (:mod:`carekg.extract.sections`), so its
    cost stays linear in its length.
    """
    from carekg.extract.sections import extract_in_sections

    knowledge = load_knowledge()
    try:
        extraction = extract_in_sections(document, knowledge)
        lines = extraction_utf8_lines(extraction, knowledge)
        result = DocumentResult(document.file, agents=frozenset(extraction.agents),
                                statements=len(extraction.statements), claims=len(extraction.claims))
        del extraction
        own_subjects = tuple(f"<{base}{document_slug(document.file)}{end}".encode("utf-8")
                             for base, end in ((DOC, "> "), (ST, "/"), (CL, "/")))
        # Each line is let go once copied into the document's blob, so a long document's lines
        # and its blob are never both whole in memory (a bytearray grows in place).
        own, shared = bytearray(), []
        for index, line in enumerate(lines):
            lines[index] = b""
            if line.startswith(own_subjects):
                own += line
            else:
                shared.append(line)
        del lines
        result.own, result.shared = own, tuple(shared)
    except Exception as exc:  # one bad document must not sink the corpus (a MemoryError, text no UTF-8 can hold …)
        return DocumentResult(document.file, error=f"extraction failed ({type(exc).__name__}: {exc})")
    return result


def _extract_all(documents: list[Document], jobs: int, progress: Progress | None) -> Iterator[DocumentResult]:
    """Results in document order, whatever the number of workers."""
    total = len(documents)
    if jobs <= 1 or total < 2:
        for index, document in enumerate(documents, start=1):
            yield extract_to_lines(document)
            if progress:
                progress(index, total)
        return
    # The first document is done here, so the extractor's matchers are built once and
    # forked workers inherit them instead of each building their own.
    yield extract_to_lines(documents[0])
    if progress:
        progress(1, total)
    # Chunks amortise pickling; small enough that the progress bar still moves. A few chunks per
    # worker are in flight at a time, submitted in order and read back in order.
    chunksize = max(1, min(64, total // (jobs * 8)))
    chunks = [documents[start:start + chunksize] for start in range(1, total, chunksize)]
    pool = ProcessPoolExecutor(max_workers=jobs)
    pending: collections.deque = collections.deque()
    submitted, index, stopped = 0, 1, False
    try:
        while pending or submitted < len(chunks):
            while submitted < len(chunks) and len(pending) < 4 * jobs:
                pending.append(pool.submit(_extract_chunk, chunks[submitted]))
                submitted += 1
            for result in pending.popleft().result():
                index += 1
                yield result
                if progress:
                    progress(index, total)
    except BrokenProcessPool as exc:
        raise CareKGError(f"a worker process died during extraction (out of memory?); try fewer --jobs ({exc})") from exc
    except BaseException:  # stopped (a signal, Ctrl-C, an error): the workers' work is not wanted
        stopped = True
        terminate_workers(pool)
        raise
    finally:
        # Once its workers are gone the pool fails its pending work itself (cancelling it too would race that).
        pool.shutdown(wait=True, cancel_futures=not stopped)


def _extract_chunk(documents: list[Document]) -> list[DocumentResult]:
    return [extract_to_lines(document) for document in documents]


@dataclass
class _Extracted:
    """What the parent keeps of the extraction: everything but the documents' own triples (spooled)."""

    header: list[bytes]  # ontology, codebook, registry and run, sorted
    shared: list[bytes]  # lines several documents may produce, each once
    sample: list[Candidate]  # candidate documents for the SHACL sample


# Documents kept as SHACL-sample candidates: about this many, evenly spread.
SAMPLE_CANDIDATES = 400


def _extract_corpus(corpus, jobs: int, progress: Progress | None, spool: Path, summary: BuildSummary,
                    sample: bool = True) -> _Extracted:
    """Extract every document, append each one's own triples to ``spool`` in file order; count into ``summary``.

    With ``sample``, an evenly spread set of documents is kept for the SHACL check: of a long
    one, only as many of its triples as the check could ever use.
    """
    header = [line.encode("utf-8") for line in to_ntriples_lines([*ontology_triples(), *run_triples()])]
    seen: set[bytes] = set(header)
    extracted = _Extracted(header, [], [])
    stride = max(1, len(corpus.documents) // SAMPLE_CANDIDATES)
    agents: set[str] = set()
    own_triples = 0
    with output_errors(spool):
        stream = spool.open("wb")
    with stream, contextlib.closing(_extract_all(corpus.documents, jobs, progress)) as results:
        for index, result in enumerate(results):
            if result.error:
                corpus.note(result.file, "failed", result.error)
                continue
            with output_errors(spool):
                stream.write(result.own)
            lines = result.own.count(b"\n")
            own_triples += lines
            for line in result.shared:
                if line not in seen:
                    seen.add(line)
                    extracted.shared.append(line)
            if sample and index % stride == 0:
                own = result.own if lines <= VALIDATE_MAX_TRIPLES else \
                    b"".join(sample_document(result.own, VALIDATE_MAX_TRIPLES))
                extracted.sample.append(Candidate(result.file, own, result.shared, lines))
            agents |= result.agents
            summary.documents += 1
            summary.statements += result.statements
            summary.claims += result.claims
    summary.organisations = len(agents)
    summary.outcomes = sorted(corpus.outcomes.values(), key=lambda o: o.file)
    summary.triples = len(header) + len(extracted.shared) + own_triples
    return extracted


def build(
    source: Path | str,
    out: Path | str,
    *,
    jobs: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    validate: bool = True,
    progress: Progress | None = None,
    stage: Callable[[str], None] | None = None,
) -> BuildSummary:
    """Build the graph of every document below ``source`` into the folder ``out``.

    Bad input files never raise: each gets an outcome in the summary and in
    ``OUT/build-report.json``. Raises ``CareKGError`` only when nothing
    sensible can be built (no such folder, an output that cannot be written,
    a worker process died, SIGTERM or SIGHUP: the build then stops its workers
    and removes its temporary folder, as on Ctrl-C).
    """
    with stop_on_signals():
        return _build(Path(source), Path(out), jobs, max_bytes, validate, progress, stage)


def _build(source: Path, out: Path, jobs: int, max_bytes: int, validate: bool, progress: Progress | None,
           stage: Callable[[str], None] | None = None) -> BuildSummary:
    check_jobs(jobs)
    started = datetime.now(timezone.utc)
    stages = _Stages(stage)
    summary = BuildSummary(source=source, out=out)

    with stages("load"):
        load_knowledge()  # parsed once here; forked workers inherit the cache
        corpus = read_corpus(source, max_bytes=max_bytes, exclude=[out])

    checking: Validation | None = None
    store_scratch: tempfile.TemporaryDirectory | None = None
    scratch: str | None = None  # the build's scratch folder in out: spooled triples, what the workers write
    outputs: dict[str, bytes | Path] = {}  # bytes, or files the output tasks staged in the scratch folder
    try:
        # Documents' N-Triples go to a scratch file as they arrive (in file order), so
        # the parent never holds the whole graph as text: the store and Turtle read it.
        if out.exists() and not out.is_dir():
            raise OutputError(f"the output folder '{out}' is a file")
        with output_errors(out):
            out.mkdir(parents=True, exist_ok=True)
            scratch = tempfile.mkdtemp(prefix=".carekg-build-", dir=out)
        # Removed at the very end (finally, below), after the outputs staged in it are renamed into place.
        with contextlib.nullcontext(scratch) as scratch:
            spool = Path(scratch) / "documents.nt"
            with stages("extract"), corpus_examples(_decision_examples(source, corpus)):
                extracted = _extract_corpus(corpus, jobs, progress, spool, summary, sample=validate)
                corpus.documents.clear()  # their text is in the spool now; free it before the store grows

            # SHACL runs on a second core while this one writes Turtle, CSVs and views (with
            # corrections, once they are applied, so that it checks the corrected graph).
            corrections_file = source / CORRECTIONS_NAME
            has_corrections = corrections_file.is_file()
            header = extracted.header
            if validate:
                with stages("validate"):
                    checking = Validation(header, extracted.sample, summary.triples, summary.documents,
                                          VALIDATE_MAX_TRIPLES, background=jobs > 1)
                    if not has_corrections:
                        checking.start()

            # The outputs written from the graph's N-Triples parts alone (Turtle, the on-disk store)
            # go to worker processes as soon as the parts are final; the ones that query the graph
            # run here meanwhile, on the in-memory store (see the module's docstring).
            with output_errors(out):
                store_scratch = tempfile.TemporaryDirectory(prefix=".carekg-build-store-", dir=out)
            staged_store = Path(store_scratch.name) / STORE_DIR
            writers = _Outputs(jobs, stages)

            # Up to MEMORY_STORE_MAX_TRIPLES the graph is queried in memory; a larger one is queried in
            # the on-disk store, written first, so that memory does not grow with the corpus.
            in_memory = summary.triples <= MEMORY_STORE_MAX_TRIPLES

            def write_files(parts: list[Path]) -> None:
                writers.start(([_Task("store", write_store, (parts, staged_store))] if in_memory else [])
                              + [_Task("serialise", write_turtle, (parts, Path(scratch) / GRAPH_NAME))])

            with stages("graph"):
                # A canonical N-Triples text without sorting millions of lines: the ontology
                # and the shared lines sorted, then each document's sorted block in file order.
                # Same inputs, same bytes, whatever the number of workers.
                head = Path(scratch) / "head.nt"
                with output_errors(head):
                    head.write_bytes(b"".join([*header, *sorted(extracted.shared)]))
                del extracted
                if not has_corrections:
                    write_files([head, spool])  # forked before the store grows: the workers share none of it
                if in_memory:
                    store = _store_from_ntriples(head, spool)
                else:
                    with stages("store"):
                        write_store([head, spool], staged_store)
                    store = _open_disk_store(staged_store)  # corrections, if any, are applied to it

            if has_corrections:
                with stages("corrections"):
                    summary.corrections = apply_corrections(store, corrections_file)
                    delta = summary.corrections.delta
                    removed = {line.encode("utf-8") for line in delta.remove}
                    added = Path(scratch) / "added.nt"
                    with output_errors(added):
                        added.write_bytes(b"".join(line.encode("utf-8") for line in delta.add))
                    # The analysts' lines come last, as a sorted block of their own.
                    write_files([head, _without(spool, removed), added])
                    summary.triples += len(delta.add) - len(removed)
                if checking is not None:
                    with stages("validate"):
                        checking.start((removed, [line.encode("utf-8") for line in delta.add]))

            try:
                with output_errors(out):  # a full disk, a folder in the way: one line naming the folder
                    exports, summary.conflicts = writers.run("export", _write_exports, store, Path(scratch))
                    outputs.update(exports)
                    outputs.update(writers.run("views", _write_views, store, Path(scratch)))
                    answers_folder = Path(scratch) / "answers"
                    answers_folder.mkdir()
                    writers.run("answers", write_answers, store, answers_folder)  # canned listings, paged in milliseconds
                    del store
                    with stages("outputs"):  # the wait for the workers, when they are still writing
                        outputs[GRAPH_NAME] = writers.finish()["serialise"]
            finally:
                writers.close()
            with output_errors(staged_store):
                # Kept in the store's folder. A move within the staging area, not an output put in place:
                # the outputs' own renames are write_outputs' os.replace, where a signal waits for them all.
                (answers_folder / ANSWERS).rename(staged_store / ANSWERS)

        if checking is not None:
            with stages("validate"):  # only the wait, when it ran in the background
                summary.validation = checking.result()
                summary.violations = checking.violations()
                summary.validation_scope = checking.scope.report()
        if checking is not None:
            checking.close()
        checking = None

        outputs["build-report.json"] = _report(summary)
        with stages("write"), output_errors(out):
            summary.files.update(write_outputs(out, outputs, staged_store))
    except BaseException:
        if checking is not None:
            checking.close(terminate=True)  # a failed or stopped build must not leave a validating process behind
        raise
    finally:
        if store_scratch is not None:
            store_scratch.cleanup()  # the staged store, or the previous one it replaced
        if scratch is not None:  # with what the output tasks staged in it, unless renamed into place
            shutil.rmtree(scratch, ignore_errors=True)
    summary.seconds = stages.seconds
    finished = datetime.now(timezone.utc)
    run_record = {
        "software": "carekg", "version": __version__, "source": display_name(str(source)), "out": display_name(str(out)),
        "jobs": jobs,
        "started": started.isoformat(timespec="seconds"), "finished": finished.isoformat(timespec="seconds"),
        "seconds": {k: round(v, 3) for k, v in summary.seconds.items()},
    }
    with output_errors(out):
        run_json = (json.dumps(run_record, indent=2) + "\n").encode("utf-8")
        summary.files.update(write_outputs(out, {"run.json": run_json}))
    return summary


@dataclass
class _Task:
    """One output of the build: ``function(*arguments)``, timed as the stage ``name``."""

    name: str
    function: Callable[..., Any]
    arguments: tuple


class _Outputs:
    """Runs the build's output tasks: some in worker processes, the others here, all timed as stages.

    :meth:`start` hands tasks to spawned workers (with ``jobs`` > 1; otherwise
    they run at :meth:`finish`); :meth:`run` runs one here at once. Each task
    writes its files itself, in the build's scratch folder (removed with
    whatever is left in it when the build ends), and returns their paths and
    its small results, never the outputs' bytes. An error or a signal stops
    the workers at once.
    """

    def __init__(self, jobs: int, stages: "_Stages") -> None:
        self._jobs, self._stages = jobs, stages
        self._later: list[_Task] = []
        self._running: dict[Any, str] = {}
        self._pool: ProcessPoolExecutor | None = None

    def start(self, tasks: list[_Task]) -> None:
        if self._jobs <= 1:
            self._later += tasks
            return
        # Spawned, not forked: the workers need only the files the tasks name, and a process forked
        # while this one runs threads (the SHACL check's pool) can inherit a lock held forever.
        # One core is this process's, which queries the graph meanwhile; the workers share the others.
        self._pool = ProcessPoolExecutor(max_workers=max(1, min(self._jobs - 1, len(tasks))),
                                         mp_context=multiprocessing.get_context("spawn"))
        for task in tasks:
            self._running[self._pool.submit(timed_call, task.function, *task.arguments)] = task.name

    def run(self, name: str, function: Callable[..., Any], *arguments: Any) -> Any:
        with self._stages(name):
            return function(*arguments)

    def finish(self) -> dict[str, Any]:
        """The results of the tasks given to :meth:`start`, by name, once all are done."""
        results = {task.name: self.run(task.name, task.function, *task.arguments) for task in self._later}
        pending = set(self._running)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_EXCEPTION)
                for future in done:
                    if future.exception() is None:
                        name = self._running[future]
                        results[name], self._stages.seconds[name] = future.result()
                for future in done:
                    future.result()  # a failed task: its error, here
        except BrokenProcessPool as exc:
            raise CareKGError(f"a worker process died while writing the outputs (out of memory?); "
                              f"try fewer --jobs ({exc})") from exc
        return results

    def close(self) -> None:
        """Stop the workers (at once, when the build is being abandoned) and release the pool."""
        if self._pool is None:
            return
        unfinished = any(not future.done() for future in self._running)
        if unfinished:
            terminate_workers(self._pool)
        self._pool.shutdown(wait=True, cancel_futures=unfinished)
        self._pool = None


def _write_exports(store: Any, folder: Path) -> tuple[dict[str, Path], list[dict]]:
    """The CSV exports, staged in ``folder``, each row written as it is read; the statements' conflicts
    found on the way."""
    files: dict[str, Path] = {}
    finder = ConflictFinder()
    for kind in EXPORT_KINDS:
        columns, rows = export_stream(store, kind)
        if kind == "statements":  # the graph as corrected: a statement an analyst rejected is no conflict
            rows = _noting(rows, finder.add)
        with staged_stream(folder / f"{kind}.csv") as (stream, staged):
            write_csv(columns, rows, stream)
        files[f"{kind}.csv"] = staged
    return files, finder.conflicts()


def _noting(rows: Iterator[dict], note: Callable[[dict], None]) -> Iterator[dict]:
    for row in rows:
        note(row)
        yield row


def _write_views(store: Any, folder: Path) -> dict[str, Path]:
    """The agreement and divergence pages, staged in ``folder``."""
    return {name: stage_file(folder / name, page) for name, page in build_views(store).items()}


class _Stages:
    """Times named stages: ``with stages("load"): …`` adds to ``seconds["load"]`` (stages may nest)."""

    def __init__(self, report: Callable[[str], None] | None = None) -> None:
        self.seconds: dict[str, float] = {}
        self._next = ""
        self._open: list[tuple[str, float]] = []
        self._report = report  # told each stage's name as it starts (the CLI shows it on a terminal)

    def __call__(self, name: str) -> "_Stages":
        self._next = name
        return self

    def __enter__(self) -> None:
        self._open.append((self._next, time.perf_counter()))
        if self._report is not None:
            self._report(self._next)

    def __exit__(self, *exc_info: object) -> None:
        name, started = self._open.pop()
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def write_outputs(out: Path, outputs: dict[str, bytes | Path], store: Path | None = None) -> dict[str, Path]:
    """Write every output atomically, as a set as far as a file system allows; return their paths.

    Every file is first written in full beside its target (an output given
    as a path is such a file already, staged in ``out``); only when all are
    on disk are they renamed into place. A failure while writing (a full disk)
    therefore replaces nothing, and the renames themselves take microseconds.
    ``store``, a store folder written elsewhere in ``out``, is recorded as the
    store of the staged ``graph.ttl`` and swapped into ``out/store`` with them.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for name in sorted(outputs):
            content = outputs[name]
            staged.append((content if isinstance(content, Path) else stage_file(out / name, content), out / name))
        if store is not None:
            check_store_place(out / STORE_DIR)  # before any rename: all outputs are replaced, or none
            graph = next(temporary for temporary, final in staged if final.name == GRAPH_NAME)
            write_record(store, graph, GRAPH_NAME)
        with deferred_signals():  # SIGTERM now would leave the outputs half replaced: it waits a moment
            for temporary, final in staged:
                os.replace(temporary, final)
            if store is not None:
                swap_into_place(store, out / STORE_DIR)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    files = {final.name: final for _, final in staged}
    if store is not None:
        files[STORE_DIR] = out / STORE_DIR
    return files


def _without(spool: Path, removed: set[bytes]) -> Path:
    """The spool without the lines corrections remove, as a file beside it (the spool itself when none)."""
    if not removed:
        return spool
    kept = spool.with_name("corrected.nt")
    with spool.open("rb") as lines, kept.open("wb") as out:
        out.writelines(line for line in lines if line not in removed)  # lines end at b"\n" only, as in N-Triples
    return kept


def _decision_examples(source: Path, corpus) -> list:
    """The analysts' decisions on statements as examples for the proposal
    recogniser (:func:`carekg.extract.recogniser.decision_examples`): a
    reviewed corpus teaches the extractor at its next build. Rows with
    problems teach nothing here; applying the corrections reports them."""
    path = source / CORRECTIONS_NAME
    if not path.is_file():
        return []
    rows, _ = read_corrections(path)
    # statement ids name a document as the graph does (document_slug)
    documents = {document_slug(d.file): (d.file, d.text) for d in corpus.documents}
    return decision_examples(rows, documents, load_knowledge())


def _open_disk_store(folder: Path):
    """The staged on-disk store, open for the outputs' queries (and the corrections' changes)."""
    import pyoxigraph as ox

    with output_errors(folder):
        return ox.Store(str(folder))


def _store_from_ntriples(*parts: bytes | Path):
    """An in-memory pyoxigraph store of N-Triples given as bytes or files (the exports and views query it)."""
    import pyoxigraph as ox

    from carekg.graph.rdfio import load_store

    store = ox.Store()
    for part in parts:
        load_store(part, "nt", store)  # a document's text may be a literal over pyoxigraph's 16 MiB token limit
    return store


def _report(summary: BuildSummary) -> bytes:
    """``build-report.json``: every input file with its outcome and reason, and the counts.

    No timestamps or timings (those are in run.json): the report of the same
    inputs is the same bytes.
    """
    report = {
        "source": display_name(str(summary.source)),
        "counts": summary.counts(),
        "documents": summary.documents,
        "organisations": summary.organisations,
        "statements": summary.statements,
        "claims": summary.claims,
        "triples": summary.triples,
        "validation": summary.validation,
        **({"corrections": summary.corrections.record()} if summary.corrections else {}),
        "validation_scope": summary.validation_scope,
        "conflicts": summary.conflicts,
        "files": [
            {"file": o.file, "status": o.status, "reason": o.reason}
            | ({"problems": [{"status": s, "reason": r} for s, r in o.notes]} if len(o.notes) > 1 else {})
            for o in summary.outcomes
        ],
    }
    return (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def check_jobs(jobs: int) -> int:
    if jobs < 1:
        raise CareKGError("--jobs must be at least 1")
    return jobs
