"""Records → RDF triples, and reading/writing graph files.

Triples are produced per document (so documents can be extracted in parallel
and written as they come); writing goes through pyoxigraph, which serialises
Turtle ~20× faster than rdflib, from a sorted triple list so that two builds of
the same inputs are byte-identical.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import urllib.parse
from decimal import Decimal
from pathlib import Path
from typing import IO, Iterable, Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from carekg import __version__
from carekg.errors import GraphError, OutputError
from carekg.vocab.knowledge import Knowledge, ontology_dir
from carekg.vocab.model import UNKNOWN_AUTHOR_ID, Agent, Claim, Extraction, Span, Statement
from carekg.vocab.namespace import AG, CB, CKG, CL, DCTERMS, DOC, EM, FOAF, OA, ORG, PREFIXES, PROV, RDF, RUN, SDO, SKOS, ST, XSD

Triple = tuple[Node, Node, Node]

STANCES = {"support": CKG.Support, "oppose": CKG.Oppose}
CLAIM_KINDS = {"statistic": CKG.Statistic, "research-finding": CKG.ResearchFinding, "assertion": CKG.Assertion}
ORGANISATION_TYPES = {
    "charity": CKG.Charity, "public-body": CKG.PublicBody, "review": CKG.Review, "government": CKG.Government,
    "university": CKG.University, "parliamentary-group": CKG.ParliamentaryGroup, "media": CKG.Media,
}
ROLE_PROPERTIES = {"author": DCTERMS.creator, "speaker": CKG.speaker, "mentioned": SDO.mentions, "cited-source": CKG.citesSource}
ONTOLOGY_FILES = ("carekg.ttl", "codebook.ttl", "organisations.ttl")

_UNSAFE = re.compile(r"[^A-Za-z0-9._~/-]+")


def slug(value: str) -> str:
    """An IRI-safe, readable local name; a short hash keeps distinct names distinct.

    >>> slug("000_abc.txt")
    '000_abc.txt'
    >>> slug("My report (final).pdf")
    'My-report-final-.pdf-3f8c16'
    """
    cleaned = _UNSAFE.sub("-", value).strip("/") or "x"
    if cleaned == value:
        return cleaned
    return f"{cleaned}-{hashlib.sha1(value.encode('utf-8')).hexdigest()[:6]}"


def document_slug(file: str) -> str:
    """A document's local name: its path relative to the corpus root, percent-encoded.

    Collision-free (distinct paths give distinct names, unlike a short hash of a
    cleaned name) and stable across builds; ordinary names are unchanged.

    >>> document_slug("000_abc.txt"), document_slug("reports/a b.txt")
    ('000_abc.txt', 'reports/a%20b.txt')
    >>> document_slug("report)] x.txt") != document_slug("report(,= x.txt")
    True
    """
    return urllib.parse.quote(file.encode("utf-8", "surrogateescape"), safe="/")


def document_iri(file: str) -> URIRef:
    return DOC[document_slug(file)]


def agent_iri(agent_id: str) -> URIRef:
    return CKG.UnknownAuthor if agent_id == UNKNOWN_AUTHOR_ID else AG[slug(agent_id)]


def proposal_iri(proposal_id: str) -> URIRef:
    if proposal_id.startswith("emergent:"):
        return EM[slug(proposal_id.split(":", 1)[1])]
    return CB[proposal_id]


def run_iri() -> URIRef:
    return RUN[f"carekg-{__version__}"]


def statement_iri(file: str, statement: Statement) -> URIRef:
    proposal = statement.proposal_id.replace(":", "-")
    return ST[f"{document_slug(file)}/{slug(statement.actor_id)}/{slug(proposal)}/{statement.span.start}-{statement.span.end}"]


def claim_iri(file: str, claim: Claim) -> URIRef:
    return CL[f"{document_slug(file)}/{claim.span.start}-{claim.span.end}"]


# --- the mapping, written straight to N-Triples -------------------------------------
#
# Extraction is per document and its triples go to N-Triples lines anyway; making
# rdflib terms first cost more than the extraction itself (5 ms a document:
# Literal() parses its value, .n3() re-escapes). So the mapping below writes
# N-Triples terms as strings, and ``extraction_triples`` (rdflib terms, for the
# API and tests) is derived from the same lines: one mapping, two views.

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
# Characters N-Triples forbids in an IRI: one such IRI would make the whole graph unreadable.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_XSD_STRING = XSD.string  # rdflib terms of different types never compare equal, so keep a URIRef


def _iri(value: str) -> str:
    if _BAD_IRI.search(value):
        raise GraphError(f"not a valid IRI for N-Triples: {str(value)!r}")
    return f"<{value}>"


def _text(value: str) -> str:
    return '"' + value.translate(_ESCAPES) + '"'


def _typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{datatype}>'


_A = _iri(RDF.type)
_INTEGER, _DECIMAL, _BOOLEAN = str(XSD.integer), str(XSD.decimal), str(XSD.boolean)
_FALSE = _typed("false", _BOOLEAN)
_NT_STANCES = {key: _iri(value) for key, value in STANCES.items()}
_NT_CLAIM_KINDS = {key: _iri(value) for key, value in CLAIM_KINDS.items()}
_NT_ORGANISATION_TYPES = {key: _iri(value) for key, value in ORGANISATION_TYPES.items()}
_NT_ROLES = {key: _iri(value) for key, value in ROLE_PROPERTIES.items()}


class _V:
    """The vocabulary the mapping uses, as N-Triples IRIs (computed once)."""

    Document, Entity, Agent, Person, Organization = (
        _iri(CKG.Document), _iri(PROV.Entity), _iri(PROV.Agent), _iri(FOAF.Person), _iri(ORG.Organization))
    Concept, Proposal, EmergentProposal = _iri(SKOS.Concept), _iri(CKG.Proposal), _iri(CKG.EmergentProposal)
    Claim, StanceStatement, QuantitativeValue = _iri(SDO.Claim), _iri(CKG.StanceStatement), _iri(SDO.QuantitativeValue)
    TextPositionSelector, TextQuoteSelector = _iri(OA.TextPositionSelector), _iri(OA.TextQuoteSelector)
    UnknownAuthor, OtherOrganisation = _iri(CKG.UnknownAuthor), _iri(CKG.OtherOrganisation)
    identifier, title, format, text, issued, language = (
        _iri(DCTERMS.identifier), _iri(DCTERMS.title), _iri(DCTERMS.format), _iri(CKG.text), _iri(DCTERMS.issued),
        _iri(DCTERMS.language))
    sourceNote, publisher, creator = _iri(CKG.sourceNote), _iri(DCTERMS.publisher), _iri(DCTERMS.creator)
    notation, prefLabel, inRegistry, inCodebook = (
        _iri(SKOS.notation), _iri(SKOS.prefLabel), _iri(CKG.inRegistry), _iri(CKG.inCodebook))
    organisationType, memberOf, jobTitle = _iri(CKG.organisationType), _iri(ORG.memberOf), _iri(SDO.jobTitle)
    author, claimKind, hasSource, hasSelector = (
        _iri(SDO.author), _iri(CKG.claimKind), _iri(OA.hasSource), _iri(OA.hasSelector))
    start, end, exact = _iri(OA.start), _iri(OA.end), _iri(OA.exact)
    confidence, wasGeneratedBy, about, citation = (
        _iri(CKG.confidence), _iri(PROV.wasGeneratedBy), _iri(SDO.about), _iri(SDO.citation))
    citedSourceText, quantity, value, unitText, valueText = (
        _iri(CKG.citedSourceText), _iri(CKG.quantity), _iri(SDO.value), _iri(SDO.unitText), _iri(CKG.valueText))
    actor, proposal, stance, evidence = _iri(CKG.actor), _iri(CKG.proposal), _iri(CKG.stance), _iri(CKG.evidence)


def _published(value: str) -> str:
    """A typed date when ``value`` is a real YYYY, YYYY-MM or YYYY-MM-DD; else plain text (never an ill-typed literal)."""
    from carekg.ingest.corpus import published_precision

    datatype = _DATE_TYPES.get(published_precision(value))
    return _typed(value, datatype) if datatype is not None else _text(value)


_DATE_TYPES = {"year": str(XSD.gYear), "month": str(XSD.gYearMonth), "day": str(XSD.date)}


def _confidence(value: float) -> str:
    return _typed(f"{min(max(value, 0.0), 1.0):.2f}", _DECIMAL)


def _decimal(value: float) -> str | None:
    """The canonical xsd:decimal form (XSD 1.1: "48", "0.5", no exponent); None for inf/NaN.

    Canonical, because SPARQL's STR() returns the lexical form as stored in
    rdflib but canonicalised in pyoxigraph; both must print the same values.
    """
    number = Decimal(repr(float(value)))
    if not number.is_finite():
        return None
    return _typed(format(number.normalize(), "f"), _DECIMAL)


def _anchored(node: str, selector: str, doc: str, run: str, span: Span, confidence: float) -> Iterator[tuple[str, str, str]]:
    """What every statement and claim shares: provenance, its passage, its confidence."""
    yield node, _A, _V.Entity
    yield node, _V.hasSource, doc
    yield node, _V.hasSelector, selector
    yield from _selector(selector, span)
    yield node, _V.confidence, _confidence(confidence)
    yield node, _V.wasGeneratedBy, run


def _selector(node: str, span: Span) -> Iterator[tuple[str, str, str]]:
    yield node, _A, _V.TextPositionSelector
    yield node, _A, _V.TextQuoteSelector
    yield node, _V.start, _typed(str(span.start), _INTEGER)
    yield node, _V.end, _typed(str(span.end), _INTEGER)
    yield node, _V.exact, _text(span.quote)


def _agent_nt(agent: Agent) -> Iterator[tuple[str, str, str]]:
    node = _iri(agent_iri(agent.id))
    if agent.in_registry or agent.id == UNKNOWN_AUTHOR_ID:
        return
    yield node, _A, _V.Agent
    yield node, _A, _V.Person if agent.kind == "person" else _V.Organization
    yield node, _V.notation, _text(agent.id)
    yield node, _V.prefLabel, _text(agent.label)
    yield node, _V.inRegistry, _FALSE
    if agent.kind != "person":
        yield node, _V.organisationType, _NT_ORGANISATION_TYPES.get(agent.organisation_type or "", _V.OtherOrganisation)
    if agent.member_of:
        yield node, _V.memberOf, _iri(agent_iri(agent.member_of))
    if agent.role_title:
        yield node, _V.jobTitle, _text(agent.role_title)


def _extraction_nt(extraction: Extraction, knowledge: Knowledge) -> Iterator[tuple[str, str, str]]:
    """All triples for one document's extraction, as N-Triples terms."""
    document = extraction.document
    file = document.file
    doc = _iri(document_iri(file))
    run = _iri(run_iri())
    yield doc, _A, _V.Document
    yield doc, _A, _V.Entity
    yield doc, _V.identifier, _text(file)
    yield doc, _V.title, _text(document.title or file)
    yield doc, _V.format, _text(document.media_type)
    yield doc, _V.text, _text(document.text)
    if document.published:
        yield doc, _V.issued, _published(document.published)
    if document.language:
        yield doc, _V.language, _text(document.language)
    if document.source_note:
        yield doc, _V.sourceNote, _text(document.source_note)
    if document.publisher:
        publisher = _resolve_publisher(document.publisher, extraction, knowledge)
        if publisher is not None:
            yield doc, _V.publisher, _iri(publisher)
    for agent in extraction.agents.values():
        # The registry (organisations.ttl) is the one description of a registry id, even
        # when the extractor hands back an agent with that id as found in text.
        if agent.id not in knowledge.agents:
            yield from _agent_nt(agent)
    if not any(m.role == "author" for m in extraction.mentions):
        yield doc, _V.creator, _V.UnknownAuthor
    for mention in extraction.mentions:
        yield doc, _NT_ROLES[mention.role], _iri(agent_iri(mention.agent_id))
    for emergent in extraction.emergent.values():
        node = _iri(proposal_iri(emergent.id))
        yield node, _A, _V.Concept
        yield node, _A, _V.Proposal
        yield node, _A, _V.EmergentProposal
        yield node, _V.notation, _text(emergent.id)
        yield node, _V.prefLabel, _text(emergent.label) + "@en"
        yield node, _V.inCodebook, _FALSE
    claim_nodes: dict[str, str] = {}
    for claim in extraction.claims:
        iri = claim_iri(file, claim)
        node = _iri(iri)
        claim_nodes[claim.key] = node
        selector = _iri(f"{iri}/selector")
        yield node, _A, _V.Claim
        yield node, _V.author, _iri(agent_iri(claim.claimant_id))
        yield node, _V.claimKind, _NT_CLAIM_KINDS[claim.kind]
        yield from _anchored(node, selector, doc, run, claim.span, claim.confidence)
        if claim.proposal_id:
            yield node, _V.about, _iri(proposal_iri(claim.proposal_id))
        if claim.cited_agent_id:
            yield node, _V.citation, _iri(agent_iri(claim.cited_agent_id))
        if claim.cited_text:
            yield node, _V.citedSourceText, _text(claim.cited_text)
        for index, quantity in enumerate(claim.values):
            value = _iri(f"{iri}/value/{index}")
            yield node, _V.quantity, value
            yield value, _A, _V.QuantitativeValue
            number = _decimal(quantity.value) if quantity.value is not None else None
            if number is not None:
                yield value, _V.value, number
            yield value, _V.unitText, _text(quantity.unit)
            yield value, _V.valueText, _text(quantity.text)
    for statement in extraction.statements:
        iri = statement_iri(file, statement)
        node = _iri(iri)
        selector = _iri(f"{iri}/selector")
        yield node, _A, _V.StanceStatement
        yield node, _V.actor, _iri(agent_iri(statement.actor_id))
        yield node, _V.proposal, _iri(proposal_iri(statement.proposal_id))
        yield node, _V.stance, _NT_STANCES[statement.stance]
        yield from _anchored(node, selector, doc, run, statement.span, statement.confidence)
        for key in statement.evidence:
            if key in claim_nodes:
                yield node, _V.evidence, claim_nodes[key]


