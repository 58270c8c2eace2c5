"""The build's on-disk Oxigraph store: ``OUT/store/`` beside ``OUT/graph.ttl``.

``graph.ttl`` is the exchange file; the store holds exactly its triples in
pyoxigraph's on-disk format, which opens read-only in milliseconds instead of
parsing the file again on every question. ``OUT/store/carekg.json`` records
the carekg version that wrote it and a fingerprint of ``graph.ttl`` (size,
modification time, SHA-256): a store from another version, or older than its
graph file, is reported in one line and not used (the file is parsed instead).

The build writes the store in its temporary folder and swaps it into place
in one step (``renameat2(RENAME_EXCHANGE)`` on Linux), so a reader opening it
meanwhile sees the previous store or the new one, never half of one.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> graph_file(folder) == folder / "graph.ttl", graph_file(folder / "other.nt") == folder / "other.nt"
(True, True)
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from carekg import __version__
from carekg.errors import OutputError
from carekg.graph.rdfio import GRAPH_NAME, graph_file

__all__ = ["STORE_DIR", "RECORD", "GRAPH_NAME", "StoreNotUsed", "graph_file", "has_store", "store_for", "fingerprint",
           "open_read_only", "open_beside", "answers_file", "write_store", "write_record", "check_store_place",
           "swap_into_place", "ANSWERS"]

STORE_DIR = "store"  # the store's folder, beside the graph file
RECORD = "carekg.json"  # inside the store's folder: which graph file, which version
ANSWERS = "answers.sqlite"  # inside the store's folder: canned answers (carekg.store.answers)
_HASH_CHUNK = 1 << 20


class StoreNotUsed(UserWarning):
    """A store beside a graph file cannot stand for it (stale, another version): the file is parsed instead."""


@dataclass(frozen=True)
class Fingerprint:
    """What identifies a graph file's content: size and modification time first, the hash when they differ."""

    size: int
    mtime_ns: int
    sha256: str

    def record(self) -> dict[str, Any]:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(path: Path) -> Fingerprint:
    """The fingerprint of the graph file at ``path``."""
    stat = path.stat()
    return Fingerprint(stat.st_size, stat.st_mtime_ns, _sha256(path))


def has_store(path: Path | str) -> bool:
    """Whether a carekg store stands beside the graph at ``path`` (usable or not: :func:`store_for` says)."""
    return (graph_file(path).parent / STORE_DIR / RECORD).is_file()


def store_for(path: Path | str) -> Path | None:
    """The store folder to open for the graph at ``path`` (a build folder or graph file), or None.

    None when there is no store beside the file, or one made for another
    file. A store that exists for this file but cannot stand for it (another
    carekg version, older than the file) is reported with a
    :class:`StoreNotUsed` warning, one line, and None is returned.
    """
    graph = graph_file(path)
    folder = graph.parent / STORE_DIR
    for attempt in range(2):
        try:
            record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # no store here (or not one carekg wrote)
        if not isinstance(record, dict) or record.get("graph") != graph.name or not graph.is_file():
            return None
        reason = _unusable(record, graph)
        if not reason or attempt:
            break
        time.sleep(0.05)  # a build may be renaming graph.ttl and the store into place just now: look again
    if reason:
        warnings.warn(StoreNotUsed(f"{folder} not used: {reason}; reading {graph.name} instead "
                                   "(slower; `carekg build` writes a new store)"), stacklevel=3)
        return None
    return folder


_PINNED: dict[tuple[int, int], int] = {}  # store folders held open, by (device, inode): one descriptor each


def open_read_only(folder: Path) -> Any:
    """Open the store at ``folder`` read-only, through a descriptor of the folder itself.

    RocksDB opens a store's files by name one after the other; should a build
    swap a new store in meanwhile, names would lead into the new folder, whose
    files differ. Opening through ``/proc/self/fd/N`` keeps every name inside
    the folder first opened (Linux; elsewhere the path is used as it is). The
    descriptor stays open for the life of the process, one per store folder.
    Raises ``OSError`` or ``RuntimeError`` (pyoxigraph's) when it cannot open.
    """
    import pyoxigraph as ox

    return ox.Store.read_only(str(_pinned(folder)))


