"""The vocabulary in one place.

``CKG`` and ``OA`` are closed namespaces (a misspelt term raises); a test
checks that every ``CKG`` term is declared in ``ontology/carekg.ttl``. The
instance namespaces below mint the IRIs of data the builder emits.
"""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace
from rdflib.term import URIRef

__all__ = [
    "CKG", "OA", "CB", "THEME", "EM", "AG", "DOC", "ST", "CL", "RUN", "ANALYST", "CORRECTION",
    "DCTERMS", "FOAF", "ORG", "OWL", "PROV", "RDF", "RDFS", "SDO", "SKOS", "XSD",
    "PREFIXES", "bind_prefixes",
]


class CKG(DefinedNamespace):
    """carekg's own terms (ontology/carekg.ttl)."""

    _fail = True
    _NS = Namespace("https://w3id.org/carekg/ontology#")

    # classes
    Document: URIRef
    StanceStatement: URIRef
    Proposal: URIRef
    EmergentProposal: URIRef
    Theme: URIRef
    Stance: URIRef
    ClaimKind: URIRef
    OrganisationType: URIRef
    # individuals
    Support: URIRef
    Oppose: URIRef
    Statistic: URIRef
    ResearchFinding: URIRef
    Assertion: URIRef
    Charity: URIRef
    PublicBody: URIRef
    Review: URIRef
    Government: URIRef
    University: URIRef
    ParliamentaryGroup: URIRef
    Media: URIRef
    OtherOrganisation: URIRef
    UnknownAuthor: URIRef
    # properties
    actor: URIRef
    proposal: URIRef
    stance: URIRef
    confidence: URIRef
    evidence: URIRef
    theme: URIRef
    contradicts: URIRef
    inCodebook: URIRef
    inRegistry: URIRef
    organisationType: URIRef
    succeededBy: URIRef
    speaker: URIRef
    citesSource: URIRef
    text: URIRef
    sourceNote: URIRef
    claimKind: URIRef
    quantity: URIRef
    valueText: URIRef
    citedSourceText: URIRef
    # analysts' corrections
    Correction: URIRef
    SupersededStatement: URIRef
    SupersededClaim: URIRef
    action: URIRef
    decides: URIRef


class OA(DefinedNamespace):
    """The Web Annotation terms carekg uses."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    SpecificResource: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef


BASE = "https://w3id.org/carekg/"
CB = Namespace(BASE + "codebook/")
THEME = Namespace(BASE + "codebook/theme/")
EM = Namespace(BASE + "emergent/")
AG = Namespace(BASE + "agent/")
DOC = Namespace(BASE + "doc/")
ST = Namespace(BASE + "statement/")
CL = Namespace(BASE + "claim/")
RUN = Namespace(BASE + "run/")
ANALYST = Namespace(BASE + "analyst/")  # who decided a correction (the `by` column of corrections.csv)
CORRECTION = Namespace(BASE + "correction/")  # one decision of corrections.csv

PREFIXES: dict[str, object] = {
    "ckg": CKG._NS, "cb": CB, "theme": THEME, "em": EM, "ag": AG, "doc": DOC,
    "st": ST, "cl": CL, "run": RUN, "analyst": ANALYST, "corr": CORRECTION, "oa": OA._NS, "schema": SDO, "skos": SKOS,
    "org": ORG, "prov": PROV, "dcterms": DCTERMS, "foaf": FOAF, "owl": OWL,
    "rdfs": RDFS, "xsd": XSD,
}


def bind_prefixes(graph) -> None:
    """Bind carekg's prefixes on an rdflib graph (for readable Turtle)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