def extraction_lines(extraction: Extraction, knowledge: Knowledge) -> list[str]:
    """One document's extraction as sorted, de-duplicated N-Triples lines."""
    return [line.decode("utf-8") for line in extraction_utf8_lines(extraction, knowledge)]


def extraction_utf8_lines(extraction: Extraction, knowledge: Knowledge) -> list[bytes]:
    """The same lines as UTF-8 (what a build writes), in the same order: UTF-8 sorts as code points do.

    Bytes take half the memory of text holding curly quotes, which matters for a long document.
    """
    return sorted({f"{s} {p} {o} .\n".encode("utf-8") for s, p, o in _extraction_nt(extraction, knowledge)})


def extraction_triples(extraction: Extraction, knowledge: Knowledge) -> Iterator[Triple]:
    """All triples for one document's extraction, as rdflib terms (the same triples as ``extraction_lines``)."""
    yield from _rdflib_triples(extraction_lines(extraction, knowledge))


def _rdflib_triples(lines: Iterable[str]) -> Iterator[Triple]:
    yield from rdflib_triples("".join(lines).encode("utf-8"))


def rdflib_triples(source: bytes | Path, format: str = "nt") -> Iterator[Triple]:
    """The triples of N-Triples or Turtle (text or a file) as rdflib terms, literals of any size.

    Parsed by pyoxigraph through :mod:`carekg.graph.rdfio`: rdflib's own N-Triples
    parser takes time quadratic in the length of a literal (a document's text).
    """
    from carekg.graph.rdfio import parse

    for quad in parse(source, format):
        yield _rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)


