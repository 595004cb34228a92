"""The SME's toolkit report: every analysis from the SME's data, as one JSON document.

The schema (the ``toolkit_report`` command prints it; the README documents it):
``sme``, ``as_of``, ``currency``, ``readiness``, ``inventory``, ``market``, ``planning``
(``months``, ``channels``, ``comparisons``, ``projection``) and ``growth`` (the last
complete month's orders and products, and the SME's targets). Money is a number in the
SME's currency, rounded to cents; dates are ISO strings.

Keys added for the toolkit's pages (the keys above never change): ``inventory.thresholds``
(the limits the checks used, from ``settings.TOOLKIT_INVENTORY_THRESHOLDS``) and
``growth.periods`` (the month picker: each of the last twelve complete months, keyed
"YYYY-MM", and ``last_3``/``last_6``/``last_12``, each with ``start``, ``end``,
``orders_count``, ``loss_orders``, ``top_orders``, ``sales``, ``cost``, ``profit``,
``cost_estimated``, ``profit_curve``, ``products_count`` and capped ``orders`` and
``products`` lists: see ``analyses.growth``).

Keys added for money (README, "Net sales"): ``planning.months[]`` ``partial_kind``, ``refunds``,
``tax``, ``shipping``, ``customer_fees``; ``planning.comparisons[]`` ``basis``, ``start``,
``end``; ``planning.skipped_comparisons``; ``readiness.profit_estimated``; the growth flag
``return`` and each period's ``return_orders``, ``returns``, ``refunds`` (made in the period,
taken off its sales) and ``restocked`` (the cost of the goods they put back into stock, taken
off its cost); an order's own sales no longer have its refunds taken off.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Sum
from django.utils import timezone

from connectors.models import Order, OrderLine, Product, ProductAnalytics, Refund
from journey.models import SME

from . import lines_copy, selectors
from .analyses.growth import growth_plain, valued
from .analyses.inventory import DEFAULT_THRESHOLDS, inventory
from .analyses.market import market
from .analyses.planning import planning
from .analyses.readiness import readiness

_SCALARS = frozenset({str, int, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...] | None] = {}  # a dataclass's field names by its type (None: not one)


def _plain(value):
    """JSON-ready: dataclasses to dicts, dates to ISO strings, decimals to numbers."""
    kind = type(value)
    if kind in _SCALARS:  # most of a report's values: answered before the slower checks
        return value
    if kind is float:
        return value if math.isfinite(value) else None  # JSON has no NaN: "not computable" is null
    if kind is list or kind is tuple:
        return [item if type(item) in _SCALARS else _plain(item) for item in value]
    if kind is dict:
        return {str(key): item if type(item) in _SCALARS else _plain(item) for key, item in value.items()}
    names = _FIELDS.get(kind, ())
    if names == ():  # first met: a dataclass? (field by field, not dataclasses.asdict: that deep-copies every value)
        names = _FIELDS[kind] = (
            tuple(field.name for field in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None
        )
    if names is not None:
        plain = {}
        for name in names:
            item = getattr(value, name)
            plain[name] = item if type(item) in _SCALARS else _plain(item)
        return plain
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN: "not computable" is null
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return _plain(value.item())
    return value


def data_version(sme: SME) -> dict:
    """What the report depends on: counts and the latest change of the SME's commerce data."""
    orders = Order.objects.filter(sme=sme).aggregate(n=Count("pk"), changed=Max("updated_at"))
    products = Product.objects.filter(sme=sme).aggregate(n=Count("pk"), changed=Max("updated_at"))
    # Refunds have no time of change: their count, newest id (a replaced refund gets a new one),
    # latest date and totals change with any refund written, edited or removed on its own.
    refunds = Refund.objects.filter(sme=sme).aggregate(
        n=Count("pk"), last=Max("pk"), latest=Max("refunded_at"), amount=Sum("amount"), tax=Sum("tax")
    )
    return _plain(
        {
            "orders": orders["n"],
            "orders_changed": orders["changed"],
            "lines": OrderLine.objects.filter(order__sme=sme).count(),
            "products": products["n"],
            "products_changed": products["changed"],
            "analytics": ProductAnalytics.objects.filter(sme=sme).count(),
            "refunds": [refunds["n"], refunds["last"], refunds["latest"], refunds["amount"], refunds["tax"]],
            "margin": sme.default_margin,
            "targets": list(sme.targets.values_list("metric", "value", "due")),
            "thresholds": inventory_thresholds(),
        }
    )


