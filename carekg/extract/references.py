"""How a text names bodies again: "the review", "the department" pointing
back to a named body, "its proposal" to the last one named, a one-word name
that is only an ordinary word opening a sentence, and the names and
descriptions of bodies that must never count as a proposal."""

from __future__ import annotations

from carekg.extract import lexicon
from carekg.extract.actors import ORG_HEADS, Hit, hit_at
from carekg.extract.persons import Actors, org_before
from carekg.extract.sentences import Line, Sent

__all__ = ["common_word", "mask_names", "possessive_owners", "short_references"]

def possessive_owners(sent: Sent, actors: Actors) -> list[tuple[int, int, str]]:
    """"Its proposal of X", "their plan to": the possessive points to the
    body last named by name (this line first, then the lines before)."""
    lowers = sent.line.lowers
    out = []
    for k in range(sent.span.start, sent.span.end - 1):
        if lowers[k] in ("its", "their") and lowers[k + 1] in _OWNED:
            owner = org_before(sent.line, actors, k)
            if owner is not None:
                out.append((k, k + 1, owner))
    return out


# What a body proposes or decides, as nouns: "its proposal", "their plan".
_OWNED = lexicon.words("attribution.owned_nouns")


# Nouns that describe what kind of body an organisation is: "the children's
# rights charity X", "X, the charity for children in care,".
_KIND_NOUNS = lexicon.words("attribution.kind_nouns")


def mask_names(lines: list[Line], actors: Actors) -> None:
    """Mark the names of bodies and persons, and the phrases describing what
    a body is, for proposal matching: a charity named after its cause
    ("Kinship", "Care Leavers' Association") or described by it ("the
    children's rights charity") states no position on that cause."""
    for line in lines:
        hits = actors.hits.get(line.index)
        if line.doc is None or not hits:
            continue
        masked: set[int] = set()
        texts = line.lowers
        for hit in hits:
            masked.update(range(hit.start, hit.end))
            # "the children's rights charity X": back from the name to "the/a"
            k = hit.start - 1
            if k >= 0 and texts[k] in _KIND_NOUNS:
                while k >= 0 and texts[k] not in ("the", "a", "an", ",", ".", ":", ";") and hit.start - k <= 6:
                    masked.add(k)
                    k -= 1
            # "X, the charity for children in care and care leavers, said"
            k = hit.end
            if k + 2 < len(texts) and texts[k] == "," and texts[k + 1] in ("the", "a", "an"):
                close = next((j for j in range(k + 2, min(len(texts), k + 16)) if texts[j] == ","), None)
                if close is not None and _KIND_NOUNS.intersection(texts[k + 2:close]):
                    masked.update(range(k + 1, close))
        line.masked = frozenset(masked)


def _lower_case_bigrams(lines: list[Line]) -> set[tuple[str, str]]:
    """Word pairs the text writes in lower case ("kinship care")."""
    pairs = set()
    for line in lines:
        texts = line.texts
        for k in range(len(texts) - 1):
            if texts[k][:1].islower() and texts[k + 1][:1].islower():
                pairs.add((texts[k], texts[k + 1]))
    return pairs


def common_word(line: Line, hit: Hit, common: list[set[tuple[str, str]]], lines: list[Line]) -> bool:
    """A one-word name that is an ordinary word capitalised only because it
    opens a sentence ("Kinship care is …", "Frontline social workers …"):
    the same words stand in lower case elsewhere in the text."""
    if hit.end - hit.start != 1:
        return False
    if all(not t[:1].isalnum() for k, t in enumerate(line.texts) if k != hit.start):
        # a line of its own ("Kinship" as a section heading over kinship care):
        # a topic when the text writes the word in lower case elsewhere
        word = line.texts[hit.start]
        if word.isupper() or not word[:1].isupper():
            return False
        if not common:
            common.append(_lower_case_bigrams(lines))
        lower = word.lower()
        return any(a == lower or b == lower for a, b in common[0])
    if hit.end >= len(line.texts):
        return False
    word, nxt = line.texts[hit.start], line.texts[hit.end]
    if word.isupper() or not nxt[:1].islower():
        return False
    opens = hit.start == 0 or any(s.span.start == hit.start for s in line.sents) \
        or all(not t[:1].isalnum() for t in line.texts[:hit.start])
    if not opens:
        return False
    if not common:
        common.append(_lower_case_bigrams(lines))
    return (word.lower(), nxt) in common[0]


