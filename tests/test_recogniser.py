"""The proposal recogniser (carekg/extract/recogniser.py): what it learns from
(the codebook, the packaged gold passages, the analysts' decisions), that a
document is read without its own examples in leave-one-document-out
(``holding_out``), and that ``examples.csv`` is a function of the gold files.

Every sentence ranked here is newly worded (none from the seeds, the
development sets or their gold); the bodies of the build test are invented.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

import carekg.extract
from carekg.build import build
from carekg.review.corrections import Correction
from carekg.review.evaluate import gold_files
from carekg.extract import recogniser as rec
from carekg.extract.recogniser import (EXAMPLE_COLUMNS, EXAMPLES_FILE, NONE, Example, Recogniser,
                                       base_recogniser, codebook_examples, corpus_examples, decision_examples,
                                       held_out, holding_out, packaged_examples, read_examples, recogniser_for)
from carekg.vocab.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
# examples.csv corpus name -> (documents folder, gold folder), as tools/make_examples.py reads them
CORPORA = {"seeds": (ROOT / "seeds", ROOT / "tests" / "gold"),
           "devset": (ROOT / "tests" / "devset" / "docs", ROOT / "tests" / "devset" / "gold"),
           "devset-b": (ROOT / "tests" / "devset-b" / "docs", ROOT / "tests" / "devset-b" / "gold")}


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


@pytest.fixture(scope="module")
def base(knowledge):
    return base_recogniser(knowledge)


# -- ranking wording no development text uses ---------------------------------------------
@pytest.mark.parametrize("sentence, proposal", [
    ("Grandparents bringing up a grandchild deserve a weekly payment on a par with what foster carers get.",
     "kinship-allowance"),
    ("Private firms running children's homes make excessive margins that should be limited.",
     "curb-provider-profits"),
    ("A child should be able to choose an advocate who is independent of the council.", "independent-advocacy"),
    ("Firms supplying locum social workers charge too much and should face rules.", "regulate-agency-social-work"),
    ("Brothers and sisters separated by care should keep seeing one another.", "family-and-sibling-contact"),
    ("Being care experienced should be treated like other protected characteristics under equality law.",
     "care-experience-protected-characteristic"),
    ("Young adults should be allowed to remain with their foster families into their early twenties.",
     "raise-care-leaving-age"),
])
def test_new_wording_ranks_the_right_proposal_first(base, sentence, proposal):
    ranked = base.rank(sentence, top=3)
    assert len(ranked) == 3
    assert ranked[0].proposal == proposal, ranked
    assert ranked[0].score > ranked[1].score  # best first, by its margin


def test_codebook_alone_names_only_codebook_proposals(knowledge):
    recogniser = Recogniser(codebook_examples(knowledge))
    assert recogniser.proposals == frozenset(knowledge.proposals)
    ranked = recogniser.rank("Children in care should have an advocate of their own, independent of the council.",
                             top=len(knowledge.proposals))
    assert {r.proposal for r in ranked} == set(knowledge.proposals)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def test_fewer_than_two_proposals_rank_nothing():
    one = Recogniser([Example("a kinship allowance", "kinship-allowance")])
    assert one.rank("any text at all") == []
    assert one.rank_many(["a", "b"]) == [[], []]
    assert Recogniser([]).rank_many([]) == []


def test_two_fits_on_the_same_examples_rank_identically(knowledge):
    examples = codebook_examples(knowledge) + packaged_examples(knowledge)
    sentences = ["Grandparents bringing up a grandchild deserve a weekly payment.",
                 "Firms supplying locum social workers charge too much.",
                 "Nothing in this sentence is about care at all, it is about the weather."]
    first, second = Recogniser(examples), Recogniser(list(reversed(examples)))
    again = Recogniser(examples)
    top = len(first.proposals)
    assert first.rank_many(sentences, top) == again.rank_many(sentences, top)
    # the order the examples come in does not change the best proposal
    assert [row[0].proposal for row in first.rank_many(sentences, 1)] == \
        [row[0].proposal for row in second.rank_many(sentences, 1)]


# -- leave-one-document-out ---------------------------------------------------------------
def _held_document(base: Recogniser) -> tuple[str, Example]:
    """A packaged document and one of its passages that no other document's examples share."""
    by_text: dict[str, set[str]] = {}
    for e in base.examples:
        by_text.setdefault(e.text, set()).add(e.document)
    for e in base.examples:
        if e.document and e.proposal != NONE and by_text[e.text] == {e.document} and len(e.text.split()) >= 6:
            return e.document, e
    raise AssertionError("no packaged example to hold out")


