"""What the oracle's world adds to the demo and the marked cases, through the API as real users
would, so that every probed route finds objects under several owners and markings: STIX and
MISP imports into marked cases, TAXII posts (statuses), TAXII feed subscriptions, a legal
request with a document, a partner's sector, access grants at both scopes after a hit, and a
person deleted on a data-subject (CCF) order."""

import json
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from casebridge.alerts import service as alerts
from casebridge.alerts.model import BACKOFF
from casebridge.alerts.ports import DeliveryFailed
from casebridge.interop.taxii import model as taxii_model
from tests.cases.payloads import ransomware_case

if TYPE_CHECKING:
    from tests.oracle.world import MarkedCase, OracleWorld

# Marked cases that get imports, by label: several owners, levels and sharing, one not accepted.
IMPORTED = (
    "TLP:AMBER open accepted by fr.investigator",
    "TLP:RED narrow accepted by fr.investigator",
    "TLP:GREEN hit accepted by de.officer",
    "TLP:AMBER+STRICT open accepted by de.officer",
    "TLP:CLEAR narrow accepted by us.investigator",
    "TLP:CLEAR wide draft by fr.investigator",
)
LEGAL_ON = "TLP:GREEN open accepted by fr.investigator"  # FR's central authority reads it
TAXII_POSTERS = ("fr.investigator", "de.officer")
FEED_OWNERS = ("fr.officer", "de.officer")
TASK_OWNERS = ("fr.investigator", "de.officer")
HOOKED = ("fr.investigator", "de.officer")
HOOKS = "https://hooks.example.org"
GONE = "Qzx99gone"  # the family name of the person deleted on the CCF's order
DSR = "/api/v1/data-subject-requests"
CCF = "gs.ccf"
ACCESS_REASON = "Same infrastructure in our ransomware case DE-2026-77; we need the file."


def build(world: "OracleWorld") -> None:
    by_label = {m.label: m for m in world.marked}
    for label in IMPORTED:
        marked = by_label[label]
        owner = label.rsplit(" by ", 1)[1]
        _import_stix(world, owner, marked)
        _import_misp(world, owner, marked)
    for poster in TAXII_POSTERS:
        _taxii_post(world, poster)
    for owner in FEED_OWNERS:
        _ok(world, owner, "POST", "/api/v1/taxii/feeds", _feed(owner))
    _legal_document(world, by_label[LEGAL_ON])
    partner = world.agency_id("partner.exchange")
    _ok(world, "gs.admin", "PUT", f"/api/v1/partners/{partner}/sector", {"sector": "exchange"})
    for owner in TASK_OWNERS:
        marked = by_label[f"TLP:AMBER open accepted by {owner}"]
        task = {"title": "Check logs", "agency_id": world.agency_id(owner), "due_on": "2026-12-31"}
        _ok(world, owner, "POST", f"/api/v1/cases/{marked.id}/tasks", task)
    own = by_label["TLP:AMBER open accepted by fr.investigator"]
    _ok(world, "fr.investigator", "POST", "/api/v1/partners/requests", _partner_request(world, own))
    for user in HOOKED:  # the owner told of requests, the requester of the answer
        hook = _ok(world, user, "POST", "/api/v1/alerts/webhooks", {"url": f"{HOOKS}/{user}"})
        topics = {"topics": ["access_request"], "webhook_id": hook["id"]}
        _ok(world, user, "POST", "/api/v1/alerts/subscriptions", topics)
    _grants(world)
    _dead_letters(world)
    _deletion(world)


def _ok(world: "OracleWorld", user: str, method: str, url: str, body: object = None) -> Any:
    answer = world.call(user, method, url, body)
    assert answer.status_code in {200, 201, 202}, (url, answer.text)
    return answer.json()


def _post_raw(world: "OracleWorld", user: str, url: str, body: object, media: str) -> Any:
    headers = {**world.headers(user), "Content-Type": media, "Accept": media}
    answer = world.client.post(url, content=json.dumps(body).encode(), headers=headers)
    assert answer.status_code in {201, 202}, (url, answer.text)
    return answer.json()


