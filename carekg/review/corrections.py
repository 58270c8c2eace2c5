"""The analysts' corrections file: ``corrections.csv`` in a corpus folder.

One row per decision an analyst took on what the extractor found; ``carekg
build`` applies them after extraction, on every build (``carekg.review.decisions``).
Columns (any order; only ``action`` is required, a missing column is empty):

- ``action``: for stance statements ``accept``, ``reject``, ``change``, ``add``;
  for evidence claims the same with ``-claim`` (``reject-claim`` …); for the
  agents a document names (the organisations export) the same with
  ``-mention`` (``reject-mention`` …).
- ``id``: what an accept, reject or change decides: a ``statement_id`` of
  statements.csv, a ``claim_id`` of claims.csv or a ``mention_id`` of
  organisations.csv.
- ``document``, ``actor``, ``proposal``, ``stance``, ``kind``, ``role``,
  ``quote``: the values of an addition, or the new values of a change (each
  non-empty one replaces the extracted value). ``actor`` is a registry id or
  name (the claimant, for claims), ``proposal`` a codebook id or
  ``emergent:<slug>``, ``stance`` support or oppose, ``kind`` a claim kind,
  ``role`` author, speaker, mentioned or cited-source.
- ``by`` (who decided; required) and ``note``, kept in the graph.

Reading checks each row on its own (known action, the fields that action
needs, known stance/kind/role); whether its ids, actors and proposals exist is
checked against the graph when the build applies it. A bad row is one
problem naming its row, never an exception; the other rows still count.

>>> rows, problems = parse_corrections("action,id,by\\nreject,st:a.txt/x/p/1-5,Ann\\nsmite,,Ann\\n")
>>> rows[0].action, rows[0].id, rows[0].row
('reject', 'a.txt/x/p/1-5', 2)
>>> problems
[(3, "unknown action 'smite'; use one of accept, reject, change, add, accept-claim, reject-claim, change-claim, add-claim, accept-mention, reject-mention, change-mention, add-mention")]
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from carekg.review.anchors import passage_key
from carekg.ingest.corpus import CORRECTIONS_NAME
from carekg.errors import CorrectionsError
from carekg.vocab.namespace import CL, ST

__all__ = [
    "CORRECTIONS_NAME", "COLUMNS", "ACTIONS", "STANCES", "KINDS", "ROLES", "Correction", "MergeReport",
    "check_row", "parse_corrections", "read_corrections", "corrections_text", "merge_corrections", "write_corrections",
    "mention_id", "split_mention_id", "same_decision",
]

COLUMNS = ("action", "id", "document", "actor", "proposal", "stance", "kind", "role", "quote", "by", "note")
VERBS = ("accept", "reject", "change", "add")
TARGETS = {"": "statement", "-claim": "claim", "-mention": "mention"}
ACTIONS = tuple(f"{verb}{suffix}" for suffix in TARGETS for verb in VERBS)
STANCES = ("support", "oppose")
KINDS = ("statistic", "research-finding", "assertion")
ROLES = ("author", "speaker", "mentioned", "cited-source")
# What each target's id names, for error lines.
ID_NAMES = {"statement": "a statement_id of statements.csv", "claim": "a claim_id of claims.csv",
            "mention": "a mention_id of organisations.csv"}
# The fields a change may set, per target.
CHANGEABLE = {"statement": ("actor", "proposal", "stance"), "claim": ("actor", "proposal", "kind"),
              "mention": ("actor", "role")}
# The fields an addition needs, per target (a claim's kind defaults to assertion, a mention's role to mentioned).
ADDITION_NEEDS = {"statement": ("document", "actor", "proposal", "stance", "quote"),
                  "claim": ("document", "actor", "quote"), "mention": ("document", "actor")}


@dataclass(frozen=True)
class Correction:
    """One decision (a row of corrections.csv); ``row`` is its row number, the header being row 1."""

    action: str
    id: str = ""
    document: str = ""
    actor: str = ""
    proposal: str = ""
    stance: str = ""
    kind: str = ""
    role: str = ""
    quote: str = ""
    by: str = ""
    note: str = ""
    row: int = 0

    def __post_init__(self) -> None:
        # What an addition may leave out: a claim is an assertion, an agent is mentioned.
        if self.action == "add-claim" and not self.kind:
            object.__setattr__(self, "kind", "assertion")
        if self.action == "add-mention" and not self.role:
            object.__setattr__(self, "role", "mentioned")

    @property
    def verb(self) -> str:
        """accept, reject, change or add."""
        return self.action.split("-", 1)[0]

    @property
    def target(self) -> str:
        """statement, claim or mention."""
        return self.action.partition("-")[2] or "statement"

    @property
    def key(self) -> str:
        """A stable identity of the decision: everything but who decided, the note and the row.

        Two rows with the same key are the same decision; the key also names the
        decision in the graph (``corr:<key>``), so rebuilds give the same IRIs.
        """
        content = "\x1f".join([self.action, self.id, self.document, self.actor, self.proposal, self.stance,
                               self.kind, self.role, " ".join(self.quote.split())])
        return hashlib.sha1(content.encode("utf-8")).hexdigest()[:16]

    def cells(self) -> dict[str, str]:
        """The row's cells by column name (for writing)."""
        return {name: value for name, value in asdict(self).items() if name in COLUMNS}


