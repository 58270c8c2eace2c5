"""Who is named: registry agents, discovered organisations and persons.

Registry agents are found by name and alias (a spaCy PhraseMatcher on
lower-case tokens, then a case check: a capitalised alias such as "Become" or
"Pause" must be capitalised in the text, so the verbs "become" and "pause"
never count). Organisations outside the registry are found by the way English
names them: capitalised words ending in an organisational head noun (Trust,
Network, Group, …) with an optional "for/of …" tail and an acronym introduced
in parentheses. Persons are found where English introduces a speaker: next to
a speech verb ("said Jane Doe", "Jane Doe, Director of X, said") or in a
sign-off "Name, Role". The word lists (head nouns, role words, speech verbs,
honorifics, …) are data in ``lexicon.yaml`` (section ``actors``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from carekg.extract import lexicon
from carekg.extract.sentences import nlp
from carekg.extract.text import fold_key, normalise, slugify
from carekg.vocab.knowledge import Knowledge
from carekg.vocab.model import Agent

# The words by which English names bodies and persons (lexicon.yaml, actors):
# head nouns of organisations' names ("Trust", "Network"), heads that may come
# first ("University of Kent"), words that alone name a kind of body ("Local
# Authority"), capitalised words that never start a name, connectors inside
# names, and the role words, speech verbs and research nouns around them.
ORG_HEADS = lexicon.words("actors.org_heads")
_GENERIC = lexicon.words("actors.generic_words")
_TAIL_HEADS = lexicon.words("actors.tail_heads")
_NOT_NAME = lexicon.words("actors.not_name")
_CONNECTORS = lexicon.words("actors.name_connectors")
ROLE_WORDS = lexicon.words("actors.role_words")
SPEECH_VERBS = lexicon.words("actors.speech_verbs")
RESEARCH_NOUNS = lexicon.words("actors.research_nouns")

_ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z]$")


@dataclass(frozen=True)
class Hit:
    """An agent named in a line: token range of the line's Doc."""

    agent_id: str
    line: int
    start: int  # token index
    end: int  # token index (exclusive)
    start_char: int  # global offsets
    end_char: int


def acronym(name: str) -> str:
    """Initials of the capitalised words (and hyphen parts) of a name."""
    words = re.findall(r"[A-Za-z][A-Za-z']*", name.replace("-", " "))
    return "".join(w[0].upper() for w in words if w[0].isupper())


