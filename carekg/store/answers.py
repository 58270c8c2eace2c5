"""Canned answers computed at build time, so that listings page in milliseconds.

An unbound listing (``timeline``, ``supporters``, ``profile`` …) joins every
statement of the graph with its document, passage and labels, then sorts them:
on a 3,000-document graph pyoxigraph's on-disk store needs 5–30 s for that,
whatever the page shown. The build therefore runs each canned query once,
unbound, on its in-memory graph and keeps the rows, in order, in
``OUT/store/answers.sqlite`` (one table per query, an index per parameter;
each text once, in a table of its own, which the rows name by id: the
listings repeat every statement's quote, title and labels, and kept in every
row they made the file five times the size of the graph's text).
``carekg query`` then answers a canned query on the store from that table: a
bound parameter is a filter on its column (every parameter of a canned query
is one of its columns, so binding it and filtering on it give the same rows:
tests check this query by query), ``--limit``/``--offset`` are SQL's, and the
total is one ``COUNT``. The table lives inside the store's folder, so it is
swapped in and checked for staleness with the store.

Only the corrected graph is kept (``--raw``, inline SPARQL and ``.rq`` files
run on the engine), and only queries whose parameters are all columns.
``coalition-overlap`` pairs every actor with every other on each shared
position (4.8 million rows at 3,000 documents, unbound): the build keeps its
21,500 positions instead (``answers-coalition-groups.rq``: actor, proposal,
stance, first quote) and a SQL view pairs them as the SPARQL does; a page of
it, bound or not, takes milliseconds, and its total is counted by formula.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Iterator, Mapping

from carekg.store.canned import Query, Result, bind, canned_queries
from carekg.store.disk import ANSWERS
from carekg.store.sparql import Row, Source, _python, query_text, stream
from carekg.vocab.namespace import PREFIXES

__all__ = ["ANSWERS", "write_answers", "precomputed", "open_table"]

_BATCH = 5_000
NOT_KEPT = frozenset({"coalition-overlap"})  # answers too large to keep whole: a view over a smaller table

# coalition-overlap: its positions (the internal query) and the view pairing them, ordered as its ORDER BY.
_GROUPS = "coalition-overlap:groups"
_PAIRS = f"""CREATE VIEW "coalition-overlap" AS SELECT
    a.organisation_id, a.organisation_label, b.organisation_id AS other_id, b.organisation_label AS other_label,
    a.proposal_id, a.proposal_label, a.stance, a.quote AS organisation_quote, b.quote AS other_quote,
    a.organisation, b.organisation AS other
  FROM "{_GROUPS}" a JOIN "{_GROUPS}" b ON a.proposal = b.proposal AND a.stance = b.stance AND a.organisation <> b.organisation"""
# (view, ORDER BY, the unbound total: n actors on one side of one proposal make n × (n - 1) ordered pairs)
_VIEWS = [("coalition-overlap", "organisation_id, other_id, proposal_id, stance",
           f'SELECT COALESCE(SUM(n * (n - 1)), 0) FROM (SELECT COUNT(*) AS n FROM "{_GROUPS}" GROUP BY proposal, stance)')]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_answers(source: Source, folder: Path) -> dict[str, int]:
    """Run every canned query unbound on ``source`` and keep its rows in ``folder/answers.sqlite``.

    Returns the number of rows kept per query. Each text is kept once, in
    ``_text``: a query's rows (``"NAME:rows"``) hold the ids of their texts
    (the quotes, labels and titles that several listings repeat for every
    statement), and the view ``"NAME"`` joins them back for a reader of the
    database. A column is kept as ids when every value the query gave it is a
    text; numbers stay as they are. ``_columns`` says which is which.
    """
    counts: dict[str, int] = {}
    database = sqlite3.connect(folder / ANSWERS)
    try:
        database.execute("CREATE TABLE _text (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE)")
        database.execute("CREATE TABLE _columns (query TEXT, position INTEGER, name TEXT, interned INTEGER, "
                         "PRIMARY KEY (query, position))")
        for query in canned_queries():
            if query.name in NOT_KEPT:
                continue
            answer = stream(source, query.text, {}, prefixes=PREFIXES)
            if not set(query.parameters) <= set(answer.columns):
                continue  # a parameter the answer does not show cannot be a filter
            counts[query.name] = _write_table(database, query, answer.columns, answer.iterate())
        _write_pairs(database, source)
        database.commit()
    finally:
        database.close()
    return counts


def _write_table(database: sqlite3.Connection, query: Query, columns: list[str], rows: Iterator[Row]) -> int:
    """One query's rows, through a temporary table: SQLite keeps the texts unique, so memory stays bounded."""
    names = ", ".join(_quoted(column) for column in columns)
    database.execute(f"CREATE TEMP TABLE _staging (_row INTEGER PRIMARY KEY, {names})")
    insert = f"INSERT INTO _staging VALUES (?, {', '.join('?' * len(columns))})"
    batch, count = [], 0
    for row in rows:  # one batch in memory at a time
        batch.append((count, *(row[column] for column in columns)))
        count += 1
        if len(batch) >= _BATCH:
            database.executemany(insert, batch)
            batch.clear()
    database.executemany(insert, batch)
    interned = [not database.execute(f"SELECT 1 FROM _staging WHERE typeof({_quoted(column)}) NOT IN ('text', 'null') "
                                     "LIMIT 1").fetchone() for column in columns]
    for column, text in zip(columns, interned):
        if text:
            database.execute(f"INSERT OR IGNORE INTO _text (value) SELECT {_quoted(column)} FROM _staging "
                             f"WHERE {_quoted(column)} IS NOT NULL")
    table = _quoted(query.name + ":rows")
    values = ", ".join(f"(SELECT id FROM _text WHERE value = s.{_quoted(column)})" if text else f"s.{_quoted(column)}"
                       for column, text in zip(columns, interned))
    database.execute(f"CREATE TABLE {table} (_row INTEGER PRIMARY KEY, {names})")
    database.execute(f"INSERT INTO {table} SELECT s._row, {values} FROM _staging s ORDER BY s._row")
    database.execute("DROP TABLE _staging")
    for parameter in query.parameters:
        database.execute(f"CREATE INDEX {_quoted(query.name + ':' + parameter)} ON {table} ({_quoted(parameter)})")
    database.executemany("INSERT INTO _columns VALUES (?, ?, ?, ?)",
                         [(query.name, position, column, int(text))
                          for position, (column, text) in enumerate(zip(columns, interned))])
    database.execute(f"CREATE VIEW {_quoted(query.name)} AS SELECT r._row AS _row, {_joined(columns, interned, table)}")
    return count


