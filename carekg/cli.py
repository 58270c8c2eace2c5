"""The ``carekg`` command line: parse arguments, call the library, print.

No logic lives here. Library errors (``carekg.errors.CareKGError``) become one
``Error: …`` line and exit code 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from carekg import __version__
from carekg.errors import BuildStopped, CareKGError

EXAMPLES = """\b
Examples:
  carekg build seeds -o build              build the graph, exports and views
  carekg validate build/graph.ttl          check the graph against the SHACL shapes
  carekg export statements build/graph.ttl -o statements.csv
  carekg evaluate build/graph.ttl --gold tests/gold --per-document
  carekg crossval                          leave-one-document-out scores over the hand-coded sets
  carekg network build/graph.ttl --kind divergence -o divergence.html
  carekg query build/graph.ttl supporters --bind proposal=raise-care-leaving-age
  carekg serve build                       a read-only SPARQL endpoint at http://127.0.0.1:7878/query
  carekg push build/graph.ttl --endpoint http://127.0.0.1:7878/store
  carekg review export build/graph.ttl --document '00*.txt' -o review.csv
  carekg review import review.csv --into corpus/corrections.csv --by "Ann Analyst"
"""


class CareKGGroup(click.Group):
    """A group that turns library errors into one clean error line."""

    def invoke(self, ctx: click.Context) -> Any:
        import warnings

        from carekg.store.disk import StoreNotUsed

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", StoreNotUsed)
                shown = warnings.showwarning
                warnings.showwarning = lambda message, category, *rest: (
                    click.echo(f"warning: {message}", err=True) if issubclass(category, StoreNotUsed)
                    else shown(message, category, *rest))
                return super().invoke(ctx)
        except (CareKGError, BuildStopped) as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=CareKGGroup, epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="carekg")
def cli() -> None:
    """Build and question a knowledge graph of the children's social care reform debate."""


# --- building -------------------------------------------------------------------

@cli.command()
@click.argument("source", default="seeds", type=click.Path(path_type=Path))
@click.option("-o", "--out", default="build", show_default=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(min=1), help="Worker processes for extraction.")
@click.option("--max-mb", default=50.0, show_default=True, type=click.FloatRange(min=0, min_open=True), help="Size limit per document, in MB.")
@click.option("--keep-going", is_flag=True, help="Exit 0 even when some files or corrections failed or the SHACL check found violations (still reported).")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check of the built graph.")
def build(source: Path, out: Path, jobs: int, max_mb: float, keep_going: bool, no_validate: bool) -> None:
    """Build the graph of a corpus folder (default: seeds) into OUT.

    Writes OUT/graph.ttl, the CSV exports, OUT/build-report.json and OUT/run.json,
    and OUT/store/: the same graph in an Oxigraph store (with the canned
    queries' answers) that query, export, network, serve and carekg.load open
    read-only instead of parsing graph.ttl.
    A bad file (empty, binary, corrupt, encrypted, scanned, too large, a bad
    manifest row) gets one line and the others still build; the exit code is
    then 1 unless --keep-going, as when the SHACL check finds violations.
    Warnings and skipped files do not fail a build. SIGTERM, SIGHUP and
    Ctrl-C stop the workers and remove the temporary folder.

    The analysts' decisions in SOURCE/corrections.csv are applied on every
    build; a bad row gets one line naming it (exit 1 unless --keep-going), a
    row whose statement no longer exists is reported as orphaned.

    \b
    Example:
      carekg build seeds -o build --jobs 2
    """
    from carekg.build import build as run_build

    with _progress("Extracting") as progress:
        summary = run_build(source, out, jobs=jobs, max_bytes=int(max_mb * 1e6), validate=not no_validate,
                            progress=progress.update, stage=progress.stage)
    for line in summary.problem_lines():  # one line per problem, naming the file
        click.echo(line, err=True)
    counts = summary.counts()
    click.echo(f"Built {click.format_filename(out / 'graph.ttl')} from {click.format_filename(source)}")
    for label, value in (
        ("documents", summary.documents), ("organisations", summary.organisations),
        ("statements", summary.statements), ("claims", summary.claims), ("triples", summary.triples),
    ):
        click.echo(f"  {label:<14}{value:>10,}")
    click.echo(f"  {'SHACL':<14}{summary.validation:>10}")
    if summary.corrections is not None:
        click.echo(f"  {'corrections':<14}" + ", ".join(f"{n} {s}" for s, n in summary.corrections.counts().items()))
    click.echo(f"  {'files':<14}{counts['built']} built, {counts['warning']} with warnings, {counts['failed']} failed, {counts['skipped']} skipped")
    click.echo(f"  {'outputs':<14}{', '.join(sorted(p.name for p in summary.files.values()))}")
    conflicts = summary.conflict_line()
    if conflicts:
        click.echo(f"  {'conflicts':<14}{conflicts}")
    failure = summary.failure()
    if failure and not keep_going:
        raise click.ClickException(failure)


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
def validate(graph: Path) -> None:
    """Check a graph against the SHACL shapes; exit 1 on any violation.

    \b
    Example:
      carekg validate build/graph.ttl
    """
    from carekg.graph.triples import load_graph
    from carekg.graph.validate import validate_graph

    violations = validate_graph(load_graph(graph))
    for violation in violations:
        click.echo(violation.line())
    if violations:
        raise click.ClickException(f"{graph} has {len(violations)} SHACL violation(s)")
    click.echo(f"{graph} conforms to the carekg shapes")


