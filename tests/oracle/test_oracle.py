"""The authorisation oracle (issue 16, "make the probing permanent"): every route of the app,
every user, every object, compared with the access policy.

The oracle is `kernel.policy.decide` plus the before-sharing rule (`cases/model.py`
`access_before_sharing`), the rule the case page uses: NONE answers exactly as for an id that
names nothing (404, never 403: DESIGN "Access policy"), HIT_ONLY a stub or a refusal, FULL the
record. Every response of every route is scanned for the marker tokens of the cases (and the
stricter parts) its reader may not see in full: lists, counts, CSVs, searches, graph, feeds,
exports, alerts and the live stream must hold exactly what the oracle allows. Writes by those
without full access are refused and write nothing.

`make test` runs a reduced matrix (14 users; per route and user one object of each answer the
oracle gives); CASEBRIDGE_ORACLE_FULL=1 runs every user and object, on both databases."""

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import anyio
import pytest
import sqlalchemy as sa

from casebridge.alerts.api import alert_events
from casebridge.db.schema import metadata
from casebridge.kernel.policy import Access
from tests.oracle import extras
from tests.oracle.expect import MISSING, Oracle, Target
from tests.oracle.routes import TABLE, Probe, app_routes
from tests.oracle.world import OracleWorld

PROBED = sorted(key for key, probe in TABLE.items() if not probe.skip)
# Read on every request, or written by reads by design (audit of reads, hit notifications to
# owners, read receipts, custody of viewed evidence, served suggestions, login bookkeeping).
WRITTEN_BY_READS = {
    "audit_entries",
    "audit_head",
    "audit_checkpoints",
    "api_tokens",
    "login_throttles",
    "idempotency_keys",
    "intel_hit_notices",
    "message_receipts",
    "analytics_suggestions",
    "alerts",
    "alert_deliveries",
    "custody_entries",
    "users",
}
READS_BY_POST = {"lookup", "persons"}


def test_every_route_is_in_the_table(
    oracle_world: OracleWorld, record_property: Callable[[str, object], None]
) -> None:
    """A route no one added to the oracle's table fails here: no silent skip."""
    routes = app_routes(oracle_world.client.app)
    record_property("oracle_routes", len(routes))
    missing = "\n".join(f"{m} {p}" for m, p in sorted(routes - set(TABLE)))
    assert not missing, f"routes missing from tests/oracle/routes.py:\n{missing}"
    gone = "\n".join(f"{m} {p}" for m, p in sorted(set(TABLE) - routes))
    assert not gone, f"the table names routes the app no longer has:\n{gone}"


def test_every_probed_route_finds_objects(oracle: Oracle) -> None:
    """A route whose source is empty would run no probe and pass in silence."""
    empty = [
        f"{m} {p}"
        for m, p in PROBED
        if (source := TABLE[m, p].source) is not None and not source(oracle)
    ]
    assert not empty, "routes whose source finds no object in the oracle's world:\n" + "\n".join(
        empty
    )


def test_the_oracle_reads_grants_back_from_the_database(oracle: Oracle) -> None:
    """DOMAIN §4: a grant widens the case's marking. At country scope the requester's country's
    police read it (de.officer asked, de.investigator too); at agency scope the requesting
    agency alone (de.investigator's, not de.officer's NCB); a third country gains nothing."""
    world = oracle.world
    full = {
        scope: {
            u
            for u in ("de.officer", "de.investigator", "nl.officer", "us.officer")
            if oracle.case_access(world.actor(u), case_id) is Access.FULL
        }
        for scope, case_id in world.granted.items()
    }
    assert full == {"country": {"de.officer", "de.investigator"}, "agency": {"de.investigator"}}
    for scope, case_id in world.granted.items():
        answer = world.call("de.investigator", "GET", f"/api/v1/cases/{case_id}")
        assert answer.json()["access"] == "full", scope


def test_a_person_deleted_on_a_ccf_order_is_a_token_nobody_may_see(oracle: Oracle) -> None:
    assert oracle.world.deleted == [extras.GONE]
    for user in oracle.users:
        assert extras.GONE.lower() in oracle.forbidden[user]
    ccf = oracle.world.call("gs.ccf", "GET", "/api/v1/data-subject-requests")
    assert "carried_out" in ccf.text  # the deletion was carried out, not only asked for


@pytest.mark.parametrize(("method", "path"), PROBED, ids=[f"{m} {p}" for m, p in PROBED])
def test_route_answers_as_the_oracle_says(
    oracle: Oracle, record_property: Callable[[str, object], None], method: str, path: str
) -> None:
    probe = TABLE[method, path]
    before = _fingerprint(oracle.world) if _writes(method, probe) else None
    problems, count = _run(oracle, method, path, probe)
    if before is not None and (changed := _changed(before, _fingerprint(oracle.world))):
        problems.append(f"a refused write changed the database: {changed}")
    record_property("oracle_probes", count)
    record_property("oracle_leaks", [f"{method} {path}: {p}" for p in problems])
    shown = "\n".join(problems[:20])
    assert not problems, f"{len(problems)} of {count} probes disagree with the oracle:\n{shown}"


