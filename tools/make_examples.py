"""Write carekg/extract/examples.csv: the gold passages the proposal recogniser learns from.

    python tools/make_examples.py          # rewrite the file
    python tools/make_examples.py --check  # exit 1 if it differs from the gold

One row per gold statement (explicit or implied) of the project's hand-coded
corpora (tests/gold for the seeds, tests/devset, tests/devset-b): the corpus,
the document, the proposal, the stance and the passage (the gold ``evidence``,
which is ``text[start:end]`` of the document); then, as examples of no
proposal (``__none__``), the sentences of those documents that the
extractor's position gate lets through but that hold no coded position. Passages are examples for a
learned model, scored by leave-one-document-out cross-validation
(``carekg crossval``): no rule or cue list is made from them.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from carekg.review.evaluate import gold_files  # noqa: E402
from carekg.ingest.corpus import read_corpus  # noqa: E402
from carekg.extract.recogniser import EXAMPLE_COLUMNS, EXAMPLES_FILE, NONE  # noqa: E402
from carekg.extract.sentences import analyse  # noqa: E402
from carekg.extract.stances import line_cues, position_sentences  # noqa: E402
from carekg.extract.text import normalise  # noqa: E402

# (corpus name, gold folder) — the folders the shared-copy test keeps equal to ../shared
GOLD = (("seeds", ROOT / "tests" / "gold", ROOT / "seeds"),
        ("devset", ROOT / "tests" / "devset" / "gold", ROOT / "tests" / "devset" / "docs"),
        ("devset-b", ROOT / "tests" / "devset-b" / "gold", ROOT / "tests" / "devset-b" / "docs"))


def gated_sentences(text: str) -> list[tuple[int, int]]:
    """The spans of the sentences the extractor's position gate lets through
    (:func:`carekg.extract.stances.position_sentences`), in the original text."""
    lines, sents = analyse(normalise(text).text)
    cues = {line.index: line_cues(line.doc) for line in lines if line.doc is not None}
    gated = position_sentences(sents, cues)
    return [(s.start, s.end) for s in sents if s.index in gated and s.line.kind not in ("blank", "boilerplate")]


def examples_csv() -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXAMPLE_COLUMNS)
    for corpus, folder, documents in GOLD:
        path = gold_files(folder)["statements"]
        with path.open(encoding="utf-8", newline="") as handle:
            gold = list(csv.DictReader(handle))
        rows = sorted({(r["document"], r["proposal"], r["stance"], r["evidence"]) for r in gold if r["evidence"].strip()})
        for document, proposal, stance, passage in rows:
            writer.writerow([corpus, document, proposal, stance, passage])
        # Negative examples: sentences that pass the position gate but hold no
        # coded position (explicit, implied or emergent) -- what the gate lets
        # through that is not a position, so the model learns to say NONE.
        stated: dict[str, list[tuple[int, int]]] = {}
        for r in gold:
            stated.setdefault(r["document"], []).append((int(r["start"]), int(r["end"])))
        for document in sorted(read_corpus(documents).documents, key=lambda d: d.file):
            if document.file not in stated:
                continue  # a document nobody coded teaches nothing
            negatives: dict[str, None] = {}  # in text order, each passage once
            for start, end in gated_sentences(document.text):
                if any(s < end and start < e for s, e in stated[document.file]):
                    continue
                passage = document.text[start:end].strip()
                if passage:
                    negatives.setdefault(passage)
            for passage in negatives:
                writer.writerow([corpus, document.file, NONE, "", passage])
    return out.getvalue()


def main(argv: list[str]) -> int:
    text = examples_csv()
    if "--check" in argv:
        current = EXAMPLES_FILE.read_text(encoding="utf-8") if EXAMPLES_FILE.is_file() else ""
        if current != text:
            print(f"{EXAMPLES_FILE.relative_to(ROOT)} is out of date: run python tools/make_examples.py")
            return 1
        return 0
    EXAMPLES_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {EXAMPLES_FILE.relative_to(ROOT)} ({text.count(chr(10)) - 1} examples)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
