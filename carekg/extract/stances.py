"""Which way a sentence leans on the concepts it names.

Cues are general ways English asks for or refuses something, matched on
stems with a spaCy PhraseMatcher (attr NORM), so "we are calling for" and
"we call for" are one cue:
- SUPPORT: asking (recommend, call for, urge, want to see, should, must,
  need to, is needed, essential, crucial) and welcoming (welcome, pleased to
  see, encouraged to see, strongly support).
- COMPLAINT: a complaint about an absence asks for the absent thing (lack of,
  absence of, fails to, not sufficiently, not enough, disappointed that … not).
- OPPOSE: refusing (oppose, do not support, reject, not convinced, concerned
  about) — turned into support when what worries the speaker is the loss or
  questioning of the thing (concerned about cuts to X, about whether X).
- NEGATED ASK: "should not" opposes only what it directly governs through a
  verb of bringing about (should not introduce X); "should not abandon X"
  asks for X; anything else under its scope is left undecided.
- THIRD PARTY: "<Agent>'s proposals to X", "<Agent> recommends X": the agent
  supports X ("<Agent> rejected X": opposes) and the speaker's own stance on
  X is not read from that clause.
The phrases of every family, and the other word lists read here, are data
in ``lexicon.yaml`` (section ``stances``): a new phrasing of a stance cue
goes there, a new phrasing of a proposal to ``ontology/codebook.ttl``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from carekg.extract import lexicon
from carekg.extract.proposals import ConceptMatch
from carekg.extract.sentences import Sent, is_question, nlp, phrase_doc

# The cue families (lexicon.yaml, stances.cues): family name -> phrases. The
# names are read below; the phrases are data.
CUES: dict[str, tuple[str, ...]] = lexicon.families("stances.cues")


@lru_cache(maxsize=1)
def cue_matcher() -> PhraseMatcher:
    matcher = PhraseMatcher(nlp().vocab, attr="NORM")
    for family, phrases in CUES.items():
        matcher.add(family, [phrase_doc(p) for p in phrases])
    return matcher


class Cue(NamedTuple):  # a tuple: built for every cue of every line
    family: str
    start: int
    end: int


_FAMILY_NAMES: dict[int, str] = {}  # match id -> family name (a StringStore lookup costs more)


def line_cues(doc: Doc) -> list[Cue]:
    """All cue matches of a line Doc (run once per line)."""
    names = _FAMILY_NAMES
    out = []
    for mid, s, e in cue_matcher()(doc):
        name = names.get(mid)
        if name is None:
            name = names[mid] = nlp().vocab.strings[mid]
        out.append(Cue(name, s, e))
    return out


@dataclass(frozen=True)
class Judgement:
    actor_id: str
    concept: str
    stance: str
    confidence: float
    match: ConceptMatch | None


def _in(c: Cue, sent: Sent) -> bool:
    return sent.span.start <= c.start < sent.span.end


def _overlaps(c: Cue, m: ConceptMatch) -> bool:
    return c.start < m.end and m.start < c.end and any(c.start <= p < c.end for p in m.positions)


_REFUSING = frozenset({"OPPOSE", "THIRD_OPPOSE", "NEGATION", "DISAGREE"})
_ASKING = frozenset({"SUPPORT", "THIRD_SUPPORT", "AGREE", "FIRST_PERSON_ASK"})


def _without_nested(cues) -> list[Cue]:
    """Asking cues inside a refusing one are its words, not an ask: "support"
    in "does not support", "plans" in "has no plans to"."""
    cues = list(cues)
    refusing = [c for c in cues if c.family in _REFUSING]
    return [c for c in cues if not (c.family in _ASKING and any(
        r.start <= c.start and c.end <= r.end and (r.end - r.start) > (c.end - c.start) for r in refusing))]


def judge(sent: Sent, matches: list[ConceptMatch], cues: list[Cue], speakers: list[str],
          agent_hits: list[tuple[int, int, str]], ask_context: bool) -> list[Judgement]:
    """Stances of the sentence's speakers (and of third parties it reports)."""
    if not matches:  # most sentences: nothing to take a stance on
        return []
    doc = sent.line.doc
    cues = _without_nested(c for c in cues if _in(c, sent))
    fam: dict[str, list[Cue]] = {}
    for c in cues:
        fam.setdefault(c.family, []).append(c)
    question = is_question(sent.text)
    out: list[Judgement] = []
    for m in matches:
        own = [c for c in cues if not _overlaps(c, m)]  # a label's own words are no cue
        by: dict[str, list[Cue]] = {f: [] for f in CUES}
        for c in own:
            by[c.family].append(c)
        by["LABEL_DEPRIVE"] = [c for c in cues if c.family == "DEPRIVE" and _overlaps(c, m)]
        out.extend(Judgement(a, m.concept, "support", 0.6, m) for a in _as_proposed(m, by, agent_hits, doc))
        out.extend(Judgement(a, m.concept, stance, 0.6, m) for a, stance in _intended_by(m, by, agent_hits, doc)
                   if a not in speakers)
        thirds = _third_parties(m, by, agent_hits, speakers, doc)
        # a body's refusal after the thing ("…, after X declined to do so") leaves
        # the speaker's own stance on it to be read
        later = [t for t in thirds if t[2] >= m.end]
        out.extend(Judgement(t[0], m.concept, t[1], 0.7, m) for t in later)
        thirds = [t for t in thirds if t[2] < m.end]
        third = thirds[0] if thirds else None
        if third is not None:
            for other in thirds:
                # a speaker named as the subject speaks with its co-speakers (a joint statement)
                holders = speakers if other[0] in speakers else [other[0]]
                out.extend(Judgement(a, m.concept, other[1], 0.75, m) for a in holders)
            # the speaker's own verdict on the other's proposal, when explicit:
            # "we reject the government's plans to X", "we welcome its plan to X"
            mine = _own_verdict(by, third[2]) if third[0] not in speakers else None
            if mine:
                # a verdict on the other's proposal: rejecting a plan to scrap X is for X
                on_thing = third[1] if mine == "support" else ("support" if third[1] == "oppose" else "oppose")
                out.extend(Judgement(a, m.concept, on_thing, 0.7, m) for a in speakers)
            continue
        stance, conf = _stance(m, by, doc, question, ask_context)
        if stance:
            out.extend(Judgement(a, m.concept, stance, conf, m) for a in speakers)
    return out


