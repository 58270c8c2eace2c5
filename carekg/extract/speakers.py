"""Who holds what a text says: its own voice, headed sections, quotations
and reported speech.

Every sentence gets the actors who hold what it says (possibly nobody):
- the document's own voice (``voice.py``): its author, the signatories of a
  joint text, or nobody for news and round-ups;
- a line naming a speaker heads what follows: an organisation's name alone
  opens its section (up to the next such line), "Jane Doe, Chief Executive,
  X" above a quotation gives her the quotation (round-ups);
- a quotation is the words of whoever the attribution next to it names
  (`X said: "…"`, `"…," said X`, `"…," a spokesperson said`, `"…," she
  said`, a quotation running over several paragraphs, a second quotation
  in the paragraph of a first);
- reported speech: the subject of a reporting or judging verb holds the
  sentence (`X said (that) …`, `X, chief executive of Y, warned …`, `A and B
  call on …`, `X remains unconvinced`, `according to X, …`, `…, he said,
  …`), and "The charity also wants …" / "It said …" continue it.
Bodies named as the source of evidence ("a survey by X", "figures from X")
are cited sources (``cited_hits``). Persons and authors: ``persons.py``;
names that point back ("the review", "its proposal"): ``references.py``.
The words all this is read by (reporting verbs, sign-off lines, anaphoric
nouns, …) are data in ``lexicon.yaml`` (section ``attribution``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from spacy.tokens import Doc

from carekg.extract import lexicon
from carekg.extract.actors import RESEARCH_NOUNS, ROLE_WORDS, SPEECH_VERBS, AgentIndex, Hit, hit_at
from carekg.extract.persons import Actors, ensure_agent, find_persons, is_org, org_before, recover_author, \
    registry_agent
from carekg.extract.references import common_word, mask_names, possessive_owners, short_references
from carekg.extract.sentences import Line, Sent
from carekg.extract.text import slugify
from carekg.extract.voice import document_voice
from carekg.vocab.model import UNKNOWN_AUTHOR_ID, Agent, Document, Mention, Span

__all__ = ["Actors", "cited_hits", "find_actors", "possessive_owners", "registry_agent", "resolve_publisher"]

# "a joint statement from A, B and C": the bodies named after it speak as "we".
_JOINT = re.compile(r"\bjoint (" + "|".join(lexicon.phrases("attribution.joint_texts")) + r")s? ("
                    + "|".join(lexicon.phrases("attribution.joint_links")) + r")\b", re.I)
SPOKESPERSON = lexicon.words("attribution.spokesperson")


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
    """Agents named in the text, the author, the speakers of each sentence."""
    text = document.text
    agents: dict[str, Agent] = {}
    hits: dict[int, list[Hit]] = {}
    local: dict[str, str] = {}  # acronyms the text introduces
    common: list[set[tuple[str, str]]] = []  # the text's lower-case word pairs, read when first needed
    for line in lines:
        if line.doc is None:
            continue
        reg = [h for h in index.registry_hits(line.doc, line.index, line.start)
               if not common_word(line, h, common, lines)]
        new = index.discovered_hits(line.doc, line.index, line.start, [], agents, line.lowers, local)
        # a longer discovered name wins over a registry word inside it
        # ("Local Government Association" is not the Government)
        reg = [r for r in reg if not any(n.start <= r.start and r.end <= n.end and (n.end - n.start) > (r.end - r.start)
                                          for n in new)]
        new = [n for n in new if not any(r.start <= n.start and n.end <= r.end for r in reg)
               and not any(r.start < n.end and n.start < r.end for r in reg)]
        found = reg + new
        found += _government_words(line, found, index)
        for hit in found:
            ensure_agent(index, agents, hit.agent_id)
        hits[line.index] = sorted(found, key=lambda h: h.start)
    actors = Actors(UNKNOWN_AUTHOR_ID, agents, hits=hits, text=text)
    find_persons(lines, actors, index, text)
    author = resolve_publisher(document, index, agents) or recover_author(lines, sents, actors, index)
    actors.author_id = author or UNKNOWN_AUTHOR_ID
    if actors.author_id == UNKNOWN_AUTHOR_ID:
        agents[UNKNOWN_AUTHOR_ID] = Agent(UNKNOWN_AUTHOR_ID, "unknown author", kind="unknown")
    short_references(lines, actors)
    regions = _quote_regions(text)
    actors.voice = document_voice(lines, sents, actors, index, regions)
    _assign_speakers(lines, actors, text, regions)
    _roles(lines, actors, text)
    mask_names(lines, actors)
    return actors


_GOVERNMENT_WORDS = lexicon.words("attribution.government_words")


def _government_words(line: Line, found: list[Hit], index: AgentIndex) -> list[Hit]:
    """"Ministers said …": the government of the day, named without its name."""
    if not _GOVERNMENT_WORDS.intersection(line.lowers):
        return []
    government = index.resolve("the government")
    if government is None:
        return []
    busy = {k for h in found for k in range(h.start, h.end)}
    return [hit_at(government, line.doc, k, k + 1, line.index, line.start)
            for k, low in enumerate(line.lowers) if low in _GOVERNMENT_WORDS and k not in busy]


# -- speakers ----------------------------------------------------------------------
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


def _spokesperson_org(doc: Doc, actors: Actors, line: Line, k: int) -> str | None:
    """The body a spokesperson speaks for: "an X spokesperson", "a
    spokesperson for X", else the organisation last named before."""
    for hit in actors.hits.get(line.index, []):
        if not is_org(actors, hit.agent_id):
            continue
        if hit.end == k or hit.end + 1 == k and doc[hit.end].text in ("'s", "'"):
            return hit.agent_id
        if k + 1 <= hit.start <= k + 3 and doc[k + 1].lower_ in ("for", "at", "from"):
            return hit.agent_id
    return org_before(line, actors, k)


