"""Reading N-Triples and Turtle whatever the size of their literals.

pyoxigraph's parsers buffer one token at a time and give up on a token over
16 MiB (``MemoryError: Reached the buffer maximal size``); a carekg graph
stores each document's whole text as one literal, so one long document would
make its graph unreadable. rdflib's N-Triples parser reads such a literal in
time quadratic in its length. So every carekg reader of these formats goes
through :func:`parse` / :func:`load_store`, which hand pyoxigraph a stream in
which each long string literal is replaced by a short placeholder, then put
the real value back into the parsed triples.

The stream is cut into lines: a line of ordinary length passes through
untouched (the common case costs one pass of ``bytes.find``); a line longer
than :data:`CHUNK_BYTES` is tokenised (IRIs, comments, strings) and its long
strings set aside. A Turtle file with triple-quoted strings (which may span
lines) is tokenised as a whole.

>>> big = "x" * 20_000_000
>>> data = f'<http://e/s> <http://e/p> "{big}"@en .\\n'.encode()
>>> [len(quad.object.value) for quad in parse(data, "nt")], next(parse(data, "nt")).object.language
([20000000], 'en')
"""

from __future__ import annotations

import mmap
import re
import secrets
from pathlib import Path
from typing import IO, Iterator

import pyoxigraph as ox

__all__ = ["CHUNK_BYTES", "SPILL_BYTES", "FORMATS", "GRAPH_NAME", "graph_file", "rdf_format", "parse", "load_store",
           "unescape"]

GRAPH_NAME = "graph.ttl"  # the graph file of a build folder


def graph_file(path: Path | str) -> Path:
    """The graph file a path names: a build folder means its ``graph.ttl``."""
    path = Path(path)
    return path / GRAPH_NAME if path.is_dir() else path

# Lines shorter than this pass through as they are; pyoxigraph copes with tokens up to 16 MiB.
CHUNK_BYTES = 1 << 20
# String literals longer than this (in a long line) are set aside and put back after parsing.
SPILL_BYTES = 1 << 16

FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE, "nq": ox.RdfFormat.N_QUADS}

Source = bytes | Path

# Everything that is not the start of a string: IRIs, comments, escaped characters of local names.
_NOT_STRING = re.compile(rb"""(?:[^"'<#\\]++|<[^>\n]*+>|\#[^\n]*+|\\.)*+""", re.S)
_STRINGS = {
    b'"""': re.compile(rb'"""(?:[^"\\]++|\\.|"(?!""))*+"""', re.S),
    b"'''": re.compile(rb"'''(?:[^'\\]++|\\.|'(?!''))*+'''", re.S),
    b'"': re.compile(rb'"(?:[^"\\\n\r]++|\\.)*+"', re.S),
    b"'": re.compile(rb"'(?:[^'\\\n\r]++|\\.)*+'", re.S),
}
# What may follow a string: a language tag or a datatype written as a full IRI.
_SUFFIX = re.compile(rb"\s*(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^\s*<([^>\s]*)>|(\^\^))?")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ECHARS = [("\\" + char, value) for char, value in _ECHAR.items() if char != "\\"]


def rdf_format(name: str) -> ox.RdfFormat:
    """A pyoxigraph format from a short name or a file extension (``nt``, ``.ttl``, ``nq``)."""
    return FORMATS[name.lower().lstrip(".")]


def unescape(body: str) -> str:
    r"""The value of a Turtle / N-Triples string body (between its quotes).

    >>> unescape(r'a\"b\nc\u00e9\U0001F600 \\n')
    'a"b\ncé😀 \\n'
    """
    if "\\" not in body:
        return body
    # str.replace passes run at C speed; a regex callback per escape would cost seconds on a
    # 17 MB text. An escaped backslash is set aside first, so every other backslash starts an escape.
    sentinel = next((c for c in "\ue000\ue001\ue002\ue003" if c not in body), None)
    if sentinel is None:  # pragma: no cover - a text using all four private-use characters
        return _ESCAPE.sub(_one_escape, body)
    text = body.replace("\\\\", sentinel)
    for escape, char in _ECHARS:
        text = text.replace(escape, char)
    if "\\" in text:
        text = _ESCAPE.sub(_one_escape, text)
    return text.replace(sentinel, "\\")


def _one_escape(match: re.Match[str]) -> str:
    short, long, char = match.groups()
    if short or long:
        return chr(int(short or long, 16))
    return _ECHAR.get(char, "\\" + char)


