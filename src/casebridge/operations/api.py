"""API of joint operations: the operation, participants, cases, phases, deconfliction and
targets, tasks, action days in local time, results with totals, and the after-action report."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, status
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from casebridge.legal.api import MessagePublic
from casebridge.operations import report, service
from casebridge.operations.model import Operation, Phase, ResultKind, TargetKind
from casebridge.web.datetimes import AwareDatetime
from casebridge.web.deps import CurrentActor, PlatformDep, UowDep
from casebridge.web.fields import Day, ShortText, Storable

router = APIRouter(prefix="/api/v1/operations", tags=["operations"])
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class OperationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Storable = Field(min_length=1, max_length=200)
    codename: Storable = Field(min_length=1, max_length=100)
    lead_country: Country
    participants: list[Country] = []
    summary: Storable = Field("", max_length=20_000)
    networks: list[ShortText] = []
    starts_on: Day | None = None
    ends_on: Day | None = None


class CountriesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    countries: list[Country] = Field(min_length=1)


class CaseLinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    case_id: uuid.UUID


class PhaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: Phase


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: TargetKind
    label: Storable = Field("", max_length=300)
    value: Storable = Field("", max_length=2000)
    country: Storable = Field("", max_length=2)


class DeconflictIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: TargetKind
    value: Storable = Field(min_length=1, max_length=2000)


class TaskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    country: Country
    title: Storable = Field(min_length=1, max_length=300)
    owner: Storable = Field(min_length=1, max_length=64)
    due_on: Day


class ActionDayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Storable = Field(min_length=1, max_length=300)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    countries: list[Country] = []


class ResultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: ResultKind
    count: int = Field(ge=0, le=10_000_000)
    amount: Decimal | None = Field(None, ge=0, max_digits=38, decimal_places=18)
    unit: Storable = Field("", max_length=10)
    note: Storable = Field("", max_length=2000)


class OperationBrief(BaseModel):
    id: uuid.UUID
    name: str
    codename: str
    lead_country: str
    participants: list[str]
    phase: Phase


class HolderPublic(BaseModel):
    country: str
    held_in: str
    contact: str


class DeconflictionPublic(BaseModel):
    asked: str
    hit: bool
    holders: list[HolderPublic]


class TargetPublic(BaseModel):
    id: uuid.UUID
    kind: TargetKind
    label: str
    value: str
    country: str
    added_by: str
    added_at: datetime


class TaskPublic(BaseModel):
    id: uuid.UUID
    country: str
    title: str
    owner: str
    due_on: date
    done_at: datetime | None


class LocalTimePublic(BaseModel):
    country: str
    time_zone: str
    starts: datetime
    ends: datetime


class ActionDayPublic(BaseModel):
    id: uuid.UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    countries: list[str]
    local: list[LocalTimePublic]


class ResultPublic(BaseModel):
    id: uuid.UUID
    country: str
    kind: ResultKind
    count: int
    amount: Decimal | None
    unit: str
    entered_by: str
    entered_at: datetime
    note: str


class TotalsPublic(BaseModel):
    by_kind: dict[ResultKind, int]
    by_country: dict[str, dict[ResultKind, int]]
    amounts: dict[ResultKind, dict[str, Decimal]]


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: Storable = Field(min_length=1, max_length=service.MAX_BODY)


class OperationPublic(OperationBrief):
    summary: str
    networks: list[str]
    starts_on: date | None
    ends_on: date | None
    version: int
    targets: list[TargetPublic]
    tasks: list[TaskPublic]
    action_days: list[ActionDayPublic]
    results: list[ResultPublic]
    totals: TotalsPublic
    cases: list[dict[str, str]]
    messages: list[MessagePublic]


def _brief(op: Operation) -> OperationBrief:
    return OperationBrief(
        id=op.id,
        name=op.name,
        codename=op.codename,
        lead_country=op.lead_country,
        participants=sorted(op.participants),
        phase=op.phase,
    )


def _view(view: service.OperationView) -> OperationPublic:
    op = view.operation
    return OperationPublic(
        **_brief(op).model_dump(),
        summary=op.summary,
        networks=list(op.networks),
        starts_on=op.starts_on,
        ends_on=op.ends_on,
        version=op.version,
        targets=[
            TargetPublic(**{k: getattr(t, k) for k in TargetPublic.model_fields})
            for t in view.targets
        ],
        tasks=[
            TaskPublic(**{k: getattr(t, k) for k in TaskPublic.model_fields}) for t in view.tasks
        ],
        action_days=[
            ActionDayPublic(
                id=s.day.id,
                title=s.day.title,
                starts_at=s.day.starts_at,
                ends_at=s.day.ends_at,
                countries=sorted(s.day.countries),
                local=[LocalTimePublic(**vars_of(t)) for t in s.local],
            )
            for s in view.schedule
        ],
        results=[
            ResultPublic(**{k: getattr(r, k) for k in ResultPublic.model_fields})
            for r in view.results
        ],
        totals=TotalsPublic(
            by_kind=view.totals.by_kind,
            by_country=view.totals.by_country,
            amounts=view.totals.amounts,
        ),
        cases=[{"id": str(i), "reference": ref, "title": title} for i, ref, title in view.cases],
        messages=[
            MessagePublic(
                id=m.message.id,
                sender_username=m.message.sender_username,
                sender_country=m.message.sender_country,
                body=m.message.body,
                sent_at=m.message.sent_at,
                verified=m.verified,
            )
            for m in view.messages
        ],
    )


def vars_of(local: service.LocalTime) -> dict[str, object]:
    return {
        "country": local.country,
        "time_zone": local.time_zone,
        "starts": local.starts,
        "ends": local.ends,
    }


@router.post("", status_code=status.HTTP_201_CREATED)
def create(body: OperationIn, actor: CurrentActor, uow: UowDep) -> OperationPublic:
    """The central unit's coordinator opens an operation; only participants will see it."""
    command = service.NewOperation(
        name=body.name,
        codename=body.codename,
        lead_country=body.lead_country,
        participants=frozenset(body.participants),
        summary=body.summary,
        networks=tuple(body.networks),
        starts_on=body.starts_on,
        ends_on=body.ends_on,
    )
    op = service.create_operation(uow, actor, command)
    return _view(service.get_operation(uow, actor, op.id))


