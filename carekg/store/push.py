"""Sending a graph file to any SPARQL 1.1 Graph Store Protocol endpoint.

The Graph Store Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/) is
what Oxigraph, Fuseki, GraphDB, Virtuoso and Stardog share: ``PUT`` RDF to
``<endpoint>?graph=<iri>`` replaces that named graph (``?default``: the default
graph), ``POST`` adds to it. The file is streamed as it is (Turtle or
N-Triples), so a graph larger than memory can be sent; only the standard
library is used.

>>> graph_store_url("http://127.0.0.1:7878/store", "https://w3id.org/carekg/graph")
'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Fcarekg%2Fgraph'
>>> graph_store_url("http://127.0.0.1:7878/store", None)
'http://127.0.0.1:7878/store?default'
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import ipaddress
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from carekg.errors import PushError

__all__ = ["CONTENT_TYPES", "PushError", "PushResult", "graph_store_url", "push_graph", "shown"]

CONTENT_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples"}
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+")


@dataclass(frozen=True)
class PushResult:
    """What was sent where, and what the server answered."""

    url: str
    method: str
    content_type: str
    bytes: int
    status: int
    target: str  # "<iri>" or "the default graph"

    def line(self) -> str:
        return f"{self.method} {self.bytes / 1e6:.1f} MB to {self.target} at {self.url} (HTTP {self.status})"


_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5


def shown(endpoint: str) -> str:
    """An endpoint as it may be printed: a password in it replaced by ``***``.

    >>> shown("http://ann:secret@127.0.0.1:7878/store")
    'http://ann:***@127.0.0.1:7878/store'
    """
    try:
        parts = urllib.parse.urlsplit(endpoint)
    except ValueError:
        return re.sub(r"(//[^/@:]*:)[^/@]*@", r"\1***@", endpoint)
    if parts.password is None:
        return endpoint
    user, _, host = parts.netloc.rpartition("@")
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user.partition(':')[0]}:***@{host}"))


def _check_endpoint(endpoint: str) -> urllib.parse.SplitResult:
    try:
        parts = urllib.parse.urlsplit(endpoint)
        _ = parts.port  # raises ValueError on a port that is not a number
    except ValueError as exc:
        raise PushError(f"bad endpoint URL '{shown(endpoint)}': {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"bad endpoint URL '{shown(endpoint)}': expected http://host[:port]/path")
    if _CONTROL_OR_SPACE.search(endpoint):
        raise PushError(f"bad endpoint URL '{shown(endpoint)}': it contains a space or a control character "
                        "(write a space as %20)")
    query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
    if "graph" in query or "default" in query:
        raise PushError(f"give the target graph with --graph, not in the endpoint URL '{shown(endpoint)}'")
    return parts


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of a named graph (``?graph=<iri>``) or of the default graph (``?default``).

    Credentials in the endpoint (``user:password@``) are left out: they travel as an Authorization header.
    """
    parts = _check_endpoint(endpoint)
    if graph is not None and not _IRI.fullmatch(graph):
        raise PushError(f"bad graph IRI '{graph}': expected an absolute IRI such as https://example.org/graph")
    selector = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
    query = f"{parts.query}&{selector}" if parts.query else selector
    netloc = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _credentials(endpoint: str) -> dict[str, str]:
    """An HTTP Basic Authorization header for ``user:password@`` in the endpoint (none without)."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.username is None:
        return {}
    pair = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
    return {"Authorization": "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Deadline:
    """Closes every connection of a push when its time is up, whatever the connection is waiting for.

    A socket timeout bounds each read, not the push: a server trickling one
    header byte at a time would otherwise hold a push for as long as it likes.
    """

    def __init__(self, seconds: float):
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "_Deadline":
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._close(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._close(sock)

    @staticmethod
    def _close(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _watched(connection: type[http.client.HTTPConnection], deadline: _Deadline) -> type[http.client.HTTPConnection]:
    class Watched(connection):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    return Watched


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request):
        return self.do_open(_watched(http.client.HTTPConnection, self.deadline), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request):
        return self.do_open(_watched(http.client.HTTPSConnection, self.deadline), req, context=self._context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: urllib would re-send a POST as a GET without its body."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _opener(host: str, deadline: _Deadline) -> urllib.request.OpenerDirector:
    handlers: list = [_HTTP(deadline), _HTTPS(deadline), _NoRedirects()]
    # A proxy from the environment cannot reach this machine's own loopback server.
    if _is_loopback(host):
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def _same_origin(a: str, b: str) -> bool:
    first, second = urllib.parse.urlsplit(a), urllib.parse.urlsplit(b)
    return (first.scheme, first.hostname, first.port) == (second.scheme, second.hostname, second.port)


def push_graph(
    path: Path | str,
    endpoint: str,
    graph: str | None = None,
    *,
    replace: bool = True,
    timeout: float = 60.0,
    follow: bool = False,
) -> PushResult:
    """Send the graph file ``path`` (``.ttl`` or ``.nt``) to a Graph Store Protocol endpoint.

    ``replace`` (HTTP PUT) makes the target graph exactly the file; otherwise
    (HTTP POST) the file's triples are added to it. ``graph`` is the IRI of a
    named graph; ``None`` targets the default graph. ``timeout`` bounds the
    whole push. Only a 2xx answer to the request that carried the file is a
    success: a redirect is an error, unless ``follow``, which re-sends the file
    with the same method to a redirect on the same host (scheme, host and port).
    Credentials in the endpoint are sent as HTTP Basic authentication and never
    printed. Raises ``PushError``.
    """
    from carekg.store.disk import graph_file

    path = graph_file(path)  # a build folder means its graph.ttl
    content_type = CONTENT_TYPES.get(path.suffix.lower())
    if content_type is None:
        raise PushError(f"cannot push '{path.name}': send a Turtle (.ttl) or N-Triples (.nt) file")
    if not path.is_file():
        raise PushError(f"graph file '{path}' does not exist")
    url = graph_store_url(endpoint, graph)
    method = "PUT" if replace else "POST"
    size = path.stat().st_size
    target = "the default graph" if graph is None else f"<{graph}>"
    name = shown(endpoint)
    headers = {"Content-Type": f"{content_type}; charset=utf-8", "Content-Length": str(size), **_credentials(endpoint)}
    with _Deadline(timeout) as deadline:
        for _ in range(MAX_REDIRECTS + 1):
            status, location = _send(path, url, method, headers, timeout, deadline, name)
            if location is None:
                return PushResult(url, method, content_type, size, status, target)
            if not follow:
                raise PushError(f"{name} answered HTTP {status} (a redirect to {shown(location)}): the graph was not "
                                "stored; give that URL as --endpoint, or --follow to re-send it there (same host only)")
            if not _same_origin(url, location):
                raise PushError(f"{name} redirects to another host ({shown(location)}): the graph was not sent there")
            url = location
    raise PushError(f"{name} redirected more than {MAX_REDIRECTS} times: the graph was not stored")


def _send(path: Path, url: str, method: str, headers: dict[str, str], timeout: float, deadline: _Deadline,
          name: str) -> tuple[int, str | None]:
    """One request carrying the file: the status of a 2xx answer, or a redirect's status and absolute target."""
    host = urllib.parse.urlsplit(url).hostname or ""
    with path.open("rb") as body:
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with _opener(host, deadline).open(request, timeout=timeout) as response:
                return response.status, None
        except urllib.error.HTTPError as exc:
            if exc.code in REDIRECTS and exc.headers.get("Location"):
                return exc.code, urllib.parse.urljoin(url, exc.headers["Location"])
            detail = _body(exc)
            raise PushError(
                f"{name} refused the graph: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
            ) from exc
        except Exception as exc:
            if deadline.expired:
                raise PushError(f"{name} did not answer within {timeout:g} s") from exc
            if isinstance(exc, urllib.error.URLError):
                reason = exc.reason
                if isinstance(reason, (TimeoutError, socket.timeout)):
                    raise PushError(f"{name} did not answer within {timeout:g} s") from exc
                raise PushError(f"cannot reach {name}: {getattr(reason, 'strerror', None) or reason}") from exc
            if isinstance(exc, (TimeoutError, socket.timeout)):
                raise PushError(f"{name} did not answer within {timeout:g} s") from exc
            if isinstance(exc, (ConnectionError, OSError, http.client.HTTPException)):
                # reset mid-upload (the server closed on a size limit), or an answer that is not HTTP
                raise PushError(f"connection to {name} failed: {getattr(exc, 'strerror', None) or exc}") from exc
            raise


def _body(error: urllib.error.HTTPError) -> str:
    """The first line of an error response, which servers use for the reason."""
    try:
        text = error.read(500).decode("utf-8", "replace")
    except Exception:  # the body is a courtesy; the status line already says enough
        return ""
    return " ".join(text.split())[:200]
