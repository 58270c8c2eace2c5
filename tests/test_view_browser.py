"""Working in the HTML view, in headless Chromium, offline: details that stay, search, legend, time, reach, export.

The corpus (``tests/viewcorpus.py``) has twelve dated documents by Become, one
by the Government, one by Pause and one undated document; every quote sits
between a sentence before and a sentence after it.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from carekg.networks.coalitions import annotate
from carekg.networks.dna import affiliation, agreement, divergence, read_statements, subtract
from carekg.view.render import render_html
from tests.test_networks import hand_graph
from tests.viewcorpus import reading_graph, sentence_after, sentence_before
from tests.viewtools import View


@pytest.fixture(scope="module")
def table():
    return read_statements(reading_graph(), passages=True)


def page_of(table, kind: str = "agreement", **options) -> bytes:
    builders = {"agreement": agreement, "divergence": divergence, "affiliation": affiliation, "subtract": subtract}
    graph = builders[kind](table, **options)
    annotate(graph, agreement(table) if kind != "agreement" else None)
    return render_html(graph, title=f"{kind} test")


@pytest.fixture()
def view(browser, table, tmp_path):
    opened = View(browser, page_of(table), tmp_path)
    yield opened
    opened.close()


def test_clicking_a_node_opens_details_that_stay_scroll_and_copy(view):
    view.click_node("become")
    assert view.details().startswith("Become")
    text = view.details()
    # every statement behind the node: stance, the quote with its sentences, title, publisher, date, file
    assert "charity · 36 statements (32 support, 4 oppose) on 3 proposals in 12 documents" in text
    assert "Raise the care-leaving age — supports 12" in text
    assert "Invest in early help and prevention — supports 8, opposes 4" in text
    assert view.js("document.querySelectorAll('#ckg-details .ckg-statement').length") == 36
    first = view.js("""() => { const li = document.querySelector('#ckg-details .ckg-statement');
        return [li.querySelector('.ckg-stance-support, .ckg-stance-oppose').textContent,
                li.querySelector('blockquote').textContent, li.querySelector('.ckg-source').textContent,
                li.getAttribute('data-id')]; }""")
    stance, quote, source, statement_id = first
    assert stance == "supports"
    match = re.fullmatch(r"(Point (\d) of (become-\d\d\.txt) sets the scene\.) (Become [^.]*\.) (.*)", quote)
    assert match, quote  # the sentence before, the quote, the sentence after
    assert match.group(1) == sentence_before(match.group(3), int(match.group(2)))
    assert match.group(5) == sentence_after(match.group(3), int(match.group(2)))
    assert source.startswith("“Title of become-") and " · Become · 20" in source and source.endswith(".txt")
    assert statement_id.startswith("https://w3id.org/carekg/statement/become-")
    # the panel shows the statement_id of statements.csv, which corrections.csv names
    shown_id = view.js("document.querySelector('#ckg-details .ckg-statement .ckg-id').textContent")
    assert shown_id == " · id " + statement_id.removeprefix("https://w3id.org/carekg/statement/")

    # it stays: the mouse leaves, the empty canvas is clicked, the tooltip comes and goes
    view.page.mouse.move(3, 600)
    view.page.mouse.click(20, 880)
    view.tip_after_hover(*view.point_of("pause"))
    view.page.mouse.move(3, 600)
    assert view.details().startswith("Become")

    # it scrolls to its last statement
    body = "document.getElementById('ckg-details-body')"
    assert view.js(f"{body}.scrollHeight > {body}.clientHeight + 100")
    view.js(f"{body}.scrollTop = {body}.scrollHeight")
    assert view.js(f"""() => {{ const items = document.querySelectorAll('#ckg-details .ckg-statement');
        const last = items[items.length - 1].getBoundingClientRect(), box = {body}.getBoundingClientRect();
        return last.top >= box.top && last.bottom <= box.bottom + 1; }}""")

    # its text can be selected and copied
    view.js("""() => { window.__copied = null;
        document.addEventListener('copy', () => { window.__copied = String(document.getSelection()); });
        const quote = document.querySelector('#ckg-details .ckg-quote'); const range = document.createRange();
        range.selectNodeContents(quote); const selection = document.getSelection();
        selection.removeAllRanges(); selection.addRange(range); }""")
    assert view.js("getComputedStyle(document.querySelector('#ckg-details .ckg-quote')).userSelect") != "none"
    view.page.keyboard.press("Control+C")
    assert view.js("window.__copied") == match.group(4)

    view.page.keyboard.press("Escape")
    assert view.details() == ""
    assert view.errors == [] and view.requests == []


def test_a_link_shows_both_sides_statements(view):
    view.click_link("become", "uk-government")
    text = view.details()
    assert text.startswith("Become — UK Government")
    assert "weight 20 · both support a proposal" in text
    assert "Both support Raise the care-leaving age" in text
    assert "Become (12)" in text and "UK Government (1)" in text
    assert "The Government backs raising the care-leaving age." in text
    view.page.click("#ckg-details-close")
    assert view.details() == ""


def test_a_proposal_lists_its_supporters_and_opponents(browser, table, tmp_path):
    view = View(browser, page_of(table, "affiliation"), tmp_path)
    try:
        assert view.js("network.body.nodes['proposal:adequate-funding'].labelModule.visible()")
        view.click_node("proposal:adequate-funding")
        text = view.details()
        assert text.startswith("Adequate, ring-fenced funding")
        assert "2 supporters, 1 opponent" in text
        assert "Supporters (2)\nBecome (12)" in text and "Pause (1)" in text
        assert "Opponents (1)\nUK Government (1)" in text
        assert "The Government no longer wants adequate funding." in text
        tip = view.tip_after_hover(*view.point_of("proposal:adequate-funding"))
        assert len(tip.splitlines()) == 3 and "proposal" in tip.splitlines()[1]
        assert view.errors == []
    finally:
        view.close()


def test_search_finds_organisations_and_proposals(view):
    view.page.fill("#ckg-search", "care-leaving")
    results = view.page.locator("#ckg-results button")
    assert results.first.inner_text() == "▭ Raise the care-leaving age (proposal)"
    results.first.click()
    text = view.details()
    assert text.startswith("Raise the care-leaving age") and "3 supporters, 0 opponents" in text
    assert sorted(view.js("network.getSelectedNodes()")) == ["become", "pause", "uk-government"]
    view.page.fill("#ckg-search", "gov")
    assert view.page.inner_text("#ckg-results").strip() == "UK Government"
    view.page.click("#ckg-results button")
    assert view.js("network.getSelectedNodes()") == ["uk-government"] and view.details().startswith("UK Government")
    view.page.fill("#ckg-search", "nothing like this")
    assert view.page.inner_text("#ckg-results").strip() == "no match"


def test_legend_shows_the_link_kinds_present_and_says_what_the_numbers_mean(browser, tmp_path):
    graph = agreement(hand_graph(), normalization="jaccard")
    annotate(graph)
    view = View(browser, render_html(graph), tmp_path)
    try:
        assert view.js("[...document.querySelectorAll('#ckg-legend-links [data-relation]')].map(e => e.dataset.relation)") == [
            "both-support", "both-oppose"]
        words = view.js("document.getElementById('ckg-legend-words').textContent")
        assert "same stance on a proposal" in words and "Normalisation 'jaccard'" in words
        assert view.js("document.querySelectorAll('#ckg-legend-coalitions .ckg-swatch').length") >= 2
        view.click_link("become", "uk-government")
        assert "both support a proposal" in view.details()
    finally:
        view.close()
    graph = divergence(hand_graph())
    annotate(graph, agreement(hand_graph()))
    view = View(browser, render_html(graph), tmp_path, "divergence.html")
    try:
        assert view.js("[...document.querySelectorAll('#ckg-legend-links [data-relation]')].map(e => e.dataset.relation)") == [
            "conflict", "contradiction"]
        words = view.js("document.getElementById('ckg-legend-words').textContent")
        assert "Polarisation 1.00: the share of the divergence that runs between the two camps" in words
        assert "plain counts" in words
        legend = view.js("document.getElementById('ckg-legend-coalitions').textContent")
        assert "Camp A (left, 2 organisations) and camp B (right, 1 organisation)" in legend
        camps = {n: graph.nodes[n]["camp"] for n in graph.nodes}
        left, right = ("become", "uk-government") if camps["become"] == 0 else ("uk-government", "become")
        assert view.point_of(left)[0] < view.point_of(right)[0]  # camp A is drawn on the left
        view.click_link("uk-government", "pause")
        text = view.details()
        assert "weight 1 · support for proposals the codebook marks as contradicting" in text
        heading = next(line for line in text.splitlines() if line.endswith("(the codebook marks them as contradicting)"))
        assert sorted(heading.replace(" (the codebook marks them as contradicting)", "").split("; ")) == [
            "Pause supports Care for every child under 18",
            "UK Government supports National standards for unregulated accommodation (16-17)"]
    finally:
        view.close()


@pytest.mark.parametrize("kind, options", [
    ("agreement", {}), ("agreement", {"normalization": "average"}), ("agreement", {"normalization": "jaccard"}),
    ("agreement", {"normalization": "cosine"}), ("divergence", {}), ("divergence", {"normalization": "jaccard"}),
    ("subtract", {"normalization": "average"}), ("affiliation", {}), ("affiliation", {"normalization": "activity"}),
    ("affiliation", {"normalization": "prominence"}),
])
def test_the_page_computes_the_same_weights_as_carekg(browser, table, tmp_path, kind, options):
    """The page recomputes weights for a time window; over the whole period they are carekg's."""
    view = View(browser, page_of(table, kind, **options), tmp_path)
    try:
        python = view.js("carekgView.data.links.map(l => l[2])")
        assert python and view.js("carekgView.weights()") == pytest.approx(python, abs=1e-12)
        assert view.errors == []
    finally:
        view.close()