def test_for_document_outside_holding_out_is_the_same_model(base):
    document, _ = _held_document(base)
    assert not held_out()
    assert base.for_document(document) is base
    assert base.for_document("never-seen.txt") is base


def test_for_document_in_holding_out_leaves_the_documents_examples_out(base):
    document, own = _held_document(base)
    with holding_out():
        assert held_out()
        refit = base.for_document(document)
        assert refit is not base
        assert base.for_document(document) is refit  # one refit per document, reused
        assert not any(e.document == document for e in refit.examples)
        assert set(refit.examples) == {e for e in base.examples if e.document != document}
        assert len(refit.examples) < len(base.examples)
        # a document held in a subfolder of the corpus is the same file
        assert not any(e.document == document for e in base.for_document(f"sub/{document}").examples)
        # a document without examples is read by the whole model
        assert base.for_document("never-seen.txt") is base
        # the refit model is another model: its own passage no longer scores as high for its proposal
        top = len(base.proposals)
        with_it = {r.proposal: r.score for r in base.rank(own.text, top)}
        without = {r.proposal: r.score for r in refit.rank(own.text, top)}
        assert without[own.proposal] < with_it[own.proposal]
    assert not held_out()
    assert base.for_document(document) is base


def test_holding_out_restores_on_an_exception():
    with pytest.raises(RuntimeError):
        with holding_out():
            raise RuntimeError("stop")
    assert not held_out()


def test_recogniser_for_holds_out_the_document(knowledge, base):
    document, _ = _held_document(base)
    assert recogniser_for(knowledge, document).examples == base.examples
    with holding_out():
        assert not any(e.document == document for e in recogniser_for(knowledge, document).examples)


# -- analysts' decisions as examples ------------------------------------------------------
TEXT = ("Marsh Lane Carers Circle welcomes the consultation. "               # 0-52
        "Grandparents raising a grandchild should get a weekly payment. "   # 52-115
        "We also back an advocate for every child in a children's home. "   # 115-178
        "The weather was fine.")                                            # 178-199
A = TEXT.index("Grandparents"), TEXT.index(" We also")
B = TEXT.index("We also"), TEXT.index(" The weather")
C = TEXT.index("The weather"), len(TEXT)


def _id(proposal: str, span: tuple[int, int], document: str = "a.txt") -> str:
    return f"{document}/marsh-lane-carers-circle/{proposal}/{span[0]}-{span[1]}"


def test_decision_examples_per_action(knowledge):
    rows = [
        Correction("add", document="a.txt", actor="x", proposal="independent-advocacy", stance="support",
                   quote="an advocate for every child", by="Ann"),
        Correction("accept", id=_id("kinship-allowance", A), by="Ann"),
        Correction("change", id=_id("kinship-carer-support", A), proposal="kinship-allowance", by="Ann"),
        # a change of stance or actor only: the proposal the statement had
        Correction("change", id=_id("independent-advocacy", B), stance="oppose", by="Ann"),
        Correction("reject", id=_id("adequate-funding", C), by="Ann"),
    ]
    found = [(e.text, e.proposal, e.document, e.source) for e in decision_examples(rows, {"a.txt": ("a.txt", TEXT)}, knowledge)]
    assert found == [
        ("an advocate for every child", "independent-advocacy", "a.txt", "corrections"),
        (TEXT[A[0]:A[1]], "kinship-allowance", "a.txt", "corrections"),
        (TEXT[A[0]:A[1]], "kinship-allowance", "a.txt", "corrections"),
        (TEXT[B[0]:B[1]], "independent-advocacy", "a.txt", "corrections"),
        ("The weather was fine.", NONE, "a.txt", "corrections"),
    ]


