"""What an analyst reads: a consultation answer's quote carries its question; an
actor on both sides of one proposal in one document is a conflict in
build-report.json; no value is read out of a year or a financial-year range.

Every text here is newly worded, with invented organisations (none from the seeds
or the development sets).
"""

from __future__ import annotations

import csv
import json
import re

import pytest

from carekg.build import BuildSummary, build, find_conflicts
from carekg.extract.claims import is_question, quantities
from carekg.vocab.knowledge import load_knowledge
from carekg.vocab.model import Extraction
from tests.extracttools import run

PUBLISHER = "Marrowby Foster Network"
ACTOR = "marrowby-foster-network"


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


def extract(knowledge, text: str) -> Extraction:
    return run(knowledge, text, publisher=PUBLISHER)


def _ends_as_question(quote: str) -> bool:
    return bool(re.search(r"\?[\"'”’)\]]*\s*$", quote))


# -- 1. a consultation answer's quote runs from its question to its answer ------------------
@pytest.mark.parametrize("question, answer, proposal, stance", [
    ("Question 6: Do you agree that every care leaver should have a personal adviser until 25?",
     "Our response: Yes.", "support-into-adulthood", "support"),
    ("Q11. Should regional care cooperatives commission all placements in an area?",
     "Answer: No, we disagree.", "regional-care-cooperatives", "oppose"),
    # the question read as an ask of a numbered list gives way to the answer
    ("7. Should the hourly rates of agency social workers be capped nationally?", "No.",
     "regulate-agency-social-work", "oppose"),
    # an answer that also names the proposal: one statement, with its question
    ("Q2. Do you support a kinship allowance?", "Yes, we support a kinship allowance for every carer.",
     "kinship-allowance", "support"),
])
def test_answer_quote_runs_from_the_question_to_the_answer(knowledge, question, answer, proposal, stance):
    text = f"{question}\n{answer}\n"
    ex = extract(knowledge, text)
    found = [s for s in ex.statements if (s.actor_id, s.proposal_id) == (ACTOR, proposal)]
    assert [s.stance for s in found] == [stance]
    span = found[0].span
    core = question.split(". ", 1)[-1]  # the question sentence, whatever its number is split into
    assert span.start <= text.index(core) and span.start >= 0
    assert text[span.start:span.end] == span.quote  # code-point offsets into the original text
    assert span.quote.endswith(answer)
    assert span.end == text.index(answer) + len(answer)


def test_answer_over_several_sentences_quotes_up_to_the_verdict(knowledge):
    question = "Q4. Should regional care cooperatives take over the commissioning of foster placements?"
    answer = ("Answer: Partly. Shared contracts between neighbouring councils have merits. "
              "We do not agree that cooperatives should replace councils.")
    text = f"{question}\n{answer}\n\nWe would welcome a longer pilot.\n"
    ex = extract(knowledge, text)
    found = [s for s in ex.statements if (s.actor_id, s.proposal_id, s.stance)
             == (ACTOR, "regional-care-cooperatives", "oppose")]
    assert len(found) == 1
    quote = found[0].span.quote
    assert quote.startswith("Should regional care cooperatives") and quote.endswith("should replace councils.")
    assert "longer pilot" not in quote


def test_several_answers_each_carry_their_own_question(knowledge):
    text = ("Q1. Do you agree that every care leaver should have a personal adviser until 25?\nResponse: Yes.\n\n"
            "Q2. Should regional care cooperatives commission all placements in an area?\nResponse: No.\n")
    ex = extract(knowledge, text)
    quotes = {s.proposal_id: s.span.quote for s in ex.statements if s.actor_id == ACTOR}
    assert quotes["support-into-adulthood"].endswith("until 25?\nResponse: Yes.")
    assert "Q2" not in quotes["support-into-adulthood"]
    assert quotes["regional-care-cooperatives"].startswith("Should regional care cooperatives")
    assert quotes["regional-care-cooperatives"].endswith("Response: No.")
    assert "personal adviser" not in quotes["regional-care-cooperatives"]


def test_numbered_question_then_no_is_no_conflict(knowledge):
    """Before: "7. Should X?" (a numbered item, read as an ask) gave support and its
    answer "No." oppose: the same speaker on both sides, the support quoting the question alone."""
    text = "7. Should every looked-after child have access to an independent advocate?\nOur answer: No.\n"
    ex = extract(knowledge, text)
    mine = {(s.proposal_id, s.stance) for s in ex.statements if s.actor_id == ACTOR}
    assert mine == {("independent-advocacy", "oppose")}
    assert not [s for s in ex.statements if _ends_as_question(s.span.quote)]