def _joined(columns: list[str], interned: list[bool], rows: str) -> str:
    """Select list and FROM clause reading a query's rows (``rows``: its table, or a subquery) with their texts."""
    select, joins = [], []
    for position, (column, text) in enumerate(zip(columns, interned)):
        if text:
            select.append(f"t{position}.value AS {_quoted(column)}")
            joins.append(f"LEFT JOIN _text t{position} ON t{position}.id = r.{_quoted(column)}")
        else:
            select.append(f"r.{_quoted(column)} AS {_quoted(column)}")
    return f"{', '.join(select)} FROM {rows} r {' '.join(joins)}"


def _write_pairs(database: sqlite3.Connection, source: Source) -> None:
    """coalition-overlap's positions, and the view that pairs them."""
    answer = stream(source, query_text("answers-coalition-groups"), {}, prefixes=PREFIXES)
    columns = ", ".join(_quoted(column) for column in answer.columns)
    database.execute(f'CREATE TABLE "{_GROUPS}" ({columns})')
    rows = ([row[column] for column in answer.columns] for row in answer.iterate())
    database.executemany(f'INSERT INTO "{_GROUPS}" VALUES ({", ".join("?" * len(answer.columns))})', rows)
    for index, indexed in (("organisation_id", "organisation_id"), ("organisation", "organisation"),
                           ("position", "proposal, stance")):
        database.execute(f'CREATE INDEX "{_GROUPS}:{index}" ON "{_GROUPS}" ({indexed})')
    database.execute(_PAIRS)
    database.execute("CREATE TABLE _views (name TEXT PRIMARY KEY, order_by TEXT, total TEXT)")
    database.executemany("INSERT INTO _views VALUES (?, ?, ?)", _VIEWS)