def _as_proposed(m: ConceptMatch, by: dict[str, list[Cue]], agent_hits: list[tuple[int, int, str]],
                 doc: Doc) -> list[str]:
    """"…, as the review had proposed" and the passive "X, introduced by the
    government": after the thing, an agent who proposed or brought it in —
    that agent supports the thing itself, whatever the sentence says of it."""
    for c in by["THIRD_SUPPORT"] + by["SUPPORT"]:
        if c.start < m.end or c.start - m.end > 12:
            continue
        k = c.end  # the passive: "the rules confirmed by the government"
        if k < len(doc) and doc[k].lower_ == "by":
            for start, _, agent_id in agent_hits:
                if start in (k + 1, k + 2) and all(doc[j].lower_ in ("the", "a") for j in range(k + 1, start)):
                    return [agent_id]
        for start, end, agent_id in agent_hits:  # "as the review had proposed"
            if not (m.end <= start and end <= c.start):
                continue
            before = start - 1
            while before > m.end and doc[before].lower_ in ("the", "a"):
                before -= 1
            # "…, as the review had proposed", "X, which the review recommended"
            if doc[before].lower_ in ("as", "which", "that") and all(doc[j].lower_ in _AUX for j in range(end, c.start)):
                return [agent_id]
    return []


# What a body means to do, as nouns after its possessive: "the Government's
# clear intention to X", "the council's plan to X", "the department's pledge to X".
_INTENT_NOUNS = lexicon.words("stances.intent_nouns")


def _intended_by(m: ConceptMatch, by: dict[str, list[Cue]], agent_hits: list[tuple[int, int, str]],
                 doc: Doc) -> list[tuple[str, str]]:
    """"[Body]'s (clear) intention / plan / commitment to X": the body is for X,
    whoever speaks (a welcome or a doubt of it is the speaker's own stance);
    its plan to scrap X is against X."""
    found = []
    for start, end, agent_id in agent_hits:
        if end >= len(doc) or doc[end].lower_ not in ("'s", "’s", "s'"):
            continue
        k = end + 1
        while k < len(doc) and k - end <= 3 and doc[k].lower_ not in _INTENT_NOUNS:
            k += 1  # an adjective or two: "clear", "long-awaited"
        if k >= len(doc) or doc[k].lower_ not in _INTENT_NOUNS:
            continue
        if k + 1 < len(doc) and doc[k + 1].lower_ == "to" and 0 <= m.start - (k + 1) <= 8:
            losing = any(k + 1 <= c.start < m.start for c in by["DEPRIVE"])
            found.append((agent_id, "oppose" if losing else "support"))
    return found


