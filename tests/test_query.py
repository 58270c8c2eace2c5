"""Canned queries: known answers, the same rows on rdflib and pyoxigraph, bound values, read-only.

Known answers come from two graphs whose content is fixed: the hand-coded
gold annotations of the seeds (``tests/gold``) turned into a graph through
carekg's own record → RDF code, and the invented example graph of
``carekg.api.example_graph``. The seed graph the extractor builds is checked
too, for the answers the issue names.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from carekg.api import example_graph
from carekg.errors import QueryError
from carekg.graph.triples import extraction_triples, ontology_triples, write_graph
from carekg.vocab.knowledge import load_knowledge
from carekg.vocab.model import Claim, Extraction, Mention, Quantity, Span, Statement
from carekg.vocab.namespace import AG, CB
from carekg.store.query import (
    PARAMETER_TYPES, Result, bind, canned_queries, check_read_only, choose_store, format_result, open_source,
    query_graph, resolve, run,
)

from .conftest import ROOT, SEEDS

GOLD = ROOT / "tests" / "gold"
REQUIRED = {"supporters", "opponents", "contested", "consensus", "profile", "evidence", "coalition-overlap", "uncoded", "timeline"}
STORES = ("rdflib", "oxigraph")
# A binding per parameterised query, so the equality test runs each both unbound and bound.
BINDINGS = {
    "supporters": {"proposal": "raise-care-leaving-age"},
    "opponents": {"proposal": "unregulated-accommodation-standards"},
    "evidence": {"proposal": "adequate-funding"},
    "profile": {"organisation": "become"},
    "coalition-overlap": {"organisation": "fostering-network", "other": "become"},
    "timeline": {"proposal": "family-and-sibling-contact", "actor": "tact"},
}


# --- the gold graph: the hand coding of the seeds, as carekg would write it ------------

_NUMBER = re.compile(r"\b(\d+(?:\.\d+)?)(%|\s+(?:per cent|[a-z]+))")


def _quantities(quote: str) -> tuple[Quantity, ...]:
    """Values a statistic states, read the plain way (48% → 48 percent, 38 practices → 38 practices)."""
    values = []
    for number, unit in _NUMBER.findall(quote):
        unit = "percent" if unit.strip() in ("%", "per cent") else unit.strip()
        values.append(Quantity(float(number), unit, f"{number}{'%' if unit == 'percent' else ' ' + unit}"))
    return tuple(values)


def gold_extractions() -> list[Extraction]:
    """One Extraction per seed document, from the gold CSVs (claims with unknown claimants left out)."""
    from carekg.ingest.corpus import read_corpus

    knowledge = load_knowledge()
    documents = {d.file: d for d in read_corpus(SEEDS).documents}
    extractions = {file: Extraction(document) for file, document in documents.items()}
    for row in csv.DictReader((GOLD / "seed-organisations.csv").open(encoding="utf-8")):
        if row["organisation"] in knowledge.agents:
            extractions[row["document"]].mentions.append(Mention(row["organisation"], row["role"].rstrip("?")))
    claims: dict[str, list[Claim]] = {}
    for row in csv.DictReader((GOLD / "seed-claims.csv").open(encoding="utf-8")):
        if row["claimant"] not in knowledge.agents:
            continue
        text = documents[row["document"]].text
        span = Span.of(text, int(row["start"]), int(row["end"]))
        values = _quantities(span.quote) if row["kind"] == "statistic" else ()
        claim = Claim(row["claimant"], row["kind"], span, values, row["proposal"] or None, confidence=0.9)
        extractions[row["document"]].claims.append(claim)
        claims.setdefault(row["document"], []).append(claim)
    for row in csv.DictReader((GOLD / "seed-statements.csv").open(encoding="utf-8")):
        text = documents[row["document"]].text
        evidence = tuple(
            c.key for c in claims.get(row["document"], []) if c.claimant_id == row["actor"] and c.proposal_id == row["proposal"]
        )
        extractions[row["document"]].statements.append(
            Statement(row["actor"], row["proposal"], row["stance"], Span.of(text, int(row["start"]), int(row["end"])),
                      0.9 if row["explicit"] == "explicit" else 0.6, evidence)
        )
    return [extractions[file] for file in sorted(extractions)]


@pytest.fixture(scope="session")
def gold_graph_path(tmp_path_factory) -> Path:
    knowledge = load_knowledge()
    triples = list(ontology_triples())
    for extraction in gold_extractions():
        triples.extend(extraction_triples(extraction, knowledge))
    path = tmp_path_factory.mktemp("gold") / "graph.ttl"
    write_graph(triples, path)
    return path


@pytest.fixture(scope="session")
def gold(gold_graph_path):
    """The gold graph on both engines."""
    return {store: open_source(gold_graph_path, store)[0] for store in STORES}


def column(result: Result, name: str) -> list:
    return [row[name] for row in result.rows]


# --- the catalogue ------------------------------------------------------------------------

def test_every_required_canned_query_is_shipped_with_a_header():
    queries = {q.name: q for q in canned_queries()}
    assert REQUIRED <= set(queries)
    for query in queries.values():
        assert query.description and query.description[0].isupper(), query.name
        assert all(p.type in PARAMETER_TYPES for p in query.parameters.values())
        assert "# Example: carekg query" in query.text, f"{query.name} has no Example line"
        # pyoxigraph binds only returned variables: every parameter must be SELECTed
        select = re.search(r"^SELECT.*?\nWHERE", query.text, re.M | re.S).group(0)
        for name in query.parameters:
            assert re.search(rf"\?{name}\b(?!_)", select), f"{query.name} does not SELECT ?{name}"


def test_exports_and_networks_are_not_listed_but_still_resolve():
    names = {q.name for q in canned_queries()}
    assert not any(n.startswith(("export-", "network-")) for n in names)
    assert resolve("export-statements").name == "export-statements"


def test_a_query_file_is_read_with_its_header(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("# Mine.\n# @param who agent  someone\nSELECT ?who WHERE { ?s ckg:actor ?who }\n", encoding="utf-8")
    query = resolve(str(path))
    assert (query.name, query.description, list(query.parameters)) == (str(path), "Mine.", ["who"])


@pytest.mark.parametrize("text, message", [
    ("supporter", "no canned query named 'supporter' (did you mean 'supporters'?); see carekg query --list"),
    ("missing.rq", "query file 'missing.rq' does not exist"),
])
def test_unknown_queries_are_errors(text, message):
    with pytest.raises(QueryError) as error:
        resolve(text)
    assert str(error.value) == message


# --- known answers --------------------------------------------------------------------------

@pytest.mark.parametrize("store", STORES)
def test_supporters_and_opponents_on_the_gold_graph(gold, store):
    result = run(gold[store], "supporters", {"proposal": "raise-care-leaving-age"})
    assert column(result, "organisation") == ["The Fostering Network"]
    assert result.rows[0]["quote"] == "Raising the leaving care age"
    assert result.rows[0]["document"] == "002_f4e7bcbae62147c4.txt" and result.rows[0]["published"] == "2013"
    opponents = run(gold[store], "opponents", {"proposal": "unregulated-accommodation-standards"})
    assert column(opponents, "organisation_id") == ["become"]
    assert " ".join(opponents.rows[0]["quote"].split()) == "We do not support the formalisation of a two-tier system"


@pytest.mark.parametrize("store", STORES)
def test_contested_and_consensus_on_the_gold_graph(gold, store):
    contested = run(gold[store], "contested")
    assert [(r["proposal_id"], r["supporter_names"], r["opponent_names"]) for r in contested.rows] == [
        ("unregulated-accommodation-standards", "UK Government", "Become")
    ]
    consensus = run(gold[store], "consensus")
    assert [(r["proposal_id"], r["supporters"], r["documents"]) for r in consensus.rows[:2]] == [
        ("carer-training", 5, 2), ("needs-led-placement", 5, 2),  # ties go by documents, then by id
    ]
    assert "unregulated-accommodation-standards" not in column(consensus, "proposal_id")
    assert min(column(consensus, "supporters")) >= 2
    assert column(consensus, "supporters") == sorted(column(consensus, "supporters"), reverse=True)


@pytest.mark.parametrize("store", STORES)
def test_profile_counts_people_for_their_organisation(gold, store):
    become = run(gold[store], "profile", {"organisation": "become"})
    assert len(become.rows) == 12 and set(column(become, "stance")) == {"support", "oppose"}
    review = run(gold[store], "profile", {"organisation": "care-review"})
    assert {(r["speaker"], r["proposal_id"]) for r in review.rows} == {
        ("", "post-removal-support"), ("", "support-over-investigation"), ("Josh MacAlister", "adequate-funding"),
    }


@pytest.mark.parametrize("store", STORES)
def test_evidence_lists_claims_with_values_and_sources(gold, store):
    result = run(gold[store], "evidence", {"proposal": "restore-family-help-funding"})
    assert [(r["claimant_id"], r["kind"], r["values"]) for r in result.rows] == [("action-for-children", "statistic", "48%")]
    funding = run(gold[store], "evidence", {"proposal": "adequate-funding"})
    assert set(column(funding, "kind")) == {"statistic", "research-finding"} and len(funding.rows) == 3


@pytest.mark.parametrize("store", STORES)
def test_coalition_overlap_and_timeline(gold, store):
    overlap = run(gold[store], "coalition-overlap", {"organisation": "fostering-network", "other": "who-cares-trust"})
    assert [(r["proposal_id"], r["stance"]) for r in overlap.rows] == [
        ("carer-training", "support"), ("needs-led-placement", "support"), ("placement-choice", "support"),
    ]
    assert overlap.rows[1]["organisation_quote"] == "Ensuring that new placements are properly planned"
    timeline = run(gold[store], "timeline", {"proposal": "post-removal-support"})
    assert column(timeline, "published") == ["2021-08", "2021-08", "2022-06"]
    everything = column(run(gold[store], "timeline"), "published")
    assert everything == sorted(everything) and everything[0] == "2013"


@pytest.mark.parametrize("store", STORES)
def test_uncoded_lists_emergent_asks(store):
    source, _ = open_source(example_graph(), store)
    result = run(source, "uncoded")
    assert [(r["proposal_id"], r["organisation"], r["quote"]) for r in result.rows] == [
        ("emergent:national-care-leavers-card", "Example Trust", "We also ask for a national care leavers' card")
    ]


def test_the_seed_graph_answers_the_issue_question(seed_graph_path):
    for store in STORES:
        result = query_graph(seed_graph_path, "supporters", {"proposal": "raise-care-leaving-age"}, store=store)
        fostering = [r for r in result.rows if r["organisation"] == "The Fostering Network"]
        assert fostering and "Raising the leaving care age" in fostering[0]["quote"]


def test_the_seed_graph_knows_who_opposes_unregulated_accommodation_standards(seed_graph_path):
    for store in STORES:
        result = query_graph(seed_graph_path, "opponents", {"proposal": "unregulated-accommodation-standards"}, store=store)
        assert "Become" in column(result, "organisation")


def test_every_canned_query_runs_on_the_seed_graph(seed_graph_path):
    source, _ = open_source(seed_graph_path, "oxigraph")
    for query in canned_queries():
        for values in ({}, BINDINGS.get(query.name, {})):
            result = run(source, query.name, values)
            assert result.columns, query.name
    assert run(source, "proposals").rows[0]["supporters"] >= 2


# --- rdflib and pyoxigraph agree ---------------------------------------------------------------

def normalised(result: Result) -> list[tuple]:
    """Rows compared across engines: numbers as floats, GROUP_CONCAT parts sorted (their order is unspecified)."""
    def cell(value):
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, (int, float, Decimal)):
            return round(float(value), 9)
        return "; ".join(sorted(str(value).split("; ")))
    return sorted((tuple(cell(row[c]) for c in result.columns) for row in result.rows), key=repr)


@pytest.mark.parametrize("graph", ["gold", "seeds", "example"])
@pytest.mark.parametrize("name", sorted(q.name for q in canned_queries()) + ["export-statements"])
def test_rdflib_and_oxigraph_give_identical_rows(graph, name, request):
    path = {"gold": "gold_graph_path", "seeds": "seed_graph_path"}.get(graph)
    path = request.getfixturevalue(path) if path else example_graph()
    sources = _sources(path)
    for values in ({}, BINDINGS.get(name, {})):
        rdflib_result, oxigraph_result = (run(sources[store], name, values) for store in STORES)
        assert rdflib_result.columns == oxigraph_result.columns
        assert normalised(rdflib_result) == normalised(oxigraph_result), (name, values)


_opened: dict[tuple[Path, str], object] = {}


def _sources(path: Path) -> dict[str, object]:
    for store in STORES:
        if (path, store) not in _opened:
            _opened[(path, store)] = open_source(path, store)[0]
    return {store: _opened[(path, store)] for store in STORES}


@pytest.mark.parametrize("store", STORES)
def test_a_graph_without_statements_answers_with_no_rows(tmp_path, store):
    path = tmp_path / "empty.ttl"
    write_graph(ontology_triples(), path)
    source, _ = open_source(path, store)
    for query in canned_queries():
        rows = run(source, query.name).rows
        if query.name == "proposals":
            assert rows and all(r["supporters"] == 0 and r["opponents"] == 0 for r in rows)
        else:
            assert rows == [], query.name


@pytest.mark.parametrize("name", sorted(BINDINGS))
def test_bound_values_without_statements_give_no_rows_on_either_engine(gold, name):
    # care-inquiry is in the registry but states nothing; care-for-all-under-18 is in the codebook but nobody takes it up
    query = resolve(name)
    values = {p: "care-inquiry" if query.parameters[p].type == "agent" else "care-for-all-under-18" for p in query.parameters}
    for store in STORES:
        assert run(gold[store], query, values).rows == [], store


# --- binding values ---------------------------------------------------------------------------

def test_canned_values_become_terms_of_their_declared_type(gold):
    source = gold["rdflib"]
    assert bind(source, resolve("supporters"), {"proposal": "raise-care-leaving-age"}) == {"proposal": CB["raise-care-leaving-age"]}
    assert bind(source, resolve("profile"), {"organisation": "The Fostering Network"}) == {"organisation": AG["fostering-network"]}
    assert bind(source, resolve("profile"), {"organisation": "<https://example.org/x>"}) == {"organisation": URIRef("https://example.org/x")}


def test_inline_values_are_plain_literals_unless_written_as_iris(gold):
    query = resolve("SELECT ?label WHERE { ?a skos:notation ?id ; skos:prefLabel ?label }")
    assert bind(gold["rdflib"], query, {"id": "become"}) == {"id": Literal("become")}
    assert bind(gold["rdflib"], query, {"a": "<https://w3id.org/carekg/agent/become>"}) == {"a": AG["become"]}
    for store in STORES:
        result = run(gold[store], "SELECT ?id ?label WHERE { ?a skos:notation ?id ; skos:prefLabel ?label }", {"id": "become"})
        assert column(result, "label") == ["Become"]


def test_a_bound_value_cannot_inject_sparql(gold):
    sneaky = 'become" } ; DROP ALL ; SELECT * WHERE { ?s ?p "x'
    for store in STORES:
        assert run(gold[store], "SELECT ?id WHERE { ?a skos:notation ?id }", {"id": sneaky}).rows == []


@pytest.mark.parametrize("name, values, message", [
    ("supporters", {"proposal": "raise-care-age"}, "no proposal 'raise-care-age' in the graph; did you mean 'raise-care-leaving-age'?"),
    ("supporters", {"organisation": "become"}, "query 'supporters' has no parameter 'organisation'; its parameters: proposal"),
    ("profile", {"organisation": "nobody-at-all"}, "no agent 'nobody-at-all' in the graph"),
    ("SELECT ?s WHERE { ?s ?p ?o }", {"x": "1"}, "the query has no variable ?x to bind"),
])
def test_bad_bindings_are_errors(gold, name, values, message):
    with pytest.raises(QueryError) as error:
        run(gold["oxigraph"], name, values)
    assert str(error.value) == message


def test_oxigraph_explains_that_bound_variables_must_be_selected(gold):
    with pytest.raises(QueryError, match="pyoxigraph can bind only variables the query SELECTs"):
        run(gold["oxigraph"], "SELECT ?label WHERE { ?a skos:notation ?id ; skos:prefLabel ?label }", {"id": "become"})


# --- read-only ----------------------------------------------------------------------------------

UPDATES = {
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }": "INSERT DATA",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }": "DELETE DATA",
    "PREFIX ckg: <https://w3id.org/carekg/ontology#>\nDELETE WHERE { ?s a ckg:StanceStatement }": "DELETE",
    "WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }": "DELETE/INSERT",
    "LOAD <http://example.org/data.ttl>": "LOAD",
    "CLEAR ALL": "CLEAR",
    "DROP DEFAULT": "DROP",
    "CREATE GRAPH <urn:g>": "CREATE",
    "ADD DEFAULT TO <urn:g>": "ADD",
    "MOVE DEFAULT TO <urn:g>": "MOVE",
    "COPY DEFAULT TO <urn:g>": "COPY",
    "# a comment first\nINSERT { ?s <urn:p> 1 } WHERE { ?s ?p ?o }": "DELETE/INSERT",
}


@pytest.mark.parametrize("text, word", UPDATES.items())
def test_updates_are_refused_and_the_graph_file_is_untouched(gold_graph_path, text, word):
    before = (gold_graph_path.read_bytes(), gold_graph_path.stat().st_mtime_ns)
    for store in STORES:
        with pytest.raises(QueryError) as error:
            query_graph(gold_graph_path, text, store=store)
        assert str(error.value) == f"carekg query is read-only: {word} is an update; use SELECT, ASK, CONSTRUCT or DESCRIBE"
    assert (gold_graph_path.read_bytes(), gold_graph_path.stat().st_mtime_ns) == before


def test_update_words_inside_strings_and_comments_are_not_updates():
    assert check_read_only('SELECT ?s WHERE { ?s ?p "INSERT DATA { }" } # DROP ALL') == "SELECT"
    assert check_read_only("ASK { ?s ?p ?o }") == "ASK"
    assert check_read_only("CONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"


def test_invalid_sparql_is_reported_as_such():
    with pytest.raises(QueryError, match="^invalid SPARQL"):
        check_read_only("SELECT ?s WHERE { ?s ?p }")


@pytest.mark.parametrize("store", STORES)
def test_ask_and_construct_answer_as_rows(gold, store):
    assert run(gold[store], "ASK { ?s a ckg:StanceStatement }").rows == [{"ask": True}]
    construct = run(gold[store], "CONSTRUCT { ?a skos:prefLabel ?l } WHERE { ?a skos:notation 'become' ; skos:prefLabel ?l }")
    assert construct.columns == ["subject", "predicate", "object"]
    assert construct.rows == [{"subject": str(AG["become"]), "predicate": "http://www.w3.org/2004/02/skos/core#prefLabel", "object": "Become"}]


# --- stores and formats ---------------------------------------------------------------------------

def test_auto_store_goes_by_file_size(gold_graph_path, monkeypatch):
    import carekg.store.query as query_module

    assert choose_store(gold_graph_path) == "rdflib"
    monkeypatch.setattr(query_module, "AUTO_OXIGRAPH_BYTES", 1000)
    assert choose_store(gold_graph_path) == "oxigraph"
    assert choose_store(gold_graph_path, "rdflib") == "rdflib"
    with pytest.raises(QueryError, match="unknown store 'jena'"):
        choose_store(gold_graph_path, "jena")


def test_formats():
    result = Result(["name", "n", "share", "ok"], [{"name": "a, b", "n": 3, "share": 0.5, "ok": True}, {"name": None, "n": 10, "share": 48.0, "ok": False}])
    assert format_result(result, "csv") == 'name,n,share,ok\n"a, b",3,0.5,true\n,10,48,false'
    assert format_result(result, "tsv") == "name\tn\tshare\tok\na, b\t3\t0.5\ttrue\n\t10\t48\tfalse"
    assert format_result(result, "json").startswith('[\n  {\n    "name": "a, b",\n    "n": 3,')
    assert format_result(result, "table", width=80).splitlines() == [
        "name   n  share  ok", "----  --  -----  -----", "a, b   3    0.5  true", "      10     48  false", "(2 rows)",
    ]


def test_a_table_too_wide_for_the_terminal_prints_one_block_per_row():
    result = Result(["proposal", "quote"], [{"proposal": "https://w3id.org/carekg/codebook/raise-care-leaving-age", "quote": "x" * 200}])
    lines = format_result(result, "table", width=60).splitlines()
    assert lines[0].startswith("-[ 1 ]---") and lines[1] == "proposal | cb:raise-care-leaving-age"
    assert lines[2] == "quote    | " + "x" * 200 and lines[-1] == "(1 row)"


@pytest.mark.parametrize("query", canned_queries(), ids=lambda q: q.name)
def test_canned_queries_are_read_only_offline_and_bind_only_variables_they_match(query):
    """So carekg may skip parsing them before each run (0.1–0.5 s of pyparsing on the command line)."""
    from carekg.store.query import is_canned
    from carekg.store.sparql import assigned_variables, parsed_query

    assert is_canned(query)
    assert check_read_only(query.text) == "SELECT"
    assert not assigned_variables(parsed_query(query.text)) & set(query.parameters)
