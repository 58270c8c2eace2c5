"""The codebook and the actor registry, read from the ontology's Turtle.

The committed Turtle (``ontology/*.ttl``) is what the extractor and the
builder use; the YAML copies of the shared codebook are only checked against
it by the tests. Everything is cached per ontology directory.

>>> knowledge = load_knowledge()
>>> knowledge.proposals["raise-care-leaving-age"].theme
'leaving-care'
>>> knowledge.proposals["restore-family-help-funding"].broader
'invest-in-early-help'
>>> knowledge.narrower("invest-in-early-help")
['restore-family-help-funding']
>>> knowledge.proposals["care-for-all-under-18"].contradicts
('unregulated-accommodation-standards',)
>>> knowledge.themes["leaving-care"].label
'Leaving care and adulthood'
>>> knowledge.agents["who-cares-trust"].succeeded_by, knowledge.agents["who-cares-trust"].change
('become', 'renamed Become in 2017')
>>> knowledge.is_person("josh-macalister"), knowledge.agents["josh-macalister"].member_of
(True, 'care-review')
>>> knowledge.agents["pause"].type
'charity'
"""

from __future__ import annotations

import functools
import importlib.resources
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from carekg.errors import OntologyError
from carekg.vocab.namespace import AG, CKG, FOAF, ORG, RDF, RDFS, SDO, SKOS, bind_prefixes

__all__ = [
    "Theme", "Proposal", "RegisteredAgent", "Knowledge", "ONTOLOGY_FILES", "SHAPES_FILE",
    "ontology_dir", "ontology_graph", "shapes_graph", "load_knowledge", "clear_cache",
]

ONTOLOGY_FILES = ("carekg.ttl", "codebook.ttl", "organisations.ttl")
SHAPES_FILE = "shapes.ttl"


@dataclass(frozen=True)
class Theme:
    """A top concept of the codebook."""

    id: str
    label: str


@dataclass(frozen=True)
class Proposal:
    """A codebook proposal; ``theme``, ``broader`` and ``contradicts`` hold ids."""

    id: str
    label: str
    definition: str
    theme: str
    broader: str | None
    alt_labels: tuple[str, ...]
    contradicts: tuple[str, ...]


@dataclass(frozen=True)
class RegisteredAgent:
    """An organisation or a person of the registry; ``type`` is the YAML type
    string (``charity``, ``review``, …, or ``person``)."""

    id: str
    name: str
    aliases: tuple[str, ...]
    type: str
    member_of: str | None
    role: str | None
    succeeded_by: str | None
    change: str | None


@dataclass(frozen=True)
class Knowledge:
    """Themes, proposals and registered agents keyed by id (sorted by id)."""

    themes: dict[str, Theme]
    proposals: dict[str, Proposal]
    agents: dict[str, RegisteredAgent]

    def narrower(self, proposal_id: str) -> list[str]:
        """Ids of the proposals whose ``broader`` is ``proposal_id``."""
        return [p.id for p in self.proposals.values() if p.broader == proposal_id]

    def is_person(self, agent_id: str) -> bool:
        """Whether a registered agent is a person (not an organisation)."""
        agent = self.agents.get(agent_id)
        return agent is not None and agent.type == "person"


def ontology_dir() -> Path:
    """The folder of the ontology files: the installed ``carekg.ontology``
    package, else ``ontology/`` beside the ``carekg`` source folder."""
    try:
        return Path(str(importlib.resources.files("carekg.ontology")))
    except (ModuleNotFoundError, TypeError):
        return Path(__file__).resolve().parent.parent / "ontology"


def _directory(directory: Path | str | None) -> Path:
    return Path(directory).resolve() if directory is not None else ontology_dir().resolve()


@functools.lru_cache(maxsize=16)
def _parsed(directory: Path, names: tuple[str, ...]) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    for name in names:
        path = directory / name
        if not path.is_file():
            raise OntologyError(f"ontology file missing: {path}")
        try:
            graph.parse(path, format="turtle")
        except Exception as error:  # rdflib raises many parser exception types
            raise OntologyError(f"{path}: not valid Turtle: {error}") from error
    return graph


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    bind_prefixes(copy)
    copy += graph
    return copy


def ontology_graph(directory: Path | str | None = None) -> Graph:
    """carekg.ttl, codebook.ttl and organisations.ttl merged (a fresh copy)."""
    return _copy(_parsed(_directory(directory), ONTOLOGY_FILES))


