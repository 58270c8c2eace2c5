"""The vocabulary every stage shares: the lowest layer above :mod:`carekg.errors`.

Owns the ontology as code: the namespaces every IRI comes from
(:mod:`~carekg.vocab.namespace`, checked against ``ontology/``), the codebook
of proposals and the registry of organisations read from the ontology
(:mod:`~carekg.vocab.knowledge`), and the plain data model that extraction
produces and the graph writes (:mod:`~carekg.vocab.model`).

May import: :mod:`carekg.errors` only.
"""
