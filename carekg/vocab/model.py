"""Plain records passed between loading, extraction and graph building.

Nothing here knows about RDF or click: the extractor produces these records,
``carekg.graph.triples`` turns them into triples, the exports read them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Stance = Literal["support", "oppose"]
ClaimKind = Literal["statistic", "research-finding", "assertion"]
Role = Literal["author", "speaker", "mentioned", "cited-source"]
AgentKind = Literal["organisation", "person", "unknown"]

UNKNOWN_AUTHOR_ID = "unknown-author"


@dataclass(frozen=True)
class Document:
    """A loaded document: its text exactly as decoded, plus manifest metadata."""

    file: str  # path relative to the corpus root, '/'-separated
    text: str
    title: str | None = None
    publisher: str | None = None  # registry id or a plain name, as in the manifest
    published: str | None = None  # "2021", "2021-08" or "2021-08-17"
    language: str | None = None
    source_note: str | None = None
    media_type: str = "text/plain"


@dataclass(frozen=True)
class Span:
    """A passage of a document: code-point offsets and the exact quote."""

    start: int
    end: int
    quote: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])


@dataclass(frozen=True)
class Agent:
    """An organisation or a person; ``id`` is a registry id or a name slug."""

    id: str
    label: str
    kind: AgentKind = "organisation"
    in_registry: bool = False
    member_of: str | None = None  # for persons: the organisation they speak for
    role_title: str | None = None  # for persons: "Chair", "Policy Officer", …
    organisation_type: str | None = None  # registry type string: charity, review, …


@dataclass(frozen=True)
class Mention:
    """An agent's role in one document."""

    agent_id: str
    role: Role
    span: Span | None = None


@dataclass(frozen=True)
class Quantity:
    """A value a claim states: 48 percent, 15000000000 GBP, 38 practices."""

    value: float | None
    unit: str
    text: str


@dataclass(frozen=True)
class Statement:
    """An actor's stance on a proposal, anchored to a passage."""

    actor_id: str
    proposal_id: str  # codebook id, or "emergent:<slug>"
    stance: Stance
    span: Span
    confidence: float = 0.5
    evidence: tuple[str, ...] = ()  # claim keys "<start>-<end>" offered for it


@dataclass(frozen=True)
class Claim:
    """An evidence claim (a statistic, a research finding, an assertion)."""

    claimant_id: str
    kind: ClaimKind
    span: Span
    values: tuple[Quantity, ...] = ()
    proposal_id: str | None = None
    cited_agent_id: str | None = None
    cited_text: str | None = None
    confidence: float = 0.5

    @property
    def key(self) -> str:
        return f"{self.span.start}-{self.span.end}"


@dataclass(frozen=True)
class EmergentProposal:
    """An ask that no codebook concept covers; ``id`` is "emergent:<slug>"."""

    id: str
    label: str


@dataclass
class Extraction:
    """Everything the extractor found in one document."""

    document: Document
    agents: dict[str, Agent] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    emergent: dict[str, EmergentProposal] = field(default_factory=dict)
