"""Running SPARQL SELECT queries on rdflib or pyoxigraph, with bound parameters.

Queries live in ``carekg/queries/*.rq``. Values are bound through each
engine's own mechanism (rdflib ``initBindings``, pyoxigraph ``substitutions``),
never pasted into the query text. Results come back as plain Python values so
that pandas sees numbers as numbers.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Mapping, Union

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from .errors import GraphError, QueryError

Row = dict[str, Any]

try:  # pyoxigraph is a runtime dependency, but keep rdflib-only use possible
    import pyoxigraph as ox
except ImportError:  # pragma: no cover
    ox = None  # type: ignore[assignment]

Source = Union[Graph, "ox.Store"]


def query_text(name: str) -> str:
    """The text of a packaged query ``carekg/queries/<name>.rq``."""
    resource = resources.files("carekg.queries") / f"{name}.rq"
    if not resource.is_file():
        raise QueryError(f"no packaged query named '{name}'")
    return resource.read_text(encoding="utf-8")


def open_store(path: Path | str) -> "ox.Store":
    """Load a graph file into an in-memory pyoxigraph store."""
    path = Path(path)
    if not path.is_file():
        raise GraphError(f"graph file '{path}' does not exist")
    from .rdfio import load_store

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
        if isinstance(term, ox.NamedNode):
            return term.value
        if isinstance(term, ox.Literal):
            if term.language:
                return term.value
            convert = _OX_FAST.get(term.datatype.value)
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
    bound = {name: _to_rdflib(value) for name, value in (bindings or {}).items()}
    names = {str(prefix): str(namespace) for prefix, namespace in (prefixes or {}).items()}
    if isinstance(source, Graph):
        from pyparsing import ParseException

        try:
            result = source.query(_prepared(query, tuple(sorted(names.items()))), initBindings=bound)
            if result.type == "ASK":
                return ["ask"], [{"ask": bool(result.askAnswer)}]
            if result.type != "SELECT":
                return _triple_rows(sorted(result, key=lambda t: tuple(term.n3() for term in t)))
            columns = [str(v) for v in result.vars]
            # rdflib evaluates lazily: rows are read inside the try, where evaluation errors surface
            return columns, [{c: _python(row[i]) for i, c in enumerate(columns)} for row in result]
        except ParseException as exc:
            raise QueryError(f"invalid SPARQL: {exc}") from exc
        except Exception as exc:  # rdflib's evaluator raises many kinds (TypeError, NotBoundError, …)
            raise QueryError(f"the query failed on rdflib: {type(exc).__name__}: {exc}") from exc
    substitutions = {ox.Variable(name): _to_oxigraph(value) for name, value in bound.items()}
    try:
        answer = source.query(query, substitutions=substitutions, prefixes=names)
        if isinstance(answer, ox.QueryBoolean):
            return ["ask"], [{"ask": bool(answer)}]
        if isinstance(answer, ox.QueryTriples):
            triples = sorted(((t.subject, t.predicate, t.object) for t in answer), key=lambda t: tuple(map(str, t)))
            return _triple_rows(triples)
        columns = [v.value for v in answer.variables]
        return columns, [{c: _python(solution[c]) for c in columns} for solution in answer]
    except SyntaxError as exc:
        raise QueryError(f"invalid SPARQL: {exc}") from exc
    except RuntimeError as exc:
        if "SELECT projection" in str(exc):
            # Oxigraph follows SEP-0007: a substituted variable must be one the SELECT returns.
            raise QueryError(
                f"pyoxigraph can bind only variables the query SELECTs ({exc}); add them to the SELECT or use the rdflib store"
            ) from exc
        raise QueryError(f"the query failed on pyoxigraph: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"the query failed on pyoxigraph: {exc}") from exc


@functools.lru_cache(maxsize=64)
def _prepared(query: str, prefixes: tuple[tuple[str, str], ...]) -> Any:
    """rdflib's parse of a query (slow: pure-Python pyparsing), kept for the next run of the same text."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(query, initNs=dict(prefixes))


def _triple_rows(triples: Any) -> tuple[list[str], list[Row]]:
    columns = ["subject", "predicate", "object"]
    return columns, [dict(zip(columns, (_python(term) for term in triple), strict=True)) for triple in triples]
