"""Analysts' review: a spreadsheet round trip, and the extractor scored against their decisions.

- :func:`review_sheet` lists the statements the extractor found in chosen
  documents, one row each with a ``decision`` column (accept, reject,
  change, add; empty for no decision yet), filled in with the decisions the
  graph already holds; :func:`write_review_sheet` writes it as CSV.
- :func:`import_review` reads the filled-in sheet back and merges its
  decisions into the corpus's corrections.csv, never duplicating one.
- :func:`evaluate_decisions` scores the extractor's raw output against the
  analysts' decisions on the documents they reviewed.

The sheet's columns: ``decision``, ``statement_id``, ``document``,
``actor``, ``proposal``, ``stance``, ``quote`` (edit actor, proposal or
stance for a change; fill them all, with the document, for an added
statement), ``by``, ``note``, then for reading only ``extracted`` (what the
extractor said), ``actor_label``, ``proposal_label``, ``start``, ``end``,
``confidence`` and ``decision_id``: for a decision corrections.csv already
holds, its key and a checksum of the row as exported, so that an import
leaves a row nobody touched alone and replaces the decision of one an
analyst edited, never adding it twice.
"""

from __future__ import annotations

import csv
import fnmatch
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from carekg.review.corrections import (Correction, MergeReport, check_row, merge_corrections, read_corrections, same_decision,
                          write_corrections)
from carekg.errors import CorrectionsError
from carekg.networks.export import export_rows
from carekg.store.sparql import Source, query_text, select

__all__ = ["REVIEW_COLUMNS", "ImportReport", "DecisionEvaluation", "review_sheet", "write_review_sheet",
           "import_review", "evaluate_decisions"]

REVIEW_COLUMNS = ("decision", "statement_id", "document", "actor", "proposal", "stance", "quote", "by", "note",
                  "extracted", "actor_label", "proposal_label", "start", "end", "confidence", "decision_id")
# The cells an analyst may edit: a decision_id's checksum covers them.
_EDITABLE = ("decision", "statement_id", "document", "actor", "proposal", "stance", "quote", "by", "note")
DECISIONS = ("accept", "reject", "change", "add")
_VALUES = ("actor", "proposal", "stance")


def _documents(rows: list[dict[str, Any]], patterns: list[str], unreviewed: bool, reviewed: set[str]) -> set[str]:
    """The documents chosen by file-name patterns (``*`` and ``?`` allowed), and/or those nobody reviewed."""
    identifiers = sorted({str(row["document"]) for row in rows})
    chosen: set[str] = set()
    for pattern in patterns:
        matched = [identifier for identifier in identifiers if fnmatch.fnmatchcase(identifier, pattern)]
        if not matched:
            raise CorrectionsError(f"no document of the graph matches '{pattern}'")
        chosen.update(matched)
    if unreviewed:
        chosen.update(identifier for identifier in identifiers if identifier not in reviewed)
    return chosen


