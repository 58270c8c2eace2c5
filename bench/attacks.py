"""Replay the attacks of issue #10 against a carekg checkout; print what each one does.

    python bench/attacks.py                       # this checkout
    python bench/attacks.py --carekg /tmp/old     # another checkout (e.g. before the fixes)
    python bench/attacks.py --only service push-302

Each attack runs the ``carekg`` command line of the chosen checkout in a child
process (``python -m carekg`` with that checkout first on ``PYTHONPATH``), on
inputs generated here, and is stopped after ``--timeout`` seconds. One JSON
line per attack: its name, the exit code, the wall time, the peak memory of
the process and its children, and what it printed or did that matters (the
last line of its output, connections a server received, files left behind).
Servers are local (127.0.0.1); nothing reaches the network. Needs the test extra
(psutil, and the local servers of ``tests/test_attacks_network.py``).
"""

from __future__ import annotations

import argparse
import base64
import http.server
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable as `python bench/attacks.py` from a clone (its servers come from tests/)
    sys.path.insert(0, str(ROOT))
STATEMENT = "We urge the government to raise the care leaving age to 25."


class Run:
    """One command of the checkout under test, with its timing and peak memory."""

    def __init__(self, checkout: Path, timeout: float):
        self.checkout, self.timeout = checkout, timeout

    def __call__(self, *args: str | Path, stdin: bytes | None = None, on_start: Callable | None = None) -> dict:
        import psutil

        env = dict(os.environ, PYTHONPATH=str(self.checkout))
        command = [sys.executable, "-m", "carekg", *map(str, args)]
        clock = time.perf_counter()
        process = subprocess.Popen(command, cwd=self.checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        peak, root = 0, psutil.Process(process.pid)
        outputs: dict = {}
        reader = threading.Thread(target=lambda: outputs.update(zip(("out", "err"), process.communicate())), daemon=True)
        reader.start()
        if on_start:
            on_start(process, root)
        while process.poll() is None and time.perf_counter() - clock < self.timeout:
            total = 0
            for member in [root, *_children(root)]:
                try:
                    total += _memory(member)
                except psutil.Error:
                    pass
            peak = max(peak, total)
            time.sleep(0.05)
        stopped = process.poll() is None
        if stopped:
            for member in [*_children(root), root]:
                try:
                    member.kill()
                except psutil.Error:
                    pass
        reader.join(10)
        text = (outputs.get("err", b"") + outputs.get("out", b"")).decode("utf-8", "replace").strip().splitlines()
        lines = [line for line in text if line.strip()]
        result = {"exit": "stopped" if stopped else process.returncode, "seconds": round(time.perf_counter() - clock, 1),
                  "peak_mb": round(peak / 1e6), "last": lines[-1][:200] if lines else "", "lines": lines}
        # A build's summary, when it got that far: what it built and what the SHACL check said.
        for line in lines:
            label, _, value = line.strip().partition(" ")
            if label in ("statements", "SHACL", "files") and line.startswith("  "):
                result[label] = value.strip()
        problems = [line for line in lines if line.startswith(("failed:", "warning:", "skipped:"))]
        if problems:
            result["problems"] = problems[:5]
        if "Error:" not in result["last"] and any(line.startswith("Traceback") for line in lines):
            result["last"] = "Traceback: " + result["last"]
        return result


def _children(process) -> list:
    try:
        return process.children(recursive=True)
    except Exception:
        return []


def _memory(process) -> int:
    """Proportional set size: forked children share pages with their parent, which RSS would count twice."""
    try:
        return process.memory_full_info().pss
    except (AttributeError, OSError):  # no /proc/PID/smaps here: resident size instead
        return process.memory_info().rss


def write(folder: Path, name: str | bytes, data: bytes | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))))
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def seed_graph(run: Run, work: Path) -> Path:
    out = work / "seed-build"
    if not (out / "graph.ttl").is_file():
        run("build", ROOT / "seeds", "-o", out, "--no-validate")
    return out / "graph.ttl"


def recorder() -> tuple[str, list, Callable]:
    """A local Graph Store stand-in that records requests (the tests' own: /store answers 204, /moved 302)."""
    from tests.test_attacks_network import Recorder

    Recorder.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", Recorder.received, server.shutdown


