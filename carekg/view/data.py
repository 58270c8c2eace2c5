"""The data an HTML view's page reads: nodes with their positions, every statement, the words of the legend.

One JSON object (see :func:`view_data`). The page recomputes link weights
from the statements when the reader narrows the time window, so the
statements are a flat table and a link is only its two ends and the weight
carekg computed for the whole period (which the page reproduces, and a test
checks that it does).

A statement is an object with named fields, so that new fields can be added
without touching the page's other readers::

    {"id": IRI, "actor": node index, "proposal": proposal index,
     "stance": "support" | "oppose", "doc": document index,
     "quote": str, "before": str, "after": str}

Statements beyond the page's text limit count in the weights without their
text; they come in short form, ``brief``: ``[actor, proposal, 0 (support) or 1
(oppose), doc]``, and the page adds them to its statements as records without
``id``, ``quote``, ``before`` and ``after``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any, Hashable

import networkx as nx

from carekg.view.layout import FONT_STACK, NodeShape, layout, short_label
from carekg.networks.dna import publication_period

__all__ = ["PALETTE", "NO_COALITION_COLOUR", "SHAPES", "RELATIONS", "KIND_RELATIONS", "view_data"]

PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6"]
NO_COALITION_COLOUR = "#c8c8c8"
# type → (vis shape, legend symbol, dashed border)
SHAPES = {
    "charity": ("dot", "●", False), "public-body": ("diamond", "◆", False), "review": ("triangle", "▲", False),
    "government": ("square", "■", False), "university": ("star", "★", False),
    "parliamentary-group": ("triangleDown", "▼", False), "media": ("hexagon", "⬢", False),
    "other": ("dot", "◌", True), "person": ("diamond", "◇", True), "proposal": ("box", "▭", False),
}
# relation → (legend text, colour, dashed)
RELATIONS = {
    "both-support": ("both support a proposal", "#4f9a5f", False),
    "both-oppose": ("both oppose a proposal", "#c0504d", False),
    "both-mixed": ("both support one proposal and both oppose another", "#8e6bbf", False),
    "conflict": ("opposite stances on a proposal", "#d62728", False),
    "contradiction": ("support for proposals the codebook marks as contradicting", "#ff7f0e", True),
    "both": ("opposite stances and contradicting proposals", "#a0204c", True),
    "positive": ("more agreement than divergence", "#2ca02c", False),
    "negative": ("more divergence than agreement", "#d62728", False),
    "support": ("supports", "#2ca02c", False), "oppose": ("opposes", "#d62728", False),
    "mixed": ("supports and opposes (in different documents)", "#ff7f0e", False),
}
KIND_RELATIONS = {"agreement": ("both-support", "both-oppose", "both-mixed"), "divergence": ("conflict", "contradiction", "both"),
                  "subtract": ("positive", "negative"), "affiliation": ("support", "oppose", "mixed")}
_WEIGHT_WORDS = {
    "agreement": "Link width: how many pairs of statements in which the two take the same stance on a proposal "
                 "(DNA's congruence).",
    "divergence": "Link width: how many pairs of statements in which the two take opposite stances on a proposal "
                  "(DNA's conflict){contradictions}.",
    "subtract": "Link width: agreement minus divergence; green links mostly agree, red ones mostly disagree.",
    "affiliation": "Link width: how many statements the organisation made on the proposal.",
}
_NORMALISATION_WORDS = {
    "none": "Weights are plain counts (no normalisation).",
    "average": "Normalisation 'average': each weight is divided by the mean number of statements of the two organisations.",
    "jaccard": "Normalisation 'jaccard': each weight is divided by the statements of the two organisations on "
               "proposal-and-stance pairs they share plus those only one of them has.",
    "cosine": "Normalisation 'cosine' (as DNA defines it): each weight is divided by the product of the two "
              "organisations' numbers of statements.",
    "activity": "Normalisation 'activity': each weight is divided by the organisation's number of statements.",
    "prominence": "Normalisation 'prominence': each weight is divided by the proposal's number of statements.",
}
_DUPLICATE_WORDS = {
    ("document", False): "A statement repeated in one document (same organisation, proposal and stance) counts once.",
    ("document", True): "One statement counts per document, organisation and proposal: the first in the text.",
    ("include", False): "Every statement counts, repeats included.",
    ("include", True): "Every statement counts, repeats included.",
}
TEXT_LIMIT = 20_000  # statements whose quote and sentences one page holds (a 2,000-organisation page stays a few MB)
PROPOSAL_FONT = 13
ORGANISATION_FONT = 14


def _colour(coalition: int) -> str:
    return PALETTE[coalition] if 0 <= coalition < len(PALETTE) else NO_COALITION_COLOUR


class _Index:
    """Rows of a table, each added once, by key."""

    def __init__(self) -> None:
        self.rows: list[Any] = []
        self._keys: dict[Any, int] = {}

    def get(self, key: Any) -> int | None:
        return self._keys.get(key)

    def add(self, key: Any, row: Any) -> int:
        if key not in self._keys:
            self._keys[key] = len(self.rows)
            self.rows.append(row)
        return self._keys[key]


def _node_size(statements: int, most: int) -> float:
    return round(7 + 15 * math.sqrt(max(statements, 0) / max(most, 1)), 1)


def _words(graph: nx.Graph, kind: str) -> dict[str, str]:
    filters = graph.graph.get("filters", {})
    contradictions = ", plus pairs in which they support two proposals the codebook marks as contradicting each other" \
        if graph.graph.get("contradictions") else ""
    words = {
        "weight": _WEIGHT_WORDS.get(kind, "").format(contradictions=contradictions),
        "normalisation": _NORMALISATION_WORDS.get(str(graph.graph.get("normalization", "none")), ""),
        "duplicates": _DUPLICATE_WORDS[(str(filters.get("duplicates", "document")), kind == "affiliation")],
        "size": "Node size: number of statements.",
    }
    if graph.graph.get("polarisation") is not None:
        words["polarisation"] = (f"Polarisation {graph.graph['polarisation']:.2f}: the share of the divergence that runs "
                                 "between the two camps, on a scale where 1 means all of it and 0 no more than a "
                                 "random split would give.")
    return words


def view_data(graph: nx.Graph, nodes: list[Hashable], edges: list[tuple[Hashable, Hashable, dict]], *, title: str,
              notice: str, text_limit: int = TEXT_LIMIT) -> dict[str, Any]:
    """The page's data for the drawn ``nodes`` and ``edges`` of a network from :mod:`carekg.networks.dna`.

    Every statement the drawn nodes count is in it (the page recomputes
    weights from them); above ``text_limit`` statements only that many keep
    their quote, sentences and id, spread over every organisation and proposal,
    and the page says so.
    """
    kind = str(graph.graph.get("kind", "agreement"))
    documents, proposals = _Index(), _Index()
    drawn = {node: k for k, node in enumerate(nodes)}
    most = max((int(graph.nodes[n].get("statements", 0)) for n in nodes), default=1)
    shapes: dict[Hashable, NodeShape] = {}
    node_rows = []
    for node in nodes:
        data = graph.nodes[node]
        is_proposal = data.get("kind") == "proposal"
        label = str(data.get("label", node))
        shape, _, dashed = SHAPES.get(str(data.get("type", "other")), SHAPES["other"])
        short = short_label(label, width=26 if is_proposal else 24)
        shapes[node] = (NodeShape(short, font=PROPOSAL_FONT, boxed=True) if is_proposal else
                        NodeShape(short, font=ORGANISATION_FONT, size=_node_size(int(data.get("statements", 0)), most)))
        coalition = int(data.get("coalition", -1))
        node_rows.append({
            "id": str(node), "label": label, "short": short, "type": str(data.get("type", "other")),
            "kind": str(data.get("kind", "")), "coalition": coalition if 0 <= coalition < len(PALETTE) else -1,
            "camp": int(data.get("camp", -1)), "shape": shape, "dashed": dashed,
            "colour": "#f4f4f4" if is_proposal else _colour(coalition), "font": shapes[node].font,
            "size": shapes[node].size, "merged": [str(m) for m in data.get("merged", ())],
            "proposal": proposals.add(data["proposal"], {"id": data["proposal"], "label": label,
                                                         "theme": str(data.get("theme", ""))}) if is_proposal else -1,
        })
    entries = []  # (node, proposal index, evidence item) of every statement the drawn nodes count
    for node in nodes:
        for position in graph.nodes[node].get("positions", ()):
            p = proposals.add(position["id"], {"id": position["id"], "label": position.get("label", position["id"]),
                                               "theme": ""})
            entries += [(node, p, item) for item in position.get("evidence", ())]
    texts = _with_text(entries, text_limit)
    statements, brief = [], []  # with their text; without it, in short form: [actor, proposal, 0 support | 1 oppose, doc]
    for k, (node, p, item) in enumerate(entries):
        if k in texts:
            statements.append({"id": item.get("statement", ""), "actor": drawn[node], "proposal": p, "stance": item["stance"],
                               "doc": _document(item, documents), "quote": item.get("quote", ""),
                               "before": item.get("before", ""), "after": item.get("after", "")})
        else:
            brief.append([drawn[node], p, int(item["stance"] == "oppose"), _document(item, documents)])
    links = [[drawn[a], drawn[b], data.get("weight", 0)] for a, b, data in edges]
    positions = layout(nodes, [(a, b, abs(float(d.get("weight", 0)) or 1.0)) for a, b, d in edges], shapes, kind=kind,
                       camps={n: int(graph.nodes[n].get("camp", -1)) for n in nodes} if kind == "divergence" else None,
                       proposals=[n for n in nodes if graph.nodes[n].get("kind") == "proposal"])
    for row, node in zip(node_rows, nodes):
        row["x"], row["y"] = positions[node]
    pairs: set[tuple[int, int]] = set()  # contradicting proposals behind the links, each pair once
    for _, _, data in edges:
        for item in data.get("proposals", ()):
            if item.get("relation") == "contradiction":
                first = proposals.add(item["id"], {"id": item["id"], "label": item.get("label", item["id"]), "theme": ""})
                other = proposals.add(item["other_id"], {"id": item["other_id"], "label": item.get("other_label", item["other_id"]),
                                                         "theme": ""})
                pairs.add((min(first, other), max(first, other)))
    cut = [[str(graph.nodes[n].get("label", n)), int(graph.nodes[n].get("statements", 0))]
           for n in graph.nodes if n not in drawn and graph.nodes[n].get("kind") != "proposal"]
    hidden = []  # the statements of organisations not drawn, for the proposals' totals (affiliation, prominence)
    if kind == "affiliation" and cut:
        for n in graph.nodes:
            if n in drawn or graph.nodes[n].get("kind") == "proposal":
                continue
            for position in graph.nodes[n].get("positions", ()):
                p = proposals.add(position["id"], {"id": position["id"], "label": position.get("label", position["id"]), "theme": ""})
                hidden += [[p, _document(item, documents)] for item in position.get("evidence", ())]
    filters = graph.graph.get("filters", {})
    return {
        "title": title, "kind": kind, "notice": notice,
        "normalization": str(graph.graph.get("normalization", "none")), "minWeight": graph.graph.get("min_weight", 0),
        "since": str(filters.get("since", "")), "until": str(filters.get("until", "")),
        "statementsTotal": int(graph.graph.get("statements", 0)),
        "totals": {"nodes": graph.number_of_nodes(), "links": graph.number_of_edges()},
        "polarisation": graph.graph.get("polarisation"),
        "documents": documents.rows, "proposals": proposals.rows, "nodes": node_rows, "statements": statements, "brief": brief,
        "links": links, "contradictions": [list(p) for p in sorted(pairs)], "cut": sorted(cut, key=lambda c: (-c[1], c[0])),
        "hidden": hidden, "coalitions": _coalitions(graph), "noCoalition": NO_COALITION_COLOUR,
        "texts": {"kept": len(texts), "total": len(entries)},
        "relations": [[r, *RELATIONS[r]] for r in KIND_RELATIONS.get(kind, ())],  # in the legend's order
        "types": sorted({row["type"] for row in node_rows}),
        "symbols": {t: SHAPES[t][1] for t in SHAPES}, "words": _words(graph, kind),
        "fontFace": FONT_STACK,
    }


def _document(item: dict[str, Any], documents: _Index) -> int:
    known = documents.get(item["document"])
    if known is not None:
        return known
    issued = str(item.get("issued", ""))
    first, last = publication_period(issued)
    return documents.add(item["document"], {"file": item["document"], "title": item.get("title", ""),
                                            "publisher": item.get("publisher", ""), "date": issued,
                                            "first": first, "last": last})


def _with_text(entries: list[tuple[Hashable, int, dict[str, Any]]], limit: int) -> set[int]:
    """Which statements keep their text: all, or ``limit`` taken in turns from every (organisation, proposal, stance).

    >>> entries = [("a", 0, {})] * 5 + [("a", 1, {})] + [("b", 0, {})] + [("b", 1, {})]
    >>> sorted(_with_text(entries, 3))
    [0, 5, 6]
    """
    if len(entries) <= limit:
        return set(range(len(entries)))
    cells: dict[tuple, list[int]] = defaultdict(list)
    for k, (node, proposal, item) in enumerate(entries):
        cells[(node, proposal, item.get("stance", ""))].append(k)
    # Turns go round the organisations first: each one's first position, then each one's second, …
    order: dict[Hashable, int] = {}
    seen: dict[Hashable, int] = defaultdict(int)
    ranked = []
    for (node, proposal, stance), ks in cells.items():
        order.setdefault(node, len(order))
        ranked.append((seen[node], order[node], ks))
        seen[node] += 1
    ranked.sort(key=lambda r: (r[0], r[1]))
    kept: list[int] = []
    for rank in range(max(len(ks) for ks in cells.values())):
        for _, _, ks in ranked:
            if rank < len(ks):
                kept.append(ks[rank])
                if len(kept) == limit:
                    return set(kept)
    return set(kept)


def _coalitions(graph: nx.Graph) -> list[dict[str, Any]]:
    return [{"index": c["coalition"], "colour": _colour(c["coalition"]), "size": c["size"], "labels": c["labels"][:4],
             "proposals": [[p["label"], p["stance"], p["members"]] for p in c["proposals"][:3]]}
            for c in graph.graph.get("coalitions", ()) if c["coalition"] < len(PALETTE)]
