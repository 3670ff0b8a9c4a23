"""What the partners services need from storage."""

import uuid
from collections.abc import Collection
from typing import Protocol

from casebridge.kernel.actor import Actor
from casebridge.partners.model import PartnerSector, ThreatReport
from casebridge.partners.requests import PartnerRequest


class PartnerRepository(Protocol):
    def set_sector(self, agency_id: uuid.UUID, sector: PartnerSector) -> None:
        """Store (or change) a partner's sector."""

    def sector(self, agency_id: uuid.UUID) -> PartnerSector | None:
        """The partner's sector, if set."""

    def add_report(self, report: ThreatReport) -> None:
        """Store a new report."""

    def update_report(self, report: ThreatReport) -> None:
        """Store a reviewed report (its state, reviewer, reasons and case)."""

    def get_report(self, report_id: uuid.UUID) -> ThreatReport | None:
        """The report with this id."""

    def reports_of(self, agency_id: uuid.UUID) -> list[ThreatReport]:
        """A partner agency's reports, newest first."""

    def submitted(self, countries: Collection[str] | None) -> list[ThreatReport]:
        """Reports awaiting review from partners of these countries (None: all), oldest first."""

    def add_request(self, request: PartnerRequest) -> None:
        """Store a request just sent."""

    def update_request(self, request: PartnerRequest, version: int) -> bool:
        """Store a moved request if it is still at `version`; False if someone moved it first."""

    def get_request(self, request_id: uuid.UUID) -> PartnerRequest | None:
        """The request with this id."""

    def requests_for(self, actor: Actor) -> list[PartnerRequest]:
        """Requests the actor's agency sent or received and may see, newest first."""
