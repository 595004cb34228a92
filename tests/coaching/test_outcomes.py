"""Outcomes from the SME's own orders: baseline, month-by-month figures, the two events, the badge, answers.

A UK SME (Europe/London: British Summer Time from 29 March 2026) shares its plan on 15 March
2026 at noon UTC, aiming at Germany (any channel) and at France through marketplaces:

* before: GB orders since January 2025; one German order in February 2025, outside the 12-month
  baseline (so Germany is a new market); one French marketplace order of 100.00 in April 2025;
  a cancelled German order five days after sharing (counts for nothing);
* after: German orders at 23:30 UTC on 31 March (00:30 on 1 April in London: April) and on 30
  April (May), with a refund of 10.00 made in May, and one in June — three months running;
  a French marketplace order of 150.00 and a French web order in April 2026.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from coaching import outcomes, services
from coaching.countries import match_country
from coaching.markets import classify_channel_text
from coaching.models import (
    ActionStatusChange,
    OutcomeAnswer,
    OutcomeConfirmation,
    OutcomeEvent,
    OutcomeKind,
    TargetMarket,
    TrackedMarket,
)
from coaching.models import (
    PlanAction as PlanActionModel,
)
from connectors.models import DataSource, Order, OrderLine, Product, Refund
from connectors.records import customer_ref
from connectors.writer import customer_key, line_totals_refresh
from learning.models import BadgeAward, BadgeClass, Criterion, CriterionKind
from toolkit import milestones
from toolkit.models import ToolkitReport

from .conftest import login

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SHARED = datetime.datetime(2026, 3, 15, 12, tzinfo=UTC)


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


class History:
    def __init__(self, sme):
        self.sme = sme
        self.source = DataSource.objects.create(sme=sme, kind="file")
        self.n = 0

    def order(self, when, country, value, *, channel="web", discounts="0", status="completed", quantity=1, customer=""):
        self.n += 1
        order = Order.objects.create(
            sme=self.sme, source=self.source, external_id=f"O{self.n}", placed_at=when, customer_country=country,
            channel=channel, status=status, discounts=Decimal(discounts), currency="GBP",
            customer_key=customer_key(self.source, customer_ref("id", customer)),
        )  # fmt: skip
        OrderLine.objects.create(
            order=order, line_key="1", quantity=quantity, unit_price=Decimal(value) / quantity, sku="MUG"
        )
        line_totals_refresh([order.pk])  # as the writer does after writing lines
        return order

    def refund(self, order, when, amount):
        Refund.objects.create(sme=self.sme, order=order, external_id=f"R{order.pk}", refunded_at=when,
                              amount=Decimal(amount))  # fmt: skip


@pytest.fixture
def history(sme):
    h = History(sme)
    h.order(at(2025, 1, 5, 10), "GB", "40.00")
    h.order(at(2025, 2, 10, 10), "DE", "55.00")  # outside the baseline's 12 months
    h.order(at(2025, 4, 10, 10), "FR", "100.00", channel="Amazon")
    for month in range(5, 13):
        h.order(at(2025, month, 12, 10), "GB", "50.00")
    h.order(at(2026, 3, 20, 10), "DE", "500.00", status="cancelled")
    first = h.order(at(2026, 3, 31, 23, 30), "DE", "80.00")  # 00:30 on 1 April in London
    h.order(at(2026, 4, 2, 10), "GB", "120.00", discounts="20.00")
    h.order(at(2026, 4, 10, 10), "FR", "150.00", channel="Amazon Marketplace")
    h.order(at(2026, 4, 11, 10), "FR", "30.00", channel="web")
    may = h.order(at(2026, 4, 30, 23, 30), "DE", "60.00", channel="etsy")  # 00:30 on 1 May in London
    h.refund(first, at(2026, 5, 3, 9), "10.00")  # counts in May, not in April
    h.order(at(2026, 6, 30, 22, 59), "DE", "45.00")  # 23:59 on 30 June in London
    h.order(at(2026, 6, 30, 23, 0), "DE", "999.00")  # midnight: July
    return h, first, may


@pytest.fixture
def shared(sme, manager, history, monkeypatch):
    plan = services.plan_draft_ensure(sme=sme, by=manager)
    services.plan_update(plan=plan, by=manager, title="Germany and France")
    services.market_save(plan=plan, by=manager, country="DE", orientation="b2c")
    services.market_save(plan=plan, by=manager, country="fr", sales_channel="marketplace", orientation="b2c")
    monkeypatch.setattr("coaching.services.timezone.now", lambda: SHARED)
    services.plan_share(plan=plan, by=manager)
    monkeypatch.undo()
    return plan


def test_countries_and_channels_written_by_hand_are_matched():
    assert [match_country(t) for t in ("Royaume-Uni", "Germany", "allemagne", "UK", "Pays-Bas", "Narnia")] == [
        "GB", "DE", "DE", "GB", "NL", None,
    ]  # fmt: skip
    assert [classify_channel_text(t) for t in ("Etsy", "Amazon", "wholesale", "our shop", "")] == [
        "marketplace", "marketplace", "b2b", "web", "any",
    ]  # fmt: skip


def test_a_country_code_is_checked(sme, manager):
    plan = services.plan_draft_ensure(sme=sme, by=manager)
    with pytest.raises(Exception, match="not a country code"):
        services.market_save(plan=plan, by=manager, country="XX", orientation="b2c")


def test_the_baseline_is_frozen_at_the_first_sharing(sme, manager, shared):
    germany = TrackedMarket.objects.get(sme=sme, country="DE")
    assert germany.tracked_since == SHARED
    assert germany.baseline_start == at(2025, 3, 15, 12)  # 12 months: the February order is outside
    assert (germany.baseline_orders, germany.baseline_sales, germany.baseline_months) == (0, 0, 12)
    assert germany.is_new_market and germany.readiness_level == "good"
    france = TrackedMarket.objects.get(sme=sme, country="FR")
    assert (france.sales_channel, france.baseline_orders, france.baseline_sales) == ("marketplace", 1, Decimal("100"))
    # A later version naming the same markets keeps the first baseline.
    following = services.plan_draft_ensure(sme=sme, by=manager)
    services.plan_share(plan=following, by=manager)
    assert TrackedMarket.objects.filter(sme=sme).count() == 2
    assert TrackedMarket.objects.get(sme=sme, country="DE").tracked_since == SHARED


def test_the_baseline_goes_as_far_back_as_the_data(sme, manager):
    h = History(sme)
    h.order(at(2026, 2, 1, 10), "GB", "10.00")
    h.order(at(2026, 3, 1, 10), "GB", "10.00")
    plan = services.plan_draft_ensure(sme=sme, by=manager)
    services.market_save(plan=plan, by=manager, country="GB", orientation="b2c")
    services.plan_share(plan=plan, by=manager)
    market = TrackedMarket.objects.get(sme=sme)
    assert market.baseline_start == at(2026, 2, 1, 10)
    assert market.baseline_orders == 2 and market.readiness_level == "insufficient"
    assert Decimal("1") < market.baseline_months < Decimal("12")


def test_monthly_figures_in_the_launchpads_time_zone(sme, shared):
    now = at(2026, 7, 5, 12)
    (germany, france) = sorted(outcomes.market_outcomes([sme], now=now)[sme.pk], key=lambda o: o.market.country)
    months = {m.month.isoformat()[:7]: m for m in germany.months}
    assert list(months) == ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]
    assert months["2026-03"].partial and months["2026-07"].partial and not months["2026-04"].partial
    assert (months["2026-03"].orders, months["2026-03"].net_sales) == (0, 0)  # the cancelled order counts for nothing
    assert (months["2026-04"].orders, months["2026-04"].net_sales) == (1, Decimal("80.00"))
    assert (months["2026-05"].orders, months["2026-05"].net_sales) == (1, Decimal("50.00"))  # 60 − the 10 refund
    assert (months["2026-06"].orders, months["2026-06"].net_sales) == (1, Decimal("45.00"))
    assert (months["2026-07"].orders, months["2026-07"].net_sales) == (1, Decimal("999.00"))
    # April: 80 of the SME's 80 + (120 − 20) + 150 + 30 = 360.
    assert months["2026-04"].share_pct == round(100 * 80 / 360, 1)
    assert months["2026-04"].vs_baseline_pct is None  # no baseline sales to compare with
    assert months["2026-07"].vs_last_year_pct is None  # partial: never compared

    april = next(m for m in france.months if m.month == datetime.date(2026, 4, 1))
    assert (april.orders, april.net_sales) == (1, Decimal("150.00"))  # the web order is another channel
    assert april.last_year_sales == Decimal("100.00") and april.vs_last_year_pct == 50.0
    assert france.baseline_monthly == Decimal("8.33")
    assert april.vs_baseline_pct == round(100 * (150 - 100 / 12) / (100 / 12), 1)


def test_new_customers_by_their_first_order_in_the_launchpads_time_zone(sme, history, shared, uk):
    from reporting import programme as reporting

    h = history[0]
    # No order said who ordered before sharing: the baseline's customers are not known.
    assert TrackedMarket.objects.get(sme=sme, country="DE").baseline_customers is None
    h.order(at(2026, 4, 30, 23, 30), "DE", "20.00", customer="C")  # 00:30 on 1 May in London: May
    h.order(at(2026, 5, 20, 10), "DE", "20.00", customer="C")  # C again: not new
    h.order(at(2026, 4, 5, 10), "GB", "20.00", customer="A")  # A's first order is British…
    h.order(at(2026, 6, 10, 10), "DE", "20.00", customer="A")  # …so A is not a new customer in Germany
    h.order(at(2026, 5, 31, 22, 59), "DE", "20.00", customer="D")  # 23:59 on 31 May in London: May
    h.order(at(2026, 5, 2, 10), "DE", "20.00", customer="E", status="cancelled")  # counts for nothing…
    h.order(at(2026, 6, 30, 23, 0), "DE", "20.00", customer="E")  # …E's first live order: July in London
    (germany, france) = sorted(
        outcomes.market_outcomes([sme], now=at(2026, 7, 5, 12))[sme.pk], key=lambda o: o.market.country
    )
    new = {m.month.isoformat()[:7]: m.new_customers for m in germany.months}
    assert new == {"2026-03": 0, "2026-04": 0, "2026-05": 2, "2026-06": 0, "2026-07": 1}
    assert germany.new_customers == 3 and france.new_customers == 0
    # The review's quarter (April–June in London) counts C and D; E's first order is on 1 July there.
    q2 = reporting.Scope(uk.programme, datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), (uk,))
    with translation.override("en"):
        rows = {
            row["key"]: row["values"]["uk"] for row in _table(reporting.figures(q2), "outcomes_first_sales")["rows"]
        }
    assert rows["new_customers_quarter"] == 2


def test_new_customers_are_not_known_without_a_customer_key(sme, shared):
    (germany, _) = sorted(
        outcomes.market_outcomes([sme], now=at(2026, 7, 5, 12))[sme.pk], key=lambda o: o.market.country
    )
    assert {m.new_customers for m in germany.months} == {None} and germany.new_customers is None


def test_the_baseline_counts_the_markets_customers(sme, manager, monkeypatch):
    h = History(sme)
    h.order(at(2025, 9, 1, 10), "DE", "30.00", customer="B")
    h.order(at(2025, 10, 1, 10), "DE", "30.00", customer="B")
    h.order(at(2025, 11, 1, 10), "DE", "30.00", customer="F")
    h.order(at(2025, 11, 2, 10), "GB", "30.00", customer="G")
    h.order(at(2024, 1, 2, 10), "DE", "30.00", customer="H")  # before the 12 months
    plan = services.plan_draft_ensure(sme=sme, by=manager)
    services.market_save(plan=plan, by=manager, country="DE", orientation="b2c")
    monkeypatch.setattr("coaching.services.timezone.now", lambda: SHARED)
    services.plan_share(plan=plan, by=manager)
    market = TrackedMarket.objects.get(sme=sme)
    assert (market.baseline_orders, market.baseline_customers) == (3, 2)


def test_first_sale_and_market_established_are_detected_once(sme, shared):
    assert outcomes.outcomes_detect(sme, now=at(2026, 4, 20, 12))[0].kind == OutcomeKind.FIRST_SALE
    first = OutcomeEvent.objects.get(kind=OutcomeKind.FIRST_SALE)
    assert first.market.country == "DE" and first.occurred_at == at(2026, 3, 31, 23, 30)
    assert first.month == datetime.date(2026, 4, 1) and (first.orders, first.net_sales) == (1, Decimal("80.00"))
    assert first.answer == OutcomeAnswer.UNCONFIRMED
    assert outcomes.outcomes_detect(sme, now=at(2026, 5, 20, 12)) == []  # two months running: not yet
    (established,) = outcomes.outcomes_detect(sme, now=at(2026, 6, 30, 23, 30))
    assert established.kind == OutcomeKind.ESTABLISHED and established.month == datetime.date(2026, 6, 1)
    assert established.occurred_at == at(2026, 6, 30, 22, 59)
    assert (established.orders, established.net_sales) == (3, Decimal("175.00"))
    assert outcomes.outcomes_detect(sme, now=at(2026, 8, 1, 12)) == []
    # France had a marketplace order in the baseline: not a new market, and no run of three months.
    assert not OutcomeEvent.objects.filter(market__country="FR").exists()


def test_the_badge_is_awarded_through_the_milestone_criteria(sme, sme_user, shared, django_capture_on_commit_callbacks):
    badge = BadgeClass.objects.create(slug="first-new-market", name_en="First sale in a new market",
                                      name_fr="Première vente sur un nouveau marché", description_en="d",
                                      criteria_text_en="c")  # fmt: skip
    Criterion.objects.create(badge_class=badge, kind=CriterionKind.MILESTONE, milestone="new_market_first_sales",
                             threshold=1)  # fmt: skip
    assert milestones.value(sme, "new_market_first_sales") == 0
    with django_capture_on_commit_callbacks(execute=True):
        milestones.moved(sme, sender="toolkit")  # what a report refresh after a sync sends
    assert OutcomeEvent.objects.filter(sme=sme, kind=OutcomeKind.FIRST_SALE).exists()
    assert BadgeAward.objects.filter(badge_class=badge, sme=sme).count() == 1


def test_the_sme_answers_and_every_answer_is_kept(client, sme, sme_user, manager, shared):
    (event,) = [e for e in outcomes.outcomes_detect(sme, now=at(2026, 4, 20, 12)) if e.kind == "first_sale"]
    url = reverse("coaching:outcome_answer", kwargs={"slug": sme.slug, "pk": event.pk})
    login(client, manager)
    assert client.post(url, {f"o{event.pk}-answer": "confirmed"}).status_code == 403  # staff may not answer
    login(client, sme_user)
    with translation.override("fr"):
        page = client.get(reverse("journey:sme_detail", kwargs={"slug": sme.slug}))
    assert "Allemagne" in page.content.decode()  # the SME user reads French
    assert page.content.decode().count(f'name="o{event.pk}-answer"') == 3
    response = client.post(url, {f"o{event.pk}-answer": "bogus"})
    assert response.status_code == 302 and OutcomeConfirmation.objects.count() == 0
    client.post(url, {f"o{event.pk}-answer": "anyway"})
    client.post(url, {f"o{event.pk}-answer": "confirmed", f"o{event.pk}-note": "The Etsy shop in German"})
    event.refresh_from_db()
    assert event.answer == OutcomeAnswer.CONFIRMED
    assert list(event.confirmations.values_list("answer", "note")) == [
        ("anyway", ""), ("confirmed", "The Etsy shop in German"),
    ]  # fmt: skip
    earlier = event.confirmations.first().at
    assert outcomes.answers_at([event], earlier)[event.pk] == OutcomeAnswer.ANYWAY
    assert outcomes.answers_at([event], earlier - datetime.timedelta(seconds=1))[event.pk] == "unconfirmed"


def test_a_fix_action_closes_itself_when_the_sync_shows_it_fixed(sme, manager, history):
    product = Product.objects.create(sme=sme, source=history[0].source, external_id="P1", title="MUG")
    action, _ = services.action_from_finding(sme=sme, by=manager, kind="fix", ref=str(product.pk), title="Fix MUG")
    kept, _ = services.action_from_finding(sme=sme, by=manager, kind="fix", ref="999999", title="Gone product")
    services.plan_share(plan=action.plan, by=manager)
    report = ToolkitReport.objects.create(sme=sme, as_of=datetime.date(2026, 5, 1), computed_at=SHARED,
                                          document={"inventory": {"fixes": [{"product_id": product.pk}]}})  # fmt: skip
    assert outcomes.actions_close_fixed(sme) == []
    report.document = {"inventory": {"fixes": []}}
    report.save()
    (closed,) = outcomes.actions_close_fixed(sme)
    assert closed.pk == action.pk and closed.status == "done"
    change = ActionStatusChange.objects.get(action=action, to_status="done")
    assert change.automatic and change.by is None
    kept.refresh_from_db()
    assert kept.status == "proposed"  # its product is gone, not fixed


def test_an_opportunity_action_closes_itself_when_its_strong_product_is_back_in_stock(sme, manager, history):
    from coaching.outcome_views import _outcome_events

    source = history[0].source

    def product(external_id, stock):
        return Product.objects.create(sme=sme, source=source, external_id=external_id, title=external_id,
                                      stock_tracked=True, stock_quantity=stock)  # fmt: skip

    empty, later, weak = product("EMPTY", 0), product("LATER", 5), product("WEAK", 0)

    def propose(item):
        return services.action_from_finding(
            sme=sme, by=manager, kind="opportunity", ref=str(item.pk), title=f"Strong opportunity: {item.title}"
        )[0]

    first, second, third = propose(empty), propose(later), propose(weak)
    assert first.out_of_stock_seen_at is not None and second.out_of_stock_seen_at is None  # noted when proposed
    services.plan_share(plan=first.plan, by=manager)
    report = ToolkitReport.objects.create(sme=sme, as_of=datetime.date(2026, 5, 1), computed_at=SHARED,
                                          document={"market": {"opportunities": []}})  # fmt: skip
    Product.objects.filter(pk=later.pk).update(stock_quantity=0)  # a sync finds it out of stock
    assert outcomes.actions_close_restocked(sme) == []
    assert all(a.out_of_stock_seen_at for a in PlanActionModel.objects.filter(key=second.key))  # every version

    # The next sync: all three in stock again; two are strong products, the third only "good".
    Product.objects.filter(pk__in=[empty.pk, later.pk, weak.pk]).update(stock_quantity=8)
    report.document = {"market": {"opportunities": [
        {"product_id": empty.pk, "group": "strong"}, {"product_id": later.pk, "group": "strong"},
        {"product_id": weak.pk, "group": "good"},
    ]}}  # fmt: skip
    report.save()
    closed = outcomes.actions_close_restocked(sme)
    assert sorted(a.title for a in closed) == ["Strong opportunity: EMPTY", "Strong opportunity: LATER"]
    change = ActionStatusChange.objects.get(action=closed[0], to_status="done")
    assert change.automatic and change.by is None and change.note == outcomes.RESTOCKED
    assert PlanActionModel.objects.get(plan__status="shared", key=third.key).status == "proposed"
    assert outcomes.actions_close_restocked(sme) == []  # closed once
    with translation.override("en"):
        details = [e.detail for e in _outcome_events(sme, 10) if "closed automatically" in str(e.title)]
    assert details == ["The latest sync shows this strong product back in stock."] * 2
    with translation.override("fr"):
        (event, _) = [e for e in _outcome_events(sme, 10) if e.kind == "outcome"][:2]
    assert "de nouveau en stock" in event.detail


def test_markets_written_by_hand_are_migrated_or_kept_for_review(sme, manager):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("coaching.migrations.0003_target_market_country_code")
    plan = services.plan_draft_ensure(sme=sme, by=manager)
    matched = TargetMarket.objects.create(plan=plan, country_text="Royaume-Uni", channel="Etsy", orientation="b2c")
    unknown = TargetMarket.objects.create(plan=plan, country_text="Benelux", channel="", orientation="b2b")
    migration.codes_from_text(apps, None)
    matched.refresh_from_db()
    unknown.refresh_from_db()
    assert (matched.country, matched.country_text, matched.sales_channel) == ("GB", "", "marketplace")
    assert (unknown.country, unknown.country_text, unknown.needs_review) == ("", "Benelux", True)


def _table(figures, key):
    section = next(s for s in figures if s["key"] == "outcomes")
    return next(t for t in section["tables"] if t["key"] == key)


def test_the_review_reads_outcomes_as_the_logs_give_them_at_its_end(sme, sme_user, shared, uk):
    from reporting import programme as reporting

    (event,) = [e for e in outcomes.outcomes_detect(sme, now=at(2026, 4, 20, 12)) if e.kind == "first_sale"]
    outcomes.outcomes_detect(sme, now=at(2026, 7, 5, 12))  # and the market established in June
    answered = OutcomeConfirmation.objects.create(event=event, answer="confirmed", by=sme_user, at=at(2026, 7, 10))
    event.answer = "confirmed"
    event.save()
    q2 = reporting.Scope(uk.programme, datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), (uk,))
    with translation.override("en"):
        figures = reporting.figures(q2)
    rows = {row["key"]: row["values"]["uk"] for row in _table(figures, "outcomes_first_sales")["rows"]}
    assert rows["smes_first_sale"] == 1 and rows["first_quarter"] == 1  # 00:30 on 1 April in London: Q2
    assert rows["first_unconfirmed"] == 1 and rows["first_confirmed"] == 0  # answered only in July
    established = {row["key"]: row["values"]["uk"] for row in _table(figures, "outcomes_established")["rows"]}
    assert established["established_quarter"] == 1
    (sales,) = _table(figures, "outcomes_sales")["rows"]
    # Germany in Q2: 80 + 60 − 10 + 45 (the 999 order is placed at midnight on 1 July, London time).
    assert sales["cells"][1:3] == ["£0.00", "£175.00"]
    baselines = _table(figures, "outcomes_baselines")["rows"]
    assert baselines[0]["cells"][2:5] == ["2", "0", "£325.00"]  # with France's 150 marketplace order

    # Recomputed later for the same quarter: the same, whatever was answered since; Q3 sees the answer.
    with translation.override("en"):
        assert reporting.figures(q2) == figures
        q3 = reporting.Scope(uk.programme, datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), (uk,))
        later = {r["key"]: r["values"]["uk"] for r in _table(reporting.figures(q3), "outcomes_first_sales")["rows"]}
    assert later["first_confirmed"] == 1 and later["first_quarter"] == 0
    assert answered.at < timezone.now()
    with translation.override("fr"):
        (sales_fr,) = _table(reporting.figures(q2), "outcomes_sales")["rows"]
    assert sales_fr["cells"][2].startswith("175,00")


def _confirmation_card(client, sme, event, language):
    with translation.override(language):
        html = client.get(reverse("journey:sme_detail", kwargs={"slug": sme.slug})).content.decode()
    card = html[html.index(f'data-testid="outcome-{event.pk}"') :]
    return card[: card.index("</form>")]


def test_the_confirmation_question_gives_the_new_customers_since_sharing(client, sme, sme_user, shared, history):
    (event,) = [e for e in outcomes.outcomes_detect(sme, now=at(2026, 4, 20, 12)) if e.kind == "first_sale"]
    login(client, sme_user)
    # No order says who ordered: the figures say so rather than show 0.
    card = _confirmation_card(client, sme, event, "en")
    assert "Since the plan was shared on 15/03/2026: 4 orders, £1,174.00 net sales, new customers not known." in card
    assert "nouveaux clients inconnus" in _confirmation_card(client, sme, event, "fr")
    h = history[0]
    h.order(at(2026, 5, 20, 10), "DE", "20.00", customer="C")
    h.order(at(2026, 5, 21, 10), "DE", "20.00", customer="C")  # C again: one customer
    h.order(at(2026, 5, 22, 10), "GB", "20.00", customer="D")  # not in Germany: not counted
    card = _confirmation_card(client, sme, event, "en")
    assert "6 orders, £1,214.00 net sales, 1 new customer." in card
    h.order(at(2026, 5, 23, 10), "DE", "20.00", customer="E")
    assert "7 orders, £1,234.00 net sales, 2 new customers." in _confirmation_card(client, sme, event, "en")
    french = _confirmation_card(client, sme, event, "fr")
    assert "Depuis le partage du plan le 15/03/2026\xa0:" in french, french
    assert "7 commandes, 1\u202f234,00\xa0£ de ventes nettes, 2 nouveaux clients." in french, french


def test_the_dashboard_shows_each_smes_markets_figures_and_answers(client, sme, sme_user, manager, shared, history):
    outcomes.outcomes_detect(sme, now=at(2026, 7, 20, 12))
    h = history[0]
    h.order(at(2026, 7, 2, 10), "DE", "20.00", customer="C")
    first = OutcomeEvent.objects.get(kind=OutcomeKind.FIRST_SALE)
    outcomes.outcome_answer(event=first, by=sme_user, answer=OutcomeAnswer.ANYWAY)
    login(client, manager)
    with translation.override("en"):
        html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html[html.index('data-testid="outcomes-dashboard-panel"') :].split("</section>")[0]
    germany = TrackedMarket.objects.get(sme=sme, country="DE")
    assert panel.count("<tr data-sme=") == 1  # one row per SME and market, though two outcomes
    row = panel[panel.index(f'data-market="{germany.pk}"') :].split("</tr>")[0]
    assert "Germany" in row and "£1,194.00" in row
    assert '<td data-testid="orders">5</td>' in row and '<td data-testid="new-customers">1</td>' in row
    assert 'data-testid="answer-anyway"' in row and "Would have happened anyway" in row
    # The market established is still unconfirmed: shown as such, never as a win.
    assert 'data-testid="answer-unconfirmed"' in row and "Unconfirmed: not counted as a win" in row
    assert "Confirmed" not in row
    assert row.index("First sale in a new market, 01/04/2026:") < row.index("Market established, 30/06/2026:")
