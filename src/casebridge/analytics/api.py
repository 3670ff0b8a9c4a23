"""API of analytics suggestions: related cases, ATT&CK techniques (and analysts' verdicts), the
category of a case, and the triage of the review queue. Every answer says it is machine-made."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from casebridge.analytics import service
from casebridge.analytics.category import Guess
from casebridge.analytics.ports import TechniqueVerdict
from casebridge.web.deps import CurrentActor, PlatformDep, UowDep

router = APIRouter(prefix="/api/v1", tags=["analytics"])


class RelatedCasePublic(BaseModel):
    case_id: uuid.UUID
    reference: str
    title: str
    owner_country: str
    score: float
    text_similarity: float
    shared_terms: list[str]
    shared_values: list[str]
    matched_names: list[str]


class HeldElsewherePublic(BaseModel):
    label: str
    owner_country: str
    contact: str


class RelatedOut(BaseModel):
    label: str
    cases: list[RelatedCasePublic]
    held_elsewhere: list[HeldElsewherePublic]


class SuggestionPublic(BaseModel):
    technique_id: str
    name: str
    score: float
    sentence: str


class VerdictPublic(BaseModel):
    technique_id: str
    name: str
    verdict: str
    by_username: str
    by_country: str


class TechniquesOut(BaseModel):
    label: str
    suggestions: list[SuggestionPublic]
    confirmed: list[VerdictPublic]
    rejected: list[VerdictPublic]


class VerdictIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: Literal["confirmed", "rejected"]


class GuessPublic(BaseModel):
    label: str
    probability: float
    drivers: list[str]


class CategoryOut(BaseModel):
    label: str
    current: str
    incident_class: GuessPublic
    fraud_type: GuessPublic | None


class FactorPublic(BaseModel):
    name: str
    points: float
    why: str


class TriagedPublic(BaseModel):
    case_id: uuid.UUID
    reference: str
    title: str
    owner_country: str
    urgency: str
    score: float
    factors: list[FactorPublic]


class TriageOut(BaseModel):
    label: str
    items: list[TriagedPublic]


def verdict_public(v: TechniqueVerdict) -> VerdictPublic:
    return VerdictPublic(
        technique_id=v.technique_id,
        name=service.technique_name(v.technique_id),
        verdict=v.verdict,
        by_username=v.by_username,
        by_country=v.by_country,
    )


def _guess(g: Guess) -> GuessPublic:
    return GuessPublic(label=g.label, probability=g.probability, drivers=list(g.drivers))


@router.get("/cases/{case_id}/related")
def related_cases(
    case_id: uuid.UUID, actor: CurrentActor, uow: UowDep, platform: PlatformDep
) -> RelatedOut:
    found = service.related_cases(uow, actor, case_id, platform.intel)
    return RelatedOut(
        label=found.label,
        cases=[
            RelatedCasePublic(
                case_id=r.case_id,
                reference=r.reference,
                title=r.title,
                owner_country=r.owner_country,
                score=r.score,
                text_similarity=r.text_similarity,
                shared_terms=list(r.shared_terms),
                shared_values=list(r.shared_values),
                matched_names=list(r.matched_names),
            )
            for r in found.cases
        ],
        held_elsewhere=[
            HeldElsewherePublic(label=h.label, owner_country=h.owner_country, contact=h.contact)
            for h in found.held_elsewhere
        ],
    )


@router.get("/cases/{case_id}/techniques")
def techniques(case_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> TechniquesOut:
    found = service.suggest_techniques(uow, actor, case_id)
    return TechniquesOut(
        label=found.label,
        suggestions=[
            SuggestionPublic(
                technique_id=s.technique_id, name=s.name, score=s.score, sentence=s.sentence
            )
            for s in found.suggestions
        ],
        confirmed=[verdict_public(v) for v in found.confirmed],
        rejected=[verdict_public(v) for v in found.rejected],
    )


@router.post("/cases/{case_id}/techniques/{technique_id}/feedback")
def technique_feedback(
    case_id: uuid.UUID,
    technique_id: str,
    body: VerdictIn,
    actor: CurrentActor,
    uow: UowDep,
) -> VerdictPublic:
    kept = service.record_verdict(uow, actor, case_id, technique_id, body.verdict)
    return verdict_public(kept)


@router.get("/cases/{case_id}/category")
def case_category(case_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> CategoryOut:
    found = service.suggest_category(uow, actor, case_id)
    fraud = found.suggestion.fraud_type
    return CategoryOut(
        label=found.label,
        current=found.current,
        incident_class=_guess(found.suggestion.incident_class),
        fraud_type=_guess(fraud) if fraud else None,
    )


@router.get("/review/triage")
def review_triage(
    actor: CurrentActor,
    uow: UowDep,
    platform: PlatformDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> TriageOut:
    scored = service.triage_queue(uow, actor, platform.intel, limit)
    return TriageOut(
        label=service.MACHINE_LABEL,
        items=[
            TriagedPublic(
                case_id=t.case.id,
                reference=t.case.reference,
                title=t.case.content.title,
                owner_country=t.case.owner_country,
                urgency=t.case.content.urgency.value,
                score=t.triage.score,
                factors=[
                    FactorPublic(name=f.name, points=f.points, why=f.why) for f in t.triage.factors
                ],
            )
            for t in scored
        ],
    )
