"""The interactive HTML view of a network: one self-contained file that works offline.

pyvis draws the network (vis-network, inlined with ``cdn_resources="in_line"``).
Everything else is ours, because pyvis's menus pull Bootstrap and Tom Select
from a CDN: a small inline legend, search and filter panel, and tooltips.

Safety: vis-network renders a string ``title`` as HTML, so nodes and edges get
no ``title`` at all. Tooltips are built as DOM elements with ``textContent``
from a JSON block whose ``<``, ``>`` and ``&`` are escaped; a quote containing
markup shows as text and never runs.

Size: above ``max_nodes`` / ``max_edges`` the page shows the most active
organisations and the strongest links among them, and says so. Physics is
bounded (``improvedLayout`` off, a fixed number of stabilisation iterations,
straight edges) and switched off once stabilised, so the view settles.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from typing import Any

import networkx as nx

from .errors import NetworkError

__all__ = ["DEFAULT_MAX_NODES", "DEFAULT_MAX_EDGES", "render_html", "build_views", "remote_references"]

DEFAULT_MAX_NODES = 2000
DEFAULT_MAX_EDGES = 10000
QUOTE_CHARS = 180
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
    "agreement": ("same stance on a proposal", "#7f97ad", False),
    "conflict": ("opposite stances on a proposal", "#d62728", False),
    "contradiction": ("support for contradicting proposals", "#ff7f0e", True),
    "both": ("conflict and contradiction", "#a0204c", True),
    "positive": ("more agreement than divergence", "#2ca02c", False),
    "negative": ("more divergence than agreement", "#d62728", False),
    "support": ("supports", "#2ca02c", False), "oppose": ("opposes", "#d62728", False),
    "mixed": ("supports and opposes", "#ff7f0e", False),
}
KIND_RELATIONS = {"agreement": ("agreement",), "divergence": ("conflict", "contradiction", "both"),
                  "subtract": ("positive", "negative"), "affiliation": ("support", "oppose", "mixed")}
# Attributes whose value a browser fetches (or navigates to) by itself.
_URL_ATTRIBUTES = frozenset(["src", "href", "action", "formaction", "poster", "data", "background", "srcset",
                             "xlink:href", "manifest", "ping", "codebase", "archive", "longdesc", "icon"])
_REMOTE_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
_CSS_REMOTE = re.compile(r"""(?:url\(\s*["']?|@import\s+["']?)\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I)


class _Markup(HTMLParser):
    """Collects what a page's own markup would fetch from another host: attributes and CSS.

    Script and JSON blocks are the tokenizer's raw text, not markup, so the
    text of documents carried in them (quotes, titles) is never read as a tag.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            urls = value.split(",") if name == "srcset" else [value]
            if name in _URL_ATTRIBUTES and any(_REMOTE_URL.match(url) for url in urls):
                self.found.append(f"<{tag} {name}={value[:60]!r}>")
            elif name == "style" and _CSS_REMOTE.search(value):
                self.found.append(f"<{tag} style={value[:60]!r}>")
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(f"<style>{data[m.start():m.start() + 60]!r}" for m in _CSS_REMOTE.finditer(data))


def remote_references(page: str) -> list[str]:
    """What a page's markup refers to on another host: attribute values and CSS ``url()``/``@import`` (none is allowed).

    >>> remote_references('<img src="//example.org/a.png"><p style="background: url(https://x.org/b)">')
    ["<img src='//example.org/a.png'>", "<p style='background: url(https://x.org/b)'>"]
    >>> remote_references('<script type="application/json">{"quote": "<img src=//example.org/x>"}</script>')
    []
    """
    parser = _Markup()
    parser.feed(page)
    parser.close()
    return parser.found


def _edge_relation(kind: str, data: dict[str, Any]) -> str:
    if kind == "divergence":
        return str(data.get("kind", "conflict"))
    if kind == "subtract":
        return "positive" if data["weight"] > 0 else "negative"
    if kind == "affiliation":
        return str(data.get("stance", "support"))
    return "agreement"


def _shown(graph: nx.Graph, max_nodes: int, max_edges: int) -> tuple[list[Any], list[tuple[Any, Any, dict]], str]:
    """The nodes and edges to draw, most active and strongest first, and the notice when cut."""
    nodes = sorted(graph.nodes, key=lambda n: (-graph.nodes[n].get("statements", 0), str(graph.nodes[n].get("label", n)), str(n)))
    kept = set(nodes[:max_nodes])
    edges = [(a, b, d) for a, b, d in graph.edges(data=True) if a in kept and b in kept]
    edges.sort(key=lambda e: (-abs(e[2].get("weight", 0)), str(e[0]), str(e[1])))
    notice = ""
    if len(nodes) > max_nodes or len(edges) > max_edges:
        what = "nodes (organisations and proposals)" if graph.graph.get("kind") == "affiliation" else "organisations"
        notice = (f"Large network: it has {graph.number_of_nodes():,} {what} and {graph.number_of_edges():,} links. "
                  f"This view shows the {min(len(nodes), max_nodes):,} most active {what.split(' ')[0]} and the "
                  f"{min(len(edges), max_edges):,} strongest links among them. Export GraphML or GEXF "
                  f"(carekg network … -o FILE.graphml) to see the whole network.")
    return nodes[:max_nodes], edges[:max_edges], notice


class _Payload:
    """The JSON the page's script reads: compact tables of proposals, documents and quotes."""

    def __init__(self) -> None:
        self.proposals: list[list[str]] = []
        self.documents: list[list[str]] = []
        self.evidence: list[list[Any]] = []
        self._index: dict[Any, int] = {}

    def _ref(self, table: list, key: Any, row: list) -> int:
        if key not in self._index:
            self._index[key] = len(table)
            table.append(row)
        return self._index[key]

    def proposal(self, proposal_id: str, label: str) -> int:
        return self._ref(self.proposals, ("p", proposal_id), [proposal_id, label])

    def item(self, evidence: dict[str, Any]) -> int:
        document = self._ref(self.documents, ("d", evidence["document"]), [evidence["document"], evidence.get("title", "")])
        quote = evidence.get("quote", "")
        short = quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS - 1].rstrip() + "…"
        key = ("e", evidence["document"], evidence.get("start"), evidence.get("end"), evidence["proposal"], evidence["stance"])
        return self._ref(self.evidence, key, [evidence["stance"], short, document])


def _payload(graph: nx.Graph, nodes: list[Any], edges: list[tuple[Any, Any, dict]], title: str, notice: str) -> dict[str, Any]:
    kind = str(graph.graph.get("kind", "agreement"))
    tables = _Payload()
    node_data = {}
    for node in nodes:
        data = graph.nodes[node]
        positions = sorted(data.get("positions", ()), key=lambda p: (-(p["support"] + p["oppose"]), p["id"]))
        node_data[str(node)] = {
            "label": str(data.get("label", node)), "type": data.get("type", "other"), "kind": data.get("kind", ""),
            "coalition": data.get("coalition", -1), "camp": data.get("camp", -1),
            "statements": data.get("statements", 0), "support": data.get("support", 0), "oppose": data.get("oppose", 0),
            "documents": data.get("documents", 0), "merged": list(data.get("merged", ())), "theme": data.get("theme", ""),
            "positions": [[tables.proposal(p["id"], p["label"]), p["support"], p["oppose"],
                           [tables.item(e) for e in p.get("evidence", ())[:1]]] for p in positions[:15]],
            "more": max(0, len(positions) - 15),
        }
    edge_data = {}
    for index, (a, b, data) in enumerate(edges):
        items = []
        for item in data.get("proposals", ())[:8]:
            sides = [[str(actor), [tables.item(e) for e in evidence[:2]], len(evidence)]
                     for actor, evidence in item.get("evidence", {}).items()]
            items.append({"r": item.get("relation", ""), "s": item.get("stance", ""),
                          "p": tables.proposal(item["id"], item.get("label", item["id"])),
                          "q": tables.proposal(item["other_id"], item.get("other_label", item["other_id"])) if "other_id" in item else -1,
                          "sides": sides})
        edge_data[f"e{index}"] = {"from": str(a), "to": str(b), "weight": data.get("weight", 0),
                                  "relation": _edge_relation(kind, data), "items": items,
                                  "more": max(0, len(data.get("proposals", ())) - 8)}
    coalitions = [{"index": c["coalition"], "colour": _colour(c["coalition"]), "size": c["size"], "labels": c["labels"][:4],
                   "proposals": [[p["label"], p["stance"], p["members"]] for p in c["proposals"][:3]]}
                  for c in graph.graph.get("coalitions", ()) if c["coalition"] < len(PALETTE)]
    types: dict[str, int] = {}
    for node in nodes:
        t = graph.nodes[node].get("type", "other")
        types[t] = types.get(t, 0) + 1
    what = "nodes" if kind == "affiliation" else "organisations"
    summary = (f"{len(nodes):,} {what} · {len(edges):,} links · "
               f"normalisation: {graph.graph.get('normalization', 'none')} · {graph.graph.get('statements', 0):,} statements")
    return {
        "title": title, "kind": kind, "summary": summary, "notice": notice,
        "polarisation": graph.graph.get("polarisation"),
        "relations": [[RELATIONS[r][0], RELATIONS[r][1], RELATIONS[r][2]] for r in KIND_RELATIONS.get(kind, ())],
        "relationColours": {r: RELATIONS[r][1] for r in RELATIONS},
        "types": [[t, SHAPES.get(t, SHAPES["other"])[1], n] for t, n in sorted(types.items())],
        "coalitions": coalitions, "noCoalition": NO_COALITION_COLOUR,
        "maxWeight": max((abs(d.get("weight", 0)) for _, _, d in edges), default=0),
        "proposals": tables.proposals, "documents": tables.documents, "evidence": tables.evidence,
        "nodes": node_data, "edges": edge_data,
    }


def _colour(coalition: int) -> str:
    return PALETTE[coalition] if 0 <= coalition < len(PALETTE) else NO_COALITION_COLOUR


def _options(node_count: int, edge_colour: str) -> dict[str, Any]:
    large = node_count > 500
    # A fixed, small number of iterations is what keeps 2,000 nodes under 5 s (stack notes).
    iterations = 150 if node_count <= 300 else 100 if node_count <= 1000 else 60
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {"enabled": True, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -6000, "springLength": 120, "springConstant": 0.03,
                                  "damping": 0.3, "avoidOverlap": 0.1},
                    "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 20, "fit": True},
                    "minVelocity": 1.0, "timestep": 0.5},
        "edges": {"smooth": False, "scaling": {"min": 1, "max": 8}, "selectionWidth": 2,
                  "color": {"color": edge_colour, "highlight": edge_colour, "hover": edge_colour, "opacity": 0.65}},
        "nodes": {"scaling": {"min": 6, "max": 34, "label": {"enabled": True, "min": 11, "max": 20, "drawThreshold": 7}},
                  "font": {"size": 12, "face": "sans-serif"}, "borderWidth": 1},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "keyboard": False},
    }


