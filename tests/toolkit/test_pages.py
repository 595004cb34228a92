"""The toolkit's tool pages: scoping, locked tools, readiness, charts, the month picker, targets, add to plan.

Also what the pages read: the stored report's month-picker periods and the inventory thresholds
taken from the settings.
"""

import datetime
import re
from decimal import Decimal

import pandas as pd
import pytest
from django.test import override_settings
from django.utils import timezone, translation

from journey import hooks
from tests.journey.factories import (
    AccountManagerFactory,
    CoordinatorFactory,
    LaunchpadFactory,
    SMEFactory,
    SMEUserFactory,
)
from toolkit import report
from toolkit.analyses import growth as growth_module
from toolkit.analyses.growth import growth_periods
from toolkit.models import Target, Tool, ToolAccess
from toolkit.services import report_refresh

from .factories import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_plan():
    """No plan target registered (whatever coaching registered at start-up), restored afterwards."""
    with hooks.override(hooks.PLAN_TARGET):
        yield


@pytest.fixture
def fake_plan():
    with hooks.override(hooks.PLAN_TARGET, lambda request, sme: f"/plan-for/{sme.slug}/"):
        yield


# --- pages, in both languages ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_tool_page_shows_readiness_guide_charts_and_tables(client, all_open, owner, lang):
    client.force_login(owner)
    overview = client.get(url(all_open, lang=lang)).content.decode()
    for tool in Tool.values:
        assert f'href="/{lang}/portal/smes/{all_open.slug}/toolkit/{tool}/"' in overview  # the overview links to it
        response = client.get(url(all_open, tool, lang))
        assert response.status_code == 200, tool
        page = response.content.decode()
        assert 'data-testid="readiness-banner"' in page and 'data-testid="guide"' in page
        assert 'data-testid="locked"' not in page
        assert f'href="/{lang}/portal/smes/{all_open.slug}/toolkit/"' in page  # back to the overview
        assert 'aria-current="page"' in page
        # Every chart carries a text alternative: a title and a description it is labelled by.
        charts = re.findall(r'<svg class="chart[ \w-]*"[^>]*aria-labelledby="([\w-]+)-title \1-desc"', page)
        assert charts, tool
        for uid in charts:
            assert f'<title id="{uid}-title">' in page and f'<desc id="{uid}-desc">' in page
        assert "<figcaption>" in page
        assert 'data-format="XLSX"' in page and 'data-format="CSV"' in page
    french = client.get(url(all_open, "planning", "fr")).content.decode()
    if lang == "fr":
        assert "Ventes" in french and "Bénéfice" in french


def test_planning_headline_markers_projection_and_the_partial_month(client, all_open, owner):
    client.force_login(owner)
    page = client.get(url(all_open, "planning")).content.decode()
    assert 'data-testid="projection"' in page and "likely between" in page
    assert re.search(r'data-figure="sales"[^>]*>', page)
    # The default, the whole history, has nothing before it to compare with; three months do.
    page = client.get(url(all_open, "planning") + "?period=last_3").content.decode()
    assert re.search(r'class="trend-(up|down|flat)" data-figure="sales"', page)  # a marker vs the months before
    current = timezone.localdate().strftime("%Y-%m")
    page = client.get(url(all_open, "planning") + f"?period={current}").content.decode()
    assert "in progress" in page and "not compared with the month before" in page
    assert 'class="trend-none" data-figure="sales"' in page  # no marker for a month not finished


def test_market_page_lists_opportunities_and_countries(client, all_open, owner):
    client.force_login(owner)
    page = client.get(url(all_open, "market")).content.decode()
    assert 'data-group="strong"' in page or 'data-group="good"' in page or "None in this group" in page
    assert "United Kingdom" in page and "France" in page
    assert "Strong: a proven seller" in page  # the rules in the guide


def test_inventory_page_scores_and_orders_the_fix_list(client, shop, owner):
    client.force_login(owner)  # inventory is open from the start
    page = client.get(url(shop, "inventory")).content.decode()
    assert 'id="inventory-score-title"' in page and 'id="inventory-checks-title"' in page
    assert "Title of 25 to 150 characters" in page
    assert page.index("BOWL") > page.index('data-testid="table-inventory_fixes"')


