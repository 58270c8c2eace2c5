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
("five priorities", "three parts"). A year and a financial-year range
("2010/11", "2023-24", "FY2019/20") are dates: no value is read out of them.
The cue phrases and word lists are data in ``lexicon.yaml`` (section
``claims``); the regular expressions of quantities are grammar, kept here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import PhraseMatcher

from carekg.extract import lexicon
from carekg.extract.sentences import FUNCTION_WORDS, Sent, is_question, nlp, phrase_doc
from carekg.vocab.model import Quantity

# The claim cue families (lexicon.yaml, claims.cues): family name -> phrases.
_CUES: dict[str, tuple[str, ...]] = lexicon.families("claims.cues")
_COMPOUND_NEXT = lexicon.words("claims.compound_next")  # "evidence-based" is no citation


@lru_cache(maxsize=1)
def claim_matcher() -> PhraseMatcher:
    matcher = PhraseMatcher(nlp().vocab, attr="NORM")
    for family, phrases in _CUES.items():
        matcher.add(family, [phrase_doc(p) for p in phrases])
    return matcher


# -- quantities ---------------------------------------------------------------------
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_PERCENT = re.compile(rf"({_NUM})\s?(?:%|per ?cent\b)", re.I)
_SCALE = lexicon.table("claims.money_scales")  # "£2bn", "£3.5 million"
_MONEY = re.compile(rf"£\s?({_NUM})\s?(" + "|".join(map(re.escape, _SCALE)) + r")?\b|"
                    rf"\b({_NUM})\s?(billion|million) (?:pounds|GBP)\b", re.I)
# A number joined to another by a slash is a date, a fraction or "24/7", never a count.
_COUNT = re.compile(rf"(?<![\w£./-])({_NUM})(?![\w%/-])\s+(?:(?:of|more|new|extra|additional|fewer)\s+)?"
                    r"([a-z][a-z'-]+)")
# Dates, read before any value so that no value is taken out of them: a year
# (1900-2099) and a year range, financial or not ("2010/11", "2023-24",
# "2019–20", "2010-2015", "FY2019/20"); a year followed by "%", "million" or a
# decimal point is a number, not a date.
_DATE = re.compile(r"(?<![\w£.,/-])(?:FY\s?)?(?:19|20)\d{2}(?:\s?[/–—-]\s?(?:(?:19|20)\d{2}|\d{2}))?"
                   r"(?![\w%/–—-]|[.,]\d|\s?(?:per ?cent|thousand|million|billion|bn)\b)", re.I)
# The size of a change with no counted noun after it ("fell by 3,000 between
# 2010 and 2020"): a verb of change (the TREND cues of lexicon.yaml) then "by".
_CHANGE_VERBS = sorted((re.escape(p.removesuffix(" by")) for p in _CUES.get("TREND", ())
                        if not p.endswith((" in", " of"))), key=len, reverse=True) or ["(?!)"]
_CHANGE = re.compile(r"\b(?:" + "|".join(_CHANGE_VERBS)
                     + rf")\s+by\s+(?:around\s+|about\s+|almost\s+|nearly\s+|over\s+|some\s+)?({_NUM})"
                     r"(?![\w%/£-]|[.,]\d|\s?(?:per ?cent|thousand|million|billion|bn)\b)", re.I)
_BIG = re.compile(r"\b(dozens|hundreds|thousands|millions|tens of thousands|hundreds of thousands) of "
                  r"(?:\w+ )?([a-z][a-z'-]+)", re.I)
_ONE_IN = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|\d+) in (?:every )?"
                     r"(\d+|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)
_TIMES = re.compile(r"\b(twice|three times|four times|five times|half) as (many|much|likely|high|large)\b", re.I)
_FRACTION = re.compile(r"\b(?:by|than|almost|nearly|around|about|over|under) (a|one) (half|third|quarter|fifth|tenth)\b",
                       re.I)
_FRACTIONS = ("half", "third", "quarter", "fifth", "tenth")  # the words _FRACTION needs
_BIG_WORDS = ("dozens", "hundreds", "thousands", "millions")  # and _BIG
# A proportion of a group: a quantifier, at most one modifier, then a plural
# head noun (regular "-s" plurals and the common irregular ones), in any domain.
_MOST = re.compile(r"(?<!the )(?<!\w)(most|majority of|half of|a third of|a quarter of|two-thirds of|many of|several of) "
                   # "most important reasons" is a superlative, not a share of a group
                   r"(?!(?:" + "|".join(lexicon.phrases("claims.not_superlatives")) + r")\b)"
                   r"((?:[a-z]+ )?(?:[a-z]+[^s\W]s|children|people|women|men)|us|them)\b", re.I)
