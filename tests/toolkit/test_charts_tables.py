"""Charts and tables that read well: axes with money and month names, no clipped label, scroll regions,
the planning picker's whole-history default, and the overview's chart for staff while planning is locked."""

import itertools
import re

import pytest
from django.utils import translation

from tests.journey.factories import SMEUserFactory
from tests.toolkit.factories import url
from toolkit.charts import CHAR_WIDTH, bar_chart, monthly_chart, profit_curve_chart
from toolkit.models import Tool, ToolAccess

pytestmark = pytest.mark.django_db

MONTHS = [
    {"month": "2026-09", "sales": 21176.38, "profit": -1002.4, "partial": False},
    {"month": "2026-10", "sales": 18000.0, "profit": 2500.0, "partial": False},
    {"month": "2026-11", "sales": 4000.0, "profit": 300.0, "partial": True},
]
PROJECTION = {"month": "2026-12", "value": 19000.0, "high": 30000.0, "low": -5000.0}


def _chart(language: str) -> str:
    from journey.formatting import format_money

    with translation.override(language):
        return str(
            monthly_chart(MONTHS, PROJECTION, title="t", description="d", sales_label="Sales", profit_label="Profit",
                          projection_label="Projection", value_format=lambda v: format_money(v, "GBP"))
        )  # fmt: skip


def _drawings(svg: str) -> list[str]:
    """The chart's two drawings, wide then narrow (each chart comes drawn for wider screens and for a phone)."""
    drawings = [part + "</svg>" for part in svg.split("</svg>") if "<svg" in part]
    assert len(drawings) == 2 and 'class="chart chart-wide"' in drawings[0], svg
    assert 'class="chart chart-narrow"' in drawings[1]
    return drawings


def _texts(svg: str) -> list[tuple[float, str, str]]:
    """(x, anchor, text) of every label drawn, <title> tooltips left out."""
    found = []
    for match in re.finditer(r'<text x="([\d.]+)"([^>]*)>(.*?)</text>', svg):
        text = re.sub(r"<title>.*?</title>", "", match[3])
        anchor = re.search(r'text-anchor="(\w+)"', match[2])
        found.append((float(match[1]), anchor[1] if anchor else "start", text))
    return found


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("drawing", [0, 1], ids=["wide", "narrow"])
def test_the_monthly_chart_writes_money_and_month_names_that_fit(language, drawing):
    svg = _drawings(_chart(language))[drawing]
    width = float(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)[1])
    assert width == (720 if drawing == 0 else 280)
    texts = _texts(svg)
    labels = [text for _x, _a, text in texts]
    assert "2026-11" not in svg and "2026-09" not in svg
    if language == "en":
        assert "Sept 2026" in labels and "Dec 2026" in labels
        assert "£30,000.00" in labels and "-£5,000.00" in labels
        assert "September 2026: £21,176.38" in svg  # the tooltip names the month in full
    else:
        assert "sept. 2026" in labels and "déc. 2026" in labels
        assert any("30" in text and "000,00" in text and "£" in text for text in labels)
    for x, anchor, text in texts:  # no label runs off either edge
        half = len(text) * 11 * CHAR_WIDTH
        left = x - half if anchor == "end" else x - half / 2 if anchor == "middle" else x
        right = x if anchor == "end" else x + half / 2 if anchor == "middle" else x + half
        assert left >= 0 and right <= width, (text, left, right)
    # The month labels do not touch one another.
    months = sorted((x, text) for x, anchor, text in texts if anchor == "middle")
    for (x1, text1), (x2, text2) in itertools.pairwise(months):
        assert x2 - x1 >= (len(text1) + len(text2)) / 2 * 11 * CHAR_WIDTH, (text1, text2)


