"""SHACL validation of a graph against ``ontology/shapes.ttl``, with readable violations."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import SH

from carekg.vocab.knowledge import ontology_graph, shapes_graph
from carekg.vocab.namespace import bind_prefixes


@dataclass(frozen=True)
class Violation:
    """One SHACL result, reduced to what a person needs to fix it."""

    focus: str
    path: str
    message: str
    severity: str

    def line(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}"


def validate_graph(graph: Graph) -> list[Violation]:
    """Validate ``graph``; return its violations sorted by focus node (empty when it conforms).

    The graph is checked merged with the ontology, so that codebook proposals and
    registry agents it only refers to are typed (built graphs already contain them).
    """
    from pyshacl import validate  # slow to import; only needed here

    merged = ontology_graph()
    merged += graph
    conforms, report, _ = validate(merged, shacl_graph=shapes_graph(), inference="none", advanced=True)
    if conforms:
        return []
    bind_prefixes(report)
    bind_prefixes(graph)
    violations = []
    for result in report.subjects(SH.resultSeverity, None):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=focus.n3(graph.namespace_manager) if focus is not None else "?",
                path=path.n3(graph.namespace_manager) if path is not None else "",
                message=str(message) if message is not None else "violates a shape",
                severity=severity.n3(report.namespace_manager).split(":")[-1] if severity is not None else "Violation",
            )
        )
    return sorted(set(violations), key=lambda v: (v.focus, v.path, v.message))
