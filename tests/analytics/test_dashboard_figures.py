"""Dashboard figures and charts (pure)."""

from datetime import UTC, datetime, timedelta

from casebridge.analytics.dashboard import (
    CaseFigure,
    bar_chart_svg,
    case_countries,
    cases_by_category,
    cases_by_month,
    cases_by_region,
    median_review_days,
    review_time,
)

T0 = datetime(2026, 10, 30, 12, tzinfo=UTC)
CASES = [
    CaseFigure("fraud", "FR", frozenset({"DE"}), T0, T0 + timedelta(hours=12)),
    CaseFigure("fraud", "DE", frozenset(), T0 + timedelta(days=5), T0 + timedelta(days=9)),
    CaseFigure("malicious_code", "SG", frozenset({"FR"}), T0, None),
]


def test_counts_by_category_region_month_and_country() -> None:
    assert cases_by_category(CASES).rows == (("fraud", "2"), ("malicious_code", "1"))
    regions = {"FR": "Europe", "DE": "Europe", "SG": "Asia"}
    assert cases_by_region(CASES, regions).rows == (("Europe", "2"), ("Asia", "1"))
    assert cases_by_month(CASES).rows == (("2026-10", "2"), ("2026-11", "1"))
    assert dict(case_countries(CASES).rows) == {"FR": "2", "DE": "2", "SG": "1"}


def test_review_time_distribution_and_median() -> None:
    rows = dict(review_time(CASES).rows)
    assert rows["< 1 day"] == "1"
    assert rows["3-7 days"] == "1"
    assert median_review_days(CASES) == 2.25  # (0.5 + 4) / 2; undecided cases not counted
    assert median_review_days([]) is None


def test_bar_chart_escapes_labels_and_draws_one_bar_per_row() -> None:
    table = cases_by_category([*CASES, CaseFigure("<b>x</b>", "FR", frozenset(), T0, None)])
    svg = bar_chart_svg(table)
    assert svg.startswith("<svg")
    assert svg.count("<rect") == 3
    assert "<b>" not in svg
    assert "&lt;b&gt;" in svg
