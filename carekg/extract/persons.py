"""Persons, their roles and organisations, and the author of a text.

English introduces a person who speaks in a few regular ways, each handled
here: next to a speech verb ("said Jane Doe", "Jane Doe, Director of X,
said"), at the start of a paragraph ("Jane Doe, chair of X, wrote …"), in a
sign-off ("Jane Doe, Head of Policy, X") and in a byline ("By Jane Doe",
"Posted on 4 May by Jane Doe"). A role phrase names the person's job and
often their organisation: the organisation becomes ``member_of`` and only the
job is kept as the role title ("Chief Executive of the X Trust" -> "Chief
Executive", member of the X Trust; "its director" -> the organisation named
just before).

When the manifest gives no publisher, the author is recovered from the text:
a self-naming opening ("The X Trust today called on …", "X welcomes …",
"At X, we …"), a sign-off, or a byline — else it stays unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from carekg.extract.actors import ORG_HEADS, ROLE_WORDS, SPEECH_VERBS, AgentIndex, Hit, person_name_at, \
    person_name_before
from carekg.extract.sentences import Line, Sent
from carekg.extract.text import fold_key, slugify
from carekg.model import Agent, Mention, Span


@dataclass
class Actors:
    """Everything known about agents in one document."""

    author_id: str
    agents: dict[str, Agent] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    hits: dict[int, list[Hit]] = field(default_factory=dict)  # line index -> hits
    speakers: dict[int, list[str]] = field(default_factory=dict)  # sentence index -> actor ids
    persons: dict[str, str] = field(default_factory=dict)  # folded name -> person id


def registry_agent(index: AgentIndex, agent_id: str) -> Agent:
    reg = index.knowledge.agents[agent_id]
    kind = "person" if reg.type == "person" else "organisation"
    return Agent(reg.id, reg.name, kind=kind, in_registry=True, member_of=reg.member_of,
                 role_title=reg.role, organisation_type=None if kind == "person" else reg.type)


def ensure_agent(index: AgentIndex, agents: dict[str, Agent], agent_id: str) -> None:
    """Add a registry agent (and the organisation of a registry person)."""
    if agent_id not in agents and agent_id in index.knowledge.agents:
        agents[agent_id] = registry_agent(index, agent_id)
        member = agents[agent_id].member_of
        if member:
            ensure_agent(index, agents, member)


# -- persons -------------------------------------------------------------------
def add_person(actors: Actors, index: AgentIndex, name: str, role: str | None, org: str | None) -> str:
    reg = index.resolve(name)
    if reg and not index.knowledge.is_person(reg):
        # A capitalised two-word name before "calls for"/"said" can be a known
        # organisation ("Care Review"): it speaks as itself, never as a person.
        ensure_agent(index, actors.agents, reg)
        return reg
    if reg:
        ensure_agent(index, actors.agents, reg)
        actors.persons[fold_key(name)] = reg
        actors.persons[fold_key(name.split()[-1])] = reg
        return reg
    person_id = slugify(name)
    if org:
        ensure_agent(index, actors.agents, org)
    role = (role or "").strip(" ,;:-") or None
    old = actors.agents.get(person_id)
    if old is not None and old.kind == "person":  # a second mention keeps what the first one knew
        org = org or old.member_of
        role = role or old.role_title
    actors.agents[person_id] = Agent(person_id, name, kind="person", member_of=org, role_title=role)
    actors.persons[fold_key(name)] = person_id
    actors.persons[fold_key(name.split()[-1])] = person_id
    return person_id


def _is_org(actors: Actors, agent_id: str) -> bool:
    return actors.agents.get(agent_id, Agent("", "")).kind == "organisation"


# Words that join a job to its organisation: "Director of X", "head of policy at X".
_ROLE_LINKS = frozenset({"of", "at", "for", "from", "with", "the", ",", "-", "and", "in"})
_POSSESSIVES = frozenset({"its", "their"})


def _role(line: Line, actors: Actors, start: int, end: int) -> tuple[str | None, str | None]:
    """(job title, organisation id) of the role phrase in tokens [start, end).
    The organisation named in the phrase is cut off the title (English puts
    it after "of/at/for": "Chief Executive of the X Trust"); "its/their
    director" points back to the last organisation named before."""
    doc = line.doc
    if doc is None or start >= end:
        return None, None
    org_hit = next((h for h in actors.hits.get(line.index, [])
                    if start <= h.start < end and _is_org(actors, h.agent_id)), None)
    stop = end
    org = None
    if org_hit is not None:
        org, stop = org_hit.agent_id, org_hit.start
    elif doc[start].lower_ in _POSSESSIVES:
        org = _org_before(line, actors, start)
        start += 1
    while stop > start and doc[stop - 1].lower_ in _ROLE_LINKS:
        stop -= 1
    while start < stop and doc[start].text in (",", "-", "the"):
        start += 1
    title = doc[start:stop].text if stop > start else None
    return title, org