# Stance verbs that report the position of their grammatical subject when
# that subject is a named agent ("X is not convinced by", "X welcomed"); modal
# asks (should, must) are excluded: "the government should X" is the
# speaker's ask of the government.
_SUBJECT_VERBS = lexicon.words("stances.subject_verbs")
# Words between an agent's name and its stance verb that keep the agent as
# the verb's subject ("X has today strongly rejected", "X, which is calling for").
_AUX = lexicon.words("stances.aux")


_DO_SO = frozenset({("do", "so"), ("do", "it"), ("do", "this"), ("do", "that")})


def _third_parties(m: ConceptMatch, by: dict[str, list[Cue]], agent_hits: list[tuple[int, int, str]],
                   speakers: list[str], doc=None) -> list[tuple[str, str, int]]:
    """Every agent named right before a proposing/refusing verb that governs
    m, the first found first: "X declined Y's recommendation that Z" is X
    against Z and Y for it."""
    found: list[tuple[str, str, int]] = []
    taken: set[int] = set()  # agent hits already placed
    while True:
        third = _third_party(m, by, [h for h in agent_hits if h[0] not in taken], speakers, doc)
        if third is None or any(third[0] == f[0] for f in found):
            break
        found.append(third)
        taken.add(third[2])
    if doc is not None:
        # after the thing: "…, after the government declined to do so", "X refused to do it"
        for family, stance in (("THIRD_OPPOSE", "oppose"), ("THIRD_SUPPORT", "support")):
            for c in by[family]:
                if c.start < m.end or c.start - m.end > 15:
                    continue
                after = tuple(doc[k].lower_ for k in range(c.end, min(len(doc), c.end + 3)))
                if after[:2] not in _DO_SO and after[1:3] not in _DO_SO:  # "declined to do so", "refused to do it"
                    continue
                for start, end, agent_id in agent_hits:
                    if 0 <= c.start - end <= 4 and all(doc[k].lower_ in _AUX for k in range(end, c.start)) \
                            and agent_id not in speakers and all(f[0] != agent_id for f in found):
                        found.append((agent_id, stance, start))
    return found


def _third_party(m: ConceptMatch, by: dict[str, list[Cue]], agent_hits: list[tuple[int, int, str]],
                 speakers: list[str], doc=None) -> tuple[str, str, int] | None:
    """An agent named right before a proposing/refusing verb that governs m."""
    # refusals first: "had no plans to" also holds the proposing word "plans"
    families = (("THIRD_OPPOSE", "oppose", 1), ("THIRD_SUPPORT", "support", 1),
                ("OPPOSE", "oppose", 3), ("SUPPORT", "support", 3))
    for family, stance, gap in families:
        for c in by[family]:
            if not (c.end <= m.start and m.start - c.end <= 12):
                continue
            if gap > 1 and (doc is None or not any(doc[k].norm_ in _SUBJECT_VERBS for k in range(c.start, c.end))):
                continue
            for start, end, agent_id in agent_hits:
                # the speaker named in the third person ("The Forum supports X",
                # as submissions and press copy write) holds the position too
                if not 0 <= c.start - end <= gap + 5:
                    continue
                if doc is not None and not all(doc[k].lower_ in _AUX for k in range(end, c.start)):
                    continue
                if stance == "oppose" and _deprived(m, by, doc, c):
                    stance = "support"  # "X warned against accommodation with no care" is for care
                elif stance == "support" and _removes(m, by, c):
                    stance = "oppose"  # "X proposes that the role be abolished" is against the role
                return agent_id, stance, start
    return None


def _removes(m: ConceptMatch, by: dict[str, list[Cue]], cue: Cue) -> bool:
    """Whether what an agent proposes is to take the thing away: a verb of
    removal between the proposing cue and the thing, or right after it
    ("plans to scrap X", "proposes that X be abolished")."""
    return bool([d for d in by["DEPRIVE"] if cue.end <= d.start < m.start and m.start - d.end <= 3]
                or [d for d in by["DEPRIVE"] if d.start >= m.end and d.start - m.end <= 3])


