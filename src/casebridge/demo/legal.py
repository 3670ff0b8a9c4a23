"""The demo's legal requests (issue 5), made through the real request services (idempotent).

Two accepted demo cases carry them, each step taken by the demo user who would take it:

1. NoctuaLocker (FR): files stolen from a French hospital sit on a server rented from a cloud
   provider in Virginia. FR's 24/7 point of contact alerts the US one (acknowledged within
   minutes), then sends a preservation request (Budapest Art. 29); the US preserves the data
   for 90 days (18 U.S.C. § 2703(f)) and extends them once. FR's central authority sends the
   MLA request that follows it up; the US central authority acknowledges it two weeks later,
   asks what a US judge needs for a search warrant, gets the answer, and the request is **in
   execution**, with messages on either side about returning the access logs first.
2. Kestrel Bazaar (DE): the market's administrator, wanted on the Frankfurt arrest warrant of
   the case file, is found in Seoul. NCB Wiesbaden asks for his provisional arrest through
   INTERPOL; KR arrests him, which starts the 40-day window of the European Convention on
   Extradition (ETS 24 Art. 16(4)); DE's central authority sends the formal request twelve days
   later, and the **extradition hearing** is open before the Seoul High Court.

The Harbourline case (NG) names a provisional arrest too, but it is still under review, and a
case takes requests only once accepted.

Every move is dated in the past, counted back from the platform clock's today: each step runs
in a unit of work whose clock stands at the step's instant (`uow_at`), at office hours of the
acting side (the 24/7 network answers at night). A request is found again by its case, type
and title, and a step is played only if the request does not yet record it (each step records
exactly one move, message or file): running the demo twice changes nothing, and a run that
stopped half-way resumes.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from casebridge.cases.model import Case, CaseStatus
from casebridge.demo.cases import CaseFileTools
from casebridge.identity import service as identity
from casebridge.kernel.actor import Actor
from casebridge.kernel.clock import Clock, FrozenClock
from casebridge.legal import request_service
from casebridge.legal import service as legal
from casebridge.legal.model import (
    Action,
    Channel,
    ExtraditionContents,
    LegalRequest,
    Measure,
    MlaContents,
    MoveParams,
    PreservationContents,
)
from casebridge.legal.request_service import NewRequest
from casebridge.legal.terms import Conduct, RequestType
from casebridge.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
UowAtFactory = Callable[[Clock], UnitOfWork]  # a unit of work whose clock is the one given

PARIS, NEW_YORK = "Europe/Paris", "America/New_York"
BERLIN, SEOUL = "Europe/Berlin", "Asia/Seoul"
US_PRESERVATION_DAYS = 90  # 18 U.S.C. § 2703(f)(2): 90 days, renewed once for 90 more
ETS_24_WINDOW_DAYS = 40  # ETS 24 Art. 16(4); as the reference data's ETS-024 says
MLA_RESPONSE_DAYS = 120  # what FR asks for: hospitals' patients wait to be told
MAX_FILE = 1 << 20
RANSOM_CONDUCT = (
    Conduct.ILLEGAL_ACCESS,
    Conduct.DATA_INTERFERENCE,
    Conduct.SYSTEM_INTERFERENCE,
    Conduct.EXTORTION,
)
MARKET_CONDUCT = (
    Conduct.MISUSE_OF_DEVICES,
    Conduct.COMPUTER_FORGERY,
    Conduct.COMPUTER_FRAUD,
    Conduct.MONEY_LAUNDERING,
)
SERVER = "198.51.100.61"


# -- what a demo request is made of -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Move:
    at: datetime
    by: str
    action: Action
    note: str = ""
    params: MoveParams | None = None


@dataclass(frozen=True, slots=True)
class Message:
    at: datetime
    by: str
    body: str


@dataclass(frozen=True, slots=True)
class Document:
    at: datetime
    by: str
    file_name: str
    description: str
    text: str


Step = Move | Message | Document


@dataclass(frozen=True, slots=True)
class DemoRequest:
    drafter: str
    drafted_at: datetime
    new: NewRequest
    steps: tuple[Step, ...]  # in time order, each after the previous


@dataclass(frozen=True, slots=True)
class Urgent:
    """A 24/7 message (Budapest Art. 35) and its acknowledgement."""

    sender: str
    to_country: str
    subject: str
    body: str
    sent_at: datetime
    acknowledged_by: str
    acknowledged_after: timedelta


# -- playing them ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Player:
    uow: UowFactory
    uow_at: UowAtFactory
    tools: CaseFileTools

    def at(self, moment: datetime) -> UnitOfWork:
        return self.uow_at(FrozenClock(moment))

    def actor(self, username: str) -> Actor:
        return identity.actor_for(self.uow(), username)

    def request(self, case: Case, demo: DemoRequest) -> LegalRequest:
        """The request drafted (unless found) and moved as far as its script goes."""
        drafter = self.actor(demo.drafter)
        found = request_service.list_requests(self.uow(), drafter, case.id, demo.new.type)
        request = next((r for r in found if r.title == demo.new.title), None)
        if request is None:
            request = request_service.draft_request(
                self.at(demo.drafted_at), drafter, case.id, demo.new
            )
        view = request_service.get_request(self.uow(), drafter, request.id)
        recorded = len(view.transitions) + len(view.messages) + len(view.documents)
        for step in demo.steps[recorded:]:
            self._play(request.id, step)
        return request_service.get_request(self.uow(), drafter, request.id).request

    def _play(self, request_id: uuid.UUID, step: Step) -> None:
        uow, actor = self.at(step.at), self.actor(step.by)
        match step:
            case Move():
                request_service.move(
                    uow, self.tools.creds, actor, request_id, step.action, step.note, step.params
                )
            case Message():
                request_service.send_message(uow, self.tools.creds, actor, request_id, step.body)
            case Document():
                request_service.attach_document(
                    uow,
                    self.tools.blobs,
                    actor,
                    request_id,
                    [step.text.encode()],
                    step.file_name,
                    "text/plain",
                    step.description,
                    MAX_FILE,
                )

    def urgent(self, case: Case, message: Urgent) -> None:
        """Sent (unless found by its subject) and acknowledged."""
        sender = self.actor(message.sender)
        sent = next(
            (m for m in legal.urgent_messages(self.uow(), sender) if m.subject == message.subject),
            None,
        )
        if sent is None:
            sent = legal.send_urgent(
                self.at(message.sent_at),
                sender,
                message.to_country,
                message.subject,
                message.body,
                case.id,
            )
        if sent.acknowledged_at is None:
            receiver = self.actor(message.acknowledged_by)
            acknowledged_at = sent.sent_at + message.acknowledged_after
            legal.acknowledge_urgent(self.at(acknowledged_at), receiver, sent.id)


def build_demo_requests(
    uow: UowFactory, uow_at: UowAtFactory, tools: CaseFileTools, cases: list[Case]
) -> list[LegalRequest]:
    """Create (or complete) the demo requests on the accepted demo cases; returns them."""
    today = uow().clock().date()
    player = _Player(uow, uow_at, tools)
    built: list[LegalRequest] = []
    if (noctua := _accepted(cases, "NoctuaLocker")) is not None:
        player.urgent(noctua, _noctua_alert(today))
        mla = player.request(noctua, _noctua_mla(today))
        built += [player.request(noctua, _noctua_preservation(today, mla.id)), mla]
    if (kestrel := _accepted(cases, "Kestrel Bazaar")) is not None:
        built.append(player.request(kestrel, _kessler_extradition(today)))
    return built


def _accepted(cases: list[Case], title_start: str) -> Case | None:
    return next(
        (
            c
            for c in cases
            if c.content.title.startswith(title_start) and c.status is CaseStatus.ACCEPTED
        ),
        None,
    )


def _at(today: date, days_ago: int, clock_time: str, time_zone: str) -> datetime:
    """The instant `days_ago` days before today at a local time of the zone, in UTC."""
    local = datetime.combine(
        today - timedelta(days=days_ago), time.fromisoformat(clock_time), ZoneInfo(time_zone)
    )
    return local.astimezone(UTC)


def _day(today: date, days_ago: int) -> str:
    return f"{today - timedelta(days=days_ago):%d %B %Y}"


# -- 1. NoctuaLocker (FR): preservation, then MLA, at a US cloud provider ------------------------

# Days before today: the hospital attacked, the 24/7 alert and preservation, the MLA request.
ATTACKED, PRESERVATION_SENT, MLA_SENT = 99, 96, 60


def _noctua_facts(today: date) -> str:
    return (
        "NoctuaLocker is a ransomware-as-a-service operation that has attacked 23 hospitals, "
        "municipalities and companies in eight countries since "
        f"{today - timedelta(days=560):%B %Y}. On {_day(today, ATTACKED)} an affiliate logged "
        "in to the VPN of the Centre hospitalier de Val-de-Sèvre (France) with credentials "
        "bought from infostealer logs, copied patient and staff files to a rented server, then "
        "encrypted the hospital's servers. Its emergency department turned ambulances away for "
        "four days, and patients have received e-mails demanding payment to keep their records "
        "unpublished."
    )


def _noctua_alert(today: date) -> Urgent:
    return Urgent(
        sender="fr.investigator",
        to_country="US",
        subject=f"Urgent preservation: ransomware exfiltration server {SERVER} (Ashburn, VA)",
        body=(
            "French 24/7 point of contact. Patient files stolen from a French hospital in a "
            f"NoctuaLocker ransomware attack on {_day(today, ATTACKED)} were copied to {SERVER}, "
            "a server of Hollowbrook Cloud Inc. (Ashburn, Virginia). The affiliate wipes its "
            "servers within days of an attack. Please ask the provider to preserve the server "
            "and its logs now; our preservation request (Budapest Art. 29) follows on the "
            "platform this morning, and a request for mutual assistance will follow it."
        ),
        sent_at=_at(today, PRESERVATION_SENT, "09:12", PARIS),
        acknowledged_by="us.prosecutor",  # the US 24/7 point of contact sits in the DOJ (CCIPS)
        acknowledged_after=timedelta(minutes=7),  # night-time in Washington: it is 24/7
    )


def _noctua_preservation(today: date, mla_id: uuid.UUID) -> DemoRequest:
    preserved, extended = PRESERVATION_SENT - 1, 68
    ends = preserved - US_PRESERVATION_DAYS  # the first period ends this many days ago
    contents = PreservationContents(
        authority=(
            "Parquet de Paris, cybercrime section (J3), preliminary investigation "
            f"J3-{(today - timedelta(days=PRESERVATION_SENT)).year}-0917, "
            "conducted by the National Cybercrime Unit (Capitaine Hélène Garnier); sent by the "
            "French 24/7 point of contact (Budapest Art. 35)."
        ),
        conduct=RANSOM_CONDUCT,
        facts=_noctua_facts(today),
        data=(
            f"For the virtual server with the IPv4 address {SERVER}: (1) its stored content "
            "(a snapshot of its disks), including the files uploaded to it; (2) the subscriber, "
            "account and payment records of the customer renting it; (3) the connection and "
            "control-panel access logs (source IP addresses and times in UTC) and the network "
            f"flow records of the server, from {_day(today, 130)} to the day of preservation."
        ),
        data_relation=(
            "The hospital's firewall logs show about 2.1 TB leaving its file server for "
            f"{SERVER} by SFTP on {_day(today, ATTACKED)} between 01:12 and 04:47 UTC, two "
            "hours before the encryption; the same address is in the rclone configuration the "
            "affiliate left on the hospital's server. The server holds the stolen files, and "
            "its access logs may show where the affiliate connected from."
        ),
        custodian=(
            "Hollowbrook Cloud Inc., Ashburn, Virginia, United States, which announces "
            "198.51.100.0/24 (AS64501); the address resolves to vm-51842.hollowbrook-cloud."
            "example. Law-enforcement contact: legal@hollowbrook-cloud.example."
        ),
        necessity=(
            "The provider deletes an instance and its logs 30 days after the account is closed "
            "or unpaid, and this affiliate has wiped and abandoned its servers within days of "
            "each attack: without preservation the data will be gone before a request for "
            "mutual assistance can be executed. The files are also needed to tell the patients "
            "whose records were stolen."
        ),
        mla_intended=True,
    )
    return DemoRequest(
        drafter="fr.investigator",
        drafted_at=_at(today, PRESERVATION_SENT, "10:55", PARIS),
        new=NewRequest(
            type=RequestType.PRESERVATION,
            requested_country="US",
            title=f"Preservation of the NoctuaLocker exfiltration server {SERVER}",
            contents=contents,
        ),
        steps=(
            Move(
                _at(today, PRESERVATION_SENT, "11:20", PARIS),
                "fr.investigator",
                Action.SEND,
                "Announced on the 24/7 network at 09:12; the provider is expecting the letter.",
            ),
            Move(
                _at(today, preserved, "10:40", NEW_YORK),
                "us.prosecutor",
                Action.PRESERVE,
                "Preservation letter under 18 U.S.C. § 2703(f) served on Hollowbrook Cloud Inc.: "
                "the provider has taken a snapshot of instance vm-51842 and frozen the account, "
                "payment and access records, and has been asked not to tell its customer. "
                f"Preserved for {US_PRESERVATION_DAYS} days.",
                {"days": US_PRESERVATION_DAYS},
            ),
            Message(
                _at(today, 70, "16:30", PARIS),
                "fr.investigator",
                "Our request for mutual assistance is with the investigating judge and the "
                "Ministry of Justice for translation. The preservation ends on "
                f"{_day(today, ends)}: could it be extended by {US_PRESERVATION_DAYS} days?",
            ),
            Move(
                _at(today, extended, "09:50", NEW_YORK),
                "us.prosecutor",
                Action.EXTEND,
                "Renewed request under 18 U.S.C. § 2703(f)(2) served; the provider confirms it "
                f"keeps the data for {US_PRESERVATION_DAYS} more days.",
                {"days": US_PRESERVATION_DAYS},
            ),
            Move(
                _at(today, MLA_SENT, "11:10", PARIS),
                "fr.investigator",
                Action.FOLLOW_UP,
                "The Ministry of Justice (BEPI) sent our request for mutual assistance for these "
                "data to the U.S. Department of Justice (OIA) this morning.",
                {"mla_request": mla_id},
            ),
        ),
    )


def _noctua_mla(today: date) -> DemoRequest:
    opened = today - timedelta(days=75)
    contents = MlaContents(
        measures=frozenset({Measure.STORED_DATA, Measure.RECORDS}),
        conduct=RANSOM_CONDUCT,
        facts=(
            f"{_noctua_facts(today)}\n\n"
            f"On {opened:%d %B %Y} the investigating judge of the Tribunal judiciaire de Paris "
            f"(pôle cybercriminalité) opened a judicial investigation, no. {opened.year}/00412, "
            "into unauthorised access to, and interference with, automated data processing "
            "systems and their data (Code pénal arts. 323-1 to 323-3) and extortion (art. "
            f"312-1). The stolen files were copied to {SERVER}, a server of Hollowbrook Cloud "
            "Inc. (Ashburn, Virginia), whose data the United States preserved at France's "
            f"request of {_day(today, PRESERVATION_SENT)} and kept for a further 90 days on "
            f"{_day(today, 68)}.\n\n"
            "France asks the United States to obtain from Hollowbrook Cloud Inc. and return: "
            "(a) the subscriber, account and payment records of the customer renting the "
            f"server; (b) its access and control-panel logs from {_day(today, 130)} to the "
            "preservation; (c) a forensic copy of its stored content; with a certificate of "
            "authenticity of the business records. The access logs are the most urgent: they "
            "may identify the affiliate 'sable_wing'."
        ),
        legal_basis=(
            "Treaty on Mutual Legal Assistance in Criminal Matters between France and the "
            "United States of America (Paris, 10 December 1998); Budapest Convention Arts. 25 "
            "and 31. It follows up France's preservation request of "
            f"{_day(today, PRESERVATION_SENT)} (Budapest Art. 29(2)(f))."
        ),
        response_expected_by=today + timedelta(days=MLA_RESPONSE_DAYS - MLA_SENT),
    )
    letter = (
        "COMMISSION ROGATOIRE INTERNATIONALE - LETTER OF REQUEST (English translation)\n"
        f"Tribunal judiciaire de Paris, judicial investigation no. {opened.year}/00412\n"
        "To: the competent judicial authorities of the United States of America\n\n"
        f"Requested: records, logs and stored content of the server {SERVER}\n"
        "(Hollowbrook Cloud Inc., Ashburn, Virginia), preserved at France's request.\n"
        "Annexes: 1. statement of facts; 2. Code pénal arts. 323-1 to 323-3 and 312-1;\n"
        "3. SHA-256 list of the hospital files published on the leak site.\n"
    )
    return DemoRequest(
        drafter="fr.prosecutor",
        drafted_at=_at(today, 64, "15:00", PARIS),
        new=NewRequest(
            type=RequestType.MLA,
            requested_country="US",
            title=f"NoctuaLocker: records, logs and stored content of the server {SERVER}",
            contents=contents,
        ),
        steps=(
            Document(
                _at(today, 64, "15:20", PARIS),
                "fr.prosecutor",
                "letter-of-request-noctualocker-en.txt",
                "Letter of request of the investigating judge, English translation",
                letter,
            ),
            Move(
                _at(today, MLA_SENT, "10:30", PARIS),
                "fr.authority",
                Action.SEND,
                "Transmitted by the Bureau de l'entraide pénale internationale to the U.S. "
                "Department of Justice, Office of International Affairs, with the translation.",
            ),
            Move(
                _at(today, MLA_SENT - 14, "11:00", NEW_YORK),
                "us.authority",
                Action.ACKNOWLEDGE,
                "Received by OIA (file 182-17-4412) and assigned to the U.S. Attorney's Office "
                "for the Eastern District of Virginia.",
            ),
            Move(
                _at(today, 41, "15:10", NEW_YORK),
                "us.authority",
                Action.ASK_CLARIFICATION,
                "To apply for a search warrant for the stored content (18 U.S.C. § 2703(a)) the "
                "U.S. Attorney must show probable cause. Please state: (1) how the transfer "
                f"from the hospital was linked to {SERVER} (logs, times in UTC, volume, "
                "protocol); (2) whether files of the hospital appeared on the leak site; (3) the "
                "exact period for the access logs.",
            ),
            Message(
                _at(today, 38, "10:05", PARIS),
                "fr.prosecutor",
                "Noted. The hospital's firewall export and the leak-site captures are being "
                "certified by our expert; the answer will follow through the central authority "
                "this week.",
            ),
            Move(
                _at(today, 33, "17:40", PARIS),
                "fr.authority",
                Action.CLARIFY,
                "(1) The firewall logs show 2.1 TB leaving the hospital's file server for "
                f"{SERVER} by SFTP (TCP 22) on {_day(today, ATTACKED)} from 01:12 to 04:47 "
                "UTC; the address is in the rclone configuration found on that server. (2) "
                f"1,214 patient files published on the leak site on {_day(today, 88)} match "
                "files of the hospital (SHA-256 list in annex 3). (3) From "
                f"{_day(today, 130)} to the preservation on {_day(today, PRESERVATION_SENT - 1)}.",
            ),
            Move(
                _at(today, 27, "14:30", NEW_YORK),
                "us.prosecutor",
                Action.START_EXECUTION,
                f"Search warrant issued on {_day(today, 28)} by a U.S. Magistrate Judge of the "
                "Eastern District of Virginia and served on Hollowbrook Cloud Inc. with a "
                "non-disclosure order (18 U.S.C. § 2705(b)); production due within 14 days.",
            ),
            Message(
                _at(today, 12, "16:00", NEW_YORK),
                "us.prosecutor",
                "The provider has produced the subscriber and payment records, 14 months of "
                "access logs and a 1.9 TB disk snapshot. The FBI is verifying the hashes; the "
                "results will be returned through OIA.",
            ),
            Message(
                _at(today, 11, "09:30", PARIS),
                "fr.investigator",
                "Thank you. Could the access logs be returned first? They may show the "
                "affiliate's VPN exit before he changes it; the disk image can follow.",
            ),
            Message(
                _at(today, 7, "11:15", NEW_YORK),
                "us.authority",
                "Agreed: OIA will return the records and access logs as a first partial "
                "execution once the FBI's chain-of-custody statement is signed; the snapshot "
                "will follow on encrypted media.",
            ),
        ),
    )


# -- 2. Kestrel Bazaar (DE): extradition from KR after a provisional arrest -----------------------

WARRANT, ARRESTED = 38, 21  # days before today


def _kessler_extradition(today: date) -> DemoRequest:
    warrant_day = today - timedelta(days=WARRANT)
    warrant = f"931 Gs 1152/{warrant_day.year % 100:02d}"  # as in the case file
    contents = ExtraditionContents(
        conduct=MARKET_CONDUCT,
        facts=(
            "Maximilian Jonas KESSLER is the lead administrator 'Falke' of the Tor marketplace "
            f"Kestrel Bazaar, online since {today - timedelta(days=610):%B %Y}, which sold "
            "stolen payment-card data, infostealer logs, access to compromised company "
            "networks, malware builders and forged identity documents to about 41,000 buyers. "
            "He ran its escrow and kept a commission of 4 to 6 percent on every sale (turnover "
            "estimated at EUR 38 million), paid out monthly to his wallet and cashed out "
            "through an exchange in the United States. He was identified through a reused PGP "
            "key and an e-mail address in a leaked forum database.\n\n"
            "He left Germany before his home in Frankfurt am Main was searched on "
            f"{_day(today, 41)}. On {_day(today, 25)} the NCB Seoul reported that he had "
            "entered the Republic of Korea at Incheon International Airport on his German "
            "passport, in answer to the INTERPOL diffusion NCB Wiesbaden issued on "
            f"{_day(today, WARRANT - 1)}. Germany asks for his provisional arrest; the formal "
            "request for his extradition will follow within the Convention's time limits."
        ),
        legal_basis=(
            "European Convention on Extradition of 13 December 1957 (ETS No. 24), Arts. 1, 2 "
            "and 12, in force between Germany and the Republic of Korea since 28 December "
            "2011; provisional arrest under Art. 16."
        ),
        warrant=(
            f"Arrest warrant (Haftbefehl) {warrant} of the Amtsgericht Frankfurt am Main, "
            f"investigating judge, of {warrant_day:%d %B %Y}, issued on the application of the "
            "Generalstaatsanwaltschaft Frankfurt am Main - Zentralstelle zur Bekämpfung der "
            "Internetkriminalität (ZIT), for computer fraud on a commercial basis and as a "
            "member of a gang (StGB § 263a(2) with § 263(5): up to ten years' imprisonment), "
            "forgery of data intended to provide proof (§ 269), preparing the spying out of "
            "data (§ 202c) and money laundering (§ 261)."
        ),
        channel=Channel.INTERPOL,
    )
    summary = (
        "REQUEST FOR EXTRADITION - Maximilian Jonas KESSLER (born 17 April 1993)\n"
        "The Federal Republic of Germany to the Republic of Korea (ETS No. 24, Art. 12)\n\n"
        f"Enclosures: arrest warrant {warrant} of the Amtsgericht Frankfurt am Main;\n"
        "statement of the offences with times, places and his part in them; text of StGB\n"
        "§§ 202c, 261, 263, 263a and 269 and of the limitation rules; description and\n"
        "photograph of the person. Certified Korean translations of every document.\n"
    )
    return DemoRequest(
        drafter="de.officer",
        drafted_at=_at(today, 24, "08:30", BERLIN),
        new=NewRequest(
            type=RequestType.EXTRADITION,
            requested_country="KR",
            title="Extradition of Maximilian KESSLER ('Falke') from the Republic of Korea",
            contents=contents,
            subject_person="KESSLER, Maximilian Jonas (born 17 April 1993, German national)",
        ),
        steps=(
            Move(
                _at(today, 24, "08:50", BERLIN),
                "de.officer",
                Action.REQUEST_PROVISIONAL_ARREST,
                "Sent through INTERPOL from NCB Wiesbaden to NCB Seoul (ETS 24 Art. 16(3)).",
            ),
            Move(
                _at(today, ARRESTED, "07:45", SEOUL),
                "kr.officer",
                Action.ARREST,
                "Arrested at his rented flat in Mapo-gu, Seoul, by the Korean National Police "
                "Agency on a provisional arrest warrant of the Seoul High Court; held at the "
                "Seoul Detention Center. The formal request must reach the Ministry of Justice "
                f"within {ETS_24_WINDOW_DAYS} days of the arrest (ETS 24 Art. 16(4)).",
                {"days": ETS_24_WINDOW_DAYS},
            ),
            Message(
                _at(today, ARRESTED - 1, "10:00", SEOUL),
                "kr.officer",
                "Mr KESSLER does not consent to his extradition and has retained counsel. "
                "Please send the formal request with Korean translations of the warrant and of "
                "the provisions applied to our Ministry of Justice, with an advance copy here.",
            ),
            Message(
                _at(today, 17, "14:20", BERLIN),
                "de.authority",
                "The Federal Office of Justice has approved the request and ordered certified "
                "Korean translations; the formal request will be sent within two weeks.",
            ),
            Document(
                _at(today, 9, "10:00", BERLIN),
                "de.authority",
                "extradition-request-kessler-summary-en.txt",
                "Formal extradition request: cover note and list of enclosures (advance copy)",
                summary,
            ),
            Move(
                _at(today, 9, "10:15", BERLIN),
                "de.authority",
                Action.SEND_FORMAL_REQUEST,
                "Formal request of the Federal Government sent through the German Embassy in "
                "Seoul with the warrant, the statement of the offences and the provisions "
                "applied, all with certified Korean translations (ETS 24 Art. 12).",
            ),
            Move(
                _at(today, 4, "16:00", SEOUL),
                "kr.prosecutor",
                Action.OPEN_HEARING,
                "The Seoul High Prosecutors' Office has applied to the Seoul High Court for its "
                "review of the extradition; the court has opened the case, and Mr KESSLER "
                "remains in custody until it decides.",
            ),
        ),
    )
