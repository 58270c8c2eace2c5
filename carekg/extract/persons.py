"""Persons, their roles and organisations, and the author of a text.

English introduces a person who speaks in a few regular ways, each handled
here:
- next to a speech verb: "said Jane Doe", "said chief executive Jane Doe",
  "Jane Doe said", "Jane Doe, Director of X, said";
- in apposition to their job or organisation: "Its chief executive, Jane
  Doe, said", "X's director Jane Doe", "The Commissioner, Dame Jane Doe, has
  said";
- at the start of a paragraph ("Jane Doe, chair of X, wrote …");
- on a line of their own: a round-up's speaker heading ("Jane Doe, Chief
  Executive, X" above a quotation), a sign-off ("Jane Doe, Head of Policy,
  X") and a byline ("By Jane Doe", "Posted on 4 May by Jane Doe").
A role phrase names the person's job and often their organisation: the
organisation becomes ``member_of`` and only the job is kept as the role
title ("Chief Executive of the X Trust" -> "Chief Executive", member of the X
Trust; "its director" -> the organisation named just before). An
organisation named in such a slot is an organisation even when its name has
no organisational head noun ("Director, Defend Digital Me"). Once known, a
person is found again wherever the text names them, by full name or surname.

When the manifest gives no publisher, the author is recovered from the text:
a self-naming opening ("The X Trust today called on …", "X welcomes …",
"At X, we …"), a sign-off, or a byline — else it stays unknown.

The words these slots are read by (role links, separators, self-naming
verbs, …) are data in ``lexicon.yaml`` (section ``persons``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from carekg.extract import lexicon
from carekg.extract.actors import HONORIFICS, ORG_HEADS, ROLE_WORDS, SPEECH_VERBS, AgentIndex, Hit, \
    clean_person_name, \
    hit_at, org_name_at, person_name_at, person_name_before
from carekg.extract.sentences import Line, Sent
from carekg.extract.text import fold_key, slugify
from carekg.vocab.model import Agent, Mention, Span


@dataclass
class Actors:
    """Everything known about agents in one document."""

    author_id: str
    agents: dict[str, Agent] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    hits: dict[int, list[Hit]] = field(default_factory=dict)  # line index -> hits
    speakers: dict[int, list[str]] = field(default_factory=dict)  # sentence index -> actor ids
    persons: dict[str, str] = field(default_factory=dict)  # folded name -> person id
    # who holds what the text says in its own voice ("we", unattributed asks):
    # the author, the signatories of a joint text, or nobody (news, round-ups)
    voice: list[str] = field(default_factory=list)
    speaker_lines: dict[int, list[str]] = field(default_factory=dict)  # line index -> who it names
    text: str = ""  # the document's text, for reading what a hit says


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
    name = clean_person_name(name)
    reg = index.resolve(name)
    if reg and not index.knowledge.is_person(reg):
        # A capitalised two-word name before "calls for"/"said" can be a known
        # organisation ("Care Review"): it speaks as itself, never as a person.
        ensure_agent(index, actors.agents, reg)
        return reg
    if reg:
        ensure_agent(index, actors.agents, reg)
        actors.persons[fold_key(name)] = reg
        actors.persons.setdefault(fold_key(name.split()[-1]), reg)
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
    actors.persons.setdefault(fold_key(name.split()[-1]), person_id)
    return person_id


def is_org(actors: Actors, agent_id: str) -> bool:
    return actors.agents.get(agent_id, Agent("", "")).kind == "organisation"


# Words that join a job to its organisation ("Director of X"), possessives that
# point back to it ("its director"), separators between the segments of a
# role slot and the links before an employer's name (lexicon.yaml, persons).
_ROLE_LINKS = lexicon.words("persons.role_links")
_POSSESSIVES = lexicon.words("persons.possessives")
_SLOT_SEPARATORS = lexicon.words("persons.slot_separators")
_ORG_LINKS = lexicon.words("persons.org_links")


def _org_in_segment(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    """The organisation's name in one segment of a slot: the whole segment
    when it is a name ("Defend Digital Me"), else the name after "of/at/for"
    that follows a job ("Director of the charity Article 39")."""
    while a < b and doc[a].lower_ in ("the", "and"):
        a += 1
    if a >= b:
        return None
    if not has_role(doc, a, b):
        return (a, b) if org_name_at(doc, a, b) == b else None
    for k in range(a, b):
        if doc[k].lower_ in _ORG_LINKS and has_role(doc, a, k):
            j = k + 1
            while j < b and not doc[j].text[:1].isupper():
                j += 1  # "the children's rights charity X"
            if j < b and org_name_at(doc, j, b) == b and not has_role(doc, j, b):
                return j, b
            return None
    return None


def slot_org(line: Line, actors: Actors, index: AgentIndex, start: int, end: int) -> Hit | None:
    """An organisation named in tokens [start, end) of a role or speaker
    slot: a known hit, else a capitalised name standing where English puts
    the employer ("Chief Executive, X", "Director of X"): a slot makes any
    name an organisation's, head noun or not ("Director, Defend Digital Me")."""
    doc = line.doc
    hit = next((h for h in actors.hits.get(line.index, []) if start <= h.start < end and is_org(actors, h.agent_id)),
               None)
    if hit is not None or doc is None:
        return hit
    found = None
    seg = start
    for k in range(start, end + 1):
        if k == end or doc[k].text in _SLOT_SEPARATORS:
            found = _org_in_segment(doc, seg, k) or found
            seg = k + 1
    if found is None or fold_key(doc[found[0]:found[1]].text) in actors.persons:
        return None
    k, stop = found
    name = doc[k:stop].text
    label = name[4:] if name.lower().startswith("the ") else name
    agent_id = index.resolve(name) or slugify(label)
    if agent_id not in actors.agents:
        if agent_id in index.knowledge.agents:
            ensure_agent(index, actors.agents, agent_id)
        else:
            actors.agents[agent_id] = Agent(agent_id, label)
    if not is_org(actors, agent_id):
        return None
    hit = hit_at(agent_id, doc, k, stop, line.index, line.start)
    hits = actors.hits.setdefault(line.index, [])
    if not any(h.start < hit.end and hit.start < h.end for h in hits):
        hits.append(hit)
        hits.sort(key=lambda h: h.start)
    return hit


