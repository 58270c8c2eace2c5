"""Long documents extracted in sections, so time and memory grow linearly with their length.

A 280-page review is about 1 MB of text; the size cap admits 50 MB. The
extractor works on a whole document at once, so the builder hands it a long
document as consecutive sections of at most :data:`SECTION_CHARS` characters,
cut at paragraph ends (else line ends, sentence ends, spaces), and merges what
it finds. Every offset is shifted back into the whole text, so each quote is
still exactly ``text[start:end]`` of the document. Statements and claims are
sentence-sized, so a cut at a paragraph end loses none of them.

The author of the document is the one found in its first section (or the
manifest's publisher): later sections are extracted with that author as their
publisher, so "we urge" on page 200 is still the author's.

>>> text = "First paragraph.\\n\\nSecond one.\\nThird line.\\n"
>>> [text[start:end] for start, end in split_sections(text, 20)]
['First paragraph.\\n\\n', 'Second one.\\n', 'Third line.\\n']
"""

from __future__ import annotations

import re
from dataclasses import replace

from carekg.vocab.knowledge import Knowledge
from carekg.vocab.model import UNKNOWN_AUTHOR_ID, Claim, Document, Extraction, Mention, Span, Statement

__all__ = ["SECTION_CHARS", "split_sections", "extract_in_sections"]

# About 0.5 MB of text: the extractor then needs ~50 MB and well under a second a section.
SECTION_CHARS = 500_000

# Where a section may end, best first: after a blank line, a line end, a sentence end, a space.
_CUTS = (re.compile(r"\n[ \t\f\v]*\n\s*"), re.compile(r"\n"), re.compile(r"[.!?][\"')\]]*\s+"), re.compile(r"\s+"))


