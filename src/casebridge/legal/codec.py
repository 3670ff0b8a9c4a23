"""Requests to and from the JSON documents storage keeps (pydantic does the typing).

The contents are decoded by the request's type, never guessed from their shape: every
contents class has defaults for all its fields, so a shape alone would be ambiguous.
"""

from dataclasses import fields
from typing import Any

from pydantic import TypeAdapter

from casebridge.legal.model import CONTENTS, LegalRequest
from casebridge.legal.terms import RequestType

_REQUEST = TypeAdapter(LegalRequest)
_CONTENTS = {kind: TypeAdapter(cls) for kind, cls in CONTENTS.items()}


def request_document(request: LegalRequest) -> dict[str, Any]:
    """The request as JSON, in a canonical form: sets (an MLA's measures) come out sorted, so
    the same request always gives the same document (its signature is over this form)."""
    document: dict[str, Any] = _REQUEST.dump_python(request, mode="json")
    for field in fields(request.contents):
        if isinstance(getattr(request.contents, field.name), frozenset):
            document["contents"][field.name] = sorted(document["contents"][field.name])
    return document


def request_from_document(document: dict[str, Any]) -> LegalRequest:
    contents = _CONTENTS[RequestType(document["type"])].validate_python(document["contents"])
    return _REQUEST.validate_python(document | {"contents": contents})


def contents_from_document(request_type: RequestType, document: dict[str, Any]) -> object:
    """Contents as a client sent them (JSON), validated for the request's type."""
    return _CONTENTS[request_type].validate_python(document)
