"""Property tests: the extractor on arbitrary text, the loaders on arbitrary bytes."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carekg.ingest.corpus import LOADERS, load_text
from carekg.errors import CareKGError
from carekg.vocab.knowledge import load_knowledge
from carekg.vocab.model import Document

from .test_loaders import docx_bytes, text_pdf

# CI-sized by default; CAREKG_FUZZ_EXAMPLES=5000 pytest tests/test_properties.py hunts longer.
CI = settings(max_examples=int(os.environ.get("CAREKG_FUZZ_EXAMPLES", "150")), deadline=None,
              suppress_health_check=[HealthCheck.too_slow])

# --- the extractor -------------------------------------------------------------------

KNOWLEDGE = load_knowledge()
PHRASES = sorted(
    {label for p in KNOWLEDGE.proposals.values() for label in (p.label, *p.alt_labels)}
    | {name for a in KNOWLEDGE.agents.values() for name in (a.name, *a.aliases)}
)
CUES = ["We urge", "we do not support", "calls for", "should", "must", "said:", "\u201c", "\u201d", "48%",
        "£2.5bn", "research found", "\n", "\n\n", "1.", "\u2022", "\u00a0", " ", ".", ":", "\u2019"]

unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=3000)  # any code point but surrogates
control_text = st.text(st.characters(max_codepoint=0x9F), max_size=2000)  # C0/C1 controls, tabs, form feeds
long_line = st.builds(lambda word, n: (word + " ") * n, st.sampled_from(PHRASES), st.integers(200, 3000))
debate_like = st.lists(st.one_of(st.sampled_from(PHRASES), st.sampled_from(CUES), st.text(max_size=12)),
                       max_size=300).map(" ".join)
texts = st.one_of(unicode_text, control_text, long_line, debate_like,
                  st.builds(str.__add__, debate_like, unicode_text))


class _Errors(logging.Handler):
    """Collects log records at ERROR and above (the extractor logs what it swallows)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _spans(extraction):
    for statement in extraction.statements:
        yield "statement", statement.span
    for claim in extraction.claims:
        yield "claim", claim.span
    for mention in extraction.mentions:
        if mention.span is not None:
            yield "mention", mention.span


@CI
@given(text=texts, publisher=st.sampled_from([None, "pause", "become", "nobody-known"]))
def test_extractor_never_raises_and_every_span_quotes_the_text(text, publisher):
    from carekg.extract import extract_document

    handler = _Errors()
    logger = logging.getLogger("carekg")
    logger.addHandler(handler)
    try:
        extraction = extract_document(Document(file="x.txt", text=text, publisher=publisher), KNOWLEDGE)
    finally:
        logger.removeHandler(handler)
    for kind, span in _spans(extraction):
        assert 0 <= span.start <= span.end <= len(text), (kind, span)
        assert text[span.start:span.end] == span.quote, (kind, span)
    # extract_document catches its own exceptions and logs them; a swallowed crash is still a crash.
    assert not handler.records, handler.records[0].getMessage() + "\n" + str(handler.records[0].exc_info)


@CI
@given(text=texts)
def test_extracted_documents_become_valid_ntriples(text):
    """Whatever the text, its triples serialise and parse back (no IRI or escaping faults)."""
    import pyoxigraph as ox

    from carekg.build import extract_to_lines

    result = extract_to_lines(Document(file="odd name (1).txt", text=text))
    assert result.error is None, result.error
    parsed = list(ox.parse("".join(result.lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    assert len(parsed) == len(result.lines)


# --- the loaders -------------------------------------------------------------------------

SAMPLES = {
    ".txt": "We urge the government to act.\n".encode("utf-8"),
    ".md": "# Asks\n\n- more funding\n".encode("utf-8"),
    ".html": b"<html><head><title>t</title></head><body><p>We <b>urge</b> action.</p><ul><li>x</li></ul></body></html>",
    ".pdf": text_pdf(["We urge the government to act.", "Second line."]),
    ".docx": docx_bytes(["We urge the government to act."], table=[["a", "b"]]),
}


@st.composite
def damaged(draw, suffix: str) -> bytes:
    """A valid sample cut short, with bytes overwritten, or with a slice repeated."""
    data = bytearray(SAMPLES[suffix])
    cut = draw(st.integers(0, len(data)))
    how = draw(st.sampled_from(["truncate", "overwrite", "splice"]))
    if how == "truncate":
        return bytes(data[:cut])
    if how == "overwrite":
        patch = draw(st.binary(min_size=1, max_size=64))
        data[cut:cut + len(patch)] = patch
        return bytes(data)
    end = draw(st.integers(cut, len(data)))
    return bytes(data[:end] + data[cut:])


def _load(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            text, warnings = load_text(path)
        except CareKGError:
            return
        assert isinstance(text, str) and text.strip()
        assert all(isinstance(w, str) for w in warnings)


@pytest.mark.parametrize("suffix", sorted(SAMPLES))
@CI
@given(data=st.data())
def test_loaders_raise_only_carekg_errors(suffix, data):
    payload = data.draw(st.one_of(st.binary(max_size=4096), damaged(suffix)), label="bytes")
    _load(suffix, payload)


@CI
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=2000),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"]))
def test_text_that_decodes_is_kept_exactly(text, encoding):
    """Any text a .txt holds comes back as written (or fails as binary); never mangled."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.txt"
        path.write_bytes(data)
        try:
            loaded, warnings = load_text(path)
        except CareKGError:
            return  # empty, or control characters enough to look binary
    if encoding.startswith("utf-8"):
        # A leading U+FEFF is read as a byte order mark, the one change UTF-8 text may see.
        expected = text[1:] if encoding == "utf-8" and text.startswith("\ufeff") else text
        assert (loaded, warnings) == (expected, [])
    elif not warnings:
        assert loaded == data.decode("utf-8")  # legacy bytes that happen to be valid UTF-8 are UTF-8
    else:
        assert loaded == data.decode(warnings[0].rsplit(" ", 1)[-1]) == text or encoding == "latin-1"


def test_every_loader_is_fuzzed():
    assert set(SAMPLES) | {".htm", ".markdown"} == set(LOADERS)
