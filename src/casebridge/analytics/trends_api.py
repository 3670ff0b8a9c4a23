"""API of analytics trends: dashboard figures, emerging threats, campaigns (every read audited
by the service; each counts only what the caller sees in full)."""

import uuid
from datetime import date, datetime

from fastapi import APIRouter
from pydantic import BaseModel

from casebridge.analytics import trends_service as service
from casebridge.analytics.campaigns import Campaign
from casebridge.web.deps import CurrentActor, UowDep

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])


class TablePublic(BaseModel):
    name: str
    title: str
    columns: list[str]
    rows: list[list[str]]


class DashboardPublic(BaseModel):
    cases: int
    median_review_days: float | None
    tables: list[TablePublic]


class ThreatPublic(BaseModel):
    id: uuid.UUID
    series: str
    day: date
    observed: int
    expected: float
    statistic: float
    threshold: float
    raised_at: datetime


class CaseBrief(BaseModel):
    id: uuid.UUID
    reference: str
    title: str
    country: str
    category: str


class SharedValue(BaseModel):
    kind: str
    value: str
    cases: int


class CampaignPublic(BaseModel):
    id: uuid.UUID
    cases: list[CaseBrief]
    countries: list[str]
    shared: list[SharedValue]
    categories: list[str]
    similar_pairs: int


def _campaign(c: Campaign) -> CampaignPublic:
    return CampaignPublic(
        id=c.id,
        cases=[
            CaseBrief(
                id=m.id,
                reference=m.reference,
                title=m.title,
                country=m.country,
                category=m.category,
            )
            for m in c.cases
        ],
        countries=list(c.countries),
        shared=[SharedValue(kind=k, value=v, cases=n) for k, v, n in c.shared],
        categories=list(c.categories),
        similar_pairs=c.similar_pairs,
    )


@router.get("/dashboard")
def dashboard(actor: CurrentActor, uow: UowDep) -> DashboardPublic:
    found = service.dashboard(uow, actor)
    return DashboardPublic(
        cases=found.cases,
        median_review_days=found.median_review_days,
        tables=[
            TablePublic(
                name=t.name, title=t.title, columns=list(t.columns), rows=[list(r) for r in t.rows]
            )
            for t in found.tables.values()
        ],
    )


@router.get("/emerging")
def emerging(actor: CurrentActor, uow: UowDep) -> list[ThreatPublic]:
    return [
        ThreatPublic(
            id=t.id,
            series=t.series,
            day=t.day,
            observed=t.observed,
            expected=t.expected,
            statistic=t.statistic,
            threshold=t.threshold,
            raised_at=t.raised_at,
        )
        for t in service.emerging_threats(uow, actor)
    ]


@router.get("/campaigns")
def campaigns(actor: CurrentActor, uow: UowDep) -> list[CampaignPublic]:
    return [_campaign(c) for c in service.campaigns(uow, actor)]


@router.get("/campaigns/{campaign_id}")
def campaign(campaign_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> CampaignPublic:
    return _campaign(service.get_campaign(uow, actor, campaign_id))
