"""carekg: a knowledge graph of the debate on reforming children's social care.

The command line (``carekg --help``) runs the main jobs; from Python, start
with :func:`carekg.build.build` to build a graph from a corpus folder.
"""

__version__ = "0.1.0"
