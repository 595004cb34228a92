"""Outcomes: did the SME sell in the markets its plan aimed at? Measured from its own orders.

* When a plan naming a market is first shared, the market is followed (``TrackedMarket``) and its
  **baseline** frozen: net sales, orders and customers over the 12 months before, or from the first order when
  the data starts later, with the data readiness then.
* Month by month since then (``market_outcomes``): net sales, orders, new customers, the share of the SME's sales,
  the change against the baseline's monthly average and against the same month a year before
  where the data reaches. Months are calendar months in the launchpad's time zone; the month of
  sharing and the current month are partial, and no comparison is made for a partial month.
* Events (``outcomes_detect``): the **first sale in a new market** (the first order from a market
  whose baseline had none) and a **market established** (orders in three consecutive months since
  sharing, where the baseline had no such run). Each is offered to the SME for confirmation
  (``outcome_answer``); unconfirmed, it is reported as unconfirmed, never as a win.

Net sales are the toolkit's (README, "Net sales"): line values excluding tax (quantity × unit
price; returns are negative lines) − discounts − refunds, each refund in the month it was made;
cancelled orders count for nothing, and an order counts in "orders" when it has a line sold.
Everything is added up by the database (``_cells``: one aggregate per table, grouped by SME,
month, customer country and kind of channel); Python only adds up those few rows per market
(``bench/outcomes.py``).

Customers: each order carries a pseudonymous ``customer_key`` when its source says who ordered
(docs/decisions/0016-customer-key.md). A market's **new customers** in a month are those whose
first live order with the SME falls in that month and market; the baseline counts the distinct
customers of the market. An SME none of whose orders says who ordered gets "not known" (None),
never a guess.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, Count, DateField, Exists, F, Max, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, NullIf, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from connectors.models import Order, OrderLine, OrderStatus, Refund
from journey import scoping
from journey.models import SME, User
from toolkit.analyses.readiness import DAYS_PER_MONTH, GOOD, INSUFFICIENT, THIN

from .markets import channel_kind, classify_channel_text
from .models import (
    OutcomeAnswer,
    OutcomeConfirmation,
    OutcomeEvent,
    OutcomeKind,
    Plan,
    SalesChannel,
    TrackedMarket,
)

BASELINE_MONTHS = 12
ESTABLISHED_RUN = 3  # consecutive months with orders
ZERO = Decimal("0")
CENT = Decimal("0.01")


# --- Sums from the database ---------------------------------------------------------------------


def _zone(sme: SME) -> ZoneInfo:
    return ZoneInfo(sme.launchpad.time_zone)


def _sold_line():
    return OrderLine.objects.filter(order_id=OuterRef("pk"), quantity__gt=0)


def _live_orders(sme_ids):
    return Order.objects.filter(sme_id__in=sme_ids).exclude(status=OrderStatus.CANCELLED)


@dataclass
class Cell:
    """Net sales, orders and new customers of one SME in one month, customer country and kind of channel."""

    sales: Decimal = ZERO
    orders: int = 0
    new_customers: int = 0


def _kind_of(channel: str) -> str:
    """The kind of channel of an order's channel text (the SQL ``channel_kind`` rule, in Python)."""
    kind = classify_channel_text(channel)
    return SalesChannel.WEB if kind == SalesChannel.ANY else kind


def _local_month(field: str, zones: dict[str, list[int]], sme_field: str):
    """SQL: the calendar month of ``field`` in the time zone of each row's SME (``zones``: zone → SME ids)."""

    def trunc(name):
        return TruncMonth(field, tzinfo=ZoneInfo(name), output_field=DateField())

    if len(zones) == 1:
        return trunc(next(iter(zones)))
    return Case(
        *(When(**{f"{sme_field}__in": ids}, then=trunc(name)) for name, ids in zones.items()),
        output_field=DateField(),
    )


def _earlier_order_of_customer():
    """An earlier live order of the same SME and customer than the outer order (ties broken by id)."""
    return _live_orders_all().filter(
        Q(placed_at__lt=OuterRef("placed_at")) | Q(placed_at=OuterRef("placed_at"), pk__lt=OuterRef("pk")),
        sme_id=OuterRef("sme_id"),
        customer_key=OuterRef("customer_key"),
    )


