"""Canned queries and the checks every query passes before it runs.

A query is a packaged ``carekg/store/queries/<name>.rq`` (a *canned* query), a
``.rq`` file, or inline SPARQL. A query file opens with a comment header: the
first line says what it answers, then one ``# @param NAME TYPE DESCRIPTION``
line per parameter. The TYPE says how a value given on the command line
becomes an RDF term (a codebook id for a ``proposal`` becomes its ``cb:`` IRI,
an agent id its ``ag:`` IRI); values are then *bound* through the engine
(rdflib ``initBindings`` / pyoxigraph ``substitutions``), never pasted into the
query text. Every parameter is optional: unbound, the query answers for all.

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
from typing import Any, Mapping

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from carekg.errors import QueryError, RefusedQuery
from carekg.store.sparql import Row, Source, assigned_variables, execute, network_use, parsed_query

__all__ = ["Parameter", "Query", "Result", "PARAMETER_TYPES", "INTERNAL_PREFIXES", "canned_queries", "resolve",
           "check_read_only", "is_canned", "bind"]

PARAMETER_TYPES = ("proposal", "agent", "document", "string", "integer", "decimal", "iri")


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
    folder = resources.files("carekg.store.queries")
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


_LOOKUPS = {
    # type: (class the node must have, property holding its id, properties holding its names)
    "proposal": ("ckg:Proposal", "skos:notation", "skos:prefLabel|skos:altLabel"),
    "agent": ("prov:Agent", "skos:notation", "skos:prefLabel|skos:altLabel"),
    "document": ("ckg:Document", "dcterms:identifier", "dcterms:title"),
}


def _iri_of(kind: str, value: str) -> URIRef:
    from carekg.graph.triples import agent_iri, document_iri, proposal_iri

    return {"proposal": proposal_iri, "agent": agent_iri, "document": document_iri}[kind](value)


def _find(source: Source, kind: str, value: str) -> URIRef:
    """The node a proposal/agent/document id names; falls back to a name match, then suggests ids."""
    from carekg.vocab.namespace import PREFIXES

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


def is_canned(query: Query) -> bool:
    """Whether ``query`` is a packaged canned query, as packaged (not a file of the same name)."""
    packaged = _packaged().get(query.name or "")
    return packaged is not None and packaged == query.text

