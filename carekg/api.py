"""The graph in a notebook: ``carekg.load(path)`` and pandas tables.

>>> import carekg
>>> path = example_graph()   # a two-document graph of invented organisations, in a temporary folder
>>> kg = carekg.load(path)
>>> supporters = kg.query("supporters", proposal="raise-care-leaving-age")
>>> supporters[["organisation", "quote"]].values.tolist()
[['Example Trust', 'Example Trust calls for raising the care leaving age to 25'], ['Sample Council', 'Sample Council also wants the care leaving age raised']]
>>> supporters["start"].dtype, supporters["confidence"].dtype
(dtype('int64'), dtype('float64'))
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from carekg.errors import CareKGError
from carekg.store.query import Result, open_source, run

if TYPE_CHECKING:  # pandas and networkx load only when a table or network is asked for
    import networkx
    import pandas

__all__ = ["CareGraph", "load", "example_graph"]


class CareGraph:
    """A carekg graph read into memory, with tables and networks for analysis.

    Build one with :func:`carekg.load`. ``store`` is ``"rdflib"`` or
    ``"oxigraph"``; both give the same rows, pyoxigraph much faster on large graphs.
    """

    def __init__(self, source: Any, store: str, path: Path | None = None):
        self.source = source
        self.store = store
        self.path = path

    def __repr__(self) -> str:
        return f"<CareGraph {self.path or '(in memory)'}: {len(self.source):,} triples on {self.store}>"

    def query(self, sparql: str, **bindings: Any) -> "pandas.DataFrame":
        """Run a canned query (by name), a ``.rq`` file or inline SPARQL; bind values by keyword.

        Canned queries convert values by their declared parameter types (a
        codebook id becomes the proposal's IRI); in inline SPARQL a value is a
        plain literal unless written ``"<iri>"``, and carekg's prefixes are
        predeclared (pyoxigraph binds only variables the query SELECTs).
        Numbers come back as numbers.

        >>> kg = load(example_graph())
        >>> kg.query("consensus")[["proposal_id", "supporters"]].values.tolist()
        [['raise-care-leaving-age', 2]]
        >>> int(kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a ckg:StanceStatement }")["n"].sum())
        5
        >>> kg.query("SELECT ?id ?label WHERE { ?a skos:notation ?id ; skos:prefLabel ?label }", id="sample-council")["label"].tolist()
        ['Sample Council']
        """
        return _frame(run(self.source, sparql, bindings))

    def statements(self) -> "pandas.DataFrame":
        """Every stance statement, with the columns of ``carekg export statements``.

        >>> load(example_graph()).statements()[["actor_id", "proposal_id", "stance"]].head(2).values.tolist()
        [['example-trust', 'raise-care-leaving-age', 'support'], ['example-trust', 'unregulated-accommodation-standards', 'oppose']]
        """
        return self._export("statements")

    def claims(self) -> "pandas.DataFrame":
        """Every evidence claim, with the columns of ``carekg export claims``.

        >>> load(example_graph()).claims()[["claimant_label", "kind", "quote"]].values.tolist()
        [['Example Trust', 'statistic', 'Over half of care leavers (52%) told us they felt alone at 18']]
        """
        return self._export("claims")

    def organisations(self) -> "pandas.DataFrame":
        """Every agent each document names, with its role (``carekg export organisations``).

        >>> load(example_graph()).organisations()[["organisation_id", "role"]].values.tolist()
        [['example-trust', 'author'], ['sample-council', 'author']]
        """
        return self._export("organisations")

    def network(self, kind: str, **options: Any) -> "networkx.Graph":
        """A networkx graph of the positions: ``affiliation``, ``agreement``, ``divergence`` or ``subtract``.

        Options (``normalization``, ``min_weight``, ``themes``, ``since``, …)
        are those of :func:`carekg.networks.dna.network`.

        >>> net = load(example_graph()).network("agreement")
        >>> sorted(net.nodes), net["example-trust"]["sample-council"]["weight"]
        (['example-trust', 'sample-council'], 1)
        """
        try:
            from carekg.networks.dna import network
        except ImportError as exc:  # networks need scipy; say what is missing rather than fail on import carekg
            raise CareKGError(f"networks are not available: {exc}") from exc
        return network(self.source, kind, **options)

    @staticmethod
    def queries() -> "pandas.DataFrame":
        """The canned queries with their parameters and descriptions.

        >>> "supporters" in set(CareGraph.queries()["name"])
        True
        """
        import pandas as pd

        from carekg.store.query import canned_queries

        return pd.DataFrame(
            [
                {
                    "name": q.name,
                    "parameters": ", ".join(f"{p.name} ({p.type})" for p in q.parameters.values()),
                    "description": q.description,
                }
                for q in canned_queries()
            ]
        )

    def _export(self, kind: str) -> "pandas.DataFrame":
        from carekg.networks.export import export_rows

        columns, rows = export_rows(self.source, kind)
        return _frame(Result(columns, rows, self.store))


def _frame(result: Result) -> "pandas.DataFrame":
    """Rows as a DataFrame; pandas infers int64/float64 from the Python numbers the engines return."""
    import pandas as pd

    return pd.DataFrame.from_records(result.rows, columns=result.columns)


def load(path: Path | str, store: str = "auto", raw: bool = False) -> CareGraph:
    """Open a graph for analysis: a build folder, its ``graph.ttl``, or any ``.ttl``/``.nt`` file.

    ``store`` is ``"rdflib"``, ``"oxigraph"`` or ``"auto"``: pyoxigraph when
    the build's on-disk store is beside the file (opened read-only, in
    milliseconds) or for files over :data:`carekg.store.query.AUTO_OXIGRAPH_BYTES`. The graph is the
    one the analysts corrected (corrections.csv); ``raw=True`` gives it as
    the extractor made it.

    >>> load(example_graph(), store="oxigraph").store
    'oxigraph'
    """
    source, engine = open_source(path, store, raw)
    return CareGraph(source, engine, Path(path))


# --- a tiny example graph, for docstrings, tests and trying things out -----------------

_EXAMPLE_TEXTS = {
    "example-trust.txt": (
        "Example Trust calls for raising the care leaving age to 25. "
        "Over half of care leavers (52%) told us they felt alone at 18. "
        "We do not support national standards for unregulated accommodation. "
        "We also ask for a national care leavers' card."
    ),
    "sample-council.txt": (
        "Sample Council backs national standards for unregulated accommodation. "
        "Sample Council also wants the care leaving age raised."
    ),
}


_example_path: Path | None = None  # written once per process when no path is given


def example_graph(path: Path | str | None = None) -> Path:
    """Write a two-document graph of invented organisations (Example Trust, Sample Council).

    The texts are made up for examples: Example Trust supports raising the care
    leaving age (with a 52% statistic), opposes unregulated-accommodation
    standards and asks for an uncoded "national care leavers' card"; Sample
    Council supports both codebook proposals. Returns the path written
    (a cached temporary file when ``path`` is None).
    """
    import atexit
    import shutil
    import tempfile

    from carekg.graph.triples import extraction_triples, ontology_triples, write_graph
    from carekg.vocab.knowledge import load_knowledge
    from carekg.vocab.model import Agent, Claim, Document, EmergentProposal, Extraction, Mention, Quantity, Span, Statement

    global _example_path
    if path is None:
        if _example_path is not None and _example_path.is_file():
            return _example_path
        folder = tempfile.mkdtemp(prefix="carekg-example-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _example_path = path = Path(folder) / "graph.ttl"
    path = Path(path)

    def span(text: str, phrase: str) -> Span:
        start = text.index(phrase)
        return Span.of(text, start, start + len(phrase))

    trust_text, council_text = _EXAMPLE_TEXTS["example-trust.txt"], _EXAMPLE_TEXTS["sample-council.txt"]
    trust = Agent("example-trust", "Example Trust", organisation_type="charity")
    council = Agent("sample-council", "Sample Council", organisation_type="public-body")
    card = EmergentProposal("emergent:national-care-leavers-card", "a national care leavers' card")
    claim = Claim("example-trust", "statistic", span(trust_text, "Over half of care leavers (52%) told us they felt alone at 18"),
                  values=(Quantity(52.0, "percent", "52%"),), proposal_id="raise-care-leaving-age", confidence=0.9)
    extractions = [
        Extraction(
            Document("example-trust.txt", trust_text, "Example Trust briefing", "example-trust", "2021-06", "en"),
            agents={trust.id: trust}, mentions=[Mention(trust.id, "author")], claims=[claim], emergent={card.id: card},
            statements=[
                Statement(trust.id, "raise-care-leaving-age", "support",
                          span(trust_text, "Example Trust calls for raising the care leaving age to 25"), 0.9, (claim.key,)),
                Statement(trust.id, "unregulated-accommodation-standards", "oppose",
                          span(trust_text, "We do not support national standards for unregulated accommodation"), 0.8),
                Statement(trust.id, card.id, "support", span(trust_text, "We also ask for a national care leavers' card"), 0.6),
            ],
        ),
        Extraction(
            Document("sample-council.txt", council_text, "Sample Council statement", "sample-council", "2022-01-12", "en"),
            agents={council.id: council}, mentions=[Mention(council.id, "author")],
            statements=[
                Statement(council.id, "unregulated-accommodation-standards", "support",
                          span(council_text, "Sample Council backs national standards for unregulated accommodation"), 0.8),
                Statement(council.id, "raise-care-leaving-age", "support",
                          span(council_text, "Sample Council also wants the care leaving age raised"), 0.7),
            ],
        ),
    ]
    knowledge = load_knowledge()
    triples = list(ontology_triples())
    for extraction in extractions:
        triples.extend(extraction_triples(extraction, knowledge))
    write_graph(triples, path)
    return path
