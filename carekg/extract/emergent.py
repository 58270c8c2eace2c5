"""Emergent proposals: clear asks that no codebook concept covers.

Only an explicit first-person ask ("we call for", "we recommend", "we urge
the government to") with no concept match becomes an emergent proposal; its
label is the asked text. The slug is built from the sorted content stems of
the ask, so near-identical asks ("we call for free bus travel for care
leavers" / "we are calling for care leavers to get free bus travel") share
one emergent concept.
"""

from __future__ import annotations

from carekg.extract import lexicon
from carekg.extract.sentences import FUNCTION_WORDS, Sent
from carekg.extract.stances import Cue, first_person_ask
from carekg.vocab.model import EmergentProposal

# Stems left out of the id (who is asked, the words of asking) and words
# dropped from the front of the asked text (lexicon.yaml, emergent).
_SKIP = lexicon.words("emergent.skip_stems")
_LEAD_WORDS = lexicon.words("emergent.lead_words")
MAX_LABEL_WORDS = 16


def emergent_ask(sent: Sent, cues: list[Cue]) -> EmergentProposal | None:
    cue = first_person_ask(sent, cues)
    if cue is None:
        return None
    doc = sent.line.doc
    rest = [t for t in doc[cue.end:sent.span.end] if not t.is_space]
    while rest and (rest[0].is_punct or rest[0].lower_ in _LEAD_WORDS):
        rest = rest[1:]
    while rest and rest[-1].is_punct:
        rest = rest[:-1]
    stems = [t.norm_ for t in rest if t.is_alpha and t.lower_ not in FUNCTION_WORDS and t.norm_ not in _SKIP]
    if len(stems) < 2:
        return None
    words = rest[:MAX_LABEL_WORDS]
    label = doc[words[0].i:words[-1].i + 1].text
    slug = "-".join(sorted(dict.fromkeys(stems[:8]))[:6])
    return EmergentProposal(f"emergent:{slug}", label)