@cli.command()
@click.argument("kind", type=click.Choice(["statements", "claims", "organisations"]))
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="CSV file to write (default: standard output).")
@click.option("--raw", is_flag=True, help="As the extractor found them, without the analysts' corrections.")
def export(kind: str, graph: Path, output: Path | None, raw: bool) -> None:
    """Export statements, claims or organisations of a graph as CSV.

    Spreadsheet-safe: a text cell starting with =, +, -, @, a tab or a
    carriage return gets a leading apostrophe, so it is never run as a formula.

    \b
    Example:
      carekg export statements build/graph.ttl -o statements.csv
      carekg export statements build/graph.ttl --raw -o extracted.csv
    """
    from carekg.review.decisions import open_view
    from carekg.networks.export import csv_bytes, export_rows, write_export

    store = open_view(graph, raw=raw)
    if output is None:
        columns, rows = export_rows(store, kind)
        click.echo(csv_bytes(columns, rows).decode("utf-8"), nl=False)
        return
    count = write_export(store, kind, output)
    click.echo(f"Wrote {count:,} {kind} to {output}")


@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--gold", "gold_dir", default="tests/gold", show_default=True, type=click.Path(path_type=Path), help="Folder of hand-coded gold CSVs.")
@click.option("--per-document", is_flag=True, help="Also print the scores of each document.")
@click.option("--corrections", "against_decisions", is_flag=True,
              help="Score against the analysts' decisions (corrections.csv) on the documents they reviewed, not --gold.")
@click.option("--stages", is_flag=True,
              help="Score each extraction stage (position, proposal, stance, holder) on the gold passages instead.")
def evaluate(graph: Path, gold_dir: Path, per_document: bool, against_decisions: bool, stages: bool) -> None:
    """Score a graph's extraction against hand-coded gold files.

    Prints precision, recall and F1 for statements (strict and lenient),
    claims and organisations, then the misses and false positives.

    \b
    Example:
      carekg evaluate build/graph.ttl --gold tests/gold --per-document
  carekg network build/graph.ttl --kind divergence -o divergence.html
    """
    if stages:
        if against_decisions:
            raise click.UsageError("--stages scores against --gold, not --corrections")
        from carekg.review.stages import stage_report_for_graph

        click.echo(stage_report_for_graph(graph, gold_dir).format(per_document=per_document))
        return
    if against_decisions:
        from carekg.review.sheets import evaluate_decisions

        click.echo(evaluate_decisions(graph).format(per_document=per_document))
        return
    from carekg.review.evaluate import evaluate_graph_file, format_evaluation

    click.echo(format_evaluation(evaluate_graph_file(graph, gold_dir), per_document=per_document))


