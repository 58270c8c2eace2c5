"""Issue 10, continued: queries never reach the network, are bounded in time and rows; push never misleads.

Servers here are tiny local ones on 127.0.0.1 that record what reaches them.
"""

from __future__ import annotations

import base64
import csv
import http.server
import io
import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import carekg
from carekg.cli import cli
from carekg.errors import QueryError
from carekg.store.push import push_graph
from carekg.store.query import run

ENGINES = ["rdflib", "oxigraph"]


def run_cli(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


class Listener:
    """A TCP port on 127.0.0.1 that counts the connections made to it (and answers nothing)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.socket.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


# --- 4. SERVICE and FROM never reach the network ---------------------------------------------------------

@pytest.mark.parametrize("store", ENGINES)
@pytest.mark.parametrize("clause", ["SELECT * WHERE {{ ?s ?p ?o SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?q ?x }} }}",
                                    "SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?a ?b ?c }} }} }}",
                                    "SELECT * FROM <http://127.0.0.1:{port}/graph.ttl> WHERE {{ ?s ?p ?o }}"])
def test_queries_that_would_reach_the_network_are_refused(seed_graph_path, listener, store, clause):
    query = clause.format(port=listener.port)
    result = run_cli("query", seed_graph_path, query, "--store", store)
    assert result.exit_code == 1
    keyword = "FROM" if "FROM" in query else "SERVICE"
    assert result.output.count("\n") == 1 and result.output.startswith(f"Error: {keyword} <http://127.0.0.1:{listener.port}")
    assert " is refused: carekg quer" in result.output
    with pytest.raises(QueryError, match=f"^{keyword} <"):
        carekg.load(seed_graph_path, store=store).query(query)
    time.sleep(0.3)
    assert listener.connections == 0


def test_the_word_service_in_a_string_is_no_service(seed_graph_path):
    kg = carekg.load(seed_graph_path)
    assert kg.query('SELECT ("SERVICE FROM" AS ?word) WHERE {}')["word"].tolist() == ["SERVICE FROM"]


@pytest.mark.parametrize("store", ENGINES)
def test_a_runaway_query_stops_at_the_timeout(seed_graph_path, store):
    started = time.monotonic()
    result = run_cli("query", seed_graph_path, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                     "--store", store, "--timeout", "2")
    assert time.monotonic() - started < 30
    assert result.exit_code == 1
    assert result.output == "Error: the query took longer than 2 s and was stopped (--timeout)\n"


@pytest.mark.parametrize("store", ENGINES)
def test_table_output_stops_at_1000_rows_and_says_how_many_there_are(seed_graph_path, store):
    total = int(carekg.load(seed_graph_path).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")["n"][0])
    assert total > 1000
    result = run_cli("query", seed_graph_path, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--store", store)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == (f"(first 1,000 of {total:,} rows; --offset 1000 shows the next; "
                         "--limit N, or --format csv, tsv or json for them all)")
    rows = [line for line in lines if line.startswith("-[ ")] or lines[2:-1]
    assert len(rows) == 1000
    csv_lines = run_cli("query", seed_graph_path, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--store", store, "--format", "csv")
    assert len(list(csv.reader(io.StringIO(csv_lines.output)))) == total + 1


@pytest.mark.parametrize("store", ENGINES)
def test_a_limited_run_keeps_only_the_rows_it_shows(seed_graph_path, store):
    source = carekg.load(seed_graph_path, store=store).source
    result = run(source, "SELECT ?s ?x WHERE { ?s a ckg:StanceStatement . ?x a ckg:StanceStatement }", limit=5)
    statements = len(carekg.load(seed_graph_path).statements())
    assert len(result.rows) == 5 and result.cut and result.total == statements ** 2
    graph = run(source, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", limit=3)
    everything = run(source, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert graph.rows == everything.rows[:3] and graph.total == len(everything.rows)


# --- smaller query attacks: one error line, both engines agree ---------------------------------------------

@pytest.mark.parametrize("store", ENGINES)
@pytest.mark.parametrize("query, bindings, message", [
    ("SELECT ?n ?v WHERE { ?s skos:notation ?n . BIND(?n AS ?v) }", ["v=become"],
     "Error: cannot bind ?v: the query gives it a value itself (… AS ?v); bind a variable it matches instead"),
    ("SELECT (STR(?n) AS ?v) WHERE { ?s skos:notation ?n }", ["v=become"],
     "Error: cannot bind ?v: the query gives it a value itself (… AS ?v); bind a variable it matches instead"),
    ("SELECT ?s WHERE { ?s ?p ?o }", ["s=<not an iri>"],
     "Error: <not an iri> is not an absolute IRI (such as <https://example.org/x>, with no spaces)"),
    ("", [], "Error: empty query: give a SELECT, ASK, CONSTRUCT or DESCRIBE query"),
    ("# only a comment", [], "Error: empty query: give a SELECT, ASK, CONSTRUCT or DESCRIBE query"),
])
def test_query_mistakes_are_one_error_line(seed_graph_path, store, query, bindings, message):
    args = [arg for binding in bindings for arg in ("--bind", binding)]
    result = run_cli("query", seed_graph_path, query, "--store", store, *args)
    assert (result.exit_code, result.output) == (1, message + "\n")


# --- 6 and 13. push: redirects, a trickling server, credentials ---------------------------------------------

class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers by path: /store stores (204), /moved redirects (302) to /store, /away redirects to another host."""

    received: list[tuple[str, str, int, str | None]] = []
    other_port = 9

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.received.append((self.command, self.path.split("?")[0], len(body), self.headers.get("Authorization")))
        if self.path.startswith("/moved"):
            self.send_response(302)
            self.send_header("Location", "/store?default")
        elif self.path.startswith("/away"):
            self.send_response(307)
            self.send_header("Location", f"http://127.0.0.2:{self.other_port}/store?default")
        elif self.path.startswith("/loop"):
            self.send_response(308)
            self.send_header("Location", "/loop")
        else:
            self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_PUT = do_POST = _handle

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder():
    Recorder.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def small_graph(tmp_path) -> Path:
    path = tmp_path / "g.nt"
    path.write_text('<https://example.org/a> <https://example.org/b> "c" .\n', encoding="utf-8")
    return path


@pytest.mark.parametrize("flag", [[], ["--append"]])
def test_a_redirect_is_never_reported_as_pushed(recorder, small_graph, flag):
    result = run_cli("push", small_graph, "--endpoint", f"{recorder}/moved", *flag)
    assert result.exit_code == 1
    assert result.output == (f"Error: {recorder}/moved answered HTTP 302 (a redirect to {recorder}/store?default): the graph "
                             "was not stored; give that URL as --endpoint, or --follow to re-send it there (same host only)\n")
    assert [r[0] for r in Recorder.received] == ["PUT" if not flag else "POST"]  # nothing was re-sent without the body


def test_follow_re_sends_the_graph_to_the_same_host(recorder, small_graph):
    result = run_cli("push", small_graph, "--endpoint", f"{recorder}/moved", "--append", "--follow")
    assert result.exit_code == 0, result.output
    size = small_graph.stat().st_size
    assert [(method, path, length) for method, path, length, _ in Recorder.received] == \
        [("POST", "/moved", size), ("POST", "/store", size)]
    assert result.output.endswith(f"at {recorder}/store?default (HTTP 204)\n")


def test_follow_never_sends_the_graph_to_another_host(recorder, small_graph):
    result = run_cli("push", small_graph, "--endpoint", f"{recorder}/away", "--follow")
    assert result.exit_code == 1
    assert "redirects to another host (http://127.0.0.2:" in result.output
    assert len(Recorder.received) == 1


def test_redirect_loops_end(recorder, small_graph):
    result = run_cli("push", small_graph, "--endpoint", f"{recorder}/loop", "--follow")
    assert result.output == f"Error: {recorder}/loop redirected more than 5 times: the graph was not stored\n"


def test_credentials_are_sent_but_never_printed(recorder, small_graph):
    endpoint = recorder.replace("http://", "http://ann:s3cret%21@") + "/store"
    result = run_cli("push", small_graph, "--endpoint", endpoint)
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.output
    assert Recorder.received[0][3] == "Basic " + base64.b64encode(b"ann:s3cret!").decode()
    failed = run_cli("push", small_graph, "--endpoint", endpoint.replace("/store", "/moved"))
    assert failed.exit_code == 1 and "s3cret" not in failed.output and "ann:***@" in failed.output


def test_a_push_url_with_a_space_is_one_error_line(small_graph):
    result = run_cli("push", small_graph, "--endpoint", "http://127.0.0.1:7878/my store")
    assert result.output == ("Error: bad endpoint URL 'http://127.0.0.1:7878/my store': it contains a space or a "
                             "control character (write a space as %20)\n")


class Trickler:
    """A server that reads a request, then trickles its answer one byte every ``interval`` seconds, for ever."""

    def __init__(self, interval: float = 0.2):
        self.interval, self._stop = interval, threading.Event()
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.endpoint = f"http://127.0.0.1:{self.server.getsockname()[1]}/store"
        self._thread = threading.Thread(target=self._trickle, daemon=True)
        self._thread.start()

    def _trickle(self) -> None:
        try:
            connection, _ = self.server.accept()
            connection.recv(65536)
            for byte in b"HTTP/1.1 204 No Content\r\nX-Slow: " + b"a" * 10_000:
                if self._stop.is_set():
                    break
                connection.send(bytes([byte]))
                time.sleep(self.interval)
            connection.close()
        except OSError:
            pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.server.close()


def test_the_push_timeout_bounds_the_whole_push(small_graph):
    trickler = Trickler(0.2)
    started = time.monotonic()
    try:
        result = run_cli("push", small_graph, "--endpoint", trickler.endpoint, "--timeout", "1.5")
    finally:
        trickler.close()
    assert time.monotonic() - started < 6
    assert result.output == f"Error: {trickler.endpoint} did not answer within 1.5 s\n"


def test_push_library_refuses_redirects_too(recorder, small_graph):
    from carekg.errors import PushError

    with pytest.raises(PushError, match="answered HTTP 302"):
        push_graph(small_graph, f"{recorder}/moved", replace=False)
