"""The demo's capacity building (issue 7, item 6), made through the real services (idempotent):

- a TLP:CLEAR guide by the central unit's analyst (partners read it too);
- a TLP:GREEN modus-operandi sheet by FR's NCB on NoctuaLocker, linked to the demo's Purple
  Notice when it exists, with its ATT&CK techniques;
- a TLP:AMBER guide of DE's cybercrime unit, for Germany alone;
- three courses and sessions in four regions over two years, with participants by country.

An article is found again by its title, a course by its title, a session by its course, host
and start; only what is missing is made.
"""

import uuid
from collections.abc import Callable
from datetime import date, timedelta

from casebridge.capacity import service
from casebridge.capacity.model import ArticleKind
from casebridge.identity import service as identity
from casebridge.kernel.marking import Tlp
from casebridge.notices import service as notices
from casebridge.notices.criteria import NoticeKind
from casebridge.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
RECORDER = "gs.coordinator"  # the central unit records the training it runs

GUIDE = """# Preserving volatile evidence on a live host
Capture memory before anything else: the encryption keys of many ransomware families live
only in memory.

1. Isolate the host from the network, but do not power it off.
2. Capture memory with a tool your laboratory has validated.
3. Record hashes of every image, and who held it (chain of custody).

## Then
- Ask the hosting provider to preserve logs (a preservation request).
- Share the indicators through a Purple Notice when the modus operandi is new.
"""

NOCTUA = """# NoctuaLocker affiliates: from a phishing mail to encryption
Affiliates send a fake software update to hospital and municipal staff, or log in with stolen
VPN accounts. Files are exfiltrated over HTTPS to cloud storage before encryption of Windows
and ESXi hosts; the ransom note threatens publication.

## What to look for
- Mail attachments named like vendor updates
- VPN logins from unusual countries outside office hours
- Large HTTPS uploads to cloud storage at night
"""

DE_GUIDE = """# Requests to German hosting providers
Preservation orders go through the Bundeskriminalamt's 24/7 contact point; production of
content needs a court order under the StPO.
"""

COURSES = (
    ("Ransomware first response", "ransomware", "Central unit Cyber Academy"),
    ("Tracing virtual assets", "virtual assets", "Central unit Cyber Academy"),
    ("Digital evidence for prosecutors", "digital evidence", "Council of Europe C-PROC"),
)
# course index, host, days ago, days long, venue ("" online), participants' countries
SESSIONS = (
    (0, "FR", 400, 3, "Lyon", ("FR", "DE", "NL", "GB", "NG")),
    (0, "NG", 300, 4, "Abuja", ("NG", "NG", "NG", "GB", "US")),
    (1, "SG", 200, 3, "Singapore", ("SG", "SG", "KR", "KR", "US", "BR")),
    (1, "US", 60, 2, "", ("US", "BR", "BR", "FR", "DE", "SG", "NG")),
    (2, "BR", 30, 5, "Brasília", ("BR", "BR", "BR", "US")),
)


def _noctua_notice(uow: UowFactory) -> uuid.UUID | None:
    """The demo's Purple Notice on NoctuaLocker, as FR's NCB sees it (None if absent)."""
    fr = identity.actor_for(uow(), "fr.officer")
    found = notices.list_notices(uow(), fr, kinds=[NoticeKind.PURPLE])
    return next((n.id for n in found if "noctua" in n.title.lower()), None)


def _articles(uow: UowFactory) -> list[uuid.UUID]:
    reviewer = identity.actor_for(uow(), "gs.reviewer")  # reads every article, to find them
    existing = {a.title: a.id for a in service.list_articles(uow(), reviewer)}
    noctua = _noctua_notice(uow)
    wanted = (
        (
            "gs.analyst",
            service.NewArticle(
                ArticleKind.GUIDE,
                "Preserving volatile evidence on a live host",
                GUIDE,
                Tlp.CLEAR,
                ("T1486", "T1490"),
            ),
        ),
        (
            "fr.officer",
            service.NewArticle(
                ArticleKind.MODUS_OPERANDI,
                "NoctuaLocker affiliates: from a phishing mail to encryption",
                NOCTUA,
                Tlp.GREEN,
                ("T1566.001", "T1078", "T1567.002", "T1486"),
                (noctua,) if noctua else (),
            ),
        ),
        (
            "de.investigator",
            service.NewArticle(
                ArticleKind.GUIDE, "Requests to German hosting providers", DE_GUIDE, Tlp.AMBER
            ),
        ),
    )
    ids = []
    for author, command in wanted:
        if command.title in existing:
            ids.append(existing[command.title])
            continue
        actor = identity.actor_for(uow(), author)
        ids.append(service.write_article(uow(), actor, command).id)
    return ids


def _training(uow: UowFactory) -> None:
    actor = identity.actor_for(uow(), RECORDER)
    today = uow().clock().date()
    courses = {c.title: c.id for c in service.list_courses(uow(), actor)}
    for title, topic, provider in COURSES:
        if title not in courses:
            made = service.create_course(uow(), actor, service.NewCourse(title, topic, provider))
            courses[title] = made.id
    held = {
        (v.session.course_id, v.session.host_country, v.session.starts_on)
        for v in service.list_sessions(uow(), actor)
    }
    for index, host, days_ago, days, venue, countries in SESSIONS:
        course_id = courses[COURSES[index][0]]
        starts: date = today - timedelta(days=days_ago)
        if (course_id, host, starts) in held:
            continue
        command = service.NewSession(
            course_id, starts, starts + timedelta(days=days - 1), host, venue, online=not venue
        )
        session = service.schedule_session(uow(), actor, command)
        for i, country in enumerate(countries):
            person = service.NewParticipant(
                f"Trainee {country}-{i + 1}", country, f"National police ({country})"
            )
            service.add_participant(uow(), actor, session.id, person)


def build_demo_capacity(uow_factory: UowFactory) -> list[uuid.UUID]:
    """Create (or complete) the demo library and training records; returns the articles' ids.
    Needs the demo world's users (gs.analyst, gs.reviewer, gs.coordinator, fr.officer,
    de.investigator); run it after `build_demo_notices` so the MO sheet links the Purple
    Notice."""
    ids = _articles(uow_factory)
    _training(uow_factory)
    return ids