@cli.command()
@click.argument("sets", nargs=-1, metavar="[DOCS:GOLD]...")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(min=1), help="Worker processes for extraction.")
def crossval(sets: tuple[str, ...], jobs: int) -> None:
    """Score the extractor by leave-one-document-out cross-validation.

    Every document is read by a proposal recogniser refit without that
    document's own examples, so the scores are those of a text the extractor
    never learned from. Prints each set's scores (statements strict and
    lenient, claims, organisations), their sum over all sets, and the recall
    of the three proposals the project is named for.

    With no arguments, from the repository root: the seeds (tests/gold), the
    devset and devset-b. Otherwise each argument is a folder of documents and
    its gold folder, as DOCS:GOLD.

    \b
    Examples:
      carekg crossval
      carekg crossval tests/devset-b/docs:tests/devset-b/gold
    """
    from carekg.crossval import cross_validate, default_sets, parse_set

    chosen = [parse_set(value) for value in sets] if sets else default_sets(".")
    click.echo(cross_validate(chosen, jobs=jobs, progress=lambda name: click.echo(f"cross-validating {name} …", err=True)).format())


# --- explorer (networks and views) ------------------------------------------------

@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--kind", default="agreement", show_default=True,
              type=click.Choice(["affiliation", "agreement", "divergence", "subtract"]),
              help="Two-mode organisation–proposal, or one-mode agreement (DNA congruence), divergence (conflict) or subtract.")
@click.option("--normalize", "normalization", default="none", show_default=True,
              type=click.Choice(["none", "average", "jaccard", "cosine", "activity", "prominence"]),
              help="One-mode: average, jaccard, cosine; affiliation: activity, prominence (as DNA defines them).")
@click.option("--theme", "themes", multiple=True, help="Only proposals of this codebook theme (repeatable).")
@click.option("--proposal", "proposals", multiple=True, help="Only this proposal id (repeatable).")
@click.option("--organisation-type", "organisation_types", multiple=True,
              help="Only organisations of this type: charity, government, review, … (repeatable).")
@click.option("--since", help="Only documents published in or after this date (YYYY, YYYY-MM or YYYY-MM-DD); "
              "see 'Dates' below.")
@click.option("--until", help="Only documents published in or before this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--min-weight", default=0.0, show_default=True, type=click.FloatRange(min=0), help="Drop links lighter than this.")
@click.option("--duplicates", default="document", show_default=True, type=click.Choice(["document", "include"]),
              help="Count a repeated statement once per document (the first in the text), or every time.")
