"""The demo's case studies (DOMAIN.md §10), built through the real case services (idempotent).

Four cases, each acted out by the demo users who would handle it in production:

1. DE's National Cybercrime Unit asks for help taking down the "Kestrel Bazaar" darknet market
   (TLP:AMBER to DE, US, NL, FR, GB). The administrators' "political" self-description trips the
   Article 3 screening, so two reviewers (`gs.reviewer`, `gs.reviewer2`) accept it after the
   predominance test; DE then invites US and NL.
2. FR's National Cybercrime Unit reports the "NoctuaLocker" ransomware network (victims in eight
   countries); accepted, then widened to TLP:GREEN so every member country can check its own
   victims against the indicators.
3. NCB NG asks for the provisional arrest, pending extradition, of the organiser of a BEC and
   money-mule syndicate; submitted and still waiting for review.
4. NCB BR asks for data preservation in an investment-fraud case without naming the custodian;
   `gs.reviewer` returns it for more information (Budapest Art. 29(2)).

People, companies, wallets, accounts and numbers are fictitious but well formed: bech32 and
monero addresses with valid checksums, EIP-55 addresses, IBANs with correct check digits,
Ofcom drama and 555-01xx phone numbers, RFC 5737/3849 documentation addresses and `.example`
domains. Dates are counted back from the platform clock's today, so none is ever in the future.

A case is found again by its owner and title: running the demo twice changes nothing, and a run
that stopped half-way resumes (a draft is submitted, missing decisions and invitations are made).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from casebridge.cases import service
from casebridge.cases.model import (
    Case,
    CaseContent,
    CaseStatus,
    Decision,
    IdentityDocument,
    Indicator,
    InvestigativeReport,
    LegalDocument,
    Money,
    OnlineHandle,
    Organisation,
    PartialDate,
    Person,
)
from casebridge.cases.ports import CaseFilter
from casebridge.cases.service import Sharing
from casebridge.cases.taxonomy import (
    Assistance,
    FraudType,
    IncidentClass,
    IndicatorType,
    LegalDocumentKind,
    Offence,
    OrganisationKind,
    PartyRole,
    Sex,
    Urgency,
)
from casebridge.collaboration import service as collaboration
from casebridge.evidence import service as evidence
from casebridge.evidence.blobs import BlobStore
from casebridge.evidence.model import Acquisition
from casebridge.identity import service as identity
from casebridge.identity.credentials import Credentials
from casebridge.kernel.actor import Actor
from casebridge.kernel.marking import Tlp
from casebridge.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
I = IndicatorType  # noqa: E741 - the indicator lists below read better short
SUSPECT, VICTIM, WITNESS = PartyRole.SUSPECT, PartyRole.VICTIM, PartyRole.WITNESS


@dataclass(frozen=True, slots=True)
class ReviewStep:
    reviewer: str
    decision: Decision
    reasons: str
    rule: str


@dataclass(frozen=True, slots=True)
class DemoCase:
    owner: str  # the demo user who drafts and submits it
    content: CaseContent
    sharing: Sharing
    reviews: tuple[ReviewStep, ...] = ()  # applied in order while the case awaits review
    widen_to: Sharing | None = None  # the owner's new restrictions once accepted
    invite: tuple[str, ...] = ()  # countries the owner invites once accepted
    evidence: tuple[tuple[str, str, str], ...] = ()  # (file name, description, content)
    messages: tuple[tuple[str, str], ...] = ()  # (sender, text) once the case file opens


@dataclass(frozen=True, slots=True)
class CaseFileTools:
    """What uploading evidence and signing messages need beyond a unit of work."""

    blobs: BlobStore
    creds: Credentials


def build_demo_cases(uow: UowFactory, tools: CaseFileTools) -> list[Case]:
    """Create (or complete) the demo cases; returns them in their final state."""
    today = uow().clock().date()
    built = [_build(uow, demo) for demo in demo_cases(today)]
    for demo, case in zip(demo_cases(today), built, strict=True):
        if case.status is CaseStatus.ACCEPTED:
            _fill_case_file(uow, tools, demo, case)
    return built


def _fill_case_file(uow: UowFactory, tools: CaseFileTools, demo: DemoCase, case: Case) -> None:
    """Evidence from the owner and the first messages, unless the case file already has them."""
    owner = identity.actor_for(uow(), demo.owner)
    if not evidence.list_evidence(uow(), owner, case.id):
        for name, description, text in demo.evidence:
            acquisition = Acquisition(
                acquired_by=f"{owner.username} ({owner.country})",
                acquired_at=case.submitted_at or case.created_at,
                method="exported from the seized system, hashed at acquisition",
                legal_basis="the warrants attached to the case",
            )
            upload = evidence.Upload(name, "text/plain", description, acquisition, "demo")
            evidence.upload(uow(), tools.blobs, owner, case.id, [text.encode()], upload, 1 << 20)
    if not collaboration.read_messages(uow(), owner, case.id):
        for sender, text in demo.messages:
            actor = identity.actor_for(uow(), sender)
            collaboration.send_message(uow(), tools.creds, actor, case.id, text)


def _build(uow: UowFactory, demo: DemoCase) -> Case:
    owner = identity.actor_for(uow(), demo.owner)
    case = _find(uow, owner, demo.content.title)
    if case is None:
        case = service.create_draft(uow(), owner, demo.content, demo.sharing)
    if case.status is CaseStatus.DRAFT:
        case, _ = service.submit_case(uow(), owner, case.id)
    view = service.get_case(uow(), owner, case.id)
    for step in demo.reviews[len(view.reviews) :]:
        if case.status is not CaseStatus.UNDER_REVIEW:
            break
        reviewer = identity.actor_for(uow(), step.reviewer)
        case = service.decide_case(uow(), reviewer, case.id, step.decision, step.reasons, step.rule)
    if case.status is CaseStatus.ACCEPTED:
        # Widen first: a new Sharing replaces the lists that invitations extend.
        if demo.widen_to is not None and view.marking.tlp is not demo.widen_to.tlp:
            service.change_sharing(uow(), owner, case.id, demo.widen_to)
        for country in demo.invite:
            if country not in view.participants:
                service.invite_country(uow(), owner, case.id, country)
    return case


def _find(uow: UowFactory, owner: Actor, title: str) -> Case | None:
    """The owner agency's case with exactly this title, if it exists (it always sees its own)."""
    found, _ = service.list_cases(uow(), owner, CaseFilter(text=title), None, 50)
    return next(
        (c for c in found if c.content.title == title and c.owner_agency == owner.agency_id),
        None,
    )


