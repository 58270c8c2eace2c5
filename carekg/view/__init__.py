"""Stage 6, view: a network as one interactive, offline HTML page, and networks as files.

Owns the data the page reads (:mod:`~carekg.view.data`), node positions
(:mod:`~carekg.view.layout`), the page itself (:mod:`~carekg.view.render`, with
``page.html``, ``view.css`` and ``view.js`` in this folder, inlined by it) and
networks written as GraphML, GEXF, CSV or HTML (:mod:`~carekg.view.netexport`).

May import: :mod:`carekg.networks` and the stages below it, and the base modules.
"""
