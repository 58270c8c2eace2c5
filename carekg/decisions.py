"""Analysts' decisions applied to a built graph, and the raw view without them.

``carekg build`` reads the corpus's ``corrections.csv`` (``carekg.corrections``)
and, after extraction, turns each row into a change of the graph that keeps
the extractor's statement and the analyst's decision apart, in PROV-O terms
(docs/model.md, "Corrections"):

- every row is a ``ckg:Correction`` (a ``prov:Activity``) ``corr:<key>``,
  ``prov:wasAssociatedWith`` the analyst (``analyst:<by>``), ``prov:used`` the
  document, ``ckg:decides`` the extracted statement, claim or mention;
- a reject or change re-types the extracted statement (claim)
  ``ckg:SupersededStatement`` (``ckg:SupersededClaim``), which keeps everything
  it was extracted with and is ``prov:wasInvalidatedBy`` the decision;
- a change or add makes a new statement (claim) ``…/analyst``,
  ``prov:wasGeneratedBy`` the decision, ``prov:wasAttributedTo`` the analyst
  and, for a change, ``prov:wasDerivedFrom`` the extracted one;
- a mention (an agent's role in a document) is a triple, so decisions on it
  point to its ``rdf:Statement`` reification.

:func:`plan_corrections` works out all of it from the graph without changing
it (the result is a set of N-Triples lines to remove and to add, and one
outcome per row); :func:`apply_delta` applies it to an in-memory graph;
:func:`raw_view` turns a corrected graph back into the extractor's own.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .corrections import Correction, mention_id, split_mention_id
from .graph import ROLE_PROPERTIES, Triple, claim_iri, nt_term, slug, statement_iri
from .model import Claim, Span, Statement
from .namespace import ANALYST, CKG, CORRECTION, OA, PROV, RDF, RDFS, SDO, SKOS, XSD
from .sparql import Source, query_text, select

__all__ = ["RowOutcome", "Delta", "CorrectionsOutcome", "plan_corrections", "apply_delta", "apply_corrections",
           "raw_view", "open_view", "locate_quote"]

STANCE_IRIS = {"support": CKG.Support, "oppose": CKG.Oppose}
KIND_IRIS = {"statistic": CKG.Statistic, "research-finding": CKG.ResearchFinding, "assertion": CKG.Assertion}
ROLE_NAMES = {prop: role for role, prop in ROLE_PROPERTIES.items()}
ANALYST_SUFFIX = "/analyst"  # what an analyst adds or puts in place: <the id its values would have>/analyst
# What a replacement does not copy from the extracted statement or claim: the run that made it and the
# extractor's confidence belong to the extraction, not to the analyst's decision.
NOT_COPIED = (PROV.wasGeneratedBy, CKG.confidence)
_SPAN = re.compile(r"\d+-\d+")
# A quote in corrections.csv matches the text whatever its spacing and its straight or curly quotes.
_FLEXIBLE = {"'": "['\u2018\u2019]", "\u2018": "['\u2018\u2019]", "\u2019": "['\u2018\u2019]",
             '"': '["\u201c\u201d]', "\u201c": '["\u201c\u201d]', "\u201d": '["\u201c\u201d]'}


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one row: applied, redundant (the extractor already agrees), orphaned or failed."""

    row: int
    action: str
    status: str
    reason: str = ""
    id: str = ""

    def line(self, file: str = "corrections.csv") -> str:
        """One line naming the row: ``failed: corrections.csv: row 5: unknown actor 'x'``."""
        where = f"row {self.row}: " if self.row else ""
        return f"{self.status}: {file}: {where}{self.reason}"

    def record(self) -> dict[str, Any]:
        """For build-report.json."""
        return {"row": self.row, "action": self.action, "id": self.id, "status": self.status, "reason": self.reason}


@dataclass
class Delta:
    """The change corrections make: N-Triples lines to remove and to add, and each row's outcome."""

    remove: set[str] = field(default_factory=set)
    add: list[str] = field(default_factory=list)  # sorted, unique
    outcomes: list[RowOutcome] = field(default_factory=list)


