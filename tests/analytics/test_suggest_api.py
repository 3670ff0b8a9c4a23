"""Suggestions through the API on both databases: related cases, techniques with analysts'
verdicts, the category and the triage of the review queue. Each answer is labelled as
machine-made, each call audited; hidden cases answer 404 and reveal nothing, counts included."""

import json

import sqlalchemy as sa

from casebridge.analytics.service import MACHINE_LABEL
from casebridge.bootstrap import Platform
from tests.analytics.suggest_desk import SECRET, SHARED_IP, SuggestDesk, desk, sharing

__all__ = ["desk"]


def _url(desk: SuggestDesk, name: str, what: str) -> str:
    return f"/api/v1/cases/{desk.cases[name]['id']}/{what}"


def _audited(platform: Platform, action: str) -> int:
    with platform.engine.connect() as c:
        query = sa.text("select count(*) from audit_entries where action = :a")
        return int(c.execute(query, {"a": action}).scalar_one())


def test_related_cases_show_why_and_hit_only_shows_owner_and_contact(
    desk: SuggestDesk, platform: Platform
) -> None:
    found = desk.ok("de.officer", "GET", _url(desk, "hospitals", "related"))
    assert found["label"] == MACHINE_LABEL
    refs = [c["reference"] for c in found["cases"]]
    assert refs[0] == desk.cases["clinics"]["reference"]
    assert desk.cases["discoverable"]["reference"] not in refs
    first = found["cases"][0]
    assert "ransomware" in " ".join(first["shared_terms"])
    assert first["shared_values"] == [SHARED_IP]
    # the case DE may only discover: its owner and whom to ask, nothing else
    assert found["held_elsewhere"] == [
        {"label": "a case held by NCB FR", "owner_country": "FR", "contact": "NCB FR"}
    ]
    text = json.dumps(found)
    assert "Lille" not in text
    assert desk.cases["discoverable"]["id"] not in text
    assert _audited(platform, "analytics.related") == 1


def test_a_case_hidden_from_the_reader_changes_nothing_it_is_shown(desk: SuggestDesk) -> None:
    before = desk.ok("de.officer", "GET", _url(desk, "hospitals", "related"))
    hidden = desk.accepted(
        "fr.investigator",
        "hidden",
        narrative=SECRET,
        persons=[],
        indicators=[{"type": "ipv4", "value": SHARED_IP}],
        sharing=sharing(["FR"], []),
    )
    after = desk.ok("de.officer", "GET", _url(desk, "hospitals", "related"))
    assert after == before  # not a rank, a score or a holder more
    assert hidden["id"] not in json.dumps(after)
    # FR, who sees it, is shown it
    mine = desk.ok("fr.officer", "GET", _url(desk, "hospitals", "related"))
    assert hidden["reference"] in [c["reference"] for c in mine["cases"]]


def test_every_suggestion_answers_404_to_readers_who_may_not_see_the_case(
    desk: SuggestDesk,
) -> None:
    for what in ("related", "techniques", "category"):
        for name, outsider in (("hospitals", "nl.officer"), ("hospitals", "partner.exchange")):
            assert desk.call(outsider, "GET", _url(desk, name, what)).status_code == 404
        # DE may only discover it: no suggestion either
        assert desk.call("de.officer", "GET", _url(desk, "discoverable", what)).status_code == 404
    feedback = _url(desk, "hospitals", "techniques/T1566/feedback")
    answer = desk.call("nl.officer", "POST", feedback, {"verdict": "confirmed"})
    assert answer.status_code == 404


