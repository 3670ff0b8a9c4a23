"""The SQL unit of work: one connection, one transaction, the repositories bound to it."""

from types import TracebackType
from typing import Self

import sqlalchemy as sa

from casebridge.alerts.store import SqlAlertRepository
from casebridge.analytics.store import SqlSuggestionRepository
from casebridge.analytics.trends_store import SqlTrendRepository
from casebridge.audit.store import SqlAuditRepository
from casebridge.capacity.store import SqlCapacityRepository
from casebridge.cases.store import SqlCaseRepository
from casebridge.collaboration.store import SqlCollaborationRepository
from casebridge.dataprotection.store import SqlRequestRepository
from casebridge.evidence.store import SqlEvidenceRepository
from casebridge.identity.store import SqlIdentityRepository
from casebridge.intel.store import SqlIntelRepository
from casebridge.interop.misp.store import SqlMispRepository
from casebridge.interop.store import SqlInteropRepository
from casebridge.interop.taxii.store import SqlTaxiiRepository
from casebridge.kernel.clock import Clock
from casebridge.legal.store import SqlLegalRepository
from casebridge.markings.store import SqlMarkingRepository
from casebridge.notices.store import SqlNoticeRepository
from casebridge.operations.store import SqlOperationRepository
from casebridge.partners.store import SqlPartnerRepository


class SqlUnitOfWork:
    """Rolls back on leaving whatever `commit()` did not make durable."""

    identity: SqlIdentityRepository
    audit: SqlAuditRepository
    markings: SqlMarkingRepository
    cases: SqlCaseRepository
    evidence: SqlEvidenceRepository
    collaboration: SqlCollaborationRepository
    data_requests: SqlRequestRepository
    intel: SqlIntelRepository
    legal: SqlLegalRepository
    notices: SqlNoticeRepository
    capacity: SqlCapacityRepository
    operations: SqlOperationRepository
    alerts: SqlAlertRepository
    partners: SqlPartnerRepository
    misp: SqlMispRepository
    interop: SqlInteropRepository
    trends: SqlTrendRepository
    analytics: SqlSuggestionRepository
    taxii: SqlTaxiiRepository

    def __init__(self, engine: sa.Engine, clock: Clock, request_id: str = "") -> None:
        self._engine = engine
        self.clock = clock
        self.request_id = request_id

    def __enter__(self) -> Self:
        self._connection = self._engine.connect()
        self._connection.begin()
        self.identity = SqlIdentityRepository(self._connection)
        self.audit = SqlAuditRepository(self._connection)
        self.markings = SqlMarkingRepository(self._connection)
        self.cases = SqlCaseRepository(self._connection)
        self.evidence = SqlEvidenceRepository(self._connection)
        self.collaboration = SqlCollaborationRepository(self._connection)
        self.data_requests = SqlRequestRepository(self._connection)
        self.intel = SqlIntelRepository(self._connection)
        self.legal = SqlLegalRepository(self._connection)
        self.notices = SqlNoticeRepository(self._connection)
        self.capacity = SqlCapacityRepository(self._connection)
        self.operations = SqlOperationRepository(self._connection)
        self.alerts = SqlAlertRepository(self._connection)
        self.partners = SqlPartnerRepository(self._connection)
        self.misp = SqlMispRepository(self._connection)
        self.interop = SqlInteropRepository(self._connection)
        self.trends = SqlTrendRepository(self._connection)
        self.analytics = SqlSuggestionRepository(self._connection)
        self.taxii = SqlTaxiiRepository(self._connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._connection.rollback()  # whatever was not committed
        self._connection.close()

    def commit(self) -> None:
        """Commit what was done so far; later work in the block starts a new transaction."""
        self._connection.commit()

    @property
    def connection(self) -> sa.Connection:
        """For bulk paths and tests that need Core directly."""
        return self._connection
