"""The stage report (carekg/review/stages.py) on small hand-made rows, and `carekg evaluate --stages`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from carekg.cli import cli
from carekg.review.evaluate import Gold, evaluate, evaluate_graph_file
from carekg.vocab.knowledge import load_knowledge
from carekg.review.stages import FP_KINDS, MISS_KINDS, stage_report, stage_report_for_graph

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "tests" / "gold"


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


def g(actor, proposal, stance, start, end, explicit="explicit", doc="a.txt"):
    return {"document": doc, "actor": actor, "proposal": proposal, "stance": stance, "explicit": explicit,
            "start": str(start), "end": str(end), "evidence": f"invented passage {start}"}


def p(actor_id, label, proposal, stance, start, end, doc="a.txt", **extra):
    return {"document": doc, "actor_id": actor_id, "actor_label": label, "proposal_id": proposal,
            "proposal_label": "", "stance": stance, "quote": f"invented sentence {start}", "start": start,
            "end": end, "confidence": 0.6, "actor_member_of": "", **extra}


def gold(*rows):
    return Gold(list(rows), [], [])


HT, HL = "harbour-trust", "Harbour Trust"
QN, QL = "quay-network", "Quay Network"

# one gold passage (or more) per situation; the comments give the verdict
GOLD_ROWS = [
    g(HT, "placement-stability", "support", 100, 200),     # all right
    g(HT, "kinship-allowance", "support", 300, 400),       # nothing predicted there
    g(HT, "invest-in-early-help", "support", 500, 600),    # its narrower neighbour predicted
    g(HT, "placement-choice", "oppose", 700, 800),         # proposal right, stance wrong
    g(HT, "post-removal-support", "support", 900, 1000),   # proposal and stance right, holder wrong
    g(HT, "kinship-carer-support", "support", 1100, 1200, explicit="implied"),  # not a passage
    g(HT, "free-ferry-passes", "support", 1250, 1290),     # emergent: not a passage
    g(QN, "kinship-allowance", "support", 1300, 1400),     # only an emergent proposal predicted there
]
PREDICTED = [
    p(HT, HL, "placement-stability", "support", 110, 190),
    p(HT, HL, "restore-family-help-funding", "support", 500, 600),
    p(HT, HL, "placement-choice", "support", 700, 800),
    p(QN, QL, "post-removal-support", "support", 900, 1000),
    p(HT, HL, "kinship-carer-support", "support", 1100, 1200),  # matches the implied row: no FP
    p(QN, QL, "emergent:kinship-ferry-fares", "support", 1300, 1400),  # emergent: no unit, but a position
    p(HT, HL, "kinship-allowance", "oppose", 2000, 2100),  # where gold has no position
]


def test_each_stage_is_counted(knowledge):
    c = stage_report(PREDICTED, gold(*GOLD_ROWS), knowledge).total
    assert c.passages == 6  # explicit and in the codebook
    assert c.position == 5  # all but kinship-allowance at 300-400
    assert c.proposal == 3  # placement-stability, placement-choice, post-removal-support
    assert c.proposal_lenient == 4  # + restore-family-help-funding for invest-in-early-help
    assert c.stance == 2  # placement-choice has the wrong stance
    assert c.holder == 1  # post-removal-support has the wrong holder
    assert (c.gold_units, c.found_units) == (6, 1)
    assert c.predicted_units == 6  # the emergent row is no unit


def test_false_positives_by_kind(knowledge):
    report = stage_report(PREDICTED, gold(*GOLD_ROWS), knowledge)
    c = report.total
    assert c.false_positives == {"no gold position": 1, "other proposal": 1, "wrong stance": 1, "wrong holder": 1}
    assert c.fp_neighbour == 1  # restore-family-help-funding is narrower than invest-in-early-help
    kinds = {(kind, proposal, stance) for kind, _, _, proposal, stance, _ in report.false_positive_items}
    assert kinds == {("no gold position", "kinship-allowance", "oppose"),
                     ("other proposal", "restore-family-help-funding", "support"),
                     ("wrong stance", "placement-choice", "support"),
                     ("wrong holder", "post-removal-support", "support")}


def test_misses_by_kind(knowledge):
    report = stage_report(PREDICTED, gold(*GOLD_ROWS), knowledge)
    c = report.total
    assert c.misses == {"nothing at the passage": 1, "another proposal": 2, "wrong stance": 1, "wrong holder": 1}
    assert c.miss_neighbour == 1
    kinds = {(kind, actor, proposal) for kind, _, actor, proposal, _, _ in report.miss_items}
    assert kinds == {("nothing at the passage", HT, "kinship-allowance"),
                     ("another proposal", HT, "invest-in-early-help"),
                     ("another proposal", QN, "kinship-allowance"),
                     ("wrong stance", HT, "placement-choice"),
                     ("wrong holder", HT, "post-removal-support")}


def test_units_agree_with_statements_strict(knowledge):
    c = stage_report(PREDICTED, gold(*GOLD_ROWS), knowledge).total
    ev = evaluate({"statements": PREDICTED}, gold(*GOLD_ROWS), knowledge)
    strict = ev.statements_strict
    assert (c.found_units, c.gold_units) == (strict.found_gold, strict.gold)
    assert (c.predicted_units, c.predicted_units - c.fp_total) == (strict.predicted, strict.correct_predicted)
    assert c.fp_total == len(ev.false_positives)
    assert c.miss_total == len(ev.misses)


def test_half_overlap_is_needed_for_a_position(knowledge):
    gold_rows = gold(g(HT, "placement-stability", "support", 100, 200))
    # 180-260 shares 20 of the shorter 80: too little; 140-260 shares 60 of 100
    too_little = stage_report([p(HT, HL, "placement-stability", "support", 180, 260)], gold_rows, knowledge)
    enough = stage_report([p(HT, HL, "placement-stability", "support", 140, 260)], gold_rows, knowledge)
    assert too_little.total.position == 0 and enough.total.holder == 1


def test_other_documents_do_not_count(knowledge):
    c = stage_report([p(HT, HL, "placement-stability", "support", 100, 200, doc="b.txt")],
                     gold(g(HT, "placement-stability", "support", 100, 200)), knowledge).total
    assert c.position == 0 and c.misses["nothing at the passage"] == 1
    assert c.false_positives["no gold position"] == 1


def test_unit_found_elsewhere_in_the_document_is_no_passage_hit(knowledge):
    c = stage_report([p(HT, HL, "placement-stability", "support", 5000, 5100)],
                     gold(g(HT, "placement-stability", "support", 100, 200)), knowledge).total
    assert c.position == 0 and c.holder == 0
    assert c.found_units == 1 and c.miss_total == 0 and c.fp_total == 0


def test_closest_kind_wins(knowledge):
    gold_rows = gold(g(HT, "placement-stability", "support", 100, 200),
                     g(QN, "placement-choice", "oppose", 100, 200))
    # the Quay Network prediction overlaps a passage of another proposal and one of its own proposal and stance
    report = stage_report([p(QN, QL, "placement-stability", "support", 100, 200),
                           p(HT, HL, "placement-choice", "support", 100, 200)], gold_rows, knowledge)
    assert report.total.false_positives == {"no gold position": 0, "other proposal": 0, "wrong stance": 1,
                                            "wrong holder": 1}
    assert report.total.misses == {"nothing at the passage": 0, "another proposal": 0, "wrong stance": 1,
                                   "wrong holder": 1}


def test_a_person_holds_for_their_organisation(knowledge):
    rows = [p("jo-fenwick", "Jo Fenwick", "placement-stability", "support", 100, 200, actor_member_of=HT)]
    c = stage_report(rows, gold(g(HT, "placement-stability", "support", 100, 200)), knowledge).total
    assert c.holder == 1 and c.found_units == 1


def test_implied_gold_is_no_passage_but_a_position_for_false_positives(knowledge):
    c = stage_report([p(HT, HL, "placement-choice", "oppose", 100, 200)],
                     gold(g(HT, "placement-stability", "support", 100, 200, explicit="implied")), knowledge).total
    assert c.passages == 0 and c.gold_units == 0
    assert c.false_positives["other proposal"] == 1


def test_alternatives_hook(knowledge):
    gold_rows = gold(g(HT, "placement-stability", "support", 100, 200))
    plain = stage_report([p(HT, HL, "placement-choice", "support", 100, 200)], gold_rows, knowledge)
    assert not plain.has_alternatives and plain.total.proposal_top == 0
    assert "top 3" not in plain.format()
    second = stage_report([p(HT, HL, "placement-choice", "support", 100, 200,
                             alternatives="post-removal-support;placement-stability")], gold_rows, knowledge)
    assert second.has_alternatives and second.total.proposal_top == 1 and second.total.proposal == 0
    assert any("top 3" in line and "1/1" in line for line in second.format().splitlines())
    third = stage_report([p(HT, HL, "placement-choice", "support", 100, 200,
                            alternatives=["post-removal-support", "kinship-allowance", "placement-stability"])],
                         gold_rows, knowledge)
    assert third.total.proposal_top == 0  # fourth in line


def test_reads_all_exports_too(knowledge):
    report = stage_report({"statements": PREDICTED, "claims": []}, gold(*GOLD_ROWS), knowledge)
    assert report.total.holder == 1 and report.total.passages == 6


def _line(text: str, start: str) -> str:
    lines = [line for line in text.splitlines() if line.strip().startswith(start)]
    assert len(lines) == 1, (start, text)
    return lines[0]


def test_format(knowledge):
    report = stage_report(PREDICTED + [p(HT, HL, "placement-stability", "support", 10, 20, doc="b.txt")],
                          gold(*GOLD_ROWS), knowledge)
    out = report.format()
    assert _line(out, "gold passages").split() == ["gold", "passages", "6"]
    assert "5/6" in _line(out, "position found") and "83.3%" in _line(out, "position found")
    assert "3/5" in _line(out, "proposal right | position (top 1)")
    assert "4/5" in _line(out, "proposal right | position (lenient)")
    assert "2/3" in _line(out, "stance right")
    assert "1/2" in _line(out, "holder right")
    assert "1/6" in _line(out, "all right at the passage")
    assert "1/6" in _line(out, "gold units found")
    assert "2/7" in _line(out, "predicted units right")
    assert "2/5" in _line(out, "no gold position")  # the b.txt row too
    assert "1/5" in _line(out, "other proposal")
    for kind in ("wrong stance", "wrong holder"):  # a false-positive line, then a miss line
        assert [line.split()[2] for line in out.splitlines() if line.strip().startswith(kind)] == ["1/5", "1/5"]
    assert "2/5" in _line(out, "another proposal") and "1/5" in _line(out, "nothing at the passage")
    assert "-- " not in out
    per_doc = report.format(per_document=True)
    docs = [line for line in per_doc.splitlines() if line.startswith("-- ")]
    assert [line.split(":")[0] for line in docs] == ["-- a.txt", "-- b.txt"]
    assert "position 5/6" in docs[0] and "holder 1/2" in docs[0] and "FP 1 (no gold position 1," in docs[1]


def test_empty_shares_say_na(knowledge):
    out = stage_report([], gold(), knowledge).format()
    assert "n/a" in _line(out, "position found") and "nan" not in out


def test_kinds_are_the_documented_ones():
    assert FP_KINDS == ("no gold position", "other proposal", "wrong stance", "wrong holder")
    assert MISS_KINDS == ("nothing at the passage", "another proposal", "wrong stance", "wrong holder")


# -- on the seed build, and through the command line ---------------------------------------
@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory) -> Path:
    from carekg.build import build

    out = tmp_path_factory.mktemp("stages-seeds")
    build(ROOT / "seeds", out, validate=False)
    return out / "graph.ttl"


def test_seed_report_agrees_with_evaluate(seed_graph):
    report = stage_report_for_graph(seed_graph, GOLD_DIR)
    ev = evaluate_graph_file(seed_graph, GOLD_DIR)
    c, strict = report.total, ev.statements_strict
    assert c.passages > 0 and 0 < c.holder <= c.stance <= c.proposal <= c.position <= c.passages
    assert (c.found_units, c.gold_units) == (strict.found_gold, strict.gold)
    assert c.predicted_units == strict.predicted
    assert c.fp_total == sum(1 for f in ev.false_positives if f.split("\t")[1] == "statement")
    assert c.miss_total == sum(1 for m in ev.misses if m.split("\t")[1] == "statement")


def test_cli_stages(seed_graph):
    runner = CliRunner()
    result = runner.invoke(cli, ["evaluate", str(seed_graph), "--gold", str(GOLD_DIR), "--stages"])
    assert result.exit_code == 0, result.output
    report = stage_report_for_graph(seed_graph, GOLD_DIR)
    assert result.output.strip() == report.format().strip()
    for start in ("gold passages", "position found at the passage", "proposal right | position (top 1)",
                  "stance right | proposal right", "holder right | proposal+stance right",
                  "False positives by kind", "Misses by kind", *FP_KINDS[:2], *MISS_KINDS[:2]):
        _line(result.output, start)
    for kind in ("wrong stance", "wrong holder"):  # in both lists
        assert sum(line.strip().startswith(kind) for line in result.output.splitlines()) == 2
    assert "statements_strict " not in result.output  # the stage report replaces the scores
    result = runner.invoke(cli, ["evaluate", str(seed_graph), "--gold", str(GOLD_DIR), "--stages",
                                 "--per-document"])
    assert result.exit_code == 0, result.output
    docs = {line.split(":")[0][3:] for line in result.output.splitlines() if line.startswith("-- ")}
    assert docs == set(report.per_document) and len(docs) == 5


def test_cli_stages_errors(seed_graph, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["evaluate", str(seed_graph), "--gold", str(tmp_path / "none"), "--stages"])
    assert result.exit_code == 1 and "Error: gold folder not found" in result.output
    result = runner.invoke(cli, ["evaluate", str(seed_graph), "--stages", "--corrections"])
    assert result.exit_code == 2 and "--stages scores against --gold" in result.output
