"""Training records through the API, on both databases: who records and who reads them, and
the statistics by region and year with known numbers, as JSON and as CSV."""

import csv
import io
from typing import Any

from tests.capacity.conftest import NoticeDesk

BASE = "/api/v1/capacity"


def course(desk: NoticeDesk, caller: str = "gs.reviewer") -> dict[str, Any]:
    body = {"title": "Ransomware first response", "topic": "ransomware", "provider": "CaseBridge"}
    return dict(desk.ok(caller, "POST", f"{BASE}/courses", body))


def session(
    desk: NoticeDesk, caller: str, course_id: str, host: str, start: str, **extra: object
) -> dict[str, Any]:
    body = {"course_id": course_id, "starts_on": start, "ends_on": start, "host_country": host}
    return dict(desk.ok(caller, "POST", f"{BASE}/sessions", body | {"venue": "HQ"} | extra))


def join(desk: NoticeDesk, caller: str, session_id: str, **body: str) -> Any:
    return desk.call(caller, "POST", f"{BASE}/sessions/{session_id}/participants", body)


def people(desk: NoticeDesk, session_id: str, *countries: str) -> None:
    for i, country in enumerate(countries):
        response = join(desk, "gs.reviewer", session_id, name=f"P{i}", country=country)
        assert response.status_code == 201, response.text


def test_statistics_by_region_and_year_with_known_numbers(desk: NoticeDesk) -> None:
    c = course(desk)["id"]
    paris = session(desk, "fr.officer", c, "FR", "2025-06-02")
    berlin = session(desk, "de.officer", c, "DE", "2026-03-09")
    nairobi = session(desk, "gs.reviewer", c, "KE", "2026-05-04")
    online = session(desk, "gs.reviewer", c, "SG", "2026-09-01", online=True, venue="")
    people(desk, paris["id"], "FR", "DE", "NG")  # 2025: Europe 2, Africa 1
    people(desk, berlin["id"], "NL", "BR")  # 2026: Europe 1, Americas 1
    people(desk, nairobi["id"], "KE", "KE", "NG", "IN")  # 2026: Africa 3, Asia 1
    people(desk, online["id"], "SG")  # 2026: Asia 1
    rows = desk.ok("nl.officer", "GET", f"{BASE}/statistics")
    table = {(r["region"], r["year"]): (r["sessions"], r["participants"]) for r in rows}
    assert table == {
        ("Africa", 2025): (0, 1),
        ("Europe", 2025): (1, 2),
        ("Africa", 2026): (1, 3),
        ("Americas", 2026): (0, 1),
        ("Asia and South Pacific", 2026): (1, 2),
        ("Europe", 2026): (1, 1),
    }

    response = desk.call("nl.officer", "GET", f"{BASE}/statistics.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    parsed = list(csv.reader(io.StringIO(response.text)))
    assert parsed[0] == ["region", "year", "sessions", "participants"]
    assert parsed[1:] == [
        ["Africa", "2025", "0", "1"],
        ["Africa", "2026", "1", "3"],
        ["Americas", "2026", "0", "1"],
        ["Asia and South Pacific", "2026", "1", "2"],
        ["Europe", "2025", "1", "2"],
        ["Europe", "2026", "1", "1"],
    ]


def test_partners_and_administrators_never_read_training_records(desk: NoticeDesk) -> None:
    course(desk)
    for url in ("/courses", "/sessions", "/statistics", "/statistics.csv"):
        assert desk.call("partner.exchange", "GET", f"{BASE}{url}").status_code == 404
        assert desk.call("fr.investigator", "GET", f"{BASE}{url}").status_code == 200
    assert desk.call("fr.admin", "GET", f"{BASE}/courses").status_code == 200  # NCB officer too


def test_who_records_what(desk: NoticeDesk) -> None:
    body = {"title": "T", "topic": "t", "provider": "p"}
    assert desk.call("fr.investigator", "POST", f"{BASE}/courses", body).status_code == 403
    assert desk.call("partner.exchange", "POST", f"{BASE}/courses", body).status_code == 404
    c = course(desk, "fr.officer")["id"]
    other = {"course_id": c, "starts_on": "2026-01-05", "ends_on": "2026-01-06"}
    abroad = desk.call("fr.officer", "POST", f"{BASE}/sessions", other | {"host_country": "DE"})
    assert abroad.status_code == 422  # FR records the sessions FR hosts
    paris = session(desk, "fr.officer", c, "FR", "2026-01-05")
    # DE adds its own people to FR's session, not NL's; the central unit anyone
    assert join(desk, "de.officer", paris["id"], name="Anna", country="DE").status_code == 201
    assert join(desk, "de.officer", paris["id"], name="Joost", country="NL").status_code == 422
    by_user = join(desk, "nl.officer", paris["id"], username="nl.officer")
    assert by_user.status_code == 201
    assert by_user.json()["country"] == "NL"
    assert by_user.json()["agency"] == "NCB NL"
    listed = desk.ok("de.officer", "GET", f"{BASE}/sessions")
    assert [(p["name"], p["country"]) for p in listed[0]["participants"]] == [
        ("Anna", "DE"),
        ("nl.officer", "NL"),
    ]


def test_a_session_is_checked(desk: NoticeDesk) -> None:
    c = course(desk)["id"]
    body = {"course_id": c, "starts_on": "2026-02-10", "ends_on": "2026-02-09"}
    response = desk.call("gs.reviewer", "POST", f"{BASE}/sessions", body | {"host_country": "FR"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"ends_on", "venue"}
