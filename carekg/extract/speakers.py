"""Who speaks where: the author, section headings, quotations and sign-offs.

The default speaker of every sentence is the document's author. English
moves the speaker in a few regular ways, each handled here:
- a heading line that is nothing but an organisation's name opens that
  organisation's section, up to the next such heading;
- a quotation is the words of the person or body the attribution names
  (`X said: "…"`, `"…," said X`, `X, Role of Y, wrote …` on the next line,
  `He told the BBC,` before it); a quotation running over several paragraphs
  stays with its speaker;
- reported speech without quotes (`X said that …`, `according to X, …`),
  and a named body as the subject of an asking or judging verb (`X today
  called on …`, `X urged`, `X said it supported …`); a following "The
  charity also wants …" / "It said …" continues that body;
- a second quotation in the paragraph of `"…," said X.` is still X's;
- a joint statement or letter "from A, B and C": each of them speaks.
Bodies named as the source of evidence ("a survey by X", "figures from X")
are cited sources (``cited_hits``). Persons and authors: ``persons.py``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.tokens import Doc

from carekg.extract.actors import ORG_HEADS, RESEARCH_NOUNS, SPEECH_VERBS, AgentIndex, Hit, hit_at, person_name_at
from carekg.extract.persons import Actors, ensure_agent, find_persons, recover_author, registry_agent
from carekg.extract.sentences import Line, Sent
from carekg.extract.text import fold_key, slugify
from carekg.model import UNKNOWN_AUTHOR_ID, Agent, Document, Mention, Span

__all__ = ["Actors", "cited_hits", "find_actors", "registry_agent", "resolve_publisher"]

_JOINT = re.compile(r"\bjoint (statement|letter|response|submission|briefing)s? (from|by|signed by|of)\b", re.I)


def resolve_publisher(document: Document, index: AgentIndex, agents: dict[str, Agent]) -> str | None:
    """The manifest publisher as an agent id (registry id or a name slug)."""
    publisher = (document.publisher or "").strip()
    if not publisher:
        return None
    agent_id = publisher if publisher in index.knowledge.agents else index.resolve(publisher)
    if agent_id is None:
        agent_id = slugify(publisher)
        agents.setdefault(agent_id, Agent(agent_id, publisher))
    ensure_agent(index, agents, agent_id)
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
            ensure_agent(index, agents, hit.agent_id)
        hits[line.index] = sorted(found, key=lambda h: h.start)
    actors = Actors(UNKNOWN_AUTHOR_ID, agents, hits=hits)
    find_persons(lines, actors, index, text)
    author = resolve_publisher(document, index, agents) or recover_author(lines, sents, actors, index)
    actors.author_id = author or UNKNOWN_AUTHOR_ID
    if actors.author_id == UNKNOWN_AUTHOR_ID:
        agents[UNKNOWN_AUTHOR_ID] = Agent(UNKNOWN_AUTHOR_ID, "unknown author", kind="unknown")
    _short_references(lines, actors)
    _assign_speakers(lines, actors, text)
    _roles(lines, actors, text)
    return actors


def _short_references(lines: list[Line], actors: Actors) -> None:
    """"The Forum", "the Trust": once a text has named an organisation, English
    refers back to it by "the" + its capitalised head noun. Counted as a
    mention of that organisation when exactly one named organisation (the
    author included) has that head."""
    owners: dict[str, set[str]] = {}
    named = {h.agent_id for line_hits in actors.hits.values() for h in line_hits} | {actors.author_id}
    for agent_id in named:
        agent = actors.agents.get(agent_id)
        if agent is not None and agent.kind == "organisation" and " " in agent.label:
            head = agent.label.split()[-1]
            if head.lower() in ORG_HEADS and head[:1].isupper():
                owners.setdefault(head, set()).add(agent_id)
    heads = {head: next(iter(ids)) for head, ids in owners.items() if len(ids) == 1}
    if not heads:
        return
    for line in lines:
        if line.doc is None:
            continue
        line_hits = actors.hits.setdefault(line.index, [])
        busy = {i for h in line_hits for i in range(h.start, h.end)}
        doc = line.doc
        for i in range(len(doc) - 1):
            if doc[i].lower_ == "the" and doc[i + 1].text in heads and not busy.intersection((i, i + 1)):
                nxt = doc[i + 2] if i + 2 < len(doc) else None
                if nxt is not None and nxt.text[:1].isupper() and nxt.is_alpha:
                    continue  # "the Forum Committee": a longer name, not a reference back
                line_hits.append(hit_at(heads[doc[i + 1].text], doc, i, i + 2, line.index, line.start))
        line_hits.sort(key=lambda h: h.start)


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


# An opening quote: a curly one anywhere, a straight one not glued to a word
# before it; it runs to the next closing mark on its line, else to line end.
_OPEN_QUOTE = re.compile(r'“|(?<![^\W_])"')
_CLOSE_QUOTE = re.compile(r'[”"]')


def _quote_regions(text: str) -> list[tuple[int, int]]:
    """Quoted passages: curly pairs, else straight quotes paired per line; a
    quotation whose paragraph ends unclosed runs to the end of the line."""
    regions: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        if '"' in raw or "“" in raw:
            i = 0
            while True:
                m = _OPEN_QUOTE.search(raw, i)
                if m is None:
                    break
                close = _CLOSE_QUOTE.search(raw, m.end())
                end = close.end() if close else len(raw)
                if end - m.start() > 20:  # shorter ones are scare quotes, not speech
                    regions.append((pos + m.start(), pos + end))
                i = end
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
    last_reported: tuple[list[str], int] | None = None  # last body reported as speaking, its line
    for line in lines:
        if line.doc is None:
            continue
        head = _heading_agent(line, actors)
        if head is not None:
            current = [head]
            last_reported = None
            actors.mentions.append(Mention(head, "author", Span.of(text, line.start, line.end)))
            continue
        joint = _JOINT.search(line.text) if "joint" in line.lowers else None
        if joint:
            members = [h.agent_id for h in actors.hits.get(line.index, [])
                       if h.start_char >= line.start + joint.end()]
            if members:
                current = members
                # a joint text speaks as "we" for each of its signatories
                for member in dict.fromkeys(members):
                    if member != actors.author_id:
                        actors.mentions.append(Mention(member, "author"))
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
                    last_reported = (reported, line.index)
                elif last_reported and line.index - last_reported[1] <= 2 and _anaphoric(sent):
                    speakers = last_reported[0]
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
    # a second quotation in the paragraph of `"…," said X.` is still X's
    # ("“A,” said X, role at Y. “B.”"): the nearest earlier owned quote of the line
    for other in sorted(known, reverse=True):
        if line.start <= other[0] and other[1] <= region[0] and known[other]:
            return known[other]
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


# Verbs by which a named body states a position itself: reporting verbs and
# the asking / judging verbs of press copy ("X today called on ministers to",
# "X urged", "X welcomed", "X backed", "X said it supported") — general
# English: the grammatical subject of such a verb holds the position.
_REPORTING = frozenset("""
said says argues argued believes believe warned warns told added stated states insists insisted explained
explains called calls calling urged urges urging welcomed welcomes backed backs rejected rejects opposed
opposes supported supports criticised criticises criticized demanded demands wants wanted recommends
recommended responded responds
""".split())
# Words that may stand between the subject and its verb without changing who acts.
_BETWEEN = frozenset("""
today yesterday also has have had is are was were again now strongly warmly firmly publicly repeatedly
formally previously recently this last week night month morning earlier later already has
""".split())
# Words that may open the sentence before the subject ("But the X said").
_LEAD = frozenset("""
the however but and meanwhile separately elsewhere yet instead similarly likewise now today yesterday also
earlier later this week in a statement response
""".split())
# Anaphoric subjects: "The charity also wants …", "It said …" continue the
# last reported body (general English reference to the last-named body).
_BODY_NOUNS = frozenset("""
charity organisation organization trust association council coalition alliance network group union body
department review society federation foundation campaign government ministry authority
""".split())


def _verb_follows(doc, start: int, stop: int) -> bool:
    """Whether a reporting verb follows token ``start`` (skipping adverbs,
    auxiliaries and a parenthesised acronym)."""
    k = start
    while k < stop:
        low = doc[k].lower_
        if low == "(" and k + 2 < stop and doc[k + 2].text == ")":
            k += 3
            continue
        if low in _BETWEEN or low == ",":
            k += 1
            continue
        return low in _REPORTING
    return False


def _reported(sent: Sent, actors: Actors) -> list[str]:
    """`X said (that) …`, `X today called on …`, `according to X, …`: the
    sentence is X's."""
    doc = sent.line.doc
    for hit in actors.hits.get(sent.line.index, []):
        if not (sent.span.start <= hit.start < sent.span.end):
            continue
        lead = [t.lower_ for t in doc[sent.span.start:hit.start] if not t.is_punct]
        if lead in (["according", "to"], ["according", "to", "the"]):
            return [hit.agent_id]
        if len(lead) <= 5 and all(w in _LEAD for w in lead) and \
                _verb_follows(doc, hit.end, min(sent.span.end, hit.end + 8)):
            return [hit.agent_id]
    return []


