"""Lines, sentences and tokens of a normalised text.

A text is read line by line: in saved web pages a line is a paragraph, a
heading, a list item or a piece of boilerplate, and that layout carries who
speaks (headings open sections) and what is asked (numbered priorities).
Each line is tokenised by spaCy's blank English tokenizer and split into
sentences by the sentencizer's rule (re-run on token arrays: the pipeline
component creates a Python object per token, which halved throughput);
every token gets a stem in ``token.norm_`` so that PhraseMatchers built with
``attr="NORM"`` match word forms (fund / funding / funded), not strings.
The stemmer's irregular forms and the function words are data in
``lexicon.yaml`` (section ``segment``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy
import snowballstemmer
import spacy
from spacy.attrs import IDX, NORM, ORTH
from spacy.language import Language
from spacy.tokens import Doc

from carekg.extract import lexicon
from carekg.extract.boilerplate import is_boilerplate

MAX_LINE = 100_000  # longer lines are cut at a space: spaCy's cost is per doc
MAX_SENT_TOKENS = 120  # a "sentence" with no end is cut so spans stay readable

_STEMMER = snowballstemmer.stemmer("english")
# Irregular forms the stemmer leaves apart although the debate uses them
# interchangeably ("children"/"child"), and the function words that carry no
# content for label matching: both lists are in lexicon.yaml (segment).
_IRREGULAR = lexicon.table("segment.irregular_stems")
FUNCTION_WORDS = lexicon.words("segment.function_words")

_LIST_ITEM = re.compile(r"^\s*(?:(\d{1,2})[.)]\s+|([•·▪◦●■*+-])\s+|\(?([a-h]|[ivx]{1,4})\)\s+)")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Lower-case stem of one token (cached: the same words recur)."""
    low = word.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if not low.isalpha():
        return low
    stemmed = _STEMMER.stemWord(low)
    return _IRREGULAR.get(stemmed, stemmed)


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The shared blank English pipeline (its tokenizer and vocab)."""
    model = spacy.blank("en")
    model.max_length = MAX_LINE * 2
    return model


def stem_doc(doc: Doc) -> Doc:
    """Write each token's stem into ``norm_`` (used by NORM PhraseMatchers)."""
    stem_arrays(doc)
    return doc


# orth hash -> text, lower, stem, stem hash, matching key (the stem of a
# content word, None for function words and punctuation)
_TOKEN_INFO: dict[int, tuple[str, str, str, int, str | None]] = {}


def stem_arrays(doc: Doc) -> tuple[list[str], list[str], list[str], list[int], list[str | None]]:
    """Texts, lower-case forms, stems, character offsets and matching keys
    (content-word stems, None for function words) of a Doc's tokens, read
    and written as arrays: creating a Python Token object per token costs
    more than all the matching, so hot loops use these lists."""
    if not len(doc):
        return [], [], [], [], []
    strings = doc.vocab.strings
    arr = doc.to_array([ORTH, IDX])
    infos = []
    for orth in arr[:, 0].tolist():
        info = _TOKEN_INFO.get(orth)
        if info is None:
            text = strings[orth]
            norm = stem(text)
            low = text.lower()
            content = low not in FUNCTION_WORDS and (low[:1].isalnum() or len(low) > 1)
            info = (text, low, norm, strings.add(norm), norm if content else None)
            if len(_TOKEN_INFO) < 500_000:
                _TOKEN_INFO[orth] = info
        infos.append(info)
    texts, lowers, norms, norm_ids, keys = map(list, zip(*infos))
    doc.from_array([NORM], numpy.array(norm_ids, dtype="uint64").reshape(-1, 1))
    return texts, lowers, norms, arr[:, 1].tolist(), keys


def phrase_doc(phrase: str) -> Doc:
    """A stemmed Doc of a pattern phrase (cue or label), normalised like text."""
    from carekg.extract.text import normalise

    return stem_doc(nlp().make_doc(normalise(phrase).text))


@dataclass(frozen=True)
class TokRange:
    """A token range of a line's Doc (``start``/``end`` like a spaCy Span,
    without building one per sentence: that cost 7% of extraction)."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass
class Sent:
    """A sentence: a token range of its line's Doc plus global offsets."""

    line: "Line"
    span: TokRange
    start: int  # global offset of the first character
    end: int  # global offset after the last non-space character
    index: int  # position in the document's sentence list

    @cached_property
    def text(self) -> str:  # read many times per sentence by the stages
        return self.line.text[self.start - self.line.start:self.end - self.line.start]


@dataclass
class Line:
    """One line of the text: a paragraph, heading, list item or boilerplate."""

    index: int
    start: int
    end: int
    text: str
    kind: str = "body"  # body | heading | item | boilerplate | blank
    number: int | None = None  # the number of a numbered list item
    bullet: bool = False
    doc: Doc | None = None
    sents: list[Sent] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # token texts
    lowers: list[str] = field(default_factory=list)  # lower-case token texts
    norms: list[str] = field(default_factory=list)  # token stems
    idx: list[int] = field(default_factory=list)  # token start offsets in the line
    claim_cues: list | None = None  # claim cue matches, filled on first use
    keys: list[str | None] = field(default_factory=list)  # content-word stems (None: function word)
    # tokens naming or describing a body ("the children's rights charity
    # Article 39"): a proposal match made only of them is no proposal
    masked: frozenset[int] = frozenset()

    @property
    def words(self) -> int:
        return len(self.text.split())


