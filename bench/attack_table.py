"""Extract the ATT&CK Enterprise technique table that `casebridge.capacity` ships.

    python bench/attack_table.py [/work/shared/data/attack]

Reads `enterprise-attack.json.gz` (the 34 MB STIX bundle, once) and writes
`src/casebridge/data/attack/techniques.csv` (id, name; current techniques only: revoked and
deprecated ones are left out) beside a copy of MITRE's licence, which any copy must keep.
"""

import csv
import gzip
import json
import shutil
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "src" / "casebridge" / "data" / "attack"


def techniques(bundle: dict[str, object]) -> list[tuple[str, str]]:
    found: dict[str, str] = {}
    objects = bundle["objects"]
    assert isinstance(objects, list)
    for obj in objects:
        if obj["type"] != "attack-pattern" or obj.get("revoked") or obj.get("x_mitre_deprecated"):
            continue
        for ref in obj.get("external_references", []):
            if ref.get("source_name") == "mitre-attack" and ref.get("external_id"):
                found[ref["external_id"]] = obj["name"]
    return sorted(found.items())


def main(source: Path) -> None:
    with gzip.open(source / "enterprise-attack.json.gz", "rt", encoding="utf-8") as handle:
        rows = techniques(json.load(handle))
    TARGET.mkdir(parents=True, exist_ok=True)
    with (TARGET / "techniques.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "name"])
        writer.writerows(rows)
    shutil.copyfile(source / "LICENSE-ATTACK.txt", TARGET / "LICENSE-ATTACK.txt")
    print(f"{len(rows)} techniques written to {TARGET / 'techniques.csv'}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/attack"))
