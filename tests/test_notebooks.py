"""The analyst notebooks run from a clean clone: stored without outputs, executed here with nbclient."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_notebooks_are_there():
    assert {p.name for p in NOTEBOOKS} >= {"coalition_overlaps.ipynb", "evidence_and_positions.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has stored outputs"
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path: Path, monkeypatch):
    from nbclient import NotebookClient

    # The kernel imports carekg from this checkout even when it is not installed, and runs headless.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])))
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no plot was drawn"
    assert any("text/html" in o.get("data", {}) for o in outputs), "no table was shown"


def test_the_notebooks_extra_installs_what_the_notebooks_import():
    """`pip install -e ".[notebooks]"` is enough to open and run them: every import is a declared dependency."""
    import ast
    import re
    import sys
    import tomllib
    from importlib.metadata import packages_distributions

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name = re.compile(r"[A-Za-z0-9._-]+")
    declared = {name.match(r).group().lower() for r in project["dependencies"] + project["optional-dependencies"]["notebooks"]}
    assert {"notebook", "ipykernel", "matplotlib"} <= declared  # Jupyter itself, its kernel, the plots
    distributions = packages_distributions()
    imported = set()
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                for node in ast.walk(ast.parse(cell.source)):
                    if isinstance(node, ast.Import):
                        imported.update(alias.name.split(".")[0] for alias in node.names)
                    elif isinstance(node, ast.ImportFrom) and node.level == 0:
                        imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"carekg"}
    assert third_party >= {"matplotlib", "pandas", "networkx"}
    for module in sorted(third_party):
        assert {d.lower() for d in distributions.get(module, [module])} & declared, f"{module} is not declared"
