"""Bounded STIX import (issue 16 points 8, 11, 12), on both databases: a custom property nested
1,000 deep (a RecursionError in the validator before), `objects` that is not a list (accepted
before), and a pattern longer than the cap (parsed for minutes before) are refused 422 with
nothing stored; a bundle within the bounds still imports."""

import io
import json
from typing import Any

import pytest

from casebridge.interop.stix import service
from tests.cases.test_access_matrix import assert_problem
from tests.hostile.bounds import deep_bundle, memory_cap, stored_rows
from tests.interop.stix_support import OWNER, Exchange, exchange
from tests.interop.test_stix_import import bundle21, indicator

pytestmark = pytest.mark.one_database

__all__ = ["exchange"]

URL = "/api/v1/import/stix"


def _post(
    exchange: Exchange, body: bytes, case_id: str | None = None, token: dict[str, str] | None = None
) -> Any:
    url = f"{URL}?case_id={case_id}" if case_id else URL
    headers = (token or exchange.world.headers(OWNER)) | {"Content-Type": "application/json"}
    return exchange.client.post(url, content=body, headers=headers)


def _refused(exchange: Exchange, body: bytes, field: str, case_id: str | None = None) -> str:
    token = exchange.world.headers(OWNER)  # issuing it writes: before the count
    before = stored_rows(exchange.platform)
    with memory_cap():
        response = _post(exchange, body, case_id, token)
    assert_problem(response, 422)
    assert field in [e["field"] for e in response.json()["errors"]], response.text
    assert stored_rows(exchange.platform) == before
    return str(response.json()["detail"])


def test_a_custom_property_nested_1000_deep_is_refused_not_a_500(exchange: Exchange) -> None:
    case_id = exchange.case({"tlp": "TLP:AMBER"}, accept=False)
    detail = _refused(exchange, deep_bundle(1000), "bundle", case_id)
    assert "nested deeper than 64 levels" in detail


def test_the_depth_limit_is_a_setting_and_64_levels_still_import(exchange: Exchange) -> None:
    case_id = exchange.case({"tlp": "TLP:AMBER"}, accept=False)
    nested: Any = "leaf"
    for _ in range(60):  # the object and the bundle's list add their own levels
        nested = [nested]
    probe = indicator("[ipv4-addr:value = '203.0.113.44']", x_nested=nested)
    response = _post(exchange, json.dumps(bundle21(probe)).encode(), case_id)
    assert response.status_code == 201, response.text
    limits = service.Limits(max_depth=8)
    with pytest.raises(service.InvalidInput, match="deeper than 8 levels"):
        service.import_bundle(
            exchange.platform.uow(),
            exchange.world.actor(OWNER),
            io.BytesIO(json.dumps(bundle21(probe)).encode()),
            case_id=None,
            origin="test",
            limits=limits,
        )


@pytest.mark.parametrize("objects", ['"a string"', "{}", "7", "true"])
def test_objects_that_are_not_a_list_are_refused(exchange: Exchange, objects: str) -> None:
    head = '{"type":"bundle","id":"bundle--6f1f5a8e-2c56-4b0e-9a51-3b8c5d0e7a11","objects":'
    body = f"{head}{objects}}}"
    _refused(exchange, body.encode(), "objects")


def test_a_pattern_longer_than_the_cap_is_refused_before_it_is_parsed(exchange: Exchange) -> None:
    long = "[ipv4-addr:value = '203.0.113.9']" + " OR [domain-name:value = 'a.example']" * 30_000
    body = json.dumps(bundle21(indicator(long))).encode()
    assert len(long) > exchange.platform.settings.stix_max_pattern_chars
    _refused(exchange, body, "objects[0]")
