"""Write carekg/extract/examples.csv: the gold passages the proposal recogniser learns from.

    python tools/make_examples.py          # rewrite the file
    python tools/make_examples.py --check  # exit 1 if it differs from the gold

One row per gold statement (explicit or implied) of the project's hand-coded
corpora (tests/gold for the seeds, tests/devset, tests/devset-b): the corpus,
the document, the proposal, the stance and the passage (the gold ``evidence``,
which is ``text[start:end]`` of the document). Passages are examples for a
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

from carekg.evaluate import gold_files  # noqa: E402
from carekg.extract.recogniser import EXAMPLE_COLUMNS, EXAMPLES_FILE  # noqa: E402

# (corpus name, gold folder) — the folders the shared-copy test keeps equal to ../shared
GOLD = (("seeds", ROOT / "tests" / "gold"), ("devset", ROOT / "tests" / "devset" / "gold"),
        ("devset-b", ROOT / "tests" / "devset-b" / "gold"))


def examples_csv() -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXAMPLE_COLUMNS)
    for corpus, folder in GOLD:
        path = gold_files(folder)["statements"]
        with path.open(encoding="utf-8", newline="") as handle:
            rows = sorted({(r["document"], r["proposal"], r["stance"], r["evidence"])
                           for r in csv.DictReader(handle) if r["evidence"].strip()})
        for document, proposal, stance, passage in rows:
            writer.writerow([corpus, document, proposal, stance, passage])
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