def split_sections(text: str, size: int = SECTION_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive sections covering ``text``, each at most ``size`` characters.

    A section ends at the last paragraph end within ``size`` characters, else
    the last line end, sentence end or space, else (one unbroken run) at ``size``.
    """
    if size < 1:
        raise ValueError("section size must be at least 1")
    sections: list[tuple[int, int]] = []
    start, length = 0, len(text)
    while length - start > size:
        window_end = start + size
        end = None
        for cut in _CUTS:
            # The last match ending within the window (searched in its second half first: cheap and usual).
            for lower in (start + size // 2, start):
                ends = [m.end() for m in cut.finditer(text, lower, window_end)]
                if ends:
                    end = ends[-1]
                    break
            if end is not None:
                break
        end = end if end is not None and end > start else window_end
        sections.append((start, end))
        start = end
    if start < length or not sections:
        sections.append((start, length))
    return sections


def extract_in_sections(document: Document, knowledge: Knowledge, size: int | None = None) -> Extraction:
    """``carekg.extract.extract_document`` for a document of any length (one call when it is short).

    ``size`` is the longest section, in characters (default :data:`SECTION_CHARS`).
    """
    from carekg.extract import extract_document

    size = size or SECTION_CHARS
    sections = split_sections(document.text, size)
    if len(sections) == 1:
        return extract_document(document, knowledge)
    merged = Extraction(document)
    authors: list[str] = []  # the document's authors: those its first section names
    publisher = document.publisher
    seen_mentions: set[tuple[str, str]] = set()
    seen_statements: set[tuple[str, str, str, int, int]] = set()
    for number, (start, end) in enumerate(sections):
        # A section is read with the end of the one before as context (what the text refers back to),
        # but keeps only what starts in itself: the previous section already has the rest.
        lead = _lead_in(document.text, start, size // 10) if number else start
        part = extract_document(replace(document, text=document.text[lead:end], publisher=publisher), knowledge)
        part = _from(part, start - lead)
        found = _authors(part)
        if number == 0:
            authors = found
            publisher = publisher or _as_publisher(part, found, knowledge)
        elif found != authors:
            # The document's authors are those of its start: a later section names the same
            # (through the publisher), and no others of its own.
            part = _with_authors(part, found, authors)
        for agent_id, agent in part.agents.items():
            merged.agents.setdefault(agent_id, agent)
        for key, emergent in part.emergent.items():
            merged.emergent.setdefault(key, emergent)
        for mention in part.mentions:
            if (mention.agent_id, mention.role) not in seen_mentions:
                seen_mentions.add((mention.agent_id, mention.role))
                merged.mentions.append(_shift_mention(mention, lead))
        merged.claims.extend(_shift_claim(claim, lead) for claim in part.claims)
        for statement in map(_shift_statement, part.statements, [lead] * len(part.statements)):
            key = (statement.actor_id, statement.proposal_id, statement.stance, statement.span.start, statement.span.end)
            if key not in seen_statements:  # one statement IRI, one set of triples (after an author swap)
                seen_statements.add(key)
                merged.statements.append(statement)
    return merged


def _lead_in(text: str, start: int, chars: int) -> int:
    """Where the context of a section starts: the first paragraph (else line) start in the ``chars`` before it."""
    for cut in _CUTS[:2]:
        match = cut.search(text, max(0, start - chars), start)
        if match is not None:
            return match.end()
    return start


def _from(extraction: Extraction, offset: int) -> Extraction:
    """Only the statements and claims that start at ``offset`` or later (the section proper)."""
    if offset == 0:
        return extraction
    return replace(extraction, statements=[s for s in extraction.statements if s.span.start >= offset],
                   claims=[c for c in extraction.claims if c.span.start >= offset])


def _authors(extraction: Extraction) -> list[str]:
    return [m.agent_id for m in extraction.mentions if m.role == "author"]


def _as_publisher(extraction: Extraction, authors: list[str], knowledge: Knowledge) -> str | None:
    """The author found in the first section, as a manifest would name it (registry id, else the name)."""
    if len(authors) != 1 or authors[0] == UNKNOWN_AUTHOR_ID:
        return None  # unknown, or a joint document: later sections find their speakers on their own
    if authors[0] in knowledge.agents:
        return authors[0]
    agent = extraction.agents.get(authors[0])
    return agent.label if agent is not None else None


def _with_authors(extraction: Extraction, found: list[str], authors: list[str]) -> Extraction:
    """A later section's extraction with the document's authors rather than its own.

    Author roles the document does not have are dropped; when the document
    has one known author and the section one other, what the section gives
    its author (a name resolved to another id) is the document author's.
    """
    foreign = [agent for agent in found if agent not in authors]
    mentions = [m for m in extraction.mentions if not (m.role == "author" and m.agent_id in foreign)]
    if len(authors) != 1 or authors[0] == UNKNOWN_AUTHOR_ID or len(foreign) != 1:
        return replace(extraction, mentions=mentions)
    author, other = authors[0], foreign[0]

    def swap(agent_id: str) -> str:
        return author if agent_id == other else agent_id

    return replace(
        extraction,
        mentions=[Mention(author, "author"), *mentions],
        statements=[replace(s, actor_id=swap(s.actor_id)) for s in extraction.statements],
        claims=[replace(c, claimant_id=swap(c.claimant_id)) for c in extraction.claims],
    )


def _shift(span: Span, offset: int) -> Span:
    return Span(span.start + offset, span.end + offset, span.quote)


def _shift_key(key: str, offset: int) -> str:
    start, _, end = key.partition("-")
    return f"{int(start) + offset}-{int(end) + offset}"


def _shift_mention(mention: Mention, offset: int) -> Mention:
    return mention if mention.span is None else replace(mention, span=_shift(mention.span, offset))


def _shift_claim(claim: Claim, offset: int) -> Claim:
    return replace(claim, span=_shift(claim.span, offset))


def _shift_statement(statement: Statement, offset: int) -> Statement:
    return replace(statement, span=_shift(statement.span, offset),
                   evidence=tuple(_shift_key(key, offset) for key in statement.evidence))
