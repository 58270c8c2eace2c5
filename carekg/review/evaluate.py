"""Scoring extractions against hand-coded gold (tests/gold/README.md).

Works on export rows (dicts with the CSV columns of docs/model.md), so the
same scoring applies to rows made from extractions in memory
(``rows_from_extractions``) and to rows read back from the graph.

- Statements: unit = unique (document, actor, proposal, stance). Actors match
  by label/alias (case, punctuation, a leading "The", apostrophe style
  ignored); a person also matches the organisation they speak for. Recall
  counts explicit gold rows; matching an implied row is no false positive.
  Strict needs the exact proposal, lenient also its broader/narrower
  neighbour. Emergent (non-codebook) proposals are counted apart.
- Claims: same document and spans overlapping by at least half the shorter
  span; recall counts required claims; matching an optional one is no FP.
- Organisations: a gold (document, organisation) is found when a predicted
  organisation or person of that document matches it by name or alias (a
  person as themselves). Optional rows (role ending in "?") never count.
Precision, recall and F1 are micro-averaged over documents.

``carekg evaluate`` builds and scores from the command line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from carekg.errors import EvaluationError
from carekg.extract.text import fold_key, slugify
from carekg.vocab.knowledge import Knowledge, RegisteredAgent
from carekg.vocab.model import UNKNOWN_AUTHOR_ID

__all__ = ["Gold", "Score", "Evaluation", "load_gold", "evaluate", "format_evaluation",
           "evaluate_graph_file", "STATEMENT_COLUMNS", "CLAIM_COLUMNS", "ORGANISATION_COLUMNS"]

STATEMENT_COLUMNS = ["document", "actor_id", "actor_label", "proposal_id", "proposal_label", "stance",
                     "quote", "start", "end", "confidence"]
CLAIM_COLUMNS = ["document", "claim_id", "claimant_label", "kind", "quote", "start", "end", "proposal_id",
                 "values"]
ORGANISATION_COLUMNS = ["document", "organisation_id", "label", "role"]

# Each gold table is the one file of the folder whose name ends in this suffix
# (tests/gold/seed-statements.csv, tests/devset/gold/dev-statements.csv).
_GOLD_FILES = {
    "statements": ("statements.csv", ["document", "actor", "proposal", "stance", "explicit", "start",
                                      "end", "evidence"]),
    "claims": ("claims.csv", ["document", "claimant", "kind", "proposal", "required", "start", "end",
                              "evidence"]),
    "organisations": ("organisations.csv", ["document", "organisation", "role"]),
}


@dataclass(frozen=True)
class Gold:
    statements: list[dict[str, str]]
    claims: list[dict[str, str]]
    organisations: list[dict[str, str]]


@dataclass
class Score:
    correct_predicted: int = 0  # predictions that match gold
    predicted: int = 0
    found_gold: int = 0  # counted gold rows that were found
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.correct_predicted / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.found_gold / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.correct_predicted += other.correct_predicted
        self.predicted += other.predicted
        self.found_gold += other.found_gold
        self.gold += other.gold


CATEGORIES = ("statements_strict", "statements_lenient", "claims", "organisations")


@dataclass
class Evaluation:
    scores: dict[str, Score] = field(default_factory=lambda: {c: Score() for c in CATEGORIES})
    per_document: dict[str, dict[str, Score]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    # the explicit gold statements strict scoring missed, as (document, actor, proposal, stance)
    missed_statements: list[tuple[str, str, str, str]] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    emergent_predicted: int = 0
    emergent_gold: int = 0

    @property
    def statements_strict(self) -> Score:
        return self.scores["statements_strict"]

    @property
    def statements_lenient(self) -> Score:
        return self.scores["statements_lenient"]

    @property
    def claims(self) -> Score:
        return self.scores["claims"]

    @property
    def organisations(self) -> Score:
        return self.scores["organisations"]


# -- loading gold ----------------------------------------------------------------------
def gold_files(gold_dir: Path) -> dict[str, Path]:
    """The folder's one ``*statements.csv``, ``*claims.csv`` and
    ``*organisations.csv``; a folder holding none of them but a ``gold/``
    subfolder (texts beside their gold) is read through that subfolder."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise EvaluationError(f"gold folder not found: {gold_dir}")
    csvs = sorted(p for p in gold_dir.iterdir() if p.is_file() and p.name.lower().endswith(".csv"))
    suffixes = [suffix for suffix, _ in _GOLD_FILES.values()]
    if not any(p.name.lower().endswith(s) for p in csvs for s in suffixes) and (gold_dir / "gold").is_dir():
        return gold_files(gold_dir / "gold")
    found: dict[str, Path] = {}
    for key, (suffix, _) in _GOLD_FILES.items():
        paths = [p for p in csvs if p.name.lower().endswith(suffix)]
        if not paths:
            raise EvaluationError(f"gold file missing: no *{suffix} in {gold_dir}")
        if len(paths) > 1:
            raise EvaluationError(f"ambiguous gold files in {gold_dir}: "
                                  f"{', '.join(p.name for p in paths)} all end in {suffix}")
        found[key] = paths[0]
    return found


