"""API schemas of cases: *In for requests (validated, then turned into the model), *Public out.

Shared by the API and the CLI (`casebridge case submit FILE.json` reads a CaseIn document).
"""

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from casebridge.cases import model
from casebridge.cases.screening import Finding
from casebridge.cases.service import CaseView, Sharing
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
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access
from casebridge.web import fields
from casebridge.web.fields import Storable

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Text = fields.Title  # 300, the columns' size; no NUL (issue 16 point 11)
Name = fields.Name  # 200, the columns' size
MAX_COUNT = 2_000_000_000  # what an INTEGER column holds


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentIn(In):
    kind: Storable = Field(max_length=40, examples=["passport"])
    number: Storable = Field(max_length=60)
    issuing_country: Country


class RestrictionIn(In):
    """A part's own sharing, stricter than the case's: readers need full access to both."""

    tlp: Tlp
    allowed_countries: list[Country] | None = Field(
        default=None, description="None: as the TLP allows"
    )
    discoverable_by: list[Country] | None = Field(default=[], description="Default: no one")

    def to_model(self) -> model.Restriction:
        return model.Restriction(
            self.tlp,
            frozenset(self.allowed_countries) if self.allowed_countries is not None else None,
            frozenset(self.discoverable_by) if self.discoverable_by is not None else None,
        )


class Restricted(In):
    id: uuid.UUID | None = Field(
        default=None,
        description="The part's id as the case shows it: send it back on an update so the part "
        "keeps it (one of this case's parts of this kind, else 422); leave it out for a new "
        "part. A part sent unchanged without its id keeps it too when no other part has the "
        "same content.",
    )
    restriction: RestrictionIn | None = None

    def restriction_model(self) -> model.Restriction | None:
        return self.restriction.to_model() if self.restriction else None


def restriction_out(restriction: model.Restriction | None) -> RestrictionIn | None:
    if restriction is None:
        return None
    countries, discover = restriction.allowed_countries, restriction.discoverable_by
    return RestrictionIn(
        tlp=restriction.tlp,
        allowed_countries=sorted(countries) if countries is not None else None,
        discoverable_by=sorted(discover) if discover is not None else None,
    )


class HandleIn(In):
    platform: Storable = Field(max_length=60, examples=["telegram"])
    handle: Storable = Field(max_length=200)


