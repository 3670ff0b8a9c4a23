"""Notices and diffusions to and from the JSON documents storage keeps (pydantic does the typing).

The details are decoded by the notice's kind, never guessed from their shape: every details
class has defaults for all its fields, so a shape alone would be ambiguous.
"""

from typing import Any

from pydantic import TypeAdapter

from casebridge.notices.criteria import DETAILS, NoticeContents, NoticeKind
from casebridge.notices.model import Diffusion, Notice

_CONTENTS = TypeAdapter(NoticeContents)
_NOTICE = TypeAdapter(Notice)
_DIFFUSION = TypeAdapter(Diffusion)
_DETAILS = {kind: TypeAdapter(cls) for kind, cls in DETAILS.items()}


def _canonical(value: Any) -> Any:
    """Sets come out sorted, so the same record always gives the same document."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def contents_document(contents: NoticeContents) -> dict[str, Any]:
    document: dict[str, Any] = _CONTENTS.dump_python(contents, mode="json")
    return _canonical(document)  # type: ignore[no-any-return]


def contents_from_document(document: dict[str, Any]) -> NoticeContents:
    """Contents as a client sent them (JSON), the details decoded by the kind. Raises
    pydantic's ValidationError (a ValueError) on a bad shape."""
    kind = NoticeKind(str(document.get("kind")))
    details = _DETAILS[kind].validate_python(document.get("details") or {})
    return _CONTENTS.validate_python(document | {"details": details})


def notice_document(notice: Notice) -> dict[str, Any]:
    document: dict[str, Any] = _NOTICE.dump_python(notice, mode="json")
    document["contents"] = contents_document(notice.contents)
    return document


def notice_from_document(document: dict[str, Any]) -> Notice:
    contents = contents_from_document(document["contents"])
    return _NOTICE.validate_python(document | {"contents": contents})


def diffusion_document(diffusion: Diffusion) -> dict[str, Any]:
    document: dict[str, Any] = _DIFFUSION.dump_python(diffusion, mode="json")
    document["contents"] = contents_document(diffusion.contents)
    document["recipients"] = sorted(diffusion.recipients)
    return document


def diffusion_from_document(document: dict[str, Any]) -> Diffusion:
    contents = contents_from_document(document["contents"])
    return _DIFFUSION.validate_python(document | {"contents": contents})
