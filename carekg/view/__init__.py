"""The HTML view's page: ``page.html``, ``view.css`` and ``view.js``, inlined by :mod:`carekg.render`."""
