"""A correction ordered by the CCF (DOMAIN.md §1) is carried out by the owner even on an
accepted case, which no one may edit otherwise: the record keeps its id, the index follows
(the old name no longer answers, the new one does), and alerts lose the name no longer true."""

import pytest

from casebridge.bootstrap import Platform
from tests.dataprotection.desk import CCF, DSR, OWNER, Desk, build_desk, granted_correction
from tests.dataprotection.test_deletion_reaches_everywhere import (
    hit_alert_for_owner,
    mentions_him,
    owner_alerts_text,
)
from tests.world import World

CORRECTED = {"role": "suspect", "family_name": "Sidorov", "given_names": "Ivan"}


@pytest.fixture
def desk(platform: Platform, world: World) -> Desk:
    return build_desk(platform, world)


def found(desk: Desk, name: str) -> set[str]:
    body = {"names": [name]}
    return {
        m.get("reference")
        for m in desk.ok("de.officer", "POST", "/api/v1/intel/persons/search", body)
    }


def test_a_correction_is_carried_out_through_the_index_and_alerts(desk: Desk) -> None:
    hit_alert_for_owner(desk)
    fr = desk.fr_case["reference"]
    request_id, volkov = granted_correction(desk)
    url = f"{DSR}/{request_id}"

    nothing = desk.call(OWNER, "POST", f"{url}/carry-out")
    assert nothing.status_code == 422, nothing.text
    stranger = {**CORRECTED, "id": desk.person_id(desk.fr_case["id"], "MARTIN, Claire")}
    other = desk.call(OWNER, "POST", f"{url}/carry-out", {"corrected_persons": [stranger]})
    assert other.status_code == 422, other.text  # not a record the owner named
    assert fr in found(desk, "Dmitri Volkov")

    fixed = {"corrected_persons": [{**CORRECTED, "id": volkov}]}
    done = desk.ok(OWNER, "POST", f"{url}/carry-out", fixed)
    assert done["status"] == "carried_out"
    case = desk.ok(OWNER, "GET", f"/api/v1/cases/{desk.fr_case['id']}")
    persons = {p["id"]: p["label"] for p in case["part_ids"]["persons"]}
    assert persons[volkov] == "SIDOROV, Ivan"
    assert fr not in found(desk, "Dmitri Volkov")
    assert fr in found(desk, "Ivan Sidorov")
    assert not mentions_him(owner_alerts_text(desk))
    timeline = desk.ok(OWNER, "GET", f"/api/v1/cases/{desk.fr_case['id']}/timeline")
    assert timeline[-1]["kind"] == "corrected"


def test_a_deletion_takes_no_corrected_records(desk: Desk) -> None:
    request = desk.request_deletion()
    url = f"{DSR}/{request['id']}"
    volkov = desk.person_id(desk.fr_case["id"], "VOLKOV, Dmitri")
    desk.ok(OWNER, "POST", f"{url}/answer", {"response": "One record.", "person_ids": [volkov]})
    reasons = "The data is no longer needed for the purpose."
    desk.ok(CCF, "POST", f"{url}/decision", {"granted": True, "reasons": reasons})
    fixed = {"corrected_persons": [{**CORRECTED, "id": volkov}]}
    assert desk.call(OWNER, "POST", f"{url}/carry-out", fixed).status_code == 422
    assert desk.ok(OWNER, "GET", url)["status"] == "decided"  # nothing half-done
