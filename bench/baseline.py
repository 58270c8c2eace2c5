"""carekg's cost as a ratio to a fixed spaCy pipeline over the same text, so speed compares across machines.

    python bench/baseline.py seeds --repeat-to-mb 12      # the seed texts repeated to 12 MB
    python bench/baseline.py bench/out/corpus-10000-seed6  # a corpus folder as it is

The baseline is what any reader of these texts pays at least: spaCy's
``blank("en")`` tokenizer with a ``sentencizer``, and a ``PhraseMatcher``
(lower-cased) holding the codebook's labels and alternative labels and the
registry's names and aliases, run over every text in one process. The build
is ``carekg.build.build(folder, …, jobs=1, validate=False)`` in one process
too, so both are CPU seconds of one core. Prints one JSON object:
``build_cpu_seconds``, ``spacy_cpu_seconds`` and ``ratio`` (build ÷ spaCy).
``bench/run.py --spacy`` reports the same ratio for its synthetic corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable as `python bench/baseline.py` from a clone
    sys.path.insert(0, str(ROOT))

SPACY_CHUNK = 500_000  # spaCy refuses texts over nlp.max_length (1,000,000 characters); longer ones go in pieces


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def phrases() -> list[str]:
    """What carekg looks for by name: the codebook's labels and the registry's names, with their alternatives."""
    from carekg.vocab.knowledge import load_knowledge

    knowledge = load_knowledge()
    found = {p.label for p in knowledge.proposals.values()} | {a for p in knowledge.proposals.values() for a in p.alt_labels}
    found |= {a.name for a in knowledge.agents.values()} | {x for a in knowledge.agents.values() for x in a.aliases}
    return sorted(found)


def pieces(text: str) -> list[str]:
    """``text`` cut at line ends into pieces spaCy accepts."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + SPACY_CHUNK)
        if end < len(text):
            newline = text.rfind("\n", start, end)
            end = newline + 1 if newline > start else end
        out.append(text[start:end])
        start = end
    return out


def spacy_cpu_seconds(texts: list[str]) -> tuple[float, int]:
    """CPU seconds of the baseline over ``texts`` (model set-up excluded), and the matches it found."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add("NAMES", list(nlp.tokenizer.pipe(phrases())))
    started, matches = cpu_seconds(), 0
    for doc in nlp.pipe(piece for text in texts for piece in pieces(text)):
        matches += len(matcher(doc))
        sum(1 for _ in doc.sents)  # the sentences are made lazily: read them, as carekg does
    return cpu_seconds() - started, matches


def build_cpu_seconds(folder: Path) -> float:
    """CPU seconds of a one-process build of ``folder`` (no SHACL check), knowledge loaded beforehand."""
    from carekg.build import build
    from carekg.vocab.knowledge import load_knowledge

    load_knowledge()
    with tempfile.TemporaryDirectory() as out:
        started = cpu_seconds()
        build(folder, out, jobs=1, validate=False)
        return cpu_seconds() - started


def texts_of(folder: Path) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]


def repeated(folder: Path, megabytes: float, work: Path) -> Path:
    """A corpus of one file: ``folder``'s texts concatenated and repeated to ``megabytes``, cut at a line end."""
    text = "\n\n".join(texts_of(folder))
    wanted = int(megabytes * 1_000_000)
    long = (text + "\n\n") * (wanted // len(text.encode("utf-8")) + 1)
    long = long[: long.rfind("\n", 0, wanted) + 1]
    target = work / f"repeated-{megabytes:g}mb"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    (target / "long.txt").write_text(long, encoding="utf-8")
    return target


def measure(folder: Path) -> dict:
    texts = texts_of(folder)
    spacy_seconds, matches = spacy_cpu_seconds(texts)
    build_seconds = build_cpu_seconds(folder)
    return {"folder": str(folder), "megabytes": round(sum(len(t.encode("utf-8")) for t in texts) / 1e6, 2),
            "build_cpu_seconds": round(build_seconds, 1), "spacy_cpu_seconds": round(spacy_seconds, 1),
            "spacy_matches": matches, "ratio": round(build_seconds / spacy_seconds, 2),
            "load_average": round(os.getloadavg()[0], 2)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a corpus folder (its *.txt files)")
    parser.add_argument("--repeat-to-mb", type=float, help="measure the folder's texts repeated to this many MB, as one file")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out", help="where the repeated corpus is written")
    args = parser.parse_args(argv)
    folder = repeated(args.folder, args.repeat_to_mb, args.work) if args.repeat_to_mb else args.folder
    result = measure(folder)
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
