"""The HTML view, offline, in a real headless Chromium.

Every request other than the page itself is aborted and recorded, so "works
offline" means: it loaded, drew every node, and asked for nothing. The markup
test puts ``<script>`` and ``<img onerror>`` into quotes and into an
organisation's name and checks that nothing runs and the markup shows as text.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from carekg.coalitions import annotate
from carekg.graph import write_graph
from carekg.model import Agent, Document, Extraction, Span, Statement
from carekg.networks import ActorInfo, StatementTable, agreement, divergence
from carekg.render import remote_references, render_html, build_views
from tests.test_networks import graph_of, hand_graph

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SETTLE_BUDGET_S = 5.0

MARKUP = ('Become: <script>window.__carekgPwned = 1</script> we do not support '
          '<img src=x onerror="window.__carekgPwned = 2"> a two-tier system.')
GOVERNMENT = 'The Government <script>window.__carekgPwned = 3</script> proposes national standards.'
EVIL_NAME = '<img src=y onerror="window.__carekgPwned = 4"><b>Markup Org</b>'


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("no browser can be launched: playwright's Python package is not installed")
    playwright = sync_playwright().start()
    try:
        executable = CHROMIUM if Path(CHROMIUM).exists() else None
        launched = playwright.chromium.launch(executable_path=executable, args=ARGS)
    except Exception as exc:  # playwright raises its own Error for a missing or broken browser
        playwright.stop()
        pytest.skip(f"no browser can be launched ({CHROMIUM} missing or broken): {exc}".splitlines()[0])
    yield launched
    launched.close()
    playwright.stop()


class View:
    """A page loaded offline, with what it asked for and what it complained about."""

    def __init__(self, browser, page_bytes: bytes, folder: Path, name: str = "view.html"):
        path = folder / name
        path.write_bytes(page_bytes)
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.route("**/*", self._route)
        self.page.goto(self.url)
        self.page.wait_for_function("window.carekgReady === true", timeout=60_000)

    def _route(self, route) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def js(self, expression: str, argument=None):
        return self.page.evaluate(expression, argument)

    def point_of(self, node: str) -> tuple[float, float]:
        return tuple(self.js("""(id) => { const p = network.canvasToDOM(network.getPositions([id])[id]);
            const r = document.getElementById('mynetwork').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }""", node))

    def hover(self, x: float, y: float) -> str:
        self.page.mouse.move(5, 5)
        self.page.wait_for_function("document.getElementById('ckg-tip').style.display !== 'block'")
        self.page.mouse.move(x, y, steps=4)
        self.page.wait_for_function("document.getElementById('ckg-tip').style.display === 'block'", timeout=5_000)
        return self.js("document.getElementById('ckg-tip').textContent")

    def hover_edge(self, a: str, b: str) -> str:
        (xa, ya), (xb, yb) = self.point_of(a), self.point_of(b)
        return self.hover((xa + xb) / 2, (ya + yb) / 2)

    def close(self) -> None:
        self.page.close()


def annotated(graph):
    annotate(graph, agreement(hand_graph()) if graph.graph["kind"] != "agreement" else None)
    return graph


def test_page_refers_to_nothing_remote():
    page = render_html(annotated(divergence(hand_graph()))).decode("utf-8")
    assert remote_references(page) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "cdn.jsdelivr" not in page and "tom-select" not in page.lower()
    assert page.count('id="mynetwork"') == 1


def test_build_views_are_reproducible(tmp_path):
    first = build_views(hand_graph())
    second = build_views(hand_graph())
    assert sorted(first) == ["agreement.html", "divergence.html"]
    assert first == second


def test_view_loads_offline_draws_every_node_and_shows_tooltips(browser, tmp_path):
    graph = annotated(divergence(hand_graph()))
    view = View(browser, render_html(graph), tmp_path)
    try:
        assert view.errors == [] and view.requests == []
        assert view.js("network.body.data.nodes.length") == graph.number_of_nodes() == 3
        assert view.js("Object.keys(network.getPositions()).length") == graph.number_of_nodes()
        assert view.js("network.body.data.edges.length") == graph.number_of_edges()
        node_tip = view.hover(*view.point_of("become"))
        assert node_tip.startswith("Become") and "Raise the care-leaving age" in node_tip
        edge_tip = view.hover_edge("become", "uk-government")
        assert "Become — UK Government" in edge_tip and "opposite stances on Adequate" in edge_tip
        assert "one.txt" in edge_tip and "two.txt" in edge_tip
        assert view.js("document.getElementById('ckg-summary').textContent").startswith("3 organisations · 2 links")
        assert view.errors == [] and view.requests == []
    finally:
        view.close()


def test_search_and_filters(browser, tmp_path):
    view = View(browser, render_html(annotated(agreement(hand_graph()))), tmp_path)
    try:
        view.page.fill("#ckg-search", "gov")
        assert view.page.inner_text("#ckg-results").strip() == "UK Government"
        view.page.click("#ckg-results button")
        assert view.js("network.getSelectedNodes()") == ["uk-government"]
        view.page.locator("#ckg-types label", has_text="charity").locator("input").uncheck()
        assert sorted(view.js("nodes.get({filter: n => n.hidden}).map(n => n.id)")) == ["become", "pause"]
        assert view.errors == []
    finally:
        view.close()


def markup_graph():
    text = MARKUP + " " + GOVERNMENT + " " + EVIL_NAME + " wants national standards too."
    start_gov = text.index(GOVERNMENT)
    start_evil = text.index(EVIL_NAME)
    document = Document("markup <b>.txt", text, title='A title with <img src=z onerror="window.__carekgPwned = 5">',
                        published="2021-06")
    evil = Agent("markup-org", EVIL_NAME, organisation_type="charity")
    return graph_of(Extraction(document, agents={evil.id: evil}, statements=[
        Statement("become", "unregulated-accommodation-standards", "oppose", Span.of(text, 0, len(MARKUP))),
        Statement("uk-government", "unregulated-accommodation-standards", "support",
                  Span.of(text, start_gov, start_gov + len(GOVERNMENT))),
        Statement("markup-org", "unregulated-accommodation-standards", "support", Span.of(text, start_evil, len(text))),
    ]))


def test_markup_in_documents_shows_as_text_and_never_runs(browser, tmp_path):
    source = markup_graph()
    graph = divergence(source)
    annotate(graph, agreement(source))
    view = View(browser, render_html(graph), tmp_path)
    try:
        edge_tip = view.hover_edge("become", "uk-government")
        assert "<script>window.__carekgPwned = 1</script>" in edge_tip
        assert '<img src=x onerror="window.__carekgPwned = 2">' in edge_tip
        assert '<img src=z onerror="window.__carekgPwned = 5">' in edge_tip  # the document's title
        node_tip = view.hover(*view.point_of("markup-org"))
        assert node_tip.startswith(EVIL_NAME)
        view.page.fill("#ckg-search", "Markup")
        assert view.page.inner_text("#ckg-results").strip() == EVIL_NAME
        assert view.js("window.__carekgPwned") is None
        assert view.js("document.querySelectorAll('#ckg-tip *, #ckg-panel *').length") > 0
        assert view.js("document.querySelectorAll('#ckg-tip img, #ckg-tip script, #ckg-tip b, #ckg-panel img').length") == 0
        assert view.requests == [] and view.errors == []
    finally:
        view.close()


def synthetic(organisations: int, proposals: int = 1000, seed: int = 3) -> StatementTable:
    rng = random.Random(seed)
    records = [{"actor": f"org-{i:04d}", "proposal": f"p{rng.randrange(proposals):04d}", "document": f"d{i}.txt",
                "stance": rng.choice(("support", "oppose")), "quote": f"Quote {i}.{k}", "start": k, "end": k + 5}
               for i in range(organisations) for k in range(rng.randint(2, 5))]
    actors = [ActorInfo(f"org-{i:04d}", f"Organisation {i}", type=("charity", "government", "review")[i % 3])
              for i in range(organisations)]
    return StatementTable.from_records(records, actors=actors)


def test_two_thousand_organisations_settle_within_budget(browser, tmp_path):
    graph = agreement(synthetic(2000))
    annotate(graph)
    assert graph.number_of_nodes() == 2000
    page = render_html(graph)
    timings = []
    for attempt in range(2):  # best of two: the machine may be busy with other tests
        view = View(browser, page, tmp_path, f"large-{attempt}.html")
        try:
            assert view.js("network.body.data.nodes.length") == 2000
            assert view.requests == [] and view.errors == []
            timings.append(view.js("window.carekgSettledMs") / 1000)
        finally:
            view.close()
        if timings[-1] < SETTLE_BUDGET_S:
            break
    assert min(timings) < SETTLE_BUDGET_S, timings


def test_beyond_the_limits_the_page_shows_the_most_active_and_says_so(browser, tmp_path):
    graph = agreement(synthetic(300, proposals=100))
    annotate(graph)
    view = View(browser, render_html(graph, max_nodes=50, max_edges=40), tmp_path)
    try:
        assert view.js("network.body.data.nodes.length") == 50
        assert view.js("network.body.data.edges.length") <= 40
        assert view.js("!document.getElementById('ckg-notice').hidden")
        text = view.js("document.getElementById('ckg-notice').textContent")
        assert text.startswith(f"Large network: it has 300 organisations and {graph.number_of_edges():,} links.")
        assert "the 50 most active organisations" in text
        shown = set(view.js("nodes.getIds()"))
        activity = {n: graph.nodes[n]["statements"] for n in graph.nodes}
        assert min(activity[n] for n in shown) >= max(activity[n] for n in set(graph.nodes) - shown)
    finally:
        view.close()


def test_an_empty_network_says_so(browser, tmp_path):
    view = View(browser, render_html(agreement(StatementTable.from_records([]))), tmp_path)
    try:
        assert view.js("network.body.data.nodes.length") == 0
        assert "network is empty" in view.js("document.getElementById('ckg-notice').textContent")
        assert view.errors == []
    finally:
        view.close()


def test_views_from_a_graph_file(browser, tmp_path):
    from carekg.sparql import open_store

    path = tmp_path / "markup.ttl"
    write_graph(markup_graph(), path)
    views = build_views(open_store(path))
    view = View(browser, views["divergence.html"], tmp_path, "divergence.html")
    try:
        assert view.js("network.body.data.nodes.length") == 3
        assert view.js("window.__carekgPwned") is None and view.requests == [] and view.errors == []
    finally:
        view.close()
