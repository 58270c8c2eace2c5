"""Stage 1, read: a corpus folder (text, HTML, PDF, DOCX) into :class:`~carekg.vocab.model.Document` objects.

Owns reading files safely (size limits, encodings, zip bombs), the manifest's
metadata, and the outcome of every input file (:mod:`~carekg.ingest.corpus`),
and HTML to text (:mod:`~carekg.ingest.htmltext`).

May import: :mod:`carekg.vocab`, and the base modules (:mod:`carekg.errors`, :mod:`carekg.stopping`).
"""
