"""STIX import: 2.0 and 2.1 bundles into a case (indicators indexed: a lookup finds them) or as
a threat report awaiting review; invalid input refused whole, nothing stored."""

import gzip
import io
import json
import uuid
from typing import Any

import ijson
import pytest
import sqlalchemy as sa

from casebridge.errors import Forbidden, InvalidInput
from casebridge.intel import service as intel
from casebridge.interop.stix import mapping, service
from casebridge.kernel.marking import Tlp
from casebridge.partners import service as partners
from tests.interop.stix_support import OWNER, Exchange, exchange

__all__ = ["exchange"]

ATTACK = "/work/shared/data/attack/enterprise-attack.json.gz"


def _id(kind: str) -> str:
    return f"{kind}--{uuid.uuid4()}"


def indicator(pattern: str, spec: str = "2.1", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "indicator",
        "id": _id("indicator"),
        "created": "2026-10-01T10:00:00.000Z",
        "modified": "2026-10-01T10:00:00.000Z",
        "name": "C2",
        "pattern": pattern,
        "valid_from": "2026-10-01T10:00:00Z",
        **extra,
    }
    if spec == "2.1":
        body |= {
            "spec_version": "2.1",
            "pattern_type": "stix",
            "indicator_types": ["malicious-activity"],
        }
    else:
        body |= {"labels": ["malicious-activity"]}
    return body


def bundle21(*objects: dict[str, Any]) -> dict[str, Any]:
    return {"type": "bundle", "id": _id("bundle"), "objects": list(objects)}


def bundle20(*objects: dict[str, Any]) -> dict[str, Any]:
    return {"type": "bundle", "id": _id("bundle"), "spec_version": "2.0", "objects": list(objects)}


def _source(document: object) -> io.BytesIO:
    text = document if isinstance(document, str) else json.dumps(document)
    return io.BytesIO(text.encode())


def _rows(exchange: Exchange) -> int:
    with exchange.platform.uow() as uow:
        return uow.interop.count_objects()


def _reports(exchange: Exchange) -> int:
    with exchange.platform.uow() as uow:
        return int(uow.connection.scalar(sa.text("select count(*) from threat_reports")) or 0)


def _lookup(exchange: Exchange, value: str, caller: str = OWNER) -> list[str]:
    actor = exchange.world.actor(caller)
    answers = intel.lookup(
        exchange.platform.uow(), actor, [intel.LookupItem(value)], exchange.platform.intel
    )
    return [m.reference for a in answers for m in a.matches]


def test_a_21_bundle_into_a_case_is_kept_and_indexed(exchange: Exchange) -> None:
    case_id = uuid.UUID(exchange.case({"tlp": "TLP:AMBER"}))
    owner = exchange.world.actor(OWNER)
    document = bundle21(
        indicator("[ipv4-addr:value = '203.0.113.77']"),
        indicator("[domain-name:value = 'drainer-kit.example.org']"),
        indicator("[ipv4-addr:value = '203.0.113.78' OR ipv4-addr:value = '203.0.113.79']"),
        {
            "type": "malware",
            "spec_version": "2.1",
            "id": _id("malware"),
            "name": "Drainer",
            "is_family": True,
            "created": "2026-10-01T10:00:00.000Z",
            "modified": "2026-10-01T10:00:00.000Z",
        },
    )
    report = service.import_bundle(
        exchange.platform.uow(), owner, _source(document), case_id=case_id, origin="test"
    )
    assert (report.objects, report.stored, report.indicators, report.unmapped) == (4, 4, 2, 1)
    assert report.spec_versions == ("2.1",)
    assert _rows(exchange) == 4
    assert _lookup(exchange, "203.0.113.77")  # the index knows it now
    assert _lookup(exchange, "203.0.113.78") == []  # a compound pattern is kept, not indexed
    again = service.import_bundle(
        exchange.platform.uow(), owner, _source(document), case_id=case_id, origin="test"
    )
    assert again.stored == 0
    assert _rows(exchange) == 4
    exported = service.export_case(exchange.platform.uow(), owner, case_id)
    assert any(o["type"] == "malware" for o in exported["objects"])


