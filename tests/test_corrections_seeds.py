"""The analysts' round trip on the seeds: reject one statement, change one stance, add one missed statement.

Which statements the extractor finds in the seeds changes as the extractor improves, so the statements
to correct are picked from the build's own statements.csv; the added statement quotes a sentence of a seed
text (the seeds never change) with a proposal the extractor does not find there.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from carekg.cli import cli
from carekg.review.corrections import COLUMNS
from carekg.review.anchors import locate_quote
from carekg.vocab.namespace import PREFIXES
from carekg.networks.dna import StatementRecord, affiliation, agreement, divergence, read_statements
from carekg.store.sparql import execute, open_store

from .conftest import SEEDS

ADD_DOCUMENT = "003_c544c74edd8a9ece.txt"  # St Michael's Fellowship: its own services, in its own words
ADD_QUOTE = "We offer early interventions working with young mothers and fathers through pregnancy"
ADD_ACTOR = "st-michaels-fellowship"
ANALYST = "Ann Analyst"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_corrections(folder: Path, rows: list[dict[str, str]]) -> None:
    with (folder / "corrections.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def build(source: Path, out: Path, *options: str):
    return CliRunner().invoke(cli, ["build", str(source), "-o", str(out), *options])


@pytest.fixture(scope="module")
def decisions(seed_build_dir) -> dict:
    """The three decisions, picked from the uncorrected seed build."""
    extracted = read_csv(seed_build_dir / "statements.csv")
    rejected = next(r for r in extracted if r["document"] != ADD_DOCUMENT)
    changed = next(r for r in extracted if r["document"] not in (ADD_DOCUMENT, rejected["document"]))
    text = (SEEDS / ADD_DOCUMENT).read_text(encoding="utf-8")
    ((start, end),) = locate_quote(text, ADD_QUOTE)
    found = {r["proposal_id"] for r in extracted if r["document"] == ADD_DOCUMENT and r["actor_id"] == ADD_ACTOR
             and int(r["start"]) < end and start < int(r["end"])}
    proposal = next(p for p in ("invest-in-early-help", "post-removal-support", "family-help-funding",
                                "raise-care-leaving-age") if p not in found)
    flipped = "oppose" if changed["stance"] == "support" else "support"
    rows = [
        {"action": "reject", "id": rejected["statement_id"], "quote": rejected["quote"], "by": ANALYST,
         "note": "not a position"},
        {"action": "change", "id": changed["statement_id"], "stance": flipped, "by": ANALYST},
        {"action": "add", "document": ADD_DOCUMENT, "actor": ADD_ACTOR, "proposal": proposal, "stance": "support",
         "quote": ADD_QUOTE, "by": ANALYST, "note": "missed"},
    ]
    return {"extracted": extracted, "rejected": rejected, "changed": changed, "flipped": flipped,
            "proposal": proposal, "span": (start, end), "rows": rows}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, decisions) -> Path:
    folder = tmp_path_factory.mktemp("corrected") / "seeds"
    shutil.copytree(SEEDS, folder)
    write_corrections(folder, decisions["rows"])
    return folder


@pytest.fixture(scope="module")
def builds(corpus, tmp_path_factory) -> tuple[Path, Path]:
    """The corrected corpus built twice."""
    outs = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name)
        result = build(corpus, out)
        assert result.exit_code == 0, result.output
        assert "corrections   3 applied, 0 moved, 0 redundant, 0 orphaned, 0 failed" in result.output
        outs.append(out)
    return outs[0], outs[1]


def key(row) -> tuple:
    return (row["document"], row["actor_id"], row["proposal_id"], row["stance"], int(row["start"]), int(row["end"]))


def test_rebuilds_give_the_same_bytes(builds):
    first, second = builds
    for name in ("graph.ttl", "statements.csv", "claims.csv", "organisations.csv", "build-report.json",
                 "agreement.html", "divergence.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_the_export_shows_exactly_the_three_decisions(builds, decisions):
    rejected, changed = decisions["rejected"], decisions["changed"]
    expected = {key(r) for r in decisions["extracted"] if r["statement_id"] not in (rejected["statement_id"],
                                                                                     changed["statement_id"])}
    expected.add(key(dict(changed, stance=decisions["flipped"])))
    expected.add((ADD_DOCUMENT, ADD_ACTOR, decisions["proposal"], "support", *decisions["span"]))
    rows = read_csv(builds[0] / "statements.csv")
    assert {key(r) for r in rows} == expected
    assert len(rows) == len(decisions["extracted"])  # one out, one in place of another, one more
    by_analyst = {(r["statement_id"], r["decided_by"]) for r in rows if r["decided_by"]}
    start, end = decisions["span"]
    assert by_analyst == {
        (f"{changed['statement_id']}/analyst", ANALYST),
        (f"{ADD_DOCUMENT}/{ADD_ACTOR}/{decisions['proposal']}/{start}-{end}/analyst", ANALYST)}


def test_the_raw_export_is_the_extraction(builds, seed_build_dir):
    result = CliRunner().invoke(cli, ["export", "statements", str(builds[0] / "graph.ttl"), "--raw"])
    assert result.exit_code == 0, result.output
    assert result.output == (seed_build_dir / "statements.csv").read_text(encoding="utf-8")


def test_the_graph_keeps_provenance(builds, decisions):
    store = open_store(builds[0] / "graph.ttl")
    _, rows = execute(store, """
        SELECT ?action ?old ?new ?by ?note ?superseded WHERE {
          ?decision a ckg:Correction, prov:Activity ; ckg:action ?action ; prov:used ?doc ;
              prov:wasAssociatedWith ?analyst .
          ?analyst a prov:Agent ; rdfs:label ?by .
          OPTIONAL { ?decision skos:note ?note }
          OPTIONAL { ?decision prov:invalidated ?old . ?old prov:wasInvalidatedBy ?decision ;
                     prov:wasGeneratedBy ?run . ?run a prov:Activity }
          OPTIONAL { ?new prov:wasGeneratedBy ?decision ; prov:wasAttributedTo ?analyst ; a ckg:StanceStatement .
                     OPTIONAL { ?new prov:wasDerivedFrom ?derived } FILTER(!BOUND(?old) || ?derived = ?old) }
          BIND(EXISTS { ?old a ckg:SupersededStatement } && NOT EXISTS { ?old a ckg:StanceStatement } AS ?superseded)
        } ORDER BY ?action""", prefixes=PREFIXES)
    st = PREFIXES["st"]
    rejected, changed = decisions["rejected"]["statement_id"], decisions["changed"]["statement_id"]
    start, end = decisions["span"]
    assert [(r["action"], r["old"], r["new"], r["by"], r["note"], r["superseded"]) for r in rows] == [
        ("add", None, f"{st}{ADD_DOCUMENT}/{ADD_ACTOR}/{decisions['proposal']}/{start}-{end}/analyst", ANALYST, "missed",
         False),
        ("change", f"{st}{changed}", f"{st}{changed}/analyst", ANALYST, None, True),
        ("reject", f"{st}{rejected}", None, ANALYST, "not a position", True),
    ]


def test_the_corrections_query_lists_them_and_the_validation_passes(builds, decisions):
    result = CliRunner().invoke(cli, ["query", str(builds[0] / "graph.ttl"), "corrections", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    assert sorted((r["action"], r["id"], r["by"]) for r in rows) == [
        ("add", "", ANALYST), ("change", decisions["changed"]["statement_id"], ANALYST),
        ("reject", decisions["rejected"]["statement_id"], ANALYST)]
    report = json.loads((builds[0] / "build-report.json").read_text(encoding="utf-8"))
    assert report["validation"] == "conforms (whole graph)"
    assert [(r["row"], r["status"]) for r in report["corrections"]["rows"]] == [(2, "applied"), (3, "applied"),
                                                                                  (4, "applied")]


@pytest.mark.parametrize("duplicates", ["document", "include"])
@pytest.mark.parametrize("kind", [affiliation, agreement, divergence])
def test_network_weights_reflect_exactly_the_decisions(builds, seed_build_dir, decisions, kind, duplicates):
    raw = read_statements(open_store(seed_build_dir / "graph.ttl"))
    st = PREFIXES["st"]
    rejected, changed = st + decisions["rejected"]["statement_id"], st + decisions["changed"]["statement_id"]
    start, end = decisions["span"]
    records = [dataclasses.replace(r, stance=decisions["flipped"], statement=f"{changed}/analyst") if r.statement == changed
               else r for r in raw.records if r.statement != rejected]
    records.append(StatementRecord(ADD_ACTOR, decisions["proposal"], "support", ADD_DOCUMENT, statement="added",
                                   start=start, end=end))
    expected = kind(dataclasses.replace(raw, records=records), duplicates=duplicates)
    actual = kind(open_store(builds[0] / "graph.ttl"), duplicates=duplicates)

    def links(net) -> dict:
        return {tuple(sorted(map(str, (a, b)))): (d["weight"], d.get("stance")) for a, b, d in net.edges(data=True)}

    assert links(actual) == links(expected)
    if kind is affiliation and duplicates == "include":  # one statement less, one more: always visible here
        assert links(actual) != links(kind(raw, duplicates=duplicates))


def test_evaluate_against_the_decisions(builds, decisions):
    result = CliRunner().invoke(cli, ["evaluate", str(builds[0] / "graph.ttl"), "--corrections"])
    assert result.exit_code == 0, result.output
    reviewed = {decisions["rejected"]["document"], decisions["changed"]["document"], ADD_DOCUMENT}
    extracted = sum(1 for r in decisions["extracted"] if r["document"] in reviewed)
    assert "reviewed documents: 3 of 5 for statements, 0 for claims, 0 for organisations" in result.output
    kept = (extracted - 2) / extracted  # one rejected, one changed; what stands: as many (one changed, one added)
    assert f"statements (each)    P={kept:.3f} R={kept:.3f}" in result.output, result.output
    assert f"({extracted - 2}/{extracted} extracted kept, {extracted - 2}/{extracted} standing found" in result.output


def test_a_correction_whose_passage_disappears_is_reported_orphaned(corpus, decisions, tmp_path):
    edited = tmp_path / "seeds"
    shutil.copytree(corpus, edited)
    rejected = decisions["rejected"]
    path = edited / rejected["document"]
    text = path.read_text(encoding="utf-8")
    start, end = int(rejected["start"]), int(rejected["end"])
    path.write_text(text[:start] + " " * (end - start) + text[end:], encoding="utf-8")  # the passage goes, offsets stay
    result = build(edited, tmp_path / "out")
    assert result.exit_code == 0, result.output  # an orphaned correction is reported, it does not fail the build
    line = (f"orphaned: corrections.csv: row 2: statement '{rejected['statement_id']}' no longer exists "
            f"(its passage is no longer in {rejected['document']})")
    assert [entry for entry in result.stderr.splitlines() if entry.startswith(("orphaned", "failed"))] == [line]
    report = json.loads((tmp_path / "out" / "build-report.json").read_text(encoding="utf-8"))
    assert report["corrections"]["counts"] == {"applied": 2, "moved": 0, "redundant": 0, "orphaned": 1, "failed": 0}
    assert report["corrections"]["rows"][0] == {
        "row": 2, "action": "reject", "id": rejected["statement_id"], "status": "orphaned", "reason": line.split(": ", 3)[3]}


# --- bad rows among the good ones ---------------------------------------------------------------

@pytest.fixture(scope="module")
def bad_rows(decisions, tmp_path_factory) -> tuple[Path, list[str]]:
    """The three decisions followed by one row of each kind of bad input, and the line each must give."""
    folder = tmp_path_factory.mktemp("bad") / "seeds"
    shutil.copytree(SEEDS, folder)
    rejected = decisions["rejected"]["statement_id"]
    other = next(r["statement_id"] for r in decisions["extracted"]
                 if r["statement_id"] not in (rejected, decisions["changed"]["statement_id"]))
    times = len(locate_quote((SEEDS / ADD_DOCUMENT).read_text(encoding="utf-8"), "support"))
    add = {"action": "add", "document": ADD_DOCUMENT, "actor": ADD_ACTOR, "proposal": decisions["proposal"],
           "stance": "oppose", "by": ANALYST}
    rows = decisions["rows"] + [
        {"action": "reject", "id": "no-such-statement", "by": ANALYST},
        {"action": "change", "id": other, "actor": "qqqqqq", "by": ANALYST},
        dict(add, proposal="qqqqqq", quote=ADD_QUOTE),
        dict(add, quote="no such words here"),
        dict(add, quote="support"),
        {"action": "reject", "id": rejected, "by": "Bob"},
        {"action": "smite", "id": other, "by": ANALYST},
        {"action": "accept", "id": other},
        {"action": "accept", "id": other, "by": ANALYST},
        {"action": "reject", "id": other, "by": "Bob"},
    ]
    write_corrections(folder, rows)
    with (folder / "corrections.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"reject,{other},,,,,,,,{ANALYST},,one too many\n")
    lines = [
        "failed: corrections.csv: row 5: unknown statement id 'no-such-statement' (not a statement_id of statements.csv)",
        "failed: corrections.csv: row 6: unknown actor 'qqqqqq'",
        "failed: corrections.csv: row 7: unknown proposal 'qqqqqq'",
        f"failed: corrections.csv: row 8: quote not found in {ADD_DOCUMENT}: 'no such words here'",
        f"failed: corrections.csv: row 9: quote occurs {times} times in {ADD_DOCUMENT}; quote more of the passage: 'support'",
        f"failed: corrections.csv: row 10: repeats row 2 (statement '{rejected}'); row 2 applies",
        "failed: corrections.csv: row 11: unknown action 'smite'; use one of accept, reject, change, add, accept-claim, "
        "reject-claim, change-claim, add-claim, accept-mention, reject-mention, change-mention, add-mention",
        "failed: corrections.csv: row 12: 'by' is empty: say who decided",
        f"failed: corrections.csv: row 13: contradicts row 14 on statement '{other}'; neither applies",
        f"failed: corrections.csv: row 14: contradicts row 13 on statement '{other}'; neither applies",
        "failed: corrections.csv: row 15: has 12 fields for 11 columns",
    ]
    return folder, lines


def test_each_bad_row_is_one_line_and_the_rest_still_apply(bad_rows, builds, tmp_path):
    folder, lines = bad_rows
    result = build(folder, tmp_path / "strict", "--no-validate")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == lines + [
        "Error: some corrections failed (listed above; see build-report.json); --keep-going to accept"]
    assert "corrections   3 applied, 0 moved, 0 redundant, 0 orphaned, 11 failed" in result.stdout
    for name in ("statements.csv", "claims.csv", "organisations.csv"):  # nothing of the graph lost, the good rows applied
        assert (tmp_path / "strict" / name).read_bytes() == (builds[0] / name).read_bytes(), name
    keep_going = build(folder, tmp_path / "keep-going", "--no-validate", "--keep-going")
    assert keep_going.exit_code == 0, keep_going.output
    assert keep_going.stderr.splitlines() == lines


# --- the review round trip -------------------------------------------------------------------------

def test_review_sheet_round_trip_merges_without_duplicating(builds, corpus, decisions, tmp_path):
    graph = builds[0] / "graph.ttl"
    document = decisions["rejected"]["document"]
    sheet = tmp_path / "review.csv"
    runner = CliRunner()
    result = runner.invoke(cli, ["review", "export", str(graph), "--document", document, "-o", str(sheet)])
    assert result.exit_code == 0, result.output
    rows = read_csv(sheet)
    in_document = [r for r in decisions["extracted"] if r["document"] == document]
    assert [r["statement_id"] for r in rows] == [r["statement_id"] for r in in_document]
    assert [(r["decision"], r["by"], r["note"]) for r in rows if r["decision"]] == [("reject", ANALYST, "not a position")]
    assert result.output == f"Wrote {len(rows)} statements of 1 documents (1 already decided) to {sheet}\n"

    corrections = tmp_path / "corrections.csv"
    shutil.copy(corpus / "corrections.csv", corrections)
    before = corrections.read_bytes()
    untouched = runner.invoke(cli, ["review", "import", str(sheet), "--into", str(corrections), "--by", "Bob"])
    assert untouched.exit_code == 0, untouched.output
    assert untouched.output == f"Imported 1 decisions into {corrections}: 0 added, 0 replaced, 1 already there\n"
    assert corrections.read_bytes() == before

    # An analyst fills in the sheet: a new note on the reject, an accept, a change, and a statement added.
    undecided = [r for r in rows if not r["decision"]]
    edits = {rows.index(next(r for r in rows if r["decision"])): {"note": "praise, not a position"}}
    if undecided:
        edits[rows.index(undecided[0])] = {"decision": "accept"}
    if len(undecided) > 1:
        flipped = "oppose" if undecided[1]["stance"] == "support" else "support"
        edits[rows.index(undecided[1])] = {"decision": "change", "stance": flipped}
    for index, cells in edits.items():
        rows[index].update(cells)
    rows.append(dict.fromkeys(rows[0], "") | {"decision": "add", "document": ADD_DOCUMENT, "actor": ADD_ACTOR,
                                               "proposal": decisions["proposal"], "stance": "oppose",
                                               "quote": "Building trust means parents are more likely to ask for help."})
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    added = len(edits) - 1 + 1
    for attempt in ("first", "again"):
        result = runner.invoke(cli, ["review", "import", str(sheet), "--into", str(corrections), "--by", "Bob"])
        assert result.exit_code == 0, result.output
        expected = f"{added} added, 1 replaced, 0 already there" if attempt == "first" else \
            f"0 added, 0 replaced, {added + 1} already there"
        assert result.output == f"Imported {added + 1} decisions into {corrections}: {expected}\n"
    merged = read_csv(corrections)
    assert len(merged) == 3 + added
    assert merged[0]["note"] == "praise, not a position" and merged[0]["by"] == ANALYST
    assert {r["by"] for r in merged[3:]} == {"Bob"}
    change = [r for r in merged if r["action"] == "change" and r["by"] == "Bob"]
    assert all(r["actor"] == r["proposal"] == "" and r["stance"] for r in change)  # only what was edited

    folder = tmp_path / "seeds"
    shutil.copytree(corpus, folder)
    shutil.copy(corrections, folder / "corrections.csv")
    built = build(folder, tmp_path / "out", "--no-validate")
    assert built.exit_code == 0, built.output
    assert f"corrections   {3 + added} applied, 0 moved, 0 redundant, 0 orphaned, 0 failed" in built.output


def test_review_export_needs_documents_and_imports_report_bad_rows(builds, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["review", "export", str(builds[0] / "graph.ttl"), "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 2 and "choose documents with --document FILE (patterns allowed) or --unreviewed" in result.output
    result = runner.invoke(cli, ["review", "export", str(builds[0] / "graph.ttl"), "-d", "nothing*", "-o", "r.csv"])
    assert result.exit_code == 1 and result.output == "Error: no document of the graph matches 'nothing*'\n"
    result = runner.invoke(cli, ["review", "export", str(builds[0] / "graph.ttl"), "--unreviewed",
                                 "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    assert "of 2 documents (0 already decided)" in result.output
    sheet = tmp_path / "r.csv"
    rows = read_csv(sheet)
    rows[0]["decision"] = "maybe"
    rows[1]["stance"] = "oppose" if rows[1]["stance"] == "support" else "support"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(cli, ["review", "import", str(sheet), "--into", str(tmp_path / "c.csv")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "r.csv: row 2: unknown decision 'maybe'; use one of accept, reject, change, add (or leave it empty)",
        "r.csv: row 3: actor, proposal or stance edited but no decision; write change to keep the edit",
        "Error: 2 row(s) not imported (listed above); --keep-going to accept"]


def test_unreviewed_and_raw_queries(builds, decisions):
    graph = str(builds[0] / "graph.ttl")
    result = CliRunner().invoke(cli, ["query", graph, "unreviewed", "--format", "csv"])
    reviewed = {decisions["rejected"]["document"], decisions["changed"]["document"], ADD_DOCUMENT}
    assert [r["document"] for r in csv.DictReader(result.output.splitlines())] == sorted(
        p.name for p in SEEDS.glob("*.txt") if p.name not in reviewed)
    counted = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ckg:StanceStatement ; prov:wasAttributedTo ?analyst }"
    for raw, expected in ((False, "2"), (True, "0")):
        result = CliRunner().invoke(cli, ["query", graph, counted, "--format", "csv", *(["--raw"] if raw else [])])
        assert result.output.splitlines() == ["n", expected], result.output


@pytest.mark.parametrize("name", ["corrections", "unreviewed", "evidence", "supporters"])
def test_both_engines_answer_alike_on_a_corrected_graph(builds, name):
    from carekg.store.query import query_graph

    graph = builds[0] / "graph.ttl"
    rdflib_rows, oxigraph_rows = (query_graph(graph, name, store=store).rows for store in ("rdflib", "oxigraph"))
    assert rdflib_rows == oxigraph_rows
    assert rdflib_rows or name == "evidence"


def test_a_graph_too_large_for_memory_is_queried_on_disk_with_the_same_outputs(corpus, builds, tmp_path, monkeypatch):
    """Above MEMORY_STORE_MAX_TRIPLES the outputs query the on-disk store, corrections applied to it: same bytes."""
    from carekg import build as build_module
    from carekg.build import build as build_graph

    monkeypatch.setattr(build_module, "MEMORY_STORE_MAX_TRIPLES", 0)
    queried = []
    monkeypatch.setattr(build_module, "_store_from_ntriples", lambda *parts: queried.append(parts))
    summary = build_graph(corpus, tmp_path / "disk", jobs=2)
    assert not queried and summary.corrections is not None and not summary.failed
    first = builds[0]
    for name in ("graph.ttl", "statements.csv", "claims.csv", "organisations.csv", "agreement.html", "divergence.html"):
        assert (tmp_path / "disk" / name).read_bytes() == (first / name).read_bytes(), name

    from carekg.store.canned import canned_queries
    from carekg.store.query import query_graph

    from .test_query import normalised

    for query in canned_queries():  # the canned answers: the same rows (GROUP_CONCAT's order is unspecified)
        assert normalised(query_graph(tmp_path / "disk", query.name)) == normalised(query_graph(first, query.name))
