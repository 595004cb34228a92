"""Benchmark: the outcome figures of every demo SME, computed by the database, against a Python reference.

    DATABASE_URL=postgres://… .venv/bin/python bench/outcomes.py [--repeat N]

Reads the database ``DATABASE_URL`` names, after ``manage.py load_demo`` (with
``--online-retail`` for Welsh Slate Gifts' half a million lines). Each measure is the best of
``--repeat`` runs:

* outcomes — ``coaching.outcomes.market_outcomes`` for all SMEs: every followed market's net
  sales, orders, new customers, share, change against the baseline and a year before, month by
  month since sharing (one grouped query over all SMEs' orders, each in its launchpad's time zone,
  reading each order's lines total kept by the writer, and one over refunds; summed per market in
  Python; docs/decisions/0023-outcomes-in-one-pass.md);
* reference — the same monthly net sales, orders and new customers from every order, line and refund row of
  the same SMEs fetched and added up in Python (what the aggregates avoid), in the same run;
  its figures must equal the aggregates' (checked), so the speed-up is like for like (and the
  lines totals stored on the orders are checked against the lines themselves).

Goal: outcomes under 1 s in total on PostgreSQL. The machine is shared and noisy: the load
average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.db import connection  # noqa: E402

from coaching.markets import classify_channel_text  # noqa: E402
from coaching.models import TrackedMarket  # noqa: E402
from coaching.outcomes import market_outcomes  # noqa: E402
from connectors.models import Order, OrderLine, Refund  # noqa: E402
from journey.models import SME  # noqa: E402


def best(function, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def kind(channel: str) -> str:
    found = classify_channel_text(channel)
    return "web" if found == "any" else found


def reference(sme_ids: list[int]) -> dict:
    """(sme id, month, country, kind) → [net sales, orders, new customers], from every row, in Python."""
    zones = {
        sme.pk: ZoneInfo(sme.launchpad.time_zone)
        for sme in SME.objects.filter(pk__in=sme_ids).select_related("launchpad")
    }
    orders = {}
    firsts = {}  # (sme id, customer key) → (placed at, pk) of the customer's first live order
    for pk, sme_id, placed, country, channel, discounts, status, customer in (
        Order.objects.filter(sme_id__in=sme_ids)
        .values_list("pk", "sme_id", "placed_at", "customer_country", "channel", "discounts", "status", "customer_key")
        .iterator(chunk_size=20000)
    ):
        if status == "cancelled":
            continue
        local = placed.astimezone(zones[sme_id])
        orders[pk] = (sme_id, local.date().replace(day=1), country, kind(channel), discounts)
        if customer and (placed, pk) < firsts.get((sme_id, customer), (placed, pk + 1)):
            firsts[(sme_id, customer)] = (placed, pk)
    cells = defaultdict(lambda: [Decimal(0), 0, 0])
    for _placed, pk in firsts.values():
        cells[orders[pk][:4]][2] += 1
    sold = set()
    for order_id, quantity, price in (
        OrderLine.objects.filter(order__sme_id__in=sme_ids)
        .values_list("order_id", "quantity", "unit_price")
        .iterator(chunk_size=50000)
    ):
        if order_id in orders:
            cells[orders[order_id][:4]][0] += quantity * price
            if quantity > 0:
                sold.add(order_id)
    for pk, (sme_id, month, country, channel, discounts) in orders.items():
        cells[(sme_id, month, country, channel)][0] -= discounts
        cells[(sme_id, month, country, channel)][1] += pk in sold
    for order_id, sme_id, refunded, amount in Refund.objects.filter(sme_id__in=sme_ids).values_list(
        "order_id", "sme_id", "refunded_at", "amount"
    ):
        if order_id in orders:
            _, _, country, channel, _ = orders[order_id]
            cells[(sme_id, refunded.astimezone(zones[sme_id]).date().replace(day=1), country, channel)][0] -= amount
    return cells


def check(outcomes: dict, cells: dict) -> int:
    """Compare each market month with the reference; the number of market months checked."""
    checked = 0
    for sme_outcomes in outcomes.values():
        for outcome in sme_outcomes:
            market = outcome.market
            for month in outcome.months:
                sales, orders, new = Decimal(0), 0, 0
                for (sme_id, cell_month, country, channel), (value, count, first) in cells.items():
                    if sme_id != market.sme_id or cell_month != month.month:
                        continue
                    if market.country and country != market.country:
                        continue
                    if market.sales_channel != "any" and channel != market.sales_channel:
                        continue
                    sales += value
                    orders += count
                    new += first
                mine = (month.net_sales, month.orders, month.new_customers or 0)
                if mine != (sales.quantize(Decimal("0.01")), orders, new):
                    raise SystemExit(f"Mismatch for {market} {month.month}: {mine} vs {sales, orders, new}")
                checked += 1
    return checked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sme_ids = sorted(set(TrackedMarket.objects.values_list("sme_id", flat=True)))
    if not sme_ids:
        print("No followed target market in this database: run manage.py load_demo first.")
        return
    smes = SME.objects.filter(pk__in=sme_ids)
    lines = OrderLine.objects.filter(order__sme_id__in=sme_ids).count()
    print(f"Database: {connection.vendor}; {len(sme_ids)} SMEs, {TrackedMarket.objects.count()} followed markets, "
          f"{Order.objects.filter(sme_id__in=sme_ids).count()} orders, {lines} lines")  # fmt: skip
    seconds, outcomes = best(lambda: market_outcomes(smes), args.repeat)
    reference_seconds, cells = best(lambda: reference(sme_ids), args.repeat)
    checked = check(outcomes, cells)
    print(f"outcomes (SQL aggregates): {seconds:.3f} s  (goal < 1 s: {'met' if seconds < 1 else 'NOT met'})")
    print(
        f"reference (Python over every row): {reference_seconds:.3f} s; "
        f"same net sales, orders and new customers for {checked} market months"
    )
    print(f"reference ÷ outcomes: {reference_seconds / seconds:.1f}×")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
