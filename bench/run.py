"""Benchmark carekg on a synthetic corpus in the debate's style.

    python bench/run.py --docs 1000 --jobs 2 --queries

Generates N documents (seeded, so the same N always gives the same corpus)
from the codebook's labels and alternative labels, the registry's organisation
names, numbers and filler sentences, about 5 KB each; builds them with
``carekg.build.build``; prints one JSON object with sizes, counts, timings per
stage, throughput and peak memory (this process plus its worker processes).
With ``--queries`` every canned query is timed as an analyst runs it: wall time
of ``carekg query BUILD/graph.ttl NAME`` from the command line, process start
included, unbound and bound to typical values (best of ``--query-repeat``);
``--carekg PATH`` runs another checkout for a before/after comparison, and
``--queries-only`` times an existing build without rebuilding. With ``--corrections N`` the corpus
is built once as it is, then again with N analysts' decisions in its
corrections.csv (a third each reject, change and add), and the second build is
the one measured.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable as `python bench/run.py` from a clone
    sys.path.insert(0, str(ROOT))

from carekg.vocab.knowledge import Knowledge, load_knowledge  # noqa: E402

TARGET_BYTES = 5_000

SUPPORT = (
    "{org} calls for {ask}.",
    "We urge the government to commit to {ask}.",
    "We recommend {ask}.",
    "{org} welcomes the proposal for {ask}.",
    "The review should prioritise {ask}.",
    "We want to see {ask} in every local authority.",
    "Ministers must deliver {ask} without further delay.",
)
OPPOSE = (
    "We do not support {ask}.",
    "{org} opposes {ask}.",
    "We are not convinced that {ask} is the right answer.",
    "We reject calls for {ask}.",
)
CLAIMS = (
    "Spending on early help has fallen by {pct}% over the last decade.",
    "There were {count:,} children in care in England in {year}, according to {org}.",
    "Research by {org} found that {pct}% of care leavers felt unprepared for adult life.",
    "An evaluation found that {count} practices had closed, {small} of them in the last year.",
    "Local authorities spent £{money} billion on children's social care in {year}.",
    "Data shows that {pct}% of children in residential care live more than 20 miles from home.",
)
FILLER = (
    "Children and families deserve a system that listens to them.",
    "This response sets out our views on the questions the review asked.",
    "We have worked with young people across the country for many years.",
    "The pandemic has made many of these pressures worse.",
    "Our practitioners see the consequences of these decisions every day.",
    "It is important that any changes are made with care-experienced people, not for them.",
    "We would be happy to discuss these points further.",
    "The following sections explain our reasoning in more detail.",
    "Many of the people we spoke to described the same experiences.",
    "Local areas need time and stability to make reforms work.",
    "Social workers told us that paperwork keeps them away from families.",
    "These are not new problems, but they have become more urgent.",
)
TITLES = (
    "Response to the Case for Change", "Evidence to the independent review", "Our priorities for reform",
    "Briefing on children's social care", "Submission to the Education Committee", "Statement on the final report",
)


def _organisations(knowledge: Knowledge) -> list[tuple[str, str]]:
    """(id, a name as written) for every registry organisation (persons left out)."""
    names = []
    for agent in knowledge.agents.values():
        if agent.type == "person":
            continue
        for name in (agent.name, *agent.aliases):
            names.append((agent.id, name))
    return names


def _asks(knowledge: Knowledge) -> list[str]:
    """Every label and alternative label of the codebook, as a phrase inside a sentence."""
    asks = []
    for proposal in knowledge.proposals.values():
        asks.append(proposal.label[0].lower() + proposal.label[1:])
        asks.extend(proposal.alt_labels)
    return asks


def generate_document(rng: random.Random, asks: list[str], organisations: list[tuple[str, str]]) -> tuple[str, str, str]:
    """One document (~5 KB): a title, an author line, paragraphs of asks, claims and filler.

    Returns (publisher id, title, text).
    """
    publisher, publisher_name = rng.choice(organisations)
    title = f"{publisher_name}: {rng.choice(TITLES)}"
    paragraphs = [title, f"{publisher_name} welcomes the opportunity to respond."]
    size = sum(len(p) + 1 for p in paragraphs)
    while size < TARGET_BYTES:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            roll = rng.random()
            org = rng.choice(organisations)[1]
            if roll < 0.15:
                sentences.append(rng.choice(SUPPORT).format(org=org, ask=rng.choice(asks)))
            elif roll < 0.20:
                sentences.append(rng.choice(OPPOSE).format(org=org, ask=rng.choice(asks)))
            elif roll < 0.30:
                sentences.append(rng.choice(CLAIMS).format(
                    org=org, pct=rng.randint(2, 95), count=rng.randint(10, 90_000), small=rng.randint(1, 9),
                    year=rng.randint(2010, 2023), money=f"{rng.randint(1, 15)}.{rng.randint(0, 9)}"))
            else:
                sentences.append(rng.choice(FILLER))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return publisher, title, "\n".join(paragraphs) + "\n"


def generate_corpus(folder: Path, documents: int, seed: int = 6) -> int:
    """Write ``documents`` files and a manifest into ``folder``; return the bytes written."""
    knowledge = load_knowledge()
    asks, organisations = _asks(knowledge), _organisations(knowledge)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = io.StringIO()
    writer = csv.writer(manifest, lineterminator="\n")
    writer.writerow(["file", "title", "publisher", "published", "language", "source_note"])
    total = 0
    for index in range(documents):
        publisher, title, text = generate_document(rng, asks, organisations)
        name = f"doc{index:06d}.txt"
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        total += len(data)
        writer.writerow([name, title, publisher, f"{rng.randint(2013, 2023)}-{rng.randint(1, 12):02d}", "en", "synthetic"])
    (folder / "manifest.csv").write_text(manifest.getvalue(), encoding="utf-8")
    return total


def _size(path: Path) -> int:
    """Bytes of a file, or of every file below a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _pss(pid: int) -> int:
    """A process's proportional set size in bytes, from /proc/PID/smaps_rollup (0 where there is none)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except FileNotFoundError:
        pass
    return 0


class PeakMemory:
    """Samples the memory of this process plus all its children (the build's workers).

    ``peak`` sums resident sizes (RSS), as earlier runs reported; it counts a
    page that a forked worker shares with the build once per process.
    ``peak_pss`` sums proportional set sizes (Linux ``smaps_rollup``), which
    count a shared page once in all: the memory the build really takes.
    """

    def __init__(self, interval: float = 0.05):
        import psutil

        self.process = psutil.Process()
        self.interval = interval
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> tuple[int, int]:
        import psutil

        total = proportional = 0
        for process in [self.process, *self.process.children(recursive=True)]:
            try:
                total += process.memory_info().rss
                proportional += _pss(process.pid)
            except (psutil.Error, OSError):  # a worker exited between listing and reading
                pass
        return total, proportional

    def _run(self) -> None:
        while not self._stop.is_set():
            total, proportional = self._sample()
            self.peak, self.peak_pss = max(self.peak, total), max(self.peak_pss, proportional)
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        total, proportional = self._sample()
        self.peak, self.peak_pss = max(self.peak, total), max(self.peak_pss, proportional)


TYPICAL_VALUES = {"proposal": ["raise-care-leaving-age"], "agent": ["become", "fostering-network"]}


def _typical_values(query) -> dict[str, str]:
    """Bindings an analyst would give: a codebook proposal, one or two registry organisations."""
    values: dict[str, str] = {}
    used: dict[str, int] = {}
    for name, parameter in query.parameters.items():
        choices = TYPICAL_VALUES.get(parameter.type)
        if choices:
            values[name] = choices[min(used.get(parameter.type, 0), len(choices) - 1)]
            used[parameter.type] = used.get(parameter.type, 0) + 1
    return values


def time_cli_queries(build: Path, carekg: Path | None = None, repeat: int = 3,
                     timeout: float = 120.0) -> dict[str, dict[str, object]]:
    """Wall time of ``carekg query`` from the command line, process start included, per canned query.

    Each listed canned query runs unbound and (when it has parameters) bound to
    typical values, ``repeat`` times; the best time is kept (the machine is
    shared: the best run is the least disturbed one), with the table footer
    (how many rows). ``carekg`` runs another checkout (``PYTHONPATH``), to
    measure before/after on the same graph.
    """
    import subprocess

    from carekg.store.query import canned_queries

    env = dict(os.environ)
    if carekg is not None:
        env["PYTHONPATH"] = str(carekg)
    graph = build / "graph.ttl"
    timings: dict[str, dict[str, object]] = {}
    for query in canned_queries():
        cases = [("unbound", {})]
        if query.parameters:
            cases.append(("bound", _typical_values(query)))
        for case, values in cases:
            command = [sys.executable, "-m", "carekg", "query", str(graph), query.name]
            for name, value in values.items():
                command += ["--bind", f"{name}={value}"]
            seconds, footer = [], ""
            for _ in range(repeat):
                clock = time.perf_counter()
                try:
                    # From the checkout's folder: `python -m` puts the working folder first on the path.
                    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout,
                                          cwd=carekg or ROOT)
                except subprocess.TimeoutExpired:
                    footer = f"still running after {timeout:g} s (stopped)"
                    break
                seconds.append(time.perf_counter() - clock)
                lines = done.stdout.strip().splitlines() or done.stderr.strip().splitlines() or [""]
                footer = lines[-1] if done.returncode == 0 else f"exit {done.returncode}: {lines[-1]}"
            timings[f"{query.name} ({case})"] = {
                "seconds": round(min(seconds), 2) if seconds else None, "bound": values, "footer": footer,
                "load": round(os.getloadavg()[0], 2)}
    return timings


def write_corrections(corpus: Path, statements: Path, count: int) -> None:
    """``count`` decisions on statements spread evenly over the corpus: reject, change (the stance), add (the
    opposite stance on the same passage), in turn."""
    with statements.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    chosen = rows[::max(1, len(rows) // count)][:count]
    with (corpus / "corrections.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["action", "id", "document", "actor", "proposal", "stance", "quote", "by"])
        for index, row in enumerate(chosen):
            other = "oppose" if row["stance"] == "support" else "support"
            if index % 3 == 0:
                writer.writerow(["reject", row["statement_id"], "", "", "", "", row["quote"], "bench"])
            elif index % 3 == 1:
                writer.writerow(["change", row["statement_id"], "", "", "", other, row["quote"], "bench"])
            else:
                writer.writerow(["add", "", row["document"], row["actor_id"], row["proposal_id"], other, row["quote"], "bench"])


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents to generate (default 1000)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes for extraction (default 2)")
    parser.add_argument("--seed", type=int, default=6, help="random seed of the generator (default 6)")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out", help="folder for corpus and build")
    parser.add_argument("--queries", action="store_true",
                        help="also time every canned query through the CLI (`carekg query`), bound and unbound")
    parser.add_argument("--query-timeout", type=float, default=120.0, help="seconds before a query is stopped (default 120)")
    parser.add_argument("--query-repeat", type=int, default=3, help="runs per query; the best is reported (default 3)")
    parser.add_argument("--carekg", type=Path, help="time the queries with another checkout of carekg (before/after)")
    parser.add_argument("--queries-only", action="store_true", help="time the queries on the existing build, do not build")
    parser.add_argument("--no-validate", action="store_true", help="skip the SHACL check")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the build (parent process) to this file")
    parser.add_argument("--corrections", type=int, default=0, metavar="N",
                        help="measure a build applying N analysts' decisions (corrections.csv)")
    parser.add_argument("--spacy", action="store_true",
                        help="also report the build's CPU cost as a ratio to spaCy's over the same text (bench/baseline.py)")
    args = parser.parse_args(argv)

    from carekg.build import build

    corpus = args.work / f"corpus-{args.docs}-seed{args.seed}"
    out = args.work / f"build-{args.docs}"
    if args.queries_only:
        result = {"load_average_before": round(os.getloadavg()[0], 2),
                  "queries": time_cli_queries(out, args.carekg, args.query_repeat, args.query_timeout)}
        print(json.dumps(result, indent=2))
        return result
    if not (corpus / "manifest.csv").is_file():  # generated once per size and seed, then reused
        clock = time.perf_counter()
        generate_corpus(corpus, args.docs, args.seed)
        generation = time.perf_counter() - clock
    else:
        generation = 0.0
    size = sum(p.stat().st_size for p in corpus.glob("*.txt"))
    (corpus / "corrections.csv").unlink(missing_ok=True)  # the cached corpus stays as generated
    if args.corrections:  # the statements to decide on come from a first build, in another process (its memory)
        import subprocess

        subprocess.run([sys.executable, "-m", "carekg", "build", str(corpus), "-o", str(out), "--jobs", str(args.jobs),
                        "--no-validate"], check=True, capture_output=True)
        write_corrections(corpus, out / "statements.csv", args.corrections)

    clock = time.perf_counter()
    cpu_before = os.times()
    load_before = os.getloadavg()[0]  # what else this machine is running, before we add to it
    with PeakMemory() as memory:
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            summary = profiler.runcall(build, corpus, out, jobs=args.jobs, validate=not args.no_validate)
            profiler.dump_stats(str(args.profile))
        else:
            summary = build(corpus, out, jobs=args.jobs, validate=not args.no_validate)
    total = time.perf_counter() - clock
    cpu_after = os.times()
    # CPU seconds do not depend on what else the machine runs: a fairer speed on a shared box.
    worker_cpu = (cpu_after.children_user + cpu_after.children_system) - (cpu_before.children_user + cpu_before.children_system)
    parent_cpu = (cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system)
    megabytes = size / 1e6
    result: dict = {
        "documents": summary.documents,
        "megabytes": round(megabytes, 2),
        "jobs": args.jobs,
        "statements": summary.statements,
        "claims": summary.claims,
        "triples": summary.triples,
        "seconds": {k: round(v, 2) for k, v in summary.seconds.items()} | {"total": round(total, 2)},
        "generate_seconds": round(generation, 2),
        "documents_per_second": round(summary.documents / total, 1),
        "megabytes_per_second": round(megabytes / total, 3),
        "extract_megabytes_per_second_per_job": round(megabytes / summary.seconds["extract"] / args.jobs, 3),
        "cpu_seconds": {"parent": round(parent_cpu, 1), "workers": round(worker_cpu, 1)},
        "load_average_before": round(load_before, 2),
        "peak_rss_megabytes": round(memory.peak / 1e6),
        "peak_pss_megabytes": round(memory.peak_pss / 1e6),
        "validation": summary.validation,
        "failed_files": sum(1 for o in summary.outcomes if o.status == "failed"),
    }
    after = ("load", "extract")
    result["after_extraction_seconds"] = round(total - sum(summary.seconds.get(name, 0.0) for name in after), 2)
    result["disk_megabytes"] = {name: round(_size(out / name) / 1e6, 1) for name in ("graph.ttl", "store", "store/answers.sqlite")} \
        | {"all outputs": round(_size(out) / 1e6, 1)}
    if args.spacy:
        from baseline import spacy_cpu_seconds, texts_of

        spacy_seconds, _ = spacy_cpu_seconds(texts_of(corpus))
        result["spacy_cpu_seconds"] = round(spacy_seconds, 1)
        result["cost_ratio_to_spacy"] = round((parent_cpu + worker_cpu) / spacy_seconds, 2)
    if summary.corrections is not None:
        result["corrections"] = summary.corrections.counts()
        (corpus / "corrections.csv").unlink()
    if args.queries:
        result["queries"] = time_cli_queries(out, args.carekg, args.query_repeat, args.query_timeout)
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