def review_sheet(source: Source, documents: list[str] = (), unreviewed: bool = False) -> list[dict[str, Any]]:
    """The review sheet's rows for the chosen documents (``source`` is read, then turned into its raw view).

    Each statement the extractor found gets a row, its ``decision`` and
    values those of the analysts' decision on it when there is one; each
    statement an analyst added gets a row with the decision ``add``.
    """
    from carekg.store.sparql import raw_view

    decisions = select(source, query_text("decisions-review"))[1]
    reviewed = {str(row["document"]) for row in select(source, query_text("decisions-reviewed"))[1]}
    raw_view(source)
    _, extracted = export_rows(source, "statements")
    chosen = _documents(extracted + [{"document": d} for d in reviewed], list(documents), unreviewed, reviewed)
    decided = {str(row["statement_id"]): row for row in decisions if row["statement_id"]}
    sheet = []
    for row in extracted:
        if row["document"] not in chosen:
            continue
        decision = decided.get(row["statement_id"], {})
        values = {name: row[f"{name}_id"] if name != "stance" else row["stance"] for name in _VALUES}
        if decision.get("action") == "change":
            values = {"actor": decision["actor_id"], "proposal": decision["proposal_id"], "stance": decision["stance"]}
        elif decision.get("action") == "add":  # an addition the extractor now finds as well stands as an accept
            decision = dict(decision, action="accept")
        sheet.append({
            "decision": decision.get("action", ""), "statement_id": row["statement_id"], "document": row["document"],
            **values, "quote": row["quote"], "by": decision.get("by", ""), "note": decision.get("note", ""),
            "extracted": f"{row['actor_id']} {row['stance']} {row['proposal_id']}",
            "actor_label": row["actor_label"], "proposal_label": row["proposal_label"],
            "start": row["start"], "end": row["end"], "confidence": row["confidence"],
            "decision_key": decision.get("decision_key", ""),
        })
    for decision in decisions:
        if decision["action"] == "add" and decision["document"] in chosen:
            sheet.append({"decision": "add", "statement_id": "", "document": decision["document"],
                          "actor": decision["actor_id"], "proposal": decision["proposal_id"],
                          "stance": decision["stance"], "quote": decision["quote"], "by": decision["by"],
                          "note": decision["note"], "extracted": "", "actor_label": "", "proposal_label": "",
                          "start": decision["start"], "end": "", "confidence": "", "decision_key": decision["decision_key"]})
    for row in sheet:
        key = row.pop("decision_key", "")
        row["decision_id"] = f"{key}.{_checksum(row)}" if key else ""
    sheet.sort(key=lambda r: (r["document"], int(r["start"]) if str(r["start"]).lstrip("-").isdigit() else 0,
                              r["decision"] == "add", r["statement_id"]))
    return sheet


def _checksum(cells: dict[str, Any]) -> str:
    import hashlib

    content = "\x1f".join(" ".join(str(cells.get(name) or "").split()) for name in _EDITABLE)
    return hashlib.sha1(content.encode("utf-8")).hexdigest()[:8]


def write_review_sheet(rows: list[dict[str, Any]], path: Path | str) -> None:
    """The sheet as CSV (UTF-8 with a byte-order mark, so spreadsheets read it as UTF-8)."""
    from carekg.graph.triples import write_atomic

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REVIEW_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(Path(path), ("\ufeff" + buffer.getvalue()).encode("utf-8"))


@dataclass
class ImportReport:
    """What an import did: the merge, and one problem per sheet row that could not be taken."""

    merge: MergeReport = field(default_factory=MergeReport)
    problems: list[str] = field(default_factory=list)
    decisions: int = 0


