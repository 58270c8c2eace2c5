"""The rule kinds of issue 17: asks in the imperative, warnings of consequences,
"the case for X", and a one-word heading that is an ordinary word of the text.

One short, newly worded text per case (none from the seeds, the development
sets or their gold), with invented organisations, or registry bodies whose
one-word names are also ordinary words (Frontline, Shelter).
"""

from __future__ import annotations

import pytest

from carekg.extract.sentences import analyse
from carekg.extract.stances import imperative
from carekg.extract.text import normalise
from carekg.vocab.knowledge import load_knowledge
from carekg.vocab.model import Extraction
from tests.extracttools import run

PUBLISHER = "Harrowgate Family Rights Collective"
ACTOR = "harrowgate-family-rights-collective"


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


def extract(knowledge, text: str) -> Extraction:
    return run(knowledge, text, publisher=PUBLISHER)


def stances(ex: Extraction) -> set[tuple[str, str, str]]:
    return {(s.actor_id, s.proposal_id, s.stance) for s in ex.statements}


def authors(ex: Extraction) -> set[str]:
    return {m.agent_id for m in ex.mentions if m.role in ("author", "speaker")}


def first_sentence_is_imperative(text: str) -> bool:
    _, sents = analyse(normalise(text).text)
    return imperative(sents[0])


# -- asks in the imperative ---------------------------------------------------------------
@pytest.mark.parametrize("text, proposal", [
    ("Give every young person leaving foster care the option to stay with their carers until they turn 21.",
     "raise-care-leaving-age"),
    ("Fund independent advocacy for each child in a children's home.", "independent-advocacy"),
    ("Fund the kinship allowance properly, and guarantee it for every grandparent carer.", "kinship-allowance"),
    ("Give every child in a children's home an advocate who answers to them and not to the council.",
     "independent-advocacy"),
    ("Make being care experienced a protected characteristic under equality law.",
     "care-experience-protected-characteristic"),
])
def test_an_imperative_sentence_is_an_ask(knowledge, text, proposal):
    assert (ACTOR, proposal, "support") in stances(extract(knowledge, text))


@pytest.mark.xfail(strict=True, reason="the recogniser ranks kinship-allowance first (margin about -0.36 since the "
                                       "examples of no proposal were added) but under LEARNED_MIN_SCORE (-0.2), "
                                       "so the ask the imperative gate lets through names no proposal")
def test_an_imperative_ask_in_words_no_label_holds(knowledge):
    text = "Give grandparents who take in a grandchild a weekly payment on a par with what foster carers receive."
    assert (ACTOR, "kinship-allowance", "support") in stances(extract(knowledge, text))


def test_bullets_opening_with_an_imperative_are_asks(knowledge):
    text = ("What we want to see:\n"
            "• Extend independent advocacy to every child placed out of area.\n"
            "• Ban profit-making children's homes from the market.\n")
    found = stances(extract(knowledge, text))
    assert (ACTOR, "independent-advocacy", "support") in found
    assert (ACTOR, "curb-provider-profits", "support") in found
    assert not any(stance == "oppose" for _, _, stance in found)


def test_dashed_list_of_asks(knowledge):
    text = ("Our three asks of the next government:\n"
            "- Pay grandparents raising grandchildren a kinship allowance.\n"
            "- Cap the profits of private providers of children's homes.\n"
            "- Guarantee independent advocacy for every child in care.\n")
    assert {(ACTOR, p, "support") for p in ("kinship-allowance", "curb-provider-profits", "independent-advocacy")} \
        <= stances(extract(knowledge, text))


@pytest.mark.parametrize("text", [
    # the same words, described rather than asked for
    "Councils fund independent advocacy for each child in a children's home.",
    "Councils make being care experienced a protected characteristic in their own policies.",
    "Councils will give every young person leaving foster care the option to stay with their carers until 21.",
    "Extended independent advocacy reached every child placed out of area last year.",
    # a lower-case opener continues a sentence: no ask of its own
    "and give every young person leaving foster care the option to stay with their carers until 21.",
    "fund independent advocacy for each child in a children's home.",
    # a question is no ask
    "Give every young person leaving foster care the option to stay with their carers until 21?",
    "Extend independent advocacy to every child placed out of area?",
    "Introduce regional care cooperatives? Not in our name.",
])
def test_no_ask_without_a_capitalised_imperative_outside_a_question(knowledge, text):
    assert not any(stance == "support" for _, _, stance in stances(extract(knowledge, text)))


