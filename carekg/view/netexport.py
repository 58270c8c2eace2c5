"""Networks out to files: GraphML, GEXF, CSV edge lists and the HTML view.

The format follows the output file's extension. GraphML and GEXF take only
scalar attribute values, so lists and dicts (an edge's proposals and quotes, a
node's positions) are written as JSON strings, ``None`` as "", and an
attribute that mixes ints and floats as floats, so that each attribute has
one type and Gephi, networkx and igraph read the files back.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from carekg.errors import NetworkError
from carekg.networks.export import spreadsheet_safe
from carekg.graph.triples import write_atomic

__all__ = ["FORMATS", "NetworkReport", "scalar_graph", "graphml_bytes", "gexf_bytes", "csv_bytes", "network_bytes", "write_network"]

FORMATS = (".html", ".graphml", ".gexf", ".csv")


@dataclass(frozen=True)
class NetworkReport:
    """What :func:`write_network` wrote, for the command line's summary."""

    path: Path
    kind: str
    nodes: int
    edges: int
    coalitions: int
    polarisation: float | None
    undated_dropped: int | None = None  # undated documents left out by since/until (None: no bound given)


def _scalar(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _unify(items: list[dict[str, Any]]) -> None:
    """Give each attribute one type across all items (ints that meet floats become floats, anything else text)."""
    kinds: dict[str, set[type]] = {}
    for data in items:
        for key, value in data.items():
            kinds.setdefault(key, set()).add(type(value))
    for key, types in kinds.items():
        if len(types) < 2:
            continue
        convert = float if types <= {int, float} else str
        for data in items:
            if key in data:
                data[key] = convert(data[key])


def scalar_graph(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` whose every attribute value is a scalar of one type per attribute.

    Examples
    --------
    >>> g = nx.Graph(kind="agreement")
    >>> g.add_edge("a", "b", weight=1, proposal_ids=["p", "q"])
    >>> g.add_edge("b", "c", weight=0.5, proposal_ids=["q"])
    >>> s = scalar_graph(g)
    >>> s["a"]["b"]["weight"], s["a"]["b"]["proposal_ids"]
    (1.0, '["p","q"]')
    """
    copy = nx.Graph() if not graph.is_directed() else nx.DiGraph()
    copy.graph.update({k: _scalar(v) for k, v in graph.graph.items()})
    node_items = [{k: _scalar(v) for k, v in data.items()} for _, data in graph.nodes(data=True)]
    edge_items = [{k: _scalar(v) for k, v in data.items()} for _, _, data in graph.edges(data=True)]
    _unify(node_items)
    _unify(edge_items)
    for data in edge_items:  # Gephi and igraph expect a double weight
        if isinstance(data.get("weight"), int) and not isinstance(data.get("weight"), bool):
            data["weight"] = float(data["weight"])
    copy.add_nodes_from((str(n), data) for n, data in zip(graph.nodes, node_items))
    copy.add_edges_from((str(a), str(b), data) for (a, b), data in zip(graph.edges, edge_items))
    return copy


def graphml_bytes(graph: nx.Graph) -> bytes:
    """GraphML with plain node and edge ``key`` declarations only (no yEd or other tool extensions).

    Graph-level attributes are left out: Gephi's importer knows node and edge
    keys only, and the network's kind and options are in the edge attributes
    and the command that made the file.
    """
    scalar = scalar_graph(graph)
    scalar.graph.clear()
    buffer = io.BytesIO()
    nx.write_graphml_xml(scalar, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def gexf_bytes(graph: nx.Graph) -> bytes:
    """GEXF 1.2 (Gephi's own format)."""
    buffer = io.BytesIO()
    nx.write_gexf(scalar_graph(graph), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def csv_bytes(graph: nx.Graph) -> bytes:
    """An edge list: source, target, their labels, weight, the other scalar edge attributes, then the proposals.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("a", label="A"); g.add_node("b", label="B")
    >>> g.add_edge("a", "b", weight=2, proposal_ids=["p", "q"])
    >>> print(csv_bytes(g).decode())
    source,target,source_label,target_label,weight,proposal_ids,proposals
    a,b,A,B,2,p;q,
    <BLANKLINE>
    """
    scalar_keys = sorted({k for _, _, d in graph.edges(data=True) for k, v in d.items()
                          if isinstance(v, (bool, int, float, str)) and k != "weight"})
    columns = ["source", "target", "source_label", "target_label", "weight", *scalar_keys, "proposal_ids", "proposals"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for a, b, data in graph.edges(data=True):
        row = {k: data.get(k, "") for k in scalar_keys}
        row.update(source=a, target=b, source_label=graph.nodes[a].get("label", a),
                   target_label=graph.nodes[b].get("label", b), weight=data.get("weight", ""),
                   proposal_ids=";".join(data.get("proposal_ids", ())),
                   proposals=json.dumps(data["proposals"], ensure_ascii=False, sort_keys=True) if data.get("proposals") else "")
        writer.writerow({column: spreadsheet_safe(value) for column, value in row.items()})
    return buffer.getvalue().encode("utf-8")


def network_bytes(graph: nx.Graph, suffix: str, **view_options: Any) -> bytes:
    """The network in the format of a file extension (``.html``, ``.graphml``, ``.gexf``, ``.csv``)."""
    suffix = suffix.lower()
    if suffix == ".html":
        from carekg.view.render import render_html

        return render_html(graph, **view_options)
    writers = {".graphml": graphml_bytes, ".gexf": gexf_bytes, ".csv": csv_bytes}
    if suffix not in writers:
        raise NetworkError(f"unsupported output format '{suffix or '(none)'}': use {', '.join(FORMATS)}")
    return writers[suffix](graph)


def write_network(source: Any, kind: str, output: Path | str, *, max_nodes: int | None = None,
                  max_edges: int | None = None, **options: Any) -> NetworkReport:
    """Build one network of a graph, annotate coalitions, and write it in the format of ``output``'s extension.

    ``source`` is a graph file path, an rdflib ``Graph`` or a pyoxigraph
    ``Store``; ``options`` are those of :func:`carekg.networks.dna.network`
    (normalization, min_weight, contradictions, themes, since, …).
    ``max_nodes``/``max_edges`` bound the HTML view only.
    """
    from carekg.networks.coalitions import annotate
    from carekg.networks.dna import agreement, network, read_statements
    from carekg.store.sparql import open_store

    output = Path(output)
    if output.suffix.lower() not in FORMATS:
        raise NetworkError(f"unsupported output format '{output.suffix or '(none)'}': use {', '.join(FORMATS)}")
    if isinstance(source, (str, Path)):
        source = open_store(source)
    table = read_statements(source, passages=output.suffix.lower() == ".html")
    graph = network(table, kind, **options)
    selection = {k: v for k, v in options.items() if k not in ("normalization", "min_weight", "contradictions")}
    # Coalitions always come from agreement (same selection, unnormalised), whichever network is written.
    annotate(graph, graph if kind == "agreement" else agreement(table, **selection))
    view_options = {k: v for k, v in (("max_nodes", max_nodes), ("max_edges", max_edges)) if v is not None}
    write_atomic(output, network_bytes(graph, output.suffix, **view_options))
    bounded = bool(options.get("since") or options.get("until"))
    return NetworkReport(output, kind, graph.number_of_nodes(), graph.number_of_edges(),
                         len(graph.graph.get("coalitions", ())), graph.graph.get("polarisation"),
                         graph.graph.get("undated_dropped", 0) if bounded else None)
