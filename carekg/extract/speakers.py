"""Who speaks where: the author, section headings, quotations and sign-offs.

The default speaker of every sentence is the document's author. English
moves the speaker in a few regular ways, each handled here:
- a heading line that is nothing but an organisation's name opens that
  organisation's section, up to the next such heading;
- a quotation is the words of the person or body the attribution names
  (`X said: "…"`, `"…," said X`, `X, Role of Y, wrote …` on the next line,
  `He told the BBC,` before it); a quotation running over several paragraphs
  stays with its speaker;
- reported speech without quotes (`X said that …`, `according to X, …`);
- a joint statement or letter "from A, B and C": each of them speaks.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc

from carekg.extract.actors import (
    ROLE_WORDS, RESEARCH_NOUNS, SPEECH_VERBS, AgentIndex, Hit, person_name_at, person_name_before,
)
from carekg.extract.sentences import Line, Sent
from carekg.extract.text import fold_key, slugify
from carekg.model import UNKNOWN_AUTHOR_ID, Agent, Document, Mention, Span

_SELF_NAMING = frozenset("""
welcomes welcomed welcome responds responded calls called urges urged believes believe is has
supports supported opposes opposed
""".split())
_JOINT = re.compile(r"\bjoint (statement|letter|response|submission|briefing)s? (from|by|signed by|of)\b", re.I)


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


def _agent(index: AgentIndex, agents: dict[str, Agent], agent_id: str) -> None:
    if agent_id not in agents and agent_id in index.knowledge.agents:
        agents[agent_id] = registry_agent(index, agent_id)
        member = agents[agent_id].member_of
        if member:
            _agent(index, agents, member)


def resolve_publisher(document: Document, index: AgentIndex, agents: dict[str, Agent]) -> str | None:
    """The manifest publisher as an agent id (registry id or a name slug)."""
    publisher = (document.publisher or "").strip()
    if not publisher:
        return None
    agent_id = publisher if publisher in index.knowledge.agents else index.resolve(publisher)
    if agent_id is None:
        agent_id = slugify(publisher)
        agents.setdefault(agent_id, Agent(agent_id, publisher))
    _agent(index, agents, agent_id)
    return agent_id


def find_actors(document: Document, lines: list[Line], sents: list[Sent], index: AgentIndex) -> Actors:
    """Agents named in the text, the author, the speaker of each sentence."""
    text = document.text
    agents: dict[str, Agent] = {}
    hits: dict[int, list[Hit]] = {}
    local: dict[str, str] = {}  # acronyms the text introduces
    for line in lines:
        if line.doc is None:
            continue
        reg = index.registry_hits(line.doc, line.index, line.start)
        new = index.discovered_hits(line.doc, line.index, line.start, [], agents, line.lowers, local)
        # a longer discovered name wins over a registry word inside it
        # ("Local Government Association" is not the Government)
        reg = [r for r in reg if not any(n.start <= r.start and r.end <= n.end and (n.end - n.start) > (r.end - r.start)
                                          for n in new)]
        new = [n for n in new if not any(r.start <= n.start and n.end <= r.end for r in reg)
               and not any(r.start < n.end and n.start < r.end for r in reg)]
        found = reg + new
        for hit in found:
            _agent(index, agents, hit.agent_id)
        hits[line.index] = sorted(found, key=lambda h: h.start)
    actors = Actors(UNKNOWN_AUTHOR_ID, agents, hits=hits)
    _find_persons(lines, actors, index, text)
    author = resolve_publisher(document, index, agents) or _recover_author(lines, sents, actors)
    actors.author_id = author or UNKNOWN_AUTHOR_ID
    if actors.author_id == UNKNOWN_AUTHOR_ID:
        agents[UNKNOWN_AUTHOR_ID] = Agent(UNKNOWN_AUTHOR_ID, "unknown author", kind="unknown")
    _assign_speakers(lines, actors, text)
    _roles(lines, actors, text)
    return actors


# -- persons -------------------------------------------------------------------
def _add_person(actors: Actors, index: AgentIndex, name: str, role: str | None, org: str | None) -> str:
    reg = index.resolve(name)
    if reg and index.knowledge.is_person(reg):
        _agent(index, actors.agents, reg)
        actors.persons[fold_key(name)] = reg
        actors.persons[fold_key(name.split()[-1])] = reg
        return reg
    person_id = slugify(name)
    if org:
        _agent(index, actors.agents, org)
    actors.agents[person_id] = Agent(person_id, name, kind="person", member_of=org,
                                     role_title=role.strip(" ,") if role else None)
    actors.persons[fold_key(name)] = person_id
    actors.persons[fold_key(name.split()[-1])] = person_id
    return person_id


def _org_in(actors: Actors, line: Line, start: int, end: int) -> str | None:
    for hit in actors.hits.get(line.index, []):
        if start <= hit.start < end and actors.agents.get(hit.agent_id, Agent("", "")).kind != "person":
            return hit.agent_id
    return None


def _find_persons(lines: list[Line], actors: Actors, index: AgentIndex, text: str) -> None:
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
                _add_person(actors, index, doc[i + 1:end].text, doc[end:role_end].text or None,
                            _org_in(actors, line, end, role_end))
                continue
            # "Jane Doe said" / "Jane Doe, Director of X, said"
            stop = i
            if i > 0 and doc[i - 1].text == ",":
                comma = next((k for k in range(i - 2, max(-1, i - 25), -1) if doc[k].text == ","), None)
                if comma is not None:
                    start = person_name_before(doc, comma)
                    if start < comma and _has_role(doc, comma + 1, i - 1):
                        _add_person(actors, index, doc[start:comma].text, doc[comma + 1:i - 1].text,
                                    _org_in(actors, line, comma, i))
                        continue
                stop = i - 1
            start = person_name_before(doc, stop)
            if start < stop:
                _add_person(actors, index, doc[start:stop].text, None, None)
        # "Josh Smith, chair of the X review, wrote in the report." at line start
        if line.kind in ("body", "heading") and len(doc) > 3:
            end = person_name_at(doc, 0)
            if end and end < len(doc) and doc[end].text == "," and _has_role(doc, end + 1, min(len(doc), end + 15)):
                role_end = _role_end(doc, end)
                _add_person(actors, index, doc[:end].text, doc[end + 1:role_end].text,
                            _org_in(actors, line, end, role_end))
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
    """"Name, Role" on one of the last lines: the signer of the text."""
    tail = [l for l in lines if l.doc is not None][-3:]
    for line in tail:
        doc = line.doc
        end = person_name_at(doc, 0)
        if end and end < len(doc) and doc[end].text == "," and line.words <= 15 \
                and _has_role(doc, end + 1, len(doc)):
            name = doc[:end].text
            org = _org_in(actors, line, end, len(doc))
            person = _add_person(actors, index, name, doc[end + 1:].text, org)
            actors.mentions.append(Mention(person, "speaker", Span.of(text, line.start, line.start + len(name))))


# -- author recovery -------------------------------------------------------------
def _recover_author(lines: list[Line], sents: list[Sent], actors: Actors) -> str | None:
    """A self-naming line ("At X, we …", "X welcomes …"), a sign-off, a byline."""
    for sent in sents[:40]:
        doc, i0 = sent.line.doc, sent.span.start
        for hit in actors.hits.get(sent.line.index, []):
            if not (sent.span.start <= hit.start < sent.span.end):
                continue
            before = doc[i0:hit.start].text.strip().lower()
            after = [t.lower_ for t in doc[hit.end:min(hit.end + 4, sent.span.end)]
                     if t.lower_ not in ("today", "yesterday", "warmly", "has", "have", "strongly", "also")]
            if before in ("at", "at the") and after[:2] == [",", "we"]:
                return hit.agent_id
            if before in ("", "the") and after and after[0] in _SELF_NAMING and \
                    actors.agents[hit.agent_id].kind == "organisation":
                return hit.agent_id
    for mention in actors.mentions:  # sign-off
        person = actors.agents[mention.agent_id]
        return person.member_of or person.id
    for line in lines[:5]:  # byline "By Jane Doe"
        if line.doc is not None and len(line.doc) <= 6 and line.doc[0].lower_ == "by":
            end = person_name_at(line.doc, 1)
            if end > 1:
                return actors.persons.get(fold_key(line.doc[1:end].text))
    return None


# -- speakers ----------------------------------------------------------------------
def _heading_agent(line: Line, actors: Actors) -> str | None:
    """The agent a heading line consists of (nothing else but punctuation)."""
    if line.kind not in ("heading", "body") or line.doc is None or line.words > 12:
        return None
    if line.text.rstrip()[-1:] in ".!?," and not line.text.isupper():
        return None
    hits = actors.hits.get(line.index, [])
    if len(hits) == 1:
        rest = [t for i, t in enumerate(line.doc) if not (hits[0].start <= i < hits[0].end)]
        if all(t.is_punct or t.lower_ == "the" for t in rest):
            if actors.agents[hits[0].agent_id].kind == "organisation":
                return hits[0].agent_id
    return None


def _quote_regions(text: str) -> list[tuple[int, int]]:
    """Quoted passages: curly pairs, else straight quotes paired per line; a
    quotation whose paragraph ends unclosed runs to the end of the line."""
    regions: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        i = 0
        while i < len(raw):
            ch = raw[i]
            if ch == "“" or (ch == '"' and (i == 0 or not raw[i - 1].isalnum())):
                close = re.compile(r"[”\"]").search(raw, i + 1)
                end = close.end() if close else len(raw)
                if end - i > 20:  # shorter ones are scare quotes, not speech
                    regions.append((pos + i, pos + end))
                i = end
                continue
            i += 1
        pos += len(raw) + 1
    return regions


def _attribution(doc: Doc, actors: Actors, line: Line, lo: int, hi: int) -> list[str]:
    """Speaker named in tokens [lo, hi) next to a speech verb, or a pronoun.
    A person beats an organisation (in "He told the BBC" the BBC is the
    audience, in "Jane Doe, Chair of X, said" X is her employer)."""
    verbs = [k for k in range(lo, hi) if doc[k].lower_ in SPEECH_VERBS]
    if not verbs:
        return []
    named = []  # known persons named in the range ("Jane Doe, Director of X, said")
    j = lo
    while j < hi:
        end = person_name_at(doc, j)
        if end > j and fold_key(doc[j:end].text) in actors.persons:
            named.append((min(abs(j - v) for v in verbs), actors.persons[fold_key(doc[j:end].text)]))
            j = end
        else:
            j += 1
    if named:
        return [min(named)[1]]
    if doc[lo].lower_ in ("he", "she", "they") and lo < verbs[0]:
        return ["<pronoun>"]
    hits = [h for h in actors.hits.get(line.index, []) if lo <= h.start < hi]
    people = [h for h in hits if actors.agents[h.agent_id].kind == "person"]
    for group in (people, hits):
        if group:
            return [min(group, key=lambda h: min(abs(h.start - v) for v in verbs)).agent_id]
    return []


def _assign_speakers(lines: list[Line], actors: Actors, text: str) -> None:
    current = [actors.author_id]
    regions = _quote_regions(text)
    region_starts = [r[0] for r in regions]
    last_person: str | None = None
    quote_speaker: dict[tuple[int, int], list[str]] = {}
    for line in lines:
        if line.doc is None:
            continue
        head = _heading_agent(line, actors)
        if head is not None:
            current = [head]
            actors.mentions.append(Mention(head, "author", Span.of(text, line.start, line.end)))
            continue
        joint = _JOINT.search(line.text)
        if joint:
            members = [h.agent_id for h in actors.hits.get(line.index, [])
                       if h.start_char >= line.start + joint.end()]
            if members:
                current = members
        for hit in actors.hits.get(line.index, []):
            if actors.agents[hit.agent_id].kind == "person":
                last_person = hit.agent_id
        for sent in line.sents:
            speakers = list(current)
            inside = [r for r in regions[max(0, bisect_right(region_starts, sent.start) - 1):
                                         bisect_left(region_starts, sent.end)]
                      if r[0] < sent.end and sent.start < r[1]]
            if inside:
                region = inside[0]
                if region not in quote_speaker:
                    quote_speaker[region] = _quote_owner(region, line, lines, actors, last_person, quote_speaker)
                if quote_speaker[region]:
                    speakers = quote_speaker[region]
            else:
                reported = _reported(sent, actors)
                if reported:
                    speakers = reported
            actors.speakers[sent.index] = speakers


def _quote_owner(region: tuple[int, int], line: Line, lines: list[Line], actors: Actors,
                 last_person: str | None, known: dict) -> list[str]:
    doc = line.doc
    first = min(bisect_left(line.idx, region[0] - line.start), max(0, len(doc) - 1))
    last = bisect_left(line.idx, region[1] - line.start)
    for lo, hi in ((last, min(len(doc), last + 14)), (max(0, first - 14), first)):
        found = _attribution(doc, actors, line, lo, hi)
        if found and found != ["<pronoun>"]:
            return found
    # the previous paragraph introduces it ("He told the BBC,") or it continues a quote
    prev = next((l for l in reversed(lines[:line.index]) if l.doc is not None), None)
    if prev is not None and first == 0:
        for other, owner in known.items():
            if prev.start <= other[0] < prev.end and owner:
                return owner
        if prev.text.rstrip().endswith((",", ":")):
            found = _attribution(prev.doc, actors, prev, 0, len(prev.doc))
            if found == ["<pronoun>"]:
                return [last_person] if last_person else []
            if found:
                return found
    nxt = next((l for l in lines[line.index + 1:] if l.doc is not None), None)
    if nxt is not None and line.text.rstrip().endswith(('"', "”")):
        found = _attribution(nxt.doc, actors, nxt, 0, min(len(nxt.doc), 30))
        if found and found != ["<pronoun>"]:
            return found
    return []


_REPORTING = frozenset({"said", "says", "argues", "argued", "believes", "believe", "warned", "warns", "told",
                        "added", "stated", "states", "insists", "insisted", "explained", "explains"})


def _reported(sent: Sent, actors: Actors) -> list[str]:
    """`X said (that) …`, `according to X, …`: the sentence is X's."""
    doc = sent.line.doc
    for hit in actors.hits.get(sent.line.index, []):
        if not (sent.span.start <= hit.start < sent.span.end):
            continue
        after = [t.lower_ for t in doc[hit.end:min(sent.span.end, hit.end + 2)]]
        lead = [t.lower_ for t in doc[sent.span.start:hit.start] if not t.is_punct]
        if lead in (["according", "to"], ["according", "to", "the"]):
            return [hit.agent_id]
        if lead in ([], ["the"], ["however"], ["however", "the"], ["but", "the"]) and after and (
                after[0] in _REPORTING or after[:2] in (["has", "said"], ["have", "said"], ["also", "said"])):
            return [hit.agent_id]
    return []