def shapes_graph(directory: Path | str | None = None) -> Graph:
    """The SHACL shapes (a fresh copy)."""
    return _copy(_parsed(_directory(directory), (SHAPES_FILE,)))


def load_knowledge(directory: Path | str | None = None) -> Knowledge:
    """Read themes, proposals and agents from the Turtle (cached per folder)."""
    return _load(_directory(directory))


def clear_cache() -> None:
    """Forget parsed files (after editing the Turtle in a running process)."""
    _parsed.cache_clear()
    _load.cache_clear()


def _text(graph: Graph, subject: Node, predicate: URIRef, what: str, required: bool = True) -> str | None:
    values = sorted(str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal))
    if len(values) > 1:
        raise OntologyError(f"{subject}: more than one {what}: {values}")
    if not values and required:
        raise OntologyError(f"{subject}: no {what}")
    return values[0] if values else None


def _notation(graph: Graph, node: Node, what: str) -> str:
    notation = _text(graph, node, SKOS.notation, f"skos:notation of its {what}")
    assert notation is not None
    return notation


def _link(graph: Graph, subject: Node, predicate: URIRef, what: str, among: set[Node] | None = None) -> str | None:
    targets = [o for o in graph.objects(subject, predicate) if among is None or o in among]
    if len(targets) > 1:
        raise OntologyError(f"{subject}: more than one {what}")
    return _notation(graph, targets[0], what) if targets else None


@functools.lru_cache(maxsize=16)
def _load(directory: Path) -> Knowledge:
    graph = _parsed(directory, ONTOLOGY_FILES)
    themes = {}
    for node in graph.subjects(RDF.type, CKG.Theme):
        theme = Theme(_notation(graph, node, "theme"), str(_text(graph, node, SKOS.prefLabel, "skos:prefLabel")))
        themes[theme.id] = theme
    proposal_nodes = {n for n in graph.subjects(RDF.type, CKG.Proposal)
                      if (n, CKG.inCodebook, Literal(True)) in graph}
    proposals = {}
    for node in proposal_nodes:
        theme_id = _link(graph, node, CKG.theme, "ckg:theme")
        if theme_id not in themes:
            raise OntologyError(f"{node}: ckg:theme missing or not a ckg:Theme")
        proposal = Proposal(
            id=_notation(graph, node, "proposal"),
            label=str(_text(graph, node, SKOS.prefLabel, "skos:prefLabel")),
            definition=str(_text(graph, node, SKOS.definition, "skos:definition")),
            theme=theme_id,
            broader=_link(graph, node, SKOS.broader, "broader proposal", proposal_nodes),
            alt_labels=tuple(sorted({str(o) for o in graph.objects(node, SKOS.altLabel)})),
            contradicts=tuple(sorted(
                {_notation(graph, o, "contradicted proposal") for o in graph.objects(node, CKG.contradicts)}
                | {_notation(graph, s, "contradicting proposal") for s in graph.subjects(CKG.contradicts, node)}
            )),
        )
        proposals[proposal.id] = proposal
    agents = {}
    for node in graph.subjects(SKOS.inScheme, AG.registry):
        if (node, RDF.type, FOAF.Person) in graph:
            kind = "person"
        else:
            kind = _link(graph, node, CKG.organisationType, "ckg:organisationType")
            if kind is None:
                raise OntologyError(f"{node}: an organisation without ckg:organisationType")
        changes = [c for c in graph.subjects(ORG.originalOrganization, node)]
        agent = RegisteredAgent(
            id=_notation(graph, node, "agent"),
            name=str(_text(graph, node, SKOS.prefLabel, "skos:prefLabel")),
            aliases=tuple(sorted({str(o) for o in graph.objects(node, SKOS.altLabel)})),
            type=kind,
            member_of=_link(graph, node, ORG.memberOf, "org:memberOf"),
            role=_text(graph, node, SDO.jobTitle, "schema:jobTitle", required=False),
            succeeded_by=_link(graph, node, CKG.succeededBy, "ckg:succeededBy"),
            change=_text(graph, changes[0], RDFS.comment, "rdfs:comment", required=False) if changes else None,
        )
        agents[agent.id] = agent
    for what, found in (("themes", themes), ("proposals", proposals), ("agents", agents)):
        if not found:
            raise OntologyError(f"no {what} in the ontology at {directory}")
    return Knowledge(
        themes=dict(sorted(themes.items())),
        proposals=dict(sorted(proposals.items())),
        agents=dict(sorted(agents.items())),
    )