@pytest.mark.parametrize("text, expected", [
    ("Give every care leaver a home.", True),
    ("• Fund councils properly.", True),
    ("Protect sibling contact.", True),
    ("“Bring back the allowance,” she said.", True),
    ("give every care leaver a home.", False),
    ("Give every care leaver a home?", False),
    ("Giving every care leaver a home matters.", False),
    ("Councils give every care leaver a home.", False),
    ("Back me up on this.", False),  # "back me", "set up": not an ask of a proposal
    ("Fund.", False),  # a verb alone asks for nothing
])
def test_imperative_gate(text, expected):
    assert first_sentence_is_imperative(text) is expected


def test_please_then_an_imperative_is_an_ask(knowledge):
    text = "Please give every child in care access to an independent advocate."
    assert first_sentence_is_imperative(text)
    assert (ACTOR, "independent-advocacy", "support") in stances(extract(knowledge, text))


# -- warnings of consequences -------------------------------------------------------------
@pytest.mark.parametrize("text, proposal", [
    ("Making regional care cooperatives compulsory would fragment the relationships councils have built "
     "with local foster carers.", "regional-care-cooperatives"),
    ("Turning every council into a regional care cooperative would fragment local relationships.",
     "regional-care-cooperatives"),
    ("A cap on the profits of private providers risks pushing smaller homes out of the market altogether.",
     "curb-provider-profits"),
    ("A profit cap would deter investment in new places.", "curb-provider-profits"),
])
def test_a_warning_of_consequences_opposes(knowledge, text, proposal):
    found = stances(extract(knowledge, text))
    assert (ACTOR, proposal, "oppose") in found
    assert (ACTOR, proposal, "support") not in found


def test_a_warning_against_taking_something_away_supports_it(knowledge):
    found = stances(extract(knowledge, "Abolishing independent reviewing officers would weaken the safeguards "
                                       "children in care rely on."))
    assert found == {(ACTOR, "independent-reviewing-officers", "support")}


def test_a_warning_in_a_question_opposes_nothing(knowledge):
    text = ("Would making regional care cooperatives compulsory fragment the relationships councils have built "
            "with local foster carers?")
    assert not stances(extract(knowledge, text))


@pytest.mark.xfail(strict=True, reason="the learned match spans the whole sentence, so the SUPPORT cue 'investment "
                                       "in' (the object of 'would deter') outweighs the VERDICT_NEG warning")
def test_a_warning_in_words_no_label_holds_opposes(knowledge):
    text = "Capping what private providers earn from children's homes would deter investment in new places."
    assert stances(extract(knowledge, text)) == {(ACTOR, "curb-provider-profits", "oppose")}


# -- the case for X -----------------------------------------------------------------------
@pytest.mark.parametrize("text, proposal", [
    ("There is a strong case for a kinship allowance paid at the same rate as fostering allowances.",
     "kinship-allowance"),
    ("In our view there is a strong case for an independent advocate for every child in care.",
     "independent-advocacy"),
    ("The case for regional care cooperatives is overwhelming.", "regional-care-cooperatives"),
])
def test_a_case_for_supports(knowledge, text, proposal):
    found = stances(extract(knowledge, text))
    assert (ACTOR, proposal, "support") in found
    assert (ACTOR, proposal, "oppose") not in found


def test_a_case_debated_is_no_stance(knowledge):
    assert not stances(extract(knowledge, "The case for a kinship allowance was debated at the conference."))


# -- a one-word heading that is an ordinary word -------------------------------------------
def test_a_heading_in_lower_case_elsewhere_is_a_topic(knowledge):
    text = "Frontline\n\nMuch of the pressure falls on frontline teams.\n\nWe call for a kinship allowance.\n"
    ex = extract(knowledge, text)
    assert "frontline" not in authors(ex)
    assert not any(m.agent_id == "frontline" for m in ex.mentions)
    assert stances(ex) == {(ACTOR, "kinship-allowance", "support")}


