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
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from carekg.extract.proposals import ConceptMatch
from carekg.extract.sentences import Sent, nlp, phrase_doc

CUES: dict[str, list[str]] = {
    "SUPPORT": [
        "recommend", "we recommend", "recommendation", "call for", "calling for", "call on", "urge",
        "want to see", "would like to see", "wish to see", "like to see", "hope to see", "want", "wanted",
        "should", "must", "need to", "needs to", "need for", "is needed", "are needed", "needed",
        "has to", "have to", "ought to", "essential", "crucial", "vital", "a priority", "prioritise",
        "priority", "we support", "strongly support", "fully support", "welcome",
        "pleased to see", "encouraged to see", "glad to see", "delighted", "endorse", "advocate for",
        "argue for", "push for", "campaign for", "ensure", "ensuring", "require", "it is time to",
        "commit to", "guarantee", "more investment", "increase investment", "invest in", "greater focus",
        "stronger focus", "more emphasis", "at the heart", "important that", "is important",
        "are important", "very important", "key to", "we need", "there needs to be",
        # asking in the first person and backing in the third (press copy:
        # "X said it supported / backed …"), general English ways to ask
        "we ask", "we also ask", "we are asking", "ask that", "asks that", "we back", "it back", "they back",
        "also back", "fully back", "strongly back", "is backing", "are backing", "it support", "they support",
        "also support", "would support", "in favour of", "deserve", "deserves",
        # a condition of success is an ask: "reform will only work if X"
        "only work if", "only works if", "only succeed if", "only succeeds if", "will only work",
    ],
    "COMPLAINT": [
        "lack of", "absence of", "fail to", "fails to", "failed to", "failure to", "failure of",
        "not sufficiently", "insufficient", "insufficiently", "not enough", "n't enough",
        "n't focus enough", "does not focus enough", "too little attention", "no mention",
        "not included", "was not included", "were not included", "missing",
        "disappointed that", "disappointing that", "lacking", "not considered", "not addressed",
        "n't sufficiently", "not say enough", "n't say enough", "not do enough", "n't do enough",
        "says little about", "too little about",
    ],
    "OPPOSE": [
        "oppose", "opposed to", "opposing", "are against", "is against", "remain against", "reject",
        "do not support", "don't support", "does not support", "cannot support", "can not support",
        "will not support", "not convinced", "object to", "concerned about", "concerned that",
        "concern about", "worried about", "worried that", "do not agree", "disagree with",
        "not in favour", "warn against", "caution against",
    ],
    "NEGATION": [
        "should not", "must not", "should n't", "must n't", "should never", "must never",
        "ought not", "need not", "do not want", "don't want", "do not need",
    ],
    # Words whose object is lost or doubted: under OPPOSE or NEGATION they
    # turn the stance round (concerned about cuts to X = for X).
    "DEPRIVE": [
        "abandon", "abandoned", "forget", "stop", "end", "cut", "cuts", "lose", "loss", "ignore",
        "separate", "deny", "delay", "overlook", "neglect", "reduce", "scrap", "abolish", "weaken",
        "water down", "whether", "question", "undermine", "challenge to", "lack", "absence", "erode",
        "less important", "sideline", "remove",
        # absence inside the object: "warn against accommodation that offers no care"
        "no", "without",
    ],
    # Verbs of bringing about: "should not introduce X" refuses X.
    "CREATE": [
        "introduce", "create", "adopt", "expand", "extend", "allow", "permit", "formalise",
        "formalize", "implement", "bring in", "rely on", "increase", "roll out", "make",
    ],
    # After an agent's name: the agent's own position.
    "THIRD_SUPPORT": [
        "'s proposal", "'s proposals", "'s plan", "'s plans", "'s proposed", "'s recommendation",
        "'s recommendations", "'s commitment", "'s pledge", "'s decision to", "'s intention to",
        "proposes", "proposed", "has proposed", "plans to", "recommends", "recommended",
        "has recommended", "is introducing", "will introduce", "announced", "intends to",
        "calls for", "called for", "wants to", "has committed to", "pledged",
        # third-person present and past of backing verbs: "X supports / backs / welcomes Y"
        "supports", "supported", "backs", "backed", "welcomes", "welcomed", "endorses", "endorsed",
        "urges", "urged", "calls on", "called on", "wants",
    ],
    "THIRD_OPPOSE": [
        "rejected", "rejects", "turned down", "refused", "has refused", "dropped", "scrapped",
        "ruled out", "opposes", "opposed", "has rejected",
    ],
    # Answers to a question (consultation responses): agreeing takes the
    # question's proposal, disagreeing refuses it.
    "AGREE": ["agree", "we agree", "strongly agree", "yes", "we support", "we welcome", "we would welcome",
              "in favour", "we endorse"],
    "DISAGREE": ["disagree", "do not agree", "don't agree", "not agree", "oppose", "reject", "not convinced",
                 "do not support", "don't support", "cannot support", "not in favour"],
    # Asks stated in the first person: an ask nobody's concept covers is
    # an emergent proposal only when it is this explicit.
    "FIRST_PERSON_ASK": [
        "we recommend", "we call for", "we are calling for", "we urge", "we want to see",
        "we would like to see", "we are asking for", "we propose", "we call on",
        "our recommendation is", "we ask", "we also ask", "we ask that",
    ],
}
STRONG_OPENERS = ("this", "that", "it", "these", "such", "doing", "they")


