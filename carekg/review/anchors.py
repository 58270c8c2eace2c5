"""What a correction names, found in a built graph: documents, agents, proposals, statements and claims
by id, and passages by quote (``carekg.review.decisions`` applies the corrections).

Lookups go through pattern matching (pyoxigraph ``quads_for_pattern``, rdflib
``triples``) where SPARQL would be slow: pyoxigraph applies bound values after
evaluating a query, so a query for one document's statements scans them all.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from carekg.graph.triples import Triple, slug
from carekg.vocab.namespace import CKG, OA, RDF
from carekg.store.sparql import Source, query_text, select

__all__ = ["Refused", "GraphLookup", "triples_matching", "locate_quote", "passage_key"]

# A quote in corrections.csv matches the text whatever its spacing and its straight or curly quotes.
_FLEXIBLE = {"'": "['\u2018\u2019]", "\u2018": "['\u2018\u2019]", "\u2019": "['\u2018\u2019]",
             '"': '["\u201c\u201d]', "\u201c": '["\u201c\u201d]', "\u201d": '["\u201c\u201d]'}
_STRAIGHT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


class Refused(Exception):
    """Why a row cannot apply (``status`` failed or orphaned); caught and reported, never shown as an error."""

    def __init__(self, reason: str, status: str = "failed"):
        super().__init__(reason)
        self.reason, self.status = reason, status


def triples_matching(source: Source, subject: Node | None, predicate: Node | None, obj: Node | None) -> list[Triple]:
    """Triples matching a pattern, as rdflib terms, from rdflib or pyoxigraph."""
    if isinstance(source, Graph):
        return list(source.triples((subject, predicate, obj)))
    import pyoxigraph as ox

    from carekg.graph.triples import _rdflib_term

    def term(node: Node | None):  # patterns here only ever name IRIs
        return None if node is None else ox.NamedNode(str(node))

    return [(_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object))
            for q in source.quads_for_pattern(term(subject), term(predicate), term(obj), None)]


class GraphLookup:
    """What corrections need to know of the graph, looked up once."""

    def __init__(self, source: Source):
        self.source = source
        _, rows = select(source, query_text("decisions-documents"))
        self.documents = {str(r["document"]): URIRef(r["doc"]) for r in rows}
        self.identifiers = {iri: identifier for identifier, iri in self.documents.items()}
        self.slugs = {slug(identifier): identifier for identifier in self.documents}
        self.agent_ids, self.agent_names = _named_ids(select(source, query_text("decisions-agents"))[1], "agent")
        self.proposal_ids, self.proposal_names = _named_ids(select(source, query_text("decisions-proposals"))[1],
                                                            "proposal")
        self.agent_of = {iri: agent_id for agent_id, iri in self.agent_ids.items()}
        self.proposal_of = {iri: proposal_id for proposal_id, iri in self.proposal_ids.items()}
        self._texts: dict[URIRef, str] = {}
        self._entities: dict[tuple[URIRef, str], list[dict]] = {}

    def describe(self, iri: URIRef) -> list[tuple[URIRef, Node]]:
        return [(p, o) for _, p, o in triples_matching(self.source, iri, None, None)]

    def text(self, doc: URIRef) -> str:
        if doc not in self._texts:
            self._texts[doc] = next((str(o) for p, o in self.describe(doc) if p == CKG.text), "")
        return self._texts[doc]

    def document(self, identifier: str) -> URIRef:
        if identifier in self.documents:
            return self.documents[identifier]
        hint = difflib.get_close_matches(identifier, list(self.documents), n=1)
        raise Refused(f"no document '{identifier}' in the corpus" + (f" (did you mean '{hint[0]}'?)" if hint else ""))

    def _named(self, value: str, ids: dict[str, URIRef], names: dict[str, set[str]], what: str) -> tuple[URIRef, str]:
        if value in ids:
            return ids[value], value
        matches = sorted(names.get(value.casefold(), ()))
        if len(matches) == 1:
            return ids[matches[0]], matches[0]
        if matches:
            raise Refused(f"{what} '{value}' names {len(matches)} {what}s ({', '.join(matches)}); use an id")
        hint = difflib.get_close_matches(value, list(ids), n=1)
        raise Refused(f"unknown {what} '{value}'" + (f" (did you mean '{hint[0]}'?)" if hint else ""))

    def agent(self, value: str) -> tuple[URIRef, str]:
        """An actor given by registry id, id of an agent found in text, or name: its IRI and id."""
        return self._named(value, self.agent_ids, self.agent_names, "actor")

    def proposal(self, value: str) -> tuple[URIRef, str]:
        """A proposal given by codebook id, ``emergent:<slug>`` or label: its IRI and id."""
        return self._named(value, self.proposal_ids, self.proposal_names, "proposal")

    def document_of(self, entity_id: str) -> str | None:
        """The document an id's leading part names (a file name may itself contain '/')."""
        parts = entity_id.split("/")
        for end in range(len(parts) - 1, 0, -1):
            identifier = self.slugs.get("/".join(parts[:end]))
            if identifier is not None:
                return identifier
        return None

    def entity(self, iri: URIRef, kind: Any) -> dict | None:
        """An extracted statement (claim) that stands: its triples, document, span and quote; None if there is none."""
        facts = self.describe(iri)
        if (RDF.type, kind.cls) not in facts:
            return None
        selector = next(o for p, o in facts if p == OA.hasSelector)
        parts = dict(self.describe(selector))
        return {"iri": iri, "id": str(iri)[len(str(kind.namespace)):], "facts": facts, "values": dict(facts),
                "doc": next(o for p, o in facts if p == OA.hasSource),
                "start": int(parts[OA.start]), "end": int(parts[OA.end]), "quote": str(parts[OA.exact])}

    def entities(self, doc: URIRef, kind: Any) -> list[dict]:
        """The statements (claims) of a document that stand. Pattern lookups: a SPARQL query with the document
        bound took 60 ms on 400k triples (pyoxigraph binds after evaluating), these take a millisecond."""
        if (doc, kind.name) not in self._entities:
            found = (self.entity(s, kind) for s, _, _ in triples_matching(self.source, None, OA.hasSource, doc))
            self._entities[doc, kind.name] = sorted((e for e in found if e), key=lambda e: (e["start"], e["end"], e["id"]))
        return self._entities[doc, kind.name]