def _anaphoric(sent: Sent) -> bool:
    """"The charity also wants …", "It said …": a subject that points back."""
    doc = sent.line.doc
    i, end = sent.span.start, sent.span.end
    while i < end and doc[i].lower_ in _LEAD and doc[i].lower_ not in ("the", "this"):
        i += 1
    if i < end and doc[i].lower_ == "it":
        return _verb_follows(doc, i + 1, min(end, i + 5))
    if i + 1 < end and doc[i].lower_ in ("the", "this") and doc[i + 1].lower_ in _BODY_NOUNS:
        return _verb_follows(doc, i + 2, min(end, i + 6))
    return False


# -- cited sources ------------------------------------------------------------------
# "a survey of 950 carers by the X", "figures published by the X", "research
# from X": a research noun, then within a few words "by/from (the)" and the
# body — general English for naming the source of evidence.
_SOURCE_LINKS = frozenset({"by", "from"})
_SOURCE_REACH = 12  # tokens between the research noun and the named source


def cited_hits(line: Line, actors: Actors) -> list[Hit]:
    """Agents a line names as the source of evidence: next to a research
    noun ("X research", "research from X"), after "by/from (the)" that
    follows a research noun in the same sentence, or "at the Y" right after
    such a source ("the X Centre at the University of Y")."""
    doc = line.doc
    hits = actors.hits.get(line.index, [])
    if doc is None or not hits:
        return []
    research = [k for k, low in enumerate(line.lowers) if low in RESEARCH_NOUNS]
    if not research:
        return []
    starts = {s.span.start: s for s in line.sents}
    sent_of = [0] * len(doc)
    current = 0
    for k in range(len(doc)):
        if k in starts:
            current = k
        sent_of[k] = current
    found: list[Hit] = []
    for hit in hits:
        near = any(hit.start - 3 <= k < hit.start or hit.end <= k < hit.end + 3 for k in research)
        k = hit.start - 1
        if k >= 0 and doc[k].lower_ == "the":
            k -= 1
        linked = k >= 0 and doc[k].lower_ in _SOURCE_LINKS and any(
            0 < k - r <= _SOURCE_REACH and sent_of[r] == sent_of[hit.start] for r in research)
        chained = bool(found) and k >= 0 and doc[k].lower_ in ("at", "of") and found[-1].end in (k, k - 1)
        if near or linked or chained:
            found.append(hit)
    return found


# -- roles --------------------------------------------------------------------------
def _roles(lines: list[Line], actors: Actors, text: str) -> None:
    """author, speaker (quoted or signing), cited-source (next to research
    nouns), mentioned (the rest)."""
    seen = {(m.agent_id, m.role) for m in actors.mentions}
    actors.mentions.insert(0, Mention(actors.author_id, "author"))
    seen.add((actors.author_id, "author"))
    spoken = {a for ids in actors.speakers.values() for a in ids}
    for line in lines:
        if line.doc is None:
            continue
        cited = {id(h) for h in cited_hits(line, actors)}
        for hit in actors.hits.get(line.index, []):
            if hit.agent_id == actors.author_id:
                continue
            if id(hit) in cited:
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
