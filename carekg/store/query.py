"""Questions to a carekg graph from the command line and from Python: open, bind, run, format.

A query is a canned query, a ``.rq`` file or inline SPARQL
(:mod:`carekg.store.canned` finds it, checks that it only reads and binds its
parameters); this module opens the graph (the build's store, or the file
read into memory), runs the query there or answers it from the build's
canned answers (:mod:`carekg.store.answers`), and formats the rows.

Only read queries run (SELECT, ASK, CONSTRUCT, DESCRIBE): an update is
refused before the graph is even opened, and the graph is opened read-only
(the build's store) or read into memory, so neither can change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, Mapping

from carekg.errors import QueryError
from carekg.graph.rdfio import graph_file
from carekg.store.canned import (PARAMETER_TYPES, Parameter, Query, Result, bind, canned_queries, check_read_only,
                                 is_canned, resolve)
from carekg.store.sparql import Row, Source, stream

__all__ = [
    "Parameter", "Query", "Result", "STORES", "FORMATS", "PARAMETER_TYPES", "AUTO_OXIGRAPH_BYTES",
    "canned_queries", "resolve", "check_read_only", "choose_store", "open_source", "bind", "run",
    "query_graph", "row_limit", "TABLE_ROWS", "listing", "format_result", "format_table",
]

STORES = ("auto", "rdflib", "oxigraph")
FORMATS = ("table", "csv", "tsv", "json")
# Above this file size `auto` picks pyoxigraph. A built graph holds ~70 bytes of Turtle per triple, so
# 2 MB is ~30k triples (~60 seed-sized documents); beyond that rdflib takes seconds to parse and to answer
# unbound canned queries (measured at 450k triples: parse 16 s vs 1.1 s, supporters 22 s vs 2.3 s).
AUTO_OXIGRAPH_BYTES = 2_000_000


# --- stores --------------------------------------------------------------------------

def choose_store(path: Path | str, store: str = "auto") -> str:
    """``rdflib`` or ``oxigraph``: as asked, or by file size for ``auto``."""
    if store not in STORES:
        raise QueryError(f"unknown store '{store}'; choose one of {', '.join(STORES)}")
    if store != "auto":
        return store
    from carekg.store.disk import has_store

    path = graph_file(path)
    if has_store(path):
        return "oxigraph"
    return "oxigraph" if path.is_file() and path.stat().st_size > AUTO_OXIGRAPH_BYTES else "rdflib"


def open_source(path: Path | str, store: str = "auto", raw: bool = False) -> tuple[Source, str]:
    """Open the graph at ``path`` (a build folder or graph file) with the chosen engine; return it and its name.

    pyoxigraph opens the build's on-disk store read-only when there is one
    (:func:`carekg.store.sparql.open_store`); rdflib reads the file into memory.
    ``raw`` gives the graph as the extractor made it, without the analysts'
    corrections (in memory: the store on disk is never changed).
    """
    engine = choose_store(path, store)
    if engine == "oxigraph":
        from carekg.store.sparql import open_store

        source: Source = open_store(path, writable=raw)
    else:
        from carekg.graph.triples import load_graph

        source = load_graph(path)
    if raw:
        from carekg.store.sparql import raw_view

        raw_view(source)
    return source, engine


# --- running ---------------------------------------------------------------------------

def run(source: Source, query: Query | str, values: Mapping[str, Any] | None = None, *,
        limit: int | None = None, offset: int = 0) -> Result:
    """Run a read query on an opened graph, with ``values`` bound by the query's parameter types.

    With ``limit``, only ``limit`` rows are kept, after skipping ``offset``
    (the rest are counted, in ``Result.total``), so the answer's size bounds
    neither memory nor output.
    """
    from rdflib import Graph

    answer = _start(source, query, values)
    rows, total = answer.rows(limit, offset)
    return Result(answer.columns, rows, "rdflib" if isinstance(source, Graph) else "oxigraph", total, offset)


def _start(source: Source, query: Query | str, values: Mapping[str, Any] | None) -> Any:
    """Check ``query``, bind ``values`` and start it on ``source``: its :class:`carekg.store.sparql.Answer`."""
    from carekg.vocab.namespace import PREFIXES

    if isinstance(query, str):
        query = resolve(query)
    if not is_canned(query):  # packaged queries are read-only and offline: no need to parse them (0.1–0.5 s each)
        check_read_only(query.text)
    bound = bind(source, query, values or {})
    # carekg's prefixes are predeclared (as initNs / prefixes), so inline SPARQL may use ckg:, cb:, ag: … directly.
    return stream(source, query.text, bound, prefixes=PREFIXES)


def query_graph(path: Path | str, query: str, values: Mapping[str, Any] | None = None, store: str = "auto", *,
                raw: bool = False, limit: int | None = None, offset: int = 0, timeout: float | None = None) -> Result:
    """Resolve, check and run ``query`` on the graph at ``path`` (what ``carekg query`` does).

    ``path`` is a build folder or graph file. ``raw`` asks the graph as the
    extractor made it, without the analysts' corrections. ``timeout`` bounds
    reading the graph and answering, in seconds (the work runs in a child
    process that is stopped then); ``limit`` and ``offset`` as for :func:`run`.
    A canned query on the build's store is answered from the rows the build
    computed for it (:mod:`carekg.store.answers`): the same rows, in milliseconds.
    """
    from carekg.store.bounded import call_with_timeout

    resolved = resolve(query)
    if not is_canned(resolved):
        check_read_only(resolved.text)  # before reading the graph: a refused update costs nothing
    if offset < 0 or (limit is not None and limit < 0):
        raise QueryError("--limit and --offset take a number of rows, 0 or more")
    arguments = (path, resolved, dict(values or {}), store, raw, limit, offset)
    return call_with_timeout(_answer, arguments, timeout, "the query")


def _answer(path: Path | str, query: Query, values: dict[str, Any], store: str, raw: bool,
            limit: int | None, offset: int) -> Result:
    source, engine = open_source(path, store, raw)
    if engine == "oxigraph" and not raw and is_canned(query):
        from carekg.store.answers import precomputed
        from carekg.store.disk import answers_file

        database = answers_file(path)
        result = precomputed(database, source, query, values, limit=limit, offset=offset) if database else None
        if result is not None:
            return result
    return run(source, query, values, limit=limit, offset=offset)


def stream_graph(path: Path | str, query: str, values: Mapping[str, Any] | None = None, store: str = "auto", *,
                 raw: bool = False, limit: int | None = None, offset: int = 0,
                 timeout: float | None = None) -> tuple[list[str], Iterator[Row]]:
    """As :func:`query_graph`, but the rows come one by one as they are found: the columns and an iterator.

    For answers of any size written to a file or a pipe (``--format csv``):
    memory holds a batch of rows at a time, never the whole answer.
    """
    from carekg.store.bounded import stream_with_timeout

    resolved = resolve(query)
    if not is_canned(resolved):
        check_read_only(resolved.text)
    if offset < 0 or (limit is not None and limit < 0):
        raise QueryError("--limit and --offset take a number of rows, 0 or more")
    items = stream_with_timeout(_stream_rows, (path, resolved, dict(values or {}), store, raw, limit, offset),
                                timeout, "the query")
    columns = next(items)
    return columns, items


def _stream_rows(path: Path | str, query: Query, values: dict[str, Any], store: str, raw: bool,
                 limit: int | None, offset: int) -> Iterator[Any]:
    """The columns, then each row (run where the time limit holds)."""
    source, engine = open_source(path, store, raw)
    if engine == "oxigraph" and not raw and is_canned(query):
        from carekg.store.answers import open_table
        from carekg.store.disk import answers_file

        database = answers_file(path)
        table = open_table(database, source, query, values, limit=limit, offset=offset) if database else None
        if table is not None:
            yield table[0]
            yield from table[2]
            return
    answer = _start(source, query, values)
    yield answer.columns
    yield from answer.iterate(limit, offset)


def row_limit(fmt: str, limit: int | None = None) -> int | None:
    """How many rows an answer in this format shows: ``limit`` when given; else all, but
    :data:`TABLE_ROWS` for table output (which says how many there are in all)."""
    if limit is not None:
        return limit
    return TABLE_ROWS if fmt == "table" else None


def listing() -> str:
    """The canned queries, their parameters and one-line descriptions (``carekg query --list``)."""
    lines = []
    for query in canned_queries():
        params = " ".join(f"{p.name}=<{p.type}>" for p in query.parameters.values())
        lines.append(f"{query.name:<18} {query.description}")
        if params:
            lines.append(f"{'':<18}   --bind {params}")
    return "\n".join(lines)


# --- output ------------------------------------------------------------------------------

MAX_CELL = 40  # table cells longer than this are cut with "…"; csv, tsv and json keep every character
TABLE_ROWS = 1000  # table output shows the first rows of an answer, and how many there are in all


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return str(value)


def _short(value: Any) -> str:
    """A cell for the terminal: one line, carekg IRIs as prefixed names (cb:…, ag:…)."""
    from carekg.vocab.namespace import PREFIXES

    text = " ".join(_text(value).split())
    if text.startswith("http"):
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
            if text.startswith(str(namespace)):
                return f"{prefix}:{text[len(str(namespace)):]}"
    return text


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(result: Result, width: int = 100) -> str:
    """Aligned columns when they fit in ``width``; otherwise one block per row (like psql's ``\\x auto``)."""
    columns, rows = result.columns, result.rows
    if not rows:
        return f"(no rows after --offset {result.offset:,}: there are {result.total:,})" if result.total else "(no rows)"
    cells = [[_short(row.get(c)) for c in columns] for row in rows]
    widths = [min(MAX_CELL, max(len(c), *(len(r[i]) for r in cells))) for i, c in enumerate(columns)]
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    if result.cut:
        first, last = result.offset + 1, result.offset + len(rows)
        shown = f"first {len(rows):,}" if result.offset == 0 else f"rows {first:,}–{last:,}"
        more = f"--offset {last} shows the next; " if last < (result.total or 0) else ""
        footer = f"({shown} of {result.total:,} rows; {more}--limit N, or --format csv, tsv or json for them all)"
    if sum(widths) + 2 * (len(widths) - 1) <= width:
        numeric = [all(isinstance(row.get(c), (int, float)) and not isinstance(row.get(c), bool) or row.get(c) is None for row in rows)
                   for c in columns]

        def line(values: list[str]) -> str:
            parts = [_cut(v, w).rjust(w) if num else _cut(v, w).ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)]
            return "  ".join(parts).rstrip()

        rule = "  ".join("-" * w for w in widths)
        return "\n".join([line(list(columns)), rule, *(line(r) for r in cells), footer])
    label = max(len(c) for c in columns)
    blocks = []
    for number, row in enumerate(cells, start=result.offset + 1):
        blocks.append(f"-[ {number} ]" + "-" * max(0, min(width, 60) - len(str(number)) - 5))
        blocks.extend(f"{c.ljust(label)} | {v}" for c, v in zip(columns, row, strict=True))
    return "\n".join([*blocks, footer])


def format_result(result: Result, fmt: str = "table", width: int = 100) -> str:
    """The result as text: ``table`` for reading, ``csv``/``tsv``/``json`` for other tools."""
    if fmt == "table":
        return format_table(result, width)
    return "".join(format_stream(result.columns, iter(result.rows), fmt)).rstrip("\n")


def format_stream(columns: list[str], rows: Iterator[Row], fmt: str) -> Iterator[str]:
    """``csv``, ``tsv`` or ``json`` text of rows as they come, piece by piece (each piece ends a line)."""
    import csv
    import io
    import json

    if fmt == "json":
        first = True
        for row in rows:
            text = json.dumps(row, ensure_ascii=False, indent=2, default=str).replace("\n", "\n  ")
            yield ("[\n  " if first else ",\n  ") + text
            first = False
        yield "[]\n" if first else "\n]\n"
        return
    if fmt not in ("csv", "tsv"):
        raise QueryError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_text(row.get(c)) for c in columns])
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
