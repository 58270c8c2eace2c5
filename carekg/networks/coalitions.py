"""Coalitions and polarisation: who sides with whom, on what, and how split the debate is.

Functions take a network first and return plain data (lists, dicts, numbers):

- :func:`find_coalitions` runs networkx's Louvain on the agreement network
  with a fixed seed, so the same graph always gives the same coalitions.
- :func:`coalition_profiles` says what each coalition shares: the proposals
  most of its members take the same stance on.
- :func:`polarisation` splits the divergence network in two camps so that
  as much conflict as possible runs between them, and scores the split.
- :func:`annotate` writes all of it onto a network's nodes and graph
  attributes, so exports and the HTML view carry it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Hashable

import networkx as nx
import numpy as np

__all__ = ["DEFAULT_SEED", "find_coalitions", "coalition_profiles", "polarisation", "membership", "annotate"]

DEFAULT_SEED = 7
NO_COALITION = -1


def find_coalitions(graph: nx.Graph, *, weight: str = "weight", resolution: float = 1.0,
                    seed: int = DEFAULT_SEED) -> list[list[Hashable]]:
    """Coalitions of an agreement network: Louvain communities with a fixed seed.

    Only communities of two or more organisations count as coalitions (an
    organisation that agrees with nobody is not one). They come largest
    first, ties broken by their first member; members are sorted.

    Parameters
    ----------
    graph : networkx.Graph
        An agreement network (positive edge weights).
    weight : str
        The edge attribute to use as weight.
    resolution : float
        Louvain's resolution: above 1 favours smaller coalitions.
    seed : int
        The random seed: the same graph and seed give the same coalitions.

    Returns
    -------
    list of list
        The coalitions' sorted member ids.

    Examples
    --------
    >>> g = nx.Graph([("a", "b", {"weight": 3}), ("b", "c", {"weight": 3}), ("a", "c", {"weight": 3}),
    ...               ("d", "e", {"weight": 2}), ("c", "d", {"weight": 1})])
    >>> g.add_node("loner")
    >>> find_coalitions(g)
    [['a', 'b', 'c'], ['d', 'e']]
    """
    if graph.number_of_edges() == 0:
        return []
    # Louvain needs positive weights; zero-or-negative edges (possible in a subtract network) carry no agreement.
    positive = nx.Graph()
    positive.add_nodes_from(graph.nodes)
    positive.add_weighted_edges_from(
        ((a, b, d.get(weight, 1)) for a, b, d in graph.edges(data=True) if d.get(weight, 1) > 0), weight="weight")
    communities = nx.community.louvain_communities(positive, weight="weight", resolution=resolution, seed=seed)
    found = [sorted(c, key=str) for c in communities if len(c) > 1]
    return sorted(found, key=lambda members: (-len(members), str(members[0])))


def membership(coalitions: list[list[Hashable]]) -> dict[Hashable, int]:
    """Node → coalition index, from :func:`find_coalitions`' list.

    Examples
    --------
    >>> membership([["a", "b"], ["c", "d"]])
    {'a': 0, 'b': 0, 'c': 1, 'd': 1}
    """
    return {node: index for index, members in enumerate(coalitions) for node in members}


def coalition_profiles(graph: nx.Graph, coalitions: list[list[Hashable]], *, top: int = 5) -> list[dict[str, Any]]:
    """What each coalition shares: its most shared proposals and stances.

    Reads the ``positions`` node attribute that :mod:`carekg.networks.dna` sets.

    Parameters
    ----------
    graph : networkx.Graph
        A network whose nodes carry ``positions`` (and ``label``).
    coalitions : list of list
        Member ids per coalition, as :func:`find_coalitions` returns them.
    top : int
        How many proposals to keep per coalition.

    Returns
    -------
    list of dict
        Per coalition: ``coalition`` (index), ``size``, ``members``,
        ``labels`` and ``proposals``, each with ``id``, ``label``, ``stance``,
        ``members`` (how many members take that stance) and ``share``
        (members over size), most shared first.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("a", label="A", positions=[{"id": "p", "label": "P", "support": 2, "oppose": 0}])
    >>> g.add_node("b", label="B", positions=[{"id": "p", "label": "P", "support": 1, "oppose": 0},
    ...                                       {"id": "q", "label": "Q", "support": 0, "oppose": 1}])
    >>> profile = coalition_profiles(g, [["a", "b"]])[0]
    >>> profile["size"], profile["proposals"][0]
    (2, {'id': 'p', 'label': 'P', 'stance': 'support', 'members': 2, 'share': 1.0})
    """
    profiles = []
    for index, members in enumerate(coalitions):
        held: Counter[tuple[str, str]] = Counter()
        labels: dict[str, str] = {}
        for member in members:
            for position in graph.nodes[member].get("positions", ()):
                labels[position["id"]] = position.get("label", position["id"])
                for stance in ("support", "oppose"):
                    if position.get(stance):
                        held[(position["id"], stance)] += 1
        ranked = sorted(held.items(), key=lambda item: (-item[1], item[0]))[:top]
        profiles.append({
            "coalition": index, "size": len(members), "members": list(members),
            "labels": [graph.nodes[m].get("label", str(m)) for m in members],
            "proposals": [{"id": p, "label": labels[p], "stance": s, "members": n, "share": round(n / len(members), 4)}
                          for (p, s), n in ranked],
        })
    return profiles


def _spectral_split(graph: nx.Graph, nodes: list[Hashable], weight: str, seed: int) -> dict[Hashable, int]:
    """A first two-way split from the Laplacian's top eigenvector (the max-cut relaxation)."""
    laplacian = nx.laplacian_matrix(graph, nodelist=nodes, weight=weight).astype(float)
    if len(nodes) <= 400:
        _, vectors = np.linalg.eigh(laplacian.toarray())
        vector = vectors[:, -1]
    else:
        from scipy.sparse.linalg import eigsh

        start = np.random.default_rng(seed).random(len(nodes))  # fixed start vector: reproducible
        _, vectors = eigsh(laplacian, k=1, which="LA", v0=start)
        vector = vectors[:, 0]
    return {node: int(value < 0) for node, value in zip(nodes, vector)}


