"""A small hand-made corpus for the HTML view's tests: dated and undated documents with publishers,
statements in the middle of real sentences (so that the view can show the sentence before and after),
and one organisation with enough statements that its details panel has to scroll."""

from __future__ import annotations

import functools

from rdflib import Graph

from carekg.vocab.model import Document, Extraction, Span, Statement
from tests.test_networks import graph_of

PROPOSALS = {
    "raise-care-leaving-age": "backs raising the care-leaving age",
    "adequate-funding": "wants adequate funding",
    "invest-in-early-help": "argues for early help",
    "unregulated-accommodation-standards": "asks for national standards for unregulated accommodation",
    "care-for-all-under-18": "wants care for every child under 18",
}
# (file, publisher, published, [(actor, proposal, stance)])
DOCUMENTS = [
    (f"become-{k:02d}.txt", "become", f"{2019 + k // 4}-{1 + 3 * (k % 4):02d}",
     [("become", "raise-care-leaving-age", "support"), ("become", "adequate-funding", "support"),
      ("become", "invest-in-early-help", "support" if k % 3 else "oppose")])
    for k in range(12)
] + [
    ("government.txt", "uk-government", "2022-03",
     [("uk-government", "raise-care-leaving-age", "support"), ("uk-government", "adequate-funding", "oppose"),
      ("uk-government", "unregulated-accommodation-standards", "support")]),
    ("pause.txt", "pause", "2020-05",
     [("pause", "invest-in-early-help", "support"), ("pause", "care-for-all-under-18", "support"),
      ("pause", "raise-care-leaving-age", "support")]),
    ("undated.txt", "", "",
     [("pause", "adequate-funding", "support"), ("uk-government", "invest-in-early-help", "support")]),
]
LABELS = {"become": "Become", "uk-government": "The Government", "pause": "Pause"}


def sentence_before(file: str, k: int) -> str:
    return f"Point {k} of {file} sets the scene."


def sentence_after(file: str, k: int) -> str:
    return f"That closes point {k} of {file}."


def _extraction(file: str, publisher: str, published: str, statements: list[tuple[str, str, str]]) -> Extraction:
    parts, spans = [], []
    offset = 0
    for k, (actor, proposal, stance) in enumerate(statements):
        quote = f"{LABELS[actor]} {'' if stance == 'support' else 'no longer '}{PROPOSALS[proposal]}."
        for piece in (sentence_before(file, k) + " ", None, " " + sentence_after(file, k) + "\n\n"):
            if piece is None:
                spans.append((actor, proposal, stance, offset, offset + len(quote), quote))
                piece = quote
            parts.append(piece)
            offset += len(piece)
    text = "".join(parts)
    document = Document(file, text, title=f"Title of {file}", publisher=publisher or None, published=published or None)
    return Extraction(document, statements=[
        Statement(actor, proposal, stance, Span(start, end, quote), confidence=0.9)
        for actor, proposal, stance, start, end, quote in spans
    ])


@functools.lru_cache(maxsize=1)
def _reading_graph() -> Graph:
    return graph_of(*(_extraction(*document) for document in DOCUMENTS))


def reading_graph() -> Graph:
    """The corpus as an rdflib graph (ontology, codebook, registry and the statements)."""
    return _reading_graph()
