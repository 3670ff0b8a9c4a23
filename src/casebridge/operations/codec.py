"""Operations and their items to and from the JSON documents storage keeps."""

from typing import Any, TypeVar

from pydantic import TypeAdapter

from casebridge.operations.model import ActionDay, Message, Operation, Result, Target, Task

Item = TypeVar("Item", Operation, Target, Task, ActionDay, Result, Message)
_ADAPTERS: dict[type, TypeAdapter[Any]] = {
    cls: TypeAdapter(cls) for cls in (Operation, Target, Task, ActionDay, Result, Message)
}


def document(item: Operation | Target | Task | ActionDay | Result | Message) -> dict[str, Any]:
    found: dict[str, Any] = _ADAPTERS[type(item)].dump_python(item, mode="json")
    for key, value in found.items():
        if isinstance(value, list) and key in {"participants", "partners", "case_ids", "countries"}:
            found[key] = sorted(value)
    return found


def from_document(cls: type[Item], found: dict[str, Any]) -> Item:
    item: Item = _ADAPTERS[cls].validate_python(found)
    return item
