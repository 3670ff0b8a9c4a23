"""The SQL unit of work: one connection, one transaction, the repositories bound to it."""

from types import TracebackType
from typing import Self

import sqlalchemy as sa

from casebridge.audit.store import SqlAuditRepository
from casebridge.identity.store import SqlIdentityRepository
from casebridge.kernel.clock import Clock
from casebridge.markings.store import SqlMarkingRepository


class SqlUnitOfWork:
    """Rolls back on leaving unless `commit()` was called; `commit()` may be called once."""

    identity: SqlIdentityRepository
    audit: SqlAuditRepository
    markings: SqlMarkingRepository

    def __init__(self, engine: sa.Engine, clock: Clock, request_id: str = "") -> None:
        self._engine = engine
        self.clock = clock
        self.request_id = request_id

    def __enter__(self) -> Self:
        self._connection = self._engine.connect()
        self._transaction = self._connection.begin()
        self.identity = SqlIdentityRepository(self._connection)
        self.audit = SqlAuditRepository(self._connection)
        self.markings = SqlMarkingRepository(self._connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._transaction.is_active:
            self._transaction.rollback()
        self._connection.close()

    def commit(self) -> None:
        self._transaction.commit()

    @property
    def connection(self) -> sa.Connection:
        """For bulk paths and tests that need Core directly."""
        return self._connection
