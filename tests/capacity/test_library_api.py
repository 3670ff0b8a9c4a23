"""The knowledge library through the API, on both databases: who sees an article under each
marking (hidden is 404, never 403), ATT&CK ids and linked Purple Notices checked on writing,
and what the audit keeps of reads."""

from typing import Any

from casebridge.audit.service import verify
from tests.capacity.conftest import NoticeDesk
from tests.notices.conftest import red_notice

URL = "/api/v1/capacity/articles"


def purple() -> dict[str, Any]:
    return {
        "kind": "purple",
        "facts": "NoctuaLocker affiliates phish hospitals, then encrypt their hosts.",
        "details": {
            "modus_operandi": "Spear-phishing with a fake update; data stolen before encryption.",
            "indicators": ["telemetry-cdn-sync.example"],
            "techniques": ["T1566.001", "T1486"],
        },
    }


def article(**changes: object) -> dict[str, Any]:
    body = {
        "kind": "modus_operandi",
        "title": "NoctuaLocker: from phishing to encryption",
        "body": "# Entry\nA fake update <script>alert(1)</script>\n\n- phishing\n- VPN accounts",
        "tlp": "TLP:AMBER",
        "techniques": ["T1566.001", "T1486"],
    }
    return body | changes


def write(desk: NoticeDesk, caller: str, **changes: object) -> dict[str, Any]:
    response = desk.call(caller, "POST", URL, article(**changes))
    assert response.status_code == 201, response.text
    return dict(response.json())


def status(desk: NoticeDesk, caller: str, url: str) -> int:
    return desk.call(caller, "GET", url).status_code


def listed(desk: NoticeDesk, caller: str, query: str = "") -> list[str]:
    return [a["id"] for a in desk.ok(caller, "GET", f"{URL}{query}")]


def test_an_amber_article_of_fr_is_hidden_from_de_and_from_the_partner(
    desk: NoticeDesk,
) -> None:
    written = write(desk, "fr.officer")
    url = f"{URL}/{written['id']}"
    assert written["tlp"] == "TLP:AMBER"
    assert [t["name"] for t in written["technique_names"]] == [
        "Data Encrypted for Impact",
        "Spearphishing Attachment",
    ]
    assert status(desk, "fr.investigator", url) == 200  # same country, law enforcement
    assert status(desk, "de.officer", url) == 404
    assert status(desk, "partner.exchange", url) == 404
    assert status(desk, "gs.reviewer", url) == 200  # the central review reads everything
    assert listed(desk, "fr.investigator") == [written["id"]]
    assert listed(desk, "de.officer") == []
    assert listed(desk, "partner.exchange") == []


def test_a_clear_article_reaches_the_partner_and_a_green_one_every_police_but_not_it(
    desk: NoticeDesk,
) -> None:
    clear = write(desk, "de.officer", tlp="TLP:CLEAR", kind="guide", title="Reporting phishing")
    green = write(desk, "de.officer", tlp="TLP:GREEN", title="Green MO")
    assert status(desk, "partner.exchange", f"{URL}/{clear['id']}") == 200
    assert status(desk, "partner.exchange", f"{URL}/{green['id']}") == 404
    assert status(desk, "nl.officer", f"{URL}/{green['id']}") == 200
    assert listed(desk, "partner.exchange") == [clear["id"]]
    assert set(listed(desk, "nl.officer")) == {clear["id"], green["id"]}
    assert listed(desk, "nl.officer", "?kind=guide") == [clear["id"]]


def test_an_article_narrowed_to_named_countries_reaches_only_them(desk: NoticeDesk) -> None:
    written = write(desk, "fr.officer", tlp="TLP:GREEN", countries=["NL"])
    assert written["countries"] == ["FR", "NL"]
    assert status(desk, "nl.officer", f"{URL}/{written['id']}") == 200
    assert status(desk, "de.officer", f"{URL}/{written['id']}") == 404


def test_an_unknown_technique_is_refused_with_a_clear_422(desk: NoticeDesk) -> None:
    response = desk.call("fr.officer", "POST", URL, article(techniques=["T1486", "T9999", "X1"]))
    assert response.status_code == 422
    problem = response.json()
    messages = {e["field"]: e["message"] for e in problem["errors"]}
    assert messages["techniques.1"] == "T9999 is not an ATT&CK Enterprise technique"
    assert "not an ATT&CK id" in messages["techniques.2"]
    assert "techniques.0" not in messages
    assert listed(desk, "fr.officer") == []  # nothing written


def test_tlp_red_and_partners_as_authors_are_refused(desk: NoticeDesk) -> None:
    red = desk.call("fr.officer", "POST", URL, article(tlp="TLP:RED"))
    assert red.status_code == 422
    assert "tlp" in {e["field"] for e in red.json()["errors"]}
    assert desk.call("partner.exchange", "POST", URL, article(tlp="TLP:CLEAR")).status_code == 403


def test_linked_notices_must_be_purple_ones_the_author_sees(desk: NoticeDesk) -> None:
    mo = desk.published(purple())
    red = desk.published(red_notice())
    draft = desk.draft("fr.officer", purple())  # FR's alone while a draft
    refused = desk.call("de.officer", "POST", URL, article(notice_ids=[red["id"], draft["id"]]))
    assert refused.status_code == 422
    messages = {e["field"]: e["message"] for e in refused.json()["errors"]}
    assert messages["notice_ids.0"].endswith("is not a Purple Notice")
    assert messages["notice_ids.1"].startswith("no notice")

    linked = write(desk, "de.officer", tlp="TLP:CLEAR", notice_ids=[mo["id"]])
    assert [n["id"] for n in linked["notices"]] == [mo["id"]]
    assert listed(desk, "nl.officer", f"?notice_id={mo['id']}") == [linked["id"]]
    # the partner reads the CLEAR article, but not the police-only notice it links to
    seen = desk.ok("partner.exchange", "GET", f"{URL}/{linked['id']}")
    assert seen["notices"] == []
    assert seen["hidden_notices"] == 1


def test_reads_are_audited_denials_included(desk: NoticeDesk) -> None:
    written = write(desk, "fr.officer")
    desk.call("de.officer", "GET", f"{URL}/{written['id']}")
    desk.call("fr.investigator", "GET", f"{URL}/{written['id']}")
    uow = desk.world.platform.uow()
    with uow:
        entries = [e for e in uow.audit.entries() if e.object_id == written["id"]]
    reads = [(e.actor_username, e.outcome.value) for e in entries if e.action.endswith("read")]
    assert ("de.officer", "denied") in reads
    assert ("fr.investigator", "allowed") in reads
    platform = desk.world.platform
    assert verify(platform.uow(), platform.signer)[1] is None


def test_filter_by_technique(desk: NoticeDesk) -> None:
    one = write(desk, "fr.officer", techniques=["T1078"])
    write(desk, "fr.officer", techniques=["T1486"])
    assert listed(desk, "fr.officer", "?technique=T1078") == [one["id"]]
