"""Does a reviewed corpus teach the extractor? (issue 17, deliverable 6)

    python bench/learn_from_corrections.py [--docs tests/devset-b/docs --gold tests/devset-b/gold]

The documents are split in two halves (alternately, in file order). The gold
statements of half A are written into the corpus's ``corrections.csv`` as
``add`` rows, as an analyst reviewing those documents would; half B is scored.
Both builds use a recogniser that has never seen the set's packaged gold
passages (the codebook and the other sets' passages only), so the only thing
the second build knows more is what the analysts entered. Prints half B's
scores without and with the corrections.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from carekg.build import build  # noqa: E402
from carekg.review.evaluate import CATEGORIES, Score, evaluate_graph_file, gold_files  # noqa: E402
from carekg.extract.recogniser import (Recogniser, codebook_examples, packaged_examples,  # noqa: E402
                                       using_base)
from carekg.vocab.knowledge import load_knowledge  # noqa: E402


def half_scores(graph: Path, gold: Path, documents: set[str]) -> dict[str, Score]:
    ev = evaluate_graph_file(graph, gold)
    total = {c: Score() for c in CATEGORIES}
    for document, scores in ev.per_document.items():
        if document in documents:
            for c in CATEGORIES:
                total[c].add(scores[c])
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "tests" / "devset-b" / "docs")
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "devset-b" / "gold")
    parser.add_argument("--corpus", default="devset-b", help="the examples.csv corpus name of this set")
    parser.add_argument("--swap", action="store_true", help="enter the other half as corrections, score the first")
    args = parser.parse_args()

    knowledge = load_knowledge()
    files = sorted(p.name for p in args.docs.iterdir() if p.is_file() and p.suffix in (".txt", ".html", ".md"))
    half_a, half_b = set(files[0::2]), set(files[1::2])
    if args.swap:
        half_a, half_b = half_b, half_a
    with gold_files(args.gold)["statements"].open(encoding="utf-8", newline="") as handle:
        gold_rows = [r for r in csv.DictReader(handle) if r["document"] in half_a]
    base = Recogniser(codebook_examples(knowledge)
                      + [e for e in packaged_examples(knowledge) if e.source != args.corpus])
    results = {}
    with tempfile.TemporaryDirectory(prefix="carekg-learn-") as scratch, using_base(base):
        corpus = Path(scratch) / "corpus"
        shutil.copytree(args.docs, corpus)
        for name, with_corrections in (("without corrections", False), ("with half A's gold as corrections", True)):
            if with_corrections:
                with (corpus / "corrections.csv").open("w", encoding="utf-8", newline="") as handle:
                    writer = csv.writer(handle)
                    writer.writerow(["action", "document", "actor", "proposal", "stance", "quote", "by", "note"])
                    for r in gold_rows:
                        writer.writerow(["add", r["document"], r["actor"], r["proposal"], r["stance"], r["evidence"],
                                         "bench", "gold of half A"])
            out = Path(scratch) / "out"
            build(corpus, out, validate=False)
            results[name] = half_scores(out / "graph.ttl", args.gold, half_b)
    print(f"half A (corrections): {len(half_a)} documents, {len(gold_rows)} gold rows; "
          f"half B (scored): {len(half_b)} documents")
    for name, scores in results.items():
        s = scores["statements_strict"]
        print(f"{name:<36} statements strict P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
              f"({s.found_gold}/{s.gold} gold)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
