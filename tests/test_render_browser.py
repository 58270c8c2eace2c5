"""The HTML view, offline, in a real headless Chromium: it loads, draws, asks for nothing, never runs markup.

The markup test puts ``<script>`` and ``<img onerror>`` into quotes, a title
and an organisation's name and checks that nothing runs and the markup shows
as text. Labels are checked for overlap with the boxes vis-network reports
from the page. How fast a large view settles is measured by
``bench/html_view.py``, not here.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from carekg.networks.coalitions import annotate
from carekg.graph.triples import write_graph
from carekg.vocab.model import Agent, Document, Extraction, Span, Statement
from carekg.networks.dna import ActorInfo, StatementTable, affiliation, agreement, divergence, read_statements
from carekg.view.render import build_views, remote_references, render_html
from tests.test_networks import graph_of, hand_graph
from tests.viewtools import View, overlapping_labels

MARKUP = ('Become: <script>window.__carekgPwned = 1</script> we do not support '
          '<img src=x onerror="window.__carekgPwned = 2"> a two-tier system.')
GOVERNMENT = 'The Government <script>window.__carekgPwned = 3</script> proposes national standards.'
EVIL_NAME = '<img src=y onerror="window.__carekgPwned = 4"><b>Markup Org</b>'
SHARED_DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset" / "docs"


def annotated(graph):
    annotate(graph, agreement(hand_graph()) if graph.graph["kind"] != "agreement" else None)
    return graph


def test_page_refers_to_nothing_remote():
    page = render_html(annotated(divergence(hand_graph()))).decode("utf-8")
    assert remote_references(page) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "cdn.jsdelivr" not in page and "tom-select" not in page.lower() and "bootstrap" not in page.lower()
    assert page.count('id="ckg-network"') == 1


def test_the_page_script_and_style_come_from_package_files():
    from importlib import resources

    page = render_html(annotated(agreement(hand_graph()))).decode("utf-8")
    for name in ("view.js", "view.css"):
        asset = (resources.files("carekg.view") / name).read_text(encoding="utf-8")
        assert asset.strip() and asset in page
    assert "/*carekg:" not in page  # every slot of page.html was filled


def test_build_views_are_reproducible(tmp_path):
    first = build_views(hand_graph())
    second = build_views(hand_graph())
    assert sorted(first) == ["agreement.html", "divergence.html"]
    assert first == second


def test_view_loads_offline_draws_every_node_and_keeps_tooltips_short(browser, tmp_path):
    graph = annotated(divergence(hand_graph()))
    view = View(browser, render_html(graph), tmp_path)
    try:
        assert view.errors == [] and view.requests == []
        assert view.js("network.body.data.nodes.length") == graph.number_of_nodes() == 3
        assert view.js("Object.keys(network.getPositions()).length") == graph.number_of_nodes()
        assert view.js("network.body.data.edges.length") == graph.number_of_edges()
        node_tip = view.tip_after_hover(*view.point_of("become"))
        assert node_tip.splitlines() == ["Become", "charity · 3 statements · coalition 1 · camp A", "Click for the statements"]
        assert view.js("document.getElementById('ckg-summary').textContent").startswith("3 organisations · 2 links")
        assert view.errors == [] and view.requests == []
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
    source = read_statements(markup_graph(), passages=True)
    graph = divergence(source)
    annotate(graph, agreement(source))
    view = View(browser, render_html(graph), tmp_path)
    try:
        view.click_link("become", "uk-government")
        details = view.details()
        assert "<script>window.__carekgPwned = 1</script>" in details
        assert '<img src=x onerror="window.__carekgPwned = 2">' in details
        assert '<img src=z onerror="window.__carekgPwned = 5">' in details  # the document's title
        view.page.keyboard.press("Escape")
        assert view.tip_after_hover(*view.point_of("markup-org")).startswith(EVIL_NAME)
        view.page.fill("#ckg-search", "Markup")
        assert view.page.inner_text("#ckg-results").strip() == EVIL_NAME
        assert view.js("window.__carekgPwned") is None
        assert view.js("document.querySelectorAll('#ckg-details *, #ckg-sidebar *').length") > 0
        assert view.js("document.querySelectorAll('#ckg-details img, #ckg-details script, #ckg-tip img, #ckg-sidebar img').length") == 0
        assert view.requests == [] and view.errors == []
    finally:
        view.close()


def synthetic(organisations: int, proposals: int = 1000, seed: int = 3) -> StatementTable:
    rng = random.Random(seed)
    records = [{"actor": f"org-{i:04d}", "proposal": f"p{rng.randrange(proposals):04d}", "document": f"d{i}.txt",
                "stance": rng.choice(("support", "oppose")), "quote": f"Quote {i}.{k}", "start": k, "end": k + 5,
                "issued": f"{2018 + i % 6}-{1 + i % 12:02d}"}
               for i in range(organisations) for k in range(rng.randint(2, 5))]
    actors = [ActorInfo(f"org-{i:04d}", f"Organisation {i}", type=("charity", "government", "review")[i % 3])
              for i in range(organisations)]
    return StatementTable.from_records(records, actors=actors)


def test_two_thousand_organisations_load_offline_without_overlapping_labels(browser, tmp_path):
    """The 2,000-organisation page loads and draws everything; its settling time is bench/html_view.py's job."""
    graph = agreement(synthetic(2000))
    annotate(graph)
    assert graph.number_of_nodes() == 2000
    view = View(browser, render_html(graph), tmp_path, "large.html")
    try:
        assert view.js("network.body.data.nodes.length") == 2000
        assert view.js("network.body.data.edges.length") == 10000
        assert overlapping_labels(view.label_boxes()) == []  # at the default zoom
        view.js("network.moveTo({scale: 1, animation: false})")  # and where labels are readable
        view.page.wait_for_timeout(100)
        boxes = view.label_boxes()
        assert len(boxes) > 20 and overlapping_labels(boxes) == []
        assert view.requests == [] and view.errors == []
    finally:
        view.close()


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
        shown = set(view.js("carekgView.nodes.getIds()"))
        activity = {n: graph.nodes[n]["statements"] for n in graph.nodes}
        assert min(activity[n] for n in shown) >= max(activity[n] for n in set(graph.nodes) - shown)
        cut = min(set(graph.nodes) - shown, key=lambda n: (-activity[n], n))
        view.page.fill("#ckg-search", graph.nodes[cut]["label"])
        first = view.page.locator("#ckg-results button").first
        assert first.inner_text().startswith(graph.nodes[cut]["label"])
        assert first.inner_text().endswith("— not shown: cut to the 50 most active")
        assert first.is_disabled()
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
    from carekg.store.sparql import open_store

    path = tmp_path / "markup.ttl"
    write_graph(markup_graph(), path)
    views = build_views(open_store(path))
    view = View(browser, views["divergence.html"], tmp_path, "divergence.html")
    try:
        assert view.js("network.body.data.nodes.length") == 3
        assert view.js("window.__carekgPwned") is None and view.requests == [] and view.errors == []
    finally:
        view.close()