def _cells(zones: dict[str, list[int]]) -> dict[tuple, Cell]:
    """(sme id, month, country, kind of channel) → Cell, for every month of these SMEs' orders.

    ``zones``: time zone name → the ids of the SMEs whose launchpad is in it; each SME's months are
    in its own zone. Two grouped queries whatever the number of SMEs and zones, neither reading a
    line: the orders' values (their lines' total and whether one was sold, kept on each order by
    the writer), discounts and new customers (a customer's first live order with the SME, found
    through the (SME, customer key, placed at) index); and the refunds. Grouped by the order's own
    channel text (a handful of values per SME), sorted into kinds of channel here: classifying
    every row in SQL costs more than the sums themselves. (docs/decisions/0023-outcomes-in-one-pass.md)
    """
    sme_ids = sorted(pk for ids in zones.values() for pk in ids)
    cells: dict[tuple, Cell] = defaultdict(Cell)
    kinds: dict[str, str] = {}

    def cell(sme_id, month, country, channel) -> Cell:
        if channel not in kinds:
            kinds[channel] = _kind_of(channel)
        if month.__class__ is not datetime.date:  # a CASE over time zones: the database's raw value
            month = month.date() if isinstance(month, datetime.datetime) else datetime.date.fromisoformat(month[:10])
        return cells[(sme_id, month, country, kinds[channel])]

    with _without_jit():
        _sum_cells(sme_ids, zones, cell)
    return cells