def _role(line: Line, actors: Actors, index: AgentIndex, start: int, end: int) -> tuple[str | None, str | None]:
    """(job title, organisation id) of the role phrase in tokens [start, end).
    The organisation named in the phrase is cut off the title (English puts
    it after "of/at/for": "Chief Executive of the X Trust", or before with a
    possessive: "X's director"); "its/their director" points back to the
    last organisation named before."""
    doc = line.doc
    if doc is None or start >= end:
        return None, None
    org_hit = slot_org(line, actors, index, start, end)
    stop = end
    org = None
    if org_hit is not None:
        org = org_hit.agent_id
        if org_hit.start <= start + 1 and org_hit.end < end and doc[org_hit.end].text in ("'s", "'"):
            start = org_hit.end + 1  # "Ofsted's national director"
        else:
            stop = org_hit.start
    elif doc[start].lower_ in _POSSESSIVES:
        org = org_before(line, actors, start)
        start += 1
    while stop > start and doc[stop - 1].lower_ in _ROLE_LINKS:
        stop -= 1
    while start < stop and doc[start].lower_ in (",", "-", "the", "|", "a", "an"):
        start += 1
    title = doc[start:stop].text if stop > start else None
    return title, org


def org_before(line: Line, actors: Actors, token: int, lines_back: int = 3) -> str | None:
    """The last organisation named before a token of the line (this line
    first), by its name rather than by a lower-case reference ("ministers")."""
    candidates = [h for h in actors.hits.get(line.index, []) if h.end <= token and is_org(actors, h.agent_id)]
    for index in range(line.index - 1, max(-1, line.index - 1 - lines_back), -1):
        if candidates:
            break
        candidates = [h for h in actors.hits.get(index, []) if is_org(actors, h.agent_id)]
    proper = [h for h in candidates if _by_name(actors, h)]
    chosen = proper or candidates
    return chosen[-1].agent_id if chosen else None


def _by_name(actors: Actors, hit: Hit) -> bool:
    """Whether a hit names its body with a capitalised name (not "ministers")."""
    words = actors.text[hit.start_char:hit.end_char].split()
    if words and words[0].lower() == "the":
        words = words[1:]
    return bool(words) and words[0][:1].isupper()