@pytest.mark.parametrize("text", [
    "Should every looked-after child have access to an independent advocate?\n",
    "Q3. Do you agree that a kinship allowance should be paid to every kinship carer?\n",
    "Question 9: Should regional care cooperatives commission all placements in an area?\n\nOur view is set out below.\n",
])
def test_a_question_alone_states_no_position(knowledge, text):
    assert not extract(knowledge, text).statements


# Questions that still give a statement quoting the question alone, through the
# topic carry-over ("carries_stance" in stances.py reads a cue without asking
# whether the sentence is a question). Left to the owners of stances.py / the
# carry-over branches of carekg/extract/__init__.py: see the report of this change.
@pytest.mark.xfail(reason="carries_stance/third_party_on_topic take no account of questions", strict=False)
@pytest.mark.parametrize("text", [
    "We welcome the plan for regional care cooperatives. Worried about the cost?\n",
    "The government will not introduce a kinship allowance this year. Do you agree?\n",
])
def test_a_question_after_a_topic_is_no_statement_of_its_own(knowledge, text):
    assert not [s for s in extract(knowledge, text).statements if _ends_as_question(s.span.quote)]


# -- 2. one actor on both sides of a proposal in a document: a conflict to review ------------
def _row(document, actor, proposal, stance, start, end, quote="q"):
    return {"document": document, "actor_id": actor, "proposal_id": proposal, "stance": stance, "quote": quote,
            "start": start, "end": end, "statement_id": f"{document}/{actor}/{proposal}/{start}-{end}"}


def test_find_conflicts_pairs_both_sides_per_document_actor_and_proposal():
    rows = [
        _row("b.txt", "ashcombe-trust", "kinship-allowance", "oppose", 90, 120),
        _row("b.txt", "ashcombe-trust", "kinship-allowance", "support", 40, 80),
        _row("b.txt", "ashcombe-trust", "kinship-allowance", "support", 0, 30),
        _row("a.txt", "ashcombe-trust", "kinship-allowance", "support", 0, 30),  # one side only
        _row("c.txt", "ashcombe-trust", "kinship-allowance", "oppose", 5, 9),  # the other side, another document
        _row("a.txt", "ellerby-council", "adequate-funding", "oppose", 50, 60),
        _row("a.txt", "ellerby-council", "adequate-funding", "support", 10, 20),
    ]
    conflicts = find_conflicts(rows)
    assert [(c["document"], c["actor_id"], c["proposal_id"]) for c in conflicts] == [
        ("a.txt", "ellerby-council", "adequate-funding"), ("b.txt", "ashcombe-trust", "kinship-allowance")]
    b = conflicts[1]
    assert [(p["start"], p["end"]) for p in b["support"]] == [(0, 30), (40, 80)]
    assert [(p["start"], p["end"]) for p in b["oppose"]] == [(90, 120)]
    assert find_conflicts(list(reversed(rows))) == conflicts  # the order of the rows does not matter


def test_conflict_line_counts_conflicts_and_documents(tmp_path):
    summary = BuildSummary(tmp_path, tmp_path)
    assert summary.conflict_line() is None
    summary.conflicts = find_conflicts([_row("a.txt", "x", "p", "support", 0, 1), _row("a.txt", "x", "p", "oppose", 2, 3)])
    assert summary.conflict_line().startswith("1 conflicting stance(s) to review in 1 document(s)")


CONFLICTED = ("Ashcombe Youth Advocacy Trust\n\n"
              "We call for a kinship allowance for every carer in England.\n\n"
              "We oppose a kinship allowance paid through the benefits system.\n")
AGREED = "Ashcombe Youth Advocacy Trust\n\nWe call for a kinship allowance for every carer in England.\n"


def _corpus(folder):
    folder.mkdir()
    (folder / "conflicted.txt").write_text(CONFLICTED, encoding="utf-8")
    (folder / "agreed.txt").write_text(AGREED, encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,title,publisher,published,language,source_note\n"
        "conflicted.txt,Response,Ashcombe Youth Advocacy Trust,2023,en,\n"
        "agreed.txt,Briefing,Ashcombe Youth Advocacy Trust,2023,en,\n", encoding="utf-8")
    return folder