def _attribution(doc: Doc, actors: Actors, line: Line, lo: int, hi: int, last_person: str | None) -> list[str]:
    """Speaker named in tokens [lo, hi) next to a speech verb: a person
    first (in "He told the BBC" the BBC is the audience, in "Jane Doe, Chair
    of X, said" X is her employer), a spokesperson's body, a pronoun's
    person, an organisation."""
    verbs = [k for k in range(lo, hi) if doc[k].lower_ in SPEECH_VERBS]
    if not verbs:
        return []
    hits = [h for h in actors.hits.get(line.index, []) if lo <= h.start < hi]
    people = [h for h in hits if actors.agents[h.agent_id].kind == "person"]
    if people:
        return [min(people, key=lambda h: min(abs(h.start - v) for v in verbs)).agent_id]
    for k in range(lo, hi):
        if doc[k].lower_ in SPOKESPERSON:
            org = _spokesperson_org(doc, actors, line, k)
            if org:
                return [org]
    for k in range(lo, min(hi, verbs[-1] + 2)):
        if doc[k].lower_ in ("he", "she") and last_person:
            return [last_person]
    if hits:
        return [min(hits, key=lambda h: min(abs(h.start - v) for v in verbs)).agent_id]
    return []


def _in_region(regions: list[tuple[int, int]], starts: list[int], sent: Sent) -> tuple[int, int] | None:
    for r in regions[max(0, bisect_right(starts, sent.start) - 1):bisect_left(starts, sent.end)]:
        if r[0] < sent.end and sent.start < r[1]:
            return r
    return None