def demo_cases(today: date) -> list[DemoCase]:
    """The four case studies, dated relative to `today`."""
    return [_darknet(today), _ransomware(today), _fraud_syndicate(today), _investment(today)]


def _ago(today: date, days: int) -> date:
    return today - timedelta(days=days)


def _ind(kind: IndicatorType, value: str, description: str = "") -> Indicator:
    return Indicator(kind, value, description)


# -- 1. darknet marketplace takedown (DE) ------------------------------------------------------


def _darknet(today: date) -> DemoCase:
    first, searched = _ago(today, 610), _ago(today, 41)
    content = CaseContent(
        title="Kestrel Bazaar darknet marketplace: takedown and identification of administrators",
        narrative=(
            f"Kestrel Bazaar is a Tor marketplace online since {first:%B %Y} with about 41,000 "
            "buyer accounts and 620 vendors. It sells stolen payment-card data, infostealer "
            "logs, access to compromised company networks, malware builders and forged identity "
            "documents, alongside narcotics. Buyers pay in bitcoin or monero into a central "
            "escrow; the administrators keep a commission of 4 to 6 percent (estimated turnover "
            "EUR 38 million).\n\n"
            "The National Cybercrime Unit identified the lead administrator 'Falke' as "
            "Maximilian KESSLER (Frankfurt am Main) through a reused PGP key and an e-mail "
            "address found in a leaked forum database. The backend runs on two servers rented "
            "from Polderhost B.V. (NL) under false identities and paid in monero; a clearnet "
            "mirror list is hosted in the United States. In forum posts the administrators "
            "present the market as a 'political' project against financial surveillance; the "
            "seized chat logs show a purely commercial enterprise (commission accounting, "
            "monthly payouts to the administrators).\n\n"
            f"On {searched:%d %B %Y} two servers and a hardware wallet were seized at KESSLER's "
            "home under a search warrant; he was not there. DE asks NL to preserve and seize "
            "the backend servers, US to follow the cash-outs through Riverbend Digital Exchange "
            "and to take down the mirror list, FR and GB to identify the vendors 'NuitBlanche' "
            "and 'LogsKing', and every country concerned to locate KESSLER for his arrest."
        ),
        offences=frozenset(
            {
                Offence.MISUSE_OF_DEVICES,
                Offence.COMPUTER_FORGERY,
                Offence.COMPUTER_FRAUD,
                Offence.ATTEMPT_AIDING_ABETTING,
            }
        ),
        incident_class=IncidentClass.FRAUD,
        urgency=Urgency.URGENT,
        fraud_types=frozenset(
            {FraudType.DARKNET_MARKET, FraudType.INFOSTEALER, FraudType.MONEY_LAUNDERING}
        ),
        first_activity=first,
        last_activity=_ago(today, 3),
        countries_involved=frozenset({"DE", "US", "NL", "FR", "GB"}),
        assistance=frozenset(
            {
                Assistance.IDENTIFY,
                Assistance.LOCATE,
                Assistance.ARREST,
                Assistance.PRESERVE_DATA,
                Assistance.SEIZE_ASSETS,
                Assistance.TAKE_DOWN,
            }
        ),
        persons=(
            Person(
                SUSPECT,
                "Kessler",
                "Maximilian Jonas",
                aliases=("Falke", "Falkenauge"),
                birth_date=PartialDate(1993, 4, 17),
                nationalities=frozenset({"DE"}),
                sex=Sex.MALE,
                documents=(IdentityDocument("national_id", "L01X7HT42", "DE"),),
                handles=(
                    OnlineHandle("Kestrel Bazaar", "Falke"),
                    OnlineHandle("darknet forum", "Falkenauge"),
                ),
            ),
            Person(
                SUSPECT,
                "Verhoeven",
                "Joost",
                aliases=("moerbei",),
                birth_date=PartialDate(1990),
                nationalities=frozenset({"NL"}),
                sex=Sex.MALE,
                handles=(OnlineHandle("Kestrel Bazaar", "moerbei"),),
            ),
            Person(
                SUSPECT,
                "Pritchard",
                "Callum",
                aliases=("LogsKing",),
                birth_date=PartialDate(1998, 11),
                nationalities=frozenset({"GB"}),
                sex=Sex.MALE,
                handles=(OnlineHandle("Kestrel Bazaar", "LogsKing"),),
            ),
            Person(
                SUSPECT,
                "Unknown",
                aliases=("NuitBlanche",),
                handles=(OnlineHandle("Kestrel Bazaar", "NuitBlanche"),),
            ),
        ),
        organisations=(
            Organisation(
                "Polderhost B.V.", OrganisationKind.SERVICE_PROVIDER, WITNESS, "NL", "KvK 81920374"
            ),
            Organisation(
                "Riverbend Digital Exchange LLC", OrganisationKind.EXCHANGE, WITNESS, "US"
            ),
        ),
        indicators=(
            _ind(
                I.ONION,
                "tqkeqgt3ynrtzlchoo6xkkhdphok556iaprfwgz4zqstkivry53pf6ad.onion",
                "market front end (v3 onion service)",
            ),
            _ind(I.IPV4, "203.0.113.44", "backend server 1, Polderhost B.V."),
            _ind(I.IPV4, "203.0.113.45", "backend server 2 (database), Polderhost B.V."),
            _ind(I.DOMAIN, "kestrel-links.example", "clearnet mirror list, hosted in the US"),
            _ind(I.BTC_WALLET, "bc1qhr88xef7az3pvan7gfwgxzhrk7mt77xv2a3ew8", "escrow hot wallet"),
            _ind(
                I.BTC_WALLET,
                "bc1qzfwxxzjzf9e73r4dy8hmuspwysv4glx0epud90r5mhte9ndww20qu4tukf",
                "escrow cold wallet (multisig)",
            ),
            _ind(
                I.BTC_WALLET,
                "bc1qzkujctxkndswfkpmmkk0hslc3nhwgxwz49trq8",
                "administrators' payout wallet",
            ),
            _ind(
                I.XMR_WALLET,
                "49qZCeitEas3gAjwiiG598fnEPjSinPvFba6tRJe74xiExuiNEbSNxqMadr1Ag2VfX"
                "CMqK3B8YShX8PCqTQyFotcTQRGAuw",
                "monero escrow; also paid the server rent",
            ),
            _ind(I.EMAIL, "falkenauge@securemail.example", "in a leaked forum database"),
            _ind(I.HANDLE, "kestrel:NuitBlanche", "vendor of card data, French-speaking"),
        ),
        legal_documents=(
            LegalDocument(
                LegalDocumentKind.SEARCH_WARRANT,
                "Amtsgericht Frankfurt am Main (investigating judge)",
                _ago(today, 48),
                f"931 Gs 1147/{_ago(today, 48).year % 100:02d}",
            ),
            LegalDocument(
                LegalDocumentKind.ARREST_WARRANT,
                "Amtsgericht Frankfurt am Main (investigating judge)",
                _ago(today, 38),
                f"931 Gs 1152/{_ago(today, 38).year % 100:02d}",
            ),
            LegalDocument(
                LegalDocumentKind.COURT_DECISION,
                "Amtsgericht Frankfurt am Main (asset freezing order)",
                _ago(today, 38),
                f"931 Gs 1153/{_ago(today, 38).year % 100:02d}",
            ),
        ),
        reports=(
            InvestigativeReport(
                "Escrow wallets: blockchain analysis",
                "KHK Sabine Albrecht, National Cybercrime Unit",
                _ago(today, 20),
                "The escrow hot wallet received 2,914 BTC in 19 months. Sweeps go to a "
                "2-of-3 multisig cold wallet; the administrators' share leaves monthly for the "
                "payout wallet and is cashed out at Riverbend Digital Exchange LLC (US).",
            ),
        ),
    )
    countries = frozenset({"DE", "US", "NL", "FR", "GB"})
    return DemoCase(
        owner="de.investigator",
        content=content,
        sharing=Sharing(tlp=Tlp.AMBER, allowed_countries=countries),
        reviews=(
            ReviewStep(
                "gs.reviewer",
                Decision.ACCEPT,
                "Predominance test applied: the 'political' label comes from the market's own "
                "advertising; the seized chats and the commission show a commercial enterprise "
                "selling stolen data, malware and forged documents. The ordinary-law offences "
                "(Budapest Arts. 6, 7, 8 and 11) predominate; warrants valid, data consistent.",
                "INTERPOL Constitution Art. 3 (predominance test); DOMAIN §2 step 2",
            ),
            ReviewStep(
                "gs.reviewer2",
                Decision.ACCEPT,
                "Second review (Article 3 flag): I concur that the ordinary-law element "
                "predominates. No person has refugee status; the arrest and search warrants "
                "are valid and the identifiers are complete enough to act on.",
                "INTERPOL Constitution Arts. 2 and 3; DOMAIN §3",
            ),
        ),
        invite=("US", "NL"),
        evidence=(
            (
                "kestrel-server-inventory.csv",
                "Inventory of the two seized market servers",
                (
                    "host,role,provider,seized\nkb-front-1,web front,Hoster BV (NL),yes\n"
                    "kb-db-1,database and escrow,Hoster BV (NL),yes\n"
                ),
            ),
        ),
        messages=(
            (
                "de.investigator",
                (
                    "Both servers are imaged. The escrow database holds 41,000 "
                    "vendor and buyer accounts; NL, can you confirm the hosting contract holder?"
                ),
            ),
            (
                "nl.officer",
                (
                    "Hosting contract is in the name of a shell company; production "
                    "order served this morning, answer expected within 48 hours."
                ),
            ),
        ),
    )