# --- the attacks ------------------------------------------------------------------------------------

def literal_17mb(run: Run, work: Path, size: float) -> dict:
    text = STATEMENT + "\n" + "Filler text that says nothing in particular, line after line.\n" * int(size * 1e6 / 63)
    write(work / "corpus", "long.txt", text)
    return run("build", work / "corpus", "-o", work / "out", "--max-mb", str(size + 5), "--no-validate")


def query_17mb_literal(run: Run, work: Path, size: float) -> dict:
    import pyoxigraph as ox

    graph = work / "graph.ttl"
    literal = ox.Literal("x" * int(size * 1e6))
    graph.write_bytes(ox.serialize([ox.Triple(ox.NamedNode("https://w3id.org/carekg/doc/a"),
                                              ox.NamedNode("https://w3id.org/carekg/ontology#text"), literal)],
                                   format=ox.RdfFormat.TURTLE))
    results = {store: run("query", graph, "SELECT (STRLEN(?t) AS ?n) WHERE { ?d ckg:text ?t }", "--store", store)
               for store in ("oxigraph", "rdflib")}
    return {"exit": {k: v["exit"] for k, v in results.items()}, "last": {k: v["last"] for k, v in results.items()},
            "seconds": {k: v["seconds"] for k, v in results.items()}}


def remote_markup(run: Run, work: Path, size: float) -> dict:
    """Two registry organisations backing one proposal: a link whose quotes and titles look like remote references."""
    markup = " <img src=//evil.example/x.png> href=https://evil.example/."
    write(work / "corpus", "a.txt", STATEMENT[:-1] + markup + "\n")
    write(work / "corpus", "b.txt", STATEMENT[:-1] + markup + "\n")
    write(work / "corpus", "manifest.csv", 'file,title,publisher\na.txt,"Report url(https://evil.example/a.png)",become\n'
                                           'b.txt,"Reply src=//evil.example/t.js",pause\n')
    return run("build", work / "corpus", "-o", work / "out")


def undecodable_name(run: Run, work: Path, size: float) -> dict:
    write(work / "corpus", b"caf\xe9.txt", STATEMENT + "\n")
    return run("build", work / "corpus", "-o", work / "out")


def newline_name(run: Run, work: Path, size: float) -> dict:
    write(work / "corpus", "a\nfailed: forged.txt: a line nobody wrote", STATEMENT + "\n")
    result = run("build", work / "corpus", "-o", work / "out")
    result["problem_lines"] = [line for line in result["lines"] if line.startswith(("failed:", "warning:"))]
    return result


def service(run: Run, work: Path, size: float) -> dict:
    from tests.test_attacks_network import Listener  # a port that counts connections (the tests' own)

    graph, listener = seed_graph(run, work.parent), Listener()
    query = f"SELECT * WHERE {{ ?s ?p ?o SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?q ?x }} }} LIMIT 1"
    results = {store: run("query", graph, query, "--store", store) for store in ("oxigraph", "rdflib")}
    time.sleep(0.5)
    listener.close()
    return {"exit": {k: v["exit"] for k, v in results.items()}, "last": {k: v["last"] for k, v in results.items()},
            "connections": listener.connections}


def colliding_names(run: Run, work: Path, size: float) -> dict:
    write(work / "corpus", "report)] x.txt", STATEMENT + "\n")
    write(work / "corpus", "report(,= x.txt", "We urge ministers to restore family help funding.\n")
    return run("build", work / "corpus", "-o", work / "out")


def push_302(run: Run, work: Path, size: float) -> dict:
    base, requests, stop = recorder()
    graph = write(work, "g.nt", '<https://example.org/a> <https://example.org/b> "c" .\n')
    result = run("push", graph, "--endpoint", f"{base}/moved", "--append")
    stop()
    result["requests"] = [(method, path, length) for method, path, length, _ in requests]
    return result