def _assign_speakers(lines: list[Line], actors: Actors, text: str, regions: list[tuple[int, int]]) -> None:
    region_starts = [r[0] for r in regions]
    section: list[str] | None = None  # an organisation's section, opened by its heading line
    heading_speaker: list[str] | None = None  # a speaker line above quotations (round-ups)
    last_person: str | None = None
    quote_speaker: dict[tuple[int, int], list[str]] = {}
    last_reported: tuple[list[str], int] | None = None  # last body reported as speaking, its line
    refs = _Referents()  # the bodies "it", "they", "the charities" can point back to
    previous: list[str] = []  # who holds the sentence before
    for line in lines:
        if line.doc is None:
            continue
        named = actors.speaker_lines.get(line.index)
        if named is not None:
            if is_org(actors, named[0]) and len(named) == 1:
                section = named
                heading_speaker = None
                actors.mentions.append(Mention(named[0], "author", Span.of(text, line.start, line.end)))
            else:
                heading_speaker = named
            last_reported = None
            for sent in line.sents:
                actors.speakers[sent.index] = []  # the line names the speaker; it says nothing
            continue
        if line.kind == "heading":
            heading_speaker = None
        joint = _JOINT.search(line.text) if "joint" in line.lowers else None
        if joint:
            members = [h.agent_id for h in actors.hits.get(line.index, [])
                       if h.start_char >= line.start + joint.end()]
            if members:
                section = members
                if len(set(members)) > 1:
                    refs.group = (list(dict.fromkeys(members)), line.index)
                # a joint text speaks as "we" for each of its signatories
                for member in dict.fromkeys(members):
                    if member != actors.author_id:
                        actors.mentions.append(Mention(member, "author"))
        for sent in line.sents:
            speakers = None
            region = _in_region(regions, region_starts, sent)
            if region is not None and region[0] > sent.start and region[1] < sent.end:
                # a quotation inside reported speech ("X said the plan left them with
                # 'support but not care'") belongs to the sentence's subject
                reported = _reported(sent, actors, last_person)
                if reported:
                    region = None
                    speakers = reported
            if region is not None:
                if region not in quote_speaker:
                    quote_speaker[region] = _quote_owner(region, line, lines, actors, last_person, quote_speaker) \
                        or heading_speaker or []
                speakers = quote_speaker[region] or None
            if speakers is None:
                reported = _reported(sent, actors, last_person)
                if reported:
                    speakers = reported
                    last_reported = (reported, line.index)
                    refs.note(reported, actors, line.index)
                else:
                    back = _refers_back(sent, refs, line.index, previous)
                    if back:
                        speakers = back
                    elif last_reported and line.index - last_reported[1] <= 2 and _anaphoric(sent):
                        speakers = last_reported[0]
            if speakers is None:
                speakers = section if section is not None else actors.voice
            # bodies named as the sentence's subject or as a text's backers are
            # what "they", "the charities", "it" point back to next
            named = _named_subject(sent, actors) or _backers(sent, actors)
            if named:
                refs.note(named, actors, line.index)
            actors.speakers[sent.index] = list(speakers)
            previous = list(speakers)
            for hit in actors.hits.get(line.index, []):
                if sent.span.start <= hit.start < sent.span.end and actors.agents[hit.agent_id].kind == "person":
                    last_person = hit.agent_id


def _quote_owner(region: tuple[int, int], line: Line, lines: list[Line], actors: Actors,
                 last_person: str | None, known: dict) -> list[str]:
    doc = line.doc
    first = min(bisect_left(line.idx, region[0] - line.start), max(0, len(doc) - 1))
    last = bisect_left(line.idx, region[1] - line.start)
    # the person named in this line before the quote is the likeliest "he"/"she"
    before = [h.agent_id for h in actors.hits.get(line.index, [])
              if h.end <= first and actors.agents[h.agent_id].kind == "person"]
    person = before[-1] if before else last_person
    for lo, hi in ((last, min(len(doc), last + 14)), (max(0, first - 18), first)):
        found = _attribution(doc, actors, line, lo, hi, person)
        if found:
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
            found = _attribution(prev.doc, actors, prev, 0, len(prev.doc), person)
            if found:
                return found
    nxt = next((l for l in lines[line.index + 1:] if l.doc is not None), None)
    if nxt is not None and line.text.rstrip().endswith(('"', "”")):
        found = _attribution(nxt.doc, actors, nxt, 0, min(len(nxt.doc), 30), None)
        if found:
            return found
    return []


# The words of reported speech (lexicon.yaml, attribution): verbs by which a
# named body states a position itself ("X said", "X urged", "X welcomed" — the
# grammatical subject of such a verb holds the position), copulas and the
# evaluative words after them ("X remains unconvinced") with the degree words
# between, words that may stand between the subject and its verb or open the
# sentence before it, introductory phrases ("Responding to the report, X
# said"), conjunctions that open a new clause, and the nouns by which English
# refers back to the last-named body ("The charity also wants …").
_REPORTING = lexicon.words("attribution.reporting_verbs")
_COPULAS = lexicon.words("attribution.copulas")
_EVALUATIVE = lexicon.words("attribution.evaluative")
_DEGREE = lexicon.words("attribution.degree_words")
_BETWEEN = lexicon.words("attribution.between")
_LEAD = lexicon.words("attribution.lead")
_INTRO_WORDS = lexicon.words("attribution.intro_words")
_CLAUSE_OPENERS = lexicon.words("attribution.clause_openers")
_BODY_NOUNS = lexicon.words("attribution.body_nouns")


