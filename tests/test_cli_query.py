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


# --- paging: --limit, --offset and the total ----------------------------------------------------

def _csv_rows(output: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(output)))


@pytest.mark.parametrize("store", ["auto", "rdflib", "oxigraph"])
def test_limit_and_offset_page_through_an_answer(graph, store):
    every = _csv_rows(invoke("query", graph, "timeline", "--format", "csv", "--store", store).output)
    assert len(every) > 12
    page = invoke("query", graph, "timeline", "--format", "csv", "--store", store, "--limit", "5", "--offset", "7")
    assert page.exit_code == 0, page.output
    assert _csv_rows(page.output) == every[7:12]
    rest = invoke("query", graph, "timeline", "--format", "json", "--store", store, "--offset", str(len(every) - 2))
    assert [row["statement_id"] for row in json.loads(rest.output)] == [row["statement_id"] for row in every[-2:]]


@pytest.mark.parametrize("store", ["auto", "rdflib"])
def test_a_table_page_says_which_rows_and_how_many_there_are_in_all(graph, store):
    total = len(_csv_rows(invoke("query", graph, "timeline", "--format", "csv").output))
    first = invoke("query", graph, "timeline", "--limit", "3", "--store", store)
    assert first.output.splitlines()[-1] == (f"(first 3 of {total:,} rows; --offset 3 shows the next; "
                                             "--limit N, or --format csv, tsv or json for them all)")
    assert first.output.count("-[ ") == 3 and "-[ 1 ]" in first.output
    middle = invoke("query", graph, "timeline", "--limit", "3", "--offset", "3", "--store", store)
    assert middle.output.splitlines()[-1].startswith(f"(rows 4–6 of {total:,} rows; --offset 6 shows the next; ")
    assert "-[ 4 ]" in middle.output and "-[ 1 ]" not in middle.output
    past = invoke("query", graph, "timeline", "--offset", str(total), "--store", store)
    assert (past.exit_code, past.output) == (0, f"(no rows after --offset {total:,}: there are {total:,})\n")


def test_table_output_shows_1000_rows_by_default_and_says_how_many_there_are(graph):
    result = invoke("query", graph, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--store", "oxigraph")
    total = len(_csv_rows(invoke("query", graph, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--format", "csv").output))
    assert total > 1000
    assert result.output.splitlines()[-1] == (f"(first 1,000 of {total:,} rows; --offset 1000 shows the next; "
                                              "--limit N, or --format csv, tsv or json for them all)")


def test_a_negative_limit_is_a_usage_error(graph):
    result = invoke("query", graph, "timeline", "--limit", "-1")
    assert result.exit_code == 2 and "Invalid value for '--limit'" in result.output


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_streamed_output_is_the_same_through_the_time_limit_or_without(graph, fmt):
    """Rows of csv/tsv/json come from the child process in batches, as found; the text is the same as in one piece."""
    from carekg.store.query import format_result, query_graph

    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"  # thousands of rows: several batches
    bounded = invoke("query", graph, query, "--format", fmt, "--store", "oxigraph")
    direct = invoke("query", graph, query, "--format", fmt, "--store", "oxigraph", "--timeout", "0")
    assert bounded.exit_code == direct.exit_code == 0
    assert bounded.output == direct.output
    whole = query_graph(graph, query, store="oxigraph")
    assert sorted(bounded.output.splitlines()) == sorted((format_result(whole, fmt) + "\n").splitlines())
