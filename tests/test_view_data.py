"""What the HTML view is made of: passages around quotes, the page's data, dates, and the packaged assets."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from carekg.cli import cli
from carekg.networks.coalitions import annotate
from carekg.graph.triples import write_graph
from carekg.networks.dna import agreement, read_statements, select_statements
from carekg.networks.passages import context
from carekg.view.data import view_data
from tests.viewcorpus import reading_graph, sentence_after, sentence_before

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text, quote, before, after", [
    ("One. Two. The quote. Three. Four.", "The quote.", "Two.", "Three."),
    ("The quote. Then more.", "The quote.", "", "Then more."),
    ("Before it. The quote", "The quote", "Before it.", ""),
    ("Heading\n\nBefore it.\nStill before. The quote sits here, mid sentence, and goes on. After.",
     "sits here", "Still before. The quote", ", mid sentence, and goes on. After."),
    ("“We say so,” she said. “The quote.” Next one! Last?", "“The quote.”", "“We say so,” she said.", "Next one!"),
])
def test_context_is_the_sentence_before_and_after(text, quote, before, after):
    start = text.index(quote)
    got = context(text, start, start + len(quote))
    assert got == (before, after.replace("\n", " "))


def test_context_is_cut_at_a_word_when_a_sentence_is_long():
    text = "A " + "very " * 200 + "long sentence. The quote. " + "And " * 200 + "so on."
    start = text.index("The quote.")
    before, after = context(text, start, start + len("The quote."), limit=100)
    assert before.startswith("…") and before.endswith("long sentence.") and len(before) <= 101
    assert after.endswith("…") and after.startswith("And And") and len(after) <= 101


def test_statements_read_with_passages_carry_publisher_and_sentences():
    table = read_statements(reading_graph(), passages=True)
    record = next(r for r in table.records if r.document == "government.txt" and r.proposal == "raise-care-leaving-age")
    assert (record.publisher, record.before, record.after) == (
        "UK Government", sentence_before("government.txt", 0), sentence_after("government.txt", 0))
    assert record.statement.startswith("https://w3id.org/carekg/statement/government.txt/uk-government/")
    plain = read_statements(reading_graph())
    assert {(r.before, r.after, r.publisher) for r in plain.records} == {("", "", "")}


def test_the_page_data_keeps_one_record_per_statement_with_named_fields():
    table = read_statements(reading_graph(), passages=True)
    graph = agreement(table)
    annotate(graph)
    nodes = sorted(graph.nodes)
    data = view_data(graph, nodes, list(graph.edges(data=True)), title="t", notice="")
    assert len(data["statements"]) == len(select_statements(table).records) == 44
    statement = data["statements"][0]
    assert set(statement) == {"id", "actor", "proposal", "stance", "doc", "quote", "before", "after"}
    assert {s["id"] for s in data["statements"]} == {r.statement for r in select_statements(table).records}
    assert data["brief"] == [] and data["texts"] == {"kept": 44, "total": 44}
    document = data["documents"][statement["doc"]]
    assert set(document) == {"file", "title", "publisher", "date", "first", "last"}
    assert [d for d in data["documents"] if d["file"] == "undated.txt"] == [
        {"file": "undated.txt", "title": "Title of undated.txt", "publisher": "", "date": "", "first": "", "last": ""}]
    assert [n["id"] for n in data["nodes"]] == nodes and all({"x", "y", "short", "label"} <= set(n) for n in data["nodes"])


def test_bounds_leave_undated_documents_out_and_count_them():
    assert select_statements(reading_graph(), since="2019").undated_dropped == 1
    assert select_statements(reading_graph(), until="2030").undated_dropped == 1
    assert select_statements(reading_graph()).undated_dropped == 0
    # a document dated by month counts for any window that touches the month
    months = {r.document for r in select_statements(reading_graph(), since="2022-03-31", until="2022-03-31").records}
    assert months == {"government.txt"}


def test_the_command_says_how_many_undated_documents_a_bound_left_out(tmp_path):
    path = tmp_path / "reading.ttl"
    write_graph(reading_graph(), path)
    result = CliRunner().invoke(cli, ["network", str(path), "--since", "2021", "-o", str(tmp_path / "a.csv")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "Left out 1 undated document: --since/--until keep dated documents only."
    result = CliRunner().invoke(cli, ["network", str(path), "-o", str(tmp_path / "b.csv")])
    assert result.exit_code == 0 and len(result.output.splitlines()) == 1 and "undated" not in result.output


def test_help_states_the_date_window_rule():
    result = CliRunner().invoke(cli, ["network", "--help"], terminal_width=200)
    text = " ".join(result.output.split())
    assert "one dated only by month or year counts when that month or year overlaps the window" in text
    assert "Undated documents are left out whenever --since or --until is given" in text


def test_every_view_asset_is_package_data():
    """A non-editable install carries the page's files (pyproject's package data covers them)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "carekg.view" in config["packages"]
    patterns = config["package-data"]["carekg.view"]
    assets = [p for p in (ROOT / "carekg" / "view").iterdir() if p.suffix != ".py" and p.name != "__pycache__"]
    assert {p.name for p in assets} == {"page.html", "view.css", "view.js"}
    assert all(any(p.match(pattern) for pattern in patterns) for p in assets)
