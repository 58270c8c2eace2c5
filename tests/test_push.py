"""`carekg push` against a real Graph Store Protocol server (Oxigraph) started on loopback.

The server is the `oxigraph` package's binary (in the test extra). Only
127.0.0.1 is ever contacted; every wait is bounded; the server is always stopped.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from carekg.cli import cli
from carekg.errors import PushError
from carekg.store.push import graph_store_url, push_graph
from carekg.store.sparql import query_text

GRAPH_IRI = "https://w3id.org/carekg/graph/triples/seeds"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def oxigraph_binary() -> str | None:
    """The server binary: on PATH, or beside this Python (a venv's bin/ when not activated)."""
    found = shutil.which("oxigraph")
    if found:
        return found
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A running `oxigraph serve` on 127.0.0.1: yields its base URL; always terminated."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph, in the test extra)")
    folder = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {process.returncode}: {(folder / 'server.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not start listening within 30 s")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def sparql(base: str, query: str) -> list[dict[str, str]]:
    """Run a SELECT on the server (SPARQL 1.1 Protocol, POST form); rows of lexical values."""
    request = urllib.request.Request(
        f"{base}/query", data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
        headers={"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"},
    )
    with NO_PROXY.open(request, timeout=60) as response:
        results = json.load(response)
    return [{name: cell["value"] for name, cell in row.items()} for row in results["results"]["bindings"]]


def local(path: Path, query: str) -> list[dict[str, str]]:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    solutions = store.query(query)
    names = [v.value for v in solutions.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]


def count(base: str, graph: str | None = None) -> int:
    source = f"FROM <{graph}> " if graph else ""
    return int(sparql(base, f"SELECT (COUNT(*) AS ?n) {source}WHERE {{ ?s ?p ?o }}")[0]["n"])


def run(*args: str):
    return CliRunner().invoke(cli, ["push", *args])


def test_push_to_the_default_graph_answers_like_the_file(server, seed_graph_path):
    result = run(str(seed_graph_path), "--endpoint", f"{server}/store")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Pushed {seed_graph_path}: PUT ")
    assert f"to the default graph at {server}/store?default (HTTP 20" in result.output
    triples = len(list(ox.parse(path=str(seed_graph_path), format=ox.RdfFormat.TURTLE)))
    assert count(server) == triples
    for name in ("export-statements", "export-claims", "export-organisations"):
        query = query_text(name)
        key = lambda row: sorted(row.items())  # noqa: E731
        assert sorted(sparql(server, query), key=key) == sorted(local(seed_graph_path, query), key=key), name


def test_push_to_a_named_graph_replaces_it(server, seed_graph_path, tmp_path):
    triples = len(list(ox.parse(path=str(seed_graph_path), format=ox.RdfFormat.TURTLE)))
    for _ in range(2):  # PUT twice: the graph is replaced, not doubled
        result = run(str(seed_graph_path), "--endpoint", f"{server}/store", "--graph", GRAPH_IRI)
        assert result.exit_code == 0, result.output
        assert f"to <{GRAPH_IRI}>" in result.output
        assert count(server, GRAPH_IRI) == triples
    supporters = (
        "PREFIX ckg: <https://w3id.org/carekg/ontology#> "
        "SELECT ?actor ?proposal FROM <%s> WHERE { ?s ckg:stance ckg:Support ; ckg:actor ?actor ; ckg:proposal ?proposal }"
        " ORDER BY ?actor ?proposal"
    )
    assert sparql(server, supporters % GRAPH_IRI) == local(seed_graph_path, supporters.replace("FROM <%s> ", ""))

    extra = tmp_path / "extra.nt"
    extra.write_text("<https://example.org/a> <https://example.org/b> \"c\" .\n", encoding="utf-8")
    result = run(str(extra), "--endpoint", f"{server}/store", "--graph", GRAPH_IRI, "--append")
    assert result.exit_code == 0, result.output
    assert ": POST " in result.output
    assert count(server, GRAPH_IRI) == triples + 1


def test_push_library_reports_what_it_sent(server, seed_graph_path):
    result = push_graph(seed_graph_path, f"{server}/store", "https://example.org/g")
    assert result.method == "PUT" and result.content_type == "text/turtle"
    assert result.bytes == seed_graph_path.stat().st_size
    assert result.status in (200, 201, 204)
    assert result.url == f"{server}/store?graph=https%3A%2F%2Fexample.org%2Fg"


def test_unreachable_endpoint(tmp_path, seed_graph_path):
    port = free_port()  # nothing listens there
    result = run(str(seed_graph_path), "--endpoint", f"http://127.0.0.1:{port}/store")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: cannot reach http://127.0.0.1:{port}/store: Connection refused"


def test_server_that_never_answers_times_out(seed_graph_path):
    with socket.socket() as silent:  # listens, never accepts or replies
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}/store"
        started = time.monotonic()
        result = run(str(seed_graph_path), "--endpoint", endpoint, "--timeout", "0.5")
    assert time.monotonic() - started < 20
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {endpoint} did not answer within 0.5 s"


def test_http_error_is_reported_with_status(server, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle <<<\n", encoding="utf-8")
    result = run(str(broken), "--endpoint", f"{server}/store")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {server}/store refused the graph: HTTP 400 Bad Request")


def test_wrong_path_is_an_http_error(server, seed_graph_path):
    result = run(str(seed_graph_path), "--endpoint", f"{server}/no-such-service")
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {server}/no-such-service refused the graph: HTTP 404")


@pytest.mark.parametrize(
    "endpoint, message",
    [
        ("not a url", "bad endpoint URL 'not a url': expected http://host[:port]/path"),
        ("ftp://127.0.0.1/store", "bad endpoint URL 'ftp://127.0.0.1/store': expected http://host[:port]/path"),
        ("http://127.0.0.1:port/store", "bad endpoint URL 'http://127.0.0.1:port/store': Port could not be cast to integer value as 'port'"),
        ("http://127.0.0.1:7878/store?default", "give the target graph with --graph, not in the endpoint URL 'http://127.0.0.1:7878/store?default'"),
    ],
)
def test_bad_endpoint_urls(seed_graph_path, endpoint, message):
    result = run(str(seed_graph_path), "--endpoint", endpoint)
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {message}"


def test_bad_graph_iri(seed_graph_path):
    result = run(str(seed_graph_path), "--endpoint", "http://127.0.0.1:7878/store", "--graph", "my graph")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: bad graph IRI 'my graph': expected an absolute IRI such as https://example.org/graph"


def test_only_turtle_or_ntriples_files(tmp_path):
    other = tmp_path / "graph.rdf"
    other.write_text("<rdf:RDF/>", encoding="utf-8")
    with pytest.raises(PushError, match=r"cannot push 'graph.rdf': send a Turtle \(.ttl\) or N-Triples \(.nt\) file"):
        push_graph(other, "http://127.0.0.1:7878/store")
    with pytest.raises(PushError, match="does not exist"):
        push_graph(tmp_path / "missing.ttl", "http://127.0.0.1:7878/store")


def test_graph_store_urls():
    assert graph_store_url("http://127.0.0.1:7878/store", None) == "http://127.0.0.1:7878/store?default"
    assert graph_store_url("http://127.0.0.1/ds/data?token=x", "urn:g") == "http://127.0.0.1/ds/data?token=x&graph=urn%3Ag"