def _own_verdict(by: dict[str, list[Cue]], agent_start: int) -> str | None:
    """An explicit first-clause verdict before the other agent is named."""
    if any(c.end <= agent_start and agent_start - c.end <= 4 for c in by["OPPOSE"]):
        return "oppose"
    strong = [c for c in by["SUPPORT"] if c.end <= agent_start and agent_start - c.end <= 4]
    if strong:
        return "support"
    return None


_PASSIVE = lexicon.words("stances.passive")  # "X being scrapped": the loss of X


def _deprived(m: ConceptMatch, by: dict[str, list[Cue]], doc: Doc | None = None, cue: Cue | None = None) -> bool:
    """Whether the match names a loss or absence, so refusing it supports the
    thing: a word of loss in the matched label ("cuts to early help"), before
    the thing ("concerned about cuts to X"), inside it ("accommodation that
    offers no care") or after it in the passive ("X being scrapped"). A
    label's word of ending names the remedy, not a loss, and cancels an
    absence inside the thing ("a ban on placements without care" is for care)."""
    losses = [c for c in by["DEPRIVE"] if c.end <= m.start and m.start - c.end <= 6]
    inside = [c for c in by["DEPRIVE"] if m.start < c.start < m.end]
    for c in by["DEPRIVE"]:
        if c.start >= m.end and c.start - m.end <= 3 and (
                doc is None or any(doc[k].lower_ in _PASSIVE for k in range(m.end, c.start))):
            losses.append(c)
    if cue is not None:  # the refusing words themselves ("no plans to") are not the thing's loss
        losses = [c for c in losses if not (cue.start <= c.start < cue.end)]
    label = list(by["LABEL_DEPRIVE"])
    if doc is not None and any(doc[c.start].lower_ in _ENDING for c in label):
        # a label that ends something ("a ban on unregulated placements") names
        # the remedy, not a loss; it cancels an absence inside the thing
        inside = [c for c in inside if doc[c.start].lower_ not in _ABSENCE]
        label = [c for c in label if doc[c.start].lower_ not in _ENDING]
    return bool(losses or inside or label)


# A label's word of ending cancels an absence inside the thing ("a ban on
# placements without care" is for care).
_ENDING = lexicon.words("stances.ending")
_ABSENCE = lexicon.words("stances.absence")


def _verdict(m: ConceptMatch, by: dict[str, list[Cue]], doc: Doc | None = None) -> str | None:
    """A verdict on the thing the sentence's subject names: "X is a blunt
    instrument" (oppose), "X is the right choice" (support); the verdict
    follows the thing within a clause."""
    for family, stance in (("VERDICT_NEG", "oppose"), ("VERDICT_POS", "support")):
        if any(m.end <= c.start and c.start - m.end <= 10 for c in by[family]):
            if stance == "oppose" and _deprived(m, by, doc):
                return "support"
            return stance
    return None


def _stance(m: ConceptMatch, by: dict[str, list[Cue]], doc: Doc, question: bool,
            ask_context: bool) -> tuple[str | None, float]:
    if question and not ask_context:
        return None, 0.0  # a question takes no position (its answer may: ``answer_stance``)
    if by["HEDGE"] and not by["OPPOSE"]:
        return None, 0.0  # "should be piloted carefully before any roll-out" is neither for nor against
    if by["OPPOSE"]:
        cue = min(by["OPPOSE"], key=lambda c: abs(c.start - m.start))
        # an ask nearer the thing governs it: "opposed to X and will campaign for Y"
        # ("we do not back calls for X": the ask right after the refusal is what is refused)
        nearer_ask = any(cue.end + 1 < a.start and a.end <= m.start for a in by["SUPPORT"] + by["FIRST_PERSON_ASK"])
        if cue.end <= m.start and not nearer_ask:
            if _deprived(m, by, doc, cue) or by["COMPLAINT"]:
                return "support", 0.6
            return "oppose", 0.75
    if by["NEGATION"]:
        # before the thing, or inside a label spread over the sentence ("care
        # leavers should not lose support through adulthood")
        neg = [c for c in by["NEGATION"] if c.end <= m.start or m.start < c.start < m.end]
        if neg:
            cue = max(neg, key=lambda c: c.end)
            between = [c for c in by["DEPRIVE"] if cue.end <= c.start < max(m.start, cue.end + 3)]
            if between:
                return "support", 0.65
            create = [c for c in by["CREATE"] if cue.end <= c.start < m.start and m.start - c.end <= 4]
            if create and m.start - cue.end <= 6:
                return "oppose", 0.65
            return None, 0.0
    verdict = _verdict(m, by, doc)
    if verdict:
        return verdict, 0.65
    if by["COMPLAINT"]:
        # "does nothing to end X" complains that X goes on
        if any(k.end <= c.start and c.end <= m.start and m.start - c.end <= 4
               for c in by["DEPRIVE"] for k in by["COMPLAINT"]):
            return "oppose", 0.6
        return "support", 0.7
    if question and not ask_context:
        return None, 0.0
    if by["SUPPORT"] or by["FIRST_PERSON_ASK"]:
        # an ask to take the thing away: "we want to end X", "X should be scrapped"
        asks = by["SUPPORT"] + by["FIRST_PERSON_ASK"]
        for c in asks:
            if c.end <= m.start and any(c.end <= d.start and 0 <= m.start - d.end <= 3 for d in by["DEPRIVE"]):
                return "oppose", 0.6
        return "support", 0.8
    if ask_context:
        return "support", 0.65
    return None, 0.0