def _org_before(line: Line, actors: Actors, token: int) -> str | None:
    """The last organisation named before a token of the line (this line first)."""
    before = [h for h in actors.hits.get(line.index, []) if h.end <= token and _is_org(actors, h.agent_id)]
    if before:
        return before[-1].agent_id
    for index in range(line.index - 1, max(-1, line.index - 4), -1):
        hits = [h for h in actors.hits.get(index, []) if _is_org(actors, h.agent_id)]
        if hits:
            return hits[-1].agent_id
    return None


def find_persons(lines: list[Line], actors: Actors, index: AgentIndex, text: str) -> None:
    """Persons next to speech verbs, in sign-offs, and registry persons."""
    for line in lines:
        doc = line.doc
        if doc is None:
            continue
        for hit in actors.hits.get(line.index, []):
            if index.knowledge.is_person(hit.agent_id):
                reg = index.knowledge.agents[hit.agent_id]
                actors.persons[fold_key(reg.name)] = reg.id
                actors.persons[fold_key(reg.name.split()[-1])] = reg.id
        for i in [k for k, low in enumerate(line.lowers) if low in SPEECH_VERBS]:
            # "said Jane Doe, Director of the X Trust"
            end = person_name_at(doc, i + 1)
            if end > i + 1:
                role_end = _role_end(doc, end)
                add_person(actors, index, doc[i + 1:end].text, *_role(line, actors, end + 1, role_end))
                continue
            # "Jane Doe said" / "Jane Doe, Director of X, said"
            stop = i
            if i > 0 and doc[i - 1].text == ",":
                comma = next((k for k in range(i - 2, max(-1, i - 25), -1) if doc[k].text == ","), None)
                if comma is not None:
                    start = person_name_before(doc, comma)
                    if start < comma and _has_role(doc, comma + 1, i - 1):
                        add_person(actors, index, doc[start:comma].text, *_role(line, actors, comma + 1, i - 1))
                        continue
                stop = i - 1
            start = person_name_before(doc, stop)
            if start < stop:
                add_person(actors, index, doc[start:stop].text, None, None)
        # "Josh Smith, chair of the X review, wrote in the report." at line start
        if line.kind in ("body", "heading") and len(doc) > 3:
            end = person_name_at(doc, 0)
            if end and end < len(doc) and doc[end].text == "," and _has_role(doc, end + 1, min(len(doc), end + 15)):
                role_end = _role_end(doc, end)
                add_person(actors, index, doc[:end].text, *_role(line, actors, end + 1, role_end))
    _sign_off(lines, actors, index, text)


def _has_role(doc: Doc, start: int, end: int) -> bool:
    return any(doc[k].lower_ in ROLE_WORDS for k in range(start, min(end, len(doc))))


def _role_end(doc: Doc, start: int) -> int:
    """The role phrase after a name: ", Director of X," up to a comma/stop."""
    if start >= len(doc) or doc[start].text != ",":
        return start
    k = start + 1
    while k < len(doc) and doc[k].text not in (",", ".", ";", ":", '"') and k - start < 20:
        k += 1
    return k if _has_role(doc, start + 1, k) else start


