"""ATT&CK technique suggestion: trained on the shipped ATT&CK texts minus the held-out split,
at the parent-technique level, each suggestion with its triggering sentence."""

from casebridge.analytics import techniques
from casebridge.analytics.techniques import Example, TechniqueModel, held_out, sentences


def test_spearphishing_with_attachments_suggests_phishing_in_the_top_three() -> None:
    model = techniques.shipped_model()
    found = model.suggest("The actor sent spearphishing emails with malicious attachments.", 3)
    assert "T1566" in [s.technique_id for s in found]


def test_each_technique_keeps_the_sentence_that_triggered_it() -> None:
    model = techniques.shipped_model()
    narrative = (
        "The victims' files were encrypted and a ransom note was left. "
        "Credentials were dumped from LSASS memory with Mimikatz."
    )
    found = {s.technique_id: s for s in model.suggest(narrative, 5)}
    assert found["T1003"].sentence.startswith("Credentials were dumped")
    assert found["T1486"].sentence.startswith("The victims' files were encrypted")
    assert all("." not in t for t in found)  # parents only


def test_rejected_techniques_are_never_suggested() -> None:
    model = techniques.shipped_model()
    text = "The actor sent spearphishing emails with malicious attachments."
    assert "T1566" not in [s.technique_id for s in model.suggest(text, 5, frozenset({"T1566"}))]


def test_the_held_out_split_is_fixed_and_never_trained_on() -> None:
    examples = techniques.load_examples()
    out = [e for e in examples if held_out(e)]
    assert 0.15 < len(out) / sum(e.kind == "procedure" for e in examples) < 0.25
    assert all(e.kind == "procedure" for e in out)
    again = Example(out[0].technique_id, out[0].name, "", "procedure", out[0].relationship_id)
    assert held_out(again)
    assert not any("(Citation:" in e.text or "](http" in e.text for e in examples)


def test_a_small_model_learns_from_fixed_examples() -> None:
    examples = [
        Example(
            "T1566.001",
            "Spearphishing Attachment",
            "sent emails with malicious attachments",
            "procedure",
            "r1",
        ),
        Example(
            "T1566.002",
            "Spearphishing Link",
            "emailed a link to a fake login page",
            "procedure",
            "r2",
        ),
        Example(
            "T1486",
            "Data Encrypted for Impact",
            "encrypted files and asked a ransom",
            "procedure",
            "r3",
        ),
        Example(
            "T1486",
            "Data Encrypted for Impact",
            "files encrypted ransom note left",
            "procedure",
            "r4",
        ),
    ]
    model = TechniqueModel(examples)
    assert model.classes == ["T1486", "T1566"]
    assert model.rank(["the files were encrypted and a ransom asked"], 1) == [["T1486"]]
    assert sentences("One short. A second sentence here!\nThird line of text") == [
        "A second sentence here!",
        "Third line of text",
    ]
