"""Category suggestion on fixed narratives, with the words that drove it."""

from casebridge.analytics.category import CategoryModel, Labelled, shipped_model
from casebridge.cases.taxonomy import FraudType, IncidentClass


def test_the_shipped_model_names_the_class_and_its_words() -> None:
    found = shipped_model().suggest(
        "Callers posing as bank employees convinced victims to transfer their savings to safe "
        "accounts held by money mules.",
        ["iban", "phone"],
    )
    assert found.incident_class.label == "fraud"
    assert "bank" in found.incident_class.drivers or "victims" in found.incident_class.drivers
    ransomware = shipped_model().suggest("Ransomware encrypted the servers; a ransom note.")
    assert ransomware.incident_class.label == "malicious_code"
    assert ransomware.fraud_type is None or ransomware.fraud_type.label == "ransomware"


def test_a_small_model_learns_from_fixed_examples() -> None:
    training = [
        Labelled("ddos flood took the site down", IncidentClass.AVAILABILITY, FraudType.DDOS),
        Labelled("traffic flood denial of service", IncidentClass.AVAILABILITY, FraudType.DDOS),
        Labelled("fake shop never delivered", IncidentClass.FRAUD, FraudType.ECOMMERCE_FRAUD),
        Labelled("victims paid a fake shop", IncidentClass.FRAUD, FraudType.ECOMMERCE_FRAUD),
    ]
    model = CategoryModel(training)
    found = model.suggest("a flood of traffic")
    assert found.incident_class.label == "availability"
    assert found.incident_class.drivers[0] in {"flood", "traffic"}
