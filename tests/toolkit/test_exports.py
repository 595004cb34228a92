"""Downloads of the toolkit's tables: XLSX and CSV in the reader's language, the same rows as the page, scoped."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import translation
from django.utils.text import slugify

from tests.journey.factories import AccountManagerFactory, LaunchpadFactory, SMEUserFactory
from toolkit.models import Tool
from toolkit.tables import TABLES, Context, choose_period

pytestmark = pytest.mark.django_db


def export_url(sme, table, fmt, lang="en", query=""):
    return f"/{lang}/portal/smes/{sme.slug}/toolkit/export/{table}.{fmt}{query}"


def _book(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_every_table_downloads_as_xlsx_with_numbers_dates_and_the_pages_rows(client, all_open, owner):
    client.force_login(owner)
    client.get(f"/en/portal/smes/{all_open.slug}/toolkit/")  # computes and stores the report
    document = all_open.toolkit_report.document
    for key, table in TABLES.items():
        response = client.get(export_url(all_open, key, "xlsx"))
        assert response.status_code == 200, key
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = _book(response).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [str(column.label) for column in table.columns]
        period = choose_period(document, table.tool, None)[0] if table.periodic else None
        expected = table.rows(Context(document=document, sme=all_open, period=period))
        assert len(rows) - 1 == len(expected), key
    # Money stays a number, dates stay dates.
    sheet = _book(client.get(export_url(all_open, "growth_orders", "xlsx"))).active
    header = [cell.value for cell in sheet[1]]
    first = [cell.value for cell in sheet[2]]
    assert isinstance(first[header.index("Sales")], int | float)  # a number, not "£75.00"
    assert isinstance(first[header.index("Date")], datetime.datetime)
    assert sheet.cell(row=2, column=header.index("Sales") + 1).number_format == "#,##0.00"
    months = _book(client.get(export_url(all_open, "planning_months", "xlsx", query="?period=last_12"))).active
    assert months.max_row == 13 and isinstance(months.cell(row=2, column=1).value, datetime.datetime)


def test_french_readers_get_french_headers_semicolons_and_decimal_commas(client, all_open, owner):
    client.force_login(owner)
    response = client.get(export_url(all_open, "planning_months", "csv", "fr", "?period=last_3"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert "Ventes" in rows[0] and "Commandes" in rows[0] and "Bénéfice" in rows[0]
    assert len(rows) == 4  # the header and the three months chosen
    sales = rows[1][rows[0].index("Ventes")]
    assert "," in sales and "." not in sales  # 123,00
    xlsx = _book(client.get(export_url(all_open, "planning_months", "xlsx", "fr"))).active
    assert "Ventes" in [cell.value for cell in xlsx[1]]


def test_english_csv_uses_commas_and_decimal_points(client, all_open, owner):
    client.force_login(owner)
    text = client.get(export_url(all_open, "growth_products", "csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Product", "Orders", "Units"]
    assert "." in rows[1][rows[0].index("Sales")]


def test_file_names_are_translated_and_name_the_sme_and_the_period(client, all_open, owner):
    client.force_login(owner)
    for lang in ("en", "fr"):
        response = client.get(export_url(all_open, "growth_orders", "csv", lang, "?period=last_6"))
        with translation.override(lang):
            stem = slugify(str(TABLES["growth_orders"].filename))
        assert response["Content-Disposition"] == f'attachment; filename="{stem}-{all_open.slug}-last-6.csv"'


def test_a_locked_tools_tables_are_not_the_smes_to_download(client, shop, owner, manager):
    client.force_login(owner)
    assert client.get(export_url(shop, "growth_orders", "xlsx")).status_code == 404
    assert client.get(export_url(shop, "inventory_fixes", "xlsx")).status_code == 200  # open from the start
    client.force_login(manager)  # who may open the tool sees its preview and may download it
    assert client.get(export_url(shop, "growth_orders", "xlsx")).status_code == 200


def test_downloads_are_scoped_like_the_pages(client, all_open):
    for user in (SMEUserFactory(), AccountManagerFactory(launchpad=LaunchpadFactory(france=True))):
        client.force_login(user)
        assert client.get(export_url(all_open, "inventory_checks", "csv")).status_code == 404


def test_unknown_tables_and_formats_are_not_found(client, all_open, owner):
    client.force_login(owner)
    assert client.get(export_url(all_open, "nonsense", "csv")).status_code == 404
    assert client.get(export_url(all_open, "inventory_checks", "pdf")).status_code == 404


def test_every_tool_has_its_tables_and_every_table_a_download_on_its_page(client, all_open, owner):
    client.force_login(owner)
    for tool in Tool.values:
        page = client.get(f"/en/portal/smes/{all_open.slug}/toolkit/{tool}/").content.decode()
        for key, table in TABLES.items():
            if table.tool == tool:
                assert f"export/{key}.xlsx" in page and f"export/{key}.csv" in page, key


def test_profit_says_estimated_beside_it_in_every_download_when_costs_are_mostly_unknown(
    client,
    all_open,
    owner,
):
    from connectors.models import OrderLine

    OrderLine.objects.filter(order__sme=all_open).update(unit_cost=None)
    client.force_login(owner)
    page = client.get(f"/en/portal/smes/{all_open.slug}/toolkit/planning/").content.decode()
    assert "Profit (estimated)" in page
    for key, table in TABLES.items():
        if not any(column.key == "profit" for column in table.columns):
            continue
        header = next(csv.reader(io.StringIO(client.get(export_url(all_open, key, "csv")).content.decode("utf-8-sig"))))
        assert "Profit (estimated)" in header and "Profit" not in header, key
        assert "Profit (estimated)" in [
            cell.value for cell in _book(client.get(export_url(all_open, key, "xlsx"))).active[1]
        ]
    french = client.get(export_url(all_open, "planning_months", "csv", "fr")).content.decode("utf-8-sig")
    assert "Bénéfice (estimé)" in french.splitlines()[0]