class AgentIndex:
    """Registry lookup built once per Knowledge; discovered agents accrue."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self.by_key: dict[str, str] = {}
        claimants: dict[str, set[str]] = {}
        self.matcher = PhraseMatcher(nlp().vocab, attr="LOWER")
        self.patterns: dict[str, list[str]] = {}  # pattern key -> case template tokens
        for agent in knowledge.agents.values():
            for name in (agent.name, *agent.aliases):
                self.by_key.setdefault(fold_key(name), agent.id)
                self._add_pattern(agent.id, name)
            if agent.type != "person" and len(agent.name.split()) >= 2:
                initials = acronym(_clean_name(agent.name))
                if len(initials) >= 2:
                    claimants.setdefault(initials, set()).add(agent.id)
        # initials derived from names only count when one body has them
        # ("AC" could be Action for Children or Achieving for Children)
        self.by_acronym = {initials: next(iter(ids)) for initials, ids in claimants.items() if len(ids) == 1}
        for agent in knowledge.agents.values():  # surnames of registry persons
            if agent.type == "person":
                self.by_key.setdefault(fold_key(agent.name.split()[-1]), agent.id)

    def _add_pattern(self, agent_id: str, name: str) -> None:
        text = normalise(name).text.strip()
        # "The Fostering Network" is also written "Fostering Network"; "The
        # Times" is not "Times" (one word left would be an ordinary noun)
        if text.lower().startswith("the ") and len(text.split()) > 2:
            text = text[4:]
        doc = nlp().make_doc(text)
        key = f"{agent_id}|{text}"
        self.patterns[key] = [t.text for t in doc]
        self.matcher.add(key, [doc])

    # -- resolution ---------------------------------------------------------
    def resolve(self, name: str) -> str | None:
        """Registry id of a name: alias, folded key, acronym or close match."""
        key = fold_key(name)
        if not key:
            return None
        if key in self.by_key:
            return self.by_key[key]
        if key.endswith(" s") and key[:-2] in self.by_key:
            return self.by_key[key[:-2]]
        stripped = name.strip()
        if _ACRONYM.match(stripped) and stripped.upper() in self.by_acronym:
            return self.by_acronym[stripped.upper()]
        return self._close(key)

    def _close(self, key: str) -> str | None:
        """A registry name that shares nearly all content words (one word of
        a long name differs: "Group for X in Y" for "Group for X and Y")."""
        words = {w for w in key.split() if w not in _CONNECTORS and w not in ("the", "a")}
        if len(words) < 4:
            return None
        best, best_score = None, 0.0
        for other, agent_id in self.by_key.items():
            other_words = {w for w in other.split() if w not in _CONNECTORS and w not in ("the", "a")}
            if len(other_words) < 4:
                continue
            score = len(words & other_words) / len(words | other_words)
            if score > best_score:
                best, best_score = agent_id, score
        return best if best_score >= 0.75 else None

    # -- finding names in a line ----------------------------------------------
    def registry_hits(self, doc: Doc, line_index: int, line_start: int) -> list[Hit]:
        """Registry names in a line Doc, case-checked, longest first."""
        found = []
        for match_id, start, end in self.matcher(doc):
            key = nlp().vocab.strings[match_id]
            if not _case_ok(self.patterns[key], doc[start:end]):
                continue
            found.append((start, end, key.split("|", 1)[0]))
        return _longest(found, doc, line_index, line_start)

    def discovered_hits(self, doc: Doc, line_index: int, line_start: int, taken: list[Hit],
                        agents: dict[str, Agent], lowers: list[str] | None = None,
                        local: dict[str, str] | None = None) -> list[Hit]:
        """Organisations outside the registry: capitalised words + head noun,
        and acronyms this document introduced in parentheses (``local``)."""
        local = local if local is not None else {}
        hits: list[Hit] = []
        busy = {i for h in taken for i in range(h.start, h.end)}
        lowers = lowers if lowers is not None else [t.lower() for t in doc_texts(doc)]
        heads = [i for i, low in enumerate(lowers) if low in ORG_HEADS]
        i = 0
        for i0 in heads:
            if i0 < i:
                continue
            i = i0
            tok = doc[i]
            if tok.text[:1].isupper() and i not in busy:
                start, end = _extend_name(doc, i)
                named = start < i or (end > i + 1 and tok.lower_ in _TAIL_HEADS)  # "University of Kent"
                if named and all(low in _GENERIC for low in lowers[start:end]):
                    named = False  # "the Local Authority" names a kind of body, not one
                if named and not busy.intersection(range(start, end)):
                    name = doc[start:end].text
                    if any(doc[k].lower_ in ("our", "my") for k in range(max(0, start - 2), start)):
                        i = end  # the author's own unit ("our Policy Group")
                        continue
                    agent_id = self.resolve(name) or self._acronym_after(doc, end)
                    if agent_id is None:
                        agent_id = slugify(_clean_name(name))
                        agents.setdefault(agent_id, Agent(agent_id, _clean_name(name)))
                    abbr = self._parenthesised(doc, end)
                    if abbr:
                        local.setdefault(abbr, agent_id)
                        busy.add(end + 1)
                    hits.append(hit_at(agent_id, doc, start, end, line_index, line_start))
                    busy.update(range(start, end))
                    i = end
                    continue
            i += 1
        if local:  # later uses of an acronym the text introduced: "(NKC)" … "NKC said"
            for k, low in enumerate(lowers):
                if k not in busy and doc[k].text in local and doc[k].text.isupper():
                    hits.append(hit_at(local[doc[k].text], doc, k, k + 1, line_index, line_start))
        return sorted(hits, key=lambda h: h.start)

    @staticmethod
    def _parenthesised(doc: Doc, end: int) -> str | None:
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" \
                and _ACRONYM.match(doc[end + 1].text):
            return doc[end + 1].text
        return None

    def _acronym_after(self, doc: Doc, end: int) -> str | None:
        """An acronym in parentheses right after a name: "(APPG)"."""
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            abbr = doc[end + 1].text
            if _ACRONYM.match(abbr):
                return self.by_key.get(fold_key(abbr)) or self.by_acronym.get(abbr.upper())
        return None


def doc_texts(doc: Doc) -> list[str]:
    """Token texts of a Doc without creating Token objects."""
    from spacy.attrs import ORTH

    strings = doc.vocab.strings
    return [strings[int(h)] for h in doc.to_array([ORTH])] if len(doc) else []


def _case_ok(template: list[str], span) -> bool:
    """A capitalised alias word must be capitalised (or upper) in the text."""
    for want, tok in zip(template, span):
        if want[:1].isupper() and not tok.text[:1].isupper():
            return False
        if want.isupper() and len(want) > 1 and not tok.text.isupper():
            return False  # an acronym alias ("TACT") must stay an acronym
    return True


def _longest(found: list[tuple[int, int, str]], doc: Doc, line_index: int, line_start: int) -> list[Hit]:
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    busy: set[int] = set()
    hits = []
    for start, end, agent_id in found:
        if busy.intersection(range(start, end)):
            continue
        busy.update(range(start, end))
        hits.append(hit_at(agent_id, doc, start, end, line_index, line_start))
    return sorted(hits, key=lambda h: h.start)


def hit_at(agent_id: str, doc: Doc, start: int, end: int, line_index: int, line_start: int) -> Hit:
    span = doc[start:end]
    return Hit(agent_id, line_index, start, end, line_start + span.start_char, line_start + span.end_char)


def _is_cap(tok) -> bool:
    return tok.text[:1].isupper() and (tok.is_alpha or "-" in tok.text or tok.text.endswith("?"))


def _extend_name(doc: Doc, head: int) -> tuple[int, int]:
    """Capitalised words left of a head noun, plus a "for/of X Y" tail."""
    start = head
    j = head - 1
    while j >= 0:
        tok = doc[j]
        # "'" is a plural possessive inside a name ("Care Leavers' Foundation")
        if _is_cap(tok) or tok.text in ("-", "'s", "?") or tok.is_digit or \
                tok.text == "'" and j > 0 and doc[j - 1].text[-1:] in "sS" and _is_cap(doc[j - 1]):
            start = j
        elif tok.lower_ in ("and", "&") and doc[j + 1].lower_ == "the":
            break  # "Become and The Children's Society": a list of two bodies, not one name
        elif tok.lower_ in ("of", "for", "and", "&") and j > 0 and _is_cap(doc[j - 1]) and start == j + 1:
            start = j
        else:
            break
        j -= 1
    while start < head and (doc[start].lower_ in _NOT_NAME or not _is_cap(doc[start])):
        start += 1
    end = head + 1
    # a name with two head nouns ("Eastbrook Council Federation", "Kinship
    # Care Network Trust"): capitalised words up to a later head belong to it
    m = end
    while m < len(doc) and m - end < 4 and _is_cap(doc[m]):
        m += 1
        if doc[m - 1].lower_ in ORG_HEADS:
            end = m
    k = end
    # tail: "for Looked After Children and Care Leavers", "of Directors"
    while k < len(doc) and doc[k].lower_ in ("for", "of", "in", "and", "&"):
        m = k + 1
        # a hyphen or possessive between capitalised words stays inside the
        # name ("of Children's Services", "for Care Leavers' Rights")
        while m < len(doc) and (_is_cap(doc[m]) or doc[m].text in ("-", "'s", "'") and m > k + 1
                                and m + 1 < len(doc) and _is_cap(doc[m + 1])):
            m += 1
        if m == k + 1:
            break
        end = k = m
    return start, end


def org_name_at(doc: Doc, start: int, stop: int | None = None) -> int:
    """End of an organisation's name written from ``start`` in a slot that
    calls for one ("Director, Defend Digital Me", "the charity Article 39"):
    capitalised words, numbers and the connectors of names, at most eight
    tokens, ending on a capitalised word or a number."""
    stop = len(doc) if stop is None else min(stop, len(doc))
    end = start
    k = start
    while k < stop and k - start < 8:
        tok = doc[k]
        if _is_cap(tok) or tok.is_digit and k > start or tok.text in ("'s", "'") and k > start:
            k += 1
            if _is_cap(tok) or tok.is_digit:
                end = k
        elif tok.lower_ in _CONNECTORS and k > start:
            k += 1
        else:
            break
    return end


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip()
    return name[4:] if name.lower().startswith("the ") else name


# -- persons -------------------------------------------------------------------
_NAME_TOKEN = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*$|^[A-Z][a-z]*[A-Z][a-z]+$|^[A-Z]\.?$|^O'[A-Z][a-z]+$")
# Titles before a personal name ("Dame", "Cllr": part of the span, not of the
# name), lower-case particles inside surnames ("de Souza") and capitalised
# words that are never part of a personal name (months, "Bill", "England").
HONORIFICS = lexicon.words("actors.honorifics")
NAME_PARTICLES = lexicon.words("actors.name_particles")
_NOT_PERSON = lexicon.words("actors.not_person")


def _glued(doc: Doc, k: int) -> bool:
    """Whether token k follows token k-1 with no space ("Sacks-Jones")."""
    return k > 0 and doc[k].idx == doc[k - 1].idx + len(doc[k - 1].text)


def person_name_at(doc: Doc, start: int) -> int:
    """End of a personal name starting at ``start`` (or ``start``): optional
    honorifics, then two to four name words, with hyphenated parts
    ("Sacks-Jones") and lower-case particles ("de Souza") inside."""
    n = len(doc)
    k = start
    while k < n and doc[k].lower_.rstrip(".") in HONORIFICS and doc[k].text[:1].isupper():
        k += 1
        if k < n and doc[k].text == "." and _glued(doc, k):
            k += 1
    honorific = k > start
    words, j, end = 0, k, k
    while j < n and words < 4:
        text = doc[j].text
        if _NAME_TOKEN.match(text) and text.lower() not in _NOT_PERSON:
            words += 1
            j += 1
            end = j
            # a hyphenated surname: "Sacks - Jones" with no spaces around the hyphen
            while j + 1 < n and doc[j].text == "-" and _glued(doc, j) and _glued(doc, j + 1) \
                    and _NAME_TOKEN.match(doc[j + 1].text):
                j += 2
                end = j
        elif text in NAME_PARTICLES and words >= 1 and j + 1 < n and _NAME_TOKEN.match(doc[j + 1].text):
            j += 1
        else:
            break
    if words < 2 and not (honorific and words == 1):
        return start
    first = doc[k].lower_
    if first in _NOT_NAME or first in ROLE_WORDS:
        return start
    if any(doc[i].lower_ in ORG_HEADS or doc[i].lower_ in SPEECH_VERBS for i in range(k, end)):
        return start
    return end


def person_name_before(doc: Doc, end: int) -> int:
    """Start of a personal name ending at ``end`` (or ``end``)."""
    for size in (7, 6, 5, 4, 3, 2):
        start = end - size
        if start >= 0 and person_name_at(doc, start) == end:
            return start
    return end


def clean_person_name(name: str) -> str:
    """A person's name without the titles before it ("Dame Rachel de Souza" -> "Rachel de Souza")."""
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS:
        words = words[1:]
    return " ".join(words).replace(" - ", "-")