def short_references(lines: list[Line], actors: Actors) -> None:
    """"The Forum", "the Trust": once a text has named an organisation, English
    refers back to it by "the" + its capitalised head noun. Counted as a
    mention of that organisation when exactly one named organisation (the
    author included) has that head."""
    owners: dict[str, set[str]] = {}
    first_named: dict[str, int] = {}  # agent -> first line naming it
    names: dict[str, set[str]] = {}  # agent -> the names the text calls it by
    for line_index in sorted(actors.hits):
        line = lines[line_index]
        for h in actors.hits[line_index]:
            first_named.setdefault(h.agent_id, line_index)
            if line.doc is not None:
                names.setdefault(h.agent_id, set()).add(line.doc[h.start:h.end].text)
    first_named.setdefault(actors.author_id, -1)
    for agent_id in first_named:
        agent = actors.agents.get(agent_id)
        if agent is None or agent.kind != "organisation":
            continue
        for name in {agent.label} | names.get(agent_id, set()):
            head = _head_noun(name) if " " in name else None
            if head is not None:
                owners.setdefault(head, set()).add(agent_id)
    heads = {head: next(iter(ids)) for head, ids in owners.items() if len(ids) == 1}
    if not heads:
        return
    # the capitalised words of each owner's names: "the Independent Review" keeps
    # words of "Independent Review of Children's Social Care" before its head
    name_words = {owner: {w.lower() for n in {actors.agents[owner].label} | names.get(owner, set()) for w in n.split()}
                  for owner in set(heads.values())}
    for line in lines:
        if line.doc is None:
            continue
        line_hits = actors.hits.setdefault(line.index, [])
        busy = {i for h in line_hits for i in range(h.start, h.end)}
        doc, texts, lowers = line.doc, line.texts, line.lowers
        for i in range(len(lowers) - 1):
            if lowers[i] != "the" or i in busy:
                continue
            # "the Independent Review": capitalised words of the name, then its head
            j = i + 1
            while j < len(lowers) - 1 and j - i <= 2 and lowers[j] not in heads and texts[j][:1].isupper() \
                    and j not in busy:
                j += 1
            head = lowers[j] if j < len(lowers) else ""
            if head not in heads or j in busy:
                continue
            owner = heads[head]
            if j > i + 1 and not all(lowers[k] in name_words[owner] for k in range(i + 1, j)):
                continue
            if j > i + 1 and not texts[j][:1].isupper():
                continue
            if j > i + 1:
                nxt = texts[j + 1] if j + 1 < len(texts) else None
                if nxt is not None and (nxt[:1].isupper() and nxt.isalpha() or nxt.lower() in ("of", "for")):
                    continue
                line_hits.append(hit_at(owner, doc, i, j + 1, line.index, line.start))
                busy.update(range(i, j + 1))
                continue
            # lower case ("the review") only points back once the body has been named
            if not texts[i + 1][:1].isupper() and first_named[owner] > line.index:
                continue
            nxt = texts[i + 2] if i + 2 < len(texts) else None
            if nxt is not None and (nxt[:1].isupper() and nxt.isalpha() or nxt.lower() in ("of", "for")):
                continue  # "the Forum Committee", "the review of X": a longer name, not a reference back
            line_hits.append(hit_at(owner, doc, i, i + 2, line.index, line.start))
        line_hits.sort(key=lambda h: h.start)


def _head_noun(label: str) -> str | None:
    """The head noun of an organisation's name, lower case: its last word,
    or the last word before "of/for" ("Independent Review of X" -> review)."""
    words = label.split()
    tail = False
    for k, word in enumerate(words):
        if word.lower() in ("of", "for") and k > 0:
            words, tail = words[:k], True
            break
    head = words[-1].lower()
    # one word alone names no body ("Department" is only a head when "for Education" follows)
    return head if (head in ORG_HEADS or head in _REFERENCE_HEADS) and (len(words) > 1 or tail) else None


# Heads by which a named review or inquiry is referred back to ("the review
# recommends"), which are not enough to make an unknown phrase a body's name.
_REFERENCE_HEADS = lexicon.words("attribution.reference_heads")
