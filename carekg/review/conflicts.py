"""Conflicting stances: one actor both supporting and opposing one proposal in one document.

Found in the statements export as it is written (rows come ordered by
document), so only one document's statements are held at a time; the build
reports them in ``build-report.json`` for an analyst to review.
"""

from __future__ import annotations

from typing import Any, Iterable

__all__ = ["ConflictFinder", "find_conflicts"]

Passage = dict[str, Any]


class ConflictFinder:
    """Reads statements export rows one at a time; :meth:`conflicts` lists what it found.

    >>> finder = ConflictFinder()
    >>> for stance, start in (("support", 0), ("oppose", 40)):
    ...     finder.add({"document": "a.txt", "actor_id": "x", "proposal_id": "p", "stance": stance,
    ...                 "quote": stance, "start": start, "end": start + 7, "statement_id": f"s{start}"})
    >>> [(c["actor_id"], len(c["support"]), len(c["oppose"])) for c in finder.conflicts()]
    [('x', 1, 1)]
    """

    def __init__(self) -> None:
        self._document: str | None = None
        self._held: dict[tuple[str, str, str], dict[str, list[Passage]]] = {}
        self._found: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        if row["document"] != self._document:
            self._close_document()
            self._document = row["document"]
        if row["stance"] in ("support", "oppose"):
            passage = {"quote": row["quote"], "start": int(row["start"]), "end": int(row["end"]),
                       "statement_id": row["statement_id"]}
            self._held.setdefault((row["document"], row["actor_id"], row["proposal_id"]), {}) \
                .setdefault(row["stance"], []).append(passage)

    def _close_document(self) -> None:
        order = lambda p: (p["start"], p["end"], p["statement_id"])  # noqa: E731
        self._found += [{"document": document, "actor_id": actor, "proposal_id": proposal,
                         "support": sorted(sides["support"], key=order), "oppose": sorted(sides["oppose"], key=order)}
                        for (document, actor, proposal), sides in self._held.items()
                        if "support" in sides and "oppose" in sides]
        self._held.clear()

    def conflicts(self) -> list[dict[str, Any]]:
        """Every conflict found so far, sorted by document, actor and proposal: the same graph, the same list."""
        self._close_document()
        return sorted(self._found, key=lambda c: (c["document"], c["actor_id"], c["proposal_id"]))


def find_conflicts(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Where one actor both supports and opposes one proposal in one document: a conflict to review.

    ``rows`` are the statements export's rows (``export_rows(store, "statements")``).
    One entry per (document, actor, proposal), with the passages of each side
    (quote, code-point offsets, statement id), all sorted: the same graph gives
    the same list. Rows of one document need not be together.
    """
    finder = ConflictFinder()
    for row in sorted(rows, key=lambda r: r["document"]):
        finder.add(row)
    return finder.conflicts()
