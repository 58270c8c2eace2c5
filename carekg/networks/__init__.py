"""Stage 5, networks: statements as agreement and divergence networks, coalitions, tables.

Owns the networks with DNA's semantics (:mod:`~carekg.networks.dna`), the
coalitions found in them (:mod:`~carekg.networks.coalitions`), the context
around a quote (:mod:`~carekg.networks.passages`) and the statements, claims
and organisations tables (:mod:`~carekg.networks.export`).

May import: :mod:`carekg.store` and the stages below it, and the base modules.
"""
