"""Tables out of a graph: the statements, claims and organisations exports.

The rows come from the packaged ``export-*.rq`` queries, so a CSV, the Python
API and ``carekg evaluate`` all read the graph the same way.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, Iterable, Iterator

from carekg.errors import CareKGError
from carekg.graph.triples import write_atomic
from carekg.store.sparql import Row, Source, query_text, select, stream

EXPORT_KINDS = ("statements", "claims", "organisations")
INTEGER_COLUMNS = ("start", "end")


def export_rows(source: Source, kind: str) -> tuple[list[str], list[Row]]:
    """Columns and rows of one export kind, in a stable order."""
    columns, rows = export_stream(source, kind)
    return columns, list(rows)


def export_stream(source: Source, kind: str) -> tuple[list[str], Iterator[Row]]:
    """Columns and rows of one export kind, the rows made one at a time as they are read.

    For writing a large graph's exports without holding them: the rows are
    those of :func:`export_rows`, in the same order.
    """
    if kind not in EXPORT_KINDS:
        raise CareKGError(f"unknown export '{kind}'; choose one of {', '.join(EXPORT_KINDS)}")
    answer = stream(source, query_text(f"export-{kind}"))
    values = _claim_values(source) if kind == "claims" else None

    def rows() -> Iterator[Row]:
        for row in answer.iterate():
            if values is not None:
                row["values"] = "; ".join(text for _, text in sorted(values.get(row["claim_id"], ())))
            for column in INTEGER_COLUMNS:
                if row.get(column) is not None:
                    row[column] = int(row[column])
            for column, value in row.items():
                if value is None:
                    row[column] = ""
            yield row

    return answer.columns, rows()


def _claim_values(source: Source) -> dict[str, list[tuple[int, str]]]:
    """Each claim's quantities as (index, "48 percent"), to be shown as "48 percent; falling" in text order."""
    stated: dict[str, list[tuple[int, str]]] = {}
    for value in select(source, query_text("export-claim-values"))[1]:
        index = int(str(value["quantity"]).rsplit("/", 1)[1])  # …/value/<index>, minted in text order
        text = f"{value['number']} {value['unit']}" if value["number"] else str(value["unit"])
        stated.setdefault(value["claim_id"], []).append((index, text))
    return stated


def all_exports(source: Source) -> dict[str, list[Row]]:
    """Every export kind's rows, keyed by kind (the shape ``carekg.review.evaluate`` scores)."""
    return {kind: export_rows(source, kind)[1] for kind in EXPORT_KINDS}


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet will show as text, never run as a formula (OWASP's advice).

    Quotes, titles and names come from documents, so a cell may begin with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; it gets a leading
    apostrophe, which spreadsheets hide and take as "this is text". Numbers
    are left alone.

    >>> spreadsheet_safe("=1+2"), spreadsheet_safe("- a bullet"), spreadsheet_safe(-2)
    ("'=1+2", "'- a bullet", -2)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(columns: list[str], rows: Iterable[Row]) -> bytes:
    """The rows as CSV for people (spreadsheets): text cells made formula-safe with :func:`spreadsheet_safe`."""
    buffer = io.BytesIO()
    write_csv(columns, rows, buffer)
    return buffer.getvalue()


def write_csv(columns: list[str], rows: Iterable[Row], output: IO[bytes]) -> int:
    """Write the rows as :func:`csv_bytes` makes them to a binary stream, one at a time; return how many."""
    text = io.TextIOWrapper(output, encoding="utf-8", newline="", write_through=False)
    try:
        writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        count = 0
        for row in rows:
            writer.writerow({column: spreadsheet_safe(value) for column, value in row.items()})
            count += 1
        text.flush()
    finally:
        text.detach()  # the caller's stream stays open
    return count


def write_export(source: Source, kind: str, path: Path) -> int:
    """Write one export as CSV (atomically); return the number of rows."""
    columns, rows = export_rows(source, kind)
    write_atomic(Path(path), csv_bytes(columns, rows))
    return len(rows)
