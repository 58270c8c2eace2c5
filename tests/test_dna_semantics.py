"""carekg's networks against a plain, independent reading of DNA's formulas (../shared/dna-semantics.md).

The reference below is written from the formulas alone, with loops over
dictionaries and nothing from ``carekg.networks.dna``: duplicate filtering in text
order, the actor × proposal × stance counts ``A``, then congruence, conflict,
subtract and the two-mode ``ignore`` weights with every normalisation. A
generated corpus goes through the real path (statements → RDF graph → SPARQL →
networks) and must give exactly the reference's weights.
"""

from __future__ import annotations

import random
from collections import defaultdict
from itertools import combinations

import pytest

from carekg.vocab.knowledge import load_knowledge
from carekg.vocab.model import Document, Extraction, Span, Statement
from carekg.networks.dna import affiliation, agreement, divergence, read_statements, subtract
from tests.test_networks import graph_of

STANCES = ("support", "oppose")


# --- the reference: DNA's exporter, read from the formulas ----------------------------------

def dna_kept(statements: list[tuple], duplicates: str, two_mode: bool) -> list[tuple]:
    """Statements (document, start, actor, proposal, stance, …) after DNA's duplicate filter.

    ``document``: within a document, drop a statement when an earlier kept one
    (in text order) has the same actor and proposal, and the same stance unless
    the aggregation ignores it (two-mode ``ignore``).
    """
    kept: list[tuple] = []
    for statement in sorted(statements, key=lambda s: (s[0], s[1])):
        document, _, actor, proposal, stance, *_ = statement
        if duplicates == "document" and any(
            k[0] == document and k[2] == actor and k[3] == proposal and (two_mode or k[4] == stance) for k in kept
        ):
            continue
        kept.append(statement)
    return kept


def dna_counts(kept: list[tuple]) -> dict[tuple[str, str, str], int]:
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for _, _, actor, proposal, stance, *_ in kept:
        counts[(actor, proposal, stance)] += 1
    return counts


def dna_one_mode(kept: list[tuple], kind: str, normalization: str) -> dict[frozenset, float]:
    A = dna_counts(kept)
    actors = sorted({s[2] for s in kept})
    proposals = sorted({s[3] for s in kept})
    n = {a: sum(A[(a, j, k)] for j in proposals for k in STANCES) for a in actors}
    weights = {}
    for a, b in combinations(actors, 2):
        congruence = sum(A[(a, j, "support")] * A[(b, j, "support")] + A[(a, j, "oppose")] * A[(b, j, "oppose")]
                         for j in proposals)
        conflict = sum(A[(a, j, "support")] * A[(b, j, "oppose")] + A[(a, j, "oppose")] * A[(b, j, "support")]
                       for j in proposals)
        value = {"congruence": congruence, "conflict": conflict, "subtract": congruence - conflict}[kind]
        if normalization == "average":
            denominator = (n[a] + n[b]) / 2
        elif normalization == "cosine":
            denominator = n[a] * n[b]
        elif normalization == "jaccard":
            cells = [(j, k) for j in proposals for k in STANCES]
            m10 = sum(A[(a, *c)] for c in cells if A[(b, *c)] == 0)
            m01 = sum(A[(b, *c)] for c in cells if A[(a, *c)] == 0)
            m11 = sum(A[(a, *c)] * A[(b, *c)] for c in cells if A[(a, *c)] > 0 and A[(b, *c)] > 0)
            denominator = m10 + m01 + m11
        else:
            denominator = 1
        weight = value / denominator if denominator else 0
        if weight != 0:
            weights[frozenset((a, b))] = weight
    return weights


def dna_two_mode(kept: list[tuple], normalization: str) -> dict[tuple[str, str], float]:
    A = dna_counts(kept)
    cells = {(a, j): A[(a, j, "support")] + A[(a, j, "oppose")] for _, _, a, j, *_ in kept}
    rows = defaultdict(int)
    columns = defaultdict(int)
    for (a, j), value in cells.items():
        rows[a] += value
        columns[j] += value
    divide = {"none": lambda a, j: 1, "activity": lambda a, j: rows[a], "prominence": lambda a, j: columns[j]}[normalization]
    return {(a, j): value / divide(a, j) for (a, j), value in cells.items() if value}


# --- the corpus ------------------------------------------------------------------------------

