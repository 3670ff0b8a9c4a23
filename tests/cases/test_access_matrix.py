"""Every case endpoint, for every kind of caller, under every TLP (the cases access matrix).

The expectations are written by hand from the rules (kernel/policy.py, cases/model.py), never
computed with `decide`, so that this is an independent check of the policy, its SQL twin and
the services. Legend: F full, H hit_only (existence and whom to ask), - hidden (404, absent from
lists, counts and searches, never named in another case's screening).

The case is always created by `fr.investigator`, so its owner agency is "Cyber unit FR".
Callers: the owner; another agency of the owner's country (fr.officer, the FR NCB); the DE NCB
(de.officer) and a DE police unit (de.investigator); the NL NCB (nl.officer); a central-unit
reviewer; a private partner; and anonymous (always 401).
"""

from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.cases.payloads import ransomware_case
from tests.world import World

OWNER, FR_NCB, DE_NCB, DE_UNIT, NL_NCB, REVIEWER, PARTNER = (
    "fr.investigator",
    "fr.officer",
    "de.officer",
    "de.investigator",
    "nl.officer",
    "gs.reviewer",
    "partner.exchange",
)
CALLERS = (OWNER, FR_NCB, DE_NCB, DE_UNIT, NL_NCB, REVIEWER, PARTNER)
FULL, HIT, HIDDEN = "F", "H", "-"
HIT_KEYS = {"id", "access", "owner_country", "contact"}
SOMEONE_IN_FR = "a case held by NCB FR"  # how a hit-only duplicate is named in a screening

# -- accepted cases: the marking decides ------------------------------------------------------
#
# Three sharings of the same TLP, all accepted by the central unit:
#   narrow  allowed_countries=["DE"], discoverable by no one
#   nl-hit  allowed_countries=["DE"], discoverable by NL only (NL is never allowed)
#   open    no country list, discoverable by every member country
# TLP:RED always names its recipients: the DE NCB (and, in "open", the partner's agency too:
# partners never see case files whatever the marking, DOMAIN.md §1).
VARIANTS: dict[str, dict[str, Any]] = {
    "narrow": {"allowed_countries": ["DE"], "discoverable_by": []},
    "nl-hit": {"allowed_countries": ["DE"], "discoverable_by": ["NL"]},
    "open": {},
}

# Why, cell by cell:
# - owner agency and central-unit reviewers: always F.
# - RED: the named agencies only; the FR NCB is not named, nor is the DE police unit.
# - AMBER+STRICT: named agencies, or the NCB of a named country: the DE NCB when DE is listed,
#   but not the FR NCB (FR is not listed) nor the DE police unit (not an NCB).
# - AMBER: law enforcement of the owner's country and of the listed countries; with no list,
#   the owner's country alone.
# - GREEN and CLEAR: every member country's law enforcement, narrowed by the country list.
# - Refused F gives H where the sharing makes the case discoverable to the caller's country.
# - Partners: never (DOMAIN.md §1), not even a hit, not even TLP:CLEAR, not even when named.
#                                 owner fr.ncb de.ncb de.unit nl.ncb review partner
ACCEPTED_TABLE = """
TLP:RED           narrow            F      -      F      -      -      F      -
TLP:RED           nl-hit            F      -      F      -      H      F      -
TLP:RED           open              F      H      F      H      H      F      -
TLP:AMBER+STRICT  narrow            F      -      F      -      -      F      -
TLP:AMBER+STRICT  nl-hit            F      -      F      -      H      F      -
TLP:AMBER+STRICT  open              F      H      H      H      H      F      -
TLP:AMBER         narrow            F      F      F      F      -      F      -
TLP:AMBER         nl-hit            F      F      F      F      H      F      -
TLP:AMBER         open              F      F      H      H      H      F      -
TLP:GREEN         narrow            F      F      F      F      -      F      -
TLP:GREEN         nl-hit            F      F      F      F      H      F      -
TLP:GREEN         open              F      F      F      F      F      F      -
TLP:CLEAR         narrow            F      F      F      F      -      F      -
TLP:CLEAR         nl-hit            F      F      F      F      H      F      -
TLP:CLEAR         open              F      F      F      F      F      F      -
"""