def _verb_follows(doc, start: int, stop: int) -> bool:
    """Whether a reporting verb (or a copula and an evaluative word) follows
    token ``start``, skipping adverbs, auxiliaries, a parenthesised acronym
    and an apposition between commas ("X, chief executive of Y, said")."""
    k = start
    while k < stop:
        low = doc[k].lower_
        if low == "(" and k + 2 < stop and doc[k + 2].text == ")":
            k += 3
            continue
        if low == "," and k == start:
            # an apposition may hold commas of its own ("X, a coalition of
            # charities, parents and academics, said"): try each closing comma
            closes = [j for j in range(k + 1, min(stop, k + 16)) if doc[j].text == ","]
            stops = [j for j in range(k + 1, min(stop, k + 16)) if doc[j].text in (".", ";", ":")]
            closes = [j for j in closes if not any(t < j for t in stops)]
            if len(closes) > 1:
                for close in closes[1:]:
                    if _verb_follows(doc, close + 1, stop):
                        return True
            close = closes[0] if closes else None
            if close is not None:
                k = close + 1
                continue
            # the comma closing an apposition the subject stands in ("Its president, Jo Bell, told")
            if start > 1 and doc[start - 1].text != ",":
                k += 1
                continue
        if low in _COPULAS:
            j = k + 1
            while j < stop and doc[j].lower_ in _DEGREE:
                j += 1
            if j < stop and doc[j].lower_ in _EVALUATIVE:
                return True
        if low in _BETWEEN:
            k += 1
            continue
        return low in _REPORTING
    return False


def _subject_group(doc, hits: list[Hit], k: int) -> list[Hit]:
    """Hits coordinated with hits[k] ("A, B and C", "A and the charity B")."""
    group = [hits[k]]
    j = k
    while j + 1 < len(hits):
        gap = [t.lower_ for t in doc[hits[j].end:hits[j + 1].start]]
        if gap and all(w in (",", "and", "&", "the", "charity", "campaigner") or w.endswith("-experienced")
                       for w in gap) and ("and" in gap or "," in gap or "&" in gap):
            j += 1
            group.append(hits[j])
        else:
            break
    # a list ends in "and": "A, B and C"; "The Commissioner, Jane Doe," is one
    # speaker in apposition (the person speaks)
    if len(group) > 1 and not any(t.lower_ in ("and", "&") for t in doc[group[0].end:group[-1].start]):
        return [group[-1]]
    return group


def _reported(sent: Sent, actors: Actors, last_person: str | None) -> list[str]:
    """`X said (that) …`, `X today called on …`, `A and B call on …`,
    `according to X, …`, `…, he said, …`: the sentence is X's."""
    line = sent.line
    doc, lowers = line.doc, line.lowers  # token arrays: hot loops must not build Token objects
    lo, hi = sent.span.start, sent.span.end
    hits = [h for h in actors.hits.get(line.index, []) if lo <= h.start < hi]
    for k, hit in enumerate(hits):
        lead = [w for w in lowers[lo:hit.start] if w[:1].isalnum()]
        if lead in (["according", "to"], ["according", "to", "the"]):
            return [hit.agent_id]
        # "Its president, Jo Bell, told …": a job in apposition before the person
        appositive = actors.agents[hit.agent_id].kind == "person" and hit.start > lo \
            and lowers[hit.start - 1] == "," and all(w in _LEAD or w in ROLE_WORDS for w in lead)
        if not appositive and (len(lead) > 6 or not all(w in _LEAD or w.endswith("-experienced") for w in lead)):
            # a new clause: "…; X warned that …", "…, but X said …" (not a list "A, B and C")
            prev = hit.start - 1
            while prev >= lo and lowers[prev] in ("the", "a", "an"):
                prev -= 1
            opener = lowers[prev] if prev >= lo else ""
            intro = opener == "," and lowers[lo] in _INTRO_WORDS and "," not in lowers[lo:prev]
            if not (opener in (";", ":") or intro
                    or opener in _CLAUSE_OPENERS and prev > lo and lowers[prev - 1] == ","):
                continue
        group = _subject_group(doc, hits, k)
        end = group[-1].end
        # "X's chief executive Y said": the person holds it
        if _verb_follows(doc, end, min(hi, end + 20)):
            return list(dict.fromkeys(h.agent_id for h in group))
        if end < hi and lowers[end] in SPOKESPERSON and _verb_follows(doc, end + 1, min(hi, end + 10)):
            return [hit.agent_id]
    # "A spokesperson for X said …", "He said …", "She told …"
    first = lo
    while first < hi and (lowers[first] in _LEAD or not lowers[first][:1].isalnum()):
        first += 1
    if first < hi and lowers[first] in SPOKESPERSON:
        after = first + 1
        if after < hi and lowers[after] in ("for", "at", "from"):  # "a spokesperson for the X Trust said"
            named = next((h for h in hits if after < h.start <= after + 2), None)
            after = named.end if named is not None else after
        if _verb_follows(doc, after, min(hi, after + 12)):
            org = _spokesperson_org(doc, actors, line, first)
            if org:
                return [org]
    if first < hi and lowers[first] in ("he", "she") and last_person and _verb_follows(doc, first + 1,
                                                                                          min(hi, first + 5)):
        return [last_person]
    # "…, he said, …" / "…, X said." in the middle or at the end of the sentence
    starts = {h.start: h for h in hits}
    for k in (k for k in range(lo + 1, hi - 1) if lowers[k] == ","):
        if lowers[k + 1] not in ("he", "she") and k + 1 not in starts:
            continue
        who = starts.get(k + 1)
        after = who.end if who is not None else k + 2
        if after < hi and lowers[after] in SPEECH_VERBS and (after + 1 >= hi or not lowers[after + 1][:1].isalnum()):
            if who is not None:
                return [who.agent_id]
            if last_person:
                return [last_person]
    return []


