"""Who holds a position among many voices, and what counts as one: one short,
newly worded text per capability (none taken from the seeds or the devset).

The bodies and people here are invented (or generic registry bodies), so a
rule passes only if it reads English, not a name it has seen.
"""

from __future__ import annotations

import pytest

from carekg.vocab.knowledge import load_knowledge
from carekg.vocab.model import Extraction
from tests.extracttools import PUBLISHER, PUBLISHER_ID, run

CHARITY = PUBLISHER
CHARITY_ID = PUBLISHER_ID


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


def stances(ex: Extraction) -> set[tuple[str, str, str]]:
    return {(s.actor_id, s.proposal_id, s.stance) for s in ex.statements}


def holders(ex: Extraction, proposal: str) -> set[str]:
    return {s.actor_id for s in ex.statements if s.proposal_id == proposal}


# -- quoted and reported speech ------------------------------------------------------------
@pytest.mark.parametrize("text", [
    # owner after the quote, with role and organisation
    "“Councils need a kinship allowance written into law,” said Maya Oduya, chief executive of the Eastfield "
    "Carers Trust.",
    # owner before the quote
    "Maya Oduya, chief executive of the Eastfield Carers Trust, said: “Every kinship carer must receive an allowance.”",
    # the organisation's role and the person, in apposition
    "The Eastfield Carers Trust welcomed the report. Its chief executive, Maya Oduya, said: “A kinship "
    "allowance must follow.”",
    # "said role Name"
    "“A kinship allowance is overdue,” said chief executive Maya Oduya.",
])
def test_quoted_person_holds_the_quotation(knowledge, text):
    ex = run(knowledge, text, publisher="Riverside Gazette")
    assert holders(ex, "kinship-allowance") == {"maya-oduya"}


def test_person_is_linked_to_the_body_she_speaks_for(knowledge):
    ex = run(knowledge, "Maya Oduya, director of policy at the Eastfield Carers Trust, said the kinship "
                        "allowance must be paid nationally.", publisher="Riverside Gazette")
    assert ex.agents["maya-oduya"].member_of == "eastfield-carers-trust"
    assert ("maya-oduya", "kinship-allowance", "support") in stances(ex)


def test_surname_later_in_the_text_is_the_same_person(knowledge):
    text = ("Maya Oduya, chief executive of the Eastfield Carers Trust, spoke at the launch.\n\n"
            "Oduya was cooler about regional care cooperatives, which she said would add a layer of bureaucracy.")
    ex = run(knowledge, text, publisher="Riverside Gazette")
    assert ("maya-oduya", "regional-care-cooperatives", "oppose") in stances(ex)


def test_spokesperson_speaks_for_the_body(knowledge):
    text = "A spokesperson for the Eastfield Carers Trust said a kinship allowance should be paid to every carer."
    ex = run(knowledge, text, publisher="Riverside Gazette")
    assert holders(ex, "kinship-allowance") == {"eastfield-carers-trust"}


def test_body_spokesperson_after_quote(knowledge):
    text = ("The Eastfield Carers Trust objected to the cap. “A kinship allowance must be paid to every family,” "
            "a spokesperson said.")
    ex = run(knowledge, text, publisher="Riverside Gazette")
    assert holders(ex, "kinship-allowance") == {"eastfield-carers-trust"}


def test_parenthetical_he_said(knowledge):
    text = ("Tom Ashby, president of the Western Directors Association, spoke first. Councils, he said, could not "
            "support regional care cooperatives without new money.")
    ex = run(knowledge, text, publisher="Riverside Gazette")
    assert holders(ex, "regional-care-cooperatives") == {"tom-ashby"}


def test_according_to_a_body(knowledge):
    text = "According to the Eastfield Carers Trust, a kinship allowance is the single most urgent reform."
    ex = run(knowledge, text, publisher="Riverside Gazette")
    assert holders(ex, "kinship-allowance") == {"eastfield-carers-trust"}


def test_round_up_heading_names_the_speaker_of_the_quotation(knowledge):
    text = ("What the sector said\n\n"
            "Maya Oduya, Chief Executive, Eastfield Carers Trust\n"
            "“We urge ministers to introduce a kinship allowance this year.”\n\n"
            "Tom Ashby, President, Western Directors Association\n"
            "“Regional care cooperatives will only add cost. We oppose them.”\n")
    ex = run(knowledge, text, publisher="Harbour & Lyle LLP")
    assert holders(ex, "kinship-allowance") == {"maya-oduya"}
    assert ("tom-ashby", "regional-care-cooperatives", "oppose") in stances(ex)
    assert ex.agents["tom-ashby"].member_of == "western-directors-association"


def test_employer_without_head_noun_found_from_the_speaker_line(knowledge):
    text = "Round-up\n\nPriya Shah, Director, Open Doors Kin\n“Kinship carers deserve an allowance.”\n"
    ex = run(knowledge, text, publisher="Harbour & Lyle LLP")
    assert ex.agents["priya-shah"].member_of == "open-doors-kin"


