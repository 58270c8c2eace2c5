"""The extractor's word lists (carekg/extract/lexicon.yaml): present, well
formed, each read by a stage, and a broken file is one clear error line."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml

from carekg.errors import LexiconError
from carekg.extract import actors, claims, lexicon, stances
from carekg.extract.lexicon import FAMILIES, LEXICON, SCHEMA, load
from carekg.extract.sentences import phrase_doc

ROOT = Path(__file__).resolve().parent.parent
LISTS = sorted(key for key, kind in SCHEMA.items() if kind in ("words", "patterns"))
WORDS = sorted(key for key, kind in SCHEMA.items() if kind == "words")
CUE_FAMILIES = [(key, family) for key in sorted(FAMILIES) for family in load()[key]]


def test_the_file_loads_with_every_entry():
    assert set(load()) == set(SCHEMA)


@pytest.mark.parametrize("key", LISTS)
def test_a_list_is_non_empty_without_duplicates(key):
    entries = load()[key]
    assert entries
    assert len(entries) == len(set(entries)), f"{key} repeats {sorted({e for e in entries if entries.count(e) > 1})}"


@pytest.mark.parametrize("key", WORDS)
def test_words_are_lower_case(key):
    """Words are compared with lower-case tokens: a capital never matches."""
    assert [w for w in load()[key] if w != w.lower()] == []


@pytest.mark.parametrize("key", sorted(FAMILIES))
def test_a_family_is_non_empty_without_duplicates(key):
    for family, phrases in load()[key].items():
        assert phrases, f"{key}.{family} is empty"
        assert len(phrases) == len(set(phrases)), f"{key}.{family} repeats a phrase"


@pytest.mark.parametrize("key,family", CUE_FAMILIES, ids=[f"{k}.{f}" for k, f in CUE_FAMILIES])
def test_every_cue_phrase_tokenises(key, family):
    empty = [phrase for phrase in load()[key][family] if not [t for t in phrase_doc(phrase) if not t.is_space]]
    assert empty == [], f"phrases of {key}.{family} with no token"


@pytest.mark.parametrize("key", sorted(SCHEMA))
def test_every_entry_is_read_by_a_stage(key):
    """An entry no module names is dead data (or a typo of a name in code)."""
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "carekg" / "extract").glob("*.py")
                   if p.name != "lexicon.py")
    assert f'"{key}"' in code


def test_the_stages_use_the_lists():
    assert actors.ORG_HEADS == lexicon.words("actors.org_heads")
    assert stances.CUES == lexicon.families("stances.cues")
    assert claims._CUES == lexicon.families("claims.cues")


def test_the_lexicon_ships_with_the_package():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "lexicon.yaml" in data["tool"]["setuptools"]["package-data"]["carekg.extract"]


# -- a broken file ------------------------------------------------------------------
def _write(tmp_path: Path, data) -> Path:
    path = tmp_path / "lexicon.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _stages() -> dict:
    return yaml.safe_load(LEXICON.read_text(encoding="utf-8"))


def _error(path: Path) -> str:
    with pytest.raises(LexiconError) as caught:
        load(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_missing_file_is_one_line(tmp_path):
    assert _error(tmp_path / "absent.yaml") == f"lexicon file missing: {tmp_path / 'absent.yaml'}"


def test_a_missing_entry_is_named(tmp_path):
    data = _stages()
    del data["stances"]["passive"]
    path = _write(tmp_path, data)
    assert _error(path) == f"{path}: entry stances.passive missing"


def test_an_unknown_entry_is_named(tmp_path):
    data = _stages()
    data["actors"]["org_head"] = ["trust"]
    path = _write(tmp_path, data)
    assert _error(path).startswith(f"{path}: unknown entry actors.org_head")


def test_a_missing_family_is_named(tmp_path):
    data = _stages()
    del data["stances"]["cues"]["HEDGE"]
    path = _write(tmp_path, data)
    assert _error(path).startswith(f"{path}: stances.cues: family HEDGE missing")


def test_bad_yaml_is_one_line(tmp_path):
    path = _write(tmp_path, "actors:\n  org_heads: [trust, network\n")
    assert _error(path).startswith(f"{path}: not valid YAML (line ")


def test_an_unquoted_no_is_not_a_word(tmp_path):
    """YAML reads a bare no as false: the list is refused, not half-read."""
    text = LEXICON.read_text(encoding="utf-8").replace('absence: ["no", without', "absence: [no, without")
    assert "absence: [no, without" in text
    path = _write(tmp_path, text)
    assert _error(path) == f"{path}: stances.absence: expected a non-empty list of non-empty strings"


def test_a_bad_pattern_is_named(tmp_path):
    data = _stages()
    data["segment"]["boilerplate_lines"].append("share (this")
    path = _write(tmp_path, data)
    assert _error(path).startswith(f"{path}: segment.boilerplate_lines: bad regular expression 'share (this'")


def test_a_mapping_of_the_wrong_kind_is_named(tmp_path):
    data = _stages()
    data["claims"]["money_scales"]["bn"] = "a billion"
    path = _write(tmp_path, data)
    assert _error(path) == f"{path}: claims.money_scales: expected word: number pairs"
