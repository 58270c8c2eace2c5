"""Running SPARQL SELECT queries on rdflib or pyoxigraph, with bound parameters.

Queries live in ``carekg/store/queries/*.rq``. Values are bound through each
engine's own mechanism (rdflib ``initBindings``, pyoxigraph ``substitutions``),
never pasted into the query text. Results come back as plain Python values so
that pandas sees numbers as numbers.
"""

from __future__ import annotations

import functools
import heapq
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Union

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from carekg.errors import GraphError, QueryError, RefusedQuery

Row = dict[str, Any]

try:  # pyoxigraph is a runtime dependency, but keep rdflib-only use possible
    import pyoxigraph as ox
except ImportError:  # pragma: no cover
    ox = None  # type: ignore[assignment]

Source = Union[Graph, "ox.Store"]


def query_text(name: str) -> str:
    """The text of a packaged query ``carekg/store/queries/<name>.rq``."""
    resource = resources.files("carekg.store.queries") / f"{name}.rq"
    if not resource.is_file():
        raise QueryError(f"no packaged query named '{name}'")
    return resource.read_text(encoding="utf-8")


def open_store(path: Path | str, *, writable: bool = False) -> "ox.Store":
    """The graph at ``path`` (a build folder, or a ``.ttl``/``.nt``/``.nq`` file) in a pyoxigraph store.

    When the build's on-disk store stands beside the file (and matches it:
    see :mod:`carekg.store.disk`), it is opened read-only, in milliseconds;
    otherwise the file is parsed into memory. ``writable`` asks for a store
    that may be changed (the ``--raw`` view): the file is then parsed into
    memory (faster than copying the on-disk store, measured: 23 s against
    50+ s at 1.6M triples), and the store on disk is never changed.
    """
    from carekg.store.disk import graph_file, open_beside

    path = graph_file(path)
    if not path.is_file():
        raise GraphError(f"graph file '{path}' does not exist")
    if not writable:
        disk = open_beside(path)
        if disk is not None:
            return disk
    from carekg.graph.rdfio import load_store

    formats = {".nt": "nt", ".ttl": "ttl", ".nq": "nq"}
    try:
        store = load_store(path, formats.get(path.suffix.lower(), "ttl"))  # literals of any size
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"cannot parse graph file '{path}': {exc}") from exc
    return store


def _python(term: Any) -> Any:
    """An rdflib or pyoxigraph term as a plain Python value (IRIs as strings)."""
    if term is None:
        return None
    if ox is not None:  # pyoxigraph terms first: they come by the hundred thousand from large graphs
        kind = type(term)
        if kind is ox.NamedNode:
            return term.value
        if kind is ox.Literal:
            if term.language:
                return term.value
            convert = _OX_FAST_TERMS.get(term.datatype)
            if convert is not None:
                try:
                    return convert(term.value)
                except (ValueError, KeyError):  # an ill-typed literal: let rdflib decide, as for its own terms
                    pass
            return _python(Literal(term.value, datatype=URIRef(term.datatype.value)))
    if isinstance(term, Literal):
        value = term.toPython()
        return float(value) if isinstance(value, Decimal) else (str(value) if isinstance(value, Literal) else value)
    if isinstance(term, Identifier):
        return str(term)
    return getattr(term, "value", str(term))


_XSD = "http://www.w3.org/2001/XMLSchema#"
# The common datatypes converted directly, as rdflib's toPython would: building an rdflib Literal per
# pyoxigraph term took three quarters of a 25k-row query's time.
_OX_FAST = {
    _XSD + "string": str,
    _XSD + "integer": int,
    _XSD + "decimal": float,
    _XSD + "double": float,
    _XSD + "boolean": lambda text: _BOOLEANS[text],
}
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
# The same, keyed by the datatype's term: no string is made for a lookup.
_OX_FAST_TERMS = {ox.NamedNode(datatype): convert for datatype, convert in _OX_FAST.items()} if ox is not None else {}


def _to_rdflib(value: Any) -> Identifier:
    if isinstance(value, Identifier):
        return value
    return Literal(value)


def _to_oxigraph(value: Identifier) -> Any:
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    raise QueryError(f"cannot bind {value!r}")


def select(source: Source, query: str, bindings: Mapping[str, Any] | None = None) -> tuple[list[str], list[Row]]:
    """Run a SELECT query (the packaged ones); return its column names and rows of Python values."""
    return execute(source, query, bindings)


def execute(
    source: Source,
    query: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    prefixes: Mapping[str, Any] | None = None,
) -> tuple[list[str], list[Row]]:
    """Run any read query and return columns and rows of Python values.

    SELECT gives its rows; ASK one row ``{"ask": bool}``; CONSTRUCT and DESCRIBE
    ``subject, predicate, object`` rows in sorted order (a graph has none).
    ``prefixes`` are predeclared for the query (rdflib ``initNs``, pyoxigraph
    ``prefixes``), so they are not pasted into its text either.
    """
    answer = stream(source, query, bindings, prefixes=prefixes)
    return answer.columns, answer.rows(None)[0]


