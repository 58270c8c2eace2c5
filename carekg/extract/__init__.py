"""The extractor: who supports or opposes which proposal, and the evidence.

``extract_document(document, knowledge)`` reads one document and returns an
``Extraction``: agents, their roles (mentions), stance statements, evidence
claims and emergent proposals, every passage anchored by code-point offsets
into the original text. Matchers are built once per Knowledge and cached.

Each stage is a module with one job: ``sentences`` (lines, tokens, stems),
``actors``/``persons``/``speakers`` (who is named, who speaks), ``proposals``
(codebook concepts), ``stances``, ``claims`` and ``emergent``. The word
lists they read are data, in ``lexicon.yaml`` (loaded by ``lexicon``). A long
document is read in sections (``sections``); the proposal recogniser learned
from examples is ``recogniser``.

Stage 2 of the pipeline. May import: :mod:`carekg.ingest`, :mod:`carekg.vocab`,
and the base modules (:mod:`carekg.errors`, :mod:`carekg.stopping`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from carekg.extract import lexicon
from carekg.extract.actors import AgentIndex
from carekg.extract.claims import find_claim
from carekg.extract.emergent import emergent_ask
from carekg.extract.proposals import ConceptMatch, ConceptMatcher
from carekg.extract.recogniser import NONE, Ranked, Recogniser, recogniser_for
from carekg.extract.sentences import Line, Sent, analyse, is_question
from carekg.extract.speakers import Actors, cited_hits, find_actors, possessive_owners, registry_agent
from carekg.extract.stances import Cue, Judgement, answer_stance, carries_stance, imperative, judge, line_cues, \
    position_sentences, third_party_on_topic
from carekg.extract.text import normalise
from carekg.vocab.knowledge import Knowledge
from carekg.vocab.model import UNKNOWN_AUTHOR_ID, Agent, Claim, Document, Extraction, Mention, Span, Statement

__all__ = ["extract_document", "resources"]

log = logging.getLogger(__name__)


@dataclass
class Resources:
    index: AgentIndex
    concepts: ConceptMatcher


_CACHE: dict[int, tuple[Knowledge, Resources]] = {}


def resources(knowledge: Knowledge) -> Resources:
    """Matchers for a Knowledge, built on first use and kept."""
    cached = _CACHE.get(id(knowledge))
    if cached is None or cached[0] is not knowledge:
        cached = (knowledge, Resources(AgentIndex(knowledge), ConceptMatcher(knowledge)))
        _CACHE[id(knowledge)] = cached
    return cached[1]


def extract_document(document: Document, knowledge: Knowledge) -> Extraction:
    """Extract agents, stances and claims; never raises on odd text."""
    try:
        return _extract(document, knowledge)
    except Exception:  # the contract: any text yields an Extraction
        log.exception("extraction failed on %s; keeping the author only", document.file)
        extraction = Extraction(document)
        author = document.publisher if document.publisher in knowledge.agents else None
        if author:
            extraction.agents[author] = registry_agent(resources(knowledge).index, author)
        else:
            author = UNKNOWN_AUTHOR_ID
            extraction.agents[author] = Agent(author, "unknown author", kind="unknown")
        extraction.mentions.append(Mention(author, "author"))
        return extraction


def _ask_context(lines: list[Line], cues: dict[int, list[Cue]]) -> set[int]:
    """Lines whose text is an ask without a cue word: numbered priorities,
    and bullets introduced by a numbered item or by an asking line."""
    asks: set[int] = set()
    intro_asks = False
    for line in lines:
        if line.kind in ("blank", "boilerplate"):
            continue
        if line.kind == "item" and line.number is not None:
            asks.add(line.index)
            intro_asks = True
        elif line.kind == "item" and line.bullet:
            if intro_asks:
                asks.add(line.index)
        else:
            intro_asks = line.text.rstrip().endswith(":") and any(
                c.family in ("SUPPORT", "FIRST_PERSON_ASK") for c in cues.get(line.index, []))
    return asks


def _extract(document: Document, knowledge: Knowledge) -> Extraction:
    res = resources(knowledge)
    recogniser = recogniser_for(knowledge, document.file)
    text = document.text
    norm = normalise(text)
    lines, sents = analyse(norm.text)
    actors = find_actors(document, lines, sents, res.index)
    cues = {line.index: line_cues(line.doc) for line in lines if line.doc is not None}
    asks = _ask_context(lines, cues)
    extraction = Extraction(document)
    statements: dict[tuple[str, str, str, int], Statement] = {}
    by_sent: dict[int, list[ConceptMatch]] = {}
    prev: Sent | None = None
    question: tuple[Sent, list[ConceptMatch]] | None = None  # an open question and its concepts
    answered: dict[tuple[str, str, str, int], int] = {}  # statement key -> start of the question it answers
    topic: tuple[Sent, list[ConceptMatch], list[Judgement]] | None = None  # what "it"/"this" may point back to
    gated = position_sentences(sents, cues)  # one reading of the gate for the batch and the loop
    readings = _Readings(recogniser, sents, gated)
    for sent in sents:
        if prev is not None and _section_break(lines, prev, sent, actors):
            question = None
            # a reply may answer a reported view ("The government will not X. We
            # disagree."): only a heading ends what "it" and "this" can point to
            if any(l.kind == "heading" or l.index in actors.speaker_lines
                   for l in lines[prev.line.index + 1:sent.line.index + 1]):
                topic = None
        speakers = actors.speakers.get(sent.index, actors.voice)
        # the stages read only the cues inside the sentence: filter the line's once
        line_cue = [c for c in cues.get(sent.line.index, ()) if sent.span.start <= c.start < sent.span.end]
        matches = res.concepts.match(sent)
        ask_here = sent.line.index in asks or imperative(sent)  # a numbered ask, or one in the imperative
        by_sent[sent.index] = matches
        hits = [(h.start, h.end, h.agent_id) for h in actors.hits.get(sent.line.index, [])
                if sent.span.start <= h.start < sent.span.end] + possessive_owners(sent, actors)
        judgements = judge(sent, matches, line_cue, speakers, hits, ask_here)
        if judgements:
            reread = _reread(readings, res.concepts, sent, matches, line_cue)
            if reread is not matches:
                matches = reread
                judgements = judge(sent, matches, line_cue, speakers, hits, ask_here)
        if not matches and sent.index in gated:
            # position first, then proposal: a stance in words no label holds
            # what the sentences just before were about makes a reading of this one likelier
            near = {m.concept for m in topic[1]} if topic is not None and sent.index - topic[0].index <= 3 else set()
            if near and speakers and carries_stance(sent, line_cue):
                near = set()  # a stance on the topic before: the carry-over below reads it
            learned = _learned(readings, res.concepts, sent, line_cue, near)
            if learned is not None:
                judgements = judge(sent, [learned], line_cue, speakers, hits, ask_here)
                judgements = [replace(j, confidence=round(j.confidence * 0.7, 2)) for j in judgements]
        if not matches and not judgements and topic is not None and sent.index - topic[0].index <= 3:
            other = third_party_on_topic(sent, line_cue, hits)
            if other is not None:
                judgements = [Judgement(other[0], m.concept, other[1], 0.55, None) for m in topic[1]]
        if not matches and not judgements and topic is not None and speakers and sent.index - topic[0].index <= 3:
            stance = carries_stance(sent, line_cue)
            if stance:
                # disagreeing with someone's refusal of X is asking for X
                refused = {j.concept for j in topic[2] if j.stance == "oppose" and j.actor_id not in speakers}
                judgements = [Judgement(a, m.concept,
                                        ("support" if stance == "oppose" and m.concept in refused else stance),
                                        0.55, None)
                              for m in topic[1] for a in speakers]
        if matches:
            topic = (sent, matches, judgements)
        if is_question(sent.text):
            question = (sent, matches) if matches else None
        elif question is not None and sent.line.index - question[0].line.index <= 3:
            # a consultation answer takes its stance on the question's proposals
            # ("Q2. Do you agree with X? Response: No. We disagree.")
            verdict = answer_stance(sent, line_cue)
            if verdict:
                judgements = judgements + [Judgement(a, m.concept, verdict, 0.6, m)
                                           for m in question[1] for a in speakers]
                # "Yes." alone says nothing: the quote runs from the question to the answer
                answered.update(((a, m.concept, verdict, sent.index), question[0].start)
                                for m in question[1] for a in speakers)
                # the answer, not the question, states the speaker's position: a numbered
                # question read as an ask ("4. Should X?" then "No.") gives way to it
                for a, m, s in ((a, m, s) for m in question[1] for a in speakers for s in ("support", "oppose")):
                    statements.pop((a, m.concept, s, question[0].index), None)
                question = None
        if not matches and not judgements:
            ask = emergent_ask(sent, line_cue)
            if ask is not None:
                extraction.emergent.setdefault(ask.id, ask)
                judgements = [Judgement(a, ask.id, "support", 0.5, None) for a in speakers]
        for j in judgements:
            key = (j.actor_id, j.concept, j.stance, sent.index)
            if key not in statements:
                statements[key] = Statement(j.actor_id, j.concept, j.stance,
                                            Span.of(text, answered.get(key, sent.start), sent.end),
                                            round(j.confidence, 2))
        prev = sent
    claims = _claims(sents, actors, by_sent, statements, text, asks)
    extraction.claims = [c for _, c in claims]
    extraction.statements = _with_evidence(list(statements.values()), claims)
    extraction.mentions = actors.mentions
    _collect_agents(extraction, actors, knowledge)
    return extraction


# The recogniser's margin a passage needs before its best proposal is taken,
# and its lead over the runner-up (an SVM margin: above 0 the model takes the
# passage to state the proposal).
LEARNED_MIN_SCORE = -0.2
# Held out, a bonus of 0.1-0.2 for the topic's proposals gave the same scores
# (devset-b 0.635 -> 0.642); 0.3 and more began to take a new topic for the old one.
TOPIC_BONUS = 0.15
LEARNED_MIN_WORDS = 3  # content words outside the stance cue a sentence needs to name a proposal
LEARNED_MIN_LEAD = 0.1


class _Readings:
    """The recogniser's rankings of a document's sentences, made in one batch
    (one product for all the sentences the position gate lets through, since
    scoring them one by one costs more than the rest of the extractor) on
    the first request; a sentence outside the batch is ranked on its own."""

    def __init__(self, recogniser: Recogniser, sents: list[Sent], gated: set[int]):
        self.recogniser, self.sents, self.gated = recogniser, sents, gated
        self.ranked: dict[int, list[Ranked]] | None = None

    def rank(self, sent: Sent) -> list[Ranked]:
        """Every proposal, best first."""
        if self.ranked is None:
            batch = [s for s in self.sents if s.index in self.gated or s.index == sent.index]
            ranked = self.recogniser.rank_many([_reading(s) for s in batch], top=None)
            self.ranked = {s.index: r for s, r in zip(batch, ranked)}
        found = self.ranked.get(sent.index)
        if found is None:
            found = self.ranked[sent.index] = self.recogniser.rank(_reading(sent), top=None)
        return found


def _reading(sent: Sent) -> str:
    """The sentence as the recogniser reads it: without the names and
    descriptions of bodies ("the children's rights charity X" names no
    proposal), which the matchers mask too."""
    masked = sent.line.masked
    if not masked:
        return sent.text
    texts = sent.line.texts
    return " ".join(texts[k] for k in range(sent.span.start, sent.span.end) if k not in masked)


def _learned(readings: "_Readings", concepts: ConceptMatcher, sent: Sent, cues: list[Cue],
             near: set[str] = frozenset()) -> ConceptMatch | None:
    """The proposal the recogniser reads in a sentence that states a position
    but names no proposal by its labels; None when it is unsure. The
    proposals of the sentences just before (``near``: a text dwells on one
    proposal for a few sentences) get ``TOPIC_BONUS`` on their scores."""
    spans = [(c.start, c.end) for c in cues]
    keys, masked = sent.line.keys, sent.line.masked
    content = sum(1 for k in range(sent.span.start, sent.span.end) if keys[k] is not None and k not in masked
                  and not any(lo <= k < hi for lo, hi in spans))
    if content < LEARNED_MIN_WORDS:
        return None  # "We disagree.": a verdict on the topic before, not a proposal of its own
    ranked = readings.rank(sent)
    if near:
        ranked = sorted((Ranked(r.proposal, r.score + TOPIC_BONUS) if r.proposal in near else r for r in ranked),
                        key=lambda r: (-r.score, r.proposal))
    ranked = ranked[:2]
    if not ranked or ranked[0].proposal == NONE or ranked[0].score < LEARNED_MIN_SCORE:
        return None
    if len(ranked) > 1 and ranked[0].score - ranked[1].score < LEARNED_MIN_LEAD:
        return None
    match = concepts.learned_match(sent, ranked[0].proposal, ranked[0].score, spans)
    if match.positions and sent.line.masked and match.positions <= sent.line.masked:
        return None  # only a body's name or description holds the proposal's words
    return match


LEARNED_OVER_LABEL = 0.3


def _reread(readings: "_Readings", concepts: ConceptMatcher, sent: Sent, matches: list[ConceptMatch],
            cues: list[Cue]) -> list[ConceptMatch]:
    """The label matches of a sentence that states a position, with the one
    the recogniser rates lowest replaced by the recogniser's own best proposal
    when that leads it by ``LEARNED_OVER_LABEL`` (neighbouring concepts: a
    label names kinship support where the passage asks for the allowance)."""
    ranked = readings.rank(sent)
    if not ranked:
        return matches
    best = ranked[0]
    score = {r.proposal: r.score for r in ranked}
    if best.proposal == NONE or best.score < LEARNED_MIN_SCORE or any(m.concept == best.proposal for m in matches):
        return matches
    weakest = min(matches, key=lambda m: score.get(m.concept, -9.0))
    if best.score - score.get(weakest.concept, -9.0) < LEARNED_OVER_LABEL:
        return matches
    learned = concepts.learned_match(sent, best.proposal, best.score, [(c.start, c.end) for c in cues])
    return [learned if m is weakest else m for m in matches]


def _section_break(lines: list[Line], a: Sent, b: Sent, actors: Actors) -> bool:
    """No carry-over of a topic across a heading or a change of speaker."""
    if actors.speakers.get(a.index) != actors.speakers.get(b.index):
        return True
    return any(l.kind == "heading" for l in lines[a.line.index + 1:b.line.index + 1])


# "That is …", "This means …": the first and second words of a sentence that
# continues the claim before it (lexicon.yaml, claims).
_CONTINUING_OPENERS = lexicon.words("claims.continuing_openers")
_CONTINUING_VERBS = lexicon.words("claims.continuing_verbs")


def _continues(sent: Sent, sents: list[Sent], last: tuple[int, Claim]) -> bool:
    """A sentence opening "That is", "This means", "It is" right after a claim
    in the same paragraph continues that claim."""
    if last[0] != sent.index - 1 or sents[last[0]].line is not sent.line:
        return False
    lowers = sent.line.lowers[sent.span.start:sent.span.start + 2]
    return len(lowers) == 2 and lowers[0] in _CONTINUING_OPENERS and lowers[1] in _CONTINUING_VERBS


def _claims(sents: list[Sent], actors: Actors, by_sent: dict[int, list[ConceptMatch]],
            statements: dict[tuple[str, str, str, int], Statement], text: str,
            asks: set[int] = frozenset()) -> list[tuple[int, Claim]]:
    found: list[tuple[int, Claim]] = []
    stated = {}  # sentence index -> concepts stated there
    cited: dict[int, list] = {}  # line index -> cited hits
    for (actor, concept, stance, index), st in statements.items():
        stated.setdefault(index, []).append((actor, concept))
    for sent in sents:
        if sent.line.index in asks:  # a numbered or bulleted ask states no fact
            continue
        claim = find_claim(sent)
        if claim is None:
            continue
        if found and _continues(sent, sents, found[-1]):
            # "That is 41% of …" right after a claim extends it
            index, previous = found[-1]
            found[-1] = (sent.index, replace(previous, span=Span.of(text, previous.span.start, claim.end),
                                             values=previous.values + claim.values))
            continue
        # a claim nobody holds as a position (news copy) is the publisher's
        speakers = actors.speakers.get(sent.index) or [actors.author_id]
        cited_id = cited_text = None
        # the named source of the evidence: a body cited in this sentence
        # (any claim kind: "a survey by X found that 62% …" is a statistic)
        for hit in cited.setdefault(sent.line.index, cited_hits(sent.line, actors)):
            if sent.span.start <= hit.start < sent.span.end and hit.agent_id not in speakers:
                cited_id, cited_text = hit.agent_id, text[hit.start_char:hit.end_char]
                break
        if cited_id is None and claim.cited_token is not None:
            for hit in actors.hits.get(sent.line.index, []):
                if hit.agent_id in speakers:  # "according to X" in X's own sentence cites nobody else
                    continue
                if abs(hit.start - claim.cited_token) <= 4 or abs(hit.end - claim.cited_token) <= 4:
                    cited_id = hit.agent_id
                    cited_text = text[hit.start_char:hit.end_char]
                    break
        proposal = _nearest_ask(sent, sents, stated, speakers[0], by_sent)
        found.append((sent.index, Claim(speakers[0], claim.kind, Span.of(text, claim.start, claim.end),
                                        claim.values, proposal, cited_id, cited_text,
                                        0.7 if claim.kind != "assertion" else 0.5)))
    return found


def _nearest_ask(sent: Sent, sents: list[Sent], stated: dict, actor: str,
                 by_sent: dict[int, list[ConceptMatch]]) -> str | None:
    """The proposal the claim backs: stated in its sentence, else the
    nearest ask of the same speaker within three sentences (same line first)."""
    order = sorted(range(max(0, sent.index - 3), min(len(sents), sent.index + 4)),
                   key=lambda i: (abs(i - sent.index), sents[i].line.index != sent.line.index, -i))
    for i in order:
        for who, concept in stated.get(i, []):
            if who == actor and not concept.startswith("emergent:"):
                return concept
    return None


def _with_evidence(statements: list[Statement], claims: list[tuple[int, Claim]]) -> list[Statement]:
    backing: dict[tuple[str | None, str], list[str]] = {}
    for _, c in claims:
        backing.setdefault((c.proposal_id, c.claimant_id), []).append(c.key)
    out = []
    for st in statements:
        keys = tuple(backing.get((st.proposal_id, st.actor_id), ()))
        out.append(replace(st, evidence=keys) if keys else st)
    return out


def _collect_agents(extraction: Extraction, actors: Actors, knowledge: Knowledge) -> None:
    used = {m.agent_id for m in extraction.mentions} | {s.actor_id for s in extraction.statements} \
        | {c.claimant_id for c in extraction.claims} | {c.cited_agent_id for c in extraction.claims if c.cited_agent_id}
    index = resources(knowledge).index
    todo = list(used)
    while todo:
        agent_id = todo.pop()
        if agent_id in extraction.agents:
            continue
        agent = actors.agents.get(agent_id)
        if agent is None and agent_id in knowledge.agents:
            agent = registry_agent(index, agent_id)
        if agent is None:
            agent = Agent(agent_id, agent_id)
        extraction.agents[agent_id] = agent
        if agent.member_of:
            todo.append(agent.member_of)
