"""The proposal recogniser: which codebook proposal a passage states, learned from examples.

Labels and cue lists cover the words a proposal is usually named in; writers
also describe a proposal by its effect, by a metaphor or in moral rather than
budget terms, and every new text brings new wordings. The recogniser scores
(passage, proposal) pairs with a linear model over word and character n-grams
(scikit-learn: TF-IDF of words 1–2 and characters 3–5, a linear SVM), trained
on examples:

- the codebook itself: every proposal's label, alternative labels and
  definition (``ontology/codebook.ttl``; the codebook stays the source of the
  concepts: a proposal no example names is never predicted);
- the passages of hand-coded gold (``examples.csv`` beside this module, made
  from the project's gold files by ``tools/make_examples.py``);
- the analysts' decisions on a corpus (``corrections.csv``): the passages of
  ``add`` and ``change`` rows are examples of their proposal, the passages of
  ``reject`` rows examples of no proposal at all (``NONE``).

It is one stage of the extractor and never runs alone: a position gate (a
stance cue, an ask, a refusal) runs before it, since a topic mentioned is not
a position taken, and only sentences that pass the gate are scored.

A model is fitted on first use (a fraction of a second) and kept per process.
For leave-one-document-out cross-validation (:func:`holding_out`) the model
that reads a document is fitted without that document's own examples.

>>> from carekg.vocab.knowledge import load_knowledge
>>> recogniser = Recogniser(codebook_examples(load_knowledge()))
>>> recogniser.rank("Young people should be able to stay in care until they are 21.")[0].proposal
'raise-care-leaving-age'
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from carekg.vocab.knowledge import Knowledge

__all__ = ["NONE", "Example", "Ranked", "Recogniser", "codebook_examples", "packaged_examples",
           "read_examples", "holding_out", "held_out", "EXAMPLES_FILE", "EXAMPLE_COLUMNS",
           "base_recogniser", "corpus_examples", "recogniser_for", "decision_examples", "using_base"]

CORRECTION_WEIGHT = 3.0  # an analyst's decision counts as much as three generic examples
NONE = "__none__"  # the class of passages an analyst rejected: no proposal at all
EXAMPLES_FILE = Path(__file__).with_name("examples.csv")
EXAMPLE_COLUMNS = ("corpus", "document", "proposal", "stance", "passage")


@dataclass(frozen=True)
class Example:
    """A passage and the proposal it states; ``document`` is the file it came
    from (empty for the codebook's own wording), so cross-validation can
    leave a document's examples out."""

    text: str
    proposal: str
    document: str = ""
    source: str = "codebook"


@dataclass(frozen=True)
class Ranked:
    proposal: str
    score: float


def codebook_examples(knowledge: Knowledge) -> list[Example]:
    """Every proposal's label, alternative labels and definition."""
    out = []
    for proposal in knowledge.proposals.values():
        for text in (proposal.label, *proposal.alt_labels, proposal.definition):
            if text and text.strip():
                out.append(Example(text, proposal.id))
    return out


def read_examples(text: str, knowledge: Knowledge, source: str | None = None) -> list[Example]:
    """Examples from a CSV with the columns of ``EXAMPLE_COLUMNS``; rows
    whose proposal the codebook lacks (emergent asks) are left out.

    >>> from carekg.vocab.knowledge import load_knowledge
    >>> rows = "corpus,document,proposal,stance,passage\\nx,a.txt,raise-care-leaving-age,support,stay to 21\\n"
    >>> read_examples(rows, load_knowledge())
    [Example(text='stay to 21', proposal='raise-care-leaving-age', document='a.txt', source='x')]
    """
    out = []
    for row in csv.DictReader(io.StringIO(text, newline="")):
        proposal = (row.get("proposal") or "").strip()
        passage = row.get("passage") or ""
        if (proposal in knowledge.proposals or proposal == NONE) and passage.strip():
            out.append(Example(passage, proposal, (row.get("document") or "").strip(),
                               source or (row.get("corpus") or "gold").strip()))
    return out


def decision_examples(decisions: Iterable, documents: dict[str, tuple[str, str]],
                      knowledge: Knowledge) -> list[Example]:
    """Examples from analysts' decisions on statements (rows of
    ``corrections.csv``, :class:`carekg.review.corrections.Correction`): the passage
    of an ``add`` is an example of its proposal; the passage of an ``accept``
    or ``change`` is an example of the proposal the analyst left it with; the
    passage of a ``reject`` is an example of no proposal (``NONE``). Decisions
    on claims and mentions, and ids or proposals that do not resolve, teach
    nothing.

    A decided statement's passage is the row's ``quote`` (what the analyst
    read), else the text at the statement id's offsets. ``documents`` maps
    the document part of a statement id (``<document>/<actor>/<proposal>/<start>-<end>``,
    the document as :func:`carekg.graph.triples.document_slug` writes it) to the
    document's file name and text.

    >>> from types import SimpleNamespace as Row
    >>> from carekg.vocab.knowledge import load_knowledge
    >>> text = "We back a right to stay in care until 21. Nothing else."
    >>> rows = [Row(action="reject", id="a%20b.txt/x/kinship-allowance/42-55", proposal="", quote="", document=""),
    ...         Row(action="change", id="a%20b.txt/x/kinship-allowance/0-41", proposal="raise-care-leaving-age",
    ...             quote="", document="")]
    >>> found = decision_examples(rows, {"a%20b.txt": ("a b.txt", text)}, load_knowledge())
    >>> [(e.text, e.proposal, e.document) for e in found]
    [('Nothing else.', '__none__', 'a b.txt'), ('We back a right to stay in care until 21.', 'raise-care-leaving-age', 'a b.txt')]
    """
    out = []
    for row in decisions:
        action = getattr(row, "action", "")
        if action not in ("add", "accept", "change", "reject"):
            continue
        document, proposal, passage = getattr(row, "document", ""), getattr(row, "proposal", ""), \
            getattr(row, "quote", "")
        if action != "add":
            parts = str(getattr(row, "id", "")).rsplit("/", 3)
            if len(parts) != 4:
                continue
            slug, _, was, span = parts
            document, text = documents.get(slug, (slug, None))
            start, _, end = span.partition("-")
            if not passage.strip():
                if text is None or not start.isdigit() or not end.isdigit():
                    continue
                passage = text[int(start):int(end)]
            proposal = NONE if action == "reject" else (proposal or was)
        if passage.strip() and (proposal == NONE or proposal in knowledge.proposals):
            out.append(Example(passage, proposal, document, "corrections"))
    return out


def packaged_examples(knowledge: Knowledge) -> list[Example]:
    """The gold passages shipped with the package (``examples.csv``)."""
    if not EXAMPLES_FILE.is_file():
        return []
    return read_examples(EXAMPLES_FILE.read_text(encoding="utf-8"), knowledge)


# -- leave-one-document-out --------------------------------------------------------
_HOLD_OUT = [False]


@contextlib.contextmanager
def holding_out() -> Iterator[None]:
    """Within this block every document is read by a model fitted without its
    own examples (leave-one-document-out). Worker processes forked inside the
    block inherit the setting."""
    previous = _HOLD_OUT[0]
    _HOLD_OUT[0] = True
    try:
        yield
    finally:
        _HOLD_OUT[0] = previous


def held_out() -> bool:
    return _HOLD_OUT[0]


def _same_document(a: str, b: str) -> bool:
    """Example documents are named by file name; a corpus may hold them in subfolders."""
    return bool(a) and bool(b) and (a == b or a.rsplit("/", 1)[-1] == b.rsplit("/", 1)[-1])


class Recogniser:
    """A linear model over the examples, fitted on first use."""

    def __init__(self, examples: Sequence[Example]):
        self.examples = tuple(examples)
        self._model = None
        self._classes: list[str] = []
        self._without: dict[str, "Recogniser"] = {}

    @property
    def proposals(self) -> frozenset[str]:
        return frozenset(e.proposal for e in self.examples)

    def with_examples(self, extra: Iterable[Example]) -> "Recogniser":
        extra = tuple(extra)
        return Recogniser(self.examples + extra) if extra else self

    def for_document(self, document: str) -> "Recogniser":
        """Itself, or in :func:`holding_out` a model without ``document``'s examples."""
        if not held_out() or not any(_same_document(e.document, document) for e in self.examples):
            return self
        cached = self._without.get(document)
        if cached is None:
            self._without.clear()  # one document at a time: keep one refit
            cached = self._without[document] = Recogniser(
                [e for e in self.examples if not _same_document(e.document, document)])
        return cached

    def _fit(self) -> None:
        # Imported here: scikit-learn costs half a second to import, and most
        # processes (queries, views) never recognise a passage.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC
        from scipy.sparse import hstack

        texts = [e.text for e in self.examples]
        labels = [e.proposal for e in self.examples]
        self._vectorizers = (TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32),
                             TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                             dtype=np.float32))
        features = hstack([v.fit_transform(texts) for v in self._vectorizers]).tocsr()
        # the corpus's own decisions weigh more than the generic examples: they
        # speak of its documents, in its writers' words
        weights = [CORRECTION_WEIGHT if e.source == "corrections" else 1.0 for e in self.examples]
        model = LinearSVC(C=0.5, random_state=0).fit(features, labels, sample_weight=weights)
        # kept as plain arrays: scoring a few sentences is then two sparse
        # transforms and one product, without the estimators' per-call checks
        self._coef = np.ascontiguousarray(model.coef_.T, dtype=np.float32)
        self._intercept = model.intercept_.astype(np.float32)
        self._classes = [str(c) for c in model.classes_]
        self._model = model

    def rank(self, text: str, top: int | None = 3) -> list[Ranked]:
        """The ``top`` proposals for ``text`` (None: all), best first, with their
        scores (a margin: above 0 the model takes the passage to state it)."""
        return self.rank_many([text], top)[0]

    def rank_many(self, texts: Sequence[str], top: int | None = 3) -> list[list[Ranked]]:
        """:meth:`rank` for many texts at once (one product for all: faster)."""
        if not texts:
            return []
        if len(set(e.proposal for e in self.examples)) < 2:
            return [[] for _ in texts]
        if self._model is None:
            self._fit()
        from scipy.sparse import hstack

        features = hstack([v.transform(list(texts)) for v in self._vectorizers]).tocsr()
        scores = np.asarray(features @ self._coef) + self._intercept
        if len(self._classes) == 2:  # a binary model scores one side only
            scores = np.column_stack([-scores[:, 0], scores[:, 0]]) if scores.shape[1] == 1 else scores
        classes = self._classes  # sorted: a stable sort breaks ties by name
        orders = np.argsort(-scores, axis=1, kind="stable")[:, :top].tolist()
        rounded = np.round(scores.astype(np.float64), 4).tolist()
        return [[Ranked(classes[i], row[i]) for i in order] for order, row in zip(orders, rounded)]


