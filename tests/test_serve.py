"""``carekg serve``: a read-only SPARQL endpoint, started as a user would, queried over HTTP, stopped."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from carekg.store.serve import open_endpoint, run_in_thread

from .conftest import ROOT

COUNT_STATEMENTS = "PREFIX ckg: <https://w3id.org/carekg/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?s a ckg:StanceStatement }"
UPDATE = "INSERT DATA { <https://example.org/s> <https://example.org/p> 1 }"


def _request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode("utf-8")


def _select(url: str, query: str, accept: str = "application/sparql-results+json") -> tuple[int, str, str]:
    return _request(f"{url}?{urllib.parse.urlencode({'query': query})}", headers={"Accept": accept})


def _statements(build: Path) -> int:
    from carekg.store.query import run
    from carekg.store.sparql import open_store

    return run(open_store(build), COUNT_STATEMENTS).rows[0]["n"]


def test_serve_answers_a_select_refuses_an_update_and_stops_on_sigterm(seed_build_dir):
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "carekg", "serve", str(seed_build_dir), "--port", str(port)],
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline()
        url = f"http://127.0.0.1:{port}/query"
        assert first == f"SPARQL endpoint (read-only) at {url}; Ctrl-C to stop\n"
        status, media, body = _select(url, COUNT_STATEMENTS)
        assert (status, media) == (200, "application/sparql-results+json; charset=utf-8")
        assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == _statements(seed_build_dir) > 0

        status, _, body = _request(f"{url.rsplit('/', 1)[0]}/update", data=urllib.parse.urlencode({"update": UPDATE}).encode(),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert (status, body) == (403, "this endpoint is read-only: updates are refused\n")
        status, _, body = _request(url, data=UPDATE.encode(), headers={"Content-Type": "application/sparql-update"})
        assert status == 403
        status, _, body = _request(url, data=UPDATE.encode(), headers={"Content-Type": "application/sparql-query"})
        assert (status, body) == (403, "this endpoint is read-only: INSERT DATA is an update; "
                                        "use SELECT, ASK, CONSTRUCT or DESCRIBE\n")
        status, _, body = _select(url, COUNT_STATEMENTS)
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(_statements(seed_build_dir))
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert out == "Stopped.\n" and err == ""
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=5)  # nothing listens any more


@pytest.fixture
def endpoint(seed_build_dir):
    served = open_endpoint(seed_build_dir, port=0)
    stop = run_in_thread(served)
    yield served.url
    stop()


def test_service_cannot_reach_the_network_through_the_endpoint(endpoint):
    contacted = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(2)

        def accept() -> None:
            try:
                contacted.append(listener.accept())
            except OSError:
                pass

        waiting = threading.Thread(target=accept)
        waiting.start()
        port = listener.getsockname()[1]
        status, _, body = _select(endpoint, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
        waiting.join()
    assert status == 403 and body.startswith(f"SERVICE <http://127.0.0.1:{port}/sparql> is refused")
    assert contacted == []
    status, _, body = _select(endpoint, "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }")
    assert status == 403 and "FROM <http://127.0.0.1:9/g> is refused" in body


@pytest.mark.parametrize("accept, media, start", [
    ("text/csv", "text/csv", "n\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", "?n\n"),
    ("application/sparql-results+xml", "application/sparql-results+xml", "<?xml"),
    ("*/*", "application/sparql-results+json", '{"head"'),
])
def test_the_accept_header_chooses_the_results_format(endpoint, accept, media, start):
    status, got, body = _select(endpoint, COUNT_STATEMENTS, accept)
    assert (status, got.split(";")[0]) == (200, media) and body.startswith(start)


def test_graphs_come_as_turtle_and_bad_queries_are_400(endpoint):
    status, media, body = _select(endpoint, "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 2", "text/turtle, */*;q=0.1")
    assert (status, media.split(";")[0]) == (200, "text/turtle") and body.count(" a ") >= 1
    status, _, body = _select(endpoint, "SELECT WHERE {")
    assert status == 400 and body.startswith("invalid SPARQL")
    status, _, _ = _select(endpoint, COUNT_STATEMENTS, "image/png")
    assert status == 406


def test_a_taken_port_is_one_clear_error(seed_build_dir):
    from click.testing import CliRunner

    from carekg.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(seed_build_dir), "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
