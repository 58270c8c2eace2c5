"""Analysts' decisions applied to a hand-written graph (carekg.api.example_graph): exact ids, exact outcomes.

The example graph's content is fixed (no extractor involved), so every id, outcome and reason line is known.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph

from carekg.api import example_graph
from carekg.review.corrections import Correction
from carekg.review.decisions import apply_delta, open_view, plan_corrections, raw_view
from carekg.networks.export import export_rows
from carekg.vocab.namespace import CL, PREFIXES, ST
from carekg.store.sparql import execute
from carekg.graph.validate import validate_graph

TRUST = "example-trust.txt"
RAISE = f"{TRUST}/example-trust/raise-care-leaving-age/0-58"
UNREGULATED = f"{TRUST}/example-trust/unregulated-accommodation-standards/123-189"
CARD = f"{TRUST}/example-trust/emergent-national-care-leavers-card/191-236"
COUNCIL_RAISE = "sample-council.txt/sample-council/raise-care-leaving-age/71-124"
CLAIM = f"{TRUST}/60-121"
GONE = f"{TRUST}/example-trust/raise-care-leaving-age/1-5"  # the id of a statement the graph does not have


def st(statement_id: str) -> str:
    return f"<{ST}{statement_id}>"


def cl(claim_id: str) -> str:
    return f"<{CL}{claim_id}>"


def row(action: str, number: int = 2, **cells: str) -> Correction:
    return Correction(action=action, by=cells.pop("by", "Ann Analyst"), row=number, **cells)


def adding(quote: str, document: str = TRUST) -> Correction:
    """An addition to the example graph that only its quote can make fail."""
    return row("add", document=document, actor="example-trust", proposal="raise-care-leaving-age", stance="support",
               quote=quote)


def store() -> ox.Store:
    return open_view(example_graph())


def corrected(rows: list[Correction], source=None):
    source = source if source is not None else store()
    delta = plan_corrections(source, rows)
    apply_delta(source, delta)
    return source, delta


def statements(source) -> set[tuple[str, str, str, str, str]]:
    return {(r["statement_id"], r["actor_id"], r["proposal_id"], r["stance"], r["decided_by"])
            for r in export_rows(source, "statements")[1]}


def triples(source) -> set[str]:
    if isinstance(source, Graph):
        return {f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in source}
    return {str(q.triple) for q in source}


def ask(source, sparql: str) -> bool:
    return execute(source, sparql, prefixes=PREFIXES)[1][0]["ask"]


def as_rdflib(source: ox.Store) -> Graph:
    graph = Graph()
    graph.parse(data=ox.serialize(source, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return graph


# --- statements -------------------------------------------------------------------------------

def test_reject_change_add_keep_the_extraction_and_the_decision_apart():
    source, delta = corrected([
        row("reject", 2, id=RAISE, note="a question, not an ask"),
        row("change", 3, id=UNREGULATED, stance="support"),
        row("add", 4, document="sample-council.txt", actor="Sample Council", proposal="emergent:national-care-leavers-card",
            stance="oppose", quote="backs national standards"),
    ])
    assert [(o.row, o.status, o.reason) for o in delta.outcomes] == [(2, "applied", ""), (3, "applied", ""),
                                                                       (4, "applied", "")]
    assert statements(source) == {
        (f"{UNREGULATED}/analyst", "example-trust", "unregulated-accommodation-standards", "support", "Ann Analyst"),
        (CARD, "example-trust", "emergent:national-care-leavers-card", "support", ""),
        ("sample-council.txt/sample-council/unregulated-accommodation-standards/0-69", "sample-council",
         "unregulated-accommodation-standards", "support", ""),
        (COUNCIL_RAISE, "sample-council", "raise-care-leaving-age", "support", ""),
        ("sample-council.txt/sample-council/emergent-national-care-leavers-card/15-39/analyst", "sample-council",
         "emergent:national-care-leavers-card", "oppose", "Ann Analyst"),
    }
    # PROV-O: the rejected statement keeps what was extracted and is invalidated by the analyst's decision;
    # the change is derived from the extracted statement and attributed to the analyst.
    assert ask(source, f"""ASK {{ {st(RAISE)} a ckg:SupersededStatement ; ckg:stance ckg:Support ;
        prov:wasGeneratedBy ?run ; prov:wasInvalidatedBy ?decision .
        ?decision a ckg:Correction, prov:Activity ; ckg:action "reject" ; prov:invalidated ?statement ;
            prov:wasAssociatedWith [ rdfs:label "Ann Analyst" ] ; skos:note "a question, not an ask" ;
            prov:used doc:example-trust.txt . }}""")
    assert not ask(source, f"ASK {{ {st(RAISE)} a ckg:StanceStatement }}")
    assert ask(source, f"""ASK {{ ?new ckg:stance ckg:Support ; a ckg:StanceStatement ;
        prov:wasDerivedFrom {st(UNREGULATED)} ; prov:wasAttributedTo ?analyst ;
        prov:wasGeneratedBy [ ckg:action "change" ; prov:wasAssociatedWith ?analyst ] ;
        oa:hasSelector/oa:exact "We do not support national standards for unregulated accommodation" .
        FILTER NOT EXISTS {{ ?new ckg:confidence ?c }} }}""")
    assert validate_graph(as_rdflib(source)) == []


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_the_raw_view_is_the_graph_as_extracted(engine):
    original = store() if engine == "oxigraph" else as_rdflib(store())
    before = triples(original)
    source, _ = corrected([
        row("reject", 2, id=RAISE), row("change", 3, id=UNREGULATED, actor="sample-council", proposal="raise-care-leaving-age"),
        row("accept", 4, id=CARD), row("add", 5, document=TRUST, actor="example-trust", proposal="raise-care-leaving-age",
                                         stance="support", quote="felt alone at 18"),
        row("reject-claim", 6, id=CLAIM), row("change-mention", 7, id=f"{TRUST}/author/example-trust", role="speaker",
                                                 actor="unknown-author"),
        row("add-mention", 8, document="sample-council.txt", actor="example-trust"),
    ], original)
    assert triples(source) != before
    assert triples(raw_view(source)) == before


def test_a_change_keeps_the_passage_and_the_evidence_and_sets_only_what_it_names():
    source, delta = corrected([row("change", id=RAISE, proposal="Support for parents after removal")])
    assert delta.outcomes[0].status == "applied"
    new = f"{TRUST}/example-trust/post-removal-support/0-58/analyst"
    assert (new, "example-trust", "post-removal-support", "support", "Ann Analyst") in statements(source)
    assert ask(source, f"ASK {{ {st(new)} ckg:evidence {cl(CLAIM)} }}")


# --- claims and mentions -------------------------------------------------------------------------

def test_claims_are_rejected_changed_and_added_the_same_way():
    source, delta = corrected([
        row("change-claim", 2, id=CLAIM, kind="research-finding", actor="sample-council"),
        row("add-claim", 3, document="sample-council.txt", actor="sample-council", quote="care leaving age raised"),
    ])
    assert [o.status for o in delta.outcomes] == ["applied", "applied"]
    claims = {(r["claim_id"], r["claimant_id"], r["kind"], r["values"], r["decided_by"])
              for r in export_rows(source, "claims")[1]}
    assert claims == {(f"{CLAIM}/analyst", "sample-council", "research-finding", "52 percent", "Ann Analyst"),
                      ("sample-council.txt/101-124/analyst", "sample-council", "assertion", "", "Ann Analyst")}
    # The statement that offered the extracted claim as evidence now offers the analyst's version.
    assert ask(source, f"ASK {{ {st(RAISE)} ckg:evidence {cl(CLAIM + '/analyst')} }}")
    source, _ = corrected([row("reject-claim", id=CLAIM)])
    assert export_rows(source, "claims")[1] == []
    assert execute(source, "SELECT ?c WHERE { ?c a schema:Claim }", prefixes=PREFIXES)[1] == []


def test_mentions_are_rejected_changed_and_added():
    source, delta = corrected([
        row("change-mention", 2, id=f"{TRUST}/author/example-trust", actor="sample-council"),
        row("add-mention", 3, document=TRUST, actor="Example Trust", role="speaker"),
        row("reject-mention", 4, id="sample-council.txt/author/sample-council"),
    ])
    assert [(o.status, o.reason) for o in delta.outcomes] == [
        ("applied", ""), ("applied", ""),
        ("failed", "the document would have no author left; change the mention to the right author instead")]
    mentions = {(r["mention_id"], r["decided_by"]) for r in export_rows(source, "organisations")[1]}
    assert mentions == {(f"{TRUST}/author/sample-council", "Ann Analyst"), (f"{TRUST}/speaker/example-trust", "Ann Analyst"),
                        ("sample-council.txt/author/sample-council", "")}
    assert validate_graph(as_rdflib(source)) == []


# --- what cannot apply ------------------------------------------------------------------------

@pytest.mark.parametrize("correction, status, reason", [
    (row("reject", id="nonsense"), "failed", "unknown statement id 'nonsense' (not a statement_id of statements.csv)"),
    (row("reject", id=f"{RAISE}/analyst"), "failed",
     f"'{RAISE}/analyst' is an analyst's statement: correct the row that makes it instead"),
    (row("reject", id=GONE), "orphaned", f"statement '{GONE}' no longer exists ({TRUST} or the extractor changed)"),
    (row("reject", id=GONE, quote="no such passage"), "orphaned",
     f"statement '{GONE}' no longer exists (its passage is no longer in {TRUST})"),
    (row("reject", id=f"{TRUST}/sample-council/raise-care-leaving-age/1-5", quote="Example Trust calls for"), "orphaned",
     f"statement '{TRUST}/sample-council/raise-care-leaving-age/1-5' no longer exists "
     f"(its passage is still in {TRUST}: the extractor no longer finds it there)"),
    (row("change", id=RAISE, actor="Nobody Known"), "failed", "unknown actor 'Nobody Known'"),
    (row("change", id=RAISE, proposal="qqqqqq"), "failed", "unknown proposal 'qqqqqq'"),
    (adding("x", "nowhere.txt"), "failed", "no document 'nowhere.txt' in the corpus"),
    (adding("care leaving age to 30"), "failed", f"quote not found in {TRUST}: 'care leaving age to 30'"),
    (adding("care leave"), "failed", f"quote occurs 2 times in {TRUST}; quote more of the passage: 'care leave'"),
    (row("reject-claim", id=f"{TRUST}/1-2"), "orphaned",
     f"claim '{TRUST}/1-2' no longer exists ({TRUST} or the extractor changed)"),
    (row("reject-mention", id=f"{TRUST}/mentioned/sample-council"), "orphaned",
     f"mention '{TRUST}/mentioned/sample-council' no longer exists ({TRUST} or the extractor changed)"),
    (row("change-mention", id=f"{TRUST}/author/example-trust", role="author"), "failed",
     f"change-mention leaves mention '{TRUST}/author/example-trust' as it is"),
])
def test_a_row_that_cannot_apply_is_one_outcome_and_the_graph_keeps_everything(correction, status, reason):
    source = store()
    before = triples(source)
    _, delta = corrected([correction], source)
    assert [(o.row, o.status, o.reason) for o in delta.outcomes] == [(2, status, reason)]
    assert triples(source) == before


def test_repeated_and_contradicting_rows_are_refused_and_the_others_apply():
    _, delta = corrected([
        row("reject", 2, id=RAISE), row("reject", 3, id=RAISE, by="Bob"),
        row("accept", 4, id=CARD), row("change", 5, id=CARD, stance="oppose"),
        row("change", 6, id=UNREGULATED, stance="support"),
    ])
    assert [(o.row, o.status, o.reason) for o in delta.outcomes] == [
        (2, "applied", ""),
        (3, "failed", f"repeats row 2 (statement '{RAISE}'); row 2 applies"),
        (4, "failed", f"contradicts row 5 on statement '{CARD}'; neither applies"),
        (5, "failed", f"contradicts row 4 on statement '{CARD}'; neither applies"),
        (6, "applied", ""),
    ]


def test_a_row_the_extractor_already_agrees_with_stands_as_an_accept():
    source, delta = corrected([
        row("change", 2, id=RAISE, stance="support"),
        row("add", 3, document="sample-council.txt", actor="sample-council", proposal="raise-care-leaving-age",
            stance="support", quote="wants the care leaving age"),
    ])
    assert [(o.status, o.reason) for o in delta.outcomes] == [
        ("redundant", f"the extractor already says so (statement '{RAISE}'); kept as an accept"),
        ("redundant", f"the extractor already says so (statement '{COUNCIL_RAISE}'); kept as an accept")]
    actions = execute(source, "SELECT ?action ?id WHERE { ?c ckg:action ?action ; ckg:decides ?id }", prefixes=PREFIXES)[1]
    assert sorted(r["action"] for r in actions) == ["accept", "accept"]
    assert len(statements(source)) == 5


def test_a_row_whose_passage_moved_applies_where_it_is_now():
    moved = f"{TRUST}/example-trust/raise-care-leaving-age/10-68"
    source, delta = corrected([row("reject", id=moved, quote="Example Trust calls for raising the care leaving age to 25")])
    assert [(o.status, o.id, o.reason) for o in delta.outcomes] == [
        ("moved", RAISE, f"statement '{moved}' is now '{RAISE}' (the document changed around its passage); "
                         f"applied there: put the new id in the row")]
    assert RAISE not in {s[0] for s in statements(source)}


# --- the ids where analysts see statements ---------------------------------------------------------

def test_statement_ids_are_in_query_results_and_the_views():
    from carekg.store.query import run
    from carekg.view.render import build_views

    source = store()
    supporters = run(source, "supporters", {"proposal": "raise-care-leaving-age"})
    assert [row["statement_id"] for row in supporters.rows] == [RAISE, COUNCIL_RAISE]
    page = build_views(source)["agreement.html"].decode("utf-8")
    # each quote's statement, in the page's data (its IRI, whose last part is the statement_id)
    assert f'/statement/{COUNCIL_RAISE}"' in page and f'/statement/{RAISE}"' in page