@lru_cache(maxsize=1)
def cue_matcher() -> PhraseMatcher:
    matcher = PhraseMatcher(nlp().vocab, attr="NORM")
    for family, phrases in CUES.items():
        matcher.add(family, [phrase_doc(p) for p in phrases])
    return matcher


@dataclass(frozen=True)
class Cue:
    family: str
    start: int
    end: int


def line_cues(doc: Doc) -> list[Cue]:
    """All cue matches of a line Doc (run once per line)."""
    strings = nlp().vocab.strings
    return [Cue(strings[mid], s, e) for mid, s, e in cue_matcher()(doc)]


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


def judge(sent: Sent, matches: list[ConceptMatch], cues: list[Cue], speakers: list[str],
          agent_hits: list[tuple[int, int, str]], ask_context: bool) -> list[Judgement]:
    """Stances of the sentence's speakers (and of third parties it reports)."""
    doc = sent.line.doc
    cues = [c for c in cues if _in(c, sent)]
    fam: dict[str, list[Cue]] = {}
    for c in cues:
        fam.setdefault(c.family, []).append(c)
    question = sent.text.rstrip().endswith("?")
    out: list[Judgement] = []
    for m in matches:
        own = [c for c in cues if not _overlaps(c, m)]  # a label's own words are no cue
        by = {f: [c for c in own if c.family == f] for f in CUES}
        by["LABEL_DEPRIVE"] = [c for c in cues if c.family == "DEPRIVE" and _overlaps(c, m)]
        third = _third_party(m, by, agent_hits, speakers, doc)
        if third is not None:
            # a speaker named as the subject speaks with its co-speakers (a joint statement)
            holders = speakers if third[0] in speakers else [third[0]]
            out.extend(Judgement(a, m.concept, third[1], 0.75, m) for a in holders)
            # the speaker's own verdict on the other's proposal, when explicit:
            # "we reject the government's plans to X", "we welcome its plan to X"
            mine = _own_verdict(by, third[2]) if third[0] not in speakers else None
            if mine:
                out.extend(Judgement(a, m.concept, mine, 0.7, m) for a in speakers)
            continue
        stance, conf = _stance(m, by, doc, question, ask_context)
        if stance:
            out.extend(Judgement(a, m.concept, stance, conf, m) for a in speakers)
    return out


# Stance verbs that report the position of their grammatical subject when
# that subject is a named agent ("X is not convinced by", "X welcomed"); modal
# asks (should, must) are excluded: "the government should X" is the
# speaker's ask of the government.
_SUBJECT_VERBS = frozenset("""
recommend call urg want welcom support endors advoc argu push campaign oppos reject object warn convinc
concern worri disagre
""".split())
_AUX = frozenset({"is", "are", "was", "were", "has", "have", "had", "remains", "remain", "also", "today",
                  "strongly", "would", "not", "'s", "does", "do", "did", "n't", "firmly", "still"})


