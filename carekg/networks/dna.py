"""Stance statements → networkx graphs, with the Discourse Network Analyzer's semantics.

Plain functions: a graph (rdflib ``Graph`` or pyoxigraph ``Store``, or a
:class:`StatementTable` already read from one) in, a ``networkx.Graph`` out.
The formulas are those of DNA's exporter (leifeld-lab/dna,
``Exporter.java``), so weights compare with published DNA studies:

- ``affiliation``: two-mode organisation × proposal; ``weight`` = statements.
- ``agreement`` (DNA congruence): ``Σ_j s_aj·s_bj + o_aj·o_bj``.
- ``divergence`` (DNA conflict): ``Σ_j s_aj·o_bj + o_aj·s_bj``, plus carekg's
  contradiction term ``Σ_{p contradicts q} s_ap·s_bq`` (kept apart in the
  ``conflict`` / ``contradiction`` edge attributes and ``kind``).
- ``subtract``: agreement − divergence.

Counts are sparse matrix products (scipy), because pairwise loops in Python do
not survive corpora with thousands of organisations. Every edge carries the
proposals behind it, each with the statements (quote, document) of both sides.

>>> table = StatementTable.from_records([
...     {"actor": "a", "proposal": "p", "stance": "support", "document": "d1"},
...     {"actor": "b", "proposal": "p", "stance": "support", "document": "d2"},
...     {"actor": "b", "proposal": "q", "stance": "oppose", "document": "d2"},
...     {"actor": "a", "proposal": "q", "stance": "support", "document": "d1"},
... ])
>>> agreement(table)["a"]["b"]["weight"]
1
>>> divergence(table)["a"]["b"]["proposal_ids"]
['q']
>>> round(agreement(table, normalization="average")["a"]["b"]["weight"], 3)
0.5
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Union

import networkx as nx
import numpy as np
from scipy import sparse

from carekg.errors import NetworkError
from carekg.vocab.namespace import ST
from carekg.networks.passages import context
from carekg.store.sparql import Source, query_text, select

__all__ = [
    "KINDS", "ONE_MODE_NORMALIZATIONS", "TWO_MODE_NORMALIZATIONS", "DUPLICATES", "ORGANISATION_TYPES",
    "StatementRecord", "ActorInfo", "ProposalInfo", "StatementTable",
    "read_statements", "select_statements", "publication_period", "affiliation", "agreement", "divergence", "subtract", "network",
]

KINDS = ("affiliation", "agreement", "divergence", "subtract")
ONE_MODE_NORMALIZATIONS = ("none", "average", "jaccard", "cosine")
TWO_MODE_NORMALIZATIONS = ("none", "activity", "prominence")
DUPLICATES = ("document", "include")
# Type strings of the registry (ontology/organisations.yaml), keyed by the ckg: individual's local name.
_TYPE_NAMES = {
    "Charity": "charity", "PublicBody": "public-body", "Review": "review", "Government": "government",
    "University": "university", "ParliamentaryGroup": "parliamentary-group", "Media": "media",
    "OtherOrganisation": "other",
}
ORGANISATION_TYPES = tuple(_TYPE_NAMES.values()) + ("person",)
UNKNOWN_AUTHOR = "unknown-author"
PROPOSAL_PREFIX = "proposal:"  # affiliation node ids of proposals, so they never clash with an actor id


@dataclass(frozen=True)
class StatementRecord:
    """One stance statement, flattened: who, on what, which way, where."""

    actor: str
    proposal: str
    stance: str  # "support" | "oppose"
    document: str
    quote: str = ""
    start: int = 0
    end: int = 0
    title: str = ""
    issued: str = ""  # "2021", "2021-08", "2021-08-17" or "" when unknown
    statement: str = ""  # the statement's IRI, when read from a graph (its statement_id is the part after st:)
    publisher: str = ""  # the document's publisher, when read with passages
    before: str = ""  # the sentence before the quote, when read with passages
    after: str = ""  # the sentence after the quote, when read with passages

    def evidence(self, proposal_label: str = "") -> dict[str, Any]:
        """The statement as an evidence item of an edge or a position."""
        return {"proposal": self.proposal, "proposal_label": proposal_label or self.proposal, "stance": self.stance,
                "quote": self.quote, "document": self.document, "title": self.title, "issued": self.issued,
                "start": self.start, "end": self.end, "statement": self.statement,
                "statement_id": self.statement.removeprefix(str(ST)), "publisher": self.publisher,
                "before": self.before, "after": self.after}


@dataclass(frozen=True)
class ActorInfo:
    """An agent as the networks see it; ``type`` is a registry type string or ``person``."""

    id: str
    label: str
    kind: str = "organisation"  # "organisation" | "person"
    type: str = "other"
    member_of: str = ""
    succeeded_by: str = ""


@dataclass(frozen=True)
class ProposalInfo:
    """A proposal's label and theme id ("" for emergent proposals)."""

    id: str
    label: str
    theme: str = ""


