"""GraphML, GEXF and CSV exports read back with networkx and csv; the format follows the extension."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from tests.test_networks import hand_graph, write_hand_graph

from carekg.networks.coalitions import annotate
from carekg.errors import NetworkError
from carekg.view.netexport import csv_bytes, gexf_bytes, graphml_bytes, scalar_graph, write_network
from carekg.networks.dna import affiliation, agreement, divergence

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def annotated_divergence() -> nx.Graph:
    graph = divergence(hand_graph())
    annotate(graph, agreement(hand_graph()))
    return graph


def test_graphml_round_trips_through_networkx(tmp_path):
    graph = annotated_divergence()
    path = tmp_path / "divergence.graphml"
    path.write_bytes(graphml_bytes(graph))
    back = nx.read_graphml(path)
    assert set(back.nodes) == set(graph.nodes) and back.number_of_edges() == graph.number_of_edges()
    edge = back["uk-government"]["pause"]
    assert (edge["weight"], edge["kind"], edge["conflict"], edge["contradiction"]) == (1.0, "contradiction", 0, 1)
    assert edge["proposal_ids"] == '["care-for-all-under-18","unregulated-accommodation-standards"]'
    proposals = json.loads(edge["proposals"])
    assert proposals[0]["relation"] == "contradiction"
    node = back.nodes["become"]
    assert (node["label"], node["type"], node["statements"], node["coalition"]) == ("Become", "charity", 3, 0)
    assert node["camp"] in (0, 1)


def test_graphml_declares_plain_scalar_keys_only():
    root = ET.fromstring(graphml_bytes(annotated_divergence()))
    keys = root.findall(f"{GRAPHML}key")
    assert {k.get("for") for k in keys} <= {"node", "edge"}
    assert {k.get("attr.type") for k in keys} <= {"string", "long", "double", "boolean"}
    assert not [k for k in keys if k.get("yfiles.type") or not k.get("attr.name")]
    weight = next(k for k in keys if k.get("attr.name") == "weight")
    assert weight.get("attr.type") == "double"


def test_gexf_round_trips_through_networkx(tmp_path):
    graph = affiliation(hand_graph())
    annotate(graph, agreement(hand_graph()))
    path = tmp_path / "affiliation.gexf"
    path.write_bytes(gexf_bytes(graph))
    back = nx.read_gexf(path)
    assert set(back.nodes) == set(graph.nodes) and back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["proposal:raise-care-leaving-age"]["label"] == "Raise the care-leaving age"
    assert back.nodes["proposal:raise-care-leaving-age"]["bipartite"] == 1
    assert back["uk-government"]["proposal:adequate-funding"]["stance"] == "oppose"
    assert back["become"]["proposal:raise-care-leaving-age"]["weight"] == 1.0


def test_csv_edge_list_columns_and_values():
    rows = list(csv.DictReader(io.StringIO(csv_bytes(divergence(hand_graph())).decode("utf-8"))))
    assert list(rows[0]) == ["source", "target", "source_label", "target_label", "weight", "conflict",
                             "contradiction", "kind", "proposal_ids", "proposals"]
    by_pair = {frozenset((r["source"], r["target"])): r for r in rows}
    row = by_pair[frozenset(("become", "uk-government"))]
    assert (row["weight"], row["kind"], row["proposal_ids"]) == ("1", "conflict", "adequate-funding")
    evidence = json.loads(row["proposals"])[0]["evidence"]
    assert {e["document"] for side in evidence.values() for e in side} == {"one.txt", "two.txt"}


def test_scalar_graph_leaves_only_scalars_of_one_type():
    graph = scalar_graph(annotated_divergence())
    for _, data in list(graph.nodes(data=True)) + [(None, d) for _, _, d in graph.edges(data=True)]:
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
    assert all(isinstance(d["weight"], float) for _, _, d in graph.edges(data=True))


@pytest.mark.parametrize("suffix, check", [
    (".graphml", lambda p: nx.read_graphml(p).number_of_nodes() == 3),
    (".gexf", lambda p: nx.read_gexf(p).number_of_nodes() == 3),
    (".csv", lambda p: p.read_text(encoding="utf-8").startswith("source,target,")),
    (".html", lambda p: p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")),
])
def test_write_network_follows_the_extension(tmp_path, suffix, check):
    graph_file = write_hand_graph(tmp_path / "hand.ttl")
    report = write_network(graph_file, "agreement", tmp_path / f"out{suffix}")
    assert check(report.path)
    assert (report.nodes, report.edges, report.coalitions) == (3, 2, 1)


def test_write_network_rejects_unknown_extensions(tmp_path):
    with pytest.raises(NetworkError, match=r"^unsupported output format '\.txt': use \.html, \.graphml, \.gexf, \.csv$"):
        write_network(hand_graph(), "agreement", tmp_path / "out.txt")
    assert not (tmp_path / "out.txt").exists()


def test_exports_are_byte_identical_across_runs(tmp_path):
    for suffix in (".graphml", ".gexf", ".csv", ".html"):
        first = write_network(hand_graph(), "divergence", tmp_path / f"a{suffix}").path.read_bytes()
        second = write_network(hand_graph(), "divergence", tmp_path / f"b{suffix}").path.read_bytes()
        assert first == second, suffix