def has_role(doc: Doc, start: int, end: int) -> bool:
    return any(doc[k].lower_ in ROLE_WORDS for k in range(max(0, start), min(end, len(doc))))


def _role_end(doc: Doc, start: int) -> int:
    """The role phrase after a name: ", Director of X," up to a comma/stop."""
    if start >= len(doc) or doc[start].text != ",":
        return start
    k = start + 1
    while k < len(doc) and doc[k].text not in (",", ".", ";", ":", '"') and k - start < 20:
        k += 1
    return k if has_role(doc, start + 1, k) else start


def _role_words_then_name(doc: Doc, k: int) -> tuple[int, int, int]:
    """"chief executive Jane Doe" from token k: (role start, name start, name
    end), or name start == name end when no name follows role words."""
    j = k
    while j < len(doc) and j - k < 6 and (doc[j].lower_ in ROLE_WORDS or doc[j].lower_ in ("its", "their", "the",
                                                                                            "of", "and", "for")):
        j += 1
    if j == k or not has_role(doc, k, j):
        return k, k, k
    if j < len(doc) and doc[j].text == ",":
        j += 1
    end = person_name_at(doc, j)
    return k, j, end


def find_persons(lines: list[Line], actors: Actors, index: AgentIndex, text: str) -> None:
    """Persons in the slots English introduces them in, then every later
    mention of them by name or surname."""
    for line in lines:
        doc = line.doc
        if doc is None:
            continue
        for hit in actors.hits.get(line.index, []):
            if index.knowledge.is_person(hit.agent_id):
                reg = index.knowledge.agents[hit.agent_id]
                actors.persons[fold_key(reg.name)] = reg.id
                actors.persons.setdefault(fold_key(reg.name.split()[-1]), reg.id)
        speaker = speaker_line(line, actors, index)
        if speaker:
            actors.speaker_lines[line.index] = speaker
            continue
        _speech_slots(line, actors, index)
        _apposition_slots(line, actors, index)
        # "Josh Smith, chair of the X review, wrote in the report." at line start
        if line.kind in ("body", "heading") and len(doc) > 3:
            end = person_name_at(doc, 0)
            if end and end < len(doc) and doc[end].text == "," and has_role(doc, end + 1, min(len(doc), end + 15)):
                role_end = _role_end(doc, end)
                add_person(actors, index, doc[:end].text, *_role(line, actors, index, end + 1, role_end))
    _sign_off(lines, actors, index, text)
    person_hits(lines, actors)


# Words between a name and its speech verb ("Jane Doe has previously said").
_BEFORE_SPEECH_VERB = lexicon.words("persons.before_speech_verb")


def _speech_slots(line: Line, actors: Actors, index: AgentIndex) -> None:
    doc = line.doc
    for i in [k for k, low in enumerate(line.lowers) if low in SPEECH_VERBS]:
        # "said Jane Doe, Director of the X Trust" / "said chief executive Jane Doe"
        end = person_name_at(doc, i + 1)
        if end > i + 1:
            role_end = _role_end(doc, end)
            add_person(actors, index, doc[i + 1:end].text, *_role(line, actors, index, end + 1, role_end))
            continue
        role_start, name_start, name_end = _role_words_then_name(doc, i + 1)
        if name_end > name_start:
            title, org = _role(line, actors, index, role_start, name_start)
            add_person(actors, index, doc[name_start:name_end].text, title, org or org_before(line, actors, i))
            continue
        # "Jane Doe said" / "Jane Doe, Director of X, said"
        stop = i
        while stop > 0 and doc[stop - 1].lower_ in _BEFORE_SPEECH_VERB:
            stop -= 1
        if stop > 0 and doc[stop - 1].text == ",":
            comma = next((k for k in range(stop - 2, max(-1, stop - 25), -1) if doc[k].text == ","), None)
            if comma is not None:
                start = person_name_before(doc, comma)
                if start < comma and has_role(doc, comma + 1, stop - 1):
                    add_person(actors, index, doc[start:comma].text, *_role(line, actors, index, comma + 1, stop - 1))
                    continue
            stop -= 1
        start = person_name_before(doc, stop)
        if start < stop:
            # "Chief executive Jane Doe said": role words before the name
            k = start
            while k > 0 and doc[k - 1].lower_ in ROLE_WORDS:
                k -= 1
            title, org = (doc[k:start].text, None) if k < start else (None, None)
            if k > 0 and doc[k - 1].text in ("'s", "'"):
                org = next((h.agent_id for h in actors.hits.get(line.index, [])
                            if h.end == k - 1 and is_org(actors, h.agent_id)), None)
            add_person(actors, index, doc[start:stop].text, title, org)


