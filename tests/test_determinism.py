"""Same inputs, same bytes; a failed build leaves the previous outputs as they were."""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import wait
from pathlib import Path

import pytest

from carekg import build as build_module
from carekg.build import build
from carekg.errors import OutputError

from .conftest import SEEDS
from .test_bad_input import make_bad_corpus

STABLE_OUTPUTS = ("graph.ttl", "statements.csv", "claims.csv", "organisations.csv", "build-report.json")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seeds plus every kind of bad input, so outcomes are covered by the comparison too."""
    folder = make_bad_corpus(tmp_path_factory.mktemp("det") / "corpus")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    return folder


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serial")
    build(corpus, out, jobs=1)
    return out


def _same_bytes(first: Path, second: Path, names=STABLE_OUTPUTS) -> None:
    for name in names:
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        if name == "build-report.json":  # it names its source folder; everything else must match
            a, b = json.loads(a), json.loads(b)
            a.pop("source"), b.pop("source")
        assert a == b, f"{name} differs between {first} and {second}"


def _snapshot(out: Path) -> dict[str, bytes]:
    """Every file below ``out`` (the store's files too) by its relative path."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _store_graph(out: Path):
    from .test_store import store_graph

    return store_graph(out / "store")


def test_two_builds_into_two_folders_are_byte_identical(corpus, serial, tmp_path):
    build(corpus, tmp_path / "again", jobs=1)
    _same_bytes(serial, tmp_path / "again")
    from rdflib.compare import isomorphic

    assert isomorphic(_store_graph(serial), _store_graph(tmp_path / "again"))  # so every query answers the same


def test_two_workers_give_the_same_bytes_as_one(corpus, serial, tmp_path):
    build(corpus, tmp_path / "parallel", jobs=2)
    _same_bytes(serial, tmp_path / "parallel")


def test_a_copied_corpus_builds_the_same(corpus, serial, tmp_path):
    """Nothing depends on where the corpus lives or on file modification times."""
    copy = tmp_path / "elsewhere" / "corpus"
    shutil.copytree(corpus, copy)
    build(copy, tmp_path / "copy", jobs=1)
    _same_bytes(serial, tmp_path / "copy")


def test_only_run_json_has_timestamps(serial):
    run = json.loads((serial / "run.json").read_text(encoding="utf-8"))
    assert {"started", "finished"} <= set(run)
    timestamp = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
    for name in STABLE_OUTPUTS:
        assert not timestamp.search((serial / name).read_text(encoding="utf-8")), f"{name} holds a timestamp"


def test_outputs_are_ordinary_readable_files(serial):
    for name in (*STABLE_OUTPUTS, "run.json"):
        assert (serial / name).stat().st_mode & 0o044, f"{name} is readable by its owner only"


@pytest.mark.parametrize("stage", ["write_turtle", "export_stream", "write_store", "_report", "write_record"])
def test_a_failing_later_stage_leaves_previous_outputs_intact(corpus, tmp_path, monkeypatch, stage):
    out = tmp_path / "out"
    shutil.copytree(SEEDS, tmp_path / "seeds")
    build(tmp_path / "seeds", out)
    before = _snapshot(out)

    def boom(*args, **kwargs):
        raise RuntimeError(f"{stage} failed")

    monkeypatch.setattr(build_module, stage, boom)
    with pytest.raises(RuntimeError, match=f"{stage} failed"):
        build(corpus, out)  # a different corpus: any write would show
    assert _snapshot(out) == before  # same files (the store's too), same bytes, no temporary files left behind


def test_a_disk_full_while_writing_replaces_nothing(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(SEEDS, out)
    before = _snapshot(out)
    real_stage = build_module.stage_file
    calls = []

    def fills_up(path, data):
        calls.append(path.name)
        if len(calls) == 3:  # two outputs already staged in full
            raise OSError(28, "No space left on device")
        return real_stage(path, data)

    monkeypatch.setattr(build_module, "stage_file", fills_up)
    with pytest.raises(OutputError, match="No space left on device"):  # one clear error, not a traceback
        build(corpus, out)
    assert _snapshot(out) == before  # nothing replaced, no temporary files


def test_an_interrupted_extraction_writes_nothing(tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(SEEDS, out)
    before = _snapshot(out)

    def interrupted(document):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "extract_to_lines", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(SEEDS, out)
    assert _snapshot(out) == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_graph_queried_on_disk_gives_the_same_bytes_as_in_memory(corpus, serial, tmp_path, monkeypatch, jobs):
    """Above MEMORY_STORE_MAX_TRIPLES the outputs query the on-disk store instead of one in memory."""
    monkeypatch.setattr(build_module, "MEMORY_STORE_MAX_TRIPLES", 0)
    in_memory = []
    monkeypatch.setattr(build_module, "_store_from_ntriples", lambda *parts: in_memory.append(parts))
    build(corpus, tmp_path / "disk", jobs=jobs)
    assert not in_memory
    _same_bytes(serial, tmp_path / "disk", (*STABLE_OUTPUTS, "agreement.html", "divergence.html"))
    from carekg.store.canned import canned_queries
    from carekg.store.query import query_graph

    from .test_query import normalised

    for query in canned_queries():  # the canned answers: the same rows (GROUP_CONCAT's order is unspecified)
        assert normalised(query_graph(tmp_path / "disk", query.name)) == normalised(query_graph(serial, query.name))


@pytest.mark.parametrize("stage", ["export_stream", "write_answers"])
def test_a_stage_failing_beside_the_workers_leaves_previous_outputs_intact(corpus, tmp_path, monkeypatch, stage):
    """With --jobs 2 Turtle and the store are written by workers: what they staged goes too when the build fails."""
    out = tmp_path / "out"
    build(SEEDS, out)
    before = _snapshot(out)

    def boom(*args, **kwargs):
        raise RuntimeError(f"{stage} failed")

    if stage == "write_answers":  # fails once the workers have finished: their files are written, not yet claimed
        real_run = build_module._Outputs.run

        def run(self, name, function, *arguments):
            if name == "answers":
                wait(list(self._running))
                boom()
            return real_run(self, name, function, *arguments)

        monkeypatch.setattr(build_module._Outputs, "run", run)
    else:
        monkeypatch.setattr(build_module, stage, boom)
    with pytest.raises(RuntimeError, match=f"{stage} failed"):
        build(corpus, out, jobs=2)
    assert _snapshot(out) == before  # same files, same bytes, nothing staged left behind