class _Spilled:
    """A binary stream of ``source`` with long string literals replaced by placeholders.

    ``values`` maps each placeholder (a random prefix plus a number, so it
    cannot be a real literal) to the string it replaced.
    """

    def __init__(self, source: Source):
        self.prefix = f"carekg-long-literal-{secrets.token_hex(16)}-"
        self.values: dict[str, str] = {}
        self.kinds: dict[str, ox.Literal | None] = {}  # each placeholder as parsed, when its suffix says
        self._file: IO[bytes] | None = None
        self._map: mmap.mmap | None = None
        if isinstance(source, Path):
            self._file = source.open("rb")
            size = source.stat().st_size
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ) if size else None
            data: bytes | mmap.mmap = self._map if self._map is not None else b""
        else:
            data = source
        self._data = data
        self._position = 0
        self._out = bytearray()
        # Strings that may span lines (Turtle's triple quotes): the line-by-line shortcut is unsafe.
        self._whole = data.find(b'"""') >= 0 or data.find(b"'''") >= 0

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
        if self._file is not None:
            self._file.close()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self._out) < size) and self._position < len(self._data):
            self._fill()
        if size < 0:
            size = len(self._out)
        piece = bytes(self._out[:size])
        del self._out[:size]
        return piece

    def readinto(self, buffer) -> int:
        piece = self.read(len(buffer))
        buffer[: len(piece)] = piece
        return len(piece)

    def _fill(self) -> None:
        data, start = self._data, self._position
        if self._whole:
            self._out += self._tokenised(data[start:])
            self._position = len(data)
            return
        end = data.find(b"\n", start, start + CHUNK_BYTES)
        if end >= 0 or start + CHUNK_BYTES >= len(data):
            # Ordinary lines: pass everything up to the last line end within one chunk.
            cut = data.rfind(b"\n", start, start + CHUNK_BYTES)
            stop = len(data) if start + CHUNK_BYTES >= len(data) else cut + 1
            self._out += data[start:stop]
            self._position = stop
            return
        end = data.find(b"\n", start)
        stop = len(data) if end < 0 else end + 1
        self._out += self._tokenised(data[start:stop])
        self._position = stop

    def _tokenised(self, text: bytes) -> bytes:
        """``text`` with each string literal over SPILL_BYTES replaced by a placeholder."""
        pieces: list[bytes] = []
        kept, position, length = 0, 0, len(text)
        while position < length:
            position = _NOT_STRING.match(text, position).end()
            if position >= length:
                break
            quote = text[position:position + 3]
            if quote not in _STRINGS:
                quote = text[position:position + 1]
            match = _STRINGS[quote].match(text, position) if quote in _STRINGS else None
            if match is None:  # not a string after all (a syntax error pyoxigraph will report): keep the byte
                position += 1
                continue
            if match.end() - position > SPILL_BYTES:
                key = f"{self.prefix}{len(self.values)}"
                try:
                    body = text[position + len(quote):match.end() - len(quote)].decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise SyntaxError(f"a string literal is not valid UTF-8 ({exc})") from None
                self.values[key] = unescape(body)
                self.kinds[key] = _placeholder(key, _SUFFIX.match(text, match.end()))
                pieces += [text[kept:position], f'"{key}"'.encode()]
                kept = match.end()
            position = match.end()
        if not pieces:
            return text
        pieces.append(text[kept:])
        return b"".join(pieces)


def _placeholder(key: str, suffix: re.Match[bytes] | None) -> ox.Literal | None:
    """The literal a placeholder parses as, or None when its datatype is a prefixed name."""
    language, datatype, prefixed = suffix.groups() if suffix else (None, None, None)
    if prefixed:
        return None
    if language:
        return ox.Literal(key, language=language.decode("ascii"))
    if datatype:
        try:
            return ox.Literal(key, datatype=ox.NamedNode(datatype.decode("utf-8")))
        except ValueError:  # a relative IRI: resolved by the parser, so not known here
            return None
    return ox.Literal(key)


def _restore(quad: ox.Quad, values: dict[str, str], prefix: str) -> ox.Quad:
    literal = quad.object
    if type(literal) is not ox.Literal or not literal.value.startswith(prefix):
        return quad
    value = values[literal.value]
    if literal.language:
        restored = ox.Literal(value, language=literal.language)
    else:
        restored = ox.Literal(value, datatype=literal.datatype)
    return ox.Quad(quad.subject, quad.predicate, restored, quad.graph_name)


def parse(source: Source, format: str = "nt") -> Iterator[ox.Quad]:
    """The quads of an N-Triples, Turtle or N-Quads file (a ``Path``) or text (``bytes``), in input order.

    Like ``pyoxigraph.parse`` but with no limit on the size of a literal.
    Raises ``SyntaxError`` on invalid input, as pyoxigraph does.
    """
    stream = _Spilled(source)
    try:
        values = stream.values
        for quad in ox.parse(stream, format=rdf_format(format)):
            yield _restore(quad, values, stream.prefix) if values else quad
    finally:
        stream.close()


def load_store(source: Source, format: str = "nt", store: ox.Store | None = None) -> ox.Store:
    """An in-memory pyoxigraph store of ``source`` (or ``source`` added to ``store``), literals of any size.

    The bulk loader reads the placeholder stream at full speed; the few long
    literals are then swapped in. Raises ``SyntaxError`` on invalid input.
    """
    store = ox.Store() if store is None else store
    stream = _Spilled(source)
    try:
        store.bulk_load(stream, format=rdf_format(format))
    finally:
        stream.close()
    if stream.values:
        placeholders = [quad for literal in stream.kinds.values() if literal is not None
                        for quad in store.quads_for_pattern(None, None, literal, None)]
        if len({quad.object.value for quad in placeholders}) < len(stream.values):
            # A datatype written as a prefixed name, or a tag the parser normalised: look at every literal once.
            placeholders = [quad for quad in store.quads_for_pattern(None, None, None, None)
                            if type(quad.object) is ox.Literal and quad.object.value.startswith(stream.prefix)]
        for quad in placeholders:
            store.remove(quad)
            store.add(_restore(quad, stream.values, stream.prefix))
    return store
