"""A case's whole life through the API: draft, submit, screening, four-eyes review, share, close."""

import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.cases.payloads import ransomware_case
from tests.world import World


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(create_app(platform.settings, platform))


def test_the_life_of_a_case(client: TestClient, world: World) -> None:
    fr = world.headers("fr.officer")
    reviewer, reviewer2 = world.headers("gs.reviewer"), world.headers("gs.reviewer2")
    de = world.headers("de.officer")

    # Draft, retried with the same Idempotency-Key: one case.
    body = ransomware_case(narrative="Ransomware against hospitals; a journalist was targeted too.")
    created = client.post("/api/v1/cases", json=body, headers={**fr, "Idempotency-Key": "k-1"})
    assert created.status_code == 201, created.text
    case = created.json()
    assert case["reference"].startswith("CB-2026-FR-") or case["reference"].startswith("CB-")
    again = client.post("/api/v1/cases", json=body, headers={**fr, "Idempotency-Key": "k-1"})
    assert again.json().get("id") == case["id"], again.text
    assert client.get("/api/v1/cases", headers=fr).json()["total"] == 1
    url = f"/api/v1/cases/{case['id']}"

    # Nobody else sees a draft, not even the reviewers.
    assert client.get(url, headers=reviewer).status_code == 404
    assert client.get(url, headers=de).status_code == 404

    # Edit with If-Match, then submit: screening findings come back.
    etag = client.get(url, headers=fr).headers["ETag"]
    content = {k: v for k, v in body.items() if k != "sharing"}
    edited = client.put(url, json={**content, "title": "LockBit"}, headers={**fr, "If-Match": etag})
    assert edited.status_code == 200, edited.text
    stale = client.put(url, json=content, headers={**fr, "If-Match": etag})
    assert stale.status_code == 412
    findings = client.post(f"{url}/submit", headers=fr).json()
    categories = {f["category"] for f in findings}
    assert "completeness" in categories  # an arrest is asked without a warrant
    assert "article3_risk" in categories  # "journalist" in the facts
    assert any("arrest warrant" in f["message"] for f in findings)

    # The queue is the reviewers'; the submitter cannot decide.
    queue = client.get("/api/v1/review/queue", headers=reviewer).json()
    assert [c["id"] for c in queue] == [case["id"]]
    assert client.get("/api/v1/review/queue", headers=fr).status_code == 403
    decision = {
        "decision": "accept",
        "reasons": "Ordinary-law ransomware; press mention incidental.",
        "rule": "Art. 3 predominance test",
    }
    assert (
        client.post(
            f"/api/v1/review/cases/{case['id']}/decision", json=decision, headers=fr
        ).status_code
        == 403
    )

    # Ask for more information: the clock pauses; the owner answers and resubmits.
    ask = {
        **decision,
        "decision": "request_info",
        "reasons": "Attach the investigating judge's warrant.",
    }
    assert (
        client.post(
            f"/api/v1/review/cases/{case['id']}/decision", json=ask, headers=reviewer
        ).json()["status"]
        == "info_requested"
    )
    assert client.get(url, headers=fr).json()["review_due"] is None
    with_warrant = ransomware_case(
        narrative=body["narrative"],
        legal_documents=[
            {
                "kind": "arrest_warrant",
                "issuing_authority": "Juge d'instruction, Paris",
                "issued_on": "2026-10-01",
                "reference": "JI-2026-0042",
            }
        ],
    )
    client.put(url, json={k: v for k, v in with_warrant.items() if k != "sharing"}, headers=fr)
    client.post(f"{url}/submit", headers=fr)

    # Article 3 flag: two different reviewers must accept.
    first = client.post(
        f"/api/v1/review/cases/{case['id']}/decision", json=decision, headers=reviewer
    )
    assert first.json()["status"] == "under_review"
    twice = client.post(
        f"/api/v1/review/cases/{case['id']}/decision", json=decision, headers=reviewer
    )
    assert twice.status_code == 403
    second = client.post(
        f"/api/v1/review/cases/{case['id']}/decision", json=decision, headers=reviewer2
    )
    assert second.json()["status"] == "accepted"

    # Accepted under TLP:AMBER with no country list: Germany does not see it until invited.
    assert client.get(url, headers=de).json()["access"] == "hit_only"
    invited = client.post(f"{url}/participants", json={"country": "DE"}, headers=fr)
    assert invited.status_code == 201, invited.text
    assert invited.json() == ["DE"]
    seen = client.get(url, headers=de).json()
    assert seen["access"] == "full"
    assert seen["content"]["persons"][0]["name_original_script"] == "Дмитрий Волков"
    assert client.post(f"{url}/participants", json={"country": "NL"}, headers=de).status_code == 403

    # Germany and France talk in the case's signed channel; reading leaves receipts.
    messages = f"{url}/messages"
    client.post(
        messages, json={"body": "Affiliate located in Hamburg; arrest planned."}, headers=de
    )
    [message] = client.get(messages, headers=fr).json()
    assert (message["sender_username"], message["verified"]) == ("de.officer", True)
    assert [r["reader_username"] for r in message["receipts"]] == ["fr.officer"]

    # Evidence: France uploads, Germany downloads; every step is in the chain of custody.
    note = b"-----BEGIN RANSOM NOTE-----\nPay 40 BTC\n"
    uploaded = client.post(
        f"{url}/evidence",
        data={
            "acquired_by": "C3N",
            "acquired_at": "2026-10-02T08:30:00Z",
            "method": "forensic image",
            "legal_basis": "warrant JI-2026-0042",
        },
        files={"file": ("note.txt", note, "text/plain")},
        headers=fr,
    ).json()
    got = client.get(
        f"/api/v1/evidence/{uploaded['id']}/content?purpose=prepare arrest", headers=de
    )
    assert got.content == note
    custody = client.get(f"/api/v1/evidence/{uploaded['id']}?purpose=audit", headers=fr).json()[
        "custody"
    ]
    assert [(c["action"], c["actor_username"]) for c in custody] == [
        ("upload", "fr.officer"),
        ("download", "de.officer"),
        ("view", "fr.officer"),
    ]

    # Retention of nominal data: the owner may shorten it; no one else may touch it.
    shorter = {"until": "2030-01-31", "reasons": ""}
    assert client.put(f"{url}/retention", json=shorter, headers=de).status_code == 403
    assert client.put(f"{url}/retention", json=shorter, headers=reviewer).status_code == 403
    assert (
        client.put(
            f"{url}/retention", json=shorter, headers=world.headers("nl.officer")
        ).status_code
        == 403
    )
    assert client.put(f"{url}/retention", json=shorter, headers=fr).status_code == 200
    assert client.get(url, headers=fr).json()["retention_until"] == "2030-01-31"

    # Close with the outcome; the timeline tells the story.
    outcome = {
        "summary": "Affiliate arrested in Germany; servers seized.",
        "arrests": 1,
        "seizures": 2,
    }
    assert client.post(f"{url}/close", json=outcome, headers=fr).json()["status"] == "closed"
    kinds = [e["kind"] for e in client.get(f"{url}/timeline", headers=fr).json()]
    assert kinds == [
        "created",
        "edited",
        "submitted",
        "review_request_info",
        "edited",
        "submitted",
        "review_accept",
        "review_accept",
        "invited",
        "retention",
        "closed",
    ]


