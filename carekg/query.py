"""Questions to a carekg graph: canned queries, bound parameters, read-only SPARQL.

A query is a packaged ``carekg/queries/<name>.rq`` (a *canned* query), a
``.rq`` file, or inline SPARQL. A query file opens with a comment header: the
first line says what it answers, then one ``# @param NAME TYPE DESCRIPTION``
line per parameter. The TYPE says how a value given on the command line
becomes an RDF term (a codebook id for a ``proposal`` becomes its ``cb:`` IRI,
an agent id its ``ag:`` IRI); values are then *bound* through the engine
(rdflib ``initBindings`` / pyoxigraph ``substitutions``), never pasted into the
query text. Every parameter is optional: unbound, the query answers for all.

Only read queries run (SELECT, ASK, CONSTRUCT, DESCRIBE): an update is
refused before the graph is even opened, and the graph is opened read-only
(the build's store) or read into memory, so neither can change.

>>> [q.name for q in canned_queries()][:3]
['coalition-overlap', 'consensus', 'contested']
>>> resolve("supporters").parameters["proposal"].type
'proposal'
>>> check_read_only("DELETE WHERE { ?s ?p ?o }")
Traceback (most recent call last):
...
carekg.errors.RefusedQuery: carekg query is read-only: DELETE is an update; use SELECT, ASK, CONSTRUCT or DESCRIBE
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any, Iterator, Mapping

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from .errors import QueryError, RefusedQuery
from .store import graph_file
from .sparql import Row, Source, assigned_variables, execute, network_use, parsed_query, stream

__all__ = [
    "Parameter", "Query", "Result", "STORES", "FORMATS", "PARAMETER_TYPES", "AUTO_OXIGRAPH_BYTES",
    "canned_queries", "resolve", "check_read_only", "choose_store", "open_source", "bind", "run",
    "query_graph", "row_limit", "TABLE_ROWS", "listing", "format_result", "format_table",
]

STORES = ("auto", "rdflib", "oxigraph")
FORMATS = ("table", "csv", "tsv", "json")
PARAMETER_TYPES = ("proposal", "agent", "document", "string", "integer", "decimal", "iri")
# Above this file size `auto` picks pyoxigraph. A built graph holds ~70 bytes of Turtle per triple, so
# 2 MB is ~30k triples (~60 seed-sized documents); beyond that rdflib takes seconds to parse and to answer
# unbound canned queries (measured at 450k triples: parse 16 s vs 1.1 s, supporters 22 s vs 2.3 s).
AUTO_OXIGRAPH_BYTES = 2_000_000
# Packaged queries with these prefixes feed the exports, networks and corrections; they run by name but are not listed.
INTERNAL_PREFIXES = ("export-", "network-", "decisions-", "answers-")

_PARAM = re.compile(r"#\s*@param\s+(\w+)\s+(\w+)\s*(.*)")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_ID = re.compile(r"[A-Za-z0-9._~:/-]+")
_UPDATE_WORDS = {
    "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE", "Modify": "DELETE/INSERT",
    "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE", "Copy": "COPY",
}


@dataclass(frozen=True)
class Parameter:
    """A declared query parameter: its variable name, its type and what it means."""

    name: str
    type: str
    description: str = ""


@dataclass(frozen=True)
class Query:
    """A query's text with its header; ``name`` is the canned name or file path (None inline)."""

    text: str
    name: str | None = None
    description: str = ""
    parameters: dict[str, Parameter] = field(default_factory=dict)

    @property
    def typed(self) -> bool:
        """Whether the header declares the parameters (inline SPARQL declares none)."""
        return bool(self.parameters)


@dataclass
class Result:
    """Columns and rows of plain Python values (numbers as numbers, IRIs as strings)."""

    columns: list[str]
    rows: list[Row]
    store: str = "rdflib"
    total: int | None = None  # rows in the whole answer, when more than ``rows`` holds
    offset: int = 0  # rows of the answer skipped before ``rows``

    def __post_init__(self) -> None:
        if self.total is None:
            self.total = self.offset + len(self.rows)

    @property
    def cut(self) -> bool:
        """Whether the answer has more rows than were kept."""
        return (self.total or 0) > len(self.rows)


# --- finding queries ---------------------------------------------------------------

