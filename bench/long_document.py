"""Benchmark one long document: time and peak memory of `carekg build` on a single file.

    python bench/long_document.py --mb 1 4 16

For each size, writes one ``long.txt`` of that many megabytes (the seed texts
concatenated, repeated as needed, cut at a line end) into
``bench/out/long-<MB>mb/``, runs ``carekg build`` on it in a child process and
samples the memory of that process and its workers every 50 ms (proportional set size, so
pages a forked worker shares with the build are counted once).
Prints one JSON object per size: wall and CPU seconds, the build's own stage
timings (from ``run.json``), peak memory, and what the SHACL check covered.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def long_text(megabytes: float) -> str:
    """The seed texts concatenated (separated by a blank line) to ``megabytes`` MB, cut at a line end."""
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    target = int(megabytes * 1e6)
    parts: list[str] = []
    size = 0
    while size < target:
        for text in seeds:
            parts.append(text.strip("\n"))
            size += len(text.encode("utf-8")) + 2
    text = "\n\n".join(parts).encode("utf-8")[:target].decode("utf-8", "ignore")
    return text[: text.rfind("\n") + 1]


def peak_memory(process: subprocess.Popen, interval: float = 0.05) -> int:
    """Wait for ``process``; the largest resident memory of it plus its children seen meanwhile."""
    import psutil

    root = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        total = 0
        try:
            for member in [root, *root.children(recursive=True)]:
                try:
                    total += _memory(member)
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        peak = max(peak, total)
        time.sleep(interval)
    return peak


def _memory(process) -> int:
    """Proportional set size: forked children share pages with their parent, which RSS would count twice."""
    try:
        return process.memory_full_info().pss
    except (AttributeError, OSError):  # no /proc/PID/smaps here: resident size instead
        return process.memory_info().rss


def measure(megabytes: float, work: Path, jobs: int, validate: bool, timeout: float) -> dict:
    folder = work / f"long-{megabytes:g}mb"
    corpus, out = folder / "corpus", folder / "build"
    document = corpus / "long.txt"
    if not document.is_file():
        corpus.mkdir(parents=True, exist_ok=True)
        document.write_text(long_text(megabytes), encoding="utf-8")
    command = [sys.executable, "-m", "carekg", "build", str(corpus), "-o", str(out), "--jobs", str(jobs),
               "--max-mb", "60"] + ([] if validate else ["--no-validate"])
    load = os.getloadavg()[0]
    before = os.times()
    clock = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        import threading

        timer = threading.Timer(timeout, process.kill)
        timer.start()
        peak = peak_memory(process)
        timer.cancel()
    finally:
        stdout, stderr = process.communicate()
    seconds = time.perf_counter() - clock
    after = os.times()
    result: dict = {
        "megabytes": round(document.stat().st_size / 1e6, 2),
        "validate": validate,
        "jobs": jobs,
        "exit_code": process.returncode,
        "seconds": round(seconds, 1),
        "cpu_seconds": round((after.children_user + after.children_system) - (before.children_user + before.children_system), 1),
        "peak_memory_megabytes": round(peak / 1e6),
        "memory_megabytes_per_text_megabyte": round(peak / document.stat().st_size, 1),
        "load_average_before": round(load, 2),
    }
    if process.returncode == -9 or seconds >= timeout:
        result["error"] = f"stopped after {timeout:g} s"
    elif process.returncode != 0:
        result["error"] = stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
    run = out / "run.json"
    if run.is_file() and process.returncode == 0:
        result["stages"] = json.loads(run.read_text())["seconds"]
        report = json.loads((out / "build-report.json").read_text())
        result["validation"] = report.get("validation")
        result["statements"] = report.get("statements")
    return result


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[1, 4, 16], help="document sizes in MB (default 1 4 16)")
    parser.add_argument("--jobs", type=int, default=1, help="--jobs of the build (default 1)")
    parser.add_argument("--no-validate", action="store_true", help="build with --no-validate")
    parser.add_argument("--timeout", type=float, default=1800, help="stop a build after this many seconds (default 1800)")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out", help="folder for the documents and builds")
    args = parser.parse_args(argv)
    results = []
    for megabytes in args.mb:
        result = measure(megabytes, args.work, args.jobs, not args.no_validate, args.timeout)
        print(json.dumps(result), flush=True)
        results.append(result)
    return results


if __name__ == "__main__":
    main()

