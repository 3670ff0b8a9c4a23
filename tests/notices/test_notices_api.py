"""Notices through the API: the whole life of a Red Notice, who sees it at each state, the
automated checks of the review, suspension and its expiry, and the exact reasons of a refusal."""

from datetime import timedelta
from typing import Any

from casebridge import worker
from casebridge.audit import service as audit
from casebridge.kernel.clock import FrozenClock
from casebridge.notices import service
from tests.notices.conftest import START, NoticeDesk, red_notice


def test_a_red_notice_is_requested_reviewed_and_published_to_every_member(
    desk: NoticeDesk,
) -> None:
    notice = desk.draft("fr.officer", red_notice())
    assert notice["state"] == "draft"
    assert notice["title"] == "Red: VOLKOV, Dmitri"
    assert notice["contents"]["requesting_country"] == "FR"
    # before publication: the owner's country and the Task Force, nobody else
    assert desk.call("de.officer", "GET", f"/api/v1/notices/{notice['id']}").status_code == 404
    assert desk.ok("fr.investigator", "GET", f"/api/v1/notices/{notice['id']}")["party"] is None

    desk.later(hours=1)
    requested = desk.moved("fr.officer", notice["id"], "request")
    assert requested["state"] == "requested"
    queue = desk.ok("gs.notices", "GET", "/api/v1/notices/review-queue")
    assert [n["id"] for n in queue] == [notice["id"]]
    assert desk.call("fr.officer", "GET", "/api/v1/notices/review-queue").status_code == 403

    reviewing = desk.moved("gs.notices", notice["id"], "start_review")
    assert reviewing["review"] == {"problems": [], "flags": [], "duplicates": []}
    assert reviewing["allowed"] == ["publish", "refuse"]
    assert desk.move("fr.officer", notice["id"], "publish").status_code == 422

    published = desk.moved("gs.notices", notice["id"], "publish")
    assert published["state"] == "published"
    assert published["published_at"] is not None
    for reader in ("de.officer", "de.investigator", "nl.officer"):
        assert desk.ok(reader, "GET", f"/api/v1/notices/{notice['id']}")["state"] == "published"
    # never a private partner, nor a user who only administers
    for outsider in ("partner.exchange", "gs.admin"):
        url = f"/api/v1/notices/{notice['id']}"
        assert desk.call(outsider, "GET", url).status_code == 404
    listed = desk.ok("nl.officer", "GET", "/api/v1/notices")
    assert [n["id"] for n in listed] == [notice["id"]]
    assert desk.ok("partner.exchange", "GET", "/api/v1/notices") == []
    actions = [m["action"] for m in published["moves"]]
    assert actions == ["request", "start_review", "publish"]
    # every read and move is audited, the hidden reads as denied
    auditor = desk.world.actor("gs.auditor")
    platform = desk.client.app.state.platform  # type: ignore[attr-defined]
    entries = audit.latest(platform.uow(), auditor, 500)
    seen = {(e.action, e.actor_username, e.outcome.value) for e in entries}
    assert {
        ("notice.publish", "gs.notices", "allowed"),
        ("notice.read", "de.officer", "allowed"),
        ("notice.read", "de.officer", "denied"),
        ("notice.read", "partner.exchange", "denied"),
    } <= seen
    # and nothing without a token
    assert desk.call(None, "GET", "/api/v1/notices").status_code == 401


def test_a_request_that_fails_the_criteria_is_refused_with_the_exact_reasons(
    desk: NoticeDesk,
) -> None:
    details = red_notice()["details"] | {"maximum_penalty_months": 12, "decision": None}
    notice = desk.draft("fr.officer", red_notice(details=details))
    response = desk.move("fr.officer", notice["id"], "request")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("invalid-input")
    assert {(e["field"], e["message"]) for e in problem["errors"]} == {
        (
            "details.maximum_penalty_months",
            (
                "RPD Art. 83(1)(a)(ii): for prosecution, the offence is punishable by at least "
                "2 years"
            ),
        ),
        ("details.decision", "RPD Art. 83(2)(b): a valid arrest warrant or court decision"),
    }
    # nothing half-written: still a draft, no move stored
    again = desk.ok("fr.officer", "GET", f"/api/v1/notices/{notice['id']}")
    assert again["state"] == "draft"
    assert again["moves"] == []