@dataclass
class StatementTable:
    """Statements plus the agents, proposals and contradictions they refer to.

    ``merged`` maps an actor id to the ids folded into it by
    :func:`select_statements` (persons, predecessors of a renamed organisation).
    """

    records: list[StatementRecord]
    actors: dict[str, ActorInfo] = field(default_factory=dict)
    proposals: dict[str, ProposalInfo] = field(default_factory=dict)
    contradictions: frozenset[tuple[str, str]] = frozenset()  # (p, q) with p < q
    merged: dict[str, tuple[str, ...]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)  # the selection that made this table
    undated_dropped: int = 0  # undated documents left out because since/until was given

    @classmethod
    def from_records(
        cls,
        records: Iterable[StatementRecord | Mapping[str, Any]],
        *,
        actors: Iterable[ActorInfo] = (),
        proposals: Iterable[ProposalInfo] = (),
        contradictions: Iterable[tuple[str, str]] = (),
    ) -> "StatementTable":
        """A table from plain records (dicts with StatementRecord's field names)."""
        rows = [r if isinstance(r, StatementRecord) else StatementRecord(**dict(r)) for r in records]
        table = cls(rows, {a.id: a for a in actors}, {p.id: p for p in proposals}, _pairs(contradictions))
        for row in rows:
            table.actors.setdefault(row.actor, ActorInfo(row.actor, row.actor))
            table.proposals.setdefault(row.proposal, ProposalInfo(row.proposal, row.proposal))
        return table

    def actor(self, actor_id: str) -> ActorInfo:
        return self.actors.get(actor_id) or ActorInfo(actor_id, actor_id)

    def proposal(self, proposal_id: str) -> ProposalInfo:
        return self.proposals.get(proposal_id) or ProposalInfo(proposal_id, proposal_id)


TableSource = Union[StatementTable, Source]


