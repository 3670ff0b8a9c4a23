"""Joint operations through the API: only participants see an operation, on every endpoint;
deconfliction answers hit/no-hit and nothing more; results add up per country with amounts per
currency and stay traceable; action days show in each participant's local time; the PDF report
holds the totals."""

import io
import json

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tests.operations.conftest import OpsDesk


def test_only_participants_see_an_operation_on_every_endpoint(ops: OpsDesk) -> None:
    op = ops.operation
    assert (op["lead_country"], op["participants"], op["phase"]) == ("DE", ["DE", "FR"], "planning")
    assert op["codename"] == "NIGHTJAR"
    ids = {"de.officer", "fr.investigator", "gs.coordinator"}
    for caller in ids:
        assert [o["id"] for o in ops.ok(caller, "GET", "/api/v1/operations")] == [op["id"]]
    reads = [("GET", ops.url), ("GET", f"{ops.url}/report.pdf")]
    writes = [
        ("POST", f"{ops.url}/targets", {"kind": "infrastructure", "value": "203.0.113.9"}),
        ("POST", f"{ops.url}/deconflict", {"kind": "infrastructure", "value": "203.0.113.9"}),
        ("POST", f"{ops.url}/results", {"kind": "arrests", "count": 1}),
        ("POST", f"{ops.url}/phase", {"to": "preparation"}),
        ("POST", f"{ops.url}/participants", {"countries": ["NL"]}),
        (
            "POST",
            f"{ops.url}/tasks",
            {"country": "NL", "title": "x", "owner": "nl.officer", "due_on": "2026-12-01"},
        ),
    ]
    for outsider in ("nl.officer", "partner.exchange"):
        assert ops.ok(outsider, "GET", "/api/v1/operations") == [], outsider
        for method, url in reads:
            assert ops.call(outsider, method, url).status_code == 404, (outsider, url)
        for method, url, body in writes:
            assert ops.call(outsider, method, url, body).status_code == 404, (outsider, url)
    # once added, NL sees it at once
    ops.ok("gs.coordinator", "POST", f"{ops.url}/participants", {"countries": ["NL"]})
    assert ops.ok("nl.officer", "GET", ops.url)["participants"] == ["DE", "FR", "NL"]


def test_deconfliction_reveals_nothing_beyond_hit_or_no_hit(ops: OpsDesk) -> None:
    # the FR case holds 185.220.101.7; DE may only discover it
    answer = ops.ok(
        "de.officer",
        "POST",
        f"{ops.url}/deconflict",
        {"kind": "infrastructure", "value": "185.220.101.7"},
    )
    assert answer == {
        "asked": "185.220.101.7",
        "hit": True,
        "holders": [{"country": "FR", "held_in": "case", "contact": "NCB FR"}],
    }
    text = json.dumps(answer)
    assert ops.case["reference"] not in text
    assert "Ransomware" not in text
    none = ops.ok(
        "de.officer",
        "POST",
        f"{ops.url}/deconflict",
        {"kind": "infrastructure", "value": "198.51.100.77"},
    )
    assert none == {"asked": "198.51.100.77", "hit": False, "holders": []}
    # another operation (GB-led, DE not in it) holding a wallet: a hit naming its lead only
    other = ops.ok(
        "gs.coordinator",
        "POST",
        "/api/v1/operations",
        {"name": "Secret op", "codename": "kite", "lead_country": "NL"},
    )
    wallet = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
    ops.ok(
        "nl.officer",
        "POST",
        f"/api/v1/operations/{other['id']}/targets",
        {"kind": "wallet", "value": wallet, "label": "mixer"},
    )
    found = ops.ok(
        "de.officer", "POST", f"{ops.url}/deconflict", {"kind": "wallet", "value": wallet}
    )
    assert found["holders"] == [
        {"country": "FR", "held_in": "case", "contact": "NCB FR"},
        {"country": "NL", "held_in": "operation", "contact": "NCB NL"},
    ]
    assert "Secret op" not in json.dumps(found)
    assert "mixer" not in json.dumps(found)
    bad = ops.call(
        "de.officer", "POST", f"{ops.url}/deconflict", {"kind": "wallet", "value": "nope"}
    )
    assert bad.status_code == 422