def test_decision_examples_in_a_subfolder(knowledge):
    rows = [Correction("accept", id=_id("kinship-allowance", A, "sub/a.txt"), by="Ann")]
    (example,) = decision_examples(rows, {"sub/a.txt": ("sub/a.txt", TEXT)}, knowledge)
    assert (example.text, example.document) == (TEXT[A[0]:A[1]], "sub/a.txt")


def test_decision_examples_read_the_quote_the_analyst_decided_on(knowledge):
    # the document changed since the sheet was made: the row's quote is the passage, not the old offsets
    rows = [Correction("reject", id=_id("adequate-funding", C), quote="The weather was fine.", by="Ann")]
    moved = "A new first line. " + TEXT
    (example,) = decision_examples(rows, {"a.txt": ("a.txt", moved)}, knowledge)
    assert (example.text, example.proposal) == ("The weather was fine.", NONE)


def test_decision_examples_find_a_document_by_its_id_form(knowledge):
    # statement ids write a document as the graph does: percent-encoded
    rows = [Correction("accept", id=_id("kinship-allowance", A, "my%20notes.txt"), by="Ann")]
    (example,) = decision_examples(rows, {"my%20notes.txt": ("my notes.txt", TEXT)}, knowledge)
    assert (example.text, example.document) == (TEXT[A[0]:A[1]], "my notes.txt")


@pytest.mark.parametrize("row", [
    # ids that do not resolve
    Correction("accept", id="a.txt/kinship-allowance/52-115", by="Ann"),               # three parts
    Correction("accept", id="not an id", by="Ann"),
    Correction("accept", id="", by="Ann"),
    Correction("reject", id=_id("kinship-allowance", A, "other.txt"), by="Ann"),       # unknown document
    Correction("accept", id="a.txt/marsh-lane-carers-circle/kinship-allowance/x-115", by="Ann"),
    Correction("accept", id="a.txt/marsh-lane-carers-circle/kinship-allowance/52", by="Ann"),
    Correction("accept", id="a.txt/marsh-lane-carers-circle/kinship-allowance/900-950", by="Ann"),  # past the end
    # proposals the codebook lacks
    Correction("add", document="a.txt", actor="x", proposal="no-such-proposal", stance="support",
               quote="a weekly payment", by="Ann"),
    Correction("add", document="a.txt", actor="x", proposal="emergent:weekly-payments", stance="support",
               quote="a weekly payment", by="Ann"),
    Correction("change", id=_id("kinship-allowance", A), proposal="no-such-proposal", by="Ann"),
    Correction("accept", id=_id("emergent:weekly-payments", A), by="Ann"),
    # an addition without a passage
    Correction("add", document="a.txt", actor="x", proposal="kinship-allowance", stance="support", quote="  ",
               by="Ann"),
    # claims and mentions teach nothing
    Correction("add-claim", document="a.txt", actor="x", quote="Grandparents raising a grandchild", by="Ann"),
    Correction("accept-claim", id="a.txt/52-115", by="Ann"),
    Correction("reject-claim", id="a.txt/52-115", by="Ann"),
    Correction("change-claim", id="a.txt/52-115", proposal="kinship-allowance", by="Ann"),
    Correction("add-mention", document="a.txt", actor="x", role="author", by="Ann"),
    Correction("reject-mention", id="a.txt/author/marsh-lane-carers-circle", by="Ann"),
    Correction("accept-mention", id=_id("kinship-allowance", A), by="Ann"),  # a statement-like id, still a mention row
], ids=lambda row: f"{row.action}:{row.id or row.proposal or row.quote}")
def test_decision_examples_ignore_what_does_not_resolve(knowledge, row):
    assert decision_examples([row], {"a.txt": ("a.txt", TEXT)}, knowledge) == []


