"""Records → RDF triples, and reading/writing graph files.

Triples are produced per document (so documents can be extracted in parallel
and written as they come); writing goes through pyoxigraph, which serialises
Turtle ~20× faster than rdflib, from a sorted triple list so that two builds of
the same inputs are byte-identical.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from . import __version__
from .errors import GraphError
from .knowledge import Knowledge, ontology_dir
from .model import UNKNOWN_AUTHOR_ID, Agent, Claim, Extraction, Span, Statement
from .namespace import AG, CB, CKG, CL, DCTERMS, DOC, EM, FOAF, OA, ORG, PREFIXES, PROV, RDF, RUN, SDO, SKOS, ST, XSD

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


def document_iri(file: str) -> URIRef:
    return DOC[slug(file)]


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
    return ST[f"{slug(file)}/{slug(statement.actor_id)}/{slug(proposal)}/{statement.span.start}-{statement.span.end}"]


def claim_iri(file: str, claim: Claim) -> URIRef:
    return CL[f"{slug(file)}/{claim.span.start}-{claim.span.end}"]


def _published(value: str) -> Literal:
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    return Literal(value)


def _confidence(value: float) -> Literal:
    return Literal(Decimal(f"{min(max(value, 0.0), 1.0):.2f}"), datatype=XSD.decimal)


def _selector(node: URIRef, span: Span) -> Iterator[Triple]:
    yield node, RDF.type, OA.TextPositionSelector
    yield node, RDF.type, OA.TextQuoteSelector
    yield node, OA.start, Literal(span.start)
    yield node, OA.end, Literal(span.end)
    yield node, OA.exact, Literal(span.quote)


def agent_triples(agent: Agent) -> Iterator[Triple]:
    """Triples for an agent found in text (registry agents come from organisations.ttl)."""
    node = agent_iri(agent.id)
    if agent.in_registry or agent.id == UNKNOWN_AUTHOR_ID:
        return
    yield node, RDF.type, PROV.Agent
    yield node, RDF.type, FOAF.Person if agent.kind == "person" else ORG.Organization
    yield node, SKOS.notation, Literal(agent.id)
    yield node, SKOS.prefLabel, Literal(agent.label)
    yield node, CKG.inRegistry, Literal(False)
    if agent.kind != "person":
        yield node, CKG.organisationType, ORGANISATION_TYPES.get(agent.organisation_type or "", CKG.OtherOrganisation)
    if agent.member_of:
        yield node, ORG.memberOf, agent_iri(agent.member_of)
    if agent.role_title:
        yield node, SDO.jobTitle, Literal(agent.role_title)


def extraction_triples(extraction: Extraction, knowledge: Knowledge) -> Iterator[Triple]:
    """All triples for one document's extraction."""
    document = extraction.document
    file = document.file
    doc = document_iri(file)
    run = run_iri()
    yield doc, RDF.type, CKG.Document
    yield doc, RDF.type, PROV.Entity
    yield doc, DCTERMS.identifier, Literal(file)
    yield doc, DCTERMS.title, Literal(document.title or file)
    yield doc, DCTERMS.format, Literal(document.media_type)
    yield doc, CKG.text, Literal(document.text)
    if document.published:
        yield doc, DCTERMS.issued, _published(document.published)
    if document.language:
        yield doc, DCTERMS.language, Literal(document.language)
    if document.source_note:
        yield doc, CKG.sourceNote, Literal(document.source_note)
    if document.publisher:
        publisher = _resolve_publisher(document.publisher, extraction, knowledge)
        if publisher is not None:
            yield doc, DCTERMS.publisher, publisher
    for agent in extraction.agents.values():
        # The registry (organisations.ttl) is the one description of a registry id, even
        # when the extractor hands back an agent with that id as found in text.
        if agent.id not in knowledge.agents:
            yield from agent_triples(agent)
    authors = [m for m in extraction.mentions if m.role == "author"]
    if not authors:
        yield doc, DCTERMS.creator, CKG.UnknownAuthor
    for mention in extraction.mentions:
        yield doc, ROLE_PROPERTIES[mention.role], agent_iri(mention.agent_id)
    for emergent in extraction.emergent.values():
        node = proposal_iri(emergent.id)
        yield node, RDF.type, SKOS.Concept
        yield node, RDF.type, CKG.Proposal
        yield node, RDF.type, CKG.EmergentProposal
        yield node, SKOS.notation, Literal(emergent.id)
        yield node, SKOS.prefLabel, Literal(emergent.label, lang="en")
        yield node, CKG.inCodebook, Literal(False)
    claim_nodes: dict[str, URIRef] = {}
    for claim in extraction.claims:
        node = claim_iri(file, claim)
        claim_nodes[claim.key] = node
        yield node, RDF.type, SDO.Claim
        yield node, RDF.type, PROV.Entity
        yield node, SDO.author, agent_iri(claim.claimant_id)
        yield node, CKG.claimKind, CLAIM_KINDS[claim.kind]
        yield node, OA.hasSource, doc
        yield node, OA.hasSelector, URIRef(f"{node}/selector")
        yield from _selector(URIRef(f"{node}/selector"), claim.span)
        yield node, CKG.confidence, _confidence(claim.confidence)
        yield node, PROV.wasGeneratedBy, run
        if claim.proposal_id:
            yield node, SDO.about, proposal_iri(claim.proposal_id)
        if claim.cited_agent_id:
            yield node, SDO.citation, agent_iri(claim.cited_agent_id)
        if claim.cited_text:
            yield node, CKG.citedSourceText, Literal(claim.cited_text)
        for index, quantity in enumerate(claim.values):
            value = URIRef(f"{node}/value/{index}")
            yield node, CKG.quantity, value
            yield value, RDF.type, SDO.QuantitativeValue
            if quantity.value is not None:
                yield value, SDO.value, Literal(Decimal(repr(float(quantity.value))), datatype=XSD.decimal)
            yield value, SDO.unitText, Literal(quantity.unit)
            yield value, CKG.valueText, Literal(quantity.text)
    for statement in extraction.statements:
        node = statement_iri(file, statement)
        yield node, RDF.type, CKG.StanceStatement
        yield node, RDF.type, PROV.Entity
        yield node, CKG.actor, agent_iri(statement.actor_id)
        yield node, CKG.proposal, proposal_iri(statement.proposal_id)
        yield node, CKG.stance, STANCES[statement.stance]
        yield node, OA.hasSource, doc
        yield node, OA.hasSelector, URIRef(f"{node}/selector")
        yield from _selector(URIRef(f"{node}/selector"), statement.span)
        yield node, CKG.confidence, _confidence(statement.confidence)
        yield node, PROV.wasGeneratedBy, run
        for key in statement.evidence:
            if key in claim_nodes:
                yield node, CKG.evidence, claim_nodes[key]


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

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
# Characters N-Triples forbids in an IRI: one such IRI would make the whole graph unreadable.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_XSD_STRING = XSD.string  # rdflib terms of different types never compare equal, so keep a URIRef


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

    ``os.replace(staged, path)`` then swaps it in atomically.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())  # the rename must never expose a file whose bytes are not on disk
        os.chmod(temporary, _FILE_MODE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    temporary = stage_file(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def serialise_turtle(ntriples: list[str] | bytes) -> bytes:
    """Turtle from sorted N-Triples (lines, or their UTF-8 text), written by pyoxigraph with carekg's prefixes.

    pyoxigraph keeps the input order, so sorted input gives the same bytes every time.
    """
    import pyoxigraph as ox

    data = ntriples if isinstance(ntriples, bytes) else "".join(ntriples).encode("utf-8")
    triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def write_graph(triples: Iterable[Triple], path: Path) -> int:
    """Write triples as Turtle (or N-Triples for ``.nt``) atomically; return the triple count."""
    lines = to_ntriples_lines(triples)
    data = "".join(lines).encode("utf-8") if path.suffix == ".nt" else serialise_turtle(lines)
    write_atomic(path, data)
    return len(lines)


def load_graph(path: Path | str) -> Graph:
    """Read a graph file into rdflib (format from the extension; Turtle by default)."""
    path = Path(path)
    if not path.is_file():
        raise GraphError(f"graph file '{path}' does not exist")
    formats = {".nt": "nt", ".ttl": "turtle", ".rdf": "xml", ".xml": "xml", ".jsonld": "json-ld", ".n3": "n3"}
    graph = Graph()
    try:
        graph.parse(path, format=formats.get(path.suffix.lower(), "turtle"))
    except Exception as exc:  # rdflib raises many parser-specific types
        raise GraphError(f"cannot parse graph file '{path}': {exc}") from exc
    from .namespace import bind_prefixes

    bind_prefixes(graph)
    return graph
