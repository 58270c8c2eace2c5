"""Regenerate ontology/codebook.ttl and ontology/organisations.ttl from the YAML.

The YAML files are the source of truth for ids, labels, definitions, themes,
broader/contradicts links and the actor registry: proposals.yaml and
organisations.yaml are copies of the shared codebook (never edited here);
registry.yaml is the project's registry of the sector's organisations. Both
registry files are rendered into organisations.ttl, after a check that no id,
name or alias belongs to two entries (names compare as the extractor and the
evaluation compare them). The Turtle files are committed and hand-editable:
every ``skos:altLabel`` already in them (the extractor's phrase knowledge) is
read back and kept, so regenerating never loses them.

    python tools/gen_ontology.py           # rewrite both files
    python tools/gen_ontology.py --check   # exit 1 if either file is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from carekg.extract.text import fold_key  # noqa: E402  (the matcher's name key)

ONTOLOGY = ROOT / "ontology"
# The shared actors of the seed corpus first, then the sector registry.
REGISTRY_FILES = ("organisations.yaml", "registry.yaml")
CB = "https://w3id.org/carekg/codebook/"
AG = "https://w3id.org/carekg/agent/"

ORG_TYPES = {
    "charity": "Charity", "public-body": "PublicBody", "review": "Review",
    "government": "Government", "university": "University",
    "parliamentary-group": "ParliamentaryGroup", "media": "Media",
    "other": "OtherOrganisation",
}
AGENT_TYPES = frozenset(ORG_TYPES) | {"person"}


class RegistryError(ValueError):
    """The registry YAML is inconsistent (one line per problem)."""

PREFIXES = {
    "cb": CB, "theme": CB + "theme/", "ag": AG,
    "ckg": "https://w3id.org/carekg/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
}


def lit(text: str, lang: str | None = None) -> str:
    """A Turtle string literal (short form, escaped)."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def prefixes(*names: str) -> str:
    return "".join(f"@prefix {n}: <{PREFIXES[n]}> .\n" for n in names)