@click.option("--keep-persons", is_flag=True, help="Keep persons apart instead of folding them into their organisation.")
@click.option("--merge-renamed", is_flag=True, help="Count a renamed organisation's statements for its successor.")
@click.option("--dna-conflict", is_flag=True, help="Divergence/subtract without carekg's contradicting-proposal links (DNA's conflict).")
@click.option("--max-nodes", type=click.IntRange(min=1), help="HTML only: draw at most this many nodes (default 2000).")
@click.option("--max-edges", type=click.IntRange(min=0), help="HTML only: draw at most this many links (default 10000).")
@click.option("--raw", is_flag=True, help="From the statements as extracted, without the analysts' corrections.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="FILE.html, .graphml, .gexf or .csv.")
def network(graph: Path, kind: str, normalization: str, themes: tuple[str, ...], proposals: tuple[str, ...],
            organisation_types: tuple[str, ...], since: str | None, until: str | None, min_weight: float, duplicates: str,
            keep_persons: bool, merge_renamed: bool, dna_conflict: bool, max_nodes: int | None, max_edges: int | None,
            raw: bool, output: Path) -> None:
    """Build a network of who agrees or disagrees with whom, and write it as FILE.

    The format follows the extension: an offline interactive view (.html),
    GraphML or GEXF for Gephi, or a CSV edge list. Weights follow the
    Discourse Network Analyzer; coalitions are found on the agreement network.

    Duplicates: with --duplicates document, one-mode networks count one
    statement per document, organisation, proposal and stance; the affiliation
    network, as DNA's two-mode export, one per document, organisation and
    proposal (the first in the text, whatever its stance).

    Dates: a document counts when its publication date falls inside
    --since/--until; one dated only by month or year counts when that month or
    year overlaps the window (so --since 2021-06 keeps a document dated 2021;
    DNA would date it 2021-01-01 and leave it out). Undated documents are left
    out whenever --since or --until is given, and the command says how many.

    \b
    Example:
      carekg network build/graph.ttl --kind divergence --since 2021 -o divergence.html
      carekg network build/graph.ttl --kind agreement --normalize jaccard -o agreement.graphml
    """
    from carekg.review.decisions import open_view
    from carekg.view.netexport import write_network

    report = write_network(
        open_view(graph, raw=raw), kind, output, normalization=normalization, min_weight=min_weight, duplicates=duplicates,
        themes=list(themes) or None, proposals=list(proposals) or None, organisation_types=list(organisation_types) or None,
        since=since, until=until, fold_persons=not keep_persons, merge_renamed=merge_renamed,
        max_nodes=max_nodes, max_edges=max_edges, **({"contradictions": False} if dna_conflict else {}),
    )
    line = (f"Wrote the {report.kind} network ({_count(report.nodes, 'node')}, {_count(report.edges, 'link')}, "
            f"{_count(report.coalitions, 'coalition')}")
    if report.polarisation is not None:
        line += f", polarisation {report.polarisation:.2f}"
    click.echo(f"{line}) to {report.path}")
    if report.undated_dropped is not None:
        click.echo(f"Left out {_count(report.undated_dropped, 'undated document')}: --since/--until keep dated documents only.")


def _count(number: int, thing: str) -> str:
    return f"{number:,} {thing}{'' if number == 1 else 's'}"


# --- workbench (queries) ------------------------------------------------------------

@cli.command("query")
@click.argument("graph", required=False, type=click.Path(path_type=Path))
@click.argument("query", required=False)
@click.option("-b", "--bind", "bindings", multiple=True, metavar="NAME=VALUE",
              help="Bind a query variable (repeatable); typed by the canned query's header.")
@click.option("-f", "--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json"]), help="Output format.")
@click.option("--store", default="auto", show_default=True, type=click.Choice(["auto", "rdflib", "oxigraph"]),
              help="Query engine; auto picks pyoxigraph for graph files over 2 MB.")
@click.option("--raw", is_flag=True, help="Ask the graph as extracted, without the analysts' corrections.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds to read the graph and answer before the query is stopped (0: no limit).")
@click.option("--limit", type=click.IntRange(min=0), help="Show at most N rows (table output: 1,000 unless given).")
@click.option("--offset", default=0, type=click.IntRange(min=0), help="Skip the first N rows (with --limit, to page).")
@click.option("--list", "list_queries", is_flag=True, help="List the canned queries with their parameters and exit.")
def query(graph: Path | None, query: str | None, bindings: tuple[str, ...], fmt: str, store: str, raw: bool, timeout: float,
          limit: int | None, offset: int, list_queries: bool) -> None:
    """Ask GRAPH a read-only SPARQL question and print the answer.

    QUERY is the name of a canned query (see --list), a .rq file, or inline
    SPARQL (carekg's prefixes ckg:, cb:, ag:, oa:, skos: … are predeclared).
    Values given with --bind are bound, never pasted into the query: for
    canned queries a proposal id becomes its cb: IRI and an agent id its ag:
    IRI; inline, a value is a plain literal unless written <iri>. Queries never
    reach the network (SERVICE and FROM are refused). Table output shows the
    first 1,000 rows and how many there are in all; csv, tsv and json give all;
    --limit N and --offset N page through any of them.

    GRAPH is a build folder or a graph file; the build's store, when it is
    beside the file, is opened read-only (fast), and canned queries are
    answered from the rows the build computed for them.

    \b
    Example:
      carekg query --list
      carekg query build/graph.ttl supporters --bind proposal=raise-care-leaving-age
      carekg query build timeline --limit 20 --offset 40
      carekg query build/graph.ttl profile --bind organisation=become --format csv
      carekg query build/graph.ttl "SELECT (COUNT(*) AS ?n) WHERE { ?s a ckg:StanceStatement }"
    """
    import shutil

    from carekg.store.query import format_result, format_stream, listing, query_graph, row_limit, stream_graph

    if list_queries:
        click.echo(listing())
        return
    if graph is None or query is None:
        raise click.UsageError("give a GRAPH and a QUERY (or --list to see the canned queries)")
    values = {}
    for binding in bindings:
        name, sep, value = binding.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{binding}' is not NAME=VALUE", param_hint="'--bind'")
        values[name.strip()] = value
    if fmt != "table":  # every row, streamed: written as the engine finds them
        columns, rows = stream_graph(graph, query, values, store=store, raw=raw, limit=limit, offset=offset,
                                     timeout=timeout or None)
        for piece in format_stream(columns, rows, fmt):
            click.echo(piece, nl=False)
        return
    result = query_graph(graph, query, values, store=store, raw=raw, limit=row_limit(fmt, limit), offset=offset,
                         timeout=timeout or None)
    click.echo(format_result(result, fmt, width=shutil.get_terminal_size((100, 24)).columns))

