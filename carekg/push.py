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

import ipaddress
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .errors import PushError

__all__ = ["CONTENT_TYPES", "PushError", "PushResult", "graph_store_url", "push_graph"]

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


def _check_endpoint(endpoint: str) -> urllib.parse.SplitResult:
    try:
        parts = urllib.parse.urlsplit(endpoint)
        _ = parts.port  # raises ValueError on a port that is not a number
    except ValueError as exc:
        raise PushError(f"bad endpoint URL '{endpoint}': {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"bad endpoint URL '{endpoint}': expected http://host[:port]/path")
    query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
    if "graph" in query or "default" in query:
        raise PushError(f"give the target graph with --graph, not in the endpoint URL '{endpoint}'")
    return parts


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of a named graph (``?graph=<iri>``) or of the default graph (``?default``)."""
    parts = _check_endpoint(endpoint)
    if graph is not None and not _IRI.fullmatch(graph):
        raise PushError(f"bad graph IRI '{graph}': expected an absolute IRI such as https://example.org/graph")
    selector = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
    query = f"{parts.query}&{selector}" if parts.query else selector
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _opener(host: str) -> urllib.request.OpenerDirector:
    # A proxy from the environment cannot reach this machine's own loopback server.
    if _is_loopback(host):
        return urllib.request.build_opener(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener()


def push_graph(
    path: Path | str,
    endpoint: str,
    graph: str | None = None,
    *,
    replace: bool = True,
    timeout: float = 60.0,
) -> PushResult:
    """Send the graph file ``path`` (``.ttl`` or ``.nt``) to a Graph Store Protocol endpoint.

    ``replace`` (HTTP PUT) makes the target graph exactly the file; otherwise
    (HTTP POST) the file's triples are added to it. ``graph`` is the IRI of a
    named graph; ``None`` targets the default graph. Raises ``PushError``.
    """
    path = Path(path)
    content_type = CONTENT_TYPES.get(path.suffix.lower())
    if content_type is None:
        raise PushError(f"cannot push '{path.name}': send a Turtle (.ttl) or N-Triples (.nt) file")
    if not path.is_file():
        raise PushError(f"graph file '{path}' does not exist")
    url = graph_store_url(endpoint, graph)
    method = "PUT" if replace else "POST"
    size = path.stat().st_size
    target = "the default graph" if graph is None else f"<{graph}>"
    host = urllib.parse.urlsplit(url).hostname or ""
    with path.open("rb") as body:
        request = urllib.request.Request(
            url, data=body, method=method,
            headers={"Content-Type": f"{content_type}; charset=utf-8", "Content-Length": str(size)},
        )
        try:
            with _opener(host).open(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            detail = _body(exc)
            raise PushError(
                f"{endpoint} refused the graph: HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
            ) from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise PushError(f"{endpoint} did not answer within {timeout:g} s") from exc
            raise PushError(f"cannot reach {endpoint}: {getattr(reason, 'strerror', None) or reason}") from exc
        except (TimeoutError, socket.timeout) as exc:
            raise PushError(f"{endpoint} did not answer within {timeout:g} s") from exc
        except (ConnectionError, OSError) as exc:  # reset mid-upload, e.g. the server closed on a size limit
            raise PushError(f"connection to {endpoint} failed: {exc.strerror or exc}") from exc
    return PushResult(url, method, content_type, size, status, target)


def _body(error: urllib.error.HTTPError) -> str:
    """The first line of an error response, which servers use for the reason."""
    try:
        text = error.read(500).decode("utf-8", "replace")
    except Exception:  # the body is a courtesy; the status line already says enough
        return ""
    return " ".join(text.split())[:200]
