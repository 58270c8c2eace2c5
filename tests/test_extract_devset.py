"""Floors on the development corpus (tests/devset/, a copy of ../shared/devset):
24 original documents in the real debate's genres, double-annotated. It is
the yardstick for extraction on real web text. The floors sit just under what
the extractor measured when they were set (statements strict F1 0.761,
claims 0.786, organisations P 0.946 R 0.916): a drop below them means a
capability stopped working. Built through the real path: build, the graph's
exports, evaluate (with the devset's organisations.yaml as scoring key only).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from carekg.build import build
from carekg.evaluate import evaluate_graph_file, format_evaluation

DEVSET = Path(__file__).resolve().parent / "devset"


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    out = tmp_path_factory.mktemp("devset")
    build(DEVSET / "docs", out, validate=False)
    return evaluate_graph_file(out / "graph.ttl", DEVSET / "gold")


def test_devset_statements(evaluation):
    report = format_evaluation(evaluation)
    assert evaluation.statements_strict.f1 >= 0.74, report
    assert evaluation.statements_strict.precision >= 0.80, report
    assert evaluation.statements_lenient.f1 >= evaluation.statements_strict.f1, report


def test_devset_claims(evaluation):
    assert evaluation.claims.f1 >= 0.76, format_evaluation(evaluation)


def test_devset_organisations(evaluation):
    report = format_evaluation(evaluation)
    assert evaluation.organisations.recall >= 0.90, report
    assert evaluation.organisations.precision >= 0.92, report