def test_targets_tasks_and_action_days_in_local_time(ops: OpsDesk) -> None:
    target = ops.ok(
        "de.officer",
        "POST",
        f"{ops.url}/targets",
        {
            "kind": "infrastructure",
            "value": "HTTP://C2.Example.ORG:80/panel",
            "label": "C2 panel",
            "country": "NL",
        },
    )
    assert target["value"] == "http://c2.example.org/panel"
    person = ops.ok(
        "fr.investigator",
        "POST",
        f"{ops.url}/targets",
        {"kind": "person", "label": "Dmitri Volkov"},
    )
    assert person["value"] == ""
    task = ops.ok(
        "de.officer",
        "POST",
        f"{ops.url}/tasks",
        {
            "country": "FR",
            "title": "Search warrant",
            "owner": "fr.investigator",
            "due_on": "2026-11-20",
        },
    )
    wrong_owner = ops.call(
        "de.officer",
        "POST",
        f"{ops.url}/tasks",
        {"country": "FR", "title": "x", "owner": "de.officer", "due_on": "2026-11-20"},
    )
    assert wrong_owner.status_code == 422
    assert ops.call("de.officer", "POST", f"{ops.url}/tasks/{task['id']}/done").status_code == 403
    assert ops.ok("fr.investigator", "POST", f"{ops.url}/tasks/{task['id']}/done")["done_at"]
    # scheduled by the lead country's NCB; an investigator may not
    day = {
        "title": "Action day 1",
        "starts_at": "2026-12-01T05:00:00+00:00",
        "ends_at": "2026-12-01T17:00:00+00:00",
    }
    assert ops.call("fr.investigator", "POST", f"{ops.url}/action-days", day).status_code == 403
    view = ops.ok("de.officer", "POST", f"{ops.url}/action-days", day)
    local = {t["country"]: (t["time_zone"], t["starts"]) for t in view["action_days"][0]["local"]}
    assert local == {
        "DE": ("Europe/Berlin", "2026-12-01T06:00:00+01:00"),
        "FR": ("Europe/Paris", "2026-12-01T06:00:00+01:00"),
    }
    assert [t["label"] for t in view["targets"]] == ["C2 panel", "Dmitri Volkov"]


def test_results_add_up_per_country_and_the_pdf_holds_the_totals(ops: OpsDesk) -> None:
    ops.ok("de.officer", "POST", f"{ops.url}/results", {"kind": "arrests", "count": 3})
    ops.ok("fr.investigator", "POST", f"{ops.url}/results", {"kind": "arrests", "count": 4})
    ops.ok(
        "fr.investigator",
        "POST",
        f"{ops.url}/results",
        {"kind": "accounts_frozen", "count": 12, "amount": "250000.50", "unit": "eur"},
    )
    ops.ok(
        "de.officer",
        "POST",
        f"{ops.url}/results",
        {"kind": "crypto_seized", "count": 2, "amount": "1.5", "unit": "BTC"},
    )
    bad = ops.call(
        "de.officer",
        "POST",
        f"{ops.url}/results",
        {"kind": "arrests", "count": 1, "amount": "3", "unit": "EUR"},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "amount"
    view = ops.ok("gs.coordinator", "GET", ops.url)
    assert view["totals"]["by_kind"] == {"arrests": 7, "accounts_frozen": 12, "crypto_seized": 2}
    assert view["totals"]["by_country"]["FR"] == {"arrests": 4, "accounts_frozen": 12}
    assert view["totals"]["amounts"] == {
        "accounts_frozen": {"EUR": "250000.50"},
        "crypto_seized": {"BTC": "1.5"},
    }
    assert {(r["country"], r["entered_by"]) for r in view["results"]} == {
        ("DE", "de.officer"),
        ("FR", "fr.investigator"),
    }
    response = ops.call("fr.investigator", "GET", f"{ops.url}/report.pdf")
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Operation Nightjar" in text
    assert "Arrests\n7\n" in text  # the results table: kind, then its total
    assert "250,000.50 EUR" in text
    assert "1.50 BTC" in text


@pytest.mark.parametrize("caller", ["de.officer", "gs.coordinator"])
def test_phases_move_forwards_one_at_a_time(ops: OpsDesk, caller: str) -> None:
    assert ops.call(caller, "POST", f"{ops.url}/phase", {"to": "action_days"}).status_code == 422
    assert (
        ops.ok(caller, "POST", f"{ops.url}/phase", {"to": "preparation"})["phase"] == "preparation"
    )
    assert (
        ops.call("fr.investigator", "POST", f"{ops.url}/phase", {"to": "action_days"}).status_code
        == 403
    )


def test_the_operation_channel_carries_signed_messages_to_participants_only(
    ops: OpsDesk,
) -> None:
    sent = ops.ok(
        "fr.investigator", "POST", f"{ops.url}/messages", {"body": "Warrants signed for Lyon."}
    )
    assert sent["verified"] is True
    assert ops.call("nl.officer", "POST", f"{ops.url}/messages", {"body": "hi"}).status_code == 404
    assert (
        ops.call("fr.investigator", "POST", f"{ops.url}/messages", {"body": " "}).status_code == 422
    )
    read = ops.ok("de.officer", "GET", ops.url)["messages"]
    assert [(m["sender_username"], m["body"], m["verified"]) for m in read] == [
        ("fr.investigator", "Warrants signed for Lyon.", True)
    ]
    # edited in the database: the signature no longer holds
    platform = ops.client.app.state.platform  # type: ignore[attr-defined]
    with platform.engine.begin() as connection:
        rows = connection.execute(
            sa.text("SELECT id, document FROM operation_items WHERE kind = 'message'")
        ).all()
        [(item_id, text)] = rows
        edited = json.loads(text) | {"body": "Warrants cancelled."}
        connection.execute(
            sa.text("UPDATE operation_items SET document = :d WHERE id = :i"),
            {"d": json.dumps(edited), "i": item_id},
        )
    read = ops.ok("de.officer", "GET", ops.url)["messages"]
    assert [(m["body"], m["verified"]) for m in read] == [("Warrants cancelled.", False)]