def _split_long(start: int, text: str) -> list[tuple[int, str]]:
    """Cut a line longer than MAX_LINE at spaces (no sentence end needed)."""
    pieces = []
    while len(text) > MAX_LINE:
        cut = text.rfind(" ", MAX_LINE // 2, MAX_LINE)
        cut = cut if cut > 0 else MAX_LINE
        pieces.append((start, text[:cut]))
        start, text = start + cut, text[cut:]
    pieces.append((start, text))
    return pieces


def is_question(text: str) -> bool:
    """Whether a sentence asks: it ends with "?", also inside closing quotes or
    brackets ('She asked: "Why should 3,000 children wait?"').

    >>> is_question('She asked: "Why wait?"'), is_question("We wait.")
    (True, False)
    """
    return text.rstrip().rstrip("\"'”’»)]").endswith("?")


def _looks_like_heading(text: str) -> bool:
    """A short line with no final sentence punctuation: a heading or title."""
    stripped = text.strip()
    if not stripped or len(stripped.split()) > 12:
        return False
    return stripped[-1] not in '.,;:!"' and not stripped.endswith("?")


def split_lines(norm: str) -> list[Line]:
    """Cut the normalised text into classified lines (no tokenising yet)."""
    lines: list[Line] = []
    pos = 0
    for raw in norm.split("\n"):
        for start, piece in _split_long(pos, raw):
            lstrip = len(piece) - len(piece.lstrip())
            text = piece.strip()
            line = Line(len(lines), start + lstrip, start + lstrip + len(text), text)
            if not text:
                line.kind = "blank"
            elif is_boilerplate(text):
                line.kind = "boilerplate"
            else:
                item = _LIST_ITEM.match(text)
                if item:
                    line.kind = "item"
                    line.number = int(item.group(1)) if item.group(1) else None
                    line.bullet = item.group(2) is not None
                elif _looks_like_heading(text):
                    line.kind = "heading"
            lines.append(line)
        pos += len(raw) + 1
    return lines


_ENDS = frozenset({".", "!", "?", "...", "?!", "!?", ".."})
_CLOSERS = frozenset({'"', "'", ")", "]", "}"})


def sentence_bounds(texts: list[str], idx: list[int] | None = None) -> list[tuple[int, int]]:
    """Token ranges of sentences: the rule of spaCy's sentencizer (a
    sentence ends at . ! ? and any closing quotes or brackets after it),
    run on the token texts we already hold, capped at MAX_SENT_TOKENS.
    With character offsets ``idx``, a quote mark after a space opens the
    next sentence instead of closing this one (normalised text has one '"'
    for both: `… no care. "Every child …` must not start inside a quote)."""
    bounds = []
    start = 0
    i = 0
    n = len(texts)
    while i < n:
        if texts[i] in _ENDS:
            while i + 1 < n and (texts[i + 1] in _ENDS or texts[i + 1] in _CLOSERS and (
                    idx is None or idx[i + 1] == idx[i] + len(texts[i]))):
                i += 1
            bounds.append((start, i + 1))
            start = i + 1
        elif i + 1 - start >= MAX_SENT_TOKENS:
            bounds.append((start, i + 1))
            start = i + 1
        i += 1
    if start < n:
        bounds.append((start, n))
    return bounds


_LONG_RUN = re.compile(r"\S{80,}")


def _break_runs(text: str) -> str:
    """Put a space every 40 characters of very long space-free runs (1:1).
    spaCy's suffix search is quadratic in the length of one "word"; such runs
    are URLs or garbage, never discourse."""
    if len(text) < 80 or not _LONG_RUN.search(text):
        return text

    def cut(m: re.Match) -> str:
        run = list(m.group(0))
        for k in range(39, len(run), 40):
            run[k] = " "
        return "".join(run)

    return _LONG_RUN.sub(cut, text)


def analyse(norm: str) -> tuple[list[Line], list[Sent]]:
    """Tokenise and sentence-split every non-blank line; stems in norm_."""
    lines = split_lines(norm)
    todo = [line for line in lines if line.kind not in ("blank", "boilerplate")]
    sents: list[Sent] = []
    tokenizer = nlp().tokenizer
    for line in todo:
        doc = tokenizer(_break_runs(line.text))
        line.doc = doc
        line.texts, line.lowers, line.norms, line.idx, line.keys = stem_arrays(doc)
        for a, b in sentence_bounds(line.texts, line.idx):
            while a < b and not line.texts[a].strip():
                a += 1
            while b > a and not line.texts[b - 1].strip():
                b -= 1
            if a >= b:
                continue
            start = line.start + line.idx[a]
            end = line.start + line.idx[b - 1] + len(line.texts[b - 1])
            sent = Sent(line, TokRange(a, b), start, end, len(sents))
            line.sents.append(sent)
            sents.append(sent)
    return lines, sents