def _sign_off(lines: list[Line], actors: Actors, index: AgentIndex, text: str) -> None:
    """"Name, Role[, Org]" on the last lines: the signers of the text (one
    per line; a joint letter ends with several)."""
    tail = [l for l in lines if l.doc is not None][-6:]
    for line in tail:
        doc = line.doc
        end = person_name_at(doc, 0)
        if end and end < len(doc) and doc[end].text == "," and line.words <= 15 \
                and _has_role(doc, end + 1, len(doc)):
            name = doc[:end].text
            person = add_person(actors, index, name, *_role(line, actors, end + 1, len(doc)))
            actors.mentions.append(Mention(person, "speaker", Span.of(text, line.start, line.start + len(name))))


# -- bylines and author recovery ----------------------------------------------------
_BYLINE_STOPS = frozenset({",", "|", "-", "(", "on", "in", "for", "/"})


def byline(lines: list[Line], actors: Actors, index: AgentIndex) -> str | None:
    """A byline near the top: a short line with "by Jane Doe" ("By Jane
    Doe", "Posted on 4 May 2023 by Jane Doe", "Words by Jane Doe | Policy
    Lead"); the name must end the line or be followed by punctuation."""
    for line in [l for l in lines if l.doc is not None][:6]:
        doc = line.doc
        if len(doc) > 20:
            continue
        for k, low in enumerate(line.lowers):
            if low != "by":
                continue
            end = person_name_at(doc, k + 1)
            if end > k + 1 and (end == len(doc) or doc[end].lower_ in _BYLINE_STOPS):
                name = doc[k + 1:end].text
                if any(w.lower() in ORG_HEADS for w in name.split()):
                    continue
                title = None
                if end < len(doc) and doc[end].text in (",", "|", "-"):
                    title, _ = _role(line, actors, end + 1, len(doc))
                return add_person(actors, index, name, title if title and _has_role(doc, end, len(doc)) else None,
                                  None)
    return None


# Verbs with which a press release names its own organisation in its first
# sentence ("X today called on …", "X welcomes …", "X is urging …").
_SELF_NAMING = frozenset("""
welcomes welcomed welcome responds responded calls called calling urges urged urging believes believe
supports supported opposes opposed warns warned warning publishes published launches launched announces
announced rejects rejected backs backed demands demanded
""".split())
# Words between the name and its verb that do not change who acts.
_BETWEEN = frozenset({"today", "yesterday", "warmly", "has", "have", "is", "are", "strongly", "also", "now",
                      "firmly", "this", "week", "morning", "has", "(", ")"})


def recover_author(lines: list[Line], sents: list[Sent], actors: Actors, index: AgentIndex) -> str | None:
    """A self-naming opening sentence, "At X, we …", a sign-off, a byline."""
    opening = {s.index for s in sents[:40] if s.line.kind in ("body", "item")}
    opening = set(sorted(opening)[:3])
    for sent in sents[:40]:
        doc, i0 = sent.line.doc, sent.span.start
        for hit in actors.hits.get(sent.line.index, []):
            if not (sent.span.start <= hit.start < sent.span.end):
                continue
            before = [t.lower_ for t in doc[i0:hit.start]]
            after = [t.lower_ for t in doc[hit.end:min(hit.end + 6, sent.span.end)]]
            if before in (["at"], ["at", "the"]) and after[:2] == [",", "we"]:
                return hit.agent_id
            # acronym in parentheses after the name: "The X Trust (XT) today called"
            while len(after) >= 3 and after[0] == "(" and after[2] == ")":
                after = after[3:]
            verbs = [w for w in after if w not in _BETWEEN]
            if sent.index in opening and before in ([], ["the"]) and verbs and verbs[0] in _SELF_NAMING \
                    and _is_org(actors, hit.agent_id):
                return hit.agent_id
    for mention in actors.mentions:  # sign-off
        person = actors.agents[mention.agent_id]
        return person.member_of or person.id
    return byline(lines, actors, index)