@cli.command()
@click.argument("build", type=click.Path(path_type=Path))
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 127.0.0.1 is this machine only, 0.0.0.0 every network it is on.")
@click.option("--cors", is_flag=True, help="Let web pages from other sites query it (browser tools such as YASGUI).")
def serve(build: Path, port: int, host: str, cors: bool) -> None:
    """Serve BUILD's graph as a read-only SPARQL 1.1 endpoint at /query.

    BUILD is a build folder (or its graph.ttl); its on-disk store is opened
    read-only. For tools that speak SPARQL: YASGUI, R, Jupyter SPARQL
    kernels, Gephi's SPARQL import. Queries by GET ?query=… or POST;
    updates are refused (403), and so are SERVICE and FROM, which would
    reach the network. Stops on Ctrl-C or SIGTERM.

    \b
    Example:
      carekg serve build
      curl -H 'Accept: text/csv' http://127.0.0.1:7878/query --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3'
    """
    from carekg.store.serve import open_endpoint, serve_until_stopped

    endpoint = open_endpoint(build, host, port, cors)
    click.echo(f"SPARQL endpoint (read-only) at {endpoint.url}; Ctrl-C to stop", err=False)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: other machines can query this graph", err=True)
    sys.stdout.flush()
    serve_until_stopped(endpoint)
    click.echo("Stopped.")


# --- review (analysts' corrections) --------------------------------------------------

@cli.group()
def review() -> None:
    """Review the extractor's statements in a spreadsheet and keep the decisions.

    Export the statements of chosen documents to a CSV with a decision column
    (accept, reject, change, add), fill it in, and import it back into the
    corpus's corrections.csv, which every build applies.

    \b
    Example:
      carekg review export build/graph.ttl --document 003_c544c74edd8a9ece.txt -o review.csv
      carekg review import review.csv --into corpus/corrections.csv --by "Ann Analyst"
    """


@review.command("export")
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("-d", "--document", "documents", multiple=True, metavar="FILE",
              help="A document to review, by file name; * and ? match any (repeatable).")
@click.option("--unreviewed", is_flag=True, help="Also every document nobody has decided on yet.")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="The review sheet (CSV) to write.")
def review_export(graph: Path, documents: tuple[str, ...], unreviewed: bool, output: Path) -> None:
    """Write the statements the extractor found in chosen documents as a review sheet.

    One row per statement, with the decision already taken on it if any; the
    rows analysts added so far come with the decision add.

    \b
    Example:
      carekg review export build/graph.ttl --document '00[0-2]*.txt' -o review.csv
    """
    from carekg.review.decisions import open_view
    from carekg.review.sheets import review_sheet, write_review_sheet

    if not documents and not unreviewed:
        raise click.UsageError("choose documents with --document FILE (patterns allowed) or --unreviewed")
    rows = review_sheet(open_view(graph, writable=True), list(documents), unreviewed)
    write_review_sheet(rows, output)
    decided = sum(1 for row in rows if row["decision"])
    click.echo(f"Wrote {len(rows):,} statements of {len({r['document'] for r in rows}):,} documents "
               f"({decided:,} already decided) to {output}")