def _rdflib_term(term) -> Node:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == str(_XSD_STRING) else Literal(term.value, datatype=URIRef(datatype))


def _resolve_publisher(publisher: str, extraction: Extraction, knowledge: Knowledge) -> URIRef | None:
    if publisher in knowledge.agents:
        return agent_iri(publisher)
    for agent in extraction.agents.values():
        if agent.label.casefold() == publisher.casefold():
            return agent_iri(agent.id)
    return None


def run_triples() -> Iterator[Triple]:
    """The extraction run as a PROV activity (no timestamp: builds stay byte-identical)."""
    run, software = run_iri(), AG["carekg-software"]
    yield run, RDF.type, PROV.Activity
    yield run, PROV.wasAssociatedWith, software
    yield software, RDF.type, PROV.SoftwareAgent
    yield software, SKOS.prefLabel, Literal("carekg")
    yield software, SDO.softwareVersion, Literal(__version__)


def ontology_triples() -> Iterator[Triple]:
    """The ontology, codebook and registry, so a graph file answers queries on its own."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(ontology_dir() / name, format="turtle")
    for triple in graph:
        if not any(isinstance(term, BNode) for term in triple):
            yield triple
    # Blank-node axioms (e.g. owl:oneOf lists) get content-ordered labels so output stays stable.
    yield from _skolemised_bnodes(graph)


def _skolemised_bnodes(graph: Graph) -> Iterator[Triple]:
    """The triples that touch blank nodes, relabelled canonically (same input, same labels)."""
    from rdflib.compare import to_canonical_graph

    touching = Graph()
    for triple in graph:
        if any(isinstance(term, BNode) for term in triple):
            touching.add(triple)
    yield from to_canonical_graph(touching)


# --- writing and reading -----------------------------------------------------------

def nt_term(term: Node) -> str:
    """One term in N-Triples syntax (rdflib's ``n3()`` writes triple-quoted strings, which N-Triples forbids).

    >>> nt_term(Literal('two\\nlines "quoted"'))
    '"two\\\\nlines \\\\"quoted\\\\""'
    >>> nt_term(URIRef("https://example.org/a b"))
    Traceback (most recent call last):
    ...
    carekg.errors.GraphError: not a valid IRI for N-Triples: 'https://example.org/a b'
    """
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        datatype = term.datatype
        if datatype is not None and datatype != _XSD_STRING:
            return f"{text}^^<{datatype}>"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    if _BAD_IRI.search(term):
        raise GraphError(f"not a valid IRI for N-Triples: {str(term)!r}")
    return f"<{term}>"


def to_ntriples_lines(triples: Iterable[Triple]) -> list[str]:
    """Sorted, de-duplicated N-Triples lines: a canonical text for any set of triples."""
    return sorted({f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in triples})


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates files readable by the owner only; outputs are ordinary files.
_FILE_MODE = 0o666 & ~_umask()


def stage_file(path: Path, data: bytes) -> Path:
    """Write ``data`` to a hidden temporary file beside ``path`` (flushed to disk); return its path.

    ``os.replace(staged, path)`` then swaps it in atomically. Raises
    ``OutputError`` (one clear line) when the folder cannot be written.
    """
    with staged_stream(path) as (stream, staged):
        stream.write(data)
    return staged


@contextlib.contextmanager
def staged_stream(path: Path) -> Iterator[tuple[IO[bytes], Path]]:
    """A hidden temporary file beside ``path``, open for writing: ``with staged_stream(p) as (stream, staged):``.

    For outputs written as they are made rather than held whole in memory.
    On leaving the block the bytes are flushed to disk and the file is kept
    for ``os.replace(staged, path)``; on an error it is removed. Write errors
    are :class:`OutputError` (one clear line), as for :func:`stage_file`.
    """
    with output_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with output_errors(path), os.fdopen(handle, "wb") as stream:
            yield stream, Path(temporary)
            stream.flush()
            os.fsync(stream.fileno())  # the rename must never expose a file whose bytes are not on disk
        os.chmod(temporary, _FILE_MODE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    temporary = stage_file(path, data)
    try:
        with output_errors(path):
            os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def output_errors(path: Path) -> Iterator[None]:
    """An operating-system error while writing ``path`` (a folder in the way, read-only, disk full) as one line."""
    try:
        yield
    except (FileExistsError, NotADirectoryError) as exc:
        raise OutputError(f"cannot write '{path}': a file stands where a folder is needed") from exc
    except IsADirectoryError as exc:
        raise OutputError(f"cannot write '{path}': it is a folder") from exc
    except OSError as exc:
        raise OutputError(f"cannot write '{path}': {exc.strerror or exc}") from exc


def serialise_turtle(ntriples: list[str] | bytes | list[bytes | Path], output: IO[bytes] | None = None) -> bytes | None:
    """Turtle from sorted N-Triples, written by pyoxigraph with carekg's prefixes.

    ``ntriples`` is a list of lines, their UTF-8 text, or a list of parts (UTF-8
    text or N-Triples files) read one after another. pyoxigraph keeps the input
    order, so sorted input gives the same bytes every time. Returns the bytes,
    or with ``output`` (a binary stream) writes them there as they are made and
    returns None.
    """
    import itertools

    import pyoxigraph as ox

    if isinstance(ntriples, bytes):
        parts: list[bytes | Path] = [ntriples]
    elif ntriples and all(isinstance(part, str) for part in ntriples):
        parts = ["".join(ntriples).encode("utf-8")]  # type: ignore[arg-type]
    else:
        parts = list(ntriples)  # type: ignore[arg-type]
    from carekg.graph.rdfio import parse

    triples = itertools.chain.from_iterable(parse(part, "nt") for part in parts)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return ox.serialize(triples, output, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def write_turtle(parts: list[bytes | Path], path: Path) -> Path:
    """``path`` as Turtle from the N-Triples parts, staged beside it (see :func:`staged_stream`) and written
    as it is made; returns the staged file, for ``os.replace`` into place."""
    with staged_stream(path) as (stream, staged):
        serialise_turtle(parts, stream)
    return staged


def write_graph(triples: Iterable[Triple], path: Path) -> int:
    """Write triples as Turtle (or N-Triples for ``.nt``) atomically; return the triple count."""
    lines = to_ntriples_lines(triples)
    data = "".join(lines).encode("utf-8") if path.suffix == ".nt" else serialise_turtle(lines)
    write_atomic(path, data)
    return len(lines)


def load_graph(path: Path | str) -> Graph:
    """Read a graph file into rdflib (format from the extension; Turtle by default).

    N-Triples and Turtle are parsed by pyoxigraph (literals of any size, and
    faster than rdflib's parsers); other formats by rdflib.
    """
    from carekg.graph.rdfio import graph_file

    path = graph_file(path)  # a build folder means its graph.ttl
    if not path.is_file():
        raise GraphError(f"graph file '{path}' does not exist")
    formats = {".nt": "nt", ".ttl": "turtle", ".rdf": "xml", ".xml": "xml", ".jsonld": "json-ld", ".n3": "n3"}
    format = formats.get(path.suffix.lower(), "turtle")
    graph = Graph()
    try:
        if format in ("nt", "turtle"):
            graph.addN((*triple, graph) for triple in rdflib_triples(path, "nt" if format == "nt" else "ttl"))
        else:
            graph.parse(path, format=format)
    except Exception as exc:  # rdflib and pyoxigraph raise many parser-specific types
        raise GraphError(f"cannot parse graph file '{path}': {exc}") from exc
    from carekg.vocab.namespace import bind_prefixes

    bind_prefixes(graph)
    return graph