class _Refused(Exception):
    """A row that cannot apply; ``status`` is failed or orphaned."""

    def __init__(self, reason: str, status: str = "failed"):
        super().__init__(reason)
        self.reason, self.status = reason, status


@dataclass
class _Plan:
    """One row worked out: what it decides and creates (for conflicts) and its triples."""

    row: Correction
    id: str
    decides: tuple | None
    creates: tuple | None
    signature: tuple
    remove: list[Triple] = field(default_factory=list)
    add: list[Triple] = field(default_factory=list)
    status: str = "applied"
    reason: str = ""
    creators: tuple[URIRef, int] | None = None  # (document, change in its number of authors)


# --- reading the graph -------------------------------------------------------------------

def _terms(source: Source, subject: Node | None, predicate: Node | None, obj: Node | None) -> list[Triple]:
    """Triples matching a pattern, as rdflib terms, from rdflib or pyoxigraph."""
    if isinstance(source, Graph):
        return list(source.triples((subject, predicate, obj)))
    import pyoxigraph as ox

    from .graph import _rdflib_term

    def term(node: Node | None):  # patterns here only ever name IRIs
        return None if node is None else ox.NamedNode(str(node))

    return [(_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object))
            for q in source.quads_for_pattern(term(subject), term(predicate), term(obj), None)]


class _Lookup:
    """What corrections need to know of the graph, looked up once."""

    def __init__(self, source: Source):
        self.source = source
        _, rows = select(source, query_text("decisions-documents"))
        self.documents = {str(r["document"]): URIRef(r["doc"]) for r in rows}
        self.identifiers = {iri: identifier for identifier, iri in self.documents.items()}
        self.slugs = {slug(identifier): identifier for identifier in self.documents}
        self.agent_ids: dict[str, URIRef] = {}
        self.agent_names: dict[str, set[str]] = {}
        for r in select(source, query_text("decisions-agents"))[1]:
            self.agent_ids[str(r["agent_id"])] = URIRef(r["agent"])
            for name in {str(r["agent_id"]), str(r["name"] or "")} - {""}:
                self.agent_names.setdefault(name.casefold(), set()).add(str(r["agent_id"]))
        self.proposal_ids: dict[str, URIRef] = {}
        self.proposal_names: dict[str, set[str]] = {}
        for r in select(source, query_text("decisions-proposals"))[1]:
            self.proposal_ids[str(r["proposal_id"])] = URIRef(r["proposal"])
            for name in {str(r["proposal_id"]), str(r["label"] or "")} - {""}:
                self.proposal_names.setdefault(name.casefold(), set()).add(str(r["proposal_id"]))
        self.agent_of = {iri: agent_id for agent_id, iri in self.agent_ids.items()}
        self.proposal_of = {iri: proposal_id for proposal_id, iri in self.proposal_ids.items()}
        self._texts: dict[URIRef, str] = {}

    def describe(self, iri: URIRef) -> list[tuple[URIRef, Node]]:
        return [(p, o) for _, p, o in _terms(self.source, iri, None, None)]

    def text(self, doc: URIRef) -> str:
        if doc not in self._texts:
            self._texts[doc] = next((str(o) for p, o in self.describe(doc) if p == CKG.text), "")
        return self._texts[doc]

    def document(self, identifier: str) -> URIRef:
        if identifier in self.documents:
            return self.documents[identifier]
        hint = difflib.get_close_matches(identifier, list(self.documents), n=1)
        raise _Refused(f"no document '{identifier}' in the corpus" + (f" (did you mean '{hint[0]}'?)" if hint else ""))

    def _named(self, value: str, ids: dict[str, URIRef], names: dict[str, set[str]], what: str) -> tuple[URIRef, str]:
        if value in ids:
            return ids[value], value
        matches = sorted(names.get(value.casefold(), ()))
        if len(matches) == 1:
            return ids[matches[0]], matches[0]
        if matches:
            raise _Refused(f"{what} '{value}' names {len(matches)} {what}s ({', '.join(matches)}); use an id")
        hint = difflib.get_close_matches(value, list(ids), n=1)
        raise _Refused(f"unknown {what} '{value}'" + (f" (did you mean '{hint[0]}'?)" if hint else ""))

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

    def rows(self, query: str, doc: URIRef) -> list[dict[str, Any]]:
        return select(self.source, query_text(query), {"doc": doc})[1]


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


