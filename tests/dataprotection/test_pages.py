"""The data-subject request pages over HTTP, signed in through the real login form: the CCF
registers and decides, the owner agency answers by ticking the person by name (with its id)
and carries out the deletion; deadlines show; others of the country only read; outsiders get
404."""

import re

import pytest
from fastapi.testclient import TestClient

from casebridge.bootstrap import Platform
from casebridge.web.session import SESSION_COOKIE, csrf_token
from tests.cases.test_pages_access import signed_in
from tests.dataprotection.desk import CCF, OWNER, Desk, build_desk, granted_correction
from tests.world import World

pytestmark = pytest.mark.one_database


@pytest.fixture
def desk(platform: Platform, world: World) -> Desk:
    return build_desk(platform, world)


def browser(desk: Desk, username: str) -> tuple[TestClient, str]:
    client = signed_in(desk.platform, desk.world, username)
    return client, csrf_token(desk.platform, client.cookies[SESSION_COOKIE])


def test_the_deletion_flow_through_the_pages(desk: Desk) -> None:
    ccf, ccf_csrf = browser(desk, CCF)
    registered = ccf.post(
        "/data-protection",
        data={
            "csrf": ccf_csrf,
            "kind": "deletion",
            "subject_name": "Dmitri Volkov",
            "subject_birth_date": "1991-07",
            "case_reference": desk.fr_case["reference"],
        },
    )
    assert registered.status_code == 303, registered.text
    page_url = registered.headers["location"]
    listed = ccf.get("/data-protection")
    assert "Dmitri Volkov" in listed.text
    assert page_url in listed.text
    assert 'href="/data-protection">Data protection</a>' in listed.text  # in the navigation
    assert "Answer the CCF" not in ccf.get(page_url).text  # the owner answers, not the CCF

    owner, owner_csrf = browser(desk, OWNER)
    assert page_url in owner.get("/data-protection").text
    page = owner.get(page_url)
    assert page.status_code == 200
    assert "Answer due" in page.text
    assert "(9 months)" in page.text
    volkov = desk.person_id(desk.fr_case["id"], "VOLKOV, Dmitri")
    assert re.search(rf'value="{volkov}"> VOLKOV, Dmitri', page.text)
    assert "MARTIN, Claire" in page.text
    empty = owner.post(f"{page_url}/answer", data={"csrf": owner_csrf, "response": ""})
    assert empty.status_code == 422
    answered = owner.post(
        f"{page_url}/answer",
        data={"csrf": owner_csrf, "response": "One suspect record.", "person_ids": volkov},
    )
    assert answered.status_code == 303, answered.text

    decide = ccf.get(page_url).text
    assert "Record the decision" in decide
    short = ccf.post(
        f"{page_url}/decision", data={"csrf": ccf_csrf, "granted": "yes", "reasons": "ok"}
    )
    assert short.status_code == 422
    reasons = "The data is no longer needed for the purpose."
    decided = ccf.post(
        f"{page_url}/decision", data={"csrf": ccf_csrf, "granted": "yes", "reasons": reasons}
    )
    assert decided.status_code == 303

    ready = owner.get(page_url).text
    assert "Notify the person by" in ready
    assert "Carry out by" in ready
    assert "Delete the person records" in ready
    done = owner.post(f"{page_url}/carry-out", data={"csrf": owner_csrf})
    assert done.status_code == 303
    after = owner.get(page_url).text
    assert "Carried out" in after
    assert "Delete the person records" not in after

    outsider, _ = browser(desk, "de.officer")
    assert outsider.get(page_url).status_code == 404
    assert "Dmitri Volkov" not in outsider.get("/data-protection").text
    without_csrf = owner.post(f"{page_url}/carry-out", data={})
    assert 400 <= without_csrf.status_code < 500  # refused, whatever the 4xx


def test_the_owner_corrects_a_record_through_the_page(desk: Desk) -> None:
    request_id, volkov = granted_correction(desk)
    owner, csrf = browser(desk, OWNER)
    page = owner.get(f"/data-protection/{request_id}").text
    assert "Carry out the correction" in page
    assert f'name="family_name_{volkov}" value="Volkov"' in page
    assert f'name="birth_date_{volkov}" value="1991-07"' in page
    bad = owner.post(
        f"/data-protection/{request_id}/carry-out",
        data={"csrf": csrf, f"family_name_{volkov}": "Sidorov", f"birth_date_{volkov}": "1991-13"},
    )
    assert bad.status_code == 422
    form = {f"family_name_{volkov}": "Sidorov", f"given_names_{volkov}": "Ivan"}
    done = owner.post(f"/data-protection/{request_id}/carry-out", data={"csrf": csrf, **form})
    assert done.status_code == 303, done.text
    assert desk.person_id(desk.fr_case["id"], "SIDOROV, Ivan") == volkov