class _Referents:
    """The last body and the last bodies named together that a pronoun or a
    short form can point back to, with the line where each was named."""

    reach = 8  # lines (blank ones included): about four paragraphs

    def __init__(self) -> None:
        self.body: tuple[list[str], int] | None = None
        self.group: tuple[list[str], int] | None = None

    def note(self, ids: list[str], actors: Actors, line_index: int) -> None:
        orgs = []
        for agent_id in dict.fromkeys(ids):
            agent = actors.agents.get(agent_id)
            if agent is None:
                continue
            if agent.kind == "person":
                if len(ids) == 1 and agent.member_of:
                    orgs.append(agent.member_of)  # "Its director said …; the charity wants" is the body
                continue
            orgs.append(agent_id)
        if len(orgs) > 1:
            self.group = (orgs, line_index)
        elif orgs:
            self.body = (orgs, line_index)

    def recent(self, which: str, line_index: int) -> tuple[list[str], int] | None:
        ref = self.group if which == "group" else self.body
        return ref if ref is not None and line_index - ref[1] <= self.reach else None


_GROUP_NOUNS = lexicon.words("attribution.group_nouns")
_COLLECTIVE = lexicon.words("attribution.collective_nouns")
_GROUP_WORDS = lexicon.words("attribution.group_words")
_BACKING = lexicon.words("attribution.backing_verbs")


def _reference_at(lowers, i: int, end: int) -> tuple[str, int] | None:
    """A word or phrase at token i that points back to bodies named before, as
    (kind, the token after it): "it" and "the charity" point to one body,
    "they", "both", "the charities", "the two bodies" to several, "the group",
    "the coalition" to several if any were named together, else to one."""
    w = lowers[i] if i < end else ""
    if w == "it":
        return "body", i + 1
    if w == "they":
        return "they", i + 1
    if w in ("its", "their") and i + 1 < end and lowers[i + 1] in ("members", "member"):
        return ("body" if w == "its" else "group"), i + 2
    if w in ("the", "this") and i + 1 < end and lowers[i + 1] in _COLLECTIVE:
        return "collective", i + 2
    if w in ("the", "this") and i + 1 < end and lowers[i + 1] in _BODY_NOUNS:
        return "body", i + 2
    j = i
    while j < end and j - i < 3 and lowers[j] in _GROUP_WORDS:
        j += 1
    if j < end and lowers[j] in _GROUP_NOUNS and j > i:
        return "group", j + 1
    if j > i and lowers[i] == "both":
        return "group", i + 1
    return None


def _resolve(kind: str, refs: _Referents, line_index: int, previous: list[str]) -> list[str]:
    group = refs.recent("group", line_index)
    body = refs.recent("body", line_index)
    if kind == "group":
        return list(group[0]) if group else []
    if kind == "body":
        return list(body[0]) if body else []
    if kind == "collective":
        ref = max((r for r in (group, body) if r is not None), key=lambda r: r[1], default=None)
        return list(ref[0]) if ref else []
    # "they": the bodies named together, else a body that held the sentence before
    # ("The trust said …. They also want …"); never a guess from further back
    if group:
        return list(group[0])
    if body and set(body[0]) <= set(previous):
        return list(body[0])
    return []