def _improve(graph: nx.Graph, side: dict[Hashable, int], nodes: list[Hashable], weight: str) -> None:
    """Move single nodes while that sends more conflict between the camps (one-exchange local search).

    networkx's ``one_exchange`` recomputes the whole cut for every candidate
    move, which takes minutes at a few thousand nodes; keeping each node's gain
    makes a pass linear in the edges.
    """
    def gain(node: Hashable) -> float:
        return sum((1 if side[other] == side[node] else -1) * data.get(weight, 1)
                   for other, data in graph[node].items() if other != node)

    # Each node's weight to its own camp minus its weight to the other camp, kept up to date as nodes
    # move (a move changes only its neighbours' sums), so a pass costs one look per node rather than
    # a sum over its edges. The decision itself is taken on the exact sum above, so the camps are
    # the same as when every gain is summed afresh; the running sum only rules out the nodes that
    # clearly gain nothing.
    index = {node: i for i, node in enumerate(nodes)}
    sign = np.array([1.0 if side[node] else -1.0 for node in nodes])
    neighbours = [[(index[other], float(data.get(weight, 1))) for other, data in graph[node].items() if other != node]
                  for node in nodes]
    running = np.array([sign[i] * sum(sign[j] * w for j, w in neighbours[i]) for i in range(len(nodes))])
    largest = max((sum(abs(w) for _, w in edges) for edges in neighbours), default=0.0)
    margin = 1e-9 * (1.0 + largest)  # far above the rounding a running sum can gather
    improved = True
    while improved:
        improved = False
        for i, node in enumerate(nodes):
            if running[i] > 1e-12 - margin and gain(node) > 1e-12:
                side[node] = 1 - side[node]
                sign[i] = -sign[i]
                running[i] = -running[i]
                for j, w in neighbours[i]:
                    running[j] += 2 * sign[i] * sign[j] * w
                improved = True


