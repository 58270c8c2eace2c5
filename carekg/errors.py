"""The project's exceptions. Library code raises these; the CLI turns them
into one clear error line and exit code 1."""


class CareKGError(Exception):
    """Base class of every error carekg raises on purpose."""


class SourceError(CareKGError):
    """A corpus folder or file cannot be read."""


class LoadError(CareKGError):
    """One document cannot be loaded (empty, binary, corrupt, unsupported)."""

    def __init__(self, file: str, problem: str):
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


class OntologyError(CareKGError):
    """The ontology files are missing or inconsistent."""


class GraphError(CareKGError):
    """A graph file cannot be read or written."""


class OutputError(CareKGError):
    """An output cannot be written: the path is not a folder, is read-only, or the disk is full."""


class QueryError(CareKGError):
    """A SPARQL query is unknown, invalid, or not read-only."""


class NetworkError(CareKGError):
    """A network cannot be built with the options given."""


class EvaluationError(CareKGError):
    """Gold files are missing or malformed."""


class PushError(CareKGError):
    """A graph cannot be sent: bad endpoint or graph IRI, unreachable server, or an HTTP error."""