# Words that point back to something named before ("We oppose it", "We
# support putting this on a statutory footing", "the rules are a reasonable
# first step") and the nouns by which English refers back to a proposal.
ANAPHORS = lexicon.words("stances.anaphors")
PROPOSAL_NOUNS = lexicon.words("stances.proposal_nouns")
_BACK_DETERMINERS = lexicon.words("stances.back_determiners")  # "this decision", "the plans"
_CARRY = {"OPPOSE": "oppose", "DISAGREE": "oppose", "VERDICT_NEG": "oppose", "SUPPORT": "support",
          "AGREE": "support", "VERDICT_POS": "support", "COMPLAINT": "support", "FIRST_PERSON_ASK": "support"}


def carries_stance(sent: Sent, cues: list[Cue]) -> str | None:
    """A sentence with no concept of its own that takes a stance on the
    topic before it: a stance cue with something pointing back in its reach
    ("We oppose it", "We disagree with this decision", "We back the rules",
    "That is a two-tier system") or a bare verdict ("We disagree.")."""
    doc = sent.line.doc
    mine = [c for c in cues if _in(c, sent) and c.family in _CARRY]
    if not mine:
        return None
    lo, hi = sent.span.start, sent.span.end
    lowers = [doc[k].lower_ for k in range(lo, hi)]
    words = [w for w in lowers if w[:1].isalnum()]
    back = [lo + i for i, w in enumerate(lowers) if w in ANAPHORS or w in PROPOSAL_NOUNS and i > 0
            and lowers[i - 1] in _BACK_DETERMINERS]
    short = len(words) <= 6
    # "… remains unconvinced." — the verdict closes the sentence: it is on the topic
    last = max((k for k in range(lo, hi) if doc[k].text[:1].isalnum()), default=lo)
    closing = [c for c in mine if c.end - 1 >= last]
    # "deserve" speaks of its subject's due ("They deserve help"), not of the
    # topic before, so it never carries it
    mine = [c for c in mine if doc[c.start].norm_ != "deserv"]
    if not mine or not (back or short or closing):
        return None
    # refusal wins over an ask in the same sentence ("we urge ministers not to…" aside)
    for family in ("OPPOSE", "DISAGREE", "VERDICT_NEG", "COMPLAINT", "VERDICT_POS", "AGREE", "SUPPORT",
                   "FIRST_PERSON_ASK"):
        for c in mine:
            if c.family != family:
                continue
            if short or c in closing or any(abs(b - c.start) <= 8 for b in back):
                return _CARRY[family]
    return None


_POSITION_FAMILIES = frozenset({"SUPPORT", "OPPOSE", "COMPLAINT", "VERDICT_NEG", "VERDICT_POS", "FIRST_PERSON_ASK",
                                "NEGATION"})


