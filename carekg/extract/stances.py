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
        # welcoming and approving: "pleased that X", "glad the review recognised X"
        "pleased that", "pleased the", "pleased to", "glad that", "glad the", "delighted that", "heartened",
        "welcome that", "upbeat about", "positive about", "enthusiastic about", "keen to see", "keen on",
        # pressing for something over time: "has long argued for X", "will keep pressing for X"
        "argued for", "long argued", "lobbied for", "press for", "pressing for", "campaign for", "campaigning for",
        "fighting for", "fight for", "stand up for", "would rather see", "rather see", "prefer", "preferring",
        "pressing", "keep pressing", "continue to press", "press ministers", "press the government",
        "urgent", "urgently", "an urgent priority",
        "in favour", "must be accepted", "should be accepted", "accepted in full", "be implemented",
    ],
    "COMPLAINT": [
        "lack of", "absence of", "fail to", "fails to", "failed to", "failure to", "failure of",
        "not sufficiently", "insufficient", "insufficiently", "not enough", "n't enough",
        "n't focus enough", "does not focus enough", "too little attention", "no mention",
        "not included", "was not included", "were not included", "missing",
        "disappointed that", "disappointing that", "lacking", "not considered", "not addressed",
        "n't sufficiently", "not say enough", "n't say enough", "not do enough", "n't do enough",
        "says little about", "too little about",
        # a verdict on an absence: "the plan fell short of X", "a missed opportunity to X"
        "fell short of", "falls short of", "fall short of", "stops short of", "stopped short of",
        "missed opportunity", "silent on", "left out", "leaves out", "does nothing to", "did nothing to",
        "do nothing to",
    ],
    "OPPOSE": [
        "oppose", "opposed to", "opposing", "are against", "is against", "remain against", "reject",
        "do not support", "don't support", "does not support", "cannot support", "can not support",
        "will not support", "not convinced", "object to", "concerned about", "concerned that",
        "concern about", "worried about", "worried that", "do not agree", "disagree with",
        "not in favour", "warn against", "caution against",
        # doubt, unease and objection: "we have reservations about X", "X remains unconvinced by"
        "objected to", "objects to", "objecting to", "wary of", "unconvinced", "sceptical about",
        "sceptical of", "skeptical about", "skeptical of", "less sure about", "not sure about", "doubt that",
        "doubted that", "doubts that", "doubted", "reservations about", "unease about", "uneasy about",
        "cooler about", "cool on", "critical of", "criticised", "criticized", "disagree", "we disagree",
        "not agree", "does not agree", "did not agree", "opposition to", "opposed",
        "no to", "said no", "declined to", "no plans to", "ruled out", "rule out", "turned down",
        "refused to", "has refused", "have refused", "resisted", "resist",
        "nor are we convinced", "nor do we support", "nor do we agree", "nor convinced", "not persuaded",
        "not support", "worried by", "concerned by", "alarmed by", "dismayed by", "troubled by",
        "unpersuaded", "remain opposed", "remains opposed", "remained opposed",
    ],
    # Hedges: conditions and caution that make an ask neither support nor
    # opposition ("X should be carefully piloted before any national roll-out").
    "HEDGE": [
        "carefully piloted", "piloted first", "piloted before", "tested first", "tested before", "trialled first",
        "trialled before", "evaluated before", "before any roll-out", "before any national roll-out",
        "before it is rolled out", "before rolling out", "wait and see", "too early to say", "too early to tell",
        "remains to be seen", "jury is out", "with caution", "proceed cautiously", "proceed with care",
    ],
    # A verdict on what the sentence's subject names: "X is a blunt instrument",
    # "X would undermine …" oppose X; "X is the right choice" supports X.
    "VERDICT_NEG": [
        "blunt instrument", "is a mistake", "would be a mistake", "is wrong", "is misguided", "a disservice",
        "would undermine", "could undermine", "will undermine", "risks undermining", "make it worse",
        "makes it worse", "make things worse", "would choke off", "will not work", "would not work",
        "is not the answer", "not fine", "a backward step", "a step backwards", "a retrograde step",
        "second tier", "two-tier", "a national database", "should be abolished", "must be abolished",
        "should be scrapped", "must be scrapped", "should be dropped", "should be reversed",
        "must be reversed", "a loophole", "miss the point", "misses the point",
    ],
    "VERDICT_POS": [
        "the right choice", "is the right", "right step", "a step forward", "step in the right direction",
        "turning point", "a lifeline", "is not a luxury", "what keeps", "exactly the shift", "is welcome",
        "was welcome", "are welcome", "a welcome", "long-overdue", "long overdue", "game-changer",
        "game changer", "is essential", "is vital", "is crucial", "works", "worked", "did far better",
        "overdue", "first step", "a good start", "good first step",
        "do better", "does better",
    ],
    "NEGATION": [
        "should not", "must not", "should n't", "must n't", "should never", "must never",
        "ought not", "need not", "do not want", "don't want", "do not need",
    ],
    # Words whose object is lost or doubted: under OPPOSE or NEGATION they
    # turn the stance round (concerned about cuts to X = for X).
    "DEPRIVE": [
        "abandon", "abandoned", "forget", "stop", "end", "cut", "cuts", "lose", "loss", "ignore",
        "split up", "separated from", "deny", "delay", "overlook", "neglect", "reduce", "scrap", "abolish", "weaken",
        "ban", "banning", "prohibit", "outlaw",
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
        "'s aim of", "'s aim to", "'s ambition", "'s promise", "'s pledge to", "'s plan for", "'s proposal for",
        "'s plans for", "'s proposals for", "'s offer of", "has committed", "committed", "confirmed that",
        "presented this as", "presents this as", "say will", "says will", "hopes will", "hope will",
        "wants to", "want to", "is funding", "are funding", "has funded", "plans", "proposal", "proposals",
        "recommendation", "recommendations", "intends", "intend", "intention", "promised", "promises",
        "introduced", "brought in", "set out", "legislated for",
    ],
    "THIRD_OPPOSE": [
        "rejected", "rejects", "turned down", "refused", "has refused", "dropped", "scrapped",
        "ruled out", "opposes", "opposed", "has rejected", "rejected calls", "have rejected", "declined to",
        "said no to", "no plans to", "had no plans to", "has no plans to", "would not", "will not",
        "said it would not", "said they would not", "is not convinced", "remains unconvinced", "objected to",
        "was wary of", "is wary of", "were wary of", "warned against", "doubted",
    ],
    # Answers to a question (consultation responses): agreeing takes the
    # question's proposal, disagreeing refuses it.
    "AGREE": ["agree", "we agree", "strongly agree", "yes", "we support", "we welcome", "we would welcome",
              "in favour", "we endorse"],
    "DISAGREE": ["disagree", "do not agree", "don't agree", "not agree", "oppose", "reject", "not convinced",
                 "do not support", "don't support", "cannot support", "not in favour", "unconvinced",
                 "not fine", "a mistake", "wrong"],
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
    doc = sent.line.doc
    cues = _without_nested(c for c in cues if _in(c, sent))
    fam: dict[str, list[Cue]] = {}
    for c in cues:
        fam.setdefault(c.family, []).append(c)
    question = sent.text.rstrip().endswith("?")
    out: list[Judgement] = []
    for m in matches:
        own = [c for c in cues if not _overlaps(c, m)]  # a label's own words are no cue
        by = {f: [c for c in own if c.family == f] for f in CUES}
        by["LABEL_DEPRIVE"] = [c for c in cues if c.family == "DEPRIVE" and _overlaps(c, m)]
        out.extend(Judgement(a, m.concept, "support", 0.6, m) for a in _as_proposed(m, by, agent_hits, doc))
        third = _third_party(m, by, agent_hits, speakers, doc)
        if third is not None:
            # a speaker named as the subject speaks with its co-speakers (a joint statement)
            holders = speakers if third[0] in speakers else [third[0]]
            out.extend(Judgement(a, m.concept, third[1], 0.75, m) for a in holders)
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
            if doc[before].lower_ == "as" and all(doc[j].lower_ in _AUX for j in range(end, c.start)):
                return [agent_id]
    return []


