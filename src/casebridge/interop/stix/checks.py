"""Checks of incoming STIX objects, pure: what refuses an import, with the validator's words.

The OASIS `stix2-validator` rebuilds its JSON-schema reference registry for every object
(about 4 ms each here), too slow for a 25,000-object bundle in 30 s. So every object gets the
cheap checks (a known type or an `x-` custom one, an id of its type, a supported spec_version,
timestamps, a parsable pattern), and the full validator runs on the first FULL_FIRST objects of
a bundle and on the first PER_TYPE objects of each type after that. Invalid input is refused
either way: the cheap checks catch what would make an object unusable, the sampled full
validation what is wrong with a producer's output as a whole.
"""

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from stix2patterns.validator import run_validator
from stix2validator import ValidationOptions, validate_instance

FULL_FIRST = 500
PER_TYPE = 20
# DESIGN.md (Hostile input): a 10 MB pattern took 92 s of CPU to parse under the write lock;
# longer patterns are refused before any parser sees them (Settings.stix_max_pattern_chars).
MAX_PATTERN = 4096

STIX20_TYPES = frozenset(
    {
        "attack-pattern", "campaign", "course-of-action", "identity", "indicator",
        "intrusion-set", "malware", "observed-data", "report", "threat-actor", "tool",
        "vulnerability", "relationship", "sighting", "marking-definition",
    }
)  # fmt: skip
STIX21_TYPES = STIX20_TYPES | frozenset(
    {
        "grouping", "incident", "infrastructure", "location", "malware-analysis", "note",
        "opinion", "language-content", "extension-definition", "artifact", "autonomous-system",
        "directory", "domain-name", "email-addr", "email-message", "file", "ipv4-addr",
        "ipv6-addr", "mac-addr", "mutex", "network-traffic", "process", "software", "url",
        "user-account", "windows-registry-key", "x509-certificate",
    }
)  # fmt: skip
SPEC_VERSIONS = frozenset({"2.0", "2.1"})
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_ID = re.compile(rf"^(?P<type>[a-z0-9][a-z0-9-]*[a-z0-9])--{_UUID}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


class Checker:
    """Checks the objects of one bundle in order; remembers which it validated in full."""

    def __init__(
        self, bundle_spec_version: str | None = None, *, max_pattern: int = MAX_PATTERN
    ) -> None:
        self.bundle_spec_version = bundle_spec_version
        self.max_pattern = max_pattern
        self.seen: Counter[str] = Counter()
        self.count = 0
        self.fully_validated = 0

    def spec_version(self, obj: Mapping[str, Any]) -> str:
        """2.1 objects say so; 2.0 objects have no spec_version."""
        return str(obj.get("spec_version") or self.bundle_spec_version or "2.0")

    def problems(self, obj: Any) -> list[str]:
        """Why this object is refused; empty when it is accepted."""
        self.count += 1
        if not isinstance(obj, dict):
            return ["is not a JSON object"]
        found = _cheap(obj, self.spec_version(obj), self.max_pattern)
        if found:
            return found
        kind = str(obj["type"])
        self.seen[kind] += 1
        if self.count <= FULL_FIRST or self.seen[kind] <= PER_TYPE:
            self.fully_validated += 1
            result = validate_instance(obj, ValidationOptions(version=self.spec_version(obj)))
            return [str(e) for e in result.errors]
        return []


def _cheap(obj: Mapping[str, Any], version: str, max_pattern: int = MAX_PATTERN) -> list[str]:
    kind, identifier = obj.get("type"), obj.get("id")
    if not isinstance(kind, str) or not isinstance(identifier, str):
        return ["has no type or id"]
    if version not in SPEC_VERSIONS:
        return [f"spec_version {version!r} is not supported (2.0 or 2.1)"]
    known = STIX21_TYPES if version == "2.1" else STIX20_TYPES
    if kind not in known and not kind.startswith("x-"):
        return [f"type {kind!r} is not a STIX {version} type (custom types start with x-)"]
    match = _ID.match(identifier)
    if match is None or match["type"] != kind:
        return [f"id {identifier!r} is not of the form {kind}--<uuid>"]
    problems = [
        f"{name} {obj[name]!r} is not a STIX timestamp"
        for name in ("created", "modified")
        if name in obj and not (isinstance(obj[name], str) and _TIMESTAMP.match(obj[name]))
    ]
    if kind == "indicator":
        problems += _pattern_problems(obj, version, max_pattern)
    return problems


def _pattern_problems(obj: Mapping[str, Any], version: str, max_pattern: int) -> list[str]:
    pattern = obj.get("pattern")
    if not isinstance(pattern, str):
        return ["an indicator needs a pattern"]
    if obj.get("pattern_type", "stix") != "stix":
        return []  # other pattern languages (sigma, yara, snort) are kept, not read
    if len(pattern) > max_pattern:
        return [f"the pattern has {len(pattern):,} characters: at most {max_pattern:,}"]
    errors = run_validator(pattern, stix_version=version)
    return [f"pattern {pattern!r}: {e}" for e in errors]
