"""Orders files are written while they are checked (``ahead.PagesAhead``): still all or nothing.

Pages go to the database, inside the import's transaction, while pass 1 reads on; a bad row
later in the file rolls them back, a scattered order or day/month dates read the wrong way roll
back the pages concerned, written again once pass 1 is done. Small pages (``PAGE_SIZE``) make
several pages of a small file, so these cases happen after pages were written.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from connectors.files import importer, passes
from connectors.files.importer import Status, orders_file_import
from connectors.models import Order, OrderLine, SyncRun, SyncStatus
from tests.journey.factories import SMEFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"


@pytest.fixture
def sme():
    return SMEFactory(slug="acme")


@pytest.fixture
def writes(monkeypatch):
    """The size of every page written (rolled back or not), with 2 orders a page."""
    monkeypatch.setattr(passes, "PAGE_SIZE", 2)
    sizes = []
    original = importer.write_page

    def counting(source, stream, records):
        sizes.append(len(records))
        return original(source, stream, records)

    monkeypatch.setattr(importer, "write_page", counting)
    return sizes


def row(order: int | str, sku: str = "APL", quantity: int = 1, date: str = "2011-01-03 10:00:00") -> str:
    return f"{order},{sku},Item {sku},{quantity},{date},1.00,,United Kingdom"


def file(tmp_path, rows: list[str]):
    path = tmp_path / "retail.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    return path


def lines(external_id: str) -> list[tuple]:
    return list(
        OrderLine.objects.filter(order__external_id=external_id)
        .order_by("line_key")
        .values_list("line_key", "sku", "quantity")
    )


def test_a_bad_row_near_the_end_rolls_back_the_pages_written_ahead_and_every_bad_row_is_named(sme, tmp_path, writes):
    rows = [row(n) for n in range(1, 21)]
    rows[12] = row(13, quantity="x")
    rows[-1] = row(20, quantity="1.5")

    result = orders_file_import(sme=sme, path_or_file=file(tmp_path, rows))

    assert writes, "pages were written before pass 1 met the bad rows"
    assert result.status == Status.INVALID
    assert [(error.line, error.column, error.value) for error in result.errors] == [
        (14, "Quantity", "x"),
        (21, "Quantity", "1.5"),
    ]
    assert not Order.objects.exists() and not OrderLine.objects.exists()
    assert (result.pages, result.counts.created) == (0, 0)
    run = SyncRun.objects.get(source__sme=sme)
    assert run.status == SyncStatus.FAILED and run.created == 0 and len(run.errors) == 3


def test_an_order_met_again_shortly_after_joins_its_rows_before_its_page_is_written(sme, tmp_path, writes):
    rows = [row(1, "APL"), row(2), row(3), row(1, "BAN", 2), row(4), row(5)]

    result = orders_file_import(sme=sme, path_or_file=file(tmp_path, rows))

    assert result.status == Status.IMPORTED
    assert writes == [2, 2, 1] and result.pages == 3  # nothing rolled back
    assert lines("1") == [("1", "APL", 1), ("2", "BAN", 2)]
    assert result.counts.created == 5 and Order.objects.count() == 5


def test_an_order_met_again_after_its_page_was_written_is_rewritten_whole(sme, tmp_path, writes):
    rows = [row(n, date=f"2011-01-{n:02} 10:00:00") for n in range(1, 11)]
    rows.append(row(2, "CHE", 3, date="2011-02-01 10:00:00"))  # order 2's page is written by now
    rows += [row(11), row(12)]
    path = file(tmp_path, rows)

    result = orders_file_import(sme=sme, path_or_file=path)

    assert result.status == Status.IMPORTED
    assert sum(writes) > result.records  # the pages from order 2's were rolled back and written again
    assert (result.records, result.lines, result.counts.created) == (12, 13, 12)
    assert Order.objects.count() == 12 and OrderLine.objects.count() == 13
    assert lines("2") == [("1", "APL", 1), ("2", "CHE", 3)]
    assert Order.objects.get(external_id="2").placed_at == datetime.datetime(2011, 1, 2, 10, tzinfo=LONDON)
    assert SyncRun.objects.get(source__sme=sme).created == 12

    again = orders_file_import(sme=sme, path_or_file=path)

    assert (again.counts.created, again.counts.updated, again.counts.skipped) == (0, 0, 12)
    assert lines("2") == [("1", "APL", 1), ("2", "CHE", 3)] and OrderLine.objects.count() == 13


def test_beyond_the_last_savepoint_the_whole_file_is_written_again(sme, tmp_path, writes, monkeypatch):
    monkeypatch.setattr(importer, "MAX_SAVEPOINTS", 1)
    rows = [row(n) for n in range(1, 11)] + [row(7, "CHE", 3), row(11)]

    result = orders_file_import(sme=sme, path_or_file=file(tmp_path, rows))

    assert result.status == Status.IMPORTED
    assert (result.counts.created, Order.objects.count(), OrderLine.objects.count()) == (11, 11, 12)
    assert lines("7") == [("1", "APL", 1), ("2", "CHE", 3)]
    assert result.pages == 6  # written again from the first page: 5 pages of 2, then order 7 whole


def test_day_month_dates_written_ahead_the_wrong_way_are_written_again(sme, tmp_path, writes):
    # Ten orders whose dates read both ways, then dates that only read month first: pages are
    # written day first before any date tells, and the file settles month first.
    rows = [row(n, date=f"03/{n:02}/2011 10:00") for n in range(1, 11)]
    rows += [row(n, date=f"03/{n + 10}/2011 10:00") for n in range(11, 15)]

    result = orders_file_import(sme=sme, path_or_file=file(tmp_path, rows))

    assert result.status == Status.IMPORTED
    assert sum(writes) > result.records  # some pages were written day first, then again
    assert Order.objects.get(external_id="4").placed_at == datetime.datetime(2011, 3, 4, 10, tzinfo=LONDON)
    assert Order.objects.get(external_id="12").placed_at == datetime.datetime(2011, 3, 22, 10, tzinfo=LONDON)
    assert Order.objects.count() == 14 and result.counts.created == 14


def test_day_month_dates_are_written_ahead_the_way_the_file_reads_them(sme, tmp_path, writes):
    rows = [row(1, date="12/13/2011 10:00")] + [row(n, date=f"12/{n:02}/2011 10:00") for n in range(2, 11)]

    result = orders_file_import(sme=sme, path_or_file=file(tmp_path, rows))

    assert result.status == Status.IMPORTED
    assert sum(writes) == result.records == 10  # month first from the start: nothing written twice
    assert Order.objects.get(external_id="5").placed_at == datetime.datetime(2011, 12, 5, 10, tzinfo=LONDON)


def test_dates_read_both_ways_everywhere_are_day_first(sme, tmp_path, writes):
    rows = [row(n, date=f"{n:02}/04/2011 10:00") for n in range(1, 11)]

    result = orders_file_import(sme=sme, path_or_file=file(tmp_path, rows))

    assert result.status == Status.IMPORTED
    assert sum(writes) == 10
    assert Order.objects.get(external_id="3").placed_at == datetime.datetime(2011, 4, 3, 10, tzinfo=LONDON)


def test_amounts_prices_and_returns_are_stored_as_when_checked_first(sme, tmp_path, writes):
    rows = [
        "C9,POST,Postage,1,2011-01-03 10:00:00,12.50,,France",
        'C9,APL,Apple,2,2011-01-03 10:00:00,"1,234.5",,France',
        row(10),
    ]

    result = orders_file_import(sme=sme, path_or_file=file(tmp_path, rows))

    assert result.status == Status.IMPORTED
    cancelled = Order.objects.get(external_id="C9")
    assert (cancelled.customer_country, cancelled.shipping) == ("FR", Decimal("-12.50"))
    assert list(cancelled.lines.values_list("quantity", "unit_price")) == [(-2, Decimal("1234.50"))]
