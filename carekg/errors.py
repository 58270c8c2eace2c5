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


class LexiconError(CareKGError):
    """The extractor's word lists (carekg/extract/lexicon.yaml) are missing or malformed."""


class GraphError(CareKGError):
    """A graph file cannot be read or written."""


class OutputError(CareKGError):
    """An output cannot be written: the path is not a folder, is read-only, or the disk is full."""


class QueryError(CareKGError):
    """A SPARQL query is unknown, invalid, or not read-only."""


class RefusedQuery(QueryError):
    """A query carekg will not run: an update, or one that would reach the network."""


class ServeError(CareKGError):
    """The SPARQL endpoint cannot start (its address is taken or not this machine's)."""


class NetworkError(CareKGError):
    """A network cannot be built with the options given."""


class EvaluationError(CareKGError):
    """Gold files are missing or malformed."""


class PushError(CareKGError):
    """A graph cannot be sent: bad endpoint or graph IRI, unreachable server, or an HTTP error."""


class CorrectionsError(CareKGError):
    """A corrections or review file cannot be read or written."""


class BuildStopped(BaseException):
    """A build was stopped by SIGTERM or SIGHUP.

    Like ``KeyboardInterrupt`` it is not an ``Exception``, so that no ``except
    Exception`` on the way (the extractor guards every document with one)
    can swallow it; the CLI shows it as one ``Error:`` line, exit code 1.
    """

    def __init__(self, signum: int, written: bool = False):
        import signal

        name = signal.Signals(signum).name
        if written:  # the signal came while the outputs were being renamed into place
            message = f"build stopped by {name} just after its outputs were written (they are complete)"
        else:
            message = f"build stopped by {name}; temporary files removed, previous outputs left as they were"
        super().__init__(message)
        self.signum = signum