def test_build_report_lists_an_actor_on_both_sides_as_a_conflict(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    summary = build(corpus, tmp_path / "out", validate=False)
    report_bytes = (tmp_path / "out" / "build-report.json").read_bytes()
    report = json.loads(report_bytes)
    assert report["conflicts"] == summary.conflicts
    assert len(report["conflicts"]) == 1
    conflict = report["conflicts"][0]
    assert (conflict["document"], conflict["actor_id"], conflict["proposal_id"]) == (
        "conflicted.txt", "ashcombe-youth-advocacy-trust", "kinship-allowance")
    for side, words in (("support", "We call for a kinship allowance"), ("oppose", "We oppose a kinship allowance")):
        (passage,) = conflict[side]
        assert passage["quote"].startswith(words)
        assert CONFLICTED[passage["start"]:passage["end"]] == passage["quote"]
        assert passage["statement_id"].startswith("conflicted.txt/ashcombe-youth-advocacy-trust/kinship-allowance/")
    # the conflict is the statements export's rows, so an analyst finds them there by id
    ids = {row["statement_id"] for row in csv.DictReader((tmp_path / "out" / "statements.csv").open(encoding="utf-8"))}
    assert {p["statement_id"] for side in ("support", "oppose") for p in conflict[side]} <= ids
    assert "1 conflicting stance(s) to review in 1 document(s)" in summary.conflict_line()
    # deterministic: the same inputs give the same report
    build(corpus, tmp_path / "again", validate=False)
    assert (tmp_path / "again" / "build-report.json").read_bytes() == report_bytes


def test_a_rejected_side_is_no_longer_a_conflict(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    first = build(corpus, tmp_path / "out", validate=False)
    (oppose,) = first.conflicts[0]["oppose"]
    (corpus / "corrections.csv").write_text(
        "action,id,document,actor,proposal,stance,kind,role,quote,by,note\n"
        f"reject,{oppose['statement_id']},,,,,,,,Pat Reviewer,the benefits route is a detail\n", encoding="utf-8")
    assert build(corpus, tmp_path / "out", validate=False).conflicts == []
    assert json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))["conflicts"] == []


# -- 3. years and financial-year ranges are dates, not values ---------------------------------
@pytest.mark.parametrize("text", [
    "2010/11 early intervention budgets were the last to grow.",
    "In 2023-24 councils overspent on placements.",
    "The 2019–20 accounts of the trust were late.",
    "Spending was compared in 2010/11 and 2022/23 by the auditors.",
    "FY2019/20 returns from councils were incomplete.",
    "The 1999/00 figures for adoption were revised.",
    "Councils closed 12 in 2010 and more since.",
])
def test_no_value_is_read_out_of_a_year_range(text):
    years = set(re.findall(r"\d+", text)) - {"12"}
    values = quantities(text)
    assert not [q for q in values if q.value is not None and any(q.text.find(y) >= 0 for y in years)], values
    assert not [q for q in values if q.unit == "percent"], values  # "12 in 2010" is no share


@pytest.mark.parametrize("text, value, unit", [
    ("Councils cut £1.2bn from family support.", 1.2e9, "GBP"),
    ("48% of foster carers considered quitting.", 48.0, "percent"),
    ("The pilot ran in 38 practices across the region.", 38.0, "practices"),
    ("Only 11 of 20 councils replied to the survey.", 20.0, "councils"),
    ("The number of kinship carers fell by 3,000 between 2010 and 2020.", 3000.0, "change"),
    ("In 2010/11, 48% of councils cut 38 services.", 38.0, "services"),
    ("In 2010/11, 48% of councils cut 38 services.", 48.0, "percent"),
    ("Between 2015-16 and 2020-21 there were 12 closures of children's homes.", 12.0, "closures"),
    ("In 2023/24 there were 3,000 more children in care.", 3000.0, "children"),
    ("Since 2019/20 the grant has risen by £45 million.", 45e6, "GBP"),
])
def test_true_quantities_still_parse(text, value, unit):
    values = quantities(text)
    assert (value, unit) in {(q.value, q.unit) for q in values}, values
    assert not {2010.0, 2020.0, 11.0, 16.0, 21.0, 24.0} & {q.value for q in values if q.unit != "councils"}


def test_fell_by_keeps_the_change_not_the_years():
    values = quantities("The number of kinship carers fell by 3,000 between 2010 and 2020.")
    assert [q.value for q in values if q.value is not None] == [3000.0]


def test_a_number_joined_by_a_slash_is_no_count():
    assert [(q.value, q.unit) for q in quantities("A 24/7 helpline for 300 children.")] == [(300.0, "children")]


def test_claim_without_the_year_fragment(knowledge):
    text = "Since 2010/11 early intervention spending by councils in England has fallen in real terms.\n"
    ex = extract(knowledge, text)
    assert ex.claims
    assert all(q.value != 11.0 for c in ex.claims for q in c.values)


@pytest.mark.parametrize("text, asks", [
    ("Why do 40% of care leavers end up without a home?", True),
    ('"Why do 40% of care leavers end up without a home?"', True),
    ("“Why are 3,000 children still waiting?”", True),
    ("(Who pays for it?)", True),
    ("40% of care leavers end up without a home.", False),
])
def test_a_question_in_quotes_is_still_a_question(text, asks):
    assert is_question(text) is asks


def test_a_quoted_question_offers_no_evidence(knowledge):
    text = ('"Why do 40% of care leavers end up without a home?" asked Ruth Penhale, director of the '
            'Coldharbour Housing Trust.\n')
    assert not extract(knowledge, text).claims