def load_gold(gold_dir: Path) -> Gold:
    """Read the three gold CSVs (any ``<prefix>statements.csv``,
    ``<prefix>claims.csv``, ``<prefix>organisations.csv``, one of each);
    EvaluationError on missing, ambiguous or malformed files."""
    paths = gold_files(Path(gold_dir))
    tables: dict[str, list[dict[str, str]]] = {}
    for key, (_, columns) in _GOLD_FILES.items():
        path = paths[key]
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = [c for c in columns if c not in (reader.fieldnames or [])]
                if missing:
                    raise EvaluationError(f"{path}: missing column(s) {', '.join(missing)}")
                rows = [dict(row) for row in reader]
        except (UnicodeDecodeError, csv.Error) as error:
            raise EvaluationError(f"{path}: unreadable CSV: {error}") from error
        for number, row in enumerate(rows, start=2):
            if any(row.get(c) is None for c in columns):
                raise EvaluationError(f"{path}:{number}: too few fields")
            if "start" in columns:
                _check_offsets(path, number, row)
            if key == "statements" and row["stance"] not in ("support", "oppose"):
                raise EvaluationError(f"{path}:{number}: stance must be support or oppose, not {row['stance']!r}")
            if key == "statements" and row["explicit"] not in ("explicit", "implied"):
                raise EvaluationError(f"{path}:{number}: explicit must be explicit or implied")
        tables[key] = rows
    return Gold(tables["statements"], tables["claims"], tables["organisations"])


def _check_offsets(path: Path, number: int, row: dict[str, str]) -> None:
    try:
        start, end = int(row["start"]), int(row["end"])
    except (TypeError, ValueError):
        raise EvaluationError(f"{path}:{number}: start/end must be integers") from None
    if start < 0 or end < start:
        raise EvaluationError(f"{path}:{number}: bad span {start}-{end}")