def _assert_no_overlap(browser, page: bytes, folder: Path, name: str) -> int:
    view = View(browser, page, folder, name)
    try:
        boxes = view.label_boxes()
        assert overlapping_labels(boxes) == [], name
        assert view.errors == [] and view.requests == [], name
        return len(boxes)
    finally:
        view.close()


def test_seed_views_have_no_overlapping_labels(browser, seed_build_dir, tmp_path):
    from carekg.store.sparql import open_store

    for name in ("agreement.html", "divergence.html"):
        drawn = _assert_no_overlap(browser, (seed_build_dir / name).read_bytes(), tmp_path, name)
        assert drawn >= 2, name
    table = read_statements(open_store(seed_build_dir / "graph.ttl"), passages=True)
    graph = affiliation(table)
    annotate(graph, agreement(table))
    proposals = sum(1 for n in graph.nodes if graph.nodes[n]["kind"] == "proposal")
    # Every node's label is drawn, proposals included, and none overlaps another.
    assert _assert_no_overlap(browser, render_html(graph), tmp_path, "affiliation.html") == graph.number_of_nodes()
    assert proposals > 5


@pytest.mark.skipif(not SHARED_DEVSET.is_dir(), reason="the devset lives in ../shared/devset (absent here)")
def test_devset_views_have_no_overlapping_labels(browser, tmp_path):
    from carekg.build import build

    build(SHARED_DEVSET, tmp_path / "devset", validate=False)
    for name in ("agreement.html", "divergence.html"):
        _assert_no_overlap(browser, (tmp_path / "devset" / name).read_bytes(), tmp_path, name)
