"""What the STIX tests share: the test world, an HTTP client, and FR cases under each marking."""

import json
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION
from tests.world import World

OWNER = "fr.investigator"
EVERY_INDICATOR = [
    {"type": "ipv4", "value": "185.220.101.7", "description": "C2 server"},
    {"type": "ipv6", "value": "2a00:1450:4001:81b::200e"},
    {"type": "cidr", "value": "185.220.100.0/22"},
    {"type": "domain", "value": "locker-panel.example.net"},
    {"type": "url", "value": "https://locker-panel.example.net/pay?id=7"},
    {"type": "email", "value": "support@locker-panel.example.net"},
    {"type": "md5", "value": "44d88612fea8a8f36de82e1278abb02f"},
    {"type": "sha1", "value": "3395856ce81f2b7382dee72602f798b642f14140"},
    {
        "type": "sha256",
        "value": "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
    },
    {
        "type": "sha512",
        "value": "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
        "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    },
    {"type": "ssdeep", "value": "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C"},
    {"type": "btc_wallet", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
    {"type": "eth_wallet", "value": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"},
    {"type": "phone", "value": "+33612345678"},
    {"type": "iban", "value": "FR1420041010050500013M02606"},
    {"type": "handle", "value": "dvolk"},
    {"type": "onion", "value": "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion"},
    {"type": "asn", "value": "AS64500"},
    {"type": "ja3", "value": "e7d705a3286e19ea42f587b344ee6865"},
]


@dataclass
class Exchange:
    client: TestClient
    world: World
    platform: Platform

    def ok(self, caller: str, method: str, url: str, body: object = None) -> Any:
        response = self.client.request(method, url, json=body, headers=self.world.headers(caller))
        assert response.status_code in {200, 201}, response.text
        return response.json()

    def case(self, sharing: dict[str, Any], accept: bool = True, **changes: Any) -> str:
        """An FR case of the owner's agency, accepted by the central unit unless told."""
        body = ransomware_case(sharing=sharing, **changes)
        made = self.ok(OWNER, "POST", "/api/v1/cases", body)
        if accept:
            self.ok(OWNER, "POST", f"/api/v1/cases/{made['id']}/submit")
            self.ok("gs.reviewer", "POST", f"/api/v1/review/cases/{made['id']}/decision", DECISION)
        return str(made["id"])

    def export(self, caller: str, case_id: str) -> tuple[int, dict[str, Any]]:
        response = self.client.get(
            f"/api/v1/cases/{case_id}/export/stix", headers=self.world.headers(caller)
        )
        body = json.loads(response.text) if response.status_code == 200 else response.json()
        return response.status_code, body

    def agency(self, name: str) -> str:
        return str(self.world.agencies[name].id)


@pytest.fixture
def exchange(platform: Platform, world: World) -> Exchange:
    return Exchange(TestClient(create_app(platform.settings, platform)), world, platform)


def values_in(bundle: dict[str, Any]) -> str:
    """The whole bundle as text, to look for a value in it."""
    return json.dumps(bundle)
