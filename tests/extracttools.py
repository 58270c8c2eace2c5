"""Running the extractor on a short text in the rule tests, with the checks every case shares."""

from __future__ import annotations

from carekg.extract import extract_document
from carekg.vocab.model import Document, Extraction

# The publisher of the test texts: an invented charity, in no registry.
PUBLISHER = "Northfield Kinship Alliance"
PUBLISHER_ID = "northfield-kinship-alliance"


def run(knowledge, text: str, publisher: str | None = PUBLISHER) -> Extraction:
    """Extract ``text``; every quote is its span of the text and every agent it refers to exists."""
    extraction = extract_document(Document("t.txt", text, publisher=publisher), knowledge)
    check_spans(text, extraction)
    return extraction


def check_spans(text: str, ex: Extraction) -> None:
    for item in [*ex.statements, *ex.claims]:
        assert text[item.span.start:item.span.end] == item.span.quote
    for m in ex.mentions:
        if m.span is not None:
            assert text[m.span.start:m.span.end] == m.span.quote
    referenced = {s.actor_id for s in ex.statements} | {c.claimant_id for c in ex.claims} \
        | {m.agent_id for m in ex.mentions}
    assert referenced <= set(ex.agents)