def credentials(run: Run, work: Path, size: float) -> dict:
    base, requests, stop = recorder()
    graph = write(work, "g.nt", '<https://example.org/a> <https://example.org/b> "c" .\n')
    result = run("push", graph, "--endpoint", base.replace("//", "//ann:s3cret@") + "/store")
    stop()
    result["password_printed"] = any("s3cret" in line for line in result["lines"])
    result["authorization_sent"] = bool(requests and requests[0][3] == "Basic " + base64.b64encode(b"ann:s3cret").decode())
    return result


def push_trickle(run: Run, work: Path, size: float) -> dict:
    from tests.test_attacks_network import Trickler  # answers one byte every 0.5 s (the tests' own)

    trickler = Trickler(0.5)
    graph = write(work, "g.nt", '<https://example.org/a> <https://example.org/b> "c" .\n')
    result = run("push", graph, "--endpoint", trickler.endpoint, "--timeout", "3")
    trickler.close()
    return result


def push_url_space(run: Run, work: Path, size: float) -> dict:
    graph = write(work, "g.nt", '<https://example.org/a> <https://example.org/b> "c" .\n')
    return run("push", graph, "--endpoint", "http://127.0.0.1:7878/my store")


def docx_bomb(run: Run, work: Path, size: float) -> dict:
    """A real .docx whose picture unpacks to ``size`` GiB of zeros (python-docx reads every part a document uses)."""
    import docx as python_docx

    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
    document = python_docx.Document()
    document.add_paragraph(STATEMENT)
    document.add_picture(io.BytesIO(png))
    packed = io.BytesIO()
    document.save(packed)
    bomb = io.BytesIO()
    with zipfile.ZipFile(packed) as source, zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("word/media/"):
                data = bytes(int(size * 2**30))  # the picture, as 1 GiB of zeros
            target.writestr(member.filename, data)
    write(work / "corpus", "bomb.docx", bomb.getvalue())
    result = run("build", work / "corpus", "-o", work / "out", "--no-validate")
    result["packed_mb"] = round(len(bomb.getvalue()) / 1e6, 1)
    return result


def deep_html(run: Run, work: Path, size: float) -> dict:
    depth = int(size)
    write(work / "corpus", "deep.html", "<html><body>" + "<div>" * depth + STATEMENT + "</div>" * depth + "</body></html>")
    return run("build", work / "corpus", "-o", work / "out", "--no-validate")


def manifest_missing(run: Run, work: Path, size: float) -> dict:
    rows = int(size)
    write(work / "corpus", "a.txt", STATEMENT + "\n")
    write(work / "corpus", "manifest.csv", "file,title\n" + "".join(f"missing{i}.txt,T\n" for i in range(rows)))
    result = run("build", work / "corpus", "-o", work / "out", "--no-validate", "--keep-going")
    result.pop("lines")
    return result


