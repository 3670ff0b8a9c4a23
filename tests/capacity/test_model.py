"""The pure rules: ATT&CK ids, the Markdown subset of bodies, the statistics table."""

from datetime import date

from casebridge.capacity.model import (
    Block,
    RegionYear,
    blocks,
    merge_counts,
    session_problems,
    technique_problems,
    techniques,
)


def test_the_shipped_table_holds_current_techniques_and_sub_techniques() -> None:
    table = techniques()
    assert table["T1486"] == "Data Encrypted for Impact"
    assert table["T1566.001"] == "Spearphishing Attachment"
    assert len(table) > 600


def test_technique_ids_are_checked_for_form_then_for_existence() -> None:
    assert technique_problems(["T1486", "T1566.001"]) == []
    found = dict(technique_problems(["T14860", "t1486", "T9999", "T1566.999"]))
    assert "not an ATT&CK id" in found["techniques.0"]
    assert "not an ATT&CK id" in found["techniques.1"]
    assert "not an ATT&CK Enterprise technique" in found["techniques.2"]
    assert "not an ATT&CK Enterprise technique" in found["techniques.3"]


def test_a_body_becomes_plain_blocks_whatever_html_it_holds() -> None:
    body = "# Steps\nFirst <script>x</script>\nline two\n\n- one\n- two\n1. a\n\n```\n<b>\n```"
    assert blocks(body) == [
        Block("h2", ("Steps",)),
        Block("p", ("First <script>x</script> line two",)),
        Block("ul", ("one", "two")),
        Block("ol", ("a",)),
        Block("pre", ("<b>",)),
    ]


def test_a_session_needs_a_venue_unless_online_and_ends_after_it_starts() -> None:
    d1, d2 = date(2026, 3, 2), date(2026, 3, 1)
    assert {f for f, _ in session_problems(d1, d2, "", "fr", online=False)} == {
        "ends_on",
        "venue",
        "host_country",
    }
    assert session_problems(d2, d1, "", "FR", online=True) == []


def test_counts_merge_by_region_and_year() -> None:
    merged = merge_counts(
        [("Europe", 2025, 2), ("Africa", 2026, 1)], [("Europe", 2025, 7), ("Americas", 2026, 3)]
    )
    assert merged == [
        RegionYear("Africa", 2026, 1, 0),
        RegionYear("Americas", 2026, 0, 3),
        RegionYear("Europe", 2025, 2, 7),
    ]