# -- interop ----------------------------------------------------------------------------------


def stix_indicator(value: str, name: str) -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.uuid4()}",
        "created": "2026-10-01T10:00:00.000Z",
        "modified": "2026-10-01T10:00:00.000Z",
        "name": name,
        "pattern": f"[domain-name:value = '{value}']",
        "pattern_type": "stix",
        "indicator_types": ["malicious-activity"],
        "valid_from": "2026-10-01T10:00:00Z",
    }


def stix_bundle(value: str, name: str) -> dict[str, Any]:
    return {
        "type": "bundle",
        "id": f"bundle--{uuid.uuid4()}",
        "objects": [stix_indicator(value, name)],
    }


def misp_event(value: str, info: str) -> dict[str, Any]:
    attribute = {"type": "domain", "category": "Network activity", "value": value}
    return {"Event": {"uuid": str(uuid.uuid4()), "info": info, "Attribute": [attribute]}}


def _import_stix(world: "OracleWorld", owner: str, marked: "MarkedCase") -> None:
    """The case's own marker tokens in the object: the leak scan covers the stored copy."""
    m = marked.markers
    bundle = stix_bundle(m.indicator, f"Oracle STIX {m.title}")
    url = f"/api/v1/import/stix?case_id={marked.id}"
    _post_raw(world, owner, url, bundle, "application/json")


def _import_misp(world: "OracleWorld", owner: str, marked: "MarkedCase") -> None:
    m = marked.markers
    url = f"/api/v1/import/misp?case_id={marked.id}"
    _post_raw(
        world, owner, url, misp_event(m.indicator, f"Oracle MISP {m.title}"), "application/json"
    )


def _taxii_post(world: "OracleWorld", poster: str) -> None:
    """A TAXII POST to the poster's country collection leaves a status only its agency reads."""
    collection = taxii_model.collection_id(
        taxii_model.CollectionKind.SHARED, world.actor(poster).country
    )
    url = f"/taxii2/casebridge/collections/{collection}/objects/"
    envelope = {"objects": [stix_indicator(f"taxii-{poster}.example", "Posted over TAXII")]}
    _post_raw(world, poster, url, envelope, taxii_model.TAXII_MEDIA_TYPE)


def _feed(owner: str) -> dict[str, Any]:
    return {
        "url": f"https://taxii.example.org/{owner}/api1/",
        "collection_id": "91a7b528-80eb-42ed-a74d-c6fbd5a26116",
        "username": "casebridge",
        "password": "secret",
    }


# -- legal ------------------------------------------------------------------------------------

LEGAL_REQUEST = {
    "type": "mla",
    "requested_country": "US",
    "title": "Subscriber data",
    "contents": {"facts": "Ransomware against hospitals."},
    "subject_person": "Dmitri Volkov",
}


def _legal_document(world: "OracleWorld", marked: "MarkedCase") -> None:
    made = _ok(
        world, "fr.authority", "POST", f"/api/v1/cases/{marked.id}/legal-requests", LEGAL_REQUEST
    )
    url = f"/api/v1/legal/requests/{made['request']['id']}/documents"
    files = {"file": ("warrant.txt", b"oracle legal document", "text/plain")}
    answer = world.client.post(
        url, files=files, data={"description": "warrant"}, headers=world.headers("fr.authority")
    )
    assert answer.status_code == 201, answer.text


# -- access after a hit (DOMAIN §4) -----------------------------------------------------------