# -- joint statements and letters ------------------------------------------------------------
def test_signatories_listed_at_the_end_each_hold_every_ask(knowledge):
    text = ("An open statement on kinship care\n\nWe call on the government to introduce a kinship allowance.\n\n"
            "Signed:\nEastfield Carers Trust\nWestbrook Family Network\nHillside Kin Alliance\n")
    ex = run(knowledge, text, publisher=None)
    assert holders(ex, "kinship-allowance") == {"eastfield-carers-trust", "westbrook-family-network",
                                                "hillside-kin-alliance"}


def test_letter_signed_by_a_person_for_a_body_and_a_person_alone(knowledge):
    text = ("Dear Secretary of State,\n\nWe ask you to make care experience a protected characteristic.\n\n"
            "Yours sincerely,\n\nJo Marsh, campaigner\nAlex Fenn, Chief Executive, Eastfield Carers Trust\n")
    ex = run(knowledge, text, publisher=None)
    assert holders(ex, "care-experience-protected-characteristic") == {"jo-marsh", "eastfield-carers-trust"}


def test_coordinated_subjects_each_hold_the_ask(knowledge):
    text = ("In a letter to the minister, the Eastfield Carers Trust and the Westbrook Family Network call on "
            "ministers to make care experience a protected characteristic.")
    ex = run(knowledge, text, publisher="Riverside Gazette")
    assert holders(ex, "care-experience-protected-characteristic") == {"eastfield-carers-trust",
                                                                        "westbrook-family-network"}


# -- third parties ------------------------------------------------------------------------
def test_government_refusal_is_the_governments(knowledge):
    text = "Ministers have again ruled out making care experience a protected characteristic. We disagree."
    found = stances(run(knowledge, text))
    assert ("uk-government", "care-experience-protected-characteristic", "oppose") in found
    # disagreeing with a refusal asks for the thing
    assert (CHARITY_ID, "care-experience-protected-characteristic", "support") in found


def test_the_review_recommends_is_the_reviews_position(knowledge):
    text = ("The Independent Review of Children's Social Care has reported. We are worried by the review's plan "
            "to abolish independent reviewing officers.")
    found = stances(run(knowledge, text))
    assert ("care-review", "independent-reviewing-officers", "oppose") in found
    assert (CHARITY_ID, "independent-reviewing-officers", "support") in found


def test_passive_agent_holds_the_position(knowledge):
    text = "We think the national rules on agency social workers introduced by the government are a first step."
    found = stances(run(knowledge, text))
    assert ("uk-government", "regulate-agency-social-work", "support") in found


def test_as_the_review_proposed(knowledge):
    text = ("The Independent Review of Children's Social Care reported in May. The government will not make care "
            "experience a protected characteristic, as the review had recommended.")
    found = stances(run(knowledge, text, publisher="Riverside Gazette"))
    assert ("uk-government", "care-experience-protected-characteristic", "oppose") in found
    assert ("care-review", "care-experience-protected-characteristic", "support") in found


def test_relative_clause_keeps_its_subject(knowledge):
    text = ("The rally was organised by the Eastfield Carers Trust, which is calling for a kinship allowance "
            "for every carer.")
    ex = run(knowledge, text, publisher="Riverside Gazette")
    assert holders(ex, "kinship-allowance") == {"eastfield-carers-trust"}


# -- genre -------------------------------------------------------------------------------------
def test_news_publisher_holds_no_position(knowledge):
    text = ("Carers march for allowance\n\nBy Sam Reed\n\nCouncils should pay kinship carers an allowance, "
            "campaigners argue. Maya Oduya, chief executive of the Eastfield Carers Trust, said the allowance "
            "was overdue.")
    ex = run(knowledge, text, publisher="Riverside Gazette")
    assert "riverside-gazette" not in {s.actor_id for s in ex.statements}
    assert ("maya-oduya", "kinship-allowance", "support") in stances(ex)


def test_media_in_registry_holds_no_position(knowledge):
    ex = run(knowledge, "A kinship allowance must be introduced, the sector says.", publisher="guardian")
    assert not ex.statements


def test_a_body_writing_as_we_holds_its_asks(knowledge):
    ex = run(knowledge, "We want every kinship carer to receive an allowance.", publisher="Riverside Gazette")
    assert ("riverside-gazette", "kinship-allowance", "support") in stances(ex)


# -- position first: cues, negation, hedges -------------------------------------------------
@pytest.mark.parametrize("text, proposal, stance", [
    ("We are glad to see the strategy recognise kinship carers' need for an allowance.", "kinship-allowance",
     "support"),
    ("We have serious reservations about regional care cooperatives.", "regional-care-cooperatives", "oppose"),
    ("We remain unpersuaded that regional care cooperatives will add places.", "regional-care-cooperatives",
     "oppose"),
    ("We are less sure about regional care cooperatives.", "regional-care-cooperatives", "oppose"),
    ("A cap on provider profits is a blunt tool that would choke off investment.", "curb-provider-profits",
     "oppose"),
    ("Leaving care experience out of equality law was a missed opportunity.",
     "care-experience-protected-characteristic", "support"),
    ("The plan falls short of the kinship allowance families were promised.", "kinship-allowance", "support"),
    ("We object to the plan to scrap independent reviewing officers.", "independent-reviewing-officers",
     "support"),
])
def test_evaluative_and_concern_forms(knowledge, text, proposal, stance):
    assert (CHARITY_ID, proposal, stance) in stances(run(knowledge, text))