def generated_corpus(seed: int, documents: int = 30) -> tuple[list[Extraction], list[tuple]]:
    """Documents with statements at random places, many repeated and some contradicting in one document."""
    rng = random.Random(seed)
    knowledge = load_knowledge()
    actors = sorted(a.id for a in knowledge.agents.values() if a.type != "person" and not a.succeeded_by)[:9]
    proposals = sorted(knowledge.proposals)[:7]
    extractions, plain = [], []
    for d in range(documents):
        text = " ".join(f"Sentence {k} of document {d} says something about the reform." for k in range(60))
        file = f"doc{d:03d}.txt"
        statements = []
        for _ in range(rng.randint(1, 12)):
            start = rng.randrange(0, len(text) - 40)
            actor, proposal, stance = rng.choice(actors[:4] if rng.random() < 0.5 else actors), rng.choice(proposals), rng.choice(STANCES)
            for repeat in range(rng.choice((1, 1, 2, 3))):  # the same statement again, or its opposite, later on
                at = min(start + 45 * repeat, len(text) - 20)
                said = stance if rng.random() < 0.6 else ("oppose" if stance == "support" else "support")
                end = at + 12 + 2 * repeat + (said == "oppose")  # a statement's IRI comes from its span: keep them apart
                statements.append(Statement(actor, proposal, said, Span.of(text, at, end), confidence=0.9))
                plain.append((file, at, actor, proposal, said, end))
        extractions.append(Extraction(Document(file, text, published=f"{2019 + d % 5}"), statements=statements))
    return extractions, plain


@pytest.fixture(scope="module")
def corpus():
    extractions, plain = generated_corpus(seed=12)
    # Read through the graph (SPARQL) once; the networks then count from that table.
    # The span is part of a statement's identity: two identical draws are one statement in the graph.
    return read_statements(graph_of(*extractions)), sorted(set(plain))


def test_minimal_case_one_actor_supports_and_opposes_one_proposal_in_one_document():
    text = "Become supports the duty. Later Become opposes the duty after all."
    graph = graph_of(Extraction(Document("one.txt", text), statements=[
        Statement("become", "post-removal-support-duty", "oppose", Span.of(text, 26, len(text))),
        Statement("become", "post-removal-support-duty", "support", Span.of(text, 0, 25)),
    ]))
    edge = affiliation(graph)["become"]["proposal:post-removal-support-duty"]
    # DNA counts 1 and keeps the first statement in the text (the support), as its two-mode export does.
    assert (edge["weight"], edge["support"], edge["oppose"], edge["stance"]) == (1, 1, 0, "support")
    assert [e["quote"] for e in edge["proposals"][0]["evidence"]["become"]] == ["Become supports the duty."]
    every = affiliation(graph, duplicates="include")["become"]["proposal:post-removal-support-duty"]
    assert (every["weight"], every["stance"]) == (2, "mixed")


@pytest.mark.parametrize("duplicates", ["document", "include"])
@pytest.mark.parametrize("normalization", ["none", "activity", "prominence"])
def test_affiliation_matches_dna_two_mode(corpus, duplicates, normalization):
    graph, plain = corpus
    expected = dna_two_mode(dna_kept(plain, duplicates, two_mode=True), normalization)
    network = affiliation(graph, normalization=normalization, duplicates=duplicates)
    got = {(a, b.split(":", 1)[1]) if b.startswith("proposal:") else (b, a.split(":", 1)[1]): d["weight"]
           for a, b, d in network.edges(data=True)}
    assert got.keys() == expected.keys()
    assert got == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("duplicates", ["document", "include"])
@pytest.mark.parametrize("normalization", ["none", "average", "jaccard", "cosine"])
@pytest.mark.parametrize("kind", ["congruence", "conflict", "subtract"])
def test_one_mode_networks_match_dna(corpus, kind, normalization, duplicates):
    graph, plain = corpus
    expected = dna_one_mode(dna_kept(plain, duplicates, two_mode=False), kind, normalization)
    build = {"congruence": agreement, "conflict": divergence, "subtract": subtract}[kind]
    options = {} if kind == "congruence" else {"contradictions": False}  # DNA knows no contradicting proposals
    network = build(graph, normalization=normalization, duplicates=duplicates, **options)
    got = {frozenset((a, b)): d["weight"] for a, b, d in network.edges(data=True)}
    assert got.keys() == expected.keys()
    assert got == pytest.approx(expected, abs=1e-12)


def test_the_generated_corpus_has_the_cases_that_matter(corpus):
    _, plain = corpus
    both = {(d, a, p) for d, _, a, p, s, _ in plain if s == "support"} & {(d, a, p) for d, _, a, p, s, _ in plain if s == "oppose"}
    assert len(both) >= 5  # one actor on both sides of one proposal in one document: where the two rules differ
    assert len(dna_kept(plain, "document", True)) < len(dna_kept(plain, "document", False)) < len(plain)
