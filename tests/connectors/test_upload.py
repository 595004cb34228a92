"""Uploading files on the data page: imported, a bad-row report, a column mapping, the template."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from connectors.models import Order, SyncRun
from tests.journey.factories import CoordinatorFactory, SMEFactory, SMEUserFactory
from toolkit.models import ToolkitReport

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "fixtures" / "files"


@pytest.fixture
def owner():
    return SMEUserFactory(sme=SMEFactory())


def _post(client, sme, name, content, **data):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(f"/en/portal/smes/{sme.slug}/data/upload/", {"file": upload, **data}, follow=True)


def test_a_good_file_is_imported_and_the_toolkit_refreshed(client, owner, django_capture_on_commit_callbacks):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client, owner.sme, "online_retail_sample.csv", (FILES / "online_retail_sample.csv").read_bytes()
        )
    assert response.status_code == 200
    assert "online_retail_sample.csv imported:" in response.content.decode()
    assert Order.objects.filter(sme=owner.sme).exists()
    assert SyncRun.objects.get(source__sme=owner.sme).trigger == "upload"
    assert ToolkitReport.objects.filter(sme=owner.sme).exists()


def test_a_file_with_bad_rows_imports_nothing_and_names_them(client, owner):
    client.force_login(owner)
    content = (
        b"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        b"536365,85123A,HEART HOLDER,six,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
        b"536366,71053,LANTERN,6,2010-13-45 08:26:00,3.39,17850.0,United Kingdom\n"
    )
    response = _post(client, owner.sme, "bad.csv", content)
    assert response.status_code == 422
    page = response.content.decode()
    assert "bad.csv was not imported: 2 problems to correct." in page
    table = page.split('data-testid="bad-rows"')[1].split("</table>")[0]
    assert "<td>2</td><td>Quantity</td><td>six</td>" in table
    assert "<td>3</td><td>InvoiceDate</td>" in table
    assert not Order.objects.exists()


def test_an_unknown_layout_asks_for_the_columns_then_imports(client, owner):
    client.force_login(owner)
    content = b"ref;when;item;qty;each\nA1;2026-03-01;MUG;2;9.50\nA2;2026-03-09;BOWL;1;20.00\n"
    response = _post(client, owner.sme, "mine.csv", content)
    assert response.status_code == 422
    assert 'data-testid="mapping-form"' in response.content.decode()
    html = response.content.decode()
    fields = [part.split('"')[0] for part in html.split('name="map_')[1:]]
    guesses = {"order_id": "ref", "placed_at": "when", "sku": "item", "quantity": "qty", "unit_price": "each"}
    mapping = {f"map_{name}": header for name, header in guesses.items() if name in fields}
    response = _post(client, owner.sme, "mine.csv", content, **mapping)
    assert "mine.csv imported:" in response.content.decode(), sorted(fields)
    assert Order.objects.filter(sme=owner.sme).count() == 2


def test_the_template_downloads_in_the_readers_language(client, owner):
    client.force_login(owner)
    english = client.get(f"/en/portal/smes/{owner.sme.slug}/data/template.csv")
    french = client.get(f"/fr/portal/smes/{owner.sme.slug}/data/template.csv")
    assert english.status_code == french.status_code == 200
    assert english.content != french.content
    assert client.get(f"/en/portal/smes/{owner.sme.slug}/data/template.exe").status_code == 404
    xlsx = client.get(f"/en/portal/smes/{owner.sme.slug}/data/template.xlsx")
    assert xlsx.content[:2] == b"PK"


def test_only_those_who_may_edit_the_company_data_upload(client, owner):
    client.force_login(CoordinatorFactory())
    content = (FILES / "online_retail_sample.csv").read_bytes()
    upload = SimpleUploadedFile("x.csv", content)
    assert client.post(f"/en/portal/smes/{owner.sme.slug}/data/upload/", {"file": upload}).status_code == 403
    assert not Order.objects.exists()