# -- matching helpers ----------------------------------------------------------------
def load_scoring_registry(gold_dir: Path | str) -> list[RegisteredAgent]:
    """Extra names for scoring only: the ``organisations.yaml`` in the gold
    folder or the folder above it (a hand-coded corpus names actors the
    project's registry lacks). Never used as extraction knowledge.
    """
    gold_dir = Path(gold_dir)
    for folder in (gold_dir, gold_dir.parent):
        path = folder / "organisations.yaml"
        if path.is_file():
            break
    else:
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries = data.get("organisations", []) if isinstance(data, dict) else []
        return [RegisteredAgent(str(e["id"]), str(e.get("name") or e["id"]),
                                tuple(str(a) for a in e.get("aliases") or ()), str(e.get("type") or "other"),
                                e.get("member_of"), e.get("role"), e.get("succeeded_by"), e.get("change"))
                for e in entries]
    except (yaml.YAMLError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as error:
        raise EvaluationError(f"{path}: unreadable registry: {error}") from error


class _Names:
    """Folded names and aliases of every registry agent (plus the scoring
    registry's), and persons' organisations."""

    def __init__(self, knowledge: Knowledge, extra: list[RegisteredAgent] = ()):
        self.knowledge = knowledge
        self.agents = {**{a.id: a for a in extra}, **knowledge.agents}
        self.keys: dict[str, set[str]] = {}
        for agent in self.agents.values():
            self.keys[agent.id] = {fold_key(n) for n in (agent.name, *agent.aliases)}

    def is_agent(self, gold_id: str, label: str, agent_id: str) -> bool:
        if agent_id == gold_id:
            return True
        return fold_key(label) in self.keys.get(gold_id, {fold_key(gold_id)})

    def speaks_for(self, gold_id: str, row: dict) -> bool:
        """The row's actor, or the person's organisation, is the gold actor."""
        if self.is_agent(gold_id, row.get("actor_label", ""), row.get("actor_id", "")):
            return True
        member = row.get("actor_member_of") or None
        if not member:
            for agent in self.agents.values():
                if agent.type == "person" and self.is_agent(agent.id, row.get("actor_label", ""),
                                                            row.get("actor_id", "")):
                    member = agent.member_of
                    break
        # gold names an organisation outside the registry by its name, the
        # graph by its slug: compare both ways
        return bool(member) and (member == gold_id or member == slugify(gold_id)
                                 or self.is_agent(gold_id, member, member))


def _int(row: dict, key: str) -> int:
    try:
        return int(float(row.get(key) or 0))
    except (TypeError, ValueError):
        return 0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shorter = min(a[1] - a[0], b[1] - b[0])
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= shorter / 2


# -- evaluation ----------------------------------------------------------------------
def evaluate(predicted: dict[str, list[dict]], gold: Gold, knowledge: Knowledge,
             extra_names: list[RegisteredAgent] = ()) -> Evaluation:
    names = _Names(knowledge, extra_names)
    ev = Evaluation()
    docs = sorted({r["document"] for r in gold.statements + gold.claims + gold.organisations}
                  | {r.get("document", "") for rows in predicted.values() for r in rows} - {""})
    for doc in docs:
        ev.per_document[doc] = {c: Score() for c in CATEGORIES}
        _statements(doc, [r for r in predicted.get("statements", []) if r.get("document") == doc],
                    [r for r in gold.statements if r["document"] == doc], names, knowledge, ev)
        _claims(doc, [r for r in predicted.get("claims", []) if r.get("document") == doc],
                [r for r in gold.claims if r["document"] == doc], ev)
        _organisations(doc, [r for r in predicted.get("organisations", []) if r.get("document") == doc],
                       [r for r in gold.organisations if r["document"] == doc], names, ev)
        for category, score in ev.per_document[doc].items():
            ev.scores[category].add(score)
    return ev


def _neighbours(knowledge: Knowledge, a: str, b: str) -> bool:
    pa, pb = knowledge.proposals.get(a), knowledge.proposals.get(b)
    return a == b or (pa is not None and pa.broader == b) or (pb is not None and pb.broader == a)


def gold_statement_units(gold_rows: list[dict], knowledge: Knowledge) -> dict[tuple[str, str, str], bool]:
    """The gold units (actor, proposal, stance) of codebook proposals, each
    with whether some row of it is explicit (only those count for recall)."""
    gold_units: dict[tuple[str, str, str], bool] = {}
    for g in gold_rows:
        if g["proposal"] in knowledge.proposals:
            unit = (g["actor"], g["proposal"], g["stance"])
            gold_units[unit] = gold_units.get(unit, False) or g["explicit"] == "explicit"
    return gold_units


def predicted_statement_units(rows: list[dict], knowledge: Knowledge
                              ) -> dict[tuple[str, str, str, str], list[dict]]:
    """The predicted units (actor id, actor label, proposal, stance) of codebook
    proposals with their rows, in row order; a unit is judged by its first row."""
    units: dict[tuple[str, str, str, str], list[dict]] = {}
    for r in rows:
        if r.get("proposal_id", "") in knowledge.proposals:
            units.setdefault((r.get("actor_id", ""), r.get("actor_label", ""), r["proposal_id"], r["stance"]),
                             []).append(r)
    return units


def _statements(doc: str, rows: list[dict], gold_rows: list[dict], names: _Names,
                knowledge: Knowledge, ev: Evaluation) -> None:
    gold_units = gold_statement_units(gold_rows, knowledge)
    ev.emergent_gold += sum(1 for g in gold_rows if g["proposal"] not in knowledge.proposals)
    units = {unit: unit_rows[0] for unit, unit_rows in predicted_statement_units(rows, knowledge).items()}
    ev.emergent_predicted += sum(1 for r in rows if r.get("proposal_id", "") not in knowledge.proposals)
    for category, same in (("statements_strict", lambda a, b: a == b),
                           ("statements_lenient", lambda a, b: _neighbours(knowledge, a, b))):
        score = ev.per_document[doc][category]
        found: set[tuple[str, str, str]] = set()
        for (actor_id, label, proposal, stance), row in units.items():
            hits = [u for u in gold_units if u[2] == stance and same(proposal, u[1]) and names.speaks_for(u[0], row)]
            score.predicted += 1
            if hits:
                score.correct_predicted += 1
                found.update(hits)
            elif category == "statements_strict":
                ev.false_positives.append(f"{doc}\tstatement\t{actor_id}\t{proposal}\t{stance}\t"
                                          f"{_short(row.get('quote', ''))}")
        explicit = [u for u, is_explicit in gold_units.items() if is_explicit]
        score.gold += len(explicit)
        score.found_gold += sum(1 for u in explicit if u in found)
        if category == "statements_strict":
            for u in explicit:
                if u not in found:
                    ev.missed_statements.append((doc, *u))
                    evidence = next((g["evidence"] for g in gold_rows
                                     if (g["actor"], g["proposal"], g["stance"]) == u), "")
                    ev.misses.append(f"{doc}\tstatement\t{u[0]}\t{u[1]}\t{u[2]}\t{_short(evidence)}")


def _claims(doc: str, rows: list[dict], gold_rows: list[dict], ev: Evaluation) -> None:
    score = ev.per_document[doc]["claims"]
    gold_spans = [((_int(g, "start"), _int(g, "end")), g.get("required", "yes") != "no", g) for g in gold_rows]
    found: set[int] = set()
    for r in rows:
        span = (_int(r, "start"), _int(r, "end"))
        hits = [i for i, (g, _, _) in enumerate(gold_spans) if _overlap(span, g)]
        score.predicted += 1
        if hits:
            score.correct_predicted += 1
            found.update(hits)
        else:
            ev.false_positives.append(f"{doc}\tclaim\t{r.get('kind', '')}\t{span[0]}-{span[1]}\t"
                                      f"{_short(r.get('quote', ''))}")
    for i, (span, required, g) in enumerate(gold_spans):
        if required:
            score.gold += 1
            if i in found:
                score.found_gold += 1
            else:
                ev.misses.append(f"{doc}\tclaim\t{g.get('kind', '')}\t{span[0]}-{span[1]}\t"
                                 f"{_short(g.get('evidence', ''))}")


def _organisations(doc: str, rows: list[dict], gold_rows: list[dict], names: _Names, ev: Evaluation) -> None:
    score = ev.per_document[doc]["organisations"]
    gold_orgs: dict[str, bool] = {}
    for g in gold_rows:
        required = not g["role"].endswith("?")
        gold_orgs[g["organisation"]] = gold_orgs.get(g["organisation"], False) or required
    predicted: dict[tuple[str, str], dict] = {}
    for r in rows:
        if r.get("organisation_id") == UNKNOWN_AUTHOR_ID:
            continue
        predicted.setdefault((r.get("organisation_id", ""), fold_key(r.get("label", ""))), r)
    found: set[str] = set()
    for (agent_id, _), r in predicted.items():
        hits = [o for o in gold_orgs if names.is_agent(o, r.get("label", ""), agent_id)]
        score.predicted += 1
        if hits:
            score.correct_predicted += 1
            found.update(hits)
        else:
            ev.false_positives.append(f"{doc}\torganisation\t{agent_id}\t{r.get('label', '')}\t{r.get('role', '')}")
    for org, required in gold_orgs.items():
        if required:
            score.gold += 1
            if org in found:
                score.found_gold += 1
            else:
                ev.misses.append(f"{doc}\torganisation\t{org}")


def _short(text: str, size: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[:size - 1] + "…"


def format_evaluation(ev: Evaluation, per_document: bool = False) -> str:
    """Scores first, then one miss / false positive per line."""
    def line(name: str, s: Score) -> str:
        return (f"{name:<20} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}  "
                f"({s.correct_predicted}/{s.predicted} predicted, {s.found_gold}/{s.gold} gold)")

    out = [line(c, ev.scores[c]) for c in CATEGORIES]
    out.append(f"emergent (not scored): {ev.emergent_predicted} predicted, {ev.emergent_gold} gold")
    if per_document:
        for doc, scores in ev.per_document.items():
            out.append(f"-- {doc}")
            out.extend("   " + line(c, scores[c]) for c in CATEGORIES)
    out.extend(f"MISS\t{m}" for m in ev.misses)
    out.extend(f"FP\t{f}" for f in ev.false_positives)
    return "\n".join(out)


def evaluate_graph_file(graph: Path | str, gold_dir: Path | str) -> Evaluation:
    """Score the graph file's exports (the rows ``carekg export`` writes) against gold."""
    from carekg.networks.export import all_exports
    from carekg.vocab.knowledge import load_knowledge
    from carekg.store.sparql import open_store

    gold = load_gold(Path(gold_dir))
    extra = load_scoring_registry(gold_files(Path(gold_dir))["statements"].parent)
    return evaluate(all_exports(open_store(graph)), gold, load_knowledge(), extra)
