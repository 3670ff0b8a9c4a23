"""Search pages reload without leaking (issue 16, #10; docs/adr/0015): a hit/no-hit or person
search posts, then lives at a GET URL holding the search sealed for its user only; every
reload is audited and rate-limited like the first search."""

from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from casebridge.audit.store import audit_entries
from casebridge.bootstrap import Platform
from casebridge.web.session import SESSION_COOKIE, csrf_token
from tests.cases.test_access_matrix import OWNER, Desk
from tests.cases.test_pages_access import signed_in
from tests.intel.test_lookup_access import accept, domain, make_case

pytestmark = pytest.mark.one_database


def _lookups(platform: Platform) -> int:
    query = sa.select(sa.func.count()).where(audit_entries.c.action == "intel.lookup")
    with platform.engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def _post(client: TestClient, platform: Platform, url: str, data: dict[str, str]) -> str:
    csrf = csrf_token(platform, client.cookies[SESSION_COOKIE])
    posted = client.post(url, data={**data, "csrf": csrf})
    assert posted.status_code == 303, posted.text
    return str(posted.headers["location"])


def test_a_lookup_result_reloads_at_a_url_that_names_no_value(desk: Desk) -> None:
    platform, world = desk.world.platform, desk.world
    case = make_case(desk, 7, {"tlp": "TLP:GREEN"})
    accept(desk, case)  # indexed once shared
    owner = signed_in(platform, world, OWNER)
    before = _lookups(platform)

    link = _post(owner, platform, "/intel/lookup", {"values": domain(7) + "\n"})
    assert urlsplit(link).path == "/intel/lookup"
    assert "case-7" not in link  # the value is sealed, not written into logs and history
    assert set(parse_qs(urlsplit(link).query)) == {"q"}
    for _ in range(2):  # the first answer, then a reload
        page = owner.get(link)
        assert page.status_code == 200, page.text
        assert case["reference"] in page.text
        assert domain(7) in page.text  # the search box shows what was searched
    assert _lookups(platform) == before + 2  # each run of the search is audited

    other = signed_in(platform, world, "de.officer")
    stolen = other.get(link)  # a link opens for its own user only
    assert stolen.status_code == 422
    assert case["reference"] not in stolen.text
    assert domain(7) not in stolen.text
    garbled = owner.get(link[:-4] + "AAAA")
    assert garbled.status_code == 422
    assert "expired or is not yours" in garbled.text
    assert owner.get("/intel/lookup").status_code == 200  # the bare URL: the empty form
    assert _lookups(platform) == before + 2


def test_a_person_search_reloads_at_a_sealed_url(desk: Desk) -> None:
    platform, world = desk.world.platform, desk.world
    make_case(desk, 8, {"tlp": "TLP:GREEN"})
    owner = signed_in(platform, world, OWNER)
    person = {"names": "Ivan Petrovich Sidorov", "birth_date": "1990", "nationalities": "RU"}
    link = _post(owner, platform, "/intel/persons", person)
    assert urlsplit(link).path == "/intel/persons"
    assert "Sidorov" not in link
    page = owner.get(link)
    assert page.status_code == 200, page.text
    assert 'value="Ivan Petrovich Sidorov"' in page.text
    assert owner.get(link).status_code == 200  # a reload


def test_an_invalid_search_is_answered_at_once(desk: Desk) -> None:
    platform, world = desk.world.platform, desk.world
    owner = signed_in(platform, world, OWNER)
    csrf = csrf_token(platform, owner.cookies[SESSION_COOKIE])
    empty = owner.post("/intel/lookup", data={"values": "  \n", "csrf": csrf})
    assert empty.status_code == 422
    assert "paste at least one value" in empty.text
