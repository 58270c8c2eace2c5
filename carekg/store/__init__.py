"""Stage 4, store: the graph on disk and every way of questioning it.

Owns the build's on-disk Oxigraph store (:mod:`~carekg.store.disk`), running
SPARQL on it or on rdflib (:mod:`~carekg.store.sparql`), the canned queries
and their ``.rq`` files (:mod:`~carekg.store.canned`, ``queries/``), the
command line's questions (:mod:`~carekg.store.query`), the canned answers kept
at build time (:mod:`~carekg.store.answers`), the read-only SPARQL endpoint
(:mod:`~carekg.store.serve`), pushing to a triple store
(:mod:`~carekg.store.push`) and time-bounded queries (:mod:`~carekg.store.bounded`).

May import: :mod:`carekg.graph` and the stages below it, and the base modules.
"""