def mention_id(document: str, role: str, agent_id: str) -> str:
    """The id of an agent's role in a document (the ``mention_id`` column of organisations.csv).

    >>> mention_id("a/b.txt", "author", "pause")
    'a/b.txt/author/pause'
    >>> split_mention_id("a/b.txt/author/pause")
    ('a/b.txt', 'author', 'pause')
    """
    return f"{document}/{role}/{agent_id}"


def split_mention_id(value: str) -> tuple[str, str, str] | None:
    """(document, role, agent id) of a mention id, or None when it is not one."""
    parts = value.rsplit("/", 2)
    if len(parts) != 3 or parts[1] not in ROLES or not parts[0] or not parts[2]:
        return None
    return parts[0], parts[1], parts[2]


def _plain_id(value: str) -> str:
    """An id as statements.csv/claims.csv show it, also when given as ``st:…``, ``cl:…`` or a full IRI."""
    value = value.strip().strip("<>")
    for prefix in ("st:", "cl:", str(ST), str(CL)):
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


def check_row(cells: dict[str, str], number: int) -> Correction | str:
    """The row as a Correction, or the one problem that stops it (without the row number)."""
    action = cells.get("action", "").strip().lower()
    if action not in ACTIONS:
        if not action:
            return "no action; use one of " + ", ".join(ACTIONS)
        return f"unknown action '{action}'; use one of {', '.join(ACTIONS)}"
    values = {name: " ".join(cells.get(name, "").split()) for name in COLUMNS if name not in ("quote", "note")}
    values["action"] = action
    values["id"] = _plain_id(values["id"])
    for name in ("stance", "kind", "role"):
        values[name] = values[name].lower()
    correction = Correction(**values, quote=cells.get("quote", "").strip(), note=cells.get("note", "").strip(),
                            row=number)
    target, verb = correction.target, correction.verb
    if not correction.by:
        return "'by' is empty: say who decided"
    if verb in ("accept", "reject", "change") and not correction.id:
        return f"{action} needs an id ({ID_NAMES[target]})"
    if target == "mention" and correction.id and split_mention_id(correction.id) is None:
        return f"'{correction.id}' is not a mention_id (document/role/organisation_id, as in organisations.csv)"
    if verb == "change" and not any(getattr(correction, name) for name in CHANGEABLE[target]):
        return f"{action} sets none of {', '.join(CHANGEABLE[target])}: nothing to change"
    if verb == "add":
        missing = [name for name in ADDITION_NEEDS[target] if not getattr(correction, name)]
        if missing:
            return f"{action} needs {', '.join(missing)}"
    for name, allowed in (("stance", STANCES), ("kind", KINDS), ("role", ROLES)):
        value = getattr(correction, name)
        if value and value not in allowed:
            return f"{name} '{value}' is not one of {', '.join(allowed)}"
    return correction


