"""The SHACL check a build runs: the whole graph when small, else a sample bounded by size.

pyshacl costs about 1 s per 10k triples here, so a build checks at most about
``max_triples`` of them: the ontology, plus an evenly spread sample of
documents, and of a document much larger than its share, an evenly spread
sample of its statements and claims (with the claims they cite, so every
reference in the sample resolves). The shapes check how statements, claims and
documents are written, which is the same code for every document, so a sample
catches systematic faults; ``carekg validate GRAPH`` checks everything.

>>> lines = [b"<https://w3id.org/carekg/doc/a> <p> <o> .\\n",
...          b"<https://w3id.org/carekg/statement/a/x/p/0-5> <p> <o> .\\n",
...          b"<https://w3id.org/carekg/statement/a/x/p/0-5/selector> <p> <o> .\\n",
...          b"<https://w3id.org/carekg/statement/a/x/p/9-12> <p> <o> .\\n"]
>>> [line.split(b" ")[0][25:].decode() for line in sample_document(b"".join(lines), 2)]
['doc/a>', 'statement/a/x/p/0-5>', 'statement/a/x/p/0-5/selector>']
"""

from __future__ import annotations

import re
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from carekg.vocab.namespace import CKG, CL, ST

__all__ = ["Candidate", "Validation", "sample_document"]

# A document is checked in part only when it is this much larger than its share of the budget.
PART_FACTOR = 2
# ... and never fewer than this many of its triples are checked.
MIN_PART_TRIPLES = 2_000

_NODE_PARTS = re.compile(rb"/(?:selector|value/\d+)$")
_EVIDENCE = f"<{CKG.evidence}> <".encode()
_ANCHORED = (f"<{ST}".encode(), f"<{CL}".encode())


@dataclass
class Candidate:
    """A document that may be sampled: its own N-Triples (sorted) and the shared lines it produced."""

    file: str
    own: bytes
    shared: tuple[bytes, ...] = ()
    triples: int | None = None  # of the whole document, when ``own`` is already a sample of it

    @property
    def size(self) -> int:
        return self.triples if self.triples is not None else self.own.count(b"\n")


@dataclass
class Scope:
    """What the check covered, for ``build-report.json``."""

    whole_graph: bool
    documents: int
    of_documents: int
    triples: int
    of_triples: int
    files: list[dict] = field(default_factory=list)

    def label(self) -> str:
        if self.whole_graph:
            return "whole graph"
        partial = any(f["triples"] < f["of_triples"] for f in self.files)
        size = f", {self.triples:,} of {self.of_triples:,} triples" if partial else ""
        return f"sample of {self.documents:,} of {self.of_documents:,} documents{size}; carekg validate checks all"

    def report(self) -> dict:
        return {"whole_graph": self.whole_graph, "documents": self.documents, "of_documents": self.of_documents,
                "triples": self.triples, "of_triples": self.of_triples, "files": self.files}


def _node(line: bytes) -> bytes:
    """The statement or claim a line describes (its selector and values belong to it)."""
    return _NODE_PARTS.sub(b"", line[1:line.index(b">")])


