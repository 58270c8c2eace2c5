"""carekg: a knowledge graph of the debate on reforming children's social care.

The command line (``carekg --help``) runs the main jobs; from Python, start
with :func:`carekg.build.build` to build a graph from a corpus folder.
"""

__version__ = "0.1.0"


def load(path, store: str = "auto", raw: bool = False):
    """Open a graph for analysis: ``carekg.load("build").query("supporters", proposal="…")``.

    ``path`` is a build folder or a graph file; the build's store is used when
    it is there. Returns a :class:`carekg.api.CareGraph`; imported here lazily
    so ``import carekg`` stays light.
    """
    from carekg.api import load as _load

    return _load(path, store, raw)
