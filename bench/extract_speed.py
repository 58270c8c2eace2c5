"""Extraction speed per core: ``carekg.extract.extract_document`` over real
texts in one process, timed in CPU seconds (so other load on the machine
changes the figure little).

    python bench/extract_speed.py                      # seeds and devset, 20 rounds
    python bench/extract_speed.py --rounds 50 --corpus seeds
    python bench/extract_speed.py --rounds 3 --corpus bench   # 300 documents of bench/run.py's corpus

Prints one JSON object: per corpus, megabytes extracted, CPU seconds and
MB/s per core. The first round is a warm-up (matchers are built once per
process) and is not counted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from carekg.ingest.corpus import read_corpus  # noqa: E402
from carekg.extract import extract_document  # noqa: E402
from carekg.vocab.knowledge import load_knowledge  # noqa: E402

CORPORA = {"seeds": ROOT / "seeds", "devset": ROOT / "tests" / "devset" / "docs",
           "devset-b": ROOT / "tests" / "devset-b" / "docs", "bench": ROOT / "bench" / "out" / "speed-corpus-300"}


def _bench_corpus(folder: Path) -> Path:
    """The synthetic corpus of bench/run.py (300 documents, seed 6), generated once."""
    if not (folder / "manifest.csv").is_file():
        from bench.run import generate_corpus

        generate_corpus(folder, 300, 6)
    return folder


def measure(folder: Path, rounds: int) -> dict[str, float]:
    knowledge = load_knowledge()
    documents = read_corpus(folder).documents
    for document in documents:  # warm-up: build the matchers
        extract_document(document, knowledge)
    size = sum(len(d.text.encode("utf-8")) for d in documents) * rounds / 1e6
    started = time.process_time()
    for _ in range(rounds):
        for document in documents:
            extract_document(document, knowledge)
    seconds = time.process_time() - started
    return {"megabytes": round(size, 3), "cpu_seconds": round(seconds, 2),
            "megabytes_per_second_per_core": round(size / seconds, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="times each corpus is extracted (default 20)")
    parser.add_argument("--corpus", choices=sorted(CORPORA), action="append",
                        help="corpus to time (default: all)")
    args = parser.parse_args()
    names = args.corpus or ["devset", "seeds"]
    folders = {name: _bench_corpus(CORPORA[name]) if name == "bench" else CORPORA[name] for name in names}
    print(json.dumps({name: measure(folders[name], args.rounds) for name in names}, indent=2))


if __name__ == "__main__":
    main()
