"""Tables out of a graph: the statements, claims and organisations exports.

The rows come from the packaged ``export-*.rq`` queries, so a CSV, the Python
API and ``carekg evaluate`` all read the graph the same way.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .errors import CareKGError
from .graph import write_atomic
from .sparql import Row, Source, query_text, select

try:
    import pyoxigraph as ox
except ImportError:  # pragma: no cover
    ox = None  # type: ignore[assignment]

EXPORT_KINDS = ("statements", "claims", "organisations")
INTEGER_COLUMNS = ("start", "end")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {
    **{_XSD + name: int for name in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")},
    **{_XSD + name: float for name in ("decimal", "double", "float")},
}


def _plain(term: object) -> object:
    """A pyoxigraph term as the plain value ``carekg.sparql.select`` gives, without a detour through rdflib.

    That detour (an rdflib ``Literal`` per cell) took 7 of the 8 export seconds
    of a 1,000-document build; IRIs and strings are their text, numbers numbers.
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        convert = _NUMBERS.get(term.datatype.value)
        if convert is not None:
            try:
                return convert(term.value)
            except ValueError:  # an ill-typed literal stays text, as in rdflib
                return term.value
        if term.datatype.value == _XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return term.value


def _select(source: Source, query: str) -> tuple[list[str], list[Row]]:
    if ox is not None and isinstance(source, ox.Store):
        solutions = source.query(query)
        columns = [v.value for v in solutions.variables]
        return columns, [{c: _plain(solution[c]) for c in columns} for solution in solutions]
    return select(source, query)


def export_rows(source: Source, kind: str) -> tuple[list[str], list[Row]]:
    """Columns and rows of one export kind, in a stable order."""
    if kind not in EXPORT_KINDS:
        raise CareKGError(f"unknown export '{kind}'; choose one of {', '.join(EXPORT_KINDS)}")
    columns, rows = _select(source, query_text(f"export-{kind}"))
    for row in rows:
        for column in INTEGER_COLUMNS:
            if row.get(column) is not None:
                row[column] = int(row[column])
        for column, value in row.items():
            if value is None:
                row[column] = ""
    return columns, rows


def all_exports(source: Source) -> dict[str, list[Row]]:
    """Every export kind's rows, keyed by kind (the shape ``carekg.evaluate`` scores)."""
    return {kind: export_rows(source, kind)[1] for kind in EXPORT_KINDS}


def csv_bytes(columns: list[str], rows: list[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_export(source: Source, kind: str, path: Path) -> int:
    """Write one export as CSV (atomically); return the number of rows."""
    columns, rows = export_rows(source, kind)
    write_atomic(Path(path), csv_bytes(columns, rows))
    return len(rows)