def test_bad_contents_are_refused_with_the_field(desk: NoticeDesk) -> None:
    response = desk.call(
        "fr.officer", "POST", "/api/v1/notices", {"contents": red_notice(offences=["flying"])}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("offences")
    unknown = desk.call("fr.officer", "POST", "/api/v1/notices", {"contents": {"kind": "pink"}})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "kind"
    # only NCB officers request notices
    assert (
        desk.call(
            "fr.investigator", "POST", "/api/v1/notices", {"contents": red_notice()}
        ).status_code
        == 403
    )


def test_the_task_force_refuses_with_reasons_and_sees_the_checks(desk: NoticeDesk) -> None:
    first = desk.published(red_notice())
    # the same person, written in Cyrillic, with another passport: a cross-script duplicate
    subject = red_notice()["subject"] | {
        "family_name": "Волков",
        "forenames": "Дмитрий",
        "documents": [],
    }
    facts = "Organised the ransomware attacks after the opposition protest in Minsk."
    second = desk.draft("de.officer", red_notice(subject=subject, facts=facts))
    desk.moved("de.officer", second["id"], "request")
    review = desk.moved("gs.notices", second["id"], "start_review")["review"]
    assert [(d["notice_id"], d["basis"], d["score"]) for d in review["duplicates"]] == [
        (first["id"], "name", 1.0)
    ]
    assert [f["rule"] for f in review["flags"]] == ["Constitution Art. 3"]
    assert "opposition" in review["flags"][0]["text"]
    assert desk.move("gs.notices", second["id"], "refuse").status_code == 422  # no reasons
    refused = desk.moved(
        "gs.notices", second["id"], "refuse", reasons=["a Red Notice on this person exists"]
    )
    assert refused["state"] == "refused"
    assert refused["refusal_reasons"] == ["a Red Notice on this person exists"]
    assert refused["allowed"] == []


def test_an_article3_finding_refuses_publication(desk: NoticeDesk) -> None:
    notice = desk.draft("fr.officer", red_notice())
    desk.moved("fr.officer", notice["id"], "request")
    desk.moved("gs.notices", notice["id"], "start_review")
    response = desk.move("gs.notices", notice["id"], "publish", screening={"article3": "political"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["screening.article3"]


def test_suspension_lapses_back_or_expires(desk: NoticeDesk, clock: FrozenClock) -> None:
    resumed = desk.published(red_notice())
    expired = desk.published(red_notice(facts="Another case entirely."))
    too_long = START + timedelta(days=200)
    response = desk.move("fr.officer", resumed["id"], "suspend", until=too_long.isoformat())
    assert response.status_code == 422
    assert "at most 6 months" in response.json()["detail"]
    until = (START + timedelta(days=30)).isoformat()
    suspended = desk.moved("fr.officer", resumed["id"], "suspend", until=until)
    assert suspended["state"] == "suspended"
    desk.moved("fr.officer", expired["id"], "suspend", until=until, expire=True)
    # a suspended notice is the owner's country's alone
    assert desk.call("de.officer", "GET", f"/api/v1/notices/{resumed['id']}").status_code == 404

    platform = desk.client.app.state.platform  # type: ignore[attr-defined]
    assert service.sweep_suspensions(platform.uow()) == 0  # not yet
    clock.advance(timedelta(days=31))
    worker.suspensions_once(platform)  # as the worker does it
    assert service.sweep_suspensions(platform.uow()) == 0  # nothing left
    back = desk.ok("de.officer", "GET", f"/api/v1/notices/{resumed['id']}")
    assert back["state"] == "published"
    assert back["moves"][-1] | {"at": None} == {
        "action": "resume",
        "from_state": "suspended",
        "to_state": "published",
        "at": None,
        "party": "system",
        "by_username": "system",
        "by_country": "",
        "note": "",
    }
    gone = desk.ok("fr.officer", "GET", f"/api/v1/notices/{expired['id']}")
    assert gone["state"] == "expired"
    assert desk.call("de.officer", "GET", f"/api/v1/notices/{expired['id']}").status_code == 404


def test_update_addendum_cancel(desk: NoticeDesk) -> None:
    notice = desk.published(red_notice())
    contents: dict[str, Any] = red_notice(facts="Updated: he also ran the affiliate panel.")
    updated = desk.moved("fr.officer", notice["id"], "update", contents=contents)
    assert updated["revision"] == 2
    assert updated["contents"]["facts"].startswith("Updated")
    assert desk.move("de.officer", notice["id"], "update", contents=contents).status_code == 403
    added = desk.moved(
        "gs.notices",
        notice["id"],
        "add_addendum",
        country="DE",
        text="Extradition refused: the person is a German national",
    )
    assert added["addenda"][0]["country"] == "DE"
    cancelled = desk.moved("gs.notices", notice["id"], "cancel", reasons=["warrant withdrawn"])
    assert cancelled["state"] == "cancelled"
    assert desk.call("nl.officer", "GET", f"/api/v1/notices/{notice['id']}").status_code == 404


def test_search_by_name_across_scripts_document_indicator_and_wallet(desk: NoticeDesk) -> None:
    red = desk.published(red_notice())
    purple = desk.published(
        {
            "kind": "purple",
            "facts": "Cloned exchange front-ends drain wallets through token approvals.",
            "details": {
                "modus_operandi": "Token-approval scam through cloned exchange front-ends.",
                "devices": ["phishing kit"],
                "indicators": ["Evil-Exchange.example", "http://evil-exchange.example/login"],
                "techniques": ["T1566.002"],
            },
        }
    )
    silver = desk.published(
        {
            "kind": "silver",
            "facts": "Proceeds laundered through these wallets.",
            "subject": {"family_name": "Okafor", "forenames": "Chidi"},
            "details": {
                "investigation": "Parquet de Paris, JIRS 2025/77",
                "assets": [
                    {
                        "kind": "wallet",
                        "identifier": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
                    }
                ],
            },
        }
    )

    def found(**query: str) -> list[str]:
        params = "&".join(f"{k}={v}" for k, v in query.items())
        return [n["id"] for n in desk.ok("de.officer", "GET", f"/api/v1/notices/search?{params}")]

    assert found(name="Дмитрий Волков") == [red["id"]]
    assert found(name="Dmitriy Volkoff") == [red["id"]]
    assert found(name="Ivan Petrov") == []
    assert found(name="volkov") == [red["id"]]  # a family name alone
    assert found(name="Volkova") == []
    assert found(identifier="751234567") == [red["id"]]
    assert found(indicator="EVIL-EXCHANGE.EXAMPLE") == [purple["id"]]
    assert found(wallet="0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") == [silver["id"]]
    assert found(name="Dmitri Volkov", identifier="751234567") == [red["id"]]
    assert found(name="Dmitri Volkov", wallet="0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") == []
    # a partner finds nothing, even by an exact identifier
    assert desk.ok("partner.exchange", "GET", "/api/v1/notices/search?identifier=751234567") == []