# -- running a route's probes -----------------------------------------------------------------


def _writes(method: str, probe: Probe) -> bool:
    return method != "GET" and probe.source is not None


def _run(oracle: Oracle, method: str, path: str, probe: Probe) -> tuple[list[str], int]:
    if _named(probe) == "stream":
        return _stream(oracle)
    targets = probe.source(oracle) if probe.source else [Target({}, "-")]
    problems: list[str] = []
    count = 0
    for user in oracle.users:
        actor = oracle.world.actor(user)
        chosen = oracle.sample(targets, user) if probe.source else targets
        baseline: int | None = None
        for target in chosen:
            access = target.access(actor) if target.access else None
            if _writes(method, probe) and access not in probe.refused:
                continue  # writes are probed by those who may not make them
            if access in {Access.NONE, Access.HIT_ONLY} and baseline is None:
                missing = Target(_missing(target.fill), "missing")
                baseline = _send(oracle, user, method, path, probe, missing)[0].status_code
            response, sent = _send(oracle, user, method, path, probe, target)
            count += 1
            where = f"{user} on {target.label} ({access and access.value})"
            problems += [
                f"{where}: {p}"
                for p in _judge(
                    oracle, user, method, probe, target, access, baseline, response, sent
                )
            ]
    if count == 0:  # a route whose source finds nothing proves nothing: a failure, not a pass
        problems.append(f"no probe ran ({len(targets)} objects found)")
    return problems, count


# What stands for "no such object" in each slot of a target; the owner's country stays, so
# that a body naming an unknown case differs from the real one in the case alone.
MISSING_FILL = {"case_reference": "CB-2026-ZZ-999999", "case_value": "qzmissing.example"}
KEPT_FILL = {"case_country"}


def _missing(fill: dict[str, str]) -> dict[str, str]:
    return {k: v if k in KEPT_FILL else MISSING_FILL.get(k, MISSING) for k, v in fill.items()}


def _judge(  # noqa: PLR0913 - one verdict from all that was asked and answered
    oracle: Oracle,
    user: str,
    method: str,
    probe: Probe,
    target: Target,
    access: Access | None,
    baseline: int | None,
    response: Any,
    sent: str,
) -> list[str]:
    status = response.status_code
    found = []
    if status >= 500:
        found.append(f"answered {status}")
    leaked = oracle.leaked(user, response.text, sent)
    if leaked:
        found.append(f"leaked {leaked[:6]} (status {status})")
    if access is Access.NONE and status != baseline:
        found.append(f"answered {status} where an unknown id answers {baseline}")
    # A hit-only reader knows the record exists: a refusal (403, 404), a stub (200) or a
    # complaint about the body (409, 422) all tell it nothing more.
    if access is Access.HIT_ONLY and status not in {baseline, 200, 403, 404, 409, 422}:
        found.append(f"hit-only answered {status}")
    # A 2xx that an unknown id gets too (a page re-rendered with its error) accepted nothing;
    # a write that did happen is caught by the database fingerprint.
    if method != "GET" and access in probe.refused and 200 <= status < 300 and status != baseline:
        found.append(f"write accepted ({status})")
    if probe.case_read:
        found += _case_read(oracle, target, access, response)
    if probe.case_list and status == 200:
        found += _case_list(oracle, user, response.json())
    return found


def _case_list(oracle: Oracle, user: str, page: dict[str, Any]) -> list[str]:
    """DESIGN "Aggregates are reads": a list holds, and counts, exactly the cases its reader
    sees in full, by the same rule as the case page."""
    actor = oracle.world.actor(user)
    expected = {i for i in oracle.cases if oracle.case_access(actor, i) is Access.FULL}
    listed = {uuid.UUID(str(item["id"])) for item in page["items"]}
    found = []
    if listed != expected:
        extra = sorted(oracle.cases[i][0].reference for i in listed - expected)
        missing = sorted(
            oracle.cases[i][0].reference for i in expected - listed if i in oracle.cases
        )
        found.append(f"lists {extra or 'nothing'} too many, {missing or 'nothing'} missing")
    if page["total"] != len(expected):
        found.append(f"counts {page['total']} where the oracle allows {len(expected)}")
    return found


def _case_read(oracle: Oracle, target: Target, access: Access | None, response: Any) -> list[str]:
    marked = {str(m.id): m for m in oracle.world.marked}.get(target.fill["case_id"])
    if access is Access.FULL and response.status_code != 200:
        return [f"full access answered {response.status_code}"]
    if access is Access.FULL and marked and marked.markers.title not in response.text:
        return ["full access without the case's title"]
    if access is Access.HIT_ONLY and response.status_code != 200:
        return [f"hit-only answered {response.status_code}, not a stub"]
    return []