# --- planning each row ---------------------------------------------------------------------

class _Planner:
    """Turns rows into plans (the triples each row removes and adds), refusing what cannot apply."""

    def __init__(self, source: Source):
        self.graph = _Lookup(source)

    def plan(self, row: Correction) -> _Plan:
        method = {"statement": self._statement, "claim": self._claim, "mention": self._mention}[row.target]
        plan = method(row)
        decision, analyst = CORRECTION[row.key], analyst_iri(row.by)
        # A redundant row (the extractor already says what it says) stands in the graph as the accept it amounts to.
        _, dash, target = row.action.partition("-")
        action = row.action if plan.status != "redundant" else f"accept{dash}{target}"
        plan.add += [(decision, RDF.type, CKG.Correction), (decision, RDF.type, PROV.Activity),
                     (decision, CKG.action, Literal(action)), (decision, PROV.wasAssociatedWith, analyst),
                     (analyst, RDF.type, PROV.Agent), (analyst, RDFS.label, Literal(row.by))]
        if row.note:
            plan.add.append((decision, SKOS.note, Literal(row.note)))
        return plan

    # statements and claims ------------------------------------------------------------

    def _extracted(self, row: Correction, namespace_iri: URIRef, cls: URIRef, what: str) -> dict:
        """The extracted statement or claim a row's id names, with its document and span; refuses otherwise."""
        iri = URIRef(str(namespace_iri) + row.id)
        facts = self.graph.describe(iri)
        if (RDF.type, cls) in facts:
            selector = next(o for p, o in facts if p == OA.hasSelector)
            parts = dict(self.graph.describe(selector))
            return {"iri": iri, "facts": facts, "doc": next(o for p, o in facts if p == OA.hasSource),
                    "start": int(parts[OA.start]), "end": int(parts[OA.end]), "quote": str(parts[OA.exact])}
        if row.id.endswith(ANALYST_SUFFIX):
            raise _Refused(f"'{row.id}' is an analyst's {what}: correct the row that makes it instead")
        document = self.graph.document_of(row.id)
        if not _SPAN.fullmatch(row.id.rsplit("/", 1)[-1]) or document is None:
            raise _Refused(f"unknown {what} id '{row.id}' (not a {what}_id of {what}s.csv)")
        raise _Refused(self._orphan_reason(row, what, document), "orphaned")

    def _orphan_reason(self, row: Correction, what: str, document: str) -> str:
        reason = f"{what} '{row.id}' no longer exists"
        if row.quote:
            if locate_quote(self.graph.text(self.graph.documents[document]), row.quote):
                return reason + f" (its passage is still in {document}: the extractor no longer finds it there)"
            return reason + f" (its passage is no longer in {document})"
        return reason + f" ({document} or the extractor changed)"

    def _span(self, row: Correction, doc: URIRef) -> tuple[int, int, str]:
        text = self.graph.text(doc)
        found = locate_quote(text, row.quote)
        if not found:
            raise _Refused(f"quote not found in {row.document}: '{_short(row.quote)}'")
        if len(found) > 1:
            raise _Refused(f"quote occurs {len(found)} times in {row.document}; quote more of the passage: "
                           f"'{_short(row.quote)}'")
        start, end = found[0]
        return start, end, text[start:end]

    def _replace(self, row: Correction, old: dict, new: URIRef, values: dict[URIRef, Node]) -> list[Triple]:
        """The extracted entity's triples (and its selector's, values') copied to ``new``, with ``values`` set."""
        triples = []
        for p, o in old["facts"]:
            if p in values or p in NOT_COPIED:
                continue
            if isinstance(o, URIRef) and str(o).startswith(str(old["iri"]) + "/"):  # its selector, its values
                part = URIRef(str(new) + str(o)[len(str(old["iri"])):])
                triples += [(part, pp, oo) for pp, oo in self.graph.describe(o)]
                o = part
            triples.append((new, p, o))
        triples += [(new, p, o) for p, o in values.items()]
        # Statements that offered the extracted claim as evidence offer its replacement.
        triples += [(s, p, new) for s, p, _ in _terms(self.graph.source, None, CKG.evidence, old["iri"])]
        return triples

    @staticmethod
    def _made(new: URIRef, doc: URIRef, span: tuple[int, int, str], cls: URIRef) -> list[Triple]:
        """A new statement or claim on a passage, with its own selector."""
        selector = URIRef(f"{new}/selector")
        start, end, quote = span
        return [(new, RDF.type, cls), (new, RDF.type, PROV.Entity), (new, OA.hasSource, doc),
                (new, OA.hasSelector, selector), (selector, RDF.type, OA.TextPositionSelector),
                (selector, RDF.type, OA.TextQuoteSelector), (selector, OA.start, Literal(start, datatype=XSD.integer)),
                (selector, OA.end, Literal(end, datatype=XSD.integer)), (selector, OA.exact, Literal(quote))]

    def _statement(self, row: Correction) -> _Plan:
        return self._entity(row, "statement")

    def _claim(self, row: Correction) -> _Plan:
        return self._entity(row, "claim")

    def _entity(self, row: Correction, what: str) -> _Plan:
        """A decision on a stance statement or an evidence claim: both work the same way."""
        from .namespace import CL, ST

        statement = what == "statement"
        cls, superseded = (CKG.StanceStatement, CKG.SupersededStatement) if statement else (SDO.Claim, CKG.SupersededClaim)
        # The properties a change may set, by corrections.csv column.
        properties = {"actor": CKG.actor, "proposal": CKG.proposal, "stance": CKG.stance} if statement else \
            {"actor": SDO.author, "proposal": SDO.about, "kind": CKG.claimKind}
        decision, analyst = CORRECTION[row.key], analyst_iri(row.by)
        if row.verb == "add":
            doc = self.graph.document(row.document)
            old, start, end, quote = None, *self._span(row, doc)
        else:
            old = self._extracted(row, ST if statement else CL, cls, what)
            doc, start, end, quote = old["doc"], old["start"], old["end"], old["quote"]
        if row.verb in ("accept", "reject"):
            plan = _Plan(row, row.id, (what, old["iri"]), None, (row.verb,))
            plan.add += [(decision, PROV.used, doc), (decision, CKG.decides, old["iri"])]
            if row.verb == "reject":
                plan.remove.append((old["iri"], RDF.type, cls))
                plan.add += [(old["iri"], RDF.type, superseded), (old["iri"], PROV.wasInvalidatedBy, decision),
                             (decision, PROV.invalidated, old["iri"])]
            return plan
        current = {prop: o for prop, o in (old["facts"] if old else ()) if prop in properties.values()}
        values = dict(current)
        ids = {"actor": "", "proposal": ""}
        for column, prop in properties.items():
            given = getattr(row, column)
            if not given:
                continue
            if column == "actor":
                values[prop], ids["actor"] = self.graph.agent(given)
            elif column == "proposal":
                values[prop], ids["proposal"] = self.graph.proposal(given)
            else:
                values[prop] = (STANCE_IRIS if column == "stance" else KIND_IRIS)[given]
        if old is not None and values == current:
            plan = _Plan(row, row.id, (what, old["iri"]), None, ("accept",), status="redundant",
                         reason=f"the extractor already says so ({what} '{row.id}'); kept as an accept")
            plan.add += [(decision, PROV.used, doc), (decision, CKG.decides, old["iri"])]
            return plan
        span = Span(start, end, quote)
        if statement:
            actor_id = ids["actor"] or _id_of(values[CKG.actor], self.graph.agent_of)
            proposal_id = ids["proposal"] or _id_of(values[CKG.proposal], self.graph.proposal_of)
            made = statement_iri(self.graph.identifiers[doc], Statement(actor_id, proposal_id, "support", span))
        else:
            made = claim_iri(self.graph.identifiers[doc], Claim("", "assertion", span))
        new = URIRef(str(made) + ANALYST_SUFFIX)
        signature = (row.verb, tuple(sorted(values.items())))
        if row.verb == "add":
            same = self._already_found(row, what, doc, values, start, end)
            if same is not None:
                plan = _Plan(row, row.id, (what, URIRef(same)), None, ("accept",), status="redundant",
                             reason=f"the extractor already finds it ({what} '{_local(same)}'); kept as an accept")
                plan.add += [(decision, PROV.used, doc), (decision, CKG.decides, URIRef(same))]
                return plan
            plan = _Plan(row, "", None, (what, new), signature)
            plan.add += self._made(new, doc, (start, end, quote), cls)
            plan.add += [(new, p, o) for p, o in values.items()]
        else:
            plan = _Plan(row, row.id, (what, old["iri"]), (what, new), signature)
            plan.remove.append((old["iri"], RDF.type, cls))
            plan.add += [(old["iri"], RDF.type, superseded), (old["iri"], PROV.wasInvalidatedBy, decision),
                         (decision, PROV.invalidated, old["iri"]), (decision, CKG.decides, old["iri"]),
                         (new, PROV.wasDerivedFrom, old["iri"])]
            plan.add += self._replace(row, old, new, values)
        plan.add += [(decision, PROV.used, doc), (new, PROV.wasGeneratedBy, decision),
                     (new, PROV.wasAttributedTo, analyst)]
        return plan

    def _already_found(self, row: Correction, what: str, doc: URIRef, values: dict, start: int, end: int) -> str | None:
        """The extracted statement (claim) that says what an addition says, on an overlapping passage."""
        if what == "statement":
            for r in self.graph.rows("decisions-statements", doc):
                if (URIRef(r["actor"]), URIRef(r["proposal"]), URIRef(r["stance"])) == \
                        (values[CKG.actor], values[CKG.proposal], values[CKG.stance]) \
                        and int(r["start"]) < end and start < int(r["end"]):
                    return str(r["statement"])
            return None
        for r in self.graph.rows("decisions-claims", doc):
            if URIRef(r["claimant"]) == values[SDO.author] and int(r["start"]) < end and start < int(r["end"]):
                return str(r["claim"])
        return None

    # mentions ---------------------------------------------------------------------------

    def _mention(self, row: Correction) -> _Plan:
        decision, analyst = CORRECTION[row.key], analyst_iri(row.by)
        if row.verb == "add":
            doc = self.graph.document(row.document)
            old = None
        else:
            document, role, agent_id = split_mention_id(row.id)  # checked when the file was read
            if document not in self.graph.documents:
                raise _Refused(f"mention '{row.id}' no longer exists (its document '{document}' is not in the corpus)",
                               "orphaned")
            doc = self.graph.documents[document]
            agent = self.graph.agent_ids.get(agent_id)
            old = (doc, ROLE_PROPERTIES[role], agent)
            if agent is None or old not in _terms(self.graph.source, *old):
                raise _Refused(f"mention '{row.id}' no longer exists ({document} or the extractor changed)", "orphaned")
        plan = _Plan(row, row.id, ("mention", old) if old else None, None, (row.verb,))
        plan.add.append((decision, PROV.used, doc))
        if old is not None:
            reified = CORRECTION[f"{row.key}/decides"]
            plan.add += _reified(reified, old) + [(decision, CKG.decides, reified)]
        if row.verb == "accept":
            return plan
        if row.verb == "reject":
            plan.remove.append(old)
            plan.add += [(decision, PROV.invalidated, reified), (reified, PROV.wasInvalidatedBy, decision)]
            if old[1] == ROLE_PROPERTIES["author"]:
                plan.creators = (doc, -1)
            return plan
        agent = self.graph.agent(row.actor)[0] if row.actor else old[2]
        new = (doc, ROLE_PROPERTIES[row.role] if row.role else old[1], agent)
        if new == old:
            raise _Refused(f"{row.action} leaves mention '{row.id}' as it is")
        exists = new in _terms(self.graph.source, *new)
        if row.verb == "add" and exists:
            plan.status, plan.signature = "redundant", ("accept",)
            plan.reason = f"the extractor already finds it (mention '{self._mention_id(new)}'); kept as an accept"
            reified = CORRECTION[f"{row.key}/decides"]
            plan.decides = ("mention", new)
            plan.add += _reified(reified, new) + [(decision, CKG.decides, reified)]
            return plan
        plan.creates, plan.signature = ("mention", new), (row.verb, new)
        change = 0
        if old is not None:
            plan.remove.append(old)
            plan.add += [(decision, PROV.invalidated, reified), (reified, PROV.wasInvalidatedBy, decision)]
            change -= old[1] == ROLE_PROPERTIES["author"]
        if not exists:  # a change onto a role the extractor already found only takes the old one away
            made = CORRECTION[f"{row.key}/adds"]
            plan.add += [new] + _reified(made, new) + [(made, PROV.wasGeneratedBy, decision),
                                                       (made, PROV.wasAttributedTo, analyst)]
            change += new[1] == ROLE_PROPERTIES["author"]
        plan.creators = (doc, change) if change else None
        return plan

    def _mention_id(self, triple: Triple) -> str:
        doc, prop, agent = triple
        return mention_id(self.graph.identifiers[doc], ROLE_NAMES[prop], _id_of(agent, self.graph.agent_of))