# Words after an appositive name that show it is the subject of a clause:
# "Its chief executive, Jane Doe, said / has said / told / warned".
_CLAUSE_AFTER = lexicon.words("persons.clause_after")


def _apposition_slots(line: Line, actors: Actors, index: AgentIndex) -> None:
    """"Its chief executive, Jane Doe, said", "The X's director, Jane Doe,"
    and "X's chief executive Jane Doe": a name next to a role phrase."""
    doc, texts = line.doc, line.texts
    n = len(texts)
    for k in range(1, n - 2):
        if texts[k] != "," or not texts[k + 1][:1].isupper():
            continue
        end = person_name_at(doc, k + 1)
        if end == k + 1 or end >= n or doc[end].text != ",":
            continue
        after = doc[end + 1].lower_ if end + 1 < n else ""
        if not (after in SPEECH_VERBS or after in _CLAUSE_AFTER):
            continue
        # the role phrase before the first comma, within the clause
        r = k - 1
        while r >= 0 and doc[r].text not in (",", ".", ";", ":", '"') and k - r < 10:
            r -= 1
        if has_role(doc, r + 1, k) or slot_org(line, actors, index, r + 1, k) is not None:
            title, org = _role(line, actors, index, r + 1, k)
            add_person(actors, index, doc[k + 1:end].text, title, org or org_before(line, actors, r + 1))
    for hit in list(actors.hits.get(line.index, [])):
        k = hit.end
        if is_org(actors, hit.agent_id) and k < n and doc[k].text in ("'s", "'"):
            role_start, name_start, name_end = _role_words_then_name(doc, k + 1)
            if name_end > name_start:
                title = doc[role_start:name_start].text.strip(" ,") or None
                add_person(actors, index, doc[name_start:name_end].text, title, hit.agent_id)


# Separators between a name, a job and an organisation on a speaker's line.
_LINE_SEPARATORS = lexicon.words("persons.line_separators")


def speaker_line(line: Line, actors: Actors, index: AgentIndex) -> list[str] | None:
    """Whom a line of its own names as a speaker: "Jane Doe, Chief Executive,
    X", "Jane Doe – Director at X", "Jane Doe (X)", or an organisation's name
    alone. Such a line heads a round-up's quotation or signs a letter."""
    doc = line.doc
    if doc is None or line.kind not in ("heading", "body") or line.words > 16 or not len(doc):
        return None
    if line.text.rstrip()[-1:] in ".!?;" and not line.text.isupper():
        return None
    hits = actors.hits.get(line.index, [])
    end = person_name_at(doc, 0)
    if end > 0 and (end == len(doc) or doc[end].text in _LINE_SEPARATORS):
        rest = end + 1 if end < len(doc) else end
        if end == len(doc) or has_role(doc, rest, len(doc)) or slot_org(line, actors, index, rest, len(doc)):
            title, org = _role(line, actors, index, rest, len(doc)) if rest < len(doc) else (None, None)
            return [add_person(actors, index, doc[:end].text, title, org)]
        return None
    if len(hits) == 1 and is_org(actors, hits[0].agent_id):
        rest = [t for i, t in enumerate(doc) if not (hits[0].start <= i < hits[0].end)]
        if all(t.is_punct or t.lower_ == "the" for t in rest):
            return [hits[0].agent_id]
    return None


def _sign_off(lines: list[Line], actors: Actors, index: AgentIndex, text: str) -> None:
    """"Name, Role[, Org]" on the last lines: the signers of the text (one
    per line; a joint letter ends with several)."""
    tail = [l for l in lines if l.doc is not None][-6:]
    for line in tail:
        doc = line.doc
        end = person_name_at(doc, 0)
        if end and end < len(doc) and doc[end].text == "," and line.words <= 15 \
                and has_role(doc, end + 1, len(doc)):
            name = doc[:end].text
            person = add_person(actors, index, name, *_role(line, actors, index, end + 1, len(doc)))
            actors.mentions.append(Mention(person, "speaker", Span.of(text, line.start, line.start + len(name))))


