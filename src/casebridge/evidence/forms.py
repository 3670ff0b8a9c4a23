"""Evidence sent from web forms: the case page's upload and the new-case form's attachment."""

from datetime import UTC, datetime

from starlette.datastructures import FormData, UploadFile

from casebridge.errors import FieldError, InvalidInput
from casebridge.evidence import service
from casebridge.evidence.model import Acquisition
from casebridge.web.datetimes import in_range

FIELDS = ("acquired_by", "acquired_at", "method", "legal_basis")


def attached_file(data: FormData, name: str = "file") -> UploadFile | None:
    """The uploaded file of a multipart form, if one was chosen."""
    value = data.get(name)
    return value if isinstance(value, UploadFile) and value.filename else None


def upload_from(data: FormData, file: UploadFile) -> service.Upload:
    """The evidence's metadata as typed in the form; every acquisition fact is required."""
    text = {name: str(data.get(name) or "").strip() for name in (*FIELDS, "description")}
    missing = tuple(FieldError(name, "required") for name in FIELDS if not text[name])
    if missing:
        raise InvalidInput("say how the evidence was obtained", field_errors=missing)
    acquisition = Acquisition(
        text["acquired_by"], _acquired_at(text["acquired_at"]), text["method"], text["legal_basis"]
    )
    media_type = file.content_type or "application/octet-stream"
    return service.Upload(file.filename or "", media_type, text["description"], acquisition)


def _acquired_at(text: str) -> datetime:
    """The form's local date and time (a browser sends none of its zone: taken as UTC), within
    the years every datetime input accepts."""
    try:
        moment = datetime.fromisoformat(text)
        return in_range(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    except ValueError as error:
        fields = (FieldError("acquired_at", f"a date and time, {error}"),)
        raise InvalidInput("when was it acquired?", field_errors=fields) from error
