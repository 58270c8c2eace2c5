"""Leave-one-document-out cross-validation of the extractor over hand-coded corpora.

Whatever the extractor learns from examples (the proposal recogniser,
:mod:`carekg.extract.recogniser`) is refit without the document it reads, so
the scores say how the extractor does on a text it has never seen; the rules
are what they are (tuned on the development sets, which flatters those).

Each set is a folder of documents and a folder of gold; it is built as
``carekg build`` builds it (into a temporary folder, without validation) with
every document read by its own held-out model, and scored as ``carekg
evaluate`` scores it. The sets' scores are also added up (micro-averaged), and
the recall of the proposals the project is named for is given on its own.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from carekg.errors import EvaluationError
from carekg.review.evaluate import CATEGORIES, Evaluation, Score, evaluate_graph_file, load_gold

__all__ = ["CorpusSet", "CrossValidation", "DEFAULT_SETS", "NAMED_PROPOSALS", "cross_validate", "default_sets",
           "parse_set"]

# The three proposals the project is named for: the statutory post-removal
# duty, publishing national data on parents after removal, raising the
# care-leaving age.
NAMED_PROPOSALS = ("statutory-post-removal-duty", "publish-parent-removal-data", "raise-care-leaving-age")


@dataclass(frozen=True)
class CorpusSet:
    name: str
    documents: Path
    gold: Path


# (name, documents, gold) relative to the repository root
DEFAULT_SETS = (("seeds", "seeds", "tests/gold"), ("devset", "tests/devset/docs", "tests/devset/gold"),
                ("devset-b", "tests/devset-b/docs", "tests/devset-b/gold"))


def default_sets(root: Path | str = ".") -> list[CorpusSet]:
    """The project's hand-coded sets under ``root`` (a clone's root folder)."""
    root = Path(root)
    sets = [CorpusSet(name, root / docs, root / gold) for name, docs, gold in DEFAULT_SETS]
    missing = [s for s in sets if not s.documents.is_dir() or not s.gold.is_dir()]
    if missing:
        raise EvaluationError(f"no {missing[0].name} set at {missing[0].documents} (run from the repository root, "
                              f"or name the sets as DOCS:GOLD)")
    return sets


def parse_set(value: str) -> CorpusSet:
    """``DOCS:GOLD`` as a set named after its documents folder.

    >>> parse_set("tests/devset-b/docs:tests/devset-b/gold").name
    'devset-b'
    """
    docs, sep, gold = value.rpartition(":")
    if not sep or not docs or not gold:
        raise EvaluationError(f"not a set: {value!r}; give a documents folder and its gold folder as DOCS:GOLD")
    documents, gold_dir = Path(docs), Path(gold)
    for folder in (documents, gold_dir):
        if not folder.is_dir():
            raise EvaluationError(f"folder not found: {folder}")
    name = documents.parent.name if documents.name in ("docs", "documents") and documents.parent.name else documents.name
    return CorpusSet(name or str(documents), documents, gold_dir)


@dataclass
class CrossValidation:
    per_set: dict[str, Evaluation] = field(default_factory=dict)
    named: dict[str, Score] = field(default_factory=dict)  # recall of the named proposals, over all sets

    @property
    def total(self) -> dict[str, Score]:
        total = {c: Score() for c in CATEGORIES}
        for ev in self.per_set.values():
            for c in CATEGORIES:
                total[c].add(ev.scores[c])
        return total

    def format(self) -> str:
        def line(name: str, s: Score) -> str:
            return (f"  {name:<20} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}  "
                    f"({s.correct_predicted}/{s.predicted} predicted, {s.found_gold}/{s.gold} gold)")

        out = ["Leave-one-document-out cross-validation (learned stages refit without the scored document)"]
        for name, ev in self.per_set.items():
            out.append(f"{name}:")
            out.extend(line(c, ev.scores[c]) for c in CATEGORIES)
        out.append("all sets:")
        out.extend(line(c, s) for c, s in self.total.items())
        out.append("named proposals (statements strict recall, all sets):")
        for proposal, s in self.named.items():
            out.append(f"  {proposal:<32} R={s.recall:.3f} ({s.found_gold}/{s.gold} gold)")
        return "\n".join(out)


def _named_recall(ev: Evaluation, gold_dir: Path, scores: dict[str, Score]) -> None:
    """Explicit gold units of the named proposals, and how many were not missed."""
    units = {(r["document"], r["actor"], r["proposal"], r["stance"]) for r in load_gold(gold_dir).statements
             if r["explicit"] == "explicit" and r["proposal"] in NAMED_PROPOSALS}
    missed = set(ev.missed_statements)
    for unit in units:
        score = scores.setdefault(unit[2], Score())
        score.gold += 1
        score.found_gold += unit not in missed


def cross_validate(sets: Sequence[CorpusSet], jobs: int = 1,
                   progress: Callable[[str], None] | None = None) -> CrossValidation:
    """Build and score each set with every document read by a model that
    never saw its examples."""
    from carekg.build import build
    from carekg.extract.recogniser import holding_out

    result = CrossValidation(named={p: Score() for p in NAMED_PROPOSALS})
    for corpus_set in sets:
        if progress is not None:
            progress(corpus_set.name)
        with tempfile.TemporaryDirectory(prefix="carekg-crossval-") as out, holding_out():
            build(corpus_set.documents, out, jobs=jobs, validate=False)
            ev = evaluate_graph_file(Path(out) / "graph.ttl", corpus_set.gold)
        result.per_set[corpus_set.name] = ev
        _named_recall(ev, corpus_set.gold, result.named)
    return result