def test_a_20_bundle_into_a_case(exchange: Exchange) -> None:
    case_id = uuid.UUID(exchange.case({"tlp": "TLP:AMBER"}))
    document = bundle20(indicator("[url:value = 'http://pay.example.com/x']", spec="2.0"))
    report = service.import_bundle(
        exchange.platform.uow(),
        exchange.world.actor(OWNER),
        _source(document),
        case_id=case_id,
        origin="test",
    )
    assert report.spec_versions == ("2.0",)
    assert report.indicators == 1
    assert _lookup(exchange, "http://pay.example.com/x")


def test_only_the_owner_imports_into_a_case(exchange: Exchange) -> None:
    case_id = uuid.UUID(exchange.case({"tlp": "TLP:GREEN"}))
    with pytest.raises(Forbidden):
        service.import_bundle(
            exchange.platform.uow(),
            exchange.world.actor("de.officer"),
            _source(bundle21(indicator("[ipv4-addr:value = '203.0.113.5']"))),
            case_id=case_id,
            origin="test",
        )
    assert _rows(exchange) == 0


def test_without_a_case_a_report_awaits_review_under_the_bundle_tlp(exchange: Exchange) -> None:
    officer = exchange.world.actor("de.officer")
    document = bundle21(
        indicator(
            "[ipv4-addr:value = '203.0.113.90']",
            object_marking_refs=[mapping.TLP2_IDS[Tlp.GREEN]],
        ),
        mapping.tlp_definition(Tlp.GREEN),
    )
    report = service.import_bundle(
        exchange.platform.uow(), officer, _source(document), case_id=None, origin="taxii"
    )
    assert report.report_id is not None
    assert report.tlp is Tlp.GREEN
    filed = partners.get_report(exchange.platform.uow(), officer, report.report_id)
    assert filed.state.value == "submitted"
    assert [i.canonical for i in filed.indicators] == ["203.0.113.90"]
    queue = partners.review_queue(exchange.platform.uow(), exchange.world.actor("de.admin"))
    assert report.report_id in {r.id for r in queue}  # DE's NCB reviews it
    assert _lookup(exchange, "203.0.113.90", "de.officer") == []  # not indexed before review
    # a bundle without any indicator still files a report, with its objects kept
    empty = service.import_bundle(
        exchange.platform.uow(),
        officer,
        _source(
            bundle21(
                {
                    "type": "identity",
                    "spec_version": "2.1",
                    "id": _id("identity"),
                    "name": "ACME",
                    "created": "2026-10-01T10:00:00.000Z",
                    "modified": "2026-10-01T10:00:00.000Z",
                }
            )
        ),
        case_id=None,
        origin="stix",
    )
    assert empty.indicators == 0
    assert empty.report_id is not None


def test_objects_are_deleted_by_their_importer_only(exchange: Exchange) -> None:
    case_id = uuid.UUID(exchange.case({"tlp": "TLP:AMBER"}))
    item = indicator("[ipv4-addr:value = '203.0.113.44']")
    service.import_bundle(
        exchange.platform.uow(),
        exchange.world.actor(OWNER),
        _source(bundle21(item)),
        case_id=case_id,
        origin="test",
    )
    with pytest.raises(Exception, match="no object"):
        service.delete_objects(
            exchange.platform.uow(), exchange.world.actor("de.officer"), item["id"]
        )
    assert (
        service.delete_objects(exchange.platform.uow(), exchange.world.actor(OWNER), item["id"])
        == 1
    )
    assert _rows(exchange) == 0


