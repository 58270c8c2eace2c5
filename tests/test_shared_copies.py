"""The project's copies of the shared seeds, codebook and gold files are
byte-identical to the originals in the ``shared`` folder beside the repository.

Files are listed from ``shared`` so that a file added there and not copied
into the project fails the test. Skipped when ``shared`` is absent (e.g. in a
checkout of the project alone).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"

# (folder in shared, file pattern, folder in the project)
COPIES = (
    ("seeds", "**/*", "seeds"),
    ("codebook", "*.yaml", "ontology"),
    ("gold", "**/*", "tests/gold"),
    ("devset", "**/*", "tests/devset"),
    ("devset-b", "**/*", "tests/devset-b"),
)


def _cases() -> list:
    if not SHARED.is_dir():
        return [pytest.param(None, None, id="no-shared-folder")]
    cases = []
    for shared_dir, pattern, project_dir in COPIES:
        base = SHARED / shared_dir
        for original in sorted(base.glob(pattern)):
            relative = original.relative_to(base)
            if original.is_file() and not any(part.startswith(".") for part in relative.parts):
                copy = ROOT / project_dir / relative
                cases.append(pytest.param(original, copy, id=f"{shared_dir}/{relative.as_posix()}"))
    return cases


@pytest.mark.parametrize("original, copy", _cases())
def test_copy_is_identical(original: Path | None, copy: Path | None):
    if original is None or copy is None:
        pytest.skip(f"no shared folder at {SHARED}: nothing to compare the copies with")
    assert copy.is_file(), f"{copy.relative_to(ROOT)} is missing: copy it from {original}"
    assert copy.read_bytes() == original.read_bytes(), (
        f"{copy.relative_to(ROOT)} differs from {original}: copy it again (do not edit the copy)")


def test_shared_folders_present():
    if not SHARED.is_dir():
        pytest.skip(f"no shared folder at {SHARED}")
    for shared_dir, _, _ in COPIES:
        assert (SHARED / shared_dir).is_dir(), f"{SHARED / shared_dir} is missing"