def _table(text: str) -> dict[tuple[str, str], dict[str, str]]:
    rows = {}
    for line in text.strip().splitlines():
        tlp, variant, *cells = line.split()
        assert len(cells) == len(CALLERS), line
        rows[tlp, variant] = dict(zip(CALLERS, cells, strict=True))
    return rows


ACCEPTED = _table(ACCEPTED_TABLE)
TLPS = ("TLP:RED", "TLP:AMBER+STRICT", "TLP:AMBER", "TLP:GREEN", "TLP:CLEAR")

# -- before acceptance: only the owner agency, and once submitted the reviewers ---------------
#
# The same wide sharing for every TLP: allowed_countries=["DE", "NL"], discoverable by every
# member country, and for TLP:RED the DE and NL NCBs named. Once accepted, the DE and NL NCBs
# see it in full; before, nobody but the owner agency (and the reviewers once submitted) may
# even learn that it exists. A rejected case is never shared.
#                                 owner fr.ncb de.ncb de.unit nl.ncb review partner
BEFORE_TABLE = """
any               draft             F      -      -      -      -      -      -
any               under_review      F      -      -      -      -      F      -
any               info_requested    F      -      -      -      -      F      -
any               rejected          F      -      -      -      -      F      -
"""
BEFORE = {state: row for (_, state), row in _table(BEFORE_TABLE).items()}
# Every TLP for drafts and submitted cases; the widest, TLP:CLEAR, for the rarer states.
PRE_ACCEPTANCE = {
    "draft": TLPS,
    "under_review": TLPS,
    "info_requested": ("TLP:CLEAR",),
    "rejected": ("TLP:CLEAR",),
}
# The same cases once accepted (the rejected one stays as it was):
#                                 owner fr.ncb de.ncb de.unit nl.ncb review partner
WIDE_ACCEPTED_TABLE = """
TLP:RED           wide              F      H      F      H      F      F      -
TLP:AMBER+STRICT  wide              F      H      F      H      F      F      -
TLP:AMBER         wide              F      F      F      F      F      F      -
TLP:GREEN         wide              F      F      F      F      F      F      -
TLP:CLEAR         wide              F      F      F      F      F      F      -
"""
WIDE_ACCEPTED = {tlp: row for (tlp, _), row in _table(WIDE_ACCEPTED_TABLE).items()}
WIDE: dict[str, Any] = {"allowed_countries": ["DE", "NL"]}


# -- helpers ----------------------------------------------------------------------------------

DECISION = {
    "decision": "accept",
    "reasons": "Ordinary-law ransomware; the file is complete enough.",
    "rule": "DOMAIN §2 compliance review",
}
OUTCOME = {"summary": "Affiliate arrested in Germany; servers seized.", "arrests": 1}
PATHS = {  # from a draft to each state
    "draft": (),
    "under_review": ("submit",),
    "info_requested": ("submit", "ask"),
    "accepted": ("submit", "accept"),
    "rejected": ("submit", "reject"),
    "closed": ("submit", "accept", "close"),
}


