"""Network weights and normalisations on hand-coded statements, checked against hand-computed values.

The hand-made corpus (``hand_graph``), counted per document (the default):

=============  ==========================================================
become         supports raise-care-leaving-age (twice in one.txt: one
               count), supports adequate-funding, opposes
               invest-in-early-help (two.txt)                 n = 3 (4 with
               every statement counted)
uk-government  supports raise-care-leaving-age, opposes adequate-funding,
               supports unregulated-accommodation-standards   n = 3
pause          opposes invest-in-early-help, supports
               care-for-all-under-18 (contradicts
               unregulated-accommodation-standards)           n = 2
=============  ==========================================================

Agreement: become–uk-government 1 (raise-care-leaving-age), become–pause 1
(invest-in-early-help). Divergence: become–uk-government 1 (conflict on
adequate-funding), uk-government–pause 1 (contradiction). Subtract:
become–pause +1, uk-government–pause −1, become–uk-government 0 (no edge).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from rdflib import Graph

from carekg.errors import NetworkError
from carekg.graph.triples import extraction_triples, ontology_triples, write_graph
from carekg.vocab.knowledge import load_knowledge
from carekg.vocab.model import Document, Extraction, Span, Statement
from carekg.networks.dna import (
    affiliation, agreement, divergence, network, read_statements, select_statements, subtract,
)

ONE = "The one document of the hand-made corpus. " * 8
TWO = "The second document of the hand-made corpus, a year later. " * 8


def _statement(text: str, actor: str, proposal: str, stance: str, start: int, quote: str | None = None) -> Statement:
    span = Span(start, start + len(quote), quote) if quote else Span.of(text, start, start + 12)
    return Statement(actor, proposal, stance, span, confidence=0.9)


@functools.lru_cache(maxsize=1)
def _ontology() -> tuple:
    return tuple(ontology_triples())


def graph_of(*extractions: Extraction) -> Graph:
    """An rdflib graph of the ontology plus the given hand-made extractions."""
    knowledge = load_knowledge()
    graph = Graph()
    for triple in _ontology():
        graph.add(triple)
    for extraction in extractions:
        for triple in extraction_triples(extraction, knowledge):
            graph.add(triple)
    return graph


def hand_extractions() -> list[Extraction]:
    one = Document("one.txt", ONE, title="One", published="2021-06")
    two = Document("two.txt", TWO, title="Two", published="2022-03")
    return [
        Extraction(one, statements=[
            _statement(ONE, "become", "raise-care-leaving-age", "support", 0),
            _statement(ONE, "become", "raise-care-leaving-age", "support", 20),  # a repeat in the same document
            _statement(ONE, "become", "adequate-funding", "support", 40),
            _statement(ONE, "pause", "invest-in-early-help", "oppose", 60),
            _statement(ONE, "pause", "care-for-all-under-18", "support", 80),
        ]),
        Extraction(two, statements=[
            _statement(TWO, "become", "invest-in-early-help", "oppose", 0),
            _statement(TWO, "uk-government", "raise-care-leaving-age", "support", 20),
            _statement(TWO, "uk-government", "adequate-funding", "oppose", 40),
            _statement(TWO, "uk-government", "unregulated-accommodation-standards", "support", 60),
        ]),
    ]


@functools.lru_cache(maxsize=1)
def _hand_graph() -> Graph:
    return graph_of(*hand_extractions())


def hand_graph() -> Graph:
    return _hand_graph()


def write_hand_graph(path: Path) -> Path:
    """The hand-made corpus as a Turtle file (for CLI and export tests)."""
    knowledge = load_knowledge()
    triples = list(_ontology())
    for extraction in hand_extractions():
        triples += list(extraction_triples(extraction, knowledge))
    write_graph(triples, path)
    return path


def weights(graph) -> dict[frozenset, float]:
    return {frozenset((a, b)): data["weight"] for a, b, data in graph.edges(data=True)}


def pair(a: str, b: str) -> frozenset:
    return frozenset((a, b))


BU, BP, UP = pair("become", "uk-government"), pair("become", "pause"), pair("uk-government", "pause")


def test_agreement_counts_each_document_once():
    assert weights(agreement(hand_graph())) == {BU: 1, BP: 1}


def test_agreement_with_every_statement_counted():
    # become's two supports of raise-care-leaving-age in one.txt both count: 2 × 1
    assert weights(agreement(hand_graph(), duplicates="include")) == {BU: 2, BP: 1}
    got = agreement(hand_graph(), duplicates="include", normalization="average")
    assert got["become"]["uk-government"]["weight"] == pytest.approx(2 / ((4 + 3) / 2))


@pytest.mark.parametrize("normalization, expected", [
    ("none", {BU: 1, BP: 1}),
    ("average", {BU: 1 / 3, BP: 1 / 2.5}),          # (n_a + n_b) / 2 = 3 and 2.5
    ("cosine", {BU: 1 / 9, BP: 1 / 6}),             # n_a · n_b = 9 and 6
    ("jaccard", {BU: 1 / 5, BP: 1 / 4}),            # m10 + m01 + m11 = 2 + 2 + 1 and 2 + 1 + 1
])
def test_agreement_normalisations(normalization, expected):
    assert weights(agreement(hand_graph(), normalization=normalization)) == pytest.approx(expected)


def test_divergence_counts_conflicts_and_contradictions_apart():
    graph = divergence(hand_graph())
    assert weights(graph) == {BU: 1, UP: 1}
    conflict = graph["become"]["uk-government"]
    assert (conflict["kind"], conflict["conflict"], conflict["contradiction"]) == ("conflict", 1, 0)
    assert conflict["proposal_ids"] == ["adequate-funding"]
    contradiction = graph["uk-government"]["pause"]
    assert (contradiction["kind"], contradiction["conflict"], contradiction["contradiction"]) == ("contradiction", 0, 1)
    assert contradiction["proposal_ids"] == ["care-for-all-under-18", "unregulated-accommodation-standards"]
    (item,) = contradiction["proposals"]
    assert item["relation"] == "contradiction"
    assert {e["proposal"] for e in item["evidence"]["pause"]} == {"care-for-all-under-18"}
    assert {e["proposal"] for e in item["evidence"]["uk-government"]} == {"unregulated-accommodation-standards"}


def test_divergence_without_contradictions_is_dna_conflict():
    assert weights(divergence(hand_graph(), contradictions=False)) == {BU: 1}


@pytest.mark.parametrize("normalization, expected", [
    ("average", {BU: 1 / 3, UP: 1 / 2.5}),
    ("cosine", {BU: 1 / 9, UP: 1 / 6}),
    ("jaccard", {BU: 1 / 5, UP: 1 / 5}),  # uk-government–pause share no cell: m10 + m01 = 3 + 2
])
def test_divergence_normalisations(normalization, expected):
    assert weights(divergence(hand_graph(), normalization=normalization)) == pytest.approx(expected)


def test_subtract_is_agreement_minus_divergence():
    graph = subtract(hand_graph())
    assert weights(graph) == {BP: 1, UP: -1}
    assert graph["uk-government"]["pause"]["divergence"] == 1
    assert weights(subtract(hand_graph(), normalization="average")) == pytest.approx({BP: 0.4, UP: -0.4})


def test_affiliation_weights_and_normalisations():
    graph = affiliation(hand_graph())
    edge = graph["become"]["proposal:raise-care-leaving-age"]
    assert (edge["weight"], edge["stance"], edge["support"], edge["oppose"]) == (1, "support", 1, 0)
    assert graph["uk-government"]["proposal:adequate-funding"]["stance"] == "oppose"
    assert graph.nodes["proposal:raise-care-leaving-age"]["bipartite"] == 1
    assert affiliation(hand_graph(), duplicates="include")["become"]["proposal:raise-care-leaving-age"]["weight"] == 2
    activity = affiliation(hand_graph(), normalization="activity")
    assert activity["become"]["proposal:raise-care-leaving-age"]["weight"] == pytest.approx(1 / 3)
    assert activity["pause"]["proposal:invest-in-early-help"]["weight"] == pytest.approx(1 / 2)
    prominence = affiliation(hand_graph(), normalization="prominence")
    assert prominence["become"]["proposal:raise-care-leaving-age"]["weight"] == pytest.approx(1 / 2)
    assert prominence["uk-government"]["proposal:unregulated-accommodation-standards"]["weight"] == 1


def test_edges_carry_quotes_and_documents_of_both_sides():
    edge = agreement(hand_graph())["become"]["uk-government"]
    (item,) = edge["proposals"]
    assert (item["id"], item["label"], item["relation"]) == ("raise-care-leaving-age", "Raise the care-leaving age", "agreement")
    assert [e["document"] for e in item["evidence"]["become"]] == ["one.txt"]
    assert [e["document"] for e in item["evidence"]["uk-government"]] == ["two.txt"]
    assert item["evidence"]["become"][0]["quote"] == ONE[0:12]


def test_nodes_carry_positions_and_activity():
    node = agreement(hand_graph()).nodes["become"]
    assert (node["label"], node["type"], node["statements"], node["documents"]) == ("Become", "charity", 3, 2)
    assert {(p["id"], p["support"], p["oppose"]) for p in node["positions"]} == {
        ("raise-care-leaving-age", 1, 0), ("adequate-funding", 1, 0), ("invest-in-early-help", 0, 1)}


def test_filters_theme_proposal_type_and_dates():
    assert weights(agreement(hand_graph(), themes=["leaving-care"])) == {BU: 1}
    assert set(agreement(hand_graph(), themes=["leaving-care"]).nodes) == {"become", "uk-government"}
    assert weights(divergence(hand_graph(), proposals=["adequate-funding"])) == {BU: 1}
    assert set(agreement(hand_graph(), organisation_types=["charity"]).nodes) == {"become", "pause"}
    assert weights(agreement(hand_graph(), since="2022")) == {}
    assert set(agreement(hand_graph(), since="2022").nodes) == {"become", "uk-government"}
    assert weights(agreement(hand_graph(), until="2021-06")) == {}  # one.txt only: nothing shared
    assert set(agreement(hand_graph(), until="2021-06").nodes) == {"become", "pause"}
    assert set(agreement(hand_graph(), since="2021-07", until="2021-12").nodes) == set()


def test_min_weight_drops_weaker_edges():
    assert weights(agreement(hand_graph(), duplicates="include", min_weight=2)) == {BU: 2}


def test_persons_fold_into_their_organisation_and_renames_merge():
    text = "Josh MacAlister said so; the Who Cares? Trust agreed; Become agreed too. " * 3
    document = Document("three.txt", text, published="2021-09")
    graph = graph_of(Extraction(document, statements=[
        _statement(text, "josh-macalister", "raise-care-leaving-age", "support", 0),
        _statement(text, "who-cares-trust", "raise-care-leaving-age", "support", 30),
        _statement(text, "become", "raise-care-leaving-age", "support", 60),
    ]))
    folded = agreement(graph)
    assert set(folded.nodes) == {"care-review", "who-cares-trust", "become"}
    assert folded.nodes["care-review"]["merged"] == ["josh-macalister"]
    assert set(agreement(graph, fold_persons=False).nodes) == {"josh-macalister", "who-cares-trust", "become"}
    assert agreement(graph, fold_persons=False).nodes["josh-macalister"]["type"] == "person"
    merged = agreement(graph, merge_renamed=True)
    assert set(merged.nodes) == {"care-review", "become"}
    assert merged.nodes["become"]["merged"] == ["who-cares-trust"]
    # Become and its predecessor said the same thing in one document: counted once
    assert merged.nodes["become"]["statements"] == 1


def test_unknown_author_statements_are_dropped():
    text = "Someone wrote this without a name. " * 3
    graph = graph_of(Extraction(Document("anon.txt", text), statements=[
        _statement(text, "unknown-author", "raise-care-leaving-age", "support", 0),
        _statement(text, "become", "raise-care-leaving-age", "support", 20),
    ]))
    assert set(agreement(graph).nodes) == {"become"}


def test_markup_in_quotes_is_kept_verbatim():
    text = 'We say <script>alert(1)</script> & <img src=x onerror="x()"> here.'
    graph = graph_of(Extraction(Document("markup.txt", text), statements=[
        _statement(text, "become", "raise-care-leaving-age", "support", 7, text[7:62]),
    ]))
    position = agreement(graph).nodes["become"]["positions"][0]
    assert position["evidence"][0]["quote"] == text[7:62]


def test_pyoxigraph_store_gives_the_same_network(tmp_path):
    from carekg.store.sparql import open_store

    store = open_store(write_hand_graph(tmp_path / "hand.ttl"))
    assert weights(divergence(store)) == weights(divergence(hand_graph()))
    assert read_statements(store).contradictions == read_statements(hand_graph()).contradictions


@pytest.mark.parametrize("call, message", [
    (lambda g: agreement(g, normalization="activity"),
     "normalisation 'activity' applies to two-mode (affiliation) networks; agreement takes none, average, jaccard, cosine"),
    (lambda g: affiliation(g, normalization="jaccard"),
     "normalisation 'jaccard' applies to one-mode networks; affiliation takes none, activity, prominence"),
    (lambda g: network(g, "conflict"), "unknown network kind 'conflict' (choose affiliation, agreement, divergence, subtract)"),
    (lambda g: agreement(g, since="June 2021"), "since 'June 2021' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"),
    (lambda g: agreement(g, since="2022", until="2021"), "since '2022' is after until '2021'"),
    (lambda g: agreement(g, duplicates="never"), "unknown duplicates setting 'never' (choose document or include)"),
    (lambda g: agreement(g, organisation_types=["club"]), "unknown organisation type 'club'"),
    (lambda g: agreement(g, themes=["nope"]), "unknown theme 'nope'"),
])
def test_bad_options_raise_network_errors(call, message):
    with pytest.raises(NetworkError) as error:
        call(hand_graph())
    assert str(error.value).startswith(message)


def test_select_statements_records_its_options():
    table = select_statements(hand_graph(), themes=["leaving-care"])
    assert table.options["themes"] == ["leaving-care"] and len(table.records) == 2


def test_seed_divergence_links_become_and_the_government(seed_graph_path):
    """On the seed corpus, Become opposes what the UK Government proposes on unregulated accommodation.

    ``seed_graph_path`` is ``carekg.build.build("seeds", …)``'s graph.ttl (built once per session).
    """
    from carekg.store.sparql import open_store

    graph = divergence(open_store(seed_graph_path))
    assert graph.has_edge("become", "uk-government")
    edge = graph["become"]["uk-government"]
    assert "unregulated-accommodation-standards" in edge["proposal_ids"]
    item = next(p for p in edge["proposals"] if p["id"] == "unregulated-accommodation-standards")
    assert item["relation"] == "conflict"
    assert {e["stance"] for e in item["evidence"]["become"]} == {"oppose"}
    assert {e["stance"] for e in item["evidence"]["uk-government"]} == {"support"}
    assert all(e["document"] == "004_38c260e7395d3c19.txt" for side in item["evidence"].values() for e in side)