def sigterm(run: Run, work: Path, size: float) -> dict:
    import psutil

    for copy in range(12):
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            write(work / "corpus", f"{copy:02d}-{seed.name}", seed.read_bytes())
    out = work / "out"
    workers: list = []

    def interrupt(process, root) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            workers[:] = _children(root)
            if len(workers) >= 2 and list(out.glob(".carekg-build-*")):
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)

    result = run("build", work / "corpus", "-o", out, "--jobs", "2", on_start=interrupt)
    time.sleep(1)
    alive = [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
    result["temporary_folders_left"] = len(list(out.glob(".carekg-build-*")))
    result["workers_left"] = len(alive)
    for worker in alive:
        worker.kill()
    return result


def csv_formula(run: Run, work: Path, size: float) -> dict:
    import csv

    write(work / "corpus", "=cmd.txt", "=SUM(1+2) " + STATEMENT + "\n")
    result = run("build", work / "corpus", "-o", work / "out")
    path = work / "out" / "statements.csv"
    rows = list(csv.reader(path.open(encoding="utf-8"))) if path.is_file() else []
    result["formula_cells"] = sorted({cell for row in rows[1:] for cell in row if cell[:1] in ("=", "+", "-", "@")})
    return result


def cartesian_query(run: Run, work: Path, size: float) -> dict:
    graph = seed_graph(run, work.parent)
    return run("query", graph, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "--store", "oxigraph")  # table output


def impossible_date(run: Run, work: Path, size: float) -> dict:
    write(work / "corpus", "a.txt", STATEMENT + "\n")
    write(work / "corpus", "manifest.csv", "file,title,published\na.txt,A,2021-02-30\n")
    result = run("build", work / "corpus", "-o", work / "out")
    result["traceback"] = any(line.startswith("Traceback") for line in result["lines"])
    return result


def bind_assigned(run: Run, work: Path, size: float) -> dict:
    graph = seed_graph(run, work.parent)
    query = "SELECT ?v WHERE { ?s skos:notation ?n . BIND(?n AS ?v) }"
    results = {store: run("query", graph, query, "--bind", "v=become", "--store", store, "--format", "csv")
               for store in ("oxigraph", "rdflib")}
    return {"exit": {k: v["exit"] for k, v in results.items()}, "last": {k: v["last"] for k, v in results.items()},
            "rows": {k: len(v["lines"]) - 1 for k, v in results.items()}}


def output_is_a_file(run: Run, work: Path, size: float) -> dict:
    write(work / "corpus", "a.txt", STATEMENT + "\n")
    write(work, "out", "a file")
    return run("build", work / "corpus", "-o", work / "out")


def bad_iri_binding(run: Run, work: Path, size: float) -> dict:
    return run("query", seed_graph(run, work.parent), "SELECT ?s WHERE { ?s ?p ?o }", "--bind", "s=<not an iri>",
               "--store", "oxigraph")


def empty_query(run: Run, work: Path, size: float) -> dict:
    return run("query", seed_graph(run, work.parent), "")


def utf16(run: Run, work: Path, size: float) -> dict:
    write(work / "corpus", "a.txt", (STATEMENT + "\n").encode("utf-16"))
    return run("build", work / "corpus", "-o", work / "out")


ATTACKS: dict[str, tuple[Callable, float, str]] = {
    # name: (function, default size, what the size is)
    "literal-17mb": (literal_17mb, 17, "MB of text"),
    "query-17mb-literal": (query_17mb_literal, 17, "MB literal"),
    "remote-markup": (remote_markup, 0, ""),
    "undecodable-name": (undecodable_name, 0, ""),
    "service": (service, 0, ""),
    "colliding-names": (colliding_names, 0, ""),
    "push-302": (push_302, 0, ""),
    "docx-bomb": (docx_bomb, 1, "GiB unpacked"),
    "deep-html": (deep_html, 100_000, "nesting depth"),
    "manifest-missing": (manifest_missing, 100_000, "rows"),
    "sigterm": (sigterm, 0, ""),
    "csv-formula": (csv_formula, 0, ""),
    "push-trickle": (push_trickle, 0, ""),
    "cartesian-query": (cartesian_query, 0, ""),
    "newline-name": (newline_name, 0, ""),
    "impossible-date": (impossible_date, 0, ""),
    "bind-assigned": (bind_assigned, 0, ""),
    "output-is-a-file": (output_is_a_file, 0, ""),
    "bad-iri-binding": (bad_iri_binding, 0, ""),
    "empty-query": (empty_query, 0, ""),
    "push-url-space": (push_url_space, 0, ""),
    "utf16-bom": (utf16, 0, ""),
    "credentials": (credentials, 0, ""),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--carekg", type=Path, default=ROOT, help="the checkout to attack (default: this one)")
    parser.add_argument("--only", nargs="+", choices=sorted(ATTACKS), help="run only these attacks")
    parser.add_argument("--size", action="append", default=[], metavar="NAME=SIZE", help="change an attack's size")
    parser.add_argument("--timeout", type=float, default=300, help="stop a command after this many seconds")
    args = parser.parse_args(argv)
    sizes = {name: float(value) for name, _, value in (item.partition("=") for item in args.size)}
    run = Run(args.carekg.resolve(), args.timeout)
    with tempfile.TemporaryDirectory(prefix="carekg-attacks-") as scratch:
        for name in args.only or ATTACKS:
            function, size, unit = ATTACKS[name]
            size = sizes.get(name, size)
            work = Path(scratch) / name
            work.mkdir()
            result = function(run, work, size)
            result.pop("lines", None)
            print(json.dumps({"attack": name, **({"size": f"{size:g} {unit}"} if unit else {}), **result},
                             ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()

