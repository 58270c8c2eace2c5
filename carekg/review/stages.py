"""A stage report: which extraction stage loses the gold stance statements.

The extractor finds a position in a sentence, then the proposal, the stance
and the holder (README "Extraction quality"). ``carekg evaluate --stages``
scores each of these stages on the gold passages, so the weak one shows:

- **Passages**: the explicit gold statement rows whose proposal is in the
  codebook (``knowledge.proposals``); each row's (start, end) is its passage.
- **Position found** (recall of positions): some predicted statement of the
  same document overlaps the passage. Overlap is the claims rule of
  ``carekg.review.evaluate._overlap``: the spans share at least half the length of
  the shorter one. A prediction with an emergent (non-codebook) proposal
  counts as a position found, with a proposal that cannot be right.
- **Proposal right** | position found: some overlapping prediction has the
  gold proposal (top 1); lenient also accepts its broader or narrower
  neighbour (``_neighbours``). Hook: a predicted row may carry an optional
  ``alternatives`` column (the extractor's runners-up, best first, separated
  by ``;``, ``|`` or ``,``, or a list); when any row has one, "top 3" counts
  the passages whose gold proposal is the row's proposal or one of its first
  two alternatives. The exports have no such column today, so no top-3 line
  is printed.
- **Stance right** | proposal right (top 1): some overlapping prediction has
  the gold proposal and stance.
- **Holder right** | proposal and stance right: such a prediction's actor
  speaks for the gold actor (``_Names.speaks_for``: label/alias, or a
  person's organisation).

Next to the passage chain, the unit scores of ``statements_strict``
(unit = document, actor, proposal, stance; found anywhere in the document) and
their errors by kind:

- **False positives**: every predicted codebook unit that matches no gold
  unit (the rule of the strict false positives of ``carekg.review.evaluate``:
  matching an implied gold row is no false positive). Classified by the gold
  rows (explicit or implied, any proposal) its spans overlap, the closest
  miss first: *wrong holder* (a gold row there has its proposal and stance),
  *wrong stance* (one has its proposal), *other proposal* (gold has a
  position there, on another proposal), *no gold position* (it overlaps no
  gold row of the document).
- **Misses**: every explicit gold unit that no predicted unit matches,
  classified by the predictions (emergent ones included) that overlap its
  passage, the closest first: *wrong holder* (one has its proposal and
  stance), *wrong stance* (one has its proposal), *another proposal*, or
  *nothing at the passage*.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from carekg.review.evaluate import Gold, _int, _Names, _neighbours, _overlap, _short, gold_statement_units, \
    predicted_statement_units
from carekg.vocab.knowledge import Knowledge, RegisteredAgent

__all__ = ["StageCounts", "StageReport", "stage_report", "stage_report_for_graph",
           "FP_KINDS", "MISS_KINDS"]

# kinds of error, in the order they are printed (farthest from right first)
FP_KINDS = ("no gold position", "other proposal", "wrong stance", "wrong holder")
MISS_KINDS = ("nothing at the passage", "another proposal", "wrong stance", "wrong holder")
TOP_K = 3

Span = tuple[int, int]


@dataclass
class StageCounts:
    """The counts of one document, or of all of them (``add``)."""

    passages: int = 0          # explicit gold rows with a codebook proposal
    position: int = 0          # ... with a prediction overlapping
    proposal: int = 0          # ... and one of them with the gold proposal (top 1)
    proposal_lenient: int = 0  # ... or its broader/narrower neighbour (given a position)
    proposal_top: int = 0      # ... the gold proposal among a prediction's first TOP_K (given a position)
    stance: int = 0            # ... with the gold proposal and stance
    holder: int = 0            # ... and an actor speaking for the gold actor
    gold_units: int = 0        # explicit codebook gold units (statements_strict gold)
    found_units: int = 0       # ... found (statements_strict found_gold)
    predicted_units: int = 0   # codebook predicted units (statements_strict predicted)
    false_positives: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FP_KINDS, 0))
    misses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MISS_KINDS, 0))
    fp_neighbour: int = 0      # "other proposal" false positives whose proposal neighbours the gold one
    miss_neighbour: int = 0    # "another proposal" misses where a prediction has a neighbour proposal

    def add(self, other: "StageCounts") -> None:
        for name in ("passages", "position", "proposal", "proposal_lenient", "proposal_top", "stance",
                     "holder", "gold_units", "found_units", "predicted_units", "fp_neighbour",
                     "miss_neighbour"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, count in other.false_positives.items():
            self.false_positives[kind] += count
        for kind, count in other.misses.items():
            self.misses[kind] += count

    @property
    def fp_total(self) -> int:
        return sum(self.false_positives.values())

    @property
    def miss_total(self) -> int:
        return sum(self.misses.values())


@dataclass
class StageReport:
    total: StageCounts = field(default_factory=StageCounts)
    per_document: dict[str, StageCounts] = field(default_factory=dict)
    # one (kind, document, actor, proposal, stance, quote) per false positive / miss
    false_positive_items: list[tuple[str, ...]] = field(default_factory=list)
    miss_items: list[tuple[str, ...]] = field(default_factory=list)
    has_alternatives: bool = False  # some predicted row carried an ``alternatives`` column

    def format(self, per_document: bool = False) -> str:
        """The stages, one line each with count and share, then the errors by kind."""
        out = ["Stages on the explicit gold passages (codebook proposals):"]
        out.extend(_stage_lines(self.total, self.has_alternatives))
        out.extend(_error_lines(self.total))
        if per_document:
            for doc, counts in self.per_document.items():
                out.append(f"-- {doc}: {_document_line(counts)}")
        return "\n".join(out)


def _share(part: int, whole: int) -> str:
    return f"{part:>4}/{whole:<4} {part / whole:6.1%}" if whole else f"{part:>4}/{whole:<4}    n/a"


def _stage_lines(c: StageCounts, alternatives: bool) -> list[str]:
    lines = [f"  gold passages                                {c.passages:>4}",
             f"  position found at the passage           {_share(c.position, c.passages)}",
             f"  proposal right | position (top 1)       {_share(c.proposal, c.position)}",
             f"  proposal right | position (lenient)     {_share(c.proposal_lenient, c.position)}"]
    if alternatives:
        lines.append(f"  proposal right | position (top {TOP_K})       {_share(c.proposal_top, c.position)}")
    lines += [f"  stance right | proposal right           {_share(c.stance, c.proposal)}",
              f"  holder right | proposal+stance right    {_share(c.holder, c.stance)}",
              f"  all right at the passage                {_share(c.holder, c.passages)}",
              "Units (statements_strict, anywhere in the document):",
              f"  gold units found (recall)               {_share(c.found_units, c.gold_units)}",
              f"  predicted units right (precision)       "
              f"{_share(c.predicted_units - c.fp_total, c.predicted_units)}"]
    return lines


def _error_lines(c: StageCounts) -> list[str]:
    lines = [f"False positives by kind                   {c.fp_total:>4}"]
    for kind in FP_KINDS:
        note = f"  ({c.fp_neighbour} a broader/narrower neighbour)" if kind == "other proposal" else ""
        lines.append(f"  {kind:<38}{_share(c.false_positives[kind], c.fp_total)}{note}")
    lines.append(f"Misses by kind                            {c.miss_total:>4}")
    for kind in MISS_KINDS:
        note = f"  ({c.miss_neighbour} with a broader/narrower neighbour)" if kind == "another proposal" else ""
        lines.append(f"  {kind:<38}{_share(c.misses[kind], c.miss_total)}{note}")
    return lines


def _document_line(c: StageCounts) -> str:
    fps = ", ".join(f"{kind} {c.false_positives[kind]}" for kind in FP_KINDS)
    misses = ", ".join(f"{kind} {c.misses[kind]}" for kind in MISS_KINDS)
    return (f"passages {c.passages}, position {c.position}/{c.passages}, proposal {c.proposal}/{c.position}, "
            f"stance {c.stance}/{c.proposal}, holder {c.holder}/{c.stance}; "
            f"FP {c.fp_total} ({fps}); misses {c.miss_total} ({misses})")


# -- computing ---------------------------------------------------------------------------
def _span(row: dict) -> Span:
    return (_int(row, "start"), _int(row, "end"))


def _alternatives(row: dict) -> list[str] | None:
    """The row's runners-up, best first, or None when the row has no such column."""
    value = row.get("alternatives")
    if value is None or value == "":
        return None
    if isinstance(value, str):
        for separator in (";", "|", ","):
            value = value.replace(separator, " ")
        return value.split()
    return [str(v) for v in value]