def sample_document(own: bytes, budget: int) -> list[bytes]:
    """About ``budget`` of a document's own N-Triples lines: the document node, and evenly spread
    statements and claims with everything they refer to (selectors, values, cited claims)."""
    lines = [bytes(line) + b"\n" for line in own.split(b"\n")[:-1]]  # bytes: hashable, even from a bytearray
    if len(lines) <= budget:
        return lines
    document: list[bytes] = []
    nodes: dict[bytes, list[bytes]] = {}
    for line in lines:
        if line.startswith(_ANCHORED):
            nodes.setdefault(_node(line), []).append(line)
        else:
            document.append(line)
    names = sorted(nodes)
    per_node = max(1, (len(lines) - len(document)) // max(1, len(names)))
    wanted = max(1, (budget - len(document)) // per_node)
    chosen = set(names[::max(1, -(-len(names) // wanted))])
    for name in list(chosen):
        for line in nodes[name]:
            at = line.find(_EVIDENCE)
            if at >= 0:  # keep the claims a sampled statement cites: ckg:evidence must resolve
                chosen.add(_node(line[at + len(_EVIDENCE) - 1:]))
    return document + [line for name in sorted(chosen) if name in nodes for line in nodes[name]]


_OBJECT_IRI = re.compile(rb"> <[^>]*> (<[^>]*>) \.\n$")


def referenced(shared: tuple[bytes, ...], lines: list[bytes], hops: int = 2) -> list[bytes]:
    """The shared lines (agents and emergent proposals found in text) that ``lines`` refer to,
    and those they refer to in turn (a person's organisation): what the shapes' class checks need."""
    by_subject: dict[bytes, list[bytes]] = {}
    for line in shared:
        by_subject.setdefault(line[:line.index(b">") + 1], []).append(line)
    wanted, found = list(lines), []
    for _ in range(hops):
        objects = {match.group(1) for line in wanted if (match := _OBJECT_IRI.search(line))}
        wanted = [line for subject in sorted(objects) for line in by_subject.pop(subject, ())]
        found.extend(wanted)
    return found


class Validation:
    """SHACL validation of the built triples, in a background process or inline."""

    def __init__(self, header: list[bytes], candidates: list[Candidate], triples: int, documents: int,
                 max_triples: int, background: bool):
        if triples <= max_triples and len(candidates) == documents:
            chosen, whole = candidates, True
        else:
            per_document = max(1, (triples - len(header)) // max(1, documents))
            wanted = max(1, (max_triples - len(header)) // per_document)
            chosen, whole = candidates[::max(1, -(-len(candidates) // wanted))], False
        share = max(MIN_PART_TRIPLES, (max_triples - len(header)) // max(1, len(chosen)))
        sample = set(header)
        files = []
        for candidate in chosen:
            own_lines = candidate.size
            if own_lines > PART_FACTOR * share and not whole:
                lines = sample_document(candidate.own, share)
                sample.update(lines)
                sample.update(referenced(candidate.shared, lines))
            else:
                lines = sample_document(candidate.own, own_lines)  # all of it
                sample.update(lines)
                sample.update(candidate.shared)
            files.append({"file": candidate.file, "triples": len(lines), "of_triples": own_lines})
        self.scope = Scope(whole, len(chosen), documents, len(sample), triples, files)
        self._whole = whole
        self._sample = sample
        self._pool: ProcessPoolExecutor | None = None
        if background:
            # The validating process is forked now, while this one is small: forked after the store
            # is built, it would share (and, as far as RSS can tell, double) the store's memory.
            self._pool = ProcessPoolExecutor(max_workers=1)
            self._pool.submit(int)

    def start(self, corrections: tuple[set[bytes], list[bytes]] = (set(), [])) -> None:
        """Check the sample — on a second core while the build writes its outputs, when in the
        background — with the analysts' corrections (lines removed, added) when it is the whole
        graph: a sample of documents is checked as extracted (the analysts' lines may refer to any
        document)."""
        sample = self._sample
        if self._whole:
            removed, added = corrections
            sample = (sample - removed) | set(added)
        text = b"".join(sorted(sample))
        del self._sample
        if self._pool is not None:
            self._future = self._pool.submit(_count_violations, text)
        else:
            self._violations: int | None = _count_violations(text)

    @property
    def label(self) -> str:
        return self.scope.label()

    def violations(self) -> int | None:
        """The number of violations found (waiting for the check); None when the validating process died."""
        if not hasattr(self, "_violations"):
            try:
                self._violations = self._future.result()
            except BrokenProcessPool:
                self._violations = None
        return self._violations

    def result(self) -> str:
        violations = self.violations()
        if violations is None:
            return "not run (the validating process died)"
        if violations:
            return f"{violations} SHACL violation(s) ({self.label}); run carekg validate"
        return f"conforms ({self.label})"

    def close(self, terminate: bool = False) -> None:
        """Stop the background check (at once when ``terminate``: the build is being stopped)."""
        if self._pool is not None:
            if terminate:
                from carekg.stopping import terminate_workers

                terminate_workers(self._pool)
                self._pool.shutdown(wait=True)  # the pool fails its pending work itself; quick once the worker is gone
            else:
                self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _count_violations(ntriples: bytes) -> int:
    from rdflib import Graph

    from carekg.graph.triples import rdflib_triples
    from carekg.graph.validate import validate_graph

    graph = Graph()
    graph.addN((*triple, graph) for triple in rdflib_triples(ntriples))
    return len(validate_graph(graph))
