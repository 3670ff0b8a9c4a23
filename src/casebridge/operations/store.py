"""Tables of joint operations: the operation and its items (targets, tasks, action days,
results). Lists push the access policy into SQL (`visible_to`)."""

import json
import uuid
from typing import Any

import sqlalchemy as sa

from casebridge.db.metadata import UtcDateTime, metadata, parent_key
from casebridge.kernel.actor import Actor
from casebridge.markings.store import markings, policy_parameters, visible_to
from casebridge.operations.ports import StoredItem, StoredOperation

operations = sa.Table(
    "operations",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=False),
    sa.Column("codename", sa.String(100), nullable=False),
    sa.Column("lead_country", sa.String(2), nullable=False),
    sa.Column("phase", sa.String(16), nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)
operation_items = sa.Table(
    "operation_items",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    parent_key("operations.id"),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("value", sa.String(512), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Index("ix_operation_items_kind_value", "kind", "value"),
)


def _operation(row: sa.Row[Any]) -> StoredOperation:
    r = row._mapping  # noqa: SLF001 - public API
    return StoredOperation(
        id=r["id"],
        marking_id=r["marking_id"],
        codename=r["codename"],
        lead_country=r["lead_country"],
        phase=r["phase"],
        updated_at=r["updated_at"],
        document=json.loads(r["document"]),
        version=r["version"],
    )


def _values(o: StoredOperation) -> dict[str, Any]:
    return {
        "id": o.id,
        "marking_id": o.marking_id,
        "codename": o.codename[:100],
        "lead_country": o.lead_country,
        "phase": o.phase,
        "updated_at": o.updated_at,
        "document": json.dumps(o.document, sort_keys=True),
        "version": o.version,
    }


def _item(row: sa.Row[Any]) -> StoredItem:
    r = row._mapping  # noqa: SLF001 - public API
    return StoredItem(
        id=r["id"],
        operation_id=r["operation_id"],
        kind=r["kind"],
        value=r["value"],
        created_at=r["created_at"],
        document=json.loads(r["document"]),
    )


def _item_values(i: StoredItem) -> dict[str, Any]:
    return {
        "id": i.id,
        "operation_id": i.operation_id,
        "kind": i.kind,
        "value": i.value[:512],
        "created_at": i.created_at,
        "document": json.dumps(i.document, sort_keys=True),
    }


class SqlOperationRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._c = connection

    def add(self, operation: StoredOperation) -> None:
        self._c.execute(operations.insert().values(_values(operation)))

    def get(self, operation_id: uuid.UUID) -> StoredOperation | None:
        row = self._c.execute(sa.select(operations).where(operations.c.id == operation_id)).first()
        return _operation(row) if row else None

    def save(self, operation: StoredOperation, expected_version: int) -> bool:
        o = operations.c
        result = self._c.execute(
            operations.update()
            .where(o.id == operation.id, o.version == expected_version)
            .values(_values(operation))
        )
        return result.rowcount == 1

    def visible(
        self, actor: Actor, limit: int, *, everything: bool = False
    ) -> list[StoredOperation]:
        query = sa.select(operations)
        if not everything:
            m = markings.alias("m")
            query = (
                query.join(m, m.c.id == operations.c.marking_id)
                .where(visible_to(actor, m))
                .params(policy_parameters(actor))
            )
        rows = self._c.execute(query.order_by(operations.c.updated_at.desc()).limit(limit))
        return [_operation(row) for row in rows]

    def add_item(self, item: StoredItem) -> None:
        self._c.execute(operation_items.insert().values(_item_values(item)))

    def replace_item(self, item: StoredItem) -> None:
        self._c.execute(
            operation_items.update()
            .where(operation_items.c.id == item.id)
            .values(_item_values(item))
        )

    def items(self, operation_id: uuid.UUID, kind: str | None = None) -> list[StoredItem]:
        i = operation_items.c
        query = sa.select(operation_items).where(i.operation_id == operation_id)
        if kind is not None:
            query = query.where(i.kind == kind)
        return [_item(row) for row in self._c.execute(query.order_by(i.created_at, i.id))]

    def holders(self, kind: str, value: str) -> list[StoredOperation]:
        i = operation_items.c
        ids = sa.select(i.operation_id).where(i.kind == kind, i.value == value)
        rows = self._c.execute(sa.select(operations).where(operations.c.id.in_(ids)))
        return [_operation(row) for row in rows]
