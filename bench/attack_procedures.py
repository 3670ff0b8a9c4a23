"""Extract the ATT&CK texts the technique suggester (`casebridge.analytics.techniques`) learns
from, into `src/casebridge/data/attack/procedures.csv.gz`.

    python bench/attack_procedures.py [/work/shared/data/attack]

Rows: technique id, name, text, kind, relationship id. `kind` is `description` (a current
technique's own description, relationship id empty) or `procedure` (the description of a `uses`
relationship whose target is a current technique: a real procedure example written by MITRE).
Markdown links are reduced to their text, `(Citation: ...)` and HTML tags are removed, and in a
procedure the group's, software's or campaign's names become "the actor" so that a model learns
the behaviour, not who showed it. Revoked and
deprecated objects and relationships are left out. The licence file stays beside the data.
"""

import csv
import gzip
import io
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

TARGET = Path(__file__).resolve().parent.parent / "src" / "casebridge" / "data" / "attack"
CITATION = re.compile(r"\s*\(Citation:[^)]*\)")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    text = CITATION.sub("", text)
    text = LINK.sub(r"\1", text)
    text = TAG.sub(" ", text)
    return SPACE.sub(" ", text).strip()


def _current(obj: dict[str, Any]) -> bool:
    return not obj.get("revoked") and not obj.get("x_mitre_deprecated")


def _attack_id(obj: dict[str, Any]) -> str | None:
    for ref in obj.get("external_references", []):
        if ref.get("source_name") == "mitre-attack" and ref.get("external_id"):
            return str(ref["external_id"])
    return None


ACTORS = frozenset({"intrusion-set", "malware", "tool", "campaign"})


def _actor_names(bundle: dict[str, Any]) -> dict[str, list[str]]:
    """Every group, software and campaign id with its names and aliases, longest first."""
    names: dict[str, list[str]] = {}
    for obj in bundle["objects"]:
        if obj["type"] in ACTORS:
            known = {obj["name"], *obj.get("aliases", []), *obj.get("x_mitre_aliases", [])}
            names[obj["id"]] = sorted((n for n in known if n), key=len, reverse=True)
    return names


def without_actor(text: str, names: list[str]) -> str:
    """The behaviour, not who did it: the actor's names become "The actor"."""
    for name in names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?:'s)?(?!\w)", "the actor", text)
    return text[:1].upper() + text[1:]


def rows(bundle: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    actors = _actor_names(bundle)
    patterns: dict[str, tuple[str, str]] = {}
    found: list[tuple[str, str, str, str, str]] = []
    for obj in bundle["objects"]:
        if obj["type"] == "attack-pattern" and _current(obj):
            attack_id = _attack_id(obj)
            if attack_id:
                patterns[obj["id"]] = (attack_id, obj["name"])
                text = clean(obj.get("description", ""))
                if text:
                    found.append((attack_id, obj["name"], text, "description", ""))
    for obj in bundle["objects"]:
        if obj["type"] != "relationship" or obj.get("relationship_type") != "uses":
            continue
        target = patterns.get(obj.get("target_ref", ""))
        if target is None or not _current(obj):
            continue
        text = without_actor(clean(obj.get("description", "")), actors.get(obj["source_ref"], []))
        if text:
            found.append((target[0], target[1], text, "procedure", obj["id"]))
    return sorted(found, key=lambda r: (r[0], r[3], r[4], r[2]))


def main(source: Path) -> None:
    with gzip.open(source / "enterprise-attack.json.gz", "rt", encoding="utf-8") as handle:
        found = rows(json.load(handle))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["technique_id", "name", "text", "kind", "relationship_id"])
    writer.writerows(found)
    TARGET.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same bundle gives the same bytes
    with gzip.GzipFile(TARGET / "procedures.csv.gz", "wb", mtime=0) as out:
        out.write(buffer.getvalue().encode("utf-8"))
    shutil.copyfile(source / "LICENSE-ATTACK.txt", TARGET / "LICENSE-ATTACK.txt")
    procedures = sum(1 for r in found if r[3] == "procedure")
    print(f"{len(found)} rows ({procedures} procedure examples) written to {TARGET}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/attack"))