@router.get("")
def list_all(actor: CurrentActor, uow: UowDep) -> list[OperationBrief]:
    return [_brief(op) for op in service.list_operations(uow, actor)]


@router.get("/{operation_id}")
def get(operation_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> OperationPublic:
    return _view(service.get_operation(uow, actor, operation_id))


@router.post("/{operation_id}/participants")
def participants(
    operation_id: uuid.UUID, body: CountriesIn, actor: CurrentActor, uow: UowDep
) -> OperationBrief:
    return _brief(service.add_participants(uow, actor, operation_id, body.countries))


@router.post("/{operation_id}/cases")
def link_case(
    operation_id: uuid.UUID, body: CaseLinkIn, actor: CurrentActor, uow: UowDep
) -> OperationBrief:
    return _brief(service.link_case(uow, actor, operation_id, body.case_id))


@router.post("/{operation_id}/phase")
def phase(
    operation_id: uuid.UUID, body: PhaseIn, actor: CurrentActor, uow: UowDep
) -> OperationBrief:
    return _brief(service.advance_phase(uow, actor, operation_id, body.to))


@router.post("/{operation_id}/deconflict")
def deconflict(
    operation_id: uuid.UUID, body: DeconflictIn, actor: CurrentActor, uow: UowDep
) -> DeconflictionPublic:
    """Does another country's case or operation hold this target? Hit/no-hit only: who holds
    it and whom to contact."""
    found = service.deconflict(uow, actor, operation_id, body.kind, body.value)
    return DeconflictionPublic(
        asked=found.asked,
        hit=found.hit,
        holders=[
            HolderPublic(country=h.country, held_in=h.held_in, contact=h.contact)
            for h in found.holders
        ],
    )


@router.post("/{operation_id}/targets", status_code=status.HTTP_201_CREATED)
def add_target(
    operation_id: uuid.UUID, body: TargetIn, actor: CurrentActor, uow: UowDep
) -> TargetPublic:
    t = service.add_target(
        uow, actor, operation_id, body.kind, body.label, body.value, body.country
    )
    return TargetPublic(**{k: getattr(t, k) for k in TargetPublic.model_fields})


@router.post("/{operation_id}/tasks", status_code=status.HTTP_201_CREATED)
def add_task(operation_id: uuid.UUID, body: TaskIn, actor: CurrentActor, uow: UowDep) -> TaskPublic:
    t = service.add_task(
        uow, actor, operation_id, body.country, body.title, body.owner, body.due_on
    )
    return TaskPublic(**{k: getattr(t, k) for k in TaskPublic.model_fields})


@router.post("/{operation_id}/tasks/{task_id}/done")
def complete_task(
    operation_id: uuid.UUID, task_id: uuid.UUID, actor: CurrentActor, uow: UowDep
) -> TaskPublic:
    t = service.complete_task(uow, actor, operation_id, task_id)
    return TaskPublic(**{k: getattr(t, k) for k in TaskPublic.model_fields})


@router.post("/{operation_id}/action-days", status_code=status.HTTP_201_CREATED)
def add_action_day(
    operation_id: uuid.UUID, body: ActionDayIn, actor: CurrentActor, uow: UowDep
) -> OperationPublic:
    service.add_action_day(
        uow, actor, operation_id, body.title, body.starts_at, body.ends_at, body.countries
    )
    return _view(service.get_operation(uow, actor, operation_id))


@router.post("/{operation_id}/results", status_code=status.HTTP_201_CREATED)
def add_result(
    operation_id: uuid.UUID, body: ResultIn, actor: CurrentActor, uow: UowDep
) -> ResultPublic:
    amount = str(body.amount) if body.amount is not None else None
    r = service.record_result(
        uow, actor, operation_id, body.kind, body.count, amount, body.unit, body.note
    )
    return ResultPublic(**{k: getattr(r, k) for k in ResultPublic.model_fields})


@router.post("/{operation_id}/messages", status_code=status.HTTP_201_CREATED)
def send_message(
    operation_id: uuid.UUID,
    body: MessageIn,
    actor: CurrentActor,
    uow: UowDep,
    platform: PlatformDep,
) -> MessagePublic:
    """A message to every participant on the operation's channel, signed by your agency."""
    m = service.send_message(uow, platform.credentials, actor, operation_id, body.body)
    return MessagePublic(
        id=m.id,
        sender_username=m.sender_username,
        sender_country=m.sender_country,
        body=m.body,
        sent_at=m.sent_at,
        verified=True,
    )


@router.get("/{operation_id}/report.pdf", response_class=Response)
def report_pdf(operation_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> Response:
    """The after-action report as a PDF (what the caller may see of the operation)."""
    view = service.get_operation(uow, actor, operation_id)
    name = f"after-action-{view.operation.codename.lower()}.pdf"
    return Response(
        report.pdf(view),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
