"""Stage 3, graph: an extraction as RDF triples, read and written, and checked against the shapes.

Owns the triples of a document and of the ontology (:mod:`~carekg.graph.triples`),
RDF parsing and serialisation of any size (:mod:`~carekg.graph.rdfio`), SHACL
validation (:mod:`~carekg.graph.validate`) and the build's sampled background
check (:mod:`~carekg.graph.buildcheck`).

May import: :mod:`carekg.extract`, :mod:`carekg.ingest`, :mod:`carekg.vocab`, and the base modules.
"""