# -- the recogniser a build uses ------------------------------------------------------
_BASE: dict[int, tuple[Knowledge, Recogniser]] = {}
_CORPUS: list[tuple[Example, ...]] = [()]  # examples of the corpus being built (its analysts' decisions)
_WITH_CORPUS: dict[tuple[int, tuple[Example, ...]], Recogniser] = {}


_OVERRIDE: list[Recogniser | None] = [None]


@contextlib.contextmanager
def using_base(recogniser: Recogniser) -> Iterator[None]:
    """Within this block ``recogniser`` stands in for the packaged one (an
    experiment on what examples teach: the bench scripts)."""
    previous = _OVERRIDE[0]
    _OVERRIDE[0] = recogniser
    try:
        yield
    finally:
        _OVERRIDE[0] = previous


def base_recogniser(knowledge: Knowledge) -> Recogniser:
    """The codebook's wording and the packaged gold passages, kept per Knowledge."""
    if _OVERRIDE[0] is not None:
        return _OVERRIDE[0]
    cached = _BASE.get(id(knowledge))
    if cached is None or cached[0] is not knowledge:
        cached = _BASE[id(knowledge)] = (knowledge, Recogniser(codebook_examples(knowledge)
                                                                + packaged_examples(knowledge)))
    return cached[1]


@contextlib.contextmanager
def corpus_examples(examples: Iterable[Example]) -> Iterator[None]:
    """Within this block the recogniser also learns from ``examples`` (a
    corpus's corrections); worker processes forked inside inherit them."""
    previous = _CORPUS[0]
    _CORPUS[0] = tuple(examples)
    try:
        yield
    finally:
        _CORPUS[0] = previous


def recogniser_for(knowledge: Knowledge, document: str) -> Recogniser:
    """The model that reads ``document``: base examples, the corpus's own, and
    in :func:`holding_out` none of ``document``'s."""
    extra = _CORPUS[0]
    key = (id(base_recogniser(knowledge)), extra)
    recogniser = _WITH_CORPUS.get(key)
    if recogniser is None:
        if len(_WITH_CORPUS) > 4:
            _WITH_CORPUS.clear()
        recogniser = _WITH_CORPUS[key] = base_recogniser(knowledge).with_examples(extra)
    return recogniser.for_document(document)
