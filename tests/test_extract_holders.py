"""Who holds a position: signatories referred back to by pronouns and short
forms, bodies whose position a text reports (recommended, declined, did not
recommend, ruled out), reported speech resumed by "it" or "the charity", and
news outlets that report positions without holding them.

Every text is newly worded, and every body and person in it invented (or a
generic registry body such as the government), so a rule passes only if it
reads English, not a name it has seen.
"""

from __future__ import annotations

import pytest

from carekg.vocab.knowledge import load_knowledge
from carekg.vocab.model import Extraction
from tests.extracttools import run

MARLOW = "marlow-foster-carers-trust"
EASTBROOK = "eastbrook-youth-network"
KESTREL = "kestrel-advocacy-alliance"
WESTMOOR = "westmoor-commission"
NEWS = "Hillside Courier"


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


def stances(ex: Extraction) -> set[tuple[str, str, str]]:
    return {(s.actor_id, s.proposal_id, s.stance) for s in ex.statements}


def holders(ex: Extraction, proposal: str, stance: str | None = None) -> set[str]:
    return {s.actor_id for s in ex.statements if s.proposal_id == proposal and (stance is None or s.stance == stance)}


def government(knowledge) -> str:
    from carekg.extract import resources
    return resources(knowledge).index.resolve("the government")


# -- joint texts: every signatory holds every ask, also those stated later by reference --------
def test_signatories_listed_at_the_end_hold_asks_stated_by_short_forms(knowledge):
    text = ("A letter to the Secretary of State\n\n"
            "We write as bodies that work every day with families raising a relative's child.\n\n"
            "The signatories ask for a kinship allowance paid to every such family.\n\n"
            "They also believe care experience should become a protected characteristic.\n\n"
            "Signed:\nMarlow Foster Carers Trust\nEastbrook Youth Network\nKestrel Advocacy Alliance\n")
    ex = run(knowledge, text, publisher=None)
    assert holders(ex, "kinship-allowance", "support") == {MARLOW, EASTBROOK, KESTREL}
    assert holders(ex, "care-experience-protected-characteristic", "support") == {MARLOW, EASTBROOK, KESTREL}


def test_bodies_backing_a_report_hold_what_the_backers_ask(knowledge):
    text = ("By Sam Reed, Social Affairs Correspondent\n\n"
            "A study of kinship families was published on Monday. It is supported by several groups, including "
            "the Marlow Foster Carers Trust, the Eastbrook Youth Network and the Kestrel Advocacy Alliance. "
            "The backers say every kinship family should get a kinship allowance.")
    ex = run(knowledge, text, publisher=NEWS)
    assert holders(ex, "kinship-allowance") == {MARLOW, EASTBROOK, KESTREL}


def test_pronoun_in_a_parenthesis_points_to_bodies_named_together(knowledge):
    text = ("In evidence to MPs, the Marlow Foster Carers Trust and the Eastbrook Youth Network went further. "
            "A kinship allowance, they argued, should be paid by every council.")
    ex = run(knowledge, text, publisher=NEWS)
    assert holders(ex, "kinship-allowance") == {MARLOW, EASTBROOK}


def test_the_two_bodies_point_back_to_the_pair(knowledge):
    text = ("The Marlow Foster Carers Trust and the Eastbrook Youth Network met the minister on Tuesday.\n\n"
            "The two organisations want a kinship allowance for every grandparent raising a grandchild.")
    ex = run(knowledge, text, publisher=NEWS)
    assert holders(ex, "kinship-allowance") == {MARLOW, EASTBROOK}


def test_the_charity_resumes_the_body_after_its_officer_is_quoted(knowledge):
    text = ("The Kestrel Advocacy Alliance, which runs helplines for relatives, fears the strategy will change "
            "little.\n\n"
            "“Families are running out of savings,” said Jo Pell, the alliance’s director.\n\n"
            "The charity wants a kinship allowance written into law.")
    ex = run(knowledge, text, publisher=NEWS)
    assert holders(ex, "kinship-allowance") == {KESTREL}


def test_an_apposition_with_commas_keeps_the_body_as_speaker(knowledge):
    text = ("The Kestrel Advocacy Alliance, a network of charities, carers and lawyers, said a kinship "
            "allowance was overdue.")
    ex = run(knowledge, text, publisher=NEWS)
    assert holders(ex, "kinship-allowance") == {KESTREL}


# -- third parties: the body whose position is reported holds it -------------------------------
def test_declining_a_bodys_recommendation(knowledge):
    gov = government(knowledge)
    text = ("The Westmoor Commission reported last spring. The Government has declined, for the time being, "
            "the Westmoor Commission's recommendation that care experience become a protected characteristic.")
    ex = run(knowledge, text)
    assert (gov, "care-experience-protected-characteristic", "oppose") in stances(ex)
    assert (WESTMOOR, "care-experience-protected-characteristic", "support") in stances(ex)
    assert not holders(ex, "care-experience-protected-characteristic") & {"northfield-kinship-alliance"}


def test_not_recommending_is_opposing(knowledge):
    text = "Oddly, the Westmoor Commission did not recommend a kinship allowance."
    ex = run(knowledge, text)
    assert (WESTMOOR, "kinship-allowance", "oppose") in stances(ex)
    assert (WESTMOOR, "kinship-allowance", "support") not in stances(ex)


def test_a_relative_clause_names_the_proposer(knowledge):
    text = "A kinship allowance, which the Westmoor Commission recommended, has still not been paid."
    ex = run(knowledge, text, publisher=NEWS)
    assert (WESTMOOR, "kinship-allowance", "support") in stances(ex)


def test_ministers_are_the_government(knowledge):
    gov = government(knowledge)
    text = "Ministers have ruled out a kinship allowance for the rest of this parliament."
    ex = run(knowledge, text, publisher=NEWS)
    assert (gov, "kinship-allowance", "oppose") in stances(ex)


def test_a_refusal_after_the_thing_leaves_the_speakers_ask(knowledge):
    gov = government(knowledge)
    text = ("The Eastbrook Youth Network said it would keep urging ministers to make care experience a "
            "protected characteristic, after the government declined to do so last month.")
    ex = run(knowledge, text, publisher=NEWS)
    assert (gov, "care-experience-protected-characteristic", "oppose") in stances(ex)
    assert (EASTBROOK, "care-experience-protected-characteristic", "support") in stances(ex)


# -- news: the outlet reports, it holds nothing -----------------------------------------------
def test_a_news_outlet_with_a_journalists_byline_holds_nothing(knowledge):
    text = ("Carers demand weekly payments\n\n"
            "By Sam Reed, Social Affairs Correspondent\n\n"
            "Grandparents raising grandchildren should receive a kinship allowance, a charity has said.\n\n"
            "The Eastbrook Youth Network wants a kinship allowance paid by every council.\n\n"
            "More stories\n"
            "• ‘We were never told what we were owed’: carers on the money\n")
    ex = run(knowledge, text, publisher=NEWS)
    assert "hillside-courier" not in {s.actor_id for s in ex.statements}
    assert EASTBROOK in holders(ex, "kinship-allowance")
