"""The notebook API: carekg.load(...) gives DataFrames (numbers as numbers) and networks."""

from __future__ import annotations

import shutil

import networkx as nx
import pandas as pd

import pytest

import carekg
from carekg.api import CareGraph, example_graph
from carekg.errors import QueryError

EXPORT_COLUMNS = {
    "statements": "document,actor_id,actor_label,proposal_id,proposal_label,stance,quote,start,end,confidence",
    "claims": "document,claim_id,claimant_label,kind,quote,start,end,proposal_id,values",
    "organisations": "document,organisation_id,label,role",
}


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def kg(request, seed_graph_path) -> CareGraph:
    return carekg.load(seed_graph_path, store=request.param)


def test_load_is_exposed_lazily_by_the_package():
    import subprocess
    import sys

    code = "import sys, carekg; print('rdflib' in sys.modules, 'pandas' in sys.modules, callable(carekg.load))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split() == ["False", "False", "True"]


def test_load_picks_a_store_and_says_so(seed_graph_path, tmp_path):
    assert carekg.load(seed_graph_path).store == "oxigraph"  # the build's store is beside it
    shutil.copy(seed_graph_path, tmp_path / "graph.ttl")
    assert carekg.load(tmp_path / "graph.ttl").store == "rdflib"  # a small file alone
    graph = carekg.load(seed_graph_path, store="oxigraph")
    assert graph.store == "oxigraph" and repr(graph).startswith(f"<CareGraph {seed_graph_path}: ")


def test_query_returns_a_dataframe_with_numbers_as_numbers(kg):
    supporters = kg.query("supporters", proposal="raise-care-leaving-age")
    assert isinstance(supporters, pd.DataFrame)
    assert "The Fostering Network" in set(supporters["organisation"])
    assert supporters["start"].dtype == "int64" and supporters["confidence"].dtype == "float64"
    consensus = kg.query("consensus")
    assert consensus["supporters"].dtype == "int64" and consensus["supporters"].sum() >= 2 * len(consensus)


def test_inline_sparql_with_bound_values(kg):
    frame = kg.query("SELECT ?id ?label WHERE { ?a skos:notation ?id ; skos:prefLabel ?label }", id="become")
    assert frame.to_dict("records") == [{"id": "become", "label": "Become"}]
    counted = kg.query("SELECT (COUNT(?s) AS ?n) WHERE { ?s a ckg:StanceStatement }")
    assert counted["n"].dtype == "int64" and counted["n"][0] == len(kg.statements())


def test_empty_answers_keep_their_columns(kg):
    frame = kg.query("SELECT ?s ?o WHERE { ?s <urn:nothing> ?o }")
    assert list(frame.columns) == ["s", "o"] and frame.empty


@pytest.mark.parametrize("kind", sorted(EXPORT_COLUMNS))
def test_export_tables_have_the_export_columns(kg, kind):
    frame = getattr(kg, kind)()
    assert list(frame.columns[: len(EXPORT_COLUMNS[kind].split(","))]) == EXPORT_COLUMNS[kind].split(",")
    assert len(frame) > 0
    if kind != "organisations":
        assert frame["start"].dtype == "int64" and frame["end"].dtype == "int64"


def test_export_tables_match_the_build_csvs(seed_build_dir, kg):
    for kind in EXPORT_COLUMNS:
        on_disk = pd.read_csv(seed_build_dir / f"{kind}.csv", keep_default_na=False, dtype=str)
        ours = getattr(kg, kind)().astype(str)
        assert sorted(map(tuple, ours[on_disk.columns].values.tolist())) == sorted(map(tuple, on_disk.values.tolist()))


def test_network_returns_a_networkx_graph(kg):
    net = kg.network("agreement")
    assert isinstance(net, nx.Graph) and net.number_of_nodes() > 0
    assert net.has_edge("fostering-network", "become")  # both back relationship-continuity
    affiliation = kg.network("affiliation")
    assert affiliation.has_edge("fostering-network", "proposal:raise-care-leaving-age")


def test_errors_are_carekg_errors(kg):
    with pytest.raises(QueryError, match="no canned query named 'supporter'"):
        kg.query("supporter")
    with pytest.raises(QueryError, match="read-only"):
        kg.query("DELETE WHERE { ?s ?p ?o }")


def test_the_queries_table_lists_parameters():
    table = CareGraph.queries().set_index("name")
    assert table.loc["supporters", "parameters"] == "proposal (proposal)"
    assert table.loc["coalition-overlap", "parameters"] == "organisation (agent), other (agent)"


def test_example_graph_is_a_small_self_contained_graph(tmp_path):
    path = example_graph(tmp_path / "x.ttl")
    graph = carekg.load(path)
    assert set(graph.statements()["actor_id"]) == {"example-trust", "sample-council"}
    assert graph.query("contested")["proposal_id"].tolist() == ["unregulated-accommodation-standards"]
