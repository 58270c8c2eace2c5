"""Evidence claims: statistics, research findings and assertions of effect.

A sentence is a claim when it states a fact in one of the regular ways:
- a statistic: a percentage, a sum of money, a count of something
  ("38 practices", "thousands of young people"), a proportion quantifier
  ("most children", "one in three"), or a measure that is said to rise or
  fall ("the number of children in care is rising");
- a research finding: a source noun followed by a verb of showing
  ("research found", "evidence shows", "data suggest"), or "findings",
  "evidenced in", "identified in/by", "according to";
- an assertion of effect: "is value for money", "more likely", "as a result",
  "will improve", "leads to", "therefore", or a clause after "we know that".
Not claims: asks (a sentence with should/must/need to is not a fact),
headings, ages, dates, chapter numbers, and counts of the text's own parts
("five priorities", "three parts").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import PhraseMatcher

from carekg.extract.sentences import FUNCTION_WORDS, Sent, nlp, phrase_doc
from carekg.model import Quantity

_CUES = {
    "RESEARCH_NOUN": ["research", "evidence", "evaluation", "study", "studies", "survey", "data", "figures",
                      "analysis", "report", "findings", "statistics", "review of the evidence"],
    "RESEARCH_VERB": ["found", "finds", "find", "show", "shows", "showed", "shown", "suggest", "suggests",
                      "suggested", "reveal", "reveals", "revealed", "demonstrate", "demonstrates",
                      "demonstrated", "indicate", "indicates", "indicated", "confirm", "confirms",
                      "confirmed", "conclude", "concluded", "estimate", "estimates", "estimated"],
    "RESEARCH_PHRASE": ["key findings", "findings from", "the findings", "evidenced in", "evidenced by",
                        "identified in", "identified by", "according to", "clear evidence", "research from",
                        "research by", "evidence from", "a study of"],
    "ASSERT": ["more likely", "less likely", "highly likely", "most likely", "as a result", "leads to",
               "lead to", "led to", "results in", "result in", "therefore", "means that", "mean that",
               "cost-effective", "will improve", "will greatly improve", "will reduce", "will increase",
               "will have", "will become", "will save", "will help", "too few", "value for money",
               # how often and how widely things happen: generalisations offered as fact
               "too often", "usually", "routinely", "regularly", "frequently", "rarely", "seldom",
               "never", "always", "increasingly", "widely", "sharply", "in practice", "the reality",
               "the real problem", "the problem is", "scarcest", "struggle", "struggling", "left with",
               "left to cope", "are left", "is left", "cannot afford", "can not afford",
               # what people report from experience: "young people tell us", "they describe"
               "tell us", "told us", "tells us", "they describe", "describe their", "we hear", "we see",
               # predicted effects of a measure: "a cap would raise the cost", "will make it worse"
               "would raise", "will raise", "would leave", "will leave", "would push", "will push",
               "would pull", "would add", "would deter", "could deter", "would shrink", "would fall",
               "make it worse", "makes it worse", "would mean", "will mean", "would cost", "will cost",
               "risked", "risks", "at the expense of", "arrives too late", "too late"],
    "TREND": ["rising", "rise in", "rises", "rose", "risen", "climbed", "jumped", "gone up", "went up", "falling", "fall in", "fell", "fallen", "increased",
              "increasing", "increase in", "decreased", "decrease in", "decline in", "declined", "declining",
              "doubled", "halved", "tripled", "grown", "growing", "dropped", "cut by", "soared", "plummeted"],
    "MEASURE": ["number of", "amount of", "proportion of", "rate of", "rates of", "share of", "spending",
                "budget", "budgets", "funding", "cost of", "costs", "level of", "levels of", "demand for",
                "percentage of"],
    # asks and verdicts: a sentence taking a stance is not offered as fact
    "ASK": ["should", "must", "need to", "needs to", "call for", "calling for", "recommend", "urge",
            "want to see", "would like to see", "is needed", "are needed", "ought to", "not convinced",
            "oppose", "reject", "concerned that", "worried that", "call on", "calling on", "ask you",
            "we ask", "asking", "we want", "we would welcome", "would like"],
    "KNOW": ["we know that", "we know from"],
    # the speaker describing its own work or inviting the reader: no evidence
    "OWN_WORK": ["we can", "we offer", "we provide", "we run", "we work with", "we help", "we deliver",
                 "we'd love", "we would love", "we look forward", "our service", "our services", "our team",
                 "our work", "in our response", "we addressed", "we will continue"],
}
_COMPOUND_NEXT = {"-", "based", "base", "informed", "led"}  # "evidence-based" is no citation


@lru_cache(maxsize=1)
def claim_matcher() -> PhraseMatcher:
    matcher = PhraseMatcher(nlp().vocab, attr="NORM")
    for family, phrases in _CUES.items():
        matcher.add(family, [phrase_doc(p) for p in phrases])
    return matcher


# -- quantities ---------------------------------------------------------------------
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PERCENT = re.compile(rf"({_NUM})\s?(?:%|per ?cent\b)", re.I)
_MONEY = re.compile(rf"£\s?({_NUM})\s?(bn|billion|m|mn|million|k|thousand|trillion)?\b|"
                    rf"\b({_NUM})\s?(billion|million) (?:pounds|GBP)\b", re.I)
_SCALE = {"bn": 1e9, "billion": 1e9, "m": 1e6, "mn": 1e6, "million": 1e6, "k": 1e3, "thousand": 1e3,
          "trillion": 1e12}
_COUNT = re.compile(rf"(?<![\w£.-])({_NUM})(?![\w%-])\s+(?:(?:of|more|new|extra|additional|fewer)\s+)?"
                    r"([a-z][a-z'-]+)")
_BIG = re.compile(r"\b(dozens|hundreds|thousands|millions|tens of thousands|hundreds of thousands) of "
                  r"(?:\w+ )?([a-z][a-z'-]+)", re.I)
_ONE_IN = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|\d+) in (?:every )?"
                     r"(\d+|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)
_TIMES = re.compile(r"\b(twice|three times|four times|five times|half) as (many|much|likely|high|large)\b", re.I)
_FRACTION = re.compile(r"\b(?:by|than|almost|nearly|around|about|over|under) (a|one) (half|third|quarter|fifth|tenth)\b",
                       re.I)
# A proportion of a group: a quantifier, at most one modifier, then a plural
# head noun (regular "-s" plurals and the common irregular ones), in any domain.
_MOST = re.compile(r"(?<!the )(?<!\w)(most|majority of|half of|a third of|a quarter of|two-thirds of|many of|several of) "
                   # "most important reasons" is a superlative, not a share of a group
                   r"(?!(?:important|likely|vulnerable|significant|common|effective|difficult|serious|recent|"
                   r"urgent|powerful)\b)((?:[a-z]+ )?(?:[a-z]+[^s\W]s|children|people|women|men)|us|them)\b", re.I)
_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_BIG_VALUE = {"dozens": None, "hundreds": None, "thousands": None, "millions": None}
# What a count must not be: the text's own parts, time spans, ages.
_NOT_COUNTED = frozenset("""
priorities priority recommendations recommendation parts part points point questions question chapter
chapters steps step areas area themes theme ways things sections section pages page asks reasons reason
years year weeks week months month days day hours hour minutes per or and to in on at by the a is are
was were will would year-old year-olds olds january february march april may june july august september
october november december pm am times time
""".split())
_AGE_BEFORE = re.compile(r"(?:\bat|\bage|\baged(?: \d+)?|\baged \d+ to|\buntil|\btill|\bup to|\bunder|\bover|\bturn|\breach|"
                         r"\bbeyond|\bare|\bchapter|\bsection|\bpart|\bpage|\bact|\bphase|\bparagraph|\bpara|"
                         r"\bquestion|\bq|\bclause|\barticle|\bschedule|\bregulation|\brule|\bitem|\bpoint|"
                         r"\brecommendation|\bannex|\bappendix|\bfigure|\btable|\bstep|\bstage|\btier|\blevel|"
                         r"\bno\.?|\bnumber|\bversion|\bwave|\bround)\s*$", re.I)


def _value(number: str) -> float:
    return float(number.replace(",", ""))


# A cheap pre-test (most sentences state no quantity): a digit or pound sign,
# else one of the quantity words as a substring of the lower-cased text
# (a case-insensitive regex alternation cost more than all the parsing).
_DIGIT_OR_POUND = re.compile(r"[\d£]")
_QUANTITY_WORDS = ("dozens", "hundreds", "thousands", "millions", " in ", "most", "majority", "half", "third",
                   "quarter", "fifth", "tenth", "twice", "times as")


def quantities(text: str) -> list[Quantity]:
    """Typed values in a sentence: percent, GBP, counts with their noun."""
    found: list[Quantity] = []
    if not _DIGIT_OR_POUND.search(text):
        low = text.lower()
        if not any(word in low for word in _QUANTITY_WORDS):
            return found
    used: list[tuple[int, int]] = []
    for m in _PERCENT.finditer(text):
        found.append(Quantity(_value(m.group(1)), "percent", m.group(0)))
        used.append(m.span())
    for m in _MONEY.finditer(text):
        number, scale = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        value = _value(number) * _SCALE.get((scale or "").lower(), 1.0)
        found.append(Quantity(value, "GBP", m.group(0).strip()))
        used.append(m.span())
    for m in _ONE_IN.finditer(text):
        top, word = m.group(1).lower(), m.group(2).lower()
        k = 1 if top == "one" else int(top) if top.isdigit() else _WORDS.get(top, 0)
        n = int(word) if word.isdigit() else _WORDS.get(word, 0)
        if n and 0 < k < n:
            found.append(Quantity(round(100.0 * k / n, 1), "percent", m.group(0)))
            used.append(m.span())
    for m in _TIMES.finditer(text):
        found.append(Quantity(None, "ratio", m.group(0)))
    for m in _FRACTION.finditer(text):
        share = {"half": 50.0, "third": 33.3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0}[m.group(2).lower()]
        found.append(Quantity(share, "percent", m.group(0)))
    for m in _COUNT.finditer(text):
        if any(a <= m.start() < b for a, b in used):
            continue
        noun = m.group(2).lower()
        value = _value(m.group(1))
        if noun in _NOT_COUNTED or noun in FUNCTION_WORDS or (1900 <= value <= 2100 and "." not in m.group(1)):
            continue
        if _AGE_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            continue
        found.append(Quantity(value, noun, m.group(0)))
    for m in _BIG.finditer(text):
        found.append(Quantity(None, m.group(2).lower(), m.group(0)))
    for m in _MOST.finditer(text):
        found.append(Quantity(None, m.group(2).lower(), m.group(0)))
    return found


@dataclass(frozen=True)
class ClaimFind:
    kind: str
    start: int  # global offsets (normalised == original)
    end: int
    values: tuple[Quantity, ...]
    cited_token: int | None  # line token index of the research noun, for citations


def _trend(text: str) -> Quantity:
    low = text.lower()
    rising = any(w in low for w in ("ris", "increas", "doubl", "tripl", "grow", "grown", "soar"))
    return Quantity(None, "rising" if rising else "falling", "rising" if rising else "falling")


def find_claim(sent: Sent) -> ClaimFind | None:
    """The claim a sentence states, if any (None for asks and headings)."""
    line = sent.line
    if line.kind == "heading" or len(sent.span) < 5 or sent.text.rstrip().endswith("?"):
        return None  # a question asks; it offers no evidence
    # titles, datelines and bylines ("Posted by X · 9 May 2024 · 5 min read")
    # are no claims: a line that is not a list item and ends without a full stop
    if line.kind != "item" and line.text.rstrip()[-1:] not in '.!?"\')' and line.words <= 25:
        return None
    doc = line.doc
    cues: dict[str, list[tuple[int, int]]] = {}
    for family, s, e in _line_cues(line):
        if sent.span.start <= s < sent.span.end:
            cues.setdefault(family, []).append((s, e))
    text = sent.text
    start, end = sent.start, sent.start + len(text.rstrip())
    asks = bool(cues.get("ASK"))
    # "we know that X": the claim is X, if X itself is no ask
    for _, ke in cues.get("KNOW", []):
        clause = doc[ke:sent.span.end]
        if len(clause) >= 8 and not any(ks2 >= ke for ks2, _ in cues.get("ASK", [])):
            first = line.start + doc[ke].idx
            return ClaimFind("assertion", first, end, tuple(quantities(clause.text)), None)
    values = quantities(text)
    if values and asks:  # "we call for £2bn": a number inside the ask is no evidence
        first_value = text.find(values[0].text)
        base = line.idx[sent.span.start]
        first_tok = next((i for i in range(sent.span.start, sent.span.end) if line.idx[i] - base >= first_value),
                         sent.span.end)
        if any(0 <= first_tok - e <= 8 for _, e in cues["ASK"]):
            values = []
    trend = bool(cues.get("TREND")) and bool(cues.get("MEASURE")) and not asks
    if values or trend:
        if trend and not any(v.unit in ("rising", "falling") for v in values):
            values.append(_trend(" ".join(doc[s:e].text for s, e in cues["TREND"])))
        return ClaimFind("statistic", start, end, tuple(values), None)
    research = _research(doc, cues)
    if research is not None:
        return ClaimFind("research-finding", start, end, tuple(values), research)
    if cues.get("ASSERT") and not asks and not cues.get("OWN_WORK") and not text.rstrip().endswith("?"):
        for s, e in cues["ASSERT"]:
            if doc[s:e].text.lower() == "value for money" and not any(
                    t.lower_ in ("is", "are", "was", "were", "be", "offer", "offers", "represent", "represents")
                    for t in doc[max(sent.span.start, s - 4):s]):
                continue
            return ClaimFind("assertion", start, end, tuple(values), None)
    return None


def _line_cues(line) -> list[tuple[str, int, int]]:
    """Claim cues of a whole line, matched once and kept on the line."""
    cached = getattr(line, "claim_cues", None)
    if cached is None:
        strings = nlp().vocab.strings
        cached = [(strings[mid], s, e) for mid, s, e in claim_matcher()(line.doc)]
        line.claim_cues = cached
    return cached


def _research(doc, cues: dict[str, list[tuple[int, int]]]) -> int | None:
    """Token index of the evidential source noun (or phrase), else None."""
    for s, e in cues.get("RESEARCH_PHRASE", []):
        if e < len(doc) and doc[e].lower_ in _COMPOUND_NEXT:
            continue
        return s
    for s, e in cues.get("RESEARCH_NOUN", []):
        if e < len(doc) and doc[e].lower_ in _COMPOUND_NEXT:
            continue
        if any(0 <= vs - e <= 5 for vs, _ in cues.get("RESEARCH_VERB", [])):
            return s
    return None
