"""corrections.csv as a file: reading it row by row, merging decisions, and a bad file at build time."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from carekg.cli import cli
from carekg.ingest.corpus import read_corpus
from carekg.review.corrections import ACTIONS, Correction, merge_corrections, parse_corrections
from carekg.vocab.knowledge import shapes_graph

DATA = Path(__file__).parent / "data"
HEADER = "action,id,document,actor,proposal,stance,quote,by,note\n"


@pytest.mark.parametrize("line, problem", [
    ("smite,x,,,,,,Ann,", "unknown action 'smite'; use one of " + ", ".join(ACTIONS)),
    (",x,,,,,,Ann,", "no action; use one of " + ", ".join(ACTIONS)),
    ("reject,,,,,,,Ann,", "reject needs an id (a statement_id of statements.csv)"),
    ("reject-claim,,,,,,,Ann,", "reject-claim needs an id (a claim_id of claims.csv)"),
    ("reject,a.txt/x/p/1-2,,,,,,,", "'by' is empty: say who decided"),
    ("change,a.txt/x/p/1-2,,,,,,Ann,", "change sets none of actor, proposal, stance: nothing to change"),
    ("change,a.txt/x/p/1-2,,,,maybe,,Ann,", "stance 'maybe' is not one of support, oppose"),
    ("add,,a.txt,x,,support,the words,Ann,", "add needs proposal"),
    ("add-claim,,a.txt,,,,,Ann,", "add-claim needs actor, quote"),
    ("reject-mention,a.txt/x,,,,,,Ann,", "'a.txt/x' is not a mention_id (document/role/organisation_id, as in organisations.csv)"),
    ("reject,a.txt/x/p/1-2,,,,,,Ann,,extra", "has 10 fields for 9 columns"),
])
def test_each_bad_row_is_one_problem_naming_its_row(line, problem):
    rows, problems = parse_corrections(HEADER + "reject,a.txt/x/p/1-2,,,,,,Ann,\n" + line + "\n")
    assert [r.row for r in rows] == [2]
    assert problems == [(3, problem)]


@pytest.mark.parametrize("text, problem", [
    ("id,by\nx,Ann\n", "no 'action' column; expected the columns action,id,document,actor,proposal,stance,kind,role,quote,by,note"),
    ("action,action,by\n", "repeated column(s) action"),
    ('action,by\n"reject,Ann\n', None),  # an unclosed quote swallows the rest: a row with no by, nothing lost silently
])
def test_file_problems(text, problem):
    rows, problems = parse_corrections(text)
    if problem is None:
        assert rows == [] and problems and problems[0][0] == 2
    else:
        assert (rows, problems) == ([], [(None, problem)])


def test_ids_may_be_written_as_iris_and_defaults_fill_additions():
    rows, problems = parse_corrections(
        "action,id,document,actor,quote,by\n"
        "reject,<https://w3id.org/carekg/statement/a.txt/x/p/1-2>,,,,Ann\n"
        "reject-claim,cl:a.txt/1-2,,,,Ann\n"
        "add-claim,,a.txt,x,some words,Ann\n"
        "add-mention,,a.txt,x,,Ann\n")
    assert problems == []
    assert [(r.id, r.kind, r.role) for r in rows] == [("a.txt/x/p/1-2", "", ""), ("a.txt/1-2", "", ""),
                                                      ("", "assertion", ""), ("", "", "mentioned")]


def test_merge_never_duplicates_a_decision():
    existing = [Correction("reject", id="a.txt/x/p/1-2", by="Ann", row=2),
                Correction("add", document="a.txt", actor="x", proposal="p", stance="support", quote="some  words", by="Ann",
                           row=3)]
    new = [Correction("reject", id="a.txt/x/p/1-2", quote="the passage", by="Bob"),  # the same decision: kept as it was
           Correction("add", document="a.txt", actor="x", proposal="p", stance="support", quote="some words", by="Bob"),
           Correction("change", id="a.txt/x/p/1-2", stance="oppose", by="Bob"),  # a new decision on it: replaces
           Correction("accept", id="a.txt/y/p/3-4", by="Bob")]
    merged, report = merge_corrections(existing, new)
    assert report.line() == "1 added, 1 replaced, 2 already there"
    assert [(r.action, r.id, r.by, r.row) for r in merged] == [("change", "a.txt/x/p/1-2", "Bob", 2),
                                                              ("add", "", "Ann", 3), ("accept", "a.txt/y/p/3-4", "Bob", 0)]


def test_the_shapes_know_every_action():
    from rdflib import URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    shapes = shapes_graph()
    action = next(shapes.subjects(SH.path, URIRef("https://w3id.org/carekg/ontology#action")))
    assert [str(a) for a in Collection(shapes, shapes.value(action, SH["in"]))] == list(ACTIONS)


# --- a bad file at build time --------------------------------------------------------------------

@pytest.fixture()
def tiny(tmp_path) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(DATA / "tiny", folder)
    return folder


def test_the_corpus_does_not_read_corrections_as_a_document(tiny):
    (tiny / "corrections.csv").write_text(HEADER, encoding="utf-8")
    assert [d.file for d in read_corpus(tiny).documents] == ["letter.txt"]


@pytest.mark.parametrize("content, line", [
    (b"action,by\nreject,Ann \xff\n", "failed: corrections.csv: not valid UTF-8 (byte 21); save it as UTF-8 CSV"),
    (b"id,by\nx,Ann\n", "failed: corrections.csv: no 'action' column; expected the columns "
                        "action,id,document,actor,proposal,stance,kind,role,quote,by,note"),
])
def test_an_unreadable_corrections_file_is_one_line_and_the_graph_is_built_without_it(tiny, tmp_path, content, line):
    plain = CliRunner().invoke(cli, ["build", str(tiny), "-o", str(tmp_path / "plain"), "--no-validate"])
    (tiny / "corrections.csv").write_bytes(content)
    result = CliRunner().invoke(cli, ["build", str(tiny), "-o", str(tmp_path / "out"), "--no-validate"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[:-1] == [line]
    assert result.output.strip().splitlines()[-1] == (
        "Error: some corrections failed (listed above; see build-report.json); --keep-going to accept")
    assert (tmp_path / "out" / "statements.csv").read_bytes() == (tmp_path / "plain" / "statements.csv").read_bytes()
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    assert report["corrections"]["rows"] == [{"row": 0, "action": "", "id": "", "status": "failed",
                                              "reason": line.split(": ", 2)[2]}]
    assert plain.exit_code == 0 and "corrections" not in json.loads(
        (tmp_path / "plain" / "build-report.json").read_text(encoding="utf-8"))
    keep_going = CliRunner().invoke(cli, ["build", str(tiny), "-o", str(tmp_path / "out"), "--no-validate", "--keep-going"])
    assert keep_going.exit_code == 0 and keep_going.stderr.splitlines() == [line]