def _grants(world: "OracleWorld") -> None:
    """de.officer and de.investigator each find an FR TLP:AMBER case by a hit, ask, and the
    owner grants: at country scope (DE's police join) and at agency scope (the agency alone)."""
    asker = {"country": "de.officer", "agency": "de.investigator"}
    for marked in world.marked:
        _, _, scope = marked.label.split(" ")[1].partition("grant-")
        if not scope:
            continue
        owner = marked.label.rsplit(" by ", 1)[1]
        ask = {"value": marked.markers.indicator, "owner_country": "FR", "reason": ACCESS_REASON}
        (request,) = _ok(world, asker[scope], "POST", "/api/v1/intel/access-requests", ask)
        decision = {"grant": True, "reply": "Granted.", "scope": scope}
        url = f"/api/v1/intel/access-requests/{request['id']}/decision"
        _ok(world, owner, "POST", url, decision)
        world.granted[scope] = marked.id


# -- a deletion ordered by the CCF, carried out (DOMAIN §1) -----------------------------------


def _deletion(world: "OracleWorld") -> None:
    person = {"role": "suspect", "family_name": GONE, "given_names": "Erased"}
    body = ransomware_case(
        title="Oracle deletion case", persons=[person], sharing={"tlp": "TLP:GREEN"}
    )
    case = _ok(world, "fr.officer", "POST", "/api/v1/cases", body)
    _ok(world, "fr.officer", "POST", f"/api/v1/cases/{case['id']}/submit")
    decision = {"decision": "accept", "reasons": "Ordinary-law ransomware.", "rule": "DOMAIN §2"}
    _ok(world, "gs.reviewer", "POST", f"/api/v1/review/cases/{case['id']}/decision", decision)
    read = _ok(world, "fr.officer", "GET", f"/api/v1/cases/{case['id']}")
    (person_id,) = [p["id"] for p in read["part_ids"]["persons"] if GONE.upper() in p["label"]]
    ask = {"kind": "deletion", "subject_name": "Erased Person", "case_reference": case["reference"]}
    request = _ok(world, CCF, "POST", DSR, ask)
    url = f"{DSR}/{request['id']}"
    answer = {"response": "We hold one suspect record.", "person_ids": [person_id]}
    _ok(world, "fr.officer", "POST", f"{url}/answer", answer)
    reasons = "The data is no longer needed for the purpose."
    _ok(world, CCF, "POST", f"{url}/decision", {"granted": True, "reasons": reasons})
    _ok(world, "fr.officer", "POST", f"{url}/carry-out")
    world.deleted.append(GONE)
    # A second request left open, so the request routes have one in each state.
    _ok(world, CCF, "POST", DSR, {**ask, "kind": "access"})


def _partner_request(world: "OracleWorld", case: "MarkedCase") -> dict[str, Any]:
    return {
        "kind": "preservation",
        "partner_agency": world.agency_id("partner.exchange"),
        "subject": [{"type": "btc_wallet", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}],
        "legal_basis": "Budapest Convention Art. 16",
        "justification": "Funds of the ransom went through this wallet.",
        "due_on": "2026-12-31",
        "case_reference": case.reference,
    }


# -- webhook deliveries that failed every attempt ----------------------------------------------


class _Unreachable:
    """The webhook receivers are down: every attempt fails (an outside system, not ours)."""

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> None:  # noqa: ARG002
        raise DeliveryFailed("HTTP 503")

    def send_mail(self, message: EmailMessage) -> None:  # noqa: ARG002
        raise DeliveryFailed("SMTP down")


def _dead_letters(world: "OracleWorld") -> None:
    """The worker's rounds over the backoff schedule (alerts.model.BACKOFF), on a clock moved
    forward, until the access-request alerts' deliveries are dead letters."""
    platform = world.platform
    at = platform.clock()
    for wait in (timedelta(0), *BACKOFF):
        at += wait
        clock = _fixed_clock(at)
        alerts.deliver_due(platform.uow_at(clock), _Unreachable(), platform.credentials)
    dead = rows_of(world, "SELECT count(*) FROM alert_deliveries WHERE status = 'dead'")
    assert dead >= len(HOOKED), dead


def _fixed_clock(at: datetime) -> Callable[[], datetime]:
    return lambda: at


def rows_of(world: "OracleWorld", sql: str) -> int:
    with world.platform.engine.connect() as connection:
        return int(connection.execute(sa.text(sql)).scalar_one())