def test_hedge_is_no_position(knowledge):
    text = "Regional care cooperatives should be carefully piloted before any national roll-out."
    assert not holders(run(knowledge, text), "regional-care-cooperatives")


def test_question_is_no_position(knowledge):
    assert not run(knowledge, "Will regional care cooperatives really add places?").statements


def test_nearer_ask_governs_the_thing(knowledge):
    text = ("We remain opposed to placing 16- and 17-year-olds in supported accommodation and will keep "
            "campaigning for care until 18.")
    found = stances(run(knowledge, text))
    assert (CHARITY_ID, "unregulated-accommodation-standards", "oppose") in found
    assert (CHARITY_ID, "care-for-all-under-18", "support") in found
    assert (CHARITY_ID, "care-for-all-under-18", "oppose") not in found


def test_refusing_a_ban_is_against_what_the_ban_would_bring(knowledge):
    # the label names the remedy ("a ban on …"): refusing it refuses the remedy
    text = "We do not back calls for an outright ban on supported accommodation for 16- and 17-year-olds."
    found = stances(run(knowledge, text))
    assert (CHARITY_ID, "care-for-all-under-18", "oppose") in found
    assert (CHARITY_ID, "care-for-all-under-18", "support") not in found


def test_stance_on_the_topic_before(knowledge):
    text = "Ministers want regional care cooperatives in every region. We are not convinced by them."
    assert (CHARITY_ID, "regional-care-cooperatives", "oppose") in stances(run(knowledge, text))


# -- which proposal ---------------------------------------------------------------------------
def test_body_named_after_its_cause_states_nothing(knowledge):
    text = "The Kinship Allowance Campaign met councillors on Tuesday."
    assert not run(knowledge, text, publisher="Riverside Gazette").statements


def test_body_described_by_its_cause_states_nothing(knowledge):
    text = ("Jo Marsh, director of the children's rights charity Eastfield Voice, said the rules were welcome.")
    ex = run(knowledge, text, publisher="Riverside Gazette")
    assert not holders(ex, "childrens-rights")


def test_narrower_concept_wins_on_its_own_words(knowledge):
    text = "Place a legal duty on councils to offer support to parents after a child is removed from their care."
    ex = run(knowledge, "We call on the government to:\n\n1. " + text)
    assert holders(ex, "statutory-post-removal-duty") == {CHARITY_ID}


def test_stance_in_words_no_label_holds(knowledge):
    # the semantic fallback, after a position is found
    text = "Every child in care should live with adults whose job is to care for them until their eighteenth birthday."
    assert (CHARITY_ID, "care-for-all-under-18", "support") in stances(run(knowledge, text))


# -- actors and entity resolution ----------------------------------------------------------------
def test_honorifics_are_not_part_of_the_name(knowledge):
    ex = run(knowledge, "“Councils need a kinship allowance,” said Cllr Dana Pike, chair of the Western "
                        "Directors Association.", publisher="Riverside Gazette")
    assert "dana-pike" in ex.agents and ex.agents["dana-pike"].label == "Dana Pike"


def test_the_department_points_back_to_the_government(knowledge):
    text = ("The Department for Education published its plan. The department's intention to introduce national "
            "rules on agency social workers was welcomed.")
    assert ("uk-government", "regulate-agency-social-work", "support") in stances(
        run(knowledge, text, publisher="Riverside Gazette"))


def test_leading_the_and_acronym_resolve_to_one_actor(knowledge):
    text = ("The Eastfield Carers Trust (ECT) met ministers. Eastfield Carers Trust staff attended. "
            "ECT said a kinship allowance was overdue.")
    ex = run(knowledge, text, publisher="Riverside Gazette")
    ids = {a for a in ex.agents if "eastfield" in a or a == "ect"}
    assert ids == {"eastfield-carers-trust"}


def test_common_word_opening_a_sentence_is_not_a_body(knowledge):
    # "Kinship" is a charity's name, but "Kinship care is …" opens with the ordinary word
    text = "Kinship care is growing. Councils underestimate kinship care costs."
    ex = run(knowledge, text, publisher="Riverside Gazette")
    assert "kinship" not in ex.agents


# -- claims precision ------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Call our advice line on 0808 100 2020 for help.",
    "Under section 20 of the Children Act 1989 councils may accommodate a child.",
    "Paragraph 4.3 sets out our concerns in detail.",
    "Question 6: do you agree with the proposed 12 standards?",
    "She is 64 and has cared for her grandsons since 2019.",
    "We call for research into why 40% of placements break down.",
    "Did the evaluation find that family group conferences work?",
])
def test_numbers_that_are_not_evidence(knowledge, text):
    assert not run(knowledge, text).claims


def test_a_continuing_figure_joins_its_claim(knowledge):
    text = "Some 9,000 children live in these settings. That is two in five of all 16- and 17-year-olds in care."
    claims = run(knowledge, text).claims
    assert len(claims) == 1 and claims[0].span.quote == text
