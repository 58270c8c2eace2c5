"""The document's own voice: who holds what a text says as "we" and in its
unattributed sentences — its author, the signatories of a joint text, or
nobody (news and round-ups report positions without holding them)."""

from __future__ import annotations

import re
from bisect import bisect_right

from carekg.extract import lexicon
from carekg.extract.actors import AgentIndex
from carekg.extract.persons import Actors
from carekg.extract.sentences import Line, Sent
from carekg.vocab.model import UNKNOWN_AUTHOR_ID, Mention

__all__ = ["document_voice"]

# A line that opens the list of those who sign a text ("Signed:", "Signatories",
# "Yours sincerely,"): the names after it hold the text's asks.
_SIGNED = re.compile(r"^\s*(" + "|".join(lexicon.phrases("attribution.signed_lines")) + r")\s*[:,.]?\s*$", re.I)
_FIRST_PERSON = lexicon.words("attribution.first_person")
# A byline naming a journalist's job ("By Jane Doe, Health Reporter"): the
# publisher reports the positions of others and holds none.
_NEWS_ROLES = lexicon.words("attribution.news_roles")
# A quotation in single quotes (headlines, British press style): ‘…’, or
# straight quotes not glued to a word before the opening one.
_SINGLE_QUOTED = re.compile(r"‘[^’\n]{3,}’|(?<![\w])'[^'\n]{3,}'(?![\w])")


def _signatories(lines: list[Line], actors: Actors) -> list[str]:
    """Those who sign the text: the speaker lines after a "Signed:" or
    "Yours sincerely," line (an organisation, or a person; a person signing
    for an organisation leaves the position with it)."""
    signers: list[str] = []
    for line in lines:
        if line.doc is None or not _SIGNED.match(line.text):
            continue
        for after in lines[line.index + 1:]:
            if after.doc is None:
                continue
            named = actors.speaker_lines.get(after.index)
            if named is None:
                if signers:
                    break
                continue
            for agent_id in named:
                agent = actors.agents.get(agent_id)
                signers.append(agent.member_of if agent is not None and agent.member_of else agent_id)
    return list(dict.fromkeys(signers))


def _reads_as_reportage(sents: list[Sent], actors: Actors, regions: list[tuple[int, int]]) -> bool:
    """A text that quotes or reports others and never speaks in the first
    person outside quotations is reportage: its author holds no position."""
    starts = [r[0] for r in regions]
    singles: dict[int, list[tuple[int, int]]] = {}  # line index -> single-quoted spans
    for sent in sents:
        line = sent.line
        if line.kind == "boilerplate":
            continue
        for k in range(sent.span.start, sent.span.end):
            if line.lowers[k] not in _FIRST_PERSON:
                continue
            at = line.start + line.idx[k]
            r = bisect_right(starts, at) - 1
            if r >= 0 and regions[r][0] <= at < regions[r][1]:
                continue
            if line.index not in singles:
                singles[line.index] = [(line.start + m.start(), line.start + m.end())
                                       for m in _SINGLE_QUOTED.finditer(line.text)]
            if not any(a <= at < b for a, b in singles[line.index]):
                return False
    others = {h.agent_id for hits in actors.hits.values() for h in hits if h.agent_id != actors.author_id}
    return len(others) >= 2


def _journalist_byline(lines: list[Line]) -> bool:
    """A byline near the top naming a journalist's job ("By Jane Doe, Health
    Reporter", "Jane Doe, Political Correspondent"): the text is news."""
    seen = 0
    for line in lines:
        if line.doc is None or line.kind in ("blank", "boilerplate"):
            continue
        seen += 1
        if seen > 12:
            break
        words = [w for w in line.lowers if w[:1].isalnum()]
        if 2 <= len(words) <= 12 and any(w in _NEWS_ROLES for w in words) and (
                words[0] == "by" or "," in line.lowers or "|" in line.lowers):
            return True
    return False


def document_voice(lines: list[Line], sents: list[Sent], actors: Actors, index: AgentIndex,
           regions: list[tuple[int, int]]) -> list[str]:
    signers = _signatories(lines, actors)
    if signers:
        for agent_id in signers:
            if agent_id != actors.author_id:
                actors.mentions.append(Mention(agent_id, "author"))
        return signers
    author = actors.author_id
    if author == UNKNOWN_AUTHOR_ID:
        return []
    registered = index.knowledge.agents.get(author)
    if registered is not None:
        return [] if registered.type == "media" else [author]
    if _journalist_byline(lines):
        return []
    author_agent = actors.agents.get(author)
    if author_agent is not None and author_agent.kind == "person":
        return [author_agent.member_of or author]
    if _reads_as_reportage(sents, actors, regions):
        return []
    return [author]
