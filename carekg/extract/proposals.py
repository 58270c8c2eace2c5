"""Matching sentences to codebook concepts through their labels.

Every proposal's prefLabel and skos:altLabels (ontology/codebook.ttl) are
reduced to their content stems. A label matches a sentence when all its
content stems occur within a short window of tokens, in any order: people
write "funding for family help should be restored" as often as "restore
family help funding". A one-word label must occur as such.

A sentence that restates most of a proposal's definition (weighted by how
distinctive each word is across the codebook) also matches it: texts often
paraphrase the very wording a codebook definition was written from.

When matches share tokens, the one with more matched content words wins (the
more specific wording), and a narrower concept beats its broader one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from carekg.extract import lexicon
from carekg.extract.sentences import FUNCTION_WORDS, Sent, phrase_doc
from carekg.vocab.knowledge import Knowledge


@dataclass(frozen=True)
class LabelPattern:
    concept: str
    label: str
    stems: tuple[str, ...]  # content stems, in label order
    size: int  # tokens of the label, function words included

    @property
    def stemset(self) -> frozenset[str]:
        return frozenset(self.stems)


@dataclass(frozen=True)
class ConceptMatch:
    concept: str
    label: str
    positions: frozenset[int]  # token indices (line Doc) of the matched stems
    start: int  # token index of the first matched token
    end: int  # token index after the last
    score: float


def content_stems(doc) -> tuple[str, ...]:
    return tuple(t.norm_ for t in doc if not t.is_punct and t.lower_ not in FUNCTION_WORDS and t.norm_.strip())


def window_for(pattern: "LabelPattern") -> int:
    """How wide (in tokens) the stretch holding a label's k content words may
    be: the label's own length plus a little slack for inserted modifiers
    ("national guidance" ~ "national best-practice guidance")."""
    k = len(pattern.stems)
    return 1 if k == 1 else pattern.size + 2 + k // 2


# Stems of generic head words of labels (what is asked is in the other words).
GENERIC_STEMS = lexicon.words("proposals.generic_stems")  # lexicon.yaml, proposals

DEFINITION_RATIO = 0.5  # share of a definition's distinctive weight a sentence must repeat
DEFINITION_MIN_WORDS = 4
# The semantic fallback, for sentences that state a position in words no label
# holds: a concept's "profile" is the stems of all its labels and its
# definition, weighted by how few concepts share them (IDF); a sentence
# matches the concept whose profile it overlaps most, by a clear margin.
# Tuned on the development corpus (tests/devset): lower thresholds found
# more but added as many false positives.
# A word counts towards a narrower concept only if few concepts use it
# (IDF of a word shared by at most about four of the 55 concepts).
NARROWER_MIN_WEIGHT = 2.4
SOFT_MIN_SCORE = 0.0
SOFT_MIN_ABS = 11.0
SOFT_MIN_WORDS = 2
SOFT_MARGIN = 1.2


class ConceptMatcher:
    """Built once per Knowledge: an index from stem to the labels using it."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self.depth = {pid: self._depth(pid) for pid in knowledge.proposals}
        patterns: list[LabelPattern] = []
        seen = set()
        for proposal in knowledge.proposals.values():
            for label in (proposal.label, *proposal.alt_labels):
                doc = phrase_doc(label)
                stems = content_stems(doc)
                if not stems or (proposal.id, stems) in seen:
                    continue
                seen.add((proposal.id, stems))
                patterns.append(LabelPattern(proposal.id, label, stems, len(doc)))
                # "support for care leavers up to 25" is also said as "a personal
                # adviser for care leavers up to 25": a generic head word ("support",
                # "help", "access to") may be left out when three specific words remain
                specific = tuple(st for st in stems if st not in GENERIC_STEMS)
                if len(specific) >= 3 and len(specific) < len(stems) and (proposal.id, specific) not in seen:
                    seen.add((proposal.id, specific))
                    patterns.append(LabelPattern(proposal.id, label, specific, len(doc)))
        # each pattern is looked up by its rarest stem, so a sentence full of
        # common words ("children", "care") tries few patterns
        frequency: dict[str, int] = defaultdict(int)
        for pattern in patterns:
            for stem in set(pattern.stems):
                frequency[stem] += 1
        by_stem: dict[str, list[LabelPattern]] = defaultdict(list)
        for pattern in patterns:
            by_stem[min(pattern.stems, key=lambda st: (frequency[st], st))].append(pattern)
        self.by_stem = dict(by_stem)  # plain dict: lookups must not insert
        self.stemsets = {id(p): p.stemset for ps in self.by_stem.values() for p in ps}
        self._definitions(knowledge)
        self._profiles(knowledge)
        self.narrower: dict[str, list[str]] = defaultdict(list)
        for p in knowledge.proposals.values():
            if p.broader in knowledge.proposals:
                self.narrower[p.broader].append(p.id)

    def _definitions(self, knowledge: Knowledge) -> None:
        """Distinctive definition stems per concept, with IDF weights."""
        bags = {}
        for p in knowledge.proposals.values():
            bags[p.id] = set(content_stems(phrase_doc(p.definition))) | set(content_stems(phrase_doc(p.label)))
        n = len(bags)
        df: dict[str, int] = defaultdict(int)
        for bag in bags.values():
            for stem in bag:
                df[stem] += 1
        self.weight = {stem: math.log((n + 1) / count) for stem, count in df.items() if count <= max(2, n // 8)}
        self.definition = {pid: {s for s in bag if s in self.weight} for pid, bag in bags.items()}
        self.definition_total = {pid: sum(self.weight[s] for s in bag) or 1.0 for pid, bag in self.definition.items()}
        self.by_definition_stem: dict[str, list[str]] = defaultdict(list)
        for pid, bag in self.definition.items():
            for stem in bag:
                self.by_definition_stem[stem].append(pid)

    def _profiles(self, knowledge: Knowledge) -> None:
        """Each concept's stems from every label and its definition, with
        IDF weights over concepts, for the semantic fallback."""
        bags: dict[str, set[str]] = {}
        for p in knowledge.proposals.values():
            bag: set[str] = set()
            for text in (p.label, *p.alt_labels, p.definition):
                bag.update(s for s in content_stems(phrase_doc(text)) if s not in GENERIC_STEMS)
            bags[p.id] = bag
        n = len(bags)
        df: dict[str, int] = defaultdict(int)
        for bag in bags.values():
            for stem in bag:
                df[stem] += 1
        self.profile_weight = {stem: math.log((n + 1) / count) for stem, count in df.items()}
        self.profile = bags
        self.by_profile_stem: dict[str, list[str]] = defaultdict(list)
        for pid, bag in bags.items():
            for stem in bag:
                self.by_profile_stem[stem].append(pid)
        self.by_profile_stem = dict(self.by_profile_stem)

    def soft_match(self, sent: Sent, lo: int | None = None, hi: int | None = None) -> ConceptMatch | None:
        """The concept whose profile the tokens [lo, hi) of the sentence share
        most (IDF-weighted, as a share of the sentence's own weight), if it
        clearly beats the next one; None otherwise."""
        keys = sent.line.keys
        lo = sent.span.start if lo is None else lo
        hi = sent.span.end if hi is None else hi
        where: dict[str, int] = {}
        for i in range(lo, hi):
            key = keys[i]
            if key is not None and key not in GENERIC_STEMS and key not in where:
                where[key] = i
        weight_of, unseen = self.profile_weight, math.log(len(self.profile) + 1)
        total = sum(weight_of.get(stem, unseen) for stem in where) or 1.0
        scores: dict[str, float] = defaultdict(float)
        by_profile_stem = self.by_profile_stem
        for stem in where:
            pids = by_profile_stem.get(stem)
            if pids:
                weight = weight_of[stem]
                for pid in pids:
                    scores[pid] += weight
        if not scores:
            return None
        # the best concept (ties: the first id) and the runner-up's score
        best = min(scores, key=lambda pid: (-scores[pid], pid))
        top = scores[best]
        second = max((v for pid, v in scores.items() if pid != best), default=0.0)
        if top < SOFT_MIN_ABS or top / total < SOFT_MIN_SCORE or top < SOFT_MARGIN * second:
            return None
        bag = self.profile[best]
        shared = [stem for stem in where if stem in bag]
        if len(shared) < SOFT_MIN_WORDS:
            return None
        positions = frozenset(where[s] for s in shared)
        if sent.line.masked and positions <= sent.line.masked:
            return None
        return ConceptMatch(best, "(profile)", positions, min(positions), max(positions) + 1, top / total)

    def learned_match(self, sent: Sent, concept: str, score: float,
                      cue_spans: list[tuple[int, int]] = ()) -> ConceptMatch:
        """A match of ``concept`` named by the recogniser: anchored on the
        sentence's words that the concept's labels and definition use, else
        on the whole sentence (the stance stages read cues around it). Words
        of a stance cue (``cue_spans``, token ranges) are never its anchor: a
        label's own words are no cue, and "we do not support X" must keep its
        "do not support"."""
        keys, bag = sent.line.keys, self.profile.get(concept, set())
        positions = frozenset(i for i in range(sent.span.start, sent.span.end)
                              if keys[i] is not None and keys[i] in bag and keys[i] not in GENERIC_STEMS
                              and not any(lo <= i < hi for lo, hi in cue_spans))
        if not positions:
            return ConceptMatch(concept, "(learned)", frozenset(), sent.span.end, sent.span.end, score)
        return ConceptMatch(concept, "(learned)", positions, min(positions), max(positions) + 1, score)

    def definition_matches(self, where: dict[str, list[int]]) -> list[ConceptMatch]:
        """Concepts whose distinctive definition words the sentence mostly repeats."""
        shared: dict[str, set[str]] = defaultdict(set)
        for stem in where:
            for pid in self.by_definition_stem.get(stem, ()):
                shared[pid].add(stem)
        out = []
        for pid, stems in shared.items():
            if len(stems) < DEFINITION_MIN_WORDS:
                continue
            ratio = sum(self.weight[s] for s in stems) / self.definition_total[pid]
            if ratio >= DEFINITION_RATIO:
                positions = frozenset(where[s][0] for s in stems)
                out.append(ConceptMatch(pid, "(definition)", positions, min(positions), max(positions) + 1,
                                        2.0 + 4 * ratio + 0.3 * self.depth[pid]))
        return out

    def _depth(self, pid: str) -> int:
        depth, seen = 0, set()
        while pid in self.knowledge.proposals and self.knowledge.proposals[pid].broader and pid not in seen:
            seen.add(pid)
            pid = self.knowledge.proposals[pid].broader
            depth += 1
        return depth

    def match(self, sent: Sent) -> list[ConceptMatch]:
        line = sent.line
        where: dict[str, list[int]] = {}
        keys = line.keys
        for i in range(sent.span.start, sent.span.end):
            key = keys[i]
            if key is not None:
                if key in where:
                    where[key].append(i)
                else:
                    where[key] = [i]
        present = where.keys()
        found: list[ConceptMatch] = []
        by_stem, stemsets = self.by_stem, self.stemsets
        for stem in [s for s in where if s in by_stem]:
            for pattern in by_stem[stem]:
                if not stemsets[id(pattern)] <= present:
                    continue
                best = self._window(pattern, where)
                if best is None:
                    continue
                positions = frozenset(best)
                lo, hi = min(positions), max(positions) + 1
                exact = hi - lo <= pattern.size
                score = len(pattern.stems) + (0.5 if exact else 0.0) + 0.3 * self.depth[pattern.concept]
                found.append(ConceptMatch(pattern.concept, pattern.label, positions, lo, hi, score))
        found.extend(self.definition_matches(where))
        masked = line.masked
        if masked:  # a match made only of a body's name or description is no proposal
            found = [m for m in found if not m.positions <= masked]
        return [self._narrowest(m, where) for m in self._resolve(found)]

    def _narrowest(self, match: ConceptMatch, where: dict[str, list[int]]) -> ConceptMatch:
        """Most specific concept first: a match of a broader concept becomes
        its narrower one when the sentence also holds at least two words
        that only the narrower concept's labels and definition use ("a legal
        duty to support parents after removal" is the statutory duty)."""
        best, best_weight = match, 0.0
        for narrower in self.narrower.get(match.concept, ()):
            own = [s for s in where if s in self.profile[narrower] and s not in self.profile[match.concept]
                   and self.profile_weight[s] >= NARROWER_MIN_WEIGHT]
            weight = sum(self.profile_weight[s] for s in own)
            if len(own) >= 2 and weight > best_weight:
                positions = match.positions | frozenset(where[s][0] for s in own)
                best, best_weight = ConceptMatch(narrower, "(narrower)", positions, min(positions),
                                                 max(positions) + 1, match.score + 0.5), weight
        return best

    @staticmethod
    def _window(pattern: LabelPattern, where: dict[str, list[int]]) -> list[int] | None:
        """The tightest set of positions holding every stem (anchored on each
        occurrence of the first stem, nearest occurrence of the others)."""
        limit = window_for(pattern)
        best: list[int] | None = None
        for anchor in where[pattern.stems[0]]:
            chosen = [anchor]
            for s in pattern.stems[1:]:
                free = [p for p in where[s] if p not in chosen] or where[s]
                chosen.append(min(free, key=lambda p: abs(p - anchor)))
            if len(set(chosen)) < len(set(pattern.stems)):
                continue
            span = max(chosen) - min(chosen) + 1
            if span <= limit and (best is None or span < max(best) - min(best) + 1):
                best = chosen
        return best

    def _resolve(self, found: list[ConceptMatch]) -> list[ConceptMatch]:
        """Greedy by score: overlapping weaker matches and broader concepts
        of an accepted narrower one are dropped."""
        accepted: list[ConceptMatch] = []
        for m in sorted(found, key=lambda m: (-m.score, m.start, m.concept)):
            if any(a.concept == m.concept for a in accepted):
                continue
            if any(a.positions & m.positions for a in accepted):
                continue
            accepted.append(m)
        narrower_broader = {self.knowledge.proposals[a.concept].broader for a in accepted}
        return sorted((a for a in accepted if a.concept not in narrower_broader), key=lambda m: m.start)