def third_party_on_topic(sent: Sent, cues: list[Cue], agent_hits: list[tuple[int, int, str]]
                         ) -> tuple[str, str] | None:
    """"The review recommended exactly this", "the government declined to do
    so": a named body, a proposing or refusing verb, and a word pointing
    back — the body's stance on the topic before."""
    doc = sent.line.doc
    for c in cues:
        if not _in(c, sent) or c.family not in ("THIRD_SUPPORT", "THIRD_OPPOSE", "OPPOSE", "SUPPORT"):
            continue
        after = [doc[k].lower_ for k in range(c.end, min(sent.span.end, c.end + 4))]
        if not any(w in ANAPHORS or w == "so" for w in after):
            continue
        for start, end, agent_id in agent_hits:
            if 0 <= c.start - end <= 6 and all(doc[k].lower_ in _AUX for k in range(end, c.start)):
                if c.family in ("OPPOSE", "SUPPORT") and not any(
                        doc[k].norm_ in _SUBJECT_VERBS for k in range(c.start, c.end)):
                    continue
                return agent_id, ("oppose" if c.family in ("THIRD_OPPOSE", "OPPOSE") else "support")
    return None


def states_position(sent: Sent, cues: list[Cue]) -> bool:
    """Whether the sentence asks, welcomes, refuses or judges something (a
    position cue outside a question, or an ask in the imperative): the gate
    before any loose matching."""
    if is_question(sent.text):
        return False
    return any(c.family in _POSITION_FAMILIES and _in(c, sent) for c in cues) or imperative(sent)


def position_sentences(sents: list[Sent], cues: dict[int, list[Cue]]) -> set[int]:
    """The indices of the sentences that pass the position gate
    (:func:`states_position`), given each line's cues (:func:`line_cues`)."""
    return {s.index for s in sents if s.line.doc is not None and states_position(
        s, [c for c in cues.get(s.line.index, ()) if _in(c, s)])}


_IMPERATIVE = lexicon.words("stances.imperative_verbs")
_IMPERATIVE_OPENERS = lexicon.words("stances.imperative_openers")


def imperative(sent: Sent) -> bool:
    """A sentence that opens with a verb in the imperative ("Give care leavers
    …", "Fund early help properly.", after a bullet or a number): an ask. The
    verb is capitalised, unless it opens a list item ("• rebuild …") or
    follows an opener ("Please give", "First, fund"): a lower-case verb
    elsewhere continues a sentence ("… and make sure"). A question is no ask."""
    doc = sent.line.doc
    if doc is None or is_question(sent.text):
        return False
    # a list item may open in lower case ("• rebuild …"): the bullet starts the ask
    lower_ok = sent.line.kind == "item" and sent.span.start == _first_word(sent.line)
    for k in range(sent.span.start, min(sent.span.end, sent.span.start + 6)):
        token = doc[k]
        if not token.text[:1].isalpha():
            continue  # a bullet, a number, a quote mark, the comma after "First"
        if token.lower_ in _IMPERATIVE_OPENERS:
            lower_ok = True  # "Please give …", "First, fund …": the verb after it is in lower case
            continue
        return ((token.text[:1].isupper() or lower_ok) and token.lower_ in _IMPERATIVE and k + 1 < sent.span.end
                and doc[k + 1].text[:1].isalpha() and doc[k + 1].lower_ not in ("me", "up"))
    return False


def _first_word(line) -> int:
    """The token index of the line's first word."""
    return next((k for k, t in enumerate(line.texts) if t[:1].isalpha()), 0)


def first_person_ask(sent: Sent, cues: list[Cue]) -> Cue | None:
    """The cue of an explicit first-person ask in this sentence, if any."""
    for c in cues:
        if c.family == "FIRST_PERSON_ASK" and _in(c, sent):
            return c
    return None


_ANSWER_OPENERS = lexicon.words("stances.answer_openers")  # "Response: No."


def answer_stance(sent: Sent, cues: list[Cue]) -> str | None:
    """The verdict of an answer to a question ("Response: No. We disagree.",
    "Yes.", "We support the introduction of …"): a bare "Yes"/"No" opening
    the answer, else an agreeing or refusing cue (refusal wins: "do not agree"
    contains "agree")."""
    doc = sent.line.doc
    i = sent.span.start
    while i < sent.span.end and doc[i].lower_ in _ANSWER_OPENERS:
        i += 1
    if i < sent.span.end and doc[i].lower_ in ("yes", "no") and (
            i + 1 == sent.span.end or doc[i + 1].text in (".", ",", ";", "!", "-")):
        return "support" if doc[i].lower_ == "yes" else "oppose"
    mine = [c for c in cues if _in(c, sent)]
    if any(c.family == "DISAGREE" for c in mine):
        return "oppose"
    if any(c.family == "AGREE" for c in mine):
        return "support"
    return None