INVALID: dict[str, tuple[str, str]] = {
    "malformed JSON": ('{"type": "bundle", "objects": [{"type": ', "not valid JSON"),
    "not a bundle": (
        json.dumps({"type": "report", "id": _id("report"), "objects": []}),
        "not a STIX bundle",
    ),
    "a list": ("[1, 2]", "not a STIX bundle"),
    "wrong spec version": (
        json.dumps(
            bundle21(indicator("[ipv4-addr:value = '203.0.113.1']") | {"spec_version": "3.0"})
        ),
        "not supported",
    ),
    "wrong bundle spec version": (
        json.dumps(
            bundle21()
            | {"spec_version": "2.1", "objects": [indicator("[ipv4-addr:value = '203.0.113.1']")]}
        ),
        "not supported",
    ),
    "unknown type": (
        json.dumps(
            bundle21(
                {
                    "type": "gizmo",
                    "spec_version": "2.1",
                    "id": _id("gizmo"),
                    "created": "2026-10-01T10:00:00.000Z",
                    "modified": "2026-10-01T10:00:00.000Z",
                }
            )
        ),
        "not a STIX 2.1 type",
    ),
    "bad pattern": (json.dumps(bundle21(indicator("[ipv4-addr:value = "))), "pattern"),
    "schema error": (
        json.dumps(
            bundle21(
                {
                    "type": "malware",
                    "spec_version": "2.1",
                    "id": _id("malware"),
                    "created": "2026-10-01T10:00:00.000Z",
                    "modified": "2026-10-01T10:00:00.000Z",
                }
            )
        ),
        "is_family",
    ),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_input_is_refused_whole(exchange: Exchange, name: str) -> None:
    text, words = INVALID[name]
    good = indicator("[ipv4-addr:value = '203.0.113.2']")
    if text.startswith('{"type": "bundle"') and '"objects": [' in text and name != "malformed JSON":
        document = json.loads(text)
        document["objects"].insert(0, good)  # a valid object first: it must go too
        text = json.dumps(document)
    case_id = uuid.UUID(exchange.case({"tlp": "TLP:AMBER"}))
    before = (_rows(exchange), _reports(exchange))
    for target in (case_id, None):
        with pytest.raises(InvalidInput) as refused:
            service.import_bundle(
                exchange.platform.uow(),
                exchange.world.actor(OWNER),
                _source(text),
                case_id=target,
                origin="test",
            )
        messages = refused.value.detail + " ".join(f.message for f in refused.value.field_errors)
        assert words in messages, messages
    assert (_rows(exchange), _reports(exchange)) == before
    assert _lookup(exchange, "203.0.113.2") == []


def test_more_objects_than_allowed_are_refused(exchange: Exchange) -> None:
    case_id = uuid.UUID(exchange.case({"tlp": "TLP:AMBER"}))
    document = bundle21(*(indicator(f"[ipv4-addr:value = '203.0.113.{n}']") for n in range(1, 6)))
    with pytest.raises(InvalidInput, match="more than 4 objects"):
        service.import_bundle(
            exchange.platform.uow(),
            exchange.world.actor(OWNER),
            _source(document),
            case_id=case_id,
            origin="test",
            limits=service.Limits(max_objects=4),
        )
    assert _rows(exchange) == 0


def test_part_of_the_attack_bundle_imports_as_20(exchange: Exchange) -> None:
    """The first 3,000 objects of MITRE's ATT&CK Enterprise bundle (STIX 2.0, x-mitre types)."""
    objects = []
    with gzip.open(ATTACK, "rb") as raw:
        for n, obj in enumerate(ijson.items(raw, "objects.item", use_float=True)):
            objects.append(obj)
            if n == 2999:
                break
    document = bundle20(*objects)
    case_id = uuid.UUID(exchange.case({"tlp": "TLP:AMBER"}))
    report = service.import_bundle(
        exchange.platform.uow(),
        exchange.world.actor(OWNER),
        _source(document),
        case_id=case_id,
        origin="attack",
    )
    assert report.objects == 3000
    assert report.stored == 3000
    assert report.fully_validated < 3000