class Answer:
    """A query's columns and its rows as they come, read once.

    :meth:`rows` keeps at most ``limit`` of them after skipping ``offset``
    (for a graph result, in sorted order) and counts the rest without keeping
    them, or even converting them to Python values, so a huge answer costs
    time, never memory.
    """

    def __init__(self, columns: list[str], rows: Iterator[Any], sort_key: Callable[[Row], Any] | None = None,
                 convert: Callable[[Any], Row] | None = None):
        self.columns = columns
        self._rows = rows
        self._sort_key = sort_key
        self._convert = convert

    def rows(self, limit: int | None, offset: int = 0) -> tuple[list[Row], int]:
        """The rows kept (all after ``offset`` when ``limit`` is None) and how many there are in all."""
        convert = self._convert or (lambda row: row)
        if self._sort_key is not None:
            every = [convert(row) for row in self._rows]
            end = None if limit is None else offset + limit
            kept = sorted(every, key=self._sort_key) if end is None else heapq.nsmallest(end, every, key=self._sort_key)
            return kept[offset:], len(every)
        kept: list[Row] = []
        total = 0
        end = None if limit is None else offset + limit
        for row in self._rows:
            if total >= offset and (end is None or total < end):
                kept.append(convert(row))
            total += 1
        return kept, total

    def iterate(self, limit: int | None = None, offset: int = 0) -> Iterator[Row]:
        """The rows after ``offset`` (at most ``limit``) one by one, converted as they are read."""
        if self._sort_key is not None:
            yield from self.rows(limit, offset)[0]
            return
        convert = self._convert or (lambda row: row)
        end = None if limit is None else offset + limit
        for number, row in enumerate(self._rows):
            if end is not None and number >= end:
                return
            if number >= offset:
                yield convert(row)


def stream(
    source: Source,
    query: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    prefixes: Mapping[str, Any] | None = None,
) -> Answer:
    """Start a read query; its rows are converted to Python values as they are read.

    A query that would reach the network (``SERVICE``, ``FROM``) is refused
    here too, whatever called it: both engines would otherwise fetch remote data.
    """
    if _NETWORK_WORDS.search(_NOT_KEYWORDS.sub(" ", query)):
        check_offline(query)
    bound = {name: _to_rdflib(value) for name, value in (bindings or {}).items()}
    names = {str(prefix): str(namespace) for prefix, namespace in (prefixes or {}).items()}
    if isinstance(source, Graph):
        return _rdflib_answer(source, query, bound, names)
    try:
        substitutions = {ox.Variable(name): _to_oxigraph(value) for name, value in bound.items()}
        answer = source.query(query, substitutions=substitutions, prefixes=names)
    except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
        raise _oxigraph_error(exc) from exc
    if isinstance(answer, ox.QueryBoolean):
        return Answer(["ask"], iter([{"ask": bool(answer)}]))
    if isinstance(answer, ox.QueryTriples):
        triples = ((t.subject, t.predicate, t.object) for t in answer)
        return Answer(TRIPLE_COLUMNS, _guarded(_triple_rows(triples), _oxigraph_error), _triple_order)
    columns = [v.value for v in answer.variables]
    # A solution iterates over its values in the order of the variables (None when unbound): twice
    # as fast as looking each one up by name, which counts with hundreds of thousands of rows.
    return Answer(columns, _guarded(answer, _oxigraph_error),
                  convert=lambda solution: dict(zip(columns, map(_python, solution))))


TRIPLE_COLUMNS = ["subject", "predicate", "object"]


def _rdflib_answer(source: Graph, query: str, bound: dict[str, Identifier], names: dict[str, str]) -> Answer:
    from pyparsing import ParseException

    try:
        result = source.query(_prepared(query, tuple(sorted(names.items()))), initBindings=bound)
        if result.type == "ASK":
            return Answer(["ask"], iter([{"ask": bool(result.askAnswer)}]))
        if result.type != "SELECT":
            return Answer(TRIPLE_COLUMNS, _triple_rows(iter(result)), _triple_order)
    except ParseException as exc:
        raise QueryError(f"invalid SPARQL: {exc}") from exc
    except QueryError:
        raise
    except Exception as exc:  # rdflib's evaluator raises many kinds (TypeError, NotBoundError, …)
        raise _rdflib_error(exc) from exc
    columns = [str(v) for v in result.vars]
    variables = list(result.vars)
    # rdflib evaluates lazily, and its Result keeps every row it hands out: read its generator
    # directly when there is one, so rows beyond a limit are counted, not kept.
    generated = getattr(result, "_genbindings", None)
    if generated is not None:
        return Answer(columns, _guarded((b for b in generated if b), _rdflib_error),
                      convert=lambda b: {c: _python(b.get(v)) for c, v in zip(columns, variables)})
    return Answer(columns, _guarded(iter(result), _rdflib_error),
                  convert=lambda row: {c: _python(row[i]) for i, c in enumerate(columns)})


