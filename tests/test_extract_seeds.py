"""The extractor on the seed corpus must reach the agreed floors."""

from __future__ import annotations

from pathlib import Path

import pytest

from carekg.review.evaluate import evaluate_graph_file

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def evaluation(seed_graph_path):
    return evaluate_graph_file(seed_graph_path, ROOT / "tests" / "gold")


def test_statements_strict_f1(evaluation):
    assert evaluation.statements_strict.f1 >= 0.95


def test_statements_lenient_not_below_strict(evaluation):
    assert evaluation.statements_lenient.f1 >= evaluation.statements_strict.f1


def test_claims_f1(evaluation):
    assert evaluation.claims.f1 >= 0.85


def test_organisations(evaluation):
    assert evaluation.organisations.recall >= 0.95
    assert evaluation.organisations.precision >= 0.95