def _pairs(pairs: Iterable[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    return frozenset((min(p, q), max(p, q)) for p, q in pairs if p != q)


def read_statements(source: TableSource, *, passages: bool = False) -> StatementTable:
    """Read every stance statement of a graph (rdflib or pyoxigraph) into a table.

    With ``passages``, each record also gets its document's publisher and the
    sentences before and after its quote (:func:`carekg.networks.passages.context`), as
    the HTML view shows them; this reads every document's text, so it is off
    unless asked for.
    """
    if isinstance(source, StatementTable):
        return source
    _, rows = select(source, query_text("network-statements"))
    documents = _documents(source) if passages else {}
    records = []
    for r in rows:
        if r["stance"] not in ("support", "oppose"):
            continue
        document, start, end = str(r["document"]), int(r.get("start") or 0), int(r.get("end") or 0)
        publisher, text = documents.get(document, ("", ""))
        before, after = context(text, start, end) if text and end > start else ("", "")
        records.append(StatementRecord(
            actor=str(r["actor_id"]), proposal=str(r["proposal_id"]), stance=str(r["stance"]), document=document,
            quote=str(r.get("quote") or ""), start=start, end=end, title=str(r.get("title") or ""),
            issued=str(r.get("issued") or ""), statement=str(r["statement"]), publisher=publisher, before=before, after=after,
        ))
    _, agent_rows = select(source, query_text("network-agents"))
    actors = {
        str(r["agent_id"]): ActorInfo(
            str(r["agent_id"]), str(r["label"]), str(r["kind"]),
            "person" if r["kind"] == "person" else _TYPE_NAMES.get(str(r["organisation_type"] or ""), "other"),
            str(r["member_of"] or ""), str(r["succeeded_by"] or ""),
        )
        for r in agent_rows
    }
    _, proposal_rows = select(source, query_text("network-proposals"))
    proposals = {str(r["proposal_id"]): ProposalInfo(str(r["proposal_id"]), str(r["label"]), str(r["theme"] or ""))
                 for r in proposal_rows}
    _, pairs = select(source, query_text("network-contradictions"))
    return StatementTable.from_records(records, actors=actors.values(), proposals=proposals.values(),
                                       contradictions=[(str(r["proposal_id"]), str(r["other_id"])) for r in pairs])


def _documents(source: Source) -> dict[str, tuple[str, str]]:
    """Each document's publisher name and text."""
    _, rows = select(source, query_text("network-documents"))
    documents: dict[str, tuple[str, str]] = {}
    for row in rows:  # ordered by document then publisher: the first publisher name wins
        documents.setdefault(str(row["document"]), (str(row["publisher"] or ""), str(row["text"] or "")))
    return documents


# --- selecting ------------------------------------------------------------------------

def _period(value: str, what: str) -> tuple[str, str]:
    """The first and last day of a date given to year, month or day precision."""
    import re

    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not match:
        raise NetworkError(f"{what} '{value}' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-31"
    return f"{year}-01-01", f"{year}-12-31"


def publication_period(issued: str) -> tuple[str, str]:
    """The first and last day a publication date stands for (``("", "")`` when undated).

    >>> publication_period("2021-08")
    ('2021-08-01', '2021-08-31')
    >>> publication_period("")
    ('', '')
    """
    return _period(issued, "issued") if issued else ("", "")


def _resolve(actor_id: str, table: StatementTable, fold_persons: bool, merge_renamed: bool) -> str:
    seen = {actor_id}
    info = table.actor(actor_id)
    if fold_persons and info.kind == "person" and info.member_of:
        actor_id = info.member_of
        seen.add(actor_id)
    while merge_renamed and table.actor(actor_id).succeeded_by:  # follow rename chains, stop on a cycle
        successor = table.actor(actor_id).succeeded_by
        if successor in seen:
            break
        seen.add(successor)
        actor_id = successor
    return actor_id


def _check_known(values: Iterable[str] | None, known: Iterable[str], what: str) -> set[str] | None:
    if values is None:
        return None
    wanted, known = set(values), set(known)
    unknown = sorted(wanted - known)
    if unknown:
        choices = ", ".join(sorted(known)) or "none in this graph"
        raise NetworkError(f"unknown {what} '{unknown[0]}' (known: {choices})")
    return wanted


def select_statements(
    source: TableSource,
    *,
    themes: Iterable[str] | None = None,
    proposals: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    organisation_types: Iterable[str] | None = None,
    fold_persons: bool = True,
    merge_renamed: bool = False,
    duplicates: str = "document",
    two_mode: bool = False,
) -> StatementTable:
    """The statements a network counts, after folding, merging, filtering and de-duplication.

    Persons are folded into the organisation they speak for (``org:memberOf``)
    unless ``fold_persons`` is false; with ``merge_renamed`` an organisation's
    statements count for its successor (``ckg:succeededBy``, followed to the
    end of a chain). Statements of the unknown author are dropped, as DNA drops
    statements without an actor.

    Dates: a document is inside ``since``/``until`` when its publication period
    overlaps the range, so a document dated only "2021-08" or "2021" counts for
    any window that touches that month or year (DNA would date it to its first
    day). Undated documents are left out whenever a bound is given; how many is
    ``undated_dropped`` of the result.

    ``duplicates="document"`` keeps, within one document, the first statement
    in text order of each actor, proposal and stance; with ``two_mode`` (the
    affiliation network) of each actor and proposal whatever the stance, as
    DNA's exporter does for two-mode networks.

    >>> table = StatementTable.from_records([
    ...     {"actor": "a", "proposal": "p", "stance": "oppose", "document": "d", "start": 40},
    ...     {"actor": "a", "proposal": "p", "stance": "support", "document": "d", "start": 10},
    ... ])
    >>> [r.stance for r in select_statements(table).records]
    ['oppose', 'support']
    >>> [r.stance for r in select_statements(table, two_mode=True).records]
    ['support']
    """
    table = read_statements(source)
    if duplicates not in DUPLICATES:
        raise NetworkError(f"unknown duplicates setting '{duplicates}' (choose {' or '.join(DUPLICATES)})")
    theme_set = _check_known(themes, {p.theme for p in table.proposals.values() if p.theme}, "theme")
    proposal_set = _check_known(proposals, table.proposals, "proposal")
    type_set = _check_known(organisation_types, ORGANISATION_TYPES, "organisation type")
    low = _period(since, "since")[0] if since else None
    high = _period(until, "until")[1] if until else None
    if low and high and low > high:
        raise NetworkError(f"since '{since}' is after until '{until}'")

    candidates: list[tuple[StatementRecord, str]] = []  # (record, the actor it counts for)
    undated: set[str] = set()
    for record in table.records:
        if record.actor == UNKNOWN_AUTHOR or not record.proposal:
            continue
        actor = _resolve(record.actor, table, fold_persons, merge_renamed)
        if theme_set is not None and table.proposal(record.proposal).theme not in theme_set:
            continue
        if proposal_set is not None and record.proposal not in proposal_set:
            continue
        if type_set is not None and table.actor(actor).type not in type_set:
            continue
        if low or high:
            if not record.issued:
                undated.add(record.document)
                continue
            first, last = _period(record.issued, "issued")
            if (low and last < low) or (high and first > high):
                continue
        candidates.append((record, actor))
    if duplicates == "document":
        candidates = _first_in_text_order(candidates, two_mode)

    kept: list[StatementRecord] = []
    merged: dict[str, set[str]] = defaultdict(set)
    for record, actor in candidates:
        if actor != record.actor:
            merged[actor].add(record.actor)
        kept.append(replace(record, actor=actor) if actor != record.actor else record)
    options = {"themes": sorted(theme_set or ()), "proposals": sorted(proposal_set or ()), "since": since or "",
               "until": until or "", "organisation_types": sorted(type_set or ()), "fold_persons": fold_persons,
               "merge_renamed": merge_renamed, "duplicates": duplicates, "two_mode": two_mode}
    return StatementTable(kept, table.actors, table.proposals, table.contradictions,
                          {a: tuple(sorted(ids)) for a, ids in merged.items()}, options, len(undated))


def _first_in_text_order(candidates: list[tuple[StatementRecord, str]], two_mode: bool) -> list[tuple[StatementRecord, str]]:
    """One statement per document, actor, proposal (and stance, unless two-mode): the first in the text."""
    first: dict[tuple[str, ...], int] = {}
    for index, (record, actor) in enumerate(candidates):
        key = (record.document, actor, record.proposal) if two_mode else (record.document, actor, record.proposal, record.stance)
        best = first.get(key)
        if best is None or (record.start, record.end) < (candidates[best][0].start, candidates[best][0].end):
            first[key] = index
    keep = set(first.values())
    return [candidate for index, candidate in enumerate(candidates) if index in keep]


# --- counting -------------------------------------------------------------------------

@dataclass
class _Counts:
    """The actor × proposal count matrices S (support) and O (oppose), and the evidence behind each cell."""

    actors: list[str]
    proposals: list[str]
    support: sparse.csr_matrix
    oppose: sparse.csr_matrix
    cells: dict[str, dict[str, dict[str, list[dict[str, Any]]]]]  # actor → proposal → stance → evidence
    # actor → proposal → support then oppose evidence, made once per cell (see both_sides)
    _both: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)

    def both_sides(self, actor: str, proposal: str) -> list[dict[str, Any]]:
        """The cell's support evidence followed by its oppose evidence.

        Every conflict edge of the actor on the proposal shows this list, so it
        is made once and shared: concatenated per edge, it cost time in
        proportion to edges × statements (a minute at 10,000 documents).
        """
        key = (actor, proposal)
        if key not in self._both:
            cell = self.cells[actor][proposal]
            self._both[key] = cell.get("support", []) + cell.get("oppose", [])
        return self._both[key]


def _counts(table: StatementTable) -> _Counts:
    actors = sorted({r.actor for r in table.records})
    proposals = sorted({r.proposal for r in table.records})
    a_index = {a: i for i, a in enumerate(actors)}
    p_index = {p: j for j, p in enumerate(proposals)}
    cells: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = {}
    rows: dict[str, tuple[list[int], list[int]]] = {"support": ([], []), "oppose": ([], [])}
    for record in table.records:
        rows[record.stance][0].append(a_index[record.actor])
        rows[record.stance][1].append(p_index[record.proposal])
        item = record.evidence(table.proposal(record.proposal).label)
        cells.setdefault(record.actor, {}).setdefault(record.proposal, {}).setdefault(record.stance, []).append(item)
    shape = (len(actors), len(proposals))

    def matrix(stance: str) -> sparse.csr_matrix:
        r, c = rows[stance]
        return sparse.csr_matrix((np.ones(len(r), dtype=np.int64), (r, c)), shape=shape)  # duplicates sum

    return _Counts(actors, proposals, matrix("support"), matrix("oppose"), cells)


def _contradiction_matrix(counts: _Counts, table: StatementTable) -> sparse.csr_matrix:
    index = {p: j for j, p in enumerate(counts.proposals)}
    pairs = [(index[p], index[q]) for p, q in table.contradictions if p in index and q in index]
    rows = [i for i, j in pairs] + [j for i, j in pairs]
    cols = [j for i, j in pairs] + [i for i, j in pairs]
    n = len(counts.proposals)
    return sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(n, n))


def _pair_values(matrix: sparse.spmatrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    if len(rows) == 0:
        return np.zeros(0)
    return np.asarray(sparse.csr_matrix(matrix)[rows, cols]).ravel()


def _denominators(counts: _Counts, normalization: str, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """DNA's one-mode denominators for the pairs (rows[k], cols[k]); 0 means "weight 0"."""
    totals = np.asarray((counts.support + counts.oppose).sum(axis=1)).ravel().astype(float)
    if normalization == "none":
        return np.ones(len(rows))
    if normalization == "average":
        return (totals[rows] + totals[cols]) / 2
    if normalization == "cosine":  # DNA's "cosine" is the product of the totals, not a vector cosine
        return totals[rows] * totals[cols]
    # jaccard over (proposal, stance) cells: m10 + m01 + m11
    cells = sparse.hstack([counts.support, counts.oppose]).tocsr().astype(float)
    present = (cells > 0).astype(float)
    m11 = _pair_values(cells @ cells.T, rows, cols)
    m10 = totals[rows] - _pair_values(cells @ present.T, rows, cols)
    m01 = totals[cols] - _pair_values(present @ cells.T, rows, cols)
    return m10 + m01 + m11


def _normalised(values: np.ndarray, denominators: np.ndarray, normalization: str) -> list[float | int]:
    if normalization == "none":
        return [int(v) for v in values]
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where(denominators > 0, values / np.where(denominators > 0, denominators, 1), 0.0)
    return [float(v) for v in result]


# --- building graphs ------------------------------------------------------------------

def _empty_graph(table: StatementTable, kind: str, normalization: str, min_weight: float, **extra: Any) -> nx.Graph:
    return nx.Graph(kind=kind, normalization=normalization, min_weight=min_weight, statements=len(table.records),
                    filters=dict(table.options), undated_dropped=table.undated_dropped, **extra)


def _add_actor_nodes(graph: nx.Graph, table: StatementTable, counts: _Counts, **extra: Any) -> None:
    for actor in counts.actors:
        info = table.actor(actor)
        positions = []
        for proposal, stances in sorted(counts.cells.get(actor, {}).items()):
            positions.append({
                "id": proposal, "label": table.proposal(proposal).label,
                "support": len(stances.get("support", ())), "oppose": len(stances.get("oppose", ())),
                "evidence": stances.get("support", []) + stances.get("oppose", []),
            })
        graph.add_node(
            actor, label=info.label, kind=info.kind, type=info.type,
            statements=sum(p["support"] + p["oppose"] for p in positions),
            support=sum(p["support"] for p in positions), oppose=sum(p["oppose"] for p in positions),
            documents=len({e["document"] for p in positions for e in p["evidence"]}),
            merged=list(table.merged.get(actor, ())), positions=positions, **extra,
        )


def _check(kind: str, normalization: str) -> None:
    if kind not in KINDS:
        raise NetworkError(f"unknown network kind '{kind}' (choose {', '.join(KINDS)})")
    allowed = TWO_MODE_NORMALIZATIONS if kind == "affiliation" else ONE_MODE_NORMALIZATIONS
    if normalization not in allowed:
        other = "two-mode (affiliation)" if normalization in TWO_MODE_NORMALIZATIONS else "one-mode"
        known = normalization in TWO_MODE_NORMALIZATIONS + ONE_MODE_NORMALIZATIONS
        what = f"normalisation '{normalization}' applies to {other} networks" if known else f"unknown normalisation '{normalization}'"
        raise NetworkError(f"{what}; {kind} takes {', '.join(allowed)}")


def affiliation(source: TableSource, *, normalization: str = "none", min_weight: float = 0, **selection: Any) -> nx.Graph:
    """The two-mode organisation × proposal network.

    Organisation nodes keep their ids (``bipartite=0``); proposal nodes are
    ``"proposal:<id>"`` (``bipartite=1``). An edge's ``weight`` is the number of
    statements (support and opposition together, DNA's ``ignore``), divided by
    the organisation's total (``activity``) or the proposal's (``prominence``);
    ``support``/``oppose`` count each side and ``stance`` is ``support``,
    ``oppose`` or ``mixed``. ``selection`` takes :func:`select_statements`' options.
    As in DNA's two-mode export, ``duplicates="document"`` counts one statement
    per document, organisation and proposal (the first in the text), whatever
    its stance.

    Examples
    --------
    >>> table = StatementTable.from_records([
    ...     {"actor": "a", "proposal": "p", "stance": "support", "document": "d1"},
    ...     {"actor": "a", "proposal": "q", "stance": "oppose", "document": "d1"},
    ...     {"actor": "b", "proposal": "p", "stance": "support", "document": "d2"},
    ... ])
    >>> g = affiliation(table, normalization="activity")
    >>> g["a"]["proposal:p"]["weight"], g["a"]["proposal:q"]["stance"]
    (0.5, 'oppose')
    """
    _check("affiliation", normalization)
    table = select_statements(source, two_mode=True, **selection)
    counts = _counts(table)
    graph = _empty_graph(table, "affiliation", normalization, min_weight)
    _add_actor_nodes(graph, table, counts, bipartite=0)
    column_totals = np.asarray((counts.support + counts.oppose).sum(axis=0)).ravel()
    for j, proposal in enumerate(counts.proposals):
        info = table.proposal(proposal)
        graph.add_node(PROPOSAL_PREFIX + proposal, label=info.label, kind="proposal", type="proposal", theme=info.theme,
                       proposal=proposal, statements=int(column_totals[j]), bipartite=1)
    for actor in counts.actors:
        total = graph.nodes[actor]["statements"]
        for position in graph.nodes[actor]["positions"]:
            count = position["support"] + position["oppose"]
            denominator = {"none": 1, "activity": total,
                           "prominence": graph.nodes[PROPOSAL_PREFIX + position["id"]]["statements"]}[normalization]
            weight: float | int = count if normalization == "none" else count / denominator
            if abs(weight) < min_weight:
                continue
            stance = "mixed" if position["support"] and position["oppose"] else ("support" if position["support"] else "oppose")
            graph.add_edge(actor, PROPOSAL_PREFIX + position["id"], weight=weight, statements=count,
                           support=position["support"], oppose=position["oppose"], stance=stance,
                           proposal_ids=[position["id"]],
                           proposals=[{"id": position["id"], "label": position["label"], "relation": stance,
                                       "evidence": {actor: position["evidence"]}}])
    return graph


# The relations behind a one-mode network's edges, by kind.
_RELATIONS = {"agreement": ("agreement",), "divergence": ("conflict", "contradiction"),
              "subtract": ("agreement", "conflict", "contradiction")}


def _relations(kind: str, contradictions: bool) -> tuple[str, ...]:
    return tuple(r for r in _RELATIONS[kind] if contradictions or r != "contradiction")


def _one_mode(kind: str, source: TableSource, normalization: str, min_weight: float, contradictions: bool,
              selection: dict[str, Any], evidence: bool = True) -> nx.Graph:
    _check(kind, normalization)
    table = select_statements(source, **selection)
    counts = _counts(table)
    graph = _empty_graph(table, kind, normalization, min_weight, contradictions=contradictions and kind != "agreement")
    _add_actor_nodes(graph, table, counts)
    S, O = counts.support, counts.oppose
    congruence = (S @ S.T + O @ O.T).tocsr()
    conflict = (S @ O.T + O @ S.T).tocsr()
    contradiction = (S @ _contradiction_matrix(counts, table) @ S.T).tocsr() if contradictions \
        else sparse.csr_matrix(conflict.shape, dtype=np.int64)
    relevant = {"agreement": congruence, "divergence": conflict + contradiction,
                "subtract": congruence + conflict + contradiction}[kind]
    relations = _relations(kind, contradictions)
    upper = sparse.triu(relevant, k=1).tocoo()  # symmetric with a zero diagonal: each pair once
    order = np.lexsort((upper.col, upper.row))  # row-major, so edges come out in a stable order
    rows, cols = upper.row[order], upper.col[order]
    denominators = _denominators(counts, normalization, rows, cols)
    values = {name: _normalised(_pair_values(m, rows, cols), denominators, normalization)
              for name, m in (("agreement", congruence), ("conflict", conflict), ("contradiction", contradiction))}
    for k, (i, j) in enumerate(zip(rows.tolist(), cols.tolist())):
        a, b = counts.actors[i], counts.actors[j]
        agree, conflict_w, contra_w = values["agreement"][k], values["conflict"][k], values["contradiction"][k]
        attributes: dict[str, Any]
        if kind == "agreement":
            weight, attributes = agree, {}
        elif kind == "divergence":
            weight = conflict_w + contra_w
            attributes = {"conflict": conflict_w, "contradiction": contra_w,
                          "kind": "both" if conflict_w and contra_w else ("conflict" if conflict_w else "contradiction")}
        else:
            weight = agree - conflict_w - contra_w
            attributes = {"agreement": agree, "divergence": conflict_w + contra_w,
                          "conflict": conflict_w, "contradiction": contra_w}
        if weight == 0 or abs(weight) < min_weight:
            continue
        if not evidence:
            graph.add_edge(a, b, weight=weight, **attributes)
            continue
        graph.add_edge(a, b, weight=weight, **attributes, **_edge_evidence(a, b, counts, table, relations))
    return graph


def _edge_evidence(a: str, b: str, counts: _Counts, table: StatementTable, relations: tuple[str, ...]) -> dict[str, Any]:
    """An edge's ``proposals`` (with both sides' statements) and its ``proposal_ids``."""
    proposals = _edge_proposals(a, b, counts, table, relations)
    ids = {p["id"] for p in proposals} | {p["other_id"] for p in proposals if "other_id" in p}
    return {"proposal_ids": sorted(ids), "proposals": proposals}


def _edge_proposals(a: str, b: str, counts: _Counts, table: StatementTable, relations: tuple[str, ...]) -> list[dict[str, Any]]:
    """The proposals behind an edge, each with both sides' statements."""
    cells_a, cells_b = counts.cells.get(a, {}), counts.cells.get(b, {})
    found: list[dict[str, Any]] = []
    for proposal in sorted(cells_a.keys() & cells_b.keys()):
        sa, sb = cells_a[proposal], cells_b[proposal]
        label = table.proposal(proposal).label
        if "agreement" in relations:
            for stance in ("support", "oppose"):
                if stance in sa and stance in sb:
                    found.append({"id": proposal, "label": label, "relation": "agreement", "stance": stance,
                                  "evidence": {a: sa[stance], b: sb[stance]}})
        if "conflict" in relations:
            if ("support" in sa and "oppose" in sb) or ("oppose" in sa and "support" in sb):
                found.append({"id": proposal, "label": label, "relation": "conflict",
                              "evidence": {a: counts.both_sides(a, proposal), b: counts.both_sides(b, proposal)}})
    if "contradiction" in relations:
        for p, q in sorted(table.contradictions):
            for first, second in ((p, q), (q, p)):
                if "support" in cells_a.get(first, {}) and "support" in cells_b.get(second, {}):
                    found.append({"id": first, "label": table.proposal(first).label, "relation": "contradiction",
                                  "other_id": second, "other_label": table.proposal(second).label,
                                  "evidence": {a: cells_a[first]["support"], b: cells_b[second]["support"]}})
    return found


def edge_evidence(source: TableSource, kind: str, pairs: list[tuple[str, str]], *, contradictions: bool = True,
                  **selection: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """The ``proposals`` and ``proposal_ids`` of some edges of a network built with ``evidence=False``.

    Exactly what the ``kind`` network (``agreement``, ``divergence`` or
    ``subtract``) built with ``evidence=True`` and the same options holds on
    those edges, computed for those pairs only.

    >>> table = StatementTable.from_records([
    ...     {"actor": "a", "proposal": "p", "stance": "support", "document": "d1"},
    ...     {"actor": "b", "proposal": "p", "stance": "oppose", "document": "d2"},
    ... ])
    >>> edge_evidence(table, "divergence", [("a", "b")])[("a", "b")]["proposal_ids"]
    ['p']
    """
    if kind not in _RELATIONS:
        raise NetworkError(f"edge evidence is for one-mode networks ({', '.join(_RELATIONS)}), not '{kind}'")
    table = select_statements(source, **selection)
    counts = _counts(table)
    relations = _relations(kind, contradictions and kind != "agreement")
    return {(a, b): _edge_evidence(a, b, counts, table, relations) for a, b in pairs}


def agreement(source: TableSource, *, normalization: str = "none", min_weight: float = 0, evidence: bool = True,
              **selection: Any) -> nx.Graph:
    """The agreement network (DNA congruence): organisations that take the same stance on a proposal.

    ``weight`` = ``Σ_j s_aj·s_bj + o_aj·o_bj``, optionally normalised (``average``,
    ``jaccard``, ``cosine`` as DNA defines them); edges below ``min_weight`` are
    dropped. ``selection`` takes :func:`select_statements`' options. With
    ``evidence=False`` edges carry their weights only, not the proposals and
    statements behind them (see :func:`edge_evidence`): at 10,000 documents
    those are millions of records, which a drawing of the network never reads.

    Examples
    --------
    >>> table = StatementTable.from_records([
    ...     {"actor": "a", "proposal": "p", "stance": "oppose", "document": "d1"},
    ...     {"actor": "b", "proposal": "p", "stance": "oppose", "document": "d2"},
    ...     {"actor": "b", "proposal": "q", "stance": "support", "document": "d2"},
    ... ])
    >>> g = agreement(table, normalization="cosine")
    >>> g["a"]["b"]["weight"], g["a"]["b"]["proposal_ids"]
    (0.5, ['p'])
    """
    return _one_mode("agreement", source, normalization, min_weight, False, selection, evidence)


def divergence(source: TableSource, *, normalization: str = "none", min_weight: float = 0,
               contradictions: bool = True, evidence: bool = True, **selection: Any) -> nx.Graph:
    """The divergence network: DNA conflict, plus support for proposals that contradict each other.

    ``conflict`` = ``Σ_j s_aj·o_bj + o_aj·s_bj``; ``contradiction`` =
    ``Σ_{p contradicts q} s_ap·s_bq + s_aq·s_bp``; ``weight`` is their sum and
    ``kind`` says which (``conflict``, ``contradiction`` or ``both``). With
    ``contradictions=False`` the network is DNA's conflict network exactly;
    ``evidence`` is as for :func:`agreement`.

    Examples
    --------
    >>> table = StatementTable.from_records([
    ...     {"actor": "a", "proposal": "p", "stance": "support", "document": "d1"},
    ...     {"actor": "b", "proposal": "q", "stance": "support", "document": "d2"},
    ... ], contradictions=[("p", "q")])
    >>> g = divergence(table)
    >>> g["a"]["b"]["weight"], g["a"]["b"]["kind"]
    (1, 'contradiction')
    >>> divergence(table, contradictions=False).number_of_edges()
    0
    """
    return _one_mode("divergence", source, normalization, min_weight, contradictions, selection, evidence)


def subtract(source: TableSource, *, normalization: str = "none", min_weight: float = 0,
             contradictions: bool = True, **selection: Any) -> nx.Graph:
    """Agreement minus divergence (DNA ``subtract``); edges whose difference is 0 are left out.

    ``weight`` may be negative; ``min_weight`` compares with its absolute value.
    ``agreement``, ``divergence``, ``conflict`` and ``contradiction`` keep the parts.

    Examples
    --------
    >>> table = StatementTable.from_records([
    ...     {"actor": "a", "proposal": "p", "stance": "support", "document": "d1"},
    ...     {"actor": "b", "proposal": "p", "stance": "oppose", "document": "d2"},
    ... ])
    >>> subtract(table)["a"]["b"]["weight"]
    -1
    """
    return _one_mode("subtract", source, normalization, min_weight, contradictions, selection)


def network(source: TableSource, kind: str, **options: Any) -> nx.Graph:
    """The network of one ``kind`` (``affiliation``, ``agreement``, ``divergence``, ``subtract``)."""
    builders = {"affiliation": affiliation, "agreement": agreement, "divergence": divergence, "subtract": subtract}
    if kind not in builders:
        raise NetworkError(f"unknown network kind '{kind}' (choose {', '.join(KINDS)})")
    if kind in ("affiliation", "agreement"):
        options.pop("contradictions", None)  # only divergence and subtract count contradictions
    return builders[kind](source, **options)