def test_techniques_cite_their_sentence_and_keep_analysts_verdicts(
    desk: SuggestDesk, platform: Platform
) -> None:
    found = desk.ok("de.officer", "GET", _url(desk, "hospitals", "techniques"))
    assert found["label"] == MACHINE_LABEL
    by_id = {s["technique_id"]: s for s in found["suggestions"]}
    assert "T1566" in by_id
    assert "spearphishing emails" in by_id["T1566"]["sentence"]
    assert by_id["T1566"]["name"] == "Phishing"
    kept = desk.ok(
        "de.officer",
        "POST",
        _url(desk, "hospitals", "techniques/T1566/feedback"),
        {"verdict": "confirmed"},
    )
    assert (kept["technique_id"], kept["verdict"], kept["by_country"]) == (
        "T1566",
        "confirmed",
        "DE",
    )
    other = next(t for t in by_id if t != "T1566")
    desk.ok(
        "fr.officer",
        "POST",
        _url(desk, "hospitals", f"techniques/{other}/feedback"),
        {"verdict": "rejected"},
    )
    again = desk.ok("fr.officer", "GET", _url(desk, "hospitals", "techniques"))
    suggested = {s["technique_id"] for s in again["suggestions"]}
    assert other not in suggested
    assert "T1566" not in suggested  # listed as confirmed instead
    assert [v["technique_id"] for v in again["confirmed"]] == ["T1566"]
    assert [v["technique_id"] for v in again["rejected"]] == [other]
    assert _audited(platform, "analytics.technique_verdict") == 2
    assert _audited(platform, "analytics.techniques") == 2
    with platform.engine.connect() as c:
        served = c.execute(
            sa.text("select count(*) from analytics_suggestions where kind = 'techniques'")
        ).scalar_one()
    assert served == 2


def test_bad_verdicts_are_clear_problems(desk: SuggestDesk) -> None:
    url = _url(desk, "hospitals", "techniques/T1566/feedback")
    assert desk.call("de.officer", "POST", url, {"verdict": "maybe"}).status_code == 422
    bad = _url(desk, "hospitals", "techniques/phishing/feedback")
    answer = desk.call("de.officer", "POST", bad, {"verdict": "confirmed"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "technique_id"


def test_category_names_the_words_that_drove_it(desk: SuggestDesk) -> None:
    found = desk.ok("fr.officer", "GET", _url(desk, "romance", "category"))
    assert found["label"] == MACHINE_LABEL
    assert found["current"] == "fraud"
    assert found["incident_class"]["label"] == "fraud"
    assert found["incident_class"]["drivers"]
    assert found["fraud_type"]["label"] == "romance_scam"
    malware = desk.ok("fr.officer", "GET", _url(desk, "hospitals", "category"))
    assert malware["incident_class"]["label"] == "malicious_code"


def test_triage_scores_the_queue_for_reviewers_only(desk: SuggestDesk, platform: Platform) -> None:
    queued = desk.submit("fr.investigator", "queued", victim_count=1000)
    found = desk.ok("gs.reviewer", "GET", "/api/v1/review/triage")
    assert found["label"] == MACHINE_LABEL
    [item] = found["items"]
    assert item["reference"] == queued["reference"]
    assert round(sum(f["points"] for f in item["factors"]), 1) == item["score"]
    factors = {f["name"]: f for f in item["factors"]}
    assert factors["victims"]["points"] == 30.0
    assert "EUR 1,250,000" in factors["loss"]["why"]
    assert factors["urgency"]["points"] == 10.0 + 8.0 + 5.0
    assert desk.call("fr.officer", "GET", "/api/v1/review/triage").status_code == 403
    assert _audited(platform, "analytics.triage") == 1


def test_a_matched_person_is_a_reason_a_case_is_related(desk: SuggestDesk) -> None:
    # same suspect (the payload's VOLKOV, Dmitri), another story, no shared indicator
    twin = desk.accepted(
        "de.investigator",
        "twin",
        narrative="Money mules received stolen funds and sent them abroad.",
        indicators=[],
        sharing=sharing(["FR", "DE"], []),
    )
    found = desk.ok("fr.officer", "GET", _url(desk, "hospitals", "related"))
    listed = {c["reference"]: c for c in found["cases"]}
    assert listed[twin["reference"]]["matched_names"] == ["VOLKOV, Dmitri"]
    assert SHARED_IP not in listed[twin["reference"]]["shared_values"]  # the handle may be