def parse_header(text: str) -> tuple[str, dict[str, Parameter]]:
    """The one-line description and the declared parameters of a query's comment header."""
    description, parameters = "", {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break  # the header ends at the first line of SPARQL
            continue
        match = _PARAM.match(stripped)
        if match:
            name, kind, about = match.groups()
            if kind not in PARAMETER_TYPES:
                raise QueryError(f"parameter '{name}' has unknown type '{kind}'; types: {', '.join(PARAMETER_TYPES)}")
            parameters[name] = Parameter(name, kind, about.strip())
        elif not description and stripped.lstrip("# "):
            description = stripped.lstrip("# ").strip()
    return description, parameters


@functools.lru_cache(maxsize=1)
def _packaged() -> dict[str, str]:
    folder = resources.files("carekg.queries")
    return {entry.name[:-3]: entry.read_text(encoding="utf-8") for entry in folder.iterdir() if entry.name.endswith(".rq")}


def canned_queries() -> list[Query]:
    """The canned queries shipped with carekg, by name (exports and networks left out)."""
    queries = []
    for name, text in sorted(_packaged().items()):
        if not name.startswith(INTERNAL_PREFIXES):
            description, parameters = parse_header(text)
            queries.append(Query(text, name, description, parameters))
    return queries


def resolve(query: str) -> Query:
    """A ``.rq`` file path, a packaged query's name, or inline SPARQL, as a :class:`Query`."""
    text = query.strip()
    if _NAME.fullmatch(text):
        packaged = _packaged()
        if text in packaged:
            return Query(packaged[text], text, *parse_header(packaged[text]))
        if not Path(text).is_file():
            hint = difflib.get_close_matches(text, [q.name for q in canned_queries()], n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise QueryError(f"no canned query named '{text}'{suggestion}; see carekg query --list")
    if "\n" not in text and (text.endswith(".rq") or Path(text).is_file()):
        path = Path(text)
        if not path.is_file():
            raise QueryError(f"query file '{path}' does not exist")
        body = path.read_text(encoding="utf-8")
        return Query(body, str(path), *parse_header(body))
    return Query(query, None, *parse_header(query))


# --- read-only check -----------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def check_read_only(text: str) -> str:
    """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE); raises QueryError for an update, bad SPARQL,
    or a query that would reach the network (``SERVICE``, ``FROM``).

    Parsed with rdflib's SPARQL grammar rather than matched by keyword, so
    ``INSERT`` in a string or comment is no update and ``WITH <g> DELETE …`` is.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parsed_query(text)
    except ParseException as query_error:
        try:
            update = parseUpdate(text)
        except ParseException:
            raise QueryError(f"invalid SPARQL: {query_error}") from None
        words = [_UPDATE_WORDS.get(op.name, op.name) for op in (update.request or ())]
        if not words:  # an empty text (or only comments) parses as an empty update
            raise QueryError("empty query: give a SELECT, ASK, CONSTRUCT or DESCRIBE query") from None
        raise RefusedQuery(
            f"carekg query is read-only: {words[0]} is an update; use SELECT, ASK, CONSTRUCT or DESCRIBE"
        ) from None
    reason = network_use(parsed)
    if reason:
        raise RefusedQuery(reason)
    return parsed[1].name.removesuffix("Query").upper()


# --- stores --------------------------------------------------------------------------

def choose_store(path: Path | str, store: str = "auto") -> str:
    """``rdflib`` or ``oxigraph``: as asked, or by file size for ``auto``."""
    if store not in STORES:
        raise QueryError(f"unknown store '{store}'; choose one of {', '.join(STORES)}")
    if store != "auto":
        return store
    from .store import has_store

    path = graph_file(path)
    if has_store(path):
        return "oxigraph"
    return "oxigraph" if path.is_file() and path.stat().st_size > AUTO_OXIGRAPH_BYTES else "rdflib"


def open_source(path: Path | str, store: str = "auto", raw: bool = False) -> tuple[Source, str]:
    """Open the graph at ``path`` (a build folder or graph file) with the chosen engine; return it and its name.

    pyoxigraph opens the build's on-disk store read-only when there is one
    (:func:`carekg.sparql.open_store`); rdflib reads the file into memory.
    ``raw`` gives the graph as the extractor made it, without the analysts'
    corrections (in memory: the store on disk is never changed).
    """
    engine = choose_store(path, store)
    if engine == "oxigraph":
        from .sparql import open_store

        source: Source = open_store(path, writable=raw)
    else:
        from .graph import load_graph

        source = load_graph(path)
    if raw:
        from .decisions import raw_view

        raw_view(source)
    return source, engine


# --- binding values ------------------------------------------------------------------

_LOOKUPS = {
    # type: (class the node must have, property holding its id, properties holding its names)
    "proposal": ("ckg:Proposal", "skos:notation", "skos:prefLabel|skos:altLabel"),
    "agent": ("prov:Agent", "skos:notation", "skos:prefLabel|skos:altLabel"),
    "document": ("ckg:Document", "dcterms:identifier", "dcterms:title"),
}


def _iri_of(kind: str, value: str) -> URIRef:
    from .graph import agent_iri, document_iri, proposal_iri

    return {"proposal": proposal_iri, "agent": agent_iri, "document": document_iri}[kind](value)


def _find(source: Source, kind: str, value: str) -> URIRef:
    """The node a proposal/agent/document id names; falls back to a name match, then suggests ids."""
    from .namespace import PREFIXES

    cls, id_property, names = _LOOKUPS[kind]
    if _ID.fullmatch(value):  # an id; a name with spaces would make an invalid IRI
        iri = _iri_of(kind, value)
        # SELECT, not ASK: pyoxigraph substitutes only variables the query returns.
        _, rows = execute(source, f"SELECT ?node WHERE {{ ?node a {cls} }} LIMIT 1", {"node": iri}, prefixes=PREFIXES)
        if rows:
            return iri
    query = f"SELECT DISTINCT ?node ?id ?name WHERE {{ ?node a {cls} ; {id_property} ?id . OPTIONAL {{ ?node {names} ?name }} }}"
    _, rows = execute(source, query, prefixes=PREFIXES)
    wanted = value.casefold()
    matches = sorted({row["id"] for row in rows if wanted in (str(row["id"]).casefold(), str(row["name"]).casefold())})
    if len(matches) == 1:
        return next(URIRef(row["node"]) for row in rows if row["id"] == matches[0])
    if len(matches) > 1:
        raise QueryError(f"'{value}' names {len(matches)} {kind}s ({', '.join(matches)}); bind one by its id")
    hint = difflib.get_close_matches(value, sorted({str(row["id"]) for row in rows}), n=3)
    suggestion = f"; did you mean {' or '.join(repr(h) for h in hint)}?" if hint else ""
    raise QueryError(f"no {kind} '{value}' in the graph{suggestion}")


def _term(source: Source, parameter: Parameter | None, value: Any) -> Identifier:
    """One bound value as an RDF term, by the parameter's declared type (plain literal when undeclared)."""
    if isinstance(value, Identifier):
        return value
    text = str(value).strip()
    if text.startswith("<") and text.endswith(">"):
        return _checked_iri(text[1:-1])
    kind = parameter.type if parameter else None
    try:
        if kind in _LOOKUPS:
            return _find(source, kind, text)
        if kind == "iri":
            return _checked_iri(text)
        if kind == "integer":
            return Literal(int(text))
        if kind == "decimal":
            return Literal(Decimal(text))
    except (ValueError, InvalidOperation):
        raise QueryError(f"parameter '{parameter.name}' needs {kind} values, not '{value}'") from None
    if kind is None and not isinstance(value, str):
        return Literal(value)  # Python API: 3 binds xsd:integer, 0.5 xsd:double, True xsd:boolean
    return Literal(text)


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")


def _checked_iri(text: str) -> URIRef:
    """An absolute IRI, or one clear error (both engines would fail on it, each in its own way)."""
    if not _IRI.fullmatch(text):
        raise QueryError(f"<{text}> is not an absolute IRI (such as <https://example.org/x>, with no spaces)")
    return URIRef(text)


def bind(source: Source, query: Query, values: Mapping[str, Any]) -> dict[str, Identifier]:
    """Typed RDF terms for ``values``; unknown names are errors, not silently ignored variables.

    A variable the query gives a value itself (``BIND(… AS ?v)``, ``(… AS ?v)``)
    cannot be bound: rdflib would ignore the value and pyoxigraph replace the
    query's, so the engines would disagree.
    """
    bound = {}
    # A canned query's parameters are variables it matches (tested), so only other queries need parsing.
    assigned = assigned_variables(parsed_query(query.text)) if values and not is_canned(query) else set()
    for name, value in values.items():
        name = name.lstrip("?$")
        if query.typed and name not in query.parameters:
            known = ", ".join(query.parameters) or "none"
            raise QueryError(f"query '{query.name}' has no parameter '{name}'; its parameters: {known}")
        if not query.typed and not re.search(rf"[?$]{re.escape(name)}\b", query.text):
            raise QueryError(f"the query has no variable ?{name} to bind")
        if name in assigned:
            raise QueryError(f"cannot bind ?{name}: the query gives it a value itself (… AS ?{name}); "
                             "bind a variable it matches instead")
        bound[name] = _term(source, query.parameters.get(name), value)
    return bound


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
    """Check ``query``, bind ``values`` and start it on ``source``: its :class:`carekg.sparql.Answer`."""
    from .namespace import PREFIXES

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
    computed for it (:mod:`carekg.answers`): the same rows, in milliseconds.
    """
    from .bounded import call_with_timeout

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
        from .answers import precomputed
        from .store import answers_file

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
    from .bounded import stream_with_timeout

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
        from .answers import open_table
        from .store import answers_file

        database = answers_file(path)
        table = open_table(database, source, query, values, limit=limit, offset=offset) if database else None
        if table is not None:
            yield table[0]
            yield from table[2]
            return
    answer = _start(source, query, values)
    yield answer.columns
    yield from answer.iterate(limit, offset)


def is_canned(query: Query) -> bool:
    """Whether ``query`` is a packaged canned query, as packaged (not a file of the same name)."""
    packaged = _packaged().get(query.name or "")
    return packaged is not None and packaged == query.text


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
    from .namespace import PREFIXES

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
