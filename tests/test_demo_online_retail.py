"""``load_demo --online-retail PATH``: one demo SME carries a real Online Retail history.

The fixture ``fixtures/online_retail_small.csv`` is a small file in the UCI layout (66
invoices over 30 weeks, a cancellation, postage and a manual adjustment); the tests never
read ``../shared/``.
"""

import datetime
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from connectors.demo import ONLINE_RETAIL_SME, WITH_DATA
from connectors.models import Order, OrderLine, Product, SyncRun
from journey.models import SME, Stage
from toolkit.models import ToolkitReport

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "online_retail_small.csv"


def _load(*arguments: str) -> str:
    out = StringIO()
    call_command("load_demo", *arguments, stdout=out)
    return out.getvalue()


def _counts() -> dict:
    return {
        "orders": Order.objects.count(),
        "lines": OrderLine.objects.count(),
        "products": Product.objects.count(),
        "runs": SyncRun.objects.count(),
        "reports": ToolkitReport.objects.count(),
    }


def test_the_giftware_retailer_gets_the_file_s_history_once_and_the_demo_shows_every_level_and_group():
    output = _load("--online-retail", str(FIXTURE))
    sme = SME.objects.get(slug=ONLINE_RETAIL_SME)
    assert (sme.launchpad.code, sme.sector) == ("uk", "home_gifts")
    # Every invoice of the file is an order; postage and the manual adjustment are no lines.
    assert sme.orders.count() == 66
    assert not sme.products.filter(external_id__startswith="demo-").exists()  # no generated history mixed in
    lines = OrderLine.objects.filter(order__sme=sme)
    assert lines.count() == 135 - 8 - 1  # the rows but postage (8) and the manual adjustment
    assert not lines.filter(product__isnull=True).exists()  # the catalogue's stock codes match the lines
    assert set(sme.products.values_list("sku", flat=True)) == {
        "85123A", "71053", "84406B", "22752", "21730", "22633", "84879", "22745",
    }  # fmt: skip
    assert (
        sme.orders.filter(external_id__startswith="C", status="cancelled").exists()
        or lines.filter(quantity__lt=0).exists()
    )
    assert sme.orders.get(external_id="536366").shipping > 0  # POST is shipping charged
    # The history ends in the week before today and keeps its length; data collection began within it.
    placed = sme.orders.order_by("placed_at").values_list("placed_at", flat=True)
    first, last = placed.first(), placed.last()
    today = timezone.localdate()
    assert today - datetime.timedelta(days=7) <= timezone.localtime(last).date() < today
    span = timezone.localtime(last).date() - timezone.localtime(first).date()
    assert span == datetime.date(2011, 11, 26) - datetime.date(2011, 5, 2)
    assert sme.stage in WITH_DATA
    collecting = sme.stage_changes.get(to_stage=Stage.DATA_COLLECTION).at
    assert first < collecting < last
    # Its report is computed from that history.
    document = ToolkitReport.objects.get(sme=sme).document
    assert document["readiness"]["level"] == "good"
    assert document["readiness"]["orders"] == 66
    assert "Online Retail history: 66 orders" in output
    # The file has no costs: profit is estimated, and readiness says so.
    assert document["readiness"]["profit_estimated"] is True
    # The history starts mid-month (moved by whole weeks): its first month is partial and no comparison uses it.
    first_month = document["planning"]["months"][0]
    starts_on_the_first = timezone.localtime(first, ZoneInfo(sme.launchpad.time_zone)).day == 1
    assert first_month["partial"] is not starts_on_the_first
    if not starts_on_the_first:
        assert first_month["partial_kind"] == "first"
        for comparison in document["planning"]["comparisons"]:
            assert first_month["month"] not in (comparison["label_current"], comparison["label_previous"])
    # Cancellation invoices (C…) are returns, never loss-making orders.
    flagged = [o for period in document["growth"]["periods"] for o in period["orders"]] + document["growth"]["orders"]
    assert not [o for o in flagged if o["flag"] == "loss" and o["external_id"].startswith("C")]
    assert all(o["flag"] == "return" for o in flagged if o["external_id"].startswith("C") and o["sales"] < 0)
    # Across the demo, every readiness level and every opportunity group shows up.
    reports = list(ToolkitReport.objects.all())
    assert {r.document["readiness"]["level"] for r in reports} == {"insufficient", "thin", "good"}
    assert {o["group"] for r in reports for o in r.document["market"]["opportunities"]} == {
        "strong",
        "good",
        "potential",
    }

    before = _counts()
    again = _load("--online-retail", str(FIXTURE))
    assert _counts() == before
    assert "0 created" in again


def test_the_real_history_replaces_a_generated_one():
    _load()
    sme = SME.objects.get(slug=ONLINE_RETAIL_SME)
    assert sme.products.filter(external_id__startswith="demo-").exists()
    _load("--online-retail", str(FIXTURE))
    assert sme.orders.count() == 66
    assert not sme.products.filter(external_id__startswith="demo-").exists()
    assert ToolkitReport.objects.get(sme=sme).document["readiness"]["orders"] == 66


def test_a_missing_file_is_one_clear_error_before_anything_is_loaded():
    with pytest.raises(CommandError, match=r"No Online Retail file at /nowhere/online_retail\.csv\.gz"):
        _load("--online-retail", "/nowhere/online_retail.csv.gz")
    assert not SME.objects.exists()


def test_a_missing_file_exits_non_zero_with_one_line():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "manage.py", "load_demo", "--online-retail", "/nowhere/online_retail.csv.gz"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == ["CommandError: No Online Retail file at /nowhere/online_retail.csv.gz."]