@contextmanager
def _without_jit():
    """PostgreSQL: no JIT compilation for these aggregates. Their estimated cost (a subquery per order) is
    above ``jit_above_cost``, so PostgreSQL compiles them, which took longer than running them (up to
    2 s on the loaded demo machine; docs/decisions/0023-outcomes-in-one-pass.md). ``SET LOCAL``: this
    transaction only."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def _sum_cells(sme_ids: list[int], zones: dict[str, list[int]], cell) -> None:
    # PostgreSQL: each customer's first order read in the (SME, customer key, placed at) index's order with
    # DISTINCT ON, one row per customer; elsewhere a NOT EXISTS per order (the same customers, slower).
    distinct_on = connection.features.can_distinct_on_fields
    new = Value(0) if distinct_on else Count("pk", filter=Q(_new=True))
    orders = _live_orders(sme_ids).annotate(_month=_local_month("placed_at", zones, "sme_id"))
    if not distinct_on:
        orders = orders.annotate(_new=~Q(customer_key="") & ~Exists(_earlier_order_of_customer()))
    orders = (
        orders.values_list("sme_id", "_month", "customer_country", "channel")
        .annotate(value=Sum(F("lines_total") - F("discounts")), sold=Count("pk", filter=Q(has_sale=True)), new=new)
        .order_by()
    )
    for sme_id, month, country, channel, value, sold, new_customers in orders:
        found = cell(sme_id, month, country, channel)
        found.sales += value or ZERO
        found.orders += sold
        found.new_customers += new_customers
    if distinct_on:
        firsts = (
            _live_orders(sme_ids)
            .exclude(customer_key="")
            .annotate(_month=_local_month("placed_at", zones, "sme_id"))
            .order_by("sme_id", "customer_key", "placed_at", "pk")
            .distinct("sme_id", "customer_key")
            .values_list("sme_id", "_month", "customer_country", "channel")
        )
        for sme_id, month, country, channel in firsts:
            cell(sme_id, month, country, channel).new_customers += 1
    refunds = (
        Refund.objects.filter(sme_id__in=sme_ids)
        .exclude(order__status=OrderStatus.CANCELLED)
        .annotate(_month=_local_month("refunded_at", zones, "sme_id"))
        .values_list("sme_id", "_month", "order__customer_country", "order__channel")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for sme_id, month, country, channel, amount in refunds:
        cell(sme_id, month, country, channel).sales -= amount or ZERO


def _matches(country: str, sales_channel: str, cell_country: str, cell_kind: str) -> bool:
    return (not country or cell_country == country) and (
        sales_channel in ("", SalesChannel.ANY) or cell_kind == sales_channel
    )


def window_customers(
    sme: SME, *, start: datetime.datetime, end: datetime.datetime, country: str = "", sales_channel: str = ""
) -> int | None:
    """The distinct customers of one market of the SME who ordered in ``[start, end)``; None: not known
    (none of the SME's orders until ``end`` says who ordered)."""
    keyed = _live_orders([sme.pk]).filter(placed_at__lt=end).exclude(customer_key="")
    if not keyed.exists():
        return None
    orders = keyed.filter(placed_at__gte=start).annotate(_kind=channel_kind("channel"))
    if country:
        orders = orders.filter(customer_country=country)
    if sales_channel and sales_channel != SalesChannel.ANY:
        orders = orders.filter(_kind=sales_channel)
    return orders.values("customer_key").distinct().count()


def window_totals(
    sme: SME, *, start: datetime.datetime | None, end: datetime.datetime, country: str = "", sales_channel: str = ""
) -> tuple[Decimal, int]:
    """Net sales and orders of one market of the SME from ``start`` (None: the beginning) to ``end``.

    Orders count by when they were placed, refunds by when they were made (each in ``[start, end)``).
    """
    orders = _live_orders([sme.pk]).filter(placed_at__lt=end).annotate(_kind=channel_kind("channel"))
    refunds = (
        Refund.objects.filter(sme=sme, refunded_at__lt=end)
        .exclude(order__status=OrderStatus.CANCELLED)
        .annotate(_order_kind=channel_kind("order__channel"))
    )
    if start is not None:
        orders = orders.filter(placed_at__gte=start)
        refunds = refunds.filter(refunded_at__gte=start)
    if country:
        orders = orders.filter(customer_country=country)
        refunds = refunds.filter(order__customer_country=country)
    if sales_channel and sales_channel != SalesChannel.ANY:
        orders = orders.filter(_kind=sales_channel)
        refunds = refunds.filter(_order_kind=sales_channel)
    value = OrderLine.objects.filter(order__in=orders.values("pk")).aggregate(
        v=Coalesce(Sum(F("quantity") * F("unit_price")), Value(ZERO))
    )["v"]
    totals = orders.annotate(_sold=Exists(_sold_line())).aggregate(
        discounts=Coalesce(Sum("discounts"), Value(ZERO)), sold=Count("pk", filter=Q(_sold=True))
    )
    refunded = refunds.aggregate(r=Coalesce(Sum("amount"), Value(ZERO)))["r"]
    return (Decimal(value) - totals["discounts"] - refunded).quantize(CENT), totals["sold"]


# --- Following markets from the first sharing -----------------------------------------------------


def readiness_before(sme: SME, moment: datetime.datetime) -> tuple[str, Decimal, datetime.datetime | None]:
    """The SME's data readiness at ``moment``: (level, months between first and last order, first order)."""
    span = _live_orders([sme.pk]).filter(placed_at__lt=moment).aggregate(first=Min("placed_at"), last=Max("placed_at"))
    if span["first"] is None:
        return INSUFFICIENT, ZERO, None
    months = (span["last"] - span["first"]).total_seconds() / 86400 / DAYS_PER_MONTH
    level = INSUFFICIENT if months < 1 else THIN if months < 3 else GOOD
    return level, Decimal(str(round(months, 1))), span["first"]


def markets_follow(*, plan: Plan) -> list[TrackedMarket]:
    """Follow the shared plan's markets not followed yet, freezing each one's baseline now.

    Called when a plan is shared; a market named again by a later version keeps its first baseline.
    """
    sme = plan.sme
    moment = plan.shared_at or timezone.now()
    created = []
    level = months = first = None
    for market in plan.markets.all():
        if market.needs_review:
            continue  # a country nobody has chosen yet: nothing to measure
        key = {"country": market.country, "sales_channel": market.sales_channel, "segment": market.segment.strip()}
        if TrackedMarket.objects.filter(sme=sme, **key).exists():
            continue
        if level is None:
            level, months, first = readiness_before(sme, moment)
        start = moment - relativedelta(months=BASELINE_MONTHS)
        if first is not None and first > start:
            start = first
        sales, orders = window_totals(
            sme, start=start, end=moment, country=market.country, sales_channel=market.sales_channel
        )
        customers = window_customers(
            sme, start=start, end=moment, country=market.country, sales_channel=market.sales_channel
        )
        span = Decimal(str(round((moment - start).total_seconds() / 86400 / DAYS_PER_MONTH, 1))) if first else ZERO
        created.append(
            TrackedMarket.objects.create(
                sme=sme,
                plan=plan,
                tracked_since=moment,
                baseline_start=start if first else None,
                baseline_months=min(span, Decimal(BASELINE_MONTHS)),
                baseline_sales=sales,
                baseline_orders=orders,
                baseline_customers=customers,
                currency=sme.launchpad.currency,
                readiness_level=level,
                readiness_months=months,
                **key,
            )
        )
    return created


# --- Month by month ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthOutcome:
    month: datetime.date
    partial: bool
    net_sales: Decimal
    orders: int
    new_customers: int | None  # whose first order with the SME is this month, in this market; None: not known
    share_pct: float | None  # of the SME's net sales that month
    vs_baseline_pct: float | None  # against the baseline's monthly average
    vs_last_year_pct: float | None  # against the same month a year before, where the data reaches
    last_year_sales: Decimal | None


@dataclass
class MarketOutcome:
    market: TrackedMarket
    months: list[MonthOutcome] = field(default_factory=list)
    baseline_monthly: Decimal | None = None  # None: no baseline to compare with

    @property
    def net_sales(self) -> Decimal:
        return sum((m.net_sales for m in self.months), ZERO)

    @property
    def orders(self) -> int:
        return sum(m.orders for m in self.months)

    @property
    def new_customers(self) -> int | None:
        """Customers whose first order with the SME was in this market since sharing; None: not known."""
        known = [m.new_customers for m in self.months if m.new_customers is not None]
        return sum(known) if known else None


def _pct(current: Decimal, previous: Decimal | None) -> float | None:
    if previous is None or previous == 0:
        return None
    return round(float(100 * (current - previous) / abs(previous)), 1)


def _month_start(moment: datetime.datetime, zone: ZoneInfo) -> datetime.date:
    local = moment.astimezone(zone)
    return datetime.date(local.year, local.month, 1)


def market_outcomes(smes, *, now: datetime.datetime | None = None) -> dict[int, list[MarketOutcome]]:
    """SME id → its followed markets' monthly outcomes since sharing, up to ``now``'s month.

    One set of aggregates for all the SMEs, each in its launchpad's time zone (``_cells``).
    New customers are None ("not known") for an SME none of whose orders says who ordered.
    """
    now = now or timezone.now()
    markets = list(TrackedMarket.objects.filter(sme__in=smes).select_related("sme__launchpad"))
    by_zone: dict[str, list[TrackedMarket]] = defaultdict(list)
    for market in markets:
        by_zone[market.sme.launchpad.time_zone].append(market)
    zones = {name: sorted({m.sme_id for m in zone_markets}) for name, zone_markets in by_zone.items()}
    cells = _cells(zones) if zones else {}
    totals: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    first_month: dict[int, datetime.date] = {}
    per_sme: dict[int, list[tuple]] = defaultdict(list)
    identified: set[int] = set()  # SMEs with at least one order that says who ordered: a first customer
    for key, cell in cells.items():
        sme_id, month, _country, _kind = key
        totals[(sme_id, month)] += cell.sales
        if cell.new_customers:
            identified.add(sme_id)
        first_month[sme_id] = min(first_month.get(sme_id, month), month)
        per_sme[sme_id].append((key, cell))
    result: dict[int, list[MarketOutcome]] = defaultdict(list)
    for zone_name, zone_markets in by_zone.items():
        zone = ZoneInfo(zone_name)
        current = _month_start(now, zone)
        for market in zone_markets:
            mine: dict[datetime.date, Cell] = defaultdict(Cell)
            for (_sme, month, country, kind), cell in per_sme.get(market.sme_id, []):
                if _matches(market.country, market.sales_channel, country, kind):
                    mine[month].sales += cell.sales
                    mine[month].orders += cell.orders
                    mine[month].new_customers += cell.new_customers
            outcome = MarketOutcome(market=market)
            known = market.sme_id in identified
            exact_monthly = None
            if market.baseline_months >= 1:
                exact_monthly = market.baseline_sales / market.baseline_months
                outcome.baseline_monthly = exact_monthly.quantize(CENT)
            since = market.tracked_since.astimezone(zone)
            month = datetime.date(since.year, since.month, 1)
            first_partial = since != datetime.datetime(since.year, since.month, 1, tzinfo=zone)
            data_from = first_month.get(market.sme_id)
            while month <= current:
                partial = month == current or (month == datetime.date(since.year, since.month, 1) and first_partial)
                cell = mine.get(month, Cell())
                year_before = month - relativedelta(years=1)
                # The data reaches that month whole: the SME's first month of orders is before it.
                reached = data_from is not None and data_from < year_before
                last_year = mine[year_before].sales if reached and year_before in mine else (ZERO if reached else None)
                total = totals.get((market.sme_id, month), ZERO)
                outcome.months.append(
                    MonthOutcome(
                        month=month,
                        partial=partial,
                        net_sales=cell.sales.quantize(CENT),
                        orders=cell.orders,
                        new_customers=cell.new_customers if known else None,
                        share_pct=round(float(100 * cell.sales / total), 1) if total > 0 else None,
                        vs_baseline_pct=None if partial else _pct(cell.sales, exact_monthly),
                        vs_last_year_pct=None if partial or last_year is None else _pct(cell.sales, last_year),
                        last_year_sales=None if last_year is None else last_year.quantize(CENT),
                    )
                )
                month += relativedelta(months=1)
            result[market.sme_id].append(outcome)
    return dict(result)


# --- Events -----------------------------------------------------------------------------------------


def _first_order_since(market: TrackedMarket, since: datetime.datetime, until: datetime.datetime | None = None):
    orders = (
        _live_orders([market.sme_id])
        .annotate(_kind=channel_kind("channel"), _sold=Exists(_sold_line()))
        .filter(placed_at__gte=since, _sold=True)
    )
    if market.country:
        orders = orders.filter(customer_country=market.country)
    if market.sales_channel != SalesChannel.ANY:
        orders = orders.filter(_kind=market.sales_channel)
    if until is not None:
        orders = orders.filter(placed_at__lt=until)
    return orders.order_by("placed_at", "pk").first()


def _run_start(months: list[datetime.date]) -> datetime.date | None:
    """The third month of the first run of ``ESTABLISHED_RUN`` consecutive months, or None."""
    run, previous = 0, None
    for month in sorted(months):
        run = run + 1 if previous is not None and month == previous + relativedelta(months=1) else 1
        previous = month
        if run >= ESTABLISHED_RUN:
            return month
    return None


def outcomes_detect(sme: SME, *, now: datetime.datetime | None = None) -> list[OutcomeEvent]:
    """Record the outcomes the SME's orders now show (each once); the new events, oldest first."""
    now = now or timezone.now()
    zone = _zone(sme)
    found = []
    outcomes = market_outcomes(SME.objects.filter(pk=sme.pk), now=now).get(sme.pk, [])
    existing = set(OutcomeEvent.objects.filter(sme=sme).values_list("market_id", "kind"))
    for outcome in outcomes:
        market = outcome.market
        if market.is_new_market and (market.pk, OutcomeKind.FIRST_SALE) not in existing:
            first = _first_order_since(market, market.tracked_since)
            if first is not None:
                month = _month_start(first.placed_at, zone)
                figures = next((m for m in outcome.months if m.month == month), None)
                found.append(
                    OutcomeEvent(
                        market=market,
                        sme=sme,
                        kind=OutcomeKind.FIRST_SALE,
                        occurred_at=first.placed_at,
                        detected_at=now,
                        month=month,
                        net_sales=figures.net_sales if figures else ZERO,
                        orders=figures.orders if figures else 1,
                        currency=market.currency,
                    )
                )
        if (market.pk, OutcomeKind.ESTABLISHED) not in existing and not _established_before(market, zone):
            third = _run_start([m.month for m in outcome.months if m.orders > 0])
            if third is not None:
                start = datetime.datetime(third.year, third.month, 1, tzinfo=zone)
                first = _first_order_since(market, max(start, market.tracked_since))
                run = [m for m in outcome.months if third - relativedelta(months=2) <= m.month <= third]
                found.append(
                    OutcomeEvent(
                        market=market,
                        sme=sme,
                        kind=OutcomeKind.ESTABLISHED,
                        occurred_at=first.placed_at if first else start,
                        detected_at=now,
                        month=third,
                        net_sales=sum((m.net_sales for m in run), ZERO),
                        orders=sum(m.orders for m in run),
                        currency=market.currency,
                    )
                )
    with transaction.atomic():
        created = [saved for saved in map(_save_once, found) if saved is not None]
    return sorted(created, key=lambda e: e.occurred_at)


def _save_once(event: OutcomeEvent) -> OutcomeEvent | None:
    """The event saved, or None when it was already recorded (by an earlier or a concurrent detection)."""
    fields = {f.name: getattr(event, f.name) for f in OutcomeEvent._meta.concrete_fields}
    for name in ("id", "market", "kind"):
        fields.pop(name)
    saved, created = OutcomeEvent.objects.get_or_create(market=event.market, kind=event.kind, defaults=fields)
    return saved if created else None


def _established_before(market: TrackedMarket, zone: ZoneInfo) -> bool:
    """The baseline already had orders in three consecutive months: not a newly established market."""
    if market.baseline_orders < ESTABLISHED_RUN or market.baseline_start is None:
        return False
    months = (
        _live_orders([market.sme_id])
        .filter(placed_at__gte=market.baseline_start, placed_at__lt=market.tracked_since)
        .annotate(_kind=channel_kind("channel"), _month=TruncMonth("placed_at", tzinfo=zone, output_field=DateField()))
    )
    if market.country:
        months = months.filter(customer_country=market.country)
    if market.sales_channel != SalesChannel.ANY:
        months = months.filter(_kind=market.sales_channel)
    return _run_start(list(months.values_list("_month", flat=True).distinct().order_by())) is not None


# --- The SME's answer -----------------------------------------------------------------------------------


def outcome_answer(*, event: OutcomeEvent, by: User, answer: str, note: str = "") -> OutcomeEvent:
    """Record the SME's answer to "did the programme help?"; every answer is kept, the latest counts."""
    if not scoping.can_confirm_outcomes(by, event.sme):
        raise PermissionDenied(gettext("Only the SME's own people may answer for it."))
    if answer not in OutcomeAnswer.values or answer == OutcomeAnswer.UNCONFIRMED:
        raise ValidationError(gettext("Choose one of the answers."))
    with transaction.atomic():
        OutcomeConfirmation.objects.create(event=event, answer=answer, note=note.strip()[:2000], by=by)
        event.answer = answer
        event.save(update_fields=["answer"])
    return event


def answers_at(events, at: datetime.datetime) -> dict[int, str]:
    """Event id → the SME's answer as it stood at ``at`` (unconfirmed when none had been given)."""
    answers = {event.pk: OutcomeAnswer.UNCONFIRMED for event in events}
    rows = OutcomeConfirmation.objects.filter(event_id__in=answers, at__lte=at).order_by("at", "pk")
    for event_id, answer in rows.values_list("event_id", "answer"):
        answers[event_id] = answer
    return answers


def first_sales_in_new_markets(sme: SME) -> int:
    """Data milestone: new markets where the SME has made its first sale (learning's badge criteria)."""
    return (
        OutcomeEvent.objects.filter(sme=sme, kind=OutcomeKind.FIRST_SALE).exclude(answer=OutcomeAnswer.NOT_NEW).count()
    )


def markets_established(sme: SME) -> int:
    """Data milestone: markets established (three consecutive months with sales) since the plan."""
    return (
        OutcomeEvent.objects.filter(sme=sme, kind=OutcomeKind.ESTABLISHED).exclude(answer=OutcomeAnswer.NOT_NEW).count()
    )


# --- After each sync ----------------------------------------------------------------------------------


def _close_automatically(action, now, note) -> None:
    """Mark ``action`` done by the system, with ``note`` saying why on the timeline."""
    from .models import ActionStatus, ActionStatusChange

    previous = action.status
    action.status, action.status_changed_at = ActionStatus.DONE, now
    action.save(update_fields=["status", "status_changed_at"])
    ActionStatusChange.objects.create(
        action=action, key=action.key, from_status=previous, to_status=ActionStatus.DONE, at=now,
        automatic=True, note=note,
    )  # fmt: skip


def actions_close_fixed(sme: SME, *, now: datetime.datetime | None = None) -> list:
    """Close the open actions of the shared plan whose toolkit finding the latest report shows fixed.

    A "fix" action names a product of the inventory tool's fix list: once the product is no longer
    on it (every check it failed now passes), the action is done, closed by the platform
    (``ActionStatusChange.automatic``) and shown so on the timeline. Returns the actions closed.
    """
    from toolkit.models import ToolkitReport

    from .models import OPEN_STATUSES, PlanAction, PlanStatus

    stored = ToolkitReport.objects.filter(sme=sme).only("document").first()
    inventory = stored.document.get("inventory") if stored else None
    if not inventory or "fixes" not in inventory:
        return []
    still = {str(fix["product_id"]) for fix in inventory["fixes"]}
    now = now or timezone.now()
    closed = []
    actions = PlanAction.objects.filter(
        plan__sme=sme, plan__status=PlanStatus.SHARED, finding_kind="fix", status__in=OPEN_STATUSES
    )
    with transaction.atomic():
        for action in actions.exclude(finding_ref__in=still):
            if not sme.products.filter(pk=action.finding_ref if action.finding_ref.isdigit() else None).exists():
                continue  # the product is gone, not fixed: leave it to the account manager
            _close_automatically(action, now, FIXED)
            closed.append(action)
    return closed


RESTOCKED = "strong product back in stock"  # ActionStatusChange.note of such a closing
FIXED = "finding fixed"


def _out_of_stock(product) -> bool:
    return bool(product.stock_tracked) and (product.stock_quantity or 0) <= 0


def opportunity_stock_note(action) -> None:
    """When an opportunity action is proposed for a product out of stock, note it: its return counts."""
    from connectors.models import Product

    if action.finding_kind != "opportunity" or not action.finding_ref.isdigit() or action.out_of_stock_seen_at:
        return
    product = Product.objects.filter(sme=action.plan.sme, pk=int(action.finding_ref)).first()
    if product is not None and _out_of_stock(product):
        action.out_of_stock_seen_at = timezone.now()
        action.save(update_fields=["out_of_stock_seen_at"])


def actions_close_restocked(sme: SME, *, now: datetime.datetime | None = None) -> list:
    """Close the open opportunity actions of the shared plan whose product, seen out of stock before, the
    latest report shows back in stock and a strong product again (the market tool's "strong" group).

    Each sync first notes the products it finds out of stock (``PlanAction.out_of_stock_seen_at``, on
    every version of the action), so "back" means: out at an earlier look, in stock and strong now.
    Closed by the platform (``ActionStatusChange.automatic``, note ``RESTOCKED``) and shown so on the
    timeline. Returns the actions closed.
    """
    from connectors.models import Product
    from toolkit.models import ToolkitReport

    from .models import OPEN_STATUSES, PlanAction, PlanStatus

    stored = ToolkitReport.objects.filter(sme=sme).only("document").first()
    market = stored.document.get("market") if stored else None
    if not market or "opportunities" not in market:
        return []
    strong = {str(o["product_id"]) for o in market["opportunities"] if o.get("group") == "strong"}
    now = now or timezone.now()
    actions = list(
        PlanAction.objects.filter(
            plan__sme=sme, plan__status=PlanStatus.SHARED, finding_kind="opportunity", status__in=OPEN_STATUSES
        )
    )
    ids = {int(a.finding_ref) for a in actions if a.finding_ref.isdigit()}
    products = {str(p.pk): p for p in Product.objects.filter(sme=sme, pk__in=ids)}
    closed = []
    with transaction.atomic():
        for action in actions:
            product = products.get(action.finding_ref)
            if product is None:
                continue  # the product is gone: leave it to the account manager
            if _out_of_stock(product):
                if action.out_of_stock_seen_at is None:
                    PlanAction.objects.filter(key=action.key, out_of_stock_seen_at=None).update(
                        out_of_stock_seen_at=now
                    )
                continue
            if action.out_of_stock_seen_at is None or action.finding_ref not in strong:
                continue
            _close_automatically(action, now, RESTOCKED)
            closed.append(action)
    return closed


def after_toolkit_refresh(sender, sme: SME, **kwargs) -> None:
    """The ``MILESTONE_MOVED`` hook, from the toolkit (a report refreshed after a sync):
    detect outcomes, close fixed actions and those whose strong product is back in stock; then tell
    learning the coaching milestones may have moved."""
    if sender != "toolkit":
        return
    found = outcomes_detect(sme)
    closed = actions_close_fixed(sme) + actions_close_restocked(sme)
    if found or closed:
        from toolkit import milestones

        transaction.on_commit(lambda: milestones.moved(sme, sender="coaching"))


def _of_outer_market(queryset, prefix: str):
    """``queryset`` (orders, lines or refunds) narrowed to the outer ``TrackedMarket``'s country and channel.

    An empty country (any) or the channel "any" matches every order: ``NULLIF`` makes it null, and
    ``COALESCE`` then compares the order's own value with itself.
    """
    queryset = queryset.annotate(_kind=channel_kind(f"{prefix}channel"))
    country = f"{prefix}customer_country"
    return queryset.filter(
        **{country: Coalesce(NullIf(OuterRef("country"), Value("")), F(country))},
        _kind=Coalesce(NullIf(OuterRef("sales_channel"), Value(SalesChannel.ANY)), F("_kind")),
    )


def markets_window_totals(markets, *, start: datetime.datetime, end: datetime.datetime) -> dict[int, tuple]:
    """Market id → (net sales, orders) from ``start`` (or the market's first sharing, if later) to ``end``.

    One query whatever the number of markets: each total is a correlated subquery of the market's row.
    """
    since = Greatest(OuterRef("tracked_since"), Value(start))
    orders = _of_outer_market(
        _live_orders_all().filter(sme_id=OuterRef("sme_id"), placed_at__gte=since, placed_at__lt=end), ""
    )
    lines = _of_outer_market(
        OrderLine.objects.exclude(order__status=OrderStatus.CANCELLED).filter(
            order__sme_id=OuterRef("sme_id"), order__placed_at__gte=since, order__placed_at__lt=end
        ),
        "order__",
    )
    refunds = _of_outer_market(
        Refund.objects.exclude(order__status=OrderStatus.CANCELLED).filter(
            sme_id=OuterRef("sme_id"), refunded_at__gte=since, refunded_at__lt=end
        ),
        "order__",
    )

    def total(queryset, expression, group):
        return Coalesce(
            Subquery(queryset.order_by().values(group).annotate(_t=expression).values("_t")[:1]), Value(ZERO)
        )

    rows = markets.annotate(
        _value=total(lines, Sum(F("quantity") * F("unit_price")), "order__sme_id"),
        _discounts=total(orders, Sum("discounts"), "sme_id"),
        _refunds=total(refunds, Sum("amount"), "sme_id"),
        _orders=Coalesce(
            Subquery(
                orders.annotate(_sold=Exists(_sold_line()))
                .filter(_sold=True)
                .order_by()
                .values("sme_id")
                .annotate(_n=Count("pk"))
                .values("_n")[:1]
            ),
            Value(0),
        ),
    ).values_list("pk", "_value", "_discounts", "_refunds", "_orders")
    return {
        pk: ((Decimal(value) - Decimal(discounts) - Decimal(refunded)).quantize(CENT), count)
        for pk, value, discounts, refunded, count in rows
    }


def markets_new_customers(markets, *, start: datetime.datetime, end: datetime.datetime) -> int:
    """Customers whose first live order with their SME was placed from ``start`` (or the market's first
    sharing, if later) to ``end`` in one of ``markets``; each counted once, though two markets match it.

    One query whatever the number of markets (a queryset): an order counts when one of them matches it.
    """
    matching = markets.filter(
        Q(country="") | Q(country=OuterRef("customer_country")),
        Q(sales_channel=SalesChannel.ANY) | Q(sales_channel=OuterRef("_kind")),
        sme_id=OuterRef("sme_id"),
        tracked_since__lte=OuterRef("placed_at"),
    )
    orders = (
        _live_orders_all()
        .filter(sme_id__in=markets.values("sme_id"), placed_at__gte=start, placed_at__lt=end)
        .exclude(customer_key="")
        .annotate(_kind=channel_kind("channel"), _earlier=Exists(_earlier_order_of_customer()))
        .filter(Exists(matching), _earlier=False)
    )
    return orders.count()


def _live_orders_all():
    return Order.objects.exclude(status=OrderStatus.CANCELLED)