def analyst_iri(by: str) -> URIRef:
    """The analyst who decided, by the ``by`` column: case and punctuation aside, one name is one analyst.

    >>> str(analyst_iri("Ann  Analyst")), str(analyst_iri("ann analyst")) == str(analyst_iri("Ann Analyst"))
    ('https://w3id.org/carekg/analyst/ann-analyst', True)
    """
    name = re.sub(r"[^\w.~]+", "-", by.casefold()).strip("-")
    return ANALYST[name or "x-" + slug(by)]


def _id_of(iri: Node, ids: dict[URIRef, str]) -> str:
    """The id of an agent or proposal IRI (its local name when the graph does not give one)."""
    return ids.get(iri) or str(iri).rsplit("/", 1)[-1]


def _reified(node: URIRef, triple: Triple) -> list[Triple]:
    subject, predicate, obj = triple
    return [(node, RDF.type, RDF.Statement), (node, RDF.subject, subject), (node, RDF.predicate, predicate),
            (node, RDF.object, obj)]


def _local(iri: str) -> str:
    from .namespace import CL, ST

    for namespace in (ST, CL):
        if iri.startswith(str(namespace)):
            return iri[len(str(namespace)):]
    return iri


def _short(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size - 1] + "…"


# --- all rows together ------------------------------------------------------------------------

