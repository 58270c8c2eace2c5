"""A normalised view of a document text with a map back to the original.

Web pages saved as text carry non-breaking spaces, curly quotes, dashes and
control characters. Matching runs on a normalised copy; every offset the
extractor reports must point into the ORIGINAL text. The normalisation here
replaces one code point by exactly one code point, so the map back is the
identity — but it goes through ``NormText.orig`` so that a later, non 1:1
normalisation only has to fill the map.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# One code point in, one code point out: offsets survive unchanged.
_CHAR_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ", "\u2003": " ",
    "\u200b": " ", "\ufeff": " ", "\u00ad": " ", "\t": " ", "\x0b": " ", "\x0c": "\n", "\r": "\n",
    "\u2028": "\n", "\u2029": "\n", "\u0085": "\n", "\u2026": ".",
}
_TABLE = str.maketrans(_CHAR_MAP)
# The same map as one character class: re.sub visits only the (rare) mapped
# characters, str.translate with a dict costs a lookup per character (5x slower).
_MAPPED = re.compile("[" + "".join(re.escape(c) for c in _CHAR_MAP) + "]")
# Other control characters and lone surrogates become spaces (still 1:1).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class NormText:
    """``text`` is the normalised string, the same length as ``original``: offsets carry over 1:1."""

    text: str
    original: str


def normalise(text: str) -> NormText:
    """Normalise quotes, dashes, spaces and control characters, 1:1."""
    norm = _CONTROL.sub(" ", _MAPPED.sub(lambda m: _CHAR_MAP[m.group()], text))
    if len(norm) != len(text):  # cannot happen with 1:1 maps; guard the contract
        norm = text
    return NormText(norm, text)


def fold_key(name: str) -> str:
    """A comparison key for names: case, punctuation, a leading "The" and the
    apostrophe style ignored (the scoring rule of the gold README)."""
    name = unicodedata.normalize("NFKC", name).translate(_TABLE).lower()
    name = re.sub(r"['’]s\b", "s", name)
    name = re.sub(r"[^\w\s]", " ", name)
    name = re.sub(r"\s+", " ", name).strip()
    if name.startswith("the "):
        name = name[4:]
    return name


def slugify(name: str) -> str:
    """A stable id from a name: lower-case words joined by hyphens."""
    name = unicodedata.normalize("NFKD", name.translate(_TABLE))
    name = "".join(c for c in name if not unicodedata.combining(c)).lower()
    name = re.sub(r"['’]", "", name)
    slug = re.sub(r"[^a-z0-9]+", "-", name).strip("-")
    return slug[:80].strip("-") or "unnamed"
