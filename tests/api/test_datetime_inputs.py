"""Every datetime an API operation takes is the shared `AwareDatetime` (a time zone, years
1900-2199), so none reaches the database naive or out of range (issue 16, defect 11)."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter, ValidationError

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.web.datetimes import AwareDatetime

MARK = "with a time zone"


def _date_times(schema: dict[str, Any], schemas: dict[str, Any], path: str) -> Iterator[str]:
    """Paths of the `date-time` strings in `schema` that do not say they take a time zone."""
    if "$ref" in schema:
        yield from _date_times(schemas[schema["$ref"].rsplit("/", 1)[1]], schemas, path)
        return
    if schema.get("format") == "date-time" and MARK not in schema.get("description", ""):
        yield path
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            yield from _date_times(
                {"description": schema.get("description", "")} | sub, schemas, path
            )
    for name, sub in schema.get("properties", {}).items():
        yield from _date_times(sub, schemas, f"{path}.{name}")
    if "items" in schema:
        yield from _date_times(schema["items"], schemas, f"{path}[]")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_every_datetime_input_of_the_api_is_aware_and_bounded(platform: Platform) -> None:
    document = (
        TestClient(create_app(platform.settings, platform)).get("/api/v1/openapi.json").json()
    )
    schemas = document["components"]["schemas"]
    loose = []
    for url, operations in document["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {url}"
            for parameter in operation.get("parameters", []):
                loose += _date_times(parameter["schema"], schemas, f"{label} {parameter['name']}")
            for media in operation.get("requestBody", {}).get("content", {}).values():
                loose += _date_times(media["schema"], schemas, f"{label} body")
    assert loose == []


def test_the_shared_type_refuses_naive_and_far_away_moments() -> None:
    adapter = TypeAdapter(AwareDatetime)
    assert (
        adapter.validate_python("2026-10-02T08:30:00+02:00").isoformat()
        == "2026-10-02T06:30:00+00:00"
    )
    for refused in (
        "2026-10-02T08:30:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59-05:00",
        "2200-01-01T00:00:00Z",
    ):
        try:
            adapter.validate_python(refused)
        except ValidationError:
            continue
        raise AssertionError(f"{refused} was accepted")