def existing_alt_labels(path: Path) -> dict[str, list[Literal]]:
    """skos:altLabel literals per subject IRI already in ``path``, in file order."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    graph = Graph().parse(data=text, format="turtle")
    found: dict[str, list[Literal]] = {}
    for subject, label in graph.subject_objects(SKOS.altLabel):
        if isinstance(subject, URIRef) and isinstance(label, Literal):
            found.setdefault(str(subject), []).append(label)
    for labels in found.values():
        labels.sort(key=lambda l: (_position(text, l), str(l)))
    return found


def _position(text: str, label: Literal) -> int:
    at = text.find(lit(str(label), label.language))
    return at if at >= 0 else len(text)


def alt_label_line(labels: list[Literal]) -> list[str]:
    if not labels:
        return []
    return ["    skos:altLabel " + ", ".join(lit(str(l), l.language) for l in labels) + " ;"]


def merge_labels(first: list[str], extra: list[Literal], lang: str | None) -> list[Literal]:
    merged = [Literal(a, lang=lang) for a in first]
    merged += [l for l in extra if l not in merged]
    return merged


def render_codebook(data: dict, alt: dict[str, list[Literal]]) -> str:
    themes = data["themes"]
    proposals = data["proposals"]
    contradicts: dict[str, set[str]] = {p["id"]: set() for p in proposals}
    for p in proposals:
        other = p.get("contradicts")
        for o in ([other] if isinstance(other, str) else other or []):
            contradicts[p["id"]].add(o)
            contradicts.setdefault(o, set()).add(p["id"])
    out = [
        "# The codebook of the care-reform debate as SKOS.",
        "# Generated from ontology/proposals.yaml by tools/gen_ontology.py (ids, labels,",
        "# definitions, themes, broader and contradicts links come from the YAML).",
        "# The skos:altLabel lines are hand-maintained phrase knowledge of the extractor:",
        "# edit them here; the generator keeps them.",
        "",
        prefixes("cb", "theme", "ckg", "skos", "dcterms"),
        "cb:scheme a skos:ConceptScheme ;",
        '    skos:prefLabel "Codebook of the debate on children\'s social care reform"@en ;',
        '    dcterms:description "The reform proposals that organisations support or oppose, grouped by theme."@en ;',
        "    dcterms:source " + lit("ontology/proposals.yaml") + " ;",
        "    skos:hasTopConcept " + ", ".join(f"theme:{t['id']}" for t in themes) + " .",
        "",
        "# --- themes ---",
        "",
    ]
    for t in themes:
        out += [
            f"theme:{t['id']} a skos:Concept, ckg:Theme ;",
            "    skos:inScheme cb:scheme ;",
            "    skos:topConceptOf cb:scheme ;",
            f"    skos:notation {lit(t['id'])} ;",
            *alt_label_line(alt.get(CB + "theme/" + t["id"], [])),
            f"    skos:prefLabel {lit(t['label'], 'en')} .",
            "",
        ]
    labels = {t["id"]: t["label"] for t in themes}
    current = None
    for p in proposals:
        if p["theme"] != current:
            current = p["theme"]
            out += [f"# --- {current}: {labels[current]} ---", ""]
        broader = f"cb:{p['broader']}" if p.get("broader") else f"theme:{p['theme']}"
        block = [
            f"cb:{p['id']} a skos:Concept, ckg:Proposal ;",
            "    skos:inScheme cb:scheme ;",
            f"    skos:notation {lit(p['id'])} ;",
            f"    skos:prefLabel {lit(p['label'], 'en')} ;",
            f"    skos:definition {lit(p['definition'], 'en')} ;",
            f"    skos:broader {broader} ;",
            f"    ckg:theme theme:{p['theme']} ;",
        ]
        if contradicts[p["id"]]:
            block.append("    ckg:contradicts " + ", ".join(f"cb:{o}" for o in sorted(contradicts[p["id"]])) + " ;")
        block += alt_label_line(alt.get(CB + p["id"], []))
        block += ["    ckg:inCodebook true .", ""]
        out += block
    return "\n".join(out)


def load_registry(ontology: Path = ONTOLOGY, files: tuple[str, ...] = REGISTRY_FILES) -> list[dict]:
    """The entries of the registry files, in file order, checked together:
    raises RegistryError listing every duplicate id, name or alias shared by
    two entries, unknown type and ``succeeded_by`` that names no entry."""
    entries: list[tuple[str, dict]] = []
    for name in files:
        with open(ontology / name, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
        for e in data.get("organisations") or []:
            entries.append((name, e))
    problems = registry_problems(entries)
    if problems:
        raise RegistryError("\n".join(problems))
    return [e for _, e in entries]


def registry_problems(entries: list[tuple[str, dict]]) -> list[str]:
    """Problems of (file name, entry) pairs taken as one registry."""
    problems = []
    ids: dict[str, str] = {}
    keys: dict[str, tuple[str, str, str]] = {}  # folded name -> (id, name as written, file)
    for source, e in entries:
        agent_id = e.get("id")
        if not agent_id or not e.get("name"):
            problems.append(f"{source}: an entry without id or name: {e}")
            continue
        if agent_id in ids:
            problems.append(f"{source}: id {agent_id!r} is already used in {ids[agent_id]}")
        ids.setdefault(agent_id, source)
        if e.get("type") not in AGENT_TYPES:
            problems.append(f"{source}: {agent_id}: unknown type {e.get('type')!r}")
        for label in (e["name"], *(e.get("aliases") or [])):
            key = fold_key(label)
            owner = keys.setdefault(key, (agent_id, label, source))
            if owner[0] != agent_id:
                problems.append(f"{source}: {agent_id}: {label!r} collides with {owner[1]!r} of "
                                f"{owner[0]} ({owner[2]})")
    for source, e in entries:
        new = e.get("succeeded_by")
        if new and new not in ids:
            problems.append(f"{source}: {e.get('id')}: succeeded_by {new!r} names no entry")
    return problems


def render_organisations(entries: list[dict], alt: dict[str, list[Literal]]) -> str:
    out = [
        "# The registry of actors (organisations and people) of the care-reform debate.",
        "# Generated by tools/gen_ontology.py from ontology/organisations.yaml (the actors",
        "# of the seed corpus, a copy of the shared codebook) and ontology/registry.yaml",
        "# (the organisations of the sector); extra skos:altLabel values added here by",
        "# hand are kept when regenerating.",
        "",
        prefixes("ag", "ckg", "skos", "rdfs", "org", "prov", "foaf", "schema"),
        "ag:registry a skos:ConceptScheme ;",
        '    skos:prefLabel "Registry of actors in the debate on children\'s social care reform"@en ;',
        "    rdfs:comment " + lit("The actors of the seed corpus and the organisations of the children's social care "
                              "sector in England; agents found only in text are not in this scheme.", "en") + " .",
        "",
    ]
    changes = []
    for e in entries:
        person = e["type"] == "person"
        block = [
            f"ag:{e['id']} a {'foaf:Person' if person else 'org:Organization'}, prov:Agent ;",
            "    skos:inScheme ag:registry ;",
            f"    skos:notation {lit(e['id'])} ;",
            f"    skos:prefLabel {lit(e['name'])} ;",
        ]
        block += alt_label_line(merge_labels(e.get("aliases") or [], alt.get(AG + e["id"], []), None))
        if person:
            if e.get("member_of"):
                block.append(f"    org:memberOf ag:{e['member_of']} ;")
            if e.get("role"):
                block.append(f"    schema:jobTitle {lit(e['role'])} ;")
        else:
            block.append(f"    ckg:organisationType ckg:{ORG_TYPES[e['type']]} ;")
        if e.get("succeeded_by"):
            block.append(f"    ckg:succeededBy ag:{e['succeeded_by']} ;")
            changes.append(e)
        block += ["    ckg:inRegistry true .", ""]
        out += block
    if changes:
        out += ["# --- renames and transfers ---", ""]
    for e in changes:
        old, new = e["id"], e["succeeded_by"]
        out += [
            f"<{AG}change/{old}-to-{new}> a org:ChangeEvent ;",
            f"    org:originalOrganization ag:{old} ;",
            f"    org:resultingOrganization ag:{new} ;",
            f"    rdfs:comment {lit(e.get('change') or f'{old} succeeded by {new}')} .",
            "",
            f"ag:{old} org:changedBy <{AG}change/{old}-to-{new}> .",
            f"ag:{new} org:resultedFrom <{AG}change/{old}-to-{new}> .",
            "",
        ]
    return "\n".join(out)


def generate(ontology: Path = ONTOLOGY) -> dict[Path, str]:
    """The new contents of codebook.ttl and organisations.ttl."""
    codebook = ontology / "codebook.ttl"
    registry = ontology / "organisations.ttl"
    with open(ontology / "proposals.yaml", encoding="utf-8") as f:
        proposals = yaml.safe_load(f)
    organisations = load_registry(ontology)
    return {
        codebook: render_codebook(proposals, existing_alt_labels(codebook)),
        registry: render_organisations(organisations, existing_alt_labels(registry)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the files are up to date")
    args = parser.parse_args(argv)
    try:
        generated = generate()
    except RegistryError as error:
        print(f"error: the registry is inconsistent:\n{error}", file=sys.stderr)
        return 1
    stale = []
    for path, text in generated.items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            stale.append(path)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{'out of date' if args.check else 'wrote'}: {path.relative_to(ROOT)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
