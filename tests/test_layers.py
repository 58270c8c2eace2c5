"""The package's folders are the pipeline: no stage imports a stage above it, and no module imports itself in a circle.

Imports are read from the source with ``ast`` (lazy imports inside functions
count too: a circle through a function is still a circle), so the test sees
what the code does, not what a docstring says.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "carekg"

# Lowest first. A module may import modules of its own stage and of stages listed before it.
STAGES = ["base", "vocab", "ingest", "extract", "graph", "store", "networks", "view", "review", "top"]
BASE = {"carekg", "carekg.errors", "carekg.stopping"}  # the root package only for __version__ (its load() is lazy)
TOP = {"carekg.build", "carekg.cli", "carekg.api", "carekg.crossval", "carekg.__main__"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def stage_of(module: str) -> str:
    if module in BASE:
        return "base"
    if module in TOP:
        return "top"
    stage = module.split(".")[1]
    assert stage in STAGES, f"{module} is in no stage's folder"
    return stage


def imports_of(module: str) -> set[str]:
    """The carekg modules ``module`` imports (``from carekg import __version__`` is the root package)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "carekg")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "carekg":
                target = node.module
            else:
                continue
            # ``from carekg.x import y``: y is a module when there is one by that name, else a name in x
            submodules = {f"{target}.{alias.name}" for alias in node.names} & MODULES.keys()
            found.update(submodules or {target})
    found.discard(module)
    return found


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for module in MODULES:
        graph.add_node(module)
        for target in imports_of(module):
            assert target in MODULES, f"{module} imports {target}, which is no module of carekg"
            if module == "carekg" or target == "carekg":
                continue  # the root package: __version__ one way, a lazy load() the other
            graph.add_edge(module, target)
    return graph


def test_the_reader_resolves_imports_as_python_does():
    assert {"carekg.store.canned", "carekg.store.disk", "carekg.store.sparql"} <= imports_of("carekg.store.answers")
    assert "carekg.extract.text" in imports_of("carekg.review.evaluate")
    assert "carekg.errors" in imports_of("carekg.store.bounded")  # ``from carekg import errors``


# The root package is left out: it is the base for __version__, and its load() imports the API lazily.
@pytest.mark.parametrize("module", sorted(set(MODULES) - {"carekg"}))
def test_no_stage_imports_a_stage_above_it(module):
    rank = STAGES.index(stage_of(module))
    upward = sorted(target for target in imports_of(module)
                    if target != "carekg" and STAGES.index(stage_of(target)) > rank)
    assert not upward, f"{module} ({stage_of(module)}) imports from higher stages: {upward}"


def test_no_import_circles():
    circles = sorted(sorted(component) for component in nx.strongly_connected_components(import_graph())
                     if len(component) > 1)
    assert not circles, f"import circles: {circles}"


def test_every_stage_folder_says_what_it_owns_and_what_it_may_import():
    for stage in STAGES[1:-1]:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, f"carekg/{stage}/__init__.py does not say which stages it may import"


def test_the_package_root_holds_only_the_base_and_the_top():
    modules = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    assert {f"carekg.{name}" for name in modules} == (BASE | TOP) - {"carekg"}
    folders = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").is_file()}
    assert folders == set(STAGES[1:-1])


def test_the_repository_root_holds_what_a_newcomer_needs():
    tracked = {path.name for path in PACKAGE.parent.iterdir() if not path.name.startswith(".")}
    stray = {name for name in tracked if name.endswith((".whl", ".tar.gz", ".zip", ".pyc", ".log"))}
    assert not stray, f"build artefacts at the repository root: {sorted(stray)}"


def test_every_package_folder_is_shipped():
    """A stage folder missing from pyproject's package list would be left out of a wheel (editable installs hide it)."""
    import tomllib

    shipped = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
                  ["tool"]["setuptools"]["packages"])
    folders = {".".join(path.parent.relative_to(PACKAGE.parent).parts) for path in PACKAGE.rglob("__init__.py")}
    assert folders - shipped == set(), f"package folders not in pyproject's [tool.setuptools] packages: {sorted(folders - shipped)}"
