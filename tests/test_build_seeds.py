"""`carekg build` on the seed corpus: a graph that validates and that other tools read."""

import csv
import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from carekg.cli import cli
from carekg.vocab.knowledge import load_knowledge
from carekg.vocab.namespace import CB, SKOS

from .conftest import SEEDS


def test_seed_graph_passes_validate(seed_graph_path):
    result = CliRunner().invoke(cli, ["validate", str(seed_graph_path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{seed_graph_path} conforms to the carekg shapes"


def test_seed_graph_reads_in_an_independent_parser(seed_graph_path):
    triples = list(ox.parse(path=str(seed_graph_path), format=ox.RdfFormat.TURTLE))
    assert len(triples) > 1000


@pytest.mark.parametrize("proposal", sorted(load_knowledge().proposals))
def test_every_codebook_proposal_is_a_concept_with_its_notation(seed_graph_path, proposal, request):
    store = request.getfixturevalue("seed_store")
    concept = ox.NamedNode(str(CB[proposal]))
    assert ox.Quad(concept, ox.NamedNode(str(SKOS.notation)), ox.Literal(proposal)) in store
    assert ox.Quad(concept, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(str(SKOS.Concept))) in store


@pytest.fixture(scope="module")
def seed_store(seed_graph_path):
    store = ox.Store()
    store.bulk_load(path=str(seed_graph_path), format=ox.RdfFormat.TURTLE)
    return store


@pytest.mark.parametrize("kind", ["statements", "claims"])
def test_exports_quote_their_documents_exactly(seed_build_dir, kind):
    rows = list(csv.DictReader((seed_build_dir / f"{kind}.csv").open(encoding="utf-8")))
    assert rows, f"no {kind} extracted from the seeds"
    for row in rows:
        text = (SEEDS / row["document"]).read_text(encoding="utf-8")
        assert text[int(row["start"]):int(row["end"])] == row["quote"]


def test_build_report_lists_every_seed(seed_build_dir):
    report = json.loads((seed_build_dir / "build-report.json").read_text(encoding="utf-8"))
    assert report["counts"] == {"built": 5, "warning": 0, "failed": 0, "skipped": 0}
    assert [f["file"] for f in report["files"]] == sorted(p.name for p in SEEDS.glob("*.txt"))