def _read_sheet(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise CorrectionsError(f"review sheet '{path}' does not exist") from None
    except UnicodeDecodeError:
        raise CorrectionsError(f"{path.name}: not valid UTF-8; save it as UTF-8 CSV") from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = [dict(row) for row in reader]
    except csv.Error as exc:
        raise CorrectionsError(f"{path.name}: not valid CSV ({exc})") from None
    missing = [c for c in ("decision", "statement_id", "document", *_VALUES, "quote") if c not in (reader.fieldnames or [])]
    if missing:
        raise CorrectionsError(f"{path.name}: missing column(s) {', '.join(missing)}; export a sheet with carekg review export")
    return rows


def _sheet_row(cells: dict[str, str], number: int, by: str | None) -> Correction | str | None:
    """A sheet row as a correction, a problem, or None (no decision)."""
    decision = (cells.get("decision") or "").strip().lower()
    extracted = (cells.get("extracted") or "").split()
    if not decision:
        if len(extracted) == 3 and [(cells.get(n) or "").strip() for n in ("actor", "stance", "proposal")] != extracted:
            return "actor, proposal or stance edited but no decision; write change to keep the edit"
        return None
    if decision not in DECISIONS:
        return f"unknown decision '{decision}'; use one of {', '.join(DECISIONS)} (or leave it empty)"
    values = {name: (cells.get(name) or "").strip() for name in _VALUES}
    if decision == "change" and len(extracted) == 3:
        # Only what the analyst edited goes into corrections.csv, as a hand-written change would.
        was = dict(zip(("actor", "stance", "proposal"), extracted, strict=True))
        values = {name: value if value != was[name] else "" for name, value in values.items()}
    row = {"action": decision, "id": cells.get("statement_id") or "", "by": (cells.get("by") or "").strip() or by or "",
           "note": cells.get("note") or "", "quote": cells.get("quote") or ""}
    if decision in ("change", "add"):
        row.update(values)
    if decision == "add":
        row["document"] = cells.get("document") or ""
    return check_row(row, number)


def import_review(sheet: Path | str, corrections: Path | str, by: str | None = None) -> ImportReport:
    """Merge a filled-in review sheet's decisions into a corrections file (created when missing).

    Rows without a decision are skipped; a bad row is one problem naming its
    row and the others are still imported. The corrections file is refused,
    and left as it is, when it has problems of its own (rewriting it would
    lose its bad rows).
    """
    sheet, corrections = Path(sheet), Path(corrections)
    existing, problems = read_corrections(corrections)
    if problems:
        row, message = problems[0]
        where = f"row {row}: " if row else ""
        raise CorrectionsError(f"{corrections}: {where}{message}; fix it before importing "
                               f"({len(problems)} problem(s); carekg build lists them)")
    report = ImportReport()
    new = []
    keys = {row.key: index for index, row in enumerate(existing)}
    replacing: dict[int, Correction] = {}
    for number, cells in enumerate(_read_sheet(sheet), start=2):
        key, _, checksum = (cells.get("decision_id") or "").strip().partition(".")
        if key in keys and checksum == _checksum(cells):
            report.merge.unchanged += 1  # exported from corrections.csv and left as it was
            continue
        checked = _sheet_row(cells, number, by)
        if checked is None:
            continue
        if isinstance(checked, str):
            report.problems.append(f"{sheet.name}: row {number}: {checked}")
            continue
        if key in keys:  # an analyst edited a decision corrections.csv holds: it replaces that row
            replacing[keys[key]] = checked
        else:
            new.append(checked)
    report.decisions = len(new) + len(replacing) + report.merge.unchanged
    for index, row in replacing.items():
        if same_decision(existing[index], row):
            report.merge.unchanged += 1
        else:
            existing[index] = replace(row, row=existing[index].row)
            report.merge.replaced += 1
    merged, merge = merge_corrections(existing, new)
    report.merge = MergeReport(merge.added, merge.replaced + report.merge.replaced, merge.unchanged + report.merge.unchanged)
    if report.merge.added or report.merge.replaced or not corrections.is_file():
        write_corrections(corrections, merged)
    return report


# --- the extractor against the analysts' decisions -------------------------------------------

@dataclass
class DecisionEvaluation:
    """Scores of the raw extraction against the corrected graph on reviewed documents, and what was reviewed."""

    evaluation: Any  # carekg.review.evaluate.Evaluation
    reviewed: dict[str, list[str]]  # statement|claim|mention → documents with a decision on one
    documents: int  # in the graph
    actions: dict[str, int]
    unreviewed_statements: int
    kept: dict[str, Any] = field(default_factory=dict)  # statement|claim|mention → Score of each one kept as extracted

    def format(self, per_document: bool = False) -> str:
        from carekg.review.evaluate import format_evaluation

        decided = ", ".join(f"{n} {a}" for a, n in sorted(self.actions.items())) or "none"
        lines = [
            f"decisions: {decided}",
            f"reviewed documents: {len(self.reviewed['statement'])} of {self.documents} for statements, "
            f"{len(self.reviewed['claim'])} for claims, {len(self.reviewed['mention'])} for organisations",
            f"unreviewed: {self.unreviewed_statements} statements in documents nobody decided on",
            "kept as extracted (P: share of the extractor's that stand; R: share of what stands the extractor found):",
        ]
        for what, score in self.kept.items():
            lines.append(f"{what + 's (each)':<20} P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f}  "
                         f"({score.correct_predicted}/{score.predicted} extracted kept, "
                         f"{score.found_gold}/{score.gold} standing found by the extractor)")
        lines.append("scored as against gold (units per document; carekg evaluate --gold), on the reviewed documents:")
        return "\n".join(lines + [format_evaluation(self.evaluation, per_document=per_document)])


# Each export's rows are scored on the documents reviewed for it; gold rows are made from the corrected graph.
_CATEGORIES = {"statements": "statement", "claims": "claim", "organisations": "mention"}


def _gold(rows: dict[str, list[dict[str, Any]]]):
    from carekg.review.evaluate import Gold

    return Gold(
        statements=[{"document": r["document"], "actor": r["actor_id"], "proposal": r["proposal_id"],
                     "stance": r["stance"], "explicit": "explicit", "start": str(r["start"]), "end": str(r["end"]),
                     "evidence": r["quote"]} for r in rows["statements"]],
        claims=[{"document": r["document"], "claimant": r["claimant_id"], "kind": r["kind"],
                 "proposal": r["proposal_id"], "required": "yes", "start": str(r["start"]), "end": str(r["end"]),
                 "evidence": r["quote"]} for r in rows["claims"]],
        organisations=[{"document": r["document"], "organisation": r["organisation_id"], "role": r["role"]}
                       for r in rows["organisations"]],
    )


def evaluate_decisions(path: Path | str) -> DecisionEvaluation:
    """Score the extractor's raw output in ``path`` (a built graph) against the analysts' decisions in it.

    On each document an analyst decided on (for statements, claims and
    organisations apart), the corrected graph is the gold: what the analyst
    left alone counts as right, a rejected or changed statement as a false
    positive, a changed or added one as a miss. Scoring is
    :func:`carekg.review.evaluate.evaluate`'s, as against hand-coded gold.
    """
    from carekg.store.sparql import raw_view
    from carekg.review.evaluate import evaluate
    from carekg.networks.export import all_exports
    from carekg.vocab.knowledge import load_knowledge
    from carekg.store.sparql import open_store

    store = open_store(path, writable=True)  # turned into its raw view below
    reviewed: dict[str, list[str]] = {"statement": [], "claim": [], "mention": []}
    for row in select(store, query_text("decisions-reviewed"))[1]:
        reviewed[str(row["target"])].append(str(row["document"]))
    actions: dict[str, int] = {}
    for row in select(store, query_text("corrections"))[1]:
        actions[str(row["action"])] = actions.get(str(row["action"]), 0) + 1
    documents = len(select(store, query_text("decisions-documents"))[1])
    corrected = all_exports(store)
    raw = all_exports(raw_view(store))
    decided = set().union(*reviewed.values())
    unreviewed = sum(1 for r in raw["statements"] if r["document"] not in decided)

    def on_reviewed(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        return {kind: [r for r in rows[kind] if r["document"] in reviewed[_CATEGORIES[kind]]] for kind in rows}

    raw, corrected = on_reviewed(raw), on_reviewed(corrected)
    evaluation = evaluate(raw, _gold(corrected), load_knowledge())
    kept = {what: _kept(raw[kind], corrected[kind], _IDS[kind]) for kind, what in _CATEGORIES.items()}
    return DecisionEvaluation(evaluation, reviewed, documents, actions, unreviewed, kept)


_IDS = {"statements": "statement_id", "claims": "claim_id", "organisations": "mention_id"}


def _kept(raw: list[dict[str, Any]], corrected: list[dict[str, Any]], column: str):
    """Each extracted one that stands unchanged is right; each that stands is gold (analysts' own included)."""
    from carekg.review.evaluate import Score

    extracted, standing = {r[column] for r in raw}, {r[column] for r in corrected}
    kept = len(extracted & standing)
    return Score(correct_predicted=kept, predicted=len(extracted), found_gold=kept, gold=len(standing))