def parse_corrections(text: str) -> tuple[list[Correction], list[tuple[int | None, str]]]:
    """The good rows of a corrections CSV and its problems as (row number or None for the file, message)."""
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return [], [(None, f"not valid CSV ({exc})")]
    if not records or not any(cell.strip() for cell in records[0]):
        return [], [(None, f"no header row; expected the columns {','.join(COLUMNS)}")] if text.strip() else []
    columns = [cell.strip().lower() for cell in records[0]]
    problems: list[tuple[int | None, str]] = []
    if "action" not in columns:
        return [], [(None, f"no 'action' column; expected the columns {','.join(COLUMNS)}")]
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        problems.append((None, f"unknown column(s) {', '.join(repr(c) for c in unknown)} ignored; "
                               f"expected {','.join(COLUMNS)}"))
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        return [], [(None, f"repeated column(s) {', '.join(repeated)}")]
    rows = []
    for number, values in enumerate(records[1:], start=2):
        if not any(v.strip() for v in values):
            continue  # blank lines are harmless
        if len(values) > len(columns):
            problems.append((number, f"has {len(values)} fields for {len(columns)} columns"))
            continue
        checked = check_row(dict(zip(columns, values, strict=False)), number)
        if isinstance(checked, str):
            problems.append((number, checked))
        else:
            rows.append(checked)
    return rows, problems


def read_corrections(path: Path | str) -> tuple[list[Correction], list[tuple[int | None, str]]]:
    """Read a corrections file (UTF-8, a BOM allowed); no file means no corrections."""
    path = Path(path)
    if not path.is_file():
        return [], []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [(None, f"not valid UTF-8 (byte {exc.start}); save it as UTF-8 CSV")]
    except OSError as exc:
        return [], [(None, f"cannot read file ({exc.strerror or exc})")]
    return parse_corrections(text)


def corrections_text(rows: list[Correction]) -> str:
    """Rows as corrections.csv text, with every column."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(row.cells() for row in rows)
    return buffer.getvalue()


@dataclass
class MergeReport:
    """What a merge did: rows added, rows replaced by a newer decision, rows already there."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0

    def line(self) -> str:
        return f"{self.added} added, {self.replaced} replaced, {self.unchanged} already there"


def _decides(row: Correction) -> tuple[str, ...]:
    """What a row decides on: the same thing decided twice is one decision, the newer wins."""
    if row.verb == "add":
        return (row.action, row.document, row.actor, row.proposal, row.kind, row.role, passage_key(row.quote))
    return (row.target, row.id)


def same_decision(a: Correction, b: Correction) -> bool:
    """The same decision with the same note (who took it aside; the quote of an id's row is only a reminder)."""
    if any(getattr(a, name) != getattr(b, name) for name in COLUMNS if name not in ("by", "quote")):
        return False
    return a.verb != "add" or passage_key(a.quote) == passage_key(b.quote)


def merge_corrections(existing: list[Correction], new: list[Correction]) -> tuple[list[Correction], MergeReport]:
    """``existing`` with ``new`` merged in, never duplicating a decision.

    A new row on something an existing row already decides (the same
    statement, claim or mention; the same addition) replaces that row in
    place when it says something else, and is left out when it says the same.
    Other new rows are appended in their order.
    """
    merged = list(existing)
    where = {_decides(row): index for index, row in enumerate(merged)}
    report = MergeReport()
    for row in new:
        key = _decides(row)
        if key in where:
            index = where[key]
            if same_decision(merged[index], row):
                report.unchanged += 1
            else:
                merged[index] = replace(row, row=merged[index].row)
                report.replaced += 1
        else:
            where[key] = len(merged)
            merged.append(row)
            report.added += 1
    return merged, report


def write_corrections(path: Path | str, rows: list[Correction]) -> None:
    """Write rows as corrections.csv (atomically)."""
    from carekg.graph.triples import write_atomic

    try:
        write_atomic(Path(path), corrections_text(rows).encode("utf-8"))
    except OSError as exc:
        raise CorrectionsError(f"cannot write '{path}': {exc.strerror or exc}") from exc
