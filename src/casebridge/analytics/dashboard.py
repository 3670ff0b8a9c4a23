"""Dashboard figures and their charts (pure): tables counted from what the viewer may see, and
server-rendered SVG bar charts (no script, no chart library).

The caller passes only records the viewer sees in full (the SQL policy filter), so every count
here counts only those (DOMAIN.md §4-5: counts reveal records too).
"""

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

DAY = 86_400.0
REVIEW_BUCKETS = ((1.0, "< 1 day"), (3.0, "1-3 days"), (7.0, "3-7 days"), (30.0, "7-30 days"))


@dataclass(frozen=True, slots=True)
class CaseFigure:
    """The facts of one visible case that dashboards count."""

    category: str
    owner_country: str
    countries: frozenset[str]
    submitted_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True, slots=True)
class Table:
    """One figure: a titled table (label, value rows) that is also charted and exported."""

    name: str  # in the CSV link: /analytics/{name}.csv
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def csv_rows(self) -> list[tuple[str, ...]]:
        return [self.columns, *self.rows]


def _counted(name: str, title: str, label: str, counts: Counter[str], *, by_key: bool) -> Table:
    ordered = sorted(counts.items()) if by_key else counts.most_common()
    return Table(name, title, (label, "cases"), tuple((k, str(v)) for k, v in ordered))


def cases_by_category(cases: Iterable[CaseFigure]) -> Table:
    counts = Counter(c.category for c in cases)
    return _counted("categories", "Cases by category", "category", counts, by_key=False)


def cases_by_region(cases: Iterable[CaseFigure], region_of: Mapping[str, str]) -> Table:
    counts = Counter(region_of.get(c.owner_country, "Unknown") for c in cases)
    return _counted("regions", "Cases by region (owner country)", "region", counts, by_key=False)


def cases_by_month(cases: Iterable[CaseFigure]) -> Table:
    counts = Counter(f"{c.submitted_at:%Y-%m}" for c in cases)
    return _counted("months", "Cases by month submitted", "month", counts, by_key=True)


def case_countries(cases: Iterable[CaseFigure]) -> Table:
    counts: Counter[str] = Counter()
    for case in cases:
        counts.update(case.countries | {case.owner_country})
    return _counted("countries", "Countries of cases", "country", counts, by_key=False)


def review_days(cases: Iterable[CaseFigure]) -> list[float]:
    return [
        (c.decided_at - c.submitted_at).total_seconds() / DAY
        for c in cases
        if c.decided_at is not None
    ]


def review_time(cases: Iterable[CaseFigure]) -> Table:
    """Time from submission to the review decision: a distribution in buckets."""
    days = review_days(cases)
    counts: Counter[str] = Counter()
    for value in days:
        label = next((name for bound, name in REVIEW_BUCKETS if value < bound), ">= 30 days")
        counts[label] += 1
    order = [name for _, name in REVIEW_BUCKETS] + [">= 30 days"]
    rows = tuple((name, str(counts[name])) for name in order)
    return Table("review", "Time to review decision", ("time to decision", "cases"), rows)


def median_review_days(cases: Iterable[CaseFigure]) -> float | None:
    days = review_days(cases)
    return round(statistics.median(days), 2) if days else None


def request_delays(rows: Iterable[tuple[str, str, int, float]]) -> Table:
    """(request type, state, stays, median days) rows from the legal delay report."""
    return Table(
        "requests",
        "Request delays (median days per state)",
        ("request type and state", "median days", "stays"),
        tuple((f"{t} / {s}", f"{d:.1f}", str(n)) for t, s, n, d in rows),
    )


def operation_results(totals: Mapping[str, int]) -> Table:
    return Table(
        "operations",
        "Operation results",
        ("result", "count"),
        tuple((k, str(v)) for k, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def bar_chart_svg(table: Table, value_column: int = 1, width: int = 520) -> str:
    """A horizontal bar chart of a table's label column against one numeric column."""
    rows = [(row[0], float(row[value_column])) for row in table.rows]
    return _bars(table.title, rows, width)


def _bars(title: str, rows: Sequence[tuple[str, float]], width: int) -> str:
    bar_h, gap, label_w = 18, 6, 170
    height = max(len(rows), 1) * (bar_h + gap) + gap
    peak = max((v for _, v in rows), default=0.0) or 1.0
    room = width - label_w - 50
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
            'class="chart">'
        )
    ]
    if not rows:
        parts.append(f'<text x="4" y="{bar_h}" font-size="12">Nothing to show</text>')
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar_h + gap)
        length = value / peak * room
        parts.append(
            f'<g><text x="{label_w - 6}" y="{y + 13}" font-size="12" text-anchor="end">'
            f"{escape(label[:28])}</text>"
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h}" fill="#1f5f99">'
            f"<title>{escape(label)}: {value:g}</title></rect>"
            f'<text x="{label_w + length + 4:.1f}" y="{y + 13}" font-size="12">{value:g}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
