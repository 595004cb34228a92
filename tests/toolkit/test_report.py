"""The stored toolkit report, its refresh after syncs, tool access, and the toolkit_report command."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from connectors.models import DataSource
from connectors.records import OrderRecord
from connectors.writer import write_orders
from tests.journey.factories import SMEFactory
from toolkit.models import Tool, ToolkitReport
from toolkit.services import report_refresh, tool_open, tools_open

from .factories import build_small_shop

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture
def shop():
    return build_small_shop()


def _report(sme, *args):
    out = StringIO()
    call_command("toolkit_report", "--sme", sme.slug, *args, stdout=out)
    return json.loads(out.getvalue())


def test_command_prints_the_documented_document(shop):
    document = _report(shop, "--as-of", "2026-03-15")
    assert list(document) == ["sme", "as_of", "currency", "readiness", "inventory", "market", "planning", "growth"]
    assert (document["sme"], document["as_of"], document["currency"]) == (shop.slug, "2026-03-15", "GBP")
    assert document["readiness"]["level"] == "thin" and document["readiness"]["orders"] == 4
    months = document["planning"]["months"]
    assert [m["month"] for m in months] == ["2026-01", "2026-02", "2026-03"]
    january = months[0]
    assert set(january) == {"month", "partial", "orders", "sales", "variation_pct", "cost", "cost_estimated", "profit",
                            "partial_kind", "refunds", "tax", "shipping", "customer_fees"}  # fmt: skip
    # The history starts on 5 January: January is partial, as the month of as_of is.
    assert (january["partial"], january["partial_kind"], months[-1]["partial_kind"]) == (True, "first", "current")
    # 1 × 10.01 + 2 × 10.01: money rounded to cents
    assert (january["orders"], january["sales"], january["cost_estimated"]) == (2, 30.03, True)
    assert january["cost"] == round(30.03 * 0.6, 2)
    assert months[-1]["partial"] is True and months[-1]["orders"] == 1  # the 28 March order is after as_of
    assert set(document["planning"]) == {"months", "channels", "comparisons", "projection", "skipped_comparisons"}
    # Only February is complete: no month-on-month comparison, and the report says why.
    assert document["planning"]["comparisons"] == []
    assert {"key": "month_on_month", "reason": "partial_month", "month": "2026-01"} in document["planning"][
        "skipped_comparisons"
    ]
    assert document["readiness"]["profit_estimated"] is True  # no unit cost known
    assert document["inventory"]["products"] == 1
    assert document["growth"]["start"] == "2026-02-01" and document["growth"]["end"] == "2026-02-28"


def test_a_past_date_is_computed_but_not_stored(shop):
    _report(shop, "--as-of", "2026-02-15")
    assert not ToolkitReport.objects.exists()


def test_the_current_report_is_stored_and_reused_until_the_data_changes(shop):
    first = _report(shop)
    stored = ToolkitReport.objects.get(sme=shop)
    assert stored.document == first
    computed_at = stored.computed_at
    _report(shop)
    assert ToolkitReport.objects.get(sme=shop).computed_at == computed_at  # reused
    source = shop.data_sources.get()
    write_orders(source, [OrderRecord(external_id="99", placed_at=datetime.datetime(2026, 3, 4, tzinfo=UTC))])
    _report(shop)
    assert ToolkitReport.objects.get(sme=shop).computed_at > computed_at  # the data changed: recomputed


def test_a_refund_only_change_makes_the_stored_report_stale(shop):
    from connectors.models import Order, Refund
    from toolkit.services import report_is_current

    stored = report_refresh(sme=shop)
    assert report_is_current(stored, sme=shop, as_of=stored.as_of)
    order = Order.objects.filter(sme=shop).first()
    refund = Refund.objects.create(
        sme=shop, order=order, external_id="r1", refunded_at=order.placed_at, amount="4.00", tax="0.80"
    )
    assert not report_is_current(stored, sme=shop, as_of=stored.as_of)  # a refund added
    stored = report_refresh(sme=shop)
    Refund.objects.filter(pk=refund.pk).update(amount="5.00")  # edited in place: same count, same order
    assert not report_is_current(stored, sme=shop, as_of=stored.as_of)
    stored = report_refresh(sme=shop)
    refund.delete()
    assert not report_is_current(stored, sme=shop, as_of=stored.as_of)


def test_command_errors_are_one_clear_line(shop):
    with pytest.raises(CommandError, match="No SME with the slug 'nope'"):
        _report(SMEFactory.build(slug="nope"))
    with pytest.raises(CommandError, match="--as-of must be a date"):
        _report(shop, "--as-of", "31/03/2026")


def test_an_empty_sme_gets_an_insufficient_report_not_an_error():
    document = _report(SMEFactory())
    assert document["readiness"]["level"] == "insufficient"
    assert document["planning"]["months"] == [] and document["planning"]["projection"] is None
    assert document["inventory"]["score"] is None


def test_a_successful_sync_refreshes_the_report(shop, django_capture_on_commit_callbacks, monkeypatch):
    from connectors import registry
    from connectors.sync import source_sync
    from tests.connectors.scripted import ScriptedConnector

    monkeypatch.setitem(registry.CONNECTORS, "scripted", "tests.connectors.scripted.ScriptedConnector")
    ScriptedConnector.SCRIPT, ScriptedConnector.FAIL_AT, ScriptedConnector.CHECK_ERROR = {}, None, None
    source = DataSource.objects.create(sme=shop, kind="scripted", base_url="https://s.example")
    with django_capture_on_commit_callbacks(execute=True):
        source_sync(source=source, trigger="manual")
    assert not ToolkitReport.objects.exists()  # nothing new: nothing recomputed
    new_order = OrderRecord(external_id="new", placed_at=datetime.datetime(2026, 3, 5, tzinfo=UTC))
    ScriptedConnector.SCRIPT = {"orders": [[new_order]]}
    with django_capture_on_commit_callbacks(execute=True):
        source_sync(source=source, trigger="manual")
    assert ToolkitReport.objects.get(sme=shop).document["readiness"]["orders"] == 6


def test_inventory_is_open_from_the_start_and_others_when_opened(shop):
    assert tools_open(shop) == {Tool.INVENTORY}
    tool_open(sme=shop, tool=Tool.PLANNING)
    tool_open(sme=shop, tool=Tool.PLANNING)
    assert tools_open(shop) == {Tool.INVENTORY, Tool.PLANNING}


def test_report_refresh_returns_the_stored_report(shop):
    stored = report_refresh(sme=shop, as_of=datetime.date(2026, 3, 31))
    assert stored.as_of == datetime.date(2026, 3, 31) and stored.document["planning"]["months"][-1]["partial"]