def test_sharing_changes_apply_at_once(
    client: TestClient, world: World, platform: Platform
) -> None:
    fr, de, nl = (
        world.headers("fr.officer"),
        world.headers("de.officer"),
        world.headers("nl.officer"),
    )
    case = client.post("/api/v1/cases", json=ransomware_case(), headers=fr).json()
    url = f"/api/v1/cases/{case['id']}"
    client.post(f"{url}/submit", headers=fr)
    decision = {
        "decision": "accept",
        "reasons": "Ordinary-law ransomware, complete file.",
        "rule": "DOMAIN §2",
    }
    client.post(
        f"/api/v1/review/cases/{case['id']}/decision",
        json=decision,
        headers=world.headers("gs.reviewer"),
    )
    green = {"tlp": "TLP:GREEN", "discoverable_by": []}
    assert client.put(f"{url}/sharing", json=green, headers=fr).json()["tlp"] == "TLP:GREEN"
    assert client.get(url, headers=nl).json()["access"] == "full"
    assert client.get("/api/v1/cases", headers=nl).json()["total"] == 1
    narrowed = {"tlp": "TLP:GREEN", "allowed_countries": ["DE"], "discoverable_by": []}
    client.put(f"{url}/sharing", json=narrowed, headers=fr)
    assert client.get(url, headers=nl).status_code == 404
    assert client.get("/api/v1/cases", headers=nl).json() == {
        "items": [],
        "total": 0,
        "next_cursor": None,
    }
    assert client.get(url, headers=de).json()["access"] == "full"