def test_the_date_slider_changes_the_links(view):
    links = view.js("carekgView.shownLinks()")
    assert links == 3
    assert view.js("document.getElementById('ckg-time').hidden") is False
    assert view.page.inner_text("#ckg-undated-text") == "Include 1 undated document (2 statements)"
    view.page.focus("#ckg-until")
    for _ in range(20):  # back to the earliest date: 2019-01
        view.page.keyboard.press("ArrowLeft")
    assert view.page.inner_text("#ckg-until-value") == "2019-01"
    # only become-00.txt (2019-01) and the undated document are left: Pause–Government through the undated one
    assert view.js("carekgView.shownLinks()") == 1
    assert "--until 2019-01" in view.page.inner_text("#ckg-command")
    view.page.click("#ckg-undated")
    assert view.js("carekgView.shownLinks()") == 0
    view.click_node("become")
    assert "Only statements in the time window: 2019-01 (undated documents left out)." in view.details()
    assert view.js("document.querySelectorAll('#ckg-details .ckg-statement').length") == 3
    view.page.focus("#ckg-until")
    view.page.keyboard.press("End")
    view.page.click("#ckg-undated")
    assert view.js("carekgView.shownLinks()") == 3
    assert view.js("document.querySelectorAll('#ckg-details .ckg-statement').length") == 36  # the panel follows the window
    assert view.errors == []