def plan_corrections(source: Source, rows: Iterable[Correction]) -> Delta:
    """The change ``rows`` make to the graph in ``source`` (which is not modified), and each row's outcome.

    A row that cannot apply (unknown id, actor, proposal or document; a
    quote missing or repeated; a duplicate of or a contradiction with
    another row) gets a failed outcome; one whose statement, claim or
    mention no longer exists an orphaned one; the others still apply.
    """
    planner = _Planner(source)
    plans: list[_Plan] = []
    delta = Delta()
    for row in rows:
        try:
            plans.append(planner.plan(row))
        except _Refused as refused:
            delta.outcomes.append(RowOutcome(row.row, row.action, refused.status, refused.reason, row.id))
    failed = _conflicts(plans)
    authors: dict[URIRef, int] = {}
    removed: set[Triple] = set()
    added: set[Triple] = set()
    for plan in plans:
        reason = failed.get(plan.row.row)
        if reason is None and plan.creators is not None:
            doc, change = plan.creators
            if doc not in authors:
                authors[doc] = len(_terms(source, doc, ROLE_PROPERTIES["author"], None))
            if authors[doc] + change < 1:
                reason = "the document would have no author left; change the mention to the right author instead"
            else:
                authors[doc] += change
        if reason is not None:
            delta.outcomes.append(RowOutcome(plan.row.row, plan.row.action, "failed", reason, plan.id))
            continue
        removed.update(plan.remove)
        added.update(plan.add)
        delta.outcomes.append(RowOutcome(plan.row.row, plan.row.action, plan.status, plan.reason, plan.id))
    delta.remove = {_line(t) for t in removed - added}
    delta.add = sorted({_line(t) for t in added - removed})
    delta.outcomes.sort(key=lambda outcome: outcome.row)
    return delta


