"""The text around a quote: what a reader needs to judge a statement in its place.

The HTML view shows each statement's quote with the sentence before and the
sentence after it. When a quote is only part of a sentence, the rest of that
sentence comes along too, so the context never starts or stops mid-sentence.
Sentence ends are found with a small pattern (``.``, ``!``, ``?`` or ``…``,
optionally closed by a quote mark or bracket, then white space; or a blank
line), looked for only near the quote so the cost does not grow with the
document.
"""

from __future__ import annotations

import re

__all__ = ["CONTEXT_CHARS", "context"]

CONTEXT_CHARS = 400  # at most this much context on each side; longer sentences are cut at a word
_END = re.compile(r"""[.!?\u2026]+["'\u201d\u2019)\]]*\s+|\n[ \t]*\n\s*""")
_SPACE = re.compile(r"\s+")
_TEXT = re.compile(r"\S")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"""[.!?\u2026]["'\u201d\u2019)\]]*\s*$""", text))


def context(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> tuple[str, str]:
    """The sentence before ``text[start:end]`` and the sentence after it, white space squashed.

    A quote that starts mid-sentence gets the start of its sentence with the
    sentence before; one that ends mid-sentence gets the rest of its sentence
    with the sentence after. Each side is at most ``limit`` characters, cut at a
    word with "…".

    >>> text = "First point. Second point. We back the duty to support parents. Third point. Last."
    >>> start = text.index("We back"); end = text.index(" Third")
    >>> context(text, start, end)
    ('Second point.', 'Third point.')
    >>> start = text.index("the duty"); end = text.index(" to support")
    >>> context(text, start, end)
    ('Second point. We back', 'to support parents. Third point.')
    >>> context("Only this.", 0, 10)
    ('', '')
    """
    return _trim_left(_squash(_before(text, start, limit)), limit), _trim_right(_squash(_after(text, start, end, limit)), limit)


def _before(text: str, start: int, limit: int) -> str:
    for window in (limit, 2 * limit):  # most sentences are short: look near the quote first
        left_from = max(0, start - window)
        left = text[left_from:start]
        # Sentence starts before the quote; the window's own start is one only at the start of the text.
        found = ([0] if left_from == 0 else []) + [m.end() for m in _END.finditer(left)]
        starts: list[int] = []  # the last two that begin a sentence (text follows them)
        for s in reversed(found):
            if s == len(left) or _TEXT.search(left, s):
                starts.insert(0, s)
                if len(starts) == 2:
                    break
        if len(starts) >= 2 or left_from == 0 or window == 2 * limit:
            break
    if not _TEXT.search(left):
        return ""
    if not starts:  # deep inside one long sentence
        return left
    if _TEXT.search(left, starts[-1]):  # the quote starts mid-sentence: the sentence before and this one's start
        return left[starts[-2]:] if len(starts) > 1 else (left if left_from > 0 else left[starts[-1]:])
    return left[starts[-2]:starts[-1]] if len(starts) > 1 else left[:starts[-1]]  # the sentence before


def _after(text: str, start: int, end: int, limit: int) -> str:
    right = text[end:end + 2 * limit]
    ends_paragraph = re.match(r"[ \t]*\n[ \t]*\n", right) is not None
    wanted = 1 if _ends_sentence(text[start:end]) or ends_paragraph else 2
    found = []
    for match in _END.finditer(right):  # stop at the sentence ends needed
        stop = match.start() + len(match.group(0).rstrip())
        if _TEXT.search(right, 0, stop):
            found.append(stop)
            if len(found) == wanted:
                return right[:stop]
    if end + 2 * limit >= len(text) and _TEXT.search(right, found[-1] if found else 0):
        return right
    return right[:found[-1]] if found else right




def _trim_left(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    return "\u2026" + cut[cut.find(" ") + 1:] if " " in cut else "\u2026" + cut


def _trim_right(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return (cut[:cut.rfind(" ")] if " " in cut else cut) + "\u2026"
