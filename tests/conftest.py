"""Shared fixtures: the seed corpus is built once per test session."""

from pathlib import Path

import pytest

from tests.viewtools import browser  # noqa: F401  (the headless Chromium of the HTML view tests)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_build_dir(tmp_path_factory) -> Path:
    """A folder holding `carekg build seeds` outputs (graph.ttl, CSVs, views, report)."""
    from carekg.build import build

    out = tmp_path_factory.mktemp("seed-build")
    build(SEEDS, out)
    return out


@pytest.fixture(scope="session")
def seed_graph_path(seed_build_dir) -> Path:
    return seed_build_dir / "graph.ttl"