def test_hide_unconnected_organisations(browser, table, tmp_path):
    view = View(browser, page_of(table, "divergence"), tmp_path)
    try:
        hidden = "carekgView.nodes.get({filter: n => n.hidden}).map(n => n.id)"
        assert view.js(hidden) == []  # every organisation of this corpus has a divergence link
        view.page.focus("#ckg-until")
        for _ in range(20):
            view.page.keyboard.press("ArrowLeft")
        view.page.click("#ckg-undated")
        assert sorted(view.js(hidden)) == ["become", "pause", "uk-government"]
        view.page.click("#ckg-hide-unconnected")
        assert view.js(hidden) == []
    finally:
        view.close()


def test_a_phone_sized_screen_shows_the_network_wide_and_folds_the_controls(browser, table, tmp_path):
    view = View(browser, page_of(table), tmp_path, width=390, height=844)
    try:
        assert view.js("document.querySelector('#ckg-network canvas').getBoundingClientRect().width") >= 300
        assert view.js("getComputedStyle(document.getElementById('ckg-sidebar')).display") == "none"
        view.page.click("#ckg-controls-toggle")
        assert view.js("getComputedStyle(document.getElementById('ckg-sidebar')).display") != "none"
        assert view.page.get_attribute("#ckg-controls-toggle", "aria-expanded") == "true"
        view.page.click("#ckg-controls-toggle")
        view.click_node("become")
        panel = view.js("document.getElementById('ckg-details').getBoundingClientRect().toJSON()")
        assert panel["width"] == 390 and panel["top"] > 200  # a sheet over the lower part of the screen
        assert view.errors == []
    finally:
        view.close()


