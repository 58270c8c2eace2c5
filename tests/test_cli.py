"""The command line: help text, exit codes and the exact error lines."""

import pytest
from click.testing import CliRunner

from carekg.cli import cli


@pytest.fixture
def runner():
    return CliRunner()


def test_help_lists_every_command_with_summary_and_example(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name, command in cli.commands.items():
        assert command.get_short_help_str().strip(), f"{name} has no one-line summary"
        assert name in result.output
        assert f"carekg {name}" in result.output, f"--help shows no example of {name}"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_each_command_help_has_an_example(runner, name):
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and f"carekg {name}" in result.output


def test_build_missing_source_folder(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == f"Error: source folder '{tmp_path / 'nowhere'}' does not exist"
    assert not (tmp_path / "out").exists()


def test_build_source_is_a_file(runner, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("x")
    result = runner.invoke(cli, ["build", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == f"Error: source '{source}' is not a folder"


def test_validate_missing_graph(runner, tmp_path):
    result = runner.invoke(cli, ["validate", str(tmp_path / "g.ttl")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: graph file '{tmp_path / 'g.ttl'}' does not exist"


def test_validate_reports_violations_and_exits_1(runner, tmp_path):
    graph = tmp_path / "bad.ttl"
    graph.write_text(
        "@prefix ckg: <https://w3id.org/carekg/ontology#> .\n"
        "<https://w3id.org/carekg/statement/x> a ckg:StanceStatement .\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["validate", str(graph)])
    assert result.exit_code == 1
    assert "ckg:actor" in result.output
    assert result.output.strip().splitlines()[-1].startswith(f"Error: {graph} has ")


def test_export_unknown_kind(runner, tmp_path):
    result = runner.invoke(cli, ["export", "people", str(tmp_path / "g.ttl")])
    assert result.exit_code == 2
    assert "Invalid value for '{statements|claims|organisations}'" in result.output
