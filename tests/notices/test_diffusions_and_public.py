"""Diffusions (sent at once, reviewed after, withdrawn from every recipient when
non-compliant; held first under a pre-check regime) and the public notices (no login, public
extracts only: no police-only field ever appears)."""

import json
from typing import Any

from tests.notices.conftest import NoticeDesk, red_notice


def _diffusion(desk: NoticeDesk, sender: str, recipients: list[str]) -> dict[str, Any]:
    body = {"contents": red_notice(public=False), "recipients": recipients}
    return dict(desk.ok(sender, "POST", "/api/v1/diffusions", body))


def test_a_diffusion_reaches_its_recipients_at_once_and_is_purged_when_non_compliant(
    desk: NoticeDesk,
) -> None:
    sent = _diffusion(desk, "fr.officer", ["DE"])
    assert sent["state"] == "sent"
    assert sent["sent_at"] is not None
    url = f"/api/v1/diffusions/{sent['id']}"
    assert desk.ok("de.investigator", "GET", url)["recipients"] == ["DE"]
    assert desk.call("nl.officer", "GET", url).status_code == 404  # not a recipient
    assert desk.call("partner.exchange", "GET", url).status_code == 404
    assert [d["id"] for d in desk.ok("de.officer", "GET", "/api/v1/diffusions")] == [sent["id"]]
    assert desk.ok("nl.officer", "GET", "/api/v1/diffusions") == []
    # the Task Force reviews it after sending
    assert [d["id"] for d in desk.ok("gs.notices", "GET", "/api/v1/diffusions")] == [sent["id"]]
    move = {"action": "mark_non_compliant"}
    assert desk.call("gs.notices", "POST", f"{url}/moves", move).status_code == 422  # reasons
    assert desk.call("de.officer", "POST", f"{url}/moves", move).status_code == 403
    flagged = desk.ok(
        "gs.notices", "POST", f"{url}/moves", move | {"reasons": ["Article 3: political"]}
    )
    assert flagged["state"] == "non_compliant"
    assert flagged["review_reasons"] == ["Article 3: political"]
    # withdrawn from every recipient; the sender keeps the record of it
    assert desk.call("de.investigator", "GET", url).status_code == 404
    assert desk.ok("de.officer", "GET", "/api/v1/diffusions") == []
    assert desk.ok("fr.officer", "GET", url)["state"] == "non_compliant"


def test_a_country_under_pre_check_has_its_diffusions_held_until_found_compliant(
    desk: NoticeDesk,
) -> None:
    on = {"on": True}
    assert desk.call("fr.officer", "PUT", "/api/v1/notices/pre-check/FR", on).status_code == 403
    assert desk.ok("gs.notices", "PUT", "/api/v1/notices/pre-check/FR", {"on": True}) == ["FR"]
    held = _diffusion(desk, "fr.officer", ["DE", "NL"])
    assert held["state"] == "held"
    assert held["pre_check"] is True
    url = f"/api/v1/diffusions/{held['id']}"
    assert desk.call("de.officer", "GET", url).status_code == 404  # not out yet
    out = desk.ok("gs.notices", "POST", f"{url}/moves", {"action": "mark_compliant"})
    assert out["state"] == "compliant"
    assert desk.ok("nl.officer", "GET", url)["state"] == "compliant"
    # the sender withdraws it: gone from the recipients
    desk.ok("fr.officer", "POST", f"{url}/moves", {"action": "withdraw"})
    assert desk.call("nl.officer", "GET", url).status_code == 404
    # another country sends straight away
    assert _diffusion(desk, "de.officer", ["FR"])["state"] == "sent"
    assert desk.ok("gs.notices", "PUT", "/api/v1/notices/pre-check/FR", {"on": False}) == []


def test_a_diffusion_to_no_one_or_to_itself_is_refused(desk: NoticeDesk) -> None:
    body = {"contents": red_notice(), "recipients": ["FR"]}
    response = desk.call("fr.officer", "POST", "/api/v1/diffusions", body)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "recipients", "message": "a diffusion goes to other countries, not its sender"}
    ]
    assert desk.ok("fr.officer", "GET", "/api/v1/diffusions") == []


# Every police-only field of the request carries a marker the public must never see.
CANARY = "CANARY"


def _police_only_everywhere() -> dict[str, Any]:
    subject = red_notice()["subject"] | {
        "physical_description": f"{CANARY}-description",
        "aliases": [f"{CANARY}-alias"],
        "documents": [{"kind": "passport", "number": f"{CANARY}99", "issuing_country": "RU"}],
        "refugee_from": None,
    }
    details = red_notice()["details"] | {
        "law": f"{CANARY}-law",
        "decision": red_notice()["details"]["decision"] | {"reference": f"{CANARY}-warrant"},
    }
    return red_notice(
        facts=f"{CANARY}-facts",
        offence_text=f"{CANARY}-charges",
        case_reference=f"{CANARY}-case",
        subject=subject,
        details=details,
    )


def test_the_public_sees_public_extracts_only_and_never_a_police_only_field(
    desk: NoticeDesk,
) -> None:
    public = desk.published(_police_only_everywhere())
    police_only = desk.published(_police_only_everywhere() | {"public": False})
    requested = desk.draft("fr.officer", _police_only_everywhere())
    desk.moved("fr.officer", requested["id"], "request")

    listed = desk.ok(None, "GET", "/api/public/notices")  # no login
    assert [n["id"] for n in listed] == [public["id"]]
    assert listed[0] == {
        "id": public["id"],
        "kind": "red",
        "family_name": "Volkov",
        "forenames": "Dmitri",
        "original_script": "Дмитрий Волков",
        "birth_date": "1991-07-14",
        "nationalities": ["RU"],
        "charges": ["data_interference", "system_interference"],
        "circumstances": "",
        "sanctions": "",
    }
    found = desk.ok(None, "GET", "/api/public/notices?name=Волков Дмитрий&country=RU")
    assert [n["id"] for n in found] == [public["id"]]
    assert desk.ok(None, "GET", "/api/public/notices?country=FR") == []
    assert desk.ok(None, "GET", "/api/public/notices?name=Ivan Petrov") == []
    assert desk.call(None, "GET", "/api/public/notices?country=France").status_code == 422

    pages = [
        desk.call(None, "GET", "/api/public/notices").text,
        desk.call(None, "GET", f"/api/public/notices/{public['id']}").text,
        desk.call(None, "GET", "/notices/public").text,
        desk.call(None, "GET", f"/notices/public/{public['id']}").text,
        desk.call(None, "GET", "/notices/public?name=Volkov").text,
    ]
    assert all(CANARY not in text for text in pages)
    assert "VOLKOV, Dmitri" in pages[2]
    assert "VOLKOV" in pages[3].upper()
    for hidden in (police_only["id"], requested["id"]):
        assert desk.call(None, "GET", f"/api/public/notices/{hidden}").status_code == 404
        assert desk.call(None, "GET", f"/notices/public/{hidden}").status_code == 404
    # while the police read it all
    full = json.dumps(desk.ok("de.officer", "GET", f"/api/v1/notices/{public['id']}"))
    assert f"{CANARY}-warrant" in full
