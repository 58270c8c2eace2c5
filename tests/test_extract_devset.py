"""Floors on the development corpora, in-sample and cross-validated.

tests/devset/ and tests/devset-b/ are copies of ../shared/devset and
../shared/devset-b: 24 + 12 original documents in the real debate's genres,
double-annotated. Built through the real path: build, the graph's exports,
evaluate (with each set's organisations.yaml as scoring key only).

The in-sample floors sit just under what the extractor measured when they were
set, with the proposal recogniser trained on every packaged example, these
documents' own gold passages included (devset: statements strict F1 0.812,
claims 0.786, organisations P 0.946 R 0.916; devset-b: 0.786, 0.690, P 0.856
R 0.974). In-sample figures flatter a learned stage: the honest figure is
leave-one-document-out (``carekg crossval``), whose floor for devset-b (0.644
when set) is checked here too. A drop below a floor means a capability
stopped working.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from carekg.build import build
from carekg.crossval import CorpusSet, cross_validate
from carekg.review.evaluate import format_evaluation, evaluate_graph_file

TESTS = Path(__file__).resolve().parent

# set -> (statements strict F1, strict precision, claims F1, organisations recall, organisations precision)
FLOORS = {
    "devset": (0.79, 0.82, 0.76, 0.90, 0.92),
    "devset-b": (0.76, 0.85, 0.67, 0.93, 0.82),
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def evaluation(request, tmp_path_factory):
    folder = TESTS / request.param
    out = tmp_path_factory.mktemp(request.param)
    build(folder / "docs", out, validate=False)
    return request.param, evaluate_graph_file(out / "graph.ttl", folder / "gold")


def test_statements(evaluation):
    name, ev = evaluation
    f1, precision = FLOORS[name][:2]
    report = format_evaluation(ev)
    assert ev.statements_strict.f1 >= f1, report
    assert ev.statements_strict.precision >= precision, report
    assert ev.statements_lenient.f1 >= ev.statements_strict.f1, report


def test_claims(evaluation):
    name, ev = evaluation
    assert ev.claims.f1 >= FLOORS[name][2], format_evaluation(ev)


def test_organisations(evaluation):
    name, ev = evaluation
    report = format_evaluation(ev)
    assert ev.organisations.recall >= FLOORS[name][3], report
    assert ev.organisations.precision >= FLOORS[name][4], report


def test_devset_b_cross_validated():
    """devset-b with every document read by a recogniser that never saw it:
    the figure that says how the extractor does on new text."""
    folder = TESTS / "devset-b"
    result = cross_validate([CorpusSet("devset-b", folder / "docs", folder / "gold")])
    ev = result.per_set["devset-b"]
    report = result.format()
    assert ev.statements_strict.f1 >= 0.60, report
    assert ev.statements_strict.precision >= 0.78, report
    assert ev.claims.f1 >= 0.67, report
    # held out scores below in-sample: the recogniser is refit without the document
    assert ev.statements_strict.f1 < 0.76, report