class PersonIn(Restricted):
    role: PartyRole
    family_name: Name = Field(min_length=1)
    given_names: Name = ""
    aliases: list[Text] = []
    name_original_script: Text = ""
    birth_date: Storable | None = Field(
        default=None, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    nationalities: list[Country] = []
    sex: Sex = Sex.UNKNOWN
    documents: list[DocumentIn] = []
    handles: list[HandleIn] = []
    refugee_status_from: Country | None = None

    @field_validator("birth_date")
    @classmethod
    def _partial_date(cls, value: str | None) -> str | None:
        if value is not None:
            model.PartialDate.parse(value)
        return value

    def to_model(self) -> model.Person:
        return model.Person(
            role=self.role,
            family_name=self.family_name,
            given_names=self.given_names,
            aliases=tuple(self.aliases),
            name_original_script=self.name_original_script,
            birth_date=model.PartialDate.parse(self.birth_date) if self.birth_date else None,
            nationalities=frozenset(self.nationalities),
            sex=self.sex,
            documents=tuple(
                model.IdentityDocument(d.kind, d.number, d.issuing_country) for d in self.documents
            ),
            handles=tuple(model.OnlineHandle(h.platform, h.handle) for h in self.handles),
            refugee_status_from=self.refugee_status_from,
            restriction=self.restriction_model(),
        )


class OrganisationIn(Restricted):
    name: Text = Field(min_length=1)
    kind: OrganisationKind
    role: PartyRole = PartyRole.WITNESS
    country: Country | None = None
    registration: fields.Label = ""


class IndicatorIn(Restricted):
    type: IndicatorType
    value: Storable = Field(min_length=1, max_length=2000)  # the column's size
    description: Text = ""


class LegalDocumentIn(Restricted):
    kind: LegalDocumentKind
    issuing_authority: Text = Field(min_length=1)
    issued_on: fields.PastDay
    reference: Name = Field(min_length=1)
    expires_on: fields.Day | None = None


class ReportIn(Restricted):
    title: Text = Field(min_length=1)
    author: Name = Field(min_length=1)
    written_on: fields.PastDay
    summary: fields.LongText


class MoneyIn(In):
    amount: Decimal = Field(ge=0, max_digits=20, decimal_places=2)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class SharingIn(In):
    tlp: Tlp = Tlp.AMBER
    allowed_countries: list[Country] | None = Field(
        default=None, description="None: all allowed by the TLP"
    )
    allowed_agencies: list[uuid.UUID] = []
    discoverable_by: list[Country] | None = Field(
        default=None, description="None: every member country"
    )

    def to_sharing(self) -> Sharing:
        return Sharing(
            tlp=self.tlp,
            allowed_countries=frozenset(self.allowed_countries)
            if self.allowed_countries is not None
            else None,
            allowed_agencies=frozenset(self.allowed_agencies),
            discoverable_by=frozenset(self.discoverable_by)
            if self.discoverable_by is not None
            else None,
        )


class CaseIn(In):
    title: Text = Field(min_length=1)
    narrative: Storable = Field(default="", max_length=50_000)
    offences: list[Offence] = Field(min_length=1)
    incident_class: IncidentClass
    urgency: Urgency = Urgency.ROUTINE
    fraud_types: list[FraudType] = []
    first_activity: fields.Day | None = None
    last_activity: fields.Day | None = None
    loss: MoneyIn | None = None
    victim_count: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    countries_involved: list[Country] = []
    assistance: list[Assistance] = []
    persons: list[PersonIn] = Field(default=[], max_length=500)
    organisations: list[OrganisationIn] = Field(default=[], max_length=500)
    indicators: list[IndicatorIn] = Field(default=[], max_length=5000)
    legal_documents: list[LegalDocumentIn] = Field(default=[], max_length=100)
    reports: list[ReportIn] = Field(default=[], max_length=100)

    def part_claims(self) -> dict[str, list[uuid.UUID | None]]:
        """The ids the document gives its parts, by kind, in order (`model.keep_part_ids`)."""
        return {kind: [part.id for part in getattr(self, kind)] for kind in model.PART_KINDS}

    def to_content(self) -> model.CaseContent:
        return model.CaseContent(
            title=self.title,
            narrative=self.narrative,
            offences=frozenset(self.offences),
            incident_class=self.incident_class,
            urgency=self.urgency,
            fraud_types=frozenset(self.fraud_types),
            first_activity=self.first_activity,
            last_activity=self.last_activity,
            loss=model.Money(self.loss.amount, self.loss.currency) if self.loss else None,
            victim_count=self.victim_count,
            countries_involved=frozenset(self.countries_involved),
            assistance=frozenset(self.assistance),
            persons=tuple(p.to_model() for p in self.persons),
            organisations=tuple(
                model.Organisation(
                    o.name, o.kind, o.role, o.country or "", o.registration, o.restriction_model()
                )
                for o in self.organisations
            ),
            indicators=tuple(
                model.Indicator(i.type, i.value.strip(), i.description, i.restriction_model())
                for i in self.indicators
            ),
            legal_documents=tuple(
                model.LegalDocument(
                    d.kind,
                    d.issuing_authority,
                    d.issued_on,
                    d.reference,
                    d.expires_on,
                    d.restriction_model(),
                )
                for d in self.legal_documents
            ),
            reports=tuple(
                model.InvestigativeReport(
                    r.title, r.author, r.written_on, r.summary, r.restriction_model()
                )
                for r in self.reports
            ),
        )


class CaseCreate(CaseIn):
    sharing: SharingIn = SharingIn()


class OutcomeIn(In):
    summary: Storable = Field(min_length=1, max_length=5000)
    arrests: int = Field(default=0, ge=0, le=MAX_COUNT)
    searches: int = Field(default=0, ge=0, le=MAX_COUNT)
    seizures: int = Field(default=0, ge=0, le=MAX_COUNT)
    takedowns: int = Field(default=0, ge=0, le=MAX_COUNT)
    recovered: MoneyIn | None = None

    def to_model(self) -> model.Outcome:
        recovered = (
            model.Money(self.recovered.amount, self.recovered.currency) if self.recovered else None
        )
        return model.Outcome(
            self.summary, self.arrests, self.searches, self.seizures, self.takedowns, recovered
        )


class DecisionIn(In):
    decision: model.Decision
    reasons: Storable = Field(max_length=5000)
    rule: Storable = Field(max_length=300, examples=["INTERPOL Constitution Art. 3"])


class RetentionIn(In):
    until: fields.Day
    reasons: Storable = Field(default="", max_length=2000, description="Required to renew")


class InviteIn(In):
    country: Country


# -- out ----------------------------------------------------------------------------------------


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class FindingPublic(Out):
    category: str
    severity: str
    message: str
    rule: str
    related_case: str | None = Field(
        description="Reference, or the owner's NCB when you may only know it exists"
    )


class CaseSummary(Out):
    id: uuid.UUID
    reference: str
    title: str
    status: model.CaseStatus
    urgency: Urgency
    owner_country: str
    created_at: datetime
    submitted_at: datetime | None
    review_due: datetime | None


class CasePage(Out):
    items: list[CaseSummary]
    total: int
    next_cursor: str | None


class AgencyRef(Out):
    id: uuid.UUID
    label: str = Field(examples=["BKA (DE)"], description="Name (country)")


class SharingPublic(Out):
    tlp: Tlp
    allowed_countries: list[str] | None
    discoverable_by: list[str] | None
    # Agencies named as recipients: TLP:RED's readers, or one agency let in after a hit
    # (DOMAIN.md §4: "the marking must say so"; docs/adr/0014).
    allowed_agencies: list[uuid.UUID] = []
    named_agencies: list[AgencyRef] = Field(
        default=[], description="`allowed_agencies` as a person reads them, in the same order"
    )


class ReviewPublic(Out):
    reviewer_username: str
    decision: str
    reasons: str
    rule: str
    at: datetime


class PartRef(Out):
    id: uuid.UUID
    label: str


class PartIdsPublic(Out):
    """Ids of the parts a FULL reader sees; readers who may only discover a case get none."""

    persons: list[PartRef]
    organisations: list[PartRef]
    indicators: list[PartRef]
    legal_documents: list[PartRef]
    reports: list[PartRef]


def part_ids_out(content: model.CaseContent) -> PartIdsPublic:
    return PartIdsPublic(
        persons=[PartRef(id=p.id, label=p.display_name) for p in content.persons],
        organisations=[PartRef(id=o.id, label=o.name) for o in content.organisations],
        indicators=[
            PartRef(id=i.id, label=f"{i.type.value} {i.value}") for i in content.indicators
        ],
        legal_documents=[
            PartRef(id=d.id, label=f"{d.kind.value} {d.reference}") for d in content.legal_documents
        ],
        reports=[PartRef(id=r.id, label=r.title) for r in content.reports],
    )


class CasePublic(CaseSummary):
    access: Access
    content: CaseIn
    sharing: SharingPublic
    needs_second_review: bool
    decided_at: datetime | None
    closed_at: datetime | None
    retention_until: date | None = Field(description="Nominal data is kept until then")
    nominal_purged_at: datetime | None
    participants: list[str]
    withheld_parts: int = Field(description="Parts under a stricter marking you may not see")
    screening: list[FindingPublic]
    reviews: list[ReviewPublic]
    version: int
    part_ids: PartIdsPublic = Field(
        description="The stable ids of the parts shown in `content`, in the same order (name "
        "them, e.g. the persons in a data-subject request's answer)"
    )


class CaseHit(Out):
    """What someone who may only discover a case learns: that it exists, and whom to ask."""

    id: uuid.UUID
    access: Access
    owner_country: str
    contact: str


class EventPublic(Out):
    at: datetime
    actor_username: str
    actor_country: str
    kind: str
    summary: str


def summary_of(case: model.Case) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        reference=case.reference,
        title=case.content.title,
        status=case.status,
        urgency=case.content.urgency,
        owner_country=case.owner_country,
        created_at=case.created_at,
        submitted_at=case.submitted_at,
        review_due=case.review_due,
    )