def _third_party(m: ConceptMatch, by: dict[str, list[Cue]], agent_hits: list[tuple[int, int, str]],
                 speakers: list[str], doc=None) -> tuple[str, str, int] | None:
    """An agent named right before a proposing/refusing verb that governs m."""
    families = (("THIRD_SUPPORT", "support", 1), ("THIRD_OPPOSE", "oppose", 1),
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
                if not 0 <= c.start - end <= gap:
                    continue
                if doc is not None and not all(doc[k].lower_ in _AUX for k in range(end, c.start)):
                    continue
                if stance == "oppose" and _deprived(m, by):
                    stance = "support"  # "X warned against accommodation with no care" is for care
                return agent_id, stance, start
    return None


def _own_verdict(by: dict[str, list[Cue]], agent_start: int) -> str | None:
    """An explicit first-clause verdict before the other agent is named."""
    if any(c.end <= agent_start and agent_start - c.end <= 4 for c in by["OPPOSE"]):
        return "oppose"
    strong = [c for c in by["SUPPORT"] if c.end <= agent_start and agent_start - c.end <= 4]
    if strong:
        return "support"
    return None


def _deprived(m: ConceptMatch, by: dict[str, list[Cue]]) -> bool:
    """Whether the match names a loss or absence, so refusing it supports the thing."""
    return bool(
        by["LABEL_DEPRIVE"]  # the label names a loss: "cuts to early help"
        or [c for c in by["DEPRIVE"] if c.end <= m.start and m.start - c.end <= 6]
        or [c for c in by["DEPRIVE"] if c.start >= m.end and c.start - m.end <= 3]
        # a word of absence between the matched words ("accommodation that
        # offers no care"): what is refused is the absence of the thing
        or [c for c in by["DEPRIVE"] if m.start < c.start < m.end]
    )


def _stance(m: ConceptMatch, by: dict[str, list[Cue]], doc: Doc, question: bool,
            ask_context: bool) -> tuple[str | None, float]:
    if by["OPPOSE"]:
        cue = min(by["OPPOSE"], key=lambda c: abs(c.start - m.start))
        if cue.end <= m.start:
            if _deprived(m, by) or by["COMPLAINT"]:
                return "support", 0.6
            return "oppose", 0.75
    if by["NEGATION"]:
        neg = [c for c in by["NEGATION"] if c.end <= m.start]
        if neg:
            cue = max(neg, key=lambda c: c.end)
            between = [c for c in by["DEPRIVE"] if cue.end <= c.start < m.start]
            if between:
                return "support", 0.65
            create = [c for c in by["CREATE"] if cue.end <= c.start < m.start and m.start - c.end <= 4]
            if create and m.start - cue.end <= 6:
                return "oppose", 0.65
            return None, 0.0
    if by["COMPLAINT"]:
        return "support", 0.7
    if question and not ask_context:
        return None, 0.0
    if by["SUPPORT"] or by["FIRST_PERSON_ASK"]:
        return "support", 0.8
    if ask_context:
        return "support", 0.65
    return None, 0.0


def carries_stance(sent: Sent, cues: list[Cue]) -> str | None:
    """A sentence with no concept of its own that takes a stance on the
    previous sentence's topic: "This needs to be investigated", "We do not
    support this, as is proposed" — an anaphoric opener or an explicit
    first-person stance verb."""
    doc = sent.line.doc
    mine = [c for c in cues if _in(c, sent)]
    if not mine:
        return None
    first = doc[sent.span.start].lower_
    # only a plain first-person refusal ("we do not support", "we oppose"):
    # "we are concerned about" may be worry for the thing as much as against it
    opp = [c for c in mine if c.family == "OPPOSE" and doc[max(sent.span.start, c.start - 1)].lower_ in ("we", "i")
           and doc[c.start].lower_ not in ("concerned", "concern", "worried")]
    if opp:
        return "oppose"
    # "deserve" speaks of its subject's due ("They deserve help"), not of the
    # previous sentence's topic, so it never carries that topic
    if first in STRONG_OPENERS and any(c.family == "SUPPORT" and doc[c.start].norm_ != "deserv" for c in mine):
        return "support"
    # "We would like to see them …": an ask whose object is a pronoun
    for c in mine:
        if c.family in ("SUPPORT", "FIRST_PERSON_ASK") and c.end < sent.span.end \
                and doc[c.end].lower_ in ("them", "it", "this", "these", "they", "those", "that"):
            return "support"
    return None


def first_person_ask(sent: Sent, cues: list[Cue]) -> Cue | None:
    """The cue of an explicit first-person ask in this sentence, if any."""
    for c in cues:
        if c.family == "FIRST_PERSON_ASK" and _in(c, sent):
            return c
    return None


_ANSWER_OPENERS = frozenset({"response", "answer", "our", "a", "reply", ":", "-", ".", ","})


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
