"""Scoring rules of tests/gold/README.md on small hand-made rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from carekg.errors import EvaluationError
from carekg.review.evaluate import (
    load_scoring_registry,
    Gold, evaluate, format_evaluation, load_gold,
)
from carekg.vocab.knowledge import load_knowledge

GOLD_DIR = Path(__file__).resolve().parent / "gold"


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


def st(actor, proposal, stance="support", explicit="explicit", doc="d.txt"):
    return {"document": doc, "actor": actor, "proposal": proposal, "stance": stance, "explicit": explicit,
            "start": "0", "end": "1", "evidence": "x"}


def pst(actor_id, label, proposal, stance="support", doc="d.txt", **extra):
    return {"document": doc, "actor_id": actor_id, "actor_label": label, "proposal_id": proposal,
            "proposal_label": "", "stance": stance, "quote": "q", "start": "0", "end": "1", "confidence": "0.5",
            **extra}


def gold(statements=(), claims=(), organisations=()):
    return Gold(list(statements), list(claims), list(organisations))


def test_load_gold_reads_the_seed_gold():
    g = load_gold(GOLD_DIR)
    assert g.statements and g.claims and g.organisations


def test_load_gold_errors(tmp_path):
    with pytest.raises(EvaluationError, match="not found"):
        load_gold(tmp_path / "nope")
    with pytest.raises(EvaluationError, match="missing"):
        load_gold(tmp_path)
    for name in ("seed-statements.csv", "seed-claims.csv", "seed-organisations.csv"):
        (tmp_path / name).write_text((GOLD_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    load_gold(tmp_path)
    (tmp_path / "seed-claims.csv").write_text("document,claimant\nx,y\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match="missing column"):
        load_gold(tmp_path)
    (tmp_path / "seed-claims.csv").write_text((GOLD_DIR / "seed-claims.csv").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    (tmp_path / "seed-statements.csv").write_text(
        "document,actor,proposal,stance,explicit,start,end,evidence\nd,a,p,maybe,explicit,1,2,e\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match="stance"):
        load_gold(tmp_path)
    (tmp_path / "seed-statements.csv").write_text(
        "document,actor,proposal,stance,explicit,start,end,evidence\nd,a,p,support,explicit,one,2,e\n",
        encoding="utf-8")
    with pytest.raises(EvaluationError, match="integers"):
        load_gold(tmp_path)


def test_strict_and_lenient(knowledge):
    g = gold([st("pause", "invest-in-early-help"), st("pause", "placement-stability")])
    ev = evaluate({"statements": [pst("pause", "Pause", "restore-family-help-funding"),
                                  pst("pause", "Pause", "placement-stability")]}, g, knowledge)
    assert ev.statements_strict.precision == 0.5 and ev.statements_strict.recall == 0.5
    assert ev.statements_lenient.precision == 1.0 and ev.statements_lenient.recall == 1.0


def test_actor_matching_by_label_alias(knowledge):
    g = gold([st("fostering-network", "placement-stability"), st("st-michaels-fellowship", "timely-decisions"),
              st("who-cares-trust", "placement-choice")])
    rows = [pst("x1", "fostering network", "placement-stability"),
            pst("x2", "St Michael’s", "timely-decisions"),
            pst("x3", "The Who Cares Trust", "placement-choice")]
    ev = evaluate({"statements": rows}, g, knowledge)
    assert ev.statements_strict.f1 == 1.0


def test_person_matches_their_organisation(knowledge):
    g = gold([st("pause", "post-removal-support"), st("tact", "placement-stability")])
    rows = [pst("omolade-adedapo", "Omolade Adedapo", "post-removal-support"),
            pst("jane-doe", "Jane Doe", "placement-stability", actor_member_of="tact")]
    assert evaluate({"statements": rows}, g, knowledge).statements_strict.f1 == 1.0


def test_implied_is_not_counted_nor_false_positive(knowledge):
    g = gold([st("pause", "post-removal-support"), st("pause", "placement-choice", explicit="implied")])
    ev = evaluate({"statements": [pst("pause", "Pause", "post-removal-support")]}, g, knowledge)
    assert ev.statements_strict.recall == 1.0
    ev = evaluate({"statements": [pst("pause", "Pause", "placement-choice")]}, g, knowledge)
    assert ev.statements_strict.precision == 1.0 and ev.statements_strict.recall == 0.0


def test_stance_must_match(knowledge):
    g = gold([st("become", "unregulated-accommodation-standards", "oppose")])
    ev = evaluate({"statements": [pst("become", "Become", "unregulated-accommodation-standards", "support")]},
                  g, knowledge)
    assert ev.statements_strict.f1 == 0.0 and ev.false_positives and ev.misses


def test_emergent_counted_apart(knowledge):
    g = gold([st("pause", "post-removal-support"), st("pause", "free-bus-travel")])
    rows = [pst("pause", "Pause", "post-removal-support"), pst("pause", "Pause", "emergent:free-bus-travel")]
    ev = evaluate({"statements": rows}, g, knowledge)
    assert ev.statements_strict.f1 == 1.0
    assert ev.emergent_predicted == 1 and ev.emergent_gold == 1


def claim(start, end, required="yes", doc="d.txt"):
    return {"document": doc, "claimant": "pause", "kind": "statistic", "proposal": "", "required": required,
            "start": str(start), "end": str(end), "evidence": "e"}


def pclaim(start, end, doc="d.txt"):
    return {"document": doc, "claim_id": "c", "claimant_label": "Pause", "kind": "statistic", "quote": "q",
            "start": start, "end": end, "proposal_id": "", "values": ""}


def test_claim_overlap_half_of_shorter(knowledge):
    g = gold(claims=[claim(100, 200), claim(300, 310, required="no")])
    ev = evaluate({"claims": [pclaim(0, 150), pclaim(305, 400), pclaim(500, 520)]}, g, knowledge)
    assert ev.claims.recall == 1.0  # 100-150 covers half of the shorter (150)
    assert ev.claims.correct_predicted == 2 and ev.claims.predicted == 3  # the optional one is no FP
    ev = evaluate({"claims": [pclaim(0, 140)]}, g, knowledge)
    assert ev.claims.recall == 0.0


def test_claims_in_other_documents_do_not_match(knowledge):
    g = gold(claims=[claim(100, 200)])
    assert evaluate({"claims": [pclaim(100, 200, doc="other.txt")]}, g, knowledge).claims.f1 == 0.0


def test_organisations(knowledge):
    g = gold(organisations=[{"document": "d.txt", "organisation": "become", "role": "author"},
                            {"document": "d.txt", "organisation": "josh-macalister", "role": "speaker"},
                            {"document": "d.txt", "organisation": "munro-review", "role": "mentioned?"}])
    rows = [{"document": "d.txt", "organisation_id": "become", "label": "Become", "role": "author"},
            {"document": "d.txt", "organisation_id": "care-review", "label": "Care Review", "role": "mentioned"},
            {"document": "d.txt", "organisation_id": "m", "label": "Munro", "role": "mentioned"},
            {"document": "d.txt", "organisation_id": "unknown-author", "label": "unknown author", "role": "author"}]
    ev = evaluate({"organisations": rows}, g, knowledge)
    assert ev.organisations.recall == 0.5  # the person is not found through the review
    assert ev.organisations.predicted == 3 and ev.organisations.correct_predicted == 2


def test_format_evaluation(knowledge):
    g = gold([st("pause", "post-removal-support")])
    ev = evaluate({"statements": [pst("pause", "Pause", "placement-choice")]}, g, knowledge)
    out = format_evaluation(ev, per_document=True)
    assert "statements_strict" in out and "-- d.txt" in out
    assert any(line.startswith("MISS\t") for line in out.splitlines())
    assert any(line.startswith("FP\t") for line in out.splitlines())




# -- gold folders named by suffix --------------------------------------------------------------
DEVSET_DIR = Path(__file__).resolve().parent / "devset"


def _copy_seed_gold(folder: Path, prefix: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for kind in ("statements", "claims", "organisations"):
        (folder / f"{prefix}{kind}.csv").write_text((GOLD_DIR / f"seed-{kind}.csv").read_text(encoding="utf-8"),
                                                     encoding="utf-8")


def test_load_gold_any_prefix(tmp_path):
    _copy_seed_gold(tmp_path, "heldout-")
    g = load_gold(tmp_path)
    assert g.statements and g.claims and g.organisations


def test_load_gold_reads_a_gold_subfolder(tmp_path):
    (tmp_path / "docs").mkdir()
    _copy_seed_gold(tmp_path / "gold", "x-")
    assert load_gold(tmp_path).statements


def test_load_gold_devset():
    g = load_gold(DEVSET_DIR)
    assert g.statements and g.claims and g.organisations
    assert load_gold(DEVSET_DIR / "gold").statements == g.statements


def test_scoring_registry_is_read_beside_or_above_the_gold(tmp_path):
    _copy_seed_gold(tmp_path / "gold", "x-")
    assert load_scoring_registry(tmp_path / "gold") == []
    (tmp_path / "organisations.yaml").write_text(
        "organisations:\n"
        "  - {id: nwa, name: North West Alliance, aliases: [NWA], type: other}\n"
        "  - {id: jo-bell, name: Jo Bell, type: person, member_of: nwa}\n", encoding="utf-8")
    extra = load_scoring_registry(tmp_path / "gold")
    assert [(a.id, a.aliases, a.member_of) for a in extra] == [("nwa", ("NWA",), None), ("jo-bell", (), "nwa")]


def test_scoring_registry_names_match_but_do_not_become_knowledge(knowledge, tmp_path):
    (tmp_path / "organisations.yaml").write_text(
        "organisations:\n"
        "  - {id: nw-alliance, name: North West Alliance, aliases: [NWA], type: other}\n"
        "  - {id: jb, name: Jo Bell, type: person, member_of: nw-alliance}\n", encoding="utf-8")
    extra = load_scoring_registry(tmp_path)
    g = gold([st("nw-alliance", "kinship-allowance"), st("nw-alliance", "adequate-funding")])
    predicted = {"statements": [pst("the-nwa", "The NWA", "kinship-allowance"),
                                pst("jo-bell", "Jo Bell", "adequate-funding")]}
    assert evaluate(predicted, g, knowledge).statements_strict.f1 == 0.0
    assert evaluate(predicted, g, knowledge, extra).statements_strict.f1 == 1.0
    assert "nw-alliance" not in knowledge.agents


def test_unreadable_scoring_registry_is_one_error(tmp_path):
    (tmp_path / "organisations.yaml").write_text("organisations: [{name: no id}]\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match="unreadable registry"):
        load_scoring_registry(tmp_path)


def test_load_gold_ambiguous(tmp_path):
    _copy_seed_gold(tmp_path, "a-")
    (tmp_path / "b-claims.csv").write_text((GOLD_DIR / "seed-claims.csv").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    with pytest.raises(EvaluationError, match="ambiguous"):
        load_gold(tmp_path)


def test_person_speaks_for_an_unregistered_organisation(knowledge):
    g = gold([st("Harbour Kinship Trust", "kinship-allowance")])
    ev = evaluate({"statements": [pst("jo-bell", "Jo Bell", "kinship-allowance",
                                      actor_member_of="harbour-kinship-trust")]}, g, knowledge)
    assert ev.statements_strict.f1 == 1.0