_WORDS = lexicon.table("claims.number_words")  # "two in five"
# What a count must not be: the text's own parts, time spans, ages; and what
# before a number makes it an age, a date or a numbered part ("aged 18", "Q2").
_NOT_COUNTED = lexicon.words("claims.not_counted")
_AGE_BEFORE = re.compile(
    r"(?:" + "|".join(r"\b" + p for p in lexicon.phrases("claims.not_count_before")) + r")\s*$", re.I)


def _value(number: str) -> float:
    return float(number.replace(",", ""))


# A cheap pre-test (most sentences state no quantity): a digit or pound sign,
# else one of the quantity words as a substring of the lower-cased text
# (a case-insensitive regex alternation cost more than all the parsing).
_DIGIT_OR_POUND = re.compile(r"[\d£]")
_QUANTITY_WORDS = lexicon.phrases("claims.quantity_words")


def quantities(text: str) -> list[Quantity]:
    """Typed values in a sentence: percent, GBP, counts with their noun."""
    found: list[Quantity] = []
    low = text.lower()
    digits = _DIGIT_OR_POUND.search(text) is not None
    if not digits and not any(word in low for word in _QUANTITY_WORDS):
        return found
    # Each pattern below runs only when the literal words it needs are in the
    # text (" in " alone lets most sentences past the first test).
    used: list[tuple[int, int]] = []
    # dates first: "2010/11 early intervention" has no value 11
    dates = [m.span() for m in _DATE.finditer(text)] if digits else []
    used.extend(dates)
    for m in _PERCENT.finditer(text) if digits else ():
        found.append(Quantity(_value(m.group(1)), "percent", m.group(0)))
        used.append(m.span())
    for m in _MONEY.finditer(text) if digits else ():
        number, scale = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        value = _value(number) * _SCALE.get((scale or "").lower(), 1.0)
        found.append(Quantity(value, "GBP", m.group(0).strip()))
        used.append(m.span())
    for m in _ONE_IN.finditer(text) if " in " in low else ():
        top, word = m.group(1).lower(), m.group(2).lower()
        k = 1 if top == "one" else int(top) if top.isdigit() else _WORDS.get(top, 0)
        n = int(word) if word.isdigit() else _WORDS.get(word, 0)
        if any(a < m.end() and m.start() < b for a, b in dates):
            continue  # "12 in 2010" is no share
        if n and 0 < k < n:
            found.append(Quantity(round(100.0 * k / n, 1), "percent", m.group(0)))
            used.append(m.span())
    for m in _TIMES.finditer(text) if " as " in low else ():
        found.append(Quantity(None, "ratio", m.group(0)))
    for m in _FRACTION.finditer(text) if any(w in low for w in _FRACTIONS) else ():
        share = {"half": 50.0, "third": 33.3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0}[m.group(2).lower()]
        found.append(Quantity(share, "percent", m.group(0)))
    for m in _COUNT.finditer(text) if digits else ():
        if any(a <= m.start() < b for a, b in used):
            continue
        noun = m.group(2).lower()
        value = _value(m.group(1))
        if noun in _NOT_COUNTED or noun in FUNCTION_WORDS or (1900 <= value <= 2100 and "." not in m.group(1)):
            continue
        if _AGE_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            continue
        found.append(Quantity(value, noun, m.group(0)))
        used.append(m.span())
    for m in _CHANGE.finditer(text) if digits and " by " in low else ():
        if any(a <= m.start(1) < b for a, b in used):
            continue  # "fell by 3,000 children" is a count, "by 44%" a percent
        found.append(Quantity(_value(m.group(1)), "change", m.group(0)))
    for m in _BIG.finditer(text) if any(w in low for w in _BIG_WORDS) else ():
        found.append(Quantity(None, m.group(2).lower(), m.group(0)))
    for m in _MOST.finditer(text) if "most" in low or " of " in low else ():
        found.append(Quantity(None, m.group(2).lower(), m.group(0)))
    return found


@dataclass(frozen=True)
class ClaimFind:
    kind: str
    start: int  # global offsets (normalised == original)
    end: int
    values: tuple[Quantity, ...]
    cited_token: int | None  # line token index of the research noun, for citations


_RISING = lexicon.phrases("claims.rising_stems")  # "rising", "doubled": else a fall
_VALUE_VERBS = lexicon.words("claims.value_verbs")  # "X is / offers value for money"


def _trend(text: str) -> Quantity:
    low = text.lower()
    rising = any(w in low for w in _RISING)
    return Quantity(None, "rising" if rising else "falling", "rising" if rising else "falling")


def find_claim(sent: Sent) -> ClaimFind | None:
    """The claim a sentence states, if any (None for asks and headings)."""
    line = sent.line
    if line.kind == "heading" or len(sent.span) < 5 or is_question(sent.text):
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
    if cues.get("ASSERT") and not asks and not cues.get("OWN_WORK") and not is_question(text):
        for s, e in cues["ASSERT"]:
            if doc[s:e].text.lower() == "value for money" and not any(
                    t.lower_ in _VALUE_VERBS for t in doc[max(sent.span.start, s - 4):s]):
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