def _pinned(folder: Path) -> Path:
    """A path that stays inside the folder now at ``folder`` whatever is renamed later (Linux), else ``folder``."""
    proc = Path("/proc/self/fd")
    if not proc.is_dir():
        return folder
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    stat = os.fstat(descriptor)
    key = (stat.st_dev, stat.st_ino)
    if key in _PINNED:
        os.close(descriptor)
        descriptor = _PINNED[key]
    else:
        _PINNED[key] = descriptor
    return proc / str(descriptor)


def answers_file(path: Path | str) -> Path | None:
    """The canned answers the build computed (:mod:`carekg.store.answers`) for the graph at ``path``, or None.

    Only a store that stands for the graph file has them (its staleness was
    reported when the store was opened, so nothing is reported here).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StoreNotUsed)
        folder = store_for(path)
    if folder is None:
        return None
    database = _pinned(folder) / ANSWERS
    return database if database.is_file() else None


def open_beside(path: Path | str) -> Any:
    """The store beside the graph at ``path``, opened read-only; None when there is none to use.

    A store that cannot be opened is reported like a stale one (one
    :class:`StoreNotUsed` line) and None is returned: the file still answers.
    """
    problem: Exception | None = None
    for _ in range(5):  # a build swapping a new store in just now removes the one being opened: look again
        folder = store_for(path)
        if folder is None:
            return None
        try:
            return open_read_only(folder)
        except (OSError, RuntimeError) as exc:
            problem = exc
            time.sleep(0.02)
    warnings.warn(StoreNotUsed(f"{folder} not used: cannot open it ({problem}); reading {graph_file(path).name} "
                               "instead"), stacklevel=3)
    return None


def _unusable(record: dict[str, Any], graph: Path) -> str | None:
    """Why the store's record does not match this carekg and this graph file, or None."""
    if record.get("carekg") != __version__:
        return f"it was written by carekg {record.get('carekg')}, this is carekg {__version__}"
    stat = graph.stat()
    written = record.get("fingerprint") or {}
    if written.get("size") == stat.st_size and written.get("mtime_ns") == stat.st_mtime_ns:
        return None
    # Copied or touched (the time differs) but perhaps the same content: the hash decides.
    if written.get("size") == stat.st_size and written.get("sha256") == _sha256(graph):
        return None
    return f"{graph.name} changed after the store was written"


def write_store(parts: Iterable[bytes | Path], folder: Path) -> None:
    """Write a new on-disk store at ``folder`` from N-Triples (bytes or files), literals of any size.

    :func:`write_record` then ties it to its graph file.
    """
    import pyoxigraph as ox

    from carekg.graph.rdfio import load_store
    from carekg.graph.triples import output_errors

    with output_errors(folder):
        store = ox.Store(str(folder))
        for part in parts:
            load_store(part, "nt", store)
        store.flush()
        del store  # closes the database before anyone opens it read-only


def write_record(folder: Path, graph: Path, name: str) -> None:
    """The store's record: the version, the graph file's final ``name`` and the fingerprint of ``graph``
    (staged under another name, perhaps: a rename keeps size, time and content)."""
    record = {"carekg": __version__, "graph": name, "fingerprint": fingerprint(graph).record()}
    (folder / RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return done == 0


def check_store_place(final: Path) -> None:
    """Raise :class:`OutputError` when something other than a store folder is where the store goes."""
    if final.is_symlink() or (final.exists() and not final.is_dir()):
        raise OutputError(f"'{final}' is in the way of the store: move it elsewhere")


def swap_into_place(staged: Path, final: Path) -> None:
    """Put the store folder ``staged`` at ``final``; the previous store ends up at ``staged`` (or is removed).

    Where the system cannot exchange two folders atomically, the old store is
    moved aside first: a reader in between finds no store and parses the file.
    """
    if not final.exists():
        os.rename(staged, final)
        return
    check_store_place(final)
    if _exchange(staged, final):
        return
    aside = staged.with_name(staged.name + ".old")
    os.rename(final, aside)
    os.rename(staged, final)
    shutil.rmtree(aside, ignore_errors=True)
