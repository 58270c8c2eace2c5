"""The extractor's word lists, read from ``lexicon.yaml`` beside this module.

Cue words, phrase families and the patterns of web furniture are data, not
code: every stage reads its lists here once, at import, into module
constants (frozensets for membership tests in hot loops, tuples where the
order counts), so editing a list never means editing a stage.

``load`` reads the file once per process and checks it against ``SCHEMA``:
every entry present, none unknown, each of its shape. A missing or
malformed file raises ``LexiconError`` with one line naming the entry.

>>> "trust" in words("actors.org_heads")
True
>>> families("stances.cues")["NEGATION"][:2]
('should not', 'must not')
>>> table("claims.money_scales")["bn"]
1000000000.0
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from carekg.errors import LexiconError

__all__ = ["FAMILIES", "LEXICON", "SCHEMA", "families", "load", "phrases", "table", "words"]

LEXICON = Path(__file__).with_name("lexicon.yaml")

# The shape of each entry, as "stage.name": kind. Kinds: "words" (a list of
# strings), "patterns" (a list of regular expressions), "families" (family
# name -> list of phrases), "stems" (word -> stem), "numbers" (word -> number).
SCHEMA: dict[str, str] = {
    "segment.boilerplate_lines": "patterns",
    "segment.function_words": "words",
    "segment.irregular_stems": "stems",
    **{f"actors.{name}": "words" for name in (
        "org_heads", "generic_words", "tail_heads", "not_name", "name_connectors", "role_words", "speech_verbs",
        "research_nouns", "honorifics", "name_particles", "not_person")},
    **{f"persons.{name}": "words" for name in (
        "role_links", "possessives", "slot_separators", "org_links", "before_speech_verb", "clause_after",
        "line_separators", "byline_stops", "self_naming_verbs", "self_naming_between", "first_person_singular")},
    "attribution.signed_lines": "patterns",
    **{f"attribution.{name}": "words" for name in (
        "joint_texts", "joint_links", "first_person", "spokesperson", "owned_nouns", "kind_nouns",
        "reference_heads", "reporting_verbs", "copulas", "evaluative", "degree_words", "between", "lead",
        "intro_words", "clause_openers", "body_nouns", "source_links", "news_roles", "group_nouns",
        "collective_nouns", "group_words", "backing_verbs", "government_words")},
    "stances.cues": "families",
    **{f"stances.{name}": "words" for name in (
        "subject_verbs", "aux", "anaphors", "back_determiners", "proposal_nouns", "passive", "ending", "absence",
        "answer_openers", "imperative_verbs", "imperative_openers", "intent_nouns")},
    "proposals.generic_stems": "words",
    "claims.cues": "families",
    "claims.not_count_before": "patterns",
    "claims.number_words": "numbers",
    "claims.money_scales": "numbers",
    **{f"claims.{name}": "words" for name in (
        "compound_next", "not_counted", "quantity_words", "not_superlatives", "rising_stems", "value_verbs",
        "continuing_openers", "continuing_verbs")},
    "emergent.skip_stems": "words",
    "emergent.lead_words": "words",
}
# The families the code reads by name (stances.py, claims.py): each must be
# there, and a family no code reads would be matched for nothing.
FAMILIES: dict[str, frozenset[str]] = {
    "stances.cues": frozenset({"SUPPORT", "COMPLAINT", "OPPOSE", "HEDGE", "VERDICT_NEG", "VERDICT_POS", "NEGATION",
                               "DEPRIVE", "CREATE", "THIRD_SUPPORT", "THIRD_OPPOSE", "AGREE", "DISAGREE",
                               "FIRST_PERSON_ASK"}),
    "claims.cues": frozenset({"RESEARCH_NOUN", "RESEARCH_VERB", "RESEARCH_PHRASE", "ASSERT", "TREND", "MEASURE", "ASK",
                              "KNOW", "OWN_WORK"}),
}


@lru_cache(maxsize=4)
def load(path: Path = LEXICON) -> dict[str, Any]:
    """The lexicon as {"stage.name": value}, read and checked once per path."""
    try:
        # libyaml's loader when present: the pure-Python one costs 0.1 s per process
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise LexiconError(f"lexicon file missing: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise LexiconError(f"{path}: cannot be read: {error}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise LexiconError(f"{path}: not valid YAML{where}: {problem}") from error
    if not isinstance(data, dict) or not all(isinstance(stage, dict) for stage in data.values()):
        raise LexiconError(f"{path}: expected stages (segment, actors, …) holding named lists")
    entries = {f"{stage}.{name}": value for stage, names in data.items() for name, value in names.items()}
    for key in SCHEMA:
        if key not in entries:
            raise LexiconError(f"{path}: entry {key} missing")
    for key, value in entries.items():
        if key not in SCHEMA:
            raise LexiconError(f"{path}: unknown entry {key} (expected one of the entries in lexicon.SCHEMA)")
        problem = _problem(SCHEMA[key], value)
        if problem:
            raise LexiconError(f"{path}: {key}: {problem}")
    for key, names in FAMILIES.items():
        missing, unknown = sorted(names - set(entries[key])), sorted(set(entries[key]) - names)
        if missing or unknown:
            what = f"family {missing[0]} missing" if missing else f"unknown family {unknown[0]}"
            raise LexiconError(f"{path}: {key}: {what} (the families are {', '.join(sorted(names))})")
    return entries


def _problem(kind: str, value: Any) -> str | None:
    """What is wrong with an entry's value for its kind, or None."""
    if kind in ("words", "patterns"):
        if not _strings(value):
            return "expected a non-empty list of non-empty strings"
        if kind == "patterns":
            for pattern in value:
                try:
                    re.compile(pattern)
                except re.error as error:
                    return f"bad regular expression {pattern!r}: {error}"
        return None
    if not isinstance(value, dict) or not value or not all(isinstance(k, str) and k for k in value):
        return "expected a non-empty mapping with string keys"
    if kind == "families":
        bad = next((name for name, phrases in value.items() if not _strings(phrases)), None)
        return f"family {bad}: expected a non-empty list of non-empty strings" if bad else None
    if kind == "stems":
        return None if all(isinstance(v, str) and v for v in value.values()) else "expected word: stem pairs"
    if kind == "numbers":
        ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values())
        return None if ok else "expected word: number pairs"
    return f"unknown kind {kind}"


def _strings(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def _entry(key: str, *kinds: str) -> Any:
    if SCHEMA.get(key) not in kinds:
        raise KeyError(f"{key} is no lexicon entry of kind {' or '.join(kinds)}")
    return load()[key]


def words(key: str) -> frozenset[str]:
    """A word list as a set, for membership tests."""
    return frozenset(_entry(key, "words"))


def phrases(key: str) -> tuple[str, ...]:
    """A list (words or patterns) in the file's order."""
    return tuple(_entry(key, "words", "patterns"))


def families(key: str) -> dict[str, tuple[str, ...]]:
    """Phrase families: family name -> phrases, in the file's order."""
    return {name: tuple(found) for name, found in _entry(key, "families").items()}


def table(key: str) -> dict[str, Any]:
    """A mapping (word -> stem, word -> number), in the file's order."""
    return dict(_entry(key, "stems", "numbers"))
