"""The graph carekg writes for a hand-coded tiny corpus equals a golden Turtle file."""

import os
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from carekg.ingest.corpus import read_corpus
from carekg.graph.triples import agent_iri, document_iri, extraction_triples, load_graph, write_graph
from carekg.vocab.knowledge import load_knowledge
from carekg.vocab.model import Agent, Claim, Extraction, Mention, Quantity, Span, Statement
from carekg.vocab.namespace import CKG, DCTERMS, OA

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "tiny-golden.ttl"


def tiny_coding() -> Extraction:
    """The tiny corpus coded by hand, as an analyst would."""
    document = read_corpus(DATA / "tiny").documents[0]
    text = document.text
    trust = Agent("example-trust", "Example Trust", organisation_type="charity")
    claim = Claim("example-trust", "statistic", Span.of(text, 126, 169),
                  values=(Quantity(48.0, "percent", "48%"),), proposal_id="raise-care-leaving-age", confidence=0.9)
    return Extraction(
        document=document,
        agents={trust.id: trust, "uk-government": Agent("uk-government", "UK Government", in_registry=True)},
        mentions=[Mention("example-trust", "author", Span.of(text, 0, 17)), Mention("uk-government", "mentioned")],
        statements=[Statement("example-trust", "raise-care-leaving-age", "support", Span.of(text, 92, 124),
                              confidence=0.85, evidence=(claim.key,))],
        claims=[claim],
    )


def write_tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.ttl"
    write_graph(extraction_triples(tiny_coding(), load_knowledge()), path)
    return path


def built_graph(tmp_path: Path) -> Graph:
    return load_graph(write_tiny(tmp_path))


def test_tiny_graph_matches_golden(tmp_path):
    path = write_tiny(tmp_path)
    if os.environ.get("CAREKG_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(path.read_bytes())  # carekg's own Turtle, so lexical forms stay as written
    graph = load_graph(path)
    expected = Graph().parse(GOLDEN, format="turtle")
    if not isomorphic(graph, expected):
        _, only_built, only_golden = graph_diff(to_isomorphic(graph), to_isomorphic(expected))
        lines = ["built graph differs from tests/data/tiny-golden.ttl"]
        lines += [f"+ {s.n3()} {p.n3()} {o.n3()}" for s, p, o in sorted(only_built)]
        lines += [f"- {s.n3()} {p.n3()} {o.n3()}" for s, p, o in sorted(only_golden)]
        pytest.fail("\n".join(lines))


def test_quotes_are_the_text_at_their_offsets(tmp_path):
    graph = built_graph(tmp_path)
    text = str(graph.value(document_iri("letter.txt"), CKG.text))
    selectors = list(graph.subjects(OA.exact, None))
    assert len(selectors) == 2
    for selector in selectors:
        start, end = int(graph.value(selector, OA.start)), int(graph.value(selector, OA.end))
        assert text[start:end] == str(graph.value(selector, OA.exact))


def test_curly_apostrophe_is_kept_in_stored_text(tmp_path):
    graph = built_graph(tmp_path)
    assert "review’s" in str(graph.value(document_iri("letter.txt"), CKG.text))


def test_publisher_not_in_registry_resolves_to_the_found_agent(tmp_path):
    graph = built_graph(tmp_path)
    assert graph.value(document_iri("letter.txt"), DCTERMS.publisher) == agent_iri("example-trust")
