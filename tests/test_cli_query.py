"""`carekg query`: exit codes, the exact error lines, and each output format."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from carekg.api import example_graph
from carekg.cli import cli


def invoke(*args: str):
    return CliRunner(env={"COLUMNS": "120"}).invoke(cli, list(args))


@pytest.fixture(scope="module")
def graph(seed_graph_path) -> str:
    return str(seed_graph_path)


@pytest.mark.parametrize("store", ["auto", "rdflib", "oxigraph"])
def test_supporters_of_raising_the_care_leaving_age(graph, store):
    result = invoke("query", graph, "supporters", "--bind", "proposal=raise-care-leaving-age", "--store", store)
    assert result.exit_code == 0, result.output
    assert "organisation    | The Fostering Network" in result.output
    assert "quote           | Raising the leaving care age" in result.output
    assert result.output.rstrip().endswith("row)") or result.output.rstrip().endswith("rows)")


def test_csv_output_carries_whole_quotes(graph):
    result = invoke("query", graph, "supporters", "-b", "proposal=raise-care-leaving-age", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    fostering = next(r for r in rows if r["organisation_id"] == "fostering-network")
    assert fostering["quote"].startswith("Raising the leaving care age") and fostering["quote"].endswith("mid-20s.")
    assert fostering["start"].isdigit()


def test_json_and_tsv_outputs(graph):
    rows = json.loads(invoke("query", graph, "consensus", "-f", "json").output)
    assert rows and all(isinstance(r["supporters"], int) and r["supporters"] >= 2 for r in rows)
    tsv = invoke("query", graph, "proposals", "-f", "tsv").output.splitlines()
    assert tsv[0].split("\t") == ["proposal_id", "proposal_label", "theme", "in_codebook", "supporters", "opponents"]


def test_a_narrow_result_prints_as_an_aligned_table(graph):
    result = invoke("query", graph, "SELECT ?stance (COUNT(*) AS ?n) WHERE { ?s ckg:stance/skos:notation ?stance } GROUP BY ?stance ORDER BY ?stance")
    lines = result.output.splitlines()
    assert result.exit_code == 0 and lines[0].split() == ["stance", "n"] and set(lines[1]) <= {"-", " "}
    assert lines[2].split()[0] == "oppose" and lines[-1] == "(2 rows)"


def test_a_query_file(graph, tmp_path):
    path = tmp_path / "count.rq"
    path.write_text("# Statements by an actor.\n# @param actor agent  who\n"
                    "SELECT ?actor (COUNT(?s) AS ?n) WHERE { ?s ckg:actor ?actor } GROUP BY ?actor\n", encoding="utf-8")
    result = invoke("query", graph, str(path), "--bind", "actor=fostering-network", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith("https://w3id.org/carekg/agent/fostering-network,")


def test_list_shows_queries_with_parameters():
    result = invoke("query", "--list")
    assert result.exit_code == 0
    assert "supporters         Who supports a proposal" in result.output
    assert "--bind organisation=<agent> other=<agent>" in result.output


@pytest.mark.parametrize("args, line", [
    (["INSERT DATA { <urn:a> <urn:b> <urn:c> }"],
     "Error: carekg query is read-only: INSERT DATA is an update; use SELECT, ASK, CONSTRUCT or DESCRIBE"),
    (["DROP ALL"], "Error: carekg query is read-only: DROP is an update; use SELECT, ASK, CONSTRUCT or DESCRIBE"),
    (["supporter"], "Error: no canned query named 'supporter' (did you mean 'supporters'?); see carekg query --list"),
    (["supporters", "--bind", "proposal=raise-care-age"],
     "Error: no proposal 'raise-care-age' in the graph; did you mean 'raise-care-leaving-age'?"),
    (["supporters", "--bind", "actor=become"],
     "Error: query 'supporters' has no parameter 'actor'; its parameters: proposal"),
    (["SELECT ?s WHERE { ?s ?p }"], None),
])
def test_errors_are_one_line_and_exit_1(graph, args, line):
    result = invoke("query", graph, *args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    if line:
        assert lines[0] == line
    else:
        assert lines[0].startswith("Error: invalid SPARQL")


def test_a_refused_update_leaves_the_graph_file_as_it_was(tmp_path):
    path = example_graph(tmp_path / "graph.ttl")
    before = path.read_bytes()
    result = invoke("query", str(path), "PREFIX ckg: <https://w3id.org/carekg/ontology#> DELETE WHERE { ?s a ckg:StanceStatement }")
    assert result.exit_code == 1 and path.read_bytes() == before
    assert invoke("query", str(path), "supporters", "-f", "csv").output.count("\n") == 5  # header + 4 supporters


def test_a_missing_graph_file(tmp_path):
    result = invoke("query", str(tmp_path / "none.ttl"), "supporters")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: graph file '{tmp_path / 'none.ttl'}' does not exist"


@pytest.mark.parametrize("args, message", [
    ([], "give a GRAPH and a QUERY (or --list to see the canned queries)"),
    (["g.ttl", "supporters", "--bind", "proposal"], "Invalid value for '--bind': 'proposal' is not NAME=VALUE"),
    (["g.ttl", "supporters", "--format", "xml"], "Invalid value for '-f' / '--format'"),
])
def test_usage_errors_exit_2(args, message):
    result = invoke("query", *args)
    assert result.exit_code == 2 and message in result.output


def test_help_has_an_example_block():
    result = invoke("query", "--help")
    assert result.exit_code == 0
    assert "  Example:\n    carekg query --list\n    carekg query build/graph.ttl supporters --bind proposal=raise-care-leaving-age" in result.output