def _refers_back(sent: Sent, refs: _Referents, line_index: int, previous: list[str]) -> list[str]:
    """"They warned …", "The charities say …", "In a statement, the group
    said …", "…, it says, …": the bodies the reference points back to."""
    lowers, doc = sent.line.lowers, sent.line.doc
    lo, hi = sent.span.start, sent.span.end
    i = lo
    while i < hi and (not lowers[i][:1].isalnum() or lowers[i] in _LEAD and lowers[i] not in ("the", "this", "its", "their")):
        i += 1
    # an introductory phrase: "In a statement to MPs, they argued …"
    if i < hi and lowers[i] in _INTRO_WORDS:
        comma = next((k for k in range(i, min(hi, i + 14)) if lowers[k] == ","), None)
        if comma is not None:
            i = comma + 1
    ref = _reference_at(lowers, i, hi)
    if ref is not None and _verb_follows(doc, ref[1], min(hi, ref[1] + 6)):
        return _resolve(ref[0], refs, line_index, previous)
    # "…, they warned, …" / "…, the group says." inside the sentence
    for k in range(lo + 1, hi - 1):
        if lowers[k] != ",":
            continue
        ref = _reference_at(lowers, k + 1, hi)
        if ref is None:
            continue
        after = ref[1]
        while after < hi and lowers[after] in _BETWEEN:
            after += 1
        if after < hi and lowers[after] in SPEECH_VERBS and (after + 1 >= hi or not lowers[after + 1][:1].isalnum()):
            return _resolve(ref[0], refs, line_index, previous)
    return []


def _named_subject(sent: Sent, actors: Actors) -> list[str]:
    """Bodies named as the subject of the sentence, whatever their verb ("The
    X and the Y went further", "In a joint letter, A and B …")."""
    line = sent.line
    lowers = line.lowers
    lo, hi = sent.span.start, sent.span.end
    hits = [h for h in actors.hits.get(line.index, []) if lo <= h.start < hi]
    if not hits:
        return []
    first = hits[0]
    lead = [w for w in lowers[lo:first.start] if w[:1].isalnum()]
    if not all(w in _LEAD for w in lead):
        comma = next((k for k in range(first.start - 1, lo - 1, -1) if lowers[k] == ","), None)
        if not (lowers[lo] in _INTRO_WORDS and comma is not None
                and all(w in ("the", "a", "an") for w in lowers[comma + 1:first.start])
                and "," not in lowers[lo:comma]):
            return []
    group = _subject_group(line.doc, hits, 0)
    end = group[-1].end
    # a possessive is no subject ("The X's report found")
    if end < hi and lowers[end] in ("'s", "'"):
        return []
    return [h.agent_id for h in group if is_org(actors, h.agent_id)]


def _backers(sent: Sent, actors: Actors) -> list[str]:
    """"The report is backed by A, B and C", "a letter signed by A and B",
    "…, among them A, B and C": bodies listed as those behind a text."""
    line = sent.line
    lowers = line.lowers
    lo, hi = sent.span.start, sent.span.end
    hits = [h for h in actors.hits.get(line.index, []) if lo <= h.start < hi and is_org(actors, h.agent_id)]
    if len(hits) < 2:
        return []
    for k in range(lo, hi - 1):
        if lowers[k] in _BACKING and lowers[k + 1] == "by":
            after = [h for h in hits if h.start > k + 1]
            if len(after) < 2 or after[0].start - (k + 2) > 10:
                continue
            start = next(i for i, h in enumerate(hits) if h is after[0])
            group = _subject_group(line.doc, hits, start)
            if len(group) > 1:
                return [h.agent_id for h in group]
    return []


def _anaphoric(sent: Sent) -> bool:
    """"The charity also wants …", "It said …": a subject that points back."""
    doc = sent.line.doc
    i, end = sent.span.start, sent.span.end
    while i < end and doc[i].lower_ in _LEAD and doc[i].lower_ not in ("the", "this", "its"):
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
_SOURCE_LINKS = lexicon.words("attribution.source_links")
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