@review.command("import")
@click.argument("sheet", type=click.Path(path_type=Path))
@click.option("--into", "corrections", required=True, type=click.Path(path_type=Path),
              help="The corpus's corrections.csv to merge the decisions into (created if missing).")
@click.option("--by", help="Who decided, for rows whose by column is empty.")
@click.option("--keep-going", is_flag=True, help="Exit 0 even when some rows could not be imported (they are still listed).")
def review_import(sheet: Path, corrections: Path, by: str | None, keep_going: bool) -> None:
    """Merge a filled-in review sheet's decisions into corrections.csv, never duplicating one.

    A decision on a statement corrections.csv already decides replaces the
    old one; rows without a decision are left out; a bad row gets one line
    naming it and the others are still imported (exit 1 unless --keep-going).

    \b
    Example:
      carekg review import review.csv --into corpus/corrections.csv --by "Ann Analyst"
    """
    from carekg.review.sheets import import_review

    report = import_review(sheet, corrections, by)
    for line in report.problems:
        click.echo(line, err=True)
    click.echo(f"Imported {report.decisions:,} decisions into {corrections}: {report.merge.line()}")
    if report.problems and not keep_going:
        raise click.ClickException(f"{len(report.problems)} row(s) not imported (listed above); --keep-going to accept")


# --- sharing (push) ------------------------------------------------------------------

@cli.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--endpoint", required=True, help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store.")
@click.option("--graph", "graph_iri", metavar="IRI", help="Named graph to replace (default: the default graph).")
@click.option("--append", is_flag=True, help="Add to the graph (HTTP POST) instead of replacing it (PUT).")
@click.option("--timeout", default=300.0, show_default=True, type=click.FloatRange(min=0, min_open=True), help="Seconds the whole push may take.")
@click.option("--follow", is_flag=True, help="Re-send the graph to a redirect on the same host (otherwise a redirect is an error).")
def push(graph: Path, endpoint: str, graph_iri: str | None, append: bool, timeout: float, follow: bool) -> None:
    """Send a graph file (.ttl or .nt) to a SPARQL 1.1 Graph Store Protocol endpoint.

    PUT replaces the target graph with the file (re-pushing is safe); --append
    POSTs it instead. Works with Oxigraph, Fuseki, GraphDB and other stores.
    Only a 2xx answer to the request that carried the graph counts as pushed.
    user:password@ in the endpoint is sent as HTTP Basic authentication and
    never printed.

    \b
    Example:
      oxigraph serve --location store --bind 127.0.0.1:7878 &
      carekg serve build                       a read-only SPARQL endpoint at http://127.0.0.1:7878/query
  carekg push build/graph.ttl --endpoint http://127.0.0.1:7878/store --graph https://w3id.org/carekg/graph
    """
    from carekg.store.push import push_graph

    result = push_graph(graph, endpoint, graph_iri, replace=not append, timeout=timeout, follow=follow)
    click.echo(f"Pushed {graph}: {result.line()}")



class _progress:
    """A progress bar that appears once a long corpus is known (and only on a terminal)."""

    def __init__(self, label: str, threshold: int = 20):
        self.label, self.threshold, self.bar = label, threshold, None

    def __enter__(self) -> "_progress":
        return self

    def update(self, done: int, total: int) -> None:
        if total < self.threshold or not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def stage(self, name: str) -> None:
        """After the bar, the later stages of a long build by name, on one line that each replaces."""
        if self.bar is not None and name != "extract":
            click.echo(f"\r\x1b[K{self.STAGES.get(name, name)}…", nl=False, err=True)

    STAGES = {"graph": "Building the graph", "validate": "Checking SHACL shapes", "corrections": "Applying corrections",
              "serialise": "Writing Turtle", "export": "Writing CSV exports", "views": "Drawing the network views",
              "store": "Writing the store", "answers": "Answering the canned queries", "write": "Renaming outputs into place"}

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)
            click.echo("\r\x1b[K", nl=False, err=True)


def main() -> None:
    cli()
