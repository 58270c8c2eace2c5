"""Stage 7, review: what analysts decide about the extraction, and how good the extraction is.

Owns ``corrections.csv`` read and checked (:mod:`~carekg.review.corrections`),
applied to the graph as decisions (:mod:`~carekg.review.decisions`), anchored
to passages (:mod:`~carekg.review.anchors`), review sheets
(:mod:`~carekg.review.sheets`), and scoring against gold
(:mod:`~carekg.review.evaluate`, per stage :mod:`~carekg.review.stages`).

May import: :mod:`carekg.view` and the stages below it, and the base modules.
"""