def test_decision_examples_keep_the_good_rows_among_bad_ones(knowledge):
    rows = [Correction("accept", id="broken", by="Ann"),
            Correction("reject", id=_id("adequate-funding", C), by="Ann"),
            Correction("add-mention", document="a.txt", actor="x", by="Ann")]
    assert [e.proposal for e in decision_examples(rows, {"a.txt": ("a.txt", TEXT)}, knowledge)] == [NONE]


# -- corpus examples ----------------------------------------------------------------------
def test_corpus_examples_are_learned_within_the_block_only(knowledge, base):
    extra = (Example("grandparents should get a weekly payment", "kinship-allowance", "a.txt", "corrections"),)
    assert recogniser_for(knowledge, "b.txt").examples == base.examples
    with corpus_examples(extra):
        assert recogniser_for(knowledge, "b.txt").examples == base.examples + extra
        with corpus_examples(()):
            assert recogniser_for(knowledge, "b.txt").examples == base.examples
        assert recogniser_for(knowledge, "b.txt").examples == base.examples + extra
        with holding_out():  # the corpus's own document does not read its own decisions
            assert recogniser_for(knowledge, "a.txt").examples == base.examples
    assert recogniser_for(knowledge, "b.txt").examples == base.examples
    with pytest.raises(RuntimeError):
        with corpus_examples(extra):
            raise RuntimeError("stop")
    assert recogniser_for(knowledge, "b.txt").examples == base.examples


def test_using_base_stands_in_and_restores(knowledge, base):
    small = Recogniser(codebook_examples(knowledge))
    with rec.using_base(small):
        assert base_recogniser(knowledge) is small
        assert recogniser_for(knowledge, "x.txt").examples == small.examples
    assert base_recogniser(knowledge) is base


# -- examples.csv -------------------------------------------------------------------------
def test_read_examples_skips_emergent_and_unknown_proposals(knowledge):
    text = ("corpus,document,proposal,stance,passage\n"
            "mine,a.txt,kinship-allowance,support,a weekly payment for grandparents\n"
            f"mine,a.txt,{NONE},,We met the minister on Tuesday.\n"
            "mine,a.txt,emergent:weekly-payments,support,a weekly payment for grandparents\n"
            "mine,a.txt,no-such-proposal,support,a weekly payment for grandparents\n"
            "mine,b.txt,independent-advocacy,oppose,   \n"
            ",c.txt, independent-advocacy ,support,\"an advocate, of their own\"\n")
    assert read_examples(text, knowledge) == [
        Example("a weekly payment for grandparents", "kinship-allowance", "a.txt", "mine"),
        Example("We met the minister on Tuesday.", NONE, "a.txt", "mine"),  # an example of no proposal
        Example("an advocate, of their own", "independent-advocacy", "c.txt", "gold"),
    ]
    assert {e.source for e in read_examples(text, knowledge, source="other")} == {"other"}


def test_packaged_examples_name_their_documents(knowledge):
    examples = packaged_examples(knowledge)
    assert examples and all(e.document and (e.proposal in knowledge.proposals or e.proposal == NONE)
                            for e in examples)
    assert any(e.proposal == NONE for e in examples)
    assert {e.source for e in examples} == set(CORPORA)


