"""``carekg serve``: a read-only SPARQL 1.1 Protocol endpoint over a build's store.

Tools that speak SPARQL (YASGUI, R's SPARQL packages, Jupyter SPARQL kernels,
Gephi's SPARQL import) send queries to ``http://HOST:PORT/query`` by GET
(``?query=…``) or POST (``application/sparql-query``, or a form with
``query=…``). Answers come in the format the ``Accept`` header asks for:
SPARQL results as JSON (the default), XML, CSV or TSV; graphs (CONSTRUCT,
DESCRIBE) as Turtle (the default), N-Triples, N-Quads or JSON-LD.

It is read-only three times over: the store is opened read-only; updates
(``/update``, ``update=``, ``application/sparql-update``, or an update sent as
a query) get ``403 Forbidden``; queries that would reach the network
(``SERVICE``, ``FROM``: pyoxigraph would fetch remote data) are refused as
``carekg query`` refuses them. Oxigraph's own server (``oxigraph
serve-read-only``) answers SERVICE by calling out, hence this small front on
pyoxigraph instead.
"""

from __future__ import annotations

import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from carekg.errors import QueryError, RefusedQuery, ServeError

__all__ = ["Endpoint", "open_endpoint", "serve_until_stopped", "QUERY_PATH"]

QUERY_PATH = "/query"
_FORM = "application/x-www-form-urlencoded"
_MAX_BODY = 10 * 1024 * 1024  # a query text, not a data upload


class Endpoint(ThreadingHTTPServer):
    """An HTTP server answering read queries on one pyoxigraph store."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: Any, cors: bool = False):
        super().__init__(address, _Handler)
        self.store = store
        self.cors = cors

    @property
    def url(self) -> str:
        """The query URL clients use (IPv6 hosts in brackets)."""
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}{QUERY_PATH}"


def open_endpoint(path: Path | str, host: str = "127.0.0.1", port: int = 7878, cors: bool = False) -> Endpoint:
    """Open the graph at ``path`` (a build folder or graph file; its store when there is one) and listen.

    Raises :class:`ServeError` when the address cannot be used (taken, not this machine's).
    """
    from carekg.store.sparql import open_store

    store = open_store(path)
    try:
        return Endpoint((host, port), store, cors)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def serve_until_stopped(endpoint: Endpoint) -> None:
    """Answer requests until Ctrl-C, SIGTERM or SIGHUP; then close the socket and return."""
    from carekg.errors import BuildStopped
    from carekg.stopping import stop_on_signals

    try:
        with stop_on_signals():
            endpoint.serve_forever(poll_interval=0.2)
    except (KeyboardInterrupt, BuildStopped):
        pass
    finally:
        endpoint.server_close()


# --- answering ----------------------------------------------------------------------------

def _results_format(accept: str, graph: bool) -> Any:
    """The pyoxigraph format the Accept header prefers among those this endpoint writes."""
    import pyoxigraph as ox

    kind = ox.RdfFormat if graph else ox.QueryResultsFormat
    offered = ([ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD] if graph
               else [ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
                     ox.QueryResultsFormat.TSV])
    wanted = []
    for position, item in enumerate(accept.split(",")):
        media, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        wanted.append((-quality, position, media.strip().lower()))
    for _, _, media in sorted(wanted):
        if media in ("*/*", "application/*", "text/*", ""):
            return offered[0]
        chosen = kind.from_media_type(media)  # None for a type it does not know
        if chosen in offered:
            return chosen
    return offered[0] if not accept.strip() else None


class _Handler(BaseHTTPRequestHandler):
    server: Endpoint
    server_version = "carekg-sparql"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: the terminal shows the address and errors, not every request

    # --- routes

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        if url.path == "/update":
            return self._refuse_update()
        if url.path != QUERY_PATH:
            return self._send_text(HTTPStatus.NOT_FOUND, f"no such resource; queries go to {QUERY_PATH}")
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return self._refuse_update()
        queries = params.get("query")
        if not queries:
            return self._send_text(HTTPStatus.OK, f"carekg read-only SPARQL endpoint: send ?query=… to {QUERY_PATH}")
        self._answer(queries[0], params)

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path == "/update":
            return self._refuse_update()
        if url.path != QUERY_PATH:
            return self._send_text(HTTPStatus.NOT_FOUND, f"no such resource; queries go to {QUERY_PATH}")
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            return self._send_text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "query text too long")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if media == "application/sparql-update":
            return self._refuse_update()
        if media == "application/sparql-query":
            return self._answer(body, params)
        if media == _FORM:
            params.update(parse_qs(body, keep_blank_values=True))
            if "update" in params:
                return self._refuse_update()
            if "query" in params:
                return self._answer(params["query"][0], params)
        self._send_text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                        f"send the query as application/sparql-query or as a form ({_FORM}) with query=…")

    def do_PUT(self) -> None:  # noqa: N802 - the graph store protocol's writes
        self._refuse_update()

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def do_OPTIONS(self) -> None:  # noqa: N802 - a browser's preflight, for --cors
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors_headers()
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.end_headers()

    # --- answers

    def _answer(self, text: str, params: dict[str, list[str]]) -> None:
        import pyoxigraph as ox

        from carekg.store.query import check_read_only

        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return self._send_text(HTTPStatus.BAD_REQUEST, "this endpoint serves one graph: default-graph-uri "
                                   "and named-graph-uri are not supported")
        try:
            check_read_only(text)  # updates, SERVICE and FROM are refused here, before the engine sees them
        except RefusedQuery as exc:
            return self._send_text(HTTPStatus.FORBIDDEN, str(exc).replace("carekg query is", "this endpoint is"))
        except QueryError as exc:
            return self._send_text(HTTPStatus.BAD_REQUEST, str(exc))
        try:
            results = self.server.store.query(text)
        except (SyntaxError, ValueError) as exc:
            return self._send_text(HTTPStatus.BAD_REQUEST, f"invalid SPARQL: {exc}")
        except (OSError, RuntimeError) as exc:
            return self._send_text(HTTPStatus.INTERNAL_SERVER_ERROR, f"the query failed: {exc}")
        graph = isinstance(results, ox.QueryTriples)
        chosen = _results_format(self.headers.get("Accept") or "", graph)
        if chosen is None:
            del results
            return self._send_text(HTTPStatus.NOT_ACCEPTABLE, "cannot answer in any format the Accept header names")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", f"{chosen.media_type}; charset=utf-8")
        self._cors_headers()
        self.end_headers()  # HTTP/1.0: the body ends when the connection closes, so it is streamed as written
        try:
            results.serialize(self.wfile, format=chosen)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away
        finally:
            del results  # pyoxigraph's results must be let go on the thread that made them

    def _refuse_update(self) -> None:
        self._send_text(HTTPStatus.FORBIDDEN, "this endpoint is read-only: updates are refused")

    def _cors_headers(self) -> None:
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", "*")

    def _send_text(self, status: HTTPStatus, text: str) -> None:
        data = (text + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self._cors_headers()
        self.end_headers()
        self.wfile.write(data)


def run_in_thread(endpoint: Endpoint) -> Callable[[], None]:
    """Serve in a background thread (tests, notebooks); returns the function that stops it."""
    thread = threading.Thread(target=endpoint.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()

    def stop() -> None:
        endpoint.shutdown()
        endpoint.server_close()
        thread.join()

    return stop
