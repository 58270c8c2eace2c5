"""Coalitions, their profiles and the polarisation figure: reproducible, plain data."""

from __future__ import annotations

import networkx as nx
import pytest

from carekg.networks.coalitions import annotate, coalition_profiles, find_coalitions, membership, polarisation
from carekg.networks.dna import StatementTable, agreement, divergence


def two_blocs() -> StatementTable:
    """Three charities for p and q, three others against them, one loner."""
    records = []
    for actor in ("c1", "c2", "c3"):
        records += [{"actor": actor, "proposal": "p", "stance": "support", "document": f"{actor}.txt"},
                    {"actor": actor, "proposal": "q", "stance": "support", "document": f"{actor}.txt"}]
    for actor in ("g1", "g2", "g3"):
        records += [{"actor": actor, "proposal": "p", "stance": "oppose", "document": f"{actor}.txt"},
                    {"actor": actor, "proposal": "q", "stance": "oppose", "document": f"{actor}.txt"}]
    records.append({"actor": "loner", "proposal": "r", "stance": "support", "document": "loner.txt"})
    return StatementTable.from_records(records)


def test_coalitions_split_the_two_blocs_and_skip_the_loner():
    coalitions = find_coalitions(agreement(two_blocs()))
    assert coalitions == [["c1", "c2", "c3"], ["g1", "g2", "g3"]]
    assert membership(coalitions)["g2"] == 1


def test_coalitions_are_reproducible():
    graph = nx.connected_caveman_graph(6, 5)
    nx.set_edge_attributes(graph, 1, "weight")
    first = find_coalitions(graph)
    assert all(find_coalitions(graph) == first for _ in range(3))
    assert find_coalitions(graph, seed=7) == first  # the default seed is 7


def test_profiles_name_the_most_shared_proposals():
    graph = agreement(two_blocs())
    profiles = coalition_profiles(graph, find_coalitions(graph), top=2)
    assert [p["size"] for p in profiles] == [3, 3]
    assert profiles[0]["proposals"] == [
        {"id": "p", "label": "p", "stance": "support", "members": 3, "share": 1.0},
        {"id": "q", "label": "q", "stance": "support", "members": 3, "share": 1.0},
    ]
    assert profiles[1]["proposals"][0]["stance"] == "oppose"


def test_polarisation_of_two_opposed_blocs_is_total():
    result = polarisation(divergence(two_blocs()))
    assert result["polarisation"] == 1.0
    assert result["camps"] == [["c1", "c2", "c3"], ["g1", "g2", "g3"]]
    assert result["between"] == result["total"] == 9 * 2  # every cross pair conflicts on p and on q
    assert result["modularity"] < 0  # all conflict runs between the camps


@pytest.mark.parametrize("graph, expected", [
    (nx.complete_bipartite_graph(3, 4), 1.0),
    (nx.cycle_graph(3), pytest.approx(1 / 3)),     # the best split cuts 2 of 3 edges: 2·2/3 − 1
    (nx.complete_graph(4), pytest.approx(1 / 3)),  # 4 of 6 edges
    (nx.empty_graph(3), 0.0),
])
def test_polarisation_on_known_graphs(graph, expected):
    assert polarisation(graph)["polarisation"] == expected


def test_polarisation_scales_to_thousands_of_organisations():
    graph = nx.gnm_random_graph(2000, 10000, seed=1)
    result = polarisation(graph)
    assert 0 < result["polarisation"] < 1
    assert sum(len(c) for c in result["camps"]) == sum(1 for n in graph if graph.degree(n))


def test_annotate_writes_coalitions_and_camps_onto_nodes():
    table = two_blocs()
    agreeing, diverging = agreement(table), divergence(table)
    summary = annotate(diverging, agreeing)
    assert diverging.nodes["c1"]["coalition"] == 0 and diverging.nodes["g1"]["coalition"] == 1
    assert diverging.nodes["loner"]["coalition"] == -1 and diverging.nodes["loner"]["camp"] == -1
    assert {diverging.nodes[n]["camp"] for n in ("c1", "c2", "c3")} == {0}
    assert diverging.graph["polarisation"] == 1.0 == summary["polarisation"]["polarisation"]
    assert len(diverging.graph["coalitions"]) == 2
    annotate(agreeing)
    assert "camp" not in agreeing.nodes["c1"]
