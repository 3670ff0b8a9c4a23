"""No suggestion reveals a record its reader may not see: FR, DE, NL and a partner read the
related cases of one case widely shared, while FR's similar cases carry different markings.
Seen in full: listed with why; discoverable only: "a case held by NCB FR" and its contact;
hidden: absent, and nothing shown (not a rank, not a score, not a count) depends on it."""

import json

from tests.analytics.suggest_desk import CLINICS, SHARED_IP, SuggestDesk, desk, sharing

__all__ = ["desk"]

MARKINGS = {
    "everyone": sharing(None, None, "TLP:GREEN"),
    "fr_de": sharing(["FR", "DE"], []),
    "fr_discoverable_by_de": sharing(["FR"], ["DE"]),
    "fr_only": sharing(["FR"], []),
}
# reader -> (cases listed in full, countries named as holders)
EXPECTED = {
    "fr.officer": ({"everyone", "fr_de", "fr_discoverable_by_de", "fr_only"}, set()),
    "de.officer": ({"everyone", "fr_de"}, {"FR"}),
    "nl.officer": ({"everyone"}, set()),
}


def test_related_cases_follow_each_readers_access(desk: SuggestDesk) -> None:
    target = desk.accepted(
        "de.investigator", "target", narrative=CLINICS, sharing=sharing(None, None, "TLP:GREEN")
    )
    for name, marking in MARKINGS.items():
        desk.accepted(
            "fr.investigator",
            name,
            narrative=CLINICS.replace("Marseille", "Nice"),
            persons=[],
            indicators=[{"type": "ipv4", "value": SHARED_IP}],
            sharing=marking,
        )
    url = f"/api/v1/cases/{target['id']}/related"
    for reader, (listed, holders) in EXPECTED.items():
        found = desk.ok(reader, "GET", url)
        refs = {c["reference"] for c in found["cases"]}
        expected = {desk.cases[n]["reference"] for n in listed}
        assert refs & {desk.cases[n]["reference"] for n in MARKINGS} == expected, reader
        assert {h["owner_country"] for h in found["held_elsewhere"]} == holders, reader
        text = json.dumps(found)
        for name in set(MARKINGS) - listed:
            assert desk.cases[name]["reference"] not in text, (reader, name)
            assert desk.cases[name]["id"] not in text, (reader, name)
    assert desk.call("partner.exchange", "GET", url).status_code == 404
    for what in ("techniques", "category"):
        assert desk.call("partner.exchange", "GET", url.replace("related", what)).status_code == 404
        assert desk.ok("nl.officer", "GET", url.replace("related", what))["label"]