def person_hits(lines: list[Line], actors: Actors) -> None:
    """Every mention of a known person by full name or by surname (a
    capitalised word of its own) becomes a hit, so later sentences
    ("Crocker was cooler about …") can be attributed to them."""
    if not actors.persons:
        return
    starts = {key.split()[0] for key in actors.persons} | {key.split()[-1] for key in actors.persons} | HONORIFICS
    for line in lines:
        doc = line.doc
        if doc is None:
            continue
        hits = actors.hits.setdefault(line.index, [])
        busy = {i for h in hits for i in range(h.start, h.end)}
        texts = line.texts
        k = 0
        added = False
        while k < len(texts):
            # a name starts with a known first word, a known surname or a title
            if k in busy or not texts[k][:1].isupper() or fold_key(texts[k]) not in starts:
                k += 1
                continue
            end = person_name_at(doc, k)
            key = fold_key(doc[k:end].text) if end > k else None
            if key and key not in actors.persons:
                key = fold_key(clean_person_name(doc[k:end].text))
            if key in actors.persons and not busy.intersection(range(k, end)):
                hits.append(hit_at(actors.persons[key], doc, k, end, line.index, line.start))
                added = True
                k = end
                continue
            surname = fold_key(texts[k])
            if surname in actors.persons and (k + 1 >= len(texts) or not texts[k + 1][:1].isupper()):
                person = actors.persons[surname]
                if actors.agents.get(person, Agent("", "")).kind == "person":
                    hits.append(hit_at(person, doc, k, k + 1, line.index, line.start))
                    added = True
            k += 1
        if added:
            hits.sort(key=lambda h: h.start)


# -- bylines and author recovery ----------------------------------------------------
# What may follow the name in a byline ("By Jane Doe | Policy Lead").
_BYLINE_STOPS = lexicon.words("persons.byline_stops")


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
                    title, _ = _role(line, actors, index, end + 1, len(doc))
                return add_person(actors, index, name, title if title and has_role(doc, end, len(doc)) else None,
                                  None)
    return None


# Verbs with which a press release names its own organisation in its first
# sentence ("X today called on …", "X welcomes …"), and the words between the
# name and its verb that do not change who acts.
_SELF_NAMING = lexicon.words("persons.self_naming_verbs")
_BETWEEN = lexicon.words("persons.self_naming_between")


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
                    and is_org(actors, hit.agent_id):
                return hit.agent_id
    for sent in sents[:4]:  # "We're the X Collective, a group of …"
        doc, i0 = sent.line.doc, sent.span.start
        lowers = sent.line.lowers
        for hit in actors.hits.get(sent.line.index, []):
            if sent.span.start <= hit.start < sent.span.end and is_org(actors, hit.agent_id):
                before = [w for w in lowers[max(i0, hit.start - 4):hit.start] if w not in ("the", "!", ",")]
                if before[-2:] in (["we", "are"], ["we", "'re"]) or before[-1:] == ["we're"]:
                    return hit.agent_id
    for mention in actors.mentions:  # sign-off
        person = actors.agents[mention.agent_id]
        return person.member_of or person.id
    return byline(lines, actors, index) or bare_byline(lines, sents, actors, index)


_FIRST_PERSON_SINGULAR = lexicon.words("persons.first_person_singular")


def bare_byline(lines: list[Line], sents: list[Sent], actors: Actors, index: AgentIndex) -> str | None:
    """A name alone on a line under the title ("Jane Doe", then perhaps her
    job on the next line), in a text that speaks as "I": its author."""
    content = [l for l in lines if l.doc is not None][:6]
    speaks_as_i = any(_FIRST_PERSON_SINGULAR.intersection(s.line.lowers[s.span.start:s.span.end]) for s in sents[:12])
    for k, line in enumerate(content[1:], start=1):
        doc = line.doc
        end = person_name_at(doc, 0)
        if end == 0 or end != len(doc):
            continue
        nxt = content[k + 1] if k + 1 < len(content) else None
        role_line = nxt is not None and nxt.words <= 12 and nxt.text.rstrip()[-1:] not in ".!?"
        if speaks_as_i or role_line:
            title, org = _role(nxt, actors, index, 0, len(nxt.doc)) if role_line else (None, None)
            return add_person(actors, index, doc.text, title, org)
    return None