# Stance verbs that report the position of their grammatical subject when
# that subject is a named agent ("X is not convinced by", "X welcomed"); modal
# asks (should, must) are excluded: "the government should X" is the
# speaker's ask of the government.
_SUBJECT_VERBS = frozenset("""
recommend call urg want welcom support endors advoc argu push campaign oppos reject object warn convinc
concern worri disagre
""".split())
_AUX = frozenset({"is", "are", "was", "were", "has", "have", "had", "remains", "remain", "also", "today",
                  "strongly", "would", "not", "'s", "does", "do", "did", "n't", "firmly", "still", "nonetheless",
                  "now", "again", "already", "previously", "repeatedly", "since", "however", "so", "far", "yet",
                  "itself", "themselves", "last", "this", "week", "month", "year", "recently", "formally",
                  # "X has said it will not …", "X said they would …": the subject's own words
                  "said", "says", "say", "it", "they", "that", ",",
                  # a relative clause keeps its antecedent as subject: "X, which is calling for"
                  "which", "who"})


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


_PASSIVE = frozenset({"be", "being", "been", "is", "are", "was", "were", "get", "getting", "got"})


def _deprived(m: ConceptMatch, by: dict[str, list[Cue]], doc: Doc | None = None, cue: Cue | None = None) -> bool:
    """Whether the match names a loss or absence, so refusing it supports the
    thing: a word of loss in the matched label ("cuts to early help"), before
    the thing ("concerned about cuts to X"), inside it ("accommodation that
    offers no care") or after it in the passive ("X being scrapped"). A
    label's word of ending cancels an absence inside the thing ("a ban on
    placements without care" is for care)."""
    losses = [c for c in by["DEPRIVE"] if c.end <= m.start and m.start - c.end <= 6]
    inside = [c for c in by["DEPRIVE"] if m.start < c.start < m.end]
    for c in by["DEPRIVE"]:
        if c.start >= m.end and c.start - m.end <= 3 and (
                doc is None or any(doc[k].lower_ in _PASSIVE for k in range(m.end, c.start))):
            losses.append(c)
    if cue is not None:  # the refusing words themselves ("no plans to") are not the thing's loss
        losses = [c for c in losses if not (cue.start <= c.start < cue.end)]
    label = list(by["LABEL_DEPRIVE"])
    if doc is not None and inside and any(doc[c.start].lower_ in _ENDING for c in label):
        inside = [c for c in inside if doc[c.start].lower_ not in _ABSENCE]
        label = [c for c in label if doc[c.start].lower_ not in _ENDING]
    return bool(losses or inside or label)


_ENDING = frozenset({"ban", "banning", "prohibit", "outlaw", "end", "stop"})
_ABSENCE = frozenset({"no", "without", "lack", "absence"})


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
        nearer_ask = any(cue.end <= a.start and a.end <= m.start for a in by["SUPPORT"] + by["FIRST_PERSON_ASK"])
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
ANAPHORS = frozenset({"this", "that", "it", "these", "those", "them", "they", "one", "such", "its"})
PROPOSAL_NOUNS = frozenset("""
decision decisions plan plans proposal proposals idea ideas change changes measure measures move policy policies
rule rules model models scheme schemes remedy approach reform reforms duty duties cap caps ban pilot pilots
standard standards role power powers investment recommendation recommendations requirement requirements
commitment option options system regime step steps offer package packages allowance service services
""".split())
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
            and lowers[i - 1] in ("the", "this", "that", "these", "those", "such", "its")]
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
    position cue outside a question): the gate before any loose matching."""
    if sent.text.rstrip().endswith("?"):
        return False
    return any(c.family in _POSITION_FAMILIES and _in(c, sent) for c in cues)


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