def precomputed(database: Path, source: Source, query: Query, values: Mapping[str, Any], *,
                limit: int | None = None, offset: int = 0) -> Result | None:
    """The answer to the canned ``query`` from the build's table in ``database``; None when it has none.

    ``source`` (the store) resolves bound values to their terms, exactly as
    for the engine, so an unknown id is the same error either way.
    """
    table = open_table(database, source, query, values, limit=limit, offset=offset)
    if table is None:
        return None
    columns, total, rows = table
    return Result(columns, list(rows), "oxigraph", total, offset)


def open_table(database: Path, source: Source, query: Query, values: Mapping[str, Any], *,
               limit: int | None = None, offset: int = 0) -> tuple[list[str], int, Iterator[Row]] | None:
    """The columns, the total and an iterator of the rows of ``query``'s table (None: no table for it)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        # A store written before texts were kept once has no _columns: its listings come from the engine.
        laid_out = connection.execute("SELECT 1 FROM sqlite_master WHERE name = '_columns'").fetchone()
        kept = connection.execute("SELECT name, interned FROM _columns WHERE query = ? ORDER BY position",
                                  (query.name,)).fetchall() if laid_out else []
        if kept:
            columns, total, cursor = _select_rows(connection, source, query, values, kept, limit, offset)
        else:
            found = connection.execute("SELECT 1 FROM _views WHERE name = ?", (query.name,)).fetchone()
            if found is None:
                connection.close()
                return None
            columns, total, cursor = _select_view(connection, source, query, values, limit, offset)
    except BaseException:
        connection.close()
        raise

    def rows() -> Iterator[Row]:
        try:
            for row in cursor:
                yield dict(zip(columns, row, strict=True))
        finally:
            connection.close()

    return columns, total, rows()


def _select_rows(connection: sqlite3.Connection, source: Source, query: Query, values: Mapping[str, Any],
                 kept: list[tuple[str, int]], limit: int | None, offset: int) -> tuple[list[str], int, Any]:
    """A kept answer: bound values become filters on the rows (a text through its id), then a page joins its texts."""
    columns = [name for name, _ in kept]
    interned = {name for name, text in kept if text}
    table = _quoted(query.name + ":rows")
    conditions, parameters = [], []
    for name, term in bind(source, query, values).items():
        value = _python(term)
        if name in interned:
            # Only texts are kept as ids; any other value matches no row, as it matched no text before.
            found = connection.execute("SELECT id FROM _text WHERE value = ?", (value,)).fetchone() \
                if isinstance(value, str) else None
            value = found[0] if found else None
            if value is None:
                conditions.append("0")
                continue
        conditions.append(f"{_quoted(name)} = ?")
        parameters.append(value)
    where = " AND ".join(conditions) or "1"
    total = connection.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", parameters).fetchone()[0]
    page = f"(SELECT * FROM {table} WHERE {where} ORDER BY _row LIMIT ? OFFSET ?)"
    cursor = connection.execute(f"SELECT {_joined(columns, [c in interned for c in columns], page)} ORDER BY r._row",
                                [*parameters, -1 if limit is None else limit, offset])
    return columns, total, cursor


def _select_view(connection: sqlite3.Connection, source: Source, query: Query, values: Mapping[str, Any],
                 limit: int | None, offset: int) -> tuple[list[str], int, Any]:
    """An answer kept as a view over a smaller table (coalition-overlap), its total by formula when unbound."""
    table = _quoted(query.name)
    order, counted = connection.execute("SELECT order_by, total FROM _views WHERE name = ?", (query.name,)).fetchone()
    columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    bound = bind(source, query, values)
    where = " AND ".join(f"{_quoted(name)} = ?" for name in bound) or "1"
    parameters = [_python(term) for term in bound.values()]
    if counted and not bound:
        total = connection.execute(counted).fetchone()[0]
    else:
        total = connection.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", parameters).fetchone()[0]
    selected = ", ".join(_quoted(column) for column in columns)
    cursor = connection.execute(f"SELECT {selected} FROM {table} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                                [*parameters, -1 if limit is None else limit, offset])
    return columns, total, cursor