def _conflicts(plans: list[_Plan]) -> dict[int, str]:
    """Rows that repeat or contradict an earlier row, with the reason (both rows of a contradiction fail)."""
    seen: dict[tuple, _Plan] = {}
    failed: dict[int, str] = {}
    for plan in plans:
        for key in (plan.decides, plan.creates):
            if key is None:
                continue
            other = seen.setdefault(key, plan)
            if other is plan:
                continue
            thing = f"{key[0]} '{plan.id or other.id}'" if plan.id or other.id else f"the {key[0]} it adds"
            if other.signature == plan.signature:
                failed.setdefault(plan.row.row, f"repeats row {other.row.row} ({thing}); row {other.row.row} applies")
            else:
                failed.setdefault(plan.row.row, f"contradicts row {other.row.row} on {thing}; neither applies")
                failed.setdefault(other.row.row, f"contradicts row {plan.row.row} on {thing}; neither applies")
    return failed


def _line(triple: Triple) -> str:
    return f"{nt_term(triple[0])} {nt_term(triple[1])} {nt_term(triple[2])} .\n"


def apply_delta(source: Source, delta: Delta) -> None:
    """Make the change in an in-memory graph (rdflib or pyoxigraph)."""
    if not delta.remove and not delta.add:
        return
    if isinstance(source, Graph):
        for line in delta.remove:
            source.remove(next(iter(Graph().parse(data=line, format="nt"))))
        if delta.add:
            source.parse(data="".join(delta.add), format="nt")
        return
    import pyoxigraph as ox

    for triple in ox.parse("".join(sorted(delta.remove)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        source.remove(ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph()))
    if delta.add:
        source.bulk_load("".join(delta.add).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)


@dataclass
class CorrectionsOutcome:
    """What a build did with the corpus's corrections file: one outcome per row (row 0: the file itself)."""

    file: str
    outcomes: list[RowOutcome]
    delta: Delta

    @property
    def failed(self) -> bool:
        return any(outcome.status == "failed" for outcome in self.outcomes)

    def counts(self) -> dict[str, int]:
        counts = {"applied": 0, "redundant": 0, "orphaned": 0, "failed": 0}
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        return counts

    def problem_lines(self) -> list[str]:
        """One line per row that did not simply apply, naming the file and the row."""
        return [outcome.line(self.file) for outcome in self.outcomes if outcome.status != "applied"]

    def record(self) -> dict[str, Any]:
        """The ``corrections`` section of build-report.json."""
        return {"file": self.file, "counts": self.counts(), "rows": [outcome.record() for outcome in self.outcomes]}


def apply_corrections(store: Source, path: Path) -> CorrectionsOutcome | None:
    """Read the corrections file at ``path`` and apply its rows to the in-memory graph; None without a file."""
    from .corrections import read_corrections

    path = Path(path)
    if not path.is_file():
        return None
    rows, problems = read_corrections(path)
    delta = plan_corrections(store, rows)
    apply_delta(store, delta)
    outcomes = [RowOutcome(row or 0, "", "failed", message) for row, message in problems] + delta.outcomes
    return CorrectionsOutcome(path.name, sorted(outcomes, key=lambda outcome: outcome.row), delta)


# --- the raw view --------------------------------------------------------------------------

def raw_view(source: Source) -> Source:
    """Turn a corrected graph, in memory, back into the extractor's own (``--raw``); returns it.

    Superseded statements and claims stand again, what analysts added goes,
    and so do the decisions themselves: the result is the graph the build
    would have written without corrections.csv.
    """
    update = (resources.files("carekg.queries") / "raw-view.ru").read_text(encoding="utf-8")
    source.update(update)
    return source


def open_view(path: Path | str, raw: bool = False) -> Source:
    """A graph file in an in-memory pyoxigraph store, corrected as built or (``raw``) as extracted."""
    from .sparql import open_store

    store = open_store(path)
    return raw_view(store) if raw else store
