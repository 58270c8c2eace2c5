"""The build's on-disk store: exactly graph.ttl's triples, the same answers, never used when stale, swapped whole."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

import carekg
from carekg.api import _EXAMPLE_TEXTS
from carekg.build import build
from carekg.cli import cli
from carekg.graph.triples import load_graph
from carekg.graph.rdfio import load_store
from carekg.store.query import canned_queries, open_source, run
from carekg.store.sparql import open_store
from carekg.store.disk import StoreNotUsed, open_beside, store_for

from .conftest import ROOT
from .test_query import BINDINGS, STORES, normalised

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def store_graph(folder: Path | ox.Store) -> Graph:
    """The triples of an on-disk store (or any pyoxigraph store) in rdflib, to compare blank nodes by shape."""
    store = ox.Store.read_only(str(folder)) if isinstance(folder, Path) else folder
    assert not list(store.named_graphs())  # everything in the default graph, as in graph.ttl
    graph = Graph()
    graph.parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")
    return graph


def _count(source) -> int:
    return run(source, COUNT).rows[0]["n"]


@pytest.fixture(scope="module")
def file_only(seed_build_dir, tmp_path_factory) -> Path:
    """The seed build's graph.ttl alone in a folder: every reader must parse it."""
    folder = tmp_path_factory.mktemp("file-only")
    shutil.copy(seed_build_dir / "graph.ttl", folder / "graph.ttl")
    return folder / "graph.ttl"


@pytest.fixture(scope="module")
def sources(seed_build_dir, file_only) -> dict[str, object]:
    return {
        "store": open_source(seed_build_dir, "oxigraph")[0],
        **{f"file-{engine}": open_source(file_only, engine)[0] for engine in STORES},
    }


def test_the_build_writes_a_store_of_exactly_the_triples_of_graph_ttl(seed_build_dir):
    assert store_for(seed_build_dir) == seed_build_dir / "store"
    record = json.loads((seed_build_dir / "store" / "carekg.json").read_text(encoding="utf-8"))
    assert record["carekg"] == carekg.__version__ and record["graph"] == "graph.ttl"
    assert record["fingerprint"]["size"] == (seed_build_dir / "graph.ttl").stat().st_size
    # Compared as pyoxigraph reads graph.ttl: any Oxigraph store keeps a decimal's canonical form ("0.80" → "0.8").
    parsed = load_store(seed_build_dir / "graph.ttl", "ttl")
    assert len(parsed) == len(load_graph(seed_build_dir / "graph.ttl"))
    assert isomorphic(store_graph(seed_build_dir / "store"), store_graph(parsed))


def test_the_store_is_opened_read_only(sources):
    with pytest.raises(RuntimeError, match="read-write"):
        sources["store"].update("INSERT DATA { <http://e/s> <http://e/p> 1 }")


@pytest.mark.parametrize("name", sorted(q.name for q in canned_queries()) + ["export-statements"])
def test_store_and_file_give_identical_rows_on_both_engines(sources, name):
    for values in ({}, BINDINGS.get(name, {})):
        results = {kind: run(source, name, values) for kind, source in sources.items()}
        expected = results.pop("store")
        for kind, result in results.items():
            assert result.columns == expected.columns, (name, kind)
            assert normalised(result) == normalised(expected), (name, values, kind)


def test_the_raw_view_copies_the_store_into_memory_and_leaves_it_unchanged(seed_build_dir, file_only):
    before = _count(open_store(seed_build_dir))
    raw, engine = open_source(seed_build_dir, raw=True)
    assert engine == "oxigraph"
    from_file = open_source(file_only, "oxigraph", raw=True)[0]
    assert normalised(run(raw, "export-statements")) == normalised(run(from_file, "export-statements"))
    assert _count(open_store(seed_build_dir)) == before


def test_every_reader_accepts_the_build_folder(seed_build_dir, tmp_path):
    runner = CliRunner()
    for arguments in (
        ["query", str(seed_build_dir), "consensus", "--format", "csv"],
        ["export", "statements", str(seed_build_dir), "-o", str(tmp_path / "s.csv")],
        ["network", str(seed_build_dir), "-o", str(tmp_path / "n.graphml")],
        ["evaluate", str(seed_build_dir), "--gold", str(ROOT / "tests" / "gold")],
        ["validate", str(seed_build_dir)],
    ):
        result = runner.invoke(cli, arguments)
        assert result.exit_code == 0, (arguments, result.output)
    kg = carekg.load(seed_build_dir)
    assert kg.store == "oxigraph" and len(kg.query("consensus")) > 0


@pytest.fixture
def copied_build(seed_build_dir, tmp_path) -> Path:
    copy = tmp_path / "build"
    shutil.copytree(seed_build_dir, copy)  # new modification times: the hash says the store still matches
    return copy


def test_a_copied_build_still_uses_its_store(copied_build):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert store_for(copied_build) == copied_build / "store"


def _warning(copy: Path, reason: str) -> str:
    return (f"warning: {copy / 'store'} not used: {reason}; reading graph.ttl instead "
            "(slower; `carekg build` writes a new store)")