def _send(
    oracle: Oracle, user: str, method: str, path: str, probe: Probe, target: Target
) -> tuple[Any, str]:
    world = oracle.world
    values = {
        **probe.fixed,
        "partner_agency": world.agency_id("partner.exchange"),
        "fr_ncb": world.agency_id("fr.officer"),
        **target.fill,
    }
    url = path.format_map(_Fill(values))
    query = probe.query.format_map(_Fill(values))
    if _named(probe) in {"lookup-query", "persons-query"}:
        query = urlencode({"q": _query_text(oracle, probe)})
    if query:
        url = f"{url}?{query}"
    headers = dict(world.headers(user))
    if path.startswith("/taxii2"):
        headers["Accept"] = "application/taxii+json;version=2.1"
    body = _filled(_body(oracle, probe), values)
    sent = url + (json.dumps(body) if body is not None else "")
    kwargs: dict[str, Any] = {"headers": headers, "follow_redirects": False}
    if _named(probe) == "evidence":
        kwargs["files"] = {"file": ("probe.txt", b"oracle probe", "text/plain")}
        kwargs["data"] = {
            "acquired_by": "probe",
            "acquired_at": "2026-10-02T08:30:00Z",
            "method": "image",
            "legal_basis": "warrant",
            "description": "probe",
            **({"csrf": world.csrf[user]} if probe.form else {}),
        }
    elif _named(probe) in IMPORTS:
        kwargs["content"] = json.dumps(IMPORTS[_named(probe)]).encode()
        headers["Content-Type"] = "application/json"
    elif probe.form:
        kwargs["data"] = {**(body or {}), "csrf": world.csrf[user]}
    elif method != "GET" and body is not None:
        kwargs["json"] = body
    return world.client.request(method, url, **kwargs), sent


# Imports sent as raw documents: valid, so a refusal speaks for the case named in the query.
IMPORTS: dict[str, Any] = {
    "stix-import": extras.stix_bundle("oracle-probe.example", "oracle probe"),
    "misp-import": extras.misp_event("oracle-probe.example", "oracle probe"),
}


def _filled(body: Any, values: dict[str, str]) -> Any:
    """A body template's "{slot}" strings replaced by the target's values."""
    if isinstance(body, dict):
        return {k: _filled(v, values) for k, v in body.items()}
    if isinstance(body, list):
        return [_filled(v, values) for v in body]
    if isinstance(body, str) and body.startswith("{") and body.endswith("}"):
        return values.get(body[1:-1], body)
    return body


def _named(probe: Probe) -> str:
    """The name of a body built at probe time ("lookup", "evidence", ...), else ""."""
    return probe.body if isinstance(probe.body, str) else ""


def _body(oracle: Oracle, probe: Probe) -> Any:
    marked = oracle.world.marked
    if probe.body == "lookup":
        values = [v for m in marked for v in (m.markers.indicator, m.markers.part_indicator)]
        if probe.form:
            return {"values": "\n".join(values)}
        return {"values": [{"value": v} for v in values]}
    if probe.body == "persons":
        names = [m.markers.person for m in marked][:20]
        return {"names": "; ".join(names)} if probe.form else {"names": names}
    if _named(probe) in {"evidence", "stix", "misp", "lookup-query", "persons-query", *IMPORTS}:
        return None
    return probe.body


def _query_text(oracle: Oracle, probe: Probe) -> str:
    marked = oracle.world.marked
    if probe.body == "lookup-query":
        return "\n".join(m.markers.indicator for m in marked)
    return "; ".join(m.markers.person for m in marked[:20])


class _Fill(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return MISSING


# -- the live stream --------------------------------------------------------------------------


def _stream(oracle: Oracle) -> tuple[list[str], int]:
    """Each user's stream, resumed from the beginning, carries what its inbox holds and no
    marker it may not see. (The generator behind GET /api/v1/alerts/stream and /alerts/stream,
    driven directly: the test client buffers a response until it ends, and a stream never
    does.)"""
    problems = []
    for user in oracle.users:
        inbox = oracle.world.call(user, "GET", "/api/v1/alerts/inbox?limit=100")
        assert inbox.status_code == 200, inbox.text
        expected = len(inbox.json()["items"])
        frames = anyio.run(_frames, oracle, user, expected)
        leaked = oracle.leaked(user, "".join(frames))
        if leaked:
            problems.append(f"{user}: the stream leaked {leaked[:6]}")
    return problems, len(oracle.users)


async def _frames(oracle: Oracle, user: str, alerts: int) -> list[str]:
    uow = oracle.world.platform.uow()
    actor = oracle.world.actor(user)
    events = alert_events(uow, actor, uuid.UUID(int=1), lambda: True)
    frames: list[str] = []
    with anyio.fail_after(60):  # a guard against a stream that holds back alerts, not a timing
        async for frame in events:
            frames.append(frame.decode())
            if len(frames) > alerts:
                break
    await events.aclose()
    return frames


# -- nothing written --------------------------------------------------------------------------


def _fingerprint(world: OracleWorld) -> dict[str, str]:
    """Each table's rows, digested (so a failure names the tables a refused write touched)."""
    digests = {}
    with world.platform.engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name in WRITTEN_BY_READS:
                continue
            found = sorted(repr(tuple(r)) for r in connection.execute(sa.select(table)))
            digests[table.name] = hashlib.sha256(f"{len(found)}:{found}".encode()).hexdigest()
    return digests


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