def test_make_examples_check_passes_on_the_repository():
    result = subprocess.run([sys.executable, "tools/make_examples.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_make_examples_check_fails_when_out_of_date(monkeypatch, capsys):
    spec = importlib.util.spec_from_file_location("make_examples", ROOT / "tools" / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.examples_csv() == EXAMPLES_FILE.read_text(encoding="utf-8")
    monkeypatch.setattr(module, "examples_csv", lambda: "corpus,document,proposal,stance,passage\n")
    assert module.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().out


@functools.lru_cache(maxsize=None)
def _gold(corpus: str) -> dict[tuple[str, str, str, str], list[tuple[int, int]]]:
    """(document, proposal, stance, evidence) -> the (start, end) of its gold rows."""
    out: dict[tuple[str, str, str, str], list[tuple[int, int]]] = {}
    with gold_files(CORPORA[corpus][1])["statements"].open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            out.setdefault((r["document"], r["proposal"], r["stance"], r["evidence"]), []).append(
                (int(r["start"]), int(r["end"])))
    return out


def _gold_spans(corpus: str, document: str) -> list[tuple[int, int]]:
    return [span for (d, *_), spans in _gold(corpus).items() if d == document for span in spans]


@functools.lru_cache(maxsize=None)
def _text(corpus: str, document: str) -> str:
    return (CORPORA[corpus][0] / document).read_text(encoding="utf-8")


def _example_rows() -> list[dict]:
    with EXAMPLES_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == EXAMPLE_COLUMNS
        return list(reader)


EXAMPLE_ROWS = _example_rows()
GOLD_ROWS = [r for r in EXAMPLE_ROWS if r["proposal"] != NONE]
NONE_ROWS = [r for r in EXAMPLE_ROWS if r["proposal"] == NONE]


def test_examples_csv_has_gold_passages_and_examples_of_no_proposal():
    assert len(GOLD_ROWS) > 100 and len(NONE_ROWS) > 50
    assert len({tuple(r.values()) for r in GOLD_ROWS}) == len(GOLD_ROWS)  # no repeated gold row
    assert all(r["stance"] == "" for r in NONE_ROWS)


def test_examples_csv_repeats_no_example_of_no_proposal():
    assert len({tuple(r.values()) for r in NONE_ROWS}) == len(NONE_ROWS)


def _ids(rows: list[dict]) -> list[str]:
    return [f"{r['corpus']}:{r['document']}:{i}" for i, r in enumerate(rows)]


@pytest.mark.parametrize("row", GOLD_ROWS, ids=_ids(GOLD_ROWS))
def test_every_example_is_the_evidence_of_a_gold_row(row):
    assert row["corpus"] in CORPORA
    spans = _gold(row["corpus"]).get((row["document"], row["proposal"], row["stance"], row["passage"]))
    assert spans, f"no gold row of {row['corpus']} has this passage"
    text = _text(row["corpus"], row["document"])
    assert any(text[start:end] == row["passage"] for start, end in spans)


@pytest.mark.parametrize("row", NONE_ROWS, ids=_ids(NONE_ROWS))
def test_every_example_of_no_proposal_is_a_passage_no_gold_row_codes(row):
    """A sentence of a coded document that overlaps no gold statement (explicit, implied or emergent)."""
    assert row["corpus"] in CORPORA
    gold = _gold_spans(row["corpus"], row["document"])
    assert gold, "a document nobody coded teaches nothing"
    text, passage = _text(row["corpus"], row["document"]), row["passage"]
    assert passage == passage.strip() and passage
    starts = [m.start() for m in re.finditer(re.escape(passage), text)]
    assert starts, "the passage is not in the document"
    assert any(not any(s < start + len(passage) and start < e for s, e in gold) for start in starts)


# -- a build learns from its corpus's corrections -----------------------------------------
DOC_A = ("Saltmarsh Guardians Forum\n\n"
         "Grandparents who take in a grandchild at a day's notice should not be left out of pocket.\n\n"
         "We call for a kinship allowance for every family carer.\n")
DOC_B = ("Quarry Hill Youth Voice\n\n"
         "We want an advocate of their own for every child placed far from home.\n")
ADDED = "Grandparents who take in a grandchild at a day's notice should not be left out of pocket."


def _corpus(folder: Path, corrections: bool) -> Path:
    folder.mkdir()
    (folder / "forum.txt").write_text(DOC_A, encoding="utf-8")
    (folder / "voice.txt").write_text(DOC_B, encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,title,publisher,published,language,source_note\n"
        "forum.txt,Asks,Saltmarsh Guardians Forum,2024,en,\n"
        "voice.txt,Asks,Quarry Hill Youth Voice,2024,en,\n", encoding="utf-8")
    if corrections:
        (folder / "corrections.csv").write_text(
            "action,id,document,actor,proposal,stance,kind,role,quote,by,note\n"
            f"add,,forum.txt,saltmarsh-guardians-forum,kinship-allowance,support,,,{ADDED},Pat Reviewer,missed\n",
            encoding="utf-8")
    return folder


def _spy(monkeypatch) -> list[tuple[str, Recogniser]]:
    calls: list[tuple[str, Recogniser]] = []
    original = carekg.extract.recogniser_for

    def spy(knowledge, document):
        recogniser = original(knowledge, document)
        calls.append((document, recogniser))
        return recogniser

    monkeypatch.setattr(carekg.extract, "recogniser_for", spy)
    return calls


def test_a_build_learns_from_the_corpus_corrections(tmp_path, monkeypatch):
    calls = _spy(monkeypatch)
    summary = build(_corpus(tmp_path / "corpus", corrections=True), tmp_path / "out", validate=False)
    assert not summary.corrections.problem_lines()
    assert sorted(d for d, _ in calls) == ["forum.txt", "voice.txt"]
    added = Example(ADDED, "kinship-allowance", "forum.txt", "corrections")
    for _, recogniser in calls:
        assert added in recogniser.examples
    # the added statement is in the graph
    statements = list(csv.DictReader(io.StringIO((tmp_path / "out" / "statements.csv").read_text(encoding="utf-8"))))
    assert any(r["quote"] == ADDED and r["proposal_id"] == "kinship-allowance" for r in statements)
    # after the build the packaged model is back
    assert recogniser_for(load_knowledge(), "forum.txt").examples == base_recogniser(load_knowledge()).examples


def test_a_build_without_corrections_learns_nothing_more(tmp_path, monkeypatch):
    calls = _spy(monkeypatch)
    build(_corpus(tmp_path / "corpus", corrections=False), tmp_path / "out", validate=False)
    assert calls
    for _, recogniser in calls:
        assert not any(e.source == "corrections" for e in recogniser.examples)


# -- the topic of the sentences before tips an unsure reading ---------------------------------
class _FixedReadings:
    """Stands in for a document's rankings: the same ranking for every sentence."""

    def __init__(self, ranked):
        self.ranked = ranked

    def rank(self, sent):
        return list(self.ranked)


def _one_sentence(text: str):
    from carekg.extract.sentences import analyse
    from carekg.extract.text import normalise

    _, sents = analyse(normalise(text).text)
    return sents[0]


def test_the_topic_before_tips_an_unsure_reading():
    from carekg.extract import LEARNED_MIN_SCORE, TOPIC_BONUS, _learned, resources
    from carekg.extract.recogniser import Ranked

    concepts = resources(load_knowledge()).concepts
    sent = _one_sentence("Pooling the work across a county would only share out the scarcity of places.")
    unsure = LEARNED_MIN_SCORE - TOPIC_BONUS / 2  # under the margin alone, over it with the bonus
    readings = _FixedReadings([Ranked("regional-care-cooperatives", unsure), Ranked("kinship-allowance", -0.9)])
    assert _learned(readings, concepts, sent, []) is None
    found = _learned(readings, concepts, sent, [], near={"regional-care-cooperatives"})
    assert found is not None and found.concept == "regional-care-cooperatives"
    # a topic the recogniser does not rank near the top changes nothing
    assert _learned(readings, concepts, sent, [], near={"kinship-allowance"}) is None