def render_html(graph: nx.Graph, *, title: str | None = None, max_nodes: int = DEFAULT_MAX_NODES,
                max_edges: int = DEFAULT_MAX_EDGES) -> bytes:
    """The network as one offline HTML page (UTF-8 bytes).

    Expects a network from :mod:`carekg.networks`, ideally annotated by
    :func:`carekg.coalitions.annotate` (colours follow the ``coalition`` node
    attribute). Nothing on the page refers to another host.
    """
    if max_nodes < 1 or max_edges < 0:
        raise NetworkError("the view needs max_nodes ≥ 1 and max_edges ≥ 0")
    from pyvis.network import Network  # pyvis imports IPython: only pay for it when drawing

    kind = str(graph.graph.get("kind", "agreement"))
    title = title or f"{kind.capitalize()} network"
    nodes, edges, notice = _shown(graph, max_nodes, max_edges)
    view = Network(height="100vh", width="100%", cdn_resources="in_line", heading="")
    for node in nodes:
        data = graph.nodes[node]
        shape, _, dashed = SHAPES.get(data.get("type", "other"), SHAPES["other"])
        label = str(data.get("label", node))
        colour: Any = _colour(data.get("coalition", -1))
        if data.get("kind") == "proposal":
            colour = {"background": "#f4f4f4", "border": "#555555"}
        options: dict[str, Any] = {"value": max(1, int(data.get("statements", 1))), "color": colour}
        if dashed:
            options["shapeProperties"] = {"borderDashes": [4, 3]}
        view.add_node(str(node), label=label if len(label) <= 32 else label[:31] + "…", shape=shape, **options)
    default = KIND_RELATIONS.get(kind, ("agreement",))[0]
    for index, (a, b, data) in enumerate(edges):
        relation = _edge_relation(kind, data)
        _, colour, dashed = RELATIONS[relation]
        # Appended directly: pyvis's add_edge scans every existing edge (quadratic), and networkx
        # already guarantees each pair appears once. Only what differs from the defaults is written.
        edge: dict[str, Any] = {"from": str(a), "to": str(b), "id": f"e{index}", "value": abs(float(data.get("weight", 0)))}
        if relation != default:
            edge["color"] = {"color": colour, "highlight": colour, "hover": colour}
        if dashed:
            edge["dashes"] = True
        view.edges.append(edge)
    view.options = _options(len(nodes), RELATIONS[default][1])
    page = view.generate_html(name="view.html")
    payload = json.dumps(_payload(graph, nodes, edges, title, notice), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _assemble(page, title, payload).encode("utf-8")


def _assemble(page: str, title: str, payload: str) -> str:
    """pyvis's page without its remote tags, plus our panel, data and script."""
    page = re.sub(r"<link\b[^>]*\bhref\s*=\s*[\"']?https?://[^>]*>", "", page, flags=re.I)
    page = re.sub(r"<script\b[^>]*\bsrc\s*=\s*[\"']?https?://[^>]*>\s*</script>", "", page, flags=re.I)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    head = f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{html.escape(title)}</title>\n'
    page = "<!DOCTYPE html>\n" + page.replace("<head>", "<head>\n" + head, 1)
    page = page.replace("</head>", f"<style>{_CSS}</style>\n</head>", 1)
    page = page.replace("<body>", f'<body>\n<script type="application/json" id="carekg-data">{payload}</script>\n{_PANEL}', 1)
    marker = page.rfind("drawGraph();")
    if marker < 0:
        raise NetworkError("unexpected pyvis template: no drawGraph() call")
    marker += len("drawGraph();")
    page = page[:marker] + "\n" + _SCRIPT + page[marker:]  # same script block: runs before stabilisation starts
    leftovers = remote_references(page)
    if leftovers:
        raise NetworkError(f"the view still refers to a remote resource: {leftovers[0]!r}")
    return page


def build_views(source: Any) -> dict[str, bytes]:
    """The agreement and divergence views of a graph, for ``carekg build``.

    ``source`` is an rdflib ``Graph`` or a pyoxigraph ``Store``. Returns the
    pages' bytes by file name (``agreement.html``, ``divergence.html``); the
    builder writes them with its other outputs. Same graph, same bytes.
    """
    from .coalitions import annotate
    from .networks import agreement, divergence, read_statements

    table = read_statements(source)
    agreeing = agreement(table)
    annotate(agreeing)
    diverging = divergence(table)
    annotate(diverging, agreeing)
    views = {"agreement.html": render_html(agreeing, title="Agreement network (carekg)"),
             "divergence.html": render_html(diverging, title="Divergence network (carekg)")}
    return views


_PANEL = """<aside id="ckg-panel">
  <h1 id="ckg-title"></h1>
  <p id="ckg-summary"></p>
  <p id="ckg-notice" class="ckg-notice" hidden></p>
  <section><h2>Search</h2>
    <input id="ckg-search" type="search" placeholder="Organisation or proposal" autocomplete="off">
    <div id="ckg-results"></div></section>
  <section><h2>Filter</h2>
    <div id="ckg-types"></div>
    <div id="ckg-coalition-filter"></div>
    <label class="ckg-row">Minimum weight <input id="ckg-min-weight" type="range" min="0" max="1" step="any" value="0">
      <span id="ckg-min-weight-value">0</span></label>
    <label class="ckg-row"><input id="ckg-physics" type="checkbox"> Keep the layout moving (physics)</label></section>
  <section><h2>Legend</h2>
    <div id="ckg-legend-coalitions"></div>
    <div id="ckg-legend-types"></div>
    <div id="ckg-legend-edges"></div>
    <p class="ckg-small">Node size: number of statements. Link width: weight. Hover a node or a link for the statements behind it.</p></section>
</aside>
"""

_CSS = """
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; }
#mynetwork { width: calc(100vw - 360px) !important; height: 100vh !important; float: none !important; border: 0 !important; }
#ckg-panel { position: fixed; top: 0; right: 0; width: 360px; height: 100vh; overflow-y: auto; box-sizing: border-box;
  padding: 10px 14px; background: #fafafa; border-left: 1px solid #ddd; }
#ckg-panel h1 { font-size: 17px; margin: 4px 0; } #ckg-panel h2 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; color: #555; }
#ckg-panel input[type=search] { width: 100%; box-sizing: border-box; padding: 4px; }
.ckg-notice { background: #fff4d6; border: 1px solid #e0c060; padding: 6px; border-radius: 4px; }
.ckg-row { display: flex; align-items: center; gap: 6px; margin: 2px 0; } .ckg-small { font-size: 11px; color: #666; }
.ckg-swatch { flex: none; display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 5px; vertical-align: middle; }
.ckg-line { flex: none; display: inline-block; width: 22px; height: 0; border-top: 3px solid; margin-right: 6px; vertical-align: middle; }
.ckg-result { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 2px 0; cursor: pointer; color: #1a4f8b; }
.ckg-tip { position: absolute; display: none; z-index: 10; max-width: 440px; max-height: 70vh; overflow: hidden; pointer-events: none;
  background: #fff; border: 1px solid #999; border-radius: 4px; padding: 8px 10px; box-shadow: 2px 2px 8px rgba(0,0,0,.2); font-size: 12px; }
.ckg-tip h3 { font-size: 13px; margin: 0 0 4px; } .ckg-tip ul { margin: 4px 0; padding-left: 16px; } .ckg-tip li { margin: 3px 0; }
.ckg-quote { color: #333; font-style: italic; } .ckg-doc { color: #777; } .ckg-support { color: #1b7a1b; } .ckg-oppose { color: #b41e1e; }
"""

# The page's own script: legend, search, filters and tooltips, all text set with textContent.
_SCRIPT = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("carekg-data").textContent);
  var container = document.getElementById("mynetwork");
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined && text !== null) e.textContent = String(text); return e; }
  function num(w) { return Math.abs(w - Math.round(w)) < 1e-9 ? String(Math.round(w)) : Number(w).toFixed(3); }
  function verb(stance) { return stance === "oppose" ? "opposes" : "supports"; }
  function label(id) { var n = D.nodes[id]; return n ? n.label : String(id); }
  function evidenceLine(ref, who, limit) {
    var ev = D.evidence[ref], doc = D.documents[ev[2]], li = el("li"), quote = ev[1];
    if (limit && quote.length > limit) quote = quote.slice(0, limit - 1) + "\u2026";
    if (who) li.appendChild(el("b", null, who + " "));
    li.appendChild(el("span", "ckg-" + ev[0], verb(ev[0]) + ": "));
    li.appendChild(el("span", "ckg-quote", "\u201c" + quote + "\u201d"));
    li.appendChild(el("span", "ckg-doc", " \u2014 " + (doc[1] || doc[0]) + (doc[1] ? " (" + doc[0] + ")" : "")));
    return li;
  }
  function nodeTip(id) {
    var n = D.nodes[id], box = el("div"); if (!n) return box;
    box.appendChild(el("h3", null, n.label));
    var facts = n.kind === "proposal" ? "proposal" + (n.theme ? " \u00b7 theme " + n.theme : "") : n.type;
    facts += " \u00b7 " + n.statements + " statement" + (n.statements === 1 ? "" : "s");
    if (n.coalition >= 0) facts += " \u00b7 coalition " + (n.coalition + 1);
    if (n.camp >= 0) facts += " \u00b7 camp " + (n.camp === 0 ? "A" : "B");
    box.appendChild(el("div", "ckg-small", facts));
    if (n.merged.length) box.appendChild(el("div", "ckg-small", "includes: " + n.merged.join(", ")));
    var list = el("ul");
    n.positions.forEach(function (p) {
      var li = el("li"), stance = p[1] && p[2] ? "supports and opposes" : (p[1] ? "supports" : "opposes");
      li.appendChild(el("span", p[2] && !p[1] ? "ckg-oppose" : "ckg-support", stance + " "));
      li.appendChild(el("span", null, D.proposals[p[0]][1] + " (" + (p[1] + p[2]) + ")"));
      if (p[3].length) { var q = el("ul"); p[3].forEach(function (r) { q.appendChild(evidenceLine(r, null, 110)); }); li.appendChild(q); }
      list.appendChild(li);
    });
    box.appendChild(list);
    if (n.more) box.appendChild(el("div", "ckg-small", "and " + n.more + " more positions"));
    return box;
  }
  function relationText(item) {
    var p = D.proposals[item.p][1];
    if (item.r === "agreement") return "both " + verb(item.s) + " " + p;
    if (item.r === "conflict") return "opposite stances on " + p;
    if (item.r === "contradiction") return p + " vs. " + D.proposals[item.q][1] + " (contradicting proposals)";
    return item.r + ": " + p;
  }
  function edgeTip(id) {
    var e = D.edges[id], box = el("div"); if (!e) return box;
    box.appendChild(el("h3", null, label(e.from) + " \u2014 " + label(e.to)));
    box.appendChild(el("div", "ckg-small", "weight " + num(e.weight) + " \u00b7 " + e.relation));
    var list = el("ul");
    e.items.forEach(function (item) {
      var li = el("li", null), quotes = el("ul");
      li.appendChild(el("b", null, relationText(item)));
      item.sides.forEach(function (side) {
        side[1].forEach(function (r) { quotes.appendChild(evidenceLine(r, label(side[0]))); });
        if (side[2] > side[1].length) quotes.appendChild(el("li", "ckg-small", label(side[0]) + ": " + (side[2] - side[1].length) + " more"));
      });
      li.appendChild(quotes); list.appendChild(li);
    });
    box.appendChild(list);
    if (e.more) box.appendChild(el("div", "ckg-small", "and " + e.more + " more proposals"));
    return box;
  }
  var tip = el("div", "ckg-tip"); tip.id = "ckg-tip"; container.appendChild(tip);
  function show(content, pointer) {
    tip.replaceChildren(content); tip.style.display = "block";
    var x = pointer.x + 14, y = pointer.y + 14, w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > container.clientWidth) x = Math.max(0, pointer.x - w - 14);
    if (y + h > container.clientHeight) y = Math.max(0, container.clientHeight - h - 4);
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  function hide() { tip.style.display = "none"; }
  network.on("hoverNode", function (p) { show(nodeTip(p.node), p.pointer.DOM); });
  network.on("hoverEdge", function (p) { show(edgeTip(p.edge), p.pointer.DOM); });
  network.on("blurNode", hide); network.on("blurEdge", hide); network.on("dragStart", hide); network.on("zoom", hide);

  function settle() {
    if (window.carekgReady) return;
    network.setOptions({physics: {enabled: document.getElementById("ckg-physics").checked}});
    window.carekgReady = true; window.carekgSettledMs = performance.now();
    document.body.setAttribute("data-ready", "1");
  }
  network.once("stabilizationIterationsDone", settle);
  network.once("stabilized", settle);
  if (!Object.keys(D.nodes).length) setTimeout(settle, 0);
  setTimeout(settle, 20000);  // whatever happens, stop moving after 20 s

  document.getElementById("ckg-title").textContent = D.title; document.title = D.title;
  var summary = D.summary; if (D.polarisation !== null && D.polarisation !== undefined) summary += " \u00b7 polarisation " + num(D.polarisation);
  document.getElementById("ckg-summary").textContent = summary;
  var notice = document.getElementById("ckg-notice");
  if (!Object.keys(D.nodes).length) { notice.textContent = "No statements match these options: the network is empty."; notice.hidden = false; }
  if (D.notice) { notice.textContent = D.notice; notice.hidden = false; }

  var legend = document.getElementById("ckg-legend-coalitions");
  D.coalitions.forEach(function (c) {
    var row = el("div", "ckg-row"), sw = el("span", "ckg-swatch"); sw.style.background = c.colour;
    var text = "Coalition " + (c.index + 1) + " (" + c.size + "): " + c.labels.join(", ") + (c.size > c.labels.length ? ", \u2026" : "");
    if (c.proposals.length) text += " \u2014 " + c.proposals.map(function (p) { return verb(p[1]) + " " + p[0]; }).join("; ");
    row.appendChild(sw); row.appendChild(el("span", null, text)); legend.appendChild(row);
  });
  var none = el("div", "ckg-row"), sw0 = el("span", "ckg-swatch"); sw0.style.background = D.noCoalition;
  none.appendChild(sw0); none.appendChild(el("span", null, "in no coalition")); legend.appendChild(none);
  var typeLegend = document.getElementById("ckg-legend-types");
  D.types.forEach(function (t) { typeLegend.appendChild(el("div", "ckg-row", t[1] + " " + t[0] + " (" + t[2] + ")")); });
  var edgeLegend = document.getElementById("ckg-legend-edges");
  D.relations.forEach(function (r) {
    var row = el("div", "ckg-row"), line = el("span", "ckg-line"); line.style.borderTopColor = r[1];
    if (r[2]) line.style.borderTopStyle = "dashed";
    row.appendChild(line); row.appendChild(el("span", null, r[0])); edgeLegend.appendChild(row);
  });

  var hiddenTypes = {}, hiddenCoalitions = {}, minWeight = 0, nodeHidden = {}, edgeHidden = {};
  function checkbox(parent, text, onChange) {
    var row = el("label", "ckg-row"), box = el("input"); box.type = "checkbox"; box.checked = true;
    box.addEventListener("change", function () { onChange(box.checked); applyFilters(); });
    row.appendChild(box); row.appendChild(el("span", null, text)); parent.appendChild(row);
  }
  var typeBox = document.getElementById("ckg-types");
  D.types.forEach(function (t) { checkbox(typeBox, t[1] + " " + t[0], function (on) { hiddenTypes[t[0]] = !on; }); });
  var coalitionBox = document.getElementById("ckg-coalition-filter");
  if (D.coalitions.length) {
    D.coalitions.forEach(function (c) { checkbox(coalitionBox, "coalition " + (c.index + 1), function (on) { hiddenCoalitions[c.index] = !on; }); });
    checkbox(coalitionBox, "in no coalition", function (on) { hiddenCoalitions["-1"] = !on; });
  }
  var slider = document.getElementById("ckg-min-weight"); slider.max = String(D.maxWeight || 1);
  slider.addEventListener("input", function () { minWeight = Number(slider.value); document.getElementById("ckg-min-weight-value").textContent = num(minWeight); applyFilters(); });
  document.getElementById("ckg-physics").addEventListener("change", function (ev) { network.setOptions({physics: {enabled: ev.target.checked}}); });
  function applyFilters() {
    var nodeUpdates = [], edgeUpdates = [];
    Object.keys(D.nodes).forEach(function (id) {
      var n = D.nodes[id], coalition = n.coalition < D.coalitions.length ? n.coalition : -1;
      var hide = !!hiddenTypes[n.type] || (n.kind !== "proposal" && !!hiddenCoalitions[String(coalition)]);
      if (!!nodeHidden[id] !== hide) { nodeHidden[id] = hide; nodeUpdates.push({id: id, hidden: hide}); }
    });
    Object.keys(D.edges).forEach(function (id) {
      var e = D.edges[id], hide = Math.abs(e.weight) < minWeight || !!nodeHidden[e.from] || !!nodeHidden[e.to];
      if (!!edgeHidden[id] !== hide) { edgeHidden[id] = hide; edgeUpdates.push({id: id, hidden: hide}); }
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
  }

  var search = document.getElementById("ckg-search"), results = document.getElementById("ckg-results");
  function focusNode(id) { network.selectNodes([id]); network.focus(id, {scale: 1.1, animation: false}); }
  function matches(query) {
    var q = query.trim().toLowerCase(), found = [];
    if (!q) return found;
    Object.keys(D.nodes).forEach(function (id) { if (D.nodes[id].label.toLowerCase().indexOf(q) >= 0 || id.toLowerCase().indexOf(q) >= 0) found.push(id); });
    return found;
  }
  search.addEventListener("input", function () {
    var found = matches(search.value); results.replaceChildren();
    found.slice(0, 12).forEach(function (id) {
      var b = el("button", "ckg-result", D.nodes[id].label); b.type = "button";
      b.addEventListener("click", function () { focusNode(id); }); results.appendChild(b);
    });
    if (found.length > 12) results.appendChild(el("div", "ckg-small", "and " + (found.length - 12) + " more"));
    if (search.value.trim() && !found.length) results.appendChild(el("div", "ckg-small", "no match"));
  });
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { var found = matches(search.value); if (found.length) focusNode(found[0]); } });
  window.carekgView = {data: D, nodeTip: nodeTip, edgeTip: edgeTip};
})();
"""
