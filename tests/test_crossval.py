"""Leave-one-document-out cross-validation (carekg/crossval.py, ``carekg crossval``):
naming sets, the CLI's errors, a run over two tiny invented sets (their
counts, their sum, the named proposals' recall) and that no document is read
by a model that learned from it.

The documents and bodies are invented; the full development sets are never
cross-validated here (that takes minutes: ``carekg crossval`` from the root).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from carekg.cli import cli
from carekg.crossval import (NAMED_PROPOSALS, CorpusSet, CrossValidation, cross_validate, default_sets,
                             parse_set)
from carekg.errors import EvaluationError
from carekg.review.evaluate import CATEGORIES, Evaluation, Score
from carekg.extract.recogniser import Recogniser, base_recogniser, held_out
from carekg.vocab.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
MESSAGE = "not a set: {!r}; give a documents folder and its gold folder as DOCS:GOLD"


# -- naming the sets ----------------------------------------------------------------------
@pytest.mark.parametrize("value", ["BAD", "", ":", ":gold", "docs:", "tests/devset-b/docs"])
def test_parse_set_needs_docs_and_gold(value):
    with pytest.raises(EvaluationError) as error:
        parse_set(value)
    assert str(error.value) == MESSAGE.format(value)


def test_parse_set_missing_folders(tmp_path):
    (tmp_path / "docs").mkdir()
    with pytest.raises(EvaluationError) as error:
        parse_set(f"{tmp_path / 'nowhere'}:{tmp_path / 'docs'}")
    assert str(error.value) == f"folder not found: {tmp_path / 'nowhere'}"
    with pytest.raises(EvaluationError) as error:
        parse_set(f"{tmp_path / 'docs'}:{tmp_path / 'gold'}")
    assert str(error.value) == f"folder not found: {tmp_path / 'gold'}"


def test_parse_set_names_the_set_after_its_documents(tmp_path):
    for folder in ("riverside/docs", "riverside/gold", "texts", "answers", "b/documents"):
        (tmp_path / folder).mkdir(parents=True)
    assert parse_set(f"{tmp_path}/riverside/docs:{tmp_path}/riverside/gold") == CorpusSet(
        "riverside", tmp_path / "riverside" / "docs", tmp_path / "riverside" / "gold")
    assert parse_set(f"{tmp_path}/texts:{tmp_path}/answers").name == "texts"
    assert parse_set(f"{tmp_path}/b/documents:{tmp_path}/answers").name == "b"


def test_default_sets_from_the_root():
    sets = default_sets(ROOT)
    assert [s.name for s in sets] == ["seeds", "devset", "devset-b"]
    assert [(s.documents, s.gold) for s in sets] == [
        (ROOT / "seeds", ROOT / "tests" / "gold"), (ROOT / "tests" / "devset" / "docs", ROOT / "tests" / "devset" / "gold"),
        (ROOT / "tests" / "devset-b" / "docs", ROOT / "tests" / "devset-b" / "gold")]


def test_default_sets_elsewhere_say_how(tmp_path):
    with pytest.raises(EvaluationError) as error:
        default_sets(tmp_path)
    assert str(error.value) == (f"no seeds set at {tmp_path / 'seeds'} (run from the repository root, "
                                f"or name the sets as DOCS:GOLD)")


def test_cli_bad_set_is_one_line():
    result = CliRunner().invoke(cli, ["crossval", "BAD"])
    assert result.exit_code == 1
    assert result.output == "Error: not a set: 'BAD'; give a documents folder and its gold folder as DOCS:GOLD\n"


def test_cli_without_sets_outside_the_root_is_one_line(tmp_path):
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path):
        result = runner.invoke(cli, ["crossval"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith("Error: no seeds set at seeds (run from the repository root")


def test_cli_rejects_zero_jobs():
    result = CliRunner().invoke(cli, ["crossval", "--jobs", "0", "a:b"])
    assert result.exit_code == 2


# -- the formatted figures ----------------------------------------------------------------
def test_format_lines():
    ev = Evaluation()
    ev.scores["statements_strict"] = Score(correct_predicted=3, predicted=4, found_gold=3, gold=6)
    cv = CrossValidation(per_set={"one": ev, "two": Evaluation()},
                         named={"raise-care-leaving-age": Score(found_gold=1, gold=4)})
    lines = cv.format().splitlines()
    assert lines[0].startswith("Leave-one-document-out cross-validation")
    assert lines[1] == "one:"
    assert lines[2] == "  statements_strict    P=0.750 R=0.500 F1=0.600  (3/4 predicted, 3/6 gold)"
    assert lines[6] == "two:"
    assert lines[11] == "all sets:"
    assert lines[12] == "  statements_strict    P=0.750 R=0.500 F1=0.600  (3/4 predicted, 3/6 gold)"
    assert lines[16] == "named proposals (statements strict recall, all sets):"
    assert lines[17] == "  raise-care-leaving-age           R=0.250 (1/4 gold)"
    assert len(lines) == 18


def test_named_recall_counts_explicit_units_and_their_misses(tmp_path):
    from carekg.crossval import _named_recall

    (tmp_path / "x-statements.csv").write_text(
        "document,actor,proposal,stance,explicit,start,end,evidence\n"
        "a.txt,ash,raise-care-leaving-age,support,explicit,0,5,aaaaa\n"
        "a.txt,ash,raise-care-leaving-age,support,explicit,9,12,bbb\n"      # the same unit: counted once
        "a.txt,elm,raise-care-leaving-age,support,explicit,0,5,aaaaa\n"
        "b.txt,ash,raise-care-leaving-age,oppose,explicit,0,5,aaaaa\n"
        "b.txt,oak,publish-parent-removal-data,support,implied,0,5,aaaaa\n"  # implied: not counted
        "b.txt,oak,kinship-allowance,support,explicit,0,5,aaaaa\n", encoding="utf-8")  # not a named proposal
    (tmp_path / "x-claims.csv").write_text("document,claimant,kind,proposal,required,start,end,evidence\n",
                                          encoding="utf-8")
    (tmp_path / "x-organisations.csv").write_text("document,organisation,role\n", encoding="utf-8")
    ev = Evaluation(missed_statements=[("a.txt", "elm", "raise-care-leaving-age", "support"),
                                       ("b.txt", "oak", "kinship-allowance", "support")])
    scores = {p: Score() for p in NAMED_PROPOSALS}
    _named_recall(ev, tmp_path, scores)
    assert {p: (s.found_gold, s.gold) for p, s in scores.items()} == {
        "statutory-post-removal-duty": (0, 0), "publish-parent-removal-data": (0, 0), "raise-care-leaving-age": (2, 3)}
    _named_recall(ev, tmp_path, scores)  # a second set adds up
    assert (scores["raise-care-leaving-age"].found_gold, scores["raise-care-leaving-age"].gold) == (4, 6)


# -- a run over two tiny sets -------------------------------------------------------------
# The first document carries the file name of a document whose gold passages are
# packaged in examples.csv: held out, the model that reads it must lack them.
SHARED_NAME = "b12_tradepress-kinship-strategy.txt"

ALPHA = {
    SHARED_NAME: ("Harbourside Care Leavers Forum",
                  "Harbourside Care Leavers Forum\n\n"
                  "Young people in foster care should be able to stay in care until 21.\n\n"
                  "We also call for a statutory duty to support parents after removal.\n",
                  [("raise-care-leaving-age", "Young people in foster care should be able to stay in care until 21."),
                   ("statutory-post-removal-duty",
                    "We also call for a statutory duty to support parents after removal.")]),
    "wren-valley.txt": ("Wren Valley Kinship Network",
                        "Wren Valley Kinship Network\n\n"
                        "We call for a kinship allowance for every grandparent raising a grandchild.\n",
                        [("kinship-allowance",
                          "We call for a kinship allowance for every grandparent raising a grandchild.")]),
}
BETA = {
    "thornbury.txt": ("Thornbury Birth Parents Project",
                      "Thornbury Birth Parents Project\n\n"
                      "Every council should publish data on parents whose children are removed.\n",
                      [("publish-parent-removal-data",
                        "Every council should publish data on parents whose children are removed.")]),
}


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def _write_set(folder: Path, documents: dict) -> CorpusSet:
    docs, gold = folder / "docs", folder / "gold"
    docs.mkdir(parents=True)
    gold.mkdir()
    manifest = io.StringIO(newline="")
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(["file", "title", "publisher", "published", "language", "source_note"])
    statements = [["document", "actor", "proposal", "stance", "explicit", "start", "end", "evidence"]]
    organisations = [["document", "organisation", "role"]]
    for file, (publisher, text, asks) in documents.items():
        (docs / file).write_text(text, encoding="utf-8")
        writer.writerow([file, "Our asks", publisher, "2024-03", "en", ""])
        organisations.append([file, _slug(publisher), "author"])
        for proposal, evidence in asks:
            start = text.index(evidence)
            statements.append([file, _slug(publisher), proposal, "support", "explicit", start,
                               start + len(evidence), evidence])
    (docs / "manifest.csv").write_text(manifest.getvalue(), encoding="utf-8")
    for name, rows in (("statements", statements), ("organisations", organisations),
                       ("claims", [["document", "claimant", "kind", "proposal", "required", "start", "end",
                                    "evidence"]])):
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows(rows)
        (gold / f"tiny-{name}.csv").write_text(out.getvalue(), encoding="utf-8")
    # names for scoring only, as tests/devset-b/organisations.yaml
    (folder / "organisations.yaml").write_text(
        "organisations:\n" + "".join(f"- {{id: {_slug(p)}, name: \"{p}\", type: charity}}\n"
                                     for p, _, _ in documents.values()), encoding="utf-8")
    return parse_set(f"{docs}:{gold}")


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    root = tmp_path_factory.mktemp("crossval")
    return [_write_set(root / "alpha", ALPHA), _write_set(root / "beta", BETA)]


@pytest.fixture(scope="module")
def reads(sets):
    """The cross-validation of both sets, and every (document, held out?, model) the extractor read with."""
    calls: list[tuple[str, bool, Recogniser]] = []
    original = Recogniser.for_document

    def spy(self, document):
        model = original(self, document)
        calls.append((document, held_out(), model))
        return model

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Recogniser, "for_document", spy)
        progress: list[str] = []
        result = cross_validate(sets, progress=progress.append)
    return result, progress, calls


def test_sets_are_named_after_their_folders(sets):
    assert [s.name for s in sets] == ["alpha", "beta"]


def test_each_set_is_scored_and_added_up(reads):
    result, progress, _ = reads
    assert progress == ["alpha", "beta"]
    assert list(result.per_set) == ["alpha", "beta"]
    alpha, beta = (result.per_set[n].scores["statements_strict"] for n in ("alpha", "beta"))
    assert (alpha.gold, beta.gold) == (3, 1)
    assert (alpha.found_gold, beta.found_gold) == (3, 1)  # plain asks, in codebook words
    assert (result.per_set["alpha"].scores["organisations"].gold, result.per_set["beta"].scores["organisations"].gold) \
        == (2, 1)
    for category in CATEGORIES:
        total = result.total[category]
        parts = [result.per_set[n].scores[category] for n in ("alpha", "beta")]
        assert (total.correct_predicted, total.predicted, total.found_gold, total.gold) == tuple(
            sum(getattr(p, a) for p in parts) for a in ("correct_predicted", "predicted", "found_gold", "gold"))
    assert result.total["statements_strict"].gold == 4


def test_named_proposals_recall_over_all_sets(reads):
    result, _, _ = reads
    assert list(result.named) == list(NAMED_PROPOSALS)
    assert {p: (s.found_gold, s.gold) for p, s in result.named.items()} == {
        "statutory-post-removal-duty": (1, 1), "publish-parent-removal-data": (1, 1), "raise-care-leaving-age": (1, 1)}


def test_formatted_output(reads):
    result, _, _ = reads
    text = result.format()
    lines = text.splitlines()
    assert lines[0] == ("Leave-one-document-out cross-validation (learned stages refit without the scored "
                        "document)")
    for header in ("alpha:", "beta:", "all sets:", "named proposals (statements strict recall, all sets):"):
        assert header in lines
    strict = [line for line in lines if line.startswith("  statements_strict ")]
    assert len(strict) == 3  # alpha, beta, all sets
    assert strict[0].endswith("3/3 gold)") and strict[1].endswith("1/1 gold)") and strict[2].endswith("4/4 gold)")
    assert "  raise-care-leaving-age           R=1.000 (1/1 gold)" in lines
    assert "  statutory-post-removal-duty      R=1.000 (1/1 gold)" in lines
    assert "  publish-parent-removal-data      R=1.000 (1/1 gold)" in lines


def test_no_document_is_read_by_a_model_that_learned_from_it(reads):
    _, _, calls = reads
    assert sorted({d for d, _, _ in calls}) == sorted([*ALPHA, *BETA])
    assert all(held for _, held, _ in calls)
    for document, _, model in calls:
        assert not any(e.document.rsplit("/", 1)[-1] == document for e in model.examples), document
    # the shared file name has packaged examples, so its model is a refit without them
    base = base_recogniser(load_knowledge())
    own = [e for e in base.examples if e.document == SHARED_NAME]
    assert own
    (shared_model,) = {id(m): m for d, _, m in calls if d == SHARED_NAME}.values()
    assert len(shared_model.examples) == len(base.examples) - len(own)
    # documents the examples never name are read by the whole model
    assert all(m is base for d, _, m in calls if d != SHARED_NAME)
    assert not held_out()  # the run leaves the setting as it found it


def test_cli_runs_named_sets(sets, monkeypatch):
    """``carekg crossval DOCS:GOLD`` prints what ``cross_validate`` formats, progress apart."""
    from carekg import crossval as module

    seen = []

    def fake(chosen, jobs=1, progress=None):
        seen.append(([s.name for s in chosen], jobs))
        progress("alpha")
        return CrossValidation(per_set={}, named={p: Score() for p in NAMED_PROPOSALS})

    monkeypatch.setattr(module, "cross_validate", fake)
    result = CliRunner().invoke(cli, ["crossval", "-j", "2", f"{sets[0].documents}:{sets[0].gold}"])
    assert result.exit_code == 0, result.output
    assert seen == [(["alpha"], 2)]
    assert "cross-validating alpha …" in result.output
    assert "  raise-care-leaving-age           R=1.000 (0/0 gold)" in result.output