def test_a_heading_over_a_paragraph_using_the_word(knowledge):
    text = "Shelter\n\nWe think that shelter and warmth are basic. We call for a kinship allowance.\n"
    ex = extract(knowledge, text)
    assert "shelter" not in authors(ex)
    assert stances(ex) == {(ACTOR, "kinship-allowance", "support")}


def test_a_heading_the_text_never_writes_in_lower_case_opens_its_section(knowledge):
    text = "Frontline\n\nMuch of the pressure falls on social work teams. We call for a kinship allowance.\n"
    ex = extract(knowledge, text)
    assert "frontline" in authors(ex)
    assert ("frontline", "kinship-allowance", "support") in stances(ex)


@pytest.mark.parametrize("heading, agent", [("FRONTLINE", "frontline"), ("SHELTER", "shelter")])
def test_a_heading_in_capitals_still_opens_its_section(knowledge, heading, agent):
    text = (f"{heading}\n\nMuch of the pressure falls on {agent} teams, and on families without {agent}. "
            "We call for a kinship allowance paid to every grandparent raising a grandchild.\n")
    ex = extract(knowledge, text)
    assert agent in authors(ex)
    assert (agent, "kinship-allowance", "support") in stances(ex)
    assert (ACTOR, "kinship-allowance", "support") not in stances(ex)


# -- asks in a list, after an ordinal, and asking someone to act ---------------------------
def test_lower_case_list_items_under_an_asking_line_are_asks(knowledge):
    text = ("We are asking the incoming administration to:\n"
            "• extend staying put so foster carers can keep young people at home until 21;\n"
            "• give every child in a children's home an independent advocate.\n")
    found = stances(extract(knowledge, text))
    assert (ACTOR, "raise-care-leaving-age", "support") in found
    assert (ACTOR, "independent-advocacy", "support") in found


@pytest.mark.parametrize("text, expected", [
    ("First, give every child in residential care an advocate.", True),
    ("Finally, protect sibling contact in every placement.", True),
    ("First, councils give every child an advocate.", False),  # a subject: a description, not an ask
    ("and give every child an advocate.", False),  # "and" continues a sentence
])
def test_an_ordinal_before_an_imperative(text, expected):
    assert first_sentence_is_imperative(text) is expected


def test_asking_someone_to_act_is_an_ask(knowledge):
    text = "Our trustees are asking the Treasury to restore the kinship allowance in the spring budget."
    assert (ACTOR, "kinship-allowance", "support") in stances(extract(knowledge, text))


# -- what a body means to do: "the Government's intention to X" -----------------------------
@pytest.mark.parametrize("text, holder, proposal, stance", [
    ("We welcome the Government's clear intention to raise the care leaving age to 21.",
     "uk-government", "raise-care-leaving-age", "support"),
    ("We doubt the Government's plan to introduce regional care cooperatives.",
     "uk-government", "regional-care-cooperatives", "support"),
    ("We are troubled by the Government's plan to scrap independent reviewing officers.",
     "uk-government", "independent-reviewing-officers", "oppose"),
])
def test_a_bodys_intention_is_its_own_position(knowledge, text, holder, proposal, stance):
    assert (holder, proposal, stance) in stances(extract(knowledge, text))


def test_a_plan_for_a_field_is_no_position_on_what_follows(knowledge):
    text = ("Charities backed the direction of the Government's plan for children's services, "
            "but warned that its funding falls short.")
    assert not any(holder == "uk-government" for holder, _, _ in stances(extract(knowledge, text)))


# -- two bodies joined by "and The …" are two names -------------------------------------------
def test_two_bodies_joined_by_and_the_are_two(knowledge):
    text = "Last spring we wrote with Pause and The Children's Society to the minister."
    names = {m.agent_id for m in extract(knowledge, text).mentions}
    assert {"pause", "childrens-society"} <= names
    assert not any(" and " in agent or "-and-the-" in agent for agent in names)