def test_keyboard_and_view_buttons(view):
    frame = "#ckg-network .vis-network"
    assert view.page.get_attribute(frame, "tabindex") == "0"
    view.page.focus(frame)
    assert view.js("document.activeElement === document.querySelector('#ckg-network .vis-network')")
    before = view.js("network.getViewPosition()")
    view.page.keyboard.down("ArrowRight")  # vis-network moves the view while the key is down
    view.page.wait_for_function("(x) => network.getViewPosition().x !== x", arg=before["x"], timeout=5_000)
    view.page.keyboard.up("ArrowRight")
    scale = view.js("network.getScale()")
    view.page.keyboard.down("Equal")
    view.page.wait_for_function("(s) => network.getScale() > s", arg=scale, timeout=5_000)
    view.page.keyboard.up("Equal")
    view.page.keyboard.press("Tab")  # the most active organisation first
    assert view.js("network.getSelectedNodes()") == ["become"]
    assert view.page.inner_text("#ckg-live").startswith("Become, charity")
    view.page.keyboard.press("Tab")
    assert view.js("network.getSelectedNodes()") != ["become"]
    view.page.keyboard.press("Shift+Tab")
    view.page.keyboard.press("Enter")
    assert view.details().startswith("Become")
    view.page.keyboard.press("Escape")
    scale = view.js("network.getScale()")
    view.page.click("#ckg-zoom-in")
    assert view.js("network.getScale()") == pytest.approx(scale * 1.25)
    view.page.click("#ckg-zoom-out")
    view.page.click("#ckg-zoom-out")
    assert view.js("network.getScale()") == pytest.approx(scale * 0.8)
    view.js("carekgView.nodes.update({id: 'become', x: 5000, y: 5000})")
    view.page.click("#ckg-reset")
    data = view.js("carekgView.data.nodes.find(n => n.id === 'become')")
    position = view.js("network.getPositions(['become']).become")  # vis-network rounds what it reports
    assert position["x"] == pytest.approx(data["x"], abs=1) and position["y"] == pytest.approx(data["y"], abs=1)
    # every control has a name a screen reader can say
    unnamed = view.js("""[...document.querySelectorAll('input, button')].filter(e => !(e.labels && e.labels.length)
        && !e.getAttribute('aria-label') && !e.textContent.trim()).map(e => e.id || e.outerHTML)""")
    assert unnamed == []
    assert view.errors == []