def compute(sme: SME, *, as_of: datetime.date | None = None) -> dict:
    """Run the four analyses and readiness on the SME's data up to ``as_of`` (today by default)."""
    time_zone = sme.launchpad.time_zone
    as_of = as_of or timezone.localdate(timezone=_zone(time_zone))
    margin = float(sme.default_margin) / 100
    products, analytics = selectors.products_frame(sme), selectors.analytics_frame(sme)
    orders = selectors.orders_frame(sme)
    lines = lines_copy.lines_frame(sme, product_ids=products["id"].to_numpy(dtype=np.int64))
    refunds = selectors.refunds_frame(sme)
    if not orders.empty:
        cutoff = datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min, _zone(time_zone))
        # Filtered only when something is left out: a mask that keeps every row would still copy
        # every column of the lines (tens of MB at half a million lines) for the same frame.
        before = orders["placed_at"] < cutoff
        if not before.all():
            orders = orders[before]
        kept = lines["order_id"].isin(orders["id"])
        if not kept.all():
            lines = lines[kept]
    plan = planning(orders, lines, as_of=as_of, time_zone=time_zone, default_margin=margin, refunds=refunds)
    last_month_end = as_of.replace(day=1) - datetime.timedelta(days=1)
    targets = [(t.metric, float(t.value), t.due) for t in sme.targets.all()]
    # The last complete month and the month picker's periods, from lines valued once, built
    # JSON-ready (thousands of rows: no dataclasses made plain afterwards).
    grown = growth_plain(
        orders,
        lines,
        start=last_month_end.replace(day=1),
        end=last_month_end,
        months=[m.month for m in plan.months if not m.partial],
        time_zone=time_zone,
        default_margin=margin,
        monthly=plan.months,
        targets=targets,
        items=valued(orders, lines, time_zone=time_zone, margin=margin),
        refunds=refunds,
    )
    grown["targets"] = _plain(grown["targets"])
    _label_products(grown, products)
    thresholds = inventory_thresholds()
    stock = inventory(products, thresholds)
    document = _plain(
        {
            "sme": sme.slug,
            "as_of": as_of,
            "currency": sme.launchpad.currency,
            "readiness": readiness(orders, lines, analytics),
            "inventory": {**_fields(stock), "thresholds": thresholds},
            "market": market(orders, lines, products, analytics, as_of=as_of, time_zone=time_zone),
            "planning": {
                "months": plan.months,
                "channels": plan.channels,
                "comparisons": plan.comparisons,
                "projection": plan.projection,
                "skipped_comparisons": plan.skipped,
            },
            "growth": None,
        }
    )
    document["growth"] = grown  # already plain
    return document


def _fields(value) -> dict:
    """A dataclass's fields as a dict, one level deep (``_plain`` does the rest)."""
    return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}


def _label_products(grown: dict, products) -> None:
    """Name the products of growth by their catalogue title where the order line only gave a SKU."""
    if products.empty:
        return
    ids, names = products["id"].tolist(), products["title"].tolist()
    titles = {f"p{int(pid)}": str(title) for pid, title in zip(ids, names, strict=True) if title}
    for rows in (grown["products"], *(period["products"] for period in grown["periods"])):
        for product in rows:
            title = titles.get(product["key"])
            if title is not None and product["label"] != title:
                product["label"] = title


def inventory_thresholds() -> dict:
    """The inventory checks' limits: the analysis's defaults, overridden by ``TOOLKIT_INVENTORY_THRESHOLDS``."""
    return {**DEFAULT_THRESHOLDS, **getattr(settings, "TOOLKIT_INVENTORY_THRESHOLDS", {})}


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


__all__ = ["compute", "data_version", "inventory_thresholds"]
