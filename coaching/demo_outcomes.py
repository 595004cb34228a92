"""Outcomes in the demo: SMEs whose orders open a target market after their plan was shared.

Run by ``load_demo`` after the coaching history (plans) and the order histories exist. Every
shared demo plan's markets are followed from its sharing, with the baseline its orders give.
Then four SMEs (two per launchpad, the longest followed) get a second target market, in a
country they had never sold to, and generated orders from it from a few weeks after sharing:
the platform detects the first sale and, three months running, the market established. One
SME confirms the programme helped (with a note), one says it would have happened anyway, one
has not answered, one confirms in French. Welsh Slate Gifts, when it has the real Online
Retail orders, gets a target market in a country its orders reached after sharing (the one it had
sold to least before).

Idempotent: nothing is added twice (markets by country, orders by their ``NM-`` ids, answers
once per event), so ``load_demo`` run twice gives the same counts.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from connectors.models import Order
from connectors.records import OrderLineRecord, OrderRecord
from connectors.services import file_source_for
from connectors.writer import write_orders
from journey.models import SME, Role

from .models import OutcomeConfirmation, OutcomeEvent, Plan, PlanStatus, TargetMarket
from .outcomes import markets_follow, outcomes_detect

ONLINE_RETAIL_SME = "welsh-slate-gifts"
# (new country, kind of channel, answer, note) for the chosen SMEs of each launchpad, in order.
NEW_MARKETS = {
    "uk": [
        ("NL", "any", "confirmed", "The Dutch product pages we wrote in the intensive brought the first orders."),
        ("ES", "marketplace", "", ""),
    ],
    "fr": [
        ("IT", "any", "anyway", ""),
        ("ES", "any", "confirmed", "Les fiches produits traduites en espagnol pendant l'intensif ont tout changé."),
    ],
}
MIN_FOLLOWED_DAYS = 70


def _first_shared(sme: SME) -> Plan | None:
    return sme.plans.exclude(shared_at=None).order_by("shared_at").first()


def _owner(sme: SME):
    return sme.users.filter(role=Role.SME_USER, is_active=True).order_by("pk").first()


def _add_market(plan: Plan, country: str, channel: str) -> None:
    """The market as if the plan had named it when it was shared (the demo's plans are written whole)."""
    if not plan.markets.filter(country=country).exists():
        TargetMarket.objects.create(
            plan=plan, country=country, sales_channel=channel, orientation="b2c", position=plan.markets.count(),
            channel="Amazon" if channel == "marketplace" else "",
        )  # fmt: skip


def _orders_from(sme: SME, country: str, channel: str, start: datetime.datetime, now: datetime.datetime) -> None:
    """A few orders a month from ``country`` from ``start`` to now, priced from the SME's catalogue."""
    if Order.objects.filter(sme=sme, external_id__startswith=f"NM-{country}-").exists():
        return
    rng = random.Random(f"{sme.slug}-{country}")  # noqa: S311 — demo data, seeded for repeatability
    products = list(sme.products.exclude(price=None).order_by("pk")[:6])
    if not products:
        return
    records, day, n = [], start, 0
    while day < now:
        for _ in range(rng.choice([1, 1, 2, 3])):
            n += 1
            product = rng.choice(products)
            placed = day + datetime.timedelta(days=rng.randrange(0, 20), hours=rng.randrange(8, 20))
            if placed >= now:
                continue
            records.append(
                OrderRecord(
                    external_id=f"NM-{country}-{n:04d}", placed_at=placed, customer_country=country,
                    customer_ref=f"id:NM-{country}-{(n + 1) // 2}",  # most customers order twice
                    channel="Amazon" if channel == "marketplace" else "web", currency=sme.launchpad.currency,
                    lines=[OrderLineRecord(line_key="1", sku=product.sku, product_external_id=product.external_id,
                                           quantity=rng.choice([1, 1, 2]), unit_price=product.price or Decimal("10"),
                                           unit_cost=product.unit_cost)],
                )
            )  # fmt: skip
        day += datetime.timedelta(days=30)
    if records:
        write_orders(file_source_for(sme=sme), records)


def _date_events(sme: SME, now: datetime.datetime) -> list[OutcomeEvent]:
    """Detected as the nightly sync would have: the day after each happened."""
    outcomes_detect(sme, now=now)
    events = list(OutcomeEvent.objects.filter(sme=sme).select_related("market").order_by("occurred_at", "pk"))
    for event in events:
        detected = min(event.occurred_at + datetime.timedelta(days=1), now)
        if event.detected_at != detected:
            OutcomeEvent.objects.filter(pk=event.pk).update(detected_at=detected)
    return events


def _answer(sme: SME, events: list[OutcomeEvent], answer: str, note: str, now: datetime.datetime) -> None:
    owner = _owner(sme)
    if not answer or owner is None:
        return
    for event in events:
        if event.confirmations.exists():
            continue
        at = min(event.occurred_at + datetime.timedelta(days=6), now)
        OutcomeConfirmation.objects.create(event=event, answer=answer, note=note, by=owner, at=at)
        OutcomeEvent.objects.filter(pk=event.pk).update(answer=answer)


def _welsh_slate(now: datetime.datetime) -> None:
    """Welsh Slate Gifts' real orders: target a country they reached after the plan was shared, the one it had
    sold to least before (a first sale there is an outcome when it had never sold there)."""
    sme = SME.objects.filter(slug=ONLINE_RETAIL_SME).first()
    plan = _first_shared(sme) if sme else None
    if plan is None or sme.products.filter(external_id__startswith="demo-").exists():
        return  # no plan, or a generated history instead of the real one
    orders = Order.objects.filter(sme=sme).exclude(customer_country="").exclude(customer_country=sme.country)
    # The country its orders reached after sharing that it had sold to least before (never, if any).
    baseline = dict(orders.filter(placed_at__lt=plan.shared_at).values_list("customer_country").annotate(n=Count("pk")))
    reached = orders.filter(placed_at__gte=plan.shared_at).values_list("customer_country").annotate(n=Count("pk"))
    ranked = sorted(reached, key=lambda row: (baseline.get(row[0], 0), -row[1], row[0]))
    after = {"customer_country": ranked[0][0]} if ranked else None
    if after is not None:
        _add_market(plan, after["customer_country"], "any")
        markets_follow(plan=plan)
        _date_events(sme, now)


@transaction.atomic
def load_outcomes(*, now: datetime.datetime | None = None) -> int:
    """Follow every shared demo plan's markets and open new markets for four SMEs; returns the events recorded."""
    now = now or timezone.now()
    _welsh_slate(now)  # first: its baseline is frozen before the plan's other markets are followed
    for plan in Plan.objects.exclude(shared_at=None).exclude(status=PlanStatus.DRAFT).order_by("shared_at", "pk"):
        markets_follow(plan=plan)
    for code, markets in NEW_MARKETS.items():
        candidates = [
            (plan.shared_at, sme)
            for sme in SME.objects.filter(launchpad__code=code).exclude(slug=ONLINE_RETAIL_SME).order_by("slug")
            if (plan := _first_shared(sme)) is not None
            and (now - plan.shared_at).days >= MIN_FOLLOWED_DAYS
            and sme.products.exists()
            and _owner(sme) is not None
        ]
        for (shared_at, sme), (country, channel, answer, note) in zip(
            sorted(candidates, key=lambda c: c[0]), markets, strict=False
        ):
            plan = _first_shared(sme)
            if not plan.markets.filter(country=country).exists():
                _add_market(plan, country, channel)
                markets_follow(plan=plan)
            _orders_from(sme, country, channel, shared_at + datetime.timedelta(days=18), now)
            events = [event for event in _date_events(sme, now) if event.market.country == country]
            _answer(sme, events, answer, note, now)
    return OutcomeEvent.objects.count()
