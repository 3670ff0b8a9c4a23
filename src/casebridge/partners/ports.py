"""What the partners services need from storage."""

import uuid
from collections.abc import Collection
from typing import Protocol

from casebridge.partners.model import PartnerSector, ThreatReport


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
