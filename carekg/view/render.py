"""The interactive HTML view of a network: one self-contained file that works offline.

The page is ``carekg/view/page.html`` with its style (``view.css``), script
(``view.js``), vis-network (the build that pyvis ships) and the view's data
(:func:`carekg.view.data.view_data`) inlined. Nothing on it refers to another
host.

Safety: the data is one JSON block whose ``<``, ``>`` and ``&`` are escaped,
and the script sets every text with ``textContent`` (vis-network gets no
``title``, which it would render as HTML), so a quote containing markup shows
as text and never runs.

Size: above ``max_nodes`` / ``max_edges`` the page shows the most active
organisations and the strongest links among them, and says so. Positions are
computed in Python (:mod:`carekg.view.layout`) and physics is off, so the view is
still as soon as it is drawn.
"""

from __future__ import annotations

import functools
import html
import json
import re
from html.parser import HTMLParser
from importlib import resources
from typing import Any

import networkx as nx

from carekg.errors import NetworkError
from carekg.view.data import TEXT_LIMIT, view_data

__all__ = ["DEFAULT_MAX_NODES", "DEFAULT_MAX_EDGES", "render_html", "build_views", "remote_references"]

DEFAULT_MAX_NODES = 2000
DEFAULT_MAX_EDGES = 10000
_SLOT = re.compile(r"/\*carekg:(\w+)\*/")


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


@functools.lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return (resources.files("carekg.view") / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _vis_network() -> str:
    """vis-network's script, from the copy that pyvis ships (its newest version there)."""
    folder = resources.files("pyvis") / "templates" / "lib"
    builds = sorted((entry for entry in folder.iterdir() if entry.name.startswith("vis-")),
                    key=lambda entry: [int(part) for part in re.findall(r"\d+", entry.name)])
    if not builds or not (builds[-1] / "vis-network.min.js").is_file():
        raise NetworkError("pyvis ships no vis-network build (pyvis/templates/lib/vis-*/vis-network.min.js)")
    return (builds[-1] / "vis-network.min.js").read_text(encoding="utf-8")


def render_html(graph: nx.Graph, *, title: str | None = None, max_nodes: int = DEFAULT_MAX_NODES,
                max_edges: int = DEFAULT_MAX_EDGES, max_texts: int = TEXT_LIMIT) -> bytes:
    """The network as one offline HTML page (UTF-8 bytes).

    Expects a network from :mod:`carekg.networks.dna`, ideally annotated by
    :func:`carekg.networks.coalitions.annotate` (colours follow the ``coalition`` node
    attribute) and read with passages (``read_statements(..., passages=True)``)
    so that the details panel shows the sentences around each quote. Every
    statement of the drawn organisations is in the page; above ``max_texts``
    of them only that many keep their quotes (see :func:`carekg.view.data.view_data`).
    """
    if max_nodes < 1 or max_edges < 0:
        raise NetworkError("the view needs max_nodes ≥ 1 and max_edges ≥ 0")
    kind = str(graph.graph.get("kind", "agreement"))
    title = title or f"{kind.capitalize()} network"
    nodes, edges, notice = _shown(graph, max_nodes, max_edges)
    payload = json.dumps(view_data(graph, nodes, edges, title=title, notice=notice, text_limit=max_texts), ensure_ascii=False,
                         sort_keys=True, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    parts = {"title": html.escape(title), "style": _asset("view.css"), "vis": _vis_network(), "data": payload,
             "script": _asset("view.js")}
    page = _SLOT.sub(lambda match: parts[match.group(1)], _asset("page.html"))  # one pass: inserted text is not rescanned
    leftovers = remote_references(page)
    if leftovers:
        raise NetworkError(f"the view still refers to a remote resource: {leftovers[0]!r}")
    return page.encode("utf-8")


def build_views(source: Any) -> dict[str, bytes]:
    """The agreement and divergence views of a graph, for ``carekg build``.

    ``source`` is an rdflib ``Graph`` or a pyoxigraph ``Store``. Returns the
    pages' bytes by file name (``agreement.html``, ``divergence.html``); the
    builder writes them with its other outputs. Same graph, same bytes.
    """
    from carekg.networks.coalitions import annotate
    from carekg.networks.dna import agreement, divergence, edge_evidence, read_statements

    table = read_statements(source, passages=True)
    # The page reads the proposals behind a link only for the links it draws (the contradicting pairs
    # among them), so the networks are built without them and the drawn links of divergence get theirs:
    # for every link of a large corpus they were millions of records and most of the views' time.
    agreeing = agreement(table, evidence=False)
    annotate(agreeing)
    diverging = divergence(table, evidence=False)
    annotate(diverging, agreeing)
    drawn = [(a, b) for a, b, _ in _shown(diverging, DEFAULT_MAX_NODES, DEFAULT_MAX_EDGES)[1]]
    for (a, b), found in edge_evidence(table, "divergence", drawn).items():
        diverging.edges[a, b].update(found)
    views = {"agreement.html": render_html(agreeing, title="Agreement network (carekg)"),
             "divergence.html": render_html(diverging, title="Divergence network (carekg)")}
    return views
