"""``carekg network``: exit codes, the summary line and the exact error lines."""

from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner

from carekg.cli import cli
from tests.test_networks import write_hand_graph


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    return write_hand_graph(tmp_path_factory.mktemp("hand") / "hand.ttl")


def run(*args: str):
    return CliRunner().invoke(cli, ["network", *args])


def test_divergence_view(graph_file, tmp_path):
    out = tmp_path / "divergence.html"
    result = run(str(graph_file), "--kind", "divergence", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output == (f"Wrote the divergence network (3 nodes, 2 links, 1 coalition, polarisation 1.00) to {out}\n")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_filters_and_normalisation_reach_the_network(graph_file, tmp_path):
    out = tmp_path / "agreement.graphml"
    result = run(str(graph_file), "--kind", "agreement", "--normalize", "jaccard", "--theme", "leaving-care",
                 "--since", "2021", "--until", "2022-12", "--min-weight", "0.1", "-o", str(out))
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    assert set(graph.nodes) == {"become", "uk-government"}
    assert graph["become"]["uk-government"]["weight"] == 1.0  # both only support raise-care-leaving-age


def test_dna_conflict_drops_contradiction_links(graph_file, tmp_path):
    out = tmp_path / "conflict.csv"
    assert run(str(graph_file), "--kind", "divergence", "--dna-conflict", "-o", str(out)).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[1].startswith("become,uk-government,")


def test_affiliation_gexf(graph_file, tmp_path):
    out = tmp_path / "affiliation.gexf"
    result = run(str(graph_file), "--kind", "affiliation", "--normalize", "activity", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(out).number_of_nodes() == 3 + 5


@pytest.mark.parametrize("args, error", [
    (["--kind", "agreement", "--normalize", "activity"],
     "Error: normalisation 'activity' applies to two-mode (affiliation) networks; agreement takes none, average, jaccard, cosine"),
    (["--kind", "affiliation", "--normalize", "cosine"],
     "Error: normalisation 'cosine' applies to one-mode networks; affiliation takes none, activity, prominence"),
    (["--since", "last year"], "Error: since 'last year' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"),
    (["--organisation-type", "club"],
     "Error: unknown organisation type 'club' (known: charity, government, media, other, parliamentary-group, person, public-body, review, university)"),
])
def test_bad_option_combinations(graph_file, tmp_path, args, error):
    result = run(str(graph_file), *args, "-o", str(tmp_path / "out.html"))
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == error
    assert not (tmp_path / "out.html").exists()


def test_unknown_output_format(graph_file, tmp_path):
    result = run(str(graph_file), "-o", str(tmp_path / "out.png"))
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: unsupported output format '.png': use .html, .graphml, .gexf, .csv"


def test_missing_graph_file(tmp_path):
    missing = tmp_path / "nope.ttl"
    result = run(str(missing), "-o", str(tmp_path / "out.html"))
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"Error: graph file '{missing}' does not exist"


def test_unknown_kind_is_a_usage_error(graph_file, tmp_path):
    result = run(str(graph_file), "--kind", "conflict", "-o", str(tmp_path / "out.html"))
    assert result.exit_code == 2
    assert "Invalid value for '--kind'" in result.output


def test_output_is_required(graph_file):
    result = run(str(graph_file))
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: Missing option '-o' / '--output'."


def test_help_has_an_example():
    result = CliRunner().invoke(cli, ["network", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "carekg network build/graph.ttl" in result.output
