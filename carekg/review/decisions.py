"""Analysts' decisions applied to a built graph, and the raw view without them.

``carekg build`` reads the corpus's ``corrections.csv`` (``carekg.review.corrections``)
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
:func:`~carekg.store.sparql.raw_view` turns a corrected graph back into the extractor's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from carekg.review.anchors import GraphLookup, Refused, locate_quote, passage_key, triples_matching
from carekg.review.corrections import Correction, mention_id, split_mention_id
from carekg.graph.triples import ROLE_PROPERTIES, Triple, claim_iri, nt_term, slug, statement_iri
from carekg.vocab.model import Claim, Span, Statement
from carekg.vocab.namespace import ANALYST, CKG, CL, CORRECTION, OA, PROV, RDF, RDFS, SDO, SKOS, ST, XSD
from carekg.store.sparql import Source, raw_view

__all__ = ["RowOutcome", "Delta", "CorrectionsOutcome", "plan_corrections", "apply_delta", "apply_corrections",
           "raw_view", "open_view", "analyst_iri"]

STANCE_IRIS = {"support": CKG.Support, "oppose": CKG.Oppose}
KIND_IRIS = {"statistic": CKG.Statistic, "research-finding": CKG.ResearchFinding, "assertion": CKG.Assertion}
ROLE_NAMES = {prop: role for role, prop in ROLE_PROPERTIES.items()}
ANALYST_SUFFIX = "/analyst"  # what an analyst adds or puts in place: <the id its values would have>/analyst
# What a replacement does not copy from the extracted statement or claim: the run that made it and the
# extractor's confidence belong to the extraction, not to the analyst's decision.
NOT_COPIED = (PROV.wasGeneratedBy, CKG.confidence)
_SPAN = re.compile(r"\d+-\d+")
# What can happen to a row: it applies; it applies to the statement (claim) its passage moved to (moved);
# the extractor already says what it says (redundant: kept as an accept); its statement, claim or
# mention no longer exists (orphaned); or it cannot apply (failed). Only failed fails a build.
STATUSES = ("applied", "moved", "redundant", "orphaned", "failed")


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one row (one of STATUSES), why, and the id it decided on."""

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


@dataclass(frozen=True)
class _Kind:
    """Stance statements and evidence claims are corrected the same way; this is what differs."""

    name: str  # statement | claim: the word in ids, queries and messages
    namespace: Namespace
    cls: URIRef  # the class of one that stands
    superseded: URIRef  # the class of one an analyst rejected or replaced
    properties: dict[str, URIRef]  # corrections.csv column → the property it sets


_STATEMENT = _Kind("statement", ST, CKG.StanceStatement, CKG.SupersededStatement,
                   {"actor": CKG.actor, "proposal": CKG.proposal, "stance": CKG.stance})
_CLAIM = _Kind("claim", CL, SDO.Claim, CKG.SupersededClaim,
               {"actor": SDO.author, "proposal": SDO.about, "kind": CKG.claimKind})


def _superseded(iri: URIRef, kind: _Kind, decision: URIRef) -> list[Triple]:
    """An extracted statement or claim re-typed as superseded, and the decision that invalidated it."""
    return [(iri, RDF.type, kind.superseded), (iri, PROV.wasInvalidatedBy, decision), (decision, PROV.invalidated, iri)]


# --- planning each row ---------------------------------------------------------------------