def _named_ids(rows: list[dict[str, Any]], what: str) -> tuple[dict[str, URIRef], dict[str, set[str]]]:
    """IRIs by id, and ids by folded id or name, from rows of ``?<what> ?<what>_id ?name``."""
    ids: dict[str, URIRef] = {}
    names: dict[str, set[str]] = {}
    for r in rows:
        ids[str(r[f"{what}_id"])] = URIRef(r[what])
        for name in {str(r[f"{what}_id"]), str(r["name"] or "")} - {""}:
            names.setdefault(name.casefold(), set()).add(str(r[f"{what}_id"]))
    return ids, names


def locate_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Where ``quote`` occurs in ``text``, whatever its spacing and quote marks (non-overlapping).

    >>> locate_quote("We ask for\\n“more” help. More help.", 'ask for "more" help')
    [(3, 22)]
    >>> locate_quote("More help. More help.", "more help")
    []
    """
    tokens = quote.split()
    if not tokens:
        return []
    pattern = r"\s+".join("".join(_FLEXIBLE.get(ch, re.escape(ch)) for ch in token) for token in tokens)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def passage_key(text: str) -> str:
    """A passage as corrections.csv quotes are compared: spacing and curly or straight quote marks aside.

    >>> passage_key("the  Review\u2019s ask") == passage_key("the Review's ask")
    True
    """
    return " ".join(text.split()).translate(_STRAIGHT)