# -- 2. ransomware network (FR) --------------------------------------------------------------


def _ransomware(today: date) -> DemoCase:
    first = _ago(today, 560)
    victims = (
        ("Centre hospitalier de Val-de-Sèvre", "FR", "FINESS 790014562"),
        ("Commune de Montclaret", "FR", "SIREN 217902215"),
        ("Klinikum Auental gGmbH", "DE", "HRB 48211"),
        ("Gemeente Oosterbrug", "NL", ""),
        ("Calderbrook NHS Foundation Trust", "GB", ""),
        ("Marlow County Board of Commissioners", "US", ""),
        ("Hospital Municipal de Serra Alta", "BR", ""),
        ("Hanbit University Hospital", "KR", ""),
        ("Ayuntamiento de Villaronda", "ES", ""),
    )
    content = CaseContent(
        title="NoctuaLocker ransomware network attacking hospitals and municipalities",
        narrative=(
            f"NoctuaLocker is a ransomware-as-a-service operation active since {first:%B %Y}. "
            "Its developer ('noctua') rents the encryptor to affiliates for 20 percent of each "
            "ransom. Affiliates get in through VPN appliances with credentials bought from "
            "infostealer logs, move laterally with remote-administration tools, copy patient, "
            "staff and citizen files to rented cloud storage, then encrypt servers and ESXi "
            "hosts. Victims who do not pay are named on a Tor leak site, and patients of two "
            "hospitals received e-mails demanding payment to keep their records unpublished.\n\n"
            "Twenty-three victims are known in eight countries, among them public hospitals in "
            "France, Germany, the United Kingdom, Brazil and the Republic of Korea, and "
            "municipalities in France, the Netherlands, Spain and the United States. The "
            "emergency department of Centre hospitalier de Val-de-Sèvre turned ambulances away "
            "for four days. Ransoms paid and recovery costs exceed EUR 18 million.\n\n"
            "FR asks the countries concerned to check the indicators against their own "
            "incidents, to preserve the data of the command-and-control servers rented from "
            "Baltic Edge Hosting SIA (LV), to take down the command-and-control and leak-site "
            "infrastructure, to seize the ransom wallets, and to identify and locate the "
            "affiliate 'sable_wing', believed to be Andrei LUNGU."
        ),
        offences=frozenset(
            {
                Offence.ILLEGAL_ACCESS,
                Offence.DATA_INTERFERENCE,
                Offence.SYSTEM_INTERFERENCE,
                Offence.MISUSE_OF_DEVICES,
            }
        ),
        incident_class=IncidentClass.MALICIOUS_CODE,
        urgency=Urgency.URGENT,
        fraud_types=frozenset({FraudType.RANSOMWARE, FraudType.INFOSTEALER}),
        first_activity=first,
        last_activity=_ago(today, 9),
        loss=Money(Decimal("18600000.00"), "EUR"),
        victim_count=23,
        countries_involved=frozenset({"FR", "DE", "NL", "GB", "US", "BR", "KR", "ES", "LV"}),
        assistance=frozenset(
            {
                Assistance.IDENTIFY,
                Assistance.LOCATE,
                Assistance.PRESERVE_DATA,
                Assistance.TAKE_DOWN,
                Assistance.SEIZE_ASSETS,
                Assistance.SHARE_INTELLIGENCE,
            }
        ),
        persons=(
            Person(
                SUSPECT,
                "Lungu",
                "Andrei Vasile",
                aliases=("sable_wing",),
                birth_date=PartialDate(1994, 8, 3),
                nationalities=frozenset({"MD"}),
                sex=Sex.MALE,
                handles=(OnlineHandle("xmpp", "sable_wing@jabber.example"),),
            ),
            Person(
                SUSPECT,
                "Unknown",
                aliases=("noctua",),
                handles=(OnlineHandle("NoctuaLocker affiliate panel", "noctua"),),
            ),
            Person(
                VICTIM,
                "Marchand",
                "Élodie",
                nationalities=frozenset({"FR"}),
                sex=Sex.FEMALE,
            ),
        ),
        organisations=(
            *(
                Organisation(name, OrganisationKind.OTHER, VICTIM, country, registration)
                for name, country, registration in victims
            ),
            Organisation(
                "Baltic Edge Hosting SIA",
                OrganisationKind.SERVICE_PROVIDER,
                WITNESS,
                "LV",
                "40203187465",
            ),
        ),
        indicators=(
            _ind(I.IPV4, "203.0.113.17", "command-and-control, Baltic Edge Hosting SIA"),
            _ind(I.IPV4, "198.51.100.61", "exfiltration staging server"),
            _ind(I.IPV4, "192.0.2.140", "source of VPN logins with stolen credentials"),
            _ind(I.IPV6, "2001:db8:4f2a::15", "command-and-control fallback"),
            _ind(I.DOMAIN, "telemetry-cdn-sync.example", "command-and-control domain"),
            _ind(I.DOMAIN, "update.patch-service.invalid", "loader download domain"),
            _ind(
                I.ONION,
                "u4kffsebfkvekd7c24tisob5zmpafz3n7in6dnjj4tm2mltpy27vy6id.onion",
                "leak site",
            ),
            _ind(
                I.SHA256,
                "e4ab31807d050617b57d90ed6a6c631839154add5fcde573af82b4f11b887b2a",
                "NoctuaLocker 3.2 encryptor, Windows x64",
            ),
            _ind(
                I.SHA256,
                "a2b2d90df2cb8c3baa2288c2c5d9e646822eb8d2b3c4c626098f9946cee4bdf8",
                "NoctuaLocker 3.2 encryptor, ESXi",
            ),
            _ind(
                I.SHA256,
                "0aee8cb30410c8cc495bdd307b2797856532d0607e4872edd1c85c70ab32703d",
                "loader DLL",
            ),
            _ind(I.BTC_WALLET, "bc1q0jzqmk9e3gvankau7ldkvg5e0sndy9vpdn0tel", "ransom wallet"),
            _ind(I.BTC_WALLET, "bc1qmy58u7gvlmv3k0nqphj0y9qq0zuzzxcycwe46s", "ransom wallet"),
            _ind(I.BTC_WALLET, "bc1qm67t86akspz4mxwn4d8rkc473vkknp9lr42m7c", "affiliate share"),
            _ind(I.EMAIL, "recovery-desk@securemail.example", "negotiation contact"),
            _ind(I.HANDLE, "xmpp:sable_wing@jabber.example", "affiliate"),
        ),
        legal_documents=(
            LegalDocument(
                LegalDocumentKind.COURT_DECISION,
                "Tribunal judiciaire de Paris, juge d'instruction (pôle cybercriminalité)",
                _ago(today, 75),
                f"N° instruction {_ago(today, 75).year}/00412",
            ),
            LegalDocument(
                LegalDocumentKind.PRESERVATION_ORDER,
                "Parquet de Paris, pôle cybercriminalité (J3)",
                _ago(today, 30),
                f"J3-{_ago(today, 30).year}-1876",
            ),
        ),
        reports=(
            InvestigativeReport(
                "Malware analysis of NoctuaLocker 3.2 (Windows and ESXi)",
                "Capitaine Hélène Garnier, National Cybercrime Unit",
                _ago(today, 30),
                "ChaCha20 file encryption with a per-victim RSA-4096 key. The ESXi variant stops "
                "virtual machines with esxcli before encrypting .vmdk files. The configuration "
                "holds the affiliate id and the leak-site address; the builder watermark links "
                "14 victims to affiliate 'sable_wing'.",
            ),
            InvestigativeReport(
                "Ransom payments: blockchain analysis",
                "Lieutenant Karim Benali, National Cybercrime Unit",
                _ago(today, 14),
                "11 ransoms (412.6 BTC) were paid to two wallets and split 80/20 within an hour; "
                "the affiliate share was swapped to monero through instant-exchange services.",
            ),
        ),
    )
    return DemoCase(
        owner="fr.investigator",
        content=content,
        sharing=Sharing(
            tlp=Tlp.AMBER, allowed_countries=frozenset({"FR", "DE", "NL", "GB", "US", "BR", "KR"})
        ),
        reviews=(
            ReviewStep(
                "gs.reviewer",
                Decision.ACCEPT,
                "Ordinary-law offences (Budapest Arts. 2, 4, 5 and 6) against hospitals and "
                "municipalities; no Article 3 element. Victims, infrastructure and wallets are "
                "identified and consistent, and the preservation request names the custodian.",
                "DOMAIN §2 step 2; Budapest Convention Arts. 29 and 35",
            ),
        ),
        # Once accepted, every member country may check its own victims against the indicators.
        widen_to=Sharing(tlp=Tlp.GREEN),
        evidence=(
            (
                "noctualocker-ransom-note.txt",
                "Ransom note left on the first hospital's file servers",
                (
                    "NOCTUALOCKER\nYour network is encrypted. Do not contact the police.\n"
                    "Visit the onion portal with your ID to negotiate.\n"
                ),
            ),
        ),
        messages=(
            (
                "fr.investigator",
                (
                    "The ransom notes of all eight victims carry the same affiliate "
                    "ID. Countries with victims: please check your incident reports for it."
                ),
            ),
        ),
    )


