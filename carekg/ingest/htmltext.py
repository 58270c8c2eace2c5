"""The discourse text of an HTML page, in one pass, in time linear in its size whatever its nesting.

The standard library's tokenizer (``html.parser``) reports tags and text as
they come; a stack of open elements (with a count per tag name, so closing a
tag never searches the stack) says whether the text is inside something to
skip. Block elements become line breaks; inline ones (b, a, span …) do not
split a sentence. Skipped: scripts, styles, navigation, footers, asides,
forms and the like, and a page header (a header inside an article or main
holds its title and is kept). Only the body is read when the page has one.

>>> page = html_text("<title>T</title><nav>Menu</nav><p>We <b>urge</b>&nbsp;action.</p><ul><li>One</li></ul>")
>>> page.title, page.text
('T', 'We urge\\xa0action.\\nOne')
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import NamedTuple

__all__ = ["BLOCKS", "NOT_DISCOURSE", "PageText", "html_text"]

# Elements whose boundaries are line breaks; other tags (b, a, span …) are inline.
BLOCKS = frozenset([
    "address", "article", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "table", "td", "th",
    "tr", "ul",
])
NOT_DISCOURSE = frozenset(["script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe",
                           "svg", "button"])
# Elements that never have content or an end tag.
_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"])
# What a <head> holds; any other element ends an unclosed head, as in a browser.
_HEAD_CONTENT = frozenset(["head", "title", "meta", "link", "style", "script", "base", "noscript", "template"])
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's own whitespace: NBSP is content and is kept
_BREAK = "\x00"  # never in text: a NUL in a page is refused before it gets here


class PageText(NamedTuple):
    text: str
    title: str | None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped) of each open element
        self.open: dict[str, int] = {}
        self.skipping = 0  # open elements whose content is skipped
        self.before_body: list[str] = []
        self.body: list[str] | None = None  # the body's pieces, once a <body> starts
        self.title: list[str] | None = None
        self.in_title = False

    @property
    def pieces(self) -> list[str]:
        return self.body if self.body is not None else self.before_body

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.open.get("head") and tag not in _HEAD_CONTENT:
            self.handle_endtag("head")
        if tag == "body" and self.body is None:
            self.body = []
        if tag == "title" and self.title is None and not self.skipping:
            self.title, self.in_title = [], True
        if tag in BLOCKS and not self.skipping:
            self.pieces.append(_BREAK)
        if tag in _VOID:
            return
        skipped = tag in NOT_DISCOURSE or (tag == "header" and not self.open.get("article") and not self.open.get("main"))
        self.stack.append((tag, skipped))
        self.open[tag] = self.open.get(tag, 0) + 1
        self.skipping += skipped

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in BLOCKS and not self.skipping:
            self.pieces.append(_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if not self.open.get(tag):
            return  # a stray end tag
        while self.stack:  # close everything opened since (each element is popped once: linear overall)
            name, skipped = self.stack.pop()
            self.open[name] -= 1
            self.skipping -= skipped
            if name == tag:
                break
        if tag in BLOCKS and not self.skipping:
            self.pieces.append(_BREAK)

    def handle_data(self, data: str) -> None:
        if self.in_title and self.title is not None:
            self.title.append(data)
        elif not self.skipping and not self.open.get("head"):
            self.pieces.append(data)


def html_text(markup: str) -> PageText:
    """The text of a page (blocks on their own lines, whitespace collapsed) and its title."""
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    blocks = (_SPACE.sub(" ", block).strip(" ") for block in "".join(reader.pieces).split(_BREAK))
    title = _SPACE.sub(" ", "".join(reader.title or ())).strip() or None
    return PageText("\n".join(block for block in blocks if block), title)
