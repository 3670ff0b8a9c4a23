"""The after-action report of an operation: a world map of the participating countries (SVG,
drawn on the server from each country's coordinates) and the PDF (ReportLab).

Pure presentation of an `OperationView`: what it holds is what the reader may see.
"""

import io
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from casebridge.operations.model import RESULT_LABELS, Totals
from casebridge.operations.service import OperationView

# Approximate centres (latitude, longitude) of the countries the demo and tests use, and of
# the larger regions' usual participants; a country not listed is named but not drawn.
CENTRES: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        "AR": (-34.0, -64.0),
        "AU": (-25.0, 134.0),
        "BR": (-10.0, -52.0),
        "CA": (56.0, -106.0),
        "CI": (7.5, -5.5),
        "CM": (6.0, 12.0),
        "CN": (35.0, 103.0),
        "DE": (51.0, 10.0),
        "EG": (27.0, 30.0),
        "ES": (40.0, -4.0),
        "FR": (46.5, 2.5),
        "GB": (54.0, -2.0),
        "GH": (8.0, -1.0),
        "HK": (22.3, 114.2),
        "ID": (-2.0, 118.0),
        "IN": (21.0, 78.0),
        "IT": (42.8, 12.8),
        "JP": (36.0, 138.0),
        "KE": (0.5, 38.0),
        "KR": (36.5, 127.8),
        "MA": (32.0, -6.0),
        "MD": (47.0, 28.5),
        "MX": (23.0, -102.0),
        "MY": (3.0, 102.0),
        "NG": (9.0, 8.0),
        "NL": (52.2, 5.5),
        "PH": (12.0, 122.0),
        "PL": (52.0, 19.0),
        "PT": (39.5, -8.0),
        "RO": (46.0, 25.0),
        "SG": (1.35, 103.8),
        "SN": (14.5, -14.5),
        "TH": (15.0, 101.0),
        "TR": (39.0, 35.0),
        "UA": (49.0, 32.0),
        "US": (39.0, -98.0),
        "VN": (16.0, 107.0),
        "ZA": (-29.0, 24.0),
        "ZM": (-14.0, 28.0),
    }
)

WIDTH, HEIGHT = 720, 360


def map_points(countries: frozenset[str]) -> list[tuple[str, float, float]]:
    """Equirectangular positions (x, y) of the countries that have a known centre."""
    points = []
    for country in sorted(countries):
        if country in CENTRES:
            lat, lon = CENTRES[country]
            points.append((country, (lon + 180) / 360 * WIDTH, (90 - lat) / 180 * HEIGHT))
    return points


def world_map_svg(countries: frozenset[str], lead: str) -> str:
    """A small SVG map: a graticule and one marker per participating country (the lead in
    red). Server-side; no script, no external tiles."""
    lines = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            'role="img" aria-label="Participating countries on a world map" class="world-map">'
        ),
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#eef3f8"/>',
    ]
    for lon in range(-150, 181, 30):
        x = (lon + 180) / 360 * WIDTH
        lines.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{HEIGHT}" stroke="#d5dee8"/>')
    for lat in range(-60, 61, 30):
        y = (90 - lat) / 180 * HEIGHT
        lines.append(f'<line x1="0" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" stroke="#d5dee8"/>')
    for country, x, y in map_points(countries):
        fill = "#c0392b" if country == lead else "#1f5f99"
        lines.append(
            f'<g><circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{fill}"><title>{country}</title>'
            f'</circle><text x="{x + 8:.1f}" y="{y + 4:.1f}" font-size="11">{country}</text></g>'
        )
    lines.append("</svg>")
    return "\n".join(lines)


def amount_text(amounts: Mapping[str, Decimal]) -> str:
    return ", ".join(f"{value:,.2f} {unit}" for unit, value in amounts.items())


def totals_rows(totals: Totals) -> list[tuple[str, str, str]]:
    """(what, count, amounts) per result kind, in the kinds' order."""
    return [
        (RESULT_LABELS[kind], f"{count:,}", amount_text(totals.amounts.get(kind, {})))
        for kind, count in totals.by_kind.items()
    ]


def _chart(totals: Totals) -> Drawing:
    kinds = list(totals.by_kind)
    drawing = Drawing(16 * cm, max(3, len(kinds)) * 0.9 * cm + 1 * cm)
    chart = HorizontalBarChart()
    chart.x, chart.y = int(5 * cm), int(0.5 * cm)
    chart.width, chart.height = int(10 * cm), int(max(3, len(kinds)) * 0.9 * cm)
    chart.data = [[totals.by_kind[k] for k in kinds] or [0]]
    chart.categoryAxis.categoryNames = [RESULT_LABELS[k] for k in kinds] or ["none"]
    chart.bars[0].fillColor = colors.HexColor("#1f5f99")
    chart.valueAxis.valueMin = 0
    drawing.add(chart)
    return drawing


def pdf(view: OperationView) -> bytes:
    """The after-action report as a PDF: summary, participants, timeline, results table and
    chart, results per country, cases."""
    op = view.operation
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=f"After-action report: {op.name}", author="CaseBridge"
    )
    story = [
        Paragraph(f"After-action report: {_text(op.name)} ({_text(op.codename)})", styles["Title"]),
        Paragraph(_text(op.summary) or "No summary.", styles["Normal"]),
        Spacer(1, 0.3 * cm),
        Paragraph(
            f"Led by {op.lead_country}; {len(op.participants)} participating countries: "
            f"{', '.join(sorted(op.participants))}. Phase: {op.phase.value.replace('_', ' ')}.",
            styles["Normal"],
        ),
        Spacer(1, 0.4 * cm),
        Paragraph("Results", styles["Heading2"]),
        _table([("Result", "Total", "Amounts"), *totals_rows(view.totals)]),
        Spacer(1, 0.3 * cm),
        _chart(view.totals),
        Paragraph("Results per country", styles["Heading2"]),
        _table(_country_rows(view.totals)),
        Paragraph("Timeline", styles["Heading2"]),
        *[
            Paragraph(
                f"{e.at:%Y-%m-%d %H:%M} UTC — {_text(e.text)} ({_text(e.by)})", styles["Normal"]
            )
            for e in view.timeline
        ],
    ]
    if op.networks:
        story += [
            Paragraph("Networks targeted", styles["Heading2"]),
            Paragraph(_text(", ".join(op.networks)), styles["Normal"]),
        ]
    if view.cases:
        story += [Paragraph("Cases", styles["Heading2"])] + [
            Paragraph(f"{_text(ref)}: {_text(title)}", styles["Normal"])
            for _, ref, title in view.cases
        ]
    doc.build(story)
    return buffer.getvalue()


def _country_rows(totals: Totals) -> list[tuple[str, ...]]:
    kinds = list(totals.by_kind)
    header = ("Country", *(RESULT_LABELS[k] for k in kinds))
    rows = [
        (country, *(f"{totals.by_country[country].get(k, 0):,}" for k in kinds))
        for country in totals.countries
    ]
    return [header, *rows]


def _table(rows: list[tuple[str, ...]]) -> Table:
    table = Table(rows, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f8")),
            ]
        )
    )
    return table


def _text(value: str) -> str:
    """Text for ReportLab's mini-markup: escaped, so data is never read as markup."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