def _guarded(rows: Iterator[Row], error: Callable[[Exception], QueryError]) -> Iterator[Row]:
    """Rows whose evaluation errors (raised while reading, as both engines evaluate lazily) are QueryErrors."""
    try:
        yield from rows
    except QueryError:
        raise
    except Exception as exc:
        raise error(exc) from exc


def _rdflib_error(exc: Exception) -> QueryError:
    return QueryError(f"the query failed on rdflib: {type(exc).__name__}: {exc}")


def _oxigraph_error(exc: Exception) -> QueryError:
    if isinstance(exc, SyntaxError):
        return QueryError(f"invalid SPARQL: {exc}")
    if isinstance(exc, RuntimeError) and "SELECT projection" in str(exc):
        # Oxigraph follows SEP-0007: a substituted variable must be one the SELECT returns.
        return QueryError(
            f"pyoxigraph can bind only variables the query SELECTs ({exc}); add them to the SELECT or use the rdflib store"
        )
    return QueryError(f"the query failed on pyoxigraph: {exc}")


# --- queries that would reach the network -------------------------------------------------

_NETWORK_WORDS = re.compile(r"\b(?:SERVICE|FROM)\b", re.I)
# Strings, IRIs and comments, where those words are no keywords (a cheap gate before the full parse).
_NOT_KEYWORDS = re.compile("|".join([
    r'"""(?:[^"\\]|\\.|"(?!""))*"""', r"'''(?:[^'\\]|\\.|'(?!''))*'''",
    r'"(?:[^"\\\n]|\\.)*"', r"'(?:[^'\\\n]|\\.)*'",
    r'<[^<>"{}|^`\\\x00-\x20]*>', r"#[^\n]*",
]), re.S)


def _parts(node: Any) -> Iterator[Any]:
    """Every CompValue in an rdflib parse tree (iteratively: a deep query must not hit the recursion limit)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    todo = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, CompValue):
            yield item
            todo.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            todo.extend(item)
        elif isinstance(item, dict):
            todo.extend(item.values())


def network_use(parsed: Any) -> str | None:
    """Why a parsed query would reach beyond the graph file (SERVICE, FROM), or None."""
    for part in _parts(parsed):
        if part.name == "ServiceGraphPattern":
            return (f"SERVICE <{part.get('term')}> is refused: carekg queries never reach the network "
                    "(both engines would send the query, with bound values, to that address)")
        if part.name == "DatasetClause":
            graph = part.get("default") or part.get("named")
            return (f"FROM <{graph}> is refused: carekg queries the one graph file it is given "
                    "(rdflib would fetch that graph from the network)")
    return None


@functools.lru_cache(maxsize=64)
def parsed_query(text: str) -> Any:
    """rdflib's parse tree of a query (pure-Python pyparsing, so kept for the next use of the same text)."""
    from rdflib.plugins.sparql.parser import parseQuery

    return parseQuery(text)


def check_offline(query: str) -> None:
    """Raise QueryError when ``query`` would reach the network (checked on rdflib's parse of it)."""
    from pyparsing import ParseException

    try:
        parsed = parsed_query(query)
    except ParseException:
        return  # not a query at all: the engine reports the syntax error
    reason = network_use(parsed)
    if reason:
        raise RefusedQuery(reason)


def assigned_variables(parsed: Any) -> set[str]:
    """Variables a parsed query gives values itself: ``BIND(… AS ?v)``, ``(… AS ?v)`` in SELECT or GROUP BY."""
    names = set()
    for part in _parts(parsed):
        if part.name == "Bind" or part.name == "GroupAs":
            variable = part.get("var")
        elif part.name == "vars":
            variable = part.get("evar")
        else:
            continue
        if variable is not None:
            names.add(str(variable))
    return names


@functools.lru_cache(maxsize=64)
def _prepared(query: str, prefixes: tuple[tuple[str, str], ...]) -> Any:
    """rdflib's parse of a query (slow: pure-Python pyparsing), kept for the next run of the same text."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(query, initNs=dict(prefixes))


def _triple_rows(triples: Iterator[Any]) -> Iterator[Row]:
    for triple in triples:
        yield dict(zip(TRIPLE_COLUMNS, (_python(term) for term in triple), strict=True))


def _triple_order(row: Row) -> tuple[str, str, str]:
    return tuple(str(row[column]) for column in TRIPLE_COLUMNS)  # type: ignore[return-value]


def raw_view(source: Source) -> Source:
    """Turn a corrected graph, in memory, back into the extractor's own (``--raw``); returns it.

    Superseded statements and claims stand again, what analysts added goes,
    and so do the decisions themselves: the result is the graph the build
    would have written without corrections.csv.
    """
    update = (resources.files("carekg.store.queries") / "raw-view.ru").read_text(encoding="utf-8")
    source.update(update)
    return source
