"""The route table: every route of the app (API, pages, the TAXII sub-app) maps to a probe, or
to the reason it needs none. `test_every_route_is_in_the_table` fails on a route no one added.

A probe says how to fill the route's path from the world's objects (its `source`), what to send,
and what the oracle expects; `tests/oracle/test_oracle.py` runs them."""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, Mount

from casebridge.analytics import trends_service as analytics
from casebridge.interop.misp import mapping as misp_mapping
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.policy import Access, decide
from casebridge.partners import model as partners_model
from tests.cases.payloads import ransomware_case
from tests.oracle import extras
from tests.oracle.expect import MISSING, Oracle, Target, rows

Source = Callable[[Oracle], list[Target]]
API_ROOT = "casebridge"


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route, the mounted TAXII app's included; HEAD is GET's twin."""
    return set(_walk(app.routes, ""))


def _walk(routes: list[BaseRoute], prefix: str) -> Iterator[tuple[str, str]]:
    for route in iter_route_contexts(routes):
        original = route.original_route
        if isinstance(original, Mount):
            inner = getattr(original.app, "routes", None)
            if inner is None:
                yield "MOUNT", prefix + original.path
            else:
                yield from _walk(inner, prefix + original.path)
            continue
        for method in sorted(set(route.methods or {"WEBSOCKET"}) - {"HEAD"}):
            yield method, prefix + str(route.path)


# -- sources: the objects a route's path is filled with ---------------------------------------


def cases(oracle: Oracle) -> list[Target]:
    """Every case, by id in the path or query, or by reference, value and owner in a body."""

    def rule(case_id: uuid.UUID) -> Callable[[Actor], Access]:
        return lambda actor: oracle.case_access(actor, case_id)

    values = {m.id: m.markers.indicator for m in oracle.world.marked}
    return [
        Target(
            {
                "case_id": str(i),
                "case": str(i),
                "case_reference": c.reference,
                "case_value": values.get(i, "unmarked.example"),
                "case_country": c.owner_country,
            },
            f"case {c.reference}",
            rule(i),
        )
        for i, (c, _) in oracle.cases.items()
    ]


def misp_feed_events(oracle: Oracle) -> list[Target]:
    """A case's event in the MISP feed is named by a uuid derived from the case: the case's
    access decides (what the feed's manifest lists)."""
    return [
        Target({"event_uuid": misp_mapping.event_uuid(i)}, f"MISP event of {c.reference}", rule)
        for i, (c, _) in oracle.cases.items()
        for rule in [_case_rule(oracle, i)]
    ]


def _case_rule(oracle: Oracle, case_id: uuid.UUID) -> Callable[[Actor], Access]:
    return lambda actor: oracle.case_access(actor, case_id)


def with_cases(source: Source) -> Source:
    """A record in the path and a case in the body (an operation's linked cases, a report
    accepted into a case): the record is checked first, so its answer stands unless it is
    FULL; then the case's decides (a write needs full access to both)."""

    def combined(oracle: Oracle) -> list[Target]:
        every_case = cases(oracle)
        return [
            Target(
                {**case.fill, **record.fill},
                f"{record.label} with {case.label}",
                _narrower(record.access, case.access),
            )
            for record in source(oracle)
            for case in every_case
        ]

    return combined


def _narrower(
    first: Callable[[Actor], Access] | None, second: Callable[[Actor], Access] | None
) -> Callable[[Actor], Access]:
    def access(actor: Actor) -> Access:
        answer = first(actor) if first else Access.FULL
        if answer is not Access.FULL or second is None:
            return answer
        return second(actor)

    return access


def threat_reports(oracle: Oracle) -> list[Target]:
    """A partner's report: its own agency and its reviewers, no one else, not even a hit
    (partners/model.py `access`, `reviews`)."""
    return _reports(oracle, Access.FULL)


def reviewed_reports(oracle: Oracle) -> list[Target]:
    """A report decided on: its reviewers alone; its own agency knows it and is refused (403,
    partners/service.py `_reviewable`), anyone else gets 404."""
    return _reports(oracle, Access.HIT_ONLY)


def _reports(oracle: Oracle, own: Access) -> list[Target]:
    def rule(agency: uuid.UUID, country: str) -> Callable[[Actor], Access]:
        def access(actor: Actor) -> Access:
            if partners_model.reviews(actor, country):
                return Access.FULL
            return own if actor.agency_id == agency else Access.NONE

        return access

    sql = "SELECT id, partner_agency, partner_country FROM threat_reports"
    return [
        Target({"report_id": str(i)}, f"threat report {i}", rule(uuid.UUID(str(a)), str(c)))
        for i, a, c in rows(oracle.world, sql)
    ]


def by_agency(sql: str, param: str) -> Source:
    """Records their agency alone reaches (a TAXII status, imported STIX objects, a TAXII
    feed subscription): everyone else gets 404, as for an unknown id."""

    def source(oracle: Oracle) -> list[Target]:
        found: dict[str, Target] = {}
        for value, agency in rows(oracle.world, sql):
            mine = uuid.UUID(str(agency))
            found.setdefault(
                str(value),
                Target(
                    {param: str(value)},
                    f"{param} {value}",
                    lambda actor, mine=mine: (
                        Access.FULL if actor.agency_id == mine else Access.NONE
                    ),
                ),
            )
        return list(found.values())

    return source


def dead_letters(oracle: Oracle) -> list[Target]:
    """A delivery: its alert's recipient, or an admin of the recipient's agency
    (alerts/service.py retry_now); anyone else gets 404."""
    sql = (
        "SELECT d.id, u.id, u.agency_id FROM alert_deliveries d"
        " JOIN alerts a ON a.id = d.alert_id JOIN users u ON u.id = a.recipient_id"
    )

    def rule(user: uuid.UUID, agency: uuid.UUID) -> Callable[[Actor], Access]:
        def access(actor: Actor) -> Access:
            admin = actor.has(Role.ADMIN) and actor.agency_id == agency
            return Access.FULL if actor.user_id == user or admin else Access.NONE

        return access

    return [
        Target(
            {"delivery_id": str(d)},
            f"delivery {d}",
            rule(uuid.UUID(str(u)), uuid.UUID(str(a))),
        )
        for d, u, a in rows(oracle.world, sql)
    ]


def subject_requests(oracle: Oracle) -> list[Target]:
    """The CCF reads every data-subject request; the owner country's users (no partner, not
    the central unit) those about its data; anyone else gets 404 (dataprotection/service.py)."""

    def rule(country: str) -> Callable[[Actor], Access]:
        def access(actor: Actor) -> Access:
            ccf = actor.is_central_unit and actor.has(Role.CCF_OFFICER)
            owner = not (actor.is_partner or actor.is_central_unit) and actor.country == country
            return Access.FULL if ccf or owner else Access.NONE

        return access

    sql = "SELECT id, owner_country FROM subject_requests"
    return [
        Target({"request_id": str(i)}, f"subject request {i}", rule(str(c)))
        for i, c in rows(oracle.world, sql)
    ]


def by_case(table: str, param: str) -> Source:
    """Records attached to a case: the case's access decides (evidence, tasks)."""

    def source(oracle: Oracle) -> list[Target]:
        found = []
        for record_id, case_id in rows(oracle.world, f"SELECT id, case_id FROM {table}"):  # noqa: S608
            key = uuid.UUID(str(case_id))
            found.append(
                Target(
                    {param: str(record_id)},
                    f"{table} {record_id}",
                    lambda actor, key=key: oracle.case_access(actor, key),
                )
            )
        return found

    return source


def by_marking(table: str, param: str, column: str = "id", sql: str = "") -> Source:
    """Records with their own marking: `decide` says who may see them in full. `sql`, when
    given, selects (value, marking id) of records that take another record's marking."""

    def source(oracle: Oracle) -> list[Target]:
        found = []
        sql_ = sql or f"SELECT {column}, marking_id FROM {table}"  # noqa: S608
        listed = rows(oracle.world, sql_)  # before the unit of work: it holds SQLite's write lock
        uow = oracle.world.platform.uow()
        with uow:
            for value, marking_id in listed:
                marking = uow.markings.get(uuid.UUID(str(marking_id)))
                assert marking is not None
                found.append(
                    Target(
                        {param: str(value)},
                        f"{table} {value}",
                        lambda actor, m=marking: decide(actor, m)[0],
                    )
                )
        return found

    return source


def by_owner(table: str, param: str, column: str) -> Source:
    """Personal records (alerts, subscriptions, webhooks, tokens): their user's alone."""

    def source(oracle: Oracle) -> list[Target]:
        found = []
        for value, owner in rows(oracle.world, f"SELECT id, {column} FROM {table}"):  # noqa: S608
            mine = uuid.UUID(str(owner))  # SQLite keeps ids as bare hex
            found.append(
                Target(
                    {param: str(value)},
                    f"{table} {value}",
                    lambda actor, mine=mine: Access.FULL if actor.user_id == mine else Access.NONE,
                )
            )
        return found

    return source


def plain(sql: str, param: str) -> Source:
    """Objects with no marking (reference data, identity): no 5xx, no marker."""

    def source(oracle: Oracle) -> list[Target]:
        return [Target({param: str(r[0])}, f"{param} {r[0]}") for r in rows(oracle.world, sql)]

    return source


def constant(param: str, *values: str) -> Source:
    return lambda _oracle: [Target({param: v}, f"{param} {v}") for v in values]


def campaigns(oracle: Oracle) -> list[Target]:
    found: set[str] = set()
    for user in ("gs.reviewer", "fr.officer", "de.officer"):
        answer = oracle.world.call(user, "GET", "/api/v1/analytics/campaigns")
        if answer.status_code == 200:
            found |= {str(c["id"]) for c in _items(answer.json())}
    return [Target({"campaign_id": c}, f"campaign {c}") for c in sorted(found)]


def csv_tables(oracle: Oracle) -> list[Target]:
    actor = oracle.world.actor("gs.reviewer")
    names = analytics.dashboard(oracle.world.platform.uow(), actor).tables
    return [Target({"table": t}, f"table {t}") for t in sorted(names)]


def collections(oracle: Oracle) -> list[Target]:
    found: set[str] = set()
    for user in ("gs.reviewer", "fr.officer", "de.officer", "partner.exchange"):
        answer = oracle.world.client.get(
            f"/taxii2/{API_ROOT}/collections/", headers=taxii_headers(oracle, user)
        )
        assert answer.status_code == 200, answer.text
        found |= {c["id"] for c in answer.json().get("collections", [])}
    return [Target({"collection_id": c}, f"collection {c}") for c in sorted(found)]


def taxii_objects(oracle: Oracle) -> list[Target]:
    """Objects of the collections, read: no rule beyond the marker scan."""
    return [Target(t.fill, t.label) for t in taxii_deletable(oracle)]


def _nobody(_actor: Actor) -> Access:
    """An object no agency imported (a case's, exported): no one deletes it."""
    return Access.NONE


def taxii_deletable(oracle: Oracle) -> list[Target]:
    """The same objects, deleted: the agency that imported one alone deletes it (TAXII 2.1
    section 5.7, interop/taxii/service.py `delete_object`); anyone else gets 404."""
    importers = {t.fill["stix_id"]: t.access for t in STIX_OBJECT(oracle)}
    targets = []
    for collection in collections(oracle):
        cid = collection.fill["collection_id"]
        answer = oracle.world.client.get(
            f"/taxii2/{API_ROOT}/collections/{cid}/objects/",
            headers=taxii_headers(oracle, "gs.reviewer"),
        )
        objects = answer.json().get("objects", []) if answer.status_code == 200 else []
        targets += [
            Target(
                {"collection_id": cid, "object_id": o["id"]},
                f"object {o['id']}",
                importers.get(o["id"], _nobody),
            )
            for o in objects[:5]
        ]
    return targets


def _items(body: Any) -> list[dict[str, Any]]:
    return body if isinstance(body, list) else body.get("items", body.get("campaigns", []))


def taxii_headers(oracle: Oracle, user: str) -> dict[str, str]:
    return {**oracle.world.headers(user), "Accept": "application/taxii+json;version=2.1"}


# -- the probes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """How to probe one route. `source` None: the route takes no object (a list, a search, a
    feed); `skip` names why a route needs no probe at all."""

    source: Source | None = None
    query: str = ""
    body: Any = None
    form: bool = False  # a page form: session cookie and CSRF token
    case_read: bool = False  # the case itself: FULL shows the title, HIT_ONLY a stub
    case_list: bool = False  # a page of cases: exactly those seen in full, and their count
    fixed: dict[str, str] = field(default_factory=dict)  # other path parameters
    skip: str = ""
    # A write is probed by those the oracle gives one of these answers; the rest may make it.
    refused: frozenset[Access | None] = frozenset({Access.NONE, Access.HIT_ONLY})


def skip(reason: str) -> Probe:
    return Probe(skip=reason)


NONE_ONLY: frozenset[Access | None] = frozenset({Access.NONE})
CASE = Probe(cases)
DECISION = {"decision": "accept", "reasons": "oracle probe", "rule": "DOMAIN §2"}
OUTCOME = {"summary": "oracle probe", "arrests": 1}
EDIT = {k: v for k, v in ransomware_case().items() if k != "sharing"}
SHARING = {"tlp": "TLP:CLEAR"}
EVIDENCE = by_case("evidence_items", "evidence_id")
TASK = by_case("case_tasks", "task_id")
NOTICE = by_marking("notices", "notice_id")
DIFFUSION = by_marking("diffusions", "diffusion_id")
OPERATION = by_marking("operations", "operation_id")
LEGAL = by_marking("legal_requests", "request_id")
URGENT = by_marking("legal_urgent_messages", "message_id")
REPORT = threat_reports
# The owner agency alone decides on a request for access to its data (intel/service.py).
ACCESS_REQUEST = by_agency("SELECT id, owner_agency FROM intel_access_requests", "request_id")
PARTNER_REQUEST = by_marking("partner_requests", "partner_request_id")
ARTICLE = by_marking("capacity_articles", "article_id")
ALERT = by_owner("alerts", "alert_id", "recipient_id")
SUBSCRIPTION = by_owner("alert_subscriptions", "subscription_id", "user_id")
WEBHOOK = by_owner("alert_webhooks", "webhook_id", "user_id")
TOKEN = by_owner("api_tokens", "token_id", "user_id")
SUBJECT_REQUEST = subject_requests
LEGAL_DOCUMENT = by_marking(
    "legal_request_documents",
    "document_id",
    sql="SELECT d.id, r.marking_id FROM legal_request_documents d"
    " JOIN legal_requests r ON r.id = d.legal_request_id",
)
STIX_OBJECT = by_agency("SELECT stix_id, agency_id FROM interop_stix_objects", "stix_id")
TAXII_STATUS = by_agency("SELECT id, agency_id FROM taxii_statuses", "status_id")
TAXII_FEED = by_agency("SELECT id, agency_id FROM taxii_feeds", "feed_id")
# Valid bodies: a write refused to one without access must be refused for that reason, not
# for a malformed body (422 before any access check proves nothing).
PURPLE = {"kind": "purple", "title": "Phishing into hospitals", "modus_operandi": "Phishing."}
LEGAL_REQUEST = {
    "type": "mla",
    "requested_country": "US",
    "title": "Subscriber data",
    "contents": {"facts": "Ransomware against hospitals."},
    "subject_person": "Dmitri Volkov",
}
LEGAL_FORM = {"title": "Subscriber data", "facts": "Ransomware against hospitals."}
LEGAL_EDIT = {k: v for k, v in LEGAL_REQUEST.items() if k not in {"type", "requested_country"}}
TASK_BODY = {"title": "oracle probe", "agency_id": "{fr_ncb}", "due_on": "2026-12-31"}
SUBSCRIPTION_BODY = {"topics": ["notice"], "notice_kinds": ["red"]}
FEED_BODY = {
    "url": "https://taxii.example.org/probe/api1/",
    "collection_id": "91a7b528-80eb-42ed-a74d-c6fbd5a26116",
    "username": "casebridge",
    "password": "secret",
    "case": "{case_reference}",
}
SUBJECT_STEPS: dict[str, Any] = {
    "answer": {"response": "We hold data on this person.", "person_ids": []},
    "decision": {"granted": True, "reasons": "Lawful request."},
    "carry-out": None,
}
SUBJECT_FORMS: dict[str, Any] = {
    "answer": {"response": "We hold data on this person."},
    "decision": {"granted": "true", "reasons": "Lawful request."},
    "carry-out": None,
}
OPERATION_BODIES: dict[str, Any] = {
    "participants": {"countries": ["FR"]},
    "cases": {"case_id": "{case}"},
    "phase": {"to": "closed"},
    "deconflict": {"kind": "wallet", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
    "targets": {"kind": "infrastructure", "label": "C2", "value": "c2.example", "country": "NL"},
    "tasks": {"country": "NL", "title": "Seize", "owner": "nl.officer", "due_on": "2026-12-31"},
    "action-days": {
        "title": "Action day",
        "starts_at": "2027-01-10T06:00:00+01:00",
        "ends_at": "2027-01-10T18:00:00+01:00",
        "countries": ["NL"],
    },
    "results": {"kind": "crypto_seized", "count": 1, "amount": 1000, "unit": "EUR", "note": "x"},
    "messages": {"body": "Briefing at 6."},
}
LEGAL_CHECK = {
    "requesting": "FR",
    "requested": "US",
    "conduct": ["illegal_access"],
    "request_type": "mla",
    "nationality": "RU",
    "on": "2026-10-01",
}
SEARCH = "qz"  # every marker starts so: a substring search for it reaches every marked case
OP_ACTIONS = ("deconflict", "target", "task", "result", "phase", "participants", "message")

PUBLIC = "public: no login, no case data (the public notice extracts only)"
NO_DATA = "serves no case data"

TABLE: dict[tuple[str, str], Probe] = {
    # -- no probe needed ------------------------------------------------------------------
    ("GET", "/api/v1/openapi.json"): skip("the API's schema: " + NO_DATA),
    ("GET", "/api/v1/docs"): skip("Swagger UI shell: " + NO_DATA),
    ("GET", "/docs/oauth2-redirect"): skip("Swagger UI helper: " + NO_DATA),
    ("GET", "/healthz"): skip("health: " + NO_DATA),
    ("GET", "/metrics"): skip("Prometheus counters by route template: " + NO_DATA),
    ("POST", "/api/v1/auth/token"): skip("login with a password: " + NO_DATA),
    ("GET", "/login"): skip("login form: " + NO_DATA),
    ("POST", "/login"): skip("login form: " + NO_DATA),
    ("GET", "/login/mfa"): skip("second-factor form: " + NO_DATA),
    ("POST", "/login/mfa"): skip("second-factor form: " + NO_DATA),
    ("POST", "/logout"): skip("ends the caller's own session: " + NO_DATA),
    ("MOUNT", "/static"): skip("vendored CSS/JS: " + NO_DATA),
    ("GET", "/cases/new"): skip("empty case form: " + NO_DATA),
    ("GET", "/cases/new/person-row"): skip("empty form row: " + NO_DATA),
    ("GET", "/cases/new/indicator-row"): skip("empty form row: " + NO_DATA),
    ("GET", "/legal/new"): skip("empty legal-request form: " + NO_DATA),
    ("GET", "/notices/new"): skip("empty notice form: " + NO_DATA),
    ("GET", "/capacity/articles/new"): skip("empty article form: " + NO_DATA),
    ("GET", "/api/v1/countries"): skip("reference data: " + NO_DATA),
    # Creations: the caller makes a new record of its own; no existing object is reached
    # through the path (the feature tests check who may create).
    ("POST", "/api/v1/auth/tokens"): skip("creates the caller's own token"),
    ("POST", "/api/v1/agencies"): skip("creates an agency (identity tests: admins only)"),
    ("POST", "/api/v1/users"): skip("creates a user (identity tests: admins only)"),
    ("POST", "/api/v1/cases"): skip("creates the caller's own draft"),
    ("POST", "/cases/new"): skip("creates the caller's own draft"),
    # The CCF registers a request about any case by its reference, without reading it; every
    # other user is refused by role before the case is looked up (dataprotection tests).
    ("POST", "/api/v1/data-subject-requests"): skip("CCF intake: role-gated, reads no case"),
    ("PUT", "/api/v1/intel/hit-notices"): skip("the caller's own hit-notice setting"),
    ("POST", "/intel/hit-notices"): skip("the caller's own hit-notice setting"),
    ("POST", "/api/v1/legal/urgent"): Probe(
        cases,
        body={"to_country": "US", "subject": "Preserve", "body": "Preserve.", "case_id": "{case}"},
    ),
    ("POST", "/legal/urgent"): skip("sends a new urgent message of the caller's"),
    ("POST", "/legal/new"): Probe(
        cases,
        body={"case": "{case}", "type": "mla", "requested_country": "US", **LEGAL_FORM},
        form=True,
    ),
    ("POST", "/api/v1/alerts/subscriptions"): skip("creates the caller's own subscription"),
    ("POST", "/alerts/subscriptions"): skip("creates the caller's own subscription"),
    ("POST", "/api/v1/alerts/webhooks"): skip("creates the caller's own webhook"),
    ("POST", "/alerts/webhooks"): skip("creates the caller's own webhook"),
    ("POST", "/api/v1/alerts/inbox/read"): skip("marks the caller's own alerts read"),
    ("POST", "/alerts/read"): skip("marks the caller's own alerts read"),
    ("POST", "/api/v1/notices"): Probe(cases, body={"contents": PURPLE, "case_id": "{case}"}),
    ("POST", "/notices/new"): skip("requests a new notice of the caller's"),
    ("POST", "/api/v1/diffusions"): skip("a new diffusion of the caller's: it names no case"),
    ("POST", "/api/v1/capacity/articles"): skip("creates a library article"),
    ("POST", "/capacity/articles/new"): skip("creates a library article"),
    ("POST", "/api/v1/capacity/courses"): skip("creates a course (no case data)"),
    ("POST", "/api/v1/capacity/sessions"): skip("creates a session (no case data)"),
    ("POST", "/api/v1/partners/reports"): skip("a partner's new threat report"),
    ("POST", "/partners/reports"): skip("a partner's new threat report"),
    # Its case_reference is free text, never resolved to a case (partners/requests.py): no
    # case is reached, so none is revealed; probing it with every case showed exactly that.
    ("POST", "/api/v1/partners/requests"): skip("a new request to a partner: names no case"),
    ("POST", "/partners/requests"): skip("a new request to a partner"),
    ("POST", "/api/v1/operations"): skip("creates an operation (coordinators)"),
    ("POST", "/operations"): skip("creates an operation (coordinators)"),
    ("POST", "/api/v1/taxii/feeds"): Probe(cases, body=FEED_BODY),
    ("POST", "/api/v1/import/misp"): Probe(cases, query="case_id={case}", body="misp-import"),
    ("POST", "/api/v1/import/stix"): Probe(cases, query="case_id={case}", body="stix-import"),
    # Asking is the hit-only reader's right (DOMAIN §4): those who find nothing are probed.
    ("POST", "/api/v1/intel/access-requests"): Probe(
        cases,
        body={
            "value": "{case_value}",
            "owner_country": "{case_country}",
            "reason": extras.ACCESS_REASON,
        },
        refused=NONE_ONLY,
    ),
    ("POST", "/intel/access-requests"): Probe(
        cases,
        body={
            "value": "{case_value}",
            "owner_country": "{case_country}",
            "reason": extras.ACCESS_REASON,
        },
        form=True,
        refused=NONE_ONLY,
    ),
    ("POST", "/taxii2/{api_root}/collections/{collection_id}/objects/"): skip(
        "adds the caller's own objects (TAXII server tests)"
    ),
    ("PUT", "/api/v1/legal/treaties/{code}"): skip("reference data (admins): " + NO_DATA),
    ("PUT", "/api/v1/legal/profiles/{country}"): skip("reference data (admins): " + NO_DATA),
    ("PUT", "/api/v1/notices/pre-check/{country}"): skip("a country's regime (central unit)"),
    ("PUT", "/api/v1/partners/{agency_id}/sector"): skip("a partner's sector (central unit)"),
    ("PATCH", "/api/v1/users/{user_id}"): skip("identity admin (identity tests)"),
    ("POST", "/api/v1/users/{user_id}/reset-mfa"): skip("identity admin (identity tests)"),
    ("POST", "/admin/agencies"): skip("identity admin (identity tests)"),
    ("POST", "/admin/users"): skip("identity admin (identity tests)"),
    ("POST", "/admin/users/{user_id}/active"): skip("identity admin (identity tests)"),
    ("GET", "/alerts/stream"): skip("the page twin of /api/v1/alerts/stream (same generator)"),
    # -- lists, counts, feeds, exports, dashboards: the marker scan --------------------------
    ("GET", "/api/v1/auth/tokens"): Probe(),
    ("GET", "/api/v1/me"): Probe(),
    ("GET", "/api/v1/agencies"): Probe(),
    ("GET", "/api/v1/users"): Probe(),
    ("GET", "/api/v1/cases"): Probe(query="limit=500", case_list=True),
    ("GET", "/api/v1/review/queue"): Probe(),
    ("GET", "/api/v1/data-subject-requests"): Probe(),
    ("GET", "/api/v1/intel/hit-notices"): Probe(),
    ("GET", "/api/v1/intel/access-requests"): Probe(),
    ("GET", "/api/v1/intel/networks"): Probe(),
    ("GET", "/api/v1/legal/treaties"): Probe(),
    ("GET", "/api/v1/legal/profiles"): Probe(),
    ("GET", "/api/v1/legal/contacts"): Probe(),
    ("GET", "/api/v1/legal/urgent"): Probe(),
    ("GET", "/api/v1/legal/requests"): Probe(),
    ("GET", "/api/v1/legal/requests/overdue"): Probe(),
    ("GET", "/api/v1/legal/delays"): Probe(),
    ("GET", "/api/v1/alerts/subscriptions"): Probe(),
    ("GET", "/api/v1/alerts/webhooks"): Probe(),
    ("GET", "/api/v1/alerts/inbox"): Probe(query="limit=100"),
    ("GET", "/api/v1/alerts/dead-letters"): Probe(),
    ("GET", "/api/v1/notices"): Probe(),
    ("GET", "/api/v1/notices/search"): Probe(query=f"name={SEARCH}"),
    ("GET", "/api/v1/notices/review-queue"): Probe(),
    ("GET", "/api/v1/notices/pre-check"): Probe(),
    ("GET", "/api/v1/diffusions"): Probe(),
    ("GET", "/api/public/notices"): Probe(),
    ("GET", "/api/v1/capacity/articles"): Probe(),
    ("GET", "/api/v1/capacity/techniques"): Probe(),
    ("GET", "/api/v1/capacity/courses"): Probe(),
    ("GET", "/api/v1/capacity/sessions"): Probe(),
    ("GET", "/api/v1/capacity/statistics"): Probe(),
    ("GET", "/api/v1/capacity/statistics.csv"): Probe(),
    ("GET", "/api/v1/partners/reports"): Probe(),
    ("GET", "/api/v1/partners/review-queue"): Probe(),
    ("GET", "/api/v1/partners/requests"): Probe(),
    ("GET", "/api/v1/analytics/dashboard"): Probe(),
    ("GET", "/api/v1/analytics/emerging"): Probe(),
    ("GET", "/api/v1/analytics/campaigns"): Probe(),
    ("GET", "/analytics"): Probe(),
    ("GET", "/analytics/campaigns"): Probe(),
    ("GET", "/api/v1/review/triage"): Probe(),
    ("GET", "/review/triage"): Probe(),
    ("GET", "/api/v1/taxii/feeds"): Probe(),
    ("GET", "/api/v1/misp/feed/manifest.json"): Probe(),
    ("GET", "/api/v1/misp/feed/hashes.csv"): Probe(),
    ("GET", "/api/v1/export/stix"): Probe(query=f"text={SEARCH}"),
    ("GET", "/api/v1/operations"): Probe(),
    ("GET", "/admin/agencies"): Probe(),
    ("GET", "/admin/users"): Probe(),
    ("GET", "/cases"): Probe(query=f"q={SEARCH}"),
    ("GET", "/cases/panel"): Probe(),
    ("GET", "/review"): Probe(),
    ("GET", "/intel"): Probe(),
    ("GET", "/intel/requests"): Probe(),
    ("GET", "/intel/networks"): Probe(),
    ("GET", "/legal"): Probe(),
    ("GET", "/legal/check"): Probe(),
    ("GET", "/legal/contacts"): Probe(),
    ("GET", "/legal/delays"): Probe(),
    ("GET", "/notices"): Probe(),
    ("GET", "/notices/review"): Probe(),
    ("GET", "/notices/public"): Probe(),
    ("GET", "/capacity"): Probe(),
    ("GET", "/capacity/statistics.csv"): Probe(),
    ("GET", "/capacity/training"): Probe(),
    ("GET", "/operations"): Probe(),
    ("GET", "/alerts"): Probe(),
    ("GET", "/alerts/subscriptions"): Probe(),
    ("GET", "/partners/reports"): Probe(),
    ("GET", "/partners/review"): Probe(),
    ("GET", "/partners/requests"): Probe(),
    ("GET", "/"): Probe(),
    ("GET", "/taxii2/"): Probe(),
    ("GET", "/taxii2/{api_root}/"): Probe(fixed={"api_root": API_ROOT}),
    ("GET", "/taxii2/{api_root}/collections/"): Probe(fixed={"api_root": API_ROOT}),
    # -- searches sent as POST: the marker scan, less what the caller sent -------------------
    ("POST", "/api/v1/intel/lookup"): Probe(body="lookup"),
    ("POST", "/api/v1/intel/persons/search"): Probe(body="persons"),
    ("POST", "/intel/lookup"): Probe(body="lookup", form=True),
    ("GET", "/intel/lookup"): Probe(body="lookup-query"),
    ("GET", "/intel/persons"): Probe(body="persons-query"),
    ("POST", "/intel/persons"): Probe(body="persons", form=True),
    ("POST", "/api/v1/legal/check"): Probe(body=LEGAL_CHECK),
    ("POST", "/legal/check"): Probe(body=LEGAL_CHECK, form=True),
    # -- the live stream ------------------------------------------------------------------
    ("GET", "/api/v1/alerts/stream"): Probe(body="stream"),
    # -- one case: the oracle's level, and the marker scan --------------------------------
    ("GET", "/api/v1/cases/{case_id}"): Probe(cases, case_read=True),
    ("GET", "/cases/{case_id}"): Probe(cases, case_read=True),
    ("GET", "/api/v1/cases/{case_id}/timeline"): CASE,
    ("GET", "/api/v1/cases/{case_id}/evidence"): CASE,
    ("GET", "/api/v1/cases/{case_id}/messages"): CASE,
    ("GET", "/api/v1/cases/{case_id}/tasks"): CASE,
    ("GET", "/api/v1/cases/{case_id}/correlations"): CASE,
    ("GET", "/api/v1/cases/{case_id}/person-matches"): CASE,
    ("GET", "/api/v1/intel/graph"): Probe(cases, query="case={case}"),
    ("GET", "/intel/graph"): Probe(cases, query="case={case}"),
    ("GET", "/intel/graph/data"): Probe(cases, query="case={case}"),
    ("GET", "/intel/graph.graphml"): Probe(cases, query="case={case}"),
    ("GET", "/intel/cases/{case_id}"): CASE,
    ("GET", "/api/v1/cases/{case_id}/related"): CASE,
    ("GET", "/api/v1/cases/{case_id}/techniques"): CASE,
    ("GET", "/api/v1/cases/{case_id}/category"): CASE,
    ("GET", "/cases/{case_id}/analytics"): CASE,
    ("GET", "/api/v1/cases/{case_id}/export/misp"): CASE,
    ("GET", "/api/v1/cases/{case_id}/export/stix"): CASE,
    ("GET", "/cases/{case_id}/export/stix"): CASE,
    ("GET", "/cases/{case_id}/export/misp"): CASE,
    # -- writes to one case, by those without full access: refused, nothing written ----------
    ("PUT", "/api/v1/cases/{case_id}"): Probe(cases, body=EDIT),
    ("POST", "/api/v1/cases/{case_id}/submit"): CASE,
    ("POST", "/api/v1/cases/{case_id}/participants"): Probe(cases, body={"country": "NL"}),
    ("PUT", "/api/v1/cases/{case_id}/sharing"): Probe(cases, body=SHARING),
    ("PUT", "/api/v1/cases/{case_id}/retention"): Probe(
        cases, body={"until": "2028-01-01", "reasons": "Trial pending."}
    ),
    ("POST", "/api/v1/cases/{case_id}/close"): Probe(cases, body=OUTCOME),
    ("POST", "/api/v1/review/cases/{case_id}/decision"): Probe(cases, body=DECISION),
    ("POST", "/api/v1/cases/{case_id}/evidence"): Probe(cases, body="evidence"),
    ("POST", "/api/v1/cases/{case_id}/messages"): Probe(cases, body={"body": "oracle probe"}),
    ("POST", "/api/v1/cases/{case_id}/tasks"): Probe(cases, body=TASK_BODY),
    ("POST", "/api/v1/cases/{case_id}/notes"): Probe(cases, body={"text": "oracle probe"}),
    ("POST", "/api/v1/cases/{case_id}/legal-requests"): Probe(cases, body=LEGAL_REQUEST),
    ("POST", "/api/v1/cases/{case_id}/techniques/{technique_id}/feedback"): Probe(
        cases, body={"verdict": "confirmed"}, fixed={"technique_id": "T1486"}
    ),
    ("POST", "/cases/{case_id}/analytics/techniques/{technique_id}"): Probe(
        cases, body={"verdict": "confirmed"}, form=True, fixed={"technique_id": "T1486"}
    ),
    ("POST", "/cases/{case_id}/submit"): Probe(cases, form=True),
    ("POST", "/cases/{case_id}/decision"): Probe(cases, body=DECISION, form=True),
    ("POST", "/cases/{case_id}/invite"): Probe(cases, body={"country": "NL"}, form=True),
    ("POST", "/cases/{case_id}/close"): Probe(cases, body=OUTCOME, form=True),
    ("POST", "/cases/{case_id}/evidence"): Probe(cases, body="evidence", form=True),
    ("POST", "/cases/{case_id}/messages"): Probe(cases, body={"body": "probe"}, form=True),
    ("POST", "/cases/{case_id}/tasks"): Probe(cases, body={"title": "probe"}, form=True),
    ("POST", "/cases/{case_id}/import/stix"): Probe(cases, body="stix", form=True),
    ("POST", "/cases/{case_id}/import/misp"): Probe(cases, body="misp", form=True),
    # -- records attached to a case: the case's access ------------------------------------
    ("GET", "/api/v1/evidence/{evidence_id}"): Probe(EVIDENCE, query="purpose=oracle"),
    ("GET", "/api/v1/evidence/{evidence_id}/content"): Probe(EVIDENCE, query="purpose=oracle"),
    ("POST", "/api/v1/evidence/{evidence_id}/transfer"): Probe(
        EVIDENCE, body={"country": "DE", "purpose": "oracle probe"}
    ),
    ("GET", "/evidence/{evidence_id}/download"): Probe(EVIDENCE, query="purpose=oracle"),
    ("GET", "/evidence/{evidence_id}/custody"): Probe(EVIDENCE),
    ("POST", "/api/v1/tasks/{task_id}/done"): Probe(TASK),
    ("POST", "/tasks/{task_id}/done"): Probe(TASK, form=True),
    # -- records with their own marking: `decide` -----------------------------------------
    ("GET", "/api/v1/notices/{notice_id}"): Probe(NOTICE),
    ("PUT", "/api/v1/notices/{notice_id}"): Probe(NOTICE, body={"contents": PURPLE}),
    ("POST", "/api/v1/notices/{notice_id}/moves"): Probe(NOTICE, body={"action": "withdraw"}),
    ("GET", "/notices/{notice_id}"): Probe(NOTICE),
    ("POST", "/notices/{notice_id}/moves"): Probe(NOTICE, body={"action": "withdraw"}, form=True),
    # Public extracts are public by design (DOMAIN §6): no rule beyond the marker scan.
    ("GET", "/api/public/notices/{notice_id}"): Probe(plain("SELECT id FROM notices", "notice_id")),
    ("GET", "/notices/public/{notice_id}"): Probe(plain("SELECT id FROM notices", "notice_id")),
    ("GET", "/api/v1/diffusions/{diffusion_id}"): Probe(DIFFUSION),
    ("POST", "/api/v1/diffusions/{diffusion_id}/moves"): Probe(
        DIFFUSION, body={"action": "withdraw"}
    ),
    ("GET", "/diffusions/{diffusion_id}"): Probe(DIFFUSION),
    ("POST", "/diffusions/{diffusion_id}/moves"): Probe(
        DIFFUSION, body={"action": "withdraw"}, form=True
    ),
    ("GET", "/api/v1/operations/{operation_id}"): Probe(OPERATION),
    ("GET", "/api/v1/operations/{operation_id}/report.pdf"): Probe(OPERATION),
    ("GET", "/operations/{operation_id}"): Probe(OPERATION),
    ("GET", "/operations/{operation_id}/report"): Probe(OPERATION),
    ("GET", "/operations/{operation_id}/report.pdf"): Probe(OPERATION),
    ("POST", "/operations/{operation_id}/{what}"): Probe(
        OPERATION, body={"body": "oracle probe"}, form=True, fixed={"what": "message"}
    ),
    **{
        ("POST", f"/api/v1/operations/{{operation_id}}/{what}"): Probe(
            with_cases(OPERATION) if what == "cases" else OPERATION, body=body
        )
        for what, body in OPERATION_BODIES.items()
    },
    ("POST", "/api/v1/operations/{operation_id}/tasks/{task_id}/done"): Probe(
        OPERATION, fixed={"task_id": MISSING}
    ),
    ("GET", "/api/v1/legal/requests/{request_id}"): Probe(LEGAL),
    ("PUT", "/api/v1/legal/requests/{request_id}"): Probe(LEGAL, body=LEGAL_EDIT),
    ("POST", "/api/v1/legal/requests/{request_id}/moves"): Probe(LEGAL, body={"action": "send"}),
    ("POST", "/api/v1/legal/requests/{request_id}/messages"): Probe(
        LEGAL, body={"body": "oracle probe"}
    ),
    ("POST", "/api/v1/legal/requests/{request_id}/documents"): Probe(LEGAL, body="evidence"),
    ("GET", "/legal/requests/{request_id}"): Probe(LEGAL),
    ("POST", "/legal/requests/{request_id}/moves"): Probe(
        LEGAL, body={"action": "send"}, form=True
    ),
    ("POST", "/legal/requests/{request_id}/messages"): Probe(
        LEGAL, body={"body": "probe"}, form=True
    ),
    ("POST", "/legal/requests/{request_id}/documents"): Probe(LEGAL, body="evidence", form=True),
    ("GET", "/api/v1/legal/documents/{document_id}"): Probe(LEGAL_DOCUMENT),
    ("GET", "/legal/documents/{document_id}/download"): Probe(LEGAL_DOCUMENT),
    ("POST", "/api/v1/legal/urgent/{message_id}/acknowledge"): Probe(URGENT),
    ("POST", "/legal/urgent/{message_id}/acknowledge"): Probe(URGENT, form=True),
    ("GET", "/api/v1/partners/reports/{report_id}"): Probe(REPORT),
    ("POST", "/api/v1/partners/reports/{report_id}/accept"): Probe(
        with_cases(reviewed_reports), body={"reasons": "oracle probe", "case_id": "{case}"}
    ),
    ("POST", "/api/v1/partners/reports/{report_id}/reject"): Probe(
        reviewed_reports, body={"reasons": "oracle probe"}
    ),
    ("POST", "/partners/reports/{report_id}/decision"): Probe(
        reviewed_reports, body={"decision": "reject", "reasons": "probe"}, form=True
    ),
    ("GET", "/api/v1/partners/requests/{partner_request_id}"): Probe(PARTNER_REQUEST),
    ("POST", "/api/v1/partners/requests/{partner_request_id}/moves"): Probe(
        PARTNER_REQUEST, body={"action": "withdraw"}
    ),
    ("POST", "/partners/requests/{request_id}/moves"): Probe(
        by_marking("partner_requests", "request_id"), body={"action": "withdraw"}, form=True
    ),
    ("GET", "/api/v1/capacity/articles/{article_id}"): Probe(ARTICLE),
    ("GET", "/capacity/articles/{article_id}"): Probe(ARTICLE),
    # -- personal records: their user's alone ---------------------------------------------
    ("DELETE", "/api/v1/auth/tokens/{token_id}"): Probe(TOKEN),
    ("GET", "/api/v1/alerts/inbox/{alert_id}"): Probe(ALERT),
    ("GET", "/api/v1/alerts/subscriptions/{subscription_id}"): Probe(SUBSCRIPTION),
    ("PUT", "/api/v1/alerts/subscriptions/{subscription_id}"): Probe(
        SUBSCRIPTION, body=SUBSCRIPTION_BODY
    ),
    ("DELETE", "/api/v1/alerts/subscriptions/{subscription_id}"): Probe(SUBSCRIPTION),
    ("POST", "/alerts/subscriptions/{subscription_id}/delete"): Probe(SUBSCRIPTION, form=True),
    ("DELETE", "/api/v1/alerts/webhooks/{webhook_id}"): Probe(WEBHOOK),
    ("POST", "/alerts/webhooks/{webhook_id}/delete"): Probe(WEBHOOK, form=True),
    ("POST", "/api/v1/alerts/dead-letters/{delivery_id}/retry"): Probe(dead_letters),
    ("POST", "/alerts/dead-letters/{delivery_id}/retry"): Probe(dead_letters, form=True),
    # -- data-subject requests (CCF) and access requests (the owner decides) -----------------
    **{
        ("POST", f"/api/v1/data-subject-requests/{{request_id}}/{step}"): Probe(
            SUBJECT_REQUEST, body=body
        )
        for step, body in SUBJECT_STEPS.items()
    },
    ("GET", "/api/v1/data-subject-requests/{request_id}"): Probe(SUBJECT_REQUEST),
    ("GET", "/data-protection"): Probe(),
    ("POST", "/data-protection"): skip("CCF intake of a new request"),
    ("GET", "/data-protection/{request_id}"): Probe(SUBJECT_REQUEST),
    **{
        ("POST", f"/data-protection/{{request_id}}/{step}"): Probe(
            SUBJECT_REQUEST, body=body, form=True
        )
        for step, body in SUBJECT_FORMS.items()
    },
    ("POST", "/api/v1/intel/access-requests/{request_id}/decision"): Probe(
        ACCESS_REQUEST, body={"grant": False}
    ),
    ("POST", "/intel/access-requests/{request_id}/decision"): Probe(
        ACCESS_REQUEST,
        body={"decision": "refuse"},
        form=True,
    ),
    # -- reference and identity objects (no marking): no 5xx, no marker -------------------
    ("GET", "/api/v1/agencies/{agency_id}"): Probe(plain("SELECT id FROM agencies", "agency_id")),
    ("GET", "/api/v1/users/{user_id}"): Probe(plain("SELECT id FROM users", "user_id")),
    ("GET", "/api/v1/legal/treaties/{code}"): Probe(
        plain("SELECT key FROM legal_reference WHERE kind = 'treaty'", "code")
    ),
    ("GET", "/api/v1/legal/profiles/{country}"): Probe(constant("country", "FR", "DE", "US")),
    # No marking: who records participants (host country, own country, central unit) is a
    # role rule, proved in tests/capacity; the oracle has no access level to compare it with.
    ("POST", "/api/v1/capacity/sessions/{session_id}/participants"): skip(
        "unmarked training sessions: a role rule (capacity tests)"
    ),
    ("GET", "/api/v1/partners/{agency_id}/sector"): Probe(
        plain("SELECT agency_id FROM partner_profiles", "agency_id")
    ),
    ("GET", "/api/v1/analytics/campaigns/{campaign_id}"): Probe(campaigns),
    ("GET", "/analytics/campaigns/{campaign_id}"): Probe(campaigns),
    ("GET", "/analytics/{table}.csv"): Probe(csv_tables),
    ("POST", "/api/v1/taxii/feeds/{feed_id}/pull"): Probe(TAXII_FEED),
    ("GET", "/api/v1/misp/feed/{event_uuid}.json"): Probe(misp_feed_events),
    ("DELETE", "/api/v1/stix/objects/{stix_id}"): Probe(STIX_OBJECT),
    # -- TAXII: every collection a user may be given, every object in it --------------------
    ("GET", "/taxii2/{api_root}/status/{status_id}/"): Probe(
        TAXII_STATUS, fixed={"api_root": API_ROOT}
    ),
    ("GET", "/taxii2/{api_root}/collections/{collection_id}/"): Probe(
        collections, fixed={"api_root": API_ROOT}
    ),
    ("GET", "/taxii2/{api_root}/collections/{collection_id}/objects/"): Probe(
        collections, fixed={"api_root": API_ROOT}
    ),
    ("GET", "/taxii2/{api_root}/collections/{collection_id}/manifest/"): Probe(
        collections, fixed={"api_root": API_ROOT}
    ),
    ("GET", "/taxii2/{api_root}/collections/{collection_id}/objects/{object_id}/"): Probe(
        taxii_objects, fixed={"api_root": API_ROOT}
    ),
    ("GET", "/taxii2/{api_root}/collections/{collection_id}/objects/{object_id}/versions/"): Probe(
        taxii_objects, fixed={"api_root": API_ROOT}
    ),
    ("DELETE", "/taxii2/{api_root}/collections/{collection_id}/objects/{object_id}/"): Probe(
        taxii_deletable, fixed={"api_root": API_ROOT}
    ),
}