@dataclass
class Desk:
    """A client, the world's tokens (one per user), and the cases made in this test."""

    client: TestClient
    world: World
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, caller: str | None) -> dict[str, str]:
        if caller is None:
            return {}
        if caller not in self.tokens:
            self.tokens[caller] = self.world.headers(caller)
        return self.tokens[caller]

    def call(
        self, caller: str | None, method: str, url: str, body: object = None
    ) -> httpx.Response:
        return self.client.request(method, url, json=body, headers=self.headers(caller))

    def sharing(self, tlp: str, extra: dict[str, Any], recipients: list[str]) -> dict[str, Any]:
        named = [str(self.world.agencies[name].id) for name in recipients]
        return {"tlp": tlp, **extra, **({"allowed_agencies": named} if tlp == "TLP:RED" else {})}

    def create(self, title: str, sharing: dict[str, Any]) -> dict[str, Any]:
        response = self.call(
            OWNER, "POST", "/api/v1/cases", ransomware_case(title=title, sharing=sharing)
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    def advance(self, case_id: str, state: str) -> None:
        """Take a draft to `state` the normal way: the owner submits, gs.reviewer decides."""
        url = f"/api/v1/cases/{case_id}"
        decide = f"/api/v1/review/cases/{case_id}/decision"
        steps = {
            "submit": (OWNER, f"{url}/submit", None),
            "accept": (REVIEWER, decide, DECISION),
            "ask": (REVIEWER, decide, DECISION | {"decision": "request_info"}),
            "reject": (REVIEWER, decide, DECISION | {"decision": "reject"}),
            "close": (OWNER, f"{url}/close", OUTCOME),
        }
        for step in PATHS[state]:
            caller, target, body = steps[step]
            response = self.call(caller, "POST", target, body)
            assert response.status_code == 200, (step, response.text)
        assert self.call(OWNER, "GET", url).json()["status"] == state

    def listed(self, caller: str, query: str = "") -> tuple[set[str], int]:
        response = self.call(caller, "GET", f"/api/v1/cases?limit=500{query}")
        assert response.status_code == 200, response.text
        page = response.json()
        return {item["id"] for item in page["items"]}, page["total"]


@pytest.fixture
def desk(platform: Platform, world: World) -> Desk:
    return Desk(TestClient(create_app(platform.settings, platform)), world)


def assert_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"].startswith("urn:casebridge:problem:")


def seen_as(desk: Desk, caller: str, case: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """What GET /cases/{id} and its timeline tell this caller: F, H or -, checked for shape.

    Anything inconsistent (a full read with a hidden timeline, a hit that says too much, a 404
    that names the case) comes back as a description instead, so the table comparison fails.
    """
    url = f"/api/v1/cases/{case['id']}"
    read = desk.call(caller, "GET", url)
    timeline = desk.call(caller, "GET", f"{url}/timeline").status_code
    if read.status_code == 200 and read.json().get("access") == "full":
        body = read.json()
        ok = body["id"] == case["id"] and body["title"] == case["title"] and timeline == 200
        ok = ok and read.headers.get("ETag") == f'W/"{body["version"]}"'
        return (FULL, body) if ok else (f"full, timeline {timeline}", None)
    if read.status_code == 200 and read.json().get("access") == "hit_only":
        body = read.json()
        ok = set(body) == HIT_KEYS and body["id"] == case["id"] and body["owner_country"] == "FR"
        ok = ok and "NCB FR" in body["contact"] and case["title"] not in read.text
        ok = ok and "ETag" not in read.headers and timeline == 403
        return (HIT, None) if ok else (f"hit {sorted(body)}, timeline {timeline}", None)
    if read.status_code == 404:
        problem = read.json()
        ok = read.headers["content-type"] == "application/problem+json"
        ok = (
            ok
            and problem["status"] == 404
            and problem["type"] == "urn:casebridge:problem:not-found"
        )
        ok = ok and case["title"] not in read.text and case["reference"] not in read.text
        return (HIDDEN, None) if ok and timeline == 404 else (f"404, timeline {timeline}", None)
    return f"status {read.status_code}, timeline {timeline}", None


def anonymous_is_refused(desk: Desk, case_id: str) -> None:
    url = f"/api/v1/cases/{case_id}"
    for target in (url, f"{url}/timeline", "/api/v1/cases", "/api/v1/review/queue"):
        assert_problem(desk.call(None, "GET", target), 401)


def observe(
    desk: Desk, caller: str, cases: dict[Any, dict[str, Any]]
) -> tuple[dict[Any, str], int, dict[Any, dict[str, Any]]]:
    """Each case as `caller` sees it (F, H, - or what is wrong), the total of their list, and
    the bodies of their full reads. A case must be listed exactly when it is seen in full."""
    ids, total = desk.listed(caller)
    levels, bodies = {}, {}
    for key, case in cases.items():
        level, body = seen_as(desk, caller, case)
        if (case["id"] in ids) != (level == FULL):
            level = f"{level} but {'listed' if case['id'] in ids else 'not listed'}"
        levels[key] = level
        if body is not None:
            bodies[key] = body
    unknown = ids - {case["id"] for case in cases.values()}
    assert not unknown, f"{caller} lists cases this test never made"
    return levels, total, bodies


def duplicates_named(body: dict[str, Any]) -> list[str]:
    return sorted(
        f["related_case"] for f in body["screening"] if f["category"] == "possible_duplicate"
    )


# -- reads of accepted cases, per TLP --------------------------------------------------------


@pytest.mark.parametrize("tlp", TLPS)
def test_accepted_case_reads_follow_the_marking(desk: Desk, tlp: str) -> None:
    """Each caller's read, timeline, list, count, search and screening, for three sharings."""
    made: dict[str, dict[str, Any]] = {}
    for variant, extra in VARIANTS.items():  # submitted in this order: later ones list earlier
        recipients = ["NCB DE"] + (["Exchange Ltd"] if variant == "open" else [])
        case = desk.create(f"{tlp} {variant} case", desk.sharing(tlp, extra, recipients))
        desk.advance(case["id"], "accepted")
        made[variant] = case

    expected: dict[tuple[str, str], object] = {}
    got: dict[tuple[str, str], object] = {}
    for caller in CALLERS:
        want = {v: ACCEPTED[tlp, v][caller] for v in VARIANTS}
        levels, total, bodies = observe(desk, caller, made)
        for variant, case in made.items():
            expected[variant, caller] = want[variant]
            got[variant, caller] = levels[variant]
            # A search by the (guessable) reference finds only what is seen in full.
            expected[f"search {variant}", caller] = int(want[variant] == FULL)
            got[f"search {variant}", caller] = desk.listed(caller, f"&q={case['reference']}")[1]
        expected["total", caller] = list(want.values()).count(FULL)
        got["total", caller] = total
        # Screening names an earlier duplicate as this caller may know it, or drops it.
        for position, variant in enumerate(VARIANTS):
            if want[variant] == FULL:
                expected[f"duplicates in {variant}", caller] = sorted(
                    made[e]["reference"] if want[e] == FULL else SOMEONE_IN_FR
                    for e in list(VARIANTS)[:position]
                    if want[e] != HIDDEN
                )
                body = bodies.get(variant)
                got[f"duplicates in {variant}", caller] = body and duplicates_named(body)
    assert got == expected
    anonymous_is_refused(desk, made["open"]["id"])


# -- reads before acceptance ------------------------------------------------------------------


def made_before_acceptance(desk: Desk) -> dict[tuple[str, str], dict[str, Any]]:
    """Cases in each state before acceptance, under several TLPs, all with the wide sharing."""
    made = {}
    for state, tlps in PRE_ACCEPTANCE.items():
        for tlp in tlps:
            case = desk.create(f"{tlp} {state} case", desk.sharing(tlp, WIDE, ["NCB DE", "NCB NL"]))
            desk.advance(case["id"], state)
            made[state, tlp] = case
    return made


def accept_all_but_the_rejected(desk: Desk, made: dict[tuple[str, str], dict[str, Any]]) -> None:
    for (state, _), case in made.items():
        if state in {"draft", "info_requested"}:
            submitted = desk.call(OWNER, "POST", f"/api/v1/cases/{case['id']}/submit")
            assert submitted.status_code == 200, submitted.text
        if state != "rejected":
            url = f"/api/v1/review/cases/{case['id']}/decision"
            assert desk.call(REVIEWER, "POST", url, DECISION).json()["status"] == "accepted"


def compare(
    desk: Desk, made: dict[tuple[str, str], dict[str, Any]], table: dict[Any, dict[str, str]]
) -> tuple[dict[tuple[str, ...], object], dict[tuple[str, ...], object]]:
    """(got, expected) for every caller: each case's level and the caller's list total."""
    got: dict[tuple[str, ...], object] = {}
    expected: dict[tuple[str, ...], object] = {}
    for caller in CALLERS:
        seen, total, _ = observe(desk, caller, made)
        for key in made:
            expected[*key, caller] = table[key][caller]
            got[*key, caller] = seen[key]
        expected["total", caller] = [table[key][caller] for key in made].count(FULL)
        got["total", caller] = total
    return got, expected


def test_before_acceptance_only_the_owner_and_reviewers_see_a_case(desk: Desk) -> None:
    """Whatever the marking, even TLP:CLEAR shared with everyone; once accepted, it is shared."""
    made = made_before_acceptance(desk)

    got, expected = compare(desk, made, {(s, t): BEFORE[s] for s, t in made})
    assert got == expected
    queue = desk.call(REVIEWER, "GET", "/api/v1/review/queue").json()
    assert {c["id"] for c in queue} == {made["under_review", t]["id"] for t in TLPS}

    # The same markings once accepted: the hiding above was the status's doing, not theirs.
    accept_all_but_the_rejected(desk, made)
    got, expected = compare(
        desk, made, {(s, t): BEFORE[s] if s == "rejected" else WIDE_ACCEPTED[t] for s, t in made}
    )
    assert got == expected
    anonymous_is_refused(desk, made["draft", "TLP:CLEAR"]["id"])


# -- the mutating endpoints, per state of the case --------------------------------------------
#
# The case is TLP:AMBER shared with DE and discoverable by NL: once accepted the owner, the FR
# NCB (same country), the DE NCB and the reviewer see it in full, NL may only discover it, the
# partner not at all. Seeing is not acting: only the owner agency edits, submits, invites,
# shares and closes (403 for those who see the case, 404 for those who may not know it); only
# reviewers decide (403 for everyone else, whether or not they see the case: the role decides,
# and says nothing of the case), and a reviewer cannot see a draft (404).
MUTATION_CALLERS = (OWNER, FR_NCB, DE_NCB, NL_NCB, REVIEWER, PARTNER, None)
# Called in this order, so that the one caller who may act does so last.
CALL_ORDER = (None, PARTNER, NL_NCB, DE_NCB, FR_NCB, REVIEWER, OWNER)
MUTATION_SHARING = {"tlp": "TLP:AMBER", "allowed_countries": ["DE"], "discoverable_by": ["NL"]}
ENDPOINTS: dict[str, tuple[str, str, object]] = {
    "edit": (
        "PUT",
        "/api/v1/cases/{}",
        {k: v for k, v in ransomware_case().items() if k != "sharing"},
    ),
    "submit": ("POST", "/api/v1/cases/{}/submit", None),
    "invite": ("POST", "/api/v1/cases/{}/participants", {"country": "DE"}),
    "sharing": ("PUT", "/api/v1/cases/{}/sharing", MUTATION_SHARING),
    "close": ("POST", "/api/v1/cases/{}/close", OUTCOME),
    "decide": ("POST", "/api/v1/review/cases/{}/decision", DECISION),
}
#                            owner fr.ncb de.ncb nl.ncb review partner anon
MUTATION_TABLE = """
draft           edit          200   404    404    404    404    404    401
draft           submit        200   404    404    404    404    404    401
draft           invite        409   404    404    404    404    404    401
draft           sharing       200   404    404    404    404    404    401
draft           close         409   404    404    404    404    404    401
draft           decide        403   403    403    403    404    403    401
under_review    edit          409   404    404    404    403    404    401
under_review    submit        409   404    404    404    403    404    401
under_review    invite        409   404    404    404    403    404    401
under_review    sharing       200   404    404    404    403    404    401
under_review    close         409   404    404    404    403    404    401
under_review    decide        403   403    403    403    200    403    401
info_requested  edit          200   404    404    404    403    404    401
info_requested  submit        200   404    404    404    403    404    401
info_requested  invite        409   404    404    404    403    404    401
info_requested  sharing       200   404    404    404    403    404    401
info_requested  close         409   404    404    404    403    404    401
info_requested  decide        403   403    403    403    409    403    401
accepted        edit          409   403    403    403    403    404    401
accepted        submit        409   403    403    403    403    404    401
accepted        invite        201   403    403    403    403    404    401
accepted        sharing       200   403    403    403    403    404    401
accepted        close         200   403    403    403    403    404    401
accepted        decide        403   403    403    403    409    403    401
rejected        edit          409   404    404    404    403    404    401
rejected        submit        409   404    404    404    403    404    401
rejected        invite        409   404    404    404    403    404    401
rejected        sharing       200   404    404    404    403    404    401
rejected        close         409   404    404    404    403    404    401
rejected        decide        403   403    403    403    409    403    401
closed          edit          409   403    403    403    403    404    401
closed          submit        409   403    403    403    403    404    401
closed          invite        409   403    403    403    403    404    401
closed          sharing       200   403    403    403    403    404    401
closed          close         409   403    403    403    403    404    401
closed          decide        403   403    403    403    409    403    401
"""
MUTATIONS = {
    (state, endpoint): dict(zip(MUTATION_CALLERS, map(int, cells), strict=True))
    for state, endpoint, *cells in (line.split() for line in MUTATION_TABLE.strip().splitlines())
}
# The review queue does not depend on the case: reviewers only.
QUEUE = {OWNER: 403, FR_NCB: 403, DE_NCB: 403, NL_NCB: 403, REVIEWER: 200, PARTNER: 403, None: 401}


def test_who_may_change_a_case(desk: Desk) -> None:
    """One fresh case per state and endpoint; every caller tries; the table says who may."""
    cases = {}
    for state, endpoint in MUTATIONS:
        cases[state, endpoint] = desk.create(f"{state} {endpoint} case", MUTATION_SHARING)
        desk.advance(cases[state, endpoint]["id"], state)

    queue = {
        caller: desk.call(caller, "GET", "/api/v1/review/queue") for caller in MUTATION_CALLERS
    }
    assert {c: r.status_code for c, r in queue.items()} == QUEUE
    in_queue = {c["id"] for c in queue[REVIEWER].json()}
    assert in_queue == {case["id"] for (state, _), case in cases.items() if state == "under_review"}

    got: dict[tuple[str, str], dict[str | None, int]] = {}
    for (state, endpoint), case in cases.items():
        method, url, body = ENDPOINTS[endpoint]
        url = url.format(case["id"])
        answers = {}
        for caller in CALL_ORDER:
            response = desk.call(caller, method, url, body)
            answers[caller] = response.status_code
            if response.status_code >= 400:
                assert_problem(response, response.status_code)
                assert case["title"] not in response.text
        got[state, endpoint] = {c: answers[c] for c in MUTATION_CALLERS}
    assert got == MUTATIONS


def test_refused_changes_change_nothing(desk: Desk) -> None:
    """After every refused attempt, the accepted case reads as before (version, sharing)."""
    case = desk.create("untouched case", MUTATION_SHARING)
    desk.advance(case["id"], "accepted")
    url = f"/api/v1/cases/{case['id']}"
    before = desk.call(OWNER, "GET", url).json()
    wider = {"tlp": "TLP:CLEAR", "allowed_countries": None, "discoverable_by": None}
    edit = {k: v for k, v in ransomware_case(title="Edited").items() if k != "sharing"}
    for caller in (FR_NCB, DE_NCB, NL_NCB, REVIEWER, PARTNER, None):
        for method, target, body in (
            ("PUT", url, edit),
            ("PUT", f"{url}/sharing", wider),
            ("POST", f"{url}/participants", {"country": "NL"}),
            ("POST", f"{url}/close", OUTCOME),
        ):
            assert desk.call(caller, method, target, body).status_code in {401, 403, 404}
    after = desk.call(OWNER, "GET", url).json()
    assert (after["version"], after["status"], after["sharing"], after["participants"]) == (
        before["version"],
        "accepted",
        {
            "tlp": "TLP:AMBER",
            "allowed_countries": ["DE"],
            "discoverable_by": ["NL"],
            "allowed_agencies": [],
            "named_agencies": [],
        },
        [],
    )
    assert after["title"] == case["title"]
    assert desk.call(NL_NCB, "GET", url).json()["access"] == "hit_only"
    assert desk.call(PARTNER, "GET", url).status_code == 404


# -- bugs these tests found in src/, now fixed --


def test_central_unit_staff_who_do_not_review_do_not_read_case_files(desk: Desk) -> None:
    got = {}
    for tlp in ("TLP:GREEN", "TLP:AMBER"):
        case = desk.create(f"{tlp} everyone case", {"tlp": tlp})
        desk.advance(case["id"], "accepted")
        for caller in ("gs.admin", "gs.auditor"):
            got[tlp, caller] = seen_as(desk, caller, case)[0]
    assert got == dict.fromkeys(got, HIDDEN)


# -- the case file: evidence, messages, tasks -----------------------------------------------


CASE_FILE_STATUS = {FULL: 200, HIT: 403, HIDDEN: 404}  # a hit knows the case exists: 403
ITEM_STATUS = {FULL: 200, HIT: 404, HIDDEN: 404}  # an evidence item is hidden unless seen


@pytest.mark.parametrize("tlp", TLPS)
def test_case_file_endpoints_follow_the_marking(desk: Desk, tlp: str) -> None:
    """Evidence, messages and tasks of accepted cases, for every caller, under each TLP."""
    expected: dict[tuple[str, str, str], int] = {}
    got: dict[tuple[str, str, str], int] = {}
    for variant in ("narrow", "nl-hit"):
        case = desk.create(
            f"{tlp} {variant} file", desk.sharing(tlp, VARIANTS[variant], ["NCB DE"])
        )
        desk.advance(case["id"], "accepted")
        url = f"/api/v1/cases/{case['id']}"
        item = desk.client.post(
            f"{url}/evidence",
            data={
                "acquired_by": "C3N",
                "acquired_at": "2026-10-02T08:30:00Z",
                "method": "image",
                "legal_basis": "warrant",
            },
            files={"file": ("note.txt", b"pay 40 BTC", "text/plain")},
            headers=desk.headers(OWNER),
        ).json()
        for caller in CALLERS:
            level = ACCEPTED[tlp, variant][caller]
            reads = {
                "evidence": f"{url}/evidence",
                "messages": f"{url}/messages",
                "tasks": f"{url}/tasks",
            }
            for name, target in reads.items():
                expected[variant, caller, name] = CASE_FILE_STATUS[level]
                got[variant, caller, name] = desk.call(caller, "GET", target).status_code
            for name, target in {
                "item": f"/api/v1/evidence/{item['id']}?purpose=check",
                "content": f"/api/v1/evidence/{item['id']}/content?purpose=check",
            }.items():
                expected[variant, caller, name] = ITEM_STATUS[level]
                got[variant, caller, name] = desk.call(caller, "GET", target).status_code
            sent = desk.call(caller, "POST", f"{url}/messages", {"body": f"from {caller}"})
            expected[variant, caller, "send"] = {FULL: 201, HIT: 403, HIDDEN: 404}[level]
            got[variant, caller, "send"] = sent.status_code
        for target in (f"{url}/evidence", f"{url}/messages", f"/api/v1/evidence/{item['id']}"):
            assert_problem(desk.call(None, "GET", target), 401)
    assert got == expected