# -- roles --------------------------------------------------------------------------
def _roles(lines: list[Line], actors: Actors, text: str) -> None:
    """author, speaker (quoted or signing), cited-source (next to research
    nouns), mentioned (the rest)."""
    seen = {(m.agent_id, m.role) for m in actors.mentions}
    actors.mentions.insert(0, Mention(actors.author_id, "author"))
    seen.add((actors.author_id, "author"))
    spoken = {a for ids in actors.speakers.values() for a in ids}
    for line in lines:
        doc = line.doc
        if doc is None:
            continue
        for hit in actors.hits.get(line.index, []):
            window = [t.lower_ for t in doc[max(0, hit.start - 3):hit.start]] + \
                     [t.lower_ for t in doc[hit.end:hit.end + 3]]
            if hit.agent_id == actors.author_id:
                continue
            if any(w in RESEARCH_NOUNS for w in window):
                role = "cited-source"
            elif hit.agent_id in spoken:
                role = "speaker"
            else:
                role = "mentioned"
            if (hit.agent_id, role) not in seen:
                seen.add((hit.agent_id, role))
                actors.mentions.append(Mention(hit.agent_id, role, Span.of(text, hit.start_char, hit.end_char)))
    for agent_id in spoken:
        if agent_id not in (actors.author_id,) and not any(m.agent_id == agent_id for m in actors.mentions):
            actors.mentions.append(Mention(agent_id, "speaker"))
