"""The ontology files: they parse, declare every CKG term, agree with the YAML
codebook copies, and their SHACL shapes accept good data and reject bad."""

from __future__ import annotations

import doctest
import importlib.util
import shutil
from pathlib import Path

import pyoxigraph
import pytest
import yaml
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS

import carekg.vocab.knowledge as knowledge_module
from carekg.errors import OntologyError
from carekg.extract.text import fold_key, slugify
from carekg.vocab.knowledge import load_knowledge, ontology_dir, ontology_graph, shapes_graph
from carekg.graph.validate import validate_graph
from carekg.vocab.namespace import AG, CB, CKG, THEME

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
TTL_FILES = sorted(p.name for p in ONTOLOGY.glob("*.ttl"))
SH = "http://www.w3.org/ns/shacl#"
OA = "http://www.w3.org/ns/oa#"
OA_EXACT = URIRef(OA + "exact")
SCHEMA = Namespace("https://schema.org/")  # not rdflib's SDO: pytest's collection trips its warnings
CKG_TERMS = sorted(CKG.__annotations__)


def _yaml(name: str) -> dict:
    with open(ONTOLOGY / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


PROPOSALS_YAML = {p["id"]: p for p in _yaml("proposals.yaml")["proposals"]}
THEMES_YAML = {t["id"]: t for t in _yaml("proposals.yaml")["themes"]}
# The registry: the shared actors of the seed corpus, then the sector registry.
REGISTRY_FILES = ("organisations.yaml", "registry.yaml")
REGISTRY_ENTRIES = [(name, o) for name in REGISTRY_FILES for o in _yaml(name)["organisations"]]
AGENTS_YAML = {o["id"]: o for _, o in REGISTRY_ENTRIES}


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    return {name: Graph().parse(ONTOLOGY / name, format="turtle") for name in TTL_FILES}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology_graph()


def _ids_by_notation(graph: Graph, cls: URIRef) -> dict[str, URIRef]:
    return {str(graph.value(s, SKOS.notation)): s for s in graph.subjects(RDF.type, cls)}


# --- parsing ---------------------------------------------------------------------------

def test_expected_files_present():
    assert {"carekg.ttl", "codebook.ttl", "organisations.ttl", "shapes.ttl"} <= set(TTL_FILES)
    assert (ONTOLOGY / "__init__.py").exists()


@pytest.mark.parametrize("name", TTL_FILES)
def test_rdflib_parses(name, graphs):
    assert len(graphs[name]) > 10


@pytest.mark.parametrize("name", TTL_FILES)
def test_pyoxigraph_parses(name, graphs):
    with open(ONTOLOGY / name, "rb") as f:
        quads = list(pyoxigraph.parse(f, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(graphs[name])


# --- carekg.ttl -----------------------------------------------------------------------

def test_ontology_header(graphs):
    g = graphs["carekg.ttl"]
    (ontology,) = list(g.subjects(RDF.type, OWL.Ontology))
    assert g.value(ontology, OWL.versionInfo) == Literal("0.1.0")
    assert g.value(ontology, RDFS.label) is not None
    assert g.value(ontology, DCTERMS.description) is not None


@pytest.mark.parametrize("term", CKG_TERMS)
def test_ckg_term_declared(term, graphs):
    g = graphs["carekg.ttl"]
    iri = CKG[term]
    types = set(g.objects(iri, RDF.type))
    declared = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}
    assert types & declared, f"ckg:{term} is not declared in carekg.ttl"
    assert g.value(iri, RDFS.label) is not None, f"ckg:{term} has no rdfs:label"
    assert g.value(iri, RDFS.comment) is not None, f"ckg:{term} has no rdfs:comment"
    if OWL.NamedIndividual in types:
        assert types - {OWL.NamedIndividual}, f"individual ckg:{term} has no class"


def test_no_undeclared_ckg_terms(graphs):
    known = {CKG[t] for t in CKG_TERMS}
    used = {n for g in graphs.values() for triple in g for n in triple
            if isinstance(n, URIRef) and str(n).startswith(str(CKG._NS))}
    assert used - known == set()


@pytest.mark.parametrize("cls, notations", [
    (CKG.Stance, {CKG.Support: "support", CKG.Oppose: "oppose"}),
    (CKG.ClaimKind, {CKG.Statistic: "statistic", CKG.ResearchFinding: "research-finding",
                     CKG.Assertion: "assertion"}),
    (CKG.OrganisationType, {
        CKG.Charity: "charity", CKG.PublicBody: "public-body", CKG.Review: "review",
        CKG.Government: "government", CKG.University: "university",
        CKG.ParliamentaryGroup: "parliamentary-group", CKG.Media: "media",
        CKG.OtherOrganisation: "other"}),
])
def test_individuals(cls, notations, graphs):
    g = graphs["carekg.ttl"]
    members = set(g.subjects(RDF.type, cls))
    assert members == set(notations)
    for individual, notation in notations.items():
        assert (individual, RDF.type, OWL.NamedIndividual) in g
        assert g.value(individual, SKOS.notation) == Literal(notation)


def test_unknown_author(graphs):
    g = graphs["carekg.ttl"]
    assert (CKG.UnknownAuthor, RDF.type, PROV.Agent) in g
    assert str(g.value(CKG.UnknownAuthor, SKOS.prefLabel)) == "unknown author"


@pytest.mark.parametrize("sub, sup", [
    (CKG.StanceStatement, PROV.Entity), (CKG.Document, PROV.Entity),
    (CKG.Proposal, SKOS.Concept), (CKG.EmergentProposal, CKG.Proposal), (CKG.Theme, SKOS.Concept),
])
def test_subclass_links(sub, sup, graphs):
    assert (sub, RDFS.subClassOf, sup) in graphs["carekg.ttl"]


def test_contradicts_is_symmetric(graphs):
    assert (CKG.contradicts, RDF.type, OWL.SymmetricProperty) in graphs["carekg.ttl"]


# --- codebook.ttl against proposals.yaml ----------------------------------------------

def test_codebook_scheme(graphs):
    g = graphs["codebook.ttl"]
    assert (CB.scheme, RDF.type, SKOS.ConceptScheme) in g
    assert set(_ids_by_notation(g, CKG.Proposal)) == set(PROPOSALS_YAML)
    assert set(_ids_by_notation(g, CKG.Theme)) == set(THEMES_YAML)


@pytest.mark.parametrize("theme_id", sorted(THEMES_YAML))
def test_codebook_theme(theme_id, graphs):
    g = graphs["codebook.ttl"]
    node = THEME[theme_id]
    assert {SKOS.Concept, CKG.Theme} <= set(g.objects(node, RDF.type))
    assert g.value(node, SKOS.notation) == Literal(theme_id)
    assert g.value(node, SKOS.prefLabel) == Literal(THEMES_YAML[theme_id]["label"], lang="en")
    assert (node, SKOS.topConceptOf, CB.scheme) in g
    assert (node, SKOS.inScheme, CB.scheme) in g


@pytest.mark.parametrize("proposal_id", sorted(set(PROPOSALS_YAML) | set(_ids_by_notation(
    Graph().parse(ONTOLOGY / "codebook.ttl", format="turtle"), CKG.Proposal))))
def test_codebook_proposal(proposal_id, graphs):
    g = graphs["codebook.ttl"]
    assert proposal_id in PROPOSALS_YAML, f"{proposal_id} is in codebook.ttl but not in proposals.yaml"
    p = PROPOSALS_YAML[proposal_id]
    node = CB[proposal_id]
    assert {SKOS.Concept, CKG.Proposal} <= set(g.objects(node, RDF.type)), "not in codebook.ttl"
    assert (node, RDF.type, CKG.EmergentProposal) not in g
    assert list(g.objects(node, SKOS.notation)) == [Literal(proposal_id)]
    assert list(g.objects(node, SKOS.prefLabel)) == [Literal(p["label"], lang="en")]
    assert list(g.objects(node, SKOS.definition)) == [Literal(p["definition"], lang="en")]
    assert list(g.objects(node, CKG.theme)) == [THEME[p["theme"]]]
    broader = CB[p["broader"]] if p.get("broader") else THEME[p["theme"]]
    assert list(g.objects(node, SKOS.broader)) == [broader]
    assert list(g.objects(node, CKG.inCodebook)) == [Literal(True)]
    assert (node, SKOS.inScheme, CB.scheme) in g
    expected = {p["contradicts"]} if p.get("contradicts") else set()
    expected |= {q["id"] for q in PROPOSALS_YAML.values() if q.get("contradicts") == proposal_id}
    assert set(g.objects(node, CKG.contradicts)) == {CB[o] for o in expected}
    assert set(g.subjects(CKG.contradicts, node)) == {CB[o] for o in expected}
    alt = list(g.objects(node, SKOS.altLabel))
    assert len(alt) >= 2, "seed at least two altLabels per proposal"
    assert all(isinstance(a, Literal) and a.language == "en" and str(a).strip() == str(a) and a
               for a in alt)


# --- organisations.ttl against organisations.yaml -------------------------------------

ORG_TYPES = {"charity": CKG.Charity, "public-body": CKG.PublicBody, "review": CKG.Review,
             "government": CKG.Government, "university": CKG.University,
             "parliamentary-group": CKG.ParliamentaryGroup, "media": CKG.Media,
             "other": CKG.OtherOrganisation}


def test_registry_scheme(graphs):
    g = graphs["organisations.ttl"]
    assert (AG.registry, RDF.type, SKOS.ConceptScheme) in g
    in_registry = {str(g.value(s, SKOS.notation)) for s in g.subjects(SKOS.inScheme, AG.registry)}
    assert in_registry == set(AGENTS_YAML)


@pytest.mark.parametrize("agent_id", sorted(AGENTS_YAML))
def test_registry_agent(agent_id, graphs):
    g = graphs["organisations.ttl"]
    e = AGENTS_YAML[agent_id]
    node = AG[agent_id]
    types = set(g.objects(node, RDF.type))
    assert PROV.Agent in types
    assert list(g.objects(node, SKOS.notation)) == [Literal(agent_id)]
    assert [str(o) for o in g.objects(node, SKOS.prefLabel)] == [e["name"]]
    assert set(e.get("aliases") or []) <= {str(o) for o in g.objects(node, SKOS.altLabel)}
    assert (node, SKOS.inScheme, AG.registry) in g
    assert list(g.objects(node, CKG.inRegistry)) == [Literal(True)]
    if e["type"] == "person":
        assert FOAF.Person in types and ORG.Organization not in types
        assert g.value(node, CKG.organisationType) is None
        assert g.value(node, ORG.memberOf) == (AG[e["member_of"]] if e.get("member_of") else None)
        assert str(g.value(node, SCHEMA.jobTitle)) == e["role"]
    else:
        assert ORG.Organization in types and FOAF.Person not in types
        assert list(g.objects(node, CKG.organisationType)) == [ORG_TYPES[e["type"]]]
    if e.get("succeeded_by"):
        new = AG[e["succeeded_by"]]
        assert list(g.objects(node, CKG.succeededBy)) == [new]
        change = URIRef(f"{AG}change/{agent_id}-to-{e['succeeded_by']}")
        assert (change, RDF.type, ORG.ChangeEvent) in g
        assert g.value(change, ORG.originalOrganization) == node
        assert g.value(change, ORG.resultingOrganization) == new
        assert str(g.value(change, RDFS.comment)) == e["change"]
    else:
        assert g.value(node, CKG.succeededBy) is None


def _owners_by_key(entries) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for e in entries:
        for label in (e["name"], *(e.get("aliases") or [])):
            owners.setdefault(fold_key(label), set()).add(e["id"])
    return owners


def test_registry_files_do_not_collide():
    """No id is used twice and no name or alias (folded as the matcher and the
    evaluation fold them) belongs to two agents, across both YAML files."""
    ids = [o["id"] for _, o in REGISTRY_ENTRIES]
    assert len(REGISTRY_ENTRIES) > 250
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    shared = [o for name, o in REGISTRY_ENTRIES if name == "organisations.yaml"]
    sector = [o for name, o in REGISTRY_ENTRIES if name == "registry.yaml"]
    assert shared and sector
    collisions = {key: owners for key, owners in _owners_by_key(shared + sector).items() if len(owners) > 1}
    assert collisions == {}


def test_turtle_labels_do_not_collide():
    """The same across every label the extractor reads (hand-added altLabels too)."""
    agents = load_knowledge().agents.values()
    entries = [{"id": a.id, "name": a.name, "aliases": a.aliases} for a in agents]
    collisions = {key: owners for key, owners in _owners_by_key(entries).items() if len(owners) > 1}
    assert collisions == {}


def test_succeeded_by_names_an_agent():
    for source, e in REGISTRY_ENTRIES:
        if e.get("succeeded_by"):
            assert e["succeeded_by"] in AGENTS_YAML, f"{source}: {e['id']}"
            assert e["succeeded_by"] != e["id"] and e.get("change"), f"{source}: {e['id']}"


@pytest.mark.parametrize("agent_id", sorted(o["id"] for name, o in REGISTRY_ENTRIES if name == "registry.yaml"))
def test_sector_registry_entry(agent_id):
    """A sector entry is an organisation whose id is the slug of its name (the id
    the extractor coins for the name found in a text) and whose fields are known."""
    e = AGENTS_YAML[agent_id]
    assert set(e) <= {"id", "name", "aliases", "type", "succeeded_by", "change"}
    assert e["type"] in set(ORG_TYPES)
    name = e["name"][4:] if e["name"].startswith("The ") else e["name"]
    assert agent_id == slugify(name)
    aliases = e.get("aliases") or []
    assert all(isinstance(a, str) and a == a.strip() and a for a in aliases)
    assert len(set(aliases)) == len(aliases) and e["name"] not in aliases


def _generator():
    spec = importlib.util.spec_from_file_location("gen_ontology", ROOT / "tools" / "gen_ontology.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


@pytest.mark.parametrize("extra, message", [
    ({"id": "pause", "name": "Pause Again", "type": "charity"}, "id 'pause' is already used in organisations.yaml"),
    ({"id": "dfe", "name": "DfE", "type": "government"}, "dfe: 'DfE' collides with 'DfE' of uk-government (organisations.yaml)"),
    ({"id": "the-barnardos", "name": "Barnardos", "type": "charity"}, "the-barnardos: 'Barnardos' collides with \"Barnardo's\" of barnardos (registry.yaml)"),
    ({"id": "x", "name": "X Trust", "type": "charity", "succeeded_by": "nobody"}, "x: succeeded_by 'nobody' names no entry"),
    ({"id": "y", "name": "Y Trust", "type": "trust"}, "y: unknown type 'trust'"),
])
def test_generator_refuses_an_inconsistent_registry(tmp_path, extra, message):
    gen = _generator()
    for name in REGISTRY_FILES:
        shutil.copy(ONTOLOGY / name, tmp_path / name)
    with open(tmp_path / "registry.yaml", "a", encoding="utf-8") as f:
        f.write("  - " + yaml.safe_dump(extra, default_flow_style=True, sort_keys=False, width=1000))
    with pytest.raises(gen.RegistryError) as error:
        gen.load_registry(tmp_path)
    assert str(error.value) == f"registry.yaml: {message}"
    assert len(gen.load_registry(ONTOLOGY)) == len(REGISTRY_ENTRIES)


def test_generator_in_sync_with_committed_turtle():
    """tools/gen_ontology.py would write the same graphs (altLabels kept)."""
    gen = _generator()
    for path, text in gen.generate().items():
        committed = Graph().parse(path, format="turtle")
        assert isomorphic(Graph().parse(data=text, format="turtle"), committed), path.name


# --- SHACL shapes ---------------------------------------------------------------------

def test_every_shape_has_name_and_message(graphs):
    g = graphs["shapes.ttl"]
    node_shapes = set(g.subjects(RDF.type, URIRef(SH + "NodeShape")))
    assert len(node_shapes) >= 7
    for shape in node_shapes:
        assert g.value(shape, URIRef(SH + "name")) is not None, shape
        for prop in g.objects(shape, URIRef(SH + "property")):
            assert g.value(prop, URIRef(SH + "name")) is not None, (shape, prop)
            assert g.value(prop, URIRef(SH + "message")) is not None, (shape, prop)


PREFIXES = """
@prefix ckg: <https://w3id.org/carekg/ontology#> .
@prefix cb: <https://w3id.org/carekg/codebook/> .
@prefix em: <https://w3id.org/carekg/emergent/> .
@prefix ag: <https://w3id.org/carekg/agent/> .
@prefix doc: <https://w3id.org/carekg/doc/> .
@prefix st: <https://w3id.org/carekg/statement/> .
@prefix cl: <https://w3id.org/carekg/claim/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# One document, one statement on an emergent proposal, one claim with a value;
# every line that a broken case removes or alters is unique.
GOOD = PREFIXES + """
doc:d.txt a ckg:Document, prov:Entity ;
    dcterms:identifier "d.txt" ;
    dcterms:title "A response" ;
    dcterms:creator ag:acme ;
    dcterms:issued "2021-08"^^xsd:gYearMonth ;
    ckg:text "We call for care until 21. Half of leavers, 48%, struggle." .
ag:acme a org:Organization, prov:Agent ; skos:prefLabel "Acme Trust" ; skos:notation "acme" .
ag:jo a foaf:Person, prov:Agent ; skos:prefLabel "Jo Bloggs" ; skos:notation "jo" ; org:memberOf ag:acme .
em:care-until-21 a skos:Concept, ckg:Proposal, ckg:EmergentProposal ;
    skos:prefLabel "care until 21"@en ; ckg:inCodebook false .
st:s a ckg:StanceStatement, prov:Entity ;
    ckg:actor ag:acme ;
    ckg:proposal em:care-until-21 ;
    ckg:stance ckg:Support ;
    oa:hasSource doc:d.txt ;
    oa:hasSelector st:s-selector ;
    ckg:evidence cl:c ;
    ckg:confidence "0.80"^^xsd:decimal .
st:s-selector a oa:TextPositionSelector, oa:TextQuoteSelector ;
    oa:start 0 ;
    oa:end 26 ;
    oa:exact "We call for care until 21." .
cl:c a schema:Claim, prov:Entity ;
    schema:author ag:jo ;
    ckg:claimKind ckg:Statistic ;
    ckg:quantity cl:c-value ;
    oa:hasSource doc:d.txt ;
    oa:hasSelector cl:c-selector ;
    ckg:confidence "0.5"^^xsd:decimal .
cl:c-value a schema:QuantitativeValue ;
    schema:value "48.0"^^xsd:decimal ;
    schema:unitText "percent" ;
    ckg:valueText "48%" .
cl:c-selector a oa:TextPositionSelector, oa:TextQuoteSelector ;
    oa:start 27 ; oa:end 58 ; oa:exact "Half of leavers, 48%, struggle." .
"""


def _validate(turtle: str, with_ontology: bool = False) -> tuple[bool, str]:
    data = Graph().parse(data=turtle, format="turtle")
    if with_ontology:
        violations = validate_graph(data)
        return not violations, "\n".join(v.line() for v in violations)
    conforms, _, text = validate(data, shacl_graph=shapes_graph(), inference="none")
    return conforms, text


def test_good_data_conforms():
    g = Graph().parse(data=GOOD, format="turtle")
    text = str(g.value(URIRef("https://w3id.org/carekg/doc/d.txt"), CKG.text))
    for selector in g.subjects(OA_EXACT, None):  # the sample quotes are honest
        start, end = (g.value(selector, URIRef(OA + t)).toPython() for t in ("start", "end"))
        assert text[start:end] == str(g.value(selector, OA_EXACT))
    conforms, text = _validate(GOOD)
    assert conforms, text


def test_codebook_and_registry_references_conform_with_ontology():
    turtle = (GOOD.replace("ckg:proposal em:care-until-21", "ckg:proposal cb:raise-care-leaving-age")
              .replace("ckg:actor ag:acme", "ckg:actor ag:pause")
              .replace("schema:author ag:jo", "schema:author ckg:UnknownAuthor"))
    assert _validate(turtle, with_ontology=True)[0] is True
    conforms, text = _validate(turtle)  # without the ontology the types are unknown
    assert not conforms and "ckg:proposal" in text


def test_ontology_itself_conforms_to_shapes():
    conforms, _, text = validate(ontology_graph(), shacl_graph=shapes_graph(), inference="none")
    assert conforms, text


BROKEN = {
    "missing actor": (("    ckg:actor ag:acme ;\n", ""), "exactly one ckg:actor"),
    "two actors": (("ckg:actor ag:acme ;", "ckg:actor ag:acme, ag:jo ;"), "exactly one ckg:actor"),
    "actor not an agent": (("ckg:actor ag:acme ;", "ckg:actor doc:d.txt ;"), "exactly one ckg:actor"),
    "missing proposal": (("    ckg:proposal em:care-until-21 ;\n", ""), "exactly one ckg:proposal"),
    "stance not a stance": (("ckg:stance ckg:Support", "ckg:stance ckg:Statistic"), "ckg:Support or ckg:Oppose"),
    "two stances": (("ckg:stance ckg:Support", "ckg:stance ckg:Support, ckg:Oppose"), "exactly one ckg:stance"),
    "missing source": (("    oa:hasSource doc:d.txt ;\n    oa:hasSelector st:s-selector", "    oa:hasSelector st:s-selector"),
                       "exactly one oa:hasSource"),
    "missing selector": (("    oa:hasSelector st:s-selector ;\n", ""), "exactly one oa:hasSelector"),
    "start after end": (("    oa:start 0 ;\n    oa:end 26 ;", "    oa:start 40 ;\n    oa:end 26 ;"), "less than its oa:end"),
    "start equals end": (("    oa:start 0 ;\n    oa:end 26 ;", "    oa:start 26 ;\n    oa:end 26 ;"), "less than its oa:end"),
    "negative start": (("    oa:start 0 ;\n", "    oa:start -1 ;\n"), "xsd:integer >= 0"),
    "start not an integer": (("    oa:start 0 ;\n", '    oa:start "0" ;\n'), "xsd:integer >= 0"),
    "missing end": (("    oa:end 26 ;\n", ""), "exactly one oa:end"),
    "missing quote": (('    oa:exact "We call for care until 21." .', "    ."), "exactly one oa:exact"),
    "confidence above 1": (('"0.80"^^xsd:decimal', '"1.5"^^xsd:decimal'), "between 0 and 1"),
    "confidence not decimal": (('"0.80"^^xsd:decimal', '"high"'), "between 0 and 1"),
    "document without title": (('    dcterms:title "A response" ;\n', ""), "exactly one dcterms:title"),
    "document without identifier": (('    dcterms:identifier "d.txt" ;\n', ""), "exactly one dcterms:identifier"),
    "document without text": (('    dcterms:issued "2021-08"^^xsd:gYearMonth ;\n    ckg:text', '    dcterms:issued "2021-08"^^xsd:gYearMonth ;\n    ckg:sourceNote'),
                              "exactly one ckg:text"),
    "document without creator": (("    dcterms:creator ag:acme ;\n", ""), "at least one dcterms:creator"),
    "claim without author": (("    schema:author ag:jo ;\n", ""), "exactly one schema:author"),
    "claim without kind": (("    ckg:claimKind ckg:Statistic ;\n", ""), "exactly one ckg:claimKind"),
    "claim with a stance as kind": (("ckg:claimKind ckg:Statistic", "ckg:claimKind ckg:Oppose"), "exactly one ckg:claimKind"),
    "claim quote reversed": (("oa:start 27 ; oa:end 58", "oa:start 58 ; oa:end 27"), "less than its oa:end"),
    "quantity without unit": (('    schema:unitText "percent" ;\n', ""), "exactly one schema:unitText"),
    "organisation without name": (('skos:prefLabel "Acme Trust" ; ', ""), "exactly one skos:prefLabel"),
    "person without id": (('skos:notation "jo" ; ', ""), "exactly one skos:notation"),
    "emergent proposal without inCodebook": ((" ckg:inCodebook false .", " ."), "exactly one ckg:inCodebook"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_data_does_not_conform(case):
    (old, new), message = BROKEN[case]
    assert GOOD.count(old) == 1, f"the case {case!r} does not edit GOOD"
    conforms, text = _validate(GOOD.replace(old, new))
    assert not conforms, f"{case}: should not conform"
    assert message in text, text


# --- carekg.vocab.knowledge -----------------------------------------------------------------

def test_ontology_dir_holds_the_files():
    assert {"carekg.ttl", "codebook.ttl", "organisations.ttl", "shapes.ttl"} <= {
        p.name for p in ontology_dir().iterdir()}


def test_load_knowledge_matches_yaml():
    k = load_knowledge()
    assert set(k.themes) == set(THEMES_YAML)
    assert set(k.proposals) == set(PROPOSALS_YAML) and len(k.proposals) >= 50
    assert set(k.agents) == set(AGENTS_YAML)
    for pid, p in PROPOSALS_YAML.items():
        got = k.proposals[pid]
        assert (got.label, got.definition, got.theme, got.broader) == (
            p["label"], p["definition"], p["theme"], p.get("broader"))
        assert len(got.alt_labels) >= 2
    for aid, e in AGENTS_YAML.items():
        got = k.agents[aid]
        assert (got.name, got.type, got.member_of, got.role, got.succeeded_by, got.change) == (
            e["name"], e["type"], e.get("member_of"), e.get("role"), e.get("succeeded_by"), e.get("change"))
        assert set(e.get("aliases") or []) <= set(got.aliases)
    assert load_knowledge() is k  # cached
    assert k.is_person("bob-broad") and not k.is_person("tact") and not k.is_person("nobody")


def test_knowledge_doctests():
    result = doctest.testmod(knowledge_module)
    assert result.attempted > 0 and result.failed == 0


def test_graph_helpers_return_copies():
    g = ontology_graph()
    g.add((BNode(), RDFS.label, Literal("scratch")))
    assert len(ontology_graph()) == len(g) - 1
    assert len(shapes_graph()) > 50


def test_missing_ontology_dir_raises(tmp_path):
    with pytest.raises(OntologyError, match="missing"):
        load_knowledge(tmp_path)


def test_broken_turtle_raises(tmp_path):
    for name in TTL_FILES:
        shutil.copy(ONTOLOGY / name, tmp_path / name)
    with open(tmp_path / "codebook.ttl", "a", encoding="utf-8") as f:
        f.write("\ncb:broken skos:prefLabel \"unterminated .\n")
    with pytest.raises(OntologyError, match="not valid Turtle"):
        load_knowledge(tmp_path)


def test_inconsistent_turtle_raises(tmp_path):
    for name in TTL_FILES:
        shutil.copy(ONTOLOGY / name, tmp_path / name)
    text = (tmp_path / "codebook.ttl").read_text(encoding="utf-8")
    (tmp_path / "codebook.ttl").write_text(
        text.replace('    skos:definition "Give children\'s rights', '    skos:note "Give children\'s rights'),
        encoding="utf-8")
    with pytest.raises(OntologyError, match="no skos:definition"):
        load_knowledge(tmp_path)

