"""Case documents for tests, as an NCB officer would send them."""

from typing import Any


def ransomware_case(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "title": "LockBit affiliate attacking hospitals",
        "narrative": (
            "Since March an affiliate deployed ransomware against three hospitals in Lyon, "
            "exfiltrating patient records and demanding payment in bitcoin."
        ),
        "offences": ["art4_data_interference", "art5_system_interference"],
        "incident_class": "malicious_code",
        "urgency": "urgent",
        "fraud_types": ["ransomware"],
        "first_activity": "2026-03-02",
        "last_activity": "2026-10-30",
        "loss": {"amount": "1250000.00", "currency": "EUR"},
        "victim_count": 3,
        "countries_involved": ["FR", "DE"],
        "assistance": ["identify", "preserve_data", "arrest"],
        "persons": [
            {
                "role": "suspect",
                "family_name": "Volkov",
                "given_names": "Dmitri",
                "name_original_script": "Дмитрий Волков",
                "birth_date": "1991-07",
                "nationalities": ["RU"],
                "sex": "male",
                "handles": [{"platform": "xss.is", "handle": "dvolk"}],
            }
        ],
        "organisations": [
            {"name": "Hoster BV", "kind": "service_provider", "role": "witness", "country": "NL"}
        ],
        "indicators": [
            {"type": "ipv4", "value": "185.220.101.7", "description": "C2 server"},
            {"type": "btc_wallet", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
        ],
        "sharing": {"tlp": "TLP:AMBER"},
    }
    case.update(changes)
    return case