def test_export_a_picture_and_the_statements_of_the_details(view, tmp_path):
    with view.page.expect_download() as picture:
        view.page.click("#ckg-png")
    png = tmp_path / "picture.png"
    picture.value.save_as(png)
    assert picture.value.suggested_filename == "agreement-test.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 2000

    view.click_link("become", "uk-government")
    with view.page.expect_download() as table_download:
        view.page.click("#ckg-details-csv")
    path = tmp_path / "statements.csv"
    table_download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    # both support raising the care-leaving age (12 + 1) and early help (8 + 1, the Government in the undated document)
    assert len(rows) == 22 and len({r["statement_id"] for r in rows}) == 22
    assert [r["statement_id"] for r in rows] == view.js("carekgView.listed().map(k => carekgView.data.statements[k].id)")
    government = next(r for r in rows if r["organisation_id"] == "uk-government" and r["proposal_id"] == "raise-care-leaving-age")
    assert government["quote"] == "The Government backs raising the care-leaving age."
    assert government["sentence_before"] == sentence_before("government.txt", 0)
    assert government["sentence_after"] == sentence_after("government.txt", 0)
    assert (government["document"], government["publisher"], government["date"]) == ("government.txt", "UK Government", "2022-03")
    assert government["statement_id"].startswith("https://w3id.org/carekg/statement/government.txt/")
    assert view.requests == [] and view.errors == []


def test_type_and_coalition_filters(view):
    hidden = "carekgView.nodes.get({filter: n => n.hidden}).map(n => n.id).sort()"
    view.page.locator("#ckg-types label", has_text="charity").locator("input").uncheck()
    assert view.js(hidden) == ["become", "pause"]
    assert view.js("carekgView.shownLinks()") == 0
    view.page.locator("#ckg-types label", has_text="charity").locator("input").check()
    assert view.js(hidden) == [] and view.js("carekgView.shownLinks()") == 3
    view.js("() => { const s = document.getElementById('ckg-min-weight'); s.value = '3'; s.dispatchEvent(new Event('input')); }")
    assert view.js("carekgView.shownLinks()") == 2  # the Pause–Government link weighs 2


def test_beyond_the_text_limit_statements_count_without_their_quotes(browser, table, tmp_path):
    graph = agreement(table)
    annotate(graph)
    view = View(browser, render_html(graph, max_texts=5), tmp_path)
    try:
        notice = view.js("document.getElementById('ckg-notice').textContent")
        assert notice.startswith("This page holds the quotes of 5 of its 44 statements")
        assert view.js("carekgView.weights()") == view.js("carekgView.data.links.map(l => l[2])")
        view.click_node("become")
        assert view.js("document.querySelectorAll('#ckg-details .ckg-statement').length") == 36
        assert view.js("document.querySelectorAll('#ckg-details .ckg-quote').length") == 2  # taken in turns by organisation
        assert "(quote not in this page, which holds the text of 5 of 44 statements)" in view.details()
        assert view.errors == []
    finally:
        view.close()


def test_a_node_with_thousands_of_statements_draws_them_in_batches(browser, tmp_path):
    from carekg.networks.dna import StatementTable

    records = [{"actor": "busy", "proposal": f"p{k % 4}", "stance": "support", "document": f"d{k}.txt", "quote": f"Quote {k}.",
                "start": 0, "end": 9, "issued": "2021"} for k in range(1200)]
    records += [{"actor": "other", "proposal": "p0", "stance": "support", "document": "x.txt", "quote": "Other.",
                 "start": 0, "end": 6, "issued": "2022"}]
    graph = agreement(StatementTable.from_records(records))
    annotate(graph)
    view = View(browser, render_html(graph), tmp_path)
    try:
        view.click_node("busy")
        count = "document.querySelectorAll('#ckg-details .ckg-statement').length"
        assert view.js(count) == 300 + 3 * 3  # the first group fills the first 300; the others show three each
        more = view.page.locator("#ckg-details .ckg-more")
        assert more.count() == 3 and more.first.inner_text() == "Show 297 more statements"
        assert view.js("carekgView.listed().length") == 1200  # the CSV has them all
        for _ in range(more.count()):
            view.page.locator("#ckg-details .ckg-more").first.click()
        assert view.js(count) == 1200
        assert view.errors == []
    finally:
        view.close()