def polarisation(graph: nx.Graph, *, weight: str = "weight", seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """How far a divergence network splits into two camps that conflict with each other.

    The camps come from the Laplacian's top eigenvector, then single-node moves
    while they increase the conflict running between camps (a max-cut
    heuristic). ``polarisation`` = ``2·between/total − 1``: 0 when the best
    split does no better than chance would on average, 1 when every conflict
    runs between the two camps. ``modularity`` is networkx's modularity of the
    split on the same weights (negative when conflict runs between camps).

    Parameters
    ----------
    graph : networkx.Graph
        A divergence network (positive edge weights).
    weight : str
        The edge attribute to use as weight.
    seed : int
        Seed of the start vector for large graphs.

    Returns
    -------
    dict
        ``polarisation``, ``between`` and ``total`` conflict weight,
        ``modularity`` and the two ``camps`` (sorted ids, larger camp first).

    Examples
    --------
    >>> g = nx.Graph([("a", "x", {"weight": 2}), ("b", "x", {"weight": 1}), ("a", "y", {"weight": 1})])
    >>> result = polarisation(g)
    >>> result["camps"], result["polarisation"]
    ([['a', 'b'], ['x', 'y']], 1.0)
    >>> polarisation(nx.Graph())["polarisation"]
    0.0
    """
    nodes = sorted((n for n in graph.nodes if graph.degree(n) > 0), key=str)
    total = float(sum(d.get(weight, 1) for a, b, d in graph.edges(data=True) if a != b))
    if not nodes or total <= 0:
        return {"polarisation": 0.0, "between": 0.0, "total": total, "modularity": 0.0, "camps": [[], []]}
    side = _spectral_split(graph, nodes, weight, seed)
    _improve(graph, side, nodes, weight)
    camps = [sorted((n for n in nodes if side[n] == k), key=str) for k in (0, 1)]
    camps.sort(key=lambda camp: (-len(camp), [str(n) for n in camp]))
    between = float(sum(d.get(weight, 1) for a, b, d in graph.edges(data=True) if side[a] != side[b]))
    active = graph.subgraph(nodes)
    modularity = nx.community.modularity(active, [set(c) for c in camps if c], weight=weight)
    return {"polarisation": round(2 * between / total - 1, 6), "between": between, "total": total,
            "modularity": round(float(modularity), 6), "camps": camps}


def annotate(graph: nx.Graph, agreement: nx.Graph | None = None, *, seed: int = DEFAULT_SEED,
             top: int = 5) -> dict[str, Any]:
    """Write coalitions (and, on a divergence network, camps) onto a network; return them.

    Coalitions come from ``agreement`` (default: ``graph`` itself, which
    should then be an agreement network). Every node gets ``coalition``
    (-1 for none: proposals, and organisations that agree with nobody); the
    graph gets ``coalitions`` (the profiles). A divergence network's nodes also
    get ``camp`` (0, 1, or -1 when in no conflict) and the graph
    ``polarisation``.

    Examples
    --------
    >>> g = nx.Graph([("a", "b", {"weight": 1})])
    >>> summary = annotate(g)
    >>> g.nodes["a"]["coalition"], len(summary["coalitions"])
    (0, 1)
    """
    source = agreement if agreement is not None else graph
    coalitions = find_coalitions(source, seed=seed)
    index = membership(coalitions)
    for node in graph.nodes:
        graph.nodes[node]["coalition"] = index.get(node, NO_COALITION)
    profiles = coalition_profiles(source, coalitions, top=top)
    graph.graph["coalitions"] = profiles
    summary: dict[str, Any] = {"coalitions": profiles}
    if graph.graph.get("kind") == "divergence":
        split = polarisation(graph, seed=seed)
        camp = {n: k for k, members in enumerate(split["camps"]) for n in members}
        for node in graph.nodes:
            graph.nodes[node]["camp"] = camp.get(node, NO_COALITION)
        graph.graph["polarisation"] = split["polarisation"]
        graph.graph["polarisation_modularity"] = split["modularity"]
        summary["polarisation"] = split
    return summary