def content_out(content: model.CaseContent) -> CaseIn:
    return CaseIn(
        title=content.title,
        narrative=content.narrative,
        offences=sorted(content.offences),
        incident_class=content.incident_class,
        urgency=content.urgency,
        fraud_types=sorted(content.fraud_types),
        first_activity=content.first_activity,
        last_activity=content.last_activity,
        loss=MoneyIn(amount=content.loss.amount, currency=content.loss.currency)
        if content.loss
        else None,
        victim_count=content.victim_count,
        countries_involved=sorted(content.countries_involved),
        assistance=sorted(content.assistance),
        persons=[
            PersonIn(
                role=p.role,
                family_name=p.family_name,
                given_names=p.given_names,
                aliases=list(p.aliases),
                name_original_script=p.name_original_script,
                birth_date=str(p.birth_date).replace("-??", "") if p.birth_date else None,
                nationalities=sorted(p.nationalities),
                sex=p.sex,
                documents=[
                    DocumentIn(kind=d.kind, number=d.number, issuing_country=d.issuing_country)
                    for d in p.documents
                ],
                handles=[HandleIn(platform=h.platform, handle=h.handle) for h in p.handles],
                refugee_status_from=p.refugee_status_from,
                id=p.id,
                restriction=restriction_out(p.restriction),
            )
            for p in content.persons
        ],
        organisations=[
            OrganisationIn(
                name=o.name,
                kind=o.kind,
                role=o.role,
                country=o.country or None,
                registration=o.registration,
                id=o.id,
                restriction=restriction_out(o.restriction),
            )
            for o in content.organisations
        ],
        indicators=[
            IndicatorIn(
                type=i.type,
                value=i.value,
                description=i.description,
                id=i.id,
                restriction=restriction_out(i.restriction),
            )
            for i in content.indicators
        ],
        legal_documents=[
            LegalDocumentIn(
                kind=d.kind,
                issuing_authority=d.issuing_authority,
                issued_on=d.issued_on,
                reference=d.reference,
                expires_on=d.expires_on,
                id=d.id,
                restriction=restriction_out(d.restriction),
            )
            for d in content.legal_documents
        ],
        reports=[
            ReportIn(
                title=r.title,
                author=r.author,
                written_on=r.written_on,
                summary=r.summary,
                id=r.id,
                restriction=restriction_out(r.restriction),
            )
            for r in content.reports
        ],
    )