# -- 3. cross-continent financial-fraud syndicate (NG) ----------------------------------------


def _fraud_syndicate(today: date) -> DemoCase:
    first, warrant = _ago(today, 470), _ago(today, 36)
    content = CaseContent(
        title="Harbourline syndicate: e-mail compromise and money mules on four continents",
        narrative=(
            f"Since {first:%B %Y} a syndicate run from Lagos has compromised the mailboxes of "
            "freight forwarders and their suppliers with phishing pages imitating a webmail "
            "login, watched payment conversations for weeks, then sent forged invoices with new "
            "bank details from look-alike domains. Thirty-seven companies in the United States, "
            "the United Kingdom and Singapore paid about USD 7.4 million to accounts the "
            "syndicate controls.\n\n"
            "The money passes through mule accounts opened in the United Kingdom and Brazil by "
            "people recruited on social media with work-from-home offers, and through two "
            "Singapore shell companies; most of it is converted to USDT at Example Digital "
            "Asset Exchange Pte Ltd and cashed out in Lagos through over-the-counter traders.\n\n"
            "The organiser, Tobechukwu EZEANYA, left Nigeria after the search of the syndicate's "
            "office in Lekki and is believed to live in São Paulo under his own passport. The "
            "Federal High Court in Lagos issued a warrant for his arrest. NG asks for his "
            "provisional arrest: a request for his extradition from Brazil will follow through "
            "the central authorities. GB, SG and US are asked to identify the mule recruiters "
            "and the shell-company directors, to obtain the bank and exchange records, and to "
            "freeze what remains in the accounts and wallets listed."
        ),
        offences=frozenset(
            {
                Offence.COMPUTER_FRAUD,
                Offence.COMPUTER_FORGERY,
                Offence.ILLEGAL_ACCESS,
                Offence.ATTEMPT_AIDING_ABETTING,
            }
        ),
        incident_class=IncidentClass.FRAUD,
        urgency=Urgency.URGENT,
        fraud_types=frozenset({FraudType.BEC, FraudType.PHISHING, FraudType.MONEY_LAUNDERING}),
        first_activity=first,
        last_activity=_ago(today, 16),
        loss=Money(Decimal("7420000.00"), "USD"),
        victim_count=37,
        countries_involved=frozenset({"NG", "SG", "GB", "US", "BR"}),
        assistance=frozenset(
            {
                Assistance.ARREST,
                Assistance.LOCATE,
                Assistance.IDENTIFY,
                Assistance.OBTAIN_RECORDS,
                Assistance.SEIZE_ASSETS,
            }
        ),
        persons=(
            Person(
                SUSPECT,
                "Ezeanya",
                "Tobechukwu Daniel",
                aliases=("Tobi Cargo",),
                birth_date=PartialDate(1986, 9, 14),
                nationalities=frozenset({"NG"}),
                sex=Sex.MALE,
                documents=(IdentityDocument("passport", "A08451627", "NG"),),
                handles=(OnlineHandle("telegram", "@tobi_freightdesk"),),
            ),
            Person(
                SUSPECT,
                "Oyelaran",
                "Babatunde Michael",
                birth_date=PartialDate(1992, 3),
                nationalities=frozenset({"GB", "NG"}),
                sex=Sex.MALE,
                handles=(OnlineHandle("instagram", "@easyearn.tunde"),),
            ),
            Person(
                SUSPECT,
                "Santos Ferreira",
                "Lucas Henrique",
                birth_date=PartialDate(1999, 11, 2),
                nationalities=frozenset({"BR"}),
                sex=Sex.MALE,
            ),
            Person(
                SUSPECT,
                "Koh",
                "Darren Yi Xiang",
                birth_date=PartialDate(1984),
                nationalities=frozenset({"SG"}),
                sex=Sex.MALE,
            ),
        ),
        organisations=(
            Organisation("Cedar Ridge Freight Inc.", OrganisationKind.COMPANY, VICTIM, "US"),
            Organisation(
                "Pennine Components Ltd", OrganisationKind.COMPANY, VICTIM, "GB", "CRN 09384172"
            ),
            Organisation(
                "Meridian Marine Supplies Pte Ltd",
                OrganisationKind.COMPANY,
                VICTIM,
                "SG",
                "UEN 201918273K",
            ),
            Organisation(
                "Bluewater Trade Links Pte Ltd",
                OrganisationKind.COMPANY,
                SUSPECT,
                "SG",
                "UEN 202204417D",
            ),
            Organisation(
                "Example Digital Asset Exchange Pte Ltd", OrganisationKind.EXCHANGE, WITNESS, "SG"
            ),
            Organisation(
                "Northgate Bank plc", OrganisationKind.FINANCIAL_INSTITUTION, WITNESS, "GB"
            ),
        ),
        indicators=(
            _ind(I.IBAN, "GB44NRTH20811457312096", "mule account (Oyelaran), Northgate Bank"),
            _ind(I.IBAN, "GB23FLXB60837184420193", "mule account, e-money institution"),
            _ind(I.IBAN, "BR2746518205002310040938817C1", "mule account (Santos Ferreira)"),
            _ind(
                I.ETH_WALLET,
                "0xde28ed938061dEd161d5b5180143B6AE50a78db8",
                "USDT deposit address at Example Digital Asset Exchange",
            ),
            _ind(I.DOMAIN, "cedarrldge-freight.example", "look-alike of the victim's domain"),
            _ind(I.EMAIL, "accounts@cedarrldge-freight.example", "sender of forged invoices"),
            _ind(I.URL, "https://webmail-secure-login.example/owa/auth.php", "phishing page"),
            _ind(I.PHONE, "+2348095550142", "organiser (WhatsApp)"),
            _ind(I.PHONE, "+447700900417", "mule recruiter, United Kingdom"),
            _ind(I.PHONE, "+6585550123", "shell-company director"),
            _ind(I.PHONE, "+12025550143", "spoofed 'supplier' callback number"),
            _ind(I.PHONE, "+5511955550182", "mule, São Paulo"),
            _ind(I.HANDLE, "telegram:@tobi_freightdesk", "organiser"),
        ),
        legal_documents=(
            LegalDocument(
                LegalDocumentKind.SEARCH_WARRANT,
                "Federal High Court, Lagos Judicial Division",
                _ago(today, 95),
                f"FHC/L/MISC/{_ago(today, 95).year}/0744",
            ),
            LegalDocument(
                LegalDocumentKind.ARREST_WARRANT,
                "Federal High Court, Lagos Judicial Division",
                warrant,
                f"FHC/L/MISC/{warrant.year}/1187",
            ),
        ),
        reports=(
            InvestigativeReport(
                "Money flows of the Harbourline mule network",
                "Supt. Ifeoma Nwachukwu, NCB Abuja",
                _ago(today, 22),
                "96 transfers from 37 victims reached 14 accounts (9 in GB, 3 in BR, 2 company "
                "accounts in SG); 71 percent was converted to USDT within 48 hours.",
            ),
        ),
    )
    return DemoCase(
        owner="ng.officer",
        content=content,
        sharing=Sharing(tlp=Tlp.AMBER, allowed_countries=frozenset({"NG", "SG", "GB", "US", "BR"})),
    )