def test_growth_page_flags_loss_making_orders(client, all_open, owner):
    client.force_login(owner)
    page = client.get(url(all_open, "growth")).content.decode()
    assert 'class="flag-loss"' in page and 'class="flag-top"' in page
    assert 'data-figure="loss_orders"' in page


# --- the month picker --------------------------------------------------------------------------------


def test_month_picker_chooses_a_period_and_says_when_one_is_unknown(client, all_open, owner):
    client.force_login(owner)
    page = client.get(url(all_open, "growth") + "?period=last_3").content.decode()
    assert '<option value="last_3" selected>' in page
    assert "export/growth_orders.xlsx?period=last_3" in page  # the downloads follow the picker
    page = client.get(url(all_open, "growth") + "?period=1999-01").content.decode()
    assert "That month or period is not available" in page
    months = [m["month"] for m in all_open.toolkit_report.document["planning"]["months"]]
    page = client.get(url(all_open, "planning") + f"?period={months[2]}").content.decode()
    table = page[page.index('data-testid="table-planning_months"') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr") == 2  # the header and the one month chosen


# --- locked tools ------------------------------------------------------------------------------------


def test_a_locked_tool_says_what_would_open_it(client, shop, owner):
    def badge_hint(sme, tool):
        return "Earn the “Test badge” badge" if tool == "market" else None

    with hooks.override(hooks.UNLOCK_HINTS, badge_hint):
        client.force_login(owner)
        page = client.get(url(shop, "market")).content.decode()
    assert 'data-testid="locked"' in page
    assert "Earn the “Test badge” badge" in page and "Your account manager can open it with you." in page
    assert "Open it for this SME" not in page
    assert 'data-testid="table-market_opportunities"' not in page and '<svg class="chart chart-wide"' not in page
    assert "The SME's account manager can open it." not in page


def test_a_locked_tool_tells_a_reading_account_manager_who_opens_it(client, shop):
    reader = AccountManagerFactory(launchpad=shop.launchpad)  # same launchpad: reads, may not change
    client.force_login(reader)
    page = client.get(url(shop, "planning")).content.decode()
    assert "This tool is locked for this SME for now" in page and "The SME's account manager can open it." in page
    assert "Your account manager can open it with you." not in page and "Open it for this SME" not in page
    assert 'data-testid="table-planning_months"' not in page
    nav = page[page.index('data-testid="toolkit-nav"') :]
    nav = nav[: nav.index("</nav>")]
    assert nav.count('class="lock-icon"') == 3 and nav.count("(locked)") == 3  # all but the inventory


def test_the_account_manager_opens_a_locked_tool_from_its_page(client, shop, manager):
    client.force_login(manager)
    page = client.get(url(shop, "planning")).content.decode()
    assert 'data-testid="locked"' in page and "Open it for this SME" in page
    assert 'data-testid="table-planning_months"' in page  # a preview for the staff who may open it
    response = client.post(f"{url(shop)}open/", {"tool": "planning", "next": "tool"})
    assert response.status_code == 302 and response["Location"].endswith("/toolkit/planning/")
    assert ToolAccess.objects.filter(sme=shop, tool="planning").exists()


def test_unknown_tools_are_not_found(client, shop, owner):
    client.force_login(owner)
    assert client.get(url(shop, "nonsense")).status_code == 404


# --- scoping -----------------------------------------------------------------------------------------


def test_other_companies_and_the_other_launchpad_see_nothing(client, all_open):
    other_launchpad_manager = AccountManagerFactory(launchpad=LaunchpadFactory(france=True))
    for user in (SMEUserFactory(), other_launchpad_manager):
        client.force_login(user)
        for tool in Tool.values:
            assert client.get(url(all_open, tool)).status_code == 404
        response = client.post(f"{url(all_open)}targets/add/", {"metric": "sales", "value": "100", "due": "2099-01-01"})
        assert response.status_code == 404
    assert not Target.objects.exists()


def test_a_coordinator_reads_but_may_not_set_targets(client, all_open):
    client.force_login(CoordinatorFactory())
    page = client.get(url(all_open, "growth")).content.decode()
    assert 'data-testid="target-form"' not in page
    due = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    response = client.post(f"{url(all_open)}targets/add/", {"metric": "sales", "value": "100", "due": due})
    assert response.status_code == 403 and not Target.objects.exists()


# --- targets -----------------------------------------------------------------------------------------


def test_the_sme_adds_and_removes_a_target(client, all_open, owner):
    client.force_login(owner)
    due = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
    response = client.post(
        f"{url(all_open)}targets/add/", {"metric": "sales", "value": "5000", "due": due}, follow=True
    )
    page = response.content.decode()
    target = Target.objects.get(sme=all_open)
    assert (target.metric, target.value) == ("sales", Decimal("5000.00"))
    assert "Target added" in page
    table = page[page.index('data-testid="table-growth_targets"') :]
    assert "£5,000.00" in table[: table.index("</table>")]  # progress shown at once, from the stored months
    response = client.post(f"{url(all_open)}targets/{target.pk}/delete/", follow=True)
    assert "Target removed" in response.content.decode() and not Target.objects.exists()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_bad_target_is_refused_with_a_message_in_the_readers_language(client, all_open, owner, lang):
    client.force_login(owner)
    past = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    response = client.post(f"/{lang}/portal/smes/{all_open.slug}/toolkit/targets/add/",
                           {"metric": "orders", "value": "-5", "due": past})  # fmt: skip
    assert response.status_code == 400 and not Target.objects.exists()
    page = response.content.decode()
    with translation.override(lang):
        expected = [
            translation.gettext("A target must be above zero."),
            translation.gettext("Choose a date in the future."),
        ]
    assert all(message in page for message in expected)
    assert f'<html lang="{lang}"' in page and 'class="error"' in page


def test_another_smes_target_cannot_be_removed(client, all_open, owner):
    other = SMEFactory(launchpad=all_open.launchpad)
    target = Target.objects.create(sme=other, metric="sales", value=10, due=datetime.date(2099, 1, 1))
    client.force_login(owner)
    assert client.post(f"{url(all_open)}targets/{target.pk}/delete/").status_code == 404
    assert Target.objects.filter(pk=target.pk).exists()


# --- add to plan -------------------------------------------------------------------------------------


def test_no_add_to_plan_button_until_a_plan_exists(client, all_open, owner, no_plan):
    client.force_login(owner)
    for tool in ("inventory", "market"):
        page = client.get(url(all_open, tool)).content.decode()
        assert 'data-testid="add-to-plan"' not in page and "Add to plan" not in page


def test_add_to_plan_posts_the_finding_to_the_plan(client, all_open, owner, fake_plan):
    client.force_login(owner)
    page = client.get(url(all_open, "inventory")).content.decode()
    forms = re.findall(r'<form method="post" action="([^"]+)" class="inline add-to-plan".*?</form>', page, re.S)
    assert forms and set(forms) == {f"/plan-for/{all_open.slug}/"}
    assert 'name="kind" value="fix"' in page and 'name="next" value="/en/portal/smes/' in page
    assert "Fix the listing of “BOWL”" in page
    market = client.get(url(all_open, "market")).content.decode()
    assert 'name="kind" value="market"' in market and 'name="ref" value="FR"' in market


# --- what the pages read -----------------------------------------------------------------------------


def test_the_report_stores_the_month_pickers_periods(all_open):
    document = report_refresh(sme=all_open).document
    periods = {p["key"]: p for p in document["growth"]["periods"]}
    complete = [m for m in document["planning"]["months"] if not m["partial"]]
    assert [key for key in periods if not key.startswith("last_")] == [m["month"] for m in complete[-12:]][::-1]
    assert {"last_3", "last_6", "last_12"} <= set(periods)
    for month in complete[-12:]:
        stored = periods[month["month"]]
        # The same figures as the planning tool, and every loss-making order kept.
        assert stored["orders_count"] == month["orders"]
        assert stored["sales"] == pytest.approx(month["sales"])
        assert stored["loss_orders"] == 1 and sum(o["flag"] == "loss" for o in stored["orders"]) == 1
    # Products carry their catalogue title, not the SKU of the order line.
    assert {p["label"] for p in document["growth"]["products"]} == {"Hand-thrown stoneware mug, sea blue", "BOWL"}
    last_3 = periods["last_3"]
    assert last_3["sales"] == pytest.approx(sum(m["sales"] for m in complete[-3:]))
    assert list(document) == ["sme", "as_of", "currency", "readiness", "inventory", "market", "planning", "growth"]


def test_stored_periods_are_capped_but_keep_every_loss_making_order(monkeypatch):
    monkeypatch.setattr(growth_module, "ORDERS_CAP", 3)
    monkeypatch.setattr(growth_module, "PRODUCTS_CAP", 1)
    rows = [(n, f"2026-02-{n:02}", 10.0 * n, 15.0 if n in (4, 7) else 0.0) for n in range(1, 11)]
    orders = pd.DataFrame(
        [{"id": n, "external_id": f"#{n}", "placed_at": pd.Timestamp(f"{day} 12:00", tz="UTC"), "status": "completed",
          "channel": "web", "customer_country": "GB", "discounts": disc, "refunds": 0, "fees": 0}
         for n, day, _price, disc in rows]
    )  # fmt: skip
    lines = pd.DataFrame(
        [{"order_id": n, "product_id": float(n % 2), "sku": f"S{n % 2}", "description": "", "quantity": 1,
          "unit_price": price, "unit_cost": price * 0.9} for n, _day, price, _disc in rows]
    )  # fmt: skip
    (february,) = growth_periods(orders, lines, months=["2026-02"])
    assert february.orders_count == 10 and february.loss_orders == 2
    # 2 losses (orders 4 and 7: margin 1 and 0.7 below a 15 discount), then the most profitable one.
    assert sorted(o.external_id for o in february.orders) == ["#10", "#4", "#7"]
    assert len(february.products) == 1 and february.products_count == 2
    assert len(february.profit_curve) == 10 and february.profit_curve[0] == max(february.profit_curve)


def test_inventory_thresholds_come_from_the_settings(shop):
    with override_settings(TOOLKIT_INVENTORY_THRESHOLDS={"title_min": 3}):
        lenient = report.compute(shop)["inventory"]
    with override_settings(TOOLKIT_INVENTORY_THRESHOLDS={"title_min": 25}):
        strict = report.compute(shop)["inventory"]
    lenient_check = next(c for c in lenient["checks"] if c["key"] == "title_length")
    strict_check = next(c for c in strict["checks"] if c["key"] == "title_length")
    assert (lenient_check["failed"], strict_check["failed"]) == (0, 1)  # "BOWL": 4 characters
    assert lenient["score"] > strict["score"]
    assert lenient["thresholds"]["title_min"] == 3 and lenient["thresholds"]["title_max"] == 150


def test_small_changes_show_as_flat_and_months_are_written_out():
    from toolkit.tables import months_text
    from toolkit.views import _trend

    assert [_trend(100.5, 100), _trend(102, 100), _trend(97, 100), _trend(0, 0)] == ["flat", "up", "down", "flat"]
    with translation.override("en"):
        assert months_text("2026-05–2026-10") == "May 2026–Oct 2026"


def test_a_report_stored_before_the_picker_still_shows_its_last_month(all_open):
    from toolkit.tables import choose_period, growth_period

    document = report_refresh(sme=all_open).document
    del document["growth"]["periods"]
    period, bad = choose_period(document, Tool.GROWTH, None)
    assert not bad and period.months == (document["growth"]["start"][:7],)
    chosen = growth_period(document, period)
    assert chosen["orders_count"] == len(document["growth"]["orders"]) and chosen["loss_orders"] == 1