def test_a_store_older_than_its_graph_file_is_reported_in_one_line_and_not_used(copied_build):
    before = _count(open_store(copied_build))
    with (copied_build / "graph.ttl").open("a", encoding="utf-8") as graph:
        graph.write("<https://example.org/added> <https://example.org/p> 1 .\n")
    with pytest.warns(StoreNotUsed, match="graph.ttl changed after the store was written"):
        assert _count(open_store(copied_build)) == before + 1  # the file was read
    result = CliRunner().invoke(cli, ["query", str(copied_build), COUNT, "--format", "csv", "--timeout", "0"])
    assert result.exit_code == 0
    assert result.stdout == f"n\n{before + 1}\n"
    assert result.stderr.splitlines() == [_warning(copied_build, "graph.ttl changed after the store was written")]


def test_a_store_from_another_carekg_version_is_reported_and_not_used(copied_build):
    record_file = copied_build / "store" / "carekg.json"
    record = json.loads(record_file.read_text(encoding="utf-8"))
    record["carekg"] = "0.0.1"
    record_file.write_text(json.dumps(record), encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "claims", str(copied_build / "graph.ttl")])
    assert result.exit_code == 0
    reason = f"it was written by carekg 0.0.1, this is carekg {carekg.__version__}"
    assert result.stderr.splitlines() == [_warning(copied_build, reason)]


def test_a_store_beside_another_graph_file_is_not_used(copied_build):
    other = copied_build / "other.ttl"
    other.write_text("<https://example.org/s> <https://example.org/p> 1 .\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert store_for(other) is None
        assert _count(open_store(other)) == 1


# --- a reader never sees half a store --------------------------------------------------------

WRITER = """
import sys
from carekg.build import build
first, second, out, rounds = sys.argv[1:]
for round in range(int(rounds)):
    build(first if round % 2 else second, out, validate=False)
"""


def test_opening_the_store_while_another_process_builds_into_the_folder(tmp_path):
    corpora = []
    for count in (1, 2):
        folder = tmp_path / f"corpus{count}"
        folder.mkdir()
        for name in sorted(_EXAMPLE_TEXTS)[:count]:
            (folder / name).write_text(_EXAMPLE_TEXTS[name], encoding="utf-8")
        corpora.append(folder)
    out = tmp_path / "out"
    sizes = set()
    for corpus in corpora:
        build(corpus, out, validate=False)
        sizes.add(_count(open_store(out)))
    assert len(sizes) == 2
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(corpora[0]), str(corpora[1]), str(out), "4"],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    opened = 0
    try:
        while writer.poll() is None:
            with warnings.catch_warnings():
                warnings.simplefilter("error", StoreNotUsed)  # none may be unusable
                store = open_beside(out)  # read-only, through the folder first opened
            assert len(store) in sizes
            assert _count(store) == len(store)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", StoreNotUsed)  # graph.ttl and store are renamed microseconds apart
                assert _count(open_store(out)) in sizes
            opened += 1
            time.sleep(0.01)
    finally:
        writer.wait(120)
    assert writer.returncode == 0
    assert opened >= 10
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert store_for(out) == out / "store"


# --- canned answers computed by the build ---------------------------------------------------------

def test_the_build_keeps_the_answer_of_every_canned_query(seed_build_dir):
    import sqlite3

    from carekg.store.answers import ANSWERS, NOT_KEPT

    tables = {name for (name,) in sqlite3.connect(seed_build_dir / "store" / ANSWERS).execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE '%:%' AND name NOT LIKE '\\_%' "
        "ESCAPE '\\'")}
    assert tables == {q.name for q in canned_queries()}
    assert NOT_KEPT <= tables  # as views over smaller tables


@pytest.mark.parametrize("name", sorted(q.name for q in canned_queries()))
def test_canned_answers_from_the_build_equal_the_engine_bound_and_unbound_paged_or_not(seed_build_dir, sources, name):
    from carekg.store.query import query_graph

    for values in ({}, BINDINGS.get(name, {})):
        engine = run(sources["store"], name, values)
        stored = query_graph(seed_build_dir, name, values)  # answered from the table
        assert (stored.columns, stored.total) == (engine.columns, engine.total), (name, values)
        assert normalised(stored) == normalised(engine), (name, values)
        page = query_graph(seed_build_dir, name, values, limit=2, offset=1)
        assert (page.rows, page.total, page.offset) == (stored.rows[1:3], stored.total, 1)


def test_canned_answers_come_from_the_table_and_raw_from_the_graph(seed_build_dir, monkeypatch):
    import carekg.store.answers as answers
    from carekg.store.query import query_graph

    calls = []
    real = answers.precomputed
    monkeypatch.setattr(answers, "precomputed", lambda *args, **kwargs: calls.append(args[2].name) or real(*args, **kwargs))
    query_graph(seed_build_dir, "timeline", limit=3)
    assert calls == ["timeline"]
    query_graph(seed_build_dir, "timeline", raw=True, limit=3)
    query_graph(seed_build_dir, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    query_graph(seed_build_dir, "timeline", store="rdflib", limit=3)
    assert calls == ["timeline"]


def test_a_file_where_the_store_goes_is_one_error_and_nothing_is_replaced(tmp_path):
    from carekg.errors import OutputError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(next(iter(_EXAMPLE_TEXTS.values())), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "store").write_text("not a store", encoding="utf-8")
    with pytest.raises(OutputError, match="is in the way of the store"):
        build(corpus, out, validate=False)
    assert sorted(p.name for p in out.iterdir()) == ["store"]  # no graph.ttl without its store, no temporary files