def sharing_out(marking: Marking, agency_names: Mapping[uuid.UUID, str]) -> SharingPublic:
    countries, discover = marking.allowed_countries, marking.discoverable_by
    agencies = sorted(marking.allowed_agencies)
    return SharingPublic(
        tlp=marking.tlp,
        allowed_countries=sorted(countries) if countries is not None else None,
        discoverable_by=sorted(discover) if discover is not None else None,
        allowed_agencies=agencies,
        named_agencies=[
            AgencyRef(id=a, label=agency_names.get(a, f"agency {a}")) for a in agencies
        ],
    )


def case_out(view: CaseView, related: dict[uuid.UUID, str]) -> CasePublic:
    case, marking = view.case, view.marking
    return CasePublic(
        **summary_of(case).model_dump(),
        access=view.access,
        content=content_out(case.content),
        sharing=sharing_out(marking, view.agency_names),
        needs_second_review=case.needs_second_review,
        decided_at=case.decided_at,
        closed_at=case.closed_at,
        retention_until=case.retention_until,
        nominal_purged_at=case.nominal_purged_at,
        participants=view.participants,
        withheld_parts=view.withheld,
        screening=[finding_out(f, related) for f in view.findings],
        reviews=[ReviewPublic.model_validate(r) for r in view.reviews],
        version=case.version,
        part_ids=part_ids_out(case.content),
    )


def finding_out(finding: Finding, related: dict[uuid.UUID, str]) -> FindingPublic:
    shown = related.get(finding.related_case) if finding.related_case else None
    return FindingPublic(
        category=finding.category.value,
        severity=finding.severity.value,
        message=finding.message,
        rule=finding.rule,
        related_case=shown,
    )