def stage_report(predicted_rows: Iterable[dict] | dict[str, list[dict]], gold: Gold, knowledge: Knowledge,
                 extra_names: Sequence[RegisteredAgent] = ()) -> StageReport:
    """Score each stage on the gold passages (module docstring).

    ``predicted_rows`` are statement export rows, or the dict of every export
    kind (``carekg.networks.export.all_exports``), of which the statements are read.
    """
    if isinstance(predicted_rows, dict):
        predicted_rows = predicted_rows.get("statements", [])
    rows = list(predicted_rows)
    names = _Names(knowledge, list(extra_names))
    report = StageReport(has_alternatives=any(_alternatives(r) is not None for r in rows))
    docs = sorted({g["document"] for g in gold.statements} | {r.get("document", "") for r in rows} - {""})
    for doc in docs:
        counts = StageCounts()
        _document(doc, [r for r in rows if r.get("document") == doc],
                  [g for g in gold.statements if g["document"] == doc], names, knowledge, counts, report)
        report.per_document[doc] = counts
        report.total.add(counts)
    return report


def _document(doc: str, rows: list[dict], gold_rows: list[dict], names: _Names, knowledge: Knowledge,
              counts: StageCounts, report: StageReport) -> None:
    codebook = knowledge.proposals
    spans = [(_span(r), r) for r in rows]

    # the passage chain
    for g in gold_rows:
        if g["explicit"] != "explicit" or g["proposal"] not in codebook:
            continue
        counts.passages += 1
        near = [r for span, r in spans if _overlap(span, _span(g))]
        if not near:
            continue
        counts.position += 1
        proposal = [r for r in near if r.get("proposal_id") == g["proposal"]]
        counts.proposal_lenient += any(_neighbours(knowledge, r.get("proposal_id", ""), g["proposal"])
                                       for r in near)
        counts.proposal_top += any(g["proposal"] in [r.get("proposal_id"), *(_alternatives(r) or [])][:TOP_K]
                                   for r in near)
        if not proposal:
            continue
        counts.proposal += 1
        stance = [r for r in proposal if r.get("stance") == g["stance"]]
        if not stance:
            continue
        counts.stance += 1
        counts.holder += any(names.speaks_for(g["actor"], r) for r in stance)

    # units, as statements_strict makes them
    gold_units = gold_statement_units(gold_rows, knowledge)
    units = predicted_statement_units(rows, knowledge)
    found: set[tuple[str, str, str]] = set()
    for (actor_id, _, proposal, stance), unit_rows in units.items():
        counts.predicted_units += 1
        # evaluate() judges a unit by its first row
        hits = [u for u in gold_units if u[1] == proposal and u[2] == stance and names.speaks_for(u[0], unit_rows[0])]
        if hits:
            found.update(hits)
            continue
        gold_near = [g for g in gold_rows if any(_overlap(_span(r), _span(g)) for r in unit_rows)]
        same_proposal = [g for g in gold_near if g["proposal"] == proposal]
        if any(g["stance"] == stance for g in same_proposal):
            kind = "wrong holder"
        elif same_proposal:
            kind = "wrong stance"
        elif gold_near:
            kind = "other proposal"
            counts.fp_neighbour += any(_neighbours(knowledge, proposal, g["proposal"]) for g in gold_near)
        else:
            kind = "no gold position"
        counts.false_positives[kind] += 1
        report.false_positive_items.append((kind, doc, actor_id, proposal, stance,
                                            _short(unit_rows[0].get("quote", ""))))

    for unit, is_explicit in gold_units.items():
        if not is_explicit:
            continue
        counts.gold_units += 1
        if unit in found:
            counts.found_units += 1
            continue
        actor, proposal, stance = unit
        passages = [g for g in gold_rows if (g["actor"], g["proposal"], g["stance"]) == unit]
        near = [r for span, r in spans if any(_overlap(span, _span(g)) for g in passages)]
        same_proposal = [r for r in near if r.get("proposal_id") == proposal]
        if any(r.get("stance") == stance for r in same_proposal):
            kind = "wrong holder"
        elif same_proposal:
            kind = "wrong stance"
        elif near:
            kind = "another proposal"
            counts.miss_neighbour += any(_neighbours(knowledge, r.get("proposal_id", ""), proposal) for r in near)
        else:
            kind = "nothing at the passage"
        counts.misses[kind] += 1
        report.miss_items.append((kind, doc, actor, proposal, stance, _short(passages[0].get("evidence", ""))))


def stage_report_for_graph(graph: Path | str, gold_dir: Path | str) -> StageReport:
    """The stage report of a graph file's exports against the gold folder (as ``evaluate_graph_file``)."""
    from carekg.review.evaluate import gold_files, load_gold, load_scoring_registry
    from carekg.networks.export import all_exports
    from carekg.vocab.knowledge import load_knowledge
    from carekg.store.sparql import open_store

    gold = load_gold(Path(gold_dir))
    extra = load_scoring_registry(gold_files(Path(gold_dir))["statements"].parent)
    return stage_report(all_exports(open_store(graph)), gold, load_knowledge(), extra)
