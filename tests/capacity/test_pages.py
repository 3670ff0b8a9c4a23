"""The capacity-building pages through the real app, signed in through the login form, on both
databases: writing an article by its form, its page (body escaped, hidden ones 404), and the
training statistics as an SVG chart, a table and a CSV."""

import pytest

from casebridge.bootstrap import Platform
from tests.capacity.conftest import NoticeDesk
from tests.notices.test_pages import sign_in

pytestmark = pytest.mark.one_database

BODY = "# How it starts\nA fake update <script>alert(1)</script>\n\n- phishing\n- VPN accounts"


def test_an_article_written_by_its_form_is_shown_escaped_and_hidden_from_others(
    desk: NoticeDesk, platform: Platform
) -> None:
    fr = sign_in(desk, platform, "fr.officer")
    form = fr.get("/capacity/articles/new")
    assert form.status_code == 200
    assert 'name="techniques"' in form.text
    refused = fr.post(
        "/capacity/articles/new",
        {"kind": "guide", "title": "x", "body": "y", "tlp": "TLP:AMBER", "techniques": "T9999"},
    )
    assert refused.status_code == 422
    assert "T9999 is not an ATT&amp;CK Enterprise technique" in refused.text
    data = {
        "kind": "modus_operandi",
        "title": "NoctuaLocker entry",
        "body": BODY,
        "tlp": "TLP:AMBER",
        "techniques": "t1566.001, T1486",
    }
    created = fr.post("/capacity/articles/new", data)
    assert created.status_code == 303
    url = created.headers["location"]
    page = fr.get(url)
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<h2>How it starts</h2>" in page.text
    assert "<li>phishing</li>" in page.text
    assert "Spearphishing Attachment" in page.text
    assert "TLP:AMBER" in page.text
    assert "NoctuaLocker entry" in fr.get("/capacity").text
    assert sign_in(desk, platform, "de.officer").get(url).status_code == 404
    partner = sign_in(desk, platform, "partner.exchange")
    assert partner.get(url).status_code == 404
    assert "NoctuaLocker entry" not in partner.get("/capacity").text


def test_the_hub_draws_training_by_region_and_exports_it(
    desk: NoticeDesk, platform: Platform
) -> None:
    course = desk.ok(
        "gs.reviewer",
        "POST",
        "/api/v1/capacity/courses",
        {"title": "Crypto tracing", "topic": "virtual assets", "provider": "CaseBridge"},
    )
    session = desk.ok(
        "gs.reviewer",
        "POST",
        "/api/v1/capacity/sessions",
        {
            "course_id": course["id"],
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-03",
            "host_country": "KE",
            "venue": "Nairobi",
        },
    )
    for country in ("KE", "NG", "FR"):
        desk.ok(
            "gs.reviewer",
            "POST",
            f"/api/v1/capacity/sessions/{session['id']}/participants",
            {"name": f"Officer {country}", "country": country},
        )
    nl = sign_in(desk, platform, "nl.officer")
    hub = nl.get("/capacity")
    assert hub.status_code == 200
    assert "<svg" in hub.text
    assert "<title>Africa: 1 sessions, 2 participants</title>" in hub.text
    assert "<title>Europe: 0 sessions, 1 participants</title>" in hub.text
    assert "<tr><td>Africa</td><td>2026</td><td>1</td><td>2</td></tr>" in hub.text
    exported = nl.get("/capacity/statistics.csv")
    assert exported.status_code == 200
    assert exported.text.splitlines() == [
        "region,year,sessions,participants",
        "Africa,2026,1,2",
        "Europe,2026,0,1",
    ]
    training = nl.get("/capacity/training")
    assert "Crypto tracing" in training.text
    assert "FR 1, KE 1, NG 1" in training.text
    partner = sign_in(desk, platform, "partner.exchange")
    partner_hub = partner.get("/capacity")
    assert partner_hub.status_code == 200
    assert "<svg" not in partner_hub.text
    assert partner.get("/capacity/training").status_code == 404