@pytest.mark.parametrize("drawing", [0, 1], ids=["wide", "narrow"])
def test_the_projection_range_stays_inside_the_plot_and_the_legend_below_it(drawing):
    svg = _drawings(_chart("en"))[drawing]
    height = float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg)[1])
    ys = [float(y) for y in re.findall(r'<line x1="[\d.]+" y1="([\d.]+)"', svg)]
    ys += [float(y) for y in re.findall(r'<line [^>]*y2="([\d.]+)"', svg)]
    months_y = max(float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" text-anchor="middle"', svg))
    assert all(0 <= y < months_y - 11 for y in ys)  # every line above the month labels
    legend = re.findall(r'<text x="[\d.]+" y="([\d.]+)" font-size="11" fill="[^"]+">[■—┆]', svg)
    assert len(legend) == 3 and all(months_y < float(y) <= height for y in legend)


def test_bar_charts_shorten_long_labels_to_fit_and_make_room_for_values():
    long = "Hand-thrown stoneware mug, sea blue, the big one"
    both = str(bar_chart([(long, 21176.38, ""), ("Bowl", -1002.4, "loss")], uid="p", title="t", description="d",
                         value_format=lambda v: f"£{v:,.2f}"))  # fmt: skip
    svg, narrow = _drawings(both)
    # On a phone each label stands above its bar, across the width, and every text stays inside.
    for x, anchor, text in _texts(narrow):
        assert anchor == "start" and x + len(text) * 12 * CHAR_WIDTH <= 280, text
    assert any(text.startswith("Hand-thrown stoneware mug") for _x, _a, text in _texts(narrow))
    assert 'id="p-narrow-title"' in narrow and 'id="p-title"' in svg  # ids stay unique on the page
    texts = _texts(svg)
    label = next(text for _x, anchor, text in texts if anchor == "end" and text.startswith("Hand"))
    assert label.endswith("…") and len(label) * 12 * CHAR_WIDTH <= 190 - 8
    assert f"<title>{long}</title>" in svg  # the whole name as a tooltip
    for x, anchor, text in texts:
        if anchor == "start":
            assert x + len(text) * 12 * CHAR_WIDTH <= 720, text


def test_the_profit_curve_leaves_room_for_its_axis_and_does_not_write_zero_over_a_loss():
    both = str(profit_curve_chart([21176.38, 10.0, -1002.4], uid="c", title="t", description="d",
                                  value_format=lambda v: f"£{v:,.2f}"))  # fmt: skip
    for svg in _drawings(both):
        for x, _anchor, text in _texts(svg):
            assert x - len(text) * 11 * CHAR_WIDTH >= 0, text
    ys = {text: float(y) for y, text in re.findall(r'<text x="[\d.]+" y="([\d.]+)"[^>]*>([^<]+)</text>', svg)}
    if "0" in ys:
        assert abs(ys["0"] - ys["-£1,002.40"]) >= 12


def test_the_profit_curve_says_the_returns_above_the_plot_and_draws_nothing_below_zero_for_them():
    note = "Not drawn: 3 returns and cancellations, £120.00 given back"
    svg = str(profit_curve_chart([50.0, 20.0], uid="c", title="t", description="d", note=note))
    assert 'class="chart-note"' in svg and note in svg
    # On a phone the note takes two lines, each inside the chart.
    narrow_notes = re.findall(r'<text class="chart-note" x="([\d.]+)"[^>]*>([^<]+)</text>', _drawings(svg)[1])
    assert len(narrow_notes) == 2 and " ".join(text for _x, text in narrow_notes) == note
    assert all(float(x) - len(text) * 11 * CHAR_WIDTH >= 0 for x, text in narrow_notes)
    assert "-" not in "".join(text for _x, _a, text in _texts(svg))  # no negative axis: nothing below zero
    # Only returns in the period: the note alone, still a chart.
    assert note in str(profit_curve_chart([], uid="c", title="t", description="d", note=note))
    assert str(profit_curve_chart([], uid="c", title="t", description="d")) == ""


def test_month_in_progress_is_the_current_month_only_a_partial_first_month_says_so():
    from toolkit.tables import TABLES, Context

    document = {"planning": {"months": [
        {"month": "2025-11", "partial": True, "partial_kind": "first", "orders": 3, "sales": 10.0,
         "variation_pct": None, "cost": 4.0, "cost_estimated": False, "profit": 6.0},
        {"month": "2025-12", "partial": False, "partial_kind": None, "orders": 9, "sales": 90.0,
         "variation_pct": None, "cost": 40.0, "cost_estimated": False, "profit": 50.0},
        {"month": "2026-01", "partial": True, "partial_kind": "current", "orders": 1, "sales": 5.0,
         "variation_pct": None, "cost": 2.0, "cost_estimated": False, "profit": 3.0},
    ]}}  # fmt: skip
    table = TABLES["planning_months"]
    rows = table.rows(Context(document=document, sme=None))
    assert [(r["partial"], r["partial_first"]) for r in rows] == [(False, True), (False, False), (True, False)]
    # A report stored before partial_kind: the last partial month is the one in progress.
    for month in document["planning"]["months"]:
        del month["partial_kind"]
    rows = table.rows(Context(document=document, sme=None))
    assert [(r["partial"], r["partial_first"]) for r in rows] == [(False, True), (False, False), (True, False)]


def test_planning_shows_the_whole_history_by_default(client, all_open, owner):
    client.force_login(owner)
    page = client.get(url(all_open, "planning")).content.decode()
    complete = [m for m in all_open.toolkit_report.document["planning"]["months"] if not m["partial"]]
    assert re.search(rf'<option value="all" selected>Whole history: {len(complete)} complete months</option>', page)
    table = page[page.index('data-testid="table-planning_months"') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr") == len(complete) + 1  # the header and every complete month
    assert re.search(r"<th scope=\"row\" data-label=\"Month\">\w+ \d{4}</th>", table)  # "November 2026"


def test_toolkit_tables_are_named_focusable_regions_with_labelled_cells(client, all_open, owner):
    client.force_login(owner)
    page = client.get(url(all_open, "market", "fr")).content.decode()
    wraps = re.findall(r'<div class="table-wrap" tabindex="0" role="region" aria-label="([^"]+)"><table', page)
    assert wraps and all(label.strip() for label in wraps)
    assert 'data-label="Part des ventes (%)"' in page


def test_staff_see_the_overview_chart_while_planning_is_locked_the_company_does_not(client, shop, manager):
    assert not ToolAccess.objects.filter(sme=shop, tool=Tool.PLANNING).exists()
    client.force_login(SMEUserFactory(sme=shop))
    assert '<svg class="chart chart-wide"' not in client.get(url(shop)).content.decode()
    client.force_login(manager)
    page = client.get(url(shop)).content.decode()
    assert '<svg class="chart chart-wide"' in page
    assert "staff see this chart, the company does not" in page


def test_the_overview_writes_the_last_month_out(client, all_open, owner):
    client.force_login(owner)
    page = client.get(url(all_open, lang="fr")).content.decode()
    heading = re.search(r"<h2>Dernier mois complet : ([^<]+)</h2>", page)
    assert heading and re.fullmatch(r"[a-zéû]+ \d{4}", heading[1]), heading


def test_channels_are_named_in_the_page_language_in_tables_and_charts(client, all_open, owner):
    from toolkit.tables import channel_name

    with translation.override("fr"):
        assert (channel_name("web"), channel_name("Marketplace"), channel_name("pos")) == (
            "Boutique en ligne", "Place de marché", "Point de vente")  # fmt: skip
        assert channel_name("Salon de Rennes") == "Salon de Rennes"  # the shop's own word, as it wrote it
        assert channel_name("") == "Inconnu"
    client.force_login(owner)
    page = client.get(url(all_open, "market", "fr")).content.decode()
    table = page[page.index('data-testid="table-market_channels"') :]
    table = table[: table.index("</table>")]
    assert "Boutique en ligne" in table and "Place de marché" in table
    assert not re.search(r">\s*(web|marketplace)\s*<", table)
    chart = page[page.index('id="market-channels') :]
    assert "Boutique en ligne" in chart[: chart.index("</svg>")]


def test_staff_read_the_guides_about_the_company_not_as_the_company(client, all_open, manager):
    client.force_login(manager)
    for tool in ("inventory", "market", "planning", "growth"):
        page = client.get(url(all_open, tool)).content.decode()
        guide = page[page.index('data-testid="guide"') :]
        guide = guide[: guide.index("</details>")]
        assert not re.search(r"\b[Yy]our?\b", guide), (tool, re.findall(r"[^.]*\b[Yy]our?\b[^.]*", guide))
    overview = client.get(url(all_open)).content.decode()
    assert "DMCP (Data Management Control Platform)" in overview
    french = client.get(url(all_open, lang="fr")).content.decode()
    assert "PCGD (Plateforme de Contrôle de Gestion des Données)" in french