# -- 4. investment fraud returned for more information (BR) -------------------------------------


def _investment(today: date) -> DemoCase:
    first = _ago(today, 230)
    content = CaseContent(
        title="Aurora Yield fake crypto-investment platform defrauding retirees",
        narrative=(
            f"Since {first:%B %Y} a call centre has promoted the 'Aurora Yield' platform through "
            "social-media advertisements with fabricated endorsements by television presenters. "
            "Victims, mostly retirees in São Paulo, Minas Gerais and Paraná, are coached by "
            "WhatsApp 'account managers' to deposit by PIX into personal accounts, then shown "
            "fictitious profits on a dashboard; withdrawals are refused until 'taxes' are paid. "
            "214 victims have reported losses of about BRL 9.3 million. The platform's web "
            "servers answer from an address abroad. BR asks for the platform's hosting and "
            "registration data to be preserved, and for help identifying its operators."
        ),
        offences=frozenset({Offence.COMPUTER_FRAUD}),
        incident_class=IncidentClass.FRAUD,
        urgency=Urgency.URGENT,
        fraud_types=frozenset({FraudType.INVESTMENT_FRAUD, FraudType.VOICE_PHISHING}),
        first_activity=first,
        last_activity=_ago(today, 20),
        loss=Money(Decimal("9300000.00"), "BRL"),
        victim_count=214,
        countries_involved=frozenset({"BR"}),
        assistance=frozenset({Assistance.PRESERVE_DATA, Assistance.IDENTIFY}),
        persons=(
            Person(
                SUSPECT,
                "Unknown",
                aliases=("Gerente Rafael",),
                handles=(OnlineHandle("whatsapp", "+5511955550199"),),
            ),
            Person(
                VICTIM,
                "Oliveira",
                "Maria Aparecida",
                birth_date=PartialDate(1952),
                nationalities=frozenset({"BR"}),
                sex=Sex.FEMALE,
            ),
            Person(
                VICTIM,
                "Pereira",
                "José Carlos",
                birth_date=PartialDate(1949),
                nationalities=frozenset({"BR"}),
                sex=Sex.MALE,
            ),
        ),
        indicators=(
            _ind(I.DOMAIN, "aurora-yield.example", "investment platform"),
            _ind(I.URL, "https://app.aurora-yield.example/dashboard", "fake profit dashboard"),
            _ind(I.IPV4, "198.51.100.200", "web server"),
            _ind(I.EMAIL, "suporte@aurora-yield.example", "'customer support'"),
            _ind(I.PHONE, "+5511955550199", "'account manager' (WhatsApp)"),
            _ind(I.IBAN, "BR9739201733000170048207731C1", "account receiving PIX deposits"),
            _ind(I.IBAN, "BR2746518205002310040938817C1", "second-layer mule (also in a BEC case)"),
            _ind(I.PHONE, "+55 11 95555-0182", "mule who opened the second-layer account"),
            _ind(
                I.ETH_WALLET,
                "0xfE57098bd9044D2C2DD297DAcEed851555632E5A",
                "USDT wallet collecting the deposits",
            ),
        ),
        reports=(
            InvestigativeReport(
                "Consolidated victim reports",
                "Delegada Renata Moraes, NCB Brasília",
                _ago(today, 12),
                "214 police reports from three states, same scripts, same dashboard and the "
                "same two WhatsApp numbers; deposits of BRL 2,000 to 310,000 per victim.",
            ),
        ),
    )
    return DemoCase(
        owner="br.officer",
        content=content,
        sharing=Sharing(tlp=Tlp.AMBER),
        reviews=(
            ReviewStep(
                "gs.reviewer",
                Decision.REQUEST_INFO,
                "Preservation is asked but the request does not name the custodian of the data "
                "(the hosting provider or the registrar of aurora-yield.example) nor say that a "
                "mutual legal assistance request will follow. Please add them, with the link "
                "between the data and the offence, and resubmit.",
                "Budapest Convention Art. 29(2); DOMAIN §2 step 2",
            ),
        ),
    )