class _Planner:
    """Turns rows into plans (the triples each row removes and adds), refusing what cannot apply."""

    def __init__(self, source: Source):
        self.graph = GraphLookup(source)

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

    def _statement(self, row: Correction) -> _Plan:
        return self._entity(row, _STATEMENT)

    def _claim(self, row: Correction) -> _Plan:
        return self._entity(row, _CLAIM)

    def _entity(self, row: Correction, kind: _Kind) -> _Plan:
        """A decision on a stance statement or an evidence claim: both work the same way."""
        decision, analyst = CORRECTION[row.key], analyst_iri(row.by)
        if row.verb == "add":
            old, doc = None, self.graph.document(row.document)
            start, end, quote = self._span(row, doc)
        else:
            old = self._extracted(row, kind)
            doc, start, end, quote = old["doc"], old["start"], old["end"], old["quote"]
        plan = _Plan(row, old["id"] if old else "", (kind.name, old["iri"]) if old else None, None, (row.verb,))
        plan.add.append((decision, PROV.used, doc))
        if old is not None:
            plan.add.append((decision, CKG.decides, old["iri"]))
            if old["id"] != row.id:
                plan.status = "moved"
                plan.reason = (f"{kind.name} '{row.id}' is now '{old['id']}' (the document changed around its "
                               f"passage); applied there: put the new id in the row")
        if row.verb == "reject":
            plan.remove.append((old["iri"], RDF.type, kind.cls))
            plan.add += _superseded(old["iri"], kind, decision)
        if row.verb in ("accept", "reject"):
            return plan
        current = {p: o for p, o in (old["facts"] if old else ()) if p in kind.properties.values()}
        values = {**current, **self._values(row, kind)}
        if old is not None:
            found = old["iri"] if values == current else None
        else:
            found = self._already_found(kind, doc, values, start, end)
        if found is not None:  # the extractor already says what the row says: it stands as the accept it amounts to
            plan.decides, plan.signature, plan.status = (kind.name, found), ("accept",), "redundant"
            plan.reason = f"the extractor already says so ({kind.name} '{_local(str(found))}'); kept as an accept"
            if old is None:
                plan.add.append((decision, CKG.decides, found))
            return plan
        span = Span(start, end, quote)
        if kind is _STATEMENT:
            made = statement_iri(self.graph.identifiers[doc], Statement(
                _id_of(values[CKG.actor], self.graph.agent_of), _id_of(values[CKG.proposal], self.graph.proposal_of),
                "support", span))
        else:
            made = claim_iri(self.graph.identifiers[doc], Claim("", "assertion", span))
        new = URIRef(str(made) + ANALYST_SUFFIX)
        plan.creates, plan.signature = (kind.name, new), (row.verb, tuple(sorted(values.items())))
        if old is None:
            plan.add += self._made(new, doc, (start, end, quote), kind.cls) + [(new, p, o) for p, o in values.items()]
        else:
            plan.remove.append((old["iri"], RDF.type, kind.cls))
            plan.add += _superseded(old["iri"], kind, decision) + [(new, PROV.wasDerivedFrom, old["iri"])]
            plan.add += self._replace(old, new, values)
        plan.add += [(new, PROV.wasGeneratedBy, decision), (new, PROV.wasAttributedTo, analyst)]
        return plan

    def _values(self, row: Correction, kind: _Kind) -> dict[URIRef, Node]:
        """The values a change or an addition sets, by property."""
        values: dict[URIRef, Node] = {}
        for column, prop in kind.properties.items():
            given = getattr(row, column)
            if given:
                values[prop] = (self.graph.agent(given)[0] if column == "actor" else
                                self.graph.proposal(given)[0] if column == "proposal" else
                                STANCE_IRIS.get(given) or KIND_IRIS[given])
        return values

    def _extracted(self, row: Correction, kind: _Kind) -> dict:
        """The extracted statement or claim a row's id names, with its document and span; refuses otherwise.

        When the id names nothing but the row's quote is the passage of exactly one extracted
        statement (claim) of the same document (with the id's actor and proposal), the document
        changed around the passage: the row applies to that one, whose id is ``id``.
        """
        found = self.graph.entity(URIRef(str(kind.namespace) + row.id), kind)
        if found is not None:
            return found
        if row.id.endswith(ANALYST_SUFFIX):
            raise Refused(f"'{row.id}' is an analyst's {kind.name}: correct the row that makes it instead")
        document = self.graph.document_of(row.id)
        if not _SPAN.fullmatch(row.id.rsplit("/", 1)[-1]) or document is None:
            raise Refused(f"unknown {kind.name} id '{row.id}' (not a {kind.name}_id of {kind.name}s.csv)")
        moved = self._moved(row, kind, self.graph.documents[document]) if row.quote else []
        if len(moved) == 1:
            return moved[0]
        raise Refused(self._orphan_reason(row, kind.name, document), "orphaned")

    def _moved(self, row: Correction, kind: _Kind, doc: URIRef) -> list[dict]:
        """Extracted statements (claims) of the document on the row's passage, with the id's actor and proposal."""
        same = row.id.rsplit("/", 1)[0] + "/"  # statements: <doc>/<actor>/<proposal>/, claims: <doc>/
        passage = passage_key(row.quote)
        return [e for e in self.graph.entities(doc, kind) if e["id"].startswith(same) and passage_key(e["quote"]) == passage]

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
            raise Refused(f"quote not found in {row.document}: '{_short(row.quote)}'")
        if len(found) > 1:
            raise Refused(f"quote occurs {len(found)} times in {row.document}; quote more of the passage: "
                           f"'{_short(row.quote)}'")
        start, end = found[0]
        return start, end, text[start:end]

    def _replace(self, old: dict, new: URIRef, values: dict[URIRef, Node]) -> list[Triple]:
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
        triples += [(s, p, new) for s, p, _ in triples_matching(self.graph.source, None, CKG.evidence, old["iri"])]
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

    def _already_found(self, kind: _Kind, doc: URIRef, values: dict, start: int, end: int) -> URIRef | None:
        """The extracted statement (claim) that says what an addition says, on an overlapping passage."""
        for entity in self.graph.entities(doc, kind):
            if all(entity["values"].get(p) == value for p, value in values.items()) \
                    and entity["start"] < end and start < entity["end"]:
                return entity["iri"]
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
                raise Refused(f"mention '{row.id}' no longer exists (its document '{document}' is not in the corpus)",
                               "orphaned")
            doc = self.graph.documents[document]
            agent = self.graph.agent_ids.get(agent_id)
            old = (doc, ROLE_PROPERTIES[role], agent)
            if agent is None or old not in triples_matching(self.graph.source, *old):
                raise Refused(f"mention '{row.id}' no longer exists ({document} or the extractor changed)", "orphaned")
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
            raise Refused(f"{row.action} leaves mention '{row.id}' as it is")
        exists = new in triples_matching(self.graph.source, *new)
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
        except Refused as refused:
            delta.outcomes.append(RowOutcome(row.row, row.action, refused.status, refused.reason, row.id))
    failed = _conflicts(plans)
    authors: dict[URIRef, int] = {}
    removed: set[Triple] = set()
    added: set[Triple] = set()
    for index, plan in enumerate(plans):
        reason = failed.get(index)
        if reason is None and plan.creators is not None:
            doc, change = plan.creators
            if doc not in authors:
                authors[doc] = len(triples_matching(source, doc, ROLE_PROPERTIES["author"], None))
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
    """Plans (by index) that repeat or contradict an earlier one, with the reason (both sides of a contradiction)."""
    seen: dict[tuple, int] = {}
    failed: dict[int, str] = {}
    for index, plan in enumerate(plans):
        for key in (plan.decides, plan.creates):
            if key is None:
                continue
            first = seen.setdefault(key, index)
            if first == index:
                continue
            other = plans[first]
            thing = f"{key[0]} '{plan.id or other.id}'" if plan.id or other.id else f"the {key[0]} it adds"
            if other.signature == plan.signature:
                failed.setdefault(index, f"repeats row {other.row.row} ({thing}); row {other.row.row} applies")
            else:
                failed.setdefault(index, f"contradicts row {other.row.row} on {thing}; neither applies")
                failed.setdefault(first, f"contradicts row {plan.row.row} on {thing}; neither applies")
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
        counts = dict.fromkeys(STATUSES, 0)
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        return counts

    def problem_lines(self) -> list[str]:
        """One line per row that did not simply apply, naming the file and the row."""
        return [outcome.line(self.file) for outcome in self.outcomes if outcome.status != "applied"]

    def record(self) -> dict[str, Any]:
        """The ``corrections`` section of build-report.json."""
        return {"file": self.file, "counts": self.counts(), "rows": [outcome.record() for outcome in self.outcomes]}


def apply_corrections(store: Source, path: Path) -> CorrectionsOutcome:
    """Read the corrections file at ``path`` (none: no rows) and apply its rows to the in-memory graph."""
    from carekg.review.corrections import read_corrections

    path = Path(path)
    rows, problems = read_corrections(path)
    delta = plan_corrections(store, rows)
    apply_delta(store, delta)
    outcomes = [RowOutcome(row or 0, "", "failed", message) for row, message in problems] + delta.outcomes
    return CorrectionsOutcome(path.name, sorted(outcomes, key=lambda outcome: outcome.row), delta)


# --- the raw view --------------------------------------------------------------------------

def open_view(path: Path | str, raw: bool = False, writable: bool = False) -> Source:
    """A graph (build folder or file) in pyoxigraph, corrected as built or (``raw``) as extracted.

    ``writable`` (implied by ``raw``) asks for an in-memory copy the caller may change.
    """
    from carekg.store.sparql import open_store

    store = open_store(path, writable=raw or writable)
    return raw_view(store) if raw else store
