"""The unit-of-work protocol every service takes: one transaction per use case.

Leaving the `with` block without `commit()` rolls everything back, the audit entries included;
repositories never commit.
"""

from types import TracebackType
from typing import Protocol, Self

from casebridge.alerts.ports import AlertRepository
from casebridge.analytics.ports import SuggestionRepository
from casebridge.analytics.trends_ports import TrendRepository
from casebridge.audit.ports import AuditRepository
from casebridge.capacity.ports import CapacityRepository
from casebridge.cases.ports import CaseRepository
from casebridge.collaboration.ports import CollaborationRepository
from casebridge.dataprotection.ports import RequestRepository
from casebridge.evidence.ports import EvidenceRepository
from casebridge.identity.ports import IdentityRepository
from casebridge.intel.ports import IntelRepository
from casebridge.interop.misp.ports import MispRepository
from casebridge.interop.ports import InteropRepository
from casebridge.interop.taxii.ports import TaxiiRepository
from casebridge.kernel.clock import Clock
from casebridge.legal.ports import LegalRepository
from casebridge.markings.ports import MarkingRepository
from casebridge.notices.ports import NoticeRepository
from casebridge.operations.ports import OperationRepository
from casebridge.partners.ports import PartnerRepository


class UnitOfWork(Protocol):
    @property
    def identity(self) -> IdentityRepository: ...

    @property
    def audit(self) -> AuditRepository: ...

    @property
    def markings(self) -> MarkingRepository: ...

    @property
    def cases(self) -> CaseRepository: ...

    @property
    def evidence(self) -> EvidenceRepository: ...

    @property
    def collaboration(self) -> CollaborationRepository: ...

    @property
    def data_requests(self) -> RequestRepository: ...

    @property
    def intel(self) -> IntelRepository: ...

    @property
    def legal(self) -> LegalRepository: ...

    @property
    def notices(self) -> NoticeRepository: ...

    @property
    def capacity(self) -> CapacityRepository: ...

    @property
    def operations(self) -> OperationRepository: ...

    @property
    def alerts(self) -> AlertRepository: ...

    @property
    def partners(self) -> PartnerRepository: ...

    @property
    def misp(self) -> MispRepository: ...

    @property
    def interop(self) -> InteropRepository: ...

    @property
    def trends(self) -> TrendRepository: ...

    @property
    def analytics(self) -> SuggestionRepository: ...

    @property
    def taxii(self) -> TaxiiRepository: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def request_id(self) -> str: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make everything done in this unit durable, at once."""
